"""Git as the ledger: what may change in the register once a complaint is recorded.

DESIGN.md section 4, "Append-only": a complaint file on the main branch is never deleted or
renamed; its `id`, `received` and `channel` never change; an event, once recorded, is never
changed, removed or reordered. `compare_with(register, ref)` holds the working tree to that
against the merge base of REF and HEAD, reading only the files the diff between them
touches, so its time grows with the change and not with the register.

A merge must also keep what each side recorded: when two branches appended events to the
same complaint, the person resolving the conflict keeps both sides' events (see
`merge_kept_side`). Merges being made (MERGE_HEAD) and merges committed since the base are
both held to it.

The comparison of two versions of one complaint is pure and lives in
`complaints_register.core.ledger_rules`; this module is the Git side: what changed, and the versions to compare.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from complaints_register.core.ledger_rules import field_changes, ledger_findings, merge_kept_side
from complaints_register.core.problems import Problem, where
from complaints_register.schema.ids import is_id
from complaints_register.store.register import POLICY_FILE, Register, RegisterError, shown
from complaints_register.store.yamlsafe import MAX_BYTES, Document, YamlError, parse


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


@dataclass
class Comparison:
    """What `compare_with` found: refusals (problems) and changes to list (notices)."""

    ref: str
    base: str
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


@contextmanager
def open_repository(folder: Path):
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


def git_run(repo, *args: str) -> str:
    """`git args...` in `repo`: its output, or GitCommandError with Git's own message."""
    import git

    try:
        return repo.git.execute(
            [git.Git.GIT_PYTHON_GIT_EXECUTABLE, *args], strip_newline_in_stdout=False
        )
    except git.GitCommandNotFound:
        raise LedgerError("Git is not installed (or not on PATH)") from None


def in_repository(repo, path: Path) -> str:
    """`path` as Git names it: relative to the top of the working tree, with `/`."""
    top = Path(repo.working_tree_dir).resolve()
    try:
        return PurePosixPath(path.resolve().relative_to(top)).as_posix()
    except ValueError:
        raise LedgerError(f"{shown(path)} is outside the Git working tree {top}") from None


def commit_of(repo, ref: str) -> str:
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


def is_shallow(repo) -> bool:
    return git_run(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def merge_heads(repo) -> list[str]:
    """The commits being merged into HEAD while a merge is in progress (none otherwise)."""
    path = Path(repo.git_dir) / "MERGE_HEAD"
    return path.read_text().split() if path.is_file() else []


def merge_base(repo, ref: str) -> str:
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


def diff(repo, old: str, new: str | None, folder: str, renames: bool = True) -> list[Change]:
    """The files under `folder` that differ between commit `old` and commit `new` (the
    working tree when None): `git diff --raw`, which reads no file's contents."""
    args = [
        "diff",
        "--raw",
        "-z",
        "--no-abbrev",
        "--no-ext-diff",
        "--ignore-submodules",
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
        _, _, old_sha, new_sha, status = fields[position][1:].split(" ")
        kind = status[0]
        if kind in "RC":
            old_path, path = fields[position + 1], fields[position + 2]
            position += 3
        else:
            old_path = path = fields[position + 1]
            position += 2
        changes.append(Change(kind, path, old_path, old_sha, new_sha))
    return changes


def blob_data(repo, sha: str) -> object:
    """The parsed contents of blob `sha`, or None when it is not plain YAML, too big, or no
    blob at all (Git's all-zero ID, as for a file with a conflict not yet resolved)."""
    if not sha.strip("0"):
        return None
    stream = repo.odb.stream(bytes.fromhex(sha))
    if stream.size > MAX_BYTES:
        return None
    try:
        return parse(stream.read()).data
    except YamlError:
        return None


def working_document(path: Path) -> Document | None:
    """A file of the working tree parsed (with its lines), or None when it cannot be."""
    try:
        with open(path, "rb") as handle:
            return parse(handle.read(MAX_BYTES + 1))
    except (OSError, YamlError):
        return None


def _complaint_version(document: Document | None) -> dict | None:
    return document.data if document is not None and isinstance(document.data, dict) else None


_YEAR = re.compile(r"^\d{4}$")


def is_complaint_path(path: str, folder: str) -> bool:
    """Whether `path` (repository-relative) is `<folder>/YYYY/<ID>.yaml`."""
    parent = PurePosixPath(path).parent
    name = PurePosixPath(path).name
    return (
        parent.parent == PurePosixPath(folder)
        and _YEAR.match(parent.name) is not None
        and name.endswith(".yaml")
        and is_id(name[:-5])
    )


def is_policy_path(path: str, folder: str) -> bool:
    return PurePosixPath(path) == PurePosixPath(folder) / POLICY_FILE


def compare_with(register: Register, ref: str) -> Comparison:
    """Hold the working tree to the append-only rules against the merge base of REF and HEAD."""
    register.require()
    with open_repository(register.root) as repo:
        base = merge_base(repo, ref)
        folder = in_repository(repo, register.root)
        top = Path(repo.working_tree_dir)
        since = f"since {base[:7]}, where HEAD and {ref} meet"
        comparison = Comparison(ref, base[:7])
        for change in diff(repo, base, None, folder):
            comparison.files += 1
            _compare_change(repo, top, folder, change, since, comparison)
        for merge, parents in merges_since(repo, base):
            comparison.problems += merge_problems(repo, top, folder, merge, parents, base)
        return comparison


def _compare_change(
    repo, top: Path, folder: str, change: Change, since: str, comparison: Comparison
) -> None:
    if is_policy_path(change.path, folder):
        comparison.notices.append(_policy_notice(repo, top, change, since))
    elif change.status == "A" or not is_complaint_path(change.old_path, folder):
        return  # new files are validation's to check; other files are not the ledger's
    elif change.status == "D":
        comparison.problems.append(
            Problem(
                shown(top / change.old_path),
                0,
                "",
                (
                    f"deleted {since}: a recorded complaint file is never deleted (a complaint that"
                    " ends is closed or withdrawn, and stays)"
                ),
            )
        )
    else:
        if change.status == "R":
            comparison.problems.append(
                Problem(
                    shown(top / change.old_path),
                    0,
                    "",
                    (f"renamed to {change.path} {since}: a recorded complaint file keeps its name"),
                )
            )
        comparison.problems += _version_problems(repo, top / change.path, change.old_sha, since)


def _version_problems(repo, path: Path, old_sha: str, since: str) -> list[Problem]:
    old = blob_data(repo, old_sha)
    document = working_document(path)
    new = _complaint_version(document)
    if not isinstance(old, dict) or new is None:
        return []  # a version that is not a complaint at all: validation says why
    return [
        Problem(shown(path), document.line_of(key_path), where(key_path), f"{message} ({since})")
        for key_path, message in ledger_findings(old, new)
    ]


def _policy_notice(repo, top: Path, change: Change, since: str) -> Problem:
    old = blob_data(repo, change.old_sha) if change.old_sha != ZERO else None
    new = _complaint_version(working_document(top / change.path))
    keys = [key for key, _, _ in field_changes(old, new)] if isinstance(old, dict) and new else []
    what = f" ({', '.join(keys)})" if keys else ""
    return Problem(
        shown(top / change.path),
        0,
        "",
        f"changed {since}{what}: the published"
        " policy and every complaint's deadlines follow this file; review it with care",
    )


def merges_since(repo, base: str) -> list[tuple[str | None, list[str]]]:
    """Each merge since `base` as (commit, parents), and the merge in progress as
    (None, [HEAD, MERGE_HEAD...]), whose result is the working tree."""
    merges = []
    for line in git_run(repo, "rev-list", "--merges", "--parents", f"{base}..HEAD").splitlines():
        commit, *parents = line.split()
        merges.append((commit, parents))
    if merge_heads(repo):
        head = git_run(repo, "rev-parse", "HEAD").strip()
        merges.append((None, [head, *merge_heads(repo)]))
    return merges


def merge_problems(
    repo, top: Path, folder: str, merge: str | None, parents: list[str], base: str
) -> list[Problem]:
    """What a merge (None: the one in progress) lost of what one of its sides recorded.
    Sides already in `base` are left to the stricter comparison with the base."""
    versions: dict[str, dict[str, Change]] = {}  # path -> parent -> how the merge differs
    for parent in parents:
        for change in diff(repo, parent, merge, folder, renames=False):
            if change.status in "MTDU" and is_complaint_path(change.path, folder):
                versions.setdefault(change.path, {})[parent] = change
    checked = [p for p in parents if not _is_ancestor(repo, p, base)]
    label = "the merge in progress" if merge is None else f"merge {merge[:7]}"
    problems = []
    for path, changes in sorted(versions.items()):
        document, merged = _merged_version(repo, top, path, merge)
        sides = {
            p: blob_data(repo, changes[p].old_sha) if p in changes else merged for p in parents
        }
        for parent in (p for p in checked if p in changes):
            if changes[parent].status == "D":
                problems.append(
                    Problem(
                        shown(top / path),
                        0,
                        "",
                        (
                            f"{label} lost this complaint file, recorded on side {parent[:7]}:"
                            " keep both sides' complaints"
                        ),
                    )
                )
            elif isinstance(sides[parent], dict) and merged is not None:
                others = [v for p, v in sides.items() if p != parent and isinstance(v, dict)]
                problems += [
                    Problem(
                        shown(top / path),
                        document.line_of(key_path) if document else 0,
                        where(key_path),
                        f"{label}, side {parent[:7]}: {message}",
                    )
                    for key_path, message in merge_kept_side(sides[parent], others, merged)
                ]
    return problems


def _is_ancestor(repo, commit: str, base: str) -> bool:
    import git

    try:
        git_run(repo, "merge-base", "--is-ancestor", commit, base)
        return True
    except git.GitCommandError:
        return False


def _merged_version(repo, top: Path, path: str, merge: str | None):
    """(document or None, data or None) of `path` as the merge left it."""
    if merge is None:
        document = working_document(top / path)
        return document, _complaint_version(document)
    import git

    try:
        sha = git_run(repo, "rev-parse", "--verify", "--quiet", f"{merge}:{path}").strip()
    except git.GitCommandError:
        return None, None
    data = blob_data(repo, sha)
    return None, data if isinstance(data, dict) else None
