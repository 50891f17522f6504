"""The score sheet's first worksheet, 说明: what the workbook is, its worksheets, how to fill it in, what
each column holds and how each kind of rule in the rubric is filled in (the kind's own words)."""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook

from generator.engine.tree import node_rules, walk
from generator.office.sheetcolumns import CODES_SHEET, LABEL_DIGEST, LABEL_ID, MAIN_COLUMNS, README_SHEET
from generator.office.sheetlayout import Layout
from generator.office.sheetstyle import BOLD, LINE_HEIGHT, TITLE, TOP, WRAP, line_count, print_setup, put


def write_readme(wb: Workbook, layout: Layout, root_files: Mapping[str, str]) -> None:
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
        (
            "单位名册",
            root_files["units"]
            + f"：{len(layout.units)} 个单位"
            + (f"（{len(layout.left_out)} 个单位不参加考核，未列入评分表）" if layout.left_out else ""),
        ),
        ("生成", f"kaoping sheet {rubric.id}"),
        "",
        "工作表",
    ]
    for name, (group, rows) in layout.groups.items():
        units = len(dict.fromkeys(r.unit.id for r in rows))
        lines.append(
            (
                name,
                f"{'联络组 ' + group + '：' if group else ''}{units} 个单位，{len(rows)} 行。"
                "逐项填写情况、扣分、扣分原因和自查分。",
            )
        )
    for spec in layout.unit_specs:
        lines.append(
            (spec.name, f"{spec.table.title}：{spec.table.doc}列与 results/{rubric.id}/{spec.table.prefix}.csv 相同。")
        )
    lines.append((CODES_SHEET, "下拉列表的选项和各代码的含义，只供查阅。"))
    lines += ["", "填写方法", *[("", t) for t in HOW_TO], "", "各列说明"]
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


HOW_TO = (
    "1. 每个联络组一张工作表。每个单位按细则顺序列出每项指标的每一条评分规则，一条规则一行；"
    "灰色的列已经填好，不要改动。",
    "2. 发现问题时，在这一行填写“情况”或“扣分”，并写明“扣分原因”（被考核单位会看到）。"
    "怎样填见“计分方法”列和下面的说明；"
    "选中格子时会显示填写说明，填的数不在允许的范围内时表格会提示。",
    "3. 同一条规则发现第二处问题：点左边的行号选中这一行，复制，再右键“插入复制的单元格”，"
    "在新的一行改写情况、扣分和原因。"
    "不要在表格下面的空白处另起一行。",
    "4. 没有问题的行不填，导入时不读取；只填了考核人或内部备注的行也不读取。",
    "5. 自查分填在每个单位每项指标的第一行；一项指标有几条规则时，其余几行不填自查分。",
    "6. 分项得分（平时考核等）、加分申报、扣分因素、否决事项各一张工作表，列与 results/ 中的 CSV 表相同，每一事项一行，"
    "接着最后一行往下填；单位名称一列只供查看，可以不填。",
    "7. 不要改动工作表的名称、表头和第 1 行（考核代码和细则校验码）；"
    "可以筛选、调整列宽和行高、隐藏列，但不要删除或移动列。",
    "8. 填好后保存为 .xlsx，交考核办公室导入：kaoping import 文件名.xlsx。"
    "也可以把各张工作表分别另存为 CSV（UTF-8）放在一个文件夹里，"
    "导入这个文件夹；或只导入一个联络组另存的 CSV，这时只更新这个联络组的单位。",
    "9. 考核人和内部备注不发布，只供考核办公室看。",
)
