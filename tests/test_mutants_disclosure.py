"""Tests that kill mutants of scripts/core/disclosure.py that the statistics tests let live
(CONTRIBUTING.md, "Mutation testing"). Small tables worked out by hand, as in
tests/test_statistics.py; min_count is 5 unless a test says otherwise ("small": 0 to 4)."""

from dataclasses import FrozenInstanceError

import pytest

from complaints_register.core.disclosure import (
    DisclosureError,
    Relation,
    Suppressed,
    _further,
    _protect_relations,
    _relations_by_cell,
    lone_hidden,
    pinned,
    secondary_for,
    small_remainder,
    suppress,
)


def test_all_is_every_hidden_cell_once():
    # b is both small and hidden: it is hidden, once.
    assert Suppressed(small={"a", "b"}, hidden={"b", "c"}).all == {"a", "b", "c"}


def test_a_cell_is_in_it_when_small_or_hidden():
    found = Suppressed(small={"a"}, hidden={"c"})
    assert ("a" in found, "c" in found, "z" in found) == (True, True, False)


def test_a_relation_is_a_value():
    # Relations can be kept in sets and as keys, and cannot be altered.
    relation = Relation("t", ("a", "b"))
    assert relation in {Relation("t", ("a", "b"))}
    with pytest.raises(FrozenInstanceError):
        relation.whole = "u"


def test_a_lone_hidden_one_is_given_away():
    # 8 = 7 + 1 + 0 with the 1 alone hidden: 8 - 7 - 0 = 1.
    relation = Relation("t", ("a", "b", "c"))
    assert lone_hidden(relation, {"t": 8, "a": 7, "b": 1, "c": 0}, {"b"}) is True


def test_a_count_of_one_shown_may_be_hidden_to_protect_another():
    # With min_count 1 only zeros are small, and a shown 1 is a count like any other:
    # t = a + b (3 = 1 + 2) with b hidden; the smallest shown count is a (1).
    relation = Relation("t", ("a", "b"))
    assert secondary_for([relation], {"t": 3, "a": 1, "b": 2}, {"b"}) == "a"


def test_a_part_goes_before_its_whole_whatever_their_names():
    # all = x + y, y hidden; all and x are both 6. Parts before wholes: x, although "all"
    # sorts before "x".
    relation = Relation("all", ("x", "y"))
    assert secondary_for([relation], {"all": 6, "x": 6, "y": 0}, {"y"}) == "x"


@pytest.mark.parametrize(
    "counts, small, found",
    [
        # 7 = a + b, both "fewer than 5" (0 to 4): 3 + 4 or 4 + 3, neither is certain.
        ({"t": 7, "a": 4, "b": 3}, "ab", set()),
        # 5 = a + 4 with a hidden: a = 1 exactly, and a 1 is somebody.
        ({"t": 5, "a": 1, "b": 4}, "a", {"a"}),
    ],
)
def test_pinned(counts, small, found):
    hidden = Suppressed(small=set(small))
    assert pinned(counts, [Relation("t", ("a", "b"))], hidden, 5) == found


def test_a_group_of_hidden_zeros_does_not_end_the_search():
    # Two unlinked groups of hidden counts, in order of their names: a and b are zeros
    # (t = 0), which tells nothing about anyone; then c = u - d = 5 - 4 = 1 is given away.
    relations = [Relation("t", ("a", "b")), Relation("u", ("c", "d"))]
    counts = {"t": 0, "a": 0, "b": 0, "u": 5, "c": 1, "d": 4}
    assert pinned(counts, relations, Suppressed(small={"a", "b", "c"}), 5) == {"c"}


def test_a_count_hidden_to_protect_is_pinned_by_a_zero():
    # 5 = a + b, a hidden to protect (so at least 5), b "fewer than 5" (no count is below
    # 0): a = 5 and b = 0 exactly. b is a zero (nobody); a is given away.
    hidden = Suppressed(small={"b"}, hidden={"a"})
    counts = {"t": 5, "a": 5, "b": 0}
    assert pinned(counts, [Relation("t", ("a", "b"))], hidden, 5) == {"a"}


def test_hiding_a_count_looks_again_at_the_relations_it_is_in():
    # R0: t = a + b (13 = 6 + 7); R1: v = b + d (16 = 7 + 9); R2: u = a + c (8 = 6 + 2).
    # c (2) is small. In order: R0 and R1 are fine; R2 shows c alone, so its smallest part,
    # a (6), is hidden. a is also in R0, an earlier relation: looked at again, R0 shows a
    # alone, so its smallest part, b (7), is hidden. b is in R1, a later one: R1 now shows b
    # alone, so d (9, less than v = 16) is hidden. R0 (a, b: 13 left), R1 (b, d: 16) and R2
    # (a, c: 8) are then safe, and nothing is pinned: a = 8 - c for any c from 0 to 3 keeps
    # a, b = 13 - a and d = 16 - b at 5 or more.
    relations = [Relation("t", ("a", "b")), Relation("v", ("b", "d")), Relation("u", ("a", "c"))]
    counts = {"t": 13, "a": 6, "b": 7, "v": 16, "d": 9, "u": 8, "c": 2}
    result = suppress(counts, relations, 5)
    assert (result.small, result.hidden) == ({"c"}, {"a", "b", "d"})


def test_further_looks_past_the_hidden_cells_linked_to_a_cell():
    # t = a + b with all three hidden: nothing of a's own to hide. t also makes u = t + c,
    # with c hidden and u (12) shown: u is the count to hide.
    relations = [Relation("t", ("a", "b")), Relation("u", ("t", "c"))]
    counts = {"t": 8, "a": 4, "b": 4, "u": 12, "c": 4}
    hidden = {"t", "a", "b", "c"}
    assert _further("a", _relations_by_cell(relations), counts, hidden) == "u"


def test_further_looks_at_the_nearest_cells_first_in_order():
    # From a: t = a + b is all hidden. Its other hidden members, in order, are t and b; t's
    # other relation shows u (u = t + c), b's shows v (v = b + d). t comes first: u.
    relations = [
        Relation("t", ("a", "b")),
        Relation("u", ("t", "c")),
        Relation("v", ("b", "d")),
    ]
    counts = {"t": 8, "a": 4, "b": 4, "u": 12, "c": 4, "v": 9, "d": 5}
    hidden = {"t", "a", "b", "c", "d"}
    assert _further("a", _relations_by_cell(relations), counts, hidden) == "u"


def test_a_count_that_cannot_be_protected_is_named():
    # min_count 2: a and b are 1 ("fewer than 2", so 0 or 1) and t = a + b = 2 gives both
    # away, so t is hidden too; but t, hidden to protect, is at least 2, and a + b is at most
    # 2, so t = 2 and a = b = 1 still. Nothing is left to hide: the error names the first
    # cell in order ('a', 'b', 't').
    with pytest.raises(DisclosureError, match=r"^cannot protect 'a'$"):
        suppress({"t": 2, "a": 1, "b": 1}, [Relation("t", ("a", "b"))], 2)


def test_a_pass_takes_the_relations_in_order():
    # R0: p = x + y (15 = 6 + 9); R1: w = x + s (8 = 6 + 2); R2: q = x + y + z (22 = 6 + 9 + 7).
    # s (2) is small. Pass 1: R0 fine; R1 shows s alone, so x (6, less than w) is hidden; R2
    # then shows x alone, so z (7, the smallest of q, y, z) is hidden. Pass 2, from the start:
    # R0 shows x alone, so y (9, less than p) is hidden; then all three are safe. But q - p
    # = 22 - 15 gives z = 7 away, so q is hidden too; then z = q - 15 can be anything from 5.
    relations = [
        Relation("p", ("x", "y")),
        Relation("w", ("x", "s")),
        Relation("q", ("x", "y", "z")),
    ]
    counts = {"p": 15, "x": 6, "y": 9, "w": 8, "s": 2, "q": 22, "z": 7}
    result = suppress(counts, relations, 5)
    assert (result.small, result.hidden) == ({"s"}, {"x", "y", "z", "q"})


def test_a_pinned_count_gets_the_smallest_count_of_all_its_relations_hidden():
    # min_count 2. t = a + b (9 = 8 + 1), u = a + c (8 = 8 + 0). b and c are small; t shows b
    # alone, so a (8, less than t) is hidden. Then b - c = t - u = 1 with b and c each 0 or 1
    # gives b = 1, c = 0 and a = 8: a and b are pinned (c is a zero). For a, the smallest
    # count shown in its relations is u (8, less than t = 9): u is hidden. b's relation still
    # shows t: t is hidden too. Then a can be anything from 2 on.
    relations = [Relation("t", ("a", "b")), Relation("u", ("a", "c"))]
    counts = {"t": 9, "a": 8, "b": 1, "u": 8, "c": 0}
    result = suppress(counts, relations, 2)
    assert (result.small, result.hidden) == ({"b", "c"}, {"a", "t", "u"})


def test_a_round_protects_every_pinned_count_not_yet_touched():
    # t = a + b (12 = 4 + 8), u = c + b (13 = 5 + 8); a (4) is small. t shows a alone: b (8,
    # less than t) is hidden; u then shows b alone: c (5, less than u) is hidden. Then
    # a + b = 12 and b + c = 13, with a at most 4 and c at least 5, give c = 5, b = 8, a = 4:
    # all three pinned. In order: for a, t (its relation's only shown count) is hidden, which
    # touches a and b; b is skipped, but c is not: u is hidden too.
    relations = [Relation("t", ("a", "b")), Relation("u", ("c", "b"))]
    counts = {"t": 12, "a": 4, "b": 8, "u": 13, "c": 5}
    result = suppress(counts, relations, 5)
    assert (result.small, result.hidden) == ({"a"}, {"b", "c", "t", "u"})


def test_an_exposed_relation_gets_one_count_hidden_per_pass():
    # R0: t = a + b + c + e (19 = 1 + 2 + 10 + 6); R1: v = b + c (12 = 2 + 10). a (1) is
    # small. Pass 1: R0 shows a alone, so its smallest shown count, b (2), is hidden; R0 is
    # still exposed (t less the shown parts is a + b = 3), but waits for the next pass. R1
    # now shows b alone, so c (10, less than v = 12) is hidden. Pass 2: R0 has 13 hidden
    # (1 + 2 + 10), R1 has 12: both safe, and e (6) stays shown. (Hiding e at once, for R0
    # still exposed, would hide e as well as c.)
    relations = [Relation("t", ("a", "b", "c", "e")), Relation("v", ("b", "c"))]
    counts = {"t": 19, "a": 1, "b": 2, "c": 10, "e": 6, "v": 12}
    result = Suppressed(small={"a"})
    _protect_relations(counts, relations, result, 5)
    assert (result.small, result.hidden) == ({"a"}, {"b", "c"})


def test_a_relation_still_exposed_is_looked_at_again_in_the_next_pass():
    # t = a + b + c (13 = 1 + 2 + 10), a (1) small, and no other relation. Pass 1: t shows a
    # alone, so its smallest shown count, b (2), is hidden; t less the shown c is then
    # a + b = 3, a small count. Pass 2 looks at t again: c (10, less than t = 13) is hidden.
    # Pass 3: 13 hidden, safe.
    counts = {"t": 13, "a": 1, "b": 2, "c": 10}
    result = Suppressed(small={"a"})
    _protect_relations(counts, [Relation("t", ("a", "b", "c"))], result, 5)
    assert (result.small, result.hidden) == ({"a"}, {"b", "c"})


@pytest.mark.parametrize(
    "counts, hidden, exposed",
    [
        # y = q2 + q3 + q4 taken at face value, y counting a late entry its parts do not:
        # 22 - 8 - 10 = 4 is what a reader sees of the hidden q2 (true 5): small.
        ({"y": 22, "q2": 5, "q3": 8, "q4": 10}, {"q2"}, True),
        # q2 and q4 hidden: 22 - 8 = 14, not small.
        ({"y": 22, "q2": 5, "q3": 8, "q4": 9}, {"q2", "q4"}, False),
        # 20 - 8 - 13 = -1: the reader sees the sum is broken, and learns nothing of q2.
        ({"y": 20, "q2": 0, "q3": 8, "q4": 13}, {"q2"}, False),
        # Nothing hidden: a sum seen to be broken (by 1) hides nothing.
        ({"y": 22, "q2": 5, "q3": 8, "q4": 8}, set(), False),
    ],
)
def test_a_remainder_is_what_a_reader_works_out_from_the_shown_counts(counts, hidden, exposed):
    relation = Relation("y", ("q2", "q3", "q4"))
    assert small_remainder(relation, counts, hidden, 5, zeros=True) is exposed
