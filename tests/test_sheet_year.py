"""The year's records in the score sheet: ``kaoping sheet`` writes a worksheet for each of the year's tables the
results keep (letters, objections, rectification tasks, votes), the office fills it in Excel, ``kaoping import``
writes the tables back and the site's records follow; a bad cell is refused at its worksheet cell.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from generator.cli import main
from generator.data.pipeline import prepare
from generator.office.sheetcolumns import FIRST_ROW, HEADER_ROW

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
AID = "zonghe-2020"


def project(dest: Path) -> Path:
    shutil.copytree(ROOT / "rubrics", dest / "rubrics")
    shutil.copytree(ROOT / "results", dest / "results")
    return dest


def cli(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def columns(ws: Any) -> dict[str, int]:
    return {c.value: c.column for c in ws[HEADER_ROW] if c.value}


def row_of(ws: Any, column: int, value: str) -> int:
    return next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(r, column).value == value)


def test_the_years_records_go_out_in_the_sheet_and_come_back(tmp_path: Path, capsys: Any) -> None:
    root = project(tmp_path / "p")
    sheet = tmp_path / "sheet.xlsx"
    assert cli(root, "sheet", AID, "-o", str(sheet)) == 0
    before = prepare(root, {AID}).outcomes[AID].year
    assert before is not None
    records = before.records
    wb = openpyxl.load_workbook(sheet)
    assert {"意见书和督办单", "异议和复核", "整改任务"} <= set(wb.sheetnames)
    letters, tasks = wb["意见书和督办单"], wb["整改任务"]
    assert letters.max_row - HEADER_ROW == len(records.letters)
    assert tasks.max_row - HEADER_ROW == len(records.rectification)

    # The office records a unit's answer to a letter still waiting, and a task put right (the date typed as
    # a date, as Excel stores it); a new letter is added below the others.
    waiting = next(x for x in records.letters if x.status == "waiting")
    lc = columns(letters)
    r = row_of(letters, lc["编号"], waiting.id)
    letters.cell(r, lc["答复日期"]).value = datetime.datetime(2020, 11, 3)
    letters.cell(r, lc["答复内容"]).value = "已召开专题会议研究整改，相关制度已修订。"
    letters.cell(r, lc["办理状态"]).value = "已答复"
    new = letters.max_row + 1
    for title, value in (
        ("编号", "2020-99"),
        ("类别", "督办单"),
        ("单位代码", waiting.unit),
        ("发出日期", datetime.datetime(2020, 11, 20)),
        ("发现的问题", "年度党建工作总结未按时报送。"),
    ):
        letters.cell(new, lc[title]).value = value
    tc = columns(tasks)
    task = next(t for t in records.rectification if t.status != "done")
    r = next(
        r
        for r in range(FIRST_ROW, tasks.max_row + 1)
        if (tasks.cell(r, tc["单位代码"]).value, tasks.cell(r, tc["问题"]).value) == (task.unit, task.problem)
    )
    tasks.cell(r, tc["整改状态"]).value = "已完成"
    tasks.cell(r, tc["完成日期"]).value = datetime.datetime(2020, 5, 30)
    wb.save(sheet)
    capsys.readouterr()

    # The results already hold these tables: the import says what would change and asks for --force.
    assert cli(root, "import", str(sheet)) != 0
    err = capsys.readouterr().err
    assert "letters.csv：原有 7 行，导入后 8 行" in err and "rectification.csv" in err, err
    assert cli(root, "import", str(sheet), "--force") == 0
    prepared = prepare(root, {AID})
    assert not prepared.problems.has_errors(), [str(p) for p in prepared.problems.errors]
    after = prepared.outcomes[AID].year
    assert after is not None
    answered = next(x for x in after.records.letters if x.id == waiting.id)
    assert (answered.status, answered.answer_date) == ("answered", datetime.date(2020, 11, 3))
    added = next(x for x in after.records.letters if x.id == "2020-99")
    assert (added.kind, added.unit, added.date) == ("督办单", waiting.unit, datetime.date(2020, 11, 20))
    assert added.status == "waiting"
    assert len(after.records.letters) == len(records.letters) + 1
    done = next(t for t in after.records.rectification if (t.unit, t.problem) == (task.unit, task.problem))
    assert (done.status, done.done) == ("done", datetime.date(2020, 5, 30))
    # Everything else came back as it went out.
    assert after.records.objections == records.objections
    assert len(after.records.rectification) == len(records.rectification)


def test_a_bad_cell_in_a_years_sheet_is_refused_at_the_cell(tmp_path: Path, capsys: Any) -> None:
    root = project(tmp_path / "p")
    sheet = tmp_path / "sheet.xlsx"
    assert cli(root, "sheet", AID, "-o", str(sheet)) == 0
    wb = openpyxl.load_workbook(sheet)
    tasks = wb["整改任务"]
    tc = columns(tasks)
    tasks.cell(FIRST_ROW, tc["整改状态"]).value = "差不多了"
    wb.save(sheet)
    before = (root / "results" / AID / "rectification.csv").read_bytes()
    capsys.readouterr()
    assert cli(root, "import", str(sheet)) != 0
    err = capsys.readouterr().err
    column = openpyxl.utils.get_column_letter(tc["整改状态"])
    assert err.startswith(f"工作表「整改任务」第 {FIRST_ROW} 行 {column} 列: 错误：整改状态「差不多了」无法识别"), err
    assert (root / "results" / AID / "rectification.csv").read_bytes() == before, "有错误时不应改动任何文件"
