"""What is published (the site, `complaints stats`, `complaints report`) is made only from a
register that `complaints check` accepts: a register it refuses is refused with check's own
messages. The listings (`list`, `show`, `overdue`) still show an officer every complaint.
The site's side is in tests/test_site_build.py."""

import json

import pytest
from conftest import ROOT, installed
from registers import tempting, write_register

# Rules that `check` applies whatever the date: personal data in a summary, and a category
# the policy does not list. Each file stays valid in shape (it reads as a complaint).
REFUSED = {
    "personal data": ("summary", "Please write to jane.doe@example.com about the bill"),
    "unknown category": ("category", "parking"),
}


def refused_register(register, rule: str) -> tuple[str, int]:
    """The tempting register with one complaint that breaks `rule`: (its ID, the line)."""
    complaints = tempting()
    key, value = REFUSED[rule]
    complaints[3][key] = value
    write_register(register.root, complaints)
    bad = complaints[3]["id"]
    lines = register.path(bad).read_text(encoding="utf-8").splitlines()
    return bad, next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


def check_messages(register) -> list[str]:
    checked = register.run("check")
    assert checked.exit_code == 1, checked.output
    return checked.stdout.splitlines()


@pytest.mark.parametrize("rule", REFUSED)
def test_stats_refuses_a_register_check_refuses(register, rule):
    bad, line = refused_register(register, rule)
    messages = check_messages(register)
    assert len(messages) == 1
    assert messages[0].startswith(f"{register.path(bad)}:{line}: {REFUSED[rule][0]}: ")
    for fmt in ("json", "csv"):
        result = register.run("stats", "--as-of", "2026-06-30", "--format", fmt)
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr.splitlines() == messages


@pytest.mark.parametrize("rule", REFUSED)
def test_report_refuses_a_register_check_refuses(register, rule):
    bad, line = refused_register(register, rule)
    messages = check_messages(register)
    assert messages[0].startswith(f"{register.path(bad)}:{line}: ")
    for fmt in ("md", "html"):
        result = register.run(
            "report", "--from", "2026-03-01", "--to", "2026-06-30", "--format", fmt
        )
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert result.stderr.splitlines() == messages


def test_listings_still_show_a_register_check_refuses(register):
    bad, _ = refused_register(register, "personal data")
    listed = register.run("list", "--status", "all", "--format", "json", "--as-of", "2026-06-30")
    assert listed.exit_code == 0, listed.output
    assert bad in {c["id"] for c in json.loads(listed.stdout)}
    shown = register.run("show", bad, "--as-of", "2026-06-30")
    assert shown.exit_code == 0, shown.output
    overdue = register.run("overdue", "--as-of", "2026-06-30", "--format", "json")
    assert overdue.stdout.startswith("[") and "Traceback" not in overdue.output


def test_stats_and_report_publish_a_register_check_accepts(register):
    write_register(register.root, tempting())
    assert register.run("check").exit_code == 0
    stats = register.run("stats", "--as-of", "2026-06-30")
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["as_of_month"] == "2026-06"
    report = register.run("report", "--from", "2026-03-01", "--to", "2026-06-30")
    assert report.exit_code == 0, report.output
    assert report.stdout.startswith("#")


def test_the_example_register_publishes_its_statistics():
    result = installed("stats", "--format", "csv", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("period,period_type,table,item,unit,value,note\n")
