"""The build's forked processes: unit pages rendered and assembled on several (:func:`in_parallel`), and the
downloads made beside the rest of the build (:class:`generator.site.background.Background`).

Forked, they share the build's memory copy-on-write, but a memory page is copied for a process as soon as it
or the build writes to it, and Python writes to an object's page whenever it reads the object (its reference
count). Hence render workers that are replaced as they go, and a downloads' process forked before the data is
read, which receives what it writes through its pipe.

Each process has a pipe of its own to the build (no queue shared by several, whose lock a killed process
would take with it). A process that ends without answering, killed by the system when memory runs out for
instance, stops the build with :class:`WorkerLost` instead of leaving it waiting for ever: a render worker at
once, the downloads' process when the build waits for its files (before anything is published).
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

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


class WorkerLost(Exception):
    """One of the build's processes ended without finishing its work; the message says how, in Chinese."""


class RemoteTraceback(Exception):
    """Where an exception raised in a worker came from: its traceback there, as text."""


#: This process's ends of the pipes to its children. A child forked later closes its copies at once: a pipe
#: whose ends are all closed tells the process at the other end that nobody will write to it any more.
_ENDS: set[Connection] = set()


#: The signals that stop a build.
_STOPS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _held() -> Iterator[None]:
    """SIGINT and SIGTERM held back from this thread while the block runs (delivered after it)."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def stop_all(children: list[Child]) -> None:
    """Every child ended, also when an interrupt (a second Ctrl+C, a SIGTERM) lands meanwhile: it is raised
    once they are."""
    stopped: BaseException | None = None
    for child in children:
        while True:
            try:
                if child.retired:  # it ends by itself
                    child.process.join(10)
                child.stop()
                break
            except KeyboardInterrupt as exc:
                stopped = exc
    if stopped is not None:
        raise stopped


def _no_process(exc: OSError) -> str:
    return (
        f"无法为生成网站分出子进程（{exc.strerror or exc}），网站没有更新。"
        "请确认这台机器的可用内存、进程数和可打开的文件数没有用尽，然后重新生成。"
    )


class Child:
    """A forked process that answers each task sent through its pipe with ``serve(task)``, until told to stop.

    It is put in ``children`` before it starts, so that whoever stops them all stops it too, whenever an
    interrupt lands."""

    def __init__(self, serve: Callable[[Any], Any], children: list[Child]) -> None:
        context = multiprocessing.get_context("fork")
        try:
            mine, theirs = context.Pipe()
        except OSError as exc:
            raise WorkerLost(_no_process(exc)) from exc
        self.process: Any = context.Process(target=_serve, args=(theirs, serve), daemon=True)
        self.pipe = mine
        self.sent = 0
        self.retired = False
        _ENDS.add(mine)
        children.append(self)
        try:
            # Forked with SIGINT and SIGTERM held: the child takes its own handlers before it lets them in.
            with _held():
                self.process.start()
        except OSError as exc:  # no process to be had: too many, or no memory for one
            raise WorkerLost(_no_process(exc)) from exc
        finally:
            theirs.close()

    def answer(self) -> Any:
        """The answer to the oldest task not yet answered: what ``serve`` returned, or the exception it raised
        raised here. WorkerLost when the process ended without answering."""
        try:
            ok, value = self.pipe.recv()
        except (EOFError, OSError):
            raise WorkerLost(self.lost_words()) from None
        except Exception as unreadable:  # noqa: BLE001 - an answer that does not unpickle here
            raise RuntimeError(f"a worker's answer could not be read back: {unreadable!r}") from unreadable
        if not ok:
            raised, where = value
            raise raised from RemoteTraceback(where)
        return value

    def lost_words(self) -> str:
        self.process.join(5)
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                how = f"被信号 {signal.Signals(-code).name} 终止"
            except ValueError:
                how = f"被信号 {-code} 终止"
            if code == -signal.SIGKILL:
                how += "（常见原因是内存不足，被系统终止）"
        else:
            how = f"意外退出（退出码 {code}）"
        return (
            f"生成网站的一个子进程{how}，网站没有更新。"
            "请确认这台机器的可用内存足够（关闭占用内存的其他程序，或换用内存更大的机器），然后重新生成。"
        )

    def retire(self) -> None:
        """Told to stop once its tasks are done (it ends by itself)."""
        self.retired = True
        with contextlib.suppress(OSError):
            self.pipe.send(None)
        self.close()

    def stop(self) -> None:
        """Ended now, whatever it was doing (again and again: it may be interrupted)."""
        if self.process.pid is not None:  # started
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        self.close()

    def close(self) -> None:
        _ENDS.discard(self.pipe)
        self.pipe.close()


def _serve(pipe: Connection, serve: Callable[[Any], Any]) -> None:
    # Ctrl+C reaches the whole process group: the build stops its processes itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The build turns SIGTERM into KeyboardInterrupt for its own cleanup; here it ends the process.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # held since the fork (see Child)
    for end in _ENDS:
        end.close()
    _ENDS.clear()
    while True:
        try:
            task = pipe.recv()
        except (EOFError, OSError):  # the build has ended
            return
        if task is None:
            return
        try:
            answer: tuple[bool, Any] = (True, serve(task))
        except Exception as exc:  # noqa: BLE001 - raised again in the build's process (Child.answer)
            answer = (False, _portable(exc))
        try:
            pipe.send(answer)
        except OSError:  # nobody is listening: the build has ended
            return
        except Exception as exc:  # noqa: BLE001 - an answer that cannot cross the pipe
            pipe.send((False, _portable(exc)))


def _portable(exc: Exception) -> tuple[Exception, str]:
    """The exception, as it can cross the pipe, and its traceback in words."""
    where = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - an exception that does not survive the pipe is sent as its words
        return RuntimeError(f"{type(exc).__name__}: {exc}"), where
    return exc, where


def in_parallel(
    work: Callable[[Any], Any],
    items: Sequence[Any],
    workers: int,
    label: str,
    count: Count,
) -> list[Any]:
    """``work`` on every item, on ``workers`` forked processes when there are enough items to pay; results in
    order."""
    chunks = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]

    def run(chunk: tuple[int, int]) -> list[Any]:
        return [work(item) for item in items[chunk[0] : chunk[1]]]

    results: dict[int, list[Any]] = {}
    if workers > 1 and len(items) > 2 * CHUNK:
        # Fork: the workers share the scored outcomes copy-on-write instead of receiving them pickled.
        _on_children(run, chunks, workers, results, lambda done: count(label, done, len(items)))
    else:
        for n, chunk in enumerate(chunks):
            results[n] = run(chunk)
            count(label, chunk[1], len(items))
    return [r for n in range(len(chunks)) for r in results[n]]


def _on_children(
    run: Callable[[tuple[int, int]], list[Any]],
    chunks: list[tuple[int, int]],
    workers: int,
    results: dict[int, list[Any]],
    done: Callable[[int], None],
) -> None:
    todo = list(enumerate(chunks))
    todo.reverse()
    # Each worker has two tasks at a time: it starts the next one while its last answer is being read here.
    busy: dict[Connection, tuple[Child, collections.deque[int]]] = {}
    started: list[Child] = []
    made = 0

    def give(child: Child) -> None:
        n, chunk = todo.pop()
        try:
            child.pipe.send(chunk)
        except OSError:  # it has ended already
            raise WorkerLost(child.lost_words()) from None
        child.sent += 1
        busy.setdefault(child.pipe, (child, collections.deque()))[1].append(n)

    def fresh() -> None:
        Child(run, started)
        for _ in range(2):
            if todo:
                give(started[-1])

    try:
        for _ in range(min(workers, len(chunks))):
            fresh()
        while busy:
            ready = wait(list(busy) + [child.process.sentinel for child, _ in busy.values()])
            for pipe in [p for p in busy if p in ready or busy[p][0].process.sentinel in ready]:
                child, waiting = busy[pipe]
                n = waiting.popleft()
                results[n] = child.answer()
                made += chunks[n][1] - chunks[n][0]
                done(made)
                if todo and child.sent < WORKER_TASKS:
                    give(child)
                elif not waiting:
                    del busy[pipe]
                    child.retire()
                    _reap(started)
                    if todo:
                        fresh()  # a fresh fork, without the pages the last one copied
    finally:
        stop_all(started)


def _reap(children: list[Child]) -> None:
    """The retired children that have ended let go of (each holds file descriptors until then)."""
    for child in [c for c in children if c.retired and c.process.exitcode is not None]:
        child.process.close()
        children.remove(child)
