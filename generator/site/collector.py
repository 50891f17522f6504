"""The scored results kept out of Python's cycle collector's way while the site is made; memory freed on the
way handed back to the system."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


_TRIM = _malloc_trim()


def give_back() -> None:
    """Hand the memory freed so far back to the system (glibc's ``malloc_trim``; nothing elsewhere).

    The C library keeps freed memory for later allocations, and a forked worker maps it all: after the
    results tables of 30,000 units are made and sent off, 100 MB is free but still the build's."""
    if _TRIM is not None:
        _TRIM(0)


@contextlib.contextmanager
def spared_by_collector() -> Iterator[Callable[[], None]]:
    """Gives a call that puts every object alive then out of the cycle collector's way until the block ends.

    The scored results are millions of objects without cycles that the build keeps to the end. Each full run
    of the collector, set off by allocations while pages are made, would walk them all again; and in the forked
    render workers it would write to every page they share with this process. Frozen, they are skipped (and
    still freed by reference counting); at the end they are handed back to the collector.
    """
    frozen = False

    def spare() -> None:
        nonlocal frozen
        gc.freeze()
        frozen = True
        give_back()  # what reading and checking used

    try:
        yield spare
    finally:
        if frozen:
            gc.unfreeze()
