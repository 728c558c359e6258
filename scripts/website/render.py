"""The public site's content, made by the project itself: each language's pages as plain
Markdown (every placeholder filled: numbers, tables, charts, forms), the styles and scripts
beside them, and the files every language shares (`statistics.csv`, `statistics.json`,
`calendar.json`, the tracking entries). A site engine only lays these out
(`website/projects.py`): it needs no hook and no plugin of its own.

The hand-written pages are `site/<page>.<language>.md`. A language the policy lists must
have every page; a placeholder must be one `build.placeholders` knows. No page, style or
script is read through a symbolic link (one could publish any file the build can read:
/proc/self/environ holds the build's secrets).
"""

import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from complaints_register.core.figures import CSV_COLUMNS
from complaints_register.store.files import open_regular, read_raw, shown
from complaints_register.store.yamlsafe import MAX_BYTES
from complaints_register.text.wording import languages_supported as policy_languages
from complaints_register.views import complaints as views
from complaints_register.website import pages as site_pages
from complaints_register.website import tracking_page as tracking
from complaints_register.website.build import PLACEHOLDER, YEARS_AHEAD, Address, Site, placeholders
from complaints_register.website.errors import SiteError
from complaints_register.website.words import languages_supported as site_languages

ASSETS = ("javascripts", "stylesheets")  # folders of site/ every language's pages use


def check_languages(languages: list[str], named: dict[str, str]) -> None:
    """Every language the policy lists has a name in the site's configuration (for the
    language switcher) and phrases of its own."""
    missing = [code for code in languages if code not in named]
    if missing:
        raise SiteError(
            f"policy.yaml lists languages the site has no pages in: {', '.join(missing)}"
            " (add them to extra.complaints.languages of mkdocs.yml, and"
            " site/*.<language>.md)"
        )
    unworded = [
        code for code in languages if code not in site_languages() or code not in policy_languages()
    ]
    if unworded:
        raise SiteError(
            f"no phrases for the site in: {', '.join(unworded)} (add"
            " scripts/website/phrases/<language>.yaml and scripts/text/phrases/<language>.yaml)"
        )


def check_pages(source: Path, languages: list[str]) -> None:
    """Refuse a page missing in one of the languages built (no page falls back to another
    language)."""
    found: dict[str, set[str]] = {}
    for path in source.glob("*.md"):
        stem, _, language = path.stem.rpartition(".")
        found.setdefault(stem or path.stem, set()).add(language if stem else "")
    wanted = set(languages)
    problems = [
        f"{page}.<{','.join(sorted(wanted - have))}>.md"
        for page, have in sorted(found.items())
        if wanted - have
    ]
    if problems:
        raise SiteError("pages missing in a language the policy lists: " + "; ".join(problems))


def page_file(name: str) -> str:
    """The Markdown file of page `name` in a language's project."""
    return f"{name}.md"


def page_folder(name: str) -> str:
    """Where page `name` is published, within its language's folder."""
    return "" if name == "index" else f"{name}/"


def render_language(
    site: Site, language: str, root: str, source: Path, docs: Path, pages: list[str]
) -> None:
    """Write the pages of `language` (at `root` in the site: "" or "uk/") into `docs`, their
    placeholders filled, with the styles and scripts they use."""
    docs.mkdir(parents=True, exist_ok=True)
    for name in pages:
        path = source / f"{name}.{language}.md"
        markdown = read_page(path)
        filled = fill(
            markdown, placeholders(site, language, Address(root, page_folder(name))), path
        )
        (docs / page_file(name)).write_text(filled, encoding="utf-8")
    for folder in ASSETS:
        copy_assets(source / folder, docs / folder)


def read_page(path: Path) -> str:
    """A hand-written page's text: a plain file (never through a link), UTF-8, not huge."""
    try:
        raw = read_raw(path)
    except FileNotFoundError:
        raise SiteError(
            f"{shown(path)}: no such page (named in nav: of the site's configuration)"
        ) from None
    except OSError as error:  # NotAFile (a link, a folder, a FIFO) says what it is
        raise SiteError(f"{shown(path)}: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise SiteError(f"{shown(path)}: larger than {MAX_BYTES} bytes: not a page")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise SiteError(f"{shown(path)}:{line}: not UTF-8 text") from None


def copy_assets(source: Path, target: Path) -> None:
    """The styles or scripts of `source` copied into `target`: plain files and folders
    only, a link (or a FIFO, a device) refused by name, nothing read through one."""
    try:
        kind = os.lstat(source).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise SiteError(f"{shown(source)}: {error.strerror}") from None
    if stat.S_ISLNK(kind):
        raise SiteError(f"{shown(source)}: a symbolic link: the site never follows links")
    if not stat.S_ISDIR(kind):
        return
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(os.scandir(source), key=lambda entry: entry.name):
        path = Path(entry.path)
        if entry.is_symlink():
            raise SiteError(
                f"{shown(path)}: a symbolic link: the site never follows links"
                " (put the file itself here)"
            )
        if entry.is_dir(follow_symlinks=False):
            copy_assets(path, target / entry.name)
            continue
        try:
            handle, _ = open_regular(path)
        except OSError as error:
            raise SiteError(f"{shown(path)}: {error.strerror}") from None
        with os.fdopen(handle, "rb") as reading, (target / entry.name).open("wb") as writing:
            shutil.copyfileobj(reading, writing)


def fill(markdown: str, known: dict[str, Callable[[], str]], path: Path) -> str:
    """`markdown` with every placeholder replaced; an unknown one names file and line."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in known:
            line = markdown.count("\n", 0, match.start()) + 1
            raise SiteError(
                f"{shown(path)}:{line}: unknown placeholder {{{{ {name} }}}}"
                f" (known: {', '.join(sorted(known))})"
            )
        text: str = known[name]()
        return text

    return PLACEHOLDER.sub(replace, markdown)


def write_data(site: Site, out: Path) -> None:
    """The files every language shares, at the root of the site: every published figure
    as CSV and JSON, the calculator's calendar and the sealed tracking entries."""
    figures = [asdict(figure) for figure in site.published.figures]
    (out / "statistics.csv").write_text(views.as_csv(figures, CSV_COLUMNS), encoding="utf-8")
    (out / "statistics.json").write_text(
        views.as_json(site.published.as_json()) + "\n", encoding="utf-8"
    )
    calendar = site_pages.calendar_data(
        site.policy, site.calendar, site.first_year, site.as_of.year + YEARS_AHEAD
    )
    (out / "calendar.json").write_text(views.as_json(calendar) + "\n", encoding="utf-8")
    tracking.write_entries(out, site.root, site.facts, site.calendar, site.tracking_secret)
