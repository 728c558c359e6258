"""What was promised stays what was promised (DESIGN.md section 4, "Deadline rules"): dated
versions of the targets, retired categories and channels, the total extension cap, closing
after a response, final states that stay final.

Due dates are worked out by hand on the Italian calendar of the test policy (day zero is the
day the clock starts; Easter Monday 6 April, Liberation Day 25 April (a Saturday in 2026),
Labour Day 1 May, Republic Day 2 June are holidays).
"""

import json
from datetime import date

import pytest
from conftest import POLICY, complaint, policy, write_yaml

from complaints_register.schema import Policy
from complaints_register.text.wording import languages_supported, policy_in_words
from complaints_register.website.pages import timeline

OLD = POLICY["targets"]
NEW = {
    **OLD,
    "stage1": {"acknowledge": 2, "respond": {"normal": 15, "urgent": 5}},
    "max_extension": 5,
}
VERSIONS = [{"from": "2024-01-01", **OLD}, {"from": "2026-06-01", **NEW}]


def ev(kind: str, day: str, by: str = "anna", **fields: object) -> dict:
    return {"type": kind, "at": day, "by": by, **fields}


def use_policy(register, **changes: object) -> None:
    # Through JSON: shared dictionaries would be written as YAML aliases, which are refused.
    write_yaml(register.root / "policy.yaml", json.loads(json.dumps(policy(**changes))))


def shown(register, complaint_id: str, as_of: str) -> dict:
    result = register.run("show", complaint_id, "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- dated versions of the targets -------------------------------------------------------------


def test_each_complaint_keeps_the_targets_in_force_when_its_clock_started(register):
    register.add(complaint())  # received Friday 3 April 2026
    register.add(complaint(id="C-2026-0603-AAAA", received="2026-06-03T10:00:00+02:00"))
    use_policy(register, targets=VERSIONS)
    # 3 April + 20 working days (no 6 April, no 1 May): 5 May, as before the new version.
    assert shown(register, "C-2026-0403", "2026-04-10")["due"]["respond"] == "2026-05-05"
    # 3 June + 15 working days (the new version): 4-5, 8-12, 15-19, 22-24 June.
    assert shown(register, "C-2026-0603", "2026-06-10")["due"]["respond"] == "2026-06-24"


def test_stage_2_follows_the_version_in_force_on_the_day_of_escalation(register):
    stage2 = {"acknowledge": 3, "respond": {"normal": 4, "urgent": 2}}
    versions = [VERSIONS[0], {**VERSIONS[1], "stage2": stage2}]
    register.add(
        complaint(
            ev("responded", "2026-04-20", outcome="not-upheld"),
            ev("escalated", "2026-06-03", by="anna", handler="giulia"),
        )
    )
    use_policy(register, targets=versions)
    # Escalated 3 June (received in April, under the old version): stage 2 respond 4 working
    # days under the new version: 4, 5, 8, 9 June.
    assert shown(register, "C-2026-0403", "2026-06-04")["due"]["respond"] == "2026-06-09"


def test_the_single_mapping_form_is_one_version_in_force_since_always():
    single = Policy.model_validate(policy())
    (version,) = single.target_versions()
    assert (
        version.start == date.min and version.stage1 == single.targets_on(date(1990, 1, 1)).stage1
    )


@pytest.mark.parametrize("starts", [["2026-06-01", "2024-01-01"], ["2026-06-01", "2026-06-01"]])
def test_versions_go_oldest_first_each_from_a_later_day(register, starts):
    versions = [{"from": start, **OLD} for start in starts]
    use_policy(register, targets=versions)
    result = register.run("check")
    assert result.exit_code == 1
    assert "versions go oldest first" in result.stderr + result.stdout


def test_a_lower_target_in_a_new_version_leaves_old_complaints_valid(register):
    # Extended by the full 10 working days while max_extension was 10: 5 May to 19 May.
    register.add(complaint(ev("extended", "2026-04-20", due="2026-05-19", reason="meter")))
    use_policy(register, targets=VERSIONS)  # from June, at most 5
    assert register.run("check").exit_code == 0
    assert shown(register, "C-2026-0403", "2026-05-06")["due"]["respond"] == "2026-05-19"
    # Changing the one mapping instead rewrites the past: the same file becomes invalid.
    use_policy(register, targets=NEW)
    refused = register.run("check")
    assert refused.exit_code == 1 and "further than the policy allows" in refused.stdout


def _quarter(register) -> None:
    register.add(
        complaint(
            ev("acknowledged", "2026-04-07"),
            ev("responded", "2026-04-28", by="marco", outcome="upheld"),
            ev("closed", "2026-04-30", by="marco", satisfied=True),
        )
    )
    register.add(
        complaint(
            ev("acknowledged", "2026-05-05"),
            ev("responded", "2026-05-20", by="marco", outcome="partly-upheld"),
            id="C-2026-0504-BBBB",
            received="2026-05-04T10:00:00+02:00",
        )
    )


def test_a_new_version_after_a_quarter_leaves_its_report_byte_identical(register):
    _quarter(register)
    before = register.run("report", "--from", "2026-04-01", "--to", "2026-06-30")
    assert before.exit_code == 0, before.output
    strict = {**OLD, "stage1": {"acknowledge": 1, "respond": {"normal": 5, "urgent": 2}}}
    use_policy(register, targets=[{"from": "2024-01-01", **OLD}, {"from": "2026-07-01", **strict}])
    after = register.run("report", "--from", "2026-04-01", "--to", "2026-06-30")
    assert after.stdout_bytes == before.stdout_bytes
    # The same targets as one mapping would have made both responses late: the test can fail.
    use_policy(register, targets=strict)
    rewritten = register.run("report", "--from", "2026-04-01", "--to", "2026-06-30")
    assert rewritten.stdout_bytes != before.stdout_bytes


def test_the_site_and_letters_state_the_version_in_force_and_the_coming_one():
    versioned = Policy.model_validate(policy(targets=VERSIONS))
    before = policy_in_words(versioned, "en", date(2026, 5, 1))
    assert [s.days for s in before.timeline][:3] == [2, 20, 5]
    assert before.coming[0] == "From June 1, 2026, these time limits apply instead:"
    assert "15 working days" in " ".join(before.coming[1:])
    assert "coming-targets" in timeline(before) and "June 1, 2026" in timeline(before)
    after = policy_in_words(versioned, "en", date(2026, 6, 1))
    assert [s.days for s in after.timeline][:3] == [2, 15, 5] and after.coming == ()
    assert "coming-targets" not in timeline(after)


@pytest.mark.parametrize("language", languages_supported())
def test_every_language_says_when_the_coming_version_applies(language):
    versioned = Policy.model_validate(policy(targets=VERSIONS))
    coming = policy_in_words(versioned, language, date(2026, 5, 1)).coming
    steps = policy_in_words(versioned, language, date(2026, 5, 1)).timeline
    assert len(coming) == 1 + len(steps) and coming[0] and "{" not in coming[0]


# --- retired categories and channels -----------------------------------------------------------


def test_a_retired_category_or_channel_stays_valid_for_the_complaints_that_used_it(register):
    register.add(complaint(category="billing", channel="letter"))
    use_policy(
        register,
        categories=["service-quality", "other"],
        channels=["email", "phone"],
        retired_categories=["billing"],
        retired_channels=["letter"],
    )
    assert register.run("check").exit_code == 0
    use_policy(register, categories=["service-quality", "other"], channels=["email", "phone"])
    refused = register.run("check")
    assert refused.exit_code == 1
    assert "'billing' is not one of the policy's categories" in refused.stdout
    assert "'letter' is not one of the policy's channels" in refused.stdout


# --- the total extension cap -------------------------------------------------------------------


def test_extensions_are_capped_in_total_not_each(register):
    register.add(complaint())
    ok1 = register.run(
        "log",
        "C-2026-0403",
        "extended",
        "--at",
        "2026-04-20",
        "--by",
        "anna",
        "--due",
        "2026-05-12",
        "--reason",
        "waiting for the meter reading",
    )
    ok2 = register.run(
        "log",
        "C-2026-0403",
        "extended",
        "--at",
        "2026-05-08",
        "--by",
        "anna",
        "--due",
        "2026-05-19",
        "--reason",
        "the reading was wrong",
    )
    assert ok1.exit_code == 0 and ok2.exit_code == 0, ok1.output + ok2.output
    # Due 5 May unextended; 10 working days on is 19 May, however many extensions.
    third = register.run(
        "log",
        "C-2026-0403",
        "extended",
        "--at",
        "2026-05-15",
        "--by",
        "anna",
        "--due",
        "2026-05-20",
        "--reason",
        "one more day",
    )
    assert third.exit_code == 1
    assert "at most 10 days in all, from 2026-05-05 to 2026-05-19" in third.stderr


# --- closing, and final states -----------------------------------------------------------------


def test_closing_needs_a_response_first(register):
    register.add(complaint(ev("acknowledged", "2026-04-07")))
    refused = register.run("log", "C-2026-0403", "closed", "--at", "2026-04-08", "--by", "anna")
    assert refused.exit_code == 1 and "cannot close it before a response" in refused.stderr
    on_the_spot = [("responded", "--outcome", "upheld"), ("closed",)]
    for event_type, *options in on_the_spot:
        done = register.run(
            "log", "C-2026-0403", event_type, "--at", "2026-04-08", "--by", "anna", *options
        )
        assert done.exit_code == 0, done.output


@pytest.mark.parametrize(
    "final",
    [
        [ev("referred", "2026-04-20", to="ombudsman")],
        [ev("withdrawn", "2026-04-20")],
    ],
)
@pytest.mark.parametrize("allowed", [False, True])
def test_final_states_stay_final_unless_the_policy_allows_reopening(register, final, allowed):
    register.add(complaint(*final))
    use_policy(register, reopen_after_final=allowed)
    result = register.run("log", "C-2026-0403", "reopened", "--at", "2026-04-21", "--by", "anna")
    if allowed:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1 and "is final (unless the policy says" in result.stderr


def test_a_new_complaint_cannot_use_a_retired_category_or_channel(register):
    use_policy(
        register,
        categories=["service-quality", "other"],
        retired_categories=["billing"],
        channels=["email", "phone"],
        retired_channels=["letter"],
    )
    for option, value, key in (
        ("--category", "billing", "category"),
        ("--channel", "letter", "channel"),
    ):
        args = {"--channel": "email", "--category": "other", option: value}
        result = register.run(
            "new",
            "--summary",
            "Double charge",
            "--received",
            "2026-04-03T09:00",
            *[x for pair in args.items() for x in pair],
        )
        assert result.exit_code == 1
        assert (
            f"{key}: {value!r} is retired: a new complaint takes one of the policy's"
            in result.stderr
        )
    assert not list(register.root.glob("2026/*.yaml"))


# --- an event logged before events already recorded ---------------------------------------------


def test_an_event_dated_before_others_is_refused_in_its_own_name(register):
    register.add(
        complaint(
            ev("responded", "2026-04-28", by="marco", outcome="upheld"),
            ev("closed", "2026-05-05", by="marco"),
        )
    )
    result = register.run(
        "log",
        "C-2026-0403",
        "responded",
        "--at",
        "2026-04-10",
        "--by",
        "anna",
        "--outcome",
        "upheld",
        "--late",  # said why it is recorded late: what is left is what it would break
        "entered from the paper file",
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert (
        "events[2]: responded on 2026-04-10 comes before events already recorded (the latest on"
        " 2026-05-05); after it, events[0] would not make sense: responded: cannot respond:"
        " the complaint is responded"
    ) in lines[0]


@pytest.mark.parametrize("language", ["en", "it", "fa"])
def test_letters_say_from_when_a_coming_version_applies(register, language):
    # A response letter offers the internal review: with its time limits, and the ones
    # that will apply from June.
    register.add(complaint(ev("responded", "2026-04-28", outcome="not-upheld"), language=language))
    use_policy(register, targets=VERSIONS)
    before = register.run("letter", "C-2026-0403", "response", "--as-of", "2026-04-28")
    after = register.run("letter", "C-2026-0403", "response", "--as-of", "2026-06-02")
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output
    versioned = Policy.model_validate(policy(targets=VERSIONS))
    coming = policy_in_words(versioned, language, date(2026, 4, 28)).coming
    # In a right-to-left letter the date is isolated; what follows it is the same sentence.
    heading = coming[0].split("\u2069")[-1]
    assert heading and heading in before.stdout
    assert heading not in after.stdout


def test_a_mistake_in_a_version_is_said_at_its_place(register):
    use_policy(register, targets=[VERSIONS[0], {**VERSIONS[1], "max_extension": -1}])
    result = register.run("check")
    assert result.exit_code == 1
    assert "targets[1].max_extension: input should be greater than or equal to 0" in (
        result.stdout + result.stderr
    )
    assert "valid list" not in result.stdout + result.stderr


def test_a_target_cannot_run_due_dates_past_the_calendar(register):
    # 10 million working days would put a due date past the year 9999: refused at its line.
    huge = {**OLD, "stage1": {"acknowledge": 2, "respond": {"normal": 10**7, "urgent": 5}}}
    use_policy(register, targets=huge)
    result = register.run("check")
    assert result.exit_code == 1
    assert "targets.stage1.respond.normal: input should be less than or equal to 1000" in (
        result.stdout + result.stderr
    )
