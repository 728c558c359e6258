"""A fast path for reading plain register files: the same documents as `yamlsafe.parse`,
several times faster, or none at all.

`yaml_rs` (a YAML parser in Rust) builds the Python objects of a file in about a sixth of
the time the careful parser (`yamlsafe`) takes; with the gate and the check below, the
fast path takes about half (DESIGN.md, section 10). But it reads YAML 1.2, and the register is
read as YAML 1.1 (as PyYAML reads it): `yes` is a string to it and true to us, `012` is
twelve to it and ten to us, it reads a quoted date as a date and drops an unknown tag. So
it is used only behind a gate, and what it makes is checked before it is believed:

* The gate (a scan of the bytes): UTF-8, no larger than `MAX_BYTES`, and none of what
  only the careful parser handles as we mean it: anchors and aliases (`&`, `*`), tags
  (`!`), merge keys (`<<`), tabs, a byte-order mark, escapes (a backslash), block scalars
  (`|`, `>`), control characters and line breaks other than a line feed (YAML 1.1
  refuses some and breaks lines at others), a second document (`---` or `...` at the start of a line), a quote followed
  by a digit (a quoted date stays a string for us), a number written with a leading
  zero (octal in YAML 1.1) or `0X`, `0O`, `0B` (strings in YAML 1.1), an underscore that does not follow a letter (`_1` is a
  number to it, a string to us), and a time without seconds (a date-time to it, a string
  to us).
* The check of the result: every key is a string, every string (key or value) is one
  that YAML 1.1 also reads as a string when written plain (not `on`, `1:20` or
  `2026-02-30`), no float (no register field is one; `1e3` is a string in YAML 1.1),
  and nesting no deeper than `MAX_DEPTH`.

Everything else, and every file the fast parser refuses, goes through the careful parser,
which gives the line of each problem. A document read the fast way learns its lines from
the careful parser only when a message needs one (`FastDocument.line_of`).
"""

import re
from datetime import date
from types import ModuleType
from typing import Any

from complaints_register.store.yamlsafe import (
    MAX_BYTES,
    MAX_DEPTH,
    Document,
    Path,
    parse,
    plain_tag,
)

_fast: ModuleType | None
try:
    import yaml_rs as _fast
except ImportError:  # pragma: no cover - a build without it reads every file carefully
    _fast = None

_NOT_PLAIN_BYTE = re.compile(rb"[&*!\t\\|>\x00-\x08\x0b-\x1f\x7f]")
_NOT_PLAIN_TEXT = (b"<<", b"\xef\xbb\xbf", b"\xc2", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbf")
_SECOND_DOCUMENT = re.compile(rb"^(?:---|\.\.\.)", re.MULTILINE)
_QUOTED_NUMBER = re.compile(rb"[\"'] *[0-9+.-]")
_LEADING_ZERO = re.compile(rb"[\n \[{,][-+]?0[0-9oOXB]")
_MINUTES = re.compile(rb":[0-9][0-9](?![:0-9])")
_UNDERSCORE = re.compile(rb"(?<![A-Za-z])_")
"""What sends a file to the careful parser (see the module's docstring); `_MINUTES` finds
the candidates for a time without seconds, which `is_plain` looks at more closely.
`_UNDERSCORE`: an underscore but within a word, where the two YAMLs read numbers apart
(`_1` is a string in YAML 1.1 and 1 to yaml_rs; `0_10` is octal 8 and 10). C1
controls and NEL (U+0080-U+009F) all start with the byte C2, which the register's own
texts never need (Latin-1 letters start with C3); U+FFFE and U+FFFF start with EF BF."""

_STR = "tag:yaml.org,2002:str"
_string_ok: dict[str, bool] = {}
"""Strings already looked at: whether YAML 1.1 reads each, written plain, as a string."""
_STRINGS_MAX = 8192


class FastDocument(Document):
    """A document read by the fast path: its lines are worked out by the careful parser
    the first time they are asked for, but for the line of a top-level key (a file's
    `id`), which a scan finds where the file's layout makes it certain."""

    def __init__(self, data: object, raw: bytes):
        self._raw: bytes | None = raw
        self._lines: dict[Path, int] | None = None
        super().__init__(data)

    @property  # Document's is a field: this one is filled when first read
    def lines(self) -> dict[Path, int]:
        if self._lines is None:
            assert self._raw is not None  # one of the two is always set
            self._lines, self._raw = parse(self._raw).lines, None
        return self._lines

    @lines.setter
    def lines(self, value: dict[Path, int]) -> None:
        if value:  # Document's __init__ sets an empty dict: the lines are still to come
            self._lines, self._raw = value, None

    def line_of(self, path: Path) -> int:
        if self._lines is None and len(path) == 1 and isinstance(path[0], str):
            found = _top_level_line(self._raw or b"", self.data, path[0])
            if found:
                return found
        return super().line_of(path)


_COLUMN_ZERO = re.compile(rb"^[^\s#]", re.MULTILINE)


def _top_level_line(raw: bytes, data: object, key: str) -> int:
    """The line of the value of `key` in a block mapping at the top of the file, when
    every line that starts at the left margin starts a top-level key (no text continued
    there) and `key: value` stands on one line, once; else 0 (ask the careful parser)."""
    if type(data) is not dict or key not in data or not _PLAIN_KEY.fullmatch(key):
        return 0
    if len(_COLUMN_ZERO.findall(raw)) != len(data):
        return 0
    found = list(re.finditer(rb"^" + key.encode() + rb":[ ]+[^\s#]", raw, re.MULTILINE))
    if len(found) != 1:
        return 0
    return raw.count(b"\n", 0, found[0].start()) + 1


_PLAIN_KEY = re.compile(r"[a-z_]+")


def is_plain(raw: bytes) -> bool:
    """Whether the bytes pass the gate to the fast parser (UTF-8 is checked as they are
    decoded)."""
    if len(raw) > MAX_BYTES or _NOT_PLAIN_BYTE.search(raw):
        return False
    if any(text in raw for text in _NOT_PLAIN_TEXT):
        return False
    if _SECOND_DOCUMENT.search(raw) or _QUOTED_NUMBER.search(raw) or _UNDERSCORE.search(raw):
        return False
    if _LEADING_ZERO.search(raw) or _LEADING_ZERO.match(b"\n" + raw[:3]):
        return False
    for found in _MINUTES.finditer(raw):
        # the seconds of hh:mm:ss, or the minutes of a zone's offset (+02:00): else a time
        # without seconds, which YAML 1.1 does not read as a time (yaml_rs does)
        before = raw[max(found.start() - 3, 0) : found.start()]
        if not (before[:1] == b":" or before[:1] in (b"+", b"-")) or not before[1:].isdigit():
            return False
    return True


def read(raw: bytes) -> Document:
    """The document in `raw`, as `yamlsafe.parse` reads it (and YamlError where it would
    raise one): by the fast parser when the file is plain and what it makes passes the
    check, else by the careful one."""
    fast = fast_data(raw)
    if fast is _CAREFUL:
        return parse(raw)
    return FastDocument(fast, raw)


_CAREFUL = object()
"""What `fast_data` gives for a file the careful parser must read."""


def fast_data(raw: bytes) -> object:
    """The data the fast parser reads in `raw` if the gate lets it through and the
    result passes the check; else _CAREFUL."""
    if _fast is None or not is_plain(raw):
        return _CAREFUL
    try:
        text = raw.decode("utf-8")
        data = _fast.loads(text)
    except (UnicodeDecodeError, ValueError, _fast.YAMLDecodeError, RecursionError):
        return _CAREFUL
    return data if _as_careful(data, 0) else _CAREFUL


def _as_careful(value: Any, depth: int) -> bool:
    """Whether `value` (and all it holds) is what the careful parser makes of the same
    text: see the module's docstring. (The strings a mapping or list holds are looked at
    here, without a call each: a file holds dozens.)"""
    kind = type(value)
    if kind is str:
        return _plain_string(value)
    if kind is dict:
        if depth >= MAX_DEPTH:
            return False
        for key, item in value.items():
            if type(key) is not str or not (_string_ok.get(key) or _plain_string(key)):
                return False
            if type(item) is str:
                if not (_string_ok.get(item) or _plain_string(item)):
                    return False
            elif not _as_careful(item, depth + 1):
                return False
        return True
    if kind is list:
        if depth >= MAX_DEPTH:
            return False
        for item in value:
            if type(item) is str:
                if not (_string_ok.get(item) or _plain_string(item)):
                    return False
            elif not _as_careful(item, depth + 1):
                return False
        return True
    # bool, None and int are read alike (the gate keeps out octal); a date or a date-time
    # written plain too (the gate keeps out quoted ones). A float, never.
    return kind is bool or value is None or kind is int or isinstance(value, date)


def _plain_string(text: str) -> bool:
    found = _string_ok.get(text)
    if found is None:
        found = plain_tag(text) == _STR
        if len(text) <= 64:
            if len(_string_ok) >= _STRINGS_MAX:
                _string_ok.clear()
            _string_ok[text] = found
    return found
