"""The score sheet as an XLSX workbook: what each cell may hold (the rule in words, the input
message, the data validation), the styling, the print setup, 说明 and 代码表.

The same layout and data give the same bytes (fixed document properties and zip entry dates, as the
downloads).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from generator.engine.exact import ZERO
from generator.engine.models import Node, Rubric
from generator.engine.rules.base import Rule
from generator.engine.rules.sheet import YES_NO, between, sheet_number
from generator.engine.rules.sheet import CellCheck as Check
from generator.engine.tree import node_rules, walk
from generator.office.sheetlayout import (
    BLANK_ROWS,
    CODES_SHEET,
    FIRST_ROW,
    LABEL_DIGEST,
    LABEL_ID,
    MAIN_COLUMNS,
    README_SHEET,
    Layout,
    SheetRow,
    UnitSheet,
)
from generator.office.sheetstyle import (
    BOLD,
    BORDER,
    HEAD,
    LINE_HEIGHT,
    TITLE,
    TOP,
    UNIT_BORDER,
    WRAP,
    Validations,
    as_cell,
    decimal_cell,
    header,
    ident_row,
    line_count,
    page_setup,
    print_setup,
    put,
    write_row,
)
from generator.site.downloads import FIXED_TIME, fixed_zip

# --------------------------------------------------------------------------------------------
# What each cell may hold: the rule in words, the input message, the data validation (the rule's kind
# says what its cells hold; generator.engine.rules.sheet)
# --------------------------------------------------------------------------------------------


_n = sheet_number
_between = between


def rule_words(rule: Rule, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None = None) -> str:
    """The rule in words for one unit type (its kind's words, then its cap), e.g. 每少1次扣1分，目标4次."""
    text = rule.sheet_words(rubric, type_id, points, members)
    if rule.cap is not None:
        text += f"，本条最多扣{_n(rule.cap)}分"
    return text


def fill_words(rule: Rule | None) -> str:
    """What to fill for this rule, in a few words."""
    if rule is None:
        return "本项按下级指标计分，只填自查分"
    return rule.fill_words()


def value_check(rule: Rule | None, rubric: Rubric, type_id: str, members: Decimal | None = None) -> Check:
    if rule is None:
        return Check("textLength", "equal", "0", None, "情况", "本项按下级指标计分，不在这一行扣分；只填自查分。", "本项不在这一行扣分。")
    return rule.value_check(rubric, type_id, members)


def amount_check(rule: Rule | None, points: Decimal) -> Check:
    if rule is None:
        return Check("textLength", "equal", "0", None, "扣分", "本项按下级指标计分，不在这一行扣分。", "本项不在这一行扣分。")
    return rule.amount_check(points)


def self_score_check(points: Decimal, first: bool) -> Check:
    if not first:
        return Check("textLength", "equal", "0", None, "自查分", "自查分填在本单位本项的第一行。", "自查分填在本单位本项的第一行。")
    return _between(ZERO, points, "自查分", f"单位自评的本项得分，0～{_n(points)} 分。", f"自查分应在 0～{_n(points)} 分之间。")


# --------------------------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------------------------


def _standard(node: Node) -> str:
    return node.standard or node.content


def _write_group(wb: Workbook, layout: Layout, name: str, rows: list[SheetRow]) -> None:
    ws = wb.create_sheet(name)
    rubric = layout.rubric
    ident_row(ws, layout, name)
    header(ws, MAIN_COLUMNS)
    col = {c.key: i for i, c in enumerate(MAIN_COLUMNS, start=1)}
    checks = Validations()
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
            "points": decimal_cell(slot.points),
            "standard": _standard(slot.node),
            "method": methods[key],
        }
        filled = {k: finding.get(k, "") for k in ("value", "amount", "reason", "assessor", "note")}
        filled["self_score"] = srow.self_score.get("score") if srow.self_score is not None else ""
        border = UNIT_BORDER if unit.id != previous_unit else BORDER
        previous_unit = unit.id
        values = [given[c.key] if c.key in given else as_cell(filled[c.key], c.numeric) for c in MAIN_COLUMNS]
        write_row(ws, r, MAIN_COLUMNS, values, border)
        checks.add(value_check(slot.rule, rubric, unit.type, unit.members), col["value"], r)
        checks.add(amount_check(slot.rule, slot.points), col["amount"], r)
        checks.add(self_score_check(slot.points, srow.first), col["self_score"], r)
    last = FIRST_ROW + len(rows) - 1
    if rows:
        checks.add_range(Check(None, title="扣分原因", prompt="写给被考核单位看的扣分原因；有情况或扣分时必填。"), col["reason"], FIRST_ROW, last)
        checks.add_range(Check(None, title="考核人", prompt="填写考核人，不发布。"), col["assessor"], FIRST_ROW, last)
        checks.add_range(Check(None, title="内部备注", prompt="只供考核办公室看，不发布。"), col["note"], FIRST_ROW, last)
    checks.apply(ws)
    page_setup(ws, f"{rubric.title} 评分表", len(MAIN_COLUMNS), last, "D3")


@dataclass(frozen=True)
class _CodeLists:
    """Ranges on 代码表 that the drop-down lists refer to."""

    ranges: Mapping[str, str]


def _write_codes(wb: Workbook, layout: Layout) -> _CodeLists:
    ws = wb.create_sheet(CODES_SHEET)
    rubric = layout.rubric
    put(ws, 1, 1, "代码表：下拉列表的选项，只供查阅；导入时不读取本表。").font = BOLD
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
            cell = put(ws, 2, col + j, head)
            cell.font, cell.fill, cell.border = BOLD, HEAD, BORDER
            ws.column_dimensions[get_column_letter(col + j)].width = 12 if j == 0 else 30
        for i, values in enumerate(rows, start=3):
            for j, value in enumerate(values):
                put(ws, i, col + j, value).border = BORDER
        letter = get_column_letter(col)
        ranges[key] = f"'{CODES_SHEET}'!${letter}$3:${letter}${max(3, 2 + len(rows))}"
        col += len(heads) + 1
    page_setup(ws, f"{rubric.title} 评分表", col, 2, "A3", filtered=False)
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
    ident_row(ws, layout, spec.name)
    header(ws, spec.columns)
    names = {u.id: u.name for u in layout.units}
    rows = layout.unit_rows[spec.name]
    for r, values in enumerate(rows, start=FIRST_ROW):
        texts = [names.get(values.get("unit", ""), "") if c.key == "unit_name" else values.get(c.key, "") for c in spec.columns]
        write_row(ws, r, spec.columns, [as_cell(t, c.numeric) for t, c in zip(texts, spec.columns, strict=True)], BORDER)
    last = FIRST_ROW + len(rows) - 1
    checks = Validations()
    col = {c.key: i for i, c in enumerate(spec.columns, start=1)}
    for key, check in _unit_checks(spec, layout.rubric, codes).items():
        checks.add_range(check, col[key], FIRST_ROW, last + BLANK_ROWS)
    checks.apply(ws)
    page_setup(ws, f"{layout.rubric.title} 评分表", len(spec.columns), last, "C3")


def _write_readme(wb: Workbook, layout: Layout, root_files: Mapping[str, str]) -> None:
    ws = wb.active
    ws.title = README_SHEET
    rubric = layout.rubric
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 100
    put(ws, 1, 1, f"{rubric.title} 评分表").font = TITLE
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
    kinds = dict.fromkeys(type(rule) for n, _ in walk(rubric.indicators) for _, rule in node_rules(n, rubric))
    for kind in kinds:
        lines.append((kind.NAME, kind.FILL_HELP))
    r = 3
    for line in lines:
        if isinstance(line, str):
            if line:
                put(ws, r, 1, line).font = BOLD
        else:
            label, text = line
            a = put(ws, r, 1, label)
            a.font, a.alignment = BOLD, TOP
            b = put(ws, r, 2, text)
            b.alignment = WRAP
            if line_count(text, 100) > 1:
                ws.row_dimensions[r].height = line_count(text, 100) * LINE_HEIGHT
        r += 1
    print_setup(ws, f"{rubric.title} 评分表", "portrait")


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
