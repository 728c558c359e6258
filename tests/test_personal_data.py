"""The personal-data check: e-mail addresses, telephone numbers, IBANs and card numbers are
refused in free text, each at its line; ordinary text (invoice numbers, dates, amounts...)
is not.

Sample data comes from published test values: the IBAN registry's example IBANs (ISO 13616)
and the card networks' test card numbers, which pass the Luhn check; the near misses change
one digit, which both checks always catch.
"""

import json
import typing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaints_register.core.personal_data import (
    FREE_TEXT_EVENT_FIELDS,
    _could_hold,
    card_numbers,
    email_addresses,
    found_in,
    free_text,
    ibans,
    masked,
    telephone_numbers,
)
from complaints_register.schema import Complaint
from complaints_register.schema.complaint import Complainant
from complaints_register.schema.events import EVENT_TYPES

# (kind, text, what must be found in it)
PERSONAL = [
    ("email", "Write to mario.rossi@example.org today", "mario.rossi@example.org"),
    ("email", "copy to a.b+complaints@mail.example.co.uk.", "a.b+complaints@mail.example.co.uk"),
    ("email", "ana@example.id menulis", "ana@example.id"),
    ("email", "пишіть на олена@приклад.укр", "олена@приклад.укр"),
    ("telephone", "call +39 347 123 4567 after six", "+39 347 123 4567"),
    ("telephone", "mobile 347 123 4567", "347 123 4567"),  # Italian mobile, no +39
    ("telephone", "office (06) 5550 1234", "(06) 5550 1234"),  # Rome, area code 06
    ("telephone", "tel.0655501234", "0655501234"),
    ("telephone", "from London: +44 20 7946 0958", "+44 20 7946 0958"),
    ("telephone", "US number +1 (415) 555-2671", "+1 (415) 555-2671"),
    ("telephone", "تلفن +۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹"),  # Persian digits
    ("iban", "IBAN IT60 X054 2811 1010 0000 0123 456 please", "IT60 X054 2811 1010 0000 0123 456"),
    ("iban", "pay to IT60X0542811101000000123456.", "IT60X0542811101000000123456"),
    ("iban", "GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
    ("iban", "konto DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
    ("iban", "fr14 2004 1010 0505 0001 3m02 606 (lower case)", "fr14 2004 1010 0505 0001 3m02 606"),
    ("card", "card 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111"),
    ("card", "paid 2026-03-01 with 5555555555554444", "5555555555554444"),
    ("card", "Amex 3782-822463-10005", "3782-822463-10005"),
    ("card", "Discover 6011 1111 1111 1117.", "6011 1111 1111 1117"),
    ("card", "old Visa 4222222222222", "4222222222222"),  # 13 digits
    ("card", "کارت ۴۱۱۱ ۱۱۱۱ ۱۱۱۱ ۱۱۱۱", "۴۱۱۱ ۱۱۱۱ ۱۱۱۱ ۱۱۱۱"),  # 4111... in Persian digits
]

ORDINARY = [
    # invoices, orders, cases
    "Invoice INV-2026-004512 was charged twice",
    "fattura n. INV-2026-004512 del 03/04/2026",
    "order 1234567890123",  # 13 digits, Luhn sum 55: fails
    "order no. 98765432109876",  # 14 digits, Luhn sum 71: fails
    "case 2025/1234 and protocol n. 2026/004512",
    "ticket #4471 reopened",
    # meters and supply points
    "meter 4711-2209 reads 12345",
    "water meter no. 20231184",
    "matricola contatore 19884213",
    "meter M-06123456 replaced",  # a code's prefix: not a telephone number
    "PDR 00881234567890",  # Italian gas supply point: 14 digits
    "POD IT001E12345678",  # Italian electricity supply point
    "readings 12345 12467 12590 m³",
    # dates and times
    "on 2026-04-03 and again on 2026-04-15",
    "dates 2026-04-03 2026-04-15 2026-05-01",
    "03/04/2026 and 3.4.2026",
    "on 12.03.2026 between 10:30 and 12:45",
    "open 12:30-13:30",
    "20 June 2026 at 09:30",
    "2019, 2020 and 2021",
    # amounts
    "amount € 1.234,56 instead of € 617,28",
    "EUR 45,00 and 1,234.56 euro",
    "Rp 1.500.000 ditagih dua kali",
    "₴ 2 350,00 за березень",
    "Conguaglio di 480 euro senza alcuna spiegazione",
    # places
    "postcode 00100 Roma, 30121 Venezia",
    "SW1A 1AA London; 10115 Berlin",
    "Via dell'Esempio 1, 00100 Roma",
    # references into other systems
    "complaint C-2026-0403-K7Q2, CRM-48213",
    "see C-2025-0520-RE62 and C-2026-0101-WJGP",
    "CRM-0612345678",
    "ISO 10002:2018, version 4.2.1, 10 × 20 cm",
    "@anna please check",
    "IT60 is not an account number on its own",
    # near misses: one digit changed, or a run of zeros
    "IT61 X054 2811 1010 0000 0123 456",
    "4111 1111 1111 1112",
    "0000 0000 0000 0000",
    "5555-5555-5555-4445",
    # other languages and scripts
    "قبض شماره ۱۲۳۴۵ به مبلغ ۲۵۰٬۰۰۰ ریال",
    "Рахунок № 2026/0045 від 03.04.2026",
    "Arve 2026-0045, summa 45,90 €",
    "Tagihan bulan Maret 2026 naik 30%",
]

DETECTORS = {
    "email": email_addresses,
    "telephone": lambda text: telephone_numbers(text, "IT"),
    "iban": ibans,
    "card": card_numbers,
}


@pytest.mark.parametrize("kind, text, expected", PERSONAL)
def test_each_kind_is_found(kind, text, expected):
    found = found_in(text, "IT")
    assert [(f.kind, text[f.start : f.end]) for f in found] == [(kind, expected)]


@pytest.mark.parametrize("kind, text, expected", PERSONAL)
def test_each_detector_finds_its_own_kind(kind, text, expected):
    found = list(DETECTORS[kind](text))
    assert [text[f.start : f.end] for f in found] == [expected]


# The shortest numbers of each kind: the fewest digits found_in looks for must allow them.
SHORTEST = [
    ("card", "card 4222222222222 (13 digits, Visa's test number)", "4222222222222"),
    ("iban", "IBAN NO9386011117947", "NO9386011117947"),  # Norway's: the shortest IBAN
    ("telephone", "ring 112 or +47 2212 3456", "+47 2212 3456"),
]


@pytest.mark.parametrize("kind, text, expected", PERSONAL + SHORTEST)
def test_what_is_found_has_the_digits_found_in_looks_for(kind, text, expected):
    assert _could_hold(kind, text)
    assert [text[f.start : f.end] for f in DETECTORS[kind](text)] == [expected]


@given(st.text(alphabet=st.sampled_from("0123456789٠١٢٣ +-@.abcNOIT"), max_size=40))
def test_text_without_those_digits_holds_nothing_of_that_kind(text):
    for kind, detector in DETECTORS.items():
        if not _could_hold(kind, text):
            assert list(detector(text)) == []


@pytest.mark.parametrize("region", ["IT", "GB", "US", "EE", "ID", "UA", "IR"])
@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_not_flagged(text, region):
    assert found_in(text, region) == []


def test_several_in_one_text_each_once():
    text = "IBAN IT60 X054 2811 1010 0000 0123 456, card 4111 1111 1111 1111, a@example.org"
    assert [f.kind for f in found_in(text, "IT")] == ["iban", "card", "email"]


def test_the_policy_country_reads_numbers_without_a_plus():
    # 347 123 4567 is an Italian mobile number; in the UK plan it is no number at all.
    assert [f.kind for f in found_in("mobile 347 123 4567", "IT")] == ["telephone"]
    assert found_in("mobile 347 123 4567", "GB") == []
    assert [f.kind for f in found_in("mobile +39 347 123 4567", "GB")] == ["telephone"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("mario@example.org", "•••••@•••••••.•rg"),
        ("+39 347 123 4567", "+•• ••• ••• ••67"),
        ("4111 1111 1111 1111", "•••• •••• •••• ••11"),
    ],
)
def test_messages_show_the_value_masked(value, expected):
    assert masked(value) == expected


# Through `complaints check`: each kind in each free-text field, at its file and line.

FILE = """\
id: C-2026-0403-K7Q2
received: 2026-04-03T09:12:00+02:00
channel: email
language: it
category: billing
summary: {summary}
desired_outcome: {desired_outcome}
complainant: {{ref: {ref}}}
events:
  - {{type: acknowledged, at: 2026-04-07, by: anna, note: {note}}}
  - {{type: assessed, at: 2026-04-08, by: anna, priority: normal, handler: marco}}
  - {{type: extended, at: 2026-04-20, by: marco, due: 2026-05-12, reason: {reason}}}
  - {{type: retracted, at: 2026-04-21, by: marco, event: 2, reason: {retraction}}}
"""
# Where each field stands in FILE (line) and how check names it. The extension is
# allowed: the response is due 2026-05-05 (20 Italian working days after Friday 3 April,
# leaving out Easter Monday 6 April and 1 May) and may move at most 10 days, to 19 May.
FIELDS = {
    "summary": (6, "summary"),
    "desired_outcome": (7, "desired_outcome"),
    "note": (10, "events[0].note"),
    "reason": (12, "events[2].reason"),
    "retraction": (13, "events[3].reason"),
}
PLAIN = {
    "summary": "Double charge",
    "desired_outcome": "Refund",
    "ref": "CRM-48213",
    "note": "Sent by letter",
    "reason": "Waiting for the meter reading",
    "retraction": "Logged on the wrong complaint",
}
ONE_OF_EACH = {
    "email": (
        "Write to mario.rossi@example.org",
        "an e-mail address: keep contact details"
        " in your contact system and refer to it with complainant.ref",
    ),
    "telephone": ("call +39 347 123 4567", "a telephone number: keep contact details"),
    "iban": (
        "refund to IT60 X054 2811 1010 0000 0123 456",
        "an IBAN (a bank account number): keep bank details in your payment or accounting system",
    ),
    "card": ("paid with 4111 1111 1111 1111", "a payment card number: never record card numbers"),
}


def write(register, **values) -> Path:
    path = register.path("C-2026-0403-K7Q2")
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted = {k: json.dumps(v, ensure_ascii=False) for k, v in {**PLAIN, **values}.items()}
    path.write_text(FILE.format(**quoted), encoding="utf-8")
    return path


def test_the_file_without_personal_data_passes(register):
    write(register)
    result = register.run("check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("kind", ONE_OF_EACH)
def test_check_refuses_each_kind_in_each_field(register, kind, field):
    text, message = ONE_OF_EACH[kind]
    path = write(register, **{field: text})
    result = register.run("check")
    line, where = FIELDS[field]
    assert result.exit_code == 1
    assert f"{path}:{line}: {where}: " in result.output
    assert f" looks like {message}" in result.output
    assert result.output.count("looks like") == 1


def test_check_reports_every_finding(register):
    write(
        register,
        summary="mario@example.org or +39 347 123 4567",
        note="IT60X0542811101000000123456",
    )
    result = register.run("check")
    assert result.exit_code == 1
    assert result.output.count("looks like") == 3


def test_ordinary_text_passes_check_in_every_field(register):
    for text in ORDINARY:
        write(register, **dict.fromkeys(FIELDS, text))
        result = register.run("check")
        assert result.exit_code == 0, (text, result.output)


@pytest.mark.parametrize(
    "ref, refused",
    [
        ("CRM-48213", False),
        ("3471234567", False),  # a customer number may look like a telephone number...
        ("4111111111111111", False),  # ...or carry a Luhn check digit
        ("mario@example.org", True),  # an e-mail address is never a reference
        ("IT60X0542811101000000123456", True),  # nor is an IBAN
    ],
)
def test_the_reference_is_checked_for_what_is_never_a_reference(register, ref, refused):
    path = write(register, ref=ref)
    result = register.run("check")
    assert result.exit_code == (1 if refused else 0), result.output
    if refused:
        assert f"{path}:8: complainant.ref: " in result.output


def test_new_refuses_personal_data_and_writes_nothing(register):
    result = register.run(
        "new",
        "--channel",
        "email",
        "--category",
        "billing",
        "--summary",
        "Call me on +39 347 123 4567",
        "--received",
        "2026-04-03T09:00",
    )
    assert result.exit_code == 1
    assert "summary: " in result.output and "looks like a telephone number" in result.output
    assert not list(register.root.glob("2026/*.yaml"))


# Which fields are checked: every string field of a complaint is either checked or left out
# on purpose, so a new free-text field cannot slip past the check unnoticed.


def _string_fields(model) -> set[str]:
    def has_str(annotation) -> bool:
        return annotation is str or any(has_str(a) for a in typing.get_args(annotation))

    return {
        name
        for name, info in model.model_fields.items()
        if name != "type" and has_str(info.annotation)
    }


def test_every_string_field_is_checked_or_left_out_on_purpose():
    event_fields = set().union(*(_string_fields(model) for model in EVENT_TYPES.values()))
    not_words = {"by", "handler", "category"}  # staff names and a category slug
    assert event_fields == set(FREE_TEXT_EVENT_FIELDS) | not_words
    assert _string_fields(Complainant) == {"ref", "contact"}
    # id, channel, language and category have fixed forms that no personal data fits.
    assert _string_fields(Complaint) == {
        "id",
        "channel",
        "language",
        "category",
        "summary",
        "desired_outcome",
    }


def test_free_text_lists_the_fields_and_leaves_out_the_encrypted_contact():
    complaint = Complaint.model_validate(
        {
            "id": "C-2026-0403-K7Q2",
            "received": "2026-04-03T09:12:00+02:00",
            "channel": "email",
            "language": "it",
            "category": "billing",
            "summary": "s",
            "desired_outcome": "d",
            "complainant": {"ref": "CRM-1", "contact": ARMORED},
            "events": [
                {"type": "note", "at": "2026-04-04", "by": "anna", "note": "n"},
                {
                    "type": "extended",
                    "at": "2026-04-05",
                    "by": "anna",
                    "due": "2026-05-12",
                    "reason": "r",
                },
            ],
        }
    )
    assert [path for path, _, _ in free_text(complaint)] == [
        ("summary",),
        ("desired_outcome",),
        ("complainant", "ref"),
        ("events", 0, "note"),
        ("events", 1, "reason"),
    ]


# A real age block (encrypted to a key made for this test and thrown away).
ARMORED = """\
-----BEGIN AGE ENCRYPTED FILE-----
YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSAvV3d1aFNEWGQ3RURSTjlF
WW9yNytUYlV5Rk1QNmpYMHJyYmpiaXlCUlRjCm5iTThjcUNkUmRjMlIzbEFtdXZv
b0UyN1R2M1VTb1NFdUxrK2dVSlZweDAKLT4gTG4oaS1ncmVhc2UgQGMzcT42aCA/
ClNNVXBCbW9tcW9oLzVUMklESlJyZWpkU243NjlPSFFPZUtKeQotLS0gays4V1Bz
ZUhlK1ArcG9Pb1dhbHphYmVadWs1bHE4SkhOK3NDeXBVRlN0awr24RL0YkGY/ojV
mgdh3n1wfKTQpMqgp+3D+v8Oa5eum/3bHrDRjhjVcYJWJQjGRKTq964vUQYrLpOt
Nt8O3arkmqmrl0jAyitlHmqM/a5L8deUqYpA+VFdm5eEojiy9Nv22IxS3uIkaYbI
EtPfJwg4/kmuZyTHHMHbv88KCw==
-----END AGE ENCRYPTED FILE-----
"""
