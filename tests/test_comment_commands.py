"""Comment commands on a complaint's pull request (.github/workflows/comment.yml): what a
comment asks for, and the `issue_comment` event as GitHub sends it (tests/payloads/) run
against a real remote and a real clone, with a stand-in `gh` that records its calls.

Dates worked out by hand (Italy's calendar, the test policy): received Monday 2026-11-02;
urgent, 5 working days to respond → Monday 2026-11-09; acknowledge within 2 → 2026-11-04.
"""

import copy
import json
import re
from datetime import date, datetime

import pytest

from complaints_register.core.comment_commands import (
    LONGEST,
    LetterCommand,
    LogCommand,
    command,
)
from complaints_register.core.event_input import InputError
from complaints_register.text.letter_kinds import LETTER_KINDS
from tests.github_stand_in import GitHub, git, payload
from tests.test_workflows import run_step, step

K_ID = "C-2026-1102-K7Q2"
BRANCH = f"complaint/{K_ID}"
FILE = f"register/2026/{K_ID}.yaml"


# ---------------------------------------------------------------------------------------
# Reading a command


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Looks good to me", None),
        ("/logged it already", None),  # not /log
        ("please /log acknowledged", None),  # a command is the first line's start
        (
            "/log assessed priority=urgent handler=marco",
            LogCommand("assessed", {"priority": "urgent", "handler": "marco"}),
        ),
        (
            '  /log acknowledged at=2026-11-03 note="by telephone, then by letter"\r\nthanks',
            LogCommand("acknowledged", {}, date(2026, 11, 3), "by telephone, then by letter"),
        ),
        (
            "/log responded outcome=partly-upheld remedy=apology,refund at=2026-11-05T16:30",
            LogCommand(
                "responded",
                {"outcome": "partly-upheld", "remedies": ["apology", "refund"]},
                datetime(2026, 11, 5, 16, 30),
            ),
        ),
        ("/letter acknowledgement", LetterCommand("acknowledgement")),
        ("/letter closure --log", LetterCommand("closure", log=True)),
    ],
)
def test_what_a_comment_asks_for(body, expected):
    assert command(body, LETTER_KINDS) == expected


@pytest.mark.parametrize(
    "body, message",
    [
        ("/log", "/log needs an event type, one of: acknowledged, assessed"),
        ("/log acknowleged", "'acknowleged' is not an event type that can be logged here"),
        ("/log erased", "'erased' is not an event type"),
        ("/log assessed priority=high", "priority 'high' is not one of: normal, urgent"),
        ("/log assessed urgent", "'urgent' is not key=value"),
        ("/log assessed priority=urgent priority=normal", "priority is given twice"),
        ("/log acknowledged score=3", "score does not go with acknowledged (it takes none)"),
        ("/log acknowledged at=yesterday", "at 'yesterday' is not a date"),
        ("/log acknowledged at=3026-01-01", "after 2200-12-31"),
        ('/log note note="unclosed', "the command cannot be read"),
        ("/log note note=", "note is empty"),
        ("/letter", "/letter takes one kind, one of: acknowledgement"),
        ("/letter apology", "/letter takes one kind"),
        ("/letter closure --log --log", "/letter takes one kind"),
        ("/letter --log closure", "/letter takes one kind"),
        ("/log note note=" + "x" * LONGEST, f"longer than {LONGEST} characters"),
    ],
)
def test_a_command_that_cannot_be_read_says_what_to_write(body, message):
    with pytest.raises(InputError) as raised:
        command(body, LETTER_KINDS)
    assert message in str(raised.value)


# ---------------------------------------------------------------------------------------
# The workflow


@pytest.fixture
def github(tmp_path):
    """main has the complaint; its branch (and open pull request #7) has its acknowledgement."""
    found = GitHub(tmp_path)
    path = found.seed / FILE
    path.parent.mkdir(parents=True)
    path.write_text(
        f"id: {K_ID}\nreceived: 2026-11-02T09:30:00+01:00\nchannel: email\nlanguage: en\n"
        "category: billing\nsummary: Double charge on the October invoice\nevents: []\n",
        encoding="utf-8",
    )
    found.commit_seed(f"Record {K_ID}")
    git(found.seed, "switch", "-q", "-c", BRANCH)
    path.write_text(
        path.read_text().replace(
            "events: []\n", "events:\n  - {type: acknowledged, at: 2026-11-03, by: anna}\n"
        )
    )
    found.commit_seed(f"{K_ID}: acknowledged", BRANCH)
    git(found.repo, "pull", "-q")
    found.answers["pull_request"] = {
        "headRefName": BRANCH,
        "baseRefName": "main",
        "state": "OPEN",
        "isCrossRepository": False,
        "files": [{"path": FILE, "additions": 2, "deletions": 1}],
    }
    return found


def run(github: GitHub, event: dict, monkeypatch):
    return github.ci(monkeypatch, event, "comment")


def comment(body: str | None = None, login: str | None = None, association: str | None = None):
    event = copy.deepcopy(payload("issue-comment-log.json"))
    if body is not None:
        event["comment"]["body"] = body
    if login is not None:
        event["comment"]["user"]["login"] = login
    if association is not None:
        event["comment"]["author_association"] = association
    return event


def replies(github: GitHub) -> list[str]:
    return [c["stdin"] for c in github.calls() if c["args"][:3] == ["pr", "comment", "7"]]


def unchanged(github: GitHub, before: str) -> None:
    assert github.show(BRANCH, "%H") == before
    assert github.branches() == [BRANCH, "main"]


def test_a_writers_log_command_appends_the_event_to_the_pull_requests_branch(github, tmp_path):
    before = github.show(BRANCH, "%H")
    done = run_step(
        step("comment.yml", "command"), github.repo, tmp_path, extra=github.env(comment())
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert github.show(BRANCH, "%P") == before
    assert github.show(BRANCH, "%an <%ae>") == "Anna Rossi <anna.rossi@example.org>"
    assert github.show(BRANCH, "%s") == f"{K_ID}: assessed"
    last = github.file_on(BRANCH, FILE).splitlines()[-1]
    assert re.fullmatch(
        r"  - \{type: assessed, at: '?20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00'?, by: anna,"
        r" priority: urgent, handler: marco\}",
        last,
    ), last
    assert [c["args"][:2] for c in github.calls()] == [
        ["api", "repos/{owner}/{repo}/collaborators/anna-rossi/permission"],
        ["pr", "view"],
        ["pr", "comment"],
    ]
    (reply,) = replies(github)
    assert f"Logged **assessed** on **{K_ID}** in this pull request." in reply
    assert "| Status | investigating |" in reply
    assert "| Priority | urgent |" in reply and "| Handler | marco |" in reply
    assert "| Acknowledge by | done 2026-11-03 |" in reply
    assert "| Respond by | 2026-11-09" in reply
    assert "found no problem in the register" in reply
    assert "Double charge" not in reply


def test_the_same_comment_from_a_reader_is_refused_and_changes_nothing(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    done = run(github, comment(login="luca-r"), monkeypatch)  # GitHub says: read
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    assert [c["args"][:2] for c in github.calls()] == [
        ["api", "repos/{owner}/{repo}/collaborators/luca-r/permission"],
        ["pr", "comment"],
    ]
    (reply,) = replies(github)
    assert reply.startswith(
        "Nothing was recorded: @\u200bluca-r has read access to this repository"
    )


def test_someone_who_cannot_be_a_collaborator_is_refused_without_asking(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    done = run(github, comment(login="passer-by", association="NONE"), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    assert [c["args"][:2] for c in github.calls()] == [["pr", "comment"]]
    assert "@\u200bpasser-by is not a collaborator" in replies(github)[0]


def test_a_malformed_command_gets_a_clear_reply_and_changes_nothing(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    done = run(github, comment("/log assessed priority=high handler=marco"), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    (reply,) = replies(github)
    assert "Nothing was recorded: priority 'high' is not one of: normal, urgent" in reply


def test_an_event_the_rules_refuse_changes_nothing(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    done = run(github, comment("/log assessed priority=urgent handler=Marco Bianchi"), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    assert "'Bianchi' is not key=value" in replies(github)[0]
    done = run(
        github, comment('/log assessed priority=urgent handler="Marco Bianchi"'), monkeypatch
    )
    unchanged(github, before)
    assert "would not pass `complaints check`" in replies(github)[-1]
    assert "'Marco Bianchi' is Marco Bianchi: write the handle, marco" in replies(github)[-1]
    assert git(github.repo, "status", "--porcelain") == ""


def test_a_letter_command_answers_with_the_draft_and_records_nothing(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    done = run(github, comment("/letter acknowledgement"), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    (reply,) = replies(github)
    assert "| Status | acknowledged |" in reply
    assert "Draft acknowledgement letter (en)" in reply
    assert f"Your complaint {K_ID}" in reply


def test_letter_log_appends_the_letters_event_once(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    # acknowledged is on the branch already: the letter, and nothing logged
    done = run(github, comment("/letter acknowledgement --log"), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    assert "Logged" not in replies(github)[-1]
    # an information request: the letter, and info-requested appended, as letter --log does
    done = run(github, comment("/letter info-request --log"), monkeypatch)
    assert done.exit_code == 0, done.output
    assert github.show(BRANCH, "%P") == before
    assert github.show(BRANCH, "%s") == f"{K_ID}: info-requested (info-request letter)"
    assert github.show(BRANCH, "%an") == "Anna Rossi"
    last = github.file_on(BRANCH, FILE).splitlines()[-1]
    assert last.startswith("  - {type: info-requested, at: ") and last.endswith(", by: anna}")
    reply = replies(github)[-1]
    assert reply.startswith("Logged **info-requested** with the info-request letter.")
    assert "| Status | awaiting-complainant |" in reply
    assert "Draft info-request letter (en)" in reply


def test_commands_on_a_pull_request_from_a_fork_are_refused(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    github.answers["pull_request"]["isCrossRepository"] = True
    done = run(github, comment(), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    assert "open pull requests from a branch of this repository only" in replies(github)[0]


def test_a_comment_on_an_issue_or_without_a_command_is_left_alone(github, monkeypatch):
    event = comment()
    del event["issue"]["pull_request"]
    assert "not a pull request" in run(github, event, monkeypatch).output
    assert "holds no command" in run(github, comment("Thanks, /log later"), monkeypatch).output
    assert github.calls() == []


def test_a_pull_request_named_otherwise_is_about_the_one_complaint_it_changes(github, monkeypatch):
    git(github.seed, "push", "-q", str(github.origin), f"{BRANCH}:refs/heads/fix-meter")
    github.answers["pull_request"]["headRefName"] = "fix-meter"
    done = run(github, comment(), monkeypatch)
    assert done.exit_code == 0, done.output
    assert github.show("fix-meter", "%s") == f"{K_ID}: assessed"
    github.answers["pull_request"]["files"].append({"path": "register/2026/C-2026-1103-M4XR.yaml"})
    run(github, comment(), monkeypatch)
    assert "not about one complaint" in replies(github)[-1]


def test_the_workflow_runs_only_for_commands_on_pull_requests():
    from tests.test_workflows import workflow

    (job,) = workflow("comment.yml")["jobs"].values()
    assert job["if"] == (
        "github.event.issue.pull_request && (startsWith(github.event.comment.body, '/log')"
        " || startsWith(github.event.comment.body, '/letter'))"
    )
    assert workflow("comment.yml")["on"] == {"issue_comment": {"types": ["created"]}}


def test_personal_data_in_a_command_is_masked_in_the_comment_and_nothing_is_logged(
    github, monkeypatch
):
    before = github.show(BRANCH, "%H")
    body = '/log note note="called back on +39 06 6988 4857, wants a refund"'
    done = run(github, comment(body, login="luca-r"), monkeypatch)  # whoever wrote it
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    calls = github.calls()
    assert [c["args"][:4] for c in calls] == [
        ["api", "--method", "PATCH", "repos/{owner}/{repo}/issues/comments/3512345678"],
        ["pr", "comment", "7", "--body-file"],
    ]
    # every digit but the last two masked; the + and spaces kept
    assert json.loads(calls[0]["stdin"]) == {
        "body": '/log note note="called back on +•• •• •••• ••57, wants a refund"'
    }
    assert "+•• •• •••• ••57 looks like a telephone number" in calls[1]["stdin"]
    assert "6988" not in json.dumps(calls)


def test_personal_data_typed_as_any_option_is_masked_and_never_repeated(github, monkeypatch):
    # Not only note, late and reason: a value a writer typed where a choice belongs is
    # said back in the refusal, so it is looked through first, whatever the option.
    before = github.show(BRANCH, "%H")
    body = "/log assessed priority=giulia.verdi@example.com handler=marco"
    done = run(github, comment(body), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    calls = github.calls()
    assert [c["args"][:2] for c in calls] == [["api", "--method"], ["pr", "comment"]]
    assert json.loads(calls[0]["stdin"])["body"] == (
        "/log assessed priority=••••••.•••••@•••••••.•om handler=marco"
    )
    assert "looks like an e-mail address" in calls[1]["stdin"]
    assert "giulia.verdi@example.com" not in json.dumps(calls)


def test_a_malformed_command_with_personal_data_is_masked_too(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    body = "/log assessed giulia.verdi@example.com"  # not key=value: said back when refused
    done = run(github, comment(body), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    assert "giulia.verdi@example.com" not in json.dumps(github.calls())


def test_a_refusal_repeats_no_mention_image_or_link_that_was_typed(github, monkeypatch):
    before = github.show(BRANCH, "%H")
    body = (
        '/log assessed priority="@lagoon/everyone <img src=https://t.example/p.png>'
        ' [Sign in](https://phish.example)" handler=marco'
    )
    done = run(github, comment(body), monkeypatch)
    assert done.exit_code == 0, done.output
    unchanged(github, before)
    (reply,) = replies(github)
    assert "is not one of: normal, urgent" in reply
    assert "@lagoon" not in reply  # a team GitHub would notify
    assert "<img" not in reply and "&lt;img src=https:" in reply
    assert "[Sign in](" not in reply and "\\[Sign in\\]" in reply


def test_a_pull_request_from_the_default_branch_is_never_pushed_to(github, monkeypatch):
    # A pull request from main (into another branch) that changes one complaint: a /log
    # would go straight onto main, past the review a complaint's pull request gets.
    git(github.seed, "push", "-q", str(github.origin), "main:refs/heads/archive")
    github.answers["pull_request"].update(headRefName="main", baseRefName="archive")
    before = github.show("main", "%H")
    done = run(github, comment(), monkeypatch)
    assert done.exit_code == 0, done.output
    assert github.show("main", "%H") == before
    assert "the repository's default branch" in replies(github)[-1]
    assert git(github.repo, "branch", "--show-current").strip() == "main"


def test_a_push_refused_because_the_branch_moved_is_said_and_changes_nothing(github, monkeypatch):
    # Two commands at once on one branch (a comment and a form): the second push is not a
    # fast-forward and GitHub refuses it. Here the remote refuses every push.
    hook = github.origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'rejected: fetch first' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = github.show(BRANCH, "%H")
    done = run(github, comment(), monkeypatch)
    assert done.exit_code == 1  # the run fails too, for whoever looks after the repository
    assert "could not be pushed" in done.output and "Traceback" not in done.output
    unchanged(github, before)
    reply = replies(github)[-1]
    assert reply.startswith(f"Nothing was recorded: the branch `{BRANCH}` could not be pushed")
    assert "pre-receive hook declined" in reply and reply.endswith("send it again\n")


def test_commands_sent_in_a_row_wait_their_turn_and_none_is_dropped():
    # GitHub keeps one pending run per concurrency group unless told to queue: a third
    # /log sent while one runs and one waits would cancel the waiting one, unsaid.
    from tests.test_workflows import workflow

    (job,) = workflow("comment.yml")["jobs"].values()
    assert job["concurrency"]["group"] == "comment-${{ github.event.issue.number }}"
    assert job["concurrency"]["cancel-in-progress"] is False
    assert job["concurrency"]["queue"] == "max"


@pytest.mark.parametrize(
    "typed",
    [
        "\\`@lagoon/everyone`",  # an escaped backquote opens no code span on GitHub
        "see https://phish.example/login or www.phish.example",
    ],
)
def test_plain_leaves_no_mention_or_link_a_code_span_or_an_address_would_let_through(typed):
    from complaints_register.views.github_replies import plain

    said = plain(f"priority {typed} is not one of: normal, urgent", "IT")
    assert "@lagoon" not in said
    assert "https://phish" not in said and "www.phish" not in said
    assert plain("write `/letter KIND [--log]` and @ once", "IT") == (
        "write `/letter KIND [--log]` and @ once"
    )


def test_a_problem_that_repeats_personal_data_is_masked_in_the_reply(github, monkeypatch):
    # `check` repeats a value it cannot take (a channel that is an e-mail address); the
    # reply, which gives what `check --base` found on the branch, never holds it.
    other = github.seed / "register" / "2026" / "C-2026-1102-W9KZ.yaml"
    git(github.seed, "switch", "-q", BRANCH)
    other.write_text(
        "id: C-2026-1102-W9KZ\nreceived: 2026-11-02T10:30:00+01:00\n"
        "channel: giulia.verdi@example.com\nlanguage: en\ncategory: billing\n"
        "summary: Meter read twice\nevents: []\n",
        encoding="utf-8",
    )
    github.commit_seed("Another", BRANCH)
    done = run(github, comment(), monkeypatch)
    assert done.exit_code == 0, done.output
    reply = replies(github)[-1]
    assert reply.startswith(f"Logged **assessed** on **{K_ID}**")
    assert "channel: '••••••.•••••@•••••••.•om' is not in the expected form" in reply
    assert "giulia.verdi@example.com" not in json.dumps(github.calls())
