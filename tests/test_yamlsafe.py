"""What plain and quoted scalars mean: the YAML 1.1 rules PyYAML's safe loader follows,
which `parse` must keep however it gets there (it remembers plain scalars it has read)."""

import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from complaints_register.store import yamlsafe
from complaints_register.store.yamlsafe import YamlError, parse


def typed(value):
    """`value` with every type spelled out: 1 == True and date == datetime hide mistakes."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, datetime):
        return (datetime, value, value.tzinfo)
    return (type(value), value)


@pytest.mark.parametrize(
    "text, expected",
    [
        # booleans: only these spellings
        ("yes", True),
        ("Yes", True),
        ("YES", True),
        ("no", False),
        ("No", False),
        ("NO", False),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("FALSE", False),
        ("on", True),
        ("On", True),
        ("ON", True),
        ("off", False),
        ("Off", False),
        ("OFF", False),
        ("y", "y"),
        ("n", "n"),
        ("Y", "Y"),
        ("yEs", "yEs"),
        ("tRue", "tRue"),
        # null
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("nUll", "nUll"),
        # integers: signs, underscores, 0x, 0b, a leading 0 for octal, base 60
        ("0", 0),
        ("12", 12),
        ("+12", 12),
        ("-12", -12),
        ("1_000", 1000),
        ("0x1F", 31),
        ("0b101", 5),
        ("017", 15),
        ("-017", -15),
        ("01234", 668),
        ("190:20:30", 685230),
        ("0o17", "0o17"),
        ("08", "08"),
        ("1,000", "1,000"),
        ("123456789012345678901234567890", 123456789012345678901234567890),
        # floats need a dot, and a signed exponent
        ("1.5", 1.5),
        ("-1.5", -1.5),
        ("1_000.5", 1000.5),
        ("1.0e+3", 1000.0),
        (".5", 0.5),
        ("1e3", "1e3"),
        ("1.0e3", "1.0e3"),
        ("1.", 1.0),
        (".inf", math.inf),
        (".Inf", math.inf),
        ("-.inf", -math.inf),
        ("+.INF", math.inf),
        # dates and times
        ("2026-01-02", date(2026, 1, 2)),
        ("2026-1-2", "2026-1-2"),
        ("2026-01-02 10:00", "2026-01-02 10:00"),
        ("2026-01-02T10:00:00", datetime(2026, 1, 2, 10, 0, 0)),
        ("2026-01-02 10:00:00", datetime(2026, 1, 2, 10, 0, 0)),
        ("2026-01-02t10:00:00", datetime(2026, 1, 2, 10, 0, 0)),
        ("2026-1-2 1:02:03", datetime(2026, 1, 2, 1, 2, 3)),
        ("2026-01-02T10:00:00Z", datetime(2026, 1, 2, 10, 0, 0, tzinfo=UTC)),
        (
            "2026-01-02T10:00:00+01:00",
            datetime(2026, 1, 2, 10, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2026-01-02T10:00:00-5", datetime(2026, 1, 2, 10, tzinfo=timezone(timedelta(hours=-5)))),
        (
            "2026-01-02 10:00:00.5 -05:30",
            datetime(
                2026, 1, 2, 10, 0, 0, 500000, tzinfo=timezone(-timedelta(hours=5, minutes=30))
            ),
        ),
        ("2026-01-02T10:00:00.123456789", datetime(2026, 1, 2, 10, 0, 0, 123456)),
        # words, which is most of a register
        ("acknowledged", "acknowledged"),
        ("C-2026-0403-K7Q2", "C-2026-0403-K7Q2"),
        ("Double charge", "Double charge"),
        ("1.2.3", "1.2.3"),
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("nope", "nope"),
        ("onward", "onward"),
        ("<x", "<x"),
        ("x!y", "x!y"),
    ],
)
def test_plain_scalar(text, expected):
    assert typed(parse(f"a: {text}\n".encode()).data) == typed({"a": expected})


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "no",
        "on",
        "off",
        "true",
        "null",
        "Null",
        "~",
        "",
        "12",
        "+12",
        "0x1F",
        "017",
        "1_000",
        "1.5",
        "1e3",
        ".inf",
        ".nan",
        "2026-01-02",
        "2026-01-02T10:00:00+01:00",
        "2026-01-02 10:00",
        "<<",
        "=",
    ],
)
@pytest.mark.parametrize("quote", ["'", '"'])
def test_quoted_scalar_is_always_text(text, quote):
    assert typed(parse(f"a: {quote}{text}{quote}\n".encode()).data) == typed({"a": text})


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"a: |\n  yes\n", "yes\n"),
        (b"a: |-\n  12\n", "12"),
        (b"a: >-\n  2026-01-02\n", "2026-01-02"),
        (b"a: >\n  one\n  two\n", "one two\n"),
    ],
)
def test_block_scalar_is_always_text(raw, expected):
    assert typed(parse(raw).data) == typed({"a": expected})


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"a: !!str 123\n", "123"),
        (b"a: !!str yes\n", "yes"),
        (b"a: !!str 2026-01-02\n", "2026-01-02"),
        (b"a: !!int '12'\n", 12),
        (b"a: !!float '1'\n", 1.0),
        (b"a: !!bool 'off'\n", False),
        (b"a: !!null ''\n", None),
        (b"a: !!timestamp '2026-01-02'\n", date(2026, 1, 2)),
    ],
)
def test_explicit_tag_decides_the_type(raw, expected):
    assert typed(parse(raw).data) == typed({"a": expected})


def test_the_same_text_plain_and_quoted_in_one_file():
    doc = parse(b"a: yes\nb: 'yes'\nc: yes\nd: \"2026-01-02\"\ne: 2026-01-02\nf: [12, '12', 12]\n")
    assert typed(doc.data) == typed(
        {
            "a": True,
            "b": "yes",
            "c": True,
            "d": "2026-01-02",
            "e": date(2026, 1, 2),
            "f": [12, "12", 12],
        }
    )


def test_keys_are_read_like_values():
    doc = parse(b"yes: a\n'no': b\n2: c\n'2': d\n2026-01-02: e\n~: f\n")
    assert typed(doc.data) == typed(
        {
            True: "a",
            "no": "b",
            2: "c",
            "2": "d",
            date(2026, 1, 2): "e",
            None: "f",
        }
    )


@pytest.mark.parametrize(
    "raw, line, message",
    [
        (b"a: 1\ntrue: 2\n1: 3\n", 3, "duplicate key 1"),  # True == 1 in Python
        (b"a: 1\nyes: 2\non: 3\n", 3, "duplicate key True"),
        (b"null: 1\n~: 2\n", 2, "duplicate key None"),
        (b"0x10: 1\n16: 2\n", 2, "duplicate key 16"),
        (b"1: 1\n1.0: 2\n", 2, "duplicate key 1.0"),
        (b"2026-01-02: 1\n2026-01-02: 2\n", 2, "duplicate key datetime.date(2026, 1, 2)"),
        (b"a: 1\n<<: {b: 2}\n", 2, "merge keys (<<) are not allowed"),
        (b"a: [x, <<, <<]\n", 1, "merge keys (<<) are not allowed"),
        (b"a: x\nb: =\n", 2, "values of type value are not allowed"),
        (
            b"a: 2026-01-01\nb: 2026-02-30\n",
            2,
            "cannot read '2026-02-30': day is out of range for month",
        ),
        (b"a: 2026-02-30\nb: 2026-02-30\n", 1, "cannot read '2026-02-30'"),
        (b"a: !!int abc\n", 1, "cannot read 'abc'"),
        (b"a: !!binary aGk=\n", 1, "custom tag tag:yaml.org,2002:binary is not allowed"),
        (b"a: !x {b: 1}\n", 1, "custom tag !x is not allowed"),
        (b"a: &x [1]\nb: *x\n", 2, "aliases (*name) are not allowed"),
        (b"[a]: 1\n", 1, "a key must be a plain value"),
        (b"a: 1\n---\na: 2\n", 2, "more than one YAML document"),
        (b"a: x\nb: !!bool maybe\n", 2, "cannot read 'maybe' as a bool"),
        (b"a: !!timestamp tomorrow\n", 1, "cannot read 'tomorrow' as a timestamp"),
        (b"a: !!map x\nb: 1\n", 1, "values of type map are not allowed"),
        (b"a: !!seq x\n", 1, "values of type seq are not allowed"),
    ],
)
def test_refused(raw, line, message):
    for _ in range(2):  # the second time, plain scalars are remembered from the first
        with pytest.raises(YamlError) as refused:
            parse(raw)
        assert (refused.value.line, refused.value.message[: len(message)]) == (line, message)


def test_quoted_merge_key_is_an_ordinary_key():
    assert parse(b"'<<': 1\n").data == {"<<": 1}


def test_nesting_is_limited_without_recursion():
    deep = b"a: " + b"[" * (yamlsafe.MAX_DEPTH - 1) + b"]" * (yamlsafe.MAX_DEPTH - 1) + b"\n"
    assert parse(deep).line_of(("a",)) == 1
    with pytest.raises(YamlError, match="nested deeper"):
        parse(b"a: [" + deep[3:-1] + b"]\n")
    with pytest.raises(YamlError, match="nested deeper"):
        parse(b"{a: " * 200_000)


@pytest.mark.parametrize(
    "raw, data, lines",
    [
        (b"", None, {}),
        (b"# only a comment\n", None, {}),
        (b"hello\n", "hello", {(): 1}),
        (b"---\n42\n", 42, {(): 2}),
        (
            b"- a\n- 'b'\n- [1, {c: 2026-01-02}]\n",
            ["a", "b", [1, {"c": date(2026, 1, 2)}]],
            {(): 1, (0,): 1, (1,): 2, (2,): 3, (2, 0): 3, (2, 1): 3, (2, 1, "c"): 3},
        ),
        (
            b"a:\n  b: yes\n  c:\n    - 1\nd: ~\n",
            {"a": {"b": True, "c": [1]}, "d": None},
            {(): 1, ("a",): 2, ("a", "b"): 2, ("a", "c"): 4, ("a", "c", 0): 4, ("d",): 5},
        ),
        (b"? complex\n: value\n", {"complex": "value"}, {(): 1, ("complex",): 2}),
    ],
)
def test_data_and_lines(raw, data, lines):
    doc = parse(raw)
    assert typed(doc.data) == typed(data)
    assert doc.lines == lines


def test_remembered_plain_scalars_stay_bounded():
    for start in range(0, 3 * yamlsafe._PLAIN_VALUES_MAX, 500):
        parse("".join(f"k{i}: v{i}\n" for i in range(start, start + 500)).encode())
        assert len(yamlsafe._plain_values) <= yamlsafe._PLAIN_VALUES_MAX
    long_word = "x" * (yamlsafe._PLAIN_VALUE_MAX_CHARS + 1)
    assert parse(f"a: {long_word}\n".encode()).data == {"a": long_word}
    assert long_word not in yamlsafe._plain_values
