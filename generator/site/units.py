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
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.data.pipeline import Prepared
from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site import paths, views
from generator.site.adopted import Adopted
from generator.site.assemble import (
    EntryMaker,
    SearchPage,
    Shell,
    add_search_entries,
    load_search_dictionaries,
    read_shell,
    search_entries,
    shell_units,
    unit_page,
)
from generator.site.background import Background
from generator.site.cache import CACHE_DIR, Record, UnitKeys, digest
from generator.site.collector import give_back
from generator.site.downloads import (
    csv_text,
    csv_with_note,
    joined_frame,
    results_frame,
    unit_json_bytes,
    write_joined_json,
)
from generator.site.export import summary_rows
from generator.site.render import UnitPages
from generator.site.resultbook import results_book, results_frames
from generator.site.template_errors import template_words
from generator.site.workers import CHUNK, Count, in_parallel, quiet
from generator.site.yeardownloads import write_unit_workbook
from generator.site.yearpaths import unit_workbook

ENTRIES = "search-entries.json"
#: From this many units on, the downloads are made in a process of their own (:class:`Background`).
BACKGROUND_UNITS = 2000


@dataclass
class UnitFiles:
    """The unit files of one build, and what it reused (see the module's docstring)."""

    root: Path
    prepared: Prepared
    keys: UnitKeys
    record: Record
    pages: UnitPages
    workers: int = 1
    count: Count = quiet
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
    #: Makes a few pages' search entries while the build does the rest (see :meth:`_assembled`).
    maker: EntryMaker | None = None
    #: The folders this build made (thousands of units share a few).
    folders: set[str] = field(default_factory=set)
    #: For a merge (whose record is the shards'): the record of the last site built here, to say what changed.
    since: Record | None = None
    #: A whole build takes the last build's units folders of docs/ whole (:mod:`generator.site.adopted`).
    adopted: Adopted | None = None

    def _folder(self, path: str) -> None:
        """Make the folder of ``path`` (a string: the loops over units join thousands of paths)."""
        parent = os.path.dirname(path)
        if parent not in self.folders:
            os.makedirs(parent, exist_ok=True)
            self.folders.add(parent)

    def units(self) -> list[tuple[AssessmentOutcome, UnitOutcome]]:
        """The units this build makes: the chosen ones, and every assessment's shell (MkDocs lays it out)."""
        shells = shell_units(self.prepared.outcomes.values())
        return [
            (o, u)
            for o in views.ordered(self.prepared.outcomes)
            for u in o.units
            if self.chosen(o.rubric.id, u) or shells.get(o.rubric.id) == u.unit.id
        ]

    def to_remake(self) -> int:
        """How many units the last build's record holds under another key or not at all: about what
        :meth:`sources` makes again (a file changed since it was written adds one)."""
        return sum(self._unlike(self.record, o.rubric.id, u.unit.id) for o, u in self.units())

    def _unlike(self, record: Record, aid: str, uid: str) -> bool:
        """Whether ``record`` holds the unit's page under another key than this build's, or not at all."""
        known = record.files.get(f"docs/{paths.unit_page(aid, uid)}")
        return known is None or known[0] != self.keys.of(aid, uid)

    def changes_words(self) -> str:
        """What this build makes again, in the clerk's words: how many units' pages, and which."""
        if self.since is not None:
            return self._merge_words(self.since)
        if not self.reused:
            return f"单位页面：全部 {len(self.remade)} 个重新生成"
        names = self._names()
        changed = f"，重新生成：{_listed(names, self.remade)}" if self.remade else ""
        for words in self._gone(names, self.record):
            changed += f"；{words}"
        changed = changed or "，没有单位的数据变化"
        return f"单位页面：{self.reused} 个与上次相同{changed}"

    def _merge_words(self, since: Record) -> str:
        """A merge's pages: how many came from the shards and how many it made itself; and which units' pages
        changed since the last site built here (the shards' keys say nothing about that)."""
        made = f"，{len(self.remade)} 个由合并生成" if self.remade else ""
        said = f"单位页面：{self.reused} 个取自分片{made}"
        if not since.files:
            return said + "（这里没有上次生成网站的记录，不与上次比较）"
        names = self._names()
        changed = [k for k in names if self._unlike(since, *k)]
        # A unit's page changes with its data, its group, the templates or kaoping itself: "pages", not "data".
        words = [f"页面有变化的单位：{_listed(names, changed)}"] if changed else []
        if changed and len(changed) == len(names):
            words = [f"全部 {len(names)} 个单位的页面都有变化（数据、模板或 kaoping 的版本变了）"]
        words += self._gone(names, since)
        return f"{said}；与上次的网站相比，{'；'.join(words) or '没有单位的页面变化'}"

    def _names(self) -> dict[tuple[str, str], str]:
        return {(o.rubric.id, u.unit.id): u.unit.name for o in self.prepared.outcomes.values() for u in o.units}

    def _gone(self, units: Mapping[tuple[str, str], str], record: Record) -> list[str]:
        """What ``record`` (the last build's) made pages for and this build does not (removed from the data), in
        words: units by code (with their assessment's when the last build or this one had more than one), and
        whole assessments."""
        start = f"docs/{paths.GENERATED}/"
        had: set[tuple[str, str]] = set()
        for rel in record.files:
            if rel.startswith(start) and rel.endswith(".md"):
                parts = rel[len(start) : -len(".md")].split("/")
                if len(parts) == 3 and parts[1] == "units":
                    had.add((parts[0], parts[2]))
        before, now = {aid for aid, _ in had}, set(self.prepared.outcomes)
        gone = sorted(k for k in had - set(units) if k[0] in now)
        shown = [f"{uid}（考核 {aid}）" if len(before | now) > 1 else uid for aid, uid in gone]
        words = []
        if shown:
            more = f" 等 {len(shown)} 个" if len(shown) > 10 else ""
            words.append(f"上次有、这次没有的单位：{'、'.join(shown[:10])}{more}")
        if before - now:
            words.append(f"上次有、这次没有的考核：{'、'.join(sorted(before - now))}")
        return words

    def release(self) -> None:
        """Let go of the scored results once every page is made and the search index has its documents: the
        rest of the build needs only the files, and at 100,000 units the results are over a gigabyte."""
        self.prepared.outcomes.clear()
        self.prepared.assessments.clear()
        self.pages.release()

    # ----------------------------------------------------------------------------------------
    # Markdown and JSON, before MkDocs
    # ----------------------------------------------------------------------------------------

    def sources(self, docs: Path, with_downloads: bool = True) -> None:
        """Every chosen unit's Markdown and JSON into ``docs`` (the staged docs folder), then the downloads."""
        todo: list[tuple[str, UnitOutcome]] = []
        into = os.path.join(str(docs), "")
        record, written = self.record, self.written
        adopted = self.adopted
        if adopted is not None:
            adopted.take(self.prepared.outcomes)
        for outcome, u in self.units():
            aid, uid = outcome.rubric.id, u.unit.id
            key = self.keys.of(aid, uid)
            files = _unit_files(aid, uid)
            if adopted is not None and aid in adopted.moved:
                same = adopted.kept([f"docs/{f}" for f in files], key)
            else:
                old = [record.found(f"docs/{f}", key) for f in files]
                same = None not in old
                if same:
                    self._folder(into + files[0])
                    for found, f in zip(old, files, strict=True):
                        record.link(f"docs/{f}", found, into + f)  # type: ignore[arg-type]
            if same:
                self.reused += 1
            else:
                todo.append((aid, u))
                self.remade.append((aid, uid))
            for f in files:
                written[f"docs/{f}"] = key
        if adopted is not None:
            adopted.sweep(written)
        for o in self.prepared.outcomes.values():
            (docs / paths.unit_json(o.rubric.id, "_")).parent.mkdir(parents=True, exist_ok=True)
        pages = self.pages

        def render(item: tuple[str, UnitOutcome]) -> None:
            aid, u = item
            if adopted is not None and aid in adopted.moved:  # written anew, never into the last build's file
                adopted.drop(_unit_files(aid, u.unit.id))
            path, text = pages.markdown(aid, u)
            (docs / path).write_text(text, encoding="utf-8", newline="\n")
            (docs / paths.unit_json(aid, u.unit.id)).write_bytes(unit_json_bytes(pages.outcomes[aid], u))
            write_unit_workbook(pages.outcomes[aid], u, docs)

        if todo:
            pages.warm()  # the templates compiled once, before any workers are forked
        in_parallel(template_words(render), todo, self.workers, "生成单位页面", self.count)
        if with_downloads:
            self.joined(docs)

    def downloads(self, docs: Path, background: Background) -> None:
        """Each assessment's CSV and XLSX, kept while the results table they hold is the same. A CSV made again
        is written here; a workbook made again is made by ``background`` (its process, when the assessments are
        big: the results workbook of 10,000 units takes seconds, else here and now); ``wait()`` on it before
        ``docs`` moves. The workbook's tables are made here and sent to that process."""
        units = sum(len(o.units) for o in self.prepared.outcomes.values())
        if units < BACKGROUND_UNITS or self.workers < 2:
            background.stop()
        for o in self.prepared.outcomes.values():
            self._downloads_of(o, docs, background)
        background.done_adding()
        give_back()  # what making the tables freed, back before the render workers are forked (the tables
        # themselves may still be on their way to the downloads' process)

    def _downloads_of(self, o: AssessmentOutcome, docs: Path, background: Background) -> None:
        csv_file, xlsx_file, _ = paths.downloads(o.rubric.id)
        summary = summary_rows(o)
        # The CSV's text, made once: for the key and for the file (the table itself is not kept). The file is
        # written here, at once: sent to the downloads' process it would be held twice until sent (at 100,000
        # units, a hundred megabytes more at the build's peak).
        text = csv_text(results_frame(o, summary))
        key = digest(self.keys.base, repr(o.rubric), repr(o.sample), text)
        target = docs / csv_file
        if not self._reused(csv_file, key, target):
            target.write_bytes(csv_with_note(text, DOWNLOAD_NOTE if o.sample is not None else ""))
        del text  # gone before the workbook's tables are made
        target = docs / xlsx_file
        if not self._reused(xlsx_file, key, target):
            frames = results_frames(o, summary)
            del summary
            background.add(target, results_book, (frames, o.sample is not None, target.parent))

    def _reused(self, name: str, key: str, target: Path) -> bool:
        """The last build's ``name`` (made from ``key``) taken as ``target`` (:meth:`Record.take`); the file is
        recorded as made from ``key`` either way."""
        target.parent.mkdir(parents=True, exist_ok=True)
        self.written[f"docs/{name}"] = key
        return self.record.take(f"docs/{name}", key, str(target))

    def joined(self, docs: Path) -> None:
        """Each assessment's full JSON, joined from the units' JSON files in ``docs``; the last build's file (and
        so its ``.gz``) where the assessment's particulars and every unit's key are the same."""
        for o in self.prepared.outcomes.values():
            aid = o.rubric.id
            json_file = paths.downloads(aid)[2]
            frame = joined_frame(o)
            units = (f"{u.unit.id}\n{self.keys.of(aid, u.unit.id)}" for u in o.units)
            key = digest(self.keys.base, *frame, *units)
            target = docs / json_file
            target.parent.mkdir(parents=True, exist_ok=True)
            if not self.record.take(f"docs/{json_file}", key, str(target)):
                write_joined_json(o, docs, json_file, frame)
            self.written[f"docs/{json_file}"] = key

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
        into, source = os.path.join(str(site_dir), ""), os.path.join(str(docs), "")
        record, written = self.record, self.written
        for outcome, u in self.units():
            aid, uid = outcome.rubric.id, u.unit.id
            key = self.keys.of(aid, uid)
            page = paths.html_path(paths.unit_page(aid, uid))
            # The unit's JSON and workbook: the very files of docs/ (see sources).
            for name in (paths.unit_json(aid, uid), unit_workbook(aid, uid)):
                self._folder(into + name)
                record.link_like(f"site/{name}", f"docs/{name}", source + name, into + name)
                written[f"site/{name}"] = key
            is_shell = shell_ids.get(aid) == uid
            order.append((page, is_shell))
            cached = known.get(page)
            if type(cached) is list and len(cached) == 2 and cached[0] == key and type(cached[1]) is list:
                self.entries[page] = cached
            write = False
            if not is_shell:
                html_key = digest(key, shell_keys[aid])
                written[f"site/{page}"] = html_key
                write = not record.take(f"site/{page}", html_key, into + page)
            if write or page not in self.entries:
                todo.append((aid, uid, key, write))

        def page_of(item: tuple[str, str, str, bool]) -> tuple[str, str, SearchPage]:
            aid, uid, key, write = item
            path = paths.unit_page(aid, uid)
            url = paths.html_path(path)
            html, page = unit_page(shells[aid], (docs / path).read_text(encoding="utf-8"), url)
            if write:
                (site_dir / url).write_text(html, encoding="utf-8")
            return url, key, page

        def assemble_one(item: tuple[str, str, str, bool]) -> tuple[str, list[Any]]:
            url, key, page = page_of(item)
            return url, [key, search_entries([page])]

        for url, entry in self._assembled(todo, page_of, assemble_one):
            self.entries[url] = entry
        # The shells' entries MkDocs' search plugin made itself.
        add_search_entries(site_dir, [e for page, is_shell in order if not is_shell for e in self.entries[page][1]])
        self._keep_entries()

    def _assembled(self, todo: list[Any], page_of: Callable[[Any], tuple[str, str, SearchPage]],
                   assemble_one: Callable[[Any], tuple[str, list[Any]]]) -> list[tuple[str, list[Any]]]:
        """Each page of ``todo`` assembled, with its search entries: a few pages' entries from the entry maker
        when there is one (:class:`generator.site.assemble.EntryMaker`), many on several processes."""
        maker, self.maker = self.maker, None
        if maker is not None:
            try:
                if todo and len(todo) <= 2 * CHUNK:
                    made = [page_of(item) for item in todo]
                    self.count("组装单位页面", len(todo), len(todo))
                    each = maker.entries([page for _url, _key, page in made])
                    if each is None:
                        load_search_dictionaries(self.root)
                        each = [search_entries([page]) for _url, _key, page in made]
                    return [(url, [key, entries]) for (url, key, _page), entries in zip(made, each, strict=True)]
            finally:
                maker.stop()
        if todo:
            load_search_dictionaries(self.root)
        return in_parallel(assemble_one, todo, self.workers, "组装单位页面", self.count)

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


def _unit_files(aid: str, uid: str) -> tuple[str, str, str]:
    """A unit's page, its JSON and its workbook (items, reasons, claims, letters, tasks), as the page links."""
    return paths.unit_page(aid, uid), paths.unit_json(aid, uid), unit_workbook(aid, uid)


def _listed(names: Mapping[tuple[str, str], str], units: list[tuple[str, str]]) -> str:
    """Units by name and code (and assessment, when there is more than one), the first ten, and how many in all
    beyond ten."""
    several = len({aid for aid, _ in names}) > 1
    shown = "、".join(f"{names[k]}（{k[1]}，考核 {k[0]}）" if several else f"{names[k]}（{k[1]}）" for k in units[:10])
    return shown + (f"等 {len(units)} 个" if len(units) > 10 else "")
