"""How improvement actions look: `complaints actions`, and their part of `complaints overdue`."""

from datetime import date
from pathlib import Path

from complaints_register.core.actions import ActionFacts
from complaints_register.core.problems import escape_data, escape_property, terminal_safe
from complaints_register.store.files import shown
from complaints_register.views.complaints import as_json, table

OVERDUE_ACTION_COLUMNS = ("id", "kind", "owner", "due", "days_late", "level", "what")
WHAT_WIDTH = 70


def listing(facts: list[ActionFacts], fmt: str, as_of: date) -> str:
    """`complaints actions` as text (a short block per action) or JSON."""
    if fmt == "json":
        return as_json([f.as_json() for f in facts]) + "\n"
    if not facts:
        return f"no improvement actions as of {as_of}\n"
    return "\n".join(_block(f) for f in facts)


def _block(f: ActionFacts) -> str:
    a = f.action
    state = {
        "overdue": f"OVERDUE by {f.days_late} working days",
        "very overdue": f"VERY OVERDUE by {f.days_late} working days",
        "done": f"done {f.done}",
        "done late": f"done {f.done}, {f.days_late} working days late",
    }.get(f.state, "open")
    lines = (
        f"{a.id}  {a.kind}  owner {a.owner}  opened {a.opened}  due {a.due}  {state}",
        f"  {a.what}",
        f"  complaints: {', '.join(a.complaints)}",
    )
    return "".join(terminal_safe(line) + "\n" for line in lines)


def overdue(late: list[ActionFacts], fmt: str, as_of: date, paths: dict[str, Path]) -> str:
    """The overdue actions, after the overdue complaints, in `complaints overdue`'s text,
    Markdown and GitHub formats; nothing in JSON, whose list stays one of complaint steps."""
    if not late or fmt == "json":
        return ""
    rows = [_overdue_row(f) for f in late]
    if fmt == "github":
        return "".join(_annotation(f, paths.get(f.action.id)) + "\n" for f in late)
    title = f"Improvement actions overdue as of {as_of}: {len(rows)}"
    if fmt == "markdown":
        head = [
            "",
            f"{title}.",
            "",
            "| " + " | ".join(OVERDUE_ACTION_COLUMNS) + " |",
            "|" + "---|" * len(OVERDUE_ACTION_COLUMNS),
        ]
        body = [
            "| " + " | ".join(_cell(row[c]) for c in OVERDUE_ACTION_COLUMNS) + " |" for row in rows
        ]
        return "\n".join(head + body) + "\n"
    return f"\n{title}\n" + table(rows, OVERDUE_ACTION_COLUMNS) + "\n"


def _overdue_row(f: ActionFacts) -> dict[str, object]:
    a = f.action
    return {
        "id": a.id,
        "kind": a.kind,
        "owner": a.owner,
        "due": a.due.isoformat(),
        "days_late": f.days_late,
        "level": f.state,
        "what": _short(a.what),
    }


def _annotation(f: ActionFacts, path: Path | None) -> str:
    level = "error" if f.state == "very overdue" else "warning"
    text = (
        f"{f.action.kind} action owned by {f.action.owner} {f.state} by {f.days_late}"
        f" working days (due {f.action.due}): {f.action.what}"
    )
    where = (
        f"file={escape_property(shown(path))}," if path else ""
    )  # a misnamed file: no line to mark
    return (
        f"::{level} {where}title={escape_property(f.action.id + ' overdue')}::{escape_data(text)}"
    )


def _short(text: str) -> str:
    return text if len(text) <= WHAT_WIDTH else text[: WHAT_WIDTH - 1].rstrip() + "…"


def _cell(value: object) -> str:
    return "" if value is None else terminal_safe(str(value).replace("\n", " ")).replace("|", "\\|")
