"""What every `complaints` command shares: the register and its policy, the types of its
date options, and the one place where the register's errors become messages and exit codes.
"""

import os
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from complaints_register.core.problems import ProblemsFound, as_text, terminal_safe
from complaints_register.store.files import RegisterError
from complaints_register.store.register import Register

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow,
    # and the models pydantic, which takes longer than the rest of `complaints --help`
    from complaints_register.core.status import Facts
    from complaints_register.core.working_days import Calendar
    from complaints_register.schema import Complaint, Policy


class When(click.ParamType[date | datetime, str | date]):
    """A date (2026-04-07) or a date-time (2026-04-07T09:30, with or without a zone)."""

    name = "DATE[TIME]"

    # `value`: as typed, or a date already (a default, or a value given from Python).
    def convert(
        self, value: str | date, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | datetime:
        if isinstance(value, (date, datetime)):
            return value
        try:
            if "T" in value or " " in value.strip():
                found: date | datetime = datetime.fromisoformat(value.strip())
            else:
                found = date.fromisoformat(value.strip())
        except ValueError:
            self.fail(
                f"{value!r} is not a date (2026-04-07) or date-time (2026-04-07T09:30)", param, ctx
            )
        # A mistyped year (1026, 9999) stops here, before it reaches a file or makes the
        # statistics count every month up to it.
        from complaints_register.schema.dates import out_of_range

        wrong = out_of_range(found.date() if isinstance(found, datetime) else found)
        if wrong is not None:
            self.fail(wrong, param, ctx)
        return found


class Day(When):
    name = "DATE"

    def convert(
        self, value: str | date, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        result = super().convert(value, param, ctx)
        if isinstance(result, datetime):
            self.fail(f"{value!r}: give a date without a time", param, ctx)
        return result


class FilePath(click.Path[Path]):
    """click's Path, with a name holding a NUL byte refused as bad usage (no file name has
    one; the system would refuse it with an error no one should see)."""

    def convert(
        self,
        value: str | os.PathLike[str],
        param: click.Parameter | None,
        ctx: click.Context | None,
    ) -> Path:
        if "\0" in os.fspath(value):
            self.fail(f"{os.fspath(value)!r} holds a NUL byte: no file name does", param, ctx)
        return super().convert(value, param, ctx)


class Group(click.Group):
    """Turns the register's errors into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ProblemsFound as found:
            click.echo(as_text(found.problems), err=True)
            ctx.exit(1)
        except (RegisterError, FileExistsError) as error:
            click.echo(terminal_safe(f"error: {error}"), err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as error:  # the promise: no traceback for the user
            if os.environ.get("COMPLAINTS_DEBUG"):
                raise
            click.echo(
                terminal_safe(f"internal error: {type(error).__name__}: {error}")
                + "\n(run again with COMPLAINTS_DEBUG=1 to see where)",
                err=True,
            )
            ctx.exit(1)


class Context:
    """What every command shares: the register and, once asked for, its policy."""

    def __init__(self, root: Path):
        self.register = Register(root)
        self._policy: Policy | None = None
        self._calendar: Calendar | None = None

    @property
    def policy(self) -> "Policy":
        if self._policy is None:
            self._policy = self.register.policy()
        return self._policy

    @property
    def calendar(self) -> "Calendar":
        if self._calendar is None:
            self._calendar = self.register.calendar(self.policy)
        return self._calendar

    def timezone(self) -> str | None:
        """The policy's time zone; None when there is no valid policy to say."""
        try:
            return self.policy.calendar.timezone
        except (ProblemsFound, RegisterError):
            return None

    def as_of(self, day: date | None) -> date:
        return day or self.calendar.today()

    def complaint(self, text: str) -> "Complaint":
        """The complaint whose ID starts with `text`; its problems if its file is invalid."""
        return self.complaint_at(self.register.find(text))

    def complaint_at(self, path: Path) -> "Complaint":
        """The complaint in the file at `path`; its problems if it is invalid."""
        from complaints_register.store.check import valid_complaint

        return valid_complaint(path, self.calendar)

    def all_facts(
        self,
        day: date,
        keep: Callable[["Facts"], bool] | None = None,
        *choice: object,
        pending_only: bool = False,
    ) -> list["Facts"]:
        """Every complaint received by `day` (that `keep` keeps, named by `choice` in the
        cache), as of `day`; invalid files are left out with a warning (`complaints check`
        explains them). `pending_only`: `keep` keeps only complaints with a step due or
        overdue, so those whose clocks have all stopped need not be looked at (see
        `store.settled.pending_facts_as_of`: the first run of a new day is then quick)."""
        if pending_only and keep is not None:
            from complaints_register.store.files import shown
            from complaints_register.store.settled import pending_facts_as_of

            pending, names = pending_facts_as_of(self.register, self.policy, self.calendar, day)
            warn_unreadable([shown(self.register.root / name) for name in names])
            return [f for f in pending if keep(f)]
        from complaints_register.store.overview import chosen_facts

        found, unreadable = chosen_facts(
            self.register, self.policy, self.calendar, day, keep, *choice
        )
        warn_unreadable(unreadable)
        return found


pass_context = click.make_pass_decorator(Context)


def register_root(ctx: click.Context, root: Path) -> Path:
    """The register's folder: `--register` (or $COMPLAINTS_REGISTER) when given, else the
    one found from the current folder upward, as Git finds `.git` (`store.discovery`)."""
    if ctx.get_parameter_source("root") is not click.core.ParameterSource.DEFAULT:
        return root
    from complaints_register.store.discovery import find_register

    return find_register() or root


def warn_unreadable(unreadable: list[str]) -> None:
    """Say on standard error which files a listing left out because they are invalid."""
    if unreadable:
        click.echo(
            terminal_safe(
                f"warning: {len(unreadable)} file(s) left out because they are invalid"
                f" (see `complaints check`): {', '.join(unreadable[:5])}"
            ),
            err=True,
        )
