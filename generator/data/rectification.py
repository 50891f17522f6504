"""rectification.csv: the problems an assessment found, as the next year's rectification tasks (004:57).

The file sits in the folder of the year the work is done in: ``kaoping new 2021 --from zonghe-2020`` writes
``results/zonghe-2021/rectification.csv`` with a task for every indicator on which a unit lost points in
2020, and the tasks of earlier years that are still open. The units or the office fill in target, measures,
progress, person responsible, due date and status through the year. When the year's own results are
recorded, a task not put right by its due date (or, without one, by the year's end) is flagged, and where
the rubric says so (``rectification``, 003:17 问题未及时整改的，有1项扣1分) each such task costs points.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from generator.data.cells import Cells
from generator.data.problems import Problems
from generator.data.tables import RECTIFICATION
from generator.engine.exact import fmt
from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome
from generator.engine.results import Assessment, Finding, Row, Unit
from generator.engine.tree import node_index, node_rules
from generator.engine.yearoutcome import lost_nodes
from generator.engine.yearrecords import RectificationItem, RectificationStatus

STATUS_WORDS: Mapping[str, RectificationStatus] = {
    "未启动": "not_started",
    "未开始": "not_started",
    "未整改": "not_started",
    "整改中": "in_progress",
    "进行中": "in_progress",
    "正在整改": "in_progress",
    "已完成": "done",
    "完成": "done",
    "已整改": "done",
    "已办结": "done",
}


def read_rectification(
    rows: Sequence[Row], rubric: Rubric, units: Mapping[str, Unit], problems: Problems
) -> tuple[RectificationItem, ...]:
    cells = Cells(problems)
    out = []
    for row in rows:
        item = _item(cells, row, rubric, units)
        if item is not None:
            out.append(item)
    return tuple(out)


def _item(cells: Cells, row: Row, rubric: Rubric, units: Mapping[str, Unit]) -> RectificationItem | None:
    unit = row.get("unit")
    if unit and units and unit not in units:
        cells.error(
            row, "unit", f"单位代码「{unit}」不在本年度的单位名册中", "单位撤并的，删除这一行或改为承接整改的单位。"
        )
        return None
    year = cells.whole(row, "year", "问题年度")
    if row.get("year") and year is not None and not rubric.year - 10 <= year < rubric.year:
        cells.error(
            row, "year", f"问题年度 {year} 应在本年度（{rubric.year}）之前", "写检查出问题的考核年度，例如上一年。"
        )
        return None
    if not row.get("year"):
        cells.error(row, "year", "问题年度为空", f"写检查出问题的考核年度，例如 {rubric.year - 1}。")
    problem = cells.required(row, "problem", "问题", "写明检查出的问题。")
    lost = cells.number(row, "lost", "扣分")
    due = cells.date(row, "due", "完成时限")
    done = cells.date(row, "done", "完成日期")
    status = cells.choice(row, "status", "整改状态", STATUS_WORDS, "not_started")
    if not (unit and year and problem) or status is None:
        return None
    if any(row.get(c) and v is None for c, v in (("lost", lost), ("due", due), ("done", done))):
        return None
    if done is not None and status != "done":
        cells.error(row, "done", "有完成日期，但整改状态不是已完成", "把整改状态改为「已完成」，或删去完成日期。")
        return None
    return RectificationItem(
        unit=unit,
        year=year,
        problem=problem,
        item=row.get("item"),
        lost=lost,
        target=row.get("target"),
        measures=row.get("measures"),
        progress=row.get("progress"),
        person=row.get("person"),
        due=due,
        status=status,
        done=done,
        loc=row.loc,
    )


def year_end(rubric: Rubric) -> datetime.date:
    return datetime.date(rubric.year, 12, 31)


def check_rectification_rule(rubric: Rubric, problems: Problems) -> None:
    """The rubric's ``rectification`` names an indicator and a rule that counts items (per_occurrence)."""
    link = rubric.rectification
    if link is None:
        return
    node = node_index(rubric).get(link.item)
    if node is None:
        problems.error(
            link.loc,
            f"rectification.item「{link.item}」不是细则中的指标编号",
            "写按未及时整改的整改任务扣分的指标编号。",
        )
        return
    rules = dict(node_rules(node, rubric))
    rid = link.rule or (next(iter(rules)) if len(rules) == 1 else "")
    rule = rules.get(rid)
    if rule is None:
        problems.error(
            link.loc,
            f"指标 {node.id} 没有可用的规则「{link.rule}」",
            "写该指标中按项扣分的规则编号：" + "、".join(rules) + "。",
        )
    elif rule.kind != "per_occurrence":
        problems.error(
            link.loc,
            f"指标 {node.id} 规则 {rid} 不是按项扣分（per_occurrence）的规则",
            "整改任务按项扣分：引用一条 per_occurrence 规则。",
        )


def deduct_late(
    rubric: Rubric, assessment: Assessment, items: Sequence[RectificationItem]
) -> tuple[Assessment, dict[str, tuple[RectificationItem, ...]]]:
    """Each unit's tasks not put right in time, as findings of the rubric's rectification rule."""
    late: dict[str, list[RectificationItem]] = {}
    end = year_end(rubric)
    for item in items:
        if item.late_at(end):
            late.setdefault(item.unit, []).append(item)
    link = rubric.rectification
    if link is None or not late:
        return assessment, {}
    node = node_index(rubric)[link.item]
    rules = node_rules(node, rubric)
    rid = link.rule or rules[0][0]
    units = []
    deducted: dict[str, tuple[RectificationItem, ...]] = {}
    for u in assessment.units:
        mine = late.get(u.unit.id)
        if not mine or not u.assessed:
            units.append(u)
            continue
        deducted[u.unit.id] = tuple(mine)
        reason = f"上一年度整改任务 {len(mine)} 项未按期完成：" + "；".join(i.problem for i in mine)
        finding = Finding(link.item, rid, count=Decimal(len(mine)), reason=reason, loc=mine[0].loc)
        units.append(replace(u, findings=(*u.findings, finding)))
    return replace(assessment, units=tuple(units)), deducted


# --------------------------------------------------------------------------------------------
# The next year's tasks (kaoping new, and the pages of the year that found the problems)
# --------------------------------------------------------------------------------------------


def next_year_rows(outcome: AssessmentOutcome, carried: Iterable[RectificationItem]) -> list[list[str]]:
    """The rows of the next year's rectification.csv: open tasks carried over, then this year's problems."""
    rows = []
    for i in carried:
        if i.open:
            due = i.due.isoformat() if i.due else ""
            rows.append(
                [
                    i.unit,
                    str(i.year),
                    i.item,
                    i.problem,
                    fmt(i.lost),
                    i.target,
                    i.measures,
                    i.progress,
                    i.person,
                    due,
                    "整改中" if i.status == "in_progress" else "未启动",
                    "",
                ]
            )
    for u in outcome.units:
        for n, problem in lost_nodes(u) if u.score.assessed else ():
            rows.append(
                [u.unit.id, str(outcome.rubric.year), n.id, problem, fmt(n.lost), "", "", "", "", "", "未启动", ""]
            )
    return rows


#: The columns of rectification.csv, in the order kaoping writes them.
TASK_COLUMNS = (
    "unit",
    "year",
    "item",
    "problem",
    "lost",
    "target",
    "measures",
    "progress",
    "person",
    "due",
    "status",
    "done",
)


def rectification_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """rectification.csv as Excel saves "CSV UTF-8": BOM, Chinese headers, CRLF."""
    names = TASK_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([RECTIFICATION.column(n).title for n in names])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
