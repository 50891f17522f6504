"""kaoping serve: a local preview that rebuilds when rubrics, results, templates or hand-written pages change.

A save runs load → check → score → render → MkDocs, but only for what MkDocs must lay out: every page
except the units', plus one unit page per assessment (the shell, see :mod:`generator.site.assemble`). Each
unit's page and JSON are made when the browser asks for them, and the units' search entries from their
page header alone. So a changed score shows in a few seconds however many units there are.

The preview works in a private folder of its own (a copy of ``docs/`` and the site it serves): it never
writes the published ``site/`` or ``docs/assessments``. Data errors are printed and the preview keeps
showing the last good build.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.data.pipeline import prepare
from generator.data.problems import Problems, os_error_words
from generator.data.projectfiles import inside
from generator.engine.outcome import UnitOutcome
from generator.site import paths, views
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
    CONFIG_FILE,
    TEMPLATES_DIR,
    BuildError,
    Progress,
    build_date,
    build_lock,
    build_search_index,
    check_docs,
    mkdocs_inputs,
    run_mkdocs,
)
from generator.site.chrome import MkDocsFailed
from generator.site.downloads import unit_json_bytes
from generator.site.render import Renderer, TemplateFailure, UnitPages, render_site, template_error_words

WATCHED = ("rubrics", "results", TEMPLATES_DIR, CONFIG_FILE, "generator/site/mkdocs_hooks.py")
_UNIT_FILE = re.compile(rf"^{paths.GENERATED}/(?P<aid>[^/]+)/units/(?P<uid>[^/]+)\.(?P<ext>html|json)$")


def watched_paths(root: Path) -> list[Path]:
    """What the preview watches: the data, the templates, and docs/ except the generated folder. Nothing a
    link leads to outside the project (or out of docs/) is watched, nor a FIFO or device (see check_docs)."""
    watched = [root / name for name in WATCHED if (root / name).exists() and inside(root / name, root)]
    docs = root / "docs"
    if docs.is_dir() and inside(docs, root):
        watched += [
            p
            for p in sorted(docs.iterdir())
            if p.name != paths.GENERATED
            and not p.name.startswith(".")
            and inside(p, docs)
            and (p.is_dir() or p.is_file())
        ]
    return watched


@dataclass
class _Built:
    """What the last good rebuild knows, to make unit pages when they are asked for."""

    pages: UnitPages
    shells: dict[str, Shell]
    units: dict[tuple[str, str], UnitOutcome]


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
        self.folder = self.workspace / "site"
        self.folder.mkdir()
        self.progress = progress or Progress(quiet=quiet)
        self.report = report
        #: Where the preview's own messages go (the command line passes its printer).
        self.say = say or (lambda _text: None)
        self.lock = threading.Lock()
        self.built: _Built | None = None
        #: Search entries by the header they were made from: a save changes few headers.
        self.entries: dict[str, list[dict[str, Any]]] = {}
        self._link_sources()

    def _link_sources(self) -> None:
        """The workspace is laid out like the project (so relative paths in mkdocs.yml hold) with docs/ its own."""
        for entry in self.root.iterdir():
            if entry.name in ("docs", "site") or entry.name.startswith("."):
                continue
            (self.workspace / entry.name).symlink_to(entry)

    def _fresh_docs(self) -> Path:
        docs = self.workspace / "docs"
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
            self.say(f"生成失败：{exc}。预览仍显示上一次成功的结果。")

    def _rebuild(self) -> None:
        with self.lock, build_lock(self.root, self.progress):
            prepared = prepare(self.root)
            check_docs(self.root, prepared.problems)
            if self.report is not None:
                self.report(prepared.problems)
            if prepared.problems.has_errors():
                self.say("数据有错误，预览仍显示上一次成功的结果。改正后保存，预览会自动更新。")
                return
            try:
                self.built = self._build(prepared)
            except (BuildError, MkDocsFailed, AssembleError, TemplateFailure) as exc:
                self.say(f"生成失败：{exc}。预览仍显示上一次成功的结果。")
            except jinja2.TemplateError as exc:
                self.say(f"生成失败：{template_error_words(exc)}。预览仍显示上一次成功的结果。")
            except OSError as exc:
                self.say(f"生成失败：{os_error_words(exc)}。预览仍显示上一次成功的结果。")

    def _build(self, prepared: Any) -> _Built:
        outcomes = prepared.outcomes
        docs = self._fresh_docs()
        shell_ids = shell_units(outcomes.values())
        rubrics = [r for r, _ in prepared.project.rubrics.values()]
        notices = prepared.project.notices
        render_site(
            rubrics,
            outcomes,
            notices,
            self.root / TEMPLATES_DIR,
            docs,
            only_units={aid: {uid} for aid, uid in shell_ids.items()},
        )
        nav, exclude = mkdocs_inputs(self.root, prepared, shell_ids)
        staged = self.workspace / "staged"
        shutil.rmtree(staged, ignore_errors=True)
        run_mkdocs(
            self.root, staged, nav, build_date(prepared), strict=False, exclude=exclude, workspace=self.workspace
        )
        ordered = views.ordered(outcomes)
        built = _Built(
            pages=UnitPages(ordered, notices, self.root / TEMPLATES_DIR),
            shells={aid: read_shell(staged, docs, aid, uid) for aid, uid in shell_ids.items()},
            units={(o.rubric.id, u.unit.id): u for o in ordered for u in o.units},
        )
        add_search_entries(staged, self._unit_entries(built, ordered, shell_ids))
        build_search_index(staged, prepared)
        for child in self.folder.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        for child in staged.iterdir():
            shutil.move(str(child), self.folder / child.name)
        staged.rmdir()
        return built

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
        """Make a unit's page or JSON if the browser asks for one that is not there yet."""
        match = _UNIT_FILE.match(path)
        if match is None or (self.folder / path).exists():
            return
        with self.lock:
            built = self.built
            key = (match["aid"], match["uid"])
            if built is None or key not in built.units or match["aid"] not in built.shells:
                return
            target = self.folder / path
            if target.exists():
                return
            unit = built.units[key]
            if match["ext"] == "json":
                target.write_bytes(unit_json_bytes(built.pages.outcomes[key[0]], unit))
                return
            try:
                docs_path, markdown = built.pages.markdown(key[0], unit)
                html, _ = unit_page(built.shells[key[0]], markdown, paths.html_path(docs_path))
            except jinja2.TemplateError as exc:  # only this unit's data may set it off: the others still show
                self.say(f"单位页面 {path} 生成失败：{template_error_words(exc)}。")
                return
            target.write_text(html, encoding="utf-8")

    def close(self) -> None:
        shutil.rmtree(self.workspace, ignore_errors=True)


def serve(
    root: Path,
    host: str,
    port: int,
    report: Callable[[Problems], None],
    progress: Progress | None = None,
    say: Callable[[str], None] | None = None,
) -> None:
    from mkdocs.livereload import LiveReloadServer

    preview = Preview(root, report=report, progress=progress, say=say)

    class PreviewServer(LiveReloadServer):
        def _serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
            path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "ignore")
            preview.ensure(path.lstrip("/"))
            return super()._serve_request(environ, start_response)

    preview.rebuild()
    server = PreviewServer(builder=preview.rebuild, host=host, port=port, root=str(preview.folder))
    for path in watched_paths(preview.root):
        server.watch(str(path))
    preview.say(f"预览地址：http://{host}:{port}/  （数据或模板保存后自动更新；按 Ctrl+C 停止）")
    try:
        server.serve()
    except KeyboardInterrupt:
        preview.say("预览已停止。")
    finally:
        server.shutdown()
        preview.close()
