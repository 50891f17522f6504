"""Shared by the site tests: one built copy of the bundled data per session, and a tiny HTML tree.

``built_site()`` copies the project's data and site sources (rubrics/, results/, docs/ without the
generated docs/assessments, site_templates/, mkdocs.yml, generator/site/mkdocs_hooks.py) into a temporary
folder, builds it once with :func:`generator.site.build.build` and returns it with the engine's outcomes.
Each test module asks for it through a session fixture of its own; the build itself is cached here,
so the whole test session builds the bundled site once.

When no bundled results folder has a notice (``notice.yml``), the copy gets one for the newest
assessment, so that a notice page is built, validated, printed and checked like every other page.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from generator.data.pipeline import Prepared, prepare
from generator.site import views
from generator.site.build import TEMP_PREFIX, BuildResult, Progress, build

ROOT = Path(__file__).resolve().parent.parent
#: What a site build reads, relative to the project root (folders and files).
SOURCE_FOLDERS = ("rubrics", "results", "docs", "site_templates")
SOURCE_FILES = ("mkdocs.yml", "generator/site/mkdocs_hooks.py")


def copy_project(dest: Path, source: Path = ROOT, *, data: bool = True) -> Path:
    """Copy what a build reads from ``source`` to ``dest``, keeping the layout; generated pages stay behind.

    ``data=False`` leaves rubrics/ and results/ out, for a test that writes its own.
    """
    dest.mkdir(parents=True, exist_ok=True)
    skip = shutil.ignore_patterns(TEMP_PREFIX + "*", "__pycache__")
    for name in SOURCE_FOLDERS:
        if not data and name in ("rubrics", "results"):
            continue
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, ignore=skip)
    shutil.rmtree(dest / "docs" / "assessments", ignore_errors=True)
    for name in SOURCE_FILES:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, dest / name)
    return dest


def notice_yaml(issuer: str, year: int) -> str:
    """A complete notice for a test copy: every field the notice page shows."""
    data = {
        "issuer": issuer,
        "number": f"考核〔{year + 1}〕1号",
        "title": f"关于{year}年度党建工作考核结果的通报",
        "recipients": "各基层党组织：",
        "date": f"{year + 1}-01-20",
        "closing": ["希望受到通报表扬的单位珍惜荣誉、再接再厉；未达标的单位要认真整改。"],
        "publicity": {
            "start": f"{year + 1}-01-21",
            "end": f"{year + 1}-01-27",
            "contact": "考核办公室",
            "phone": "0000-0000000",
        },
        "copy_to": ["各联络组"],
        "printed_by": f"{issuer}办公室",
        "printed_date": f"{year + 1}-01-21",
        "show_scores": True,
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def add_notice_if_missing(root: Path) -> str:
    """The id of an assessment with a notice: a bundled one, or the newest assessment given a notice."""
    results = root / "results"
    bundled = sorted(p.parent.name for p in results.glob("*/notice.y*ml"))
    if bundled:
        return bundled[0]
    prepared = prepare(root)
    assert prepared.outcomes, "示例数据没有任何考核结果"
    newest = views.ordered(prepared.outcomes)[0].rubric
    (results / newest.id / "notice.yml").write_text(notice_yaml(newest.issuer, newest.year), encoding="utf-8")
    return newest.id


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass
class BuiltSite:
    root: Path
    result: BuildResult
    prepared: Prepared
    #: The assessment whose notice page exists.
    notice_id: str
    #: site/ right after the first build.
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def site(self) -> Path:
        return self.root / "site"


@functools.cache
def built_site() -> BuiltSite:
    scratch = Path(tempfile.mkdtemp(prefix="kaoping-site-test-"))
    atexit.register(shutil.rmtree, scratch, True)
    root = copy_project(scratch / "project")
    notice_id = add_notice_if_missing(root)
    result = build(root, progress=Progress(quiet=True))
    assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
    prepared = prepare(root)
    assert not prepared.problems.has_errors()
    return BuiltSite(root, result, prepared, notice_id, digests(root / "site"))


# --------------------------------------------------------------------------------------------
# A tiny HTML tree (html.parser), enough for structural assertions
# --------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        def ok(e: Element) -> bool:
            if tag is not None and e.tag != tag:
                return False
            if cls is not None and cls not in e.classes:
                return False
            return all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())

        return [e for e in self.iter() if ok(e)]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"找不到元素 {tag or ''}.{cls or ''} {attrs}"
        return found[0]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def cells(self) -> list[Element]:
        return [c for c in self.children if isinstance(c, Element) and c.tag in ("td", "th")]

    def following(self, predicate: Callable[[Element], bool]) -> Element:
        """The first element after this one (in document order, outside it) that matches."""
        root = self
        while root.parent is not None:
            root = root.parent
        seen = False
        inside = set(map(id, self.iter()))
        for e in root.iter():
            if e is self:
                seen = True
                continue
            if seen and id(e) not in inside and predicate(e):
                return e
        raise AssertionError(f"{self.tag} 之后找不到要找的元素")


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def split_front_matter(markdown: str) -> tuple[dict[str, object], str]:
    """A generated page: (its front matter, the rest), read exactly as MkDocs reads them."""
    from mkdocs.utils.meta import get_data

    rest, meta = get_data(markdown)
    return meta, rest
