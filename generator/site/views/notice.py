"""The notice's context (通报): the units by grade, the document's particulars."""

from __future__ import annotations

from dataclasses import dataclass

from generator.engine.exact import fmt
from generator.engine.grading import label as grade_label
from generator.engine.models import GRADE_ORDER, Rubric
from generator.engine.outcome import AssessmentOutcome
from generator.engine.provenance import Mark
from generator.engine.results import Notice
from generator.site import paths
from generator.site.views.common import _grade_in_use, by_pool, date_cn
from generator.site.views.origin import filled_notes, grade_basis_marks
from generator.site.views.yearnotice import NoticeYear, notice_year

# --------------------------------------------------------------------------------------------
# Notice
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeGroup:
    heading: str
    pools: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class NoticeContext:
    path: str
    rubric: Rubric
    notice: Notice
    masthead: str
    #: Font size of the masthead (发文机关标志) in points: as large as fits the 156 mm 版心 on one line, from
    #: the title's 22 pt up to 42 pt (15 mm a character), so that the red name dominates the page.
    masthead_pt: int
    opening: tuple[str, ...]
    groups: tuple[NoticeGroup, ...]
    closing: tuple[str, ...]
    publicity: str
    date: str
    #: The issuer's name is longer than the date: it keeps two characters from the right edge instead of four.
    sign_long: bool
    printed_date: str
    #: The results are sample data, or the notice's particulars are (示例).
    sample: bool
    #: Per unit type, how much of the indicator points the grades rest on are filled in.
    filled_notes: tuple[str, ...]
    #: What else the grades rest on that is not the document's own (补充 / 解读).
    basis: tuple[Mark, ...]
    #: The annex: objections, adjusted results, consequences (views.yearnotice).
    year: NoticeYear


_CN_NUMBERS = "一二三四五六七八九十"
#: The 版心's width in points (156 mm).
TYPE_AREA_PT = 156 / 25.4 * 72


def text_width(text: str) -> float:
    """Width in characters of the body's size: Chinese characters one, digits and Latin letters one half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def masthead_points(masthead: str) -> int:
    """The masthead's size: one line across the 版心 if it can (with a character's room to spare: Latin
    letters in the title face are wider than half a character), between 22 and 42 points."""
    return max(22, min(42, int(TYPE_AREA_PT / (max(1.0, text_width(masthead)) + 1))))


def notice_context(outcome: AssessmentOutcome, notice: Notice) -> NoticeContext:
    r = outcome.rubric
    assessed = [u for u in outcome.units if u.score.assessed]
    pools = by_pool(outcome, assessed)
    # Ranked in pools or groups: each line of a grade names its pool (县（市、区）, 第一组 …).
    show_pools = len(pools) > 1
    groups: list[NoticeGroup] = []
    for grade in GRADE_ORDER:
        if not _grade_in_use(r, grade):
            continue
        entries = []
        count = 0
        for _pid, pool_name, units in pools:
            members = sorted(
                (u for u in units if u.standing.grade == grade), key=lambda u: (u.standing.rank or 0, u.unit.id)
            )
            if not members:
                continue
            count += len(members)
            names = tuple(
                f"{u.unit.name}（{fmt(u.score.total)} 分）" if notice.show_scores else u.unit.name for u in members
            )
            entries.append((pool_name if show_pools else "", names))
        if count:
            heading = f"{_CN_NUMBERS[len(groups)]}、{grade_label(r.grading, grade)}（{count} 个）"
            groups.append(NoticeGroup(heading, tuple(entries)))
    opening = notice.opening or (
        f"根据《{r.title}》，{r.issuer}对{len(assessed)}个单位{r.year}年度党建工作进行了考核。"
        "经研究，现将考核结果通报如下：",
    )
    publicity = ""
    if notice.publicity is not None:
        p = notice.publicity
        phone = f"（电话：{p.phone}）" if p.phone else ""
        address = f"，或来函至{p.address}" if p.address else ""
        publicity = (
            f"以上结果自{date_cn(p.start)}至{date_cn(p.end)}进行公示。"
            f"如有异议，请在公示期内向{p.contact}反映{phone}{address}。"
        )
        if notice.date > p.end:  # issued after the period: say what it was, not what to do in it
            publicity = f"以上结果已于{date_cn(p.start)}至{date_cn(p.end)}进行公示。"
    return NoticeContext(
        path=paths.page(r.id, "notice"),
        rubric=r,
        notice=notice,
        masthead=notice.masthead or f"{notice.issuer}文件",
        masthead_pt=masthead_points(notice.masthead or f"{notice.issuer}文件"),
        opening=tuple(opening),
        groups=tuple(groups),
        closing=notice.closing,
        publicity=publicity,
        date=date_cn(notice.date),
        sign_long=text_width(notice.issuer) > text_width(date_cn(notice.date)),
        printed_date=date_cn(notice.printed_date) if notice.printed_date else "",
        sample=outcome.sample is not None or notice.illustrative,
        filled_notes=filled_notes(r),
        basis=grade_basis_marks(r),
        year=notice_year(outcome, notice),
    )
