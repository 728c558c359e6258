"""Recording: creating a register, a complaint, an event.

Every write is checked first: the file as it would be is parsed and checked exactly as
`complaints check` would, and nothing is written unless it passes.
"""

import importlib.resources
import os
import secrets
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from complaints_register.core.problems import ProblemsFound
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.ids import CROCKFORD, make_id
from complaints_register.store.check import check_complaint
from complaints_register.store.files import shown, write_atomic
from complaints_register.store.register import POLICY_FILE, Register, from_bytes
from complaints_register.store.writing import complaint_text, with_event

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
    root: Path, organisation: str, country: str, subdivision: str | None, timezone: str
) -> Path:
    """Create `root/policy.yaml` from the template; refuses to overwrite one."""
    path = root / POLICY_FILE
    if path.exists():
        raise FileExistsError(f"{shown(path)} exists already: nothing was changed")
    template = (
        importlib.resources.files("complaints_register.store") / "policy-template.yaml"
    ).read_text("utf-8")
    text = template.format(
        schema=schema_link(path.absolute(), "policy"),
        organisation=_quoted(organisation),
        country=country,
        subdivision=subdivision or "null",
        timezone=timezone,
    )
    _refuse_invalid(path, text, Policy)
    write_atomic(path, text)
    return path


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_id(register: Register, received: date) -> str:
    """A random ID for a complaint received on `received` that no file has yet."""
    for _ in range(ID_ATTEMPTS):
        candidate = make_id(received, "".join(secrets.choice(CROCKFORD) for _ in range(4)))
        if not register.path_for(candidate).exists():
            return candidate
    raise RuntimeError(f"no free ID left for {received} after {ID_ATTEMPTS} tries")


def new_complaint(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    fields: Mapping[str, Any],
    before_write: Callable[[str], None] | None = None,
) -> str:
    """Write a new complaint file from `fields` (everything but the ID); returns the ID.
    `before_write(id)` runs once the file has passed its checks, before it is written."""
    received = calendar.local_date(fields["received"])
    complaint_id = new_id(register, received)
    path = register.path_for(complaint_id)
    text = complaint_text(
        {"id": complaint_id, **fields, "events": []}, schema_link(path.absolute(), "complaint")
    )
    _refuse_invalid_complaint(path, text, policy, calendar)
    if before_write:
        before_write(complaint_id)
    write_atomic(path, text)
    return complaint_id


def log_event(
    path: Path,
    event: Mapping[str, object],
    policy: Policy,
    calendar: "Calendar",
    before_write: Callable[[], None] | None = None,
) -> None:
    """Append `event` to the complaint at `path`, unless that would make the file invalid.
    `before_write()` runs once the new file has passed its checks, before it is written."""
    text = path.read_text(encoding="utf-8")
    new_text = with_event(text, event)
    _refuse_invalid_complaint(path, new_text, policy, calendar)
    if before_write:
        before_write()
    write_atomic(path, new_text)


def _refuse_invalid_complaint(path: Path, text: str, policy: Policy, calendar: "Calendar") -> None:
    loaded = from_bytes(path, text.encode("utf-8"), Complaint)
    problems = check_complaint(loaded, policy, calendar, calendar.today())
    if problems:
        raise ProblemsFound(problems)


def _refuse_invalid(path: Path, text: str, model: type[BaseModel]) -> None:
    loaded = from_bytes(path, text.encode("utf-8"), model)
    if loaded.problems:
        raise ProblemsFound(loaded.problems)


def now_in(calendar: "Calendar") -> datetime:
    """This moment in the organisation's time zone, to the second."""
    return datetime.now(calendar.zone).replace(microsecond=0)
