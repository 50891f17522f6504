"""民主推荐 (001:22): each group's vote, shown beside the grades; where the rubric says so, 先进 needs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import csv_text, errors, rubric_text, run, score

from generator.site.views.yearnotice import results_year

BODY = """
indicators:
  - {id: c1, title: 组织生活, points: 100, rules: [{kind: range}]}
grading:
  method: threshold
  bands:
    - {grade: pass, min: 60}
    - {grade: fail}
  advanced: decision
recommendation:
  categories: [先进基层党组织, 优秀党务干部]
  advanced_category: 先进基层党组织
"""
UNITS = csv_text(
    "id,name,type,status,group",
    "u1,一支部,branch,已考核,第一组",
    "u2,二支部,branch,已考核,第一组",
    "u3,三支部,branch,已考核,第二组",
)
VOTES = csv_text(
    "unit,category,person,votes,voters,recommended",
    "u1,先进基层党组织,,9,10,是",
    "u2,先进基层党组织,,2,10,否",
    "u1,2,王某,7,10,是",
    "u3,先进基层党组织,,5,6,",
)


def test_the_votes_are_shown_under_each_group(tmp_path: Path) -> None:
    outcome = score(tmp_path, rubric_text(BODY), {"units.csv": UNITS, "recommendations.csv": VOTES})
    year = results_year(outcome)
    assert [(t.category, t.name, t.votes, t.voters, t.recommended) for t in year.tallies["第一组"]] == [
        ("先进基层党组织", "一支部", 9, 10, True),
        ("先进基层党组织", "二支部", 2, 10, False),
        ("优秀党务干部", "王某（一支部）", 7, 10, True),
    ]
    assert [(t.name, t.recommended) for t in year.tallies["第二组"]] == [("三支部", None)]


def test_an_award_needs_the_groups_recommendation(tmp_path: Path) -> None:
    awards = csv_text("unit,grade,reason", "u1,先进,工委会议", "u2,先进,工委会议")
    prepared = run(
        tmp_path, rubric_text(BODY), {"units.csv": UNITS, "recommendations.csv": VOTES, "awards.csv": awards}
    )
    assert [e.split("\n")[0] for e in errors(prepared)] == [
        "results/t/awards.csv:3:1: 错误：单位 u2 被评定为先进，但没有获得本组民主推荐的「先进基层党组织」"
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("u1,先进单位,,9,10,是", "results/t/recommendations.csv:2:2: 错误：推荐类别「先进单位」不在细则中"),
        ("u1,先进基层党组织,,11,10,是", "results/t/recommendations.csv:2:4: 错误：得票 11 多于投票人数 10"),
        (
            "u1,先进基层党组织,,9.5,10,是",
            "results/t/recommendations.csv:2:4: 错误：得票应为不小于 0 的整数，这里是「9.5」",
        ),
        ("u9,先进基层党组织,,9,10,是", "results/t/recommendations.csv:2:1: 错误：单位代码「u9」不在单位名册中"),
        ("u1,先进基层党组织,,9,10,可以", "results/t/recommendations.csv:2:6: 错误：推荐结果「可以」无法识别"),
    ],
)
def test_votes_that_are_refused(tmp_path: Path, row: str, expected: str) -> None:
    files = {"units.csv": UNITS, "recommendations.csv": csv_text("unit,category,person,votes,voters,recommended", row)}
    prepared = run(tmp_path, rubric_text(BODY), files)
    assert [e.split("\n")[0] for e in errors(prepared)] == [expected]


def test_votes_need_the_rubric_to_name_them(tmp_path: Path) -> None:
    body = BODY.split("recommendation:")[0]
    prepared = run(tmp_path, rubric_text(body), {"units.csv": UNITS, "recommendations.csv": VOTES})
    assert [e.split("\n")[0] for e in errors(prepared)] == [
        "results/t/recommendations.csv: 错误：细则 t 没有民主推荐（recommendation），不需要这张表"
    ]


def test_the_requirement_is_only_for_awards_by_the_office(tmp_path: Path) -> None:
    body = BODY.replace("  advanced: decision\n", "  advanced: none\n")
    prepared = run(tmp_path, rubric_text(body), {"units.csv": UNITS})
    assert any("advanced_category 只用于由考核办公室评定先进的细则" in e for e in errors(prepared))
