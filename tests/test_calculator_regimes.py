"""The site's deadline calculator under targets whose steps count their own way (a `unit`
per step, responses counted from the acknowledgement), as regulators' codes set them: the
calculator's dates in a real browser, against dates worked out by hand and against the
Python Clock's for a complaint received (or escalated) that day.

The policy: the test policy (Italian calendar, working days, closed 24 December 2026) with
two versions of its targets.
- From 1 January 2026, like ASIC RG 271 and the Housing Ombudsman's Code: stage 1
  acknowledged within 1 working day and answered within 30 (urgent: 5) calendar days
  exactly; stage 2 acknowledged within 5 working days and answered within 10 (urgent: 5)
  working days of the acknowledgement.
- From 1 July 2026, like FCA DISP 1: stage 1 acknowledged within 3 working days and
  answered within 56 (urgent: 14) calendar days exactly; stage 2 acknowledged within 2
  working days and answered within 20 (urgent: 8) calendar days of the acknowledgement, a
  last day that is not a working day moving to the next working day.
"""

import json
from datetime import date
from pathlib import Path

import axe_playwright_python
import pytest
import yaml
from conftest import ROOT
from registers import SIX_LANGUAGES, ev, received
from sites import build, local_tab, served, site_register

from complaints_register.core.lifecycle import Clock, fold
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint, Policy

pytestmark = pytest.mark.browser
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"

TARGETS = [
    {
        "from": "2026-01-01",
        "stage1": {
            "acknowledge": 1,
            "acknowledge_unit": "working",
            "respond": {"normal": 30, "urgent": 5, "unit": "calendar-exact"},
        },
        "stage2": {
            "acknowledge": 5,
            "respond": {"normal": 10, "urgent": 5, "unit": "working", "from": "acknowledgement"},
        },
        "very_overdue_after": 20,
        "max_extension": 0,
    },
    {
        "from": "2026-07-01",
        "stage1": {
            "acknowledge": 3,
            "respond": {"normal": 56, "urgent": 14, "unit": "calendar-exact"},
        },
        "stage2": {
            "acknowledge": 2,
            "respond": {"normal": 20, "urgent": 8, "unit": "calendar", "from": "acknowledgement"},
        },
        "very_overdue_after": 20,
        "max_extension": 10,
    },
]

# (day, stage, priority): (acknowledge by, respond by), worked out by hand on the Italian
# calendar of 2026-2027 (Easter Monday 6 April, 25 April a Saturday, 15 August a Saturday,
# 24 December closed, 25 December, 26 December a Saturday, 1 and 6 January).
BY_HAND = {
    # Friday 3 April, first version. Stage 1: the next working day after the weekend and
    # Easter Monday; 3 April + 30 days is Sunday 3 May, kept (exact); + 5 is Wednesday 8.
    ("2026-04-03", "1", "normal"): ("2026-04-07", "2026-05-03"),
    ("2026-04-03", "1", "urgent"): ("2026-04-07", "2026-04-08"),
    # Stage 2: 7, 8, 9, 10, 13 April acknowledged; 10 working days after Monday 13 April:
    # 14, 15, 16, 17, 20, 21, 22, 23, 24, (25 a holiday on a Saturday) 27.
    ("2026-04-03", "2", "normal"): ("2026-04-13", "2026-04-27"),
    ("2026-04-03", "2", "urgent"): ("2026-04-13", "2026-04-20"),
    # Thursday 13 August, second version. Stage 1: 14, 17, 18 August; 13 August + 56 days
    # (8 weeks) is Thursday 8 October; + 14 is Thursday 27 August.
    ("2026-08-13", "1", "normal"): ("2026-08-18", "2026-10-08"),
    ("2026-08-13", "1", "urgent"): ("2026-08-18", "2026-08-27"),
    # Stage 2: 14, 17 August acknowledged; 17 August + 20 days is Sunday 6 September, so
    # Monday 7; + 8 is Tuesday 25 August.
    ("2026-08-13", "2", "normal"): ("2026-08-17", "2026-09-07"),
    ("2026-08-13", "2", "urgent"): ("2026-08-17", "2026-08-25"),
    # Wednesday 23 December, second version. Stage 1: (24 closed, 25, 26, 27) 28, 29, 30
    # December; 23 December + 56 days is Wednesday 17 February 2027; + 14 is Wednesday
    # 6 January, a holiday, kept (exact).
    ("2026-12-23", "1", "normal"): ("2026-12-30", "2027-02-17"),
    ("2026-12-23", "1", "urgent"): ("2026-12-30", "2027-01-06"),
    # Stage 2: 28, 29 December acknowledged; 29 December + 20 days is Monday 18 January;
    # + 8 is 6 January, a holiday, so Thursday 7.
    ("2026-12-23", "2", "normal"): ("2026-12-29", "2027-01-18"),
    ("2026-12-23", "2", "urgent"): ("2026-12-29", "2027-01-07"),
}
CASES = sorted(BY_HAND)


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    return site_register(
        tmp_path_factory.mktemp("regimes") / "register",
        [],
        targets=TARGETS,
        languages=SIX_LANGUAGES,
    )


@pytest.fixture(scope="module")
def site_url(register):
    """The register's site, built once and served on 127.0.0.1 at a free port."""
    out = register.parent / "public"
    result = build(register, out)
    assert result.returncode == 0, result.stderr
    with served(out) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, site_url):
    """One page for the module; every request it made must have stayed on localhost."""
    with local_tab(browser, site_url, viewport={"width": 1280, "height": 900}) as tab:
        yield tab


def calculate(page, day: str, stage: str, priority: str) -> tuple[str, str, bool]:
    """The calculator's acknowledgement and response dates, and whether it says that the
    response counts from the acknowledgement."""
    page.select_option("#calculator-stage", stage)
    page.select_option("#calculator-priority", priority)
    page.fill("#calculator-date", day)
    page.evaluate("document.getElementById('calculator-result').hidden = true")
    page.click("#calculator button[type=submit]")
    page.wait_for_selector("#calculator-result:not([hidden])")
    return (
        page.get_attribute("#calculator-acknowledge", "datetime"),
        page.get_attribute("#calculator-respond", "datetime"),
        page.is_visible("#calculator-from-acknowledgement"),
    )


def clock_dates(register, day: str, stage: str, priority: str) -> tuple[str, str]:
    """What the Python Clock says for a complaint received on `day` (stage 1), or one whose
    review was asked for on `day` (stage 2), never acknowledged yet."""
    policy = Policy.model_validate(yaml.safe_load((register / "policy.yaml").read_text()))
    calendar = calendar_for(policy)
    urgent = [ev("assessed", day, priority="urgent")] if priority == "urgent" else []
    if stage == "1":
        data = received(day, "0001", "billing", "email", *urgent)
    else:
        data = received(
            "2026-01-05",
            "0002",
            "billing",
            "email",
            ev("responded", "2026-01-20", by="marco", outcome="not-upheld"),
            ev("escalated", day, by="anna", handler="elena"),
            *urgent,
        )
    state = fold(Complaint.model_validate(data), policy, calendar)
    current = state.stages[-1]
    assert (current.number, current.priority) == (int(stage), priority)
    clock = Clock(policy, calendar)
    return (
        clock.acknowledge_due(current).isoformat(),
        clock.respond_due(current, date.fromisoformat(day)).isoformat(),
    )


def test_the_hand_worked_dates_are_the_python_clocks(register):
    for case in CASES:
        assert clock_dates(register, *case) == BY_HAND[case], case


def test_the_calculator_counts_each_step_its_own_way(page, site_url):
    page.goto(site_url + "calculator/")
    for day, stage, priority in CASES:
        acknowledge, respond, from_acknowledgement = calculate(page, day, stage, priority)
        assert (acknowledge, respond) == BY_HAND[(day, stage, priority)], (day, stage, priority)
        assert from_acknowledgement == (stage == "2"), (day, stage, priority)


@pytest.mark.parametrize("language", SIX_LANGUAGES)
def test_the_calculator_says_in_every_language_when_a_response_counts_from_acknowledgement(
    page, site_url, language
):
    phrases = yaml.safe_load(
        (ROOT / "scripts" / "website" / "phrases" / f"{language}.yaml").read_text("utf-8")
    )
    said = phrases["calculator"]["from_acknowledgement"]
    page.goto(site_url + ("" if language == "en" else f"{language}/") + "calculator/")
    assert calculate(page, "2026-04-03", "2", "normal") == ("2026-04-13", "2026-04-27", True)
    assert page.inner_text("#calculator-from-acknowledgement").strip() == said
    # The button just pressed is left hovered and focused: the theme's colours for that state
    # are not what this checks (the result and its note are).
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")
    page.add_script_tag(path=str(AXE))  # axe-core from its PyPI package
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [
        (p["id"], [n["target"] for n in p["nodes"]], [n["failureSummary"] for n in p["nodes"]])
        for p in found["violations"]
    ] == []
    assert calculate(page, "2026-04-03", "1", "normal") == ("2026-04-07", "2026-05-03", False)


def test_the_calendar_says_how_each_step_counts(register, site_url):
    published = json.loads((register.parent / "public" / "calendar.json").read_text())
    assert [version["from"] for version in published["versions"]] == ["2026-01-01", "2026-07-01"]
    first, second = (version["counting"] for version in published["versions"])
    assert first["1"] == {
        "acknowledge": "working",
        "respond": "calendar-exact",
        "respond_from": "receipt",
    }
    assert first["2"] == {
        "acknowledge": "working",
        "respond": "working",
        "respond_from": "acknowledgement",
    }
    assert second["2"]["respond"] == "calendar"
    assert second["2"]["respond_from"] == "acknowledgement"
