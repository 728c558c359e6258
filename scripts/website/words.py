"""The public site's own words, in every language it is published in.

The labels of the statistics, the complaint form, the calculator and the process diagram
come from `scripts/website/phrases/<language>.yaml` (the same keys in each file); the policy's
own sentences come from `complaints_register.text.wording`. Numbers, months and quarters are written the
way each language writes them (Babel's CLDR data; Persian with its own digits).
"""

from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date

from complaints_register.text.numerals import digits


@cache
def phrases(language: str) -> dict[str, Any]:
    """The site's phrase table for `language` (parsed YAML); ValueError when there is none."""
    path = resources.files("complaints_register.website") / "phrases" / f"{language}.yaml"
    if not path.is_file():
        raise ValueError(f"the site has no phrases for language {language!r}")
    table: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return table


def languages_supported() -> tuple[str, ...]:
    """Every language with a phrase table."""
    folder = resources.files("complaints_register.website") / "phrases"
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def direction(language: str) -> str:
    """ "rtl" for a right-to-left language, else "ltr"."""
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"


def period_name(period: str, language: str, long: bool = False) -> str:
    """2026, 2026-Q2 or 2026-04 as the language names that year, quarter or month."""
    if len(period) == 4:
        return digits(period, language)
    year, rest = period.split("-")
    if rest.startswith("Q"):
        first_month = (int(rest[1:]) - 1) * 3 + 1
        pattern = "QQQQ y" if long else "QQQ y"
        return digits(
            format_date(date(int(year), first_month, 1), pattern, locale=language), language
        )
    return digits(format_date(date(int(year), int(rest), 1), "LLLL y", locale=language), language)


def language_name(code: str, language: str) -> str:
    """The name of language `code` in `language` ("Italian", "italiano", "ایتالیایی")."""
    names: Mapping[str, str] = Locale.parse(language).languages
    return names.get(code, code)


def item_name(table: str, item: str, language: str) -> str:
    """A category, channel or other item of the statistics, in `language`; a category or
    channel the phrase table does not know is shown as the policy writes it."""
    items: dict[str, dict[str, str]] = phrases(language)["items"]
    return items.get(table, {}).get(item, item)
