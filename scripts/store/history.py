"""A complaint's audit trail, from Git: every commit that changed its file, oldest first,
and what it changed, in words.

One `git log` over the complaint's one path (never --follow: complaint files are never
renamed) lists the commits and the blobs before and after each, and only those blobs are
read, so a register with thousands of commits answers in a moment. A merge is described
against its first parent: what it brought into the branch it was made on.

What changed between two parsed versions is pure (`changes_between`), built on the
comparisons in `complaints_register.core.ledger_rules`.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from complaints_register.core.ledger_rules import (
    EventChange,
    Version,
    as_words,
    event_changes,
    event_field_changes,
    event_label,
    event_type,
    events_of,
    field_changes,
    fingerprint,
)
from complaints_register.core.problems import terminal_safe
from complaints_register.schema.events import shown_fields
from complaints_register.store.ledger import blob_data, working_document
from complaints_register.store.repository import (
    LedgerError,
    full_id,
    git_run,
    has_commits,
    in_repository,
    is_changed,
    open_repository,
    revision,
)

if TYPE_CHECKING:  # GitPython is imported when used: it refuses to load without Git
    from complaints_register.store.repository import Repo


@dataclass(frozen=True)
class Change:
    """One thing a commit did to a complaint: `kind` (created, deleted, unreadable, field,
    appended, retracted, changed, removed, moved, inserted) and the same in words."""

    kind: str
    text: str


@dataclass
class Entry:
    """One commit in a complaint's history; `commit` is None for changes not committed yet."""

    commit: str | None
    short: str
    date: str
    author: str
    message: str
    changes: list[Change] = field(default_factory=list)


# --- What changed, in words (pure) -------------------------------------------------------


def appended(event: object, events: list[object]) -> Change:
    """An event added at the end, as people say it."""
    # Only a mapping can be a retraction: event_type gives "?" for anything else.
    if isinstance(event, dict) and event_type(event) == "retracted":
        return Change("retracted", _retraction(event, events))
    return Change("appended", f"appended {event_label(event)}{_details(event)}")


def _retraction(event: dict[str, object], events: list[object]) -> str:
    target = event.get("event")
    what = ""
    if type(target) is int and 0 <= target < len(events):  # an event's place (not a bool)
        what = f" ({event_type(events[target])})"
    by = f" by {event['by']}" if event.get("by") else ""
    return f"retracted event {target}{what}{by}: {as_words(event.get('reason'))}"


def _details(event: object) -> str:
    if not isinstance(event, dict):
        return ""
    parts = [f"at {as_words(event.get('at'))}"] if "at" in event else []
    parts += [
        f"{name} {as_words(event[name])}"
        for name in shown_fields(event_type(event))
        if event.get(name) not in (None, [])
    ]
    return f" ({'; '.join(parts)})" if parts else ""


def _event_change(change: EventChange, events: list[object]) -> Change:
    label = f"event {change.index} ({event_label(change.old)})"
    if change.kind == "appended":
        return appended(change.new, events)
    if change.kind == "changed":
        fields = "; ".join(
            f"{k}: {as_words(a)} → {as_words(b)}"
            for k, a, b in event_field_changes(change.old, change.new)
        )
        return Change("changed", f"changed {label}: {fields}")
    if change.kind == "removed":
        return Change("removed", f"removed {label}")
    if change.kind == "moved":
        return Change("moved", f"moved {label} to place {change.to}")
    return Change(
        "inserted",
        f"inserted {event_label(change.new)} as event {change.to}, before earlier events",
    )


def created(version: Version) -> list[Change]:
    first = Change(
        "created",
        f"created: received {as_words(version.get('received'))} by"
        f" {as_words(version.get('channel'))}, category"
        f" {as_words(version.get('category'))}",
    )
    events = events_of(version)
    return [first] + [appended(event, events) for event in events]


def changes_between(old: object, new: object) -> list[Change]:
    """What turned version `old` of a complaint into `new` (None: no file; any other
    non-mapping: a version that could not be read)."""
    if new is None:
        return [Change("deleted", "deleted")]
    if not isinstance(new, dict):
        return [Change("unreadable", "not a readable complaint at this version (not plain YAML)")]
    if not isinstance(old, dict):
        return created(new)
    changes = [
        Change("field", f"{key}: {as_words(before)} → {as_words(after)}")
        for key, before, after in field_changes(old, new)
    ]
    events = events_of(new)
    changes += [_event_change(c, events) for c in event_changes(events_of(old), events)]
    return changes


def merge_changes(old: object, new: object) -> list[Change]:
    """What a merge brought into the branch it was made on (`old`, its first parent's
    version): the other side's events, whatever place the resolution gave them."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return changes_between(old, new)
    changes = [
        Change("field", f"{key}: {as_words(before)} → {as_words(after)}")
        for key, before, after in field_changes(old, new)
    ]
    old_events, new_events = events_of(old), events_of(new)
    before = {fingerprint(e) for e in old_events}
    after = {fingerprint(e) for e in new_events}
    changes += [_merged_in(e, new_events) for e in new_events if fingerprint(e) not in before]
    changes += [
        Change("removed", f"lost event {i} ({event_label(e)}) in the merge")
        for i, e in enumerate(old_events)
        if fingerprint(e) not in after
    ]
    return changes


def _merged_in(event: object, events: list[object]) -> Change:
    text = appended(event, events).text.removeprefix("appended ")
    return Change("merged", f"merged in {text}")


# --- Git (I/O) ---------------------------------------------------------------------------

_FORMAT = "%x1e%H%x1f%h%x1f%P%x1f%aI%x1f%an%x1f%B%x1f"


def complaint_history(root: Path, path: Path) -> list[Entry]:
    """The audit trail of the complaint file at `path` in the register at `root`, oldest
    first, with the changes not committed yet (if any) last."""
    with open_repository(root) as repo:
        name = in_repository(repo, path)
        if not has_commits(repo):
            raise LedgerError("this repository has no commits yet: there is no history to show")
        log = git_run(
            repo,
            "log",
            "--reverse",
            "--date-order",
            "--no-renames",
            "--diff-merges=first-parent",
            "--raw",
            "--no-color",
            f"--format={_FORMAT}",
            "--",
            name,
        )
        entries, readable = [], None
        for record in log.split("\x1e")[1:]:
            entry, merge, (old_sha, new_sha) = _entry(record)
            old, new = _version(repo, old_sha), _version(repo, new_sha)
            # After a version that could not be read, say what changed since the last one that could.
            describe = merge_changes if merge else changes_between
            entry.changes = describe(old if old != UNREADABLE else readable, new)
            entries.append(entry)
            readable = new if isinstance(new, dict) else readable
        uncommitted = _uncommitted(repo, name, path)
        return entries + ([uncommitted] if uncommitted else [])


def _entry(record: str) -> tuple[Entry, bool, tuple[str, str]]:
    """One commit of the log: the entry, whether it is a merge, and the blobs before and after."""
    full, short, parents, when, author, message, raw = record.split("\x1f", 6)
    old_sha = new_sha = ""
    for line in raw.splitlines():
        if line.startswith(":"):  # ":100644 100644 <old> <new> M\t<path>", blobs abbreviated
            old_sha, new_sha = line.split()[2:4]
    entry = Entry(full, short, when, author, message.strip())
    return entry, len(parents.split()) > 1, (old_sha, new_sha)


UNREADABLE = "unreadable"


def _version(repo: "Repo", sha: str) -> object:
    """The parsed blob (`sha` abbreviated, as `git log --raw` gives it); None for no file,
    UNREADABLE for one that is not plain YAML."""
    if not sha.strip("0"):
        return None
    data = blob_data(repo, full_id(repo, sha))
    return data if data is not None else UNREADABLE


def _uncommitted(repo: "Repo", name: str, path: Path) -> Entry | None:
    if not is_changed(repo, name):
        return None
    sha = revision(repo, f"HEAD:{name}")
    old = blob_data(repo, sha) if sha is not None else None  # None: not committed at all yet
    document = working_document(path) if path.exists() else None
    new = None if not path.exists() else (document.data if document else UNREADABLE)
    return Entry(None, "-", "", "", "not committed yet", changes_between(old, new))


# --- Showing it ----------------------------------------------------------------------------


def as_text(entries: list[Entry]) -> str:
    lines = []
    for entry in entries:
        subject = entry.message.splitlines()[0] if entry.message else ""
        lines.append(
            f"{entry.short}  {_when(entry.date)}  {entry.author}  {subject}".rstrip()
            if entry.commit
            else f"(working tree)  {subject}"
        )
        lines += [f"    {change.text}" for change in entry.changes]
    # Authors, messages and values come from files and commits: never raw to a terminal.
    return "\n".join(terminal_safe(line) for line in lines)


def _when(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M %z")


def as_data(entries: list[Entry]) -> list[dict[str, object]]:
    return [asdict(entry) for entry in entries]
