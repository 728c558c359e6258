"""`complaints kpi` as Markdown, CSV or JSON: the same tables in each.

CSV: a report of one table (ASIC's IDR data, one row per complaint) is that table, its
header first; a report of several is one row per cell (table, row, column, value), so that
one file holds them all. Every value is made safe for where it goes: Markdown's special
characters escaped, a cell that a spreadsheet would run as a formula quoted.
"""

import csv
import io
import json

from complaints_register.core.kpi import Kpi
from complaints_register.core.problems import terminal_safe
from complaints_register.views.review import _md

__all__ = ["as_csv", "as_json", "markdown"]


def markdown(k: Kpi) -> str:
    lines = [
        f"# {_md(k.title)}: {k.period.start} to {k.period.end}",
        "",
        _md(k.notice),
        "",
    ]
    for table in k.tables:
        lines += [f"## {_md(table.title)}", ""]
        lines.append("| " + " | ".join(map(_md, table.columns)) + " |")
        lines.append("|" + "---|" * len(table.columns))
        lines += [
            "| " + " | ".join(_md(cell) if cell else " " for cell in row) + " |"
            for row in table.rows
        ]
        if not table.rows:
            lines.append("| " + " | ".join(" " for _ in table.columns) + " |")
        lines.append("")
    return "\n".join(lines)


def as_csv(k: Kpi) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if len(k.tables) == 1:
        table = k.tables[0]
        writer.writerow(table.columns)
        writer.writerows([_cell(cell) for cell in row] for row in table.rows)
        return out.getvalue()
    writer.writerow(["table", "row", "column", "value"])
    for table in k.tables:
        for row in table.rows:
            for column, cell in zip(table.columns[1:], row[1:], strict=True):
                writer.writerow([_cell(table.title), _cell(row[0]), _cell(column), _cell(cell)])
    return out.getvalue()


def as_json(k: Kpi) -> str:
    return (
        json.dumps(
            {
                "regime": k.regime,
                "title": k.title,
                "from": k.period.start.isoformat(),
                "to": k.period.end.isoformat(),
                "exact": k.exact,
                "notice": k.notice,
                "tables": [
                    {
                        "title": t.title,
                        "columns": t.columns,
                        "rows": [dict(zip(t.columns, row, strict=True)) for row in t.rows],
                    }
                    for t in k.tables
                ],
                "warnings": k.warnings,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _cell(text: str) -> str:
    """A value a spreadsheet shows as text, never runs: one starting =, +, - or @ is
    prefixed with an apostrophe; control characters are shown as escapes."""
    text = terminal_safe(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
