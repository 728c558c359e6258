"""The built site in a real browser: Debian's Chromium, headless, driven by Playwright with
the system browser (nothing is downloaded), the site served on 127.0.0.1.

Every test records every request its page makes and fails if one leaves localhost.
"""

import json
import re
from pathlib import Path

import axe_playwright_python
import pytest
import yaml
from conftest import EXAMPLE, installed, write_yaml
from registers import ev, received
from sites import PAGES, built, local_tab, served

LANGUAGES = ("en", "id", "uk", "et", "it", "fa")
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """The example register's site, served on 127.0.0.1 at a free port."""
    site, result = built("example", tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    with served(site) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    """A fresh page; after the test, every request it made must have stayed on localhost."""
    with local_tab(browser, site_url, viewport={"width": 1280, "height": 900}) as tab:
        yield tab


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_has_its_language_and_direction(page, site_url, language):
    page.goto(site_url + ("" if language == "en" else f"{language}/"))
    expected = "rtl" if language == "fa" else "ltr"
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == expected
    assert page.evaluate("document.body.dir") == expected
    assert (
        page.evaluate("getComputedStyle(document.querySelector('article')).direction") == expected
    )


def switch_language(page, language: str) -> None:
    page.click(".md-header__option .md-select > button")  # the language switcher
    page.click(f'.md-select__link[hreflang="{language}"]')
    page.wait_for_load_state("load")


@pytest.mark.parametrize(
    "start, name, heading",
    [
        (
            "en",
            "next/",
            {
                "fa": "پس از آن چه می‌شود",
                "it": "Che cosa succede dopo",
                "uk": "Що відбувається далі",
                "et": "Mis edasi saab",
                "id": "Apa yang terjadi selanjutnya",
            },
        ),
        ("fa", "statistics/", {"en": "Statistics", "it": "Statistiche"}),
        ("it", "", {"en": "Complaints", "fa": "شکایت‌ها"}),
    ],
)
def test_the_switcher_leads_to_the_same_page_in_another_language(
    page, site_url, start, name, heading
):
    for language, title in heading.items():
        page.goto(site_url + ("" if start == "en" else f"{start}/") + name)
        switch_language(page, language)
        assert page.url == site_url + ("" if language == "en" else f"{language}/") + name
        assert page.evaluate("document.documentElement.lang") == language
        assert page.inner_text("article h1").strip() == title


def test_the_statistics_page_shows_its_charts_beside_tables_of_the_same_numbers(page, site_url):
    page.goto(site_url + "statistics/")
    blocks = page.locator(".chart-and-table")
    assert blocks.count() >= 10
    first = blocks.first
    chart = page.get_by_role("img", name="Complaints received in each quarter of 2026")
    assert chart.is_visible() and chart.bounding_box()["height"] > 150
    assert chart.evaluate("svg => svg.closest('.chart-and-table') !== null")
    description = chart.evaluate("svg => svg.querySelector(':scope > desc').textContent")
    assert description.startswith("Q1 2026: ")  # the text alternative names every bar
    assert first.locator("table").is_visible()
    for index in range(blocks.count()):
        block = blocks.nth(index)
        bars = [t.strip() for t in block.locator("svg text.value").all_text_contents()]
        cells = {t.strip() for t in block.locator("td").all_text_contents()}
        assert set(bars) <= cells, index  # every number a bar shows is in the table beside it
    # The first table: quarters of 2026, and the numbers the chart's bars show.
    rows = first.locator("tbody tr")
    assert rows.first.locator("th").inner_text() == "Q1 2026"


def show(register: Path, complaint_id: str, as_of: str) -> dict:
    result = installed(
        "--register",
        str(register),
        "show",
        complaint_id,
        "--as-of",
        as_of,
        "--format",
        "json",
        cwd=register.parent,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["due"]


# Dates around Italian holidays and the example policy's closures (2026-08-14, 12-24, 12-31):
# Easter Monday 6 April, Liberation Day 25 April (a Saturday), Labour Day 1 May, Republic
# Day 2 June, Ferragosto 15 August (a Saturday), Christmas, St Stephen, New Year, Epiphany.
DATES = ["2026-04-03", "2026-04-24", "2026-05-30", "2026-08-13", "2026-12-23", "2026-12-31"]


@pytest.fixture(scope="module")
def expected_dates(tmp_path_factory):
    """What `complaints show` says, for complaints received (and reviews asked for) on DATES,
    under the example register's policy."""
    register = tmp_path_factory.mktemp("calculator") / "register"
    policy = yaml.safe_load((EXAMPLE / "policy.yaml").read_text(encoding="utf-8"))
    write_yaml(register / "policy.yaml", policy)
    found = {}
    for n, day in enumerate(DATES):
        cases = {
            ("1", "normal"): received(day, f"N{n:03d}", "billing", "email"),
            ("1", "urgent"): received(
                day, f"P{n:03d}", "billing", "email", ev("assessed", day, priority="urgent")
            ),
            ("2", "normal"): received(
                "2026-01-05",
                f"R{n:03d}",
                "billing",
                "email",
                ev("responded", "2026-01-20", by="marco", outcome="not-upheld"),
                ev("escalated", day, by="anna", handler="elena"),
            ),
        }
        for key, data in cases.items():
            write_yaml(register / data["id"][2:6] / f"{data['id']}.yaml", data)
            found[(day, *key)] = show(register, data["id"], day)
    return found


@pytest.mark.parametrize("day", DATES)
def test_the_calculator_gives_the_dates_of_complaints_show(page, site_url, expected_dates, day):
    page.goto(site_url + "calculator/")
    for stage, priority in (("1", "normal"), ("1", "urgent"), ("2", "normal")):
        page.select_option("#calculator-stage", stage)
        page.select_option("#calculator-priority", priority)
        page.fill("#calculator-date", day)
        page.click("#calculator button[type=submit]")
        page.wait_for_selector("#calculator-result:not([hidden])")
        shown = {
            "acknowledge": page.get_attribute("#calculator-acknowledge", "datetime"),
            "respond": page.get_attribute("#calculator-respond", "datetime"),
        }
        assert shown == expected_dates[(day, stage, priority)], (day, stage, priority)


def test_the_calculator_says_when_a_date_is_outside_its_calendar(page, site_url):
    page.goto(site_url + "it/calculator/")
    page.fill("#calculator-date", "2031-03-02")
    page.click("#calculator button[type=submit]")
    error = page.wait_for_selector("#calculator-error:not([hidden])")
    assert error.inner_text().startswith(
        "Il calcolatore conosce i giorni lavorativi solo dal 2025-01-01"
    )
    assert page.is_hidden("#calculator-result")


def test_screenshots(page, site_url, tmp_path, capsys):
    shots = []
    for language, name in (
        ("en", ""),
        ("fa", ""),
        ("en", "statistics/"),
        ("fa", "process/"),
        ("uk", "form/"),
        ("en", "calculator/"),
    ):
        page.goto(site_url + ("" if language == "en" else f"{language}/") + name)
        if name == "calculator/":
            page.fill("#calculator-date", "2026-12-23")
            page.click("#calculator button[type=submit]")
            page.wait_for_selector("#calculator-result:not([hidden])")
        path = tmp_path / f"{language}-{name.strip('/') or 'home'}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)
    with capsys.disabled():
        print("\nscreenshots of the site:", *map(str, shots), sep="\n  ")
    for path in shots:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_accessibility_problem_and_no_outside_request_on_any_page(page, site_url, language):
    # Every page of the language: axe-core finds nothing, and (the `page` fixture checks it
    # after the test) no request the pages make leaves localhost.
    for name in PAGES:
        page.goto(site_url + ("" if language == "en" else f"{language}/") + name)
        page.add_script_tag(path=str(AXE))  # axe-core from its PyPI package, never a CDN
        results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        problems = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results["violations"]
        ]
        assert problems == [], (language, name)
        assert results["testEngine"]["version"].startswith("4.")


# --- every page in every language, on a phone, printed, searched -------------------------

# The languages the public site is checked in on a phone: one of each kind of script and
# direction (Latin, Cyrillic, Persian from right to left) and the default.
PHONE_LANGUAGES = ("en", "fa", "uk", "id")
PHONE = {"width": 390, "height": 844}
SITE_NAME = {
    "en": "Lagoon Water Cooperative: complaints",
    "fa": "\u2068Lagoon Water Cooperative\u2069: شکایت‌ها",
    "uk": "Lagoon Water Cooperative: скарги",
    "id": "Lagoon Water Cooperative: pengaduan",
}


def address(site_url: str, language: str, name: str) -> str:
    return site_url + ("" if language == "en" else f"{language}/") + name


@pytest.fixture
def phone(browser, site_url):
    """A fresh page on a phone-sized screen (390 CSS pixels wide); no request may leave
    localhost."""
    options = dict(viewport=PHONE, is_mobile=True, has_touch=True)
    with local_tab(browser, site_url, some=False, **options) as tab:
        yield tab


# Measured in the page: how far it scrolls sideways; the header's name, whether it is cut
# (wider or taller than its box, or outside the screen); and the closed navigation drawer,
# whether any of it is on the screen.
PHONE_LAYOUT = """() => {
  const name = document.querySelector('.md-header__topic:first-child .md-ellipsis');
  const box = name.getBoundingClientRect();
  const drawer = document.querySelector('.md-sidebar--primary').getBoundingClientRect();
  return {
    sideways: document.documentElement.scrollWidth - window.innerWidth,
    name: name.textContent.trim(),
    cut: name.scrollWidth > name.clientWidth || name.scrollHeight > name.clientHeight
      || box.left < 0 || box.right > window.innerWidth || box.top < 0,
    drawer: Math.max(0, Math.min(drawer.right, window.innerWidth) - Math.max(drawer.left, 0)),
  };
}"""


@pytest.mark.parametrize("language", PHONE_LANGUAGES)
def test_on_a_phone_no_page_scrolls_sideways_and_the_header_shows_the_whole_name(
    phone, site_url, language
):
    for name in PAGES:
        phone.goto(address(site_url, language, name))
        found = phone.evaluate(PHONE_LAYOUT)
        assert found == {"sideways": 0, "name": SITE_NAME[language], "cut": False, "drawer": 0}, (
            language,
            name,
        )


# The smallest text of every chart and diagram drawn on the page, in CSS pixels: its font
# size times the scale the drawing is shown at.
SMALLEST_TEXT = """() => {
  const texts = [...document.querySelectorAll('figure.chart svg text, svg.process-diagram text')]
    .filter(t => t.getClientRects().length && t.textContent.trim());
  const sizes = texts.map(t => {
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale;
  });
  return [texts.length, Math.min(...sizes)];
}"""


@pytest.mark.parametrize("language", PHONE_LANGUAGES)
def test_on_a_phone_chart_and_diagram_text_is_at_least_12_pixels(phone, site_url, language):
    for name in ("statistics/", "process/"):
        phone.goto(address(site_url, language, name))
        count, smallest = phone.evaluate(SMALLEST_TEXT)
        assert count > 10, (language, name)  # the drawings are there, and shown
        assert smallest >= 12, (language, name, smallest)


def test_persian_charts_read_from_the_right_with_their_text_the_right_way_round(page, site_url):
    # The quarters' chart: its scale of numbers is on the left of the bars in English, on
    # the right in Persian, where a right-to-left reader starts; no text is mirrored.
    found = {}
    for language in ("en", "fa"):
        page.goto(address(site_url, language, "statistics/"))
        found[language] = page.evaluate(
            """() => {
              const svg = document.querySelector('figure.chart svg');
              const middle = e => { const b = e.getBoundingClientRect(); return b.left + b.width / 2 };
              const scale = [...svg.querySelectorAll('.axis.y text')].filter(t => t.textContent.trim());
              return {
                scale: Math.max(...scale.map(middle)),
                bar: middle(svg.querySelector('.bar rect')),
                mirrored: [...document.querySelectorAll('figure.chart svg text')]
                  .filter(t => t.textContent.trim()).some(t => t.getScreenCTM().a < 0),
              };
            }"""
        )
    assert found["en"]["scale"] < found["en"]["bar"]
    assert found["fa"]["scale"] > found["fa"]["bar"]
    assert not found["en"]["mirrored"] and not found["fa"]["mirrored"]


@pytest.mark.parametrize("language", ("en", "fa"))
def test_the_timeline_has_no_list_numbers(page, site_url, language):
    page.goto(address(site_url, language, "next/"))
    styles = page.eval_on_selector_all(
        "ol.timeline > li", "items => items.map(li => getComputedStyle(li).listStyleType)"
    )
    assert styles and set(styles) == {"none"}


def test_the_persian_calculator_answers_in_the_gregorian_calendar_and_says_so(page, site_url):
    # Received Wednesday 23 December 2026: acknowledged within 2 working days, by Tuesday
    # 29 December (the 24th a closure, Christmas, St Stephen's and the weekend skipped).
    page.goto(address(site_url, "fa", "calculator/"))
    page.fill("#calculator-date", "2026-12-23")
    page.click("#calculator button[type=submit]")
    page.wait_for_selector("#calculator-result:not([hidden])")
    assert page.get_attribute("#calculator-acknowledge", "datetime") == "2026-12-29"
    shown = page.inner_text("#calculator-acknowledge")
    assert "۲۹" in shown and "دسامبر" in shown and "۲۰۲۶" in shown  # 29 December 2026
    assert "میلادی" in shown  # the calendar named: Gregorian
    assert "," not in shown and "۱۴۰۵" not in shown  # no Latin comma, no Solar Hijri year
    page.goto(address(site_url, "en", "calculator/"))
    page.fill("#calculator-date", "2026-12-23")
    page.click("#calculator button[type=submit]")
    page.wait_for_selector("#calculator-result:not([hidden])")
    assert page.inner_text("#calculator-acknowledge") == "Tuesday, December 29, 2026"


A4_PAGES = re.compile(rb"/Type\s*/Page\b(?!s)")


@pytest.mark.parametrize("language", PHONE_LANGUAGES)
def test_the_printed_form_fits_two_a4_pages_names_us_and_asks_for_this_language(
    page, site_url, language
):
    page.goto(address(site_url, language, "form/"))
    assert page.eval_on_selector("#form-language", "select => select.value") == language
    pdf = page.pdf(format="A4")
    assert 1 <= len(A4_PAGES.findall(pdf)) <= 2
    page.emulate_media(media="print")
    to = page.locator(".complaint-form .form-to")
    assert to.is_visible() and "Lagoon Water Cooperative" in to.inner_text()


SEARCH_WORDS = {  # a word of each language's pages, and one only that language has
    "en": "ombudsman",
    "fa": "شکایت",
    "uk": "скаргу",
    "id": "pengaduan",
}


@pytest.mark.parametrize("language", PHONE_LANGUAGES)
def test_search_finds_words_of_this_language_on_its_pages_only(page, site_url, language):
    page.goto(address(site_url, language, "next/"))
    for word in (SEARCH_WORDS[language], "скарга" if language == "uk" else None):
        if word is None:
            continue
        page.click("input.md-search__input")
        page.fill("input.md-search__input", word)
        page.press("input.md-search__input", "End")  # a key up: what the search listens for
        page.wait_for_selector(".md-search-result__link")
        links = page.eval_on_selector_all(
            ".md-search-result__link", "links => links.map(a => a.href)"
        )
        prefix = address(site_url, language, "")
        others = [f"{site_url}{code}/" for code in LANGUAGES if code not in ("en", language)]
        assert links and all(link.startswith(prefix) for link in links), (word, links)
        assert not [link for link in links if any(link.startswith(o) for o in others)]
        page.fill("input.md-search__input", "")
