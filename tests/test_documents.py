"""The documents in the repository tell the truth about the code: the README's command
reference is the commands' own, and what the code cites exists."""

import re
import subprocess
import sys

import pytest
from conftest import ROOT


def test_the_readme_command_reference_is_up_to_date():
    # cog --check exits 5 when the text between the markers differs from what it makes.
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr + " (run: .venv/bin/cog -r README.md)"


def test_the_command_reference_names_every_command_and_event_type():
    from complaints_register.cli.main import cli
    from complaints_register.schema.events import EVENT_TYPES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert re.search(rf"^  {name}\b", readme, re.M), name
    for name in EVENT_TYPES:
        assert re.search(rf"^  {name}\b", readme, re.M), name


@pytest.mark.parametrize("name", ["README.md", "CONTRIBUTING.md", "DESIGN.md"])
def test_no_document_sends_readers_outside_the_repository(name):
    assert "../shared" not in (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["DESIGN.md", "CONTRIBUTING.md", "CHANGELOG.md", "LICENSE"])
def test_the_repository_has_its_documents(name):
    assert (ROOT / name).stat().st_size > 500


def _sections() -> set[str]:
    text = (ROOT / "DESIGN.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (\d+)\.", text, re.M))


def test_every_design_section_the_code_cites_exists():
    cited = {}
    for folder in ("scripts", "schema", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            for number in re.findall(r"DESIGN\.md,? sections? (\d+)", path.read_text("utf-8")):
                cited.setdefault(number, path.relative_to(ROOT))
    missing = {number: str(path) for number, path in cited.items() if number not in _sections()}
    assert cited and not missing
