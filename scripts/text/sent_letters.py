"""A letter that is sent is recorded: `complaints letter ID KIND --log` writes the letter
and appends the event its kind stands for (`LETTER_EVENTS`: an acknowledgement is the
`acknowledged` event), unless the current stage has that event already.

The letter is written first, from the complaint as it would be with the event, so that a
letter that cannot be written logs nothing; the event is then appended by `log_event`, as
`complaints log` appends it, checked the same way, and written only if it passes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from complaints_register.core.review import counted_events
from complaints_register.core.status import facts
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.events import EVENT_TYPES
from complaints_register.store.check import valid_complaint
from complaints_register.store.record import log_event
from complaints_register.text.letter_kinds import LETTER_EVENTS
from complaints_register.text.letters import LetterError, letter

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar


@dataclass(frozen=True)
class Sent:
    """The letter, and the type of the event logged with it (None: it was logged already)."""

    text: str
    logged: str | None


def send(
    register_root: Path,
    path: Path,
    policy: Policy,
    calendar: "Calendar",
    kind: str,
    event: Mapping[str, object],
    as_of: date,
    fmt: str = "markdown",
    name: str | None = None,
    tracking: Mapping[str, str | None] | None = None,
) -> Sent:
    """The letter of `kind` for the complaint at `path` as of `as_of`, and its event
    (`event`: at least `at` and `by`) appended unless the current stage has one already.
    `tracking`: as for `letters.letter`."""
    complaint = valid_complaint(path, calendar)
    event = {"type": LETTER_EVENTS[kind], **event}
    event_type = str(event["type"])
    if is_logged(complaint, policy, calendar, as_of, event_type):
        return Sent(
            _letter(register_root, complaint, policy, calendar, kind, as_of, fmt, name, tracking),
            None,
        )
    try:
        with_event = Complaint.model_validate(
            {**complaint.model_dump(), "events": [*complaint.model_dump()["events"], event]}
        )
    except ValidationError as error:
        options = {o.field: f"--{o.name}" for o in EVENT_TYPES[event_type].options}
        missing = sorted(
            {
                options.get(str(e["loc"][-1]), str(e["loc"][-1]))
                for e in error.errors()
                if e["type"] == "missing"
            }
        )
        needs = f"it needs {', '.join(missing)}" if missing else str(error.errors()[0]["msg"])
        raise LetterError(
            f"cannot log {event_type} with the {kind} letter: {needs}; log it first"
            f" (complaints log {complaint.id} {event_type} ...), then write the letter"
        ) from None
    text = _letter(register_root, with_event, policy, calendar, kind, as_of, fmt, name, tracking)
    log_event(path, event, policy, calendar)
    return Sent(text, event_type)


def is_logged(
    complaint: Complaint, policy: Policy, calendar: "Calendar", as_of: date, event_type: str
) -> bool:
    """Whether the current stage, as of `as_of`, has an event of `event_type` that counts
    (not retracted, not refused, not after `as_of`)."""
    found = facts(complaint, policy, calendar, as_of)
    return any(
        event.type == event_type and stage == found.current.stage
        for _, stage, event in counted_events(complaint, found, calendar)
    )


def _letter(
    register_root: Path,
    complaint: Complaint,
    policy: Policy,
    calendar: "Calendar",
    kind: str,
    as_of: date,
    fmt: str,
    name: str | None,
    tracking: Mapping[str, str | None] | None,
) -> str:
    found = facts(complaint, policy, calendar, as_of)
    code = dict(tracking) if tracking else None
    return letter(register_root, complaint, found, policy, calendar, kind, fmt, name, code)
