"""Rules of DESIGN.md section 4 that no other test pinned, each through the real command:
`complaints check` (the exact problems it reports) or `complaints show --format json`
(the exact value it prints).

* A complaint's ID carries its local date of receipt (`rules.id_carries_date_of_receipt`).
* An `assessed` event's category is one of the policy's (`rules.category_in_policy`).
* No event, and no receipt, is in the future (`rules.events_not_in_future`).
* `assessed` with a category re-categorises the complaint (`events.Assessed.apply`).
* Escalating, referring or withdrawing ends an open pause that day (`state.stop`).

The test complaint (tests/conftest.py) is C-2026-0403-K7Q2, received Fri 2026-04-03 at
09:12 in Rome, category billing; the test policy's zone is Europe/Rome and its categories
are billing, service-quality and other.
"""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import POLICY, complaint, policy, write_yaml

ID = "C-2026-0403-K7Q2"
CATEGORIES = "(billing, service-quality, other)"


def ev(kind: str, day: str, **fields) -> dict:
    return {"type": kind, "at": day, "by": fields.pop("by", "anna"), **fields}


def problems(register) -> list[tuple[str, str]]:
    """(where, message) of every problem `complaints check` finds."""
    result = register.run("check", "--format", "json")
    found = [(p["where"], p["message"]) for p in json.loads(result.stdout)]
    assert result.exit_code == (1 if found else 0), result.output
    return found


def shown(register, as_of: str, complaint_id: str = ID) -> dict:
    result = register.run("show", complaint_id, "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# 1. The ID's date is the local date of receipt, in the policy's zone.

TEHRAN = {**POLICY["calendar"], "timezone": "Asia/Tehran"}  # UTC+03:30 all year


@pytest.mark.parametrize(
    "complaint_id, received, calendar, expected",
    [
        # 09:12 in Rome on 3 April: the ID must say 0403.
        (ID, "2026-04-03T09:12:00+02:00", None, []),
        (
            "C-2026-0404-K7Q2",
            "2026-04-03T09:12:00+02:00",
            None,
            [
                (
                    "id",
                    "the ID says 2026-04-04 but the complaint was received on 2026-04-03"
                    " (Europe/Rome)",
                )
            ],
        ),
        # 23:30 UTC on 3 April is 01:30 on 4 April in Rome (UTC+2 in summer).
        ("C-2026-0404-K7Q2", "2026-04-03T23:30:00+00:00", None, []),
        (
            ID,
            "2026-04-03T23:30:00+00:00",
            None,
            [
                (
                    "id",
                    "the ID says 2026-04-03 but the complaint was received on 2026-04-04"
                    " (Europe/Rome)",
                )
            ],
        ),
        # Without an offset, a time is already in the policy's zone: 23:30 is still the 3rd.
        (ID, "2026-04-03T23:30:00", None, []),
        # A bare date is that date.
        (
            "C-2026-0402-K7Q2",
            "2026-04-03",
            None,
            [
                (
                    "id",
                    "the ID says 2026-04-02 but the complaint was received on 2026-04-03"
                    " (Europe/Rome)",
                )
            ],
        ),
        # 21:00 UTC on 3 April: 23:00 in Rome, but 00:30 on the 4th in Tehran.
        ("C-2026-0403-K7Q2", "2026-04-03T21:00:00+00:00", None, []),
        (
            ID,
            "2026-04-03T21:00:00+00:00",
            TEHRAN,
            [
                (
                    "id",
                    "the ID says 2026-04-03 but the complaint was received on 2026-04-04"
                    " (Asia/Tehran)",
                )
            ],
        ),
        ("C-2026-0404-K7Q2", "2026-04-03T21:00:00+00:00", TEHRAN, []),
    ],
)
def test_the_id_carries_the_local_date_of_receipt(
    register, complaint_id, received, calendar, expected
):
    if calendar is not None:
        write_yaml(register.root / "policy.yaml", policy(calendar=calendar))
    register.add(complaint(id=complaint_id, received=received))
    assert problems(register) == expected


# 2. A category named in an `assessed` event is one of the policy's.


@pytest.mark.parametrize(
    "events, expected",
    [
        ([ev("assessed", "2026-04-07", priority="normal", category="service-quality")], []),
        ([ev("assessed", "2026-04-07", priority="normal")], []),  # no category: none to check
        (
            [ev("assessed", "2026-04-07", priority="normal", category="weather")],
            [
                (
                    "events[0].category",
                    f"'weather' is not one of the policy's categories {CATEGORIES}",
                )
            ],
        ),
        (
            [
                ev("acknowledged", "2026-04-06"),
                ev("assessed", "2026-04-07", priority="urgent", category="other"),
                ev("assessed", "2026-04-08", priority="normal", category="roads"),
            ],
            [("events[2].category", f"'roads' is not one of the policy's categories {CATEGORIES}")],
        ),
    ],
)
def test_an_assessed_category_is_one_of_the_policys(register, events, expected):
    register.add(complaint(*events))
    assert problems(register) == expected


def test_log_refuses_an_assessment_into_a_category_the_policy_lacks(register):
    path = register.add(complaint())
    before = path.read_bytes()
    args = ["assessed", "--at", "2026-04-07", "--by", "anna", "--priority", "normal"]
    result = register.run("log", ID, *args, "--category", "weather")
    assert result.exit_code == 1, result.output  # a refused edit
    # The file and the line of the event it would have appended, then the problem.
    problem = f"events[0].category: 'weather' is not one of the policy's categories {CATEGORIES}"
    at_line = re.escape(f"{path}:") + r"\d+: "
    assert re.fullmatch(at_line + re.escape(problem) + "\n", result.stderr), result.stderr
    assert path.read_bytes() == before


# 3. Nothing is in the future: no event, and not the receipt.


def _today() -> str:
    """Today in the test policy's zone, as `check` works it out."""
    return datetime.now(ZoneInfo(POLICY["calendar"]["timezone"])).date().isoformat()


@pytest.mark.parametrize(
    "data, wheres",
    [
        (complaint(ev("note", "2099-01-01", note="Call back")), ["events[0].at"]),
        (
            complaint(
                ev("acknowledged", "2026-04-06"),
                ev("note", "2099-01-01T10:00:00+01:00", note="Call back"),
            ),
            ["events[1].at"],
        ),
        (complaint(id="C-2099-0101-K7Q2", received="2099-01-01T10:00:00+01:00"), ["received"]),
        (
            complaint(
                ev("acknowledged", "2099-01-02"),
                id="C-2099-0101-K7Q2",
                received="2099-01-01T10:00:00+01:00",
            ),
            ["received", "events[0].at"],  # in the order of their lines
        ),
        (complaint(ev("acknowledged", "2026-04-06")), []),  # in the past: fine
    ],
)
def test_nothing_is_in_the_future(register, data, wheres):
    register.add(data)
    before = _today()
    found = problems(register)
    after = _today()  # the same day, unless the check ran across midnight
    assert found in [
        [(where, f"in the future (today is {today})") for where in wheres]
        for today in (before, after)
    ]


# 4. `assessed` with a category re-categorises the complaint; without one it leaves it be.

ASSESS_SQ = ev("assessed", "2026-04-07", priority="normal", category="service-quality")


@pytest.mark.parametrize(
    "events, as_of, category",
    [
        ([], "2026-04-10", "billing"),  # the category received with the complaint
        ([ASSESS_SQ], "2026-04-10", "service-quality"),
        ([ASSESS_SQ], "2026-04-06", "billing"),  # not assessed yet as of the 6th
        (
            [ASSESS_SQ, ev("assessed", "2026-04-08", priority="urgent")],
            "2026-04-10",
            "service-quality",  # a later assessment without a category keeps it
        ),
        (
            [ASSESS_SQ, ev("assessed", "2026-04-08", priority="normal", category="other")],
            "2026-04-10",
            "other",  # the latest assessment wins
        ),
        (
            [ASSESS_SQ, ev("retracted", "2026-04-08", event=0, reason="Wrong complaint")],
            "2026-04-10",
            "billing",  # a retracted assessment re-categorises nothing
        ),
    ],
)
def test_an_assessment_recategorises_the_complaint(register, events, as_of, category):
    register.add(complaint(*events))
    assert problems(register) == []
    assert shown(register, as_of)["category"] == category


# 5. Escalating, referring or withdrawing ends the open pause of the stage it stops, that
# day: information was requested on Wed 8 April and never received.

ASK = [ev("acknowledged", "2026-04-07"), ev("info-requested", "2026-04-08")]


@pytest.mark.parametrize(
    "stop, stage",
    [
        (ev("escalated", "2026-04-10", handler="elena"), 2),
        (ev("referred", "2026-04-10", to="ombudsman"), 1),
        (ev("withdrawn", "2026-04-10"), 1),
    ],
)
def test_stopping_a_stage_ends_its_pause(register, stop, stage):
    register.add(complaint(*ASK, stop))
    assert problems(register) == []
    # Before the stop, stage 1 waits for the complainant, and its response date moves on
    # with every day of waiting. 20 working days after Fri 3 April: Apr 7-10 (4; the 6th
    # is Easter Monday), 13-17 (9), 20-24 (14; the 25th is a Saturday), 27-30 (18), May 4
    # (19; 1 May is a holiday), May 5 (20). As of the 9th, one day of waiting (the 9th)
    # adds one: 6 May.
    waiting = shown(register, "2026-04-09")
    assert waiting["paused"] is True and waiting["due"]["respond"] == "2026-05-06"
    for as_of in ("2026-04-10", "2026-04-30", "2026-06-30"):
        facts = shown(register, as_of)
        assert facts["stage"] == stage
        assert [(s["stage"], s["paused"]) for s in facts["stages"]] == [
            (n, False) for n in range(1, stage + 1)
        ], as_of
        assert facts["paused"] is False, as_of
        assert facts["stages"][0]["due"] == {"acknowledge": None, "respond": None}  # stopped
