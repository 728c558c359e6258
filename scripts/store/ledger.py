"""Git as the ledger: what may change in the register once a complaint is recorded.

DESIGN.md section 4, "Append-only": a complaint file on the main branch is never deleted or
renamed; its `id`, `received` and `channel` never change; an event, once recorded, is never
changed, removed or reordered. An improvement action file is held to the same kind of rules
(DESIGN.md section 9): never deleted or renamed; its `id`, `opened` and `complaints` never
change; its `done` date, once set, is never moved or removed. `compare_with(register, ref)`
holds the working tree to that against the merge base of REF and HEAD, reading only the
files the diff between them touches, so its time grows with the change and not with the
register.

A merge must also keep what each side recorded: when two branches appended events to the
same complaint, the person resolving the conflict keeps both sides' events (see
`merge_kept_side`). Merges being made (MERGE_HEAD) and merges committed since the base are
both held to it, and a merge that loses a complaint or action file of one side is refused.

The comparison of two versions of one complaint or action is pure and lives in
`complaints_register.core.ledger_rules`; this module is the Git side: what changed, and the versions to compare.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from complaints_register.core.ledger_rules import (
    Finding,
    Version,
    action_ledger_findings,
    field_changes,
    ledger_findings,
    merge_kept_side,
    policy_versions_kept,
)
from complaints_register.core.problems import Problem, ProblemsFound, where
from complaints_register.core.recorded import is_recorded_path, recorded_findings
from complaints_register.schema.action import is_action_id
from complaints_register.schema.ids import is_id
from complaints_register.schema.policy import Policy
from complaints_register.store.files import RegisterError, read_raw, shown
from complaints_register.store.register import POLICY_FILE, Register
from complaints_register.store.repository import (
    FILE_MODES,
    ZERO,
    Change,
    blob,
    diff,
    git_run,
    in_repository,
    is_ancestor,
    merge_base,
    merge_heads,
    mode_words,
    open_repository,
    revision,
    work_tree,
)
from complaints_register.store.yamlsafe import MAX_BYTES, Document, YamlError, parse

if TYPE_CHECKING:  # GitPython is imported when used: it refuses to load without Git
    from complaints_register.core.working_days import Calendar
    from complaints_register.store.repository import Repo


@dataclass
class Comparison:
    """What `compare_with` found: refusals (problems) and changes to list (notices)."""

    ref: str
    base: str
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def blob_data(repo: "Repo", sha: str) -> object:
    """The parsed contents of blob `sha`, or None when it is not plain YAML, too big, or no
    blob at all."""
    raw = blob(repo, sha, MAX_BYTES)
    if raw is None:
        return None
    try:
        return parse(raw).data
    except YamlError:
        return None


def working_document(path: Path) -> Document | None:
    """A file of the working tree parsed (with its lines), or None when it cannot be (a
    link or anything else that is not a regular file is never read)."""
    return _working(path)[0]


def _working(path: Path) -> tuple[Document | None, str | None]:
    """(the file parsed or None, why it cannot be read as a file, or None when it can)."""
    try:
        raw = read_raw(path)
    except FileNotFoundError:
        return None, None  # deleted: the change says so
    except OSError as error:
        return None, f"cannot read: {error.strerror}"
    try:
        return parse(raw), None
    except YamlError:
        return None, None  # validation says why


def _complaint_version(document: Document | None) -> dict[Any, Any] | None:
    return document.data if document is not None and isinstance(document.data, dict) else None


_YEAR = re.compile(r"[0-9]{4}")


def is_complaint_path(path: str, folder: str) -> bool:
    """Whether `path` (repository-relative) is `<folder>/YYYY/<ID>.yaml`."""
    parent = PurePosixPath(path).parent
    name = PurePosixPath(path).name
    return (
        parent.parent == PurePosixPath(folder)
        and _YEAR.fullmatch(parent.name) is not None
        and name.endswith(".yaml")
        and is_id(name[:-5])
    )


ACTION_FOLDER = "actions"
"""The folder of action files in the register (`store.action_files.FOLDER`, named again here
so that the ledger, which `history` loads, does not load what writing actions needs)."""


def is_action_path(path: str, folder: str) -> bool:
    """Whether `path` (repository-relative) is `<folder>/actions/<ID>.yaml`."""
    name = PurePosixPath(path).name
    return (
        PurePosixPath(path).parent == PurePosixPath(folder) / ACTION_FOLDER
        and name.endswith(".yaml")
        and is_action_id(name[:-5])
    )


def ledger_kind(path: str, folder: str) -> str | None:
    """`complaint`, `action` or `statistics` (a published period, `store.recorded`) for a
    file the ledger holds to its rules, else None."""
    if is_complaint_path(path, folder):
        return "complaint"
    if is_recorded_path(path, folder):
        return "statistics"
    return "action" if is_action_path(path, folder) else None


_FINDINGS: dict[str, Callable[[Version, Version], Iterator[Finding]]] = {
    "complaint": ledger_findings,
    "action": action_ledger_findings,
    "statistics": recorded_findings,
}
_STAYS = {
    "complaint": "a complaint that ends is closed or withdrawn, and stays",
    "action": "an action that will not be done stays, with a note saying why",
    "statistics": "a period's statistics, once published, are published for good",
}


def is_policy_path(path: str, folder: str) -> bool:
    return PurePosixPath(path) == PurePosixPath(folder) / POLICY_FILE


def compare_with(register: Register, ref: str) -> Comparison:
    """Hold the working tree to the append-only rules against the merge base of REF and HEAD."""
    register.require()
    with open_repository(register.root) as repo:
        base = merge_base(repo, ref)
        folder = in_repository(repo, register.root)
        top = work_tree(repo)
        since = f"since {base[:7]}, where HEAD and {ref} meet"
        comparison = Comparison(ref, base[:7])
        recording: list[Recording] = []  # worked out once, for the first complaint changed
        for change in diff(repo, base, None, folder):
            comparison.files += 1
            refused = _not_a_file(top, change, since)
            if refused is not None:
                comparison.problems.append(refused)
                continue  # never read through a link, or from another repository
            _compare_change(repo, top, folder, change, since, comparison)
            if change.status != "D" and ledger_kind(change.path, folder) == "complaint":
                if not recording:
                    recording.append(_recording(register))
                comparison.problems += _late_entry_problems(
                    repo, top / change.path, change, since, recording[0]
                )
            if is_policy_path(change.path, folder):
                comparison.problems += _policy_problems(
                    register, repo, top / change.path, change.old_sha, since
                )
        for merge, parents in merges_since(repo, base):
            comparison.problems += merge_problems(repo, top, folder, merge, parents, base)
        return comparison


Recording = tuple[Policy, "Calendar", date] | None
"""The policy, its calendar and today, by which appended events are held; None when the
policy is invalid (`complaints check` says why)."""


def _recording(register: Register) -> Recording:
    try:
        policy = register.policy()
    except (ProblemsFound, RegisterError):
        return None
    calendar = register.calendar(policy)  # from the cache: building one loads `holidays`
    return policy, calendar, calendar.today()


def _late_entry_problems(
    repo: "Repo", path: Path, change: Change, since: str, recording: Recording
) -> list[Problem]:
    """The events a change appends to a complaint (every event of a new file) are recorded
    today: one dated long ago, or before the latest event already recorded, must say why it
    is recorded late (DESIGN.md section 4, "Late entries")."""
    from complaints_register.core.rules import late_entries_appended

    old = blob_data(repo, change.old_sha) if change.status != "A" else None
    document = working_document(path)
    new = _complaint_version(document)
    if recording is None or new is None or not (old is None or isinstance(old, dict)):
        return []  # what cannot be read is validation's to explain
    assert document is not None  # `new` came from it
    policy, calendar, today = recording
    return [
        Problem(shown(path), document.line_of(key_path), where(key_path), f"{message} ({since})")
        for key_path, message in late_entries_appended(old, new, policy, calendar, today)
    ]


def _not_a_file(top: Path, change: Change, since: str) -> Problem | None:
    """A change that puts something other than a regular file under the register (a link,
    a gitlink), or changes what kind of entry a path is, refused; None for any other."""
    old, new = change.old_mode, change.new_mode
    if change.status == "T":
        what, fix = f"changed from {mode_words(old)} to {mode_words(new)}", "put the file back"
    elif new not in FILE_MODES and new != ZERO_MODE:
        done = "added" if change.status == "A" else "changed"
        what, fix = f"{mode_words(new)}, {done}", "put the file itself here, or remove it"
    else:
        return None
    return Problem(
        shown(top / change.path),
        0,
        "",
        f"{what} {since}: the register holds plain files only, never links or"
        f" submodules, and a file stays a file ({fix})",
    )


ZERO_MODE = "000000"


def _compare_change(
    repo: "Repo", top: Path, folder: str, change: Change, since: str, comparison: Comparison
) -> None:
    kind = ledger_kind(change.old_path, folder)
    if is_policy_path(change.path, folder):
        comparison.notices.append(_policy_notice(repo, top, change, since))
    elif change.status == "A" and ledger_kind(change.path, folder) == "statistics":
        from complaints_register.store.recorded import not_as_published

        comparison.problems += [
            replace(problem, message=f"{problem.message} ({since})")
            for problem in not_as_published(Register(top / folder), top / change.path)
        ]
    elif change.status == "A" or kind is None:
        return  # new files are validation's to check; other files are not the ledger's
    elif change.status == "D":
        comparison.problems.append(
            Problem(
                shown(top / change.old_path),
                0,
                "",
                f"deleted {since}: a recorded {kind} file is never deleted ({_STAYS[kind]})",
            )
        )
    else:
        if change.status == "R":
            comparison.problems.append(
                Problem(
                    shown(top / change.old_path),
                    0,
                    "",
                    (f"renamed to {change.path} {since}: a recorded {kind} file keeps its name"),
                )
            )
        comparison.problems += _version_problems(
            repo, top / change.path, change.old_sha, since, _FINDINGS[kind]
        )


def _version_problems(
    repo: "Repo",
    path: Path,
    old_sha: str,
    since: str,
    findings: Callable[[Version, Version], Iterator[Finding]],
) -> list[Problem]:
    old = blob_data(repo, old_sha)
    document, unreadable = _working(path)
    if unreadable is not None:  # a FIFO, a folder...: never read, and refused
        return [Problem(shown(path), 0, "", f"{unreadable} ({since})")]
    new = _complaint_version(document)
    if not isinstance(old, dict) or new is None:
        return []  # a version that is not a mapping at all: validation says why
    assert document is not None  # `new` came from it
    return [
        Problem(shown(path), document.line_of(key_path), where(key_path), f"{message} ({since})")
        for key_path, message in findings(old, new)
    ]


def _policy_problems(
    register: Register, repo: "Repo", path: Path, old_sha: str, since: str
) -> list[Problem]:
    """What a change to policy.yaml may not do: change the targets a complaint's clock
    started under, or add a version from a day already gone."""
    # Imported here: `history` imports this module and needs none of them.
    from pydantic import ValidationError

    from complaints_register.core.working_days import calendar_for
    from complaints_register.store.action_files import load_actions
    from complaints_register.store.overview import all_facts

    old_data = blob_data(repo, old_sha) if old_sha != ZERO else None
    document = working_document(path)
    if not isinstance(old_data, dict) or document is None:
        return []  # a new policy, or one that is not YAML: validation says why
    try:
        old, new = Policy.model_validate(old_data), Policy.model_validate(document.data)
    except ValidationError:
        return []  # an invalid version: `complaints check` says why
    calendar = calendar_for(new)
    today = calendar.today()
    facts, _ = all_facts(register, new, calendar, today)
    actions, _ = load_actions(register)
    starts = [stage.started for f in facts for stage in f.stages]
    starts += [action.opened for action in actions]
    return [
        Problem(shown(path), document.line_of(key_path), where(key_path), f"{message} ({since})")
        for key_path, message in policy_versions_kept(old, new, starts, today)
    ]


def _policy_notice(repo: "Repo", top: Path, change: Change, since: str) -> Problem:
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


def merges_since(repo: "Repo", base: str) -> list[tuple[str | None, list[str]]]:
    """Each merge since `base` as (commit, parents), and the merge in progress as
    (None, [HEAD, MERGE_HEAD...]), whose result is the working tree."""
    merges: list[tuple[str | None, list[str]]] = []
    for line in git_run(repo, "rev-list", "--merges", "--parents", f"{base}..HEAD").splitlines():
        commit, *parents = line.split()
        merges.append((commit, parents))
    if merge_heads(repo):
        head = git_run(repo, "rev-parse", "HEAD").strip()
        merges.append((None, [head, *merge_heads(repo)]))
    return merges


def merge_problems(
    repo: "Repo", top: Path, folder: str, merge: str | None, parents: list[str], base: str
) -> list[Problem]:
    """What a merge (None: the one in progress) lost of what one of its sides recorded: a
    complaint or action file, or a complaint's events. Sides already in `base` are left to
    the stricter comparison with the base."""
    versions: dict[str, dict[str, Change]] = {}  # path -> parent -> how the merge differs
    for parent in parents:
        for change in diff(repo, parent, merge, folder, renames=False):
            kind = ledger_kind(change.path, folder)
            if (kind == "complaint" and change.status in "MTDU") or (
                kind == "action" and change.status == "D"
            ):
                versions.setdefault(change.path, {})[parent] = change
    checked = [p for p in parents if not is_ancestor(repo, p, base)]
    label = "the merge in progress" if merge is None else f"merge {merge[:7]}"
    problems = []
    for path, changes in sorted(versions.items()):
        kind = ledger_kind(path, folder)
        document, merged = _merged_version(repo, top, path, merge)
        sides = {
            p: blob_data(repo, changes[p].old_sha) if p in changes else merged for p in parents
        }
        for parent in (p for p in checked if p in changes):
            side = sides[parent]
            if changes[parent].status == "D":
                problems.append(
                    Problem(
                        shown(top / path),
                        0,
                        "",
                        (
                            f"{label} lost this {kind} file, recorded on side {parent[:7]}:"
                            f" keep both sides' {kind}s"
                        ),
                    )
                )
            elif kind == "complaint" and isinstance(side, dict) and merged is not None:
                others = [v for p, v in sides.items() if p != parent and isinstance(v, dict)]
                problems += [
                    Problem(
                        shown(top / path),
                        document.line_of(key_path) if document else 0,
                        where(key_path),
                        f"{label}, side {parent[:7]}: {message}",
                    )
                    for key_path, message in merge_kept_side(side, others, merged)
                ]
    return problems


def _merged_version(
    repo: "Repo", top: Path, path: str, merge: str | None
) -> tuple[Document | None, dict[Any, Any] | None]:
    """(document or None, data or None) of `path` as the merge left it."""
    if merge is None:
        document = working_document(top / path)
        return document, _complaint_version(document)
    sha = revision(repo, f"{merge}:{path}")
    if sha is None:
        return None, None
    data = blob_data(repo, sha)
    return None, data if isinstance(data, dict) else None
