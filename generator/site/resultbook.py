"""The results workbook (``downloads/<id>-results.xlsx``): every unit on the first sheet, with the CSV
download's columns as numbers; a sheet per ranking pool or liaison group, ranked; the group statistics."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.exact import quantize
from generator.engine.outcome import AssessmentOutcome
from generator.site.export import summary_rows
from generator.site.views.common import by_pool
from generator.site.workbooks import numbers, workbook_bytes

#: Columns of the results table that hold numbers (besides the category and part titles).
NUMBER_COLUMNS = ("指标得分", "加分", "扣分因素", "综合得分", "名次")


def results_frames(
    outcome: AssessmentOutcome, summary: list[dict[str, Any]] | None = None
) -> list[tuple[str, pd.DataFrame]]:
    """The workbook's sheets; ``summary`` is :func:`summary_rows` of the outcome when already made."""
    rubric = outcome.rubric
    columns = {c.node.title for u in outcome.units for c in u.score.categories} | {p.name for p in rubric.parts}
    columns |= set(NUMBER_COLUMNS)
    made: dict[str, Decimal] = {}
    rows = [numbers(row, columns, made) for row in (summary_rows(outcome) if summary is None else summary)]
    frame = pd.DataFrame(rows)
    sheets = [(f"{rubric.year}年度考核结果", frame)]
    index = {u.unit.id: i for i, u in enumerate(outcome.units)}
    pools = by_pool(outcome)
    if len(pools) > 1:
        for _pid, name, members in pools:
            ranked = sorted(members, key=lambda u: (u.standing.rank is None, u.standing.rank or 0, u.unit.id))
            sheets.append((name, frame.iloc[[index[u.unit.id] for u in ranked]]))
    sheets.append(("分组统计", group_statistics(frame, outcome)))
    return sheets


def group_statistics(frame: pd.DataFrame, outcome: AssessmentOutcome) -> pd.DataFrame:
    """Per ranking pool: units assessed, the average, highest and lowest total, and how many of each grade."""
    assessed = frame[frame["综合得分"].map(lambda v: isinstance(v, Decimal))]
    if assessed.empty:
        return pd.DataFrame({"排名组": [], "参加考核单位数": []})
    totals = assessed.groupby("排名组", sort=False)["综合得分"]
    rounding = outcome.rubric.rounding
    stats = pd.DataFrame(
        {
            "参加考核单位数": totals.count(),
            "平均综合得分": totals.apply(
                lambda s: quantize(sum(s, Decimal(0)) / len(s), rounding.decimals, rounding.mode)
            ),
            "最高分": totals.max(),
            "最低分": totals.min(),
        }
    )
    grades = pd.crosstab(assessed["排名组"], assessed["等次"])
    labels = [g for g in dict.fromkeys(u.standing.label for u in outcome.units if u.standing.grade is not None)]
    grades = grades.reindex(columns=[g for g in labels if g in grades.columns]).fillna(0).astype(int)
    return stats.join(grades).reset_index()


def results_workbook(outcome: AssessmentOutcome, spill: Path) -> bytes:
    return results_book(results_frames(outcome), outcome.sample is not None, spill)


def results_book(sheets: list[tuple[str, pd.DataFrame]], sample: bool, spill: Path) -> bytes:
    """The workbook of :func:`results_frames`' sheets (made apart from the outcome: see ``site/units.py``).
    Its rows go to temporary files in the folder ``spill`` while it is made (one the build removes, should
    it be stopped)."""
    return workbook_bytes(sheets, DOWNLOAD_NOTE if sample else "", wrap=("等次依据",), spill=spill)
