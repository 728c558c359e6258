"""Every complaint of a register as of a date: what `list` and `overdue` work from."""

from datetime import date

from schema import Complaint, Policy
from scripts.cache import Cache
from scripts.progress import progress
from scripts.register import Register, from_bytes, read_raw, shown
from scripts.status import Facts, facts

_UNREADABLE = ("unreadable",)


def all_facts(register: Register, policy: Policy, calendar, as_of: date) -> tuple[list[Facts], list[str]]:
    """Facts for every readable complaint received by `as_of`, and the files that could
    not be read (which `complaints check` explains)."""
    found, unreadable, _ = _all_facts(register, policy, calendar, as_of)
    return found, unreadable


def published_figures(register: Register, policy: Policy, calendar, as_of: date):
    """The published statistics as of `as_of` (`statistics.published`), and the files that
    could not be read. Kept in the cache until a complaint file, the policy or the
    program changes: disclosure control solves many small integer programs."""
    from scripts.statistics import published

    found, unreadable, fingerprint = _all_facts(register, policy, calendar, as_of)
    cache = Cache(register.root, "statistics", as_of)
    figures = cache.get(register.root, fingerprint)
    if figures is None:
        figures = published(found, policy, calendar, as_of)
        cache.put(register.root, fingerprint, figures)
        cache.save()
    return figures, unreadable


def _all_facts(register: Register, policy: Policy, calendar, as_of: date):
    """(facts, unreadable files, fingerprint of every complaint file's name and content)."""
    found, unreadable = [], []
    cache = Cache(register.root, "facts", as_of)
    for path in progress(register.complaint_paths(), "Reading complaints"):
        if path.suffix != ".yaml":
            continue
        try:
            raw = read_raw(path)
        except OSError:
            unreadable.append(shown(path))
            continue
        result = cache.get(path, raw)
        if result is None:
            result = _facts(path, raw, policy, calendar, as_of)
            cache.put(path, raw, result)
        if result == _UNREADABLE:
            unreadable.append(shown(path))
        elif result[0] is not None:
            found.append(result[0])
    cache.save()
    return found, unreadable, cache.fingerprint()


def _facts(path, raw: bytes, policy: Policy, calendar, as_of: date) -> tuple:
    """(facts, ) of a complaint received by `as_of`, (None, ) of a later one."""
    model = from_bytes(path, raw, Complaint).model
    if model is None:
        return _UNREADABLE
    received = calendar.local_date(model.received) <= as_of
    return (facts(model, policy, calendar, as_of) if received else None,)
