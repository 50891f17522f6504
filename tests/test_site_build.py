"""The published site, built from the bundled data: complete, reproducible, self-contained, safe to fail.

One build of a copy of the bundled rubrics and results is shared by the whole session (see
``conftest_site.py``); tests that change data work on copies of their own.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jieba
import openpyxl
import pandas as pd
import pytest
import yaml
from conftest_site import BuiltSite, Element, built_site, copy_project, digests, parse_html
from helpers import AID, rubric_text, score, units_csv

from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.site.build import TEMP_PREFIX, Progress, build
from generator.site.downloads import write_downloads
from generator.site.paths import download, html_path, page, unit_json, unit_page
from generator.site.stamp import BUILD_STAMP

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def built() -> BuiltSite:
    return built_site()


def units(built: BuiltSite) -> Iterator[tuple[AssessmentOutcome, UnitOutcome]]:
    for outcome in built.prepared.outcomes.values():
        for u in outcome.units:
            yield outcome, u


def leftovers(root: Path) -> list[Path]:
    return [*root.glob(TEMP_PREFIX + "*"), *(root / "docs").glob(TEMP_PREFIX + "*")]


# --------------------------------------------------------------------------------------------
# (a) builds, (b) byte-identical
# --------------------------------------------------------------------------------------------


def test_the_bundled_data_builds_in_strict_mode(built: BuiltSite) -> None:
    # build() runs MkDocs with strict=True unless told otherwise: any MkDocs warning fails it.
    assert built.result.ok
    assert not built.result.problems.has_errors()
    assert built.result.pages >= sum(len(o.units) for o in built.prepared.outcomes.values())
    assert (built.site / "index.html").is_file()
    assert (built.site / "assessments" / "index.html").is_file()
    assert not leftovers(built.root)


def test_a_second_build_of_the_same_data_is_byte_identical(built: BuiltSite) -> None:
    again = build(built.root, progress=Progress(quiet=True))
    assert again.ok
    now = digests(built.site)
    # The build stamp says when each build ran (and from which commit); everything else is byte-identical.
    assert now.pop(BUILD_STAMP) and BUILD_STAMP in built.digests
    before = {path: digest for path, digest in built.digests.items() if path != BUILD_STAMP}
    assert sorted(now) == sorted(before), "第二次生成的文件列表不同"
    changed = [path for path in sorted(now) if now[path] != before[path]]
    assert not changed, f"第二次生成的文件内容不同：{changed[:10]}"
    assert not leftovers(built.root)


def test_the_site_says_what_it_was_built_from(built: BuiltSite) -> None:
    # The copy is not in a git repository: no commit, and the time of the build.
    data = json.loads((built.site / BUILD_STAMP).read_text(encoding="utf-8"))
    assert set(data) == {"commit", "commit_time", "built_at", "access"}
    assert data["commit"] is None and data["commit_time"] is None and data["access"] == "none"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["built_at"])


# --------------------------------------------------------------------------------------------
# (c) every unit: a page and a JSON with the engine's numbers
# --------------------------------------------------------------------------------------------


def walk(nodes: tuple[NodeOutcome, ...], top: bool = True) -> Iterator[NodeOutcome]:
    """The rows of a unit's item table: every node, but nothing below a node that does not apply, and no
    category that does not apply at all (those are named in one line under the table)."""
    for n in nodes:
        if top and not n.applicable:
            continue
        yield n
        if n.applicable:
            yield from walk(n.children, top=False)


def stat_values(page: Element) -> dict[str, str]:
    out = {}
    for s in page.find_all("div", "kp-stat"):
        out[s.find(cls="kp-stat__label").text()] = s.find(cls="kp-stat__value").text().strip()
    return out


def test_every_unit_has_a_page_and_a_json_with_the_engines_numbers(built: BuiltSite) -> None:
    checked = 0
    for outcome, u in units(built):
        aid, uid = outcome.rubric.id, u.unit.id
        page_file = built.site / html_path(unit_page(aid, uid))
        json_file = built.site / unit_json(aid, uid)
        assert page_file.is_file(), f"{aid}/{uid} 没有单位页面"
        assert json_file.is_file(), f"{aid}/{uid} 没有 JSON"
        page = parse_html(page_file.read_text(encoding="utf-8"))
        content = page.find("article", "md-content__inner")
        assert content.find("h1").text().strip() == u.unit.name
        s, st = u.score, u.standing
        data = json.loads(json_file.read_text(encoding="utf-8"))
        assert data["unit"]["id"] == uid and data["assessed"] == s.assessed
        if not s.assessed:
            assert "本年度不参加考核" in content.text()
            continue
        assert stat_values(content) == {
            "综合得分": fmt(s.total),
            "名次": f"{st.rank} / {st.pool_size}",
            "等次": st.label,
        }, f"{aid}/{uid}"
        tables = content.find_all("table", "kp-items")  # one per part (一级指标)
        rows = {r.cells()[0].text(): r for t in tables for r in t.find("tbody").find_all("tr")}
        assert list(rows) == [n.id for n in walk(s.categories)], f"{aid}/{uid}"
        for c in s.categories:
            if c.applicable:
                cells = rows[c.id].cells()
                assert (cells[2].text(), cells[4].text()) == (fmt(c.points), fmt(c.score)), f"{aid}/{uid} {c.id}"
            else:
                # A whole category of another type's system: named under the table, 不适用.
                note = next(p for p in content.find_all("p", "kp-note") if "不计入本单位得分" in p.text())
                assert c.node.title in note.text() and "不适用" in note.text()
        assert Decimal(str(data["total"])) == s.total
        assert (data["rank"], data["grade_label"]) == (st.rank, st.label)
        assert [Decimal(str(c["score"])) for c in data["categories"] if c["applicable"]] == [
            c.score for c in s.categories if c.applicable
        ]
        checked += 1
    assert checked > 100


# --------------------------------------------------------------------------------------------
# (d) no request outside the site
# --------------------------------------------------------------------------------------------

#: A URL with a scheme that a browser could fetch.
SCHEME_URL = re.compile(r"(?i)\b(?:https?|wss?|ftp)://[^\s\"'`<>()\\]+")
#: A protocol-relative URL as a JavaScript string ("//host/…").
JS_RELATIVE = re.compile(r"(?i)(?<=[\"'`])//[a-z0-9-]+(?:\.[a-z0-9-]+)+")
#: A protocol-relative URL in CSS url() or @import.
CSS_RELATIVE = re.compile(r"(?i)(?:url\(\s*[\"']?|@import\s+[\"']?)//[a-z0-9-]+")

#: The loaded vendor scripts (Material's bundle and search worker).
MATERIAL_JS = r"assets/javascripts/(?:bundle|workers/search)\.[0-9a-f]+\.min\.js"
MATERIAL_CSS = r"assets/stylesheets/main\.[0-9a-f]+\.min\.css"


@dataclass
class Allowance:
    """Absolute URLs in a file that are proven never to be fetched by the published site."""

    #: Regular expression for the file's path under site/ (``<html>`` for attributes of any page).
    files: str
    pattern: str
    why: str
    used: int = 0


def allowances() -> list[Allowance]:
    return [
        Allowance(
            r"assets/javascripts/lunr/(?!min/lunr\.(?:zh|stemmer\.support|multi)\.min\.js$).+",
            r"[\s\S]+",
            # Material ships the lunr support of every language; the search worker loads only
            # lunr.stemmer.support and lunr.<search lang> (zh here, checked below), so these files,
            # with the URLs in their comments and error texts, are never loaded.
            "search.lang 为 zh 时不加载的其他语言分词文件",
        ),
        Allowance(
            MATERIAL_JS,
            r"/\*[!*][\s\S]*?\*/",
            # License headers of lunr and clipboard.js bundled by Material: comments, not code.
            "第三方库的许可证注释",
        ),
        Allowance(
            MATERIAL_JS,
            r"\"https://unpkg\.com/mermaid@\d+/dist/mermaid\.min\.js\"",
            # Loaded only when a page holds a Mermaid diagram (.mermaid); no page does (checked below).
            "只在页面有 Mermaid 图时加载",
        ),
        Allowance(
            MATERIAL_JS,
            r"\"https://unpkg\.com/resize-observer-polyfill\"",
            # Loaded only when `typeof ResizeObserver == "undefined"`: every browser since 2020 has it
            # (Chromium 64, Firefox 69, Safari 13.1); the browser tests record every request as well.
            "只在浏览器没有 ResizeObserver 时加载",
        ),
        Allowance(
            MATERIAL_JS,
            r"`https://(?:api\.github\.com/(?:repos|users)/\$\{\w+\}(?:/\$\{\w+\})?"
            r"|\$\{\w+\}/api/v4/projects/\$\{encodeURIComponent\(\w+\)\})`",
            # Repository facts (GitHub, GitLab) for the header, fetched only when mkdocs.yml sets
            # repo_url (it does not, checked below).
            "只在 mkdocs.yml 设置 repo_url 时访问",
        ),
        Allowance(
            MATERIAL_JS,
            r"see https://bit\.ly/2s3ChXG",
            # Text of a console warning about an invalid search query.
            "控制台警告中的文字",
        ),
        Allowance(
            MATERIAL_CSS,
            r"xmlns='http://www\.w3\.org/2000/svg'",
            # The SVG namespace of icons inlined as data: URLs: a name, never fetched.
            "内联 SVG 图标的命名空间",
        ),
        Allowance(
            MATERIAL_CSS,
            r"Font Awesome Free [\d.]+ by @fontawesome - https://fontawesome\.com License - https://fontawesome\.com/license/free",
            # The license comment inside an inlined Font Awesome icon.
            "内联图标中的许可证注释",
        ),
        Allowance(
            "<html>",
            r'^xmlns="http://www\.w3\.org/2000/svg"$',
            # The namespace attribute of inline SVG icons in every page: a name, never fetched.
            "内联 SVG 图标的命名空间",
        ),
    ]


def scan_text(path: str, kind: str, text: str, rules: list[Allowance]) -> list[str]:
    """Absolute references in ``text`` (a file or a part of a page) that no allowance covers."""
    for a in rules:
        if re.fullmatch(a.files, path):
            text, n = re.subn(a.pattern, " ", text)
            a.used += n
    found = SCHEME_URL.findall(text)
    if kind == "js":
        found += JS_RELATIVE.findall(text)
    if kind == "css":
        found += CSS_RELATIVE.findall(text)
    return [f"{path}: {ref}" for ref in found]


class _References(HTMLParser):
    """Every attribute of a page, and its inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.attributes.append((name, value or ""))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def scan_html(path: str, text: str, rules: list[Allowance]) -> list[str]:
    """Attributes (src, href, srcset, style … all of them), inline scripts and styles.

    Text between tags is never fetched, so prose may name a web address.
    """
    parser = _References()
    parser.feed(text)
    parser.close()
    bad = []
    for name, value in parser.attributes:
        pair = f'{name}="{value}"'
        if any(re.fullmatch(a.files, "<html>") and re.search(a.pattern, pair) for a in rules):
            for a in rules:
                if re.fullmatch(a.files, "<html>") and re.search(a.pattern, pair):
                    a.used += 1
            continue
        kind = "css" if name == "style" else "attr"
        if value.strip().startswith("//"):
            bad.append(f"{path}: {pair}")
        bad += scan_text(path, kind, value, rules)
    for script in parser.scripts:
        bad += scan_text(path, "js", script, rules)
    for style in parser.styles:
        bad += scan_text(path, "css", style, rules)
    return bad


def test_results_pages_give_each_part_its_full_marks_and_weight_and_the_engines_raw_score(built: BuiltSite) -> None:
    checked = 0
    for aid, outcome in sorted(built.prepared.outcomes.items()):
        if not outcome.rubric.parts:
            continue
        results = parse_html((built.site / html_path(page(aid, "results"))).read_text(encoding="utf-8"))
        raw = {u.unit.name: [fmt(p.raw) for p in u.score.parts] for u in outcome.units if u.score.assessed}
        for table in results.find_all("table", "kp-ranking"):
            heads = table.find("thead").find_all("th")
            columns = [i for i, th in enumerate(heads) if th.find_all("span", "kp-th-note")]
            notes = [heads[i].find("span", "kp-th-note").text() for i in columns]
            assert len(notes) == len(outcome.rubric.parts), aid
            for note, part in zip(notes, outcome.rubric.parts, strict=True):
                assert note.endswith(f"占 {fmt(part.weight * 100)}%"), (aid, note)
                assert part.full is None or note.startswith(f"满分 {fmt(part.full)}，"), (aid, note)
            for row in table.find("tbody").find_all("tr"):
                name = row.get("data-name")
                if name in raw:
                    assert [row.cells()[i].text() for i in columns] == raw[name], (aid, name)
                    checked += 1
    assert checked > 100


def test_the_site_makes_no_request_outside_itself(built: BuiltSite) -> None:
    rules = allowances()
    bad: list[str] = []
    files = sorted(p for p in built.site.rglob("*") if p.suffix in (".html", ".css", ".js", ".json"))
    for file in files:
        path = file.relative_to(built.site).as_posix()
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".html":
            bad += scan_html(path, text, rules)
            assert not re.search(r"class=\"[^\"]*\bmermaid\b", text), f"{path} 有 Mermaid 图"
        elif file.suffix == ".css":
            bad += scan_text(path, "css", text, rules)
        elif path.startswith("search/kaoping/"):
            # The search box's index: one call handing JSON data over, shown as text (never fetched
            # or run), so the prose in it may name an address, as a page's text may.
            m = re.fullmatch(r"kaopingSearch\.[mtd]\((.*)\);\n", text, re.DOTALL)
            assert m, f"{path} 不是一次 kaopingSearch 调用"
            json.loads("[" + m.group(1).replace("<\\/", "</") + "]")
        elif file.suffix == ".js":
            bad += scan_text(path, "js", text, rules)
        elif path == "search/search_index.json":
            # The search page shows each entry's title and text as HTML: check them as HTML.
            index = json.loads(text)
            for doc in index["docs"]:
                bad += scan_html(f"{path} {doc['location']}", doc["title"] + doc["text"], rules)
        else:
            # Downloads (unit and assessment JSON) are data; none of it may be a web address either.
            bad += scan_text(path, "json", text, rules)
    assert not bad, "网站引用了站外地址：\n" + "\n".join(bad[:20])
    # The conditions the allowances rely on.
    config = yaml.safe_load((built.root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "repo_url" not in config
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    stale = [a.why for a in rules if not a.used]
    assert not stale, f"这些例外已经用不上了，请从列表中删除：{stale}"


# --------------------------------------------------------------------------------------------
# (e) the search index
# --------------------------------------------------------------------------------------------

#: Search characters per unit (title and text of its entries, zero-width separators included).
#: A unit's entries hold only its header: the name (about 15 characters) twice, one line of group,
#: type, year, total and grade (about 40), and the page title; jieba's separators roughly double
#: that. 600 leaves room for long names while a unit's item table (a hundred rows with reasons,
#: thousands of characters) can never fit.
UNIT_SEARCH_BUDGET = 600


def search_index(built: BuiltSite) -> dict[str, Any]:
    data = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def plain(text: str) -> str:
    return html.unescape(text.replace("\u200b", ""))


def test_the_search_index_is_small_and_holds_only_unit_headers(built: BuiltSite) -> None:
    index = search_index(built)
    docs = index["docs"]
    by_page: dict[str, list[dict[str, str]]] = {}
    for doc in docs:
        by_page.setdefault(doc["location"].split("#")[0], []).append(doc)
    sizes = []
    for outcome, u in units(built):
        entries = by_page.get(html_path(unit_page(outcome.rubric.id, u.unit.id)), [])
        assert entries, f"搜索索引中没有单位 {u.unit.name}（{outcome.rubric.id}）"
        assert any(u.unit.name in plain(e["title"]) for e in entries)
        sizes.append(sum(len(e["title"]) + len(e["text"]) for e in entries))
    assert max(sizes) <= UNIT_SEARCH_BUDGET, f"单位的搜索条目太大：最大 {max(sizes)} 个字符"


def test_the_search_index_keeps_domain_terms_whole(built: BuiltSite) -> None:
    index = search_index(built)
    separator = re.compile(index["config"]["separator"])
    tokens = {t for doc in index["docs"] for field in ("title", "text") for t in separator.split(doc[field])}
    # jieba's own dictionary cuts 三会一课 in two; site_templates/jieba_user_dict.txt keeps it whole,
    # so a search for it finds the indicator.
    assert jieba.Tokenizer().lcut("三会一课") != ["三会一课"]
    for term in ("三会一课", "主题党日", "组织生活会"):
        assert term in tokens, f"搜索索引没有把「{term}」作为一个词"
    text = "".join(doc["text"] for doc in index["docs"])
    assert "\u200b三会一课\u200b" in text


def test_the_search_index_does_not_hold_unit_tables(built: BuiltSite) -> None:
    index = search_index(built)
    everything = plain(json.dumps(index, ensure_ascii=False))
    # Reasons also quoted by a rubric or a hand-written page (the reference's examples) do not count.
    docs = built.root / "docs"
    hand_written = [p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] != "assessments"]
    sources = [*(built.root / "rubrics").glob("*.yml"), *hand_written]
    elsewhere = "".join(p.read_text(encoding="utf-8") for p in sources)
    reasons = {
        reason
        for _, u in units(built)
        for n in walk(u.score.categories)
        for r in n.rules
        for reason in r.reasons
        if len(reason) >= 8 and reason not in elsewhere
    }
    assert len(reasons) > 50
    found = sorted(r for r in reasons if r in everything)
    assert not found, f"单位页面表格中的扣分原因进入了搜索索引：{found[:5]}"


# --------------------------------------------------------------------------------------------
# (f) a data error keeps the previous site
# --------------------------------------------------------------------------------------------


def test_a_data_error_keeps_the_previous_site(built: BuiltSite, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", built.root)
    shutil.copytree(built.site, root / "site")
    shutil.copytree(built.root / "docs" / "assessments", root / "docs" / "assessments")
    before = digests(root / "site")
    generated = digests(root / "docs" / "assessments")
    target = next(
        p
        for p in sorted((root / "results").glob("*/entries*.csv"))
        if not p.read_bytes().startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    )
    data = target.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    if not data.endswith(newline):
        data += newline
    # An ASCII row reads the same in UTF-8 and GBK: a unit that is not on the roster.
    target.write_bytes(data + b"no-such-unit,1,,,1,bad row" + newline)

    result = build(root, progress=Progress(quiet=True))

    assert not result.ok
    assert result.problems.has_errors()
    assert any("no-such-unit" in str(p) for p in result.problems.errors)
    assert digests(root / "site") == before
    assert digests(root / "docs" / "assessments") == generated
    assert not leftovers(root)


# --------------------------------------------------------------------------------------------
# (g) downloads
# --------------------------------------------------------------------------------------------


def test_downloads_exist_and_agree_with_the_engine(built: BuiltSite) -> None:
    for outcome in built.prepared.outcomes.values():
        aid = outcome.rubric.id
        expected = {u.unit.id: fmt(u.score.total) if u.score.assessed else "" for u in outcome.units}
        csv_file = built.site / download(aid, f"{aid}-results.csv")
        raw = csv_file.read_bytes()
        assert raw.startswith(codecs.BOM_UTF8), f"{csv_file.name} 没有 BOM"
        # The bundled results are sample data: each table says so on its first row, above the header.
        assert outcome.sample is not None
        assert raw.decode("utf-8-sig").splitlines()[0] == DOWNLOAD_NOTE
        frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str, keep_default_na=False, skiprows=1)
        assert dict(zip(frame["单位代码"], frame["综合得分"], strict=True)) == expected

        xlsx = built.site / download(aid, f"{aid}-results.xlsx")
        assert openpyxl.load_workbook(xlsx).worksheets[0]["A1"].value == DOWNLOAD_NOTE
        sheet = pd.read_excel(xlsx, dtype=str, keep_default_na=False, skiprows=1)
        assert dict(zip(sheet["单位代码"], sheet["综合得分"], strict=True)) == expected
        assert list(sheet.columns) == list(frame.columns)

        data = json.loads((built.site / download(aid, f"{aid}.json")).read_text(encoding="utf-8"))
        assert data["assessment"]["sample"] is True and data["assessment"]["sample_note"] == DOWNLOAD_NOTE
        totals = {d["unit"]["id"]: Decimal(str(d["total"])) for d in data["units"]}
        assert totals == {u.unit.id: u.score.total for u in outcome.units}


FORMULAS = ("=1+1", "+SUM(A1:A2)", "@A1", "-2+3")


def test_a_cell_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    rubric = rubric_text(
        """
        indicators:
          - {id: c1, title: 组织生活, points: 100, rules: [{kind: per_occurrence, per: 1}]}
        """
    )
    roster = units_csv(*(f"u{i},{name},branch,已考核" for i, name in enumerate(FORMULAS)))
    outcome = score(tmp_path / "project", rubric, {"units.csv": roster})
    write_downloads(outcome, tmp_path / "docs")

    raw = (tmp_path / "docs" / download(AID, f"{AID}-results.csv")).read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["单位名称"] for r in rows] == ["'" + f for f in FORMULAS]

    xlsx = tmp_path / "docs" / download(AID, f"{AID}-results.xlsx")
    book = openpyxl.load_workbook(xlsx)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{c.coordinate} 是公式：{c.value}"
    frame = pd.read_excel(xlsx, dtype=str)
    assert list(frame["单位名称"]) == ["'" + f for f in FORMULAS]


# --------------------------------------------------------------------------------------------
# (h) a unit page's chrome: fewer bytes, the same page
# --------------------------------------------------------------------------------------------


class _Reading(HTMLParser):
    """What a browser makes of HTML: elements and attributes in order, text with each run of whitespace as one
    space (a run of only whitespace as one token), Material's JSON configuration as the data it holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Any] = []
        self.config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("<", tag, attrs))
        self.config = tag == "script" and ("id", "__config") in attrs

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((">", tag))
        self.config = False

    def handle_data(self, data: str) -> None:
        if self.config:
            self.tokens.append(("json", json.loads(data)))
        elif not data.strip():
            self.tokens.append(("space",))
        else:
            before, after = (" " if data[0].isspace() else ""), (" " if data[-1].isspace() else "")
            self.tokens.append(("text", before + " ".join(data.split()) + after))


def chrome_read(html_text: str) -> tuple[str, list[Any]]:
    """A unit page without its article and its own title: what is the same on every unit page."""
    title = re.search(r"<title>(.*?) - ", html_text)
    assert title, html_text[:500]
    start, end = html_text.index("<article"), html_text.index("</article>")
    chrome = (html_text[:start] + html_text[end:]).replace(title[1], "TITLE")
    reading = _Reading()
    reading.feed(chrome)
    reading.close()
    return chrome, reading.tokens


def test_a_unit_pages_chrome_is_the_shell_mkdocs_made_in_fewer_bytes(built: BuiltSite) -> None:
    from generator.site.assemble import shell_units

    shells = shell_units(built.prepared.outcomes.values())
    compared = 0
    for outcome in built.prepared.outcomes.values():
        aid = outcome.rubric.id
        others = [u.unit.id for u in outcome.units if u.unit.id != shells.get(aid)]
        if not others:
            continue
        made_by_mkdocs = (built.site / html_path(unit_page(aid, shells[aid]))).read_text(encoding="utf-8")
        assembled = (built.site / html_path(unit_page(aid, others[-1]))).read_text(encoding="utf-8")
        (theirs, their_tokens), (ours, our_tokens) = chrome_read(made_by_mkdocs), chrome_read(assembled)
        assert our_tokens == their_tokens, aid
        assert len(ours.encode()) < 0.8 * len(theirs.encode()), (aid, len(ours), len(theirs))
        compared += 1
    assert compared >= 3
