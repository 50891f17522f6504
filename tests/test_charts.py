"""The charts drawn at build time (generator/site/charts.py, site_templates/_charts.j2).

Their geometry from known numbers, then the built site: a unit's page shows the distribution of its pool
with its own total marked, each part against the pool's average and, on a series, its total over the
years, each as inline SVG with the same figures in words; nothing is drawn by a script or fetched.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest_site import BuiltSite, built_site

from generator.engine.exact import fmt
from generator.site import paths
from generator.site.charts import BOTTOM, LEFT, RIGHT, TOP, PoolHistogram, year_line

D = Decimal


def test_a_pools_histogram_counts_every_unit_once_and_marks_the_units_own_bar() -> None:
    totals = [D("61.5"), D("70"), D("72.25"), D("80"), D("80"), D("88.5"), D("95"), D("99.75")]
    chart = PoolHistogram("第一组", totals)
    assert sum(b.count for b in chart.chart.bars) == len(totals)
    assert chart.chart.marker_x is None and not any(b.own for b in chart.chart.bars)
    assert "最低 61.5，最高 99.75" in chart.chart.summary
    for total in totals:
        mine = chart.for_unit(total)
        own = [b for b in mine.bars if b.own]
        assert len(own) == 1, total
        assert D(own[0].low) <= total and (total < D(own[0].high) or total == max(totals)), (total, own[0])
        assert mine.marker_x is not None and LEFT <= mine.marker_x <= RIGHT
        assert own[0].x - 1 <= mine.marker_x <= own[0].x + own[0].width + 1
        assert f"本单位 {fmt(total)} 分" in mine.summary
    assert "高于本组 0% 的单位" in chart.for_unit(D("61.5")).summary
    assert "高于本组 100% 的单位" in chart.for_unit(D("99.75")).summary
    for b in chart.chart.bars:
        assert TOP <= b.y <= b.y + b.height <= BOTTOM + 1e-9


def test_full_marks_close_the_last_bar_and_the_axis_ends_there() -> None:
    """A top total on a bar's edge (100 of 100, bars of 5) is counted in the last bar, 95–100: no bar of one
    unit from 100 to 105, and no axis running past the full marks."""
    chart = PoolHistogram("一组", [D("72"), D("81.5"), D("90"), D("95"), D("100")])
    assert [(b.low, b.high) for b in chart.chart.bars][-1] == ("95", "100")
    assert chart.chart.bars[-1].count == 2
    assert chart.chart.ticks[-1][1] == "100"
    assert [b.own for b in chart.for_unit(D("100")).bars][-1]
    # Not on an edge, the highest total's bar is still the one it falls in.
    assert [(b.low, b.high) for b in PoolHistogram("一组", [D("72"), D("99.5")]).chart.bars][-1] == ("95", "100")


def test_a_pool_of_one_or_of_equal_totals() -> None:
    one = PoolHistogram("一组", [D("90")]).for_unit(D("90"))
    assert [b.count for b in one.bars] == [1] and "本组只有这一个单位" in one.summary
    same = PoolHistogram("一组", [D("90")] * 4).for_unit(D("90"))
    assert sum(b.count for b in same.bars) == 4 and [b.own for b in same.bars].count(True) == 1
    assert PoolHistogram("空组", []).chart.bars == ()


def test_a_units_total_over_the_years() -> None:
    assert year_line([(2020, D("90"), True)]) is None, "只有一年时不画"
    line = year_line([(2018, D("80.5"), False), (2019, D("92"), False), (2020, D("86.25"), True)])
    assert line is not None
    assert [p.year for p in line.points] == [2018, 2019, 2020]
    assert [p.total for p in line.points] == ["80.5", "92", "86.25"]
    assert [p.current for p in line.points] == [False, False, True]
    xs = [p.x for p in line.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    ys = {p.year: p.y for p in line.points}
    assert ys[2019] < ys[2020] < ys[2018], "得分越高，点越靠上"
    assert line.summary == "历年综合得分：2018年 80.5，2019年 92，2020年 86.25。"
    negative = year_line([(2019, D("-3"), False), (2020, D("12"), True)])
    assert negative is not None
    assert all(TOP <= p.y <= BOTTOM for p in negative.points), "负分也画在图内"


@pytest.fixture(scope="module")
def built() -> BuiltSite:
    return built_site()


def figures(html: str) -> dict[str, str]:
    """Each chart's figure by its caption's id: the SVG and its caption."""
    found = re.findall(r'<figure class="kp-chart"[^>]*>(.*?)</figure>', html, re.DOTALL)
    out = {}
    for body in found:
        caption = re.search(r'<figcaption id="([^"]+)">(.*?)</figcaption>', body, re.DOTALL)
        assert caption, body[:200]
        assert re.search(rf'<svg [^>]*role="img" aria-labelledby="{caption[1]}"', body), caption[1]
        assert "<script" not in body and "href" not in body and "http" not in body.replace("http://www.w3.org", "")
        out[caption[1]] = body
    return out


def test_a_units_page_draws_its_pool_its_parts_and_its_years(built: BuiltSite) -> None:
    outcomes = built.prepared.outcomes
    series = [
        o
        for o in outcomes.values()
        if any(p.rubric.series_id == o.rubric.series_id and p.rubric.year < o.rubric.year for p in outcomes.values())
    ]
    assert series, "随附数据中应有连续几年的考核"
    outcome = max(series, key=lambda o: o.rubric.year)
    earlier = [o for o in outcomes.values() if o.rubric.series_id == outcome.rubric.series_id and o is not outcome]
    drawn = 0
    for u in outcome.units:
        if not u.score.assessed:
            continue
        html = (built.site / paths.html_path(paths.unit_page(outcome.rubric.id, u.unit.id))).read_text("utf-8")
        charts = figures(html)
        assert "chart-distribution" in charts and "chart-parts" in charts, u.unit.id
        assert f"本单位 {fmt(u.score.total)} 分" in charts["chart-distribution"]
        assert charts["chart-distribution"].count('class="kp-chart__bar"') == 1, "只有本单位所在的一栏突出显示"
        for c in u.score.categories:
            if c.applicable and c.score is not None:
                assert f"{c.node.title} {fmt(c.score)} / {fmt(c.points)}" in charts["chart-parts"], (u.unit.id, c.id)
        years = sorted(
            (o.rubric.year, o.by_unit()[u.unit.id].score.total)
            for o in [*earlier, outcome]
            if u.unit.id in o.by_unit() and o.by_unit()[u.unit.id].score.assessed
        )
        if len(years) > 1:
            words = "，".join(f"{y}年 {fmt(t)}" for y, t in years)
            assert f"历年综合得分：{words}。" in charts["chart-years"], u.unit.id
            assert charts["chart-years"].count("<circle") == len(years)
            drawn += 1
        else:
            assert "chart-years" not in charts
    assert drawn, "应有单位页面画出历年综合得分"


def test_the_results_page_draws_each_pool(built: BuiltSite) -> None:
    outcome = built.prepared.outcomes[max(built.prepared.outcomes)]
    html = (built.site / paths.html_path(paths.page(outcome.rubric.id, "results"))).read_text("utf-8")
    charts = figures(html)
    assert charts
    for body in charts.values():
        assert "kp-chart__avg" not in body, "考核结果页不标出某个单位"
        counts = [int(n) for n in re.findall(r"分：(\d+) 个单位</title>", body)]
        assert counts and all(n >= 0 for n in counts)
    total = sum(int(n) for body in charts.values() for n in re.findall(r"分：(\d+) 个单位</title>", body))
    assert total == sum(1 for u in outcome.units if u.score.assessed)
