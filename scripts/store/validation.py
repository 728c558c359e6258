"""Validating parsed YAML against the models, with every error at its line."""

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from complaints_register.core.problems import KeyPath, where
from complaints_register.schema.events import EVENT_TYPES
from complaints_register.schema.policy import TARGET_FORMS
from complaints_register.store.yamlsafe import Document

_Model = TypeVar("_Model", bound=BaseModel)

# Pydantic's wording, said as a complaints officer would want to read it.
_PLAIN: dict[str, Callable[[ErrorDetails], str]] = {
    "missing": lambda e: "missing (this key is required)",
    "extra_forbidden": lambda e: "unknown key (check the spelling; unknown keys are not allowed)",
    "union_tag_invalid": lambda e: (
        f"unknown event type {e['ctx']['tag']!r} (one of: {', '.join(EVENT_TYPES)})"
    ),
    "union_tag_not_found": lambda e: (
        f"an event needs a `type`: add `type: ` and one of {', '.join(EVENT_TYPES)}"
    ),
    "literal_error": lambda e: f"must be one of {e['ctx']['expected']}",
    "string_pattern_mismatch": lambda e: f"{e['input']!r} is not in the expected form",
    "string_too_short": lambda e: "must not be empty",
}
_DATE_ERRORS = (
    "date_from_datetime_parsing",
    "datetime_from_date_parsing",
    "date_parsing",
    "datetime_parsing",
    "date_type",
    "datetime_type",
    "date_from_datetime_inexact",
)
_NOT_A_DATE = "not a date (write 2026-04-07)"
_NOT_A_MOMENT = "not a date-time (write 2026-04-07T09:30:00+02:00)"
_NOT_EITHER = "not a date or date-time (write 2026-04-07 or 2026-04-07T09:30:00+02:00)"


_EVENT_KEYS = {
    "by": "who did it: `by: ` and their handle on the staff roster (`by: anna`)",
    "at": "when it happened: `at: 2026-04-07`, or with the time, `at: 2026-04-07T09:30:00+02:00`",
}
"""What to write for a key every event has, when a hand-written event lacks it."""


def _missing(item: ErrorDetails) -> str | None:
    """What to write for a key an event lacks (an event added by hand); None elsewhere."""
    loc = item["loc"]
    if item["type"] != "missing" or len(loc) < 3 or loc[0] != "events":
        return None
    key = str(loc[-1])
    what = _EVENT_KEYS.get(key, f"`{key}: ` and its value")
    return f"missing (this key is required): add to this event {what}"


def _whole_file(model: type[BaseModel], data: object) -> str:
    """What to write when the file is empty, or holds something other than keys."""
    noun = model.__name__.lower()
    keys = ", ".join(f"`{name}:`" for name, f in model.model_fields.items() if f.is_required())
    holds = f"a {noun} file holds its keys, one at the start of each line ({keys})"
    if data is None:
        return (
            f"the file is empty: {holds}; if it was emptied by mistake, put back its last"
            " version from the repository's history"
        )
    what = "a list (lines starting with `- `)" if isinstance(data, list) else "only a value"
    return f"the file holds {what}, not keys: {holds}"


def _message(item: ErrorDetails) -> str:
    kind = item["type"]
    missing = _missing(item)
    if missing is not None:
        return missing
    if kind in _DATE_ERRORS:
        if item["loc"][-1] in ("date", "datetime"):  # a field that may be either
            return _NOT_EITHER
        return _NOT_A_DATE if kind.startswith("date_") else _NOT_A_MOMENT
    plain = _PLAIN.get(kind)
    return plain(item) if plain else _strip_prefix(item["msg"])


def validate(
    model: type[_Model], doc: Document
) -> tuple[_Model | None, list[tuple[int, str, str]]]:
    """The model made from `doc`, or None and every error as (line, where, message)."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        return None, list(_errors(error, doc, model))


def _errors(
    error: ValidationError, doc: Document, model: type[BaseModel]
) -> Iterator[tuple[int, str, str]]:
    seen: set[tuple[KeyPath, str]] = set()
    for item in error.errors(include_url=False):
        path = _data_path(item["loc"], doc.data)
        whole = not item["loc"] and not isinstance(doc.data, dict)
        message = _whole_file(model, doc.data) if whole else _message(item)
        if (path, message) not in seen:  # a union's branches fail alike: say it once
            seen.add((path, message))
            yield doc.line_of(path), where(path), message


def _data_path(loc: tuple[int | str, ...], data: object) -> KeyPath:
    """Pydantic's location without the branch names it adds for unions (the event's type,
    or `datetime`/`date` for a field that may be either), so it can be found in the data."""
    path: list[int | str] = []
    node: Any = data  # parsed YAML, followed as far as the location goes
    branched = None
    for part in loc:
        # One branch name a value at most, and it comes first: in `events[0].note.note` the
        # first `note` is the type's branch, the second the key `note` of a note event.
        if node is not branched and _is_branch(part, node):
            branched = node
            continue
        path.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(path)


def _is_branch(part: object, node: object) -> bool:
    if part in TARGET_FORMS and isinstance(node, (dict, list)):  # the policy's targets
        return True
    if isinstance(node, dict):  # an event: pydantic names the type it was validated as
        return part == node.get("type")
    return part in ("date", "datetime") and not isinstance(node, (dict, list))


def _strip_prefix(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message[:1].lower() + message[1:]
