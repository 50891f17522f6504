"""Check results against their rubric and resolve them into the engine's inputs.

Each row is read the way its rule needs (a count, a rate, the names of missing elements, an amount),
against what the rule allows: the row's unit, item and rule are found here, the rest is the rule kind's
(:meth:`generator.engine.rules.base.Rule.read`). Every problem is reported with the file, line and
column of the cell. The unit registry is read by :mod:`generator.data.check_units`, the unit-level
tables by :mod:`generator.data.check_records`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from generator.data import check_records as records
from generator.data.check_units import read_registry
from generator.data.formulas import FORMULA_START, formula_like
from generator.data.problems import Loc, Problems
from generator.data.results_context import ResultsContext
from generator.data.tables import TABLES
from generator.engine.models import Node, Rubric
from generator.engine.results import Assessment, Finding, RawResults, Row, Unit, UnitInput
from generator.engine.rules.base import RowsCheck, Rule
from generator.engine.rules.cells import RowReading, norm
from generator.engine.tree import TypedNode, node_index, node_rules, typed_tree, walk_typed


def check_results(rubric: Rubric, raw: RawResults, problems: Problems) -> Assessment | None:
    units = read_registry(rubric, raw, problems)
    typed = {t.id: _first_by_id(walk_typed(typed_tree(rubric, t.id))) for t in rubric.unit_types}
    ctx = ResultsContext(rubric, problems, units, {u.casefold(): u for u in units}, node_index(rubric), typed)
    findings: dict[str, list[Finding]] = defaultdict(list)
    touched: set[str] = set()
    for row in raw.entries:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        finding = _finding(ctx, row, unit)
        if finding is not None:
            findings[unit.id].append(finding)
    _check_entry_totals(ctx, findings)
    bonus = records.bonus(ctx, raw.bonus, touched)
    penalties = records.penalties(ctx, raw.penalties, touched)
    vetoes = records.vetoes(ctx, raw.vetoes, touched)
    parts = records.parts(ctx, raw.parts, touched)
    # A unit's own self-scores and the office's awards are not assessment records: they do not touch it.
    self_scores = records.self_scores(ctx, raw.self_scores)
    awards = records.awards(ctx, raw.awards)
    _duplicates(raw, problems)
    _formula_text(raw, problems)
    if units and not touched and all(u.status == "unknown" for u in units.values()):
        # A year begun (kaoping new) but not yet assessed: its standards are published, its results are not.
        problems.warning(
            Loc(raw.folder),
            f"考核 {rubric.id} 还没有任何考核记录，本次只发布考核标准",
            "录入考核结果（kaoping sheet 生成评分表，填好后 kaoping import）后再生成。",
        )
        return None
    inputs = []
    for unit in units.values():
        _check_status(ctx, unit, unit.id in touched, parts.get(unit.id, {}))
        inputs.append(
            UnitInput(
                unit=unit,
                findings=tuple(findings.get(unit.id, ())),
                bonus=tuple(bonus.get(unit.id, ())),
                penalties=tuple(penalties.get(unit.id, ())),
                vetoes=tuple(vetoes.get(unit.id, ())),
                parts=parts.get(unit.id, {}),
                self_scores=self_scores.get(unit.id, {}),
                award=awards.get(unit.id),
            )
        )
    if not units:
        problems.error(
            Loc(raw.folder), "没有单位名册（units.csv）或名册为空", "在这个目录下建立 units.csv，列出被考核单位。"
        )
        return None
    return Assessment(rubric, tuple(inputs), sample=raw.sample)


def _check_status(ctx: ResultsContext, unit: Unit, touched: bool, parts: Mapping[str, Decimal]) -> None:
    """A unit's status fits its records: a unit without records says it was assessed, one not assessed has
    none, an assessed unit has every entered part."""
    problems = ctx.problems
    if unit.status == "unknown" and not touched:
        problems.error(
            unit.loc,
            f"单位 {unit.id}（{unit.name}）没有任何考核记录，也没有写明考核状态",
            "如果该单位考核无扣分，在“考核状态”列写「已考核」；如果不参加考核，写「不参加考核」。",
        )
    if unit.status == "not_assessed" and touched:
        problems.warning(
            unit.loc,
            f"单位 {unit.id} 写明不参加考核，但有考核记录；这些记录不计分",
            "核对考核状态，或删除该单位的记录。",
        )
    if unit.status == "not_assessed":
        return
    for part in ctx.rubric.parts:
        refused = (unit.id, part.id) in ctx.refused_parts
        if part.source == "entered" and part.id not in parts and not refused:
            problems.error(
                unit.loc,
                f"单位 {unit.id} 缺少{part.name}得分",
                f"在 parts.csv 中为该单位加一行：{unit.id},{part.name},分数。",
            )


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------


def _first_by_id(nodes: Iterable[TypedNode]) -> dict[str, TypedNode]:
    """Typed nodes by id, the first when ids repeat (as :func:`generator.engine.tree.node_index`)."""
    index: dict[str, TypedNode] = {}
    for n in nodes:
        index.setdefault(n.id, n)
    return index


def _rule(ctx: ResultsContext, row: Row, node: Node, rules: tuple[tuple[str, Rule], ...]) -> tuple[str, Rule] | None:
    wanted = norm(row.get("rule"))
    if not rules:
        hint = (
            "填写它的下级指标编号：" + "、".join(c.id for c in node.children[:8]) + "。"
            if node.children
            else "核对指标编号。"
        )
        ctx.problems.error(row.at("item"), f"指标 {node.id} 没有评分规则，不能直接扣分", hint)
        return None
    if not wanted:
        if len(rules) == 1:
            return rules[0]
        ctx.problems.error(
            row.at("rule"), f"指标 {node.id} 有 {len(rules)} 条评分规则，须填写规则编号", _available(rules)
        )
        return None
    for rid, rule in rules:
        if rid == wanted:
            return rid, rule
    other = dict(node_rules(node, ctx.rubric)).get(wanted)
    if other is not None and other.applies_to:
        names = {t.id: t.name for t in ctx.rubric.unit_types}
        ctx.problems.error(
            row.at("rule"),
            f"指标 {node.id} 规则 {wanted} 只适用于"
            + "、".join(names.get(t, t) for t in other.applies_to)
            + "，不适用于这个单位",
            "删除这一行，或核对单位名册中的单位类型。",
        )
        return None
    # NO_PLAN or "no plan" for no_plan: the rule is named as the rubric spells it.
    like = [rid for rid, _ in rules if rid.casefold() == wanted.casefold().replace(" ", "_").replace("-", "_")]
    hint = f"改为 {like[0]}（细则中规则编号的写法）。" if like else _available(rules)
    ctx.problems.error(row.at("rule"), f"指标 {node.id} 没有规则「{wanted}」", hint)
    return None


def _available(rules: Iterable[tuple[str, Rule]]) -> str:
    return "可用的规则：" + "；".join(f"{rid}（{r.text or r.NAME}）" for rid, r in rules) + "。"


def _finding(ctx: ResultsContext, row: Row, unit: Unit) -> Finding | None:
    """One row of entries: its item and rule found, then read the way the rule's kind reads it."""
    node = ctx.node(row)
    if node is None:
        return None
    typed = ctx.of(node, unit)
    if not typed.applicable:
        type_name = next(t.name for t in ctx.rubric.unit_types if t.id == unit.type)
        ctx.problems.error(
            row.at("item"),
            f"指标 {node.id} 不适用于{type_name}（单位 {unit.id}），不能扣分",
            "删除这一行，或核对单位类型。",
        )
        return None
    found = _rule(ctx, row, node, typed.rules)
    if found is None:
        return None
    rid, rule = found
    reason = row.get("reason")
    if not reason:
        ctx.problems.error(row.at("reason"), "扣分原因为空", "写明扣分的原因，被考核单位会看到它。")
    amount = ctx.number(row, "amount", "扣分")
    if row.get("amount") and amount is None:
        return None
    base = Finding(node.id, rid, reason=reason, loc=row.loc)
    where = f"指标 {node.id} 规则 {rid}"
    return rule.read(RowReading(row, ctx.problems, ctx.rubric, unit.type, where, typed.points, base, amount))


def _check_entry_totals(ctx: ResultsContext, findings: Mapping[str, list[Finding]]) -> None:
    """Checks over all rows of one rule for one unit (ranges, one-off deductions recorded twice): the rule's kind's."""
    units = ctx.units
    rules: dict[tuple[str, str, str], Rule] = {}
    for uid, rows in findings.items():
        by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in rows:
            by_rule[(f.node, f.rule)].append(f)
        type_id = units[uid].type
        for (node_id, rid), group in by_rule.items():
            typed = ctx.typed[type_id][node_id]
            rule = rules.get((type_id, node_id, rid))
            if rule is None:
                rule = rules[(type_id, node_id, rid)] = dict(typed.rules)[rid]
            where = f"单位 {uid} 指标 {node_id} 规则 {rid}"
            rule.check_rows(group, RowsCheck(ctx.problems, group[-1].loc, where, typed.points))


def _duplicates(raw: RawResults, problems: Problems) -> None:
    """Identical rows in a table are a copy-paste slip, never two findings."""
    normed: dict[str, str] = {}  # each distinct cell text read once
    for name in (t.name for t in TABLES if t.name != "units"):
        seen: dict[tuple[tuple[str, ...], tuple[str, ...]], Loc] = {}
        orders: dict[tuple[str, ...], tuple[str, ...]] = {}  # a file's columns, sorted once
        for row in getattr(raw, name):
            cells = row.cells
            columns = tuple(cells)
            order = orders.get(columns)
            if order is None:
                order = orders[columns] = tuple(sorted(k for k in columns if k != "note"))
            values = []
            for k in order:
                text = cells[k]
                value = normed.get(text)
                if value is None:
                    value = normed[text] = norm(text)
                values.append(value)
            key = (order, tuple(values))
            if key in seen:
                first = seen[key]
                problems.error(
                    row.loc,
                    f"这一行与 {first.file} 第 {first.line} 行完全相同",
                    "删除重复的行；若确是两次问题，在原因中写明各自的情况。",
                )
            else:
                seen[key] = row.loc


_FORMULA_FIRST = frozenset(FORMULA_START)


def _formula_text(raw: RawResults, problems: Problems) -> None:
    """Text Excel or WPS would run as a formula when the office opens the CSV file (the site shows it as
    text, and the downloads are neutralised: :mod:`generator.data.formulas`). Codes and numbers are checked
    as such; this looks at the other columns."""
    for table in TABLES:
        free = {c.name: c.title for c in table.columns if not c.code and c.name not in ("amount", "score", "count")}
        for row in getattr(raw, table.name):
            cells = row.cells
            for name, title in free.items():
                text = cells.get(name)
                if text and text[0] in _FORMULA_FIRST and formula_like(text):
                    shown = text if len(text) <= 20 else text[:20] + "……"
                    problems.warning(
                        row.at(name),
                        f"「{title}」以「{text[0]}」开头（{shown}）：用 Excel 或 WPS 打开这个 CSV 文件时会被当作公式",
                        "改写这一格，不要以 = + - @ 开头：去掉开头的符号，或在前面加上文字。",
                    )
