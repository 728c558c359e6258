"""Writing register files: atomically, and keeping what people wrote.

A write goes to a temporary file beside the target, is flushed to disk, and replaces the
target in one step, so a crash leaves the old file or the new one, never half of one.
Appending an event re-emits the file through ruamel.yaml's round-trip mode, which keeps
comments, key order and quoting as a person wrote them.
"""

import io
import os
import tempfile
from datetime import datetime
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.representer import RoundTripRepresenter

from complaints_register.store.yamlsafe import MAX_BYTES


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace (or create) `path` with `content` (text is written as UTF-8), all at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def round_trip_yaml() -> YAML:
    """ruamel.yaml set up as the register writes: comments kept, one event a line."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # an event stays on its one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def with_event(text: str, event: dict) -> str:
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


def _represent_timestamp(representer, value: _Timestamp):
    return representer.represent_scalar("tag:yaml.org,2002:timestamp", str(value))


def complaint_text(fields: dict, schema_link: str) -> str:
    """A new complaint file: the editor modeline, then the fields in the contract's order."""
    yaml = round_trip_yaml()
    out = io.StringIO()
    out.write(f"# yaml-language-server: $schema={schema_link}\n")
    yaml.dump({key: _plain(value) for key, value in fields.items()}, out)
    return out.getvalue()


def fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= MAX_BYTES


RoundTripRepresenter.add_representer(_Timestamp, _represent_timestamp)
