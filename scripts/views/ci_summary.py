"""The check workflow's job summary: the complaints a pull request touches, with their
status and next due dates, as a Markdown table for `$GITHUB_STEP_SUMMARY`.

    python -m complaints_register.views.ci_summary --base origin/main [--register register] [--as-of DATE]

The complaints are the complaint files that differ between the working tree and the merge
base of BASE and HEAD (`git diff --name-only`, as `complaints check --base` reads them).
The table holds what `complaints show --format json` says, less anything confidential: no
summary, no desired outcome, no complainant. An invalid file gets a row pointing at the
check's annotations; a deleted one, a row saying so.
"""

import sys
from datetime import date
from pathlib import Path

import click

from complaints_register.store.register import Register, RegisterError

COLUMNS = (
    "Complaint",
    "Change",
    "Status",
    "Stage",
    "Priority",
    "Acknowledge",
    "Respond",
    "Overdue",
)
CHANGES = {"A": "added", "M": "changed", "T": "changed", "D": "deleted"}
NONE = "—"


def summary(touched: list[tuple[str, str, dict | None]], as_of: date) -> str:
    """The Markdown summary. `touched` holds (complaint ID, change, the object `show
    --format json` prints or None when the file is deleted or invalid)."""
    head = "### Complaints this pull request touches\n\n"
    if not touched:
        return head + "This pull request changes no complaint file.\n"
    lines = [
        f"As of {as_of}: {len(touched)} complaint(s).",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in map(_row, sorted(touched))]
    return head + "\n".join(lines) + "\n"


def _row(item: tuple[str, str, dict | None]) -> list[str]:
    complaint_id, change, shown = item
    if shown is None:
        status = "deleted" if change == "deleted" else "invalid: see the check's annotations"
        return [complaint_id, change, status] + [NONE] * (len(COLUMNS) - 3)
    return [
        complaint_id,
        change,
        shown["status"],
        str(shown["stage"]),
        shown["priority"],
        _step(shown, "acknowledge", "acknowledged"),
        _step(shown, "respond", "responded"),
        _overdue(shown),
    ]


def _step(shown: dict, step: str, done: str) -> str:
    if shown["due"][step]:
        return f"due {shown['due'][step]}"
    if shown["done"][done]:
        return f"done {shown['done'][done]}"
    return NONE  # the clock has stopped (closed, referred, withdrawn)


def _overdue(shown: dict) -> str:
    very = set(shown["very_overdue"])
    steps = [f"{step} (very overdue)" if step in very else step for step in shown["overdue"]]
    return ", ".join(steps) or "no"


def touched_complaints(register: Register, base: str) -> list[tuple[Path, str]]:
    """The complaint files changed since the merge base of `base` and HEAD, and how
    (added, changed, deleted)."""
    from complaints_register.store.ledger import (
        diff,
        in_repository,
        is_complaint_path,
        merge_base,
        open_repository,
    )

    with open_repository(register.root) as repo:
        folder = in_repository(repo, register.root)
        top = Path(repo.working_tree_dir)
        changes = diff(repo, merge_base(repo, base), None, folder, renames=False)
    return [
        (top / c.path, CHANGES.get(c.status, "changed"))
        for c in changes
        if is_complaint_path(c.path, folder)
    ]


def shown_facts(path: Path, policy, calendar, as_of: date) -> dict | None:
    """What `complaints show --format json` prints for the file, or None when it is invalid."""
    from complaints_register.core.status import facts
    from complaints_register.schema import Complaint
    from complaints_register.store.register import load

    loaded = load(path, Complaint)
    if loaded.model is None:
        return None
    return facts(loaded.model, policy, calendar, as_of).as_json()


@click.command()
@click.option("--base", required=True, metavar="REF", help="The branch the pull request targets.")
@click.option(
    "--register",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("register"),
    envvar="COMPLAINTS_REGISTER",
    show_default=True,
)
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
def main(base: str, root: Path, as_of) -> None:
    """Print the job summary of the check workflow."""
    from complaints_register.core.problems import ProblemsFound
    from complaints_register.core.working_days import calendar_for

    register = Register(root)
    try:
        policy = register.policy()
        calendar = calendar_for(policy)
        day = as_of.date() if as_of else calendar.today()
        touched = [
            (
                path.stem,
                change,
                None if change == "deleted" else shown_facts(path, policy, calendar, day),
            )
            for path, change in touched_complaints(register, base)
        ]
    except (RegisterError, ProblemsFound) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(summary(touched, day), nl=False)


if __name__ == "__main__":
    main()
