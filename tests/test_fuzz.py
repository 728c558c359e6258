"""`check` and the site build fed hostile input (hypothesis): arbitrary bytes, arbitrary YAML
and arbitrary policy text. Whatever the files hold, an answer within a bound, never an
internal error or a traceback, and nothing printed or published that a terminal or a
browser would act on."""

import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import yaml
from conftest import COMPLAINT, POLICY, ROOT, TestRegister, complaint, policy, write_yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from registers import tempting, write_register
from sites import AS_OF, COMPLAINTS, every_file
from test_hostile_text import RAW_CONTROL, inert_problems

from complaints_register.schema import Policy
from complaints_register.schema.base import NOT_PUBLIC

BOUND = 20  # seconds: `check` of a register of one or two small files takes well under one
BUILD_BOUND = 180  # seconds: a build of the site in three languages takes a few
FILES = ("policy.yaml", "2026/C-2026-0403-K7Q2.yaml", "actions/A-2026-0410-7KQ2.yaml")
FUZZED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Hang(BaseException):
    """An example ran past the bound (a BaseException: the CLI catches every Exception)."""


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    def stop(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def checked(files: dict[str, bytes], fmt: str):
    """`complaints check` of a register holding the test policy and `files` (by path)."""
    with tempfile.TemporaryDirectory() as folder:
        register = TestRegister(Path(folder) / "register")
        for name, raw in files.items():
            path = register.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
        with bounded(BOUND):
            return register.run("check", "--format", fmt)


def assert_answered(result) -> None:
    """An answer: exit 0 or 1, no internal error, no traceback, nothing a terminal acts on."""
    printed = result.stdout + result.stderr
    assert result.exit_code in (0, 1), (result.exit_code, printed, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), printed
    assert "internal error" not in result.stderr, printed
    assert "Traceback" not in printed, printed
    assert RAW_CONTROL.search(printed) is None, printed


formats = st.sampled_from(["text", "github", "json"])

# --- Arbitrary bytes -------------------------------------------------------------------------


@FUZZED
@given(name=st.sampled_from(FILES), raw=st.binary(max_size=2048), fmt=formats)
@example(name=FILES[1], raw=b"\xff\xfe\x00garbage", fmt="text")
@example(name=FILES[0], raw=b"a: &a [1]\nb: [*a, *a, *a]\n", fmt="text")  # an alias
@example(name=FILES[1], raw=b"[" * 5000 + b"]" * 5000, fmt="text")  # deep nesting
@example(name=FILES[1], raw=b"!!python/object:os.system {}\n", fmt="github")
@example(name=FILES[0], raw=b"organisation: \x1b]0;owned\x07\n", fmt="text")
def test_check_answers_arbitrary_bytes(name, raw, fmt):
    assert_answered(checked({name: raw}, fmt))


# --- Arbitrary YAML --------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.dates()
    | st.datetimes()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _plain(value: object) -> object:
    """`value` as YAML can write it (dates and times as they are; keys as text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _dumped(data: object) -> bytes:
    return yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False).encode()


EVENT_KEYS = ("type", "at", "by", "note", "priority", "handler", "outcome", "event", "reason")


@FUZZED
@given(
    name=st.sampled_from(FILES),
    key=st.sampled_from(sorted(set(COMPLAINT) | set(POLICY)) + ["unknown\x1b[2J"]),
    value=values,
    event=st.dictionaries(st.sampled_from(EVENT_KEYS) | st.text(max_size=8), values, max_size=6),
    fmt=formats,
)
def test_check_answers_arbitrary_yaml(name, key, value, event, fmt):
    """A valid file with one key's value replaced, and an event of arbitrary fields."""
    if name == "policy.yaml":
        data = policy(**{key: value})
    else:
        data = complaint(event)
        data[key] = value
    assert_answered(checked({name: _dumped(data)}, fmt))


@FUZZED
@given(data=values, fmt=formats)
def test_check_answers_an_arbitrary_complaint_document(data, fmt):
    assert_answered(checked({FILES[1]: _dumped(data)}, fmt))


# --- Arbitrary policy text -------------------------------------------------------------------

HOSTILE_PARTS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "![p](https://evil.example/p.png)",
    "{: onclick=alert(1) }",
    "Lagoon",
    " ",
    "&",
    '"',
    "'",
    "*",
    "_",
    "`",
    "\\",
    "\x1b[2J",
    "\r",
    "\n",
    "\u202e",
    "\x9b",
)


# Between two markers, so that the text found raw in a page is this text and nothing else.
def _marked(parts: list[str]) -> str:
    return f"qz{''.join(parts)}zq"


policy_text = st.lists(st.sampled_from(HOSTILE_PARTS) | st.text(max_size=6), min_size=1).map(
    _marked
)
# What the schema accepts (no `<`, `>` or control characters) and a page must still escape.
accepted_text = st.lists(
    st.sampled_from([part for part in HOSTILE_PARTS if not re.search(f"[{NOT_PUBLIC}]", part)])
    | st.text(
        st.characters(exclude_categories=("Cc", "Cs", "Cf"), exclude_characters="<>"),
        max_size=6,
    ),
    min_size=1,
).map(_marked)
WEB = 'https://lagoon.example/?a=1&b="2"'
addresses = (
    st.sampled_from([None, WEB, "javascript:alert(1)", "complaints@example.org"]) | policy_text
)


@st.composite
def published(draw) -> dict[str, str | None]:
    """A policy's published fields: hostile text, or (half the time) text the schema takes
    that is markup all the same."""
    accepted = draw(st.booleans())
    text = accepted_text if accepted else policy_text
    fields = {name: draw(text) for name in ("organisation", "phone", "address", "name")}
    email = st.sampled_from([None, "complaints_desk@example.org"]) if accepted else addresses
    website = st.sampled_from([None, WEB]) if accepted else addresses
    return fields | {"email": draw(email), "website": draw(website)}


def hostile_policy(fields: dict[str, str | None]) -> dict:
    contact = {key: fields[key] for key in ("phone", "address", "email", "website")}
    recourse = [{"kind": "ombudsman", "name": fields["name"], "website": fields["website"]}]
    data = policy(organisation=fields["organisation"], contact=contact, recourse=recourse)
    # Without an address, e-mail is a channel of the past (retired): the site refuses a
    # listed channel with nothing to reach it by, which is not what this fuzzing is about.
    if not fields["email"]:
        data["channels"] = [c for c in data["channels"] if c != "email"]
        data["retired_channels"] = ["email"]
    return data


@FUZZED
@given(fields=published(), fmt=formats)
def test_check_answers_arbitrary_policy_text(fields, fmt):
    data = hostile_policy(fields)
    result = checked({"policy.yaml": _dumped(data)}, fmt)
    assert_answered(result)
    try:
        Policy.model_validate(data)
    except ValidationError:
        assert result.exit_code == 1  # refused, at its line
    else:
        assert result.exit_code == 0


# --- The site --------------------------------------------------------------------------------


def site_build(register: Path, out: Path) -> subprocess.CompletedProcess:
    """`complaints site` of `register`, within the bound."""
    env = {
        **os.environ,
        "COMPLAINTS_REGISTER": str(register),
        "COMPLAINTS_AS_OF": AS_OF,
        "NO_MKDOCS_2_WARNING": "1",
    }
    return subprocess.run(
        [str(COMPLAINTS), "site", "--out", str(out), "--projects", str(out.parent / "projects")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_BOUND,
    )


HTML_SPECIAL = set("&\"'<>")


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=published())
@example(  # accepted by the schema: quotes and Markdown, shown as text
    fields={
        "organisation": 'Lagoon & "Water" \' onmouseover=alert(1) [x](javascript:alert(1))',
        "phone": "+39 06 5550 1234 {: onclick=alert(1) }",
        "address": "*Via* _Roma_ `1` ![p](https://evil.example/p.png)",
        "name": "javascript:alert(1)",
        "email": "complaints@example.org",
        "website": WEB,
    }
)
@example(  # refused
    fields={
        "organisation": "<script>alert(1)</script>",
        "phone": '"><img src=x onerror=alert(1)>',
        "address": "Lagoon",
        "name": "Ombudsman",
        "email": None,
        "website": "javascript:alert(1)",
    }
)
def test_the_site_publishes_policy_text_escaped_or_refuses_it(fields):
    data = hostile_policy(fields)
    with tempfile.TemporaryDirectory() as folder:
        register = write_register(Path(folder) / "register", tempting()[:3])
        write_yaml(register / "policy.yaml", data)
        result = site_build(register, Path(folder) / "public")
        assert "Traceback" not in result.stderr, result.stderr
        try:
            Policy.model_validate(data)
        except ValidationError:  # refused, with check's messages at their lines
            assert result.returncode == 1, result.stderr
            assert (
                f"the register's policy is invalid:\n{register / 'policy.yaml'}:" in result.stderr
            )
            return
        assert result.returncode == 0, result.stderr
        raw = [text for text in fields.values() if text and HTML_SPECIAL & set(text)]
        for path, text in every_file(Path(folder) / "public"):
            if path.suffix in (".html", ".xml"):
                assert inert_problems(text, text_only=True) == [], path
                assert [text_ for text_ in raw if text_ in text] == [], path
