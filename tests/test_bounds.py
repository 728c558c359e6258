"""Bounds on what a register's input can make the program do (issue "Hardening").

Letter templates come with the register: a template that would exhaust memory, run for
ever, include itself or read a file outside its folder is refused with an error at the
template and line, never a traceback or a hang. The personal-data scan takes time in
proportion to the text, and finds exactly what it found before it did.
"""

import os
import unicodedata
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_letters import make_register

from complaints_register.cli.main import cli
from complaints_register.core import personal_data
from complaints_register.core.problems import ProblemsFound
from complaints_register.text import letters

TEMPLATE = "register/letters/acknowledgement.en.md"
ARGS = ("letter", "C-2026-0707", "acknowledgement", "--as-of", "2026-07-08")


@pytest.fixture
def register(tmp_path, monkeypatch):
    """A register with a `letters` folder, and the working folder above it."""
    root = make_register(tmp_path / "register", "en")
    (root / "letters").mkdir()
    monkeypatch.chdir(tmp_path)
    return root


def write(register, template: str, name: str = "acknowledgement.en.md") -> None:
    (register / "letters" / name).write_text(template, encoding="utf-8")


def refused(result, line: int, message: str, place: str = TEMPLATE) -> None:
    """The letter is refused with a template error at `place` and `line`, nothing else."""
    assert result.exit_code == 1, result.output[:500]
    assert result.stderr.startswith(f"{place}:{line}: template error: ") or (
        line == 0 and result.stderr.startswith(f"{place}: template error: ")
    ), result.stderr[:500]
    assert message in result.stderr, result.stderr[:500]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.stdout == ""


def letter(register):
    return CliRunner().invoke(cli, ["--register", "register", *ARGS])


# Each of these would take gigabytes, years, or Python's whole stack.
TOO_MUCH = [
    pytest.param(
        "\n{{ 'x' * 10**9 }}\n",
        2,
        "this makes 1,000,000,000 characters or items, more than",
        id="text times a billion",
    ),
    pytest.param(
        "{{ [1, 2] * 10**8 }}",
        1,
        "this makes 200,000,000 characters or items",
        id="list times a hundred million",
    ),
    pytest.param(
        "{{ 10**5 * 'x' }}{{ 'y' * 10**5 * 2 }}",
        1,
        "this makes 200,000 characters",
        id="text times, twice",
    ),
    pytest.param(
        "{% for i in range(10**12) %}{{ i }}{% endfor %}",
        1,
        "a range of 1,000,000,000,000",
        id="huge range",
    ),
    pytest.param(
        "{{ 7 ** 999999999 }}", 1, "a number of about 2,999,999,997 binary digits", id="huge power"
    ),
    pytest.param(
        '{% set s = "x" * 90000 %}\n{{ s ~ s }}',
        2,
        "this makes 180,000 characters",
        id="text joined with ~",
    ),
    pytest.param(
        '{% set ns = namespace(s="x") %}{% for i in range(27) %}\n{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}',
        2,
        "this makes 131,072 characters",
        id="text doubled in a namespace",
    ),
    pytest.param(
        '{{ "x"|center(10**8) }}', 1, "this makes 100,000,000 characters", id="center filter"
    ),
    pytest.param(
        '{{ "{:>100000000}".format(1) }}',
        1,
        "this makes 100,000,000 characters",
        id="str.format width",
    ),
    pytest.param('{{ "x".ljust(10**8) }}', 1, "this makes 100,000,000 characters", id="str.ljust"),
    pytest.param(
        '{{ ["a"] * 10**5 + ["b"] }}', 1, "this makes 100,001 characters or items", id="lists added"
    ),
    pytest.param(
        "{% for i in range(20000) %}\nxxxxxxxxxx{% endfor %}",
        1,
        "longer than 100,000 characters",
        id="long letter",
    ),
    pytest.param(
        'a\n{% include "acknowledgement.en.md" %}',
        2,
        "more than 100 templates extended,",
        id="includes itself",
    ),
    pytest.param(
        '{% extends "acknowledgement.en.md" %}',
        1,
        "does acknowledgement.en.md extend or",
        id="extends itself",
    ),
    pytest.param(
        "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}",
        1,
        "calls nest more than 50 deep",
        id="macro calls itself",
    ),
    pytest.param("x\n{{ 1 / 0 }}", 2, "division by zero", id="Python error"),
]


@pytest.mark.parametrize("template, line, message", TOO_MUCH)
def test_a_template_that_asks_too_much_is_refused_at_its_line(register, template, line, message):
    write(register, template)
    refused(letter(register), line, message)


# A memory bound for what no check foresees (Linux: RLIMIT_AS), and a time bound.
@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux")
@pytest.mark.parametrize(
    "template",
    ['{{ "{:>900000000}".format(1) }}', '{{ ("x" * 99999)|replace("x", "y" * 99999) }}'],
)
def test_a_template_that_needs_too_much_memory_is_refused(register, template):
    write(register, template)
    refused(letter(register), 1, "the letter needs more than 512 MiB of memory")


@pytest.mark.parametrize(
    "template, line",
    [
        pytest.param(
            "{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}{% endfor %}",
            2,
            id="loop in a loop",
        ),
        pytest.param(
            "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\n"
            "{{ f(45) }}",
            1,
            id="macro calling itself twice",
        ),
    ],
)
def test_a_template_that_runs_too_long_is_stopped(register, monkeypatch, template, line):
    monkeypatch.setattr(letters, "TIME_LIMIT", 2, raising=False)
    write(register, template)
    refused(letter(register), line, "the letter took longer than 2 seconds to write")


def test_the_bounds_leave_the_program_as_it_was(register):
    import resource
    import signal

    before = (resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM))
    write(register, "{{ 'x' * 10**9 }}")
    refused(letter(register), 1, "this makes")
    assert (resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    (register / "letters" / "acknowledgement.en.md").unlink()
    result = letter(register)
    assert result.exit_code == 0 and "by August" in result.stdout


# Template files: regular files in the template folder, reached through no link. The
# command refuses a `letters` folder holding anything but plain files before it writes a
# letter; `render` checks each file again as it opens it, so these go to `render` itself.


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("SECRET-TOKEN-123\n")
    return path


def render(register, template: str = "acknowledgement.en.md") -> str:
    return letters.render(register, template, {"id": "C-2026-0707-X6MJ"})


def problem(register) -> str:
    with pytest.raises(ProblemsFound) as found:
        render(register)
    assert len(found.value.problems) == 1
    return str(found.value.problems[0])


def test_a_template_that_is_a_symbolic_link_is_refused(register, secret):
    (register / "letters" / "acknowledgement.en.md").symlink_to(secret)
    assert problem(register) == (
        f"{TEMPLATE}: template error: a symbolic link:"
        " a letter template must be a file in register/letters"
    )
    result = letter(register)
    assert result.exit_code == 1 and "symbolic link" in result.stderr
    assert "SECRET" not in result.output and "Traceback" not in result.output


def test_an_included_template_that_is_a_symbolic_link_is_refused(register, secret):
    write(register, 'Hello\n{% include "_part.md" %}\n')
    (register / "letters" / "_part.md").symlink_to(secret)
    said = problem(register)
    assert said.startswith("register/letters/_part.md: template error: a symbolic link")
    assert "SECRET" not in said


def test_a_linked_folder_of_templates_is_refused(register, secret):
    (register / "letters" / "shared").symlink_to(secret.parent)
    write(register, '{% include "shared/secret.txt" %}\n')
    said = problem(register)
    assert said.startswith("register/letters/shared: template error: a symbolic link")


def test_a_letters_folder_that_is_a_link_is_refused(tmp_path, secret, monkeypatch):
    root = make_register(tmp_path / "register", "en")
    (secret.parent / "acknowledgement.en.md").write_text("{{ id }} stolen\n")
    (root / "letters").symlink_to(secret.parent)
    monkeypatch.chdir(tmp_path)
    assert problem(root) == (
        "register/letters: template error: a symbolic link:"
        " the folder of a register's letter templates must be a folder"
    )


def test_a_template_that_is_not_a_regular_file_is_refused(register):
    os.mkfifo(register / "letters" / "acknowledgement.en.md")  # reading would wait for ever
    assert problem(register) == (
        f"{TEMPLATE}: template error: not a regular file: a letter template must be one"
    )


def test_a_template_too_large_or_not_text_is_refused(register):
    write(register, "x" * (letters.MAX_TEMPLATE_BYTES + 1))
    assert problem(register).endswith("a letter template may be at most 100,000 bytes long")
    (register / "letters" / "acknowledgement.en.md").write_bytes(b"\xff\xfe{{ id }}")
    assert problem(register).endswith("a letter template must be UTF-8 text")


def test_a_template_in_a_folder_of_the_register_s_own_is_found(register):
    (register / "letters" / "parts").mkdir()
    write(register, "Part: {{ id }}\n", "parts/_part.md")
    write(register, '# Subject\n\n{% include "parts/_part.md" %}\n')
    assert render(register) == "# Subject\n\nPart: C-2026-0707-X6MJ\n"


# The personal-data scan: linear, and what it finds unchanged. The scan as it was (the
# oracle) looked at the whole text before and after each telephone match.


def _other_number_as_it_was(text: str, start: int, end: int) -> bool:
    pd = personal_data
    raw = _ascii_digits_as_it_was(text[start:end])
    before, after = text[:start], text[end:]
    return bool(
        pd._CODE_BEFORE.search(before)
        or (raw.isdecimal() and len(raw) > pd._LONGEST_RUN)
        or pd._is_date(raw)
        or pd._TIME_RANGE.fullmatch(raw)
        or pd._NUMBER_OF_YEAR.fullmatch(raw)
        or pd._THOUSANDS.fullmatch(raw)
        or pd._DECIMALS_AFTER.match(after)
        or pd._is_currency(before.rstrip()[-1:])
        or pd._is_currency(after.lstrip()[:1])
    )


def _ascii_digits_as_it_was(text: str) -> str:
    return "".join(str(int(c)) if c.isdecimal() else c for c in text)


def found_as_it_was(text: str, region: str) -> list:
    with (
        mock.patch.object(personal_data, "_other_number", _other_number_as_it_was),
        mock.patch.object(personal_data, "_ascii_digits", _ascii_digits_as_it_was),
    ):
        return personal_data.found_in(text, region)


# Digits of two scripts, the separators numbers are written with, letters that make codes
# and IBANs, currency signs, and the spaces `strip` knows (a newline, a no-break space).
CHARACTERS = "0123456789۰۱۲۳۴۵۶۷۸۹ +-./,:#_()@€$\n\u00a0\u2009aIiTtNOVbEx"
TEXTS = st.text(alphabet=st.sampled_from(CHARACTERS), max_size=80) | st.lists(
    st.sampled_from(
        [
            "+39 347 123 4567",
            "347 123 4567",
            "(06) 5550 1234",
            "0655501234",
            "4111 1111 1111 1111",
            "IT60 X054 2811 1010 0000 0123 456",
            "a@example.org",
            "INV-",
            "#",
            "€ ",
            " €",
            ",50",
            "2026/",
            "03.04.2026",
            "12:30-13:30",
            "1.234.567",
            " ",
            "\n",
            "\u00a0",
            "x",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from(["IT", "GB", "US", "IR"]))
def test_the_scan_finds_what_it_found_before(text, region):
    assert personal_data.found_in(text, region) == found_as_it_was(text, region)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(CHARACTERS), max_size=40), st.data())
def test_each_look_beside_a_match_is_as_before(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert personal_data._other_number(text, start, end) == _other_number_as_it_was(
        text, start, end
    )


def test_ascii_digits_are_as_before():
    every = "".join(chr(c) for c in range(0x700)) + "٠١٢٣۴۵۶߀߁"
    for piece in (every, "1234", "IT60", "۶۰۳۷", "a\u00a01"):
        assert personal_data._ascii_digits(piece) == _ascii_digits_as_it_was(piece)


def test_the_whitespace_walk_knows_what_strip_knows():
    spaces = [chr(c) for c in range(0x3100) if chr(c).isspace()]
    assert {c for c in spaces if not c.strip()} == set(spaces)
    assert all(unicodedata.category(c) != "Sc" for c in spaces)


def test_the_scan_looks_only_beside_each_match(monkeypatch):
    """What made it quadratic, without timing it: for each telephone number found, the
    text before it was searched whole for a code's letters. Now a few characters are."""
    text = " and ".join(["call 347 123 4567"] * 300)
    searched: list[int] = []
    pattern = personal_data._CODE_BEFORE

    class Recording:
        def search(self, string: str, *args):
            searched.append(len(string))
            return pattern.search(string, *args)

    monkeypatch.setattr(personal_data, "_CODE_BEFORE", Recording())
    found = personal_data.found_in(text, "IT")
    assert [f.kind for f in found] == ["telephone"] * 300
    assert len(searched) == 300 and max(searched) <= 3
