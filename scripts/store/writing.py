"""Writing register files, keeping what people wrote: appending an event re-emits the file
through ruamel.yaml's round-trip mode, which keeps comments, key order and quoting as a
person wrote them. The bytes reach the disk through `store.files.write_atomic`.

Text the tool writes reads back as that same text in every YAML reader, 1.1 and 1.2 alike
(PyYAML, libyaml, ruamel.yaml, editors, check-jsonschema). ruamel.yaml writes YAML 1.2, in
which `no`, `on` and `12:30:45` are text; YAML 1.1, which the register's own reader
follows, reads them as a bool and an int. So new text is written plain only when every
reader reads its plain form as that text (`reads_as_text`) and a YAML 1.1 writer would
also write it plain there (in a one-line event, `why?` is not plain to YAML 1.1), and
quoted otherwise. Values already in the file are written back as they were.
"""

import io
from collections.abc import Mapping
from datetime import datetime

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver

from complaints_register.store.yamlsafe import MAX_BYTES, plain_tag

_STR = "tag:yaml.org,2002:str"

_YAML_VERSIONS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))
"""ruamel.yaml's readings of a plain scalar under YAML 1.1 (which, unlike PyYAML, also
takes `y` and `n` for bools, as the 1.1 specification does) and YAML 1.2."""


def reads_as_text(text: str) -> bool:
    """Whether `text`, written plain (unquoted), reads back as that same text: under the
    register's own reader (`yamlsafe`, PyYAML's YAML 1.1) and under YAML 1.1 and 1.2 as
    ruamel.yaml resolves them. False for `no`, `Off`, `y`, `~`, `12:30:45`, `1e3`, `0o17`,
    `2026-01-01`, `<<`, `=` and the like, which are then quoted."""
    return plain_tag(text) == _STR and all(
        version.resolve(ScalarNode, text, (True, False)) == _STR for version in _YAML_VERSIONS
    )


def round_trip_yaml() -> YAML:
    """ruamel.yaml set up as the register writes: comments kept, one event a line."""
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096  # an event stays on its one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def with_event(text: str, event: Mapping[str, object]) -> str:
    """`text` (a complaint file) with `event` appended to its events, as a one-line mapping."""
    yaml = round_trip_yaml()
    data = yaml.load(text)
    item = CommentedMap(
        (_new(key, flow=True), _new(value, flow=True)) for key, value in event.items()
    )
    item.fa.set_flow_style()
    events = data.get("events")
    if events is None:
        data["events"] = events = yaml.seq([])
    if not events:
        events.fa.set_block_style()  # `events: []` grows into a list, one event a line
    events.append(item)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _new(value: object, *, flow: bool) -> object:
    """A value the tool is about to write, marked so that it is written as it reads back;
    `flow` when it goes inside a one-line (flow) mapping or list."""
    if type(value) is str:  # not ruamel's own strings (a kept style, a contact block)
        return _FlowText(value) if flow else _Text(value)
    if isinstance(value, datetime):
        # ruamel writes an aware date-time with a space; write ISO 8601 as people do.
        return _Timestamp(value.isoformat())
    if type(value) is dict:
        return {_new(key, flow=flow): _new(item, flow=flow) for key, item in value.items()}
    if type(value) is list:
        return [_new(item, flow=flow) for item in value]
    return value


_LINE_BREAKS = "\n\r\x85\u2028\u2029"
"""Line breaks to YAML 1.1 (to YAML 1.2, only the first two). Quoted, they are escaped in
double quotes: single quotes fold a line break, and ruamel.yaml would single-quote a NEL
(U+0085), which every reader then reads as a space."""

_YAML_1_1_WRITER = pyyaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
"""PyYAML's emitter, asked only where YAML 1.1 allows a scalar plain or in single quotes."""


def _style(text: str, flow: bool) -> str | None:
    """The style of new text: None (plain, where ruamel.yaml's emitter agrees), or quoted."""
    yaml_1_1 = _YAML_1_1_WRITER.analyze_scalar(text)
    if not yaml_1_1.allow_single_quoted or any(ch in _LINE_BREAKS for ch in text):
        return '"'  # escaped: line breaks and control characters read back as they are
    plain = yaml_1_1.allow_flow_plain if flow else yaml_1_1.allow_block_plain
    # Single quotes, which ruamel.yaml turns into double quotes for text they cannot hold.
    return None if plain and reads_as_text(text) else "'"


class _Text(str):
    """New text in block context (a field of a new file)."""

    flow = False


class _FlowText(_Text):
    """New text in flow context (in an event, written on its one line)."""

    flow = True


class _Timestamp(str):
    """A date-time written as is, unquoted."""


class _Representer(RoundTripRepresenter):
    """ruamel.yaml's round-trip representer, with the register's new text and date-times."""

    def represent_text(self, value: _Text) -> ScalarNode:
        # ruamel quotes only what YAML 1.2 misreads plain (`1e3`, not `no`).
        return self.represent_scalar(_STR, str(value), style=_style(value, value.flow))

    def represent_timestamp(self, value: _Timestamp) -> ScalarNode:
        return self.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


def complaint_text(fields: Mapping[str, object], schema_link: str) -> str:
    """A new complaint file: the editor modeline, then the fields in the contract's order."""
    yaml = round_trip_yaml()
    out = io.StringIO()
    out.write(f"# yaml-language-server: $schema={schema_link}\n")
    yaml.dump(
        {_new(key, flow=False): _new(value, flow=False) for key, value in fields.items()}, out
    )
    return out.getvalue()


def scalar(text: str) -> str:
    """`text` as one YAML scalar on one line, to put in a template (`key: {value}`): plain
    when that reads back as the text under YAML 1.1 and 1.2, else quoted and escaped."""
    yaml = round_trip_yaml()
    yaml.width = MAX_BYTES  # never folded onto a second line
    item = CommentedSeq([_new(text, flow=True)])
    item.fa.set_flow_style()  # flow context: its plain form is the narrowest
    out = io.StringIO()
    yaml.dump(item, out)
    written = out.getvalue()
    if not (written.startswith("[") and written.endswith("]\n")) or "\n" in written[:-1]:
        raise ValueError(f"cannot write {text!r} as one scalar on one line")  # pragma: no cover
    return written[1:-2]


def fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= MAX_BYTES


_Representer.add_representer(_Text, _Representer.represent_text)
_Representer.add_representer(_FlowText, _Representer.represent_text)
_Representer.add_representer(_Timestamp, _Representer.represent_timestamp)


def merged_text(
    ours: str,
    theirs: str,
    events: list[tuple[str, int]],
    retargeted: Mapping[int, int],
    fields: Mapping[str, bool],
) -> str:
    """Ours' complaint file with what a ledger merge takes from theirs (see
    `core.ledger_merge.Plan`): theirs' events put in at their merged places (as theirs
    wrote them), retractions renumbered, and the fields theirs changed. Comments, key
    order and quoting of ours are kept, as when an event is appended."""
    yaml = round_trip_yaml()
    mine, yours = yaml.load(ours), yaml.load(theirs)
    keys = list(mine)
    for key, keep in fields.items():
        if not keep:
            mine.pop(key, None)
        elif key in mine:
            mine[key] = yours[key]
        else:  # a new field: before the events, where people look for it
            place = keys.index("events") if "events" in keys else len(mine)
            mine.insert(place, key, yours[key])
    listed, theirs_listed = mine["events"], yours["events"]
    for at, (side, index) in enumerate(events):
        if side == "theirs":
            if not listed:
                listed.fa.set_block_style()  # `events: []` grows into a list
            listed.insert(at, theirs_listed[index])
        if at in retargeted:
            listed[at]["event"] = retargeted[at]
    out = io.StringIO()
    yaml.dump(mine, out)
    return out.getvalue()
