"""One file's bytes in and out: reads bounded by the size limit, and writes that are atomic;
and how a path is shown to people.

A register file is a plain (regular) file. A read never follows a symbolic link and never
waits on a FIFO: the file is opened with O_NOFOLLOW and O_NONBLOCK, and refused
(`NotAFile`, an OSError) unless `fstat` says it is a regular file. So a link cannot move a
complaint out of the register, and a named pipe cannot stop a command.

A write goes to a temporary file beside the target (`.<name>.<random>.tmp`), is flushed
to disk, and replaces the target in one step, so a crash leaves the old file or the new
one, never half of one. The new file keeps the permissions of the file it replaces; a new
file gets those of any new file (0666 less the umask, 0644 as a rule). A temporary file
that a killed run left behind is ignored by `check` (`is_temporary`) and removed by a later
write in the same folder once it is a few minutes old.

Two runs that change one file at once take turns: `locked` holds an exclusive lock on the
file (`flock`) from the moment it is read until the new version has replaced it, and
`create_new` makes a file only where there is none (a hard link of the finished temporary
file, which fails if the name is taken), so no run ever writes over another's work.
"""

import errno
import fcntl
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

from complaints_register.store.yamlsafe import MAX_BYTES


class RegisterError(Exception):
    """A request the register cannot answer (no such complaint, no register here...)."""


def kind_of(mode: int) -> str:
    """What a file system entry is, in words, from its `st_mode`."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def not_a_file(kind: str) -> str:
    """What to say of an entry of `kind` where a register file must be."""
    if kind == "a symbolic link":
        return (
            "a symbolic link, not a file: the register never follows links"
            " (put the file itself here, or remove the link)"
        )
    return f"{kind}, not a file: the register holds plain files only (remove it)"


class NotAFile(OSError):
    """A path that is not a regular file (a link, a folder, a FIFO, a device): never read."""

    def __init__(self, path: Path | str, kind: str):
        super().__init__(errno.EINVAL, not_a_file(kind), str(path))
        self.kind = kind


def shown(path: Path) -> str:
    """A path as printed in messages: relative to the working folder when inside it."""
    # Strings, not paths: `check` names every file it reads, and a Path's parent, the
    # working folder as a Path and hashing both for the look-up cost more than the rest.
    folder, name = os.path.split(str(path) if isinstance(path, PurePath) else str(Path(path)))
    return os.path.join(_shown_folder(folder or ".", os.getcwd()), name)


@lru_cache(maxsize=64)
def _shown_folder(folder: str, cwd: str) -> str:
    # Once a folder: resolving a path asks the file system about every part of it.
    try:
        return str(Path(folder).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return folder


_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def open_regular(path: Path | str) -> tuple[int, os.stat_result]:
    """(descriptor, fstat) of the regular file at `path`, opened for reading without
    following a symbolic link or waiting on a FIFO; NotAFile for anything else, OSError
    when it cannot be opened."""
    try:
        handle = os.open(path, _READ)
    except OSError as error:
        # O_NOFOLLOW: a link (or a loop of links) as the last part of the path is ELOOP.
        if error.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            raise NotAFile(path, "a symbolic link") from None
        raise
    except ValueError:  # a NUL byte in the name: no file has one
        raise OSError(errno.EINVAL, "not a file name (it holds a NUL byte)", str(path)) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(path, kind_of(info.st_mode))
    except BaseException:
        os.close(handle)
        raise
    return handle, info


_CHUNK = 64 * 1024


def _read(handle: int, info: os.stat_result) -> bytes:
    """Up to the limit plus one bytes (so an oversized file is told), read to the end.
    The first read asks for the size `fstat` gave (plus one) rather than for the limit, so
    that no megabyte is set aside for every small file."""
    chunks, left = [], MAX_BYTES + 1
    wanted = min(info.st_size + 1, left)
    while left > 0:
        chunk = os.read(handle, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
        wanted = min(left, _CHUNK)  # the end is the read that finds nothing more
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_raw(path: Path | str) -> bytes:
    """A regular file's bytes, never more than the limit plus one (so an oversized file is
    told); NotAFile for a link, folder, FIFO or device, OSError when it cannot be read."""
    handle, info = open_regular(path)
    try:
        return _read(handle, info)
    finally:
        os.close(handle)


class Changed(RegisterError):
    """A file changed by someone else between this run's read and its write."""


@dataclass(frozen=True)
class Held:
    """A file read under `locked`: its bytes, and the one way to write its new version."""

    path: Path
    raw: bytes
    info: os.stat_result

    def require_unchanged(self) -> None:
        """Changed, when the file is not the one read any more: a program that takes no
        lock (an editor, `git checkout`) wrote it since (compare and swap)."""
        try:
            now = os.stat(self.path, follow_symlinks=False)
        except FileNotFoundError:
            now = None
        if now is None or _signature(now) != _signature(self.info):
            raise Changed(
                f"{shown(self.path)} changed while this run was working on it (another"
                " program wrote it): nothing was written; run the command again"
            )

    def replace(self, content: str | bytes) -> None:
        """Replace the file with `content` (`write_atomic`, keeping its permissions), unless
        it changed since it was read."""
        self.require_unchanged()
        write_atomic(self.path, content, mode=stat.S_IMODE(self.info.st_mode))


def _signature(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


_NO_LOCKS = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP)
"""What `flock` says on a file system that keeps no locks (some network file systems)."""


@contextmanager
def locked(path: Path) -> Iterator[Held]:
    """The regular file at `path`, read under an exclusive lock on it that lasts until the
    block ends: write its new version with `Held.replace` within the block. Another run
    waiting for the lock then finds the file replaced, and reads and locks the new version,
    so it never works from the version it waited on. Where the file system keeps no
    locks, `replace` still refuses to write over a version it did not read."""
    while True:
        handle, held = open_regular(path)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError as error:
                if error.errno not in _NO_LOCKS:
                    raise
            held = os.fstat(handle)  # as it is now that it is this run's
            now = os.stat(path, follow_symlinks=False)
        except BaseException:
            os.close(handle)
            raise
        if (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(handle)  # replaced while this run waited: lock the version there now
    try:
        yield Held(Path(path), _read(handle, held), held)
    finally:
        os.close(handle)  # and with it the lock


_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]+\.tmp")
STALE_SECONDS = 300
"""A temporary file of a write older than this was left by a run that was killed."""


def is_temporary(name: str) -> bool:
    """Whether `name` is the name of a writer's temporary file (`.<name>.<random>.tmp`)."""
    return name.endswith(".tmp") and _TEMPORARY.fullmatch(name) is not None


def _temporary(path: Path, data: bytes, mode: int | None) -> str:
    """A temporary file beside `path` holding `data`, flushed to disk: with `mode`, or as
    a new file is made (0666 less the umask) when None."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        temporary = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            handle = os.open(temporary, flags, 0o666 if mode is None else mode)
            break
        except FileExistsError:  # pragma: no cover - 32 random bits taken
            continue
    try:
        with os.fdopen(handle, "wb") as out:
            if mode is not None:
                os.fchmod(out.fileno(), mode)  # exactly, whatever the umask
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _remove(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def write_atomic(path: Path, content: str | bytes, mode: int | None = None) -> None:
    """Replace (or create) `path` with `content` (text is written as UTF-8), all at once.
    The file keeps the permissions of the one it replaces, unless `mode` is given."""
    if mode is None:
        try:
            old = os.stat(path, follow_symlinks=False)
            mode = stat.S_IMODE(old.st_mode) if stat.S_ISREG(old.st_mode) else None
        except FileNotFoundError:
            pass
    temporary = _temporary(path, _as_bytes(content), mode)
    try:
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise
    remove_stale(path.parent)


def create_new(path: Path, content: str | bytes, mode: int | None = None) -> None:
    """Create `path` with `content`, all at once, only if nothing has that name:
    FileExistsError otherwise (whatever is there, even made a moment ago by another run)."""
    temporary = _temporary(path, _as_bytes(content), mode)
    try:
        os.link(temporary, path)  # fails if the name is taken: never replaces
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        _create_in_place(path, _as_bytes(content), mode)  # no hard links on this file system
    finally:
        _remove(temporary)
    remove_stale(path.parent)


def _create_in_place(path: Path, data: bytes, mode: int | None) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    handle = os.open(path, flags, 0o666 if mode is None else mode)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def remove_stale(folder: Path) -> None:
    """Remove the temporary files that killed writes left in `folder` (regular files
    named as a writer names them, older than `STALE_SECONDS`)."""
    limit = time.time() - STALE_SECONDS
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if (
                    entry.name.startswith(".")
                    and is_temporary(entry.name)
                    and entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_mtime < limit
                ):
                    _remove(entry.path)
    except OSError:  # another run removing it too, or a folder this run may not change
        pass
