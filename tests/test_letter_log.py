"""Letters that are sent are recorded: `complaints letter ID KIND --log` also appends the
event the letter stands for, when the current stage does not have it yet."""

import yaml

from complaints_register.schema.events import EVENT_TYPES
from complaints_register.text.letter_kinds import LETTER_EVENTS, LETTER_KINDS
from tests.conftest import complaint

ID = "C-2026-0403-K7Q2"
ACK = {"type": "acknowledged", "at": "2026-04-03T10:00:00+02:00", "by": "anna"}


def events(register) -> list[dict]:
    return yaml.safe_load(register.path(ID).read_text())["events"]


def test_each_kind_of_letter_stands_for_one_event_type():
    assert LETTER_EVENTS == {
        "acknowledgement": "acknowledged",
        "info-request": "info-requested",
        "extension": "extended",
        "response": "responded",
        "escalation": "escalated",
        "closure": "closed",
    }
    assert LETTER_KINDS == tuple(LETTER_EVENTS)
    assert set(LETTER_EVENTS.values()) <= set(EVENT_TYPES)


def test_an_acknowledgement_logged_once(register):
    register.add(complaint())
    sent = register.run(
        "letter", ID, "acknowledgement", "--log", "--by", "anna", "--as-of", "2026-04-07"
    )
    assert sent.exit_code == 0, sent.output
    assert sent.stdout.startswith("# ")  # the letter, in Markdown, on standard output
    assert sent.stderr == f"{ID}: acknowledged recorded\n"
    assert events(register) == [
        {"type": "acknowledged", "at": yaml.safe_load("2026-04-07"), "by": "anna"}
    ]
    before = register.path(ID).read_bytes()
    again = register.run("letter", ID, "acknowledgement", "--log", "--as-of", "2026-04-07")
    assert again.exit_code == 0 and again.stdout == sent.stdout
    assert again.stderr == f"{ID}: acknowledged already recorded: nothing logged\n"
    assert register.path(ID).read_bytes() == before


def test_an_information_request_pauses_the_clock_it_writes_about(register):
    # The letter needs the pause the event starts: it is written from the complaint as
    # it will be, so the letter and the event agree.
    register.add(complaint(ACK))
    sent = register.run(
        "letter", ID, "info-request", "--log", "--by", "bruna", "--as-of", "2026-04-08"
    )
    assert sent.exit_code == 0, sent.output
    assert [e["type"] for e in events(register)] == ["acknowledged", "info-requested"]
    assert events(register)[1]["by"] == "bruna"
    status = register.run("show", ID, "--as-of", "2026-04-08", "--format", "json")
    assert '"status": "awaiting-complainant"' in status.stdout


def test_a_letter_whose_event_needs_more_is_refused_and_nothing_changes(register):
    register.add(complaint(ACK))
    before = register.path(ID).read_bytes()
    refused = register.run("letter", ID, "response", "--log", "--as-of", "2026-04-08")
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert "cannot log responded with the response letter: it needs --outcome" in refused.stderr
    assert register.path(ID).read_bytes() == before


def test_a_letter_that_does_not_fit_logs_nothing(register):
    withdrawn = {"type": "withdrawn", "at": "2026-04-04T10:00:00+02:00", "by": "anna"}
    register.add(complaint(withdrawn))
    before = register.path(ID).read_bytes()
    refused = register.run("letter", ID, "acknowledgement", "--log", "--as-of", "2026-04-07")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "cannot write the acknowledgement letter" in refused.stderr
    assert register.path(ID).read_bytes() == before


def test_without_log_nothing_is_recorded(register):
    register.add(complaint())
    before = register.path(ID).read_bytes()
    assert register.run("letter", ID, "acknowledgement", "--as-of", "2026-04-07").exit_code == 0
    assert register.path(ID).read_bytes() == before
