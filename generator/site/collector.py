"""The scored results kept out of Python's cycle collector's way while the site is made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


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

    try:
        yield spare
    finally:
        if frozen:
            gc.unfreeze()
