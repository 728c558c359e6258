"""The complaint files a branch touches, and what `complaints show --format json` says of
each: what the check workflow's job summary (`complaints ci summary`) lists.

The complaints are the complaint files that differ between the working tree and the merge
base of BASE and HEAD (`git diff`, as `complaints check --base` reads them).
"""

from datetime import date
from pathlib import Path
from typing import Any

from complaints_register.core.problems import ProblemsFound
from complaints_register.core.status import facts
from complaints_register.core.working_days import Calendar
from complaints_register.schema import Policy
from complaints_register.store.check import valid_complaint
from complaints_register.store.ledger import is_complaint_path
from complaints_register.store.register import Register
from complaints_register.store.repository import (
    diff,
    in_repository,
    merge_base,
    open_repository,
    work_tree,
)

# `git diff --raw` status letters, in words; anything else (R, C, U...) is "changed".
CHANGES = {"A": "added", "M": "changed", "T": "changed", "D": "deleted"}


def touched_files(register: Register, base: str) -> list[tuple[Path, str]]:
    """The complaint files changed since the merge base of `base` and HEAD, and how
    (added, changed, deleted). LedgerError when Git cannot tell."""
    with open_repository(register.root) as repo:
        folder = in_repository(repo, register.root)
        top = work_tree(repo)
        changes = diff(repo, merge_base(repo, base), None, folder, renames=False)
    return [
        (top / c.path, CHANGES.get(c.status, "changed"))
        for c in changes
        if is_complaint_path(c.path, folder)
    ]


def shown_facts(
    path: Path, policy: Policy, calendar: Calendar, as_of: date
) -> dict[str, Any] | None:
    """What `complaints show --format json` prints for the file, or None when it is invalid."""
    try:
        complaint = valid_complaint(path, calendar)
    except ProblemsFound:
        return None  # the check's annotations say why
    return facts(complaint, policy, calendar, as_of).as_json()


def touched_complaints(
    register: Register, base: str, policy: Policy, calendar: Calendar, as_of: date
) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(complaint ID, change, what `show --format json` says as of `as_of`, or None when
    the file is deleted or invalid) for each complaint file touched since `base`."""
    return [
        (
            path.stem,
            change,
            None if change == "deleted" else shown_facts(path, policy, calendar, as_of),
        )
        for path, change in touched_files(register, base)
    ]
