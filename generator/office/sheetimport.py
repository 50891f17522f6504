"""``kaoping import``: read a filled score sheet back into ``results/<id>/``.

What can be imported:

- the workbook (``.xlsx``) as :mod:`generator.office.sheets` wrote it;
- one worksheet saved as CSV from Excel or WPS (a group's worksheet: only that group's units are
  updated; a unit-level worksheet: that whole table);
- a folder of such CSV files, one per worksheet.

Every cell goes through the project's own checker: the tables are written to a scratch copy of the
assessment, checked there, and every problem is reported at the worksheet, row and column it came
from. Nothing is written while a cell is wrong, nor over different existing data without ``--force``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from generator.data.formulas import formula_like
from generator.data.load import RESULTS_DIR
from generator.data.pipeline import prepare
from generator.data.problems import EXIT_DATA, EXIT_OK, EXIT_USAGE, Loc, Problem, Problems, os_error_words
from generator.data.tables import (
    ENTRIES,
    PARTS,
    SELF_SCORES,
    TABLES_BY_NAME,
    Table,
    normalize_header,
    parse_table,
    table_for_file,
)
from generator.engine.models import Node, Rubric
from generator.engine.results import Row
from generator.engine.tree import node_index
from generator.office.outputfile import write_all
from generator.office.sheetcount import SheetCount, count_against_roster, row_limit
from generator.office.sheetlayout import (
    CODES_SHEET,
    ENTRY_KEYS,
    FINDING_KEYS,
    LABEL_DIGEST,
    LABEL_ID,
    MAIN_COLUMNS,
    README_SHEET,
    SELF_SCORE_KEYS,
    UNIT_TABLES,
    CellLoc,
    Loaded,
    build_layout,
    load_assessment,
    norm,
    report_problems,
    resolve_rule,
    rubric_digest,
)
from generator.office.sheetread import Source, SourceSheet, ident, open_source
from generator.site.downloads import csv_bytes

#: The header row is looked for in the first rows only (说明's column list must not look like one).
_HEADER_SEARCH = 5
#: The column that tells a unit-level worksheet's table (its Chinese and English names).
_TABLE_MARK = {t.name: t.columns[1] for t in UNIT_TABLES}
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
    if sheet.name == README_SHEET or (rows and rows[0] and rows[0][0].startswith((README_SHEET, CODES_SHEET))) or sheet.name == CODES_SHEET:
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
                problems.warning(CellLoc(sheet.where, header_index + 1, c), f"表头「{cell}」不是评分表的列，这一列没有读取", "不要在评分表中加列；要记录的内容写进内部备注。")
            continue
        if key in columns:
            problems.error(CellLoc(sheet.where, header_index + 1, c), f"表头「{cell}」与 {get_column_letter(columns[key])} 列重复", "删除重复的列。")
            return
        columns[key] = c
    body = [(r, row) for r, row in enumerate(rows[header_index + 1 :], start=header_index + 2)]
    if kind == "main":
        _read_main(sheet, columns, body, imported, problems)
    else:
        _read_unit_table(sheet, TABLES_BY_NAME[kind], columns, body, imported)


def _cells(row: Sequence[str], columns: Mapping[str, int]) -> dict[str, str]:
    return {key: (row[c - 1] if c - 1 < len(row) else "") for key, c in columns.items()}


def _read_main(sheet: SourceSheet, columns: Mapping[str, int], body: Iterable[tuple[int, list[str]]], imported: Imported, problems: Problems) -> None:
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
            scores.append(Record({"unit": cells.get("unit", ""), "item": cells.get("item", ""), "score": cells["self_score"]}, Origin(sheet.where, r, self_columns)))
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


def _read_unit_table(sheet: SourceSheet, table: Table, columns: Mapping[str, int], body: Iterable[tuple[int, list[str]]], imported: Imported) -> None:
    wanted = {c.name: columns[c.name] for c in table.columns if c.name in columns}
    record_keys = [c.name for c in table.columns if c.name not in ("unit", "part" if table is PARTS else "unit")]
    imported.cover(table.name, None)
    count = SheetCount(sheet.name, sheet.where)
    imported.counts.append(count)
    for r, row in body:
        cells = _cells(row, wanted)
        if any(cells.get(k) for k in record_keys):
            imported.records[table.name].append(Record({c.name: cells.get(c.name, "") for c in table.columns}, Origin(sheet.where, r, wanted)))
            count.records += 1


# --------------------------------------------------------------------------------------------
# Merging with what results/ holds, and comparing
# --------------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_NUMERIC_COLUMNS = {"value", "amount", "score", "count"}
#: Columns that hold a number and nothing else (the checker refuses anything but a number in them).
_NUMBERS_ONLY = {"amount", "score", "count"}


def _canonical(
    table: Table, cells: Mapping[str, str], rubric: Rubric, nodes: Mapping[str, Node], types: Mapping[str, str]
) -> tuple[str, ...]:
    """A row as the data it means: numbers by value, codes as the checker reads them, the rule resolved (for
    the unit's type: a rule some types do not have leaves one rule to mean where the item has several)."""
    out = []
    for column in table.columns:
        text = cells.get(column.name, "").strip()
        if column.name in _NUMERIC_COLUMNS and _DECIMAL.match(text):
            text = format(Decimal(text).normalize(), "f")
        elif column.name == "item":
            text = norm(text)
        elif table is ENTRIES and column.name == "rule":
            node = nodes.get(norm(cells.get("item", "")))
            unit_type = types.get(cells.get("unit", ""))
            text = (resolve_rule(rubric, node, text, unit_type) if node is not None else None) or norm(text)
        out.append(text)
    return tuple(out)


@dataclass
class Change:
    table: Table
    rows: list[Record]
    existing: tuple[Row, ...]
    files: tuple[str, ...]

    @functools.cached_property
    def data(self) -> bytes:
        """The table's new file: checked in the scratch copy, then written as it was checked."""
        return table_bytes(self.table, self.rows)


def merge(loaded: Loaded, imported: Imported) -> list[Change]:
    """The new content of every table the import covers, with the existing rows it keeps; unchanged tables left out."""
    index = {u.id: i for i, u in enumerate(loaded.units)}
    nodes = node_index(loaded.rubric)
    types = {u.id: u.type for u in loaded.units}
    changes = []
    for name, covered in imported.covered.items():
        table = TABLES_BY_NAME[name]
        existing: tuple[Row, ...] = getattr(loaded.raw, name)
        kept = [Record(dict(r.cells), r) for r in existing if covered is not None and r.get("unit") not in covered]
        rows = sorted([*imported.records[name], *kept], key=lambda rec: index.get(rec.cells.get("unit", ""), len(index)))
        before = Counter(_canonical(table, r.cells, loaded.rubric, nodes, types) for r in existing)
        after = Counter(_canonical(table, r.cells, loaded.rubric, nodes, types) for r in rows)
        if before != after:
            files = tuple(f for f in loaded.raw.files if table_for_file(f.rsplit("/", 1)[-1]) is table)
            changes.append(Change(table, rows, existing, files))
    return changes


def table_bytes(table: Table, rows: Sequence[Record]) -> bytes:
    """A results table as Excel opens it: Chinese headers, UTF-8 with BOM, CRLF."""
    frame = pd.DataFrame([[r.cells.get(c.name, "") for c in table.columns] for r in rows], columns=[c.title for c in table.columns], dtype=str)
    return csv_bytes(frame)


# --------------------------------------------------------------------------------------------
# Checking in a scratch copy, and placing every problem back on the worksheet
# --------------------------------------------------------------------------------------------


def check_scratch(root: Path, loaded: Loaded, changes: Sequence[Change]) -> tuple[Problems, Problems]:
    """Run the checker on the results as they would be; (problems in the worksheets, problems elsewhere)."""
    aid = loaded.rubric.id
    folder = f"{RESULTS_DIR}/{aid}"
    replaced = {c.table.name for c in changes}
    lines: dict[str, dict[int, Record]] = {}
    headers: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="kaoping-import-") as tmp:
        scratch = Path(tmp)
        (scratch / loaded.rubric_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / loaded.rubric_file, scratch / loaded.rubric_file)
        (scratch / folder).mkdir(parents=True, exist_ok=True)
        for path in sorted((root / folder).iterdir()):
            table = table_for_file(path.name)
            if path.is_file() and not path.name.startswith(".") and (table is None or table.name not in replaced):
                shutil.copyfile(path, scratch / folder / path.name)
        for change in changes:
            file = f"{folder}/{change.table.name}.csv"
            data = change.data
            (scratch / file).write_bytes(data)
            parsed = parse_table(data, file, change.table, Problems())
            assert len(parsed) == len(change.rows), file
            lines[file] = {row.loc.line: rec for row, rec in zip(parsed, change.rows, strict=True)}
            headers[file] = [c.name for c in change.table.columns]
        found = prepare(scratch, {aid}).problems
    in_sheet, elsewhere = Problems(), Problems()
    for problem in found:
        placed = _place(problem, lines, headers)
        (in_sheet if isinstance(placed.loc, CellLoc) else elsewhere).items.append(placed)
    return in_sheet, elsewhere


_ROW_MENTION = re.compile(r"(results/[^\s，。；]+?\.csv) 第 (\d+) 行")


def _place(problem: Problem, lines: Mapping[str, Mapping[int, Record]], headers: Mapping[str, list[str]]) -> Problem:
    """The problem with its location (and any row it mentions) moved from the scratch CSV to where the data came from."""

    def where(file: str, line: int, column: int) -> Loc | None:
        record = lines.get(file, {}).get(line)
        if record is None:
            return None
        name = headers[file][column - 1] if 0 < column <= len(headers[file]) else None
        if isinstance(record.origin, Origin):
            return record.origin.loc(name)
        original = record.origin
        return original.at(name) if name else original.loc

    loc = where(problem.loc.file, problem.loc.line, problem.loc.column) or problem.loc

    def mention(match: re.Match[str]) -> str:
        at = where(match.group(1), int(match.group(2)), 0)
        if isinstance(at, CellLoc):
            return str(at)
        return f"{at.file} 第 {at.line} 行" if at is not None else match.group(0)

    return Problem(problem.severity, loc, _ROW_MENTION.sub(mention, problem.message), problem.hint)


# --------------------------------------------------------------------------------------------
# kaoping import
# --------------------------------------------------------------------------------------------


def _which_assessment(imported: Imported, wanted: str | None, problems: Problems) -> str | None:
    ids = dict.fromkeys(i for i, _ in imported.ids)
    if len(ids) > 1:
        first = {i: loc for i, loc in reversed(imported.ids)}
        problems.error(first[list(ids)[1]], f"评分表中有几项考核的代码：{'、'.join(ids)}", "一次只导入一项考核的评分表。")
        return None
    found = next(iter(ids), None)
    if wanted and found and wanted != found:
        problems.error(imported.ids[0][1], f"这是考核 {found} 的评分表，不是 {wanted} 的", f"核对文件；导入 {found} 时不用加 --assessment。")
        return None
    if not wanted and not found:
        problems.error(Loc("--assessment"), "评分表中没有考核代码（第 1 行或“说明”工作表）", "用 --assessment 考核代码 指定导入哪项考核。")
        return None
    return wanted or found


def import_sheet(root: Path, source: Path, aid: str | None, *, force: bool) -> int:
    """``kaoping import``: the exit status. Messages in Chinese; nothing is written unless every cell is right."""
    problems = Problems()
    if not os.path.lexists(source):
        print(f"找不到 {source}。", file=sys.stderr)
        return EXIT_USAGE
    opened = open_source(source, problems)
    if opened is None:
        report_problems(problems)
        return EXIT_USAGE
    try:
        return _import(root, source, opened, aid, force, problems)
    finally:
        opened.close()


def _import(root: Path, source: Path, opened: Source, aid: str | None, force: bool, problems: Problems) -> int:
    if problems.has_errors():  # a CSV file of a folder that could not be read
        return _refused(problems)
    # Which assessment, from the first rows; then every row, as far as this assessment's roster can need.
    heads = opened.heads(problems)
    if heads is None:
        report_problems(problems)
        return EXIT_USAGE
    probe = Imported()
    for sheet in heads:
        read_sheet(sheet, probe, Problems())
    chosen = _which_assessment(probe, aid, problems)
    if chosen is None:
        report_problems(problems)
        return EXIT_USAGE
    loaded, status = load_assessment(root, chosen, problems)
    if loaded is None:
        report_problems(problems)
        if status != EXIT_USAGE:
            print("数据有错误，没有导入。改正上面列出的错误后再运行。", file=sys.stderr)
        return status
    layout = build_layout(loaded.rubric, loaded.raw, loaded.units, Problems())
    sheets = opened.read(row_limit(layout), problems)
    if sheets is None:
        report_problems(problems)
        return EXIT_USAGE
    if problems.has_errors():  # beyond what a score sheet holds, or a formula without its value
        return _refused(problems)
    imported = Imported()
    for sheet in sheets:
        read_sheet(sheet, imported, problems)
    print(f"读取评分表 {source.name}：")
    print("\n".join(count_against_roster(layout, imported.counts, problems)))
    refuse_formulas(imported, problems)
    _check_digest(loaded, imported, problems)
    if not imported.covered:
        problems.error(Loc(source.name), "评分表中没有可以导入的工作表", "导入 kaoping sheet 生成、填好的评分表。")
    if problems.has_errors():
        return _refused(problems)
    return _apply(root, loaded, imported, force, problems)


def _refused(problems: Problems) -> int:
    report_problems(problems)
    print("评分表有错误，没有导入。", file=sys.stderr)
    return EXIT_DATA


def _check_digest(loaded: Loaded, imported: Imported, problems: Problems) -> None:
    digest = rubric_digest(loaded.rubric)
    for value, loc in imported.digests[:1]:
        if value != digest:
            problems.warning(
                loc,
                f"评分表是按另一版本的细则生成的（细则校验码 {value}，现在是 {digest}）；已按现在的细则逐格检查",
                "细则的指标或规则改过时，用 kaoping sheet 重新生成评分表，把填好的内容抄过去。",
            )


def refuse_formulas(imported: Imported, problems: Problems) -> None:
    """Text a spreadsheet would run as a formula is refused in every column that is not a number: the
    results CSV files are opened in Excel by the office (see :mod:`generator.data.formulas`)."""
    for name, records in imported.records.items():
        table = TABLES_BY_NAME[name]
        for record in records:
            if not isinstance(record.origin, Origin):
                continue
            for key, text in record.cells.items():
                if not formula_like(text):
                    continue
                title, shown = table.column(key).title, text if len(text) <= 20 else text[:20] + "……"
                if key in _NUMBERS_ONLY:
                    problems.error(record.origin.loc(key), f"「{title}」只能填数字，这一格是公式文字（{shown}）", "填写阿拉伯数字，例如 1 或 0.5。")
                    continue
                problems.error(
                    record.origin.loc(key),
                    f"「{title}」以「{text[0]}」开头（{shown}）：写进 results/ 的 CSV 文件后，"
                    "用 Excel 或 WPS 打开时会被当作公式，所以没有导入",
                    "改写这一格，不要以 = + - @ 开头：去掉开头的符号，或在前面加上文字。",
                )


def _apply(root: Path, loaded: Loaded, imported: Imported, force: bool, problems: Problems) -> int:
    """Check what the import changes in a scratch copy, then write it (existing different data: with ``force``)."""
    chosen = loaded.rubric.id
    changes = merge(loaded, imported)
    if not changes:
        report_problems(problems)
        print(f"没有变化：评分表的内容与 {RESULTS_DIR}/{chosen}/ 中的考核结果相同，没有写入文件。")
        return EXIT_OK
    in_sheet, elsewhere = check_scratch(root, loaded, changes)
    problems.extend(in_sheet)
    report_problems(problems)
    if problems.has_errors():
        print("评分表有错误，没有导入。改正上面列出的格子后再导入。", file=sys.stderr)
        return EXIT_DATA
    conflicts = [c for c in changes if c.existing]
    if conflicts and not force:
        print(f"{RESULTS_DIR}/{chosen}/ 中已有不同的考核结果，没有写入：", file=sys.stderr)
        for c in conflicts:
            print(f"  {'、'.join(f.rsplit('/', 1)[-1] for f in c.files)}：原有 {len(c.existing)} 行，导入后 {len(c.rows)} 行（{c.table.title}）", file=sys.stderr)
        print("确认用评分表的内容替换时，加 --force 重新运行。", file=sys.stderr)
        return EXIT_DATA
    try:
        _write(root, chosen, changes)
    except OSError as exc:
        print(f"无法写入 {RESULTS_DIR}/{chosen}/：{os_error_words(exc)}。文件是否正在 Excel 或 WPS 中打开？关闭后再导入；原有的文件没有改动。", file=sys.stderr)
        return EXIT_DATA
    errors = Problems([p for p in elsewhere.errors])
    if errors.items:
        print(f"\n以下问题不在评分表中（在 {RESULTS_DIR}/{chosen}/ 原有的文件里，例如单位名册），导入不受影响；发布前须处理：", file=sys.stderr)
        report_problems(errors)
    print(f"下一步：kaoping check {chosen} 检查，kaoping score {chosen} 查看得分。")
    return EXIT_OK


def _write(root: Path, aid: str, changes: Sequence[Change]) -> None:
    folder = root / RESULTS_DIR / aid
    # Keep the office's own spelling of a file name (Entries.CSV) when there is one.
    targets = [
        next((p for p in (root / f for f in c.files) if p.name.lower() == f"{c.table.name}.csv"), folder / f"{c.table.name}.csv")
        for c in changes
    ]
    # Every new table is written before any file is replaced or removed: a failure leaves the folder as it was.
    write_all([(target, change.data) for change, target in zip(changes, targets, strict=True) if change.rows])
    print(f"已导入到 {RESULTS_DIR}/{aid}/：")
    for change, target in zip(changes, targets, strict=True):
        old = [root / f for f in change.files]
        if not change.rows and target.exists():
            target.unlink()
        for path in old:
            if path != target and path.exists():
                path.unlink()
        merged = [p.name for p in old if p != target]
        words = f"{target.name}：{change.table.title} {len(change.rows)} 行" if change.rows else f"{change.table.title}：没有记录，已删除 {target.name}"
        if merged:
            words += f"（原有的 {'、'.join(merged)} 已合并进来并删除）" if change.rows else f"、{'、'.join(merged)}"
        print(f"  {words}")
