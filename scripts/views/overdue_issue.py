"""The overdue workflow's issue (`complaints ci overdue-issue`): ONE open issue titled
"Overdue complaints", and the `gh` calls that keep it up to date. Pure: running them is
`complaints_register.store.github`'s business.

The rows are what `complaints overdue --format json` prints (the overdue complaint steps)
and what `complaints actions --overdue --format json` prints. The issue is created when
something becomes overdue, edited when the list changes, left alone when it has not, and
closed when nothing is overdue. Its body holds only what DESIGN.md allows: ID, category,
stage, handler, step, due date and working days late (for an improvement action: ID, kind,
owner, due date, days late; never what it is about). While a step or an action is very
overdue (`level` / `state` "very overdue") the run fails, so that maintainers are told.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from complaints_register.core.problems import terminal_safe

TITLE = "Overdue complaints"
VERY = "very overdue"
STEP_COLUMNS = (
    ("ID", "id"),
    ("Category", "category"),
    ("Stage", "stage"),
    ("Handler", "handler"),
    ("Step", "step"),
    ("Due", "due"),
    ("Working days late", "days_late"),
    ("Level", "level"),
)
ACTION_COLUMNS = (
    ("ID", "id"),
    ("Kind", "kind"),
    ("Owner", "owner"),
    ("Due", "due"),
    ("Working days late", "days_late"),
    ("Level", "state"),
)
# (column title, key in a row)
Columns = Sequence[tuple[str, str]]
# One object of the JSON lists `complaints overdue` and `gh issue list` print.
Row = dict[str, Any]

# The `gh` call that lists the open issues, for `plan`.
LIST_OPEN = ("issue", "list", "--state", "open", "--limit", "500", "--json", "number,title,body")


@dataclass(frozen=True)
class Gh:
    """One `gh` call: its arguments, and what it reads on standard input."""

    args: tuple[str, ...]
    stdin: str = ""


def issue_body(steps: Sequence[Row], actions: Sequence[Row]) -> str | None:
    """The issue's Markdown, or None when nothing is overdue."""
    if not steps and not actions:
        return None
    parts = []
    if steps:
        parts.append(
            f"{len(steps)} complaint step(s) overdue, the most overdue first.\n\n"
            + _table(steps, STEP_COLUMNS)
        )
    if actions:
        parts.append(
            f"{len(actions)} improvement action(s) overdue.\n\n" + _table(actions, ACTION_COLUMNS)
        )
    parts.append(
        "`complaints show ID` tells the rest. This issue is kept up to date by the"
        " overdue workflow and closed when nothing is overdue; a step *very overdue*"
        " makes the workflow fail."
    )
    return "\n\n".join(parts) + "\n"


def step_summary(body: str | None) -> str:
    """What goes to `$GITHUB_STEP_SUMMARY`: the issue's body under its title."""
    return f"### {TITLE}\n\n{body or 'Nothing is overdue.'}\n"


def _table(rows: Sequence[Row], columns: Columns) -> str:
    lines = ["| " + " | ".join(title for title, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(key)) for _, key in columns) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value in (None, ""):
        return "—"
    return terminal_safe(str(value).replace("\n", " ")).replace("|", "\\|")


def very_overdue(steps: Sequence[Row], actions: Sequence[Row]) -> list[str]:
    """The IDs of the complaints and actions with something very overdue."""
    found = [str(row["id"]) for row in steps if row.get("level") == VERY]
    found += [str(row["id"]) for row in actions if row.get("state") == VERY]
    return list(dict.fromkeys(found))


def plan(open_issues: Sequence[Row], body: str | None) -> list[Gh]:
    """The `gh` calls that leave one open issue titled TITLE holding `body` (none when
    `body` is None). `open_issues` is what the LIST_OPEN call prints."""
    mine = sorted((i for i in open_issues if i["title"] == TITLE), key=lambda i: i["number"])
    if body is None:
        return [
            Gh(("issue", "close", str(i["number"]), "--comment", "Nothing is overdue any more."))
            for i in mine
        ]
    if not mine:
        return [Gh(("issue", "create", "--title", TITLE, "--body-file", "-"), body)]
    kept, extra = mine[0], mine[1:]
    calls = [
        Gh(("issue", "close", str(i["number"]), "--comment", f"Duplicate of #{kept['number']}."))
        for i in extra
    ]
    if _same_text(kept["body"]) != _same_text(body):
        calls.append(Gh(("issue", "edit", str(kept["number"]), "--body-file", "-"), body))
    return calls


def _same_text(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def shown_call(call: Gh) -> str:
    """A call as the log shows it: `gh issue edit 4` (never the comment or the body)."""
    return f"gh {' '.join(call.args[:3])}"


def very_overdue_error(very: Sequence[str]) -> str:
    """The workflow command that fails the run with an error naming what is very overdue."""
    return f"::error title=Very overdue::{len(very)} very overdue: {', '.join(very)}"
