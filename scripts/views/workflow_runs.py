"""What the intake and comment workflows do, step by step (`complaints ci intake`,
`complaints ci comment`, `complaints ci open-issue`): read the event GitHub wrote, decide
whether its author may act, read the form or the command, record through `store.intake`,
check the register, and answer on GitHub through `store.github`.

Every refusal is a reply, and nothing is written, committed or pushed before everything
has been accepted. The text of a form or a comment reaches this code only in the event's
JSON file, never through the workflow's YAML.

Who may act: the author's permission on the repository, asked of GitHub's collaborator
permission API (admin, maintain or write), and a `github` login on the policy's staff
roster (for the commit's author and the event's `by`). A comment's `author_association`
is used only to turn away at once those who cannot be collaborators (it says MEMBER for an
organisation member with read access only, so it is never enough on its own).
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaints_register.core.comment_commands import (
    LetterCommand,
    LogCommand,
    command,
    first_line,
)
from complaints_register.core.event_input import InputError, event_fields, parse_moment
from complaints_register.core.issue_forms import (
    LOG,
    RECORD,
    FormError,
    answers,
    event_answers,
    fields_of,
)
from complaints_register.core.problems import ProblemsFound
from complaints_register.core.status import Facts, facts, listed
from complaints_register.core.tracking import follow_address, tracking_code
from complaints_register.schema import Complaint, Policy
from complaints_register.schema.ids import is_id
from complaints_register.store import github, intake
from complaints_register.store.check import valid_complaint
from complaints_register.store.files import RegisterError
from complaints_register.store.register import Register
from complaints_register.store.register_check import check_register
from complaints_register.store.repository import LedgerError
from complaints_register.text.letter_kinds import LETTER_KINDS
from complaints_register.text.letters import LetterError, letter
from complaints_register.text.sent_letters import Sent, send
from complaints_register.views import github_replies as replies
from complaints_register.views.overdue_issue import (
    LIST_OPEN_PINNED,
    OPEN_TITLE,
    issue_number,
    most_urgent_first,
    open_issue_body,
    open_plan,
    open_row,
    shown_call,
    step_summary,
)

if TYPE_CHECKING:  # only for annotations: working_days loads `holidays`, which is slow
    from complaints_register.core.working_days import Calendar

COLLABORATORS = ("OWNER", "MEMBER", "COLLABORATOR")
"""The author_association values of people who may have write access."""


@dataclass
class Work:
    """What the workflows need: the register, its policy and calendar, the token to push
    with, and where to say what is done (the step's log)."""

    register: Register
    policy: Policy
    calendar: "Calendar"
    token: str | None
    say: Callable[[str], None]
    tracking_secret: bytes | None = None  # COMPLAINTS_TRACKING_SECRET, for the letters' code
    site_url: str | None = None  # COMPLAINTS_SITE_URL, for the letters' "follow" address

    def tracking(self, complaint: Complaint) -> dict[str, str | None] | None:
        """The complaint's tracking code and "Follow your complaint" address for its
        letters, as `complaints letter` gives them; None without a secret."""
        if self.tracking_secret is None:
            return None
        default = self.policy.languages[0]
        return {
            "code": tracking_code(self.tracking_secret, complaint.id),
            "address": follow_address(self.site_url, complaint.language, default)
            if self.site_url
            else None,
        }

    def today(self) -> date:
        return self.calendar.today()

    def facts_of(self, complaint: Complaint) -> Facts:
        return facts(complaint, self.policy, self.calendar, self.today())

    def checked(self, base: str) -> str:
        """What `complaints check --base origin/<base>` finds on the branch checked out."""
        try:
            found = check_register(self.register, [], f"origin/{base}").problems
        except LedgerError as error:  # the branch is pushed already: say so, do not stop
            return f"`complaints check --base origin/{base}` could not run: {error}"
        return replies.checked_words([str(p) for p in found], self.policy.calendar.country)

    def draft(self, complaint: Complaint, found: Facts, kind: str) -> str | None:
        try:
            return letter(
                self.register.root,
                complaint,
                found,
                self.policy,
                self.calendar,
                kind,
                "markdown",
                tracking=self.tracking(complaint),
            )
        except LetterError as error:
            self.say(f"no draft {kind} letter: {error}")
            return None


# ---------------------------------------------------------------------------------------
# Issue forms


def intake_issue(work: Work, event: Mapping[str, Any]) -> str:
    """Act on an `issues` event: a submitted form becomes a pull request, or a refusal.
    Returns what was done, for the log."""
    issue = event.get("issue") or {}
    number, login = int(issue["number"]), str(issue["user"]["login"])
    labels = {str(label.get("name")) for label in issue.get("labels") or []}
    name = RECORD if RECORD in labels else LOG if LOG in labels else None
    if name is None:
        return f"issue #{number} is not a complaints form: nothing to do"
    body, title = str(issue.get("body") or ""), str(issue.get("title") or "")
    try:
        # Personal data first, whoever sent it: it is masked in the issue at once. The
        # title too: the person may change it, and it stays on the closed issue.
        in_title = intake.personal_data({"the title": title}, work.policy)
        try:
            found = answers(body, fields_of(name, work.policy))
        except FormError:
            # Not the form as sent (its body edited): what the refusal would repeat may be
            # anywhere in it, so all of it is looked through, as free text.
            personal = intake.personal_data({"the issue": body}, work.policy) + in_title
            if personal:
                return _personal_data_in_issue(work, number, body, title, personal)
            raise
        personal = intake.personal_data(found, work.policy) + in_title
        if personal:
            return _personal_data_in_issue(work, number, body, title, personal)
        staff = _writer(work.policy, login)
        reply = _record(work, found, staff, number) if name == RECORD else _log(work, found, staff)
    except (intake.Refused, InputError) as error:
        return _refuse(work, "issue", number, str(error), close=True)
    except ProblemsFound as error:
        return _refuse(
            work,
            "issue",
            number,
            "it would not pass `complaints check`:",
            [str(p) for p in error.problems],
            close=True,
        )
    except intake.PushRefused as error:  # said, and the run fails: someone should look
        _refuse(work, "issue", number, str(error))
        raise
    except RegisterError as error:
        if isinstance(error, LedgerError):
            raise
        return _refuse(work, "issue", number, str(error), close=True)
    github.comment("issue", number, reply)
    github.close_issue(number, done=True)
    return f"issue #{number}: done"


def _personal_data_in_issue(
    work: Work, number: int, body: str, title: str, personal: list[tuple[str, str, str]]
) -> str:
    masked_title = intake.masked_text(title, personal)
    github.replace_issue_body(
        number, intake.masked_text(body, personal), masked_title if masked_title != title else None
    )
    github.comment(
        "issue",
        number,
        replies.personal_data_refused(
            [f"{field}: {said}" for field, _, said in personal], work.policy.calendar.country
        ),
    )
    github.close_issue(number, done=False)
    return f"issue #{number}: refused, personal data (masked in the issue)"


def _writer(policy: Policy, login: str) -> intake.Staff:
    role = github.permission(login)
    if role not in github.WRITERS:
        raise intake.Refused(
            f"@{login} has {role} access to this repository; recording complaints needs"
            " write access"
        )
    return intake.staff_member(login, policy)


def _refuse(
    work: Work,
    kind: str,
    number: int,
    reason: str,
    problems: list[str] | None = None,
    close: bool = False,
) -> str:
    region = work.policy.calendar.country
    github.comment(kind, number, replies.refused(reason, region, problems or ()))
    if close:
        github.close_issue(number, done=False)
    return f"{kind} #{number}: refused"


def _record(work: Work, found: Mapping[str, str], staff: intake.Staff, number: int) -> str:
    received = parse_moment(found["received"], "Received") if "received" in found else None
    fields: dict[str, object] = {
        "received": intake.moment(received, work.calendar),
        "channel": found["channel"],
        "language": found["language"],
        "category": found["category"],
        "summary": found["summary"],
    }
    if found.get("desired_outcome"):
        fields["desired_outcome"] = found["desired_outcome"]
    if found.get("complainant_ref"):
        fields["complainant"] = {"ref": found["complainant_ref"]}
    done = intake.record(work.register, work.policy, work.calendar, fields, staff, work.token)
    work.say(f"recorded {done.complaint_id} on {done.branch}")
    complaint, now, checked = _after(work, done)
    url = _pull_request(
        done,
        f"Complaint {done.complaint_id}",
        replies.pull_request_body(now, number, staff.login, checked),
    )
    return replies.recorded(now, url, work.draft(complaint, now, "acknowledgement"), checked)


def _after(work: Work, done: intake.Recorded) -> tuple[Complaint, Facts, str]:
    """The complaint as written, its facts today, and what checking the register found."""
    complaint = valid_complaint(done.path, work.calendar)
    return complaint, work.facts_of(complaint), work.checked(done.base)


def _pull_request(done: intake.Recorded, title: str, body: str) -> str:
    """The pull request from the complaint's branch (opened if none is open); if GitHub
    refuses to open one, the branch, and why, so that a person can open it."""
    try:
        return github.open_pull_request(done.branch) or github.create_pull_request(
            done.branch, done.base, title, body
        )
    except github.GhError as error:
        return (
            f"the branch `{done.branch}` (GitHub did not open its pull request: {error}."
            ' Open it from the branch; README, "Running it on GitHub", says which setting'
            " lets the workflow open pull requests)"
        )


def _event(
    work: Work, event_type: str, fields: Mapping[str, object], common: Mapping[str, Any], by: str
) -> dict[str, object]:
    at = common.get("at")
    event: dict[str, object] = {
        "type": event_type,
        "at": intake.moment(at, work.calendar),
        "by": by,
        **fields,
    }
    for key in ("note", "late"):
        if common.get(key):
            event[key] = common[key]
    return event


def _log(work: Work, found: Mapping[str, str], staff: intake.Staff) -> str:
    event_type, options, typed = event_answers(found)
    common: dict[str, Any] = dict(typed)
    if "at" in common:
        common["at"] = parse_moment(common["at"], "When")
    event = _event(work, event_type, event_fields(event_type, options), common, staff.handle)
    done = intake.log(
        work.register, work.policy, work.calendar, found["complaint"], event, staff, work.token
    )
    work.say(f"logged {event_type} on {done.complaint_id} on {done.branch}")
    _, now, checked = _after(work, done)
    url = _pull_request(
        done,
        f"Complaint {done.complaint_id}",
        replies.logged(now, event_type, "this branch", checked),
    )
    return replies.logged(now, event_type, url, checked)


# ---------------------------------------------------------------------------------------
# Comment commands


def comment_command(work: Work, event: Mapping[str, Any]) -> str:
    """Act on an `issue_comment` event: a `/log` or `/letter` command on a complaint's pull
    request. Returns what was done, for the log."""
    issue = event.get("issue") or {}
    said = event.get("comment") or {}
    number = int(issue["number"])
    if not issue.get("pull_request"):
        return f"#{number} is an issue, not a pull request: nothing to do"
    body = str(said.get("body") or "")
    try:
        if command(body, LETTER_KINDS) is None:
            return f"the comment on #{number} holds no command: nothing to do"
    except InputError:
        pass  # a command, malformed: said after the author is known to be allowed
    # Personal data: masked at once, whoever wrote it. All of the command is looked through
    # (as free text), not only its note: a refusal may repeat any value typed in it.
    personal = intake.personal_data({"the command": first_line(body)}, work.policy)
    if personal:
        github.replace_comment_body(int(said["id"]), intake.masked_text(body, personal))
        github.comment(
            "pr",
            number,
            replies.personal_data_refused(
                [f"{field}: {it}" for field, _, it in personal], work.policy.calendar.country
            ),
        )
        return f"pull request #{number}: refused, personal data (masked in the comment)"
    login = str((said.get("user") or {}).get("login"))
    try:
        if said.get("author_association") not in COLLABORATORS:
            raise intake.Refused(f"@{login} is not a collaborator: commands need write access")
        staff = _writer(work.policy, login)
        asked = command(body, LETTER_KINDS)
        assert asked is not None
        pull = github.pull_request(number)
        if pull.get("isCrossRepository") or pull.get("state") != "OPEN":
            raise intake.Refused(
                "commands work on open pull requests from a branch of this repository only"
            )
        branch, base = str(pull["headRefName"]), str(pull["baseRefName"])
        if branch == str((event.get("repository") or {}).get("default_branch")):
            raise intake.Refused(
                f"`{branch}` is the repository's default branch: commands change a"
                " complaint's own branch, which is merged through its pull request"
            )
        complaint = _complaint_of(pull, branch)
        if isinstance(asked, LogCommand):
            reply = _log_command(work, asked, complaint, branch, base, staff)
        else:
            reply = _letter_command(work, asked, complaint, branch, staff)
    except (intake.Refused, InputError) as error:
        return _refuse(work, "pr", number, str(error))
    except ProblemsFound as error:
        return _refuse(
            work,
            "pr",
            number,
            "the event would not pass `complaints check`:",
            [str(p) for p in error.problems],
        )
    except intake.PushRefused as error:  # said, and the run fails: someone should look
        _refuse(work, "pr", number, str(error))
        raise
    except RegisterError as error:
        if isinstance(error, LedgerError):
            raise
        return _refuse(work, "pr", number, str(error))
    github.comment("pr", number, reply)
    return f"pull request #{number}: done"


def _complaint_of(pull: Mapping[str, Any], branch: str) -> str:
    """The complaint a pull request is about: its branch's (`complaint/<ID>`), else the one
    complaint file it changes."""
    named = intake.complaint_of_branch(branch)
    if named:
        return named
    names = [str(f.get("path", "")).rsplit("/", 1)[-1] for f in pull.get("files") or []]
    ids = sorted({n.removesuffix(".yaml") for n in names if is_id(n.removesuffix(".yaml"))})
    if len(ids) != 1:
        raise intake.Refused(
            "this pull request is not about one complaint: commands work on a branch"
            " `complaint/<ID>`, or a pull request that changes one complaint file"
        )
    return ids[0]


def _log_command(
    work: Work, asked: LogCommand, complaint: str, branch: str, base: str, staff: intake.Staff
) -> str:
    event = _event(
        work,
        asked.event_type,
        asked.fields,
        {"at": asked.at, "note": asked.note, "late": asked.late},
        staff.handle,
    )
    done = intake.log(
        work.register, work.policy, work.calendar, complaint, event, staff, work.token, branch
    )
    work.say(f"logged {asked.event_type} on {done.complaint_id} on {branch}")
    now = work.facts_of(valid_complaint(done.path, work.calendar))
    return replies.logged(now, asked.event_type, "this pull request", work.checked(base))


def _letter_command(
    work: Work, asked: LetterCommand, complaint: str, branch: str, staff: intake.Staff
) -> str:
    """The draft letter; with --log, its event appended as `letter --log` appends it."""
    if not asked.log:
        path = intake.read_branch(work.register, complaint, branch, work.token)
        found = valid_complaint(path, work.calendar)
        now = work.facts_of(found)
        try:
            text = letter(
                work.register.root,
                found,
                now,
                work.policy,
                work.calendar,
                asked.kind,
                "markdown",
                tracking=work.tracking(found),
            )
        except LetterError as error:
            raise intake.Refused(str(error)) from None
        return replies.letter_reply(now, asked.kind, text, None)
    written: list[Sent] = []

    def write(path: Path) -> str | None:
        at = intake.moment(None, work.calendar)
        sent = send(
            work.register.root,
            path,
            work.policy,
            work.calendar,
            asked.kind,
            {"at": at, "by": staff.handle},
            work.today(),
            tracking=work.tracking(valid_complaint(path, work.calendar)),
        )
        written.append(sent)
        return f"{path.stem}: {sent.logged} ({asked.kind} letter)" if sent.logged else None

    try:
        done = intake.change(work.register, complaint, staff, work.token, write, branch)
    except LetterError as error:
        raise intake.Refused(str(error)) from None
    work.say(f"{asked.kind} letter for {done.complaint_id}: logged {written[0].logged}")
    now = work.facts_of(valid_complaint(done.path, work.calendar))
    return replies.letter_reply(now, asked.kind, written[0].text, written[0].logged)


# ---------------------------------------------------------------------------------------
# The pinned "Open complaints" issue


def open_issue(work: Work, day: date, all_facts: Callable[..., list[Facts]]) -> str:
    """Keep the pinned "Open complaints" issue up to date; its body, for the job summary.
    `all_facts` is the command line's `Context.all_facts` (every complaint `keep` keeps)."""
    found = all_facts(
        day,
        lambda f: listed(f, "open", False, None, work.calendar, day),
        "list",
        "open",
        False,
        None,
    )
    body = open_issue_body(most_urgent_first([open_row(f) for f in found]), day.isoformat())
    for call in open_plan(json.loads(github.gh(LIST_OPEN_PINNED)), body):
        work.say(shown_call(call))
        out = github.gh(call.args, call.stdin)
        if call.args[:2] == ("issue", "create"):
            created = issue_number(out)
            if created:
                work.say(f"gh issue pin {created}")
                github.gh(("issue", "pin", created))
    return step_summary(body, OPEN_TITLE)
