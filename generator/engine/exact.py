"""Exact numbers: parsing what clerks type, the one rounding rule, and formatting for people.

Scores are :class:`decimal.Decimal` from the moment they are read (never a float: 0.2 × 12 is 2.4).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation

from generator.engine.quick import quick

ZERO = Decimal(0)
HUNDRED = Decimal(100)

#: The rounding modes a rubric may choose (``rounding.mode``). Half-up is what offices use.
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}
#: The modes as the standards page names them.
ROUNDING_WORDS = {"half_up": "四舍五入", "half_even": "四舍六入五成双"}

# Units clerks write after a number: 1.5分, 3次, 2人次, 6个月, 12篇.
_UNIT_SUFFIX = re.compile(r"(分|次|人次|人|个月|月|篇|项|个|起|期|小时)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
#: Whole-number digits a score, count or rate may have: far above any real one, far below Decimal's limits.
MAX_DIGITS = 9
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class NumberError(ValueError):
    """The text is not a number; ``str(error)`` says why, in words for a clerk."""


@quick
@dataclass(frozen=True, slots=True)
class Parsed:
    value: Decimal
    #: What was fixed up on the way (full-width digits, a unit suffix, thousands separators).
    fixups: tuple[str, ...] = ()
    is_percent: bool = False


@functools.lru_cache(maxsize=16384)
def parse_number(text: str, *, allow_percent: bool = False) -> Parsed:
    """Read a number as a clerk may have typed it.

    Cached: results hold the same few numbers (1, 0.5, 2 …) in hundreds of thousands of cells; each is read
    once, and the cells share one :class:`Decimal` (a refused text raises again each time it is read).

    Accepted with a fix-up noted: full-width digits and point (``１．５``), a trailing unit
    (``1.5分``), thousands separators (``1,000``). ``%`` only where ``allow_percent``.
    Refused: empty text, words (``三分``), ``NaN``/``inf``, anything else.
    """
    fixups: list[str] = []
    raw = text.strip()
    if not raw:
        raise NumberError("为空")
    normal = unicodedata.normalize("NFKC", raw).replace("。", ".").strip()
    if normal != raw:
        fixups.append("全角字符已按半角读取")
    is_percent = False
    if normal.endswith("%"):
        if not allow_percent:
            raise NumberError(f"「{raw}」带百分号，这里应填写分值或次数")
        normal = normal[:-1].strip()
        is_percent = True
    match = _UNIT_SUFFIX.search(normal)
    if match and not is_percent:
        normal = normal[: match.start()].strip()
        fixups.append(f"已去掉单位「{match.group(1)}」")
    if _THOUSANDS.match(normal):
        normal = normal.replace(",", "")
        fixups.append("已去掉千位分隔符")
    if not _PLAIN.match(normal):
        raise NumberError(f"「{raw}」不是数字")
    if len(normal.lstrip("+-").split(".")[0].lstrip("0")) > MAX_DIGITS:
        raise NumberError(f"「{raw}」太大，不像分值或次数")
    try:
        value = Decimal(normal)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only valid text
        raise NumberError(f"「{raw}」不是数字") from exc
    if is_percent:
        value = value / HUNDRED
    return Parsed(value, tuple(fixups), is_percent)


class SharedDecimals:
    """One :class:`Decimal` object per value as written, for results that keep millions of them (a unit's
    points lost and score on every item it lost on; each object is about 100 bytes). 1 and 1.0 stay apart:
    equal as numbers, they are shown differently."""

    __slots__ = ("_by_text", "keep")

    def __init__(self) -> None:
        self._by_text: dict[str, Decimal] = {}
        #: ``keep(str(value), value)``: the same as calling this, without a call of Python code (for hot loops).
        self.keep = self._by_text.setdefault

    def __call__(self, value: Decimal) -> Decimal:
        return self._by_text.setdefault(str(value), value)

    def __len__(self) -> int:
        return len(self._by_text)

    def clear(self) -> None:
        self._by_text.clear()


def quantize(value: Decimal, decimals: int = 2, mode: str = "half_up") -> Decimal:
    """The one rounding rule: round to ``decimals`` places with the rubric's mode.

    Applied where the arithmetic itself can make more places than the data had: scaling and
    weighting of parts, and the total once bonus and penalties are added (a penalty given with more
    places than the rubric keeps). Sums of item deductions never need it.
    """
    exponent = _EXPONENTS.get(decimals)
    if exponent is None:
        exponent = _EXPONENTS[decimals] = Decimal(1).scaleb(-decimals)
    return value.quantize(exponent, rounding=ROUNDING_MODES[mode])


#: 10 ** -decimals for each number of places asked for, made once (quantize runs for every unit's parts).
_EXPONENTS: dict[int, Decimal] = {}


@functools.lru_cache(maxsize=65536)
def fmt(value: Decimal | None, decimals: int = 2) -> str:
    """Points for people: at most ``decimals`` places, no trailing zeros (96.40 → 96.4, 3.00 → 3).

    Cached: a site shows the same few values (0.5, 1, 2 …) hundreds of thousands of times.
    """
    if value is None:
        return ""
    rounded = quantize(value, decimals)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def fmt_percent(value: Decimal) -> str:
    """A fraction as a percentage: 0.8 → 80%, 0.755 → 75.5%."""
    return fmt(value * HUNDRED) + "%"
