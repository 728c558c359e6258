"""Comment commands on a complaint's pull request: what a comment asks for. Pure.

    /log TYPE [key=value ...]      append an event (the options of `complaints log`, plus
                                   at=, note= and late=); values with spaces in quotes
    /letter KIND                   the draft of a letter to the complainant
    /letter KIND --log             the same, and its event appended (acknowledgement:
                                   acknowledged...), as `complaints letter --log` does

A command is the comment's first line. A comment that does not start with `/log` or
`/letter` is no command (None); one that does but cannot be read is `InputError`, with the
sentence that says what to write instead.
"""

import shlex
from dataclasses import dataclass, field

from complaints_register.core.event_input import (
    COMMON,
    InputError,
    event_fields,
    event_types,
    parse_moment,
)

LONGEST = 2000
"""A command's first line longer than this (characters) is refused unread."""


@dataclass(frozen=True)
class LogCommand:
    """`/log TYPE key=value...`: the event's type, its own fields, and when (None: now)."""

    event_type: str
    fields: dict[str, object] = field(default_factory=dict)
    at: object = None  # a date or date-time; None: now
    note: str | None = None
    late: str | None = None


@dataclass(frozen=True)
class LetterCommand:
    """`/letter KIND [--log]`."""

    kind: str
    log: bool = False


Command = LogCommand | LetterCommand

USAGE = (
    "Write `/log TYPE key=value ...` (for example `/log assessed priority=urgent"
    " handler=marco`, or `/log acknowledged at=2026-04-07`) or `/letter KIND [--log]`"
    " (for example `/letter acknowledgement --log`) as the first line of the comment."
)


def first_line(body: str) -> str:
    """The line of a comment's `body` a command is read from."""
    return body.replace("\r\n", "\n").lstrip().split("\n", 1)[0].strip()


def command(body: str, letter_kinds: tuple[str, ...]) -> Command | None:
    """The command in a comment's `body`; None when the comment holds none."""
    first = first_line(body)
    name = first.split(maxsplit=1)[0] if first else ""
    if name not in ("/log", "/letter"):
        return None
    if len(first) > LONGEST:
        raise InputError(f"the command is longer than {LONGEST} characters. {USAGE}")
    try:
        words = shlex.split(first)[1:]
    except ValueError as error:
        raise InputError(f"the command cannot be read ({error}). {USAGE}") from None
    if name == "/letter":
        log = words[1:] == ["--log"]
        if len(words) != 1 + log or words[0] not in letter_kinds:
            raise InputError(
                f"/letter takes one kind, one of: {', '.join(letter_kinds)} (and --log to"
                " record it as sent)."
            )
        return LetterCommand(words[0], log)
    if not words:
        raise InputError(f"/log needs an event type, one of: {', '.join(event_types())}.")
    event_type, pairs = words[0], words[1:]
    given: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise InputError(f"{pair!r} is not key=value. {USAGE}")
        if key in given:
            raise InputError(f"{key} is given twice")
        given[key] = value
    common = {k: v for k, v in given.items() if k in COMMON}
    fields = event_fields(event_type, {k: v for k, v in given.items() if k not in COMMON})
    for key in ("note", "late"):
        if key in common and not common[key].strip():
            raise InputError(f"{key} is empty: give a value, or leave it out")
    return LogCommand(
        event_type,
        fields,
        parse_moment(common["at"], "at") if "at" in common else None,
        common.get("note"),
        common.get("late"),
    )
