"""What a cell of the score sheet may hold: the data validation Excel applies, and its messages.

Each rule kind says what its 情况 and 扣分 cells may hold (``value_check``, ``amount_check``);
:mod:`generator.office.sheetbook` writes the checks into the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.engine.exact import ZERO, fmt

#: A drop-down list of 是 and 否.
YES_NO = '"是,否"'


@dataclass(frozen=True)
class CellCheck:
    """A data validation: its kind, bounds and the messages Excel shows."""

    kind: str | None
    operator: str | None = None
    low: str | None = None
    high: str | None = None
    title: str = ""
    prompt: str = ""
    error: str = ""


def sheet_number(value: Decimal | None) -> str:
    """A number as the sheet writes it in a rule's words and a check's bounds ('' for None)."""
    return fmt(value, 6) if value is not None else ""


def between(low: Decimal, high: Decimal, title: str, prompt: str, error: str, kind: str = "decimal") -> CellCheck:
    return CellCheck(kind, "between", sheet_number(low), sheet_number(high), title, prompt, error)


def whole_count(what: str) -> CellCheck:
    """情况 holds a count of ``what`` (超期的个月数, 发生的次数 …) from which the program computes the deduction."""
    return CellCheck(
        "whole",
        "greaterThanOrEqual",
        "0",
        None,
        "情况：次数",
        f"填写{what}，程序计算扣分；扣分列可不填。",
        "填写整数。",
    )


def yes_or_no(prompt: str) -> CellCheck:
    """情况 holds 是 or 否."""
    return CellCheck("list", None, YES_NO, None, "情况：是/否", prompt, "填「是」或「否」。")


def computed_amount(points: Decimal) -> CellCheck:
    """扣分 may be left to the program; written, it must be what the count comes to."""
    return between(
        ZERO,
        points,
        "扣分",
        "可不填，由程序按情况计算；填写时须等于次数乘每次扣的分。",
        f"扣分应在 0～{sheet_number(points)} 分之间。",
    )


def fixed_amount(deduct: Decimal, prompt: str, error: str) -> CellCheck:
    """扣分 is one amount the rule sets."""
    return between(deduct, deduct, "扣分", prompt, error)


def left_empty(prompt: str, error: str, title: str = "扣分") -> CellCheck:
    """A cell that stays empty for this rule."""
    return CellCheck("textLength", "equal", "0", None, title, prompt, error)
