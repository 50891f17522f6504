"""How the score sheet's worksheets look and print: borders, fills, wrapped rows tall enough for their text,
headers, A4 page setup, and data validations applied as compact ranges.

Shared by :mod:`generator.office.sheetbook`, which decides what goes in each cell.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from generator.data.formulas import CONTROL_CHARACTERS
from generator.engine.rules.sheet import CellCheck as Check
from generator.office.sheetcolumns import (
    HEADER_ROW,
    IDENT_ROW,
    LABEL_DIGEST,
    LABEL_ID,
    LABEL_SHEET,
    SheetColumn,
    cell_number,
)
from generator.office.sheetlayout import Layout

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNIT_BORDER = Border(left=THIN, right=THIN, top=Side(style="medium", color="404040"), bottom=THIN)
GIVEN = PatternFill("solid", fgColor="F2F2F2")
HEAD = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
TOP = Alignment(vertical="top")
WRAP = Alignment(vertical="top", wrap_text=True)
HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
LINE_HEIGHT = 15.0


@functools.lru_cache(maxsize=8192)
def line_count(text: str, width: int) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide (CJK counts twice)."""
    total = 0
    for part in text.split("\n"):
        w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        total += max(1, math.ceil(w / max(1, width - 1)))
    return total


def put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub("", value)
        cell.value = value
        if value.startswith("="):
            cell.data_type = "s"  # text, never a formula
    else:
        cell.value = value
    return cell


def write_row(ws: Any, r: int, columns: Sequence[SheetColumn], values: Sequence[Any], border: Any) -> None:
    """One worksheet row, a value per column: bordered, wrapped where the column wraps, grey where it is
    given (not filled in), and tall enough for its longest wrapped text."""
    height = 1
    for c, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = put(ws, r, c, value)
        cell.border = border
        cell.alignment = WRAP if column.wrap else TOP
        if not column.fill:
            cell.fill = GIVEN
        if column.wrap and isinstance(value, str) and value:
            height = max(height, line_count(value, column.width))
    if height > 1:
        ws.row_dimensions[r].height = min(409.0, height * LINE_HEIGHT)


def as_cell(text: str, numeric: bool) -> Any:
    if numeric:
        number = cell_number(text)
        if number is not None:
            return number
    return text


def decimal_cell(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def ident_row(ws: Any, layout: Layout, name: str) -> None:
    for col, value in enumerate(
        (LABEL_ID, layout.rubric.id, LABEL_DIGEST, layout.digest, LABEL_SHEET, name, f"{layout.rubric.title} 评分表"),
        start=1,
    ):
        cell = put(ws, IDENT_ROW, col, value)
        if col % 2:
            cell.font = BOLD


def header(ws: Any, columns: Sequence[SheetColumn]) -> None:
    for col, column in enumerate(columns, start=1):
        cell = put(ws, HEADER_ROW, col, column.title)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEAD, HEAD_ALIGN, BORDER
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 30


def print_setup(ws: Any, title: str, orientation: str) -> None:
    """A4, as wide as the page, headed with the title and the sheet's name, numbered pages."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddHeader.center.text = (title.replace("&", "&&") + " &A")[:200]
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def page_setup(ws: Any, title: str, last_column: int, last_row: int, freeze: str, *, filtered: bool = True) -> None:
    """A table worksheet: frozen headings, a filter on the header row (unless not ``filtered``), the
    header row repeated on every printed page, landscape."""
    ws.freeze_panes = freeze
    if filtered:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(last_column)}{max(last_row, HEADER_ROW)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    print_setup(ws, title, "landscape")


class Validations:
    """Data validations collected by signature, each applied to all its cells as compact ranges."""

    def __init__(self) -> None:
        self.cells: dict[Check, dict[int, list[int]]] = {}

    def add(self, check: Check, column: int, row: int) -> None:
        self.cells.setdefault(check, {}).setdefault(column, []).append(row)

    def add_range(self, check: Check, column: int, first: int, last: int) -> None:
        self.cells.setdefault(check, {}).setdefault(column, []).extend(range(first, last + 1))

    def apply(self, ws: Any) -> None:
        for check, columns in self.cells.items():
            dv = DataValidation(
                type=check.kind,
                operator=check.operator,
                formula1=check.low,
                formula2=check.high,
                allow_blank=True,
                showInputMessage=True,
                showErrorMessage=check.kind is not None,
                promptTitle=check.title[:32] or None,
                prompt=check.prompt[:255] or None,
                errorTitle=(check.title[:32] or None) if check.error else None,
                error=check.error[:255] or None,
            )
            ranges = []
            for column, rows in columns.items():
                letter = get_column_letter(column)
                for start, end in _runs(sorted(set(rows))):
                    ranges.append(f"{letter}{start}" if start == end else f"{letter}{start}:{letter}{end}")
            dv.sqref = " ".join(ranges)
            ws.add_data_validation(dv)


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    start = prev = rows[0]
    for r in rows[1:]:
        if r != prev + 1:
            yield start, prev
            start = r
        prev = r
    yield start, prev
