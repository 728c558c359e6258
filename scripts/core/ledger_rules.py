"""The append-only rules, over two parsed versions of one complaint or one action (pure).

DESIGN.md section 4, "Append-only": once recorded, a complaint's `id`, `received` and
`channel` never change, and an event is never changed, removed or reordered. An improvement
action's `id`, `opened` and `complaints` never change, and its `done` date, once set, is
never moved or removed (DESIGN.md section 9). Versions are compared as parsed data, not
text, so re-indenting or re-quoting is not a change. Rules are
functions yielding `(path, message)`, as in `complaints_register.core.rules`; `complaints_register.store.ledger` applies them
to what Git says changed, and `complaints_register.store.history` tells the same changes in words.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from complaints_register.core.problems import KeyPath
from complaints_register.schema.policy import Policy, Targets

FIXED_FIELDS = ("id", "received", "channel")
"""What a complaint is: never changed once it is recorded."""

ACTION_FIXED_FIELDS = ("id", "opened", "complaints")
"""What an improvement action is: never changed once it is recorded."""

Finding = tuple[KeyPath, str]

Version = dict[str, object]
"""One version of a complaint file, as parsed: plain YAML data."""


def canonical(value: object) -> object:
    """`value` as compared: dates and times as ISO 8601 text, so that quoting a date, or
    re-indenting and re-quoting anything, is not a change."""
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    return value


def fingerprint(value: object) -> str:
    """`value` as one string that is equal for equal (canonical) values."""
    return json.dumps(canonical(value), sort_keys=True, ensure_ascii=False, default=str)


def events_of(version: Version) -> list[object]:
    """The events of a parsed complaint (an empty list when they are missing or malformed)."""
    events = version.get("events")
    return events if isinstance(events, list) else []


def event_type(event: object) -> str:
    return str(event.get("type", "?")) if isinstance(event, dict) else "?"


def event_label(event: object) -> str:
    """`responded by marco`: an event as people name it."""
    by = event.get("by") if isinstance(event, dict) else None
    return f"{event_type(event)} by {by}" if by else event_type(event)


def as_words(value: object) -> str:
    """A value as it reads in a message: dates in ISO 8601, lists and mappings compact."""
    value = canonical(value)
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "[" + ", ".join(as_words(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {as_words(v)}" for k, v in value.items()) + "}"
    return str(value)


@dataclass(frozen=True)
class EventChange:
    """One difference between two lists of events.

    kind: `appended` (after every earlier event: the only change the ledger allows),
    `inserted` (a new event put before earlier ones), `changed`, `removed` or `moved`.
    `index` is the event's place in the old list (in the new one for appended/inserted);
    `to` its place in the new list."""

    kind: str
    index: int
    old: object = None
    new: object = None
    to: int | None = None


def event_changes(old_events: list[object], new_events: list[object]) -> list[EventChange]:
    """How `new_events` differs from `old_events`, event by event, compared as data."""
    old_keys = [fingerprint(e) for e in old_events]
    new_keys = [fingerprint(e) for e in new_events]
    changes: list[EventChange] = []
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            changes.append(
                EventChange("changed", i1 + k, old_events[i1 + k], new_events[j1 + k], j1 + k)
            )
        for i in range(i1 + paired, i2):
            changes.append(EventChange("removed", i, old=old_events[i]))
        kind = "appended" if i2 == len(old_events) else "inserted"
        for j in range(j1 + paired, j2):
            changes.append(EventChange(kind, j, new=new_events[j], to=j))
    return _pair_moves(changes, old_keys, new_keys)


def _pair_moves(
    changes: list[EventChange], old_keys: list[str], new_keys: list[str]
) -> list[EventChange]:
    """A removed event that reappears elsewhere, unchanged, was moved."""
    # Every arrival has its place `to`: testing it only narrows the type.
    arrived = {c.to: c for c in changes if c.kind in ("appended", "inserted") and c.to is not None}
    result = []
    for change in changes:
        if change.kind == "removed":
            twin = next((j for j in sorted(arrived) if new_keys[j] == old_keys[change.index]), None)
            if twin is not None:
                del arrived[twin]
                result.append(EventChange("moved", change.index, change.old, change.old, twin))
                continue
        result.append(change)
    return [c for c in result if c.kind not in ("appended", "inserted") or c.to in arrived]


def field_changes(old: Version, new: Version) -> list[tuple[str, object, object]]:
    """`(key, before, after)` for every top-level field but the events that differs."""
    keys = list(old) + [key for key in new if key not in old]
    return [
        (key, old.get(key), new.get(key))
        for key in keys
        if key != "events" and canonical(old.get(key)) != canonical(new.get(key))
    ]


def event_field_changes(old: object, new: object) -> list[tuple[str, object, object]]:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return [("event", old, new)]
    keys = list(old) + [key for key in new if key not in old]
    return [
        (key, old.get(key), new.get(key))
        for key in keys
        if canonical(old.get(key)) != canonical(new.get(key))
    ]


def fixed_fields_kept(old: Version, new: Version) -> Iterator[Finding]:
    for key, before, after in field_changes(old, new):
        if key in FIXED_FIELDS:
            yield (
                (key,),
                (
                    f"changed from {as_words(before)} to {as_words(after)}: a recorded"
                    " complaint's id, received and channel never change"
                ),
            )


def events_kept(old: Version, new: Version) -> Iterator[Finding]:
    for change in event_changes(events_of(old), events_of(new)):
        if change.kind != "appended":
            yield _event_path(change), _REFUSED[change.kind](change)


def _event_path(change: EventChange) -> KeyPath:
    return ("events",) if change.to is None else ("events", change.to)


def _refused_change(c: EventChange) -> str:
    fields = "; ".join(
        f"{k}: {as_words(a)} → {as_words(b)}" for k, a, b in event_field_changes(c.old, c.new)
    )
    return (
        f"event {c.index} ({event_label(c.old)}) was changed ({fields}): a recorded event"
        f" never changes; retract it (complaints log ID retracted --event {c.index}"
        " --reason ...) and log the right one"
    )


_REFUSED: dict[str, Callable[[EventChange], str]] = {
    "changed": _refused_change,
    "removed": lambda c: (
        f"event {c.index} ({event_label(c.old)}) was removed: a recorded event"
        " is never removed; restore it, then retract it if it was wrong"
    ),
    "moved": lambda c: (
        f"event {c.index} ({event_label(c.old)}) was moved to place {c.to}:"
        " recorded events keep their order (retractions point at them by number)"
    ),
    "inserted": lambda c: (
        f"a new event ({event_label(c.new)}) was put before earlier events:"
        " new events go at the end of the list"
    ),
}

LEDGER_RULES = (fixed_fields_kept, events_kept)


def ledger_findings(old: Version, new: Version) -> Iterator[Finding]:
    """Every way `new` breaks the append-only rules against the recorded `old`."""
    for rule in LEDGER_RULES:
        yield from rule(old, new)


def action_fixed_fields_kept(old: Version, new: Version) -> Iterator[Finding]:
    for key, before, after in field_changes(old, new):
        if key in ACTION_FIXED_FIELDS:
            yield (
                (key,),
                (
                    f"changed from {as_words(before)} to {as_words(after)}: a recorded"
                    " action's id, opened and complaints never change"
                ),
            )


def done_kept(old: Version, new: Version) -> Iterator[Finding]:
    """`done` is set once: from empty to a date, and never moved or removed after that."""
    before, after = old.get("done"), new.get("done")
    if before is None or canonical(before) == canonical(after):
        return
    what = (
        f"removed (was {as_words(before)})"
        if after is None
        else (f"changed from {as_words(before)} to {as_words(after)}")
    )
    yield (
        ("done",),
        (
            f"{what}: an action's done date is set once and never moved or removed;"
            " if it was wrong, say so in the action's note"
        ),
    )


ACTION_LEDGER_RULES = (action_fixed_fields_kept, done_kept)


def action_ledger_findings(old: Version, new: Version) -> Iterator[Finding]:
    """Every way `new` breaks the append-only rules of an action against the recorded `old`."""
    for rule in ACTION_LEDGER_RULES:
        yield from rule(old, new)


def _side_keys(events: list[object]) -> list[str]:
    # A retraction is known by what it retracts, not by the number, which a merge may shift.
    keys = []
    for event in events:
        # Only a mapping is ever a retraction (see event_type): isinstance narrows the type.
        if isinstance(event, dict) and event_type(event) == "retracted":
            target = event.get("event")
            if type(target) is int and 0 <= target < len(events):
                event = {**event, "event": events[target]}
        keys.append(fingerprint(event))
    return keys


def merge_kept_side(side: Version, others: list[Version], merged: Version) -> Iterator[Finding]:
    """Every event that one side of a merge brought (one its other parents lack) is in the
    merged version, in its order, and a retraction still retracts the same event."""
    side_events = events_of(side)
    theirs = {key for other in others for key in _side_keys(events_of(other))}
    merged_keys = _side_keys(events_of(merged))
    start = 0
    for index, key in enumerate(_side_keys(side_events)):
        if key in theirs:
            continue
        if key in merged_keys[start:]:
            start = merged_keys.index(key, start) + 1
            continue
        yield (
            ("events",),
            (
                f"event {index} ({event_label(side_events[index])}) of one side is"
                " missing, changed or out of order after the merge (a retraction must"
                " still point at the same event): keep both sides' events, each"
                " side's in its own order"
            ),
        )


# --- The policy: what was promised stays what was promised (DESIGN.md section 4) -----------


def policy_versions_kept(
    old: Policy, new: Policy, starts: Iterable[date], today: date
) -> Iterator[Finding]:
    """A change to policy.yaml may add a version of the targets from today on; it may not
    change or remove the targets any complaint's clock started under (`starts`: the days
    each stage of each complaint started, and each action was opened)."""
    for start in sorted(set(starts)):
        before, after = _terms(old.targets_on(start)), _terms(new.targets_on(start))
        if before != after:
            yield (
                ("targets",),
                f"changes the targets in force on {start}, when a complaint's clock started:"
                " what was promised stays as it was; add a version from today or later instead",
            )
            break
    known = {version.start for version in old.target_versions()}
    if isinstance(new.targets, list):
        for index, version in enumerate(new.targets):
            # A version from a day gone by may only restate what was in force then (as when
            # the single targets become the first of several versions).
            backdated = version.start not in known and version.start < today
            if backdated and _terms(version) != _terms(old.targets_on(version.start)):
                yield (
                    ("targets", index, "from"),
                    f"a new version applies from the day it is added or later, not from"
                    f" {version.start} (today is {today})",
                )


def _terms(targets: Targets) -> dict[str, object]:
    """The targets, whatever version they are and from when."""
    return targets.model_dump(exclude={"start"})
