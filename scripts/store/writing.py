"""Writing register files, keeping what people wrote: appending an event re-emits the file
through ruamel.yaml's round-trip mode, which keeps comments, key order and quoting as a
person wrote them. The bytes reach the disk through `store.files.write_atomic`.
"""

import io
from collections.abc import Mapping
from datetime import datetime

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter

from complaints_register.store.yamlsafe import MAX_BYTES


def round_trip_yaml() -> YAML:
    """ruamel.yaml set up as the register writes: comments kept, one event a line."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # an event stays on its one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def with_event(text: str, event: Mapping[str, object]) -> str:
    """`text` (a complaint file) with `event` appended to its events, as a one-line mapping."""
    yaml = round_trip_yaml()
    data = yaml.load(text)
    item = CommentedMap((key, _plain(value)) for key, value in event.items())
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


def _plain(value: object) -> object:
    # ruamel writes an aware date-time with a space; write ISO 8601 as people do.
    if isinstance(value, datetime):
        return _Timestamp(value.isoformat())
    return value


class _Timestamp(str):
    """A date-time written as is, unquoted."""


def _represent_timestamp(representer: RoundTripRepresenter, value: _Timestamp) -> ScalarNode:
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


def complaint_text(fields: Mapping[str, object], schema_link: str) -> str:
    """A new complaint file: the editor modeline, then the fields in the contract's order."""
    yaml = round_trip_yaml()
    out = io.StringIO()
    out.write(f"# yaml-language-server: $schema={schema_link}\n")
    yaml.dump({key: _plain(value) for key, value in fields.items()}, out)
    return out.getvalue()


def fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= MAX_BYTES


RoundTripRepresenter.add_representer(_Timestamp, _represent_timestamp)
