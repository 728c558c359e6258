"""What the public site is made from: the register as the site shows it (`Site`), and what
each placeholder of a hand-written page becomes (`placeholders`).

`Site` reads the register as of a day (default today in the policy's time zone), refuses it
with check's messages when `complaints check` would, refuses a channel the contact details
give no way to and an action whose public sentences miss a language, and works out the
published statistics. `website/render.py` fills the pages with it, one language at a time.

Only published figures reach a page: the statistics are made by
`complaints_register.core.figures`, which applies disclosure control, and nothing else of
a complaint is read.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from complaints_register.core.problems import ProblemsFound, as_text
from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Policy
from complaints_register.schema.action import Action
from complaints_register.schema.dates import as_day, out_of_range
from complaints_register.store.action_files import action_folder, load_actions
from complaints_register.store.files import RegisterError
from complaints_register.store.overview import all_facts
from complaints_register.store.recorded import published_on
from complaints_register.store.register import Register
from complaints_register.store.register_check import require_valid
from complaints_register.text.numerals import number
from complaints_register.text.wording import PolicyWords, policy_in_words
from complaints_register.website import pages as site_pages
from complaints_register.website import tracking_page as tracking
from complaints_register.website.complaint_form import send_form
from complaints_register.website.diagram import process_list, process_svg
from complaints_register.website.errors import SiteError
from complaints_register.website.statistics_page import statistics_page
from complaints_register.website.words import period_name, phrases

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
YEARS_AHEAD = 2  # the calculator knows working days up to the end of the year after next


class Site:
    """The register as the site shows it: its policy, calendar and published figures."""

    def __init__(self, root: Path, as_of: date | None):
        register = Register(root)
        try:
            self.policy = register.policy()
        except ProblemsFound as found:
            raise SiteError(
                f"the register's policy is invalid:\n{as_text(found.problems)}"
            ) from None
        except RegisterError as error:
            raise SiteError(str(error)) from None
        try:
            require_valid(register)  # nothing is published from a register check refuses
        except ProblemsFound as found:
            raise SiteError(
                f"the register is invalid (as `complaints check` says):\n{as_text(found.problems)}"
            ) from None
        except RegisterError as error:
            raise SiteError(str(error)) from None
        lost = site_pages.unreachable(self.policy)
        if lost:
            raise SiteError(
                f"{root / 'policy.yaml'}: channels: {', '.join(lost)}: listed as a way to"
                " complain, but the contact details give no way to reach it (an e-mail"
                " address, a telephone number, a postal address, a website or a social media"
                " account): add one to `contact`, or take the channel off the list"
            )
        self.actions = _public_actions(register, self.policy)
        self.calendar = calendar_for(self.policy)
        self.as_of = as_of or self.calendar.today()
        facts, _ = all_facts(register, self.policy, self.calendar, self.as_of)  # all readable
        # Each period as it stood on its settle day, never changed afterwards; those
        # recorded already exactly as recorded.
        _, self.published = published_on(register, self.policy, self.calendar, self.as_of, facts)
        self.root = root
        self.facts = facts  # for the sealed entries of "Follow your complaint" alone
        self.tracking_secret = tracking.secret()
        received = [self.calendar.local_date(f.received).year for f in facts]
        self.first_year = min(received + [self.as_of.year - 1])


def _public_actions(register: Register, policy: Policy) -> list[Action]:
    """The improvement actions, each with a sentence for the public in every language of
    the policy or in none ("You said, we did" is the same list in every language)."""
    actions, problems = load_actions(register)
    if problems:
        raise SiteError("the register's action files are invalid:\n" + "\n".join(problems))
    for action in actions:
        missing = [code for code in policy.languages if action.public and code not in action.public]
        if missing:
            raise SiteError(
                f"{action_folder(register) / (action.id + '.yaml')}: public: no sentence in"
                f" {', '.join(missing)} (give one in every language of the policy, or none)"
            )
    return actions


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
        raise SiteError(f"{setting}: {error}") from None
    wrong = out_of_range(day)
    if wrong is not None:
        raise SiteError(f"{setting}: {wrong}")
    return day


def placeholders(site: Site, language: str, here: "Address") -> dict[str, Callable[[], str]]:
    """What each placeholder of the page at `here` becomes, in `language` (made only when
    used)."""
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
        "send_form": lambda: send_form(policy, language, here.to_page("form/")),
        "follow": lambda: tracking.follow_form(
            here.to_site(tracking.DATA_FOLDER + "/"), site.as_of, language
        ),
        "follow_link": lambda: tracking.link(
            site.tracking_secret, here.to_page("follow/"), language
        ),
        "calculator": lambda: site_pages.calculator(here.to_site("calendar.json"), language),
        "statistics": lambda: statistics_page(site.published, language, publication.settle_months),
        "downloads": lambda: _downloads(here, language),
        "min_count": lambda: number(publication.min_count, language),
        "min_count_less_one": lambda: number(publication.min_count - 1, language),
        "min_rate_base": lambda: number(publication.min_rate_base, language),
        "settle_months": lambda: number(publication.settle_months, language),
        "retention_years": lambda: number(policy.retention.personal_data_years, language),
        "complain_within": lambda: site_pages.complain_within(policy, language),
        "external_bodies": lambda: site_pages.external_bodies(policy, language),
        "you_said_we_did": lambda: site_pages.you_said_we_did(site.actions, site.as_of, language),
        "call_to_action": lambda: site_pages.call_to_action(language, here.to_page("complain/")),
        "as_of_month": lambda: period_name(site.published.as_of_month, language),
    }


def _downloads(here: "Address", language: str) -> str:
    said = phrases(language)["statistics"]
    links = "".join(
        f'<li><a href="{here.to_site(name)}" download>{escape(said[kind])}</a></li>'
        for name, kind in (("statistics.csv", "csv"), ("statistics.json", "json"))
    )
    return f'<p>{escape(said["downloads"])}</p><ul class="downloads">{links}</ul>'


@dataclass(frozen=True)
class Address:
    """Where a page is in the built site: its language's folder (`root`, "" for the first
    language, "uk/" for another) and the page's folder within it (`page`, "" for the home
    page, "complain/"). Every link a placeholder makes is relative, so that the site works
    in a sub-folder of a web server too."""

    root: str
    page: str

    def to_page(self, target: str) -> str:
        """A page of the same language ("form/")."""
        return _relative(target, self.page)

    def to_site(self, target: str) -> str:
        """A file at the root of the site, the same for every language ("calendar.json")."""
        return _relative(target, self.root + self.page)


def _relative(target: str, here: str) -> str:
    return "../" * here.count("/") + target or "./"
