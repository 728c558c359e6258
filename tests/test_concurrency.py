"""Many people recording in one register at the same moment: real `complaints` processes
started together, on one register. No write may be lost and no file left broken: every
event logged is in the file afterwards, every complaint and action made has a file of its
own with what its run wrote, and `complaints check` accepts the register."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml
from conftest import complaint, write_yaml

ID = "C-2026-0403-K7Q2"
LOGS = 6
NEWS = 5
ACTION_ADDS = 3
ACTION_DONES = 3

FORCE = textwrap.dedent(
    """\
    # Loaded by every test process (PYTHONPATH). The first ID each run of `new` or `actions
    # add` draws is the same in every run, and no run goes on with it until every run has
    # drawn it (or 15 s have passed): as if they had all drawn it at the same moment. Later
    # draws are random.
    import os
    import secrets
    import time

    _barrier = os.environ.get("COMPLAINTS_TEST_BARRIER")
    if _barrier:
        _draw = secrets.choice
        _first = [4]

        def _choice(seq):
            if _first[0] == 0:
                return _draw(seq)
            _first[0] -= 1
            if _first[0] == 0:
                open(os.path.join(_barrier, str(os.getpid())), "w").close()
                waited = time.monotonic() + 15
                wanted = int(os.environ["COMPLAINTS_TEST_RUNS"])
                while len(os.listdir(_barrier)) < wanted and time.monotonic() < waited:
                    time.sleep(0.01)
            return seq[0]

        secrets.choice = _choice
    """
)


def _start(root: Path, hooks: Path, *args: str) -> subprocess.Popen[str]:
    exe = Path(sys.executable).parent / "complaints"
    env = {
        **os.environ,
        "PYTHONPATH": str(hooks),
        "COMPLAINTS_TEST_BARRIER": str(hooks / "barrier"),
        "COMPLAINTS_TEST_RUNS": str(NEWS + ACTION_ADDS),
        "COMPLAINTS_NO_CACHE": "1",
    }
    return subprocess.Popen(
        [str(exe), "--register", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return -1, out, err + "\n(hung: killed after 60 s)"
    return process.returncode, out, err


def _add_action(root: Path, n: int) -> list[str]:
    return [
        "actions",
        "add",
        "--what",
        f"Action {n}",
        "--kind",
        "corrective",
        "--owner",
        "anna",
        "--due",
        "2026-06-30",
        "--opened",
        "2026-04-10",
        "--complaint",
        ID,
    ]


def test_many_runs_at_once_lose_no_write(tmp_path, register):
    register.add(complaint())
    done_id = "A-2026-0410-7KQ2"
    write_yaml(
        register.root / "actions" / f"{done_id}.yaml",
        {
            "id": done_id,
            "opened": "2026-04-10",
            "kind": "corrective",
            "what": "Check every refund",
            "owner": "marco",
            "due": "2026-05-04",
            "done": None,
            "complaints": [ID],
        },
    )
    hooks = tmp_path / "hooks"
    (hooks / "barrier").mkdir(parents=True)
    (hooks / "sitecustomize.py").write_text(FORCE)
    root = register.root

    runs: list[tuple[str, int, subprocess.Popen[str]]] = []
    for n in range(max(LOGS, NEWS, ACTION_ADDS, ACTION_DONES)):  # interleaved, all at once
        if n < LOGS:
            args = ["log", ID, "note", "--note", f"note {n}", "--at", "2026-04-10", "--by", "anna"]
            runs.append(("log", n, _start(root, hooks, *args)))
        if n < NEWS:
            args = [
                "new",
                "--channel",
                "email",
                "--category",
                "billing",
                "--summary",
                f"Complaint {n}",
                "--received",
                "2026-04-05T10:00",
            ]
            runs.append(("new", n, _start(root, hooks, *args)))
        if n < ACTION_ADDS:
            runs.append(("add", n, _start(root, hooks, *_add_action(root, n))))
        if n < ACTION_DONES:
            at = f"2026-05-{n + 10:02d}"
            runs.append(("done", n, _start(root, hooks, "actions", "done", done_id, "--at", at)))
    results = [(kind, n, *_finish(process)) for kind, n, process in runs]
    lost: list[str] = []  # every write lost, of every kind, told at once

    # Every log recorded its event, and the file holds them all, each once.
    for kind, n, code, out, err in results:
        if kind == "log" and (code, out) != (0, f"{ID}: note recorded\n"):
            lost.append(f"log {n} failed: {out}{err}")
    events = yaml.safe_load(register.path(ID).read_text())["events"]
    notes = sorted(e["note"] for e in events)
    if notes != [f"note {n}" for n in range(LOGS)]:
        lost.append(f"{LOGS} runs said `note recorded`, and the file holds: {notes}")

    # Every `new` made a complaint of its own (the first ID drawn was the same for all).
    made: dict[str, list[str]] = {}
    for kind, n, code, out, err in results:
        if kind == "new":
            if code != 0:
                lost.append(f"new {n} failed: {err}")
            made.setdefault(out.strip(), []).append(f"Complaint {n}")
    lost += [f"{len(runs)} runs printed {i}" for i, runs in made.items() if len(runs) > 1]
    for complaint_id, summaries in made.items():
        written = yaml.safe_load(register.path(complaint_id).read_text())["summary"]
        lost += [f"{complaint_id} holds {written!r}, not {s!r}" for s in summaries if s != written]
    files = sorted(p.name for p in (root / "2026").iterdir())
    if len(files) != 1 + NEWS:  # and no temporary file left
        lost.append(f"{NEWS} runs of `new`, and 2026/ holds {files}")

    # Every `actions add` made an action file of its own; one `actions done` won.
    added: dict[str, list[str]] = {}
    for kind, n, code, out, err in results:
        if kind == "add":
            if code != 0:
                lost.append(f"actions add {n} failed: {err}")
            added.setdefault(out.strip(), []).append(f"Action {n}")
    lost += [f"{len(runs)} runs printed {i}" for i, runs in added.items() if len(runs) > 1]
    for action_id, whats in added.items():
        written = yaml.safe_load((root / "actions" / f"{action_id}.yaml").read_text())["what"]
        lost += [f"{action_id} holds {written!r}, not {w!r}" for w in whats if w != written]
    dones = [(n, code, err) for kind, n, code, _, err in results if kind == "done"]
    winners = [n for n, code, _ in dones if code == 0]
    if len(winners) != 1:
        lost.append(f"{len(winners)} of {ACTION_DONES} runs of `actions done` said done recorded")
    lost += [f"done {n}: {err}" for n, code, err in dones if code and "already done on" not in err]
    done = yaml.safe_load((root / "actions" / f"{done_id}.yaml").read_text())["done"]
    if len(winners) == 1 and str(done) != f"2026-05-{winners[0] + 10:02d}":
        lost.append(f"the action says done on {done}, not as the run that succeeded said")

    # And the register is whole.
    checked = subprocess.run(
        [str(Path(sys.executable).parent / "complaints"), "--register", str(root), "check"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COMPLAINTS_NO_CACHE": "1"},
    )
    if checked.returncode != 0:
        lost.append(f"check refuses the register: {checked.stdout}{checked.stderr}")
    assert not lost, "\n".join(lost)
    assert f"ok: {1 + NEWS} complaint file(s), {1 + ACTION_ADDS} action file(s)" in checked.stderr


def test_log_never_writes_over_a_version_another_program_wrote_meanwhile(register, monkeypatch):
    """An editor or `git checkout` takes no lock: when one replaces the file while `log`
    works, `log` writes nothing (compare and swap) and says so."""
    from complaints_register.store import record

    path = register.add(complaint())
    edited = path.read_text().replace("Double charge", "Two charges")
    checked = record._refuse_invalid_complaint

    def meanwhile(*args, **kwargs):
        checked(*args, **kwargs)
        replacement = path.with_name("edited.tmp")
        replacement.write_text(edited)
        os.replace(replacement, path)  # as an editor saves

    monkeypatch.setattr(record, "_refuse_invalid_complaint", meanwhile)
    result = register.run("log", ID, "note", "--note", "x", "--at", "2026-04-10", "--by", "anna")
    assert result.exit_code == 1
    assert f"{path} changed while this run was working on it" in result.stderr
    assert path.read_text() == edited
