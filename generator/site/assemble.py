"""Assemble unit pages from one page MkDocs built, so that N unit pages do not cost N Material renders.

Every unit page of an assessment shares Material's chrome (header, navigation, scripts) with every other:
unit pages sit at the same depth and are not in the navigation. So MkDocs builds all the site's pages
except the units', plus one unit page per assessment (its *shell*); then each other unit's page is the
shell with its title and its content replaced. The content is the unit's own generated Markdown, which is
one raw HTML block that Markdown passes through unchanged. Their search entries are made by Material's own
search indexer from the page header, exactly as the search plugin would.

Plain ``mkdocs build`` (or ProperDocs, Zensical) still builds every unit page itself from ``docs/``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.engine.outcome import AssessmentOutcome
from generator.site import paths
from generator.site.cache import link_or_copy
from generator.site.mkdocs_hooks import VERBATIM_START
from generator.site.workers import Child, WorkerLost, stop_all
from generator.site.yearpaths import unit_workbook

CONTENT_START = "<!-- kaoping:content -->"
CONTENT_END = "<!-- /kaoping:content -->"


class AssembleError(Exception):
    """The shell page does not have the shape assembly needs (a template changed its markers)."""


def shell_units(outcomes: Iterable[AssessmentOutcome]) -> dict[str, str]:
    """The unit whose page MkDocs builds in full, per assessment: the first of its registry."""
    return {o.rubric.id: o.units[0].unit.id for o in outcomes if o.units}


def exclude_patterns(shells: dict[str, str]) -> str:
    """``exclude_docs`` lines that leave every unit page but the shells to assembly (gitignore syntax).

    The units' JSON files are left to it too: linking them costs nothing, MkDocs copies them one by one.
    """
    lines = [
        f"/{paths.GENERATED}/*/units/*.md",
        f"/{paths.GENERATED}/*/units/*.json",
        f"/{paths.GENERATED}/*/units/*.xlsx",
    ]
    lines += [f"!/{paths.unit_page(aid, uid)}" for aid, uid in sorted(shells.items())]
    return "\n".join(lines) + "\n"


#: Where assembly problems come from, and what to do about them.
_TEMPLATE = "site_templates/unit.md.j2"
_KEEP = f"恢复 {_TEMPLATE} 中的这一部分（可对照项目自带的模板）。"


def split_front_matter(markdown: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a generated unit page; the front matter is YAML written as JSON values.

    The page title is required: assembly puts each unit's own title into the shell.
    """
    end = markdown.find("\n---", 4) if markdown.startswith("---\n") else -1
    meta: dict[str, Any] = {}
    for line in markdown[4:end].splitlines() if end > 0 else ():
        if line.startswith("title: "):
            meta["title"] = json.loads(line[len("title: ") :])
    if "title" not in meta:
        raise AssembleError(
            f"单位页面模板 {_TEMPLATE} 生成的页面开头没有标题（--- title: … ---，由 front 宏写出）：{_KEEP}"
        )
    return meta, markdown[end + len("\n---") :].lstrip("\n")


def _markers(markdown_body: str) -> tuple[int, int]:
    start = markdown_body.find(CONTENT_START)
    end = markdown_body.find(CONTENT_END)
    if start < 0 or end < 0:
        raise AssembleError(f"单位页面模板 {_TEMPLATE} 缺少内容标记 {CONTENT_START} 或 {CONTENT_END}：{_KEEP}")
    return start, end


def content_of(markdown_body: str) -> str:
    start, end = _markers(markdown_body)
    return markdown_body[start + len(CONTENT_START) : end]


def heading_of(markdown_body: str) -> str:
    """The page's h1, which comes first (so that the search indexer makes one entry of the page)."""
    start, _end = _markers(markdown_body)
    if not markdown_body.startswith("<h1"):
        raise AssembleError(f"单位页面模板 {_TEMPLATE} 的正文应以 h1 标题开头，其后是内容标记 {CONTENT_START}：{_KEEP}")
    return markdown_body[:start]


#: A line break and the indentation after it: Material's templates leave many on every page.
_INDENT = re.compile(r"\n\s+")
#: Material's configuration for its scripts, written with every Chinese character escaped (\\uXXXX).
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)


def _config_in_utf8(match: re.Match[str]) -> str:
    text = json.dumps(json.loads(match[2]), ensure_ascii=False, separators=(",", ":"))
    return match[1] + text.replace("</", "<\\/") + match[3]


def compact(html: str) -> str:
    """The chrome of a unit page in fewer bytes, the same to a reader: line breaks without the indentation
    and blank lines after them (whitespace collapses to one space in HTML, and the chrome holds no ``<pre>``
    or ``<textarea>``), and Material's configuration in UTF-8 without spaces (the same JSON)."""
    return _CONFIG.sub(_config_in_utf8, _INDENT.sub("\n", html))


@dataclass
class Shell:
    """A built unit page cut around its title, its h1 and its content."""

    head: str
    tail: str
    title: str
    heading: str

    @classmethod
    def read(cls, html: str, title: str, heading: str, where: str = "") -> Shell:
        start = html.find(CONTENT_START)
        end = html.find(CONTENT_END)
        fix = "检查 mkdocs.yml 中是否有插件或 Markdown 扩展改写了页面的这一部分（例如去掉 HTML 注释）。"
        if start < 0 or end < 0:
            raise AssembleError(f"MkDocs 生成的单位页面 {where} 中找不到内容标记 {CONTENT_START}：{fix}")
        head = compact(html[: start + len(CONTENT_START)])
        if title not in head or heading.strip() not in head:
            raise AssembleError(f"MkDocs 生成的单位页面 {where} 中找不到页面标题和 h1：{fix}")
        return cls(head, compact(html[end:]), title, heading.strip())

    def page(self, title: str, heading: str, content: str) -> str:
        head = self.head.replace(self.title, title).replace(self.heading, heading.strip())
        return head + content + self.tail


@dataclass
class SearchPage:
    """What Material's search indexer reads of a page."""

    content: str
    url: str
    title: str
    meta: dict[str, Any]
    toc: tuple[()] = ()


_DICTIONARIES: set[tuple[str, str]] = set()


def load_search_dictionaries(root: Path) -> None:
    """Give jieba the dictionaries mkdocs.yml gives Material's search plugin (its ``jieba_dict`` and
    ``jieba_dict_user``), as the plugin does when MkDocs runs: unit entries made in a build that did not run
    MkDocs are segmented the same way. Once per process and file."""
    import jieba
    from mkdocs.config import load_config

    previous = Path.cwd()
    os.chdir(root)
    try:
        config = load_config(str(root / "mkdocs.yml"))
    finally:
        os.chdir(previous)
    plugin = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "search"), None)
    if plugin is None:
        return
    for option, load in (("jieba_dict", jieba.set_dictionary), ("jieba_dict_user", jieba.load_userdict)):
        name = plugin.config.get(option)
        path = (root / name).resolve() if name else None
        if path is not None and path.is_file() and (option, str(path)) not in _DICTIONARIES:
            load(str(path))
            _DICTIONARIES.add((option, str(path)))


def search_entries(pages: Iterable[SearchPage]) -> list[dict[str, Any]]:
    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex()
    for page in pages:
        index.add_entry_from_context(page)
    entries: list[dict[str, Any]] = index.entries
    return entries


class _EntryServer:
    """The entry maker's work, in its process: the dictionaries loaded at the first task, then each page's
    entries. A failure is raised in the build's process (:meth:`EntryMaker.entries`: the build then makes
    them itself, and says why if it fails there too)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ready = False

    def __call__(self, pages: list[SearchPage]) -> list[list[dict[str, Any]]]:
        if not self.ready:
            import jieba

            # jieba announces its dictionary loading on stderr (as in run_mkdocs).
            jieba.setLogLevel(logging.WARNING)
            load_search_dictionaries(self.root)
            self.ready = True
        return [search_entries([page]) for page in pages]


class EntryMaker:
    """Makes unit pages' search entries in a process of its own, started with the build: jieba's dictionaries
    (half a second) load there while the build reads, checks and scores the data, so that a build that makes
    few unit pages again does not wait for them. Many pages are made on several processes instead.

    Raises :class:`generator.site.workers.WorkerLost` when the system cannot start a process."""

    def __init__(self, root: Path) -> None:
        self.children: list[Child] = []
        self.waiting = 0
        try:
            self.child: Child | None = Child(_EntryServer(root), self.children)
            self._send([])  # the dictionaries loaded now
        except (WorkerLost, OSError):
            stop_all(self.children)  # its process and pipe given back
            raise

    def _send(self, pages: list[SearchPage]) -> None:
        assert self.child is not None
        self.child.pipe.send(pages)
        self.waiting += 1

    def entries(self, pages: list[SearchPage]) -> list[list[dict[str, Any]]] | None:
        """Each page's search entries, or None when this process cannot make them."""
        if self.child is None:
            return None
        try:
            self._send(pages)
            answer: list[list[dict[str, Any]]] = []
            while self.waiting:
                answer = self.child.answer()
                self.waiting -= 1
        except Exception:  # noqa: BLE001 - the process failed or ended: the build makes them itself
            self.stop()
            return None
        return answer

    def stop(self) -> None:
        if self.child is not None:
            self.child = None
            stop_all(self.children)


@contextlib.contextmanager
def entry_maker(root: Path, wanted: bool) -> Iterator[EntryMaker | None]:
    """An :class:`EntryMaker` while the block runs when ``wanted`` (and the system can start one), else None."""
    maker = None
    if wanted:
        with contextlib.suppress(WorkerLost, OSError):
            maker = EntryMaker(root)
    try:
        yield maker
    finally:
        if maker is not None:
            maker.stop()


def read_shell(site_dir: Path, docs_dir: Path, aid: str, shell_uid: str) -> Shell:
    """The shell of an assessment: its built page cut around what differs from unit to unit."""
    shell_md = (docs_dir / paths.unit_page(aid, shell_uid)).read_text(encoding="utf-8")
    meta, body = split_front_matter(shell_md)
    built = paths.html_path(paths.unit_page(aid, shell_uid))
    html = (site_dir / built).read_text(encoding="utf-8")
    return Shell.read(html, meta["title"], heading_of(body), built)


def unit_page(shell: Shell, markdown: str, url: str) -> tuple[str, SearchPage]:
    """A unit's finished HTML from its generated Markdown, and what the search indexer reads of it."""
    meta, body = split_front_matter(markdown)
    heading, content = heading_of(body), content_of(body)
    header = heading + content.split(VERBATIM_START, 1)[0]
    return shell.page(meta["title"], heading, content), SearchPage(header, url, meta["title"], meta)


def add_search_entries(site_dir: Path, entries: list[dict[str, Any]]) -> None:
    """Append entries to the search index MkDocs wrote, re-written in UTF-8 (half the size of \\u escapes)."""
    index_path = site_dir / "search" / "search_index.json"
    if index_path.is_file():
        index = json.loads(index_path.read_text(encoding="utf-8"))
        index["docs"].extend(entries)
        index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def assemble(site_dir: Path, docs_dir: Path, outcomes: Iterable[AssessmentOutcome], shells: dict[str, str]) -> int:
    """Write every non-shell unit page into ``site_dir`` and add their search entries; returns the count."""
    written = 0
    pages: list[SearchPage] = []
    for outcome in outcomes:
        aid = outcome.rubric.id
        shell_uid = shells.get(aid)
        if shell_uid is None:
            continue
        shell = read_shell(site_dir, docs_dir, aid, shell_uid)
        for u in outcome.units:
            link_or_copy(docs_dir / paths.unit_json(aid, u.unit.id), site_dir / paths.unit_json(aid, u.unit.id))
            link_or_copy(docs_dir / unit_workbook(aid, u.unit.id), site_dir / unit_workbook(aid, u.unit.id))
            if u.unit.id == shell_uid:
                continue
            path = paths.unit_page(aid, u.unit.id)
            html, page = unit_page(shell, (docs_dir / path).read_text(encoding="utf-8"), paths.html_path(path))
            (site_dir / paths.html_path(path)).write_text(html, encoding="utf-8")
            pages.append(page)
            written += 1
    add_search_entries(site_dir, search_entries(pages))
    return written
