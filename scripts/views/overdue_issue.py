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
from typing import TYPE_CHECKING, Any

from complaints_register.core.problems import terminal_safe
from complaints_register.views.github_replies import inert

if TYPE_CHECKING:
    from complaints_register.core.status import Facts

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
LIST_OPEN = (
    "issue",
    "list",
    "--state",
    "open",
    "--limit",
    "500",
    "--json",
    "number,title,body,author",
)


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


def step_summary(body: str | None, title: str = TITLE) -> str:
    """What goes to `$GITHUB_STEP_SUMMARY`: the issue's body under its title."""
    return f"### {title}\n\n{body or 'Nothing is overdue.'}\n"


def _table(rows: Sequence[Row], columns: Columns) -> str:
    lines = ["| " + " | ".join(title for title, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(key)) for _, key in columns) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value in (None, ""):
        return "—"
    # A value a file gives (a handler) as text only: no mention, HTML or link on GitHub.
    return inert(terminal_safe(str(value).replace("\n", " "))).replace("|", "\\|")


def very_overdue(steps: Sequence[Row], actions: Sequence[Row]) -> list[str]:
    """The IDs of the complaints and actions with something very overdue."""
    found = [str(row["id"]) for row in steps if row.get("level") == VERY]
    found += [str(row["id"]) for row in actions if row.get("state") == VERY]
    return list(dict.fromkeys(found))


def _workflows(issues: Sequence[Row], title: str) -> list[Row]:
    """The open issues titled `title` that a workflow opened, oldest first. Only a bot (the
    workflow's token, or the organisation's GitHub App) is the author of the workflow's
    issue: one anyone else opened with the same title is theirs to rewrite, and is never
    written to, pinned or closed."""
    return sorted(
        (
            i
            for i in issues
            if i["title"] == title and (i.get("author") or {}).get("is_bot") is True
        ),
        key=lambda i: i["number"],
    )


def plan(open_issues: Sequence[Row], body: str | None, title: str = TITLE) -> list[Gh]:
    """The `gh` calls that leave one open issue titled `title` holding `body` (none when
    `body` is None). `open_issues` is what the LIST_OPEN call prints."""
    mine = _workflows(open_issues, title)
    if body is None:
        return [
            Gh(("issue", "close", str(i["number"]), "--comment", "Nothing is overdue any more."))
            for i in mine
        ]
    if not mine:
        return [Gh(("issue", "create", "--title", title, "--body-file", "-"), body)]
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


# The pinned "Open complaints" issue (`complaints ci open-issue`): every open complaint, most
# urgent first, with what DESIGN.md allows in CI outputs: ID, status, stage, priority,
# handler, the next step and its due date. Never a summary, a complainant or a note.

OPEN_TITLE = "Open complaints"
OPEN_COLUMNS = (
    ("ID", "id"),
    ("Status", "status"),
    ("Stage", "stage"),
    ("Priority", "priority"),
    ("Handler", "handler"),
    ("Next step", "step"),
    ("Due", "due"),
    ("Overdue", "overdue"),
)
LIST_OPEN_PINNED = (
    "issue",
    "list",
    "--state",
    "open",
    "--limit",
    "500",
    "--json",
    "number,title,body,isPinned,author",
)


def open_row(found: "Facts") -> Row:
    """One open complaint's row: its next step is the step due next in its current stage
    (a responded complaint's is to close it; a paused one waits for the complainant)."""
    stage = found.current
    nxt = found.next_due
    if nxt is not None:
        step, due = nxt[0], nxt[1].isoformat()
    elif found.state.status == "responded":
        step, due = "close", None
    elif stage.paused:
        step, due = "wait for the complainant", None
    else:
        step, due = None, None
    overdue = "very overdue" if stage.very_overdue else ("overdue" if stage.overdue else "no")
    return {
        "id": found.id,
        "status": found.state.status,
        "stage": stage.stage,
        "priority": stage.priority,
        "handler": stage.handler,
        "step": step,
        "due": due,
        "overdue": overdue,
    }


def most_urgent_first(rows: Sequence[Row]) -> list[Row]:
    """Very overdue, then overdue, then the rest; within each, the earliest due date first
    (none last), urgent before normal, then by ID."""
    rank = {"very overdue": 0, "overdue": 1}
    return sorted(
        rows,
        key=lambda r: (
            rank.get(r["overdue"], 2),
            r["due"] or "9999-12-31",
            r["priority"] != "urgent",
            r["id"],
        ),
    )


def open_issue_body(rows: Sequence[Row], as_of: str) -> str:
    """The pinned issue's Markdown (the rows in the order given)."""
    if not rows:
        head = f"No complaint is open as of {as_of}."
    else:
        head = f"{len(rows)} open complaint(s) as of {as_of}, the most urgent first.\n\n" + _table(
            rows, OPEN_COLUMNS
        )
    return (
        head + "\n\n`complaints show ID` tells the rest. This issue is kept up to date by the"
        " open-complaints workflow, every day and after every change to the register on the"
        " default branch.\n"
    )


def open_plan(open_issues: Sequence[Row], body: str) -> list[Gh]:
    """The `gh` calls that leave one open, pinned issue titled OPEN_TITLE holding `body`.
    `open_issues` is what the LIST_OPEN_PINNED call prints. A new issue is pinned by the
    caller, once `gh issue create` has said its number."""
    calls = plan(open_issues, body, OPEN_TITLE)
    mine = _workflows(open_issues, OPEN_TITLE)
    if mine and not mine[0].get("isPinned"):
        calls.append(Gh(("issue", "pin", str(mine[0]["number"]))))
    return calls


def issue_number(url: str) -> str | None:
    """The number at the end of the URL `gh issue create` prints."""
    last = url.strip().rstrip("/").rsplit("/", 1)[-1]
    return last if last.isdigit() else None
