"""Downloads an office computes with: numbers as numbers, formats, frozen header, filters, a sheet per group.

Read as a clerk's computer would: openpyxl reads the cell types; LibreOffice (headless) recalculates a SUM
the clerk adds over a column and saves it as CSV.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import csv_text, rubric_text, score

from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.outcome import AssessmentOutcome
from generator.site.resultbook import results_workbook
from generator.site.views.office import office_context
from generator.site.workbooks import sheet_name, sheets_bytes
from generator.site.yeardownloads import unit_workbook, write_year_downloads, year_frames
from generator.site.yearpaths import year_downloads

RUBRIC = rubric_text(
    """
    indicators:
      - {id: c1, title: 组织生活, points: 60, rules: [{kind: range}]}
      - {id: c2, title: 台账, points: 40, rules: [{kind: range}]}
    grading:
      method: threshold
      bands:
        - {grade: pass, min: 95}
        - {grade: fail}
    """
)
UNITS = csv_text(
    "id,name,type,status,group",
    "u1,一支部,branch,已考核,第一组",
    "u2,=二支部,branch,已考核,第一组",
    "u3,三支部,branch,已考核,第二组/A",
    "u4,四支部,branch,不参加考核,第二组/A",
)
ENTRIES = csv_text("unit,item,amount,reason", "u1,c1,0.5,记录不全", "u2,c1,2.25,党课不足", "u3,c2,6,台账缺失")


@pytest.fixture
def outcome(tmp_path: Path) -> AssessmentOutcome:
    return score(tmp_path, RUBRIC, {"units.csv": UNITS, "entries.csv": ENTRIES})


def test_the_results_workbook_stores_numbers_with_a_sheet_per_group(outcome: AssessmentOutcome, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(results_workbook(outcome, tmp_path))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["2017年度考核结果", "第一组", "第二组-A", "分组统计"]
    ws = book["2017年度考核结果"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["单位代码", "单位名称", "单位类型", "联络组"]
    total = header.index("综合得分") + 1
    rows = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=total) for r in range(2, ws.max_row + 1)}
    assert {k: (c.value, c.data_type) for k, c in rows.items()} == {
        "u1": (99.5, "n"),
        "u2": (97.75, "n"),
        "u3": (94, "n"),
        "u4": (None, "n"),  # u4 not assessed: blank
    }
    assert rows["u1"].number_format == "0.00"
    assert ws.cell(row=3, column=2).value == "'=二支部"  # a name that looks like a formula stays text
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}5"
    group = book["第一组"]
    assert [group.cell(row=r, column=1).value for r in range(2, group.max_row + 1)] == ["u1", "u2"]
    stats = list(book["分组统计"].values)
    assert stats[0][:5] == ("排名组", "参加考核单位数", "平均综合得分", "最高分", "最低分")
    assert stats[1][:5] == ("第一组", 2, 98.63, 99.5, 97.75)


def test_a_sample_workbook_says_so_on_every_sheet(tmp_path: Path) -> None:
    folder_files = {"units.csv": UNITS, "entries.csv": ENTRIES, "README.md": "示例数据：虚构。\n"}
    outcome = score(tmp_path, RUBRIC, folder_files)
    book = openpyxl.load_workbook(io.BytesIO(results_workbook(outcome, tmp_path)))
    assert all(ws["A1"].value == DOWNLOAD_NOTE and ws["A2"].value for ws in book.worksheets)
    assert book.worksheets[0].freeze_panes == "C3"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_csv(source: Path, tmp_path: Path, options: str = "44,34,76") -> str:
    """``source``'s first sheet saved as CSV by LibreOffice (headless), as a clerk's spreadsheet would;
    ``options``: its CSV filter's (separator, quote, UTF-8, and whether cells are saved as shown)."""
    assert SOFFICE is not None, "LibreOffice 不在（Debian 的 libreoffice-calc-nogui；make test 会安装它）"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return source.with_suffix(".csv").read_text(encoding="utf-8", errors="replace")


def test_a_sum_over_the_totals_is_their_total_in_libreoffice(outcome: AssessmentOutcome, tmp_path: Path) -> None:
    """Today's bug: scores stored as text make SUM give 0. A clerk's SUM must give the total."""
    assert SOFFICE is not None, "LibreOffice 不在（Debian 的 libreoffice-calc-nogui；make test 会安装它）"
    book = openpyxl.load_workbook(io.BytesIO(results_workbook(outcome, tmp_path)))
    ws = book.worksheets[0]
    column = openpyxl.utils.get_column_letter([c.value for c in ws[1]].index("综合得分") + 1)
    ws[f"A{ws.max_row + 2}"] = "合计"
    ws[f"{column}{ws.max_row}"] = f"=SUM({column}2:{column}5)"
    for name in book.sheetnames[1:]:
        del book[name]
    source = tmp_path / "clerk.xlsx"
    book.save(source)
    rows = list(csv.reader(io.StringIO(libreoffice_csv(source, tmp_path))))
    total = rows[-1][[c for c in rows[0]].index("综合得分")]
    assert Decimal(total) == sum(u.score.total for u in outcome.units if u.score.assessed) == Decimal("291.25")


def test_a_units_workbook_has_its_items_and_reasons_as_numbers(outcome: AssessmentOutcome) -> None:
    u2 = outcome.by_unit()["u2"]
    book = openpyxl.load_workbook(io.BytesIO(unit_workbook(outcome, u2)))
    assert book.sheetnames == ["得分汇总", "逐项得分", "扣分明细", "加分和扣分因素", "整改任务"]
    summary = {row[0]: row[1] for row in book["得分汇总"].values}
    assert summary["综合得分"] == float(u2.score.total) and isinstance(summary["名次"], int)
    assert summary["等次"] == u2.standing.label
    items = list(book["逐项得分"].values)
    # no self scores, no marks: as on the page, no such columns
    assert items[0] == ("编号", "考核项目", "分值", "扣分", "得分")
    assert items[1] == ("c1", "组织生活", 60, 2.25, 57.75)
    assert book["逐项得分"]["E2"].number_format == "0.00" and book["逐项得分"]["C2"].number_format == "0"
    rules = list(book["扣分明细"].values)
    # the rule by its words in the standards when it has them (these have none: their code); no rule earns
    assert rules[0] == ("指标编号", "考核项目", "规则", "扣分", "计算", "扣分原因")
    assert rules[1][:4] == ("c1", "组织生活", "a", 2.25) and rules[1][5] == "党课不足"


def test_a_units_workbook_is_the_same_bytes_every_time(outcome: AssessmentOutcome) -> None:
    """Written once (no second zip pass): the zip's entries and the document carry fixed dates, not today's."""
    u1 = outcome.by_unit()["u1"]
    data = unit_workbook(outcome, u1)
    assert unit_workbook(outcome, u1) == data
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert {i.date_time for i in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = book.read("docProps/core.xml").decode("utf-8")
    assert core.count("2000-01-01T00:00:00Z") == 2, core  # created and modified
    # a number stays a number, text stays text, a formula-like name stays text
    sheet = openpyxl.load_workbook(io.BytesIO(unit_workbook(outcome, outcome.by_unit()["u2"])))["得分汇总"]
    assert [c.value for c in sheet["B"]][1] == "'=二支部"


def test_the_years_lists(outcome: AssessmentOutcome) -> None:
    sheets = dict(year_frames(outcome))
    assert list(sheets) == ["结果运用", "整改任务", "意见书和督办单", "异议和复核"]
    assert list(sheets["结果运用"].columns) == ["单位", "排名组", "名次", "等次", "结果运用", "依据"]


def test_the_office_page_has_a_row_per_unit_for_the_problems_found(outcome: AssessmentOutcome) -> None:
    """At ten thousand units the problems found are hundreds of thousands of lines: the office's page shows
    one row per unit; its problems are on its own page."""
    ctx = office_context(outcome)
    rows = {s.name: s for s in ctx.next_tasks}
    assert set(rows) == {"一支部", "=二支部", "三支部"}
    assert (rows["=二支部"].count, rows["=二支部"].lost, rows["=二支部"].statuses) == (1, "2.25", "尚未列入整改任务 1")
    assert rows["三支部"].url.endswith("#next-tasks")


def test_sheet_names_from_data_are_made_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("第二组/A", taken) == "第二组-A"
    assert sheet_name("第二组:A", taken) == "第二组-A（2）"
    long = "很" * 40
    assert len(sheet_name(long, taken)) == 31 and len(sheet_name(long, taken)) == 31
    assert sheet_name("[]", taken) == "--"


def _table(book: openpyxl.Workbook, name: str) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
    """A sheet's header and rows (below the sample note, when there is one)."""
    rows = list(book[name].values)
    head = next(i for i, row in enumerate(rows) if row[0] in ("编号", "指标编号"))
    return rows[head], rows[head + 1 :]


def test_a_units_workbook_marks_what_its_page_marks(tmp_path: Path) -> None:
    """What the document did not give is marked on every page that shows it and in the unit's workbook: each
    item and rule its page marks 补 or 解 says so in words in the sheet, and the summary says what the total
    and the grade rest on. Read back as a clerk's program reads it."""
    from generator.data.pipeline import prepare
    from generator.site.views.origin import grade_rests_on_filled, grading_note
    from generator.site.views.unit import item_rows

    root = Path(__file__).resolve().parents[1]
    prepared = prepare(root)
    checked = {"items": 0, "rules": 0, "notes": 0, "others": 0}
    for outcome in prepared.outcomes.values():
        # an assessed unit with another unit type's categories, when there is one
        assessed = [x for x in outcome.units if x.score.assessed]
        u = max(assessed, key=lambda x: sum(not c.applicable for c in x.score.categories))
        book = openpyxl.load_workbook(io.BytesIO(unit_workbook(outcome, u)))
        shown = item_rows(u.score.categories, "u.md", "s.md", rubric=outcome.rubric)

        header, items = _table(book, "逐项得分")
        marked = [r for r in shown if r.mark or r.title_mark or r.points_mark]
        assert (header[-1] == "补充和解读") == bool(marked), (outcome.rubric.id, header)
        by_id = {row[0]: row for row in items}
        for r in shown:
            marks = [m for m in (r.mark, r.title_mark, r.points_mark) if m is not None]
            text = str(by_id[r.id][-1] or "") if marked else ""
            assert all(f"{m.origin}：{m.text}" in text for m in marks), (outcome.rubric.id, r.id, text)
            assert bool(text) == bool(marks), (outcome.rubric.id, r.id, text)
            checked["items"] += len(marks)
        header, rules = _table(book, "扣分明细")
        lines = [(r.id, line) for r in shown for line in r.rules]
        assert len(rules) == len(lines), outcome.rubric.id
        if any(line.marks for _, line in lines):
            assert header[-1] == "补充和解读"
            for row, (item, line) in zip(rules, lines, strict=True):
                assert row[0] == item
                assert all(f"{m.origin}：{m.text}" in str(row[-1] or "") for m in line.marks), (item, row[-1])
                checked["rules"] += len(line.marks)
        summary = [row for row in book["得分汇总"].values if row[0] == "说明"]
        r = outcome.rubric
        notes = [n for n in (grading_note(r), grade_rests_on_filled(r, u.score.unit_type.id)) if n]
        assert [row[2] for row in summary][: len(notes)] == notes, outcome.rubric.id
        checked["notes"] += len(notes)
        # another unit type's categories: not rows, but named in one line, as on the page
        others = [c for c in u.score.categories if not c.applicable]
        assert not [c.id for c in others if c.id in by_id], outcome.rubric.id
        if others:
            assert all(c.node.title in str(summary[-1][2]) for c in others), summary[-1]
            checked["others"] = checked.get("others", 0) + 1
    assert all(checked.values()), checked


YEAR_RUBRIC = rubric_text(
    """
    indicators:
      - {id: c1, title: 组织生活, points: 100, rules: [{kind: range}]}
    """
)
YEAR_UNITS = csv_text("id,name,type,status", "u1,一支部,branch,已考核", "u2,二支部,branch,已考核")
TASKS = csv_text(
    "unit,year,item,problem,lost,target,measures,progress,person,due,status,done",
    "u1,2016,c1,三会一课记录不全,2,记录完整,补记录,已完成,张某,2017-10-8,已完成,2017-09-30",
    "u1,2016,c1,党费收缴不及时,1,按月收缴,建台账,推进中,张某,2017-06-30,整改中,",
    "u2,2016,c1,制度不健全,1,建立制度,制定,,李某,,,",
)
LETTERS = csv_text(
    "id,kind,number,unit,issuer,date,item,finding,requirement,due,answer_date,answer,status",
    "2017-01,意见书,工委意〔2017〕1号,u1,,2017-05-02,c1,三会一课记录不全,请书面说明,2017-05-20,2017-05-25,已补齐,已办结",
)


def _plain(book: openpyxl.Workbook, name: str) -> tuple[tuple[object, ...], list[tuple[object, ...]]]:
    """A sheet of data that is not a sample: its header, then its rows."""
    header, *rows = book[name].values
    return header, rows


def test_dates_in_the_workbooks_are_dates_a_clerk_sorts_by(tmp_path: Path) -> None:
    """Due dates, done dates and a letter's dates are spreadsheet dates shown as the page writes them
    (2017年10月8日): sorted as dates, 2017年10月8日 comes after 2017年6月30日, which as text it would not."""
    outcome = score(
        tmp_path, YEAR_RUBRIC, {"units.csv": YEAR_UNITS, "rectification.csv": TASKS, "letters.csv": LETTERS}
    )
    book = openpyxl.load_workbook(io.BytesIO(unit_workbook(outcome, outcome.by_unit()["u1"])))
    header, rows = _plain(book, "整改任务")
    due, done = header.index("完成时限"), header.index("完成日期")
    assert [r[due] for r in rows] == [datetime(2017, 10, 8), datetime(2017, 6, 30)]
    assert [r[done] for r in rows] == [datetime(2017, 9, 30), None]
    assert book["整改任务"].cell(row=2, column=due + 1).number_format == 'yyyy"年"m"月"d"日"'
    header, rows = _plain(book, "意见书和督办单")
    assert [rows[0][header.index(c)] for c in ("发出日期", "答复期限", "答复日期")] == [
        datetime(2017, 5, 2),
        datetime(2017, 5, 20),
        datetime(2017, 5, 25),
    ]
    # The office's year workbook: the same columns the same way; text in other columns stays text.
    write_year_downloads(outcome, tmp_path / "docs")
    source = tmp_path / "year.xlsx"
    source.write_bytes((tmp_path / "docs" / year_downloads(outcome.rubric.id)[0]).read_bytes())
    header, rows = _plain(openpyxl.load_workbook(source), "整改任务")
    assert sorted(r[header.index("完成时限")] for r in rows if r[header.index("完成时限")]) == [
        datetime(2017, 6, 30),
        datetime(2017, 10, 8),
    ]
    assert all(isinstance(r[header.index("问题")], str) for r in rows)
    header, rows = _plain(openpyxl.load_workbook(source), "意见书和督办单")
    assert [rows[0][header.index(c)] for c in ("发出日期", "答复期限", "答复日期")] == [
        datetime(2017, 5, 2),
        datetime(2017, 5, 20),
        datetime(2017, 5, 25),
    ]
    # LibreOffice, as a clerk's spreadsheet, shows them as the page does (cells saved as shown).
    book = openpyxl.load_workbook(source)
    for name in book.sheetnames:
        if name != "整改任务":
            del book[name]
    book.save(source)
    shown = libreoffice_csv(source, tmp_path, "44,34,76,1,,0,false,true,true")
    assert "2017年10月8日" in shown and "2017年6月30日" in shown and "2017年9月30日" in shown


def test_a_date_a_spreadsheet_cannot_show_stays_text() -> None:
    """Spreadsheets count days from 1900: a year typed 1017 would be ##### or a day off as a date; it stays
    the text the page shows. Text that only looks like a date in another column stays text too."""
    book = openpyxl.load_workbook(
        io.BytesIO(
            sheets_bytes(
                [("整改任务", ["问题", "完成时限"], [["2017年10月8日", "1017年10月8日"], ["甲", "1900年3月1日"]])],
                dates=["完成时限"],
            )
        )
    )
    assert list(book["整改任务"].values)[1:] == [("2017年10月8日", "1017年10月8日"), ("甲", datetime(1900, 3, 1))]
