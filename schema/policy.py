"""The organisation's own rules: one `policy.yaml` per register.

The single source of the published policy and of the enforced deadlines.
"""

from datetime import date
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Field,
    NonNegativeInt,
    PositiveInt,
    ValidationInfo,
    field_validator,
)

from complaints_register.schema.base import Language, Model, Slug, Text, unique
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

    email: Text | None = None
    phone: Text | None = None
    address: Text | None = None
    website: Text | None = None


def _known_country(code: str) -> str:
    if code not in _supported_countries():
        raise ValueError(f"no public holidays are known for {code!r} (an ISO 3166 code such as IT)")
    return code


class CalendarSettings(Model):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$"), AfterValidator(_known_country)]
    subdivision: Text | None = None
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


class Respond(Model):
    normal: NonNegativeInt
    urgent: NonNegativeInt


class StageTargets(Model):
    acknowledge: NonNegativeInt
    respond: Respond


class Targets(Model):
    """Days after the day a clock starts."""

    stage1: StageTargets
    stage2: StageTargets
    very_overdue_after: NonNegativeInt
    max_extension: NonNegativeInt

    def stage(self, number: int) -> StageTargets:
        return self.stage1 if number == 1 else self.stage2


class Publication(Model):
    """Disclosure control for published statistics."""

    min_count: PositiveInt
    min_rate_base: PositiveInt


class Retention(Model):
    personal_data_years: PositiveInt


class Recourse(Model):
    """An external body a complainant may turn to."""

    kind: Body
    name: Text
    website: Text | None = None


class Policy(Model):
    organisation: Text
    contact: Contact
    languages: Annotated[list[Language], Field(min_length=1), AfterValidator(unique)]
    calendar: CalendarSettings
    targets: Targets
    categories: Annotated[list[Slug], Field(min_length=1), AfterValidator(unique)]
    channels: Annotated[list[Slug], Field(min_length=1), AfterValidator(unique)]
    publication: Publication
    retention: Retention
    recourse: list[Recourse] = []
