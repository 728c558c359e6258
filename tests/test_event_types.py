"""Every event type of the schema is handled everywhere: the command line offers it with an
option for each of its fields, the fold applies it, `show` and `history` print it.

An event type is defined in one place (complaints_register/schema/events.py); these tests
fail when a new type is added there without what the rest needs, or when the command line's
choices drift from the schema's.
"""

import typing
from datetime import date

import pytest
from click.testing import CliRunner

from complaints_register.cli.main import cli
from complaints_register.schema.events import EVENT_TYPES, Event, shown_fields

COMMON = {"type", "at", "by", "note", "late"}

# For each event type: the events logged before it so that it makes sense, and its options.
# A new event type fails `test_the_table_covers_every_event_type` until it has a row here.
LOGGED = {
    "acknowledged": ([], []),
    "assessed": ([], ["--priority", "urgent", "--category", "other", "--handler", "marco"]),
    "info-requested": ([], []),
    "info-received": ([["info-requested"]], []),
    "extended": ([], ["--due", "2026-05-06", "--reason", "waiting for the meter reading"]),
    "responded": ([], ["--outcome", "upheld", "--remedy", "refund", "--remedy", "apology"]),
    "escalated": ([["responded", "--outcome", "not-upheld"]], ["--handler", "giulia"]),
    "referred": ([["responded", "--outcome", "not-upheld"]], ["--to", "ombudsman"]),
    "closed": ([["responded", "--outcome", "upheld"]], ["--satisfied", "no"]),
    "reopened": ([["responded", "--outcome", "upheld"], ["closed"]], []),
    "withdrawn": ([], []),
    "surveyed": ([], ["--score", "4"]),
    "retracted": ([["note", "--note", "a slip"]], ["--event", "0", "--reason", "wrong file"]),
    "erased": ([], []),
    "note": ([], ["--note", "called back"]),
}


def test_the_table_covers_every_event_type():
    assert set(LOGGED) == set(EVENT_TYPES)


def test_log_offers_every_event_type():
    log = cli.commands["log"]
    choice = next(p for p in log.params if p.name == "event_type").type
    assert list(choice.choices) == list(EVENT_TYPES)


def _choices(annotation: object) -> set[str] | None:
    """The values a Literal field allows (inside a list or an Optional too), else None."""
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    for inner in typing.get_args(annotation):
        found = _choices(inner)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("name, model", EVENT_TYPES.items())
def test_every_field_has_an_option_and_every_option_a_field(name, model):
    own = set(model.model_fields) - COMMON
    assert {option.field for option in model.options} == own
    for option in model.options:
        allowed = _choices(model.model_fields[option.field].annotation)
        if allowed is not None:  # the command line offers exactly what the schema allows
            assert set(option.choices) == allowed, option.name


def test_options_shared_by_several_types_mean_the_same():
    seen: dict[str, object] = {}
    for model in EVENT_TYPES.values():
        for option in model.options:
            assert seen.setdefault(option.name, option) == option


def test_log_has_one_option_per_name_and_each_goes_with_some_type():
    log = cli.commands["log"]
    names = [p.name for p in log.params if p.name not in ("complaint_id", "event_type")]
    offered = {o.name for m in EVENT_TYPES.values() for o in m.options}
    assert len(names) == len(set(names))
    assert set(names) == offered | {"at", "by", "note", "late"}


@pytest.mark.parametrize("name, model", EVENT_TYPES.items())
def test_types_that_change_the_state_say_how(name, model):
    # Only a note and a retraction (which acts before the fold) leave the state as it was.
    changes_state = model.apply is not Event.apply
    assert changes_state == (name not in ("note", "retracted"))


def _run(root, *args: str):
    result = CliRunner().invoke(cli, ["--register", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", list(LOGGED))
def test_each_type_is_logged_folded_and_shown(tmp_path, name):
    from conftest import TestRegister, complaint

    register = TestRegister(tmp_path / "register")
    register.add(complaint())
    before, options = LOGGED[name]
    at = iter(date(2026, 4, day).isoformat() for day in range(6, 30))
    for earlier in before:
        _run(
            register.root,
            "log",
            "C-2026-0403",
            earlier[0],
            "--at",
            next(at),
            "--by",
            "anna",
            *earlier[1:],
        )
    why = ("--late", "from the paper file")  # every type says why it is recorded late alike
    _run(
        register.root, "log", "C-2026-0403", name, "--at", next(at), "--by", "marco", *why, *options
    )
    shown = _run(register.root, "show", "C-2026-0403", "--as-of", "2026-04-30")
    line = next(line for line in shown.splitlines() if f"  {name} by marco" in line)
    for field in shown_fields(name):
        if field != "note" or name == "note":
            assert f"{field}=" in line, (field, line)
    assert "Problem:" not in shown


def test_show_marks_as_retracted_only_what_the_fold_leaves_out(register):
    from conftest import complaint

    note = {"type": "note", "at": "2026-04-06", "by": "anna", "note": "a slip"}
    retraction = {"type": "retracted", "at": "2026-04-07", "by": "anna", "event": 0, "reason": "x"}
    of_the_retraction = dict(retraction, event=1)  # refused: a retraction cannot be retracted
    register.add(complaint(note, retraction, of_the_retraction))
    result = register.run("show", "C-2026-0403", "--as-of", "2026-04-30")
    lines = {
        line.split("]")[0].strip(): line for line in result.stdout.splitlines() if "] " in line
    }
    assert lines["[0"].endswith("(retracted)")
    assert not lines["[1"].endswith("(retracted)")
    assert "Problem: events[2] retracted: a retraction cannot be retracted" in result.stdout
