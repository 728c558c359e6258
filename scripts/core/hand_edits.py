"""What a person who edits a register file by hand (in GitHub's web editor, say) is told
when the YAML parser cannot read it: a sentence that says what to write instead, at the
line to change, in place of the parser's own words (kept at the end, for those who know
YAML). Pure: from the text, the line the parser stopped at and what it said.

The mistakes it knows (DESIGN.md section 5, "Working in the browser"): a tab, a value
holding `: ` left unquoted, a value starting with a character YAML reserves, an event
written under `events: []`, and the markers of a merge conflict left in. Anything else keeps the parser's message.
"""

import re
from collections.abc import Callable

Hint = tuple[int, str]
"""(line, message)."""

_EMPTY_EVENTS = re.compile(r"^(?P<indent>\s*)events:\s*\[\s*\]\s*(#.*)?$")
_ITEM = re.compile(r"^\s*-(\s|$)")
_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[A-Za-z_][\w-]*):[ \t]+(?P<value>.+?)\s*$")
_RESERVED_START = "@`%|>&*!"


def explained(text: str, line: int, problem: str) -> Hint:
    """The line and message for the parser's `problem` at `line` (1-based) of `text`: a
    plain sentence when the mistake is a known one, else `problem` as it is."""
    lines = text.splitlines()
    for hint in _HINTS:
        found = hint(lines, line, problem)
        if found is not None:
            sentence = _masked(found[1])
            return found[0], f"not valid YAML: {sentence} (the YAML reader said: {_said(problem)})"
    return line, problem


def _masked(sentence: str) -> str:
    """`sentence`, which may repeat a key or value of the file, with the personal data in
    it masked: `check`'s messages go to CI logs and to replies on GitHub. Telephone numbers
    are found when written with `+` (the policy, which says the country, may be the file
    being read)."""
    from complaints_register.core.personal_data import found_in, masked

    for hit in sorted(found_in(sentence, "ZZ"), key=lambda h: h.start - h.end):
        raw = sentence[hit.start : hit.end]
        sentence = sentence.replace(raw, masked(raw))
    return sentence


def _said(problem: str) -> str:
    return problem.removeprefix("not valid YAML: ")


def _conflict(lines: list[str], line: int, problem: str) -> Hint | None:
    """Conflict markers a merge left in the file (a line that opens one and a line that
    closes one)."""
    opened = any(text == "<<<<<<<" or text.startswith("<<<<<<< ") for text in lines)
    closed = any(text == ">>>>>>>" or text.startswith(">>>>>>> ") for text in lines)
    if not (opened and closed):
        return None
    return (
        line,
        "this file holds a merge conflict (the lines between `<<<<<<<`, `=======` and"
        " `>>>>>>>`): keep what should stay (of events, both sides' events, earlier `at`"
        " first) and delete the three marker lines",
    )


def _tab(lines: list[str], line: int, problem: str) -> Hint | None:
    """A tab where YAML wants spaces: at the start of a line, or after a list's `-`."""
    if "tab" not in problem and "cannot start any token" not in problem:
        return None
    for number in range(min(line, len(lines)), 0, -1):
        head = lines[number - 1]
        indent = head[: len(head) - len(head.lstrip(" \t-"))]
        if "\t" in indent:
            return (
                number,
                "a tab character is in this line's indentation: YAML indents with spaces"
                " only; replace the tab with spaces (two for each level, as on the lines"
                " around it)",
            )
        if line - number >= 2:
            break
    return None


def _empty_events(lines: list[str], line: int, problem: str) -> Hint | None:
    """An event written under `events: []`, which says there are none."""
    for number in range(min(line, len(lines)), 0, -1):
        match = _EMPTY_EVENTS.match(lines[number - 1])
        if match is not None:
            if not any(_ITEM.match(after) for after in lines[number:line]):
                return None
            indent = match.group("indent")
            return (
                number,
                f"`events: []` says there are no events, so the event below it cannot be"
                f" read: write `{indent}events:` alone on this line, and each event below it"
                " on a line of its own starting with `  - `",
            )
    return None


def _colon(lines: list[str], line: int, problem: str) -> Hint | None:
    """A value holding `: ` (or starting with `- `), which YAML reads as a new key (or a
    list) when it is not quoted."""
    if not (
        "mapping values are not allowed" in problem
        or "block sequence entries are not allowed" in problem
    ):
        return None
    if not 0 < line <= len(lines):
        return None
    match = _KEY_VALUE.match(lines[line - 1])
    if match is None or match.group("value")[:1] in "\"'{[":
        return None
    key, value = match.group("key"), match.group("value")
    what = (
        "starts with `- `, which YAML reads as a list"
        if value.startswith("- ")
        else ("holds `: `, which YAML reads as a new key")
    )
    lead = match.group("lead").strip()
    return (
        line,
        f"the value of `{key}` {what}: put the value in double quotes:"
        f" {lead + ' ' if lead else ''}{key}: {_quoted(value)}",
    )


def _flow_colon(lines: list[str], line: int, problem: str) -> Hint | None:
    """The same, in an event written on one line (`{type: note, note: call: back}`)."""
    if "expected ',' or '}'" not in problem or not 0 < line <= len(lines):
        return None
    inside = lines[line - 1].strip().removeprefix("-").strip()
    if not (inside.startswith("{") and inside.endswith("}")):
        return None
    for part in inside[1:-1].split(", "):
        key, _, value = part.partition(": ")
        if ": " in value and not value.startswith(("'", '"')):
            return (
                line,
                f"the value of `{key.strip()}` holds `: `, which YAML reads as a new key: put"
                f" it in double quotes: {key.strip()}: {_quoted(value.strip())}",
            )
    return (
        line,
        "a value in this one-line event holds `: ` or a comma, which YAML reads as a new"
        ' key or value: put that value in double quotes (note: "called: no answer")',
    )


def _reserved(lines: list[str], line: int, problem: str) -> Hint | None:
    """A value starting with a character YAML keeps for itself (`@`, a backquote...)."""
    if "cannot start any token" not in problem or not 0 < line <= len(lines):
        return None
    match = _KEY_VALUE.match(lines[line - 1])
    if match is None or match.group("value")[:1] not in _RESERVED_START:
        return None
    key, value = match.group("key"), match.group("value")
    return (
        line,
        f"the value of `{key}` starts with `{value[0]}`, which YAML keeps for itself: put"
        f" the value in double quotes: {key}: {_quoted(value)}",
    )


_LONGEST = 100
"""The longest value repeated in a message; a longer one is cut short."""


def _quoted(value: str) -> str:
    """`value` in double quotes, as YAML reads it back (cut short when long)."""
    if len(value) > _LONGEST:
        return '"' + value[:_LONGEST].replace("\\", "\\\\").replace('"', '\\"') + '…"'
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_HINTS: tuple[Callable[[list[str], int, str], Hint | None], ...] = (
    _conflict,
    _tab,
    _empty_events,
    _colon,
    _flow_colon,
    _reserved,
)
