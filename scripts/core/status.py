"""What a complaint looks like as of a date: the facts `show`, `list` and `overdue` print."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from complaints_register.core.lifecycle import ENDED, STEPS, Clock, Stage, State, fold
from complaints_register.schema import Complaint, Policy

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar


@dataclass
class StageFacts:
    """One stage's clocks as of a date. `due` is None for a step that is done or whose
    clock has stopped; `days_late` counts working days past due for overdue steps."""

    stage: int
    started: date
    priority: str
    handler: str | None
    paused: bool
    due: dict[str, date | None]
    done: dict[str, date | None]
    overdue: list[str]
    very_overdue: list[str]
    late: list[str]
    days_late: dict[str, int]

    def as_json(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "started": self.started.isoformat(),
            "priority": self.priority,
            "handler": self.handler,
            "paused": self.paused,
            "due": _iso(self.due),
            "done": _iso(self.done),
            "overdue": self.overdue,
            "very_overdue": self.very_overdue,
            "late": self.late,
        }


@dataclass
class Facts:
    """A complaint as of a date: the file's fields that lists and statistics show, the
    folded state, every stage. Small on purpose (no copy of the file's events and texts):
    `list`, `overdue` and `stats` hold, and the cache keeps, one for every complaint."""

    id: str
    received: datetime
    channel: str
    language: str
    contact: bool  # the file still holds the complainant's contact block
    state: State
    stages: list[StageFacts]
    as_of: date

    @property
    def current(self) -> StageFacts:
        return self.stages[-1]

    @property
    def next_due(self) -> tuple[str, date] | None:
        """The step due next in the current stage, and its date."""
        pending = [(d, step) for step, d in self.current.due.items() if d is not None]
        return (min(pending)[1], min(pending)[0]) if pending else None

    def as_json(self) -> dict[str, object]:
        """The object `show --format json` prints (DESIGN.md section 5)."""
        current = self.current.as_json()
        return {
            "id": self.id,
            "as_of": self.as_of.isoformat(),
            "status": self.state.status,
            "stage": current["stage"],
            "priority": current["priority"],
            "handler": current["handler"],
            "category": self.state.category,
            "channel": self.channel,
            "language": self.language,
            "received": self.received.isoformat(),
            "paused": current["paused"],
            "due": current["due"],
            "done": current["done"],
            "overdue": current["overdue"],
            "very_overdue": current["very_overdue"],
            "late": current["late"],
            "stages": [stage.as_json() for stage in self.stages],
        }


def facts(complaint: Complaint, policy: Policy, calendar: "Calendar", as_of: date) -> Facts:
    """Fold the complaint as of `as_of` and read every stage's clocks."""
    clock = Clock(policy, calendar)
    state = fold(complaint, policy, calendar, as_of)
    stages = [stage_facts(stage, clock, as_of) for stage in state.stages]
    complainant = complaint.complainant
    return Facts(
        complaint.id,
        complaint.received,
        complaint.channel,
        complaint.language,
        bool(complainant and complainant.contact),
        state,
        stages,
        as_of,
    )


def due_dates(stage: Stage, clock: Clock, as_of: date) -> dict[str, date | None]:
    """When each step of `stage` is due as of `as_of`, by the Clock; None for a step that
    is done or whose clock has stopped."""
    running = stage.stopped is None
    return {
        "acknowledge": clock.acknowledge_due(stage) if running and not stage.acknowledged else None,
        "respond": clock.respond_due(stage, as_of) if running and not stage.responded else None,
    }


def stage_facts(
    stage: Stage, clock: Clock, as_of: date, due: dict[str, date | None] | None = None
) -> StageFacts:
    """One stage's facts as of `as_of`; `due`: its `due_dates` for that date, when known
    (`core.facts` keeps those no date changes)."""
    if due is None:
        due = due_dates(stage, clock, as_of)
    overdue: list[str] = []
    very: list[str] = []
    days_late: dict[str, int] = {}
    for step in STEPS:
        step_due = due[step]
        if step_due is None or as_of <= step_due:
            continue
        if step == "respond" and stage.paused:
            continue  # a paused complaint is never response-overdue
        overdue.append(step)
        days_late[step] = clock.calendar.working_days_between(step_due, as_of)
        if as_of > clock.very_overdue_from(step_due, stage.started):
            very.append(step)
    return StageFacts(
        stage=stage.number,
        started=stage.started,
        priority=stage.priority,
        handler=stage.handler,
        paused=stage.paused,
        due=dict(due),
        done={"acknowledged": stage.acknowledged, "responded": stage.responded},
        overdue=overdue,
        very_overdue=very,
        late=list(stage.late),
        days_late=days_late,
    )


def _iso(dates: dict[str, date | None]) -> dict[str, str | None]:
    return {key: value.isoformat() if value else None for key, value in dates.items()}


@dataclass
class Overdue:
    """One overdue step of one complaint: nothing confidential (no summary, no complainant)."""

    id: str
    category: str
    stage: int
    handler: str | None
    step: str
    due: date
    days_late: int
    very: bool

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "category": self.category,
            "stage": self.stage,
            "handler": self.handler,
            "step": self.step,
            "due": self.due.isoformat(),
            "days_late": self.days_late,
            "level": "very overdue" if self.very else "overdue",
        }


def overdue(all_facts: list[Facts]) -> list[Overdue]:
    """Every overdue step, the most overdue first."""
    found = [_overdue_step(f, step) for f in all_facts for step in f.current.overdue]
    return sorted(found, key=lambda o: (-o.days_late, o.due, o.id, o.step))


def _overdue_step(f: Facts, step: str) -> Overdue:
    due = f.current.due[step]
    assert due is not None  # an overdue step has a due date (see _stage_facts)
    return Overdue(
        f.id,
        f.state.category,
        f.current.stage,
        f.current.handler,
        step,
        due,
        f.current.days_late[step],
        step in f.current.very_overdue,
    )


def listed(
    f: Facts, status: str, overdue: bool, due_within: int | None, calendar: "Calendar", day: date
) -> bool:
    """Whether `complaints list` shows the complaint: `status` is one status, "open" (every
    complaint whose handling has not ended) or "all"; `overdue` keeps only those with an
    overdue step; `due_within` only those with a step due within that many working days."""
    if status == "open" and f.state.status in ENDED:
        return False
    if status not in ("open", "all") and f.state.status != status:
        return False
    if overdue and not f.current.overdue:
        return False
    if due_within is not None:
        return any(
            due is not None and due >= day and calendar.working_days_between(day, due) <= due_within
            for due in f.current.due.values()
        )
    return True
