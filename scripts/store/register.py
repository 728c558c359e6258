"""The register on disk: where its files are, and reading them into models.

Layout: `<register>/policy.yaml` and `<register>/YYYY/<ID>.yaml`, one file per complaint in
the folder of its year of receipt. Only the files asked for are read: finding a complaint by
ID looks at file names, never at contents.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, cast

from pydantic import BaseModel
from typing_extensions import TypeVar

from complaints_register.core.problems import Problem, ProblemsFound
from complaints_register.schema import Policy, normalise_id
from complaints_register.schema.ids import is_id
from complaints_register.store.files import RegisterError, read_raw, shown
from complaints_register.store.validation import validate
from complaints_register.store.yamlsafe import Document, YamlError, parse

POLICY_FILE = "policy.yaml"
_YEAR = re.compile(r"^\d{4}$")

# The model a file is read as. Covariant, so a Loaded[Complaint] is a Loaded; BaseModel
# when not said (typing_extensions: Python 3.11's TypeVar takes no default).
_Model = TypeVar("_Model", bound=BaseModel, covariant=True, default=BaseModel)


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
        loaded.document = parse(raw)
    except YamlError as error:
        loaded.problems.append(Problem(loaded.shown, error.line, "", error.message))
        return loaded
    loaded.model, errors = validate(model, loaded.document)
    loaded.problems += [Problem(loaded.shown, line, where, msg) for line, where, msg in errors]
    return loaded


class Register:
    """A register folder."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def policy_path(self) -> Path:
        return self.root / POLICY_FILE

    def require(self) -> None:
        """RegisterError unless this folder holds a register."""
        if not self.policy_path.is_file():
            raise RegisterError(
                f"no register at {shown(self.root)}: {POLICY_FILE} is missing"
                " (create one with `complaints init DIR`, or name it with --register DIR)"
            )

    def policy(self) -> Policy:
        """The policy, or ProblemsFound: nothing can be worked out without it."""
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
        return cast(Policy, model)  # the "policy" cache holds nothing else

    def year_folders(self) -> list[Path]:
        return sorted(p for p in self.root.iterdir() if p.is_dir() and _YEAR.match(p.name))

    def complaint_paths(self) -> list[Path]:
        """Every file in a year folder: complaint files and anything misplaced there."""
        return [self.root / name for name in self.complaint_names()]

    def complaint_names(self) -> list[str]:
        """`complaint_paths` as names within the register, `YYYY/<file name>`: cheaper to
        make than paths, for runs that only look for changes."""
        return [f"{year.name}/{name}" for year in self.year_folders() for name in _file_names(year)]

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
        """The file of the complaint whose ID starts with `text` (any unambiguous prefix)."""
        prefix = normalise_id(text)
        if not prefix:
            raise RegisterError("give a complaint ID (or the start of one)")
        year = prefix[2:6] if len(prefix) >= 6 and prefix.startswith("C-") else None
        folders = [self.root / year] if year and _YEAR.match(year) else self.year_folders()
        matches = sorted(
            p
            for folder in folders
            if folder.is_dir()
            for p in folder.glob(f"{_glob_safe(prefix)}*.yaml")
            if is_id(p.stem)
        )
        if not matches:
            raise RegisterError(f"no complaint has an ID starting {prefix}")
        if len(matches) > 1:
            listed = ", ".join(p.stem for p in matches[:10])
            more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
            raise RegisterError(f"{prefix} is the start of {len(matches)} IDs: {listed}{more}")
        return matches[0]


def _file_names(folder: Path) -> list[str]:
    # scandir knows which entries are files without a stat call for each.
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if e.is_file())


def _glob_safe(text: str) -> str:
    return re.sub(r"[\[\]*?]", "", text)
