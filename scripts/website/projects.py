"""The public site as one project per language, laid out by a site engine of choice.

`build_site` reads the register (`build.Site`), renders each language's pages as plain
Markdown (`website/render.py`) into `<projects>/<language>/docs/`, writes beside them a
configuration of its own (`<projects>/<language>/mkdocs.yml`: the site's `mkdocs.yml`
with the language's name, theme language, search settings and a language switcher,
Material's `extra.alternate`), and has the engine build each project. The first language
of the policy is published at the root of the site, each other in `<language>/`; every
language has its own search index. The files every language shares are written once, at
the root.

Engines: `mkdocs` (Material for MkDocs, the default) and `zensical`. Neither needs a hook
or a plugin of the project's: what they lay out is finished content. After the engine,
`finish` makes three changes to the pages that Material's templates leave out: <html>
gets its direction (right-to-left for Persian), the language switcher leads to the same
page in the other language, and the search dialog gets a name for assistive technology.
One sitemap at the root lists every page of every language, with its other languages.
"""

import copy
import fcntl
import gzip
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import yaml

from complaints_register.website import tracking_page as tracking
from complaints_register.website.build import AS_OF_VARIABLE, Address, Site, _as_of
from complaints_register.website.errors import SiteError
from complaints_register.website.pages import site_name
from complaints_register.website.render import (
    check_languages,
    check_pages,
    page_file,
    render_language,
    write_data,
)
from complaints_register.website.words import direction

DEFAULT_ENGINE = "mkdocs"
# Written into the folders a build empties (the site, the projects): a folder that is not
# empty is emptied only when an earlier build left this in it, so that a mistyped --out
# (site, scripts, .git) deletes nothing.
MARKER = ".complaints-site"
MARKER_TEXT = "Written by `complaints site`: this folder is emptied by every build.\n"
# The languages whose words lunr's own filters (stop words) know; any other is indexed
# with the English ones, which remove only English words, and no trimmer or stemmer (a
# trimmer for a language lunr does not know strips every letter outside the Latin
# alphabet: Persian and Ukrainian words would never be found).
LUNR_LANGUAGES = ("en", "it", "ru", "de", "fr", "es", "pt", "nl")
SEARCH = {"separator": r"[\s\-]+", "pipeline": ["stopWordFilter"]}


def build_site(
    config_file: Path,
    register: Path,
    out: Path,
    engine: str = DEFAULT_ENGINE,
    projects: Path | None = None,
) -> list[str]:
    """Build the site of `register` into `out` with `engine`; the languages built, the
    first at the root."""
    run = ENGINES.get(engine)
    if run is None:
        raise SiteError(f"no site engine {engine!r} (known: {', '.join(ENGINES)})")
    projects = projects or config_file.parent / "build" / "site"
    base = read_config(config_file)
    source = config_file.parent / str(base.get("docs_dir", "site"))
    refuse_folders(out, projects, config_file.parent, source, register)
    with _alone(projects):  # another build with these projects (by default, of this site) waits
        for folder in (out, projects):
            _require_emptiable(folder)
        return _build(config_file, base, source, register, out, run, projects)


def _build(
    config_file: Path,
    base: dict[str, Any],
    source: Path,
    register: Path,
    out: Path,
    run: Callable[[Path], None],
    projects: Path,
) -> list[str]:
    settings = (base.get("extra") or {}).get("complaints") or {}
    named = settings.get("languages") or {}
    if not isinstance(named, dict):
        raise SiteError(f"{config_file}: extra.complaints.languages: a mapping, like en: English")
    site = Site(register, _as_of(settings.get("as_of"), os.environ.get(AS_OF_VARIABLE)))
    languages = list(site.policy.languages)
    check_languages(languages, named)
    check_pages(source, languages)
    pages = tracking.pages_kept(
        [_page_of(item, config_file) for item in base["nav"]], site.tracking_secret
    )
    _empty(projects)
    site_url = str(base.get("site_url") or "")
    for language in languages:
        folder = projects / language
        root = _root(language, languages)
        render_language(site, language, root, source, folder / "docs", pages)
        # Plain: each engine escapes it for HTML once (`_mkdocs`).
        name = site_name(site.policy.organisation, language).unescape()
        config = project_config(base, language, languages, named, pages, name, site_url)
        path = folder / "mkdocs.yml"
        # What the safe loader made (read_config), the safe dumper writes: no error here.
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        run(path)
    _empty(out)
    for language in languages:
        shutil.copytree(
            projects / language / "public", out / _root(language, languages), dirs_exist_ok=True
        )
    write_data(site, out)
    finish(out, languages, site_url)
    return languages


def _root(language: str, languages: list[str]) -> str:
    return "" if language == languages[0] else f"{language}/"


def read_config(path: Path) -> dict[str, Any]:
    """The site's configuration (mkdocs.yml), its `!ENV` values read; plain YAML only (a
    `!!python/...` tag is refused, not run)."""
    from mkdocs.utils.yaml import get_yaml_loader

    try:
        with path.open(encoding="utf-8") as file:
            loaded = yaml.load(file, Loader=get_yaml_loader(loader=yaml.SafeLoader))
    except OSError as error:
        raise SiteError(f"{path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SiteError(f"{path}: not UTF-8 text") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        said = " ".join(part for part in (error.context, error.problem) if part)
        raise SiteError(f"{where}: not plain YAML: {said}") from None
    except yaml.YAMLError as error:
        raise SiteError(f"{path}: not plain YAML: {error}") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("nav"), list):
        raise SiteError(f"{path}: a site configuration with a `nav:` list of pages")
    return loaded


def _page_of(item: object, config_file: Path) -> str:
    if isinstance(item, str) and item.endswith(".md") and "/" not in item:
        return item[: -len(".md")]
    raise SiteError(f"{config_file}: nav: {item!r}: a page of site/ (like complain.md)")


def project_config(
    base: dict[str, Any],
    language: str,
    languages: list[str],
    named: dict[str, str],
    pages: list[str],
    name: str,
    site_url: str,
) -> dict[str, Any]:
    """The configuration of one language's project: the site's, for this language."""
    config = copy.deepcopy(base)
    for key in ("hooks", "watch"):
        config.pop(key, None)
    root = _root(language, languages)
    config.update(
        site_name=name,
        docs_dir="docs",
        site_dir="public",
        nav=[page_file(page) for page in pages],
    )
    if site_url:
        config["site_url"] = site_url.rstrip("/") + "/" + root
    config["theme"] = {**(config.get("theme") or {}), "language": language}
    extra = {k: v for k, v in (config.get("extra") or {}).items() if k != "complaints"}
    extra["alternate"] = [
        {
            "name": named[code],
            "link": Address(root, "").to_site(_root(code, languages)),
            "lang": code,
        }
        for code in languages
    ]
    config["extra"] = extra
    lunr = language if language in LUNR_LANGUAGES else "en"
    config["plugins"] = [
        {"search": {"lang": [lunr], **SEARCH}} if _plugin_name(item) == "search" else item
        for item in config.get("plugins") or []
    ]
    return config


def _plugin_name(item: object) -> str:
    return item if isinstance(item, str) else next(iter(item)) if isinstance(item, dict) else ""


def refuse_folders(out: Path, projects: Path, project: Path, docs: Path, register: Path) -> None:
    """Refuse folders to build into (what is in them is deleted) that are links, that hold
    the project, or that hold or are inside the hand-written pages, the register or each
    other."""
    for folder, other in ((out, projects), (projects, out)):
        if folder.is_symlink():
            raise SiteError(f"{folder}: a link: build into a folder of its own")
        where = folder.resolve()
        if project.resolve().is_relative_to(where):
            raise SiteError(f"{folder}: holds {project}: build into a folder of its own")
        for kept in (docs, register, other):
            there = kept.resolve()
            if there.is_relative_to(where):
                raise SiteError(f"{folder}: holds {kept}: build into a folder of its own")
            if where.is_relative_to(there):
                raise SiteError(f"{folder}: inside {kept}: build into a folder of its own")


def _require_emptiable(folder: Path) -> None:
    """Refuse to empty a folder that holds anything but an earlier build (its marker)."""
    marker = folder / MARKER
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise SiteError(f"{folder}: not a folder: build into a folder of its own")
    if not folder.is_dir() or (marker.is_file() and not marker.is_symlink()):
        return
    try:
        empty = next(folder.iterdir(), None) is None
    except OSError as error:
        raise SiteError(f"{folder}: {error.strerror}") from None
    if not empty:
        raise SiteError(
            f"{folder}: not empty, and not written by an earlier build (it has no {MARKER}):"
            " build into a new or empty folder, or remove this one yourself"
        )


@contextmanager
def _alone(folder: Path) -> Iterator[None]:
    """An exclusive lock on `.<folder>.lock` beside `folder` while the block runs."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    lock = folder.parent / f".{folder.name}.lock"
    try:
        handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as error:
        raise SiteError(f"{lock}: {error.strerror}") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _empty(folder: Path) -> None:
    """Empty `folder` (made when missing), and mark it as a build's to empty next time."""
    _require_emptiable(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _mkdocs(path: Path) -> None:
    """Build one project with MkDocs (strict: a warning stops the build)."""
    from markupsafe import escape
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(path))
    # The theme prints the name as it is in some places and escapes it in others: escaped
    # once, as Markup, it shows right in both.
    config.site_name = escape(config.site_name)
    build(config)


def _zensical(path: Path) -> None:
    """Build one project with Zensical (strict)."""
    try:
        import zensical  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise SiteError(
            "the engine zensical is not installed (pip install -c constraints.txt -e '.[zensical]')"
        ) from None
    try:
        zensical.build(str(path), {"clean": True, "strict": True})
    except ImportError as error:  # zensical 0.1.3 loads its theme, zensical-ui, only here
        raise SiteError(
            f"the engine zensical cannot run: it needs {error.name or error}, which is not"
            " installed (pip install -c constraints.txt -e '.[zensical]')"
        ) from None
    except Exception as error:  # its own errors, from its native part: one line each
        raise SiteError(f"{path}: zensical: {error}") from None


ENGINES: dict[str, Callable[[Path], None]] = {"mkdocs": _mkdocs, "zensical": _zensical}

HTML_LANG = re.compile(r'<html lang="([^"]+)"(?! dir=)')
SWITCHER = re.compile(r'(<a href=")([^"]*)(" hreflang="([^"]+)" class="md-select__link")')
ALTERNATE = re.compile(r'(<link rel="alternate" href=")([^"]*)(" hreflang="([^"]+)">)')
SEARCH_LABEL = re.compile(r'class="md-search__input" name="query" aria-label="([^"]*)"')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def finish(out: Path, languages: list[str], site_url: str) -> None:
    """What the engine's templates leave out (see the module's note), and one sitemap."""
    html_files: list[PurePosixPath] = []
    sitemaps: list[Path] = []
    for folder, _, names in os.walk(out):
        for name in names:
            path = Path(folder, name)
            if name.endswith(".html"):
                html_files.append(PurePosixPath(path.relative_to(out).as_posix()))
            elif name in ("sitemap.xml", "sitemap.xml.gz"):
                sitemaps.append(path)
    # Every page there is ("it/complain/"), by the folder of its index.html.
    pages = {str(path.parent) + "/" for path in html_files if path.name == "index.html"}
    pages = {"" if page == "./" else page for page in pages}
    for relative in sorted(html_files):
        language, folder = _where(relative, languages)
        path = out / relative
        html = path.read_text(encoding="utf-8")
        path.write_text(_finished(html, pages, language, folder, languages), encoding="utf-8")
    for old in sitemaps:  # the engines' own, one per language
        old.unlink()
    _sitemap(out, pages, languages, site_url)


def _where(relative: PurePosixPath | Path, languages: list[str]) -> tuple[str, str]:
    """The language of a page's file, and its folder within the language ("complain/")."""
    parts = relative.parts[:-1]
    if parts and parts[0] in languages[1:]:
        return parts[0], "".join(f"{part}/" for part in parts[1:])
    return languages[0], "".join(f"{part}/" for part in parts)


def _finished(html: str, pages: set[str], language: str, folder: str, languages: list[str]) -> str:
    html = HTML_LANG.sub(
        lambda m: f'<html lang="{m.group(1)}" dir="{direction(language)}"', html, count=1
    )
    here = Address(_root(language, languages), folder)

    def same_page(match: re.Match[str]) -> str:
        other = match.group(4)
        if other not in languages:
            return match.group(0)
        if other == language:
            return f"{match.group(1)}./{match.group(3)}"
        there = _root(other, languages) + folder
        if there not in pages:
            there = _root(other, languages)
        return f"{match.group(1)}{here.to_site(there)}{match.group(3)}"

    html = SWITCHER.sub(same_page, html)
    html = ALTERNATE.sub(same_page, html)
    label = SEARCH_LABEL.search(html)
    if label:
        html = html.replace(
            SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label.group(1)}">', 1
        )
    return html


def _sitemap(out: Path, pages: set[str], languages: list[str], site_url: str) -> None:
    """One sitemap at the root: every page of every language in `pages` ("it/complain/"),
    each with its versions in the other languages."""
    if not site_url:
        return
    base = site_url.rstrip("/") + "/"
    found: dict[str, set[str]] = {}  # folder within the language: its languages
    for page in pages:
        language, folder = _where(PurePosixPath(page, "index.html"), languages)
        found.setdefault(folder, set()).add(language)
    entries = []
    for folder in sorted(found):
        versions = [code for code in languages if code in found[folder]]
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{code}"'
            f' href="{xml_escape(base + _root(code, languages) + folder)}"/>'
            for code in versions
            if len(versions) > 1
        )
        entries += [
            f"<url><loc>{xml_escape(base + _root(code, languages) + folder)}</loc>{links}</url>"
            for code in versions
        ]
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(entries) + "\n</urlset>\n"
    )
    (out / "sitemap.xml").write_text(text, encoding="utf-8")
    (out / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
