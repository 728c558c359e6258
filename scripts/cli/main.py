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

from complaints_register.core.lifecycle import STATUSES
from complaints_register.core.problems import (
    ProblemsFound,
    as_github,
    as_json,
    as_text,
    escape_data,
    escape_property,
)
from complaints_register.store.register import Register, RegisterError
from complaints_register.views import complaints as views

LIST_STATUSES = ("open", "all") + STATUSES


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
            self.fail(
                f"{value!r} is not a date (2026-04-07) or date-time (2026-04-07T09:30)", param, ctx
            )


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
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "(run again with COMPLAINTS_DEBUG=1 to see where)",
                err=True,
            )
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
            from complaints_register.core.working_days import calendar_for

            self._calendar = calendar_for(self.policy)
        return self._calendar

    def as_of(self, day: date | None) -> date:
        return day or self.calendar.today()

    def complaint(self, text: str):
        """The complaint whose ID starts with `text`; its problems if its file is invalid."""
        return self.complaint_at(self.register.find(text))

    def complaint_at(self, path: Path):
        from complaints_register.schema import Complaint
        from complaints_register.store.register import load

        loaded = load(path, Complaint)
        if loaded.model is None:
            raise ProblemsFound(loaded.problems)
        return loaded.model

    def all_facts(self, day: date, keep=None, *choice) -> list:
        """Every complaint received by `day` (that `keep` keeps, named by `choice` in the
        cache), as of `day`; invalid files are left out with a warning (`complaints check`
        explains them)."""
        from complaints_register.store.overview import chosen_facts

        found, unreadable = chosen_facts(
            self.register, self.policy, self.calendar, day, keep, *choice
        )
        _warn_unreadable(unreadable)
        return found


pass_context = click.make_pass_decorator(Context)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--register",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("register"),
    show_default=True,
    envvar="COMPLAINTS_REGISTER",
    help="The register folder (holding policy.yaml).",
)
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
    from complaints_register.store.record import country_zone, init_register

    country = country.upper()
    timezone = timezone or country_zone(country)
    if timezone is None:
        raise click.BadParameter(
            f"{country} has several time zones: choose one", param_hint="--timezone"
        )
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
@click.option("--contact-email", help="Kept in the file encrypted, to a key in your key folder.")
@click.option("--contact-phone", help="Kept in the file encrypted, like --contact-email.")
@click.option("--contact-address", help="Kept in the file encrypted, like --contact-email.")
@pass_context
def new(
    obj: Context,
    channel,
    category,
    summary,
    received,
    language,
    desired_outcome,
    complainant_ref,
    **contact,
):
    """Record a new complaint; prints its ID."""
    from complaints_register.store.record import new_complaint

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
    details = {name.removeprefix("contact_"): value for name, value in contact.items() if value}
    if details:
        from complaints_register.store.contact import KeyFolder, new_with_contact

        keys = KeyFolder.configured(obj.register)
        click.echo(new_with_contact(obj.register, obj.policy, obj.calendar, fields, details, keys))
        return
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
@click.argument(
    "event_type",
    metavar="TYPE",
    type=click.Choice(
        [
            "acknowledged",
            "assessed",
            "info-requested",
            "info-received",
            "extended",
            "responded",
            "escalated",
            "referred",
            "closed",
            "reopened",
            "withdrawn",
            "surveyed",
            "retracted",
            "erased",
            "note",
        ]
    ),
)
@click.option("--at", type=When(), help="When it happened (default: now).")
@click.option("--by", "by", help="Who did it (default: Git's user.name, else your login).")
@click.option("--note", help="A note for the record (never published).")
@click.option("--priority", type=click.Choice(["normal", "urgent"]))
@click.option("--category")
@click.option("--handler")
@click.option("--due", type=Day())
@click.option("--reason")
@click.option("--outcome", type=click.Choice(["upheld", "partly-upheld", "not-upheld"]))
@click.option(
    "--remedy",
    multiple=True,
    type=click.Choice(
        [
            "apology",
            "explanation",
            "refund",
            "replacement",
            "repair",
            "compensation",
            "change-of-practice",
        ]
    ),
)
@click.option("--to", type=click.Choice(["ombudsman", "regulator", "adr", "court"]))
@click.option("--satisfied", type=click.Choice(list(SATISFIED)))
@click.option("--score", type=click.IntRange(1, 5))
@click.option(
    "--event",
    "event_index",
    type=click.IntRange(0),
    help="The event to retract (its [number] in `show`).",
)
@pass_context
def log(obj: Context, complaint_id, event_type, at, by, note, **options):
    """Append an event to a complaint (refused, with nothing written, if it makes no sense)."""
    from complaints_register.store.record import log_event

    given = {name for name, value in options.items() if value not in (None, ())}
    given = {"event" if name == "event_index" else name for name in given}
    allowed = set(EVENT_OPTIONS.get(event_type, ()))
    for name in sorted(given - allowed):
        raise click.UsageError(
            f"--{name} does not go with {event_type}"
            + (f" (it takes: {', '.join('--' + a for a in sorted(allowed))})" if allowed else "")
        )
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
        from complaints_register.store.record import now_in

        return now_in(obj.calendar)
    if isinstance(when, datetime) and when.tzinfo is None:
        return when.replace(tzinfo=obj.calendar.zone)
    return when


def _who() -> str:
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.option("--as-of", type=Day(), help="The date to work the status out for (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_context
def show(obj: Context, complaint_id, as_of, fmt):
    """Show one complaint: its status, deadlines and events."""
    from complaints_register.core.status import facts

    complaint = obj.complaint(complaint_id)
    found = facts(complaint, obj.policy, obj.calendar, obj.as_of(as_of))
    click.echo(
        views.as_json(found.as_json()) if fmt == "json" else views.show_text(complaint, found)
    )


@cli.command("list")
@click.option(
    "--status",
    type=click.Choice(LIST_STATUSES),
    default="open",
    show_default=True,
    help="open: everything not closed, referred or withdrawn.",
)
@click.option("--overdue", is_flag=True, help="Only complaints with an overdue step.")
@click.option(
    "--due-within",
    type=click.IntRange(0),
    metavar="N",
    help="Only complaints with a step due within N working days.",
)
@click.option("--as-of", type=Day())
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@pass_context
def list_(obj: Context, status, overdue, due_within, as_of, fmt):
    """List complaints with their status and next due date."""

    day = obj.as_of(as_of)
    chosen = obj.all_facts(
        day,
        lambda f: _listed(f, status, overdue, due_within, obj.calendar, day),
        "list",
        status,
        overdue,
        due_within,
    )
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
        return any(
            due is not None and due >= day and calendar.working_days_between(day, due) <= due_within
            for due in f.current.due.values()
        )
    return True


def _warn_unreadable(unreadable: list[str]) -> None:
    if unreadable:
        click.echo(
            f"warning: {len(unreadable)} file(s) left out because they are invalid"
            f" (see `complaints check`): {', '.join(unreadable[:5])}",
            err=True,
        )


@cli.command()
@click.option("--as-of", type=Day())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "markdown"]),
    default="text",
    show_default=True,
)
@pass_context
def overdue(obj: Context, as_of, fmt):
    """List every overdue step, most overdue first; exit 1 if there is any."""
    from complaints_register.core.status import overdue as overdue_steps
    from complaints_register.views import actions as action_views

    day = obj.as_of(as_of)
    found = obj.all_facts(day, lambda f: bool(f.current.overdue), "overdue")
    rows = overdue_steps(found)
    paths = {f.id: obj.register.path_for(f.id) for f in found}
    late_actions = _overdue_actions(obj, day)
    if rows or not late_actions or fmt == "json":  # "nothing is overdue" only when so
        click.echo(views.overdue(rows, fmt, day, paths), nl=False)
    click.echo(action_views.overdue(late_actions, fmt, day, _action_paths(obj)), nl=False)
    if late_actions and fmt == "json":
        click.echo(
            f"note: {len(late_actions)} improvement action(s) overdue, not in this list"
            " of complaint steps (complaints actions --overdue --format json)",
            err=True,
        )
    sys.exit(1 if rows or late_actions else 0)


def _overdue_actions(obj: Context, day: date) -> list:
    from complaints_register.core.actions import all_action_facts, overdue_actions

    return overdue_actions(all_action_facts(_actions(obj), obj.policy, obj.calendar, day))


def _actions(obj: Context) -> list:
    """The register's actions; the unreadable ones left out with a warning."""
    from complaints_register.store.action_files import load_actions

    found, unreadable = load_actions(obj.register)
    _warn_unreadable(unreadable)
    return found


def _action_paths(obj: Context) -> dict:
    from complaints_register.store.action_files import action_folder

    return {p.stem: p for p in action_folder(obj.register).glob("*.yaml")}


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--base",
    metavar="REF",
    help="Also refuse what breaks the append-only rules"
    " since the merge base of REF and HEAD (needs Git), e.g. origin/main.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
)
@pass_context
def check(obj: Context, paths, base, fmt):
    """Check every complaint and action file (or the PATHs given); exit 1 on any problem."""
    from complaints_register.core.working_days import calendar_for
    from complaints_register.store.action_files import (
        action_paths,
        check_action_files,
        is_action_file,
    )
    from complaints_register.store.check import check_files, check_policy

    ledger = _ledger(obj, base) if base else None
    policy, problems = check_policy(obj.register)
    calendar = calendar_for(policy) if policy else None  # the policy just checked, not again
    today = calendar.today() if calendar else date.today()
    actions = [p for p in paths if is_action_file(p)] if paths else action_paths(obj.register)
    files = [p for p in paths if not is_action_file(p)] if paths else None
    found, count = check_files(obj.register, policy, calendar, today, files)
    problems += found
    problems += check_action_files(
        obj.register, today, actions, policy.calendar.country if policy else "ZZ"
    )
    if ledger:
        problems += ledger.problems
        _notices(ledger.notices, fmt)
    if fmt == "json":
        click.echo(as_json(problems))
    elif problems:
        click.echo(as_github(problems) if fmt == "github" else as_text(problems))
    if fmt == "text":
        checked = (
            f"{count} complaint file(s)"
            + (f", {len(actions)} action file(s)" if actions else "")
            + " and the policy"
        )
        if ledger:
            checked += f", and {ledger.files} file(s) changed since {ledger.base} ({base})"
        click.echo(
            f"{len(problems)} problem(s) in {checked}" if problems else f"ok: {checked}", err=True
        )
    sys.exit(1 if problems else 0)


def _ledger(obj: Context, base: str):
    from complaints_register.store.ledger import UnknownRef, compare_with

    try:
        return compare_with(obj.register, base)
    except UnknownRef as error:  # a REF that names nothing is bad usage, like a missing PATH
        raise click.BadParameter(str(error), param_hint="--base") from None


def _notices(notices, fmt: str) -> None:
    """What needs a reviewer's eye but is no problem: annotations on GitHub, else stderr."""
    for notice in notices:
        if fmt == "github":
            click.echo(
                f"::notice file={escape_property(notice.file)},title=policy::"
                f"{escape_data(notice.message)}"
            )
        else:
            click.echo(f"notice: {notice}", err=True)


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_context
def history(obj: Context, complaint_id, fmt):
    """The complaint's audit trail from Git: every commit that changed it, oldest first."""
    from complaints_register.store.history import as_data, as_text, complaint_history

    entries = complaint_history(obj.register.root, _complaint_file(obj, complaint_id))
    if fmt == "json":
        click.echo(views.as_json(as_data(entries)))
    elif entries:
        click.echo(as_text(entries))
    else:
        click.echo(f"{complaint_id}: no history yet (the file was never committed)", err=True)


def _complaint_file(obj: Context, text: str) -> Path:
    """The file of a complaint by ID prefix; by its full ID also once its file is gone."""
    from complaints_register.schema import normalise_id
    from complaints_register.schema.ids import is_id

    try:
        return obj.register.find(text)
    except RegisterError:
        if is_id(normalise_id(text)):
            return obj.register.path_for(normalise_id(text))
        raise


@cli.group(invoke_without_command=True)
@click.option("--as-of", type=Day(), help="The date to work the states out for (default: today).")
@click.option("--overdue", "only_overdue", is_flag=True, help="Only overdue actions.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.pass_context
def actions(ctx, as_of, only_overdue, fmt):
    """List the improvement actions and their state; `actions add` and `actions done` record."""
    if ctx.invoked_subcommand:
        return
    from complaints_register.core.actions import all_action_facts
    from complaints_register.views import actions as action_views

    obj = ctx.find_object(Context)
    day = obj.as_of(as_of)
    found = all_action_facts(_actions(obj), obj.policy, obj.calendar, day)
    chosen = [f for f in found if f.overdue or not only_overdue]
    click.echo(action_views.listing(chosen, fmt, day), nl=False)


@actions.command("add")
@click.option("--what", required=True, help="What will be done (a sentence; internal).")
@click.option("--kind", required=True, type=click.Choice(["corrective", "preventive"]))
@click.option("--owner", required=True, help="Who sees it done.")
@click.option("--due", required=True, type=Day())
@click.option(
    "--complaint",
    "complaint_ids",
    required=True,
    multiple=True,
    metavar="ID",
    help="A complaint that prompted it (repeat for several; any unambiguous prefix).",
)
@click.option("--opened", type=Day(), help="When it was agreed (default: today).")
@click.option("--note")
@pass_context
def actions_add(obj: Context, what, kind, owner, due, complaint_ids, opened, note):
    """Record a new improvement action; prints its ID."""
    from complaints_register.store.action_files import new_action

    fields = {
        "opened": opened or obj.calendar.today(),
        "kind": kind,
        "what": what,
        "owner": owner,
        "due": due,
        "complaints": [obj.register.find(text).stem for text in complaint_ids],
    }
    if note:
        fields["note"] = note
    click.echo(new_action(obj.register, fields, obj.calendar.today()))


@actions.command("done")
@click.argument("action_id", metavar="ID")
@click.option("--at", type=Day(), help="When it was done (default: today).")
@pass_context
def actions_done(obj: Context, action_id, at):
    """Record that an improvement action was done."""
    from complaints_register.store.action_files import find_action, mark_done

    path = find_action(obj.register, action_id)
    mark_done(obj.register, path, at or obj.calendar.today(), obj.calendar.today())
    click.echo(f"{path.stem}: done recorded")


@cli.command()
@click.option("--from", "start", type=Day(), required=True, help="The first day of the period.")
@click.option("--to", "end", type=Day(), required=True, help="The last day of the period.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@pass_context
def report(obj: Context, start, end, fmt):
    """The management review of a period (internal: it names handlers), as of its last day."""
    from complaints_register.core.review import Period, review
    from complaints_register.store.overview import all_complaints
    from complaints_register.views.review import html_page, markdown

    if end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    if end > obj.calendar.today():
        raise click.BadParameter(
            f"{end} has not ended yet: a review covers days gone by", param_hint="--to"
        )
    complaints, unreadable = all_complaints(obj.register)
    _warn_unreadable(unreadable)
    result = review(complaints, _actions(obj), obj.policy, obj.calendar, Period(start, end))
    click.echo(markdown(result) if fmt == "md" else html_page(result), nl=False)


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_context
def contact(obj: Context, complaint_id, fmt):
    """Decrypt and print a complaint's contact details (needs its key in your key folder)."""
    from complaints_register.store.contact import KeyFolder, contact_of

    complaint = obj.complaint(complaint_id)
    details = contact_of(complaint, obj.policy, obj.calendar, KeyFolder.configured(obj.register))
    if fmt == "json":
        click.echo(views.as_json(details))
    else:
        click.echo("\n".join(f"{name:<8} {value}" for name, value in details.items()))


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.option("--by", "by", help="Who erased it (default: Git's user.name, else your login).")
@click.option("--reason", help="Why, e.g. the complainant's request (kept as the event's note).")
@pass_context
def erase(obj: Context, complaint_id, by, reason):
    """Destroy a complaint's contact key, so no copy of its contact block in any commit can
    be read again, and record an `erased` event."""
    from complaints_register.store.contact import KeyFolder
    from complaints_register.store.contact import erase as erase_contact

    path = obj.register.find(complaint_id)
    complaint = obj.complaint_at(path)
    event = {"type": "erased", "at": _moment(obj, None), "by": by or _who()}
    if reason:
        event["note"] = reason
    keys = KeyFolder.configured(obj.register)
    destroyed = erase_contact(path, complaint, event, obj.policy, obj.calendar, keys)
    click.echo(
        f"{complaint.id}: "
        + ("key destroyed, " if destroyed else "no contact key to destroy; ")
        + "erased recorded"
    )


@cli.command()
@click.option("--as-of", type=Day(), help="The date to work it out for (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@pass_context
def retention(obj: Context, as_of, fmt):
    """List complaints whose personal data is past the policy's retention period and not yet
    erased; exit 1 if there is any."""
    from complaints_register.core.retention import COLUMNS, due_for_erasure

    found = obj.all_facts(obj.as_of(as_of))
    rows = [
        due.as_row() for due in due_for_erasure(found, obj.policy.retention.personal_data_years)
    ]
    if fmt == "json":
        click.echo(views.as_json(rows))
    elif fmt == "csv":
        click.echo(views.as_csv(rows, COLUMNS), nl=False)
    elif rows:
        click.echo(views.table(rows, COLUMNS))
    else:
        click.echo("no complaint is past its retention period", err=True)
    sys.exit(1 if rows else 0)


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.argument(
    "kind",
    metavar="KIND",
    type=click.Choice(
        ["acknowledgement", "info-request", "extension", "response", "escalation", "closure"]
    ),
)
@click.option("--to", "name", metavar="NAME", help="The name for the salutation (stored nowhere).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "--as-of", type=Day(), help="The letter's date, and the facts it states (default: today)."
)
@pass_context
def letter(obj: Context, complaint_id, kind, name, fmt, as_of):
    """Write a letter to the complainant, in their language, on standard output."""
    from complaints_register.core.status import facts
    from complaints_register.text.letters import letter as write_letter

    complaint = obj.complaint(complaint_id)
    found = facts(complaint, obj.policy, obj.calendar, obj.as_of(as_of))
    click.echo(
        write_letter(
            obj.register.root, complaint, found, obj.policy, obj.calendar, kind, fmt, name
        ),
        nl=False,
    )


@cli.command()
@click.option("--as-of", type=Day(), help="The date to work the figures out for (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@pass_context
def stats(obj: Context, as_of, fmt):
    """The anonymised statistics the public site publishes (disclosure control applied)."""
    from dataclasses import asdict

    from complaints_register.core.figures import CSV_COLUMNS
    from complaints_register.store.overview import published_figures

    figures, unreadable = published_figures(
        obj.register, obj.policy, obj.calendar, obj.as_of(as_of)
    )
    _warn_unreadable(unreadable)
    if fmt == "json":
        click.echo(views.as_json(figures.as_json()))
    else:
        click.echo(views.as_csv([asdict(f) for f in figures.figures], CSV_COLUMNS), nl=False)


def main():
    cli(prog_name="complaints")
