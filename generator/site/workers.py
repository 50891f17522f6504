"""The build's forked processes: unit pages rendered and assembled on several (:func:`in_parallel`), and the
downloads made beside the rest of the build (:class:`Background`).

Forked, they share the build's memory copy-on-write, but a memory page is copied for a process as soon as it
or the build writes to it, and Python writes to an object's page whenever it reads the object (its reference
count). Hence render workers that are replaced as they go, and a downloads' process forked before the data is
read, which receives what it writes through its pipe.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from generator.site.collector import give_back
from generator.site.render import TemplateFailure, template_error_words

#: Units per task handed to a worker.
CHUNK = 100
#: Tasks a worker does before a fresh fork of the build takes its place. A forked worker that reads the
#: outcomes copies the memory pages they are on: one that lived through the whole build would hold a copy of
#: every outcome it rendered (gigabytes at 100,000 units).
WORKER_TASKS = 10
Count = Callable[[str, int, int], None]


def quiet(step: str, done: int, total: int) -> None:
    """Progress that says nothing."""
    return None


_JOB: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def _run_chunk(chunk: tuple[int, int]) -> list[Any]:
    assert _JOB is not None
    work, items = _JOB
    try:
        return [work(item) for item in items[chunk[0] : chunk[1]]]
    except jinja2.TemplateError as exc:
        # Put into words here: a worker's traceback, with the template's line, does not reach the parent.
        raise TemplateFailure(template_error_words(exc)) from None


def _worker_start() -> None:
    # The build turns SIGTERM into KeyboardInterrupt for its own cleanup; a pool worker dies plainly on the
    # SIGTERM the pool sends at shutdown. (A SIGTERM sent from outside to the whole process group can kill an
    # idle worker while it holds the pool's queue lock, and the pool's shutdown then waits for that lock.)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def in_parallel(
    work: Callable[[Any], Any],
    items: Sequence[Any],
    workers: int,
    label: str,
    count: Count,
) -> list[Any]:
    """``work`` on every item, on ``workers`` forked processes when there are enough items to pay; results in
    order."""
    global _JOB
    chunks = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    results: dict[int, list[Any]] = {}
    _JOB = (work, items)
    try:
        if workers > 1 and len(items) > 2 * CHUNK:
            # Fork: the workers share the scored outcomes copy-on-write instead of receiving them pickled.
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=_worker_start, maxtasksperchild=WORKER_TASKS) as pool:
                pending = pool.map_async(_run_chunk, chunks, chunksize=1)
                for n, part in enumerate(pending.get()):
                    results[n] = part
                    count(label, min(len(items), (n + 1) * CHUNK), len(items))
        else:
            for n, chunk in enumerate(chunks):
                results[n] = _run_chunk(chunk)
                count(label, chunk[1], len(items))
    finally:
        _JOB = None
    return [r for n in range(len(chunks)) for r in results[n]]


def _make_one(target: Path, make: Callable[..., bytes], args: tuple[Any, ...]) -> None:
    target.write_bytes(make(*args))


def _hand_back() -> None:
    gc.collect()
    give_back()


class Background:
    """Files made beside the rest of the build: in a forked process, or here and now when not worth one.

    The build forks the process before it reads the data (:func:`generator.site.build.build`), and sends it
    the tables to write through its pipe. Forked later, it would keep the memory pages of every object the
    build touched after the fork (a page written by one process is copied for it, and the old one stays
    with the other): hundreds of megabytes at 100,000 units."""

    def __init__(self, fork: bool) -> None:
        self.pool: Any = None
        self.pending: list[Any] = []
        if fork:
            self.pool = multiprocessing.get_context("fork").Pool(1, initializer=_worker_start)

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def add(self, target: Path, make: Callable[..., bytes], args: tuple[Any, ...]) -> None:
        """``target`` made by ``make`` (a module's function: it is sent by name) from ``args``."""
        if self.pool is None:
            _make_one(target, make, args)
        else:
            self.pending.append(self.pool.apply_async(_make_one, (target, make, args)))

    def done_adding(self) -> None:
        """Every file is added: once they are made, the process hands back the memory they took (it lives on,
        idle, until :meth:`wait`, while the unit pages are made)."""
        if self.pool is not None:
            self.pending.append(self.pool.apply_async(_hand_back))

    def wait(self) -> None:
        """Until the files are written; raises what making them raised."""
        if self.pool is None:
            return
        try:
            for pending in self.pending:
                pending.get()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
