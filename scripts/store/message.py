"""Recording a complaint sent with the website's form: `complaints new --from-message FILE`.

FILE is the e-mail as a mail program saves it (.eml: headers, then the body, which may be
quoted-printable or base64, or a multipart message with a text part), or its text alone.
The form's block is read by `complaints_register.core.message`; the complaint is written
the way `complaints new` writes one (`store.record.new_complaint`, or
`store.contact.new_with_contact` when the contact details are kept), so the same checks
refuse it: personal data in the complaint's text is refused by the usual rule, said of the
line of the message where that text stands.
"""

import email
import email.policy
import email.utils
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from complaints_register.core.message import FormMessage, MessageError, read_form, unsorted_category
from complaints_register.core.personal_data import found_in
from complaints_register.core.problems import Problem, ProblemsFound
from complaints_register.schema import Policy
from complaints_register.store.files import RegisterError, read_raw, shown
from complaints_register.store.record import new_complaint
from complaints_register.store.register import Register

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar
    from complaints_register.store.contact import KeyFolder

MAX_BYTES = 1_000_000  # a saved e-mail of a form's complaint is a few kilobytes
_HEADER = ("from:", "to:", "subject:", "date:", "mime-version:", "content-type:", "received:")
_FIELD_OF = {"summary": "what", "desired_outcome": "outcome"}


@dataclass
class Recorded:
    """The complaint written, and what the officer must see: the contact details when they
    were not stored (no key folder), and the complainant's name (never stored)."""

    complaint_id: str
    contact: dict[str, str] = field(default_factory=dict)
    stored: bool = False
    name: str = ""
    category_chosen: bool = True


@dataclass
class Message:
    text: str
    sent: datetime | None
    eml: bool


def read_message(path: Path) -> Message:
    """The text of the message at `path` (and when it was sent, from an e-mail's Date)."""
    try:
        raw = read_raw(path)
    except FileNotFoundError:
        raise RegisterError(f"{shown(path)}: no such file") from None
    except OSError as error:
        raise RegisterError(f"{shown(path)}: cannot read: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise RegisterError(
            f"{shown(path)}: {len(raw)} bytes, more than a message from the form can be"
            f" ({MAX_BYTES}): not recorded"
        )
    first = raw.lstrip()[:200].decode("utf-8", "replace").lower()
    if not first.startswith(_HEADER):
        try:
            return Message(raw.decode("utf-8"), None, False)
        except UnicodeDecodeError as error:
            raise RegisterError(
                f"{shown(path)}: not UTF-8 text (byte {error.start}); save the e-mail as .eml"
            ) from None
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    part = parsed.get_body(preferencelist=("plain",))
    if part is None:
        raise RegisterError(f"{shown(path)}: the e-mail has no plain-text part to read")
    try:
        text = part.get_content()
    except (LookupError, ValueError) as error:
        raise RegisterError(f"{shown(path)}: its text cannot be decoded: {error}") from None
    sent = None
    try:
        header = parsed.get("date")
        sent = email.utils.parsedate_to_datetime(str(header)) if header else None
    except (TypeError, ValueError):
        sent = None
    if sent is not None and sent.tzinfo is None:
        sent = None  # a date without a zone cannot be placed in time: taken as now
    return Message(str(text), sent, True)


def record_message(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    path: Path,
    keys: "KeyFolder | None",
    received: date | datetime | None = None,
) -> Recorded:
    """Record the complaint the message at `path` holds: channel `web-form`, the language,
    the category (or the policy's one for an unsorted complaint), the summary and the
    outcome asked for. `received` defaults to when the e-mail was sent, else now."""
    message = read_message(path)
    named = _named(path, message)
    try:
        form = read_form(message.text)
    except MessageError as error:
        line = f":{error.line}" if error.line else ""
        raise RegisterError(f"{named}{line}: {error.message}") from None
    contact = {key: form[key] for key in ("email", "phone", "address") if form[key]}
    category = form["category"] or unsorted_category(policy.categories)
    fields: dict[str, object] = {
        "received": received or message.sent or _now(calendar),
        "channel": "web-form",
        "language": form["language"],
        "category": category,
        "summary": form["what"],
    }
    if form["outcome"]:
        fields["desired_outcome"] = form["outcome"]
    try:
        if contact and keys is not None:
            from complaints_register.store.contact import new_with_contact

            complaint_id = new_with_contact(register, policy, calendar, fields, contact, keys)
        else:
            complaint_id = new_complaint(register, policy, calendar, fields)
    except ProblemsFound as found:
        raise ProblemsFound(
            [_in_message(p, form, named, policy.calendar.country) for p in found.problems]
        ) from None
    return Recorded(
        complaint_id,
        contact,
        stored=bool(contact) and keys is not None,
        name=form["name"],
        category_chosen=bool(form["category"]),
    )


def configured_keys(
    register: Register, environ: Mapping[str, str] = os.environ
) -> "KeyFolder | None":
    """The key folder when one is configured (refused as `complaints new` refuses it), else
    None: then the contact details are shown to the officer and stored nowhere."""
    from complaints_register.store.contact import ENVIRONMENT, KeyFolder, config_file

    if not environ.get(ENVIRONMENT) and not config_file(environ).is_file():
        return None
    return KeyFolder.configured(register, environ)


def _now(calendar: "Calendar") -> datetime:
    from complaints_register.store.record import now_in

    return now_in(calendar)


def _named(path: Path, message: Message) -> str:
    """How the message is named in an error: an e-mail's lines are those of its (decoded)
    text, which may be encoded differently in the file."""
    return f"{shown(path)} (the e-mail's text)" if message.eml else shown(path)


def _in_message(problem: Problem, form: FormMessage, named: str, country: str) -> Problem:
    """A problem of the complaint the message would make, said of the message's line where
    the text it is about stands, with the form's own field name. Personal data is said of
    the very line it is on (the form writes a text's lines one under the other)."""
    name = _FIELD_OF.get(problem.where.split(".")[0].split("[")[0])
    if name is None:
        return Problem(named, 0, problem.where, problem.message)
    line = form.lines.get(name, 0)
    text = form[name]
    for found in found_in(text, country):
        if line and found.message(text) == problem.message:
            line += text.count("\n", 0, found.start)
            break
    return Problem(named, line, f"{name} (the form's field)", problem.message)
