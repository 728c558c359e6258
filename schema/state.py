"""What a complaint's events make of it: its state as of a date, and the few rules that
several event types share.

The state is never stored: `complaints_register.core.lifecycle.fold` builds it again from
the events each time, calling each event's `apply` in the order the events happened. The
state lives here, beside the events, so that an event type is defined in one place: its
fields, its rule against the state and its effect on it (as git-bug's operations are).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

Priority = Literal["normal", "urgent"]

OPEN = ("new", "acknowledged", "investigating", "awaiting-complainant", "escalated")
FINAL = ("referred", "withdrawn")
ENDED = ("closed",) + FINAL
"""The statuses in which the handling has ended (until the complaint is reopened)."""
STATUSES = OPEN + ("responded", "closed") + FINAL
STEPS = ("acknowledge", "respond")


class Refused(Exception):
    """An event that makes no sense in the complaint's state, in words for its officer."""


@dataclass
class Stage:
    """One stage (1: the first response; 2: the internal review) and its two clocks.

    The response is due `target` counting days after `respond_from` (day zero), plus every
    counting day the clock was paused; an extension replaces the target date, and pauses
    after it push the extended date out in turn.
    """

    number: int
    started: date
    priority: Priority
    handler: str | None = None
    handlers: list[str] = field(default_factory=list)
    """Everyone who handled the stage: assigned handlers and whoever responded."""
    acknowledged: date | None = None
    responded: date | None = None
    respond_from: date | None = None
    extended_to: date | None = None
    extended_on: date | None = None
    pauses: list[tuple[date, date | None]] = field(default_factory=list)
    stopped: date | None = None
    late: list[str] = field(default_factory=list)

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None


@dataclass
class State:
    """A complaint as of one date."""

    status: str = "new"
    category: str = ""
    stages: list[Stage] = field(default_factory=list)
    satisfied: bool | None = None
    scores: list[int] = field(default_factory=list)
    referred_to: str | None = None
    outcome: str | None = None
    erased: bool = False
    problems: list[tuple[int, str]] = field(default_factory=list)
    """(index of the event in the file, why it was not applied)"""

    @property
    def stage(self) -> Stage:
        return self.stages[-1]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class Terms(Protocol):
    """What an event's rule needs from the policy: due dates, the extension cap, whether
    final is final, and who is who (`core.lifecycle.Clock` provides them)."""

    reopen_after_final: bool

    def max_extension(self, stage: Stage) -> int: ...

    def acknowledge_due(self, stage: Stage) -> date: ...

    def respond_due(self, stage: Stage, as_of: date, extended: bool = True) -> date: ...

    def latest_extension(self, stage: Stage, as_of: date) -> date: ...

    def person(self, name: str) -> str: ...


# Rules and effects that more than one event type uses.


def require(condition: bool, message: str) -> None:
    """Refuse the event with `message` unless `condition` holds."""
    if not condition:
        raise Refused(message)


def require_open(state: State, doing: str) -> None:
    require(state.is_open, f"cannot {doing}: the complaint is {state.status}")


def not_independent(handler: str) -> str:
    return f"{handler} handled stage 1, so cannot review it at stage 2 (objectivity)"


def require_independent(state: State, handler: str, clock: Terms) -> None:
    """Objectivity: nobody who handled or answered stage 1 works on stage 2. People are
    compared, not spellings (`Terms.person`)."""
    stage1 = {clock.person(name) for name in state.stages[0].handlers}
    require(clock.person(handler) not in stage1, not_independent(handler))


def finish_acknowledgement(stage: Stage, day: date, clock: Terms) -> None:
    stage.acknowledged = day
    if day > clock.acknowledge_due(stage):
        stage.late.append("acknowledge")


def end_pause(stage: Stage, day: date) -> None:
    start, _ = stage.pauses[-1]
    stage.pauses[-1] = (start, day)


def stop(stage: Stage, day: date) -> None:
    """Stop the stage's clocks (closing, escalating, referring, withdrawing)."""
    if stage.paused:
        end_pause(stage, day)
    stage.stopped = day
