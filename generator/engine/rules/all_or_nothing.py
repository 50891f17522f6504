"""``all_or_nothing`` 未认真开展的不得分: the whole item is lost when the failing is found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import ZERO, fmt
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import RowsCheck, Rule, ScoreContext, Scored
from generator.engine.rules.cells import read_yes
from generator.engine.rules.sampling import SampleDraw, SampleHint
from generator.engine.rules.sheet import CellCheck, fixed_amount, sheet_number, yes_or_no

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading


@dataclass(frozen=True, kw_only=True)
class AllOrNothingRule(Rule):
    """未认真开展的不得分: the whole item is lost when the failing is found."""

    KIND: ClassVar[str] = "all_or_nothing"
    NAME: ClassVar[str] = "不得分"
    FILL_HELP: ClassVar[str] = "存在该问题时写明原因，情况可填「是」，本项不得分；扣分可不填。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=1, cover=8, heavy_only=True)

    def most_lost(self, points: Decimal) -> Decimal | None:
        return points

    def read(self, row: RowReading) -> Finding | None:
        return read_yes(row, row.points)

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        check.once(rows)

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        found = any(f.yes for f in findings)
        lost = ctx.points if found else ZERO
        why = AllOrNothingReason(kind=self.KIND, item=ctx.item, rule=ctx.rule, lost=lost, found=found)
        return lost, None, why

    def describe(self, rubric: Rubric, node: Node) -> str:
        return "本项不得分"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        return f"存在问题本项不得分（扣{sheet_number(points)}分）"

    def fill_words(self) -> str:
        return "有此问题：写明扣分原因（情况可填「是」）"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return yes_or_no("存在该问题填「是」，或不填、只写扣分原因；没有问题的行不填。")

    def amount_check(self, points: Decimal) -> CellCheck:
        n = sheet_number(points)
        return fixed_amount(points, f"本项不得分（扣 {n} 分）；可不填，由程序计算。", f"本条扣 {n} 分。")

    def sample(self, draw: SampleDraw) -> Decimal | None:
        if draw.used or draw.points > draw.room:
            return None
        draw.add(draw.yes, "", draw.reason("absent"), draw.points)
        return draw.points

    def takes_whole(self, points: Decimal) -> bool:
        return True


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class AllOrNothingReason(RuleReason):
    #: The failing was found: the item is lost (``lost`` is its points).
    found: bool

    def words(self) -> str:
        return f"本项不得分（{fmt(self.lost)} 分）" if self.found else "未发现问题"
