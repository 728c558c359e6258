"""The cheap looks `complaints check` takes before the slow ones change no verdict.

The personal-data scan skips a detector when a text cannot hold its kind (no `@`, too few
digits, nothing an IBAN begins with); a calendar remembers the local dates of the moments
it was asked about; a file's name is shown from strings. Each gives the answers it gave
before: expected values here are worked out by hand, and the scan is compared with all its
detectors run on every text.
"""

import os
import pickle
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from complaints_register.core import personal_data
from complaints_register.core.personal_data import (
    _FEWEST_DIGITS,
    KINDS,
    REFERENCE_KINDS,
    card_numbers,
    email_addresses,
    found_in,
    ibans,
    telephone_numbers,
)
from complaints_register.core.working_days import _REMEMBERED, Calendar
from complaints_register.store.files import shown

# (text, region, kinds, [(kind, what is found)]): worked out by hand.
SCANNED = [
    ("Letter not readable with a screen reader", "IT", KINDS, []),
    ("Charged twice in March", "IT", KINDS, []),
    ("Refund of 12 EUR, not 21", "IT", KINDS, []),  # too few digits for any kind
    ("CRM-18281", "IT", REFERENCE_KINDS, []),  # digits, but nothing an IBAN begins with
    ("CRM-18281", "IT", KINDS, []),
    ("call 112", "IT", KINDS, []),
    ("room 4321", "IT", KINDS, []),  # four digits: no Italian number
    ("ring 4321", "NU", KINDS, [("telephone", "4321")]),  # Niue: four digits, the shortest
    ("ring 347 123 4567", "IT", KINDS, [("telephone", "347 123 4567")]),
    ("ring ٣٤٧ ١٢٣ ٤٥٦٧", "IT", KINDS, [("telephone", "٣٤٧ ١٢٣ ٤٥٦٧")]),  # Arabic digits
    ("IBAN IT60X0542811101000000123456", "IT", KINDS, [("iban", "IT60X0542811101000000123456")]),
    ("iban it60x0542811101000000123456", "IT", KINDS, [("iban", "it60x0542811101000000123456")]),
    ("IBAN NO9386011117947", "IT", REFERENCE_KINDS, [("iban", "NO9386011117947")]),
    ("IBAN NO۹۳86011117947", "IT", KINDS, [("iban", "NO۹۳86011117947")]),  # Persian digits
    ("card 4111 1111 1111 1111", "IT", KINDS, [("card", "4111 1111 1111 1111")]),
    ("card 4111 1111 1111 1111", "IT", REFERENCE_KINDS, []),
    ("mail a@example.org", "IT", KINDS, [("email", "a@example.org")]),
    ("mail a@example.org or 347 123 4567", "IT", REFERENCE_KINDS, [("email", "a@example.org")]),
    (
        "a@example.org, 347 123 4567, IT60X0542811101000000123456",
        "IT",
        KINDS,
        [
            ("email", "a@example.org"),
            ("telephone", "347 123 4567"),
            ("iban", "IT60X0542811101000000123456"),
        ],
    ),
]


@pytest.mark.parametrize("text, region, kinds, expected", SCANNED)
def test_the_scan_finds_what_is_there(text, region, kinds, expected):
    found = found_in(text, region, kinds)
    assert [(f.kind, text[f.start : f.end]) for f in found] == expected


def every_detector_run(text: str, region: str, kinds: tuple[str, ...]) -> list:
    """The scan without its shortcuts: every detector asked for, on every text."""
    detectors = {
        "iban": ibans,
        "card": card_numbers,
        "email": email_addresses,
        "telephone": lambda t: telephone_numbers(t, region),
    }
    found: list = []
    for kind in KINDS:
        if kind in kinds:
            found += [
                f
                for f in detectors[kind](text)
                if not any(f.start < g.end and g.start < f.end for g in found)
            ]
    return sorted(found, key=lambda f: f.start)


PIECES = st.sampled_from(
    [
        "4321",
        "112",
        " ",
        "-",
        "+",
        "@",
        "a@example.org",
        "347 123 4567",
        "+39 347 123 4567",
        "IT60X0542811101000000123456",
        "IT60 X054 2811 1010 0000 0123 456",
        "NO9386011117947",
        "4111 1111 1111 1111",
        "4222222222222",
        "٣٤٧",
        "۹۳",
        "ab",
        "IT",
        "12",
        "x",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(PIECES, max_size=8).map("".join),
    st.sampled_from(["IT", "GB", "NU", "US"]),
    st.sampled_from([KINDS, REFERENCE_KINDS]),
)
def test_the_scan_finds_what_every_detector_finds(text, region, kinds):
    assert found_in(text, region, kinds) == every_detector_run(text, region, kinds)


def test_no_numbering_plan_has_numbers_shorter_than_the_scan_looks_for():
    # The telephone matcher is skipped below this many digits: a plan with shorter valid
    # numbers (a new version of libphonenumber's data) must lower it.
    shortest = min(
        length
        for code, regions in COUNTRY_CODE_TO_REGION_CODE.items()
        for region in regions
        if (plan := PhoneMetadata.metadata_for_region_or_calling_code(code, region))
        for desc in (
            plan.general_desc,
            plan.fixed_line,
            plan.mobile,
            plan.toll_free,
            plan.premium_rate,
            plan.shared_cost,
            plan.personal_number,
            plan.voip,
            plan.pager,
            plan.uan,
            plan.voicemail,
        )
        if desc is not None
        for length in desc.possible_length
        if length > 0
    )
    assert _FEWEST_DIGITS["telephone"] <= shortest
    assert phonenumbers.is_valid_number(phonenumbers.parse("4321", "NU"))  # 4 digits: found


def test_only_texts_that_could_hold_a_number_reach_the_telephone_matcher(monkeypatch):
    asked: list[str] = []

    def counting(text: str, region: str):
        asked.append(text)
        return iter(())

    monkeypatch.setitem(personal_data._DETECTED, "telephone", counting)
    for text in ("no digits here", "call 112", "12 and 3", "a@b", "ref 4321", "٣٤٧٣"):
        found_in(text, "IT")
    assert asked == ["ref 4321", "٣٤٧٣"]


ROME = Calendar("IT", timezone="Europe/Rome")


def test_a_moment_has_one_local_date_however_it_is_written():
    late_utc = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 on the 29th in Rome
    assert ROME.local_date(late_utc) == date(2026, 3, 29)
    same_moment = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    assert ROME.local_date(same_moment) == date(2026, 3, 29)
    # Naive: already Rome's wall-clock time, although equal in its fields to the first.
    assert ROME.local_date(datetime(2026, 3, 28, 23, 30)) == date(2026, 3, 28)
    assert ROME.local_date(late_utc) == date(2026, 3, 29)  # asked again: as the first time
    assert ROME.local_date(date(2026, 3, 28)) == date(2026, 3, 28)


def test_many_moments_each_keep_their_own_local_date():
    calendar = Calendar("IT", timezone="Europe/Rome")
    start = datetime(2020, 1, 1, 23, 30, tzinfo=UTC)  # 00:30 the next day in Rome (winter)
    moments = [start + timedelta(days=i) for i in range(2 * _REMEMBERED + 3)]
    for _ in range(2):
        assert [calendar.local_date(m) for m in moments] == [
            date(2020, 1, 2) + timedelta(days=i) for i in range(len(moments))
        ]
    with pytest.raises(TypeError):
        calendar.local_date("2026-03-28")  # type: ignore[arg-type]


def test_a_file_is_shown_relative_to_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "register" / "2026").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "register")
    assert shown(tmp_path / "register" / "2026" / "C.yaml") == "2026/C.yaml"
    assert shown(Path("2026") / "C.yaml") == "2026/C.yaml"
    assert shown(Path("2026//./C.yaml")) == "2026/C.yaml"
    assert shown(Path("C.yaml")) == "./C.yaml"
    assert shown(tmp_path / "other.yaml") == os.path.join(str(tmp_path), "other.yaml")
    monkeypatch.chdir(tmp_path)  # the same file, from another working folder
    assert shown(tmp_path / "register" / "2026" / "C.yaml") == "register/2026/C.yaml"


def test_a_calendar_is_kept_without_the_dates_it_remembered():
    calendar = Calendar("IT", timezone="Europe/Rome")
    moment = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    assert calendar.local_date(moment) == date(2026, 3, 29)
    copy = pickle.loads(pickle.dumps(calendar))  # as the register's cache keeps it
    assert "_local_dates" not in copy.__dict__
    assert copy.local_date(moment) == date(2026, 3, 29)
    assert copy.local_date(datetime(2026, 3, 28, 23, 30)) == date(2026, 3, 28)
