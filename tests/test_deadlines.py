"""The deadline rules of DESIGN.md section 4, pinned with due dates worked out by hand.

How the expected dates were made: from a printed 2026 calendar (weekdays) and the public
holidays the country's law sets (listed in each comment), counting day zero as the day of
receipt (or escalation, or reopening) in the policy's zone and then one by one the days
that count. Each comment shows the count; "(n)" is the n-th counting day.

Targets everywhere (tests/conftest.py POLICY): stage 1 acknowledge 2, respond 20 (urgent
5); stage 2 acknowledge 3, respond 20 (urgent 10); very overdue 20 days after; extensions
at most 10 days. Italy's policy closes on 2026-12-24.
"""

from datetime import date

import pytest
from conftest import POLICY, complaint, policy

from complaints_register.core.status import facts
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint, Policy

ITALY = {}  # the test policy's own calendar: IT, Europe/Rome, closure 2026-12-24
NIR = {"country": "GB", "subdivision": "NIR", "timezone": "Europe/London", "closures": []}
ENGLAND = {"country": "GB", "subdivision": "ENG", "timezone": "Europe/London", "closures": []}
INDONESIA = {"country": "ID", "timezone": "Asia/Jakarta", "closures": []}
IRAN = {"country": "IR", "timezone": "Asia/Tehran", "closures": []}
UKRAINE = {"country": "UA", "timezone": "Europe/Kyiv", "closures": []}
ESTONIA = {"country": "EE", "timezone": "Europe/Tallinn", "closures": []}
CALENDAR_DAYS = {"days": "calendar"}


def ev(kind: str, day: str, **fields) -> dict:
    return {"type": kind, "at": day, "by": fields.pop("by", "anna"), **fields}


def show(calendar: dict, received: str, events=(), as_of: str = "2026-12-31") -> dict:
    """What `complaints show --format json` says for this complaint."""
    settings = {**POLICY["calendar"], **calendar}
    the_policy = Policy.model_validate(policy(calendar=settings))
    data = complaint(*events, received=received)
    data["id"] = "C-2026-0101-TEST"  # the ID's date is not checked here
    return facts(
        Complaint.model_validate(data),
        the_policy,
        calendar_for(the_policy),
        date.fromisoformat(as_of),
    ).as_json()


# (case, calendar, received, events, as of, expected acknowledge due, expected respond due)
DUE_DATES = [
    # Italy. Fri 04-03: Sat 4, Sun 5 Easter, Mon 6 Easter Monday -> Tue 7 (1), Wed 8 (2).
    # Respond: 7-10 (4), 13-17 (9), 20-24 (14), Sat 25 Liberation Day, 27-30 (18),
    # Fri 05-01 Labour Day, Mon 4 (19), Tue 5 (20).
    (
        "IT received on a Friday",
        ITALY,
        "2026-04-03T09:12:00+02:00",
        (),
        "2026-04-03",
        "2026-04-08",
        "2026-05-05",
    ),
    # Sat 04-04 is day zero whatever it is: the same dates as a Friday receipt.
    (
        "IT received on a Saturday",
        ITALY,
        "2026-04-04T10:00:00+02:00",
        (),
        "2026-04-04",
        "2026-04-08",
        "2026-05-05",
    ),
    # Mon 04-06 Easter Monday is day zero: Tue 7 (1), Wed 8 (2); respond as above from Mon 6 -> Tue 05-05.
    (
        "IT received on a holiday",
        ITALY,
        "2026-04-06T11:00:00+02:00",
        (),
        "2026-04-06",
        "2026-04-08",
        "2026-05-05",
    ),
    # 22:30 in New York on Wed 04-01 is 04:30 on Thu 04-02 in Rome: day zero Thu 2;
    # Fri 3 (1), [Sat-Mon] Tue 7 (2). (Counting from Wed 1 would give Fri 3.)
    (
        "received late in the evening in another zone",
        ITALY,
        "2026-04-01T22:30:00-04:00",
        (),
        "2026-04-02",
        "2026-04-07",
        None,
    ),
    # Tue 12-22: Wed 23 (1), Thu 24 closure, Fri 25 Christmas, Sat 26 St Stephen, Sun 27, Mon 28 (2).
    ("IT closure", ITALY, "2026-12-22T10:00:00+01:00", (), "2026-12-22", "2026-12-28", None),
    # Without the closure, Thu 24 (2).
    (
        "IT without the closure",
        {"closures": []},
        "2026-12-22T10:00:00+01:00",
        (),
        "2026-12-22",
        "2026-12-24",
        None,
    ),
    # Calendar days: Fri 04-03 + 2 = Sun 5 -> Mon 6 Easter Monday -> Tue 7. +20 = Thu 04-23, a working day.
    (
        "calendar-day counting",
        CALENDAR_DAYS,
        "2026-04-03T09:00:00+02:00",
        (),
        "2026-04-03",
        "2026-04-07",
        "2026-04-23",
    ),
    # Calendar days: Mon 12-14 + 10 (urgent in stage 2 is 10; here stage 1 normal 20) -> Sun 01-03 -> Mon 01-04.
    # Stage 1 ack: 12-16 Wednesday. Respond: 12-14 + 20 = Sun 01-03 -> Mon 01-04 (Tue 01-06 Epiphany is after).
    (
        "calendar days rolled to a working day",
        CALENDAR_DAYS,
        "2026-12-14T09:00:00+01:00",
        (),
        "2026-12-14",
        "2026-12-16",
        "2027-01-04",
    ),
    # Northern Ireland: Fri 03-13: Mon 16 (1), Tue 17 St Patrick's Day, Wed 18 (2).
    (
        "UK NIR St Patrick's Day",
        NIR,
        "2026-03-13T10:00:00+00:00",
        (),
        "2026-03-13",
        "2026-03-18",
        None,
    ),
    # England works on 17 March: Mon 16 (1), Tue 17 (2).
    (
        "UK ENG works St Patrick's Day",
        ENGLAND,
        "2026-03-13T10:00:00+00:00",
        (),
        "2026-03-13",
        "2026-03-17",
        None,
    ),
    # Indonesia: Wed 03-18: Thu 19 Nyepi (Day of Silence), Fri 20 (1), Sat 21/Sun 22 Eid al-Fitr, Mon 23 (2)
    # (23 March is collective leave, cuti bersama, not a public holiday).
    (
        "Indonesia Nyepi and Eid al-Fitr",
        INDONESIA,
        "2026-03-18T10:00:00+07:00",
        (),
        "2026-03-18",
        "2026-03-23",
        None,
    ),
    # Indonesia: Tue 05-26: Wed 27 Eid al-Adha, Thu 28 (1), Fri 29 (2).
    (
        "Indonesia Eid al-Adha",
        INDONESIA,
        "2026-05-26T10:00:00+07:00",
        (),
        "2026-05-26",
        "2026-05-29",
        None,
    ),
    # Iran: Friday is the weekend. Wed 03-18: Thu 19 (1), Fri 20 weekend (and Oil Nationalisation Day),
    # Sat 21-Tue 24 Nowruz (and Eid al-Fitr), Wed 25 (2).
    (
        "Iran Nowruz, Friday weekend",
        IRAN,
        "2026-03-18T10:00:00+03:30",
        (),
        "2026-03-18",
        "2026-03-25",
        None,
    ),
    # Iran: Tue 05-26: Wed 27 Eid al-Adha, Thu 28 (1), Fri 29 weekend, Sat 30 (2): Saturday works in Iran.
    (
        "Iran Eid al-Adha, Saturday works",
        IRAN,
        "2026-05-26T10:00:00+03:30",
        (),
        "2026-05-26",
        "2026-05-30",
        None,
    ),
    # Ukraine: no public holidays under martial law. Tue 01-06: Wed 7 (Orthodox Christmas, worked) (1), Thu 8 (2).
    (
        "Ukraine under martial law",
        UKRAINE,
        "2026-01-06T10:00:00+02:00",
        (),
        "2026-01-06",
        "2026-01-08",
        None,
    ),
    # Estonia: Mon 02-23: Tue 24 Independence Day, Wed 25 (1), Thu 26 (2).
    (
        "Estonia Independence Day",
        ESTONIA,
        "2026-02-23T10:00:00+02:00",
        (),
        "2026-02-23",
        "2026-02-26",
        None,
    ),
    # Estonia: Mon 06-22: Tue 23 Victory Day, Wed 24 Midsummer, Thu 25 (1), Fri 26 (2).
    (
        "Estonia midsummer",
        ESTONIA,
        "2026-06-22T10:00:00+03:00",
        (),
        "2026-06-22",
        "2026-06-26",
        None,
    ),
    # Italy, Wed 03-04. Respond: 5,6 (2), 9-13 (7), 16-20 (12), 23-27 (17), 30, 31 (19), Wed 04-01 (20).
    (
        "IT baseline for the clocks below",
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (),
        "2026-03-04",
        "2026-03-06",
        "2026-04-01",
    ),
    # Urgent at assessment: 5 days from Wed 03-04: Thu 5 (1), Fri 6 (2), Mon 9 (3), Tue 10 (4), Wed 11 (5).
    (
        "urgent priority set at assessment",
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (ev("acknowledged", "2026-03-05"), ev("assessed", "2026-03-05", priority="urgent")),
        "2026-03-05",
        None,
        "2026-03-11",
    ),
    # A pause from Tue 03-10 to Tue 03-17 covers the working days 11, 12, 13, 16, 17 (5):
    # Wed 04-01 + 5 = Thu 2 (1), Fri 3 (2), [Sat 4, Sun 5, Mon 6 Easter Monday], Tue 7 (3), Wed 8 (4), Thu 9 (5).
    (
        "a pause",
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-05"),
            ev("info-requested", "2026-03-10"),
            ev("info-received", "2026-03-17"),
        ),
        "2026-03-18",
        None,
        "2026-04-09",
    ),
    # Extension on 03-25 to Fri 04-10: later than Wed 04-01, and not after 04-01 + 10 working days
    # (2, 3, 7, 8, 9, 10, 13, 14, 15, 16 -> Thu 04-16).
    (
        "an extension",
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-05"),
            ev("extended", "2026-03-25", due="2026-04-10", reason="site visit"),
        ),
        "2026-03-26",
        None,
        "2026-04-10",
    ),
    # The extension at its limit, Thu 04-16, is allowed.
    (
        "an extension at the limit",
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-05"),
            ev("extended", "2026-03-25", due="2026-04-16", reason="site visit"),
        ),
        "2026-03-26",
        None,
        "2026-04-16",
    ),
    # Escalated Fri 03-20: stage 2 acknowledge 3: Mon 23 (1), Tue 24 (2), Wed 25 (3);
    # respond 20: 23-27 (5), 30, 31, 04-01, 2, 3 (10), [Mon 6 Easter Monday] 7-10 (14), 13-17 (19), Mon 20 (20).
    (
        "stage 2 after escalation",
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-05"),
            ev("assessed", "2026-03-05", priority="normal", handler="marco"),
            ev("responded", "2026-03-18", outcome="not-upheld", by="marco"),
            ev("escalated", "2026-03-20", handler="giulia"),
        ),
        "2026-03-20",
        "2026-03-25",
        "2026-04-20",
    ),
    # Reopened Wed 04-15: respond 20 from there: 16, 17 (2), 20-24 (7), [Sat 25], 27-30 (11), [Fri 05-01],
    # 4-8 (16), 11-14 (20) -> Thu 05-14.
    (
        "reopening restarts the response clock",
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-05"),
            ev("responded", "2026-03-20", outcome="upheld"),
            ev("closed", "2026-03-23"),
            ev("reopened", "2026-04-15"),
        ),
        "2026-04-15",
        None,
        "2026-05-14",
    ),
]


@pytest.mark.parametrize(
    "case, calendar, received, events, as_of, acknowledge, respond",
    DUE_DATES,
    ids=[row[0] for row in DUE_DATES],
)
def test_due_dates(case, calendar, received, events, as_of, acknowledge, respond):
    shown = show(calendar, received, events, as_of)
    if acknowledge is not None:
        assert shown["due"]["acknowledge"] == acknowledge
    if respond is not None:
        assert shown["due"]["respond"] == respond


def test_an_extension_past_the_limit_is_refused():
    # One working day past the limit worked out above (Thu 04-16): Fri 04-17.
    shown = show(
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-05"),
            ev("extended", "2026-03-25", due="2026-04-17", reason="x"),
        ),
        "2026-03-26",
    )
    assert shown["due"]["respond"] == "2026-04-01"  # the refused extension is not applied


def test_an_extension_must_be_later():
    data = complaint(
        ev("extended", "2026-03-25", due="2026-03-31", reason="x"),
        received="2026-03-04T10:00:00+01:00",
    )
    from complaints_register.core.lifecycle import fold

    the_policy = Policy.model_validate(policy())
    state = fold(Complaint.model_validate(data), the_policy, calendar_for(the_policy))
    assert state.problems == [
        (0, "the new date 2026-03-31 is not later than the response due date 2026-04-01")
    ]


def test_a_pause_still_open_is_never_response_overdue():
    # Paused since 03-10, long past the 04-01 due date: not overdue, and the due date
    # shown moves out with the pause.
    shown = show(
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (ev("acknowledged", "2026-03-05"), ev("info-requested", "2026-03-10")),
        "2026-05-20",
    )
    assert (
        shown["paused"] is True
        and shown["overdue"] == []
        and shown["status"] == "awaiting-complainant"
    )
    assert shown["due"]["respond"] > "2026-05-20"


# (as of, overdue, very overdue) for a complaint received Wed 03-04 and never
# answered: respond due Wed 04-01; very overdue after 04-01 + 20 working days:
# 2, 3 (2), 7-10 (6), 13-17 (11), 20-24 (16), 27-30 (20) -> Thu 04-30.
@pytest.mark.parametrize(
    "as_of, overdue, very",
    [
        ("2026-04-01", [], []),  # due today: not yet overdue
        ("2026-04-02", ["respond"], []),
        ("2026-04-30", ["respond"], []),  # the last day before very overdue
        ("2026-05-01", ["respond"], ["respond"]),  # the day after 04-30
    ],
)
def test_overdue_and_very_overdue(as_of, overdue, very):
    shown = show(ITALY, "2026-03-04T10:00:00+01:00", (ev("acknowledged", "2026-03-05"),), as_of)
    assert (shown["overdue"], shown["very_overdue"]) == (overdue, very)


# Working days after the 04-01 due date: Thu 2 (1); Fri 3 (2), [Mon 6 Easter Monday], Tue 7 (3);
# to 04-30 (20, above), [Fri 05-01 Labour Day], Mon 05-04 (21).
@pytest.mark.parametrize(
    "as_of, days_late", [("2026-04-02", 1), ("2026-04-07", 3), ("2026-05-04", 21)]
)
def test_overdue_command_counts_working_days_late(register, as_of, days_late):
    register.add(
        complaint(
            ev("acknowledged", "2026-03-05"),
            id="C-2026-0304-0VER",
            received="2026-03-04T10:00:00+01:00",
        )
    )
    import json

    result = register.run("overdue", "--as-of", as_of, "--format", "json")
    assert result.exit_code == 1
    [row] = json.loads(result.stdout)
    assert (row["id"], row["step"], row["due"], row["days_late"]) == (
        "C-2026-0304-0VER",
        "respond",
        "2026-04-01",
        days_late,
    )
    assert set(row) == {"id", "category", "stage", "handler", "step", "due", "days_late", "level"}


def test_late_stays_late():
    # Acknowledge due Fri 03-06 (Thu 5 (1), Fri 6 (2)); done Mon 03-09: late, for good.
    shown = show(
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-09"),
            ev("responded", "2026-03-20", outcome="upheld"),
            ev("closed", "2026-03-23"),
        ),
        "2026-12-01",
    )
    assert shown["late"] == ["acknowledge"]
    assert shown["overdue"] == [] and shown["due"] == {"acknowledge": None, "respond": None}
    assert shown["done"] == {"acknowledged": "2026-03-09", "responded": "2026-03-20"}


def test_stages_list_both_stages():
    shown = show(
        ITALY,
        "2026-03-04T10:00:00+01:00",
        (
            ev("acknowledged", "2026-03-05"),
            ev("responded", "2026-03-18", outcome="not-upheld"),
            ev("escalated", "2026-03-20", handler="giulia"),
        ),
        "2026-03-20",
    )
    first, second = shown["stages"]
    assert first["done"] == {"acknowledged": "2026-03-05", "responded": "2026-03-18"}
    assert first["due"] == {"acknowledge": None, "respond": None}
    assert (second["stage"], second["handler"], second["started"]) == (2, "giulia", "2026-03-20")
    assert shown["status"] == "escalated" and shown["stage"] == 2
