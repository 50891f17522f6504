"""Worksheets → records: which results table each worksheet fills, and the records its rows make.

A worksheet is recognised by its header row (Chinese or English column names); reference columns
(unit name, title, points …) are shown in the sheet and never read back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from generator.data.problems import Problems
from generator.data.tables import (
    ENTRIES,
    PARTS,
    SELF_SCORES,
    TABLES_BY_NAME,
    Table,
    normalize_header,
)
from generator.engine.results import Row
from generator.office.sheetcolumns import (
    CODES_SHEET,
    ENTRY_KEYS,
    FINDING_KEYS,
    LABEL_DIGEST,
    LABEL_ID,
    MAIN_COLUMNS,
    README_SHEET,
    SELF_SCORE_KEYS,
    UNIT_TABLES,
    YEAR_TABLES,
    CellLoc,
    norm,
)
from generator.office.sheetcount import SheetCount
from generator.office.sheetsource import SourceSheet, ident

#: The header row is looked for in the first rows only (说明's column list must not look like one).
_HEADER_SEARCH = 5
#: The column that tells a unit-level worksheet's table (its Chinese and English names).
_TABLE_MARK = {t.name: t.columns[1] for t in UNIT_TABLES}
#: The year's tables, told by a column of their own before the main worksheet is looked for.
_YEAR_MARK = {name: table.column(mark) for name, (table, mark) in YEAR_TABLES.items()}
#: Reference columns of the main worksheet: shown, never read.
_REFERENCE = {"unit_name", "title", "points", "standard", "method"}


@dataclass(frozen=True)
class Origin:
    """Where an imported record came from: the worksheet, the row, and each results column's sheet column."""

    where: str
    row: int
    columns: Mapping[str, int]

    def loc(self, column: str | None = None) -> CellLoc:
        return CellLoc(self.where, self.row, self.columns.get(column, 0) if column else 0)


@dataclass
class Record:
    cells: dict[str, str]
    #: An imported record's worksheet cell, or the existing results row kept as it was.
    origin: Origin | Row


@dataclass
class Imported:
    """The records each results table gets from the worksheets, and which units each worksheet speaks for."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    #: Table → the units whose rows the import replaces (None: every unit).
    covered: dict[str, set[str] | None] = field(default_factory=dict)
    ids: list[tuple[str, CellLoc]] = field(default_factory=list)
    digests: list[tuple[str, CellLoc]] = field(default_factory=list)
    #: What each worksheet holds, to be counted against the roster.
    counts: list[SheetCount] = field(default_factory=list)

    def cover(self, table: str, units: set[str] | None) -> None:
        if table in self.covered and (self.covered[table] is None or units is None):
            self.covered[table] = None
        elif table in self.covered:
            self.covered[table] |= units  # type: ignore[operator]
        else:
            self.covered[table] = units
        self.records.setdefault(table, [])


# --------------------------------------------------------------------------------------------
# Worksheets → records
# --------------------------------------------------------------------------------------------


def _lookup_main() -> dict[str, str]:
    lookup = {normalize_header(c.title): c.key for c in MAIN_COLUMNS}
    for name in ENTRY_KEYS:
        column = ENTRIES.column(name)
        for alias in (column.name, column.title, *column.aliases):
            lookup.setdefault(normalize_header(alias), name)
    lookup.setdefault(normalize_header("自评分"), "self_score")
    return lookup


def _lookup_table(table: Table) -> dict[str, str]:
    lookup = {normalize_header("单位名称"): "unit_name"}
    for column in table.columns:
        for alias in (column.name, column.title, *column.aliases):
            lookup.setdefault(normalize_header(alias), column.name)
    return lookup


MAIN_LOOKUP = _lookup_main()


def _kind(cells: Sequence[str]) -> tuple[str, dict[str, str]] | None:
    """Which worksheet a header row belongs to: ``main`` or a unit-level table's name, with its lookup."""
    keys = {normalize_header(c) for c in cells if c}
    if not any(MAIN_LOOKUP.get(k) == "unit" for k in keys):
        return None
    for name, mark in _YEAR_MARK.items():
        if {normalize_header(mark.title), normalize_header(mark.name)} & keys:
            return name, _lookup_table(TABLES_BY_NAME[name])
    if any(MAIN_LOOKUP.get(k) == "item" for k in keys):
        return "main", MAIN_LOOKUP
    for name, mark in _TABLE_MARK.items():
        if {normalize_header(mark.title), normalize_header(mark.name)} & keys:
            return name, _lookup_table(TABLES_BY_NAME[name])
    return None


def read_sheet(sheet: SourceSheet, imported: Imported, problems: Problems) -> None:
    rows = sheet.rows
    labels = ident(rows)
    if LABEL_ID in labels:
        imported.ids.append((labels[LABEL_ID], CellLoc(sheet.where, 1, 2)))
    if (
        sheet.name == README_SHEET
        or (rows and rows[0] and rows[0][0].startswith((README_SHEET, CODES_SHEET)))
        or sheet.name == CODES_SHEET
    ):
        for r, row in enumerate(rows, start=1):
            if len(row) > 1 and row[0] == LABEL_ID and row[1]:
                imported.ids.append((row[1], CellLoc(sheet.where, r, 2)))
            if len(row) > 1 and row[0] == LABEL_DIGEST and row[1]:
                imported.digests.append((row[1], CellLoc(sheet.where, r, 2)))
        return
    if LABEL_DIGEST in labels:
        imported.digests.append((labels[LABEL_DIGEST], CellLoc(sheet.where, 1, 4)))
    found = next(((i, k) for i, row in enumerate(rows[:_HEADER_SEARCH]) if (k := _kind(row)) is not None), None)
    if found is None and any(any(row) for row in rows):
        problems.warning(
            CellLoc(sheet.where),
            "没有找到表头（单位代码、指标编号……），这张工作表没有读取",
            "导入 kaoping sheet 生成的评分表；不要改动表头。",
        )
    if found is None:
        return
    header_index, (kind, lookup) = found
    columns: dict[str, int] = {}
    for c, cell in enumerate(rows[header_index], start=1):
        if not cell:
            continue
        key = lookup.get(normalize_header(cell))
        if key is None:
            if not normalize_header(cell).startswith(("内部", "_", "#")):
                problems.warning(
                    CellLoc(sheet.where, header_index + 1, c),
                    f"表头「{cell}」不是评分表的列，这一列没有读取",
                    "不要在评分表中加列；要记录的内容写进内部备注。",
                )
            continue
        if key in columns:
            problems.error(
                CellLoc(sheet.where, header_index + 1, c),
                f"表头「{cell}」与 {get_column_letter(columns[key])} 列重复",
                "删除重复的列。",
            )
            return
        columns[key] = c
    body = [(r, row) for r, row in enumerate(rows[header_index + 1 :], start=header_index + 2)]
    if kind == "main":
        _read_main(sheet, columns, body, imported, problems)
    else:
        _read_unit_table(sheet, TABLES_BY_NAME[kind], columns, body, imported)


def _cells(row: Sequence[str], columns: Mapping[str, int]) -> dict[str, str]:
    return {key: (row[c - 1] if c - 1 < len(row) else "") for key, c in columns.items()}


def _read_main(
    sheet: SourceSheet,
    columns: Mapping[str, int],
    body: Iterable[tuple[int, list[str]]],
    imported: Imported,
    problems: Problems,
) -> None:
    units: set[str] = set()
    entry_columns = {k: columns[k] for k in ENTRY_KEYS if k in columns}
    self_columns = {name: columns[key] for name, key in SELF_SCORE_KEYS.items() if key in columns}
    takes_entries = any(k in columns for k in FINDING_KEYS)
    takes_self = "self_score" in columns
    marks_only: list[int] = []
    entries: list[Record] = []
    scores: list[Record] = []
    slots: dict[str, set[tuple[str, str]]] = {}
    imported.counts.append(SheetCount(sheet.name, sheet.where, slots))
    for r, row in body:
        cells = _cells(row, {k: c for k, c in columns.items() if k not in _REFERENCE})
        if not any(cells.values()):
            continue
        if cells.get("unit"):
            units.add(cells["unit"])
            if cells.get("item"):
                slots.setdefault(cells["unit"], set()).add((norm(cells["item"]), norm(cells.get("rule", ""))))
        if takes_entries and any(cells.get(k) for k in FINDING_KEYS):
            entries.append(Record({k: cells.get(k, "") for k in ENTRY_KEYS}, Origin(sheet.where, r, entry_columns)))
        elif cells.get("assessor") or cells.get("note"):
            marks_only.append(r)
        if takes_self and cells.get("self_score"):
            scores.append(
                Record(
                    {"unit": cells.get("unit", ""), "item": cells.get("item", ""), "score": cells["self_score"]},
                    Origin(sheet.where, r, self_columns),
                )
            )
    if marks_only:
        shown = "、".join(str(r) for r in marks_only[:5]) + ("……" if len(marks_only) > 5 else "")
        problems.warning(
            CellLoc(sheet.where, marks_only[0]),
            f"有 {len(marks_only)} 行（第 {shown} 行）只填了考核人或内部备注，没有情况、扣分和扣分原因，这些行没有导入",
            "有问题的行写明扣分原因；没有问题的行不用填。",
        )
    if takes_entries:
        imported.cover(ENTRIES.name, units)
        imported.records[ENTRIES.name].extend(entries)
    if takes_self:
        imported.cover(SELF_SCORES.name, units)
        imported.records[SELF_SCORES.name].extend(scores)


def _read_unit_table(
    sheet: SourceSheet,
    table: Table,
    columns: Mapping[str, int],
    body: Iterable[tuple[int, list[str]]],
    imported: Imported,
) -> None:
    wanted = {c.name: columns[c.name] for c in table.columns if c.name in columns}
    record_keys = [c.name for c in table.columns if c.name not in ("unit", "part" if table is PARTS else "unit")]
    imported.cover(table.name, None)
    count = SheetCount(sheet.name, sheet.where)
    imported.counts.append(count)
    for r, row in body:
        cells = _cells(row, wanted)
        if any(cells.get(k) for k in record_keys):
            imported.records[table.name].append(
                Record({c.name: cells.get(c.name, "") for c in table.columns}, Origin(sheet.where, r, wanted))
            )
            count.records += 1
