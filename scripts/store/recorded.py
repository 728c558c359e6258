"""Published statistics recorded in the register: `statistics/<period>.yaml`, one file per
period, written once and never changed (DESIGN.md section 6, "Statistics over time").

`record` works out the statistics as published on a day (`core.figures.settled`, with the
periods recorded already as they are) and writes a file for each period published that day
that has none yet. The site (`website.build`) publishes the recorded periods exactly as
recorded and works out only the periods that have settled and are not recorded yet.
`complaints check` reads every file here (`recorded_problems`); `check --base` refuses one
changed or deleted (`store.ledger`); `push_recorded` commits and pushes what `record` wrote,
for the publish workflow.
"""

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from complaints_register.core.figures import Figure, Recorded, last_month_of, settle_day, settled
from complaints_register.core.problems import Problem, ProblemsFound, where
from complaints_register.core.recorded import FOLDER, is_period, recorded_from
from complaints_register.core.status import Facts
from complaints_register.schema import Policy
from complaints_register.store.files import RegisterError, create_new, read_raw, shown
from complaints_register.store.overview import all_facts
from complaints_register.store.register import Register
from complaints_register.store.yamlsafe import YamlError, parse

if TYPE_CHECKING:
    from complaints_register.core.figures import Published
    from complaints_register.core.working_days import Calendar

COMMITTER = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


def is_recorded_file(path: Path) -> bool:
    """Whether `path` is in a statistics folder (and so is checked as a recorded period)."""
    return path.parent.name == FOLDER


def recorded_paths(register: Register) -> list[Path]:
    """Every plain file in the statistics folder (anything else there is a stray)."""
    return register.files_in(FOLDER)


def read_recorded(path: Path) -> tuple[Recorded | None, list[Problem]]:
    """The recorded period in `path`, or None and its problems, each at its line."""
    name = shown(path)
    if not (path.suffix == ".yaml" and is_period(path.stem)):
        return None, [
            Problem(
                name,
                0,
                "",
                "not a recorded period: the files here are named for their period"
                " (2025.yaml, 2025-Q3.yaml, 2025-07.yaml)",
            )
        ]
    try:
        document = parse(read_raw(path))
    except OSError as error:
        return None, [Problem(name, 0, "", f"cannot read: {error.strerror}")]
    except YamlError as error:
        return None, [Problem(name, error.line, "", error.message)]
    record, found = recorded_from(document.data, path.stem)
    return record, [
        Problem(name, document.line_of(key_path), where(key_path), message)
        for key_path, message in found
    ]


def recorded_problems(register: Register, paths: list[Path] | None = None) -> list[Problem]:
    """The problems of every recorded period (or of those at `paths`)."""
    problems: list[Problem] = []
    for path in recorded_paths(register) if paths is None else paths:
        problems += read_recorded(path)[1]
    return problems


def recorded_periods(register: Register) -> dict[str, Recorded]:
    """Every recorded period by name; ProblemsFound when one cannot be read as one."""
    found: dict[str, Recorded] = {}
    problems: list[Problem] = []
    for path in recorded_paths(register):
        record, wrong = read_recorded(path)
        problems += wrong
        if record is not None:
            found[record.period] = record
    if problems:
        raise ProblemsFound(problems)
    return found


def _facts_on(
    register: Register, policy: Policy, calendar: "Calendar", known: dict[date, list[Facts]]
) -> Callable[[date, tuple[str, str] | None], list[Facts]]:
    """What `core.figures.settled` asks for: the complaints received in some months (all
    with None), as they stood on a day; only the files whose ID falls near those months
    are read. `known`: the whole register's facts on a day the caller has them already."""

    def facts_on(day: date, months: tuple[str, str] | None) -> list[Facts]:
        if months is None and day in known:
            return known[day]
        within = register if months is None else ReceivedIn(register.root, *months)
        return all_facts(within, policy, calendar, day)[0]

    return facts_on


def recorded_readable(register: Register) -> dict[str, Recorded]:
    """Every recorded period that can be read (`complaints check` tells of the others)."""
    found = (read_recorded(path)[0] for path in recorded_paths(register))
    return {record.period: record for record in found if record is not None}


def not_as_published(register: Register, path: Path) -> list[Problem]:
    """A recorded period added (`check --base`) must be what was published on its settle
    day: worked out again as of that day, with the periods recorded before it as recorded,
    it must have the same figures under the same rules. Nothing is said of a file that
    cannot be read (`complaints check` says why) or of a register without a valid policy."""
    record = read_recorded(path)[0]
    if record is None:
        return []
    try:
        policy = register.policy()
    except (ProblemsFound, RegisterError):
        return []
    calendar = register.calendar(policy)

    facts_on = _facts_on(register, policy, calendar, {})

    earlier = {p: r for p, r in recorded_readable(register).items() if r.settled < record.settled}
    published = settled(facts_on, policy, calendar, record.settled, earlier)
    figures = tuple(f for f in published.figures if f.period == record.period)
    rules = (published.min_count_of(record.period), published.min_rate_base_of(record.period))
    if figures == record.figures and rules == (record.min_count, record.min_rate_base):
        return []
    document = parse(read_raw(path))
    if rules != (record.min_count, record.min_rate_base):
        key_path: tuple[str | int, ...] = ("min_count",)
    elif not figures:
        key_path = ("settled",)
    else:
        pairs = list(zip(figures, record.figures, strict=False))
        index = next((i for i, (a, b) in enumerate(pairs) if a != b), len(pairs))
        key_path = ("figures", index)
    said = (
        f"not what was published on {record.settled}: worked out again as of that day, the"
        f" figures of {record.period} differ (record them with `complaints stats --record`)"
        if figures
        else f"{record.period} was not published on {record.settled}"
    )
    return [Problem(shown(path), document.line_of(key_path), where(key_path), said)]


class ReceivedIn(Register):
    """The register, its complaint files limited to those whose ID says they were received
    from month `first` to month `last` (a month either side, for a receipt near midnight
    in another time zone): the statistics of a settle day need only those. A file named
    otherwise stays listed."""

    def __init__(self, root: Path, first: str, last: str):
        super().__init__(root)
        self._span = (_month_beside(first, -1), _month_beside(last, 1))

    def complaint_names(self) -> list[str]:
        return [name for name in super().complaint_names() if self._within(name)]

    def _within(self, name: str) -> bool:
        found = COMPLAINT_MONTH.search(name)
        return found is None or self._span[0] <= f"{found[1]}-{found[2]}" <= self._span[1]


COMPLAINT_MONTH = re.compile(r"C-(\d{4})-(\d{2})\d{2}-[0-9A-Z]{4}\.yaml$")


def _month_beside(month: str, step: int) -> str:
    year, number = map(int, month.split("-"))
    count = year * 12 + number - 1 + step
    return f"{count // 12:04d}-{count % 12 + 1:02d}"


def published_on(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    as_of: date,
    facts: list[Facts] | None = None,
) -> tuple[dict[str, Recorded], "Published"]:
    """The recorded periods, and the statistics as published on `as_of` with them;
    `facts`: the whole register's as of `as_of`, when the caller has worked them out."""
    facts_on = _facts_on(register, policy, calendar, {} if facts is None else {as_of: facts})

    recorded = recorded_periods(register)
    return recorded, settled(facts_on, policy, calendar, as_of, recorded)


def record(register: Register, policy: Policy, calendar: "Calendar", as_of: date) -> list[Path]:
    """Write a file for every period published on `as_of` that is not recorded yet; the
    files written. Nothing is written when a recorded period cannot be read; a file that
    another run wrote meanwhile is never replaced (RegisterError)."""
    recorded, published = published_on(register, policy, calendar, as_of)
    new = [p for p in dict.fromkeys(f.period for f in published.figures) if p not in recorded]
    if not new:
        return []
    folder = register.folder(FOLDER, "the statistics folder")
    folder.mkdir(exist_ok=True)
    written = []
    for period in new:
        figures = tuple(f for f in published.figures if f.period == period)
        text = recorded_text(
            Recorded(
                period,
                _settled_on(period, policy),
                published.min_count_of(period),  # its year's rules, when they have changed
                published.min_rate_base_of(period),
                figures,
            )
        )
        path = folder / f"{period}.yaml"
        try:
            create_new(path, text)
        except FileExistsError:
            raise RegisterError(
                f"{shown(path)}: recorded meanwhile by another run (run it again)"
            ) from None
        written.append(path)
    return written


def _settled_on(period: str, policy: Policy) -> date:
    return settle_day(last_month_of(period), policy.publication.settle_months)


def recorded_text(record: Recorded) -> str:
    """The file of a recorded period. What it says reads back as the same record (checked
    here: a file that would not is never written)."""
    lines = [
        f"# The statistics of {record.period} as published on {record.settled}, recorded once:",
        "# they are published exactly so from now on, and never changed or removed",
        "# (`complaints check --base` refuses that). Written by `complaints stats --record`.",
        f'period: "{record.period}"',
        f"settled: {record.settled.isoformat()}",
        f"min_count: {record.min_count}",
        f"min_rate_base: {record.min_rate_base}",
        "figures:",
    ]
    lines += [f"  - {_figure_line(figure)}" for figure in record.figures]
    text = "\n".join(lines) + "\n"
    again, problems = recorded_from(parse(text.encode("utf-8")).data, record.period)
    if again != record:
        raise ValueError(f"{record.period}: the record would not read back as written: {problems}")
    return text


_PLAIN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _figure_line(figure: Figure) -> str:
    for text in (figure.table, figure.item, figure.unit):
        if not _PLAIN.fullmatch(text):
            raise ValueError(f"{text!r}: not a name a recorded period holds")
    fields = f"table: {figure.table}, item: {figure.item}, unit: {figure.unit}"
    if figure.note is not None:
        return f"{{{fields}, note: {figure.note}}}"
    return f"{{{fields}, value: {figure.value!r}}}"


def push_recorded(register: Register, written: list[Path], token: str | None) -> str | None:
    """Commit the files `record` wrote (and nothing else) on the branch checked out, as
    github-actions[bot], and push it (a fast-forward only); the commit, or None when
    nothing was written."""
    from complaints_register.store.repository import commit_as, current_branch, open_repository
    from complaints_register.store.repository import push as push_branch

    if not written:
        return None
    with open_repository(register.root) as repo:
        branch = current_branch(repo)
        if re.fullmatch(r"[0-9a-f]{40,64}", branch):
            raise RegisterError("no branch is checked out: nothing to push the statistics to")
        commit = commit_as(
            repo,
            written,
            "Statistics published: " + ", ".join(p.stem for p in written),
            COMMITTER,
            COMMITTER,
        )
        push_branch(repo, branch, token)
    return commit
