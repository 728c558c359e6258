"""The public site as `complaints site` makes it, one Material for MkDocs project per
language (tests/sites.py builds each register once per session): every page in every language and in that language only, the policy's
own numbers, no confidential field anywhere, disclosure control on pages and downloads."""

import csv
import io
import json
import os
import re
import subprocess
from html import escape

import pytest
import yaml
from conftest import ROOT, installed
from registers import marked, markers, tempting
from sites import (
    AS_OF,
    COMPLAINTS,
    PAGES,
    SITE_CONTACT,
    build,
    built,
    config_copy,
    every_file,
    latin_digits,
    main_text,
    page,
    site_register,
)

LANGUAGES = ("en", "id", "uk", "et", "it", "fa")


@pytest.fixture(scope="session")
def example(tmp_path_factory):
    site, result = built("example", tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def marked_site(tmp_path_factory):
    site, result = built("marked", tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def tempting_site(tmp_path_factory):
    site, result = built("tempting", tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    return site


def test_the_example_register_builds_strictly(example, tmp_path_factory):
    _, result = built("example", tmp_path_factory.getbasetemp())
    assert "WARNING" not in result.stderr
    for language in LANGUAGES:
        for name in PAGES:
            html = page(example, language, name)
            assert f'<html lang="{language}" dir="{"rtl" if language == "fa" else "ltr"}"' in html
            assert "{{" not in main_text(html), (language, name)  # every placeholder filled


def phrase_fragments(language: str) -> set[str]:
    """Runs of two words or more of every phrase the site prints in `language`: the site's
    own, the policy wording's, and the hand-written pages' headings."""
    texts = []
    for table in (ROOT / "scripts" / "website" / "phrases", ROOT / "scripts" / "text" / "phrases"):
        texts += _leaves(yaml.safe_load((table / f"{language}.yaml").read_text(encoding="utf-8")))
    for path in (ROOT / "site").glob(f"*.{language}.md"):
        texts += [
            line.lstrip("# ")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")
        ]
    fragments = set()
    for text in texts:
        for fragment in re.split(r"\{[a-z_]+\}|[.:;,()?!«»“„\"]", text):
            if len(fragment.split()) >= 2:
                fragments.add(fragment.strip())
    return fragments


def _leaves(value) -> list[str]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_shows_another_languages_words(example, language):
    others = {other: phrase_fragments(other) for other in LANGUAGES if other != language}
    own = phrase_fragments(language)
    for name in PAGES:
        text = main_text(page(example, language, name))
        for other, fragments in others.items():
            leaked = sorted(f for f in fragments - own if f in text)
            assert leaked == [], (language, name, other, leaked[:5])


def switcher_link(language: str, name: str, other: str) -> str:
    """Where the switcher on page `name` in `language` leads for `other`: the same page."""
    if other == language:
        return "./"
    depth = (language != "en") + (name != "")
    return "../" * depth + ("" if other == "en" else f"{other}/") + name


def test_the_language_switcher_leads_to_the_same_page_in_each_language(example):
    for language in LANGUAGES:
        for name in PAGES:
            html = page(example, language, name)
            for other in LANGUAGES:
                link = f'<a href="{switcher_link(language, name, other)}" hreflang="{other}"'
                assert link in html, (language, name, other)


def test_policy_numbers_come_from_the_policy(tempting_site):
    # The tempting register's policy: stage 1 acknowledge 3, respond 17 (urgent 4);
    # stage 2 acknowledge 6, respond 19 (urgent 8); extensions up to 7; 5 and 25 for
    # disclosure. None of these is the example's.
    text = main_text(page(tempting_site, "en", "next/"))
    for days in (
        "3 working days",
        "17 working days",
        "4 working days",
        "6 working days",
        "19 working days",
        "8 working days",
        "up to 7 working days",
    ):
        assert days in text
    assert "Time limit: 17 working days; if it is urgent, 4 working days" in main_text(
        page(tempting_site, "en", "process/")
    )
    method = main_text(page(tempting_site, "en", "method/"))
    assert "fewer than 5" in method and "at least 25 complaints" in method
    # Published three months (the default) after a period ends, and never changed.
    assert "is published 3 months after it ends" in method
    fa = latin_digits(main_text(page(tempting_site, "fa", "next/")))
    assert "17 روز کاری" in fa


def test_the_policy_chooses_the_languages(tempting_site):
    # The test policy lists en, it and fa: only those are built, and the switcher offers them.
    assert (tempting_site / "it" / "index.html").exists() and (
        tempting_site / "fa" / "index.html"
    ).exists()
    assert not (tempting_site / "uk").exists() and not (tempting_site / "id").exists()
    home = page(tempting_site, "it", "")
    assert 'hreflang="fa"' in home and 'hreflang="uk"' not in home


def test_no_confidential_field_anywhere(marked_site):
    wanted = markers(marked())
    assert len(wanted) > 400  # every field of 40 complaints, and their IDs
    files = list(every_file(marked_site))
    names = {path.relative_to(marked_site).as_posix() for path, _ in files}
    assert {
        "search/search_index.json",
        "sitemap.xml",
        "sitemap.xml.gz",
        "statistics.csv",
        "statistics.json",
        "fa/statistics/index.html",
    } <= names
    for path, text in files:
        text = text.lower()
        assert [m for m in wanted if m.lower() in text] == [], path


def counts_shown(text: str) -> list[int]:
    """Every whole number in a text (Persian digits read as Latin ones)."""
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", latin_digits(text))]


@pytest.mark.parametrize("language", ["en", "it", "fa"])
def test_statistics_pages_show_no_small_count(tempting_site, language):
    html = page(tempting_site, language, "statistics/")
    tables = re.findall(r'<table class="statistics">.*?</table>', html, flags=re.S)
    assert tables
    for table in tables:
        cells = re.findall(r"<td>(.*?)</td>", table)
        for cell in cells:
            assert not [n for n in counts_shown(cell) if 0 < n < 5], (language, cell)
    fewer = {"en": "fewer than 5", "it": "meno di 5", "fa": "کمتر از ۵"}[language]
    assert fewer in html
    # The charts' bars carry the same numbers: none small, and none below 5 at all.
    for value in re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)</text>', html):
        assert counts_shown(value)[0] >= 5
    assert not re.search(r"\d{4}-\d{2}-\d{2}", latin_digits(main_text(html)))


KEYS = {  # what the key beside a table says of each note, in the tempting site's languages
    "en": {
        "fewer than 5": "fewer than 5: a number from 0 to 4;",
        "hidden": "hidden: a larger number, not shown",
        "too few to show": "too few to show: a percentage or average over fewer than 25",
    },
    "fa": {
        "کمتر از ۵": "کمتر از ۵: عددی از ۰ تا ۴؛",
        "پنهان": "پنهان: عددی بزرگ‌تر",
        "کمتر از آن که نمایش داده شود": "کمتر از آن که نمایش داده شود: درصد یا میانگینی از کمتر از ۲۵",
    },
}


@pytest.mark.parametrize("language", ["en", "fa"])
def test_each_table_says_beside_it_why_a_number_is_not_shown(tempting_site, language):
    html = page(tempting_site, language, "statistics/")
    # Each table, and the list that follows it before the next block or heading.
    blocks = re.findall(
        r'<table class="statistics">(.*?)</table></div>\s*(<ul class="table-key">.*?</ul>)?',
        html,
        flags=re.S,
    )
    assert len(blocks) > 5
    for table, key in blocks:
        key_text = re.sub(r"<[^>]+>", "", key)
        for note, meaning in KEYS[language].items():
            if f"<td>{note}</td>" in table:
                assert meaning in key_text, (note, key_text)
            else:
                assert meaning not in key_text  # only the notes this table has


def test_a_settle_day_reads_the_complaints_of_its_months_and_one_either_side():
    from complaints_register.store.recorded import ReceivedIn

    names = ReceivedIn(ROOT / "register", "2025-06", "2025-06").complaint_names()
    assert names == [
        "2025/C-2025-0520-RE62.yaml",
        "2025/C-2025-0528-0HFP.yaml",
        "2025/C-2025-0603-9PSG.yaml",
        "2025/C-2025-0616-V3C9.yaml",
        "2025/C-2025-0627-3HW0.yaml",
        "2025/C-2025-0708-J867.yaml",
        "2025/C-2025-0721-BKAX.yaml",
        "2025/C-2025-0730-C8WW.yaml",
    ]


def test_no_jargon_on_the_english_pages(example):
    for name in PAGES:
        text = main_text(page(example, "en", name)).lower()
        for word in ("upheld", "percentile", "escalat"):
            assert word not in text, (name, word)


def downloads(site):
    rows = list(csv.DictReader(io.StringIO((site / "statistics.csv").read_text(encoding="utf-8"))))
    data = json.loads((site / "statistics.json").read_text(encoding="utf-8"))
    return rows, data


def test_downloads_hold_the_published_figures_only(tempting_site):
    rows, data = downloads(tempting_site)
    assert len(rows) == len(data["figures"])
    for row, figure in zip(rows, data["figures"], strict=True):
        assert row["value"] == ("" if figure["value"] is None else str(figure["value"]))
        if row["unit"] == "count" and row["value"]:
            assert int(row["value"]) >= 5, row
    hidden = {(r["period"], r["table"], r["item"]) for r in rows if not r["value"]}
    # The month with one complaint, and the category with two, in every period.
    assert ("2026-05", "received", "all") in hidden
    assert {(p, "category", "service-quality") for p in ("2026-Q1", "2026-Q2")} <= hidden
    # As of 23 November 2026, settled three months after they end: months to July (31
    # October), quarters to the second; August (30 November), the third quarter (31
    # December) and the year 2026 not yet.
    periods = {r["period"] for r in rows}
    assert {"2026-07", "2026-Q2"} <= periods
    assert not periods & {"2026-08", "2026-Q3", "2026"}
    text = (tempting_site / "statistics.csv").read_text() + (
        tempting_site / "statistics.json"
    ).read_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_downloads_are_linked_from_every_statistics_page(example):
    for language in LANGUAGES:
        html = page(example, language, "statistics/")
        prefix = "../" if language == "en" else "../../"
        assert (
            f'href="{prefix}statistics.csv"' in html and f'href="{prefix}statistics.json"' in html
        )


def test_the_calendar_the_calculator_counts_with(tempting_site):
    calendar = json.loads((tempting_site / "calendar.json").read_text())
    assert calendar["weekend"] == [5, 6] and calendar["days"] == "working"
    assert calendar["first"] == "2025-01-01" and calendar["last"] == "2028-12-31"
    closed = set(calendar["closed"])
    # Italy: Easter Monday 2026-04-06 and 2027-03-29 (Easter is 28 March 2027), Christmas;
    # the test policy's closure 2026-12-24. Weekend days are never listed: Liberation Day
    # falls on a Saturday in 2026 and a Sunday in 2027, and Italy does not move it.
    assert {"2026-04-06", "2027-03-29", "2026-12-25", "2026-12-24"} <= closed
    assert not {"2026-04-25", "2027-04-25", "2027-04-26"} & closed
    (version,) = calendar["versions"]
    assert version["from"] == "0001-01-01"
    assert version["targets"]["1"] == {"acknowledge": 3, "respond": {"normal": 17, "urgent": 4}}
    assert version["targets"]["2"] == {"acknowledge": 6, "respond": {"normal": 19, "urgent": 8}}


# --- the pages an organisation needs -----------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_an_organisation_needs_exist_in_every_language(example, language):
    for name in ("limits/", "improvements/", "privacy/", "accessibility/"):
        text = main_text(page(example, language, name))
        assert "{{" not in text and len(text) > 300, (language, name)
    # Filled from the example's policy: 12 months to complain, 6 years kept, the ombudsman's
    # website linked with its 12 months, the regulator's without a limit of its own.
    limits = page(example, language, "limits/")
    assert '<a href="https://ombudsman.example.org">' in limits
    assert '<a href="https://regulator.example.org">' in limits
    assert "12" in latin_digits(main_text(limits))
    assert " 6 " in latin_digits(main_text(page(example, language, "privacy/")))
    assert "complaints@example.org" in page(example, language, "accessibility/")


def test_you_said_we_did_shows_what_was_done_for_the_public_and_nothing_else(example):
    actions = [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "register" / "actions").glob("*.yaml"))
    ]
    public = [a for a in actions if a.get("public")]
    assert len(public) == 1 and public[0]["done"]  # the example's one done, public action
    for language in LANGUAGES:
        html = page(example, language, "improvements/")
        assert html.count("<li><p>") == 1
        assert escape(public[0]["public"][language], quote=True) in html
    words = [a[key] for a in actions for key in ("what", "note", "owner") if a.get(key)]
    for path, text in every_file(example):
        for word in words:
            assert word not in text, (path, word)


def test_time_limits_privacy_and_opening_hours_come_from_the_policy(tempting_site):
    # tests/sites.py ODD_PAGES: 9 months to complain; an ombudsman with a website, an
    # address and 8 months; a court with nothing more; personal data kept 4 years; open
    # 08:30-16:30 on working days (Italy's: Monday to Friday).
    limits = main_text(page(tempting_site, "en", "limits/"))
    assert "up to 9 months after what went wrong" in limits
    assert "Address: Piazza di Prova 2, Roma Time limit: within 8 months of our final answer" in (
        limits
    )
    assert "Test Court Court Ask it about its own time limits." in limits
    assert '<a href="https://ombudsman.test.example/">Test Ombudsman</a>' in page(
        tempting_site, "en", "limits/"
    )
    assert "۹ ماه" in main_text(page(tempting_site, "fa", "limits/"))
    assert "for 4 years after" in main_text(page(tempting_site, "en", "privacy/"))
    assert "per 4 anni" in main_text(page(tempting_site, "it", "privacy/"))
    home = {
        language: re.sub(r" ([,.;:])", r"\1", main_text(page(tempting_site, language, "")))
        for language in ("en", "it")
    }  # no space left where a tag ended before a comma
    assert "Opening hours: Monday–Friday, 08:30-16:30, except public holidays" in home["en"]
    assert "lunedì–venerdì, 08:30-16:30, esclusi i giorni festivi" in home["it"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_has_one_call_to_action(example, language):
    html = page(example, language, "")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1]
    assert article.count("md-button--primary") == 1
    assert re.search(r'<a class="md-button md-button--primary" href="(\.\./)?complain/">', article)


# --- the build refuses what it cannot publish properly --------------------------------------


def test_a_policy_language_without_pages_stops_the_build(tmp_path):
    # The complaints are in Italian, so the policy lists it: check accepts the register.
    register = site_register(tmp_path / "register", tempting(), languages=["en", "it", "de"])
    result = build(register, tmp_path / "public")
    assert result.returncode != 0
    assert "policy.yaml lists languages the site has no pages in: de" in result.stderr


def test_a_page_missing_in_one_language_stops_the_build(tmp_path):
    config = config_copy(tmp_path)
    (tmp_path / "site" / "form.fa.md").unlink()
    register = site_register(tmp_path / "register", tempting())
    result = build(register, tmp_path / "public", config=config)
    assert result.returncode != 0
    assert "pages missing in a language the policy lists: form.<fa>.md" in result.stderr


def test_an_unknown_placeholder_stops_the_build(tmp_path):
    config = config_copy(tmp_path)
    page_file = tmp_path / "site" / "next.en.md"
    page_file.write_text(page_file.read_text() + "\nWe answer within {{ answer_days }}.\n")
    register = site_register(tmp_path / "register", tempting())
    result = build(register, tmp_path / "public", config=config)
    assert result.returncode != 0
    line = page_file.read_text().splitlines().index("We answer within {{ answer_days }}.") + 1
    assert f"site/next.en.md:{line}: unknown placeholder {{{{ answer_days }}}}" in result.stderr


def test_an_invalid_complaint_stops_the_build(tmp_path):
    register = site_register(tmp_path / "register", tempting())
    broken = next((register / "2026").glob("*.yaml"))
    broken.write_text(broken.read_text().replace("channel: email", "channel: [email"))
    result = build(register, tmp_path / "public")
    assert result.returncode != 0
    assert "the register is invalid (as `complaints check` says)" in result.stderr
    assert f"{broken}:" in result.stderr
    assert not (tmp_path / "public" / "statistics.csv").exists()


@pytest.mark.parametrize(
    "key, value",
    [
        ("summary", "Please write to jane.doe@example.com about the bill"),  # personal data
        ("category", "parking"),  # not one of the policy's categories
    ],
)
def test_a_register_check_refuses_stops_the_build(tmp_path, key, value):
    # Valid in shape (every file reads as a complaint) but refused by a rule that holds
    # whatever the date: the build stops with check's own messages, file and line.
    complaints = tempting()
    complaints[3][key] = value
    register = site_register(tmp_path / "register", complaints)
    refused = register / "2026" / f"{complaints[3]['id']}.yaml"
    line = next(
        n for n, text in enumerate(refused.read_text().splitlines(), 1) if text.startswith(key)
    )
    checked = installed("--register", str(register), "check", cwd=ROOT)
    assert checked.returncode == 1 and checked.stdout.startswith(f"{refused}:{line}: {key}: ")
    result = build(register, tmp_path / "public")
    assert result.returncode != 0
    assert "the register is invalid (as `complaints check` says)" in result.stderr
    for message in checked.stdout.splitlines():
        assert message in result.stderr
    assert not (tmp_path / "public" / "statistics.csv").exists()


@pytest.mark.parametrize(
    "contact, channels, refused",
    [
        # The test policy's channels are email, phone and letter: without a number and an
        # address, two of them lead nowhere.
        ({"email": "complaints@example.org"}, None, "phone, letter"),
        ({**SITE_CONTACT, "phone": None}, None, "phone"),
        # Social media needs an account; the web form, our e-mail address or a website.
        (SITE_CONTACT, ["email", "social-media"], "social-media"),
        ({"phone": "+39 06 5550 0000"}, ["phone", "web-form"], "web-form"),
    ],
)
def test_a_channel_with_no_way_in_stops_the_build(tmp_path, contact, channels, refused):
    changes = {"channels": channels} if channels else {}
    register = site_register(tmp_path / "register", [], contact=contact, **changes)
    result = build(register, tmp_path / "public")
    assert result.returncode != 0
    assert f"{register / 'policy.yaml'}: channels: {refused}: listed as a way to complain" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "public" / "index.html").exists()


def test_the_site_publishes_no_channel_of_the_policy_init_writes_until_it_is_reachable(
    tmp_path,
):
    # A new register's policy lists every channel and no contact detail yet: the site must
    # not list a way to complain that leads nowhere. Built as it is, it stops and names them.
    made = installed("init", str(tmp_path / "register"), "--country", "IT", cwd=ROOT)
    assert made.returncode == 0, made.stderr
    result = build(tmp_path / "register", tmp_path / "public")
    assert result.returncode != 0
    assert (
        "channels: email, phone, web-form, letter, in-person, social-media: listed as a way"
        in result.stderr
    )
    assert not (tmp_path / "public" / "index.html").exists()
    # Given an address and an e-mail address, the three channels they reach are published.
    text = (tmp_path / "register" / "policy.yaml").read_text()
    policy_yaml = yaml.safe_load(text)
    policy_yaml["contact"].update(email="complaints@example.org", address="1 High Street")
    policy_yaml["channels"] = ["email", "letter", "web-form"]
    (tmp_path / "register" / "policy.yaml").write_text(yaml.safe_dump(policy_yaml))
    assert build(tmp_path / "register", tmp_path / "public").returncode == 0


def test_nothing_generated_is_kept_in_the_repository():
    # The site is written to public/ (ignored); nothing is generated into site/.
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "/public/" in ignored
    made = {"statistics.csv", "statistics.json", "calendar.json"}
    assert not [p for p in (ROOT / "site").rglob("*") if p.name in made]


def test_ci_runs_the_readme_test_command_and_the_first_command_builds_the_site():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, flags=re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert ".venv/bin/complaints site &&" in commands[0] and "public/" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip("\n").splitlines()[-1]
    assert ci == commands[1]
    assert "apt-get install -y -qq chromium" in ci


# --- one project per language, the engine a choice ------------------------------------------


def sitemap_addresses(site) -> list[str]:
    xml = (site / "sitemap.xml").read_text(encoding="utf-8")
    return re.findall(r"<loc>([^<]*)</loc>", xml) + re.findall(r'href="([^"]*)"', xml)


@pytest.mark.parametrize(("name", "languages", "pages"), [("example", 6, 14), ("tempting", 3, 13)])
def test_the_sitemap_lists_every_page_and_nothing_that_is_not_there(
    example, tempting_site, name, languages, pages
):
    # The example: six languages, 13 pages and "Follow your complaint" (it has a tracking
    # secret); the tempting register: en, it and fa, without that page.
    site = {"example": example, "tempting": tempting_site}[name]
    base = "http://127.0.0.1:8000/"
    addresses = sitemap_addresses(site)
    assert addresses and all(a.startswith(base) for a in addresses)
    missing = [a for a in addresses if not (site / a[len(base) :] / "index.html").is_file()]
    assert missing == []
    locations = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text("utf-8"))
    assert len(locations) == len(set(locations)) == languages * pages
    assert not list(site.glob("*/sitemap.xml"))  # one sitemap, at the root


def test_each_language_has_its_own_search_index_of_its_own_pages(example):
    for language in LANGUAGES:
        folder = example if language == "en" else example / language
        index = json.loads((folder / "search" / "search_index.json").read_text("utf-8"))
        pages = {doc["location"] for doc in index["docs"] if "#" not in doc["location"]}
        # Its 14 pages, addressed from the language's root ("" is the home page).
        assert pages == set(PAGES) | {"follow/"}, language
        assert index["config"]["pipeline"] == ["stopWordFilter"]  # no trimmer: any alphabet
        home = page(example, language, "")
        assert '"base": "."' in home  # the search loads its own language's index


def test_each_language_is_a_project_of_its_own_with_no_hook_or_plugin_of_ours(tmp_path):
    # en, it and fa; a name with characters HTML escapes, which each engine escapes once.
    register = site_register(tmp_path / "register", tempting(), organisation='Tom & "Jerry"')
    result = build(register, tmp_path / "public")
    assert result.returncode == 0, result.stderr
    projects = tmp_path / "public-projects"
    config = yaml.safe_load((projects / "fa" / "mkdocs.yml").read_text(encoding="utf-8"))
    english = yaml.safe_load((projects / "en" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert english["site_name"] == 'Tom & "Jerry": complaints'
    home = page(tmp_path / "public", "en", "")
    assert "<title>Tom &amp; &#34;Jerry&#34;: complaints</title>" in home
    assert "&amp;amp;" not in home and '"Jerry"' not in home
    assert config["theme"]["language"] == "fa"
    assert "hooks" not in config
    assert [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]] == [
        "search",
        "privacy",
    ]
    assert [a["lang"] for a in config["extra"]["alternate"]] == ["en", "it", "fa"]
    assert config["site_url"] == "http://127.0.0.1:8000/fa/"
    # Plain Markdown: every placeholder filled, the numbers written out.
    markdown = (projects / "fa" / "docs" / "next.md").read_text(encoding="utf-8")
    assert "{{" not in markdown and "۲۰ روز کاری" in markdown  # stage 1: 20 working days


def test_a_folder_holding_the_project_or_the_register_or_a_link_is_never_emptied(tmp_path):
    register = site_register(tmp_path / "register", tempting())
    config = config_copy(tmp_path / "project")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "kept.txt").write_text("kept")
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    for out, said in (
        (tmp_path, "holds"),
        (register, "holds"),
        (tmp_path / "project", "holds"),
        (tmp_path / "link", "a link"),
    ):
        result = build(register, out, config=config)
        assert result.returncode == 1
        assert f"{out}: {said}" in result.stderr and "Traceback" not in result.stderr
    assert (register / "policy.yaml").is_file() and (tmp_path / "project" / "site").is_dir()
    assert (tmp_path / "elsewhere" / "kept.txt").read_text() == "kept"


def test_zensical_is_a_choice_that_says_what_it_lacks(tmp_path):
    # Zensical 0.1.3 needs zensical-ui 0.0.43 (its theme), which the package registry does
    # not have: the engine cannot be installed, and the build says so in one line.
    register = site_register(tmp_path / "register", tempting())
    result = build(register, tmp_path / "public", engine="zensical")
    try:
        import zensical  # noqa: F401
        import zensical_ui  # noqa: F401
    except ImportError:
        assert result.returncode == 1
        assert "zensical" in result.stderr and "Traceback" not in result.stderr
    else:  # installed: it builds every language of the policy, each searchable
        assert result.returncode == 0, result.stderr
        for folder in ("", "it/", "fa/"):
            assert (tmp_path / "public" / folder / "search" / "search_index.json").is_file()


def test_two_builds_at_once_give_one_whole_site(tmp_path):
    # Both empty and fill the same folders: the second waits for the first.
    register = site_register(tmp_path / "register", tempting())
    env = {**os.environ, "COMPLAINTS_REGISTER": str(register), "COMPLAINTS_AS_OF": AS_OF}
    command = [str(COMPLAINTS), "site", "--out", str(tmp_path / "public")]
    command += ["--projects", str(tmp_path / "projects")]
    runs = [
        subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for run in runs:
        assert run.wait(timeout=600) == 0, run.stderr.read() if run.stderr else ""
    for folder in ("", "it/", "fa/"):
        assert len(list((tmp_path / "public" / folder).glob("*/index.html"))) >= 12
    assert (tmp_path / "public" / "calendar.json").is_file()


# --- what a build must never read, delete or print ------------------------------------------


def a_project(tmp_path):
    """A copy of the site (mkdocs.yml and site/) with a small register beside it."""
    config = config_copy(tmp_path / "project")
    register = site_register(tmp_path / "project" / "register", tempting())
    return config, register


def test_out_and_projects_never_empty_the_projects_own_folders(tmp_path):
    from complaints_register.website.errors import SiteError
    from complaints_register.website.projects import build_site

    config, register = a_project(tmp_path)
    project = config.parent
    for name in ("scripts", ".git"):  # what the project holds beside the site
        (project / name).mkdir()
        (project / name / "kept.txt").write_text("kept")
    (project / "build" / "lib").mkdir(parents=True)  # an editable install's, say
    (project / "build" / "lib" / "kept.txt").write_text("kept")
    unmarked = "not empty, and not written by an earlier build (it has no .complaints-site)"
    for out, projects, said in (
        (project / "site", None, f"{project / 'site'}: holds {project / 'site'}"),
        (project / "site" / "javascripts", None, "site/javascripts: inside"),
        (register / "2026", None, f"{register / '2026'}: inside {register}"),
        (project / "build", None, f"{project / 'build'}: holds {project / 'build' / 'site'}"),
        (project / "scripts", None, f"{project / 'scripts'}: {unmarked}"),
        (project / ".git", None, f"{project / '.git'}: {unmarked}"),
        (project / "public", project / "public" / "p", "public: holds"),
        (project / "public", project / "build" / "lib", f"build/lib: {unmarked}"),
        (project / "public", project / "site", "site: holds"),
    ):
        with pytest.raises(SiteError) as refused:
            build_site(config, register, out, projects=projects)
        assert said in str(refused.value)
    for name in ("scripts", ".git", "build/lib"):
        assert (project / name / "kept.txt").read_text() == "kept"
    assert (project / "site" / "javascripts" / "calculator.js").is_file()
    assert (register / "policy.yaml").is_file()
    assert list((register / "2026").glob("*.yaml"))


def test_a_folder_an_earlier_build_marked_is_emptied_and_marked_again(tmp_path):
    from complaints_register.website.errors import SiteError
    from complaints_register.website.projects import MARKER, _empty

    fresh = tmp_path / "public"
    _empty(fresh)  # a first build: made, and marked
    assert [p.name for p in fresh.iterdir()] == [MARKER]
    (fresh / "old.html").write_text("old")
    _empty(fresh)  # a rebuild: emptied
    assert [p.name for p in fresh.iterdir()] == [MARKER]
    (tmp_path / "empty").mkdir()
    _empty(tmp_path / "empty")  # an empty folder is taken
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine")
    (tmp_path / "mine" / MARKER).symlink_to(fresh / MARKER)  # a link is no marker
    with pytest.raises(SiteError, match="not written by an earlier build"):
        _empty(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "mine"


def test_a_link_among_the_pages_or_their_scripts_is_refused_not_published(tmp_path, monkeypatch):
    # A link to /proc/self/environ would publish the build's environment, and its secrets.
    from complaints_register.website.errors import SiteError
    from complaints_register.website.projects import build_site

    monkeypatch.setenv("A_BUILD_SECRET", "a-secret-of-the-build-0123")
    for link, target in (
        ("site/javascripts/environment.js", "/proc/self/environ"),
        ("site/javascripts/more", "/proc/self"),  # a linked folder
        ("site/privacy.en.md", "/proc/self/environ"),
    ):
        folder = tmp_path / link.replace("/", "-")
        config, register = a_project(folder)
        path = folder / "project" / link
        path.unlink(missing_ok=True)
        path.symlink_to(target)
        with pytest.raises(SiteError) as refused:
            build_site(config, register, folder / "public", projects=folder / "projects")
        assert f"{link}: a symbolic link" in str(refused.value), refused.value
        for made in (folder / "public", folder / "projects"):
            for file in (p for p in made.rglob("*") if p.is_file() and not p.is_symlink()):
                assert b"a-secret-of-the-build" not in file.read_bytes(), file


def test_the_engines_warnings_are_printed_safely_and_the_handler_does_not_pile_up(
    tmp_path, monkeypatch
):
    # In process, twice: each run's handler is removed at its end (one left behind would
    # write to the first run's closed stream), and an escape sequence a page or a file name
    # brings into a warning is shown, not obeyed.
    import logging

    from click.testing import CliRunner

    from complaints_register.cli.main import cli
    from complaints_register.website import projects

    def engine_warns(*args, **kwargs):
        logging.getLogger("mkdocs.structure").warning("Doc file 'a\x1b[2J\x1b]0;pwned\x07.md'")
        return ["en"]

    monkeypatch.setattr(projects, "build_site", engine_warns)
    register = site_register(tmp_path / "register", [])
    before = len(logging.getLogger("mkdocs").handlers)
    for _ in range(2):
        result = CliRunner().invoke(cli, ["--register", str(register), "site"])
        assert result.exit_code == 0, result.output
        assert result.stderr == "WARNING - Doc file 'a\\x1b[2J\\x1b]0;pwned\\x07.md'\n"
        assert len(logging.getLogger("mkdocs").handlers) == before


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("site_name: !!python/name:os.system", "could not determine a constructor"),
        ("site_name: a: b", "mapping values are not allowed here"),  # the second colon
    ],
)
def test_a_configuration_that_is_not_plain_yaml_is_refused_by_file_and_line(tmp_path, line, said):
    from complaints_register.website.errors import SiteError
    from complaints_register.website.projects import read_config

    config = config_copy(tmp_path, docs=ROOT / "site")
    lines = config.read_text(encoding="utf-8").splitlines()
    number = next(n for n, text in enumerate(lines) if text.startswith("site_name:"))
    lines[number] = line
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SiteError) as refused:
        read_config(config)
    assert str(refused.value).startswith(f"{config}:{number + 1}: not plain YAML: ")
    assert said in str(refused.value), refused.value


def test_the_configuration_reads_env_values_as_before(tmp_path, monkeypatch):
    from complaints_register.website.projects import read_config

    config = config_copy(tmp_path, docs=ROOT / "site")
    assert read_config(config)["site_url"] == "http://127.0.0.1:8000/"
    monkeypatch.setenv("COMPLAINTS_SITE_URL", "https://example.org/complaints/")
    assert read_config(config)["site_url"] == "https://example.org/complaints/"
