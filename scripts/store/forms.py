"""The issue forms as files: `.github/ISSUE_TEMPLATE/<form>.yml` in the repository that
holds the register, written by `complaints forms` and compared by `complaints check`.

The forms are made from the policy (`core.issue_forms`); a form that differs from what the
policy makes now is stale, and `check` says so at the form's path.
"""

from pathlib import Path

import yaml

from complaints_register.core.issue_forms import FORMS, form
from complaints_register.core.problems import Problem
from complaints_register.schema import Policy
from complaints_register.store.files import RegisterError, read_raw, shown, write_atomic
from complaints_register.store.repository import git_folder

FOLDER = Path(".github") / "ISSUE_TEMPLATE"
HEADER = (
    "# Made by `complaints forms` from the register's policy.yaml: do not edit by hand.\n"
    "# After changing the policy, run `complaints forms` again (`complaints check` reports a\n"
    "# form that no longer matches the policy).\n"
)


def forms_folder(register_root: Path) -> Path:
    """Where the forms go: `.github/ISSUE_TEMPLATE` at the top of the Git repository holding
    the register (beside the register folder outside Git)."""
    git = git_folder(register_root)
    top = git.parent if git is not None and git.name == ".git" else register_root.resolve().parent
    return top / FOLDER


def form_text(name: str, policy: Policy) -> str:
    """The form `name` as its file holds it."""
    return HEADER + yaml.safe_dump(
        form(name, policy), sort_keys=False, allow_unicode=True, width=88
    )


def write_forms(folder: Path, policy: Policy) -> list[Path]:
    """Write every form into `folder`; the paths written. RegisterError, with nothing
    written, when `folder` or the folder above it is a symbolic link: a repository may hold
    one, and the forms would be written wherever it points."""
    for linked in (folder.parent, folder):
        if linked.is_symlink():
            raise RegisterError(
                f"{shown(linked)} is a symbolic link: the forms are never written through"
                " one (make it a folder of its own, or name one with --output)"
            )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FORMS:
        path = folder / f"{name}.yml"
        write_atomic(path, form_text(name, policy))
        written.append(path)
    return written


def stale_forms(folder: Path, policy: Policy) -> list[Problem]:
    """A problem for each form in `folder` that differs from what `policy` makes (a
    repository without the forms has none)."""
    problems = []
    for name in FORMS:
        path = folder / f"{name}.yml"
        try:
            raw = read_raw(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            problems.append(Problem(shown(path), 0, "", f"cannot read: {error.strerror}"))
            continue
        if raw.decode("utf-8", "replace") != form_text(name, policy):
            problems.append(
                Problem(
                    shown(path),
                    0,
                    "",
                    "the issue form no longer matches policy.yaml (its channels,"
                    " categories, languages, staff or event types): run `complaints forms`"
                    " to make it again",
                )
            )
    return problems
