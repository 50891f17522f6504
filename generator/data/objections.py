"""objections.csv: objections raised during the publicity period (公示) and their review (复核).

An objection reviewed with the outcome 调整 replaces what the entries say about one rule of one indicator:
its rows there are set aside and the adjusted facts (调整后情况, 调整后扣分, with the review's reason) take
their place, read and checked exactly as an entries row, located at the objection's row. So the scores,
ranks and grades follow the adjusted values, and a wrong adjusted value is reported where it was written.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import replace

from generator.data.cells import Cells, date_text, norm
from generator.data.problems import Loc, Problems
from generator.engine.models import Rubric
from generator.engine.results import RawResults, Row
from generator.engine.tree import node_index, node_rules
from generator.engine.yearrecords import Objection, ObjectionOutcome

OUTCOME_WORDS: Mapping[str, ObjectionOutcome] = {
    "维持": "upheld",
    "维持原结果": "upheld",
    "不予调整": "upheld",
    "调整": "adjusted",
    "予以调整": "adjusted",
    "更正": "adjusted",
    "待复核": "pending",
    "复核中": "pending",
}


def read_objections(
    rows: Sequence[Row],
    rubric: Rubric,
    unit_ids: set[str],
    publicity: tuple[datetime.date, datetime.date] | None,
    problems: Problems,
) -> tuple[Objection, ...]:
    cells = Cells(problems)
    out: list[Objection] = []
    adjusted: dict[tuple[str, str, str], Loc] = {}
    if rows and publicity is None:
        problems.error(
            Loc(rows[0].loc.file),
            "有异议记录，但通报（notice.yml）中没有写明公示期，无法判断异议是否在公示期内提出",
            "在 notice.yml 的 publicity 中写明公示的开始和结束日期（见考核通报参考）。",
        )
    for row in rows:
        objection = _objection(cells, row, rubric, unit_ids, publicity)
        if objection is None:
            continue
        if objection.outcome == "adjusted":
            key = (objection.unit, objection.item, objection.rule)
            if key in adjusted:
                cells.error(
                    row,
                    "outcome",
                    f"单位 {objection.unit} 指标 {objection.item} 规则 {objection.rule}"
                    f" 已在第 {adjusted[key].line} 行调整过",
                    "同一条规则只调整一次：把两次复核的结果合并成一行。",
                )
                continue
            adjusted[key] = row.loc
        out.append(objection)
    return tuple(out)


def _objection(
    cells: Cells, row: Row, rubric: Rubric, unit_ids: set[str], publicity: tuple[datetime.date, datetime.date] | None
) -> Objection | None:
    unit = row.get("unit")
    if unit and unit_ids and unit not in unit_ids:
        cells.error(row, "unit", f"单位代码「{unit}」不在单位名册中", "填写单位名册中的单位代码。")
        return None
    text = cells.required(row, "objection", "异议内容", "写明单位提出的异议。")
    received = cells.date(row, "received", "收到日期", required=True)
    decided = cells.date(row, "decided", "决定日期")
    outcome = cells.choice(row, "outcome", "复核结果", OUTCOME_WORDS, "pending")
    if not (unit and text and received) or outcome is None or (row.get("decided") and decided is None):
        return None
    if publicity is not None and not _in_time(cells, row, received, publicity):
        return None
    item, rule = norm(row.get("item")), norm(row.get("rule"))
    if outcome != "pending":
        if not row.get("reason"):
            cells.error(row, "reason", "复核结果须写明理由", "在“复核理由”列写明维持或调整的理由，被考核单位会看到它。")
            return None
        if decided is None:
            cells.error(row, "decided", "复核结果须写明决定日期", "填写作出复核决定的日期。")
            return None
        if decided < received:
            cells.error(row, "decided", "决定日期早于收到日期", "核对日期。")
            return None
    if outcome == "adjusted":
        resolved = _adjusted_rule(cells, row, rubric, item, rule)
        if resolved is None:
            return None
        rule = resolved
    elif row.get("value") or row.get("amount"):
        cells.error(
            row,
            "value" if row.get("value") else "amount",
            "只有复核结果为调整时才填写调整后的情况和扣分",
            "把复核结果写作「调整」，或删去调整后的情况和扣分。",
        )
        return None
    return Objection(
        unit=unit,
        text=text,
        received=received,
        item=item,
        rule=rule,
        review=row.get("review"),
        outcome=outcome,
        value=row.get("value"),
        amount=row.get("amount"),
        reason=row.get("reason"),
        decided=decided,
        decided_by=row.get("decided_by"),
        late_reason=row.get("late_reason"),
        loc=row.loc,
    )


def _in_time(cells: Cells, row: Row, received: datetime.date, publicity: tuple[datetime.date, datetime.date]) -> bool:
    start, end = publicity
    if received < start:
        cells.error(
            row,
            "received",
            f"收到日期 {date_text(received)} 在公示开始（{date_text(start)}）之前",
            "核对收到日期和通报中的公示期。",
        )
        return False
    if received > end and not row.get("late_reason"):
        cells.error(
            row,
            "received",
            f"公示期 {date_text(end)} 已结束，这件异议 {date_text(received)} 才收到：逾期的异议不予受理",
            "删除这一行；确经研究同意逾期受理的，在“逾期受理理由”列写明理由。",
        )
        return False
    return True


def _adjusted_rule(cells: Cells, row: Row, rubric: Rubric, item: str, rule: str) -> str | None:
    """The rule an adjustment replaces: named, or the indicator's only rule; None (an error) otherwise."""
    node = node_index(rubric).get(item)
    if node is None:
        where = "item" if item else "outcome"
        cells.error(
            row,
            where,
            f"调整须写明细则中的指标编号（这里是「{item}」）",
            "填写调整的指标编号，对综合得分的异议也要落到具体指标。",
        )
        return None
    rules = node_rules(node, rubric)
    if not rules:
        cells.error(row, "item", f"指标 {item} 没有评分规则，不能在这一项调整", "填写它的下级指标编号。")
        return None
    if not rule:
        if len(rules) == 1:
            return rules[0][0]
        cells.error(
            row,
            "rule",
            f"指标 {item} 有 {len(rules)} 条评分规则，调整须写明规则编号",
            "可用的规则：" + "、".join(r for r, _ in rules) + "。",
        )
        return None
    if rule not in dict(rules):
        cells.error(
            row, "rule", f"指标 {item} 没有规则「{rule}」", "可用的规则：" + "、".join(r for r, _ in rules) + "。"
        )
        return None
    return rule


def adjusted_results(
    raw: RawResults, rubric: Rubric, objections: Sequence[Objection], rows: Sequence[Row]
) -> RawResults:
    """``raw`` with each adjustment in place of the entries it replaces (unchanged when nothing is adjusted)."""
    adjustments = [o for o in objections if o.outcome == "adjusted"]
    if not adjustments:
        return raw
    nodes = node_index(rubric)
    replaced = {(o.unit, o.item, o.rule) for o in adjustments}
    kept = [r for r in raw.entries if _entry_key(r, nodes, rubric) not in replaced]
    by_loc = {r.loc: r for r in rows}
    added = []
    for o in adjustments:
        if not (o.value or o.amount):
            continue  # the deduction is withdrawn: no entry takes the old ones' place
        source = by_loc[o.loc]
        cells = {
            "unit": o.unit,
            "item": o.item,
            "rule": o.rule,
            "value": o.value,
            "amount": o.amount,
            "reason": o.reason,
        }
        added.append(Row(cells, source.columns, source.loc))
    return replace(raw, entries=(*kept, *added))


def _entry_key(row: Row, nodes: Mapping[str, object], rubric: Rubric) -> tuple[str, str, str]:
    item = norm(row.get("item"))
    rule = norm(row.get("rule"))
    node = nodes.get(item)
    if not rule and node is not None:
        rules = node_rules(node, rubric)  # type: ignore[arg-type]
        if len(rules) == 1:
            rule = rules[0][0]
    return (row.get("unit"), item, rule)
