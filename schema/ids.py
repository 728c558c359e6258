"""Complaint identifiers: `C-YYYY-MMDD-XXXX`.

Readable over the telephone, sorted by date of receipt, and unlikely to collide without any
coordination: XXXX is four random characters of Crockford's base32, which leaves out I, L,
O and U so that nothing is misheard or misread.
"""

import re
from datetime import date

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ID_PATTERN = r"^C-\d{4}-\d{4}-[0-9A-HJKMNP-TV-Z]{4}$"

# What people type for the characters Crockford's base32 leaves out.
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_id(text: str) -> str:
    """An ID (or a prefix of one) as typed, in its canonical form: upper case, O read as 0,
    I and L read as 1 in the random part."""
    text = text.strip().upper()
    head, sep, tail = text.rpartition("-")
    if head.count("-") == 2:  # C-YYYY-MMDD-, so `tail` is the random part
        return f"{head}{sep}{tail.translate(_MISREAD)}"
    return text


def id_date(complaint_id: str) -> date:
    """The date of receipt that an ID carries; ValueError when it is not a real date."""
    _, year, monthday, _ = complaint_id.split("-")
    return date(int(year), int(monthday[:2]), int(monthday[2:]))


def make_id(received: date, random_part: str) -> str:
    """The ID of a complaint received on `received` with the given four characters."""
    return f"C-{received:%Y-%m%d}-{random_part}"


def is_id(text: str) -> bool:
    return re.match(ID_PATTERN, text) is not None
