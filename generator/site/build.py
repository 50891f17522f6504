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
import datetime
import errno
import fcntl
import logging
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Loc, Problems, os_error_words
from generator.data.projectfiles import inside, outside_words, unsafe_entries
from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome
from generator.site import paths, views
from generator.site.assemble import AssembleError, assemble, exclude_patterns, shell_units
from generator.site.compress import compress_site
from generator.site.progress import Progress
from generator.site.render import TemplateFailure, escape_text, render_site, template_error_words
from generator.site.restricted import Restriction
from generator.site.stamp import BUILD_STAMP, build_stamp, write_json
from generator.site.yearpaths import office_page

LOCK_FILE = ".kaoping.lock"
TEMP_PREFIX = ".kaoping-tmp-"
TEMPLATES_DIR = "site_templates"
CONFIG_FILE = "mkdocs.yml"


class BuildError(Exception):
    """A step after checking failed (a template, MkDocs, the disk); the message says which."""


def not_writable_words(exc: OSError, root: Path) -> str:
    """What a write refused by the system (no permission, a read-only disk) means, and what to do; any
    other failed write in the words of :func:`os_error_words`."""
    if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
        return os_error_words(exc)
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


def check_docs(root: Path, problems: Problems) -> None:
    """MkDocs copies every file of docs/ into the site, following links: refuse, before anything is copied,
    a link that leads out of docs/ (to a system file, to the units' passwords in access/ …), a broken link,
    and anything that is not a regular file or folder (a FIFO would hang the build)."""
    docs = root / "docs"
    if not os.path.lexists(docs):
        return
    if not inside(docs, root):
        refused = outside_words(docs)
        problems.error(Loc("docs/"), refused.message, refused.hint)
        return
    skip = frozenset({paths.GENERATED, *(p.name for p in docs.glob(TEMP_PREFIX + "*"))})
    why = "生成网站时 MkDocs 会把它指向的内容复制进网站，公开发布"
    for path, refused in unsafe_entries(docs, skip, " docs/ ", why):
        problems.error(
            Loc(path.relative_to(root).as_posix()),
            refused.message,
            "docs/ 中只放手写的页面和图片等普通文件：把文件本身复制进来，不要用链接；不该发布的，移出 docs/。",
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
            progress.step("另一个生成任务正在进行，等待它完成……")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so that cleanup runs when a build is stopped."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def remove_leftovers(root: Path) -> None:
    """Remove temporary folders a killed build left behind (called under the lock).

    A build killed between the two renames of :func:`swap_in` left the previous ``site/`` (or
    ``docs/assessments``) in its scratch folder as ``old-…``: it is put back first.
    """
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


def swap_in(new: Path, target: Path, scratch: Path) -> None:
    """Replace ``target`` by ``new`` with renames (each atomic); the old one goes to ``scratch``."""
    old = scratch / ("old-" + target.name)
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def navigation(
    outcomes: dict[str, AssessmentOutcome],
    notices: dict[str, Any],
    base_nav: list[Any] | None,
    standards_only: list[Rubric] | None = None,
) -> list[Any]:
    """The site's navigation: the home page, the newest assessment, then the other years, then hand-written pages."""

    def section(o: AssessmentOutcome) -> dict[str, list[dict[str, str]]]:
        r = o.rubric
        pages = [
            {"概况": paths.page(r.id, "index")},
            {"考核标准": paths.page(r.id, "standards")},
            {"考核结果": paths.page(r.id, "results")},
        ]
        if r.id in notices:
            pages.append({"考核通报": paths.page(r.id, "notice")})
        if o.year is not None:
            pages.append({"全年工作（考核办公室）": office_page(r.id)})
        # MkDocs themes write navigation titles into the HTML unescaped: the rubric's title is data.
        return {f"{r.year}年度 · {escape_text(r.title)}": pages}

    ordered = views.ordered(outcomes)
    nav: list[Any] = [{"首页": "index.md"}]
    for r in sorted(standards_only or [], key=lambda r: (-r.year, r.id)):
        nav.append({f"{r.year}年度考核标准": paths.page(r.id, "standards")})
    if ordered:
        nav.append(section(ordered[0]))
        nav.append({"历年考核": [{"全部考核": paths.assessment_index()}, *(section(o) for o in ordered[1:])]})
    for entry in base_nav or []:
        if isinstance(entry, dict) and "index.md" in entry.values():
            continue
        if entry == "index.md":
            continue
        nav.append(entry)
    return nav


def default_workers() -> int:
    """Processes for rendering unit pages: the machine's cores, at most 4 (the gain flattens beyond)."""
    return max(1, min(4, os.cpu_count() or 1))


def build_date(prepared: Prepared) -> int:
    """A timestamp that depends only on the data, so that rebuilding the same data is byte-identical."""
    days = [datetime.date(o.rubric.year, 12, 31) for o in prepared.outcomes.values()]
    days += [n.date for n in prepared.project.notices.values()]
    day = max(days) if days else datetime.date(2000, 1, 1)
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp())


def run_mkdocs(
    root: Path,
    site_dir: Path,
    nav: list[Any],
    epoch: int,
    strict: bool,
    exclude: str = "",
    workspace: Path | None = None,
) -> None:
    """MkDocs on root/mkdocs.yml into ``site_dir``. With ``workspace`` (a folder laid out like the root, holding
    its own ``docs/``), relative paths in the configuration resolve there instead: the preview's private docs."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    # jieba announces its dictionary loading on stderr at every build.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        with working_directory(workspace or root):
            overrides: dict[str, Any] = {"site_dir": str(site_dir), "nav": nav, "strict": strict}
            if exclude:
                overrides["exclude_docs"] = exclude
            if workspace is not None:
                overrides["docs_dir"] = str(workspace / "docs")
            config = load_config(str(root / CONFIG_FILE), **overrides)
            mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs 生成网站失败：{exc}") from exc
    except SystemExit as exc:
        raise BuildError(f"MkDocs 生成网站失败（{exc}）；上面的 WARNING 行说明了原因") from exc
    except (OSError, BuildError):
        raise
    except Exception as exc:
        # A Markdown extension's own error, e.g. pymdownx.snippets' missing file (--8<--).
        raise BuildError(f"MkDocs 生成网站失败：{type(exc).__name__}: {exc}") from exc
    finally:
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


@dataclass
class BuildResult:
    problems: Problems
    pages: int = 0
    ok: bool = False


def base_config(root: Path) -> tuple[list[Any] | None, str]:
    """The hand-written navigation and ``exclude_docs`` of mkdocs.yml, as written."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    try:
        with working_directory(root):
            config = load_config(str(root / CONFIG_FILE))
            with open(root / CONFIG_FILE, encoding="utf-8") as handle:
                raw = yaml_load(handle) or {}
    except MkDocsException as exc:
        raise BuildError(f"{CONFIG_FILE} 有错误：{exc}") from exc
    exclude = raw.get("exclude_docs") or ""
    return config["nav"], exclude if isinstance(exclude, str) else ""


def mkdocs_inputs(root: Path, prepared: Prepared, shells: dict[str, str]) -> tuple[list[Any], str]:
    """(nav, exclude_docs) for MkDocs: the hand-written ones of mkdocs.yml with the generated pages added,
    and every unit page but the shells left to assembly."""
    base_nav, base_exclude = base_config(root)
    standards_only = [r for r, _ in prepared.project.rubrics.values() if r.id not in prepared.outcomes]
    nav = navigation(prepared.outcomes, prepared.project.notices, base_nav, standards_only)
    return nav, base_exclude.rstrip("\n") + "\n" + exclude_patterns(shells)


def generate(
    root: Path, prepared: Prepared, site_dir: Path, scratch: Path, progress: Progress, strict: bool, workers: int = 1
) -> int:
    """Render the pages into ``docs/assessments`` (swapped in whole) and build the site into ``site_dir``."""
    units = sum(len(o.units) for o in prepared.outcomes.values())
    progress.step(f"生成页面：{len(prepared.outcomes)} 项考核，{units} 个单位")
    staged_docs = scratch / "docs"
    pages = render_site(
        [r for r, _ in prepared.project.rubrics.values()],
        prepared.outcomes,
        prepared.project.notices,
        root / TEMPLATES_DIR,
        staged_docs,
        progress.count,
        workers,
    )
    docs_dir = root / "docs"
    docs_dir.mkdir(exist_ok=True)
    swap_in(staged_docs / paths.GENERATED, docs_dir / paths.GENERATED, scratch)
    progress.step("用 MkDocs 生成网站（含中文搜索索引）")
    shells = shell_units(prepared.outcomes.values())
    nav, exclude = mkdocs_inputs(root, prepared, shells)
    run_mkdocs(root, site_dir, nav, build_date(prepared), strict, exclude)
    progress.step("组装单位页面")
    try:
        assemble(site_dir, docs_dir, prepared.outcomes.values(), shells)
    except AssembleError as exc:
        raise BuildError(str(exc)) from exc
    progress.step("生成搜索索引")
    build_search_index(site_dir, prepared)
    return pages


def build_search_index(site_dir: Path, prepared: Prepared, keep: Callable[[str], bool] | None = None) -> None:
    """The search box's index of the built site (``generator/site/searchindex.py``); ``keep`` filters pages by path."""
    from generator.site.searchindex import build_index

    rubrics = [(r.id, r.title, r.year) for r, _ in prepared.project.rubrics.values()]
    build_index(site_dir, prepared.outcomes.values(), rubrics, keep)


def build(root: Path, *, progress: Progress | None = None, strict: bool = True,
          report: Callable[[Problems], None] | None = None, access: Restriction | None = None) -> BuildResult:
    """Build ``site/`` under ``root``. Returns the problems; ``ok`` only when the site was replaced.

    With ``access`` (:class:`generator.access.mode.AccessMode` over a units' accounts file, never published) the
    site is built for an intranet where each unit may read only its own pages: see :mod:`generator.access.policy`.
    """
    progress = progress or Progress()
    root = root.resolve()
    with build_lock(root, progress), terminate_as_interrupt():
        remove_leftovers(root)
        progress.step("读取并检查细则和考核结果")
        prepared = prepare(root)
        check_docs(root, prepared.problems)
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
        result = BuildResult(prepared.problems)
        if prepared.problems.has_errors():
            return result
        scratch = root / f"{TEMP_PREFIX}{os.getpid()}"
        try:
            scratch.mkdir()
        except OSError as exc:
            raise BuildError(not_writable_words(exc, root)) from exc
        try:
            staged_site = scratch / "site"
            result.pages = generate(root, prepared, staged_site, scratch, progress, strict, default_workers())
            if access is not None and restricted:
                progress.step("按账号文件限制各单位页面的访问")
                access.apply(root, staged_site, prepared)
            # Pre-compressed copies for the web server (gzip_static), after access filtered the index.
            compress_site(staged_site, default_workers())
            # What the site was built from and when: publishing compares it with the published site's.
            write_json(staged_site / BUILD_STAMP, build_stamp(root))
            swap_in(staged_site, root / "site", scratch)
            result.ok = True
            progress.step(f"完成：{result.pages} 个页面，网站在 site/")
        except jinja2.TemplateError as exc:
            raise BuildError(template_error_words(exc)) from exc
        except TemplateFailure as exc:
            raise BuildError(str(exc)) from exc
        except OSError as exc:
            raise BuildError(not_writable_words(exc, root)) from exc
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return result
