"""The score sheet as an XLSX workbook: what each cell may hold (the rule in words, the input
message, the data validation), the styling, the print setup, 说明 and 代码表.

The same layout and data give the same bytes (fixed document properties and zip entry dates, as the
downloads).
"""

from __future__ import annotations

import functools
import io
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from generator.data.formulas import CONTROL_CHARACTERS
from generator.engine.exact import ZERO, fmt, fmt_percent
from generator.engine.models import (
    RULE_KIND_NAMES,
    AllOrNothingRule,
    EarnedRule,
    FixedRule,
    Node,
    OverdueRule,
    PerElementRule,
    PerOccurrenceRule,
    PerPersonRule,
    RangeRule,
    RateRule,
    Rubric,
    Rule,
    ShortfallRule,
)
from generator.engine.scoring import shortfall_target
from generator.engine.tree import node_rules, walk
from generator.office.sheetcolumns import (
    BLANK_ROWS,
    CODES_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    IDENT_ROW,
    LABEL_DIGEST,
    LABEL_ID,
    LABEL_SHEET,
    MAIN_COLUMNS,
    README_SHEET,
    YES_NO,
    SheetColumn,
    UnitSheet,
    cell_number,
)
from generator.office.sheetlayout import Layout, SheetRow
from generator.site.downloads import FIXED_TIME, fixed_zip

# --------------------------------------------------------------------------------------------
# What each cell may hold: the rule in words, the input message, the data validation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A data validation: its kind, bounds and the messages Excel shows."""

    kind: str | None
    operator: str | None = None
    low: str | None = None
    high: str | None = None
    title: str = ""
    prompt: str = ""
    error: str = ""


def _n(value: Decimal | None) -> str:
    return fmt(value, 6) if value is not None else ""


def _between(low: Decimal, high: Decimal, title: str, prompt: str, error: str, kind: str = "decimal") -> Check:
    return Check(kind, "between", _n(low), _n(high), title, prompt, error)


def target_words(rule: ShortfallRule, rubric: Rubric, type_id: str, members: Decimal | None = None) -> str:
    """A target as the sheet states it: 4次, or 每人2次×7人=14次 where it is set per member."""
    if rule.per_member is not None:
        if members is None:
            return f"每人{_n(rule.per_member)}{rule.unit}×成员人数（见单位名册）"
        return f"每人{_n(rule.per_member)}{rule.unit}×{_n(members)}人={_n(rule.per_member * members)}{rule.unit}"
    return f"{_n(shortfall_target(rule, rubric, type_id))}{rule.unit}"


def rule_words(rule: Rule, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None = None) -> str:
    """The rule in words for one unit type, e.g. 每少1次扣1分，目标4次."""
    if isinstance(rule, ShortfallRule):
        how = f"每少1{rule.unit}扣{_n(rule.per)}分" if rule.per is not None else f"未达到目标扣{_n(rule.deduct)}分"
        text = f"{how}，目标{target_words(rule, rubric, type_id, members)}"
    elif isinstance(rule, PerElementRule):
        text = f"每缺1{rule.unit}扣{_n(rule.per)}分" + (f"（{'、'.join(rule.elements)}）" if rule.elements else "")
    elif isinstance(rule, FixedRule):
        text = f"存在问题扣{_n(rule.deduct)}分"
    elif isinstance(rule, RangeRule):
        top = rule.top(points)
        text = f"酌情扣{_n(rule.min)}～{_n(top)}分" if rule.min else f"酌情扣分，最多{_n(top)}分"
    elif isinstance(rule, OverdueRule):
        text = f"每超过1{rule.unit}扣{_n(rule.per)}分"
        if rule.whole_item_at is not None:
            text += f"，超期{_n(rule.whole_item_at)}{rule.unit}扣完本项{_n(points)}分"
    elif isinstance(rule, (PerOccurrenceRule, PerPersonRule)):
        text = f"每1{rule.unit}扣{_n(rule.per)}分"
    elif isinstance(rule, EarnedRule):
        text = f"做到得{_n(rule.points)}分，未做到不得分" + ("，可给部分分" if rule.partial else "")
    elif isinstance(rule, AllOrNothingRule):
        text = f"存在问题本项不得分（扣{_n(points)}分）"
    elif isinstance(rule, RateRule):
        if rule.per is not None:
            how = f"每次扣{_n(rule.per)}分"
        elif rule.deduct is not None:
            how = f"扣{_n(rule.deduct)}分"
        else:
            how = f"酌情扣{_n(rule.min or ZERO)}～{_n(rule.max)}分"
        text = f"{rule.measure}低于{fmt_percent(rule.threshold)}的，{how}"
    else:  # pragma: no cover - every kind is listed above
        text = RULE_KIND_NAMES.get(rule.kind, rule.kind)
    if rule.cap is not None:
        text += f"，本条最多扣{_n(rule.cap)}分"
    return text


def fill_words(rule: Rule | None) -> str:
    """What to fill for this rule, in a few words."""
    if rule is None:
        return "本项按下级指标计分，只填自查分"
    if isinstance(rule, ShortfallRule):
        return f"情况填实际完成的{rule.unit}数，不填扣分"
    if isinstance(rule, PerElementRule):
        return "情况填缺少的项（用顿号分隔）或缺项数"
    if isinstance(rule, (FixedRule, AllOrNothingRule)):
        return "有此问题：写明扣分原因（情况可填「是」）"
    if isinstance(rule, RangeRule):
        return "扣分填酌情扣的分数"
    if isinstance(rule, OverdueRule):
        return f"情况填超期的{rule.unit}数"
    if isinstance(rule, (PerOccurrenceRule, PerPersonRule)):
        return f"情况填{rule.unit}数（不填按1{rule.unit}计）"
    if isinstance(rule, EarnedRule):
        return "做到：情况填「是」，原因写明做到的情况" + ("；扣分列填得分" if rule.partial else "")
    if isinstance(rule, RateRule):
        return f"情况填{rule.measure}，例如 75%"
    return ""  # pragma: no cover


def value_check(rule: Rule | None, rubric: Rubric, type_id: str, members: Decimal | None = None) -> Check:
    if rule is None:
        return Check("textLength", "equal", "0", None, "情况", "本项按下级指标计分，不在这一行扣分；只填自查分。", "本项不在这一行扣分。")
    if isinstance(rule, ShortfallRule):
        target = target_words(rule, rubric, type_id, members)
        return Check("decimal", "greaterThanOrEqual", "0", None, "情况：完成次数", f"填写全年实际完成的{rule.unit}数（目标 {target}），程序按目标计算扣分；扣分列不填。", f"填写完成的{rule.unit}数（0 或正数）。")
    if isinstance(rule, (PerOccurrenceRule, PerPersonRule, OverdueRule)):
        what = f"超期的{rule.unit}数" if isinstance(rule, OverdueRule) else f"发生的{rule.unit}数（不填按 1 {rule.unit}计）"
        return Check("whole", "greaterThanOrEqual", "0", None, "情况：次数", f"填写{what}，程序计算扣分；扣分列可不填。", "填写整数。")
    if isinstance(rule, PerElementRule):
        choices = f"可填：{'、'.join(rule.elements)}。" if rule.elements else ""
        return Check(None, title="情况：缺少的项", prompt=f"填写缺少的项，用顿号分隔；或只填缺项数。{choices}")
    if isinstance(rule, (FixedRule, AllOrNothingRule)):
        return Check("list", None, YES_NO, None, "情况：是/否", "存在该问题填「是」，或不填、只写扣分原因；没有问题的行不填。", "填「是」或「否」。")
    if isinstance(rule, EarnedRule):
        return Check("list", None, YES_NO, None, "情况：是/否", "已做到填「是」，并在扣分原因中写明做到的情况；未做到的行不填。", "填「是」或「否」。")
    if isinstance(rule, RateRule):
        return _between(ZERO, Decimal(1), f"情况：{rule.measure}"[:32], f"填写{rule.measure}，例如 75%（低于 {fmt_percent(rule.threshold)} 扣分）。", "填写 0%～100% 的比率，例如 75%。")
    return Check(None, title="情况", prompt="酌情扣分不用填情况，在扣分列填分数，原因写明情况。")


def amount_check(rule: Rule | None, points: Decimal) -> Check:
    title = "扣分"
    if rule is None:
        return Check("textLength", "equal", "0", None, title, "本项按下级指标计分，不在这一行扣分。", "本项不在这一行扣分。")
    if isinstance(rule, RangeRule):
        top = rule.top(points)
        return _between(rule.min, top, title, f"酌情扣分：填 {_n(rule.min)}～{_n(top)} 分；同一规则有几行时合计不超过 {_n(top)} 分。", f"扣分应在 {_n(rule.min)}～{_n(top)} 分之间。")
    if isinstance(rule, FixedRule):
        return _between(rule.deduct, rule.deduct, title, f"固定扣 {_n(rule.deduct)} 分；可不填，由程序按细则计算。", f"本条固定扣 {_n(rule.deduct)} 分。")
    if isinstance(rule, AllOrNothingRule):
        return _between(points, points, title, f"本项不得分（扣 {_n(points)} 分）；可不填，由程序计算。", f"本条扣 {_n(points)} 分。")
    if isinstance(rule, ShortfallRule):
        return Check("textLength", "equal", "0", None, title, "按完成次数计算扣分，这一列不填。", "按完成次数计算扣分，扣分列不填。")
    if isinstance(rule, EarnedRule):
        if rule.partial:
            return _between(ZERO, rule.points, "得分", f"本条为得分：填 0～{_n(rule.points)} 分。", f"得分应在 0～{_n(rule.points)} 分之间。")
        return _between(rule.points, rule.points, "得分", f"做到即得 {_n(rule.points)} 分；可不填。", f"本条做到即得 {_n(rule.points)} 分。")
    if isinstance(rule, RateRule) and rule.max is not None:
        low = rule.min or ZERO
        return _between(low, rule.max, title, f"{rule.measure}低于标准时酌情扣 {_n(low)}～{_n(rule.max)} 分。", f"扣分应在 {_n(low)}～{_n(rule.max)} 分之间。")
    if isinstance(rule, RateRule) and rule.deduct is not None:
        return _between(rule.deduct, rule.deduct, title, f"{rule.measure}低于标准扣 {_n(rule.deduct)} 分；可不填。", f"本条扣 {_n(rule.deduct)} 分。")
    return _between(ZERO, points, title, "可不填，由程序按情况计算；填写时须等于次数乘每次扣的分。", f"扣分应在 0～{_n(points)} 分之间。")


def self_score_check(points: Decimal, first: bool) -> Check:
    if not first:
        return Check("textLength", "equal", "0", None, "自查分", "自查分填在本单位本项的第一行。", "自查分填在本单位本项的第一行。")
    return _between(ZERO, points, "自查分", f"单位自评的本项得分，0～{_n(points)} 分。", f"自查分应在 0～{_n(points)} 分之间。")


# --------------------------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNIT_BORDER = Border(left=_THIN, right=_THIN, top=Side(style="medium", color="404040"), bottom=_THIN)
_GIVEN = PatternFill("solid", fgColor="F2F2F2")
_HEAD = PatternFill("solid", fgColor="D9D9D9")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LINE_HEIGHT = 15.0


@functools.lru_cache(maxsize=8192)
def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide (CJK counts twice)."""
    total = 0
    for part in text.split("\n"):
        w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        total += max(1, math.ceil(w / max(1, width - 1)))
    return total


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub("", value)
        cell.value = value
        if value.startswith("="):
            cell.data_type = "s"  # text, never a formula
    else:
        cell.value = value
    return cell


def _write_row(ws: Any, r: int, columns: Sequence[SheetColumn], values: Sequence[Any], border: Any) -> None:
    """One worksheet row, a value per column: bordered, wrapped where the column wraps, grey where it is
    given (not filled in), and tall enough for its longest wrapped text."""
    height = 1
    for c, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = _put(ws, r, c, value)
        cell.border = border
        cell.alignment = _WRAP if column.wrap else _TOP
        if not column.fill:
            cell.fill = _GIVEN
        if column.wrap and isinstance(value, str) and value:
            height = max(height, _lines(value, column.width))
    if height > 1:
        ws.row_dimensions[r].height = min(409.0, height * _LINE_HEIGHT)


def _as_cell(text: str, numeric: bool) -> Any:
    if numeric:
        number = cell_number(text)
        if number is not None:
            return number
    return text


def _decimal_cell(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _ident_row(ws: Any, layout: Layout, name: str) -> None:
    for col, value in enumerate((LABEL_ID, layout.rubric.id, LABEL_DIGEST, layout.digest, LABEL_SHEET, name, f"{layout.rubric.title} 评分表"), start=1):
        cell = _put(ws, IDENT_ROW, col, value)
        if col % 2:
            cell.font = _BOLD


def _header(ws: Any, columns: Sequence[SheetColumn]) -> None:
    for col, column in enumerate(columns, start=1):
        cell = _put(ws, HEADER_ROW, col, column.title)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD, _HEAD_ALIGN, _BORDER
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = 30


def _print_setup(ws: Any, title: str, orientation: str) -> None:
    """A4, as wide as the page, headed with the title and the sheet's name, numbered pages."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.oddHeader.center.text = (title.replace("&", "&&") + " &A")[:200]
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _page_setup(ws: Any, title: str, last_column: int, last_row: int, freeze: str, *, filtered: bool = True) -> None:
    """A table worksheet: frozen headings, a filter on the header row (unless not ``filtered``), the
    header row repeated on every printed page, landscape."""
    ws.freeze_panes = freeze
    if filtered:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(last_column)}{max(last_row, HEADER_ROW)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    _print_setup(ws, title, "landscape")


class _Validations:
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


def _standard(node: Node) -> str:
    return node.standard or node.content


def _write_group(wb: Workbook, layout: Layout, name: str, rows: list[SheetRow]) -> None:
    ws = wb.create_sheet(name)
    rubric = layout.rubric
    _ident_row(ws, layout, name)
    _header(ws, MAIN_COLUMNS)
    col = {c.key: i for i, c in enumerate(MAIN_COLUMNS, start=1)}
    checks = _Validations()
    methods: dict[tuple[str, str | None, str, Decimal | None], str] = {}
    previous_unit = ""
    for r, srow in enumerate(rows, start=FIRST_ROW):
        unit, slot = srow.unit, srow.slot
        key = (slot.node.id, slot.rule_id, unit.type, unit.members)
        if key not in methods:
            words = rule_words(slot.rule, rubric, unit.type, slot.points, unit.members) + "。" if slot.rule is not None else ""
            methods[key] = words + fill_words(slot.rule) + "。"
        finding = srow.finding.cells if srow.finding is not None else {}
        given = {
            "unit": unit.id,
            "unit_name": unit.name,
            "item": slot.node.id,
            "rule": slot.label,
            "title": slot.title,
            "points": _decimal_cell(slot.points),
            "standard": _standard(slot.node),
            "method": methods[key],
        }
        filled = {k: finding.get(k, "") for k in ("value", "amount", "reason", "assessor", "note")}
        filled["self_score"] = srow.self_score.get("score") if srow.self_score is not None else ""
        border = _UNIT_BORDER if unit.id != previous_unit else _BORDER
        previous_unit = unit.id
        values = [given[c.key] if c.key in given else _as_cell(filled[c.key], c.numeric) for c in MAIN_COLUMNS]
        _write_row(ws, r, MAIN_COLUMNS, values, border)
        checks.add(value_check(slot.rule, rubric, unit.type, unit.members), col["value"], r)
        checks.add(amount_check(slot.rule, slot.points), col["amount"], r)
        checks.add(self_score_check(slot.points, srow.first), col["self_score"], r)
    last = FIRST_ROW + len(rows) - 1
    if rows:
        checks.add_range(Check(None, title="扣分原因", prompt="写给被考核单位看的扣分原因；有情况或扣分时必填。"), col["reason"], FIRST_ROW, last)
        checks.add_range(Check(None, title="考核人", prompt="填写考核人，不发布。"), col["assessor"], FIRST_ROW, last)
        checks.add_range(Check(None, title="内部备注", prompt="只供考核办公室看，不发布。"), col["note"], FIRST_ROW, last)
    checks.apply(ws)
    _page_setup(ws, f"{rubric.title} 评分表", len(MAIN_COLUMNS), last, "D3")


@dataclass(frozen=True)
class _CodeLists:
    """Ranges on 代码表 that the drop-down lists refer to."""

    ranges: Mapping[str, str]


def _write_codes(wb: Workbook, layout: Layout) -> _CodeLists:
    ws = wb.create_sheet(CODES_SHEET)
    rubric = layout.rubric
    _put(ws, 1, 1, "代码表：下拉列表的选项，只供查阅；导入时不读取本表。").font = _BOLD
    sections: list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]] = [
        ("unit", ("单位代码", "单位名称", "单位类型", "联络组"), [(u.id, u.name, _type_name(rubric, u.type), u.group) for u in layout.units]),
    ]
    entered = rubric.entered_parts
    if entered:
        sections.append(("part", ("组成部分", "代码", "满分"), [(p.name, p.id, _n(p.full)) for p in entered]))
    if rubric.bonus is not None:
        sections.append(("bonus", ("加分项目", "名称"), [(i.id, i.title) for i in rubric.bonus.items]))
        levels = list(dict.fromkeys(lv.name for i in rubric.bonus.items for lv in i.levels))
        if levels:
            sections.append(("level", ("级别",), [(lv,) for lv in levels]))
    if rubric.penalties:
        sections.append(("penalty", ("扣分因素", "名称", "扣分"), [(p.id, p.name, f"{_n(p.min)}～{_n(p.max)}") for p in rubric.penalties]))
    if rubric.vetoes is not None:
        sections.append(("veto", ("否决事项", "名称"), [(e.id, e.name) for e in rubric.vetoes.events]))
    ranges: dict[str, str] = {}
    col = 1
    for key, heads, rows in sections:
        for j, head in enumerate(heads):
            cell = _put(ws, 2, col + j, head)
            cell.font, cell.fill, cell.border = _BOLD, _HEAD, _BORDER
            ws.column_dimensions[get_column_letter(col + j)].width = 12 if j == 0 else 30
        for i, values in enumerate(rows, start=3):
            for j, value in enumerate(values):
                _put(ws, i, col + j, value).border = _BORDER
        letter = get_column_letter(col)
        ranges[key] = f"'{CODES_SHEET}'!${letter}$3:${letter}${max(3, 2 + len(rows))}"
        col += len(heads) + 1
    _page_setup(ws, f"{rubric.title} 评分表", col, 2, "A3", filtered=False)
    return _CodeLists(ranges)


def _type_name(rubric: Rubric, type_id: str) -> str:
    return next((t.name for t in rubric.unit_types if t.id == type_id), type_id)


def _unit_checks(spec: UnitSheet, rubric: Rubric, codes: _CodeLists) -> dict[str, Check]:
    def listed(key: str, title: str, prompt: str) -> Check:
        return Check("list", None, codes.ranges[key], None, title, prompt[:255], f"从下拉列表中选择（见“{CODES_SHEET}”）。")

    out = {"unit": listed("unit", "单位代码", "从下拉列表选择单位代码（名册见“代码表”）。")}
    name = spec.table.name
    if name == "parts":
        entered = rubric.entered_parts
        out["part"] = listed("part", "组成部分", "；".join(f"{p.name}（满分 {_n(p.full)} 分）" for p in entered))
        top = max((p.full or ZERO for p in entered), default=ZERO)
        out["score"] = _between(ZERO, top, "得分", f"该部分的得分（按该部分的满分计，最多 {_n(top)} 分）。", f"得分应在 0～{_n(top)} 分之间。")
    elif name == "bonus" and rubric.bonus is not None:
        items = rubric.bonus.items
        out["bonus"] = listed("bonus", "加分项目", "；".join(f"{i.id}：{i.title}" for i in items))
        if "level" in codes.ranges:
            out["level"] = listed("level", "级别", "按级别加分的项目填级别；酌情加分的项目不填。")
        out["count"] = Check("whole", "greaterThanOrEqual", "1", None, "次数", "按次计分的级别填次数，默认 1。", "次数为正整数。")
        tops = [i.max for i in items if i.max is not None]
        if tops:
            lows = [i.min or ZERO for i in items if i.max is not None]
            out["amount"] = _between(min(lows), max(tops), "加分", "酌情加分的项目填分数；按级别加分的项目不填，由程序计算。", f"加分应在 {_n(min(lows))}～{_n(max(tops))} 分之间。")
        out["confirmed"] = Check("list", None, YES_NO, None, "认定", "「是」认定（不填即认定）；「否」不予认定，不计分。", "填「是」或「否」。")
    elif name == "penalties":
        out["penalty"] = listed("penalty", "扣分因素", "；".join(f"{p.id}：{p.name}（{_n(p.min)}～{_n(p.max)} 分）" for p in rubric.penalties))
        low, high = min(p.min for p in rubric.penalties), max(p.max for p in rubric.penalties)
        out["amount"] = _between(low, high, "扣分", "扣减的分数，须在该扣分因素规定的范围内。", f"扣分应在 {_n(low)}～{_n(high)} 分之间。")
        out["removes_eligibility"] = Check("list", None, YES_NO, None, "取消评先资格", "「是」时同时取消评先资格（仅细则允许的扣分因素）。", "填「是」或「否」。")
    elif name == "vetoes" and rubric.vetoes is not None:
        out["veto"] = listed("veto", "否决事项", "；".join(f"{e.id}：{e.name}" for e in rubric.vetoes.events))
        out["date"] = Check(None, title="日期", prompt="发生日期，例如 2012-09-17。")
    return out


def _write_unit_sheet(wb: Workbook, layout: Layout, spec: UnitSheet, codes: _CodeLists) -> None:
    ws = wb.create_sheet(spec.name, wb.sheetnames.index(CODES_SHEET))
    _ident_row(ws, layout, spec.name)
    _header(ws, spec.columns)
    names = {u.id: u.name for u in layout.units}
    rows = layout.unit_rows[spec.name]
    for r, values in enumerate(rows, start=FIRST_ROW):
        texts = [names.get(values.get("unit", ""), "") if c.key == "unit_name" else values.get(c.key, "") for c in spec.columns]
        _write_row(ws, r, spec.columns, [_as_cell(t, c.numeric) for t, c in zip(texts, spec.columns, strict=True)], _BORDER)
    last = FIRST_ROW + len(rows) - 1
    checks = _Validations()
    col = {c.key: i for i, c in enumerate(spec.columns, start=1)}
    for key, check in _unit_checks(spec, layout.rubric, codes).items():
        checks.add_range(check, col[key], FIRST_ROW, last + BLANK_ROWS)
    checks.apply(ws)
    _page_setup(ws, f"{layout.rubric.title} 评分表", len(spec.columns), last, "C3")


def _write_readme(wb: Workbook, layout: Layout, root_files: Mapping[str, str]) -> None:
    ws = wb.active
    ws.title = README_SHEET
    rubric = layout.rubric
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    _put(ws, 1, 1, f"{rubric.title} 评分表").font = _TITLE
    lines: list[tuple[str, str] | str] = [
        (LABEL_ID, rubric.id),
        ("考核名称", rubric.title),
        ("考核年度", str(rubric.year)),
        ("考核机关", rubric.issuer),
        ("细则文件", root_files["rubric"]),
        (LABEL_DIGEST, layout.digest),
        ("", "细则内容（不计注释和排版）的校验码。导入时核对：细则在生成评分表之后改动过，会给出提示。"),
        ("单位名册", root_files["units"] + f"：{len(layout.units)} 个单位" + (f"（{len(layout.left_out)} 个单位不参加考核，未列入评分表）" if layout.left_out else "")),
        ("生成", f"kaoping sheet {rubric.id}"),
        "",
        "工作表",
    ]
    for name, (group, rows) in layout.groups.items():
        units = len(dict.fromkeys(r.unit.id for r in rows))
        lines.append((name, f"{'联络组 ' + group + '：' if group else ''}{units} 个单位，{len(rows)} 行。逐项填写情况、扣分、扣分原因和自查分。"))
    for spec in layout.unit_specs:
        lines.append((spec.name, f"{spec.table.title}：{spec.table.doc}列与 results/{rubric.id}/{spec.table.prefix}.csv 相同。"))
    lines.append((CODES_SHEET, "下拉列表的选项和各代码的含义，只供查阅。"))
    lines += ["", "填写方法", *[("", t) for t in _HOW_TO], "", "各列说明"]
    lines += [(c.title, c.doc) for c in MAIN_COLUMNS]
    lines += ["", "各种评分规则怎样填"]
    kinds = dict.fromkeys(rule.kind for n, _ in walk(rubric.indicators) for _, rule in node_rules(n, rubric))
    for kind in kinds:
        lines.append((RULE_KIND_NAMES[kind], _KIND_HELP[kind]))
    r = 3
    for line in lines:
        if isinstance(line, str):
            if line:
                _put(ws, r, 1, line).font = _BOLD
        else:
            label, text = line
            a = _put(ws, r, 1, label)
            a.font, a.alignment = _BOLD, _TOP
            b = _put(ws, r, 2, text)
            b.alignment = _WRAP
            if _lines(text, 100) > 1:
                ws.row_dimensions[r].height = _lines(text, 100) * _LINE_HEIGHT
        r += 1
    _print_setup(ws, f"{rubric.title} 评分表", "portrait")


_HOW_TO = (
    "1. 每个联络组一张工作表。每个单位按细则顺序列出每项指标的每一条评分规则，一条规则一行；灰色的列已经填好，不要改动。",
    "2. 发现问题时，在这一行填写“情况”或“扣分”，并写明“扣分原因”（被考核单位会看到）。怎样填见“计分方法”列和下面的说明；"
    "选中格子时会显示填写说明，填的数不在允许的范围内时表格会提示。",
    "3. 同一条规则发现第二处问题：点左边的行号选中这一行，复制，再右键“插入复制的单元格”，在新的一行改写情况、扣分和原因。"
    "不要在表格下面的空白处另起一行。",
    "4. 没有问题的行不填，导入时不读取；只填了考核人或内部备注的行也不读取。",
    "5. 自查分填在每个单位每项指标的第一行；一项指标有几条规则时，其余几行不填自查分。",
    "6. 分项得分（平时考核等）、加分申报、扣分因素、否决事项各一张工作表，列与 results/ 中的 CSV 表相同，每一事项一行，"
    "接着最后一行往下填；单位名称一列只供查看，可以不填。",
    "7. 不要改动工作表的名称、表头和第 1 行（考核代码和细则校验码）；可以筛选、调整列宽和行高、隐藏列，但不要删除或移动列。",
    "8. 填好后保存为 .xlsx，交考核办公室导入：kaoping import 文件名.xlsx。也可以把各张工作表分别另存为 CSV（UTF-8）放在一个文件夹里，"
    "导入这个文件夹；或只导入一个联络组另存的 CSV，这时只更新这个联络组的单位。",
    "9. 考核人和内部备注不发布，只供考核办公室看。",
)

_KIND_HELP: Mapping[str, str] = {
    "shortfall": "情况填实际完成的次数（篇数、小时数），程序按目标计算少了多少；扣分不填。",
    "per_element": "情况填缺少的项，用顿号分隔（可选的项见计分方法），或只填缺项数；扣分可不填。",
    "fixed": "存在该问题时写明扣分原因，情况可填「是」；扣分可不填（填时须等于细则规定的分）。",
    "range": "扣分填酌情扣的分数（在计分方法写明的范围内），原因写明情况；情况不填。",
    "overdue": "情况填超期的月数（或其他时间单位），程序计算扣分；扣分可不填。",
    "per_occurrence": "情况填发生的次数（不填按 1 次计）；扣分可不填（填时须等于次数乘每次扣的分）。",
    "per_person": "情况填人次（不填按 1 人次计）；扣分可不填。",
    "earned": "已做到时情况填「是」，原因写明做到的情况；可给部分分的，扣分列填得分。",
    "all_or_nothing": "存在该问题时写明原因，情况可填「是」，本项不得分；扣分可不填。",
    "rate": "情况填比率，例如 75%；低于标准时按计分方法扣分，酌情扣分的在扣分列填分数。",
}


def workbook_bytes(layout: Layout, files: Mapping[str, str]) -> bytes:
    """The workbook, byte-identical for the same data (fixed document dates, fixed zip entry dates)."""
    wb = Workbook()
    _write_readme(wb, layout, files)
    for name, (_group, rows) in layout.groups.items():
        _write_group(wb, layout, name, rows)
    # 代码表 is the last worksheet, but the unit-level worksheets' lists refer to it: write it first.
    codes = _write_codes(wb, layout)
    for spec in layout.unit_specs:
        _write_unit_sheet(wb, layout, spec, codes)
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = "kaoping"
    props.created = props.modified = FIXED_TIME
    props.title = f"{layout.rubric.title} 评分表"
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue())
