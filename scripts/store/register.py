"""The register on disk: where its files are, and reading them into models.

Layout: `<register>/policy.yaml` and `<register>/YYYY/<ID>.yaml`, one file per complaint in
the folder of its year of receipt. Only the files asked for are read: finding a complaint by
ID looks at file names, never at contents.
"""

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Generic, cast

from typing_extensions import TypeVar

from complaints_register.core.problems import Problem, ProblemsFound
from complaints_register.schema.ids import is_id, normalise_id
from complaints_register.store.fast_yaml import read
from complaints_register.store.files import (
    RegisterError,
    is_temporary,
    kind_of,
    not_a_file,
    read_raw,
    shown,
)
from complaints_register.store.yamlsafe import Document, YamlError

if TYPE_CHECKING:  # pydantic and the models are loaded when a file is first validated
    from pydantic import BaseModel

    from complaints_register.core.working_days import Calendar
    from complaints_register.schema import Policy

POLICY_FILE = "policy.yaml"
_YEAR = re.compile(r"[0-9]{4}")

# The model a file is read as. Covariant, so a Loaded[Complaint] is a Loaded; BaseModel
# when not said (typing_extensions: Python 3.11's TypeVar takes no default).
_Model = TypeVar("_Model", bound="BaseModel", covariant=True, default="BaseModel")


@dataclass
class Loaded(Generic[_Model]):
    """One file as read: its document and model when it could be made, else problems."""

    path: Path
    shown: str
    document: Document | None = None
    model: _Model | None = None
    problems: list[Problem] = field(default_factory=list)


def load(path: Path, model: type[_Model]) -> Loaded[_Model]:
    """Read and validate one file; problems instead of exceptions."""
    try:
        raw = read_raw(path)
    except OSError as error:
        return Loaded(
            path,
            shown(path),
            problems=[Problem(shown(path), 0, "", f"cannot read: {error.strerror}")],
        )
    return from_bytes(path, raw, model)


def from_bytes(path: Path, raw: bytes, model: type[_Model]) -> Loaded[_Model]:
    """Validate `raw` as the contents of `path` (which need not exist yet)."""
    loaded: Loaded[_Model] = Loaded(path, shown(path))
    try:
        loaded.document = read(raw)  # the fast parser for a plain file, else the careful one
    except YamlError as error:
        loaded.problems.append(Problem(loaded.shown, error.line, "", error.message))
        return loaded
    from complaints_register.store.validation import validate

    loaded.model, errors = validate(model, loaded.document)
    loaded.problems += [Problem(loaded.shown, line, where, msg) for line, where, msg in errors]
    return loaded


class Register:
    """A register folder.

    Listing it (`year_folders`, `complaint_names`, `files_in`) looks at each entry's type
    as the folder listing gives it, without a call per file, and keeps to plain files and
    real folders: a symbolic link, a FIFO, a device, a folder where a file belongs or a
    file where nothing belongs is never read, and is noted in `strays` instead, which
    `complaints check` reports (`stray_problems`). A folder that cannot be listed is noted
    there too, and the rest of the register is listed as usual.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.strays: dict[str, str] = {}
        """What listing found out of place: name within the register -> what is wrong."""
        self._policy_read: tuple[bytes, object] | None = None  # the bytes, and the model

    @property
    def policy_path(self) -> Path:
        return self.root / POLICY_FILE

    def require(self) -> None:
        """RegisterError unless this folder holds a register (a policy.yaml; whether it
        can be read as a file is the policy's first problem)."""
        try:
            os.stat(self.policy_path, follow_symlinks=False)
        except (OSError, ValueError):  # ValueError: a NUL byte in the folder's name
            raise RegisterError(
                f"no register at {shown(self.root)}: {POLICY_FILE} is missing"
                " (create one with `complaints init DIR`, or name it with --register DIR)"
            ) from None

    def policy_is_a_file(self) -> bool:
        """Whether policy.yaml is a regular file (not a link, a FIFO, a folder...)."""
        try:
            return stat.S_ISREG(os.stat(self.policy_path, follow_symlinks=False).st_mode)
        except (OSError, ValueError):
            return False

    def policy(self) -> "Policy":
        """The policy, or ProblemsFound: nothing can be worked out without it."""
        from complaints_register.schema import Policy

        self.require()
        from complaints_register.store.cache import (
            Cache,  # the policy once validated: checking it is slow
        )

        try:
            raw = read_raw(self.policy_path)
        except OSError:
            raise ProblemsFound(load(self.policy_path, Policy).problems) from None
        cache = Cache(self.root, "policy")
        model = cache.get_for(POLICY_FILE, raw)
        if model is None:
            loaded = from_bytes(self.policy_path, raw, Policy)
            if loaded.problems:
                raise ProblemsFound(loaded.problems)
            model = loaded.model
            cache.put(POLICY_FILE, raw, model)
            cache.save()
        self._policy_read = (raw, model)
        return cast("Policy", model)  # the "policy" cache holds nothing else

    def calendar(self, policy: "Policy") -> "Calendar":
        """`calendar_for(policy)`, kept in the cache under the policy file it was made from
        when `policy` is what `policy()` last read, with the holidays of the register's
        years and the next few already looked up: `holidays` looks at every country it
        knows the first time it is asked about a year, which takes longer than the rest of
        a `show`."""
        from complaints_register.core.working_days import calendar_for
        from complaints_register.store.cache import Cache

        if self._policy_read is None or self._policy_read[1] is not policy:
            return calendar_for(policy)
        raw = self._policy_read[0]
        cache = Cache(self.root, "calendar")
        found = cache.get_for(POLICY_FILE, raw)
        if found is None:
            found = calendar_for(policy)
            this_year = found.today().year
            years = {int(name) for name in self._year_names()}
            for year in sorted(years | set(range(this_year - 1, this_year + 3))):
                found.is_working(date(year, 1, 1))  # the year's holidays, looked up now
            cache.put(POLICY_FILE, raw, found)
            cache.save()
        return cast("Calendar", found)  # the "calendar" cache holds nothing else

    def year_folders(self) -> list[Path]:
        return [self.root / name for name in self._year_names()]

    def _year_names(self) -> list[str]:
        """The names of the year folders; what else is at the top is noted in `strays`."""
        years = []
        for name, kind in self._listed(self.root, ""):
            if _YEAR.fullmatch(name):
                if kind == FOLDER:
                    years.append(name)
                else:
                    self.strays[name] = _not_a_folder(kind, "a year folder")
            elif name in _FOLDERS:
                if kind != FOLDER:
                    self.strays[name] = _not_a_folder(kind, f"{name}/")
            elif name == POLICY_FILE or (kind == FILE and is_temporary(name)):
                continue  # the policy's own problems are told when it is read
            else:
                self.strays[name] = (
                    f"{kind} outside the year folders: a register holds {POLICY_FILE}, a"
                    " folder for each year of receipt (YYYY/) holding its complaint files,"
                    " actions/, letters/ and statistics/ (move it to where it belongs, or remove it)"
                )
        return sorted(years)

    def complaint_paths(self) -> list[Path]:
        """Every file in a year folder: complaint files and anything misplaced there."""
        return [self.root / name for name in self.complaint_names()]

    def complaint_names(self) -> list[str]:
        """`complaint_paths` as names within the register, `YYYY/<file name>`: cheaper to
        make than paths, for runs that only look for changes. Plain files only (but not a
        writer's temporary file): anything else there is noted in `strays`."""
        names = []
        for year in self._year_names():
            for name, kind in self._listed(self.root / year, year):
                if kind == FILE:
                    if not is_temporary(name):
                        names.append(f"{year}/{name}")
                elif kind == FOLDER:
                    self.strays[f"{year}/{name}"] = (
                        "a folder inside a year folder: complaint files go directly in"
                        f" {year}/, one file each (move what it holds there, or remove it)"
                    )
                else:
                    self.strays[f"{year}/{name}"] = not_a_file(kind)
        names.sort()
        return names

    def files_in(self, folder: str) -> list[Path]:
        """The plain files in the register's `folder` (`actions`, `letters`), none when
        there is no such folder; anything else there (and the folder itself, when it is
        not a real folder) is noted in `strays`."""
        try:
            if not stat.S_ISDIR(os.stat(self.root / folder, follow_symlinks=False).st_mode):
                return []  # noted when the top of the register is listed
        except (OSError, ValueError):
            return []
        paths = []
        for name, kind in self._listed(self.root / folder, folder):
            if kind == FILE:
                if not is_temporary(name):
                    paths.append(self.root / folder / name)
            else:
                self.strays[f"{folder}/{name}"] = not_a_file(kind)
        paths.sort()
        return paths

    def require_plain(self, folder: str) -> None:
        """ProblemsFound when the register's `folder` (`letters`) is not a real folder or
        holds anything but plain files: what reads it (a template loader) could follow a
        link out of the register, or wait on a FIFO."""
        try:
            mode = os.stat(self.root / folder, follow_symlinks=False).st_mode
        except (OSError, ValueError):
            return  # no such folder: nothing there to read
        if stat.S_ISDIR(mode):
            self.files_in(folder)
            strays = {
                name: said
                for name, said in self.strays.items()
                if name == folder or name.startswith(f"{folder}/")
            }
        else:
            strays = {folder: _not_a_folder(kind_of(mode), f"{folder}/")}
        if strays:
            raise ProblemsFound(
                [
                    Problem(shown(self.root / name), 0, "", said)
                    for name, said in sorted(strays.items())
                ]
            )

    def stray_problems(self) -> list[Problem]:
        """What the listings so far found out of place, as problems of the register."""
        return [
            Problem(shown(self.root / name) if name else shown(self.root), 0, "", message)
            for name, message in sorted(self.strays.items())
        ]

    def _listed(self, folder: Path, name: str) -> list[tuple[str, str]]:
        """(name, kind) of each entry in `folder` (`name` within the register); none, and
        a note in `strays`, when it cannot be listed."""
        try:
            return _entries(folder)
        except OSError as error:
            self.strays[name] = f"cannot read this folder: {error.strerror}"
            return []

    def complaint_ids(self) -> set[str]:
        """The IDs of the register's complaints, from their file names (which `check` holds
        to the IDs inside)."""
        return {
            name[5:-5]
            for name in self.complaint_names()
            if name.endswith(".yaml") and is_id(name[5:-5])
        }

    def path_for(self, complaint_id: str) -> Path:
        return self.root / complaint_id[2:6] / f"{complaint_id}.yaml"

    def find(self, text: str) -> Path:
        """The file of the complaint whose ID starts with `text` (any unambiguous prefix).
        `text` is an ID, never a path: anything but the letters, digits and hyphens of an
        ID is refused."""
        prefix = id_prefix(text, "a complaint", "C-2026-0403-K7Q2")
        year = prefix[2:6] if len(prefix) >= 6 and prefix.startswith("C-") else None
        if year is not None and _YEAR.fullmatch(year):
            years = [year] if self._is_year_folder(year) else []
        else:
            years = self._year_names()
        matches = sorted(
            self.root / folder / name
            for folder in years
            for name, _ in self._listed(self.root / folder, folder)
            if name.startswith(prefix) and name.endswith(".yaml") and is_id(name[:-5])
        )
        if not matches:
            raise RegisterError(f"no complaint has an ID starting {prefix}")
        if len(matches) > 1:
            listed = ", ".join(p.stem for p in matches[:10])
            more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
            raise RegisterError(f"{prefix} is the start of {len(matches)} IDs: {listed}{more}")
        return matches[0]

    def _is_year_folder(self, year: str) -> bool:
        """Whether the register has a folder `year`; RegisterError when that name is taken
        by something that is not a real folder (a link is never followed)."""
        return self.folder(year, "a year folder").is_dir()

    def folder(self, name: str, what: str) -> Path:
        """The register's folder `name` (`what` it is, in words), to write in: it need not
        exist yet, but RegisterError when the name is taken by anything but a real folder,
        so that no write goes through a link to another place."""
        path = self.root / name
        try:
            mode = os.stat(path, follow_symlinks=False).st_mode
        except FileNotFoundError:
            return path
        if not stat.S_ISDIR(mode):
            raise RegisterError(f"{shown(path)}: {_not_a_folder(kind_of(mode), what)}")
        return path


FILE = kind_of(stat.S_IFREG)
FOLDER = kind_of(stat.S_IFDIR)
_LINK = kind_of(stat.S_IFLNK)
LETTERS = "letters"
_FOLDERS = ("actions", LETTERS, "statistics")
"""The register's folders besides the year folders (`store.action_files.FOLDER`, the
organisation's letter templates, `text.letters.FOLDER`, and the published statistics,
`store.recorded.FOLDER`)."""


def _entries(folder: Path) -> list[tuple[str, str]]:
    """(name, kind) of each entry in `folder`, `kind` in words (`kind_of`). The listing
    says which entries are files, folders and links without a call for each: only an
    entry of another kind is asked about."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False):
                found.append((entry.name, FILE))
            elif entry.is_dir(follow_symlinks=False):
                found.append((entry.name, FOLDER))
            elif entry.is_symlink():
                found.append((entry.name, _LINK))
            else:
                try:
                    found.append((entry.name, kind_of(entry.stat(follow_symlinks=False).st_mode)))
                except OSError:  # gone since the listing
                    continue
    return found


def _not_a_folder(kind: str, what: str) -> str:
    if kind == _LINK:
        return (
            f"a symbolic link where {what} belongs: the register never follows links"
            " (put the folder itself here, or remove the link)"
        )
    return f"{kind} where {what} belongs (move it out of the register, or remove it)"


_ID_TEXT = re.compile(r"[A-Z0-9-]+")


def id_prefix(
    text: str, what: str, example: str, normalised: Callable[[str], str] = normalise_id
) -> str:
    """`text` typed as `what`'s ID (or its start), `normalised`; RegisterError when it is
    empty or holds anything but what IDs are made of (a path, `..`, a NUL byte...)."""
    prefix = normalised(text)
    if not prefix:
        raise RegisterError(f"give {what} ID (or the start of one)")
    if not _ID_TEXT.fullmatch(prefix):
        raise RegisterError(
            f"{text!r} is not {what} ID: give an ID such as {example}, or its start"
            " (letters, digits and hyphens only; never a path)"
        )
    return prefix
