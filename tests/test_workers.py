"""The build's forked processes (generator/site/workers.py) when one of them dies: killed by the system when
memory runs out (SIGKILL), or by a SIGTERM sent to the whole process group (``timeout``, a CI job cancelled).

The build must neither wait for ever nor publish: it stops with one clear message and leaves no process, no
temporary file and no scratch folder behind.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import multiprocessing
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest_site import digests
from sandbox import leftovers

from generator.cli import main
from generator.site import workers
from generator.site.background import Background
from generator.site.stamp import BUILD_STAMP
from generator.site.workers import CHUNK, WorkerLost, in_parallel, quiet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402

#: Enough items for forked workers (more than 2 × CHUNK) and for each of them to be replaced once.
ITEMS = CHUNK * (2 * workers.WORKER_TASKS + 3)


def killed_at(victim: int, sig: int) -> object:
    def work(n: int) -> int:
        if n == victim:
            os.kill(os.getpid(), sig)
        return n * 2

    return work


def test_results_come_back_in_order_from_workers_that_are_replaced() -> None:
    assert in_parallel(lambda n: n * 2, list(range(ITEMS)), 2, "测试", quiet) == [n * 2 for n in range(ITEMS)]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("victim", [0, CHUNK * workers.WORKER_TASKS + 5, ITEMS - 1], ids=["first", "later", "last"])
def test_a_worker_killed_by_the_system_stops_the_work_with_words_that_say_so(victim: int) -> None:
    with pytest.raises(WorkerLost) as lost:
        in_parallel(killed_at(victim, signal.SIGKILL), list(range(ITEMS)), 2, "测试", quiet)  # type: ignore[arg-type]
    words = str(lost.value)
    assert "SIGKILL" in words and "内存不足" in words and "网站没有更新" in words, words
    assert multiprocessing.active_children() == []


def test_a_worker_ended_by_sigterm_is_named_as_such() -> None:
    with pytest.raises(WorkerLost, match="被信号 SIGTERM 终止"):
        in_parallel(killed_at(CHUNK * 3, signal.SIGTERM), list(range(ITEMS)), 2, "测试", quiet)  # type: ignore[arg-type]
    assert multiprocessing.active_children() == []


def test_what_a_worker_raises_is_raised_in_the_build_with_where_it_came_from() -> None:
    def work(n: int) -> int:
        if n == CHUNK * 4 + 1:
            raise ValueError(f"第 {n} 项不对")
        return n

    with pytest.raises(ValueError, match="第 401 项不对") as raised:
        in_parallel(work, list(range(ITEMS)), 2, "测试", quiet)
    assert isinstance(raised.value.__cause__, workers.RemoteTraceback)
    assert "in work" in str(raised.value.__cause__)  # the worker's own traceback
    assert multiprocessing.active_children() == []


# A whole process group stopped with SIGTERM: the build's process turns it into KeyboardInterrupt, each
# worker dies of it at once, wherever it is.
GROUP_STOPPED = """
import os, signal, sys, time
from generator.site.interrupt import terminate_as_interrupt
from generator.site.background import Background
from generator.site.workers import in_parallel, quiet

def work(n):
    if n == 450:
        os.killpg(0, signal.SIGTERM)
    time.sleep(0.001)
    return n

with terminate_as_interrupt():
    background = Background(fork=True)  # idle, waiting for its first file
    try:
        in_parallel(work, list(range(2000)), 2, "测试", quiet)
    except KeyboardInterrupt:
        background.stop()
        print("stopped", flush=True)
        sys.exit(3)
print("went on", flush=True)
"""


def test_a_sigterm_to_the_whole_process_group_ends_every_process() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", GROUP_STOPPED], cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, text=True
    )
    try:
        out, _ = process.communicate(timeout=120)  # a guard against waiting for ever, not a speed target
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert (process.returncode, out) == (3, "stopped\n")
    with pytest.raises(ProcessLookupError):  # nobody is left in the group
        os.killpg(process.pid, 0)


def test_the_downloads_process_told_to_stop_ends_also_when_it_is_dead_already() -> None:
    background = Background(fork=True)
    assert background.child is not None
    process = background.child.process
    os.kill(process.pid, signal.SIGTERM)
    process.join()
    background.stop()
    assert multiprocessing.active_children() == []


# The build's own process killed (the OOM killer may pick it: it is the biggest): its processes end by themselves
# (their pipes close), without a word.
MAIN_KILLED = """
import sys, time
from pathlib import Path
from generator.site.assemble import EntryMaker
from generator.site.background import Background
from generator.site.workers import in_parallel, quiet

maker = EntryMaker(Path(sys.argv[1]))  # loading its dictionaries
background = Background(fork=True)
for n in range(3):
    background.add(Path(sys.argv[1]) / f"{n}.txt", str.encode, ("x",))
background.done_adding()  # its answers stay unread until wait(), as in a build
print("started", flush=True)

def work(n):
    time.sleep(0.002)
    return n

in_parallel(work, list(range(100_000)), 2, "测试", quiet)
"""


def living_in_group(pgid: int) -> list[int]:
    """The processes of a process group that have not ended (a zombie has ended: whether anyone reaps it depends
    on the machine's init)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_when_the_builds_own_process_is_killed_its_processes_end_quietly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", MAIN_KILLED, str(tmp_path)],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "started\n"
        while len(living_in_group(process.pid)) < 4:  # the build, the entry maker, downloads, a render worker
            assert process.poll() is None
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # Every process of the group ends (a guard against waiting for ever, not a speed target).
        for _ in range(600):
            if not living_in_group(process.pid):
                break
            time.sleep(0.1)
        else:
            pytest.fail("生成进程被终止后，它的子进程没有结束")
        assert process.stderr is not None and process.stderr.read() == ""
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_replaced_workers_let_go_of_their_file_descriptors() -> None:
    def open_now() -> int:
        return len(os.listdir("/proc/self/fd"))

    gc.collect()  # files an earlier test left to the collector closed first
    before, most = open_now(), [0]

    def count(_label: str, _done: int, _total: int) -> None:
        most[0] = max(most[0], open_now())

    lifetimes = 30  # each worker's two pipes' ends, kept until the end, would be 60 more
    in_parallel(lambda n: n, list(range(CHUNK * workers.WORKER_TASKS * lifetimes)), 2, "测试", count)
    assert most[0] - before <= 20, (before, most)
    assert open_now() <= before


def test_every_worker_is_stopped_also_when_an_interrupt_lands_while_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    stop = workers.Child.stop
    interrupted: list[int] = []

    def interrupted_once(child: workers.Child) -> None:
        if not interrupted:
            interrupted.append(child.process.pid)
            raise KeyboardInterrupt  # a second Ctrl+C, while the first one's cleanup runs
        stop(child)

    monkeypatch.setattr(workers.Child, "stop", interrupted_once)
    children: list[workers.Child] = []
    for _ in range(3):
        workers.Child(lambda task: task, children)
    with pytest.raises(KeyboardInterrupt):
        workers.stop_all(children)
    assert interrupted and multiprocessing.active_children() == []
    assert not workers._ENDS


def test_a_download_that_cannot_be_sent_is_refused_where_it_is_added(tmp_path: Path) -> None:
    with Background(fork=True) as background:
        with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
            background.add(tmp_path / "a.txt", str.encode, (lambda: "x",))  # type: ignore[arg-type]
        background.add(tmp_path / "b.txt", str.encode, ("能送出的照样做",))
        background.wait()
    assert not (tmp_path / "a.txt").exists()
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "能送出的照样做"
    assert multiprocessing.active_children() == []


def test_a_download_added_after_its_process_died_stops_the_build_at_once(tmp_path: Path) -> None:
    with Background(fork=True) as background:
        assert background.child is not None
        process = background.child.process
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        with pytest.raises(WorkerLost, match="SIGKILL"):
            background.add(tmp_path / "a.txt", str.encode, ("x",))
    assert multiprocessing.active_children() == []


# --------------------------------------------------------------------------------------------------------------
# A whole build whose downloads' process is killed while it writes the results workbook
# --------------------------------------------------------------------------------------------------------------


def dies_half_way(_sheets: object, _sample: bool, spill: Path) -> bytes:
    """The results workbook's process killed once its first sheet has rows in a temporary file (module-level:
    the downloads' process receives it by name)."""
    from generator.site.workbooks import sheets_bytes

    def sheets() -> object:
        yield ("一", ["单位", "得分"], [["甲", 1]] * 50)
        os.kill(os.getpid(), signal.SIGKILL)
        yield ("二", ["单位"], [])

    return sheets_bytes(sheets(), spill=spill)  # type: ignore[arg-type]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    synth.make_project(root, 30)
    assert main(["--root", str(root), "build", "-q"]) == 0
    return root


def test_a_killed_downloads_process_stops_the_build_and_leaves_nothing_behind(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.site import build as build_module
    from generator.site import units

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr(build_module, "default_workers", lambda: 2)  # the downloads in a process of their own
    monkeypatch.setattr(units, "BACKGROUND_UNITS", 1)
    monkeypatch.setattr(units, "results_book", dies_half_way)
    before = digests(project / "site")
    entries = project / "results" / synth.AID / "entries.csv"
    lines = entries.read_text(encoding="utf-8").splitlines(keepends=True)
    entries.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")  # a unit's total changes
    capsys.readouterr()
    code = main(["--root", str(project), "build", "-q"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "SIGKILL" in err and "内存不足" in err and "Traceback" not in err and "内部错误" not in err, err
    assert digests(project / "site") == before
    assert leftovers(project) == []
    assert list(temporary.iterdir()) == []  # the workbook's rows were spilled into the build's own folder
    assert multiprocessing.active_children() == []


def test_when_the_system_gives_no_process_the_work_stops_with_words_or_is_done_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from multiprocessing.context import ForkProcess

    def no_process(_process: object) -> object:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(ForkProcess, "_Popen", staticmethod(no_process))
    with pytest.raises(WorkerLost, match="无法为生成网站分出子进程（Resource temporarily unavailable）"):
        in_parallel(lambda n: n, list(range(ITEMS)), 2, "测试", quiet)
    with Background(fork=True) as background:
        assert background.child is None
        background.add(tmp_path / "made.txt", str.encode, ("就在这里做",))
        background.wait()
    assert (tmp_path / "made.txt").read_text(encoding="utf-8") == "就在这里做"
    assert not workers._ENDS
    from generator.site.assemble import EntryMaker, entry_maker

    with pytest.raises(WorkerLost):
        EntryMaker(tmp_path)
    with entry_maker(tmp_path, True) as maker:
        assert maker is None  # the build makes the search entries itself
    assert not workers._ENDS  # no pipe left open


def test_the_entry_maker_that_fails_or_dies_leaves_the_entries_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search entries' process (started with the build, see assemble.EntryMaker): whether its dictionaries
    do not load or it is killed, the build is told to make the entries itself, and the process is gone."""
    from generator.site import assemble
    from generator.site.assemble import EntryMaker, SearchPage

    pages = [SearchPage("<h1>第一党支部</h1><p>记录不全</p>", "u1.html", "第一党支部", {})]
    killed = EntryMaker(tmp_path)
    assert killed.child is not None
    os.kill(killed.child.process.pid, signal.SIGKILL)
    assert killed.entries(pages) is None
    assert killed.child is None and multiprocessing.active_children() == []

    def broken(_root: Path) -> None:
        raise OSError(errno.EIO, "词典读不出")

    monkeypatch.setattr(assemble, "load_search_dictionaries", broken)  # in the forked process too
    failed = EntryMaker(tmp_path)
    assert failed.entries(pages) is None
    assert failed.child is None and multiprocessing.active_children() == []
    failed.stop()  # again: nothing left to stop


def test_the_entry_makers_pipe_is_closed_in_the_processes_forked_after_it(tmp_path: Path) -> None:
    """Its pipe is one of the build's ends, which a later fork closes at once: a render worker forked after it
    does not keep it open (the entry maker would otherwise outlive a killed build until that worker ends)."""
    from generator.site.assemble import EntryMaker

    maker = EntryMaker(tmp_path)
    try:
        assert maker.child is not None and maker.child.pipe in workers._ENDS
        seen = in_parallel(lambda _n: maker.child is not None and not maker.child.pipe.closed, list(range(ITEMS)),
                           2, "测试", quiet)
        assert seen == [False] * ITEMS  # closed in each worker
    finally:
        maker.stop()
    assert multiprocessing.active_children() == []


# --------------------------------------------------------------------------------------------
# The shared pages beside a rebuild (generator/site/render.py: pages_beside)
# --------------------------------------------------------------------------------------------


def pid_writer(folder: Path, then: object = None) -> object:
    """A stand-in for render_pages: writes the pid of the process it runs in, then does ``then``."""

    def fake(*_args: object) -> int:
        (folder / "pid").write_text(str(os.getpid()))
        if callable(then):
            then()
        return 7

    return fake


def test_the_shared_pages_are_made_in_a_process_of_their_own_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import render

    monkeypatch.setattr(render, "render_pages", pid_writer(tmp_path))  # forked: the child has it too
    for beside in (True, False):
        with render.pages_beside(beside, "args") as made:
            assert made == ([] if beside else [7])  # beside: made while the block runs
        assert made == [7]
        ran_in = int((tmp_path / "pid").read_text())
        assert (ran_in != os.getpid()) is beside
    assert multiprocessing.active_children() == []


def test_a_template_error_in_the_shared_pages_process_comes_back_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from generator.site import render

    def broken() -> None:
        raise jinja2.TemplateSyntaxError("unexpected '}'", 12, "results.md.j2", "site_templates/results.md.j2")

    monkeypatch.setattr(render, "render_pages", pid_writer(tmp_path, broken))
    with pytest.raises(render.TemplateFailure) as failed, render.pages_beside(True, "args"):
        pass
    words = str(failed.value)
    assert "results.md.j2" in words and "12" in words, words
    assert int((tmp_path / "pid").read_text()) != os.getpid()
    assert multiprocessing.active_children() == []


def test_the_shared_pages_process_killed_stops_the_build_with_words_that_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import render

    monkeypatch.setattr(render, "render_pages", pid_writer(tmp_path, lambda: os.kill(os.getpid(), signal.SIGKILL)))
    with pytest.raises(WorkerLost) as lost, render.pages_beside(True, "args"):
        pass
    assert "SIGKILL" in str(lost.value) and "网站没有更新" in str(lost.value)
    assert multiprocessing.active_children() == []


def test_when_the_build_fails_meanwhile_the_shared_pages_process_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import render

    monkeypatch.setattr(render, "render_pages", pid_writer(tmp_path, lambda: time.sleep(3600)))
    with pytest.raises(RuntimeError, match="链接失败"), render.pages_beside(True, "args"):
        for _ in range(600):  # until the process has started its pages (a guard, not a speed target)
            if (tmp_path / "pid").exists() and (tmp_path / "pid").read_text():
                break
            time.sleep(0.1)
        raise RuntimeError("链接失败")
    child = int((tmp_path / "pid").read_text())
    assert multiprocessing.active_children() == []
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # ended and reaped, not left sleeping


@pytest.mark.parametrize("most", [None, CHUNK], ids=["beside", "too-many-units"])
def test_a_rebuild_of_a_few_units_makes_the_shared_pages_beside_and_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, most: int | None
) -> None:
    """More units than one process renders (so the first build forks render workers and makes the shared pages
    itself); after one changed row the rebuild makes them in a process of their own, byte-identical to a
    build from nothing. Not for more units than BESIDE_UNITS (that process would copy their memory)."""
    from generator.site import build as build_module
    from generator.site import render

    if most is not None:
        monkeypatch.setattr(build_module, "BESIDE_UNITS", most)

    project = tmp_path / "p"
    synth.make_project(project, 2 * CHUNK + 20, items=12)
    ran_in: list[bool] = []
    real = render.render_pages

    def watched(*args: object) -> int:
        # In the forked process the list is its own copy: the pid, written to a file, says where it ran.
        (tmp_path / "pid").write_text(str(os.getpid()))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_pages", watched)
    monkeypatch.setattr("generator.site.build.default_workers", lambda: 2)

    def build() -> None:
        assert main(["--root", str(project), "build", "-q"]) == 0
        ran_in.append(int((tmp_path / "pid").read_text()) != os.getpid())

    build()
    synth.edit_first_reason(project, "（复核后改正）")
    build()
    assert ran_in == [False, most is None]
    fresh = tmp_path / "fresh"
    made_here = {project / "site", project / "docs" / "assessments"}
    shutil.copytree(
        project, fresh, ignore=lambda at, names: [n for n in names if Path(at) / n in made_here or n[0] == "."]
    )
    assert main(["--root", str(fresh), "build", "-q"]) == 0
    for folder in ("site", "docs"):
        made, again = digests(fresh / folder), digests(project / folder)
        made.pop(BUILD_STAMP, None), again.pop(BUILD_STAMP, None)  # when each build ran
        assert made == again, folder
    assert multiprocessing.active_children() == []


def test_when_the_system_gives_no_process_the_shared_pages_are_made_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import render

    def no_process(*_args: object) -> None:
        raise WorkerLost("无法为生成网站分出子进程")

    monkeypatch.setattr(render, "render_pages", pid_writer(tmp_path))
    monkeypatch.setattr(render, "Child", no_process)
    with render.pages_beside(True, "args") as made:
        assert made == [7]  # made before the block, in this process
    assert int((tmp_path / "pid").read_text()) == os.getpid()
