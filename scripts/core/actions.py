"""Improvement actions as of a date, and the rules an action file keeps beyond its shape.

Pure: models in, facts and findings out; `complaints_register.store.action_files` reads and writes the files.
An action is overdue like a complaint's step: not done and the date after its due date;
very overdue `very_overdue_after` working days later (the policy's threshold for complaints).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from complaints_register.core.lifecycle import Clock
from complaints_register.core.people import Roster, off_roster
from complaints_register.core.personal_data import found_in
from complaints_register.core.problems import KeyPath
from complaints_register.schema import Policy
from complaints_register.schema.action import Action
from complaints_register.schema.ids import id_date

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

Finding = tuple[KeyPath, str]


@dataclass
class ActionFacts:
    """An action as of a date: `done` is None while it is not done by then; `days_late`
    counts working days past due (for an overdue action, up to the date; for one done late,
    up to the day it was done)."""

    action: Action
    as_of: date
    done: date | None
    state: str  # "open", "overdue", "very overdue", "done" or "done late"
    days_late: int

    @property
    def overdue(self) -> bool:
        return self.state in ("overdue", "very overdue")

    def as_json(self) -> dict[str, object]:
        a = self.action
        return {
            "id": a.id,
            "kind": a.kind,
            "what": a.what,
            "owner": a.owner,
            "opened": a.opened.isoformat(),
            "due": a.due.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "complaints": list(a.complaints),
            "state": self.state,
            "days_late": self.days_late,
        }


def action_facts(action: Action, policy: Policy, calendar: "Calendar", as_of: date) -> ActionFacts:
    """The action's state as of `as_of` (a done date after it does not count yet)."""
    done = action.done if action.done is not None and action.done <= as_of else None
    if done is not None:
        late = calendar.working_days_between(action.due, done)
        return ActionFacts(action, as_of, done, "done late" if done > action.due else "done", late)
    if as_of <= action.due:
        return ActionFacts(action, as_of, None, "open", 0)
    very = as_of > Clock(policy, calendar).very_overdue_from(action.due, action.opened)
    late = calendar.working_days_between(action.due, as_of)
    return ActionFacts(action, as_of, None, "very overdue" if very else "overdue", late)


def all_action_facts(
    actions: list[Action], policy: Policy, calendar: "Calendar", as_of: date
) -> list[ActionFacts]:
    """Facts for the actions opened by `as_of`, in order of opening."""
    return [
        action_facts(a, policy, calendar, as_of)
        for a in sorted(actions, key=lambda a: (a.opened, a.id))
        if a.opened <= as_of
    ]


def overdue_actions(facts: list[ActionFacts]) -> list[ActionFacts]:
    """The overdue actions, the most overdue first."""
    return sorted(
        (f for f in facts if f.overdue), key=lambda f: (-f.days_late, f.action.due, f.action.id)
    )


@dataclass
class ActionSubject:
    """An action with what it is checked against."""

    action: Action
    path: PurePath
    complaint_ids: set[str]
    today: date
    region: str = "ZZ"
    """The country whose telephone numbers may be written without +; ZZ: none."""
    staff: Roster = None
    """The policy's staff roster, if it has one: the owner must be on it."""


def id_is_file_name(s: ActionSubject) -> Iterator[Finding]:
    if s.path.stem != s.action.id:
        yield ("id",), f"{s.action.id} is not the file name: name the file {s.action.id}.yaml"


def id_carries_opening_date(s: ActionSubject) -> Iterator[Finding]:
    if id_date(s.action.id) != s.action.opened:
        yield (
            ("id",),
            (f"the ID says {id_date(s.action.id)} but the action was opened on {s.action.opened}"),
        )


def dates_in_order(s: ActionSubject) -> Iterator[Finding]:
    a = s.action
    if a.due < a.opened:
        yield ("due",), f"before the action was opened ({a.opened})"
    if a.done is not None and a.done < a.opened:
        yield ("done",), f"before the action was opened ({a.opened})"


def dates_not_in_future(s: ActionSubject) -> Iterator[Finding]:
    for key in ("opened", "done"):
        day = getattr(s.action, key)
        if day is not None and day > s.today:
            yield (key,), f"in the future (today is {s.today})"


def complaints_exist(s: ActionSubject) -> Iterator[Finding]:
    for index, complaint_id in enumerate(s.action.complaints):
        if complaint_id not in s.complaint_ids:
            yield ("complaints", index), f"no complaint {complaint_id} in the register"
        elif id_date(complaint_id) > s.action.opened:
            yield (
                ("complaints", index),
                (f"{complaint_id} was received after the action was opened ({s.action.opened})"),
            )


def owner_on_the_roster(s: ActionSubject) -> Iterator[Finding]:
    why = off_roster(s.action.owner, s.staff)
    if why is not None:
        yield ("owner",), why


def no_personal_data(s: ActionSubject) -> Iterator[Finding]:
    # An action is about the organisation's own practice: no complainant's details in it.
    for key in ("what", "note"):
        text = getattr(s.action, key)
        for found in found_in(text, s.region) if text else ():
            yield (key,), found.message(text)


RULES = (
    id_is_file_name,
    id_carries_opening_date,
    dates_in_order,
    dates_not_in_future,
    complaints_exist,
    owner_on_the_roster,
    no_personal_data,
)


def findings(subject: ActionSubject) -> Iterator[Finding]:
    """Every rule's findings for one action."""
    for rule in RULES:
        yield from rule(subject)
