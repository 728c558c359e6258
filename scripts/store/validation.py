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
    "union_tag_not_found": lambda e: "an event needs a `type`",
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


def _message(item: ErrorDetails) -> str:
    kind = item["type"]
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
        return None, list(_errors(error, doc))


def _errors(error: ValidationError, doc: Document) -> Iterator[tuple[int, str, str]]:
    seen: set[tuple[KeyPath, str]] = set()
    for item in error.errors(include_url=False):
        path = _data_path(item["loc"], doc.data)
        message = _message(item)
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
