"""Build: load → check → score → render → mkdocs, with nothing half-written on failure.

1. Take the repository's build lock (a second build waits for the first).
2. Load, check and score. Any data error stops here: nothing has been written.
3. Render every generated page into a temporary folder, then swap it in as ``docs/assessments``.
4. Build the site with MkDocs into a temporary folder, with a stamp of the commit it was built from and
   when (:mod:`generator.site.stamp`); only when that succeeds is it swapped in as ``site/``. A failed build
   leaves the previous ``site/`` exactly as it was.
5. Temporary folders are removed whatever happens (and leftovers of a killed build on the next run).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Loc, Problems, os_error_words
from generator.site import paths, views
from generator.site.adopted import Adopted
from generator.site.assemble import AssembleError, EntryMaker, entry_maker, shell_units
from generator.site.background import Background
from generator.site.cache import (
    CACHE_DIR,
    SCRATCH_PREFIX,
    Record,
    UnitKeys,
    cache_refusal,
    digest,
    discard,
    empty_trash,
    output_refusal,
    program_key,
)
from generator.site.chrome import (
    CONFIG_FILE,
    MkDocsFailed,
    base_config,
    build_date,
    copy_output,
    keep_output,
    kept_output,
    layout_key,
    mkdocs_inputs,
    navigation,
    run_mkdocs,
    sources_key,
    working_directory,
)
from generator.site.collector import give_back, spared_by_collector
from generator.site.compress import compress_site, compressing, downloads_of
from generator.site.folders import (
    SITE_FILES,
    ForeignFiles,
    in_project_words,
    put_back,
    refuse_foreign_outputs,
    swap_in,
    swap_site,
)
from generator.site.interrupt import terminate_as_interrupt
from generator.site.progress import Progress
from generator.site.render import UnitPages, pages_beside
from generator.site.restricted import Restriction
from generator.site.shards import ShardError, chooser, export, merged_record
from generator.site.sources import TEMPLATES_DIR, check_sources
from generator.site.stamp import BUILD_STAMP, build_stamp, write_json
from generator.site.template_errors import TemplateFailure, from_template, template_error_words
from generator.site.units import ENTRIES, UnitFiles
from generator.site.workers import CHUNK, WorkerLost

LOCK_FILE = ".kaoping.lock"
TEMP_PREFIX = SCRATCH_PREFIX
#: Names other modules import from here.
__all__ = ["CONFIG_FILE", "base_config", "build_date", "navigation", "run_mkdocs", "working_directory"]


class BuildError(Exception):
    """A step after checking failed (a template, MkDocs, the disk); the message says which."""


def not_writable_words(exc: OSError, root: Path) -> str:
    """What a write refused by the system (no permission, a read-only disk) means, and what to do; any
    other failed write in the words of :func:`os_error_words`."""
    if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
        return os_error_words(in_project_words(exc, root))
    where = Path(str(exc.filename)) if exc.filename else root
    try:
        shown = where.relative_to(root).as_posix() or "."
    except ValueError:
        shown = str(where)
    why = "磁盘是只读的" if exc.errno == errno.EROFS else "没有写入权限"
    return (
        f"不能写入 {shown}（{why}）。生成网站要在项目目录 {root} 中写入 {LOCK_FILE}、docs/{paths.GENERATED}/ 和 site/；"
        "把项目复制（或 git clone）到自己可以写入的目录后在那里生成，或请管理员给这个目录写权限"
    )


@contextlib.contextmanager
def build_lock(root: Path, progress: Progress) -> Iterator[None]:
    path = root / LOCK_FILE
    try:
        handle = open(path, "a+")  # noqa: SIM115 - closed below, after the lock is released
    except OSError as exc:
        raise BuildError(not_writable_words(exc, root)) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.step("另一个 kaoping 命令（生成、导入、新年度、发布）正在使用这个项目，等待它完成……")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(root: Path) -> None:
    """Remove temporary folders a killed build left behind (called under the lock).

    A build killed between the two renames of :func:`swap_in` left the previous ``site/`` (or
    ``docs/assessments``) in its scratch folder as ``old-…``: it is put back first.
    """
    empty_trash(root)
    for parent in (root, root / "docs"):
        if parent.is_dir():
            for path in parent.glob(TEMP_PREFIX + "*"):
                for target in (root / "site", root / "docs" / paths.GENERATED):
                    old = path / ("old-" + target.name)
                    if old.is_dir() and not target.exists():
                        try:
                            os.replace(old, target)
                        except OSError as exc:
                            raise BuildError(not_writable_words(exc, root)) from exc
                shutil.rmtree(path, ignore_errors=True)


#: The most units for which a rebuild makes the shared pages in a process of its own (:func:`pages_beside`).
#: That process reads every unit, so it copies the memory they are in: at 10,000 synthetic units a one-row
#: rebuild so made peaked below the full build and took a second less; at 30,000 it peaked 190 MB higher
#: (1,041 MB against 849 MB, and 796 MB for the full build) to save half a second.
BESIDE_UNITS = 20_000


def default_workers() -> int:
    """Processes for rendering unit pages: the machine's cores, at most 4 (the gain flattens beyond)."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass
class BuildResult:
    problems: Problems
    pages: int = 0
    ok: bool = False
    #: The build's data, for a caller that ends the process without freeing it (``kaoping build``).
    data: list[Any] = field(default_factory=list)


@dataclass
class Plan:
    """What a build makes: the whole site; one shard's unit pages (``--shard K/N``); or the whole site from
    the shards' unit pages (``kaoping merge``). See :mod:`generator.site.shards`."""

    shard: tuple[int, int] | None = None
    merge: bool = False
    #: A shard's build put its part of the generated folder into docs/ (MkDocs reads it there): the folder it
    #: replaced is put back afterwards (:func:`put_back`), so the next full build still finds every unit.
    swapped: bool = False

    def files(self, root: Path, prepared: Prepared, keys: UnitKeys, pages: UnitPages, workers: int,
              progress: Progress, staged: Path) -> UnitFiles:
        if self.merge:
            record, entries, notes = merged_record(root)
            for note in notes:
                progress.step(note)
            since = Record.load(root)
            Record.forget(root)  # saved again only by a merge without access rules, as for a full build
            return UnitFiles(root, prepared, keys, record, pages, workers, progress.count, known=entries, since=since)
        record = Record.load(root)
        if self.shard is None:
            Record.forget(root)
            files = UnitFiles(root, prepared, keys, record, pages, workers, progress.count)
            files.adopted = Adopted(root, record, staged)
            return files
        chosen = chooser(prepared.outcomes.values(), *self.shard)
        return UnitFiles(root, prepared, keys, record, pages, workers, progress.count, chosen)


def generate(
    root: Path, prepared: Prepared, site_dir: Path, scratch: Path, progress: Progress, strict: bool, workers: int = 1,
    plan: Plan | None = None, maker: EntryMaker | None = None, background: Background | None = None,
    final: bool = False,
) -> tuple[int, UnitFiles]:
    """Render the pages into ``docs/assessments`` (swapped in whole) and build the site into ``site_dir``,
    reusing what the last build made from the same inputs (:mod:`generator.site.cache`). ``final``: nothing
    changes the site afterwards (no access rules), so the downloads are compressed meanwhile and the scored
    results let go of once the search index has its documents (:meth:`UnitFiles.release`)."""
    plan = plan or Plan()
    base = digest(program_key(), sources_key(root))
    keys = UnitKeys(base, prepared.outcomes, prepared.assessments, prepared.project.notices)
    templates = root / TEMPLATES_DIR
    ordered = views.ordered(prepared.outcomes)
    staged_docs = scratch / "docs"
    pages = UnitPages(ordered, prepared.project.notices, templates)
    files = plan.files(root, prepared, keys, pages, workers, progress, staged_docs)
    files.maker = maker
    units = len(files.units())
    progress.step(f"生成页面：{len(prepared.outcomes)} 项考核，{units} 个单位")
    rubrics = [r for r, _ in prepared.project.rubrics.values()]
    # The results downloads are made beside the pages (in a process of their own for big assessments).
    background = background or Background(fork=False)
    if plan.shard is None:
        files.downloads(staged_docs, background)
    # The shared pages beside the units' files when no render workers are forked for those (a few remade).
    total = sum(len(o.units) for o in prepared.outcomes.values())
    beside = workers > 1 and total <= BESIDE_UNITS and files.to_remake() <= 2 * CHUNK
    docs_dir = root / "docs"
    try:
        try:
            with pages_beside(beside, rubrics, prepared.outcomes, prepared.project.notices, templates,
                              staged_docs) as made:
                files.sources(staged_docs, with_downloads=plan.shard is None)
            shared = made[0]
            background.wait()
        finally:
            background.stop()
        progress.step(files.changes_words())
        docs_dir.mkdir(exist_ok=True)
        swap_in(staged_docs / paths.GENERATED, docs_dir / paths.GENERATED, scratch)
    except BaseException:
        if files.adopted is not None:
            files.adopted.give_back()
        raise
    plan.swapped = plan.shard is not None
    shells = shell_units(ordered)
    try:
        nav, exclude = mkdocs_inputs(root, prepared, shells)
        epoch = build_date(prepared)
        key = layout_key(root, docs_dir, shells, [nav, exclude, epoch, strict], base)
        kept = kept_output(root, key)
        if kept is None:
            progress.step("用 MkDocs 生成网站（含中文搜索索引）")
            warned = run_mkdocs(root, scratch / "mkdocs", nav, epoch, strict, exclude, defer=True)
            kept = keep_output(root, scratch / "mkdocs", None if warned else key)
        else:
            progress.step("网站的布局和页头没有变化：沿用上次 MkDocs 的输出")
        copy_output(kept, site_dir, docs_dir)
    except MkDocsFailed as exc:
        raise BuildError(str(exc)) from exc
    # The downloads are final once copied (only access rules would change them): compressed meanwhile.
    finished = downloads_of(site_dir, prepared.outcomes) if final and plan.shard is None else []
    with compressing(finished, site_dir, root / "site"):
        progress.step("组装单位页面")
        try:
            files.html(site_dir, docs_dir, files.shells(site_dir, docs_dir, shells), shells)
        except AssembleError as exc:
            raise BuildError(str(exc)) from exc
        if plan.shard is None:
            from generator.site.searchcache import Index, assessment_labels

            progress.step("生成搜索索引")
            files.search = Index(root, base, root / "site")
            labels = assessment_labels((r.id, r.title, r.year) for r in rubrics)
            docs = files.search.documents(site_dir, ordered, labels, keys.of)
            if final:
                ordered.clear()
                files.release()
                give_back()
            figures = files.search.write(site_dir, docs)
            progress.step(f"搜索索引：{figures['docs']} 篇，写出 {figures['written']} 个文件")
    return shared + units, files


def _os_error_words(exc: OSError, root: Path) -> str:
    """Jinja's TemplateNotFound is an OSError too: a template gone, not the disk."""
    return template_error_words(exc) if from_template(exc) else not_writable_words(exc, root)


def build_search_index(site_dir: Path, prepared: Prepared, keep: Callable[[str], bool] | None = None) -> None:
    """The search box's whole index of the built site (``generator/site/searchindex.py``), nothing kept;
    ``keep`` filters pages by path."""
    from generator.site.searchcache import assessment_labels, unit_doc
    from generator.site.searchindex import page_docs, write_index

    labels = assessment_labels((r.id, r.title, r.year) for r, _ in prepared.project.rubrics.values())
    docs = list(page_docs(site_dir, labels))
    for outcome in prepared.outcomes.values():
        docs += [unit_doc(outcome, u, labels.get(outcome.rubric.id, ("", 0))[0]) for u in outcome.units]
    write_index(site_dir, docs, keep)


def build(root: Path, *, progress: Progress | None = None, strict: bool = True,
          report: Callable[[Problems], None] | None = None, access: Restriction | None = None,
          plan: Plan | None = None) -> BuildResult:
    """Build ``site/`` under ``root``. Returns the problems; ``ok`` only when the site was replaced.

    With ``access`` (:class:`generator.access.mode.AccessMode` over a units' accounts file, never published) the
    site is built for an intranet where each unit may read only its own pages: see :mod:`generator.access.policy`.
    With a ``plan`` for a shard, the shard's unit pages go to ``shards/K/`` and ``site/`` is not touched; for a
    merge, the shards' pages are taken into the site.
    """
    plan = plan or Plan()
    progress = progress or Progress()
    root = root.resolve()
    # Started before the lock is taken, so that their processes never hold the lock's file open; the
    # downloads' process also while the build is small (see Background).
    incremental = (root / CACHE_DIR / ENTRIES).is_file()
    with (
        entry_maker(root, incremental) as maker,
        Background(fork=plan.shard is None and default_workers() > 1) as background,
        build_lock(root, progress),
        terminate_as_interrupt() as stop,
        spared_by_collector() as spare,
    ):
        refused = cache_refusal(root) or output_refusal(root, site=plan.shard is None)
        if refused is not None:
            raise BuildError(refused)
        remove_leftovers(root)
        progress.step("读取并检查细则和考核结果")
        prepared = prepare(root, spare=spare)
        check_sources(root, prepared.problems)
        refuse_foreign_outputs(root, prepared.problems, plan.shard is None, root / CACHE_DIR / SITE_FILES)
        restricted = False
        default_accounts = root / "access" / "accounts.csv"
        if access is None and default_accounts.is_file():
            prepared.problems.warning(
                Loc("access/accounts.csv"),
                "有各单位的账号文件，但这次生成没有按账号限制访问：单位页面会出现在公开的搜索索引中",
                "用 kaoping build --access access/accounts.csv 生成（make site ACCESS=access/accounts.csv）。",
            )
        if access is not None and not prepared.problems.has_errors():
            restricted = access.load(root, prepared, prepared.problems)
        if report is not None:
            report(prepared.problems)
        result = BuildResult(prepared.problems, data=[prepared])
        if prepared.problems.has_errors():
            return result
        scratch = root / f"{TEMP_PREFIX}{os.getpid()}"
        try:
            scratch.mkdir()
        except OSError as exc:
            raise BuildError(not_writable_words(exc, root)) from exc
        try:
            staged_site = scratch / "site"
            workers = default_workers()
            result.pages, files = generate(
                root, prepared, staged_site, scratch, progress, strict, workers, plan, maker, background, access is None
            )
            result.data.append(files)
            stop.check()
            if plan.shard is not None:
                folder = export(root, *plan.shard, files.written, files.entries, staged_site, scratch)
                result.ok = True
                progress.step(f"完成：{len(files.units())} 个单位的页面，在 {folder.relative_to(root)}/")
                return result
            if access is not None and restricted:
                progress.step("按账号文件限制各单位页面的访问")
                access.apply(root, staged_site, prepared)
            files.release()  # (already, without access rules: see generate)
            give_back()
            # Pre-compressed copies for the web server (gzip_static), after access filtered the index.
            compress_site(staged_site, default_workers(), root / "site")
            # What the site was built from and when: publishing compares it with the published site's.
            served = access.stamp() if access and restricted else "none"
            write_json(staged_site / BUILD_STAMP, build_stamp(root, served))
            stop.check()
            swap_site(staged_site, root / "site", scratch, root / CACHE_DIR / SITE_FILES)
            if access is None:
                files.record.save(files.written, {})
                if files.search is not None:
                    files.search.keep(root / "site")
            result.ok = True
            progress.step(f"完成：{result.pages} 个页面，网站在 site/")
        except (TemplateFailure, WorkerLost, ShardError, ForeignFiles) as exc:
            raise BuildError(str(exc)) from exc
        except OSError as exc:
            raise BuildError(_os_error_words(exc, root)) from exc
        except Exception as exc:  # a template's own error, or Python's in one of its expressions
            if not from_template(exc):
                raise
            raise BuildError(template_error_words(exc)) from exc
        finally:
            with contextlib.suppress(OSError):  # (the folder is made again by the next build)
                put_back(root / "docs" / paths.GENERATED, scratch, plan.swapped)
            discard(scratch, root)
        return result
