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
import os
import stat
from pathlib import Path

from generator.data.characters import UTF16_WORDS, looks_utf16
from generator.data.csvread import OLE_MAGIC, ZIP_MAGIC, decode, delimiter
from generator.data.problems import Loc, Problems, os_reason
from generator.office.sheetcolumns import LABEL_SHEET, CellLoc, sheet_label
from generator.office.sheetsource import (
    CSV_SUFFIXES,
    HEAD_ROWS,
    MAX_CELL_CHARS,
    MAX_SOURCE_BYTES,
    TOO_LONG_HINT,
    Source,
    SourceSheet,
    ident,
    too_many_rows,
)
from generator.office.sheetxlsx import open_workbook


def open_source(source: Path, problems: Problems) -> Source | None:
    """A workbook, one CSV file or a folder of them; None (with an error) when it cannot be read."""
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.suffix.lower() in CSV_SUFFIXES and not p.name.startswith("."))
        files = [p for p in files if _regular(p, problems)]
        if not files:
            problems.error(
                Loc(str(source)), "文件夹中没有 CSV 文件", "把评分表的各张工作表另存为 CSV（UTF-8）放进这个文件夹。"
            )
            return None
        sheets = [s for p in files if (s := _read_csv(p, problems)) is not None]
        return _Sheets(sheets)
    if not _regular(source, problems):
        return None
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        problems.error(Loc(str(source)), f"无法读取这个文件：{os_reason(exc)}", "检查文件名和路径。")
        return None
    if len(data) > MAX_SOURCE_BYTES:
        problems.error(
            Loc(source.name),
            f"文件太大（超过 {MAX_SOURCE_BYTES // 1048576} MB），不像是评分表",
            "导入 kaoping sheet 生成、填好的评分表；一项考核的评分表一般只有几 MB。",
        )
        return None
    if not data.strip():
        problems.error(
            Loc(source.name),
            "文件是空的（没有内容）：可能没有保存完，或复制、下载时出了错",
            "在 Excel 或 WPS 中打开原来的评分表，确认内容都在，重新保存后再导入。",
        )
        return None
    if data.startswith(ZIP_MAGIC):
        return open_workbook(source, data, problems)
    if data.startswith(OLE_MAGIC):
        problems.error(
            Loc(source.name),
            "这是旧的 Excel 97-2003 工作簿（.xls）或 WPS 工作簿（.et）",
            "在 Excel 或 WPS 中打开，另存为 Excel 工作簿（.xlsx）再导入。",
        )
        return None
    if source.suffix.lower() not in CSV_SUFFIXES:
        problems.error(
            Loc(source.name),
            "不认识这个文件：应是 .xlsx 评分表，或另存的 .csv",
            "导入 kaoping sheet 生成、填好的 .xlsx 文件，或其中工作表另存的 CSV。",
        )
        return None
    sheet = _read_csv(source, problems, data)
    return _Sheets([sheet]) if sheet is not None else None


def _regular(path: Path, problems: Problems) -> bool:
    """Only regular files are read (a FIFO would wait for ever, a device never ends)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        problems.error(
            Loc(str(path)), f"无法读取这个文件：{os_reason(exc)}", "检查文件名和路径（不是失效的快捷方式或链接）。"
        )
        return False
    if not stat.S_ISREG(mode):
        problems.error(
            Loc(str(path)),
            "这不是普通文件（是命名管道、设备或其他特殊文件），没有读取",
            "导入 kaoping sheet 生成、填好的 .xlsx 文件，或另存的 .csv 文件。",
        )
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
                too_many_rows(problems, sheet.where, beyond, limit)
                return []
            for r, row in enumerate(sheet.rows, start=1):
                for c, text in enumerate(row, start=1):
                    if len(text) > MAX_CELL_CHARS:
                        problems.error(
                            CellLoc(sheet.where, r, c), f"这一格有 {len(text):,} 个字符，太长", TOO_LONG_HINT
                        )
                        return []
        return self.sheets


def _read_csv(path: Path, problems: Problems, data: bytes | None = None) -> SourceSheet | None:
    try:
        if data is None:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                problems.error(
                    Loc(path.name),
                    f"文件太大（超过 {MAX_SOURCE_BYTES // 1048576} MB），不像是评分表另存的 CSV",
                    "核对文件。",
                )
                return None
            data = path.read_bytes()
        text, _encoding = decode(data)
    except OSError as exc:
        problems.error(Loc(path.name), f"无法读取这个文件：{os_reason(exc)}", "检查文件名和路径。")
        return None
    except UnicodeDecodeError:
        problems.error(
            Loc(path.name),
            UTF16_WORDS if looks_utf16(data or b"") else "无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）",
            "在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”。",
        )
        return None
    if data.startswith(ZIP_MAGIC):
        problems.error(Loc(path.name), "这是 Excel 工作簿，只是文件名以 .csv 结尾", "把文件名改为 .xlsx 再导入。")
        return None
    if "\x00" in text:  # results tables refuse it too: say where, before it reaches them
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.error(
            Loc(path.name, line),
            "这一行中有空字符，文件可能不是文本文件或已损坏",
            "在 Excel 或 WPS 中打开后重新另存为 CSV。",
        )
        return None
    try:
        # One record is one worksheet row, even when a cell holds line breaks.
        rows = [
            [c.strip() for c in record]
            for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
        ]
    except csv.Error as exc:
        problems.error(Loc(path.name), f"CSV 格式错误：{exc}", "在 Excel 或 WPS 中打开后重新另存为 CSV。")
        return None
    name = ident(rows).get(LABEL_SHEET, "") or path.stem
    return SourceSheet(name, f"{path.name}（{sheet_label(name)}）" if name != path.stem else f"{path.name} ", rows)
