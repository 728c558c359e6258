"""Absurd dates and loose values (issue "Hardening", holes 1 and 3).

A mistyped year (`--received 1026-03-02`, `--as-of 9999-12-31`) is refused where it was
typed, before it can make the statistics count every month of a thousand years; the
statistics of a register as of a date far ahead come out; the site names a wrong as-of date.
And a file's values are read as strictly as the exported JSON Schema says they are written,
so that `complaints check` and check-jsonschema accept and refuse the same files.
"""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from check_jsonschema.formats import FormatOptions, make_format_checker
from check_jsonschema.regex_variants import RegexImplementation, RegexVariantName
from conftest import ROOT, complaint, policy, write_yaml
from jsonschema import Draft202012Validator
from sites import build

from complaints_register.schema import Action, Complaint
from complaints_register.store.register import from_bytes


def received_on(day: str, suffix: str = "K7Q2") -> dict:
    """The test complaint, received at noon on `day` (its ID and folder to match)."""
    year, month, dom = day.split("-")
    return complaint(id=f"C-{year}-{month}{dom}-{suffix}", received=f"{day}T12:00:00+01:00")


# --- a date of receipt before the register could exist --------------------------------------

# (date of receipt, the policy's `started`, what check says at `received`, or None)
RECEIPTS = [
    ("1026-03-02", None, "received on 1026-03-02, before 1990-01-01, the earliest date"),
    ("1989-12-31", None, "received on 1989-12-31, before 1990-01-01, the earliest date"),
    ("1990-01-02", None, None),
    ("1985-06-03", "1985-01-01", None),  # a register that says it holds older complaints
    ("2019-12-31", "2020-01-01", "received on 2019-12-31, before the register started (2020"),
    ("2020-01-02", "2020-01-01", None),
]


@pytest.mark.parametrize("day, started, said", RECEIPTS)
def test_check_refuses_a_receipt_before_the_register_could_exist(register, day, started, said):
    if started:
        write_yaml(register.root / "policy.yaml", policy(started=started))
    path = register.add(received_on(day))
    result = register.run("check")
    if said is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1
    # At the line of `received` (the second line of the file), saying what to do.
    assert f"{path.name}:2: received: {said}" in result.output
    assert "check the year" in result.output


@pytest.mark.parametrize("typed", ["1026-03-02T10:00", "1989-12-31T10:00"])
def test_new_refuses_a_mistyped_year_and_writes_nothing(register, typed):
    result = register.run(
        "new", "--channel", "email", "--category", "billing", "--summary", "A wrong bill",
        "--received", typed,
    )  # fmt: skip
    assert result.exit_code != 0, result.output
    assert "check the year" in result.output
    assert not any(register.root.glob("*/*.yaml"))


def test_check_refuses_a_date_after_the_ceiling_at_its_line(register):
    extended = {
        "type": "extended",
        "at": "2026-04-07",
        "by": "anna",
        "due": "2999-05-06",  # 2026 typed as 2999
        "reason": "waiting for the meter reading",
    }
    register.add(complaint(extended))
    result = register.run("check")
    assert result.exit_code == 1
    assert "events[0].due: 2999-05-06 is after 2200-12-31" in result.output


# --- what a register with such a date does to the statistics and the site -------------------


def test_stats_refuses_a_register_with_a_mistyped_year_at_once(register):
    register.add(received_on("1026-03-02"))
    result = register.run("stats")
    assert result.exit_code == 1
    assert "received: received on 1026-03-02, before 1990-01-01" in result.output


@pytest.mark.parametrize("command", ["stats", "show C-2026-0403", "list", "overdue"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "2201-01-01", "1026-03-02"])
def test_an_as_of_date_out_of_range_is_a_usage_error(register, command, as_of):
    register.add(complaint())
    result = register.run(*command.split(), "--as-of", as_of)
    assert result.exit_code == 2, result.output
    assert f"{as_of} is" in result.output and "check the year" in result.output
    assert "internal error" not in result.output


def test_the_last_day_a_register_takes_is_an_as_of_date_like_any_other(register):
    register.add(complaint())
    result = register.run("show", "C-2026-0403", "--as-of", "2200-12-31")
    assert result.exit_code == 0, result.output


def test_statistics_as_of_a_date_far_ahead_run_to_it(register):
    # The case: every month from the first receipt to 2100 is a period, most of them
    # empty. Disclosure control used to take minutes over them (quadratic in the periods).
    register.add(complaint())
    result = register.run("stats", "--as-of", "2100-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    published = json.loads(result.stdout)
    periods = {figure["period"] for figure in published["figures"]}
    assert {"2026-04", "2100-01", "2100-Q1", "2100", "2099-12"} <= periods
    assert len({p for p in periods if len(p) == 7 and "Q" not in p}) == 12 * 74 + 1 - 3
    received = {
        f["period"]: f
        for f in published["figures"]
        if (f["table"], f["item"]) == ("received", "all")
    }
    assert received["2026"]["note"] == "fewer-than"  # one complaint: never shown
    assert received["2100"]["note"] == "fewer-than"  # zero: never shown either


# The site: a wrong as-of date stops the build with MkDocs' own error naming the setting.
@pytest.mark.parametrize(
    "as_of, said",
    [
        ("2026-02-30", "COMPLAINTS_AS_OF: '2026-02-30' is not a date (write 2026-04-07)"),
        ("9999-12-31", "COMPLAINTS_AS_OF: 9999-12-31 is after 2200-12-31"),
        ("20260407", "COMPLAINTS_AS_OF: '20260407' is not a date (write 2026-04-07)"),
    ],
)
def test_the_site_names_a_wrong_as_of_date(tmp_path, as_of, said):
    result = build(ROOT / "register", tmp_path / "public", as_of=as_of)
    assert result.returncode == 1
    assert said in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "public" / "statistics.json").exists()


def test_the_site_refuses_a_register_with_a_mistyped_year(register, tmp_path):
    register.add(received_on("1026-03-02"))
    result = build(register.root, tmp_path / "public")
    assert result.returncode == 1
    assert "the register is invalid" in result.stderr
    assert "received on 1026-03-02, before 1990-01-01" in result.stderr


# --- the checker and the JSON Schema agree ---------------------------------------------------

COMPLAINT_FILE = """\
id: C-2026-0403-K7Q2
received: {received}
channel: email
language: it
category: billing
summary: Double charge on the February invoice
events:
  - {event}
"""
RECEIVED = "2026-04-03T09:12:00+02:00"
ACTION_FILE = """\
id: A-2026-0710-SNRN
opened: {opened}
kind: corrective
what: Check meter readings twice
owner: anna
due: {due}
done: {done}
complaints: [C-2026-0403-K7Q2]
"""


def complaint_file(received: str = RECEIVED, event: str = "") -> str:
    event = event or "{type: acknowledged, at: 2026-04-07, by: anna}"
    return COMPLAINT_FILE.format(received=received, event=event)


def action_file(opened: str = "2026-07-10", due: str = "2026-09-30", done: str = "null") -> str:
    return ACTION_FILE.format(opened=opened, due=due, done=done)


def with_event(kind: str, fields: str, at: str = "2026-04-07") -> str:
    """The complaint file with one event: its type, its own fields as YAML, and its `at`."""
    return complaint_file(event=f"{{type: {kind}, at: {at}, by: anna, {fields}}}")


def note_at(at: str) -> str:
    return with_event("note", "note: called back", at=at)


# (what it is, the file's text, whether both accept it). Each value as a person might type
# it: numbers for dates, true for a number, a number for true, text of digits for a date.
FILES = [
    ("a date-time", complaint_file(), True),
    ("a bare date received", complaint_file(received="2026-04-03"), True),
    ("a received time without offset", complaint_file(received="2026-04-03T09:12:00"), True),
    ("a quoted date-time", complaint_file(received=f"'{RECEIVED}'"), True),
    ("received as a number", complaint_file(received="20260403"), False),
    ("received as Unix time", complaint_file(received="1775200320"), False),
    ("received as text of digits", complaint_file(received="'20260403'"), False),
    ("received as a float", complaint_file(received="2026.0403"), False),
    ("received as true", complaint_file(received="true"), False),
    ("received on 30 February", complaint_file(received="'2026-02-30T09:00:00'"), False),
    ("at as a number", note_at("20260407"), False),
    ("at as text of digits", note_at("'20260407'"), False),
    ("at as true", note_at("true"), False),
    ("at as a float", note_at("1.5"), False),
    ("at with a space", note_at("'2026-04-07 10:00'"), True),
    ("at without seconds", note_at("'2026-04-07T10:00'"), True),
    ("a due date", with_event("extended", "due: 2026-05-06, reason: r"), True),
    ("a due date quoted", with_event("extended", "due: '2026-05-06', reason: r"), True),
    ("due as a number", with_event("extended", "due: 20260506, reason: r"), False),
    ("due as text of digits", with_event("extended", "due: '20260506', reason: r"), False),
    ("due with a time", with_event("extended", "due: 2026-05-06T10:00:00, reason: r"), False),
    ("a score", with_event("surveyed", "score: 4"), True),
    ("score as true", with_event("surveyed", "score: true"), False),
    ("score as 4.0", with_event("surveyed", "score: 4.0"), True),  # JSON's integer 4
    ("score as 4.5", with_event("surveyed", "score: 4.5"), False),
    ("score as text", with_event("surveyed", "score: '4'"), False),
    ("score out of range", with_event("surveyed", "score: 6"), False),
    ("an event number", with_event("retracted", "event: 0, reason: r"), True),
    ("event as false", with_event("retracted", "event: false, reason: r"), False),
    ("event as text", with_event("retracted", "event: '0', reason: r"), False),
    ("satisfied", with_event("closed", "satisfied: false"), True),
    ("satisfied as 1", with_event("closed", "satisfied: 1"), False),
    ("satisfied as text", with_event("closed", "satisfied: 'true'"), False),
    ("late, why", with_event("note", "note: x, late: found in the post"), True),
    ("late as a number", with_event("note", "note: x, late: 5"), False),
    ("an action", action_file(), True),
    ("an action done", action_file(done="2026-09-01"), True),
    ("opened as a number", action_file(opened="20260710"), False),
    ("opened as text of digits", action_file(opened="'20260710'"), False),
    ("opened as true", action_file(opened="true"), False),
    ("due as a float", action_file(due="2026.0930"), False),
    ("done with a time", action_file(done="2026-09-01T10:00:00"), False),
]


def _check_jsonschema(name: str) -> Draft202012Validator:
    """The exported JSON Schema `name`, with the format checks check-jsonschema makes."""
    schema = json.loads((ROOT / "schema" / "json" / f"{name}.schema.json").read_text("utf-8"))
    formats = FormatOptions(regex_impl=RegexImplementation(RegexVariantName.default))
    return Draft202012Validator(schema, format_checker=make_format_checker(formats))


VALIDATORS = {"complaint": _check_jsonschema("complaint"), "action": _check_jsonschema("action")}


def _json_form(value: object) -> object:
    """A parsed YAML value as JSON holds it: dates and date-times as ISO 8601 text."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.mark.parametrize("what, text, accepted", FILES, ids=[row[0] for row in FILES])
def test_the_checker_and_the_json_schema_agree(what, text, accepted):
    kind, model = ("action", Action) if text.startswith("id: A-") else ("complaint", Complaint)
    loaded = from_bytes(Path(f"{kind}.yaml"), text.encode("utf-8"), model)
    assert loaded.document is not None  # plain YAML: the register's reader reads every row
    by_model = loaded.model is not None
    errors = list(VALIDATORS[kind].iter_errors(_json_form(loaded.document.data)))
    assert (by_model, not errors) == (accepted, accepted), (loaded.problems, errors)


@pytest.mark.parametrize(
    "text, where, said",
    [
        (complaint_file(received="20260403"), "received", "20260403 (a number) is not a date-time"),
        (note_at("'20260407'"), "events[0].at", "'20260407' is not a date or date-time (write"),
        (with_event("surveyed", "score: true"), "events[0].score", "true is not a whole number"),
        (action_file(opened="20260710"), "opened", "20260710 (a number) is not a date (write"),
    ],
)
def test_a_loose_value_is_told_in_plain_words(text, where, said):
    model = Action if text.startswith("id: A-") else Complaint
    loaded = from_bytes(Path("file.yaml"), text.encode("utf-8"), model)
    assert [(p.where, said in p.message) for p in loaded.problems] == [(where, True)], (
        loaded.problems
    )


def test_what_the_models_read_is_what_was_written():
    loaded = from_bytes(
        Path("c.yaml"),
        with_event("surveyed", "score: 4.0", at="'2026-04-07T10:00:00.25Z'")
        .replace(RECEIVED, "'2026-04-03 09:12'")
        .encode("utf-8"),
        Complaint,
    )
    model = loaded.model
    assert model is not None, loaded.problems
    assert model.received == datetime(2026, 4, 3, 9, 12)  # no offset: the policy's zone
    event = model.events[0]
    assert event.at == datetime.fromisoformat("2026-04-07T10:00:00.250000+00:00")
    assert event.score == 4 and type(event.score) is int
    dated = from_bytes(Path("c.yaml"), complaint_file(received="2026-04-03").encode(), Complaint)
    assert dated.model is not None and dated.model.received == datetime(2026, 4, 3)
    action = from_bytes(Path("a.yaml"), action_file(opened="'2026-07-10'").encode(), Action)
    assert action.model is not None and action.model.opened == date(2026, 7, 10)
