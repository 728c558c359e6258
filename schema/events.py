"""The events of a complaint's life, one class each, told apart by `type`.

An event type is defined here and nowhere else: its fields (the pydantic model), its
command-line options (`options`, read by `complaints log`), and `apply`, which checks that
the event makes sense in the complaint's state and changes the state (called by
`complaints_register.core.lifecycle.fold`). How an event is shown (`show`, `history`)
follows from its fields, in the order they are declared. CONTRIBUTING.md, "Adding an event
type", walks through adding one.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import Field, StrictBool

from complaints_register.schema.base import Model, Slug, Text
from complaints_register.schema.dates import WHOLE, Day, Moment, NonNegativeWholeNumber
from complaints_register.schema.state import (
    FINAL,
    Priority,
    Stage,
    State,
    Terms,
    end_pause,
    finish_acknowledgement,
    require,
    require_independent,
    require_open,
    stop,
)

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


@dataclass(frozen=True)
class Option:
    """An option of `complaints log` that fills one field of an event.

    Event types that share an option name (`--handler`, `--reason`) must define it the same
    way: the command has one `--handler`. `kind` is how the value is read: text, a date, or a
    whole number from `low` to `high`; `words` maps what is typed to the value stored (None:
    leave the field out).
    """

    name: str
    field: str
    kind: Literal["text", "date", "number"] = "text"
    choices: tuple[str, ...] = ()
    multiple: bool = False
    low: int | None = None
    high: int | None = None
    words: Mapping[str, bool | None] | None = None
    help: str | None = None


class Event(Model):
    """What every event says; each type below adds its own fields and rule."""

    at: Moment
    by: Text
    note: Text | None = None
    late: Text | None = None
    """Why it is recorded late: an event dated more than the policy's `late_entry_days`
    working days before the day it is recorded, or before the latest event already recorded,
    needs it (`complaints_register.core.rules.late_entries`)."""

    options: ClassVar[tuple[Option, ...]] = ()

    def apply(self, state: State, day: date, clock: Terms) -> None:
        """Refuse the event (`Refused`) if it makes no sense in `state`, else apply it.
        Events that only record (a note; a retraction acts before the fold) change nothing."""


class Acknowledged(Event):
    type: Literal["acknowledged"]

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require_open(state, "acknowledge it")
        stage = state.stage
        require(
            stage.acknowledged is None,
            f"stage {stage.number} was already acknowledged on {stage.acknowledged}",
        )
        finish_acknowledgement(stage, day, clock)
        state.status = "acknowledged"


HANDLER = Option("handler", "handler")


class Assessed(Event):
    type: Literal["assessed"]
    priority: Priority
    category: Slug | None = None
    handler: Text | None = None

    options = (
        Option("priority", "priority", choices=get_args(Priority)),
        Option("category", "category"),
        HANDLER,
    )

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require_open(state, "assess it")
        stage = state.stage
        if self.handler is not None:
            if stage.number == 2:
                require_independent(state, self.handler, clock)
            stage.handler = self.handler
            stage.handlers.append(self.handler)
        stage.priority = self.priority
        if self.category is not None:
            state.category = self.category
        if state.status in ("new", "acknowledged"):
            state.status = "investigating"


class InfoRequested(Event):
    type: Literal["info-requested"]

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require_open(state, "request information")
        require(not state.stage.paused, "information was already requested and not yet received")
        state.stage.pauses.append((day, None))
        state.status = "awaiting-complainant"


class InfoReceived(Event):
    type: Literal["info-received"]

    def apply(self, state: State, day: date, clock: Terms) -> None:
        stage = state.stage
        require(
            stage.paused and state.is_open,
            "no information was requested (log info-requested first): the clock is not paused",
        )
        end_pause(stage, day)
        state.status = "investigating"


REASON = Option("reason", "reason")


class Extended(Event):
    type: Literal["extended"]
    due: Day
    reason: Text

    options = (Option("due", "due", kind="date"), REASON)

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require_open(state, "extend the response date")
        stage = state.stage
        current = clock.respond_due(stage, day)
        latest = clock.latest_extension(stage, day)
        require(
            self.due > current,
            f"the new date {self.due} is not later than the response due date {current}",
        )
        unextended = clock.respond_due(stage, day, extended=False)
        require(
            self.due <= latest,
            f"{self.due} is further than the policy allows: extensions may move the"
            f" response at most {clock.max_extension(stage)} days in all, from {unextended}"
            f" to {latest}",
        )
        stage.extended_to = self.due
        stage.extended_on = day


class Responded(Event):
    type: Literal["responded"]
    outcome: Outcome
    remedies: list[Remedy] = []

    options = (
        Option("outcome", "outcome", choices=get_args(Outcome)),
        Option("remedy", "remedies", choices=get_args(Remedy), multiple=True),
    )

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require_open(state, "respond")
        stage = state.stage
        if stage.number == 2:  # whoever answers the review must not have handled stage 1
            require_independent(state, self.by, clock)
        if stage.paused:  # a response ends the wait for the complainant
            end_pause(stage, day)
        if stage.acknowledged is None:  # a response acknowledges the complaint too
            finish_acknowledgement(stage, day, clock)
        stage.responded = day
        if day > clock.respond_due(stage, day):
            stage.late.append("respond")
        stage.handlers.append(self.by)
        state.outcome = self.outcome
        state.status = "responded"


class Escalated(Event):
    type: Literal["escalated"]
    handler: Text

    options = (HANDLER,)

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require(state.stage.number == 1, "already at stage 2: there is no further internal stage")
        require(state.status not in FINAL, f"cannot escalate: the complaint is {state.status}")
        require_independent(state, self.handler, clock)
        stop(state.stage, day)
        stage = Stage(
            2,
            day,
            state.stage.priority,
            handler=self.handler,
            handlers=[self.handler],
            respond_from=day,
        )
        state.stages.append(stage)
        state.status = "escalated"


class Referred(Event):
    type: Literal["referred"]
    to: Body

    options = (Option("to", "to", choices=get_args(Body)),)

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require(state.status not in FINAL, f"cannot refer it: the complaint is {state.status}")
        stop(state.stage, day)
        state.referred_to = self.to
        state.status = "referred"


class Closed(Event):
    type: Literal["closed"]
    satisfied: StrictBool | None = None

    options = (
        Option(
            "satisfied",
            "satisfied",
            choices=("yes", "no", "unknown"),
            words={"yes": True, "no": False, "unknown": None},
        ),
    )

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require(
            state.is_open or state.status == "responded",
            f"cannot close it: the complaint is {state.status}",
        )
        require(
            state.stage.responded is not None,
            "cannot close it before a response (log responded first; a complaint resolved"
            " on the spot logs responded and closed on the same day)",
        )
        stop(state.stage, day)
        state.satisfied = self.satisfied
        state.status = "closed"


class Reopened(Event):
    type: Literal["reopened"]

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require(not state.is_open, f"cannot reopen it: the complaint is {state.status}, not done")
        require(
            state.status not in FINAL or clock.reopen_after_final,
            f"cannot reopen it: {state.status} is final (unless the policy says"
            " reopen_after_final: true)",
        )
        stage = state.stage
        stage.stopped = None
        stage.responded = None
        stage.extended_to = None
        stage.extended_on = None
        stage.pauses = []
        stage.respond_from = day
        state.status = "investigating"


class Withdrawn(Event):
    type: Literal["withdrawn"]

    def apply(self, state: State, day: date, clock: Terms) -> None:
        require(
            state.is_open or state.status == "responded",
            f"cannot withdraw it: the complaint is {state.status}",
        )
        stop(state.stage, day)
        state.status = "withdrawn"


class Surveyed(Event):
    type: Literal["surveyed"]
    score: Annotated[int, Field(ge=1, le=5), WHOLE]

    options = (Option("score", "score", kind="number", low=1, high=5),)

    def apply(self, state: State, day: date, clock: Terms) -> None:
        state.scores.append(self.score)


# Cancels an earlier event recorded in error: `fold` leaves the retracted one out, so the
# retraction itself changes nothing.
class Retracted(Event):
    type: Literal["retracted"]
    event: NonNegativeWholeNumber
    reason: Text

    options = (
        Option(
            "event",
            "event",
            kind="number",
            low=0,
            help="The event to retract (its [number] in `show`).",
        ),
        REASON,
    )


class Erased(Event):
    type: Literal["erased"]

    def apply(self, state: State, day: date, clock: Terms) -> None:
        state.erased = True


class Note(Event):
    type: Literal["note"]
    note: Text


AnyEvent = Annotated[
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
"""Any one event, as a complaint file holds it: the model is chosen by `type`."""

EVENT_TYPES: dict[str, type[Event]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls  # the Literal's one value
    for cls in get_args(get_args(AnyEvent)[0])
}
"""Each event type's name, as written in files, and its model, in the order above."""

_COMMON = ("at", "by", "note", "late", "type")


def shown_fields(event_type: str) -> tuple[str, ...]:
    """The fields that tell one event of `event_type` from another, in the order its class
    declares them, then why it was recorded late and the note: what `show` and `history`
    print after the type."""
    model = EVENT_TYPES.get(event_type)
    own = tuple(name for name in model.model_fields if name not in _COMMON) if model else ()
    return (*own, "late", "note")
