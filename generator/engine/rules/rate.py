"""``rate`` 与会率不低于 80%: a rate below a threshold costs points (fixed, per time, or within a range)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import ZERO, fmt, fmt_percent
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import RowsCheck, Rule, RuleCheck, ScoreContext, Scored, amounts
from generator.engine.rules.sampling import SampleDraw, SampleHint, dec_range, num_text, step_for
from generator.engine.rules.sheet import CellCheck, between, computed_amount, sheet_number

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading


@dataclass(frozen=True, kw_only=True)
class RateRule(Rule):
    """与会率不低于 80%: a rate below a threshold costs points."""

    KIND: ClassVar[str] = "rate"
    NAME: ClassVar[str] = "比率低于标准扣分"
    FILL_HELP: ClassVar[str] = "情况填比率，例如 75%；低于标准时按计分方法扣分，酌情扣分的在扣分列填分数。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=5, cover=7)

    threshold: Decimal = doc("最低比率，写作 `80%` 或 `0.8`。")
    deduct: Decimal | None = doc("低于时扣的固定分（不论有几条记录低于标准，只扣一次）。", None)
    per: Decimal | None = doc("每一次低于（每条记录）扣的分。", None)
    min: Decimal | None = doc("低于时酌情扣分的下限（与 max 同用）。", None)
    max: Decimal | None = doc("低于时酌情扣分的上限。", None)
    measure: str = doc("比率的名称，例如 `与会率`。", "比率")

    def validate(self, check: RuleCheck) -> None:
        if not ZERO < self.threshold <= 1:
            check.error(f"的比率标准 {self.threshold} 不在 0 与 100% 之间", "写作 80% 或 0.8。")
        ways = [self.deduct is not None, self.per is not None, self.max is not None]
        if sum(ways) != 1:
            check.error("应写 deduct、per 或 min/max 中的一种", "例如低于标准酌情扣1～2分：min: 1, max: 2。")
        check.over_item(self.max, "最多扣")

    def most_lost(self, points: Decimal) -> Decimal | None:
        return self.deduct if self.deduct is not None else self.max

    # -- results --------------------------------------------------------------------------

    def read(self, row: RowReading) -> Finding | None:
        rate = self._rate(row)
        if rate is None:
            return None
        below, amount, shown = rate < self.threshold, row.amount, fmt_percent(rate)
        low = self.min or ZERO
        if self.max is not None and below and amount is None:
            row.error(
                "amount",
                f"{self.measure} {shown} 低于 {fmt_percent(self.threshold)}，须填写酌情扣分",
                f"在“扣分”列写 {fmt(low)}～{fmt(self.max)} 分。",
            )
            return None
        if self.max is not None and below and amount is not None and not low <= amount <= self.max:
            row.error(
                "amount",
                f"{row.where} 只能扣 {fmt(low)}～{fmt(self.max)} 分，这里是 {fmt(amount)} 分",
                "改为范围内的分数。",
            )
            return None
        if not below and amount:
            row.error(
                "amount",
                f"{self.measure} {shown} 不低于 {fmt_percent(self.threshold)}，不应扣分",
                "删去扣分，或核对比率。",
            )
            return None
        return row.found(rate=rate, amount=amount if below else None)

    def _rate(self, row: RowReading) -> Decimal | None:
        """The 情况 cell as a rate (a fraction); 75 without a % sign is read as 75%, with a warning."""
        value = row.value
        rate = row.number("value", "比率", allow_percent=True)
        if rate is None:
            if not value:
                row.error("value", f"{row.where} 须填写{self.measure}", "例如 75%。")
            return None
        if "%" not in unicodedata.normalize("NFKC", value) and rate > 1:
            if rate > 100:
                row.error("value", f"{self.measure}「{value}」超过 100%", "写作 75% 或 0.75。")
                return None
            row.warning("value", f"{self.measure}「{value}」没有百分号，已读作 {fmt(rate)}%", f"写作 {fmt(rate)}%。")
            rate = rate / 100
        if rate > 1:
            row.error("value", f"{self.measure} {fmt_percent(rate)} 超过 100%", "核对比率。")
            return None
        return rate

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        if self.max is None:
            return
        added = amounts(rows)
        if added > self.max:
            check.error(
                f"{self.measure}低于标准的酌情扣分合计 {fmt(added)} 分，超过 {fmt(self.max)} 分",
                "同一规则有多行时按合计计算；核对各行扣分。",
            )

    # -- scoring --------------------------------------------------------------------------

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        below = [f for f in findings if f.rate is not None and f.rate < self.threshold]
        if not below:
            lost, rates = ZERO, tuple(f.rate for f in findings if f.rate is not None)
        else:
            rates = tuple(f.rate for f in below if f.rate is not None)
            if self.per is not None:
                lost = self.per * len(below)
            elif self.deduct is not None:
                lost = self.deduct
            else:
                lost = amounts(below)
        why = RateReason(
            kind=self.KIND,
            item=ctx.item,
            rule=ctx.rule,
            lost=lost,
            measure=self.measure,
            threshold=self.threshold,
            rates=rates,
            below=len(below),
            per=self.per,
            deduct=self.deduct,
        )
        return lost, None, why

    # -- words ----------------------------------------------------------------------------

    def describe(self, rubric: Rubric, node: Node) -> str:
        if self.per is not None:
            how = f"每次扣 {fmt(self.per)} 分"
        elif self.deduct is not None:
            how = f"扣 {fmt(self.deduct)} 分"
        else:
            how = f"酌情扣 {fmt(self.min or ZERO)}～{fmt(self.max or ZERO)} 分"
        return f"{self.measure}低于 {fmt_percent(self.threshold)} 的，{how}"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        n = sheet_number
        if self.per is not None:
            how = f"每次扣{n(self.per)}分"
        elif self.deduct is not None:
            how = f"扣{n(self.deduct)}分"
        else:
            how = f"酌情扣{n(self.min or ZERO)}～{n(self.max)}分"
        return f"{self.measure}低于{fmt_percent(self.threshold)}的，{how}"

    def fill_words(self) -> str:
        return f"情况填{self.measure}，例如 75%"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        return between(
            ZERO,
            Decimal(1),
            f"情况：{self.measure}"[:32],
            f"填写{self.measure}，例如 75%（低于 {fmt_percent(self.threshold)} 扣分）。",
            "填写 0%～100% 的比率，例如 75%。",
        )

    def amount_check(self, points: Decimal) -> CellCheck:
        n = sheet_number
        if self.max is not None:
            low = self.min or ZERO
            return between(
                low,
                self.max,
                "扣分",
                f"{self.measure}低于标准时酌情扣 {n(low)}～{n(self.max)} 分。",
                f"扣分应在 {n(low)}～{n(self.max)} 分之间。",
            )
        if self.deduct is not None:
            d = n(self.deduct)
            return between(
                self.deduct, self.deduct, "扣分", f"{self.measure}低于标准扣 {d} 分；可不填。", f"本条扣 {d} 分。"
            )
        return computed_amount(points)

    # -- sample data ----------------------------------------------------------------------

    def sample(self, draw: SampleDraw) -> Decimal | None:
        rng, room = draw.rng, draw.room
        if draw.used:
            return None
        if self.max is not None:
            step = step_for(self.max)
            low = max(self.min or ZERO, step)
            if low > room:
                return None
            loss = dec_range(rng, low, min(self.max, room), step)
            amount = num_text(loss)
        else:
            loss = self.deduct if self.deduct is not None else (self.per or ZERO)
            amount = ""
            if loss > room:
                return None
        below = Decimal(rng.randint(5, 25)) / 100
        rate = max(Decimal("0.4"), self.threshold - below)
        rate_text = f"{num_text(rate * 100)}%"
        reason = draw.reason("rate", rate=rate_text, threshold=f"{num_text(self.threshold * 100)}%")
        draw.add(rate_text, amount, reason, loss)
        return loss


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class RateReason(RuleReason):
    measure: str
    threshold: Decimal
    #: The rates found below the threshold (or, when none is, every rate found), and how many are below.
    rates: tuple[Decimal, ...]
    below: int
    per: Decimal | None
    deduct: Decimal | None

    def words(self) -> str:
        measure, line = self.measure, fmt_percent(self.threshold)
        shown = "、".join(fmt_percent(r) for r in self.rates)
        if not self.below:
            return f"{measure} {shown}，达到标准（{measure}不低于 {line}）"
        head = f"{measure} {shown} 低于 {line}"
        if self.per is not None:
            return f"{head}，{self.below} 次 × {fmt(self.per)} 分 = {fmt(self.lost)} 分"
        if self.deduct is not None:
            return f"{head}，扣 {fmt(self.deduct)} 分"
        return f"{head}，酌情扣 {fmt(self.lost)} 分"
