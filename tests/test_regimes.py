"""Regimes (DESIGN.md section 11): a policy written by `complaints init --regime`, its due
dates worked out by hand, and `check` holding a policy to its regime.

How the expected dates were made: from a printed calendar and the public holidays the
`holidays` package lists for the place (named in each comment: England 2026 has Good Friday
3 April, Easter Monday 6 April, 4 May, 25 May, 25 and 28 December; Scotland has St Andrew's
Day 30 November 2026, 25 and 28 December 2026, 1 and 4 January 2027; New South Wales has
Anzac Day observed on Monday 27 April 2026, 25 and 28 December 2026). "(n)" is the n-th
counting day after day zero.
"""

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import COMPLAINT

from complaints_register.cli.main import cli
from complaints_register.core.status import facts
from complaints_register.core.working_days import Calendar, calendar_for
from complaints_register.schema import Complaint, Policy
from complaints_register.store.regimes import regime, regime_names
from complaints_register.store.register import Register

PLACES = {
    "hos-2024": ["--timezone", "Europe/London"],
    "spso": ["--timezone", "Europe/London"],
    "asic-rg271": ["--subdivision", "NSW", "--timezone", "Australia/Sydney"],
    "fca-disp": ["--subdivision", "ENG", "--timezone", "Europe/London"],
    "iso10002": ["--country", "IT", "--timezone", "Europe/Rome"],
}


def init(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    result = CliRunner().invoke(
        cli, ["init", str(root), "--regime", name, "--organisation", "Test", *PLACES[name]]
    )
    assert result.exit_code == 0, result.output
    return root


def check(root: Path):
    return CliRunner().invoke(cli, ["--register", str(root), "check"])


def ev(kind: str, day: str, by: str = "anna", **fields) -> dict:
    return {"type": kind, "at": day, "by": by, **fields}


def due(policy: Policy, received: str, events=(), as_of: str = "2027-12-31") -> dict:
    data = {**COMPLAINT, "id": "C-2026-0101-TEST", "received": received, "events": list(events)}
    found = facts(
        Complaint.model_validate(data), policy, calendar_for(policy), date.fromisoformat(as_of)
    )
    return found.as_json()


# (case, regime, received, events, as of, stage shown, expected acknowledge, expected respond)
CASES = [
    (
        # Stage 1 acknowledged Wed 4 March: day zero of the response. March 5 (1), 6 (2),
        # 9-13 (3-7), 16 (8), 17 (9), 18 (10).
        "hos: 10 working days from the acknowledgement",
        "hos-2024",
        "2026-03-02",
        [ev("acknowledged", "2026-03-04")],
        "2026-03-05",
        0,
        None,
        "2026-03-18",
    ),
    (
        # Not acknowledged yet: acknowledgement due 5 working days after Mon 2 March:
        # 3 (1), 4, 5, 6, 9 (5). The response counts from that day: 10 (1) ... 13 (4),
        # 16-20 (9), 23 (10).
        "hos: not yet acknowledged, counted from the acknowledgement's due date",
        "hos-2024",
        "2026-03-02",
        [],
        "2026-03-03",
        0,
        "2026-03-09",
        "2026-03-23",
    ),
    (
        # Acknowledged late (Fri 13 March, due Mon 9 March): a late acknowledgement buys no
        # time, the response is still due 10 working days after 9 March: 23 March.
        "hos: a late acknowledgement buys no time",
        "hos-2024",
        "2026-03-02",
        [ev("acknowledged", "2026-03-13")],
        "2026-03-13",
        0,
        None,
        "2026-03-23",
    ),
    (
        # Over Easter (England): received Wed 1 April; acknowledgement due: 2 (1), Good
        # Friday 3, weekend, Easter Monday 6, 7 (2), 8 (3), 9 (4), 10 (5). Acknowledged
        # Thu 2 April: 7 (1), 8, 9, 10 (4), 13-17 (9), 20 (10).
        "hos: across Good Friday and Easter Monday",
        "hos-2024",
        "2026-04-01",
        [],
        "2026-04-01",
        0,
        "2026-04-10",
        None,
    ),
    (
        "hos: across Good Friday and Easter Monday, acknowledged",
        "hos-2024",
        "2026-04-01",
        [ev("acknowledged", "2026-04-02")],
        "2026-04-02",
        0,
        None,
        "2026-04-20",
    ),
    (
        # Stage 2: escalated Mon 1 June 2026, acknowledged Tue 2 June; 20 working days from
        # then: June 3-5 (3), 8-12 (8), 15-19 (13), 22-26 (18), 29 (19), 30 (20).
        "hos: stage 2, 20 working days from its acknowledgement",
        "hos-2024",
        "2026-05-04",
        [
            ev("acknowledged", "2026-05-05"),
            ev("responded", "2026-05-12", outcome="not-upheld"),
            ev("escalated", "2026-06-01", handler="bruno"),
            ev("acknowledged", "2026-06-02", by="bruno"),
        ],
        "2026-06-02",
        1,
        None,
        "2026-06-30",
    ),
    (
        # Stage 2 escalated Mon 1 June, not acknowledged: due 5 working days later, 2-5 (4),
        # 8 (5).
        "hos: stage 2 acknowledgement, 5 working days from escalation",
        "hos-2024",
        "2026-05-04",
        [
            ev("acknowledged", "2026-05-05"),
            ev("responded", "2026-05-12", outcome="not-upheld"),
            ev("escalated", "2026-06-01", handler="bruno"),
        ],
        "2026-06-01",
        1,
        "2026-06-08",
        None,
    ),
    (
        # Scotland: received on St Andrew's Day (Mon 30 November 2026, a holiday): decision
        # within 5 working days: December 1 (1), 2, 3, 4 (4), 7 (5).
        "spso: stage 1, 5 working days, from a holiday",
        "spso",
        "2026-11-30",
        [],
        "2026-11-30",
        0,
        None,
        "2026-12-07",
    ),
    (
        # Escalated Wed 23 December 2026: acknowledge in 3 working days: 24 (1), Christmas,
        # weekend, Boxing Day observed 28, 29 (2), 30 (3).
        "spso: stage 2, 3 working days to acknowledge over Christmas",
        "spso",
        "2026-12-01",
        [
            ev("responded", "2026-12-02", outcome="not-upheld"),
            ev("escalated", "2026-12-23", handler="bruno"),
        ],
        "2026-12-23",
        1,
        "2026-12-30",
        None,
    ),
    (
        # ... and respond in 20: 24 (1), 29-31 (4), 1 January 2027 and the observed 2
        # January (Mon 4) off, 5-8 (8), 11-15 (13), 18-22 (18), 25 (19), 26 (20).
        "spso: stage 2, 20 working days over New Year",
        "spso",
        "2026-12-01",
        [
            ev("responded", "2026-12-02", outcome="not-upheld"),
            ev("escalated", "2026-12-23", handler="bruno"),
        ],
        "2026-12-23",
        1,
        None,
        "2027-01-26",
    ),
    (
        # New South Wales: received Fri 24 April 2026; 1 business day: weekend (Anzac Day
        # on the Saturday), Anzac Day observed Mon 27, Tue 28 (1). The response: 30 calendar
        # days, 24 May, a Sunday, and it stays there.
        "asic: 1 business day to acknowledge, 30 calendar days to respond",
        "asic-rg271",
        "2026-04-24T10:00:00+10:00",
        [],
        "2026-04-24",
        0,
        "2026-04-28",
        "2026-05-24",
    ),
    (
        # Received Thu 24 December 2026: acknowledge by Tue 29 (Christmas, weekend, Boxing
        # Day observed Mon 28); respond 30 calendar days: 23 January 2027, a Saturday.
        "asic: over Christmas",
        "asic-rg271",
        "2026-12-24T10:00:00+11:00",
        [],
        "2026-12-24",
        0,
        "2026-12-29",
        "2027-01-23",
    ),
    (
        # FCA: by the end of 8 weeks (56 days) after receipt, Mon 9 February 2026:
        # Mon 6 April, Easter Monday, a bank holiday in England: not moved.
        "fca: 8 weeks ending on a bank holiday",
        "fca-disp",
        "2026-02-09",
        [ev("acknowledged", "2026-02-09")],
        "2026-02-10",
        0,
        None,
        "2026-04-06",
    ),
    (
        # Received Thu 19 March 2026: 8 weeks later is Thu 14 May, across Good Friday,
        # Easter Monday and 4 May: calendar days, so none of them counts for more.
        "fca: 8 weeks across bank holidays",
        "fca-disp",
        "2026-03-19",
        [ev("acknowledged", "2026-03-19")],
        "2026-03-20",
        0,
        None,
        "2026-05-14",
    ),
    (
        # iso10002 is today's defaults (Italy): 2 working days to acknowledge, Fri 3 April
        # 2026 -> Easter Monday 6 April off -> 7 (1), 8 (2); 20 to respond: 7-10 (4),
        # 13-17 (9), 20-24 (14), 27-30 (18), 1 May off, 4 (19), 5 (20).
        "iso10002: the defaults",
        "iso10002",
        "2026-04-03",
        [],
        "2026-04-03",
        0,
        "2026-04-08",
        "2026-05-05",
    ),
]


@pytest.fixture(scope="module")
def policies(tmp_path_factory) -> dict[str, Policy]:
    base = tmp_path_factory.mktemp("regimes")
    return {name: Register(init(base, name)).policy() for name in PLACES}


@pytest.mark.parametrize(
    ("regime_name", "received", "events", "as_of", "stage", "acknowledge", "respond"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_due_dates_under_each_regime(
    policies, regime_name, received, events, as_of, stage, acknowledge, respond
):
    shown = due(policies[regime_name], received, events, as_of)["stages"][stage]["due"]
    if acknowledge is not None:
        assert shown["acknowledge"] == acknowledge
    if respond is not None:
        assert shown["respond"] == respond


def test_hos_extension_cap_per_stage(policies):
    """Stage 1's response (18 March, case above) may move at most 10 working days: to
    1 April (19, 20, 23-27, 30, 31, 1 April); stage 2's (30 June) at most 20: to 28 July
    (July 1-3, 6-10, 13-17, 20-24, 27, 28)."""
    hos = policies["hos-2024"]
    start = [ev("acknowledged", "2026-03-04")]
    ok = due(
        hos, "2026-03-02", start + [ev("extended", "2026-03-10", due="2026-04-01", reason="r")]
    )
    assert ok["stages"][0]["due"]["respond"] == "2026-04-01"
    too_far = start + [ev("extended", "2026-03-10", due="2026-04-02", reason="r")]
    assert due(hos, "2026-03-02", too_far)["stages"][0]["due"]["respond"] == "2026-03-18"
    stage2 = [
        ev("acknowledged", "2026-05-05"),
        ev("responded", "2026-05-12", outcome="not-upheld"),
        ev("escalated", "2026-06-01", handler="bruno"),
        ev("acknowledged", "2026-06-02", by="bruno"),
    ]
    ok = due(
        hos,
        "2026-05-04",
        stage2 + [ev("extended", "2026-06-10", due="2026-07-28", reason="r", by="bruno")],
    )
    assert ok["stages"][1]["due"]["respond"] == "2026-07-28"
    late = stage2 + [ev("extended", "2026-06-10", due="2026-07-29", reason="r", by="bruno")]
    assert due(hos, "2026-05-04", late)["stages"][1]["due"]["respond"] == "2026-06-30"


def test_a_pause_counts_in_the_steps_own_unit(policies):
    """ASIC: a pause of 10 calendar days (1 to 11 May 2026) moves the 30-calendar-day
    response (received Mon 20 April: 20 May) by 10 calendar days: 30 May, a Saturday."""
    events = [
        ev("acknowledged", "2026-04-20"),
        ev("info-requested", "2026-05-01"),
        ev("info-received", "2026-05-11"),
    ]
    shown = due(policies["asic-rg271"], "2026-04-20T10:00:00+10:00", events, "2026-05-12")
    assert shown["stages"][0]["due"]["respond"] == "2026-05-30"


def test_calendar_units_per_step():
    calendar = Calendar("GB", "ENG", "Europe/London")
    assert calendar.add(date(2026, 2, 9), 56, "calendar-exact") == date(2026, 4, 6)
    assert calendar.add(date(2026, 2, 9), 56, "calendar") == date(2026, 4, 7)  # rolled on
    assert calendar.add(date(2026, 2, 9), 56) == date(2026, 4, 30)  # working: the register's
    assert calendar.count(date(2026, 4, 2), date(2026, 4, 7), "calendar-exact") == 5
    assert calendar.count(date(2026, 4, 2), date(2026, 4, 7)) == 1  # 7 April only
    with pytest.raises(ValueError, match="calendar-exact"):
        calendar.add(date(2026, 2, 9), 1, "fortnights")


def test_every_regime_file_loads_and_cites_its_numbers():
    assert regime_names() == ["asic-rg271", "fca-disp", "hos-2024", "iso10002", "spso"]
    for name in regime_names():
        found = regime(name)
        text = (Path(__file__).parent.parent / "scripts" / "regimes" / f"{name}.yaml").read_text()
        assert "http" in text, f"{name} cites no source"
        if name != "iso10002":
            assert "NOT CONFIRMED FROM A PRIMARY SOURCE" in text
            assert found.stage1.respond is not None and found.stage1.respond.clause
            assert found.body is not None and found.body.months


def test_an_unknown_regime_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "r"), "--regime", "../hos-2024"])
    assert result.exit_code == 2
    assert "no regime '../hos-2024' (known: asic-rg271, fca-disp, hos-2024" in result.output
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("name", sorted(PLACES))
def test_a_policy_from_a_regime_passes_check(tmp_path, name):
    root = init(tmp_path, name)
    result = check(root)
    assert result.exit_code == 0, result.output
    assert Register(root).policy().regime == name


def _edit(root: Path, change) -> None:
    path = root / "policy.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


LOOSER = [
    (
        "hos-2024",
        lambda p: p["targets"]["stage1"]["respond"].update(normal=11),
        "targets.stage1.respond.normal: 11 working days from the acknowledgement is looser"
        " than hos-2024 allows for the stage 1 response: at most 10 working days from the"
        " acknowledgement (Code 6.3)",
    ),
    (
        "hos-2024",
        lambda p: p["targets"]["stage2"]["respond"].pop("from"),
        None,  # from receipt is stricter than from the acknowledgement: accepted
    ),
    (
        "hos-2024",
        lambda p: p["targets"]["stage1"].update(acknowledge=6),
        "targets.stage1.acknowledge: 6 working days from receipt is looser than hos-2024"
        " allows for the stage 1 acknowledgement: at most 5 working days from receipt (Code 6.2)",
    ),
    (
        "hos-2024",
        lambda p: p["targets"]["stage2"].update(max_extension=21),
        "targets.stage2.max_extension: an extension of up to 21 days is looser than hos-2024"
        " allows at stage 2: at most 20 (Code 6.16 (not confirmed))",
    ),
    (
        "hos-2024",
        lambda p: (
            p["targets"]["stage1"]["respond"].update(
                {"from": "acknowledgement", "normal": 10, "unit": "calendar"}
            )
            or p["targets"]["stage1"]["respond"].update(unit="working")
        ),
        None,
    ),
    (
        "hos-2024",
        lambda p: p.update(recourse=[]),
        "recourse: hos-2024 requires complainants to be told of the Housing Ombudsman Service",
    ),
    (
        "spso",
        lambda p: p["targets"]["stage2"].update(acknowledge=4),
        "targets.stage2.acknowledge: 4 working days from receipt is looser than spso allows"
        " for the stage 2 acknowledgement: at most 3 working days from receipt (MCHP stage 2",
    ),
    (
        "asic-rg271",
        lambda p: p["targets"]["stage1"]["respond"].update(unit="working"),
        "targets.stage1.respond.normal: 30 working days from receipt is looser than"
        " asic-rg271 allows for the stage 1 response: at most 30 calendar days from receipt"
        " (RG 271.57)",
    ),
    (
        "fca-disp",
        lambda p: p["targets"]["stage1"]["respond"].update(urgent=57),
        "targets.stage1.respond.urgent: 57 calendar days from receipt is looser than fca-disp"
        " allows for the stage 1 response: at most 56 calendar days from receipt (DISP 1.6.2R)",
    ),
    (
        "fca-disp",
        lambda p: p["targets"]["stage1"]["respond"].update(normal=28),
        None,  # stricter than the code: fine
    ),
]


@pytest.mark.parametrize(("name", "change", "message"), LOOSER)
def test_a_policy_looser_than_its_regime_is_refused_naming_the_clause(
    tmp_path, name, change, message
):
    root = init(tmp_path, name)
    _edit(root, change)
    result = check(root)
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert message in result.output
        assert "policy.yaml:" in result.output  # at its line


def test_versions_before_the_regime_applies_are_not_held(tmp_path):
    """hos-2024 applies from 1 April 2024: a version of the targets in force only before it
    may be looser; the one in force on that day, and later ones, may not."""
    root = init(tmp_path, "hos-2024")

    def versions(p):
        current = p["targets"]
        old = copy.deepcopy({**current, "stage1": {**current["stage1"], "acknowledge": 10}})
        p["targets"] = [{"from": "2023-01-01", **old}, {"from": "2024-04-01", **current}]

    _edit(root, versions)
    assert check(root).exit_code == 0

    def later(p):
        p["targets"][0]["from"] = "2024-05-01"
        p["targets"][1]["from"] = "2024-06-01"

    _edit(root, later)
    result = check(root)
    assert result.exit_code == 1
    assert "targets[0].stage1.acknowledge: 10 working days" in result.output


def test_a_policy_naming_an_unknown_regime_is_refused(tmp_path):
    root = init(tmp_path, "hos-2024")
    _edit(root, lambda p: p.update(regime="hos-2099"))
    result = check(root)
    assert result.exit_code == 1
    assert "regime: no regime 'hos-2099'" in result.output


def test_organisation_with_homes(tmp_path):
    root = init(tmp_path, "hos-2024")
    _edit(root, lambda p: p.update(organisation={"name": "Test Homes", "homes": 2400}))
    assert check(root).exit_code == 0
    policy = Register(root).policy()
    assert policy.organisation == "Test Homes" and policy.organisation.homes == 2400
    again = Register(root).policy()  # from the cache this time
    assert again.organisation.homes == 2400
    _edit(root, lambda p: p.update(organisation={"name": "Test Homes", "homes": 0}))
    result = check(root)
    assert result.exit_code == 1
    assert "organisation.homes: input should be greater than 0" in result.output


SIX = ["en", "et", "fa", "id", "it", "uk"]
# The body's time limit as each language writes the number of months (fa: Persian digits).
SIX_MONTHS = {
    "en": "6 months",
    "et": "6 kuu",
    "fa": "۶ ماه",
    "id": "6 bulan",
    "it": "6 mesi",
    "uk": "6 місяців",
}


def test_site_and_letters_state_the_external_body_and_its_time_limit(tmp_path):
    from complaints_register.text.wording import policy_in_words

    root = init(tmp_path, "fca-disp")
    _edit(root, lambda p: p.update(languages=SIX))
    policy = Register(root).policy()
    for language in SIX:
        words = policy_in_words(policy, language)
        (sentence,) = words.external_recourse
        assert "Financial Ombudsman Service" in sentence
        assert SIX_MONTHS[language] in sentence, (language, sentence)
        assert "FCA Handbook DISP 1" in words.working_days  # the code followed
        fifty_six = "۵۶" if language == "fa" else "56"
        assert fifty_six in words.timeline[1].text  # 56 calendar days to respond
    english = policy_in_words(policy, "en")
    assert "56 calendar days" in english.timeline[1].text
    assert "ends on the last day counted" in english.working_days
    # A letter closing the complaint says the same (its template lists the recourse).
    complaint = {
        **COMPLAINT,
        "id": "C-2026-0302-AB12",
        "received": "2026-03-02",
        "language": "uk",
        "channel": "email",
        "category": "billing",
        "events": [
            ev("acknowledged", "2026-03-02"),
            ev("responded", "2026-03-10", outcome="not-upheld"),
        ],
    }
    (root / "2026").mkdir()
    (root / "2026" / "C-2026-0302-AB12.yaml").write_text(yaml.safe_dump(complaint))
    result = CliRunner().invoke(
        cli, ["--register", str(root), "letter", "C-2026-0302-AB12", "response"]
    )
    assert result.exit_code == 0, result.output
    assert "Financial Ombudsman Service" in result.output
    assert "6 місяців" in result.output


def test_hos_wording_counts_the_response_from_the_acknowledgement(tmp_path):
    from complaints_register.text.wording import policy_in_words

    policy = Register(init(tmp_path, "hos-2024")).policy()
    words = policy_in_words(policy, "en")
    assert "counting starts on the day after we acknowledge your complaint" in words.working_days
    assert "within 12 months of our final response" in words.external_recourse[0]
    assert "10 working days" in words.timeline[1].text
