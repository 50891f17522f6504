"""The pages as a unit secretary reads them on a phone and an office prints them, in Chromium.

- axe-core on every page kind, at phone and desktop size, in the light and the dark palette: no serious or
  critical violation.
- The ranking on a phone: the table starts on the first screen, 名次 · 单位 · 综合得分 · 等次 first, sorted by
  综合得分 from the highest, 单位 kept in view while the other columns scroll, a new sort said aloud.
- A unit's page on a phone: 失分项 (every item where points were lost, with its reasons) on the first screens;
  a link to an item (``#3.5.3``) opens its part of the whole table at that row.
- The standards on a phone: a table of contents, the parts folded, a part opened from the contents.
- The palette follows the system's setting; the header's toggle switches it.
- Print: every page kind to A4 without clipping (each page's text read back with pypdf and found inside the
  paper), the table header on every page, a unit page of up to 80 items on at most 3 pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest_site import BuiltSite
from pdfread import Page as PdfPage
from pdfread import fold, read_pdf, width_em
from playwright.sync_api import Browser, Page, expect
from test_browser import (
    ARTIFACTS,
    CHROMIUM,
    a_unit,
    base_url,
    browser,
    built,
    newest,
    open_page,
    page_kinds,
    url,
)

from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.site.paths import html_path, page, unit_page
from generator.site.views.lost import item_anchor

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium（make test 会安装它）")

PHONE: dict[str, Any] = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    p, watch = open_page(browser, base_url, **PHONE)
    yield p
    p.context.close()
    watch.check()


def nodes(categories: tuple[NodeOutcome, ...]) -> Iterator[NodeOutcome]:
    for n in categories:
        yield n
        if n.applicable:
            yield from nodes(n.children)


def rows_of(u: UnitOutcome) -> list[NodeOutcome]:
    """The rows of the unit's whole table: applicable categories and what is under them."""
    return [n for c in u.score.categories if c.applicable for n in nodes((c,))]


def lost_items(u: UnitOutcome) -> list[str]:
    """The engine's 失分项: items where a rule took points (or that lost points with nothing under them)."""
    out = []
    for c in u.score.categories:
        if not c.applicable:
            continue
        for n in nodes((c,)):
            if not n.applicable or not n.lost or (n is c and not any(r.lost for r in n.rules)):
                continue
            below = any(ch.applicable and ch.lost for ch in n.children)
            if any(r.lost for r in n.rules) or not below:
                out.append(n.id)
    return out


# --------------------------------------------------------------------------------------------
# Accessibility
# --------------------------------------------------------------------------------------------


def serious(p: Page) -> list[str]:
    found = Axe().run(p).response["violations"]
    return [
        f"{v['id']}（{v['impact']}）：{v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_axe_finds_no_serious_violation_on_any_page_kind(
    browser: Browser, base_url: str, built: BuiltSite, scheme: str, size: str
) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    biggest = max((u for u in outcome.units if u.score.assessed), key=lambda u: (len(rows_of(u)), u.unit.id))
    kinds = page_kinds(outcome, biggest, built.notice_id)
    p, watch = open_page(browser, base_url, color_scheme=scheme, **(PHONE if size == "phone" else DESKTOP))
    try:
        found = {}
        for kind, path in kinds.items():
            p.goto(base_url + path)
            expected = "slate" if scheme == "dark" else "default"
            assert p.locator("body").get_attribute("data-md-color-scheme") == expected, kind
            bad = serious(p)
            if bad:
                found[kind] = bad
        assert not found, f"axe（{size}，{scheme}）：{found}"
    finally:
        p.context.close()
    watch.check()


def test_the_palette_follows_the_system_and_the_toggle_switches_it(browser: Browser, base_url: str) -> None:
    p, watch = open_page(browser, base_url, color_scheme="dark", **DESKTOP)
    try:
        p.goto(base_url + "index.html")
        body = p.locator("body")
        assert body.get_attribute("data-md-color-scheme") == "slate"
        background = p.evaluate("getComputedStyle(document.body).backgroundColor")
        p.locator("label.md-header__button[for^='__palette']:visible").first.click()
        assert body.get_attribute("data-md-color-scheme") == "default"
        assert p.evaluate("getComputedStyle(document.body).backgroundColor") != background
    finally:
        p.context.close()
    watch.check()


# --------------------------------------------------------------------------------------------
# The ranking on a phone
# --------------------------------------------------------------------------------------------


def test_the_ranking_on_a_phone(phone: Page, base_url: str, built: BuiltSite) -> None:
    outcome = newest(built)
    phone.goto(url(base_url, page(outcome.rubric.id, "results")))
    table = phone.locator("table.kp-ranking").first
    heads = [h.strip() for h in table.locator("thead th .kp-sort__label").all_inner_texts()]
    assert heads[:4] == ["名次", "单位", "综合得分", "等次"]
    # the ranking starts on the first screen: its header and the first rows
    assert table.locator("thead").bounding_box()["y"] < 600  # type: ignore[index]
    first_row = table.locator("tbody tr").first.bounding_box()
    assert first_row is not None and first_row["y"] + first_row["height"] < 780
    # sorted by 综合得分 from the highest, and said so
    total_head = table.locator("thead th").nth(2)
    assert total_head.get_attribute("aria-sort") == "descending"
    totals = [t.strip() for t in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    values = [Decimal(t) for t in totals if t]
    assert values == sorted(values, reverse=True) and len(values) >= 3
    assert "综合得分从高到低" in table.locator("caption").inner_text()
    # 单位 stays in view while the table scrolls sideways; the last column comes into view
    wrap = phone.locator(".kp-table-wrap").first
    unit_cell = table.locator("tbody tr").first.locator("td").nth(1)
    last_cell = table.locator("tbody tr").first.locator("td").last
    before_unit, before_last = unit_cell.bounding_box(), last_cell.bounding_box()
    assert before_unit and before_last and before_last["x"] > 360, "其他各列应在屏幕右边，左右滑动可见"
    scrolled = wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; return w.scrollLeft; }")
    assert scrolled > 100
    after_unit, after_last = unit_cell.bounding_box(), last_cell.bounding_box()
    assert after_unit and after_last
    assert abs(after_unit["x"] - before_unit["x"]) < 1, "单位一栏应固定在左边"
    assert after_last["x"] + after_last["width"] <= 361
    # the unit's name is not covered by the scrolled columns: it is the element at its own centre
    x, y = after_unit["x"] + 8, after_unit["y"] + after_unit["height"] / 2
    assert phone.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('td').classList.contains('kp-unit')", [x, y]
    )
    # a new sort is announced and marked on its header
    rank_head = table.locator("thead th").nth(0)
    rank_head.locator("button").click()
    assert rank_head.get_attribute("aria-sort") == "ascending" and total_head.get_attribute("aria-sort") is None
    status = phone.locator("[data-sort-status]")
    assert status.get_attribute("role") == "status" and "名次" in status.inner_text()
    assert "名次" in table.locator("caption").inner_text()


# --------------------------------------------------------------------------------------------
# A unit's page on a phone, and links to its items
# --------------------------------------------------------------------------------------------


def test_a_unit_page_on_a_phone_shows_its_lost_points_first(phone: Page, base_url: str, built: BuiltSite) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    u = max((u for u in outcome.units if u.score.assessed), key=lambda u: (len(rows_of(u)), u.unit.id))
    phone.goto(url(base_url, unit_page(outcome.rubric.id, u.unit.id)))
    section = phone.locator("section.kp-lost-section")
    shown = [re.match(r"\S+", t).group(0) for t in section.locator(".kp-lost__title").all_inner_texts()]  # type: ignore[union-attr]
    assert shown == lost_items(u) and shown, "失分项应正好是扣了分的各项"
    # with the reasons the assessors wrote
    reasons = {r for n in nodes(u.score.categories) for rule in n.rules if rule.lost for r in rule.reasons}
    assert reasons and set(section.locator(".kp-lost__reason").all_inner_texts()) == reasons
    # the first lost item and its reason are on the first two screens (it was the fourth)
    first = section.locator(".kp-lost__items > li").first.bounding_box()
    assert first is not None and first["y"] < 2 * 780
    # the whole table: folded by part, every row there with its anchor
    assert phone.locator("details.kp-part[open]").count() == 0
    ids = phone.locator("table.kp-items tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert ids == [item_anchor(n.id) for n in rows_of(u)]
    # a lost item's link opens its part at its row
    item = lost_items(u)[-1]
    section.locator(".kp-lost__title", has_text=item).first.click()
    row = phone.locator(f"tr[id='{item_anchor(item)}']")
    assert row.is_visible() and row.evaluate("r => r.closest('details').open")
    box = row.bounding_box()
    assert box is not None and 0 <= box["y"] < 780
    # each number labelled with its column's heading (the heading row is hidden on a phone; cells carry no label)
    heads = row.locator("xpath=ancestor::table").locator("thead th").all_text_contents()
    labels = row.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    numbers = range(2, len(heads) - 1)  # 分值, 扣分, 得分 and 自查分 where the table has it
    assert [labels[i] for i in numbers] == [f'"{heads[i]} "' for i in numbers], labels
    assert {labels[0], labels[1], labels[-1]} == {"none"}, labels


def test_folded_parts_show_their_arrow_and_number_not_a_note_icon(phone: Page, base_url: str, built: BuiltSite) -> None:
    """Material draws a note icon (placed over the text, painted through a mask) in every summary's ::before:
    the parts of a unit's table and of the standards show their arrow there, before their number, in the flow."""
    outcome, u = a_unit(built)
    aid = outcome.rubric.id
    for path, selector in (
        (unit_page(aid, u.unit.id), "details.kp-part > summary"),
        (page(aid, "standards"), "details.kp-std-part > summary"),
    ):
        phone.goto(url(base_url, path))
        summary = phone.locator(selector).first
        arrow = summary.evaluate(
            "e => { const c = getComputedStyle(e, '::before');"
            " return [c.content, c.position, c.maskImage || c.webkitMaskImage, c.backgroundColor] }"
        )
        assert arrow[0].strip('" ') in ("▸", "▾") and arrow[1:] == ["static", "none", "rgba(0, 0, 0, 0)"], (path, arrow)
        # the number is the first thing read after the arrow, inside the summary's box
        text = summary.evaluate("e => e.textContent.trim()")
        assert re.match(r"^[0-9A-Za-z.]+\s", text), (path, text)
        box, own = summary.bounding_box(), summary.locator("xpath=./*").first.bounding_box()
        assert box is not None and own is not None and own["x"] >= box["x"] + 8, (path, box, own)


def test_the_first_tab_on_a_unit_page_skips_to_its_content(phone: Page, base_url: str, built: BuiltSite) -> None:
    """Material gives its skip link only to pages with a table of contents; a unit page has none, and on a phone
    the keyboard would otherwise walk through the whole hidden navigation first."""
    outcome, u = a_unit(built)
    phone.goto(url(base_url, unit_page(outcome.rubric.id, u.unit.id)))
    phone.keyboard.press("Tab")
    focused = phone.evaluate(
        "() => [document.activeElement.classList.contains('md-skip'), document.activeElement.getAttribute('href')]"
    )
    assert focused == [True, "#unit"], focused
    assert phone.locator("a.md-skip").is_visible()
    phone.keyboard.press("Enter")
    assert phone.evaluate("() => location.hash") == "#unit"
    # one skip link, also on a page that has Material's own
    phone.goto(url(base_url, page(outcome.rubric.id, "standards")))
    assert phone.locator("a.md-skip").count() == 1


def test_the_grade_and_its_change_fit_on_a_small_phone(browser: Browser, base_url: str, built: BuiltSite) -> None:
    """The longest grade's words (达标单位, 基本达标单位) and the change from last year, on a 360 px phone: on one
    line each, not broken inside a word."""
    outcome, u = max(
        ((o, u) for o in built.prepared.outcomes.values() for u in o.units if u.score.assessed),
        key=lambda ou: (len(ou[1].standing.label), ou[0].rubric.year, ou[1].unit.id),
    )
    assert len(u.standing.label) >= 4
    p, watch = open_page(browser, base_url, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    try:
        p.goto(url(base_url, unit_page(outcome.rubric.id, u.unit.id)))
        value = p.locator(".kp-stat--grade .kp-stat__value")
        assert value.inner_text().strip().startswith(u.standing.label)
        height, line = value.evaluate("e => [e.offsetHeight, parseFloat(getComputedStyle(e).lineHeight)]")
        assert height < 1.5 * line, f"等次“{u.standing.label}”在 360 px 的手机上折成了 {height / line:.1f} 行"
    finally:
        p.context.close()
    watch.check()


def test_a_link_to_an_item_opens_its_row(browser: Browser, base_url: str, built: BuiltSite) -> None:
    """A link in a chat message, ``units/xq-07.html#3.5.3``, opened in a new tab."""
    outcome, u = a_unit(built)
    item = [n for n in rows_of(u) if not n.children][len(rows_of(u)) // 3]
    for context in (PHONE, DESKTOP):
        p, watch = open_page(browser, base_url, **context)
        try:
            p.goto(url(base_url, unit_page(outcome.rubric.id, u.unit.id)) + "#" + item_anchor(item.id))
            row = p.locator(f"tr[id='{item_anchor(item.id)}']")
            row.wait_for(state="visible")
            box = row.bounding_box()
            height = context["viewport"]["height"]
            assert box is not None and 0 <= box["y"] < height, f"链接打开后 {item.id} 这一行应在屏幕上：{box}"
            assert row.locator("td").first.inner_text().strip() == item.id
        finally:
            p.context.close()
        watch.check()


# --------------------------------------------------------------------------------------------
# The standards on a phone
# --------------------------------------------------------------------------------------------


def test_the_standards_on_a_phone_have_contents_and_folded_parts(phone: Page, base_url: str, built: BuiltSite) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    phone.goto(url(base_url, page(outcome.rubric.id, "standards")))
    categories = outcome.rubric.indicators
    toc = phone.locator("nav.kp-toc")
    for c in categories:
        assert toc.locator(f"a[href='#n-{c.id.replace('.', '-')}']").count() == 1, c.id
    parts = phone.locator("details.kp-std-part")
    assert parts.count() == len(categories)
    assert phone.locator("details.kp-std-part[open]").count() == 0
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 15 * 780, f"考核标准在手机上有 {height}px 高"
    # the document by its particulars, never a file name
    assert "依据：《" in phone.locator(".kp-document").inner_text() and ".txt" not in phone.content()
    # a part opened from the contents
    last = categories[-1]
    toc.locator(f"a[href='#n-{last.id.replace('.', '-')}']").click()
    heading = phone.locator(f"[id='n-{last.id.replace('.', '-')}']")
    assert heading.evaluate("h => h.closest('details').open")
    nested = phone.locator(f"[id='n-{last.children[0].id.replace('.', '-')}']") if last.children else heading
    assert nested.is_visible()
    box = heading.bounding_box()
    assert box is not None and -5 <= box["y"] < 780


def test_a_tapped_mark_says_what_it_means(phone: Page, base_url: str, built: BuiltSite) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    phone.goto(url(base_url, page(outcome.rubric.id, "standards")))
    tip = phone.locator(".kp-tip")
    # a mark in a part's heading: explained, and the part stays folded
    mark = phone.locator("details.kp-std-part > summary .kp-mark[title]").first
    title = mark.get_attribute("title")
    assert title and title.startswith(("补充", "解读"))
    mark.tap()
    assert tip.inner_text() == title and tip.get_attribute("role") == "status"
    assert mark.evaluate("m => m.closest('details').open") is False
    box = tip.bounding_box()
    assert box is not None and 0 <= box["y"] <= box["y"] + box["height"] <= 780, "说明应在屏幕内"
    mark.tap()
    assert tip.count() == 0, "再点一下，说明收起"
    mark.tap()
    phone.keyboard.press("Escape")
    assert tip.count() == 0
    # a tap elsewhere opens the part, as before
    phone.locator("details.kp-std-part > summary").first.tap()
    assert phone.locator("details.kp-std-part").first.evaluate("d => d.open")
    assert tip.count() == 0


def test_the_standards_on_a_wide_screen_show_every_part(browser: Browser, base_url: str, built: BuiltSite) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    p, watch = open_page(browser, base_url, **DESKTOP)
    try:
        p.goto(url(base_url, page(outcome.rubric.id, "standards")))
        child = p.locator(f"[id='n-{outcome.rubric.indicators[0].children[0].id.replace('.', '-')}']")
        # The page's script opens every part on a wide screen; a tap before that would open, not fold.
        p.wait_for_function("() => document.querySelector('details.kp-std-part').open")
        expect(child).to_be_visible()
        p.locator("details.kp-std-part > summary").first.click()  # one tap folds a part
        expect(child).to_be_hidden()  # the fold's class is set by the toggle event, which comes a moment later
    finally:
        p.context.close()
    watch.check()


# --------------------------------------------------------------------------------------------
# Print
# --------------------------------------------------------------------------------------------

#: The page's printable area in mm (assets/kaoping.css: margins 14 13 16 15 mm), and a little give.
PRINT_RIGHT = 210 - 13 + 1  # widths are estimated from the characters (digits as half a character)
PRINT_BOTTOM = 297 - 16 + 0.5


def print_pdf(browser: Browser, base_url: str, path: str, name: str) -> list[PdfPage]:
    p, watch = open_page(browser, base_url, **DESKTOP)
    try:
        p.goto(base_url + path)
        p.wait_for_function("() => document.fonts.status === 'loaded'")
        pdf = p.pdf(prefer_css_page_size=True, print_background=False)
    finally:
        p.context.close()
    watch.check()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"print-{name}.pdf").write_bytes(pdf)
    return read_pdf(pdf)


def assert_inside(pages: list[PdfPage], what: str) -> None:
    for i, pg in enumerate(pages, 1):
        assert abs(pg.width - 210) < 0.7 and abs(pg.height - 297) < 0.7, f"{what} 第 {i} 页不是 A4"
        for line in pg.lines():
            assert line.x0 >= 0 and line.x1 <= PRINT_RIGHT, (
                f"{what} 第 {i} 页“{line.text[:20]}”超出纸张右边：{line.x1:.1f} mm"
            )
            assert 0 < line.y < PRINT_BOTTOM + 10, f"{what} 第 {i} 页“{line.text[:20]}”超出纸张"
    # The page's title is set at 15 pt on paper: shrunk to fit, it would be smaller.
    sizes = sorted({round(r.size, 1) for r in pages[0].runs})
    assert 15.0 in sizes, f"{what} 的标题不是 15 pt（{sizes}）：页面被缩小了"


def printed_text(pages: list[PdfPage]) -> str:
    return fold("".join(pg.text for pg in pages))


def test_every_page_kind_prints_to_a4_without_clipping(browser: Browser, base_url: str, built: BuiltSite) -> None:
    outcome = built.prepared.outcomes["zonghe-2020"]
    u = max((u for u in outcome.units if u.score.assessed), key=lambda u: (len(rows_of(u)), u.unit.id))
    for kind, path in page_kinds(outcome, u, built.notice_id).items():
        if kind == "notice":
            continue  # its own page and sizes: tests/test_notice_print.py
        pages = print_pdf(browser, base_url, path, kind)
        assert_inside(pages, kind)
        text = printed_text(pages)
        # sample results say so on every printed page (a watermark, as on a sample notice); the standards do not
        for i, pg in enumerate(pages, 1):
            marks = {r.text for r in pg.runs if r.size > 60 and r.text in "示例"}
            shows = kind in ("overview", "results", "unit") and outcome.sample is not None
            assert marks == ({"示", "例"} if shows else set()), f"{kind} 第 {i} 页的“示例”水印：{marks}"
        if kind == "results":
            # every unit, its total and its grade: the table's right-hand columns are on the paper too
            for x in outcome.units:
                assert fold(x.unit.name) in text, x.unit.name
            last_column = [
                fmt(x.score.penalty_total) for x in outcome.units if x.score.assessed and x.score.penalty_total
            ]
            for value in last_column:
                assert value in text
            for pg in pages:
                if any(fold(x.unit.name) in fold(pg.text) for x in outcome.units):
                    assert "综合得分" in pg.text, "排名表的表头应在每一页上重复"
        if kind == "unit":
            for n in rows_of(u):
                # a title may wrap in its cell, its second line read beside the other cells' text: its start
                assert fold(n.node.title)[:6] in text, f"打印的单位页面缺少 {n.id}（折叠的部分应展开）"
            # from the page where the table starts to the one with its last row, each page has its header
            texts = [fold(pg.text) for pg in pages]
            first = next(i for i, t in enumerate(texts) if "考核项目" in t)
            last = max(i for i, t in enumerate(texts) if fold(rows_of(u)[-1].node.title)[:6] in t)
            assert last > first and all("考核项目" in t for t in texts[first : last + 1]), (
                "逐项得分表的表头应在每一页上重复"
            )
        if kind == "standards":
            for n in nodes_of_rubric(outcome):
                assert fold(n) in text, f"打印的考核标准缺少“{n}”（折叠的部分应展开）"


def nodes_of_rubric(outcome: AssessmentOutcome) -> list[str]:
    out = []
    stack = list(outcome.rubric.indicators)
    while stack:
        n = stack.pop(0)
        out.append(n.title)
        stack[:0] = n.children
    return out


def test_a_unit_page_of_up_to_80_items_prints_on_3_pages(browser: Browser, base_url: str, built: BuiltSite) -> None:
    candidates = [
        (o, u) for o in built.prepared.outcomes.values() for u in o.units if u.score.assessed and len(rows_of(u)) <= 80
    ]
    # the most items and then the most reasons: the longest page there is at this size
    outcome, u = max(
        candidates,
        key=lambda ou: (
            len(rows_of(ou[1])),
            sum(width_em("".join(r.reasons)) for n in nodes(ou[1].score.categories) for r in n.rules),
        ),
    )
    assert len(rows_of(u)) > 40
    pages = print_pdf(browser, base_url, html_path(unit_page(outcome.rubric.id, u.unit.id)), "unit-80")
    assert len(pages) <= 3, f"{outcome.rubric.id}/{u.unit.id}（{len(rows_of(u))} 项）打印了 {len(pages)} 页"
    assert_inside(pages, "单位页面")
    text = printed_text(pages)
    for n in rows_of(u):
        assert fold(n.node.title)[:6] in text, n.id
    assert fmt(u.score.total) in text
