"""How complaints look on a terminal and in the machine-readable formats of the CLI.

Every value read from a file is escaped for where it goes: for a terminal, its control
characters are shown as escapes (`terminal_safe`); in CSV, a cell a spreadsheet would take
for a formula is marked as text; in JSON, the characters a terminal acts on are `\\u`
escapes; in GitHub annotations and Markdown, what those formats need.
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

from rich.cells import cell_len

from complaints_register.core.lifecycle import retracted
from complaints_register.core.problems import (
    escape_data,
    escape_property,
    json_safe,
    terminal_safe,
)
from complaints_register.core.status import Facts, Overdue, StageFacts
from complaints_register.schema import AnyEvent, Complaint
from complaints_register.schema.events import shown_fields
from complaints_register.store.files import shown

STEP_DONE = {"acknowledge": "acknowledged", "respond": "responded"}


def show_text(c: Complaint, facts: Facts) -> str:
    """`complaints show`: everything about one complaint, for the people handling it."""
    state = facts.state
    current = facts.current
    lines = [
        f"{c.id}  {state.status} (stage {current.stage})  as of {facts.as_of}",
        f"  received     {c.received.isoformat()} by {c.channel}, language {c.language}",
        f"  category     {state.category}",
        f"  priority     {current.priority}",
        f"  handler      {current.handler or '-'}",
        f"  summary      {c.summary}",
    ]
    if c.desired_outcome:
        lines.append(f"  wants        {c.desired_outcome}")
    if c.complainant and c.complainant.ref:
        lines.append(f"  complainant  {c.complainant.ref}")
    for stage in facts.stages:
        lines.append(
            f"Stage {stage.stage}, from {stage.started}" + ("  (paused)" if stage.paused else "")
        )
        for step in ("acknowledge", "respond"):
            lines.append("  " + _step_line(stage, step))
    lines.append("Events")
    cancelled, _ = retracted(c.events)
    for index, event in enumerate(c.events):
        mark = "  (retracted)" if index in cancelled else ""
        lines.append(
            f"  [{index}] {_when(event.at)}  {event.type} by {event.by}{_extra(event)}{mark}"
        )
    for index, message in state.problems:
        lines.append(f"Problem: events[{index}] {c.events[index].type}: {message}")
    return "\n".join(terminal_safe(line) for line in lines)  # a value's line break shows as \n


def _step_line(stage: StageFacts, step: str) -> str:
    done = stage.done[STEP_DONE[step]]
    due = stage.due[step]
    if done:
        text = f"{step:<12} done {done}" + ("  LATE" if step in stage.late else "")
    elif due:
        text = f"{step:<12} due  {due}"
        if step in stage.very_overdue:
            text += f"  VERY OVERDUE by {stage.days_late[step]} working days"
        elif step in stage.overdue:
            text += f"  OVERDUE by {stage.days_late[step]} working days"
        elif step == "respond" and stage.paused:
            text += "  (paused: moves out while waiting for the complainant)"
    else:
        text = f"{step:<12} -    (clock stopped)"
    return text


def _when(at: date | datetime) -> str:
    return at.isoformat(timespec="minutes") if isinstance(at, datetime) else at.isoformat()


def _extra(event: AnyEvent) -> str:
    parts = []
    for name in shown_fields(event.type):
        value = getattr(event, name, None)
        if value not in (None, []):
            parts.append(f"{name}={', '.join(value) if isinstance(value, list) else value}")
    return "  " + "; ".join(parts) if parts else ""


LIST_COLUMNS = ("id", "status", "stage", "category", "priority", "handler", "next", "due", "flag")


def list_rows(all_facts: list[Facts]) -> list[dict[str, object]]:
    """`complaints list`: a row of LIST_COLUMNS for each complaint."""
    rows = []
    for facts in all_facts:
        current = facts.current
        upcoming = facts.next_due
        flag = "very overdue" if current.very_overdue else "overdue" if current.overdue else ""
        rows.append(
            {
                "id": facts.id,
                "status": facts.state.status,
                "stage": current.stage,
                "category": facts.state.category,
                "priority": current.priority,
                "handler": current.handler or "",
                "next": upcoming[0] if upcoming else "",
                "due": upcoming[1].isoformat() if upcoming else "",
                "flag": flag,
            }
        )
    return rows


def table(rows: Sequence[Mapping[str, object]], columns: tuple[str, ...]) -> str:
    """A plain table: aligned columns a terminal, `less` and `grep` all read well (as rich's
    simple-head table lays them out, several times faster on the 10,000 rows of a large
    register, and never cropping a value)."""
    if not rows:
        return ""
    lines = [list(columns)] + [
        ["-" if row[c] in (None, "") else terminal_safe(str(row[c])) for c in columns]
        for row in rows
    ]
    widths = [max(cell_len(line[i]) for line in lines) for i in range(len(columns))]

    def aligned(values: list[str]) -> str:
        return "   ".join(
            v + " " * (w - cell_len(v)) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    rule = "─" * (sum(widths) + 3 * (len(widths) - 1))
    return "\n".join([aligned(lines[0]), rule] + [aligned(values) for values in lines[1:]])


def as_csv(rows: Sequence[Mapping[str, object]], columns: tuple[str, ...]) -> str:
    """The rows as CSV, a header line first; each text cell safe in a terminal and in a
    spreadsheet (`csv_cell`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell: text with its control characters shown as escapes and, when it starts
    as a formula would, a `'` in front, so that a spreadsheet shows it as text rather than
    running it; numbers (a count may be negative) and empty cells as they are."""
    if not isinstance(value, str):
        return value
    shown = terminal_safe(value)
    return f"'{shown}" if value.startswith(FORMULA_START) else shown


def as_json(value: object) -> str:
    """`value` (plain data: mappings, lists, text, numbers) as indented JSON, as printed
    (`json_safe`: what a terminal would act on is escaped)."""
    return json_safe(json.dumps(value, indent=2, ensure_ascii=False))


OVERDUE_COLUMNS = ("id", "category", "stage", "handler", "step", "due", "days_late", "level")


def overdue(rows: list[Overdue], fmt: str, as_of: date, paths: dict[str, Path]) -> str:
    """The overdue list in each format of `complaints overdue`."""
    table_rows = [row.as_json() for row in rows]
    if fmt == "json":
        return as_json(table_rows) + "\n"
    if fmt == "github":
        return "".join(
            _annotation(rows, complaint_id, paths[complaint_id]) + "\n"
            for complaint_id in dict.fromkeys(r.id for r in rows)
        )
    if fmt == "markdown":
        return _markdown(table_rows, as_of)
    if not rows:
        return f"nothing is overdue as of {as_of}\n"
    return table(table_rows, OVERDUE_COLUMNS) + "\n"


def _annotation(rows: list[Overdue], complaint_id: str, path: Path) -> str:
    mine = [r for r in rows if r.id == complaint_id]
    level = "error" if any(r.very for r in mine) else "warning"
    steps = "; ".join(
        f"{r.step} {'very ' if r.very else ''}overdue by {r.days_late} working days (due {r.due})"
        for r in mine
    )
    return (
        f"::{level} file={escape_property(shown(path))},"
        f"title={escape_property(complaint_id + ' overdue')}::{escape_data(steps)}"
    )


def _markdown(table_rows: list[dict[str, object]], as_of: date) -> str:
    if not table_rows:
        return f"Nothing is overdue as of {as_of}.\n"
    head = [
        f"Overdue as of {as_of}: {len(table_rows)} step(s).",
        "",
        "| " + " | ".join(OVERDUE_COLUMNS) + " |",
        "|" + "---|" * len(OVERDUE_COLUMNS),
    ]
    body = ["| " + " | ".join(_cell(row[c]) for c in OVERDUE_COLUMNS) + " |" for row in table_rows]
    return "\n".join(head + body) + "\n"


def _cell(value: object) -> str:
    return "" if value is None else terminal_safe(str(value)).replace("|", "\\|")
