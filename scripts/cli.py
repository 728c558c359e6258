"""The `complaints` command: parse arguments, call the register, print. Nothing else.

Exit status: 0 fine; 1 a problem was found (invalid file, refused edit, overdue complaint);
2 bad usage. No traceback reaches the user (set COMPLAINTS_DEBUG=1 to see one).
"""

import getpass
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import click

from scripts import views
from scripts.problems import ProblemsFound, as_github, as_json, as_text
from scripts.register import Register, RegisterError

LIST_STATUSES = ("open", "all", "new", "acknowledged", "investigating",
                 "awaiting-complainant", "responded", "closed", "escalated", "referred",
                 "withdrawn")


class When(click.ParamType):
    """A date (2026-04-07) or a date-time (2026-04-07T09:30, with or without a zone)."""

    name = "DATE[TIME]"

    def convert(self, value, param, ctx):
        if isinstance(value, (date, datetime)):
            return value
        try:
            if "T" in value or " " in value.strip():
                return datetime.fromisoformat(value.strip())
            return date.fromisoformat(value.strip())
        except ValueError:
            self.fail(f"{value!r} is not a date (2026-04-07) or date-time (2026-04-07T09:30)",
                      param, ctx)


class Day(When):
    name = "DATE"

    def convert(self, value, param, ctx):
        result = super().convert(value, param, ctx)
        if isinstance(result, datetime):
            self.fail(f"{value!r}: give a date without a time", param, ctx)
        return result


class Group(click.Group):
    """Turns the register's errors into messages and exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ProblemsFound as found:
            click.echo(as_text(found.problems), err=True)
            ctx.exit(1)
        except (RegisterError, FileExistsError) as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:  # the promise: no traceback for the user
            if os.environ.get("COMPLAINTS_DEBUG"):
                raise
            click.echo(f"internal error: {type(error).__name__}: {error}\n"
                       "(run again with COMPLAINTS_DEBUG=1 to see where)", err=True)
            ctx.exit(1)


class Context:
    """What every command shares: the register and, once asked for, its policy."""

    def __init__(self, root: Path):
        self.register = Register(root)
        self._policy = None
        self._calendar = None

    @property
    def policy(self):
        if self._policy is None:
            self._policy = self.register.policy()
        return self._policy

    @property
    def calendar(self):
        if self._calendar is None:
            from scripts.calendar import calendar_for

            self._calendar = calendar_for(self.policy)
        return self._calendar

    def as_of(self, day: date | None) -> date:
        return day or self.calendar.today()


pass_context = click.make_pass_decorator(Context)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--register", "root", type=click.Path(file_okay=False, path_type=Path),
              default=Path("register"), show_default=True, envvar="COMPLAINTS_REGISTER",
              help="The register folder (holding policy.yaml).")
@click.version_option(package_name="complaints-register")
@click.pass_context
def cli(ctx, root: Path):
    """Record, check and follow complaints in a Git-backed register (ISO 10002)."""
    ctx.obj = Context(root)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--organisation", default="Our organisation", show_default=True)
@click.option("--country", default="GB", show_default=True, help="ISO 3166 code, e.g. IT.")
@click.option("--subdivision", default=None, help="e.g. NIR (Northern Ireland).")
@click.option("--timezone", default=None, help="IANA zone; the country's own when it has one.")
def init(directory: Path, organisation, country, subdivision, timezone):
    """Create a new register in DIRECTORY with a policy.yaml to adapt."""
    from scripts.record import country_zone, init_register

    country = country.upper()
    timezone = timezone or country_zone(country)
    if timezone is None:
        raise click.BadParameter(f"{country} has several time zones: choose one", param_hint="--timezone")
    path = init_register(directory, organisation, country, subdivision, timezone)
    click.echo(f"created {path}: review it, then record complaints with `complaints new`")


@cli.command()
@click.option("--channel", required=True, help="How it reached you (one of the policy's channels).")
@click.option("--category", required=True, help="One of the policy's categories.")
@click.option("--summary", required=True, help="What the complaint is about (never published).")
@click.option("--received", type=When(), help="When it was received (default: now).")
@click.option("--language", help="The complainant's language (default: the policy's first).")
@click.option("--desired-outcome", help="What the complainant wants (never published).")
@click.option("--complainant-ref", help="The complainant's reference in your contact system.")
@pass_context
def new(obj: Context, channel, category, summary, received, language, desired_outcome,
        complainant_ref):
    """Record a new complaint; prints its ID."""
    from scripts.record import new_complaint

    fields = {
        "received": _moment(obj, received),
        "channel": channel,
        "language": language or obj.policy.languages[0],
        "category": category,
        "summary": summary,
    }
    if desired_outcome:
        fields["desired_outcome"] = desired_outcome
    if complainant_ref:
        fields["complainant"] = {"ref": complainant_ref}
    click.echo(new_complaint(obj.register, obj.policy, obj.calendar, fields))


# Which options each event type takes, in the order the fields are written.
EVENT_OPTIONS = {
    "assessed": ("priority", "category", "handler"),
    "escalated": ("handler",),
    "extended": ("due", "reason"),
    "responded": ("outcome", "remedy"),
    "referred": ("to",),
    "closed": ("satisfied",),
    "surveyed": ("score",),
    "retracted": ("event", "reason"),
}
SATISFIED = {"yes": True, "no": False, "unknown": None}


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.argument("event_type", metavar="TYPE", type=click.Choice(
    ["acknowledged", "assessed", "info-requested", "info-received", "extended", "responded",
     "escalated", "referred", "closed", "reopened", "withdrawn", "surveyed", "retracted",
     "erased", "note"]))
@click.option("--at", type=When(), help="When it happened (default: now).")
@click.option("--by", "by", help="Who did it (default: Git's user.name, else your login).")
@click.option("--note", help="A note for the record (never published).")
@click.option("--priority", type=click.Choice(["normal", "urgent"]))
@click.option("--category")
@click.option("--handler")
@click.option("--due", type=Day())
@click.option("--reason")
@click.option("--outcome", type=click.Choice(["upheld", "partly-upheld", "not-upheld"]))
@click.option("--remedy", multiple=True, type=click.Choice(
    ["apology", "explanation", "refund", "replacement", "repair", "compensation",
     "change-of-practice"]))
@click.option("--to", type=click.Choice(["ombudsman", "regulator", "adr", "court"]))
@click.option("--satisfied", type=click.Choice(list(SATISFIED)))
@click.option("--score", type=click.IntRange(1, 5))
@click.option("--event", "event_index", type=click.IntRange(0), help="The event to retract (its [number] in `show`).")
@pass_context
def log(obj: Context, complaint_id, event_type, at, by, note, **options):
    """Append an event to a complaint (refused, with nothing written, if it makes no sense)."""
    from scripts.record import log_event

    given = {name for name, value in options.items() if value not in (None, ())}
    given = {"event" if name == "event_index" else name for name in given}
    allowed = set(EVENT_OPTIONS.get(event_type, ()))
    for name in sorted(given - allowed):
        raise click.UsageError(f"--{name} does not go with {event_type}"
                               + (f" (it takes: {', '.join('--' + a for a in sorted(allowed))})" if allowed else ""))
    path = obj.register.find(complaint_id)
    event = {"type": event_type, "at": _moment(obj, at), "by": by or _who()}
    event.update(_event_fields(event_type, options))
    if note:
        event["note"] = note
    log_event(path, event, obj.policy, obj.calendar)
    click.echo(f"{path.stem}: {event_type} recorded")


def _event_fields(event_type: str, options: dict) -> dict:
    fields = {}
    for name in EVENT_OPTIONS.get(event_type, ()):
        value = options["event_index" if name == "event" else name]
        if name == "remedy":
            if value:
                fields["remedies"] = list(value)
        elif name == "satisfied":
            if value is not None:
                fields["satisfied"] = SATISFIED[value]
        elif value is not None:
            fields[name] = value
    return fields


def _moment(obj: Context, when: date | datetime | None) -> date | datetime:
    """A moment as it is written to a file: now when not given, times with the policy's zone."""
    if when is None:
        from scripts.record import now_in

        return now_in(obj.calendar)
    if isinstance(when, datetime) and when.tzinfo is None:
        return when.replace(tzinfo=obj.calendar.zone)
    return when


def _who() -> str:
    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                              timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.option("--as-of", type=Day(), help="The date to work the status out for (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_context
def show(obj: Context, complaint_id, as_of, fmt):
    """Show one complaint: its status, deadlines and events."""
    from schema import Complaint
    from scripts.register import load
    from scripts.status import facts

    loaded = load(obj.register.find(complaint_id), Complaint)
    if loaded.model is None:
        raise ProblemsFound(loaded.problems)
    found = facts(loaded.model, obj.policy, obj.calendar, obj.as_of(as_of))
    click.echo(views.as_json(found.as_json()) if fmt == "json" else views.show_text(found))


@cli.command("list")
@click.option("--status", type=click.Choice(LIST_STATUSES), default="open", show_default=True,
              help="open: everything not closed, referred or withdrawn.")
@click.option("--overdue", is_flag=True, help="Only complaints with an overdue step.")
@click.option("--due-within", type=click.IntRange(0), metavar="N",
              help="Only complaints with a step due within N working days.")
@click.option("--as-of", type=Day())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@pass_context
def list_(obj: Context, status, overdue, due_within, as_of, fmt):
    """List complaints with their status and next due date."""
    from scripts.overview import all_facts

    day = obj.as_of(as_of)
    found, unreadable = all_facts(obj.register, obj.policy, obj.calendar, day)
    chosen = [f for f in found if _listed(f, status, overdue, due_within, obj.calendar, day)]
    _warn_unreadable(unreadable)
    if fmt == "json":
        click.echo(views.as_json([f.as_json() for f in chosen]))
        return
    rows = views.list_rows(chosen)
    if fmt == "csv":
        click.echo(views.as_csv(rows, views.LIST_COLUMNS), nl=False)
    elif rows:
        click.echo(views.table(rows, views.LIST_COLUMNS))
    else:
        click.echo("no complaints match", err=True)


def _listed(f, status, overdue, due_within, calendar, day) -> bool:
    if status == "open" and f.state.status in ("closed", "referred", "withdrawn"):
        return False
    if status not in ("open", "all") and f.state.status != status:
        return False
    if overdue and not f.current.overdue:
        return False
    if due_within is not None:
        return any(due is not None and due >= day
                   and calendar.working_days_between(day, due) <= due_within
                   for due in f.current.due.values())
    return True


def _warn_unreadable(unreadable: list[str]) -> None:
    if unreadable:
        click.echo(f"warning: {len(unreadable)} file(s) left out because they are invalid"
                   f" (see `complaints check`): {', '.join(unreadable[:5])}", err=True)


@cli.command()
@click.option("--as-of", type=Day())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "markdown"]),
              default="text", show_default=True)
@pass_context
def overdue(obj: Context, as_of, fmt):
    """List every overdue step, most overdue first; exit 1 if there is any."""
    from scripts.overview import all_facts
    from scripts.status import overdue as overdue_steps

    day = obj.as_of(as_of)
    found, unreadable = all_facts(obj.register, obj.policy, obj.calendar, day)
    _warn_unreadable(unreadable)
    rows = overdue_steps(found)
    paths = {f.complaint.id: obj.register.path_for(f.complaint.id) for f in found}
    click.echo(views.overdue(rows, fmt, day, paths), nl=False)
    sys.exit(1 if rows else 0)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text", show_default=True)
@pass_context
def check(obj: Context, paths, fmt):
    """Check every complaint file (or the PATHs given); exit 1 on any problem."""
    from scripts.check import check_files, check_policy

    policy, problems = check_policy(obj.register)
    calendar = obj.calendar if policy else None
    today = calendar.today() if calendar else date.today()
    files = list(paths) or obj.register.complaint_paths()
    problems += check_files(obj.register, policy, calendar, today, files)
    if fmt == "json":
        click.echo(as_json(problems))
    elif problems:
        click.echo(as_github(problems) if fmt == "github" else as_text(problems))
    if fmt == "text":
        checked = f"{len(files)} complaint file(s) and the policy"
        click.echo(f"{len(problems)} problem(s) in {checked}" if problems else f"ok: {checked}",
                   err=True)
    sys.exit(1 if problems else 0)


def main():
    cli(prog_name="complaints")
