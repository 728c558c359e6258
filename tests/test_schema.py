"""The models: tables of valid and invalid values, each invalid one with the message a
complaints officer reads."""

import pytest
import yaml
from conftest import COMPLAINT, POLICY, complaint, policy

from complaints_register.schema import Complaint, Policy
from complaints_register.schema.ids import normalise_id
from complaints_register.store.validation import validate
from complaints_register.store.yamlsafe import parse


def problems(model, data: dict) -> list[tuple[str, str]]:
    """(where, message) of every error, after a real round trip through YAML text."""
    doc = parse(yaml.safe_dump(data, sort_keys=False).encode())
    _, errors = validate(model, doc)
    return [(where, message) for _, where, message in errors]


AT = "2026-04-07"


@pytest.mark.parametrize(
    "event",
    [
        {"type": "acknowledged", "at": AT, "by": "anna"},
        {
            "type": "acknowledged",
            "at": "2026-04-07T10:15:00+02:00",
            "by": "anna",
            "note": "by phone",
        },
        {"type": "assessed", "at": AT, "by": "anna", "priority": "urgent"},
        {
            "type": "assessed",
            "at": AT,
            "by": "anna",
            "priority": "normal",
            "category": "other",
            "handler": "marco",
        },
        {"type": "info-requested", "at": AT, "by": "marco"},
        {"type": "info-received", "at": AT, "by": "marco"},
        {
            "type": "extended",
            "at": AT,
            "by": "marco",
            "due": "2026-05-20",
            "reason": "waiting for the meter reading",
        },
        {
            "type": "responded",
            "at": AT,
            "by": "marco",
            "outcome": "upheld",
            "remedies": ["refund", "apology"],
        },
        {"type": "responded", "at": AT, "by": "marco", "outcome": "not-upheld"},
        {"type": "escalated", "at": AT, "by": "anna", "handler": "giulia"},
        {"type": "referred", "at": AT, "by": "anna", "to": "ombudsman"},
        {"type": "closed", "at": AT, "by": "marco", "satisfied": True},
        {"type": "closed", "at": AT, "by": "marco", "satisfied": None},
        {"type": "closed", "at": AT, "by": "marco"},
        {"type": "reopened", "at": AT, "by": "marco"},
        {"type": "withdrawn", "at": AT, "by": "marco"},
        {"type": "surveyed", "at": AT, "by": "marco", "score": 1},
        {"type": "surveyed", "at": AT, "by": "marco", "score": 5},
        {"type": "retracted", "at": AT, "by": "marco", "event": 0, "reason": "wrong complaint"},
        {"type": "erased", "at": AT, "by": "marco"},
        {"type": "note", "at": AT, "by": "marco", "note": "called back"},
    ],
)
def test_valid_event(event):
    assert problems(Complaint, complaint(event)) == []


@pytest.mark.parametrize(
    "event, where, message",
    [
        (
            {"type": "acknowledge", "at": AT, "by": "a"},
            "events[0]",
            "unknown event type 'acknowledge'",
        ),
        ({"at": AT, "by": "a"}, "events[0]", "an event needs a `type`"),
        ({"type": "acknowledged", "by": "a"}, "events[0].at", "missing"),
        ({"type": "acknowledged", "at": AT}, "events[0].by", "missing"),
        ({"type": "acknowledged", "at": AT, "by": ""}, "events[0].by", "must not be empty"),
        (
            {"type": "acknowledged", "at": "last tuesday", "by": "a"},
            "events[0].at",
            "not a date or date-time",
        ),
        ({"type": "acknowledged", "at": AT, "by": "a", "who": "b"}, "events[0].who", "unknown key"),
        ({"type": "assessed", "at": AT, "by": "a"}, "events[0].priority", "missing"),
        (
            {"type": "assessed", "at": AT, "by": "a", "priority": "high"},
            "events[0].priority",
            "must be one of 'normal' or 'urgent'",
        ),
        (
            {
                "type": "assessed",
                "at": AT,
                "by": "a",
                "priority": "normal",
                "category": "Billing Issue",
            },
            "events[0].category",
            "not in the expected form",
        ),
        ({"type": "extended", "at": AT, "by": "a", "reason": "x"}, "events[0].due", "missing"),
        (
            {"type": "extended", "at": AT, "by": "a", "due": "2026-05-20"},
            "events[0].reason",
            "missing",
        ),
        ({"type": "responded", "at": AT, "by": "a"}, "events[0].outcome", "missing"),
        (
            {"type": "responded", "at": AT, "by": "a", "outcome": "partly"},
            "events[0].outcome",
            "must be one of",
        ),
        (
            {"type": "responded", "at": AT, "by": "a", "outcome": "upheld", "remedies": ["cash"]},
            "events[0].remedies[0]",
            "must be one of",
        ),
        ({"type": "escalated", "at": AT, "by": "a"}, "events[0].handler", "missing"),
        (
            {"type": "referred", "at": AT, "by": "a", "to": "the press"},
            "events[0].to",
            "must be one of",
        ),
        (
            {"type": "closed", "at": AT, "by": "a", "satisfied": "maybe"},
            "events[0].satisfied",
            "valid boolean",
        ),
        (
            {"type": "surveyed", "at": AT, "by": "a", "score": 0},
            "events[0].score",
            "greater than or equal to 1",
        ),
        (
            {"type": "surveyed", "at": AT, "by": "a", "score": 6},
            "events[0].score",
            "less than or equal to 5",
        ),
        (
            {"type": "retracted", "at": AT, "by": "a", "event": -1, "reason": "x"},
            "events[0].event",
            "greater than or equal to 0",
        ),
        ({"type": "retracted", "at": AT, "by": "a", "reason": "x"}, "events[0].event", "missing"),
        ({"type": "note", "at": AT, "by": "a"}, "events[0].note", "missing"),
    ],
)
def test_invalid_event(event, where, message):
    found = problems(Complaint, complaint(event))
    assert any(w == where and message in m for w, m in found), found


@pytest.mark.parametrize(
    "changes, where, message",
    [
        ({"id": "C-2026-403-K7Q2"}, "id", "not in the expected form"),
        ({"id": "c-2026-0403-k7q2"}, "id", "not in the expected form"),
        ({"id": "C-2026-0403-K7QU"}, "id", "not in the expected form"),  # U is not Crockford
        ({"id": "C-2026-1304-K7Q2"}, "id", "does not carry a real date"),
        ({"received": "soon"}, "received", "not a date-time"),
        ({"channel": "Carrier Pigeon"}, "channel", "not in the expected form"),
        ({"language": "ITA"}, "language", "not in the expected form"),
        ({"summary": ""}, "summary", "must not be empty"),
        ({"summary": 42}, "summary", "valid string"),
        (
            {"complainant": {"ref": "CRM-1", "email": "x@example.org"}},
            "complainant.email",
            "unknown key",
        ),
        ({"status": "closed"}, "status", "unknown key"),
        ({"events": "none"}, "events", "valid list"),
    ],
)
def test_invalid_complaint(changes, where, message):
    data = {**COMPLAINT, **changes}
    found = problems(Complaint, data)
    assert any(w == where and message in m for w, m in found), found


@pytest.mark.parametrize("key", ["id", "received", "channel", "language", "category", "summary"])
def test_required_complaint_keys(key):
    data = {k: v for k, v in COMPLAINT.items() if k != key}
    assert (key, "missing (this key is required)") in problems(Complaint, data)


def test_valid_policy():
    assert problems(Policy, POLICY) == []


def _calendar(**changes) -> dict:
    return {**POLICY["calendar"], **changes}


@pytest.mark.parametrize(
    "changes, where, message",
    [
        (
            {"calendar": _calendar(country="XX")},
            "calendar.country",
            "no public holidays are known for 'XX'",
        ),
        ({"calendar": _calendar(country="Italy")}, "calendar.country", "not in the expected form"),
        (
            {"calendar": _calendar(country="GB", subdivision="ZZZ")},
            "calendar.subdivision",
            "GB has no subdivision 'ZZZ' (known: ENG, NIR, SCT, WLS)",
        ),
        (
            {"calendar": _calendar(country="EE", subdivision="X")},
            "calendar.subdivision",
            "EE has no subdivision 'X' (known: none)",
        ),
        (
            {"calendar": _calendar(timezone="Mars/Base")},
            "calendar.timezone",
            "unknown time zone 'Mars/Base'",
        ),
        ({"calendar": _calendar(weekend=["fri"])}, "calendar.weekend[0]", "must be one of"),
        (
            {"calendar": _calendar(weekend=["friday", "friday"])},
            "calendar.weekend",
            "listed more than once: friday",
        ),
        (
            {"calendar": _calendar(days="business")},
            "calendar.days",
            "must be one of 'working' or 'calendar'",
        ),
        (
            {"calendar": _calendar(closures=["christmas"])},
            "calendar.closures[0]",
            "not a date (write 2026-04-07)",
        ),
        ({"languages": []}, "languages", "at least 1 item"),
        ({"languages": ["en", "en"]}, "languages", "listed more than once: en"),
        ({"categories": ["billing", "Billing"]}, "categories[1]", "not in the expected form"),
        (
            {"targets": {**POLICY["targets"], "max_extension": -1}},
            "targets.max_extension",
            "greater than or equal to 0",
        ),
        (
            {"targets": {**POLICY["targets"], "stage1": {"acknowledge": 2}}},
            "targets.stage1.respond",
            "missing",
        ),
        (
            {"publication": {"min_count": 0, "min_rate_base": 30}},
            "publication.min_count",
            "greater than 0",
        ),
        ({"recourse": [{"kind": "press", "name": "x"}]}, "recourse[0].kind", "must be one of"),
        ({"colour": "blue"}, "colour", "unknown key"),
    ],
)
def test_invalid_policy(changes, where, message):
    found = problems(Policy, policy(**changes))
    assert any(w == where and message in m for w, m in found), found


@pytest.mark.parametrize(
    "typed, canonical",
    [
        ("c-2026-0403-k7q2", "C-2026-0403-K7Q2"),
        ("C-2026-0403-K7QO", "C-2026-0403-K7Q0"),  # O is read as zero
        ("C-2026-0403-KIL2", "C-2026-0403-K112"),  # I and L are read as one
        ("c-2026-04", "C-2026-04"),  # a prefix is left as it is, but upper case
        ("  C-2026-0403-K7Q2 ", "C-2026-0403-K7Q2"),
    ],
)
def test_normalise_id(typed, canonical):
    assert normalise_id(typed) == canonical
