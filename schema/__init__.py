"""The data contract: what a complaint, an event, a policy and an improvement action are.

Pure models: no files, no Git, no clock. Rules that need more than one file (the file's
name, the policy's categories, today's date, the order of events) live in `complaints_register.core.rules`
and `complaints_register.core.lifecycle`, which import these models.
"""

from complaints_register.schema.action import Action
from complaints_register.schema.complaint import Complainant, Complaint
from complaints_register.schema.events import EVENT_TYPES, AnyEvent, Event
from complaints_register.schema.ids import ID_PATTERN, normalise_id
from complaints_register.schema.policy import Policy

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
