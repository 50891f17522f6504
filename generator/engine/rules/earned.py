"""``earned`` 申报"十佳支部工作法"得 2 分，未开展的不得分: points earned only when the work is done.

Unlike the other kinds the rule is scored for every unit, recorded or not: no row saying it was done
means its points are not earned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import ZERO, fmt
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import RowsCheck, Rule, ScoreContext, Scored, amounts, total
from generator.engine.rules.cells import yes_no
from generator.engine.rules.sampling import SampleDraw, dec_range, num_text, step_for
from generator.engine.rules.sheet import CellCheck, between, sheet_number, yes_or_no

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading


@dataclass(frozen=True, kw_only=True)
class EarnedRule(Rule):
    """申报"十佳支部工作法"得 2 分，未开展的不得分: points earned only when done."""

    KIND: ClassVar[str] = "earned"
    NAME: ClassVar[str] = "做到得分"
    FILL_HELP: ClassVar[str] = "已做到时情况填「是」，原因写明做到的情况；可给部分分的，扣分列填得分。"
    EARNS: ClassVar[bool] = True

    points: Decimal = doc("做到即得的分；考核结果未记录做到则不得分。")
    partial: bool = doc("为 true 时考核组可给部分分（在 0 与 points 之间）。", False)

    def most_lost(self, points: Decimal) -> Decimal | None:
        return self.points

    def most_earned(self) -> Decimal:
        return self.points

    def read(self, row: RowReading) -> Finding | None:
        where, value, amount = row.where, row.value, row.amount
        yes = True if not value else yes_no(value)
        if yes is None:
            row.error("value", f"{where} 的情况「{value}」无法识别", "写「是」表示已做到、可得分；「否」表示未做到。")
            return None
        if amount is not None and not self.partial and amount != self.points:
            row.error(
                "amount",
                f"{where} 做到即得 {fmt(self.points)} 分，不能给 {fmt(amount)} 分",
                "删去得分列，或在细则中写 partial: true。",
            )
            return None
        if amount is not None and amount > self.points:
            row.error("amount", f"{where} 最多得 {fmt(self.points)} 分，这里给了 {fmt(amount)} 分", "核对得分。")
            return None
        return row.found(yes=yes, amount=amount)

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        if not self.partial:
            check.once(rows)
            return
        added = amounts(rows)
        if added > self.points:
            check.error(f"得分合计 {fmt(added)} 分，超过 {fmt(self.points)} 分", "核对得分。")

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        done = [f for f in findings if f.yes]
        given = [f.amount for f in done if f.amount is not None]
        # Not done: nothing earned; done without an amount: all of it; partial amounts add up, to the rule's points.
        earned = min(self.points, total(given)) if given else self.points if done else ZERO
        lost = self.points - earned
        why = EarnedReason(
            kind=self.KIND, item=ctx.item, rule=ctx.rule, lost=lost, done=bool(done), earned=earned, points=self.points
        )
        return lost, earned, why

    def describe(self, rubric: Rubric, node: Node) -> str:
        return f"做到得 {fmt(self.points)} 分，未做到不得分"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        return f"做到得{sheet_number(self.points)}分，未做到不得分" + ("，可给部分分" if self.partial else "")

    def fill_words(self) -> str:
        return "做到：情况填「是」，原因写明做到的情况" + ("；扣分列填得分" if self.partial else "")

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return yes_or_no("已做到填「是」，并在扣分原因中写明做到的情况；未做到的行不填。")

    def amount_check(self, points: Decimal) -> CellCheck:
        n = sheet_number(self.points)
        if self.partial:
            return between(ZERO, self.points, "得分", f"本条为得分：填 0～{n} 分。", f"得分应在 0～{n} 分之间。")
        return between(self.points, self.points, "得分", f"做到即得 {n} 分；可不填。", f"本条做到即得 {n} 分。")

    def sample(self, draw: SampleDraw) -> Decimal | None:
        """Most units did the work (``draw.chance``); weaker ones did not."""
        rng = draw.rng
        if rng.random() < draw.chance:
            amount = ""
            if self.partial and draw.profile != "clean" and rng.random() < 0.4:
                step = step_for(self.points)
                amount = num_text(dec_range(rng, step, self.points - step, step))
            draw.add("是", amount, draw.reason("yes"), ZERO)
            return ZERO
        draw.add("否", "", draw.reason("no"), self.points)
        return self.points


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class EarnedReason(RuleReason):
    #: The work was done, and the points earned for it out of the rule's ``points``.
    done: bool
    earned: Decimal
    points: Decimal

    def words(self) -> str:
        if not self.done:
            return f"未做到，不得分（本规则 {fmt(self.points)} 分）"
        return f"得 {fmt(self.earned)} 分（本规则 {fmt(self.points)} 分）"
