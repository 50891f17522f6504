"""Checking the unit-level results tables against the rubric: bonus claims, penalties, vetoes, entered
parts, self-scores and the office's awards. Each row becomes a typed record, or a located problem."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from generator.data.claims import pending_claim, read_process
from generator.data.problems import Loc
from generator.data.results_context import ResultsContext, find
from generator.engine.exact import ZERO, fmt
from generator.engine.grading import label
from generator.engine.models import BonusItem
from generator.engine.results import Award, BonusClaim, PenaltyRecord, Row, VetoRecord
from generator.engine.rules.cells import norm, yes_no


def bonus(ctx: ResultsContext, rows: tuple[Row, ...], touched: set[str]) -> dict[str, list[BonusClaim]]:
    out: dict[str, list[BonusClaim]] = defaultdict(list)
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        claim = _claim(ctx, row)
        if claim is not None:
            out[unit.id].append(claim)
    return out


def _claim(ctx: ResultsContext, row: Row) -> BonusClaim | None:
    """One bonus claim: its item, count, level or amount, confirmation and subject."""
    scheme = ctx.rubric.bonus
    if scheme is None:
        ctx.problems.error(row.loc, f"细则 {ctx.rubric.id} 没有加分项目", "删除这一行。")
        return None
    item: BonusItem | None = find(scheme.items, norm(row.get("bonus")), "id", "title")
    if item is None:
        known = "；".join(f"{i.id}（{i.title}）" for i in scheme.items)
        ctx.problems.error(row.at("bonus"), f"加分项目「{row.get('bonus')}」不在细则中", f"可用的加分项目：{known}。")
        return None
    count = ctx.number(row, "count", "次数")
    if count is None:
        if row.get("count"):
            return None  # not a number: already reported
        count = Decimal(1)
    amount = ctx.number(row, "amount", "加分")
    if count != count.to_integral_value() or count <= 0:
        ctx.problems.error(row.at("count"), f"次数应为正整数，这里是 {row.get('count')}", "填写 1、2、3 这样的整数。")
        return None
    valued = _level(ctx, row, item, count, amount) if item.levels else _discretionary(ctx, row, item, amount)
    if valued is None:
        return None
    level_id, amount = valued
    process = read_process(ctx.problems, row, item.grounds, bonus=True, what=f"加分项目 {item.id}（{item.title}）")
    if process is None:
        return None
    subject = row.get("subject")
    if not subject:
        ctx.problems.error(row.at("subject"), "加分事项为空", "写明表彰名称或经验事迹。")
        return None
    evidence = row.get("evidence")
    return BonusClaim(item.id, subject, level_id, count, amount, evidence, process.counts, row.loc, process)


def _level(
    ctx: ResultsContext, row: Row, item: BonusItem, count: Decimal, amount: Decimal | None
) -> tuple[str, Decimal | None] | None:
    """A claim by level: the level (its id), the amount left to the program; None after an error."""
    level = find(item.levels, norm(row.get("level")), "id", "name")
    if level is None:
        known = "、".join(lv.name for lv in item.levels)
        ctx.problems.error(
            row.at("level"), f"加分项目 {item.id} 没有级别「{row.get('level')}」", f"可用的级别：{known}。"
        )
        return None
    if count > 1 and not level.per_occurrence:
        ctx.problems.error(
            row.at("count"), f"{level.name}按项计分，每项一行，次数不能为 {fmt(count)}", "每个表彰或事项写一行。"
        )
        return None
    if amount is not None and amount != level.points * count:
        ctx.problems.error(
            row.at("amount"),
            f"{level.name}应加 {fmt(level.points * count)} 分，这里写的是 {fmt(amount)} 分",
            "删去加分列，由程序按级别计算。",
        )
        return None
    return level.id, None


def _discretionary(
    ctx: ResultsContext, row: Row, item: BonusItem, amount: Decimal | None
) -> tuple[str, Decimal | None] | None:
    """A discretionary claim: its amount, within the item's range; None after an error."""
    low, high = fmt(item.min or ZERO), fmt(item.max or ZERO)
    if amount is None and not pending_claim(row):
        ctx.problems.error(row.at("amount"), f"加分项目 {item.id} 为酌情加分，须填写加分", f"填写 {low}～{high} 分。")
        return None
    # A claim not yet decided (or refused) has no points yet: they are decided with it.
    if amount is not None and not (item.min or ZERO) <= amount <= (item.max or ZERO):
        ctx.problems.error(
            row.at("amount"),
            f"加分项目 {item.id} 只能加 {low}～{high} 分，这里是 {fmt(amount)} 分",
            "改为范围内的分数。",
        )
        return None
    return "", amount


def penalties(ctx: ResultsContext, rows: tuple[Row, ...], touched: set[str]) -> dict[str, list[PenaltyRecord]]:
    out: dict[str, list[PenaltyRecord]] = defaultdict(list)
    totals: dict[tuple[str, str], tuple[Decimal, Loc]] = {}
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        key = norm(row.get("penalty"))
        penalty = find(ctx.rubric.penalties, key, "id", "name")
        if penalty is None:
            known = "；".join(f"{p.id}（{p.name}）" for p in ctx.rubric.penalties) or "（细则没有扣分因素）"
            ctx.problems.error(
                row.at("penalty"), f"扣分因素「{row.get('penalty')}」不在细则中", "可用的扣分因素：" + known + "。"
            )
            continue
        amount = ctx.number(row, "amount", "扣分")
        if amount is None:
            if not row.get("amount"):
                ctx.problems.error(row.at("amount"), "扣分为空", f"填写 {fmt(penalty.min)}～{fmt(penalty.max)} 分。")
            continue
        if not penalty.min <= amount <= penalty.max:
            ctx.problems.error(
                row.at("amount"),
                f"{penalty.name}只能扣 {fmt(penalty.min)}～{fmt(penalty.max)} 分，这里是 {fmt(amount)} 分",
                "改为范围内的分数。",
            )
            continue
        removes = False
        if row.get("removes_eligibility"):
            parsed = yes_no(row.get("removes_eligibility"))
            if parsed is None:
                ctx.problems.error(
                    row.at("removes_eligibility"), f"「{row.get('removes_eligibility')}」无法识别", "写「是」或「否」。"
                )
                continue
            if parsed and not penalty.can_remove_eligibility:
                ctx.problems.error(
                    row.at("removes_eligibility"), f"{penalty.name}不能取消评先资格", "删去“取消评先资格”列中的「是」。"
                )
                continue
            removes = parsed
        reason = row.get("reason")
        if not reason:
            ctx.problems.error(row.at("reason"), "扣分事由为空", "写明事由，被考核单位会看到它。")
        process = read_process(ctx.problems, row, penalty.grounds, bonus=False, what=penalty.name)
        if process is None:
            continue
        if process.counts:
            prev = totals.get((unit.id, penalty.id), (ZERO, row.loc))[0]
            totals[(unit.id, penalty.id)] = (prev + amount, row.loc)
        out[unit.id].append(PenaltyRecord(penalty.id, amount, reason, removes, row.loc, process))
    for (uid, pid), (total, loc) in totals.items():
        penalty = next(p for p in ctx.rubric.penalties if p.id == pid)
        if total > penalty.max:
            ctx.problems.error(
                loc,
                f"单位 {uid} 的{penalty.name}合计扣 {fmt(total)} 分，超过 {fmt(penalty.max)} 分",
                "同一扣分因素综合评估后扣分，合计不超过上限。",
            )
    return out


def vetoes(ctx: ResultsContext, rows: tuple[Row, ...], touched: set[str]) -> dict[str, list[VetoRecord]]:
    out: dict[str, list[VetoRecord]] = defaultdict(list)
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        scheme = ctx.rubric.vetoes
        if scheme is None:
            ctx.problems.error(row.loc, f"细则 {ctx.rubric.id} 没有否决项目", "删除这一行。")
            continue
        key = norm(row.get("veto"))
        event = find(scheme.events, key, "id", "name")
        if event is None:
            ctx.problems.error(
                row.at("veto"),
                f"否决事项「{row.get('veto')}」不在细则中",
                "可用的否决事项：" + "；".join(f"{e.id}（{e.name}）" for e in scheme.events) + "。",
            )
            continue
        if not row.get("reason"):
            ctx.problems.error(row.at("reason"), "否决事项的情况说明为空", "写明发生了什么，被考核单位会看到它。")
        out[unit.id].append(VetoRecord(event.id, row.get("reason"), row.get("date"), row.loc))
    return out


def parts(ctx: ResultsContext, rows: tuple[Row, ...], touched: set[str]) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    entered = ctx.rubric.entered_parts
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        key = norm(row.get("part"))
        part = find(entered, key, "id", "name")
        if part is None:
            known = "、".join(f"{p.id}（{p.name}）" for p in entered) or "（细则没有需要录入的组成部分）"
            ctx.problems.error(
                row.at("part"), f"组成部分「{row.get('part')}」不需要录入", "可录入的部分：" + known + "。"
            )
            continue
        score = ctx.number(row, "score", "得分")
        if score is None:
            ctx.refused_parts.add((unit.id, part.id))
            if not row.get("score"):
                ctx.problems.error(row.at("score"), "得分为空", "填写该部分的得分。")
            continue
        full = part.full or ZERO
        if score > full:
            ctx.refused_parts.add((unit.id, part.id))
            ctx.problems.error(row.at("score"), f"{part.name}满分 {fmt(full)} 分，这里是 {fmt(score)} 分", "核对得分。")
            continue
        if part.id in out[unit.id]:
            ctx.problems.error(row.loc, f"单位 {unit.id} 的{part.name}得分录入了不止一次", "只保留一行。")
            continue
        out[unit.id][part.id] = score
    return out


def self_scores(ctx: ResultsContext, rows: tuple[Row, ...]) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        node = ctx.node(row)
        if node is None:
            continue
        typed = ctx.of(node, unit)
        if not typed.applicable:
            ctx.problems.error(row.at("item"), f"指标 {node.id} 不适用于单位 {unit.id}", "删除这一行。")
            continue
        score = ctx.number(row, "score", "自查分")
        if score is None:
            if not row.get("score"):
                ctx.problems.error(row.at("score"), "自查分为空", "填写自查分，或删除这一行。")
            continue
        points = typed.points
        if score > points:
            ctx.problems.error(
                row.at("score"), f"指标 {node.id} 满分 {fmt(points)} 分，自查分 {fmt(score)} 超过了", "核对自查分。"
            )
            continue
        if node.id in out[unit.id]:
            ctx.problems.error(row.loc, f"单位 {unit.id} 指标 {node.id} 的自查分录入了不止一次", "只保留一行。")
            continue
        out[unit.id][node.id] = score
    return out


def awards(ctx: ResultsContext, rows: tuple[Row, ...]) -> dict[str, Award]:
    out: dict[str, Award] = {}
    grading = ctx.rubric.grading
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        if grading is None or grading.advanced != "decision":
            ctx.problems.error(
                row.loc,
                f"细则 {ctx.rubric.id} 的先进不由考核办公室评定，不需要评定结果",
                "删除 awards.csv，等次由程序按细则计算。",
            )
            continue
        advanced = {
            norm(n)
            for n in ("advanced", label(grading, "advanced"), "先进", "先进单位", "先进党组织", "先进基层党组织")
        }
        if norm(row.get("grade")) not in advanced:
            ctx.problems.error(
                row.at("grade"),
                f"评定结果只记录先进，这里是「{row.get('grade')}」",
                f"写「{label(grading, 'advanced')}」；其他等次由程序按细则计算。",
            )
            continue
        if unit.status == "not_assessed":
            ctx.problems.error(
                row.at("unit"),
                f"单位 {unit.id} 本年度不参加考核，不能评定为{label(grading, 'advanced')}",
                "删除这一行，或核对单位名册中的考核状态。",
            )
            continue
        if unit.id in out:
            ctx.problems.error(row.loc, f"单位 {unit.id} 的评定结果录入了不止一次", "只保留一行。")
            continue
        out[unit.id] = Award("advanced", row.get("reason"), row.loc)
    return out
