"""kaoping serve: a local preview that rebuilds when rubrics, results, templates or hand-written pages change.

A save runs load → check → score → render, and MkDocs only for what it must lay out: every page except
the units', plus one unit page per assessment (the shell, see :mod:`generator.site.assemble`); its output
is kept in the preview's own cache and taken again while the layout is the same (:mod:`generator.site.chrome`).
Each unit's page, JSON and workbook, and each download, is made when the browser asks for it; the units'
search entries come from their page header alone, and the search box's index is patched where it changed
(:mod:`generator.site.searchcache`). So a changed score shows in about a second however many units there are.

The preview works in a private folder of its own (a copy of ``docs/`` and the site it serves): it never
writes the published ``site/`` or ``docs/assessments``. Data errors are printed and the preview keeps
showing the last good build.
"""

from __future__ import annotations

import contextlib
import errno
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.data.pipeline import prepare
from generator.data.problems import Problems, os_error_words
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site import paths, views, yearpaths
from generator.site import previewwords as notices
from generator.site.assemble import (
    AssembleError,
    SearchPage,
    Shell,
    add_search_entries,
    read_shell,
    search_entries,
    shell_units,
    unit_page,
)
from generator.site.build import (
    TEMPLATES_DIR,
    BuildError,
    Progress,
    build_date,
    build_lock,
    mkdocs_inputs,
    run_mkdocs,
)
from generator.site.cache import UnitKeys, digest, program_key
from generator.site.chrome import (
    MkDocsFailed,
    copy_output,
    keep_output,
    kept_output,
    layout_key,
    sources_key,
)
from generator.site.downloads import unit_json_bytes, write_downloads
from generator.site.interrupt import terminate_as_interrupt
from generator.site.render import Renderer, UnitPages, render_site
from generator.site.searchcache import Index, assessment_labels
from generator.site.sources import Watches, check_sources, data_files, wait_for_data
from generator.site.template_errors import TemplateFailure, from_template, template_error_words
from generator.site.yeardownloads import write_unit_workbook, write_year_downloads

_UNIT_FILE = re.compile(rf"^{paths.GENERATED}/(?P<aid>[^/]+)/units/(?P<uid>[^/]+)\.(?P<ext>html|json|xlsx)$")


@dataclass
class _Built:
    """What the last good rebuild knows, to make unit pages when they are asked for."""

    pages: UnitPages
    shells: dict[str, Shell]
    units: dict[tuple[str, str], UnitOutcome]
    #: Each download's path, and the assessment it is made from when asked for.
    downloads: dict[str, AssessmentOutcome]


def _download_files(outcome: AssessmentOutcome) -> list[str]:
    aid = outcome.rubric.id
    return [*paths.downloads(aid), *(yearpaths.year_downloads(aid) if outcome.year is not None else ())]


class Preview:
    """The preview's private folders and the rebuild that refreshes them, kept warm between saves."""

    def __init__(
        self,
        root: Path,
        *,
        quiet: bool = False,
        report: Callable[[Problems], None] | None = None,
        progress: Progress | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.workspace = Path(tempfile.mkdtemp(prefix="kaoping-serve-"))
        #: Laid out like the project, for MkDocs; the preview's own folders are beside it, never among the
        #: project's entries (a project folder named like one of them is the project's).
        self.layout = self.workspace / "project"
        self.layout.mkdir()
        self.folder = self.workspace / "site"
        self.folder.mkdir()
        self.progress = progress or Progress(quiet=quiet)
        self.report = report
        #: Where the preview's own messages go (the command line passes its printer).
        self.say = say or (lambda _text: None)
        self.lock = threading.Lock()
        #: Closed: the workspace is gone, and a request still being answered writes nothing into it.
        self.closed = False
        self.built: _Built | None = None
        #: Why the last rebuild failed (None: it did not), and why a page asked for since could not be made.
        self.failure: str | None = None
        self.page_failures: dict[str, str] = {}
        #: The data files of the last good rebuild (:func:`wait_for_data`).
        self.inputs: set[str] = set()
        #: Search entries by the header they were made from: a save changes few headers.
        self.entries: dict[str, list[dict[str, Any]]] = {}
        #: The search box's index of the last rebuild (patched by the next).
        self.search: Index | None = None
        self._link_sources()

    def _link_sources(self) -> None:
        """The layout is the project's (so relative paths in mkdocs.yml hold) with docs/ its own."""
        for entry in self.root.iterdir():
            if entry.name in ("docs", "site") or entry.name.startswith("."):
                continue
            (self.layout / entry.name).symlink_to(entry)

    def _fresh_docs(self) -> Path:
        docs = self.layout / "docs"
        shutil.rmtree(docs, ignore_errors=True)
        source = self.root / "docs"
        if source.is_dir():
            shutil.copytree(source, docs, ignore=shutil.ignore_patterns(paths.GENERATED, ".*"))
        else:
            docs.mkdir()
        return docs

    def rebuild(self) -> None:
        """Rebuild the preview; on any error the last good one stays (and the error is printed)."""
        try:
            self._rebuild()
        except BuildError as exc:  # the build lock could not be written
            self._failed(str(exc))

    def _failed(self, words: str) -> None:
        """Say why the rebuild failed; the browser shows it too, over the last good pages (or alone)."""
        self.failure = words
        self.say(f"生成失败：{words}。预览仍显示上一次成功的结果。")

    def notice_title(self, path: str) -> str:
        """What the browser is told of a page at ``path`` there is none of (:meth:`failure_for` says why)."""
        return (
            notices.PAGE
            if path.lstrip("/") in self.page_failures
            else notices.NONE
            if self.built is None
            else notices.MISSING
        )

    def failure_for(self, path: str) -> str | None:
        """Why the last rebuild failed, or why the page at ``path`` could not be made; None when neither."""
        return self.page_failures.get(path) or self.failure

    def _rebuild(self) -> None:
        with self.lock, build_lock(self.root, self.progress):
            wait_for_data(self.root, self.inputs)
            prepared = prepare(self.root)
            check_sources(self.root, prepared.problems)
            if self.report is not None:
                self.report(prepared.problems)
            if prepared.problems.has_errors():
                errors = prepared.problems.errors
                self.failure = notices.errors_words([str(p) for p in prepared.problems.sorted() if p in errors])
                self.say("数据有错误，预览仍显示上一次成功的结果。改正后保存，预览会自动更新。")
                return
            try:
                self.built = self._build(prepared)
                self.failure, self.page_failures, self.inputs = None, {}, data_files(self.root)
            except (BuildError, MkDocsFailed, AssembleError, TemplateFailure) as exc:
                self._failed(str(exc))
            except OSError as exc:  # (Jinja's TemplateNotFound is one: a template gone, not the disk)
                self._failed(template_error_words(exc) if from_template(exc) else os_error_words(exc))
            except Exception as exc:  # a template's own error, or Python's in one of its expressions
                if not from_template(exc):
                    raise
                self._failed(template_error_words(exc))

    def _build(self, prepared: Any) -> _Built:
        outcomes = prepared.outcomes
        docs = self._fresh_docs()
        shell_ids = shell_units(outcomes.values())
        rubrics = [r for r, _ in prepared.project.rubrics.values()]
        notices = prepared.project.notices
        only = {aid: {uid} for aid, uid in shell_ids.items()}
        render_site(rubrics, outcomes, notices, self.root / TEMPLATES_DIR, docs, only_units=only, downloads=False)
        nav, exclude = mkdocs_inputs(self.root, prepared, shell_ids)
        epoch = build_date(prepared)
        base = digest(program_key(), sources_key(self.root))
        # MkDocs runs only when the layout changed (as in the build): a changed score changes a table.
        key = layout_key(self.root, docs, shell_ids, [nav, exclude, epoch, False], base)
        kept = kept_output(self.workspace, key)
        if kept is None:
            made = self.workspace / "mkdocs"
            shutil.rmtree(made, ignore_errors=True)
            run_mkdocs(self.root, made, nav, epoch, False, exclude, workspace=self.layout, defer=True)
            kept = keep_output(self.workspace, made, key)
        staged = self.workspace / "staged"
        shutil.rmtree(staged, ignore_errors=True)
        copy_output(kept, staged, docs)
        ordered = views.ordered(outcomes)
        built = _Built(
            pages=UnitPages(ordered, notices, self.root / TEMPLATES_DIR),
            shells={aid: read_shell(staged, docs, aid, uid) for aid, uid in shell_ids.items()},
            units={(o.rubric.id, u.unit.id): u for o in ordered for u in o.units},
            downloads={name: o for o in ordered for name in _download_files(o)},
        )
        add_search_entries(staged, self._unit_entries(built, ordered, shell_ids))
        search = self._search_index(staged, prepared, base, ordered)
        for child in self.folder.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        for child in staged.iterdir():
            shutil.move(str(child), self.folder / child.name)
        staged.rmdir()
        search.keep(self.folder, save=False)
        self.search = search
        return built

    def _search_index(self, staged: Path, prepared: Any, base: str, ordered: list[Any]) -> Index:
        """The search box's index, patched from the last one where the pages and units are the same."""
        keys = UnitKeys(base, prepared.outcomes, prepared.assessments, prepared.project.notices)
        # Patched from the last rebuild's index, kept in memory (the workspace is the preview's, never the project's).
        search = Index(self.workspace, base, self.folder, previous=self.search)
        rubrics = [r for r, _ in prepared.project.rubrics.values()]
        labels = assessment_labels((r.id, r.title, r.year) for r in rubrics)
        search.write(staged, search.documents(staged, ordered, labels, keys.of))
        return search

    def _unit_entries(self, built: _Built, ordered: Iterable[Any], shells: dict[str, str]) -> list[dict[str, Any]]:
        renderer = Renderer(self.root / TEMPLATES_DIR)
        entries: list[dict[str, Any]] = []
        fresh: dict[str, list[dict[str, Any]]] = {}
        for outcome in ordered:
            for u in outcome.units:
                if shells.get(outcome.rubric.id) == u.unit.id:
                    continue  # MkDocs indexed the shell itself
                head = views.unit_head(outcome, u)
                header = renderer.render("_unit_search.j2", head)
                url = paths.html_path(paths.unit_page(outcome.rubric.id, u.unit.id))
                key = url + "\n" + header
                made = self.entries.get(key)
                if made is None:
                    made = search_entries([SearchPage(header, url, head.name, {"title": head.name})])
                fresh[key] = made
                entries.extend(made)
        self.entries = fresh
        return entries

    def ensure(self, path: str) -> None:
        """Make a unit's page, JSON or workbook, or a download, if the browser asks for one not there yet."""
        if path in (self.built.downloads if self.built is not None else ()):
            self._ensure_downloads(path)
            return
        match = _UNIT_FILE.match(path)
        if match is None or ((self.folder / path).exists() and not self.lock.locked()):
            return  # (made whole under the lock: there while nobody holds it, it is complete)
        with self.lock:
            built = None if self.closed else self.built
            key = (match["aid"], match["uid"])
            if built is None or key not in built.units or match["aid"] not in built.shells:
                return
            target = self.folder / path
            if target.exists():
                return
            unit = built.units[key]
            if match["ext"] == "xlsx":
                write_unit_workbook(built.pages.outcomes[key[0]], unit, self.folder)
                return
            if match["ext"] == "json":
                target.write_bytes(unit_json_bytes(built.pages.outcomes[key[0]], unit))
                return
            try:
                docs_path, markdown = built.pages.markdown(key[0], unit)
                html, _ = unit_page(built.shells[key[0]], markdown, paths.html_path(docs_path))
            except Exception as exc:  # only this unit's data may set it off: the others still show
                if not from_template(exc):
                    raise
                self.page_failures[path] = f"单位页面 {path} 生成失败：{template_error_words(exc)}"
                self.say(self.page_failures[path] + "。")
                return
            target.write_text(html, encoding="utf-8")

    def _ensure_downloads(self, path: str) -> None:
        """The assessment's downloads (results CSV, XLSX, JSON; the year's workbook and CSV), all at once. Made
        from the results of the last rebuild as it stands once the lock is taken: a request that came during a
        rebuild waits for it and gets the new data."""
        with self.lock:
            built = None if self.closed else self.built
            if built is None or path not in built.downloads or (self.folder / path).exists():
                return
            outcome = built.downloads[path]
            try:
                write_downloads(outcome, self.folder, unit_files=())
                write_year_downloads(outcome, self.folder)
            except OSError as exc:
                self.say(f"下载文件 {path} 生成失败：{os_error_words(exc)}。")

    def close(self) -> None:
        with self.lock:  # after a file being made for a request (the server's threads are not waited for)
            self.closed = True
            shutil.rmtree(self.workspace, ignore_errors=True)


class ServeError(Exception):
    """The preview cannot start (its address cannot be taken); the message says what to do, in Chinese."""


def serve(
    root: Path,
    host: str,
    port: int,
    report: Callable[[Problems], None],
    progress: Progress | None = None,
    say: Callable[[str], None] | None = None,
) -> None:
    with terminate_as_interrupt():  # stopped by a service manager (SIGTERM): the workspace is removed too
        _serve(Preview(root, report=report, progress=progress, say=say), host, port)


def _serve(preview: Preview, host: str, port: int) -> None:
    from mkdocs.livereload import LiveReloadServer

    class PreviewServer(LiveReloadServer):
        def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
            if "\x00" in path:  # no file has a NUL in its name: no such page (404)
                return None
            try:
                preview.ensure(path.lstrip("/"))
                answer = super()._serve_request(environ, start_response)
                if answer is None:  # a rebuild emptied the folder meanwhile: the page is made after it
                    preview.ensure(path.lstrip("/"))
                    answer = super()._serve_request(environ, start_response)
            except OSError as exc:  # a name too long for the disk: no such page either
                if exc.errno != errno.ENAMETOOLONG:
                    raise
                return None
            words = preview.failure_for(path.lstrip("/"))
            if answer is not None or words is None or not path.endswith(("/", ".html")):
                return answer
            # No such page because a rebuild or the page failed: why, instead of a bare 404 (reloaded once fixed).
            title = preview.notice_title(path)
            page = super()._inject_js_into_html(notices.notice_page(words, title), self._visible_epoch)
            start_response("503 Service Unavailable", [("Content-Type", "text/html; charset=utf-8")])
            return [page]

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            content = super()._inject_js_into_html(content, epoch)
            return content if preview.failure is None else notices.with_notice(content, preview.failure)

        def open(self) -> None:
            """Take the address now, before the first build: a port in use is said at once, in words."""
            try:
                super().server_bind()
                super().server_activate()
            except (OSError, OverflowError) as exc:
                self.server_close()
                raise ServeError(notices.address_words(exc, host, port)) from exc

        def server_bind(self) -> None:  # (done by open)
            pass

        def server_activate(self) -> None:  # (done by open)
            pass

    server = None
    watches = Watches(preview)
    try:
        opened = PreviewServer(builder=watches.rebuild, host=host, port=port, root=str(preview.folder))
        opened.open()
        server = opened
        watches.start(server)
        preview.say(f"预览地址：{notices.preview_url(host, port)}  （数据或模板保存后自动更新；按 Ctrl+C 停止）")
        server.serve()
    except KeyboardInterrupt:
        preview.say("预览已停止。")
    finally:
        # A second Ctrl+C or SIGTERM (an impatient clerk, a service manager) does not cut the cleanup short.
        with contextlib.suppress(ValueError):  # (not the main thread: no signals to hold)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if server is not None:
            server.shutdown()
        preview.close()
