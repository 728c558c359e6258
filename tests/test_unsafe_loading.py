"""The cache never unpickles a file this user's program did not write (issue "Hardening").

A pickle runs whatever it names when it is loaded, and a `.git` folder can come in an
archive. Crafted pickles are put where the cache looks, in a folder that only looks like a
Git repository and in one that is one: `complaints check` passes, gives the answers it gives
without the cache, and the code in the pickles never runs (it would make a marker folder).
The key that signs the cache files is the user's own, outside every repository; the cache
follows no symbolic link, prunes only its own files and never waits on a FIFO.
"""

import hmac
import os
import pickle
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import git, installed

from benchmarks.generate import AS_OF, generate
from complaints_register.cli.main import cli
from complaints_register.store.cache import Cache, cache_folder

DAY = str(AS_OF)
COMMANDS = [
    ["check"],
    ["check", "--format", "json"],
    ["list", "--status", "all", "--as-of", DAY, "--format", "json"],
    ["overdue", "--as-of", DAY, "--format", "json"],
    ["stats", "--as-of", DAY, "--format", "json"],
]


class Planted:
    """Unpickled, makes the folder `marker`: what a crafted pickle could do instead."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def crafted(marker: Path) -> list[bytes]:
    """Crafted cache files: bare, shaped as the cache stores its entries, and each followed
    by a made-up HMAC or one made with another key (the attacker's own)."""
    bare = pickle.dumps(Planted(marker))
    shaped = pickle.dumps(("context", {("2026/C.yaml", "0" * 40): Planted(marker)}))
    signed = shaped + hmac.digest(b"k" * 32, shaped, "sha256")
    return [bare, shaped, bare + b"\0" * 32, signed]


@pytest.fixture(autouse=True)
def own_key(tmp_path, monkeypatch) -> Path:
    """This test's user cache folder, where the key is kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("COMPLAINTS_NO_CACHE", raising=False)
    return tmp_path / "user-cache"


def answers(folder: Path, cached: bool = True) -> list[tuple[int, str]]:
    env = {} if cached else {"COMPLAINTS_NO_CACHE": "1"}
    runner = CliRunner()
    return [
        (result.exit_code, result.output)
        for result in (
            runner.invoke(cli, ["--register", str(folder / "register"), *command], env=env)
            for command in COMMANDS
        )
    ]


def repository(folder: Path) -> Path:
    generate(folder / "register", 30, seed=11, processes=1)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "Register")
    return folder


@pytest.fixture(scope="module")
def names(tmp_path_factory) -> list[str]:
    """Every file the cache reads for COMMANDS on the test register, as names within the
    cache folder: learnt once, from a run in a repository of its own with a key of its own
    (the names come from the files and the dates, not from the folder or the key; the test
    in a repository sees the cache replace each of them)."""
    learn = repository(tmp_path_factory.mktemp("learn"))
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv("XDG_CACHE_HOME", str(learn / "user-cache"))
        patched.delenv("COMPLAINTS_NO_CACHE", raising=False)
        answers(learn)
    folder = cache_folder(learn / "register")
    assert folder is not None
    found = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert "check.pickle" in found and "blobs.pickle" not in found  # every file is new
    assert any(name.startswith("check-all/") for name in found)
    return [*found, "blobs.pickle"]


def plant(cache: Path, names: list[str], payload: bytes) -> None:
    for name in names:
        (cache / name).parent.mkdir(parents=True, exist_ok=True)
        (cache / name).write_bytes(payload)


@pytest.mark.parametrize("looks_like_git", [False, True])
@pytest.mark.parametrize("payload", range(4))
def test_a_crafted_pickle_in_a_folder_that_is_not_a_repository_never_runs(
    tmp_path, names, looks_like_git, payload
):
    folder = tmp_path / "unpacked"  # an archive's contents: a register and a `.git` folder
    generate(folder / "register", 30, seed=11, processes=1)
    dot_git = folder / ".git"
    if looks_like_git:  # what Git takes for a Git folder, but with no history of its own
        (dot_git / "objects").mkdir(parents=True)
        (dot_git / "refs").mkdir()
        (dot_git / "HEAD").write_text("ref: refs/heads/main\n")
    marker = tmp_path / "ran"
    plant(dot_git / "complaints-cache", names, crafted(marker)[payload])
    plain = answers(folder, cached=False)
    assert plain[0][0] == 0  # the register passes check
    assert answers(folder) == plain
    if looks_like_git:  # a cache: what the first run stored, read back (else a third run
        assert answers(folder) == plain  # would do what the second did)
    assert not marker.exists()
    assert (cache_folder(folder / "register") is not None) == looks_like_git


@pytest.mark.parametrize("payload", range(4))
def test_a_crafted_pickle_in_a_repository_never_runs(tmp_path, names, payload):
    folder = repository(tmp_path / "repository")
    marker = tmp_path / "ran"
    plain = answers(folder, cached=False)
    assert plain[0][0] == 0
    cache = folder / ".git" / "complaints-cache"
    plant(cache, names, crafted(marker)[payload])
    assert answers(folder) == plain  # the crafted files are ignored, and replaced
    kept = [n for n in names if (cache / n).read_bytes() == crafted(marker)[payload]]
    # Every file but the blob IDs is replaced. Those are kept only of files written more
    # than a few seconds before (store.cache): on a busy machine the files have aged by
    # then, so the crafted blobs.pickle may be replaced as well, or not.
    assert kept in ([], ["blobs.pickle"])
    assert answers(folder) == plain  # by files of the cache's own, read back
    assert not marker.exists()


def test_a_crafted_pickle_never_runs_in_the_installed_command(tmp_path, names):
    folder = repository(tmp_path / "repository")
    marker = tmp_path / "ran"
    plant(folder / ".git" / "complaints-cache", names, crafted(marker)[1])
    result = installed("check", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_the_key_is_the_user_s_own_and_signs_every_cache_file(tmp_path, own_key):
    from complaints_register.store.cache import key_file

    folder = repository(tmp_path / "repository")
    answers(folder)
    key = key_file()
    assert key == own_key / "complaints-register" / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    files = [p for p in cache_folder(folder / "register").rglob("*") if p.is_file()]
    assert files
    for path in files:
        raw = path.read_bytes()
        assert hmac.digest(key.read_bytes(), raw[:-32], "sha256") == raw[-32:], path


@pytest.mark.parametrize("bad", ["link", "readable by others", "short"])
def test_a_key_that_is_not_the_user_s_alone_is_replaced(tmp_path, own_key, bad):
    key = own_key / "complaints-register" / "key"
    key.parent.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"s" * 32)
    if bad == "link":
        key.symlink_to(elsewhere)
    else:
        key.write_bytes(b"s" * (32 if bad == "readable by others" else 5))
        key.chmod(0o644)
    folder = repository(tmp_path / "repository")
    plain = answers(folder, cached=False)
    assert answers(folder) == plain
    assert answers(folder) == plain
    assert not key.is_symlink() and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_bytes() != b"s" * 32 and elsewhere.read_bytes() == b"s" * 32
    assert (cache_folder(folder / "register") / "check.pickle").exists()


def test_without_a_key_nothing_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a file"))
    (tmp_path / "a file").write_text("not a folder")
    folder = repository(tmp_path / "repository")
    assert cache_folder(folder / "register") is None
    assert answers(folder) == answers(folder, cached=False)
    assert not (folder / ".git" / "complaints-cache").exists()


def test_a_linked_worktree_keeps_its_cache_in_its_own_git_folder(tmp_path):
    from complaints_register.store.cache import is_git_folder

    main = repository(tmp_path / "main")
    git(main, "worktree", "add", "-q", str(tmp_path / "other"), "-b", "other")
    other = tmp_path / "other"
    git_dir = main / ".git" / "worktrees" / "other"
    assert is_git_folder(git_dir)
    assert cache_folder(other / "register") == git_dir / "complaints-cache"
    plain = answers(other, cached=False)
    assert answers(other) == plain and answers(other) == plain
    assert (git_dir / "complaints-cache" / "check.pickle").exists()


def test_a_cache_folder_that_is_a_symbolic_link_is_not_used(tmp_path):
    folder = repository(tmp_path / "repository")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / ".git" / "complaints-cache").symlink_to(elsewhere)
    assert cache_folder(folder / "register") is None
    assert answers(folder) == answers(folder, cached=False)
    assert list(elsewhere.iterdir()) == []


def test_pruning_deletes_only_the_cache_s_own_files_and_follows_no_link(tmp_path, monkeypatch):
    # Two results kept instead of eight: pruning works alike for any number, and each date
    # past it is one more run of `list` and of `stats` that proves nothing more.
    monkeypatch.setattr(Cache, "KEPT_ALL", 2)
    folder = repository(tmp_path / "repository")
    precious = tmp_path / "precious"
    precious.mkdir()
    for n in range(Cache.KEPT_ALL + 4):
        (precious / f"notes-{n}.txt").write_text("mine")
    cache = folder / ".git" / "complaints-cache"
    cache.mkdir()
    (cache / "chosen-all").symlink_to(precious)  # whole-register results of `list`
    (cache / "statistics-all").mkdir()
    (cache / "statistics-all" / "README").write_text("not the cache's")
    runner = CliRunner()
    for day in range(1, Cache.KEPT_ALL + 4):
        for command in ("list", "stats"):
            as_of = f"2026-06-{day:02d}"
            result = runner.invoke(
                cli, ["--register", str(folder / "register"), command, "--as-of", as_of]
            )
            assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in precious.iterdir()) == sorted(
        f"notes-{n}.txt" for n in range(Cache.KEPT_ALL + 4)
    )
    kept = sorted(p.name for p in (cache / "statistics-all").iterdir())
    assert "README" in kept and len(kept) == Cache.KEPT_ALL + 1


def test_a_cache_file_that_is_a_fifo_or_a_link_is_not_read(tmp_path):
    folder = repository(tmp_path / "repository")
    cache = folder / ".git" / "complaints-cache"
    cache.mkdir()
    os.mkfifo(cache / "check.pickle")  # opening it to read would wait for a writer
    (cache / "policy.pickle").symlink_to("/dev/zero")  # reading it would never end
    result = installed("check", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO((cache / "check.pickle").lstat().st_mode) is False  # replaced
    shutil.rmtree(cache)
