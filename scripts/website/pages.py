"""The parts of the public site's pages that come from policy.yaml, in one language.

Pure functions: each takes the policy (and the policy in words, from `complaints_register.text.wording`)
and returns Markdown or HTML for one placeholder of a hand-written page. Nothing here
reads a complaint: the statistics are `complaints_register.website.statistics_page`.

Text from policy.yaml goes into a page through `inline` (escaped for HTML, and for the
Markdown the page still goes through), into an attribute through `escape`, and into a link
only when it is an http(s) address (`web_link`) or, as mailto:, an e-mail address. The
schema already refuses markup and control characters in published text (`PublicText`);
this is the second lock.
"""

import re
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

from complaints_register.schema import Policy
from complaints_register.schema.policy import Targets
from complaints_register.text.numerals import number
from complaints_register.text.wording import PolicyWords
from complaints_register.website.words import (
    direction,
    item_name,
    language_name,
    period_name,
    phrases,
)

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from collections.abc import Iterable, Sequence

    from complaints_register.core.working_days import Calendar
    from complaints_register.schema.action import Action

# Which contact details of the policy each channel can reach us by, in order of preference.
# The web form is the site's own (on "How to complain"), which writes an e-mail to us.
CHANNEL_CONTACT = {
    "email": ("email",),
    "phone": ("phone",),
    "letter": ("address",),
    "in-person": ("address",),
    "web-form": ("website", "email"),
    "social-media": ("social_media",),
}


def unreachable(policy: Policy) -> list[str]:
    """The channels the policy lists that nothing in its contact details reaches: a
    channel a page would list with no address, number, form or account."""
    return [
        channel
        for channel in policy.channels
        if not any(getattr(policy.contact, key) for key in CHANNEL_CONTACT.get(channel, ()))
    ]


# Characters that start Markdown's inline syntax (links and images, emphasis, code, escapes,
# attribute lists), written as character references: shown the same, acted on by nobody.
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]{}"})


def inline(text: str) -> str:
    """Text from the policy as it goes into a page's Markdown: shown as it is written,
    never taken for HTML or for Markdown (a link, an image, an attribute list)."""
    return escape(text).translate(_MARKDOWN)


_WEB = re.compile(r"https?://[^\s/?#@]+([/?#]\S*)?", re.IGNORECASE)


def web_link(address: str) -> str | None:
    """`address` when it is an http(s) address a page may link to, else None."""
    return address if _WEB.fullmatch(address) else None


def site_name(organisation: str, language: str) -> Markup:
    """The site's name in `language` ("Lagoon Water: complaints"), escaped for HTML once:
    as Markup, so that the theme's templates, which print `config.site_name` as it is in
    some places and escape it in others, show it right in both."""
    if direction(language) == "rtl":  # a name in Latin letters keeps its place in the title
        organisation = f"\u2068{organisation}\u2069"
    return Markup(escape(phrases(language)["site_name"].format(organisation=organisation)))


def contact(policy: Policy, language: str, weekend: "Iterable[int]" = (5, 6)) -> str:
    """The complaints desk's published contact details, as a list."""
    words = phrases(language)["contact"]
    lines = [
        f"- {words[key]}: {_detail(key, value)}"
        for key, value in policy.contact.model_dump().items()
        if value and key != "hours"
    ]
    if policy.contact.hours:
        days, hours = opening_days(weekend, language), f"<bdi>{inline(policy.contact.hours)}</bdi>"
        said = escape(words["hours_days"]).replace("{days}", escape(days))
        lines.append(f"- {words['hours']}: {said.replace('{hours}', hours)}")
    return "\n".join(lines) if lines else words["none"]


def opening_days(weekend: "Iterable[int]", language: str) -> str:
    """The days of the week that are not `weekend` (0 is Monday), named in `language`
    ("Monday–Friday")."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=language)
    open_days = [i for i in range(7) if i not in set(weekend)]
    if open_days == list(range(open_days[0], open_days[-1] + 1)) and len(open_days) > 2:
        days = f"{names[open_days[0]]}–{names[open_days[-1]]}"
    else:
        days = ", ".join(names[i] for i in open_days)
    return days


def _detail(key: str, value: str) -> str:
    """A contact detail, linked where it can be (an e-mail address, a phone number with
    digits, an http(s) address), isolated so that a left-to-right address keeps its order
    in a right-to-left page."""
    shown = inline(value)
    link = None
    if key == "email":
        link = f"mailto:{value}"
    elif key == "phone":
        dialled = "".join(c for c in value if c in "+0123456789")
        link = f"tel:{dialled}" if any(c.isdigit() for c in dialled) else None
    elif key in ("website", "social_media"):
        link = web_link(value)
    if link is None:
        return f"<bdi>{shown}</bdi>"
    return f'<bdi><a href="{escape(link)}">{shown}</a></bdi>'


def channels(policy: Policy, language: str) -> str:
    """The ways to complain that the policy lists, each with the detail it needs."""
    lines = []
    for channel in policy.channels:
        key = next(
            (k for k in CHANNEL_CONTACT.get(channel, ()) if getattr(policy.contact, k)), None
        )
        name = escape(item_name("channel", channel, language), quote=False)
        if channel == "web-form" and key == "email":  # the form on "How to complain"
            lines.append(f"- **{name}**")
        elif key:
            lines.append(f"- **{name}**: {_detail(key, getattr(policy.contact, key))}")
    return "\n".join(lines)


def languages(policy: Policy, language: str) -> str:
    """The languages we answer in, named in `language`."""
    return "\n".join(
        f"- {escape(language_name(code, language), quote=False)}" for code in policy.languages
    )


def timeline(words: PolicyWords) -> str:
    """Each stage's time limits, in order, as a timeline."""
    blocks = []
    for stage, heading in enumerate(words.stages, start=1):
        items = "".join(
            f'<li><span class="timeline-step">{escape(step.title)}</span>'
            f' <span class="timeline-duration">{escape(step.duration)}</span>'
            f"<p>{escape(step.text)}</p></li>"
            for step in words.timeline
            if step.stage == stage
        )
        blocks.append(f'## {heading}\n\n<ol class="timeline">{items}</ol>')
    if words.coming:  # a new version already decided: say from when, and what it will be
        when, *steps = words.coming
        listed = "".join(f"<li>{escape(step)}</li>" for step in steps)
        blocks.append(f'<div class="coming-targets"><p>{escape(when)}</p><ul>{listed}</ul></div>')
    return "\n\n".join(blocks)


def external_recourse(words: PolicyWords) -> str:
    """One item for each external body (its name and website as text, from the policy)."""
    return "\n".join(f"- {inline(sentence)}" for sentence in words.external_recourse)


def principles(words: PolicyWords) -> str:
    """The guiding principles, each with the sentence that says what it means here."""
    items = "".join(
        f"<dt>{escape(title)}</dt><dd>{escape(text)}</dd>" for title, text in words.principles
    )
    return f'<dl class="principles">{items}</dl>'


def complaint_form(policy: Policy, language: str) -> str:
    """A printable complaint form: the fields a complainant should give us."""
    words = phrases(language)["form"]
    categories = "".join(
        f'<li><label><input type="checkbox" name="category" value="{escape(c)}"> '
        f"{escape(item_name('category', c, language))}</label></li>"
        for c in policy.categories
    )
    languages_known = _select(
        "form-language",
        "language",
        {code: language_name(code, language) for code in policy.languages},
        selected=language,  # the page's own, which the policy lists: the site is in no other
    )
    return (
        f"<p>{escape(words['intro'])}</p>"
        '<form class="complaint-form" action="#" onsubmit="return false">'
        f'<p class="form-print"><button type="button" class="md-button" onclick="window.print()">'
        f"{escape(words['print'])}</button></p>"
        + '<p class="form-to">'
        + escape(words["to"]).replace("{organisation}", f"<bdi>{inline(policy.organisation)}</bdi>")
        + "</p>"
        + f"<fieldset><legend>{escape(words['you'])}</legend>"
        + _field(
            "form-name", words["name"], '<input id="form-name" type="text" autocomplete="name">'
        )
        + _field(
            "form-contact", words["contact"], '<textarea id="form-contact" rows="3"></textarea>'
        )
        + _field("form-language", words["language"], languages_known)
        + _field("form-reference", words["reference"], '<input id="form-reference" type="text">')
        + f"</fieldset><fieldset><legend>{escape(words['complaint'])}</legend>"
        + f'<fieldset class="form-categories"><legend>{escape(words["category"])}</legend>'
        + f"<ul>{categories}</ul></fieldset>"
        + _field("form-when", words["when"], '<input id="form-when" type="text">')
        + _field("form-what", words["what"], '<textarea id="form-what" rows="8"></textarea>')
        + _field(
            "form-outcome", words["outcome"], '<textarea id="form-outcome" rows="4"></textarea>'
        )
        + _field(
            "form-documents",
            words["documents"],
            '<textarea id="form-documents" rows="3"></textarea>',
        )
        + f"</fieldset><fieldset><legend>{escape(words['sign'])}</legend>"
        + _field("form-signature", words["signature"], '<input id="form-signature" type="text">')
        + _field("form-date", words["date"], '<input id="form-date" type="text">')
        + "</fieldset></form>"
    )


def _field(field_id: str, label: str, control: str) -> str:
    return f'<p class="form-field"><label for="{field_id}">{escape(label)}</label>{control}</p>'


def calculator(calendar_url: str, language: str) -> str:
    """The deadline calculator's form; `javascripts/calculator.js` does the sums from the
    working-day calendar the build publishes at `calendar_url`."""
    words = phrases(language)["calculator"]
    messages = " ".join(
        f'data-{key.replace("_", "-")}="{escape(words[key])}"'
        for key in ("out_of_range", "invalid")
    )
    stage = _select("calculator-stage", "stage", {"1": words["complaint"], "2": words["review"]})
    priority = _select(
        "calculator-priority", "priority", {"normal": words["normal"], "urgent": words["urgent"]}
    )
    return (
        f"<p>{escape(words['intro'])}</p>"
        f'<form id="calculator" class="calculator" data-calendar="{escape(calendar_url)}" '
        f'data-lang="{escape(language)}" {messages}>'
        + _field("calculator-stage", words["what"], stage)
        + _field(
            "calculator-date",
            words["date"],
            '<input id="calculator-date" name="date" type="date" required>',
        )
        + _field("calculator-priority", words["priority"], priority)
        + '<p><button type="submit" class="md-button md-button--primary">'
        f"{escape(words['submit'])}</button></p></form>"
        '<div id="calculator-result" class="calculator-result" aria-live="polite" hidden>'
        f'<p>{escape(words["acknowledge"])}: <strong><time id="calculator-acknowledge"></time></strong></p>'
        f'<p>{escape(words["respond"])}: <strong><time id="calculator-respond"></time></strong></p>'
        f'<p id="calculator-from-acknowledgement" hidden>{escape(words["from_acknowledgement"])}</p>'
        f"<p>{escape(words['note'])}</p></div>"
        '<p id="calculator-error" class="calculator-error" role="alert" hidden></p>'
        f"<noscript><p>{escape(words['no_script'])}</p></noscript>"
    )


def _select(control_id: str, name: str, options: dict[str, str], selected: str = "") -> str:
    listed = "".join(
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>'
        f"{escape(label)}</option>"
        for value, label in options.items()
    )
    return f'<select id="{control_id}" name="{name}">{listed}</select>'


def calendar_data(
    policy: Policy, calendar: "Calendar", first_year: int, last_year: int
) -> dict[str, object]:
    """The working-day calendar the calculator counts with: every day from 1 January of
    `first_year` to 31 December of `last_year` that is not a working day although it is
    not a weekend day (public holidays and closures), the weekend, and the targets."""
    first, last = date(first_year, 1, 1), date(last_year, 12, 31)
    closed, day = [], first
    while day <= last:
        if day.weekday() not in calendar.weekend and not calendar.is_working(day):
            closed.append(day.isoformat())
        day += timedelta(days=1)
    return {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "days": calendar.days,
        "weekend": sorted(calendar.weekend),  # 0 = Monday, as Python counts
        "closed": closed,
        # Oldest first; a clock follows the version in force on the day it starts.
        "versions": [
            {
                "from": version.start.isoformat(),
                "targets": _stage_targets(version),
                "counting": _stage_counting(version, calendar.days),
            }
            for version in policy.target_versions()
        ],
    }


def _stage_targets(targets: Targets) -> dict[str, object]:
    return {
        str(number): {
            "acknowledge": stage.acknowledge,
            "respond": {"normal": stage.respond.normal, "urgent": stage.respond.urgent},
        }
        for number, stage in ((1, targets.stage1), (2, targets.stage2))
    }


def _stage_counting(targets: Targets, days: str) -> dict[str, object]:
    """How each stage's steps count, as `core.lifecycle.Clock` counts them: each step's unit
    (`days`, the calendar's, when it has none of its own), and whether the response counts
    from the receipt or from the acknowledgement."""
    return {
        str(number): {
            "acknowledge": stage.acknowledge_unit or days,
            "respond": stage.respond.unit or days,
            "respond_from": stage.respond.counts_from,
        }
        for number, stage in ((1, targets.stage1), (2, targets.stage2))
    }


def complain_within(policy: Policy, language: str) -> str:
    """How long after the event a complaint may be made to us."""
    said = phrases(language)["pages"]
    months = policy.complain_within_months
    if months is None:
        return escape(said["within_none"], quote=False)
    return escape(said["within"].format(months=number(months, language)), quote=False)


def external_bodies(policy: Policy, language: str) -> str:
    """Each outside body of the policy: its name (a link to its website), what kind of body
    it is, its postal address and its time limit."""
    said = phrases(language)["pages"]
    if not policy.recourse:
        return escape(said["bodies_none"], quote=False)
    blocks = []
    for body in policy.recourse:
        link = web_link(body.website) if body.website else None
        name = f'<a href="{escape(link)}">{inline(body.name)}</a>' if link else inline(body.name)
        lines = [f"<dt><bdi>{name}</bdi></dt>", f"<dd>{escape(said[body.kind])}</dd>"]
        if link:
            lines.append(
                f'<dd>{escape(said["website"])}: <bdi><a href="{escape(link)}">'
                f"{inline(link)}</a></bdi></dd>"
            )
        if body.address:
            lines.append(f"<dd>{escape(said['address'])}: <bdi>{inline(body.address)}</bdi></dd>")
        limit = (
            said["body_limit"].format(months=number(body.time_limit_months, language))
            if body.time_limit_months
            else said["body_no_limit"]
        )
        lines.append(f"<dd>{escape(limit)}</dd>")
        blocks.append("".join(lines))
    return f'<dl class="external-bodies">{"".join(blocks)}</dl>'


def you_said_we_did(actions: "Sequence[Action]", as_of: date, language: str) -> str:
    """The improvement actions done by `as_of` that have a sentence for the public, the
    latest first: that sentence and the month it was done, nothing else of the action."""
    said = phrases(language)["pages"]
    done = sorted(
        (a for a in actions if a.done and a.done <= as_of and a.public and language in a.public),
        key=lambda a: (a.done, a.id),
        reverse=True,
    )
    if not done:
        return f"<p>{escape(said['said_none'])}</p>"
    items = "".join(
        f'<li><p>{escape(a.public[language])}</p><p class="you-said-when">'  # type: ignore[index]
        f"{escape(said['said_done'].format(month=period_name(f'{a.done:%Y-%m}', language)))}"
        "</p></li>"
        for a in done
    )
    return f'<ul class="you-said">{items}</ul>'


def call_to_action(language: str, url: str) -> str:
    """The home page's one button: to "How to complain"."""
    said = phrases(language)["pages"]
    return (
        f'<p class="call-to-action"><a class="md-button md-button--primary" href="{escape(url)}">'
        f"{escape(said['cta'])}</a></p>"
    )
