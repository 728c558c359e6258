"""Merging three versions of a complaint file as a ledger (pure): the merge base, ours (the
branch being merged into) and theirs (the branch being merged in).

DESIGN.md section 9, "Merging branches": when both branches appended events to one
complaint, the merge keeps the base's events as they are, then both sides' appended
events, earlier `at` first (a side's own events keep their order, so ties and late entries
stay as that side wrote them). A retraction among the appended events is renumbered to retract the same event in
the merged list, as `check --base` matches retractions by what they retract. A field other
than the events that one side changed takes that side's value. Anything else stays a
conflict: both sides changing one field differently, or a side that changed or removed an
event of the base.

`merge_lines` is the line-by-line three-way merge Git does, for files that are not merged
as a ledger and for conflicts, with the conflict markers Git writes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from difflib import SequenceMatcher

from complaints_register.core.ledger_rules import (
    Version,
    canonical,
    event_label,
    events_of,
    fingerprint,
)

OURS, THEIRS = "ours", "theirs"

MARKER_SIZE = 7
"""The length of a conflict marker, as Git writes it (`<<<<<<<`)."""


@dataclass(frozen=True)
class Plan:
    """How the merged complaint is made: `events`, the merged list as (side, index in that
    side's events); `retargeted`, for a retraction at a merged place, the event number it
    retracts in the merged list; `fields`, for each field taken from theirs, True (its
    value) or False (theirs removed it). `conflicts`: why it cannot be merged; when there
    are any, the rest means nothing."""

    events: list[tuple[str, int]] = field(default_factory=list)
    retargeted: dict[int, int] = field(default_factory=dict)
    fields: dict[str, bool] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def is_complaint(version: object) -> bool:
    """Whether a parsed file looks like a complaint: a mapping with an `id` and a list of
    `events` (what is merged as a ledger; other files are merged line by line)."""
    return (
        isinstance(version, dict)
        and isinstance(version.get("id"), str)
        and isinstance(version.get("events"), list)
    )


def plan(base: Version, ours: Version, theirs: Version, zone: tzinfo = UTC) -> Plan:
    """How to merge two versions of a complaint that both come from `base`. `zone`: the
    policy's time zone, for an `at` written without an offset (or as a bare date)."""
    conflicts = []
    fields: dict[str, bool] = {}
    for key in _keys(base, ours, theirs):
        if key == "events":
            continue
        was, mine, yours = (canonical(v.get(key, _MISSING)) for v in (base, ours, theirs))
        if mine == yours or yours == was:
            continue
        if mine == was:
            fields[key] = key in theirs
        else:
            conflicts.append(
                f"both sides changed `{key}`, each differently: keep one (or write the"
                " value both agree on)"
            )
    events: list[tuple[str, int]] = []
    retargeted: dict[int, int] = {}
    recorded = events_of(base)
    if canonical(events_of(ours)) == canonical(events_of(theirs)):
        events = [(OURS, n) for n in range(len(events_of(ours)))]
    else:
        for side, version in ((OURS, ours), (THEIRS, theirs)):
            changed = _changed_event(recorded, events_of(version))
            if changed is not None:
                conflicts.append(
                    f"{side} changed or removed event {changed}"
                    f" ({event_label(recorded[changed])}), recorded before the branches"
                    " parted: a recorded event never changes; keep it as it was"
                )
        if not conflicts:
            events, retargeted = _appended(len(recorded), events_of(ours), events_of(theirs), zone)
    return Plan(events, retargeted, fields, conflicts)


def merged_version(ours: Version, theirs: Version, how: Plan) -> Version:
    """The merged complaint as data, as `how` (without conflicts) makes it."""
    merged = {key: value for key, value in ours.items() if how.fields.get(key, True)}
    merged.update({key: theirs[key] for key, keep in how.fields.items() if keep})
    sides = {OURS: events_of(ours), THEIRS: events_of(theirs)}
    events = []
    for at, (side, index) in enumerate(how.events):
        event = sides[side][index]
        if at in how.retargeted and isinstance(event, dict):
            event = {**event, "event": how.retargeted[at]}
        events.append(event)
    merged["events"] = events
    return merged


_MISSING = object()
"""In place of a field a version does not have."""


def _keys(*versions: Version) -> list[str]:
    keys: list[str] = []
    for version in versions:
        keys += [key for key in version if key not in keys]
    return keys


def _changed_event(recorded: list[object], events: list[object]) -> int | None:
    """The first event of `recorded` that `events` does not begin with, unchanged."""
    for index, event in enumerate(recorded):
        if index >= len(events) or fingerprint(events[index]) != fingerprint(event):
            return index
    return None


def _appended(
    kept: int, ours: list[object], theirs: list[object], zone: tzinfo
) -> tuple[list[tuple[str, int]], dict[int, int]]:
    """The merged events: the first `kept` as they are, and those both sides then appended
    alike (as after an earlier merge); then each side's later events, the earlier `at`
    first, each side's in its own order. Ours' events keep their order and come first
    among equals, so the merged list is ours' list with theirs' events put in."""
    while kept < min(len(ours), len(theirs)) and fingerprint(ours[kept]) == fingerprint(
        theirs[kept]
    ):
        kept += 1
    merged = [(OURS, n) for n in range(kept)]
    mine, yours = kept, kept
    while mine < len(ours) or yours < len(theirs):
        if mine == len(ours) or (
            yours < len(theirs) and _moment(theirs[yours], zone) < _moment(ours[mine], zone)
        ):
            merged.append((THEIRS, yours))
            yours += 1
        else:
            merged.append((OURS, mine))
            mine += 1
    place = {(side, index): at for at, (side, index) in enumerate(merged)}
    place.update({(THEIRS, n): n for n in range(kept)})  # the events both sides hold
    sides = {OURS: ours, THEIRS: theirs}
    retargeted = {}
    for at, (side, index) in enumerate(merged):
        event = sides[side][index]
        if isinstance(event, dict) and event.get("type") == "retracted":
            target = event.get("event")
            if type(target) is int and place.get((side, target), target) != target:
                retargeted[at] = place[(side, target)]
    return merged, retargeted


def _moment(event: object, zone: tzinfo) -> tuple[datetime, int]:
    """When an event happened, to order by: a bare date as the start of its day in `zone`
    (so it comes before the timed events of that day), date-times written without an
    offset in `zone`; what is not a date at all last."""
    at = event.get("at") if isinstance(event, dict) else None
    if isinstance(at, str):  # quoted: read as the models read it
        try:
            at = datetime.fromisoformat(at.strip())
        except ValueError:
            at = None
    if isinstance(at, datetime):
        moment = at if at.tzinfo is not None else at.replace(tzinfo=zone)
    elif isinstance(at, date):
        moment = datetime.combine(at, time.min, zone)
    else:
        return datetime.max.replace(tzinfo=UTC), 1
    try:
        return moment.astimezone(UTC), 0
    except (OverflowError, ValueError):  # at the ends of time: validation says why
        return datetime.max.replace(tzinfo=UTC), 1


# --- Line by line, as Git merges text ----------------------------------------------------


@dataclass(frozen=True)
class Lines:
    """The result of a line-by-line merge: its text, and how many conflicts it holds."""

    text: str
    conflicts: int


def merge_lines(
    base: str, ours: str, theirs: str, labels: tuple[str, str] = (OURS, THEIRS)
) -> Lines:
    """Git's three-way merge of text by lines: where only one side changed a part of the
    base, that side's lines; where both changed it alike, those; where they changed it
    differently, a conflict between `<<<<<<< ours`, `=======` and `>>>>>>> theirs`."""
    old, mine, yours = (text.splitlines(keepends=True) for text in (base, ours, theirs))
    out: list[str] = []
    conflicts = 0
    for kind, lines in _regions(old, mine, yours):
        if kind != "conflict":
            out += lines[0]
            continue
        conflicts += 1
        _, a, b = lines
        out.append("<" * MARKER_SIZE + f" {labels[0]}\n")
        out += _ended(a)
        out.append("=" * MARKER_SIZE + "\n")
        out += _ended(b)
        out.append(">" * MARKER_SIZE + f" {labels[1]}\n")
    return Lines("".join(out), conflicts)


def conflict_of_wholes(ours: str, theirs: str, labels: tuple[str, str] = (OURS, THEIRS)) -> str:
    """`ours` and `theirs` as one conflict around the lines where they differ: for a change
    that merges line by line but not as a ledger."""
    mine, yours = ours.splitlines(keepends=True), theirs.splitlines(keepends=True)
    head = 0
    while head < min(len(mine), len(yours)) and mine[head] == yours[head]:
        head += 1
    tail = 0
    while tail < min(len(mine), len(yours)) - head and mine[-1 - tail] == yours[-1 - tail]:
        tail += 1
    return "".join(
        mine[:head]
        + ["<" * MARKER_SIZE + f" {labels[0]}\n"]
        + _ended(mine[head : len(mine) - tail])
        + ["=" * MARKER_SIZE + "\n"]
        + _ended(yours[head : len(yours) - tail])
        + [">" * MARKER_SIZE + f" {labels[1]}\n"]
        + mine[len(mine) - tail :]
    )


def _ended(lines: list[str]) -> list[str]:
    """`lines` with the last one ended, so that a marker after it starts a line."""
    if lines and not lines[-1].endswith(("\n", "\r")):
        return lines[:-1] + [lines[-1] + "\n"]
    return lines


Region = tuple[str, tuple[list[str], ...]]


def _regions(base: list[str], ours: list[str], theirs: list[str]) -> list[Region]:
    """The merge's parts in order: (`same`, (lines,)) where the result is settled, or
    (`conflict`, (base's, ours, theirs)) where the sides changed the base differently."""
    regions: list[Region] = []
    b0 = o0 = t0 = 0
    for b1, b2, o1, o2, t1, t2 in _stable(base, ours, theirs):
        old, mine, yours = base[b0:b1], ours[o0:o1], theirs[t0:t1]
        if mine or yours or old:
            if mine == yours:
                regions.append(("same", (mine,)))
            elif mine == old:
                regions.append(("same", (yours,)))
            elif yours == old:
                regions.append(("same", (mine,)))
            else:
                regions.append(("conflict", (old, mine, yours)))
        if b2 > b1:
            regions.append(("same", (base[b1:b2],)))
        b0, o0, t0 = b2, o2, t2
    return regions


def _stable(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> list[tuple[int, int, int, int, int, int]]:
    """The runs of base lines that both sides kept, as (base start, base end, ours start,
    ours end, theirs start, theirs end), ending with the empty run at the three ends."""
    matched = _matcher(base)
    mine, yours = matched(ours), matched(theirs)
    runs = []
    i = j = 0
    while i < len(mine) and j < len(yours):
        b_mine, o, size_mine = mine[i]
        b_yours, t, size_yours = yours[j]
        start, end = max(b_mine, b_yours), min(b_mine + size_mine, b_yours + size_yours)
        if start < end:
            runs.append(
                (
                    start,
                    end,
                    o + start - b_mine,
                    o + end - b_mine,
                    t + start - b_yours,
                    t + end - b_yours,
                )
            )
        if b_mine + size_mine < b_yours + size_yours:
            i += 1
        else:
            j += 1
    runs.append((len(base), len(base), len(ours), len(ours), len(theirs), len(theirs)))
    return runs


def _matcher(base: Sequence[str]) -> Callable[[Sequence[str]], list[tuple[int, int, int]]]:
    def matched(other: Sequence[str]) -> list[tuple[int, int, int]]:
        blocks = SequenceMatcher(None, base, other, autojunk=False).get_matching_blocks()
        return [(a, b, size) for a, b, size in blocks if size]

    return matched
