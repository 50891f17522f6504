"""What the engine computes: one result tree per unit, with the reason behind every point.

Plain immutable data, shared by the score command, the site and the downloads. Reasons are facts
(:mod:`generator.engine.reasons`); :mod:`generator.engine.wording` says them in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.engine.models import BonusItem, GradeKey, Node, Part, Penalty, Rubric, UnitType, VetoEvent
from generator.engine.problems import Loc, Problems
from generator.engine.quick import quick
from generator.engine.reasons import (
    BonusCapReached,
    ClaimNote,
    FloorReached,
    GradeReason,
    ItemCapReached,
    RuleReason,
)
from generator.engine.results import BonusClaim, Finding, PenaltyRecord, Unit, VetoRecord
from generator.engine.rules.base import Rule

if TYPE_CHECKING:
    from generator.engine.yearoutcome import YearOutcome


@quick
@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """One rule applied to what was found."""

    rule_id: str
    rule: Rule
    #: Points lost to this rule (for an earned rule: the points not earned).
    lost: Decimal
    #: For an earned rule: the points earned; otherwise None.
    earned: Decimal | None
    #: How the points follow from the facts (target 4, done 2, 1 point each …), for a presentation to word.
    why: RuleReason
    findings: tuple[Finding, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The assessors' reasons (扣分原因), as the results give them."""
        return tuple(f.reason for f in self.findings if f.reason)


@quick
@dataclass(frozen=True, slots=True)
class NodeOutcome:
    node: Node
    applicable: bool
    #: This node's maximum for the unit's type (None where it does not apply).
    points: Decimal | None
    #: Points lost in this node and below, after the floor.
    lost: Decimal
    score: Decimal | None
    rules: tuple[RuleOutcome, ...]
    children: tuple[NodeOutcome, ...]
    self_score: Decimal | None = None
    illustrative: bool = False
    #: Facts a reader needs: that deductions reached the floor (扣完为止).
    notes: tuple[FloorReached, ...] = ()

    @property
    def id(self) -> str:
        return self.node.id


@quick
@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    claim: BonusClaim
    level_name: str
    #: The claim's value before de-duplication and caps.
    value: Decimal
    #: What it counts for after "same subject once at its highest level" and confirmation.
    counted: Decimal
    #: Why it counts for less than its value, if it does.
    note: ClaimNote | None = None


@quick
@dataclass(frozen=True, slots=True)
class BonusItemOutcome:
    item: BonusItem
    claims: tuple[ClaimOutcome, ...]
    subtotal: Decimal
    #: After the item's cap.
    total: Decimal
    note: ItemCapReached | None = None


@quick
@dataclass(frozen=True, slots=True)
class BonusOutcome:
    items: tuple[BonusItemOutcome, ...]
    subtotal: Decimal
    #: After the overall cap.
    total: Decimal
    note: BonusCapReached | None = None


@quick
@dataclass(frozen=True, slots=True)
class PenaltyOutcome:
    penalty: Penalty
    record: PenaltyRecord


@quick
@dataclass(frozen=True, slots=True)
class VetoOutcome:
    event: VetoEvent
    record: VetoRecord
    effect: str


@quick
@dataclass(frozen=True, slots=True)
class PartOutcome:
    part: Part
    #: The part's own score and full mark (年终 865 of 1000; 满意度 92 of 100).
    raw: Decimal
    full: Decimal
    #: Scaled to the unit type's full marks, rounded by the rubric's rule.
    scaled: Decimal
    #: ``scaled × weight``, rounded by the rubric's rule.
    weighted: Decimal


@quick
@dataclass(frozen=True, slots=True)
class UnitScore:
    """A unit's scores before ranking."""

    unit: Unit
    unit_type: UnitType
    assessed: bool
    categories: tuple[NodeOutcome, ...]
    #: Full marks of the indicator tree for this type, and the score on it.
    indicator_points: Decimal
    indicator_score: Decimal
    parts: tuple[PartOutcome, ...]
    #: The weighted sum of parts, or the indicator score when the rubric has no parts.
    base: Decimal
    bonus: BonusOutcome
    penalties: tuple[PenaltyOutcome, ...]
    penalty_total: Decimal
    vetoes: tuple[VetoOutcome, ...]
    total: Decimal
    full_marks: Decimal


@quick
@dataclass(frozen=True, slots=True)
class Standing:
    """Rank within the pool and the grade, with the reasons for it."""

    pool: str
    pool_name: str
    pool_size: int
    rank: int | None
    grade: GradeKey | None
    label: str
    reasons: tuple[GradeReason, ...]
    eligible_for_advanced: bool


@quick
@dataclass(frozen=True, slots=True)
class UnitOutcome:
    score: UnitScore
    standing: Standing

    @property
    def unit(self) -> Unit:
        return self.score.unit


@dataclass(frozen=True)
class AssessmentOutcome:
    rubric: Rubric
    units: tuple[UnitOutcome, ...]
    #: Conflicts only scoring can find (an award to a unit that may not be 先进), as located errors.
    problems: Problems
    #: Where the results say they are sample data (示例数据), or None for an office's real results.
    sample: Loc | None = None
    #: The year around the scores: consequences, letters, objections, rectification (generator.engine.yearoutcome).
    year: YearOutcome | None = None

    def by_unit(self) -> dict[str, UnitOutcome]:
        return {u.unit.id: u for u in self.units}
