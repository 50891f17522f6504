"""The built site in a real browser (Debian's Chromium through Playwright), served over local http.

Every request the pages make is recorded: anything not on the local server fails the test, as do
console errors and uncaught page errors. The tests follow what people do with the site: open the
home page, find their unit by search and from the results table, read its numbers, sort and filter
the ranking, print the notice, and read a unit page on a phone.

These tests are skipped only when /usr/bin/chromium is missing; `make test` installs it, so in CI
they run. Anything else missing (Playwright, a page, a search result) is a failure, not a skip.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest_site import ROOT, BuiltSite, built_site
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Request, expect, sync_playwright

from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site import views
from generator.site.paths import assessment_index, download, html_path, page, unit_page
from generator.site.views.common import grade_counts

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="没有 /usr/bin/chromium，跳过浏览器测试（只在缺少 Chromium 时跳过；make test 会安装它）",
    ),
]


# --------------------------------------------------------------------------------------------
# The site on a local server, the browser, and a page that records what it does
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built() -> BuiltSite:
    return built_site()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def base_url(built: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the built site served on a loopback port; yields the site's root URL."""
    folder = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(built.site, folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """Everything a page asked for, and every error it logged."""

    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_page_error(self, error: Error) -> None:
        self.errors.append(f"pageerror: {error}")

    def check(self) -> None:
        outside = [u for u in self.requests if not u.startswith(self.base)]
        assert not outside, f"页面请求了站外地址：{outside}"
        assert not self.errors, f"页面有错误：{self.errors}"
        assert self.requests, "没有记录到任何请求"


def open_page(browser: Browser, base: str, **context: Any) -> tuple[Page, Watch]:
    ctx = browser.new_context(**context)
    p = ctx.new_page()
    watch = Watch(base)
    p.on("request", watch.on_request)
    p.on("console", watch.on_console)
    p.on("pageerror", watch.on_page_error)
    return p, watch


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh page; when the test is over, its requests and errors are checked."""
    p, watch = open_page(browser, base_url)
    yield p
    p.context.close()
    watch.check()


# --------------------------------------------------------------------------------------------
# Data the tests look for
# --------------------------------------------------------------------------------------------


def newest(built: BuiltSite) -> AssessmentOutcome:
    return views.ordered(built.prepared.outcomes)[0]


def a_unit(built: BuiltSite) -> tuple[AssessmentOutcome, UnitOutcome]:
    """An assessed unit whose name no other unit of the site shares, from the newest assessment that has one.

    The same unit in two years of a series shares its name, so searching it finds both years' pages.
    """
    names = [u.unit.name for o in built.prepared.outcomes.values() for u in o.units]
    for outcome in sorted(built.prepared.outcomes.values(), key=lambda o: (-o.rubric.year, o.rubric.id)):
        unit = next((u for u in outcome.units if u.score.assessed and names.count(u.unit.name) == 1), None)
        if unit is not None:
            return outcome, unit
    raise AssertionError("站点上每个单位的名称都与别的单位重复")


def url(base: str, path: str) -> str:
    return base + html_path(path)


def check_unit_numbers(p: Page, u: UnitOutcome) -> None:
    """The unit page in the browser shows the engine's total, rank and grade."""
    assert p.locator("h1#unit").inner_text().strip() == u.unit.name
    stats = {}
    for stat in p.locator(".kp-stat").all():
        stats[stat.locator(".kp-stat__label").inner_text().strip()] = re.sub(
            r"\s+", " ", stat.locator(".kp-stat__value").inner_text()
        ).strip()
    assert stats == {
        "综合得分": fmt(u.score.total),
        "名次": f"{u.standing.rank} / {u.standing.pool_size}",
        "等次": u.standing.label,
    }


def column(p: Page, table: Any, title: str) -> list[str]:
    """The visible cells of a ranking table's column, top to bottom."""
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    index = next(i for i, h in enumerate(headers) if h.startswith(title))
    rows = table.locator("tbody tr:visible")
    return [rows.nth(i).locator("td").nth(index).inner_text().strip() for i in range(rows.count())]


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_the_home_page_opens(tab: Page, base_url: str, built: BuiltSite) -> None:
    response = tab.goto(base_url + "index.html")
    assert response is not None and response.ok
    assert "党建工作考核" in tab.title()
    latest = newest(built).rubric
    card = tab.locator(".kp-home .kp-card").first
    assert f"{latest.year}年度" in card.inner_text()
    links = card.locator("a.md-button").all_inner_texts()
    assert "考核标准" in links and "考核结果" in links


def test_search_finds_a_unit_and_opens_its_page(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome, u = a_unit(built)
    tab.goto(base_url + "index.html")
    box = tab.locator("input.md-search__input")
    box.click()
    box.fill(u.unit.name)
    target = html_path(unit_page(outcome.rubric.id, u.unit.id))
    result = tab.locator(f".md-search-result__list a[href*='{target}']").first
    result.wait_for(timeout=15_000)
    result.click()
    tab.wait_for_url(re.compile(re.escape(target)))
    check_unit_numbers(tab, u)


def test_the_results_table_links_to_the_unit_page(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome, u = a_unit(built)
    tab.goto(url(base_url, page(outcome.rubric.id, "results")))
    tab.locator("table.kp-ranking").get_by_role("link", name=u.unit.name, exact=True).click()
    tab.wait_for_url(re.compile(re.escape(html_path(unit_page(outcome.rubric.id, u.unit.id)))))
    check_unit_numbers(tab, u)


def test_sorting_the_ranking_by_total(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome = newest(built)
    tab.goto(url(base_url, page(outcome.rubric.id, "results")))
    table = tab.locator("table.kp-ranking").first
    rows = table.locator("tbody tr")
    names = {rows.nth(i).get_attribute("data-name") for i in range(rows.count())}
    assert len(names) >= 3
    totals = {u.unit.name: u.score.total for u in outcome.units if u.unit.name in names and u.score.assessed}

    def shown() -> list[Decimal]:
        return [Decimal(t) for t in column(tab, table, "综合得分") if t]

    header = table.locator("thead th", has_text="综合得分")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert shown() == sorted(totals.values())
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert shown() == sorted(totals.values(), reverse=True)
    # back to the ranking: by 名次
    rank = table.locator("thead th", has_text="名次")
    rank.click()
    ranks = [int(r) for r in column(tab, table, "名次") if r.isdigit()]
    assert ranks == sorted(ranks)


def test_filtering_the_ranking_by_name(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome, u = a_unit(built)
    tab.goto(url(base_url, page(outcome.rubric.id, "results")))

    # a part of the name that several units share, but not all
    def sharing(word: str) -> int:
        return sum(word in x.unit.name for x in outcome.units)

    parts = sorted({u.unit.name[i : i + 2] for i in range(len(u.unit.name) - 1)})
    candidates = [w for w in parts if 2 <= sharing(w) < len(outcome.units)]
    assert candidates, f"找不到几个单位共有的名称片段：{u.unit.name}"
    word = max(candidates, key=sharing)
    expected = sorted(x.unit.name for x in outcome.units if word in x.unit.name or word in x.unit.abbr)
    tab.locator("input.kp-filter").fill(word)
    visible = tab.locator("table.kp-ranking tbody tr:visible")
    names = sorted(visible.nth(i).get_attribute("data-name") or "" for i in range(visible.count()))
    assert names == expected
    found = [x for x in outcome.units if x.unit.name in expected]
    counter = tab.locator(".kp-filter-count").inner_text()
    assert counter == counted(sum(x.score.assessed for x in found), sum(not x.score.assessed for x in found), outcome)
    tab.locator("input.kp-filter").fill(u.unit.name)
    assert tab.locator("table.kp-ranking tbody tr:visible").count() == 1
    # a unit's code, as a secretary types it (in capitals, say), and its 简称 find it too
    tab.locator("input.kp-filter").fill(u.unit.id.upper())
    visible = tab.locator("table.kp-ranking tbody tr:visible")
    names = sorted(visible.nth(i).get_attribute("data-name") or "" for i in range(visible.count()))
    assert names == sorted(x.unit.name for x in outcome.units if u.unit.id in x.unit.id), u.unit.id
    abbreviated = next(x for x in outcome.units if x.unit.abbr and x.unit.abbr not in x.unit.name)
    tab.locator("input.kp-filter").fill(abbreviated.unit.abbr)
    visible = tab.locator("table.kp-ranking tbody tr:visible")
    assert abbreviated.unit.name in [visible.nth(i).get_attribute("data-name") for i in range(visible.count())]
    tab.locator("input.kp-filter").fill("")
    assert tab.locator("table.kp-ranking tbody tr:visible").count() == len(outcome.units)


def counted(found: int, others: int, outcome: AssessmentOutcome) -> str:
    """What the ranking's filter says it found: units counted as the page counts them (参加考核的单位),
    those listed but not assessed apart."""
    assessed = sum(x.score.assessed for x in outcome.units)
    if not found and not others:
        return "没有找到符合条件的单位"
    if not found:
        return f"只找到 {others} 个不参加考核的单位（参加考核的 {assessed} 个单位中没有）"
    words = f"参加考核的 {assessed} 个单位中找到 {found} 个"
    return words + f"，另有 {others} 个不参加考核的单位" if others else words


def visible_names(tab: Page) -> list[str]:
    rows = tab.locator("table.kp-ranking tbody tr:visible")
    return sorted(rows.nth(i).get_attribute("data-name") or "" for i in range(rows.count()))


def test_a_ranking_group_the_filter_finds_nobody_in_says_so(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome, u = a_unit(built)
    tab.goto(url(base_url, page(outcome.rubric.id, "results")))
    pools = tab.locator(".kp-pool")
    before = pools.evaluate_all("pools => pools.map(p => p.outerHTML)")
    names = [pools.nth(i).locator("h2").inner_text().strip() for i in range(pools.count())]
    assert len(names) >= 2 and u.standing.pool_name in names, names
    nobody = "本组没有符合条件的单位"

    def folded(pool: Any) -> None:
        """The group is its heading and one line: no counts, table, scroll hint, extras or chart."""
        expect(pool.locator("h2")).to_be_visible()
        expect(pool.locator(".kp-pool-none")).to_have_text(nobody)
        expect(pool.locator(".kp-pool-none")).to_be_visible()
        for part in (".kp-pool-head .kp-muted", ".kp-hint", ".kp-table-wrap", ".kp-adjusted", "figure"):
            for i in range(pool.locator(part).count()):
                expect(pool.locator(part).nth(i)).to_be_hidden()

    def whole(pool: Any) -> None:
        expect(pool.locator(".kp-pool-none")).to_have_count(0)
        for part in (".kp-pool-head .kp-muted", ".kp-hint", ".kp-table-wrap", "figure"):
            for i in range(pool.locator(part).count()):
                expect(pool.locator(part).nth(i)).to_be_visible()

    # her unit's name: its group shows its row, every other group says in one line that it has none
    tab.locator("input.kp-filter").fill(u.unit.name)
    expect(tab.locator(".kp-filter-count")).to_have_text(counted(1, 0, outcome))
    assert visible_names(tab) == [u.unit.name]
    for i, name in enumerate(names):
        if name == u.standing.pool_name:
            whole(pools.nth(i))
        else:
            folded(pools.nth(i))
    # the counter alone is said to screen readers, not a line per group
    expect(tab.locator(".kp-pool [role=status], .kp-pool [aria-live], .kp-pool [role=alert]")).to_have_count(0)
    assert tab.locator(".kp-filter-count").get_attribute("role") == "status"

    # a name no unit has: the counter says so, and every group
    missing = "查无此单位"
    assert not any(missing in x.unit.name or missing in x.unit.abbr for x in outcome.units)
    tab.locator("input.kp-filter").fill(missing)
    expect(tab.locator(".kp-filter-count")).to_have_text("没有找到符合条件的单位")
    expect(tab.locator("table.kp-ranking tbody tr:visible")).to_have_count(0)
    for i in range(len(names)):
        folded(pools.nth(i))

    # cleared: the page as it was, nothing hidden and no line left
    tab.locator("input.kp-filter").fill("")
    expect(tab.locator(".kp-filter-count")).to_have_text("")
    expect(tab.locator(".kp-pool-none")).to_have_count(0)
    expect(tab.locator("table.kp-ranking tbody tr:visible")).to_have_count(len(outcome.units))
    for i in range(len(names)):
        whole(pools.nth(i))
    assert pools.evaluate_all("pools => pools.map(p => p.outerHTML)") == before


def test_a_folded_group_keeps_its_scroll_hint_for_when_it_is_shown_again(
    tab: Page, base_url: str, built: BuiltSite
) -> None:
    """A wide table in a group (wider than a phone; put in by the test) has its scroll hint. While the filter
    has folded the group, a resize (a phone turned) must not measure the hidden table as not scrolling and
    drop the hint: cleared, the group shows it again. A second wide table outside the groups, put in after
    the fold, tells when the resize's hints have been worked out."""
    outcome, _u = a_unit(built)
    tab.set_viewport_size({"width": 360, "height": 800})
    tab.goto(url(base_url, page(outcome.rubric.id, "results")))
    wide = """(where, name) => {
        const wrap = document.createElement("div");
        wrap.className = "kp-table-wrap " + name;
        wrap.innerHTML = '<table style="min-width: 2000px"><tr><td>宽</td></tr></table>';
        where.appendChild(wrap);
        window.dispatchEvent(new Event("resize"));
    }"""
    pool = tab.locator(".kp-pool").first
    pool.evaluate(f"pool => ({wide})(pool, 'kp-test-in-group')")
    expect(pool.locator(".kp-scroll-hint + .kp-test-in-group")).to_have_count(1)
    tab.locator("input.kp-filter").fill("没有这样的单位")
    expect(pool.locator(".kp-pool-none")).to_be_visible()
    tab.locator("article").evaluate(f"article => ({wide})(article, 'kp-test-outside')")
    expect(tab.locator(".kp-scroll-hint + .kp-test-outside")).to_have_count(1)
    expect(pool.locator(".kp-scroll-hint + .kp-test-in-group")).to_have_count(1)
    tab.locator("input.kp-filter").fill("")
    expect(pool.locator(".kp-scroll-hint")).to_be_visible()


def test_the_ranking_filter_counts_units_as_the_page_does(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome, _ = a_unit(built)
    tab.goto(url(base_url, page(outcome.rubric.id, "results")))
    # a grade: as many as its count below the tables says, out of the units assessed
    grade = next(g for g in grade_counts(outcome) if g.count)
    tab.select_option("select.kp-grade-filter", grade.key)
    expect(tab.locator(".kp-filter-count")).to_have_text(counted(grade.count, 0, outcome))
    tile = tab.locator(f".kp-grades__item--{grade.key} .kp-grades__count")
    assert tile.inner_text().strip() == str(grade.count)
    assert len(visible_names(tab)) == grade.count
    tab.select_option("select.kp-grade-filter", "")
    expect(tab.locator(".kp-filter-count")).to_have_text("")
    # a unit listed but not assessed is found, and named apart from the units assessed
    out = [x for x in outcome.units if not x.score.assessed]
    assert out, f"{outcome.rubric.id} 没有不参加考核的单位"
    alone = next(x for x in out if sum(x.unit.name in y.unit.name for y in outcome.units) == 1)
    tab.locator("input.kp-filter").fill(alone.unit.name)
    expect(tab.locator(".kp-filter-count")).to_have_text(counted(0, 1, outcome))
    assert visible_names(tab) == [alone.unit.name]
    # with units assessed: their part of the name finds them too
    word = next(
        (
            alone.unit.name[i : i + 2]
            for i in range(len(alone.unit.name) - 1)
            if sum(alone.unit.name[i : i + 2] in y.unit.name for y in outcome.units) >= 2
        ),
        None,
    )
    assert word is not None, alone.unit.name
    found = [y for y in outcome.units if word in y.unit.name or word in y.unit.abbr]
    tab.locator("input.kp-filter").fill(word)
    assessed = sum(y.score.assessed for y in found)
    expect(tab.locator(".kp-filter-count")).to_have_text(counted(assessed, len(found) - assessed, outcome))
    assert visible_names(tab) == sorted(y.unit.name for y in found)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext 不在（Debian 的 poppler-utils；make test 会安装它）"
    (tmp_path / "notice.pdf").write_bytes(pdf)
    done = subprocess.run([tool, "-enc", "UTF-8", str(tmp_path / "notice.pdf"), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_a_filtered_ranking_printed_says_what_it_was_filtered_by(
    tab: Page, base_url: str, built: BuiltSite, tmp_path: Path
) -> None:
    """The filter's fields are not printed: a page printed while filtered says what was looked for and what was
    found, above the groups folded to their headings; unfiltered, nothing of the filter is printed."""
    outcome, u = a_unit(built)
    tab.goto(url(base_url, page(outcome.rubric.id, "results")))
    tab.locator("input.kp-filter").fill(u.unit.name)
    expect(tab.locator(".kp-filter-count")).to_have_text(counted(1, 0, outcome))
    tab.emulate_media(media="print")
    expect(tab.locator(".kp-filter-count")).to_be_visible()
    expect(tab.locator("input.kp-filter")).to_be_hidden()
    printed = re.sub(r"\s+", "", pdf_text(tab.pdf(format="A4"), tmp_path))
    assert re.sub(r"\s+", "", f"查找“{u.unit.name}”：{counted(1, 0, outcome)}") in printed, printed[:400]
    assert "本组没有符合条件的单位" in printed
    tab.emulate_media(media="screen")
    tab.locator("input.kp-filter").fill("")
    tab.emulate_media(media="print")
    expect(tab.locator(".kp-filter-count")).to_be_hidden()
    assert "查找" not in re.sub(r"\s+", "", pdf_text(tab.pdf(format="A4"), tmp_path))


def test_printing_the_notice_to_pdf(tab: Page, base_url: str, built: BuiltSite, tmp_path: Path) -> None:
    notice = built.prepared.project.notices[built.notice_id]
    tab.goto(url(base_url, page(built.notice_id, "notice")))
    assert tab.locator("h1.kp-notice__title").inner_text().strip() == notice.title
    assert tab.locator("[data-print]").count() == 1
    tab.emulate_media(media="print")
    # On paper: the notice alone, without the site's header, navigation and print button.
    for chrome in (".md-header", ".md-sidebar--primary", ".kp-notice-tools"):
        assert tab.locator(chrome).first.is_hidden(), f"打印时 {chrome} 仍然显示"
    assert tab.locator("h1.kp-notice__title").is_visible()
    pdf = tab.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert pages >= 1
    # A4 is 595.3 × 841.9 points; Chromium rounds the page to whole CSS pixels.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)
    assert notice.title in re.sub(r"\s+", "", pdf_text(pdf, tmp_path))


def test_a_unit_page_fits_a_phone(browser: Browser, base_url: str, built: BuiltSite) -> None:
    # the unit with the most item rows and reasons: the widest content there is
    outcome = newest(built)
    u = max(
        (u for u in outcome.units if u.score.assessed),
        key=lambda u: (sum(len(r.reasons) for c in u.score.categories for r in c.rules), u.unit.id),
    )
    p, watch = open_page(
        browser, base_url, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        p.goto(url(base_url, unit_page(outcome.rubric.id, u.unit.id)))
        check_unit_numbers(p, u)
        ARTIFACTS.mkdir(exist_ok=True)
        p.screenshot(path=str(ARTIFACTS / "unit-phone.png"), full_page=True)
        width, inner = p.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"手机上页面横向溢出：内容宽 {width}px，屏幕宽 {inner}px"
    finally:
        p.context.close()
    watch.check()
    assert (ARTIFACTS / "unit-phone.png").stat().st_size > 0


# --------------------------------------------------------------------------------------------
# Where the content comes from, and sample data, on every page kind
# --------------------------------------------------------------------------------------------


def page_kinds(outcome: AssessmentOutcome, unit: UnitOutcome, notice_id: str) -> dict[str, str]:
    """Every page kind of the site, as paths under it."""
    aid = outcome.rubric.id
    return {
        "home": "index.html",
        "years": html_path(assessment_index()),
        "overview": html_path(page(aid, "index")),
        "standards": html_path(page(aid, "standards")),
        "results": html_path(page(aid, "results")),
        "unit": html_path(unit_page(aid, unit.unit.id)),
        "notice": html_path(page(notice_id, "notice")),
    }


def filled_unit(outcome: AssessmentOutcome) -> UnitOutcome:
    """An assessed unit some of whose items are filled in (补充)."""
    return next(u for u in outcome.units if u.score.assessed and any(c.illustrative for c in u.score.categories))


def test_every_page_kind_shows_where_its_content_comes_from(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    kinds = page_kinds(outcome, filled_unit(outcome), built.notice_id)
    for kind, path in kinds.items():
        tab.goto(base_url + path)
        if kind in ("home", "years"):
            # The cards say which assessments hold filled-in content.
            assert tab.locator(".kp-card .kp-tag", has_text="含补充内容").first.is_visible(), kind
            continue
        legend = tab.locator(".kp-legend").first
        assert legend.is_visible() and "补充：原文件没有规定" in legend.inner_text(), kind
        if kind in ("standards", "results", "unit", "notice"):
            mark = tab.locator(".kp-mark--filled:not(.kp-legend .kp-mark)").first
            assert mark.is_visible(), kind
            assert (mark.get_attribute("title") or "").startswith("补充"), kind
    # The standards page names the document by its particulars, never by a file.
    tab.goto(base_url + kinds["standards"])
    document = tab.locator(".kp-document").inner_text()
    assert "依据：《党建工作综合考核办法》" in document and "文号：原文件没有写明" in document
    assert ".txt" not in tab.content()
    # A reading (解读) is shown with the passage it reads.
    assert tab.locator(".kp-origins .kp-mark--reading").first.is_visible()


def test_every_page_built_from_sample_results_shows_the_banner(tab: Page, base_url: str, built: BuiltSite) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    assert outcome.sample is not None
    for kind, path in page_kinds(outcome, filled_unit(outcome), built.notice_id).items():
        if kind == "standards":
            continue  # the rubric's page, not built from results
        tab.goto(base_url + path)
        banner = tab.locator(".kp-sample").first
        assert banner.is_visible() and "示例数据" in banner.inner_text(), kind


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AssessmentOutcome]]:
    """One bundled assessment as an office's real year: the README's 示例数据 line and the notice's flag removed."""
    from conftest_site import copy_project

    from generator.data.pipeline import prepare
    from generator.site.build import Progress, build

    aid = "wujin-2017"
    root = copy_project(tmp_path_factory.mktemp("real") / "project")
    for folder in ("rubrics", "results"):
        for other in (root / folder).iterdir():
            if other.is_dir() and other.name != aid:
                shutil.rmtree(other)
            elif other.is_file() and other.stem != aid:
                other.unlink()
    readme = root / "results" / aid / "README.md"
    readme.write_text(
        "\n".join(line for line in readme.read_text(encoding="utf-8").splitlines() if not line.startswith("示例数据")),
        encoding="utf-8",
    )
    notice = root / "results" / aid / "notice.yml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("illustrative: true\n", ""), encoding="utf-8")
    result = build(root, progress=Progress(quiet=True))
    assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
    prepared = prepare(root)
    assert prepared.outcomes[aid].sample is None
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", prepared.outcomes[aid]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_an_offices_real_results_show_no_banner(browser: Browser, real_site: tuple[str, AssessmentOutcome]) -> None:
    base, outcome = real_site
    unit = next(u for u in outcome.units if u.score.assessed)
    p, watch = open_page(browser, base)
    try:
        for kind, path in page_kinds(outcome, unit, outcome.rubric.id).items():
            p.goto(base + path)
            assert p.locator(".kp-sample").count() == 0, kind
            assert "示例数据" not in p.locator("article").first.inner_text(), kind
            if kind not in ("home", "years"):
                assert p.locator(".kp-legend").first.is_visible(), kind  # provenance is shown all the same
        csv_url = base + download(outcome.rubric.id, f"{outcome.rubric.id}-results.csv")
        first = p.request.get(csv_url).body().decode("utf-8-sig").splitlines()[0]
        assert first.startswith("单位代码,")
    finally:
        p.context.close()
    watch.check()
