"""The sealed entries of "Follow your complaint", made for the site at build time.

Each complaint costs one slow key derivation (`core.tracking.master_key`, about a third of
a second). A derived key depends on the complaint's ID and code only, so it is kept in the
register's cache (`<Git folder>/complaints-cache/tracking-keys.json`, readable by its owner
only, keyed by a hash of ID and code): a daily build derives keys for the complaints that
are new since the last build, and only seals (fast) the others again. Keys are derived on
every core (PBKDF2 runs outside Python's lock). The cache is as secret as the tracking
secret itself: it never leaves the Git folder, which nothing publishes or commits.
"""

import hashlib
import json
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from complaints_register.core.status import Facts
from complaints_register.core.tracking import (
    DUMMY_BYTES,
    ITERATIONS,
    SALT,
    as_files,
    buckets,
    dummy,
    entry_name,
    master_key,
    padded_count,
    sealed,
    tracked,
    tracking_code,
)
from complaints_register.store.cache import cache_folder
from complaints_register.store.files import open_regular, write_atomic
from complaints_register.store.pool import cores

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

KEYS_FILE = "tracking-keys.json"


def _cache_key(complaint_id: str, code: str) -> str:
    return hashlib.sha256(f"{SALT}{ITERATIONS}\0{complaint_id}\0{code}".encode()).hexdigest()


def _kept(file: Path | None) -> dict[str, str]:
    if file is None:
        return {}
    try:  # a regular file, never a link; larger than a register file (136 bytes a complaint)
        handle, _ = open_regular(file)
        with os.fdopen(handle, "rb") as opened_file:
            found = json.loads(opened_file.read())
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: worked out again
    return found if isinstance(found, dict) else {}


def master_keys(root: Path, pairs: list[tuple[str, str]]) -> list[bytes]:
    """The master key of each (ID, code): from the cache where it is, else derived now
    (on every core), and the cache rewritten with exactly the keys of this run."""
    keys, _ = master_keys_counted(root, pairs)
    return keys


def master_keys_counted(root: Path, pairs: list[tuple[str, str]]) -> tuple[list[bytes], int]:
    """`master_keys`, and how many of them were derived (not found in the cache)."""
    folder = cache_folder(root)
    file = folder / KEYS_FILE if folder is not None else None
    kept = _kept(file)
    wanted = [_cache_key(complaint_id, code) for complaint_id, code in pairs]
    missing = [i for i, key in enumerate(wanted) if not _is_key(kept.get(key))]
    with ThreadPoolExecutor(max(cores(), 1)) as pool:
        derived = pool.map(lambda i: master_key(*pairs[i]), missing)
        for i, master in zip(missing, derived, strict=True):
            kept[wanted[i]] = master.hex()
    if file is not None and (missing or len(kept) != len(set(wanted))):
        used = {key: kept[key] for key in wanted}
        try:
            file.parent.mkdir(mode=0o700, exist_ok=True)
            write_atomic(file, json.dumps(used, sort_keys=True), mode=0o600)
        except OSError:
            pass  # a cache that cannot be written only costs time
    return [bytes.fromhex(kept[key]) for key in wanted], len(missing)


def _is_key(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 64:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def entry_files(
    root: Path,
    facts: Iterable[Facts],
    calendar: "Calendar",
    secret: bytes,
    counted: list[int] | None = None,
) -> dict[str, str]:
    """The files of the tracking entries (`<bucket>.json`: name to sealed content) for the
    complaints of `facts`, padded with random entries to `padded_count`. `counted`, when
    given, gets the number of entries and of keys derived (not from the cache)."""
    chosen = list(facts)
    pairs = [(f.id, tracking_code(secret, f.id)) for f in chosen]
    masters, derived = master_keys_counted(root, pairs)
    if counted is not None:
        counted += [len(chosen), derived]
    entries = [
        (
            entry_name(master),
            sealed(master, tracked(f, calendar.local_date(f.received)), os.urandom(12)),
        )
        for f, master in zip(chosen, masters, strict=True)
    ]
    padding = [
        dummy(os.urandom(DUMMY_BYTES)) for _ in range(padded_count(len(entries)) - len(entries))
    ]
    return as_files(buckets(entries, padding))
