"""A published period's statistics as recorded in the register, read and held (pure).

Once a period's statistics are published they never change (DESIGN.md section 6,
"Statistics over time"). So each is recorded once, in `statistics/<period>.yaml` of the
register (`store.recorded` reads and writes the files), and published from then on exactly
as recorded. This module reads the parsed data of one such file into a
`complaints_register.core.figures.Recorded`, with every problem at its key path, and holds
two versions of one to the rule that a recorded period never changes.

What a file holds is what was published: counts shown, counts hidden (with why), rates
shown or not. It never holds a hidden count's value.
"""

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from complaints_register.core.figures import (
    FIXED_ITEMS,
    RATES,
    TABLES,
    Figure,
    Recorded,
    period_type,
)
from complaints_register.core.ledger_rules import Finding, Version, canonical, fingerprint
from complaints_register.core.problems import KeyPath

FOLDER = "statistics"
"""The register's folder of recorded periods, `statistics/<period>.yaml`."""

PERIOD = re.compile(r"[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?")
"""A year (2025), a quarter (2025-Q3) or a month (2025-07)."""

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
KEYS = ("period", "settled", "min_count", "min_rate_base", "figures")
FIGURE_KEYS = ("table", "item", "unit", "value", "note")
COUNT_NOTES = ("fewer-than", "hidden")
RATE_NOTE = "small-base"

Problems = list[tuple[KeyPath, str]]


def is_period(text: str) -> bool:
    return PERIOD.fullmatch(text) is not None


def is_recorded_path(path: str, folder: str) -> bool:
    """Whether `path` (repository-relative, `/` between folders) is
    `<folder>/statistics/<period>.yaml`."""
    parent, _, name = path.rpartition("/")
    top = folder.strip("/")
    return (
        parent == (f"{top}/{FOLDER}" if top and top != "." else FOLDER)
        and name.endswith(".yaml")
        and is_period(name[:-5])
    )


def period_end(period: str) -> date:
    """The last day of a year, quarter or month."""
    year = int(period[:4])
    if len(period) == 4:
        last = 12
    elif "Q" in period:
        last = int(period[-1]) * 3
    else:
        last = int(period[5:])
    following = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return following - timedelta(days=1)


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def recorded_from(data: object, period: str) -> tuple[Recorded | None, Problems]:
    """The recorded period a file named for `period` holds, or None and every problem
    found, each at its key path (`()` for the file as a whole)."""
    if not isinstance(data, dict):
        return None, [((), "not a recorded period: a mapping of " + ", ".join(KEYS) + " is")]
    problems: Problems = []
    for key in data:
        if key not in KEYS:
            problems.append(((str(key),), f"unknown key (a recorded period has {', '.join(KEYS)})"))
    for key in KEYS:
        if key not in data:
            problems.append(((), f"{key}: missing"))
    if data.get("period", period) != period:
        problems.append(
            (("period",), f"{data['period']!r} is not the period the file is named for ({period})")
        )
    settled = data.get("settled")
    if "settled" in data and (not isinstance(settled, date) or isinstance(settled, datetime)):
        problems.append((("settled",), "not a date (YYYY-MM-DD): the day it was published"))
    elif isinstance(settled, date) and settled <= period_end(period):
        problems.append((("settled",), f"{settled} is not after the period ends"))
    for key in ("min_count", "min_rate_base"):
        if key in data and not (_whole_number(data[key]) and data[key] >= 1):
            problems.append(((key,), "not a whole number of at least 1"))
    figures = data.get("figures")
    if "figures" in data and not isinstance(figures, list):
        problems.append((("figures",), "not a list of figures"))
        figures = None
    if problems or figures is None:
        return None, problems
    assert isinstance(settled, date)
    min_count = data["min_count"]
    found = []
    for index, item in enumerate(figures):
        figure, wrong = _figure(item, period, min_count)
        problems += [(("figures", index, *path), message) for path, message in wrong]
        if figure is not None:
            found.append(figure)
    if not problems:
        problems += _complete(found)
    if problems:
        return None, problems
    return Recorded(period, settled, min_count, data["min_rate_base"], tuple(found)), []


def _figure(item: object, period: str, min_count: int) -> tuple[Figure | None, Problems]:
    if not isinstance(item, dict):
        return None, [((), "not a figure: a mapping of table, item, unit and value or note")]
    problems: Problems = [
        ((str(key),), f"unknown key (a figure has {', '.join(FIGURE_KEYS)})")
        for key in item
        if key not in FIGURE_KEYS
    ]
    table, name, unit = item.get("table"), item.get("item"), item.get("unit")
    value, note = item.get("value"), item.get("note")
    rates = {(t, i): u for t, i, u in RATES}
    if table in TABLES:
        if unit != "count":
            problems.append((("unit",), f"{unit!r}: the {table} table holds counts (unit: count)"))
        if not isinstance(name, str) or SLUG.fullmatch(name) is None:
            problems.append((("item",), "not an item name (lowercase letters, digits, hyphens)"))
        if note is None:
            if not (isinstance(value, int) and _whole_number(value) and value >= min_count):
                problems.append(
                    (
                        ("value",),
                        f"a count shown is a whole number of at least min_count ({min_count});"
                        " a smaller one is not shown (note: fewer-than)",
                    )
                )
        elif note not in COUNT_NOTES:
            problems.append(
                (("note",), f"{note!r}: a count not shown is {' or '.join(COUNT_NOTES)}")
            )
    elif isinstance(table, str) and isinstance(name, str) and (table, name) in rates:
        if unit != rates[(table, name)]:
            problems.append((("unit",), f"{unit!r}: {table} {name} is in {rates[(table, name)]}"))
        if note is None:
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                problems.append((("value",), "not a number of at least 0"))
        elif note != RATE_NOTE:
            problems.append((("note",), f"{note!r}: a rate not shown is {RATE_NOTE}"))
    else:
        known = ", ".join((*TABLES, *dict.fromkeys(t for t, _, _ in RATES)))
        return None, [(("table",), f"{table!r} with item {name!r}: not a figure ({known})")]
    if note is not None and value is not None:
        problems.append((("value",), f"a figure not shown ({note}) has no value"))
    if problems:
        return None, problems
    assert isinstance(table, str) and isinstance(name, str) and isinstance(unit, str)
    return Figure(period, period_type(period), table, name, unit, value, note), []


def _complete(figures: list[Figure]) -> Problems:
    """Every table and rate, each item once: what a period's statistics are made of."""
    problems: Problems = []
    seen: dict[tuple[str, str], int] = {}
    for index, figure in enumerate(figures):
        key = (figure.table, figure.item)
        if key in seen:
            problems.append(
                (("figures", index), f"{figure.table} {figure.item}: twice (first at {seen[key]})")
            )
        seen.setdefault(key, index)
    for table in TABLES:
        have = [item for t, item in seen if t == table]
        wanted = FIXED_ITEMS.get(table)
        if (wanted is not None and tuple(have) != wanted) or not have:
            items = ", ".join(wanted) if wanted else "at least one item"
            problems.append((("figures",), f"the {table} table: {items} (found: {have or 'none'})"))
    missing = [f"{t} {i}" for t, i, _ in RATES if (t, i) not in seen]
    if missing:
        problems.append((("figures",), f"missing: {', '.join(missing)}"))
    return problems


def recorded_findings(old: Version, new: Version) -> Iterator[Finding]:
    """A recorded period never changes: the first difference between two versions, as
    data (re-indenting or re-quoting is not a change)."""
    if fingerprint(old) == fingerprint(new):
        return
    yield (
        _first_difference(canonical(old), canonical(new), ()),
        "changed: a period's statistics are published once and never change (put back"
        " what was recorded; a correction is for a later period)",
    )


def _first_difference(old: object, new: object, path: KeyPath) -> KeyPath:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in old or key not in new or fingerprint(old[key]) != fingerprint(new[key]):
                return _first_difference(old.get(key), new.get(key), (*path, key))
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            if index >= len(old) or index >= len(new):
                return (*path, index) if index < len(new) else path
            if fingerprint(old[index]) != fingerprint(new[index]):
                return _first_difference(old[index], new[index], (*path, index))
    return path
