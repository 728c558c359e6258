"""Reading YAML that people typed, safely.

A register file is small and plain: mappings, lists, strings, numbers, dates. Anything
else is refused with the line it stands on: aliases (which can make a small file huge),
custom tags, duplicate keys (YAML loaders silently keep the last), text that is not UTF-8,
files over `MAX_BYTES`, and nesting deeper than `MAX_DEPTH`.

The document is built from libyaml's event stream in a loop rather than by recursion, so
no input can exhaust the stack, and every value's line is recorded for error messages.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from complaints_register.core.hand_edits import explained

if TYPE_CHECKING:
    from yaml._yaml import CParser

_Parser: "type[CParser] | type[yaml.SafeLoader]"
try:  # libyaml's C parser where present: several times faster
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser

MAX_BYTES = 1024 * 1024
"""The largest file read: a complaint is a few kilobytes; a megabyte is a mistake."""

MAX_DEPTH = 32
"""The deepest nesting accepted: a complaint needs four levels."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

_CONTAINER_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}  # not on a plain value

Path = tuple[str | int, ...]
"""Where a value stands in a document: keys and list indexes from the top."""


class YamlError(ValueError):
    """The text is not a plain YAML document; `line` is 1-based, 0 when unknown."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Document:
    """Parsed data and the line on which each value starts."""

    data: object
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of the value at `path`, or of its nearest parent that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def parse(raw: bytes) -> Document:
    """Parse one YAML document from bytes; YamlError when it is not plain, safe YAML."""
    if len(raw) > MAX_BYTES:
        raise YamlError(0, f"file is larger than {MAX_BYTES // 1024} KiB")
    text = _decode(raw)
    try:
        return _build(_Parser(text))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        message = f"not valid YAML: {error.problem or error.context}"
        if error.context and error.context_mark and error.context_mark.line + 1 != line:
            message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
        raise YamlError(*explained(text, line, message)) from None  # hand edits: the fix
    except yaml.YAMLError as error:
        raise YamlError(0, f"not valid YAML: {error}") from None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlError(line, "not UTF-8 text (save the file as UTF-8)") from None


_NO_KEY = object()
"""In place of a key: the next value in the mapping is a key."""


def _build(parser: "CParser | yaml.SafeLoader") -> Document:
    # The data being built is parsed YAML: any value, any key.
    data: Any = None
    value: Any
    lines: dict[Path, int] = {}
    # The innermost open mapping or list (None outside any), its path, and for a mapping
    # the key whose value comes next. `stack` keeps the same three for each enclosing
    # level, so its length is the depth.
    container: dict[Any, Any] | list[Any] | None = None
    path: Path = ()
    key: Any = _NO_KEY
    stack: list[tuple[dict[Any, Any] | list[Any] | None, Path, Any]] = []
    here: Path
    seen_document = False
    get_event = parser.get_event
    # Events are told apart by their exact class (`kind`), which mypy cannot follow into
    # `event`: each branch uses the attributes its kind of event has.
    event: Any
    while True:
        event = get_event()
        kind = type(event)  # the parsers make exact event classes: cheaper than isinstance
        if kind is ScalarEvent:  # the commonest event first
            line = event.start_mark.line + 1
            if event.tag is not None:
                _check_tag(event.tag, line)
                value = _scalar(event, line)
            elif not event.implicit[0]:  # quoted or block text: a string whatever it says
                value = event.value
            else:
                value = _plain_values.get(event.value, _UNREAD)
                if value is _UNREAD:
                    value = _plain(event, line)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            line = event.start_mark.line + 1
            if event.tag is not None:
                _check_tag(event.tag, line)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(line, f"nested deeper than {MAX_DEPTH} levels")
            value = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container, path, key = stack.pop()
            continue
        elif kind is AliasEvent:
            line = event.start_mark.line + 1
            raise YamlError(line, "aliases (*name) are not allowed: write the value out")
        elif kind is DocumentStartEvent:
            if seen_document:
                line = event.start_mark.line + 1
                raise YamlError(line, "more than one YAML document in the file")
            seen_document = True
            continue
        elif kind is StreamEndEvent:
            return Document(data, lines)
        else:  # the stream's start, a document's end
            continue

        if container is None:
            here = ()
            lines[here] = line
            data = value
        elif type(container) is list:
            here = path + (len(container),)
            lines[here] = line
            container.append(value)
        elif key is _NO_KEY:
            if kind is not ScalarEvent:
                raise YamlError(line, "a key must be a plain value, not a mapping or list")
            if value in container:
                raise YamlError(line, f"duplicate key {value!r}")
            key = value
            continue
        else:
            here = path + (key,)
            lines[here] = line
            container[key] = value
            key = _NO_KEY
        if kind is not ScalarEvent:
            stack.append((container, path, key))
            container, path, key = value, here, _NO_KEY


def _check_tag(tag: str, line: int) -> None:
    if tag == "!" or tag in _PLAIN_TAGS:
        return
    raise YamlError(line, f"custom tag {tag} is not allowed")


_resolver = Resolver()
_constructor = SafeConstructor()

_plain_values: dict[str, object] = {}
"""Plain (unquoted) scalars already read, by their text. Keys, words and dates recur in
every file, and resolving and constructing them was most of the time spent. What a plain
scalar means depends on its text alone, and the values (str, int, float, bool, None,
date, datetime) are immutable, so they can be shared; PyYAML already shares one NaN."""

# Bounds on `_plain_values`, so memory stays flat however many files are read.
_PLAIN_VALUES_MAX = 4096
_PLAIN_VALUE_MAX_CHARS = 64

_UNREAD = object()
"""Not in `_plain_values` (where None is a value like any other)."""


def plain_tag(text: str) -> str:
    """The tag this reader gives `text` written plain (unquoted): `tag:yaml.org,2002:str`
    when it reads as that text, else what it reads as instead (`no` is a bool here)."""
    # PyYAML's stubs leave `resolve` untyped; it returns the tag.
    tag: str = _resolver.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _plain(event: ScalarEvent, line: int) -> object:
    value = _scalar(event, line)
    text = event.value
    if len(text) <= _PLAIN_VALUE_MAX_CHARS:
        if len(_plain_values) >= _PLAIN_VALUES_MAX:
            _plain_values.clear()
        _plain_values[text] = value
    return value


def _scalar(event: ScalarEvent, line: int) -> object:
    if event.tag in (None, "!"):
        # PyYAML's stubs leave `resolve` untyped; it returns the tag.
        tag: str = _resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    else:
        tag = event.tag
    if tag == "tag:yaml.org,2002:merge":
        raise YamlError(line, "merge keys (<<) are not allowed: write the keys out")
    if tag not in _PLAIN_TAGS or tag in _CONTAINER_TAGS:
        tag_name = tag.rsplit(":", 1)[-1]
        raise YamlError(line, f"values of type {tag_name} are not allowed")
    # The stubs type a node's marks as PyYAML's pure-Python Mark alone, though libyaml's
    # parser gives its own; the node only keeps them.
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)  # type: ignore[arg-type]
    try:
        return _constructor.construct_object(node)
    except (ValueError, yaml.YAMLError) as error:
        raise YamlError(line, f"cannot read {event.value!r}: {error}") from None
    # PyYAML's constructors fail in their own ways on text an explicit tag does not fit
    # (`!!bool maybe`, `!!timestamp tomorrow`): the writer's mistake, told as such.
    except (KeyError, AttributeError, TypeError):
        raise YamlError(
            line, f"cannot read {event.value!r} as a {tag.rsplit(':', 1)[-1]}"
        ) from None
    finally:
        # The constructor remembers every node it built (for aliases, which are refused
        # here): forgetting them keeps memory flat however many files are read.
        _constructor.constructed_objects.clear()
