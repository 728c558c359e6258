"""Anonymised statistics of a register, as published (DESIGN.md section 6).

Pure functions over `complaints_register.core.status.Facts`. Every figure is about the complaints received
in a period (a month, a quarter or a year), as they stand on the as-of date: how many were
received; how many are now closed, open (overdue or on time) or ended otherwise (referred
to an external body, or withdrawn); by category, channel, outcome and escalation;
satisfaction at closing; the share of acknowledgements and responses made within target;
median and 90th percentile working days to the first response; the mean survey score.

Disclosure control (`complaints_register.core.disclosure`): counts below `min_count` (zero included) are
shown as "fewer than min_count", further counts are hidden so that none of those can be
worked out from the others, and a share, median or mean is shown only when it is over at
least `min_rate_base` complaints. What comes out holds no free text, no names, no identifiers
and no date finer than a month: a complaint is only ever one of many in a count.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sized
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cached_property, partial
from typing import TYPE_CHECKING

from complaints_register.core.disclosure import (
    DisclosureError,
    Relation,
    Suppressed,
    is_small,
    pinned,
    suppress,
)
from complaints_register.core.status import Facts
from complaints_register.schema import Policy

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

PERIOD_TYPES = ("year", "quarter", "month")

# Each table splits a count of another table (its parent) into items.
PARENTS = {
    "status": ("received", "all"),
    "open": ("status", "open"),
    "category": ("received", "all"),
    "channel": ("received", "all"),
    "outcome": ("received", "all"),
    "escalation": ("received", "all"),
    "satisfaction": ("status", "closed"),
}
FIXED_ITEMS = {
    "received": ("all",),
    "status": ("closed", "open", "ended-otherwise"),
    "open": ("overdue", "on-time"),
    "outcome": ("upheld", "partly-upheld", "not-upheld", "no-response-yet"),
    "escalation": ("none", "internal-review", "external-body"),
    "satisfaction": ("satisfied", "not-satisfied", "not-recorded"),
}
TABLES = (
    "received",
    "status",
    "open",
    "category",
    "channel",
    "outcome",
    "escalation",
    "satisfaction",
)
RATES = (  # (table, item, unit)
    ("timeliness", "acknowledged-within-target", "percent"),
    ("timeliness", "responded-within-target", "percent"),
    ("timeliness", "days-to-response-median", "working-days"),
    ("timeliness", "days-to-response-p90", "working-days"),
    ("survey", "score-mean", "score"),
)
Cell = tuple[str, str, str]
"""(period, table, item): what a published count is the count of."""

NOTES = {
    "fewer-than": "a count below min_count (zero included), not shown",
    "hidden": "a count hidden so that no count of the first kind can be worked out",
    "small-base": "not shown: over fewer than min_rate_base complaints",
}


@dataclass(frozen=True)
class Profile:
    """One complaint as the statistics see it: a month and the items it counts under."""

    month: str  # YYYY-MM of receipt
    items: tuple[tuple[str, str], ...]  # (table, item)
    acknowledgements: tuple[bool, ...]  # decided ones: True when within target
    responses: tuple[bool, ...]
    days_to_response: int | None  # working days to the stage 1 response
    score: int | None  # the latest survey score


@dataclass(frozen=True)
class Figure:
    """One published figure. `value` is None when not shown; `note` says why."""

    period: str
    period_type: str
    table: str
    item: str
    unit: str
    value: int | float | None
    note: str | None = None


@dataclass(frozen=True)
class Published:
    """Every figure the site and `complaints stats` publish. `under` names the periods
    recorded under other disclosure rules than `min_count` and `min_rate_base`, with
    theirs: what their "fewer than" meant when they were published."""

    as_of_month: str
    min_count: int
    min_rate_base: int
    figures: tuple[Figure, ...]
    under: tuple[tuple[str, int, int], ...] = ()  # (period, min_count, min_rate_base)

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "as_of_month": self.as_of_month,
            "publication": {"min_count": self.min_count, "min_rate_base": self.min_rate_base},
        }
        if self.under:
            found["published_under"] = {
                period: {"min_count": count, "min_rate_base": base}
                for period, count, base in self.under
            }
        found["notes"] = NOTES
        found["figures"] = [asdict(figure) for figure in self.figures]
        return found

    def min_count_of(self, period: str) -> int:
        """The `min_count` a period was published under."""
        return next((count for p, count, _ in self.under if p == period), self.min_count)

    def min_rate_base_of(self, period: str) -> int:
        """The `min_rate_base` a period was published under."""
        return next((base for p, _, base in self.under if p == period), self.min_rate_base)

    def get(self, period: str, table: str, item: str) -> Figure | None:
        return self._by_key.get((period, table, item))

    @cached_property
    def _by_key(self) -> dict[tuple[str, str, str], Figure]:
        return {(f.period, f.table, f.item): f for f in self.figures}

    def periods(self, period_type: str) -> list[str]:
        return list(dict.fromkeys(f.period for f in self.figures if f.period_type == period_type))


CSV_COLUMNS = ("period", "period_type", "table", "item", "unit", "value", "note")


@dataclass(frozen=True)
class Recorded:
    """A period's statistics as published once, kept in the register for good
    (`store.recorded`): its settle day, the disclosure rules it was published under and
    its figures, in their published order."""

    period: str
    settled: date
    min_count: int
    min_rate_base: int
    figures: tuple[Figure, ...]

    def counts(self) -> dict[Cell, Figure]:
        return {(f.period, f.table, f.item): f for f in self.figures if f.unit == "count"}


def published(
    all_facts: list[Facts], policy: Policy, calendar: "Calendar", as_of: date
) -> Published:
    """The statistics of these complaints as of `as_of`, with disclosure control applied."""
    return published_profiles([profile(f, calendar) for f in all_facts], policy, as_of)


def published_profiles(profiles: list[Profile], policy: Policy, as_of: date) -> Published:
    """`published`, from the complaints' profiles (`profile`) as of `as_of`."""
    months = months_from(min((p.month for p in profiles), default=None), as_of)
    items = table_items(policy, profiles)
    counts = count_cells(profiles, months, items)
    suppressed = suppress(
        counts, relations(months, items), policy.publication.min_count, zeros=True
    )
    figures = [count_figure(cell, counts[cell], suppressed) for cell in counts]
    figures += rate_figures(profiles, months, policy.publication.min_rate_base)
    order = {period: i for i, period in enumerate(period_order(months))}
    figures.sort(key=lambda f: (order[f.period], _table_rank(f.table)))
    return Published(
        f"{as_of:%Y-%m}",
        policy.publication.min_count,
        policy.publication.min_rate_base,
        tuple(figures),
    )


# What is counted at receipt, the same however late it is counted: only these add up from
# months to quarters to years counted on different days. Where complaints stand (status,
# outcome, escalation, satisfaction) moves on between one settle day and the next, and a
# reader cannot take the sum of a year's quarters for the year's count.
RECEIPT_TABLES = ("received", "category", "channel")


def settle_day(month: str, settle_months: int) -> date:
    """The day a period whose last month is `month` (YYYY-MM) is published: the last day of
    the month `settle_months` later (a quarter ending in March, three months: 30 June)."""
    year, number = map(int, month.split("-"))
    later = year * 12 + number - 1 + settle_months + 1  # the month after, counted from 0
    return date(later // 12, later % 12 + 1, 1) - timedelta(days=1)


def settled(
    facts_on: Callable[[date, tuple[str, str] | None], list[Facts]],
    policy: Policy,
    calendar: "Calendar",
    as_of: date,
    recorded: Mapping[str, Recorded] | None = None,
) -> Published:
    """The statistics as published on `as_of`: every period that ended at least
    `publication.settle_months` before it, each with its figures as they stood on its own
    settle day (`settle_day`), and its disclosure control done then, the periods published
    before it left as they were. A later publication therefore only adds periods: what it
    hides stays hidden, and what it shows was shown or is new (DESIGN.md section 6).

    `recorded` holds the periods published already, as they were recorded in the register
    (`store.recorded`): each is published exactly so, whatever the register or the policy
    says of it now (a late entry dated in it, a category added, other disclosure rules),
    and only the periods not recorded are worked out. A recorded period is fixed for the
    disclosure control of later ones: its shown counts as shown, its hidden ones as what
    the register now says they were on its settle day.

    `facts_on(day, (first, last))` gives the complaints received from month `first` to
    month `last` (YYYY-MM; others may come too), as they stood on `day`; with None instead
    of the months, every complaint. A year's (a quarter's)
    figures stand later than its quarters' (months'): the sums a reader can use across
    them are those of `RECEIPT_TABLES`. A complaint recorded late breaks one (the whole
    counts it, its recorded part does not); it is kept as a relation all the same, the
    reader told that the sums hold taking it at face value, and the disclosure control
    proves what that reader can work out (`disclosure.pinned`).
    """
    # A period recorded as settling after `as_of` is not published yet on that day.
    recorded = {p: r for p, r in (recorded or {}).items() if r.settled <= as_of}
    settle = policy.publication.settle_months
    min_count = policy.publication.min_count
    now = [profile(f, calendar) for f in facts_on(as_of, None)]
    ready = [
        m
        for m in months_from(min((p.month for p in now), default=None), as_of)
        if settle_day(m, settle) <= as_of
    ]
    items = table_items(policy, now)
    # The periods published on each day: those that settle then, and each recorded period
    # on the day it was recorded as settling (the same day, unless settle_months changed).
    batches: dict[date, list[str]] = {}
    for month in ready:
        day = settle_day(month, settle)
        for period in _ending(month):
            if period not in recorded or recorded[period].settled == day:
                batches.setdefault(day, []).append(period)
    placed = {period for periods in batches.values() for period in periods}
    for period, record in recorded.items():
        if period not in placed:
            batches.setdefault(record.settled, []).append(period)
    # A year's periods are linked by sums, so all are published under one set of disclosure
    # rules: those its first recorded period was published under. A change of the rules in
    # the policy applies from the first year with nothing recorded yet.
    rules = (min_count, policy.publication.min_rate_base)
    year_rules: dict[str, tuple[int, int]] = {}
    for period, record in sorted(recorded.items(), key=lambda pair: pair[1].settled):
        year_rules.setdefault(period[:4], (record.min_count, record.min_rate_base))
    mixed = any(found != rules for found in year_rules.values())

    def rules_of(period: str) -> tuple[int, int]:
        record = recorded.get(period)
        if record is not None:
            return record.min_count, record.min_rate_base
        return year_rules.get(period[:4], rules)

    counts: dict[Cell, int] = {}
    relations_found: list[Relation[Cell]] = []
    done: Suppressed[Cell] = Suppressed()
    rates: list[Figure] = []
    for day in sorted(batches):
        periods = batches[day]
        first = min(_first_month(p) for p in periods)
        last = max(last_month_of(p) for p in periods)
        profiles = [profile(f, calendar) for f in facts_on(day, (first, last))]
        mine = [p for p in profiles if any(period_of(p.month, t) in periods for t in PERIOD_TYPES)]
        fresh = _counts(mine, periods, items)
        fixed = set(counts)
        own = dict.fromkeys(periods, items)
        for period in (p for p in periods if p in recorded):
            fresh, own[period] = _as_recorded(recorded[period], fresh, done)
            fixed |= set(recorded[period].counts())
        counts.update(fresh)
        for period in periods:
            relations_found += [
                Relation((period, *parent), tuple((period, table, i) for i in own[period][table]))
                for table, parent in PARENTS.items()
            ]
            parts = [
                p for p in _parts(period, last_month_of(period)) if (p, "received", "all") in counts
            ]
            for table in RECEIPT_TABLES if parts else ():
                for item in own[period][table]:
                    # A part without the item (recorded before the item was) shows none.
                    members = tuple((p, table, item) for p in parts if (p, table, item) in counts)
                    relation = Relation((period, table, item), members)
                    # A sum that entries recorded late have broken is still one a reader
                    # may take at face value (the page says the sums hold): it is a
                    # relation, for the disclosure control to protect against that reader
                    # too. One whose parts do not all show the item is none: nothing says
                    # what the item was in the parts without it.
                    if len(members) == len(parts) or counts[relation.whole] == sum(
                        counts[c] for c in relation.parts
                    ):
                        relations_found.append(relation)
        if mixed:
            years = {period[:4] for period in periods}
            done = _suppressed_by_year(counts, relations_found, done, fixed, years, rules_of)
        else:
            done = _suppressed(counts, relations_found, min_count, done, fixed)
        for period in (p for p in periods if p not in recorded):
            kind = period_type(period)
            here = [p for p in mine if period_of(p.month, kind) == period]
            rates += _rates(period, here, rules_of(period)[1])
    worked_out = [count_figure(c, n, done) for c, n in counts.items() if c[0] not in recorded]
    by_period: defaultdict[str, list[Figure]] = defaultdict(list)
    for figure in sorted(worked_out + rates, key=lambda f: _table_rank(f.table)):
        by_period[figure.period].append(figure)
    for period, record in recorded.items():
        by_period[period] = list(record.figures)  # exactly as recorded, in its order
    months = sorted({last_month_of(p) for periods in batches.values() for p in periods})
    figures = [f for period in period_order(months) for f in by_period.get(period, [])]
    under = tuple(
        (period, *rules_of(period))
        for period in period_order(months)
        if period in by_period and rules_of(period) != rules
    )
    return Published(
        f"{as_of:%Y-%m}", min_count, policy.publication.min_rate_base, tuple(figures), under
    )


def _ending(month: str) -> list[str]:
    """The periods whose last month is `month` (YYYY-MM): itself, its quarter, its year."""
    periods = [month]
    if month.endswith(("-03", "-06", "-09", "-12")):
        periods.append(period_of(month, "quarter"))
    if month.endswith("-12"):
        periods.append(period_of(month, "year"))
    return periods


def _first_month(period: str) -> str:
    """The first month (YYYY-MM) of a year, quarter or month."""
    return f"{period}-01" if len(period) == 4 else _a_month(period)


def last_month_of(period: str) -> str:
    """The last month (YYYY-MM) of a year, quarter or month."""
    if len(period) == 4:
        return f"{period}-12"
    if "Q" in period:
        first = _a_month(period)
        return f"{first[:5]}{int(first[5:]) + 2:02d}"
    return period


def _as_recorded(
    record: Recorded, fresh: dict[Cell, int], done: Suppressed[Cell]
) -> tuple[dict[Cell, int], dict[str, tuple[str, ...]]]:
    """The counts of a batch with a recorded period's own in place of those worked out: its
    shown counts as recorded, each hidden one as the register says it was on the settle day
    (0 for an item it no longer has). Its hidden counts are added to `done`. Also the
    period's items of each table, in the recorded order."""
    period = record.period
    counts = {cell: n for cell, n in fresh.items() if cell[0] != period}
    for cell, figure in record.counts().items():
        counts[cell] = int(figure.value) if figure.value is not None else fresh.get(cell, 0)
        if figure.note == "fewer-than":
            done.small.add(cell)
        elif figure.note is not None:
            done.hidden.add(cell)
    own: dict[str, tuple[str, ...]] = {
        table: tuple(item for _, t, item in record.counts() if t == table) for table in TABLES
    }
    return counts, own


def _suppressed(
    counts: dict[Cell, int],
    relations_found: list[Relation[Cell]],
    min_count: int,
    done: Suppressed[Cell],
    fixed: set[Cell],
) -> Suppressed[Cell]:
    """Disclosure control of the counts not `fixed`, those published before as they were."""
    try:
        return suppress(counts, relations_found, min_count, before=done, fixed=fixed, zeros=True)
    except DisclosureError:  # what was published before leaves nothing new to hide
        return _all_hidden(counts, relations_found, min_count, done, fixed)


def _suppressed_by_year(
    counts: dict[Cell, int],
    relations_found: list[Relation[Cell]],
    done: Suppressed[Cell],
    fixed: set[Cell],
    years: set[str],
    rules_of: Callable[[str], tuple[int, int]],
) -> Suppressed[Cell]:
    """`_suppressed` for each of `years` on its own, under its own rules: no sum links one
    year's counts to another's."""
    result = Suppressed(set(done.small), set(done.hidden))
    for year in sorted(years):
        cells = {cell: n for cell, n in counts.items() if cell[0][:4] == year}
        linked = [r for r in relations_found if r.whole[0][:4] == year]
        before = Suppressed(done.small & set(cells), done.hidden & set(cells))
        found = _suppressed(cells, linked, rules_of(year)[0], before, fixed & set(cells))
        result = Suppressed(
            (result.small - set(cells)) | found.small, (result.hidden - set(cells)) | found.hidden
        )
    return result


def _all_hidden(
    counts: dict[Cell, int],
    relations_found: list[Relation[Cell]],
    min_count: int,
    before: Suppressed[Cell],
    fixed: set[Cell],
) -> Suppressed[Cell]:
    """Every new count hidden: what a period gets when hiding some of its counts cannot
    protect what was published before. Proved like the rest; never expected to fail."""
    fresh = [cell for cell in counts if cell not in fixed]
    result = Suppressed(
        small=before.small | {c for c in fresh if is_small(counts[c], min_count)},
        hidden=before.hidden | {c for c in fresh if not is_small(counts[c], min_count)},
    )
    found = pinned(counts, relations_found, result, min_count, set(fresh), zeros=True)
    if found:
        raise DisclosureError(f"cannot protect {sorted(found, key=repr)[:6]!r}")
    return result


def _counts(
    profiles: list[Profile], periods: list[str], items: dict[str, tuple[str, ...]]
) -> dict[Cell, int]:
    """Counts of `periods` keyed by (period, table, item), zeros included."""
    counts = {(period, t, i): 0 for period in periods for t in TABLES for i in items[t]}
    wanted = set(periods)
    for (month, table, item), n in _by_month(profiles).items():
        for period in _periods_of(month):
            if period in wanted:
                counts[(period, table, item)] += n
    return counts


def _by_month(profiles: list[Profile]) -> Counter[Cell]:
    """The counts of each month by (month, table, item): worked out once for each month
    and set of items alike (far fewer than complaints), and added to quarters and years
    from the months (far fewer cells than complaints)."""
    found: Counter[Cell] = Counter()
    for (month, items), n in Counter((p.month, p.items) for p in profiles).items():
        for table, item in items:
            found[(month, table, item)] += n
    return found


def _periods_of(month: str) -> tuple[str, str, str]:
    """The year, quarter and month (`PERIOD_TYPES`) a month YYYY-MM falls in."""
    return (month[:4], f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}", month)


def _parts(period: str, last: str) -> list[str]:
    """The quarters of a year, the months of a quarter (ending with `last`); none of a month."""
    kind = period_type(period)
    year = last[:4]
    if kind == "year":
        return [f"{year}-Q{n}" for n in range(1, 5)]
    if kind == "quarter":
        end = int(last[5:])
        return [f"{year}-{n:02d}" for n in range(end - 2, end + 1)]
    return []


def profile(facts: Facts, calendar: "Calendar") -> Profile:
    """What the statistics keep of one complaint."""
    state, first = facts.state, facts.stages[0]
    status = {
        "closed": "closed",
        "referred": "ended-otherwise",
        "withdrawn": "ended-otherwise",
    }.get(state.status, "open")
    items = [
        ("received", "all"),
        ("status", status),
        ("category", state.category),
        ("channel", facts.channel),
        ("outcome", state.outcome or "no-response-yet"),
        (
            "escalation",
            "external-body"
            if state.referred_to
            else "internal-review"
            if len(facts.stages) > 1
            else "none",
        ),
    ]
    if status == "open":
        items.append(("open", "overdue" if facts.current.overdue else "on-time"))
    if status == "closed":
        items.append(
            (
                "satisfaction",
                {True: "satisfied", False: "not-satisfied", None: "not-recorded"}[state.satisfied],
            )
        )
    responded = first.done["responded"]
    return Profile(
        month=f"{calendar.local_date(facts.received):%Y-%m}",
        items=tuple(items),
        acknowledgements=_decided(facts, "acknowledge", "acknowledged"),
        responses=_decided(facts, "respond", "responded"),
        days_to_response=calendar.working_days_between(first.started, responded)
        if responded
        else None,
        score=state.scores[-1] if state.scores else None,
    )


def _decided(facts: Facts, step: str, done: str) -> tuple[bool, ...]:
    """For each stage whose `step` is done or overdue: whether it was within target."""
    return tuple(
        step not in stage.late if stage.done[done] else False
        for stage in facts.stages
        if stage.done[done] or step in stage.overdue
    )


def months_from(first: str | None, as_of: date) -> list[str]:
    """Every month from `first` (YYYY-MM) to the month of `as_of`; none when `first` is None."""
    if first is None:
        return []
    year, month = map(int, first.split("-"))
    found = []
    while (year, month) <= (as_of.year, as_of.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def period_of(month: str, period_type: str) -> str:
    """The year (2026), quarter (2026-Q2) or month (2026-04) a month YYYY-MM falls in."""
    year, number = month.split("-")
    return {"year": year, "quarter": f"{year}-Q{(int(number) - 1) // 3 + 1}", "month": month}[
        period_type
    ]


def period_type(period: str) -> str:
    return "year" if len(period) == 4 else "quarter" if "Q" in period else "month"


def period_order(months: list[str]) -> list[str]:
    """Years, each followed by its quarters, each followed by its months."""
    order: dict[str, None] = {}  # a dict keeps the order, and finds a period at once
    for month in months:
        for kind in PERIOD_TYPES:
            order.setdefault(period_of(month, kind))
    return list(order)


def table_items(policy: Policy, profiles: list[Profile]) -> dict[str, tuple[str, ...]]:
    """The items of every table, in the order published; categories and channels are the
    policy's, and any no longer in it that complaints still carry."""
    items = dict(FIXED_ITEMS)
    for table, listed in (("category", policy.categories), ("channel", policy.channels)):
        seen = {item for p in profiles for t, item in p.items if t == table}
        items[table] = tuple(listed) + tuple(sorted(seen - set(listed)))
    return items


def count_cells(
    profiles: list[Profile], months: list[str], items: dict[str, tuple[str, ...]]
) -> dict[Cell, int]:
    """Counts keyed by (period, table, item), zeros included, for every period."""
    counts = {
        (period, table, item): 0
        for period in period_order(months)
        for table in TABLES
        for item in items[table]
    }
    for (month, table, item), n in _by_month(profiles).items():
        for period in _periods_of(month):
            counts[(period, table, item)] += n
    return counts


def relations(months: list[str], items: dict[str, tuple[str, ...]]) -> list[Relation[Cell]]:
    """Every additive relation a reader can use: each table sums to its parent's count in
    every period, and each count of a year (quarter) is the sum of its quarters (months)."""
    found = []
    periods = period_order(months)
    for period in periods:
        for table, parent in PARENTS.items():
            found.append(
                Relation((period, *parent), tuple((period, table, item) for item in items[table]))
            )
    children: defaultdict[str, list[str]] = defaultdict(list)
    for period in periods:
        kind = period_type(period)
        if kind != "year":
            children[
                period_of(_a_month(period), "year" if kind == "quarter" else "quarter")
            ].append(period)
    for whole, parts in children.items():
        for table in TABLES:
            for item in items[table]:
                found.append(
                    Relation((whole, table, item), tuple((part, table, item) for part in parts))
                )
    return found


def _a_month(period: str) -> str:
    """A month (YYYY-MM) inside a quarter or month period."""
    if "Q" in period:
        year, quarter = period.split("-Q")
        return f"{year}-{(int(quarter) - 1) * 3 + 1:02d}"
    return period


def count_figure(cell: Cell, count: int, suppressed: Suppressed[Cell]) -> Figure:
    period, table, item = cell
    note = (
        "fewer-than"
        if cell in suppressed.small
        else "hidden"
        if cell in suppressed.hidden
        else None
    )
    return Figure(period, period_type(period), table, item, "count", None if note else count, note)


def rate_figures(profiles: list[Profile], months: list[str], min_rate_base: int) -> list[Figure]:
    """Shares, medians and means for every period, each only over a large enough base."""
    by_period: defaultdict[str, list[Profile]] = defaultdict(list)
    for p in profiles:
        for period in _periods_of(p.month):
            by_period[period].append(p)
    figures = []
    for period in period_order(months):
        figures += _rates(period, by_period[period], min_rate_base)
    return figures


def _rates(period: str, found: list[Profile], min_rate_base: int) -> list[Figure]:
    """The shares, medians and means of one period, over the complaints received in it."""
    figures = []
    acknowledged = [ok for p in found for ok in p.acknowledgements]
    responded = [ok for p in found for ok in p.responses]
    days = sorted(p.days_to_response for p in found if p.days_to_response is not None)
    scores = [p.score for p in found if p.score is not None]
    # (base, measure of it): bound here, as bases of bools and of ints share no one type.
    values: tuple[tuple[Sized, Callable[[], int | float]], ...] = (
        (acknowledged, partial(share, acknowledged)),
        (responded, partial(share, responded)),
        (days, partial(median, days)),
        (days, partial(percentile_90, days)),
        (scores, partial(mean_score, scores)),
    )
    for (table, item, unit), (base, measure) in zip(RATES, values, strict=True):
        figures.append(rate_figure(period, table, item, unit, base, measure, min_rate_base))
    return figures


def rate_figure(
    period: str,
    table: str,
    item: str,
    unit: str,
    base: Sized,
    measure: Callable[[], int | float],
    min_rate_base: int,
) -> Figure:
    """`measure()`, over the cases in `base`, unless they are too few to publish it."""
    if not rate_allowed(len(base), min_rate_base):
        return Figure(period, period_type(period), table, item, unit, None, "small-base")
    return Figure(period, period_type(period), table, item, unit, measure())


def rate_allowed(base: int, min_rate_base: int) -> bool:
    """A share, median or mean is published only over at least `min_rate_base` cases."""
    return base >= min_rate_base


def share(outcomes: list[bool]) -> int:
    """Per cent of True, rounded half up to a whole number."""
    return math.floor(100 * sum(outcomes) / len(outcomes) + 0.5)


def median(values: list[int]) -> int | float:
    """The middle value; for an even number of values, the mean of the middle two."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    total = ordered[middle - 1] + ordered[middle]
    return total // 2 if total % 2 == 0 else total / 2


def percentile_90(values: list[int]) -> int:
    """The 90th percentile by the nearest-rank method: the smallest value at or above
    which at least 10% of the values lie."""
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def mean_score(scores: list[int]) -> float:
    return round(sum(scores) / len(scores), 1)


def _table_rank(table: str) -> int:
    ranked = TABLES + tuple(dict.fromkeys(t for t, _, _ in RATES))
    return ranked.index(table)
