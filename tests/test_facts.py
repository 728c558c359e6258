"""What a complaint's events say whatever the date (`core.facts`): the facts of every date
worked out from it are the fold of that date, and the cache of it gives the answers the
files give, across a change of date and after a file changes."""

import json
import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import POLICY
from registers import ev, received

from benchmarks.generate import AS_OF, generate
from complaints_register.cli.main import cli
from complaints_register.core.facts import PROBE, settle
from complaints_register.core.lifecycle import Clock
from complaints_register.core.status import facts
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint, Policy
from complaints_register.store import settled
from complaints_register.store.register import Register, load

ROOT = Path(__file__).resolve().parent.parent
ITALY_POLICY = Policy.model_validate(POLICY)
ITALY = calendar_for(ITALY_POLICY)


def _dates(since: date, fixed: list[date]) -> list[date]:
    """Dates to compare on: the first, the days around every due date, and far later."""
    days = {since, since + timedelta(days=1), since + timedelta(days=30), since + PROBE}
    days |= {since + timedelta(days=3650)}
    for due in fixed:
        days |= {due - timedelta(days=1), due, due + timedelta(days=1), due + timedelta(days=40)}
    return sorted(day for day in days if day >= since)


def _every_date_agrees(complaint: Complaint, policy: Policy) -> int:
    calendar = calendar_for(policy)
    clock = Clock(policy, calendar)
    found = settle(complaint, policy, calendar)
    dues = [
        d for f in facts(complaint, policy, calendar, found.since).stages for d in f.due.values()
    ]
    checked = 0
    for day in _dates(found.since, [d for d in dues if d is not None]):
        assert found.on(clock, day) == facts(complaint, policy, calendar, day), (complaint.id, day)
        checked += 1
    return checked


def _complaints(root: Path) -> list[Complaint]:
    register = Register(root)
    models = [load(p, Complaint).model for p in register.complaint_paths()]
    return [m for m in models if m is not None]


def test_a_paused_clock_moves_the_response_date_with_the_date():
    # Received and acknowledged Monday 2 March 2026; information asked for on the 4th and
    # not yet received. 20 working days from the 2nd is Monday 30 March; every working day
    # after the 4th up to the date counts on top. As of Tuesday the 10th: the 5th, 6th, 9th
    # and 10th, so Friday 3 April. As of the 11th, one more: Monday 6 April is Easter
    # Monday in Italy, so Tuesday 7 April.
    complaint = Complaint.model_validate(
        received(
            "2026-03-02",
            "P4VS",
            "billing",
            "email",
            ev("acknowledged", "2026-03-02"),
            ev("info-requested", "2026-03-04"),
        )
    )
    found = settle(complaint, ITALY_POLICY, ITALY)
    clock = Clock(ITALY_POLICY, ITALY)
    assert found.since == date(2026, 3, 4)
    assert found.due == [None]  # moves with the date: asked of the Clock each date
    assert found.stopped is None
    assert found.on(clock, date(2026, 3, 10)).current.due["respond"] == date(2026, 4, 3)
    assert found.on(clock, date(2026, 3, 11)).current.due["respond"] == date(2026, 4, 7)
    # ...and a paused complaint is never response-overdue, however late the date
    assert found.on(clock, date(2026, 9, 1)).current.overdue == []
    with pytest.raises(ValueError, match="settled since 2026-03-04"):
        found.on(clock, date(2026, 3, 3))


def test_a_running_clock_is_fixed_and_its_flags_come_with_the_date():
    # Received Monday 2 March 2026, never acknowledged: acknowledgement due 2 working days
    # later, Wednesday the 4th; the response 20 working days later, Monday 30 March. On the
    # 5th the acknowledgement is a day late; very overdue after 20 more working days (1 April).
    complaint = Complaint.model_validate(received("2026-03-02", "R7XN", "billing", "email"))
    found = settle(complaint, ITALY_POLICY, ITALY)
    clock = Clock(ITALY_POLICY, ITALY)
    assert found.due == [{"acknowledge": date(2026, 3, 4), "respond": date(2026, 3, 30)}]
    assert found.on(clock, date(2026, 3, 4)).current.overdue == []
    on_5th = found.on(clock, date(2026, 3, 5)).current
    assert (on_5th.overdue, on_5th.days_late, on_5th.very_overdue) == (
        ["acknowledge"],
        {"acknowledge": 1},
        [],
    )
    assert found.on(clock, date(2026, 4, 2)).current.very_overdue == ["acknowledge"]
    assert found.on(clock, date(2026, 4, 1)).current.very_overdue == []


def test_a_closed_complaint_needs_nothing_per_date():
    complaint = Complaint.model_validate(
        received(
            "2026-03-02",
            "C1SD",
            "billing",
            "email",
            ev("acknowledged", "2026-03-02"),
            ev("responded", "2026-03-10", outcome="upheld"),
            ev("closed", "2026-03-11", satisfied=True),
        )
    )
    found = settle(complaint, ITALY_POLICY, ITALY)
    assert found.stopped is not None
    clock = Clock(ITALY_POLICY, ITALY)
    one, other = found.on(clock, date(2026, 3, 11)), found.on(clock, date(2031, 1, 1))
    assert one.stages is other.stages  # the same facts, not worked out again
    assert other.as_of == date(2031, 1, 1)


def test_on_every_date_the_example_register_s_facts_are_its_folds():
    register = Register(ROOT / "register")
    policy = register.policy()
    complaints = _complaints(register.root)
    assert len(complaints) > 50
    assert sum(_every_date_agrees(c, policy) for c in complaints) > 400


def test_on_every_date_a_generated_register_s_facts_are_its_folds(tmp_path):
    generate(tmp_path / "register", 150, seed=5, processes=1)
    policy = Register(tmp_path / "register").policy()
    for complaint in _complaints(tmp_path / "register"):
        _every_date_agrees(complaint, policy)


# The cache of settled facts, through the command line


def _git(repo: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=os.environ | env)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    generate(tmp_path / "register", 40, seed=23, processes=1)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "Register")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _answers(cached: bool, day: date) -> list[tuple[int, str]]:
    env = {} if cached else {"COMPLAINTS_NO_CACHE": "1"}
    commands = [
        ["list", "--status", "all", "--as-of", str(day), "--format", "json"],
        ["overdue", "--as-of", str(day), "--format", "json"],
        ["list", "--due-within", "5", "--as-of", str(day)],
    ]
    runner = CliRunner()
    return [(r.exit_code, r.output) for r in (runner.invoke(cli, c, env=env) for c in commands)]


def test_cached_facts_are_the_files_answers_on_a_new_day_and_after_a_change(repo, monkeypatch):
    days = [AS_OF, AS_OF + timedelta(days=1), AS_OF + timedelta(days=45), date(2025, 1, 15)]
    plain = {day: _answers(False, day) for day in days}
    assert _answers(True, AS_OF) == plain[AS_OF]  # fills the cache
    # A new day reads no complaint file: what their events say is in the cache.
    with monkeypatch.context() as patched:
        patched.setattr(settled, "settle", lambda *a: pytest.fail("settled again"))
        for day in days[1:3]:
            assert _answers(True, day) == plain[day]
    # A date before some complaints' last events folds their files as of that date.
    assert _answers(True, days[3]) == plain[days[3]]
    overdue = json.loads(plain[days[1]][1][1])
    assert overdue, "the generated register has overdue complaints to tell apart"
    # A file changes: its complaint is settled again, the others come from the cache.
    path = sorted((repo / "register").glob("*/*.yaml"))[3]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"  - {{type: withdrawn, at: {AS_OF}, by: anna}}\n")
    for day in days:
        assert _answers(True, day) == _answers(False, day)


def _pending_ones(found: list, day: date, calendar) -> list:
    """What `overdue` and `list --due-within 5` keep: a step overdue, or one due soon."""
    return [
        f
        for f in found
        if f.current.overdue
        or any(
            d is not None and d >= day and calendar.working_days_between(day, d) <= 5
            for d in f.current.due.values()
        )
    ]


@pytest.mark.parametrize("cached", [True, False])
def test_the_open_complaints_alone_give_every_overdue_and_due_step(repo, monkeypatch, cached):
    if not cached:
        monkeypatch.setenv("COMPLAINTS_NO_CACHE", "1")
    register = Register(repo / "register")
    policy = register.policy()
    calendar = register.calendar(policy)
    # The register's last day, the days after, a day long after (every clock stopped or
    # overdue), and days before some complaints' last events (folded as of that date).
    days = [AS_OF, AS_OF + timedelta(days=1), AS_OF + timedelta(days=45)]
    days += [AS_OF + timedelta(days=3650), date(2025, 1, 15), date(2020, 6, 1)]
    seen = 0
    for round_ in range(2):  # the second time from the cache, when there is one
        for day in days:
            everything, unreadable = settled.all_facts_as_of(register, policy, calendar, day, None)
            pending, names = settled.pending_facts_as_of(register, policy, calendar, day)
            assert pending == [f for f in everything if f in pending]  # in the files' order
            assert _pending_ones(pending, day, calendar) == _pending_ones(everything, day, calendar)
            assert names == unreadable
            seen += len(_pending_ones(everything, day, calendar))
        if round_ == 0:  # a file changes: a complaint closed, one made unreadable
            paths = sorted((repo / "register").glob("*/*.yaml"))
            with open(paths[3], "a", encoding="utf-8") as handle:
                handle.write(f"  - {{type: withdrawn, at: {AS_OF}, by: anna}}\n")
            paths[5].write_text("id: [not a complaint\n", encoding="utf-8")
    assert seen, "the generated register has overdue or due steps to tell apart"
    # The open ones are few: the closed complaints were left out.
    everything, _ = settled.all_facts_as_of(register, policy, calendar, AS_OF, None)
    pending, _ = settled.pending_facts_as_of(register, policy, calendar, AS_OF)
    assert len(pending) < len(everything)
