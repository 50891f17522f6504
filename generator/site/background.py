"""The downloads made beside the rest of the build, in a forked process of their own (see
:mod:`generator.site.workers`)."""

from __future__ import annotations

import contextlib
import gc
import queue
import threading
from collections.abc import Callable
from multiprocessing.connection import wait
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from generator.site.collector import give_back
from generator.site.workers import Child, WorkerLost


def _make_one(task: tuple[Path, Callable[..., bytes], tuple[Any, ...]] | tuple[()]) -> None:
    if not task:  # every file is made: the memory they took is handed back
        gc.collect()
        give_back()
        return
    target, make, args = task
    target.write_bytes(make(*args))


class Background:
    """Files made beside the rest of the build: in a forked process, or here and now when not worth one.

    The build forks the process before it reads the data (:func:`generator.site.build.build`), and sends it
    the tables to write through its pipe. Forked later, it would keep the memory pages of every object the
    build touched after the fork (a page written by one process is copied for it, and the old one stays
    with the other): hundreds of megabytes at 100,000 units."""

    def __init__(self, fork: bool) -> None:
        self.child: Child | None = None
        self.children: list[Child] = []
        if fork:
            # Without a process of its own (the system would not give one), the files are made here.
            with contextlib.suppress(WorkerLost):
                self.child = Child(_make_one, self.children)
        # The tables are sent by a thread of their own: the build goes on while the process is busy.
        self.outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.sender: threading.Thread | None = None
        #: What stopped the sender, when something did (the process is stopped with it).
        self.failed: BaseException | None = None

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def add(self, target: Path, make: Callable[..., bytes], args: tuple[Any, ...]) -> None:
        """``target`` made by ``make`` (a module's function) from ``args``."""
        if self.child is None:
            _make_one((target, make, args))
        else:
            self._send((target, make, args))

    def done_adding(self) -> None:
        """Every file is added: once they are made, the process hands back the memory they took (it lives on,
        idle, until :meth:`wait`, while the unit pages are made)."""
        if self.child is not None:
            self._send(())

    def _send(self, task: tuple[Any, ...]) -> None:
        child = self.child
        assert child is not None
        if not child.process.is_alive():
            self.wait()  # what it answered before it ended, then why it ended
            raise WorkerLost(child.lost_words())
        # Pickled here, where what cannot be raises; the thread only sends the bytes (not copied: the results
        # tables of 100,000 units are tens of megabytes).
        data = ForkingPickler.dumps(task)
        child.sent += 1
        if self.sender is None:
            self.sender = threading.Thread(target=self._sending, args=(child,), daemon=True)
            self.sender.start()
        self.outbox.put(data)

    def _sending(self, child: Child) -> None:
        while True:
            data = self.outbox.get()
            if data is None:  # nothing more is coming
                return
            try:
                child.pipe.send_bytes(data)
            except BaseException as exc:  # noqa: BLE001 - said by wait(), which would otherwise wait for ever
                self.failed = exc
                with contextlib.suppress(OSError):
                    child.process.kill()
                return

    def wait(self) -> None:
        """Until the files are written; raises what making them raised, or WorkerLost. Only here are the
        process's answers read: one that ended early is found out now."""
        if self.child is None:
            return
        try:
            child = self.child
            for _ in range(child.sent):
                wait([child.pipe, child.process.sentinel])
                try:
                    child.answer()
                except WorkerLost:
                    if self.failed is not None and not isinstance(self.failed, OSError):
                        raise self.failed from None
                    raise
        finally:
            self.stop()

    def stop(self) -> None:
        """The process ended, whatever it was doing (again and again: it may be interrupted)."""
        stopped: BaseException | None = None
        while self.children:
            try:
                child = self.children[0]
                if child.process.pid is not None and child.process.is_alive():
                    child.process.kill()  # the sender, were it still sending, finds nobody reading
                if child.process.pid is not None:
                    child.process.join()
                self.outbox.put(None)
                if self.sender is not None:
                    self.sender.join()
                child.close()
                self.children.clear()
            except KeyboardInterrupt as exc:
                stopped = exc
        self.child = self.sender = None
        if stopped is not None:
            raise stopped
