"""Tests that kill mutants of scripts/core/lifecycle.py, schema/events.py and schema/state.py
that the lifecycle, deadline and event-type tests let live (CONTRIBUTING.md, "Mutation
testing").

The test complaint (tests/conftest.py) is C-2026-0403-K7Q2, received Fri 2026-04-03 in Rome.
Targets: stage 1 acknowledge 2, respond 20 (urgent 5) working days; extensions at most 10.
Italy's holidays in the spring: Easter Monday 04-06, Liberation Day 04-25 (a Saturday in
2026), Labour Day 05-01. 20 working days after 04-03 (tests/test_deadlines.py): Apr 7-10 (4),
13-17 (9), 20-24 (14), 27-30 (18), May 4 (19), May 5 (20): respond due Tue 2026-05-05.
"""

import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import date

import pytest
import yaml
from conftest import ROOT, complaint, policy

from complaints_register.core.lifecycle import fold
from complaints_register.core.status import facts
from complaints_register.core.working_days import Calendar
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.events import Option, shown_fields

POLICY = Policy.model_validate(policy())
ITALY = Calendar("IT", timezone="Europe/Rome", closures=[date(2026, 12, 24)])
ID = "C-2026-0403-K7Q2"


def ev(kind: str, day: str, **fields) -> dict:
    return {"type": kind, "at": day, "by": fields.pop("by", "anna"), **fields}


ACK = ev("acknowledged", "2026-04-07")
RESPOND = ev("responded", "2026-04-10", outcome="upheld", by="marco")


def state_of(*events):
    return fold(Complaint.model_validate(complaint(*events)), POLICY, ITALY)


# --- Which events the rules accept -------------------------------------------------------


def test_the_same_handler_may_be_assessed_again_at_stage_1():
    # Objectivity is a stage 2 rule: re-assessing stage 1 with its own handler is fine.
    state = state_of(
        ACK,
        ev("assessed", "2026-04-08", priority="normal", handler="marco"),
        ev("assessed", "2026-04-09", priority="urgent", handler="marco"),
    )
    assert (state.problems, state.stage.priority) == ([], "urgent")


@pytest.mark.parametrize(
    "events, message",
    [
        # Only an open or responded complaint can be closed or withdrawn.
        (
            (ACK, RESPOND, ev("withdrawn", "2026-04-11"), ev("closed", "2026-04-12")),
            "closed: cannot close it: the complaint is withdrawn",
        ),
        (
            (ACK, RESPOND, ev("closed", "2026-04-11"), ev("withdrawn", "2026-04-12")),
            "withdrawn: cannot withdraw it: the complaint is closed",
        ),
        (
            (ACK, ev("withdrawn", "2026-04-08"), ev("withdrawn", "2026-04-09")),
            "withdrawn: cannot withdraw it: the complaint is withdrawn",
        ),
        (
            (ACK, ev("referred", "2026-04-08", to="ombudsman"), ev("withdrawn", "2026-04-09")),
            "withdrawn: cannot withdraw it: the complaint is referred",
        ),
        # An extension must move the date: the response is due 05-05 on 04-20.
        (
            (ev("extended", "2026-04-20", due="2026-05-05", reason="meter reading"),),
            "extended: the new date 2026-05-05 is not later than the response due date 2026-05-05",
        ),
    ],
)
def test_refused(events, message):
    state = state_of(*events)
    index = len(events) - 1
    assert [(i, f"{events[i]['type']}: {m}") for i, m in state.problems] == [(index, message)]


def test_a_withdrawal_can_be_retracted():
    # Retracting the withdrawal (event 1) takes the complaint back to acknowledged.
    state = state_of(
        ACK,
        ev("withdrawn", "2026-04-08"),
        ev("retracted", "2026-04-09", event=1, reason="wrong file"),
    )
    assert (state.problems, state.status) == ([], "acknowledged")


def test_erasure_is_recorded():
    assert state_of(ACK).erased is False
    assert state_of(ACK, ev("erased", "2026-04-08")).erased is True


def test_a_second_wait_for_the_complainant_is_the_one_that_ends():
    # Two waits: 04-08 to 04-09, then 04-13 to 04-14. Each info-received ends the latest.
    state = state_of(
        ACK,
        ev("info-requested", "2026-04-08"),
        ev("info-received", "2026-04-09"),
        ev("info-requested", "2026-04-13"),
        ev("info-received", "2026-04-14"),
    )
    assert state.problems == []
    assert state.stage.pauses == [
        (date(2026, 4, 8), date(2026, 4, 9)),
        (date(2026, 4, 13), date(2026, 4, 14)),
    ]
    assert state.stage.paused is False


# --- Deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, late",
    [
        # Acknowledge due: 2 working days after Fri 04-03: Tue 04-07 (1), Wed 04-08 (2).
        ("2026-04-07", []),  # before the due date
        ("2026-04-08", []),  # on it
        ("2026-04-09", ["acknowledge"]),  # after it
    ],
)
def test_an_acknowledgement_on_its_due_date_is_on_time(day, late):
    assert state_of(ev("acknowledged", day)).stage.late == late


@pytest.mark.parametrize(
    "day, late",
    [
        ("2026-05-05", []),  # on the due date: on time
        ("2026-05-06", ["respond"]),  # the day after: late
    ],
)
def test_a_response_on_its_due_date_is_on_time(day, late):
    state = state_of(ACK, ev("responded", day, outcome="upheld", by="marco"))
    assert state.stage.late == late


def test_a_pause_after_an_extension_counts_from_the_day_of_the_extension():
    # Extended on Mon 04-20 to Tue 05-12 (later than 05-05; 10 working days after 05-05 is
    # 05-19: May 6, 7, 8, 11, 12, 13, 14, 15, 18, 19). Then the clock waits for the
    # complainant from Wed 04-22 to Fri 04-24: the days after 04-22 through 04-24 are Thu 23
    # and Fri 24, 2 working days, all after the extension's day. 05-12 + 2: Wed 13, Thu 14.
    events = (
        ev("extended", "2026-04-20", due="2026-05-12", reason="meter reading"),
        ev("info-requested", "2026-04-22"),
        ev("info-received", "2026-04-24"),
    )
    data = Complaint.model_validate(complaint(*events))
    shown = facts(data, POLICY, ITALY, date(2026, 5, 1)).as_json()
    assert shown["due"]["respond"] == "2026-05-14"


# --- What the event types offer ----------------------------------------------------------


def test_shown_fields_follow_the_class():
    # Assessed declares priority, category, handler; then come the late reason and the note.
    assert shown_fields("assessed") == ("priority", "category", "handler", "late", "note")
    # An unknown type shows only those two.
    assert shown_fields("no-such-type") == ("late", "note")


def test_an_option_is_a_value():
    option = Option("handler", "handler")
    assert option in {Option("handler", "handler")}
    with pytest.raises(FrozenInstanceError):
        option.name = "by"


def _logged(register, *args: str):
    register.add(complaint(ACK, RESPOND))
    return register.run("log", ID, *args, "--by", "anna")


@pytest.mark.parametrize("answer, satisfied", [("yes", True), ("no", False)])
def test_log_closed_satisfied(register, answer, satisfied):
    result = _logged(register, "closed", "--satisfied", answer)
    assert result.exit_code == 0, result.output
    # The event appended to the file says what was answered.
    written = yaml.safe_load(register.path(ID).read_text(encoding="utf-8"))
    assert written["events"][-1]["satisfied"] is satisfied


@pytest.mark.parametrize("score", ["1", "5"])
def test_log_takes_a_score_from_1_to_5(register, score):
    assert _logged(register, "surveyed", "--score", score).exit_code == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (("surveyed", "--score", "0"), "0 is not in the range 1<=x<=5"),
        (("surveyed", "--score", "6"), "6 is not in the range 1<=x<=5"),
        (("retracted", "--event", "-1", "--reason", "wrong"), "-1 is not in the range x>=0"),
    ],
)
def test_log_refuses_a_number_out_of_range_as_bad_usage(register, args, message):
    result = _logged(register, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output


@pytest.mark.parametrize("score, valid", [(0, False), (1, True), (5, True), (6, False)])
def test_a_survey_score_is_1_to_5(score, valid):
    data = complaint(ev("surveyed", "2026-04-20", score=score))
    try:
        Complaint.model_validate(data)
    except ValueError:
        assert not valid
    else:
        assert valid


def test_the_fold_does_not_load_the_holidays_package():
    # lifecycle.py names the Calendar only for annotations: importing it must not load
    # `holidays`, which is slow (DESIGN.md section 3).
    code = "import sys, complaints_register.core.lifecycle; print('holidays' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
