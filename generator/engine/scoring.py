"""The scoring engine: checked results in, every unit's exact scores out, with the reason for each point.

Pure: no I/O, no YAML, CSV, Jinja or MkDocs. Decimal arithmetic throughout; the one rounding rule
(:func:`generator.engine.exact.quantize`, with the rubric's ``rounding``) is applied only where weighting and
scaling parts make more places than the data had, and once more to the total.

The order of a total, as units read it on their page::

    indicator score (each item: points − deductions, never below its floor nor above its points)
    → parts: each scaled to the unit type's full marks and weighted (rounded), summed
    → + bonus (same subject once at its highest level, item caps, overall cap)
    → − penalties
    → total (never below 0, rounded as the rubric says)
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from generator.engine.exact import ZERO, fmt, fmt_percent, quantize
from generator.engine.grading import standings
from generator.engine.models import (
    AllOrNothingRule,
    Assessment,
    BonusClaim,
    BonusItem,
    EarnedRule,
    Finding,
    FixedRule,
    OverdueRule,
    PerElementRule,
    PerOccurrenceRule,
    PerPersonRule,
    RangeRule,
    RateRule,
    Rubric,
    Rule,
    ShortfallRule,
    UnitInput,
    UnitType,
)
from generator.engine.outcome import (
    AssessmentOutcome,
    BonusItemOutcome,
    BonusOutcome,
    ClaimOutcome,
    NodeOutcome,
    PartOutcome,
    PenaltyOutcome,
    RuleOutcome,
    UnitOutcome,
    UnitScore,
    VetoOutcome,
)
from generator.engine.problems import Problems
from generator.engine.tree import TypedNode, parent_index, tree_points, typed_tree

# --------------------------------------------------------------------------------------------
# Rules: facts → points lost
# --------------------------------------------------------------------------------------------


def shortfall_target(rule: ShortfallRule, rubric: Rubric, unit_type: str, members: Decimal | None = None) -> Decimal | None:
    """The target count for ``unit_type`` (and a unit's ``members``), or None when the rule sets none for it."""
    if rule.per_member is not None:
        return None if members is None else rule.per_member * members
    if rule.activity:
        activity = next((a for a in rubric.activities if a.id == rule.activity), None)
        return None if activity is None else activity.targets.get(unit_type)
    if isinstance(rule.target, Mapping):
        return rule.target.get(unit_type)
    return rule.target


def has_target(rule: ShortfallRule, rubric: Rubric, unit_type: str) -> bool:
    """The rule scores units of ``unit_type`` (a target per member holds for every type)."""
    return rule.per_member is not None or shortfall_target(rule, rubric, unit_type) is not None


def _total(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


def _count(findings: tuple[Finding, ...]) -> Decimal:
    return _total(f.count for f in findings)


def _shortfall(rule: ShortfallRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    target = shortfall_target(rule, ctx.rubric, ctx.unit_type, ctx.members)
    if target is None:
        return ZERO, None, f"{ctx.type_name}不考核此项"
    done = _count(findings)
    missing = max(ZERO, target - done)
    head = f"目标 {fmt(target)} {rule.unit}，完成 {fmt(done)} {rule.unit}"
    if rule.per_member is not None and ctx.members is not None:
        head = f"目标 {fmt(rule.per_member)} {rule.unit} × {fmt(ctx.members)} 人 = {fmt(target)} {rule.unit}，完成 {fmt(done)} {rule.unit}"
    if missing == 0:
        return ZERO, None, head + "，达到目标"
    if rule.per is not None:
        lost = missing * rule.per
        return lost, None, f"{head}，少 {fmt(missing)} {rule.unit} × {fmt(rule.per)} 分 = {fmt(lost)} 分"
    deduct = rule.deduct or ZERO
    return deduct, None, f"{head}，未达到目标，扣 {fmt(deduct)} 分"


def _per_element(rule: PerElementRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    names = tuple(dict.fromkeys(e for f in findings for e in f.elements))
    count = Decimal(len(names)) + _total(f.count for f in findings if not f.elements)
    lost = count * rule.per
    what = f"缺{'、'.join(names)}，" if names else "缺 "
    return lost, None, f"{what}{fmt(count)} {rule.unit} × {fmt(rule.per)} 分 = {fmt(lost)} 分"


def _fixed(rule: FixedRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    if any(f.yes for f in findings):
        return rule.deduct, None, f"扣 {fmt(rule.deduct)} 分"
    return ZERO, None, "未发现问题"


def range_words(low: Decimal, top: Decimal) -> str:
    """How a discretionary range reads: 可扣 1～3 分 / 最多可扣 6 分."""
    return f"可扣 {fmt(low)}～{fmt(top)} 分" if low else f"最多可扣 {fmt(top)} 分"


def _range(rule: RangeRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    lost = _total(f.amount for f in findings)
    top = rule.top(ctx.points)
    return lost, None, f"酌情扣 {fmt(lost)} 分（{range_words(rule.min, top)}）"


def _overdue(rule: OverdueRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    periods = _count(findings)
    if rule.whole_item_at is not None and periods >= rule.whole_item_at:
        return ctx.points, None, f"超期 {fmt(periods)} {rule.unit}，达到 {fmt(rule.whole_item_at)} {rule.unit}，扣完本项 {fmt(ctx.points)} 分"
    lost = periods * rule.per
    return lost, None, f"超期 {fmt(periods)} {rule.unit} × {fmt(rule.per)} 分 = {fmt(lost)} 分"


def _per_count(rule: PerOccurrenceRule | PerPersonRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    count = _count(findings)
    lost = count * rule.per
    return lost, None, f"{fmt(count)} {rule.unit} × {fmt(rule.per)} 分 = {fmt(lost)} 分"


def _earned(rule: EarnedRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    done = [f for f in findings if f.yes]
    if not done:
        return rule.points, ZERO, f"未做到，不得分（本规则 {fmt(rule.points)} 分）"
    amounts = [f.amount for f in done if f.amount is not None]
    earned = min(rule.points, _total(amounts)) if amounts else rule.points
    return rule.points - earned, earned, f"得 {fmt(earned)} 分（本规则 {fmt(rule.points)} 分）"


def _all_or_nothing(rule: AllOrNothingRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    if any(f.yes for f in findings):
        return ctx.points, None, f"本项不得分（{fmt(ctx.points)} 分）"
    return ZERO, None, "未发现问题"


def _rate(rule: RateRule, findings: tuple[Finding, ...], ctx: _Context) -> tuple[Decimal, Decimal | None, str]:
    below = [f for f in findings if f.rate is not None and f.rate < rule.threshold]
    standard = f"{rule.measure}不低于 {fmt_percent(rule.threshold)}"
    if not below:
        shown = "、".join(fmt_percent(f.rate) for f in findings if f.rate is not None)
        return ZERO, None, f"{rule.measure} {shown}，达到标准（{standard}）"
    rates = "、".join(fmt_percent(f.rate) for f in below if f.rate is not None)
    if rule.per is not None:
        lost = rule.per * len(below)
        return lost, None, f"{rule.measure} {rates} 低于 {fmt_percent(rule.threshold)}，{len(below)} 次 × {fmt(rule.per)} 分 = {fmt(lost)} 分"
    if rule.deduct is not None:
        return rule.deduct, None, f"{rule.measure} {rates} 低于 {fmt_percent(rule.threshold)}，扣 {fmt(rule.deduct)} 分"
    lost = _total(f.amount for f in below)
    return lost, None, f"{rule.measure} {rates} 低于 {fmt_percent(rule.threshold)}，酌情扣 {fmt(lost)} 分"


_RULES: Mapping[type[Rule], Callable[..., tuple[Decimal, Decimal | None, str]]] = {
    ShortfallRule: _shortfall,
    PerElementRule: _per_element,
    FixedRule: _fixed,
    RangeRule: _range,
    OverdueRule: _overdue,
    PerOccurrenceRule: _per_count,
    PerPersonRule: _per_count,
    EarnedRule: _earned,
    AllOrNothingRule: _all_or_nothing,
    RateRule: _rate,
}


class _Context:
    """What a rule needs to know about where it is applied."""

    __slots__ = ("rubric", "unit_type", "type_name", "points", "members")

    def __init__(self, rubric: Rubric, unit_type: UnitType, points: Decimal, members: Decimal | None = None) -> None:
        self.rubric = rubric
        self.unit_type = unit_type.id
        self.type_name = unit_type.name
        self.points = points
        self.members = members


def apply_rule(rule_id: str, rule: Rule, findings: tuple[Finding, ...], ctx: _Context) -> RuleOutcome:
    lost, earned, explanation = _RULES[type(rule)](rule, findings, ctx)
    if rule.cap is not None and lost > rule.cap:
        lost = rule.cap
        explanation += f"；本规则最多扣 {fmt(rule.cap)} 分"
    return RuleOutcome(rule_id, rule, lost, earned, explanation, findings)


# --------------------------------------------------------------------------------------------
# The indicator tree
# --------------------------------------------------------------------------------------------


def _score_node(
    node: TypedNode,
    findings: Mapping[tuple[str, str], tuple[Finding, ...]],
    self_scores: Mapping[str, Decimal],
    touched: set[str],
    blank: dict[str, NodeOutcome],
    ctx_base: tuple[Rubric, UnitType, Decimal | None],
) -> NodeOutcome:
    """A node's outcome. A subtree without findings or self scores (not ``touched``) has the same outcome
    for every unit of the type: it is made once and shared (``blank``)."""
    node_id = node.id
    if node_id in blank and node_id not in touched:
        return blank[node_id]
    children = tuple(_score_node(c, findings, self_scores, touched, blank, ctx_base) for c in node.children)
    if not node.applicable:
        outcome = NodeOutcome(node.node, False, None, ZERO, None, (), children, illustrative=node.illustrative)
    else:
        rubric, unit_type, members = ctx_base
        rules = []
        ctx: _Context | None = None
        for rid, rule in node.rules:
            found = findings.get((node_id, rid), ())
            if found or isinstance(rule, EarnedRule):
                ctx = ctx or _Context(rubric, unit_type, node.points, members)
                rules.append(apply_rule(rid, rule, found, ctx))
        lost_raw = sum((r.lost for r in rules), ZERO) + sum((c.lost for c in children if c.applicable), ZERO)
        score = min(node.points, max(node.floor, node.points - lost_raw))
        notes: tuple[str, ...] = ()
        if node.points - lost_raw < node.floor:
            notes = (f"扣分合计 {fmt(lost_raw)} 分，超过本项分值，扣完为止，得 {fmt(score)} 分",)
        outcome = NodeOutcome(
            node.node,
            True,
            node.points,
            node.points - score,
            score,
            tuple(rules),
            children,
            self_scores.get(node_id),
            node.illustrative,
            notes,
        )
    if node_id not in touched:
        blank[node_id] = outcome
    return outcome


def _touched(unit: UnitInput, parents: Mapping[str, str | None]) -> set[str]:
    """Ids of nodes whose outcome depends on this unit's data: nodes with findings or self scores, and their ancestors."""
    touched: set[str] = set()
    for node_id in [f.node for f in unit.findings] + list(unit.self_scores):
        current: str | None = node_id
        while current is not None and current not in touched:
            touched.add(current)
            current = parents.get(current)
    return touched


# --------------------------------------------------------------------------------------------
# Bonus, penalties, vetoes, parts
# --------------------------------------------------------------------------------------------


def _claim_value(item: BonusItem, claim: BonusClaim, *, once: bool = False) -> tuple[Decimal, str]:
    """A claim's points and level name; ``once``: a subject counted once, however many times it was claimed."""
    if not item.levels:
        return (claim.amount or ZERO), ""
    level = next(lv for lv in item.levels if claim.level in (lv.id, lv.name))
    count = claim.count if level.per_occurrence and not once else Decimal(1)
    return level.points * count, level.name


def _subject(claim: BonusClaim) -> str:
    """A claim's subject as compared for "the same subject": 文明单位（2017） is 文明单位(2017)."""
    return unicodedata.normalize("NFKC", claim.subject).strip()


def score_bonus(rubric: Rubric, claims: tuple[BonusClaim, ...]) -> BonusOutcome:
    scheme = rubric.bonus
    if scheme is None:
        return BonusOutcome((), ZERO, ZERO)
    items: list[BonusItemOutcome] = []
    for item in scheme.items:
        mine = [c for c in claims if c.bonus == item.id]
        if not mine:
            continue
        once = item.same_subject_once
        valued = [(c, *_claim_value(item, c)) for c in mine]
        # Same subject counts once, at its highest level: keep the best confirmed claim per subject, and
        # count it once even where its level counts per occurrence (同一经验的推广交流不重复加分).
        best: dict[str, BonusClaim] = {}
        if once:
            for claim, _value, _ in valued:
                if not claim.confirmed:
                    continue
                current = best.get(_subject(claim))
                if current is None or _claim_value(item, claim, once=True)[0] > _claim_value(item, current, once=True)[0]:
                    best[_subject(claim)] = claim
        outcomes: list[ClaimOutcome] = []
        for claim, value, level_name in valued:
            if not claim.confirmed:
                outcomes.append(ClaimOutcome(claim, level_name, value, ZERO, "未经认定，不计分"))
            elif once and best[_subject(claim)] is not claim:
                outcomes.append(ClaimOutcome(claim, level_name, value, ZERO, "同一事项已按最高级别计分，不重复加分"))
            elif once and claim.count > 1 and item.levels:
                counted = _claim_value(item, claim, once=True)[0]
                note = f"同一事项不重复加分：{fmt(claim.count)} 次按 1 次计" if counted != value else ""
                outcomes.append(ClaimOutcome(claim, level_name, value, counted, note))
            else:
                outcomes.append(ClaimOutcome(claim, level_name, value, value))
        subtotal = sum((o.counted for o in outcomes), ZERO)
        total, note = subtotal, ""
        if item.cap is not None and subtotal > item.cap:
            total, note = item.cap, f"合计 {fmt(subtotal)} 分，本项最多加 {fmt(item.cap)} 分"
        items.append(BonusItemOutcome(item, tuple(outcomes), subtotal, total, note))
    subtotal = sum((i.total for i in items), ZERO)
    total, note = subtotal, ""
    if scheme.cap is not None and subtotal > scheme.cap:
        total, note = scheme.cap, f"合计 {fmt(subtotal)} 分，加分累计不超过 {fmt(scheme.cap)} 分"
    return BonusOutcome(tuple(items), subtotal, total, note)


def _parts(rubric: Rubric, unit: UnitInput, unit_type: UnitType, indicator_score: Decimal, indicator_points: Decimal) -> tuple[PartOutcome, ...]:
    rounding = rubric.rounding
    out = []
    for part in rubric.parts:
        if part.source == "rubric":
            raw, full = indicator_score, indicator_points
        else:
            assert part.full is not None  # the rubric check requires it for entered parts
            raw, full = unit.parts.get(part.id, ZERO), part.full
        scaled = quantize(raw / full * unit_type.full_marks, rounding.decimals, rounding.mode) if full else ZERO
        weighted = quantize(scaled * part.weight, rounding.decimals, rounding.mode)
        out.append(PartOutcome(part, raw, full, scaled, weighted))
    return tuple(out)


# --------------------------------------------------------------------------------------------
# A unit, an assessment
# --------------------------------------------------------------------------------------------


class Scorer:
    """Scores units of one rubric; keeps per-type trees and the outcomes of untouched subtrees."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.types = {t.id: t for t in rubric.unit_types}
        self.trees = {t.id: typed_tree(rubric, t.id) for t in rubric.unit_types}
        self.blank: dict[str, dict[str, NodeOutcome]] = {t.id: {} for t in rubric.unit_types}
        self.parents = parent_index(rubric)

    def score(self, unit: UnitInput) -> UnitScore:
        rubric = self.rubric
        unit_type = self.types[unit.unit.type]
        tree = self.trees[unit_type.id]
        grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in unit.findings:
            grouped[(f.node, f.rule)].append(f)
        findings = {k: tuple(v) for k, v in grouped.items()}
        touched = _touched(unit, self.parents)
        blank = self.blank[unit_type.id]
        base_ctx = (rubric, unit_type, unit.unit.members)
        categories = tuple(_score_node(n, findings, unit.self_scores, touched, blank, base_ctx) for n in tree)
        indicator_points = tree_points(tree)
        indicator_score = sum((c.score for c in categories if c.score is not None), ZERO)
        parts = _parts(rubric, unit, unit_type, indicator_score, indicator_points)
        base = sum((p.weighted for p in parts), ZERO) if parts else indicator_score
        bonus = score_bonus(rubric, unit.bonus)
        penalties = tuple(
            PenaltyOutcome(next(p for p in rubric.penalties if p.id == r.penalty), r) for r in unit.penalties
        )
        penalty_total = sum((r.amount for r in unit.penalties), ZERO)
        vetoes = self._vetoes(unit)
        total = max(ZERO, base + bonus.total - penalty_total)
        total = quantize(total, rubric.rounding.decimals, rubric.rounding.mode)
        return UnitScore(
            unit=unit.unit,
            unit_type=unit_type,
            assessed=unit.assessed,
            categories=categories,
            indicator_points=indicator_points,
            indicator_score=indicator_score,
            parts=parts,
            base=base,
            bonus=bonus,
            penalties=penalties,
            penalty_total=penalty_total,
            vetoes=vetoes,
            total=total,
            full_marks=unit_type.full_marks,
        )

    def _vetoes(self, unit: UnitInput) -> tuple[VetoOutcome, ...]:
        scheme = self.rubric.vetoes
        if scheme is None:
            return ()
        out = []
        for record in unit.vetoes:
            event = next(e for e in scheme.events if record.veto in (e.id, e.name))
            effect = event.effect or scheme.effect
            out.append(VetoOutcome(event, record, effect))
        return tuple(out)


def score_assessment(assessment: Assessment) -> AssessmentOutcome:
    """Score every unit, then rank and grade them as the rubric says."""
    scorer = Scorer(assessment.rubric)
    scores = [scorer.score(u) for u in assessment.units]
    problems = Problems()
    placed = standings(assessment.rubric, scores, {u.unit.id: u for u in assessment.units}, problems)
    units = tuple(UnitOutcome(s, placed[s.unit.id]) for s in scores)
    return AssessmentOutcome(assessment.rubric, units, problems, assessment.sample)


__all__ = ["Scorer", "apply_rule", "score_assessment", "score_bonus", "shortfall_target"]
