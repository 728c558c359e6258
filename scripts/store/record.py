"""Recording: creating a register, a complaint, an event.

Every write is checked first: the file as it would be is parsed and checked exactly as
`complaints check` would, and nothing is written unless it passes.
"""

import importlib.resources
import os
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from complaints_register.core.problems import Problem, ProblemsFound, where
from complaints_register.core.rules import late_entries
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.ids import CROCKFORD, make_id
from complaints_register.store.check import check_complaint
from complaints_register.store.files import Held, create_new, locked, shown
from complaints_register.store.register import POLICY_FILE, Loaded, Register, from_bytes
from complaints_register.store.writing import complaint_text, scalar, with_event

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

ID_ATTEMPTS = 100


def schema_link(file: Path, name: str) -> str:
    """The path from `file` to the exported JSON Schema `name`, for editors' modelines."""
    # Resolved: an editable install links each file to the one in the repository's schema/json/.
    target = Path(
        str(
            importlib.resources.files("complaints_register.schema") / "json" / f"{name}.schema.json"
        )
    ).resolve()
    return Path(os.path.relpath(target, file.parent.resolve())).as_posix()


def country_zone(country: str) -> str | None:
    """The country's time zone when it has only one (tzdata's zone.tab), else None."""
    table = importlib.resources.files("tzdata") / "zoneinfo" / "zone.tab"
    zones = [
        line.split("\t")[2]
        for line in table.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and line.split("\t")[0] == country
    ]
    return zones[0] if len(zones) == 1 else None


def init_register(
    root: Path,
    organisation: str,
    country: str,
    subdivision: str | None,
    timezone: str,
    regime: str | None = None,
) -> Path:
    """Create `root/policy.yaml` from the template (under `regime`, the regime's targets
    and external body: `store.regimes`); refuses to overwrite one."""
    path = root / POLICY_FILE
    exists = FileExistsError(f"{shown(path)} exists already: nothing was changed")
    if os.path.lexists(path):
        raise exists
    template = (
        importlib.resources.files("complaints_register.store") / "policy-template.yaml"
    ).read_text("utf-8")
    text = template.format(
        schema=schema_link(path.absolute(), "policy"),
        organisation=scalar(organisation),
        country=scalar(country),  # `NO` (Norway) is a bool to YAML 1.1 written plain
        subdivision=scalar(subdivision) if subdivision else "null",
        timezone=scalar(timezone),
    )
    if regime is not None:
        from complaints_register.store.regimes import policy_text_for

        text = policy_text_for(text, regime)
    _refuse_invalid(path, text, Policy)
    try:
        create_new(path, text)  # never over a policy made meanwhile
    except FileExistsError:
        raise exists from None
    return path


def new_id(register: Register, received: date) -> str:
    """A random ID for a complaint received on `received` that no file has yet."""
    for candidate in _new_ids(register, received):
        return candidate
    raise RuntimeError(f"no free ID left for {received} after {ID_ATTEMPTS} tries")


def _new_ids(register: Register, received: date) -> Iterator[str]:
    """Random IDs for a complaint received on `received` that no file had when drawn:
    `ID_ATTEMPTS` draws in all."""
    for _ in range(ID_ATTEMPTS):
        candidate = make_id(received, "".join(secrets.choice(CROCKFORD) for _ in range(4)))
        if not os.path.lexists(register.path_for(candidate)):
            yield candidate


def new_complaint(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    fields: Mapping[str, Any],
    before_write: Callable[[str], None] | None = None,
    undo: Callable[[str], None] | None = None,
) -> str:
    """Write a new complaint file from `fields` (everything but the ID); returns the ID.
    `before_write(id)` runs once the file has passed its checks, before it is written;
    FileExistsError from it means the ID is taken (another ID is drawn). If the file is
    not written after `before_write(id)` ran, `undo(id)` runs.

    The file is made only where there is none: two runs that draw the same ID at the same
    moment never write over each other; the one that comes second draws another ID."""
    received = calendar.local_date(fields["received"])
    register.folder(f"{received.year:04d}", "a year folder")  # never written through a link
    for complaint_id in _new_ids(register, received):
        path = register.path_for(complaint_id)
        text = complaint_text(
            {"id": complaint_id, **fields, "events": []}, schema_link(path.absolute(), "complaint")
        )
        _refuse_invalid_complaint(path, text, policy, calendar, new_complaint=True)
        try:
            if before_write:
                before_write(complaint_id)
        except FileExistsError:
            continue  # the ID is taken where `before_write` writes (a key): draw another
        try:
            create_new(path, text)
        except BaseException as error:
            if undo and before_write:
                undo(complaint_id)
            if isinstance(error, FileExistsError):
                continue  # another run took this ID since it was drawn
            raise
        return complaint_id
    raise RuntimeError(f"no free ID left for {received} after {ID_ATTEMPTS} tries")


@contextmanager
def locked_file(path: Path, model: type[BaseModel]) -> Iterator[Held]:
    """The register file at `path` (read as a `model` file), read under an exclusive lock
    that lasts until the block ends: write the new version within the block, with
    `Held.replace`. ProblemsFound, with nothing written, when it cannot be read as a file
    or is not plain YAML (an edit could not keep what it says)."""
    with ExitStack() as stack:
        try:
            held = stack.enter_context(locked(path))
        except OSError as error:
            problem = Problem(shown(path), 0, "", f"cannot read: {error.strerror}")
            raise ProblemsFound([problem]) from None
        loaded = from_bytes(path, held.raw, model)
        if loaded.document is None:  # not YAML, or not UTF-8: its problem, said first
            raise ProblemsFound(loaded.problems)
        yield held


def log_event(
    path: Path,
    event: Mapping[str, object],
    policy: Policy,
    calendar: "Calendar",
    before_write: Callable[[], None] | None = None,
) -> None:
    """Append `event` to the complaint at `path`, unless that would make the file invalid.
    `before_write()` runs once the new file has passed its checks, before it is written.
    The file is locked from the moment it is read until the new version replaces it, so
    two runs logging at once take turns, and neither loses the other's event."""
    with locked_file(path, Complaint) as held:
        text = held.raw.decode("utf-8")
        new_text = with_event(text, event)
        _refuse_invalid_complaint(
            path, new_text, policy, calendar, known=_problems(path, text, policy, calendar)
        )
        if before_write:
            held.require_unchanged()  # nothing done for a version another program replaced
            before_write()
        held.replace(new_text)


def _problems(path: Path, text: str, policy: Policy, calendar: "Calendar") -> list[Problem]:
    loaded = from_bytes(path, text.encode("utf-8"), Complaint)
    return check_complaint(loaded, policy, calendar, calendar.today())


def _refuse_invalid_complaint(
    path: Path,
    text: str,
    policy: Policy,
    calendar: "Calendar",
    new_complaint: bool = False,
    known: list[Problem] | None = None,
) -> None:
    """ProblemsFound unless `text` is a valid complaint file. A new complaint may not use a
    retired category or channel. When an event is being logged (`known`: the problems the
    file had before), problems it causes in earlier events are said of the new event."""
    loaded = from_bytes(path, text.encode("utf-8"), Complaint)
    problems = check_complaint(loaded, policy, calendar, calendar.today())
    complaint = loaded.model
    if complaint is not None and loaded.document is not None:
        document = loaded.document
        if new_complaint:
            problems += [
                Problem(loaded.shown, document.line_of((key,)), key, message)
                for key, message in _retired(complaint, policy)
            ]
        if known is not None:
            problems = _said_of_the_new_event(problems, known, complaint, loaded)
            # The new (last) event is recorded today: if it is dated long ago, or before
            # the latest event, it must say why it is recorded late.
            problems += [
                Problem(loaded.shown, document.line_of(key_path), where(key_path), message)
                for key_path, message in late_entries(
                    complaint.events, len(complaint.events) - 1, policy, calendar, calendar.today()
                )
            ]
    if problems:
        raise ProblemsFound(sorted(problems))


def _retired(complaint: Complaint, policy: Policy) -> Iterator[tuple[str, str]]:
    retired = {"category": policy.retired_categories, "channel": policy.retired_channels}
    listed = {"category": policy.categories, "channel": policy.channels}
    for key, values in retired.items():
        value = getattr(complaint, key)
        if value in values:
            yield (
                key,
                (
                    f"{value!r} is retired: a new complaint takes one of the policy's"
                    f" {'categories' if key == 'category' else 'channels'} ({', '.join(listed[key])})"
                ),
            )


def _said_of_the_new_event(
    problems: list[Problem], known: list[Problem], complaint: Complaint, loaded: Loaded[Complaint]
) -> list[Problem]:
    """Problems the new (last) event causes in the events before it, said of the new one:
    it was dated before events already recorded, and they no longer make sense after it."""
    new = len(complaint.events) - 1
    mine = f"events[{new}]"
    caused = [
        p
        for p in problems
        if p not in known and p.where.startswith("events[") and not p.where.startswith(mine)
    ]
    if not caused:
        return problems
    event = complaint.events[new]
    latest = max(str(e.at)[:10] for e in complaint.events[:new])
    assert loaded.document is not None
    line = loaded.document.line_of(("events", new))
    said = [
        Problem(
            loaded.shown,
            line,
            mine,
            f"{event.type} on {str(event.at)[:10]} comes before events already recorded"
            f" (the latest on {latest}); after it, {p.where} would not make sense: {p.message}",
        )
        for p in caused
    ]
    return [p for p in problems if p not in caused] + said


def _refuse_invalid(path: Path, text: str, model: type[BaseModel]) -> None:
    loaded = from_bytes(path, text.encode("utf-8"), model)
    if loaded.problems:
        raise ProblemsFound(loaded.problems)


def now_in(calendar: "Calendar") -> datetime:
    """This moment in the organisation's time zone, to the second."""
    return datetime.now(calendar.zone).replace(microsecond=0)
