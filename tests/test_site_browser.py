"""The built site in a real browser: Debian's Chromium, headless, driven by Playwright with
the system browser (nothing is downloaded), the site served on 127.0.0.1.

Every test records every request its page makes and fails if one leaves localhost.
"""

import json
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
import yaml
from conftest import EXAMPLE, installed, write_yaml
from playwright.sync_api import sync_playwright
from registers import ev, received
from sites import PAGES, built

CHROMIUM = "/usr/bin/chromium"
# As the machine's notes give them: without the background-networking flags Chromium
# calls Google's services at start.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGUAGES = ("en", "id", "uk", "et", "it", "fa")
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"

pytestmark = pytest.mark.browser


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """The example register's site, served on 127.0.0.1 at a free port."""
    site, result = built("example", tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install chromium (the README's test command does)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh page; after the test, every request it made must have stayed on localhost."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    requests = []
    tab.on("request", lambda request: requests.append(request.url))
    yield tab
    context.close()
    local = urlsplit(site_url).netloc
    assert requests, "no request was recorded"
    assert [url for url in requests if urlsplit(url).netloc != local] == []


def test_no_request_leaves_localhost_on_any_page(page, site_url):
    seen = []
    page.on("request", lambda request: seen.append(urlsplit(request.url).netloc))
    for language in LANGUAGES:
        for name in PAGES:
            page.goto(site_url + ("" if language == "en" else f"{language}/") + name)
    assert set(seen) == {urlsplit(site_url).netloc}
    assert len(seen) > len(LANGUAGES) * len(PAGES)  # pages, styles, scripts, the calendar


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


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("name", ["", "statistics/", "calculator/"])
def test_no_serious_accessibility_problem(page, site_url, language, name):
    page.goto(site_url + ("" if language == "en" else f"{language}/") + name)
    page.add_script_tag(path=str(AXE))  # axe-core from its PyPI package, never a CDN
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    problems = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert problems == []
    assert results["testEngine"]["version"].startswith("4.")
