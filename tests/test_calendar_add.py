"""`Calendar.add` finds the n-th working day from each year's list of working days; it
must give what counting day by day with `is_working` gives, across New Year, with closures,
another weekend, and at the end of time."""

from datetime import MAXYEAR, date, timedelta

import pytest

from complaints_register.core.working_days import Calendar


def _counted(calendar: Calendar, start: date, n: int) -> date:
    """The n-th working day after `start` (n >= 1), one day at a time."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= calendar.is_working(day)
    return day


CALENDARS = [
    Calendar("IT"),
    Calendar("GB", "NIR", "Europe/London", closures=[date(2025, 12, 29), date(2026, 1, 2)]),
    Calendar("AE", timezone="Asia/Dubai"),  # the country's own weekend
    Calendar("US", weekend=[4, 5, 6], closures=[date(2024, 2, 29)]),
]


@pytest.mark.parametrize("calendar", CALENDARS, ids=repr)
def test_add_gives_the_day_counted_one_by_one(calendar):
    starts = [date(2025, 12, 20) + timedelta(days=k) for k in range(16)]  # over New Year
    starts += [date(2024, 2, 27), date(2023, 12, 31), date(2026, 4, 3), date(2019, 6, 15)]
    checked = 0
    for start in starts:
        for n in (1, 2, 5, 8, 15, 20, 40, 90, 300, 700):
            assert calendar.add(start, n) == _counted(calendar, start, n), (start, n)
            assert calendar.add(start, n, "working") == _counted(calendar, start, n)
            checked += 1
    assert checked == 200


def test_add_past_the_end_of_time_overflows_as_counting_did():
    calendar = Calendar("IT")
    near = date(MAXYEAR, 12, 20)
    assert calendar.add(near, 3) == _counted(calendar, near, 3)
    with pytest.raises(OverflowError):
        calendar.add(near, 30)
    with pytest.raises(OverflowError):
        _counted(calendar, near, 30)
