"""Score sheets (评分表): ``kaoping sheet`` writes an XLSX workbook the assessors fill, ``kaoping import``
reads it back into ``results/``.

The layout is described in :mod:`generator.office.sheetlayout`, the workbook is written by
:mod:`generator.office.sheetbook` and read back by :mod:`generator.office.sheetimport`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.data.load import RESULTS_DIR
from generator.data.problems import EXIT_DATA, EXIT_OK, EXIT_USAGE, Problems
from generator.office.outputfile import OutputRefused, check_output, write_output
from generator.office.sheetbook import workbook_bytes
from generator.office.sheetlayout import (
    README_SHEET,
    build_layout,
    load_assessment,
    report_problems,
)


def write_sheet(root: Path, aid: str, output: Path | None, *, force: bool = False) -> int:
    """``kaoping sheet``: write the score sheet of assessment ``aid``; returns the exit status.

    An existing file is replaced only with ``force``; nothing under rubrics/, results/, access/ or .git is
    ever written (see :mod:`generator.office.outputfile`).
    """
    target = output if output is not None else root / f"{aid}-评分表.xlsx"
    try:
        path = check_output(root, target, force=force, example=f"{aid}-评分表.xlsx", note="（它可能是考核组已经填好的评分表）")
    except OutputRefused as exc:
        print(f"{exc}。", file=sys.stderr)
        return EXIT_USAGE
    problems = Problems()
    loaded, status = load_assessment(root, aid, problems)
    layout = build_layout(loaded.rubric, loaded.raw, loaded.units, problems) if loaded is not None else None
    if problems.items:
        report_problems(problems)
    if loaded is None or layout is None or problems.has_errors():
        if status != EXIT_USAGE:
            print("数据有错误，没有生成评分表。改正上面列出的错误后再运行。", file=sys.stderr)
        return status if status != EXIT_OK else EXIT_DATA
    files = {"rubric": loaded.rubric_file, "units": f"{RESULTS_DIR}/{aid}/units.csv"}
    try:
        write_output(path, workbook_bytes(layout, files), replace=force)
    except OutputRefused as exc:
        print(f"{exc}。", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"无法写入 {target}：{exc.strerror or exc}。文件是否正在 Excel 或 WPS 中打开？关闭后再运行。", file=sys.stderr)
        return EXIT_DATA
    print(f"已生成评分表 {target}：")
    for name, (_group, rows) in layout.groups.items():
        units = len(dict.fromkeys(r.unit.id for r in rows))
        filled = sum(1 for r in rows if r.finding is not None or r.self_score is not None)
        print(f"  工作表「{name}」：{units} 个单位，{len(rows)} 行" + (f"（{filled} 行已有考核结果）" if filled else ""))
    for spec in layout.unit_specs:
        rows_of = layout.unit_rows[spec.name]
        filled = sum(1 for r in rows_of if any(r.get(k) for k in spec.record_keys))
        print(f"  工作表「{spec.name}」：{spec.table.title}" + (f"，已有 {filled} 行" if filled else ""))
    if layout.left_out:
        print(f"  不参加考核的单位没有列入：{'、'.join(u.id for u in layout.left_out)}")
    print(f"下一步：交考核组按“{README_SHEET}”工作表填写；填好后运行 kaoping import {target.name}")
    return EXIT_OK

