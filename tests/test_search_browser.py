"""Search as a reader uses it: typed into the header's search box in Chromium, over http and from a folder.

The queries are the real ones of ``tests/search_queries.yml`` (domain terms of the five source documents,
unit names, abbreviations and codes, words of deduction reasons, item numbers): each must put one of its
pages among the first three results, and the first result must be a page that contains the query. The
results are Material's list: no zero-width spaces, the match highlighted, no "缺少" line, and they say where
the hit is (page kind, assessment and year). A page nobody searches loads no index; a site built for units
that read only their own pages (``--access``) finds no unit page, no reason and no score. Several words
find the pages holding all of them; when none does, the pages holding some, the more the better, then the
rarer the words they hold (a unit's name before a word of the standards), under a line saying so.

Skipped only when /usr/bin/chromium is missing (``make test`` installs it).
"""

from __future__ import annotations

import fnmatch
import html
import json
import re
import shutil
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest_site import ROOT, BuiltSite, built_site
from playwright.sync_api import Browser, Page
from test_browser import CHROMIUM, Watch, base_url, browser, open_page  # noqa: F401 (fixtures)

from generator.access.accounts import Account, Accounts, ServerSettings
from generator.access.mode import apply_access
from generator.data.problems import Loc
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site import paths, views
from generator.site.searchindex import FOLDER, fold_char

QUERIES = ROOT / "tests" / "search_queries.yml"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium，跳过浏览器测试（make test 会安装它）"),
]


@pytest.fixture(scope="module")
def built() -> BuiltSite:
    return built_site()


def queries() -> list[tuple[str, str, list[str]]]:
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return [(group, str(e["q"]), list(e["find"])) for group, entries in data.items() for e in entries]


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def page_text(site_dir: Path, rel: str) -> str:
    raw = (site_dir / rel).read_text(encoding="utf-8")
    start, end = raw.find("<article"), raw.rfind("</article>")
    body = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", "", raw[start:end])
    return fold(html.unescape(re.sub(r"<[^>]+>", "", body)))


class SearchBox:
    """The header's search box of an open page, typed into as a reader does."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base

    def type(self, query: str) -> None:
        box = self.page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        box.press("End")  # an input method commits Chinese with a key
        self.page.locator(f"[data-kp-search][data-kp-searched={_css_string(query)}]").wait_for(timeout=15_000)

    def hits(self) -> list[str]:
        """The result pages, site-relative, best first."""
        out = []
        for link in self.page.locator(".md-search-result__list > li a.md-search-result__link").all():
            absolute = urllib.parse.urljoin(self.page.url, link.get_attribute("href") or "")
            out.append(urllib.parse.unquote(urllib.parse.urlsplit(absolute[len(self.base) :]).path))
        return out

    def items(self) -> list[str]:
        return self.page.locator(
            ".md-search-result__list > li.md-search-result__item:not(.kp-search-more)"
        ).all_inner_texts()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_queries(p: Page, base: str, site_dir: Path, chosen: list[tuple[str, str, list[str]]]) -> None:
    box = SearchBox(p, base)
    p.goto(base + "index.html")
    missed: list[str] = []
    for group, query, find in chosen:
        box.type(query)
        hits = box.hits()
        if not hits or fold(query) not in page_text(site_dir, hits[0]):
            missed.append(f"{query}：第一个结果 {hits[:1]} 不含查询词")
        if not any(fnmatch.fnmatchcase(h, pattern) for h in hits[:3] for pattern in find):
            missed.append(f"{query}（{group}）：前三个结果 {hits[:3]} 中没有 {find}")
        texts = box.items()
        assert texts, query
        assert not [t for t in texts if "\u200b" in t], f"{query}：结果中有零宽空格"
        # Material's "缺少：" line, with the query's words struck through
        assert p.locator(".md-search-result__list del, .md-search-result__terms").count() == 0, (
            f"{query}：结果中有“缺少”"
        )
        first = p.locator(".md-search-result__list > li").first
        marks = [fold(m) for m in first.locator("mark").all_inner_texts()]
        assert fold(query) in marks, f"{query}：第一个结果没有标出查询词（{marks}）"
        where = first.locator(".kp-search-where").inner_text()
        assert re.match(r"^(标准|结果|单位|通报|概况|首页|说明)", where), where
        if hits[0].startswith(paths.GENERATED + "/") and hits[0].count("/") >= 2:
            assert re.search(r"\d{4}年度 · ", where), f"{query}：结果没有写明考核和年度（{where}）"
    assert not missed, "\n".join(missed)


@pytest.fixture(scope="module")
def folder_copy(built: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site copied to a folder, as an office opens it from a USB stick."""
    folder = tmp_path_factory.mktemp("folder") / "site"
    shutil.copytree(built.site, folder)
    return folder


def test_every_query_finds_its_page_over_http(browser: Browser, base_url: str, built: BuiltSite) -> None:  # noqa: F811
    p, watch = open_page(browser, base_url)
    try:
        check_queries(p, base_url, built.site, queries())
    finally:
        p.context.close()
    watch.check()


def test_search_answers_from_a_folder_opened_in_the_browser(browser: Browser, folder_copy: Path) -> None:  # noqa: F811
    base = folder_copy.as_uri() + "/"
    p, watch = open_page(browser, base)
    try:
        chosen = [q for i, q in enumerate(queries()) if q[0] != "terms" or i % 4 == 0]
        check_queries(p, base, folder_copy, chosen)
        # and a result opens its page
        SearchBox(p, base).type("住建局")
        p.locator(".md-search-result__list a.md-search-result__link").first.click()
        p.wait_for_url(re.compile(r"/units/"))
        assert "住建局" in p.locator(".kp-names").inner_text()
    finally:
        p.context.close()
    watch.check()


def test_a_page_nobody_searches_loads_no_index(browser: Browser, base_url: str) -> None:  # noqa: F811
    p, watch = open_page(browser, base_url)
    try:
        p.goto(base_url + "index.html", wait_until="load")
        p.wait_for_timeout(800)
        assert not [u for u in watch.requests if "/search/" in u], "没有搜索的页面不应下载搜索索引"
        SearchBox(p, base_url).type("党费")
        index = [u for u in watch.requests if "/search/" in u]
        assert any(u.split("?")[0].endswith("/search/kaoping/index.js") for u in index)
        assert not [u for u in index if "search_index.json" in u], "搜索框不加载 Material 的整个索引"
        assert len(index) < 40, f"一次搜索加载了 {len(index)} 个索引文件"
    finally:
        p.context.close()
    watch.check()


def test_a_short_or_unknown_query_says_so(browser: Browser, base_url: str) -> None:  # noqa: F811
    p, watch = open_page(browser, base_url)
    try:
        p.goto(base_url + "index.html")
        box = SearchBox(p, base_url)
        box.type("党")
        assert "至少" in p.locator(".md-search-result__meta").inner_text()
        assert box.hits() == []
        box.type("没有这样的词语组合")
        assert p.locator(".md-search-result__meta").inner_text().strip() == "没有找到符合条件的结果"
        assert box.hits() == []
        box.type("<script>alert(1)</script>党费")
        assert box.hits() == []
        # full-width letters and digits, as a Chinese input method types them
        box.type("ＣＤ０８")
        assert box.hits()[:1] == ["assessments/changde-2012/units/cd08.html"]
        # two words: pages holding both (the unit's page of that year, not of the others)
        box.type("财政局 2012年度")
        hits = box.hits()
        assert "assessments/changde-2012/units/cd01.html" in hits[:3]
        assert not [h for h in hits if "/units/" in h and "changde-2012" not in h], hits
    finally:
        p.context.close()
    watch.check()


def _titles(nodes: Iterable[Any]) -> Iterator[str]:
    for n in nodes:
        yield n.title
        yield from _titles(n.children)


def test_results_of_sample_data_say_so_and_the_standards_do_not(browser: Browser, base_url: str) -> None:  # noqa: F811
    built = built_site()
    """Sample results are marked as samples wherever they are shown: in the search box's results too. The
    standards of the same assessment are the document's own, not samples."""
    outcome = next(o for o in built.prepared.outcomes.values() if o.sample is not None)
    aid = outcome.rubric.id
    unit = outcome.units[0].unit
    p, watch = open_page(browser, base_url)
    try:
        p.goto(base_url + "index.html")
        box = SearchBox(p, base_url)

        def where_of(query: str, page: str) -> str:
            box.type(query)
            hits = box.hits()
            assert page in hits, (query, hits)
            item = p.locator(".md-search-result__list > li").nth(hits.index(page))
            return item.locator(".kp-search-where").inner_html()

        shown = where_of(unit.name, f"{paths.GENERATED}/{aid}/units/{unit.id}.html")
        assert '<span class="kp-tag kp-tag--sample">示例数据</span>' in shown, shown
        assert shown.count("示例数据") == 1, shown
        # an indicator's title that no other assessment has: its section of the standards comes first
        others = {
            t for o in built.prepared.outcomes.values() if o.rubric.id != aid for t in _titles(o.rubric.indicators)
        }
        title = next(t for t in _titles(outcome.rubric.indicators) if len(t) >= 4 and t not in others)
        standards = f"{paths.GENERATED}/{aid}/standards.html"
        box.type(title)
        found = [h for h in box.hits() if h.split("#")[0] == standards]
        assert found, (title, box.hits())
        item = p.locator(".md-search-result__list > li").nth(box.hits().index(found[0]))
        assert "示例数据" not in item.locator(".kp-search-where").inner_text()
    finally:
        p.context.close()
    watch.check()


# --------------------------------------------------------------------------------------------
# Access mode: the public index finds no unit page, reason or score
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def access_site(built: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("access")
    site_dir = folder / "site"
    shutil.copytree(built.site, site_dir)
    newest = views.ordered(built.prepared.outcomes)[0]
    first = newest.units[0].unit.id
    accounts = Accounts(
        "access/accounts.csv",
        (
            Account("unit-a", "Aa-1234-xy", first, Loc("access/accounts.csv", 2)),
            Account("office", "Oo-9012-xy", None, Loc("access/accounts.csv", 3)),
        ),
        ServerSettings(str(site_dir), "80", "_", str(folder / "access" / "nginx" / "htpasswd")),
        folder / "access" / "nginx",
    )
    apply_access(folder, site_dir, built.prepared, accounts)
    return site_dir


def reason_queries(built: BuiltSite) -> Iterator[tuple[str, list[str]]]:
    for group, query, find in queries():
        if group in ("reasons", "units"):
            yield query, find


def test_under_access_search_finds_no_unit_page_reason_or_score(
    browser: Browser,  # noqa: F811
    access_site: Path,
    built: BuiltSite,  # noqa: F811
) -> None:
    base = access_site.as_uri() + "/"
    p, watch = open_page(browser, "file://")
    try:
        p.goto(base + "index.html")
        box = SearchBox(p, base)
        for query, _find in reason_queries(built):
            box.type(query)
            hits = box.hits()
            assert not [h for h in hits if "/units/" in h], f"{query}：访问受限时搜索结果中有单位页面 {hits}"
        # the reasons of the newest assessment's units (those no public page quotes): none is found
        newest = views.ordered(built.prepared.outcomes)[0]
        public = "".join(
            page_text(access_site, paths.html_path(paths.page(newest.rubric.id, kind)))
            for kind in ("standards", "notice", "index")
        )
        reasons = sorted(
            {r for u in newest.units for n in _nodes(u.score.categories) for rule in n.rules for r in rule.reasons}
        )
        reasons = [r for r in reasons if len(r) >= 8 and fold(r) not in public]
        assert len(reasons) >= 5
        for reason in reasons[:: max(1, len(reasons) // 8)]:
            box.type(reason)
            assert box.hits() == [], f"访问受限时搜得到扣分原因「{reason}」：{box.hits()}"
        # in the public build the same reasons are found, on the unit's page
        p.goto(built.site.as_uri() + "/index.html")
        public_box = SearchBox(p, built.site.as_uri() + "/")
        public_box.type(reasons[0])
        assert [h for h in public_box.hits() if "/units/" in h], "公开的网站应能搜到扣分原因"
    finally:
        p.context.close()
    watch.check()


def _nodes(nodes: object) -> Iterator[object]:
    for n in nodes:  # type: ignore[attr-defined]
        yield n
        yield from _nodes(n.children)


def test_data_in_results_is_shown_as_text(browser: Browser, built: BuiltSite, tmp_path: Path) -> None:  # noqa: F811
    """Titles, names and passages come from the data: markup in them is shown, never run."""
    from generator.site.searchindex import Doc, write_index

    folder = tmp_path / "site"
    shutil.copytree(built.site, folder)
    payload = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
    docs = [
        Doc(
            "index.html",
            f"{payload}党费标题",
            f"简称 {payload}党费",
            f"正文 {payload} 党费 &amp; 结束",
            "标准",
            "2020年度 · <b>考核</b>",
            (0, 0),
        ),
        Doc('reference/results.html#x" onmouseover="alert(1)', "党费第二条", "", "党费", "说明", "", (0, 1)),
    ]
    write_index(folder, docs)
    base = folder.as_uri() + "/"
    p, watch = open_page(browser, base)
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        p.goto(base + "index.html")
        box = SearchBox(p, base)
        box.type("党费")
        first = p.locator(".md-search-result__list > li").first
        assert first.locator("h1").inner_text() == f"{payload}党费标题"
        assert payload in first.locator(".kp-search-names").inner_text()
        assert "&amp;" in first.inner_text()
        assert "<b>考核</b>" in first.locator(".kp-search-where").inner_text()
        assert (
            p.locator(".md-search-result__list img, .md-search-result__list script, .md-search-result__list b").count()
            == 0
        )
        second = p.locator(".md-search-result__list > li a").nth(1)
        assert second.get_attribute("onmouseover") is None
        p.wait_for_timeout(300)
        assert p.title() != "pwned" and not dialogs
    finally:
        p.context.close()
    watch.check()


# --------------------------------------------------------------------------------------------
# Several words: the pages holding all of them, or, when none does, those holding some
# --------------------------------------------------------------------------------------------

#: Results the search box shows before 'show more' (kaoping-search.js's SHOWN).
SHOWN = 10
RESULTS = ".md-search-result__list > li.md-search-result__item:not(.kp-search-more)"


def _folded(text: str) -> str:
    """Text as the index compares it, character for character (no spaces removed: a word does not span one)."""
    return "".join(map(fold_char, text))


def index_docs(site_dir: Path) -> dict[str, tuple[str, str, str]]:
    """The search index's documents as the search box reads them: URL → title, names and body, folded."""
    out: dict[str, tuple[str, str, str]] = {}
    for f in sorted((site_dir / FOLDER / "d").glob("*.js"), key=lambda f: int(f.stem)):
        call = f.read_text(encoding="utf-8")
        for row in json.loads(call[call.index(",") + 1 : call.rindex(")")]):
            out[row[0]] = (_folded(row[1]), _folded(row[2]), _folded(row[3]))
    return out


def holding(docs: dict[str, tuple[str, str, str]], word: str) -> set[str]:
    return {url for url, fields in docs.items() if any(_folded(word) in f for f in fields)}


@dataclass(frozen=True)
class Words:
    """A unit's name and page, a word of its own reasons (``own``), and a word of other units' reasons that no
    page holding the name holds (``elsewhere``: in the bodies of more pages than the first screen shows)."""

    name: str
    page: str
    own: str
    elsewhere: str


def _reason_words(outcome: AssessmentOutcome) -> Iterator[tuple[UnitOutcome, str]]:
    """Each unit's runs of 4 to 12 Chinese characters in its reasons (words a reader would type)."""
    for u in outcome.units:
        for n in _nodes(u.score.categories):
            for rule in n.rules:  # type: ignore[attr-defined]
                for reason in rule.reasons:
                    for run in re.findall(r"[\u4e00-\u9fff]+", reason):
                        if 4 <= len(run) <= 12:
                            yield u, run


@pytest.fixture(scope="module")
def words(built: BuiltSite) -> Words:
    docs = index_docs(built.site)
    runs = {run for o in built.prepared.outcomes.values() for _, run in _reason_words(o)}
    pages = {run: holding(docs, run) for run in runs}
    common = sorted(runs, key=lambda r: (-len(pages[r]), r))
    for outcome in views.ordered(built.prepared.outcomes):
        for u in outcome.units:
            name = u.unit.name
            page = f"{paths.GENERATED}/{outcome.rubric.id}/units/{u.unit.id}.html"
            named = holding(docs, name)
            # the unit's page is the only one with the name in its title or names: the first of a partial answer
            if {url for url in named if _folded(name) in docs[url][0] + docs[url][1]} != {page}:
                continue
            own = [run for o, run in _reason_words(outcome) if o is u and page in pages[run]]
            for word in common:
                others = pages[word]
                if (
                    own
                    and not others & named
                    and len(others | named) > SHOWN
                    and not [url for url in others if _folded(word) in docs[url][0] + docs[url][1]]
                ):
                    return Words(name, page, own[0], word)
    raise AssertionError("捆绑的数据中没有可用于测试部分匹配的单位和词语")


def all_results(p: Page, base: str) -> list[str]:
    """Every result's page (site-relative, with its anchor), best first, 'show more' clicked until none is left."""
    items = p.locator(RESULTS)
    more = p.locator(".md-search-result__list .kp-search-more button")
    while more.count():
        before = items.count()
        more.click()
        p.wait_for_function(f"n => document.querySelectorAll({RESULTS!r}).length > n", arg=before)
    links = p.locator(".md-search-result__list a.md-search-result__link").all()
    return [(link.get_attribute("href") or "")[len(base) :] for link in links]


def meta(p: Page) -> str:
    return p.locator(".md-search-result__meta").inner_text().strip()


def marks(p: Page, n: int) -> list[str]:
    return p.locator(RESULTS).nth(n).locator("mark").all_inner_texts()


def test_words_found_together_show_only_the_pages_holding_all(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,
    words: Words,
) -> None:
    """A unit's name and a word of its reasons: only the pages holding both, counted as Material counts them;
    a partial answer's line typed before is not left behind."""
    w = words
    docs = index_docs(built.site)
    both = holding(docs, w.name) & holding(docs, w.own)
    assert w.page in both and holding(docs, w.own) - both, w
    p, watch = open_page(browser, base_url)
    try:
        p.goto(base_url + "index.html")
        box = SearchBox(p, base_url)
        box.type(f"{w.name} {w.elsewhere}")
        assert meta(p).startswith("没有同时包含"), meta(p)
        box.type(f"{w.name} {w.own}")
        assert meta(p) == (f"{len(both)} 个符合条件的结果" if len(both) > 1 else "找到 1 个符合条件的结果")
        found = all_results(p, base_url)
        assert sorted(found) == sorted(both), found
        assert found[0] == w.page, found
        assert {fold(w.name), fold(w.own)} <= {fold(m) for m in marks(p, 0)}
    finally:
        p.context.close()
    watch.check()


def test_words_never_found_together_show_the_pages_holding_some(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,
    words: Words,
) -> None:
    """A unit's name and a word its page lacks: the unit's page first, then every page holding either word
    (shown ten at a time), with a line saying no page holds both; with a third word, the pages holding more
    of the words come first. Each result marks the words it holds."""
    w = words
    docs = index_docs(built.site)
    named, elsewhere, own = holding(docs, w.name), holding(docs, w.elsewhere), holding(docs, w.own)
    p, watch = open_page(browser, base_url)
    try:
        p.goto(base_url + "index.html")
        box = SearchBox(p, base_url)
        box.type(f"{w.name} {w.elsewhere}")
        some = named | elsewhere
        assert meta(p) == f"没有同时包含“{w.name}”“{w.elsewhere}”的页面，以下 {len(some)} 个结果包含其中部分词语"
        assert box.hits()[0] == w.page
        assert len(box.hits()) == SHOWN
        assert [fold(m) for m in marks(p, 0)] and {fold(m) for m in marks(p, 0)} == {fold(w.name)}
        found = all_results(p, base_url)
        assert len(found) == len(some) and set(found) == some
        at = found.index(sorted(elsewhere)[0])
        assert {fold(m) for m in marks(p, at)} == {fold(w.elsewhere)}
        # three words, no page holds all: those holding two come first
        box.type(f"{w.name} {w.elsewhere} {w.own}")
        found = all_results(p, base_url)
        held = [sum(url in pages for pages in (named, elsewhere, own)) for url in found]
        assert set(found) == named | elsewhere | own
        assert held == sorted(held, reverse=True) and held[0] == 2 and held[-1] == 1, held
        assert found[0] == w.page
        assert meta(p).startswith(f"没有同时包含“{w.name}”“{w.elsewhere}”“{w.own}”的页面，以下 {len(found)} 个结果")
    finally:
        p.context.close()
    watch.check()


def standards_titles(site_dir: Path) -> list[str]:
    """The titles of the search index's documents of the standards (kind 标准), folded."""
    call = (site_dir / FOLDER / "index.js").read_text(encoding="utf-8")
    kinds = json.loads(call[call.index("(") + 1 : call.rindex(")")])["kinds"]
    out = []
    for f in (site_dir / FOLDER / "d").glob("*.js"):
        call = f.read_text(encoding="utf-8")
        out += [
            _folded(row[1])
            for row in json.loads(call[call.index(",") + 1 : call.rindex(")")])
            if kinds[row[4]] == "标准"
        ]
    return out


@pytest.fixture(scope="module")
def standards_word(built: BuiltSite, words: Words) -> str:
    """A term of the standards readers type (tests/search_queries.yml) in the titles of the most sections of the
    standards that no page holding the unit's name holds, on more pages than the name (as 党费 beside 公安局): by
    score alone those sections, the term in their titles, come before the unit's page."""
    docs = index_docs(built.site)
    named = holding(docs, words.name)
    titles = standards_titles(built.site)
    terms = [query for group, query, _ in queries() if group == "terms"]
    in_titles = {term: sum(_folded(term) in title for title in titles) for term in terms}
    for term in sorted(terms, key=lambda term: (-in_titles[term], term)):
        pages = holding(docs, term)
        if in_titles[term] and not pages & named and len(pages) > len(named):
            return term
    raise AssertionError("tests/search_queries.yml 中没有可用于测试的标准术语")


def test_among_pages_holding_as_many_words_the_rarer_words_come_first(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,
    words: Words,
    standards_word: str,
) -> None:
    """A unit's name and a term in the titles of several sections of the standards, which no page holding the
    name holds: each page holds one of the words, and those holding the name (on fewer pages) come first, the
    unit's page at the top, though the term is in the sections' titles."""
    w = words
    docs = index_docs(built.site)
    named, common = holding(docs, w.name), holding(docs, standards_word)
    assert len(named) < len(common) and not named & common
    p, watch = open_page(browser, base_url)
    try:
        p.goto(base_url + "index.html")
        box = SearchBox(p, base_url)
        box.type(f"{w.name} {standards_word}")
        assert meta(p).startswith(f"没有同时包含“{w.name}”“{standards_word}”的页面"), meta(p)
        assert box.hits()[0] == w.page, box.hits()
        found = all_results(p, base_url)
        assert set(found) == named | common
        assert [url in named for url in found] == [True] * len(named) + [False] * len(common), found
        # the word's own pages, among themselves, in the order of their scores: a title holding it first
        assert _folded(standards_word) in docs[found[len(named)]][0], found[len(named)]
    finally:
        p.context.close()
    watch.check()


def test_a_word_found_nowhere_is_named_and_the_others_answer(
    browser: Browser,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,
    words: Words,
) -> None:
    """A unit's name and a word no page holds (written with markup, shown as text): the line names the word,
    and the pages holding the name are the answer, the unit's page first."""
    w = words
    docs = index_docs(built.site)
    absent = "<i>无此词语</i>"
    assert not holding(docs, "无此词语")
    named = holding(docs, w.name)
    p, watch = open_page(browser, base_url)
    try:
        p.goto(base_url + "index.html")
        box = SearchBox(p, base_url)
        box.type(f"{w.name} {absent}")
        assert meta(p) == f"没有找到“{absent}”，以下 {len(named)} 个结果包含“{w.name}”"
        assert p.locator(".md-search-result__meta i").count() == 0
        found = all_results(p, base_url)
        assert found[0] == w.page and set(found) == named, found
        assert "无此词语" not in "".join(p.locator(".md-search-result__list mark").all_inner_texts())
        # every word found nowhere: nothing to show, as for one word
        box.type(f"{absent} 也无此词")
        assert meta(p) == "没有找到符合条件的结果"
        assert box.hits() == []
    finally:
        p.context.close()
    watch.check()
