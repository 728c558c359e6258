"""One file's bytes in and out: reads bounded by the size limit, and writes that are atomic;
and how a path is shown to people.

A write goes to a temporary file beside the target, is flushed to disk, and replaces the
target in one step, so a crash leaves the old file or the new one, never half of one.
"""

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from complaints_register.store.yamlsafe import MAX_BYTES


class RegisterError(Exception):
    """A request the register cannot answer (no such complaint, no register here...)."""


def shown(path: Path) -> str:
    """A path as printed in messages: relative to the working folder when inside it."""
    return os.path.join(_shown_folder(path.parent, Path.cwd()), path.name)


@lru_cache(maxsize=64)
def _shown_folder(folder: Path, cwd: Path) -> str:
    # Once a folder: resolving a path asks the file system about every part of it.
    try:
        return str(folder.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(folder)


def read_raw(path: Path | str) -> bytes:
    """A file's bytes, never more than the limit plus one (so an oversized file is told)."""
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)  # never more than the limit, however large the file
    return raw


def write_atomic(path: Path, content: str | bytes) -> None:
    """Replace (or create) `path` with `content` (text is written as UTF-8), all at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
