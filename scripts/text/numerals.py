"""Numbers as each language writes them: its separators and its own digits.

Babel formats separators in a locale's numbering system but always with Latin digits, so
the digits are swapped here: 1234.5 is "1,234.5" in English, "1.234,5" in Italian and
"۱٬۲۳۴٫۵" in Persian.
"""

from babel import Locale
from babel.numbers import format_decimal

# The digit zero of each numbering system the supported languages use by default.
_ZEROS = {"latn": "0", "arabext": "\u06f0", "arab": "\u0660"}


def digits(text: str, language: str | Locale) -> str:
    """`text` with its digits in the language's own numbering system."""
    locale = language if isinstance(language, Locale) else Locale.parse(language)
    zero = _ZEROS.get(locale.default_numbering_system, "0")
    return text.translate({ord("0") + d: ord(zero) + d for d in range(10)})


def number(value: int | float, language: str | Locale) -> str:
    """A number as the language writes it."""
    return digits(format_decimal(value, locale=language, numbering_system="default"), language)
