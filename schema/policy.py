"""The organisation's own rules: one `policy.yaml` per register.

The single source of the published policy and of the enforced deadlines.
"""

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    PositiveInt,
    Tag,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)
from pydantic_core import core_schema

from complaints_register.schema.base import (
    EmailAddress,
    Language,
    Model,
    PublicText,
    Slug,
    Text,
    WebAddress,
    unique,
)
from complaints_register.schema.events import Body

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Europe/Rome)") from None
    return name


def _supported_countries() -> dict[str, list[str]]:
    import holidays  # imported here: only policies need it, and it is slow to import

    return holidays.list_supported_countries()


class Contact(Model):
    """How the public reaches the complaints team (published)."""

    email: EmailAddress | None = None
    phone: PublicText | None = None
    address: PublicText | None = None
    website: WebAddress | None = None
    social_media: WebAddress | None = None  # the account's address, for that channel
    hours: PublicText | None = None  # opening hours on working days, e.g. "09:00-17:00"


def _known_country(code: str) -> str:
    if code not in _supported_countries():
        raise ValueError(f"no public holidays are known for {code!r} (an ISO 3166 code such as IT)")
    return code


class CalendarSettings(Model):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$"), AfterValidator(_known_country)]
    subdivision: PublicText | None = None
    timezone: Annotated[str, AfterValidator(_known_zone)]
    weekend: Annotated[list[Weekday], AfterValidator(unique)] | None = None
    closures: Annotated[list[date], AfterValidator(unique)] = []
    days: Literal["working", "calendar"] = "working"

    @field_validator("subdivision")
    @classmethod
    def _known_subdivision(cls, subdivision: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if subdivision is None or country is None:  # no country: its own error says why
            return subdivision
        known = _supported_countries()[country]
        if subdivision not in known:
            listed = ", ".join(known) if known else "none"
            raise ValueError(f"{country} has no subdivision {subdivision!r} (known: {listed})")
        return subdivision


Days = Annotated[int, Field(ge=0, le=1000)]
"""A number of days in a target: whole, and at most 1,000 (about four working years), so no
due date can run past the calendar."""


Unit = Literal["working", "calendar", "calendar-exact"]
"""How a step's days are counted: working days; calendar days, a due date on a day off
moving to the next working day (as `calendar.days: calendar` counts); or calendar days
exactly ("by the end of eight weeks"), whatever kind of day the last one is."""

CountsFrom = Literal["receipt", "acknowledgement"]
"""Where a response clock starts: the stage's receipt (of the complaint, or of the request
to escalate it), or the stage's acknowledgement."""


class Respond(Model):
    # `from` is a Python keyword: the field is `counts_from`, written `from`; a dump says
    # `from` too, and either name reads back.
    model_config = ConfigDict(
        **Model.model_config, serialize_by_alias=True, validate_by_name=True, validate_by_alias=True
    )

    normal: Days
    urgent: Days
    counts_from: CountsFrom = Field("receipt", alias="from")
    """`acknowledgement`: day zero is the day the stage was acknowledged, or the day it was
    due to be, whichever is earlier (a late acknowledgement buys no time); until then, the
    day it is due."""
    unit: Unit | None = None
    """None: the calendar's `days`."""


class StageTargets(Model):
    acknowledge: Days
    respond: Respond
    acknowledge_unit: Unit | None = None
    """How the acknowledgement's days count (None: the calendar's `days`)."""
    max_extension: Days | None = None
    """The stage's own cap on extensions (None: the targets' `max_extension`)."""


class Targets(Model):
    """Days after the day a clock starts."""

    stage1: StageTargets
    stage2: StageTargets
    very_overdue_after: Days
    max_extension: Days

    def stage(self, number: int) -> StageTargets:
        return self.stage1 if number == 1 else self.stage2


class DatedTargets(Targets):
    """One version of the targets, in force from `from` until the next version's."""

    start: date = Field(alias="from")


def _oldest_first(versions: list[DatedTargets]) -> list[DatedTargets]:
    starts = [version.start for version in versions]
    if starts != sorted(set(starts)):
        raise ValueError("versions go oldest first, each from a later day than the one before")
    return versions


TargetVersions = Annotated[list[DatedTargets], Field(min_length=1), AfterValidator(_oldest_first)]


TARGET_FORMS = ("since-always", "versions")
"""The two forms of `targets`: one mapping in force since always, or dated versions."""


def _targets_form(value: object) -> str:
    return TARGET_FORMS[1] if isinstance(value, list) else TARGET_FORMS[0]


# The form is chosen by the value's shape, so that a mistake in one form is reported in that
# form's terms only (not also as "input should be a valid list").
TargetsField = Annotated[
    Annotated[Targets, Tag(TARGET_FORMS[0])] | Annotated[TargetVersions, Tag(TARGET_FORMS[1])],
    Discriminator(_targets_form),
]


class Publication(Model):
    """Disclosure control for published statistics."""

    min_count: PositiveInt
    min_rate_base: PositiveInt
    # A period's statistics are published this many months after it ends, as they stand
    # then, and never changed afterwards (DESIGN.md section 6).
    settle_months: Annotated[int, Field(ge=1, le=36)] = 3


class Retention(Model):
    personal_data_years: PositiveInt


class Recourse(Model):
    """An external body a complainant may turn to."""

    kind: Body
    name: PublicText
    website: WebAddress | None = None
    address: PublicText | None = None  # postal address, published
    # How long after our final answer a complainant may still turn to it (months).
    time_limit_months: Annotated[int, Field(ge=1, le=120)] | None = None


Handle = Slug
"""A staff member's handle: lowercase letters, digits and hyphens (`marco`, `anna-b`)."""


class StaffMember(Model):
    """A person who handles complaints (internal: the roster is never published)."""

    name: Text
    emails: Annotated[list[Text], AfterValidator(unique)] = []
    github: Text | None = None


class Organisation(Model):
    """The organisation's name and, for a landlord, how many homes it owns or manages (the
    denominator of the Housing Ombudsman's CH01: complaints per 1,000 homes)."""

    name: PublicText
    homes: PositiveInt | None = None


class OrganisationName(str):
    """The organisation's name as every page and letter prints it, carrying what
    `organisation: {name: ..., homes: ...}` says besides (`homes`: None when not given)."""

    homes: int | None = None

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Validated by `_of`, so that a mistake in either form is told in its own terms at
        # its own place (`organisation.homes`); the JSON Schema offers both forms.
        either = handler.generate_schema(PublicText | Organisation)
        return core_schema.no_info_plain_validator_function(
            cls._of,
            json_schema_input_schema=either,
            serialization=core_schema.to_string_ser_schema(),
        )

    @classmethod
    def _of(cls, value: object) -> "OrganisationName":
        if isinstance(value, Mapping):
            details = Organisation.model_validate(value)
            named = cls(details.name)
            named.homes = details.homes
            return named
        return cls(_NAME.validate_python(value))


_NAME: TypeAdapter[str] = TypeAdapter(PublicText)


class Policy(Model):
    organisation: OrganisationName
    """The organisation's name; or `{name: ..., homes: N}`."""
    regime: Slug | None = None
    """The regulator's code the policy follows (`complaints_register/regimes/NAME.yaml`):
    `check` refuses a target looser than it allows."""
    contact: Contact
    languages: Annotated[list[Language], Field(min_length=1), AfterValidator(unique)]
    calendar: CalendarSettings
    targets: TargetsField
    """One set of targets in force since always, or dated versions, oldest first."""
    categories: Annotated[list[Slug], Field(min_length=1), AfterValidator(unique)]
    channels: Annotated[list[Slug], Field(min_length=1), AfterValidator(unique)]
    retired_categories: Annotated[list[Slug], AfterValidator(unique)] = []
    """Categories no longer used: complaints that have one stay valid; new ones cannot."""
    retired_channels: Annotated[list[Slug], AfterValidator(unique)] = []
    publication: Publication
    retention: Retention
    recourse: list[Recourse] = []
    # How long after the event a complaint may be made to us (months); null: no limit.
    complain_within_months: Annotated[int, Field(ge=1, le=120)] | None = None
    reopen_after_final: bool = False
    """Whether a referred or withdrawn complaint may be reopened."""
    late_entry_days: Days = 5
    """An event dated more than this many working days before the day it is recorded needs
    a `reason` (why it is recorded late), and so does one dated before the latest event."""
    started: date | None = None
    """The day the register was started: nothing is received before it (without it, a
    fixed floor applies)."""
    staff: dict[Handle, StaffMember] | None = None
    """The roster: with it, every `by`, `handler` and action `owner` is a handle."""

    def target_versions(self) -> list[DatedTargets]:
        """The targets' versions, oldest first; the single-mapping form is one version in
        force since always."""
        if isinstance(self.targets, Targets) and not isinstance(self.targets, DatedTargets):
            fields = self.targets.model_dump(by_alias=True)
            return [DatedTargets.model_validate({**fields, "from": date.min})]
        return list(self.targets) if isinstance(self.targets, list) else [self.targets]

    def targets_on(self, day: date) -> Targets:
        """The targets in force on `day` (the oldest version for a day before them all)."""
        versions = self.target_versions()
        return next((v for v in reversed(versions) if v.start <= day), versions[0])

    def coming_targets(self, day: date) -> DatedTargets | None:
        """The next version of the targets after `day`, if one is already decided."""
        return next((v for v in self.target_versions() if v.start > day), None)
