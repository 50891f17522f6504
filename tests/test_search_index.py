"""The search index the search box loads (``search/kaoping/``, generator/site/searchindex.py), read as files.

What it holds for the bundled site: every unit's page by full name, 简称 and code, and every deduction's
reason; text as a reader sees it (no zero-width spaces, no markup); files the page can load as scripts
(nothing in them can close a script tag); shards small enough that a query loads little. How it answers
in the browser is tested in test_search_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest_site import BuiltSite, built_site

from generator.site import paths, searchindex
from generator.site.searchindex import Doc, bigram_hash, clean, fold_char, pairs, write_index

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built() -> BuiltSite:
    return built_site()


def read_call(path: Path, name: str) -> list[Any]:
    text = path.read_text(encoding="utf-8")
    prefix = f"kaopingSearch.{name}("
    assert text.startswith(prefix) and text.endswith(");\n"), path
    assert "</" not in text, f"{path} 中有 </，会结束页面中的 script"
    return list(json.loads("[" + text[len(prefix) : -3].replace("<\\/", "</") + "]"))


def index_of(site_dir: Path) -> tuple[dict[str, Any], list[list[Any]]]:
    folder = site_dir / searchindex.FOLDER
    manifest = read_call(folder / "index.js", "m")[0]
    docs: list[list[Any]] = []
    for n in range((manifest["docs"] + manifest["chunk"] - 1) // manifest["chunk"]):
        number, rows = read_call(folder / "d" / f"{n}.js", "d")
        assert number == n
        docs += rows
    assert len(docs) == manifest["docs"] == len(manifest["kindOf"])
    return manifest, docs


def test_every_unit_is_found_by_its_names_and_reasons(built: BuiltSite) -> None:
    manifest, docs = index_of(built.site)
    by_url = {d[0]: d for d in docs}
    checked = 0
    for outcome in built.prepared.outcomes.values():
        for u in outcome.units:
            doc = by_url[paths.html_path(paths.unit_page(outcome.rubric.id, u.unit.id))]
            assert doc[1] == u.unit.name
            assert f"单位代码 {u.unit.id}" in doc[2]
            if u.unit.abbr:
                assert f"简称 {u.unit.abbr}" in doc[2]
            assert manifest["kinds"][doc[4]] == "单位"
            assert str(outcome.rubric.year) in manifest["wheres"][doc[5]]
            reasons = [clean(r) for c in u.score.categories for n in _walk(c) for rule in n.rules for r in rule.reasons]
            assert all(r in doc[3] for r in reasons), u.unit.id
            checked += len(reasons)
    assert checked > 300


def test_documents_of_pages_showing_sample_results_say_so(built: BuiltSite) -> None:
    """Every page of an assessment with sample results that shows results (and only those) is marked in the
    index, the way the page's banner marks it; the standards are the document's own."""
    manifest, docs = index_of(built.site)
    samples = {o.rubric.id for o in built.prepared.outcomes.values() if o.sample is not None}
    assert samples
    marked: dict[str, set[bool]] = {}
    for url, _title, _names, _body, kind, where in docs:
        parts = url.split("#")[0].split("/")
        shown = bool(manifest["samples"][where])
        if parts[0] != paths.GENERATED or len(parts) < 3 or parts[1] not in samples:
            assert not shown, url
            continue
        page = (built.site / url.split("#")[0]).read_text(encoding="utf-8")
        assert shown == ('class="kp-sample' in page), url
        marked.setdefault(manifest["kinds"][kind], set()).add(shown)
    assert marked["单位"] == marked["结果"] == {True}, marked
    assert marked["标准"] == {False}, marked


def _walk(node: Any) -> Any:
    yield node
    for child in node.children:
        yield from _walk(child)


def test_the_index_holds_text_as_a_reader_sees_it(built: BuiltSite) -> None:
    _, docs = index_of(built.site)
    for url, title, names, body, _kind, _where in docs:
        for text in (title, names, body):
            assert "\u200b" not in text and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), url
            assert "¶" not in text, url
        assert title, url
    urls = {d[0].split("#")[0] for d in docs}
    assert "index.html" in urls and "reference/results.html" in urls
    standards = [d for d in docs if d[0].startswith("assessments/zonghe-2020/standards.html#")]
    assert any(d[1].startswith("3.5.3 ") for d in standards), "标准中的每个指标是一个搜索条目"


def test_the_shards_are_small(built: BuiltSite) -> None:
    folder = built.site / searchindex.FOLDER
    # The shards themselves, not their pre-compressed copies (generator/site/compress.py).
    sizes = [p.stat().st_size for p in (folder / "t").iterdir() if p.suffix != ".gz"]
    manifest = read_call(folder / "index.js", "m")[0]
    assert len(sizes) == manifest["shards"]
    assert sum(sizes) / len(sizes) < 2 * searchindex.SHARD_BYTES
    assert (folder / "index.js").stat().st_size < 8 * 1024


def test_pairs_fold_full_width_and_case_keeping_positions() -> None:
    assert [fold_char(c) for c in "ＣＤ０８Ａｂ"] == list("cd08ab")
    assert list(pairs("三会一课：3.5.3", 10)) == [
        ("三会", 10),
        ("会一", 11),
        ("一课", 12),
        ("3.", 15),
        (".5", 16),
        ("5.", 17),
        (".3", 18),
    ]
    assert clean("党\u200b费\u00ad  缴纳\n") == "党费 缴纳"
    # the browser's hash: h * 31 + code point, modulo 2**32
    assert bigram_hash("党费") == (ord("党") * 31 + ord("费")) % 2**32
    assert bigram_hash("𠀀a") == (0x20000 * 31 + ord("a")) % 2**32


def test_a_page_filter_keeps_restricted_documents_out(tmp_path: Path) -> None:
    docs = [
        Doc("a.html", "公开页面", "", "党费收缴", "说明", "", (0, 0)),
        Doc("assessments/x/units/u1.html", "某单位", "单位代码 u1", "党费未按时收缴", "单位", "", (0, 4)),
    ]
    figures = write_index(tmp_path, docs, keep=lambda path: "/units/" not in path)
    assert figures["docs"] == 1
    everything = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / searchindex.FOLDER).rglob("*.js"))
    assert "某单位" not in everything and "未按时" not in everything and "u1" not in everything
    assert "公开页面" in everything
    write_index(tmp_path, docs)
    everything = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / searchindex.FOLDER).rglob("*.js"))
    assert "某单位" in everything


def test_data_cannot_close_the_script(tmp_path: Path) -> None:
    docs = [Doc("a.html", "</script><script>alert(1)</script>", "", "<!-- x --> </SCRIPT>", "说明", "", (0, 0))]
    write_index(tmp_path, docs)
    for path in (tmp_path / searchindex.FOLDER).rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert "</" not in text, path
    assert read_call(tmp_path / searchindex.FOLDER / "d" / "0.js", "d")[1][0][1] == docs[0].title


def test_rebuilding_writes_the_same_files(built: BuiltSite, tmp_path: Path) -> None:
    folder = built.site / searchindex.FOLDER
    # The build compresses the site after writing the index: the .gz copies are not the index's own files.
    before = {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.suffix != ".gz"
    }
    copy = tmp_path / "site"
    import shutil

    shutil.copytree(built.site, copy)
    from generator.site.build import build_search_index

    build_search_index(copy, built.prepared)
    after = {
        p.relative_to(copy / searchindex.FOLDER).as_posix(): p.read_bytes()
        for p in (copy / searchindex.FOLDER).rglob("*")
        if p.is_file()
    }
    assert after == before


def test_a_page_read_from_its_bytes_is_the_text_read_text_gives(tmp_path: Path) -> None:
    from generator.site.searchcache import page_text

    path = tmp_path / "page.html"
    for data in ("<p>第一行\r\n第二行\r第三行\n</p>".encode(), "没有回车".encode(), b""):
        path.write_bytes(data)
        assert page_text(path.read_bytes()) == path.read_text(encoding="utf-8")


def test_the_sections_leave_out_every_ranking_table_and_keep_the_text_between() -> None:
    table = '<table class="kp-ranking kp-sortable"><tr><td>排名表中的单位</td></tr></table>'
    page = (
        "<header>页头</header>"
        '<article class="md-content__inner md-typeset"><h1 id="r">考核结果</h1><p>第一段</p>'
        f'{table}<h2 id="a">第一组</h2><p>组间文字</p>{table}{table}<p>最后一段</p></article>'
        "<footer>页脚</footer>"
    )
    sections = searchindex.page_sections(page)
    text = " ".join(f"{h} {b}" for _, h, b, _ in sections)
    assert "排名表中的单位" not in text and "页头" not in text and "页脚" not in text
    for kept in ("考核结果", "第一段", "第一组", "组间文字", "最后一段"):
        assert kept in text, (kept, sections)
    assert [a for a, *_ in sections] == ["r", "a"]


def test_a_documents_sample_flag_is_its_own_not_read_from_its_title(tmp_path: Path) -> None:
    """An assessment whose title itself ends in 示例数据 is not taken for sample results, and the standards and
    the results of one sample assessment share its name but not the flag."""
    title = "2020年度 · 某市党建考核 · 示例数据"
    docs = [
        Doc("a/standards.html", "标准", "", "党费", "标准", title, (0, 0)),
        Doc("a/results.html", "结果", "", "党费", "结果", title, (0, 2), True),
    ]
    write_index(tmp_path, docs)
    manifest, rows = index_of(tmp_path)
    flags = {row[0]: (manifest["wheres"][row[5]], manifest["samples"][row[5]]) for row in rows}
    assert flags == {"a/standards.html": (title, 0), "a/results.html": (title, 1)}
