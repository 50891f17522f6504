"""Workbooks an office computes with: numbers stored as numbers, number formats, a frozen header, filters.

- the assessment's results (``downloads/<id>-results.xlsx``): every unit on the first sheet, the same
  columns as the CSV download; then a sheet per ranking pool or liaison group, ranked; then the group
  statistics (units, average, highest and lowest total, how many of each grade), made with pandas;
- a unit's workbook beside its page (``units/<unit>.xlsx``): its items, deductions and reasons, bonus claims
  and special deductions with their stages, rectification tasks, letters;
- the office's year (``downloads/<id>-year.xlsx``): consequences, rectification tasks, letters, objections.

pandas builds and groups the tables; XlsxWriter writes them cell by cell, numbers as numbers (a SUM over a
column is the total) with a format of as many places as the column needs. Text a spreadsheet would run as a
formula is prefixed with ``'``; nothing is ever written as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from generator.data.formulas import FORMULA_START, neutralise

#: The date stamped into XLSX files, so that a rebuild of the same data is byte-identical.
FIXED_TIME = datetime(2000, 1, 1)
#: openpyxl stamps the save time into the document properties whatever ``modified`` was set to.
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with every entry dated FIXED_TIME, in the same order, and FIXED_TIME as its modified date."""
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            dst.writestr(entry, content)
    return out.getvalue()


#: Characters a worksheet's name may not hold, and its longest name.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31


def sheet_name(text: str, taken: set[str]) -> str:
    """A worksheet name from data: forbidden characters replaced, at most 31 characters, unique in the book."""
    base = _SHEET_NAME.sub("-", text).strip("'") or "表"
    name = base[:MAX_SHEET_NAME]
    n = 2
    while name.casefold() in taken:
        suffix = f"（{n}）"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    taken.add(name.casefold())
    return name


def decimals_of(values: Iterable[Any]) -> int:
    """The most decimal places any number in ``values`` has (0–4): the column's number format follows it."""
    places = 0
    for v in values:
        if type(v) is Decimal and v.is_finite():
            exponent = v.as_tuple().exponent
            if isinstance(exponent, int) and exponent < 0 and -exponent > places:
                exponent = v.normalize().as_tuple().exponent
                if isinstance(exponent, int):
                    places = max(places, -exponent)
    return min(places, 4)


Cell = Any


def _text(value: str) -> str:
    """:func:`neutralise`, quicker for the usual text: printable (no control character) and not formula-like."""
    return value if value.isprintable() and not value.startswith(FORMULA_START) else neutralise(value)


def _is_number(value: Any) -> bool:
    """A cell written as a number: a Decimal, int or float that is not NaN (pandas' missing value); not a bool."""
    kind = type(value)
    if kind is Decimal or kind is float:
        return bool(value == value)
    return kind is int or (isinstance(value, (Decimal, int, float)) and not isinstance(value, bool) and value == value)


def workbook_bytes(
    sheets: Sequence[tuple[str, pd.DataFrame]],
    note: str = "",
    wrap: Sequence[str] = (),
    spill: Path | None = None,
    dates: Sequence[str] = (),
) -> bytes:
    """A workbook of ``(name, frame)`` sheets; ``note`` (sample data) fills each sheet's first row."""
    return sheets_bytes(
        # One sheet's rows at a time: a sheet's are let go once it is written.
        (
            (name, [str(c) for c in frame.columns], list(frame.itertuples(index=False, name=None)))
            for name, frame in sheets
        ),
        note,
        wrap,
        spill,
        dates,
    )


#: XlsxWriter's options: text is never read as a number, formula or link; nothing is written to temporary files.
_OPTIONS = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
#: For a workbook of many rows: each row goes to a temporary file as soon as the next one starts, so memory
#: stays flat (the results workbook of 100,000 units would otherwise hold millions of cells).
_MANY_ROWS = {**_OPTIONS, "in_memory": False, "constant_memory": True}


def sheets_bytes(
    sheets: Iterable[tuple[str, Sequence[str], Sequence[Sequence[Cell]]]],
    note: str = "",
    wrap: Sequence[str] = (),
    spill: Path | None = None,
    dates: Sequence[str] = (),
) -> bytes:
    """A workbook of ``(name, header, rows)`` sheets, written row by row with XlsxWriter. With ``spill``, a
    folder, its rows go to temporary files there as it is made (for many rows: memory stays flat). In the
    columns named in ``dates``, a date as the pages write it (2021年2月5日) is a date a spreadsheet sorts and
    filters by, shown the same way.

    Byte-identical from one build to the next: XlsxWriter dates the zip's entries in 1980 (the 1st of January
    in memory, the 31st with ``spill``), and the document's dates are FIXED_TIME."""
    raw = io.BytesIO()
    book = xlsxwriter.Workbook(raw, _OPTIONS if spill is None else {**_MANY_ROWS, "tmpdir": str(spill)})
    book.set_properties({"author": "kaoping", "created": FIXED_TIME})
    styles = _Styles(book)
    taken: set[str] = set()
    top = 1 if note else 0
    for title, header, rows in sheets:
        ws = book.add_worksheet(sheet_name(title, taken))
        if note:
            ws.write_string(0, 0, note, styles.note)
        ws.write_row(top, 0, [neutralise(h) for h in header], styles.bold)
        columns = [[row[c] if c < len(row) else None for row in rows] for c in range(len(header))]
        count, rows = len(rows), ()  # the columns hold the cells now
        kinds = [_column(ws, styles, c, name, columns[c], name in wrap, name in dates) for c, name in enumerate(header)]
        _write_rows(ws, columns, kinds, top + 1)
        ws.freeze_panes(top + 1, 2 if len(header) > 2 else 0)
        ws.autofilter(top, 0, top + max(count, 1), max(len(header), 1) - 1)
    book.close()
    return raw.getvalue()


class _Styles:
    def __init__(self, book: Any) -> None:
        self.book = book
        self.bold = book.add_format({"bold": True})
        self.wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        self.note = book.add_format({"bold": True, "font_color": "#BF360C"})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.numbers: dict[int, Any] = {}

    def number(self, places: int) -> Any:
        if places not in self.numbers:
            self.numbers[places] = self.book.add_format({"num_format": "0" if places == 0 else "0." + "0" * places})
        return self.numbers[places]


#: How a date cell shows: as the pages write dates (2021年2月5日), in Excel, WPS and LibreOffice alike.
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
#: A date as :func:`generator.data.cells.date_text` writes it.
#: The first day a spreadsheet date shows the same in Excel, WPS and LibreOffice.
_FIRST_DATE = date(1900, 3, 1)
_DATE_TEXT = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _date_of(value: Cell) -> date | None:
    """The date a cell's text writes the pages' way, else None (any other text stays text)."""
    m = _DATE_TEXT.fullmatch(value) if type(value) is str else None
    if m is None:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    # A spreadsheet counts days from 1900 (and takes 1900 for a leap year): an earlier date (a typo such as
    # 1017年) would show as ##### or a day off; it stays text, as the page writes it.
    return day if day >= _FIRST_DATE else None


def _column(
    ws: Any, styles: _Styles, c: int, name: str, column: Sequence[Cell], wrap: bool, dates: bool = False
) -> tuple[list[bool | date], Any]:
    """One column's layout: a width that fits (or wrapped text), and which cells are numbers, in the format the
    column needs, or dates (in a column of ``dates``)."""
    numbers: list[bool | date] = [_is_number(v) for v in column]
    number = styles.number(decimals_of(v for v, n in zip(column, numbers, strict=True) if n))
    if dates:
        numbers = [_date_of(v) or n for v, n in zip(column, numbers, strict=True)]
        if any(type(n) is date for n in numbers):
            number = styles.date
    if wrap:
        ws.set_column(c, c, 50, styles.wrapped)
    else:
        widest = max([len(name)] + [len(str(v)) for v in column[:200] if v is not None])
        ws.set_column(c, c, min(60, max(8, widest * 2 + 2)))
    return numbers, number


def _write_rows(
    ws: Any, columns: Sequence[Sequence[Cell]], kinds: Sequence[tuple[list[bool | date], Any]], first: int
) -> None:
    """The cells, row after row: numbers as numbers, dates as dates, text neutralised, nothing for an empty
    cell."""
    write_number, write_string = ws.write_number, ws.write_string
    for i in range(len(columns[0]) if columns else 0):
        r = first + i
        for c, column in enumerate(columns):
            value = column[i]
            numbers, number = kinds[c]
            kind = numbers[i]
            if kind is True:
                write_number(r, c, float(value), number)
            elif kind:
                ws.write_datetime(r, c, datetime.combine(kind, datetime.min.time()), number)
            elif value is not None and value != "" and value == value:
                write_string(r, c, _text(value if type(value) is str else str(value)))


def numbers(row: Mapping[str, Any], columns: Iterable[str], made: dict[str, Decimal] | None = None) -> dict[str, Any]:
    """``row`` with the text of ``columns`` turned back into exact numbers (the CSV's text is Decimal's own).
    ``made``: the numbers already made from the same text, shared (a results table of 100,000 units holds a
    million numbers, most of them a few hundred values)."""
    out = dict(row)
    made = {} if made is None else made
    for c in columns:
        value = out.get(c)
        if isinstance(value, str) and value:
            number = made.get(value)
            if number is None:
                try:
                    number = made[value] = Decimal(value)
                except ArithmeticError:
                    continue
            out[c] = number
    return out
