"""One complaint: what was received, and the events since."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from schema.base import Language, Model, Slug, Text
from schema.events import Event
from schema.ids import ID_PATTERN, id_date


def _real_date(complaint_id: str) -> str:
    try:
        id_date(complaint_id)
    except ValueError:
        raise ValueError(f"{complaint_id} does not carry a real date (C-YYYY-MMDD-XXXX)")
    return complaint_id


ComplaintId = Annotated[
    str, StringConstraints(pattern=ID_PATTERN), AfterValidator(_real_date)
]


class Complainant(Model):
    """Who complained, by reference only: contact details stay in the organisation's own
    contact system, never in the register."""

    ref: Text | None = None


class Complaint(Model):
    id: ComplaintId
    received: datetime
    channel: Slug
    language: Language
    category: Slug
    summary: Text
    desired_outcome: Text | None = None
    complainant: Complainant | None = None
    events: list[Event] = []
