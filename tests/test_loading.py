"""Loading refuses what is not plain, safe YAML: a clear error naming file and line,
never a crash, a hang or a memory blow-up."""

import pytest

from complaints_register.schema import Complaint
from complaints_register.store.register import load
from complaints_register.store.yamlsafe import MAX_BYTES, MAX_DEPTH, parse

GOOD = b"""id: C-2026-0403-K7Q2
received: 2026-04-03T09:12:00+02:00
channel: email
language: it
category: billing
summary: Double charge
events: []
"""

BILLION_LAUGHS = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode()
    for i in range(9)
)


@pytest.mark.parametrize(
    "name, raw, line, message",
    [
        (
            "alias",
            GOOD.replace(b"channel: email", b"channel: &c email\nlanguage2: *c"),
            4,
            "aliases (*name) are not allowed",
        ),
        ("billion laughs", BILLION_LAUGHS, 2, "aliases (*name) are not allowed"),
        ("duplicate key", GOOD + b"summary: again\n", 8, "duplicate key 'summary'"),
        (
            "python tag",
            GOOD.replace(
                b"summary: Double charge", b"summary: !!python/object/apply:os.system [ls]"
            ),
            6,
            "custom tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
        ),
        (
            "local tag",
            GOOD.replace(b"summary: Double charge", b"summary: !secret x"),
            6,
            "custom tag !secret is not allowed",
        ),
        (
            "binary",
            GOOD.replace(b"summary: Double charge", b"summary: !!binary aGk="),
            6,
            "custom tag tag:yaml.org,2002:binary is not allowed",
        ),
        ("merge key", b"base: {a: 1}\n<<: {b: 2}\n", 2, "merge keys (<<) are not allowed"),
        (
            "latin-1",
            GOOD.replace(b"Double charge", "Doppio addebito però".encode("latin-1")),
            6,
            "not UTF-8 text",
        ),
        (
            "too deep",
            b"a: " + b"[" * (MAX_DEPTH + 5) + b"]" * (MAX_DEPTH + 5) + b"\n",
            1,
            f"nested deeper than {MAX_DEPTH} levels",
        ),
        ("absurdly deep", b"[" * 500_000, 1, f"nested deeper than {MAX_DEPTH} levels"),
        (
            "broken syntax",
            GOOD.replace(b"events: []", b"events: [unclosed"),
            8,
            "not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 7)",
        ),
        ("tab indent", GOOD + b"\tx: 1\n", 8, "not valid YAML"),
        ("two documents", GOOD + b"---\nid: other\n", 8, "more than one YAML document"),
        ("mapping as key", b"? {a: 1}\n: b\n", 1, "a key must be a plain value"),
        ("impossible date", GOOD.replace(b"2026-04-03T09", b"2026-02-30T09"), 2, "cannot read"),
    ],
)
def test_refused(tmp_path, name, raw, line, message):
    path = tmp_path / "C-2026-0403-K7Q2.yaml"
    path.write_bytes(raw)
    loaded = load(path, Complaint)
    assert loaded.model is None
    [problem] = loaded.problems
    assert problem.file.endswith("C-2026-0403-K7Q2.yaml")
    assert (problem.line, message) == (line, problem.message[: len(message)]), problem


def test_file_over_the_size_limit_is_not_read_whole(tmp_path):
    path = tmp_path / "C-2026-0403-K7Q2.yaml"
    path.write_bytes(GOOD + b"#" * MAX_BYTES)
    [problem] = load(path, Complaint).problems
    assert f"larger than {MAX_BYTES // 1024} KiB" in problem.message


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "C-2026-0403-K7Q2.yaml"
    path.write_bytes(GOOD + b"#" * (MAX_BYTES - len(GOOD)))
    assert load(path, Complaint).problems == []


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    [problem] = load(tmp_path / "nowhere.yaml", Complaint).problems
    assert "cannot read" in problem.message


def test_byte_order_mark_is_accepted():
    assert parse(b"\xef\xbb\xbf" + GOOD).data["channel"] == "email"


def test_every_value_has_its_line():
    doc = parse(b"a: 1\nevents:\n  - {type: x, at: 2026-01-01}\n  - type: y\n    at: 2026-01-02\n")
    assert doc.line_of(("events", 1, "at")) == 5
    assert doc.line_of(("events", 0, "at")) == 3
    assert doc.line_of(("events", 7, "at")) == 3  # unknown: the line where the list starts


def test_reading_many_files_keeps_nothing_behind():
    from complaints_register.store import yamlsafe

    for _ in range(50):
        parse(GOOD)
    assert yamlsafe._constructor.constructed_objects == {}
