"""Properties of the deadline rules that must hold for any complaint (hypothesis)."""

import random
from datetime import date, timedelta

from conftest import POLICY, complaint, policy
from hypothesis import given, settings
from hypothesis import strategies as st

from complaints_register.core.status import facts
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint, Policy

IRAN = {**POLICY["calendar"], "country": "IR", "timezone": "Asia/Tehran", "closures": []}
POLICIES = {
    "working": Policy.model_validate(policy()),
    "calendar": Policy.model_validate(policy(calendar={**POLICY["calendar"], "days": "calendar"})),
    "iran": Policy.model_validate(policy(calendar=IRAN)),
}
CALENDARS = {name: calendar_for(p) for name, p in POLICIES.items()}

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
modes = st.sampled_from(sorted(POLICIES))


def show(mode: str, received: date, events=(), targets=None, as_of=None) -> dict:
    the_policy = POLICIES[mode]
    if targets is not None:
        the_policy = Policy.model_validate(
            policy(calendar=the_policy.calendar.model_dump(mode="json"), targets=targets)
        )
    data = complaint(*events, received=f"{received.isoformat()}T10:00:00")
    data["id"] = "C-2026-0101-TEST"
    return facts(
        Complaint.model_validate(data),
        the_policy,
        CALENDARS[mode],
        as_of or received + timedelta(days=400),
    ).as_json()


def targets(respond: int, acknowledge: int = 2) -> dict:
    return {
        **POLICY["targets"],
        "stage1": {"acknowledge": acknowledge, "respond": {"normal": respond, "urgent": 5}},
    }


@given(mode=modes, received=days, n=st.integers(0, 60))
def test_a_due_date_is_always_a_working_day(mode, received, n):
    shown = show(mode, received, targets=targets(n, acknowledge=n), as_of=received)
    for step in ("acknowledge", "respond"):
        due = date.fromisoformat(shown["due"][step])
        assert CALENDARS[mode].is_working(due)


@given(mode=modes, received=days, n=st.integers(0, 40), more=st.integers(1, 20))
def test_more_target_days_never_give_an_earlier_date(mode, received, n, more):
    fewer = show(mode, received, targets=targets(n), as_of=received)["due"]["respond"]
    greater = show(mode, received, targets=targets(n + more), as_of=received)["due"]["respond"]
    assert greater >= fewer


@given(mode=modes, received=days, start=st.integers(0, 30), length=st.integers(0, 30))
def test_a_pause_never_makes_a_due_date_earlier(mode, received, start, length):
    asked = received + timedelta(days=start)
    answered = asked + timedelta(days=length)
    pause = (
        {"type": "info-requested", "at": asked, "by": "a"},
        {"type": "info-received", "at": answered, "by": "a"},
    )
    without = show(mode, received, as_of=answered)["due"]["respond"]
    paused = show(mode, received, pause, as_of=answered)["due"]["respond"]
    assert paused >= without


# Events that may come in any order of days, and keep the complaint valid: a note, a
# survey, an assessment, a pause with its end, an acknowledgement.
def _independent_events(received: date, offsets: list[int]) -> list[dict]:
    at = [received + timedelta(days=o) for o in sorted(offsets)]
    return [
        {"type": "acknowledged", "at": at[0], "by": "anna"},
        {"type": "assessed", "at": at[1], "by": "anna", "priority": "urgent", "handler": "marco"},
        {"type": "note", "at": at[2], "by": "marco", "note": "called"},
        {"type": "info-requested", "at": at[3], "by": "marco"},
        {"type": "info-received", "at": at[4], "by": "marco"},
        {"type": "surveyed", "at": at[5], "by": "anna", "score": 3},
    ]


@settings(max_examples=60)
@given(
    mode=modes,
    received=days,
    offsets=st.lists(st.integers(0, 40), min_size=6, max_size=6, unique=True),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_order_events_were_appended_in_does_not_matter(mode, received, offsets, seed):
    events = _independent_events(received, offsets)
    shuffled = events[:]
    random.Random(seed).shuffle(shuffled)
    as_of = received + timedelta(days=45)
    assert show(mode, received, shuffled, as_of=as_of) == show(mode, received, events, as_of=as_of)
