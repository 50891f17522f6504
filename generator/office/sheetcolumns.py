"""The score sheet's fixed shape: the rows of a worksheet, its columns, the unit-level worksheets, and the
small conversions between cells and results text (:mod:`generator.office.sheetlayout` places the rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from generator.data.problems import Loc
from generator.data.tables import (
    BONUS,
    LETTERS,
    OBJECTIONS,
    PARTS,
    PENALTIES,
    RECOMMENDATIONS,
    RECTIFICATION,
    VETOES,
    Table,
)
from generator.engine.models import Rubric
from generator.engine.results import RawResults

IDENT_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
#: Labels in row 1 of every data worksheet (and in column A of 说明), each followed by its value.
LABEL_ID, LABEL_DIGEST, LABEL_SHEET = "考核代码", "细则校验码", "工作表"
README_SHEET, CODES_SHEET = "说明", "代码表"
SINGLE_SHEET, UNGROUPED_SHEET = "评分", "未分组"
#: Rows below the data of a unit-level worksheet that get the drop-down lists, for new records.
BLANK_ROWS = 200


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetColumn:
    """One column of a worksheet; ``key`` is the results column it fills (or a reference column's own key)."""

    key: str
    title: str
    width: int
    doc: str
    #: Left empty for the assessors (white); the others are pre-filled (grey).
    fill: bool = False
    wrap: bool = False
    #: Written as numbers when the text is a plain number (so that Excel can add them up).
    numeric: bool = False


MAIN_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("unit", "单位代码", 10, "单位名册中的单位代码。"),
    SheetColumn("unit_name", "单位名称", 22, "只供查看，导入时不读取。", wrap=True),
    SheetColumn("item", "指标编号", 10, "细则中的指标编号。"),
    SheetColumn("rule", "规则", 12, "指标有几条评分规则时的规则编号；只有一条规则时为空。"),
    SheetColumn("title", "考核项目", 22, "指标名称（末级指标前加上一级的名称）。只供查看。", wrap=True),
    SheetColumn("points", "分值", 7, "本项对这个单位的分值。只供查看。"),
    SheetColumn(
        "standard", "评分标准", 46, "细则的评分标准原文；细则没有评分标准的，为考核内容原文。只供查看。", wrap=True
    ),
    SheetColumn("method", "计分方法", 30, "这条规则怎样计分、怎样填。只供查看。", wrap=True),
    SheetColumn(
        "value",
        "情况",
        12,
        "规则需要的事实：完成次数、发生次数、超期月数、缺少的项、比率、是/否。",
        fill=True,
        wrap=True,
        numeric=True,
    ),
    SheetColumn(
        "amount",
        "扣分",
        8,
        "酌情扣分的分数；做到得分（可给部分分）时为得分。按次数计分的规则可不填，由程序计算。",
        fill=True,
        numeric=True,
    ),
    SheetColumn("reason", "扣分原因", 40, "写给被考核单位看的原因；有情况或扣分时必填。", fill=True, wrap=True),
    SheetColumn("self_score", "自查分", 8, "单位自查自评的本项得分，填在本单位本项的第一行。", fill=True, numeric=True),
    SheetColumn("assessor", "考核人", 12, "不发布。", fill=True),
    SheetColumn("note", "内部备注", 20, "只供考核办公室看，不发布。", fill=True, wrap=True),
)
MAIN_BY_KEY: Mapping[str, SheetColumn] = {c.key: c for c in MAIN_COLUMNS}
#: Main-sheet columns that make a row a finding (考核人 or 内部备注 alone do not).
FINDING_KEYS = ("value", "amount", "reason")
ENTRY_KEYS = ("unit", "item", "rule", "value", "amount", "reason", "assessor", "note")
#: The self_scores columns and the main-sheet columns they come from.
SELF_SCORE_KEYS: Mapping[str, str] = {"unit": "unit", "item": "item", "score": "self_score"}

_WIDTHS = {
    "unit": 10,
    "unit_name": 22,
    "part": 14,
    "score": 8,
    "bonus": 12,
    "level": 20,
    "count": 6,
    "amount": 8,
    "subject": 36,
    "evidence": 24,
    "confirmed": 6,
    "penalty": 12,
    "reason": 40,
    "removes_eligibility": 8,
    "veto": 10,
    "date": 12,
    "note": 20,
    # The year's records (letters, objections, rectification, votes): long texts wrap.
    **dict.fromkeys(("finding", "requirement", "answer", "objection", "review", "problem"), 30),
    **dict.fromkeys(("target", "measures", "progress", "late_reason", "decision_note"), 30),
}
_NUMERIC = {"score", "count", "amount"}
_WRAPPED = {"unit_name", "subject", "evidence", "reason", "note"} | {
    *("finding", "requirement", "answer", "objection", "review", "problem", "target", "measures", "progress")
}


@dataclass(frozen=True)
class UnitSheet:
    """A unit-level worksheet: the columns of one results table, with 单位名称 beside the code."""

    table: Table
    name: str
    columns: tuple[SheetColumn, ...]
    #: Columns that make a row a record (parts rows come with the unit and the part filled in).
    record_keys: tuple[str, ...]


def unit_sheet(table: Table, name: str) -> UnitSheet:
    prefilled = {"unit", "part"} if table is PARTS else {"unit"}
    columns: list[SheetColumn] = []
    for c in table.columns:
        columns.append(
            SheetColumn(
                c.name,
                c.title,
                _WIDTHS.get(c.name, 12),
                c.doc,
                c.name not in prefilled,
                c.name in _WRAPPED,
                c.name in _NUMERIC,
            )
        )
        if c.name == "unit":
            columns.append(MAIN_BY_KEY["unit_name"])
    return UnitSheet(table, name, tuple(columns), tuple(c.name for c in table.columns if c.name not in prefilled))


UNIT_TABLES: tuple[Table, ...] = (PARTS, BONUS, PENALTIES, VETOES)
#: The year's records that may travel in the score sheet, each with the column that tells its worksheet
#: (a title no other sheet uses: objections and rectification also have 指标编号, as the main sheet does).
YEAR_TABLES: Mapping[str, tuple[Table, str]] = {
    t.name: (t, mark)
    for t, mark in (
        (LETTERS, "finding"),
        (OBJECTIONS, "objection"),
        (RECTIFICATION, "measures"),
        (RECOMMENDATIONS, "voters"),
    )
}


def unit_sheets(rubric: Rubric, raw: RawResults | None = None) -> tuple[UnitSheet, ...]:
    """The unit-level worksheets this rubric needs, in a fixed order; then a worksheet for each of the year's
    tables the results already keep (letters, objections, rectification tasks, votes), so that they can be
    filled in Excel with the scores and imported back."""
    out = []
    entered = rubric.entered_parts
    if entered:
        out.append(unit_sheet(PARTS, entered[0].name if len(entered) == 1 else PARTS.title))
    if rubric.bonus is not None:
        out.append(unit_sheet(BONUS, BONUS.title))
    if rubric.penalties:
        out.append(unit_sheet(PENALTIES, PENALTIES.title))
    if rubric.vetoes is not None:
        out.append(unit_sheet(VETOES, VETOES.title))
    if raw is not None:
        out += [unit_sheet(t, t.title) for t, _mark in YEAR_TABLES.values() if getattr(raw, t.name)]
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Shared helpers: the rubric's check code, cell text, locations in a worksheet
# --------------------------------------------------------------------------------------------


def rubric_digest(rubric: Rubric) -> str:
    """A check code of the rubric's content (not its comments or layout): the models' text, hashed.

    Never all digits, so that a spreadsheet does not read it as a number.
    """
    return "sha256-" + hashlib.sha256(repr(rubric).encode("utf-8")).hexdigest()[:16]


def norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


_PLAIN_NUMBER = re.compile(r"^(0|[1-9]\d{0,14})(\.\d*[1-9])?$")


def number_text(value: float) -> str:
    """A float as a spreadsheet shows it (15 significant digits, no exponent, no trailing zeros)."""
    text = format(Decimal(format(value, ".15g")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cell_number(text: str) -> int | float | None:
    """The number to write for ``text`` when it is a plain number that reads back as the same text."""
    if not _PLAIN_NUMBER.match(text):
        return None
    if "." not in text:
        return int(text)
    value = float(text)
    return value if number_text(value) == text else None


def cell_text(value: Any) -> str:
    """A cell's value as the text a results CSV holds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class CellLoc(Loc):
    """A place in a worksheet: ``file`` names the worksheet (工作表「第一组」), ``line`` the row, ``column`` the
    column."""

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}第 {self.line} 行 {get_column_letter(self.column)} 列"
        if self.line:
            return f"{self.file}第 {self.line} 行"
        return self.file


def sheet_label(name: str) -> str:
    return f"工作表「{name}」"
