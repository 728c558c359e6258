"""Tests that kill mutants of scripts/core/ledger_rules.py that the ledger and history tests
let live (CONTRIBUTING.md, "Mutation testing"). The rules are pure functions over parsed
YAML data, so they are called directly; every expected finding is worked out by hand in the
comment above it."""

import json
from dataclasses import FrozenInstanceError
from datetime import date

import pytest
from conftest import complaint, policy

from complaints_register.core.ledger_rules import (
    event_changes,
    ledger_findings,
    merge_kept_side,
    policy_versions_kept,
)
from complaints_register.schema import Policy

E0 = {"type": "acknowledged", "at": date(2026, 4, 7), "by": "anna"}
E1 = {
    "type": "assessed",
    "at": date(2026, 4, 8),
    "by": "anna",
    "priority": "normal",
    "handler": "marco",
}
E2 = {"type": "info-requested", "at": date(2026, 4, 10), "by": "marco"}
N = {"type": "note", "at": date(2026, 4, 9), "by": "marco", "note": "called the complainant"}
# A note dated before E1: its data sorts before E1's ("2026-04-07" < "2026-04-08").
X = {"type": "note", "at": date(2026, 4, 7), "by": "marco", "note": "called the complainant"}
CLOSED = {"type": "closed", "at": date(2026, 4, 20), "by": "anna", "satisfied": True}

NEVER_CHANGES = (
    ": a recorded event never changes; retract it (complaints log ID retracted --event {i}"
    " --reason ...) and log the right one"
)
REMOVED = "event 1 (assessed by anna) was removed: a recorded event is never removed; restore it, then retract it if it was wrong"


def retraction(target: int) -> dict:
    return {
        "type": "retracted",
        "at": date(2026, 4, 11),
        "by": "marco",
        "event": target,
        "reason": "wrong",
    }


def findings(old_events: list, new_events: list) -> list:
    old, new = complaint(), complaint()
    old["events"], new["events"] = old_events, new_events  # as parsed, whatever they hold
    return list(ledger_findings(old, new))


# --- Changed events, and how they are told ---------------------------------------------


def test_a_changed_first_event_is_changed_not_removed():
    # Old [E0], new [E0 by marco]: the one event was replaced by one, so it was changed.
    assert findings([E0], [{**E0, "by": "marco"}]) == [
        (
            ("events", 0),
            "event 0 (acknowledged by anna) was changed (by: anna → marco)"
            + NEVER_CHANGES.format(i=0),
        )
    ]


def test_two_changed_events_in_a_row_are_each_at_its_own_place():
    # Old [E0, E1, E2], new [E0, E1', E2']: E1 and E2 both replaced, E1 at place 1, E2 at 2,
    # each compared with its own new version.
    new = [E0, {**E1, "priority": "urgent"}, {**E2, "by": "anna"}]
    assert findings([E0, E1, E2], new) == [
        (
            ("events", 1),
            "event 1 (assessed by anna) was changed (priority: normal → urgent)"
            + NEVER_CHANGES.format(i=1),
        ),
        (
            ("events", 2),
            "event 2 (info-requested by marco) was changed (by: marco → anna)"
            + NEVER_CHANGES.format(i=2),
        ),
    ]


def test_fewer_new_events_than_old_ones_in_one_place():
    # Old [E0, E1, E2], new [E0, N]: after E0, two old events gave way to one new one. The
    # first pair is a change (E1 -> N, field by field in E1's order, then N's own note);
    # the second old event is removed.
    assert findings([E0, E1, E2], [E0, N]) == [
        (
            ("events", 1),
            "event 1 (assessed by anna) was changed (type: assessed → note; at: 2026-04-08 →"
            " 2026-04-09; by: anna → marco; priority: normal → (none); handler: marco →"
            " (none); note: (none) → called the complainant)" + NEVER_CHANGES.format(i=1),
        ),
        (
            ("events",),
            "event 2 (info-requested by marco) was removed: a recorded event is never removed;"
            " restore it, then retract it if it was wrong",
        ),
    ]


def test_a_yes_no_field_reads_yes_and_no():
    # satisfied: true -> false reads "yes → no".
    assert findings([E0, CLOSED], [E0, {**CLOSED, "satisfied": False}]) == [
        (
            ("events", 1),
            "event 1 (closed by anna) was changed (satisfied: yes → no)"
            + NEVER_CHANGES.format(i=1),
        )
    ]


def test_an_event_replaced_by_a_non_mapping_shows_the_whole_old_event():
    # Event 1 became the bare word "assessed": the change is the whole event, shown as a
    # mapping in its own key order, its date in ISO 8601.
    assert findings([E0, E1], [E0, "assessed"]) == [
        (
            ("events", 1),
            "event 1 (assessed by anna) was changed (event: {type: assessed, at: 2026-04-08,"
            " by: anna, priority: normal, handler: marco} → assessed)" + NEVER_CHANGES.format(i=1),
        )
    ]


# --- Removed, inserted, moved -----------------------------------------------------------


@pytest.mark.parametrize("newcomer", [N, X], ids=["sorts-after", "sorts-before"])
def test_a_removed_event_and_a_different_newcomer_are_not_a_move(newcomer):
    # Old [E0, E1, E2], new [newcomer, E0, E2]: E0 and E2 kept; the newcomer was put first
    # (inserted) and E1 was removed. The newcomer is not E1, so nothing moved, whichever way
    # its data sorts against E1's.
    assert findings([E0, E1, E2], [newcomer, E0, E2]) == [
        (
            ("events", 0),
            "a new event (note by marco) was put before earlier events: new events go at the end of the list",
        ),
        (("events",), REMOVED),
    ]


def test_a_move_does_not_hide_a_later_change():
    # Old [E0, E1, E2, N], new [E1, E0, E2, N']: E1 went from place 1 to place 0 (E0 and E2
    # matched, E1 put first and taken from after E0), and N at place 3 was changed.
    new = [E1, E0, E2, {**N, "note": "called again"}]
    assert findings([E0, E1, E2, N], new) == [
        (
            ("events", 0),
            "event 1 (assessed by anna) was moved to place 0: recorded events keep their order"
            " (retractions point at them by number)",
        ),
        (
            ("events", 3),
            "event 3 (note by marco) was changed (note: called the complainant → called again)"
            + NEVER_CHANGES.format(i=3),
        ),
    ]


def test_a_removed_event_is_not_taken_for_a_changed_ones_new_value():
    # Old [N, E0, E1, E2], new [E0, E1, N]: E0 and E1 kept in place; N, first, was removed;
    # E2, last, was changed into a copy of N. Only an event put in anew (appended or
    # inserted) can be where a removed one moved to, so N was removed, not moved.
    assert findings([N, E0, E1, E2], [E0, E1, N]) == [
        (
            ("events",),
            "event 0 (note by marco) was removed: a recorded event is never removed; restore"
            " it, then retract it if it was wrong",
        ),
        (
            ("events", 2),
            "event 3 (info-requested by marco) was changed (type: info-requested → note; at:"
            " 2026-04-10 → 2026-04-09; note: (none) → called the complainant)"
            + NEVER_CHANGES.format(i=3),
        ),
    ]


def test_a_found_change_cannot_be_altered():
    # The changes are values: what the ledger found stays as found.
    change = event_changes([E0], [E0, N])[0]
    with pytest.raises(FrozenInstanceError):
        change.kind = "removed"


def notes(count: int) -> list[dict]:
    return [{**N, "note": f"call {i}"} for i in range(count)]


def test_appending_to_a_long_list_of_events_is_allowed():
    # 300 events: more than Python keeps one object for each number of (256). Appending one
    # is the change the ledger allows, however many there are.
    old = notes(300)
    assert findings(old, [*old, E2]) == []


def test_an_event_repeated_many_times_is_compared_like_any_other():
    # The first event changed (by anna -> marco), then the same note 200 times, unchanged.
    # Only the first event changed, however often the note repeats (in a list of 200 or
    # more, an item that fills more than 1 % of it is one a text diff may skip as noise).
    old = [E0, *[N] * 200]
    new = [{**E0, "by": "marco"}, *[N] * 200]
    assert findings(old, new) == [
        (
            ("events", 0),
            "event 0 (acknowledged by anna) was changed (by: anna → marco)"
            + NEVER_CHANGES.format(i=0),
        )
    ]


# --- Merges -----------------------------------------------------------------------------


STRAY_WITHDRAWN = {"type": "withdrawn", "at": date(2026, 4, 12), "by": "anna", "event": 1}
STRAY_NOTE = {"type": "note", "at": date(2026, 4, 12), "by": "anna", "note": "see", "event": 1}


def merge(side: list, other: list, merged: list) -> list[int]:
    """The events of `side` that `merged` lost: their indexes in `side`."""
    found = merge_kept_side(complaint(*side), [complaint(*other)], complaint(*merged))
    return [int(message.split()[1]) for _, message in found]


@pytest.mark.parametrize(
    "side, other, merged, missing",
    [
        # The first event of the merge is the side's own, and is found there.
        ([N], [], [N], []),
        # One side logged the same note twice; the merge kept it once: the second is lost.
        ([E0, N, N], [E0], [E0, N], [2]),
        # A retraction of event 0 (E0) on one side; the other side's N came first in the
        # merge, so the retraction now says 1, and still retracts E0.
        ([E0, retraction(0)], [N], [N, E0, retraction(1)], []),
        # A retraction numbered past the end (2, in a list of 2) retracts nothing and is
        # compared as written.
        ([E0, retraction(2)], [E0], [E0, retraction(2)], []),
        # Nor does one far past it (5, in a list of 2).
        ([E0, retraction(5)], [E0], [E0, retraction(5)], []),
        # Nor does a negative number count from the end: event -1 is no event.
        ([E0, retraction(-1)], [E0, N], [E0, retraction(-1), N], []),
        # Only a `retracted` event points at another: a stray `event` key in any other event
        # (one whose type sorts after "retracted", one whose type sorts before it) is compared
        # as written, so E1's place moving from 1 to 2 changes nothing.
        ([E0, E1, STRAY_WITHDRAWN], [E0, N], [E0, N, E1, STRAY_WITHDRAWN], []),
        ([E0, E1, STRAY_NOTE], [E0, N], [E0, N, E1, STRAY_NOTE], []),
    ],
)
def test_a_merge_keeps_each_sides_events(side, other, merged, missing):
    assert merge(side, other, merged) == missing


def test_a_retraction_as_read_from_a_file_is_known_by_what_it_retracts():
    # As the files are read, the type "retracted" is text made at run time (here by the JSON
    # reader): equal to the word in the code, not the same object. The side's retraction of
    # event 0 (E0) is, after the merge put the other side's N first, a retraction of event 1,
    # still E0: nothing of the side was lost.
    read = json.loads('"retracted"')
    side = [E0, {**retraction(0), "type": read}]
    merged = [N, E0, {**retraction(1), "type": read}]
    assert merge(side, [N], merged) == []


# --- The policy's targets ---------------------------------------------------------------

TARGETS = policy()["targets"]
OLD = Policy.model_validate(policy())
TODAY = date(2026, 6, 1)


def test_a_version_from_today_is_not_backdated():
    # The old targets become the first version; a new one applies from today, which is
    # allowed ("from today or later"), and no complaint started on or after today.
    new = Policy.model_validate(
        policy(
            targets=[
                {"from": "2024-01-01", **TARGETS},
                {"from": TODAY.isoformat(), **TARGETS, "max_extension": 5},
            ]
        )
    )
    assert list(policy_versions_kept(OLD, new, [date(2026, 4, 3)], TODAY)) == []


def test_changed_targets_are_reported_once():
    # Two complaints started under the old targets (3 April, 4 May); changing them is one
    # problem with the targets, named at the first day it changes.
    new = Policy.model_validate(policy(targets={**TARGETS, "max_extension": 5}))
    starts = [date(2026, 5, 4), date(2026, 4, 3)]
    assert list(policy_versions_kept(OLD, new, starts, TODAY)) == [
        (
            ("targets",),
            "changes the targets in force on 2026-04-03, when a complaint's clock started:"
            " what was promised stays as it was; add a version from today or later instead",
        )
    ]
