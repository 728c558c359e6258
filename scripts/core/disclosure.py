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
  least `min_count`). `pinned` proves it with integer linear programs, one small problem
  per group of linked hidden counts.

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
from collections.abc import Hashable, Iterable, Mapping, Set
from dataclasses import dataclass, field
from typing import Generic, TypeVar

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
    with `zeros`, zero while some parts are hidden (each is then known to be zero)."""
    if relation.whole in hidden:
        return False
    parts = [part for part in relation.parts if part in hidden]
    rest = sum(counts[part] for part in parts)
    return (0 < rest or (zeros and bool(parts))) and rest < min_count


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
    """Which of `cells` cannot take any other value: for each, look for another whole-number
    solution of the published equations in which it differs; every solution found frees
    every cell it moves."""
    import numpy as np  # here, not above: loading SciPy takes most of a second
    from scipy.optimize import Bounds, LinearConstraint, milp

    index = {cell: i for i, cell in enumerate(cells)}
    matrix = np.zeros((len(relations), len(cells)))
    target = np.zeros(len(relations))
    for row, relation in enumerate(relations):
        for member, sign in [(relation.whole, -1.0)] + [(p, 1.0) for p in relation.parts]:
            if member in hidden:
                matrix[row, index[member]] += sign
            else:
                target[row] -= sign * counts[member]
    truth = np.array([counts[c] for c in cells], dtype=float)
    problem = {
        "constraints": LinearConstraint(matrix, target, target),
        "integrality": np.ones(len(cells)),
        "bounds": Bounds([bounds[c][0] for c in cells], [bounds[c][1] for c in cells]),
    }
    low = np.array([bounds[c][0] for c in cells], dtype=float)
    high = np.array([bounds[c][1] for c in cells], dtype=float)
    # A zero worked out is nobody, unless `zeros`; a count its notice alone fixes ("fewer
    # than 1") tells a reader nothing new.
    free = (low == high) | (truth == 0 if not zeros else False)
    while not free.all():  # first every cell at once, each towards its farther bound
        objective = np.where(truth - low <= high - truth, -1.0, 1.0) * ~free
        solution = milp(objective, **problem)
        moved = np.abs(np.round(solution.x) - truth) > 0.5 if solution.x is not None else free
        if not (moved & ~free).any():
            break
        free |= moved
    for i in range(len(cells)):  # then each cell left, both ways: the proof
        for direction in (-1.0, 1.0):  # maximise, then minimise, the cell
            if free[i]:
                break
            objective = np.zeros(len(cells))
            objective[i] = direction
            solution = milp(objective, **problem)
            if solution.x is not None:
                free |= np.abs(np.round(solution.x) - truth) > 0.5
    return {cell for cell, is_free in zip(cells, free, strict=True) if not is_free}


def _relations_by_cell(relations: list[Relation[Cell]]) -> dict[Cell, list[Relation[Cell]]]:
    by_cell: defaultdict[Cell, list[Relation[Cell]]] = defaultdict(list)
    for relation in relations:
        for member in relation.members:
            by_cell[member].append(relation)
    return by_cell
