"""Work on many files at once, on every core: what makes a cold run of `check`, `list`,
`overdue` or `stats` on a large register take a fraction of the time.

`each(work, items, *shared)` gives `work(item, *shared)` for every item, in order. With
fewer than `MANY` items, or one core, it works in this process; otherwise in a pool of
processes, one a core, each given `shared` once and the items in chunks. `work` must be a
module-level function and every item, shared value and result picklable.
"""

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import TypeVar, cast

MANY = 2000  # items: below this, starting processes costs more than it saves
CHUNK = 250

_Result = TypeVar("_Result")

_work: tuple[Callable[..., object], tuple[object, ...]] | None = None
"""In a pool's process: the function and the shared values."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def each(
    work: Callable[..., _Result], items: Sequence[object], *shared: object
) -> Iterator[_Result]:
    """`work(item, *shared)` for each of `items`, in order, on every core when worth it."""
    if len(items) < MANY or cores() < 2:
        for item in items:
            yield work(item, *shared)
        return
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    with ProcessPoolExecutor(
        cores(), mp_context=_context(), initializer=_start, initargs=(work, shared)
    ) as pool:
        for results in pool.map(_run, chunks):
            yield from cast(list[_Result], results)  # what `work` gave, in another process


def _context() -> BaseContext:
    # fork starts a process in milliseconds; where there is none, spawn does the same work
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _start(work: Callable[..., object], shared: tuple[object, ...]) -> None:
    global _work
    _work = (work, shared)
    # What the parent made lives as long as this process: no collection need walk it. A
    # fork keeps the parent's setting: the work here collects garbage as it would there
    # (`store.cache.no_collection` pauses it around work on many files, which makes
    # millions of objects and no garbage; with one core, all of it runs in the parent).
    gc.freeze()


def _run(chunk: Sequence[object]) -> list[object]:
    assert _work is not None  # _start set it as this process of the pool started
    work, shared = _work
    return [work(item, *shared) for item in chunk]
