"""The organisation's own rules: one `policy.yaml` per register.

The single source of the published policy and of the enforced deadlines.
"""

from datetime import date
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    PositiveInt,
    Tag,
    ValidationInfo,
    field_validator,
)

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


class Respond(Model):
    normal: Days
    urgent: Days


class StageTargets(Model):
    acknowledge: Days
    respond: Respond


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


class Retention(Model):
    personal_data_years: PositiveInt


class Recourse(Model):
    """An external body a complainant may turn to."""

    kind: Body
    name: PublicText
    website: WebAddress | None = None


Handle = Slug
"""A staff member's handle: lowercase letters, digits and hyphens (`marco`, `anna-b`)."""


class StaffMember(Model):
    """A person who handles complaints (internal: the roster is never published)."""

    name: Text
    emails: Annotated[list[Text], AfterValidator(unique)] = []
    github: Text | None = None


class Policy(Model):
    organisation: PublicText
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
            fields = self.targets.model_dump()
            return [DatedTargets.model_validate({**fields, "from": date.min})]
        return list(self.targets) if isinstance(self.targets, list) else [self.targets]

    def targets_on(self, day: date) -> Targets:
        """The targets in force on `day` (the oldest version for a day before them all)."""
        versions = self.target_versions()
        return next((v for v in reversed(versions) if v.start <= day), versions[0])

    def coming_targets(self, day: date) -> DatedTargets | None:
        """The next version of the targets after `day`, if one is already decided."""
        return next((v for v in self.target_versions() if v.start > day), None)
