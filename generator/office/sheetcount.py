"""What ``kaoping import`` read, counted against the roster: a worksheet that lost rows is refused.

A group's worksheet is written with one row for every applicable rule of every item, for every unit
of the group (:mod:`generator.office.sheetlayout`). Read back, each unit must have all its rows: a unit with
some or all of its rows missing means the file lost rows (a program that wrote the worksheet's range
too small, a truncated copy, rows deleted by hand). Importing it would replace that unit's findings with
what is left, so it is refused. Counting the rows also bounds the reading: no worksheet of this
assessment can need more than :func:`row_limit` rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.data.problems import Problems
from generator.office.sheetcolumns import FIRST_ROW, CellLoc, norm
from generator.office.sheetlayout import Layout


@dataclass
class SheetCount:
    """What one worksheet held: a group's worksheet, its units with the (item, rule) rows of each; a
    unit-level worksheet, its records."""

    name: str
    where: str
    slots: dict[str, set[tuple[str, str]]] | None = None
    records: int = 0


def row_limit(layout: Layout) -> int:
    """The last row any worksheet of this assessment may use: twice the rows of the whole score sheet
    for this roster (rows are copied for second findings), plus 1,000."""
    rows = sum(len(rows) for _, rows in layout.groups.values()) + sum(len(rows) for rows in layout.unit_rows.values())
    return 2 * (rows + FIRST_ROW) + 1000


def _expected(layout: Layout) -> tuple[dict[str, dict[str, set[tuple[str, str]]]], dict[str, set[tuple[str, str]]]]:
    """The rows each unit has: by worksheet name, and by unit. Rows made only for an existing self-score
    (an item with no rule) are not counted: a sheet made before that self-score existed has no such row."""
    by_sheet: dict[str, dict[str, set[tuple[str, str]]]] = {}
    by_unit: dict[str, set[tuple[str, str]]] = {}
    for name, (_group, rows) in layout.groups.items():
        units = by_sheet.setdefault(name, {})
        for row in rows:
            if row.slot.rule is None:
                continue
            key = (row.slot.node.id, norm(row.slot.label))
            units.setdefault(row.unit.id, set()).add(key)
            by_unit.setdefault(row.unit.id, set()).add(key)
    return by_sheet, by_unit


def count_against_roster(layout: Layout, counts: list[SheetCount], problems: Problems) -> list[str]:
    """One line per worksheet saying what was read; an error for each group's worksheet that lacks rows."""
    by_sheet, by_unit = _expected(layout)
    lines = []
    for count in counts:
        if count.slots is None:
            lines.append(f"  {count.where}：{count.records} 条记录")
            continue
        lines.append(f"  {count.where}：{_units_times_items(count.slots)}")
        expected = by_sheet.get(count.name)
        if expected is None:  # a renamed worksheet, or a CSV without its first row: check the units it has
            expected = {unit: by_unit[unit] for unit in count.slots if unit in by_unit}
        lost = [(unit, len(slots - count.slots.get(unit, set())), len(slots)) for unit, slots in expected.items()]
        lost = [entry for entry in lost if entry[1]]
        if lost:
            _refuse(problems, count, expected, lost)
    return lines


def _units_times_items(slots: dict[str, set[tuple[str, str]]]) -> str:
    sizes = sorted({len(s) for s in slots.values()}) or [0]
    items = str(sizes[0]) if len(sizes) == 1 else f"{sizes[0]}～{sizes[-1]}"
    return f"{len(slots)} 个单位 × {items} 项 = {sum(len(s) for s in slots.values())} 项"


def _refuse(
    problems: Problems, count: SheetCount, expected: dict[str, set[tuple[str, str]]], lost: list[tuple[str, int, int]]
) -> None:
    shown = "、".join(
        f"{unit} 的全部 {total} 项" if missing == total else f"{unit} 的 {missing} 项"
        for unit, missing, total in lost[:5]
    )
    more = f"等 {len(lost)} 个单位" if len(lost) > 5 else ""
    problems.error(
        CellLoc(count.where),
        f"按单位名册，这张工作表应有 {_units_times_items(expected)}，读到的少了："
        f"{shown}{more}（共 {sum(m for _, m, _ in lost)} 项）；"
        "文件可能丢了行，为免丢失考核结果，没有导入",
        "评分表可能被截断或删除了行（有的程序保存的文件声明的范围比实际小）。用 Excel 或 WPS 打开评分表、保存后再导入；"
        "删除了的行，从 kaoping sheet 新生成的评分表中复制回来。",
    )
