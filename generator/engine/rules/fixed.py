"""``fixed`` 没有建立扣 2 分: a fixed deduction when something is absent or not done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import ZERO, fmt
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import RowsCheck, Rule, RuleCheck, ScoreContext, Scored
from generator.engine.rules.cells import read_yes
from generator.engine.rules.sampling import SampleDraw, SampleHint, num_text
from generator.engine.rules.sheet import CellCheck, fixed_amount, sheet_number, yes_or_no

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading


@dataclass(frozen=True, kw_only=True)
class FixedRule(Rule):
    """没有建立扣 2 分: a fixed deduction when something is absent or not done."""

    KIND: ClassVar[str] = "fixed"
    NAME: ClassVar[str] = "未做到扣固定分"
    FILL_HELP: ClassVar[str] = "存在该问题时写明扣分原因，情况可填「是」；扣分可不填（填时须等于细则规定的分）。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=10, cover=0)

    deduct: Decimal = doc("发生即扣的分。")

    def validate(self, check: RuleCheck) -> None:
        check.over_item(self.deduct, "扣")

    def most_lost(self, points: Decimal) -> Decimal | None:
        return self.deduct

    def read(self, row: RowReading) -> Finding | None:
        return read_yes(row, self.deduct)

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        check.once(rows)

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        found = any(f.yes for f in findings)
        lost = self.deduct if found else ZERO
        return lost, None, FixedReason(kind=self.KIND, item=ctx.item, rule=ctx.rule, lost=lost, found=found)

    def describe(self, rubric: Rubric, node: Node) -> str:
        return f"扣 {fmt(self.deduct)} 分"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        return f"存在问题扣{sheet_number(self.deduct)}分"

    def fill_words(self) -> str:
        return "有此问题：写明扣分原因（情况可填「是」）"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return yes_or_no("存在该问题填「是」，或不填、只写扣分原因；没有问题的行不填。")

    def amount_check(self, points: Decimal) -> CellCheck:
        n = sheet_number(self.deduct)
        return fixed_amount(self.deduct, f"固定扣 {n} 分；可不填，由程序按细则计算。", f"本条固定扣 {n} 分。")

    def sample(self, draw: SampleDraw) -> Decimal | None:
        if draw.used or self.deduct > draw.room:
            return None
        draw.add(draw.yes, num_text(self.deduct) if draw.fill else "", draw.reason("absent"), self.deduct)
        return self.deduct

    def takes_whole(self, points: Decimal) -> bool:
        return self.deduct >= points


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class FixedReason(RuleReason):
    #: The failing was found (a row says so).
    found: bool

    def words(self) -> str:
        return f"扣 {fmt(self.lost)} 分" if self.found else "未发现问题"
