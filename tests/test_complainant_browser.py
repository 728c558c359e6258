"""The complainant's side in a real browser (headless Chromium, as tests/test_site_browser.py
drives it): the form on "How to complain" writes an e-mail that `complaints new
--from-message` records, and "Follow your complaint" finds a complaint of the example
register with its tracking code. The site is built once for this module, with a tracking
secret; every request a page makes must stay on the site."""

import json
import re
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT, write_yaml
from sites import AS_OF, TRACKING_SECRET, built, every_file, local_tab, served

from complaints_register.cli.main import cli
from complaints_register.core.tracking import tracking_code

pytestmark = pytest.mark.browser

SECRET = TRACKING_SECRET
PHRASES = ROOT / "scripts" / "website" / "phrases"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The example's site, as the other site tests have it (built once, with a secret)."""
    out, result = built("example", tmp_path_factory.getbasetemp())
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def site_url(site):
    with served(site) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    with local_tab(browser, site_url, viewport={"width": 390, "height": 844}) as tab:  # a phone's
        yield tab


def run(register: Path, *args: str):
    return CliRunner().invoke(cli, ["--register", str(register), *args])


def show(register: Path, complaint_id: str) -> dict:
    result = run(register, "show", complaint_id, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def empty_register(tmp_path, monkeypatch):
    """The example's policy, no complaints yet, no key folder."""
    monkeypatch.delenv("COMPLAINTS_KEYS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    register = tmp_path / "register"
    policy = yaml.safe_load((EXAMPLE / "policy.yaml").read_text(encoding="utf-8"))
    write_yaml(register / "policy.yaml", policy)
    return register


@pytest.mark.parametrize(
    "language, answer_in, category, what, outcome, eml",
    [
        (
            "en",
            "it",
            "delivery",
            "The parcel came a week late\nand was damaged.",
            "Replace it",
            True,
        ),
        ("fa", None, "", "قبض آب دو بار آمد.\nهر دو را پرداخت کرده‌ام.", "پول را برگردانید", False),
    ],
)
def test_the_form_writes_an_email_that_is_recorded_as_a_web_form_complaint(
    page, site_url, empty_register, tmp_path, language, answer_in, category, what, outcome, eml
):
    page.goto(site_url + ("" if language == "en" else f"{language}/") + "complain/")
    page.fill("#send-what", what)
    page.fill("#send-outcome", outcome)
    if category:
        page.select_option("#send-category", category)
    if answer_in:
        page.select_option("#send-language", answer_in)
    page.fill("#send-name", "Maria Bianchi")
    page.fill("#send-email", "maria@example.com")
    page.click("#send-form button[type=submit]")
    page.wait_for_selector("#send-ready", state="visible")
    # The phone's screen holds the form: none of its parts is wider than the screen.
    assert page.evaluate(
        """Array.from(document.querySelectorAll('#send-form *, #send-ready *'))
             .every(e => e.getBoundingClientRect().right <= window.innerWidth
                         && e.getBoundingClientRect().left >= 0)"""
    )
    url = page.get_attribute("#send-link", "href")
    to, _, query = url.removeprefix("mailto:").partition("?")
    assert to == "complaints@example.org"
    fields = parse_qs(query, keep_blank_values=True, strict_parsing=True)
    subject, body = fields["subject"][0], fields["body"][0]
    assert what.split("\n")[1] in body  # the readable text, in the page's language
    if eml:
        mail = EmailMessage()
        mail["To"], mail["Subject"] = to, subject
        mail["Date"] = "Mon, 23 Nov 2026 10:00:00 +0100"
        mail.set_content(body)
        path = tmp_path / "message.eml"
        path.write_bytes(bytes(mail))
    else:
        path = tmp_path / "message.txt"
        path.write_text(body, encoding="utf-8", newline="")
    result = run(
        empty_register, "new", "--from-message", str(path), "--received", "2026-11-23T10:00"
    )
    assert result.exit_code == 0, result.output
    recorded = show(empty_register, result.stdout.splitlines()[0])
    assert recorded["channel"] == "web-form"
    assert recorded["language"] == (answer_in or language)  # default: the page's language
    assert recorded["category"] == (category or "other")
    text = yaml.safe_load(next(empty_register.rglob("C-*.yaml")).read_text(encoding="utf-8"))
    assert text["summary"] == what and text["desired_outcome"] == outcome
    assert "maria@example.com" in result.stdout and "complainant" not in text


def test_without_javascript_the_page_shows_the_address_and_the_printable_form(
    browser,
    site_url,
):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "complain/")
    assert not tab.is_visible("#send-form")
    fallback = tab.inner_text(".send-form-no-script")
    assert "complaints@example.org" in fallback and "print our complaint form" in fallback
    assert tab.get_attribute(".send-form-no-script a[href$='form/']", "href") == "../form/"
    context.close()


def phrase(language: str, *keys: str) -> str:
    table = yaml.safe_load((PHRASES / f"{language}.yaml").read_text(encoding="utf-8"))
    for key in keys:
        table = table[key]
    return table


def look_up(page, complaint_id: str, code: str) -> None:
    page.fill("#follow-id", complaint_id)
    page.fill("#follow-code", code)
    page.click("#follow button[type=submit]")
    page.wait_for_selector("#follow-result:not([hidden]), #follow-not-found:not([hidden])")


@pytest.mark.parametrize(
    "language, complaint_id",
    [("en", "C-2026-1029-Q5GF"), ("fa", "C-2026-1008-E1B0")],
)
def test_follow_your_complaint_shows_what_complaints_show_says(
    page, site_url, language, complaint_id
):
    expected = show(EXAMPLE, complaint_id)
    step, due = min((d, s) for s, d in expected["due"].items() if d)[::-1]
    page.goto(site_url + ("" if language == "en" else f"{language}/") + "follow/")
    look_up(page, complaint_id, tracking_code(SECRET.encode(), complaint_id).lower())
    assert page.is_visible("#follow-result") and not page.is_visible("#follow-not-found")
    status = page.locator("#follow-status")
    assert status.get_attribute("data-status") == expected["status"]
    assert status.inner_text().strip() == phrase(language, "follow", "statuses", expected["status"])
    assert page.get_attribute("#follow-stage", "data-stage") == str(expected["stage"])
    assert page.get_attribute("#follow-next", "data-next") == step
    assert page.get_attribute("#follow-due", "datetime") == due
    shown_day = page.inner_text("#follow-due")
    if language == "fa":  # in Persian digits, the Gregorian year 2026 as ۲۰۲۶
        assert "۲۰۲۶" in shown_day
    else:
        assert shown_day == "December 4, 2026"
    # The page says when its entries were made.
    assert (AS_OF[:4] if language == "en" else "۲۰۲۶") in page.inner_text(".follow-updated")

    # A wrong code and an unknown ID get the same answer.
    answers = []
    for wrong_id, wrong_code in (
        (complaint_id, "0000-0000-0000"),
        ("C-2026-1029-ZZZZ", tracking_code(SECRET.encode(), complaint_id)),
    ):
        look_up(page, wrong_id, wrong_code)
        assert page.is_visible("#follow-not-found") and not page.is_visible("#follow-result")
        answers.append(page.inner_text("#follow-not-found"))
    assert answers[0] == answers[1] == phrase(language, "follow", "not_found")


def test_no_built_file_holds_a_complaint_id_or_a_tracking_code(site):
    ids = [p.stem for p in EXAMPLE.glob("20*/C-*.yaml")]
    assert len(ids) > 50
    codes = [tracking_code(SECRET.encode(), i) for i in ids]
    secrets = ids + codes + [c.replace("-", "") for c in codes] + [SECRET]
    for path, text in every_file(site):
        upper = text.upper()
        leaked = [s for s in secrets if s.upper() in upper]
        assert leaked == [], path
    entries = sum(len(json.loads(p.read_text())) for p in (site / "tracking").glob("*.json"))
    assert entries == 256  # the example's complaints, padded


def serious_problems(page) -> list:
    from test_site_browser import AXE

    page.add_script_tag(path=str(AXE))  # axe-core from its PyPI package, never a CDN
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["en", "fa"])
def test_no_serious_accessibility_problem_in_the_form_or_the_answer(page, site_url, language):
    prefix = "" if language == "en" else f"{language}/"
    page.goto(site_url + prefix + "complain/")
    page.fill("#send-what", "The meter was read wrong.")
    page.click("#send-form button[type=submit]")
    page.wait_for_selector("#send-ready", state="visible")
    page.mouse.move(0, 0)  # the theme's hover colours are not the page's own
    page.evaluate("document.activeElement.blur()")
    assert serious_problems(page) == []
    page.goto(site_url + prefix + "follow/")
    look_up(page, "C-2026-1029-Q5GF", tracking_code(SECRET.encode(), "C-2026-1029-Q5GF"))
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")
    assert serious_problems(page) == []


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours given as CSS "rgb(r, g, b)"."""

    def luminance(colour: str) -> float:
        red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
        linear = [
            c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
            for c in (red, green, blue)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_worked_out_as_wcag_says():
    # Black on white is 21:1; the theme's accent #526cfe under white text is 4.25:1 (by hand:
    # luminance 0.2126 * 0.0844 + 0.7152 * 0.1499 + 0.0722 * 0.9911 = 0.1967).
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(255, 255, 255)", "rgb(82, 108, 254)") == pytest.approx(4.25, abs=0.01)


@pytest.mark.parametrize(
    ("name", "button"), [("complain/", "#send-form button"), ("", ".call-to-action a")]
)
def test_a_button_under_the_pointer_keeps_its_text_readable(page, site_url, name, button):
    page.goto(site_url + name)
    target = page.locator(button)
    still = target.evaluate("b => getComputedStyle(b).backgroundColor")
    target.hover()
    page.wait_for_timeout(400)  # the theme's colour transition
    text, background = target.evaluate(
        "b => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]"
    )
    assert background != still  # the hover colour, not the button's own
    assert contrast(text, background) >= 4.5, (text, background)
