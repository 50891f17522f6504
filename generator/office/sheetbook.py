"""The score sheet as an XLSX workbook: what each cell may hold (the rule in words, the input
message, the data validation), the styling, the print setup, 说明 and 代码表.

The same layout and data give the same bytes (fixed document properties and zip entry dates, as the
downloads).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from generator.engine.exact import ZERO
from generator.engine.models import Node, Rubric
from generator.engine.rules.base import Rule
from generator.engine.rules.sheet import YES_NO, between, sheet_number
from generator.engine.rules.sheet import CellCheck as Check
from generator.office.sheetcolumns import BLANK_ROWS, CODES_SHEET, FIRST_ROW, MAIN_COLUMNS, UnitSheet
from generator.office.sheetlayout import Layout, SheetRow
from generator.office.sheetreadme import write_readme
from generator.office.sheetstyle import (
    BOLD,
    BORDER,
    HEAD,
    UNIT_BORDER,
    Validations,
    as_cell,
    decimal_cell,
    header,
    ident_row,
    page_setup,
    put,
    write_row,
)
from generator.site.downloads import FIXED_TIME, fixed_zip

# --------------------------------------------------------------------------------------------
# What each cell may hold: the rule in words, the input message, the data validation (the rule's kind
# says what its cells hold; generator.engine.rules.sheet)
# --------------------------------------------------------------------------------------------

#: What the 认定 column of the claims and deductions sheets offers (generator.data.claims reads more words).
DECISION_LIST = '"认定,不予认定,待认定"'


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
        return Check(
            "textLength",
            "equal",
            "0",
            None,
            "情况",
            "本项按下级指标计分，不在这一行扣分；只填自查分。",
            "本项不在这一行扣分。",
        )
    return rule.value_check(rubric, type_id, members)


def amount_check(rule: Rule | None, points: Decimal) -> Check:
    if rule is None:
        return Check(
            "textLength", "equal", "0", None, "扣分", "本项按下级指标计分，不在这一行扣分。", "本项不在这一行扣分。"
        )
    return rule.amount_check(points)


def self_score_check(points: Decimal, first: bool) -> Check:
    if not first:
        return Check(
            "textLength",
            "equal",
            "0",
            None,
            "自查分",
            "自查分填在本单位本项的第一行。",
            "自查分填在本单位本项的第一行。",
        )
    return _between(
        ZERO, points, "自查分", f"单位自评的本项得分，0～{_n(points)} 分。", f"自查分应在 0～{_n(points)} 分之间。"
    )


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
            words = (
                rule_words(slot.rule, rubric, unit.type, slot.points, unit.members) + "。"
                if slot.rule is not None
                else ""
            )
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
        checks.add_range(
            Check(None, title="扣分原因", prompt="写给被考核单位看的扣分原因；有情况或扣分时必填。"),
            col["reason"],
            FIRST_ROW,
            last,
        )
        checks.add_range(Check(None, title="考核人", prompt="填写考核人，不发布。"), col["assessor"], FIRST_ROW, last)
        checks.add_range(
            Check(None, title="内部备注", prompt="只供考核办公室看，不发布。"), col["note"], FIRST_ROW, last
        )
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
        (
            "unit",
            ("单位代码", "单位名称", "单位类型", "联络组"),
            [(u.id, u.name, _type_name(rubric, u.type), u.group) for u in layout.units],
        ),
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
        sections.append(
            (
                "penalty",
                ("扣分因素", "名称", "扣分"),
                [(p.id, p.name, f"{_n(p.min)}～{_n(p.max)}") for p in rubric.penalties],
            )
        )
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
        return Check(
            "list", None, codes.ranges[key], None, title, prompt[:255], f"从下拉列表中选择（见“{CODES_SHEET}”）。"
        )

    out = {"unit": listed("unit", "单位代码", "从下拉列表选择单位代码（名册见“代码表”）。")}
    name = spec.table.name
    if name == "parts":
        entered = rubric.entered_parts
        out["part"] = listed("part", "组成部分", "；".join(f"{p.name}（满分 {_n(p.full)} 分）" for p in entered))
        top = max((p.full or ZERO for p in entered), default=ZERO)
        out["score"] = _between(
            ZERO,
            top,
            "得分",
            f"该部分的得分（按该部分的满分计，最多 {_n(top)} 分）。",
            f"得分应在 0～{_n(top)} 分之间。",
        )
    elif name == "bonus" and rubric.bonus is not None:
        items = rubric.bonus.items
        out["bonus"] = listed("bonus", "加分项目", "；".join(f"{i.id}：{i.title}" for i in items))
        if "level" in codes.ranges:
            out["level"] = listed("level", "级别", "按级别加分的项目填级别；酌情加分的项目不填。")
        out["count"] = Check(
            "whole", "greaterThanOrEqual", "1", None, "次数", "按次计分的级别填次数，默认 1。", "次数为正整数。"
        )
        tops = [i.max for i in items if i.max is not None]
        if tops:
            lows = [i.min or ZERO for i in items if i.max is not None]
            out["amount"] = _between(
                min(lows),
                max(tops),
                "加分",
                "酌情加分的项目填分数；按级别加分的项目不填，由程序计算。",
                f"加分应在 {_n(min(lows))}～{_n(max(tops))} 分之间。",
            )
        out.update(stage_checks([(i.id, i.grounds) for i in items if i.grounds], bonus=True))
    elif name == "penalties":
        out["penalty"] = listed(
            "penalty",
            "扣分因素",
            "；".join(f"{p.id}：{p.name}（{_n(p.min)}～{_n(p.max)} 分）" for p in rubric.penalties),
        )
        low, high = min(p.min for p in rubric.penalties), max(p.max for p in rubric.penalties)
        out["amount"] = _between(
            low, high, "扣分", "扣减的分数，须在该扣分因素规定的范围内。", f"扣分应在 {_n(low)}～{_n(high)} 分之间。"
        )
        out["removes_eligibility"] = Check(
            "list",
            None,
            YES_NO,
            None,
            "取消评先资格",
            "「是」时同时取消评先资格（仅细则允许的扣分因素）。",
            "填「是」或「否」。",
        )
        out.update(stage_checks([(p.name, p.grounds) for p in rubric.penalties if p.grounds], bonus=False))
    elif name == "vetoes" and rubric.vetoes is not None:
        out["veto"] = listed("veto", "否决事项", "；".join(f"{e.id}：{e.name}" for e in rubric.vetoes.events))
        out["date"] = Check(None, title="日期", prompt="发生日期，例如 2012-09-17。")
    return out


def stage_checks(grounds: Sequence[tuple[str, Sequence[str]]], *, bonus: bool) -> dict[str, Check]:
    """The stage columns of the claims and deductions sheets: 认定 from a list, the grounds the rubric names."""
    what = "申报" if bonus else "扣分"
    out = {
        "confirmed": Check(
            "list",
            None,
            DECISION_LIST,
            None,
            "认定",
            f"「认定」计分；「不予认定」不计分，须写认定说明；「待认定」：尚未认定，不计分。"
            f"写了{what}或初审情况而不填认定的，也是尚未认定。",
            "从下拉列表中选择：认定、不予认定、待认定。",
        ),
    }
    if grounds:
        listed = "；".join(
            f"{name}：" + "，".join(f"{i}. {g}" for i, g in enumerate(named, start=1)) for name, named in grounds
        )
        title = "加分事由" if bonus else "扣分情形"
        out["ground"] = Check(None, title=title, prompt=f"写细则列出的一项或它的序号：{listed}"[:255])
    return out


def _write_unit_sheet(wb: Workbook, layout: Layout, spec: UnitSheet, codes: _CodeLists) -> None:
    ws = wb.create_sheet(spec.name, wb.sheetnames.index(CODES_SHEET))
    ident_row(ws, layout, spec.name)
    header(ws, spec.columns)
    names = {u.id: u.name for u in layout.units}
    rows = layout.unit_rows[spec.name]
    for r, values in enumerate(rows, start=FIRST_ROW):
        texts = [
            names.get(values.get("unit", ""), "") if c.key == "unit_name" else values.get(c.key, "")
            for c in spec.columns
        ]
        write_row(
            ws, r, spec.columns, [as_cell(t, c.numeric) for t, c in zip(texts, spec.columns, strict=True)], BORDER
        )
    last = FIRST_ROW + len(rows) - 1
    checks = Validations()
    col = {c.key: i for i, c in enumerate(spec.columns, start=1)}
    for key, check in _unit_checks(spec, layout.rubric, codes).items():
        checks.add_range(check, col[key], FIRST_ROW, last + BLANK_ROWS)
    checks.apply(ws)
    page_setup(ws, f"{layout.rubric.title} 评分表", len(spec.columns), last, "C3")


def workbook_bytes(layout: Layout, files: Mapping[str, str]) -> bytes:
    """The workbook, byte-identical for the same data (fixed document dates, fixed zip entry dates)."""
    wb = Workbook()
    write_readme(wb, layout, files)
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
