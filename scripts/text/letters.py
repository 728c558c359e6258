"""Letters to complainants, in their language: acknowledgement, information request,
extension, response, escalation (the internal review) and closure.

A letter is a template filled with values worked out here from the complaint's facts as of
a date (the same facts `complaints show` prints) and from the policy. The values never
include a staff name: the templates speak of roles ("your case handler", "the reviewer").
The name in the salutation (`--to`) is used for the one letter and stored nowhere.

Templates are Jinja2, rendered in a sandbox with undefined values as errors, and are looked
up first in the register (`<register>/letters/`, the organisation's own wording), then among
the defaults shipped in `scripts/text/letter_templates/`: one file per kind and language,
`<kind>.<language>.md`, each extending `_letter.<language>.md` (salutation, contact and
signature). See scripts/text/letter_templates/README.md for the values a template can use.

A register's templates come with the register, from whoever can change it, so they are
bounded as well as sandboxed: each is a regular file in `<register>/letters/`, reached
through no symbolic link; what a template makes (a text, a list, a range, a number, the
letter itself) has a largest size; it loads a bounded number of templates and nests calls
to a bounded depth; and the whole letter has a time and a memory budget. Each limit is an
error at the template and line, like any other error in a template.

Dates are written the local way with Babel (CLDR "long" dates) in the language's own digits;
the policy's targets and outside bodies are the sentences `complaints_register.text.wording` publishes on the
site, so a letter and the published policy always say the same.
"""

import contextlib
import functools
import importlib.resources
import os
import re
import signal
import stat
import textwrap
from collections.abc import Callable, Generator, Iterator, MutableMapping
from datetime import date
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from babel import Locale
from babel.dates import format_date
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.nodes import Concat
from jinja2.runtime import Context
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

MAX_LENGTH = 100_000
"""The most characters (or items) in a text, list or range a template makes, and in a letter."""
MAX_BITS = 10_000
"""The largest number a template makes, in binary digits (about 3,000 decimal digits)."""
MAX_TEMPLATES = 100
"""The most templates one letter loads (extends, includes, imports): a bound on how deep
templates nest, and so on a template that includes or extends itself."""
MAX_DEPTH = 50
"""The deepest calls nest (a macro that calls a macro...), and so a macro calling itself."""
MAX_TEMPLATE_BYTES = 100_000
"""The largest template file in a register."""
TIME_LIMIT = 10
"""Seconds a letter may take to write (a loop in a loop can run for years)."""
MEMORY_LIMIT = 512 * 2**20
"""Bytes of memory a letter may take beyond what the program holds (Linux: RLIMIT_AS)."""

RLM = "\u200f"  # RIGHT-TO-LEFT MARK
NBSP = "\u00a0"  # NO-BREAK SPACE
_ISOLATE = ("\u2068", "\u2069")  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE


class LetterError(RegisterError):
    """A letter that cannot be written: it does not fit the complaint as of the date, or
    there is no template for the language."""


class TooMuch(SecurityError):
    """A template asked for more than a letter may take (see MAX_LENGTH and the others)."""


class NotATemplateFile(TemplateError):
    """A register's template that is a symbolic link, not a regular file, too large, or not
    UTF-8: named by its path, as a syntax error is."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.filename = str(path)
        self.lineno = 0


def letter(
    register_root: Path,
    complaint: Complaint,
    facts: Facts,
    policy: Policy,
    calendar: "Calendar",
    kind: str,
    fmt: str = "markdown",
    name: str | None = None,
    tracking: dict[str, str | None] | None = None,
) -> str:
    """The letter of `kind` for `complaint` (with its `facts` as of the letter's date), in
    the complainant's language. `tracking`: the complaint's tracking code and the address of
    "Follow your complaint" (`code`, `address`), when the register has a tracking secret."""
    language = facts.language
    values = letter_values(complaint, facts, policy, calendar, kind, language, name)
    values["tracking"] = dict(tracking) if tracking else None
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
    known) for any error in it, or limit it reaches; LetterError when no folder has it."""
    folders = template_folders(register_root)
    environment = _LetterEnvironment(folders)
    try:
        with _bounded():
            return _written(environment.get_template(template), values)
    except TemplateNotFound as missing:
        if missing.name != template:  # one it extends or includes
            raise _template_problem(missing, f"no template {missing.name}", folders) from None
        raise LetterError(
            f"no letter template {template}: add {shown(folders[0] / template)}"
            f" (start from a copy of {shown(folders[1] / template.rsplit('.', 2)[0])}.en.md)"
        ) from None
    except TemplateError as error:
        message = error.message or type(error).__name__
        raise _template_problem(error, message, folders, template) from None
    except MemoryError as error:
        message = f"the letter needs more than {MEMORY_LIMIT // 2**20} MiB of memory"
        raise _template_problem(error, message, folders, template) from None
    except RecursionError as error:
        message = "templates or macros nest without end"
        raise _template_problem(error, message, folders, template) from None
    except Exception as error:  # what Python says of `1 / 0` or `1 + "a"` in a template
        message = str(error) or type(error).__name__
        raise _template_problem(error, message, folders, template) from None


def _written(template: Template, values: dict[str, object]) -> str:
    """`template` filled with `values`, stopped as soon as it is longer than MAX_LENGTH."""
    pieces, length = [], 0
    generator = cast("Generator[str, None, None]", template.generate(values))  # it is one
    for piece in generator:
        length += len(piece)
        if length > MAX_LENGTH:  # thrown where the template is, to name its line
            generator.throw(TooMuch(f"the letter is longer than {MAX_LENGTH:,} characters"))
        pieces.append(piece)
    return "".join(pieces)


def _template_problem(
    error: BaseException, message: str, folders: list[Path], template: str | None = None
) -> ProblemsFound:
    """The template and line where `error` arose: from a syntax error's own record, or from
    the traceback, whose frames Jinja maps back to template lines; else `template` itself,
    wherever it was found."""
    file, line = getattr(error, "filename", None), getattr(error, "lineno", None) or 0
    if file is None:
        traceback = error.__traceback__
        while traceback is not None:
            name = traceback.tb_frame.f_code.co_filename
            if any(_inside(name, folder) for folder in folders):
                file, line = name, traceback.tb_lineno
            traceback = traceback.tb_next
    if file is None and template is not None:
        file = next((str(f / template) for f in folders if (f / template).is_file()), None)
    place = shown(Path(file)) if file else "a letter template"
    return ProblemsFound([Problem(place, line, "", f"template error: {message}")])


# Bounds: what a register's template may make, load, read and take.

_Value = TypeVar("_Value")
_SEQUENCES = (str, bytes, list, tuple)
_SIZED = (*_SEQUENCES, dict, set, frozenset)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _bounded_value(value: _Value) -> _Value:
    """`value`, if it is no longer (and no larger a number) than a template may make."""
    if isinstance(value, _SIZED) and len(value) > MAX_LENGTH:
        raise TooMuch(
            f"this makes {len(value):,} characters or items,"
            f" more than the {MAX_LENGTH:,} a letter template may make"
        )
    if isinstance(value, int) and value.bit_length() > MAX_BITS:
        raise TooMuch(_too_large_number(value.bit_length()))
    return value


def _too_large_number(bits: int) -> str:
    return (
        f"this makes a number of about {bits:,} binary digits,"
        f" more than the {MAX_BITS:,} a letter template may make"
    )


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_LENGTH:
        raise TooMuch(
            f"a range of {len(numbers):,} numbers is more than the {MAX_LENGTH:,}"
            " a letter template may make"
        )
    return numbers


def _expected_size(operator: str, left: object, right: object) -> int | None:
    """How long (items) or large (bits) the result of `left operator right` would be, for
    the operators that make large results from small values; None if it needs no check."""
    if isinstance(left, bool) or isinstance(right, bool):
        return None
    if operator == "*" and isinstance(left, _SEQUENCES) and isinstance(right, int):
        return len(left) * right
    if operator == "*" and isinstance(right, _SEQUENCES) and isinstance(left, int):
        return len(right) * left
    if operator == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        return len(left) + len(right)
    return None


def _expected_bits(operator: str, left: object, right: object) -> int | None:
    if not (isinstance(left, int) and isinstance(right, int)):
        return None
    if operator == "*":
        return left.bit_length() + right.bit_length()
    if operator == "**" and right > 0 and abs(left) > 1:
        return right * left.bit_length()
    return None


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, but a text joined with `~` is checked for length."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class _LetterEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, with the bounds of a letter: what an operator, a call, a filter or
    `~` makes is no longer than MAX_LENGTH; `range` counts no further; templates load at
    most MAX_TEMPLATES times and calls nest at most MAX_DEPTH deep. The register's own
    templates are read as `_OwnTemplates` reads them."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "+", "**", "%"})

    def __init__(self, folders: list[Path]):
        own, *defaults = folders
        super().__init__(
            loader=ChoiceLoader(
                [_OwnTemplates(own), *(FileSystemLoader(str(folder)) for folder in defaults)]
            ),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.globals["range"] = _range
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}
        self.loaded = 0
        self.depth = 0

    def bounded(self, value: _Value) -> _Value:
        return _bounded_value(value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        size = _expected_size(operator, left, right)
        if size is not None and size > MAX_LENGTH:
            raise TooMuch(
                f"this makes {size:,} characters or items,"
                f" more than the {MAX_LENGTH:,} a letter template may make"
            )
        bits = _expected_bits(operator, left, right)
        if bits is not None and bits > MAX_BITS:
            raise TooMuch(_too_large_number(bits))
        return _bounded_value(super().call_binop(context, operator, left, right))

    def call(self, context: Context, function: Any, /, *args: Any, **kwargs: Any) -> Any:
        if self.depth >= MAX_DEPTH:
            raise TooMuch(f"calls nest more than {MAX_DEPTH} deep: does a macro call itself?")
        self.depth += 1
        try:
            result = super().call(context, function, *args, **kwargs)
        finally:
            self.depth -= 1
        return _bounded_value(result)

    def _load_template(
        self, name: str, globals: MutableMapping[str, Any] | None
    ) -> Template:  # every extends, include and import comes here
        self.loaded += 1
        if self.loaded > MAX_TEMPLATES:
            raise TooMuch(
                f"more than {MAX_TEMPLATES} templates extended, included or imported"
                f" for one letter: does {name} extend or include itself?"
            )
        return super()._load_template(name, globals)


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (a filter), its result checked by `_bounded_value`. It keeps the marks
    that tell Jinja what to pass it (`functools.wraps` copies them)."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        return _bounded_value(function(*args, **kwargs))

    return bounded


class _OwnTemplates(BaseLoader):
    """The templates in a register's `letters/` folder. Each must be a regular file in it (or
    in a folder in it), no larger than MAX_TEMPLATE_BYTES, reached through no symbolic link:
    a link would let a template read any file its user can, and a FIFO would never end."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # TemplateNotFound for `..`
        if not pieces:  # "" or ".": the folder itself
            raise TemplateNotFound(template)
        path = self.folder.joinpath(*pieces)
        return _read_template(self.folder, pieces, template), str(path), lambda: True


def _read_template(folder: Path, pieces: list[str], name: str) -> str:
    """The text of the template `pieces` (its path's parts) below `folder`, each part looked
    at before it is opened, and opened without following a link."""
    handles: list[int] = []
    try:
        directory = _open_part(None, str(folder), folder, last=False, name=name)
        handles.append(directory)
        for index, piece in enumerate(pieces):
            path = folder.joinpath(*pieces[: index + 1])
            last = index == len(pieces) - 1
            handles.append(_open_part(handles[-1], piece, path, last=last, name=name))
        path = folder.joinpath(*pieces)
        with os.fdopen(handles[-1], "rb", closefd=False) as opened:
            raw = opened.read(MAX_TEMPLATE_BYTES + 1)  # to the end, or one byte too many
    finally:
        for handle in handles:
            os.close(handle)
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise NotATemplateFile(
            path, f"a letter template may be at most {MAX_TEMPLATE_BYTES:,} bytes long"
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotATemplateFile(path, "a letter template must be UTF-8 text") from None


def _open_part(directory: int | None, part: str, path: Path, last: bool, name: str) -> int:
    """A handle on `part` of a template's path (in the folder `directory`, a handle, or
    None for the templates' folder itself): a regular file if `last`, else a folder."""
    try:
        status = os.stat(part, dir_fd=directory, follow_symlinks=False)
    except (FileNotFoundError, NotADirectoryError):
        raise TemplateNotFound(name) from None
    if stat.S_ISLNK(status.st_mode):
        raise NotATemplateFile(
            path,
            "a symbolic link: the folder of a register's letter templates must be a folder"
            if directory is None
            else f"a symbolic link: a letter template must be a file in {shown(path.parent)}",
        )
    if not last and not stat.S_ISDIR(status.st_mode):
        raise TemplateNotFound(name)
    if last and not stat.S_ISREG(status.st_mode):
        if stat.S_ISDIR(status.st_mode):
            raise TemplateNotFound(name)
        raise NotATemplateFile(path, "not a regular file: a letter template must be one")
    flags = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0)
    if not last:
        flags |= getattr(os, "O_DIRECTORY", 0)
    try:
        return os.open(part, flags, dir_fd=directory)
    except OSError as error:  # replaced by a link since it was looked at, say
        raise NotATemplateFile(path, f"cannot be read: {error.strerror}") from None


@contextlib.contextmanager
def _bounded() -> Iterator[None]:
    """At most TIME_LIMIT seconds and MEMORY_LIMIT more bytes for what runs inside, where
    the system can bound them (a time limit needs SIGALRM and the main thread; a memory
    limit, RLIMIT_AS and /proc/self/statm)."""
    with _time_limit(), _memory_limit():
        yield


class _TookTooLong(TooMuch):
    pass


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _TookTooLong(
        f"the letter took longer than {TIME_LIMIT} seconds to write:"
        " does a loop or a macro run too long?"
    )


@contextlib.contextmanager
def _time_limit() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGALRM, _stop)
    except (AttributeError, ValueError):  # no SIGALRM here, or not the main thread
        yield
        return
    try:  # and again every half second, should anything catch the first
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT, 0.5)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_limit() -> Iterator[None]:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    limit = used + MEMORY_LIMIT
    unlimited = resource.RLIM_INFINITY
    if (soft != unlimited and soft <= limit) or (hard != unlimited and hard < limit):
        yield  # already bounded as tightly
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


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
