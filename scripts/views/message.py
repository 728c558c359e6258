"""What `complaints new --from-message` prints: the new ID first (alone on its line, as
`complaints new` prints it), then what the officer must know, every value from the message
made safe for a terminal."""

from complaints_register.core.problems import terminal_safe
from complaints_register.store.message import Recorded


def recorded_lines(recorded: Recorded) -> list[str]:
    lines = [recorded.complaint_id]
    if not recorded.category_chosen:
        lines.append(
            "category: none chosen on the form; recorded as the policy's category for an"
            " unsorted complaint (set it with `complaints log ID assessed --category ...`)"
        )
    if recorded.name:
        lines.append(
            f"name (stored nowhere; for your letter's --to): {terminal_safe(recorded.name)}"
        )
    if recorded.contact:
        if recorded.stored:
            lines.append(
                "contact details: kept in the complaint's encrypted contact block"
                " (`complaints contact ID` shows them)"
            )
        else:
            lines.append(
                "contact details (NOT stored, no key folder is configured: copy them into your"
                " contact system now):"
            )
            lines += [f"  {key}: {terminal_safe(value)}" for key, value in recorded.contact.items()]
    else:
        lines.append("contact details: none given on the form")
    return lines
