"""The rules a complaint file must keep beyond its shape: one small function per rule.

Each rule takes a `Subject` (the complaint with what it is checked against) and yields
`(path, message)`, where `path` locates the offending value in the file (its line is looked
up by the caller). The models in `schema` check each value alone; these rules check values
against the file's name, the policy, today's date and each other.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import PurePath
from typing import TYPE_CHECKING

from pydantic import ValidationError

from complaints_register.core.fields import field
from complaints_register.core.lifecycle import State, retracted
from complaints_register.core.people import off_roster
from complaints_register.core.personal_data import found_in, free_text
from complaints_register.core.problems import KeyPath
from complaints_register.schema import AnyEvent, Complaint, Policy
from complaints_register.schema.dates import CEILING, FLOOR, out_of_range
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

    @cached_property
    def received(self) -> date:
        return self.calendar.local_date(self.complaint.received)

    @cached_property
    def event_days(self) -> list[date]:
        """The date of each event, in the policy's time zone (asked for by several rules)."""
        return [self.calendar.local_date(event.at) for event in self.complaint.events]


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
        category = field(event, "category")
        if category is not None and category not in known:
            yield (
                ("events", index, "category"),
                _not_listed(category, "categories", s.policy.categories),
            )


def language_in_policy(s: Subject) -> Iterator[Finding]:
    if s.complaint.language not in s.policy.languages:
        yield ("language",), _not_listed(s.complaint.language, "languages", s.policy.languages)


def events_after_receipt(s: Subject) -> Iterator[Finding]:
    for index, day in enumerate(s.event_days):
        if day < s.received:
            yield ("events", index, "at"), f"before the complaint was received ({s.received})"


def events_not_in_future(s: Subject) -> Iterator[Finding]:
    for index, day in enumerate(s.event_days):
        if day > s.today:
            yield ("events", index, "at"), f"in the future (today is {s.today})"
    if s.received > s.today:
        yield ("received",), f"in the future (today is {s.today})"


def dates_in_range(s: Subject) -> Iterator[Finding]:
    """No receipt before the register could exist (the policy's `started`, else `FLOOR`), and
    no date after `CEILING`: a mistyped year (1026, 2206) is refused where it was typed,
    before it makes every count of the statistics run over a thousand years."""
    floor = s.policy.started or FLOOR
    if s.received < floor:
        yield (
            ("received",),
            f"received on {s.received}, before the register started ({floor}, `started` in"
            " policy.yaml): check the year"
            if s.policy.started
            else f"received on {s.received}, before {floor}, the earliest date of receipt a"
            " register takes: check the year (a register that holds older complaints says when"
            " it started, with `started` in policy.yaml)",
        )
    dated: list[tuple[KeyPath, date]] = [(("received",), s.received)]
    for index, (event, day) in enumerate(zip(s.complaint.events, s.event_days, strict=True)):
        dated.append((("events", index, "at"), day))
        due = field(event, "due")
        if isinstance(due, date):
            dated.append((("events", index, "due"), due))
    for path, day in dated:
        if day > CEILING:
            message = out_of_range(day)
            assert message is not None  # after the ceiling
            yield path, message


def events_make_sense(s: Subject) -> Iterator[Finding]:
    for index, message in s.state.problems:
        yield ("events", index), f"{s.complaint.events[index].type}: {message}"


def staff_on_the_roster(s: Subject) -> Iterator[Finding]:
    staff = s.policy.staff
    if not staff:  # without a roster, anyone may stand anywhere (`off_roster`)
        return
    for index, event in enumerate(s.complaint.events):
        for key in ("by", "handler"):
            name = field(event, key)
            if isinstance(name, str) and name not in staff:  # a handle needs no more look
                why = off_roster(name, staff)
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
    dates_in_range,
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


# Late entries: held when an event is recorded (`complaints log`, `complaints check --base`),
# never by a plain `check`, which cannot know when an event was recorded.

LATE = "needs the reason why (log it with --late WHY, or write `late: WHY` in the event)"


def late_entries(
    events: Sequence[AnyEvent],
    first_new: int,
    policy: Policy,
    calendar: "Calendar",
    today: date,
) -> Iterator[Finding]:
    """The events from `first_new` on, recorded `today`, that need a `late` reason and have
    none: one dated more than the policy's `late_entry_days` working days before today, or
    before the latest event already recorded (the events before `first_new`). Backdating
    would otherwise hide lateness: a response logged weeks after its due date, dated before
    it, would count as on time. Retractions, and the events they cancel, are not "the latest
    event": a retraction changes the record, not what happened when."""
    cancelled, _ = retracted(list(events))
    counted = [
        calendar.local_date(event.at)
        for index, event in enumerate(events[:first_new])
        if index not in cancelled and event.type != "retracted"
    ]
    latest = max(counted, default=None)
    for index in range(first_new, len(events)):
        event = events[index]
        if event.late is not None:
            continue
        day = calendar.local_date(event.at)
        behind = calendar.working_days_between(day, today)
        if behind > policy.late_entry_days:
            yield (
                ("events", index, "at"),
                f"dated {day}, {_working_days(behind)} before it is recorded ({today}): an event"
                f" recorded more than {_working_days(policy.late_entry_days)} after it happened"
                f" {LATE}",
            )
        elif latest is not None and day < latest:
            yield (
                ("events", index, "at"),
                f"dated {day}, before the latest event already recorded ({latest}): an event"
                f" recorded out of order {LATE}",
            )


def _working_days(n: int) -> str:
    return f"{n} working day" if n == 1 else f"{n} working days"


def late_entries_appended(
    old: Mapping[str, object] | None,
    new: Mapping[str, object],
    policy: Policy,
    calendar: "Calendar",
    today: date,
) -> Iterator[Finding]:
    """`late_entries` for a change to a complaint file (`check --base`), as parsed YAML: the
    events of `new` after those of `old` (None: a new file, whose events are all new) are
    recorded `today`. Nothing when `new` is not a valid complaint: `check` says why."""
    try:
        complaint = Complaint.model_validate(new)
    except ValidationError:
        return
    events = old.get("events") if old is not None else None
    first_new = len(events) if isinstance(events, list) else 0
    yield from late_entries(complaint.events, first_new, policy, calendar, today)
