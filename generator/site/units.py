"""Unit pages, their JSON and the downloads, made only where their key changed (see :mod:`generator.site.cache`).

Two steps, around MkDocs:

1. :meth:`UnitFiles.sources` puts each unit's Markdown and JSON into the staged ``docs/assessments``: a
   hard link to last build's file when the unit's key is the same, else rendered (on several processes).
   The full JSON follows, the units' JSON joined. The results CSV and XLSX (:meth:`UnitFiles.downloads`)
   are kept while the results table they hold is the same, else made beside the pages.
2. :meth:`UnitFiles.pages` puts each unit's HTML into the staged site: a link to last build's page when
   the unit's key and its assessment's shell (:mod:`generator.site.assemble`) are the same, else
   assembled from the Markdown. Material's search entries of the units are kept the same way.

Every file written is recorded with its key in :attr:`UnitFiles.written` for the next build.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from generator.data.pipeline import Prepared
from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site import paths, views
from generator.site.assemble import (
    Shell,
    add_search_entries,
    load_search_dictionaries,
    read_shell,
    search_entries,
    shell_units,
    unit_page,
)
from generator.site.cache import CACHE_DIR, Record, UnitKeys, digest, link_or_copy
from generator.site.downloads import _unit_json_prefix, csv_bytes, results_frame, unit_json_bytes
from generator.site.export import assessment_data, to_json
from generator.site.render import TemplateFailure, UnitPages, template_error_words
from generator.site.resultbook import results_workbook
from generator.site.yeardownloads import write_unit_workbook
from generator.site.yearpaths import unit_workbook

#: Units per task handed to a worker.
CHUNK = 100
ENTRIES = "search-entries.json"
Count = Callable[[str, int, int], None]


def _quiet(step: str, done: int, total: int) -> None:
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
    # The build turns SIGTERM into KeyboardInterrupt for its own cleanup; a pool worker must die plainly
    # on the SIGTERM the pool sends at shutdown, or it may stop holding the pool's queue lock.
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
            with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
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


#: From this many units on, the downloads are made in a process of their own.
BACKGROUND_UNITS = 2000
_MAKE: list[tuple[Path, Callable[[], bytes]]] = []


def _make_all() -> None:
    for target, make in _MAKE:
        target.write_bytes(make())


class Background:
    """Files made beside the rest of the build: in a forked process, or here and now when not worth one."""

    def __init__(self, todo: list[tuple[Path, Callable[[], bytes]]], fork: bool) -> None:
        global _MAKE
        self.pool: Any = None
        self.pending: Any = None
        if not todo or not fork:
            for target, make in todo:
                target.write_bytes(make())
            return
        _MAKE = todo
        try:
            self.pool = multiprocessing.get_context("fork").Pool(1, initializer=_worker_start)
        finally:
            _MAKE = []
        self.pending = self.pool.apply_async(_make_all)

    def wait(self) -> None:
        """Until the files are written; raises what making them raised."""
        if self.pool is None:
            return
        try:
            self.pending.get()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


@dataclass
class UnitFiles:
    """The unit files of one build, and what it reused (see the module's docstring)."""

    root: Path
    prepared: Prepared
    keys: UnitKeys
    record: Record
    pages: UnitPages
    workers: int = 1
    count: Count = _quiet
    #: The units this build makes (all unless a shard builds a part).
    chosen: Callable[[str, UnitOutcome], bool] = lambda aid, u: True
    written: dict[str, str] = field(default_factory=dict)
    remade: list[tuple[str, str]] = field(default_factory=list)
    reused: int = 0
    entries: dict[str, list[Any]] = field(default_factory=dict)
    #: Search entries already made (the shards'), instead of the cache's.
    known: dict[str, list[Any]] | None = None
    #: The search box's index of this build (a :class:`generator.site.searchcache.Index`), kept after it.
    search: Any = None
    #: The folders this build made (thousands of units share a few).
    folders: set[Path] = field(default_factory=set)

    def _folder(self, path: Path) -> None:
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)

    def units(self) -> list[tuple[AssessmentOutcome, UnitOutcome]]:
        """The units this build makes: the chosen ones, and every assessment's shell (MkDocs lays it out)."""
        shells = shell_units(self.prepared.outcomes.values())
        return [
            (o, u)
            for o in views.ordered(self.prepared.outcomes)
            for u in o.units
            if self.chosen(o.rubric.id, u) or shells.get(o.rubric.id) == u.unit.id
        ]

    # ----------------------------------------------------------------------------------------
    # Markdown and JSON, before MkDocs
    # ----------------------------------------------------------------------------------------

    def sources(self, docs: Path, with_downloads: bool = True) -> None:
        """Every chosen unit's Markdown and JSON into ``docs`` (the staged docs folder), then the downloads."""
        todo: list[tuple[str, UnitOutcome]] = []
        for outcome, u in self.units():
            aid, uid = outcome.rubric.id, u.unit.id
            key = self.keys.of(aid, uid)
            # The unit's page, its JSON and its workbook (items, reasons, claims, letters, tasks), as the page links.
            files = (paths.unit_page(aid, uid), paths.unit_json(aid, uid), unit_workbook(aid, uid))
            old = [self.record.reusable(f"docs/{f}", key) for f in files]
            if all(p is not None for p in old):
                self._folder(docs / files[0])
                for path, f in zip(old, files, strict=True):
                    link_or_copy(path, docs / f)  # type: ignore[arg-type]
                self.reused += 1
            else:
                todo.append((aid, u))
                self.remade.append((aid, uid))
            for f in files:
                self.written[f"docs/{f}"] = key
        for o in self.prepared.outcomes.values():
            (docs / paths.unit_json(o.rubric.id, "_")).parent.mkdir(parents=True, exist_ok=True)
        pages = self.pages

        def render(item: tuple[str, UnitOutcome]) -> None:
            aid, u = item
            path, text = pages.markdown(aid, u)
            (docs / path).write_text(text, encoding="utf-8", newline="\n")
            (docs / paths.unit_json(aid, u.unit.id)).write_bytes(unit_json_bytes(pages.outcomes[aid], u))
            write_unit_workbook(pages.outcomes[aid], u, docs)

        in_parallel(render, todo, self.workers, "生成单位页面", self.count)
        if with_downloads:
            self.joined(docs)

    def downloads(self, docs: Path) -> Background:
        """Each assessment's CSV and XLSX, kept while the results table they hold is the same. Those made again
        are made beside the rest of the build, in a forked process when the assessments are big (the results
        workbook of 10,000 units takes seconds); ``wait()`` on what this returns before ``docs`` moves."""
        todo: list[tuple[Path, Callable[[], bytes]]] = []
        units = 0
        for o in self.prepared.outcomes.values():
            r = o.rubric
            units += len(o.units)
            csv_file, xlsx_file, _ = paths.downloads(r.id)
            frame = results_frame(o)
            key = digest(self.keys.base, repr(r), repr(o.sample), frame.to_csv(index=False))
            note = DOWNLOAD_NOTE if o.sample is not None else ""
            made = {
                csv_file: partial(csv_bytes, frame, note),
                xlsx_file: partial(results_workbook, o),
            }
            for name, make in made.items():
                target = docs / name
                target.parent.mkdir(parents=True, exist_ok=True)
                old = self.record.reusable(f"docs/{name}", key)
                if old is not None:
                    link_or_copy(old, target)
                else:
                    todo.append((target, make))
                self.written[f"docs/{name}"] = key
        return Background(todo, fork=units >= BACKGROUND_UNITS and self.workers > 1)

    def joined(self, docs: Path) -> None:
        """Each assessment's full JSON, joined from the units' JSON files in ``docs``."""
        for o in self.prepared.outcomes.values():
            json_file = paths.downloads(o.rubric.id)[2]
            write_joined_json(o, docs, json_file)
            self.written[f"docs/{json_file}"] = ""

    # ----------------------------------------------------------------------------------------
    # HTML, after MkDocs
    # ----------------------------------------------------------------------------------------

    def shells(self, site_dir: Path, docs: Path, shells: dict[str, str]) -> dict[str, Shell]:
        return {aid: read_shell(site_dir, docs, aid, uid) for aid, uid in shells.items()}

    def html(self, site_dir: Path, docs: Path, shells: dict[str, Shell], shell_ids: dict[str, str]) -> None:
        """Every chosen unit's page into ``site_dir`` (the shells are MkDocs' own), its JSON linked beside it,
        and the units' entries added to Material's search index."""
        known = self.known if self.known is not None else self._known_entries()
        todo: list[tuple[str, str, str, bool]] = []
        shell_keys = {aid: digest(s.head, s.tail, s.title, s.heading) for aid, s in shells.items()}
        order: list[tuple[str, bool]] = []
        for outcome, u in self.units():
            aid, uid = outcome.rubric.id, u.unit.id
            key = self.keys.of(aid, uid)
            page = paths.html_path(paths.unit_page(aid, uid))
            json_file = paths.unit_json(aid, uid)
            self._folder(site_dir / json_file)
            link_or_copy(docs / json_file, site_dir / json_file)
            self.written[f"site/{json_file}"] = key
            workbook = unit_workbook(aid, uid)
            link_or_copy(docs / workbook, site_dir / workbook)
            self.written[f"site/{workbook}"] = key
            is_shell = shell_ids.get(aid) == uid
            order.append((page, is_shell))
            cached = known.get(page)
            if isinstance(cached, list) and cached and cached[0] == key:
                self.entries[page] = cached
            write = False
            if not is_shell:
                html_key = digest(key, shell_keys[aid])
                self.written[f"site/{page}"] = html_key
                old = self.record.reusable(f"site/{page}", html_key)
                if old is not None:
                    link_or_copy(old, site_dir / page)
                else:
                    write = True
            if write or page not in self.entries:
                todo.append((aid, uid, key, write))

        def assemble_one(item: tuple[str, str, str, bool]) -> tuple[str, list[Any]]:
            aid, uid, key, write = item
            path = paths.unit_page(aid, uid)
            url = paths.html_path(path)
            html, page = unit_page(shells[aid], (docs / path).read_text(encoding="utf-8"), url)
            if write:
                (site_dir / url).write_text(html, encoding="utf-8")
            return url, [key, search_entries([page])]

        if todo:
            load_search_dictionaries(self.root)
        for url, entry in in_parallel(assemble_one, todo, self.workers, "组装单位页面", self.count):
            self.entries[url] = entry
        # The shells' entries MkDocs' search plugin made itself.
        add_search_entries(site_dir, [e for page, is_shell in order if not is_shell for e in self.entries[page][1]])
        self._keep_entries()

    def _known_entries(self) -> dict[str, Any]:
        try:
            data = json.loads((self.root / CACHE_DIR / ENTRIES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("base") != self.keys.base or not isinstance(data.get("units"), dict):
            return {}
        units: dict[str, Any] = data["units"]
        return units

    def _keep_entries(self) -> None:
        folder = self.root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            text = json.dumps(
                {"base": self.keys.base, "units": self.entries}, ensure_ascii=False, separators=(",", ":")
            )
            (folder / ENTRIES).write_text(text, encoding="utf-8")
        except OSError:
            pass


def write_joined_json(outcome: AssessmentOutcome, docs: Path, json_file: str) -> None:
    """The assessment's full JSON: its particulars, then each unit's part, taken from the units' JSON files
    (a unit's file is the same text with the assessment's particulars in front)."""
    head = to_json(assessment_data(outcome, units=[]), compact=True).rstrip("\n")
    assert head.endswith(',"units":[]}')
    prefix = _unit_json_prefix(outcome).encode("utf-8")
    target = docs / json_file
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        out.write(head[: -len("]}")].encode("utf-8"))
        for i, u in enumerate(outcome.units):
            data = (docs / paths.unit_json(outcome.rubric.id, u.unit.id)).read_bytes()
            assert data.startswith(prefix)
            out.write((b"," if i else b"") + b"{" + data[len(prefix) :].rstrip(b"\n"))
        out.write(b"]}\n")
