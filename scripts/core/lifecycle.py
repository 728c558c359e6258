"""A complaint's status and deadlines, folded from its events.

Nothing here is stored: every answer is worked out again from the complaint file, the
policy and a date ("as of"). Events are taken in order of `at` (ties keep the order of the
list), retracted ones left out, those after the as-of date not yet happened. Each event
type's `apply` (in `complaints_register.schema.events`) checks that it makes sense now and
applies it; one that makes no sense (a response to a closed complaint, say) is not applied
and becomes a problem.

The deadline rules are DESIGN.md section 4's, exactly; see `Stage` for how a due date is made.
"""

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from complaints_register.core.people import person
from complaints_register.schema import AnyEvent, Complaint, Policy
from complaints_register.schema.policy import StageTargets, Targets
from complaints_register.schema.state import (
    ENDED,
    FINAL,
    OPEN,
    STATUSES,
    STEPS,
    Refused,
    Stage,
    State,
)

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

__all__ = [
    "ENDED",
    "FINAL",
    "OPEN",
    "STATUSES",
    "STEPS",
    "Clock",
    "Refused",
    "Stage",
    "State",
    "fold",
    "retracted",
]


class Clock:
    """The policy's terms on the organisation's calendar. A stage's clocks follow the
    targets in force on the day the stage started (receipt, or escalation), for good: a
    later version of the policy changes no date that was already due."""

    def __init__(self, policy: Policy, calendar: "Calendar"):
        self.policy = policy
        self.calendar = calendar
        self.reopen_after_final = policy.reopen_after_final
        self._targets: dict[date, Targets] = {}  # looking them up is not cheap

    def targets(self, started: date) -> Targets:
        """The targets of a stage (or an action) that started on `started`."""
        found = self._targets.get(started)
        if found is None:
            found = self._targets[started] = self.policy.targets_on(started)
        return found

    def stage_targets(self, stage: Stage) -> StageTargets:
        """The terms of `stage`: those of its number in the targets of its first day."""
        return self.targets(stage.started).stage(stage.number)

    def max_extension(self, stage: Stage) -> int:
        """The stage's own cap when it has one, else the targets' `max_extension`."""
        own = self.stage_targets(stage).max_extension
        return self.targets(stage.started).max_extension if own is None else own

    def acknowledge_unit(self, stage: Stage) -> str:
        """How the stage's acknowledgement days count: working, calendar, calendar-exact."""
        return self.stage_targets(stage).acknowledge_unit or self.calendar.days

    def respond_unit(self, stage: Stage) -> str:
        """How the stage's response days (pauses and extensions too) count."""
        return self.stage_targets(stage).respond.unit or self.calendar.days

    def acknowledge_due(self, stage: Stage) -> date:
        days = self.stage_targets(stage).acknowledge
        return self.calendar.add(stage.started, days, self.acknowledge_unit(stage))

    def respond_day_zero(self, stage: Stage) -> date:
        """The day the response clock starts (before extensions and pauses): the day the
        stage started (or was reopened); under `from: acknowledgement`, the day the stage
        was acknowledged, or was due to be if that is earlier or has not come yet (a late
        acknowledgement buys no time). A reopened stage counts from the day it reopened."""
        start = stage.respond_from or stage.started
        if self.stage_targets(stage).respond.counts_from != "acknowledgement":
            return start
        if start != stage.started:  # reopened: its response is due from that day
            return start
        due = self.acknowledge_due(stage)
        return due if stage.acknowledged is None else min(stage.acknowledged, due)

    def respond_due(self, stage: Stage, as_of: date, extended: bool = True) -> date:
        """The response due date; an open pause counts as if it ended on `as_of`. With
        `extended` False, the date the stage would have had without any extension."""
        unit = self.respond_unit(stage)
        days: int
        if extended and stage.extended_to is not None:
            # The extended date was set knowing the pauses so far: only later ones count.
            anchor, days = stage.extended_to, 0
            counted_from = stage.extended_on or stage.extended_to  # both set by `extended`
        else:
            anchor = counted_from = self.respond_day_zero(stage)
            respond = self.stage_targets(stage).respond
            days = getattr(respond, stage.priority)
        for start, end in stage.pauses:
            days += self.calendar.count(max(start, counted_from), end or as_of, unit)
        return self.calendar.add(anchor, days, unit)

    def latest_extension(self, stage: Stage, as_of: date) -> date:
        """The latest date extensions may move the response to: `max_extension` days after
        the date it would have had without any, however many extensions there are."""
        unextended = self.respond_due(stage, as_of, extended=False)
        return self.calendar.add(unextended, self.max_extension(stage), self.respond_unit(stage))

    def very_overdue_from(self, due: date, started: date) -> date:
        """The day after which a step due on `due` is very overdue; `started` is the day
        its stage (or action) started, which says which targets apply."""
        return self.calendar.add(due, self.targets(started).very_overdue_after)

    def person(self, name: str) -> str:
        """Who `name` is, for telling people apart (objectivity): see `core.people`."""
        return person(name, self.policy.staff)


def fold(
    complaint: Complaint, policy: Policy, calendar: "Calendar", as_of: date | None = None
) -> State:
    """The complaint's state as of `as_of` (every event, when None)."""
    clock = _clock(policy, calendar)
    received = calendar.local_date(complaint.received)
    state = State(category=complaint.category)
    state.stages.append(Stage(1, received, "normal", respond_from=received))
    cancelled, refused = retracted(complaint.events)
    state.problems += refused
    for index, event, day in _in_order(complaint, calendar, cancelled):
        if as_of is not None and day > as_of:
            continue
        try:
            event.apply(state, day, clock)
        except Refused as refusal:
            state.problems.append((index, str(refusal)))
    state.problems.sort()
    return state


_last_clock: Clock | None = None


def _clock(policy: Policy, calendar: "Calendar") -> Clock:
    """A clock for `policy` and `calendar`: the last one made, when it was made for these
    same objects, so that the targets it looked up for one complaint serve the next (a
    run folds thousands of complaints under one policy, which is frozen)."""
    global _last_clock
    clock = _last_clock
    if clock is None or clock.policy is not policy or clock.calendar is not calendar:
        clock = _last_clock = Clock(policy, calendar)
    return clock


def _in_order(
    complaint: Complaint, calendar: "Calendar", cancelled: set[int]
) -> list[tuple[int, AnyEvent, date]]:
    """(index, event, local date) of the events that count, in the order they happened."""
    keyed: list[tuple[tuple[date, time, int], AnyEvent]] = []
    last_time: dict[date, time] = {}
    for index, event in enumerate(complaint.events):
        day = calendar.local_date(event.at)
        if isinstance(event.at, datetime):
            moment = calendar.local_time(event.at)
            last_time[day] = moment
        else:
            # A bare date sorts after the timed events listed before it on the same day.
            moment = last_time.get(day, time.min)
        if index not in cancelled:
            keyed.append(((day, moment, index), event))
    keyed.sort(key=lambda pair: pair[0])
    return [(key[2], event, key[0]) for key, event in keyed]


def retracted(events: list[AnyEvent]) -> tuple[set[int], list[tuple[int, str]]]:
    """The indexes of the events that valid retractions cancel, and the retractions that are
    not valid: (index, why). `show` marks events "(retracted)" by this rule too."""
    cancelled: set[int] = set()
    problems: list[tuple[int, str]] = []
    for index, event in enumerate(events):
        if event.type != "retracted":
            continue
        target = event.event
        if target >= index:
            problems.append((index, f"retracts event {target}, which is not an earlier event"))
        elif events[target].type == "retracted":
            problems.append((index, "a retraction cannot be retracted: log the event again"))
        elif target in cancelled:
            problems.append((index, f"event {target} is already retracted"))
        else:
            cancelled.add(target)
    return cancelled, problems
