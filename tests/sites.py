"""The public site, built for the tests by the real `complaints site` (one Material for
MkDocs project per language, strict), once per session for each register (the builds are
kept here, keyed by name)."""

import gzip
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from conftest import EXAMPLE, ROOT
from registers import SIX_LANGUAGES, marked, tempting, write_register

MKDOCS = Path(sys.executable).parent / "mkdocs"
COMPLAINTS = Path(sys.executable).parent / "complaints"
AS_OF = "2026-11-23"
PAGES = (
    "",
    "complain/",
    "next/",
    "commitments/",
    "process/",
    "form/",
    "calculator/",
    "statistics/",
    "method/",
    "limits/",
    "improvements/",
    "privacy/",
    "accessibility/",
)
# Targets unlike the example's, so that a page showing them shows the policy's own.
ODD_TARGETS = {
    "stage1": {"acknowledge": 3, "respond": {"normal": 17, "urgent": 4}},
    "stage2": {"acknowledge": 6, "respond": {"normal": 19, "urgent": 8}},
    "very_overdue_after": 20,
    "max_extension": 7,
}

# Every channel of the test policy (email, phone, letter) needs a way in on the site.
SITE_CONTACT = {
    "email": "complaints@example.org",
    "phone": "+39 06 5550 0000",
    "address": "Test Water, Via di Prova 1, 00100 Roma",
}

# What the pages about time limits, privacy and contact show, unlike the example's.
ODD_PAGES = {
    "retention": {"personal_data_years": 4},
    "complain_within_months": 9,
    "recourse": [
        {
            "kind": "ombudsman",
            "name": "Test Ombudsman",
            "website": "https://ombudsman.test.example/",
            "address": "Piazza di Prova 2, Roma",
            "time_limit_months": 8,
        },
        {"kind": "court", "name": "Test Court"},
    ],
    "contact": {**SITE_CONTACT, "hours": "08:30-16:30"},
}

_built: dict[str, tuple[Path, subprocess.CompletedProcess]] = {}
# The example's site is built with a tracking secret ("Follow your complaint" and its
# entries), the others without (no such page, and the log says so).
TRACKING_SECRET = "a-secret-for-the-tests-only-0123"


def site_register(root: Path, complaints: list[dict], **policy_changes) -> Path:
    """A register for a site: the test policy with every channel reachable, changed."""
    return write_register(root, complaints, **{"contact": SITE_CONTACT, **policy_changes})


def build(
    register: Path,
    out: Path,
    config: Path = ROOT / "mkdocs.yml",
    as_of: str = AS_OF,
    tracking_secret: str | None = None,
    engine: str = "mkdocs",
) -> subprocess.CompletedProcess:
    """`complaints site` of `register` into `out` (each language's project beside it), as
    of a fixed date; with "Follow your complaint" only when `tracking_secret` is given."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "COMPLAINTS_TRACKING_SECRET"},
        "COMPLAINTS_REGISTER": str(register),
        "COMPLAINTS_AS_OF": as_of,
        "NO_MKDOCS_2_WARNING": "1",
    }
    if tracking_secret:
        env["COMPLAINTS_TRACKING_SECRET"] = tracking_secret
    return subprocess.run(
        [
            str(COMPLAINTS),
            "site",
            "--engine",
            engine,
            "--config",
            str(config),
            "--out",
            str(out),
            "--projects",
            str(out.parent / f"{out.name}-projects"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def built(name: str, base: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """The site of register `name` (example, marked or tempting), built once."""
    if name not in _built:
        folder = base / name
        register = {
            "example": lambda: EXAMPLE,
            "marked": lambda: site_register(folder / "register", marked(), languages=SIX_LANGUAGES),
            "tempting": lambda: site_register(
                folder / "register",
                tempting(),
                targets=ODD_TARGETS,
                publication={"min_count": 5, "min_rate_base": 25},
                **ODD_PAGES,
            ),
        }[name]()
        secret = TRACKING_SECRET if name == "example" else None
        _built[name] = (
            folder / "public",
            build(register, folder / "public", tracking_secret=secret),
        )
    return _built[name]


def config_copy(folder: Path, docs: Path | None = None) -> Path:
    """mkdocs.yml copied into `folder`, with its pages in `docs` (default: a copy of site/)."""
    if docs is None:
        docs = folder / "site"
        shutil.copytree(ROOT / "site", docs)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site ", f"docs_dir: {docs} ")
    path = folder / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def every_file(site: Path):
    """(path, text) of every file of the built site, compressed ones opened."""
    for path in sorted(site.rglob("*")):
        if path.is_file():
            raw = path.read_bytes()
            if path.suffix == ".gz":
                raw = gzip.decompress(raw)
            yield path, raw.decode("utf-8", errors="replace")


def page(site: Path, language: str, name: str) -> str:
    """The HTML of one page: the default language at the root, the others in folders."""
    folder = site if language == "en" else site / language
    return (folder / name / "index.html").read_text(encoding="utf-8")


def main_text(html: str) -> str:
    """The words of a page's article, tags and scripts left out."""
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split(
        "</article>", 1
    )[0]
    article = re.sub(r"<(script|style)\b.*?</\1>", " ", article, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", article))


PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789.,")


def latin_digits(text: str) -> str:
    return text.translate(PERSIAN_DIGITS)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 at a free port, for the browser tests: its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join()


@contextmanager
def local_tab(browser, site_url: str, some: bool = True, **options) -> Iterator:
    """A page in a browser context of its own (`options`: Playwright's, a viewport say);
    on leaving, every request it made must have stayed on the site's host, and with
    `some` at least one must have been made."""
    context = browser.new_context(**options)
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    yield tab
    context.close()
    local = urlsplit(site_url).netloc
    assert requests or not some, "no request was recorded"
    assert [url for url in requests if urlsplit(url).netloc != local] == []
