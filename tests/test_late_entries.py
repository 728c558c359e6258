"""Late entries (issue "Hardening", hole 2): backdating must not hide lateness.

An event dated more than the policy's `late_entry_days` working days before the day it is
recorded, or before the latest event already recorded, needs `late` (why it is recorded
late). `complaints log` holds the event it appends to that, as of today; `check --base` holds
the events a change appends; a plain `check` cannot know when an event was recorded, and
does not. `show` and `history` print the reason with the event's other fields.

The rule itself is pinned with dates worked out by hand on the Italian calendar; the command
line is driven with dates counted back from today, as it records them.
"""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import TestRegister, complaint, git, policy, write_yaml

from complaints_register.core import rules
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint, Policy

IT = calendar_for(Policy.model_validate(policy()))
TODAY = date(2026, 4, 30)  # Thursday
# Working days back from Thursday 30 April 2026: Wed 29, Tue 28, Mon 27 (Sat 25 is Liberation
# Day, Sun 26), Fri 24, Thu 23: five. So an event dated 23 April is recorded 5 working days
# later, which is allowed; one dated 22 April, 6 working days later, needs a reason.
LATE = "late: found in the outbox"
WHY = "needs the reason why (log it with --late WHY, or write `late: WHY` in the event)"
TOO_OLD = f"an event recorded more than 5 working days after it happened {WHY}"
OUT_OF_ORDER = f"an event recorded out of order {WHY}"


def event(kind: str, at: str, extra: str = "") -> dict:
    found = {"type": kind, "at": at, "by": "anna"}
    fields = {
        "assessed": {"priority": "normal"},
        "responded": {"outcome": "upheld"},
        "note": {"note": "called back"},
    }
    found.update(fields.get(kind, {}))
    if kind == "retracted":
        found.update(event=int(extra), reason="logged on the wrong complaint")
    elif extra:
        found["late"] = extra
    return found


def findings(recorded: list[dict], new: list[dict], late_entry_days: int = 5) -> list[str]:
    model = Complaint.model_validate(complaint(*recorded, *new, received="2026-04-01T10:00:00"))
    terms = Policy.model_validate(policy(late_entry_days=late_entry_days))
    return [
        f"events[{path[1]}]: {message}"
        for path, message in rules.late_entries(model.events, len(recorded), terms, IT, TODAY)
    ]


# (what, events already recorded, events recorded today, what is said)
CASES = [
    ("5 working days late", [], [event("responded", "2026-04-23")], []),
    (
        "6 working days late",
        [],
        [event("responded", "2026-04-22")],
        [
            "events[0]: dated 2026-04-22, 6 working days before it is recorded (2026-04-30): "
            + TOO_OLD
        ],
    ),
    ("6 working days late, saying why", [], [event("responded", "2026-04-22", LATE)], []),
    (
        # 23:30 at UTC-2 is already the 24th in Rome: 4 working days.
        "late by the local date",
        [],
        [event("responded", "2026-04-23T23:30:00-02:00")],
        [],
    ),
    (
        "before the latest event",
        [event("acknowledged", "2026-04-28")],
        [event("assessed", "2026-04-27")],
        [
            "events[1]: dated 2026-04-27, before the latest event already recorded"
            " (2026-04-28): " + OUT_OF_ORDER
        ],
    ),
    (
        "before the latest event, saying why",
        [event("acknowledged", "2026-04-28")],
        [event("assessed", "2026-04-27", LATE)],
        [],
    ),
    (
        "on the day of the latest event, earlier in the day",
        [event("note", "2026-04-28T16:00:00+02:00")],
        [event("assessed", "2026-04-28T09:00:00+02:00")],
        [],
    ),
    (
        # A retraction changes the record, not what happened when: neither it nor the event
        # it cancels is "the latest event".
        "before a retracted event",
        [event("acknowledged", "2026-04-29"), event("retracted", "2026-04-30", "0")],
        [event("acknowledged", "2026-04-27")],
        [],
    ),
    (
        "both rules, told once",
        [event("acknowledged", "2026-04-28")],
        [event("responded", "2026-04-10")],
        [
            "events[1]: dated 2026-04-10, 14 working days before it is recorded (2026-04-30): "
            + TOO_OLD
        ],
    ),
    (
        # Recorded together, so neither was already recorded when the other was.
        "two new events out of order",
        [],
        [event("acknowledged", "2026-04-28"), event("assessed", "2026-04-27")],
        [],
    ),
]


@pytest.mark.parametrize("recorded, new, said", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_late_entries(recorded, new, said):
    assert findings(recorded, new) == said


def test_late_entry_days_zero_allows_only_today():
    assert findings([], [event("note", "2026-04-30")], late_entry_days=0) == []
    assert findings([], [event("note", "2026-04-29")], late_entry_days=0) == [
        "events[0]: dated 2026-04-29, 1 working day before it is recorded (2026-04-30): an"
        f" event recorded more than 0 working days after it happened {WHY}"
    ]


def test_a_change_appends_the_events_after_the_old_ones():
    old = complaint(event("acknowledged", "2026-04-28"))
    new = complaint(event("acknowledged", "2026-04-28"), event("responded", "2026-04-27"))
    terms = Policy.model_validate(policy(late_entry_days=5))
    found = list(rules.late_entries_appended(old, new, terms, IT, TODAY))
    assert [path for path, _ in found] == [("events", 1, "at")]
    # A new file: all its events are new. An invalid one: check says why, not this rule.
    assert list(rules.late_entries_appended(None, new, terms, IT, TODAY)) == []
    old_news = complaint(event("responded", "2026-04-10"))
    assert len(list(rules.late_entries_appended(None, old_news, terms, IT, TODAY))) == 1
    assert (
        list(rules.late_entries_appended(old, {**new, "received": 20260401}, terms, IT, TODAY))
        == []
    )


# --- the command line, as of today --------------------------------------------------------


def days_ago(n: int) -> str:
    return (IT.today() - timedelta(days=n)).isoformat()


def backdated(register: TestRegister) -> str:
    """A complaint received 60 days ago and never answered: its response is overdue. The
    policy says events are recorded within 5 working days (the default)."""
    write_yaml(register.root / "policy.yaml", policy(late_entry_days=5))
    received = datetime.fromisoformat(f"{days_ago(60)}T10:00:00")
    cid = f"C-{received:%Y-%m%d}-K7Q2"
    register.add(complaint(id=cid, received=received.isoformat()))
    return cid


def test_log_refuses_an_overdue_response_backdated_before_its_due_date(register):
    cid = backdated(register)
    path = register.path(cid)
    before = path.read_text(encoding="utf-8")
    # Due 20 working days after receipt, long past: dated 3 days after receipt, it would
    # count as on time.
    logged = ("log", cid, "responded", "--outcome", "upheld", "--by", "marco")
    result = register.run(*logged, "--at", days_ago(57))
    assert result.exit_code == 1, result.output
    assert f"events[0].at: dated {days_ago(57)}," in result.output
    assert "working days before it is recorded" in result.output
    assert path.read_text(encoding="utf-8") == before  # nothing written
    result = register.run(*logged, "--at", days_ago(57), "--late", "found in the outbox")
    assert result.exit_code == 0, result.output
    shown = register.run("show", cid)
    line = next(line for line in shown.output.splitlines() if "responded by marco" in line)
    assert "late=found in the outbox" in line


def test_log_refuses_an_event_dated_before_the_latest_one(register):
    cid = backdated(register)
    assert (
        register.run("log", cid, "acknowledged", "--at", days_ago(1), "--by", "anna").exit_code == 0
    )
    logged = ("log", cid, "assessed", "--priority", "normal", "--by", "anna")
    result = register.run(*logged, "--at", days_ago(2))
    assert result.exit_code == 1, result.output
    assert f"before the latest event already recorded ({days_ago(1)})" in result.output
    result = register.run(*logged, "--at", days_ago(2), "--late", "assessed on paper first")
    assert result.exit_code == 0, result.output
    # On the day of the latest event, or after it, nothing needs saying.
    assert register.run("log", cid, "note", "--note", "x", "--at", days_ago(1)).exit_code == 0


def test_a_plain_check_cannot_know_when_an_event_was_recorded(register):
    cid = backdated(register)
    path = register.path(cid)
    data = complaint(event("responded", days_ago(57)), id=cid, received=f"{days_ago(60)}T10:00:00")
    write_yaml(path, data)
    result = register.run("check")
    assert result.exit_code == 0, result.output


# --- check --base and history ---------------------------------------------------------------


@pytest.fixture
def repository(tmp_path) -> TestRegister:
    """A register in a Git repository, with one complaint recorded on `main`."""
    register = TestRegister(tmp_path / "register")
    git(tmp_path, "init", "-q", "-b", "main")
    backdated(register)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "A complaint")
    return register


def append(register: TestRegister, line: str) -> Path:
    path = next(register.root.glob("*/C-*.yaml"))
    text = path.read_text(encoding="utf-8").replace("events: []\n", "events:\n")
    path.write_text(text + line, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "late, refused", [("", True), (", late: found in the outbox", False)], ids=["bare", "why"]
)
def test_check_base_holds_appended_events_to_today(repository, late, refused):
    at = days_ago(57)
    path = append(
        repository, f"  - {{type: responded, at: {at}, by: marco, outcome: upheld{late}}}\n"
    )
    result = repository.run("check", "--base", "main")
    assert (result.exit_code == 1) is refused, result.output
    if refused:
        line = path.read_text(encoding="utf-8").count("\n")  # the event is the last line
        assert f"{path.name}:{line}: events[0].at: dated {at}," in result.output
        assert "working days before it is recorded" in result.output
        assert "(since " in result.output  # said against the base, as the ledger's rules are


def test_check_base_holds_a_new_files_events_too(repository):
    received = f"{days_ago(40)}T10:00:00"
    data = complaint(
        event("acknowledged", days_ago(39)),
        id=f"C-{days_ago(40)[:4]}-{days_ago(40)[5:7]}{days_ago(40)[8:]}-R2D2",
        received=received,
    )
    repository.add(data)
    top = repository.root.parent
    git(top, "checkout", "-q", "-b", "new-complaint")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "A complaint recorded late")
    result = repository.run("check", "--base", "main")
    assert result.exit_code == 1, result.output
    assert "events[0].at: dated" in result.output


def test_history_and_show_print_why_an_event_was_recorded_late(repository, tmp_path):
    append(
        repository,
        f"  - {{type: responded, at: {days_ago(57)}, by: marco, outcome: upheld,"
        " late: found in the outbox}\n",
    )
    git(tmp_path, "commit", "-q", "-am", "The response, found late")
    cid = next(repository.root.glob("*/C-*.yaml")).stem
    history = repository.run("history", cid)
    assert history.exit_code == 0, history.output
    assert "late found in the outbox" in history.output
    shown = repository.run("show", cid)
    assert "late=found in the outbox" in shown.output
