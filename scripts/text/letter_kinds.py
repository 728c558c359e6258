"""The kinds of letter to a complainant, apart from the letters themselves, so that the
command line can offer them without loading Babel and Jinja2."""

LETTER_KINDS = ("acknowledgement", "info-request", "extension", "response", "escalation", "closure")
