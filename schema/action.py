"""An improvement action: what the organisation does so that a complaint's cause goes away
(corrective) or does not arise (preventive), linked to the complaints that prompted it.

One file per action, `register/actions/<ID>.yaml`. Rules that need more than the file (the
ID matching the file name and the opening date, dates in order and not in the future, the
complaints existing in the register) live in `complaints_register.core.actions`.
"""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from complaints_register.schema.base import Language, Model, PublicText, Text, unique
from complaints_register.schema.complaint import ComplaintId
from complaints_register.schema.dates import Day

ACTION_ID_PATTERN = r"^A-\d{4}-\d{4}-[0-9A-HJKMNP-TV-Z]{4}$"
"""`A-YYYY-MMDD-XXXX`: the date the action was opened and four random Crockford base32
characters, made like a complaint's ID so that two branches never pick the same one."""

Kind = Literal["corrective", "preventive"]


def is_action_id(text: str) -> bool:
    return re.match(ACTION_ID_PATTERN, text) is not None


class Action(Model):
    id: Annotated[str, StringConstraints(pattern=ACTION_ID_PATTERN)]
    opened: Day
    kind: Kind
    what: Text
    owner: Text
    due: Day
    done: Day | None = None
    complaints: Annotated[list[ComplaintId], Field(min_length=1), AfterValidator(unique)]
    note: Text | None = None
    # What was done, for the public site's "You said, we did", in each of the policy's
    # languages: published as it is written, so nothing confidential.
    public: dict[Language, PublicText] | None = None
