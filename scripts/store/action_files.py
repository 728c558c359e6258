"""Improvement action files: `<register>/actions/<ID>.yaml`, one file per action.

One file each, like complaints, so that two people opening actions on two branches never
touch the same file, and a pull request that opens or completes an action is the diff of one
small file. Every write is checked first, as `complaints check` would check it.
"""

import io
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from complaints_register.core.actions import ActionSubject, findings
from complaints_register.core.problems import Problem, ProblemsFound, where
from complaints_register.schema import Policy
from complaints_register.schema.action import Action, is_action_id
from complaints_register.schema.ids import CROCKFORD
from complaints_register.store.files import RegisterError, create_new, shown
from complaints_register.store.record import ID_ATTEMPTS, locked_file, schema_link
from complaints_register.store.register import Loaded, Register, from_bytes, id_prefix, load
from complaints_register.store.writing import complaint_text, round_trip_yaml

FOLDER = "actions"


def action_folder(register: Register) -> Path:
    return register.root / FOLDER


def action_paths(register: Register) -> list[Path]:
    """Every plain file in the actions folder: action files and anything misplaced there
    (links and other entries that are not files are noted in `register.strays`)."""
    return register.files_in(FOLDER)


def is_action_file(path: Path) -> bool:
    """Whether `path` is in an actions folder (and so is checked as an action)."""
    return path.parent.name == FOLDER


def check_action(
    loaded: Loaded[Action], known: set[str], today: date, policy: Policy | None
) -> list[Problem]:
    """The problems of one loaded action file: its shape, then every rule (those that need
    the policy only when it is valid)."""
    problems = list(loaded.problems)
    if loaded.model is not None:
        document = loaded.document
        assert document is not None  # a model is only made from a parsed document
        region = policy.calendar.country if policy else "ZZ"
        staff = policy.staff if policy else None
        subject = ActionSubject(loaded.model, loaded.path, known, today, region, staff)
        problems += [
            Problem(loaded.shown, document.line_of(path), where(path), message)
            for path, message in findings(subject)
        ]
    return sorted(problems)


def check_action_files(
    register: Register, today: date, paths: Iterable[Path], policy: Policy | None
) -> list[Problem]:
    """The problems of the action files at `paths`, IDs used twice included."""
    paths = list(paths)
    known = register.complaint_ids() if paths else set()  # a long list to make for nothing
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for path in paths:
        if path.suffix != ".yaml" or not is_action_id(path.stem):
            problems.append(
                Problem(
                    shown(path),
                    0,
                    "",
                    "not an action file: an action file is"
                    " named after its ID, <ID>.yaml (A-YYYY-MMDD-XXXX)",
                )
            )
            continue
        loaded = load(path, Action)
        problems += check_action(loaded, known, today, policy)
        if loaded.model is not None:
            if loaded.model.id in first_seen:
                assert loaded.document is not None  # a model is only made from a parsed document
                problems.append(
                    Problem(
                        loaded.shown,
                        loaded.document.line_of(("id",)),
                        "id",
                        f"{loaded.model.id} is also the ID of {first_seen[loaded.model.id]}",
                    )
                )
            first_seen.setdefault(loaded.model.id, loaded.shown)
    return problems


def load_actions(register: Register) -> tuple[list[Action], list[str]]:
    """Every readable action, and the files that could not be read."""
    found: list[Action] = []
    unreadable: list[str] = []
    for path in action_paths(register):
        loaded = load(path, Action) if path.suffix == ".yaml" else None
        if loaded is not None and loaded.model is not None:
            found.append(loaded.model)
        else:
            unreadable.append(shown(path))
    return found, unreadable


def find_action(register: Register, text: str) -> Path:
    """The file of the action whose ID starts with `text` (any unambiguous prefix; an ID,
    never a path)."""
    prefix = id_prefix(
        text, "an improvement action", "A-2026-0403-K7Q2", lambda typed: typed.strip().upper()
    )
    matches = [
        p
        for p in action_paths(register)
        if p.suffix == ".yaml" and is_action_id(p.stem) and p.stem.startswith(prefix)
    ]
    if not matches:
        raise RegisterError(f"no improvement action has an ID starting {prefix}")
    if len(matches) > 1:
        raise RegisterError(
            f"{prefix} is the start of {len(matches)} action IDs: "
            + ", ".join(p.stem for p in matches[:10])
        )
    return matches[0]


def new_action(register: Register, fields: Mapping[str, Any], today: date) -> str:
    """Write a new action file from `fields` (everything but the ID); returns the ID. The
    file is made only where there is none: when another run takes the same ID at the same
    moment, another ID is drawn."""
    register.folder(FOLDER, f"{FOLDER}/")  # never written through a link
    for action_id in _new_ids(register, fields["opened"]):
        path = action_folder(register) / f"{action_id}.yaml"
        with_id = {"id": action_id, **fields}
        with_id.setdefault("done", None)  # written as `done:`, filled in by `actions done`
        ordered = {key: with_id[key] for key in Action.model_fields if key in with_id}
        text = complaint_text(ordered, schema_link(path.absolute(), "action"))
        _refuse_invalid(register, path, text, today)
        try:
            create_new(path, text)
        except FileExistsError:
            continue  # taken since it was drawn
        return action_id
    raise RuntimeError(f"no free action ID left for {fields['opened']} after {ID_ATTEMPTS} tries")


def mark_done(register: Register, path: Path, day: date, today: date) -> None:
    """Record that the action at `path` was done on `day` (comments and key order kept).
    The file is locked from the moment it is read until it is written, so two runs at
    once take turns."""
    with locked_file(path, Action) as held:
        yaml = round_trip_yaml()
        data = yaml.load(held.raw.decode("utf-8"))
        if data.get("done") is not None:
            raise RegisterError(f"{shown(path)}: already done on {data['done']}")
        if "done" in data or "due" not in data:
            data["done"] = day
        else:  # beside `due`, where a reader looks for it
            data.insert(list(data).index("due") + 1, "done", day)
        out = io.StringIO()
        yaml.dump(data, out)
        _refuse_invalid(register, path, out.getvalue(), today)
        held.replace(out.getvalue())


def _refuse_invalid(register: Register, path: Path, text: str, today: date) -> None:
    loaded = from_bytes(path, text.encode("utf-8"), Action)
    problems = check_action(loaded, register.complaint_ids(), today, register.policy())
    if problems:
        raise ProblemsFound(problems)


def _new_ids(register: Register, opened: date) -> Iterator[str]:
    """Random action IDs for actions opened on `opened` that no file has yet."""
    for _ in range(ID_ATTEMPTS):
        random_part = "".join(secrets.choice(CROCKFORD) for _ in range(4))
        candidate = f"A-{opened:%Y-%m%d}-{random_part}"
        if not os.path.lexists(action_folder(register) / f"{candidate}.yaml"):
            yield candidate
