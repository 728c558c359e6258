"""The intake workflow (.github/workflows/intake.yml): a submitted issue form, as GitHub
sends it (tests/payloads/), becomes a branch, a commit authored by the staff member who sent
it, the complaint file and a pull request; or a refusal that creates nothing. A real remote
(a bare Git repository), a real clone of it as the workflow's checkout, and a stand-in `gh`
that records its calls.

Dates worked out by hand with Italy's calendar (the test policy): received Monday
2026-11-02; acknowledge within 2 working days → Wednesday 2026-11-04; respond within 20
working days (3-6, 9-13, 16-20, 23-27 November are 19; 30 November the 20th) → Monday
2026-11-30; urgent, 5 working days → Monday 2026-11-09.
"""

import json

import pytest
from click.testing import CliRunner

from complaints_register.cli.main import cli
from tests.github_stand_in import GitHub, git, payload, with_body
from tests.test_workflows import run_step, step

RECORD = "issues-opened-record-complaint.json"
LOG = "issues-opened-log-event.json"
K_ID = "C-2026-1102-K7Q2"


def intake(github: GitHub, event: dict, monkeypatch):
    return github.ci(monkeypatch, event, "intake")


def nothing_created(github: GitHub) -> None:
    assert github.branches() == ["main"]
    assert git(github.repo, "branch", "--format=%(refname:short)").split() == ["main"]
    assert not (github.repo / "register" / "2026").exists()
    assert git(github.repo, "status", "--porcelain") == ""
    assert not [c for c in github.calls() if c["args"][0] == "pr"]


def test_a_record_form_becomes_a_branch_a_commit_by_its_sender_and_a_pull_request(tmp_path):
    github = GitHub(tmp_path)
    done = run_step(
        step("intake.yml", "intake"), github.repo, tmp_path, extra=github.env(payload(RECORD))
    )
    assert done.returncode == 0, done.stdout + done.stderr

    (branch,) = [b for b in github.branches() if b != "main"]
    complaint_id = branch.removeprefix("complaint/")
    assert branch.startswith("complaint/C-2026-1102-")
    # The commit: authored by Anna (her GitHub login is anna-rossi on the roster), on main.
    assert github.show(branch, "%an <%ae>") == "Anna Rossi <anna.rossi@example.org>"
    assert github.show(branch, "%cn") == "github-actions[bot]"
    assert github.show(branch, "%P") == github.show("main", "%H")
    assert git(github.origin, "diff", "--name-only", "main", branch).split() == [
        f"register/2026/{complaint_id}.yaml"
    ]
    text = github.file_on(branch, f"register/2026/{complaint_id}.yaml")
    assert f"id: {complaint_id}\n" in text
    assert "received: 2026-11-02T09:30:00+01:00\n" in text  # Rome is on CET in November
    assert "channel: email\nlanguage: it\ncategory: billing\n" in text
    assert "summary: 'Double charge on the October invoice: the second charge" in text
    assert "desired_outcome: Refund of the second charge\n" in text
    assert "complainant:\n  ref: CRM-48213\n" in text or "complainant: {ref: CRM-48213}" in text

    calls = github.calls()
    assert [c["args"][:2] for c in calls] == [
        ["api", "repos/{owner}/{repo}/collaborators/anna-rossi/permission"],
        ["pr", "list"],
        ["pr", "create"],
        ["issue", "comment"],
        ["issue", "close"],
    ]
    assert all(c["repo"] == "lagoon/complaints" and c["token"] == "test-token" for c in calls)
    create = calls[2]
    assert create["args"][2:6] == ["--head", branch, "--base", "main"]
    assert "Recorded from #12 by @anna-rossi." in create["stdin"]
    assert "Double charge" not in create["stdin"]  # nothing confidential beyond the ID
    assert calls[3]["args"][2] == "12" and calls[4]["args"][2:] == ["12", "--reason", "completed"]

    reply = calls[3]["stdin"]
    assert f"Recorded as **{complaint_id}** in https://github.com/lagoon/complaints/pull/7" in reply
    assert "| Status | new |" in reply
    assert "| Acknowledge by | 2026-11-04" in reply
    assert "| Respond by | 2026-11-30" in reply
    assert "found no problem in the register" in reply
    # The draft acknowledgement, in the complainant's language (Italian), dates in words.
    assert "Draft acknowledgement letter (it)" in reply
    assert "conferma di ricevimento" in reply
    assert "entro il giorno 30\u00a0novembre\u00a02026" in reply  # Babel's long date


def test_an_email_address_in_the_summary_is_refused_masked_and_nothing_is_created(
    tmp_path, monkeypatch
):
    github = GitHub(tmp_path)
    event = payload(RECORD)
    body = event["issue"]["body"].replace(
        "taken on 28 October.", "taken on 28 October. Write to mario.rossi@example.com."
    )
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    calls = github.calls()
    # Masked whoever sent it (before asking who may record): no permission call.
    assert [c["args"][:3] for c in calls] == [
        ["issue", "edit", "12"],
        ["issue", "comment", "12"],
        ["issue", "close", "12"],
    ]
    assert calls[2]["args"][3:] == ["--reason", "not planned"]
    # masked: every letter and digit but the last two
    masked = "•••••.•••••@•••••••.•om"
    assert f"Write to {masked}." in calls[0]["stdin"]  # the issue itself no longer holds it
    assert calls[0]["stdin"].startswith("### Received\n\n2026-11-02T09:30\n")
    assert masked in calls[1]["stdin"] and "looks like an e-mail address" in calls[1]["stdin"]
    assert "Nothing was recorded" in calls[1]["stdin"]
    everything = done.output + json.dumps(calls, ensure_ascii=False)
    assert "mario.rossi@example.com" not in everything


def test_personal_data_from_someone_who_may_not_record_is_masked_too(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    event = payload(RECORD)
    event["issue"]["user"]["login"] = "luca-r"  # read access only
    body = event["issue"]["body"].replace("CRM-48213", "IT60X0542811101000000123456")
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    calls = github.calls()
    assert [c["args"][:2] for c in calls] == [
        ["issue", "edit"],
        ["issue", "comment"],
        ["issue", "close"],
    ]
    assert "IT60X0542811101000000123456" not in json.dumps(calls)
    assert "complainant_ref: •••••••••••••••••••••••••56 looks like an IBAN" in calls[1]["stdin"]


@pytest.mark.parametrize(
    "login, said",
    [
        ("luca-r", "@\u200bluca-r has read access to this repository"),  # GitHub: read
        ("stranger", "gh api failed"),  # not a collaborator: GitHub answers 404
        ("marco-b", None),  # maintain: may; on the roster as marco
    ],
)
def test_only_writers_on_the_roster_may_record(tmp_path, monkeypatch, login, said):
    github = GitHub(tmp_path)
    event = payload(RECORD)
    event["issue"]["user"]["login"] = login
    done = intake(github, event, monkeypatch)
    if said is None:
        assert done.exit_code == 0, done.output
        (branch,) = [b for b in github.branches() if b != "main"]
        assert github.show(branch, "%an <%ae>") == "Marco Bianchi <marco.bianchi@example.org>"
        return
    if login == "stranger":  # gh fails: the run fails, says why, and nothing is created
        assert done.exit_code == 1 and "Not Found (HTTP 404)" in done.output
    else:
        assert done.exit_code == 0, done.output
        reply = [c for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
        assert said in reply[0]["stdin"] and "needs write access" in reply[0]["stdin"]
    nothing_created(github)


def test_a_writer_not_on_the_roster_is_refused(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    github.answers["permissions"]["sara-c"] = "write"  # Sara has no github: on the roster
    event = payload(RECORD)
    event["issue"]["user"]["login"] = "sara-c"
    done = intake(github, event, monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert "@\u200bsara-c is not on the staff roster: add `github: sara-c`" in reply


@pytest.mark.parametrize(
    "old, new, said",
    [
        ("### Channel\n\nemail", "### Channel\n\nfax", "Channel: 'fax' is not one of the form's"),
        ("### Summary\n\n", "### Sumary\n\n", "no section 'Summary'"),
        ("2026-11-02T09:30", "2026-13-02", "Received '2026-13-02' is not a date"),
        ("2026-11-02T09:30", "2926-11-02", "after 2200-12-31"),
    ],
)
def test_a_form_that_cannot_be_read_is_refused_with_what_to_write(
    tmp_path, monkeypatch, old, new, said
):
    github = GitHub(tmp_path)
    event = payload(RECORD)
    done = intake(github, with_body(event, event["issue"]["body"].replace(old, new)), monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert said in reply


def test_a_complaint_check_refuses_is_refused_with_its_problems(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    event = payload(RECORD)
    body = event["issue"]["body"].replace("2026-11-02T09:30", "2199-11-02T09:30")  # the future
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert "would not pass `complaints check`" in reply and "received" in reply


def test_an_issue_that_is_no_form_is_left_alone(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    event = payload(RECORD)
    event["issue"]["labels"] = []
    done = intake(github, event, monkeypatch)
    assert done.exit_code == 0 and "not a complaints form" in done.output
    assert github.calls() == []
    nothing_created(github)


def seed_complaint(github: GitHub) -> None:
    path = github.seed / "register" / "2026" / f"{K_ID}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        f"id: {K_ID}\nreceived: 2026-11-02T09:30:00+01:00\nchannel: email\nlanguage: it\n"
        "category: billing\nsummary: Double charge on the October invoice\nevents: []\n",
        encoding="utf-8",
    )
    github.commit_seed(f"Record {K_ID}")
    git(github.repo, "pull", "-q")


def test_a_log_form_appends_the_event_on_the_complaints_branch(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    seed_complaint(github)
    done = intake(github, payload(LOG), monkeypatch)
    assert done.exit_code == 0, done.output
    branch = f"complaint/{K_ID}"
    assert github.branches() == [branch, "main"]
    assert github.show(branch, "%an") == "Anna Rossi"
    assert github.show(branch, "%s") == f"{K_ID}: acknowledged"
    text = github.file_on(branch, f"register/2026/{K_ID}.yaml")
    assert text.endswith("  - {type: acknowledged, at: 2026-11-03, by: anna}\n")
    calls = github.calls()
    assert [c["args"][:2] for c in calls][1:] == [
        ["pr", "list"],
        ["pr", "create"],
        ["issue", "comment"],
        ["issue", "close"],
    ]
    reply = calls[3]["stdin"]
    assert f"Logged **acknowledged** on **{K_ID}**" in reply
    assert "| Status | acknowledged |" in reply
    assert "| Acknowledge by | done 2026-11-03 |" in reply
    assert "| Respond by | 2026-11-30" in reply


def test_a_second_log_form_goes_on_the_branch_already_open(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    seed_complaint(github)
    assert intake(github, payload(LOG), monkeypatch).exit_code == 0
    first = github.show(f"complaint/{K_ID}", "%H")
    # A fresh checkout of main, as the next run has; its pull request is open.
    git(github.repo, "switch", "-q", "main")
    (tmp_path / "gh-log.jsonl").write_text("")
    github.answers["open_pull_requests"] = [
        {"number": 7, "url": "https://github.com/lagoon/complaints/pull/7"}
    ]
    event = payload(LOG)
    body = event["issue"]["body"].replace("### Event\n\nacknowledged", "### Event\n\nassessed")
    body = body.replace("### Priority\n\n_No response_", "### Priority\n\nurgent")
    body = body.replace("### Handler\n\n_No response_", "### Handler\n\nmarco")
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    branch = f"complaint/{K_ID}"
    assert github.show(branch, "%P") == first  # on top of the first, fast-forward
    text = github.file_on(branch, f"register/2026/{K_ID}.yaml")
    assert text.endswith(
        "  - {type: acknowledged, at: 2026-11-03, by: anna}\n"
        "  - {type: assessed, at: 2026-11-03, by: anna, priority: urgent, handler: marco}\n"
    )
    assert not [c for c in github.calls() if c["args"][:2] == ["pr", "create"]]
    reply = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]][-1]
    assert "https://github.com/lagoon/complaints/pull/7" in reply
    assert "| Priority | urgent |" in reply and "| Handler | marco |" in reply
    assert "| Respond by | 2026-11-09" in reply


def test_a_log_form_with_an_option_that_does_not_go_with_its_type_changes_nothing(
    tmp_path, monkeypatch
):
    github = GitHub(tmp_path)
    seed_complaint(github)
    event = payload(LOG)
    body = event["issue"]["body"].replace("### Score\n\n_No response_", "### Score\n\n4")
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    assert github.branches() == ["main"]
    assert git(github.repo, "branch", "--format=%(refname:short)").split() == ["main"]
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert "score does not go with acknowledged (it takes none)" in reply


def test_a_log_form_refused_by_the_rules_leaves_no_branch(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    seed_complaint(github)
    event = payload(LOG)
    # closed before any response: the lifecycle refuses it
    body = event["issue"]["body"].replace("### Event\n\nacknowledged", "### Event\n\nclosed")
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    assert github.branches() == ["main"]
    assert git(github.repo, "branch", "--format=%(refname:short)").split() == ["main"]
    assert git(github.repo, "status", "--porcelain") == ""
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert "would not pass `complaints check`" in reply and "events[0]" in reply


def test_an_event_file_that_is_not_githubs_fails_the_run_clearly(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    done = github.ci(monkeypatch, {"action": "opened"}, "intake")  # no issue in it
    assert done.exit_code == 1
    assert "the event is not the one GitHub sends for this workflow" in done.output
    assert "Traceback" not in done.output
    (tmp_path / "event.json").write_text("{not json")
    done = CliRunner().invoke(
        cli,
        ["--register", str(github.repo / "register"), "ci", "intake", str(tmp_path / "event.json")],
    )
    assert done.exit_code == 1 and "not the JSON event GitHub writes" in done.output
    nothing_created(github)


@pytest.mark.parametrize("typed", ["../../etc/passwd", "C-2026-1102-K7Q2/../x", "--help"])
def test_a_complaint_id_that_is_no_id_is_refused_and_reaches_no_path(tmp_path, monkeypatch, typed):
    github = GitHub(tmp_path)
    seed_complaint(github)
    event = payload(LOG)
    body = event["issue"]["body"].replace(
        f"### Complaint ID\n\n{K_ID}", f"### Complaint ID\n\n{typed}"
    )
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    assert github.branches() == ["main"]
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert reply.startswith("Nothing was recorded: ") and "ID" in reply


def test_the_draft_acknowledgement_carries_the_tracking_code_and_address(tmp_path, monkeypatch):
    # As `complaints letter` writes it when the tracking secret is set (the workflow passes
    # COMPLAINTS_TRACKING_SECRET and COMPLAINTS_SITE_URL to the step).
    github = GitHub(tmp_path)
    monkeypatch.setenv("COMPLAINTS_TRACKING_SECRET", "a-tracking-secret-of-32-characters")
    monkeypatch.setenv("COMPLAINTS_SITE_URL", "https://complaints.example.org")
    done = intake(github, payload(RECORD), monkeypatch)
    assert done.exit_code == 0, done.output
    (branch,) = [b for b in github.branches() if b != "main"]
    code = CliRunner().invoke(
        cli,
        ["--register", str(github.repo / "register"), "tracking-code", branch.split("/")[1]],
    )
    assert code.exit_code == 0, code.output
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    # Italian is not the policy's first language (en): its pages are under it/
    assert "(https://complaints.example.org/it/follow/)" in reply
    assert f"questo codice di verifica: {code.output.split()[0]}" in reply


def test_a_check_that_cannot_run_is_said_and_the_pull_request_still_opened(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    git(github.repo, "update-ref", "-d", "refs/remotes/origin/main")  # a checkout without it
    done = intake(github, payload(RECORD), monkeypatch)
    assert done.exit_code == 0, done.output
    calls = github.calls()
    assert [c["args"][:2] for c in calls][-3:] == [
        ["pr", "create"],
        ["issue", "comment"],
        ["issue", "close"],
    ]
    assert (
        "`complaints check --base origin/main` could not run: 'origin/main' is not"
        in calls[-2]["stdin"]
    )


def test_a_pull_request_github_will_not_open_is_said_with_the_branch(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    github.answers["refuse_pull_requests"] = True  # "Allow GitHub Actions to create..." off
    done = intake(github, payload(RECORD), monkeypatch)
    assert done.exit_code == 0, done.output
    (branch,) = [b for b in github.branches() if b != "main"]
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert f"in the branch `{branch}` (GitHub did not open its pull request: gh pr create" in reply
    assert "not permitted to create or approve pull requests" in reply


def test_personal_data_in_a_dropdowns_place_is_masked_and_never_repeated(tmp_path, monkeypatch):
    # A form's body can be edited into anything: a dropdown's answer that is not one of its
    # choices is said back in the refusal, so the whole body is looked through first.
    github = GitHub(tmp_path)
    event = payload(RECORD)
    body = event["issue"]["body"].replace(
        "### Channel\n\nemail\n", "### Channel\n\ngiulia.verdi@example.com\n"
    )
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    calls = github.calls()
    assert [c["args"][:3] for c in calls] == [
        ["issue", "edit", "12"],
        ["issue", "comment", "12"],
        ["issue", "close", "12"],
    ]
    assert "### Channel\n\n••••••.•••••@•••••••.•om\n" in calls[0]["stdin"]
    assert "looks like an e-mail address" in calls[1]["stdin"]
    assert "giulia.verdi@example.com" not in json.dumps(calls)


def test_a_refusal_on_a_form_repeats_no_mention_or_markup(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    event = payload(RECORD)
    body = event["issue"]["body"].replace(
        "### Channel\n\nemail\n", "### Channel\n\n@lagoon/everyone <img src=x onerror=y>\n"
    )
    done = intake(github, with_body(event, body), monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert "is not one of the form's choices" in reply
    assert "@lagoon" not in reply and "<img" not in reply


def test_a_push_the_remote_refuses_is_said_on_the_issue(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    hook = github.origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'rejected: fetch first' >&2\nexit 1\n")
    hook.chmod(0o755)
    done = intake(github, payload(RECORD), monkeypatch)
    assert done.exit_code == 1 and "could not be pushed" in done.output
    assert github.branches() == ["main"]
    (reply,) = [c["stdin"] for c in github.calls() if c["args"][:2] == ["issue", "comment"]]
    assert reply.startswith("Nothing was recorded: the branch `complaint/C-2026-1102-")
    assert reply.endswith("send it again\n")


def test_personal_data_in_the_issues_title_is_masked_and_nothing_is_created(tmp_path, monkeypatch):
    # The form's title is the person's to change, and stays on the closed issue.
    github = GitHub(tmp_path)
    event = payload(RECORD)
    event["issue"]["title"] = "Record a complaint: Giulia Verdi, giulia.verdi@example.com"
    done = intake(github, event, monkeypatch)
    assert done.exit_code == 0, done.output
    nothing_created(github)
    calls = github.calls()
    assert [c["args"][:3] for c in calls] == [
        ["issue", "edit", "12"],
        ["issue", "comment", "12"],
        ["issue", "close", "12"],
    ]
    assert calls[0]["args"][3:] == [
        "--title",
        "Record a complaint: Giulia Verdi, ••••••.•••••@•••••••.•om",
        "--body-file",
        "-",
    ]
    assert calls[0]["stdin"] == event["issue"]["body"]
    assert "the title: ••••••.•••••@•••••••.•om looks like an e-mail address" in calls[1]["stdin"]
    assert "giulia.verdi@example.com" not in json.dumps(calls)
