"""The overdue workflow's issue: ONE open issue titled "Overdue complaints", kept up to date
with the `gh` command, and a failing run while anything is very overdue.

    python -m complaints_register.views.ci_overdue_issue OVERDUE_JSON ACTIONS_JSON

OVERDUE_JSON is what `complaints overdue --format json` prints (the overdue complaint steps),
ACTIONS_JSON what `complaints actions --overdue --format json` prints. The issue is created
when something becomes overdue, edited when the list changes, left alone when it has not,
and closed when nothing is overdue. Its body holds only what DESIGN.md allows: ID,
category, stage, handler, step, due date and working days late (for an improvement action:
ID, kind, owner, due date, days late; never what it is about). The body also goes to
$GITHUB_STEP_SUMMARY when that is set. Exit 1 while a step or an action is very overdue
(`level` / `state` "very overdue"), so that the run fails and maintainers are told.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click

TITLE = "Overdue complaints"
VERY = "very overdue"
STEP_COLUMNS = (
    ("ID", "id"),
    ("Category", "category"),
    ("Stage", "stage"),
    ("Handler", "handler"),
    ("Step", "step"),
    ("Due", "due"),
    ("Working days late", "days_late"),
    ("Level", "level"),
)
ACTION_COLUMNS = (
    ("ID", "id"),
    ("Kind", "kind"),
    ("Owner", "owner"),
    ("Due", "due"),
    ("Working days late", "days_late"),
    ("Level", "state"),
)


@dataclass(frozen=True)
class Gh:
    """One `gh` call: its arguments, and what it reads on standard input."""

    args: tuple[str, ...]
    stdin: str = ""


def issue_body(steps: list[dict], actions: list[dict]) -> str | None:
    """The issue's Markdown, or None when nothing is overdue."""
    if not steps and not actions:
        return None
    parts = []
    if steps:
        parts.append(
            f"{len(steps)} complaint step(s) overdue, the most overdue first.\n\n"
            + _table(steps, STEP_COLUMNS)
        )
    if actions:
        parts.append(
            f"{len(actions)} improvement action(s) overdue.\n\n" + _table(actions, ACTION_COLUMNS)
        )
    parts.append(
        "`complaints show ID` tells the rest. This issue is kept up to date by the"
        " overdue workflow and closed when nothing is overdue; a step *very overdue*"
        " makes the workflow fail."
    )
    return "\n\n".join(parts) + "\n"


def _table(rows: list[dict], columns) -> str:
    lines = ["| " + " | ".join(title for title, _ in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(row.get(key)) for _, key in columns) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value) -> str:
    return "—" if value in (None, "") else str(value).replace("|", "\\|").replace("\n", " ")


def very_overdue(steps: list[dict], actions: list[dict]) -> list[str]:
    """The IDs of the complaints and actions with something very overdue."""
    found = [row["id"] for row in steps if row.get("level") == VERY]
    found += [row["id"] for row in actions if row.get("state") == VERY]
    return list(dict.fromkeys(found))


def plan(open_issues: list[dict], body: str | None) -> list[Gh]:
    """The `gh` calls that leave one open issue titled TITLE holding `body` (none when
    `body` is None). `open_issues` is `gh issue list --json number,title,body`."""
    mine = sorted((i for i in open_issues if i["title"] == TITLE), key=lambda i: i["number"])
    if body is None:
        return [
            Gh(("issue", "close", str(i["number"]), "--comment", "Nothing is overdue any more."))
            for i in mine
        ]
    if not mine:
        return [Gh(("issue", "create", "--title", TITLE, "--body-file", "-"), body)]
    kept, extra = mine[0], mine[1:]
    calls = [
        Gh(("issue", "close", str(i["number"]), "--comment", f"Duplicate of #{kept['number']}."))
        for i in extra
    ]
    if _same_text(kept["body"]) != _same_text(body):
        calls.append(Gh(("issue", "edit", str(kept["number"]), "--body-file", "-"), body))
    return calls


def _same_text(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def gh(call: Gh) -> str:
    """Run `gh`; its output, or click's error with what gh said."""
    done = subprocess.run(["gh", *call.args], input=call.stdin, capture_output=True, text=True)
    if done.returncode:
        raise click.ClickException(f"gh {' '.join(call.args[:2])} failed: {done.stderr.strip()}")
    return done.stdout


def _read_list(path: Path) -> list[dict]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise click.ClickException(
            f"{path}: not the JSON list the complaints command prints"
            f" ({error}); see the step before for its error"
        ) from None
    if not isinstance(rows, list):
        raise click.ClickException(f"{path}: not a JSON list")
    return rows


@click.command()
@click.argument("overdue_json", type=click.Path(path_type=Path))
@click.argument("actions_json", type=click.Path(path_type=Path))
def main(overdue_json: Path, actions_json: Path) -> None:
    """Keep the "Overdue complaints" issue up to date; exit 1 while anything is very overdue."""
    steps, actions = _read_list(overdue_json), _read_list(actions_json)
    body = issue_body(steps, actions)
    listed = json.loads(
        gh(
            Gh(
                (
                    "issue",
                    "list",
                    "--state",
                    "open",
                    "--limit",
                    "500",
                    "--json",
                    "number,title,body",
                )
            )
        )
    )
    for call in plan(listed, body):
        click.echo(f"gh {' '.join(call.args[:3])}")
        gh(call)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(f"### {TITLE}\n\n{body or 'Nothing is overdue.'}\n")
    very = very_overdue(steps, actions)
    if very:
        click.echo(f"::error title=Very overdue::{len(very)} very overdue: {', '.join(very)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
