"""Tests that kill mutants of scripts/core/working_days.py that the calendar tests let live
(CONTRIBUTING.md, "Mutation testing"). Each expected value is worked out by hand in the
comment above it, from a printed 2026 calendar and Italy's holiday law."""

import json
from datetime import date

import pytest

from complaints_register.core.working_days import Calendar


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    "calendar, shown",
    [
        # Country and subdivision joined by a hyphen: "GB" + "-ENG".
        (
            Calendar("GB", "ENG", timezone="Europe/London"),
            "Calendar(GB-ENG, Europe/London, days=working)",
        ),
        # No subdivision: the country alone, with no "-None" after it.
        (
            Calendar("IT", timezone="Europe/Rome", days="calendar"),
            "Calendar(IT, Europe/Rome, days=calendar)",
        ),
    ],
)
def test_repr_names_the_country_and_subdivision(calendar, shown):
    assert repr(calendar) == shown


def test_days_mode_is_compared_by_value_not_identity():
    # A mode read at run time (from JSON here) is an equal string, not the same object as
    # the literal "calendar": the calendar must count calendar days all the same.
    days = json.loads('"calendar"')
    calendar = Calendar("IT", timezone="Europe/Rome", days=days)
    # add(Fri 04-03, 2): 04-03 + 2 calendar days = Sun 04-05 (Easter), not working; Mon 04-06
    # Easter Monday, not working; Tue 04-07 works. (Counting working days would give Wed 04-08.)
    assert calendar.add(d("2026-04-03"), 2) == d("2026-04-07")
    # count(04-03, 04-07): the days 4, 5, 6, 7 are four calendar days (one working day: the 7th).
    assert calendar.count(d("2026-04-03"), d("2026-04-07")) == 4


def test_weekend_day_below_monday_is_refused():
    # Weekend days are 0 (Monday) to 6 (Sunday): -1 is no day of the week.
    with pytest.raises(ValueError, match=r"not -1$"):
        Calendar("IT", weekend=[-1])


def test_bad_weekend_message_names_the_first_bad_day():
    # Two bad days: the message names the first in order of repr, "7" before "9".
    with pytest.raises(ValueError, match=r"not 7$"):
        Calendar("IT", weekend=[9, 7])


def test_a_closure_counts_once_across_new_year():
    # Italy, closed on Thu 2026-12-24. The working days after Sun 12-20 through Sun 2027-01-10:
    # Dec 21, 22, 23 (3; the 24th closed, the 25th Christmas, 26-27 the weekend), 28, 29, 30,
    # 31 (7; Jan 1 New Year, 2-3 the weekend), Jan 4, 5 (9; the 6th Epiphany), 7, 8 (11).
    calendar = Calendar("IT", timezone="Europe/Rome", closures=[d("2026-12-24")])
    assert calendar.working_days_between(d("2026-12-20"), d("2027-01-10")) == 11


def test_a_closure_in_the_new_year_counts_once():
    # Italy, closed on Tue 2027-01-05. The working days after Sun 2026-12-20 through Sun
    # 2027-01-10: Dec 21, 22, 23, 24 (4; the 25th Christmas, 26-27 the weekend), 28, 29, 30,
    # 31 (8; Jan 1 New Year, 2-3 the weekend), Jan 4 (9; the 5th closed, the 6th Epiphany),
    # 7, 8 (11). The closure is in 2027 only: taken off once, not for 2026 as well.
    calendar = Calendar("IT", timezone="Europe/Rome", closures=[d("2027-01-05")])
    assert calendar.working_days_between(d("2026-12-20"), d("2027-01-10")) == 11
