"""The "Follow your complaint" page: a form for the complaint's ID and tracking code, and
the words that say where a complaint stands, in the page's language.

`javascripts/follow.js` derives the entry's name and key from ID and code exactly as
`complaints_register.core.tracking` does (PBKDF2-SHA256 with WebCrypto), reads the one
bucket file of the site that would hold the entry (`tracking/<xx>.json`, beside the pages)
and opens it with AES-GCM. A wrong code and an unknown ID give the same answer: no entry
of that name. The page makes no request beyond its own site.
"""

import json
import logging
import os
import time
from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date

from complaints_register.core.status import Facts
from complaints_register.core.tracking import (
    CODE_BITS,
    ITERATIONS,
    NAME_BYTES,
    SALT,
    SECRET_VARIABLE,
    secret_bytes,
)
from complaints_register.store.tracking import entry_files
from complaints_register.text.numerals import digits
from complaints_register.website.errors import SiteError
from complaints_register.website.words import phrases

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

DATA_FOLDER = "tracking"
PAGE = "follow"
log = logging.getLogger("complaints_register.website")


def secret() -> bytes | None:
    """The tracking secret ($COMPLAINTS_TRACKING_SECRET), None when it is not set."""
    try:
        return secret_bytes(os.environ.get(SECRET_VARIABLE))
    except ValueError as error:
        raise SiteError(str(error)) from None


def pages_kept(pages: list[str], secret: bytes | None) -> list[str]:
    """The site's pages, less this one when there is no secret (and the log says so)."""
    if secret is not None or PAGE not in pages:
        return pages
    log.info(
        f"{SECRET_VARIABLE} is not set: the site is built without the page"
        ' "Follow your complaint" (no tracking codes, no entries)'
    )
    return [name for name in pages if name != PAGE]


def link(secret: bytes | None, url: str, language: str) -> str:
    """A paragraph leading to the page, or nothing when there is no page."""
    if secret is None:
        return ""
    words = phrases(language)["follow"]
    return f'<p class="follow-link"><a href="{escape(url)}">{escape(words["link"])}</a></p>'


def write_entries(
    site_dir: Path, root: Path, facts: Sequence[Facts], calendar: "Calendar", secret: bytes | None
) -> None:
    """The sealed entries, in `site_dir/tracking/` (none without a secret)."""
    if secret is None:
        return
    folder = site_dir / DATA_FOLDER
    folder.mkdir(exist_ok=True)
    started = time.monotonic()
    counted: list[int] = []
    files = entry_files(root, facts, calendar, secret, counted)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    log.info(
        f'"Follow your complaint": {counted[0]} complaints sealed in {len(files)} files'
        f" ({counted[1]} keys derived, the others from the cache) in"
        f" {time.monotonic() - started:.1f} s"
    )


def updated(as_of: date, language: str) -> str:
    """The sentence saying when the page's entries were made."""
    words = phrases(language)["follow"]
    day = digits(format_date(as_of, format="long", locale=language), language)
    return escape(words["updated"].format(date=day))


def follow_form(data_url: str, as_of: date, language: str) -> str:
    """The page's form and its (hidden) answers; `data_url` is the folder of the entries,
    relative to the page."""
    words = phrases(language)["follow"]
    texts = {
        key: words[key]
        for key in ("statuses", "stages", "next", "nothing_due", "invalid", "failed")
    }
    config = {
        "data": data_url,
        "iterations": ITERATIONS,
        "salt": SALT,
        "nameBytes": NAME_BYTES,
        "codeLength": CODE_BITS // 5,
        "lang": language,
        "words": texts,
    }
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return (
        f"<p>{escape(words['intro'])}</p>"
        '<form id="follow" class="follow" hidden>'
        '<p class="form-field"><label for="follow-id">'
        f"{escape(words['id'])}</label>"
        '<input id="follow-id" name="id" type="text" autocomplete="off" spellcheck="false"'
        ' autocapitalize="characters" dir="ltr" required placeholder="C-2026-0101-AB12"></p>'
        '<p class="form-field"><label for="follow-code">'
        f"{escape(words['code'])}</label>"
        '<input id="follow-code" name="code" type="text" autocomplete="off" spellcheck="false"'
        ' autocapitalize="characters" dir="ltr" required placeholder="XXXX-XXXX-XXXX"></p>'
        '<p><button type="submit" class="md-button md-button--primary">'
        f"{escape(words['submit'])}</button></p></form>"
        f'<p id="follow-working" class="follow-working" hidden>{escape(words["working"])}</p>'
        '<div id="follow-result" class="follow-result" aria-live="polite" hidden>'
        f'<dl><dt>{escape(words["status"])}</dt><dd id="follow-status"></dd>'
        f'<dt>{escape(words["stage"])}</dt><dd id="follow-stage"></dd>'
        f'<dt>{escape(words["next_step"])}</dt><dd id="follow-next"></dd>'
        f"<dt>{escape(words['changed'])}</dt>"
        '<dd><time id="follow-changed"></time></dd></dl></div>'
        f'<p id="follow-not-found" class="follow-not-found" role="alert" hidden>'
        f"{escape(words['not_found'])}</p>"
        f'<p id="follow-error" class="follow-error" role="alert" hidden></p>'
        f"<noscript><p>{escape(words['no_script'])}</p></noscript>"
        f'<p class="follow-updated">{updated(as_of, language)}</p>'
        f'<script type="application/json" id="follow-config">{data}</script>'
    )
