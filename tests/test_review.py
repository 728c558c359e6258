"""The management review: the example register's last full quarter (2026 Q3), checked
against figures worked out here, independently, from the raw YAML files.

The reference below reads the files with PyYAML, counts working days with the `holidays`
package and the policy's closures, and replays each complaint's events with the deadline
rules of DESIGN.md section 4 written out again in a few lines. It does not import
`complaints_register.core.review`, `complaints_register.core.status` or `complaints_register.core.lifecycle`: the report, made by the installed
command, is compared with it table by table.
"""

import itertools
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
import yaml
from conftest import EXAMPLE, ROOT, complaint, installed, write_yaml

START, END = date(2026, 7, 1), date(2026, 9, 30)
MONTHS = ["2026-07", "2026-08", "2026-09"]
POLICY = yaml.safe_load((EXAMPLE / "policy.yaml").read_text(encoding="utf-8"))
ZONE = ZoneInfo(POLICY["calendar"]["timezone"])
HOLIDAYS = holidays.country_holidays("IT", years=range(2025, 2028))
CLOSURES = set(POLICY["calendar"]["closures"])
TARGETS = POLICY["targets"]


def local(value) -> date:
    return value.astimezone(ZONE).date() if isinstance(value, datetime) else value


def working(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS and day not in CLOSURES


def add(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= working(day)
    return day


def between(after: date, through: date) -> int:
    return sum(working(after + timedelta(days=k)) for k in range(1, (through - after).days + 1))


@dataclass
class Clock:
    """One stage of one complaint, replayed."""

    number: int
    start: date
    priority: str
    handler: str | None = None
    respond_from: date | None = None
    acknowledged: date | None = None
    responded: date | None = None
    paused_since: date | None = None
    paused_days: int = 0
    extended: date | None = None
    stopped: date | None = None
    late: set = field(default_factory=set)

    def ack_due(self) -> date:
        return add(self.start, TARGETS[f"stage{self.number}"]["acknowledge"])

    def respond_due(self, today: date) -> date:
        if self.extended:
            return self.extended
        pause = between(self.paused_since, today) if self.paused_since else 0
        target = TARGETS[f"stage{self.number}"]["respond"][self.priority]
        return add(self.respond_from, target + self.paused_days + pause)


@dataclass
class Replayed:
    id: str
    received: date
    category: str
    clocks: list
    events: list  # (day, stage, event) up to END
    status: str


def replay(data: dict) -> Replayed:
    """The complaint's events up to END, in the order they happened, with its clocks."""
    received = local(data["received"])
    retracted = {e["event"] for e in data["events"] if e["type"] == "retracted"}
    ordered = sorted(
        (local(e["at"]), i, e)
        for i, e in enumerate(data["events"])
        if i not in retracted and local(e["at"]) <= END
    )
    clocks = [Clock(1, received, "normal", respond_from=received)]
    category, status, events = data["category"], "open", []
    for day, _, e in ordered:
        c, kind = clocks[-1], e["type"]
        if kind == "acknowledged":
            c.acknowledged = day
            c.late |= {"acknowledge"} if day > c.ack_due() else set()
        elif kind == "assessed":
            c.priority = e["priority"]
            c.handler = e.get("handler", c.handler)
            category = e.get("category", category)
        elif kind == "info-requested":
            c.paused_since = day
        elif kind in ("info-received", "responded") and c.paused_since:
            c.paused_days += between(c.paused_since, day)
            c.paused_since = None
        if kind == "extended":
            c.extended = e["due"]
        elif kind == "responded":
            if c.acknowledged is None:
                c.acknowledged = day
                c.late |= {"acknowledge"} if day > c.ack_due() else set()
            c.responded = day
            c.late |= {"respond"} if day > c.respond_due(day) else set()
        elif kind == "escalated":
            c.stopped = day
            clocks.append(Clock(2, day, c.priority, handler=e["handler"], respond_from=day))
            status = "open"
        elif kind in ("closed", "referred", "withdrawn"):
            c.stopped, status = day, kind
        elif kind == "reopened":
            c.stopped, c.responded, c.extended, c.paused_days = None, None, None, 0
            c.respond_from, status = day, "open"
        events.append((day, clocks[-1].number, e))
    return Replayed(data["id"], received, category, clocks, events, status)


def overdue_at_end(c: Clock) -> list[tuple[str, bool]]:
    """(step, very overdue) for each step of a running clock past due on END."""
    if c.stopped:
        return []
    found = []
    if c.acknowledged is None and END > c.ack_due():
        found.append(("acknowledge", END > add(c.ack_due(), TARGETS["very_overdue_after"])))
    if c.responded is None and c.paused_since is None and END > c.respond_due(END):
        found.append(("respond", END > add(c.respond_due(END), TARGETS["very_overdue_after"])))
    return found


def nearest_rank(values: list[int], q: int) -> int:
    return sorted(values)[math.ceil(q / 100 * len(values)) - 1]


def whole_percent(part: int, total: int) -> str:
    return f"{math.floor(100 * part / total + 0.5)}%"


@pytest.fixture(scope="module")
def complaints() -> list[Replayed]:
    files = sorted(EXAMPLE.glob("[0-9][0-9][0-9][0-9]/C-*.yaml"))
    loaded = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    return [replay(data) for data in loaded if local(data["received"]) <= END]


@pytest.fixture(scope="module")
def report() -> dict[str, list]:
    result = installed("report", "--from", str(START), "--to", str(END), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return sections(result.stdout)


def sections(markdown: str) -> dict[str, list]:
    """Each `## ` section's paragraphs (str) and tables (list of rows, header first)."""
    found: dict[str, list] = {}
    for block in re.split(r"^## ", markdown, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        parts = found[heading] = []
        for chunk in body.strip().split("\n\n"):
            lines = chunk.strip().splitlines()
            if lines[0].startswith("|"):
                parts.append([cells(line) for line in lines if not line.startswith("|---")])
            else:
                parts.append(re.sub(r"\\(.)", r"\1", chunk.strip()))
    return found


def cells(line: str) -> list[str]:
    inner = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [re.sub(r"\\(.)", r"\1", cell.strip()) for cell in inner]


def table(report, heading: str, index: int = 0) -> list[list[str]]:
    return [part for part in report[heading] if isinstance(part, list)][index][1:]


def in_period(day: date) -> bool:
    return START <= day <= END


def test_volumes_by_month(complaints, report):
    expected = {m: [0, 0, 0, 0] for m in MONTHS}
    for c in complaints:
        if in_period(c.received):
            expected[f"{c.received:%Y-%m}"][0] += 1
        for day, _, e in c.events:
            column = {"responded": 1, "closed": 2, "escalated": 3}.get(e["type"])
            if column and in_period(day):
                expected[f"{day:%Y-%m}"][column] += 1
    rows = table(report, "Volumes by month")
    assert {row[0]: [int(x) for x in row[1:]] for row in rows[:-1]} == expected
    assert rows[-1] == ["Total", *(str(sum(v[k] for v in expected.values())) for k in range(4))]
    # Received in Q3, counted from the file names: 3 in July, 4 in August, 5 in September.
    assert [v[0] for v in expected.values()] == [3, 4, 5]


def test_timeliness(complaints, report):
    rows = {(row[0], row[1]): row[2:] for row in table(report, "Timeliness")}
    for stage in (1, 2):
        for step in ("acknowledge", "respond"):
            done_days, within, overdue, very = [], 0, 0, 0
            for c in complaints:
                for clock in c.clocks:
                    if clock.number != stage:
                        continue
                    done = clock.acknowledged if step == "acknowledge" else clock.responded
                    start = clock.start if step == "acknowledge" else clock.respond_from
                    if done and in_period(done):
                        done_days.append(between(start, done))
                        within += step not in clock.late
                    for late_step, is_very in overdue_at_end(clock):
                        overdue += late_step == step
                        very += late_step == step and is_very
            expected = [
                str(len(done_days)),
                str(within),
                whole_percent(within, len(done_days)) if done_days else "-",
                f"{statistics.median(done_days):g}" if done_days else "-",
                str(nearest_rank(done_days, 90)) if done_days else "-",
                str(overdue),
                str(very),
            ]
            assert rows[(str(stage), step)] == expected, (stage, step)


def test_outcomes_and_remedies(complaints, report):
    outcomes, remedies = Counter(), Counter()
    for c in complaints:
        for day, stage, e in c.events:
            if e["type"] == "responded" and in_period(day):
                outcomes[(stage, e["outcome"])] += 1
                remedies.update(e.get("remedies", []))
    rows = table(report, "Outcomes and remedies")
    assert {row[0]: [int(x) for x in row[1:]] for row in rows} == {
        o: [outcomes[(1, o)], outcomes[(2, o)], outcomes[(1, o)] + outcomes[(2, o)]]
        for o in ("upheld", "partly-upheld", "not-upheld")
    }
    assert {row[0]: int(row[1]) for row in table(report, "Outcomes and remedies", 1)} == remedies


def test_categories_pareto_and_recurring(complaints, report):
    received = [c for c in complaints if in_period(c.received)]
    counts = Counter(c.category for c in received)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = table(report, "Categories")
    assert [(row[1], int(row[2])) for row in rows] == ranked
    running = 0
    for row, (_category, count) in zip(rows, ranked, strict=True):
        assert row[5] == ("yes" if running / len(received) < 0.8 else "")
        running += count
        assert row[3:5] == [
            whole_percent(count, len(received)),
            whole_percent(running, len(received)),
        ]
    assert rows[-1][4] == "100%"

    months = {
        category: [
            sum(1 for c in received if c.category == category and f"{c.received:%Y-%m}" == m)
            for m in MONTHS
        ]
        for category in counts
    }
    recurring = {
        category: by_month
        for category, by_month in months.items()
        if any(a and b for a, b in itertools.pairwise(by_month))
    }
    found = {row[0]: [int(x) for x in row[1:4]] for row in table(report, "Recurring problems")}
    assert found == recurring
    # By hand: service-quality came in every month, billing in August and September.
    assert set(found) == {"service-quality", "billing"}


def test_escalations_and_referrals(complaints, report):
    escalated = sorted(
        c.id
        for c in complaints
        for day, _, e in c.events
        if e["type"] == "escalated" and in_period(day)
    )
    referred = Counter(
        e["to"]
        for c in complaints
        for day, _, e in c.events
        if e["type"] == "referred" and in_period(day)
    )
    text = report["Escalations and referrals"][0]
    assert (
        text
        == f"Escalated to an internal review (stage 2): {len(escalated)} ({', '.join(escalated)})."
    )
    assert {row[0]: int(row[1]) for row in table(report, "Escalations and referrals")} == referred


def test_satisfaction(complaints, report):
    closed = Counter(
        e.get("satisfied")
        for c in complaints
        for day, _, e in c.events
        if e["type"] == "closed" and in_period(day)
    )
    scores = [
        e["score"]
        for c in complaints
        for day, _, e in c.events
        if e["type"] == "surveyed" and in_period(day)
    ]
    assert {row[0]: int(row[1]) for row in table(report, "Satisfaction")} == {
        "satisfied": closed[True],
        "not satisfied": closed[False],
        "not known": closed[None],
    }
    assert (
        f"{len(scores)} answer(s), mean {sum(scores) / len(scores):.1f}."
        in report["Satisfaction"][2]
    )
    assert {int(row[0]): int(row[1]) for row in table(report, "Satisfaction", 1)} == {
        s: scores.count(s) for s in range(1, 6)
    }


def test_late_and_overdue_by_handler(complaints, report):
    expected: dict[str, list] = {}
    for c in complaints:
        for clock in c.clocks:
            row = expected.setdefault(clock.handler or "unassigned", [0, 0, 0, 0, set()])
            for step, done, column in (
                ("acknowledge", clock.acknowledged, 0),
                ("respond", clock.responded, 1),
            ):
                if done and in_period(done) and step in clock.late:
                    row[column] += 1
                    row[4].add(c.id)
            for _, is_very in overdue_at_end(clock):
                row[2] += 1
                row[3] += is_very
                row[4].add(c.id)
    expected = {h: [*map(str, v[:4]), ", ".join(sorted(v[4]))] for h, v in expected.items() if v[4]}
    assert {row[0]: row[1:] for row in table(report, "Late and overdue, by handler")} == expected
    # By hand: only C-2026-0804-JZHT (due 2 September) was overdue on 30 September.
    assert expected == {"marco": ["0", "0", "1", "0", "C-2026-0804-JZHT"]}


def test_improvement_actions(report):
    files = sorted((EXAMPLE / "actions").glob("A-*.yaml"))
    actions = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    open_in_period = [
        a for a in actions if a["opened"] <= END and (a["done"] is None or a["done"] >= START)
    ]
    rows = table(report, "Improvement actions")
    assert [row[0] for row in rows] == sorted(a["id"] for a in open_in_period)
    for row, a in zip(rows, sorted(open_in_period, key=lambda a: a["id"]), strict=True):
        done = a["done"] if a["done"] and a["done"] <= END else None
        state = (
            "done"
            if done and done <= a["due"]
            else "done late"
            if done
            else "open"
            if END <= a["due"]
            else "overdue"
        )
        assert row[1:7] == [
            a["kind"],
            a["owner"],
            str(a["opened"]),
            str(a["due"]),
            str(done or ""),
            state,
        ]
    opened = sum(in_period(a["opened"]) for a in actions)
    done = sum(a["done"] is not None and in_period(a["done"]) for a in actions)
    assert (
        f"Improvement actions: {opened} opened and {done} done in the period"
        in report["Summary"][3]
    )


def test_summary(complaints, report):
    received = sum(in_period(c.received) for c in complaints)
    still_open = sum(c.status == "open" for c in complaints)
    assert report["Summary"][0] == (
        f"Figures as of {END}, the last day of the period. {received}"
        f" complaint(s) received; {still_open} open at the end of the period."
    )


def test_html_is_the_same_report_escaped(tmp_path):
    register = tmp_path / "register"
    # Without the example's staff roster, any name will do: markup in one is the attack.
    write_yaml(register / "policy.yaml", {k: v for k, v in POLICY.items() if k != "staff"})
    write_yaml(
        register / "2026" / "C-2026-0403-K7Q2.yaml",
        complaint(
            {
                "type": "assessed",
                "at": "2026-04-07",
                "by": "anna",
                "priority": "normal",
                "handler": "<b>marco</b> & co",
            },
            language="en",
        ),
    )
    html = installed(
        "--register",
        str(register),
        "report",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        "--format",
        "html",
        cwd=tmp_path,
    )
    assert html.returncode == 0, html.stderr
    assert html.stdout.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;marco&lt;/b&gt; &amp; co" in html.stdout and "<b>marco" not in html.stdout
    assert "http" not in html.stdout.replace("https://", "")  # nothing fetched from anywhere
    assert "<script" not in html.stdout and "src=" not in html.stdout
    md = installed(
        "--register",
        str(register),
        "report",
        "--from",
        "2026-04-01",
        "--to",
        "2026-06-30",
        cwd=tmp_path,
    )
    assert "\\<b\\>marco\\</b\\> & co" in md.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2026-09-30", "--to", "2026-07-01"], "is before --from"),
        (["--from", "2026-07-01", "--to", "2199-12-31"], "has not ended yet"),
        (["--from", "2026-07-01"], "Missing option '--to'"),
    ],
)
def test_bad_periods(args, message):
    result = installed("report", *args, cwd=ROOT)
    assert result.returncode == 2 and message in result.stderr
