"""Why the public site cannot be built: one message, naming the file and what to change."""


class SiteError(Exception):
    """The site cannot be built from this register or these pages; the message says why."""
