"""The organisation's own rules: one `policy.yaml` per register.

The single source of the published policy and of the enforced deadlines.
"""

from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, NonNegativeInt, PositiveInt, model_validator

from schema.base import Language, Model, Slug, Text
from schema.events import Body

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = Weekday.__args__


def _unique(values: list) -> list:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"listed more than once: {', '.join(repeated)}")
    return values


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Europe/Rome)")
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


class CalendarSettings(Model):
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    subdivision: Text | None = None
    timezone: Annotated[str, AfterValidator(_known_zone)]
    weekend: Annotated[list[Weekday], AfterValidator(_unique)] | None = None
    closures: Annotated[list[date], AfterValidator(_unique)] = []
    days: Literal["working", "calendar"] = "working"

    @model_validator(mode="after")
    def _known_place(self) -> "CalendarSettings":
        countries = _supported_countries()
        if self.country not in countries:
            raise ValueError(f"country: no public holidays are known for {self.country!r}")
        known = countries[self.country]
        if self.subdivision is not None and self.subdivision not in known:
            listed = ", ".join(known) if known else "none"
            raise ValueError(
                f"subdivision: {self.country} has no subdivision {self.subdivision!r}"
                f" (known: {listed})"
            )
        return self


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
    languages: Annotated[list[Language], Field(min_length=1), AfterValidator(_unique)]
    calendar: CalendarSettings
    targets: Targets
    categories: Annotated[list[Slug], Field(min_length=1), AfterValidator(_unique)]
    channels: Annotated[list[Slug], Field(min_length=1), AfterValidator(_unique)]
    publication: Publication
    retention: Retention
    recourse: list[Recourse] = []
