"""Reading a results row for a rule: the cells as numbers, yes or no, counts, amounts, with located messages.

The checker (:mod:`generator.data.check_results`) finds a row's unit, item and rule, then hands the row
to the rule's kind as a :class:`RowReading`; the kind reads the 情况 (``value``) and 扣分 (``amount``)
cells its own way. Every message names the cell it is about.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.engine.exact import NumberError, fmt, parse_number
from generator.engine.problems import Problems
from generator.engine.quick import quick
from generator.engine.results import Finding

if TYPE_CHECKING:
    from generator.engine.models import Rubric
    from generator.engine.results import Row

YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对"}
NO = {"否", "无", "n", "no", "false", "0", "×", "✗"}


def norm(text: str) -> str:
    """A cell as compared with a name or code: full-width （） as ( ), no spaces around."""
    if text.isascii():  # ASCII is its own NFKC form: the common case (codes, numbers), at C speed
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def yes_no(text: str) -> bool | None:
    """是 / 否 (and their other spellings) as True / False; None when the text is neither."""
    t = norm(text).lower()
    if t in YES:
        return True
    if t in NO:
        return False
    return None


def read_number(
    problems: Problems, row: Row, column: str, what: str, *, allow_percent: bool = False, example: str = "1 或 0.5"
) -> Decimal | None:
    """The number in ``column`` (None when empty or refused); ``what`` names it in messages (扣分, 次数 …),
    ``example`` shows what to write (a count: a whole number)."""
    text = row.get(column)
    if not text:
        return None
    try:
        parsed = parse_number(text, allow_percent=allow_percent)
    except NumberError as exc:
        problems.error(row.at(column), f"{what}{exc}", f"填写阿拉伯数字，例如 {example}。")
        return None
    if parsed.fixups:
        problems.warning(
            row.at(column),
            f"{what}「{text}」已读作 {parsed.value}（{'，'.join(parsed.fixups)}）",
            f"直接写 {parsed.value}。",
        )
    if parsed.value < 0:
        problems.error(row.at(column), f"{what}为负数（{text}）", "扣分和次数都写正数，不带负号。")
        return None
    return parsed.value


@quick
@dataclass(frozen=True, slots=True)
class RowReading:
    """One row of ``entries`` for one rule, with what the checker already made of it."""

    row: Row
    problems: Problems
    rubric: Rubric
    #: The unit's type (its id).
    unit_type: str
    #: 指标 1 规则 a, for messages.
    where: str
    #: The item's points for the unit's type.
    points: Decimal
    #: The finding so far: item, rule, reason and place; a kind adds what it reads.
    finding: Finding
    #: The 扣分 cell as a number (None when empty).
    amount: Decimal | None

    @property
    def value(self) -> str:
        """The 情况 cell as written."""
        return self.row.get("value")

    @property
    def type_name(self) -> str:
        return next(t.name for t in self.rubric.unit_types if t.id == self.unit_type)

    def error(self, column: str, message: str, hint: str) -> None:
        self.problems.error(self.row.at(column), message, hint)

    def warning(self, column: str, message: str, hint: str) -> None:
        self.problems.warning(self.row.at(column), message, hint)

    def number(
        self, column: str, what: str, *, allow_percent: bool = False, example: str = "1 或 0.5"
    ) -> Decimal | None:
        return read_number(self.problems, self.row, column, what, allow_percent=allow_percent, example=example)

    def found(self, **facts: object) -> Finding:
        """The finding with what the kind read (``count``, ``elements``, ``rate``, ``amount``, ``yes``)."""
        f = self.finding  # as dataclasses.replace would, at a fraction of its cost (one call per row)
        read: dict[str, object] = {
            "node": f.node,
            "rule": f.rule,
            "count": f.count,
            "elements": f.elements,
            "rate": f.rate,
            "amount": f.amount,
            "yes": f.yes,
            "reason": f.reason,
            "loc": f.loc,
            **facts,
        }
        return Finding(**read)  # type: ignore[arg-type]

    def count(self, default: Decimal | None = None, whole: bool = True) -> Decimal | None:
        """The 情况 cell as a count (``default`` when empty); None after an error, or when empty without a default."""
        n = self.number("value", "情况（次数）", example="3" if whole else "1 或 0.5")
        if n is None and not self.value:
            n = default
        if n is not None and whole and n != n.to_integral_value():
            self.error("value", f"{self.where} 的次数应为整数，这里是 {self.value}", "填写整数次数。")
            return None
        return n

    def amount_matches(self, n: Decimal, per: Decimal) -> bool:
        """The 扣分 cell, where written, is ``n × per``; an error otherwise."""
        amount = self.amount
        if amount is not None and amount != n * per:
            self.error(
                "amount",
                f"{self.where}：{fmt(n)} × {fmt(per)} 分应扣 {fmt(n * per)} 分，但扣分写的是 {fmt(amount)} 分",
                "核对次数和扣分；扣分列可以不填，由程序计算。",
            )
            return False
        return True


def read_yes(row: RowReading, expected: Decimal) -> Finding | None:
    """A failing that is there or not (情况 empty or 是: there; 否: not); 扣分, where written, is ``expected``."""
    value = row.value
    yes = True if not value else yes_no(value)
    if yes is None:
        row.error(
            "value", f"{row.where} 的情况「{value}」无法识别", "留空或写「是」表示存在该问题；「否」表示没有问题。"
        )
        return None
    amount = row.amount
    if amount is not None and yes and amount != expected:
        row.error(
            "amount",
            f"{row.where} 固定扣 {fmt(expected)} 分，扣分写的是 {fmt(amount)} 分",
            "删去扣分列，或改为细则规定的分值。",
        )
        return None
    return row.found(yes=yes)


def read_occurrences(row: RowReading, per: Decimal, unit: str, *, default_one: bool) -> Decimal | None:
    """How many times (months, persons …) the 情况 cell says, or the 扣分 cell ÷ ``per`` when 情况 is empty;
    one when both are empty and ``default_one``. None after an error."""
    amount = row.amount
    n = row.count(default=Decimal(1) if default_one and amount is None else None)
    if n is None and row.value:
        return None  # the cell is not a count; already reported
    if n is None and amount is not None:
        n = amount / per
        if n != n.to_integral_value():
            row.error(
                "amount",
                f"{row.where} 每{unit}扣 {fmt(per)} 分，扣分 {fmt(amount)} 不是它的整数倍",
                "在“情况”列写次数，扣分列可不填。",
            )
            return None
    if n is None:
        row.error("value", f"{row.where} 须填写超期的{unit}数", f"在“情况”列写数字，例如 2（{unit}）。")
    return n
