"""Check results against their rubric and resolve them into the engine's inputs.

Each row is read the way its rule needs (a count, a rate, the names of missing elements, an amount),
against what the rule allows. Every problem is reported with the file, line and column of the cell.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TypeVar

from generator.data.cells import NO, YES
from generator.data.claims import pending_claim, read_process
from generator.data.formulas import formula_like
from generator.data.problems import Loc, Problems
from generator.data.tables import TABLES
from generator.engine.exact import ZERO, NumberError, Parsed, fmt, fmt_percent, parse_number
from generator.engine.grading import UNGROUPED, label
from generator.engine.models import (
    ELEMENT_SEPARATORS,
    RULE_KIND_NAMES,
    AllOrNothingRule,
    Assessment,
    Award,
    BonusClaim,
    BonusItem,
    EarnedRule,
    Finding,
    FixedRule,
    Node,
    OverdueRule,
    PenaltyRecord,
    PerElementRule,
    PerOccurrenceRule,
    PerPersonRule,
    RangeRule,
    RateRule,
    RawResults,
    Row,
    Rubric,
    Rule,
    ShortfallRule,
    Unit,
    UnitInput,
    UnitStatus,
    VetoRecord,
)
from generator.engine.scoring import has_target, range_words
from generator.engine.tree import TypedNode, node_index, node_rules, typed_tree, walk_typed

#: The longest code (of an assessment, an indicator, a unit …): codes become folder and file names.
MAX_ID_LENGTH = 64
UNIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def too_long(what: str, code: str) -> tuple[str, str] | None:
    """(message, hint) for a code longer than :data:`MAX_ID_LENGTH`, else None."""
    if len(code) <= MAX_ID_LENGTH:
        return None
    return (
        f"{what}太长：{len(code)} 个字符，最多 {MAX_ID_LENGTH} 个（代码会出现在网页地址和文件名中）",
        "用简短的代码；全称写在名称或标题里。",
    )
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
ASSESSED = {"已考核", "考核", "参加考核", "assessed", "是"}
NOT_ASSESSED = {"不参加考核", "未考核", "不考核", "免考核", "not_assessed", "否"}
T = TypeVar("T")
#: Counting units that may have fractions (党员集中学习培训 31.5 小时); 次, 篇, 项 … are whole.
CONTINUOUS_UNITS = {"小时", "学时", "课时", "天", "分钟"}
_ELEMENT_SPLIT = re.compile(ELEMENT_SEPARATORS.pattern + "+")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _find(items: Iterable[T], text: str, *attrs: str) -> T | None:
    """The item whose id or name equals ``text``, both read the same way (full-width （） as ( ) …)."""
    wanted = _norm(text)
    for item in items:
        if any(_norm(str(getattr(item, a))) == wanted for a in attrs):
            return item
    return None


def _yes_no(text: str) -> bool | None:
    t = _norm(text).lower()
    if t in YES:
        return True
    if t in NO:
        return False
    return None


@dataclass
class _Ctx:
    rubric: Rubric
    problems: Problems
    units: dict[str, Unit]
    folded: dict[str, str]
    nodes: Mapping[str, Node]
    #: Unit type → node id → the node as it applies to that type (applicable, points, rules): built once.
    typed: Mapping[str, Mapping[str, TypedNode]]
    #: (unit, part) whose parts.csv row was refused with an error: not reported again as missing.
    refused_parts: set[tuple[str, str]] = field(default_factory=set)

    def of(self, node: Node, unit: Unit) -> TypedNode:
        """``node`` as it applies to ``unit``'s type (not applicable when it or an ancestor is not)."""
        return self.typed[unit.type][node.id]

    def number(self, row: Row, column: str, what: str, *, allow_percent: bool = False) -> Decimal | None:
        text = row.get(column)
        if not text:
            return None
        try:
            parsed: Parsed = parse_number(text, allow_percent=allow_percent)
        except NumberError as exc:
            self.problems.error(row.at(column), f"{what}{exc}", "填写阿拉伯数字，例如 1 或 0.5。")
            return None
        if parsed.fixups:
            self.problems.warning(row.at(column), f"{what}「{text}」已读作 {parsed.value}（{'，'.join(parsed.fixups)}）", f"直接写 {parsed.value}。")
        if parsed.value < 0:
            self.problems.error(row.at(column), f"{what}为负数（{text}）", "扣分和次数都写正数，不带负号。")
            return None
        return parsed.value

    def unit(self, row: Row) -> Unit | None:
        raw = row.get("unit")
        if raw in self.units:
            return self.units[raw]
        if not self.units:
            return None  # the registry itself failed; that is reported once, not on every row
        loc = row.at("unit")
        if not raw:
            self.problems.error(loc, "单位代码为空", "填写单位名册中的单位代码。")
            return None
        key = _norm(raw).casefold()
        if key in self.folded:
            real = self.folded[key]
            self.problems.error(loc, f"单位代码「{raw}」与名册中的「{real}」大小写或空格不同", f"改为 {real}。")
            return None
        by_name = [u.id for u in self.units.values() if u.name == _norm(raw)]
        close = difflib.get_close_matches(raw, list(self.units), n=1)
        hint = f"这是单位名称，请填代码 {by_name[0]}。" if by_name else (f"是不是 {close[0]}？" if close else "先在单位名册 units.csv 中登记该单位。")
        self.problems.error(loc, f"单位代码「{raw}」不在单位名册中", hint)
        return None


def check_results(rubric: Rubric, raw: RawResults, problems: Problems) -> Assessment | None:
    units = read_registry(rubric, raw, problems)
    typed = {t.id: _first_by_id(walk_typed(typed_tree(rubric, t.id))) for t in rubric.unit_types}
    ctx = _Ctx(rubric, problems, units, {u.casefold(): u for u in units}, node_index(rubric), typed)
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
    bonus = _bonus(ctx, raw.bonus, touched)
    penalties = _penalties(ctx, raw.penalties, touched)
    vetoes = _vetoes(ctx, raw.vetoes, touched)
    parts = _parts(ctx, raw.parts, touched)
    # A unit's own self-scores and the office's awards are not assessment records: they do not touch it.
    self_scores = _self_scores(ctx, raw.self_scores)
    awards = _awards(ctx, raw.awards)
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
        if unit.status == "unknown" and unit.id not in touched:
            problems.error(
                unit.loc,
                f"单位 {unit.id}（{unit.name}）没有任何考核记录，也没有写明考核状态",
                "如果该单位考核无扣分，在“考核状态”列写「已考核」；如果不参加考核，写「不参加考核」。",
            )
        if unit.status == "not_assessed" and unit.id in touched:
            problems.warning(unit.loc, f"单位 {unit.id} 写明不参加考核，但有考核记录；这些记录不计分", "核对考核状态，或删除该单位的记录。")
        if unit.status != "not_assessed":
            for part in rubric.parts:
                refused = (unit.id, part.id) in ctx.refused_parts
                if part.source == "entered" and part.id not in parts.get(unit.id, {}) and not refused:
                    problems.error(unit.loc, f"单位 {unit.id} 缺少{part.name}得分", f"在 parts.csv 中为该单位加一行：{unit.id},{part.name},分数。")
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
        problems.error(Loc(raw.folder), "没有单位名册（units.csv）或名册为空", "在这个目录下建立 units.csv，列出被考核单位。")
        return None
    return Assessment(rubric, tuple(inputs), sample=raw.sample)


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


def _status(text: str) -> UnitStatus | None:
    t = _norm(text).lower()
    if not t:
        return "unknown"
    if t in ASSESSED:
        return "assessed"
    if t in NOT_ASSESSED:
        return "not_assessed"
    return None


def read_registry(rubric: Rubric, raw: RawResults, problems: Problems) -> dict[str, Unit]:
    """The unit registry (units.csv) checked against the rubric: its units by code."""
    types = {_norm(t.id): t.id for t in rubric.unit_types} | {_norm(t.name): t.id for t in rubric.unit_types}
    units: dict[str, Unit] = {}
    folded: dict[str, Unit] = {}
    grouped = rubric.ranking.within == "group" and any(row.get("group") for row in raw.units)
    per_member = {t.id: _per_member_rules(rubric, t.id) for t in rubric.unit_types}
    for row in raw.units:
        uid = row.get("id")
        loc = row.at("id")
        long = too_long("单位代码", uid)
        if long is not None:
            problems.error(loc, *long)
            continue
        if not UNIT_ID.match(uid):
            problems.error(loc, f"单位代码「{uid}」含有不允许的字符（它会成为网页地址）", "只用字母、数字、下划线和连字符，以字母或数字开头，例如 jw-01。")
            continue
        if uid.casefold() in WINDOWS_RESERVED:
            problems.error(loc, f"单位代码「{uid}」是 Windows 的保留名称，不能用作文件名", "换一个代码，例如加上前缀 u-。")
            continue
        if uid.casefold() in folded:
            first = folded[uid.casefold()]
            problems.error(loc, f"单位代码 {uid} 重复（第一次在第 {first.loc.line} 行：{first.id}），代码不区分大小写", "每个单位的代码必须不同。")
            continue
        type_text = _norm(row.get("type"))
        type_id = types.get(type_text)
        if type_id is None:
            problems.error(row.at("type"), f"单位类型「{row.get('type')}」不在细则中", "可用的单位类型：" + "、".join(f"{t.name}（{t.id}）" for t in rubric.unit_types) + "。")
            continue
        status = _status(row.get("status"))
        if status is None:
            problems.error(row.at("status"), f"考核状态「{row.get('status')}」无法识别", "写「已考核」或「不参加考核」，或留空。")
            continue
        name = row.get("name")
        if not name:
            problems.error(row.at("name"), f"单位 {uid} 的名称为空", "填写单位全称。")
            continue
        if grouped and not row.get("group"):
            problems.warning(
                row.at("group"),
                f"细则按联络组排名，单位 {uid} 没有填联络组：它与其他没有联络组的单位一起排名，页面上写作“{UNGROUPED}”",
                "在单位名册的“联络组”列填写该单位所在的组。",
            )
        members = _members(row, per_member[type_id] if status != "not_assessed" else [], problems)
        unit = Unit(
            uid, name, type_id, row.get("group"), row.get("parent"), status, row.get("status_note"), row.loc,
            abbr=row.get("abbr"), members=members,
        )
        units[uid] = unit
        folded[uid.casefold()] = unit
    return units


def _per_member_rules(rubric: Rubric, type_id: str) -> list[str]:
    """Where the rubric sets a target per member for ``type_id``: 指标 1 规则 visits …"""
    return [
        f"指标 {n.id} 规则 {rid}"
        for n in walk_typed(typed_tree(rubric, type_id))
        if n.applicable
        for rid, r in n.rules
        if isinstance(r, ShortfallRule) and r.per_member is not None
    ]


def _members(row: Row, needed: list[str], problems: Problems) -> Decimal | None:
    """The unit's 成员人数: required where a rule sets its target per member (``needed`` names those rules)."""
    text = row.get("members")
    if not text:
        if needed:
            problems.error(
                row.at("members") if "members" in row.columns else row.loc,
                f"单位 {row.get('id')} 没有填成员人数，{needed[0]} 的目标按人数计算",
                "在单位名册加“成员人数”列，填该单位的人数（整数），例如 7。",
            )
        return None
    try:
        parsed = parse_number(text)
    except NumberError as exc:
        problems.error(row.at("members"), f"成员人数{exc}", "填写整数，例如 7。")
        return None
    value = parsed.value
    if parsed.fixups:
        problems.warning(row.at("members"), f"成员人数「{text}」已读作 {value}（{'，'.join(parsed.fixups)}）", f"直接写 {value}。")
    if value <= 0 or value != value.to_integral_value():
        problems.error(row.at("members"), f"成员人数应为正整数，这里是「{text}」", "填写整数，例如 7。")
        return None
    return value


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------


def _node(ctx: _Ctx, row: Row, unit: Unit) -> Node | None:
    raw = row.get("item")
    key = _norm(raw)
    node = ctx.nodes.get(key)
    if node is None:
        close = difflib.get_close_matches(key, list(ctx.nodes), n=1)
        hint = f"是不是 {close[0]}？" if close else "填写细则中的指标编号。"
        ctx.problems.error(row.at("item"), f"指标编号「{raw}」不在细则 {ctx.rubric.id} 中", hint)
        return None
    return node


def _first_by_id(nodes: Iterable[TypedNode]) -> dict[str, TypedNode]:
    """Typed nodes by id, the first when ids repeat (as :func:`generator.engine.tree.node_index`)."""
    index: dict[str, TypedNode] = {}
    for n in nodes:
        index.setdefault(n.id, n)
    return index


def _rule(ctx: _Ctx, row: Row, node: Node, rules: tuple[tuple[str, Rule], ...]) -> tuple[str, Rule] | None:
    wanted = _norm(row.get("rule"))
    if not rules:
        hint = "填写它的下级指标编号：" + "、".join(c.id for c in node.children[:8]) + "。" if node.children else "核对指标编号。"
        ctx.problems.error(row.at("item"), f"指标 {node.id} 没有评分规则，不能直接扣分", hint)
        return None
    if not wanted:
        if len(rules) == 1:
            return rules[0]
        ctx.problems.error(
            row.at("rule"),
            f"指标 {node.id} 有 {len(rules)} 条评分规则，须填写规则编号",
            "可用的规则：" + "；".join(f"{rid}（{r.text or RULE_KIND_NAMES[r.kind]}）" for rid, r in rules) + "。",
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
            f"指标 {node.id} 规则 {wanted} 只适用于" + "、".join(names.get(t, t) for t in other.applies_to) + "，不适用于这个单位",
            "删除这一行，或核对单位名册中的单位类型。",
        )
        return None
    ctx.problems.error(
        row.at("rule"),
        f"指标 {node.id} 没有规则「{wanted}」",
        "可用的规则：" + "；".join(f"{rid}（{r.text or RULE_KIND_NAMES[r.kind]}）" for rid, r in rules) + "。",
    )
    return None


def _finding(ctx: _Ctx, row: Row, unit: Unit) -> Finding | None:
    node = _node(ctx, row, unit)
    if node is None:
        return None
    typed = ctx.of(node, unit)
    if not typed.applicable:
        type_name = next(t.name for t in ctx.rubric.unit_types if t.id == unit.type)
        ctx.problems.error(row.at("item"), f"指标 {node.id} 不适用于{type_name}（单位 {unit.id}），不能扣分", "删除这一行，或核对单位类型。")
        return None
    found = _rule(ctx, row, node, typed.rules)
    if found is None:
        return None
    rid, rule = found
    reason = row.get("reason")
    if not reason:
        ctx.problems.error(row.at("reason"), "扣分原因为空", "写明扣分的原因，被考核单位会看到它。")
    points = typed.points
    where = f"指标 {node.id} 规则 {rid}"
    base = Finding(node.id, rid, reason=reason, loc=row.loc)
    value = row.get("value")
    amount = ctx.number(row, "amount", "扣分")
    if row.get("amount") and amount is None:
        return None

    def count(default: Decimal | None = None, whole: bool = True) -> Decimal | None:
        n = ctx.number(row, "value", "情况（次数）")
        if n is None and not value:
            n = default
        if n is not None and whole and n != n.to_integral_value():
            ctx.problems.error(row.at("value"), f"{where} 的次数应为整数，这里是 {value}", "填写整数次数。")
            return None
        return n

    def amount_matches(n: Decimal, per: Decimal) -> bool:
        if amount is not None and amount != n * per:
            ctx.problems.error(row.at("amount"), f"{where}：{fmt(n)} × {fmt(per)} 分应扣 {fmt(n * per)} 分，但扣分写的是 {fmt(amount)} 分", "核对次数和扣分；扣分列可以不填，由程序计算。")
            return False
        return True

    if isinstance(rule, (PerOccurrenceRule, PerPersonRule, OverdueRule)):
        # A blank count is one occurrence, unless the amount says how many (amount ÷ per).
        n = count(default=Decimal(1) if not isinstance(rule, OverdueRule) and amount is None else None)
        if n is None and value:
            return None  # the cell is not a count; already reported
        if n is None and amount is not None:
            n = amount / rule.per
            if n != n.to_integral_value():
                ctx.problems.error(row.at("amount"), f"{where} 每{rule.unit}扣 {fmt(rule.per)} 分，扣分 {fmt(amount)} 不是它的整数倍", "在“情况”列写次数，扣分列可不填。")
                return None
        if n is None:
            ctx.problems.error(row.at("value"), f"{where} 须填写超期的{rule.unit}数", f"在“情况”列写数字，例如 2（{rule.unit}）。")
            return None
        if isinstance(rule, OverdueRule):
            whole = rule.whole_item_at is not None and n >= rule.whole_item_at
            expected = points if whole else n * rule.per
            if amount is not None and row.get("value") and amount != expected:
                ctx.problems.error(
                    row.at("amount"),
                    f"{where}：超期 {fmt(n)} {rule.unit}应扣 {fmt(expected)} 分，但扣分写的是 {fmt(amount)} 分",
                    "核对超期时长和扣分；扣分列可以不填，由程序计算。",
                )
                return None
            return replace(base, count=n)
        return replace(base, count=n) if amount_matches(n, rule.per) else None
    if isinstance(rule, ShortfallRule):
        if not has_target(rule, ctx.rubric, unit.type):
            type_name = next(t.name for t in ctx.rubric.unit_types if t.id == unit.type)
            ctx.problems.warning(row.at("item"), f"{where} 对{type_name}没有规定目标次数，这一行不计分", "核对单位类型，或删除这一行。")
            return None
        n = count(whole=rule.unit not in CONTINUOUS_UNITS)
        if n is None and value:
            return None  # the cell is not a count; already reported
        if n is None:
            ctx.problems.error(row.at("value"), f"{where} 须填写实际完成的{rule.unit}数", "在“情况”列写完成次数，程序按目标计算少了几次。")
            return None
        if amount is not None:
            ctx.problems.error(row.at("amount"), f"{where} 按完成次数计算扣分，不填扣分", "删去扣分，只填完成次数。")
            return None
        return replace(base, count=n)
    if isinstance(rule, PerElementRule):
        if not value:
            if amount is not None:
                n = amount / rule.per
                if n == n.to_integral_value():
                    return replace(base, count=n)
            ctx.problems.error(row.at("value"), f"{where} 须填写缺少的项（或缺项数）", ("可填：" + "、".join(rule.elements) + "。") if rule.elements else "填写缺项数。")
            return None
        try:
            n = parse_number(value).value
        except NumberError:
            n = None
        if n is not None:
            if n != n.to_integral_value() or n <= 0:
                ctx.problems.error(row.at("value"), f"{where} 的缺项数应为正整数，这里是 {value}", "填写缺少的项名，或缺项数（1、2、3……）。")
                return None
            if rule.elements and n > len(rule.elements):
                ctx.problems.error(row.at("value"), f"{where} 只列了 {len(rule.elements)} 项，缺项数 {fmt(n)} 超过了", "核对缺项数。")
                return None
            return replace(base, count=n) if amount_matches(n, rule.per) else None
        written = tuple(_norm(x) for x in _ELEMENT_SPLIT.split(value) if _norm(x))
        if rule.elements:
            # Matched whatever the width of their punctuation; the rubric's own name is kept.
            known = {_norm(e): e for e in rule.elements}
            unknown = [x for x in written if x not in known]
            if unknown:
                ctx.problems.error(row.at("value"), f"{where} 没有「{'、'.join(unknown)}」这一项", "可填：" + "、".join(rule.elements) + "。")
                return None
            written = tuple(known[x] for x in written)
        return replace(base, elements=written) if amount_matches(Decimal(len(written)), rule.per) else None
    if isinstance(rule, (FixedRule, AllOrNothingRule)):
        yes = True if not value else _yes_no(value)
        if yes is None:
            ctx.problems.error(row.at("value"), f"{where} 的情况「{value}」无法识别", "留空或写「是」表示存在该问题；「否」表示没有问题。")
            return None
        expected = rule.deduct if isinstance(rule, FixedRule) else points
        if amount is not None and yes and amount != expected:
            ctx.problems.error(row.at("amount"), f"{where} 固定扣 {fmt(expected)} 分，扣分写的是 {fmt(amount)} 分", "删去扣分列，或改为细则规定的分值。")
            return None
        return replace(base, yes=yes)
    if isinstance(rule, RangeRule):
        if amount is None:
            ctx.problems.error(row.at("amount"), f"{where} 为酌情扣分，须填写扣分", f"在“扣分”列写分数（{_range_text(rule, points)}）。")
            return None
        top = rule.top(points)
        if amount > top:
            ctx.problems.error(row.at("amount"), f"{where} 酌情扣分 {fmt(amount)} 分，超出允许的范围（{_range_text(rule, points)}）", "改为范围内的分数。")
            return None
        if value:
            ctx.problems.warning(row.at("value"), f"{where} 为酌情扣分，“情况”列「{value}」不参与计分", "可把情况写进扣分原因。")
        return replace(base, amount=amount)
    if isinstance(rule, EarnedRule):
        yes = True if not value else _yes_no(value)
        if yes is None:
            ctx.problems.error(row.at("value"), f"{where} 的情况「{value}」无法识别", "写「是」表示已做到、可得分；「否」表示未做到。")
            return None
        if amount is not None:
            if not rule.partial and amount != rule.points:
                ctx.problems.error(row.at("amount"), f"{where} 做到即得 {fmt(rule.points)} 分，不能给 {fmt(amount)} 分", "删去得分列，或在细则中写 partial: true。")
                return None
            if amount > rule.points:
                ctx.problems.error(row.at("amount"), f"{where} 最多得 {fmt(rule.points)} 分，这里给了 {fmt(amount)} 分", "核对得分。")
                return None
        return replace(base, yes=yes, amount=amount)
    if isinstance(rule, RateRule):
        rate = ctx.number(row, "value", "比率", allow_percent=True)
        if rate is None:
            if not value:
                ctx.problems.error(row.at("value"), f"{where} 须填写{rule.measure}", "例如 75%。")
            return None
        if "%" not in unicodedata.normalize("NFKC", value) and rate > 1:
            if rate > 100:
                ctx.problems.error(row.at("value"), f"{rule.measure}「{value}」超过 100%", "写作 75% 或 0.75。")
                return None
            ctx.problems.warning(row.at("value"), f"{rule.measure}「{value}」没有百分号，已读作 {fmt(rate)}%", f"写作 {fmt(rate)}%。")
            rate = rate / 100
        if rate > 1:
            ctx.problems.error(row.at("value"), f"{rule.measure} {fmt_percent(rate)} 超过 100%", "核对比率。")
            return None
        below = rate < rule.threshold
        if rule.max is not None:
            if below and amount is None:
                ctx.problems.error(row.at("amount"), f"{rule.measure} {fmt_percent(rate)} 低于 {fmt_percent(rule.threshold)}，须填写酌情扣分", f"在“扣分”列写 {fmt(rule.min or ZERO)}～{fmt(rule.max)} 分。")
                return None
            if below and amount is not None and not (rule.min or ZERO) <= amount <= rule.max:
                ctx.problems.error(row.at("amount"), f"{where} 只能扣 {fmt(rule.min or ZERO)}～{fmt(rule.max)} 分，这里是 {fmt(amount)} 分", "改为范围内的分数。")
                return None
        if not below and amount:
            ctx.problems.error(row.at("amount"), f"{rule.measure} {fmt_percent(rate)} 不低于 {fmt_percent(rule.threshold)}，不应扣分", "删去扣分，或核对比率。")
            return None
        return replace(base, rate=rate, amount=amount if below else None)
    raise AssertionError(rule)  # pragma: no cover


def _range_text(rule: RangeRule, points: Decimal) -> str:
    return range_words(rule.min, rule.top(points))


def _check_entry_totals(ctx: _Ctx, findings: Mapping[str, list[Finding]]) -> None:
    """Checks over all rows of one rule for one unit: ranges, one-off deductions recorded twice."""
    units = ctx.units
    for uid, rows in findings.items():
        by_rule: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in rows:
            by_rule[(f.node, f.rule)].append(f)
        for (node_id, rid), group in by_rule.items():
            typed = ctx.typed[units[uid].type][node_id]
            rule = dict(typed.rules)[rid]
            points = typed.points
            where = f"单位 {uid} 指标 {node_id} 规则 {rid}"
            if isinstance(rule, RangeRule):
                total = sum((f.amount or ZERO for f in group), ZERO)
                top = rule.top(points)
                if not rule.min <= total <= top:
                    ctx.problems.error(
                        group[-1].loc,
                        f"{where} 酌情扣分合计 {fmt(total)} 分，超出允许的范围（{_range_text(rule, points)}）",
                        "核对扣分；同一规则有多行时按合计计算。",
                    )
            if isinstance(rule, RateRule) and rule.max is not None:
                total = sum((f.amount or ZERO for f in group), ZERO)
                if total > rule.max:
                    ctx.problems.error(
                        group[-1].loc,
                        f"{where} {rule.measure}低于标准的酌情扣分合计 {fmt(total)} 分，超过 {fmt(rule.max)} 分",
                        "同一规则有多行时按合计计算；核对各行扣分。",
                    )
            once = isinstance(rule, (FixedRule, AllOrNothingRule)) or (isinstance(rule, EarnedRule) and not rule.partial)
            if once and sum(1 for f in group if f.yes) > 1:
                ctx.problems.error(group[-1].loc, f"{where} 只能记录一次，这里有 {len(group)} 行", "合并为一行，原因写在一起。")
            if isinstance(rule, EarnedRule) and rule.partial:
                total = sum((f.amount or ZERO for f in group), ZERO)
                if total > rule.points:
                    ctx.problems.error(group[-1].loc, f"{where} 得分合计 {fmt(total)} 分，超过 {fmt(rule.points)} 分", "核对得分。")
            if isinstance(rule, OverdueRule) and len(group) > 1:
                ctx.problems.error(group[-1].loc, f"{where} 超期时长只能记录一次，这里有 {len(group)} 行", "合并为一行，写总的超期时长。")
            if isinstance(rule, PerElementRule) and rule.elements:
                names = [e for f in group for e in f.elements]
                repeated = sorted({e for e in names if names.count(e) > 1})
                if repeated:
                    ctx.problems.error(group[-1].loc, f"{where} 缺项「{'、'.join(repeated)}」记录了不止一次", "每个缺项只记一次。")
                counted = len(set(names)) + sum(int(f.count or 0) for f in group if not f.elements)
                if counted > len(rule.elements):
                    ctx.problems.error(group[-1].loc, f"{where} 缺项合计 {counted} 项，但本规则只列了 {len(rule.elements)} 项", "核对缺项。")


def _duplicates(raw: RawResults, problems: Problems) -> None:
    """Identical rows in a table are a copy-paste slip, never two findings."""
    for name in (t.name for t in TABLES if t.name != "units"):
        seen: dict[tuple[tuple[str, str], ...], Loc] = {}
        for row in getattr(raw, name):
            key = tuple(sorted((k, _norm(v)) for k, v in row.cells.items() if k != "note"))
            if key in seen:
                first = seen[key]
                problems.error(row.loc, f"这一行与 {first.file} 第 {first.line} 行完全相同", "删除重复的行；若确是两次问题，在原因中写明各自的情况。")
            else:
                seen[key] = row.loc


def _formula_text(raw: RawResults, problems: Problems) -> None:
    """Text Excel or WPS would run as a formula when the office opens the CSV file (the site shows it as
    text, and the downloads are neutralised: :mod:`generator.data.formulas`). Codes and numbers are checked
    as such; this looks at the other columns."""
    for table in TABLES:
        free = {c.name: c.title for c in table.columns if not c.code and c.name not in ("amount", "score", "count")}
        for row in getattr(raw, table.name):
            for name, title in free.items():
                text = row.get(name)
                if text and formula_like(text):
                    shown = text if len(text) <= 20 else text[:20] + "……"
                    problems.warning(
                        row.at(name),
                        f"「{title}」以「{text[0]}」开头（{shown}）：用 Excel 或 WPS 打开这个 CSV 文件时会被当作公式",
                        "改写这一格，不要以 = + - @ 开头：去掉开头的符号，或在前面加上文字。",
                    )


# --------------------------------------------------------------------------------------------
# Bonus, penalties, vetoes, parts, self scores, awards
# --------------------------------------------------------------------------------------------


def _bonus(ctx: _Ctx, rows: tuple[Row, ...], touched: set[str]) -> dict[str, list[BonusClaim]]:
    out: dict[str, list[BonusClaim]] = defaultdict(list)
    scheme = ctx.rubric.bonus
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        if scheme is None:
            ctx.problems.error(row.loc, f"细则 {ctx.rubric.id} 没有加分项目", "删除这一行。")
            continue
        key = _norm(row.get("bonus"))
        item: BonusItem | None = _find(scheme.items, key, "id", "title")
        if item is None:
            ctx.problems.error(row.at("bonus"), f"加分项目「{row.get('bonus')}」不在细则中", "可用的加分项目：" + "；".join(f"{i.id}（{i.title}）" for i in scheme.items) + "。")
            continue
        level_text = _norm(row.get("level"))
        count = ctx.number(row, "count", "次数")
        if count is None:
            if row.get("count"):
                continue  # not a number: already reported
            count = Decimal(1)
        amount = ctx.number(row, "amount", "加分")
        if count != count.to_integral_value() or count <= 0:
            ctx.problems.error(row.at("count"), f"次数应为正整数，这里是 {row.get('count')}", "填写 1、2、3 这样的整数。")
            continue
        level_id = ""
        if item.levels:
            level = _find(item.levels, level_text, "id", "name")
            if level is None:
                ctx.problems.error(row.at("level"), f"加分项目 {item.id} 没有级别「{row.get('level')}」", "可用的级别：" + "、".join(lv.name for lv in item.levels) + "。")
                continue
            level_id = level.id
            if count > 1 and not level.per_occurrence:
                ctx.problems.error(row.at("count"), f"{level.name}按项计分，每项一行，次数不能为 {fmt(count)}", "每个表彰或事项写一行。")
                continue
            if amount is not None and amount != level.points * count:
                ctx.problems.error(row.at("amount"), f"{level.name}应加 {fmt(level.points * count)} 分，这里写的是 {fmt(amount)} 分", "删去加分列，由程序按级别计算。")
                continue
            amount = None
        else:
            if amount is None and not pending_claim(row):
                ctx.problems.error(row.at("amount"), f"加分项目 {item.id} 为酌情加分，须填写加分", f"填写 {fmt(item.min or ZERO)}～{fmt(item.max or ZERO)} 分。")
                continue
            # A claim not yet decided (or refused) has no points yet: they are decided with it.
            if amount is not None and not (item.min or ZERO) <= amount <= (item.max or ZERO):
                ctx.problems.error(row.at("amount"), f"加分项目 {item.id} 只能加 {fmt(item.min or ZERO)}～{fmt(item.max or ZERO)} 分，这里是 {fmt(amount)} 分", "改为范围内的分数。")
                continue
        process = read_process(ctx.problems, row, item.grounds, bonus=True, what=f"加分项目 {item.id}（{item.title}）")
        if process is None:
            continue
        subject = row.get("subject")
        if not subject:
            ctx.problems.error(row.at("subject"), "加分事项为空", "写明表彰名称或经验事迹。")
            continue
        evidence = row.get("evidence")
        out[unit.id].append(BonusClaim(item.id, subject, level_id, count, amount, evidence, process.counts, row.loc, process))
    return out


def _penalties(ctx: _Ctx, rows: tuple[Row, ...], touched: set[str]) -> dict[str, list[PenaltyRecord]]:
    out: dict[str, list[PenaltyRecord]] = defaultdict(list)
    totals: dict[tuple[str, str], tuple[Decimal, Loc]] = {}
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        key = _norm(row.get("penalty"))
        penalty = _find(ctx.rubric.penalties, key, "id", "name")
        if penalty is None:
            known = "；".join(f"{p.id}（{p.name}）" for p in ctx.rubric.penalties) or "（细则没有扣分因素）"
            ctx.problems.error(row.at("penalty"), f"扣分因素「{row.get('penalty')}」不在细则中", "可用的扣分因素：" + known + "。")
            continue
        amount = ctx.number(row, "amount", "扣分")
        if amount is None:
            if not row.get("amount"):
                ctx.problems.error(row.at("amount"), "扣分为空", f"填写 {fmt(penalty.min)}～{fmt(penalty.max)} 分。")
            continue
        if not penalty.min <= amount <= penalty.max:
            ctx.problems.error(row.at("amount"), f"{penalty.name}只能扣 {fmt(penalty.min)}～{fmt(penalty.max)} 分，这里是 {fmt(amount)} 分", "改为范围内的分数。")
            continue
        removes = False
        if row.get("removes_eligibility"):
            parsed = _yes_no(row.get("removes_eligibility"))
            if parsed is None:
                ctx.problems.error(row.at("removes_eligibility"), f"「{row.get('removes_eligibility')}」无法识别", "写「是」或「否」。")
                continue
            if parsed and not penalty.can_remove_eligibility:
                ctx.problems.error(row.at("removes_eligibility"), f"{penalty.name}不能取消评先资格", "删去“取消评先资格”列中的「是」。")
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
            ctx.problems.error(loc, f"单位 {uid} 的{penalty.name}合计扣 {fmt(total)} 分，超过 {fmt(penalty.max)} 分", "同一扣分因素综合评估后扣分，合计不超过上限。")
    return out


def _vetoes(ctx: _Ctx, rows: tuple[Row, ...], touched: set[str]) -> dict[str, list[VetoRecord]]:
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
        key = _norm(row.get("veto"))
        event = _find(scheme.events, key, "id", "name")
        if event is None:
            ctx.problems.error(row.at("veto"), f"否决事项「{row.get('veto')}」不在细则中", "可用的否决事项：" + "；".join(f"{e.id}（{e.name}）" for e in scheme.events) + "。")
            continue
        if not row.get("reason"):
            ctx.problems.error(row.at("reason"), "否决事项的情况说明为空", "写明发生了什么，被考核单位会看到它。")
        out[unit.id].append(VetoRecord(event.id, row.get("reason"), row.get("date"), row.loc))
    return out


def _parts(ctx: _Ctx, rows: tuple[Row, ...], touched: set[str]) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    entered = ctx.rubric.entered_parts
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        touched.add(unit.id)
        key = _norm(row.get("part"))
        part = _find(entered, key, "id", "name")
        if part is None:
            known = "、".join(f"{p.id}（{p.name}）" for p in entered) or "（细则没有需要录入的组成部分）"
            ctx.problems.error(row.at("part"), f"组成部分「{row.get('part')}」不需要录入", "可录入的部分：" + known + "。")
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


def _self_scores(ctx: _Ctx, rows: tuple[Row, ...]) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        node = _node(ctx, row, unit)
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
            ctx.problems.error(row.at("score"), f"指标 {node.id} 满分 {fmt(points)} 分，自查分 {fmt(score)} 超过了", "核对自查分。")
            continue
        if node.id in out[unit.id]:
            ctx.problems.error(row.loc, f"单位 {unit.id} 指标 {node.id} 的自查分录入了不止一次", "只保留一行。")
            continue
        out[unit.id][node.id] = score
    return out


def _awards(ctx: _Ctx, rows: tuple[Row, ...]) -> dict[str, Award]:
    out: dict[str, Award] = {}
    grading = ctx.rubric.grading
    for row in rows:
        unit = ctx.unit(row)
        if unit is None:
            continue
        if grading is None or grading.advanced != "decision":
            ctx.problems.error(row.loc, f"细则 {ctx.rubric.id} 的先进不由考核办公室评定，不需要评定结果", "删除 awards.csv，等次由程序按细则计算。")
            continue
        advanced = {_norm(n) for n in ("advanced", label(grading, "advanced"), "先进", "先进单位", "先进党组织", "先进基层党组织")}
        if _norm(row.get("grade")) not in advanced:
            ctx.problems.error(row.at("grade"), f"评定结果只记录先进，这里是「{row.get('grade')}」", f"写「{label(grading, 'advanced')}」；其他等次由程序按细则计算。")
            continue
        if unit.status == "not_assessed":
            ctx.problems.error(row.at("unit"), f"单位 {unit.id} 本年度不参加考核，不能评定为{label(grading, 'advanced')}", "删除这一行，或核对单位名册中的考核状态。")
            continue
        if unit.id in out:
            ctx.problems.error(row.loc, f"单位 {unit.id} 的评定结果录入了不止一次", "只保留一行。")
            continue
        out[unit.id] = Award("advanced", row.get("reason"), row.loc)
    return out
