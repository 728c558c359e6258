"""Writing register files: comments survive, writes are atomic, IDs do not collide."""

import os
import shutil
from datetime import date

import pytest
from conftest import EXAMPLE

from complaints_register.core.working_days import calendar_for
from complaints_register.store import files
from complaints_register.store.check import check_files
from complaints_register.store.export_schema import FOLDER, MODELS, exported
from complaints_register.store.register import Register

HAND_WRITTEN = """\
# Complaint taken by phone; see the call log.
id: C-2026-0403-K7Q2
received: 2026-04-03T09:12:00+02:00   # time of the call
channel: phone
language: it
category: billing
summary: 'Double charge: February'
desired_outcome: "Refund"
events:
  # acknowledged by phone, confirmed by letter
  - {type: acknowledged, at: 2026-04-07, by: anna}   # letter sent
"""


def test_comments_key_order_and_quoting_survive_log(register):
    path = register.path("C-2026-0403-K7Q2")
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN)
    result = register.run(
        "log",
        "C-2026-0403-K7Q2",
        "assessed",
        "--at",
        "2026-04-08",
        "--by",
        "anna",
        "--priority",
        "normal",
    )
    assert result.exit_code == 0, result.output
    assert path.read_text() == HAND_WRITTEN + (
        "  - {type: assessed, at: 2026-04-08, by: anna, priority: normal}\n"
    )


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "C.yaml"
    path.write_text("old\n")

    def crash(source, target):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        files.write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["C.yaml"]  # the temporary file is cleaned up


def test_exported_json_schema_is_up_to_date():
    for name in MODELS:
        on_disk = (FOLDER / f"{name}.schema.json").read_text(encoding="utf-8")
        assert on_disk == exported(name), (
            f"run `python -m complaints_register.store.export_schema` ({name})"
        )


def test_two_registers_made_apart_merge_without_a_duplicate_id(tmp_path):
    """As on two branches: each side records complaints without seeing the other's."""
    sides = []
    for side in ("a", "b"):
        root = tmp_path / side
        shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("20??"))
        sides.append(root)
    from click.testing import CliRunner

    from complaints_register.cli.main import cli

    for root in sides:
        for day in range(1, 29):
            for _ in range(3):
                result = CliRunner().invoke(
                    cli,
                    [
                        "--register",
                        str(root),
                        "new",
                        "--channel",
                        "email",
                        "--category",
                        "billing",
                        "--summary",
                        "x",
                        "--received",
                        f"2026-02-{day:02d}T10:00",
                    ],
                )
                assert result.exit_code == 0, result.output
    merged = tmp_path / "merged"
    shutil.copytree(sides[0], merged)
    for path in (sides[1]).glob("20??/*.yaml"):
        target = merged / path.parent.name / path.name
        assert not target.exists(), f"{path.name} was made on both sides"
        shutil.copy(path, target)
    register = Register(merged)
    policy = register.policy()
    paths = register.complaint_paths()
    assert len(paths) == 2 * 28 * 3
    problems, _ = check_files(register, policy, calendar_for(policy), date(2026, 3, 1), paths)
    assert problems == []


EXAMPLE_FILES = sorted(p for p in EXAMPLE.glob("20??/*.yaml"))


@pytest.fixture
def example_copy(tmp_path):
    root = tmp_path / "register"
    shutil.copytree(EXAMPLE, root)
    return root


def _line_of(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


BREAKAGES = [
    # (what, how to break the file's text, the text of the line it must point at, message)
    (
        "unknown channel",
        lambda t: t.replace("channel: email", "channel: fax", 1),
        "channel: fax",
        "channel: 'fax' is not one of the policy's channels",
    ),
    (
        "misspelt key",
        lambda t: t.replace("category:", "categry:", 1),
        "categry:",
        "categry: unknown key",
    ),
    (
        "unknown event type",
        lambda t: t.replace("type: acknowledged", "type: acknowledge", 1),
        "type: acknowledge,",
        "unknown event type 'acknowledge'",
    ),
    (
        "event before receipt",
        lambda t: t.replace("at: 20", "at: 19", 1),
        "at: 19",
        "before the complaint was received",
    ),
    (
        "duplicate key",
        lambda t: t.replace("channel: email", "channel: email\nchannel: phone", 1),
        "channel: phone",
        "duplicate key 'channel'",
    ),
    (
        "alias",
        lambda t: t.replace("channel: email", "channel: &c email\nalso: *c", 1),
        "also: *c",
        "aliases (*name) are not allowed",
    ),
]


@pytest.mark.parametrize(
    "what, breaking, needle, message", BREAKAGES, ids=[b[0] for b in BREAKAGES]
)
def test_check_fails_on_a_broken_copy_of_the_example(example_copy, what, breaking, needle, message):
    source = EXAMPLE / "2026" / "C-2026-0403-WHEF.yaml"  # DESIGN.md's example complaint
    path = example_copy / source.parent.name / source.name
    path.write_text(breaking(path.read_text()))
    from conftest import installed

    result = installed("--register", "register", "check", cwd=example_copy.parent)
    assert result.returncode == 1
    expected_place = f"register/{source.parent.name}/{source.name}:{_line_of(path, needle)}:"
    assert any(
        line.startswith(expected_place) and message in line for line in result.stdout.splitlines()
    ), result.stdout


def test_check_fails_on_a_deleted_policy(example_copy):
    (example_copy / "policy.yaml").unlink()
    from conftest import installed

    result = installed("--register", "register", "check", cwd=example_copy.parent)
    assert result.returncode == 1 and "policy.yaml is missing" in result.stderr


def test_check_fails_on_a_file_in_the_wrong_year(example_copy):
    source = EXAMPLE_FILES[-1]
    wrong = example_copy / "2025" / source.name
    shutil.move(example_copy / source.parent.name / source.name, wrong)
    from conftest import installed

    result = installed("--register", "register", "check", cwd=example_copy.parent)
    assert result.returncode == 1
    assert f"register/2025/{source.name}:" in result.stdout
    assert "so the file belongs in the folder 2026/" in result.stdout
