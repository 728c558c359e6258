"""The figures a regulator asks for, over a period (`complaints kpi`, DESIGN.md section 11).

Every complaint is folded as of the period's last day. Each regime's figures are one
function (`hos`, `spso`, `asic`, `fca`, `iso10002`) that returns tables of text cells:

* figures for publication (the Housing Ombudsman's CH01 and CH02 and the SPSO's
  indicators, which organisations publish) are protected as the published statistics are
  (`core.disclosure`): a count below the policy's `publication.min_count` is shown as
  "fewer than N", further counts are hidden where a total would give it away, and a share
  or average is given only over at least `publication.min_rate_base` cases;
* returns to a regulator (ASIC's IDR data, the FCA's complaints return) are exact, and say
  so: they are sent to the regulator, not published.

Days are counted as each code counts them: working days between receipt (or escalation)
and the response for the SPSO; calendar days for ASIC; business days and eight weeks for
the FCA. A stage is "closed" when it was responded to (the SPSO counts closed cases); a
complaint is closed for ASIC and the FCA when its handling ended (closed, referred or
withdrawn).
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, get_args

from complaints_register.core.disclosure import Relation, suppress
from complaints_register.core.lifecycle import ENDED, State, fold
from complaints_register.core.regimes import Regime, code_targets
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.events import Outcome

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

__all__ = ["ASIC_FIELDS", "Kpi", "Period", "Table", "kpi"]

OUTCOMES: tuple[str, ...] = get_args(Outcome)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Kpi:
    regime: str
    title: str
    period: Period
    exact: bool
    """True: a return to the regulator, exact counts; False: for publication, protected."""
    notice: str
    tables: list[Table]
    warnings: list[str] = field(default_factory=list)
    """For standard error: fields the register does not hold, figures it cannot give."""


@dataclass
class StageSeen:
    """One stage of one complaint as of the period's last day."""

    number: int
    started: date
    acknowledged: date | None
    responded: date | None
    late: list[str]
    outcome: str | None


@dataclass
class Seen:
    complaint: Complaint
    received: date
    state: State
    stages: list[StageSeen]
    ended: date | None
    """The day its handling ended (closed, referred, withdrawn), None while open."""


def seen(complaint: Complaint, policy: Policy, calendar: "Calendar", as_of: date) -> Seen:
    state = fold(complaint, policy, calendar, as_of)
    stages = []
    for stage in state.stages:
        outcome = None
        if stage.responded is not None:  # the outcome given by that stage's response
            outcome = fold(complaint, policy, calendar, stage.responded).outcome
        stages.append(
            StageSeen(
                stage.number,
                stage.started,
                stage.acknowledged,
                stage.responded,
                list(stage.late),
                outcome,
            )
        )
    ended = state.stage.stopped if state.status in ENDED else None
    received = calendar.local_date(complaint.received)
    return Seen(complaint, received, state, stages, ended)


# Protection for published figures.

Cell = tuple[str, str]


def protected(
    counts: dict[Cell, int], relations: list[Relation[Cell]], min_count: int
) -> dict[Cell, str]:
    """Each count as published: the number, or "fewer than N" / "hidden"."""
    hidden = suppress(counts, relations, min_count, zeros=True)
    shown = {}
    for cell, count in counts.items():
        if cell in hidden.small:
            shown[cell] = f"fewer than {min_count}"
        elif cell in hidden.hidden:
            shown[cell] = "hidden"
        else:
            shown[cell] = str(count)
    return shown


def percent_text(part: int, base: int, min_rate_base: int | None) -> str:
    """A share to one decimal place; withheld over fewer than `min_rate_base` cases."""
    if base == 0:
        return ""
    if min_rate_base is not None and base < min_rate_base:
        return f"not shown (fewer than {min_rate_base} cases)"
    return f"{100 * part / base:.1f}%"


def mean_text(values: list[int], min_rate_base: int | None) -> str:
    if not values:
        return ""
    if min_rate_base is not None and len(values) < min_rate_base:
        return f"not shown (fewer than {min_rate_base} cases)"
    return f"{sum(values) / len(values):.1f}"


PUBLISHED = (
    "For publication: counts below {min_count} are shown as 'fewer than {min_count}', other"
    " counts are hidden where they would give one away, and shares and averages are given"
    " only over at least {min_rate_base} cases (policy.yaml, publication)."
)
RETURN = (
    "A return to the regulator: exact counts, not protected for publication. Do not"
    " publish it as it is."
)


# The Housing Ombudsman (England).

HOS_PROVISIONS: tuple[tuple[str, str, str | None], ...] = (
    ("1.2", "A complaint is defined as in the Code and the policy uses that definition", None),
    ("3.1", "The complaints policy and procedure are published and accessible", None),
    ("5.1", "A complaint handling function and a member of the governing body responsible", None),
    ("6.2", "Stage 1 acknowledged and logged within 5 working days of receipt", "ack1"),
    ("6.3", "Stage 1 full response within 10 working days of the acknowledgement", "respond1"),
    ("6.4", "Stage 1 extensions no more than 10 working days, with the reason", "policy"),
    ("6.5", "The Ombudsman's details given when an extension is made", "policy"),
    ("6.10", "A complaint not resolved at stage 1 is progressed to stage 2", None),
    ("6.11", "Stage 2 acknowledged and logged within 5 working days of the request", "ack2"),
    ("6.13", "Stage 2 considered by a different person from stage 1", "objectivity"),
    ("6.15", "Stage 2 final response within 20 working days of the acknowledgement", "respond2"),
    ("6.16", "Stage 2 extensions no more than 20 working days, with the reason", "policy"),
    ("8.1", "Annual complaints performance and service improvement report published", None),
)
"""The self-assessment's provisions the register can speak to, and a few it cannot (the
Code's Appendix A has one row per provision: comply, evidence, commentary)."""


def hos(data: "Data") -> Kpi:
    policy, period, regime = data.policy, data.period, data.regime
    min_count, min_rate_base = policy.publication.min_count, policy.publication.min_rate_base
    counts: dict[Cell, int] = {}
    for number in (1, 2):
        stages = [s for c in data.seen for s in c.stages if s.number == number]
        received = [s for s in stages if s.started in period]
        answered = [s for s in stages if s.responded in period]
        on_time = [s for s in answered if "respond" not in s.late]
        counts[(f"stage{number}", "received")] = len(received)
        counts[(f"stage{number}", "answered")] = len(answered)
        counts[(f"stage{number}", "on time")] = len(on_time)
        counts[(f"stage{number}", "late")] = len(answered) - len(on_time)
    relations = [
        Relation((f"stage{n}", "answered"), ((f"stage{n}", "on time"), (f"stage{n}", "late")))
        for n in (1, 2)
    ]
    shown = protected(counts, relations, min_count)
    homes = policy.organisation.homes
    warnings = []
    if homes is None:
        warnings.append(
            "CH01 needs the number of homes: give it in policy.yaml as"
            " organisation: {name: ..., homes: N}"
        )
    ch01 = []
    for number in (1, 2):
        count = counts[(f"stage{number}", "received")]
        rate = ""
        if homes is not None and shown[(f"stage{number}", "received")] == str(count):
            rate = f"{1000 * count / homes:.1f}"
        elif homes is not None:
            rate = f"not shown (fewer than {min_count} complaints)"
        ch01.append([f"stage {number}", shown[(f"stage{number}", "received")], rate])
    ch02 = []
    for number in (1, 2):
        base = counts[(f"stage{number}", "answered")]
        ch02.append(
            [
                f"stage {number}",
                shown[(f"stage{number}", "answered")],
                shown[(f"stage{number}", "on time")],
                percent_text(counts[(f"stage{number}", "on time")], base, min_rate_base),
            ]
        )
    return Kpi(
        regime.name,
        regime.title,
        period,
        False,
        PUBLISHED.format(min_count=min_count, min_rate_base=min_rate_base),
        [
            Table(
                f"CH01: complaints received per 1,000 homes ({homes or 'homes not given'})",
                ["stage", "received", "per 1,000 homes"],
                ch01,
            ),
            Table(
                "CH02: complaints answered within the Code's timescales",
                ["stage", "answered", "within timescales", "share"],
                ch02,
            ),
            Table(
                "Self-assessment (the Code's Appendix A): comply, evidence, commentary",
                ["provision", "requirement", "comply", "evidence", "commentary"],
                _self_assessment(data),
            ),
        ],
        warnings,
    )


def _self_assessment(data: "Data") -> list[list[str]]:
    period = data.period
    rows = []
    for clause, requirement, shows in HOS_PROVISIONS:
        comply = evidence = ""
        if shows in ("ack1", "ack2", "respond1", "respond2"):
            number = int(shows[-1])
            step = "acknowledge" if shows.startswith("ack") else "respond"
            done = [
                s
                for c in data.seen
                for s in c.stages
                if s.number == number
                and (s.acknowledged if step == "acknowledge" else s.responded) in period
            ]
            late = sum(1 for s in done if step in s.late)
            if done:
                comply = "yes" if late == 0 else "no"
                evidence = f"the register: {len(done) - late} of {len(done)} on time"
            else:
                evidence = "the register: none in the period"
        elif shows == "policy":
            comply, evidence = (
                "yes",
                "policy.yaml names regime hos-2024; `complaints check` holds it",
            )
        elif shows == "objectivity":
            comply = "yes"
            evidence = "the register refuses a stage 2 handler who handled stage 1"
        rows.append([clause, requirement, comply, evidence, ""])
    return rows


# The Scottish Public Services Ombudsman.


def spso(data: "Data") -> Kpi:
    policy, period, regime = data.policy, data.period, data.regime
    min_count, min_rate_base = policy.publication.min_count, policy.publication.min_rate_base
    calendar = data.calendar
    counts: dict[Cell, int] = {}
    counts[("all", "received")] = sum(1 for c in data.seen if c.received in period)
    averages = {}
    limits = {1: 5, 2: 20}
    for number in (1, 2):
        closed = [
            s for c in data.seen for s in c.stages if s.number == number and s.responded in period
        ]
        days = [
            calendar.working_days_between(s.started, s.responded) for s in closed if s.responded
        ]
        within = sum(1 for d in days if d <= limits[number])
        counts[(f"stage{number}", "closed")] = len(closed)
        counts[(f"stage{number}", "within")] = within
        counts[(f"stage{number}", "beyond")] = len(closed) - within
        for outcome in OUTCOMES:
            counts[(f"stage{number}", outcome)] = sum(1 for s in closed if s.outcome == outcome)
        averages[number] = days
    relations: list[Relation[Cell]] = []
    for n in (1, 2):
        relations.append(
            Relation((f"stage{n}", "closed"), ((f"stage{n}", "within"), (f"stage{n}", "beyond")))
        )
        relations.append(
            Relation((f"stage{n}", "closed"), tuple((f"stage{n}", o) for o in OUTCOMES))
        )
    shown = protected(counts, relations, min_count)
    rows = [["complaints received", shown[("all", "received")], "", "", ""]]
    for number in (1, 2):
        total = counts[(f"stage{number}", "closed")]
        within = counts[(f"stage{number}", "within")]
        rows.append(
            [
                f"closed at stage {number}" + (" (after escalation)" if number == 2 else ""),
                shown[(f"stage{number}", "closed")],
                shown[(f"stage{number}", "within")],
                percent_text(within, total, min_rate_base),
                mean_text(averages[number], min_rate_base),
            ]
        )
    outcome_rows = [[f"stage {n}"] + [shown[(f"stage{n}", o)] for o in OUTCOMES] for n in (1, 2)]
    return Kpi(
        regime.name,
        regime.title,
        period,
        False,
        PUBLISHED.format(min_count=min_count, min_rate_base=min_rate_base),
        [
            Table(
                "Indicators: received, closed in full within 5 (stage 1) and 20 (stage 2)"
                " working days, average working days to a full response",
                [
                    "indicator",
                    "number",
                    "within 5 / 20 working days",
                    "% within",
                    "average working days",
                ],
                rows,
            ),
            Table(
                "Outcomes of the complaints closed, per stage", ["stage", *OUTCOMES], outcome_rows
            ),
        ],
        [],
    )


# ASIC's IDR data report (Australia).

ASIC_FIELDS: tuple[tuple[str, str | None], ...] = (
    ("complaint_id", "id"),
    ("brand_or_fund", None),
    ("complainant_type", None),
    ("complainant_gender", None),
    ("complainant_age", None),
    ("complainant_postcode", None),
    ("representative", None),
    ("received_date", "received"),
    ("received_channel", "channel"),
    ("status", "status"),
    ("closed_date", "closed"),
    ("days_to_close", "days"),
    ("product", None),
    ("issue", None),
    ("outcome", "outcome"),
    ("compensation_amount", None),
)
"""The IDR data dictionary's fields, in order, and what the register holds for each (None:
nothing; the column is left empty). The names follow ASIC's data dictionary as summarised
publicly (its own text was not retrieved): check them against the current dictionary."""


def asic(data: "Data") -> Kpi:
    period, regime = data.period, data.regime
    before = period.start - timedelta(days=1)
    rows = []
    for c in sorted(data.seen, key=lambda c: (c.received, c.complaint.id)):
        if c.received > period.end:
            continue
        if c.received < period.start and not _open_on(c, before, data):
            continue
        ended = c.ended  # folded as of the period's last day: ended in it or before
        values = {
            "id": c.complaint.id,
            "received": c.received.isoformat(),
            "channel": c.complaint.channel,
            "status": "closed" if ended else "open",
            "closed": ended.isoformat() if ended else "",
            "days": str((ended - c.received).days) if ended else "",
            "outcome": (c.state.outcome or "") if ended else "",
        }
        rows.append([values[key] if key else "" for _, key in ASIC_FIELDS])
    missing = [name for name, key in ASIC_FIELDS if key is None]
    warnings = [
        "fields the register does not hold, left empty: " + ", ".join(missing),
        "outcome is the register's (upheld, partly-upheld, not-upheld): map it to the data"
        " dictionary's codes",
    ]
    if not rows:
        warnings.append(
            "no complaint received in the period or open at its start: a nil submission"
        )
    if not _half_year(period):
        warnings.append(
            f"{period.start} to {period.end} is not a reporting period (1 January-30 June or"
            " 1 July-31 December)"
        )
    return Kpi(
        regime.name,
        regime.title,
        period,
        True,
        RETURN,
        [
            Table(
                "IDR data report: one row per complaint received in the period or open at its start",
                [name for name, _ in ASIC_FIELDS],
                rows,
            )
        ],
        warnings,
    )


def _open_on(c: Seen, day: date, data: "Data") -> bool:
    """Whether the complaint was open (received, its handling not ended) at the end of `day`."""
    if c.received > day:
        return False
    state = fold(c.complaint, data.policy, data.calendar, day)
    return state.status not in ENDED


def _half_year(period: Period) -> bool:
    start, end = period.start, period.end
    first = (start.month, start.day) == (1, 1) and (end.month, end.day) == (6, 30)
    second = (start.month, start.day) == (7, 1) and (end.month, end.day) == (12, 31)
    return start.year == end.year and (first or second)


# The FCA's complaints return (UK financial services).


def fca(data: "Data") -> Kpi:
    period, regime, calendar = data.period, data.regime, data.calendar
    summary = regime.summary_resolution_days or 3
    opened = [c for c in data.seen if c.received in period]
    closed = [c for c in data.seen if c.ended in period]
    fast = [
        c
        for c in closed
        if c.ended and calendar.working_days_between(c.received, c.ended) <= summary
    ]
    in_weeks = [c for c in closed if c.ended and (c.ended - c.received).days <= 56]
    outcomes = Counter(c.state.outcome for c in closed)
    rows = [
        ["complaints opened", str(len(opened)), ""],
        ["complaints closed", str(len(closed)), ""],
        [
            f"closed within {summary} business days",
            str(len(fast)),
            percent_text(len(fast), len(closed), None),
        ],
        [
            "closed within 8 weeks",
            str(len(in_weeks)),
            percent_text(len(in_weeks), len(closed), None),
        ],
    ]
    rows += [
        [f"closed: {o}", str(outcomes[o]), percent_text(outcomes[o], len(closed), None)]
        for o in OUTCOMES
    ]
    rows.append(
        [
            "closed without a response",
            str(outcomes[None]),
            percent_text(outcomes[None], len(closed), None),
        ]
    )
    warnings = []
    if len(opened) >= 500:
        warnings.append(
            f"{len(opened)} complaints opened: at 500 or more in a reporting period, DISP 1.10A"
            " asks the firm to publish a summary"
        )
    return Kpi(
        regime.name,
        regime.title,
        period,
        True,
        RETURN,
        [Table("Complaints opened and closed", ["figure", "number", "share of closed"], rows)],
        warnings,
    )


def iso10002(data: "Data") -> Kpi:
    period, regime = data.period, data.regime
    rows = []
    for number in (1, 2):
        stages = [s for c in data.seen for s in c.stages if s.number == number]
        answered = [s for s in stages if s.responded in period]
        on_time = sum(1 for s in answered if "respond" not in s.late)
        rows.append(
            [
                f"stage {number}",
                str(sum(1 for s in stages if s.started in period)),
                str(len(answered)),
                str(on_time),
            ]
        )
    return Kpi(
        regime.name,
        regime.title,
        period,
        True,
        "For the organisation's own review (ISO 10002 asks for no return): exact counts.",
        [
            Table(
                "Complaints received and answered",
                ["stage", "received", "answered", "answered on time"],
                rows,
            )
        ],
        [],
    )


@dataclass
class Data:
    policy: Policy
    calendar: "Calendar"
    regime: Regime
    period: Period
    seen: list[Seen]


FIGURES: dict[str, Callable[[Data], Kpi]] = {
    "iso10002": iso10002,
    "hos": hos,
    "spso": spso,
    "asic": asic,
    "fca": fca,
}


def kpi(
    complaints: Iterable[Complaint],
    policy: Policy,
    calendar: "Calendar",
    regime: Regime,
    period: Period,
) -> Kpi:
    """The figures `regime`'s regulator asks for over `period`, as of its last day. Steps
    are on time or late by the regime's own timescales (`code_targets`) where it sets any,
    so that a policy stricter than its code does not count a step late that the code
    counts on time."""
    targets = code_targets(regime)
    if targets is not None and regime.kpi != "iso10002":
        policy = policy.model_copy(update={"targets": targets})
    found = [seen(c, policy, calendar, period.end) for c in complaints]
    found = [c for c in found if c.received <= period.end]
    return FIGURES[regime.kpi](Data(policy, calendar, regime, period, found))
