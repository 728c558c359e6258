"""Tests that kill mutants of scripts/core/rules.py that the rule tests let live
(CONTRIBUTING.md, "Mutation testing"), through `complaints check` as a user runs it.

The test complaint (tests/conftest.py) is C-2026-0403-K7Q2, received on 3 April 2026 in
Rome; `register.add` files it as 2026/C-2026-0403-K7Q2.yaml."""

import json
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import POLICY, ROOT, complaint, policy, write_yaml

from complaints_register.core import rules
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint, Policy

ID = "C-2026-0403-K7Q2"


def problems(register) -> list[tuple[str, str]]:
    """(where, message) of every problem `complaints check` finds."""
    result = register.run("check", "--format", "json")
    found = [(p["where"], p["message"]) for p in json.loads(result.stdout)]
    assert result.exit_code == (1 if found else 0), result.output
    return found


# The file's name must be the ID, whichever way the two differ: a name that sorts after
# the ID (K7Q3) and one that sorts before it (K7Q1).
@pytest.mark.parametrize("name", ["C-2026-0403-K7Q3", "C-2026-0403-K7Q1"])
def test_a_file_named_other_than_its_id(register, name):
    write_yaml(register.root / "2026" / f"{name}.yaml", complaint())
    assert problems(register) == [
        ("id", f"{ID} is not the file name: name the file {ID}.yaml"),
    ]


# Received in 2026, so it belongs in 2026/, whether the folder is a later year or an
# earlier one.
@pytest.mark.parametrize("folder", ["2027", "2025"])
def test_a_file_in_the_folder_of_another_year(register, folder):
    write_yaml(register.root / folder / f"{ID}.yaml", complaint())
    assert problems(register) == [
        ("received", "received in 2026, so the file belongs in the folder 2026/"),
    ]


def test_today_is_not_in_the_future(register):
    # A complaint received today, with an event logged today: neither is in the future
    # (only a day after today is).
    today = datetime.now(ZoneInfo(POLICY["calendar"]["timezone"])).date()
    complaint_id = f"C-{today:%Y-%m%d}-K7Q2"
    register.add(
        complaint(
            {"type": "acknowledged", "at": today.isoformat(), "by": "anna"},
            id=complaint_id,
            received=today.isoformat(),
        )
    )
    assert problems(register) == []


def test_personal_data_in_the_summary_is_found(register):
    # mario.rossi@example.org masked: every letter and digit but the last two ("rg") is a
    # bullet: mario -> 5, rossi -> 5, example -> 7, o -> 1.
    register.add(complaint(summary="Write to mario.rossi@example.org about the refund"))
    assert problems(register) == [
        (
            "summary",
            "•••••.•••••@•••••••.•rg looks like an e-mail address: keep contact details in"
            " your contact system and refer to it with complainant.ref (or, where they must"
            " be in the register, in the encrypted complainant.contact block)",
        )
    ]


def test_the_rules_do_not_load_the_holidays_package():
    # rules.py names the Calendar only for annotations: importing the rules must not load
    # `holidays`, which is slow (DESIGN.md section 3).
    code = "import sys, complaints_register.core.rules; print('holidays' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def _today() -> str:
    return datetime.now(ZoneInfo(POLICY["calendar"]["timezone"])).date().isoformat()


def test_the_last_day_a_register_takes_is_only_in_the_future(register):
    # 2200-12-31 is the last date a register takes: a note dated then is in the future (today
    # is earlier), and nothing more.
    register.add(complaint({"type": "note", "at": "2200-12-31", "by": "anna", "note": "x"}))
    before = _today()
    found = problems(register)
    after = _today()  # the same day, unless the check ran across midnight
    assert found in [
        [("events[0].at", f"in the future (today is {today})")] for today in (before, after)
    ]


def test_a_complaint_received_the_day_the_register_started(register):
    # The policy says the register started on 3 April 2026, the day the complaint came in:
    # nothing was received before it started.
    write_yaml(register.root / "policy.yaml", policy(started="2026-04-03"))
    register.add(complaint())
    assert problems(register) == []


# Late entries, on the Italian calendar, recorded on Thu 2026-04-30 (tests/test_late_entries.py):
# the working days back from it are Wed 29, Tue 28, Mon 27 (Sat 25 Liberation Day, Sun 26),
# Fri 24 (4), Thu 23 (5), Wed 22 (6). With late_entry_days 5, at most 5 may pass without a
# reason.

IT = calendar_for(Policy.model_validate(policy()))
RECORDED_ON = date(2026, 4, 30)
WHY = "needs the reason why (log it with --late WHY, or write `late: WHY` in the event)"


def late(recorded: list[dict], new: list[dict]) -> list[tuple[object, str]]:
    model = Complaint.model_validate(complaint(*recorded, *new, received="2026-04-01T10:00:00"))
    terms = Policy.model_validate(policy(late_entry_days=5))
    return list(rules.late_entries(model.events, len(recorded), terms, IT, RECORDED_ON))


@pytest.mark.parametrize("kind, fields", [("surveyed", {"score": 4}), ("withdrawn", {})])
def test_any_event_already_recorded_is_the_latest_but_a_retraction(kind, fields):
    # Recorded: acknowledged on 04-20, then a survey (or a withdrawal) on 04-28. A note dated
    # 04-24 (4 working days back: not too old) comes before the latest event, 04-28.
    recorded = [
        {"type": "acknowledged", "at": "2026-04-20", "by": "anna"},
        {"type": kind, "at": "2026-04-28", "by": "anna", **fields},
    ]
    new = [{"type": "note", "at": "2026-04-24", "by": "anna", "note": "called back"}]
    assert late(recorded, new) == [
        (
            ("events", 2, "at"),
            "dated 2026-04-24, before the latest event already recorded (2026-04-28): an event"
            f" recorded out of order {WHY}",
        )
    ]


def test_a_late_reason_for_one_event_is_not_one_for_the_next():
    # Two notes dated 04-22, 6 working days back: the first says why, the second does not.
    first = {
        "type": "note",
        "at": "2026-04-22",
        "by": "anna",
        "note": "a",
        "late": "found in the outbox",
    }
    second = {"type": "note", "at": "2026-04-22", "by": "anna", "note": "b"}
    assert late([], [first, second]) == [
        (
            ("events", 1, "at"),
            "dated 2026-04-22, 6 working days before it is recorded (2026-04-30): an event"
            f" recorded more than 5 working days after it happened {WHY}",
        )
    ]
