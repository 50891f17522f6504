"""The unit page's context: every point a unit lost and why, and where it stands."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.engine.exact import ZERO, fmt, fmt_percent
from generator.engine.models import VETO_EFFECT_NAMES, GradeKey, Rubric
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.engine.provenance import Mark, Provenance, provenance
from generator.engine.results import Notice
from generator.engine.wording import all_words, rule_words, words
from generator.site import paths
from generator.site.views.common import Change, History, HistoryRow
from generator.site.views.origin import grade_rests_on_filled, rule_marks

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
        u.unit.name, u.unit.group, s.unit_type.name, outcome.rubric.year, s.assessed, fmt(s.total), u.standing.label,
        u.unit.id, u.unit.abbr,
    )


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
    rows: tuple[ItemRow, ...]
    #: The categories that do not apply to the unit's type (不适用，不计分), each with the types it is for.
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
    #: The unit's total, rank and grade rest on indicator points the document did not give ('' when not).
    filled_note: str
    #: The results are sample data (示例数据).
    sample: bool
    show_self_scores: bool
    standards_url: str
    results_url: str
    notice_url: str | None
    json_url: str


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
                points_mark=_points_mark(prov, n) if prov is not None else None,
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


def _points_mark(prov: Provenance, n: NodeOutcome) -> Mark | None:
    return prov.field_mark(n.node, "points") or prov.field_mark(n.node, "points_by_type")


def other_categories(rubric: Rubric, u: UnitOutcome) -> tuple[str, ...]:
    """The categories that do not apply to the unit, said so that none is mistaken for one it was scored on:
    named with their id where a title is also one of the unit's own categories (004: 重大专项 for counties
    and S1 重大专项 for city units), and with the unit types they are for."""
    names = {t.id: t.name for t in rubric.unit_types}
    own = {c.node.title for c in u.score.categories if c.applicable}
    out = []
    for c in u.score.categories:
        if c.applicable:
            continue
        node = c.node
        title = f"{node.id}「{node.title}」" if node.title in own else node.title
        for_types = [names[t] for t in names if (not node.applies_to or t in node.applies_to) and t not in node.not_applicable_to]
        out.append(f"{title}（适用于{'、'.join(for_types)}）" if for_types else title)
    return tuple(out)


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
    if expression == fmt(s.total):  # one term, nothing added or taken off: "96.5 = 96.5" says nothing
        return tuple(lines), f"{fmt(s.total)} 分"
    base = sum((p.weighted for p in s.parts), ZERO) if s.parts else s.indicator_score
    exact = max(ZERO, base + s.bonus.total - s.penalty_total)
    # The total is kept to the rubric's places: 100 − 0.5 with decimals 0 is about 100, not equal to it.
    return tuple(lines), f"{expression} {'=' if exact == s.total else '≈'} {fmt(s.total)}"


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
    path = paths.unit_page(r.id, u.unit.id)
    standards = paths.page(r.id, "standards")
    s, st = u.score, u.standing
    formula, formula_total = _formula(u)
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
        outcome=u,
        type_name=s.unit_type.name,
        total=fmt(s.total),
        full=fmt(s.full_marks),
        rank=st.rank,
        pool_size=st.pool_size,
        pool_name=st.pool_name,
        grade=st.grade,
        grade_label=st.label,
        reasons=all_words(st.reasons),
        rows=item_rows(s.categories, path, standards, row_cache, r),
        other_categories=other_categories(r, u),
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
        filled_note=grade_rests_on_filled(r, s.unit_type.id) if s.assessed else "",
        sample=outcome.sample is not None,
        show_self_scores=show_self_scores,
        standards_url=paths.link(path, standards),
        results_url=paths.link(path, paths.page(r.id, "results")),
        notice_url=paths.link(path, paths.page(r.id, "notice")) if notice else None,
        json_url=paths.link(path, paths.unit_json(r.id, u.unit.id)),
    )
