"""Reading YAML that people typed, safely.

A register file is small and plain: mappings, lists, strings, numbers, dates. Anything
else is refused with the line it stands on: aliases (which can make a small file huge),
custom tags, duplicate keys (YAML loaders silently keep the last), text that is not UTF-8,
files over `MAX_BYTES`, and nesting deeper than `MAX_DEPTH`.

The document is built from libyaml's event stream in a loop rather than by recursion, so
no input can exhaust the stack, and every value's line is recorded for error messages.
"""

from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:  # libyaml's C parser where present: several times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_BYTES = 1024 * 1024
"""The largest file read: a complaint is a few kilobytes; a megabyte is a mistake."""

MAX_DEPTH = 32
"""The deepest nesting accepted: a complaint needs four levels."""

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

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
        return _build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        message = f"not valid YAML: {error.problem or error.context}"
        if error.context and error.context_mark and error.context_mark.line + 1 != line:
            message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
        raise YamlError(line, message) from None
    except yaml.YAMLError as error:
        raise YamlError(0, f"not valid YAML: {error}") from None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlError(line, "not UTF-8 text (save the file as UTF-8)") from None


class _Frame:
    """A mapping or list being filled, and where its next value goes."""

    def __init__(self, container: dict | list, path: Path):
        self.container = container
        self.path = path
        self.key: object = None
        self.awaiting_key = isinstance(container, dict)

    def next_path(self) -> Path:
        if isinstance(self.container, list):
            return self.path + (len(self.container),)
        return self.path + (self.key,)

    def add(self, value: object, line: int) -> None:
        if isinstance(self.container, list):
            self.container.append(value)
        elif self.awaiting_key:
            if isinstance(value, (dict, list)):
                raise YamlError(line, "a key must be a plain value, not a mapping or list")
            if value in self.container:
                raise YamlError(line, f"duplicate key {value!r}")
            self.key = value
            self.awaiting_key = False
            return
        else:
            self.container[self.key] = value
            self.awaiting_key = True


def _build(events) -> Document:
    doc = Document(None)
    stack: list[_Frame] = []
    documents = 0
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError(line, "more than one YAML document in the file")
        elif isinstance(event, yaml.AliasEvent):
            raise YamlError(line, "aliases (*name) are not allowed: write the value out")
        elif isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            _check_tag(event, line)
            path = stack[-1].next_path() if stack else ()
            is_key = bool(stack) and stack[-1].awaiting_key
            if isinstance(event, yaml.ScalarEvent):
                value = _scalar(event, line)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line, f"nested deeper than {MAX_DEPTH} levels")
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
            if not is_key:
                doc.lines[path] = line
            if stack:
                stack[-1].add(value, line)
            else:
                doc.data = value
            if isinstance(value, (dict, list)):
                stack.append(_Frame(value, path))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
    return doc


def _check_tag(event, line: int) -> None:
    tag = event.tag
    if tag is None or tag == "!" or tag in _PLAIN_TAGS:
        return
    raise YamlError(line, f"custom tag {tag} is not allowed")


_resolver = Resolver()
_constructor = SafeConstructor()


def _scalar(event: yaml.ScalarEvent, line: int) -> object:
    if event.tag in (None, "!"):
        tag = _resolver.resolve(ScalarNode, event.value, event.implicit)
    else:
        tag = event.tag
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    if tag == "tag:yaml.org,2002:merge":
        raise YamlError(line, "merge keys (<<) are not allowed: write the keys out")
    if tag not in _PLAIN_TAGS:
        tag_name = tag.rsplit(":", 1)[-1]
        raise YamlError(line, f"values of type {tag_name} are not allowed")
    try:
        return _constructor.construct_object(node)
    except (ValueError, yaml.YAMLError) as error:
        raise YamlError(line, f"cannot read {event.value!r}: {error}") from None
    finally:
        # The constructor remembers every node it built (for aliases, which are refused
        # here): forgetting them keeps memory flat however many files are read.
        _constructor.constructed_objects.clear()
