"""People, not spellings (DESIGN.md section 4): the staff roster, "did you mean", --by from
Git's e-mail address, and objectivity that compares people."""

import json
import subprocess

import pytest
from conftest import complaint, policy, write_yaml

ROSTER = {
    "anna": {"name": "Anna Rossi", "emails": ["anna.rossi@example.org"]},
    "marco": {"name": "Marco Bianchi", "emails": ["marco@example.org"], "github": "marco-b"},
    "giulia": {"name": "Giulia Ferrari"},
}


def ev(kind: str, day: str, by: str = "anna", **fields: object) -> dict:
    return {"type": kind, "at": day, "by": by, **fields}


def with_roster(register) -> None:
    write_yaml(register.root / "policy.yaml", json.loads(json.dumps(policy(staff=ROSTER))))


STAGE_1 = (
    ev("assessed", "2026-04-07", priority="normal", handler="marco"),
    ev("responded", "2026-04-20", by="marco", outcome="not-upheld"),
)


# --- objectivity -------------------------------------------------------------------------------


@pytest.mark.parametrize("handler", ["Marco", " marco", "MARCO ", "marco"])
def test_the_stage_1_handler_cannot_review_it_however_the_name_is_spelt(register, handler):
    register.add(complaint(*STAGE_1))
    result = register.run(
        "log",
        "C-2026-0403",
        "escalated",
        "--at",
        "2026-04-21",
        "--by",
        "anna",
        "--handler",
        handler,
    )
    assert result.exit_code == 1
    assert "handled stage 1, so cannot review it at stage 2 (objectivity)" in result.stderr


def test_with_a_roster_a_name_is_the_person_it_names(register):
    # Stage 1 answered as "Marco Bianchi" (Git's user name): that is marco.
    register.add(
        complaint(
            ev("responded", "2026-04-20", by="Marco Bianchi", outcome="not-upheld"),
            ev("escalated", "2026-04-21", handler="marco"),
        )
    )
    with_roster(register)
    result = register.run("check")
    assert result.exit_code == 1
    assert (
        "events[0].by: 'Marco Bianchi' is Marco Bianchi: write the handle, marco" in result.stdout
    )
    assert "events[1]: escalated: marco handled stage 1" in result.stdout


def test_whoever_answers_the_review_must_not_have_handled_stage_1(register):
    register.add(complaint(*STAGE_1, ev("escalated", "2026-04-21", handler="giulia")))
    result = register.run(
        "log",
        "C-2026-0403",
        "responded",
        "--at",
        "2026-04-28",
        "--by",
        "Marco",
        "--outcome",
        "upheld",
    )
    assert result.exit_code == 1 and "objectivity" in result.stderr
    ok = register.run(
        "log",
        "C-2026-0403",
        "responded",
        "--at",
        "2026-04-28",
        "--by",
        "giulia",
        "--outcome",
        "upheld",
    )
    assert ok.exit_code == 0, ok.output


def test_without_a_roster_different_people_are_different(register):
    register.add(complaint(*STAGE_1))
    ok = register.run(
        "log",
        "C-2026-0403",
        "escalated",
        "--at",
        "2026-04-21",
        "--by",
        "anna",
        "--handler",
        "Giulia",
    )
    assert ok.exit_code == 0, ok.output


# --- the roster --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("by", "ana", "'ana' is not on the policy's staff roster (did you mean anna? handles:"),
        ("by", "Anna Rossi", "'Anna Rossi' is Anna Rossi: write the handle, anna"),
        (
            "by",
            "marco@example.org",
            "'marco@example.org' is Marco Bianchi: write the handle, marco",
        ),
        ("by", "marco-b", "'marco-b' is Marco Bianchi: write the handle, marco"),
        ("by", "zed", "'zed' is not on the policy's staff roster (handles: anna, marco, giulia)"),
        ("handler", "giula", "'giula' is not on the policy's staff roster (did you mean giulia?"),
    ],
)
def test_every_by_and_handler_is_a_handle_of_the_roster(register, key, value, message):
    event = ev("assessed", "2026-04-07", priority="normal", handler="giulia")
    event[key] = value
    register.add(complaint(event))
    with_roster(register)
    result = register.run("check")
    assert result.exit_code == 1
    assert f"events[0].{key}: {message}" in result.stdout


def test_handles_pass(register):
    register.add(complaint(ev("assessed", "2026-04-07", priority="normal", handler="giulia")))
    with_roster(register)
    assert register.run("check").exit_code == 0


def test_an_action_owner_is_a_handle(register):
    register.add(complaint())
    with_roster(register)
    added = register.run(
        "actions",
        "add",
        "--what",
        "Train the desk",
        "--kind",
        "preventive",
        "--owner",
        "Giulia",
        "--due",
        "2026-12-01",
        "--complaint",
        "C-2026-0403",
        "--opened",
        "2026-11-01",
    )
    assert added.exit_code == 1
    assert "owner: 'Giulia' is Giulia Ferrari: write the handle, giulia" in added.stderr


def test_without_a_roster_any_name_will_do(register):
    register.add(complaint(ev("acknowledged", "2026-04-07", by="Somebody Else")))
    assert register.run("check").exit_code == 0


# --- who is logging ----------------------------------------------------------------------------


def _git_repository(folder, email: str) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run(["git", "-C", str(folder), "config", "user.email", email], check=True)
    subprocess.run(["git", "-C", str(folder), "config", "user.name", "Someone"], check=True)


def _logged_by(register) -> str:
    data = register.run("show", "C-2026-0403", "--as-of", "2026-04-30")
    line = next(line for line in data.stdout.splitlines() if "acknowledged by" in line)
    return line.split("acknowledged by ")[1].split()[0]


@pytest.mark.parametrize(
    "email, handle",
    [
        ("marco@example.org", "marco"),
        ("Anna.Rossi@Example.org", "anna"),
        ("stranger@example.org", "Someone"),  # not on the roster: Git's user name, refused later
    ],
)
def test_by_defaults_to_the_handle_of_gits_email(register, monkeypatch, email, handle):
    _git_repository(register.root.parent, email)
    register.add(complaint())
    with_roster(register)
    monkeypatch.chdir(register.root.parent)
    monkeypatch.delenv("GITHUB_ACTOR", raising=False)
    result = register.run("log", "C-2026-0403", "acknowledged", "--at", "2026-04-07")
    if handle == "Someone":
        assert (
            result.exit_code == 1
            and "'Someone' is not on the policy's staff roster" in result.stderr
        )
    else:
        assert result.exit_code == 0, result.output
        assert _logged_by(register) == handle


def test_in_ci_by_defaults_to_the_handle_of_the_github_login(register, monkeypatch):
    _git_repository(register.root.parent, "github-actions@example.org")
    register.add(complaint())
    with_roster(register)
    monkeypatch.chdir(register.root.parent)
    monkeypatch.setenv("GITHUB_ACTOR", "marco-b")
    result = register.run("log", "C-2026-0403", "acknowledged", "--at", "2026-04-07")
    assert result.exit_code == 0, result.output
    assert _logged_by(register) == "marco"
