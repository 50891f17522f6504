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
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from generator.engine.exact import ZERO, SharedDecimals, quantize
from generator.engine.gcpause import collector_paused
from generator.engine.grading import standings
from generator.engine.models import BonusItem, Rubric, UnitType
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
from generator.engine.reasons import (
    BonusCapReached,
    ClaimNote,
    CountedAtHigherLevel,
    CountedOnce,
    FloorReached,
    ItemCapReached,
    Unconfirmed,
)
from generator.engine.results import Assessment, BonusClaim, Finding, UnitInput
from generator.engine.rules.base import Rule, ScoreContext
from generator.engine.tree import TypedNode, parent_index, tree_points, typed_tree

# --------------------------------------------------------------------------------------------
# Rules: facts → points lost
# --------------------------------------------------------------------------------------------


def apply_rule(rule_id: str, rule: Rule, findings: tuple[Finding, ...], ctx: ScoreContext) -> RuleOutcome:
    """One rule of an item applied to what was found; its kind scores it, the rule's cap limits it."""
    ctx.rule = rule_id
    lost, earned, why = rule.score(findings, ctx)
    if rule.cap is not None and lost > rule.cap:
        lost = rule.cap
        why = replace(why, cap=rule.cap)
    return RuleOutcome(rule_id, rule, lost, earned, why, findings)


# --------------------------------------------------------------------------------------------
# The indicator tree
# --------------------------------------------------------------------------------------------


def _score_node(
    node: TypedNode,
    findings: Mapping[tuple[str, str], tuple[Finding, ...]],
    self_scores: Mapping[str, Decimal],
    touched: set[str],
    blank: dict[str, NodeOutcome],
    ctx_base: tuple[Rubric, UnitType, Decimal | None, SharedDecimals],
) -> NodeOutcome:
    """A node's outcome. A subtree without findings or self scores (not ``touched``) has the same outcome
    for every unit of the type: it is made once and shared (``blank``)."""
    node_id = node.id
    children, children_lost = _score_children(node.children, findings, self_scores, touched, blank, ctx_base)
    if not node.applicable:
        outcome = NodeOutcome(node.node, False, None, ZERO, None, (), children, illustrative=node.illustrative)
    else:
        rubric, unit_type, members, shared = ctx_base
        keep = shared.keep
        rules = []
        lost_raw = children_lost
        ctx: ScoreContext | None = None
        for rid, rule in node.rules:
            found = findings.get((node_id, rid), ())
            if found or rule.EARNS:
                ctx = ctx or ScoreContext(rubric, unit_type.id, unit_type.name, node.points, members, node_id)
                applied = apply_rule(rid, rule, found, ctx)
                lost_raw += applied.lost
                rules.append(applied)
        points = node.points
        score = min(points, max(node.floor, points - lost_raw))
        notes: tuple[FloorReached, ...] = ()
        if points - lost_raw < node.floor:
            notes = (FloorReached(node_id, lost_raw, score),)
        lost = points - score
        outcome = NodeOutcome(
            node.node,
            True,
            points,
            keep(str(lost), lost),
            keep(str(score), score),
            tuple(rules),
            children,
            self_scores.get(node_id),
            node.illustrative,
            notes,
        )
    if node_id not in touched:
        blank[node_id] = outcome
    return outcome


def _score_children(
    nodes: tuple[TypedNode, ...],
    findings: Mapping[tuple[str, str], tuple[Finding, ...]],
    self_scores: Mapping[str, Decimal],
    touched: set[str],
    blank: dict[str, NodeOutcome],
    ctx_base: tuple[Rubric, UnitType, Decimal | None, SharedDecimals],
) -> tuple[tuple[NodeOutcome, ...], Decimal]:
    """The outcomes of ``nodes`` (shared where untouched and already made), and what the applicable ones lost."""
    out = []
    lost = ZERO
    for child in nodes:
        outcome = None if child.id in touched else blank.get(child.id)
        if outcome is None:
            outcome = _score_node(child, findings, self_scores, touched, blank, ctx_base)
        if outcome.applicable:
            lost += outcome.lost
        out.append(outcome)
    return tuple(out), lost


def _touched(unit: UnitInput, parents: Mapping[str, str | None]) -> set[str]:
    """Ids of nodes whose outcome depends on this unit's data: nodes with findings or self scores, and their
    ancestors."""
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


#: A unit's bonus where it claimed none (shared: most units claim none).
NO_BONUS = BonusOutcome((), ZERO, ZERO)


def score_bonus(rubric: Rubric, claims: tuple[BonusClaim, ...]) -> BonusOutcome:
    scheme = rubric.bonus
    if scheme is None or not claims:
        return NO_BONUS
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
                if (
                    current is None
                    or _claim_value(item, claim, once=True)[0] > _claim_value(item, current, once=True)[0]
                ):
                    best[_subject(claim)] = claim
        outcomes: list[ClaimOutcome] = []
        for claim, value, level_name in valued:
            if not claim.confirmed:
                outcomes.append(ClaimOutcome(claim, level_name, value, ZERO, Unconfirmed()))
            elif once and best[_subject(claim)] is not claim:
                outcomes.append(ClaimOutcome(claim, level_name, value, ZERO, CountedAtHigherLevel()))
            elif once and claim.count > 1 and item.levels:
                counted = _claim_value(item, claim, once=True)[0]
                note: ClaimNote | None = CountedOnce(claim.count) if counted != value else None
                outcomes.append(ClaimOutcome(claim, level_name, value, counted, note))
            else:
                outcomes.append(ClaimOutcome(claim, level_name, value, value))
        subtotal = sum((o.counted for o in outcomes), ZERO)
        total, capped = subtotal, None
        if item.cap is not None and subtotal > item.cap:
            total, capped = item.cap, ItemCapReached(item.id, subtotal, item.cap)
        items.append(BonusItemOutcome(item, tuple(outcomes), subtotal, total, capped))
    subtotal = sum((i.total for i in items), ZERO)
    if scheme.cap is not None and subtotal > scheme.cap:
        return BonusOutcome(tuple(items), subtotal, scheme.cap, BonusCapReached(subtotal, scheme.cap))
    return BonusOutcome(tuple(items), subtotal, subtotal)


def _parts(
    rubric: Rubric,
    unit: UnitInput,
    unit_type: UnitType,
    indicator_score: Decimal,
    indicator_points: Decimal,
    shared: SharedDecimals,
) -> tuple[PartOutcome, ...]:
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
        out.append(PartOutcome(part, raw, full, shared(scaled), shared(weighted)))
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
        self.points = {tid: tree_points(tree) for tid, tree in self.trees.items()}
        self.blank: dict[str, dict[str, NodeOutcome]] = {t.id: {} for t in rubric.unit_types}
        self.parents = parent_index(rubric)
        #: The scores of many units share their numbers' objects.
        self.shared = SharedDecimals()

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
        base_ctx = (rubric, unit_type, unit.unit.members, self.shared)
        categories, _lost = _score_children(tree, findings, unit.self_scores, touched, blank, base_ctx)
        shared = self.shared
        indicator_points = self.points[unit_type.id]
        indicator_score = shared(sum((c.score for c in categories if c.score is not None), ZERO))
        parts = _parts(rubric, unit, unit_type, indicator_score, indicator_points, shared)
        base = shared(sum((p.weighted for p in parts), ZERO)) if parts else indicator_score
        bonus = score_bonus(rubric, unit.bonus)
        penalties = tuple(
            PenaltyOutcome(next(p for p in rubric.penalties if p.id == r.penalty), r) for r in unit.penalties
        )
        penalty_total = shared(sum((r.amount for r in unit.penalties), ZERO))
        vetoes = self._vetoes(unit)
        total = max(ZERO, base + bonus.total - penalty_total)
        total = shared(quantize(total, rubric.rounding.decimals, rubric.rounding.mode))
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
    with collector_paused():
        scorer = Scorer(assessment.rubric)
        scores = [scorer.score(u) for u in assessment.units]
        problems = Problems()
        placed = standings(assessment.rubric, scores, {u.unit.id: u for u in assessment.units}, problems)
        units = tuple(UnitOutcome(s, placed[s.unit.id]) for s in scores)
        return AssessmentOutcome(assessment.rubric, units, problems, assessment.sample)


__all__ = ["Scorer", "apply_rule", "score_assessment", "score_bonus"]
