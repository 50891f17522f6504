"""The numbers of a unit's page besides its items: how its total is made, its parts against its pool."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from generator.engine.exact import ZERO, fmt, fmt_percent
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site.charts import PoolHistogram
from generator.site.views.common import by_pool


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


def formula(u: UnitOutcome) -> tuple[tuple[FormulaLine, ...], str]:
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
    #: Per pool: the distribution of its units' totals.
    histograms: Mapping[str, PoolHistogram]


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
    histograms = {
        pid: PoolHistogram(name, [u.score.total for u in members if u.score.assessed])
        for pid, name, members in by_pool(outcome)
    }
    return PoolStats({k: sums[k] / counts[k] for k in sums}, histograms)


def bars(u: UnitOutcome, stats: PoolStats) -> tuple[Bar, ...]:
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
