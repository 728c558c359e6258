"""The data contract: what a complaint, an event, a policy and an improvement action are.

Pure models: no files, no Git, no clock. Rules that need more than one file (the file's
name, the policy's categories, today's date, the order of events) live in `complaints_register.core.rules`
and `complaints_register.core.lifecycle`, which import these models.

The names below are loaded when first asked for: importing pydantic and defining the
models takes longer than the rest of a `complaints --help`, which needs none of them.
"""

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from complaints_register.schema.action import Action
    from complaints_register.schema.complaint import Complainant, Complaint
    from complaints_register.schema.events import EVENT_TYPES, AnyEvent, Event
    from complaints_register.schema.ids import ID_PATTERN, normalise_id
    from complaints_register.schema.policy import Policy

_WHERE = {
    "Action": "action",
    "Complainant": "complaint",
    "Complaint": "complaint",
    "EVENT_TYPES": "events",
    "AnyEvent": "events",
    "Event": "events",
    "ID_PATTERN": "ids",
    "normalise_id": "ids",
    "Policy": "policy",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value  # found once
    return value


__all__ = [
    "EVENT_TYPES",
    "ID_PATTERN",
    "Action",
    "AnyEvent",
    "Complainant",
    "Complaint",
    "Event",
    "Policy",
    "normalise_id",
]
