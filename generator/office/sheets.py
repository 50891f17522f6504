"""Score sheets (评分表): ``kaoping sheet`` writes an XLSX workbook the assessors fill, ``kaoping import``
reads it back into ``results/``.

The layout is described in :mod:`generator.office.sheetlayout`, the workbook is written by
:mod:`generator.office.sheetbook` and read back by :mod:`generator.office.sheetimport`.
"""

from __future__ import annotations

from pathlib import Path

from generator.data.load import RESULTS_DIR
from generator.data.problems import Problems, os_error_words
from generator.office.outputfile import OutputRefused, check_output, write_output
from generator.office.report import Ending, Report
from generator.office.sheetbook import workbook_bytes
from generator.office.sheetcolumns import README_SHEET
from generator.office.sheetlayout import Layout, build_layout, load_assessment


def write_sheet(root: Path, aid: str, output: str | Path | None, *, force: bool = False) -> Report:
    """``kaoping sheet``: write the score sheet of assessment ``aid``.

    An existing file is replaced only with ``force``; nothing under rubrics/, results/, access/ or .git is
    ever written, nor under docs/, site/ or shards/ (published), nor a name not ending in .xlsx (see
    :mod:`generator.office.outputfile`).
    """
    report = Report()
    target = output if output is not None else root / f"{aid}-评分表.xlsx"
    try:
        path = check_output(
            root, target, force=force, example=f"{aid}-评分表.xlsx", note="（它可能是考核组已经填好的评分表）"
        )
    except OutputRefused as exc:
        return report.stop(Ending.USAGE, f"{exc}。")
    if Path(target).suffix.lower() != ".xlsx":  # (a folder, written with / or not, is refused above)
        return report.stop(
            Ending.USAGE,
            f"没有写入 {target}：评分表是 Excel 工作簿，文件名要以 .xlsx 结尾，"
            f"例如 {Path(target).with_suffix('.xlsx')}。",
        )
    problems = Problems()
    loaded, status = load_assessment(root, aid, problems)
    layout = build_layout(loaded.rubric, loaded.raw, loaded.units, problems) if loaded is not None else None
    report.problems(problems)
    if loaded is None or layout is None or problems.has_errors():
        if status is Ending.USAGE:
            return report.stop(Ending.USAGE)
        return report.stop(Ending.DATA, "数据有错误，没有生成评分表。改正上面列出的错误后再运行。")
    files = {"rubric": loaded.rubric_file, "units": f"{RESULTS_DIR}/{aid}/units.csv"}
    try:
        write_output(path, workbook_bytes(layout, files), replace=force)
    except OutputRefused as exc:
        return report.stop(Ending.USAGE, f"{exc}。")
    except OSError as exc:
        words = f"无法写入 {target}：{os_error_words(exc)}。文件是否正在 Excel 或 WPS 中打开？关闭后再运行。"
        return report.stop(Ending.DATA, words)
    report.tell(f"已生成评分表 {target}：", *_contents(layout))
    report.tell(f"下一步：交考核组按“{README_SHEET}”工作表填写；填好后运行 kaoping import {Path(target).name}")
    return report


def _contents(layout: Layout) -> list[str]:
    """One line per worksheet: how many units and rows, how many already hold results."""
    lines = []
    for name, (_group, rows) in layout.groups.items():
        units = len(dict.fromkeys(r.unit.id for r in rows))
        filled = sum(1 for r in rows if r.finding is not None or r.self_score is not None)
        lines.append(
            f"  工作表「{name}」：{units} 个单位，{len(rows)} 行" + (f"（{filled} 行已有考核结果）" if filled else "")
        )
    for spec in layout.unit_specs:
        rows_of = layout.unit_rows[spec.name]
        filled = sum(1 for r in rows_of if any(r.get(k) for k in spec.record_keys))
        lines.append(f"  工作表「{spec.name}」：{spec.table.title}" + (f"，已有 {filled} 行" if filled else ""))
    if layout.left_out:
        lines.append(f"  不参加考核的单位没有列入：{'、'.join(u.id for u in layout.left_out)}")
    return lines
