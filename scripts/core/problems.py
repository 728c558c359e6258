"""A problem found in a register file, and the ways of printing a list of them."""

import json
import re
from dataclasses import asdict, dataclass

KeyPath = tuple[str | int, ...]
"""Where a value stands in a file's data: keys and list indexes from the top."""


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong, and where: `file` as given (relative to where the tool runs), `line`
    1-based or 0 when the whole file is meant, `where` the key path (`events[3].at`) or ""."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        detail = f"{self.where}: {self.message}" if self.where else self.message
        return terminal_safe(f"{place}: {detail}")


class ProblemsFound(Exception):
    """Raised where work must stop because of problems in the register's files."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def where(path: KeyPath) -> str:
    """`('events', 3, 'at')` written as people read it: `events[3].at`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def as_text(problems: list[Problem]) -> str:
    return "\n".join(map(str, problems))


def as_github(problems: list[Problem]) -> str:
    """GitHub Actions annotations: each appears on the line of the pull request's diff."""
    return "\n".join(
        f"::error file={escape_property(p.file)},line={max(p.line, 1)},"
        f"title={escape_property(p.where or 'register')}::{escape_data(_detail(p))}"
        for p in problems
    )


def as_json(problems: list[Problem]) -> str:
    return json_safe(json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False))


def _detail(problem: Problem) -> str:
    return f"{problem.where}: {problem.message}" if problem.where else problem.message


# The escaping GitHub's workflow commands require (actions/toolkit, command.ts); then any
# other control character made visible, as the log shows the line in a terminal's colours.
def escape_data(text: str) -> str:
    return terminal_safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


# What a terminal acts on rather than shows: C0 controls (escape sequences begin with ESC,
# hyperlinks and titles with OSC), DEL, C1 controls (CSI and OSC in one character), and the
# bidirectional embeddings, overrides and isolates, which reorder what a line shows.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_BUT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")  # keeps \n


def terminal_safe(text: str, lines: bool = False) -> str:
    """`text` as a terminal should print it: every control character but the tab (and the
    line break, when `lines` says the text is meant to be several lines) shown as its
    escape, `\\x1b` for ESC, `\\r` for a carriage return, so that a value read from a file
    can neither move the cursor, recolour, retitle or clear the screen, hide text nor
    forge a line of output."""
    unsafe = _UNSAFE_BUT_LINES if lines else _UNSAFE
    return unsafe.sub(_visible, text)


def _visible(found: re.Match[str]) -> str:
    return found.group().encode("unicode_escape").decode("ascii")


# json.dumps escapes C0 controls but, with ensure_ascii=False, leaves DEL, the C1 controls
# and the bidirectional controls as they are.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}]")


def json_safe(text: str) -> str:
    """JSON text with the characters a terminal acts on written as `\\u` escapes: the same
    data, safe to print."""
    return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
