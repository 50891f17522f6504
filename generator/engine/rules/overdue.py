"""``overdue`` 每超过 1 个月扣 1 分，超期 6 个月扣 5 分: a deduction by how long something is overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import fmt
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import RowsCheck, Rule, RuleCheck, ScoreContext, Scored, count
from generator.engine.rules.cells import read_occurrences
from generator.engine.rules.sampling import SampleDraw, SampleHint, floor_int
from generator.engine.rules.sheet import CellCheck, computed_amount, sheet_number, whole_count

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading


@dataclass(frozen=True, kw_only=True)
class OverdueRule(Rule):
    """每超过 1 个月扣 1 分，超期 6 个月扣 5 分: time-based deduction."""

    KIND: ClassVar[str] = "overdue"
    NAME: ClassVar[str] = "按超期时间扣分"
    FILL_HELP: ClassVar[str] = "情况填超期的月数（或其他时间单位），程序计算扣分；扣分可不填。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=2, cover=6)

    per: Decimal = doc("每超过一个时间单位扣的分。")
    unit: str = doc("时间单位，例如 `个月`。", "个月")
    whole_item_at: Decimal | None = doc(
        "超期达到（含）这么多个时间单位时扣完本项全部分值（`超期6个月未换届扣5分`）。", None
    )

    def validate(self, check: RuleCheck) -> None:
        if self.per <= 0:
            check.error("每次扣分应大于 0", "写原文中的每次扣分，例如 per: 1。")
        if self.whole_item_at is not None and self.whole_item_at <= 0:
            check.error("的 whole_item_at 应大于 0", "写扣完本项的超期时长，例如 6。")

    def _whole(self, periods: Decimal) -> bool:
        return self.whole_item_at is not None and periods >= self.whole_item_at

    def read(self, row: RowReading) -> Finding | None:
        n = read_occurrences(row, self.per, self.unit, default_one=False)
        if n is None:
            return None
        expected = row.points if self._whole(n) else n * self.per
        amount = row.amount
        if amount is not None and row.value and amount != expected:
            row.error(
                "amount",
                f"{row.where}：超期 {fmt(n)} {self.unit}应扣 {fmt(expected)} 分，但扣分写的是 {fmt(amount)} 分",
                "核对超期时长和扣分；扣分列可以不填，由程序计算。",
            )
            return None
        return row.found(count=n)

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        if len(rows) > 1:
            check.error(f"超期时长只能记录一次，这里有 {len(rows)} 行", "合并为一行，写总的超期时长。")

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        periods = count(findings)
        whole = self._whole(periods)
        lost = ctx.points if whole else periods * self.per
        why = OverdueReason(
            kind=self.KIND,
            item=ctx.item,
            rule=ctx.rule,
            lost=lost,
            periods=periods,
            unit=self.unit,
            per=self.per,
            whole_at=self.whole_item_at if whole else None,
        )
        return lost, None, why

    def describe(self, rubric: Rubric, node: Node) -> str:
        whole = f"，达到 {fmt(self.whole_item_at)} {self.unit}扣完本项" if self.whole_item_at is not None else ""
        return f"每超过 1 {self.unit}扣 {fmt(self.per)} 分{whole}"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        n = sheet_number
        text = f"每超过1{self.unit}扣{n(self.per)}分"
        if self.whole_item_at is not None:
            text += f"，超期{n(self.whole_item_at)}{self.unit}扣完本项{n(points)}分"
        return text

    def fill_words(self) -> str:
        return f"情况填超期的{self.unit}数"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return whole_count(f"超期的{self.unit}数")

    def amount_check(self, points: Decimal) -> CellCheck:
        return computed_amount(points)

    def sample(self, draw: SampleDraw) -> Decimal | None:
        if draw.used:
            return None
        if draw.exhaust and self.whole_item_at is not None:
            months = int(self.whole_item_at) + draw.rng.randint(0, 3)
            loss = draw.points
        else:
            longest = min(floor_int(draw.room / self.per), 4)
            if self.whole_item_at is not None:
                longest = min(longest, int(self.whole_item_at) - 1)
            if longest < 1:
                return None
            months = draw.rng.randint(1, longest)
            loss = self.per * months
        draw.add(str(months), "", draw.reason("overdue", months=months), loss)
        return loss

    def takes_whole(self, points: Decimal) -> bool:
        return self.whole_item_at is not None


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class OverdueReason(RuleReason):
    periods: Decimal
    unit: str
    per: Decimal
    #: Where the periods reached the rule's whole_item_at: it (the item is lost, ``lost`` is its points).
    whole_at: Decimal | None

    def words(self) -> str:
        if self.whole_at is not None:
            reached = f"达到 {fmt(self.whole_at)} {self.unit}"
            return f"超期 {fmt(self.periods)} {self.unit}，{reached}，扣完本项 {fmt(self.lost)} 分"
        return f"超期 {fmt(self.periods)} {self.unit} × {fmt(self.per)} 分 = {fmt(self.lost)} 分"
