"""Every command works from any folder inside the repository: the register is found from
the current folder upward, the way Git finds `.git` (DESIGN.md section 5, "Working in the
browser")."""

import os
import subprocess

import pytest
from click.testing import CliRunner

from complaints_register.cli.main import cli
from complaints_register.store.discovery import find_register
from tests.conftest import TestRegister, complaint, installed

ID = "C-2026-0403-K7Q2"


@pytest.fixture
def top(tmp_path):
    """A repository with its register at register/ and one complaint."""
    top = tmp_path / "org"
    top.mkdir()
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    TestRegister(top / "register").add(complaint())
    (top / "docs" / "deep").mkdir(parents=True)
    return top


def test_show_works_from_a_year_folder(top):
    shown = installed("show", ID, "--as-of", "2026-04-07", cwd=top / "register" / "2026")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"{ID}  new (stage 1)")


@pytest.mark.parametrize(
    "where, found",
    [
        ("", "register"),
        ("register", "."),
        ("register/2026", ".."),
        ("docs/deep", "../../register"),
    ],
)
def test_the_register_is_found_upward(top, where, found):
    assert str(find_register(top / where)) == found


def test_list_from_a_folder_beside_the_register(top, monkeypatch):
    monkeypatch.chdir(top / "docs" / "deep")
    monkeypatch.delenv("COMPLAINTS_REGISTER", raising=False)
    result = CliRunner().invoke(cli, ["list", "--as-of", "2026-04-07"])
    assert result.exit_code == 0, result.output
    assert ID in result.stdout


def test_the_search_stops_at_the_top_of_the_repository(tmp_path, monkeypatch):
    # A register above the repository is another project's: never taken for this one's.
    TestRegister(tmp_path / "register").add(complaint())
    inner = tmp_path / "inner"
    inner.mkdir()
    subprocess.run(["git", "init", "-q", str(inner)], check=True)
    assert find_register(inner) is None
    assert str(find_register(tmp_path / "elsewhere")) == "../register"  # in no repository
    monkeypatch.chdir(inner)
    monkeypatch.delenv("COMPLAINTS_REGISTER", raising=False)
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 1 and "no register at ./register" in result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_a_register_someone_else_owns_is_passed_over(tmp_path):
    # As Git passes over a repository another user owns: a register planted in a shared
    # folder above (say /tmp) is not where this user's complaints go.
    planted = TestRegister(tmp_path / "register")
    (tmp_path / ".git").mkdir()  # the search ends here, whatever is above
    os.chown(planted.root, 12345, 12345)
    assert find_register(tmp_path / "work") is None
    os.chown(planted.root, 0, 0)
    os.chown(planted.root / "policy.yaml", 12345, 12345)
    assert find_register(tmp_path / "work") is None


def test_a_register_named_by_option_or_environment_wins(top, tmp_path, monkeypatch):
    other = TestRegister(tmp_path / "other")
    other.add(complaint(id="C-2026-0404-AAAA"))
    monkeypatch.chdir(top / "register" / "2026")
    by_option = CliRunner().invoke(cli, ["--register", str(other.root), "list", "--status", "all"])
    assert "C-2026-0404-AAAA" in by_option.stdout and ID not in by_option.stdout
    monkeypatch.setenv("COMPLAINTS_REGISTER", str(other.root))
    by_environment = CliRunner().invoke(cli, ["list", "--status", "all"])
    assert "C-2026-0404-AAAA" in by_environment.stdout and ID not in by_environment.stdout


def test_a_policy_that_is_a_link_is_not_a_register(tmp_path):
    real = TestRegister(tmp_path / "real")
    (tmp_path / ".git").mkdir()
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "policy.yaml").symlink_to(real.root / "policy.yaml")
    assert find_register(tmp_path / "fake") is None
