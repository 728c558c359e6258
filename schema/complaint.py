"""One complaint: what was received, and the events since."""

import base64
import binascii
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

from complaints_register.schema.base import Language, Model, Slug, Text
from complaints_register.schema.dates import Received
from complaints_register.schema.events import AnyEvent
from complaints_register.schema.ids import ID_PATTERN, id_date


def _real_date(complaint_id: str) -> str:
    try:
        id_date(complaint_id)
    except ValueError:
        raise ValueError(f"{complaint_id} does not carry a real date (C-YYYY-MMDD-XXXX)") from None
    return complaint_id


ComplaintId = Annotated[str, StringConstraints(pattern=ID_PATTERN), AfterValidator(_real_date)]


AGE_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
AGE_END = "-----END AGE ENCRYPTED FILE-----"


def _age_armored(text: str) -> str:
    lines = text.strip().splitlines()
    if not (
        len(lines) >= 3
        and lines[0] == AGE_BEGIN
        and lines[-1] == AGE_END
        and _base64(lines[1:-1]).startswith(b"age-encryption.org/v1\n")
    ):
        raise ValueError(
            f"not an age-encrypted block ({AGE_BEGIN} ...): it is written by"
            " `complaints new --contact-...`, never by hand"
        )
    return text


def _base64(lines: list[str]) -> bytes:
    try:
        return base64.b64decode("".join(lines), validate=True)
    except binascii.Error:
        return b""


class Complainant(Model):
    """Who complained, by reference: contact details stay in the organisation's own contact
    system. Where they must be kept in the register, `contact` holds them encrypted with age
    to a key of this complainant's own, kept outside the repository (`complaints contact`)."""

    ref: Text | None = None
    contact: Annotated[str, AfterValidator(_age_armored)] | None = None


class Complaint(Model):
    id: ComplaintId
    received: Received
    channel: Slug
    language: Language
    category: Slug
    summary: Text
    desired_outcome: Text | None = None
    complainant: Complainant | None = None
    events: list[AnyEvent] = []
