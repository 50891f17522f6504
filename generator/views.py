"""Page contexts: what each template may use, computed from the engine's outcomes.

Pure. One dataclass per page kind documents the template's whole world; templates only lay it out.
Everything that needs the whole assessment (pool averages, history, last year's change) is computed
once per assessment here, so rendering N unit pages stays O(N).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import site
from .grading import label as grade_label
from .models import GRADE_ORDER, RULE_KIND_NAMES, VETO_EFFECT_NAMES, GradeKey, Node, Notice, Rubric
from .numbers import ZERO, fmt, fmt_percent
from .outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from .tree import TypedNode, typed_tree, walk

# --------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------


def date_cn(d: date) -> str:
    """2013年12月31日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class GradeCount:
    key: GradeKey | None
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    """One assessment as listed on the home page and the list of years."""

    id: str
    title: str
    year: int
    issuer: str
    illustrative: bool
    incomplete: bool
    units: int
    assessed: int
    grades: tuple[GradeCount, ...]
    overview: str
    standards: str
    #: None while the assessment has standards but no results yet.
    results: str | None
    notice: str | None
    notice_title: str | None


def standards_only_summary(rubric: Rubric, from_page: str) -> Summary:
    """An assessment whose standards are published before any results exist."""
    standards = site.link(from_page, site.page(rubric.id, "standards"))
    return Summary(
        id=rubric.id,
        title=rubric.title,
        year=rubric.year,
        issuer=rubric.issuer,
        illustrative=rubric.illustrative,
        incomplete=bool(rubric.incomplete),
        units=0,
        assessed=0,
        grades=(),
        overview=standards,
        standards=standards,
        results=None,
        notice=None,
        notice_title=None,
    )


def grade_counts(outcome: AssessmentOutcome) -> tuple[GradeCount, ...]:
    counts: dict[GradeKey, int] = defaultdict(int)
    for u in outcome.units:
        if u.standing.grade is not None:
            counts[u.standing.grade] += 1
    used = [g for g in GRADE_ORDER if counts.get(g) or _grade_in_use(outcome.rubric, g)]
    return tuple(GradeCount(g, grade_label(outcome.rubric.grading, g), counts.get(g, 0)) for g in used)


def _grade_in_use(rubric: Rubric, grade: GradeKey) -> bool:
    g = rubric.grading
    if g is None:
        return grade == "pass"
    if grade == "advanced":
        return g.advanced != "none"
    if grade == "basic_pass":
        return any(b.grade == "basic_pass" for b in g.bands)
    return True


def summary(outcome: AssessmentOutcome, notice: Notice | None, from_page: str) -> Summary:
    r = outcome.rubric
    return Summary(
        id=r.id,
        title=r.title,
        year=r.year,
        issuer=r.issuer,
        illustrative=r.illustrative,
        incomplete=bool(r.incomplete),
        units=len(outcome.units),
        assessed=sum(1 for u in outcome.units if u.score.assessed),
        grades=grade_counts(outcome),
        overview=site.link(from_page, site.page(r.id, "index")),
        standards=site.link(from_page, site.page(r.id, "standards")),
        results=site.link(from_page, site.page(r.id, "results")),
        notice=site.link(from_page, site.page(r.id, "notice")) if notice else None,
        notice_title=notice.title if notice else None,
    )


def ordered(outcomes: Mapping[str, AssessmentOutcome]) -> list[AssessmentOutcome]:
    """Newest first; the same year by id."""
    return sorted(outcomes.values(), key=lambda o: (-o.rubric.year, o.rubric.id))


# --------------------------------------------------------------------------------------------
# History across years of one series
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    year: int
    title: str
    total: str
    full: str
    rank: int | None
    pool_size: int
    label: str
    grade: GradeKey | None
    url: str
    current: bool


@dataclass(frozen=True)
class Change:
    """The change from the same series' previous assessment."""

    year: int
    total: Decimal | None
    rank: int | None

    @property
    def total_text(self) -> str:
        if self.total is None:
            return ""
        return ("+" if self.total > 0 else "") + fmt(self.total) if self.total else "持平"

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return ""
        if self.rank == 0:
            return "名次不变"
        return f"上升 {self.rank} 位" if self.rank > 0 else f"下降 {-self.rank} 位"


class History:
    """Each unit's outcomes across the assessments of its series, built once for all pages."""

    def __init__(self, outcomes: Mapping[str, AssessmentOutcome]) -> None:
        self.by_unit: dict[tuple[str, str], list[tuple[Rubric, UnitOutcome]]] = defaultdict(list)
        for o in outcomes.values():
            for u in o.units:
                self.by_unit[(o.rubric.series_id, u.unit.id)].append((o.rubric, u))
        for rows in self.by_unit.values():
            rows.sort(key=lambda pair: (pair[0].year, pair[0].id))

    def rows(self, rubric: Rubric, uid: str, from_page: str) -> tuple[HistoryRow, ...]:
        out = []
        for r, u in reversed(self.by_unit.get((rubric.series_id, uid), [])):
            st = u.standing
            out.append(
                HistoryRow(
                    year=r.year,
                    title=r.title,
                    total=fmt(u.score.total) if u.score.assessed else "",
                    full=fmt(u.score.full_marks),
                    rank=st.rank,
                    pool_size=st.pool_size,
                    label=st.label,
                    grade=st.grade,
                    url=site.link(from_page, site.unit_page(r.id, uid)),
                    current=r.id == rubric.id,
                )
            )
        return tuple(out)

    def previous(self, rubric: Rubric, uid: str) -> tuple[Rubric, UnitOutcome] | None:
        earlier = [(r, u) for r, u in self.by_unit.get((rubric.series_id, uid), []) if r.year < rubric.year]
        return earlier[-1] if earlier else None

    def change(self, rubric: Rubric, u: UnitOutcome) -> Change | None:
        prev = self.previous(rubric, u.unit.id)
        if prev is None or not u.score.assessed or not prev[1].score.assessed:
            return None
        r, p = prev
        total = u.score.total - p.score.total
        rank = None
        if p.standing.rank is not None and u.standing.rank is not None and p.standing.pool == u.standing.pool:
            rank = p.standing.rank - u.standing.rank
        return Change(r.year, total, rank)

    def consecutive_fails(self, rubric: Rubric, uid: str) -> int:
        """How many assessments in a row, ending with this one, graded fail."""
        count = 0
        for r, u in reversed(self.by_unit.get((rubric.series_id, uid), [])):
            if r.year > rubric.year:
                continue
            if u.standing.grade != "fail":
                break
            count += 1
        return count


# --------------------------------------------------------------------------------------------
# Unit page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleLine:
    kind: str
    text: str
    explanation: str
    reasons: tuple[str, ...]
    lost: str
    earned: str | None
    illustrative: bool


@dataclass(frozen=True)
class ItemRow:
    depth: int
    id: str
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
    illustrative: bool
    has_loss: bool


@dataclass(frozen=True)
class Bar:
    title: str
    points: str
    score: str
    average: str
    #: Widths in percent of the bar track (0–100).
    score_pct: float
    average_pct: float


@dataclass(frozen=True)
class FormulaLine:
    label: str
    text: str


@dataclass(frozen=True)
class BonusLine:
    item: str
    subject: str
    level: str
    count: str
    value: str
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


def unit_head(outcome: AssessmentOutcome, u: UnitOutcome) -> UnitHead:
    s = u.score
    return UnitHead(u.unit.name, u.unit.group, s.unit_type.name, outcome.rubric.year, s.assessed, fmt(s.total), u.standing.label)


@dataclass(frozen=True)
class UnitContext:
    """The page a unit comes for: every point it lost and why, and where it stands."""

    path: str
    head: UnitHead
    rubric: Rubric
    outcome: UnitOutcome
    type_name: str
    total: str
    full: str
    rank: int | None
    pool_size: int
    pool_name: str
    grade: GradeKey | None
    grade_label: str
    reasons: tuple[str, ...]
    vetoed: bool
    rows: tuple[ItemRow, ...]
    #: Titles of the categories that do not apply to the unit's type (不适用，不计分).
    other_categories: tuple[str, ...]
    bars: tuple[Bar, ...]
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
    show_self_scores: bool
    standards_url: str
    results_url: str
    notice_url: str | None
    json_url: str
    grading_illustrative: bool


def _rule_lines(n: NodeOutcome) -> tuple[RuleLine, ...]:
    return tuple(
        RuleLine(
            kind=RULE_KIND_NAMES[r.rule.kind],
            text=r.rule.text,
            explanation=r.explanation,
            reasons=r.reasons,
            lost=fmt(r.lost),
            earned=fmt(r.earned) if r.earned is not None else None,
            illustrative=r.rule.illustrative,
        )
        for r in n.rules
    )


def item_rows(
    categories: Sequence[NodeOutcome],
    from_page: str,
    standards: str,
    cache: dict[int, tuple[ItemRow, ...]] | None = None,
) -> tuple[ItemRow, ...]:
    """The rows of a unit's item table, depth first.

    ``cache`` keeps the rows of subtrees without any finding or self score, by the outcome's identity:
    the engine hands every unit of a type the same outcome object for an untouched subtree, so its rows
    are made once per assessment (the cache must live no longer than the outcomes).
    """
    rows: list[ItemRow] = []
    standards_url = site.link(from_page, standards)

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
                title=n.node.title,
                applicable=n.applicable,
                points=fmt(n.points) if n.applicable else "",
                lost=fmt(n.lost) if n.applicable and n.lost else "",
                score=fmt(n.score) if n.applicable else "",
                self_score=fmt(n.self_score) if n.self_score is not None else "",
                standards_url=f"{standards_url}#{site.node_anchor(n.id)}",
                rules=_rule_lines(n) if n.applicable else (),
                notes=n.notes,
                is_category=depth == 0,
                illustrative=n.illustrative,
                has_loss=bool(n.applicable and n.lost),
            )
        )
        # Under a node that does not apply, its children do not apply either: one 不适用 row says it.
        if n.applicable:
            for c in n.children:
                visit(c, depth + 1)
        if cache is not None:
            subtree = rows[start:]
            if not any(r.rules or r.self_score for r in subtree):
                cache[id(n)] = tuple(subtree)

    for c in categories:
        # A whole category that does not apply belongs to another type's system (004: counties' and city
        # units' annexes): the page says so in one line under the table rather than as rows.
        if c.applicable:
            visit(c, 0)
    return tuple(rows)


def _formula(u: UnitOutcome) -> tuple[tuple[FormulaLine, ...], str]:
    s = u.score
    lines: list[FormulaLine] = []
    terms: list[str] = []
    if s.parts:
        for p in s.parts:
            scaled = f"{fmt(p.raw)} 分"
            if p.full != s.full_marks:
                scaled = f"{fmt(p.raw)}/{fmt(p.full)} 分，折合 {fmt(p.scaled)} 分"
            lines.append(FormulaLine(p.part.name, f"{scaled} × {fmt_percent(p.part.weight)} = {fmt(p.weighted)}"))
            terms.append(fmt(p.weighted))
    else:
        lines.append(FormulaLine("指标得分", f"{fmt(s.indicator_score)} 分（满分 {fmt(s.indicator_points)} 分）"))
        terms.append(fmt(s.indicator_score))
    if s.bonus.total or s.bonus.items:
        lines.append(FormulaLine("加分", f"+ {fmt(s.bonus.total)}"))
        terms.append(f"{fmt(s.bonus.total)}")
    if s.penalty_total:
        lines.append(FormulaLine("扣分因素", f"− {fmt(s.penalty_total)}"))
    expression = " + ".join(terms)
    if s.penalty_total:
        expression += f" − {fmt(s.penalty_total)}"
    return tuple(lines), f"{expression} = {fmt(s.total)}"


@dataclass(frozen=True)
class PoolStats:
    """Per pool and category: the average score of assessed units where the category applies."""

    averages: Mapping[tuple[str, str], Decimal]


def pool_stats(outcome: AssessmentOutcome) -> PoolStats:
    sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for u in outcome.units:
        if not u.score.assessed:
            continue
        for c in u.score.categories:
            if c.applicable and c.score is not None:
                key = (u.standing.pool, c.id)
                sums[key] += c.score
                counts[key] += 1
    return PoolStats({k: sums[k] / counts[k] for k in sums})


def _bars(u: UnitOutcome, stats: PoolStats) -> tuple[Bar, ...]:
    bars = []
    for c in u.score.categories:
        if not c.applicable or not c.points:
            continue
        avg = stats.averages.get((u.standing.pool, c.id), ZERO)
        bars.append(
            Bar(
                title=c.node.title,
                points=fmt(c.points),
                score=fmt(c.score),
                average=fmt(avg),
                score_pct=float((c.score or ZERO) / c.points * 100),
                average_pct=float(avg / c.points * 100),
            )
        )
    return tuple(bars)


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
    path = site.unit_page(r.id, u.unit.id)
    standards = site.page(r.id, "standards")
    s, st = u.score, u.standing
    formula, formula_total = _formula(u)
    bonus = tuple(
        BonusLine(
            item=i.item.title,
            subject=c.claim.subject,
            level=c.level_name or "酌情加分",
            count=fmt(c.claim.count) if c.claim.count != 1 else "",
            value=fmt(c.value),
            counted=fmt(c.counted),
            evidence=c.claim.evidence,
            note=c.note,
        )
        for i in s.bonus.items
        for c in i.claims
    )
    bonus_notes = tuple(n for n in [*(i.note for i in s.bonus.items), s.bonus.note] if n)
    fails = history.consecutive_fails(r, u.unit.id)
    consecutive = ""
    for c in r.consequences:
        if c.consecutive_fail_years and fails >= c.consecutive_fail_years:
            consecutive = f"已连续 {fails} 年被确定为{st.label}：{c.text}"
    return UnitContext(
        path=path,
        head=unit_head(outcome, u),
        rubric=r,
        outcome=u,
        type_name=s.unit_type.name,
        total=fmt(s.total),
        full=fmt(s.full_marks),
        rank=st.rank,
        pool_size=st.pool_size,
        pool_name=st.pool_name,
        grade=st.grade,
        grade_label=st.label,
        reasons=st.reasons,
        vetoed=bool(s.vetoes),
        rows=item_rows(s.categories, path, standards, row_cache),
        other_categories=tuple(c.node.title for c in s.categories if not c.applicable),
        bars=_bars(u, stats) if s.assessed else (),
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
        show_self_scores=show_self_scores,
        standards_url=site.link(path, standards),
        results_url=site.link(path, site.page(r.id, "results")),
        notice_url=site.link(path, site.page(r.id, "notice")) if notice else None,
        json_url=site.link(path, site.unit_json(r.id, u.unit.id)),
        grading_illustrative=bool(r.grading and r.grading.illustrative),
    )


# --------------------------------------------------------------------------------------------
# Results page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    rank: int | None
    unit_id: str
    name: str
    url: str
    type_name: str
    group: str
    parts: tuple[str, ...]
    indicator: str
    bonus: str
    penalty: str
    total: str
    grade: GradeKey | None
    label: str
    vetoed: bool
    change_total: str
    change_rank: str
    assessed: bool


@dataclass(frozen=True)
class PoolTable:
    id: str
    name: str
    rows: tuple[ResultRow, ...]
    grades: tuple[GradeCount, ...]


@dataclass(frozen=True)
class ResultsContext:
    path: str
    rubric: Rubric
    part_names: tuple[str, ...]
    pools: tuple[PoolTable, ...]
    grades: tuple[GradeCount, ...]
    has_history: bool
    previous_year: int | None
    standards_url: str
    notice_url: str | None
    downloads: tuple[tuple[str, str], ...]
    grading_illustrative: bool


def results_context(outcome: AssessmentOutcome, history: History, notice: Notice | None) -> ResultsContext:
    r = outcome.rubric
    path = site.page(r.id, "results")
    pools: dict[str, list[UnitOutcome]] = defaultdict(list)
    names: dict[str, str] = {}
    for u in outcome.units:
        pools[u.standing.pool].append(u)
        names[u.standing.pool] = u.standing.pool_name
    previous_years = set()
    tables = []
    for pid, members in pools.items():
        members.sort(key=lambda u: (u.standing.rank is None, u.standing.rank or 0, u.unit.id))
        rows = []
        for u in members:
            change = history.change(r, u)
            if change is not None:
                previous_years.add(change.year)
            s, st = u.score, u.standing
            rows.append(
                ResultRow(
                    rank=st.rank,
                    unit_id=u.unit.id,
                    name=u.unit.name,
                    url=site.link(path, site.unit_page(r.id, u.unit.id)),
                    type_name=s.unit_type.name,
                    group=u.unit.group,
                    parts=tuple(fmt(p.raw) for p in s.parts) if s.assessed else tuple("" for _ in s.parts),
                    indicator=fmt(s.indicator_score) if s.assessed else "",
                    bonus=fmt(s.bonus.total) if s.assessed else "",
                    penalty=fmt(s.penalty_total) if s.assessed and s.penalty_total else "",
                    total=fmt(s.total) if s.assessed else "",
                    grade=st.grade,
                    label=st.label,
                    vetoed=bool(s.vetoes),
                    change_total=change.total_text if change else "",
                    change_rank=change.rank_text if change else "",
                    assessed=s.assessed,
                )
            )
        counts: dict[GradeKey, int] = defaultdict(int)
        for u in members:
            if u.standing.grade:
                counts[u.standing.grade] += 1
        grades = tuple(g for g in grade_counts(outcome))
        pool_grades = tuple(GradeCount(g.key, g.label, counts.get(g.key, 0) if g.key else 0) for g in grades)
        tables.append(PoolTable(pid, names[pid], tuple(rows), pool_grades))
    pool_order = [p.id for p in r.ranking.pools]
    tables.sort(key=lambda t: (pool_order.index(t.id) if t.id in pool_order else len(pool_order), t.id))
    downloads = (
        ("考核结果（CSV，可用 Excel 打开）", site.link(path, site.download(r.id, f"{r.id}-results.csv"))),
        ("考核结果（Excel）", site.link(path, site.download(r.id, f"{r.id}-results.xlsx"))),
        ("完整计分数据（JSON）", site.link(path, site.download(r.id, f"{r.id}.json"))),
    )
    return ResultsContext(
        path=path,
        rubric=r,
        part_names=tuple(p.name for p in r.parts),
        pools=tuple(tables),
        grades=grade_counts(outcome),
        has_history=bool(previous_years),
        previous_year=max(previous_years) if previous_years else None,
        standards_url=site.link(path, site.page(r.id, "standards")),
        notice_url=site.link(path, site.page(r.id, "notice")) if notice else None,
        downloads=downloads,
        grading_illustrative=bool(r.grading and r.grading.illustrative),
    )


# --------------------------------------------------------------------------------------------
# Standards page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleView:
    kind: str
    text: str
    detail: str
    illustrative: bool
    note: str


@dataclass(frozen=True)
class NodeView:
    id: str
    anchor: str
    depth: int
    title: str
    points: str
    points_by_type: tuple[str, ...]
    applicability: tuple[str, ...]
    applicability_note: str
    content: str
    standard: str
    standard_reading: str
    assessor: str
    responsible: str
    rules: tuple[RuleView, ...]
    illustrative: bool
    points_illustrative: bool
    points_mismatch: str
    incomplete: str
    note: str
    children: tuple[NodeView, ...]


@dataclass(frozen=True)
class StandardsContext:
    path: str
    rubric: Rubric
    unit_types: tuple[tuple[str, str], ...]
    nodes: tuple[NodeView, ...]
    scoring: tuple[str, ...]
    grading: tuple[str, ...]
    #: None while the assessment has no results yet.
    results_url: str | None


def _rule_detail(rule: object, rubric: Rubric, node: Node) -> str:
    from .models import (
        EarnedRule,
        FixedRule,
        OverdueRule,
        PerElementRule,
        PerOccurrenceRule,
        PerPersonRule,
        RangeRule,
        RateRule,
        ShortfallRule,
    )

    names = {t.id: t.name for t in rubric.unit_types}
    if isinstance(rule, ShortfallRule):
        if rule.activity:
            a = next((x for x in rubric.activities if x.id == rule.activity), None)
            target = f"{a.name}年度目标" if a else rule.activity
        elif isinstance(rule.target, Mapping):
            target = "、".join(f"{names.get(k, k)} {fmt(v)} {rule.unit}" for k, v in rule.target.items())
        else:
            target = f"{fmt(rule.target)} {rule.unit}" if rule.target is not None else ""
        how = f"每少 1 {rule.unit}扣 {fmt(rule.per)} 分" if rule.per is not None else f"未达到扣 {fmt(rule.deduct)} 分"
        return f"目标：{target}；{how}"
    if isinstance(rule, PerElementRule):
        items = f"（{'、'.join(rule.elements)}）" if rule.elements else ""
        return f"每缺一{rule.unit}扣 {fmt(rule.per)} 分{items}"
    if isinstance(rule, FixedRule):
        return f"扣 {fmt(rule.deduct)} 分"
    if isinstance(rule, RangeRule):
        top = rule.max if rule.max is not None else node.points
        return f"酌情扣 {fmt(rule.min)}～{fmt(top)} 分" if rule.min else f"酌情扣分，最多 {fmt(top)} 分"
    if isinstance(rule, OverdueRule):
        whole = f"，达到 {fmt(rule.whole_item_at)} {rule.unit}扣完本项" if rule.whole_item_at is not None else ""
        return f"每超过 1 {rule.unit}扣 {fmt(rule.per)} 分{whole}"
    if isinstance(rule, (PerOccurrenceRule, PerPersonRule)):
        return f"每 1 {rule.unit}扣 {fmt(rule.per)} 分"
    if isinstance(rule, EarnedRule):
        return f"做到得 {fmt(rule.points)} 分，未做到不得分"
    if isinstance(rule, RateRule):
        if rule.per is not None:
            how = f"每次扣 {fmt(rule.per)} 分"
        elif rule.deduct is not None:
            how = f"扣 {fmt(rule.deduct)} 分"
        else:
            how = f"酌情扣 {fmt(rule.min or ZERO)}～{fmt(rule.max or ZERO)} 分"
        return f"{rule.measure}低于 {fmt_percent(rule.threshold)} 的，{how}"
    return "本项不得分"


def _node_views(rubric: Rubric) -> tuple[NodeView, ...]:
    names = {t.id: t.name for t in rubric.unit_types}
    trees = {t.id: typed_tree(rubric, t.id) for t in rubric.unit_types}
    applicable: dict[str, set[str]] = defaultdict(set)
    for type_id, tree in trees.items():
        stack: list[TypedNode] = list(tree)
        while stack:
            n = stack.pop()
            if n.applicable:
                applicable[n.id].add(type_id)
            stack.extend(n.children)
    all_types = set(names)

    def view(node: Node, depth: int, parent_types: set[str]) -> NodeView:
        mine = applicable.get(node.id, set())
        notes: list[str] = []
        if mine != parent_types and mine != all_types:
            if mine:
                notes.append("适用于：" + "、".join(names[t] for t in names if t in mine))
            else:
                notes.append("不适用于任何单位类型")
            missing = [names[t] for t in names if t in parent_types and t not in mine]
            if missing:
                notes.append("不适用（显示为“不适用”，不计分）：" + "、".join(missing))
        by_type = tuple(f"{names.get(t, t)}：{fmt(p)} 分" for t, p in node.points_by_type.items())
        rules = tuple(
            RuleView(RULE_KIND_NAMES[r.kind], r.text, _rule_detail(r, rubric, node), r.illustrative, r.note)
            for r in node.rules
        )
        return NodeView(
            id=node.id,
            anchor=site.node_anchor(node.id),
            depth=depth,
            title=node.title,
            points=fmt(node.points),
            points_by_type=by_type,
            applicability=tuple(notes),
            applicability_note=node.applicability_note,
            content=node.content,
            standard=node.standard,
            standard_reading=node.standard_reading,
            assessor=node.assessor,
            responsible=node.responsible,
            rules=rules,
            illustrative=node.illustrative,
            points_illustrative=node.points_illustrative,
            points_mismatch=node.points_mismatch,
            incomplete=node.incomplete,
            note=node.note,
            children=tuple(view(c, depth + 1, mine) for c in node.children),
        )

    return tuple(view(n, 0, all_types) for n in rubric.indicators)


def scoring_text(rubric: Rubric) -> tuple[str, ...]:
    """How a total is made, in plain words."""
    lines = []
    floor = rubric.defaults.item_floor
    if floor is not None:
        lines.append(f"每个项目按评分标准扣分，扣完为止，最低得 {fmt(floor)} 分；不适用的项目显示为“不适用”，不计分。")
    if rubric.parts:
        parts = "、".join(f"{p.name}占 {fmt_percent(p.weight)}" for p in rubric.parts)
        lines.append(f"综合得分由{parts}组成；各部分先折算为该类单位的满分，再按权重相加。")
        lines.append(f"折算和加权产生的小数保留 {rubric.rounding.decimals} 位（四舍五入），页面上显示的各项相加即为总分。")
    if rubric.bonus is not None:
        cap = f"加分合计不超过 {fmt(rubric.bonus.cap)} 分。" if rubric.bonus.cap is not None else ""
        who = "由单位自行申报、考核办公室认定后" if rubric.bonus.self_declared else "由考核办公室认定后"
        lines.append(f"加分{who}计入总分。" + cap)
    if rubric.penalties:
        lines.append("扣分因素：" + "；".join(f"{p.name}扣 {fmt(p.min)}～{fmt(p.max)} 分" for p in rubric.penalties) + "，在总分中扣减。")
    if rubric.vetoes is not None:
        lines.append(f"发生否决事项的单位{VETO_EFFECT_NAMES[rubric.vetoes.effect]}。")
    return tuple(lines)


def grading_text(rubric: Rubric) -> tuple[str, ...]:
    g = rubric.grading
    if g is None:
        return ("本细则不评定等次。",)
    lines = []
    name = lambda k: grade_label(g, k)  # noqa: E731
    if g.method == "threshold":
        previous: Decimal | None = None
        for b in g.bands:
            if b.min is not None and previous is None:
                lines.append(f"综合得分 {fmt(b.min)} 分及以上为{name(b.grade)}。")
            elif b.min is not None:
                lines.append(f"{fmt(b.min)} 分至 {fmt(previous or ZERO)} 分（不含）为{name(b.grade)}。")
            else:
                lines.append(f"{fmt(previous or ZERO)} 分以下为{name(b.grade)}。")
            previous = b.min if b.min is not None else previous
    else:
        for pool in rubric.ranking.pools:
            parts = []
            if pool.advanced_top:
                parts.append(f"综合得分前 {pool.advanced_top} 名为{name('advanced')}")
            if pool.fail_bottom:
                below = f"且得分在 {fmt(pool.fail_at_or_below)} 分以下（含 {fmt(pool.fail_at_or_below)} 分）" if pool.fail_at_or_below is not None else ""
                parts.append(f"后 {pool.fail_bottom} 名{below}的为{name('fail')}")
            parts.append(f"其余为{name('pass')}")
            lines.append(f"{pool.name}：" + "；".join(parts) + "。")
    if g.fail_if_category_zero:
        lines.append(f"某一类（一级指标）得 0 分的，定为{name('fail')}。")
    if g.advanced == "decision":
        lines.append(f"{name('advanced')}由考核办公室在具备评先资格的单位中评定。")
    elif g.advanced == "threshold" and g.advanced_min_score is not None:
        lines.append(f"具备评先资格且得分不低于 {fmt(g.advanced_min_score)} 分的，为{name('advanced')}。")
    if g.advanced != "none":
        conditions = [f"须为{name(g.advanced_requires)}"]
        if g.advanced_min_score is not None and g.advanced != "threshold":
            conditions.append(f"得分不低于 {fmt(g.advanced_min_score)} 分")
        if rubric.vetoes is not None and rubric.vetoes.effect == "no_advanced":
            conditions.append("未发生否决事项")
        if any(p.can_remove_eligibility for p in rubric.penalties):
            conditions.append("未因弄虚作假被取消评先资格")
        lines.append(f"评{name('advanced')}的资格：" + "，".join(conditions) + "。")
        if g.advanced == "rank":
            if g.places_among == "eligible":
                lines.append(f"不具备评先资格的单位不占{name('advanced')}名额，名额依次由其后具备资格的单位获得。")
            else:
                lines.append(f"不具备评先资格的单位仍占名次，但不评为{name('advanced')}。")
    if rubric.vetoes is not None and rubric.vetoes.effect == "fail":
        lines.append(f"发生否决事项的单位，无论得分多少，定为{name('fail')}。")
    lines.append("名次：" + rubric.ranking.ties)
    return tuple(lines)


def standards_context(rubric: Rubric, has_results: bool = True) -> StandardsContext:
    path = site.page(rubric.id, "standards")
    return StandardsContext(
        path=path,
        rubric=rubric,
        unit_types=tuple((t.name, fmt(t.full_marks)) for t in rubric.unit_types),
        nodes=_node_views(rubric),
        scoring=scoring_text(rubric),
        grading=grading_text(rubric),
        results_url=site.link(path, site.page(rubric.id, "results")) if has_results else None,
    )


# --------------------------------------------------------------------------------------------
# Notice
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeGroup:
    heading: str
    pools: tuple[tuple[str, tuple[str, ...]], ...]
    count: int


@dataclass(frozen=True)
class NoticeContext:
    path: str
    rubric: Rubric
    notice: Notice
    masthead: str
    #: Font size of the masthead in em, so that the organ's name fits one line (GB/T 9704: 醒目、美观、庄重).
    masthead_size: str
    opening: tuple[str, ...]
    groups: tuple[NoticeGroup, ...]
    closing: tuple[str, ...]
    publicity: str
    date: str
    printed_date: str


_CN_NUMBERS = "一二三四五六七八九十"


def notice_context(outcome: AssessmentOutcome, notice: Notice) -> NoticeContext:
    r = outcome.rubric
    assessed = [u for u in outcome.units if u.score.assessed]
    pools: dict[str, list[UnitOutcome]] = defaultdict(list)
    pool_names: dict[str, str] = {}
    for u in assessed:
        pools[u.standing.pool].append(u)
        pool_names[u.standing.pool] = u.standing.pool_name
    show_pools = len(pools) > 1 and r.ranking.within == "pools"
    groups: list[NoticeGroup] = []
    for grade in GRADE_ORDER:
        if not _grade_in_use(r, grade):
            continue
        entries = []
        count = 0
        for pid in sorted(pools, key=lambda p: [x.id for x in r.ranking.pools].index(p) if p in [x.id for x in r.ranking.pools] else 99):
            members = sorted((u for u in pools[pid] if u.standing.grade == grade), key=lambda u: (u.standing.rank or 0, u.unit.id))
            if not members:
                continue
            count += len(members)
            names = tuple(
                f"{u.unit.name}（{fmt(u.score.total)} 分）" if notice.show_scores else u.unit.name for u in members
            )
            entries.append((pool_names[pid] if show_pools else "", names))
        if count:
            heading = f"{_CN_NUMBERS[len(groups)]}、{grade_label(r.grading, grade)}（{count} 个）"
            groups.append(NoticeGroup(heading, tuple(entries), count))
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
    return NoticeContext(
        path=site.page(r.id, "notice"),
        rubric=r,
        notice=notice,
        masthead=notice.masthead or f"{notice.issuer}文件",
        masthead_size=f"{min(2.4, 19.5 / max(1, len(notice.masthead or notice.issuer + '文件'))):.2f}",
        opening=tuple(opening),
        groups=tuple(groups),
        closing=notice.closing,
        publicity=publicity,
        date=date_cn(notice.date),
        printed_date=date_cn(notice.printed_date) if notice.printed_date else "",
    )


# --------------------------------------------------------------------------------------------
# Home, overview, list of years
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeContext:
    path: str
    latest: Summary | None
    others: tuple[Summary, ...]
    #: Standards published for assessments that have no results yet (e.g. next year's).
    upcoming: tuple[Summary, ...]
    years_url: str


@dataclass(frozen=True)
class OverviewContext:
    path: str
    rubric: Rubric
    summary: Summary
    pools: tuple[tuple[str, int], ...]
    downloads: tuple[tuple[str, str], ...]
    other_years: tuple[Summary, ...]


@dataclass(frozen=True)
class YearsContext:
    path: str
    summaries: tuple[Summary, ...]


def home_context(
    outcomes: Mapping[str, AssessmentOutcome], notices: Mapping[str, Notice], standards_only: Sequence[Rubric] = ()
) -> HomeContext:
    path = "index.md"
    all_ = [summary(o, notices.get(o.rubric.id), path) for o in ordered(outcomes)]
    upcoming = tuple(standards_only_summary(r, path) for r in sorted(standards_only, key=lambda r: (-r.year, r.id)))
    return HomeContext(path, all_[0] if all_ else None, tuple(all_[1:]), upcoming, site.link(path, site.assessment_index()))


def overview_context(outcome: AssessmentOutcome, notice: Notice | None, outcomes: Mapping[str, AssessmentOutcome], notices: Mapping[str, Notice]) -> OverviewContext:
    r = outcome.rubric
    path = site.page(r.id, "index")
    pools: dict[str, int] = defaultdict(int)
    for u in outcome.units:
        pools[u.standing.pool_name] += 1
    others = tuple(
        summary(o, notices.get(o.rubric.id), path)
        for o in ordered(outcomes)
        if o.rubric.series_id == r.series_id and o.rubric.id != r.id
    )
    return OverviewContext(
        path=path,
        rubric=r,
        summary=summary(outcome, notice, path),
        pools=tuple(sorted(pools.items())),
        downloads=results_context_downloads(r.id, path),
        other_years=others,
    )


def results_context_downloads(aid: str, path: str) -> tuple[tuple[str, str], ...]:
    return (
        ("考核结果（CSV，可用 Excel 打开）", site.link(path, site.download(aid, f"{aid}-results.csv"))),
        ("考核结果（Excel）", site.link(path, site.download(aid, f"{aid}-results.xlsx"))),
        ("完整计分数据（JSON）", site.link(path, site.download(aid, f"{aid}.json"))),
    )


def years_context(
    outcomes: Mapping[str, AssessmentOutcome], notices: Mapping[str, Notice], standards_only: Sequence[Rubric] = ()
) -> YearsContext:
    path = site.assessment_index()
    summaries = [summary(o, notices.get(o.rubric.id), path) for o in ordered(outcomes)]
    summaries += [standards_only_summary(r, path) for r in standards_only]
    summaries.sort(key=lambda s: (-s.year, s.id))
    return YearsContext(path, tuple(summaries))


__all__ = [
    "History",
    "home_context",
    "notice_context",
    "overview_context",
    "pool_stats",
    "results_context",
    "standards_context",
    "unit_context",
    "walk",
    "years_context",
    "field",
]
