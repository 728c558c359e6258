"""Every complaint of a register as of a date: what `list` and `overdue` work from."""

from datetime import date

from schema import Complaint, Policy
from scripts.register import Register, load
from scripts.status import Facts, facts


def all_facts(register: Register, policy: Policy, calendar, as_of: date) -> tuple[list[Facts], list[str]]:
    """Facts for every readable complaint received by `as_of`, and the files that could
    not be read (which `complaints check` explains)."""
    found, unreadable = [], []
    for path in register.complaint_paths():
        if path.suffix != ".yaml":
            continue
        loaded = load(path, Complaint)
        if loaded.model is None:
            unreadable.append(loaded.shown)
        elif calendar.local_date(loaded.model.received) <= as_of:
            found.append(facts(loaded.model, policy, calendar, as_of))
    return found, unreadable
