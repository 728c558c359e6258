"""A cold run reads and hashes each file on the core that checks it: the same answers as a
run in one process without the cache, then warm, and after a file changes."""

import json

import pytest
from click.testing import CliRunner
from conftest import git

from benchmarks.generate import AS_OF, generate
from complaints_register.cli.main import cli
from complaints_register.store import pool
from complaints_register.store.cache import cache_folder

COMMANDS = [
    ["check", "--format", "json"],
    ["overdue", "--as-of", str(AS_OF), "--format", "json"],
    ["list", "--status", "all", "--as-of", str(AS_OF), "--format", "json"],
]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    register = tmp_path / "register"
    generate(register, 40, seed=5, processes=1)
    first = sorted(register.glob("2016/*.yaml"))[0]
    # A second file with the first one's ID (listed after it), two comment lines above the
    # ID: told on line 3, as not its file name and as the other file's ID.
    text = first.read_text(encoding="utf-8").split("\n", 1)[1]  # without the schema line
    (first.parent / "C-2016-1231-ZZZZ.yaml").write_text(
        "# copied\n# from another file\n" + text, encoding="utf-8"
    )
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Register")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def answers(cached: bool) -> list[tuple[int, str]]:
    env = {} if cached else {"COMPLAINTS_NO_CACHE": "1"}
    runner = CliRunner()
    return [(r.exit_code, r.output) for r in (runner.invoke(cli, c, env=env) for c in COMMANDS)]


def on_every_core(monkeypatch):
    monkeypatch.setattr(pool, "MANY", 1)
    monkeypatch.setattr(pool, "CHUNK", 7)
    monkeypatch.setattr(pool, "cores", lambda: 2)


def test_a_cold_run_on_every_core_answers_as_one_process_without_the_cache(repo, monkeypatch):
    monkeypatch.setattr(pool, "MANY", 10**9)
    one = answers(cached=False)
    on_every_core(monkeypatch)
    folder = cache_folder(repo / "register")
    assert folder is not None and not folder.exists()  # nothing cached yet: a cold run
    assert answers(cached=True) == one
    assert (folder / "check-all").is_dir()  # the whole register's result kept, fingerprinted
    assert answers(cached=True) == one  # warm: from what the cold run kept
    found = json.loads(one[0][1])
    copy = [p for p in found if p["file"].endswith("C-2016-1231-ZZZZ.yaml")]
    assert {(p["line"], p["where"]) for p in copy} == {(3, "id")}
    assert any("is also the ID of" in p["message"] for p in copy)


def test_a_file_changed_after_a_cold_run_is_checked_again(repo, monkeypatch):
    on_every_core(monkeypatch)
    answers(cached=True)  # cold, on every core: fills the cache
    changed = sorted((repo / "register").glob("2017/*.yaml"))[0]
    with open(changed, "a", encoding="utf-8") as handle:
        handle.write("  - {type: nonsense}\n")
    later = answers(cached=True)
    assert later == answers(cached=False)
    assert later[0][0] == 1 and "nonsense" in later[0][1]
