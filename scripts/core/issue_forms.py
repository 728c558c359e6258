"""The GitHub issue forms a complaints officer fills in ("Record a complaint", "Log an
event"), made from the policy, and what GitHub makes of a submitted one. Pure: writing the
forms is `store.forms`' business, the workflow's reading of them `store.intake`'s.

A form is data in GitHub's issue-forms syntax (`form`): its dropdowns list the policy's
channels, categories, languages and staff, and the event types and their options, so that a
form can only offer what the register takes. When the policy changes, the forms are made
again (`complaints forms`), and `complaints check` reports forms that no longer match.

A submitted form reaches the workflow as the issue's body, which GitHub renders as one
section per field: `### Label`, an empty line, the answer (`_No response_` when none was
given). `answers` reads it back by the form's own labels, in the form's order.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from complaints_register.core.event_input import COMMON, InputError, all_options, event_types
from complaints_register.schema import Policy
from complaints_register.schema.events import EVENT_TYPES

RECORD = "record-complaint"
"""The "Record a complaint" form: its file name (without .yml) and the label it puts on
the issue, which is how the intake workflow knows it."""
LOG = "log-event"
"""The "Log an event" form, likewise."""
FORMS = (RECORD, LOG)
NO_RESPONSE = "_No response_"


@dataclass(frozen=True)
class Field:
    """One field of a form: its id (the key it fills), label, kind and choices."""

    id: str
    label: str
    kind: str  # input, textarea or dropdown
    description: str = ""
    options: tuple[str, ...] = ()
    required: bool = False
    multiple: bool = False

    def as_form(self) -> dict[str, object]:
        """The field in GitHub's issue-forms syntax."""
        attributes: dict[str, object] = {"label": self.label}
        if self.description:
            attributes["description"] = self.description
        if self.kind == "dropdown":
            if self.multiple:
                attributes["multiple"] = True
            attributes["options"] = list(self.options)
        result: dict[str, object] = {"type": self.kind, "id": self.id, "attributes": attributes}
        if self.required:
            result["validations"] = {"required": True}
        return result


def _in_use(listed: list[str], retired: list[str]) -> tuple[str, ...]:
    return tuple(v for v in listed if v not in retired)


def record_fields(policy: Policy) -> list[Field]:
    """The "Record a complaint" form's fields, as `complaints new` takes them."""
    return [
        Field(
            "received",
            "Received",
            "input",
            "When it reached you: 2026-04-07 or 2026-04-07T09:30 (empty: when this form"
            " is sent). The policy's time zone unless you give an offset.",
        ),
        Field(
            "channel",
            "Channel",
            "dropdown",
            "How it reached you.",
            _in_use(policy.channels, policy.retired_channels),
            required=True,
        ),
        Field(
            "category",
            "Category",
            "dropdown",
            "What it is about.",
            _in_use(policy.categories, policy.retired_categories),
            required=True,
        ),
        Field(
            "language",
            "Language",
            "dropdown",
            "The complainant's language: letters are written in it.",
            tuple(policy.languages),
            required=True,
        ),
        Field(
            "summary",
            "Summary",
            "textarea",
            "What the complaint is about, in a few sentences. Never published. No e-mail"
            " addresses, telephone numbers, IBANs or card numbers: the form is refused.",
            required=True,
        ),
        Field(
            "desired_outcome",
            "Desired outcome",
            "textarea",
            "What the complainant wants (optional, never published).",
        ),
        Field(
            "complainant_ref",
            "Complainant reference",
            "input",
            "The complainant's reference in your contact system (optional): never their"
            " name, address or e-mail address.",
        ),
    ]


def log_fields(policy: Policy) -> list[Field]:
    """The "Log an event" form's fields, as `complaints log` takes them: every event
    type's options, once each; which ones go with which type is said in each description
    and checked when the form is read."""
    fields = [
        Field(
            "complaint",
            "Complaint ID",
            "input",
            "The complaint's ID (C-2026-0403-K7Q2), or enough of its start to tell it apart.",
            required=True,
        ),
        Field("type", "Event", "dropdown", "What happened.", tuple(event_types()), required=True),
        Field(
            "at",
            "When",
            "input",
            "2026-04-07 or 2026-04-07T09:30 (empty: when this form is sent).",
        ),
    ]
    staff = tuple(policy.staff or ())
    labels = {"event": "Retracted event"}  # "Event" is the type's
    categories = _in_use(policy.categories, policy.retired_categories)
    for option in all_options():
        users = [name for name in event_types() if _takes(name, option.name)]
        description = f"For {', '.join(users)}." + (f" {option.help}" if option.help else "")
        choices = option.choices
        if option.name == "handler" and staff:
            choices = staff
        elif option.name == "category":
            choices = categories
        if choices:
            field = Field(
                option.name,
                labels.get(option.name, option.name.capitalize()),
                "dropdown",
                description,
                tuple(choices),
                multiple=option.multiple,
            )
        else:
            hint = {"date": " Write it as 2026-04-07.", "number": " A whole number."}
            field = Field(
                option.name,
                labels.get(option.name, option.name.capitalize()),
                "input",
                description + hint.get(option.kind, ""),
            )
        fields.append(field)
    fields += [
        Field("note", "Note", "textarea", "A note for the record (optional, never published)."),
        Field(
            "late",
            "Why late",
            "input",
            "Needed when the event is dated more than the policy's late_entry_days working"
            " days ago, or before the latest event: why it is recorded late.",
        ),
    ]
    return fields


def _takes(event_type: str, option: str) -> bool:
    return any(o.name == option for o in EVENT_TYPES[event_type].options)


def fields_of(name: str, policy: Policy) -> list[Field]:
    return record_fields(policy) if name == RECORD else log_fields(policy)


TITLES = {RECORD: "Record a complaint", LOG: "Log an event"}
ABOUT = {
    RECORD: "A new complaint: a pull request adds it to the register, and this issue"
    " gets its ID, due dates and a draft acknowledgement letter.",
    LOG: "Something that happened on a complaint: a pull request appends it to the"
    " complaint's file.",
}
INTRO = (
    "Staff on the policy's roster only (your GitHub login must be in `policy.yaml`)."
    " The text you type stays in this private repository; the form is refused, and nothing"
    " is recorded, if it holds personal data such as an e-mail address or a telephone"
    " number."
)


def form(name: str, policy: Policy) -> dict[str, object]:
    """The issue form `name` (RECORD or LOG) for `policy`, in GitHub's issue-forms syntax."""
    return {
        "name": TITLES[name],
        "description": ABOUT[name],
        "title": TITLES[name],
        "labels": [name],
        "body": [
            {"type": "markdown", "attributes": {"value": INTRO}},
            *(field.as_form() for field in fields_of(name, policy)),
        ],
    }


class FormError(InputError):
    """The issue's body is not the form filled in as GitHub renders it, or an answer is not
    one the form offers."""


def answers(body: str, fields: list[Field]) -> dict[str, str]:
    """The answers in an issue's `body` (GitHub's rendering of a submitted form with these
    `fields`), by field id; fields left empty are left out. FormError when a field's
    section is missing or a dropdown's answer is not one of its options."""
    text = "\n" + body.replace("\r\n", "\n").replace("\r", "\n")
    found: dict[str, str] = {}
    sections: list[tuple[Field, int, int]] = []
    position = 0
    for field in fields:
        heading = f"\n### {field.label}\n"
        start = text.find(heading, position)
        if start < 0:
            raise FormError(
                f"the issue is not the form as GitHub sends it: no section {field.label!r}"
                " (open a new issue with the form, and leave its headings as they are)"
            )
        sections.append((field, start, start + len(heading)))
        position = start + len(heading)
    for index, (field, _, begin) in enumerate(sections):
        end = sections[index + 1][1] if index + 1 < len(sections) else len(text)
        value = text[begin:end].strip()
        if value in ("", NO_RESPONSE) or (field.kind == "dropdown" and value == "None"):
            if field.required:
                raise FormError(f"{field.label} is required")
            continue
        if field.kind == "dropdown":
            chosen = [v.strip() for v in value.split(",")] if field.multiple else [value]
            wrong = [v for v in chosen if v not in field.options]
            if wrong:
                raise FormError(
                    f"{field.label}: {wrong[0]!r} is not one of the form's choices"
                    f" ({', '.join(field.options)})"
                )
        found[field.id] = value
    return found


def event_answers(found: Mapping[str, str]) -> tuple[str, dict[str, str], dict[str, str]]:
    """The "Log an event" answers as (type, the type's options, at/note/late)."""
    common = {k: v for k, v in found.items() if k in COMMON}
    options = {k: v for k, v in found.items() if k not in (*COMMON, "complaint", "type")}
    return found["type"], options, common
