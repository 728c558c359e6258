"""`complaints --help` loads neither pydantic nor any model; the commands that need the
models still get every choice and option the models give them."""

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from complaints_register.cli.main import cli
from complaints_register.schema.action import Kind
from complaints_register.schema.events import EVENT_TYPES

ROOT = Path(__file__).resolve().parent.parent


def _loaded_by(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from complaints_register.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='complaints')\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_help_loads_no_pydantic_and_builds_no_model():
    loaded = _loaded_by(["--help"])
    assert "complaints_register.cli.main" in loaded
    assert not {name for name in loaded if name.split(".")[0] in ("pydantic", "pydantic_core")}
    assert not {name for name in loaded if name.startswith("complaints_register.schema.")} - {
        "complaints_register.schema.ids",
        "complaints_register.schema.state",
    }


def test_a_command_s_help_builds_only_what_it_shows():
    loaded = _loaded_by(["show", "--help"])
    assert "pydantic" not in loaded


def test_log_still_offers_every_event_type_and_option():
    result = CliRunner().invoke(cli, ["log", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--outcome", "--satisfied", "--score", "--event", "--due"):
        assert option in result.output
    wrong = CliRunner().invoke(cli, ["log", "C-2026-0101-AAAA", "promoted"])
    assert wrong.exit_code == 2
    assert "'promoted' is not one of 'acknowledged'" in wrong.output
    assert "'note'" in wrong.output
    log = cli.commands["log"]
    types = next(p for p in log.params if p.name == "event_type")
    assert list(types.type.choices) == list(EVENT_TYPES)  # type: ignore[attr-defined]


def test_action_kinds_are_the_schema_s():
    add = cli.commands["actions"].commands["add"]  # type: ignore[attr-defined]
    kind = next(p for p in add.params if p.name == "kind")
    assert tuple(kind.type.choices) == ("corrective", "preventive")
    assert Kind.__args__ == ("corrective", "preventive")
    bad = CliRunner().invoke(
        cli, ["actions", "add", "--what", "x", "--kind", "curative", "--owner", "a"]
    )
    assert bad.exit_code == 2
    assert "'curative' is not one of 'corrective', 'preventive'" in bad.output


HEAVY_FOR_SHOW = (
    "holidays",  # the calendar comes from the cache, its years' holidays looked up
    "phonenumbers",  # the rules' personal-data patterns: `check` and `log`, not `show`
    "stdnum",
    "ruamel",  # writing a file
    "complaints_register.core.rules",
    "complaints_register.core.personal_data",
    "concurrent.futures.process",  # the pool of processes for a register's many files
)


def _git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def test_show_loads_neither_the_rules_nor_holidays_once_the_cache_holds_the_policy(tmp_path):
    import shutil

    shutil.copytree(ROOT / "register", tmp_path / "register")
    _git(tmp_path, "init", "-q")
    complaint = sorted((tmp_path / "register").glob("*/C-*.yaml"))[0].stem
    args = ["--register", str(tmp_path / "register"), "show", complaint]
    first = _loaded_by_in(args, tmp_path)  # fills the cache: the policy and its calendar
    assert "holidays" in first  # the calendar was built, and needed the package
    for _ in range(3):  # a change to the program meanwhile (a checkout in use) empties the
        # cache, and the run after fills it again
        loaded = _loaded_by_in(args, tmp_path)
        heavy = {name for name in loaded if name.split(".")[0] in HEAVY_FOR_SHOW}
        if not heavy | (set(HEAVY_FOR_SHOW) & loaded):
            break
    assert "complaints_register.store.check" in loaded  # it did read the complaint
    assert not heavy
    assert not set(HEAVY_FOR_SHOW) & loaded


def _loaded_by_in(args: list[str], cwd: Path) -> set[str]:
    """The modules loaded by the CLI run with `args` in the folder `cwd` (exit code 0)."""
    code = (
        "import sys\n"
        "from complaints_register.cli.main import cli\n"
        f"try:\n    cli({args!r}, prog_name='complaints')\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())
