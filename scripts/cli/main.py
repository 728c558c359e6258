"""The `complaints` command: parse arguments, call the register, print. Nothing else.

Exit status: 0 fine; 1 a problem was found (invalid file, refused edit, overdue complaint);
2 bad usage. No traceback reaches the user (set COMPLAINTS_DEBUG=1 to see one).
"""

import sys
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, get_args

import click

from complaints_register.cli.ci import ci
from complaints_register.cli.context import (
    Context,
    Day,
    FilePath,
    Group,
    When,
    pass_context,
    register_root,
    warn_unreadable,
)
from complaints_register.cli.lazy import LaterOptions, LazyChoice, LazyModule
from complaints_register.core.problems import (
    Problem,
    as_github,
    as_json,
    as_text,
    escape_data,
    escape_property,
)
from complaints_register.schema.state import STATUSES
from complaints_register.store.files import RegisterError
from complaints_register.text.letter_kinds import LETTER_KINDS

if TYPE_CHECKING:  # only for annotations: imported where used, as the commands run
    from complaints_register.core.actions import ActionFacts
    from complaints_register.schema.action import Action
    from complaints_register.schema.events import Option
    from complaints_register.views import complaints as views
else:  # the views load the models (pydantic): not for `complaints --help`
    views = LazyModule("complaints_register.views.complaints")

LIST_STATUSES = ("open", "all") + STATUSES


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--register",
    "root",
    type=FilePath(file_okay=False, path_type=Path),
    default=Path("register"),
    show_default=True,
    envvar="COMPLAINTS_REGISTER",
    help="The register folder (holding policy.yaml); when not given, the one found from"
    " the current folder upward (the folder itself, or its register/), as Git finds .git.",
)
@click.version_option(package_name="complaints-register")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Record, check and follow complaints in a Git-backed register (ISO 10002)."""
    ctx.obj = Context(register_root(ctx, root))


@cli.command()
@click.argument("directory", type=FilePath(file_okay=False, path_type=Path))
@click.option("--organisation", default="Our organisation", show_default=True)
@click.option(
    "--country", default=None, help="ISO 3166 code, e.g. IT (default: the regime's, else GB)."
)
@click.option("--subdivision", default=None, help="e.g. NIR (Northern Ireland).")
@click.option("--timezone", default=None, help="IANA zone; the country's own when it has one.")
@click.option("--regime", default=None, help="A regulator's code to follow (hos-2024, spso, ...).")
def init(
    directory: Path,
    organisation: str,
    country: str | None,
    subdivision: str | None,
    timezone: str | None,
    regime: str | None,
) -> None:
    """Create a new register in DIRECTORY with a policy.yaml to adapt (in a Git repository,
    Git is also set up to merge its files as a ledger: see merge-file). With --regime, the
    policy follows a regulator's code: its targets, its external body, and `check` holding
    the policy to it."""
    from complaints_register.store.record import country_zone, init_register

    if regime is not None:
        from complaints_register.store.regimes import regime as find_regime

        try:
            found = find_regime(regime)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--regime") from None
        if country is None and found.country is not None:
            country, subdivision = found.country, subdivision or found.subdivision
    country = (country or "GB").upper()
    timezone = timezone or country_zone(country)
    if timezone is None:
        raise click.BadParameter(
            f"{country} has several time zones: choose one", param_hint="--timezone"
        )
    path = init_register(directory, organisation, country, subdivision, timezone, regime)
    click.echo(f"created {path}: review it, then record complaints with `complaints new`")
    from complaints_register.store.merge_file import set_up

    for done in set_up(directory):  # Git's merges of the register: see "Merging branches"
        click.echo(done)


@cli.command()
@click.option("--channel", help="How it reached you (one of the policy's channels).")
@click.option("--category", help="One of the policy's categories.")
@click.option("--summary", help="What the complaint is about (never published).")
@click.option("--received", type=When(), help="When it was received (default: now).")
@click.option("--language", help="The complainant's language (default: the policy's first).")
@click.option("--desired-outcome", help="What the complainant wants (never published).")
@click.option("--complainant-ref", help="The complainant's reference in your contact system.")
@click.option("--contact-email", help="Kept in the file encrypted, to a key in your key folder.")
@click.option("--contact-phone", help="Kept in the file encrypted, like --contact-email.")
@click.option("--contact-address", help="Kept in the file encrypted, like --contact-email.")
@click.option(
    "--from-message",
    "message",
    type=FilePath(exists=True, dir_okay=False, path_type=Path),
    help="A complaint sent with the website's form: the saved e-mail (.eml) or its text."
    " Takes everything from it (channel web-form); only --received may be given too.",
)
@pass_context
def new(
    obj: Context,
    /,  # by position, as pass_context passes it (beside **contact)
    channel: str | None,
    category: str | None,
    summary: str | None,
    received: date | datetime | None,
    language: str | None,
    desired_outcome: str | None,
    complainant_ref: str | None,
    message: Path | None,
    **contact: str | None,
) -> None:
    """Record a new complaint; prints its ID. With --from-message, also the contact
    details when no key folder keeps them (they are stored nowhere then)."""
    from complaints_register.store.record import new_complaint

    given = [channel, category, summary, language, desired_outcome, complainant_ref]
    if message is not None:
        if any(given) or any(contact.values()):
            raise click.UsageError(
                "--from-message takes the complaint from the message:"
                " give no other option but --received"
            )
        from complaints_register.store.message import configured_keys, record_message
        from complaints_register.views.message import recorded_lines

        recorded = record_message(
            obj.register,
            obj.policy,
            obj.calendar,
            message,
            configured_keys(obj.register),
            _moment(obj, received) if received else None,
        )
        click.echo("\n".join(recorded_lines(recorded)))
        return
    missing = [
        f"--{n}"
        for n, v in zip(("channel", "category", "summary"), given[:3], strict=True)
        if not v
    ]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (or give --from-message FILE)")
    assert channel and category and summary

    fields: dict[str, object] = {
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


def _log_options() -> list["Option"]:
    """Every event type's options, once each, in the order the types declare them."""
    from complaints_register.schema.events import EVENT_TYPES

    found: dict[str, Option] = {}
    for model in EVENT_TYPES.values():
        for option in model.options:
            found.setdefault(option.name, option)
    return list(found.values())


def _click_option(option: "Option") -> click.Option:
    kind: click.ParamType[object] | None = None
    if option.kind == "date":
        kind = Day()
    elif option.kind == "number":
        kind = click.IntRange(option.low, option.high)
    elif option.choices:
        kind = click.Choice(option.choices)
    return click.Option([f"--{option.name}"], type=kind, multiple=option.multiple, help=option.help)


def _event_options() -> list[click.Parameter]:
    """The options of `log` that fill an event's own fields, from the event types."""
    return [_click_option(option) for option in _log_options()]


def _event_types() -> list[str]:
    from complaints_register.schema.events import EVENT_TYPES

    return list(EVENT_TYPES)


@cli.command(cls=LaterOptions, later=_event_options)
@click.argument("complaint_id", metavar="ID")
@click.argument("event_type", metavar="TYPE", type=LazyChoice(_event_types))
@click.option("--at", type=When(), help="When it happened (default: now).")
@click.option(
    "--by",
    "by",
    help="Who did it (default: your handle on the staff roster, by Git's user.email; else Git's user.name).",
)
@click.option("--note", help="A note for the record (never published).")
@click.option(
    "--late",
    metavar="WHY",
    help="Why it is recorded late: needed for an event dated more than the policy's"
    " late_entry_days working days ago, or before the latest event (never published).",
)
@pass_context
def log(
    obj: Context,
    /,  # by position, as pass_context passes it (beside **options)
    complaint_id: str,
    event_type: str,
    at: date | datetime | None,
    by: str | None,
    note: str | None,
    late: str | None,
    **options: object,
) -> None:
    """Append an event to a complaint (refused, with nothing written, if it makes no sense)."""
    from complaints_register.schema.events import EVENT_TYPES
    from complaints_register.store.record import log_event
    from complaints_register.store.repository import current_user

    given = {name for name, value in options.items() if value not in (None, ())}
    allowed = {option.name for option in EVENT_TYPES[event_type].options}
    for name in sorted(given - allowed):
        raise click.UsageError(
            f"--{name} does not go with {event_type}"
            + (f" (it takes: {', '.join('--' + a for a in sorted(allowed))})" if allowed else "")
        )
    path = obj.register.find(complaint_id)
    event: dict[str, object] = {
        "type": event_type,
        "at": _moment(obj, at),
        "by": by or current_user(obj.policy.staff),
    }
    event.update(_event_fields(event_type, options))
    if note:
        event["note"] = note
    if late:
        event["late"] = late
    log_event(path, event, obj.policy, obj.calendar)
    click.echo(f"{path.stem}: {event_type} recorded")


def _event_fields(event_type: str, options: Mapping[str, object]) -> dict[str, object]:
    """The event's own fields from the options given, as its type's options say."""
    from complaints_register.schema.events import EVENT_TYPES

    fields: dict[str, object] = {}
    for option in EVENT_TYPES[event_type].options:
        value = options[option.name]
        if option.words is not None and isinstance(value, str):  # a choice; None when not given
            value = option.words[value]
        if option.multiple and isinstance(value, tuple):  # click's tuple, () when not given
            value = list(value) or None
        if value is not None:
            fields[option.field] = value
    return fields


def _moment(obj: Context, when: date | datetime | None) -> date | datetime:
    """A moment as it is written to a file: now when not given, times with the policy's zone."""
    if when is None:
        from complaints_register.store.record import now_in

        return now_in(obj.calendar)
    if isinstance(when, datetime) and when.tzinfo is None:
        return when.replace(tzinfo=obj.calendar.zone)
    return when


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.option("--as-of", type=Day(), help="The date to work the status out for (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_context
def show(obj: Context, complaint_id: str, as_of: date | None, fmt: str) -> None:
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
def list_(
    obj: Context, status: str, overdue: bool, due_within: int | None, as_of: date | None, fmt: str
) -> None:
    """List complaints with their status and next due date."""
    from complaints_register.core.status import listed

    day = obj.as_of(as_of)
    chosen = obj.all_facts(
        day,
        lambda f: listed(f, status, overdue, due_within, obj.calendar, day),
        "list",
        status,
        overdue,
        due_within,
        pending_only=overdue or due_within is not None,  # a step overdue, or one due
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
def overdue(obj: Context, as_of: date | None, fmt: str) -> None:
    """List every overdue step, most overdue first; exit 1 if there is any."""
    from complaints_register.core.status import overdue as overdue_steps
    from complaints_register.views import actions as action_views

    day = obj.as_of(as_of)
    found = obj.all_facts(day, lambda f: bool(f.current.overdue), "overdue", pending_only=True)
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


def _overdue_actions(obj: Context, day: date) -> list["ActionFacts"]:
    from complaints_register.core.actions import all_action_facts, overdue_actions

    return overdue_actions(all_action_facts(_actions(obj), obj.policy, obj.calendar, day))


def _actions(obj: Context) -> list["Action"]:
    """The register's actions; the unreadable ones left out with a warning."""
    from complaints_register.store.action_files import load_actions

    found, unreadable = load_actions(obj.register)
    warn_unreadable(unreadable)
    return found


def _action_paths(obj: Context) -> dict[str, Path]:
    from complaints_register.store.action_files import action_paths

    return {p.stem: p for p in action_paths(obj.register) if p.suffix == ".yaml"}


@cli.command()
@click.argument("paths", nargs=-1, type=FilePath(exists=True, dir_okay=False, path_type=Path))
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
def check(obj: Context, paths: tuple[Path, ...], base: str | None, fmt: str) -> None:
    """Check every complaint and action file (or the PATHs given); exit 1 on any problem."""
    from complaints_register.store.register_check import check_register
    from complaints_register.store.repository import UnknownRef

    try:
        checked = check_register(obj.register, list(paths), base)
    except UnknownRef as error:  # a REF that names nothing is bad usage, like a missing PATH
        raise click.BadParameter(str(error), param_hint="--base") from None
    problems, ledger = checked.problems, checked.ledger
    if ledger:
        _notices(ledger.notices, fmt)
    if fmt == "json":
        click.echo(as_json(problems))
    elif problems:
        click.echo(as_github(problems) if fmt == "github" else as_text(problems))
    if fmt == "text":
        looked_at = f"{checked.complaints} complaint file(s)"
        if checked.actions:
            looked_at += f", {checked.actions} action file(s)"
        looked_at += " and the policy"
        if ledger:
            looked_at += f", and {ledger.files} file(s) changed since {ledger.base} ({base})"
        summary = f"{len(problems)} problem(s) in {looked_at}" if problems else f"ok: {looked_at}"
        click.echo(summary, err=True)
    sys.exit(1 if problems else 0)


def _notices(notices: list[Problem], fmt: str) -> None:
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
def history(obj: Context, complaint_id: str, fmt: str) -> None:
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
def actions(ctx: click.Context, as_of: date | None, only_overdue: bool, fmt: str) -> None:
    """List the improvement actions and their state; `actions add` and `actions done` record."""
    if ctx.invoked_subcommand:
        return
    from complaints_register.core.actions import all_action_facts
    from complaints_register.views import actions as action_views

    obj = ctx.find_object(Context)
    assert obj is not None  # `cli` made it, before any of its commands runs
    day = obj.as_of(as_of)
    found = all_action_facts(_actions(obj), obj.policy, obj.calendar, day)
    chosen = [f for f in found if f.overdue or not only_overdue]
    click.echo(action_views.listing(chosen, fmt, day), nl=False)


def _action_kinds() -> tuple[str, ...]:
    from complaints_register.schema.action import Kind

    return get_args(Kind)


@actions.command("add")
@click.option("--what", required=True, help="What will be done (a sentence; internal).")
@click.option("--kind", required=True, type=LazyChoice(_action_kinds))
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
def actions_add(
    obj: Context,
    what: str,
    kind: str,
    owner: str,
    due: date,
    complaint_ids: tuple[str, ...],
    opened: date | None,
    note: str | None,
) -> None:
    """Record a new improvement action; prints its ID."""
    from complaints_register.store.action_files import new_action

    fields: dict[str, object] = {
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
def actions_done(obj: Context, action_id: str, at: date | None) -> None:
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
def report(obj: Context, start: date, end: date, fmt: str) -> None:
    """The management review of a period (internal: it names handlers), as of its last day."""
    from complaints_register.core.review import Period, review
    from complaints_register.store.overview import all_complaints
    from complaints_register.store.register_check import require_valid
    from complaints_register.views.review import html_page, markdown

    if end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    if end > obj.calendar.today():
        raise click.BadParameter(
            f"{end} has not ended yet: a review covers days gone by", param_hint="--to"
        )
    require_valid(obj.register)  # a review is a record: only of a register check accepts
    complaints, unreadable = all_complaints(obj.register)
    warn_unreadable(unreadable)
    result = review(complaints, _actions(obj), obj.policy, obj.calendar, Period(start, end))
    click.echo(markdown(result) if fmt == "md" else html_page(result), nl=False)


@cli.command()
@click.option("--regime", help="The regulator's code (default: the policy's `regime`).")
@click.option("--from", "start", type=Day(), required=True, help="The first day of the period.")
@click.option("--to", "end", type=Day(), required=True, help="The last day of the period.")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True
)
@pass_context
def kpi(obj: Context, regime: str | None, start: date, end: date, fmt: str) -> None:
    """The figures a regulator asks for over a period (HOS CH01/CH02, SPSO indicators,
    ASIC IDR data, FCA return), as of its last day. Notes go to standard error."""
    from complaints_register.core.kpi import Period
    from complaints_register.core.kpi import kpi as figures
    from complaints_register.store.overview import all_complaints
    from complaints_register.store.regimes import regime as find_regime
    from complaints_register.store.register_check import require_valid
    from complaints_register.views.kpi import as_csv, as_json, markdown

    if end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    name = regime or obj.policy.regime
    if name is None:
        raise click.BadParameter("the policy names no regime: give one", param_hint="--regime")
    try:
        found = find_regime(name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--regime") from None
    require_valid(obj.register)  # figures for a regulator: only of a register check accepts
    complaints, unreadable = all_complaints(obj.register)
    warn_unreadable(unreadable)
    result = figures(complaints, obj.policy, obj.calendar, found, Period(start, end))
    for warning in result.warnings:
        click.echo(f"note: {warning}", err=True)
    show = {"md": markdown, "csv": as_csv, "json": as_json}[fmt]
    click.echo(show(result), nl=False)


@cli.command()
@click.argument("complaint_id", metavar="ID")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@pass_context
def contact(obj: Context, complaint_id: str, fmt: str) -> None:
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
@click.option("--by", "by", help="Who erased it (default: as for log --by).")
@click.option("--reason", help="Why, e.g. the complainant's request (kept as the event's note).")
@pass_context
def erase(obj: Context, complaint_id: str, by: str | None, reason: str | None) -> None:
    """Destroy a complaint's contact key, so no copy of its contact block in any commit can
    be read again, and record an `erased` event."""
    from complaints_register.store.contact import KeyFolder
    from complaints_register.store.contact import erase as erase_contact
    from complaints_register.store.repository import current_user

    path = obj.register.find(complaint_id)
    complaint = obj.complaint_at(path)
    event: dict[str, object] = {
        "type": "erased",
        "at": _moment(obj, None),
        "by": by or current_user(obj.policy.staff),
    }
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
def retention(obj: Context, as_of: date | None, fmt: str) -> None:
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
    type=click.Choice(LETTER_KINDS),
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
@click.option(
    "--log",
    is_flag=True,
    help="Also record the letter's event (acknowledgement: acknowledged, info-request:"
    " info-requested, ...) unless the current stage has it; dated --as-of, else now.",
)
@click.option("--by", "by", help="With --log: who sent it (default: as for log --by).")
@pass_context
def letter(
    obj: Context,
    complaint_id: str,
    kind: str,
    name: str | None,
    fmt: str,
    as_of: date | None,
    log: bool,
    by: str | None,
) -> None:
    """Write a letter to the complainant, in their language, on standard output."""
    from complaints_register.core.status import facts
    from complaints_register.store.register import LETTERS
    from complaints_register.text.letters import letter as write_letter

    obj.register.require_plain(LETTERS)  # the templates' loader would follow a link
    if log:
        _letter_logged(obj, complaint_id, kind, name, fmt, as_of, by)
        return
    complaint = obj.complaint(complaint_id)
    found = facts(complaint, obj.policy, obj.calendar, obj.as_of(as_of))
    click.echo(
        write_letter(
            obj.register.root,
            complaint,
            found,
            obj.policy,
            obj.calendar,
            kind,
            fmt,
            name,
            _tracking(complaint.id, complaint.language, obj.policy.languages[0]),
        ),
        nl=False,
    )


def _letter_logged(
    obj: Context,
    complaint_id: str,
    kind: str,
    name: str | None,
    fmt: str,
    as_of: date | None,
    by: str | None,
) -> None:
    """`letter --log`: the letter on standard output, what was recorded on standard error."""
    from complaints_register.store.repository import current_user
    from complaints_register.text.letter_kinds import LETTER_EVENTS
    from complaints_register.text.sent_letters import send

    path = obj.register.find(complaint_id)
    complaint = obj.complaint_at(path)
    event = {"at": _moment(obj, as_of), "by": by or current_user(obj.policy.staff)}
    tracking = _tracking(complaint.id, complaint.language, obj.policy.languages[0])
    day = obj.as_of(as_of)
    sent = send(
        obj.register.root, path, obj.policy, obj.calendar, kind, event, day, fmt, name, tracking
    )
    click.echo(sent.text, nl=False)
    done = "recorded" if sent.logged else "already recorded: nothing logged"
    click.echo(f"{path.stem}: {LETTER_EVENTS[kind]} {done}", err=True)


def _tracking(complaint_id: str, language: str, default: str) -> dict[str, str | None] | None:
    """The tracking code and page of a complaint for its letters; None without a secret."""
    import os

    from complaints_register.core.tracking import SECRET_VARIABLE, follow_address, secret_bytes

    try:
        secret = secret_bytes(os.environ.get(SECRET_VARIABLE))
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if secret is None:
        return None
    from complaints_register.core.tracking import tracking_code

    site = os.environ.get("COMPLAINTS_SITE_URL")
    return {
        "code": tracking_code(secret, complaint_id),
        "address": follow_address(site, language, default) if site else None,
    }


@cli.command("tracking-code")
@click.argument("complaint_id", metavar="ID")
@pass_context
def tracking_code(obj: Context, complaint_id: str) -> None:
    """The complaint's tracking code, for "Follow your complaint" on the public site
    (HMAC of the ID under $COMPLAINTS_TRACKING_SECRET, which is never committed)."""
    complaint = obj.complaint(complaint_id)
    found = _tracking(complaint.id, complaint.language, obj.policy.languages[0])
    if found is None:
        raise click.UsageError(
            "COMPLAINTS_TRACKING_SECRET is not set: the tracking codes are made with it"
            " (the same secret the site is built with)"
        )
    click.echo(found["code"])


@cli.command()
@click.option("--as-of", type=Day(), help="The date to work the figures out for (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--record",
    is_flag=True,
    help="Instead, record every period published by the as-of date and not recorded yet"
    " (statistics/<period>.yaml in the register): the site then publishes it exactly so.",
)
@pass_context
def stats(obj: Context, as_of: date | None, fmt: str, record: bool) -> None:
    """The anonymised statistics the public site publishes (disclosure control applied)."""
    from dataclasses import asdict

    from complaints_register.core.figures import CSV_COLUMNS
    from complaints_register.store.overview import published_figures
    from complaints_register.store.register_check import require_valid

    require_valid(obj.register)  # published: only from a register check accepts
    if record:
        from complaints_register.store.files import shown
        from complaints_register.store.recorded import record as record_periods

        day = obj.as_of(as_of)
        for path in record_periods(obj.register, obj.policy, obj.calendar, day):
            click.echo(f"recorded {shown(path)}")
        return
    figures, unreadable = published_figures(
        obj.register, obj.policy, obj.calendar, obj.as_of(as_of)
    )
    warn_unreadable(unreadable)
    if fmt == "json":
        click.echo(views.as_json(figures.as_json()))
    else:
        click.echo(views.as_csv([asdict(f) for f in figures.figures], CSV_COLUMNS), nl=False)


@cli.command("merge-file")
@click.argument("base", type=FilePath(dir_okay=False, path_type=Path))
@click.argument("ours", type=FilePath(dir_okay=False, path_type=Path))
@click.argument("theirs", type=FilePath(dir_okay=False, path_type=Path))
@pass_context
def merge_file(obj: Context, base: Path, ours: Path, theirs: Path) -> None:
    """Git's merge driver for register files (run by Git: see "Merging branches" in the
    README). Writes the merge over OURS; exit 1 when it keeps a conflict."""
    from complaints_register.core.problems import terminal_safe
    from complaints_register.store.merge_file import merge_file as merge
    from complaints_register.store.merge_file import zone_of

    merged = merge(base, ours, theirs, zone_of(obj.timezone()))
    for why in merged.conflicts:
        click.echo(terminal_safe(f"complaints merge-file: conflict: {why}"), err=True)
    sys.exit(0 if merged.clean else 1)


@cli.command()
@click.option(
    "--output",
    type=FilePath(file_okay=False, path_type=Path),
    help="The folder to write them in (default: .github/ISSUE_TEMPLATE at the top of the"
    " Git repository holding the register).",
)
@pass_context
def forms(obj: Context, output: Path | None) -> None:
    """Write the GitHub issue forms "Record a complaint" and "Log an event" from the policy."""
    from complaints_register.store.forms import forms_folder, write_forms

    for path in write_forms(output or forms_folder(obj.register.root), obj.policy):
        click.echo(f"wrote {path}")


@cli.command()
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site engine that lays out the pages: Material for MkDocs, or Zensical.",
)
@click.option(
    "--out",
    type=FilePath(file_okay=False, path_type=Path),
    default=Path("public"),
    show_default=True,
    help="The folder to write the site in (emptied first).",
)
@click.option(
    "--config",
    type=FilePath(dir_okay=False, path_type=Path),
    default=Path("mkdocs.yml"),
    show_default=True,
    help="The site's configuration.",
)
@click.option(
    "--projects",
    type=FilePath(file_okay=False, path_type=Path),
    help="Where each language's project is written (default: build/site beside --config).",
)
@pass_context
def site(obj: Context, engine: str, out: Path, config: Path, projects: Path | None) -> None:
    """Build the public site: one project per language, the first language at the root of
    --out, each other in its own folder; $COMPLAINTS_AS_OF sets the day (default today)."""
    import logging

    from complaints_register.core.problems import terminal_safe
    from complaints_register.website.errors import SiteError
    from complaints_register.website.projects import build_site

    class Safe(logging.Formatter):  # what the engine logs names files and quotes pages
        def format(self, record: logging.LogRecord) -> str:
            return terminal_safe(super().format(record), lines=True)

    said = logging.StreamHandler(sys.stderr)
    said.setFormatter(Safe("%(levelname)s - %(message)s"))
    loggers = [logging.getLogger(name) for name in ("complaints_register.website", "mkdocs")]
    levels = [logger.level for logger in loggers]
    for logger, level in zip(loggers, (logging.INFO, logging.WARNING), strict=True):
        logger.addHandler(said)
        logger.setLevel(level)
    try:
        languages = build_site(config, obj.register.root, out, engine, projects)
    except SiteError as error:
        said_lines = (terminal_safe(line) for line in str(error).splitlines())
        raise click.ClickException("\n".join(said_lines)) from None
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(said)
            logger.setLevel(level)
    click.echo(f"wrote the site to {out}/ in {', '.join(languages)} ({engine})")


cli.add_command(ci)


def main() -> None:
    cli(prog_name="complaints")
