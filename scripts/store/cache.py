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

A cache file is read only if this user's program wrote it. Unpickling runs whatever a pickle
names, and a Git folder can come from anywhere (an archive, a shared drive). So every cache
file ends with an HMAC-SHA256 of its pickle under a key kept outside every repository
(`$XDG_CACHE_HOME/complaints-register/key`, made on first use and readable by its owner
only; or derived from the secret in $COMPLAINTS_CACHE_KEY, for CI runners that share a
cache), and a file whose HMAC does not match is ignored unread. The cache is kept only in a
Git folder that Git itself would take for one (HEAD, objects and refs), and never through a
symbolic link.

Like Git's index, the cache also remembers each file's blob ID with the file's size, times
and inode (`Blobs`), so a file that has not been touched since is not read again to learn
its ID. A file written in the last few seconds is always read: a second write within the
file system's clock tick would leave its times as they were.
"""

import contextlib
import gc
import hashlib
import hmac
import os
import pickle
import re
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar, cast

from complaints_register.store.files import read_raw, write_atomic
from complaints_register.store.progress import progress
from complaints_register.store.repository import git_folder

FOLDER = "complaints-cache"
_CODE = ("complaints_register", "complaints_register.schema")
_FORMAT = 2  # bump when what is stored changes shape
_SHAPE = f"format {_FORMAT}"  # the context of what depends on no policy or code: blob IDs
RECENT_NS = 3 * 10**9
"""A file changed less than this long ago (nanoseconds) is read again, whatever its stat."""
KEY_FOLDER = "complaints-register"
"""In the user's cache folder ($XDG_CACHE_HOME, else ~/.cache): the key, file `key`."""
_KEY_BYTES = 32
_TAG_BYTES = 32  # an HMAC-SHA256, after the pickle
_LARGEST = 1 << 30
"""A cache file larger than this (bytes) is ignored unread: many times what 100,000
complaints make, and a bound on what a planted file can make this program read."""
_ALL_FILE = re.compile(r"[0-9a-f]{40}\.pickle")
"""The name of a file of whole-register results: the only files pruning may delete."""
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)

_Result = TypeVar("_Result")


def blob_id(raw: bytes) -> str:
    """Git's ID of a file with these bytes (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def cache_folder(register_root: Path) -> Path | None:
    """Where the register's cache lives: in the Git folder of the repository holding it;
    None outside Git, in a `.git` folder that is not a Git folder, where the cache folder is
    a symbolic link, without a key (see `key_file`), or when the cache is turned off with
    COMPLAINTS_NO_CACHE=1."""
    if os.environ.get("COMPLAINTS_NO_CACHE"):
        return None
    git = git_folder(Path(register_root))
    if git is None or not is_git_folder(git) or _key() is None:
        return None
    folder = git / FOLDER
    return folder if _may_hold_cache(folder) else None


def is_git_folder(folder: Path) -> bool:
    """Whether `folder` is a Git folder as Git itself tells one: a HEAD file, and objects
    and refs folders (a linked worktree's are in the folder its `commondir` file names).
    A `.git` folder that is only named so (made by hand, or unpacked from an archive
    without the rest) holds no cache."""
    try:
        common = folder
        if (folder / "commondir").is_file():
            named = read_raw(folder / "commondir").decode("utf-8").strip()
            common = folder / named
        return (
            (folder / "HEAD").is_file()
            and (common / "objects").is_dir()
            and (common / "refs").is_dir()
        )
    except (OSError, ValueError):
        return False


def _may_hold_cache(folder: Path) -> bool:
    """A folder the cache may read from and write to: a folder, or none yet, but never a
    symbolic link (which would send reads, writes and pruning elsewhere)."""
    try:
        return stat.S_ISDIR(folder.lstat().st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def key_file() -> Path | None:
    """Where the key that signs this user's cache files is kept: outside every repository,
    in the user's own cache folder ($XDG_CACHE_HOME, else ~/.cache); None if there is none."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return root / KEY_FOLDER / "key"


KEY_VARIABLE = "COMPLAINTS_CACHE_KEY"
"""An environment variable that, when set, gives the key instead of the key file: a secret
of at least `_SECRET_CHARS` characters that the machines sharing a cache hold (CI runners
that restore `.git/complaints-cache` from the CI's cache: each starts with no key file)."""
_SECRET_CHARS = 32


def _key() -> bytes | None:
    """The key of this user's cache files, made on first use; None if it can be neither
    read nor made (then nothing is cached). From COMPLAINTS_CACHE_KEY when that is set
    (None, and nothing cached, when it is too short to be a secret)."""
    secret = os.environ.get(KEY_VARIABLE)
    if secret is not None:
        return _key_from(secret)
    file = key_file()
    return _key_in(file) if file is not None else None


@cache
def _key_from(secret: str) -> bytes | None:
    if len(secret) < _SECRET_CHARS:
        return None
    return hashlib.sha256(b"complaints-register cache key\0" + secret.encode()).digest()


@cache
def _key_in(file: Path) -> bytes | None:
    try:
        return _read_key(file)
    except FileNotFoundError:
        replace = False  # keep a key another process makes meanwhile
    except (OSError, ValueError):
        replace = True  # a link, another's, readable by others, or not a key: a new one
    try:
        _make_key(file, replace)
        return _read_key(file)
    except (OSError, ValueError):
        return None


def _read_key(file: Path) -> bytes:
    """The key in `file`. OSError if there is none or it is a symbolic link; ValueError if it
    is not a key this user alone can read."""
    handle = os.open(file, os.O_RDONLY | _NO_FOLLOW)
    try:
        status = os.fstat(handle)
        if (
            not stat.S_ISREG(status.st_mode)
            or status.st_mode & 0o077
            or (hasattr(os, "getuid") and status.st_uid != os.getuid())
        ):
            raise ValueError(f"{file} is not a key of this user's")
        key = os.read(handle, _KEY_BYTES + 1)
    finally:
        os.close(handle)
    if len(key) != _KEY_BYTES:
        raise ValueError(f"{file} is not a key")
    return key


def _make_key(file: Path, replace: bool) -> None:
    """Write a new random key to `file`, readable by its owner only: whole or not at all."""
    file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".key.")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(_KEY_BYTES))
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temporary, file)
        else:
            try:
                os.link(temporary, file)  # fails if another process made one first
            except FileExistsError:
                pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _tag(key: bytes, data: bytes | memoryview) -> bytes:
    return hmac.digest(key, data, "sha256")


CODE_STAMPS = "code.pickle"
"""In the key's folder: the hash of this program's code, under the `_code_stamp` it was
worked out for (so that a run need not read every file of the program to know it)."""
_STAMPS_KEPT = 64  # versions of the code (and installs of it) that one user runs by turns


@cache
def _code_hash() -> str:
    """What this program's code and the packages whose data decide its answers are, in
    one value: part of every cached result's context. Once a process (the code does not
    change while it runs), and worked out from the files only when their stat changed."""
    import complaints_register.schema  # noqa: F401  # the second of _CODE, in sys.modules

    roots = tuple(folder for package in _CODE for folder in sys.modules[package].__path__)
    file = None if os.environ.get("COMPLAINTS_NO_CACHE") else key_file()
    return code_hash(roots, None if file is None else file.parent / CODE_STAMPS)


def code_hash(roots: tuple[str, ...], stamps: Path | None) -> str:
    """The hash of the code in the folders `roots` (`_code_hash`): from the file `stamps`
    when it holds one for the code's files as they are now, else worked out and kept
    there (like `Blobs`, by each file's size, times and inode, and the times of the folders
    the packages are installed in, which every install changes)."""
    files, stat = _code_stamp(roots)
    stamp = hashlib.sha1(repr(stat).encode()).hexdigest()  # a short key for a long tuple
    key = _key() if stamps is not None else None
    kept = _load(stamps, _SHAPE) if key is not None else {}
    found = kept.get(stamp)
    if isinstance(found, str):
        return found
    found = _hash_of_code(files)
    if key is not None:
        kept = {k: v for k, v in kept.items() if k != stamp}
        recent = dict(list(kept.items())[-(_STAMPS_KEPT - 1) :])
        _store(stamps, _SHAPE, {**recent, stamp: found})
    return found


def _code_stamp(roots: tuple[str, ...]) -> tuple[list[str], tuple[object, ...]]:
    """The program's files (each once, though an editable install may show one through two
    folders), and what changes when any of them, or any installed package, changes."""
    seen: dict[tuple[int, int], tuple[str, tuple[int, int, int, int]]] = {}
    folders = list(roots)
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    status = entry.stat()  # through a link: an editable install's are
                    seen.setdefault(
                        (status.st_dev, status.st_ino), (entry.path, _signature(status))
                    )
                elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
    installed = []
    for folder in sys.path:
        with contextlib.suppress(OSError):
            if folder and os.path.isdir(folder):
                status = os.stat(folder)
                installed.append((folder, status.st_mtime_ns, status.st_ctime_ns, status.st_ino))
    files = [path for path, _ in seen.values()]
    return files, (_FORMAT, tuple(sorted(seen.items())), tuple(installed))


def _hash_of_code(files: list[str]) -> str:
    digest = hashlib.sha1(str(_FORMAT).encode())
    for path in sorted(files, key=os.path.realpath):
        with open(path, "rb") as code:  # through a link: an editable install's are
            digest.update(os.path.basename(path).encode() + code.read())
    for package in ("holidays", "pydantic", "phonenumbers", "python-stdnum"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def _load(file: Path | None, context: str) -> dict[Any, Any]:
    """The entries pickled in `file` with `context`; none if it is missing or another's, and
    none, unpickled, if this user's program did not write it (its HMAC does not match)."""
    key = _key() if file is not None else None
    raw = _read_cache_file(file) if file is not None and key is not None else None
    if raw is None or key is None or len(raw) < _TAG_BYTES:
        return {}
    pickled = memoryview(raw)[:-_TAG_BYTES]
    if not hmac.compare_digest(_tag(key, pickled), raw[-_TAG_BYTES:]):
        return {}  # another's, or changed since: never unpickled
    gc.disable()  # unpickling makes many objects, and garbage none: collecting is wasted
    try:
        stored_context, entries = pickle.loads(pickled)
    except Exception:  # written by another version of this program: start afresh
        return {}
    finally:
        gc.enable()
    return entries if stored_context == context and isinstance(entries, dict) else {}


def _read_cache_file(file: Path) -> bytes | None:
    """The bytes of `file` if it is a regular file no larger than _LARGEST, reached without
    a symbolic link at its end (its folders are checked when the cache starts); else None."""
    try:
        handle = os.open(file, os.O_RDONLY | _NO_FOLLOW)
    except OSError:  # missing, or a symbolic link
        return None
    with os.fdopen(handle, "rb") as opened:
        try:
            status = os.fstat(handle)
            if not stat.S_ISREG(status.st_mode) or status.st_size > _LARGEST:
                return None  # a FIFO or a device would block, or never end
            return opened.read(status.st_size + 1)  # to the end: it was no larger
        except OSError:
            return None


def _store(file: Path | None, context: str, entries: dict[Any, Any]) -> None:
    key = _key() if file is not None else None
    if file is None or key is None or not _may_hold_cache(file.parent):
        return
    pickled = pickle.dumps((context, entries), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_atomic(file, pickled + _tag(key, pickled))
    except OSError:  # a read-only repository still gets its answers, just not cached
        pass


def _keep_newest(folder: Path, count: int) -> None:
    """Delete all but the `count` newest files of whole-register results in `folder`: only
    files named as this module names them, and nothing through a symbolic link."""
    if not _may_hold_cache(folder):
        return
    try:
        files = sorted(
            (f for f in folder.iterdir() if _ALL_FILE.fullmatch(f.name)),
            key=lambda f: f.lstat().st_mtime_ns,
            reverse=True,
        )
        for old in files[count:]:
            old.unlink()
    except OSError:  # another run pruning at the same time, or a read-only repository
        pass


def _any_all_file(folder: Path) -> bool:
    """Whether `folder` holds a file of whole-register results (or cannot be listed)."""
    try:
        with os.scandir(folder) as entries:
            return any(_ALL_FILE.fullmatch(entry.name) for entry in entries)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # let the lookup find out


def name_of(path: Path | str) -> str:
    """A complaint file's name in the cache: its year folder and file name."""
    # From the string: pathlib's parts cost more than the rest of a warm run together.
    text = str(path)
    return text[text.rfind(os.sep, 0, text.rfind(os.sep)) + 1 :].replace(os.sep, "/")


def _signature(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What changes when a file is written, replaced or touched (as Git's index keeps)."""
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


class Blobs:
    """The blob IDs of a register's files, read again only when a file's stat changed."""

    def __init__(self, folder: Path | None):
        self.file = folder / "blobs.pickle" if folder else None
        # name -> (stat signature, blob ID)
        self.known: dict[str, tuple[tuple[int, int, int, int], str]] = _load(self.file, _SHAPE)
        self.changed = False
        self.seen: dict[str, str] = {}  # this process's answers: files do not change in one run
        self.read_before: dict[str, bytes | None] = {}  # read by `fingerprint`, not yet asked for

    def of(self, path: Path | str, name: str | None = None) -> tuple[str, bytes | None]:
        """(blob ID, the bytes if they had to be read) of the file at `path` (whose
        `name_of` is `name`, if known); OSError if it cannot be read."""
        name = name or name_of(path)
        if name in self.seen:
            return self.seen[name], self.read_before.pop(name, None)
        stat = os.stat(path)
        known = self.known.get(name)
        if known is not None and known[0] == _signature(stat):
            self.seen[name] = known[1]
            return known[1], None
        raw = read_raw(path)
        blob = blob_id(raw)
        self.learn(name, blob, _signature(stat))
        return blob, raw

    def learn(self, name: str, blob: str, signature: tuple[int, int, int, int]) -> None:
        """Note that the file `name`, with this stat `signature` (taken before it was
        read), has the blob ID `blob`: kept for later runs unless it changed just now."""
        self.seen[name] = blob
        if max(signature[0], signature[1]) < time.time_ns() - RECENT_NS:
            self.known[name] = (signature, blob)
            self.changed = True

    def fingerprint(self, root: Path, names: list[str]) -> bytes:
        """The names and contents of the files `names` in the folder `root`, in one value;
        the name alone of a file that cannot be read."""
        folder, known, seen = f"{root}{os.sep}", self.known, self.seen
        lines: list[str] = []
        status_of, line = os.stat, lines.append  # looked up once: this loop is a warm run
        for name in names:  # `of`, with its commonest case first, and `_signature` inline
            blob = seen.get(name)
            if blob is not None:  # learnt in this run (files do not change in one run)
                line(f"{name} {blob}")
                continue
            path = folder + name  # not os.path.join: a tenth of the loop's time
            try:
                entry = known.get(name)
                if entry is not None:
                    now = status_of(path)
                    if entry[0] == (now.st_mtime_ns, now.st_ctime_ns, now.st_size, now.st_ino):
                        seen[name] = blob = entry[1]
                        line(f"{name} {blob}")
                        continue
                # keep the bytes for whoever asks next: each file is read once
                blob, self.read_before[name] = self.of(path, name)
            except OSError:
                blob = "unreadable"
            line(f"{name} {blob}")
        return hashlib.sha1("\n".join(lines).encode()).hexdigest().encode()

    def save(self) -> None:
        if self.changed:
            _store(self.file, _SHAPE, self.known)
            self.changed = False


class Cache:
    """One kind of result (`name`) for a register's files, within a context, at two levels.

    Each file: `get(path)` gives the stored result for the file as it is now, or None;
    `put(path, raw, result)` stores one. All the files: `get_all(names)` gives the result
    stored for exactly these files as they are now, or None; `put_all(result)` stores it.
    A run that finds its answer with `get_all` never loads the results of single files.
    `save()` writes what this run used or made, so results of removed files drop out.
    """

    KEPT_ALL = 8  # results for the whole register, a file each: for as many as-of dates...

    def __init__(
        self, register_root: Path, name: str, *context: object, blobs: Blobs | None = None
    ):
        """`blobs`: another cache's, to share what it learnt of the files in this run."""
        self.root = Path(register_root)
        folder = cache_folder(self.root)
        self.file = folder / f"{name}.pickle" if folder else None
        self.all_folder = folder / f"{name}-all" if folder else None
        self.folder = folder
        self._blobs = blobs
        self.context = hashlib.sha1(
            repr((_code_hash(), self._policy(), context)).encode()
        ).hexdigest()
        self._stored: dict[tuple[str, str], object] | None = None
        self.used: dict[tuple[str, str], object] = {}
        self.changed = False
        self._all: tuple[Path, bytes, object] | None = None  # file, fingerprint, result
        self._names: list[str] = []  # what `get_all` was asked about, when it left the
        # fingerprint to `save` (then `_all` holds the folder and an empty fingerprint)

    def _policy(self) -> str:
        try:
            return blob_id((self.root / "policy.yaml").read_bytes())
        except OSError:
            return ""

    @property
    def blobs(self) -> Blobs:
        """What this run learnt of the files' blob IDs (loaded when first needed)."""
        if self._blobs is None:
            self._blobs = Blobs(self.folder)
        return self._blobs

    @property
    def stored(self) -> dict[tuple[str, str], object]:
        if self._stored is None:
            self._stored = _load(self.file, self.context)
        return self._stored

    def get(self, path: Path) -> tuple[object | None, bytes | None]:
        """(the stored result or None, the file's bytes if they had to be read to know its
        blob ID). OSError if the file cannot be read."""
        name = name_of(path)
        blob, raw = self.blobs.of(path, name)
        key = (name, blob)
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found, raw

    def get_for(self, name: str, raw: bytes) -> object:
        """The result stored for `name` with the content `raw` (not a file), or None."""
        key = (name, blob_id(raw))
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, path: Path | str, raw: bytes, result: object) -> None:
        """Store `result` for the file at `path` (or for a `name`) with the content `raw`."""
        self.put_blob(path if isinstance(path, str) else name_of(path), blob_id(raw), result)

    def put_blob(self, name: str, blob: str, result: object) -> None:
        """Store `result` for the file `name` whose content has the blob ID `blob`."""
        self.used[(name, blob)] = result
        self.changed = True

    def holds_none(self) -> bool:
        """Whether no result of a single file is stored in this context: then none is
        found whatever a file holds, and no file need be hashed to look for one."""
        return not self.stored

    def get_all(self, names: list[str]) -> object:
        """The result stored for exactly the files `names` (`Register.complaint_names`) as
        they are now, or None."""
        if self.all_folder is None:  # no cache: nothing to find, and no need to hash every file
            return None
        if not _any_all_file(self.all_folder):
            # Nothing stored for any register (a cold run): nothing to find, and the files
            # are hashed where they are read, on every core; `save` fingerprints them then.
            self._all = (self.all_folder, b"", None)
            self._names = names
            return None
        fingerprint = self.blobs.fingerprint(self.root, names)
        self.blobs.save()
        file = (
            self.all_folder
            / f"{hashlib.sha1(self.context.encode() + fingerprint).hexdigest()}.pickle"
        )
        self._all = (file, fingerprint, None)
        return _load(file, self.context).get(fingerprint)

    def put_all(self, result: object) -> None:
        """Store `result` for the files `get_all` was last asked about."""
        if self._all is not None:
            self._all = (*self._all[:2], result)

    def save(self, everything: bool = True) -> None:
        """Write the results of this run (nothing when the cache is off or unchanged).
        `everything`: this run read every file, so results it did not use are dropped."""
        if self._blobs is not None:
            self._blobs.save()
        if self._all and self._all[2] is not None:
            file, fingerprint, result = self._all
            if not fingerprint:  # `get_all` left it to now: the files' IDs are known by now
                fingerprint = self.blobs.fingerprint(self.root, self._names)
                self.blobs.save()
                name = hashlib.sha1(self.context.encode() + fingerprint).hexdigest()
                file = file / f"{name}.pickle"
            _store(file, self.context, {fingerprint: result})
            _keep_newest(file.parent, self.KEPT_ALL)  # all_folder, where `file` is
        if self.file is None or not (
            self.changed or (everything and len(self.used) != len(self.stored))
        ):
            return
        _store(self.file, self.context, self.used if everything else {**self.stored, **self.used})


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No garbage collection meanwhile: a run over 100,000 files makes millions of objects
    and no garbage, and each full collection walks them all (it took most of a new day's
    `overdue`)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def worked_out(
    cache: Cache,
    paths: list[Path],
    work: Callable[..., _Result],
    *shared: object,
    what: str,
    lasting: Callable[[_Result], bool] = lambda result: True,
) -> dict[Path, _Result]:
    """`work((path, bytes), *shared)` for each file at `paths` (None for the bytes of one
    that cannot be read): the result kept in `cache` where there is one, else worked out
    now, on every core when there are many, and kept if it is `lasting`. `work` must be a
    module-level function (see `complaints_register.store.pool`); `what` names the work on a progress bar."""
    found = worked_out_in_order(cache, paths, work, *shared, what=what, lasting=lasting)
    return dict(zip(paths, found, strict=True))


def worked_out_in_order(
    cache: Cache,
    paths: list[Path],
    work: Callable[..., _Result],
    *shared: object,
    what: str,
    lasting: Callable[[_Result], bool] = lambda result: True,
) -> list[_Result]:
    """`worked_out`, as a list in the order of `paths`: no path is hashed (hashing 100,000
    paths took a quarter of a new day's `overdue`). When the cache holds no result in this
    context (a cold run), no file is read here: each is read, hashed and worked on in one
    of the pool's processes, so that this process, which would read them one after another
    while the others wait, only gathers the results."""
    from complaints_register.store.pool import each  # its process pool: only for work to do

    with no_collection():
        if cache.holds_none():
            names = [name_of(path) for path in paths]
            sent = progress(each(_read_and_work, paths, work, *shared), what, len(paths))
            made: list[_Result] = []
            blobs = cache.blobs
            for name, (blob, signature, result) in zip(names, sent, strict=True):
                made.append(result)
                if blob is not None and signature is not None:
                    blobs.learn(name, blob, signature)
                    if lasting(result):
                        cache.put_blob(name, blob, result)
            return made
        found: list[_Result | None] = [None] * len(paths)
        todo: list[tuple[Path, bytes | None]] = []
        at: list[int] = []  # where in `found` each of `todo` goes
        blobs_of: list[str | None] = []  # the blob ID of each of `todo`, None if unreadable
        for index, path in enumerate(progress(paths, "Looking for changes")):
            try:
                kept, raw = cache.get(path)
                stored = cast("_Result | None", kept)  # what `work` gave for this file before
                if stored is not None and lasting(stored):
                    found[index] = stored
                    continue
                # the ID of the bytes read to learn it; else the bytes read now are hashed
                blobs_of.append(None if raw is None else cache.blobs.seen.get(name_of(path)))
                todo.append((path, read_raw(path) if raw is None else raw))
            except OSError:
                todo.append((path, None))
                blobs_of.append(None)
            at.append(index)
        results = progress(each(work, todo, *shared), what, len(todo))
        for index, (path, raw), blob, result in zip(at, todo, blobs_of, results, strict=True):
            found[index] = result
            if raw is not None and lasting(result):
                if blob is None:
                    cache.put(path, raw, result)
                else:
                    cache.put_blob(name_of(path), blob, result)
        return cast("list[_Result]", found)  # every place filled, from the cache or `work`


def _read_and_work(
    path: Path, work: Callable[..., _Result], *shared: object
) -> tuple[str | None, tuple[int, int, int, int] | None, _Result]:
    """(blob ID, stat signature, `work((path, bytes), *shared)`) of the file at `path`, as
    `Blobs.of` and `worked_out` would have them (the stat taken before the read); the IDs
    None, and `work` given None for the bytes, when it cannot be read."""
    try:
        signature = _signature(os.stat(path))
        raw = read_raw(path)
    except OSError:
        return None, None, work((path, None), *shared)
    return blob_id(raw), signature, work((path, raw), *shared)
