"""The pinned "Open complaints" issue (.github/workflows/open-complaints.yml, `complaints ci
open-issue`): every open complaint, the most urgent first, nothing confidential; created
and pinned once, edited when it changes, left alone when it does not.

Worked out by hand with Italy's calendar (the test policy: 2 working days to acknowledge,
20 to respond, 5 when urgent; Easter Monday 2026-04-06 a holiday), as of Wednesday
2026-04-01:
  B received Thu 03-05, nothing logged: acknowledge by Mon 03-09, 17 working days late
    (very overdue only after 20): overdue;
  A received Mon 03-02, assessed: respond by Mon 03-30 (20 working days): overdue;
  C received Mon 03-30, urgent: respond by 04-07 (03-31, 04-01, 02, 03, 07): not overdue;
  F received Tue 03-31, acknowledged: respond by 04-29 (20 working days, Easter Monday out);
  D responded 03-20: open until closed, its next step is to close it;
  E closed: not listed.
"""

import json

from complaints_register.views.overdue_issue import OPEN_TITLE, most_urgent_first, open_plan
from tests.github_stand_in import GitHub, git
from tests.test_workflows import BOT, PERSON, run_step, step, table_rows

COMPLAINTS = {
    "C-2026-0302-M4XR": (
        "2026-03-02T10:00:00+01:00",
        [
            "{type: acknowledged, at: 2026-03-03, by: anna}",
            "{type: assessed, at: 2026-03-04, by: anna, priority: normal, handler: marco}",
        ],
    ),
    "C-2026-0305-P8TN": ("2026-03-05T10:00:00+01:00", []),
    "C-2026-0330-R2WD": (
        "2026-03-30T10:00:00+02:00",
        [
            "{type: acknowledged, at: 2026-03-31, by: anna}",
            "{type: assessed, at: 2026-03-31, by: anna, priority: urgent, handler: sara}",
        ],
    ),
    "C-2026-0331-W9KZ": (
        "2026-03-31T10:00:00+02:00",
        ["{type: acknowledged, at: 2026-04-01, by: anna}"],
    ),
    "C-2026-0311-T6HJ": (
        "2026-03-11T10:00:00+01:00",
        [
            "{type: acknowledged, at: 2026-03-12, by: anna}",
            "{type: responded, at: 2026-03-20, by: marco, outcome: upheld}",
        ],
    ),
    "C-2026-0312-V5NC": (
        "2026-03-12T10:00:00+01:00",
        [
            "{type: acknowledged, at: 2026-03-13, by: anna}",
            "{type: responded, at: 2026-03-20, by: marco, outcome: upheld}",
            "{type: closed, at: 2026-03-20, by: marco}",
        ],
    ),
}

EXPECTED = {
    "C-2026-0305-P8TN": ["new", "1", "normal", "—", "acknowledge", "2026-03-09", "overdue"],
    "C-2026-0302-M4XR": [
        "investigating",
        "1",
        "normal",
        "marco",
        "respond",
        "2026-03-30",
        "overdue",
    ],
    "C-2026-0330-R2WD": ["investigating", "1", "urgent", "sara", "respond", "2026-04-07", "no"],
    "C-2026-0331-W9KZ": ["acknowledged", "1", "normal", "—", "respond", "2026-04-29", "no"],
    "C-2026-0311-T6HJ": ["responded", "1", "normal", "—", "close", "—", "no"],
}


def register(tmp_path) -> GitHub:
    github = GitHub(tmp_path)
    for complaint_id, (received, events) in COMPLAINTS.items():
        path = github.seed / "register" / "2026" / f"{complaint_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        listed = "".join(f"  - {e}\n" for e in events) or "  []\n"
        path.write_text(
            f"id: {complaint_id}\nreceived: {received}\nchannel: email\nlanguage: en\n"
            f"category: billing\nsummary: Meter read twice in one month\nevents:\n{listed}",
            encoding="utf-8",
        )
    github.commit_seed("The register")
    git(github.repo, "pull", "-q")
    return github


def run(github: GitHub, monkeypatch, as_of: str = "2026-04-01"):
    (github.tmp / "gh-log.jsonl").write_text("")
    return github.ci(monkeypatch, {}, "open-issue", "--as-of", as_of)


def test_the_issue_lists_every_open_complaint_most_urgent_first(tmp_path, monkeypatch):
    github = register(tmp_path)
    done = run(github, monkeypatch)
    assert done.exit_code == 0, done.output
    calls = github.calls()
    assert [c["args"] for c in calls] == [
        [
            "issue",
            "list",
            "--state",
            "open",
            "--limit",
            "500",
            "--json",
            "number,title,body,isPinned,author",
        ],
        ["issue", "create", "--title", OPEN_TITLE, "--body-file", "-"],
        ["issue", "pin", "21"],  # the number `gh issue create` printed
    ]
    body = calls[1]["stdin"]
    assert body.startswith("5 open complaint(s) as of 2026-04-01, the most urgent first.")
    assert "| ID | Status | Stage | Priority | Handler | Next step | Due | Overdue |" in body
    rows = table_rows(body)
    assert rows == EXPECTED
    assert list(rows) == list(EXPECTED)  # in this order
    assert "Meter read twice" not in body  # never a summary
    assert body in (tmp_path / "summary.md").read_text()


def test_the_same_list_changes_nothing_and_a_new_one_edits_and_pins(tmp_path, monkeypatch):
    github = register(tmp_path)
    run(github, monkeypatch)
    body = github.calls()[1]["stdin"]
    github.answers["issues"] = [
        {"number": 4, "title": OPEN_TITLE, "body": body, "isPinned": True, "author": BOT}
    ]
    assert run(github, monkeypatch).exit_code == 0
    assert [c["args"][:2] for c in github.calls()] == [["issue", "list"]]
    # Unpinned by someone, and a day later: edited and pinned again.
    github.answers["issues"][0]["isPinned"] = False
    assert run(github, monkeypatch, "2026-04-02").exit_code == 0
    assert [c["args"][:3] for c in github.calls()] == [
        ["issue", "list", "--state"],
        ["issue", "edit", "4"],
        ["issue", "pin", "4"],
    ]


def test_no_open_complaint_keeps_the_issue_saying_so(tmp_path, monkeypatch):
    github = GitHub(tmp_path)
    done = run(github, monkeypatch)
    assert done.exit_code == 0, done.output
    assert github.calls()[1]["stdin"].startswith("No complaint is open as of 2026-04-01.")


def test_the_workflow_step_keeps_the_issue(tmp_path):
    github = register(tmp_path)
    done = run_step(
        step("open-complaints.yml", "issue"), github.repo, tmp_path, extra=github.env({})
    )
    assert done.returncode == 0, done.stdout + done.stderr
    calls = github.calls()
    assert [c["args"][:2] for c in calls] == [
        ["issue", "list"],
        ["issue", "create"],
        ["issue", "pin"],
    ]
    assert all(c["repo"] == "lagoon/complaints" and c["token"] == "test-token" for c in calls)
    assert "5 open complaint(s) as of" in calls[1]["stdin"]


def test_most_urgent_first():
    rows = [
        {"id": "C-5", "overdue": "no", "due": None, "priority": "normal"},
        {"id": "C-4", "overdue": "no", "due": "2026-04-07", "priority": "normal"},
        {"id": "C-3", "overdue": "no", "due": "2026-04-07", "priority": "urgent"},
        {"id": "C-2", "overdue": "overdue", "due": "2026-03-01", "priority": "normal"},
        {"id": "C-1", "overdue": "very overdue", "due": "2026-03-20", "priority": "normal"},
    ]
    assert [r["id"] for r in most_urgent_first(rows)] == ["C-1", "C-2", "C-3", "C-4", "C-5"]


def test_two_open_issues_by_accident_keep_the_older():
    issues = [
        {"number": 9, "title": OPEN_TITLE, "body": "x", "isPinned": False, "author": BOT},
        {"number": 4, "title": OPEN_TITLE, "body": "x", "isPinned": True, "author": BOT},
    ]
    assert [c.args for c in open_plan(issues, "x")] == [
        ("issue", "close", "9", "--comment", "Duplicate of #4.")
    ]
    assert json.dumps([c.args for c in open_plan([], "x")]) == json.dumps(
        [["issue", "create", "--title", OPEN_TITLE, "--body-file", "-"]]
    )


def test_an_issue_someone_opened_with_the_title_is_never_written_to_or_pinned(
    tmp_path, monkeypatch
):
    # Pinned and written to, a person's issue would be theirs to rewrite: due dates and
    # handlers that staff read as the register's.
    github = register(tmp_path)
    planted = {"number": 3, "title": OPEN_TITLE, "body": "x", "isPinned": False, "author": PERSON}
    github.answers["issues"] = [planted]
    assert run(github, monkeypatch).exit_code == 0
    assert [c["args"][:3] for c in github.calls()] == [
        ["issue", "list", "--state"],
        ["issue", "create", "--title"],
        ["issue", "pin", "21"],
    ]


def test_a_handler_written_as_a_mention_or_markup_is_shown_inert(tmp_path, monkeypatch):
    # A file on main that check would refuse (a handler not on the roster), pushed past the
    # check: the pinned issue must not notify a whole team or show an outside image.
    github = GitHub(tmp_path)
    path = github.seed / "register" / "2026" / "C-2026-0302-M4XR.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "id: C-2026-0302-M4XR\nreceived: 2026-03-02T10:00:00+01:00\nchannel: email\n"
        "language: en\ncategory: billing\nsummary: Meter read twice\nevents:\n"
        "  - {type: assessed, at: 2026-03-04, by: anna, priority: normal,"
        " handler: '@lagoon/everyone <img src=https://t.example/p.png>'}\n",
        encoding="utf-8",
    )
    github.commit_seed("A handler that is no handle")
    git(github.repo, "pull", "-q")
    assert run(github, monkeypatch).exit_code == 0
    body = github.calls()[1]["stdin"]
    assert "C-2026-0302-M4XR" in body
    assert "@lagoon" not in body and "<img" not in body and "https://t" not in body
