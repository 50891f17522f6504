"""整改: every point lost becomes the next year's task; tasks not put right in time are flagged, and deducted
where the rubric says so (003:17 对日常督查和集中检查中指出的问题未及时整改的，有1项扣1分)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import D, csv_text, errors, find, rubric_text, run, score, unit

from generator.cli import main
from generator.data.csvread import parse_table
from generator.data.pipeline import prepare
from generator.data.problems import Problems
from generator.data.rectification import read_rectification
from generator.data.tables import RECTIFICATION
from generator.engine.wording import rule_words
from generator.engine.yearrecords import RectificationItem
from generator.site.views.year import unit_year_view

BODY = """
indicators:
  - {id: c1, title: 组织生活, points: 90, rules: [{kind: range}]}
  - id: "17"
    title: 督查考核问题整改
    points: 10
    rules: [{kind: per_occurrence, per: 1, unit: 项, text: 有1项扣1分}]
"""
LINK = """
rectification:
  item: "17"
  standard: 对日常督查和集中检查中指出的问题未及时整改的，有1项扣1分。
"""
UNITS = csv_text("id,name,type,status", "u1,一支部,branch,已考核", "u2,二支部,branch,已考核")
HEAD = "unit,year,item,problem,lost,target,measures,progress,person,due,status,done"
TASKS = csv_text(
    HEAD,
    "u1,2016,c1,三会一课记录不全,2,记录完整,补记录,已完成,张某,2017-06-30,已完成,2017-05-01",
    "u1,2016,c1,党费收缴不及时,1,按月收缴,建台账,推进中,张某,2017-06-30,整改中,",
    "u1,2016,c1,台账缺页,1,台账完整,补齐,已完成,张某,2017-03-31,已完成,2017-04-20",
    "u2,2016,c1,制度不健全,1,建立制度,制定,,李某,,,",
)


def test_tasks_not_put_right_in_time_are_deducted_where_the_rubric_says(tmp_path: Path) -> None:
    outcome = score(tmp_path, rubric_text(BODY + LINK), {"units.csv": UNITS, "rectification.csv": TASKS})
    u1, u2 = unit(outcome, "u1"), unit(outcome, "u2")
    # u1: one still in progress, one done after its due date; the one done in time costs nothing.
    rule = find(u1.score.categories, "17").rules[0]
    assert (rule.lost, rule_words(rule.why)) == (D(2), "2 项 × 1 分 = 2 分")
    assert rule.reasons == ("上一年度整改任务 2 项未按期完成：党费收缴不及时；台账缺页",)
    assert u1.score.total == D(98)
    # u2: not started, no due date: the year's end applies.
    assert find(u2.score.categories, "17").lost == D(1) and u2.score.total == D(99)
    view = unit_year_view(outcome, u1, "assessments/t/units/u1.md")
    assert [(t.problem, t.late, t.late_words, t.deducted) for t in view.tasks] == [
        ("三会一课记录不全", False, "", False),
        ("党费收缴不及时", True, "年底仍未完成", True),
        ("台账缺页", True, "逾期完成", True),
    ]
    assert view.task_rule.startswith("按细则，上一年度的整改任务到完成时限")


def test_without_the_rubric_rule_tasks_are_flagged_not_deducted(tmp_path: Path) -> None:
    outcome = score(tmp_path, rubric_text(BODY), {"units.csv": UNITS, "rectification.csv": TASKS})
    assert unit(outcome, "u1").score.total == D(100)
    view = unit_year_view(outcome, unit(outcome, "u1"), "x.md")
    assert [t.late for t in view.tasks] == [False, True, True] and not any(t.deducted for t in view.tasks)
    assert view.task_rule == ""


def test_tasks_alone_do_not_count_as_assessing_a_unit(tmp_path: Path) -> None:
    units = csv_text("id,name,type,status", "u1,一支部,branch,", "u2,二支部,branch,已考核")
    prepared = run(tmp_path, rubric_text(BODY), {"units.csv": units, "rectification.csv": TASKS})
    assert any("单位 u1（一支部）没有任何考核记录，也没有写明考核状态" in e for e in errors(prepared))


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("u9,2016,c1,问题,,,,,,,,", "results/t/rectification.csv:2:1: 错误：单位代码「u9」不在本年度的单位名册中"),
        ("u1,2017,c1,问题,,,,,,,,", "results/t/rectification.csv:2:2: 错误：问题年度 2017 应在本年度（2017）之前"),
        ("u1,,c1,问题,,,,,,,,", "results/t/rectification.csv:2:2: 错误：问题年度为空"),
        ("u1,2016,c1,,,,,,,,,", "results/t/rectification.csv:2:4: 错误：问题为空"),
        ("u1,2016,c1,问题,,,,,,2017-02-30,,", "results/t/rectification.csv:2:10: 错误：完成时限「2017-02-30」不是日期"),
        ("u1,2016,c1,问题,,,,,,,差不多了,", "results/t/rectification.csv:2:11: 错误：整改状态「差不多了」无法识别"),
        (
            "u1,2016,c1,问题,,,,,,,整改中,2017-05-01",
            "results/t/rectification.csv:2:12: 错误：有完成日期，但整改状态不是已完成",
        ),
    ],
)
def test_tasks_that_are_refused(tmp_path: Path, row: str, expected: str) -> None:
    prepared = run(tmp_path, rubric_text(BODY), {"units.csv": UNITS, "rectification.csv": csv_text(HEAD, row)})
    assert [e.split("\n")[0] for e in errors(prepared)] == [expected]


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ('rectification: {item: "99"}', "rectification.item「99」不是细则中的指标编号"),
        ("rectification: {item: c1}", "指标 c1 规则 a 不是按项扣分（per_occurrence）的规则"),
        ('rectification: {item: "17", rule: x}', "指标 17 没有可用的规则「x」"),
    ],
)
def test_the_rubric_rule_must_count_items(tmp_path: Path, link: str, expected: str) -> None:
    prepared = run(tmp_path, rubric_text(BODY + link + "\n"), {"units.csv": UNITS})
    assert any(expected in e for e in errors(prepared)), errors(prepared)


def test_late_at_judges_the_due_date_or_the_year_end() -> None:
    end = datetime.date(2017, 12, 31)
    item = RectificationItem(unit="u", year=2016, problem="p")
    assert item.late_at(end)  # not started
    done = RectificationItem(unit="u", year=2016, problem="p", status="done", done=datetime.date(2017, 12, 1))
    assert not done.late_at(end)
    assert replace(done, due=datetime.date(2017, 6, 30)).late_at(end)


# --------------------------------------------------------------------------------------------
# kaoping new carries the tasks into the new year; the year that found the problems shows how they stand
# --------------------------------------------------------------------------------------------


def test_kaoping_new_makes_a_task_of_every_point_lost_and_carries_open_ones(tmp_path: Path) -> None:
    rubric = rubric_text(BODY).replace("year: 2017", "year: 2017\nseries: s")
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "s-2017.yml").write_text(rubric.replace("id: t\n", "id: s-2017\n"), encoding="utf-8")
    folder = tmp_path / "results" / "s-2017"
    folder.mkdir(parents=True)
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    (folder / "entries.csv").write_text(
        csv_text("unit,item,amount,reason", "u1,c1,3,党课次数不足", "u2,c1,1,记录不全"), encoding="utf-8"
    )
    (folder / "rectification.csv").write_text(TASKS, encoding="utf-8")
    assert main(["--root", str(tmp_path), "new", "2018", "--from", "s-2017"]) == 0
    data = (tmp_path / "results" / "s-2018" / "rectification.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = parse_table(data, "rectification.csv", RECTIFICATION, Problems())
    got = [
        (r.get("unit"), r.get("year"), r.get("item"), r.get("problem"), r.get("lost"), r.get("status")) for r in rows
    ]
    assert got == [
        # still open from 2016: carried with their year and progress
        ("u1", "2016", "c1", "党费收缴不及时", "1", "整改中"),
        ("u2", "2016", "c1", "制度不健全", "1", "未启动"),
        # 2017's points lost, one task each
        ("u1", "2017", "c1", "组织生活：党课次数不足", "3", "未启动"),
        ("u2", "2017", "c1", "组织生活：记录不全", "1", "未启动"),
    ]
    # The new year checks: tasks are read against its own registry; nothing assessed yet.
    prepared = prepare(tmp_path)
    assert not prepared.problems.has_errors(), [str(p) for p in prepared.problems.errors]
    assert "s-2018" not in prepared.outcomes
    # 2017's pages show its problems with how the 2018 file says they stand.
    year = prepared.outcomes["s-2017"].year
    assert year is not None and year.next_id == "s-2018"
    tasks = [(t.problem, t.tracked.status if t.tracked else None) for t in year.of("u1").next_tasks]
    assert tasks == [("组织生活：党课次数不足", "not_started")]


def test_the_sample_data_carries_2019s_problems_into_2020() -> None:
    root = Path(__file__).resolve().parent.parent
    rows = parse_table(
        (root / "results/zonghe-2020/rectification.csv").read_bytes(), "r.csv", RECTIFICATION, Problems()
    )
    prepared = prepare(root, {"zonghe-2019", "zonghe-2020"})
    lost = prepared.outcomes["zonghe-2019"]
    units = {u.unit.id: u.unit for u in prepared.outcomes["zonghe-2020"].units}
    items = read_rectification(rows, prepared.outcomes["zonghe-2020"].rubric, units, Problems())
    expected = sum(len(y.next_tasks) for y in lost.year.units.values()) if lost.year else 0
    assert expected and len(items) == expected
    assert {i.year for i in items} == {2019}
