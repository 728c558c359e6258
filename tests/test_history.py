"""`complaints history`: a complaint's audit trail told from commits the tests make, with
fixed authors and dates, in real repositories in temporary folders."""

import json
from datetime import date

import pytest
import yaml
from test_ledger import ACK, ANNA, HEADER, ID, NOTE, GitRegister, git

from complaints_register.store.history import changes_between, merge_changes

RECORD = HEADER.replace("events:\n", "events: []\n")
OTHER = "C-2026-0409-AAAA"


def _log(repo, *args: str) -> None:
    result = repo.run("log", ID, *args)
    assert result.exit_code == 0, result.output


@pytest.fixture
def story(tmp_path):
    """One complaint's life in six commits, one commit on another complaint in between,
    and a note not committed yet. Returns the repository and git's own short IDs."""
    repo = GitRegister(tmp_path / "top")
    short = []

    def commit(message, who, when):
        repo.commit(message, who=who, when=when)
        short.append(repo.git("rev-parse", "--short", "HEAD").stdout.strip())

    repo.write(RECORD)
    commit(f"Record {ID}", "anna", "2026-04-03T10:00:00+02:00")
    _log(repo, "acknowledged", "--at", "2026-04-07", "--by", "anna")
    commit("Acknowledge", "anna", "2026-04-07T09:30:00+02:00")
    _log(
        repo,
        "assessed",
        "--at",
        "2026-04-08",
        "--by",
        "marco",
        "--priority",
        "urgent",
        "--handler",
        "marco",
    )
    path = repo.path(ID)
    path.write_text(path.read_text().replace("category: billing", "category: service-quality"))
    commit("Assess: about the service, not the bill", "marco", "2026-04-08T11:00:00+02:00")
    repo.write(RECORD.replace(ID, OTHER).replace("04-03T", "04-09T"), OTHER)
    commit(f"Record {OTHER}", "anna", "2026-04-09T10:00:00+02:00")
    _log(
        repo,
        "responded",
        "--at",
        "2026-04-14",
        "--by",
        "marco",
        "--outcome",
        "upheld",
        "--remedy",
        "refund",
    )
    commit("Respond", "marco", "2026-04-14T16:45:00+02:00")
    _log(
        repo,
        "retracted",
        "--at",
        "2026-04-15",
        "--by",
        "marco",
        "--event",
        "2",
        "--reason",
        "wrong file",
    )
    commit("Retract the response", "marco", "2026-04-15T08:00:00+02:00")
    _log(repo, "note", "--at", "2026-04-16", "--by", "anna", "--note", "called back")
    return repo, short


def test_history_tells_the_story_oldest_first(story):
    repo, c = story
    result = repo.run("history", "C-2026-0403-K7")  # a prefix will do
    assert result.exit_code == 0, result.output
    # written from the commits above, by hand; commit 4 touched another complaint only
    assert result.stdout.splitlines() == [
        f"{c[0]}  2026-04-03 10:00 +0200  Anna Rossi  Record {ID}",
        "    created: received 2026-04-03T09:12:00+02:00 by email, category billing",
        f"{c[1]}  2026-04-07 09:30 +0200  Anna Rossi  Acknowledge",
        "    appended acknowledged by anna (at 2026-04-07)",
        f"{c[2]}  2026-04-08 11:00 +0200  Marco Bianchi  Assess: about the service, not the bill",
        "    category: billing → service-quality",
        "    appended assessed by marco (at 2026-04-08; priority urgent; handler marco)",
        f"{c[4]}  2026-04-14 16:45 +0200  Marco Bianchi  Respond",
        "    appended responded by marco (at 2026-04-14; outcome upheld; remedies [refund])",
        f"{c[5]}  2026-04-15 08:00 +0200  Marco Bianchi  Retract the response",
        "    retracted event 2 (responded) by marco: wrong file",
        "(working tree)  not committed yet",
        "    appended note by anna (at 2026-04-16; note called back)",
    ]


def test_history_as_json(story):
    repo, _ = story
    found = json.loads(repo.run("history", ID, "--format", "json").stdout)
    commits = repo.git("log", "--reverse", "--format=%H", "--", f"register/2026/{ID}.yaml")
    assert [e["commit"] for e in found] == commits.stdout.split() + [None]
    assert [e["date"] for e in found[:2]] == [
        "2026-04-03T10:00:00+02:00",
        "2026-04-07T09:30:00+02:00",
    ]
    assert [e["author"] for e in found] == ["Anna Rossi"] * 2 + ["Marco Bianchi"] * 3 + [""]
    assert found[2]["message"] == "Assess: about the service, not the bill"
    assert [[c["kind"] for c in e["changes"]] for e in found] == [
        ["created"],
        ["appended"],
        ["field", "appended"],
        ["appended"],
        ["retracted"],
        ["appended"],
    ]


def test_history_of_a_merge_says_what_it_brought(tmp_path):
    # marco's note and anna's assessment on two branches, merged with both kept
    repo = GitRegister(tmp_path / "top")
    repo.write(HEADER + ACK)
    repo.commit("Record", when="2026-04-07T10:00:00+02:00")
    repo.git("switch", "-q", "-c", "marco")
    repo.write(HEADER + ACK + NOTE)
    repo.commit("Note", who="marco", when="2026-04-09T10:00:00+02:00")
    repo.git("switch", "-q", "main")
    repo.write(HEADER + ACK + ANNA)
    repo.commit("Assess", when="2026-04-10T10:00:00+02:00")
    repo.git("switch", "-q", "marco")
    repo.git("merge", "main", check=False)
    repo.write(HEADER + ACK + ANNA + NOTE)
    repo.commit("Merge main", who="marco", when="2026-04-11T10:00:00+02:00")
    lines = repo.run("history", ID).stdout.splitlines()
    assert [line.split("  ")[-1] for line in lines if not line.startswith(" ")] == [
        "Record",
        "Note",
        "Assess",
        "Merge main",
    ]
    assert lines[-1] == (
        "    merged in assessed by anna (at 2026-04-08; priority normal; handler marco)"
    )


def test_history_among_thousands_of_commits(tmp_path):
    # 2,000 commits on another complaint; two on this one: only those two are told
    repo = GitRegister(tmp_path / "top")
    stream = []
    for n in range(1, 2001):
        path, text = (
            (f"register/2026/{ID}.yaml", RECORD)
            if n in (1, 1500)
            else (f"register/2026/{OTHER}.yaml", f"{RECORD.replace(ID, OTHER)}# {n}\n")
        )
        if n == 1500:
            text = HEADER + ACK
        who = f"Anna Rossi <anna@example.org> {1775203200 + 60 * n} +0200"
        message = f"commit {n}"
        stream.append(
            f"commit refs/heads/main\nmark :{n}\nauthor {who}\ncommitter {who}\n"
            f"data {len(message)}\n{message}\n"
            + (f"from :{n - 1}\n" if n > 1 else "")
            + f"M 100644 inline {path}\ndata {len(text.encode())}\n{text}\n"
        )
    imported = git(repo.top, "fast-import", "--quiet", check=False, input_text="".join(stream))
    assert imported.returncode == 0, imported.stderr
    repo.git("reset", "-q", "--hard")
    found = json.loads(repo.run("history", ID, "--format", "json").stdout)
    assert [(e["message"], [c["text"] for c in e["changes"]]) for e in found] == [
        ("commit 1", ["created: received 2026-04-03T09:12:00+02:00 by email, category billing"]),
        ("commit 1500", ["appended acknowledged by anna (at 2026-04-07)"]),
    ]


def test_a_deleted_complaint_keeps_its_history(story):
    repo, _c = story
    repo.git("checkout", "-q", "--", ".")
    repo.git("rm", "-q", f"register/2026/{ID}.yaml")
    repo.commit("Delete it", when="2026-04-20T10:00:00+02:00")
    lines = repo.run("history", ID).stdout.splitlines()  # the full ID: no file to find it by
    assert lines[-2].endswith("Anna Rossi  Delete it") and lines[-1] == "    deleted"


def test_a_complaint_never_committed(story):
    repo, _ = story
    made = repo.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Late",
        "--received",
        "2026-04-20T10:00",
    )
    new_id = made.stdout.strip()
    as_text = repo.run("history", new_id)
    assert as_text.exit_code == 0
    assert as_text.stdout.splitlines() == [
        "(working tree)  not committed yet",
        "    created: received 2026-04-20T10:00:00+02:00 by email, category billing",
    ]
    repo.path(new_id).unlink()
    nothing = repo.run("history", new_id)
    assert nothing.exit_code == 0 and "no history yet" in nothing.stderr
    assert json.loads(repo.run("history", new_id, "--format", "json").stdout) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["history", "C-2027"], "no complaint has an ID starting C-2027"),
        (["history", "C-2026-04"], f"C-2026-04 is the start of 2 IDs: {ID}, {OTHER}"),
        (["history", ID, "--format", "csv"], "Invalid value for '--format'"),
    ],
)
def test_history_of_nothing(story, args, message):
    repo, _ = story
    result = repo.run(*args)
    assert result.exit_code == (2 if "--format" in args else 1) and message in result.stderr


def test_history_without_git(register):
    register.add(yaml.safe_load(RECORD))
    result = register.run("history", ID)
    assert result.exit_code == 1
    assert f"error: {register.root} is not in a Git repository" in result.stderr


E0 = {"type": "acknowledged", "at": date(2026, 4, 7), "by": "anna"}
E1 = {"type": "assessed", "at": date(2026, 4, 8), "by": "anna", "priority": "normal"}
RETRACT = {"type": "retracted", "at": date(2026, 4, 9), "by": "marco", "event": 1, "reason": "typo"}
BASE = yaml.safe_load(RECORD)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            None,
            {**BASE, "events": [E0]},
            [
                "created: received 2026-04-03T09:12:00+02:00 by email, category billing",
                "appended acknowledged by anna (at 2026-04-07)",
            ],
        ),
        ({**BASE, "events": [E0]}, None, ["deleted"]),
        (
            {**BASE, "events": [E0]},
            "unreadable",
            ["not a readable complaint at this version (not plain YAML)"],
        ),
        (
            {**BASE, "events": [E0, E1]},
            {**BASE, "events": [E0, E1, RETRACT]},
            ["retracted event 1 (assessed) by marco: typo"],
        ),
        (
            {**BASE, "events": [E0, E1]},
            {**BASE, "events": [E0, {**E1, "priority": "urgent"}]},
            ["changed event 1 (assessed by anna): priority: normal → urgent"],
        ),
        (
            {**BASE, "events": [E0, E1]},
            {**BASE, "events": [E1]},
            ["removed event 0 (acknowledged by anna)"],
        ),
        (
            {**BASE, "events": [E0, E1]},
            {**BASE, "events": [E1, E0]},
            ["moved event 1 (assessed by anna) to place 0"],
        ),
        (
            {**BASE, "events": [E0]},
            {**BASE, "events": [E1, E0]},
            ["inserted assessed by anna as event 0, before earlier events"],
        ),
        (
            {**BASE, "events": []},
            {**BASE, "desired_outcome": "A refund", "events": []},
            ["desired_outcome: (none) → A refund"],
        ),
        ({**BASE, "events": [E0]}, {**BASE, "events": [E0]}, []),
    ],
)
def test_changes_in_words(old, new, expected):
    assert [c.text for c in changes_between(old, new)] == expected


def test_a_merge_in_words():
    ours = {**BASE, "events": [E0, RETRACT | {"event": 0}]}
    merged = {**BASE, "events": [E0, E1, RETRACT | {"event": 0}]}
    assert [c.text for c in merge_changes(ours, merged)] == [
        "merged in assessed by anna (at 2026-04-08; priority normal)"
    ]
    assert [c.text for c in merge_changes(merged, {**BASE, "events": [E0]})] == [
        "lost event 1 (assessed by anna) in the merge",
        "lost event 2 (retracted by marco) in the merge",
    ]
