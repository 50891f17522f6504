"""The unit page's context: every point a unit lost and why, and where it stands."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.engine.exact import fmt
from generator.engine.models import VETO_EFFECT_NAMES, GradeKey, Rubric
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.engine.provenance import Mark, Provenance, provenance
from generator.engine.results import Notice
from generator.engine.wording import all_words, rule_words, words
from generator.site import paths
from generator.site.charts import Distribution, YearLine, year_line
from generator.site.views import unit_numbers
from generator.site.views.common import Change, History, HistoryRow, points_lost
from generator.site.views.lost import LostPart, item_anchor, lost_parts, part_anchor
from generator.site.views.origin import grade_rests_on_filled, grading_note, points_mark, rule_marks
from generator.site.views.unit_numbers import Bar, FormulaLine, PoolStats
from generator.site.views.year import UnitYearView, unit_year_view

# --------------------------------------------------------------------------------------------
# Unit page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleLine:
    explanation: str
    reasons: tuple[str, ...]
    earned: str | None
    #: 补 / 解 for the rule or its numbers (see the standards page for what they say).
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class ItemRow:
    depth: int
    id: str
    #: The row's id on the page (``#3.5.3``); a category's row also names its fold (``part-3``).
    anchor: str
    title: str
    applicable: bool
    points: str
    lost: str
    score: str
    self_score: str
    standards_url: str
    rules: tuple[RuleLine, ...]
    notes: tuple[str, ...]
    is_category: bool
    #: The item is filled in (补充) where the document is silent.
    illustrative: bool
    #: 补 / 解 for the item as a whole, its title and its points.
    mark: Mark | None
    title_mark: Mark | None
    points_mark: Mark | None
    has_loss: bool

    @property
    def shared(self) -> bool:
        """Nothing of the unit's own in the row (no finding, no self-score): every unit of the type has
        the same row, and its HTML can be made once."""
        return not self.rules and not self.self_score


@dataclass(frozen=True)
class BonusLine:
    item: str
    subject: str
    level: str
    count: str
    counted: str
    evidence: str
    note: str


@dataclass(frozen=True)
class UnitHead:
    """A unit page's header, which is all that search indexes of it."""

    name: str
    group: str
    type_name: str
    year: int
    assessed: bool
    total: str
    grade_label: str
    #: The unit's code and the short name the office uses (简称): search finds the page by either.
    code: str = ""
    abbr: str = ""


def unit_head(outcome: AssessmentOutcome, u: UnitOutcome) -> UnitHead:
    s = u.score
    return UnitHead(
        u.unit.name,
        u.unit.group,
        s.unit_type.name,
        outcome.rubric.year,
        s.assessed,
        fmt(s.total),
        u.standing.label,
        u.unit.id,
        u.unit.abbr,
    )


@dataclass(frozen=True)
class UnitContext:
    """The page a unit comes for: every point it lost and why, and where it stands."""

    path: str
    head: UnitHead
    rubric: Rubric
    #: The unit takes part in this year's assessment (not 不参加考核).
    assessed: bool
    type_name: str
    total: str
    full: str
    rank: int | None
    pool_size: int
    pool_name: str
    grade: GradeKey | None
    grade_label: str
    reasons: tuple[str, ...]
    #: 失分项: the parts where points were lost, each with its items, reasons and rules.
    lost: tuple[LostPart, ...]
    #: Points lost in the items, in all.
    lost_total: str
    rows: tuple[ItemRow, ...]
    #: The anchor of each part's fold, by the part's id.
    part_anchors: Mapping[str, str]
    #: The categories that do not apply to the unit's type (不适用，不计分), each with the types it is for.
    other_categories: tuple[str, ...]
    bars: tuple[Bar, ...]
    #: 综合得分 in the unit's pool, with the unit's place (None when it is not assessed).
    distribution: Distribution | None
    #: The unit's total over the years of the series (None with fewer than two assessed years).
    years: YearLine | None
    formula: tuple[FormulaLine, ...]
    formula_total: str
    bonus: tuple[BonusLine, ...]
    bonus_notes: tuple[str, ...]
    bonus_total: str
    penalties: tuple[tuple[str, str, str], ...]
    vetoes: tuple[tuple[str, str, str], ...]
    history: tuple[HistoryRow, ...]
    change: Change | None
    consecutive_fail_note: str
    #: The unit's total, rank and grade rest on indicator points the document did not give ('' when not).
    filled_note: str
    #: The document does not (fully) say how grades are given: the grade follows filled-in rules.
    grading_note: str
    #: The results are sample data (示例数据).
    sample: bool
    show_self_scores: bool
    standards_url: str
    results_url: str
    notice_url: str | None
    json_url: str
    #: The name a download of the unit's JSON or workbook is saved under, without its extension.
    download_name: str
    #: The year around the scores: consequences, claims, letters, objections, rectification (views.year).
    year: UnitYearView


def _rule_lines(n: NodeOutcome, prov: Provenance | None) -> tuple[RuleLine, ...]:
    return tuple(
        RuleLine(
            explanation=rule_words(r.why),
            reasons=r.reasons,
            earned=fmt(r.earned) if r.earned is not None else None,
            marks=rule_marks(r.rule, n.node, prov) if prov is not None else (),
        )
        for r in n.rules
    )


def item_rows(
    categories: Sequence[NodeOutcome],
    from_page: str,
    standards: str,
    cache: dict[int, tuple[ItemRow, ...]] | None = None,
    rubric: Rubric | None = None,
) -> tuple[ItemRow, ...]:
    """The rows of a unit's item table, depth first.

    ``cache`` keeps the rows of subtrees without any finding or self score, by the outcome's identity:
    the engine hands every unit of a type the same outcome object for an untouched subtree, so its rows
    are made once per assessment (the cache must live no longer than the outcomes).
    """
    rows: list[ItemRow] = []
    standards_url = paths.link(from_page, standards)
    prov = provenance(rubric) if rubric is not None else None

    def visit(n: NodeOutcome, depth: int) -> None:
        if cache is not None:
            known = cache.get(id(n))
            if known is not None:
                rows.extend(known)
                return
            start = len(rows)
        rows.append(
            ItemRow(
                depth=depth,
                id=n.id,
                anchor=item_anchor(n.id),
                title=n.node.title,
                applicable=n.applicable,
                points=fmt(n.points) if n.applicable else "",
                lost=fmt(n.lost) if n.applicable and n.lost else "",
                score=fmt(n.score) if n.applicable else "",
                self_score=fmt(n.self_score) if n.self_score is not None else "",
                standards_url=f"{standards_url}#{paths.node_anchor(n.id)}",
                rules=_rule_lines(n, prov) if n.applicable else (),
                notes=all_words(n.notes),
                is_category=depth == 0,
                illustrative=n.illustrative,
                mark=prov.mark(n.node) if prov is not None else None,
                title_mark=prov.field_mark(n.node, "title") if prov is not None else None,
                points_mark=points_mark(prov, n.node) if prov is not None else None,
                has_loss=bool(n.applicable and n.lost),
            )
        )
        # Under a node that does not apply, its children do not apply either: one 不适用 row says it.
        if n.applicable:
            for c in n.children:
                visit(c, depth + 1)
        if cache is not None:
            subtree = rows[start:]
            if all(r.shared for r in subtree):
                cache[id(n)] = tuple(subtree)

    for c in categories:
        # A whole category that does not apply belongs to another type's system (004: counties' and city
        # units' annexes): the page says so in one line under the table rather than as rows.
        if c.applicable:
            visit(c, 0)
    return tuple(rows)


def other_categories(rubric: Rubric, u: UnitOutcome) -> tuple[str, ...]:
    """The categories that do not apply to the unit, said so that none is mistaken for one it was scored on:
    named with their id where a title is also one of the unit's own categories (004: 重大专项 for counties
    and S1 重大专项 for city units), and with the unit types they are for."""
    names = {t.id: t.name for t in rubric.unit_types}
    own = {c.node.title: c.node.id for c in u.score.categories if c.applicable}
    out = []
    for c in u.score.categories:
        if c.applicable:
            continue
        node = c.node
        title = f"{node.id}「{node.title}」" if node.title in own else node.title
        for_types = [
            names[t] for t in names if (not node.applies_to or t in node.applies_to) and t not in node.not_applicable_to
        ]
        said = [f"适用于{'、'.join(for_types)}"] if for_types else []
        if node.title in own:
            said.append(f"本单位按 {own[node.title]}「{node.title}」计分")
        out.append(f"{title}（{'；'.join(said)}）" if said else title)
    return tuple(out)


def _years(history: History, rubric: Rubric, u: UnitOutcome) -> YearLine | None:
    rows = [
        (r.year, o.score.total, r.id == rubric.id)
        for r, o in history.by_unit.get((rubric.series_id, u.unit.id), [])
        if o.score.assessed and r.year <= rubric.year
    ]
    return year_line(rows)


def unit_context(
    outcome: AssessmentOutcome,
    u: UnitOutcome,
    stats: PoolStats,
    history: History,
    notice: Notice | None,
    show_self_scores: bool,
    row_cache: dict[int, tuple[ItemRow, ...]] | None = None,
) -> UnitContext:
    r = outcome.rubric
    path = paths.unit_page(r.id, u.unit.id)
    standards = paths.page(r.id, "standards")
    s, st = u.score, u.standing
    formula, formula_total = unit_numbers.formula(u)
    bonus = tuple(
        BonusLine(
            item=i.item.title,
            subject=c.claim.subject,
            level=c.level_name or "酌情加分",
            count=fmt(c.claim.count) if c.claim.count != 1 else "",
            counted=fmt(c.counted),
            evidence=c.claim.evidence,
            note=words(c.note) if c.note is not None else "",
        )
        for i in s.bonus.items
        for c in i.claims
    )
    bonus_notes = all_words(n for n in [*(i.note for i in s.bonus.items), s.bonus.note] if n is not None)
    lost = lost_parts(s.categories, provenance(r)) if s.assessed else ()
    fails = history.consecutive_fails(r, u.unit.id)
    consecutive = ""
    for c in r.consequences:
        if c.consecutive_fail_years and fails >= c.consecutive_fail_years:
            consecutive = f"已连续 {fails} 年被确定为{st.label}：{c.text}"
            invented = history.invented_years(r, u.unit.id, fails)
            if invented:
                consecutive += "（其中" + "；".join(invented) + "）"
    return UnitContext(
        path=path,
        head=unit_head(outcome, u),
        rubric=r,
        assessed=s.assessed,
        type_name=s.unit_type.name,
        total=fmt(s.total),
        full=fmt(s.full_marks),
        rank=st.rank,
        pool_size=st.pool_size,
        pool_name=st.pool_name,
        grade=st.grade,
        grade_label=st.label,
        reasons=all_words(st.reasons),
        lost=lost,
        lost_total=fmt(points_lost(u)),
        rows=item_rows(s.categories, path, standards, row_cache, r),
        part_anchors={c.id: part_anchor(c.id) for c in s.categories},
        other_categories=other_categories(r, u),
        bars=unit_numbers.bars(u, stats) if s.assessed else (),
        distribution=stats.histograms[st.pool].for_unit(s.total)
        if s.assessed and st.pool in stats.histograms
        else None,
        years=_years(history, r, u),
        formula=formula,
        formula_total=formula_total,
        bonus=bonus,
        bonus_notes=bonus_notes,
        bonus_total=fmt(s.bonus.total),
        penalties=tuple((p.penalty.name, fmt(p.record.amount), p.record.reason) for p in s.penalties),
        vetoes=tuple((v.event.name, VETO_EFFECT_NAMES[v.effect], v.record.reason) for v in s.vetoes),
        history=history.rows(r, u.unit.id, path),
        change=history.change(r, u),
        consecutive_fail_note=consecutive,
        filled_note=grade_rests_on_filled(r, s.unit_type.id) if s.assessed else "",
        grading_note=grading_note(r),
        sample=outcome.sample is not None,
        show_self_scores=show_self_scores,
        standards_url=paths.link(path, standards),
        results_url=paths.link(path, paths.page(r.id, "results")),
        notice_url=paths.link(path, paths.page(r.id, "notice")) if notice else None,
        json_url=paths.link(path, paths.unit_json(r.id, u.unit.id)),
        download_name=download_name(r.id, u.unit.id, u.unit.name),
        year=unit_year_view(outcome, u, path),
    )


#: What a file name may not hold on Windows (and a separator anywhere).
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def download_name(aid: str, uid: str, name: str) -> str:
    """``zonghe-2020-sz-12-市公安局党组``: a unit's downloads saved from its pages of different years (and beside
    other units') keep apart, and a secretary finds them by the unit's name."""
    return _NOT_IN_FILE_NAMES.sub("_", f"{aid}-{uid}-{name}").strip(" .")
