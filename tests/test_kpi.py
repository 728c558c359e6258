"""`complaints kpi`: a register generated under each regime, and its figures worked out
again here, independently: the dates each complaint was given when it was generated,
working days counted one by one from the `holidays` package's list (not the register's
calendar), and the figures counted as each regulator defines them (DESIGN.md section 11).
"""

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
import yaml
from click.testing import CliRunner
from test_regimes import init

from complaints_register.cli.main import cli

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))
HOMES = 2400
OUTCOMES = ("upheld", "partly-upheld", "not-upheld")


class Place:
    """Working days counted the slow way: every day, its weekday, the holiday list."""

    def __init__(self, country: str, subdivision: str | None):
        self.off = holidays.country_holidays(country, subdiv=subdivision, years=range(2025, 2028))

    def working(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.off

    def between(self, after: date, through: date) -> int:
        return sum(
            1 for n in range(1, (through - after).days + 1) if self.working(after + timedelta(n))
        )

    def add(self, start: date, n: int) -> date:
        day = start
        while n:
            day += timedelta(1)
            n -= self.working(day)
        return day


def generated() -> list[dict]:
    """150 complaints received from November 2025 to July 2026, each following one of seven
    patterns (i % 7), every date known here: `dates` keeps them for the expected figures."""
    found = []
    for i in range(150):
        received = date(2025, 11, 3) + timedelta(days=(i * 53) % 260)
        pattern = i % 7
        d = {"i": i, "pattern": pattern, "received": received}

        def day(n: int, received: date = received) -> str:
            return (received + timedelta(n)).isoformat()

        events = []
        if pattern == 0:  # answered in a week, upheld
            d.update(ack=1, resp1=7, out1="upheld", ended=7)
        elif pattern == 1:  # answered late, not upheld
            d.update(ack=2, resp1=20, out1="not-upheld", ended=20)
        elif pattern == 2:  # answered in three days
            d.update(ack=1, resp1=3, out1="partly-upheld", ended=3)
        elif pattern in (3, 6):  # escalated: stage 2 on time (3) or late (6)
            out2 = "partly-upheld" if pattern == 3 else ("upheld" if i % 2 else "not-upheld")
            resp2 = 12 + 28 if pattern == 3 else 12 + 50
            d.update(
                ack=1,
                resp1=8,
                out1="not-upheld",
                esc=12,
                ack2=14,
                resp2=resp2,
                out2=out2,
                ended=resp2,
            )
        elif pattern == 4:  # acknowledged, still open
            d.update(ack=3)
        else:  # withdrawn before an answer
            d.update(ack=1, withdrawn=10, ended=10)
        events.append({"type": "acknowledged", "at": day(d["ack"]), "by": "anna"})
        if "resp1" in d:
            events.append(
                {"type": "responded", "at": day(d["resp1"]), "by": "anna", "outcome": d["out1"]}
            )
        if "esc" in d:
            events.append(
                {"type": "escalated", "at": day(d["esc"]), "by": "anna", "handler": "bruno"}
            )
            events.append({"type": "acknowledged", "at": day(d["ack2"]), "by": "bruno"})
            events.append(
                {"type": "responded", "at": day(d["resp2"]), "by": "bruno", "outcome": d["out2"]}
            )
            events.append({"type": "closed", "at": day(d["resp2"]), "by": "bruno"})
        elif "resp1" in d:
            events.append({"type": "closed", "at": day(d["resp1"]), "by": "anna"})
        if "withdrawn" in d:
            events.append({"type": "withdrawn", "at": day(d["withdrawn"]), "by": "anna"})
        d["id"] = f"C-{received:%Y}-{received:%m%d}-{i:04d}"
        d["file"] = {
            "id": d["id"],
            "received": received.isoformat(),
            "channel": "email",
            "language": "en",
            "category": "billing",
            "summary": "A complaint made up for the test",
            "events": events,
        }
        for key in ("ack", "resp1", "esc", "ack2", "resp2", "withdrawn", "ended"):
            if key in d:
                d[key] = received + timedelta(d[key])
        found.append(d)
    return found


COMPLAINTS = generated()


def in_period(day: date | None) -> bool:
    return day is not None and PERIOD[0] <= day <= PERIOD[1]


def make(tmp_path: Path, name: str, complaints=COMPLAINTS, homes: int | None = HOMES) -> Path:
    root = init(tmp_path, name)
    path = root / "policy.yaml"
    data = yaml.safe_load(path.read_text())
    if homes is not None:
        data["organisation"] = {"name": "Test Homes", "homes": homes}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    for c in complaints:
        file = root / c["id"][2:6] / f"{c['id']}.yaml"
        file.parent.mkdir(exist_ok=True)
        file.write_text(yaml.safe_dump(c["file"], sort_keys=False))
    return root


def kpi(root: Path, name: str, fmt: str):
    result = CliRunner().invoke(
        cli,
        [
            "--register",
            str(root),
            "kpi",
            "--regime",
            name,
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--format",
            fmt,
        ],
    )
    assert result.exit_code == 0, result.output
    return result


def rows_of(result, title_start: str) -> list[dict]:
    data = json.loads(result.stdout)
    (table,) = [t for t in data["tables"] if t["title"].startswith(title_start)]
    return table["rows"]


def big(n: int) -> str:
    """A count as published: the generated register is laid out so that every count the
    tests read is at least 5 (not suppressed); this says so, and fails if not."""
    assert n >= 5, f"the generated register should give at least 5 here, not {n}"
    return str(n)


def share(part: int, base: int) -> str:
    return f"{100 * part / base:.1f}%" if base >= 30 else "not shown (fewer than 30 cases)"


def test_hos_ch01_ch02(tmp_path):
    england = Place("GB", "ENG")
    result = kpi(make(tmp_path, "hos-2024"), "hos-2024", "json")
    assert json.loads(result.stdout)["exact"] is False
    stage1 = sum(1 for c in COMPLAINTS if in_period(c["received"]))
    stage2 = sum(1 for c in COMPLAINTS if in_period(c.get("esc")))
    assert rows_of(result, "CH01") == [
        {
            "stage": "stage 1",
            "received": big(stage1),
            "per 1,000 homes": f"{1000 * stage1 / HOMES:.1f}",
        },
        {
            "stage": "stage 2",
            "received": big(stage2),
            "per 1,000 homes": f"{1000 * stage2 / HOMES:.1f}",
        },
    ]
    # CH02: a response within the Code's timescales: 10 working days (20 at stage 2) after
    # the acknowledgement, or after the day it was due if that was earlier.
    answered1 = [c for c in COMPLAINTS if in_period(c.get("resp1"))]
    on_time1 = sum(
        1
        for c in answered1
        if c["resp1"] <= england.add(min(c["ack"], england.add(c["received"], 5)), 10)
    )
    answered2 = [c for c in COMPLAINTS if in_period(c.get("resp2"))]
    on_time2 = sum(
        1
        for c in answered2
        if c["resp2"] <= england.add(min(c["ack2"], england.add(c["esc"], 5)), 20)
    )
    assert len(answered1) - on_time1 >= 5 and len(answered2) - on_time2 >= 5  # none hidden
    assert rows_of(result, "CH02") == [
        {
            "stage": "stage 1",
            "answered": big(len(answered1)),
            "within timescales": big(on_time1),
            "share": share(on_time1, len(answered1)),
        },
        {
            "stage": "stage 2",
            "answered": big(len(answered2)),
            "within timescales": big(on_time2),
            "share": share(on_time2, len(answered2)),
        },
    ]
    assessment = {row["provision"]: row for row in rows_of(result, "Self-assessment")}
    assert assessment["6.3"]["comply"] == "no"  # pattern 1 answers late
    assert assessment["6.3"]["evidence"] == f"the register: {on_time1} of {len(answered1)} on time"
    assert assessment["6.13"]["comply"] == "yes"
    assert assessment["1.2"]["comply"] == ""  # the register cannot tell: left to the landlord


def test_spso_indicators(tmp_path):
    scotland = Place("GB", "SCT")
    result = kpi(make(tmp_path, "spso"), "spso", "json")
    received = sum(1 for c in COMPLAINTS if in_period(c["received"]))
    closed1 = [c for c in COMPLAINTS if in_period(c.get("resp1"))]
    days1 = [scotland.between(c["received"], c["resp1"]) for c in closed1]
    closed2 = [c for c in COMPLAINTS if in_period(c.get("resp2"))]
    days2 = [scotland.between(c["esc"], c["resp2"]) for c in closed2]
    within1, within2 = sum(d <= 5 for d in days1), sum(d <= 20 for d in days2)
    assert len(closed1) - within1 >= 5 and len(closed2) - within2 >= 5
    assert len(closed1) >= 30  # shares shown (a small register: test_spso_small_counts)

    def mean(values):
        return (
            f"{sum(values) / len(values):.1f}"
            if len(values) >= 30
            else "not shown (fewer than 30 cases)"
        )

    assert [list(row.values()) for row in rows_of(result, "Indicators")] == [
        ["complaints received", big(received), "", "", ""],
        [
            "closed at stage 1",
            big(len(closed1)),
            big(within1),
            share(within1, len(closed1)),
            mean(days1),
        ],
        [
            "closed at stage 2 (after escalation)",
            big(len(closed2)),
            big(within2),
            share(within2, len(closed2)),
            mean(days2),
        ],
    ]
    outcomes = rows_of(result, "Outcomes")
    for number, (closed, key) in enumerate(((closed1, "out1"), (closed2, "out2")), start=1):
        assert outcomes[number - 1] == {
            "stage": f"stage {number}",
            **{o: big(sum(c[key] == o for c in closed)) for o in OUTCOMES},
        }


def test_spso_small_counts_are_protected(tmp_path):
    """Three complaints: every count below 5 is shown as "fewer than 5"."""
    few = [c for c in COMPLAINTS if c["pattern"] == 0 and in_period(c["resp1"])][:3]
    result = kpi(make(tmp_path, "spso", few), "spso", "md")
    assert "| complaints received | fewer than 5 |" in result.stdout
    assert (
        "| closed at stage 1 | fewer than 5 | fewer than 5 | not shown (fewer than 30 cases)"
        in result.stdout
    )
    assert "For publication" in result.stdout


def test_asic_one_row_per_complaint_received_or_open_at_the_start(tmp_path):
    result = kpi(make(tmp_path, "asic-rg271"), "asic-rg271", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    start, end = PERIOD
    expected = []
    for c in sorted(COMPLAINTS, key=lambda c: (c["received"], c["id"])):
        ended = c.get("ended")
        open_at_start = c["received"] < start and (ended is None or ended >= start)
        if not (in_period(c["received"]) or open_at_start):
            continue
        done = ended is not None and ended <= end
        final = c.get("out2", c.get("out1")) if done and "withdrawn" not in c else ""
        expected.append(
            {
                "complaint_id": c["id"],
                "received_date": c["received"].isoformat(),
                "received_channel": "email",
                "status": "closed" if done else "open",
                "closed_date": ended.isoformat() if done else "",
                "days_to_close": str((ended - c["received"]).days) if done else "",
                "outcome": final or "",
            }
        )
    assert len(expected) > sum(
        1 for c in COMPLAINTS if in_period(c["received"])
    )  # some open at the start
    assert [{k: row[k] for k in expected[0]} for row in rows] == expected
    assert all(row["brand_or_fund"] == "" and row["product"] == "" for row in rows)
    assert "left empty: brand_or_fund, complainant_type" in result.stderr
    assert "complaint_id" in result.stdout.splitlines()[0]


def test_asic_nil_submission(tmp_path):
    result = kpi(make(tmp_path, "asic-rg271", []), "asic-rg271", "csv")
    assert result.stdout.count("\n") == 1  # the header only
    assert "nil submission" in result.stderr


def test_fca_return(tmp_path):
    england = Place("GB", "ENG")
    result = kpi(make(tmp_path, "fca-disp"), "fca-disp", "json")
    data = json.loads(result.stdout)
    assert data["exact"] is True and "exact counts" in data["notice"]
    opened = sum(1 for c in COMPLAINTS if in_period(c["received"]))
    closed = [c for c in COMPLAINTS if in_period(c.get("ended"))]
    fast = sum(1 for c in closed if england.between(c["received"], c["ended"]) <= 3)
    weeks = sum(1 for c in closed if (c["ended"] - c["received"]).days <= 56)
    final = [c.get("out2", c.get("out1")) if "withdrawn" not in c else None for c in closed]

    def pct(n):
        return f"{100 * n / len(closed):.1f}%"

    expected = [
        ["complaints opened", str(opened), ""],
        ["complaints closed", str(len(closed)), ""],
        ["closed within 3 business days", str(fast), pct(fast)],
        ["closed within 8 weeks", str(weeks), pct(weeks)],
        *[[f"closed: {o}", str(final.count(o)), pct(final.count(o))] for o in OUTCOMES],
        ["closed without a response", str(final.count(None)), pct(final.count(None))],
    ]
    assert [list(row.values()) for row in rows_of(result, "Complaints opened")] == expected
    assert fast > 0 and weeks < len(closed)  # both kinds present


def test_hos_without_homes_says_so(tmp_path):
    result = kpi(make(tmp_path, "hos-2024", homes=None), "hos-2024", "md")
    assert "CH01 needs the number of homes" in result.stderr


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_a_register_check_refuses_gives_no_figures(tmp_path, fmt):
    root = make(tmp_path, "fca-disp", COMPLAINTS[:3])
    (root / "policy.yaml").write_text(
        (root / "policy.yaml").read_text().replace("regime: fca-disp", "regime: fca-1999")
    )
    result = CliRunner().invoke(
        cli,
        [
            "--register",
            str(root),
            "kpi",
            "--regime",
            "fca-disp",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--format",
            fmt,
        ],
    )
    assert result.exit_code == 1
    assert "no regime 'fca-1999'" in result.output


def test_kpi_needs_a_regime_and_a_period_in_order(tmp_path):
    root = make(tmp_path, "fca-disp", [])
    path = root / "policy.yaml"
    path.write_text(path.read_text().replace("regime: fca-disp", "# no regime"))
    runner = CliRunner()
    base = ["--register", str(root), "kpi"]
    result = runner.invoke(cli, [*base, "--from", "2026-01-01", "--to", "2026-06-30"])
    assert result.exit_code == 2 and "the policy names no regime: give one" in result.output
    result = runner.invoke(
        cli, [*base, "--regime", "fca-disp", "--from", "2026-07-01", "--to", "2026-06-30"]
    )
    assert result.exit_code == 2 and "2026-06-30 is before --from 2026-07-01" in result.output
    result = runner.invoke(
        cli, [*base, "--regime", "hos-1996", "--from", "2026-01-01", "--to", "2026-06-30"]
    )
    assert result.exit_code == 2 and "no regime 'hos-1996'" in result.output
