"""The rules a complaint file must keep beyond its shape: one small function per rule.

Each rule takes a `Subject` (the complaint with what it is checked against) and yields
`(path, message)`, where `path` locates the offending value in the file (its line is looked
up by the caller). The models in `schema` check each value alone; these rules check values
against the file's name, the policy, today's date and each other.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from complaints_register.core.lifecycle import State
from complaints_register.core.people import off_roster
from complaints_register.core.personal_data import found_in, free_text
from complaints_register.core.problems import KeyPath
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.ids import id_date

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

Finding = tuple[KeyPath, str]


@dataclass
class Subject:
    complaint: Complaint
    path: PurePath
    policy: Policy
    calendar: "Calendar"
    today: date
    state: State
    """The complaint folded over every event, with the events that made no sense."""

    @property
    def received(self) -> date:
        return self.calendar.local_date(self.complaint.received)


def id_is_file_name(s: Subject) -> Iterator[Finding]:
    if s.path.stem != s.complaint.id:
        yield ("id",), f"{s.complaint.id} is not the file name: name the file {s.complaint.id}.yaml"


def file_in_year_of_receipt(s: Subject) -> Iterator[Finding]:
    year = str(s.received.year)
    if s.path.parent.name != year:
        yield ("received",), f"received in {year}, so the file belongs in the folder {year}/"


def id_carries_date_of_receipt(s: Subject) -> Iterator[Finding]:
    if id_date(s.complaint.id) != s.received:
        yield (
            ("id",),
            (
                f"the ID says {id_date(s.complaint.id)} but the complaint was received on"
                f" {s.received} ({s.policy.calendar.timezone})"
            ),
        )


def channel_in_policy(s: Subject) -> Iterator[Finding]:
    # A retired channel stays valid for the complaints that used it.
    if s.complaint.channel not in s.policy.channels + s.policy.retired_channels:
        yield ("channel",), _not_listed(s.complaint.channel, "channels", s.policy.channels)


def category_in_policy(s: Subject) -> Iterator[Finding]:
    known = s.policy.categories + s.policy.retired_categories
    if s.complaint.category not in known:
        yield ("category",), _not_listed(s.complaint.category, "categories", s.policy.categories)
    for index, event in enumerate(s.complaint.events):
        category = getattr(event, "category", None)
        if category is not None and category not in known:
            yield (
                ("events", index, "category"),
                _not_listed(category, "categories", s.policy.categories),
            )


def language_in_policy(s: Subject) -> Iterator[Finding]:
    if s.complaint.language not in s.policy.languages:
        yield ("language",), _not_listed(s.complaint.language, "languages", s.policy.languages)


def events_after_receipt(s: Subject) -> Iterator[Finding]:
    for index, event in enumerate(s.complaint.events):
        if s.calendar.local_date(event.at) < s.received:
            yield ("events", index, "at"), f"before the complaint was received ({s.received})"


def events_not_in_future(s: Subject) -> Iterator[Finding]:
    for index, event in enumerate(s.complaint.events):
        if s.calendar.local_date(event.at) > s.today:
            yield ("events", index, "at"), f"in the future (today is {s.today})"
    if s.received > s.today:
        yield ("received",), f"in the future (today is {s.today})"


def events_make_sense(s: Subject) -> Iterator[Finding]:
    for index, message in s.state.problems:
        yield ("events", index), f"{s.complaint.events[index].type}: {message}"


def staff_on_the_roster(s: Subject) -> Iterator[Finding]:
    for index, event in enumerate(s.complaint.events):
        for key in ("by", "handler"):
            name = getattr(event, key, None)
            why = off_roster(name, s.policy.staff) if isinstance(name, str) else None
            if why is not None:
                yield ("events", index, key), why


def no_personal_data_in_free_text(s: Subject) -> Iterator[Finding]:
    # Telephone numbers written without + are read as the organisation's country writes them.
    for path, text, kinds in free_text(s.complaint):
        for found in found_in(text, s.policy.calendar.country, kinds):
            yield path, found.message(text)


def _not_listed(value: str, key: str, allowed: list[str]) -> str:
    return f"{value!r} is not one of the policy's {key} ({', '.join(allowed)})"


RULES = (
    id_is_file_name,
    file_in_year_of_receipt,
    id_carries_date_of_receipt,
    channel_in_policy,
    category_in_policy,
    language_in_policy,
    events_after_receipt,
    events_not_in_future,
    events_make_sense,
    staff_on_the_roster,
    no_personal_data_in_free_text,
)


def findings(subject: Subject) -> Iterator[Finding]:
    """Every rule's findings for one complaint."""
    for rule in RULES:
        yield from rule(subject)
