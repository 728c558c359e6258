"""The policy in words: the sentences and timeline the public site publishes.

Pure functions over a `schema.Policy`. Every number comes from the policy; every word comes
from the language's phrase table, `scripts/text/phrases/<language>.yaml` (one file per
language, the same keys in each). Plural forms, digits, day and country names and the
punctuation of lists come from Babel's CLDR data, so "1 working day", "2 робочі дні" and
"۲۰ روز کاری" are each right for their language.

A target of 0 days is published as "on the day we receive it, or on the next working day",
which is what `Calendar.add(start, 0)` computes; a `max_extension` of 0 as "we do not
extend". `very_overdue_after` is an internal escalation threshold and is never published.

In a right-to-left language, names and addresses taken from the policy (a recourse body,
its website, a subdivision code) are wrapped in Unicode isolates (U+2068 ... U+2069), so a
Latin name does not drag the punctuation around it to the wrong side.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import yaml
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Policy
from complaints_register.schema.policy import DatedTargets, Targets
from complaints_register.text.numerals import digits, number

if TYPE_CHECKING:
    from complaints_register.core.regimes import Regime

__all__ = ["PRINCIPLES", "PolicyWords", "Step", "languages_supported", "policy_in_words"]

_LANGUAGES = ("en", "id", "uk", "et", "it", "fa")

PRINCIPLES = (
    "commitment",
    "capability",
    "transparency",
    "accessibility",
    "responsiveness",
    "objectivity",
    "no_charge",
    "information_integrity",
    "confidentiality",
    "customer_focus",
    "accountability",
    "continual_improvement",
    "competence",
    "timeliness",
)
"""The guiding principles of ISO 10002 (DESIGN.md section 2), in the order published."""

_StepName = Literal["acknowledge", "respond"]
_Priority = Literal["normal", "urgent"]

# Each stage's steps: (step, priority, phrase key).
_STAGE_STEPS: tuple[tuple[_StepName, _Priority | None, str], ...] = (
    ("acknowledge", None, "acknowledge"),
    ("respond", "normal", "respond"),
    ("respond", "urgent", "respond_urgent"),
)
# The timeline, in the order it is published: (stage, step, priority, phrase key).
_STEPS = tuple(
    (stage, step, priority, key) for stage in (1, 2) for step, priority, key in _STAGE_STEPS
)

_ISOLATE = ("\u2068", "\u2069")  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE


@dataclass(frozen=True)
class Step:
    """One target of the timeline, e.g. stage 1, "respond", "urgent", 5 working days."""

    stage: int  # 1 (the complaint) or 2 (the internal review)
    step: _StepName
    priority: _Priority | None  # None for acknowledge
    days: int  # the target, from policy.yaml
    unit: Literal["working", "calendar"]  # policy.calendar.days
    title: str  # "Acknowledgement"
    duration: str  # "2 working days" (or "same day" for 0)
    text: str  # the sentence: "We acknowledge your complaint within..."


@dataclass(frozen=True)
class PolicyWords:
    """Everything the site publishes about the policy, in one language."""

    language: str
    direction: Literal["ltr", "rtl"]
    stages: tuple[str, str]  # headings of stage 1 and stage 2
    timeline: tuple[Step, ...]  # stage 1 then 2: acknowledge, respond, respond urgently
    pauses: str  # waiting for information stops the clock
    extensions: str  # up to max_extension more days, and why
    internal_review: str  # stage 2 by someone not involved, with its targets
    external_recourse: tuple[str, ...]  # one sentence per recourse body, or one saying none
    working_days: str  # what counts as a working day, how days are counted
    principles: tuple[tuple[str, str], ...]  # (title, sentence) for each of PRINCIPLES
    coming: tuple[str, ...] = ()  # a version of the targets decided for later: when, then each step

    @property
    def commitments(self) -> tuple[str, ...]:
        """The timeline's sentences, in order."""
        return tuple(step.text for step in self.timeline)


def languages_supported() -> tuple[str, ...]:
    """The languages that have a phrase table, as ISO 639-1 codes."""
    return _LANGUAGES


def policy_in_words(policy: Policy, language: str, on: date | None = None) -> PolicyWords:
    """The published policy in `language`, with the targets in force `on` that day (the
    newest version when None) and the next version, if one is decided, with its date;
    ValueError for a language without phrases."""
    speaker = _speaker(language)
    phrases = speaker.phrases
    versions = policy.target_versions()
    targets = policy.targets_on(on) if on is not None else versions[-1]
    coming = policy.coming_targets(on) if on is not None else None
    timeline = tuple(_step(speaker, policy, targets, *step) for step in _STEPS)
    stage2 = " ".join(step.text for step in timeline if step.stage == 2)
    return PolicyWords(
        language=language,
        direction=speaker.direction,
        stages=tuple(
            phrases["stages"][f"stage{n}"].format(stage=speaker.number(n)) for n in (1, 2)
        ),
        timeline=timeline,
        pauses=phrases["pauses"],
        extensions=_extensions(speaker, policy, targets),
        internal_review=f"{phrases['internal_review']} {stage2}",
        external_recourse=_recourse(speaker, policy),
        working_days=_working_days(speaker, policy),
        principles=tuple(
            (phrases["principles"][key]["title"], phrases["principles"][key]["text"])
            for key in PRINCIPLES
        ),
        coming=_coming(speaker, policy, coming) if coming else (),
    )


def _coming(speaker: "_Speaker", policy: Policy, version: DatedTargets) -> tuple[str, ...]:
    """When the next version of the targets applies, then each of its steps in a sentence."""
    when = format_date(version.start, format="long", locale=speaker.locale)
    heading = speaker.phrases["coming"].format(date=speaker.isolate(digits(when, speaker.locale)))
    return (heading, *(_step(speaker, policy, version, *step).text for step in _STEPS))


@dataclass(frozen=True)
class _Speaker:
    """A language's phrases and the CLDR rules for writing numbers and lists in it."""

    language: str
    phrases: dict[str, Any]  # parsed YAML
    locale: Locale

    @property
    def direction(self) -> Literal["ltr", "rtl"]:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def number(self, n: int) -> str:
        return number(n, self.locale)

    def days(self, n: int, unit: str, form: str) -> str:
        """`n` days, in `form` ("days": inside a sentence; "days_alone": standing alone)."""
        forms: dict[str, str] = self.phrases[form][unit]  # by plural form
        return forms[self.locale.plural_form(n)].format(n=self.number(n))

    def fill(self, template: str, n: int, unit: str) -> str:
        return template.format(
            days=self.days(n, unit, "days"), days_alone=self.days(n, unit, "days_alone")
        )

    def isolate(self, text: str) -> str:
        return f"{_ISOLATE[0]}{text}{_ISOLATE[1]}" if self.direction == "rtl" else text

    def list(self, items: list[str]) -> str:
        return format_list(items, locale=self.locale)


def _speaker(language: str) -> _Speaker:
    if language not in _LANGUAGES:
        raise ValueError(
            f"no wording for language {language!r}; supported: {', '.join(_LANGUAGES)}"
        )
    return _Speaker(language, _phrases(language), Locale.parse(language))


@cache
def _phrases(language: str) -> dict[str, Any]:
    text = (resources.files("complaints_register.text") / "phrases" / f"{language}.yaml").read_text(
        "utf-8"
    )
    phrases: dict[str, Any] = yaml.safe_load(text)
    return phrases


def _step(
    speaker: _Speaker,
    policy: Policy,
    version: Targets,
    stage: int,
    step: _StepName,
    priority: _Priority | None,
    key: str,
) -> Step:
    targets = version.stage(stage)
    days = targets.acknowledge if priority is None else getattr(targets.respond, priority)
    own = targets.acknowledge_unit if priority is None else targets.respond.unit
    unit: Literal["working", "calendar"] = (
        policy.calendar.days if own is None else "working" if own == "working" else "calendar"
    )
    phrases = speaker.phrases["steps"][f"stage{stage}"][key]
    if days == 0:
        duration, text = speaker.phrases["same_day"], phrases["same_day"]
    else:
        duration = speaker.days(days, unit, "days_alone")
        text = speaker.fill(phrases["within"], days, unit)
    return Step(stage, step, priority, days, unit, phrases["title"], duration, text)


def _extensions(speaker: _Speaker, policy: Policy, targets: Targets) -> str:
    phrases: dict[str, str] = speaker.phrases["extensions"]
    if targets.max_extension == 0:
        return phrases["none"]
    return speaker.fill(phrases["up_to"], targets.max_extension, policy.calendar.days)


def _recourse(speaker: _Speaker, policy: Policy) -> tuple[str, ...]:
    phrases = speaker.phrases["recourse"]
    if not policy.recourse:
        return (phrases["none"],)
    limits = _time_limits(policy)
    sentences = []
    for body in policy.recourse:
        named = speaker.isolate(f"{body.name} ({body.website})" if body.website else body.name)
        sentence = phrases[body.kind].format(body=named)
        months = limits.get(body.name)
        if months is not None:  # the regime's external body: by when (its time limit)
            limit = phrases["time_limit"].format(
                body=speaker.isolate(body.name), days=speaker.days(months, "months", "days")
            )
            sentence = f"{sentence} {limit}"
        sentences.append(sentence)
    return tuple(sentences)


def _regime(policy: Policy) -> "Regime | None":
    """The regime the policy names (None: none, or one this version does not know)."""
    if policy.regime is None:
        return None
    from complaints_register.store.regimes import regime

    try:
        return regime(policy.regime)
    except ValueError:
        return None  # `check` says so


def _time_limits(policy: Policy) -> dict[str, int]:
    """The regime's external body and how many months a complainant has to go to it."""
    found = _regime(policy)
    body = found.body if found else None
    return {body.name: body.months} if body and body.months else {}


def _working_days(speaker: _Speaker, policy: Policy) -> str:
    phrases = speaker.phrases["working_days"]
    settings = policy.calendar
    exceptions = []
    weekend = sorted(calendar_for(policy).weekend)  # the country's own when the policy has none
    if weekend:
        names = [speaker.locale.days["format"]["wide"][day] for day in weekend]
        exceptions.append(phrases["weekend"].format(weekdays=speaker.list(names)))
    place = speaker.locale.territories.get(settings.country, settings.country)
    if settings.subdivision:
        place = phrases["place"].format(
            country=place, subdivision=speaker.isolate(settings.subdivision)
        )
    exceptions.append(phrases["holidays"].format(place=place))
    if settings.closures:
        exceptions.append(phrases["closures"])
    found = _regime(policy)
    sentences = [phrases["regime"].format(body=speaker.isolate(found.title))] if found else []
    if settings.days == "calendar":
        sentences.append(phrases["calendar"])
    sentences.append(phrases["counting"])
    steps = [version.stage(number) for version in policy.target_versions() for number in (1, 2)]
    if any(step.respond.counts_from == "acknowledgement" for step in steps):
        sentences.append(phrases["from_acknowledgement"])
    units = {unit for step in steps for unit in (step.acknowledge_unit, step.respond.unit)}
    if "calendar-exact" in units:
        sentences.append(phrases["calendar_exact"])
    sentences.append(phrases["working"].format(exceptions=speaker.list(exceptions)))
    return " ".join(sentences)
