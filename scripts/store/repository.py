"""The one place this program reaches Git: GitPython for the repository, and the `git`
command through it. Everything else asks these functions (the ledger, the history, the key
folder's safety check, the cache's location, who is logging).

GitPython is imported when first used: it refuses to load where there is no Git, and most
commands need no Git at all.
"""

import base64
import getpass
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from complaints_register.core.people import Roster, handle_of
from complaints_register.store.files import RegisterError, shown

if TYPE_CHECKING:
    from git import Repo as Repo  # re-exported: the other modules name the type through here


class LedgerError(RegisterError):
    """Git cannot answer: no Git, no repository, no commits, or history too shallow."""


class UnknownRef(LedgerError):
    """REF names no commit in the repository."""


ZERO = "0" * 40


@dataclass(frozen=True)
class Change:
    """One line of `git diff --raw`: a file that differs between two trees."""

    status: str  # A added, D deleted, M modified, R renamed, T type changed, U unmerged
    path: str  # relative to the repository's top, the new path for a rename
    old_path: str
    old_sha: str
    new_sha: str
    old_mode: str = "100644"  # Git's modes: 100644 file, 120000 link, 160000 gitlink...
    new_mode: str = "100644"  # ...and 000000 for no file (before an add, after a delete)


FILE_MODES = ("100644", "100755")
"""Git's modes of a regular file; 120000 is a symbolic link, 160000 a gitlink (a submodule's
commit), 000000 no file at all."""

MODE_WORDS = {
    "120000": "a symbolic link",
    "160000": "a gitlink (a submodule)",
    "040000": "a folder",
}


def mode_words(mode: str) -> str:
    """What a Git mode means, in words."""
    return "a file" if mode in FILE_MODES else MODE_WORDS.get(mode, f"an entry of mode {mode}")


@contextmanager
def open_repository(folder: Path) -> Iterator["Repo"]:
    """The Git repository holding `folder` (GitPython's `Repo`), or LedgerError saying why
    not; a Git command failing unexpectedly inside becomes LedgerError with Git's message."""
    try:
        import git
    except ImportError:  # GitPython refuses to load when there is no git executable
        raise LedgerError(
            "Git is not installed (or not on PATH): `check --base` and `history`"
            " need it (`complaints check` without --base does not)"
        ) from None
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise LedgerError(
            f"{shown(folder)} is not in a Git repository: run this in a clone of the"
            " register's repository (`complaints check` without --base needs no Git)"
        ) from None
    if repo.bare:
        repo.close()
        raise LedgerError(
            f"{shown(folder)} is in a bare Git repository: use a clone with a working tree"
        )
    try:
        yield repo
    except git.GitCommandError as error:
        command, _, stderr = error.args[:3]
        said = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else str(stderr)
        raise LedgerError(
            f"git {command[1] if len(command) > 1 else ''} failed: {' '.join(said.split())}"
        ) from None
    finally:
        repo.close()


def git_run(repo: "Repo", *args: str) -> str:
    """`git args...` in `repo`: its output, or GitCommandError with Git's own message."""
    import git

    try:
        return repo.git.execute(
            [git.Git.GIT_PYTHON_GIT_EXECUTABLE, *args], strip_newline_in_stdout=False
        )
    except git.GitCommandNotFound:
        raise LedgerError("Git is not installed (or not on PATH)") from None


def work_tree(repo: "Repo") -> Path:
    """The top of the working tree of a repository `open_repository` opened."""
    assert repo.working_tree_dir is not None  # open_repository refuses a bare repository
    return Path(repo.working_tree_dir)


def in_repository(repo: "Repo", path: Path) -> str:
    """`path` as Git names it: relative to the top of the working tree, with `/`."""
    top = work_tree(repo).resolve()
    try:
        return PurePosixPath(path.resolve().relative_to(top)).as_posix()
    except ValueError:
        raise LedgerError(f"{shown(path)} is outside the Git working tree {top}") from None


def commit_of(repo: "Repo", ref: str) -> str:
    """The full commit ID `ref` names, or UnknownRef."""
    import git

    try:
        return git_run(
            repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        ).strip()
    except git.GitCommandError:
        hint = (
            " This clone is shallow: fetch more history (git fetch --unshallow)."
            if is_shallow(repo)
            else ""
        )
        raise UnknownRef(
            f"{ref!r} is not a branch, tag or commit in this repository. If it is a"
            f" branch of the remote, fetch it first (git fetch origin main) and name"
            f" it as origin/main.{hint}"
        ) from None


def is_shallow(repo: "Repo") -> bool:
    return git_run(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def merge_heads(repo: "Repo") -> list[str]:
    """The commits being merged into HEAD while a merge is in progress (none otherwise)."""
    path = Path(repo.git_dir) / "MERGE_HEAD"
    return path.read_text().split() if path.is_file() else []


def merge_base(repo: "Repo", ref: str) -> str:
    """Where HEAD (with any merge in progress) and REF meet; LedgerError when they do not."""
    import git

    try:
        head = git_run(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip()
    except git.GitCommandError:
        raise LedgerError(
            "this repository has no commits yet: there is no history to compare"
            " with (commit first, or leave out --base)"
        ) from None
    target = commit_of(repo, ref)
    try:
        # With a merge in progress, git merge-base REF HEAD MERGE_HEAD works out the base
        # with the merge commit about to be made.
        return git_run(repo, "merge-base", target, head, *merge_heads(repo)).split()[0]
    except git.GitCommandError:
        if is_shallow(repo):
            raise LedgerError(
                f"this clone is too shallow to find where HEAD and {ref} meet:"
                " fetch more history (git fetch --unshallow, or git fetch"
                " --deepen=100; in GitHub Actions, actions/checkout with"
                " fetch-depth: 0)"
            ) from None
        raise LedgerError(f"HEAD and {ref} share no history: nothing to compare with") from None


def diff(
    repo: "Repo", old: str, new: str | None, folder: str, renames: bool = True
) -> list[Change]:
    """The files under `folder` that differ between commit `old` and commit `new` (the
    working tree when None): `git diff --raw`, which reads no file's contents."""
    args = [
        "diff",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-ext-diff",
        # Not the bare flag (=all), which hides a gitlink added in place of a file: only
        # what is uncommitted inside a submodule is no concern of the register's.
        "--ignore-submodules=dirty",
        "--find-renames" if renames else "--no-renames",
        old,
        *([new] if new else []),
        "--",
        folder,
    ]
    return parse_raw(git_run(repo, *args))


def parse_raw(output: str) -> list[Change]:
    """`git diff --raw -z` output as Changes."""
    fields = output.split("\0")
    changes = []
    position = 0
    while position < len(fields) and fields[position].startswith(":"):
        old_mode, new_mode, old_sha, new_sha, status = fields[position][1:].split(" ")
        kind = status[0]
        if kind in "RC":
            old_path, path = fields[position + 1], fields[position + 2]
            position += 3
        else:
            old_path = path = fields[position + 1]
            position += 2
        changes.append(Change(kind, path, old_path, old_sha, new_sha, old_mode, new_mode))
    return changes


def is_ancestor(repo: "Repo", commit: str, base: str) -> bool:
    import git

    try:
        git_run(repo, "merge-base", "--is-ancestor", commit, base)
        return True
    except git.GitCommandError:
        return False


def revision(repo: "Repo", name: str) -> str | None:
    """The full ID of the object `name` names (`HEAD^{commit}`, `HEAD:path`), None if none."""
    import git

    try:
        return git_run(repo, "rev-parse", "--verify", "--quiet", name).strip()
    except git.GitCommandError:
        return None


def has_commits(repo: "Repo") -> bool:
    return revision(repo, "HEAD^{commit}") is not None


def full_id(repo: "Repo", sha: str) -> str:
    """The full object ID of an abbreviated one (as `git log --raw` prints them)."""
    return repo.odb.partial_to_complete_sha_hex(sha).hex()


def is_changed(repo: "Repo", name: str) -> bool:
    """Whether the working tree or the index has changes to the file `name` not committed."""
    return bool(git_run(repo, "status", "--porcelain", "--", name).strip())


def blob(repo: "Repo", sha: str, limit: int) -> bytes | None:
    """The bytes of blob `sha`; None when it holds more than `limit` bytes, or is no blob at
    all (Git's all-zero ID, as for a file with a conflict not yet resolved)."""
    if not sha.strip("0"):
        return None
    try:
        stream = repo.odb.stream(bytes.fromhex(sha))
    except ValueError:  # no such object here (a gitlink names another repository's commit)
        return None
    if stream.type != b"blob" or stream.size > limit:
        return None
    data: bytes = stream.read()
    return data


def repository_top(folder: Path) -> Path | None:
    """The top of the Git repository `folder` is (or would be, once made) in, if any."""
    existing = folder
    while not existing.exists():
        existing = existing.parent
    try:
        import git
    except ImportError:  # no Git installed: nothing can commit the folder either
        return None
    try:
        repo = git.Repo(existing, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    return Path(repo.working_tree_dir or repo.git_dir)


def git_folder(folder: Path) -> Path | None:
    """The Git folder of the repository holding `folder` (following a worktree's or a
    submodule's `.git` file), or None. Read from the files, without starting Git or loading
    GitPython: every command asks it, for the cache."""
    folder = Path(folder).resolve()
    for candidate in (folder, *folder.parents):
        dot_git = candidate / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: .git names the real folder
            text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (candidate / text[len("gitdir:") :].strip()).resolve()
            return None
    return None


def _git_config(key: str) -> str:
    try:
        done = subprocess.run(["git", "config", key], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def current_user(staff: Roster) -> str:
    """Who is at the keyboard, for `--by` when it is not given. With a staff roster: the
    handle whose e-mail address is Git's user.email, else whose GitHub login is the one
    running the workflow ($GITHUB_ACTOR, in CI). Otherwise, or when none matches: Git's
    user.name, else the login name (a roster then says it is not a handle)."""
    if staff:
        for known in (_git_config("user.email"), os.environ.get("GITHUB_ACTOR", "")):
            handle = handle_of(known, staff) if known else None
            if handle is not None:
                return handle
    return _git_config("user.name") or getpass.getuser()


# Branches, commits and pushes, for the workflows that turn a form or a comment into a pull
# request (store.intake). The token reaches Git through the environment (an HTTP header in
# GIT_CONFIG_* variables), never through a command line or a file in the repository.


def _token_env(token: str | None) -> dict[str, str]:
    env = {"GIT_TERMINAL_PROMPT": "0"}
    if token:
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")
        env.update(
            GIT_CONFIG_COUNT="1",
            GIT_CONFIG_KEY_0="http.extraheader",
            GIT_CONFIG_VALUE_0=f"AUTHORIZATION: basic {basic}",
        )
    return env


def _remote_git(repo: "Repo", token: str | None, *args: str) -> str:
    import git

    try:
        return repo.git.execute(
            [git.Git.GIT_PYTHON_GIT_EXECUTABLE, *args],
            env=_token_env(token),
            strip_newline_in_stdout=False,
        )
    except git.GitCommandNotFound:
        raise LedgerError("Git is not installed (or not on PATH)") from None


def remote_has_branch(repo: "Repo", branch: str, token: str | None, remote: str = "origin") -> bool:
    """Whether `remote` has the branch `branch`."""
    found = _remote_git(repo, token, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    return bool(found.strip())


def fetch_branch(repo: "Repo", branch: str, token: str | None, remote: str = "origin") -> str:
    """Fetch `remote`'s branch `branch` as `<remote>/<branch>`; the name of that ref."""
    _remote_git(
        repo,
        token,
        "fetch",
        "--quiet",
        remote,
        f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}",
    )
    return f"{remote}/{branch}"


def current_branch(repo: "Repo") -> str:
    """The branch checked out (or the commit, when none is)."""
    name = git_run(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
    return name if name != "HEAD" else git_run(repo, "rev-parse", "HEAD").strip()


def switch(repo: "Repo", branch: str, start: str | None = None) -> None:
    """Check out `branch`; with `start`, (re)made to begin at `start` first. Files not yet
    committed come along."""
    if start is None:
        git_run(repo, "switch", "--quiet", branch)
    else:
        git_run(repo, "switch", "--quiet", "--force-create", branch, start)


def delete_branch(repo: "Repo", branch: str) -> None:
    git_run(repo, "branch", "--quiet", "--delete", "--force", branch)


def commit_as(
    repo: "Repo",
    paths: list[Path],
    message: str,
    author: tuple[str, str],
    committer: tuple[str, str],
) -> str:
    """Commit `paths` (and nothing else) with `message`, authored by `author` and committed
    by `committer` (each a name and an e-mail address); the new commit's ID."""
    names = [in_repository(repo, path) for path in paths]
    git_run(repo, "add", "--", *names)
    git_run(
        repo,
        "-c",
        f"user.name={committer[0]}",
        "-c",
        f"user.email={committer[1]}",
        "commit",
        "--quiet",
        "--no-verify",
        f"--author={author[0]} <{author[1]}>",
        "--message",
        message,
        "--",
        *names,
    )
    return git_run(repo, "rev-parse", "HEAD").strip()


def push(repo: "Repo", branch: str, token: str | None, remote: str = "origin") -> None:
    """Push HEAD to `remote`'s branch `branch` (a fast-forward only: never forced);
    LedgerError with Git's message when the remote will not take it."""
    import git

    try:
        _remote_git(repo, token, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
    except git.GitCommandError as error:
        said = error.args[2]
        said = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
        raise LedgerError(f"git push failed: {' '.join(said.split())}") from None
