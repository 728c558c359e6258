"""Published statistics are recorded in the register (statistics/<period>.yaml) and never
change: the site publishes a recorded period exactly as recorded, whatever is recorded or
decided later; `complaints check` refuses a recorded period that is malformed, and, with
--base, one changed or deleted (DESIGN.md section 6, "Statistics over time")."""

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, git, write_yaml
from registers import ev, received, tempting, write_register
from sites import build, site_register
from test_statistics import RECEIPT_TABLES, attack

from complaints_register.cli.main import cli
from complaints_register.core.figures import Published, Recorded
from complaints_register.core.recorded import is_recorded_path, recorded_from
from complaints_register.store.recorded import published_on, recorded_text
from complaints_register.store.register import Register
from complaints_register.website.statistics_page import statistics_page

# settle_months 3: a month is published on the last day of the third month after it. The
# tempting register's months are March (11 complaints), April (7) and May (1) 2026, so on
# 31 August March (30 June), the first quarter (30 June), April (31 July) and May (31
# August) are published; the second quarter not until 30 September.
AS_OF = "2026-08-31"
PUBLISHED = ["2026-Q1", "2026-03", "2026-04", "2026-05"]


def varied() -> list[dict]:
    """The tempting register, and in March 10 complaints about something else by phone,
    still open, and 7 about service quality by letter, withdrawn. So March holds 28: 11
    closed, 10 open, 7 ended otherwise; billing 10, service quality 8, other 10; e-mail
    10, phone 11, letter 7; 17 with no response yet."""
    more = []
    for n in range(10):
        day = f"2026-03-{n + 2:02d}"
        more.append(received(day, f"Y{n:03d}", "other", "phone", ev("acknowledged", day)))
    for n in range(7):
        day = f"2026-03-{n + 2:02d}"
        more.append(
            received(
                day,
                f"X{n:03d}",
                "service-quality",
                "letter",
                ev("acknowledged", day),
                ev("withdrawn", "2026-03-20"),
            )
        )
    return tempting() + more


# A complaint received in March, recorded after March was published (a late entry).
LATE = received("2026-03-25", "ZZZ1", "billing", "email", ev("acknowledged", "2026-03-25"))


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--register", str(root), *args])


def recorded_names(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "statistics").iterdir())


def figures_of(data: dict, period: str) -> list[dict]:
    return [f for f in data["figures"] if f["period"] == period]


def the_figure(data: dict, period: str, table: str, item: str) -> dict:
    (found,) = [f for f in figures_of(data, period) if (f["table"], f["item"]) == (table, item)]
    return found


def later(root: Path) -> None:
    """What happens after publication: a late entry dated in March, and a new category."""
    policy = yaml.safe_load((root / "policy.yaml").read_text(encoding="utf-8"))
    policy["categories"].append("parking")
    write_yaml(root / "policy.yaml", policy)
    write_yaml(root / "2026" / f"{LATE['id']}.yaml", LATE)


# --- the site ----------------------------------------------------------------------------


def test_a_late_entry_and_a_new_category_leave_published_periods_as_they_were(tmp_path):
    root = site_register(tmp_path / "register", varied(), languages=["it"])
    recorded = run(root, "stats", "--record", "--as-of", AS_OF)
    assert recorded.exit_code == 0, recorded.output
    assert recorded_names(root) == sorted(f"{p}.yaml" for p in PUBLISHED)
    first = build(root, tmp_path / "first", as_of=AS_OF)
    assert first.returncode == 0, first.stderr
    later(root)
    second = build(root, tmp_path / "second", as_of=AS_OF)
    assert second.returncode == 0, second.stderr
    for name in ("statistics.json", "statistics.csv", "statistics/index.html"):
        assert (tmp_path / "second" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()
    data = json.loads((tmp_path / "second" / "statistics.json").read_text(encoding="utf-8"))
    assert list(dict.fromkeys(f["period"] for f in data["figures"])) == PUBLISHED
    # March as published: its 28 complaints, 10 about billing, and the policy's three
    # categories of then.
    assert the_figure(data, "2026-03", "received", "all")["value"] == 28
    assert the_figure(data, "2026-03", "category", "billing")["value"] == 10
    assert [f["item"] for f in figures_of(data, "2026-03") if f["table"] == "category"] == [
        "billing",
        "service-quality",
        "other",
    ]
    # Worked out afresh (nothing recorded), March would now count 29, billing 11, and
    # show "parking".
    shutil.rmtree(root / "statistics")
    register = Register(root)
    policy = register.policy()
    _, afresh = published_on(register, policy, register.calendar(policy), date(2026, 8, 31))
    assert afresh.get("2026-03", "received", "all").value == 29
    assert afresh.get("2026-03", "category", "billing").value == 11
    assert afresh.get("2026-03", "category", "parking") is not None


# --- publications over time -------------------------------------------------------------


def test_with_a_late_entry_between_two_publications_no_hidden_count_is_pinned(tmp_path):
    # The example register: recorded on 31 December 2025 (May to September 2025, the second
    # and third quarters), then a complaint received in August recorded late and a new
    # category, then published on 30 June 2026. The first publication stays as it was, the
    # second adds only periods, and no hidden count can be worked out from both together,
    # not even by a reader who takes every sum for true (the page says they hold).
    root = shutil.copytree(EXAMPLE, tmp_path / "register")
    assert run(root, "stats", "--record", "--as-of", "2025-12-31").exit_code == 0
    register = Register(root)
    policy = register.policy()
    _, early = published_on(register, policy, register.calendar(policy), date(2025, 12, 31))
    august = yaml.safe_load((root / "2025" / "C-2025-0811-S36R.yaml").read_text("utf-8"))
    august["id"] = "C-2025-0812-ZZZ1"
    august["received"] = "2025-08-12T10:00:00+02:00"
    (root / "2025" / "C-2025-0812-ZZZ1.yaml").write_text(yaml.safe_dump(august), "utf-8")
    text = (root / "policy.yaml").read_text(encoding="utf-8")
    assert "categories: [billing," in text
    text = text.replace("categories: [billing,", "categories: [billing, parking,")
    (root / "policy.yaml").write_text(text, encoding="utf-8")
    register = Register(root)
    assert run(root, "check").exit_code == 0
    policy = register.policy()
    assert "parking" in policy.categories
    _, late = published_on(register, policy, register.calendar(policy), date(2026, 6, 30))
    assert set(early.figures) <= set(late.figures)
    assert {f.period for f in late.figures} - {f.period for f in early.figures} == {
        "2025-10",
        "2025-11",
        "2025-12",
        "2025-Q4",
        "2025",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-Q1",
    }
    # The year counts the late entry (its August quarter, recorded, does not).
    assert late.get("2025", "category", "parking") is not None
    assert late.get("2025-Q3", "category", "parking") is None
    both = Published("2026-06", 5, 30, tuple(dict.fromkeys(early.figures + late.figures)))
    # 2025 received 22: the second quarter 5 (May 2, June 3, hidden), the third 8 as
    # recorded (9 now, with the late entry), the fourth 8. Had the fourth been shown, a
    # reader taking the year for the sum of its quarters would pin the second at
    # 22 - 8 - 8 = 6: one value, wrong only by the late entry. So the fourth is hidden too:
    # the second and fourth then add up to 14 for that reader, each at least 5, the second
    # at most 2 * 4 (May and June, "fewer than 5"): the second is anything from 5 to 8.
    assert attack(both, across=RECEIPT_TABLES) == []
    assert late.get("2025", "received", "all").value == 22
    assert early.get("2025-Q3", "received", "all").value == 8
    assert late.get("2025-Q2", "received", "all").note == "hidden"
    assert late.get("2025-Q4", "received", "all").note == "hidden"
    without_it = shutil.copytree(EXAMPLE, tmp_path / "without")
    assert run(without_it, "stats", "--record", "--as-of", "2025-12-31").exit_code == 0
    plain = Register(without_it)
    policy = plain.policy()
    _, same = published_on(plain, policy, plain.calendar(policy), date(2026, 6, 30))
    both = Published("2026-06", 5, 30, tuple(dict.fromkeys(early.figures + same.figures)))
    assert attack(both, across=RECEIPT_TABLES) == []


def test_other_disclosure_rules_apply_from_the_first_year_not_yet_published(tmp_path):
    # Recorded under min_count 5 on 31 August 2026; then the policy says 8, and a complaint
    # is received in January 2027. On 30 April 2027 June 2026 is published under 5 (its
    # year's periods are linked by sums, and some were published under 5), January 2027
    # under 8.
    root = write_register(tmp_path / "register", varied())
    assert run(root, "stats", "--record", "--as-of", AS_OF).exit_code == 0
    january = received("2027-01-11", "ZZZ2", "billing", "email", ev("acknowledged", "2027-01-11"))
    write_register(root, [january], publication={"min_count": 8, "min_rate_base": 30})
    register = Register(root)
    policy = register.policy()
    _, found = published_on(register, policy, register.calendar(policy), date(2027, 4, 30))
    assert found.min_count == 8
    assert [found.min_count_of(p) for p in ("2026-03", "2026-06", "2026", "2027-01")] == [
        5,
        5,
        5,
        8,
    ]
    under = found.as_json()["published_under"]
    assert under["2026-06"] == {"min_count": 5, "min_rate_base": 30}
    assert "2027-01" not in under
    page = statistics_page(found, "en", 3)
    assert "fewer than 5" in page and "fewer than 8" in page
    assert "a number from 0 to 4;" in page and "a number from 0 to 7;" in page


# --- recording ---------------------------------------------------------------------------


def test_recording_twice_writes_nothing_the_second_time(tmp_path):
    root = write_register(tmp_path / "register", varied())
    first = run(root, "stats", "--record", "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        f"recorded {root / 'statistics' / f'{p}.yaml'}" for p in PUBLISHED
    ]
    before = {p.name: p.read_bytes() for p in (root / "statistics").iterdir()}
    later(root)
    again = run(root, "stats", "--record", "--as-of", AS_OF)
    assert again.exit_code == 0, again.output
    assert again.stdout == ""
    assert {p.name: p.read_bytes() for p in (root / "statistics").iterdir()} == before


def test_a_period_recorded_is_not_published_before_its_settle_day(tmp_path):
    # Recorded on 31 August; as of 31 July, May (settling on 31 August) is not out yet.
    root = write_register(tmp_path / "register", varied())
    assert run(root, "stats", "--record", "--as-of", AS_OF).exit_code == 0
    register = Register(root)
    policy = register.policy()
    _, found = published_on(register, policy, register.calendar(policy), date(2026, 7, 31))
    assert list(dict.fromkeys(f.period for f in found.figures)) == ["2026-Q1", "2026-03", "2026-04"]


def test_a_recorded_file_reads_back_as_written(tmp_path):
    root = write_register(tmp_path / "register", varied())
    assert run(root, "stats", "--record", "--as-of", AS_OF).exit_code == 0
    text = (root / "statistics" / "2026-03.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    # Written by hand from the register: March's 28 complaints.
    assert lines[3:9] == [
        'period: "2026-03"',
        "settled: 2026-06-30",
        "min_count: 5",
        "min_rate_base: 30",
        "figures:",
        "  - {table: received, item: all, unit: count, value: 28}",
    ]
    record, problems = recorded_from(yaml.safe_load(text), "2026-03")
    assert problems == []
    assert recorded_text(record) == text


def test_recording_never_writes_through_a_linked_folder(tmp_path):
    root = write_register(tmp_path / "register", varied())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "statistics").symlink_to(elsewhere)
    result = run(root, "stats", "--record", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "statistics: a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []


# --- check -------------------------------------------------------------------------------

# Lines of a recorded file: 1-3 the comment, 4 period, 5 settled, 6 min_count,
# 7 min_rate_base, 8 figures:, 9 the first figure (received).
MALFORMED = {
    "a small count shown": (
        ("value: 28}", "value: 3}"),
        9,
        "figures[0].value: a count shown is a whole number of at least min_count (5)",
    ),
    "a hidden count's value": (
        ("note: hidden}", "note: hidden, value: 7}"),
        None,
        "has no value",
    ),
    "another period": (('period: "2026-03"', 'period: "2026-04"'), 4, "period: '2026-04' is not"),
    "a day before the end": (("settled: 2026-06-30", "settled: 2026-03-30"), 5, "settled: "),
    "not YAML": (("figures:", "figures: ["), None, "not valid YAML"),
    "a table left out": (
        ("  - {table: received, item: all, unit: count, value: 28}\n", ""),
        9,  # the first line of the figures
        "figures: the received table: all (found: none)",
    ),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_check_refuses_a_malformed_recorded_period_at_its_line(tmp_path, kind):
    root = write_register(tmp_path / "register", varied())
    assert run(root, "stats", "--record", "--as-of", AS_OF).exit_code == 0
    path = root / "statistics" / "2026-03.yaml"
    (old, new), line, said = MALFORMED[kind]
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    written = path.read_bytes()
    checked = run(root, "check")
    assert checked.exit_code == 1
    (problem,) = checked.stdout.splitlines()
    assert problem.startswith(f"{path}:{line}: " if line else f"{path}:")
    assert said in problem
    assert path.read_bytes() == written  # nothing changed
    # Nothing is published or recorded from it either.
    refused = run(root, "stats", "--record", "--as-of", "2026-12-31")
    assert refused.exit_code == 1 and refused.stderr.splitlines() == [problem]
    assert recorded_names(root) == sorted(f"{p}.yaml" for p in PUBLISHED)


def test_check_refuses_what_is_no_recorded_period(tmp_path):
    root = write_register(tmp_path / "register", varied())
    assert run(root, "stats", "--record", "--as-of", AS_OF).exit_code == 0
    (root / "statistics" / "march.yaml").write_text("period: march\n", encoding="utf-8")
    (root / "statistics" / "2026-06.yaml").symlink_to(root / "statistics" / "2026-05.yaml")
    checked = run(root, "check")
    assert checked.exit_code == 1
    assert sorted(checked.stdout.splitlines()) == [
        f"{root / 'statistics' / '2026-06.yaml'}: a symbolic link, not a file: the register"
        " never follows links (put the file itself here, or remove the link)",
        f"{root / 'statistics' / 'march.yaml'}: not a recorded period: the files here are"
        " named for their period (2025.yaml, 2025-Q3.yaml, 2025-07.yaml)",
    ]


@pytest.fixture
def committed(tmp_path) -> Path:
    """A repository whose main branch holds the tempting register with its first
    publication recorded; the register's folder."""
    top = tmp_path / "top"
    root = write_register(top / "register", varied())
    git(top, "init", "-q", "-b", "main")
    assert run(root, "stats", "--record", "--as-of", AS_OF).exit_code == 0
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "Published")
    return root


def test_check_base_refuses_an_edited_recorded_period_naming_the_file(committed):
    path = committed / "statistics" / "2026-03.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: 28}", "value: 29}", 1), encoding="utf-8")
    written = path.read_bytes()
    checked = run(committed, "check", "--base", "main")
    assert checked.exit_code == 1
    (problem,) = checked.stdout.splitlines()
    assert problem.startswith(f"{path}:9: figures[0].value: changed: ")
    assert path.read_bytes() == written
    # Re-quoting is no change: the same data.
    path.write_text(text.replace('period: "2026-03"', "period: '2026-03'"), encoding="utf-8")
    assert run(committed, "check", "--base", "main").exit_code == 0


def test_check_base_refuses_a_deleted_recorded_period(committed):
    path = committed / "statistics" / "2026-Q1.yaml"
    path.unlink()
    checked = run(committed, "check", "--base", "main")
    assert checked.exit_code == 1
    (problem,) = checked.stdout.splitlines()
    assert problem.startswith(f"{path}: deleted since ")
    assert "a recorded statistics file is never deleted" in problem


def test_check_base_accepts_a_new_recorded_period(committed):
    result = run(committed, "stats", "--record", "--as-of", "2026-09-30")
    assert result.stdout.splitlines() == [
        f"recorded {committed / 'statistics' / f'{p}.yaml'}" for p in ("2026-Q2", "2026-06")
    ]
    git(committed.parent, "add", "-A")  # as in a pull request: each is worked out again
    checked = run(committed, "check", "--base", "main")
    assert checked.exit_code == 0, checked.output
    assert "and 2 file(s) changed since" in checked.stderr


def test_check_base_refuses_an_added_period_that_is_not_what_was_published(committed):
    # June 2026 had no complaint: its first figure, received, is "fewer than 5". A file
    # added by hand that says "hidden" instead reads well, but is not what was published.
    assert run(committed, "stats", "--record", "--as-of", "2026-09-30").exit_code == 0
    path = committed / "statistics" / "2026-06.yaml"
    text = path.read_text(encoding="utf-8")
    first = "  - {table: received, item: all, unit: count, note: fewer-than}"
    assert text.splitlines()[8] == first
    path.write_text(text.replace(first, first.replace("fewer-than", "hidden")), "utf-8")
    assert run(committed, "check").exit_code == 0
    git(committed.parent, "switch", "-q", "-c", "by-hand")
    git(committed.parent, "add", "-A")
    git(committed.parent, "commit", "-q", "-m", "June by hand")
    checked = run(committed, "check", "--base", "main")
    assert checked.exit_code == 1
    (problem,) = checked.stdout.splitlines()
    assert problem.startswith(f"{path}:9: figures[0]: not what was published on 2026-09-30")
    # As `--record` wrote it, it passes.
    path.write_text(text, encoding="utf-8")
    assert run(committed, "check", "--base", "main").exit_code == 0


def test_ci_records_commits_and_pushes_only_the_new_periods(tmp_path, committed):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    top = committed.parent
    git(top, "remote", "add", "origin", str(remote))
    git(top, "push", "-q", "origin", "main")
    result = run(committed, "ci", "record-statistics", "--as-of", "2026-09-30")
    assert result.exit_code == 0, result.output
    pushed = git(remote, "log", "-1", "--name-only", "--format=%an|%s", "main").split("\n")
    assert pushed[0] == "github-actions[bot]|Statistics published: 2026-Q2, 2026-06"
    assert [line for line in pushed[1:] if line] == [
        "register/statistics/2026-06.yaml",
        "register/statistics/2026-Q2.yaml",
    ]
    again = run(committed, "ci", "record-statistics", "--as-of", "2026-09-30")
    assert again.exit_code == 0 and again.stdout == ""


# --- the rules, pure ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, folder, expected",
    [
        ("register/statistics/2025-Q3.yaml", "register", True),
        ("statistics/2025.yaml", ".", True),
        ("register/statistics/2025-13.yaml", "register", False),
        ("register/statistics/2025-Q5.yaml", "register", False),
        ("register/statistics/../2025.yaml", "register", False),
        ("register/2025/statistics/2025.yaml", "register", False),
        ("other/statistics/2025.yaml", "register", False),
    ],
)
def test_which_paths_are_recorded_periods(path, folder, expected):
    assert is_recorded_path(path, folder) is expected


def test_a_recorded_period_holds_figures_of_its_own_period_only():
    record = Recorded("2026-03", date(2026, 6, 30), 5, 30, ())
    assert record.counts() == {}
    found, problems = recorded_from({"period": "2026-03"}, "2026-03")
    assert found is None
    assert [message for _, message in problems] == [
        "settled: missing",
        "min_count: missing",
        "min_rate_base: missing",
        "figures: missing",
    ]


def test_the_publish_workflow_records_and_pushes_before_it_builds_the_site():
    found = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text("utf-8"))
    steps = found["jobs"]["build"]["steps"]
    ids = [s.get("id") for s in steps]
    record = steps[ids.index("record")]
    assert record["run"] == "complaints ci record-statistics"
    assert record["env"] == {"GH_TOKEN": "${{ github.token }}"}
    assert ids.index("record") < ids.index("build")
    assert found["jobs"]["build"]["permissions"] == {"contents": "write"}
