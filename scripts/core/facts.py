"""What a complaint's events say whatever the date, and a date's flags worked out from it.

`status.facts` folds a complaint as of one date. But once the date is on or after the day
of the complaint's last event (`Settled.since`), the fold is the same whatever the date:
every event counts. What still depends on the date is little: whether a step is overdue
(and how many working days, and whether very overdue), and the response date of a stage
whose clock is paused (an open pause counts up to the date). So `settle` folds a complaint
once, asks the Clock for every due date that the date cannot change, and `Settled.on`
works out a date's flags from that in microseconds: the first `overdue` of a new day
reads no complaint file. A complaint whose clocks have all stopped needs nothing per date.

The due dates are the Clock's own (`status.due_dates`, and `status.stage_facts` with the
dates `settle` got from it): a change to the deadline rules reaches these facts as it reaches `show`. A due date is
kept as fixed only when the Clock gives the same date for two far-apart dates; otherwise it
is asked of the Clock again for each date.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from complaints_register.core.lifecycle import Clock, Stage, State, fold
from complaints_register.core.status import Facts, StageFacts, due_dates, stage_facts
from complaints_register.schema import Complaint, Policy

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

PROBE = timedelta(days=400)
"""How far after `since` a due date is asked for again, to tell a fixed one from one that
moves with the date (a paused clock counts every working day up to the date)."""


@dataclass
class Settled:
    """A complaint as of any date from `since` on: the fold of all its events, and the
    due dates of each stage that no later date changes (None: asked again each date)."""

    id: str
    received: datetime
    received_day: date
    channel: str
    language: str
    contact: bool
    since: date
    state: State
    due: list[dict[str, date | None] | None]
    """Each stage's due dates (`stage_facts`' `due`), or None where one moves with the date."""
    stopped: list[StageFacts] | None
    """When no stage has a due date: the stages' facts, the same on every date."""

    def on(self, clock: Clock, as_of: date) -> Facts:
        """The complaint's facts as of `as_of`, which must be `since` or later: what
        `status.facts` gives for that date."""
        if as_of < self.since:
            raise ValueError(f"{self.id}: facts settled since {self.since}, not {as_of}")
        if self.stopped is not None:
            stages = self.stopped
        else:
            stages = [
                stage_facts(stage, clock, as_of, due)
                for stage, due in zip(self.state.stages, self.due, strict=True)
            ]
        return Facts(
            self.id,
            self.received,
            self.channel,
            self.language,
            self.contact,
            self.state,
            stages,
            as_of,
        )


def settle(complaint: Complaint, policy: Policy, calendar: "Calendar") -> Settled:
    """What `complaint`'s events say whatever the date (from the day of its last event)."""
    clock = Clock(policy, calendar)
    received_day = calendar.local_date(complaint.received)
    since = max([received_day] + [calendar.local_date(event.at) for event in complaint.events])
    state = fold(complaint, policy, calendar)
    dues = [_fixed_due(stage, clock, since) for stage in state.stages]
    stopped = None
    if all(due is not None and not any(due.values()) for due in dues):
        stopped = [
            stage_facts(stage, clock, since, due)
            for stage, due in zip(state.stages, dues, strict=True)
        ]
    complainant = complaint.complainant
    return Settled(
        complaint.id,
        complaint.received,
        received_day,
        complaint.channel,
        complaint.language,
        bool(complainant and complainant.contact),
        since,
        state,
        dues,
        stopped,
    )


def _fixed_due(stage: Stage, clock: Clock, since: date) -> dict[str, date | None] | None:
    """The stage's due dates on every date from `since` on, as the Clock gives them; None
    when the Clock gives another for a later date (or cannot say, at the end of time)."""
    try:
        first = due_dates(stage, clock, since)
        later = due_dates(stage, clock, since + PROBE)
    except (ArithmeticError, ValueError):  # near the year 9999: asked again each date
        return None
    return first if first == later else None
