"""The example register, through the installed command.

The expected values are worked out here, not copied from the command's output. Each
open complaint's files were read by hand (register/20*/*.yaml) and its undone steps
written into `OPEN_STEPS` below with their day zero and target (register/policy.yaml:
stage 1 acknowledge 2, respond 20, urgent 5; stage 2 acknowledge 3, respond 20; very
overdue 20 working days after the due date). The due dates are then counted by a small
working-day calendar of this file's own (`add`, `count`): Monday to Friday, less Italy's
national holidays of the period typed from the Italian calendar, less the closures that
register/policy.yaml lists. Each row also carries the due date counted by hand, and a test
checks that the two agree, so a slip in either shows.
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta

import yaml
from conftest import EXAMPLE, ROOT, installed

AS_OF = date(2026, 11, 23)  # a Monday
VERY_OVERDUE_AFTER = 20  # register/policy.yaml targets.very_overdue_after

# Italy's national public holidays from August to December 2026 (Ferragosto, Ognissanti,
# Immacolata Concezione, Natale, Santo Stefano). 15 August, 1 November and 26 December
# fall on a weekend in 2026; 8 December is a Tuesday and 25 December a Friday.
ITALIAN_HOLIDAYS = {
    date(2026, 8, 15),
    date(2026, 11, 1),
    date(2026, 12, 8),
    date(2026, 12, 25),
    date(2026, 12, 26),
}
FIRST, LAST = date(2026, 8, 1), date(2026, 12, 31)  # the period the holidays above cover


def _closures() -> set[date]:
    policy = yaml.safe_load((EXAMPLE / "policy.yaml").read_text(encoding="utf-8"))
    return set(policy["calendar"]["closures"])  # 14 August, 24 and 31 December 2026 here


CLOSED = ITALIAN_HOLIDAYS | _closures()


def working(day: date) -> bool:
    assert FIRST <= day <= LAST, f"{day} is outside the period this calendar covers"
    return day.weekday() < 5 and day not in CLOSED


def add(start: date, n: int) -> date:
    """The n-th working day after `start` (n = 0: `start`, or the next working day)."""
    day = start
    while n == 0 and not working(day):
        day += timedelta(days=1)
    while n:
        day += timedelta(days=1)
        n -= working(day)
    return day


def count(after: date, through: date) -> int:
    """Working days d with after < d <= through."""
    return sum(working(after + timedelta(days=k)) for k in range(1, (through - after).days + 1))


@dataclass(frozen=True)
class Step:
    """A step of a complaint's current stage not yet done as of AS_OF, read by hand from its
    file. Due: `add(start, days + pause days)`; an open pause counts up to AS_OF."""

    complaint: str
    stage: int
    step: str
    start: date  # day zero (local date of receipt, of escalation or of reopening)
    days: int  # the policy's target
    by_hand: date  # the due date counted by hand, working shown in the comment
    pauses: tuple[tuple[date, date], ...] = ()
    paused: bool = False  # a paused stage is never response-overdue

    @property
    def due(self) -> date:
        return add(self.start, self.days + sum(count(a, b) for a, b in self.pauses))


D = date
# The counts: "(n)" is the n-th working day after day zero.
OPEN_STEPS = [
    # Received Tue 4 Aug, normal, acknowledged 5 Aug, no answer: Aug 5-7 (3), 10-13 (7;
    # 14 Aug closed), 17-21 (12), 24-28 (17), 31 (18), Sep 1 (19), Sep 2 (20).
    Step("C-2026-0804-JZHT", 1, "respond", D(2026, 8, 4), 20, D(2026, 9, 2)),
    # Received Thu 3 Sep, only acknowledged (so normal): Sep 4 (1), 7-11 (6), 14-18 (11),
    # 21-25 (16), 28-30 and Oct 1 (20).
    Step("C-2026-0903-0NHS", 1, "respond", D(2026, 9, 3), 20, D(2026, 10, 1)),
    # Received Wed 9 Sep, normal, info requested 18 Sep and never received: paused. The
    # pause counts to 23 Nov: Sep 21-30 (8), October (22 working days: 30), Nov 2-20 (45),
    # Nov 23 (46). 20 + 46 = 66 after 9 Sep: Sep 10-30 (15), Oct (37), Nov 2-30 (57),
    # Dec 1-4 (62), 7 (63), 9-11 (66; 8 Dec is a holiday).
    Step(
        "C-2026-0909-ZCDH",
        1,
        "respond",
        D(2026, 9, 9),
        20,
        D(2026, 12, 11),
        pauses=((D(2026, 9, 18), AS_OF),),
        paused=True,
    ),
    # Escalated Mon 26 Oct (stage 2 acknowledged 28 Oct), normal: Oct 27-30 (4), Nov 2-6
    # (9), 9-13 (14), 16-20 (19), 23 (20). Due today, so not overdue.
    Step("C-2026-0922-FYET", 2, "respond", D(2026, 10, 26), 20, D(2026, 11, 23)),
    # Received Tue 29 Sep, normal; paused 6-12 Oct (Oct 7, 8, 9, 12: 4 days) and again from
    # 20 Oct, still open (Oct 21-23, 26-30, Nov 2-20, 23: 24 days). 20 + 4 + 24 = 48 after
    # 29 Sep: Sep 30 (1), Oct (23), Nov 2-30 (44), Dec 1-4 (48).
    Step(
        "C-2026-0929-TXGA",
        1,
        "respond",
        D(2026, 9, 29),
        20,
        D(2026, 12, 4),
        pauses=((D(2026, 10, 6), D(2026, 10, 12)), (D(2026, 10, 20), AS_OF)),
        paused=True,
    ),
    # Received Fri 2 Oct, normal: Oct 5-9 (5), 12-16 (10), 19-23 (15), 26-30 (20).
    Step("C-2026-1002-TVSF", 1, "respond", D(2026, 10, 2), 20, D(2026, 10, 30)),
    # Escalated Thu 19 Nov, stage 2 not acknowledged: Nov 20 (1), 23 (2), 24 (3). Respond
    # (normal): Nov 20 (1), 23-27 (6), Nov 30-Dec 4 (11), 7 (12), 9-11 (15), 14-18 (20).
    Step("C-2026-1008-E1B0", 2, "acknowledge", D(2026, 11, 19), 3, D(2026, 11, 24)),
    Step("C-2026-1008-E1B0", 2, "respond", D(2026, 11, 19), 20, D(2026, 12, 18)),
    # Reopened Wed 18 Nov, urgent (the acknowledgement stands): Nov 19, 20, 23, 24, 25.
    Step("C-2026-1014-8QR9", 1, "respond", D(2026, 11, 18), 5, D(2026, 11, 25)),
    # Escalated Wed 11 Nov, stage 2 not acknowledged: Nov 12, 13, 16. Respond (normal):
    # Nov 12-13 (2), 16-20 (7), 23-27 (12), Nov 30-Dec 4 (17), 7 (18), 9, 10 (20).
    Step("C-2026-1020-F577", 2, "acknowledge", D(2026, 11, 11), 3, D(2026, 11, 16)),
    Step("C-2026-1020-F577", 2, "respond", D(2026, 11, 11), 20, D(2026, 12, 10)),
    # Received 26 Oct 09:00+01:00, 09:00 in Rome (summer time ended Sun 25 Oct); no events.
    # Acknowledge: Oct 27, 28. Respond: as FYET's stage 2 above, 23 Nov.
    Step("C-2026-1026-0JVZ", 1, "acknowledge", D(2026, 10, 26), 2, D(2026, 10, 28)),
    Step("C-2026-1026-0JVZ", 1, "respond", D(2026, 10, 26), 20, D(2026, 11, 23)),
    # Extended on 20 Nov to Fri 4 Dec, a working day, with no pause after: 4 Dec itself.
    Step("C-2026-1029-Q5GF", 1, "respond", D(2026, 12, 4), 0, D(2026, 12, 4)),
    # Received Mon 2 Nov, urgent: Nov 3, 4, 5, 6, 9.
    Step("C-2026-1102-KSPG", 1, "respond", D(2026, 11, 2), 5, D(2026, 11, 9)),
    # Received Thu 5 Nov, only acknowledged: Nov 6 (1), 9-13 (6), 16-20 (11), 23-27 (16),
    # Nov 30-Dec 3 (20).
    Step("C-2026-1105-RVW7", 1, "respond", D(2026, 11, 5), 20, D(2026, 12, 3)),
    # Received Thu 12 Nov, normal; its info-requested is retracted, so no pause: Nov 13 (1),
    # 16-20 (6), 23-27 (11), Nov 30-Dec 4 (16), 7 (17), 9-11 (20).
    Step("C-2026-1112-TQ6W", 1, "respond", D(2026, 11, 12), 20, D(2026, 12, 11)),
    # Received Wed 18 Nov, urgent: Nov 19, 20, 23, 24, 25.
    Step("C-2026-1118-SH4K", 1, "respond", D(2026, 11, 18), 5, D(2026, 11, 25)),
    # Received Thu 19 Nov 17:20 in Rome; no events. Acknowledge: Nov 20, 23. Respond: as
    # E1B0's stage 2 above, 18 Dec.
    Step("C-2026-1119-BP0E", 1, "acknowledge", D(2026, 11, 19), 2, D(2026, 11, 23)),
    Step("C-2026-1119-BP0E", 1, "respond", D(2026, 11, 19), 20, D(2026, 12, 18)),
    # Received 2026-11-19T23:40:00+00:00, which is 00:40 on Fri 20 Nov in Rome (UTC+1); no
    # events. Acknowledge: Nov 23, 24. Respond: Nov 23-27 (5), Nov 30-Dec 4 (10), 7 (11),
    # 9-11 (14), 14-18 (19), 21 (20).
    Step("C-2026-1120-JSMR", 1, "acknowledge", D(2026, 11, 20), 2, D(2026, 11, 24)),
    Step("C-2026-1120-JSMR", 1, "respond", D(2026, 11, 20), 20, D(2026, 12, 21)),
]
# Open too, with nothing left to do at their stage: they were responded to.
RESPONDED = {"C-2026-0828-QYHE", "C-2026-1110-9SG5"}
# Every other complaint ends in closed, referred or withdrawn: its clocks have stopped.
ENDED = {"closed", "referred", "withdrawn"}
RECORD_ONLY = {"note", "surveyed", "erased", "retracted"}


def _overdue() -> list[tuple[str, str, str, int, str]]:
    """(id, step, due, days late, level) of each overdue step, worked out from OPEN_STEPS."""
    rows = []
    for s in OPEN_STEPS:
        if AS_OF > s.due and not (s.paused and s.step == "respond"):
            very = AS_OF > add(s.due, VERY_OVERDUE_AFTER)
            level = "very overdue" if very else "overdue"
            rows.append((s.complaint, s.step, s.due.isoformat(), count(s.due, AS_OF), level))
    return sorted(rows, key=lambda row: -row[3])


def test_the_hand_counts_agree_with_the_calendar_here():
    assert {s: s.due for s in OPEN_STEPS} == {s: s.by_hand for s in OPEN_STEPS}


def test_every_other_example_complaint_has_ended_or_been_answered():
    """What OPEN_STEPS leaves out was read by hand too; this re-reads the files to be sure."""
    listed = {s.complaint for s in OPEN_STEPS}
    for path in sorted(EXAMPLE.glob("20*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        retracted = {e["event"] for e in data["events"] if e["type"] == "retracted"}
        kinds = [
            e["type"]
            for i, e in enumerate(data["events"])
            if i not in retracted and e["type"] not in RECORD_ONLY
        ]
        if data["id"] in RESPONDED:
            assert kinds[-1] == "responded", path
        elif data["id"] not in listed:
            assert kinds and kinds[-1] in ENDED, path


def test_list_shows_the_due_dates_worked_out_here():
    result = installed("list", "--as-of", AS_OF.isoformat(), "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    expected: dict[str, dict] = {c: {"acknowledge": None, "respond": None} for c in RESPONDED}
    stages = {}
    for s in OPEN_STEPS:
        expected.setdefault(s.complaint, {"acknowledge": None, "respond": None})
        expected[s.complaint][s.step] = s.due.isoformat()
        stages[s.complaint] = s.stage
    found = json.loads(result.stdout)
    assert {c["id"]: c["due"] for c in found} == expected
    assert {c["id"]: c["stage"] for c in found if c["id"] in stages} == stages


def test_overdue_lists_the_overdue_examples_and_exits_1():
    expected = _overdue()
    # What the count above comes to, for the reader: two responses more than 20 working
    # days late, two acknowledgements and two responses less.
    assert [(row[0], row[1], row[4]) for row in expected] == [
        ("C-2026-0804-JZHT", "respond", "very overdue"),
        ("C-2026-0903-0NHS", "respond", "very overdue"),
        ("C-2026-1026-0JVZ", "acknowledge", "overdue"),
        ("C-2026-1002-TVSF", "respond", "overdue"),
        ("C-2026-1102-KSPG", "respond", "overdue"),
        ("C-2026-1020-F577", "acknowledge", "overdue"),
    ]
    result = installed("overdue", "--as-of", AS_OF.isoformat(), "--format", "json", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    rows = json.loads(result.stdout)
    found = [(r["id"], r["step"], r["due"], r["days_late"], r["level"]) for r in rows]
    assert found == expected  # most overdue first
    for row in rows:  # nothing confidential
        assert set(row) == {
            "id",
            "category",
            "stage",
            "handler",
            "step",
            "due",
            "days_late",
            "level",
        }


def test_overdue_exits_0_when_nothing_is_overdue():
    # The day after the first complaint arrived (2025-05-20): nothing can be due yet.
    result = installed("overdue", "--as-of", "2025-05-21", cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert "nothing is overdue as of 2025-05-21" in result.stdout


def test_list_overdue_agrees_with_overdue():
    result = installed("list", "--overdue", "--as-of", "2026-11-23", "--format", "json", cwd=ROOT)
    assert {c["id"] for c in json.loads(result.stdout)} == {row[0] for row in _overdue()}


def test_list_due_within():
    # Due within 1 working day of Mon 23 Nov: on the 23rd or on Tue the 24th, from the
    # counts above: FYET responds (stage 2) and BP0E acknowledges on the 23rd, E1B0
    # (stage 2) and JSMR acknowledge on the 24th, and 0JVZ, its acknowledgement long
    # overdue, is due to respond on the 23rd.
    within = {s.complaint for s in OPEN_STEPS if AS_OF <= s.due <= add(AS_OF, 1)}
    assert within == {
        "C-2026-0922-FYET",
        "C-2026-1119-BP0E",
        "C-2026-1008-E1B0",
        "C-2026-1120-JSMR",
        "C-2026-1026-0JVZ",
    }
    result = installed(
        "list", "--due-within", "1", "--as-of", "2026-11-23", "--format", "json", cwd=ROOT
    )
    assert {c["id"] for c in json.loads(result.stdout)} == within
