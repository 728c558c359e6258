"""Tracking codes and the sealed entries of "Follow your complaint" (DESIGN.md section 6, "The complainant's side")."""

import hashlib
import json
import stat
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, complaint, policy, write_yaml
from cryptography.exceptions import InvalidTag

from complaints_register.cli.main import cli
from complaints_register.core import tracking
from complaints_register.core.tracking import (
    Tracked,
    entry_name,
    follow_address,
    master_key,
    normalized_code,
    opened,
    padded_count,
    sealed,
    secret_bytes,
    tracking_code,
)
from complaints_register.store import tracking as store_tracking
from complaints_register.store.register import Register

SECRET = "a-secret-for-the-tests-only-0123"


def run(*args: str):
    """The CLI on the example register, in this process."""
    return CliRunner().invoke(cli, ["--register", str(EXAMPLE), *args])


# RFC 4231, test case 1: HMAC-SHA256(key 0x0b * 20, "Hi There") =
# b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7. Its first 60 bits,
# b0344c61d8db385, in RFC 4648 base32 are WA2EYYOY3M4F (base64.b32encode of the first 8
# bytes, cut to 12 letters); letter for letter in Crockford's alphabet: P0T4RRERVCW5.
def test_the_code_is_the_first_60_bits_of_the_hmac_in_crockford_base32():
    assert tracking_code(b"\x0b" * 20, "Hi There") == "P0T4-RRER-VCW5"


def test_a_code_has_at_least_50_bits_and_depends_on_id_and_secret():
    code = tracking_code(SECRET.encode(), "C-2026-0403-K7Q2")
    letters = code.replace("-", "")
    assert len(letters) * 5 >= 50 and set(letters) <= set(tracking.CROCKFORD)
    assert tracking_code(SECRET.encode(), "C-2026-0403-K7Q3") != code
    assert tracking_code(SECRET.encode() + b"x", "C-2026-0403-K7Q2") != code


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("P0T4-RRER-VCW5", "P0T4RRERVCW5"),
        (" p0t4 rrer vcw5 ", "P0T4RRERVCW5"),
        ("POT4-RRER-VCW5", "P0T4RRERVCW5"),  # O read as 0
        ("1LI1-0000-0000", "111100000000"),  # I and L read as 1
        ("P0T4-RRER-VCW", None),  # one letter short
        ("P0T4-RRER-VCWU", None),  # U is not in Crockford's alphabet
        ("", None),
    ],
)
def test_a_typed_code_is_read_the_crockford_way(typed, canonical):
    assert normalized_code(typed) == canonical


@pytest.mark.parametrize("value", ["", None])
def test_no_secret_means_no_tracking(value):
    assert secret_bytes(value) is None


def test_a_short_secret_is_refused():
    with pytest.raises(ValueError, match="at least 16 characters"):
        secret_bytes("fifteen-chars!!")
    assert secret_bytes("sixteen-chars!!!") == b"sixteen-chars!!!"


def test_the_master_key_is_pbkdf2_sha256_with_600000_rounds_salted_with_the_id():
    assert tracking.ITERATIONS >= 600_000
    expected = hashlib.pbkdf2_hmac(
        "sha256", b"P0T4RRERVCW5", b"complaints-register tracking 1:C-1", 600_000, 32
    )
    assert master_key("C-1", "p0t4-rrer-vcw5") == expected


def test_an_entry_opens_with_its_own_key_only():
    master, other = b"\x01" * 32, b"\x02" * 32
    entry = Tracked(
        "investigating", 1, "respond", date(2026, 12, 4), date(2026, 11, 20), date(2026, 11, 23)
    )
    content = sealed(master, entry, b"\x00" * 12)
    assert opened(master, content) == {
        "status": "investigating",
        "stage": 1,
        "next": "respond",
        "due": "2026-12-04",
        "changed": "2026-11-20",
        "as_of": "2026-11-23",
    }
    with pytest.raises(InvalidTag):
        opened(other, content)
    assert entry_name(master) != entry_name(other) and len(entry_name(master)) == 32
    # Every entry is as long as every other: a closed complaint's is not shorter.
    short = Tracked("closed", 1, None, None, date(2026, 1, 2), date(2026, 11, 23))
    assert len(sealed(master, short, b"\x00" * 12)) == len(content)


@pytest.mark.parametrize(
    "count, published", [(0, 256), (1, 256), (256, 256), (257, 512), (10_000, 16_384)]
)
def test_the_number_of_entries_is_rounded_up(count, published):
    assert padded_count(count) == published


def test_the_follow_page_address_in_each_language():
    assert follow_address("https://x.org/c", "en", "en") == "https://x.org/c/follow/"
    assert follow_address("https://x.org/c/", "fa", "en") == "https://x.org/c/fa/follow/"


def _register(tmp_path):
    root = tmp_path / "register"
    write_yaml(root / "policy.yaml", policy())
    cases = [
        complaint(id="C-2026-0403-AAA1", received="2026-04-03T09:00:00+02:00"),
        complaint(
            {"type": "acknowledged", "at": "2026-11-03", "by": "anna"},
            id="C-2026-1102-BBB2",
            received="2026-11-02T09:00:00+01:00",
        ),
    ]
    for case in cases:
        write_yaml(root / "2026" / f"{case['id']}.yaml", case)
    return root, [case["id"] for case in cases]


def test_the_entry_files_hold_every_complaint_sealed_and_nothing_readable(tmp_path, monkeypatch):
    from complaints_register.core.status import facts as facts_of
    from complaints_register.core.working_days import calendar_for
    from complaints_register.store.check import valid_complaint

    root, ids = _register(tmp_path)
    register = Register(root)
    the_policy = register.policy()
    calendar = calendar_for(the_policy)
    as_of = date(2026, 11, 23)
    found = [
        facts_of(valid_complaint(register.path_for(i), calendar), the_policy, calendar, as_of)
        for i in ids
    ]
    files = store_tracking.entry_files(root, found, calendar, SECRET.encode())
    assert sorted(files) == [f"{i:02x}.json" for i in range(256)]
    entries = {}
    for name, text in files.items():
        for entry, content in json.loads(text).items():
            assert entry.startswith(name[:2])
            entries[entry] = content
    assert len(entries) == 256  # two complaints, padded
    text = "".join(files.values())
    masters = {}
    for complaint_id in ids:
        code = tracking_code(SECRET.encode(), complaint_id)
        assert complaint_id not in text and code not in text and code.replace("-", "") not in text
        masters[complaint_id] = master_key(complaint_id, code)
        assert entry_name(masters[complaint_id]) in entries
    second = opened(masters[ids[1]], entries[entry_name(masters[ids[1]])])
    # Received 2 November (day zero), acknowledged 3 November; 20 working days in Italy
    # from 2 November: 3-6, 9-13, 16-20, 23-27, 30 November = 20 -> due 30 November.
    assert second == {
        "status": "acknowledged",
        "stage": 1,
        "next": "respond",
        "due": "2026-11-30",
        "changed": "2026-11-03",
        "as_of": "2026-11-23",
    }


def test_derived_keys_are_kept_in_the_cache_and_used_again(tmp_path, monkeypatch):
    import subprocess

    root, ids = _register(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    pairs = [(i, tracking_code(SECRET.encode(), i)) for i in ids]
    first = store_tracking.master_keys(root, pairs)
    kept = tmp_path / ".git" / "complaints-cache" / "tracking-keys.json"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    stored = json.loads(kept.read_text())
    assert len(stored) == 2 and not any(i in kept.read_text() for i in ids)

    def slow(*args):
        raise AssertionError("derived again, although the cache has it")

    monkeypatch.setattr(store_tracking, "master_key", slow)
    assert store_tracking.master_keys(root, pairs) == first
    # Only the keys of this run are kept: a complaint gone from the register drops out.
    store_tracking.master_keys(root, pairs[:1])
    assert len(json.loads(kept.read_text())) == 1


def test_a_cache_of_a_large_register_is_read_too(tmp_path, monkeypatch):
    # 10,000 complaints make a cache file of 1.36 MB, more than a register file may be.
    import subprocess

    root, ids = _register(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    pairs = [(i, tracking_code(SECRET.encode(), i)) for i in ids]
    stored = {f"{n:064x}": "ab" * 32 for n in range(10_000)}
    stored.update({store_tracking._cache_key(*pair): "cd" * 32 for pair in pairs})
    folder = tmp_path / ".git" / "complaints-cache"
    folder.mkdir()
    (folder / "tracking-keys.json").write_text(json.dumps(stored))
    assert (folder / "tracking-keys.json").stat().st_size > 1_000_000

    def slow(*args):
        raise AssertionError("derived again, although the cache has it")

    monkeypatch.setattr(store_tracking, "master_key", slow)
    assert store_tracking.master_keys(root, pairs) == [b"\xcd" * 32] * 2


def test_the_command_prints_the_code_and_refuses_without_a_secret(monkeypatch):
    monkeypatch.setenv("COMPLAINTS_TRACKING_SECRET", SECRET)
    result = run("tracking-code", "C-2026-1029-Q5GF")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == tracking_code(SECRET.encode(), "C-2026-1029-Q5GF")
    monkeypatch.delenv("COMPLAINTS_TRACKING_SECRET")
    result = run("tracking-code", "C-2026-1029-Q5GF")
    assert result.exit_code == 2 and "COMPLAINTS_TRACKING_SECRET is not set" in result.stderr
    assert result.stdout == ""


def test_the_acknowledgement_carries_the_code_and_the_page_when_a_secret_is_set(monkeypatch):
    args = ("letter", "C-2026-1029-Q5GF", "acknowledgement")
    args += ("--as-of", "2026-11-23", "--format", "text")
    monkeypatch.delenv("COMPLAINTS_TRACKING_SECRET", raising=False)
    without = run(*args)
    assert without.exit_code == 0, without.stderr
    monkeypatch.setenv("COMPLAINTS_TRACKING_SECRET", SECRET)
    monkeypatch.setenv("COMPLAINTS_SITE_URL", "https://lagoon.example.org/complaints")
    with_code = run(*args)
    assert with_code.exit_code == 0, with_code.stderr
    code = tracking_code(SECRET.encode(), "C-2026-1029-Q5GF")
    flat = " ".join(with_code.stdout.split())
    assert code not in without.stdout and "follow/" not in without.stdout
    # The complainant's language is Ukrainian: the page is in the uk/ folder.
    assert code in flat and "https://lagoon.example.org/complaints/uk/follow/" in flat


def test_without_a_secret_the_site_is_built_without_the_page_and_says_so(
    tmp_path_factory, monkeypatch
):
    from sites import built, every_file

    # The tempting register's site is built without a secret (tests/sites.py), and shared
    # with the site tests.
    site, result = built("tempting", tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    assert "COMPLAINTS_TRACKING_SECRET is not set" in result.stderr
    assert not (site / "follow").exists() and not (site / "fa" / "follow").exists()
    assert not (site / "tracking").exists()
    for path, text in every_file(site):  # no link leads to the missing page
        if path.suffix == ".html":
            assert "follow/" not in text, path
