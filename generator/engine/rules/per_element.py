"""``per_element`` 每缺一项扣 N 分: a list of required elements; each one missing costs points.

Results name the missing elements (情况, separated by 、 or ；) or give only how many are missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import NumberError, fmt, parse_number
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import RowsCheck, Rule, RuleCheck, ScoreContext, Scored, total
from generator.engine.rules.cells import norm
from generator.engine.rules.sampling import SampleDraw, SampleHint, floor_int, num_text
from generator.engine.rules.sheet import CellCheck, computed_amount, sheet_number

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading

#: Results list missing elements separated by these; an element's own name must not contain them.
ELEMENT_SEPARATORS = re.compile(r"[、;；,，/\n]")
_ELEMENT_SPLIT = re.compile(ELEMENT_SEPARATORS.pattern + "+")


@dataclass(frozen=True, kw_only=True)
class PerElementRule(Rule):
    """每缺一项扣 N 分: a list of required elements; each one missing costs points."""

    KIND: ClassVar[str] = "per_element"
    NAME: ClassVar[str] = "每缺一项扣分"
    FILL_HELP: ClassVar[str] = "情况填缺少的项，用顿号分隔（可选的项见计分方法），或只填缺项数；扣分可不填。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=8, cover=5)

    per: Decimal = doc("每缺一项扣的分。")
    elements: tuple[str, ...] = doc(
        "应具备的各项（考核结果可填写缺少的项名，也可只填缺项数）。项名中不能有顿号、逗号、分号和斜杠（它们用来分隔项名）。",
        (),
    )
    unit: str = doc("计数单位，用于说明，例如 `项`、`个环节`。", "项")

    # -- the rubric -----------------------------------------------------------------------

    def validate(self, check: RuleCheck) -> None:
        for element in self.elements:
            if ELEMENT_SEPARATORS.search(element):
                check.error(
                    f"的项名「{element}」含有分隔符（顿号、逗号、分号或斜杠），考核结果无法填写它",
                    "改用不含这些符号的简短项名。",
                )
        if len(set(self.elements)) != len(self.elements):
            check.error("的项名有重复", "每一项只写一次。")
        if self.per <= 0:
            check.error("每次扣分应大于 0", "写原文中的每次扣分，例如 per: 1。")

    def most_lost(self, points: Decimal) -> Decimal | None:
        return self.per * len(self.elements) if self.elements else None

    # -- results --------------------------------------------------------------------------

    def read(self, row: RowReading) -> Finding | None:
        if not row.value:
            if row.amount is not None:
                n = row.amount / self.per
                if n == n.to_integral_value():
                    return row.found(count=n)
            hint = ("可填：" + "、".join(self.elements) + "。") if self.elements else "填写缺项数。"
            row.error("value", f"{row.where} 须填写缺少的项（或缺项数）", hint)
            return None
        try:
            n = parse_number(row.value).value
        except NumberError:
            return self._read_names(row)
        return self._read_count(row, n)

    def _read_count(self, row: RowReading, n: Decimal) -> Finding | None:
        where, value = row.where, row.value
        if n != n.to_integral_value() or n <= 0:
            row.error("value", f"{where} 的缺项数应为正整数，这里是 {value}", "填写缺少的项名，或缺项数（1、2、3……）。")
            return None
        if self.elements and n > len(self.elements):
            row.error("value", f"{where} 只列了 {len(self.elements)} 项，缺项数 {fmt(n)} 超过了", "核对缺项数。")
            return None
        return row.found(count=n) if row.amount_matches(n, self.per) else None

    def _read_names(self, row: RowReading) -> Finding | None:
        written = tuple(norm(x) for x in _ELEMENT_SPLIT.split(row.value) if norm(x))
        if self.elements:
            # Matched whatever the width of their punctuation; the rubric's own name is kept.
            known = {norm(e): e for e in self.elements}
            unknown = [x for x in written if x not in known]
            if unknown:
                row.error(
                    "value",
                    f"{row.where} 没有「{'、'.join(unknown)}」这一项",
                    "可填：" + "、".join(self.elements) + "。",
                )
                return None
            written = tuple(known[x] for x in written)
        return row.found(elements=written) if row.amount_matches(Decimal(len(written)), self.per) else None

    def check_rows(self, rows: Sequence[Finding], check: RowsCheck) -> None:
        if not self.elements:
            return
        names = [e for f in rows for e in f.elements]
        repeated = sorted({e for e in names if names.count(e) > 1})
        if repeated:
            check.error(f"缺项「{'、'.join(repeated)}」记录了不止一次", "每个缺项只记一次。")
        counted = len(set(names)) + sum(int(f.count or 0) for f in rows if not f.elements)
        if counted > len(self.elements):
            check.error(f"缺项合计 {counted} 项，但本规则只列了 {len(self.elements)} 项", "核对缺项。")

    # -- scoring --------------------------------------------------------------------------

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        names = tuple(dict.fromkeys(e for f in findings for e in f.elements))
        missing = Decimal(len(names)) + total(f.count for f in findings if not f.elements)
        lost = missing * self.per
        why = PerElementReason(
            kind=self.KIND,
            item=ctx.item,
            rule=ctx.rule,
            lost=lost,
            names=names,
            missing=missing,
            per=self.per,
            unit=self.unit,
        )
        return lost, None, why

    # -- words ----------------------------------------------------------------------------

    def describe(self, rubric: Rubric, node: Node) -> str:
        items = f"（{'、'.join(self.elements)}）" if self.elements else ""
        return f"每缺一{self.unit}扣 {fmt(self.per)} 分{items}"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        return f"每缺1{self.unit}扣{sheet_number(self.per)}分" + (
            f"（{'、'.join(self.elements)}）" if self.elements else ""
        )

    def fill_words(self) -> str:
        return "情况填缺少的项（用顿号分隔）或缺项数"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        choices = f"可填：{'、'.join(self.elements)}。" if self.elements else ""
        return CellCheck(None, title="情况：缺少的项", prompt=f"填写缺少的项，用顿号分隔；或只填缺项数。{choices}")

    def amount_check(self, points: Decimal) -> CellCheck:
        return computed_amount(points)

    # -- sample data ----------------------------------------------------------------------

    def sample(self, draw: SampleDraw) -> Decimal | None:
        if draw.used:
            return None
        names = self.elements or draw.element_names(self.text + draw.title)
        most = floor_int(draw.room / self.per)
        most = min(most, len(names) if names else 3, len(names) if draw.exhaust and names else 2)
        if most < 1:
            return None
        n = most if draw.exhaust else draw.rng.randint(1, most)
        loss = self.per * n
        if names:
            picked = sorted(draw.rng.sample(range(len(names)), n))
            value = "、".join(names[i] for i in picked)
            reason = draw.reason("elem", elements=value)
        else:
            value = str(n)
            reason = draw.reason("elem", elements=f"{n}项")
        draw.add(value, num_text(loss) if draw.fill else "", reason, loss)
        return loss


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class PerElementReason(RuleReason):
    #: The missing elements named, and how many are missing in all (named or counted).
    names: tuple[str, ...]
    missing: Decimal
    per: Decimal
    unit: str

    def words(self) -> str:
        what = f"缺{'、'.join(self.names)}，" if self.names else "缺 "
        return f"{what}{fmt(self.missing)} {self.unit} × {fmt(self.per)} 分 = {fmt(self.lost)} 分"
