"""An event from words typed on GitHub: the "Log an event" issue form and the `/log` comment
command. Both give the event's type and `name -> text` for the options `complaints log`
takes (`priority`, `handler`, `due`...), and get the event's own fields as `log` would
write them, or `InputError` saying, in a sentence, what to write instead. Pure.

The options come from the event types (`schema.events`), as `complaints log`'s do: an
option that does not go with the type, a choice not listed, a date that is not a date or a
number out of range is refused, naming the option and what it takes.
"""

from collections.abc import Mapping
from datetime import date, datetime

from complaints_register.schema.dates import out_of_range
from complaints_register.schema.events import EVENT_TYPES, Option

FORM_ONLY = ("erased",)
"""Event types never logged from GitHub: `complaints erase` destroys a key as it logs one."""

COMMON = ("at", "note", "late")
"""What every event may be given besides its own options."""


class InputError(ValueError):
    """What was typed cannot make the event: the sentence to show the person who typed it."""


def event_types() -> list[str]:
    """The types that can be logged from GitHub, in the schema's order."""
    return [name for name in EVENT_TYPES if name not in FORM_ONLY]


def all_options() -> list[Option]:
    """Every event type's options, once each, in the order the types declare them (as
    `complaints log` has them)."""
    found: dict[str, Option] = {}
    for model in EVENT_TYPES.values():
        for option in model.options:
            found.setdefault(option.name, option)
    return list(found.values())


def event_fields(event_type: str, given: Mapping[str, str]) -> dict[str, object]:
    """The event's own fields from the options `given` (option name -> the text typed;
    `at`, `note` and `late` are not options and are left to the caller)."""
    if event_type not in event_types():
        raise InputError(
            f"{event_type!r} is not an event type that can be logged here"
            f" (one of: {', '.join(event_types())})"
        )
    options = {option.name: option for option in EVENT_TYPES[event_type].options}
    unknown = sorted(set(given) - set(options))
    if unknown:
        takes = f"it takes: {', '.join(options)}" if options else "it takes none"
        raise InputError(f"{unknown[0]} does not go with {event_type} ({takes})")
    fields: dict[str, object] = {}
    for name, option in options.items():
        if name in given:
            value = _value(option, given[name])
            if value is not None:
                fields[option.field] = value
    return fields


def _value(option: Option, text: str) -> object:
    text = text.strip()
    if option.multiple:
        values = [v.strip() for v in text.split(",") if v.strip()]
        return [_one(option, v) for v in values] or None
    return _one(option, text)


def _one(option: Option, text: str) -> object:
    if option.choices:
        if text not in option.choices:
            raise InputError(f"{option.name} {text!r} is not one of: {', '.join(option.choices)}")
        return option.words[text] if option.words is not None else text
    if option.kind == "date":
        return parse_day(text, option.name)
    if option.kind == "number":
        if not text.isascii() or not text.isdigit():
            raise InputError(f"{option.name} {text!r} is not a whole number")
        number = int(text)
        if (option.low is not None and number < option.low) or (
            option.high is not None and number > option.high
        ):
            raise InputError(
                f"{option.name} {number} is not between {option.low} and {option.high}"
            )
        return number
    if not text:
        raise InputError(f"{option.name} is empty: give a value, or leave it out")
    return text


def parse_day(text: str, name: str) -> date:
    """A date typed as 2026-04-07, or InputError naming the field."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{name} {text!r} is not a date (write it as 2026-04-07)") from None
    _in_range(day, name)
    return day


def parse_moment(text: str, name: str) -> date | datetime:
    """A date (2026-04-07) or a date-time (2026-04-07T09:30, with or without an offset), as
    `complaints log --at` takes it; InputError naming the field."""
    text = text.strip()
    try:
        found: date | datetime = (
            datetime.fromisoformat(text) if "T" in text or " " in text else date.fromisoformat(text)
        )
    except ValueError:
        raise InputError(
            f"{name} {text!r} is not a date (2026-04-07) or a date and time (2026-04-07T09:30)"
        ) from None
    _in_range(found.date() if isinstance(found, datetime) else found, name)
    return found


def _in_range(day: date, name: str) -> None:
    wrong = out_of_range(day)
    if wrong is not None:
        raise InputError(f"{name}: {wrong}")
