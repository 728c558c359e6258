"""Encrypted contact blocks: keys outside the repository, `contact`, `erase` (crypto-shredding,
checked against every commit of a real Git history) and `retention`."""

import json
import stat
import subprocess
from pathlib import Path

import pyrage
import pytest
import yaml
from click.testing import CliRunner
from conftest import POLICY, complaint, write_yaml

from complaints_register.cli.main import cli
from complaints_register.store.contact import (
    ContactError,
    KeyFolder,
    configured_folder,
    new_identity,
    opened,
    sealed,
)

DETAILS = {
    "email": "mario.rossi@example.org",
    "phone": "+39 347 123 4567",
    "address": "Via Roma 1, 30121 Venezia",
}


@pytest.fixture
def keys(tmp_path, monkeypatch) -> Path:
    """The key folder, outside any repository, named the way users name it."""
    folder = tmp_path / "keys"
    monkeypatch.setenv("COMPLAINTS_KEYS", str(folder))
    return folder


def new_with_contact(register, *options: str) -> str:
    result = register.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Double charge",
        "--received",
        "2025-01-10T09:00",
        "--complainant-ref",
        "CRM-48213",
        *options,
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


CONTACT_OPTIONS = (
    "--contact-email",
    DETAILS["email"],
    "--contact-phone",
    DETAILS["phone"],
    "--contact-address",
    DETAILS["address"],
)


# Sealing and opening.


@pytest.mark.parametrize(
    "details",
    [
        DETAILS,
        {"email": "ana@example.id"},
        {"address": "تهران، خیابان آزادی، پلاک ۱۲"},
        {"phone": "+380 44 123 4567", "address": "Київ, вул. Хрещатик, 1"},
    ],
)
def test_sealed_details_open_with_their_key(details):
    identity = new_identity()
    block = sealed(details, identity.to_public())
    assert block.startswith("-----BEGIN AGE ENCRYPTED FILE-----\n")
    assert opened(block, identity) == details
    for value in details.values():
        assert value not in block


def test_another_key_cannot_open_a_block():
    block = sealed(DETAILS, new_identity().to_public())
    with pytest.raises(pyrage.DecryptError):
        opened(block, new_identity())


# Recording and reading.


def test_new_stores_the_key_outside_and_contact_prints_what_was_stored(register, keys):
    complaint_id = new_with_contact(register, *CONTACT_OPTIONS)
    data = yaml.safe_load(register.path(complaint_id).read_text())
    assert data["complainant"]["ref"] == "CRM-48213"
    assert data["complainant"]["contact"].startswith("-----BEGIN AGE ENCRYPTED FILE-----")
    assert DETAILS["email"] not in register.path(complaint_id).read_text()
    key = keys / f"{complaint_id}.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    shown = register.run("contact", complaint_id)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout == (
        "email    mario.rossi@example.org\n"
        "phone    +39 347 123 4567\n"
        "address  Via Roma 1, 30121 Venezia\n"
    )
    as_json = register.run("contact", complaint_id[:12], "--format", "json")
    assert json.loads(as_json.stdout) == DETAILS


def test_the_check_passes_and_does_not_look_inside_the_block(register, keys):
    new_with_contact(register, *CONTACT_OPTIONS)
    result = register.run("check")
    assert result.exit_code == 0, result.output


def test_only_the_details_given_are_stored(register, keys):
    complaint_id = new_with_contact(register, "--contact-phone", "+39 347 123 4567")
    result = register.run("contact", complaint_id, "--format", "json")
    assert json.loads(result.stdout) == {"phone": "+39 347 123 4567"}


def test_contact_of_a_complaint_without_a_block(register, keys):
    complaint_id = new_with_contact(register)
    result = register.run("contact", complaint_id)
    assert result.exit_code == 1
    assert f"{complaint_id} has no contact block" in result.stderr


def test_a_refused_complaint_leaves_no_key(register, keys):
    result = register.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "write to mario@example.org",
        *CONTACT_OPTIONS,
    )
    assert result.exit_code == 1
    assert "looks like an e-mail address" in result.output
    assert not list(register.root.glob("*/*.yaml"))
    assert not list(keys.glob("*"))


def test_a_complaint_that_cannot_be_written_leaves_no_key(register, keys):
    (register.root / "2025").write_text("a file where the year's folder should be")
    result = register.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Double charge",
        "--received",
        "2025-01-10T09:00",
        *CONTACT_OPTIONS,
    )
    assert result.exit_code == 1
    assert not list(keys.glob("*"))


@pytest.mark.parametrize(
    "block, why",
    [
        ("mario.rossi@example.org", "plain text"),
        ("-----BEGIN PGP MESSAGE-----\nhQEMA1234\n-----END PGP MESSAGE-----\n", "another armor"),
        (
            "-----BEGIN AGE ENCRYPTED FILE-----\nbm90IGFnZQ==\n-----END AGE ENCRYPTED FILE-----\n",
            "base64 of 'not age'",
        ),
        ("-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCg\n", "cut short"),
    ],
)
def test_a_contact_that_is_not_an_age_block_is_refused(register, block, why):
    path = register.add(complaint(complainant={"ref": "CRM-1", "contact": block}))
    result = register.run("check")
    assert result.exit_code == 1, why
    assert (
        f"{path}:" in result.output
        and "complainant.contact: not an age-encrypted block" in result.output
    )


# Where the keys are.


def test_the_environment_names_the_key_folder_before_the_config_file(tmp_path):
    config = tmp_path / "config" / "complaints" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('keys = "/srv/complaint-keys"\n')
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    assert configured_folder(environ) == Path("/srv/complaint-keys")
    assert configured_folder({**environ, "COMPLAINTS_KEYS": "/mnt/keys"}) == Path("/mnt/keys")


def test_the_config_file_is_in_home_config_without_xdg(tmp_path):
    config = tmp_path / ".config" / "complaints" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('keys = "keys"  # relative to this file\n')
    assert configured_folder({"HOME": str(tmp_path)}) == config.parent / "keys"


@pytest.mark.parametrize(
    "text, message",
    [
        (None, "no key folder is configured: set COMPLAINTS_KEYS"),
        ('keys = "/a\n', "not valid TOML"),
        ('key = "/a"\n', "(unknown: key)"),
        ("keys = 3\n", 'expected one setting, keys = "'),
    ],
)
def test_a_missing_or_bad_configuration_is_explained(tmp_path, text, message):
    config = tmp_path / "complaints" / "config.toml"
    if text is not None:
        config.parent.mkdir(parents=True)
        config.write_text(text)
    with pytest.raises(ContactError) as raised:
        configured_folder({"XDG_CONFIG_HOME": str(tmp_path)})
    assert message in str(raised.value)


def test_a_key_folder_in_a_git_work_tree_is_refused(register, tmp_path, monkeypatch):
    repo = tmp_path / "some-repository"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.setenv("COMPLAINTS_KEYS", str(repo / "private" / "keys"))
    result = register.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Double charge",
        *CONTACT_OPTIONS,
    )
    assert result.exit_code == 1
    assert f"is inside the Git work tree {repo}" in result.stderr
    assert not (repo / "private").exists()
    assert not list(register.root.glob("*/*.yaml"))


def test_a_key_folder_in_the_register_is_refused(register, monkeypatch):
    monkeypatch.setenv("COMPLAINTS_KEYS", str(register.root / "keys"))
    result = register.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Double charge",
        *CONTACT_OPTIONS,
    )
    assert result.exit_code == 1
    assert "is inside the register's folder" in result.stderr
    assert not (register.root / "keys").exists()


# Erasing.


def test_erase_destroys_the_key_and_records_the_event(register, keys):
    complaint_id = new_with_contact(register, *CONTACT_OPTIONS)
    result = register.run(
        "erase", complaint_id, "--by", "anna", "--reason", "the complainant asked"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{complaint_id}: key destroyed, erased recorded\n"
    assert not (keys / f"{complaint_id}.key").exists()
    events = yaml.safe_load(register.path(complaint_id).read_text())["events"]
    assert [(e["type"], e["by"], e["note"]) for e in events] == [
        ("erased", "anna", "the complainant asked")
    ]
    shown = register.run("contact", complaint_id)
    assert shown.exit_code == 1
    assert "were erased: its key is destroyed" in shown.stderr
    again = register.run("erase", complaint_id, "--by", "anna")
    assert again.exit_code == 1
    assert "was erased already" in again.stderr


def test_destroy_overwrites_the_key_before_removing_it(tmp_path):
    folder = KeyFolder(tmp_path / "keys")
    identity = new_identity()
    folder.store("C-2026-0403-K7Q2", identity)
    # A second name for the same file shows what was left on disk after the unlink.
    other_name = tmp_path / "other-name"
    other_name.hardlink_to(folder.key_path("C-2026-0403-K7Q2"))
    folder.destroy("C-2026-0403-K7Q2")
    assert not folder.key_path("C-2026-0403-K7Q2").exists()
    assert str(identity).encode() not in other_name.read_bytes()


def test_a_key_is_never_replaced(tmp_path):
    folder = KeyFolder(tmp_path / "keys")
    folder.store("C-2026-0403-K7Q2", new_identity())
    with pytest.raises(ContactError, match="a key is never replaced"):
        folder.store("C-2026-0403-K7Q2", new_identity())


def test_erase_without_the_key_changes_nothing(register, keys, tmp_path, monkeypatch):
    complaint_id = new_with_contact(register, *CONTACT_OPTIONS)
    before = register.path(complaint_id).read_text()
    monkeypatch.setenv("COMPLAINTS_KEYS", str(tmp_path / "another-folder"))
    result = register.run("erase", complaint_id, "--by", "anna")
    assert result.exit_code == 1
    assert f"no key for {complaint_id}" in result.stderr
    assert register.path(complaint_id).read_text() == before


def test_a_refused_erased_event_keeps_the_key(register, keys):
    complaint_id = new_with_contact(register, *CONTACT_OPTIONS)
    path = register.path(complaint_id)
    path.write_text(path.read_text().replace("category: billing", "category: plumbing"))
    before = path.read_text()
    result = register.run("erase", complaint_id, "--by", "anna")
    assert result.exit_code == 1
    assert "'plumbing' is not one of the policy's categories" in result.output
    assert (keys / f"{complaint_id}.key").exists()
    assert path.read_text() == before


def test_erase_without_a_block_records_the_event(register, keys):
    complaint_id = new_with_contact(register)
    result = register.run("erase", complaint_id, "--by", "anna")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{complaint_id}: no contact key to destroy; erased recorded\n"
    events = yaml.safe_load(register.path(complaint_id).read_text())["events"]
    assert [e["type"] for e in events] == ["erased"]


# Crypto-shredding, checked on a real Git history.


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=Anna",
            "-c",
            "user.email=anna@example.org",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def contact_blocks(repo: Path, commit: str) -> dict[str, str]:
    """The contact block of every complaint file in `commit`, by file."""
    files = git(repo, "ls-tree", "-r", "--name-only", commit, "register").split()
    blocks = {}
    for name in files:
        data = yaml.safe_load(git(repo, "show", f"{commit}:{name}"))
        contact = (data.get("complainant") or {}).get("contact") if isinstance(data, dict) else None
        if contact:
            blocks[name] = contact
    return blocks


def test_after_erase_no_commit_holds_a_block_the_remaining_keys_open(tmp_path, monkeypatch):
    repo, keys = tmp_path / "repository", tmp_path / "keys"
    monkeypatch.setenv("COMPLAINTS_KEYS", str(keys))
    git(tmp_path, "init", "-q", str(repo))
    write_yaml(repo / "register" / "policy.yaml", POLICY)

    def run(*args):
        result = CliRunner().invoke(cli, ["--register", str(repo / "register"), *args])
        assert result.exit_code == 0, result.output
        return result.stdout.strip()

    def commit(message):
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", message)

    new = (
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Double charge",
        "--received",
        "2025-01-10T09:00",
    )
    erased_id = run(*new, *CONTACT_OPTIONS)
    kept_id = run(*new, "--contact-email", "other@example.org")
    commit("Record two complaints")
    run("log", erased_id, "acknowledged", "--at", "2025-01-13", "--by", "anna")
    commit("Acknowledge")
    run(
        "log",
        erased_id,
        "assessed",
        "--at",
        "2025-01-14",
        "--by",
        "anna",
        "--priority",
        "normal",
        "--handler",
        "marco",
    )
    path = repo / "register" / "2025" / f"{erased_id}.yaml"
    path.write_text(
        path.read_text().replace("summary: Double charge", "summary: Double charge in January")
    )
    commit("Assess, and a clearer summary")
    assert json.loads(run("contact", erased_id, "--format", "json")) == DETAILS

    secret = (keys / f"{erased_id}.key").read_text()
    run("erase", erased_id, "--by", "anna", "--reason", "the complainant asked")
    commit("Erase the contact details")

    commits = git(repo, "rev-list", "--all").split()
    assert len(commits) == 4
    remaining = KeyFolder(keys).identities()
    assert len(remaining) == 1  # the other complainant's key
    erased_file = f"register/2025/{erased_id}.yaml"
    for commit_id in commits:
        blocks = contact_blocks(repo, commit_id)
        assert erased_file in blocks  # every commit still holds a copy...
        for identity in remaining:  # ...which nothing that remains can open
            with pytest.raises(pyrage.DecryptError):
                opened(blocks[erased_file], identity)
        assert opened(blocks[f"register/2025/{kept_id}.yaml"], remaining[0]) == {
            "email": "other@example.org"
        }
    assert not (keys / f"{erased_id}.key").exists()
    assert all(secret.split()[-1] not in p.read_text() for p in keys.iterdir())
    head = yaml.safe_load(git(repo, "show", f"HEAD:{erased_file}"))
    assert head["events"][-1]["type"] == "erased"
    assert head["events"][-1]["note"] == "the complainant asked"


# Retention: the policy keeps personal data 6 years after handling ended.


def _closed(complaint_id, received, closed, *more):
    return complaint(
        {"type": "acknowledged", "at": received, "by": "anna"},
        {"type": "responded", "at": received, "by": "marco", "outcome": "upheld"},
        {"type": "closed", "at": closed, "by": "marco"},
        *more,
        id=complaint_id,
        received=f"{received}T09:00:00+01:00",
    )


RETENTION_REGISTER = [
    # A: closed 2025-02-10, so due from 2031-02-10
    _closed("C-2025-0203-AAAA", "2025-02-03", "2025-02-10"),
    # B: withdrawn 2025-03-05, due from 2031-03-05
    complaint(
        {"type": "withdrawn", "at": "2025-03-05", "by": "anna"},
        id="C-2025-0303-BBBB",
        received="2025-03-03T09:00:00+01:00",
    ),
    # C: referred 2025-01-20, due from 2031-01-20
    complaint(
        {"type": "referred", "at": "2025-01-20", "by": "anna", "to": "ombudsman"},
        id="C-2025-0115-CCCC",
        received="2025-01-15T09:00:00+01:00",
    ),
    # D: closed, but already erased: never listed
    _closed(
        "C-2025-0106-DDDD",
        "2025-01-06",
        "2025-01-08",
        {"type": "erased", "at": "2025-02-01", "by": "anna"},
    ),
    # E: still open: never listed
    complaint(
        {"type": "acknowledged", "at": "2025-01-07", "by": "anna"},
        id="C-2025-0106-EEEE",
        received="2025-01-06T09:00:00+01:00",
    ),
    # F: closed 2025-01-31, reopened, answered and closed again 2025-03-20: due from 2031-03-20
    _closed(
        "C-2025-0127-FFFF",
        "2025-01-27",
        "2025-01-31",
        {"type": "reopened", "at": "2025-02-14", "by": "anna"},
        {"type": "responded", "at": "2025-03-18", "by": "marco", "outcome": "upheld"},
        {"type": "closed", "at": "2025-03-20", "by": "marco"},
    ),
    # G: answered but never closed: its handling has not ended
    complaint(
        {"type": "responded", "at": "2025-01-09", "by": "marco", "outcome": "upheld"},
        id="C-2025-0108-GGGG",
        received="2025-01-08T09:00:00+01:00",
    ),
    # H: closed on 29 February 2024; 2030 has no 29 February, so due from 2030-02-28
    _closed("C-2024-0220-HHHH", "2024-02-20", "2024-02-29"),
    # J: erased, but the erasure was retracted: listed like A (closed 2025-02-12)
    _closed(
        "C-2025-0210-JJJJ",
        "2025-02-10",
        "2025-02-12",
        {"type": "erased", "at": "2025-02-13", "by": "anna"},
        {
            "type": "retracted",
            "at": "2025-02-14",
            "by": "anna",
            "event": 3,
            "reason": "logged on the wrong complaint",
        },
    ),
]


@pytest.mark.parametrize(
    "as_of, listed",
    [
        ("2030-02-27", []),
        ("2030-02-28", ["C-2024-0220-HHHH"]),
        ("2031-01-20", ["C-2024-0220-HHHH", "C-2025-0115-CCCC"]),
        ("2031-02-11", ["C-2024-0220-HHHH", "C-2025-0115-CCCC", "C-2025-0203-AAAA"]),
        (
            "2031-03-19",
            [
                "C-2024-0220-HHHH",
                "C-2025-0115-CCCC",
                "C-2025-0203-AAAA",
                "C-2025-0210-JJJJ",
                "C-2025-0303-BBBB",
            ],
        ),
        (
            "2031-03-20",
            [
                "C-2024-0220-HHHH",
                "C-2025-0115-CCCC",
                "C-2025-0203-AAAA",
                "C-2025-0210-JJJJ",
                "C-2025-0303-BBBB",
                "C-2025-0127-FFFF",
            ],
        ),
    ],
)
def test_retention_lists_what_is_past_its_period(register, as_of, listed):
    for data in RETENTION_REGISTER:
        register.add(data)
    result = register.run("retention", "--as-of", as_of, "--format", "json")
    assert [row["id"] for row in json.loads(result.stdout)] == listed
    assert result.exit_code == (1 if listed else 0)


def test_retention_rows_say_how_and_when_handling_ended(register, keys):
    register.add(RETENTION_REGISTER[1])
    result = register.run("retention", "--as-of", "2031-03-05", "--format", "csv")
    assert result.stdout == (
        "id,status,ended,erase_from,contact\nC-2025-0303-BBBB,withdrawn,2025-03-05,2031-03-05,no\n"
    )
    with_contact = new_with_contact(register, "--contact-email", "a@example.org")
    register.run("log", with_contact, "withdrawn", "--at", "2025-01-11", "--by", "anna")
    result = register.run("retention", "--as-of", "2031-03-05")
    assert result.exit_code == 1
    assert f"{with_contact}   withdrawn   2025-01-11   2031-01-11   yes" in result.stdout


def test_retention_on_a_register_with_nothing_due(register):
    result = register.run("retention", "--as-of", "2026-01-01")
    assert result.exit_code == 0
    assert "no complaint is past its retention period" in result.stderr
