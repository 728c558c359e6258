"""Disclosure control: which counts of a set of linked tables may be published.

Pure functions over counts keyed by cell and the additive relations between cells (a
whole is the sum of its parts: a year is its quarters, the received total is its
categories). The rules, each its own function below (DESIGN.md section 6):

* primary suppression: a count below `min_count` is never published; it is shown as
  "fewer than `min_count`" (`is_small`). Zero is hidden too: were zeros published, a
  "fewer than" count would be known to be at least 1, and a year whose three quarters
  each show "fewer than 5" would be known to hold at least 3;
* a relation with exactly one hidden member, not zero, gives it away by subtraction
  (`lone_hidden`);
* a published whole less its published parts is itself a count, so it must not be a small
  one either (`small_remainder`);
* no hidden count other than zero may be worked out from everything published together:
  equations from every table at once, and what a reader knows of each hidden count (a
  "fewer than" count is 0 to `min_count - 1`; a count hidden to protect another is at
  least `min_count`). `pinned` proves it per group of linked hidden counts: a hidden count
  is safe when two whole-number solutions of the group give it different values, solutions
  made by hand first (each checked exactly), integer linear programs for the rest. The
  relations are those a reader takes to hold, and the true counts need not keep them (a
  year's sum of quarters published before it, broken by entries recorded late): what is
  proved is what that system pins, from solutions of its own.

Working out that a hidden count is zero tells nothing about any one person, and with
`zeros=False` that is allowed. With `zeros=True` (what the published statistics use) a zero
is protected like any other small count: "Received 13" beside "Open 13" would say that
none of the 13 was closed, something about each of them. (With `min_count` 1, "fewer than
1" says zero already, and nothing more is protected.)

Counts published earlier can be `fixed`: they are never hidden now, and what was hidden
of them stays hidden (a period is published once and never changed, DESIGN.md section 6).

Secondary suppression hides, one at a time, the smallest published count that breaks the
exposure (`secondary_for`), parts before wholes, until no rule finds anything.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from fractions import Fraction

    import numpy as np

Cell = TypeVar("Cell", bound=Hashable)
"""Whatever a count is keyed by (the statistics key theirs by (period, table, item))."""


class DisclosureError(Exception):
    """The counts cannot be protected by hiding more of them (never expected in practice)."""


@dataclass(frozen=True)
class Relation(Generic[Cell]):
    """`whole` is the sum of `parts`."""

    whole: Cell
    parts: tuple[Cell, ...]

    @property
    def members(self) -> tuple[Cell, ...]:
        return (self.whole, *self.parts)


@dataclass
class Suppressed(Generic[Cell]):
    """Which cells are hidden: `small` for their own sake, `hidden` to protect them."""

    small: set[Cell] = field(default_factory=set)
    hidden: set[Cell] = field(default_factory=set)

    def __contains__(self, cell: Cell) -> bool:
        return cell in self.small or cell in self.hidden

    @property
    def all(self) -> set[Cell]:
        return self.small | self.hidden


def is_small(count: int, min_count: int) -> bool:
    """A count that is never published: below min_count, zero included."""
    return count < min_count


def lone_hidden(
    relation: Relation[Cell], counts: Mapping[Cell, int], hidden: set[Cell], zeros: bool = False
) -> bool:
    """Exactly one member of the relation is hidden, and it is not zero (or `zeros`):
    subtraction gives it away."""
    found = [member for member in relation.members if member in hidden]
    return len(found) == 1 and (zeros or counts[found[0]] > 0)


def small_remainder(
    relation: Relation[Cell],
    counts: Mapping[Cell, int],
    hidden: set[Cell],
    min_count: int,
    zeros: bool = False,
) -> bool:
    """The published whole less the published parts is a small count other than zero; or,
    with `zeros`, zero while some parts are hidden (each is then known to be zero).

    Worked out as a reader does, from the published counts alone: where the relation does
    not hold in the true counts (a whole counted after its parts were published, with
    entries recorded late), the reader's remainder is not the sum of the hidden parts. A
    remainder below zero, or one with no hidden part, protects nothing: the reader sees
    the sum does not hold."""
    if relation.whole in hidden:
        return False
    parts = [part for part in relation.parts if part in hidden]
    if not parts:
        return False
    rest = counts[relation.whole] - sum(counts[p] for p in relation.parts if p not in hidden)
    return (0 < rest or (zeros and rest == 0)) and rest < min_count


def exposed(
    relation: Relation[Cell],
    counts: Mapping[Cell, int],
    hidden: set[Cell],
    min_count: int,
    zeros: bool = False,
) -> bool:
    """Either of the two rules a single relation can break."""
    return lone_hidden(relation, counts, hidden, zeros) or small_remainder(
        relation, counts, hidden, min_count, zeros
    )


def secondary_for(
    relations: Iterable[Relation[Cell]],
    counts: Mapping[Cell, int],
    hidden: set[Cell],
    fixed: Set[Cell] = frozenset(),
) -> Cell | None:
    """The published count to hide next among these relations: the smallest one that is
    not zero (hiding a zero protects nothing) and not `fixed` (published already), parts
    before wholes; None if there is none."""
    candidates = []
    for relation in relations:
        for rank, member in enumerate(relation.members):
            if member not in hidden and member not in fixed and counts[member] > 0:
                candidates.append((counts[member], rank == 0, repr(member), member))
    return min(candidates)[-1] if candidates else None


def suppress(
    counts: Mapping[Cell, int],
    relations: list[Relation[Cell]],
    min_count: int,
    before: Suppressed[Cell] | None = None,
    fixed: Set[Cell] = frozenset(),
    zeros: bool = False,
) -> Suppressed[Cell]:
    """Primary suppression, then secondary suppression until no rule finds an exposure.

    `fixed` cells were published before, with `before` saying which of them were hidden:
    they keep what they showed; only the other cells may be hidden now, and only groups of
    hidden cells that a relation links to one of them are proved again. `zeros`: see the
    module's docstring."""
    zeros = zeros and min_count > 1
    result = Suppressed(
        small={c for c, n in counts.items() if c not in fixed and is_small(n, min_count)},
        hidden=set(),
    )
    if before is not None:
        result.small |= before.small & fixed
        result.hidden |= before.hidden & fixed
    fresh = {cell for cell in counts if cell not in fixed} if fixed else None
    by_cell = _relations_by_cell(relations)
    while True:
        _protect_relations(counts, relations, result, min_count, fixed, zeros)
        found = pinned(counts, relations, result, min_count, fresh, zeros)
        if not found:
            return result
        touched: set[Cell] = set()  # cells whose relations gained a hidden count this round
        for cell in sorted(found, key=repr):
            if cell in touched:
                continue  # perhaps freed already: the next round tells
            extra = secondary_for(by_cell[cell], counts, result.all, fixed) or _further(
                cell, by_cell, counts, result.all, fixed
            )
            if extra is not None:
                result.hidden.add(extra)
                touched |= {m for relation in by_cell[extra] for m in relation.members}
        if not touched:
            raise DisclosureError(f"cannot protect {sorted(found, key=repr)[0]!r}")


def _protect_relations(
    counts: Mapping[Cell, int],
    relations: list[Relation[Cell]],
    result: Suppressed[Cell],
    min_count: int,
    fixed: Set[Cell] = frozenset(),
    zeros: bool = False,
) -> None:
    """Hide counts until no single relation is exposed.

    In passes over the relations in order, each exposed relation getting its smallest shown
    count hidden, until a pass hides nothing. Whether a relation is exposed depends only on
    its members, so a pass looks only at the relations a hidden count has joined since it
    last looked at them: the same choices as looking at every relation every pass, in time
    that grows with the relations rather than with their square (a register's periods run
    from its first receipt to the as-of date, however many of them are empty).
    """
    hidden = result.all
    joined: defaultdict[Cell, list[int]] = defaultdict(list)  # the relations of each cell
    for i, relation in enumerate(relations):
        for member in relation.members:
            joined[member].append(i)
    this_pass = list(range(len(relations)))  # every relation, in order, the first time
    heapq.heapify(this_pass)
    queued = set(this_pass)
    next_pass: set[int] = set()
    while this_pass:
        while this_pass:
            current = heapq.heappop(this_pass)
            queued.discard(current)
            relation = relations[current]
            if not exposed(relation, counts, hidden, min_count, zeros):
                continue
            extra = secondary_for([relation], counts, hidden, fixed)
            if extra is None:
                raise DisclosureError(f"cannot protect {relation!r}")
            result.hidden.add(extra)
            hidden.add(extra)
            for i in joined[extra]:
                if i > current and i not in queued:  # still ahead in this pass
                    heapq.heappush(this_pass, i)
                    queued.add(i)
                elif i <= current:  # behind: the next pass looks at it again
                    next_pass.add(i)
        this_pass = sorted(next_pass)  # a sorted list is a heap
        queued = set(this_pass)
        next_pass = set()


def _further(
    cell: Cell,
    by_cell: Mapping[Cell, list[Relation[Cell]]],
    counts: Mapping[Cell, int],
    hidden: set[Cell],
    fixed: Set[Cell] = frozenset(),
) -> Cell | None:
    """A count to hide anywhere among the hidden cells linked to `cell`."""
    seen, queue = {cell}, [cell]
    while queue:
        for relation in by_cell[queue.pop(0)]:
            extra = secondary_for([relation], counts, hidden, fixed)
            if extra is not None:
                return extra
            for member in relation.members:
                if member in hidden and member not in seen:
                    seen.add(member)
                    queue.append(member)
    return None


def pinned(
    counts: Mapping[Cell, int],
    relations: list[Relation[Cell]],
    suppressed: Suppressed[Cell],
    min_count: int,
    fresh: Set[Cell] | None = None,
    zeros: bool = False,
) -> set[Cell]:
    """The hidden cells whose value is the only one consistent with everything published
    and with what a reader knows of hidden cells (see the module's docstring); when
    `fresh` is given, only in the groups a relation of a fresh cell touches (the others
    were proved before, and nothing of them has changed)."""
    hidden = suppressed.all
    ceiling = sum(counts.values())  # any finite bound above every count will do
    found = set()
    for cells, linked in _groups(relations, hidden):
        if fresh is not None and not any(m in fresh for r in linked for m in r.members):
            continue
        if not any(counts[c] for c in cells) and (
            not zeros or not any(counts[m] for r in linked for m in r.members)
        ):
            # Hidden zeros only: working them out tells nothing about anyone. With `zeros`,
            # only where every count they are linked to is zero too (an empty month of an
            # empty year): no group of people is there for a zero to say something of.
            continue
        bounds = {
            c: (0, min_count - 1) if c in suppressed.small else (min_count, ceiling) for c in cells
        }
        found |= _pinned_in_group(cells, linked, counts, hidden, bounds, zeros)
    return found


def _groups(
    relations: list[Relation[Cell]], hidden: set[Cell]
) -> list[tuple[list[Cell], list[Relation[Cell]]]]:
    """Hidden cells in groups linked by relations, each with the relations touching it."""
    parent: dict[Cell, Cell] = {}

    def root(cell: Cell) -> Cell:
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    touching = [r for r in relations if any(m in hidden for m in r.members)]
    for relation in touching:
        members = [m for m in relation.members if m in hidden]
        for member in members[1:]:
            parent[root(member)] = root(members[0])
    cells: defaultdict[Cell, list[Cell]] = defaultdict(list)
    linked: defaultdict[Cell, list[Relation[Cell]]] = defaultdict(list)
    for cell in sorted(hidden, key=repr):
        cells[root(cell)].append(cell)
    for relation in touching:
        linked[root(next(m for m in relation.members if m in hidden))].append(relation)
    return [(cells[key], linked[key]) for key in cells]


def _pinned_in_group(
    cells: list[Cell],
    relations: list[Relation[Cell]],
    counts: Mapping[Cell, int],
    hidden: set[Cell],
    bounds: dict[Cell, tuple[int, int]],
    zeros: bool = False,
) -> set[Cell]:
    """Which of `cells` cannot take any other value.

    A cell is free when some whole-number solution of the published equations, within what
    a reader knows of each hidden count, gives it another value; every solution found frees
    every cell it moves, and counts only once checked exactly, in whole numbers
    (`_Group.keeps`, `_Group.solution`): a shortcut can only free a cell that is free.
    Solutions come first from moves made by hand (`_moves`: changes that keep every relation,
    one person's worth of counts more, less, or moved elsewhere; no solver, and most cells
    freed). Then milp, for many cells at once (`_at_once`): each solution frees the cells it
    moves, and where the most cells that can move one way is none, none of them can; then
    each cell left, its highest and lowest value. A cell that can move neither way is
    pinned.

    The equations are those a reader takes to hold, and the true counts need not solve
    them (a sum taken at face value, broken by entries recorded late): then a solution milp
    finds stands in for them, and a cell is free when another solution gives it another
    value than that one. No solution at all: the sums the true counts break are left out,
    as a reader who sees that they cannot all hold would."""
    import numpy as np  # here, not above: loading SciPy takes most of a second
    from scipy.optimize import Bounds, LinearConstraint, milp

    group = _Group(cells, relations, counts, hidden, bounds)
    problem = {
        "constraints": LinearConstraint(group.matrix, group.target, group.target),
        "integrality": np.ones(group.size),
        "bounds": Bounds(group.low, group.high),
    }
    if not group.consistent:
        # The true counts are no solution of what a reader takes to hold: a sum taken at
        # face value that entries recorded late have broken, or a count published before
        # whose true value has moved out of its notice's bounds since. What is proved is
        # then that system's own: every solution below is measured from one milp finds.
        start = group.solution(milp(np.zeros(group.size), **problem).x)
        if start is None:
            # No solution at all: the reader sees that some sum does not hold. What is
            # left to work with are the sums that do; with none broken, nothing is solved.
            kept = [r for r, holds in zip(relations, group.holding(), strict=True) if holds]
            if len(kept) == len(relations):
                return set()
            return _pinned_in_group(cells, kept, counts, hidden, bounds, zeros)
        group.rebase(start)
    truth, low, high = group.truth[: group.size], group.low, group.high
    # A zero worked out is nobody, unless `zeros`; a count its notice alone fixes ("fewer
    # than 1") tells a reader nothing new.
    free = (low == high) | (truth == 0 if not zeros else False)
    if group.consistent:
        done = free.tolist()
        for move in _moves(group, done):
            if group.keeps(move):
                for i in move:
                    done[i] = True
        free = np.array(done)
    if free.all():
        return set()
    # cannot[0][i]: cell i is proved unable to take a higher value; cannot[1][i], lower
    cannot = [truth >= high, truth <= low]
    for way, sign in enumerate((1, -1)):  # first many cells at once, one way then the other
        while True:
            asked = (
                ~free & ~cannot[way] & (sign * truth - np.where(sign > 0, low, -high) <= _AT_ONCE)
            )
            if not asked.any():
                break
            asked &= np.cumsum(asked) <= _AT_ONCE_CELLS  # a large problem is a slow one
            answer = _at_once(group, asked, sign)
            if answer is None:
                break  # no proven answer: each cell's own solves decide
            moved, none = answer
            if none:
                cannot[way] |= asked  # none of them can move so
                continue
            if not (moved & ~free).any():
                break
            free |= moved

    def moved_by(objective: "np.ndarray") -> "np.ndarray":
        found = group.solution(milp(objective, **problem).x)
        return found != truth if found is not None else np.zeros(group.size, dtype=bool)

    for i in range(group.size):  # then each cell left, both ways: the proof
        for way, direction in enumerate((-1.0, 1.0)):  # maximise, then minimise, the cell
            if free[i]:
                break
            if not cannot[way][i]:
                objective = np.zeros(group.size)
                objective[i] = direction
                free |= moved_by(objective)
    return {cell for cell, is_free in zip(cells, free, strict=True) if not is_free}


_AT_ONCE = 1000  # how far a cell may go the other way, at most, to be asked `_at_once`
_AT_ONCE_CELLS = 50  # cells asked in one `_at_once`, at most


def _at_once(
    group: "_Group[Cell]", asked: "np.ndarray", sign: int
) -> "tuple[np.ndarray, bool] | None":
    """One milp for many cells: a solution in which as many `asked` cells as can be are each
    at least one more than their true count (`sign` 1), or one less (-1). Gives the cells
    that solution moves, and whether it moves none of the asked ones (the most there can be
    is none: no asked cell can move that way); None if the solver proves nothing, or its
    solution does not check out.

    A 0-or-1 variable y per asked cell, its sum maximised, with
    sign * x - (1 + m) * y >= sign * true - m, m how far x may go the other way: y = 1 only
    where x has moved by one at least; y = 0 leaves x as free as its own bounds."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    size, truth = group.size, group.truth[: group.size]
    rows = np.flatnonzero(asked)
    room = sign * truth[rows] - np.where(sign > 0, group.low[rows], -group.high[rows])
    link = np.zeros((len(rows), size + len(rows)))
    link[np.arange(len(rows)), rows] = sign
    link[np.arange(len(rows)), size + np.arange(len(rows))] = -(1 + room)
    equations = np.hstack([group.matrix, np.zeros((len(group.target), len(rows)))])
    result = milp(
        np.concatenate([np.zeros(size), -np.ones(len(rows))]),
        constraints=[
            LinearConstraint(equations, group.target, group.target),
            LinearConstraint(link, sign * truth[rows] - room, np.inf),
        ],
        integrality=np.ones(size + len(rows)),
        bounds=Bounds(
            np.concatenate([group.low, np.zeros(len(rows))]),
            np.concatenate([group.high, np.ones(len(rows))]),
        ),
    )
    if result.status != 0 or result.x is None:
        return None
    found = group.solution(result.x[:size])
    if found is None:
        return None
    moved = found != truth
    if -result.fun < 0.5:
        return moved, True
    return (moved, False) if (moved & asked).any() else None


class _Group(Generic[Cell]):
    """One group of linked hidden cells as integer arrays: cells by number, the hidden ones
    (`size` of them) first, then the shown members of their relations."""

    def __init__(
        self,
        cells: list[Cell],
        relations: list[Relation[Cell]],
        counts: Mapping[Cell, int],
        hidden: set[Cell],
        bounds: dict[Cell, tuple[int, int]],
    ):
        import numpy as np

        self.size = len(cells)
        number = {cell: i for i, cell in enumerate(cells)}
        for relation in relations:
            for member in relation.members:
                number.setdefault(member, len(number))
        self.truth = np.array([counts[cell] for cell in number], dtype=np.int64)
        self.low = np.array([bounds[c][0] for c in cells], dtype=np.int64)
        self.high = np.array([bounds[c][1] for c in cells], dtype=np.int64)
        # Each relation as whole - sum(parts) = 0: the hidden members' coefficients, and
        # what the shown members put on the other side.
        self.matrix = np.zeros((len(relations), self.size), dtype=np.int64)
        self.target = np.zeros(len(relations), dtype=np.int64)
        self.relations: list[tuple[int, list[int]]] = []
        self.part_of: list[list[int]] = [[] for _ in number]
        self.whole_of: list[list[int]] = [[] for _ in number]
        for row, relation in enumerate(relations):
            for member, sign in [(relation.whole, -1)] + [(p, 1) for p in relation.parts]:
                if member in hidden:
                    self.matrix[row, number[member]] += sign
                else:
                    self.target[row] -= sign * counts[member]
            parts = [number[p] for p in relation.parts]
            self.relations.append((number[relation.whole], parts))
            self.whole_of[number[relation.whole]].append(row)
            for part in parts:
                self.part_of[part].append(row)
        # The same in plain numbers, for the moves made by hand: the true counts keep every
        # relation (so a move keeps them when its own changes add up to nothing in each),
        # and each hidden cell's coefficients by relation.
        self.consistent = bool(
            np.array_equal(self.matrix @ self.truth[: self.size], self.target)
            and (self.low <= self.truth[: self.size]).all()
            and (self.truth[: self.size] <= self.high).all()
        )
        self.counts: list[int] = self.truth.tolist()
        self.lowest: list[int] = self.low.tolist()
        self.highest: list[int] = self.high.tolist()
        self.terms: list[list[tuple[int, int]]] = [[] for _ in range(self.size)]
        for row, column in zip(*np.nonzero(self.matrix), strict=True):
            self.terms[column].append((int(row), int(self.matrix[row, column])))

    def holding(self) -> list[bool]:
        """For each relation, whether the true counts keep it."""
        found: list[bool] = (self.matrix @ self.truth[: self.size] == self.target).tolist()
        return found

    def rebase(self, values: "np.ndarray") -> None:
        """Take `values` (of the hidden cells, a solution: `solution`) for the true counts:
        the moves made by hand and the integer programs then measure from them."""
        self.truth[: self.size] = values
        self.counts = self.truth.tolist()
        self.consistent = True

    def solution(self, values: "np.ndarray | None") -> "np.ndarray | None":
        """`values` (of the hidden cells) rounded to whole numbers, if they are a solution:
        every relation holds exactly and every cell is within its bounds; else None."""
        import numpy as np

        if values is None:
            return None
        found = np.round(values).astype(np.int64)
        if (found < self.low).any() or (found > self.high).any():
            return None
        return found if np.array_equal(self.matrix @ found, self.target) else None

    def keeps(self, move: Mapping[int, int]) -> bool:
        """Whether the true counts changed by `move` (cell: change, hidden cells only) are
        a solution: every relation holds exactly and every cell is within its bounds."""
        if not self.consistent:
            return False
        sums: defaultdict[int, int] = defaultdict(int)
        for cell, change in move.items():
            if not 0 <= cell < self.size:
                return False
            if not self.lowest[cell] <= self.counts[cell] + change <= self.highest[cell]:
                return False
            for row, coefficient in self.terms[cell]:
                sums[row] += coefficient * change
        return not any(sums.values())

    def balanced(self) -> list[dict[int, int]]:
        """Changes to the hidden cells (cell: change, whole numbers) that keep every relation,
        any other such change being made of them: one for each cell left free by the
        relations' reduced row echelon form, worked out in exact fractions."""
        from fractions import Fraction
        from math import lcm

        pivots: dict[int, dict[int, Fraction]] = {}  # a row for each pivot cell, its own 1
        rows: list[dict[int, Fraction]] = [{} for _ in self.relations]
        for cell, terms in enumerate(self.terms):
            for number, coefficient in terms:
                rows[number][cell] = Fraction(coefficient)
        for row in rows:
            for pivot, known in pivots.items():  # take out every pivot found so far
                if pivot in row:
                    _subtract(row, row[pivot], known)
            if not row:
                continue
            pivot = min(row)
            reduced = {cell: value / row[pivot] for cell, value in row.items()}
            for known in pivots.values():  # and this one out of every other row
                if pivot in known:
                    _subtract(known, known[pivot], reduced)
            pivots[pivot] = reduced
        found = []
        for cell in range(self.size):
            if cell not in pivots:
                change = {cell: Fraction(1)}
                change.update({p: -known[cell] for p, known in pivots.items() if cell in known})
                scale = lcm(*(value.denominator for value in change.values()))
                found.append({i: int(value * scale) for i, value in change.items()})
        return found

    def unit(
        self, seeds: Iterable[int], allowed: Callable[[int], bool], preferred: Callable[[int], bool]
    ) -> set[int] | None:
        """A unit holding `seeds`, made only of `allowed` cells: cells such that each relation
        has its whole in the unit exactly when it has one of its parts there, and then just
        one (one person's worth of counts). One more (or one less) in each cell of a unit
        keeps every relation. Choices go to `preferred` cells first. None if none is found
        (two quick greedy tries, then a short search: a unit may exist all the same)."""
        for way in ("earliest", "latest", "search"):
            found = self._unit(list(seeds), allowed, preferred, way)
            if found is not None:
                return found
        return None

    def _unit(
        self,
        seeds: list[int],
        allowed: Callable[[int], bool],
        preferred: Callable[[int], bool],
        way: str,
    ) -> set[int] | None:
        """`unit`, by one `way`: choosing first for the earliest (or latest) cell added, so
        that a choice made settles as many others as it can, never undoing a choice made; or
        ("search") first where fewest parts are allowed, undoing choices that lead nowhere,
        up to `SEARCH_STEPS` tries."""
        inside: dict[int, None] = {}  # in the order added
        parts_inside = [0] * len(self.relations)
        steps = [_SEARCH_STEPS]
        choices: dict[int, int] = {}  # how many parts each relation allows

        def add(cell: int) -> bool:
            """`cell` and the wholes it makes needed; False (some may be added) if any is
            not allowed or would be a second part of a relation."""
            stack = [cell]
            while stack:
                cell = stack.pop()
                if cell in inside:
                    continue
                if not allowed(cell) or any(parts_inside[k] for k in self.part_of[cell]):
                    return False
                inside[cell] = None
                for k in self.part_of[cell]:
                    parts_inside[k] += 1
                    stack.append(self.relations[k][0])
            return True

        def undo(mark: int) -> None:
            for cell in list(inside)[mark:]:
                del inside[cell]
                for k in self.part_of[cell]:
                    parts_inside[k] -= 1

        def allows(k: int) -> int:
            if k not in choices:
                choices[k] = sum(1 for p in self.relations[k][1] if allowed(p))
            return choices[k]

        def complete() -> bool:
            """Choose a part for each relation whose whole is in and none of its parts."""
            if way == "search":
                waiting = [k for c in inside for k in self.whole_of[c] if not parts_inside[k]]
                chosen = min(waiting, key=lambda k: (allows(k), k), default=None)
            else:
                order = reversed(inside) if way == "latest" else iter(inside)
                chosen = next(
                    (k for c in order for k in self.whole_of[c] if not parts_inside[k]), None
                )
            if chosen is None:
                return True
            parts = [p for p in self.relations[chosen][1] if allowed(p)]
            for part in sorted(parts, key=lambda p: (not preferred(p), p)):
                if steps[0] <= 0:
                    return False
                steps[0] -= 1
                mark = len(inside)
                if add(part):
                    if complete():
                        return True
                    if way != "search":
                        return False
                undo(mark)
            return False

        if not all(add(seed) for seed in seeds) or not complete():
            return None
        return set(inside)


_SEARCH_STEPS = 200  # parts tried at most in one search for a unit


def _subtract(row: "dict[int, Fraction]", times: "Fraction", other: "dict[int, Fraction]") -> None:
    """row -= times * other, leaving out the cells that come to nothing."""
    for cell, value in other.items():
        left = row.get(cell, 0) - times * value
        if left:
            row[cell] = left
        else:
            row.pop(cell, None)


def _moves(group: _Group[Cell], free: list[bool]) -> Iterator[dict[int, int]]:
    """Changes to the true counts (cell: change) that may keep every relation and bound
    (whoever uses one checks it: `_Group.keeps`), `free` read as it changes: in a small
    group, the changes that keep every relation (`_Group.balanced`), each either way, then
    two of them added or taken; then, for each cell not yet free, one more through it and
    one less (`_move`)."""
    if group.size <= _BALANCED_UP_TO:
        basis = group.balanced()
        for change in basis:
            yield change
            yield {i: -n for i, n in change.items()}
        for first, change in enumerate(basis):
            for other in basis[first + 1 :]:
                if all(free[i] for i in change) and all(free[i] for i in other):
                    continue
                for sign in (1, -1):
                    both = dict(change)
                    for i, n in other.items():
                        both[i] = both.get(i, 0) + sign * n
                    both = {i: n for i, n in both.items() if n}
                    if both:
                        yield both
                        yield {i: -n for i, n in both.items()}
    for cell in range(group.size):
        for sign in (1, -1):
            if free[cell]:
                break
            move = _move(group, free, cell, sign)
            if move is not None:
                yield move


_BALANCED_UP_TO = 100  # hidden cells in a group, at most, for `_Group.balanced`


def _move(group: _Group[Cell], free: list[bool], cell: int, sign: int) -> dict[int, int] | None:
    """One unit `sign` (1 more, -1 less) through `cell`; where some cell of that unit
    cannot move so (a shown count, or one at its bound), one unit the other way through
    those cells as well, the cells of both units left as they were. None if none is found."""
    counts, low, high, size = group.counts, group.lowest, group.highest, group.size

    def can(i: int, sign: int = sign) -> bool:
        return i < size and low[i] <= counts[i] + sign <= high[i]

    def wanted(i: int) -> bool:
        return can(i) and not free[i]

    if not can(cell):
        return None
    unit = group.unit([cell], can, wanted)
    taken: set[int] = set()
    if unit is None:
        unit = group.unit([cell], lambda i: True, wanted)
        if unit is None:
            return None
        stuck = {i for i in unit if not can(i)}
        found = group.unit(
            stuck, lambda i: i in stuck or (i != cell and can(i, -sign)), unit.__contains__
        )
        if found is None:
            return None
        taken = found
    changed = unit ^ taken
    if any(i >= size for i in changed):
        return None  # a shown count would change
    return {i: sign if i in unit else -sign for i in changed}


def _relations_by_cell(relations: list[Relation[Cell]]) -> dict[Cell, list[Relation[Cell]]]:
    by_cell: defaultdict[Cell, list[Relation[Cell]]] = defaultdict(list)
    for relation in relations:
        for member in relation.members:
            by_cell[member].append(relation)
    return by_cell
