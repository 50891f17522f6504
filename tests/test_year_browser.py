"""The year's pages in a real browser: a letter printed to an A4 PDF, the office's task list filtered by status
and overdue, and a unit page's workbook downloaded and opened as a clerk would.

The site is the bundled sample data, built once per session (conftest_site); the fixtures that serve it and
drive Chromium are those of test_browser.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest_site import BuiltSite
from playwright.sync_api import Browser, Page, expect
from test_browser import CHROMIUM, base_url, browser, built, open_page, tab, url  # noqa: F401

from generator.engine.outcome import AssessmentOutcome
from generator.site import paths, yearpaths
from generator.site.views.year import claim_lines

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="没有 /usr/bin/chromium，跳过浏览器测试（只在缺少 Chromium 时跳过；make test 会安装它）",
    ),
]


def pdf_text(pdf: bytes, tmp_path: Path, page: int) -> str:
    """The text of one page of ``pdf``, as pdftotext reads it."""
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext 不在（Debian 的 poppler-utils；make test 会安装它）"
    (tmp_path / "letter.pdf").write_bytes(pdf)
    args = [tool, "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(tmp_path / "letter.pdf"), "-"]
    return subprocess.run(args, capture_output=True, check=True).stdout.decode("utf-8")


def with_records(built: BuiltSite, what: str) -> AssessmentOutcome:  # noqa: F811 (the fixture's name)
    """The newest bundled assessment that has ``what`` (letters, rectification) in its year's records."""
    for outcome in sorted(built.prepared.outcomes.values(), key=lambda o: -o.rubric.year):
        if outcome.year is not None and getattr(outcome.year.records, what):
            return outcome
    raise AssertionError(f"示例数据中没有 {what}")


def test_a_letter_prints_on_a4_and_its_answer_on_a_page_of_its_own(
    tab: Page,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,  # noqa: F811
    tmp_path: Path,
) -> None:
    outcome = with_records(built, "letters")
    assert outcome.year is not None
    letter = next(x for x in outcome.year.records.letters if x.answer)
    unit = next(u for u in outcome.units if u.unit.id == letter.unit)
    tab.goto(url(base_url, yearpaths.letter_page(outcome.rubric.id, letter.id)))
    assert tab.locator("[data-print]").count() == 1
    tab.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".kp-notice-tools"):
        assert tab.locator(chrome).first.is_hidden(), f"打印时 {chrome} 仍然显示"
    pdf = tab.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    # The letter as sent on its own pages, the unit's recorded answer on the last page, alone.
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert count >= 2
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 2 and abs(float(h) - 841.9) < 2 for w, h in boxes)
    texts = [re.sub(r"\s+", "", pdf_text(pdf, tmp_path, page=n)) for n in range(1, count + 1)]
    first, second = texts[0], texts[-1]
    letter_text = "".join(texts[:-1])
    title = f"关于{unit.unit.name}党建工作有关问题的{letter.kind}"
    assert letter_text.count(title) == 1, "文书标题只印一次（网站的页面标题不印）"
    assert letter.number and letter.number in first
    assert f"{unit.unit.name}：" in first
    assert re.sub(r"\s+", "", letter.finding)[:20] in letter_text
    assert letter.answer[:10] not in letter_text
    assert "单位答复" in second and re.sub(r"\s+", "", letter.answer)[:20] in second
    assert re.sub(r"\s+", "", letter.finding)[:20] not in second
    # On paper a sample letter carries the notice's "示例" watermark (rotated: pdftotext may read it backwards).
    assert "示例" in first or "例示" in first, "示例数据生成的文书打印出来也要标明"


def rows_shown(p: Page) -> list[dict[str, str]]:
    """The task list's visible rows, as their data attributes."""
    rows = p.locator("table.kp-task-list tbody tr:visible")
    keys = ("status", "due", "late")
    return [{k: rows.nth(i).get_attribute(f"data-{k}") or "" for k in keys} for i in range(rows.count())]


def test_the_office_filters_the_tasks_by_status_and_overdue(
    tab: Page,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,  # noqa: F811
) -> None:
    outcome = with_records(built, "rectification")
    assert outcome.year is not None
    tasks = outcome.year.records.rectification
    tab.goto(url(base_url, yearpaths.office_page(outcome.rubric.id)))
    assert len(rows_shown(tab)) == len(tasks)

    tab.select_option("select.kp-task-status", "done")
    done = rows_shown(tab)
    assert done and len(done) == sum(1 for t in tasks if t.status == "done") < len(tasks)
    assert {r["status"] for r in done} == {"done"}
    assert tab.locator(".kp-filter-count").inner_text() == f"共 {len(tasks)} 项，找到 {len(done)} 项"

    # Overdue: still open at the assessment's year end, or done after the due date (未及时整改).
    tab.select_option("select.kp-task-status", "")
    tab.check("input.kp-task-overdue")
    year_end = datetime.date(outcome.rubric.year, 12, 31)
    late = [t for t in tasks if t.late_at(year_end)]
    assert 0 < len(late) < len(tasks), "示例数据应既有按期完成的，也有逾期的整改任务"
    assert len(rows_shown(tab)) == len(late)
    assert tab.locator(".kp-filter-count").inner_text() == f"共 {len(tasks)} 项，找到 {len(late)} 项"

    tab.select_option("select.kp-task-status", "done")
    assert all(r["status"] == "done" for r in rows_shown(tab))
    tab.uncheck("input.kp-task-overdue")
    tab.select_option("select.kp-task-status", "")
    assert len(rows_shown(tab)) == len(tasks) and tab.locator(".kp-filter-count").inner_text() == ""


def none_found(built: BuiltSite) -> tuple[AssessmentOutcome, str]:  # noqa: F811 (the fixture's name)
    """An assessment with a status none of whose tasks is overdue (every task done, done in time): its list
    filtered by that status and overdue finds none."""
    for o in sorted(built.prepared.outcomes.values(), key=lambda o: -o.rubric.year):
        if o.year is None:
            continue
        year_end = datetime.date(o.rubric.year, 12, 31)
        for status in ("done", "in_progress", "not_started"):
            mine = [t for t in o.year.records.rectification if t.status == status]
            if mine and not any(t.late_at(year_end) for t in mine):
                return o, status
    raise AssertionError("示例数据中没有哪种状态的整改任务都不逾期")


def test_the_task_filter_says_when_it_finds_none(browser: Browser, base_url: str, built: BuiltSite) -> None:  # noqa: F811
    """A status and overdue that no task has: on a phone the table (and its scroll hint) gives way to one line
    saying no task is found, and the counter says so; clearing the filter brings the table back as it was."""
    outcome, status = none_found(built)
    assert outcome.year is not None
    tasks = outcome.year.records.rectification
    p, watch = open_page(browser, base_url, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    try:
        p.goto(url(base_url, yearpaths.office_page(outcome.rubric.id)))
        wrap = p.locator(".kp-table-wrap:has(table.kp-task-list)")
        # the line above the table that says it scrolls sideways, shown
        hint_shown = (
            "w => { const h = w.previousElementSibling;"
            " return h.classList.contains('kp-scroll-hint') && !!h.getClientRects().length; }"
        )
        assert wrap.evaluate(hint_shown), "360 px 的手机上整改任务表应要左右滑动"
        before = wrap.evaluate("w => w.outerHTML")
        counter, none = p.locator(".kp-task-filter .kp-filter-count"), p.locator(".kp-task-none")
        rows = p.locator("table.kp-task-list tbody tr:visible")

        p.select_option("select.kp-task-status", status)
        p.check("input.kp-task-overdue")
        expect(counter).to_have_text(f"共 {len(tasks)} 项，没有符合条件的")
        expect(none).to_have_text("没有符合条件的整改任务")
        expect(none).to_be_visible()
        expect(wrap).to_be_hidden()
        expect(rows).to_have_count(0)
        assert not wrap.evaluate(hint_shown), "表格不显示时，它的左右滑动提示也不显示"
        # the counter alone is said to screen readers; the line is plain text
        assert none.get_attribute("aria-live") is None and none.get_attribute("role") is None
        assert none.evaluate("n => n.children.length") == 0

        # overdue unchecked: the tasks of the status are found, and the line goes
        p.uncheck("input.kp-task-overdue")
        shown = sum(t.status == status for t in tasks)
        expect(counter).to_have_text(f"共 {len(tasks)} 项，找到 {shown} 项")
        expect(none).to_have_count(0)
        expect(rows).to_have_count(shown)

        # the filter cleared: every task, its scroll hint, no counter, the table as it was
        p.select_option("select.kp-task-status", "")
        expect(counter).to_have_text("")
        expect(none).to_have_count(0)
        expect(rows).to_have_count(len(tasks))
        assert wrap.evaluate(hint_shown)
        assert wrap.evaluate("w => w.outerHTML") == before
    finally:
        p.context.close()
    watch.check()


def test_a_unit_downloads_its_workbook_from_its_page(
    tab: Page,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,  # noqa: F811
    tmp_path: Path,
) -> None:
    outcome = with_records(built, "letters")
    assert outcome.year is not None
    letter = outcome.year.records.letters[0]
    unit = next(u for u in outcome.units if u.unit.id == letter.unit)
    tab.goto(url(base_url, paths.unit_page(outcome.rubric.id, unit.unit.id)))
    # The unit's letters are listed on its page with whether they were answered.
    mine = [x for x in outcome.year.records.letters if x.unit == unit.unit.id]
    assert tab.locator("table.kp-letters tbody tr").count() == len(mine)
    assert letter.finding[:10] in tab.locator("table.kp-letters").inner_text()
    with tab.expect_download() as info:
        tab.get_by_text("下载本单位考核明细").click()
    # Saved under a name that keeps apart the unit's years and other units' downloads.
    stem = f"{outcome.rubric.id}-{unit.unit.id}-{unit.unit.name}"
    assert info.value.suggested_filename == f"{stem}.xlsx"
    saved = tmp_path / "unit.xlsx"
    info.value.save_as(saved)
    with tab.expect_download() as data:
        tab.get_by_text("下载本单位计分数据（JSON）").click()
    assert data.value.suggested_filename == f"{stem}.json"
    data.value.save_as(tmp_path / "unit.json")
    assert json.loads((tmp_path / "unit.json").read_text(encoding="utf-8"))["unit"]["id"] == unit.unit.id
    wb = openpyxl.load_workbook(saved)
    summary = {row[0]: row[1] for row in wb["得分汇总"].values}
    assert summary["综合得分"] == float(unit.score.total), "综合得分应是数字，不是文字"
    assert summary["名次"] == unit.standing.rank and summary["等次"] == unit.standing.label
    items = list(wb["逐项得分"].values)
    assert any(isinstance(row[2], int | float) for row in items[2:]), "分值应是数字"
    assert str(wb["逐项得分"]["A1"].value).startswith("示例数据"), "示例数据生成的下载文件每张表都要标明"
    assert all(ws.freeze_panes for ws in wb.worksheets), "每张表的表头应冻结"


def test_a_unit_page_with_its_year_fits_a_phone(browser: Browser, base_url: str, built: BuiltSite) -> None:  # noqa: F811
    """The unit with the most of the year's records (letters, objections, tasks, consequences, claims) on a phone:
    every section is there and the page does not scroll sideways (wide tables scroll in their own box)."""
    outcome = with_records(built, "letters")
    year = outcome.year
    assert year is not None

    def weight(uid: str) -> tuple[int, ...]:
        mine = year.of(uid)
        parts = (mine.letters, mine.objections, mine.tasks, mine.consequences)
        return (sum(1 for p in parts if p), sum(len(p) for p in parts))

    u = max((u for u in outcome.units if u.score.assessed), key=lambda u: (weight(u.unit.id), u.unit.id))
    mine = year.of(u.unit.id)
    p, watch = open_page(
        browser, base_url, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        p.goto(url(base_url, paths.unit_page(outcome.rubric.id, u.unit.id)))
        for section, records in (
            ("letters", mine.letters),
            ("objections", mine.objections),
            ("tasks", mine.tasks),
            ("consequences", mine.consequences),
        ):
            assert p.locator(f"h2#{section}").count() == (1 if records else 0), section
        assert sum(1 for part in (mine.letters, mine.objections, mine.tasks, mine.consequences) if part) >= 2
        width, inner = p.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"手机上页面横向溢出：内容宽 {width}px，屏幕宽 {inner}px"
    finally:
        p.context.close()
    watch.check()


def test_a_printed_unit_page_says_what_of_its_year_it_leaves_out(
    tab: Page,  # noqa: F811
    base_url: str,  # noqa: F811
    built: BuiltSite,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A unit's printout is its scores: the year's records are left out, and the paper says so (a reader
    holding it must not think the unit had no letters or tasks); the screen does not say it."""
    outcome = with_records(built, "letters")
    assert outcome.year is not None
    letter = outcome.year.records.letters[0]
    tab.goto(url(base_url, paths.unit_page(outcome.rubric.id, letter.unit)))
    assert tab.locator(".kp-print-only").is_hidden()
    pdf = tab.pdf(format="A4")
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    text = "".join(re.sub(r"\s+", "", pdf_text(pdf, tmp_path, page=n)) for n in range(1, count + 1))
    assert "意见书和督办单" in text and "没有打印" in text, text[-300:]
    assert letter.finding[:8] not in text, "打印时意见书一节应略去"
    # a page without letters does not say they were left out
    year = outcome.year
    other = next(u for u in outcome.units if not year.of(u.unit.id).letters and year.of(u.unit.id).next_tasks)
    tab.goto(url(base_url, paths.unit_page(outcome.rubric.id, other.unit.id)))
    pdf = tab.pdf(format="A4")
    count = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    text = "".join(re.sub(r"\s+", "", pdf_text(pdf, tmp_path, page=n)) for n in range(1, count + 1))
    assert "没有打印" in text and "意见书和督办单" not in text, text[-300:]


def test_a_table_wider_than_a_phone_says_it_scrolls(browser: Browser, base_url: str, built: BuiltSite) -> None:  # noqa: F811
    """A table that scrolls in its own box says so above it, and can be scrolled from the keyboard (a named,
    focusable region); one that fits says nothing. The claims table of a unit with claims, on a 360 px phone."""
    outcome, u = next((o, u) for o in built.prepared.outcomes.values() for u in o.units if claim_lines(u))
    p, watch = open_page(browser, base_url, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    try:
        p.goto(url(base_url, paths.unit_page(outcome.rubric.id, u.unit.id)))
        expect(p.locator(".kp-scroll-hint").first).to_be_attached()
        wraps = p.locator(".kp-table-wrap").evaluate_all(
            """ws => ws.map(w => [w.scrollWidth > w.clientWidth + 1, w.getAttribute('role'), w.tabIndex,
                 (document.getElementById(w.getAttribute('aria-labelledby') || '') || {}).textContent || '',
                 (w.previousElementSibling && w.previousElementSibling.classList.contains('kp-hint'))
                   ? w.previousElementSibling.textContent : ''])"""
        )
        assert any(scrolls for scrolls, *_ in wraps), "360 px 的手机上加分认定表应要左右滑动"
        for scrolls, role, tabindex, name, hint in wraps:
            assert role == "region" and tabindex == 0 and name, (role, tabindex, name)
            assert ("左右滑动" in hint) == scrolls, (name, scrolls, hint)
        p.set_viewport_size({"width": 1400, "height": 900})
        # (the hints follow the width once a resize settles) on a wide screen every table fits
        expect(p.locator(".kp-scroll-hint")).to_have_count(0)
    finally:
        p.context.close()
    watch.check()
