"""The check workflow's job summary (`complaints ci summary`): the complaints a pull request
touches, with their status and next due dates, as a Markdown table for
`$GITHUB_STEP_SUMMARY`.

The table holds what `complaints show --format json` says, less anything confidential: no
summary, no desired outcome, no complainant. An invalid file gets a row pointing at the
check's annotations; a deleted one, a row saying so. Pure: what is touched is the store's
business (`complaints_register.store.touched`).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from complaints_register.core.problems import terminal_safe

COLUMNS = (
    "Complaint",
    "Change",
    "Status",
    "Stage",
    "Priority",
    "Acknowledge",
    "Respond",
    "Overdue",
)
NONE = "—"

# What `complaints show --format json` prints for one complaint.
Shown = dict[str, Any]
# (complaint ID, change: added, changed or deleted, Shown or None when deleted or invalid)
Touched = tuple[str, str, Shown | None]


def summary(touched: Sequence[Touched], as_of: date) -> str:
    """The Markdown summary of the complaints touched, as of `as_of`."""
    head = "### Complaints this pull request touches\n\n"
    if not touched:
        return head + "This pull request changes no complaint file.\n"
    lines = [
        f"As of {as_of}: {len(touched)} complaint(s).",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    ordered = sorted(touched, key=lambda item: (item[0], item[1]))
    lines += ["| " + " | ".join(map(_cell, _row(item))) + " |" for item in ordered]
    return head + "\n".join(lines) + "\n"


def _row(item: Touched) -> list[str]:
    complaint_id, change, shown = item
    if shown is None:
        status = "deleted" if change == "deleted" else "invalid: see the check's annotations"
        return [complaint_id, change, status] + [NONE] * (len(COLUMNS) - 3)
    return [
        complaint_id,
        change,
        str(shown["status"]),
        str(shown["stage"]),
        str(shown["priority"]),
        _step(shown, "acknowledge", "acknowledged"),
        _step(shown, "respond", "responded"),
        _overdue(shown),
    ]


def _cell(text: str) -> str:
    """A value in a table cell: on one line, control characters shown, `|` escaped."""
    return terminal_safe(text).replace("|", "\\|")


def _step(shown: Shown, step: str, done: str) -> str:
    if shown["due"][step]:
        return f"due {shown['due'][step]}"
    if shown["done"][done]:
        return f"done {shown['done'][done]}"
    return NONE  # the clock has stopped (closed, referred, withdrawn)


def _overdue(shown: Shown) -> str:
    very = set(shown["very_overdue"])
    steps = [f"{step} (very overdue)" if step in very else step for step in shown["overdue"]]
    return ", ".join(steps) or "no"
