"""The proof that no hidden count can be worked out, made cheaper: moves made by hand free
most cells before any integer program is solved (scripts/core/disclosure.py, `_moves`).
Such a shortcut may only ever say "free" of a cell some whole-number solution really moves:
here its verdict is compared with the plain proof, each hidden cell's lowest and highest
value found by `milp`, on generated tables, and the check every move passes is tried on
moves worked out by hand. min_count is 5 unless a test says otherwise."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from complaints_register.core import disclosure
from complaints_register.core.disclosure import Relation, Suppressed, _Group, _moves, pinned


def system(cells, relations, counts, hidden, bounds) -> dict:
    """The relations as equations in the hidden cells, the shown ones as constants: milp's
    arguments but the objective."""
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = np.zeros((len(relations), len(cells)))
    target = np.zeros(len(relations))
    for row, relation in enumerate(relations):
        for member, sign in [(relation.whole, -1)] + [(p, 1) for p in relation.parts]:
            if member in hidden:
                matrix[row, index[member]] += sign
            else:
                target[row] -= sign * counts[member]
    return dict(
        constraints=LinearConstraint(matrix, target, target),
        integrality=np.ones(len(cells)),
        bounds=Bounds([bounds[c][0] for c in cells], [bounds[c][1] for c in cells]),
    )


def lowest_and_highest(problem: dict, size: int, i: int) -> set[int]:
    """Cell `i`'s lowest and highest value over every whole-number solution of `problem`."""
    values = set()
    for sign in (1, -1):
        objective = np.zeros(size)
        objective[i] = sign
        values.add(round(milp(objective, **problem).x[i]))
    return values


def plain_proof(cells, relations, counts, hidden, bounds, zeros=False):
    """Each cell's lowest and highest value over every whole-number solution, by milp: the
    cells whose only value is their true one (zeros too only with `zeros`)."""
    problem = system(cells, relations, counts, hidden, bounds)
    found = set()
    for i, cell in enumerate(cells):
        values = lowest_and_highest(problem, len(cells), i)
        if values == {counts[cell]} and bounds[cell][0] < bounds[cell][1]:
            if zeros or counts[cell] != 0:
                found.add(cell)
    return found


def table(people, extra, min_count):
    """Counts and relations of two tables of 'rows' by 'cols' and by 'kind' with all their
    totals, from people given as (row, col, kind); the hidden cells: the small ones, and
    `extra` (indexes into the cells) hidden to protect them."""
    rows, cols, kinds = ("r0", "r1", "r2"), ("c0", "c1", "c2"), ("k0", "k1")
    counts = {("all", "all"): len(people)}
    for r in rows:
        counts[(r, "all")] = sum(1 for p in people if p[0] == r)
        for c in cols:
            counts[(r, c)] = sum(1 for p in people if p[:2] == (r, c))
        for k in kinds:
            counts[(r, k)] = sum(1 for p in people if (p[0], p[2]) == (r, k))
    for c in cols:
        counts[("all", c)] = sum(1 for p in people if p[1] == c)
    for k in kinds:
        counts[("all", k)] = sum(1 for p in people if p[2] == k)
    relations = [Relation(("all", "all"), tuple((r, "all") for r in rows))]
    for split in (cols, kinds):
        relations.append(Relation(("all", "all"), tuple(("all", x) for x in split)))
        for r in rows:
            relations.append(Relation((r, "all"), tuple((r, x) for x in split)))
        for x in split:
            relations.append(Relation(("all", x), tuple((r, x) for r in rows)))
    cells = sorted(counts)
    small = {c for c in cells if counts[c] < min_count}
    hidden = {cells[i % len(cells)] for i in extra} - small
    return counts, relations, Suppressed(small=small, hidden=hidden)


PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["r0", "r1", "r2"]),
        st.sampled_from(["c0", "c1", "c2"]),
        st.sampled_from(["k0", "k1"]),
    ),
    max_size=14,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=PEOPLE,
    extra=st.lists(st.integers(0, 30), max_size=4),
    min_count=st.integers(2, 5),
    zeros=st.booleans(),
)
def test_the_shortcut_frees_only_what_the_plain_proof_frees(people, extra, min_count, zeros):
    counts, relations, suppressed = table(people, extra, min_count)
    found = pinned(counts, relations, suppressed, min_count, zeros=zeros)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(disclosure, "_pinned_in_group", plain_proof)
        expected = pinned(counts, relations, suppressed, min_count, zeros=zeros)
    assert found == expected


def group_of(counts, relations, hidden, bounds):
    cells = sorted(hidden)
    return _Group(cells, relations, counts, set(hidden), bounds), cells


# t = a + b + c (4 = 1 + 3 + 0), all three "fewer than 5" (0 to 4), t shown.
ABC = [Relation("t", ("a", "b", "c"))]
ABC_COUNTS = {"t": 4, "a": 1, "b": 3, "c": 0}
SMALL = {"a": (0, 4), "b": (0, 4), "c": (0, 4)}


@pytest.mark.parametrize(
    "move, kept",
    [
        ({0: 1, 1: -1}, True),  # a 2, b 2: still 4
        ({0: -1, 2: 1}, True),  # a 0, c 1
        ({0: 1}, False),  # a 2 alone: 5, not 4
        ({1: 2, 2: -2}, False),  # c would be -2, below its 0
        ({1: 2, 0: -1, 2: -1}, False),  # b 5 is not "fewer than 5"; and c -1
        ({0: 1, 3: -1}, False),  # cell 3 is no hidden cell of the group
    ],
)
def test_a_move_is_kept_only_if_every_relation_and_bound_holds(move, kept):
    group, cells = group_of(ABC_COUNTS, ABC, {"a", "b", "c"}, SMALL)
    assert cells == ["a", "b", "c"]
    assert group.keeps(move) is kept


def test_no_move_is_kept_if_the_true_counts_break_a_relation():
    # 4 = 1 + 3 + 1 does not hold: whatever the move, it proves nothing.
    group, _ = group_of({**ABC_COUNTS, "c": 1}, ABC, {"a", "b", "c"}, SMALL)
    assert group.keeps({0: 1, 1: -1}) is False


def solves(counts, relations, bounds, changed):
    """Whether the counts with `changed` (cell: new value) keep every relation and bound."""
    values = {**counts, **changed}
    return all(values[r.whole] == sum(values[p] for p in r.parts) for r in relations) and all(
        low <= values[c] <= high for c, (low, high) in bounds.items()
    )


@pytest.mark.parametrize("size", [3, 200])  # a small group, and one no basis is sought for
def test_moves_free_every_cell_of_a_small_table_without_a_solver(monkeypatch, size):
    # Two people: (r0, c0, k0) and (r1, c1, k1); everything is "fewer than 5" but the grand
    # total 2, shown. Moving a person to another row or column, or swapping columns between
    # rows, moves every cell, zeros too: no cell is pinned, and no milp is needed.
    monkeypatch.setattr(disclosure, "_BALANCED_UP_TO", size)
    people = [("r0", "c0", "k0"), ("r1", "c1", "k1")]
    counts, relations, suppressed = table(people, [], 5)
    suppressed.small.discard(("all", "all"))
    hidden = suppressed.all
    bounds = dict.fromkeys(hidden, (0, 4))
    group, cells = group_of(counts, relations, hidden, bounds)
    free = [False] * len(cells)
    for move in _moves(group, free):
        kept = group.keeps(move)
        changed = {cells[i]: counts[cells[i]] + n for i, n in move.items()}
        assert kept == solves(counts, relations, bounds, changed)
        if kept:
            for i in move:
                free[i] = True
    assert all(free)
    monkeypatch.setattr("scipy.optimize.milp", lambda *a, **k: pytest.fail("a solver ran"))
    assert pinned(counts, relations, suppressed, 5, zeros=True) == set()


# --- sums taken at face value -------------------------------------------------------------
# A whole counted after its parts were published counts the entries recorded late in
# between, and its parts, published for good, do not: the sum does not hold, yet a reader
# told that the sums hold takes it for true. What the reader can work out is then what that
# system of equations pins, whatever the true counts are.


def face_value_proof(cells, relations, counts, hidden, bounds, zeros=False):
    """Each cell's lowest and highest value over every whole-number solution of the
    relations as a reader takes them, by milp: the cells with one value only (zero too only
    with `zeros`). With no solution at all, the same without the relations the true counts
    break (the reader sees that they cannot all hold)."""
    problem = system(cells, relations, counts, hidden, bounds)
    if milp(np.zeros(len(cells)), **problem).status != 0:
        kept = [r for r in relations if counts[r.whole] == sum(counts[p] for p in r.parts)]
        if len(kept) == len(relations):
            return set()
        return face_value_proof(cells, kept, counts, hidden, bounds, zeros)
    found = set()
    for i, cell in enumerate(cells):
        values = lowest_and_highest(problem, len(cells), i)
        if len(values) == 1 and bounds[cell][0] < bounds[cell][1]:
            if zeros or values != {0}:
                found.add(cell)
    return found


def with_late(people, late, extra, min_count):
    """`table`, with `late` people (row, col, kind) counted in the totals over the rows
    only (("all", x): the year) and not in their row (the quarter published before)."""
    counts, relations, _ = table(people, [], min_count)
    for _, col, kind in late:
        for cell in (("all", "all"), ("all", col), ("all", kind)):
            counts[cell] += 1
    cells = sorted(counts)
    small = {c for c in cells if counts[c] < min_count}
    hidden = {cells[i % len(cells)] for i in extra} - small
    return counts, relations, Suppressed(small=small, hidden=hidden)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=PEOPLE,
    late=PEOPLE.map(lambda found: found[:3]).filter(bool),
    extra=st.lists(st.integers(0, 30), max_size=5),
    min_count=st.integers(2, 5),
    zeros=st.booleans(),
)
def test_with_sums_broken_by_late_entries_the_proof_agrees_with_the_face_value_one(
    people, late, extra, min_count, zeros
):
    counts, relations, suppressed = with_late(people, late, extra, min_count)
    found = pinned(counts, relations, suppressed, min_count, zeros=zeros)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(disclosure, "_pinned_in_group", face_value_proof)
        expected = pinned(counts, relations, suppressed, min_count, zeros=zeros)
    assert found == expected


# y = q2 + q3 + q4 as a reader takes it: the year 22 counts a late entry dated in the third
# quarter, published before as 8 (it holds 9 now); the second quarter holds 5, hidden
# (at least 5), the fourth 8.
YEAR = [Relation("y", ("q2", "q3", "q4"))]
YEAR_COUNTS = {"y": 22, "q2": 5, "q3": 8, "q4": 8}


def test_a_count_pinned_by_a_broken_sum_taken_at_face_value_is_found():
    # With the fourth quarter shown, 22 - 8 - 8 = 6: one value (not the true 5).
    suppressed = Suppressed(hidden={"q2"})
    assert pinned(YEAR_COUNTS, YEAR, suppressed, 5, zeros=True) == {"q2"}


def test_a_count_pinned_by_a_broken_sum_gets_a_new_count_hidden():
    # The second and third quarters were published before; the fourth and the year are new.
    # Hiding the fourth (8, a part, smaller than the year's 22) leaves q2 + q4 = 14 with
    # both at least 5: the second anything from 5 to 9.
    before = Suppressed(hidden={"q2"})
    found = disclosure.suppress(YEAR_COUNTS, YEAR, 5, before=before, fixed={"q2", "q3"}, zeros=True)
    assert (found.small, found.hidden) == (set(), {"q2", "q4"})
    assert pinned(YEAR_COUNTS, YEAR, found, 5, zeros=True) == set()


def test_a_contradiction_a_reader_can_see_pins_nothing_through_the_broken_sum():
    # Only the second quarter hidden and "fewer than 5" (0 to 4): 22 - 8 - 8 = 6 cannot
    # be; the reader sees the sum is broken and has nothing else to go by.
    suppressed = Suppressed(small={"q2"})
    assert pinned({**YEAR_COUNTS, "q2": 4}, YEAR, suppressed, 5, zeros=True) == set()
