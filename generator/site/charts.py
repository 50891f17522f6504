"""Charts drawn at build time: their geometry, which ``site_templates/_charts.j2`` draws as inline SVG.

Pure, like the page contexts: numbers in, coordinates out (floats for drawing only; every number shown as
text is formatted from the engine's Decimal). Nothing is drawn by a script, nothing comes from outside the
site. Each chart carries a sentence that says what it shows, for screen readers and for print.

- :class:`PoolHistogram`: the distribution of 综合得分 in one ranking pool, made once per pool; a unit's
  page asks it for :meth:`PoolHistogram.for_unit`, which marks the unit's own position (O(log n) a page).
- :class:`YearLine`: a unit's total over the years of a series.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from generator.engine.exact import fmt

#: The drawing's size in SVG units; the page scales it to the column's width.
WIDTH = 420
HEIGHT = 150
#: The plotting area inside it (the rest holds the axis labels).
LEFT, RIGHT, TOP, BOTTOM = 8.0, 412.0, 22.0, 118.0
_STEPS = (Decimal(1), Decimal(2), Decimal(5))


@dataclass(frozen=True)
class HistogramBar:
    x: float
    width: float
    y: float
    height: float
    #: How many units scored in [low, high), the last bar [low, high] (it closes on the highest total).
    count: int
    low: str
    high: str
    #: The unit whose page this is scored in this bar.
    own: bool = False


@dataclass(frozen=True)
class Distribution:
    """综合得分 of the units of one pool, as a histogram; on a unit's page, with the unit's position."""

    pool: str
    units: int
    bars: tuple[HistogramBar, ...]
    #: Labels under the axis: (x, text).
    ticks: tuple[tuple[float, str], ...]
    #: Where the unit's own total is (None on the results page).
    marker_x: float | None
    marker_label: str
    #: What the chart shows, in one sentence (the SVG's label, and its caption).
    summary: str
    width: int = WIDTH
    height: int = HEIGHT


def _nice_step(span: Decimal, bins: int) -> Decimal:
    """1, 2 or 5 times a power of ten, so that ``span`` takes about ``bins`` bins."""
    raw = span / bins if span > 0 else Decimal(1)
    scale = Decimal(1).scaleb(raw.adjusted())
    for step in _STEPS:
        if step * scale >= raw:
            return step * scale
    return 10 * scale


class PoolHistogram:
    """The bins of one pool's totals, made once; each unit's page marks its own place in them."""

    def __init__(self, pool: str, totals: Sequence[Decimal], bins: int = 10) -> None:
        self.pool = pool
        self.totals = sorted(totals)
        if not self.totals:
            self.low = self.step = Decimal(0)
            self.chart = Distribution(pool, 0, (), (), None, "", f"{pool}没有参加考核的单位。")
            return
        low, high = self.totals[0], self.totals[-1]
        self.step = _nice_step(high - low, bins)
        self.low = (low / self.step).to_integral_value(rounding="ROUND_FLOOR") * self.step
        # A highest total on a bin's edge (100 of 100) closes the last bin instead of opening one beyond it,
        # whose axis would run past the full marks (to 105).
        count = max(1, int(((high - self.low) / self.step).to_integral_value(rounding="ROUND_CEILING")))
        self.edges = [self.low + i * self.step for i in range(count + 1)]
        counts = [0] * count
        for t in self.totals:
            counts[min(count - 1, int((t - self.low) / self.step))] += 1
        tallest = max(counts)
        slot = (RIGHT - LEFT) / count
        bars = []
        for i, n in enumerate(counts):
            h = (BOTTOM - TOP) * n / tallest
            bars.append(
                HistogramBar(
                    LEFT + i * slot + 1, slot - 2, BOTTOM - h, h, n, fmt(self.edges[i]), fmt(self.edges[i + 1])
                )
            )
        every = max(1, count // 5)
        ticks = tuple((self.x(self.edges[i]), fmt(self.edges[i])) for i in range(0, count + 1, every))
        median = self.totals[len(self.totals) // 2]
        summary = (
            f"{pool} {len(self.totals)} 个单位的综合得分分布：最低 {fmt(low)}，最高 {fmt(high)}，"
            f"中间的单位 {fmt(median)}；每一栏是得分在一段范围内的单位数。"
        )
        self.chart = Distribution(pool, len(self.totals), tuple(bars), ticks, None, "", summary)

    def x(self, value: Decimal) -> float:
        span = self.edges[-1] - self.edges[0]
        return LEFT + float((value - self.edges[0]) / span) * (RIGHT - LEFT) if span else (LEFT + RIGHT) / 2

    def for_unit(self, total: Decimal) -> Distribution:
        """The pool's chart with the unit's own total marked, and said in words."""
        if not self.totals:
            return self.chart
        below = bisect.bisect_left(self.totals, total)
        others = len(self.totals) - 1
        share = f"高于本组 {round(100 * below / others)}% 的单位" if others else "本组只有这一个单位"
        index = min(len(self.chart.bars) - 1, max(0, int((total - self.low) / self.step)))
        bars = tuple(replace(b, own=i == index) for i, b in enumerate(self.chart.bars))
        summary = f"{self.chart.summary}本单位 {fmt(total)} 分，{share}。"
        return replace(
            self.chart, bars=bars, marker_x=self.x(total), marker_label=f"本单位 {fmt(total)}", summary=summary
        )


@dataclass(frozen=True)
class YearPoint:
    x: float
    y: float
    year: int
    total: str
    current: bool


@dataclass(frozen=True)
class YearLine:
    """A unit's 综合得分 over the years of its series."""

    points: tuple[YearPoint, ...]
    #: The SVG path through the points.
    path: str
    #: The lowest and highest value of the vertical axis, as shown.
    axis_low: str
    axis_high: str
    summary: str
    width: int = WIDTH
    height: int = HEIGHT


def year_line(years: Sequence[tuple[int, Decimal, bool]]) -> YearLine | None:
    """``years``: (year, total, is this page's year), oldest first; None with fewer than two years."""
    if len(years) < 2:
        return None
    values = [t for _, t, _ in years]
    low, high = min(values), max(values)
    pad = (high - low) / 5 if high > low else max(Decimal(1), abs(high) / 20)
    # the axis starts at 0 when every total is near it; a negative total (a penalty beyond the points) stays
    # inside the drawing
    low, high = (max(Decimal(0), low - pad) if low >= 0 else low - pad), high + pad
    slot = (RIGHT - LEFT - 40) / (len(years) - 1)
    points = tuple(
        YearPoint(
            LEFT + 20 + i * slot,
            BOTTOM - float((t - low) / (high - low)) * (BOTTOM - TOP),
            year,
            fmt(t),
            current,
        )
        for i, (year, t, current) in enumerate(years)
    )
    path = "M" + " L".join(f"{p.x:.1f},{p.y:.1f}" for p in points)
    words = "，".join(f"{p.year}年 {p.total}" for p in points)
    return YearLine(
        points, path, fmt(low.quantize(Decimal(1))), fmt(high.quantize(Decimal(1))), f"历年综合得分：{words}。"
    )
