"""An eleventh rule kind, written outside the product as an office might add one: ``per_day``
(每迟报一天扣 N 分，宽限 G 天) holds everything about the kind in this one module, like the kinds in
``generator/engine/rules/``. ``tests/test_rule_kinds.py`` registers it and sees the whole product take it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from generator.engine.exact import ZERO, fmt
from generator.engine.fields import doc
from generator.engine.models import Node, Rubric
from generator.engine.reasons import RuleReason
from generator.engine.results import Finding
from generator.engine.rules.base import RowsCheck, Rule, RuleCheck, ScoreContext, Scored, count
from generator.engine.rules.cells import RowReading
from generator.engine.rules.sheet import CellCheck, computed_amount, sheet_number, whole_count


@dataclass(frozen=True, kw_only=True)
class PerDayRule(Rule):
    """每迟报一天扣 N 分: each day a report is late, beyond a few days' grace, costs points."""

    KIND: ClassVar[str] = "per_day"
    NAME: ClassVar[str] = "每迟报一天扣分"
    FILL_HELP: ClassVar[str] = "情况填迟报的天数（含宽限的天数），程序扣除宽限后计算扣分；扣分可不填。"

    per: Decimal = doc("每迟报一天扣的分。")
    grace: Decimal = doc("宽限的天数：迟报不超过这些天不扣分。", Decimal(0))

    def validate(self, check: RuleCheck) -> None:
        if self.per <= 0:
            check.error("每天扣分应大于 0", "写原文中的每天扣分，例如 per: 0.5。")
        if self.grace < 0:
            check.error(f"的宽限天数 {fmt(self.grace)} 为负数", "写 0 或正数，例如 grace: 2。")

    def read(self, row: RowReading) -> Finding | None:
        days = row.count()
        if days is None:
            if not row.value:
                row.error("value", f"{row.where} 须填写迟报的天数", "在“情况”列写天数，例如 3。")
            return None
        return row.found(count=days) if row.amount_matches(self._late(days), self.per) else None

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        if len(rows) > 1:
            check.error(f"迟报天数只能记录一次，这里有 {len(rows)} 行", "合并为一行，写总的迟报天数。")

    def _late(self, days: Decimal) -> Decimal:
        return max(ZERO, days - self.grace)

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        days = count(findings)
        lost = self._late(days) * self.per
        why = PerDayReason(
            kind=self.KIND, item=ctx.item, rule=ctx.rule, lost=lost, days=days, grace=self.grace, per=self.per
        )
        return lost, None, why

    def describe(self, rubric: Rubric, node: Node) -> str:
        grace = f"（宽限 {fmt(self.grace)} 天）" if self.grace else ""
        return f"每迟报 1 天扣 {fmt(self.per)} 分{grace}"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        grace = f"，宽限{sheet_number(self.grace)}天" if self.grace else ""
        return f"每迟报1天扣{sheet_number(self.per)}分{grace}"

    def fill_words(self) -> str:
        return "情况填迟报的天数"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return whole_count("迟报的天数")

    def amount_check(self, points: Decimal) -> CellCheck:
        return computed_amount(points)


@dataclass(frozen=True, slots=True, kw_only=True)
class PerDayReason(RuleReason):
    days: Decimal
    grace: Decimal
    per: Decimal

    def words(self) -> str:
        late = max(ZERO, self.days - self.grace)
        head = f"迟报 {fmt(self.days)} 天，宽限 {fmt(self.grace)} 天"
        return f"{head}，{fmt(late)} 天 × {fmt(self.per)} 分 = {fmt(self.lost)} 分"
