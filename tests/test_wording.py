"""Tests for scripts/wording.py, the policy in words (issue 3, item 4).

Expected numbers are read from register/policy.yaml by eye (stage 1: acknowledge 2,
respond 20, urgent 5; stage 2: acknowledge 3, respond 20, urgent 10; max_extension 10) and
read back out of the sentences, digits of any script included (Python's \\d and int() read
Persian digits). Expected words were worked out by hand from each language's grammar; the
comment on each table says how.
"""

import re
import string
from datetime import date
from pathlib import Path

import pytest
import yaml
from babel import Locale
from conftest import EXAMPLE

from complaints_register.core.working_days import calendar_for
from complaints_register.schema import Policy
from complaints_register.store.register import Register
from complaints_register.text.wording import PRINCIPLES, languages_supported, policy_in_words

LANGUAGES = ("en", "id", "uk", "et", "it", "fa")
PHRASES = Path(__file__).parent.parent / "scripts" / "text" / "phrases"
ISOLATES = "\u2068\u2069"


@pytest.fixture(scope="module")
def example() -> Policy:
    return Register(EXAMPLE).policy()


def varied(policy: Policy, changes: dict) -> Policy:
    """`policy` with the values at dotted paths replaced, validated again."""
    data = policy.model_dump(mode="json")
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return Policy.model_validate(data)


def numbers(text: str) -> list[int]:
    """The numbers written in `text`, in any script's digits, group separators allowed."""
    written = re.findall(r"\d+(?:[,.٬\xa0]\d{3})*", text)
    return [int(re.sub(r"\D", "", number)) for number in written]


def texts(words) -> dict[str, str]:
    """Every published string of a PolicyWords, by where it is."""
    found = {f"stages[{i}]": stage for i, stage in enumerate(words.stages)}
    found |= {
        name: getattr(words, name)
        for name in ("pauses", "extensions", "internal_review", "working_days")
    }
    found |= {f"external_recourse[{i}]": text for i, text in enumerate(words.external_recourse)}
    for i, step in enumerate(words.timeline):
        found |= {
            f"timeline[{i}].{part}": getattr(step, part) for part in ("title", "duration", "text")
        }
    for i, (title, text) in enumerate(words.principles):
        found |= {f"principles[{i}].title": title, f"principles[{i}].text": text}
    return found


def load_phrases(language: str) -> dict:
    return yaml.safe_load((PHRASES / f"{language}.yaml").read_text("utf-8"))


# --- languages --------------------------------------------------------------------------


def test_the_six_languages_are_supported(example):
    assert languages_supported() == LANGUAGES
    assert set(example.languages) <= set(languages_supported())


@pytest.mark.parametrize("language", ["de", "EN", "", "english", "fa-IR"])
def test_an_unknown_language_is_a_clear_error(example, language):
    with pytest.raises(ValueError) as raised:
        policy_in_words(example, language)
    message = str(raised.value)
    assert repr(language) in message
    assert "en, id, uk, et, it, fa" in message


@pytest.mark.parametrize("language", LANGUAGES)
def test_persian_is_right_to_left_and_the_others_left_to_right(example, language):
    words = policy_in_words(example, language)
    assert words.language == language
    assert words.direction == ("rtl" if language == "fa" else "ltr")


# --- the example policy -----------------------------------------------------------------

# (stage, step, priority, days) in the published order, read from register/policy.yaml.
EXAMPLE_TIMELINE = [
    (1, "acknowledge", None, 2),
    (1, "respond", "normal", 20),
    (1, "respond", "urgent", 5),
    (2, "acknowledge", None, 3),
    (2, "respond", "normal", 20),
    (2, "respond", "urgent", 10),
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_timeline_says_the_example_policys_numbers(example, language):
    words = policy_in_words(example, language)
    assert [(s.stage, s.step, s.priority, s.days) for s in words.timeline] == EXAMPLE_TIMELINE
    for step, (*_, days) in zip(words.timeline, EXAMPLE_TIMELINE, strict=True):
        assert step.unit == "working"
        assert numbers(step.text) == [days], step.text
        assert numbers(step.duration) == [days], step.duration
        assert numbers(step.title) == []
    assert words.commitments == tuple(step.text for step in words.timeline)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_other_sentences_say_the_example_policys_numbers(example, language):
    words = policy_in_words(example, language)
    assert [numbers(stage) for stage in words.stages] == [[1], [2]]
    assert numbers(words.extensions) == [10]
    assert numbers(words.internal_review) == [3, 20, 10]  # stage 2's targets, in order
    assert numbers(words.pauses) == []
    assert numbers(words.working_days) == []
    assert [numbers(sentence) for sentence in words.external_recourse] == [[], []]
    assert all(numbers(title + text) == [] for title, text in words.principles)


def test_the_english_wording_of_the_example_policy(example):
    words = policy_in_words(example, "en")
    assert words.stages == ("Stage 1: your complaint", "Stage 2: internal review")
    assert words.commitments[:2] == (
        "We acknowledge your complaint within 2 working days of receiving it.",
        "We send you our response within 20 working days of receiving your complaint.",
    )
    assert words.timeline[0].duration == "2 working days"
    assert words.external_recourse == (
        "You can take your complaint to the ombudsman: Lagoon Utilities Ombudsman"
        " (https://ombudsman.example.org).",
        "You can report the matter to the regulator: Regional Water Services Authority of"
        " the Lagoon (https://regulator.example.org).",
    )
    # Italy: Saturday and Sunday off; the example policy has closures.
    assert words.working_days == (
        "We start counting on the day after we receive your complaint (or your request for"
        " a review). Working days are all days except the weekend (Saturday and Sunday),"
        " public holidays (Italy), and days when our office is closed."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_persian_writes_persian_digits_and_the_others_latin_digits(example, language):
    published = " ".join(texts(policy_in_words(example, language)).values())
    latin, persian = re.findall(r"[0-9]", published), re.findall(r"[۰-۹]", published)
    if language == "fa":
        assert latin == [] and "۲۰" in published
    else:
        assert persian == [] and "20" in published


@pytest.mark.parametrize("language", LANGUAGES)
def test_everything_is_filled_in(example, language):
    for text in texts(policy_in_words(example, language)).values():
        assert text.strip() and "{" not in text and "}" not in text, text


# --- the numbers come from the policy and nowhere else ----------------------------------

# (dotted path in policy.yaml, the strings that publish it: nothing else may change).
# Stage 2's targets are repeated in the internal review paragraph.
PUBLISHED_NUMBERS = [
    ("targets.stage1.acknowledge", {"timeline[0].text", "timeline[0].duration"}),
    ("targets.stage1.respond.normal", {"timeline[1].text", "timeline[1].duration"}),
    ("targets.stage1.respond.urgent", {"timeline[2].text", "timeline[2].duration"}),
    ("targets.stage2.acknowledge", {"timeline[3].text", "timeline[3].duration", "internal_review"}),
    (
        "targets.stage2.respond.normal",
        {"timeline[4].text", "timeline[4].duration", "internal_review"},
    ),
    (
        "targets.stage2.respond.urgent",
        {"timeline[5].text", "timeline[5].duration", "internal_review"},
    ),
    ("targets.max_extension", {"extensions"}),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path, where", PUBLISHED_NUMBERS)
def test_changing_a_number_in_the_policy_changes_the_sentences_that_say_it(
    example, language, path, where
):
    before = texts(policy_in_words(example, language))
    after = texts(policy_in_words(varied(example, {path: 13}), language))
    assert {name for name in before if before[name] != after[name]} == where
    for name in where - {"internal_review"}:
        assert numbers(after[name]) == [13], after[name]
    if "internal_review" in where:
        assert numbers(after["internal_review"]).count(13) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_very_overdue_after_is_internal_and_never_published(example, language):
    assert policy_in_words(
        varied(example, {"targets.very_overdue_after": 37}), language
    ) == policy_in_words(example, language)


def test_no_phrase_has_a_number_typed_into_it():
    for language in LANGUAGES:
        for path, text in leaves(load_phrases(language)):
            assert not re.search(r"\d", text), f"{language}.yaml {path}: {text}"


# --- plural forms -----------------------------------------------------------------------

# (language, days, the timeline's duration, part of the sentence). By hand:
# en, it: singular for 1 only ("1 working day", "1 giorno lavorativo"); Italian takes "di"
#   after a million ("1.000.000 di giorni").
# id: nouns do not change after numbers ("1 hari kerja", "2 hari kerja").
# et: nominative singular after 1, partitive singular after others ("1 tööpäev",
#   "2 tööpäeva"); "jooksul" takes the genitive, which is "tööpäeva" for both.
# uk: 1, 21 (ends in 1, not 11): "робочий день"; 2-4, 22 (not 12-14): "робочі дні"; 0, 5-20,
#   11, 25: "робочих днів"; "протягом" takes the genitive: "1 робочого дня",
#   "2 робочих днів", "21 робочого дня".
# fa: the noun stays singular after every number; Persian digits, and the Arabic thousands
#   separator U+066C ("۱٬۰۰۰").
ACKNOWLEDGE_IN = [
    ("en", 1, "1 working day", "within 1 working day of receiving it"),
    ("en", 2, "2 working days", "within 2 working days of receiving it"),
    ("it", 1, "1 giorno lavorativo", "Entro 1 giorno lavorativo dal ricevimento"),
    ("it", 2, "2 giorni lavorativi", "Entro 2 giorni lavorativi dal ricevimento"),
    ("id", 1, "1 hari kerja", "paling lambat 1 hari kerja setelah"),
    ("id", 2, "2 hari kerja", "paling lambat 2 hari kerja setelah"),
    ("et", 1, "1 tööpäev", "1 tööpäeva jooksul"),
    ("et", 2, "2 tööpäeva", "2 tööpäeva jooksul"),
    ("uk", 1, "1 робочий день", "протягом 1 робочого дня"),
    ("uk", 2, "2 робочі дні", "протягом 2 робочих днів"),
    ("uk", 4, "4 робочі дні", "протягом 4 робочих днів"),
    ("uk", 5, "5 робочих днів", "протягом 5 робочих днів"),
    ("uk", 11, "11 робочих днів", "протягом 11 робочих днів"),
    ("uk", 21, "21 робочий день", "протягом 21 робочого дня"),
    ("uk", 22, "22 робочі дні", "протягом 22 робочих днів"),
    ("uk", 25, "25 робочих днів", "протягом 25 робочих днів"),
    ("fa", 1, "۱ روز کاری", "ظرف ۱ روز کاری"),
    ("fa", 20, "۲۰ روز کاری", "ظرف ۲۰ روز کاری"),
    ("fa", 1000, "۱٬۰۰۰ روز کاری", "ظرف ۱٬۰۰۰ روز کاری"),
]


@pytest.mark.parametrize(
    "language, days, duration, sentence",
    ACKNOWLEDGE_IN,
    ids=[f"{row[0]}-{row[1]}" for row in ACKNOWLEDGE_IN],
)
def test_a_number_of_days_takes_the_right_plural_form(example, language, days, duration, sentence):
    words = policy_in_words(varied(example, {"targets.stage1.acknowledge": days}), language)
    assert words.timeline[0].duration == duration
    assert sentence in words.timeline[0].text


# The extension sentence: Ukrainian "на" takes the accusative, the same as the nominative
# for "день" (1, 21: "робочий день"; 2: "робочі дні"; 5: "робочих днів"); Estonian "võrra"
# takes the genitive ("1 tööpäeva võrra").
EXTEND_BY = [
    ("en", 1, "by up to 1 working day."),
    ("uk", 1, "щонайбільше на 1 робочий день."),
    ("uk", 2, "щонайбільше на 2 робочі дні."),
    ("uk", 5, "щонайбільше на 5 робочих днів."),
    ("uk", 21, "щонайбільше на 21 робочий день."),
    ("et", 1, "kuni 1 tööpäeva võrra."),
    ("it", 1, "di non più di 1 giorno lavorativo."),
    ("fa", 1, "حداکثر ۱ روز کاری تمدید کنیم."),
]


@pytest.mark.parametrize(
    "language, days, sentence", EXTEND_BY, ids=[f"{row[0]}-{row[1]}" for row in EXTEND_BY]
)
def test_the_extension_limit_takes_the_right_plural_form(example, language, days, sentence):
    words = policy_in_words(varied(example, {"targets.max_extension": days}), language)
    assert sentence in words.extensions


# --- zero days: the same day (or the next working day) ----------------------------------


def test_zero_days_means_the_day_itself_or_the_next_working_day(example):
    # What the wording promises for a target of 0 is what the calendar computes: Saturday
    # 4 April 2026 is followed by Easter Sunday and Easter Monday (a holiday in Italy), so
    # a complaint that arrives that Saturday is due on Tuesday 7 April.
    assert calendar_for(example).add(date(2026, 4, 4), 0) == date(2026, 4, 7)
    words = policy_in_words(varied(example, {"targets.stage1.acknowledge": 0}), "en")
    assert words.timeline[0].duration == "same day"
    assert words.timeline[0].text == (
        "We acknowledge your complaint on the day we receive it, or on the next working day"
        " if it arrives when we are closed."
    )


ZERO_TARGETS = {path: 0 for path, where in PUBLISHED_NUMBERS}


@pytest.mark.parametrize("language", LANGUAGES)
def test_zero_days_are_said_in_words_in_every_language(example, language):
    before = policy_in_words(example, language)
    words = policy_in_words(varied(example, ZERO_TARGETS), language)
    for step, old in zip(words.timeline, before.timeline, strict=True):
        assert step.days == 0 and numbers(step.text + step.duration) == []
        assert step.text != old.text
    assert len({step.text for step in words.timeline}) == 6
    assert numbers(words.extensions) == [] and words.extensions != before.extensions
    assert numbers(words.internal_review) == []


def test_no_extension_is_said_plainly(example):
    words = policy_in_words(varied(example, {"targets.max_extension": 0}), "en")
    assert words.extensions == "We do not extend the time limit for our response."


# --- calendar days ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_calendar_days_are_named_and_explained(example, language):
    working = policy_in_words(example, language)
    words = policy_in_words(varied(example, {"calendar.days": "calendar"}), language)
    assert all(step.unit == "calendar" for step in words.timeline)
    assert [numbers(s.text) for s in words.timeline] == [numbers(s.text) for s in working.timeline]
    assert all(
        new.text != old.text for new, old in zip(words.timeline, working.timeline, strict=True)
    )
    # The roll-forward rule comes first, then the same definition of a working day.
    assert words.working_days.endswith(working.working_days)
    assert len(words.working_days) > len(working.working_days)


def test_calendar_days_in_english_and_ukrainian(example):
    policy = varied(example, {"calendar.days": "calendar", "targets.stage1.acknowledge": 2})
    english = policy_in_words(policy, "en")
    assert (
        english.timeline[0].text
        == "We acknowledge your complaint within 2 calendar days of receiving it."
    )
    assert english.working_days.startswith(
        "Our time limits count calendar days, weekends and public holidays included; if a"
        " time limit ends on a day that is not a working day, it moves to the next working day."
    )
    # 2 (few): "календарні дні" alone, "календарних днів" after "протягом".
    ukrainian = policy_in_words(policy, "uk")
    assert ukrainian.timeline[0].duration == "2 календарні дні"
    assert "протягом 2 календарних днів" in ukrainian.timeline[0].text


# --- what counts as a working day -------------------------------------------------------

# (calendar settings, the English sentence's list of exceptions). Weekends by hand: Italy
# and the UK rest on Saturday and Sunday, Iran on Friday (the `holidays` package agrees).
WORKING_DAYS = [
    ({"calendar.closures": []}, "the weekend (Saturday and Sunday) and public holidays (Italy)"),
    (
        {"calendar.country": "IR", "calendar.timezone": "Asia/Tehran", "calendar.closures": []},
        "the weekend (Friday) and public holidays (Iran)",
    ),
    (
        {"calendar.weekend": ["friday", "saturday"]},
        "the weekend (Friday and Saturday), public holidays (Italy), and days when our office"
        " is closed",
    ),
    ({"calendar.weekend": [], "calendar.closures": []}, "public holidays (Italy)"),
    (
        {
            "calendar.country": "GB",
            "calendar.subdivision": "NIR",
            "calendar.timezone": "Europe/London",
        },
        "the weekend (Saturday and Sunday), public holidays (United Kingdom, NIR), and days"
        " when our office is closed",
    ),
]


@pytest.mark.parametrize(
    "changes, exceptions",
    WORKING_DAYS,
    ids=["no closures", "Iran", "own weekend", "no weekend", "subdivision"],
)
def test_working_days_name_the_weekend_the_country_and_closures(example, changes, exceptions):
    words = policy_in_words(varied(example, changes), "en")
    assert words.working_days.endswith(f" Working days are all days except {exceptions}.")


def test_working_days_in_persian_name_the_days_and_country_in_persian(example):
    policy = varied(example, {"calendar.country": "IR", "calendar.timezone": "Asia/Tehran"})
    words = policy_in_words(policy, "fa")
    assert "(جمعه)" in words.working_days  # Friday
    assert "(ایران)" in words.working_days  # Iran


# --- external recourse ------------------------------------------------------------------

RECOURSE = [
    {"kind": "adr", "name": "Consumer Mediation Service", "website": "https://adr.example.org"},
    {"kind": "court", "name": "Civil Court of the Lagoon"},
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_sentence_per_recourse_body_with_its_name_and_website(example, language):
    words = policy_in_words(varied(example, {"recourse": RECOURSE}), language)
    first, second = words.external_recourse
    assert "Consumer Mediation Service (https://adr.example.org)" in first
    assert "Civil Court of the Lagoon" in second and "(" not in second
    if language == "fa":
        assert "\u2068Civil Court of the Lagoon\u2069" in second
    else:
        assert not set(ISOLATES) & set(first + second)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_recourse_body_is_one_sentence_saying_so(example, language):
    words = policy_in_words(varied(example, {"recourse": []}), language)
    assert len(words.external_recourse) == 1
    assert words.external_recourse[0] not in policy_in_words(example, language).external_recourse


def test_no_recourse_body_in_english(example):
    words = policy_in_words(varied(example, {"recourse": []}), "en")
    assert words.external_recourse == (
        "This policy names no outside body; if you are still not satisfied after our internal"
        " review, you keep every right the law gives you.",
    )


def test_the_english_sentence_for_each_kind_of_body(example):
    words = policy_in_words(varied(example, {"recourse": RECOURSE}), "en")
    assert words.external_recourse == (
        "You can ask an independent dispute resolution body to help settle the matter:"
        " Consumer Mediation Service (https://adr.example.org).",
        "You can take the matter to court: Civil Court of the Lagoon.",
    )


# --- the guiding principles -------------------------------------------------------------

# DESIGN.md section 2, in its order.
ENGLISH_PRINCIPLES = [
    "Commitment",
    "Capability",
    "Transparency",
    "Accessibility",
    "Responsiveness",
    "Objectivity",
    "No charge",
    "Information integrity",
    "Confidentiality",
    "Customer focus",
    "Accountability",
    "Continual improvement",
    "Competence",
    "Timeliness",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_fourteen_principles_in_every_language(example, language):
    principles = policy_in_words(example, language).principles
    assert len(PRINCIPLES) == len(principles) == 14
    assert len({title for title, _ in principles}) == 14
    assert all(text.endswith(".") and len(text) > len(title) for title, text in principles)
    if language == "en":
        assert [title for title, _ in principles] == ENGLISH_PRINCIPLES


# --- the phrase tables ------------------------------------------------------------------

PLURAL_TABLES = ("days", "days_alone")


def leaves(table: dict, path: str = ""):
    """(dotted path, text) of every phrase in a table."""
    for key, value in table.items():
        where = f"{path}.{key}" if path else str(key)
        if isinstance(value, dict):
            yield from leaves(value, where)
        else:
            yield where, value


def keys(table: dict) -> set[str]:
    """The dotted paths of a table, with each set of plural forms counted as one phrase."""
    return {
        ".".join(path.split(".")[:2]) if path.split(".")[0] in PLURAL_TABLES else path
        for path, _ in leaves(table)
    }


def test_there_is_one_phrase_table_per_supported_language():
    assert sorted(p.stem for p in PHRASES.glob("*.yaml")) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_key_and_no_other(language):
    english, other = keys(load_phrases("en")), keys(load_phrases(language))
    assert sorted(english - other) == [], f"{language}.yaml misses keys"
    assert sorted(other - english) == [], f"{language}.yaml has keys English does not"


def test_a_missing_or_extra_key_is_noticed():
    table = load_phrases("it")
    del table["steps"]["stage2"]["respond"]["title"]
    table["extensions"]["spare"] = "…"
    assert keys(load_phrases("en")) - keys(table) == {"steps.stage2.respond.title"}
    assert keys(table) - keys(load_phrases("en")) == {"extensions.spare"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_are_exactly_the_languages_cldr_categories(language):
    # Babel's rule lists every category but "other", which every language has.
    categories = set(Locale.parse(language).plural_form.tags) | {"other"}
    table = load_phrases(language)
    for name in PLURAL_TABLES:
        for unit, forms in table[name].items():
            assert set(forms) == categories, f"{language}.yaml {name}.{unit}"
            assert all(form.count("{n}") == 1 for form in forms.values())


ALLOWED_FIELDS = {
    "days",
    "days_alone",
    "n",
    "stage",
    "body",
    "weekdays",
    "place",
    "country",
    "subdivision",
    "exceptions",
    "date",  # the day a coming version of the targets applies
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_phrases_use_only_known_placeholders(language):
    for path, text in leaves(load_phrases(language)):
        fields = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        assert fields <= ALLOWED_FIELDS, f"{language}.yaml {path}: {fields}"
        if path.endswith(".within") or path == "extensions.up_to":
            assert fields & {"days", "days_alone"}, f"{language}.yaml {path}"


def test_persian_is_written_with_persian_letters():
    # Arabic yeh and kaf (U+064A, U+0643) look alike but are not Persian's ی and ک.
    for path, text in leaves(load_phrases("fa")):
        assert not {"\u064a", "\u0643"} & set(text), path
