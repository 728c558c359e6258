"""Checking register files: every problem in every file, each at its line."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from complaints_register.core.lifecycle import fold
from complaints_register.core.problems import KeyPath, Problem, ProblemsFound, where
from complaints_register.core.working_days import Calendar
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.ids import is_id
from complaints_register.store.files import shown
from complaints_register.store.register import POLICY_FILE, Loaded, Register, from_bytes, load
from complaints_register.store.yamlsafe import Document

if TYPE_CHECKING:
    from complaints_register.store.cache import Cache

# A problem found in a file: (path, line, where, message, the other file's path or None).
_Finding = tuple[Path, int, str, str, Path | None]
# The same, as the cache keeps it: file names instead of paths.
_Kept = tuple[str, int, str, str, str | None]


def check_complaint(
    loaded: Loaded, policy: Policy | None, calendar: Calendar | None, today: date
) -> list[Problem]:
    """The problems of one loaded complaint file: its shape, then every rule (with a
    policy, and its calendar). A date-time that cannot be placed in time is a problem at
    its line, and the rules, which could not work with it, are not applied."""
    # Here, not at the top: `valid_complaint` (which `complaints show` needs) needs none of
    # the rules, nor the personal-data patterns and phone numbers they load.
    from complaints_register.core.rules import Subject, findings

    problems = list(loaded.problems)
    made = _complaint_of(loaded)
    if made is not None:
        complaint, document = made
        unplaceable = out_of_range(loaded.shown, complaint, document, calendar)
        problems += unplaceable
        if not unplaceable and policy is not None and calendar is not None:
            try:
                state = fold(complaint, policy, calendar)
                subject = Subject(complaint, loaded.path, policy, calendar, today, state)
                for path, message in findings(subject):
                    line = document.line_of(path)
                    problems.append(Problem(loaded.shown, line, where(path), message))
            except (ArithmeticError, ValueError) as error:  # a date at the end of time
                problems.append(
                    Problem(
                        loaded.shown,
                        0,
                        "",
                        f"its deadlines cannot be worked out ({error}): a date in it is too"
                        " close to the year 1 or 9999 (write the dates as they happened)",
                    )
                )
    return sorted(problems)


def out_of_range(
    shown_as: str, complaint: Complaint, document: Document, calendar: Calendar | None
) -> list[Problem]:
    """The date-times of a complaint that cannot be placed in time: with their offset, in
    UTC or in the policy's time zone (with a `calendar`), they fall outside the years 1 to
    9999 (`9999-12-31T23:59:59-23:59`)."""
    moments: list[tuple[KeyPath, object]] = [(("received",), complaint.received)]
    moments += [(("events", n, "at"), event.at) for n, event in enumerate(complaint.events)]
    problems = []
    for key_path, moment in moments:
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            continue  # a date, or a time in the policy's zone: always in range
        try:
            moment.astimezone(UTC)
            if calendar is not None:
                calendar.local_date(moment)
        except OverflowError:
            zone = f" or in {calendar.zone}" if calendar is not None else ""
            problems.append(
                Problem(
                    shown_as,
                    document.line_of(key_path),
                    where(key_path),
                    f"{moment.isoformat()} is out of range: in UTC{zone} it falls outside"
                    " the years 1 to 9999 (write the moment it happened, with its offset)",
                )
            )
    return problems


def valid_complaint(path: Path, calendar: Calendar | None) -> Complaint:
    """The complaint in the file at `path`, or ProblemsFound: when the file cannot be read,
    is invalid, or holds a date-time that cannot be placed in time (`out_of_range`)."""
    loaded = load(path, Complaint)
    made = _complaint_of(loaded)
    if made is None:
        raise ProblemsFound(loaded.problems)
    problems = out_of_range(loaded.shown, *made, calendar)
    if problems:
        raise ProblemsFound(problems)
    return made[0]


def _complaint_of(loaded: Loaded) -> tuple[Complaint, Document] | None:
    """The complaint a file loaded as one made, and its document; None when invalid."""
    # A model is only made from a parsed document, and complaint files load as Complaint.
    if isinstance(loaded.model, Complaint) and loaded.document is not None:
        return loaded.model, loaded.document
    return None


def check_files(
    register: Register,
    policy: Policy | None,
    calendar: Calendar | None,
    today: date,
    paths: list[Path] | None = None,
) -> tuple[list[Problem], int]:
    """The problems of the complaint files at `paths`, IDs used twice included, and how
    many files that was. With `paths` None: every file in the register's year folders;
    then the cache forgets the results of files that are gone, and keeps the problems of
    the register as a whole, so that an unchanged register is checked in one look."""
    from complaints_register.store.cache import Cache, name_of

    cache = Cache(register.root, "check", policy is None)
    names = register.complaint_names() if paths is None else None
    if names is not None:
        kept = cast("list[_Kept] | None", cache.get_all(names))  # as put_all stored it below
        if kept is not None:
            root = register.root
            return [
                _problem(root / name, line, where, message, None if other is None else root / other)
                for name, line, where, message, other in kept
            ], len(names)
    everything = register.complaint_paths() if paths is None else paths
    found = _checked_files(everything, cache, policy, calendar, today)
    findings = _findings(found)
    if names is not None and all(_lasting(checked, today) for _, checked in found):
        cache.put_all(
            [
                (name_of(path), line, where, message, other and name_of(other))
                for path, line, where, message, other in findings
            ]
        )
    cache.save(everything=names is not None)
    return [_problem(*finding) for finding in findings], len(everything)


@dataclass(frozen=True)
class _Checked:
    """What is kept of a checked file, in the cache too: its problems without the file
    name (which depends on where the tool runs), its ID (None when it has no model), and
    the latest date in the file, because a file checked before one of its dates came is
    checked again."""

    problems: tuple[tuple[int, str, str], ...]
    id: str | None = None
    id_line: int = 0  # 0 also when not yet looked up (`_id_line`): it is rarely needed
    latest: date | None = None


_NOT_A_COMPLAINT = _Checked(
    ((0, "", "not a complaint file: a complaint file is named after its ID, <ID>.yaml"),)
)


def _lasting(checked: _Checked, today: date) -> bool:
    """Whether what was found holds on later days too: not if a date in the file is still
    to come (a complaint can say it was received tomorrow, and be right the day after)."""
    return checked.latest is None or checked.latest <= today


def _checked_files(
    paths: list[Path], cache: "Cache", policy: Policy | None, calendar: Calendar | None, today: date
) -> list[tuple[Path, _Checked]]:
    """What was found in each file at `paths`: kept in the cache, else checked now (on
    every core when there are many)."""
    from complaints_register.store.cache import worked_out

    complaints = [p for p in paths if p.suffix == ".yaml" and is_id(p.stem)]
    found = worked_out(
        cache,
        complaints,
        _check_file,
        policy,
        calendar,
        today,
        what="Checking",
        lasting=lambda checked: _lasting(checked, today),
    )
    return [(path, found.get(path, _NOT_A_COMPLAINT)) for path in paths if path.name != POLICY_FILE]


def _check_file(
    item: tuple[Path, bytes | None], policy: Policy | None, calendar: Calendar | None, today: date
) -> _Checked:
    """Check one file (its bytes given, None when it could not be read)."""
    path, raw = item
    loaded = load(path, Complaint) if raw is None else from_bytes(path, raw, Complaint)
    problems = tuple(
        (p.line, p.where, p.message) for p in check_complaint(loaded, policy, calendar, today)
    )
    made = _complaint_of(loaded)
    if made is None:
        return _Checked(problems)
    model = made[0]
    dates = [model.received, *(event.at for event in model.events)]
    try:
        latest = max(calendar.local_date(d) for d in dates) if calendar else None
    except OverflowError:  # told among its problems
        latest = None
    return _Checked(problems, model.id, 0, latest)  # the ID's line: asked for when needed


def _findings(found: list[tuple[Path, _Checked]]) -> list[_Finding]:
    """(path, line, where, message, other path) for each problem of each file, and for each
    ID a second file uses (the first file's path is the "other path", else None)."""
    findings: list[_Finding] = []
    first_seen: dict[str, Path] = {}
    for path, checked in found:
        findings += [(path, *p, None) for p in checked.problems]
        if checked.id is None:
            continue
        if checked.id in first_seen:
            findings.append(
                (
                    path,
                    checked.id_line or _id_line(path),
                    "id",
                    f"{checked.id} is also the ID of",
                    first_seen[checked.id],
                )
            )
        else:
            first_seen[checked.id] = path
    return findings


def _id_line(path: Path) -> int:
    """The line of the ID in the complaint file at `path` (0 if it cannot be read now)."""
    document = load(path, Complaint).document
    return document.line_of(("id",)) if document is not None else 0


def _problem(path: Path, line: int, where: str, message: str, other: Path | None) -> Problem:
    if other is not None:  # named as files are shown: relative to where the tool runs
        message += " " + shown(other)
    return Problem(shown(path), line, where, message)


def check_policy(register: Register) -> tuple[Policy | None, list[Problem]]:
    """The policy (None when invalid) and its problems."""
    try:
        return register.policy(), []  # from the cache when the file has not changed
    except ProblemsFound as found:
        return None, found.problems
