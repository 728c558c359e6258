"""GitHub from a workflow's step: the `gh` command, the JSON files an earlier step left, and
the job summary.

`gh` reads GH_TOKEN and GH_REPO from the environment, as the overdue workflow sets them.
"""

import json
import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class GhError(Exception):
    """`gh` failed (or is not there): what it said on standard error."""


class StepFileError(Exception):
    """A file an earlier step was to write is missing or not what it should be."""


def gh(args: Sequence[str], stdin: str = "") -> str:
    """Run `gh args...` with `stdin` on its standard input; its output, or GhError."""
    try:
        done = subprocess.run(["gh", *args], input=stdin, capture_output=True, text=True)
    except FileNotFoundError:
        raise GhError("gh is not installed (or not on PATH)") from None
    if done.returncode:
        raise GhError(f"gh {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout


def read_json_list(path: Path) -> list[dict[str, Any]]:
    """The JSON list a `complaints ... --format json` step wrote to `path`, or StepFileError."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StepFileError(
            f"{path}: not the JSON list the complaints command prints"
            f" ({error}); see the step before for its error"
        ) from None
    if not isinstance(rows, list):
        raise StepFileError(f"{path}: not a JSON list")
    return rows


def add_to_job_summary(markdown: str) -> None:
    """Append to the file `$GITHUB_STEP_SUMMARY` names (the run's job summary), when set."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(markdown)


# The intake and comment workflows: the event GitHub wrote, who may act, issues and pull
# requests. `{owner}/{repo}` in a `gh api` path is filled in by gh from GH_REPO.

WRITERS = ("admin", "maintain", "write")
"""Repository permissions that may record complaints and run comment commands."""

_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")


def read_event(path: Path) -> dict[str, Any]:
    """The event a workflow was started by: the JSON file `$GITHUB_EVENT_PATH` names."""
    try:
        event = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise StepFileError(f"{path}: not the JSON event GitHub writes ({error})") from None
    if not isinstance(event, dict):
        raise StepFileError(f"{path}: not the JSON event GitHub writes (not an object)")
    return event


def permission(login: str) -> str:
    """`login`'s permission on the repository (admin, maintain, write, triage, read or none),
    from GitHub's collaborator permission API, not from what the event says of them."""
    if not _LOGIN.fullmatch(login):
        return "none"
    answer = json.loads(gh(("api", f"repos/{{owner}}/{{repo}}/collaborators/{login}/permission")))
    role = answer.get("role_name") if isinstance(answer, dict) else None
    if role in WRITERS:
        return str(role)
    found = answer.get("permission") if isinstance(answer, dict) else None
    return str(found) if isinstance(found, str) else "none"


def comment(kind: str, number: int, body: str) -> None:
    """Comment on issue or pull request (`kind`: issue or pr) `number`."""
    gh((kind, "comment", str(number), "--body-file", "-"), body)


def close_issue(number: int, done: bool) -> None:
    gh(("issue", "close", str(number), "--reason", "completed" if done else "not planned"))


def replace_issue_body(number: int, body: str, title: str | None = None) -> None:
    """Replace issue `number`'s text (and its title, when given)."""
    retitled = ("--title", title) if title is not None else ()
    gh(("issue", "edit", str(number), *retitled, "--body-file", "-"), body)


def replace_comment_body(comment_id: int, body: str) -> None:
    """Replace the text of the issue or pull request comment `comment_id`."""
    gh(
        (
            "api",
            "--method",
            "PATCH",
            f"repos/{{owner}}/{{repo}}/issues/comments/{comment_id}",
            "--input",
            "-",
        ),
        json.dumps({"body": body}),
    )


def open_pull_request(branch: str) -> str | None:
    """The URL of the open pull request from `branch`, if there is one."""
    found = json.loads(
        gh(("pr", "list", "--head", branch, "--state", "open", "--json", "number,url"))
    )
    return str(found[0]["url"]) if found else None


def create_pull_request(branch: str, base: str, title: str, body: str) -> str:
    """Open a pull request from `branch` into `base`; its URL."""
    out = gh(
        ("pr", "create", "--head", branch, "--base", base, "--title", title, "--body-file", "-"),
        body,
    )
    return out.strip().splitlines()[-1] if out.strip() else ""


def pull_request(number: int) -> dict[str, Any]:
    """What a comment command needs to know of pull request `number`."""
    found = json.loads(
        gh(
            (
                "pr",
                "view",
                str(number),
                "--json",
                "headRefName,baseRefName,state,isCrossRepository,files",
            )
        )
    )
    if not isinstance(found, dict):
        raise GhError(f"gh pr view {number}: not a JSON object")
    return found
