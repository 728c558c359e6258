"""Every complaint's facts as of a date, from what its events say whatever the date.

The cache keeps, for each complaint file, what `core.facts.settle` made of it: keyed by the
file's content, the policy and this program (`store.cache`), never by a date. The facts of
any date on or after a complaint's last event are worked out from that without reading its
file (`Settled.on`); only a date before it (the register as it stood in the past) or a
complaint that could not be settled sends its file through the fold of that one date.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from complaints_register.core.facts import Settled, settle
from complaints_register.core.figures import Profile, profile
from complaints_register.core.lifecycle import Clock
from complaints_register.core.status import Facts, facts
from complaints_register.schema import Complaint, Policy
from complaints_register.store.cache import (
    Blobs,
    Cache,
    name_of,
    no_collection,
    worked_out_in_order,
)
from complaints_register.store.check import out_of_range
from complaints_register.store.files import read_raw
from complaints_register.store.pool import each
from complaints_register.store.register import Register, from_bytes

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

UNREADABLE = ("unreadable",)
"""What the cache keeps for a file that is not a valid complaint (`check` explains it)."""
_EACH_DATE = ("each date",)
"""What it keeps for one that could not be settled (a date near the end of time): its
facts are worked out from the file for each date, as `status.facts` does."""


def all_facts_as_of(
    register: Register, policy: Policy, calendar: "Calendar", as_of: date, blobs: Blobs | None
) -> tuple[list[Facts], list[str]]:
    """(facts as of `as_of` of every complaint received by then, in the order of their
    files; names of the files that could not be read)."""
    with no_collection():
        return _all_facts_as_of(register, policy, calendar, as_of, blobs)


def _all_facts_as_of(
    register: Register, policy: Policy, calendar: "Calendar", as_of: date, blobs: Blobs | None
) -> tuple[list[Facts], list[str]]:
    cache = Cache(register.root, "settled", blobs=blobs)
    paths = [p for p in register.complaint_paths() if p.suffix == ".yaml"]
    found = worked_out_in_order(cache, paths, _settle, policy, calendar, what="Reading complaints")
    cache.save()
    clock = Clock(policy, calendar)
    slots: list[Facts | tuple[str] | None] = []
    again: list[int] = []  # slots whose facts the file's fold of that date gives
    for result in found:
        slot = _kept_on(result, clock, as_of)
        if slot is _AGAIN:
            again.append(len(slots))
            slot = None
        slots.append(slot)
    folded = _folded([paths[i] for i in again], policy, calendar, as_of)
    for i, worked in zip(again, folded, strict=True):
        slots[i] = worked
    in_order: list[Facts] = []
    unreadable: list[str] = []
    for path, slot in zip(paths, slots, strict=True):
        if isinstance(slot, Facts):
            in_order.append(slot)
        elif slot == UNREADABLE:
            unreadable.append(name_of(path))
    return in_order, unreadable


_AGAIN = object()
"""What `_kept_on` says of a complaint whose facts on the date only its file's fold gives."""


def _kept_on(result: object, clock: Clock, as_of: date) -> Any:
    """What a kept result says of its complaint on `as_of`: its facts, None (not received
    yet), UNREADABLE, or _AGAIN (fold the file for that date)."""
    if isinstance(result, Settled):
        if result.received_day > as_of:
            return None
        if as_of < result.since:
            return _AGAIN
        try:
            return result.on(clock, as_of)
        except (ArithmeticError, ValueError):  # a date at the end of time
            return UNREADABLE
    return UNREADABLE if result == UNREADABLE else _AGAIN


def _folded(
    paths: list[Path], policy: Policy, calendar: "Calendar", as_of: date
) -> list[Facts | tuple[str] | None]:
    """Each file's facts on `as_of`, from its own fold (in the process pool): None before
    it was received, UNREADABLE for a file that cannot be read."""
    todo = [(path, _read(path)) for path in paths]
    return [
        UNREADABLE if worked == UNREADABLE else cast("Facts | None", worked[0])
        for worked in each(facts_of, todo, policy, calendar, as_of)
    ]


def _read(path: Path) -> bytes | None:
    try:
        return read_raw(path)
    except OSError:
        return None


def _settle(
    item: tuple[Path, bytes | None], policy: Policy, calendar: "Calendar"
) -> Settled | tuple[str]:
    """What the complaint file's events say whatever the date; UNREADABLE for a file that
    is not a valid complaint, _EACH_DATE for one that cannot be settled."""
    path, raw = item
    model = _complaint(path, raw, calendar)
    if model is None:
        return UNREADABLE
    try:
        return settle(model, policy, calendar)
    except (ArithmeticError, ValueError):  # a date at the end of time: see each date
        return _EACH_DATE


def facts_of(
    item: tuple[Path, bytes | None], policy: Policy, calendar: "Calendar", as_of: date
) -> tuple[Facts | None] | tuple[str]:
    """(facts, ) of a complaint received by `as_of`, (None, ) of a later one, UNREADABLE
    for a file that is not a valid complaint: the complaint folded as of that date."""
    path, raw = item
    model = _complaint(path, raw, calendar)
    if model is None:
        return UNREADABLE
    try:
        received = calendar.local_date(model.received) <= as_of
        return (facts(model, policy, calendar, as_of) if received else None,)
    except (ArithmeticError, ValueError):  # a date at the end of time: check says so
        return UNREADABLE


def _complaint(path: Path, raw: bytes | None, calendar: "Calendar") -> Complaint | None:
    """The complaint in `raw`; None if it is not a valid one, or holds a date-time that
    cannot be placed in time (`check` says which)."""
    loaded = from_bytes(path, raw, Complaint) if raw is not None else None
    if loaded is None or loaded.model is None or loaded.document is None:
        return None
    if out_of_range(loaded.shown, loaded.model, loaded.document, calendar):
        return None
    return loaded.model


# A complaint whose clocks have all stopped (`Settled.stopped`) has, on every date from
# `since` on, no date due and no step overdue. `overdue`, `list --overdue` and
# `list --due-within` keep none of them: on a new day they need only the few complaints
# still open, which the cache keeps apart for the whole register (`_Open`).


@dataclass(frozen=True)
class _Open:
    """What a date's pending steps need of the whole register, in the order of its files:
    each open complaint's Settled (or UNREADABLE, or _EACH_DATE), and of each complaint
    whose clocks have all stopped only the days it was received and settled since
    (ordinals: a tuple of two ints is the smallest thing to load)."""

    names: list[str]
    results: list["Settled | tuple[str] | tuple[int, int]"]


def pending_facts_as_of(
    register: Register, policy: Policy, calendar: "Calendar", as_of: date
) -> tuple[list[Facts], list[str]]:
    """`all_facts_as_of`, but only the complaints that may have a step due or overdue as of
    `as_of` (those whose clocks have all stopped by then are left out: no date is due for
    them, and none is overdue): (their facts, the names of the files that could not be
    read). What was kept for any date serves every date, so the first run of a new day
    loads only the open complaints."""
    with no_collection():
        cache = Cache(register.root, "settled-open")
        names = [name for name in register.complaint_names() if name.endswith(".yaml")]
        kept = cache.get_all(names)
        if not isinstance(kept, _Open) or kept.names != names:
            found = _settled_in_order(register, policy, calendar, names, cache.blobs)
            kept = _Open(names, [_open_or_days(result) for result in found])
            cache.put_all(kept)
            cache.save()
        return _pending(register, kept, policy, calendar, as_of)


def _settled_in_order(
    register: Register, policy: Policy, calendar: "Calendar", names: list[str], blobs: Blobs
) -> list["Settled | tuple[str]"]:
    """What `_settle` made of each of the files `names` (from the cache where it has it)."""
    cache = Cache(register.root, "settled", blobs=blobs)
    paths = [register.root / name for name in names]
    found = worked_out_in_order(cache, paths, _settle, policy, calendar, what="Reading complaints")
    cache.save()
    return found


def _open_or_days(result: "Settled | tuple[str]") -> "Settled | tuple[str] | tuple[int, int]":
    if isinstance(result, Settled) and result.stopped is not None:
        current = result.stopped[-1]  # the stage whose steps `overdue` and `list` look at
        if not current.overdue and not any(current.due.values()):  # as `stopped` means
            return (result.received_day.toordinal(), result.since.toordinal())
    return result


def _pending(
    register: Register, kept: _Open, policy: Policy, calendar: "Calendar", as_of: date
) -> tuple[list[Facts], list[str]]:
    clock = Clock(policy, calendar)
    day = as_of.toordinal()
    slots: dict[int, Facts | tuple[str] | None] = {}
    again: list[int] = []  # files whose facts the file's fold of that date gives
    for index, result in enumerate(kept.results):
        if isinstance(result, Settled):
            if result.received_day > as_of:
                continue
            if as_of >= result.since:
                try:
                    slots[index] = result.on(clock, as_of)
                except (ArithmeticError, ValueError):  # a date at the end of time
                    slots[index] = UNREADABLE
                continue
        elif result == UNREADABLE:
            slots[index] = UNREADABLE
            continue
        elif len(result) == 2:  # (received, since) of one whose clocks have all stopped
            received, since = result
            if received > day or day >= since:
                continue  # not received yet; or stopped, with nothing due ever again
        again.append(index)
    folded = _folded([register.root / kept.names[i] for i in again], policy, calendar, as_of)
    for i, worked in zip(again, folded, strict=True):
        slots[i] = worked
    found: list[Facts] = []
    unreadable: list[str] = []
    for index in sorted(slots):
        slot = slots[index]
        if isinstance(slot, Facts):
            found.append(slot)
        elif slot == UNREADABLE:
            unreadable.append(kept.names[index])
    return found, unreadable


# The statistics need of each complaint only its profile (`core.figures.profile`). That of
# a complaint whose clocks have all stopped is made from its stages as they stopped and
# from its fold, which no date from `since` on changes: the same on every such date. The
# cache keeps it in place of the complaint's Settled, for the whole register (`_Profiles`),
# so that the first `stats` of a new day works out the profiles of the open ones only.


@dataclass(frozen=True)
class _Profiles:
    """What a date's statistics need of the whole register, in the order of its files:
    each open complaint's Settled (or UNREADABLE, or _EACH_DATE), and of each complaint
    whose clocks have all stopped the days it was received and settled since (ordinals)
    and its profile on every date from then on."""

    names: list[str]
    results: list["Settled | tuple[str] | tuple[int, int, Profile]"]


def all_profiles_as_of(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    as_of: date,
    blobs: Blobs | None = None,
) -> tuple[list["Profile"], list[str]]:
    """The profiles of what `all_facts_as_of` gives (in the same order), and the names of
    the files that could not be read. What was kept for any date serves every date.
    `blobs`: another cache's, which has looked at the files in this run already."""
    with no_collection():
        cache = Cache(register.root, "settled-profiles", blobs=blobs)
        names = [name for name in register.complaint_names() if name.endswith(".yaml")]
        kept = cache.get_all(names)
        if not isinstance(kept, _Profiles) or kept.names != names:
            found = _settled_in_order(register, policy, calendar, names, cache.blobs)
            clock = Clock(policy, calendar)
            alike: dict[Profile, Profile] = {}  # one object for equal profiles: less to load
            kept = _Profiles(names, [_profile_or_open(r, clock, calendar, alike) for r in found])
            cache.put_all(kept)
            cache.save()
        return _profiles(register, kept, policy, calendar, as_of)


def _profile_or_open(
    result: "Settled | tuple[str]",
    clock: Clock,
    calendar: "Calendar",
    alike: dict["Profile", "Profile"],
) -> "Settled | tuple[str] | tuple[int, int, Profile]":
    if isinstance(result, Settled) and result.stopped is not None:
        try:
            made = profile(result.on(clock, result.since), calendar)
        except (ArithmeticError, ValueError):  # a date at the end of time: as each date does
            return result
        made = alike.setdefault(made, made)
        return (result.received_day.toordinal(), result.since.toordinal(), made)
    return result


def _profiles(
    register: Register, kept: _Profiles, policy: Policy, calendar: "Calendar", as_of: date
) -> tuple[list["Profile"], list[str]]:
    clock = Clock(policy, calendar)
    day = as_of.toordinal()
    slots: list[Facts | Profile | tuple[str] | None] = []
    again: list[int] = []  # slots whose facts the file's fold of that date gives
    for result in kept.results:
        if isinstance(result, Settled) or result == UNREADABLE:
            slot = _kept_on(result, clock, as_of)
        elif len(result) == 3:  # (received, since, profile) of one whose clocks all stopped
            received, since, made = result
            slot = None if received > day else made if day >= since else _AGAIN
        else:
            slot = _AGAIN
        if slot is _AGAIN:
            again.append(len(slots))
            slot = None
        slots.append(slot)
    folded = _folded([register.root / kept.names[i] for i in again], policy, calendar, as_of)
    for i, worked in zip(again, folded, strict=True):
        slots[i] = worked
    found: list[Profile] = []
    unreadable: list[str] = []
    for name, slot in zip(kept.names, slots, strict=True):
        if isinstance(slot, Profile):
            found.append(slot)
        elif isinstance(slot, Facts):
            found.append(profile(slot, calendar))
        elif slot == UNREADABLE:
            unreadable.append(name)
    return found, unreadable
