"""Which complaints hold personal data longer than the policy keeps it.

A complaint's personal data is kept for `retention.personal_data_years` after its handling
ended: the day it was closed, referred to an external body or withdrawn, whichever made it
final last (a reopened complaint starts again). From that many years later (the same day of
the year; 28 February for a 29 February) it is due for erasure, until an `erased` event
records that it was done. A complaint still open, or answered but never closed, is not due:
its handling has not ended. Pure: works from facts already folded.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from complaints_register.core.lifecycle import ENDED
from complaints_register.core.status import Facts

COLUMNS = ("id", "status", "ended", "erase_from", "contact")


@dataclass(frozen=True)
class Due:
    """A complaint due for erasure: how its handling ended, when, and from when it is due."""

    id: str
    status: str
    ended: date
    erase_from: date
    contact: bool
    """Whether it has an encrypted contact block (whose key `complaints erase` destroys)."""

    def as_row(self) -> dict[str, str]:
        return {
            "id": self.id,
            "status": self.status,
            "ended": self.ended.isoformat(),
            "erase_from": self.erase_from.isoformat(),
            "contact": "yes" if self.contact else "no",
        }


def erase_from(ended: date, years: int) -> date:
    """The first day after `years` years counted from `ended`."""
    # dateutil has no type information: the annotation says what the sum is.
    later: date = ended + relativedelta(years=years)
    return later


def due_for_erasure(found: list[Facts], years: int) -> list[Due]:
    """The complaints among `found` (each as of the same date) whose personal data is past
    its retention and not erased, the longest overdue first."""
    due = []
    for facts in found:
        state = facts.state
        if state.status not in ENDED or state.erased:
            continue
        ended = state.stage.stopped
        assert ended is not None  # closing, referring and withdrawing all stop the clocks
        if facts.as_of >= erase_from(ended, years):
            due.append(Due(facts.id, state.status, ended, erase_from(ended, years), facts.contact))
    return sorted(due, key=lambda d: (d.erase_from, d.id))
