"""Why each point was lost, earned, capped or graded, as facts: what the engine returns beside the numbers.

The engine says *what* (the kind, the item, the amounts and counts, the rule cited); a presentation says
it in words. :mod:`generator.engine.wording` words every reason the way the unit page, the downloads and
the JSON export show it; a rule kind's reason (a subclass of :class:`RuleReason`, in the kind's module)
carries its own words.

Where a grade rests on a part of the rubric that is not the document's own words (补充, 解读), the reason
cites it: ``cited`` is that part's mark, ``brief`` says whether the page explains it elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.engine.quick import quick

if TYPE_CHECKING:
    from generator.engine.provenance import Mark

# --------------------------------------------------------------------------------------------
# Items: a rule, the floor of an item
# --------------------------------------------------------------------------------------------


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class RuleReason:
    """How a rule's points follow from what was found; each kind's subclass adds its facts."""

    #: The rule's kind, item (its id) and id.
    kind: str
    item: str
    rule: str
    #: What the rule takes, before its cap.
    lost: Decimal
    #: The rule's cap, where it cut what the rule took.
    cap: Decimal | None = None

    def words(self) -> str:
        """The reason in words, e.g. 目标 4 次，完成 2 次，少 2 次 × 1 分 = 2 分 (the cap is said apart)."""
        raise NotImplementedError(self.kind)


@quick
@dataclass(frozen=True, slots=True)
class FloorReached:
    """An item's deductions add up to more than it is worth: it is lost, down to its floor (扣完为止)."""

    item: str
    #: The deductions added up, and the score left.
    lost: Decimal
    score: Decimal


# --------------------------------------------------------------------------------------------
# Bonus
# --------------------------------------------------------------------------------------------


@quick
@dataclass(frozen=True, slots=True)
class Unconfirmed:
    """A claim the office did not confirm: it counts for nothing."""


@quick
@dataclass(frozen=True, slots=True)
class CountedAtHigherLevel:
    """The same subject was claimed at a higher level, where it counts (同一事项不重复加分)."""


@quick
@dataclass(frozen=True, slots=True)
class CountedOnce:
    """A subject claimed ``count`` times at a level that counts per occurrence, counted once."""

    count: Decimal


@quick
@dataclass(frozen=True, slots=True)
class ItemCapReached:
    """A bonus item's claims add up to more than the item allows."""

    item: str
    subtotal: Decimal
    cap: Decimal


@quick
@dataclass(frozen=True, slots=True)
class BonusCapReached:
    """The bonus items add up to more than the rubric allows in all."""

    subtotal: Decimal
    cap: Decimal


# --------------------------------------------------------------------------------------------
# Rank and grade
# --------------------------------------------------------------------------------------------


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class GradeReason:
    """A step towards a unit's rank or grade; ``cited`` marks a rule that is not the document's own."""

    cited: Mark | None = None
    brief: bool = False


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class Placed(GradeReason):
    total: Decimal
    pool: str
    rank: int
    size: int


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class Tied(GradeReason):
    #: How many other units share the rank, and the rubric's rule for ties.
    others: int
    ties: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class BandReached(GradeReason):
    """The score reaches a band's minimum."""

    min: Decimal
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class BelowBands(GradeReason):
    """The score is below every band's minimum: the last band."""

    lowest: Decimal
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class CategoryZero(GradeReason):
    """A category (一级指标) scored nothing, which the rubric fails."""

    category: str
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class AtBottom(GradeReason):
    """Among the last places of the pool (and at or below its line, where it has one)."""

    pool: str
    place: int
    at_or_below: Decimal | None
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class AtBottomAbove(GradeReason):
    """Among the last places of the pool, but above its line: not failed."""

    pool: str
    place: int
    line: Decimal
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class Vetoed(GradeReason):
    """A veto whose effect is to fail the unit."""

    event: str
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class GradeTooLow(GradeReason):
    """Not eligible for 先进: the grade is below the one required."""

    grade: str
    required: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreTooLow(GradeReason):
    """Not eligible for 先进: the score is below the rubric's minimum for it."""

    min: Decimal


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class VetoBarsAdvanced(GradeReason):
    """Not eligible for 先进: a veto whose effect is that."""

    event: str
    effect: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityRemoved(GradeReason):
    """Not eligible for 先进: a penalty (弄虚作假) that removed it."""

    penalty: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class NotGraded(GradeReason):
    """The rubric grades no unit."""


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class TopButIneligible(GradeReason):
    """Within the top places of the pool, but not eligible for 先进."""

    top: int
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class TopPlaces(GradeReason):
    """Within the top places of the pool (among the eligible units, when ``among_eligible``)."""

    pool: str
    top: int
    place: int
    among_eligible: bool
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class Decided(GradeReason):
    """先进 by the office's decision (awards.csv), with its stated basis."""

    basis: str
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class AboveAdvancedMin(GradeReason):
    """先进 by score: eligible and at or above the minimum."""

    min: Decimal
    grade: str


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class NotAssessed(GradeReason):
    """The unit is not assessed this year; ``note`` is the registry's (or empty)."""

    note: str


# --------------------------------------------------------------------------------------------
# The year: what made a consequence (考核结果运用) apply to a unit
# --------------------------------------------------------------------------------------------


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class ConsequenceTriggered:
    """The unit's place from the bottom of its pool (ties share it), its grade, the years running it had it."""

    pool: str = ""
    #: 1 = last; with ``bottom``, the trigger's 后 N 名. None when the trigger does not look at places.
    place: int | None = None
    bottom: int | None = None
    #: The grade names the trigger lists (their labels), and the years running (None: this year only).
    grades: tuple[str, ...] = ()
    years: int | None = None


#: What may be said of one bonus claim.
ClaimNote = Unconfirmed | CountedAtHigherLevel | CountedOnce

#: Anything the engine gives as a reason.
Reason = (
    RuleReason
    | FloorReached
    | Unconfirmed
    | CountedAtHigherLevel
    | CountedOnce
    | ItemCapReached
    | BonusCapReached
    | GradeReason
    | ConsequenceTriggered
)
