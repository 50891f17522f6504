"""What every rule kind shares, and what each kind provides.

A rule kind is one module of this package: a subclass of :class:`Rule` that declares the kind's YAML keys
(each a documented field, as the rubric models do) and implements the hooks below, so that everything
about the kind has one home. :mod:`generator.engine.rules.registry` lists the kinds; no module outside
this package names one.

The hooks, by step of the pipeline:

- the rubric: ``validate`` (the kind's own checks), ``most_lost`` / ``most_earned`` (bounds for the
  checks of an item), ``scores_type``, ``needs_members``, ``activity_ref``;
- results: ``read`` (one row of ``entries`` → a finding, with located messages), ``check_rows`` (all rows
  of the rule for one unit together);
- scoring: ``score`` (findings → points lost, points earned and the reason, as facts: a subclass of
  :class:`generator.engine.reasons.RuleReason` whose ``words`` say it);
- words: ``describe`` (the standards page), ``sheet_words``, ``fill_words``, ``value_check``,
  ``amount_check`` (the score sheet);
- sample data: ``sample`` (one finding for ``scripts/make_results.py``), ``takes_whole``,
  ``repeat_cost`` and the class's ``SAMPLE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import ZERO, SharedDecimals, fmt
from generator.engine.fields import doc, internal
from generator.engine.origin import Sourced
from generator.engine.problems import Loc, Problems
from generator.engine.rules.sampling import SampleDraw, SampleHint

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.reasons import RuleReason
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading
    from generator.engine.rules.sheet import CellCheck

#: What a kind's ``score`` returns: points lost, points earned (earned kinds, else None), the reason.
Scored = tuple[Decimal, "Decimal | None", "RuleReason"]


@dataclass(frozen=True, kw_only=True)
class Rule(Sourced):
    """What every rule kind shares. A rule turns what the assessors found into points lost."""

    #: The kind as the YAML names it (``kind: shortfall``).
    KIND: ClassVar[str] = ""
    #: The kind in words, for messages and the score sheet's 说明, e.g. 每少一次扣分.
    NAME: ClassVar[str] = ""
    #: How assessors fill in a row of this kind, for the score sheet's 说明.
    FILL_HELP: ClassVar[str] = ""
    #: Points are earned when the work is done: the rule is scored even where nothing was recorded.
    EARNS: ClassVar[bool] = False
    #: How sample data draws findings of this kind; None: not among the deductions drawn.
    SAMPLE: ClassVar[SampleHint | None] = None

    kind: str = doc("规则种类，见下表。")
    id: str = doc(
        "规则编号，在本指标内唯一。不写时按顺序为 `a`、`b`、`c`……；指标只有一条规则时，考核结果的“规则”列可以不填。",
        "",
    )
    text: str = doc("本规则对应的评分标准原文片段，例如 `每少一次扣1分`。", "", verbatim=True)
    cap: Decimal | None = doc("本规则最多扣的分（不写则只受本项分值限制）。", None)
    applies_to: tuple[str, ...] = doc(
        "本规则只适用于这些单位类型（不写则适用于本指标适用的全部类型）；对其他类型，本规则不扣分，也不能记录。", ()
    )
    loc: Loc = internal()

    # -- the rubric -----------------------------------------------------------------------

    def validate(self, check: RuleCheck) -> None:
        """Report what is wrong with this rule beyond what every rule is checked for."""

    def most_lost(self, points: Decimal) -> Decimal | None:
        """The most the rule can take from an item of ``points`` before its cap; None without a bound."""
        return None

    def most_earned(self) -> Decimal:
        """The points the rule can earn (an item's earned points may not exceed the item)."""
        return ZERO

    def scores_type(self, rubric: Rubric, type_id: str) -> bool:
        """The rule scores units of ``type_id`` (a rule may set no target for some types)."""
        return True

    def needs_members(self) -> bool:
        """The rule's target depends on a unit's 成员人数 (the unit registry must give it)."""
        return False

    def activity_ref(self) -> str:
        """The activity (``activities``) whose yearly target the rule scores, or ''."""
        return ""

    # -- results --------------------------------------------------------------------------

    def read(self, row: RowReading) -> Finding | None:
        """One row of ``entries`` as this rule needs it, or None after reporting why not."""
        raise NotImplementedError(self.KIND)

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        """Checks over all the rows of this rule for one unit (ranges, one-off deductions written twice)."""

    # -- scoring --------------------------------------------------------------------------

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        """Points lost (before the rule's cap), points earned (earned kinds) and the reason, from the findings."""
        raise NotImplementedError(self.KIND)

    # -- words ----------------------------------------------------------------------------

    def describe(self, rubric: Rubric, node: Node) -> str:
        """The rule in words for the standards page, e.g. 目标：4 次；每少 1 次扣 1 分."""
        raise NotImplementedError(self.KIND)

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        """The rule in words on the score sheet, for one unit type (and a unit's members), e.g.
        每少1次扣1分，目标4次."""
        raise NotImplementedError(self.KIND)

    def fill_words(self) -> str:
        """What to fill in on the score sheet for this rule, in a few words."""
        raise NotImplementedError(self.KIND)

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        """What the score sheet's 情况 cell may hold."""
        raise NotImplementedError(self.KIND)

    def amount_check(self, points: Decimal) -> CellCheck:
        """What the score sheet's 扣分 cell may hold, in an item of ``points``."""
        raise NotImplementedError(self.KIND)

    # -- sample data ----------------------------------------------------------------------

    def sample(self, draw: SampleDraw) -> Decimal | None:
        """Record one sample finding through ``draw``; returns the points it costs, or None when none fits."""
        return None

    def takes_whole(self, points: Decimal) -> bool:
        """The rule alone can take a whole item of ``points``."""
        return False

    def repeat_cost(self) -> Decimal | None:
        """What each further occurrence costs, for kinds that count occurrences without a bound."""
        return None


# --------------------------------------------------------------------------------------------
# Contexts the hooks receive
# --------------------------------------------------------------------------------------------


class ScoreContext:
    """Where a rule is applied: the rubric, the unit's type and members, the item and its points."""

    __slots__ = ("rubric", "unit_type", "type_name", "points", "members", "item", "rule")

    def __init__(
        self, rubric: Rubric, unit_type: str, type_name: str, points: Decimal, members: Decimal | None, item: str
    ) -> None:
        self.rubric = rubric
        self.unit_type = unit_type
        self.type_name = type_name
        self.points = points
        self.members = members
        self.item = item
        #: The id of the rule being applied (set for each rule of the item).
        self.rule = ""


@dataclass(frozen=True)
class RuleCheck:
    """A rule of an item being checked: where it is, the item's points, and where problems go."""

    rubric: Rubric
    problems: Problems
    loc: Loc
    #: 指标 1 规则 a, for messages.
    where: str
    #: The item's points, and its largest for any unit type (``points_by_type``).
    points: Decimal
    bigger: Decimal

    def error(self, message: str, hint: str) -> None:
        self.problems.error(self.loc, f"{self.where} {message}", hint)

    def over_item(self, value: Decimal | None, what: str) -> None:
        """An error when ``value`` (``what``: 扣, 最多扣) is more than the item's points."""
        if value is not None and value > self.bigger:
            self.error(f"{what} {fmt(value)} 分，超过本项 {fmt(self.bigger)} 分", "核对原文的分值。")

    def type_refs(self, refs: Iterable[str], what: str) -> None:
        """An error for each of ``refs`` (the rule's ``what``, e.g. 的 target) that is not a unit type."""
        type_refs(self.rubric, refs, self.loc, f"{self.where} {what}", self.problems)


def type_refs(rubric: Rubric, refs: Iterable[str], loc: Loc, what: str, problems: Problems) -> None:
    """An error for each of ``refs`` that is not a unit type of the rubric."""
    known = {t.id for t in rubric.unit_types}
    for ref in refs:
        if ref not in known:
            problems.error(
                loc, f"{what}中的单位类型「{ref}」不存在", "可用的单位类型：" + "、".join(sorted(known)) + "。"
            )


@dataclass(frozen=True)
class RowsCheck:
    """All the rows of one rule for one unit: where a problem is reported (the last row), and the item's points."""

    problems: Problems
    loc: Loc
    #: 单位 u1 指标 1 规则 a, for messages.
    where: str
    points: Decimal

    def error(self, message: str, hint: str) -> None:
        self.problems.error(self.loc, f"{self.where} {message}", hint)

    def once(self, rows: Sequence[Finding]) -> None:
        """A deduction (or an earning) that is recorded once: two rows saying it happened are one too many."""
        if sum(1 for f in rows if f.yes) > 1:
            self.error(f"只能记录一次，这里有 {len(rows)} 行", "合并为一行，原因写在一起。")


# --------------------------------------------------------------------------------------------
# Counting findings
# --------------------------------------------------------------------------------------------


#: Sums made, one object per value as written (reasons keep them: a province's units hold millions).
_SUMS = SharedDecimals()
_SUMS_KEPT = 4096


def total(values: Iterable[Decimal | None]) -> Decimal:
    """The sum of the values given (None counts for nothing)."""
    out = ZERO
    for v in values:
        if v is not None:
            out += v
    if len(_SUMS) > _SUMS_KEPT:
        _SUMS.clear()
    return _SUMS(out)


def count(findings: Iterable[Finding]) -> Decimal:
    """Occurrences (months, persons …) over all findings."""
    return total(f.count for f in findings)


def amounts(findings: Iterable[Finding]) -> Decimal:
    """Amounts (discretionary deductions, points earned) over all findings."""
    return total(f.amount for f in findings)


def targets_words(targets: Mapping[str, Decimal], names: Mapping[str, str], unit: str) -> str:
    """Targets by unit type, e.g. 党支部 8 次、党总支 10 次."""
    return "、".join(f"{names.get(k, k)} {fmt(v)} {unit}" for k, v in targets.items()) or "没有目标"
