"""Tests that kill mutants of scripts/core/rules.py that the rule tests let live
(CONTRIBUTING.md, "Mutation testing"), through `complaints check` as a user runs it.

The test complaint (tests/conftest.py) is C-2026-0403-K7Q2, received on 3 April 2026 in
Rome; `register.add` files it as 2026/C-2026-0403-K7Q2.yaml."""

import json
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import POLICY, ROOT, complaint, write_yaml

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
