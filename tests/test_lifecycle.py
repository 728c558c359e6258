"""Status folded from events: a table of event sequences and the status they give, and a
table of sequences that make no sense and the message each earns."""

from datetime import date

import pytest
from conftest import complaint, policy

from complaints_register.core.lifecycle import fold
from complaints_register.core.working_days import Calendar
from complaints_register.schema import Complaint, Policy

POLICY = Policy.model_validate(policy())
ITALY = Calendar("IT", timezone="Europe/Rome", closures=[date(2026, 12, 24)])


def ev(kind: str, day: str = "2026-04-07", **fields) -> dict:
    return {"type": kind, "at": date.fromisoformat(day), "by": fields.pop("by", "anna"), **fields}


ACK = ev("acknowledged")
ASSESS = ev("assessed", priority="normal", handler="marco")
ASK = ev("info-requested", "2026-04-08")
GOT = ev("info-received", "2026-04-09")
RESPOND = ev("responded", "2026-04-10", outcome="upheld", by="marco")
CLOSE = ev("closed", "2026-04-11", satisfied=False)
ESCALATE = ev("escalated", "2026-04-12", handler="giulia")
ACK2 = ev("acknowledged", "2026-04-13")
RESPOND2 = ev("responded", "2026-04-14", outcome="not-upheld", by="giulia")


def state_of(*events, as_of=None):
    return fold(Complaint.model_validate(complaint(*events)), POLICY, ITALY, as_of)


@pytest.mark.parametrize(
    "events, status, stage",
    [
        ((), "new", 1),
        ((ACK,), "acknowledged", 1),
        ((ACK, ASSESS), "investigating", 1),
        ((ACK, ASSESS, ASK), "awaiting-complainant", 1),
        ((ACK, ASSESS, ASK, GOT), "investigating", 1),
        ((ACK, ASSESS, RESPOND), "responded", 1),
        ((ACK, ASSESS, RESPOND, CLOSE), "closed", 1),
        ((ACK, ASSESS, RESPOND, CLOSE, ESCALATE), "escalated", 2),
        ((ACK, ASSESS, RESPOND, ESCALATE), "escalated", 2),
        ((ACK, ASSESS, RESPOND, CLOSE, ESCALATE, ACK2), "acknowledged", 2),
        ((ACK, ASSESS, RESPOND, CLOSE, ESCALATE, ACK2, RESPOND2), "responded", 2),
        ((ACK, RESPOND, ev("referred", "2026-04-11", to="ombudsman")), "referred", 1),
        ((ACK, ev("withdrawn", "2026-04-08")), "withdrawn", 1),
        ((ACK, RESPOND, CLOSE, ev("reopened", "2026-04-12")), "investigating", 1),
        (
            (
                ACK,
                RESPOND,
                CLOSE,
                ev("surveyed", "2026-04-12", score=4),
                ev("note", "2026-04-12", note="x"),
            ),
            "closed",
            1,
        ),
        # retracting the response takes the complaint back to where it was before it
        (
            (ACK, ASSESS, RESPOND, ev("retracted", "2026-04-10", event=2, reason="wrong file")),
            "investigating",
            1,
        ),
        # events are taken in order of `at`, whatever the order of the list
        ((ASSESS, ev("acknowledged", "2026-04-06")), "investigating", 1),
        # a bare date sorts after the timed events listed before it on the same day
        (
            (
                ev("info-requested", "2026-04-08", note="x") | {"at": "2026-04-08T16:00:00+02:00"},
                ev("info-received", "2026-04-08"),
            ),
            "investigating",
            1,
        ),
    ],
)
def test_status(events, status, stage):
    state = state_of(*events)
    assert state.problems == []
    assert (state.status, state.stage.number) == (status, stage)


def test_as_of_leaves_out_later_events():
    state = state_of(ACK, ASSESS, RESPOND, CLOSE, as_of=date(2026, 4, 9))
    assert state.status == "investigating"


@pytest.mark.parametrize(
    "events, index, message",
    [
        (
            (ACK, RESPOND, CLOSE, ev("responded", "2026-04-12", outcome="upheld")),
            3,
            "cannot respond: the complaint is closed",
        ),
        (
            (ACK, GOT),
            1,
            "no information was requested (log info-requested first): the clock is not paused",
        ),
        ((ACK, ASK, GOT, ev("info-received", "2026-04-10")), 3, "no information was requested"),
        (
            (ACK, ASK, ev("info-requested", "2026-04-09")),
            2,
            "information was already requested and not yet received",
        ),
        (
            (ACK, ASSESS, RESPOND, ev("escalated", "2026-04-12", handler="marco")),
            3,
            "marco handled stage 1, so cannot review it at stage 2 (objectivity)",
        ),
        (
            (
                ACK,
                RESPOND,
                ESCALATE,
                ev("assessed", "2026-04-13", priority="normal", handler="marco"),
            ),
            3,
            "marco handled stage 1",
        ),
        (
            (ACK, RESPOND, ESCALATE, ev("escalated", "2026-04-13", handler="paolo")),
            3,
            "already at stage 2",
        ),
        (
            (ACK, ev("acknowledged", "2026-04-08")),
            1,
            "stage 1 was already acknowledged on 2026-04-07",
        ),
        (
            (ACK, ev("retracted", "2026-04-08", event=5, reason="x")),
            1,
            "retracts event 5, which is not an earlier event",
        ),
        (
            (ACK, ev("retracted", "2026-04-08", event=1, reason="x")),
            1,
            "retracts event 1, which is not an earlier event",
        ),
        (
            (
                ACK,
                ev("retracted", "2026-04-08", event=0, reason="x"),
                ev("retracted", "2026-04-08", event=1, reason="y"),
            ),
            2,
            "a retraction cannot be retracted",
        ),
        (
            (
                ACK,
                ev("retracted", "2026-04-08", event=0, reason="x"),
                ev("retracted", "2026-04-08", event=0, reason="y"),
            ),
            2,
            "event 0 is already retracted",
        ),
        (
            (ACK, ev("reopened", "2026-04-08")),
            1,
            "cannot reopen it: the complaint is acknowledged, not done",
        ),
        (
            (ACK, RESPOND, CLOSE, ev("closed", "2026-04-12")),
            3,
            "cannot close it: the complaint is closed",
        ),
        ((ACK, CLOSE), 1, "cannot close it before a response (log responded first"),
        (
            (ACK, ev("withdrawn", "2026-04-08"), ev("reopened", "2026-04-09")),
            2,
            "cannot reopen it: withdrawn is final (unless the policy says reopen_after_final",
        ),
        (
            (ACK, ev("withdrawn", "2026-04-08"), ev("assessed", "2026-04-09", priority="urgent")),
            2,
            "cannot assess it: the complaint is withdrawn",
        ),
        (
            (
                ACK,
                ev("referred", "2026-04-08", to="court"),
                ev("referred", "2026-04-09", to="ombudsman"),
            ),
            2,
            "cannot refer it: the complaint is referred",
        ),
        (
            (ACK, ev("withdrawn", "2026-04-08"), ev("escalated", "2026-04-09", handler="giulia")),
            2,
            "cannot escalate: the complaint is withdrawn",
        ),
    ],
)
def test_refused_transition(events, index, message):
    problems = state_of(*events).problems
    assert any(i == index and message in m for i, m in problems), problems


def test_a_refused_event_is_not_applied():
    state = state_of(ACK, RESPOND, CLOSE, ev("responded", "2026-04-12", outcome="upheld"))
    assert state.status == "closed"
