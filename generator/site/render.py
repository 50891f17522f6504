"""Render: the one place Jinja is called. Page contexts in, Markdown files (raw HTML bodies) out.

Everything from the data reaches a page escaped as :func:`escape_text` escapes it: HTML is escaped, ``{``
and ``}`` become entities (so no Jinja or MkDocs-macros syntax survives into the Markdown), and control
characters are dropped (text without braces and control characters is escaped by Jinja itself, to the
same characters). Pages are one raw HTML block, which Markdown passes through untouched, so
no data is ever read as Markdown either. Titles in front matter are escaped too: Material writes
``page.meta.title`` into the HTML unescaped.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.engine.exact import fmt, fmt_percent
from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.results import Notice
from generator.site import paths, views
from generator.site.downloads import write_downloads
from generator.site.template_errors import TemplateFailure, TemplateLoader, template_error_words, template_words
from generator.site.views.office import office_context
from generator.site.workers import Child, WorkerLost, in_parallel, stop_all
from generator.site.yeardownloads import write_unit_workbook, write_year_downloads
from generator.site.yearpages import write_year_pages

#: Control characters dropped from data text (line and paragraph separators included).
_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_ENTITIES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "{": "&#123;", "}": "&#125;"}
)


def escape_text(value: str) -> str:
    """Data text as inert HTML: escaped, braces as entities, control characters removed."""
    return _CONTROL.sub("", value).translate(_ENTITIES)


#: What :func:`escape_text` does more than Jinja's own escaping (MarkupSafe's: & < > " ' as the same entities).
_MORE_THAN_HTML = re.compile(f"[{_CONTROL_CHARS}{{}}]")


def _finalize(value: Any) -> Any:
    """Each value a template outputs: data text escaped by :func:`escape_text`. Text without braces or control
    characters (most of it) is left to Jinja's autoescaping, which gives the same characters, made in C."""
    if type(value) is str:
        return value if _MORE_THAN_HTML.search(value) is None else Markup(escape_text(value))
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(escape_text(value))  # a str subclass


def _join_text(values: Iterable[Any], separator: str = "、") -> Markup:
    return Markup(escape_text(separator).join(escape_text(str(v)) for v in values))


def _front_title(value: str) -> Markup:
    """A front-matter title: escaped for HTML, then quoted as a YAML (JSON) string."""
    return Markup(json.dumps(escape_text(value), ensure_ascii=False))


#: One environment per templates folder, kept for the process: its compiled templates are reused, and a
#: template changed on disk is compiled again (jinja2 compares the file's modification time).
_ENVIRONMENTS: dict[str, jinja2.Environment] = {}


def make_environment(templates: Path) -> jinja2.Environment:
    key = str(templates.resolve())
    env = _ENVIRONMENTS.get(key)
    if env is None:
        env = _ENVIRONMENTS[key] = _new_environment(templates)
    return env


def _new_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=TemplateLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["join_text"] = _join_text
    env.filters["front_title"] = _front_title
    # Rubric numbers (points, caps, weights) shown as the rest of the site shows them: 1.50 → 1.5, 0.7 → 70%.
    env.filters["pts"] = fmt
    env.filters["percent"] = fmt_percent
    # Chart geometry only (SVG coordinates), never a score.
    env.filters["pct1"] = lambda v: f"{float(v):.1f}".removesuffix(".0")
    return env


@dataclass
class Renderer:
    templates: Path

    def __post_init__(self) -> None:
        self.env = make_environment(self.templates)
        # Rows of items on which a unit lost nothing are the same for every unit of its type: rendered once.
        self._rows: dict[tuple[views.ItemRow, bool], Markup] = {}

    def render(self, template: str, ctx: object) -> str:
        return self.env.get_template(template).render(ctx=ctx)

    def render_unit(self, ctx: views.UnitContext) -> str:
        row_template = self.env.get_template("_unit_row.j2")
        show = ctx.show_self_scores
        rows = []
        for row in ctx.rows:
            html = self._rows.get((row, show)) if row.shared else None
            if html is None:
                html = Markup(row_template.render(row=row, show_self_scores=show))
                if row.shared:
                    self._rows[(row, show)] = html
            rows.append(html)
        return self.env.get_template("unit.md.j2").render(ctx=ctx, rows=rows)


Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    return None


def write(out: Path, path: str, text: str) -> None:
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")


class UnitPages:
    """Renders units' pages and JSON. Holds what needs the whole assessment (pool averages, history), made
    once; the renderer and its caches are made in each process that renders (forked workers included)."""

    def __init__(
        self,
        outcomes: Sequence[AssessmentOutcome],
        notices: Mapping[str, Notice],
        templates: Path,
        history: views.History | None = None,
    ) -> None:
        self.outcomes = {o.rubric.id: o for o in outcomes}
        self.notices = notices
        self.templates = templates
        self.history = history or views.History(self.outcomes)
        self.stats = {aid: views.pool_stats(o) for aid, o in self.outcomes.items()}
        self.show_self = {aid: any(_has_self_scores(u) for u in o.units) for aid, o in self.outcomes.items()}
        self._pid = 0
        self._renderer: Renderer | None = None
        self._rows: dict[str, dict[int, tuple[views.ItemRow, ...]]] = {}

    def _process_renderer(self) -> Renderer:
        if self._renderer is None or self._pid != os.getpid():
            self._renderer, self._pid, self._rows = Renderer(self.templates), os.getpid(), {}
        return self._renderer

    def release(self) -> None:
        """Let go of the outcomes (the build has made every page)."""
        self.outcomes.clear()
        self.stats.clear()
        self.history = views.History({})
        self._renderer, self._rows = None, {}

    def warm(self) -> None:
        """Compile the unit page's templates in this process (forked workers then share them)."""
        env = make_environment(self.templates)
        try:
            for name in ("unit.md.j2", "_unit_row.j2"):
                env.get_template(name)
        except jinja2.TemplateError as exc:
            raise TemplateFailure(template_error_words(exc)) from None

    def markdown(self, aid: str, u: UnitOutcome) -> tuple[str, str]:
        """(docs path, Markdown) of a unit's page."""
        renderer = self._process_renderer()
        outcome = self.outcomes[aid]
        ctx = views.unit_context(
            outcome,
            u,
            self.stats[aid],
            self.history,
            self.notices.get(aid),
            self.show_self[aid],
            self._rows.setdefault(aid, {}),
        )
        return ctx.path, renderer.render_unit(ctx)

    def write(self, out: Path, aid: str, u: UnitOutcome) -> None:
        """A unit's page (its JSON is written with the downloads)."""
        path, text = self.markdown(aid, u)
        write(out, path, text)
        write_unit_workbook(self.outcomes[aid], u, out)


def render_units(
    pages: UnitPages, out: Path, units: list[tuple[str, UnitOutcome]], workers: int, progress: Progress
) -> int:
    """The given units' pages and JSON, on ``workers`` processes when there are enough units to pay."""

    def write_one(item: tuple[str, UnitOutcome]) -> None:
        pages.write(out, *item)

    in_parallel(template_words(write_one), units, workers, "生成单位页面", progress)
    return len(units)


def render_pages(
    rubrics: Sequence[Rubric],
    outcomes: dict[str, AssessmentOutcome],
    notices: dict[str, Notice],
    templates: Path,
    out: Path,
    downloads: bool = True,
) -> int:
    """Write every generated page but the units' into ``out`` (the docs folder); returns the page count.

    ``out`` receives ``assessments/…`` exactly as it will sit inside ``docs/``. Rubrics without results
    get their standards page only. Without ``downloads``, the year's workbook and CSV are left to the caller.
    """
    renderer = Renderer(templates)
    history = views.History(outcomes)
    standards_only = [r for r in rubrics if r.id not in outcomes]
    pages = 0
    home = views.home_context(outcomes, notices, standards_only)
    write(out, paths.HOME_PARTIAL, renderer.render("home.md.j2", home))
    write(
        out,
        paths.assessment_index(),
        renderer.render("years.md.j2", views.years_context(outcomes, notices, standards_only)),
    )
    pages += 1
    for r in standards_only:
        write(
            out,
            paths.page(r.id, "standards"),
            renderer.render("standards.md.j2", views.standards_context(r, has_results=False)),
        )
        pages += 1
    for outcome in views.ordered(outcomes):
        r = outcome.rubric
        notice = notices.get(r.id)
        write(
            out,
            paths.page(r.id, "index"),
            renderer.render("overview.md.j2", views.overview_context(outcome, notice, outcomes, notices)),
        )
        write(
            out,
            paths.page(r.id, "standards"),
            renderer.render("standards.md.j2", views.standards_context(r, has_results=True)),
        )
        write(
            out,
            paths.page(r.id, "results"),
            renderer.render("results.md.j2", views.results_context(outcome, history, notice)),
        )
        pages += 3
        if notice is not None:
            write(
                out, paths.page(r.id, "notice"), renderer.render("notice.md.j2", views.notice_context(outcome, notice))
            )
            pages += 1
        office = office_context(outcome) if outcome.year is not None else None
        pages += write_year_pages(renderer, outcome, out, office)
        if downloads:
            write_year_downloads(outcome, out, office)
    return pages


@contextlib.contextmanager
def pages_beside(beside: bool, *args: Any) -> Iterator[list[int]]:
    """:func:`render_pages` with ``args``, done by the time the block has run. With ``beside``, in a forked
    process of its own while the block runs: a rebuild that remakes a few units spends that time linking the
    rest, on one core, and the shared pages (the results page lists every unit) take as long on the other.
    Where no process is to be had, they are made here first. Yields a list that holds the page count once
    the block is done."""
    made: list[int] = []
    children: list[Child] = []
    child = _pages_child(args, children) if beside else None
    if child is None:
        made.append(render_pages(*args))
        yield made
        return
    try:
        yield made
        made.append(child.answer())
        child.retire()
    finally:
        stop_all(children)
        child.process.close()


def _pages_child(args: tuple[Any, ...], children: list[Child]) -> Child | None:
    """A forked process making the shared pages; None when the system gives none (or it ended at once)."""
    try:
        child = Child(template_words(lambda _task: render_pages(*args)), children)
        child.pipe.send(())
    except (WorkerLost, OSError):
        stop_all(children)
        return None
    return child


def render_site(
    rubrics: Sequence[Rubric],
    outcomes: dict[str, AssessmentOutcome],
    notices: dict[str, Notice],
    templates: Path,
    out: Path,
    progress: Progress = _quiet,
    workers: int = 1,
    only_units: Mapping[str, Collection[str]] | None = None,
    downloads: bool = True,
) -> int:
    """Every generated page and download into ``out`` (the docs folder), from nothing; returns the page count.
    With ``only_units`` only those units' pages are, and without ``downloads`` no download is (the preview
    makes them when they are asked for)."""
    pages = render_pages(rubrics, outcomes, notices, templates, out, downloads)
    ordered = views.ordered(outcomes)
    for outcome in ordered if downloads else ():
        write_downloads(outcome, out, None if only_units is None else only_units.get(outcome.rubric.id, ()))
    pages_of_units = UnitPages(ordered, notices, templates, views.History(outcomes))
    units = [
        (o.rubric.id, u)
        for o in ordered
        for u in o.units
        if only_units is None or u.unit.id in only_units.get(o.rubric.id, ())
    ]
    pages += render_units(pages_of_units, out, units, workers, progress)
    return pages


def _has_self_scores(u: Any) -> bool:
    stack = list(u.score.categories)
    while stack:
        n = stack.pop()
        if n.self_score is not None:
            return True
        stack.extend(n.children)
    return False
