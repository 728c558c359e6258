"""A progress bar on the terminal for long loops over the register's files."""

import sys
from collections.abc import Iterable

LONG = 5000  # files: about a second of work when nothing is cached


def progress(items: Iterable, what: str, total: int | None = None):
    """`items` (`total` of them: the length of `items` when not given), shown as a
    progress bar on standard error when that is a terminal and there are enough of them
    for the wait to be felt; as they are otherwise."""
    total = len(items) if total is None else total
    if total < LONG or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=what, total=total, console=Console(stderr=True), transient=True)
