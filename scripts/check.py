"""Checking register files: every problem in every file, each at its line."""

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from schema import Complaint, Policy
from schema.ids import is_id
from scripts.lifecycle import fold
from scripts.problems import Problem, where
from scripts.register import POLICY_FILE, Loaded, Register, load, shown
from scripts.rules import Subject, findings


def check_complaint(loaded: Loaded, policy: Policy | None, calendar, today: date) -> list[Problem]:
    """The problems of one loaded complaint file: its shape, then every rule."""
    problems = list(loaded.problems)
    if loaded.model is not None and policy is not None:
        state = fold(loaded.model, policy, calendar)
        subject = Subject(loaded.model, loaded.path, policy, calendar, today, state)
        for path, message in findings(subject):
            line = loaded.document.line_of(path)
            problems.append(Problem(loaded.shown, line, where(path), message))
    return sorted(problems)


def check_files(register: Register, policy: Policy | None, calendar, today: date,
                paths: Iterable[Path]) -> list[Problem]:
    """The problems of the complaint files at `paths`, IDs used twice included."""
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for path in paths:
        if path.name == POLICY_FILE:
            continue
        if path.suffix != ".yaml" or not is_id(path.stem):
            problems.append(Problem(shown(path), 0, "", "not a complaint file: a complaint"
                                    " file is named after its ID, <ID>.yaml"))
            continue
        loaded = load(path, Complaint)
        problems += check_complaint(loaded, policy, calendar, today)
        if loaded.model is not None:
            complaint_id = loaded.model.id
            if complaint_id in first_seen:
                line = loaded.document.line_of(("id",))
                problems.append(Problem(loaded.shown, line, "id",
                                        f"{complaint_id} is also the ID of {first_seen[complaint_id]}"))
            else:
                first_seen[complaint_id] = loaded.shown
    return problems


def check_policy(register: Register) -> tuple[Policy | None, list[Problem]]:
    register.require()
    loaded = load(register.policy_path, Policy)
    return loaded.model, loaded.problems
