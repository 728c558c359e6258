"""The statistics of a new day from the profiles kept for every date (`store.settled`):
the same figures as folding every complaint file as of that date."""

import os
import subprocess
from datetime import date, timedelta

import pytest

from benchmarks.generate import AS_OF, generate
from complaints_register.core.facts import settle
from complaints_register.core.figures import profile, published
from complaints_register.schema import Complaint
from complaints_register.store import settled
from complaints_register.store.overview import published_figures
from complaints_register.store.register import Register, load

DAYS = [
    AS_OF,
    AS_OF + timedelta(days=1),
    AS_OF + timedelta(days=45),
    AS_OF + timedelta(days=3650),  # every clock stopped or overdue
    date(2025, 1, 15),  # before some complaints' last events: folded as of that date
    date(2020, 6, 1),
]


@pytest.fixture
def register(tmp_path, monkeypatch):
    generate(tmp_path / "register", 60, seed=29, processes=1)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "R"]):
        subprocess.run(
            ["git", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            env=os.environ
            | {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org"}
            | {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"},
        )
    monkeypatch.chdir(tmp_path)
    return Register(tmp_path / "register")


def _folded(register: Register, day: date):
    """The figures the slow way: every complaint file folded as of `day`."""
    policy = register.policy()
    calendar = register.calendar(policy)
    found, unreadable = [], []
    for path in register.complaint_paths():
        if path.suffix != ".yaml":
            continue
        worked = settled.facts_of((path, path.read_bytes()), policy, calendar, day)
        if worked == settled.UNREADABLE:
            unreadable.append(path.name)
        elif worked[0] is not None:
            found.append(worked[0])
    return published(found, policy, calendar, day), unreadable


def _profiles_folded(register: Register, day: date):
    """Each complaint's profile the slow way, and the files that could not be read."""
    policy = register.policy()
    calendar = register.calendar(policy)
    found, unreadable = [], []
    for path in register.complaint_paths():
        worked = settled.facts_of((path, path.read_bytes()), policy, calendar, day)
        if worked == settled.UNREADABLE:
            unreadable.append(f"{path.parent.name}/{path.name}")
        elif worked[0] is not None:
            found.append(profile(worked[0], calendar))
    return found, unreadable


def test_the_kept_profiles_are_those_of_the_files_folded_that_day(register):
    days = DAYS + _while_open(register)
    policy = register.policy()
    calendar = register.calendar(policy)
    expected = {day: _profiles_folded(register, day) for day in days}
    for _ in range(2):  # the second time from the cache
        for day in days:
            found = settled.all_profiles_as_of(register, policy, calendar, day)
            assert found == expected[day], day


def _cached(register: Register, day: date):
    policy = register.policy()
    figures, unreadable = published_figures(register, policy, register.calendar(policy), day)
    return figures, [name.rsplit("/", 1)[-1] for name in unreadable]


def _while_open(register: Register) -> list[date]:
    """Days on which complaints now closed were still open: their profiles then differ."""
    policy = register.policy()
    calendar = register.calendar(policy)
    days = []
    for path in sorted(register.root.glob("*/*.yaml"))[:20]:
        model = load(path, Complaint).model
        done = settle(model, policy, calendar)
        if done.stopped is not None and done.received_day < done.since:
            days.append(done.since - timedelta(days=1))
    assert days, "the generated register has complaints closed after the day received"
    return days[:4]


def test_a_new_days_statistics_are_those_of_the_files_folded_that_day(register, monkeypatch):
    days = DAYS + _while_open(register)
    expected = {day: _folded(register, day) for day in days}
    assert any(f.value for f in expected[AS_OF][0].figures), "figures to tell apart"
    assert _cached(register, AS_OF) == expected[AS_OF]  # fills the cache
    # A new day settles no file again, and makes only the open complaints' profiles.
    made = []
    real = settled.profile
    with monkeypatch.context() as patched:
        patched.setattr(settled, "settle", lambda *a: pytest.fail("settled again"))
        patched.setattr(settled, "profile", lambda *a: made.append(1) or real(*a))
        for day in days[1:]:
            assert _cached(register, day) == expected[day], day
        assert _cached(register, days[1]) == expected[days[1]]  # from the day's own cache
    assert len(made) < 60 * (len(days) - 1), "the stopped complaints' profiles were kept"
    # A file changes (a complaint withdrawn, one made unreadable): the kept profiles follow.
    paths = sorted(register.root.glob("*/*.yaml"))
    with open(paths[3], "a", encoding="utf-8") as handle:
        handle.write(f"  - {{type: withdrawn, at: {AS_OF}, by: anna}}\n")
    paths[5].write_text("id: [not a complaint\n", encoding="utf-8")
    for day in days[:3]:
        expected = _folded(register, day)
        assert expected[1] == [paths[5].name]
        assert _cached(register, day) == expected, day
