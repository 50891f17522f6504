"""A build or publish stopped by SIGTERM or Ctrl+C cleans up after itself: both become KeyboardInterrupt while
it runs, and a stop is remembered even where Python loses that KeyboardInterrupt."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from typing import Any


class Stop:
    """Whether the build was told to stop (SIGTERM, or Ctrl+C where Python turns it into KeyboardInterrupt).

    The KeyboardInterrupt raised for it is lost when it lands while Python runs a finalizer (``__del__``, a weak
    reference's callback): Python reports it as unraisable and the build goes on. So the build asks
    :meth:`check` before anything it makes is published."""

    def __init__(self) -> None:
        self.received = False

    def check(self) -> None:
        """Raises KeyboardInterrupt when a stop was received, also one whose KeyboardInterrupt was lost."""
        if self.received:
            raise KeyboardInterrupt


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[Stop]:
    """Turn SIGTERM (and Ctrl+C) into KeyboardInterrupt so that cleanup runs when a build is stopped; gives the
    :class:`Stop` that remembers it."""
    stop = Stop()

    def handler(signum: int, frame: object) -> None:
        stop.received = True
        raise KeyboardInterrupt

    def unraisable(info: Any) -> None:
        # The handler's KeyboardInterrupt lost in a finalizer: stop.received already says it (check() raises
        # it again), so Python's report of it, a traceback, is not printed.
        if not isinstance(info.exc_value, KeyboardInterrupt):
            hook(info)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield stop
        return
    # Ctrl+C only where Python would raise KeyboardInterrupt for it (not where it is ignored).
    interrupt = signal.getsignal(signal.SIGINT)
    if interrupt is signal.default_int_handler:
        signal.signal(signal.SIGINT, handler)
    hook, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        yield stop
    finally:
        sys.unraisablehook = hook
        signal.signal(signal.SIGTERM, previous)
        if interrupt is signal.default_int_handler:
            signal.signal(signal.SIGINT, interrupt)
