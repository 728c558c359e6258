"""The hash of the program's code (part of every cached result's context) is kept under
the files' stat, as Git's index keeps blob IDs: a run reads no code file when none changed,
and any change to a file, or to the installed packages, gives the hash of the code as it is."""

import os
from pathlib import Path

from complaints_register.store import cache


def _code(root: Path) -> tuple[str, ...]:
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("A = 1\n")
    (root / "sub" / "b.py").write_text("B = 2\n")
    (root / "notes.txt").write_text("not code\n")
    return (str(root),)


def _stamp(roots: tuple[str, ...]) -> str:
    import hashlib

    return hashlib.sha1(repr(cache._code_stamp(roots)[1]).encode()).hexdigest()


def test_the_kept_hash_is_the_hash_worked_out_from_the_files(tmp_path):
    roots = _code(tmp_path / "code")
    stamps = tmp_path / "stamps" / "code.pickle"
    stamps.parent.mkdir()
    fresh = cache.code_hash(roots, None)  # no file kept: worked out from the files
    assert cache.code_hash(roots, stamps) == fresh
    assert stamps.is_file()
    assert cache.code_hash(roots, stamps) == fresh  # from the file this time


def test_a_kept_hash_is_used_only_while_no_file_changed(tmp_path):
    roots = _code(tmp_path / "code")
    stamps = tmp_path / "code.pickle"
    # What a run kept: proof that the next run takes it from the file, unread code and all.
    cache._store(stamps, cache._SHAPE, {_stamp(roots): "kept"})
    assert cache.code_hash(roots, stamps) == "kept"
    b = tmp_path / "code" / "sub" / "b.py"
    b.write_text("B = 3\n")  # same size; its times (and ctime, which no one can set back) move
    os.utime(b, ns=(0, 0))
    changed = cache.code_hash(roots, stamps)
    assert changed != "kept"
    assert changed == cache.code_hash(roots, None)
    (tmp_path / "code" / "sub" / "c.py").write_text("")  # a new module
    assert cache.code_hash(roots, stamps) not in ("kept", changed)


def test_only_python_files_count_and_a_file_seen_twice_counts_once(tmp_path):
    roots = _code(tmp_path / "code")
    alone = cache.code_hash(roots, None)
    (tmp_path / "code" / "notes.txt").write_text("other notes\n")
    assert cache.code_hash(roots, None) == alone
    # An editable install shows the schema's folder inside the package's too.
    assert cache.code_hash((*roots, str(tmp_path / "code" / "sub")), None) == alone


def test_a_stamps_file_another_wrote_is_not_believed(tmp_path):
    roots = _code(tmp_path / "code")
    stamps = tmp_path / "code.pickle"
    import pickle

    stamps.write_bytes(pickle.dumps((cache._SHAPE, {_stamp(roots): "planted"})) + bytes(32))
    assert cache.code_hash(roots, stamps) == cache.code_hash(roots, None) != "planted"
