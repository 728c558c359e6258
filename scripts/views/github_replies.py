"""What the intake and comment workflows write on GitHub: the reply on a form's issue, the
pull request's description, the reply to a comment command. Markdown, for the organisation's
own private repository: the complaint's ID, status and due dates; a draft letter where one
is asked for; problems as `complaints check` says them (personal data already masked).
"""

import re
from collections.abc import Sequence

from complaints_register.core.personal_data import found_in, masked
from complaints_register.core.problems import terminal_safe
from complaints_register.core.status import Facts

STEP_WORDS = {"acknowledge": "Acknowledge by", "respond": "Respond by"}
DONE = {"acknowledge": "acknowledged", "respond": "responded"}  # Facts' names of a step done


def status_table(facts: Facts) -> str:
    """The complaint's status, stage, priority, handler and due dates, as a table."""
    stage = facts.current
    rows = [
        ("Complaint", f"`{facts.id}`"),
        ("Status", facts.state.status),
        ("Stage", str(stage.stage)),
        ("Priority", stage.priority),
        ("Handler", stage.handler or "—"),
    ]
    for step, words in STEP_WORDS.items():
        due, done = stage.due.get(step), stage.done.get(DONE[step])
        if due is not None:
            late = " (overdue)" if step in stage.overdue else ""
            rows.append((words, f"{due.isoformat()}{late}"))
        elif done is not None:
            rows.append((words, f"done {done.isoformat()}"))
    lines = ["| | |", "|---|---|"] + [f"| {name} | {_cell(value)} |" for name, value in rows]
    return "\n".join(lines)


def _cell(value: str) -> str:
    return inert(terminal_safe(value.replace("\n", " "))).replace("|", "\\|")


def fenced(text: str) -> str:
    """`text` in a code block no line of it can close."""
    fence = "~~~~"
    while fence in text:
        fence += "~"
    return f"{fence}\n{text}\n{fence}"


def letter_block(kind: str, language: str, letter: str, logged: bool = False) -> str:
    then = "send it" if logged else "send it and log it (`/letter KIND --log` does both)"
    return (
        f"<details><summary>Draft {kind} letter ({language}): check it, then {then}"
        f"</summary>\n\n{letter.rstrip()}\n\n</details>"
    )


def recorded(facts: Facts, pull_request: str, letter: str | None, checked: str) -> str:
    """The reply on a "Record a complaint" issue."""
    parts = [
        f"Recorded as **{facts.id}** in {pull_request}: it is in the register once that"
        " pull request is merged. This issue is closed; follow the complaint there.",
        status_table(facts),
        checked,
    ]
    if letter:
        parts.append(letter_block("acknowledgement", facts.language, letter))
    return "\n\n".join(parts) + "\n"


def logged(facts: Facts, event_type: str, where: str, checked: str) -> str:
    """The reply once an event is appended (on the form's issue, or to a comment)."""
    return (
        "\n\n".join(
            [f"Logged **{event_type}** on **{facts.id}** in {where}.", status_table(facts), checked]
        )
        + "\n"
    )


_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
"""A code span, as GitHub reads one (a backquote after a backslash opens none: what
follows it is made inert as the rest)."""
_ADDRESS = re.compile(r"(?<=:)//|(?<=www)\.", re.IGNORECASE)
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


def plain(text: str, region: str) -> str:
    """`text`, which may repeat what someone typed, as Markdown that shows it and does
    nothing else: personal data masked, no @mention (GitHub would notify a person or a whole
    team), no HTML (an image that calls another site), no link written as `[text](...)`
    and no address GitHub would make a link of (`https://`, `www.`).
    Code spans are left as they are: GitHub renders nothing inside them."""
    text = _masked(text, region)
    parts, position = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(inert(text[position : span.start()]))
        parts.append(span.group(0))
        position = span.end()
    parts.append(inert(text[position:]))
    return "".join(parts)


def _masked(text: str, region: str) -> str:
    """`text` with its personal data masked (`region`: the policy's country, whose
    telephone numbers may be written without +)."""
    for hit in sorted(found_in(text, region), key=lambda h: -(h.end - h.start)):
        raw = text[hit.start : hit.end]
        text = text.replace(raw, masked(raw))
    return text


def problems_block(problems: Sequence[str], region: str) -> str:
    """Problems as `complaints check` says them, in a code block, personal data masked:
    a problem may repeat a value it could not take (a channel that is an address)."""
    return fenced(_masked("\n".join(problems), region))


def inert(text: str) -> str:
    """`text` with no @mention, HTML, `[text](link)` or address GitHub makes a link of."""
    text = _ADDRESS.sub(lambda m: "\u200b" + m.group(0), text.translate(_MARKUP))
    return _MENTION.sub("@\u200b", text)


def refused(reason: str, region: str, problems: Sequence[str] = ()) -> str:
    """The reply when nothing was recorded: why (made `plain`: it may repeat what was
    typed; `region`: the policy's country, whose telephone numbers may be written without
    +), and the problems found, if any (in a code block)."""
    text = f"Nothing was recorded: {plain(reason, region)}"
    if problems:
        text += "\n\n" + problems_block(problems, region)
    return text + "\n"


def personal_data_refused(found: Sequence[str], region: str) -> str:
    """The reply when a form holds personal data (each piece shown masked)."""
    return refused(
        "it holds personal data, which the register never keeps (the Git history is"
        " permanent). It is masked on GitHub now; send it again without it, and"
        " keep contact details in your contact system (a complainant reference), or"
        " encrypted with `complaints new --contact-email`. Whoever administers the"
        " repository can also delete the earlier revision, which still holds it (its"
        " *edited* menu).",
        region,
        found,
    )


def checked_words(problems: Sequence[str], region: str) -> str:
    """What the run's own `complaints check --base` found, for the reply and the pull
    request (a pull request opened with the workflow's own token starts no other
    workflow, so this run checks the register itself)."""
    if not problems:
        return "`complaints check --base` found no problem in the register on this branch."
    return (
        f"`complaints check --base` found {len(problems)} problem(s) on this branch:\n\n"
        + problems_block(problems, region)
    )


def pull_request_body(facts: Facts, issue: int, login: str, checked: str) -> str:
    return (
        f"Recorded from #{issue} by @{login}.\n\n{status_table(facts)}\n\n{checked}\n\n"
        "Comment `/log TYPE key=value ...` (for example `/log acknowledged`) or"
        " `/letter KIND` on this pull request to add to it.\n"
    )


def letter_reply(facts: Facts, kind: str, letter: str, logged: str | None) -> str:
    """The reply to `/letter KIND` (`logged`: the event `--log` appended, if any)."""
    head = f"Logged **{logged}** with the {kind} letter.\n\n" if logged else ""
    block = letter_block(kind, facts.language, letter, logged is not None)
    return f"{head}{status_table(facts)}\n\n{block}\n"
