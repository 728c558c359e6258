"""The cache of per-file results: the same answers with it as without it, whatever changed."""

import os
import pickle
import re
import subprocess
import time

import pytest
from click.testing import CliRunner
from conftest import git

from benchmarks.generate import AS_OF, generate
from complaints_register.cli.main import cli
from complaints_register.store.cache import RECENT_NS, blob_id, cache_folder

DAY = str(AS_OF)
COMMANDS = [
    ["check"],
    ["check", "--format", "json"],
    ["list", "--status", "all", "--as-of", DAY, "--format", "json"],
    ["list", "--overdue", "--as-of", DAY],
    ["overdue", "--as-of", DAY, "--format", "json"],
    ["list", "--as-of", "2024-03-01", "--format", "csv"],
]
NOTE = '  - {type: note, at: 2026-06-29, by: anna, note: "Called back"}\n'


@pytest.fixture
def repo(tmp_path, monkeypatch):
    generate(tmp_path / "register", 30, seed=11, processes=1)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Register")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def answers(cached: bool, commands=COMMANDS) -> list[tuple[int, str]]:
    env = {} if cached else {"COMPLAINTS_NO_CACHE": "1"}
    runner = CliRunner()
    return [
        (r.exit_code, r.output)
        for r in (runner.invoke(cli, command, env=env) for command in commands)
    ]


def agree() -> list:
    """Both paths, twice (the second cached run reads what the first stored)."""
    plain = answers(cached=False)
    assert answers(cached=True) == plain
    assert answers(cached=True) == plain
    return plain


def cache_files(repo):
    return [p for p in cache_folder(repo / "register").rglob("*") if p.is_file()]


def complaint_files(repo):
    return sorted((repo / "register").glob("*/*.yaml"))


def test_the_cache_is_in_the_git_folder_and_holds_every_file(repo):
    agree()
    folder = cache_folder(repo / "register")
    assert folder == repo / ".git" / "complaints-cache"
    with open(folder / "check.pickle", "rb") as handle:
        _, entries = pickle.load(handle)
    assert len(entries) == len(complaint_files(repo))
    assert (
        "complaints-cache"
        not in subprocess.run(
            ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True
        ).stdout
    )


def test_blob_id_is_gits(repo):
    path = complaint_files(repo)[0]
    expected = subprocess.run(
        ["git", "hash-object", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert blob_id(path.read_bytes()) == expected


def _edit(repo):  # a note, and another category
    path = complaint_files(repo)[3]
    text = path.read_text(encoding="utf-8")
    category = next(line for line in text.splitlines() if line.startswith("category: "))
    path.write_text(
        text.replace(
            category, "category: privacy" if "billing" in category else "category: billing"
        )
        + NOTE,
        encoding="utf-8",
    )


def _break(repo):  # an event that makes no sense, and a file that is no YAML
    with open(complaint_files(repo)[4], "a", encoding="utf-8") as handle:
        handle.write("  - {type: info-received, at: 2026-06-29, by: anna}\n")
    complaint_files(repo)[5].write_text("id: [unclosed\n", encoding="utf-8")


def _add(repo):
    source = complaint_files(repo)[6]
    copy = source.with_name(source.stem[:-4] + "ZZZZ.yaml")
    copy.write_text(source.read_text().replace(source.stem, copy.stem), encoding="utf-8")
    (source.parent / source.name.replace(".yaml", ".yml")).write_text("misplaced\n")


def _duplicate(repo):  # the same ID in two files
    source = complaint_files(repo)[7]
    copy = source.with_name(source.stem[:-4] + "ZZZY.yaml")
    copy.write_text(source.read_text(), encoding="utf-8")


def _remove(repo):
    complaint_files(repo)[8].unlink()


def _checkout(repo):
    git(repo, "switch", "-q", "-c", "other")
    _edit(repo)
    _remove(repo)
    git(repo, "commit", "-q", "-am", "Other")
    git(repo, "switch", "-q", "main")
    agree()
    git(repo, "switch", "-q", "other")


def _policy(repo):  # every deadline moves
    policy = repo / "register" / "policy.yaml"
    policy.write_text(policy.read_text().replace("acknowledge: 2,", "acknowledge: 1,"))


@pytest.fixture(params=["read", "stat"])
def known_by(request, monkeypatch):
    """How the cache learns a file's content: "read" reads it again (every file here was
    written seconds ago), "stat" trusts its size, times and inode as soon as it saw them."""
    if request.param == "stat":
        monkeypatch.setattr("complaints_register.store.cache.RECENT_NS", -(10**18))
    return request.param


@pytest.mark.parametrize("change", [_edit, _break, _add, _duplicate, _remove, _checkout, _policy])
def test_cached_answers_are_the_uncached_ones_after_a_change(repo, change, known_by):
    before = agree()
    change(repo)
    assert agree() != before  # the change shows, and identically on both paths


def test_statistics_cached_are_the_uncached_ones_after_a_checkout(repo):
    stats = [["stats", "--as-of", DAY, "--format", "json"]]
    plain = answers(cached=False, commands=stats)
    assert answers(cached=True, commands=stats) == plain
    git(repo, "switch", "-q", "-c", "other")
    _edit(repo)
    git(repo, "commit", "-q", "-am", "Other")
    assert answers(cached=True, commands=stats) == answers(cached=False, commands=stats)
    git(repo, "switch", "-q", "main")
    assert answers(cached=True, commands=stats) == plain


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a pickle", pickle.dumps(("other", {})), pickle.dumps(["wrong", "shape", 3])],
)
def test_a_corrupt_or_foreign_cache_is_ignored(repo, garbage):
    plain = agree()
    for path in cache_files(repo):
        path.write_bytes(garbage)
    assert answers(cached=True) == plain
    assert answers(cached=True) == plain


def test_a_cache_with_wrong_results_for_another_context_is_never_used(repo):
    plain = agree()
    for path in cache_files(repo):
        context, entries = pickle.loads(path.read_bytes())
        path.write_bytes(pickle.dumps(("stale " + context, dict.fromkeys(entries))))
    assert answers(cached=True) == plain


def test_results_for_the_whole_register_are_kept_for_the_latest_few_dates(repo, monkeypatch):
    from complaints_register.store.cache import Cache

    # Two kept instead of eight: pruning works alike for any number, and each date past it
    # is one more run that proves nothing more.
    monkeypatch.setattr(Cache, "KEPT_ALL", 2)
    days = [f"2026-06-{day:02d}" for day in range(1, Cache.KEPT_ALL + 4)]
    runs = [["list", "--as-of", day, "--format", "json"] for day in days]
    assert answers(cached=True, commands=runs) == answers(cached=False, commands=runs)
    kept = list((cache_folder(repo / "register") / "chosen-all").iterdir())
    assert len(kept) == Cache.KEPT_ALL
    assert answers(cached=True, commands=runs) == answers(cached=False, commands=runs)


def test_outside_git_nothing_is_cached(tmp_path, monkeypatch):
    generate(tmp_path / "register", 20, seed=2, processes=1)
    monkeypatch.chdir(tmp_path)
    assert cache_folder(tmp_path / "register") is None
    assert answers(cached=True) == answers(cached=False)


def test_no_progress_bar_unless_standard_error_is_a_terminal(capsys):
    from complaints_register.store.progress import LONG, progress

    items = list(range(LONG + 1))
    assert progress(items, "Checking") is items  # under pytest, stderr is no terminal
    assert capsys.readouterr().err == ""


def test_a_file_untouched_for_a_while_is_known_by_its_stat_and_an_edit_is_seen(repo, monkeypatch):
    with monkeypatch.context() as patched:  # "recent" however slowly the machine runs
        patched.setattr("complaints_register.store.cache.RECENT_NS", 3600 * 10**9)
        agree()
    blobs = cache_folder(repo / "register") / "blobs.pickle"
    assert not blobs.exists()  # every file was written recently: each is read again
    past = time.time() - 3600
    for path in complaint_files(repo):
        os.utime(path, (past, past))
    # utime set their change times to now: wait until that is longer ago than "recent"
    # (half a second here, instead of three: the rule is the same, the wait shorter)
    monkeypatch.setattr("complaints_register.store.cache.RECENT_NS", RECENT_NS // 6)
    time.sleep(RECENT_NS / 6 / 1e9 + 0.1)
    plain = agree()
    with open(blobs, "rb") as handle:
        _, known = pickle.load(handle)
    assert len(known) == len(complaint_files(repo))
    _edit(repo)
    assert agree() != plain


SECRET = "a-secret-the-ci-runners-share-0123456789"


def test_runners_that_share_a_secret_share_the_cache_and_no_other_key_reads_it(
    repo, monkeypatch, tmp_path_factory
):
    from complaints_register.store import settled

    day = ["overdue", "--as-of", "2026-07-01", "--format", "json"]
    plain = answers(cached=False, commands=[day])
    monkeypatch.setenv("COMPLAINTS_CACHE_KEY", SECRET)
    assert answers(cached=True, commands=[day]) == plain  # the first runner fills the cache
    # The next runner: the cache folder restored, but no key file of its own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("fresh-runner")))
    next_day = ["overdue", "--as-of", "2026-07-02", "--format", "json"]
    expected = answers(cached=False, commands=[next_day])
    with monkeypatch.context() as patched:
        patched.setattr(settled, "settle", lambda *a: pytest.fail("not read from the cache"))
        assert answers(cached=True, commands=[next_day]) == expected
    # Another secret reads none of it: every complaint is settled again.
    monkeypatch.setenv("COMPLAINTS_CACHE_KEY", SECRET.upper())
    calls = []
    real = settled.settle
    monkeypatch.setattr(settled, "settle", lambda *a: calls.append(1) or real(*a))
    assert answers(cached=True, commands=[next_day]) == expected
    assert len(calls) == len(complaint_files(repo))


def test_a_secret_too_short_to_be_one_turns_the_cache_off(repo, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_CACHE_KEY", "password")
    assert cache_folder(repo / "register") is None
    monkeypatch.setenv("COMPLAINTS_CACHE_KEY", SECRET)
    assert cache_folder(repo / "register") is not None


def test_the_calendar_kept_with_the_policy_is_the_policy_s_and_follows_its_changes(
    repo, monkeypatch
):
    from datetime import date, timedelta

    from complaints_register.core import working_days
    from complaints_register.core.working_days import calendar_for
    from complaints_register.store.register import Register

    def days_worked(calendar):
        start = date(2015, 1, 1)
        return [calendar.is_working(start + timedelta(days=n)) for n in range(0, 4500, 3)]

    first = Register(repo / "register")
    made = first.calendar(first.policy())  # made, and kept
    again = Register(repo / "register")
    with monkeypatch.context() as patched:
        patched.setattr(working_days, "calendar_for", lambda p: pytest.fail("made again"))
        kept = again.calendar(again.policy())  # from the cache
    assert kept is not made
    assert days_worked(kept) == days_worked(calendar_for(again.policy()))
    # A closure added to the policy: another calendar, with that day off.
    policy_file = repo / "register" / "policy.yaml"
    text = policy_file.read_text(encoding="utf-8")
    assert "closures: []" in text or "closures:" in text
    closed = date(2026, 7, 15)  # a Wednesday
    assert kept.is_working(closed)
    policy_file.write_text(
        re.sub(r"closures: \[[^\]]*\]", f"closures: [{closed}]", text), encoding="utf-8"
    )
    changed = Register(repo / "register")
    assert not changed.calendar(changed.policy()).is_working(closed)
