"""Shared fixtures: a small register in a temporary folder, and ways to run the CLI."""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from complaints_register.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "register"

POLICY = {
    "organisation": "Test Water",
    "contact": {"email": "complaints@example.org"},
    "languages": ["en", "it", "fa"],
    "calendar": {
        "country": "IT",
        "subdivision": None,
        "timezone": "Europe/Rome",
        "weekend": None,
        "closures": ["2026-12-24"],
        "days": "working",
    },
    "targets": {
        "stage1": {"acknowledge": 2, "respond": {"normal": 20, "urgent": 5}},
        "stage2": {"acknowledge": 3, "respond": {"normal": 20, "urgent": 10}},
        "very_overdue_after": 20,
        "max_extension": 10,
    },
    "categories": ["billing", "service-quality", "other"],
    "channels": ["email", "phone", "letter"],
    "publication": {"min_count": 5, "min_rate_base": 30},
    "retention": {"personal_data_years": 6},
    # The tests log events on fixed dates in 2026, however long before the day they run:
    # late entries (which need `late`, why) have tests of their own, test_late_entries.py.
    "late_entry_days": 1000,
}

COMPLAINT = {
    "id": "C-2026-0403-K7Q2",
    "received": "2026-04-03T09:12:00+02:00",
    "channel": "email",
    "language": "it",
    "category": "billing",
    "summary": "Double charge on the February invoice",
    "events": [],
}


def policy(**changes) -> dict:
    """The test policy, with top-level keys replaced."""
    result = copy.deepcopy(POLICY)
    result.update(changes)
    return result


def complaint(*events: dict, **changes) -> dict:
    """The test complaint with these events (each a dict), top-level keys replaced."""
    result = copy.deepcopy(COMPLAINT)
    result.update(changes)
    result["events"] = [dict(e) for e in events]
    return result


def write_yaml(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


class TestRegister:
    """A register in a temporary folder, and the CLI run against it."""

    __test__ = False  # not a test class

    def __init__(self, root: Path):
        self.root = root
        write_yaml(root / "policy.yaml", POLICY)

    def add(self, data: dict) -> Path:
        return write_yaml(self.root / data["id"][2:6] / f"{data['id']}.yaml", data)

    def path(self, complaint_id: str) -> Path:
        return self.root / complaint_id[2:6] / f"{complaint_id}.yaml"

    def run(self, *args: str):
        """The CLI through click's runner; the result has exit_code, stdout and stderr."""
        return CliRunner().invoke(cli, ["--register", str(self.root), *args])


@pytest.fixture
def register(tmp_path) -> TestRegister:
    return TestRegister(tmp_path / "register")


def git(top: Path, *args: str) -> str:
    """`git args` in `top` as one officer, without this machine's Git settings; its output
    (a failure fails the test, with Git's message)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Anna Rossi",
        "GIT_AUTHOR_EMAIL": "anna@example.org",
        "GIT_COMMITTER_NAME": "Anna Rossi",
        "GIT_COMMITTER_EMAIL": "anna@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=top, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def installed(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed `complaints` command, as a real process."""
    exe = Path(sys.executable).parent / "complaints"
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=60)


CHROMIUM = "/usr/bin/chromium"
# As the machine's notes give them: without the background-networking flags Chromium
# calls Google's services at start.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, one for the whole session (Playwright's sync API runs one
    at a time): every browser test module shares it."""
    import shutil

    from playwright.sync_api import sync_playwright

    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install chromium (the README's test command does)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the browser must say so (`browser` marker), so that `-m 'not browser'`
    leaves out every test that needs Chromium, and none that does not."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
            "browser"
        ):
            raise pytest.UsageError(f"{item.nodeid} uses the browser without the browser marker")


@pytest.fixture(autouse=True)
def _user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache's key is made in a folder of the test run's own, never in the real
    ~/.cache (which may be read-only, and is the user's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "user-cache"))
