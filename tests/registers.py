"""Registers made to test the statistics and the public site.

* `tempting()`: few complaints, laid out to tempt disclosure control: a category with 2
  complaints, a month with 1, and totals from which a hidden count could be subtracted.
* `marked()`: complaints whose every confidential field (summary, desired outcome,
  complainant reference, notes, reasons, handler and staff names) holds a unique marker,
  so that a test can look for each marker in everything the site publishes.
"""

import itertools
from datetime import date

from conftest import POLICY, complaint, policy, write_yaml

from complaints_register.core.status import facts
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Complaint, Policy

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SIX_LANGUAGES = ["en", "id", "uk", "et", "it", "fa"]
ITALY = calendar_for(Policy.model_validate(POLICY))  # the test policy's calendar


def ids():
    """Distinct random parts for complaint IDs: 0000, 0001, ..."""
    return ("".join(chars) for chars in itertools.product(CROCKFORD, repeat=4))


def ev(kind: str, day: str, by: str = "anna", **fields) -> dict:
    return {"type": kind, "at": day, "by": by, **fields}


def received(day: str, suffix: str, category: str, channel: str, *events: dict, **changes) -> dict:
    """A complaint received at 10:00 Rome time on `day`."""
    return complaint(
        *events,
        id=f"C-{day[:4]}-{day[5:7]}{day[8:10]}-{suffix}",
        received=f"{day}T10:00:00+02:00",
        category=category,
        channel=channel,
        **changes,
    )


def closed(day: str, responded: str, satisfied: bool = True) -> tuple[dict, ...]:
    return (
        ev("acknowledged", day),
        ev("responded", responded, outcome="upheld"),
        ev("closed", responded, satisfied=satisfied),
    )


def tempting() -> list[dict]:
    """March 2026: 10 billing by email, 1 service-quality by phone (11). April: 6 billing
    by email, 1 service-quality by letter (7). May: 1 billing by email. So the year holds
    19: billing 17, service-quality 2, other 0; Q1 11, Q2 8. All answered, closed and
    satisfied but the May one, which is acknowledged and still open."""
    suffix = ids()
    found = []
    for n in range(10):
        day = f"2026-03-{n + 2:02d}"
        found.append(received(day, next(suffix), "billing", "email", *closed(day, "2026-03-20")))
    found.append(
        received(
            "2026-03-16",
            next(suffix),
            "service-quality",
            "phone",
            *closed("2026-03-16", "2026-03-27"),
        )
    )
    for n in range(6):
        day = f"2026-04-{n + 13:02d}"
        found.append(received(day, next(suffix), "billing", "email", *closed(day, "2026-04-30")))
    found.append(
        received(
            "2026-04-20",
            next(suffix),
            "service-quality",
            "letter",
            *closed("2026-04-20", "2026-04-30"),
        )
    )
    found.append(
        received("2026-05-11", next(suffix), "billing", "email", ev("acknowledged", "2026-05-11"))
    )
    return found


def facts_of(complaints: list[dict], as_of: date, **policy_changes):
    """Facts of these complaints under the test policy (with top-level keys replaced)."""
    the_policy = Policy.model_validate(policy(**policy_changes))
    calendar = calendar_for(the_policy)
    return (
        [facts(Complaint.model_validate(c), the_policy, calendar, as_of) for c in complaints],
        the_policy,
        calendar,
    )


# Every confidential field a complaint can carry; each gets its own marker.
MARKED_FIELDS = ("summary", "outcome", "ref", "note", "reason", "handler", "reviewer", "staff")


def marker(field: str, n: int) -> str:
    """A unique word no page would contain by chance (letters only, so that no escaping
    or case change can hide it)."""
    return f"qzx{field}{CROCKFORD[n % 32].lower()}{n}mark"


def marked(count: int = 40) -> list[dict]:
    """`count` complaints from January 2026 on, in every category and channel, each with a
    marker in every confidential field and in every name; some escalated, extended,
    paused, retracted, referred."""
    suffix = ids()
    found = []
    for n in range(count):
        day = date(2026, 1 + n % 10, 5 + n % 20).isoformat()
        staff, handler, reviewer = (marker(f, n) for f in ("staff", "handler", "reviewer"))
        events = [
            ev("acknowledged", day, by=staff, note=marker("note", n)),
            ev(
                "assessed",
                day,
                by=staff,
                priority="urgent" if n % 4 == 0 else "normal",
                handler=handler,
            ),
            ev("note", day, by=staff, note=marker("note", 1000 + n)),
        ]
        if n % 5 == 1:  # three working days past the response date, within max_extension
            target = 5 if n % 4 == 0 else 20
            due = ITALY.add(date.fromisoformat(day), target + 3).isoformat()
            events.append(ev("extended", day, by=handler, due=due, reason=marker("reason", n)))
        if n % 3 != 2:
            events.append(
                ev(
                    "responded",
                    _later(day, 10),
                    by=handler,
                    outcome=("upheld", "partly-upheld", "not-upheld")[n % 3],
                )
            )
            if n % 6 == 1:
                events += [
                    ev("escalated", _later(day, 12), by=staff, handler=reviewer),
                    ev("responded", _later(day, 20), by=reviewer, outcome="upheld"),
                ]
            events.append(
                ev(
                    "closed",
                    _later(day, 22),
                    by=staff,
                    satisfied=bool(n % 2),
                    note=marker("note", 2000 + n),
                )
            )
            events.append(ev("surveyed", _later(day, 25), by=staff, score=1 + n % 5))
        elif n % 9 == 2:
            events.append(ev("referred", _later(day, 15), by=staff, to="ombudsman"))
        events.append(
            ev("retracted", _later(day, 26), by=staff, event=2, reason=marker("reason", 1000 + n))
        )
        found.append(
            received(
                day,
                next(suffix),
                POLICY["categories"][n % 3],
                POLICY["channels"][n % 3],
                *events,
                summary=marker("summary", n),
                desired_outcome=marker("outcome", n),
                complainant={"ref": marker("ref", n)},
                language=SIX_LANGUAGES[n % 6],
            )
        )
    return found


def markers(complaints: list[dict]) -> set[str]:
    """Every marker these complaints hold, and their IDs."""
    found = {c["id"] for c in complaints}
    for c in complaints:
        found |= {c["summary"], c["desired_outcome"], c["complainant"]["ref"]}
        for event in c["events"]:
            found |= {event.get(key) for key in ("by", "note", "reason", "handler")} - {None}
    return found


def _later(day: str, n: int) -> str:
    return date.fromordinal(date.fromisoformat(day).toordinal() + n).isoformat()


def write_register(root, complaints: list[dict], **policy_changes):
    """A register folder holding the test policy (changed) and these complaints."""
    write_yaml(root / "policy.yaml", policy(**policy_changes))
    for data in complaints:
        write_yaml(root / data["id"][2:6] / f"{data['id']}.yaml", data)
    return root
