"""Following a complaint on the public site: its tracking code, and the sealed entry the
site holds for it (DESIGN.md section 6, "The complainant's side"). Pure: no I/O.

* The tracking code is HMAC-SHA256(secret, ID), its first 60 bits written in Crockford's
  base32 as three groups of four (`7QK2-M4XD-9HTA`). Read back, case, spaces, hyphens and
  the letters Crockford reads as digits (O as 0, I and L as 1) do not matter.
* From the ID and the code one slow key derivation (PBKDF2-SHA256, `ITERATIONS` rounds,
  salted with the ID) gives a master key; from it, HMAC-SHA256 gives the entry's name
  (public: where the entry is found) and its AES-256-GCM key. Without the code neither can
  be worked out, and every entry's plain text has the same length.
* The site's page does the same in the browser with WebCrypto (site/javascripts/follow.js):
  the two must agree, and the tests make them meet.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from complaints_register.core.status import Facts

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_BITS = 60
CODE_GROUPS = 3  # of four characters
ITERATIONS = 600_000
SALT = "complaints-register tracking 1:"
NAME_BYTES = 16  # an entry's name: 32 hex digits
BUCKETS = 256  # entries are published in files by the first two hex digits of their name
PLAIN_BYTES = 192  # every entry's plain text is padded to this length
MIN_ENTRIES = 256
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
SECRET_VARIABLE = "COMPLAINTS_TRACKING_SECRET"
MIN_SECRET = 16  # characters: a short secret would make the codes guessable


def secret_bytes(value: str | None) -> bytes | None:
    """The tracking secret as the environment gives it; None when it is not set, and
    ValueError when it is too short to keep the codes unguessable."""
    if not value:
        return None
    if len(value) < MIN_SECRET:
        raise ValueError(
            f"{SECRET_VARIABLE} is too short: at least {MIN_SECRET} characters, random"
            " (for example the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    return value.encode("utf-8")


def tracking_code(secret: bytes, complaint_id: str) -> str:
    """The complaint's tracking code: HMAC-SHA256(secret, ID), 60 bits, grouped."""
    if not secret:
        raise ValueError("the tracking secret is empty")
    digest = hmac.new(secret, complaint_id.encode("utf-8"), hashlib.sha256).digest()
    value = int.from_bytes(digest, "big") >> (256 - CODE_BITS)
    letters = "".join(CROCKFORD[(value >> shift) & 31] for shift in range(CODE_BITS - 5, -1, -5))
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def follow_address(site_url: str, language: str, default_language: str) -> str:
    """The address of "Follow your complaint" in `language` on the site at `site_url`
    (the default language's pages are at the top, the others in a folder each)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"{base}{'' if language == default_language else language + '/'}follow/"


def normalized_code(text: str) -> str | None:
    """A code as a complainant may type it, in its canonical form (no hyphens); None when
    it cannot be a code."""
    letters = "".join(c for c in text.upper() if c not in " -\t").translate(_READ_AS)
    if len(letters) != CODE_BITS // 5 or any(c not in CROCKFORD for c in letters):
        return None
    return letters


def master_key(complaint_id: str, code: str) -> bytes:
    """The slow part: PBKDF2-SHA256 of the (normalized) code, salted with the ID."""
    canonical = normalized_code(code)
    if canonical is None:
        raise ValueError(f"not a tracking code: {code!r}")
    return hashlib.pbkdf2_hmac(
        "sha256", canonical.encode("ascii"), (SALT + complaint_id).encode("utf-8"), ITERATIONS, 32
    )


def entry_name(master: bytes) -> str:
    return hmac.new(master, b"name", hashlib.sha256).digest()[:NAME_BYTES].hex()


def entry_key(master: bytes) -> bytes:
    return hmac.new(master, b"key", hashlib.sha256).digest()


@dataclass(frozen=True)
class Tracked:
    """What the site tells a complainant about their complaint: no ID, no name, no text."""

    status: str
    stage: int
    next_step: str | None  # "acknowledge" or "respond"
    due: date | None
    changed: date  # the date of the last change the register records
    as_of: date

    def as_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "stage": self.stage,
            "next": self.next_step,
            "due": self.due.isoformat() if self.due else None,
            "changed": self.changed.isoformat(),
            "as_of": self.as_of.isoformat(),
        }


def tracked(facts: Facts, received: date) -> Tracked:
    """What the site tells about the complaint of `facts` (received on `received`, a local
    date): the last change is the latest date on which a step was taken."""
    days: list[date | None] = [received]
    for stage in facts.state.stages:
        days += [stage.started, stage.acknowledged, stage.responded, stage.extended_on]
        days += [stage.stopped] + [day for pause in stage.pauses for day in pause]
    following = facts.next_due
    return Tracked(
        status=facts.state.status,
        stage=facts.current.stage,
        next_step=following[0] if following else None,
        due=following[1] if following else None,
        changed=max(day for day in days if day is not None and day <= facts.as_of),
        as_of=facts.as_of,
    )


def sealed(master: bytes, tracked: Tracked, nonce: bytes) -> str:
    """The entry's content: `tracked` as JSON, padded with spaces to `PLAIN_BYTES`, sealed
    with AES-256-GCM under the entry's key; base64 of nonce and sealed text."""
    plain = json.dumps(tracked.as_json(), separators=(",", ":")).encode("utf-8")
    if len(plain) > PLAIN_BYTES:
        raise ValueError(f"a tracking entry is longer than {PLAIN_BYTES} bytes")
    plain += b" " * (PLAIN_BYTES - len(plain))
    return base64.b64encode(nonce + AESGCM(entry_key(master)).encrypt(nonce, plain, None)).decode(
        "ascii"
    )


def opened(master: bytes, content: str) -> dict[str, object]:
    """The JSON a sealed entry holds (as the browser reads it); InvalidTag when the key is
    not its key."""
    raw = base64.b64decode(content)
    plain = AESGCM(entry_key(master)).decrypt(raw[:12], raw[12:], None)
    found: dict[str, object] = json.loads(plain.decode("utf-8"))
    return found


def padded_count(count: int) -> int:
    """How many entries the site publishes for `count` complaints: the next power of two,
    at least `MIN_ENTRIES`, so that the number gives away no exact count."""
    total = MIN_ENTRIES
    while total < count:
        total *= 2
    return total


def bucket_of(name: str) -> str:
    return name[:2]


def buckets(
    entries: Iterable[tuple[str, str]], padding: Iterable[tuple[str, str]]
) -> dict[str, dict[str, str]]:
    """Every bucket (all `BUCKETS` of them, even empty), each its entries by name, in the
    order of the names (the order of the complaints gives nothing away)."""
    found: dict[str, dict[str, str]] = {f"{i:02x}": {} for i in range(BUCKETS)}
    for name, content in [*entries, *padding]:
        found[bucket_of(name)][name] = content
    return {key: dict(sorted(value.items())) for key, value in found.items()}


def dummy(random_bytes: bytes) -> tuple[str, str]:
    """A padding entry from `NAME_BYTES + 12 + PLAIN_BYTES + 16` random bytes: a name and a
    content no different in form from a real entry's."""
    name = random_bytes[:NAME_BYTES].hex()
    return name, base64.b64encode(random_bytes[NAME_BYTES:]).decode("ascii")


DUMMY_BYTES = NAME_BYTES + 12 + PLAIN_BYTES + 16


def as_files(bucketed: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """Each bucket's file name and JSON text."""
    return {
        f"{key}.json": json.dumps(value, separators=(",", ":")) + "\n"
        for key, value in bucketed.items()
    }
