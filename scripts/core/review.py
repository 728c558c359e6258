"""The management review: what the complaints of a period say, for the people who run the
organisation (ISO 10002's "management review"). Internal: it names handlers and owners.

Pure: every complaint received by the period's last day in, folded as of that day, figures
out; `complaints
report` and `complaints_register.views.review` turn them into a document. Working the figures out as of
the last day makes a past period's report the same whenever it is run, whatever was recorded
since.

What each figure counts (the report's readers are told the same):
* volumes: complaints received in each month of the period; responses, closures and
  escalations recorded in it;
* timeliness: each step (acknowledge, respond) of each stage done in the period, within its
  target or late by the deadline rules, and the working days it took from the clock's start
  (the date of receipt, of escalation, or of reopening for a response), waiting for the
  complainant included; and the steps overdue on the last day;
* outcomes, remedies, escalations, referrals, closures and survey scores: the events of
  those types dated in the period (retracted ones left out);
* categories and recurring problems: the complaints received in the period, by their
  category as assessed; a category recurs when it was complained about in two or more
  consecutive months of the period;
* handlers: steps done late in the period, and steps overdue on the last day, by the
  handler of the stage ("unassigned" before one is named);
* improvement actions: those open at any time in the period, with their state on its last day.
"""

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, get_args

from complaints_register.core.actions import ActionFacts, all_action_facts
from complaints_register.core.figures import median, months_from, percentile_90, share
from complaints_register.core.lifecycle import ENDED, STEPS
from complaints_register.core.status import Facts, overdue
from complaints_register.core.status import facts as facts_as_of
from complaints_register.schema import Action, AnyEvent, Complaint, Policy
from complaints_register.schema.events import Outcome

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

OUTCOMES = get_args(Outcome)
UNASSIGNED = "unassigned"
VITAL_SHARE = 0.8
"""Pareto: the categories that together make up this share of complaints come first."""

InPeriod = tuple[Facts, date, int, AnyEvent]
"""An event that counts, dated in the period: (its complaint's facts, local date, stage, event)."""


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def months(self) -> list[str]:
        """Every month the period touches, as YYYY-MM."""
        return months_from(f"{self.start:%Y-%m}", self.end)


@dataclass
class Month:
    month: str
    received: int = 0
    responded: int = 0
    closed: int = 0
    escalated: int = 0


@dataclass
class Timeliness:
    """One step of one stage: done in the period, and overdue on its last day."""

    stage: int
    step: str
    within_target: list[bool] = field(default_factory=list)
    """For each step done in the period, whether it was done within its target."""
    days: list[int] = field(default_factory=list)
    overdue: int = 0
    very_overdue: int = 0

    @property
    def done(self) -> int:
        return len(self.within_target)

    @property
    def within(self) -> int:
        return sum(self.within_target)

    @property
    def share(self) -> int | None:
        """Per cent within target (the public statistics' rounding), None for none done."""
        return share(self.within_target) if self.within_target else None

    @property
    def median(self) -> int | float | None:
        return median(self.days) if self.days else None

    @property
    def p90(self) -> int | None:
        """The nearest-rank 90th percentile, as the public statistics compute it."""
        return percentile_90(self.days) if self.days else None


@dataclass
class CategoryShare:
    category: str
    count: int
    share: int
    """Per cent of the complaints received in the period."""
    cumulative: int
    """Per cent, with the categories ranked above it."""
    vital: bool
    """Among the few categories that make up `VITAL_SHARE` of complaints."""


@dataclass
class Recurring:
    category: str
    by_month: dict[str, int]
    """Complaints in each month of the period (0 included)."""
    run: int
    """The most consecutive months with at least one complaint."""


@dataclass
class HandlerLateness:
    handler: str
    late_acknowledgements: int = 0
    late_responses: int = 0
    overdue: int = 0
    very_overdue: int = 0
    complaints: set[str] = field(default_factory=set)


@dataclass
class Review:
    organisation: str
    period: Period
    months: list[Month]
    received: int
    open_at_end: int
    timeliness: list[Timeliness]
    outcomes: dict[int, Counter[str]]
    """Responses in the period by stage, then outcome."""
    remedies: Counter[str]
    categories: list[CategoryShare]
    recurring: list[Recurring]
    escalated: list[str]
    referred: dict[str, list[str]]
    """Complaints referred in the period, by external body."""
    satisfied: Counter[bool | None]
    """Closures in the period by `satisfied`: True, False, None (not known)."""
    scores: list[int]
    handlers: list[HandlerLateness]
    actions: list[ActionFacts]
    actions_opened: int
    actions_done: int


def percent(part: int, total: int) -> int:
    """`part` of `total` in per cent, rounded half up as `complaints_register.core.figures.share` does."""
    return math.floor(100 * part / total + 0.5)


def review(
    complaints: list[Complaint],
    actions: list[Action],
    policy: Policy,
    calendar: "Calendar",
    period: Period,
) -> Review:
    """The review of `period` from every complaint, as of its last day."""
    complaints = [c for c in complaints if calendar.local_date(c.received) <= period.end]
    pairs = [(c, facts_as_of(c, policy, calendar, period.end)) for c in complaints]
    found = [f for _, f in pairs]
    received = [f for f in found if calendar.local_date(f.received) in period]
    events: list[InPeriod] = [
        (f, day, stage, e)
        for c, f in pairs
        for day, stage, e in counted_events(c, f, calendar)
        if day in period
    ]
    action_facts = [
        a
        for a in all_action_facts(actions, policy, calendar, period.end)
        if a.done is None or a.done >= period.start
    ]
    return Review(
        organisation=policy.organisation,
        period=period,
        months=_months(received, events, period, calendar),
        received=len(received),
        open_at_end=sum(f.state.status not in ENDED for f in found),
        timeliness=_timeliness(found, period, calendar),
        outcomes=_outcomes(events),
        remedies=Counter(r for _, _, _, e in events if e.type == "responded" for r in e.remedies),
        categories=pareto(Counter(f.state.category for f in received)),
        recurring=_recurring(received, period, calendar),
        escalated=sorted({f.id for f, _, _, e in events if e.type == "escalated"}),
        referred=_referred(events),
        satisfied=Counter(e.satisfied for _, _, _, e in events if e.type == "closed"),
        scores=[e.score for _, _, _, e in events if e.type == "surveyed"],
        handlers=_handlers(found, period),
        actions=action_facts,
        actions_opened=sum(a.action.opened in period for a in action_facts),
        actions_done=sum(a.done is not None and a.done in period for a in action_facts),
    )


def counted_events(
    complaint: Complaint, f: Facts, calendar: "Calendar"
) -> Iterator[tuple[date, int, AnyEvent]]:
    """(local date, stage, event) for each event of `complaint` that counts as of the date of
    its facts `f`: not retracted, not refused, not after the date; in the order they happened."""
    left_out = {e.event for e in complaint.events if e.type == "retracted"}
    left_out |= {index for index, _ in f.state.problems}
    dated = sorted(
        (calendar.local_date(e.at), index, e)
        for index, e in enumerate(complaint.events)
        if index not in left_out
    )
    stage = 1
    for day, _, event in dated:
        if day > f.as_of:
            break
        if event.type == "escalated":
            stage = 2
        yield day, stage, event


def pareto(counts: Counter[str]) -> list[CategoryShare]:
    """Categories, most complained about first, with their share and cumulative share."""
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shares: list[CategoryShare] = []
    running = 0
    for category, count in ranked:
        vital = running / total < VITAL_SHARE  # those needed to reach the vital share
        running += count
        shares.append(
            CategoryShare(category, count, percent(count, total), percent(running, total), vital)
        )
    return shares


def _months(
    received: list[Facts], events: list[InPeriod], period: Period, calendar: "Calendar"
) -> list[Month]:
    months = {m: Month(m) for m in period.months}
    for f in received:
        months[f"{calendar.local_date(f.received):%Y-%m}"].received += 1
    for _, day, _, event in events:
        if event.type in ("responded", "closed", "escalated"):
            counter = months[f"{day:%Y-%m}"]
            setattr(counter, event.type, getattr(counter, event.type) + 1)
    return list(months.values())


def _timeliness(facts: list[Facts], period: Period, calendar: "Calendar") -> list[Timeliness]:
    rows = {(stage, step): Timeliness(stage, step) for stage in (1, 2) for step in STEPS}
    for f in facts:
        for stage, stage_facts in zip(f.state.stages, f.stages, strict=True):
            steps = {
                "acknowledge": (stage.started, stage.acknowledged),
                "respond": (stage.respond_from, stage.responded),
            }
            for step, (start, done) in steps.items():
                row = rows[(stage.number, step)]
                if done is not None and done in period:
                    assert start is not None  # every stage's response clock has a start
                    row.within_target.append(step not in stage_facts.late)
                    row.days.append(calendar.working_days_between(start, done))
                row.overdue += step in stage_facts.overdue
                row.very_overdue += step in stage_facts.very_overdue
    return list(rows.values())


def _outcomes(events: list[InPeriod]) -> dict[int, Counter[str]]:
    found: dict[int, Counter[str]] = {1: Counter(), 2: Counter()}
    for _, _, stage, event in events:
        if event.type == "responded":
            found[stage][event.outcome] += 1
    return found


def _recurring(received: list[Facts], period: Period, calendar: "Calendar") -> list[Recurring]:
    by_category: dict[str, Counter[str]] = {}
    for f in received:
        month = f"{calendar.local_date(f.received):%Y-%m}"
        by_category.setdefault(f.state.category, Counter())[month] += 1
    found = []
    for category, counts in by_category.items():
        run = longest_run([counts[m] > 0 for m in period.months])
        if run >= 2:
            found.append(Recurring(category, {m: counts[m] for m in period.months}, run))
    return sorted(found, key=lambda r: (-r.run, -sum(r.by_month.values()), r.category))


def longest_run(flags: list[bool]) -> int:
    best = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        best = max(best, current)
    return best


def _referred(events: list[InPeriod]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f, _, _, event in events:
        if event.type == "referred":
            found.setdefault(event.to, []).append(f.id)
    return {body: sorted(ids) for body, ids in sorted(found.items())}


def _handlers(facts: list[Facts], period: Period) -> list[HandlerLateness]:
    found: dict[str, HandlerLateness] = {}

    def row(handler: str | None) -> HandlerLateness:
        name = handler or UNASSIGNED
        return found.setdefault(name, HandlerLateness(name))

    for f in facts:
        for stage, stage_facts in zip(f.state.stages, f.stages, strict=True):
            for step, done, attribute in (
                ("acknowledge", stage.acknowledged, "late_acknowledgements"),
                ("respond", stage.responded, "late_responses"),
            ):
                if done is not None and done in period and step in stage_facts.late:
                    late = row(stage.handler)
                    setattr(late, attribute, getattr(late, attribute) + 1)
                    late.complaints.add(f.id)
    for overdue_step in overdue(facts):
        late = row(overdue_step.handler)
        late.overdue += 1
        late.very_overdue += overdue_step.very
        late.complaints.add(overdue_step.id)
    return sorted(
        found.values(),
        key=lambda h: (-(h.late_acknowledgements + h.late_responses + h.overdue), h.handler),
    )
