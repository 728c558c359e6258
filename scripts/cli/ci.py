"""`complaints ci`: what the GitHub workflows run (.github/workflows/check.yml, overdue.yml).

    complaints ci summary --base origin/main [--as-of DATE] >> "$GITHUB_STEP_SUMMARY"
    complaints ci overdue-issue OVERDUE_JSON ACTIONS_JSON
    complaints ci intake "$GITHUB_EVENT_PATH"       (an issue form sent)
    complaints ci comment "$GITHUB_EVENT_PATH"      (a /log or /letter comment)
    complaints ci open-issue                        (the pinned "Open complaints" issue)
    complaints ci record-statistics                 (periods published, recorded for good)

`summary` reads the register `complaints --register` names (default `register`, or
$COMPLAINTS_REGISTER). Parse, call, print: the work is in views.job_summary,
views.overdue_issue, store.touched and store.github.
"""

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from complaints_register.cli.context import Context
from complaints_register.core.problems import ProblemsFound
from complaints_register.store.files import RegisterError

if TYPE_CHECKING:
    from complaints_register.views.workflow_runs import Work


def _context() -> Context:
    """The `complaints` command's Context, as its `pass_context` finds it."""
    found = click.get_current_context().find_object(Context)
    if found is None:
        raise RuntimeError("complaints ci runs as a subcommand of complaints (or with obj=Context)")
    return found


@click.group()
def ci() -> None:
    """What the GitHub workflows run: summaries, issues, forms and comment commands."""


@ci.command()
@click.option("--base", required=True, metavar="REF", help="The branch the pull request targets.")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
def summary(base: str, as_of: datetime | None) -> None:
    """Print the check workflow's job summary (Markdown).

    It lists the complaint files changed since the merge base of REF and HEAD, with their
    status and due dates, and nothing confidential."""
    from complaints_register.store.touched import touched_complaints
    from complaints_register.views.job_summary import summary as job_summary

    obj = _context()
    try:
        policy = obj.policy
        calendar = obj.calendar
        day = as_of.date() if as_of else calendar.today()
        touched = touched_complaints(obj.register, base, policy, calendar, day)
    except (RegisterError, ProblemsFound) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(job_summary(touched, day), nl=False)


@ci.command("overdue-issue")
@click.argument("overdue_json", type=click.Path(path_type=Path))
@click.argument("actions_json", type=click.Path(path_type=Path))
def overdue_issue(overdue_json: Path, actions_json: Path) -> None:
    """Keep the "Overdue complaints" issue up to date; exit 1 while anything is very overdue.

    OVERDUE_JSON is what `complaints overdue --format json` printed, ACTIONS_JSON what
    `complaints actions --overdue --format json` printed; the issue is kept with `gh`."""
    from complaints_register.store.github import (
        GhError,
        StepFileError,
        add_to_job_summary,
        gh,
        read_json_list,
    )
    from complaints_register.views.overdue_issue import (
        LIST_OPEN,
        issue_body,
        plan,
        shown_call,
        step_summary,
        very_overdue,
        very_overdue_error,
    )

    try:
        steps, actions = read_json_list(overdue_json), read_json_list(actions_json)
        body = issue_body(steps, actions)
        for call in plan(json.loads(gh(LIST_OPEN)), body):
            click.echo(shown_call(call))
            gh(call.args, call.stdin)
    except (StepFileError, GhError) as error:
        raise click.ClickException(str(error)) from None
    add_to_job_summary(step_summary(body))
    very = very_overdue(steps, actions)
    if very:
        click.echo(very_overdue_error(very))
        sys.exit(1)


def _work() -> "Work":
    """What the intake, comment and open-issue commands work with, from the environment the
    workflow gives them: GH_TOKEN (gh, and Git's pushes), COMPLAINTS_TRACKING_SECRET and
    COMPLAINTS_SITE_URL (the tracking code and address in the letters' drafts)."""
    from complaints_register.core.tracking import SECRET_VARIABLE, secret_bytes
    from complaints_register.views.workflow_runs import Work

    obj = _context()
    try:
        secret = secret_bytes(os.environ.get(SECRET_VARIABLE))
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    return Work(
        obj.register,
        obj.policy,
        obj.calendar,
        os.environ.get("GH_TOKEN"),
        click.echo,
        secret,
        os.environ.get("COMPLAINTS_SITE_URL") or None,
    )


@ci.command()
@click.argument("event_path", metavar="EVENT_JSON", type=click.Path(path_type=Path))
def intake(event_path: Path) -> None:
    """Turn a submitted issue form into a pull request, or a refusal.

    EVENT_JSON is the `issues` event GitHub wrote ($GITHUB_EVENT_PATH). A "Record a
    complaint" form becomes a new complaint on a branch `complaint/<ID>`, a "Log an event"
    form an event appended on the complaint's branch; either is committed as the staff member
    who sent it (their `github` login on the policy's roster), pushed, and proposed in a pull
    request. The issue gets the ID, status and due dates (or the refusal) and is closed."""
    from complaints_register.store.github import GhError, StepFileError, read_event
    from complaints_register.views.workflow_runs import intake_issue

    try:
        click.echo(intake_issue(_work(), read_event(event_path)))
    except (StepFileError, GhError, RegisterError, KeyError, TypeError, ValueError) as error:
        raise click.ClickException(_failed(error)) from None


@ci.command()
@click.argument("event_path", metavar="EVENT_JSON", type=click.Path(path_type=Path))
def comment(event_path: Path) -> None:
    """Run a `/log` or `/letter` comment command on a complaint's pull request.

    EVENT_JSON is the `issue_comment` event GitHub wrote ($GITHUB_EVENT_PATH). Only people
    with write access to the repository, on the policy's staff roster, may run commands; the
    reply gives the complaint's new status and due dates, or why nothing was done."""
    from complaints_register.store.github import GhError, StepFileError, read_event
    from complaints_register.views.workflow_runs import comment_command

    try:
        click.echo(comment_command(_work(), read_event(event_path)))
    except (StepFileError, GhError, RegisterError, KeyError, TypeError, ValueError) as error:
        raise click.ClickException(_failed(error)) from None


@ci.command("open-issue")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
def open_issue(as_of: datetime | None) -> None:
    """Keep the pinned "Open complaints" issue up to date: every open complaint's ID,
    status, stage, handler, next step and due date, the most urgent first."""
    from complaints_register.store.github import GhError, add_to_job_summary
    from complaints_register.views.workflow_runs import open_issue as keep_open_issue

    work = _work()
    day = as_of.date() if as_of else work.today()
    try:
        add_to_job_summary(keep_open_issue(work, day, _context().all_facts))
    except GhError as error:
        raise click.ClickException(str(error)) from None


@ci.command("record-statistics")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
def record_statistics(as_of: datetime | None) -> None:
    """Record every period of the statistics published by today and not recorded yet
    (`complaints stats --record`), commit the new files on the branch checked out as
    github-actions[bot], and push it with $GH_TOKEN (never forced): the publish workflow
    runs it before it builds the site, so what the site shows is recorded first."""
    from complaints_register.store.files import shown
    from complaints_register.store.recorded import push_recorded, record
    from complaints_register.store.register_check import require_valid

    obj = _context()
    require_valid(obj.register)  # published: only from a register check accepts
    day = as_of.date() if as_of else obj.calendar.today()
    written = record(obj.register, obj.policy, obj.calendar, day)
    commit = push_recorded(obj.register, written, os.environ.get("GH_TOKEN"))
    for path in written:
        click.echo(f"recorded {shown(path)}")
    if commit:
        click.echo(f"committed {commit[:7]} and pushed")


def _failed(error: Exception) -> str:
    if isinstance(error, (KeyError, TypeError, ValueError)):
        return f"the event is not the one GitHub sends for this workflow ({error!r})"
    return str(error)
