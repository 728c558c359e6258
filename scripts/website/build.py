"""The public site's MkDocs events (registered by scripts/website/hooks.py): the edge between
the register and the pages.

Once per build this reads the register (`extra.complaints.register`, default `register/`,
or $COMPLAINTS_REGISTER) as of `extra.complaints.as_of` ($COMPLAINTS_AS_OF, default today
in the policy's time zone), refuses it with check's messages when `complaints check`
would, works out the published statistics, and then:

* builds the languages policy.yaml lists, the first as the default, and refuses to build
  when a page is missing in one of them (so no page falls back to another language);
* fills the placeholders of the hand-written pages, `{{ timeline }}`, `{{ statistics }}`
  and the others in `_placeholders`, in the page's language; an unknown one is an error;
* marks each page's <html> with its direction (right-to-left for Persian);
* writes `statistics.csv`, `statistics.json` (every published figure) and `calendar.json`
  (the working days the deadline calculator counts with) at the root of the site.

Only published figures reach a page: the statistics are made by `complaints_register.core.figures`,
which applies disclosure control, and nothing else of a complaint is read.
"""

import json
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from html import escape
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from complaints_register.core.figures import CSV_COLUMNS, settled
from complaints_register.core.problems import ProblemsFound, as_text
from complaints_register.core.status import Facts
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Policy
from complaints_register.schema.action import Action
from complaints_register.schema.dates import as_day, out_of_range
from complaints_register.store.action_files import action_folder, load_actions
from complaints_register.store.files import RegisterError
from complaints_register.store.overview import all_facts
from complaints_register.store.register import Register
from complaints_register.store.register_check import require_valid
from complaints_register.text.numerals import number
from complaints_register.text.wording import PolicyWords, policy_in_words
from complaints_register.text.wording import languages_supported as policy_languages
from complaints_register.views import complaints as views
from complaints_register.website import pages as site_pages
from complaints_register.website import search_index
from complaints_register.website import tracking_page as tracking
from complaints_register.website.complaint_form import send_form
from complaints_register.website.diagram import process_list, process_svg
from complaints_register.website.statistics_page import statistics_page
from complaints_register.website.words import direction, period_name, phrases
from complaints_register.website.words import languages_supported as site_languages

if TYPE_CHECKING:
    from mkdocs_static_i18n.plugin import I18n  # untyped: its attributes are Any

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
YEARS_AHEAD = 2  # the calculator knows working days up to the end of the year after next

# What the pages are made from, worked out once per build (see on_config).
_site: "Site | None" = None


class Site:
    """The register as the site shows it: its policy, calendar and published figures."""

    def __init__(self, root: Path, as_of: date | None):
        register = Register(root)
        try:
            self.policy = register.policy()
        except ProblemsFound as found:
            raise PluginError(
                f"the register's policy is invalid:\n{as_text(found.problems)}"
            ) from None
        except RegisterError as error:
            raise PluginError(str(error)) from None
        try:
            require_valid(register)  # nothing is published from a register check refuses
        except ProblemsFound as found:
            raise PluginError(
                f"the register is invalid (as `complaints check` says):\n{as_text(found.problems)}"
            ) from None
        except RegisterError as error:
            raise PluginError(str(error)) from None
        lost = site_pages.unreachable(self.policy)
        if lost:
            raise PluginError(
                f"{root / 'policy.yaml'}: channels: {', '.join(lost)}: listed as a way to"
                " complain, but the contact details give no way to reach it (an e-mail"
                " address, a telephone number, a postal address, a website or a social media"
                " account): add one to `contact`, or take the channel off the list"
            )
        self.actions = _public_actions(register, self.policy)
        self.calendar = calendar_for(self.policy)
        self.as_of = as_of or self.calendar.today()
        facts, _ = all_facts(register, self.policy, self.calendar, self.as_of)  # all readable

        # Each period as it stood on its settle day, never changed afterwards.
        def facts_on(day: date, months: tuple[str, str] | None) -> list[Facts]:
            within = register if months is None else _ReceivedIn(root, *months)
            return all_facts(within, self.policy, self.calendar, day)[0]

        self.published = settled(facts_on, self.policy, self.calendar, self.as_of)
        self.root = root
        self.facts = facts  # for the sealed entries of "Follow your complaint" alone
        self.tracking_secret = tracking.secret()
        received = [self.calendar.local_date(f.received).year for f in facts]
        self.first_year = min(received + [self.as_of.year - 1])


class _ReceivedIn(Register):
    """The register, its complaint files limited to those whose ID says they were received
    from month `first` to month `last` (a month either side, for a receipt near midnight
    in another time zone): the statistics of a settle day need only those. A file named
    otherwise stays listed."""

    def __init__(self, root: Path, first: str, last: str):
        super().__init__(root)
        self._span = (_month_beside(first, -1), _month_beside(last, 1))

    def complaint_names(self) -> list[str]:
        return [name for name in super().complaint_names() if self._within(name)]

    def _within(self, name: str) -> bool:
        found = COMPLAINT_MONTH.search(name)
        return found is None or self._span[0] <= f"{found[1]}-{found[2]}" <= self._span[1]


COMPLAINT_MONTH = re.compile(r"C-(\d{4})-(\d{2})\d{2}-[0-9A-Z]{4}\.yaml$")


def _month_beside(month: str, step: int) -> str:
    year, number = map(int, month.split("-"))
    count = year * 12 + number - 1 + step
    return f"{count // 12:04d}-{count % 12 + 1:02d}"


def _public_actions(register: Register, policy: Policy) -> list[Action]:
    """The improvement actions, each with a sentence for the public in every language of
    the policy or in none ("You said, we did" is the same list in every language)."""
    actions, problems = load_actions(register)
    if problems:
        raise PluginError("the register's action files are invalid:\n" + "\n".join(problems))
    for action in actions:
        missing = [code for code in policy.languages if action.public and code not in action.public]
        if missing:
            raise PluginError(
                f"{action_folder(register) / (action.id + '.yaml')}: public: no sentence in"
                f" {', '.join(missing)} (give one in every language of the policy, or none)"
            )
    return actions


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Read the register at the start of a build; the i18n plugin then builds each further
    language inside that build (with `building` set), from the same figures."""
    global _site
    i18n: I18n | None = config.plugins.get("i18n")
    if i18n is None:
        raise PluginError("the site needs the i18n plugin (mkdocs-static-i18n) in mkdocs.yml")
    if _site is None or not i18n.building:
        settings = config.extra.get("complaints") or {}
        root = Path(config.config_file_path).parent / (settings.get("register") or "register")
        _site = Site(root, _as_of(settings.get("as_of"), os.environ.get(AS_OF_VARIABLE)))
        _choose_languages(i18n, _site.policy.languages)
    tracking.without_secret(config, _site.tracking_secret)
    return config


AS_OF_VARIABLE = "COMPLAINTS_AS_OF"


def _as_of(configured: object, variable: str | None) -> date | None:
    """The as-of date of the build: $COMPLAINTS_AS_OF when it is set, else
    `extra.complaints.as_of`; None (today) when neither is. A value that is not a date, or
    not one a register can hold (a mistyped year), stops the build with a message that names
    the setting."""
    setting, value = (
        (AS_OF_VARIABLE, variable) if variable else ("extra.complaints.as_of", configured)
    )
    if value in (None, ""):
        return None
    try:
        day = as_day(value)
    except ValueError as error:
        raise PluginError(f"{setting}: {error}") from None
    wrong = out_of_range(day)
    if wrong is not None:
        raise PluginError(f"{setting}: {wrong}")
    return day


def _choose_languages(i18n: "I18n", languages: list[str]) -> None:
    """Build exactly the policy's languages, the first as the default."""
    listed = {language.locale: language for language in i18n.config.languages}
    missing = [code for code in languages if code not in listed]
    if missing:
        raise PluginError(
            f"policy.yaml lists languages the site has no pages in: {', '.join(missing)}"
            " (add them to the i18n languages of mkdocs.yml, and site/*.<language>.md)"
        )
    unworded = [
        code for code in languages if code not in site_languages() or code not in policy_languages()
    ]
    if unworded:
        raise PluginError(
            f"no phrases for the site in: {', '.join(unworded)} (add"
            " scripts/website/phrases/<language>.yaml and scripts/text/phrases/<language>.yaml)"
        )
    for code, language in listed.items():
        language.build = code in languages
        language.default = code == languages[0]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Refuse to build when a page is missing in one of the languages built."""
    languages = set(_built(config))
    found: defaultdict[str, set[str]] = defaultdict(set)
    for file in files.documentation_pages():
        path = PurePosixPath(file.src_uri)
        stem, _, language = path.stem.rpartition(".")
        found[str(path.with_name(stem or path.stem))].add(language if stem else "")
    problems = [
        f"{page}.<{','.join(sorted(languages - have))}>.md"
        for page, have in sorted(found.items())
        if languages - have
    ]
    if problems:
        raise PluginError("pages missing in a language the policy lists: " + "; ".join(problems))
    assert _site is not None  # on_config read the register
    return tracking.pages_kept(files, _site.tracking_secret)


def _built(config: MkDocsConfig) -> list[str]:
    return [language.locale for language in _i18n(config).config.languages if language.build]


def _i18n(config: MkDocsConfig) -> "I18n":
    return config.plugins["i18n"]


def on_pre_build(config: MkDocsConfig) -> None:
    assert _site is not None  # on_config read the register
    language = _language(config)
    config.site_name = site_pages.site_name(_site.policy.organisation, language)


def _language(config: MkDocsConfig) -> str:
    language: str = config.theme["language"]
    return language


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _site is not None  # on_config read the register
    language = _language(config)
    fill = _placeholders(_site, language, page)

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fill:
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(
                f"site/{page.file.src_uri}:{line}: unknown placeholder {{{{ {name} }}}}"
                f" (known: {', '.join(sorted(fill))})"
            )
        return fill[name]()

    return PLACEHOLDER.sub(replace, markdown)


def _placeholders(site: Site, language: str, page: Page) -> dict[str, Callable[[], str]]:
    """What each placeholder of a page becomes, in `language` (made only when used)."""
    policy = site.policy

    def words() -> PolicyWords:
        return policy_in_words(site.policy, language, site.as_of)

    publication = policy.publication
    return {
        "organisation": lambda: site_pages.inline(policy.organisation),
        "contact": lambda: site_pages.contact(policy, language, site.calendar.weekend),
        "channels": lambda: site_pages.channels(policy, language),
        "languages": lambda: site_pages.languages(policy, language),
        "timeline": lambda: site_pages.timeline(words()),
        "pauses": lambda: escape(words().pauses),
        "extensions": lambda: escape(words().extensions),
        "internal_review": lambda: escape(words().internal_review),
        "external_recourse": lambda: site_pages.external_recourse(words()),
        "working_days": lambda: escape(words().working_days),
        "principles": lambda: site_pages.principles(words()),
        "process_diagram": lambda: process_svg(words(), language),
        "process_steps": lambda: process_list(words(), language),
        "complaint_form": lambda: site_pages.complaint_form(policy, language),
        "send_form": lambda: send_form(policy, language, get_relative_url("form/", page.url)),
        "follow": lambda: tracking.follow_form(
            get_relative_url(tracking.DATA_FOLDER, page.url) + "/", site.as_of, language
        ),
        "follow_link": lambda: tracking.link(
            site.tracking_secret, get_relative_url("follow/", page.url), language
        ),
        "calculator": lambda: site_pages.calculator(
            get_relative_url("calendar.json", page.url), language
        ),
        "statistics": lambda: statistics_page(site.published, language, publication.settle_months),
        "downloads": lambda: _downloads(page, language),
        "min_count": lambda: number(publication.min_count, language),
        "min_count_less_one": lambda: number(publication.min_count - 1, language),
        "min_rate_base": lambda: number(publication.min_rate_base, language),
        "settle_months": lambda: number(publication.settle_months, language),
        "retention_years": lambda: number(policy.retention.personal_data_years, language),
        "complain_within": lambda: site_pages.complain_within(policy, language),
        "external_bodies": lambda: site_pages.external_bodies(policy, language),
        "you_said_we_did": lambda: site_pages.you_said_we_did(site.actions, site.as_of, language),
        "call_to_action": lambda: site_pages.call_to_action(
            language, get_relative_url("complain/", page.url)
        ),
        "as_of_month": lambda: period_name(site.published.as_of_month, language),
    }


def _downloads(page: Page, language: str) -> str:
    said = phrases(language)["statistics"]
    links = "".join(
        f'<li><a href="{get_relative_url(name, page.url)}" download>{escape(said[kind])}</a></li>'
        for name, kind in (("statistics.csv", "csv"), ("statistics.json", "json"))
    )
    return f'<p>{escape(said["downloads"])}</p><ul class="downloads">{links}</ul>'


SWITCHER_LINK = re.compile(r'<a href="/([^"]*)" hreflang=')
SEARCH_LABEL = re.compile(r'class="md-search__input" name="query" aria-label="([^"]*)"')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Three things Material leaves out: <html> gets its direction (Material marks only
    <body>); the language switcher's links on home pages become relative like the others,
    so that the site works in a sub-folder of a web server too; the search dialog gets a
    name (the one its search box has), which assistive technology announces."""
    language = _language(config)
    output = output.replace(
        f'<html lang="{language}"', f'<html lang="{language}" dir="{direction(language)}"', 1
    )
    output = SWITCHER_LINK.sub(
        lambda m: f'<a href="{_relative(m.group(1), page.url)}" hreflang=', output
    )
    if language != _default_language(config):  # its search loads its language's own index
        output = CONFIG_BASE.sub(
            lambda m: f"{m.group(1)}{m.group(2)}/{language}/{m.group(3)}", output, 1
        )
    label = SEARCH_LABEL.search(output)
    if label:
        output = output.replace(
            SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label.group(1)}">', 1
        )
    return output


def _split_search_index(site_dir: Path, languages: list[str], default: str) -> None:
    """One search index per language (see `complaints_register.website.search_index`)."""
    root = site_dir / "search" / "search_index.json"
    if not root.is_file():
        return  # no search plugin
    try:
        whole = json.loads(root.read_text(encoding="utf-8"))
        split = search_index.split(whole, languages, default)
    except (ValueError, KeyError, TypeError) as error:
        raise PluginError(f"{root}: not a search index this site can split: {error}") from None
    for folder, index in split.items():
        path = site_dir / folder / "search" / "search_index.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")


def _default_language(config: MkDocsConfig) -> str:
    found: str = next(
        language.locale for language in _i18n(config).config.languages if language.default
    )
    return found


CONFIG_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{"annotate": [^,]*, "base": ")([^"]*)(")'
)


def _relative(target: str, here: str) -> str:
    found = get_relative_url(target or ".", here or ".")
    return "./" if found == "." else found if found.endswith("/") else found + "/"


@event_priority(-200)  # after the i18n plugin's, which builds the other languages
def on_post_build(config: MkDocsConfig) -> None:
    if _i18n(config).building:
        return  # a further language: the files are the same for all, written once
    assert _site is not None  # on_config read the register
    site_dir = Path(config.site_dir)
    _split_search_index(site_dir, _built(config), _default_language(config))
    figures = [asdict(figure) for figure in _site.published.figures]
    (site_dir / "statistics.csv").write_text(views.as_csv(figures, CSV_COLUMNS), encoding="utf-8")
    (site_dir / "statistics.json").write_text(
        views.as_json(_site.published.as_json()) + "\n", encoding="utf-8"
    )
    calendar = site_pages.calendar_data(
        _site.policy, _site.calendar, _site.first_year, _site.as_of.year + YEARS_AHEAD
    )
    (site_dir / "calendar.json").write_text(views.as_json(calendar) + "\n", encoding="utf-8")
    tracking.write_entries(site_dir, _site.root, _site.facts, _site.calendar, _site.tracking_secret)
