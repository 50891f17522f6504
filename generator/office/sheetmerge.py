"""Merging imported records with what ``results/`` holds, and checking the result in a scratch copy.

Every problem the checker finds in the scratch copy is placed back on the worksheet, row and column
the data came from (:func:`check_scratch`).
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from generator.data.csvread import parse_table
from generator.data.load import RESULTS_DIR
from generator.data.pipeline import prepare
from generator.data.problems import Loc, Problem, Problems
from generator.data.tables import ENTRIES, TABLES_BY_NAME, Table, table_for_file
from generator.engine.models import Node, Rubric
from generator.engine.results import Row
from generator.engine.tree import node_index
from generator.office.sheetcolumns import CellLoc, norm
from generator.office.sheetlayout import Loaded, resolve_rule
from generator.office.sheetrecords import Imported, Origin, Record
from generator.site.downloads import csv_bytes

# --------------------------------------------------------------------------------------------
# Merging with what results/ holds, and comparing
# --------------------------------------------------------------------------------------------

_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_NUMERIC_COLUMNS = {"value", "amount", "score", "count"}
#: Columns that hold a number and nothing else (the checker refuses anything but a number in them).
NUMBERS_ONLY = {"amount", "score", "count"}


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
        rows = sorted(
            [*imported.records[name], *kept], key=lambda rec: index.get(rec.cells.get("unit", ""), len(index))
        )
        before = Counter(_canonical(table, r.cells, loaded.rubric, nodes, types) for r in existing)
        after = Counter(_canonical(table, r.cells, loaded.rubric, nodes, types) for r in rows)
        if before != after:
            files = tuple(f for f in loaded.raw.files if table_for_file(f.rsplit("/", 1)[-1]) is table)
            changes.append(Change(table, rows, existing, files))
    return changes


def table_bytes(table: Table, rows: Sequence[Record]) -> bytes:
    """A results table as Excel opens it: Chinese headers, UTF-8 with BOM, CRLF."""
    frame = pd.DataFrame(
        [[r.cells.get(c.name, "") for c in table.columns] for r in rows],
        columns=[c.title for c in table.columns],
        dtype=str,
    )
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
    """The problem with its location (and any row it mentions) moved from the scratch CSV to where the data came
    from."""

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
