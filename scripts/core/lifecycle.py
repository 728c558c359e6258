"""A complaint's status and deadlines, folded from its events.

Nothing here is stored: every answer is worked out again from the complaint file, the
policy and a date ("as of"). Events are taken in order of `at` (ties keep the order of the
list), retracted ones left out, those after the as-of date not yet happened. Each event
type has one small function that checks it makes sense now and applies it; one that makes
no sense (a response to a closed complaint, say) is not applied and becomes a problem.

The deadline rules are DESIGN.md section 4's, exactly; see `Stage` for how a due date is made.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from complaints_register.schema import Complaint, Policy
from complaints_register.schema.events import Priority

OPEN = ("new", "acknowledged", "investigating", "awaiting-complainant", "escalated")
FINAL = ("referred", "withdrawn")
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


class Clock:
    """The policy's targets on the organisation's calendar."""

    def __init__(self, policy: Policy, calendar):
        self.targets = policy.targets
        self.calendar = calendar

    def acknowledge_due(self, stage: Stage) -> date:
        return self.calendar.add(stage.started, self.targets.stage(stage.number).acknowledge)

    def respond_due(self, stage: Stage, as_of: date) -> date:
        """The response due date; an open pause counts as if it ended on `as_of`."""
        if stage.extended_to is not None:
            # The extended date was set knowing the pauses so far: only later ones count.
            anchor, days, counted_from = stage.extended_to, 0, stage.extended_on
        else:
            anchor, counted_from = stage.respond_from, stage.respond_from
            days = getattr(self.targets.stage(stage.number).respond, stage.priority)
        for start, end in stage.pauses:
            days += self.calendar.count(max(start, counted_from), end or as_of)
        return self.calendar.add(anchor, days)

    def latest_extension(self, stage: Stage, as_of: date) -> date:
        return self.calendar.add(self.respond_due(stage, as_of), self.targets.max_extension)

    def very_overdue_from(self, due: date) -> date:
        return self.calendar.add(due, self.targets.very_overdue_after)


def fold(complaint: Complaint, policy: Policy, calendar, as_of: date | None = None) -> State:
    """The complaint's state as of `as_of` (every event, when None)."""
    clock = Clock(policy, calendar)
    received = calendar.local_date(complaint.received)
    state = State(category=complaint.category)
    state.stages.append(Stage(1, received, "normal", respond_from=received))
    for index, event, day in _in_order(complaint, calendar, state):
        if as_of is not None and day > as_of:
            continue
        try:
            _APPLY[event.type](state, event, day, clock)
        except Refused as refusal:
            state.problems.append((index, str(refusal)))
    state.problems.sort()
    return state


def _in_order(complaint: Complaint, calendar, state: State):
    """(index, event, local date) of the events that count, in the order they happened."""
    retracted = _retracted(complaint.events, state)
    keyed = []
    last_time: dict[date, time] = {}
    for index, event in enumerate(complaint.events):
        day = calendar.local_date(event.at)
        if isinstance(event.at, datetime):
            moment = calendar.local_time(event.at)
            last_time[day] = moment
        else:
            # A bare date sorts after the timed events listed before it on the same day.
            moment = last_time.get(day, time.min)
        if index not in retracted:
            keyed.append(((day, moment, index), event))
    keyed.sort(key=lambda pair: pair[0])
    return [(key[2], event, key[0]) for key, event in keyed]


def _retracted(events: list, state: State) -> set[int]:
    retracted: set[int] = set()
    for index, event in enumerate(events):
        if event.type != "retracted":
            continue
        target = event.event
        if target >= index:
            state.problems.append(
                (index, f"retracts event {target}, which is not an earlier event")
            )
        elif events[target].type == "retracted":
            state.problems.append((index, "a retraction cannot be retracted: log the event again"))
        elif target in retracted:
            state.problems.append((index, f"event {target} is already retracted"))
        else:
            retracted.add(target)
    return retracted


# One function per event type: check that it makes sense now, then apply it.


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise Refused(message)


def _require_open(state: State, doing: str) -> None:
    _require(state.is_open, f"cannot {doing}: the complaint is {state.status}")


def _acknowledged(state: State, event, day: date, clock: Clock) -> None:
    _require_open(state, "acknowledge it")
    stage = state.stage
    _require(
        stage.acknowledged is None,
        f"stage {stage.number} was already acknowledged on {stage.acknowledged}",
    )
    _finish_acknowledgement(stage, day, clock)
    state.status = "acknowledged"


def _finish_acknowledgement(stage: Stage, day: date, clock: Clock) -> None:
    stage.acknowledged = day
    if day > clock.acknowledge_due(stage):
        stage.late.append("acknowledge")


def _assessed(state: State, event, day: date, clock: Clock) -> None:
    _require_open(state, "assess it")
    stage = state.stage
    if event.handler is not None:
        _require_independent(state, event.handler)
        stage.handler = event.handler
        stage.handlers.append(event.handler)
    stage.priority = event.priority
    if event.category is not None:
        state.category = event.category
    if state.status in ("new", "acknowledged"):
        state.status = "investigating"


def _require_independent(state: State, handler: str) -> None:
    if state.stage.number == 2:
        _require(handler not in state.stages[0].handlers, _not_independent(handler))


def _not_independent(handler: str) -> str:
    return f"{handler} handled stage 1, so cannot review it at stage 2 (objectivity)"


def _info_requested(state: State, event, day: date, clock: Clock) -> None:
    _require_open(state, "request information")
    _require(not state.stage.paused, "information was already requested and not yet received")
    state.stage.pauses.append((day, None))
    state.status = "awaiting-complainant"


def _info_received(state: State, event, day: date, clock: Clock) -> None:
    stage = state.stage
    _require(
        stage.paused and state.is_open,
        "no information was requested (log info-requested first): the clock is not paused",
    )
    _end_pause(stage, day)
    state.status = "investigating"


def _end_pause(stage: Stage, day: date) -> None:
    start, _ = stage.pauses[-1]
    stage.pauses[-1] = (start, day)


def _extended(state: State, event, day: date, clock: Clock) -> None:
    _require_open(state, "extend the response date")
    stage = state.stage
    current = clock.respond_due(stage, day)
    latest = clock.latest_extension(stage, day)
    _require(
        event.due > current,
        f"the new date {event.due} is not later than the response due date {current}",
    )
    _require(
        event.due <= latest,
        f"{event.due} is further than the policy allows: at most"
        f" {clock.targets.max_extension} days after {current}, that is by {latest}",
    )
    stage.extended_to = event.due
    stage.extended_on = day


def _responded(state: State, event, day: date, clock: Clock) -> None:
    _require_open(state, "respond")
    stage = state.stage
    if stage.paused:  # a response ends the wait for the complainant
        _end_pause(stage, day)
    if stage.acknowledged is None:  # a response acknowledges the complaint too
        _finish_acknowledgement(stage, day, clock)
    stage.responded = day
    if day > clock.respond_due(stage, day):
        stage.late.append("respond")
    stage.handlers.append(event.by)
    state.outcome = event.outcome
    state.status = "responded"


def _escalated(state: State, event, day: date, clock: Clock) -> None:
    _require(state.stage.number == 1, "already at stage 2: there is no further internal stage")
    _require(state.status not in FINAL, f"cannot escalate: the complaint is {state.status}")
    _require(event.handler not in state.stage.handlers, _not_independent(event.handler))
    _stop(state.stage, day)
    stage = Stage(
        2,
        day,
        state.stage.priority,
        handler=event.handler,
        handlers=[event.handler],
        respond_from=day,
    )
    state.stages.append(stage)
    state.status = "escalated"


def _stop(stage: Stage, day: date) -> None:
    if stage.paused:
        _end_pause(stage, day)
    stage.stopped = day


def _referred(state: State, event, day: date, clock: Clock) -> None:
    _require(state.status not in FINAL, f"cannot refer it: the complaint is {state.status}")
    _stop(state.stage, day)
    state.referred_to = event.to
    state.status = "referred"


def _closed(state: State, event, day: date, clock: Clock) -> None:
    _require(
        state.is_open or state.status == "responded",
        f"cannot close it: the complaint is {state.status}",
    )
    _stop(state.stage, day)
    state.satisfied = event.satisfied
    state.status = "closed"


def _reopened(state: State, event, day: date, clock: Clock) -> None:
    _require(not state.is_open, f"cannot reopen it: the complaint is {state.status}, not done")
    stage = state.stage
    stage.stopped = None
    stage.responded = None
    stage.extended_to = None
    stage.extended_on = None
    stage.pauses = []
    stage.respond_from = day
    state.status = "investigating"


def _withdrawn(state: State, event, day: date, clock: Clock) -> None:
    _require(
        state.is_open or state.status == "responded",
        f"cannot withdraw it: the complaint is {state.status}",
    )
    _stop(state.stage, day)
    state.status = "withdrawn"


def _surveyed(state: State, event, day: date, clock: Clock) -> None:
    state.scores.append(event.score)


def _erased(state: State, event, day: date, clock: Clock) -> None:
    state.erased = True


def _nothing(state: State, event, day: date, clock: Clock) -> None:
    """Events that record without changing the state (notes; retractions act before)."""


_APPLY: dict[str, Callable] = {
    "acknowledged": _acknowledged,
    "assessed": _assessed,
    "info-requested": _info_requested,
    "info-received": _info_received,
    "extended": _extended,
    "responded": _responded,
    "escalated": _escalated,
    "referred": _referred,
    "closed": _closed,
    "reopened": _reopened,
    "withdrawn": _withdrawn,
    "surveyed": _surveyed,
    "retracted": _nothing,
    "erased": _erased,
    "note": _nothing,
}
