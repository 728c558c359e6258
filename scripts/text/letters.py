"""Letters to complainants, in their language: acknowledgement, information request,
extension, response, escalation (the internal review) and closure.

A letter is a template filled with values worked out here from the complaint's facts as of
a date (the same facts `complaints show` prints) and from the policy. The values never
include a staff name: the templates speak of roles ("your case handler", "the reviewer").
The name in the salutation (`--to`) is used for the one letter and stored nowhere.

Templates are Jinja2, rendered in a sandbox with undefined values as errors, and are looked
up first in the register (`<register>/letters/`, the organisation's own wording), then among
the defaults shipped in `scripts/letters/`: one file per kind and language,
`<kind>.<language>.md`, each extending `_letter.<language>.md` (salutation, contact and
signature). See scripts/letters/README.md for the values a template can use.

Dates are written the local way with Babel (CLDR "long" dates) in the language's own digits;
the policy's targets and outside bodies are the sentences `complaints_register.text.wording` publishes on the
site, so a letter and the published policy always say the same.
"""

import importlib.resources
import re
import textwrap
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, overload

from babel import Locale
from babel.dates import format_date
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment

from complaints_register.core.problems import Problem, ProblemsFound
from complaints_register.core.review import counted_events
from complaints_register.core.status import Facts
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.events import Responded
from complaints_register.store.files import RegisterError, shown
from complaints_register.text.numerals import digits
from complaints_register.text.wording import PolicyWords, policy_in_words

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

KINDS = ("acknowledgement", "info-request", "extension", "response", "escalation", "closure")
FOLDER = "letters"
WIDTH = 72
"""Plain-text letters are wrapped for e-mail."""

RLM = "\u200f"  # RIGHT-TO-LEFT MARK
NBSP = "\u00a0"  # NO-BREAK SPACE
_ISOLATE = ("\u2068", "\u2069")  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE


class LetterError(RegisterError):
    """A letter that cannot be written: it does not fit the complaint as of the date, or
    there is no template for the language."""


def letter(
    register_root: Path,
    complaint: Complaint,
    facts: Facts,
    policy: Policy,
    calendar: "Calendar",
    kind: str,
    fmt: str = "markdown",
    name: str | None = None,
) -> str:
    """The letter of `kind` for `complaint` (with its `facts` as of the letter's date), in
    the complainant's language."""
    language = facts.language
    values = letter_values(complaint, facts, policy, calendar, kind, language, name)
    if fmt == "markdown":
        values = _escaped(values)
    body = render(register_root, f"{kind}.{language}.md", values)
    rtl = Locale.parse(language).character_order == "right-to-left"
    return as_markdown(body, language, rtl) if fmt == "markdown" else as_text(body, rtl)


def letter_values(
    complaint: Complaint,
    facts: Facts,
    policy: Policy,
    calendar: "Calendar",
    kind: str,
    language: str,
    name: str | None,
) -> dict[str, object]:
    """What a template can use (scripts/letters/README.md), every date and number written
    for `language`; LetterError when `kind` does not fit the complaint as of its date."""
    if kind not in KINDS:
        raise LetterError(f"no letter kind {kind!r} (one of: {', '.join(KINDS)})")
    _require_fits(facts, kind)
    words = _words(policy, language, facts.as_of)
    locale = Locale.parse(language)
    rtl = locale.character_order == "right-to-left"
    stage, state_stage = facts.current, facts.state.stage
    response = _last_response(complaint, facts, calendar)
    name = " ".join(name.split()) if name else None

    def day(when: date | None) -> str | None:
        return local_date(when, locale) if when else None

    def iso(text: str) -> str:  # a Latin name or number keeps its own direction
        return f"{_ISOLATE[0]}{text}{_ISOLATE[1]}" if rtl else text

    return {
        "kind": kind,
        "language": language,
        "name": iso(name) if name else None,
        "id": iso(facts.id),
        "organisation": iso(policy.organisation),
        "contact": {
            key: iso(value) if value else None for key, value in policy.contact.model_dump().items()
        },
        "date": day(facts.as_of),
        "received": day(calendar.local_date(facts.received)),
        "stage": stage.stage,
        "review_requested": day(facts.stages[1].started) if len(facts.stages) > 1 else None,
        "due": {step: day(when) for step, when in stage.due.items()},
        "done": {step: day(when) for step, when in stage.done.items()},
        "info_requested": day(state_stage.pauses[-1][0]) if state_stage.pauses else None,
        "closed": day(state_stage.stopped) if facts.state.status == "closed" else None,
        "satisfied": facts.state.satisfied,
        "outcome": response.outcome if response else None,
        "remedies": list(response.remedies) if response else [],
        "review": words.internal_review,
        "coming": list(words.coming),
        "recourse": list(words.external_recourse),
        "outside_bodies": bool(policy.recourse),
    }


def local_date(day: date, locale: Locale) -> str:
    """`day` as the language writes it in a letter: CLDR's long form, in its own digits,
    with no-break spaces so that a date is never split across two lines."""
    return digits(format_date(day, format="long", locale=locale), locale).replace(" ", NBSP)


# What each kind needs, as of the letter's date, and what to do when it is not so.
def _require_fits(facts: Facts, kind: str) -> None:
    current, state = facts.current, facts.state
    running = facts.state.stage.stopped is None
    when = f"{facts.id} as of {facts.as_of}"
    needs = {
        "acknowledgement": (
            current.stage == 1 and running and current.due["respond"] is not None,
            f"an acknowledgement promises a stage 1 response date, but {when} is {_status(facts)}",
        ),
        "info-request": (
            current.paused and running,
            f"no information is awaited from the complainant for {when} (log info-requested first)",
        ),
        "extension": (
            state.stage.extended_to is not None and current.due["respond"] is not None,
            f"the response date of {when} was not extended (log extended first)",
        ),
        "response": (
            current.done["responded"] is not None,
            f"no response is recorded at stage {current.stage} for {when} (log responded first)",
        ),
        "escalation": (
            current.stage == 2 and current.due["respond"] is not None,
            f"{when} is not under internal review (log escalated first)",
        ),
        "closure": (state.status == "closed", f"{when} is not closed ({_status(facts)})"),
    }
    fits, message = needs[kind]
    if not fits:
        raise LetterError(f"cannot write the {kind} letter: {message}")


def _status(facts: Facts) -> str:
    return f"{facts.state.status} at stage {facts.current.stage}"


def _last_response(complaint: Complaint, facts: Facts, calendar: "Calendar") -> Responded | None:
    """The responded event of the current stage that counts, if any."""
    found: Responded | None = None
    for _, stage, event in counted_events(complaint, facts, calendar):
        if event.type == "responded" and stage == facts.current.stage:
            found = event
        elif event.type == "reopened":
            found = None
    return found


def _words(policy: Policy, language: str, on: date) -> PolicyWords:
    try:
        return policy_in_words(policy, language, on)
    except ValueError as error:
        raise LetterError(f"cannot write letters in {language!r}: {error}") from None


# Rendering


def template_folders(register_root: Path) -> list[Path]:
    """Where templates are looked up, the organisation's own first."""
    defaults = Path(str(importlib.resources.files("complaints_register.text") / "letter_templates"))
    return [Path(register_root) / FOLDER, defaults]


def render(register_root: Path, template: str, values: dict[str, object]) -> str:
    """Fill `template` with `values`; ProblemsFound naming the template (and the line, when
    known) for any error in it, LetterError when no folder has it."""
    folders = template_folders(register_root)
    environment = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    try:
        return environment.get_template(template).render(values)
    except TemplateNotFound as missing:
        if missing.name != template:  # one it extends or includes
            raise _template_problem(missing, f"no template {missing.name}", folders) from None
        raise LetterError(
            f"no letter template {template}: add {shown(folders[0] / template)}"
            f" (start from a copy of {shown(folders[1] / template.rsplit('.', 2)[0])}.en.md)"
        ) from None
    except TemplateError as error:
        raise _template_problem(error, error.message or type(error).__name__, folders) from None


def _template_problem(error: Exception, message: str, folders: list[Path]) -> ProblemsFound:
    """The template and line where `error` arose: from a syntax error's own record, or from
    the traceback, whose frames Jinja maps back to template lines."""
    file, line = getattr(error, "filename", None), getattr(error, "lineno", None) or 0
    if file is None:
        traceback = error.__traceback__
        while traceback is not None:
            name = traceback.tb_frame.f_code.co_filename
            if any(_inside(name, folder) for folder in folders):
                file, line = name, traceback.tb_lineno
            traceback = traceback.tb_next
    place = shown(Path(file)) if file else "a letter template"
    return ProblemsFound([Problem(place, line, "", f"template error: {message}")])


def _inside(name: str, folder: Path) -> bool:
    try:
        Path(name).resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@overload
def _escaped(values: dict[str, object]) -> dict[str, object]: ...
@overload
def _escaped(values: object) -> object: ...
def _escaped(values: object) -> object:
    """Every text value with Markdown's special characters escaped, so a name or a sentence
    is shown as written, never read as formatting or HTML."""
    if isinstance(values, str):
        return _MARKDOWN_SPECIAL.sub(r"\\\1", values)
    if isinstance(values, dict):
        return {key: _escaped(value) for key, value in values.items()}
    if isinstance(values, list):
        return [_escaped(value) for value in values]
    return values


def as_markdown(body: str, language: str, rtl: bool) -> str:
    """The rendered template, tidied; a right-to-left letter inside a `dir="rtl"` block."""
    text = (
        "\n\n".join(
            block if kind != "paragraph" else " ".join(block.splitlines())
            for kind, block in _blocks(body)
        )
        + "\n"
    )
    if rtl:
        text = f'<div dir="rtl" lang="{language}">\n\n{text}\n</div>\n'
    return text


def as_text(body: str, rtl: bool) -> str:
    """Plain text for e-mail: headings as plain lines, paragraphs and list items wrapped
    at WIDTH. In a right-to-left letter every line starts with a RIGHT-TO-LEFT MARK: a line
    break ends a paragraph for the bidirectional algorithm, so each line must say its
    direction, or one that begins with a Latin reference or a number would run left to right."""
    blocks = []
    for kind, block in _blocks(body):
        lines = block.splitlines()
        if kind == "heading":
            blocks.append(_wrap(lines[0][2:]))
        elif kind == "list":
            blocks.append("\n".join(_wrap(line[2:], "- ", "  ") for line in lines))
        else:
            blocks.append(_wrap(" ".join(lines)))
    text = "\n\n".join(blocks) + "\n"
    if rtl:
        text = "\n".join(RLM + line if line else line for line in text.split("\n"))
    return text


def _blocks(body: str) -> list[tuple[str, str]]:
    """The letter's blocks, each a heading (a `# ` line), a list (`- ` lines) or a paragraph."""
    found = []
    for block in _tidy(body).split("\n\n"):
        lines = block.splitlines()
        if len(lines) == 1 and lines[0].startswith("# "):
            found.append(("heading", block))
        elif all(line.startswith("- ") for line in lines):
            found.append(("list", block))
        else:
            found.append(("paragraph", block))
    return found


def _wrap(text: str, first: str = "", rest: str = "") -> str:
    return "\n".join(
        textwrap.wrap(
            text,
            WIDTH,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
    )


def _tidy(body: str) -> str:
    """No trailing spaces, no runs of blank lines (what template logic leaves behind)."""
    lines = [line.rstrip() for line in body.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
