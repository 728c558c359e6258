"""The events of a complaint's life, one small model each, told apart by `type`.

Events are append-only facts. What they mean for the complaint's status and deadlines is
worked out in `complaints_register.core.lifecycle`; here is only what each one must say.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, NonNegativeInt

from complaints_register.schema.base import Model, Slug, Text

Priority = Literal["normal", "urgent"]
Outcome = Literal["upheld", "partly-upheld", "not-upheld"]
Remedy = Literal[
    "apology",
    "explanation",
    "refund",
    "replacement",
    "repair",
    "compensation",
    "change-of-practice",
]
Body = Literal["ombudsman", "regulator", "adr", "court"]


class _Event(Model):
    # A date-time before a date, so that a time of day, when given, is kept.
    at: datetime | date
    by: Text
    note: Text | None = None


class Acknowledged(_Event):
    type: Literal["acknowledged"]


class Assessed(_Event):
    type: Literal["assessed"]
    priority: Priority
    category: Slug | None = None
    handler: Text | None = None


class InfoRequested(_Event):
    type: Literal["info-requested"]


class InfoReceived(_Event):
    type: Literal["info-received"]


class Extended(_Event):
    type: Literal["extended"]
    due: date
    reason: Text


class Responded(_Event):
    type: Literal["responded"]
    outcome: Outcome
    remedies: list[Remedy] = []


class Escalated(_Event):
    type: Literal["escalated"]
    handler: Text


class Referred(_Event):
    type: Literal["referred"]
    to: Body


class Closed(_Event):
    type: Literal["closed"]
    satisfied: bool | None = None


class Reopened(_Event):
    type: Literal["reopened"]


class Withdrawn(_Event):
    type: Literal["withdrawn"]


class Surveyed(_Event):
    type: Literal["surveyed"]
    score: Annotated[int, Field(ge=1, le=5)]


class Retracted(_Event):
    type: Literal["retracted"]
    event: NonNegativeInt
    reason: Text


class Erased(_Event):
    type: Literal["erased"]


class Note(_Event):
    type: Literal["note"]
    note: Text


Event = Annotated[
    Acknowledged
    | Assessed
    | InfoRequested
    | InfoReceived
    | Extended
    | Responded
    | Escalated
    | Referred
    | Closed
    | Reopened
    | Withdrawn
    | Surveyed
    | Retracted
    | Erased
    | Note,
    Field(discriminator="type"),
]

EVENT_TYPES: dict[str, type[_Event]] = {
    cls.model_fields["type"].annotation.__args__[0]: cls  # the Literal's one value
    for cls in _Event.__subclasses__()
}
"""Each event type's name, as written in files, and its model."""
