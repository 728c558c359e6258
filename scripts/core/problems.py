"""A problem found in a register file, and the ways of printing a list of them."""

import json
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
        return f"{place}: {detail}"


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
    return json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False)


def _detail(problem: Problem) -> str:
    return f"{problem.where}: {problem.message}" if problem.where else problem.message


# The escaping GitHub's workflow commands require (actions/toolkit, command.ts).
def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
