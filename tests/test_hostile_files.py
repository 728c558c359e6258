"""The register against files that are not files, IDs that are paths, and dates at the end
of time: each attack of the "Hardening" review, made with real files, real symbolic links,
real FIFOs and real Git repositories.

* Nothing under the register that is not a plain file or a real folder is ever read or
  skipped in silence: `check` reports it, and `check --base` refuses a link, a gitlink or a
  change of type at any path.
* An ID argument is an ID: never a path out of the register.
* One bad file is one problem at its file and line among the others, never an internal
  error that hides them; `show` and `log` say what is wrong and never hang.
* A temporary file left by a killed write never fails `check`, and writing keeps a file's
  permissions.
"""

import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import COMPLAINT, TestRegister, complaint, write_yaml
from test_ledger import ID, RECORDED, GitRegister

HOSTILE = "C-2026-0405-CD34"
"""The complaint the attacks replace, move or break."""

OTHER = "C-2026-0404-AB12"
"""A complaint with a problem of its own, which every check must still report."""


def other_problem(root: Path) -> str:
    return f"{root / '2026' / f'{OTHER}.yaml'}:6: summary: must not be empty"


def hostile_data() -> dict:
    return complaint(id=HOSTILE, received="2026-04-05T10:00:00+02:00")


@pytest.fixture
def crowded(register: TestRegister) -> TestRegister:
    """A register with a valid complaint, one with a problem, and an action."""
    register.add(complaint())
    register.add(complaint(id=OTHER, received="2026-04-04T10:00:00+02:00", summary=""))
    write_yaml(register.root / "actions" / "A-2026-0410-7KQ2.yaml", ACTION)
    return register


ACTION = {
    "id": "A-2026-0410-7KQ2",
    "opened": "2026-04-10",
    "kind": "corrective",
    "what": "Check every refund",
    "owner": "marco",
    "due": "2026-05-04",
    "complaints": [COMPLAINT["id"]],
}


def complaints(*args: str, cwd: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """The installed `complaints` command as a real process; a run that hangs (on a FIFO)
    fails the test instead of stopping the suite."""
    exe = Path(sys.executable).parent / "complaints"
    try:
        return subprocess.run(
            [str(exe), *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "COMPLAINTS_NO_CACHE": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`complaints {' '.join(args)}` hung for {timeout} s")


# --- What is not a file, under the register: `check` reports each, and the others ----------


def _in_year(root: Path) -> Path:
    return root / "2026" / f"{HOSTILE}.yaml"


def _copy_elsewhere(root: Path, data: dict | None = None) -> Path:
    """A valid complaint file outside the register, in the same repository folder."""
    return write_yaml(root.parent / "elsewhere" / f"{HOSTILE}.yaml", data or hostile_data())


def _link(target: Callable[[Path], str]) -> Callable[[Path], Path]:
    def make(root: Path) -> Path:
        os.symlink(target(root), _in_year(root))
        return _in_year(root)

    return make


def _fifo(path: Callable[[Path], Path]) -> Callable[[Path], Path]:
    def make(root: Path) -> Path:
        os.mkfifo(path(root))
        return path(root)

    return make


def _folder_named_like_a_complaint(root: Path) -> Path:
    write_yaml(_in_year(root) / "inside.yaml", hostile_data())
    return _in_year(root)


def _nested_complaint(root: Path) -> Path:
    write_yaml(root / "2026" / "more" / f"{HOSTILE}.yaml", hostile_data())
    return root / "2026" / "more"


def _complaint_outside_year_folders(root: Path) -> Path:
    return write_yaml(root / f"{HOSTILE}.yaml", hostile_data())


def _linked_year_folder(root: Path) -> Path:
    write_yaml(root.parent / "elsewhere" / "2025" / "C-2025-0405-CD34.yaml", hostile_data())
    os.symlink("../elsewhere/2025", root / "2025")
    return root / "2025"


def _linked_action(root: Path) -> Path:
    copy = write_yaml(root.parent / "elsewhere" / "A-2026-0411-7KQ3.yaml", ACTION)
    path = root / "actions" / "A-2026-0411-7KQ3.yaml"
    os.symlink(os.path.relpath(copy, path.parent), path)
    return path


def _linked_actions_folder(root: Path) -> Path:
    (root / "actions").rename(root.parent / "actions")
    os.symlink("../actions", root / "actions")
    return root / "actions"


def _linked_letter(root: Path) -> Path:
    (root / "letters").mkdir()
    os.symlink("/etc/passwd", root / "letters" / "acknowledgement.en.md")
    return root / "letters" / "acknowledgement.en.md"


def _linked_policy(root: Path) -> Path:
    (root / "policy.yaml").rename(root.parent / "policy.yaml")
    os.symlink("../policy.yaml", root / "policy.yaml")
    return root / "policy.yaml"


def _fifo_policy(root: Path) -> Path:
    (root / "policy.yaml").unlink()
    os.mkfifo(root / "policy.yaml")
    return root / "policy.yaml"


def _text(lines: str) -> Callable[[Path], Path]:
    def make(root: Path) -> Path:
        path = _in_year(root)
        path.write_bytes(lines.encode("utf-8"))
        return path

    return make


HEADER = f"""\
id: {HOSTILE}
received: 2026-04-05T10:00:00+02:00
channel: email
language: it
category: billing
summary: Late bill
events:
"""

AT_THE_END_OF_TIME = HEADER.replace(
    "2026-04-05T10:00:00+02:00", "9999-12-31T23:59:59-23:59"
).replace("events:\n", "events: []\n")

NOT_A_FILE = "a symbolic link, not a file: the register never follows links"


@pytest.mark.parametrize(
    "make, said",
    [
        pytest.param(_link(lambda root: "/dev/null"), NOT_A_FILE, id="link to /dev/null"),
        pytest.param(_link(lambda root: "nowhere.yaml"), NOT_A_FILE, id="dangling link"),
        pytest.param(
            _link(lambda root: os.path.relpath(_copy_elsewhere(root), root / "2026")),
            NOT_A_FILE,
            id="link to a copy elsewhere",
        ),
        pytest.param(_link(lambda root: f"{HOSTILE}.yaml"), NOT_A_FILE, id="link loop"),
        pytest.param(_fifo(_in_year), "a FIFO (named pipe), not a file", id="FIFO"),
        pytest.param(
            _folder_named_like_a_complaint,
            "a folder inside a year folder: complaint files go directly in 2026/",
            id="folder named like a complaint",
        ),
        pytest.param(_nested_complaint, "a folder inside a year folder", id="nested folder"),
        pytest.param(
            _complaint_outside_year_folders,
            "a file outside the year folders: a register holds policy.yaml, a folder for each"
            " year of receipt (YYYY/)",
            id="file outside the year folders",
        ),
        pytest.param(
            _linked_year_folder,
            "a symbolic link where a year folder belongs: the register never follows links",
            id="year folder as a link",
        ),
        pytest.param(_linked_action, NOT_A_FILE, id="action as a link"),
        pytest.param(
            _fifo(lambda root: root / "actions" / "A-2026-0411-7KQ3.yaml"),
            "a FIFO (named pipe), not a file",
            id="action as a FIFO",
        ),
        pytest.param(
            _linked_actions_folder,
            "a symbolic link where actions/ belongs",
            id="actions folder as a link",
        ),
        pytest.param(_linked_letter, NOT_A_FILE, id="letter template as a link"),
        pytest.param(_linked_policy, f"cannot read: {NOT_A_FILE}", id="policy as a link"),
        pytest.param(
            _fifo_policy,
            "cannot read: a FIFO (named pipe), not a file",
            id="policy as a FIFO",
        ),
        pytest.param(
            _text(AT_THE_END_OF_TIME),
            ":2: received: ",  # whatever says it (store.check.out_of_range, a rule): at its line
            id="received at the end of time",
        ),
        pytest.param(
            _text(HEADER + "  - {type: note, at: 0001-01-01T00:00:00+05:00, by: a, note: x}\n"),
            ":8: events[0].at: ",
            id="event at the start of time",
        ),
        pytest.param(
            _text(HEADER + "  - {type: note, at: 2026-04-06, by: a, note: \0}\n"),
            "not valid YAML: unacceptable character #x0000",
            id="NUL byte",
        ),
    ],
)
def test_check_reports_what_is_not_a_register_file_among_the_other_problems(crowded, make, said):
    root = crowded.root
    path = make(root)
    result = crowded.run("check")
    assert "internal error" not in result.output
    assert result.exit_code == 1, result.output
    assert f"{path}{'' if said.startswith(':') else ': '}{said}" in result.stdout
    if path.name != "policy.yaml":  # without a policy, nothing else is checked
        assert other_problem(root) in result.stdout  # one bad file hides no other


def test_a_folder_that_cannot_be_read_is_one_problem(crowded):
    if os.geteuid() == 0:
        pytest.skip("root reads a folder whatever its permissions (chmod 000 stops no one)")
    folder = crowded.root / "2025"
    write_yaml(folder / "C-2025-0405-CD34.yaml", hostile_data())
    folder.chmod(0)
    try:
        result = crowded.run("check")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1 and "internal error" not in result.output
    assert f"{folder}: cannot read this folder: Permission denied" in result.stdout
    assert other_problem(crowded.root) in result.stdout


def test_a_folder_the_system_refuses_to_list_is_one_problem(crowded, monkeypatch):
    """As root, where chmod 000 stops no one: the listing refused as it would be."""
    folder = crowded.root / "2025"
    write_yaml(folder / "C-2025-0405-CD34.yaml", hostile_data())
    listing = os.scandir

    def refused(path):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refused)
    result = crowded.run("check")
    assert result.exit_code == 1 and "internal error" not in result.output
    assert f"{folder}: cannot read this folder: Permission denied" in result.stdout
    assert other_problem(crowded.root) in result.stdout


def test_check_refuses_a_path_it_is_given_that_is_a_link(crowded):
    copy = _copy_elsewhere(crowded.root)
    path = _in_year(crowded.root)
    os.symlink(copy, path)
    result = crowded.run("check", str(path))
    assert result.exit_code == 1
    assert f"{path}: cannot read: {NOT_A_FILE}" in result.stdout


def test_listings_leave_out_a_file_at_the_end_of_time_and_go_on(crowded):
    _text(AT_THE_END_OF_TIME)(crowded.root)
    listed = crowded.run("list", "--status", "all", "--format", "json")
    assert listed.exit_code == 0 and "internal error" not in listed.output
    assert COMPLAINT["id"] in listed.stdout
    assert "left out because they are invalid (see `complaints check`)" in listed.stderr
    assert str(_in_year(crowded.root)) in listed.stderr


# --- `show` and `log`: an ID is an ID, and a bad file is told, never hung on -----------------


@pytest.mark.parametrize("command", ["show", "log"])
@pytest.mark.parametrize(
    "typed",
    ["../../OUTSIDE/C-2026-0403-K7Q2", "2026/../../OUTSIDE/C-2026-0403-K7Q2", "/etc/passwd", ".."],
)
def test_an_id_is_never_a_path(crowded, tmp_path, command, typed):
    outside = write_yaml(tmp_path / "OUTSIDE" / f"{COMPLAINT['id']}.yaml", COMPLAINT)
    before = outside.read_bytes()
    args = [command, typed] + (["note", "--note", "hi", "--by", "anna"] if command == "log" else [])
    result = crowded.run(*args)
    assert result.exit_code == 1 and "internal error" not in result.output
    assert f"error: {typed!r} is not a complaint ID: give an ID such as C-2026-0403-K7Q2" in (
        result.stderr
    )
    assert "Double charge" not in result.stdout and outside.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["show", "C-2026\0"],
        ["log", "C-2026-0403-K7Q2\0", "note", "--note", "x", "--by", "anna"],
        ["actions", "done", "A-2026\0"],
        ["check", "register/2026/C-2026-0403-K7Q2.yaml\0"],
    ],
)
def test_a_nul_byte_in_an_argument_is_refused_plainly(crowded, args):
    result = crowded.run(*args)
    assert result.exit_code in (1, 2) and isinstance(result.exception, SystemExit)
    assert "internal error" not in result.output
    assert "holds a NUL byte" in result.output or "\\x00' is not a" in result.output


def test_a_register_folder_named_with_a_nul_byte_is_bad_usage(crowded):
    from click.testing import CliRunner

    from complaints_register.cli.main import cli

    result = CliRunner().invoke(cli, ["--register", f"{crowded.root}\0", "list"])
    assert result.exit_code == 2 and "holds a NUL byte" in result.output


def _linked_complaint(root: Path) -> Path:
    copy = _copy_elsewhere(root)
    os.symlink(os.path.relpath(copy, root / "2026"), _in_year(root))
    return copy


@pytest.mark.parametrize(
    "make, said",
    [
        (_fifo(_in_year), "cannot read: a FIFO (named pipe), not a file"),
        (_linked_complaint, f"cannot read: {NOT_A_FILE}"),
        (lambda root: _in_year(root).mkdir(), "cannot read: a folder, not a file"),
    ],
    ids=["FIFO", "link to a copy", "folder"],
)
@pytest.mark.parametrize("command", ["show", "log"])
def test_show_and_log_refuse_what_is_not_a_file_and_never_hang(crowded, make, said, command):
    root = crowded.root
    target = make(root)
    before = target.read_bytes() if isinstance(target, Path) and target.is_file() else None
    args = [command, HOSTILE] + (
        ["note", "--note", "hi", "--by", "anna"] if command == "log" else []
    )
    result = complaints("--register", str(root), *args, cwd=root.parent)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"register/2026/{HOSTILE}.yaml: {said}" in result.stderr
    assert "recorded" not in result.stdout and "internal error" not in result.stderr
    if before is not None:  # the file the link pointed at is untouched
        assert target.read_bytes() == before


def test_new_and_actions_add_never_write_through_a_link(crowded, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2027").mkdir(parents=True)
    os.symlink(elsewhere / "2027", crowded.root / "2027")
    made = crowded.run(
        "new", "--channel", "email", "--category", "billing", "--summary", "x",
        "--received", "2027-01-05T10:00",
    )  # fmt: skip
    assert made.exit_code == 1
    assert f"{crowded.root / '2027'}: a symbolic link where a year folder belongs" in made.stderr
    _linked_actions_folder(crowded.root)
    added = crowded.run(
        "actions", "add", "--what", "x", "--kind", "corrective", "--owner", "anna",
        "--due", "2026-06-30", "--opened", "2026-04-10", "--complaint", COMPLAINT["id"],
    )  # fmt: skip
    assert added.exit_code == 1
    assert f"{crowded.root / 'actions'}: a symbolic link where actions/ belongs" in added.stderr
    assert not list((elsewhere / "2027").iterdir())
    assert [p.name for p in (crowded.root.parent / "actions").iterdir()] == [
        "A-2026-0410-7KQ2.yaml"
    ]


def test_a_letter_template_that_is_a_link_is_never_read(crowded):
    _linked_letter(crowded.root)
    result = crowded.run("letter", COMPLAINT["id"], "acknowledgement")
    assert result.exit_code == 1 and "root:" not in result.stdout
    assert f"{crowded.root / 'letters' / 'acknowledgement.en.md'}: {NOT_A_FILE}" in result.stderr


def test_a_symlinked_year_folder_is_never_followed_to_a_complaint(crowded):
    _linked_year_folder(crowded.root)
    result = crowded.run("show", "C-2025-0405-CD34")
    assert result.exit_code == 1
    assert "a symbolic link where a year folder belongs" in result.stderr


@pytest.mark.parametrize("command", ["show", "letter"])
def test_show_tells_a_date_at_the_end_of_time_at_its_line(crowded, command):
    _text(AT_THE_END_OF_TIME)(crowded.root)
    args = [command, HOSTILE] + (["acknowledgement"] if command == "letter" else [])
    result = crowded.run(*args)
    assert result.exit_code == 1 and "internal error" not in result.output
    assert f"{_in_year(crowded.root)}:2: received: " in result.stderr


def test_log_refuses_a_file_that_is_not_yaml_and_changes_nothing(crowded):
    path = _in_year(crowded.root)
    path.write_bytes(b"id: \xff\xfe\n")
    result = crowded.run("log", HOSTILE, "note", "--note", "x", "--by", "anna")
    assert result.exit_code == 1 and "internal error" not in result.output
    assert f"{path}:1: not UTF-8 text" in result.stderr
    assert path.read_bytes() == b"id: \xff\xfe\n"


# --- The key folder: resolved before it is held to be outside every repository -------------


def test_a_key_folder_linked_into_a_repository_is_refused(crowded, tmp_path, monkeypatch):
    repository = tmp_path / "some-repository"
    (repository / "private").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    link = tmp_path / "my-keys"
    os.symlink(repository / "private", link)
    monkeypatch.setenv("COMPLAINTS_KEYS", str(link))
    result = crowded.run(
        "new", "--channel", "email", "--category", "billing", "--summary", "x",
        "--contact-email", "someone@example.org",
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"the key folder {link} is inside the Git work tree {repository}" in result.stderr
    assert not list((repository / "private").iterdir())
    assert len(list(crowded.root.glob("2026/*.yaml"))) == 2  # nothing recorded


def test_a_key_file_that_is_a_link_is_never_overwritten(crowded, tmp_path, monkeypatch):
    keys = tmp_path / "keys"
    monkeypatch.setenv("COMPLAINTS_KEYS", str(keys))
    made = crowded.run(
        "new", "--channel", "email", "--category", "billing", "--summary", "x",
        "--received", "2026-04-06T10:00", "--contact-email", "someone@example.org",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    complaint_id = made.stdout.strip()
    key = keys / f"{complaint_id}.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    key.unlink()
    os.symlink(victim, key)
    result = crowded.run("erase", complaint_id, "--by", "anna")
    assert result.exit_code == 1 and "internal error" not in result.output
    assert NOT_A_FILE in result.stderr
    assert victim.read_text() == "precious\n"


# --- Temporary files a killed write left, and permissions -------------------------------------


def _left_by_a_kill(folder: Path, name: str, age: float) -> Path:
    """A temporary file as a write killed mid-way leaves it (mkstemp's name), `age` seconds old."""
    path = folder / f".{name}.k2j_x9q1.tmp"
    path.write_text("id: half a fi")
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_a_write_killed_mid_way_fails_no_check_and_is_cleaned_up_later(crowded):
    root = crowded.root
    year = root / "2026"
    old = _left_by_a_kill(year, f"{COMPLAINT['id']}.yaml", age=3600)
    fresh = _left_by_a_kill(year, f"{OTHER}.yaml", age=0)  # a write going on right now
    in_actions = _left_by_a_kill(root / "actions", "A-2026-0410-7KQ2.yaml", age=3600)
    at_top = _left_by_a_kill(root, "policy.yaml", age=3600)
    result = crowded.run("check")
    assert result.stdout.strip() == other_problem(root)  # nothing about the temporary files
    logged = crowded.run("log", COMPLAINT["id"], "note", "--note", "x", "--by", "anna")
    assert logged.exit_code == 0, logged.output
    assert not old.exists() and fresh.exists()  # an old one is removed, never a fresh one
    assert in_actions.exists() and at_top.exists()  # other folders: when written in


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_log_keeps_the_files_permissions(crowded, mode):
    path = crowded.path(COMPLAINT["id"])
    path.chmod(mode)
    result = crowded.run("log", COMPLAINT["id"], "note", "--note", "x", "--by", "anna")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_new_files_get_a_new_files_permissions(crowded):
    previous = os.umask(0o022)
    try:
        made = crowded.run(
            "new", "--channel", "email", "--category", "billing", "--summary", "x",
            "--received", "2026-04-06T10:00",
        )  # fmt: skip
        added = crowded.run(
            "actions", "add", "--what", "x", "--kind", "corrective", "--owner", "anna",
            "--due", "2026-06-30", "--opened", "2026-04-10", "--complaint", COMPLAINT["id"],
        )  # fmt: skip
    finally:
        os.umask(previous)
    assert made.exit_code == 0 and added.exit_code == 0, made.output + added.output
    for path in (
        crowded.path(made.stdout.strip()),
        crowded.root / "actions" / f"{added.stdout.strip()}.yaml",
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


# --- The ledger: `check --base` refuses a link, a gitlink, a change of type -----------------


@pytest.fixture
def repo(tmp_path) -> GitRegister:
    """A repository whose main branch holds RECORDED, and a branch of it checked out."""
    repo = GitRegister(tmp_path / "top")
    repo.write(RECORDED)
    repo.commit(f"Record {ID}")
    repo.git("checkout", "-q", "-b", "change")
    return repo


def _replace_with_link_to_a_copy(repo: GitRegister) -> None:
    """The first of two pull requests: the file moves out of register/, a link stays."""
    (repo.top / "elsewhere").mkdir()
    repo.path(ID).rename(repo.top / "elsewhere" / f"{ID}.yaml")
    os.symlink(f"../../elsewhere/{ID}.yaml", repo.path(ID))


def _replace_with_gitlink(repo: GitRegister) -> None:
    head = repo.git("rev-parse", "HEAD").stdout.strip()
    name = f"register/2026/{ID}.yaml"
    repo.git("rm", "-q", "--cached", name)
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{head},{name}")
    repo.git("commit", "-q", "-m", "A gitlink")
    repo.path(ID).unlink()
    repo.path(ID).mkdir()  # as a clone checks it out: an empty folder


def _replace_with(make: Callable[[Path], None]) -> Callable[[GitRegister], None]:
    def edit(repo: GitRegister) -> None:
        repo.path(ID).unlink()
        make(repo.path(ID))

    return edit


def _link_a_year_folder(repo: GitRegister) -> None:
    write_yaml(repo.top / "elsewhere" / "2027" / "C-2027-0105-AB12.yaml", hostile_data())
    os.symlink("../elsewhere/2027", repo.root / "2027")
    repo.commit("A year elsewhere")


def _add_a_complaint_as_a_link(repo: GitRegister) -> None:
    copy = write_yaml(repo.top / "elsewhere" / f"{HOSTILE}.yaml", hostile_data())
    os.symlink(os.path.relpath(copy, repo.root / "2026"), repo.path(HOSTILE))
    repo.commit("A complaint elsewhere")


def _committed(edit: Callable[[GitRegister], None]) -> Callable[[GitRegister], None]:
    def both(repo: GitRegister) -> None:
        edit(repo)
        repo.commit("The change")

    return both


TO_LINK = "changed from a file to a symbolic link since"


@pytest.mark.parametrize(
    "edit, path, said",
    [
        pytest.param(
            _replace_with(lambda p: os.symlink("/dev/null", p)), ID, TO_LINK, id="/dev/null"
        ),
        pytest.param(_replace_with(lambda p: os.symlink("gone", p)), ID, TO_LINK, id="dangling"),
        pytest.param(_replace_with_link_to_a_copy, ID, TO_LINK, id="link to a copy"),
        pytest.param(_committed(_replace_with_link_to_a_copy), ID, TO_LINK, id="committed link"),
        pytest.param(
            _replace_with_gitlink,
            ID,
            "changed from a file to a gitlink (a submodule) since",
            id="gitlink",
        ),
        pytest.param(
            _replace_with(os.mkfifo), ID, "cannot read: a FIFO (named pipe), not a file", id="FIFO"
        ),
        pytest.param(_link_a_year_folder, "2027", "a symbolic link, added since", id="linked year"),
        pytest.param(
            _add_a_complaint_as_a_link, HOSTILE, "a symbolic link, added since", id="new link"
        ),
    ],
)
def test_check_base_refuses_what_is_not_a_file(repo, edit, path, said):
    edit(repo)
    shown = repo.path(path) if path.startswith("C-") else repo.root / path
    result = complaints("--register", str(repo.root), "check", "--base", "main", cwd=repo.top)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{shown.relative_to(repo.top)}: {said}" in result.stdout
    assert "internal error" not in result.stderr


def test_two_pull_requests_cannot_move_a_complaint_out_of_the_ledger(repo):
    """The first moves the file out of register/ behind a link; the second rewrites its
    events where nothing would check them. Each is refused."""
    _replace_with_link_to_a_copy(repo)
    repo.commit("Tidy up")
    first = complaints("--register", str(repo.root), "check", "--base", "main", cwd=repo.top)
    assert first.returncode == 1 and TO_LINK in first.stdout
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "change")  # merged all the same
    repo.git("checkout", "-q", "-b", "second")
    moved = repo.top / "elsewhere" / f"{ID}.yaml"
    moved.write_text(moved.read_text().replace("priority: normal", "priority: urgent"))
    repo.commit("Rewrite")
    second = complaints("--register", str(repo.root), "check", "--base", "main", cwd=repo.top)
    assert second.returncode == 1
    assert f"register/2026/{ID}.yaml: {NOT_A_FILE}" in second.stdout
