"""Results worked out from a complaint file, kept between runs and keyed by its content.

A result is stored under the file's name and Git blob ID (the SHA-1 of its bytes, as
`git hash-object` computes it), within a *context*: everything else it depends on (the
policy file, this program's own code, the versions of the packages that hold calendars and
rules, and whatever the caller adds, such as the as-of date). A changed file has another
blob ID and a changed policy or program another context, so a stale result is never found:
it is worked out again. The cache lives in the Git folder of the repository that holds the
register (`.git/complaints-cache/`), never in the work tree, so it is never committed; a
register outside Git is not cached. Deleting the folder is always safe. A cache file that
cannot be read is ignored and replaced.
"""

import hashlib
import os
import pickle
from functools import cache
from importlib import metadata
from pathlib import Path

from scripts.files import write_atomic

FOLDER = "complaints-cache"
_CODE = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "schema")
_FORMAT = 1  # bump when what is stored changes shape


def blob_id(raw: bytes) -> str:
    """Git's ID of a file with these bytes (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def cache_folder(register_root: Path) -> Path | None:
    """Where the register's cache lives: in the Git folder of the repository holding it;
    None outside Git (or when the cache is turned off with COMPLAINTS_NO_CACHE=1)."""
    if os.environ.get("COMPLAINTS_NO_CACHE"):
        return None
    folder = Path(register_root).resolve()
    for candidate in (folder, *folder.parents):
        git = candidate / ".git"
        if git.is_dir():
            return git / FOLDER
        if git.is_file():  # a worktree or submodule: .git names the real folder
            text = git.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (candidate / text[len("gitdir:"):].strip()).resolve() / FOLDER
            return None
    return None


@cache
def _code_hash() -> str:
    # Once a process: the code does not change while it runs.
    digest = hashlib.sha1(str(_FORMAT).encode())
    for folder in _CODE:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    for package in ("holidays", "pydantic", "phonenumbers", "python-stdnum"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


class Cache:
    """One kind of result (`name`) for the files of a register, within a context.

    `get(path, raw)` gives the stored result or None; `put(path, raw, result)` stores one;
    `save()` writes what this run used or made, so results of removed files drop out.
    """

    def __init__(self, register_root: Path, name: str, *context: object):
        self.root = Path(register_root)
        folder = cache_folder(self.root)
        self.file = folder / f"{name}.pickle" if folder else None
        self.context = hashlib.sha1(repr((_code_hash(), self._policy(), context)).encode()
                                    ).hexdigest()
        self.stored = self._read()
        self.used: dict[tuple[str, str], object] = {}
        self.changed = False

    def _policy(self) -> str:
        try:
            return blob_id((self.root / "policy.yaml").read_bytes())
        except OSError:
            return ""

    def _read(self) -> dict:
        if self.file is None:
            return {}
        try:
            with open(self.file, "rb") as handle:
                context, entries = pickle.load(handle)
        except Exception:  # missing, truncated, or written by another version: start afresh
            return {}
        return entries if context == self.context and isinstance(entries, dict) else {}

    def key(self, path: Path, raw: bytes) -> tuple[str, str]:
        return (f"{path.parent.name}/{path.name}", blob_id(raw))

    def get(self, path: Path, raw: bytes):
        key = self.key(path, raw)
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, path: Path, raw: bytes, result) -> None:
        self.used[self.key(path, raw)] = result
        self.changed = True

    def fingerprint(self) -> bytes:
        """Names and contents of every file this run looked at, in one value."""
        return repr(sorted(self.used)).encode()

    def save(self, everything: bool = True) -> None:
        """Write the results of this run (nothing when the cache is off or unchanged).
        `everything`: this run read every file, so results it did not use are dropped."""
        if self.file is None or not (self.changed or everything and len(self.used) != len(self.stored)):
            return
        if not everything:
            self.used = {**self.stored, **self.used}
        try:
            write_atomic(self.file, pickle.dumps((self.context, self.used),
                                                 protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # a read-only repository still gets its answers, just not cached
            pass

