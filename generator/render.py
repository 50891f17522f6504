"""Render: the one place Jinja is called. Page contexts in, Markdown files (raw HTML bodies) out.

Everything from the data reaches a page through :func:`escape_text`: HTML is escaped, ``{`` and ``}``
become entities (so no Jinja or MkDocs-macros syntax survives into the Markdown), and control
characters are dropped. Pages are one raw HTML block, which Markdown passes through untouched, so
no data is ever read as Markdown either. Titles in front matter are escaped too: Material writes
``page.meta.title`` into the HTML unescaped.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import signal
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import site, views
from .downloads import unit_json_bytes, write_downloads
from .models import Notice, Rubric
from .outcome import AssessmentOutcome

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "{": "&#123;", "}": "&#125;"})


def escape_text(value: str) -> str:
    """Data text as inert HTML: escaped, braces as entities, control characters removed."""
    return _CONTROL.sub("", value).translate(_ENTITIES)


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(escape_text(value))


def _join_text(values: Iterable[Any], separator: str = "、") -> Markup:
    return Markup(escape_text(separator).join(escape_text(str(v)) for v in values))


def _front_title(value: str) -> Markup:
    """A front-matter title: escaped for HTML, then quoted as a YAML (JSON) string."""
    return Markup(json.dumps(escape_text(value), ensure_ascii=False))


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["join_text"] = _join_text
    env.filters["front_title"] = _front_title
    env.filters["pct1"] = lambda v: f"{float(v):.1f}"
    return env


@dataclass
class Renderer:
    templates: Path

    def __post_init__(self) -> None:
        self.env = make_environment(self.templates)

    def render(self, template: str, ctx: object) -> str:
        return self.env.get_template(template).render(ctx=ctx)


Progress = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
    return None


def write(out: Path, path: str, text: str) -> None:
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")


@dataclass
class _UnitJob:
    """What rendering the unit pages needs, computed once; forked workers inherit it."""

    outcomes: list[AssessmentOutcome]
    notices: dict[str, Notice]
    history: views.History
    stats: dict[str, views.PoolStats]
    show_self: dict[str, bool]
    templates: Path
    out: Path


_JOB: _UnitJob | None = None
#: Unit pages per task handed to a worker.
CHUNK = 100


def _render_units(chunk: tuple[int, int, int]) -> int:
    """Render units [start, stop) of assessment number ``index`` (in the parent, or a forked worker)."""
    index, start, stop = chunk
    job = _JOB
    assert job is not None
    renderer = Renderer(job.templates)
    outcome = job.outcomes[index]
    aid = outcome.rubric.id
    notice = job.notices.get(aid)
    for u in outcome.units[start:stop]:
        ctx = views.unit_context(outcome, u, job.stats[aid], job.history, notice, job.show_self[aid])
        write(job.out, ctx.path, renderer.render("unit.md.j2", ctx))
        target = job.out / site.unit_json(aid, u.unit.id)
        target.write_bytes(unit_json_bytes(outcome, u))
    return stop - start


def _worker_start() -> None:
    # The build turns SIGTERM into KeyboardInterrupt for its own cleanup; a pool worker must die plainly
    # on the SIGTERM the pool sends at shutdown, or it may stop holding the pool's queue lock.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def render_units(job: _UnitJob, workers: int, progress: Progress) -> int:
    """Every unit page and unit JSON, on ``workers`` processes when there are enough units to pay."""
    global _JOB
    chunks = [
        (i, start, min(start + CHUNK, len(o.units)))
        for i, o in enumerate(job.outcomes)
        for start in range(0, len(o.units), CHUNK)
    ]
    total = sum(len(o.units) for o in job.outcomes)
    done = 0
    _JOB = job
    try:
        if workers > 1 and total > 2 * CHUNK:
            # Fork: the workers share the scored outcomes copy-on-write instead of receiving them pickled.
            with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
                for count in pool.imap_unordered(_render_units, chunks):
                    done += count
                    progress("生成单位页面", done, total)
        else:
            for chunk in chunks:
                done += _render_units(chunk)
                progress("生成单位页面", done, total)
    finally:
        _JOB = None
    return total


def render_site(
    rubrics: Sequence[Rubric],
    outcomes: dict[str, AssessmentOutcome],
    notices: dict[str, Notice],
    templates: Path,
    out: Path,
    progress: Progress = _quiet,
    workers: int = 1,
) -> int:
    """Write every generated page and download into ``out`` (the docs folder); returns the page count.

    ``out`` receives ``assessments/…`` exactly as it will sit inside ``docs/``. Rubrics without results
    get their standards page only. Unit pages are rendered on ``workers`` processes.
    """
    renderer = Renderer(templates)
    history = views.History(outcomes)
    standards_only = [r for r in rubrics if r.id not in outcomes]
    pages = 0
    home = views.home_context(outcomes, notices, standards_only)
    write(out, site.HOME_PARTIAL, renderer.render("home.md.j2", home))
    write(out, site.assessment_index(), renderer.render("years.md.j2", views.years_context(outcomes, notices, standards_only)))
    pages += 1
    for r in standards_only:
        write(out, site.page(r.id, "standards"), renderer.render("standards.md.j2", views.standards_context(r, has_results=False)))
        pages += 1
    ordered = views.ordered(outcomes)
    for outcome in ordered:
        r = outcome.rubric
        notice = notices.get(r.id)
        write(out, site.page(r.id, "index"), renderer.render("overview.md.j2", views.overview_context(outcome, notice, outcomes, notices)))
        write(out, site.page(r.id, "standards"), renderer.render("standards.md.j2", views.standards_context(r, has_results=True)))
        write(out, site.page(r.id, "results"), renderer.render("results.md.j2", views.results_context(outcome, history, notice)))
        pages += 3
        if notice is not None:
            write(out, site.page(r.id, "notice"), renderer.render("notice.md.j2", views.notice_context(outcome, notice)))
            pages += 1
        write_downloads(outcome, out)
    job = _UnitJob(
        outcomes=ordered,
        notices=notices,
        history=history,
        stats={o.rubric.id: views.pool_stats(o) for o in ordered},
        show_self={o.rubric.id: any(_has_self_scores(u) for u in o.units) for o in ordered},
        templates=templates,
        out=out,
    )
    pages += render_units(job, workers, progress)
    return pages
def _has_self_scores(u: Any) -> bool:
    stack = list(u.score.categories)
    while stack:
        n = stack.pop()
        if n.self_score is not None:
            return True
        stack.extend(n.children)
    return False
