"""The kinds of letter to a complainant, apart from the letters themselves, so that the
command line can offer them without loading Babel and Jinja2."""

LETTER_EVENTS = {
    "acknowledgement": "acknowledged",
    "info-request": "info-requested",
    "extension": "extended",
    "response": "responded",
    "escalation": "escalated",
    "closure": "closed",
}
"""Each kind of letter, and the event that sending it records (`letter --log`)."""

LETTER_KINDS = tuple(LETTER_EVENTS)
