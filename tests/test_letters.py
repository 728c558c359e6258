"""Letters to complainants: every kind in every language for example complaints, with the due
dates `show` gives written the local way; Persian marked right-to-left; `--to` used and
stored nowhere; template errors naming the template."""

import json
import re
import shutil

import pytest
import yaml
from babel.dates import format_date
from click.testing import CliRunner
from conftest import EXAMPLE, installed

from complaints_register.cli.main import cli

LANGUAGES = ("en", "id", "uk", "et", "it", "fa")
KINDS = ("acknowledgement", "info-request", "extension", "response", "escalation", "closure")

# Example complaints at the point of their life where each kind of letter is written:
# (kind, complaint, as of, show's due date the letter must state, or None).
CASES = [
    ("acknowledgement", "C-2026-0707-X6MJ", "2026-07-08", "respond"),  # stage 1, just acknowledged
    ("info-request", "C-2026-0909-ZCDH", "2026-09-18", "respond"),  # information asked for that day
    ("extension", "C-2026-0505-2QTX", "2026-05-28", "respond"),  # response date extended that day
    ("response", "C-2026-0707-X6MJ", "2026-07-27", None),  # stage 1 response, partly upheld
    ("response", "C-2026-0707-X6MJ", "2026-08-26", None),  # stage 2 outcome, not upheld
    ("escalation", "C-2026-0707-X6MJ", "2026-07-31", "respond"),  # internal review asked for
    ("closure", "C-2026-0707-X6MJ", "2026-07-29", None),  # closed, not satisfied
]
COMPLAINTS = sorted({case[1] for case in CASES})
STAFF = ("anna", "marco", "elena", "giulia", "luca", "sara", "paolo")

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
RLM, NBSP = "\u200f", "\u00a0"


def make_register(root, language: str):
    """A copy of the example policy and of the complaints above, in `language`."""
    root.mkdir(parents=True)
    shutil.copy(EXAMPLE / "policy.yaml", root / "policy.yaml")
    for complaint_id in COMPLAINTS:
        source = EXAMPLE / complaint_id[2:6] / f"{complaint_id}.yaml"
        text = re.sub(r"(?m)^language: \w+$", f"language: {language}", source.read_text("utf-8"))
        (root / complaint_id[2:6]).mkdir(exist_ok=True)
        (root / complaint_id[2:6] / source.name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def registers(tmp_path_factory):
    return {
        lang: make_register(tmp_path_factory.mktemp(lang) / "register", lang) for lang in LANGUAGES
    }


def run(root, *args):
    result = CliRunner().invoke(cli, ["--register", str(root), *args])
    return result


def written(day: str, language: str) -> str:
    """A date as a letter in `language` writes it: Babel's long form, in Persian digits for
    Persian (a mapping of our own, not the code's), spaces as they may be no-break ones."""
    text = format_date(
        __import__("datetime").date.fromisoformat(day), format="long", locale=language
    )
    return text.translate(PERSIAN_DIGITS) if language == "fa" else text


def plain(letter: str) -> str:
    """The letter with no-break spaces as spaces, lines joined, and no direction marks."""
    return re.sub(r"\s+", " ", letter.replace(NBSP, " ").replace(RLM, "").replace("\u202f", " "))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind, complaint_id, as_of, due_step", CASES)
@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_every_kind_in_every_language(
    registers, language, kind, complaint_id, as_of, due_step, fmt
):
    root = registers[language]
    letter = run(root, "letter", complaint_id, kind, "--as-of", as_of, "--format", fmt)
    assert letter.exit_code == 0, letter.output
    shown = json.loads(run(root, "show", complaint_id, "--as-of", as_of, "--format", "json").stdout)
    text = plain(letter.stdout)
    assert complaint_id in text
    assert plain(written(as_of, language)) in text  # the letter's own date
    if due_step:
        due = shown["due"][due_step]
        assert due is not None
        assert plain(written(due, language)) in text, (due, text)
    if kind in ("acknowledgement", "extension", "response") and shown["stage"] == 1:
        assert plain(written(shown["received"][:10], language)) in text
    for name in STAFF:  # roles, never names
        assert not re.search(rf"\b{name}\b", text, re.I), name
    assert "{{" not in text and "{%" not in text


def test_a_due_date_by_hand(registers):
    # C-2026-0707-X6MJ was received on Tuesday 7 July 2026 (normal priority): 20 working
    # days later is Tuesday 4 August (8-10 July: 3, 13-17: 8, 20-24: 13, 27-31: 18, 3-4 Aug: 20).
    letter = run(
        registers["it"], "letter", "C-2026-0707", "acknowledgement", "--as-of", "2026-07-08"
    )
    assert "entro il giorno 4 agosto 2026" in plain(letter.stdout)
    english = run(
        registers["en"], "letter", "C-2026-0707", "acknowledgement", "--as-of", "2026-07-08"
    )
    assert "by August 4, 2026 at the latest" in plain(english.stdout)


def test_the_outcome_remedies_and_the_way_on(registers):
    stage1 = plain(
        run(registers["en"], "letter", "C-2026-0707", "response", "--as-of", "2026-07-27").stdout
    )
    assert "your complaint is partly justified, and we uphold it in part" in stage1
    assert "a full explanation of what happened and why" in stage1
    # Stage 2 with the policy's targets (3 and 20 working days), and the outside bodies.
    assert "within 3 working days" in stage1 and "within 20 working days" in stage1
    assert "Lagoon Utilities Ombudsman (https://ombudsman.example.org)" in stage1
    assert "Regional Water Services Authority of the Lagoon" in stage1
    stage2 = plain(
        run(registers["en"], "letter", "C-2026-0707", "response", "--as-of", "2026-08-26").stdout
    )
    assert "the reviewer has found that we cannot uphold your complaint" in stage2
    assert "This review completes our internal complaints procedure" in stage2
    assert "ask for an internal review" not in stage2
    assert "Lagoon Utilities Ombudsman" in stage2


@pytest.mark.parametrize("language", LANGUAGES)
def test_persian_is_marked_right_to_left(registers, language):
    args = ("letter", "C-2026-0707", "acknowledgement", "--as-of", "2026-07-08")
    markdown = run(registers[language], *args).stdout
    text = run(registers[language], *args, "--format", "text").stdout
    lines = [line for line in text.splitlines() if line]
    if language == "fa":
        assert markdown.startswith('<div dir="rtl" lang="fa">\n\n')
        assert markdown.rstrip().endswith("</div>")
        assert all(line.startswith(RLM) for line in lines)
        # The Latin reference keeps its own direction inside the Persian sentence.
        assert "\u2068C-2026-0707-X6MJ\u2069" in text
    else:
        assert "dir=" not in markdown and RLM not in text and "\u2068" not in text


def test_to_is_in_the_salutation_and_stored_nowhere(tmp_path):
    register = make_register(tmp_path / "register", "en")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    name = "Zeynab Quetzalcoatl"
    result = installed(
        "--register",
        str(register),
        "letter",
        "C-2026-0707",
        "closure",
        "--as-of",
        "2026-07-29",
        "--to",
        name,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert f"Dear {name}," in result.stdout
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing written, nothing changed
    assert not any(name.encode() in content for content in after.values())
    without = installed(
        "--register",
        str(register),
        "letter",
        "C-2026-0707",
        "closure",
        "--as-of",
        "2026-07-29",
        cwd=tmp_path,
    )
    assert "Dear customer," in without.stdout


def test_a_name_is_shown_as_written(registers):
    args = (
        "letter",
        "C-2026-0707",
        "acknowledgement",
        "--as-of",
        "2026-07-08",
        "--to",
        "<b>Eve</b> *Ng*",
    )
    assert "Dear \\<b\\>Eve\\</b\\> \\*Ng\\*," in run(registers["en"], *args).stdout
    assert "Dear <b>Eve</b> *Ng*," in run(registers["en"], *args, "--format", "text").stdout


@pytest.mark.parametrize(
    "kind, as_of, message",
    [
        ("closure", "2026-07-08", "is not closed (acknowledged at stage 1)"),
        ("response", "2026-07-08", "no response is recorded at stage 1"),
        ("escalation", "2026-07-27", "is not under internal review"),
        ("extension", "2026-07-08", "was not extended"),
        ("info-request", "2026-07-08", "no information is awaited"),
        ("acknowledgement", "2026-07-29", "is closed at stage 1"),
    ],
)
def test_a_letter_that_does_not_fit_is_refused(registers, kind, as_of, message):
    result = run(registers["en"], "letter", "C-2026-0707", kind, "--as-of", as_of)
    assert result.exit_code == 1 and message in result.stderr, result.output
    assert result.stdout == ""


def test_the_organisation_s_own_template_comes_first(tmp_path):
    register = make_register(tmp_path / "register", "en")
    (register / "letters").mkdir()
    (register / "letters" / "acknowledgement.en.md").write_text(
        '{% extends "_letter.en.md" %}\n{% block subject %}Got it: {{ id }}{% endblock %}\n'
        "{% block body %}\nWe will answer by {{ due.respond }}.\n{% endblock %}\n",
        encoding="utf-8",
    )
    result = run(register, "letter", "C-2026-0707", "acknowledgement", "--as-of", "2026-07-08")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Got it: C-2026-0707-X6MJ\n")
    assert "We will answer by August\u00a04,\u00a02026." in result.stdout
    assert "Yours sincerely," in result.stdout  # the shared parts still come from the default


@pytest.mark.parametrize(
    "template, line, message",
    [
        ("Line one\nLine two {{ complainant_email }}\n", 2, "'complainant_email' is undefined"),
        ("{% if %}\n", 1, "template error:"),
        ("\n\n{{ id.__class__.__mro__ }}\n", 3, "unsafe"),
        ('{% extends "_letter.xx.md" %}\n', 1, "no template _letter.xx.md"),
    ],
)
def test_a_template_error_names_the_template_and_line(tmp_path, template, line, message):
    register = make_register(tmp_path / "register", "en")
    (register / "letters").mkdir()
    path = register / "letters" / "acknowledgement.en.md"
    path.write_text(template, encoding="utf-8")
    result = installed(
        "--register",
        "register",
        "letter",
        "C-2026-0707",
        "acknowledgement",
        "--as-of",
        "2026-07-08",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith(f"register/letters/acknowledgement.en.md:{line}: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_an_error_in_a_shared_part_names_that_part(tmp_path):
    register = make_register(tmp_path / "register", "en")
    (register / "letters").mkdir()
    (register / "letters" / "_letter.en.md").write_text(
        "# {% block subject %}{% endblock %}\n\n{{ date }}\n\n{{ signature }}\n", encoding="utf-8"
    )
    result = installed(
        "--register",
        "register",
        "letter",
        "C-2026-0707",
        "acknowledgement",
        "--as-of",
        "2026-07-08",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        "register/letters/_letter.en.md:5: template error: 'signature' is undefined"
    )


def test_a_language_without_templates(tmp_path):
    register = make_register(tmp_path / "register", "en")
    policy = yaml.safe_load((register / "policy.yaml").read_text("utf-8"))
    policy["languages"].append("de")
    (register / "policy.yaml").write_text(
        yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8"
    )
    path = register / "2026" / "C-2026-0707-X6MJ.yaml"
    path.write_text(
        path.read_text("utf-8").replace("language: en", "language: de"), encoding="utf-8"
    )
    result = installed(
        "--register",
        "register",
        "letter",
        "C-2026-0707",
        "acknowledgement",
        "--as-of",
        "2026-07-08",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "cannot write letters in 'de': no wording for language 'de'" in result.stderr
