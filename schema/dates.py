"""Dates, date-times and whole numbers as register files write them, and the range of dates
a register can hold.

The models read these values as strictly as the exported JSON Schema says they are written,
so that `complaints check` and an editor checking a file against `schema/json/` agree: a
number is never a date (`received: 20251231` is not a Unix time), `true` is never a number,
and text is a date only when it is written as one (`"2025-12-31"`, not `"20251231"`). The
JSON Schema of each type is written here beside its validator, from the same patterns.

How far back and ahead a date may be is a rule, not a shape: a complaint received before the
register started, or any date after `CEILING`, is a typing mistake that `complaints check`
reports at its line (`complaints_register.core.rules`).
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainValidator, WithJsonSchema

FLOOR = date(1990, 1, 1)
"""The earliest date of receipt when the policy does not say when the register started
(`started`): a year before it is a typing mistake."""

EARLIEST = date(1900, 1, 1)
"""The earliest date a command takes (`--as-of`, `--received`...), and the earliest a
register can say it started."""

CEILING = date(2200, 12, 31)
"""No date in a register, and no as-of date, is after it: a later year is a typing mistake
(and would make every count of the statistics run up to it)."""


def out_of_range(day: date) -> str | None:
    """Why `day` cannot be a date of the register, in words; None when it can."""
    if day < EARLIEST:
        return f"{day} is before {EARLIEST}, earlier than any date a register takes: check the year"
    if day > CEILING:
        return f"{day} is after {CEILING}, later than any date a register takes: check the year"
    return None


# The forms of ISO 8601 the files use, written once for Python and for the JSON Schema's
# (ECMAScript) patterns: [0-9], not \d, which is any script's digits to Python. The date is a
# real one (30 days in April; 29 February in leap years only) and its year is 0001 or later,
# so that the pattern refuses exactly what Python's `date` refuses.
_YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
DATE_PATTERN = f"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
"""A date, 2026-04-07."""
_TIME = "([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:[.,]([0-9]+))?)?"
_OFFSET = "([Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
MOMENT_PATTERN = f"({DATE_PATTERN})(?:[Tt ]{_TIME}{_OFFSET}?)?"
"""A date, or a date and a time of day (minutes at least), with or without an offset:
2026-04-07, 2026-04-07T09:30, 2026-04-07T09:30:00+02:00."""

_DATE_TEXT = re.compile(DATE_PATTERN)
_MOMENT_TEXT = re.compile(MOMENT_PATTERN)

NOT_A_DATE = "is not a date (write 2026-04-07)"
NOT_A_MOMENT = "is not a date or date-time (write 2026-04-07 or 2026-04-07T09:30:00+02:00)"
NOT_RECEIVED = "is not a date-time (write 2026-04-07T09:30:00+02:00)"
NOT_A_NUMBER = "is not a whole number (write one without quotes, such as 3)"


def _what(value: object) -> str:
    """`value` as a message names it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value!r} (a number)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, datetime):
        return f"{value.isoformat()} (a date and a time of day)"
    names = {type(None): "an empty value", list: "a list", dict: "a mapping"}
    return names.get(type(value), f"a {type(value).__name__}")


def as_day(value: object) -> date:
    """`value` read as a date (a date, or text such as 2026-04-07); ValueError, saying what
    to write instead, when it is not one."""
    return _day(value)


def _day(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DATE_TEXT.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError(f"{_what(value)} {NOT_A_DATE}")


def _moment(value: object, refused: str = NOT_A_MOMENT) -> date | datetime:
    if isinstance(value, date):  # a datetime is a date too: either is kept as it is
        return value
    found = _MOMENT_TEXT.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"{_what(value)} {refused}")
    day_text, hour, minute, second, fraction, offset = found.groups()
    day = date.fromisoformat(day_text)
    if hour is None:
        return day
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    clock = time(int(hour), int(minute), int(second or 0), micro)
    return datetime.combine(day, clock, _zone(offset))


def _zone(offset: str | None) -> timezone | None:
    if offset is None:
        return None  # no offset: in the policy's time zone (DESIGN.md section 4)
    if offset in "Zz":
        return UTC
    sign = -1 if offset[0] == "-" else 1
    hours, minutes = offset[1:].split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def _received(value: object) -> datetime:
    moment = _moment(value, NOT_RECEIVED)
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time())  # a bare date is read as midnight


def _whole_number(value: object) -> int:
    """What pydantic's `int` may take: a whole number, or a float with nothing after the
    point (3.0, which JSON Schema's `integer` takes too); never true or false, never text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{_what(value)} {NOT_A_NUMBER}")


Day = Annotated[
    date,
    PlainValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": f"^{DATE_PATTERN}$"}),
]
"""A date, 2026-04-07 (a date written as text in that form too)."""

_MOMENT_SCHEMA = {"type": "string", "pattern": f"^{MOMENT_PATTERN}$"}

Moment = Annotated[date | datetime, PlainValidator(_moment), WithJsonSchema(_MOMENT_SCHEMA)]
"""When an event happened: a date, or a date and time (a time of day, when given, is kept;
without an offset it is in the policy's time zone)."""

Received = Annotated[datetime, PlainValidator(_received), WithJsonSchema(_MOMENT_SCHEMA)]
"""When a complaint was received: a date and time, or a date (read as midnight)."""

WHOLE = BeforeValidator(_whole_number)
"""Read a whole number as JSON Schema's `integer` is: 3 or 3.0, never true or "3". Bounds go
before it (`Annotated[int, Field(ge=1, le=5), WHOLE]`), or the JSON Schema loses them."""

WholeNumber = Annotated[int, WHOLE]
NonNegativeWholeNumber = Annotated[int, Field(ge=0), WHOLE]
PositiveWholeNumber = Annotated[int, Field(ge=1), WHOLE]
