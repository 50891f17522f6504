"""Reading what ``kaoping import`` is given: a filled workbook (``.xlsx``), one worksheet saved as CSV, or
a folder of such CSV files; every row and cell that is there, and no more than a score sheet can hold.

The reading is bounded before memory or time can run away (a workbook is a zip of XML; one cell of
1 GB, or three million rows, fit in a few megabytes of it):

- the file itself: at most :data:`MAX_SOURCE_BYTES`; a workbook's parts together, unpacked, at most
  :data:`MAX_UNPACKED_BYTES` (the sizes the zip declares, checked before anything is unpacked);
- one cell: at most :data:`MAX_CELL_CHARS` characters, Excel's own limit. Every part of the workbook is
  scanned for text that long before openpyxl reads it (openpyxl holds all shared strings at once);
- the rows: the first rows of every worksheet are read to learn the assessment (:meth:`Source.heads`);
  then each worksheet is read up to the row the assessment's roster can need (:meth:`Source.read`), and a
  worksheet with content beyond it is refused at that row;
- the columns: at most :data:`MAX_COLUMNS`.

A worksheet's ``<dimension>`` element (the range it claims to use) is not trusted: several programs
write one that understates the range, and openpyxl's read-only mode would stop there. Its dimensions are
reset, and rows are streamed: reading the 82,822 rows of a 1,000-unit workbook that way peaks at about
46 MB, where openpyxl's full (not read-only) load, which computes the range itself, takes 620 MB.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import stat
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from generator.data.problems import Loc, Problems
from generator.data.tables import MAX_CSV_BYTES, OLE_MAGIC, ZIP_MAGIC, decode, delimiter
from generator.office.sheetlayout import LABEL_DIGEST, LABEL_ID, LABEL_SHEET, CellLoc, cell_text, sheet_label

CSV_SUFFIXES = (".csv", ".txt")
#: Excel's limit for the text of one cell.
MAX_CELL_CHARS = 32_767
#: Columns read; a score sheet has 14, and no content may stand beyond this one.
MAX_COLUMNS = 100
#: Excel's last row.
EXCEL_ROWS = 1_048_576
MAX_SOURCE_BYTES = MAX_CSV_BYTES
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: Rows read of each worksheet before the assessment is known: 说明 has its codes in its first rows,
#: every other worksheet in row 1.
HEAD_ROWS = 20
#: XML text with no tag in it longer than this holds more than MAX_CELL_CHARS characters (a character
#: takes at most 10 bytes, as a character reference like ``&#x10FFFF;``).
_MAX_RUN = MAX_CELL_CHARS * 10 + 64
_CHUNK = 1 << 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3}[0-9]{1,7})"')
_TOO_LONG_HINT = "一格最多 32,767 个字符（Excel 的上限），这不是 Excel 或 WPS 保存的评分表，或这一格误粘贴了大量内容。删去后重新保存再导入。"


@dataclass(frozen=True)
class SourceSheet:
    """One worksheet as read: its name, how problems name it, its cells as text (row 1 first)."""

    name: str
    where: str
    rows: list[list[str]]


class Source:
    """What was given to import, opened: the first rows of every worksheet, and all rows on request.

    Both return None (with an error) when a worksheet cannot be read at all; content beyond the bounds
    is an error in ``problems`` (and no worksheets).
    """

    def heads(self, problems: Problems) -> list[SourceSheet] | None:
        raise NotImplementedError

    def read(self, limit: int, problems: Problems) -> list[SourceSheet] | None:
        """Every worksheet whole, with no content below row ``limit``."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the workbook."""


def ident(rows: Sequence[Sequence[str]]) -> dict[str, str]:
    """Row 1's labelled values (考核代码, 细则校验码, 工作表)."""
    out: dict[str, str] = {}
    if rows:
        row = rows[0]
        for i, cell in enumerate(row[:-1]):
            if cell in (LABEL_ID, LABEL_DIGEST, LABEL_SHEET) and row[i + 1]:
                out[cell] = row[i + 1]
    return out


def open_source(source: Path, problems: Problems) -> Source | None:
    """A workbook, one CSV file or a folder of them; None (with an error) when it cannot be read."""
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.suffix.lower() in CSV_SUFFIXES and not p.name.startswith("."))
        files = [p for p in files if _regular(p, problems)]
        if not files:
            problems.error(Loc(str(source)), "文件夹中没有 CSV 文件", "把评分表的各张工作表另存为 CSV（UTF-8）放进这个文件夹。")
            return None
        sheets = [s for p in files if (s := _read_csv(p, problems)) is not None]
        return _Sheets(sheets)
    if not _regular(source, problems):
        return None
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        problems.error(Loc(str(source)), f"无法读取这个文件：{exc.strerror or exc}", "检查文件名和路径。")
        return None
    if len(data) > MAX_SOURCE_BYTES:
        problems.error(
            Loc(source.name),
            f"文件太大（超过 {MAX_SOURCE_BYTES // 1048576} MB），不像是评分表",
            "导入 kaoping sheet 生成、填好的评分表；一项考核的评分表一般只有几 MB。",
        )
        return None
    if data.startswith(ZIP_MAGIC):
        return _open_workbook(source, data, problems)
    if data.startswith(OLE_MAGIC):
        problems.error(Loc(source.name), "这是旧的 Excel 97-2003 工作簿（.xls）或 WPS 工作簿（.et）", "在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）再导入。")
        return None
    if source.suffix.lower() not in CSV_SUFFIXES:
        problems.error(Loc(source.name), "不认识这个文件：应是 .xlsx 评分表，或另存的 .csv", "导入 kaoping sheet 生成、填好的 .xlsx 文件，或其中工作表另存的 CSV。")
        return None
    sheet = _read_csv(source, problems, data)
    return _Sheets([sheet]) if sheet is not None else None


def _regular(path: Path, problems: Problems) -> bool:
    """Only regular files are read (a FIFO would wait for ever, a device never ends)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        problems.error(Loc(str(path)), f"无法读取这个文件：{exc.strerror or exc}", "检查文件名和路径（不是失效的快捷方式或链接）。")
        return False
    if not stat.S_ISREG(mode):
        problems.error(Loc(str(path)), "这不是普通文件（是命名管道、设备或其他特殊文件），没有读取", "导入 kaoping sheet 生成、填好的 .xlsx 文件，或另存的 .csv 文件。")
        return False
    return True


# --------------------------------------------------------------------------------------------
# CSV files: read whole (they are at most MAX_SOURCE_BYTES), checked against the limit afterwards
# --------------------------------------------------------------------------------------------


class _Sheets(Source):
    def __init__(self, sheets: list[SourceSheet]) -> None:
        self.sheets = sheets

    def heads(self, problems: Problems) -> list[SourceSheet] | None:
        return [SourceSheet(s.name, s.where, s.rows[:HEAD_ROWS]) for s in self.sheets]

    def read(self, limit: int, problems: Problems) -> list[SourceSheet] | None:
        for sheet in self.sheets:
            beyond = next((r for r, row in enumerate(sheet.rows[limit:], start=limit + 1) if any(row)), None)
            if beyond is not None:
                _too_many_rows(problems, sheet.where, beyond, limit)
                return []
            for r, row in enumerate(sheet.rows, start=1):
                for c, text in enumerate(row, start=1):
                    if len(text) > MAX_CELL_CHARS:
                        problems.error(CellLoc(sheet.where, r, c), f"这一格有 {len(text):,} 个字符，太长", _TOO_LONG_HINT)
                        return []
        return self.sheets


def _read_csv(path: Path, problems: Problems, data: bytes | None = None) -> SourceSheet | None:
    try:
        if data is None:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                problems.error(Loc(path.name), f"文件太大（超过 {MAX_SOURCE_BYTES // 1048576} MB），不像是评分表另存的 CSV", "核对文件。")
                return None
            data = path.read_bytes()
        text, _encoding = decode(data)
    except OSError as exc:
        problems.error(Loc(path.name), f"无法读取这个文件：{exc.strerror or exc}", "检查文件名和路径。")
        return None
    except UnicodeDecodeError:
        problems.error(Loc(path.name), "无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）", "在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”。")
        return None
    if data.startswith(ZIP_MAGIC):
        problems.error(Loc(path.name), "这是 Excel 工作簿，只是文件名以 .csv 结尾", "把文件名改为 .xlsx 再导入。")
        return None
    if "\x00" in text:  # results tables refuse it too: say where, before it reaches them
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.error(Loc(path.name, line), "这一行中有空字符，文件可能不是文本文件或已损坏", "在 Excel 或 WPS 中打开后重新另存为 CSV。")
        return None
    try:
        # One record is one worksheet row, even when a cell holds line breaks.
        rows = [[c.strip() for c in record] for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))]
    except csv.Error as exc:
        problems.error(Loc(path.name), f"CSV 格式错误：{exc}", "在 Excel 或 WPS 中打开后重新另存为 CSV。")
        return None
    name = ident(rows).get(LABEL_SHEET, "") or path.stem
    return SourceSheet(name, f"{path.name}（{sheet_label(name)}）" if name != path.stem else f"{path.name} ", rows)


def _too_many_rows(problems: Problems, where: str, row: int, limit: int) -> None:
    problems.error(
        CellLoc(where, row),
        f"这一行有内容，但按单位名册，这项考核的评分表用不到第 {limit:,} 行以后；这张工作表没有继续读取",
        "核对这张工作表：可能粘贴进了别的表格。删去多余的行后重新保存再导入。",
    )


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
            return [SourceSheet(ws.title, sheet_label(ws.title), self._rows(ws, HEAD_ROWS)) for ws in self.book.worksheets]
        except Exception as exc:  # a damaged worksheet inside a readable zip: openpyxl and the XML parser raise many kinds
            self._damaged(exc, problems)
            return None

    def _damaged(self, exc: Exception, problems: Problems) -> None:
        problems.error(Loc(self.source.name), f"无法读取这个工作簿中的工作表（{type(exc).__name__}）", "在 Excel 或 WPS 中打开，确认能打开后重新保存为 .xlsx。")

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
                    uncalculated += [CellLoc(where, r, c) for r, c in uncalculated_formulas(self.archive, member, limit)]
            except Exception as exc:  # a damaged worksheet inside a readable zip: openpyxl and the XML parser raise many kinds
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
                problems.error(CellLoc(where, r, beyond), f"第 {get_column_letter(beyond)} 列有内容，评分表用不到这么多列（最多 {MAX_COLUMNS} 列）", "核对这张工作表：可能粘贴进了别的表格。删去多余的列后再导入。")
                return None
            if not cells:
                blank += 1
                if r > EXCEL_ROWS:
                    _too_many_rows(problems, where, r, limit)
                    return None
                continue
            if r > limit:
                _too_many_rows(problems, where, r, limit)
                return None
            long = next((c for c, text in enumerate(cells, start=1) if len(text) > MAX_CELL_CHARS), None)
            if long is not None:
                problems.error(CellLoc(where, r, long), f"这一格有 {len(cells[long - 1]):,} 个字符，太长", _TOO_LONG_HINT)
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


def _open_workbook(source: Path, data: bytes, problems: Problems) -> Source | None:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))  # the worksheets' XML: sizes, long text, formulas saved without a value
        if not _parts_within_bounds(archive, source, problems):
            archive.close()
            return None
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or workbook: openpyxl raises many kinds
        problems.error(Loc(source.name), f"无法读取这个工作簿（{type(exc).__name__}）", "在 Excel 或 WPS 中打开，确认能打开后重新保存为 .xlsx。")
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
        problems.error(loc, f"{what}超过 {MAX_CELL_CHARS:,} 个字符；工作簿没有读取", _TOO_LONG_HINT)
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
            return _Hit(_last_ref((tail + chunk[:start])[-4096:]), strings + _count_strings(head) - 1 if counting else -1)
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


def _where(archive: zipfile.ZipFile, info: zipfile.ZipInfo, hit: _Hit, sheets: list[zipfile.ZipInfo], strings: list[zipfile.ZipInfo], source: Path) -> tuple[str, Loc]:
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
