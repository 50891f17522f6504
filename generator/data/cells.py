"""Reading the cells of the year's tables (dates, whole numbers, yes/no, names from a list), with located messages.

Shared by :mod:`generator.data.claims`, :mod:`generator.data.letters`, :mod:`generator.data.objections`,
:mod:`generator.data.rectification` and :mod:`generator.data.recommendations`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TypeVar

from generator.data.problems import Problems
from generator.engine.exact import NumberError, parse_number
from generator.engine.results import Row
from generator.engine.rules.cells import NO, YES, norm

K = TypeVar("K", bound=str)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$")


def date_text(d: datetime.date | None) -> str:
    """2021年2月5日 (as pages write dates; '' for None)."""
    return f"{d.year}年{d.month}月{d.day}日" if d is not None else ""


def parse_date(text: str) -> datetime.date | None:
    """``2021-02-05``, ``2021/2/5``, ``2021.2.5``, ``2021年2月5日``; None when it is not a date."""
    m = _DATE.match(norm(text))
    if m is None:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


class Cells:
    """One table's rows read cell by cell; every problem goes to ``problems`` at its cell."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def error(self, row: Row, column: str, message: str, hint: str) -> None:
        self.problems.error(row.at(column), message, hint)

    def required(self, row: Row, column: str, title: str, hint: str = "") -> str | None:
        text = row.get(column)
        if not text:
            self.error(row, column, f"{title}为空", hint or f"填写{title}。")
            return None
        return text

    def date(self, row: Row, column: str, title: str, *, required: bool = False) -> datetime.date | None:
        """The cell as a date; None when blank (an error when ``required``) or not a date (an error)."""
        text = row.get(column)
        if not text:
            if required:
                self.error(row, column, f"{title}为空", "填写日期，例如 2021-02-05。")
            return None
        found = parse_date(text)
        if found is None:
            self.error(row, column, f"{title}「{text}」不是日期", "写作 2021-02-05 或 2021年2月5日。")
        return found

    def _parsed(self, row: Row, column: str, title: str, fix: str) -> tuple[str, Decimal] | None:
        """The cell's text and its number; None when blank or not a number (with an error saying ``fix``)."""
        text = row.get(column)
        if not text:
            return None
        try:
            return text, parse_number(text).value
        except NumberError as exc:
            self.error(row, column, f"{title}{exc}", fix)
            return None

    def whole(self, row: Row, column: str, title: str) -> int | None:
        """A whole number ≥ 0 (votes, a year); None when blank or refused (with an error)."""
        parsed = self._parsed(row, column, title, "填写整数，例如 12。")
        if parsed is None:
            return None
        text, value = parsed
        if value < 0 or value != value.to_integral_value():
            self.error(row, column, f"{title}应为不小于 0 的整数，这里是「{text}」", "填写整数，例如 12。")
            return None
        return int(value)

    def number(self, row: Row, column: str, title: str) -> Decimal | None:
        parsed = self._parsed(row, column, title, "填写阿拉伯数字，例如 1.5。")
        if parsed is None:
            return None
        text, value = parsed
        if value < 0:
            self.error(row, column, f"{title}为负数（{text}）", "写正数，不带负号。")
            return None
        return value

    def yes_no(self, row: Row, column: str, title: str) -> bool | None:
        text = row.get(column)
        if not text:
            return None
        word = norm(text).lower()
        if word in YES:
            return True
        if word in NO:
            return False
        self.error(row, column, f"{title}「{text}」无法识别", "写「是」或「否」。")
        return None

    def choice(self, row: Row, column: str, title: str, words: Mapping[str, K], default: K) -> K | None:
        """The key of ``words`` (written word → key) the cell says; ``default`` when blank; None (an error) else."""
        text = row.get(column)
        if not text:
            return default
        key = words.get(norm(text))
        if key is None:
            shown = "、".join(dict.fromkeys(w for w in words if not w.isascii()))
            self.error(row, column, f"{title}「{text}」无法识别", f"写{shown}之一。")
        return key


def one_of(text: str, names: Iterable[str]) -> str | None:
    """The name in ``names`` that ``text`` is (read the same way, or its number 1, 2 … in the list)."""
    listed = list(names)
    wanted = norm(text)
    for name in listed:
        if norm(name) == wanted:
            return name
    if wanted.isdigit() and 1 <= int(wanted) <= len(listed):
        return listed[int(wanted) - 1]
    return None
