"""``range`` 酌情扣分 / 视具体情况扣 1～3 分: the assessor enters the amount; the range is checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import fmt
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import RowsCheck, Rule, RuleCheck, ScoreContext, Scored, amounts
from generator.engine.rules.sampling import SampleDraw, SampleHint, dec_range, num_text, step_for
from generator.engine.rules.sheet import CellCheck, between, sheet_number

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading


def range_words(low: Decimal, top: Decimal) -> str:
    """How a discretionary range reads: 可扣 1～3 分 / 最多可扣 6 分."""
    return f"可扣 {fmt(low)}～{fmt(top)} 分" if low else f"最多可扣 {fmt(top)} 分"


@dataclass(frozen=True, kw_only=True)
class RangeRule(Rule):
    """酌情扣分 / 视具体情况扣 1～3 分: the assessor enters the amount; the range is checked."""

    KIND: ClassVar[str] = "range"
    NAME: ClassVar[str] = "酌情扣分"
    FILL_HELP: ClassVar[str] = "扣分填酌情扣的分数（在计分方法写明的范围内），原因写明情况；情况不填。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=14, cover=1)

    min: Decimal = doc("最少扣分（`视具体情况扣1～3分` 中的 1）；不写为 0。", Decimal(0))
    max: Decimal | None = doc("最多扣分（`1～3分` 中的 3）；不写则为本项分值。", None)

    def top(self, points: Decimal) -> Decimal:
        """The most the rule takes from an item of ``points``."""
        return self.max if self.max is not None else points

    def validate(self, check: RuleCheck) -> None:
        check.over_item(self.max, "最多扣")
        top = self.top(check.points)
        if self.min > top:
            check.error(f"的最少扣分 {fmt(self.min)} 大于最多扣分 {fmt(top)}", "交换 min 与 max。")

    def most_lost(self, points: Decimal) -> Decimal | None:
        return self.top(points)

    def read(self, row: RowReading) -> Finding | None:
        where, amount = row.where, row.amount
        allowed = range_words(self.min, self.top(row.points))
        if amount is None:
            row.error("amount", f"{where} 为酌情扣分，须填写扣分", f"在“扣分”列写分数（{allowed}）。")
            return None
        if amount > self.top(row.points):
            row.error("amount", f"{where} 酌情扣分 {fmt(amount)} 分，超出允许的范围（{allowed}）", "改为范围内的分数。")
            return None
        if row.value:
            row.warning("value", f"{where} 为酌情扣分，“情况”列「{row.value}」不参与计分", "可把情况写进扣分原因。")
        return row.found(amount=amount)

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        added = amounts(rows)
        top = self.top(check.points)
        if not self.min <= added <= top:
            check.error(
                f"酌情扣分合计 {fmt(added)} 分，超出允许的范围（{range_words(self.min, top)}）",
                "核对扣分；同一规则有多行时按合计计算。",
            )

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        lost = amounts(findings)
        why = RangeReason(
            kind=self.KIND, item=ctx.item, rule=ctx.rule, lost=lost, low=self.min, top=self.top(ctx.points)
        )
        return lost, None, why

    def describe(self, rubric: Rubric, node: Node) -> str:
        if self.max is None and node.points_by_type:  # the item's points differ by type: so does the most
            return "在本项分值内酌情扣分" + (f"，至少扣 {fmt(self.min)} 分" if self.min else "")
        return "酌情扣分，" + range_words(self.min, self.top(node.points))

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        top = self.top(points)
        n = sheet_number
        return f"酌情扣{n(self.min)}～{n(top)}分" if self.min else f"酌情扣分，最多{n(top)}分"

    def fill_words(self) -> str:
        return "扣分填酌情扣的分数"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return CellCheck(None, title="情况", prompt="酌情扣分不用填情况，在扣分列填分数，原因写明情况。")

    def amount_check(self, points: Decimal) -> CellCheck:
        top, n = self.top(points), sheet_number
        return between(
            self.min,
            top,
            "扣分",
            f"酌情扣分：填 {n(self.min)}～{n(top)} 分；同一规则有几行时合计不超过 {n(top)} 分。",
            f"扣分应在 {n(self.min)}～{n(top)} 分之间。",
        )

    def sample(self, draw: SampleDraw) -> Decimal | None:
        top = self.max if self.max is not None else draw.points
        used, so_far = draw.used, draw.so_far
        if used >= (3 if top >= 20 else 2) or (used and not draw.exhaust and draw.rng.random() < 0.5):
            return None
        step = step_for(top)
        high = min(top - so_far, draw.room)
        low = max(self.min - so_far, step)
        if high < low:
            return None
        most = min(high, top if top <= 1 else max(low, top * 2 / 5, step), 3 * draw.scale)
        amount = high if draw.exhaust else dec_range(draw.rng, low, max(low, most), step)
        draw.add("", num_text(amount), draw.reason("range"), amount)
        return amount

    def takes_whole(self, points: Decimal) -> bool:
        return self.max is None or self.max >= points


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class RangeReason(RuleReason):
    #: The range the assessors could deduct in.
    low: Decimal
    top: Decimal

    def words(self) -> str:
        return f"酌情扣 {fmt(self.lost)} 分（{range_words(self.low, self.top)}）"
