"""`check --base`: the append-only rules held by Git, on real repositories in temporary
folders; complaints made on two branches at once; the pre-commit hook's definition."""

import json
import os
import random
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TestRegister

from complaints_register.core.ledger_rules import event_changes, ledger_findings, merge_kept_side
from complaints_register.core.problems import escape_property
from complaints_register.core.working_days import calendar_for
from complaints_register.store.action_files import action_folder
from complaints_register.store.ledger import diff, open_repository
from complaints_register.store.record import new_complaint
from complaints_register.store.register import Register

ID = "C-2026-0403-K7Q2"
PEOPLE = {
    "anna": ("Anna Rossi", "anna@example.org"),
    "marco": ("Marco Bianchi", "marco@example.org"),
}

HEADER = """\
id: C-2026-0403-K7Q2
received: 2026-04-03T09:12:00+02:00
channel: email
language: it
category: billing
summary: Double charge on the February invoice
events:
"""
ACK = "  - {type: acknowledged, at: 2026-04-07, by: anna}\n"
ASSESSED = "  - {type: assessed, at: 2026-04-08, by: anna, priority: normal, handler: marco}\n"
ASKED = "  - {type: info-requested, at: 2026-04-10, by: marco}\n"
NOTE = "  - {type: note, at: 2026-04-09, by: marco, note: called the complainant}\n"
RECORDED = HEADER + ACK + ASSESSED + ASKED
"""Lines: 1 id, 2 received, 3 channel, 4 language, 5 category, 6 summary, 7 events,
8-10 the three events."""


class GitRegister(TestRegister):
    """A register at `<top>/register` in a Git repository of its own; commits carry fixed
    names and dates, so that tests can tell what history must say."""

    __test__ = False

    def __init__(self, top: Path, init: bool = True):
        """A new repository with the test policy; `init=False`: one already there (a clone)."""
        self.top = top
        if not init:
            self.root = top / "register"
            return
        top.mkdir(parents=True, exist_ok=True)
        super().__init__(top / "register")
        self.git("init", "-q", "-b", "main")

    def git(
        self,
        *args: str,
        who: str = "anna",
        when: str = "2026-04-03T10:00:00+02:00",
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        return git(self.top, *args, who=who, when=when, check=check)

    def commit(
        self, message: str, who: str = "anna", when: str = "2026-04-03T10:00:00+02:00"
    ) -> str:
        """Commit everything; returns the commit's full ID."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, who=who, when=when)
        return self.git("rev-parse", "HEAD").stdout.strip()

    def write(self, text: str, complaint_id: str = ID) -> Path:
        path = self.path(complaint_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


def git(
    folder: Path,
    *args: str,
    who: str = "anna",
    when: str = "2026-04-03T10:00:00+02:00",
    check: bool = True,
    input_text: str | None = None,
) -> subprocess.CompletedProcess:
    name, email = PEOPLE[who]
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, input=input_text
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stdout}{result.stderr}")
    return result


@pytest.fixture
def repo(tmp_path) -> GitRegister:
    """A repository whose main branch holds RECORDED, one complaint with three events."""
    repo = GitRegister(tmp_path / "top")
    repo.write(RECORDED)
    repo.commit(f"Record {ID}")
    return repo


# --- The comparison of two versions, as data ------------------------------------------


def _complaint(*events: dict, **changes) -> dict:
    data = yaml.safe_load(HEADER)
    data.update(changes)
    data["events"] = list(events)
    return data


E0 = {"type": "acknowledged", "at": date(2026, 4, 7), "by": "anna"}
E1 = {
    "type": "assessed",
    "at": date(2026, 4, 8),
    "by": "anna",
    "priority": "normal",
    "handler": "marco",
}
E2 = {"type": "info-requested", "at": date(2026, 4, 10), "by": "marco"}
N = {"type": "note", "at": date(2026, 4, 9), "by": "marco", "note": "called the complainant"}


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # (kind, index in old (new for appended/inserted), place in new), worked out by hand
        ([E0, E1], [E0, E1], []),
        ([E0, E1], [E0, E1, E2], [("appended", 2, 2)]),
        ([], [E0, E1], [("appended", 0, 0), ("appended", 1, 1)]),
        ([E0, E1, E2], [E0, {**E1, "priority": "urgent"}, E2], [("changed", 1, 1)]),
        ([E0, E1, E2], [E0, E2], [("removed", 1, None)]),
        ([E0, E1, E2], [E0, E1], [("removed", 2, None)]),
        ([E0, E1, E2], [E0, E2, E1], [("moved", 2, 1)]),
        ([E0, E1], [N, E0, E1], [("inserted", 0, 0)]),
        ([E0, E1], [E0, N, E1], [("inserted", 1, 1)]),
        # a changed event and one appended after it
        ([E0, E1], [E0, {**E1, "by": "marco"}, N], [("changed", 1, 1), ("appended", 2, 2)]),
    ],
)
def test_event_changes(old, new, expected):
    assert [(c.kind, c.index, c.to) for c in event_changes(old, new)] == expected


REQUOTED = {"type": "acknowledged", "at": "2026-04-07", "by": "anna"}  # the date quoted


@pytest.mark.parametrize(
    "old, new",
    [
        (_complaint(E0, E1), _complaint(E0, E1)),
        (_complaint(E0, E1), _complaint(E0, E1, E2)),  # an event appended
        (_complaint(E0), _complaint(REQUOTED)),  # quoting a date is no change
        (
            _complaint(E0),
            _complaint({"by": "anna", "at": date(2026, 4, 7), "type": "acknowledged"}),
        ),
        (_complaint(E0), _complaint(E0, category="other", summary="Two charges")),  # not fixed
        (_complaint(E0), _complaint(E0, received="2026-04-03T09:12:00+02:00")),  # quoted
    ],
)
def test_what_the_ledger_accepts(old, new):
    assert list(ledger_findings(old, new)) == []


@pytest.mark.parametrize(
    "old, new, path, message",
    [
        (
            _complaint(E0),
            _complaint(E0, id="C-2026-0403-K7Q3"),
            ("id",),
            "changed from C-2026-0403-K7Q2 to C-2026-0403-K7Q3: a recorded complaint's id, received"
            " and channel never change",
        ),
        (
            _complaint(E0),
            _complaint(E0, received=datetime.fromisoformat("2026-04-03T10:12:00+02:00")),
            ("received",),
            "changed from 2026-04-03T09:12:00+02:00 to 2026-04-03T10:12:00+02:00",
        ),
        (
            _complaint(E0),
            _complaint(E0, channel="phone"),
            ("channel",),
            "changed from email to phone",
        ),
        (
            _complaint(E0, E1),
            _complaint(E0, {**E1, "priority": "urgent"}),
            ("events", 1),
            "event 1 (assessed by anna) was changed (priority: normal → urgent): a recorded event never"
            " changes; retract it (complaints log ID retracted --event 1 --reason ...) and log the right one",
        ),
        (
            _complaint(E0, E1),
            _complaint(E0, {k: v for k, v in E1.items() if k != "handler"}),
            ("events", 1),
            "was changed (handler: marco → (none))",
        ),
        (
            _complaint(E0, E1, E2),
            _complaint(E0, E2),
            ("events",),
            "event 1 (assessed by anna) was removed: a recorded event is never removed",
        ),
        (
            _complaint(E0, E1, E2),
            _complaint(E0, E2, E1),
            ("events", 1),
            "event 2 (info-requested by marco) was moved to place 1: recorded events keep their order",
        ),
        (
            _complaint(E0, E1),
            _complaint(N, E0, E1),
            ("events", 0),
            "a new event (note by marco) was put before earlier events: new events go at the end",
        ),
    ],
)
def test_what_the_ledger_refuses(old, new, path, message):
    findings = list(ledger_findings(old, new))
    assert len(findings) == 1
    assert findings[0][0] == path and message in findings[0][1]


RETRACT_N = {
    "type": "retracted",
    "at": date(2026, 4, 11),
    "by": "marco",
    "event": 1,
    "reason": "wrong",
}


@pytest.mark.parametrize(
    "side, others, merged, missing",
    [
        # marco's side brought N; anna's side (the other parent) brought E1
        (_complaint(E0, N), [_complaint(E0, E1)], _complaint(E0, E1, N), []),
        (_complaint(E0, N), [_complaint(E0, E1)], _complaint(E0, E1), [1]),
        (_complaint(E0, N), [_complaint(E0, E1)], _complaint(E0, E1, {**N, "note": "edited"}), [1]),
        # the retraction of N still retracts N once the merge shifted it from 1 to 2...
        (
            _complaint(E0, N, RETRACT_N),
            [_complaint(E0, E1)],
            _complaint(E0, E1, N, {**RETRACT_N, "event": 2}),
            [],
        ),
        # ...but not when its number was left pointing at anna's event
        (_complaint(E0, N, RETRACT_N), [_complaint(E0, E1)], _complaint(E0, E1, N, RETRACT_N), [2]),
        # two events of one side, kept but swapped
        (_complaint(E0, N, E2), [_complaint(E0)], _complaint(E0, E2, N), [2]),
    ],
)
def test_a_merge_keeps_each_sides_events(side, others, merged, missing):
    findings = list(merge_kept_side(side, others, merged))
    assert [int(m.split()[1]) for _, m in findings] == missing


# --- check --base on real repositories ------------------------------------------------


def _replace(old: str, new: str):
    return lambda repo: repo.write(RECORDED.replace(old, new))


@pytest.mark.parametrize(
    "edit, line, where, message",
    [
        pytest.param(
            _replace("id: C-2026-0403-K7Q2", "id: C-2026-0403-K7Q3"),
            1,
            "id",
            "changed from C-2026-0403-K7Q2 to C-2026-0403-K7Q3: a recorded complaint's id,"
            " received and channel never change",
            id="id",
        ),
        pytest.param(
            _replace("09:12:00", "10:12:00"),
            2,
            "received",
            "changed from 2026-04-03T09:12:00+02:00 to 2026-04-03T10:12:00+02:00",
            id="received",
        ),
        pytest.param(
            _replace("channel: email", "channel: phone"),
            3,
            "channel",
            "changed from email to phone",
            id="channel",
        ),
        pytest.param(
            _replace("priority: normal", "priority: urgent"),
            9,
            "events[1]",
            "event 1 (assessed by anna) was changed (priority: normal → urgent)",
            id="changed",
        ),
        pytest.param(
            _replace(ASSESSED, ""),
            8,
            "events",
            "event 1 (assessed by anna) was removed",
            id="removed",
        ),
        pytest.param(
            _replace(ASSESSED + ASKED, ASKED + ASSESSED),
            9,
            "events[1]",
            "event 2 (info-requested by marco) was moved to place 1",
            id="reordered",
        ),
        pytest.param(
            _replace(ACK, NOTE + ACK),
            8,
            "events[0]",
            "a new event (note by marco) was put before earlier events",
            id="inserted",
        ),
    ],
)
def test_check_base_refuses_each_edit_of_the_record(repo, edit, line, where, message):
    edit(repo)
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    refusal = next(p for p in result.stdout.splitlines() if "where HEAD and main meet" in p)
    assert refusal.startswith(f"{repo.path(ID)}:{line}: {where}: {message}")


def test_check_base_refuses_a_deleted_complaint_file(repo):
    repo.path(ID).unlink()
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{repo.path(ID)}: deleted since ")
    assert "a recorded complaint file is never deleted" in result.stdout


def test_check_base_refuses_a_renamed_complaint_file(repo):
    repo.git("mv", f"register/2026/{ID}.yaml", "register/2026/C-2026-0403-K7Q3.yaml")
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    assert (
        f"{repo.path(ID)}: renamed to register/2026/C-2026-0403-K7Q3.yaml since " in result.stdout
    )
    assert "a recorded complaint file keeps its name" in result.stdout


def test_check_base_refuses_edits_already_committed_on_the_branch(repo):
    repo.git("switch", "-q", "-c", "fix")
    _replace("channel: email", "channel: phone")(repo)
    repo.commit("Wrong channel")
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1 and "channel: changed from email to phone" in result.stdout


REWRITTEN = """\
id: "C-2026-0403-K7Q2"
received: 2026-04-03T09:12:00+02:00
channel: 'email'
language: it
category: billing
summary: "Double charge on the February invoice"
events:
- type: acknowledged
  at: "2026-04-07"
  by: anna
- {by: anna, type: assessed, at: 2026-04-08, handler: marco, priority: normal}
-   type: info-requested
    at: 2026-04-10
    by: "marco"
"""


def test_check_base_accepts_what_the_ledger_allows(repo):
    # re-indented and re-quoted, category and summary changed, events appended with the
    # real command, a new complaint made with the real command: all allowed
    repo.write(
        REWRITTEN.replace("category: billing", "category: other").replace(
            "Double charge", "Two charges"
        )
    )
    assert (
        repo.run("log", ID, "info-received", "--at", "2026-04-14", "--by", "marco").exit_code == 0
    )
    assert (
        repo.run(
            "log",
            ID,
            "responded",
            "--at",
            "2026-04-15",
            "--by",
            "marco",
            "--outcome",
            "upheld",
            "--remedy",
            "refund",
        ).exit_code
        == 0
    )
    made = repo.run(
        "new",
        "--channel",
        "phone",
        "--category",
        "billing",
        "--summary",
        "Late bill",
        "--received",
        "2026-05-04T11:00",
    )
    assert made.exit_code == 0
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 0, result.output
    assert "ok: 2 complaint file(s) and the policy, and 1 file(s) changed since" in result.stderr
    repo.commit("Respond", when="2026-04-15T12:00:00+02:00")  # committed: the same
    assert repo.run("check", "--base", "main").exit_code == 0


def test_check_base_lists_a_policy_change_without_refusing_it(repo):
    policy = repo.root / "policy.yaml"
    policy.write_text(policy.read_text().replace("- other\n", "- other\n- delivery\n", 1))
    text = repo.run("check", "--base", "main")
    assert text.exit_code == 0 and text.stdout == ""
    assert text.stderr.startswith(f"notice: {policy}: changed since ")
    assert (
        "(categories): the published policy and every complaint's deadlines follow this file"
        in text.stderr
    )
    github = repo.run("check", "--base", "main", "--format", "github")
    assert github.exit_code == 0
    assert github.stdout.startswith(
        f"::notice file={escape_property(str(policy))},title=policy::changed since "
    )
    as_json = repo.run("check", "--base", "main", "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout) == []
    assert "notice:" in as_json.stderr


def test_check_base_speaks_github_and_json(repo):
    _replace("channel: email", "channel: phone")(repo)
    github = repo.run("check", "--base", "main", "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith(
        f"::error file={repo.path(ID)},line=3,title=channel::channel: changed from"
    )
    found = json.loads(repo.run("check", "--base", "main", "--format", "json").stdout)
    assert [(p["file"], p["line"], p["where"]) for p in found] == [
        (str(repo.path(ID)), 3, "channel")
    ]


# --- Improvement actions under check --base -------------------------------------------

ACTION_ID = "A-2026-0410-7KQ2"
ACTION_OPEN = """\
# yaml-language-server: $schema=../../schema/json/action.schema.json
id: A-2026-0410-7KQ2
opened: 2026-04-10
kind: corrective
what: Check every refund is paid within five working days
owner: marco
due: 2026-05-04
done:
complaints:
  - C-2026-0403-K7Q2
note: agreed at the April review
"""
ACTION_DONE = ACTION_OPEN.replace("done:\n", "done: 2026-05-06\n")
"""Done two days late. Lines: 1 the modeline, 2 id, 3 opened, 4 kind, 5 what, 6 owner,
7 due, 8 done, 9-10 complaints, 11 note."""


def action_path(repo: GitRegister, action_id: str = ACTION_ID) -> Path:
    return action_folder(Register(repo.root)) / f"{action_id}.yaml"


def write_action(repo: GitRegister, text: str) -> Path:
    path = action_path(repo)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def acted(repo) -> GitRegister:
    """`repo` whose main branch also holds ACTION_DONE."""
    write_action(repo, ACTION_DONE)
    repo.commit(f"Open and close {ACTION_ID}")
    return repo


DONE_SET_ONCE = (
    "an action's done date is set once and never moved or removed; if it was wrong, say so"
    " in the action's note"
)
FIXED = "a recorded action's id, opened and complaints never change"


@pytest.mark.parametrize(
    "old, new, line, where, message",
    [
        pytest.param(
            "done: 2026-05-06",
            "done: 2026-05-01",
            8,
            "done",
            f"changed from 2026-05-06 to 2026-05-01: {DONE_SET_ONCE}",
            id="done-moved-earlier",
        ),
        pytest.param(
            "done: 2026-05-06",
            "done: 2026-05-08",
            8,
            "done",
            f"changed from 2026-05-06 to 2026-05-08: {DONE_SET_ONCE}",
            id="done-moved-later",
        ),
        pytest.param(
            "done: 2026-05-06",
            "done:",
            8,
            "done",
            f"removed (was 2026-05-06): {DONE_SET_ONCE}",
            id="done-emptied",
        ),
        pytest.param(
            "done: 2026-05-06\n",
            "",
            2,  # no line left for `done`: the start of the file's mapping
            "done",
            f"removed (was 2026-05-06): {DONE_SET_ONCE}",
            id="done-deleted",
        ),
        pytest.param(
            "opened: 2026-04-10",
            "opened: 2026-04-09",
            3,
            "opened",
            f"changed from 2026-04-10 to 2026-04-09: {FIXED}",
            id="opened",
        ),
        pytest.param(
            "  - C-2026-0403-K7Q2\n",
            "  - C-2026-0403-K7Q2\n  - C-2026-0403-AAAA\n",
            10,
            "complaints",
            f"changed from [C-2026-0403-K7Q2] to [C-2026-0403-K7Q2, C-2026-0403-AAAA]: {FIXED}",
            id="complaints",
        ),
        pytest.param(
            "id: A-2026-0410-7KQ2",
            "id: A-2026-0410-7KQ3",
            2,
            "id",
            f"changed from A-2026-0410-7KQ2 to A-2026-0410-7KQ3: {FIXED}",
            id="id",
        ),
    ],
)
def test_check_base_refuses_each_edit_of_a_recorded_action(acted, old, new, line, where, message):
    write_action(acted, ACTION_DONE.replace(old, new))
    result = acted.run("check", "--base", "main")
    assert result.exit_code == 1
    refusals = [p for p in result.stdout.splitlines() if "where HEAD and main meet" in p]
    assert len(refusals) == 1, result.stdout
    assert refusals[0].startswith(f"{action_path(acted)}:{line}: {where}: {message} (since ")


@pytest.mark.parametrize(
    "recorded, edited",
    [
        pytest.param(ACTION_OPEN, ACTION_DONE, id="done-set-the-first-time"),
        pytest.param(ACTION_OPEN.replace("done:\n", ""), ACTION_DONE, id="done-added-first-time"),
        pytest.param(
            ACTION_DONE,
            ACTION_DONE.replace("Check every refund", "Pay every refund"),
            id="what",
        ),
        pytest.param(ACTION_DONE, ACTION_DONE.replace("owner: marco", "owner: anna"), id="owner"),
        pytest.param(
            ACTION_DONE,
            ACTION_DONE.replace("agreed at the April review", "moved to the May review"),
            id="note",
        ),
        pytest.param(
            ACTION_DONE, ACTION_DONE.replace("note: agreed", "# note: agreed"), id="no-note"
        ),
        pytest.param(
            ACTION_DONE, ACTION_DONE.replace("due: 2026-05-04", "due: 2026-05-11"), id="due"
        ),
        pytest.param(
            ACTION_DONE,
            ACTION_DONE.replace("done: 2026-05-06", 'done: "2026-05-06"'),
            id="done-quoted",  # the same date, only written otherwise
        ),
    ],
)
def test_check_base_accepts_what_an_action_may_change(repo, recorded, edited):
    write_action(repo, recorded)
    repo.commit(f"Open {ACTION_ID}")
    write_action(repo, edited)
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_check_base_accepts_a_new_action_file(repo):
    write_action(repo, ACTION_DONE)
    repo.git("add", "-A")  # staged, so that the diff lists it as added
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 0, result.output
    assert "1 file(s) changed since" in result.stderr


def test_check_base_refuses_a_deleted_action_file(acted):
    action_path(acted).unlink()
    result = acted.run("check", "--base", "main")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{action_path(acted)}: deleted since ")
    assert (
        "where HEAD and main meet: a recorded action file is never deleted (an action that"
        " will not be done stays, with a note saying why)" in result.stdout
    )


def test_check_base_refuses_a_renamed_action_file(acted):
    acted.git("mv", f"register/actions/{ACTION_ID}.yaml", "register/actions/A-2026-0410-7KQ3.yaml")
    result = acted.run("check", "--base", "main")
    assert result.exit_code == 1
    assert (
        f"{action_path(acted)}: renamed to register/actions/A-2026-0410-7KQ3.yaml since "
        in result.stdout
    )
    assert "a recorded action file keeps its name" in result.stdout


def test_check_base_refuses_a_done_date_moved_in_an_earlier_commit(acted):
    acted.git("switch", "-q", "-c", "hide")
    write_action(acted, ACTION_DONE.replace("done: 2026-05-06", "done: 2026-05-04"))
    acted.commit("Not late after all")
    result = acted.run("check", "--base", "main")
    assert result.exit_code == 1
    assert f"{action_path(acted)}:8: done: changed from 2026-05-06 to 2026-05-04" in result.stdout


def test_the_diff_names_only_the_files_that_changed(repo):
    # what the ledger reads is what `git diff --raw` lists: nothing of an untouched complaint
    repo.write(RECORDED.replace(ID, "C-2026-0403-AAAA"), "C-2026-0403-AAAA")
    repo.commit("Another")
    base = repo.git("rev-parse", "HEAD").stdout.strip()
    repo.write(RECORDED + NOTE)
    with open_repository(repo.root) as git_repo:
        changes = diff(git_repo, base, None, "register")
    assert [(c.status, c.path) for c in changes] == [("M", f"register/2026/{ID}.yaml")]


# --- When Git cannot answer ---------------------------------------------------------------


@pytest.mark.parametrize("ref", ["nowhere", "origin/main", "--output=/tmp/x", "main~5"])
def test_an_unknown_ref_is_bad_usage(repo, ref):
    result = repo.run("check", f"--base={ref}")
    assert result.exit_code == 2
    assert f"'{ref}' is not a branch, tag or commit in this repository" in result.stderr
    assert "git fetch origin main" in result.stderr and "Traceback" not in result.output


def test_a_register_without_git(register):
    register.add(yaml.safe_load(RECORDED))
    result = register.run("check", "--base", "main")
    assert result.exit_code == 1
    assert f"error: {register.root} is not in a Git repository" in result.stderr
    assert "without --base needs no Git" in result.stderr
    assert register.run("check").exit_code == 0


def test_a_repository_without_commits(tmp_path):
    repo = GitRegister(tmp_path / "top")
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    assert "error: this repository has no commits yet" in result.stderr


def test_without_the_git_program(repo):
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(repo.top)}
    exe = Path(sys.executable).parent / "complaints"
    result = subprocess.run(
        [str(exe), "--register", str(repo.root), "check", "--base", "main"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: Git is not installed (or not on PATH)")


def test_a_shallow_clone_says_to_fetch_more_history(repo, tmp_path):
    repo.git("switch", "-q", "-c", "feature")
    repo.write(RECORDED + NOTE.replace("2026-04-09", "2026-04-10"))  # not before the latest
    repo.commit("Note", who="marco", when="2026-04-10T10:00:00+02:00")
    repo.git("switch", "-q", "main")
    repo.write(RECORDED.replace(ID, "C-2026-0403-AAAA"), "C-2026-0403-AAAA")
    repo.commit("Another", when="2026-04-10T10:00:00+02:00")
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", repo.top.as_uri(), "clone")
    clone = GitRegister(tmp_path / "clone", init=False)

    not_fetched = clone.run("check", "--base", "origin/main")
    assert not_fetched.exit_code == 2
    assert "fetch it first (git fetch origin main)" in not_fetched.stderr
    assert "This clone is shallow: fetch more history (git fetch --unshallow)" in not_fetched.stderr

    clone.git("fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    shallow = clone.run("check", "--base", "origin/main")
    assert shallow.exit_code == 1
    assert "this clone is too shallow to find where HEAD and origin/main meet" in shallow.stderr
    assert "git fetch --unshallow" in shallow.stderr and "fetch-depth: 0" in shallow.stderr

    clone.git("fetch", "-q", "--unshallow")
    deep = clone.run("check", "--base", "origin/main")
    assert deep.exit_code == 0, deep.output


# --- Two edits of one complaint on two branches ----------------------------------------------

ACK_ONLY = HEADER + ACK
ANNA = "  - {type: assessed, at: 2026-04-08, by: anna, priority: normal, handler: marco}\n"


@pytest.fixture
def conflict(tmp_path) -> GitRegister:
    """marco's branch left main when the complaint had one event; since then anna's
    assessment reached main and marco added a note. Merging main into marco's branch stops
    at a conflict, as Git does."""
    repo = GitRegister(tmp_path / "top")
    repo.write(ACK_ONLY)
    repo.commit("Record", when="2026-04-07T10:00:00+02:00")
    repo.git("switch", "-q", "-c", "marco")
    assert (
        repo.run(
            "log",
            ID,
            "note",
            "--at",
            "2026-04-09",
            "--by",
            "marco",
            "--note",
            "called the complainant",
        ).exit_code
        == 0
    )
    repo.commit("Note", who="marco", when="2026-04-09T10:00:00+02:00")
    repo.git("switch", "-q", "main")
    assert (
        repo.run(
            "log",
            ID,
            "assessed",
            "--at",
            "2026-04-08",
            "--by",
            "anna",
            "--priority",
            "normal",
            "--handler",
            "marco",
        ).exit_code
        == 0
    )
    repo.commit("Assess", when="2026-04-10T10:00:00+02:00")
    repo.git("switch", "-q", "marco")
    merging = repo.git("merge", "main", check=False, who="marco", when="2026-04-11T10:00:00+02:00")
    assert merging.returncode == 1 and "CONFLICT (content)" in merging.stdout
    return repo


@pytest.mark.parametrize(
    "resolved, refusal",
    [
        (ACK + ANNA + NOTE, None),  # both sides' events, main's first: the right resolution
        (ACK + NOTE, "event 1 (assessed by anna) was changed"),  # main's event lost
        (ACK + ANNA, "event 1 (note by marco) of one side is missing"),  # marco's event lost
        (ACK + NOTE + ANNA, "a new event (note by marco) was put before earlier events"),
    ],
)
@pytest.mark.parametrize("committed", [False, True])
def test_check_base_accepts_a_resolved_conflict_only_with_both_sides_events(
    conflict, resolved, refusal, committed
):
    conflict.write(HEADER + resolved)
    conflict.git("add", "-A")
    if committed:
        conflict.git("commit", "-q", "--no-edit", who="marco", when="2026-04-11T10:05:00+02:00")
    result = conflict.run("check", "--base", "main")
    if refusal is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1 and refusal in result.stdout, result.output


def test_a_merge_that_drops_a_complaint_of_one_side_is_refused(conflict):
    conflict.git("merge", "--abort")
    conflict.write(RECORDED.replace(ID, "C-2026-0403-AAAA"), "C-2026-0403-AAAA")
    conflict.commit("Another complaint", who="marco")
    conflict.git("merge", "main", check=False)
    conflict.write(HEADER + ACK + ANNA + NOTE)
    conflict.git("rm", "-q", "register/2026/C-2026-0403-AAAA.yaml")  # only marco's side had it
    marco = conflict.git("rev-parse", "--short=7", "marco").stdout.strip()
    result = conflict.run("check", "--base", "main")
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        f"{conflict.path('C-2026-0403-AAAA')}: the merge in progress"
        f" lost this complaint file, recorded on side {marco}: keep"
        " both sides' complaints"
    )


def test_a_merge_that_drops_an_action_of_one_side_is_refused(conflict):
    conflict.git("merge", "--abort")
    write_action(conflict, ACTION_OPEN)
    conflict.commit("Open an action", who="marco")
    conflict.git("merge", "main", check=False)
    conflict.write(HEADER + ACK + ANNA + NOTE)
    conflict.git("rm", "-q", f"register/actions/{ACTION_ID}.yaml")  # only marco's side had it
    marco = conflict.git("rev-parse", "--short=7", "marco").stdout.strip()
    result = conflict.run("check", "--base", "main")
    assert result.exit_code == 1
    assert result.stdout.strip() == (
        f"{action_path(conflict)}: the merge in progress lost this action file, recorded on"
        f" side {marco}: keep both sides' actions"
    )


def test_a_conflict_not_yet_resolved_is_reported_at_its_markers(conflict):
    result = conflict.run("check", "--base", "main")
    assert result.exit_code == 1 and "Traceback" not in result.output
    markers = conflict.path(ID).read_text().splitlines()
    line = next(n for n, text in enumerate(markers, 1) if text.startswith("<<<<<<<"))
    assert result.stdout.startswith(f"{conflict.path(ID)}:{line + 1}: not valid YAML")
    assert f"starts on line {line})" in result.stdout


def test_a_refused_merge_names_the_side_that_lost_its_event(conflict):
    conflict.write(HEADER + ACK + ANNA)
    marco = conflict.git("rev-parse", "--short=7", "marco").stdout.strip()
    result = conflict.run("check", "--base", "main")
    assert (
        f"{conflict.path(ID)}:8: events: the merge in progress, side {marco}: event 1 (note by"
        " marco) of one side is missing" in result.stdout
    )
    conflict.git("add", "-A")
    conflict.git("commit", "-q", "--no-edit", who="marco")
    merge = conflict.git("rev-parse", "--short=7", "HEAD").stdout.strip()
    after = conflict.run("check", "--base", "main")
    assert (
        f"{conflict.path(ID)}: events: merge {merge}, side {marco}: event 1 (note by marco)"
        in after.stdout
    )


# --- Complaints made on two branches at once ----------------------------------------------

PER_BRANCH = 250
CHANNELS = ["email", "phone", "letter"]


def _receipt_moments(calendar, rng: random.Random, count: int) -> list[datetime]:
    """Arrivals as they come: on working days of the last two years, in office hours."""
    first = date(2024, 12, 2)
    days = [first + timedelta(n) for n in range(700)]
    days = [d for d in days if calendar.is_working(d) and d <= date(2026, 10, 30)]
    return sorted(
        datetime(
            d.year, d.month, d.day, rng.randint(8, 17), rng.randint(0, 59), tzinfo=calendar.zone
        )
        for d in rng.choices(days, k=count)
    )


def test_complaints_made_on_two_branches_at_once_never_clash(tmp_path):
    # The IDs' four random characters make 32**4 = 1,048,576 per day of receipt. Here the two
    # branches share 134 pairs of complaints received on the same day (worked out from the
    # seeded arrivals), so the chance that both draw the same ID is 134 / 32**4, about 1 in
    # 7,800; were it to happen, Git would stop the merge at an add/add conflict.
    repo = GitRegister(tmp_path / "top")
    repo.commit("Start the register")
    repo.git("branch", "anna")
    repo.git("worktree", "add", "-q", "-b", "marco", str(tmp_path / "marco"))
    folders = {"anna": repo.top, "marco": tmp_path / "marco"}
    repo.git("switch", "-q", "anna")
    registers = {who: Register(folder / "register") for who, folder in folders.items()}
    policy = registers["anna"].policy()
    calendar = calendar_for(policy)
    rng = random.Random(10002)
    moments = {who: _receipt_moments(calendar, rng, PER_BRANCH) for who in folders}
    made = {who: [] for who in folders}
    for n in range(PER_BRANCH):  # the two branches grow side by side, a commit every 50
        for who, register in registers.items():
            fields = {
                "received": moments[who][n],
                "channel": rng.choice(CHANNELS),
                "language": "en",
                "category": rng.choice(policy.categories),
                "summary": f"Complaint {n} taken by {who}",
            }
            made[who].append(new_complaint(register, policy, calendar, fields))
            if n % 50 == 49:
                git(folders[who], "add", "-A", who=who)
                git(folders[who], "commit", "-q", "-m", f"{n + 1} complaints", who=who)
    merged = repo.git("merge", "-q", "--no-edit", "marco", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr  # no add/add conflict

    ids = [path.stem for path in repo.root.glob("*/*.yaml")]
    assert len(ids) == len(set(ids)) == 2 * PER_BRANCH
    assert set(ids) == set(made["anna"]) | set(made["marco"])
    assert repo.run("check").exit_code == 0
    assert repo.run("check", "--base", "marco").exit_code == 0
    assert repo.run("check", "--base", "main").exit_code == 0


def test_a_duplicate_id_made_by_hand_on_another_branch_is_caught(repo):
    repo.git("switch", "-q", "-c", "copy")
    copy = repo.root / "2026" / "C-2026-0403-AAAA.yaml"
    copy.write_text(RECORDED)  # a copied file: another name, the same ID
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    # files are checked in order of name: the copy, C-2026-0403-AAAA, comes first
    assert f"{repo.path(ID)}:1: id: {ID} is also the ID of {copy}" in result.stdout


# --- pre-commit ----------------------------------------------------------------------------

# The keys pre-commit knows in a hook definition and in a configuration (pre-commit.com,
# "Creating new hooks" and "Adding pre-commit plugins to your project"): a typo is caught here.
HOOK_KEYS = {
    "id",
    "name",
    "entry",
    "language",
    "files",
    "exclude",
    "types",
    "types_or",
    "exclude_types",
    "always_run",
    "fail_fast",
    "verbose",
    "pass_filenames",
    "require_serial",
    "description",
    "language_version",
    "minimum_pre_commit_version",
    "args",
    "stages",
    "additional_dependencies",
    "log_file",
}
CONFIG_KEYS = {
    "repos",
    "default_install_hook_types",
    "default_language_version",
    "default_stages",
    "files",
    "exclude",
    "fail_fast",
    "minimum_pre_commit_version",
    "ci",
}


def test_the_pre_commit_hook_is_defined_for_any_repository():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    # the keys pre-commit requires of a hook, no key it does not know, and what ours must say
    assert {"id", "name", "entry", "language"} <= set(hook) <= HOOK_KEYS
    assert hook["id"] == "complaints-check"
    assert hook["entry"] == "complaints check"
    assert hook["language"] == "python"  # pre-commit installs this repository to run it
    assert hook["pass_filenames"] is False
    import re

    files = re.compile(hook["files"])
    assert files.search("register/policy.yaml") and files.search(f"register/2026/{ID}.yaml")
    assert not files.search("scripts/cli.py") and not files.search("site/register/x.md")


def test_this_repository_runs_the_same_hook_as_a_local_one():
    published = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert set(config) <= CONFIG_KEYS
    local = next(r for r in config["repos"] if r["repo"] == "local")
    hook = next(h for h in local["hooks"] if h["id"] == published["id"])
    assert (
        set(hook) <= HOOK_KEYS and hook["language"] == "unsupported"
    )  # the command already installed
    for key in ("name", "entry", "files", "pass_filenames"):
        assert hook[key] == published[key], key
    # what the hook runs passes on this repository's register
    ran = subprocess.run(
        [str(Path(sys.executable).parent / "complaints"), *hook["entry"].split()[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_a_damaged_repository_is_an_error_not_a_traceback(repo):
    tree = repo.git("rev-parse", "HEAD^{tree}").stdout.strip()
    (repo.top / ".git" / "objects" / tree[:2] / tree[2:]).unlink()  # loose, never packed
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: git diff failed: error: bad tree object")


# --- The policy's targets: what was promised stays what was promised --------------------------


def _targets(repo, targets: object) -> Path:
    policy = repo.root / "policy.yaml"
    data = yaml.safe_load(policy.read_text())
    data["targets"] = targets
    policy.write_text(yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False))
    return policy


def _old_targets(repo) -> dict:
    return yaml.safe_load((repo.root / "policy.yaml").read_text())["targets"]


def test_check_base_refuses_changing_the_targets_a_complaint_started_under(repo):
    old = _old_targets(repo)
    policy = _targets(repo, {**old, "max_extension": 5})
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    assert f"{policy}:" in result.stdout
    assert (
        "targets: changes the targets in force on 2026-04-03, when a complaint's clock started:"
        " what was promised stays as it was; add a version from today or later instead"
    ) in result.stdout


@pytest.mark.parametrize("first", ["2024-01-01", "2026-04-03", "0001-01-01"])
def test_check_base_accepts_a_version_added_for_later(repo, first):
    # The old targets become the first version (from a day before the complaint, or the day
    # it was received), and a new one applies from next year on.
    old = _old_targets(repo)
    _targets(repo, [{"from": first, **old}, {"from": "2099-01-01", **old, "max_extension": 5}])
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 0, result.output


def test_check_base_refuses_a_version_that_moves_an_old_complaints_targets(repo):
    old = _old_targets(repo)
    # From 1 April: the complaint received on 3 April would fall under the new version.
    _targets(
        repo, [{"from": "2024-01-01", **old}, {"from": "2026-04-01", **old, "max_extension": 5}]
    )
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    assert "changes the targets in force on 2026-04-03" in result.stdout
    assert (
        "targets[1].from: a new version applies from the day it is added or later" in result.stdout
    )


def test_check_base_refuses_a_new_version_from_a_day_gone_by(repo):
    old = _old_targets(repo)
    # After the complaint's day, so no complaint's targets change, but before today.
    yesterday = date.today() - timedelta(days=1)
    _targets(
        repo, [{"from": "2024-01-01", **old}, {"from": str(yesterday), **old, "max_extension": 5}]
    )
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    assert f"not from {yesterday}" in result.stdout
    assert "changes the targets in force" not in result.stdout
