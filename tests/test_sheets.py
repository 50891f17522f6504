"""Score sheets: ``kaoping sheet`` and ``kaoping import`` on the bundled data, and their edges.

- The round trip, for every assessment under ``results/``: the sheet written from the bundled results,
  imported into a copy without them, scores the same, number for number, and writes the same sheet
  again byte for byte. A fresh sheet filled in by hand (rows copied for second findings, as 说明
  says) from the bundled CSV files imports to the same scores.
- The workbook: data validation, frozen panes and print setup as openpyxl reads them back.
- A wrong cell is reported by worksheet, row and column; nothing is written while one is wrong,
  nor over different data without ``--force``.
- The same layout saved as CSV (a folder of worksheets, or one group's worksheet) imports the same.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sandbox import digests
from sheetfiles import drop_rows, replace_text, understate_dimension, worksheet_parts

import generator.office.outputfile
from generator.cli import main
from generator.data.csvread import parse_table
from generator.data.load import load_project
from generator.data.pipeline import prepare
from generator.data.problems import Problems
from generator.data.tables import TABLES, table_for_file
from generator.engine.models import Rubric
from generator.engine.outcome import NodeOutcome
from generator.engine.results import RawResults
from generator.engine.tree import node_index
from generator.office.sheetcolumns import FIRST_ROW, HEADER_ROW, YEAR_TABLES, cell_number, cell_text
from generator.office.sheetlayout import resolve_rule
from generator.office.sheetsource import MAX_CELL_CHARS
from generator.office.sheetxlsx import _long_text
from generator.site.export import summary_rows

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENTS = sorted(
    p.name for p in (ROOT / "results").iterdir() if p.is_dir() and (ROOT / "rubrics" / f"{p.name}.yml").is_file()
)
#: What a results folder keeps when its tables are taken away: the registry, the office's decisions, the notice,
#: and the year's records the score sheet does not carry (letters, objections, rectification, votes).
KEPT = {
    "units.csv",
    "awards.csv",
    "notice.yml",
    "README.md",
    "letters.csv",
    "objections.csv",
    "rectification.csv",
    "recommendations.csv",
}


def copy_project(dest: Path, *, tables: bool = True) -> Path:
    shutil.copytree(ROOT / "rubrics", dest / "rubrics")
    shutil.copytree(ROOT / "results", dest / "results")
    if not tables:
        for path in (dest / "results").glob("*/*"):
            if path.name not in KEPT:
                path.unlink()
    return dest


def cli(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def walk(nodes: tuple[NodeOutcome, ...]) -> Iterator[NodeOutcome]:
    for n in nodes:
        yield n
        yield from walk(n.children)


def numbers(root: Path, aid: str) -> tuple[list[dict[str, Any]], dict[tuple[str, str], tuple[Any, ...]]]:
    """Everything the engine computed that a unit or the notice shows, in a comparable form."""
    prepared = prepare(root, {aid})
    assert not prepared.problems.has_errors(), "\n".join(str(p) for p in prepared.problems.sorted())
    outcome = prepared.outcomes[aid]
    nodes = {}
    for u in outcome.units:
        for n in walk(u.score.categories):
            reasons = sorted(reason for r in n.rules for reason in r.reasons)
            nodes[(u.unit.id, n.id)] = (n.points, n.lost, n.score, n.self_score, tuple(reasons))
        nodes[(u.unit.id, "")] = (
            u.score.bonus.total,
            u.score.penalty_total,
            tuple(p.raw for p in u.score.parts),
            u.score.total,
        )
    return summary_rows(outcome), nodes


def raw_results(root: Path, aid: str) -> tuple[Rubric, RawResults]:
    problems = Problems()
    project = load_project(root, problems, {aid})
    assert not problems.has_errors()
    return project.rubrics[aid][0], project.results[aid]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each assessment's sheet written from the bundled results, and the bundled scores."""
    root = copy_project(tmp_path_factory.mktemp("bundled"))
    out: dict[str, Any] = {"root": root}
    for aid in ASSESSMENTS:
        sheet = root / f"{aid}.xlsx"
        assert cli(root, "sheet", aid, "-o", str(sheet)) == 0
        out[aid] = (sheet, numbers(root, aid))
    return out


# --------------------------------------------------------------------------------------------
# The round trip on the bundled data
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("aid", ASSESSMENTS)
def test_sheet_import_sheet_is_lossless(
    aid: str, bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, expected = bundled[aid]
    root = copy_project(tmp_path / "p", tables=False)
    assert cli(root, "import", str(sheet)) == 0
    assert numbers(root, aid) == expected
    again = tmp_path / "again.xlsx"
    assert cli(root, "sheet", aid, "-o", str(again)) == 0
    assert again.read_bytes() == sheet.read_bytes()
    capsys.readouterr()
    # The sheet of the bundled results, imported into the bundled results, changes nothing.
    before = digests(bundled["root"] / "results")
    assert cli(bundled["root"], "import", str(sheet)) == 0
    assert "没有变化" in capsys.readouterr().out
    assert digests(bundled["root"] / "results") == before


def test_writing_the_same_sheet_twice_gives_the_same_bytes(bundled: dict[str, Any], tmp_path: Path) -> None:
    second = tmp_path / "second.xlsx"
    assert cli(bundled["root"], "sheet", "wujin-2017", "-o", str(second)) == 0
    assert second.read_bytes() == bundled["wujin-2017"][0].read_bytes()


def _typed(text: str) -> Any:
    """What a cell holds after an assessor types ``text`` (Excel turns plain numbers into numbers)."""
    number = cell_number(text)
    return number if number is not None else text


def _fill_main(
    ws: Any,
    col: dict[str, int],
    rubric: Rubric,
    types: dict[str, str],
    findings: dict[tuple[str, str, str], list[dict[str, str]]],
    self_scores: dict[tuple[str, str], str],
) -> set[tuple[str, str, str]]:
    """A group's worksheet filled: each finding on its rule's row (a second one on a copy of the row), the
    self-score on the item's first row; the findings placed."""
    nodes = node_index(rubric)
    done: set[tuple[str, str, str]] = set()
    seen: set[tuple[str, str]] = set()
    plan = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        unit, item, label = (cell_text(ws.cell(r, col[t]).value) for t in ("单位代码", "指标编号", "规则"))
        rid = resolve_rule(rubric, nodes[item], label, types.get(unit)) or ""
        first = (unit, item) not in seen
        seen.add((unit, item))
        plan.append((r, (unit, item, rid), first))
    for r, key, first in reversed(plan):  # bottom up: inserting rows does not move the rows still to fill
        rows = findings.get(key, [])
        if len(rows) > 1:
            ws.insert_rows(r + 1, len(rows) - 1)
            for k in range(1, len(rows)):
                for c in range(1, ws.max_column + 1):
                    ws.cell(r + k, c).value = ws.cell(r, c).value
        for k, cells in enumerate(rows):
            for title, name in (
                ("情况", "value"),
                ("扣分", "amount"),
                ("扣分原因", "reason"),
                ("考核人", "assessor"),
                ("内部备注", "note"),
            ):
                if cells.get(name):
                    ws.cell(r + k, col[title]).value = _typed(cells[name])
        if rows:
            done.add(key)
        if first and (key[0], key[1]) in self_scores:
            ws.cell(r, col["自查分"]).value = _typed(self_scores[(key[0], key[1])])
    return done


YEAR_SHEETS = {table.title for table, _mark in YEAR_TABLES.values()}


def fill_by_hand(sheet: Path, rubric: Rubric, raw: RawResults) -> None:
    """Fill a fresh sheet from results CSV rows as an assessor would: each finding on its rule's row, a
    second finding on a copy of the row inserted below it, self-scores on the item's first row, unit-level
    records under the header."""
    wb = openpyxl.load_workbook(sheet)
    nodes = node_index(rubric)
    findings: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    type_ids = {t.name: t.id for t in rubric.unit_types} | {t.id: t.id for t in rubric.unit_types}
    types = {u.get("id"): type_ids[u.get("type")] for u in raw.units}
    for row in raw.entries:
        node = nodes[row.get("item").strip()]
        # A blank 规则 means the item's only rule for the unit's type (a rule may apply to some types only).
        rid = resolve_rule(rubric, node, row.get("rule"), types[row.get("unit")])
        assert rid is not None
        findings.setdefault((row.get("unit"), node.id, rid), []).append(dict(row.cells))
    self_scores = {(r.get("unit"), nodes[r.get("item")].id): r.get("score") for r in raw.self_scores}
    entered = [p for p in rubric.parts if p.source == "entered"]
    parts = {}
    for r in raw.parts:
        part = next(p for p in entered if r.get("part") in (p.id, p.name))
        parts[(r.get("unit"), part.name)] = dict(r.cells)
    done: set[tuple[str, str, str]] = set()
    for ws in wb.worksheets:
        head = [c.value for c in ws[HEADER_ROW]]
        col = {title: i for i, title in enumerate(head, start=1) if title}
        if ws.title in YEAR_SHEETS:
            continue  # the year's records the results keep: already on the sheet, as the office wrote them
        if "指标编号" in col:
            done |= _fill_main(ws, col, rubric, types, findings, self_scores)
        elif "组成部分" in col:
            for r in range(FIRST_ROW, ws.max_row + 1):
                cells = parts.pop((ws.cell(r, col["单位代码"]).value, ws.cell(r, col["组成部分"]).value), None)
                if cells:
                    ws.cell(r, col["得分"]).value = _typed(cells["score"])
            assert not parts, parts
        elif "单位代码" in col and ws.title != "代码表":
            table = next(t for t in TABLES if t.name in ("bonus", "penalties", "vetoes") and t.columns[1].title in col)
            for r, row in enumerate(getattr(raw, table.name), start=FIRST_ROW):
                for column in table.columns:
                    if row.get(column.name):
                        ws.cell(r, col[column.title]).value = _typed(row.get(column.name))
    assert done == set(findings), set(findings) - done
    wb.save(sheet)


@pytest.mark.parametrize("aid", ASSESSMENTS)
def test_a_fresh_sheet_filled_by_hand_scores_as_the_bundled_csv(
    aid: str, bundled: dict[str, Any], tmp_path: Path
) -> None:
    root = copy_project(tmp_path / "p", tables=False)
    sheet = tmp_path / "fresh.xlsx"
    assert cli(root, "sheet", aid, "-o", str(sheet)) == 0
    rubric, raw = raw_results(ROOT, aid)
    fill_by_hand(sheet, rubric, raw)
    assert cli(root, "import", str(sheet)) == 0
    assert numbers(root, aid) == bundled[aid][1]


# --------------------------------------------------------------------------------------------
# The workbook as Excel sees it
# --------------------------------------------------------------------------------------------


def validations(ws: Any) -> dict[str, Any]:
    """Each cell (e.g. ``J5``) → the data validation that covers it."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    out[f"{openpyxl.utils.get_column_letter(col)}{row}"] = dv
    return out


def find_row(ws: Any, unit: str, item: str, rule: str) -> int:
    for r in range(FIRST_ROW, ws.max_row + 1):
        if (ws.cell(r, 1).value, ws.cell(r, 3).value, ws.cell(r, 4).value or "") == (unit, item, rule):
            return r
    raise KeyError((unit, item, rule))


def test_workbook_layout_and_validation(bundled: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(bundled["wujin-2017"][0])
    # wujin-2017 keeps rectification tasks (from 2016): they travel in the sheet too, after the scores.
    assert wb.sheetnames == ["说明", "高中组", "初中组", "小学组", "幼儿园组", "加分申报", "整改任务", "代码表"]
    readme = wb["说明"]
    labels = {readme.cell(r, 1).value: readme.cell(r, 2).value for r in range(1, 20)}
    assert labels["考核代码"] == "wujin-2017" and labels["细则校验码"].startswith("sha256-")
    ws = wb["高中组"]
    assert [c.value for c in ws[1]][:6] == [
        "考核代码",
        "wujin-2017",
        "细则校验码",
        labels["细则校验码"],
        "工作表",
        "高中组",
    ]
    assert [c.value for c in ws[2]] == [
        "单位代码",
        "单位名称",
        "指标编号",
        "规则",
        "考核项目",
        "分值",
        "评分标准",
        "计分方法",
        "情况",
        "扣分",
        "扣分原因",
        "自查分",
        "考核人",
        "内部备注",
    ]
    assert ws.freeze_panes == "D3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert (
        ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    )
    assert (
        "评分表" in ws.oddHeader.center.text and "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    )
    assert ws.column_dimensions["G"].width > ws.column_dimensions["F"].width
    assert ws.cell(FIRST_ROW, 7).alignment.wrap_text

    dv = validations(ws)
    # 12 党建工作台账资料 (6 分): 酌情扣分 — 扣分 0..6.
    r = find_row(ws, "gz-01", "12", "")
    assert (dv[f"J{r}"].type, dv[f"J{r}"].formula1, dv[f"J{r}"].formula2) == ("decimal", "0", "6")
    assert ws.cell(r, 8).value.startswith("酌情扣分，最多6分")
    # 1 no_plan: fixed 3 — 扣分 exactly 3, 情况 是/否.
    r = find_row(ws, "gz-01", "1", "no_plan")
    assert (dv[f"J{r}"].formula1, dv[f"J{r}"].formula2) == ("3", "3")
    assert (dv[f"I{r}"].type, dv[f"I{r}"].formula1) == ("list", '"是,否"')
    assert (dv[f"L{r}"].type, dv[f"L{r}"].formula2) == ("decimal", "6")  # 自查分 on the item's first row
    r2 = find_row(ws, "gz-01", "1", "no_summary")
    assert (dv[f"L{r2}"].type, dv[f"L{r2}"].operator) == ("textLength", "equal")  # not on its second row
    # 2 (one rule, no id): 每少1次扣1分，目标4次 — 情况 a count, 扣分 not filled.
    r = find_row(ws, "gz-01", "2", "")
    assert ws.cell(r, 8).value.startswith("每少1次扣1分，目标4次")
    assert (dv[f"I{r}"].type, dv[f"I{r}"].operator) == ("decimal", "greaterThanOrEqual")
    assert dv[f"J{r}"].type == "textLength"
    # 8: per occurrence — 情况 a whole number.
    r = find_row(ws, "gz-01", "8", "")
    assert dv[f"I{r}"].type == "whole"
    # 14 posts: the target follows the unit type (党委 12).
    assert "目标12篇" in ws.cell(find_row(ws, "gz-01", "14", "posts"), 8).value
    for cell in (f"I{r}", f"J{r}", f"K{r}"):
        assert dv[cell].showInputMessage and dv[cell].prompt

    bonus = wb["加分申报"]
    # The claims sheet: the claim, then its stages (申报 → 初审 → 认定).
    assert [c.value for c in bonus[2]] == [
        "单位代码",
        "单位名称",
        "加分项目",
        "级别",
        "次数",
        "加分",
        "事项",
        "依据",
        "加分事由",
        "申报分",
        "申报日期",
        "初审单位",
        "初审意见",
        "认定",
        "认定说明",
        "内部备注",
    ]
    bdv = validations(bonus)
    assert bdv["A3"].type == "list" and bdv["A3"].formula1.startswith("'代码表'!")
    assert bdv["C200"].type == "list"  # new rows below the data get the lists too
    assert (bdv["N3"].type, bdv["N3"].formula1) == ("list", '"认定,不予认定,待认定"')


def test_unit_level_sheets_follow_the_rubric(bundled: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(bundled["zonghe-2020"][0], read_only=True)
    assert wb.sheetnames[-8:] == [
        *("满意度评价", "加分申报", "扣分因素", "否决事项"),
        *("意见书和督办单", "异议和复核", "整改任务", "代码表"),  # the year's records the results keep
    ]
    parts = wb["满意度评价"]
    assert [c.value for c in next(parts.iter_rows(min_row=2, max_row=2)) if c.value] == [
        "单位代码",
        "单位名称",
        "组成部分",
        "得分",
        "内部备注",
    ]
    assert openpyxl.load_workbook(bundled["gongshang-2005"][0], read_only=True).sheetnames == ["说明", "评分", "代码表"]


# --------------------------------------------------------------------------------------------
# Wrong cells, --force, CSV
# --------------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def test_a_wrong_cell_is_reported_by_sheet_row_and_column(
    project: Path, bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = openpyxl.load_workbook(bundled["wujin-2017"][0])
    ws = wb["初中组"]
    r_count = find_row(ws, "cz-02", "2", "")
    ws.cell(r_count, 9).value = "三"
    ws.cell(r_count, 11).value = "只开了三次专题会"
    r_fixed = find_row(ws, "cz-02", "1", "no_plan")
    ws.cell(r_fixed, 10).value = 5
    ws.cell(r_fixed, 11).value = "无年度计划"
    ws.cell(r_fixed, 12).value = 9
    bonus = wb["加分申报"]
    bonus["A60"], bonus["C60"], bonus["G60"] = "cz-02", "99", "某项表彰"
    # A reason Excel would run as a formula is refused, and the rest is checked in the same import.
    r_reason = find_row(ws, "cz-03", "2", "")
    ws.cell(r_reason, 9).value = 1
    ws.cell(r_reason, 11).value = "-两次未参加"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    capsys.readouterr()
    before = digests(project / "results")
    assert cli(project, "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert f"工作表「初中组」第 {r_reason} 行 K 列: 错误：「扣分原因」以「-」开头（-两次未参加）" in err
    assert err.rstrip().endswith("评分表有错误，没有导入。改正上面列出的格子后再导入。")
    assert err.count(f"第 {r_reason} 行 K 列") == 1  # the refused cell, not also the checker's warning on it
    assert f"工作表「初中组」第 {r_count} 行 I 列: 错误：情况（次数）「三」不是数字" in err
    assert f"工作表「初中组」第 {r_fixed} 行 J 列: 错误：指标 1 规则 no_plan 固定扣 3 分，扣分写的是 5 分" in err
    assert f"工作表「初中组」第 {r_fixed} 行 L 列: 错误：指标 1 满分 6 分，自查分 9 超过了" in err
    assert "工作表「加分申报」第 60 行 C 列: 错误：加分项目「99」不在细则中" in err
    assert "没有导入" in err
    assert digests(project / "results") == before


def test_a_copied_row_left_unchanged_names_both_rows(
    project: Path, bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = openpyxl.load_workbook(bundled["wujin-2017"][0])
    ws = wb["高中组"]
    r = find_row(ws, "gz-01", "12", "")
    assert ws.cell(r, 11).value  # gz-01 has a finding on 12
    ws.insert_rows(r + 1)
    for c in range(1, 15):
        ws.cell(r + 1, c).value = ws.cell(r, c).value
    copied = tmp_path / "copied.xlsx"
    wb.save(copied)
    capsys.readouterr()
    assert cli(project, "import", str(copied)) == 1
    assert (
        f"工作表「高中组」第 {r + 1} 行 A 列: 错误：这一行与 工作表「高中组」第 {r} 行完全相同"
        in capsys.readouterr().err
    )


def _change_a_reason(sheet: Path, dest: Path) -> tuple[int, str]:
    wb = openpyxl.load_workbook(sheet)
    ws = wb["高中组"]
    r = find_row(ws, "gz-01", "12", "")
    ws.cell(r, 11).value = "党建工作台账不完整：上半年党小组会记录缺失，已当场指出"
    wb.save(dest)
    return r, ws.cell(r, 11).value


def test_different_existing_results_need_force(
    project: Path, bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "changed.xlsx"
    _row, reason = _change_a_reason(bundled["wujin-2017"][0], changed)
    capsys.readouterr()
    before = digests(project / "results")
    assert cli(project, "import", str(changed)) == 1
    err = capsys.readouterr().err
    assert "已有不同的考核结果，没有写入" in err and "entries.csv" in err and "--force" in err
    assert "bonus.csv" not in err  # unchanged tables are not named
    assert digests(project / "results") == before

    assert cli(project, "import", str(changed), "--force") == 0
    out = capsys.readouterr().out
    assert "entries.csv：扣分记录 134 行" in out and "bonus.csv" not in out
    after = digests(project / "results/wujin-2017")
    assert after["entries.csv"] != before["wujin-2017/entries.csv"]
    assert {k for k in after if after[k] != before[f"wujin-2017/{k}"]} == {"entries.csv"}
    text = (project / "results/wujin-2017/entries.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf\xe5\x8d\x95\xe4\xbd\x8d\xe4\xbb\xa3\xe7\xa0\x81")  # BOM + 单位代码
    assert reason in text.decode("utf-8-sig")
    assert cli(project, "import", str(changed)) == 0
    assert "没有变化" in capsys.readouterr().out


def test_import_into_an_empty_assessment_needs_no_force(bundled: dict[str, Any], tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", tables=False)
    assert cli(root, "import", str(bundled["changde-2012"][0])) == 0
    assert sorted(p.name for p in (root / "results/changde-2012").iterdir()) == [
        "README.md",
        "awards.csv",
        "bonus.csv",
        "entries.csv",
        "notice.yml",
        "self_scores.csv",
        "units.csv",
        "vetoes.csv",
    ]
    # units.csv is the registry: the sheet never edits it.
    assert (root / "results/changde-2012/units.csv").read_bytes() == (
        ROOT / "results/changde-2012/units.csv"
    ).read_bytes()


def save_as_csv(sheet: Path, folder: Path, *, encoding: str = "utf-8-sig") -> dict[str, Path]:
    """Each worksheet saved as CSV as Excel does it: the cells as shown, one file per worksheet."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(sheet, read_only=True, data_only=True)
    out = {}
    for ws in wb.worksheets:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in ws.iter_rows(values_only=True):
            writer.writerow([cell_text(v) for v in row])
        path = folder / f"{ws.title}.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        out[ws.title] = path
    wb.close()
    return out


def test_worksheets_saved_as_csv_import_like_the_workbook(bundled: dict[str, Any], tmp_path: Path) -> None:
    sheet = bundled["zonghe-2020"][0]
    from_xlsx = copy_project(tmp_path / "a", tables=False)
    from_csv = copy_project(tmp_path / "b", tables=False)
    assert cli(from_xlsx, "import", str(sheet)) == 0
    save_as_csv(sheet, tmp_path / "csv")
    assert cli(from_csv, "import", str(tmp_path / "csv")) == 0
    assert digests(from_csv / "results") == digests(from_xlsx / "results")


def test_one_groups_csv_updates_only_that_group(
    bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """luoyang-2013 keeps one entries file per group; a group's CSV replaces that group's rows only."""
    root = copy_project(tmp_path / "p")
    files = save_as_csv(bundled["luoyang-2013"][0], tmp_path / "csv", encoding="gb18030")  # Excel on Chinese Windows
    group = files["第一联络组"]
    rows = list(csv.reader(io.StringIO(group.read_bytes().decode("gb18030"))))
    header = rows[1]
    dropped = next(i for i, row in enumerate(rows) if i > 1 and row[0] == "ly01" and row[header.index("扣分原因")])
    reason = rows[dropped][header.index("扣分原因")]
    for key in ("情况", "扣分", "扣分原因", "考核人", "内部备注"):
        rows[dropped][header.index(key)] = ""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    group.write_bytes(buffer.getvalue().encode("gb18030"))
    before = numbers(root, "luoyang-2013")
    capsys.readouterr()
    assert cli(root, "import", str(group), "--force") == 0
    out = capsys.readouterr().out
    assert "entries.csv" in out and "entries-第一组.csv" in out  # the group files are merged into entries.csv
    names = sorted(p.name for p in (root / "results/luoyang-2013").iterdir())
    assert "entries.csv" in names and not any(n.startswith("entries-") for n in names)
    summary, nodes = numbers(root, "luoyang-2013")
    changed = {uid for (uid, node), value in nodes.items() if before[1][(uid, node)] != value}
    assert changed == {"ly01"}
    written = (root / "results/luoyang-2013/entries.csv").read_text(encoding="utf-8-sig").splitlines()
    assert not [line for line in written if line.startswith("ly01,") and reason in line]


def test_a_single_csv_without_its_first_row_needs_the_assessment(
    bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "p")
    group = save_as_csv(bundled["wujin-2017"][0], tmp_path / "csv")["高中组"]
    lines = group.read_bytes().decode("utf-8-sig").split("\r\n")
    group.write_bytes("\r\n".join(lines[1:]).encode("utf-8-sig"))  # the header is now row 1
    capsys.readouterr()
    assert cli(root, "import", str(group)) == 2
    assert "--assessment" in capsys.readouterr().err
    assert cli(root, "import", str(group), "--assessment", "wujin-2017") == 0
    assert "没有变化" in capsys.readouterr().out
    assert cli(root, "import", str(group), "--assessment", "changde-2012") == 1


def test_rows_with_only_the_assessor_are_not_findings(
    bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "p")
    wb = openpyxl.load_workbook(bundled["wujin-2017"][0])
    ws = wb["幼儿园组"]
    blank = [r for r in range(FIRST_ROW, ws.max_row + 1) if not ws.cell(r, 11).value]
    for r in blank:
        ws.cell(r, 13).value = "考核四组 顾某"
    sheet = tmp_path / "marked.xlsx"
    wb.save(sheet)
    capsys.readouterr()
    assert cli(root, "import", str(sheet)) == 0
    captured = capsys.readouterr()
    assert "没有变化" in captured.out
    shown = "、".join(str(r) for r in blank[:5]) + ("……" if len(blank) > 5 else "")
    assert (
        f"工作表「幼儿园组」第 {blank[0]} 行: 警告：有 {len(blank)} 行（第 {shown} 行）只填了考核人或内部备注"
        in captured.err
    )


def test_a_sheet_made_for_another_version_of_the_rubric_is_flagged(
    bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "p")
    rubric = root / "rubrics/wujin-2017.yml"
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace("title: 专题研究党建工作", "title: 专题研究党的建设工作"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert cli(root, "import", str(bundled["wujin-2017"][0])) == 0
    assert "工作表「说明」第 8 行 B 列: 警告：评分表是按另一版本的细则生成的" in capsys.readouterr().err
    # Comments and layout are not content: the check code stays.
    rubric.write_text(
        "# 一行注释\n"
        + rubric.read_text(encoding="utf-8").replace("title: 专题研究党的建设工作", "title: 专题研究党建工作"),
        encoding="utf-8",
    )
    assert cli(root, "import", str(bundled["wujin-2017"][0])) == 0
    assert "另一版本" not in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def test_sheet_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "p")
    assert cli(root, "sheet", "gongshang-2005") == 0
    assert (root / "gongshang-2005-评分表.xlsx").is_file()
    out = capsys.readouterr().out
    assert "工作表「评分」：9 个单位" in out and "不参加考核的单位没有列入：zb10" in out
    assert cli(root, "sheet", "nosuch-2000") == 2
    assert "已有的考核：changde-2012" in capsys.readouterr().err


def test_sheet_refuses_results_it_cannot_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "p")
    entries = root / "results/wujin-2017/entries.csv"
    entries.write_bytes(entries.read_bytes() + "gz-01,99,,,1,无此指标,,\r\n".encode())
    assert cli(root, "sheet", "wujin-2017", "-o", str(tmp_path / "x.xlsx")) == 1
    err = capsys.readouterr().err
    assert "results/wujin-2017/entries.csv:136:2: 错误：指标「99」规则「」不在细则中，这一行无法放进评分表" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_import_refuses_what_is_not_a_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_project(tmp_path / "p")
    assert cli(root, "import", str(tmp_path / "missing.xlsx")) == 2
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert cli(root, "import", str(old)) == 2
    assert "另存为 Excel 工作簿（.xlsx）" in capsys.readouterr().err
    # A file saved halfway, or a download that failed: said to be empty, whatever its name.
    for name in ("empty.xlsx", "empty.csv"):
        (tmp_path / name).write_bytes(b"")
        assert cli(root, "import", str(tmp_path / name)) == 2
        assert "文件是空的（没有内容）" in capsys.readouterr().err


def test_cell_numbers_round_trip() -> None:
    for text in ("0", "1", "2.5", "0.1", "95.1", "0.75", "1000"):
        number = cell_number(text)
        assert number is not None and cell_text(number) == text
    for text in ("007", "2.50", "1.5分", "75%", "一", "1e3", "-1", "0.12345678901234567"):
        assert cell_number(text) is None
    assert cell_text(0.1 + 0.2) == "0.3"
    assert Decimal(cell_text(2.0)) == 2


def test_every_written_table_parses_cleanly(bundled: dict[str, Any], tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p", tables=False)
    assert cli(root, "import", str(bundled["zonghe-2019"][0])) == 0
    for path in sorted((root / "results/zonghe-2019").glob("*.csv")):
        table = table_for_file(path.name)
        assert table is not None
        problems = Problems()
        parse_table(path.read_bytes(), path.name, table, problems)
        assert not problems.items, [str(p) for p in problems]


def test_small_rubric_edges(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A self-score on an item without rules, a unit with no group, a group name Excel cannot use, a rate rule."""
    from helpers import csv_text, rubric_text, write_project

    rubric = rubric_text(
        """
        indicators:
          - id: c1
            title: 组织建设
            points: 100
            children:
              - {id: "1", title: 三会一课, points: 60, rules: [{kind: per_occurrence, per: 1}]}
              - {id: "2", title: 与会率, points: 40, rules: [{kind: rate, threshold: 80%, deduct: 2, measure: 与会率}]}
        """
    )
    files = {
        "units.csv": csv_text("id,name,type,group", "u1,一支部,branch,一组/机关", "u2,二支部,branch,"),
        "entries.csv": csv_text(
            "unit,item,rule,value,amount,reason", "u1,1,,2,,两次未按时召开", "u2,2,,75%,,与会率75%"
        ),
        "self_scores.csv": csv_text("unit,item,score", "u1,c1,8", "u1,1,5"),
    }
    root = write_project(tmp_path / "p", rubric, files)
    sheet = tmp_path / "t.xlsx"
    assert cli(root, "sheet", "t", "-o", str(sheet)) == 0
    wb = openpyxl.load_workbook(sheet)
    assert wb.sheetnames == ["说明", "一组_机关", "未分组", "代码表"]
    ws = wb["一组_机关"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=FIRST_ROW)]
    assert [(r[0], r[2], r[7].split("。")[0], r[11]) for r in rows] == [
        ("u1", "c1", "本项按下级指标计分，只填自查分", 8),
        ("u1", "1", "每1次扣1分", 5),
        ("u1", "2", "与会率低于80%的，扣2分", None),
    ]
    dv = validations(ws)
    assert dv["J3"].type == "textLength" and dv["I5"].type == "decimal" and dv["I5"].formula2 == "1"
    assert [c.value for c in wb["未分组"]["I"]][2:] == [None, "75%"]  # no self-score on c1: no row for it

    copy = write_project(tmp_path / "q", rubric, {"units.csv": files["units.csv"]})
    assert cli(copy, "import", str(sheet)) == 0
    assert numbers(copy, "t") == numbers(root, "t")
    again = tmp_path / "again.xlsx"
    assert cli(copy, "sheet", "t", "-o", str(again)) == 0
    assert again.read_bytes() == sheet.read_bytes()


def test_a_formula_saved_without_its_value_is_not_read_as_blank(
    project: Path, bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # openpyxl (like any program that writes but does not calculate) saves a formula without its value.
    wb = openpyxl.load_workbook(bundled["wujin-2017"][0])
    ws = wb["初中组"]
    r_count = find_row(ws, "cz-02", "2", "")
    ws.cell(r_count, 9).value = "=1+2"
    ws.cell(r_count, 11).value = "只开了三次专题会"
    uncalculated = tmp_path / "uncalculated.xlsx"
    wb.save(uncalculated)
    capsys.readouterr()
    before = digests(project / "results")
    assert cli(project, "import", str(uncalculated)) == 1
    err = capsys.readouterr().err
    assert f"工作表「初中组」第 {r_count} 行 I 列: 错误：这个单元格是公式，但文件里没有保存公式的计算结果" in err
    assert "须填写" not in err and "没有导入" in err
    assert digests(project / "results") == before


def test_a_formula_with_its_saved_value_imports_as_the_value(
    project: Path, bundled: dict[str, Any], tmp_path: Path
) -> None:
    # What Excel or WPS saves: the formula and its value. Write the cached value into the sheet's XML.
    wb = openpyxl.load_workbook(bundled["wujin-2017"][0])
    ws = wb["初中组"]
    r_count = find_row(ws, "cz-03", "8", "")
    before = ws.cell(r_count, 9).value
    assert isinstance(before, int | float)
    ws.cell(r_count, 9).value = "=0+0"
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    calculated = tmp_path / "calculated.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(calculated, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if b"<f>0+0</f>" in body:
                body = body.replace(b"<f>0+0</f><v />", f"<f>0+0</f><v>{before}</v>".encode())
            dst.writestr(item, body)
    before_results = digests(project / "results")
    assert cli(project, "import", str(calculated)) == 0
    assert digests(project / "results") == before_results


def test_formula_cells_are_placed_even_without_their_r_attribute() -> None:
    from generator.office.sheetxlsx import uncalculated_formulas

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<worksheet xmlns="{main}"><sheetData>'
        "<row><c><v>1</v></c><c><f>A1*2</f></c></row>"  # row 1, B1: no r anywhere, no value
        '<row r="5"><c r="C5"><f>1+1</f><v/></c><c><f>C5</f><v>2</v></c>'  # C5 uncalculated; D5 has its value
        '<c t="str"><f>""</f><v></v></c></row>'  # E5: an empty text result, as Excel saves it
        "</sheetData></worksheet>"
    )
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    with zipfile.ZipFile(raw) as archive:
        assert uncalculated_formulas(archive, "/xl/worksheets/sheet1.xml") == [(1, 2), (5, 3)]


def test_a_damaged_worksheet_is_reported_not_a_crash(
    project: Path, bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(bundled["wujin-2017"][0]) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":
                body = body[: len(body) // 2]  # cut off mid-element
            dst.writestr(item, body)
    capsys.readouterr()
    before = digests(project / "results")
    assert cli(project, "import", str(damaged)) == 2
    err = capsys.readouterr().err
    assert "damaged.xlsx: 错误：无法读取这个工作簿中的工作表" in err and "内部错误" not in err
    assert digests(project / "results") == before


def test_a_failed_write_leaves_the_results_as_they_were(
    bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "p", tables=False)
    before = digests(root / "results")
    fsync, staged = os.fsync, []

    def full_after_one(fd: int) -> None:
        # The first table is written to its temporary file, then the disk is full: no table may be replaced.
        staged.append(fd)
        if len(staged) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        fsync(fd)

    monkeypatch.setattr(generator.office.outputfile.os, "fsync", full_after_one)
    capsys.readouterr()
    assert cli(root, "import", str(bundled["zonghe-2020"][0])) == 1
    err = capsys.readouterr().err
    assert err.startswith("无法写入 results/zonghe-2020/：磁盘已满") and "原有的文件没有改动" in err
    assert len(staged) == 2
    assert digests(root / "results") == before  # no table written, no temporary file left


def test_a_nul_in_a_saved_csv_is_placed_not_a_crash(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "第一组.csv"
    sheet.write_bytes("考核代码,wujin-2017\r\n单位代码,指标\r\ncz-01,1\x00\r\n".encode("utf-8-sig"))
    capsys.readouterr()
    assert cli(project, "import", str(sheet)) == 2  # like any file that cannot be read as a worksheet
    err = capsys.readouterr().err
    assert "第一组.csv:3: 错误：这一行中有空字符" in err and "内部错误" not in err


def test_a_saved_csv_in_utf16_without_its_bom_is_said_to_be_so(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A score sheet saved as UTF-16 without its byte order mark (English codes and numbers only: its bytes
    read as UTF-8 too) is named for what it is, with what to do, as a results file is."""
    sheet = tmp_path / "第一组.csv"
    sheet.write_bytes("assessment,wujin-2017\r\nunit,item\r\ncz-01,1\r\n".encode("utf-16-le"))
    capsys.readouterr()
    assert cli(project, "import", str(sheet)) == 2
    err = capsys.readouterr().err
    assert "第一组.csv: 错误：无法识别文件编码：像是不带 BOM 的 UTF-16（每个字之间夹着空字节）" in err, err


# --------------------------------------------------------------------------------------------
# Files the user names: never lost
# --------------------------------------------------------------------------------------------


def test_an_existing_sheet_is_not_overwritten_without_force(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled = tmp_path / "填好的评分表.xlsx"
    assert cli(project, "sheet", "wujin-2017", "-o", str(filled)) == 0
    book = openpyxl.load_workbook(filled)
    book["初中组"]["K3"] = "考核组填了一周"
    book.save(filled)
    kept = filled.read_bytes()
    capsys.readouterr()
    assert cli(project, "sheet", "wujin-2017", "-o", str(filled)) == 2
    assert "已经存在，没有覆盖（它可能是考核组已经填好的评分表）" in capsys.readouterr().err
    assert filled.read_bytes() == kept
    # The default name too.
    default = project / "wujin-2017-评分表.xlsx"
    default.write_bytes(kept)
    assert cli(project, "sheet", "wujin-2017") == 2
    assert default.read_bytes() == kept
    # With --force: replaced whole, a workbook as a clerk opens it, and no temporary file beside it.
    filled.chmod(0o640)
    assert cli(project, "sheet", "wujin-2017", "-o", str(filled), "--force") == 0
    again = openpyxl.load_workbook(filled)
    assert again["初中组"]["K3"].value != "考核组填了一周"
    assert again["初中组"]["A3"].value == "cz-01"
    assert [row[1] for row in again["说明"].iter_rows(values_only=True) if row[0] == "考核代码"] == ["wujin-2017"]
    assert oct(filled.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tmp_path.iterdir() if "kaoping-tmp" in p.name) == []


@pytest.mark.parametrize(
    "target",
    [
        "results/wujin-2017/entries.csv",
        "rubrics/wujin-2017.yml",
        "access/accounts.csv",
        ".git/config",
        "results/new.xlsx",
        "results/../rubrics/x.xlsx",
    ],
)
@pytest.mark.parametrize("command", ["sheet", "score"])
def test_the_office_data_is_never_written(
    project: Path, target: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("access", ".git"):
        (project / folder).mkdir(exist_ok=True)
    for name in ("access/accounts.csv", ".git/config"):
        (project / name).write_text("保密内容\n", encoding="utf-8")
    before = digests(project)
    assert cli(project, command, "wujin-2017", "-o", str(project / target), "--force") == 2
    err = capsys.readouterr().err
    assert (
        "任何命令都不会用输出文件覆盖它们（加 --force 也不会）" in err
        and f"项目的 {target.split('/')[0] if '..' not in target else 'rubrics'}/ 里面" in err
    )
    assert digests(project) == before


def test_a_link_to_the_office_data_is_refused_from_any_folder(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "desktop"
    here.mkdir()
    (here / "评分表.xlsx").symlink_to(project / "results" / "wujin-2017" / "entries.csv")
    (here / "结果").symlink_to(project / "results")
    monkeypatch.chdir(here)
    before = digests(project)
    for target in ("评分表.xlsx", "结果/wujin-2017/entries.csv", "结果/新的.xlsx"):
        assert cli(project, "sheet", "wujin-2017", "-o", target, "--force") == 2
        assert "它在项目的 results/ 里面" in capsys.readouterr().err
    assert digests(project) == before
    # A link elsewhere is not followed either: it is refused as a link.
    (here / "别处.xlsx").symlink_to(tmp_path / "elsewhere.xlsx")
    assert cli(project, "sheet", "wujin-2017", "-o", "别处.xlsx", "--force") == 2
    assert "是一个符号链接" in capsys.readouterr().err
    assert not (tmp_path / "elsewhere.xlsx").exists()


def test_a_failed_sheet_write_leaves_the_old_file(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "评分表.xlsx"
    target.write_bytes(b"the filled sheet")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(generator.office.outputfile.os, "fsync", full)
    assert cli(project, "sheet", "wujin-2017", "-o", str(target), "--force") == 1
    assert "无法写入" in capsys.readouterr().err
    assert target.read_bytes() == b"the filled sheet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "评分表.xlsx"]  # no temporary file left


def test_score_output_is_refused_then_forced(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "得分.csv"
    target.write_text("手工整理\n", encoding="utf-8")
    assert cli(project, "score", "wujin-2017", "-o", str(target)) == 2
    assert target.read_text(encoding="utf-8") == "手工整理\n"
    assert cli(project, "score", "wujin-2017", "-o", str(target), "--force") == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(numbers(project, "wujin-2017")[0])


# --------------------------------------------------------------------------------------------
# Import reads every row and cell there is, and no more than a sheet can hold
# --------------------------------------------------------------------------------------------


def test_a_sheet_whose_dimension_understates_its_range_is_read_whole(
    bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every worksheet claims to be one cell (A1), as some tools write it: every row and column is read anyway.
    sheet = tmp_path / "dimension.xlsx"
    shutil.copyfile(bundled["wujin-2017"][0], sheet)
    understate_dimension(sheet, dict.fromkeys(worksheet_parts(sheet), "A1:A1"))
    root = copy_project(tmp_path / "p", tables=False)
    capsys.readouterr()
    assert cli(root, "import", str(sheet)) == 0
    assert numbers(root, "wujin-2017") == bundled["wujin-2017"][1]
    out = capsys.readouterr().out
    # What was read, per worksheet, as units × items; the same as the sheet command wrote.
    layout_lines = [line for line in out.splitlines() if "个单位 ×" in line]
    assert layout_lines and all(line.startswith("  工作表「") for line in layout_lines)
    book = openpyxl.load_workbook(bundled["wujin-2017"][0], read_only=True)
    for line in layout_lines:
        name = line.split("「", 1)[1].split("」", 1)[0]
        rows = {
            row[:4:2] + (row[3] or "",) for row in book[name].iter_rows(min_row=FIRST_ROW, values_only=True) if row[0]
        }
        units = {unit for unit, _, _ in rows}
        assert f"：{len(units)} 个单位 × " in line and line.endswith(f"= {len(rows)} 项"), line
    book.close()


def test_a_worksheet_that_lost_rows_is_refused(
    project: Path, bundled: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "cut.xlsx"
    shutil.copyfile(bundled["wujin-2017"][0], sheet)
    book = openpyxl.load_workbook(sheet, read_only=True)
    last = sum(1 for _ in book["初中组"].iter_rows())
    book.close()
    drop_rows(sheet, "初中组", range(last - 2, last + 1))
    before = digests(project / "results")
    capsys.readouterr()
    assert cli(project, "import", str(sheet), "--force") == 1
    err = capsys.readouterr().err
    assert "工作表「初中组」: 错误：按单位名册，这张工作表应有" in err and "的 3 项（共 3 项）" in err
    assert digests(project / "results") == before


def test_the_long_text_scan_stops_early() -> None:
    """A cell of a gigabyte is found after reading a few hundred kilobytes of it: nothing that size is read."""

    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self.given = 0
            self.head = b'<worksheet><sheetData><row r="7"><c r="K7" t="inlineStr"><is><t>'

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            size = len(buffer)
            chunk = (self.head + b"A" * size)[:size] if self.given == 0 else b"A" * size
            buffer[:size] = chunk
            self.given += size
            return size

    stream = Endless()
    hit = _long_text(io.BufferedReader(stream), counting=False)
    assert hit is not None and hit.ref == "K7"
    assert MAX_CELL_CHARS < stream.given <= 2 * 1024 * 1024


@pytest.mark.parametrize(
    ("length", "status", "words"),
    [
        (MAX_CELL_CHARS + 1, 1, "这一格有 32,768 个字符，太长"),  # read, then refused: Excel's own limit
        (200_000, 2, "这一格的文字超过 32,767 个字符；工作簿没有读取"),  # found in the zip, never read
    ],
    ids=["one-over", "far-over"],
)
def test_a_long_shared_string_is_placed_at_its_cell(
    project: Path,
    bundled: dict[str, Any],
    tmp_path: Path,
    length: int,
    status: int,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sheet = tmp_path / "long.xlsx"
    shutil.copyfile(bundled["wujin-2017"][0], sheet)
    book = openpyxl.load_workbook(sheet)
    ws = book["高中组"]
    r = find_row(ws, "gz-01", "12", "")
    reason = ws.cell(r, 11).value
    book.close()
    replace_text(sheet, reason, "很" * length)
    capsys.readouterr()
    assert cli(project, "import", str(sheet)) == status
    assert f"工作表「高中组」第 {r} 行 K 列: 错误：{words}" in capsys.readouterr().err


def test_a_csv_of_too_many_rows_is_refused_at_the_row(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "初中组.csv"
    rows = "考核代码,wujin-2017\r\n单位代码,指标编号,规则,扣分,扣分原因\r\n" + "cz-01,2,,1,复制的行\r\n" * 100_000
    sheet.write_text(rows, encoding="utf-8-sig")
    before = digests(project / "results")
    assert cli(project, "import", str(sheet)) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"初中组.csv 第 (\d+) 行: 错误：这一行有内容，但按单位名册，这项考核的评分表用不到第 [\d,]+ 行以后", err
    ), err
    assert digests(project / "results") == before


def test_an_import_source_that_is_not_a_regular_file(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "评分表.xlsx"
    os.mkfifo(fifo)
    assert cli(project, "import", str(fifo)) == 2  # read, it would wait for ever
    assert "这不是普通文件（是命名管道、设备或其他特殊文件），没有读取" in capsys.readouterr().err
    assert cli(project, "import", "/dev/zero") == 2
    assert "这不是普通文件" in capsys.readouterr().err


def test_an_import_waits_for_the_project_lock_and_reads_the_data_under_it(
    project: Path, bundled: dict[str, Any], tmp_path: Path
) -> None:
    """Two imports (or an import and a build) at once: each reads and writes results/ under the project's
    lock, so the second neither writes its tables over the first's nor starts from data read before them."""
    import fcntl
    import subprocess
    import sys

    changed = tmp_path / "changed.xlsx"
    _row, reason = _change_a_reason(bundled["wujin-2017"][0], changed)
    before = digests(project / "results")
    with open(project / ".kaoping.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "--root", str(project), "import", str(changed), "--force"],
            cwd=Path(__file__).resolve().parent.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stderr is not None
            waiting = process.stderr.readline()
            assert "正在使用这个项目，等待它完成" in waiting, waiting
            assert process.poll() is None and digests(project / "results") == before
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "已导入" in out and reason in (project / "results/wujin-2017/entries.csv").read_text(encoding="utf-8-sig")
