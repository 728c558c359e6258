"""The fast path for plain files (`store.fast_yaml`) reads every document as the careful
parser (`store.yamlsafe`) does, or leaves it to the careful parser: on the example
register, on generated registers, on what hypothesis makes, and on each known way the
fast parser reads YAML otherwise."""

import itertools
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from complaints_register.schema import Complaint
from complaints_register.store import fast_yaml
from complaints_register.store.fast_yaml import FastDocument, fast_data, read
from complaints_register.store.register import from_bytes
from complaints_register.store.yamlsafe import YamlError, parse

ROOT = Path(__file__).resolve().parent.parent


def canonical(value: object) -> object:
    """`value` with everything `==` overlooks made visible: types, order of keys, and a
    date-time's offset (09:00+02:00 equals 07:00Z to `==`)."""
    if isinstance(value, dict):
        return ("map", [(canonical(k), canonical(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [canonical(v) for v in value])
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), value.utcoffset())
    return (type(value).__name__, repr(value))


def outcome(reader, raw: bytes) -> object:
    """What a reader makes of `raw`: the canonical data, or the error's line and message."""
    try:
        return canonical(reader(raw).data)
    except YamlError as error:
        return ("error", error.line, error.message)


def both_agree(raw: bytes) -> bool:
    """Whether both paths read `raw` alike, lines included; True if the fast parser was
    used."""
    assert outcome(read, raw) == outcome(parse, raw), raw.decode("utf-8", "replace")
    fast = fast_data(raw) is not fast_yaml._CAREFUL
    if fast:
        careful = parse(raw)
        top = [(key,) for key in careful.data] if isinstance(careful.data, dict) else []
        # the line of a top-level key first (found by a scan), then every line
        assert [read(raw).line_of(key) for key in top] == [careful.line_of(k) for k in top]
        assert read(raw).lines == careful.lines
    return fast


def test_the_example_register_reads_alike_and_mostly_fast():
    files = sorted((ROOT / "register").rglob("*.yaml"))
    fast = [both_agree(path.read_bytes()) for path in files]
    assert len(files) > 60
    assert sum(fast) >= len(files) // 2  # the gate is no wall: most files are plain


def test_a_generated_register_reads_alike_and_fast(tmp_path):
    generate(tmp_path / "register", 400, seed=17, processes=1)
    files = sorted((tmp_path / "register").rglob("*.yaml"))
    fast = [both_agree(path.read_bytes()) for path in files]
    assert sum(fast) >= len(files) * 9 // 10


@pytest.mark.parametrize(
    "raw",
    [
        b"a: yes\n",  # a bool in YAML 1.1, a string in 1.2
        b"on: 1\n",  # a key that YAML 1.1 reads as true
        b"a: 012\n",  # octal in YAML 1.1
        b"a: 0o12\n",  # a string in YAML 1.1
        b"a: 1e3\n",  # a string in YAML 1.1, a float in 1.2
        b"a: 1:20\n",  # sexagesimal: 80
        b'a: "2026-01-01"\n',  # quoted: a string
        b"a: '2026-01-01T10:00:00Z'\n",
        b"a: 2026-01-01T10:00\n",  # no seconds: a string in YAML 1.1
        b"a: 2026-1-1T10:00:00Z\n",  # a date-time in YAML 1.1 only
        b"a: 2026-02-30\n",  # no such day: an error
        b"a: !foo x\n",  # an unknown tag: an error, never dropped
        b"a: &x 1\nb: *x\n",  # aliases: an error
        b"a: 1\n---\nb: 2\n",  # two documents: an error
        b"a: 1\na: 2\n",  # a duplicate key: an error
        b"a: [b, c\n",  # broken: the careful parser's message and line
        b'a: "tab\\there"\n',  # an escape
        b"a: |\n  x\n  y\n",
        b"\xef\xbb\xbfa: 1\n",  # a byte-order mark
        b"a: caf\xe9\n",  # not UTF-8
        b"",
        b"# only a comment\n",
        b"a: ''\nb: ~\nc: null\nd: \n",
        b"a: 1.5\n",
        b"1: x\n",
        b"? [a]\n: b\n",
        b"a: " + b"[" * 40 + b"]" * 40 + b"\n",  # deeper than MAX_DEPTH
        b"received: 2026-04-03T09:12:00+02:00\nat: 2026-04-03 09:12:00 -5\n",
        b"summary: 'two\nid: lines'\nid:\n  C-2026-0101-WJGP\n",  # id's line is its value's
        b"a: x\nid: C-1\nb: 'text\nid: C-2'\n",  # a line that only looks like a key
        b"{id: C-1,\n b: 2}\n",
        b"id: C-1\nevents:\n- a\n",
    ],
)
def test_each_way_the_fast_parser_reads_otherwise_goes_careful(raw):
    both_agree(raw)


NUMBER_LIKE = "09_+-.:eXxOoBb"


def test_every_short_value_made_of_number_like_characters_reads_alike():
    # Every value of up to four of these characters, each read by both paths: yaml_rs
    # reads `_1`, `+_1`, `0X9` and `0_10` as numbers (1, 1, 9, 10) where YAML 1.1 reads
    # three strings and octal 8.
    for size in range(1, 5):
        for value in itertools.product(NUMBER_LIKE, repeat=size):
            both_agree(f"a: {''.join(value)}\n".encode())


def test_a_plain_file_goes_fast_and_its_lines_come_from_the_careful_parser():
    raw = (ROOT / "register" / "2026" / "C-2026-0101-WJGP.yaml").read_bytes()
    document = read(raw)
    assert isinstance(document, FastDocument)
    assert document._lines is None  # not worked out until a message needs one
    assert document.line_of(("id",)) == 2  # found by a scan: still not worked out
    assert document._lines is None
    assert document.line_of(("events", 2, "outcome")) == parse(raw).line_of(
        ("events", 2, "outcome")
    )
    broken = raw.replace(b"outcome: partly-upheld", b"outcome: partly-upheld, colour: red")
    assert fast_data(broken) is not fast_yaml._CAREFUL
    loaded = from_bytes(Path("register/2026/C-2026-0101-WJGP.yaml"), broken, Complaint)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if b"colour" in text)
    assert [(p.line, p.where) for p in loaded.problems] == [(line, "events[2].colour")]


# Documents made by hypothesis: keys and values from texts on which YAML 1.1 and 1.2
# disagree, each written plain, single- or double-quoted, in block or flow style.

TRICKY = [
    "yes", "No", "on", "OFF", "y", "true", "False", "null", "Null", "~", "", " ", "0",
    "012", "0o12", "0x1F", "0b101", "1_000", "+1", "-0", "1e3", "1.0e+3", ".5", ".inf",
    "-.Inf", ".nan", "1:20", "190:20:30", "2026-01-01", "2026-1-1", "2026-02-30",
    "2026-01-01T10:00", "2026-01-01T10:00:00", "2026-01-01T10:00:00Z",
    "2026-01-01 10:00:00 +02:00", "2026-01-01T1:00:00Z", "2026-01-01t10:00:00",
    "2026-01-01T10:00:00.5+02", "20260101", "anna", "C-2026-0101-WJGP", "it's",
    "a b", "café", "10:30", "#x", "x #y", "-", "[x]", "{x}", "a: b", "=", "<<",
]  # fmt: skip

texts = st.one_of(st.sampled_from(TRICKY), st.text(min_size=0, max_size=12))


@st.composite
def scalars(draw) -> str:
    text = draw(texts)
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


@st.composite
def documents(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(scalars())
        form = draw(st.sampled_from(["value", "block list", "flow map"]))
        if form == "value":
            lines.append(f"{key}: {draw(scalars())}")
        elif form == "block list":
            lines.append(f"{key}:")
            lines += [f"  - {draw(scalars())}" for _ in range(draw(st.integers(0, 3)))]
        else:
            pairs = [
                f"{draw(scalars())}: {draw(scalars())}" for _ in range(draw(st.integers(0, 3)))
            ]
            lines.append(f"{key}: {{{', '.join(pairs)}}}")
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_documents_hypothesis_makes_read_alike(raw):
    both_agree(raw)


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(["", "Z", "+02:00", "-05:30", "+14:00", " +01:00"]),
)
def test_dates_and_times_read_alike(day, hour, minute, second, zone):
    raw = f"at: {day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{zone}\nday: {day}\n"
    both_agree(raw.encode())
