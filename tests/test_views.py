"""The plain table of `list`, `overdue`, `retention` and `actions`: laid out as rich lays
out a simple-head table (rich is the oracle here), without cropping wide values."""

import io

import pytest
from rich import box
from rich.console import Console
from rich.table import Table

from complaints_register.views.complaints import table


def rich_layout(rows: list[dict], columns: tuple[str, ...]) -> str:
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for column in columns:
        grid.add_column(column, no_wrap=True)
    for row in rows:
        grid.add_row(*("-" if row[c] in (None, "") else str(row[c]) for c in columns))
    console = Console(file=io.StringIO(), width=250, color_system=None)
    console.print(grid)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())


COLUMNS = ("id", "status", "stage", "handler", "due")
CASES = [
    [
        {
            "id": "C-2026-0804-JZHT",
            "status": "investigating",
            "stage": 1,
            "handler": "marco",
            "due": "2026-09-02",
        }
    ],
    [
        {
            "id": "C-2026-0804-JZHT",
            "status": "waiting-for-complainant",
            "stage": 2,
            "handler": None,
            "due": "",
        },
        {"id": "C-2026-0903-0NHS", "status": "new", "stage": 1, "handler": "José", "due": None},
    ],
    [
        {"id": "C-1", "status": "new", "stage": 1, "handler": "王小明", "due": "x"},  # wide letters
        {"id": "C-22", "status": "closed", "stage": 10, "handler": "ab", "due": "yy"},
    ],
]


@pytest.mark.parametrize("rows", CASES)
def test_laid_out_as_rich_does(rows):
    assert table(rows, COLUMNS) == rich_layout(rows, COLUMNS)


def test_a_wide_value_is_printed_whole():
    rows = [{"id": "C-1", "status": "new", "stage": 1, "handler": "h" * 300, "due": "-"}]
    assert "h" * 300 in table(rows, COLUMNS)


def test_no_rows_no_table():
    assert table([], COLUMNS) == ""
