"""The data contract: what a complaint, an event, a policy and an improvement action are.

Pure models: no files, no Git, no clock. Rules that need more than one file (the file's
name, the policy's categories, today's date, the order of events) live in `scripts.rules`
and `scripts.lifecycle`, which import these models.
"""

from schema.action import Action
from schema.complaint import Complainant, Complaint
from schema.events import EVENT_TYPES, Event
from schema.ids import ID_PATTERN, normalise_id
from schema.policy import Policy

__all__ = [
    "Action",
    "Complainant",
    "Complaint",
    "EVENT_TYPES",
    "Event",
    "ID_PATTERN",
    "Policy",
    "normalise_id",
]
