"""Reading a workbook (``.xlsx``) for ``kaoping import``: its sizes and long text checked in the zip first,
then read with openpyxl row by row (:mod:`generator.office.sheetread` says why).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from generator.data.problems import Loc, Problems
from generator.office.sheetcolumns import CellLoc, cell_text, sheet_label
from generator.office.sheetsource import (
    EXCEL_ROWS,
    HEAD_ROWS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_UNPACKED_BYTES,
    TOO_LONG_HINT,
    Source,
    SourceSheet,
    too_many_rows,
)

#: XML text with no tag in it longer than this holds more than MAX_CELL_CHARS characters (a character
#: takes at most 10 bytes, as a character reference like ``&#x10FFFF;``).
_MAX_RUN = MAX_CELL_CHARS * 10 + 64
_CHUNK = 1 << 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3}[0-9]{1,7})"')



# --------------------------------------------------------------------------------------------
# Workbooks: sizes and long text checked in the zip first, then read with openpyxl, row by row
# --------------------------------------------------------------------------------------------


class _Workbook(Source):
    def __init__(self, source: Path, book: Any, archive: zipfile.ZipFile) -> None:
        self.source, self.book, self.archive = source, book, archive
        for ws in book.worksheets:
            ws.reset_dimensions()  # the <dimension> element may understate the range: read what is there

    def heads(self, problems: Problems) -> list[SourceSheet] | None:
        try:
            return [
                SourceSheet(ws.title, sheet_label(ws.title), self._rows(ws, HEAD_ROWS)) for ws in self.book.worksheets
            ]
        except (
            Exception
        ) as exc:  # a damaged worksheet inside a readable zip: openpyxl and the XML parser raise many kinds
            self._damaged(exc, problems)
            return None

    def _damaged(self, exc: Exception, problems: Problems) -> None:
        problems.error(
            Loc(self.source.name),
            f"无法读取这个工作簿中的工作表（{type(exc).__name__}）",
            "在 Excel 或 WPS 中打开，确认能打开后重新保存为 .xlsx。",
        )

    def read(self, limit: int, problems: Problems) -> list[SourceSheet] | None:
        sheets: list[SourceSheet] = []
        uncalculated: list[CellLoc] = []
        for ws in self.book.worksheets:
            where = sheet_label(ws.title)
            try:
                rows = self._bounded_rows(ws, where, limit, problems)
                if rows is None:
                    return []
                member = getattr(ws, "_worksheet_path", None)  # openpyxl's read-only sheets know their XML part
                if member:
                    uncalculated += [
                        CellLoc(where, r, c) for r, c in uncalculated_formulas(self.archive, member, limit)
                    ]
            except (
                Exception
            ) as exc:  # a damaged worksheet inside a readable zip: openpyxl and the XML parser raise many kinds
                self._damaged(exc, problems)
                return None
            sheets.append(SourceSheet(ws.title, where, rows))
        for loc in uncalculated:
            problems.error(
                loc,
                "这个单元格是公式，但文件里没有保存公式的计算结果，读出来是空的",
                "在 Excel 或 WPS 中打开这个文件并保存（保存时会算出结果）后再导入，或把公式改成数值。",
            )
        return sheets

    def close(self) -> None:
        self.book.close()
        self.archive.close()

    @staticmethod
    def _rows(ws: Any, count: int) -> list[list[str]]:
        return [_texts(values)[0] for values in itertools.islice(ws.iter_rows(values_only=True), count)]

    @staticmethod
    def _bounded_rows(ws: Any, where: str, limit: int, problems: Problems) -> list[list[str]] | None:
        rows: list[list[str]] = []
        blank = 0  # empty rows not yet kept: only those before a row with content are
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells, beyond = _texts(values)
            if beyond:
                problems.error(
                    CellLoc(where, r, beyond),
                    f"第 {get_column_letter(beyond)} 列有内容，评分表用不到这么多列（最多 {MAX_COLUMNS} 列）",
                    "核对这张工作表：可能粘贴进了别的表格。删去多余的列后再导入。",
                )
                return None
            if not cells:
                blank += 1
                if r > EXCEL_ROWS:
                    too_many_rows(problems, where, r, limit)
                    return None
                continue
            if r > limit:
                too_many_rows(problems, where, r, limit)
                return None
            long = next((c for c, text in enumerate(cells, start=1) if len(text) > MAX_CELL_CHARS), None)
            if long is not None:
                problems.error(
                    CellLoc(where, r, long), f"这一格有 {len(cells[long - 1]):,} 个字符，太长", TOO_LONG_HINT
                )
                return None
            rows.extend([] for _ in range(blank))
            blank = 0
            rows.append(cells)
        return rows


def _texts(values: Sequence[Any]) -> tuple[list[str], int]:
    """A row's cells as text up to its last non-empty one (within MAX_COLUMNS), and the column of a
    non-empty cell beyond MAX_COLUMNS (0 when none)."""
    last = 0
    for c in range(len(values), 0, -1):
        if values[c - 1] is not None and cell_text(values[c - 1]) != "":
            last = c
            break
    if last > MAX_COLUMNS:
        return [], last
    return [cell_text(v) for v in values[:last]], 0


def open_workbook(source: Path, data: bytes, problems: Problems) -> Source | None:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(
            io.BytesIO(data)
        )  # the worksheets' XML: sizes, long text, formulas saved without a value
        if not _parts_within_bounds(archive, source, problems):
            archive.close()
            return None
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or workbook: openpyxl raises many kinds
        problems.error(
            Loc(source.name),
            f"无法读取这个工作簿（{type(exc).__name__}）",
            "在 Excel 或 WPS 中打开，确认能打开后重新保存为 .xlsx。",
        )
        return None
    return _Workbook(source, book, archive)


def _parts_within_bounds(archive: zipfile.ZipFile, source: Path, problems: Problems) -> bool:
    """The sizes the zip declares (Python never unpacks more than that), then every XML part scanned for
    text longer than a cell may hold, worksheets before the shared strings (a cell found in the shared
    strings is then looked for in the worksheets, which are known to be safe to parse)."""
    infos = archive.infolist()
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        problems.error(
            Loc(source.name),
            f"工作簿解压后有 {unpacked / 1048576:,.0f} MB（上限 {MAX_UNPACKED_BYTES // 1048576} MB），不像是评分表",
            "导入 kaoping sheet 生成、填好的评分表；单位很多时，可按联络组分成几个文件分别导入。",
        )
        return False
    xml = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
    sheets = sorted((i for i in xml if i.filename.startswith("xl/worksheets/")), key=lambda i: i.filename)
    strings = [i for i in xml if i.filename.endswith("sharedStrings.xml")]
    others = [i for i in xml if i not in sheets and i not in strings]
    for info in [*others, *sheets, *strings]:
        with archive.open(info) as stream:
            hit = _long_text(stream, counting=info in strings)
        if hit is None:
            continue
        what, loc = _where(archive, info, hit, sheets, strings, source)
        problems.error(loc, f"{what}超过 {MAX_CELL_CHARS:,} 个字符；工作簿没有读取", TOO_LONG_HINT)
        return False
    return True


@dataclass(frozen=True)
class _Hit:
    """Where a too-long text starts: the last cell reference before it, or the shared string's number."""

    ref: str
    string: int


def _long_text(stream: IO[bytes], *, counting: bool) -> _Hit | None:
    """The first run of more than _MAX_RUN bytes with no ``<`` in it (the text of one element).

    Read in chunks at the speed of ``bytes.split``; only the bytes just before a run are kept, to say
    where it is. With ``counting``, shared strings (``<si>``) are counted to number the one it is in.
    """
    run = 0
    before = b""  # the bytes just before the current run: its cell reference is there
    strings = 0
    tail = b""
    while chunk := stream.read(_CHUNK):
        pieces = chunk.split(b"<")
        if len(pieces) == 1:
            run += len(chunk)
            if run > _MAX_RUN:
                return _Hit(_last_ref(before), strings - 1)
            continue
        if run + len(pieces[0]) > _MAX_RUN:
            return _Hit(_last_ref(before), strings - 1)
        longest = max(range(1, len(pieces)), key=lambda i: len(pieces[i]))
        if len(pieces[longest]) > _MAX_RUN:
            start = sum(len(p) + 1 for p in pieces[:longest])
            head = tail[-3:] + chunk[:start]
            return _Hit(
                _last_ref((tail + chunk[:start])[-4096:]), strings + _count_strings(head) - 1 if counting else -1
            )
        if counting:
            strings += _count_strings(tail[-3:] + chunk)
        run = len(pieces[-1])
        before = (tail + chunk[: len(chunk) - run])[-4096:]
        tail = chunk[-4096:]
    return None


def _count_strings(data: bytes) -> int:
    return data.count(b"<si>") + data.count(b"<si ")


def _last_ref(data: bytes) -> str:
    found = _CELL_REF.findall(data)
    return found[-1].decode() if found else ""


def _where(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    hit: _Hit,
    sheets: list[zipfile.ZipInfo],
    strings: list[zipfile.ZipInfo],
    source: Path,
) -> tuple[str, Loc]:
    """What is too long, and where: a worksheet's cell when it can be told."""
    names = _sheet_names(archive)
    if info in strings and hit.string >= 0:
        found = _cell_with_string(archive, sheets, hit.string)
        if found is not None:
            member, ref = found
            return "这一格的文字", _cell_loc(sheet_label(names.get(member, member)), ref)
        return f"共享字符串中的第 {hit.string + 1} 个", Loc(source.name)
    if info in sheets:
        where = sheet_label(names.get(info.filename, info.filename))
        return ("这一格的文字", _cell_loc(where, hit.ref)) if hit.ref else ("其中有一段文字", CellLoc(where))
    return f"{info.filename} 中有一段文字", Loc(source.name)


def _cell_loc(where: str, ref: str) -> CellLoc:
    letters, row = coordinate_from_string(ref)
    return CellLoc(where, row, column_index_from_string(letters))


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → its name, from the workbook's own list (for messages only: {} when unreadable)."""
    try:
        with archive.open("xl/_rels/workbook.xml.rels") as rels:
            targets = {e.get("Id"): e.get("Target", "") for _, e in iterparse(rels) if e.tag.endswith("Relationship")}
        names = {}
        with archive.open("xl/workbook.xml") as book:
            for _, e in iterparse(book):
                if e.tag == f"{_MAIN}sheet":
                    rid = next((v for k, v in e.attrib.items() if k.endswith("}id")), "")
                    target = targets.get(rid, "").lstrip("/")
                    names[target if target.startswith("xl/") else f"xl/{target}"] = e.get("name", "")
        return names
    except Exception:  # the message falls back to the part's name
        return {}


def _cell_with_string(archive: zipfile.ZipFile, sheets: list[zipfile.ZipInfo], index: int) -> tuple[str, str] | None:
    """The first cell that shows shared string ``index``: (worksheet part, cell reference)."""
    wanted = str(index)
    for info in sheets:
        with archive.open(info) as xml:
            for _, element in iterparse(xml):
                if element.tag == f"{_MAIN}c" and element.get("t") == "s":
                    value = element.find(f"{_MAIN}v")
                    if value is not None and (value.text or "").strip() == wanted:
                        return info.filename, element.get("r", "")
                elif element.tag == f"{_MAIN}row":
                    element.clear()
    return None


def uncalculated_formulas(archive: zipfile.ZipFile, member: str, limit: int = EXCEL_ROWS) -> list[tuple[int, int]]:
    """Formula cells saved without a computed value (a program wrote the file and nothing calculated it),
    in rows up to ``limit``.

    openpyxl reads those as empty, like a blank cell. Excel and WPS always save the value, even an empty
    text one (``<v></v>`` in a cell typed ``str``); a formula with no ``<v>``, or an empty one in a number
    cell (what openpyxl itself writes), is one nobody calculated. Rows and cells without their ``r``
    attribute follow the one before, as openpyxl counts them.
    """
    found = []
    with archive.open(member.lstrip("/")) as xml:
        row_number = 0
        for row in _rows_of(xml):
            row_number = int(row.get("r") or row_number + 1)
            if row_number > limit:
                break
            column = 0
            for cell in row.iter(f"{_MAIN}c"):
                if cell.get("r"):
                    letters, _ = coordinate_from_string(cell.get("r"))
                    column = column_index_from_string(letters)
                else:
                    column += 1
                value = cell.find(f"{_MAIN}v")
                # Excel's empty text result is <v></v> in a cell typed "str"; a number cell needs digits.
                missing = value is None or (not value.text and cell.get("t", "n") not in ("str", "s", "inlineStr"))
                if cell.find(f"{_MAIN}f") is not None and missing:
                    found.append((row_number, column))
            row.clear()
    return found


def _rows_of(xml: IO[bytes]) -> Iterator[Any]:
    for _event, element in iterparse(xml):
        if element.tag == f"{_MAIN}row":
            yield element
