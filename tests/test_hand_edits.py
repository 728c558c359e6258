"""Messages for people editing by hand (GitHub's web editor, say): each common mistake gets
a sentence at its file and line that says what to write instead (DESIGN.md section 5,
"Working in the browser")."""

import pytest

from complaints_register.core.hand_edits import explained

ID = "C-2026-0403-K7Q2"

GOOD = f"""id: {ID}
received: 2026-04-03T09:12:00+02:00
channel: email
language: it
category: billing
summary: Double charge
events: []
"""
# Line 7 is `events: []`; line 8 is the first line after the file.

SAID = "(the YAML reader said: "


def check(register, text: str, name: str = ID) -> list[str]:
    """`complaints check` on a register whose one complaint file holds `text`."""
    path = register.root / "2026" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    result = register.run("check")
    assert result.exit_code == 1
    return result.stdout.splitlines()


def one(register, text: str, name: str = ID) -> str:
    [line] = check(register, text, name)
    return line.removeprefix(f"{register.root}/2026/{name}.yaml:")


def test_a_tab_in_the_indentation(register):
    text = (
        GOOD.replace("events: []", "events:") + "\t- {type: note, at: 2026-04-04, by: a, note: x}\n"
    )
    said = one(register, text)
    assert said.startswith(
        "8: not valid YAML: a tab character is in this line's indentation: YAML indents with"
        " spaces only; replace the tab with spaces (two for each level, as on the lines"
        " around it) (the YAML reader said: found character that cannot start any token)"
    ), said


def test_a_tab_before_a_key_is_found_on_its_own_line(register):
    said = one(register, GOOD.replace("summary:", "\tsummary:"))
    assert said.startswith("6: not valid YAML: a tab character is in this line's indentation")


def test_an_unquoted_colon(register):
    said = one(register, GOOD.replace("Double charge", "Re: the bill"))
    assert said == (
        "6: not valid YAML: the value of `summary` holds `: `, which YAML reads as a new key:"
        ' put the value in double quotes: summary: "Re: the bill"'
        f" {SAID}mapping values are not allowed in this context)"
    )


def test_an_unquoted_colon_with_quotes_inside(register):
    said = one(register, GOOD.replace("Double charge", 'He said: "pay"'))
    assert 'summary: "He said: \\"pay\\""' in said


def test_an_unquoted_colon_in_an_event_on_one_line(register):
    text = GOOD.replace("events: []", "events:") + (
        "  - {type: note, at: 2026-04-04, by: anna, note: called: no answer}\n"
    )
    said = one(register, text)
    assert said.startswith(
        "8: not valid YAML: the value of `note` holds `: `, which YAML reads as a new key:"
        ' put it in double quotes: note: "called: no answer"'
    ), said


def test_a_value_starting_with_a_reserved_character(register):
    said = one(register, GOOD.replace("Double charge", "@home billing"))
    assert said.startswith(
        "6: not valid YAML: the value of `summary` starts with `@`, which YAML keeps for"
        ' itself: put the value in double quotes: summary: "@home billing"'
    ), said


def test_an_event_under_an_empty_list(register):
    text = GOOD + "  - type: acknowledged\n    at: 2026-04-04\n    by: anna\n"
    said = one(register, text)
    assert said.startswith(
        "7: not valid YAML: `events: []` says there are no events, so the event below it"
        " cannot be read: write `events:` alone on this line, and each event below it on a"
        " line of its own starting with `  - `"
    ), said


def test_an_event_without_by(register):
    text = GOOD.replace("events: []", "events:") + "  - {type: acknowledged, at: 2026-04-04}\n"
    assert one(register, text) == (
        "8: events[0].by: missing (this key is required): add to this event who did it:"
        " `by: ` and their handle on the staff roster (`by: anna`)"
    )


def test_an_event_without_at_or_type(register):
    text = GOOD.replace("events: []", "events:") + "  - {type: acknowledged, by: anna}\n"
    assert "add to this event when it happened: `at: 2026-04-07`" in one(register, text)
    text = GOOD.replace("events: []", "events:") + "  - {at: 2026-04-04, by: anna}\n"
    assert "an event needs a `type`: add `type: ` and one of acknowledged, assessed" in one(
        register, text
    )


def test_an_event_without_a_field_of_its_type(register):
    text = GOOD.replace("events: []", "events:") + "  - {type: surveyed, at: 2026-04-04, by: a}\n"
    assert one(register, text) == (
        "8: events[0].score: missing (this key is required): add to this event `score: ` and"
        " its value"
    )


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n"])
def test_an_empty_file(register, text):
    assert one(register, text) == (
        "1: the file is empty: a complaint file holds its keys, one at the start of each line"
        " (`id:`, `received:`, `channel:`, `language:`, `category:`, `summary:`); if it was"
        " emptied by mistake, put back its last version from the repository's history"
    )


def test_a_file_holding_a_list(register):
    assert one(register, "- id: x\n").startswith(
        "1: the file holds a list (lines starting with `- `), not keys: a complaint file"
        " holds its keys, one at the start of each line (`id:`,"
    )


def test_a_file_name_that_does_not_match(register):
    other = "C-2026-0403-AAAA"
    assert one(register, GOOD, name=other) == (
        f"1: id: {ID} is not the file name: name the file {ID}.yaml"
    )


def test_conflict_markers_left_in(register):
    text = GOOD.replace(
        "summary: Double charge\n",
        "<<<<<<< ours\nsummary: Double charge\n=======\nsummary: Charged twice\n>>>>>>> theirs\n",
    )
    said = one(register, text)
    assert said.startswith(
        "7: not valid YAML: this file holds a merge conflict (the lines between `<<<<<<<`,"
        " `=======` and `>>>>>>>`): keep what should stay"
    ), said


def test_a_value_from_the_file_cannot_turn_the_terminal_around(register):
    # YAML refuses escape sequences itself; a right-to-left override it reads, and the
    # message repeats the value: shown as an escape, never as the override.
    said = one(register, GOOD.replace("Double charge", "Re: \u202egone"))
    assert "\u202e" not in said and '"Re: \\u202egone"' in said


def test_a_long_value_is_cut_short_in_the_message(register):
    said = one(register, GOOD.replace("Double charge", "Re: " + "x" * 5000))
    assert len(said) < 500 and '…"' in said


def test_other_mistakes_keep_the_readers_words():
    assert explained("a: [b\n", 2, "not valid YAML: did not find expected ',' or ']'") == (
        2,
        "not valid YAML: did not find expected ',' or ']'",
    )
    # A colon problem on a line that is not `key: value` has no fix to offer.
    assert explained("- - a: b: c\n", 1, "mapping values are not allowed here")[1] == (
        "mapping values are not allowed here"
    )


def test_a_marker_alone_is_not_taken_for_a_conflict():
    text = "summary: |\n  =======\n  <<<<<<< not a conflict\nid: [\n"
    assert "merge conflict" not in explained(text, 4, "not valid YAML: x")[1]


def test_a_value_said_back_in_the_fix_has_its_personal_data_masked(register):
    # The fix repeats the line's value, and `check`'s output goes to CI logs and to replies
    # on GitHub, which never hold personal data.
    text = GOOD.replace(
        "summary: Double charge",
        "summary: Call back: giulia.verdi@example.com or +39 06 6988 4857",
    )
    said = one(register, text)
    assert said.startswith("6: not valid YAML: the value of `summary` holds `: `")
    assert 'summary: "Call back: ••••••.•••••@•••••••.•om or +•• •• •••• ••57"' in said
    assert "giulia.verdi" not in said and "6988" not in said


def test_a_key_said_back_in_the_fix_has_its_personal_data_masked():
    lines = "events:\n  - {type: note, giulia.verdi@example.com: call: back}\n"
    _, said = explained(lines, 2, "not valid YAML: expected ',' or '}', but got ':'")
    assert "giulia.verdi@example.com" not in said
    assert "`••••••.•••••@•••••••.•om` holds `: `" in said
