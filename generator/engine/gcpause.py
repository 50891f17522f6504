"""Python's cycle collector paused while a whole assessment is read, checked and scored.

Scoring makes millions of small objects that stay alive (every unit's result tree) and form no reference
cycles. The collector, triggered by allocations, would walk all of them again and again: at 10,000 units that
is more than half of the time spent scoring. Objects without cycles are freed by reference counting whether
the collector runs or not; the collector resumes, as it was, when the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the ``with`` block (nested blocks leave it to the outermost)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
