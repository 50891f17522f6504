"""Every template's data is documented: docs/reference/templates.md lists each page context and every field.

A field added to a context (a dataclass in generator/site/views/ or generator/site/charts.py) without a row
on that page fails here, as does a row for a field that no longer exists: an office changing a template
reads the page, not the Python.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.engine.models import Rubric
from generator.engine.results import Notice
from generator.site import views
from generator.site.views.office import LetterContext, OfficeYearContext

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reference" / "templates.md"

#: Each template and the object it receives as ``ctx`` (or ``row`` for a row of the unit's table).
TEMPLATE_CONTEXTS: dict[str, type] = {
    "home.md.j2": views.HomeContext,
    "years.md.j2": views.YearsContext,
    "overview.md.j2": views.OverviewContext,
    "standards.md.j2": views.StandardsContext,
    "results.md.j2": views.ResultsContext,
    "unit.md.j2": views.UnitContext,
    "_unit_row.j2": views.ItemRow,
    "_unit_search.j2": views.UnitHead,
    "notice.md.j2": views.NoticeContext,
    "year.md.j2": OfficeYearContext,
    "letter.md.j2": LetterContext,
}
#: The data files themselves: documented by their keys in the rubric's and the notice's references.
DATA_FILES = {Rubric: "rubric.md", Notice: "notice.md"}

_HEADING = re.compile(r"^#{2,3} .*`(\w+)`\s*$")
_ROW = re.compile(r"^\| `(\w+)(?:\([^`]*\))?` \| ([^|]*) \| ([^|]*) \|$")
_TEMPLATE_ROW = re.compile(r"^\| `([\w.]+\.j2)` \| [^|]* \| `(\w+)`")


def documented(text: str) -> dict[str, dict[str, str]]:
    """Class name → {field name → description}, from the page's headings and tables."""
    out: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = out.setdefault(heading.group(1), {})
            continue
        if line.startswith("#"):
            current = None
            continue
        row = _ROW.match(line)
        if row and current is not None:
            current[row.group(1)] = row.group(3).strip()
    return out


def template_table(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for line in text.splitlines() if (m := _TEMPLATE_ROW.match(line))}


def _types_in(hint: object) -> Iterator[type]:
    if isinstance(hint, type):
        yield hint
    for arg in typing.get_args(hint):
        yield from _types_in(arg)
    if isinstance(hint, types.UnionType):
        for arg in hint.__args__:
            yield from _types_in(arg)


def reachable(roots: typing.Iterable[type]) -> list[type]:
    """The dataclasses a template can reach from its context, through fields, lists and optional values."""
    seen: list[type] = []
    todo = list(roots)
    while todo:
        cls = todo.pop(0)
        if cls in seen or not dataclasses.is_dataclass(cls) or cls in DATA_FILES:
            continue
        seen.append(cls)
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            todo.extend(_types_in(hints[f.name]))
    return seen


def problems(cls: type, rows: dict[str, str] | None) -> list[str]:
    """What is wrong with the documentation of ``cls``: missing, undocumented fields, stale rows, empty words."""
    if rows is None:
        return [f"{cls.__name__} 没有写进 {DOC.name}"]
    fields = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    out = [f"{cls.__name__}.{name} 没有说明" for name in fields if name not in rows]
    for name, words in rows.items():
        if name not in fields and not hasattr(cls, name):
            out.append(f"{cls.__name__}.{name} 写在说明里，但已经没有这个字段")
        if not words:
            out.append(f"{cls.__name__}.{name} 的说明是空的")
    return out


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_template_is_listed_with_its_context(doc: str) -> None:
    pages = {p.name for p in (ROOT / "site_templates").glob("*.j2") if not p.name.startswith("_")}
    assert pages <= set(TEMPLATE_CONTEXTS), f"这些模板没有列在 TEMPLATE_CONTEXTS 中：{pages - set(TEMPLATE_CONTEXTS)}"
    table = template_table(doc)
    assert table == {name: cls.__name__ for name, cls in TEMPLATE_CONTEXTS.items()}


def test_every_field_of_every_context_is_documented(doc: str) -> None:
    sections = documented(doc)
    classes = reachable(TEMPLATE_CONTEXTS.values())
    assert len(classes) > 20
    found = [p for cls in classes for p in problems(cls, sections.get(cls.__name__))]
    assert not found, "docs/reference/templates.md 要补上：\n" + "\n".join(found)
    stale = set(sections) - {cls.__name__ for cls in classes}
    assert not stale, f"说明了模板用不到的类型：{stale}"
    for data, page in DATA_FILES.items():
        assert f"]({page})" in doc, f"{data.__name__} 的字段应指向 {page}"


def test_a_new_field_without_a_row_is_caught(doc: str) -> None:
    """The check itself: a context with one more field, or a row whose field is gone, is reported."""

    @dataclasses.dataclass(frozen=True)
    class HomeContext(views.HomeContext):
        banner: str = ""

    rows = documented(doc)["HomeContext"]
    assert problems(HomeContext, rows) == ["HomeContext.banner 没有说明"]
    assert problems(views.HomeContext, {**rows, "gone": "已删除的字段"}) == [
        "HomeContext.gone 写在说明里，但已经没有这个字段"
    ]
    assert problems(views.HomeContext, {**rows, "path": ""}) == ["HomeContext.path 的说明是空的"]


def test_the_reference_is_in_the_navigation() -> None:
    assert "reference/templates.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
