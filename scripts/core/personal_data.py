"""Personal data in a complaint's free text: finding e-mail addresses, telephone numbers,
IBANs and payment card numbers, so that `complaints check` can refuse them.

The Git history is permanent, so the register keeps as little personal data as it can
(DESIGN.md section 7). Each detector takes one text and yields a `Found` for every piece of
personal data of its kind; `found_in` runs the detectors a field is checked with and drops
what an earlier kind already explains (an IBAN's digits are not also a telephone number).
Checks are exact where a standard exists: IBANs by ISO 13616's mod-97 check digits and each
country's layout (python-stdnum), card numbers by the Luhn check digit, telephone numbers by
libphonenumber's numbering plans, with the policy's country for numbers written without
`+`. Pure: no I/O.
"""

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from pydantic import BaseModel

from complaints_register.core.problems import KeyPath
from complaints_register.schema import Complaint


@dataclass(frozen=True)
class Found:
    """One piece of personal data: its kind and where it stands in the text."""

    kind: str
    start: int
    end: int

    def message(self, text: str) -> str:
        """What `check` says about it: what it looks like, and where it belongs instead."""
        return (
            f"{masked(text[self.start : self.end])} looks like {DESCRIPTION[self.kind]}:"
            f" {ADVICE[self.kind]}"
        )


DESCRIPTION = {
    "email": "an e-mail address",
    "telephone": "a telephone number",
    "iban": "an IBAN (a bank account number)",
    "card": "a payment card number",
}

_CONTACT = (
    "keep contact details in your contact system and refer to it with complainant.ref"
    " (or, where they must be in the register, in the encrypted complainant.contact block)"
)
ADVICE = {
    "email": _CONTACT,
    "telephone": _CONTACT,
    "iban": (
        "keep bank details in your payment or accounting system and refer to the payment"
        " by its invoice or transaction number"
    ),
    "card": (
        "never record card numbers; refer to the payment by its invoice or transaction number"
    ),
}


def masked(value: str) -> str:
    """`value` with every letter and digit but the last two hidden: enough to find it in the
    text without printing the personal data again (into CI logs, say)."""
    kept = [i for i, c in enumerate(value) if c.isalnum()][-2:]
    return "".join("•" if c.isalnum() and i not in kept else c for i, c in enumerate(value))


# Detectors: one per kind. Each yields what it found in `text`.

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{2,}(?![\w-])"
)


def email_addresses(text: str) -> Iterator[Found]:
    for match in _EMAIL.finditer(text):
        yield Found("email", match.start(), match.end())


def telephone_numbers(text: str, region: str) -> Iterator[Found]:
    """Numbers valid in libphonenumber's plans, `region` (ISO 3166) reading those without
    `+`; those that read as another kind of number are left out (see `_other_number`)."""
    import phonenumbers  # here: a text without a digit (most) never loads it

    for match in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID
    ):
        if not _other_number(text, match.start, match.end):
            yield Found("telephone", match.start, match.end)


# Many numbers in a complaint are also valid telephone numbers somewhere in a national plan
# (in Italy 03.04.2026 is a number in Brescia). These are read as what they are written as.
_CODE_BEFORE = re.compile(r"(?:[^\W\d_]+[-/_]|#)$")
"""Glued to a code's letters (INV-0612345, M/0612345, #0612345): part of that code."""
_LONGEST_RUN = 12
"""An unbroken run of more digits is an order or account number: people write a telephone
number that long with `+` or with spaces (+39 347 123 4567)."""
_TIME_RANGE = re.compile(r"([01]?\d|2[0-4])[.:][0-5]\d ?[-–] ?([01]?\d|2[0-4])[.:][0-5]\d")
"""Opening hours: 08.00-12.30."""
_NUMBER_OF_YEAR = re.compile(r"(19|20)\d\d/\d+")
"""A case or protocol number: 2026/004512."""
_THOUSANDS = re.compile(r"\d{1,3}([.,'’])\d{3}(\1\d{3})*")
"""An amount grouped in thousands: 344.935.061."""
_DECIMALS_AFTER = re.compile(r"[.,]\d{1,2}(?!\d)")
"""An amount's cents: 344 935 061,84."""


def _other_number(text: str, start: int, end: int) -> bool:
    # Only the few characters next to the match are looked at, never the whole text before
    # or after it: a long text holds many matches, and copying or searching all of it for
    # each one made the check quadratic (an 800 KB summary of digits took 24 s).
    raw = _ascii_digits(text[start:end])
    return bool(
        # A letter and a separator, or `#`, at the end (or before a newline ending it).
        _CODE_BEFORE.search(text[max(0, start - 3) : start])
        or (raw.isdecimal() and len(raw) > _LONGEST_RUN)
        or _is_date(raw)
        or _TIME_RANGE.fullmatch(raw)
        or _NUMBER_OF_YEAR.fullmatch(raw)
        or _THOUSANDS.fullmatch(raw)
        or _DECIMALS_AFTER.match(text, end)
        or _is_currency(_beside(text, start, -1))
        or _is_currency(_beside(text, end, 1))
    )


def _beside(text: str, index: int, step: int) -> str:
    """The first character that is not a space before `index` (`step` -1) or from it on
    (`step` 1); "" if there is none. The spaces walked over lie between two matches, so all
    the walks over one text together pass each character at most twice."""
    if step < 0:
        index -= 1
    while 0 <= index < len(text) and text[index].isspace():
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _is_currency(character: str) -> bool:
    return bool(character) and unicodedata.category(character) == "Sc"


_SEPARATED_DATE = re.compile(r"(\d{1,4})([./-] ?| )(\d{1,2})\2(\d{1,4})")


def _is_date(raw: str) -> bool:
    """Whether `raw` (ASCII digits) is a date: 03.04.2026, 3. 4. 2026, 03-04-26, 2026.04.03,
    03042026, 20260403."""
    separated = _SEPARATED_DATE.fullmatch(raw)
    if separated:
        first, month, last = separated[1], separated[3], separated[4]
        return _real_date(first, month, last) or _real_date(last, month, first)
    return (
        len(raw) == 8
        and raw.isdecimal()
        and (_real_date(raw[:2], raw[2:4], raw[4:]) or _real_date(raw[6:], raw[4:6], raw[:4]))
    )


def _real_date(day: str, month: str, year: str) -> bool:
    if len(day) > 2 or len(year) not in (2, 4):
        return False
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return 1900 <= full_year <= 2099 and bool(date(full_year, int(month), int(day)))
    except ValueError:
        return False


@dataclass(frozen=True)
class _Group:
    """A run of letters and digits, e.g. `IT60` or `1111`."""

    start: int
    end: int
    text: str


_GROUP = re.compile(r"[^\W_]+")


def _runs(text: str) -> Iterator[list[_Group]]:
    """Groups written one after another with a single space or hyphen between them, as
    account and card numbers are (`IT60 X054 2811`, `4111-1111-1111-1111`)."""
    run: list[_Group] = []
    for match in _GROUP.finditer(text):
        group = _Group(match.start(), match.end(), _ascii_digits(match.group()))
        if run and not (group.start - run[-1].end == 1 and text[run[-1].end] in " -"):
            yield run
            run = []
        run.append(group)
    if run:
        yield run


def _ascii_digits(text: str) -> str:
    # Persian or other decimal digits count as digits: ۶۰۳۷ is 6037.
    if text.isascii():  # the only ASCII decimal digits are 0-9: nothing to change
        return text
    return "".join(str(int(c)) if c.isdecimal() else c for c in text)


def _spans(
    text: str, begins: re.Pattern[str], longest: int, accepts: Callable[[list[str]], bool]
) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch of consecutive groups within a run that starts with a
    group `begins` matches, is at most `longest` characters without the separators, and
    that `accepts` (given the groups' texts): the longest from each start, none overlapping."""
    for run in _runs(text):
        i = 0
        while i < len(run):
            last = _last_accepted(run, i, longest, accepts) if begins.match(run[i].text) else None
            if last is not None:
                yield run[i].start, run[last].end
                i = last
            i += 1


def _last_accepted(
    run: list[_Group], first: int, longest: int, accepts: Callable[[list[str]], bool]
) -> int | None:
    groups: list[str] = []
    last: int | None = None
    for j in range(first, len(run)):
        groups.append(run[j].text)
        if sum(map(len, groups)) > longest:
            break
        if accepts(groups):
            last = j
    return last


_IBAN_START = re.compile(r"[A-Z]{2}[0-9]{2}", re.IGNORECASE)


def _is_iban(groups: list[str]) -> bool:
    from stdnum import iban

    compact = "".join(groups)
    return len(compact) >= 15 and compact.isascii() and iban.is_valid(compact)


def ibans(text: str) -> Iterator[Found]:
    """IBANs, grouped or not, that pass ISO 13616's mod-97 check and their country's layout."""
    for start, end in _spans(text, _IBAN_START, 34, _is_iban):
        yield Found("iban", start, end)


_CARD_START = re.compile(r"[1-9][0-9]*$")  # no card number starts with 0 (ISO/IEC 7812)


def _is_card(groups: list[str]) -> bool:
    from stdnum import luhn

    digits = "".join(groups)
    return digits.isdecimal() and _card_layout([len(g) for g in groups]) and luhn.is_valid(digits)


def _card_layout(sizes: list[int]) -> bool:
    """Digits as cards print them: unbroken, in fours (the last group shorter), or 4-6-5 / 4-6-4."""
    if not 13 <= sum(sizes) <= 19:
        return False
    if len(sizes) == 1 or sizes in ([4, 6, 5], [4, 6, 4]):
        return True
    return all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4


def card_numbers(text: str) -> Iterator[Found]:
    """13 to 19 digits laid out as on a card that pass the Luhn check (ISO/IEC 7812). No card
    number starts with 0, so a run of zeros (which passes Luhn) is not one."""
    for start, end in _spans(text, _CARD_START, 19, _is_card):
        yield Found("card", start, end)


# Which field is checked for what.

KINDS = ("iban", "card", "email", "telephone")
"""Every kind, in the order `found_in` looks: a later kind's finding inside an earlier
one's is left out."""

REFERENCE_KINDS = ("email", "iban")
"""What complainant.ref is checked for. It is a key into the contact system, not free text:
customer numbers often look like telephone numbers or carry a Luhn check digit, so those are
allowed there; an e-mail address or an IBAN is never a reference."""


def found_in(text: str, region: str, kinds: tuple[str, ...] = KINDS) -> list[Found]:
    """Personal data of `kinds` in `text`, in the order it appears; `region` is the country
    whose telephone numbers may be written without `+`."""
    found: list[Found] = []
    digits = -1  # counted once, when a kind that needs digits is first looked for
    for kind in KINDS:
        if kind not in kinds:
            continue
        if kind == "email":
            if "@" not in text:
                continue
        else:
            if digits < 0:
                digits = _decimal_digits(text)
            if digits < _FEWEST_DIGITS[kind] or (
                kind == "iban" and not _IBAN_ANYWHERE.search(text)
            ):
                continue
        found += [
            f
            for f in _DETECTED[kind](text, region)
            if not any(f.start < g.end and g.start < f.end for g in found)
        ]
    return sorted(found, key=lambda f: f.start) if len(found) > 1 else found


_DETECTED: dict[str, Callable[[str, str], Iterator[Found]]] = {
    "iban": lambda text, region: ibans(text),
    "card": lambda text, region: card_numbers(text),
    "email": lambda text, region: email_addresses(text),
    "telephone": telephone_numbers,
}

_FEWEST_DIGITS = {"iban": 2, "card": 13, "telephone": 4}
"""Each kind's least count of digits (an IBAN's check digits; a card's shortest number; the
shortest national number in any of libphonenumber's numbering plans, 4 digits, as Austria's
and Niue's): most texts have fewer, and are then not looked through at all. The register's
free text is most of the work of checking it, and the telephone matcher the slowest part."""

_DIGIT = re.compile(r"\d")
"""A decimal digit of any script (Unicode's Nd, as `str.isdecimal`)."""
_IBAN_ANYWHERE = re.compile(r"[A-Za-z]{2}\d{2}")
"""What every IBAN begins with (its country and check digits): a text without it holds none."""


def _decimal_digits(text: str) -> int:
    return len(_DIGIT.findall(text))


def _could_hold(kind: str, text: str) -> bool:
    """Whether `text` passes the cheap look `found_in` takes before running `kind`'s
    detector: False only where that detector could find nothing."""
    if kind == "email":
        return "@" in text
    if kind == "iban" and not _IBAN_ANYWHERE.search(text):
        return False
    return _decimal_digits(text) >= _FEWEST_DIGITS[kind]


def free_text(complaint: Complaint) -> Iterator[tuple[KeyPath, str, tuple[str, ...]]]:
    """(path, text, kinds to look for) of every field a person types words into.

    `complainant.contact` is left out: it is encrypted, and is where contact details belong.
    """
    yield ("summary",), complaint.summary, KINDS
    if complaint.desired_outcome:
        yield ("desired_outcome",), complaint.desired_outcome, KINDS
    if complaint.complainant and complaint.complainant.ref:
        yield ("complainant", "ref"), complaint.complainant.ref, REFERENCE_KINDS
    for index, event in enumerate(complaint.events):
        for name in _free_text_fields(type(event)):
            value = getattr(event, name)
            if value:
                yield ("events", index, name), value, KINDS


FREE_TEXT_EVENT_FIELDS = ("note", "reason", "late")
"""The words of an event (`late`: why it is recorded late). `by` and `handler` name staff;
they are not checked."""


@cache
def _free_text_fields(kind: type[BaseModel]) -> tuple[str, ...]:
    """Which of FREE_TEXT_EVENT_FIELDS a type of event has (among its model's fields, as
    `fields.field` reads them), worked out once a type instead of once an event and name."""
    return tuple(name for name in FREE_TEXT_EVENT_FIELDS if name in kind.model_fields)
