"""recommendations.csv: each liaison group's vote (民主推荐) for 先进基层党组织 and 优秀党务干部 (001:22)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.data.cells import Cells, one_of
from generator.data.problems import Loc, Problems
from generator.engine.models import Rubric
from generator.engine.results import Assessment, Row, Unit
from generator.engine.yearrecords import Tally


def read_tallies(
    rows: Sequence[Row], rubric: Rubric, units: Mapping[str, Unit], problems: Problems
) -> tuple[Tally, ...]:
    cells = Cells(problems)
    scheme = rubric.recommendation
    if rows and scheme is None:
        problems.error(
            Loc(rows[0].loc.file),
            f"细则 {rubric.id} 没有民主推荐（recommendation），不需要这张表",
            "删除这个文件，或在细则中写明 recommendation。",
        )
        return ()
    out: list[Tally] = []
    seen: dict[tuple[str, str, str], Loc] = {}
    for row in rows:
        assert scheme is not None
        unit = row.get("unit")
        if units and unit not in units:
            cells.error(row, "unit", f"单位代码「{unit}」不在单位名册中", "填写单位名册中的单位代码。")
            continue
        category = one_of(row.get("category"), scheme.categories) if row.get("category") else None
        if category is None:
            cells.error(
                row,
                "category",
                f"推荐类别「{row.get('category')}」不在细则中",
                "可填：" + "、".join(scheme.categories) + "。",
            )
            continue
        votes = cells.whole(row, "votes", "得票")
        voters = cells.whole(row, "voters", "投票人数")
        recommended = cells.yes_no(row, "recommended", "推荐结果")
        if votes is None or voters is None or (row.get("recommended") and recommended is None):
            if not row.get("votes") or not row.get("voters"):
                cells.error(row, "votes" if not row.get("votes") else "voters", "得票和投票人数都要填写", "填写整数。")
            continue
        if votes > voters:
            cells.error(row, "votes", f"得票 {votes} 多于投票人数 {voters}", "核对计票结果。")
            continue
        key = (unit, category, row.get("person"))
        if key in seen:
            cells.error(
                row,
                "unit",
                f"单位 {unit} 的「{category}」推荐已在第 {seen[key].line} 行记录",
                "每个单位（或人）每个类别记一行。",
            )
            continue
        seen[key] = row.loc
        out.append(Tally(unit, category, votes, voters, row.get("person"), recommended, row.loc))
    return tuple(out)


def check_recommended_awards(
    rubric: Rubric, assessment: Assessment, tallies: Sequence[Tally], problems: Problems
) -> None:
    """Where the rubric requires it, a unit the office awards 先进 was recommended by its group."""
    scheme = rubric.recommendation
    if scheme is None or not scheme.advanced_category:
        return
    recommended = {t.unit for t in tallies if t.category == scheme.advanced_category and t.recommended}
    for u in assessment.units:
        award = u.award
        if award is not None and award.grade == "advanced" and u.unit.id not in recommended:
            problems.error(
                award.loc,
                f"单位 {u.unit.id} 被评定为先进，但没有获得本组民主推荐的「{scheme.advanced_category}」",
                "核对评定结果；或在 recommendations.csv 中记录该组的推荐结果（推荐结果写「是」）。",
            )
