"""What ``kaoping import`` reads, opened: the worksheets of a workbook or CSV files, and the bounds every
reading keeps (:mod:`generator.office.sheetread` says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.data.csvread import MAX_CSV_BYTES
from generator.data.problems import Problems
from generator.office.sheetcolumns import LABEL_DIGEST, LABEL_ID, LABEL_SHEET, CellLoc

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
TOO_LONG_HINT = (
    "一格最多 32,767 个字符（Excel 的上限），这不是 Excel 或 WPS 保存的评分表，"
    "或这一格误粘贴了大量内容。删去后重新保存再导入。"
)
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


def too_many_rows(problems: Problems, where: str, row: int, limit: int) -> None:
    problems.error(
        CellLoc(where, row),
        f"这一行有内容，但按单位名册，这项考核的评分表用不到第 {limit:,} 行以后；这张工作表没有继续读取",
        "核对这张工作表：可能粘贴进了别的表格。删去多余的行后重新保存再导入。",
    )
