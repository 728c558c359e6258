"""Checking register files: every problem in every file, each at its line."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from schema import Complaint, Policy
from schema.ids import is_id
from scripts.cache import Cache
from scripts.lifecycle import fold
from scripts.problems import Problem, where
from scripts.progress import progress
from scripts.register import POLICY_FILE, Loaded, Register, from_bytes, load, read_raw, shown
from scripts.rules import Subject, findings


def check_complaint(loaded: Loaded, policy: Policy | None, calendar, today: date) -> list[Problem]:
    """The problems of one loaded complaint file: its shape, then every rule."""
    problems = list(loaded.problems)
    if loaded.model is not None and policy is not None:
        state = fold(loaded.model, policy, calendar)
        subject = Subject(loaded.model, loaded.path, policy, calendar, today, state)
        for path, message in findings(subject):
            line = loaded.document.line_of(path)
            problems.append(Problem(loaded.shown, line, where(path), message))
    return sorted(problems)


def check_files(register: Register, policy: Policy | None, calendar, today: date,
                paths: Iterable[Path], whole_register: bool = False) -> list[Problem]:
    """The problems of the complaint files at `paths`, IDs used twice included.
    `whole_register`: `paths` are all the register's files, so the cache can forget the
    results of files that are gone."""
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    paths = list(paths)
    cache = Cache(register.root, "check", policy is None)
    for path in progress(paths, "Checking"):
        if path.name == POLICY_FILE:
            continue
        if path.suffix != ".yaml" or not is_id(path.stem):
            problems.append(Problem(shown(path), 0, "", "not a complaint file: a complaint"
                                    " file is named after its ID, <ID>.yaml"))
            continue
        checked = _checked(path, cache, policy, calendar, today)
        problems += checked.problems
        if checked.id is not None:
            if checked.id in first_seen:
                problems.append(Problem(checked.shown, checked.id_line, "id",
                                        f"{checked.id} is also the ID of {first_seen[checked.id]}"))
            else:
                first_seen[checked.id] = checked.shown
    cache.save(everything=whole_register)
    return problems


@dataclass(frozen=True)
class _Checked:
    """One complaint file checked: its problems, and its ID (None when it has no model)."""

    shown: str
    problems: list[Problem]
    id: str | None = None
    id_line: int = 0


@dataclass(frozen=True)
class _Stored:
    """What the cache keeps of a checked file: the problems without the file name (which
    depends on where the tool runs), and the latest date in the file, because a file
    checked before one of its dates came is checked again."""

    problems: tuple[tuple[int, str, str], ...]
    latest: date | None
    id: str | None
    id_line: int


def _checked(path: Path, cache: Cache, policy, calendar, today: date) -> _Checked:
    try:
        raw = read_raw(path)
    except OSError:
        loaded = load(path, Complaint)  # tells why it cannot be read
        return _Checked(loaded.shown, check_complaint(loaded, policy, calendar, today))
    stored = cache.get(path, raw)
    if stored is None or (stored.latest is not None and stored.latest > today):
        loaded = from_bytes(path, raw, Complaint)
        problems = check_complaint(loaded, policy, calendar, today)
        stored = _stored(loaded, problems, calendar)
        if stored.latest is None or stored.latest <= today:  # else its problems change
            cache.put(path, raw, stored)
    else:
        problems = None
    name = shown(path)
    if problems is None:
        problems = [Problem(name, *p) for p in stored.problems]
    return _Checked(name, problems, stored.id, stored.id_line)


def _stored(loaded: Loaded, problems: list[Problem], calendar) -> _Stored:
    model = loaded.model
    if model is None:
        return _Stored(tuple((p.line, p.where, p.message) for p in problems), None, None, 0)
    dates = [model.received, *(event.at for event in model.events)]
    latest = max(calendar.local_date(d) for d in dates) if calendar else None
    return _Stored(tuple((p.line, p.where, p.message) for p in problems), latest, model.id,
                   loaded.document.line_of(("id",)))


def check_policy(register: Register) -> tuple[Policy | None, list[Problem]]:
    register.require()
    loaded = load(register.policy_path, Policy)
    return loaded.model, loaded.problems
