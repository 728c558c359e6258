"""Git's merge driver for register files (`complaints merge-file %O %A %B`), and setting it
up in a repository.

Git runs the driver when both branches changed a file that `.gitattributes` marks
`merge=complaints`, with the base's, ours' and theirs' versions in temporary files. The
driver writes the result over ours' file and exits 0 when it is clean, 1 when it holds
conflicts (marked as Git marks them), as Git's merge driver protocol asks.

A complaint file is merged as a ledger (`core.ledger_merge`): both sides' appended events,
earlier `at` first. Any other file (the policy, an action), or a version that is not plain
YAML, is merged line by line, as Git would.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path

from complaints_register.core.ledger_merge import (
    Lines,
    conflict_of_wholes,
    is_complaint,
    merge_lines,
    merged_version,
    plan,
)
from complaints_register.core.ledger_rules import canonical
from complaints_register.store.files import RegisterError, read_raw, shown, write_atomic
from complaints_register.store.writing import merged_text
from complaints_register.store.yamlsafe import MAX_BYTES, YamlError, parse

DRIVER = "complaints"
"""The driver's name in `.gitattributes` (`merge=complaints`) and in Git's config."""

COMMAND = "complaints merge-file %O %A %B"
"""What Git runs: `git config merge.complaints.driver "complaints merge-file %O %A %B"`."""


@dataclass
class Merged:
    """What the driver did: `clean` when the result has no conflict; `conflicts`, why not,
    in words."""

    clean: bool
    how: str
    conflicts: list[str] = field(default_factory=list)


def merge_file(base: Path, ours: Path, theirs: Path, zone: tzinfo = UTC) -> Merged:
    """Merge `theirs` into `ours` (the result is written over `ours`), from `base`."""
    old, mine, yours = (_text(path) for path in (base, ours, theirs))
    result, merged = merge_texts(old, mine, yours, zone)
    if result != mine:
        write_atomic(ours, result.encode("utf-8", "surrogateescape"))
    return merged


def merge_texts(base: str, ours: str, theirs: str, zone: tzinfo = UTC) -> tuple[str, Merged]:
    """The merged text and what was done, as `merge_file` does it."""
    if ours == theirs or base == theirs:
        return ours, Merged(True, "unchanged")
    if base == ours:
        return theirs, Merged(True, "theirs")
    lines = merge_lines(base, ours, theirs)
    versions = [_parsed(text) for text in (base, ours, theirs)]
    old, mine, yours = versions
    if not (is_complaint(old) and is_complaint(mine) and is_complaint(yours)):
        return _by_lines(lines)
    assert isinstance(old, dict) and isinstance(mine, dict) and isinstance(yours, dict)
    how = plan(old, mine, yours, zone)
    if how.conflicts:
        text = lines.text if lines.conflicts else conflict_of_wholes(ours, theirs)
        return text, Merged(False, "conflict", how.conflicts)
    expected = canonical(merged_version(mine, yours, how))
    if not lines.conflicts and canonical(_parsed(lines.text)) == expected:
        return lines.text, Merged(True, "lines")  # as Git would have: every byte as written
    text = merged_text(ours, theirs, how.events, how.retargeted, how.fields)
    if canonical(_parsed(text)) != expected:  # pragma: no cover - a safeguard
        return _conflict(lines, ours, theirs, "the merged file did not read back as merged")
    return text, Merged(True, "ledger")


def _by_lines(lines: Lines) -> tuple[str, Merged]:
    if lines.conflicts:
        return lines.text, Merged(False, "conflict", ["the two sides changed the same lines"])
    return lines.text, Merged(True, "lines")


def _conflict(lines: Lines, ours: str, theirs: str, why: str) -> tuple[str, Merged]:
    text = lines.text if lines.conflicts else conflict_of_wholes(ours, theirs)
    return text, Merged(False, "conflict", [why])


def _parsed(text: str) -> object:
    """The text's data, or None when it is not plain YAML."""
    try:
        return parse(text.encode("utf-8", "surrogateescape")).data
    except (YamlError, UnicodeEncodeError):
        return None


def _text(path: Path) -> str:
    """A version Git gave the driver, as text (bytes that are not UTF-8 kept as they are)."""
    try:
        raw = read_raw(path)
    except OSError as error:
        raise RegisterError(f"cannot read {shown(path)}: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise RegisterError(f"{shown(path)} is larger than {MAX_BYTES // 1024} KiB")
    return raw.decode("utf-8", "surrogateescape")


# --- Setting the driver up ----------------------------------------------------------------


def attributes_line(register: str) -> str:
    """The `.gitattributes` line for a register at `register` (relative to the top of the
    repository, with `/`)."""
    prefix = f"{register.strip('/')}/" if register not in ("", ".") else ""
    return f"{prefix}**/*.yaml merge={DRIVER}"


def set_up(register: Path) -> list[str]:
    """Mark the register's files for the driver in `.gitattributes` at the top of the
    repository holding `register`, and name the driver in that repository's config. What
    was done (or what to do, outside a repository), as sentences."""
    from complaints_register.store.repository import (
        git_run,
        in_repository,
        open_repository,
        repository_top,
    )

    top = repository_top(register)
    if top is None:
        return [
            f"{shown(register)} is not in a Git repository: after `git init`, run"
            f' `git config merge.{DRIVER}.driver "{COMMAND}"` and add'
            f" `{attributes_line(shown(register))}` to .gitattributes"
        ]
    with open_repository(top) as repo:
        folder = in_repository(repo, register)
        line = attributes_line(folder)
        done = []
        if _PATTERN_SAFE.fullmatch(folder) is None:  # a pattern would misread the name
            done.append(
                f"add a line for the files of {folder} to .gitattributes, ending"
                f" `merge={DRIVER}` (see `{attributes_line('register')}`)"
            )
        elif _add_line(top / ".gitattributes", line):
            done.append(f"added `{line}` to {shown(top / '.gitattributes')}")
        git_run(repo, "config", f"merge.{DRIVER}.name", "complaints register ledger merge")
        git_run(repo, "config", f"merge.{DRIVER}.driver", COMMAND)
        done.append(f"set merge.{DRIVER}.driver in the repository's config")
        return done


_PATTERN_SAFE = re.compile(r"[A-Za-z0-9._/-]*")
"""A folder name that reads as itself in a `.gitattributes` pattern (no space, `*`, `#`...)."""


def _add_line(path: Path, line: str) -> bool:
    """Add `line` to the text file at `path` (made when missing) unless it has it already."""
    try:
        text = read_raw(path).decode("utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as error:
        raise RegisterError(f"cannot read {shown(path)}: {error}") from None
    if line in text.splitlines():
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(path, text + line + "\n")
    return True


def zone_of(timezone: str | None) -> tzinfo:
    """The policy's time zone by name; UTC when there is none (or it is unknown)."""
    if timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return UTC
