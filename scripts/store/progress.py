"""A progress bar on the terminal for long loops over the register's files."""

import sys
from collections.abc import Collection, Iterable
from typing import TypeVar, cast, overload

LONG = 5000  # files: about a second of work when nothing is cached

_Item = TypeVar("_Item")


@overload
def progress(items: Collection[_Item], what: str, total: int | None = None) -> Iterable[_Item]: ...
@overload
def progress(items: Iterable[_Item], what: str, total: int) -> Iterable[_Item]: ...
def progress(items: Iterable[_Item], what: str, total: int | None = None) -> Iterable[_Item]:
    """`items` (`total` of them: the length of `items` when not given), shown as a
    progress bar on standard error when that is a terminal and there are enough of them
    for the wait to be felt; as they are otherwise."""
    # Without `total`, `items` is a Collection (see the overloads).
    total = len(cast(Collection[_Item], items)) if total is None else total
    if total < LONG or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=what, total=total, console=Console(stderr=True), transient=True)
