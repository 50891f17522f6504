"""The notice (通报) printed from Chromium to A4 and measured against GB/T 9704-2012, item by item.

Each bundled notice is opened in Chromium and printed to PDF as a clerk's Ctrl+P does (the page size and
margins from the page's CSS, background graphics off); the PDF is read back with pypdf (tests/pdfread.py)
and measured. The checklist (tolerances in brackets):

1. A4, nothing shrunk: the body is 3号 (16 pt ± 0.1), so Chromium did not scale the page to fit.
2. 版心: text starts 28 mm from the left (± 0.5) and ends by 184 mm (156 mm wide); on every page after the
   first, the first line's box starts 37 mm from the top (± 1).
3. 22 lines × 28 characters: consecutive body lines 225/22 mm apart (± 0.1), a full page holds 22 lines, a
   full line of Chinese characters holds 28.
4. 标题: 2号 (22 pt ± 0.2), centred (± half a character), in the 小标宋 fallback stack, no last line of one
   or two characters alone.
5. 正文: in the 仿宋 fallback stack.
6. 发文机关标志: at least the title's size, centred, its top 35 mm below the 版心's top (± 1.5), in the
   小标宋 stack.
7. 页码: 4号 (14 pt), "— N —", 7 mm under the 版心 (± 1.5); odd pages one character in from the right
   edge, even pages from the left (± 1.5).
8. 署名 centred over the 成文日期 (± half a character); the date four characters in from the right (two
   when the issuer's name is longer, and the name then two in).
9. 版记 on the last page only, its last rule on the 版心's bottom edge (± 1): a thick rule (0.35 mm) above and
   below, a thin one (0.25 mm) between its lines, each 156 mm wide.

Which fonts were used is written to test-artifacts/notice-fonts.txt and named in every failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from conftest_site import BuiltSite
from pdfread import ASCENT, Line, Page, read_pdf, width_em
from playwright.sync_api import Browser
from test_browser import ARTIFACTS, CHROMIUM, base_url, browser, built, open_page, url

from generator.site.paths import page

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium（make test 会安装它）")

LEFT, RIGHT, TOP, BOTTOM = 28.0, 184.0, 37.0, 262.0
PITCH = 225 / 22
BODY, TITLE, PAGE_NUMBER = 16.0, 22.0, 14.0
CHAR = BODY / 72 * 25.4
#: The fallback stacks of assets/kaoping.css, as the faces' family names a PDF carries.
XIAOBIAOSONG = (
    "FZXiaoBiaoSong-B05S",
    "方正小标宋简体",
    "STZhongsong",
    "华文中宋",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
)
HEITI = ("SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC")
FANGSONG = (
    "FangSong_GB2312",
    "仿宋_GB2312",
    "FangSong",
    "仿宋",
    "STFangsong",
    "华文仿宋",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
)


@dataclass
class Checked:
    notice: str
    pages: list[Page]
    failures: list[str] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)


@pytest.fixture(scope="module")
def printed(browser: Browser, base_url: str, built: BuiltSite) -> Iterator[dict[str, list[Page]]]:
    notices = sorted(built.prepared.project.notices)
    assert len(notices) >= 5, notices
    p, watch = open_page(browser, base_url)
    out = {}
    try:
        for aid in notices:
            p.goto(url(base_url, page(aid, "notice")))
            p.wait_for_function("() => document.fonts.status === 'loaded'")
            p.wait_for_function("() => document.querySelector('.kp-notice__spacer').style.height !== ''")
            pdf = p.pdf(prefer_css_page_size=True, print_background=False)
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / f"notice-{aid}.pdf").write_bytes(pdf)
            out[aid] = read_pdf(pdf)
    finally:
        p.context.close()
    watch.check()
    yield out


#: Marks that may not start a line.
CLOSING = "，、。；：？！）》”’」』〕】…"
#: A first-level heading of the body (一、…), set in 黑体.
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def body_lines(pg: Page) -> list[Line]:
    return [line for line in pg.lines(BODY - 0.2, BODY + 0.2)]


def measure(aid: str, pages: list[Page], built: BuiltSite) -> Checked:  # noqa: C901 - one checklist, item by item
    notice = built.prepared.project.notices[aid]
    c = Checked(aid, pages)
    # 1. A4, not shrunk
    for i, pg in enumerate(pages, 1):
        c.check(
            abs(pg.width - 210) < 0.7 and abs(pg.height - 297) < 0.7,
            f"第 {i} 页不是 A4：{pg.width:.1f}×{pg.height:.1f} mm",
        )
    sizes = sorted({round(r.size, 1) for pg in pages for r in pg.runs if 14.5 < r.size < 17.5})
    c.check(sizes == [BODY], f"正文字号应为 16 pt（3号），PDF 中是 {sizes}：页面被缩放了")
    # 2–3. 版心, grid
    title = [line for line in pages[0].lines(TITLE - 0.3, TITLE + 0.3)]
    below_title = title[-1].y if title else 0
    # The body: 3号 lines, on the first page those under the title (the 发文字号 above it is the 版头's).
    lines_by_page = [[line for line in body_lines(pg) if i or line.y > below_title] for i, pg in enumerate(pages)]
    for i, lines in enumerate(lines_by_page, 1):
        for line in lines:
            c.check(line.x0 > LEFT - 0.5, f"第 {i} 页“{line.text[:8]}”左边在 {line.x0:.1f} mm，版心从 28 mm 开始")
            c.check(line.x1 < RIGHT + 0.6, f"第 {i} 页“{line.text[:8]}”右边到 {line.x1:.1f} mm，超出版心（184 mm）")
        # Baselines are set on whole pixels (0.26 mm): one line may be a pixel off, the run of them is not.
        plain = [line for line in lines if not HEADING.match(line.text)]
        for a, b in zip(plain, plain[1:], strict=False):
            c.check(
                abs((b.y - a.y) / PITCH - round((b.y - a.y) / PITCH)) * PITCH < 0.3,
                f"第 {i} 页行距 {b.y - a.y:.2f} mm 不在 {PITCH:.2f} mm 的格上",
            )
        if len(plain) > 5:
            steps = round((plain[-1].y - plain[0].y) / PITCH)
            mean = (plain[-1].y - plain[0].y) / steps
            c.check(abs(mean - PITCH) < 0.05, f"第 {i} 页平均行距 {mean:.3f} mm，应为 {PITCH:.3f} mm（每页 22 行）")
        if i > 1 and lines:
            top = lines[0].y - ASCENT * CHAR - (PITCH - CHAR) / 2
            c.check(abs(top - TOP) < 1, f"第 {i} 页第一行的行框从 {top:.1f} mm 开始，天头应为 37 mm")
        c.check(len(lines) <= 22, f"第 {i} 页有 {len(lines)} 行正文，多于 22 行")
    # 4. title
    c.check(
        bool(title) and "".join(t.text for t in title) == re.sub(r"\s+", "", notice.title), "第一页找不到标题（22 pt）"
    )
    for line in title:
        centre = (line.x0 + line.x1) / 2
        c.check(abs(centre - 105) < CHAR / 2, f"标题“{line.text}”的中线在 {centre:.1f} mm，应居中于 105 mm")
        c.fonts["标题"] = line.font
        c.check(line.runs[0].family in XIAOBIAOSONG, f"标题用了 {line.font}，不在小标宋的备选字体中")
    if len(title) > 1:
        c.check(width_em(title[-1].text) > 2, f"标题最后一行只有“{title[-1].text}”")
    # 5. body font
    fonts = {r.family for lines in lines_by_page for line in lines if not HEADING.match(line.text) for r in line.runs}
    c.fonts["正文"] = "、".join(sorted(fonts))
    c.check(bool(fonts) and fonts <= set(FANGSONG), f"正文用了 {fonts}，不在仿宋的备选字体中")
    heads = {r.family for lines in lines_by_page for line in lines if HEADING.match(line.text) for r in line.runs}
    if heads:
        c.fonts["一级标题"] = "、".join(sorted(heads))
        c.check(heads <= set(HEITI), f"一级标题（一、…）用了 {heads}，不在黑体的备选字体中")
    # 6. masthead
    masthead = [line for line in pages[0].lines(TITLE - 0.3) if line.y < 110 and line.size >= TITLE - 0.3]
    masthead = [m for m in masthead if m not in title]
    c.check(bool(masthead), "第一页找不到发文机关标志（不小于标题的字号）")
    if masthead:
        first = masthead[0]
        c.fonts["发文机关标志"] = f"{first.font}，{first.size:.0f} pt"
        top = first.y - ASCENT * first.size / 72 * 25.4
        c.check(abs(top - (TOP + 35)) < 1.5, f"发文机关标志上边缘距版心上边缘 {top - TOP:.1f} mm，应为 35 mm")
        c.check(first.size >= TITLE - 0.1, f"发文机关标志 {first.size:.1f} pt，小于标题的 22 pt")
        c.check(
            abs((first.x0 + first.x1) / 2 - 105) < first.size / 72 * 25.4,
            f"发文机关标志没有居中：{first.x0:.1f}–{first.x1:.1f} mm",
        )
        c.check(first.runs[0].family in XIAOBIAOSONG, f"发文机关标志用了 {first.font}")
    # 7. page numbers
    for i, pg in enumerate(pages, 1):
        numbers = [
            line for line in pg.lines(PAGE_NUMBER - 0.2, PAGE_NUMBER + 0.2) if re.fullmatch(rf"—\s*{i}\s*—", line.text)
        ]
        c.check(len(numbers) == 1, f"第 {i} 页找不到 4号的页码“— {i} —”")
        if numbers:
            n = numbers[0]
            top = n.y - ASCENT * PAGE_NUMBER / 72 * 25.4
            c.check(abs(top - (BOTTOM + 7)) < 1.5, f"第 {i} 页页码上距版心下边缘 {top - BOTTOM:.1f} mm，应为 7 mm")
            one = PAGE_NUMBER / 72 * 25.4
            if i % 2:
                c.check(
                    abs(n.x1 - (RIGHT - one)) < 1.5,
                    f"第 {i} 页（单页）页码右端在 {n.x1:.1f} mm，应在右空一字处 {RIGHT - one:.1f} mm",
                )
            else:
                c.check(
                    abs(n.x0 - (LEFT + one)) < 1.5,
                    f"第 {i} 页（双页）页码左端在 {n.x0:.1f} mm，应在左空一字处 {LEFT + one:.1f} mm",
                )
    # 8. signature
    all_body = [(i, line) for i, lines in enumerate(lines_by_page) for line in lines]
    issuer = [(i, line) for i, line in all_body if line.text == re.sub(r"\s+", "", notice.issuer)]
    c.check(len(issuer) >= 1, f"找不到发文机关署名“{notice.issuer}”")
    if issuer:
        i, name = issuer[-1]
        following = [line for j, line in all_body if j == i and line.y > name.y]
        c.check(bool(following), "署名下一行没有成文日期")
        if following:
            date = following[0]
            c.check(
                abs((name.x0 + name.x1) / 2 - (date.x0 + date.x1) / 2) < CHAR / 2, "发文机关署名没有以成文日期为准居中"
            )
            if width_em(name.text) <= width_em(date.text):
                c.check(
                    abs(date.x1 - (RIGHT - 4 * CHAR)) < CHAR / 2,
                    f"成文日期右端在 {date.x1:.1f} mm，应右空四字（{RIGHT - 4 * CHAR:.1f} mm）",
                )
            else:
                c.check(
                    abs(name.x1 - (RIGHT - 2 * CHAR)) < CHAR / 2,
                    f"署名长于日期时应右空二字，署名右端在 {name.x1:.1f} mm",
                )
    # 9. 版记
    if notice.copy_to or notice.printed_by:
        marks = [
            (i, line)
            for i, pg in enumerate(pages)
            for line in pg.lines(13.5, 14.5)
            if "抄送" in line.text or "印发" in line.text
        ]
        c.check(
            bool(marks) and {i for i, _ in marks} == {len(pages) - 1},
            f"版记不全在最后一页：在第 {sorted({i + 1 for i, _ in marks})} 页",
        )
        rules = sorted((r for r in pages[-1].rects if abs(r[2] - 156) < 1 and r[3] < 0.6), key=lambda r: r[1])
        c.check(len(rules) >= 2, f"最后一页找不到版记的分隔线：{pages[-1].rects}")
        if len(rules) >= 2:
            bottom = rules[-1][1] + rules[-1][3]
            c.check(abs(bottom - BOTTOM) < 1, f"版记末条分隔线在 {bottom:.1f} mm，应与版心下边缘（262 mm）重合")
            c.check(
                abs(rules[0][3] - 0.35) < 0.06 and abs(rules[-1][3] - 0.35) < 0.06, f"首末条分隔线应为 0.35 mm：{rules}"
            )
            if len(rules) > 2:
                c.check(all(abs(r[3] - 0.25) < 0.06 for r in rules[1:-1]), f"中间的分隔线应为 0.25 mm：{rules}")
            c.check(rules[0][1] < marks[0][1].y < rules[-1][1] if marks else False, "版记的文字不在分隔线之间")
    return c


def test_every_notice_passes_the_gbt_9704_checklist(printed: dict[str, list[Page]], built: BuiltSite) -> None:
    results = [measure(aid, pages, built) for aid, pages in printed.items()]
    report = [f"{c.notice}：{len(c.pages)} 页；" + "；".join(f"{k}：{v}" for k, v in c.fonts.items()) for c in results]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "notice-fonts.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))
    failed = [f"{c.notice}: {f}" for c in results for f in c.failures]
    assert not failed, "不符合 GB/T 9704：\n" + "\n".join(failed) + "\n使用的字体：\n" + "\n".join(report)


def test_a_full_page_holds_22_lines_of_28_characters(printed: dict[str, list[Page]]) -> None:
    """At least one bundled notice runs past two pages: its middle pages are full, and measured here."""
    full_pages = 0
    full_lines = 0
    for aid, pages in printed.items():
        for i, pg in enumerate(pages[1:], 2):
            lines = body_lines(pg)
            if not lines or lines[-1].y < BOTTOM - PITCH:
                continue  # the text ends on this page before its bottom line
            full_pages += 1
            assert len(lines) == 22, f"{aid} 第 {i} 页有 {len(lines)} 行正文，应为 22 行"
        lines = [line for pg in pages for line in body_lines(pg)]
        for line, after in zip(lines, [*lines[1:], None], strict=True):
            if abs(line.x0 - LEFT) < 0.5 and line.x1 > RIGHT - CHAR and all(ord(ch) >= 0x2E80 for ch in line.text):
                full_lines += 1
                # 禁则: a closing mark never starts a line, so the character before it goes down with it and
                # the line is spread over 27 characters (as Word would do too, unless it squeezes the marks).
                kinsoku = after is not None and len(after.text) > 1 and after.text[1] in CLOSING
                expected = (27, 28) if kinsoku else (28,)
                assert len(line.text) in expected, f"{aid}：“{line.text}”一行 {len(line.text)} 个字，应为 28 个"
    assert full_pages >= 1, "没有一份通报有排满的一页：22 行无从检查"
    assert full_lines >= 10, f"只有 {full_lines} 行排满汉字：28 字无从检查"


def test_the_sample_watermark_stays_inside_the_page(printed: dict[str, list[Page]], built: BuiltSite) -> None:
    """A sample notice says 示例 on every printed page, inside the page (else Chromium shrinks the print)."""
    samples = [aid for aid in printed if built.prepared.outcomes[aid].sample is not None]
    assert samples
    for aid in samples:
        for i, pg in enumerate(printed[aid], 1):
            marks = [r for r in pg.runs if r.size > 60 and r.text in "示例"]
            assert {r.text for r in marks} == {"示", "例"}, f"{aid} 第 {i} 页没有“示例”水印"
            assert all(0 < r.x < pg.width and 0 < r.y < pg.height for r in marks), f"{aid} 第 {i} 页水印超出纸张"
