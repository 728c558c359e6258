"""A complaint sent with the website's form: reading the e-mail's text back (DESIGN.md
section 6, "The complainant's side"). Pure: no I/O (`complaints_register.store.message` reads the file).

The form (site/javascripts/complain.js) writes readable text for people, then a block for
the register:

    -----BEGIN COMPLAINT FORM-----
    eyJmb3JtIjogMSwgInBhZ2UiOiAiZW4iLCAi...   (base64 of UTF-8 JSON, in lines)
    -----END COMPLAINT FORM-----

The JSON holds exactly `FIELDS`, strings, and `form`: `FORM_VERSION`. A message without
the block is not from the form. A block that does not decode, or readable text that no
longer says what the block says (the complaint, the outcome asked for, the contact
details), means the message was changed after the form wrote it: both are refused, since
nobody can tell which of the two is what the complainant sent.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass

BEGIN = "-----BEGIN COMPLAINT FORM-----"
END = "-----END COMPLAINT FORM-----"
FORM_VERSION = 1
FIELDS = ("page", "language", "category", "what", "outcome", "name", "email", "phone", "address")
READABLE = ("what", "outcome", "name", "email", "phone", "address")
"""The fields the readable text must say word for word (spaces and line breaks aside)."""
MAX_BLOCK = 200_000  # characters of base64: far beyond any complaint a form can hold


class MessageError(ValueError):
    """A message that cannot be recorded: `line` (1-based, 0 for the whole message) and why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class FormMessage:
    """What the complainant filled in, and the line of the message's text where each of
    the readable fields starts (0 when it is not found, or empty)."""

    fields: dict[str, str]
    lines: dict[str, int]

    def __getitem__(self, name: str) -> str:
        return self.fields[name]


_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def read_form(text: str) -> FormMessage:
    """The form's fields in the text of a message; MessageError when it is not from the
    form, or was changed after the form wrote it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if _unquoted(line) == BEGIN]
    if not starts:
        raise MessageError(
            0,
            f"not a message from the website's complaint form: it has no {BEGIN} block"
            " (record a complaint that came another way with `complaints new`)",
        )
    if len(starts) > 1:
        raise MessageError(
            starts[1] + 1, f"a second {BEGIN}: one message holds one complaint from the form"
        )
    begin = starts[0]
    ends = [i for i in range(begin + 1, len(lines)) if _unquoted(lines[i]) == END]
    if not ends:
        raise MessageError(begin + 1, f"the form's block has no end ({END}): the message is cut")
    end = ends[0]
    encoded = "".join(_unquoted(line) for line in lines[begin + 1 : end])
    if len(encoded) > MAX_BLOCK:
        raise MessageError(begin + 1, f"the form's block is longer than {MAX_BLOCK} characters")
    fields = _decoded(encoded, begin + 1)
    readable = lines[:begin]
    flat = _flat("\n".join(readable))
    changed = [name for name in READABLE if _flat(fields[name]) not in flat]
    if changed:
        raise MessageError(
            begin + 1,
            "the readable text no longer says what the form's block says"
            f" ({', '.join(changed)}): the message was changed after the form wrote it."
            " Ask the complainant to send the form again, or record the complaint by hand"
            " with `complaints new`",
        )
    return FormMessage(fields, {name: _line_of(fields[name], readable) for name in READABLE})


def _unquoted(line: str) -> str:
    """A line of the block as written, whatever a mail program put around it: spaces, and
    the `> ` of a quoted or forwarded message."""
    return line.strip().lstrip(">").strip()


def _decoded(encoded: str, line: int) -> dict[str, str]:
    damaged = (
        "the form's block is damaged (it does not decode):"
        " the message was changed after the form wrote it"
    )
    try:
        raw = base64.b64decode(encoded, validate=True)
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        raise MessageError(line, damaged) from None
    if not isinstance(data, dict):
        raise MessageError(line, damaged)
    if data.get("form") != FORM_VERSION:
        raise MessageError(
            line,
            f"the form's block is of version {data.get('form')!r}, and this program reads"
            f" version {FORM_VERSION}: update the program",
        )
    keys = set(data) - {"form"}
    if keys != set(FIELDS) or not all(isinstance(data[name], str) for name in FIELDS):
        raise MessageError(
            line,
            "the form's block does not hold the form's fields"
            f" ({', '.join(FIELDS)}, each a text): the message was changed after the form"
            " wrote it",
        )
    return {name: data[name].strip() for name in FIELDS}


def _line_of(value: str, lines: list[str]) -> int:
    """The 1-based line where `value`'s first line stands in `lines` (0: nowhere)."""
    first = _flat(value.split("\n", 1)[0]) if value else ""
    if not first:
        return 0
    for number, line in enumerate(lines, start=1):
        if first in _flat(line) or (_flat(line) and _flat(line) in first and len(_flat(line)) > 8):
            return number
    return 0


def unsorted_category(categories: list[str]) -> str:
    """The category a complaint gets when the complainant chose none: `other` when the
    policy has it, else the policy's last category (an assessment sorts it later)."""
    return "other" if "other" in categories else categories[-1]
