"""Every complaint of a register as of a date: what `list`, `overdue`, `stats` and
`report` work from. Invalid files are left out and named; what is published is made only
from a register that `complaints check` accepts (the caller asks
`register_check.require_valid` first)."""

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, cast

from complaints_register.core.status import Facts
from complaints_register.schema import Complaint, Policy
from complaints_register.store.cache import Blobs, Cache
from complaints_register.store.files import read_raw, shown
from complaints_register.store.progress import progress
from complaints_register.store.register import Register, from_bytes
from complaints_register.store.settled import all_facts_as_of, all_profiles_as_of

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.figures import Published
    from complaints_register.core.working_days import Calendar


def all_facts(
    register: Register, policy: Policy, calendar: "Calendar", as_of: date
) -> tuple[list[Facts], list[str]]:
    """Facts for every readable complaint received by `as_of`, and the files that could
    not be read (which `complaints check` explains)."""
    return chosen_facts(register, policy, calendar, as_of, None)


def chosen_facts(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    as_of: date,
    keep: Callable[[Facts], bool] | None,
    *choice: object,
) -> tuple[list[Facts], list[str]]:
    """Facts for the complaints received by `as_of` that `keep` keeps (all with None), and
    the files that could not be read. What was chosen is kept in the cache under `choice`
    (what `keep` keeps, in plain values) until a file, the policy or the program changes."""
    cache = Cache(register.root, "chosen", as_of, *choice) if keep else None
    kept = cast(  # as put_all stored it below
        "tuple[list[Facts], list[str]] | None",
        cache.get_all(register.complaint_names()) if cache else None,
    )
    if kept is None:
        found, unreadable = _all_facts(
            register, policy, calendar, as_of, cache.blobs if cache else None
        )
        kept = ([f for f in found if keep(f)] if keep else found, unreadable)
        if cache:
            cache.put_all(kept)
            cache.save()
    found, unreadable = kept
    return found, [shown(register.root / name) for name in unreadable]


def all_complaints(register: Register) -> tuple[list[Complaint], list[str]]:
    """Every complaint, whole (events and texts), for the management review, and the files
    that could not be read. Never cached: a register's models are larger than their files."""
    found: list[Complaint] = []
    unreadable: list[str] = []
    for path in progress(register.complaint_paths(), "Reading complaints"):
        if path.suffix != ".yaml":
            continue
        try:
            model = from_bytes(path, read_raw(path), Complaint).model
        except OSError:
            model = None
        if model is None:
            unreadable.append(shown(path))
        else:
            found.append(model)
    return found, unreadable


def published_figures(
    register: Register, policy: Policy, calendar: "Calendar", as_of: date
) -> "tuple[Published, list[str]]":
    """The published statistics as of `as_of` (`statistics.published`), and the files that
    could not be read. Kept in the cache until a complaint file, the policy or the program
    changes: disclosure control solves many small integer programs."""
    cache = Cache(register.root, "statistics", as_of)
    kept = cast(  # as put_all stored it below
        "tuple[Published, list[str]] | None", cache.get_all(register.complaint_names())
    )
    if kept is None:
        from complaints_register.core.figures import published_profiles

        # Each complaint's profile: those that no later date changes kept for every date.
        found, names = all_profiles_as_of(register, policy, calendar, as_of, cache.blobs)
        kept = (published_profiles(found, policy, as_of), names)
        cache.put_all(kept)
        cache.save()
    figures, unreadable = kept
    return figures, [shown(register.root / name) for name in unreadable]


def _all_facts(
    register: Register, policy: Policy, calendar: "Calendar", as_of: date, blobs: Blobs | None
) -> tuple[list[Facts], list[str]]:
    """(facts, names of the files that could not be read): from what each complaint's
    events say whatever the date, kept in the cache (`store.settled`)."""
    return all_facts_as_of(register, policy, calendar, as_of, blobs)
