"""Git merges complaint files as a ledger: `complaints merge-file %O %A %B`, the driver that
`.gitattributes` names for `register/**/*.yaml` (DESIGN.md section 9, "Merging branches").

Real repositories in temporary folders, real `git merge`, the driver configured in the
repository's own config and run as this Python's `complaints_register`."""

import contextlib
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from complaints_register.cli.main import cli
from complaints_register.core.ledger_merge import merge_lines, plan
from complaints_register.store.merge_file import attributes_line, merge_texts
from tests.conftest import POLICY, complaint, write_yaml

ID = "C-2026-0403-K7Q2"
PATH = f"register/2026/{ID}.yaml"
ACK = {"type": "acknowledged", "at": "2026-04-03T10:00:00+02:00", "by": "anna"}


def ev(type_: str, at: str, **fields) -> dict:
    return {"type": type_, "at": f"2026-04-{at}:00+02:00", "by": "anna", **fields}


def in_folder(folder: Path, *args: str) -> Result:
    """`complaints ARGS` as run in `folder`, the register found from there."""
    with contextlib.chdir(folder):
        return CliRunner().invoke(cli, list(args))


class Repo:
    """A Git repository holding a register, the driver set up as `complaints init` sets it."""

    def __init__(self, top: Path):
        self.top = top
        top.mkdir()
        self.git("init", "-q", "-b", "main")
        for key, value in (("user.name", "Test"), ("user.email", "t@example.org")):
            self.git("config", key, value)
        driver = f"{shlex.quote(sys.executable)} -m complaints_register merge-file %O %A %B"
        self.git("config", "merge.complaints.driver", driver)
        (top / ".gitattributes").write_text(attributes_line("register") + "\n")
        write_yaml(top / "register" / "policy.yaml", POLICY)

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.top)}
        result = subprocess.run(
            ["git", *args], cwd=self.top, capture_output=True, text=True, env=env, timeout=60
        )
        if check and result.returncode:
            raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
        return result

    def commit(self, data: dict, message: str, branch: str | None = None) -> None:
        if branch:
            self.git("checkout", "-q", "-B", branch)
        write_yaml(self.top / PATH, data)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def complaints(self, *args: str) -> Result:
        """`complaints` run in the repository's top folder (in this process: Git runs the
        driver itself as a process of its own)."""
        return in_folder(self.top, *args)

    def events(self) -> list[dict]:
        return yaml.safe_load((self.top / PATH).read_text())["events"]


@pytest.fixture
def repo(tmp_path) -> Repo:
    made = Repo(tmp_path / "repo")
    made.commit(complaint(ACK), "a complaint, acknowledged")
    return made


def test_two_branches_that_appended_events_merge_by_git_alone(repo):
    # marco assesses at 11:00; on another branch bruna notes a call at 10:30, notes
    # another at 12:00 and retracts that second note (her event 2). Merged: the base's
    # acknowledgement, then 10:30, 11:00, 12:00 and the retraction, which now retracts
    # event 3 (where her note went), not 2 (marco's assessment).
    assessed = ev("assessed", "03T11:00", priority="urgent", handler="marco")
    call, second = ev("note", "03T10:30", note="called"), ev("note", "03T12:00", note="again")
    retraction = ev("retracted", "03T12:30", event=2, reason="logged twice")
    repo.commit(complaint(ACK, assessed), "assessed", branch="marco")
    repo.git("checkout", "-q", "main")
    repo.commit(complaint(ACK, call, second, retraction), "notes", branch="bruna")
    repo.git("checkout", "-q", "marco")

    merged = repo.git("merge", "--no-edit", "bruna", check=False)

    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert repo.git("status", "--porcelain").stdout == ""  # committed, nothing left over
    moved = {**retraction, "event": 3}
    expected = [ACK, call, assessed, second, moved]
    assert repo.events() == yaml.safe_load(yaml.safe_dump(expected))
    checked = repo.complaints("check", "--base", "main")
    assert checked.exit_code == 0, checked.output
    assert "1 file(s) changed since" in checked.stderr


def test_the_branch_whose_events_came_first_still_passes_its_own_ledger(repo):
    # What reached main first (an 11:00 assessment) keeps its place when main is merged
    # into a branch with a later note, so `check --base` passes against main, as the check
    # workflow of the branch's pull request runs it, and against where the two parted.
    assessed = ev("assessed", "03T11:00", priority="normal")
    note = ev("note", "03T15:00", note="called back")
    repo.git("tag", "parted")
    repo.commit(complaint(ACK, note), "note", branch="bruna")
    repo.git("checkout", "-q", "main")
    repo.commit(complaint(ACK, assessed), "assessed")
    repo.git("checkout", "-q", "bruna")

    assert repo.git("merge", "--no-edit", "main", check=False).returncode == 0
    assert [e["type"] for e in repo.events()] == ["acknowledged", "assessed", "note"]
    for base in ("parted", "main"):
        checked = repo.complaints("check", "--base", base)
        assert checked.exit_code == 0, checked.output
    # Against bruna's side before the merge, main's 11:00 assessment is an event put
    # before her 15:00 note: that side's ledger refuses it, as DESIGN.md section 9 says.
    refused = repo.complaints("check", "--base", "bruna~1")
    assert refused.exit_code == 1
    assert "was put before earlier events" in refused.stdout


def test_two_different_summaries_stay_a_conflict_with_gits_markers(repo):
    repo.commit(complaint(ACK, summary="Charged twice in February"), "one", branch="one")
    repo.git("checkout", "-q", "main")
    repo.commit(complaint(ACK, summary="Charged twice in March"), "two", branch="two")

    merged = repo.git("merge", "--no-edit", "one", check=False)

    assert merged.returncode == 1
    assert "both sides changed `summary`" in merged.stderr + merged.stdout
    assert repo.git("status", "--porcelain").stdout.startswith(f"UU {PATH}")
    text = (repo.top / PATH).read_text()
    assert (
        "<<<<<<< ours\nsummary: Charged twice in March\n=======\n"
        "summary: Charged twice in February\n>>>>>>> theirs\n"
    ) in text


def test_an_edited_past_event_stays_a_conflict(repo):
    # One side rewrites the recorded acknowledgement; the other appends. Git alone would
    # merge the lines; the ledger does not.
    edited = {**ACK, "by": "marco"}
    repo.commit(complaint(edited), "edited", branch="edit")
    repo.git("checkout", "-q", "main")
    repo.commit(complaint(ACK, ev("note", "03T12:00", note="x")), "note", branch="append")

    merged = repo.git("merge", "--no-edit", "edit", check=False)

    assert merged.returncode == 1
    assert "theirs changed or removed event 0 (acknowledged by anna)" in merged.stderr
    text = (repo.top / PATH).read_text()
    assert text.count("<<<<<<< ours") == 1 and text.count(">>>>>>> theirs") == 1


def test_init_sets_the_driver_up_in_the_repository(tmp_path):
    top = tmp_path / "org"
    top.mkdir()
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    made = in_folder(top, "init", "register")
    assert made.exit_code == 0, made.output
    assert (top / ".gitattributes").read_text() == "register/**/*.yaml merge=complaints\n"
    driver = subprocess.run(
        ["git", "config", "merge.complaints.driver"], cwd=top, capture_output=True, text=True
    )
    assert driver.stdout == "complaints merge-file %O %A %B\n"
    # A second register in the same repository adds its own line, once.
    assert in_folder(top, "init", "other").exit_code == 0
    lines = (top / ".gitattributes").read_text().splitlines()
    assert lines == ["register/**/*.yaml merge=complaints", "other/**/*.yaml merge=complaints"]


def test_init_outside_a_repository_says_what_to_run(tmp_path):
    made = in_folder(tmp_path, "init", "register")
    assert made.exit_code == 0
    assert 'git config merge.complaints.driver "complaints merge-file %O %A %B"' in made.stdout
    assert not (tmp_path / ".gitattributes").exists()


# --- The merge itself, without Git ---------------------------------------------------


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def test_a_field_changed_on_one_side_is_taken_with_both_sides_events():
    base = complaint(ACK)
    ours = complaint(ACK, ev("note", "03T12:00", note="ours"))
    theirs = complaint(ACK, ev("note", "03T11:00", note="theirs"), category="other")
    text, merged = merge_texts(dump(base), dump(ours), dump(theirs))
    assert merged.clean
    data = yaml.safe_load(text)
    assert data["category"] == "other"
    assert [e.get("note") for e in data["events"]] == [None, "theirs", "ours"]


def test_a_bare_date_counts_as_the_start_of_its_day_in_the_policys_zone():
    # 2026-04-04 in Rome starts at 2026-04-03T22:00Z: before theirs' 23:00Z, after 21:00Z.
    base = complaint(ACK)
    ours = complaint(ACK, {"type": "note", "at": "2026-04-04", "by": "a", "note": "day"})
    for theirs_at, order in (
        ("2026-04-03T23:00:00Z", ["day", "t"]),
        ("2026-04-03T21:00:00Z", ["t", "day"]),
    ):
        theirs = complaint(ACK, {"type": "note", "at": theirs_at, "by": "b", "note": "t"})
        from zoneinfo import ZoneInfo

        text, merged = merge_texts(dump(base), dump(ours), dump(theirs), ZoneInfo("Europe/Rome"))
        assert merged.clean
        assert [e.get("note") for e in yaml.safe_load(text)["events"][1:]] == order


def test_ours_comments_and_quoting_survive_a_ledger_merge():
    base = dump(complaint(ACK))
    ours = base.replace("summary:", "# what they said\nsummary:") + (
        "- {type: note, at: '2026-04-03T12:00:00+02:00', by: anna, note: 'no'}\n"
    )
    theirs = base + "- {type: note, at: '2026-04-03T11:00:00+02:00', by: bruna, note: x}\n"
    text, merged = merge_texts(base, ours, theirs)
    assert merged.clean and merged.how == "ledger"
    assert "# what they said\n" in text and "note: 'no'" in text
    assert [e["by"] for e in yaml.safe_load(text)["events"]] == ["anna", "bruna", "anna"]


def test_an_event_both_sides_appended_alike_is_kept_once():
    note = ev("note", "03T11:00", note="same")
    base = complaint(ACK)
    ours = complaint(ACK, note, ev("note", "03T13:00", note="ours"))
    theirs = complaint(ACK, note, ev("note", "03T12:00", note="theirs"))
    found = plan(base, ours, theirs)
    assert found.events == [("ours", 0), ("ours", 1), ("theirs", 2), ("ours", 2)]


def test_one_side_changing_a_field_the_other_removed_is_a_conflict():
    base = complaint(ACK, desired_outcome="A refund")
    ours = complaint(ACK, desired_outcome="A refund and an apology")
    theirs = complaint(ACK)  # no desired_outcome
    assert plan(base, ours, theirs).conflicts == [
        "both sides changed `desired_outcome`, each differently: keep one (or write the"
        " value both agree on)"
    ]


def test_files_that_are_not_complaints_merge_line_by_line_as_git_does():
    base = "a\nb\nc\nd\n"
    assert merge_lines(base, "A\nb\nc\nd\n", "a\nb\nc\nD\n").text == "A\nb\nc\nD\n"
    both = merge_lines(base, "a\nX\nc\nd\n", "a\nY\nc\nd\n")
    assert both.conflicts == 1
    assert both.text == "a\n<<<<<<< ours\nX\n=======\nY\n>>>>>>> theirs\nc\nd\n"
    # The policy is merged by lines: two changes far apart both land.
    text, merged = merge_texts("x: 1\ny: 2\nz: 3\n", "x: 0\ny: 2\nz: 3\n", "x: 1\ny: 2\nz: 4\n")
    assert merged.clean and text == "x: 0\ny: 2\nz: 4\n"


def test_a_version_that_is_not_yaml_merges_by_lines_and_conflicts():
    base = dump(complaint(ACK))
    text, merged = merge_texts(base, base + "- {type: note\n", base + "- [\n")
    assert not merged.clean
    assert "<<<<<<< ours\n- {type: note\n=======\n- [\n>>>>>>> theirs\n" in text


def test_a_conflict_message_cannot_move_the_terminal(repo):
    # A key is text from the file: shown escaped, never as an escape sequence.
    key = "x\x1b]0;owned\x07"
    base, ours, theirs = (dump({**complaint(ACK), key: v}) for v in ("a", "b", "c"))
    paths = []
    for name, text in (("base", base), ("ours", ours), ("theirs", theirs)):
        paths.append(repo.top / name)
        paths[-1].write_text(text)
    result = repo.complaints("merge-file", *map(str, paths))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\\x1b" in result.stderr


def test_a_field_only_theirs_added_is_put_before_the_events():
    base = dump(complaint(ACK))
    ours = base + "- {type: note, at: '2026-04-03T12:00:00+02:00', by: anna, note: a}\n"
    theirs = base.replace("events:", "desired_outcome: A refund\nevents:") + (
        "- {type: note, at: '2026-04-03T11:00:00+02:00', by: bruna, note: b}\n"
    )
    text, merged = merge_texts(base, ours, theirs)
    assert merged.clean
    assert (
        "summary: Double charge on the February invoice\ndesired_outcome: A refund\nevents:\n"
        in text
    )


def test_a_version_over_the_size_limit_is_refused_and_ours_left_as_it_was(repo):
    big = "# " + "x" * (1024 * 1024) + "\n"
    paths = []
    for name, text in (("base", "a: 1\n"), ("ours", "a: 2\n"), ("theirs", big)):
        paths.append(repo.top / name)
        paths[-1].write_text(text)
    result = repo.complaints("merge-file", *map(str, paths))
    assert result.exit_code == 1 and "larger than 1024 KiB" in result.stderr
    assert "Traceback" not in result.stderr
    assert paths[1].read_text() == "a: 2\n"


def test_ours_retraction_follows_its_event_when_theirs_goes_before_it():
    # Ours: a note at 12:00 (event 1) retracted at 13:00. Theirs: a note at 11:00. Merged:
    # [ack, theirs 11:00, ours 12:00, retraction]: the retraction now names event 2.
    base = complaint(ACK)
    ours = complaint(
        ACK, ev("note", "03T12:00", note="a"), ev("retracted", "03T13:00", event=1, reason="r")
    )
    theirs = complaint(ACK, ev("note", "03T11:00", note="b"))
    found = plan(base, ours, theirs)
    assert found.events == [("ours", 0), ("theirs", 1), ("ours", 1), ("ours", 2)]
    assert found.retargeted == {3: 2}
    text, merged = merge_texts(dump(base), dump(ours), dump(theirs))
    assert merged.clean and yaml.safe_load(text)["events"][3]["event"] == 2


def test_a_side_without_a_last_line_break_still_gets_markers_on_lines_of_their_own():
    assert merge_lines("a\n", "b", "c").text == "<<<<<<< ours\nb\n=======\nc\n>>>>>>> theirs\n"
