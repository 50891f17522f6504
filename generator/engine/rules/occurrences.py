"""What ``per_occurrence`` and ``per_person`` share: each occurrence (or person-time) found costs ``per``.

The two kinds differ only in their words; each declares its own keys (with their documentation) over
this class.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.engine.exact import fmt
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import Rule, RuleCheck, ScoreContext, Scored, count
from generator.engine.rules.cells import read_occurrences
from generator.engine.rules.sampling import SampleDraw, floor_int, num_text
from generator.engine.rules.sheet import CellCheck, computed_amount, sheet_number, whole_count

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading


@dataclass(frozen=True, kw_only=True)
class CountedRule(Rule):
    """Each occurrence costs ``per`` points; 情况 gives how many (empty: one)."""

    per: Decimal = doc("每发生一次扣的分。")
    unit: str = doc("计数单位。", "次")

    def validate(self, check: RuleCheck) -> None:
        if self.per <= 0:
            check.error("每次扣分应大于 0", "写原文中的每次扣分，例如 per: 1。")

    def read(self, row: RowReading) -> Finding | None:
        n = read_occurrences(row, self.per, self.unit, default_one=True)
        if n is None:
            return None
        return row.found(count=n) if row.amount_matches(n, self.per) else None

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        times = count(findings)
        lost = times * self.per
        why = CountReason(
            kind=self.KIND, item=ctx.item, rule=ctx.rule, lost=lost, count=times, unit=self.unit, per=self.per
        )
        return lost, None, why

    def describe(self, rubric: Rubric, node: Node) -> str:
        return f"每 1 {self.unit}扣 {fmt(self.per)} 分"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        return f"每1{self.unit}扣{sheet_number(self.per)}分"

    def fill_words(self) -> str:
        return f"情况填{self.unit}数（不填按1{self.unit}计）"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return whole_count(f"发生的{self.unit}数（不填按 1 {self.unit}计）")

    def amount_check(self, points: Decimal) -> CellCheck:
        return computed_amount(points)

    def sample(self, draw: SampleDraw) -> Decimal | None:
        rng, room, exhaust = draw.rng, draw.room, draw.exhaust
        if draw.used >= 3 and not exhaust:
            return None
        if exhaust:
            times = max(1, min(floor_int(room / self.per) + 1, 8))
        else:
            times = 1 if rng.random() < 0.8 else 2
            while times > 1 and self.per * times > room:
                times -= 1
        loss = self.per * times
        if loss > room and not exhaust:
            return None
        reason = draw.reason("occ")
        if times == 2:
            reason = f"{reason}；{draw.reason('occ')}"
        elif times > 2:
            reason = f"{reason}；{draw.reason('occ')}等，共{times}{self.unit}"
        draw.add(str(times), num_text(loss) if draw.fill else "", reason, loss)
        return loss

    def repeat_cost(self) -> Decimal | None:
        return self.per


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class CountReason(RuleReason):
    count: Decimal
    unit: str
    per: Decimal

    def words(self) -> str:
        return f"{fmt(self.count)} {self.unit} × {fmt(self.per)} 分 = {fmt(self.lost)} 分"
