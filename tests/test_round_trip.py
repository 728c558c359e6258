"""Every text the tool writes reads back as that same text, in YAML 1.1 and 1.2 readers.

The writer is ruamel.yaml (YAML 1.2); the register's reader and many other tools follow
YAML 1.1, where `no` is false and `12:30:45` is a number. Each value goes through the real
command line, and is then read back by the register's reader, by PyYAML (pure Python and
libyaml) and by ruamel.yaml's safe loader (YAML 1.2, and YAML 1.1 as its specification
reads it).
"""

import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import POLICY, complaint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from complaints_register.cli.main import cli
from complaints_register.core.personal_data import found_in
from complaints_register.schema import Complaint, Policy
from complaints_register.store.register import from_bytes
from complaints_register.store.yamlsafe import parse

TRICKY = [
    # YAML 1.1 bools, in the cases 1.1 reads them (1.2 reads only true and false)
    "no",
    "yes",
    "on",
    "NO",
    "Off",
    "y",
    "N",
    "true",
    # nulls
    "~",
    "null",
    # numbers: sexagesimal (1.1), exponent without a dot (1.2), hex, octal (1.2), underscores
    "12:30:45",
    "1e3",
    "0x1A",
    "0o17",
    "1_000",
    ".inf",
    "-.inf",
    ".nan",
    # a date, a date-time
    "2026-01-01",
    "2026-01-01 10:00:00",
    # merge key and value key
    "<<",
    "=",
    # spaces at the ends
    " leading",
    "trailing ",
    " ",
    # indicators at the start
    "@home",
    "%YAML",
    "!important",
    "&anchor",
    "*alias",
    "#1 complaint",
    "- a list?",
    ": a value",
    "? a key",
    "?",
    ":",
    "-",
    "|",
    "> folded",
    "'quoted'",
    '"double"',
    "---",
    "...",
    # indicators inside
    "why was I charged twice?",
    "a?b",
    "time: now",
    "a:b",
    "one, two",
    "[not a list]",
    "{not: a map}",
    "text # not a comment",
    # line breaks, tabs, control characters
    "first line\nsecond line",
    "trailing break\n",
    "\nleading break",
    "blank\n\nline",
    "space \nbefore break",
    "windows\r\nbreak",
    "tab\tinside",
    "\ttab first",
    "tab last\t",
    "next line\x85(NEL)",
    "line \u2028 separator",
    "paragraph\u2029separator",
    "bell\x07",
    "nul\x00",
    "delete\x7f",
    # unicode
    "Città, però: è così",
    "Заява щодо рахунку",
    "شکایت درباره صورتحساب",
    "雪 ☃ 😀",
    "\ufeffbom first",
    "non\xa0breaking",
    # long: longer than the writer's line width
    " ".join(["word"] * 1200) + "?",
]


def _ids(value: str) -> str:
    return repr(value)[:40]


def _pyyaml_c_loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_back(path: Path) -> dict[str, object]:
    """The file read by each reader: the register's own, PyYAML in pure Python and with
    libyaml, and ruamel.yaml's safe loader as YAML 1.2 and as YAML 1.1."""
    text = path.read_text(encoding="utf-8")
    readings = {
        "register": parse(text.encode("utf-8")).data,
        "pyyaml": yaml.safe_load(text),
        "libyaml": yaml.load(text, Loader=_pyyaml_c_loader()),
        "ruamel 1.2": YAML(typ="safe", pure=True).load(io.StringIO(text)),
        "ruamel 1.1": _yaml_1_1().load(io.StringIO(text)),
    }
    return readings


def _yaml_1_1() -> YAML:
    """ruamel.yaml reading YAML 1.1 as its specification says: `y` and `n` are bools too."""
    reader = YAML(typ="safe", pure=True)
    reader.version = (1, 1)
    return reader


def _new(register, *options: str) -> str:
    result = register.run(
        "new", "--channel", "email", "--category", "billing", "--language", "en", *options
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def _log(register, complaint_id: str, *args: str) -> None:
    result = register.run("log", complaint_id, *args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("value", TRICKY, ids=_ids)
def test_every_text_reads_back_as_written(register, value):
    complaint_id = _new(register, f"--summary={value}", f"--complainant-ref={value}")
    _log(register, complaint_id, "note", f"--note={value}")
    _log(register, complaint_id, "acknowledged", f"--by={value}")

    path = register.path(complaint_id)
    for reader, data in read_back(path).items():
        assert isinstance(data, dict), reader
        assert data["summary"] == value, reader
        assert data["complainant"] == {"ref": value}, reader
        assert data["events"][0]["note"] == value, reader
        assert data["events"][1]["by"] == value, reader
    loaded = from_bytes(path, path.read_bytes(), Complaint)
    assert loaded.problems == [] and loaded.model is not None
    assert loaded.model.summary == value


def test_written_text_stays_plain_where_every_reader_agrees(register):
    """Quotes only where they are needed: ordinary text is written as people write it."""
    complaint_id = _new(register, "--summary=Double charge, again. Why?")
    _log(register, complaint_id, "note", "--note=Called back", "--by=anna")
    _log(register, complaint_id, "note", "--note=Why?", "--by=no")
    text = register.path(complaint_id).read_text(encoding="utf-8")
    assert "\nsummary: Double charge, again. Why?\n" in text
    assert "note: Called back}" in text
    # In a one-line event, `?` is an indicator to YAML 1.1; `no` is false to it.
    assert "by: 'no', note: 'Why?'}" in text


HAND_WRITTEN = """\
# yaml-language-server: $schema=../../schema/json/complaint.schema.json
id: C-2026-0403-K7Q2
received: 2026-04-03T09:12:00+02:00   # by telephone
channel: email
language: it
category: billing
summary: "Double charge"               # hand-written, in double quotes
desired_outcome: 'Refund?'
events:
  - {type: note, at: 2026-04-04, by: anna, note: why?}   # plain: libyaml reads it
"""


def test_appending_keeps_what_was_already_written(register):
    """What a person wrote keeps its form (comments, quotes, a plain value the writer would
    now quote) when an event is appended; only the new event is new."""
    path = register.path("C-2026-0403-K7Q2")
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    _log(register, "C-2026-0403-K7Q2", "note", "--note=yes", "--by=anna", "--at=2026-04-05")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN)
    assert text[len(HAND_WRITTEN) :] == "  - {type: note, at: 2026-04-05, by: anna, note: 'yes'}\n"


@pytest.mark.parametrize(
    "options, country, subdivision",
    [
        (["--country", "NO"], "NO", None),
        (["--country", "no"], "NO", None),
        (
            ["--country", "CA", "--subdivision", "ON", "--timezone", "America/Toronto"],
            "CA",
            "ON",
        ),
    ],
    ids=["NO", "no", "CA-ON"],
)
def test_init_writes_a_policy_that_reads_back(tmp_path, options, country, subdivision):
    root = tmp_path / "reg"
    result = CliRunner().invoke(cli, ["init", str(root), *options])
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(cli, ["--register", str(root), "check"])
    assert check.exit_code == 0, check.output
    for reader, data in read_back(root / "policy.yaml").items():
        assert isinstance(data, dict), reader
        assert data["calendar"]["country"] == country, reader
        assert data["calendar"]["subdivision"] == subdivision, reader
    loaded = from_bytes(root / "policy.yaml", (root / "policy.yaml").read_bytes(), Policy)
    assert loaded.problems == [] and loaded.model is not None
    assert loaded.model.calendar.country == country


ORGANISATIONS = [
    "yes",
    "NO",
    "12:30",
    "Acme: Water & Power",
    "#1 Water?",
    'Acme "Water"',
    "'Vann' og avløp",
    " Spaced ",
    "Back\\slash",
    "Oslo Vann {AS}",
    "Trondheim kommune – vann",
]


@pytest.mark.parametrize("organisation", ORGANISATIONS, ids=_ids)
def test_init_writes_any_organisation_name(tmp_path, organisation):
    root = tmp_path / "reg"
    result = CliRunner().invoke(
        cli, ["init", str(root), f"--organisation={organisation}", "--country", "NO"]
    )
    assert result.exit_code == 0, result.output
    check = CliRunner().invoke(cli, ["--register", str(root), "check"])
    assert check.exit_code == 0, check.output
    text = (root / "policy.yaml").read_text(encoding="utf-8")
    for reader, data in read_back(root / "policy.yaml").items():
        assert isinstance(data, dict), reader
        assert data["organisation"] == organisation, reader
        assert data["calendar"]["country"] == "NO", reader
    # The template's comments survive.
    assert "# public holidays come from the `holidays` package" in text


def _storable(text: str) -> bool:
    """Text the register takes as a summary or note: not empty, and without what the
    personal data detectors refuse (digit-heavy text can look like a telephone number)."""
    return text != "" and not found_in(text, POLICY["calendar"]["country"])


YAML_HEAVY = st.sampled_from(
    list(" \t\n\r\x85\u2028\u2029?:#-,[]{}'\"!&*%@`|>~=<._\\yesnoYNOtrufalxe0123")
)
"""Characters that mean something to YAML, and the letters and digits of its keywords and
numbers: most of what is tricky to write, drawn often."""

TEXTS = (st.text() | st.text(YAML_HEAVY, max_size=12)).filter(_storable)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(summary=TEXTS, note=TEXTS)
def test_any_text_reads_back_as_written(register, summary, note):
    complaint_id = _new(register, f"--summary={summary}")
    _log(register, complaint_id, "note", f"--note={note}", "--by=anna")
    for reader, data in read_back(register.path(complaint_id)).items():
        assert isinstance(data, dict), reader
        assert data["summary"] == summary, reader
        assert data["events"][0]["note"] == note, reader


def test_a_wrong_value_is_named_at_its_own_path(register):
    """An event field named like its type (`note` in a note event) is named once."""
    register.add(complaint({"type": "note", "at": "2026-04-04", "by": "anna", "note": True}))
    result = register.run("check")
    assert result.exit_code == 1
    assert "events[0].note: input should be a valid string" in result.stdout
    assert "note.note" not in result.stdout


def test_init_refuses_an_organisation_name_on_two_lines(tmp_path):
    # A published name is one line of plain text: the policy it would write is refused.
    root = tmp_path / "reg"
    result = CliRunner().invoke(
        cli, ["init", str(root), "--organisation=Line\nbreak", "--country", "NO"]
    )
    assert result.exit_code == 1
    assert "organisation" in result.output and not (root / "policy.yaml").exists()
