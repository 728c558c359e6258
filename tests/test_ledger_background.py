"""`check --base` starts Git's diff with the working tree before the files are checked and
reads it after: the diff must say what the ledger would have said, a failing diff must be a
clear error, and a diff never read must not leave a `git` process behind."""

import os

import pytest
from test_ledger import ID, RECORDED, GitRegister

from complaints_register.store.ledger import compare_with, comparing
from complaints_register.store.register import Register
from complaints_register.store.repository import LedgerError, diff_started, open_repository


@pytest.fixture
def repo(tmp_path) -> GitRegister:
    repo = GitRegister(tmp_path / "top")
    repo.write(RECORDED)
    repo.commit(f"Record {ID}")
    return repo


def _children() -> set[int]:
    """The IDs of this process's children (from /proc)."""
    me, found = str(os.getpid()), set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == me:  # after the name: state, then the parent's ID
            found.add(int(entry))
    return found


def test_the_comparison_in_two_parts_finds_what_the_ledger_finds(repo):
    repo.path(ID).unlink()
    with comparing(Register(repo.root), "main") as compared:
        comparison = compared()
    assert comparison.files == 1
    assert [p.message.split(" since ")[0] for p in comparison.problems] == ["deleted"]
    assert comparison.problems == compare_with(Register(repo.root), "main").problems


def test_a_mistyped_base_is_told_before_anything_else(repo):
    with pytest.raises(LedgerError, match="'mian' is not a branch, tag or commit"):
        with comparing(Register(repo.root), "mian"):
            raise AssertionError("never reached: the merge base is found first")


def test_a_diff_that_fails_is_a_clear_error(repo):
    with pytest.raises(LedgerError, match=r"^git diff failed: .*bad revision"):
        with open_repository(repo.root) as handle:
            with diff_started(handle, "0123456789abcdef", None, "register") as changes:
                changes()


def test_a_diff_never_read_leaves_no_git_process(repo, tmp_path, monkeypatch):
    import git

    # A `git` whose diff would run for a minute: leaving without reading it must end it.
    slow = tmp_path / "git"
    slow.write_text('#!/bin/sh\ncase "$1" in diff) exec sleep 60;; esac\nexec git "$@"\n')
    slow.chmod(0o755)
    monkeypatch.setattr(git.Git, "GIT_PYTHON_GIT_EXECUTABLE", str(slow))
    before = _children()
    with pytest.raises(KeyError):
        with comparing(Register(repo.root), "main"):
            assert _children() - before  # the diff is running
            raise KeyError("the check failed before the diff was read")
    assert _children() - before == set()
