"""Checking the indicator tree of a rubric: codes, points that add up for every unit type, the rules of each
item (each rule's kind checks its own keys: :meth:`generator.engine.rules.base.Rule.validate`), and a stated
floor wherever deductions can exceed an item.
"""

from __future__ import annotations

from decimal import Decimal

from generator.data.codes import NODE_ID, unique
from generator.data.problems import Problems
from generator.engine.exact import ZERO, fmt
from generator.engine.models import Node, Rubric
from generator.engine.rules.base import Rule, RuleCheck, type_refs
from generator.engine.tree import TypedNode, node_rules, tree_points, typed_tree, walk, walk_typed


def check_indicators(rubric: Rubric, problems: Problems) -> None:
    nodes = list(walk(rubric.indicators))
    if not nodes:
        problems.error(rubric.loc, "细则没有指标（indicators）", "至少写一个一级指标。")
        return
    unique(((n.id, n.loc) for n, _ in nodes), "指标编号", problems, NODE_ID)
    for node, _ in nodes:
        if node.points < 0:
            problems.error(node.loc, f"指标 {node.id} 的分值为负数", "分值应为 0 或正数。")
        type_refs(rubric, node.applies_to, node.loc, f"指标 {node.id} 的 applies_to ", problems)
        type_refs(rubric, node.not_applicable_to, node.loc, f"指标 {node.id} 的 not_applicable_to ", problems)
        type_refs(rubric, node.points_by_type, node.loc, f"指标 {node.id} 的 points_by_type ", problems)
        _check_rules(rubric, node, problems)
    trees = {t.id: typed_tree(rubric, t.id) for t in rubric.unit_types}
    _check_sums(rubric, trees, problems)
    _check_floors(rubric, trees, problems)
    # The indicators add up to the part scored by them when it states its full marks, else to the type's.
    scored = next((p for p in rubric.parts if p.source == "rubric"), None)
    for t in rubric.unit_types:
        total = tree_points(trees[t.id])
        if scored is not None and scored.full is not None:
            expected, what, loc = scored.full, f"组成部分「{scored.name}」的满分 full 写的是", scored.loc
        else:
            expected, what, loc = t.full_marks, "满分写的是", t.loc
        if total != expected:
            problems.error(
                loc,
                f"{t.name}适用的一级指标合计 {fmt(total)} 分，但{what} {fmt(expected)} 分",
                "核对一级指标的分值和适用范围；指标按另一个满分计分（例如 1000 分）时，在按指标计分的组成部分写 full。",
            )


def _check_sums(rubric: Rubric, trees: dict[str, tuple[TypedNode, ...]], problems: Problems) -> None:
    """Children's points add up to the parent, for every unit type the parent applies to."""
    mismatches: dict[str, list[tuple[str, Decimal, Decimal, list[Decimal]]]] = {}
    nodes: dict[str, Node] = {}
    for type_id, tree in trees.items():
        for typed in walk_typed(tree):
            kids = typed.applicable_children()
            if not typed.applicable or not kids:
                continue
            total = sum((k.points for k in kids), ZERO)
            if total != typed.points:
                mismatches.setdefault(typed.id, []).append((type_id, typed.points, total, [k.points for k in kids]))
                nodes[typed.id] = typed.node
    names = {t.id: t.name for t in rubric.unit_types}
    for node_id, cases in mismatches.items():
        node = nodes[node_id]
        # One message per distinct sum, naming the unit types it holds for (the sums differ by type).
        by_sum: dict[tuple[Decimal, Decimal, tuple[Decimal, ...]], list[str]] = {}
        for type_id, points, total, child_points in cases:
            by_sum.setdefault((points, total, tuple(child_points)), []).append(type_id)
        for (points, total, summed), type_ids in by_sum.items():
            who = "" if len(type_ids) == len(trees) else "（" + "、".join(names[t] for t in type_ids) + "）"
            message = (
                f"指标 {node_id}「{node.title}」分值为 {fmt(points)} 分，但下级指标合计 {fmt(total)} 分"
                f"（{' + '.join(fmt(p) for p in summed)}）{who}"
            )
            if node.points_mismatch:
                problems.warning(node.loc, message + "；细则已说明：" + node.points_mismatch)
            else:
                problems.error(
                    node.loc,
                    message,
                    "核对原文，使下级指标之和等于本项分值；"
                    "如原文本就如此，在本指标下写 points_mismatch: 说明原文情况。",
                )


def max_deduction(rule: Rule, points: Decimal) -> Decimal | None:
    """The most a rule can take from an item of ``points``; None when it has no bound."""
    bound = rule.most_lost(points)
    if rule.cap is not None:
        bound = rule.cap if bound is None else min(bound, rule.cap)
    return bound


def _check_floors(rubric: Rubric, trees: dict[str, tuple[TypedNode, ...]], problems: Problems) -> None:
    """Deductions that can exceed an item need a stated floor (扣完为止)."""
    floor_stated = rubric.defaults.item_floor is not None
    reported: set[str] = set()
    for tree in trees.values():
        for typed in walk_typed(tree):
            node = typed.node
            # A negative defaults.item_floor is reported once, at defaults; a node's own floor here.
            if typed.applicable and node.id not in reported and node.floor is not None and node.floor < 0:
                reported.add(node.id)
                problems.error(
                    node.loc,
                    f"指标 {node.id} 的最低得分 floor 为负数（{fmt(node.floor)}），本项得分可能为负",
                    "写 0（扣完为止）。",
                )
            elif typed.applicable and node.id not in reported and typed.floor > typed.points:
                reported.add(node.id)
                problems.error(
                    node.loc,
                    f"指标 {node.id} 的最低得分 {fmt(typed.floor)} 分高于本项 {fmt(typed.points)} 分，扣分会被抹去",
                    "最低得分一般为 0（扣完为止）；核对 floor 或 defaults.item_floor。",
                )
            if not typed.applicable or not typed.rules or node.id in reported:
                continue
            if floor_stated or node.floor is not None or node.until_exhausted:
                continue
            bounds = [max_deduction(rule, typed.points) for _, rule in typed.rules]
            unbounded = any(b is None for b in bounds)
            most = sum((b for b in bounds if b is not None), ZERO)
            if unbounded or most > typed.points:
                reported.add(node.id)
                how = "没有上限" if unbounded else f"最多可扣 {fmt(most)} 分"
                problems.error(
                    node.loc,
                    f"指标 {node.id} 的扣分{how}，超过本项 {fmt(typed.points)} 分，但细则没有写明最低得分",
                    "在 defaults 下写 item_floor: 0（每项扣完为止），或在本指标写 floor: 0。",
                )


def _check_rules(rubric: Rubric, node: Node, problems: Problems) -> None:
    rules = node_rules(node, rubric)
    if not rules and not node.children:
        problems.error(
            node.loc,
            f"末级指标 {node.id}「{node.title}」没有评分规则，考核结果无法对它扣分",
            "在本指标写 rules，或在 defaults 写 leaf_rule: {kind: range}（在本项分值内酌情扣分）。",
        )
    unique(((rid, r.loc) for rid, r in rules), f"指标 {node.id} 的规则编号", problems)
    bigger = max([node.points, *node.points_by_type.values()])
    for rid, rule in rules:
        where = f"指标 {node.id} 规则 {rid}"
        check = RuleCheck(rubric, problems, rule.loc if rule.loc.file else node.loc, where, node.points, bigger)
        check.type_refs(rule.applies_to, "的 applies_to ")
        for name in ("per", "deduct", "cap", "points", "min", "max"):
            value = getattr(rule, name, None)
            if isinstance(value, Decimal) and value < 0:
                check.error(f"的 {name} 为负数", "写正数；扣分规则的分值不带负号。")
        if rule.cap is not None and rule.cap > bigger:
            check.error(f"最多扣 {fmt(rule.cap)} 分，超过本项 {fmt(bigger)} 分", "cap 不能超过本项分值。")
        rule.validate(check)
    earned = sum((rule.most_earned() for _, rule in rules), ZERO)
    if earned > bigger:
        problems.error(
            node.loc, f"指标 {node.id} 的得分规则合计 {fmt(earned)} 分，超过本项 {fmt(bigger)} 分", "核对原文的分值。"
        )
