"""GitHub from a workflow's step: the `gh` command, the JSON files an earlier step left, and
the job summary.

`gh` reads GH_TOKEN and GH_REPO from the environment, as the overdue workflow sets them.
"""

import json
import os
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
