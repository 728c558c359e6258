"""Statistics and disclosure control (DESIGN.md section 6).

The disclosure rules are each tested on small tables worked out by hand; then the whole
pipeline on a register made to tempt them (tests/registers.py), checked by an attacker of
our own: from the published figures alone and the way the tables add up (restated here,
not taken from the code), it tries to work out every hidden count exactly.
"""

import json
import re
from datetime import date

import numpy as np
import pytest
from conftest import EXAMPLE, POLICY
from registers import closed, ev, facts_of, marked, markers, received, tempting, write_register
from scipy.optimize import Bounds, LinearConstraint, milp

from complaints_register.core.disclosure import (
    Relation,
    Suppressed,
    is_small,
    lone_hidden,
    pinned,
    secondary_for,
    small_remainder,
    suppress,
)
from complaints_register.core.figures import (
    Figure,
    Published,
    median,
    percentile_90,
    profile,
    published,
    rate_allowed,
    settled,
    share,
)
from complaints_register.core.working_days import calendar_for
from complaints_register.store.overview import all_facts
from complaints_register.store.register import Register

# --- the rules, one by one -------------------------------------------------------------


@pytest.mark.parametrize(
    "count, min_count, small",
    [
        (0, 5, True),  # zero too: "fewer than 5" must not mean "at least 1"
        (1, 5, True),
        (4, 5, True),
        (5, 5, False),
        (37, 5, False),
        (9, 10, True),
        (10, 10, False),
    ],
)
def test_is_small(count, min_count, small):
    assert is_small(count, min_count) is small


TOTAL = Relation("total", ("a", "b", "c"))


@pytest.mark.parametrize(
    "counts, hidden, lone",
    [
        ({"total": 12, "a": 7, "b": 3, "c": 2}, set(), False),
        ({"total": 12, "a": 7, "b": 3, "c": 2}, {"b"}, True),  # 12 - 7 - 2 = 3
        ({"total": 12, "a": 7, "b": 3, "c": 2}, {"b", "c"}, False),
        ({"total": 12, "a": 7, "b": 3, "c": 2}, {"total"}, True),  # 7 + 3 + 2 = 12
        ({"total": 12, "a": 7, "b": 3, "c": 2}, {"total", "a"}, False),
        ({"total": 12, "a": 12, "b": 0, "c": 0}, {"c"}, False),  # a zero worked out is nobody
    ],
)
def test_lone_hidden(counts, hidden, lone):
    assert lone_hidden(TOTAL, counts, hidden) is lone


@pytest.mark.parametrize(
    "counts, hidden, small",
    [
        ({"total": 12, "a": 7, "b": 3, "c": 2}, {"c"}, True),  # 12 - 7 - 3 = 2
        ({"total": 12, "a": 7, "b": 3, "c": 2}, {"b", "c"}, False),  # 12 - 7 = 5
        ({"total": 12, "a": 8, "b": 2, "c": 2}, {"b", "c"}, True),  # 12 - 8 = 4
        (
            {"total": 12, "a": 8, "b": 2, "c": 2},
            {"total", "b", "c"},
            False,
        ),  # no total to start from
        ({"total": 12, "a": 12, "b": 0, "c": 0}, {"b", "c"}, False),  # 0: nothing to protect
    ],
)
def test_small_remainder(counts, hidden, small):
    assert small_remainder(TOTAL, counts, hidden, 5) is small


@pytest.mark.parametrize(
    "counts, hidden, chosen",
    [
        ({"total": 20, "a": 9, "b": 8, "c": 3}, {"c"}, "b"),  # the smallest part
        ({"total": 20, "a": 8, "b": 8, "c": 4}, {"c"}, "a"),  # a tie: the first part
        ({"total": 9, "a": 9, "b": 0, "c": 0}, {"b"}, "a"),  # never a zero
        ({"total": 12, "a": 12, "b": 0, "c": 0}, {"a"}, "total"),  # the whole, when no part will do
        ({"total": 7, "a": 7, "b": 0, "c": 0}, {"total", "a"}, None),
    ],
)
def test_secondary_for(counts, hidden, chosen):
    assert secondary_for([TOTAL], counts, hidden) == chosen


def suppressed(small=(), hidden=()) -> Suppressed:
    return Suppressed(small=set(small), hidden=set(hidden))


@pytest.mark.parametrize(
    "counts, relations, hidden, found",
    [
        # 10 = 7 + 3: the 3 alone is hidden, so it is 10 - 7.
        ({"t": 10, "a": 7, "b": 3}, [Relation("t", ("a", "b"))], suppressed(small="b"), {"b"}),
        # 10 = a + b, a hidden to protect b: a is at least 5, b at most 4; b could be 0 to 4.
        ({"t": 10, "a": 6, "b": 4}, [Relation("t", ("a", "b"))], suppressed("b", "a"), set()),
        # 8 = a + b, both "fewer than 5": each at most 4, so both are 4.
        ({"t": 8, "a": 4, "b": 4}, [Relation("t", ("a", "b"))], suppressed("ab"), {"a", "b"}),
        # 5 = a + b, both "fewer than 5": 1 + 4, 2 + 3, ... nothing is certain.
        ({"t": 5, "a": 1, "b": 4}, [Relation("t", ("a", "b"))], suppressed("ab"), set()),
        # Two tables: a + b = 6 with b at most 4 gives a >= 2; a + c = 7 with c (hidden to
        # protect) at least 5 gives a <= 2. So a = 2, b = 4, c = 5.
        (
            {"t": 6, "u": 7, "a": 2, "b": 4, "c": 5},
            [Relation("t", ("a", "b")), Relation("u", ("a", "c"))],
            suppressed("ab", "c"),
            {"a", "b", "c"},
        ),
        # 5 = 5 + 0 + 0: the zeros can be worked out, and that tells nothing about anyone.
        (
            {"t": 5, "a": 5, "b": 0, "c": 0},
            [Relation("t", ("a", "b", "c"))],
            suppressed("bc"),
            set(),
        ),
        # A year of 3 over three quarters, all hidden: 1 + 1 + 1, 3 + 0 + 0, ... uncertain.
        (
            {"y": 3, "q1": 1, "q2": 1, "q3": 1},
            [Relation("y", ("q1", "q2", "q3"))],
            suppressed(("y", "q1", "q2", "q3")),
            set(),
        ),
    ],
)
def test_pinned(counts, relations, hidden, found):
    assert pinned(counts, relations, hidden, 5) == found


def test_suppress_protects_a_category_of_two():
    # 12 = 10 + 2 + 0: the 2 (and the 0) are "fewer than 5"; with 10 shown, 12 - 10 = 2
    # would give the 2 away, so the 10 is hidden too (a part rather than the total).
    result = suppress({"t": 12, "a": 10, "b": 2, "c": 0}, [Relation("t", ("a", "b", "c"))], 5)
    assert (result.small, result.hidden) == ({"b", "c"}, {"a"})


# With zeros protected (as the published statistics are): "Received 12, of which 12 a"
# says of each of the 12 that it was not b or c.
@pytest.mark.parametrize(
    "counts, hidden, lone, small",
    [
        ({"total": 12, "a": 12, "b": 0, "c": 0}, {"c"}, True, True),  # 12 - 12 - 0 = 0
        ({"total": 12, "a": 12, "b": 0, "c": 0}, {"b", "c"}, False, True),  # b + c = 0: both 0
        ({"total": 12, "a": 12, "b": 0, "c": 0}, set(), False, False),  # nothing hidden
        ({"total": 12, "a": 12, "b": 0, "c": 0}, {"a", "b", "c"}, False, False),  # a: 5 to 12
        ({"total": 12, "a": 12, "b": 0, "c": 0}, {"total", "c"}, False, False),  # no total
    ],
)
def test_a_zero_worked_out_is_exposed_when_zeros_are_protected(counts, hidden, lone, small):
    assert lone_hidden(TOTAL, counts, hidden, zeros=True) is lone
    assert small_remainder(TOTAL, counts, hidden, 5, zeros=True) is small


@pytest.mark.parametrize(
    "hidden, found",
    [
        # 5 = 5 + 0 + 0, the zeros "fewer than 5": all five were a, so b and c are pinned.
        (suppressed("bc"), {"b", "c"}),
        # a hidden to protect them (5 or more): a = 5 and b = c = 0 still; all three.
        (suppressed("bc", "a"), {"a", "b", "c"}),
        # and the total too: t - a = b + c, 0 to 8 with a 5 or more: nothing is certain.
        (suppressed("bc", "ta"), set()),
    ],
)
def test_pinned_zeros_when_zeros_are_protected(hidden, found):
    counts = {"t": 5, "a": 5, "b": 0, "c": 0}
    assert pinned(counts, [TOTAL_T], hidden, 5, zeros=True) == found


TOTAL_T = Relation("t", ("a", "b", "c"))


def test_fewer_than_one_is_zero_and_protects_nothing_more():
    # min_count 1: only zeros are "fewer than 1", and the notice says they are zero.
    counts = {"t": 5, "a": 5, "b": 0, "c": 0}
    result = suppress(counts, [TOTAL_T], 1, zeros=True)
    assert (result.small, result.hidden) == ({"b", "c"}, set())


def test_suppress_protects_the_zeros_of_received_13_open_13():
    # A quarter with 13 received, all 13 still open: closed and ended-otherwise are 0 and
    # "fewer than 5"; "Open 13" beside "Received 13" would say that none was closed. The
    # open count is hidden (a part rather than the whole): it is then 5 to 13, and the two
    # zeros could be anything from 0 to 4 that adds up.
    counts = {"received": 13, "open": 13, "closed": 0, "ended": 0}
    relation = Relation("received", ("closed", "open", "ended"))
    result = suppress(counts, [relation], 5, zeros=True)
    assert (result.small, result.hidden) == ({"closed", "ended"}, {"open"})
    assert pinned(counts, [relation], result, 5, zeros=True) == set()
    # Without protecting zeros, nothing else is hidden: the two zeros can be worked out.
    assert suppress(counts, [relation], 5).hidden == set()


def test_suppress_leaves_counts_published_before_as_they_were():
    # A quarter of two months published before (m1 = 12 shown, m2 = 3 "fewer than 5"),
    # now the quarter itself: q = 15 shown would give m2 away (15 - 12 = 3). m1 was
    # published and may not be hidden now, so q is.
    counts = {"m1": 12, "m2": 3, "q": 15}
    before = suppressed(small={"m2"})
    result = suppress(counts, [Relation("q", ("m1", "m2"))], 5, before, fixed={"m1", "m2"})
    assert (result.small, result.hidden) == ({"m2"}, {"q"})


def test_suppress_follows_a_hidden_count_into_the_next_table():
    # Two months and their quarter, in two categories: a has 10 and 9 (19 in the quarter),
    # b has 1 and 0 (1). b's counts are all "fewer than 5"; m1 - m1a = 1 and q - qa = 1
    # would give them away, and so would the quarter's sums: more must be hidden, and
    # whatever is chosen, no relation may be left exposed and nothing may be pinned.
    counts = {
        "m1": 11,
        "m2": 9,
        "q": 20,
        "m1a": 10,
        "m1b": 1,
        "m2a": 9,
        "m2b": 0,
        "qa": 19,
        "qb": 1,
    }
    relations = [
        Relation("m1", ("m1a", "m1b")),
        Relation("m2", ("m2a", "m2b")),
        Relation("q", ("qa", "qb")),
        Relation("q", ("m1", "m2")),
        Relation("qa", ("m1a", "m2a")),
        Relation("qb", ("m1b", "m2b")),
    ]
    result = suppress(counts, relations, 5)
    assert {"m1b", "m2b", "qb"} <= result.small
    assert pinned(counts, relations, result, 5) == set()
    for relation in relations:
        assert not lone_hidden(relation, counts, result.all)
        assert not small_remainder(relation, counts, result.all, 5)


@pytest.mark.parametrize("base, allowed", [(0, False), (29, False), (30, True), (31, True)])
def test_rate_allowed(base, allowed):
    assert rate_allowed(base, 30) is allowed


@pytest.mark.parametrize(
    "outcomes, percent",
    [
        ([True, True, False], 67),  # 66.67 rounds up
        ([True] + [False] * 7, 13),  # 12.5: half rounds up
        ([True] * 3 + [False] * 5, 38),  # 37.5
        ([False] * 4, 0),
        ([True] * 31, 100),
    ],
)
def test_share(outcomes, percent):
    assert share(outcomes) == percent


@pytest.mark.parametrize(
    "values, middle",
    [
        ([7], 7),
        ([3, 1, 2], 2),
        ([1, 2, 3, 4], 2.5),
        ([2, 4], 3),
        ([5, 5, 9, 12], 7),
    ],
)
def test_median(values, middle):
    assert median(values) == middle


@pytest.mark.parametrize(
    "values, p90",
    [
        ([5], 5),
        (list(range(1, 11)), 9),  # rank ceil(0.9 * 10) = 9
        (list(range(1, 12)), 10),  # rank ceil(9.9) = 10
        (list(range(1, 21)), 18),  # rank 18
        ([30, 1, 2], 30),  # rank ceil(2.7) = 3
    ],
)
def test_percentile_90(values, p90):
    assert percentile_90(values) == p90


# --- what a complaint counts under -------------------------------------------------------

DAY = "2026-04-03"


@pytest.mark.parametrize(
    "events, expected",
    [
        # Nothing done: the acknowledgement was due on 8 April (Easter Monday does not count).
        (
            (),
            {
                "status": "open",
                "open": "overdue",
                "outcome": "no-response-yet",
                "escalation": "none",
            },
        ),
        ((ev("acknowledged", DAY),), {"status": "open", "open": "on-time"}),
        (
            closed(DAY, "2026-04-10"),
            {
                "status": "closed",
                "outcome": "upheld",
                "escalation": "none",
                "satisfaction": "satisfied",
            },
        ),
        (
            (ev("responded", "2026-04-10", outcome="not-upheld"), ev("closed", "2026-04-11")),
            {"status": "closed", "outcome": "not-upheld", "satisfaction": "not-recorded"},
        ),
        (
            (
                ev("assessed", DAY, priority="normal", handler="marco"),
                ev("responded", "2026-04-10", by="marco", outcome="not-upheld"),
                ev("escalated", "2026-04-13", handler="elena"),
                ev("responded", "2026-04-20", by="elena", outcome="partly-upheld"),
                ev("closed", "2026-04-21", satisfied=False),
            ),
            {
                "status": "closed",
                "outcome": "partly-upheld",
                "escalation": "internal-review",
                "satisfaction": "not-satisfied",
            },
        ),
        (
            (
                ev("responded", "2026-04-10", outcome="not-upheld"),
                ev("referred", "2026-04-15", to="ombudsman"),
            ),
            {"status": "ended-otherwise", "escalation": "external-body"},
        ),
        ((ev("withdrawn", "2026-04-07"),), {"status": "ended-otherwise", "escalation": "none"}),
    ],
)
def test_profile_items(events, expected):
    (found,), _, calendar = facts_of(
        [received(DAY, "K7Q2", "billing", "email", *events)], date(2026, 4, 24)
    )
    items = dict(profile(found, calendar).items)
    assert {table: items.get(table) for table in expected} == expected
    assert ("open" in items) == (expected["status"] == "open")
    assert ("satisfaction" in items) == (expected["status"] == "closed")


def test_rates_worked_out_by_hand():
    # Italy, 2026: Easter Monday 6 April, Liberation Day 25 April (a Saturday), Labour Day
    # 1 May. Targets: acknowledge 2, respond 20 working days.
    complaints = [
        # Received Friday 3 April; acknowledgement due Wed 8 April (7, 8: Monday 6 is a
        # holiday), done 7 April: on time. Answered Fri 10 April: 4 working days (7-10).
        received(
            DAY,
            "0001",
            "billing",
            "email",
            ev("acknowledged", "2026-04-07"),
            ev("responded", "2026-04-10", outcome="upheld"),
            ev("closed", "2026-04-10", satisfied=True),
            ev("surveyed", "2026-04-11", score=4),
        ),
        # Received Monday 13 April; acknowledgement due 15 April, done 20 April: late.
        # Response due 12 May (14-17, 20-24, 27-30, 4-8 May, 11, 12), done Fri 29 May:
        # late, 33 working days (4 + 5 + 4 in April, 5 + 5 + 5 + 5 in May).
        received(
            "2026-04-13",
            "0002",
            "billing",
            "email",
            ev("acknowledged", "2026-04-20"),
            ev("responded", "2026-05-29", outcome="upheld"),
            ev("closed", "2026-05-29", satisfied=False),
            ev("surveyed", "2026-05-30", score=2),
        ),
        # Received 20 April, nothing done: both steps overdue by 30 June.
        received("2026-04-20", "0003", "billing", "email"),
    ]
    found, the_policy, calendar = facts_of(
        complaints, date(2026, 6, 30), publication={"min_count": 1, "min_rate_base": 1}
    )
    result = published(found, the_policy, calendar, date(2026, 6, 30))
    value = {(f.period, f.table, f.item): f.value for f in result.figures}
    for period in ("2026", "2026-Q2", "2026-04"):
        assert value[(period, "received", "all")] == 3
        assert value[(period, "status", "closed")] == 2
        assert value[(period, "open", "overdue")] == 1
        assert value[(period, "timeliness", "acknowledged-within-target")] == 33  # 1 of 3
        assert value[(period, "timeliness", "responded-within-target")] == 33
        assert value[(period, "timeliness", "days-to-response-median")] == 18.5  # (4 + 33) / 2
        assert value[(period, "timeliness", "days-to-response-p90")] == 33
        assert value[(period, "survey", "score-mean")] == 3.0
    assert value[("2026-05", "received", "all")] is None  # zero: hidden, even below 1


# --- the register made to tempt disclosure control --------------------------------------

AS_OF = date(2026, 6, 30)


def tempting_published():
    found, the_policy, calendar = facts_of(tempting(), AS_OF)
    return published(found, the_policy, calendar, AS_OF)


def test_no_small_count_is_shown():
    for figure in tempting_published().figures:
        if figure.unit == "count" and figure.value is not None:
            assert figure.value >= POLICY["publication"]["min_count"], figure


def test_the_category_of_two_and_the_month_of_one_are_hidden():
    result = tempting_published()
    for figure in result.figures:
        if figure.item == "service-quality" or figure.period == "2026-05":
            assert figure.value is None, figure
    # 19 received in 2026, 17 of them billing: had both been shown, 19 - 17 = 2 would give
    # service-quality away. At least one of the two must be hidden.
    year_total = result.get("2026", "received", "all").value
    billing = result.get("2026", "category", "billing").value
    assert year_total is None or billing is None


def test_no_rate_over_a_small_base():
    # 19 complaints: no share, median or mean can have 30 behind it.
    for figure in tempting_published().figures:
        if figure.unit != "count":
            assert (figure.value, figure.note) == (None, "small-base"), figure


def example_published():
    register = Register(EXAMPLE)
    the_policy = register.policy()
    calendar = calendar_for(the_policy)
    found, _ = all_facts(register, the_policy, calendar, date(2026, 11, 23))
    return published(found, the_policy, calendar, date(2026, 11, 23))


def marked_published():
    found, the_policy, calendar = facts_of(marked(), date(2026, 11, 23))
    return published(found, the_policy, calendar, date(2026, 11, 23))


PARTITIONS = {  # (table: (parent table, parent item)): how the tables add up, restated
    "status": ("received", "all"),
    "category": ("received", "all"),
    "channel": ("received", "all"),
    "outcome": ("received", "all"),
    "escalation": ("received", "all"),
    "open": ("status", "open"),
    "satisfaction": ("status", "closed"),
}


def sums(counts: list, across=None) -> list[tuple[int, list[int]]]:
    """(whole, parts) for every sum a reader can check: each table of a period adds up to
    its parent count, each year (quarter) to its quarters (months), for the tables in
    `across` (default: every table). Indexes into counts."""
    key = {(f.period, f.table, f.item): i for i, f in enumerate(counts)}
    equations = []
    for period, table in dict.fromkeys((p, t) for p, t, _ in key):
        if table in PARTITIONS and (period, *PARTITIONS[table]) in key:
            parts = [j for (p, t, _), j in key.items() if (p, t) == (period, table)]
            equations.append((key[(period, *PARTITIONS[table])], parts))
    for (period, table, item), i in key.items():
        if across is not None and table not in across:
            continue
        children = [
            j for (p, t, it), j in key.items() if (t, it) == (table, item) and _parent(p) == period
        ]
        if children:
            equations.append((i, children))
    return equations


def attack(result, across=None) -> list[tuple]:
    """Every hidden count that the published counts pin to one value (zero too: "Received
    13" and "Open 13" say that none of the 13 was closed). `across`: see `sums`."""
    counts = [f for f in result.figures if f.unit == "count"]
    equations = sums(counts, across)
    largest = sum(f.value or 0 for f in counts) + 1000
    low = [
        f.value if f.value is not None else 0 if f.note == "fewer-than" else result.min_count
        for f in counts
    ]
    high = [
        f.value
        if f.value is not None
        else result.min_count - 1
        if f.note == "fewer-than"
        else largest
        for f in counts
    ]
    matrix = np.zeros((len(equations), len(counts)))
    for row, (whole, parts) in enumerate(equations):
        matrix[row, whole] -= 1
        matrix[row, parts] += 1
    problem = dict(
        constraints=LinearConstraint(matrix, 0, 0),
        bounds=Bounds(low, high),
        integrality=np.ones(len(counts)),
    )
    seen = [set() for _ in counts]  # the values each count takes in the solutions found
    hidden = np.array([f.value is None for f in counts], dtype=float)
    for objective in (hidden, -hidden):  # every hidden count at its lowest, then highest
        for j, value in enumerate(np.round(milp(objective, **problem).x)):
            seen[j].add(int(value))
    for i, figure in enumerate(counts):
        for sign in (1, -1):  # its lowest, then its highest value
            if figure.value is None and len(seen[i]) < 2:
                objective = np.zeros(len(counts))
                objective[i] = sign
                for j, value in enumerate(np.round(milp(objective, **problem).x)):
                    seen[j].add(int(value))
    return [
        (f.period, f.table, f.item, *seen[i])
        for i, f in enumerate(counts)
        if f.value is None and len(seen[i]) == 1
    ]


def _parent(period: str) -> str | None:
    if "Q" in period:
        return period[:4]
    if "-" in period:
        return f"{period[:4]}-Q{(int(period[5:]) - 1) // 3 + 1}"
    return None


@pytest.mark.parametrize("made", [tempting_published, marked_published, example_published])
def test_no_hidden_count_can_be_worked_out(made):
    result = made()
    assert any(f.value is None for f in result.figures)  # else there is nothing to attack
    assert attack(result) == []


@pytest.mark.parametrize("made", [tempting_published, marked_published, example_published])
def test_no_small_count_by_subtraction(made):
    # A shown whole less its shown parts is the sum of the hidden parts: it must not be a
    # small count either (19 - 17 = 2 in the tempting register, had both been shown).
    result = made()
    counts = [f for f in result.figures if f.unit == "count"]
    for whole, parts in sums(counts):
        if counts[whole].value is not None:
            rest = counts[whole].value - sum(counts[p].value or 0 for p in parts)
            assert rest == 0 or rest >= result.min_count, (counts[whole], rest)


@pytest.mark.parametrize(
    "other, exposed",
    [
        # 19 received, 17 billing, other 0 shown: service-quality is 19 - 17 - 0 = 2.
        (
            Figure("2026", "year", "category", "other", "count", 0),
            [("2026", "category", "service-quality", 2)],
        ),
        # The zero hidden as well: service-quality + other = 2 could be 2 + 0, 1 + 1 or 0 + 2.
        (Figure("2026", "year", "category", "other", "count", None, "fewer-than"), []),
    ],
)
def test_the_attacker_finds_a_count_given_away_by_subtraction(other, exposed):
    figures = (
        Figure("2026", "year", "received", "all", "count", 19),
        Figure("2026", "year", "category", "billing", "count", 17),
        Figure("2026", "year", "category", "service-quality", "count", None, "fewer-than"),
        other,
    )
    assert attack(Published("2026-06", 5, 30, figures)) == exposed


def test_the_attacker_finds_the_zeros_of_received_13_open_13():
    # A quarter: 13 received, 13 open; closed and ended otherwise "fewer than 5": both 0.
    figures = (
        Figure("2026-Q2", "quarter", "received", "all", "count", 13),
        Figure("2026-Q2", "quarter", "status", "closed", "count", None, "fewer-than"),
        Figure("2026-Q2", "quarter", "status", "open", "count", 13),
        Figure("2026-Q2", "quarter", "status", "ended-otherwise", "count", None, "fewer-than"),
    )
    assert attack(Published("2026-06", 5, 30, figures)) == [
        ("2026-Q2", "status", "closed", 0),
        ("2026-Q2", "status", "ended-otherwise", 0),
    ]


# --- publications over time ------------------------------------------------------------


def example_settled(as_of: date) -> Published:
    register = Register(EXAMPLE)
    the_policy = register.policy()
    calendar = calendar_for(the_policy)
    return settled(
        lambda day, months: all_facts(register, the_policy, calendar, day)[0],
        the_policy,
        calendar,
        as_of,
    )


# Counted when received, these stay the same however late a year is counted: a reader can
# add up a year's quarters of them. Where complaints stand (closed, open, ...) moves on
# between a quarter's settle day and its year's, and those sums do not hold.
RECEIPT_TABLES = ("received", "category", "channel")


@pytest.mark.parametrize(
    "as_of, last_month, quarters, years",
    [
        # settle_months 3: a month is published at the end of the third month after it.
        (date(2026, 5, 30), "2026-01", ["2025-Q2", "2025-Q3", "2025-Q4"], ["2025"]),
        (date(2026, 5, 31), "2026-02", ["2025-Q2", "2025-Q3", "2025-Q4"], ["2025"]),
        (date(2026, 6, 30), "2026-03", ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"], ["2025"]),
        (date(2025, 8, 30), None, [], []),  # the first complaint was received in May 2025
        (date(2025, 8, 31), "2025-05", [], []),
    ],
)
def test_a_period_is_published_settle_months_after_it_ends(as_of, last_month, quarters, years):
    result = example_settled(as_of)
    months = result.periods("month")
    assert (months[-1] if months else None) == last_month
    assert (result.periods("quarter"), result.periods("year")) == (quarters, years)


def test_each_settle_day_asks_only_for_the_complaints_of_its_periods():
    # As of 31 March 2026: months May 2025 (the first) to December 2025, settled on the last
    # day of the third month after. A month alone asks for itself; a quarter's last month
    # for the quarter's three; December for the whole year.
    register = Register(EXAMPLE)
    the_policy = register.policy()
    calendar = calendar_for(the_policy)
    asked = []

    def facts_on(day, months):
        asked.append((day, months))
        return all_facts(register, the_policy, calendar, day)[0]

    settled(facts_on, the_policy, calendar, date(2026, 3, 31))
    assert asked[0] == (date(2026, 3, 31), None)  # every complaint: where the months begin
    assert asked[1:] == [
        (date(2025, 8, 31), ("2025-05", "2025-05")),
        (date(2025, 9, 30), ("2025-04", "2025-06")),  # June ends the second quarter
        (date(2025, 10, 31), ("2025-07", "2025-07")),
        (date(2025, 11, 30), ("2025-08", "2025-08")),
        (date(2025, 12, 31), ("2025-07", "2025-09")),
        (date(2026, 1, 31), ("2025-10", "2025-10")),
        (date(2026, 2, 28), ("2025-11", "2025-11")),
        (date(2026, 3, 31), ("2025-01", "2025-12")),  # December: its quarter and its year
    ]


def test_two_publications_months_apart_give_nothing_away():
    # Half a year apart: the first has the months to September 2025 and two quarters; the
    # second adds October 2025 to March 2026, the last quarter of 2025, the year 2025 and
    # the first quarter of 2026.
    early, late = example_settled(date(2025, 12, 31)), example_settled(date(2026, 6, 30))
    # The later one only adds periods: every figure of the earlier one, exactly as it was.
    assert set(early.figures) <= set(late.figures)
    assert {f.period for f in late.figures} - {f.period for f in early.figures} == {
        "2025-10",
        "2025-11",
        "2025-12",
        "2025-Q4",
        "2025",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-Q1",
    }
    both = Published("2026-06", 5, 30, tuple(dict.fromkeys(early.figures + late.figures)))
    assert sum(f.value is None for f in both.figures if f.unit == "count") > 100
    assert attack(both, across=RECEIPT_TABLES) == []


def test_one_row_per_figure_never_per_complaint():
    # Twenty more billing complaints in the same months add no row.
    more = tempting() + [
        received(f"2026-03-{n + 2:02d}", f"Z{n:03d}", "billing", "email") for n in range(20)
    ]
    found, the_policy, calendar = facts_of(more, AS_OF)
    keys = {
        (f.period, f.table, f.item) for f in published(found, the_policy, calendar, AS_OF).figures
    }
    assert keys == {(f.period, f.table, f.item) for f in tempting_published().figures}


def test_nothing_but_periods_names_and_numbers():
    complaints = marked()
    found, the_policy, calendar = facts_of(complaints, date(2026, 11, 23))
    result = published(found, the_policy, calendar, date(2026, 11, 23))
    text = json.dumps(result.as_json())
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no date finer than a month
    assert [m for m in markers(complaints) if m.lower() in text.lower()] == []
    vocabulary = (
        set(POLICY["categories"])
        | set(POLICY["channels"])
        | {
            "all",
            "closed",
            "open",
            "ended-otherwise",
            "overdue",
            "on-time",
            "upheld",
            "partly-upheld",
            "not-upheld",
            "no-response-yet",
            "none",
            "internal-review",
            "external-body",
            "satisfied",
            "not-satisfied",
            "not-recorded",
            "acknowledged-within-target",
            "responded-within-target",
            "days-to-response-median",
            "days-to-response-p90",
            "score-mean",
        }
    )
    for figure in result.figures:
        assert re.fullmatch(r"\d{4}(-Q[1-4]|-\d{2})?", figure.period)
        assert figure.item in vocabulary
        assert figure.value is None or isinstance(figure.value, (int, float))


# --- the command ---------------------------------------------------------------------


def test_stats_command_prints_the_published_figures(register):
    write_register(register.root, tempting())
    as_json = register.run("stats", "--as-of", "2026-06-30")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert data["as_of_month"] == "2026-06"
    assert data["publication"] == {"min_count": 5, "min_rate_base": 30}
    may = [f for f in data["figures"] if f["period"] == "2026-05" and f["table"] == "received"]
    assert may == [
        {
            "period": "2026-05",
            "period_type": "month",
            "table": "received",
            "item": "all",
            "unit": "count",
            "value": None,
            "note": "fewer-than",
        }
    ]
    as_csv = register.run("stats", "--as-of", "2026-06-30", "--format", "csv")
    lines = as_csv.stdout.splitlines()
    assert lines[0] == "period,period_type,table,item,unit,value,note"
    assert "2026-05,month,received,all,count,,fewer-than" in lines
    assert len(lines) == len(data["figures"]) + 1


def test_stats_command_on_an_empty_register(register):
    result = register.run("stats", "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["figures"] == []
