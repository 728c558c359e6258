"""Improvement actions: the model, the rules `check` holds them to, their state as of a date,
and how `actions` and `overdue` show them."""

import json

import pytest
import yaml
from conftest import ROOT, complaint, installed, write_yaml

from complaints_register.schema.action import Action
from complaints_register.store.validation import validate
from complaints_register.store.yamlsafe import parse

ACTION = {
    "id": "A-2026-0410-7KQ2",
    "opened": "2026-04-10",
    "kind": "corrective",
    "what": "Check every refund is paid within five working days",
    "owner": "marco",
    "due": "2026-05-04",
    "complaints": ["C-2026-0403-K7Q2"],
}


def action(**changes) -> dict:
    result = dict(ACTION)
    result.update(changes)
    return {key: value for key, value in result.items() if value is not ...}


def problems(data: dict) -> list[tuple[str, str]]:
    doc = parse(yaml.safe_dump(data, sort_keys=False).encode())
    _, errors = validate(Action, doc)
    return [(where, message) for _, where, message in errors]


@pytest.mark.parametrize(
    "data",
    [
        action(),
        action(kind="preventive"),
        action(done="2026-05-02"),
        action(done=None),
        action(note="agreed at the April review"),
        action(complaints=["C-2026-0403-K7Q2", "C-2026-0101-WJGP"]),
    ],
)
def test_valid_action(data):
    assert problems(data) == []


@pytest.mark.parametrize(
    "data, where, message",
    [
        (action(id="A-2026-0410-7KQ"), "id", "is not in the expected form"),
        (action(id="C-2026-0410-7KQ2"), "id", "is not in the expected form"),
        (action(id="A-2026-0410-7KQU"), "id", "is not in the expected form"),  # U is not Crockford
        (action(kind="curative"), "kind", "must be one of 'corrective' or 'preventive'"),
        (action(what=""), "what", "must not be empty"),
        (action(owner=...), "owner", "missing"),
        (action(due="soon"), "due", "not a date"),
        (action(done="yesterday"), "done", "not a date"),
        (action(complaints=[]), "complaints", "at least 1 item"),
        (action(complaints=["C-2026-0403"]), "complaints[0]", "is not in the expected form"),
        (
            action(complaints=["C-2026-0403-K7Q2", "C-2026-0403-K7Q2"]),
            "complaints",
            "listed more than once: C-2026-0403-K7Q2",
        ),
        (action(complaints="C-2026-0403-K7Q2"), "complaints", "valid list"),
        (action(status="open"), "status", "unknown key"),
    ],
)
def test_invalid_action(data, where, message):
    found = problems(data)
    assert any(w == where and message in m for w, m in found), found


def test_ordinary_words_in_an_action_pass(register):
    register.add(complaint())
    add_action(register, action(note="Invoice INV-2026-004512 was charged twice on 03.04.2026"))
    result = register.run("check")
    assert result.exit_code == 0, result.output


def add_action(register, data: dict):
    return write_yaml(register.root / "actions" / f"{data['id']}.yaml", data)


def test_an_unknown_complaint_is_refused_at_its_line(register):
    register.add(complaint())
    path = add_action(register, action(complaints=["C-2026-0403-K7Q2", "C-2026-0401-ZZZZ"]))
    # yaml.safe_dump writes the keys in order, one a line, and each list item on its own
    # line: id, opened, kind, what, owner, due, `complaints:`, so the second one is line 9.
    assert path.read_text().splitlines()[8] == "- C-2026-0401-ZZZZ"
    result = register.run("check")
    assert result.exit_code == 1
    assert (
        f"{path}:9: complaints[1]: no complaint C-2026-0401-ZZZZ in the register" in result.stdout
    )


@pytest.mark.parametrize(
    "changes, where, message",
    [
        (
            {"id": "A-2026-0411-7KQ2"},
            "id",
            "the ID says 2026-04-11 but the action was opened on 2026-04-10",
        ),
        ({"due": "2026-04-09"}, "due", "before the action was opened (2026-04-10)"),
        ({"done": "2026-04-09"}, "done", "before the action was opened (2026-04-10)"),
        (
            {"id": "A-2099-0410-7KQ2", "opened": "2099-04-10", "due": "2099-05-04"},
            "opened",
            "in the future",
        ),
        ({"done": "2099-01-01"}, "done", "in the future"),
        (
            {"id": "A-2026-0402-7KQ2", "opened": "2026-04-02"},
            "complaints[0]",
            "C-2026-0403-K7Q2 was received after the action was opened (2026-04-02)",
        ),
        # Personal data in an action's free text, as in a complaint's (test_personal_data.py):
        (
            {"what": "Call back mario.rossi@example.org about the refund"},
            "what",
            "looks like an e-mail address",
        ),
        (
            {"note": "Complainant reachable on 347 123 4567"},
            "note",
            "looks like a telephone number",
        ),
    ],
)
def test_rules_beyond_the_shape(register, changes, where, message):
    register.add(complaint())
    data = action(**changes)
    path = write_yaml(register.root / "actions" / f"{data['id']}.yaml", data)
    result = register.run("check", "--format", "json")
    assert result.exit_code == 1
    found = [
        (p["where"], p["message"]) for p in json.loads(result.stdout) if p["file"] == str(path)
    ]
    assert any(w == where and message in m for w, m in found), found


def test_file_name_and_duplicate_ids(register):
    register.add(complaint())
    add_action(register, action())
    copy = write_yaml(register.root / "actions" / "A-2026-0410-8KQ2.yaml", action())
    stray = register.root / "actions" / "notes.txt"
    stray.write_text("to do\n")
    result = register.run("check")
    assert result.exit_code == 1
    assert (
        f"{copy}:1: id: A-2026-0410-7KQ2 is not the file name: name the file A-2026-0410-7KQ2.yaml"
        in result.stdout
    )
    assert f"{copy}:1: id: A-2026-0410-7KQ2 is also the ID of" in result.stdout
    assert f"{stray}: not an action file" in result.stdout


def test_check_of_a_named_action_file(register):
    broken = register.add(complaint())
    broken.write_text(broken.read_text() + "nonsense: [\n")  # not named: not checked
    good = add_action(register, action())
    result = register.run("check", str(good))
    assert result.exit_code == 0, result.output
    assert "ok: 0 complaint file(s), 1 action file(s) and the policy" in result.stderr


# Due Monday 2026-05-04 (Italy). Working days after it: May 5-8 (4), 11-15 (9), 18-22 (14),
# 25-29 (19), Mon 1 June (20); Tuesday 2 June is Festa della Repubblica. So very overdue
# (more than 20 working days past due) from 2 June on.
@pytest.mark.parametrize(
    "done, as_of, state, days_late",
    [
        (None, "2026-05-04", "open", 0),
        (None, "2026-05-08", "overdue", 4),
        (None, "2026-06-01", "overdue", 20),
        (None, "2026-06-03", "very overdue", 21),
        ("2026-04-30", "2026-06-03", "done", 0),
        ("2026-05-08", "2026-06-03", "done late", 4),
        ("2026-05-08", "2026-05-07", "overdue", 3),  # not done yet as of the 7th
    ],
)
def test_state_as_of_a_date(register, done, as_of, state, days_late):
    register.add(complaint())
    add_action(register, action(done=done))
    result = register.run("actions", "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["state"], row["days_late"]) == (state, days_late)
    assert row["done"] == (done if done and done <= as_of else None)


def test_an_action_opened_later_is_not_listed(register):
    register.add(complaint())
    add_action(register, action())
    assert (
        json.loads(register.run("actions", "--as-of", "2026-04-09", "--format", "json").stdout)
        == []
    )


def test_an_overdue_action_is_flagged_by_overdue(register):
    register.add(
        complaint(
            {"type": "acknowledged", "at": "2026-04-03", "by": "anna"},
            {"type": "responded", "at": "2026-04-07", "by": "anna", "outcome": "upheld"},
        )
    )
    add_action(register, action())
    text = register.run("overdue", "--as-of", "2026-05-08")
    assert text.exit_code == 1
    assert "Improvement actions overdue as of 2026-05-08: 1" in text.stdout
    assert "A-2026-0410-7KQ2" in text.stdout and "nothing is overdue" not in text.stdout
    github = register.run("overdue", "--as-of", "2026-05-08", "--format", "github")
    assert github.stdout.startswith("::warning file=")
    assert "A-2026-0410-7KQ2.yaml,title=A-2026-0410-7KQ2 overdue::" in github.stdout
    very = register.run("overdue", "--as-of", "2026-06-03", "--format", "github")
    assert very.stdout.startswith("::error file=")
    markdown = register.run("overdue", "--as-of", "2026-05-08", "--format", "markdown")
    assert "| A-2026-0410-7KQ2 | corrective | marco | 2026-05-04 | 4 | overdue |" in markdown.stdout
    # The JSON list stays one of complaint steps; the exit status and a note tell of the rest.
    as_json = register.run("overdue", "--as-of", "2026-05-08", "--format", "json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout) == []
    assert "1 improvement action(s) overdue" in as_json.stderr
    assert register.run("overdue", "--as-of", "2026-05-04").exit_code == 0


def test_only_overdue(register):
    register.add(complaint())
    add_action(register, action())
    add_action(register, action(id="A-2026-0410-8KQ2", due="2026-06-30"))
    result = register.run("actions", "--overdue", "--as-of", "2026-05-08", "--format", "json")
    assert [row["id"] for row in json.loads(result.stdout)] == ["A-2026-0410-7KQ2"]


def test_add_writes_a_valid_file_and_done_fills_it_in(register):
    register.add(complaint())
    added = register.run(
        "actions",
        "add",
        "--what",
        "Train the desk on refunds",
        "--kind",
        "preventive",
        "--owner",
        "anna",
        "--due",
        "2026-06-30",
        "--opened",
        "2026-04-10",
        "--complaint",
        "C-2026-0403",
    )
    assert added.exit_code == 0, added.output
    action_id = added.stdout.strip()
    assert action_id.startswith("A-2026-0410-")
    path = register.root / "actions" / f"{action_id}.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "complaints:\n  - C-2026-0403-K7Q2\n" in text  # the prefix, resolved
    assert register.run("check").exit_code == 0
    path.write_text(text.replace("owner: anna", "owner: anna   # the desk's lead"))
    done = register.run("actions", "done", action_id[:12], "--at", "2026-05-20")
    assert done.exit_code == 0, done.output
    after = path.read_text()
    assert "owner: anna   # the desk's lead\ndue: 2026-06-30\ndone: 2026-05-20\n" in after
    again = register.run("actions", "done", action_id, "--at", "2026-05-21")
    assert again.exit_code == 1 and "already done on 2026-05-20" in again.stderr
    assert path.read_text() == after


@pytest.mark.parametrize(
    "args, message",
    [
        (["--complaint", "C-2026-0401"], "no complaint has an ID starting C-2026-0401"),
        (
            ["--complaint", "C-2026-0403", "--due", "2026-04-01"],
            "due: before the action was opened",
        ),
    ],
)
def test_add_refuses_and_writes_nothing(register, args, message):
    register.add(complaint())
    base = [
        "actions",
        "add",
        "--what",
        "x",
        "--kind",
        "corrective",
        "--owner",
        "anna",
        "--opened",
        "2026-04-10",
    ]
    if "--due" not in args:
        args = [*args, "--due", "2026-06-30"]
    result = register.run(*base, *args)
    assert result.exit_code == 1 and message in result.stderr
    assert not (register.root / "actions").exists() or not list(
        (register.root / "actions").iterdir()
    )


def test_done_before_opened_is_refused(register):
    register.add(complaint())
    path = add_action(register, action())
    before = path.read_text()
    result = register.run("actions", "done", "A-2026-0410", "--at", "2026-04-09")
    assert result.exit_code == 1 and "done: before the action was opened" in result.stderr
    assert path.read_text() == before


def test_the_example_actions():
    # By hand from register/actions/: the direct-debit action was done on time in
    # September; the language one was due Friday 2026-10-30, and by Monday 2026-11-23 is
    # 16 working days late (2-6, 9-13, 16-20 and 23 November); the accessibility one is
    # due in December.
    result = installed("actions", "--as-of", "2026-11-23", "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    states = {
        row["kind"] + " " + row["owner"] + " " + row["opened"]: (row["state"], row["days_late"])
        for row in json.loads(result.stdout)
    }
    assert states == {
        "corrective roberta 2026-07-06": ("done", 0),
        "preventive elena 2026-07-10": ("overdue", 16),
        "corrective elena 2026-10-14": ("open", 0),
    }
