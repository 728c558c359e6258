"""A complaint recorded, or an event logged, from GitHub: on a branch of its own per
complaint (`complaint/<ID>`), committed as the staff member who asked, and pushed.

The file is written by the same functions `complaints new` and `complaints log` use
(`store.record`), so it is checked exactly as they check it, and nothing is written, no
branch made and nothing pushed, when it is refused. Who asked is known by their GitHub login,
which must be a staff member's `github` on the policy's roster: the commit's author is that
person (their name, and their first e-mail address on the roster).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaints_register.core.personal_data import KINDS, REFERENCE_KINDS, found_in, masked
from complaints_register.schema import Policy
from complaints_register.schema.ids import is_id, normalise_id
from complaints_register.store.files import RegisterError
from complaints_register.store.record import log_event, new_complaint, now_in
from complaints_register.store.register import Register
from complaints_register.store.repository import (
    LedgerError,
    commit_as,
    current_branch,
    delete_branch,
    fetch_branch,
    open_repository,
    push,
    remote_has_branch,
    switch,
)

if TYPE_CHECKING:
    from complaints_register.core.working_days import Calendar
    from complaints_register.store.repository import Repo

BRANCH_PREFIX = "complaint/"
COMMITTER = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


class Refused(RegisterError):
    """Who asked may not, or what they gave cannot be recorded: the sentence to reply."""


class PushRefused(RegisterError):
    """The remote would not take the branch: nothing reached GitHub."""


def _push(repo: "Repo", branch: str, token: str | None) -> None:
    """Push `branch`; PushRefused saying so when the remote will not take it (most often
    because another command or form on the same complaint pushed to it a moment before:
    a push is never forced)."""
    try:
        push(repo, branch, token)
    except LedgerError as error:
        raise PushRefused(
            f"the branch `{branch}` could not be pushed ({error}). It may have changed at"
            " the same moment (another command or form on the same complaint): send it again"
        ) from None


@dataclass(frozen=True)
class Staff:
    """The staff member a GitHub login is: handle, name, and the e-mail address commits use."""

    login: str
    handle: str
    name: str
    email: str


def staff_member(login: str, policy: Policy) -> Staff:
    """The staff member whose `github` on the roster is `login` (GitHub logins are told
    apart without case); Refused when there is none. Only the `github` key counts: a login
    that happens to be a handle or a name is not that person."""
    for handle, member in (policy.staff or {}).items():
        if member.github and member.github.casefold() == login.casefold():
            email = member.emails[0] if member.emails else f"{login}@users.noreply.github.com"
            return Staff(login, handle, member.name, email)
    raise Refused(
        f"@{login} is not on the staff roster: add `github: {login}` to your entry under"
        " `staff:` in policy.yaml (in a pull request), then send the form again"
    )


def branch_for(complaint_id: str) -> str:
    return f"{BRANCH_PREFIX}{complaint_id}"


def complaint_of_branch(branch: str) -> str | None:
    """The complaint ID a `complaint/<ID>` branch is for, if it is one."""
    rest = branch.removeprefix(BRANCH_PREFIX)
    return rest if rest != branch and is_id(rest) else None


FREE_TEXT = {"complainant_ref": REFERENCE_KINDS}
"""What is looked through for personal data, before anything else is done, for less than
every kind: a complainant reference is a key into the contact system, which may look like a
telephone or card number. Every other answer is looked through for every kind: a refusal
may repeat what was typed, even where only a choice or a date is taken."""


def personal_data(answers: Mapping[str, str], policy: Policy) -> list[tuple[str, str, str]]:
    """(field, the text found, what it says) for every piece of personal data in
    `answers`; the message shows it masked."""
    found = []
    for name, text in answers.items():
        kinds = FREE_TEXT.get(name, KINDS)
        if text:
            for hit in found_in(text, policy.calendar.country, kinds):
                found.append((name, text[hit.start : hit.end], hit.message(text)))
    return found


def masked_text(text: str, found: list[tuple[str, str, str]]) -> str:
    """`text` with each piece of personal data `found` in it masked."""
    for _, raw, _ in sorted(found, key=lambda f: -len(f[1])):
        text = text.replace(raw, masked(raw))
    return text


def moment(parsed: date | datetime | None, calendar: "Calendar") -> date | datetime:
    """When something happened, as it is written to a file: now when not given, a time
    without an offset in the policy's zone."""
    if parsed is None:
        return now_in(calendar)
    if isinstance(parsed, datetime) and parsed.tzinfo is None:
        return parsed.replace(tzinfo=calendar.zone)
    return parsed


@dataclass(frozen=True)
class Recorded:
    """What was done: the complaint, its file, the branch pushed, and the branch it is for."""

    complaint_id: str
    path: Path
    branch: str
    base: str


def record(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    fields: Mapping[str, Any],
    staff: Staff,
    token: str | None,
) -> Recorded:
    """Write a new complaint from `fields` (as `new_complaint` takes them), commit it on a
    new branch `complaint/<ID>` as `staff`, and push that branch. ProblemsFound, with
    nothing written, when the file would be refused."""
    with open_repository(register.root) as repo:
        base = current_branch(repo)
        complaint_id = new_complaint(register, policy, calendar, fields)
        path = register.path_for(complaint_id)
        branch = branch_for(complaint_id)
        try:
            switch(repo, branch, "HEAD")
            commit_as(repo, [path], f"Record {complaint_id}", (staff.name, staff.email), COMMITTER)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        _push(repo, branch, token)
        return Recorded(complaint_id, path, branch, base)


def log(
    register: Register,
    policy: Policy,
    calendar: "Calendar",
    complaint: str,
    event: Mapping[str, object],
    staff: Staff,
    token: str | None,
    branch: str | None = None,
) -> Recorded:
    """Append `event` to the complaint `complaint` names (an ID, or the start of one) on
    its branch, commit it as `staff` and push the branch. The branch is `branch` when given
    (a pull request's), else `complaint/<ID>`: the remote's if it has one (a complaint
    whose pull request is still open), else a new one from the branch checked out.
    ProblemsFound or RegisterError, with nothing left behind, when it is refused."""

    def append(path: Path) -> str:
        log_event(path, event, policy, calendar)
        return f"{path.stem}: {event['type']}"

    return change(register, complaint, staff, token, append, branch)


def change(
    register: Register,
    complaint: str,
    staff: Staff,
    token: str | None,
    write: Callable[[Path], str | None],
    branch: str | None = None,
) -> Recorded:
    """Check out the complaint's branch (as `log` finds it), let `write(path)` change the
    complaint's file and say the commit's message (None: it changed nothing), commit that
    as `staff` and push the branch. Whatever `write` raises leaves nothing behind."""
    with open_repository(register.root) as repo:
        base = current_branch(repo)
        complaint_id, branch = _branch(repo, register, complaint, token, branch)
        try:
            path = register.find(complaint_id)
            message = write(path)
            if message is not None:
                commit_as(repo, [path], message, (staff.name, staff.email), COMMITTER)
        except BaseException:
            switch(repo, base)
            delete_branch(repo, branch)
            raise
        if message is not None:
            _push(repo, branch, token)
        return Recorded(complaint_id, path, branch, base)


def _branch(
    repo: "Repo", register: Register, complaint: str, token: str | None, branch: str | None
) -> tuple[str, str]:
    """Check out the branch to log on; (the complaint's full ID, that branch)."""
    if branch is not None:
        start = fetch_branch(repo, branch, token)
        switch(repo, branch, start)
        return register.find(complaint).stem, branch
    typed = normalise_id(complaint.strip())
    if is_id(typed) and remote_has_branch(repo, branch_for(typed), token):
        complaint_id = typed
    else:
        try:
            complaint_id = register.find(complaint).stem
        except RegisterError as error:
            raise Refused(
                f"{error}. A complaint still in its pull request is found by its whole ID"
            ) from None
    branch = branch_for(complaint_id)
    if remote_has_branch(repo, branch, token):
        switch(repo, branch, fetch_branch(repo, branch, token))
    else:
        switch(repo, branch, "HEAD")
    return complaint_id, branch


def read_branch(register: Register, complaint: str, branch: str, token: str | None) -> Path:
    """Check out the remote's `branch` (to read it); the file of the complaint `complaint`
    names there."""
    with open_repository(register.root) as repo:
        switch(repo, branch, fetch_branch(repo, branch, token))
    return register.find(complaint)
