"""The rubric checker: every inconsistency in a rubric, located, in one run."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import THREE_TYPES, errors, rubric_from_yaml, rubric_text, warnings, write_project

from generator.data.check import check_rubric
from generator.data.pipeline import prepare
from generator.data.problems import Problems

# rubric_text puts HEAD (4 lines), the unit types and, unless floor=False, two lines of defaults first:
# with BRANCH_ONLY the body starts on line 9, with THREE_TYPES on line 11 (floor=False: 7 and 9).


def check(body: str, **options: object) -> Problems:
    rubric = rubric_from_yaml(rubric_text(body, **options))  # type: ignore[arg-type]
    problems = Problems()
    check_rubric(rubric, problems)
    return problems


def first_lines(texts: list[str]) -> list[str]:
    return [t.split("\n")[0] for t in texts]


GOOD = """
indicators:
  - id: c1
    title: 基础工作
    points: 10
    children:
      - {id: "1", title: 计划, points: 4, rules: [{kind: fixed, deduct: 2}, {kind: fixed, deduct: 2}]}
      - {id: "2", title: 总结, points: 6, rules: [{kind: per_occurrence, per: 1}]}
  - {id: c2, title: 重点工作, points: 90, rules: [{kind: range, min: 1, max: 3}]}
"""


def test_a_consistent_rubric_has_nothing_to_report() -> None:
    assert [str(p) for p in check(GOOD)] == []


# --------------------------------------------------------------------------------------------
# Children adding up, for every unit type
# --------------------------------------------------------------------------------------------

SUMS = [
    pytest.param(
        """
        indicators:
          - id: c1
            title: 甲
            points: 10
            children:
              - {id: "1", title: 乙, points: 4, rules: [{kind: range}]}
              - {id: "2", title: 丙, points: 5, rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 90, rules: [{kind: range}]}
        """,
        ["rubrics/t.yml:12:5: 错误：指标 c1「甲」分值为 10 分，但下级指标合计 9 分（4 + 5）"],
        id="same for every type",
    ),
    pytest.param(
        """
        indicators:
          - id: c1
            title: 甲
            points: 10
            children:
              - {id: "1", title: 乙, points: 4, applies_to: [committee], rules: [{kind: range}]}
              - {id: "2", title: 丙, points: 5, rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 90, rules: [{kind: range}]}
        """,
        [
            "rubrics/t.yml:12:5: 错误：指标 c1「甲」分值为 10 分，但下级指标合计 5 分（5）（党总支、党支部）",
            "rubrics/t.yml:12:5: 错误：指标 c1「甲」分值为 10 分，但下级指标合计 9 分（4 + 5）（党委）",
        ],
        id="differs by type",
    ),
    pytest.param(
        """
        indicators:
          - id: c1
            title: 甲
            points: 10
            children:
              - {id: "1", title: 乙, points: 4, not_applicable_to: [branch], rules: [{kind: range}]}
              - {id: "2", title: 丙, points: 6, rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 90, rules: [{kind: range}]}
        """,
        ["rubrics/t.yml:12:5: 错误：指标 c1「甲」分值为 10 分，但下级指标合计 6 分（6）（党支部）"],
        id="one type loses a child",
    ),
    pytest.param(
        """
        indicators:
          - id: c1
            title: 甲
            points: 10
            children:
              - {id: "1", title: 乙, points: 4, not_applicable_to: [branch], rules: [{kind: range}]}
              - {id: "2", title: 丙, points: 6, points_by_type: {branch: 10}, rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 90, rules: [{kind: range}]}
        """,
        [],
        id="points by type make it add up",
    ),
    pytest.param(
        """
        indicators:
          - id: c1
            title: 甲
            points: 10
            points_by_type: {committee: 8}
            children:
              - {id: "1", title: 乙, points: 4, rules: [{kind: range}]}
              - {id: "2", title: 丙, points: 6, rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 90, points_by_type: {committee: 92}, rules: [{kind: range}]}
        """,
        ["rubrics/t.yml:12:5: 错误：指标 c1「甲」分值为 8 分，但下级指标合计 10 分（4 + 6）（党委）"],
        id="parent points by type",
    ),
    pytest.param(
        """
        indicators:
          - id: c1
            title: 甲
            points: 10
            children:
              - id: "1"
                title: 乙
                points: 10
                children:
                  - {id: "1.1", title: 戊, points: 3, rules: [{kind: range}]}
                  - {id: "1.2", title: 己, points: 3, rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 90, rules: [{kind: range}]}
        """,
        ["rubrics/t.yml:16:9: 错误：指标 1「乙」分值为 10 分，但下级指标合计 6 分（3 + 3）"],
        id="third level",
    ),
]


@pytest.mark.parametrize(("body", "expected"), SUMS)
def test_children_add_up_for_every_unit_type(body: str, expected: list[str]) -> None:
    problems = check(body, types=THREE_TYPES)
    assert first_lines(errors(problems)) == expected
    assert warnings(problems) == []


def test_points_mismatch_stated_in_the_rubric_is_a_warning() -> None:
    problems = check(
        """
        indicators:
          - id: c1
            title: 甲
            points: 4
            points_mismatch: 原文本项4分，但两部分各3分。
            children:
              - {id: "1", title: 乙, points: 3, rules: [{kind: range}]}
              - {id: "2", title: 丙, points: 3, rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 96, rules: [{kind: range}]}
        """,
        types=THREE_TYPES,
    )
    assert errors(problems) == []
    assert warnings(problems) == [
        "rubrics/t.yml:12:5: 警告：指标 c1「甲」分值为 4 分，但下级指标合计 6 分（3 + 3）；细则已说明：原文本项4分，"
        "但两部分各3分。"
    ]


def test_categories_must_add_up_to_full_marks_without_parts() -> None:
    problems = check(
        """
        indicators:
          - {id: c1, title: 甲, points: 10, rules: [{kind: range}]}
          - {id: c2, title: 乙, points: 80, rules: [{kind: range}]}
          - {id: c3, title: 丙, points: 10, applies_to: [committee], rules: [{kind: range}]}
        """,
        types=THREE_TYPES,
    )
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:7:5: 错误：党总支适用的一级指标合计 90 分，但满分写的是 100 分",
        "rubrics/t.yml:8:5: 错误：党支部适用的一级指标合计 90 分，但满分写的是 100 分",
    ]


# --------------------------------------------------------------------------------------------
# Ids and references
# --------------------------------------------------------------------------------------------


def test_duplicate_ids() -> None:
    problems = check(
        """
        indicators:
          - id: c1
            title: 甲
            points: 100
            children:
              - {id: "1", title: 乙, points: 50, rules: [{kind: range}]}
              - {id: "1", title: 丙, points: 50, rules: [{kind: range}, {id: x, kind: range}, {id: X, kind: range}]}
        """
    )
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:15:9: 错误：指标编号 1 重复（第一次在第 14 行）",
        "rubrics/t.yml:15:86: 错误：指标 1 的规则编号 X 重复（第一次在第 15 行）",
    ]


def test_duplicate_unit_types_and_bad_characters() -> None:
    problems = check(
        """
        indicators:
          - {id: "c 1", title: 甲, points: 100, rules: [{kind: range}]}
        """,
        types="unit_types:\n  - {id: branch, name: 党支部, full_marks: 100}\n  - {id: Branch, name: 党支部, "
        "full_marks: 100}\n",
    )
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:7:5: 错误：单位类型代码 Branch 重复（第一次在第 6 行）",
        "rubrics/t.yml:7:5: 错误：单位类型名称 党支部 重复（第一次在第 6 行）",
        "rubrics/t.yml:11:5: 错误：指标编号「c 1」含有不允许的字符",
    ]


UNKNOWN_TYPES = [
    pytest.param(
        "applies_to: [committee, general_branch, branch, county]",
        "指标 c1 的 applies_to 中的单位类型「county」不存在",
        id="applies_to",
    ),
    pytest.param(
        "not_applicable_to: [county]",
        "指标 c1 的 not_applicable_to 中的单位类型「county」不存在",
        id="not_applicable_to",
    ),
    pytest.param(
        "points_by_type: {county: 100}", "指标 c1 的 points_by_type 中的单位类型「county」不存在", id="points_by_type"
    ),
]


@pytest.mark.parametrize(("field", "message"), UNKNOWN_TYPES)
def test_unknown_unit_type_references_on_nodes(field: str, message: str) -> None:
    problems = check(
        f"indicators:\n  - {{id: c1, title: 甲, points: 100, {field}, rules: [{{kind: range}}]}}\n", types=THREE_TYPES
    )
    assert first_lines(errors(problems)) == [f"rubrics/t.yml:12:5: 错误：{message}"]
    assert errors(problems)[0].endswith("处理办法：可用的单位类型：branch、committee、general_branch。")


def test_unknown_unit_type_references_elsewhere() -> None:
    problems = check(
        """
        activities:
          - {id: meeting, name: 支委会, targets: {brunch: 8}}
        indicators:
          - id: c1
            title: 甲
            points: 100
            rules:
              - {id: a, kind: shortfall, target: {county: 4}, per: 1}
              - {id: b, kind: shortfall, activity: meeting, per: 1}
        ranking:
          within: pools
          pools:
            - {id: p1, name: 一组, unit_types: [branch, city]}
        """
    )
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:10:5: 错误：活动 meeting 的 targets 中的单位类型「brunch」不存在",
        "rubrics/t.yml:16:9: 错误：指标 c1 规则 a 的 target 中的单位类型「county」不存在",
        "rubrics/t.yml:21:7: 错误：排名组 p1 中的单位类型「city」不存在",
    ]


def test_unknown_activity() -> None:
    problems = check(
        "indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: shortfall, activity: party_class, per: 1}]}\n"
    )
    assert errors(problems) == [
        "rubrics/t.yml:10:45: 错误：指标 c1 规则 a 引用的活动 party_class 不存在\n    处理办法：可用的活动："
        "（细则没有 activities）。"
    ]


# --------------------------------------------------------------------------------------------
# Rules against their item
# --------------------------------------------------------------------------------------------

RULES = [
    pytest.param("{kind: fixed, deduct: 5}", "指标 c1 规则 a 扣 5 分，超过本项 4 分", id="fixed"),
    pytest.param("{kind: range, max: 6}", "指标 c1 规则 a 最多扣 6 分，超过本项 4 分", id="range max"),
    pytest.param("{kind: range, min: 3, max: 2}", "指标 c1 规则 a 的最少扣分 3 大于最多扣分 2", id="range min>max"),
    pytest.param("{kind: per_occurrence, per: 1, cap: 7}", "指标 c1 规则 a 最多扣 7 分，超过本项 4 分", id="cap"),
    pytest.param(
        "{kind: shortfall, target: 4, deduct: 5}", "指标 c1 规则 a 扣 5 分，超过本项 4 分", id="shortfall deduct"
    ),
    pytest.param(
        "{kind: shortfall, target: 4}",
        "指标 c1 规则 a 应写 per（每少一次扣分）或 deduct（未达标扣固定分），二者选一",
        id="shortfall neither",
    ),
    pytest.param(
        "{kind: shortfall, per: 1}",
        "指标 c1 规则 a 应写 target（目标次数）、activity（引用活动目标）或 per_member（每名成员的目标次数），三者选一",
        id="shortfall no target",
    ),
    pytest.param("{kind: rate, threshold: 80%, max: 5}", "指标 c1 规则 a 最多扣 5 分，超过本项 4 分", id="rate max"),
    pytest.param(
        "{kind: rate, threshold: 120%, deduct: 1}",
        "指标 c1 规则 a 的比率标准 1.2 不在 0 与 100% 之间",
        id="rate threshold",
    ),
    pytest.param(
        "{kind: rate, threshold: 80%, deduct: 1, per: 1}",
        "指标 c1 规则 a 应写 deduct、per 或 min/max 中的一种",
        id="rate two ways",
    ),
    pytest.param("{kind: per_person, per: 0}", "指标 c1 规则 a 每次扣分应大于 0", id="per zero"),
    pytest.param("{kind: fixed, deduct: -1}", "指标 c1 规则 a 的 deduct 为负数", id="negative"),
    pytest.param("{kind: overdue, per: 1, whole_item_at: 0}", "指标 c1 规则 a 的 whole_item_at 应大于 0", id="overdue"),
    pytest.param("{kind: earned, points: 5}", "指标 c1 的得分规则合计 5 分，超过本项 4 分", id="earned"),
]


@pytest.mark.parametrize(("rule", "message"), RULES)
def test_rule_bigger_than_its_item_or_malformed(rule: str, message: str) -> None:
    problems = check(
        f"indicators:\n  - {{id: c1, title: 甲, points: 4, rules: [{rule}]}}\n  "
        f"- {{id: c2, title: 乙, points: 96, rules: [{{kind: range}}]}}\n"
    )
    assert [m.split(" 错误：")[1] for m in first_lines(errors(problems))] == [message]


def test_rule_bigger_than_the_item_for_the_larger_type_is_allowed() -> None:
    # points_by_type makes the item 5 for committees, so a 5-point deduction can be whole.
    problems = check(
        "indicators:\n"
        "  - {id: c1, title: 甲, points: 4, points_by_type: {committee: 5}, rules: [{kind: fixed, deduct: 5}]}\n"
        "  - {id: c2, title: 乙, points: 96, points_by_type: {committee: 95}, rules: [{kind: range}]}\n",
        types=THREE_TYPES,
    )
    assert errors(problems) == []


def test_a_leaf_without_rules() -> None:
    problems = check("indicators:\n  - {id: c1, title: 甲, points: 100}\n")
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:10:5: 错误：末级指标 c1「甲」没有评分规则，考核结果无法对它扣分"
    ]
    # defaults.leaf_rule gives every bare leaf a rule.
    text = "indicators:\n  - {id: c1, title: 甲, points: 100}\n"
    rubric = rubric_from_yaml(
        rubric_text(text, floor=False).replace(
            "indicators:", "defaults:\n  item_floor: 0\n  leaf_rule: {kind: range}\nindicators:"
        )
    )
    problems = Problems()
    check_rubric(rubric, problems)
    assert [str(p) for p in problems] == []


# --------------------------------------------------------------------------------------------
# Floors: deductions that can exceed an item need a stated floor
# --------------------------------------------------------------------------------------------

FLOORS = [
    pytest.param(
        "rules: [{kind: per_occurrence, per: 1}]",
        "指标 c1 的扣分没有上限，超过本项 4 分，但细则没有写明最低得分",
        id="unbounded",
    ),
    pytest.param(
        "rules: [{kind: fixed, deduct: 3}, {kind: fixed, deduct: 2}]",
        "指标 c1 的扣分最多可扣 5 分，超过本项 4 分，但细则没有写明最低得分",
        id="003:4 summed",
    ),
    pytest.param(
        "rules: [{kind: per_element, per: 1, elements: [甲, 乙, 丙, 丁, 戊]}]",
        "指标 c1 的扣分最多可扣 5 分，超过本项 4 分，但细则没有写明最低得分",
        id="elements",
    ),
    pytest.param(
        "rules: [{kind: overdue, per: 1, whole_item_at: 6}]",
        "指标 c1 的扣分没有上限，超过本项 4 分，但细则没有写明最低得分",
        id="overdue",
    ),
]


@pytest.mark.parametrize(("rules", "message"), FLOORS)
def test_deductions_that_can_exceed_an_item_need_a_floor(rules: str, message: str) -> None:
    body = (
        f"indicators:\n  - {{id: c1, title: 甲, points: 4, {rules}}}\n"
        "  - {id: c2, title: 乙, points: 96, rules: [{kind: range}]}\n"
    )
    assert first_lines(errors(check(body, floor=False))) == [f"rubrics/t.yml:8:5: 错误：{message}"]
    # Any stated floor settles it: the rubric's default, the item's floor, or 直至扣完.
    assert errors(check(body, floor=True)) == []
    assert errors(check(body.replace("points: 4,", "points: 4, floor: 0,"), floor=False)) == []
    assert errors(check(body.replace("points: 4,", "points: 4, until_exhausted: true,"), floor=False)) == []


@pytest.mark.parametrize(
    "rules",
    [
        "rules: [{kind: fixed, deduct: 2}, {kind: fixed, deduct: 2}]",
        "rules: [{kind: per_occurrence, per: 1, cap: 4}]",
        "rules: [{kind: range}]",
        "rules: [{kind: all_or_nothing}]",
        "rules: [{kind: shortfall, target: 4, deduct: 4}]",
        "rules: [{kind: rate, threshold: 80%, min: 1, max: 2}]",
    ],
)
def test_bounded_deductions_need_no_floor(rules: str) -> None:
    body = (
        f"indicators:\n  - {{id: c1, title: 甲, points: 4, {rules}}}\n"
        "  - {id: c2, title: 乙, points: 96, rules: [{kind: range}]}\n"
    )
    assert errors(check(body, floor=False)) == []


# --------------------------------------------------------------------------------------------
# Parts, bonus, penalties, vetoes, ranking, grading
# --------------------------------------------------------------------------------------------

ONE = "indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n"


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        pytest.param(
            "parts:\n  - {id: year_end, name: 年终考核, weight: 70%, source: rubric}\n  - {id: routine, name: "
            "平时考核, weight: 20%, source: entered, full: 100}\n",
            ["rubrics/t.yml:12:5: 错误：各组成部分权重合计 90%，应为 100%"],
            id="weights short",
        ),
        pytest.param(
            "parts:\n  - {id: year_end, name: 年终考核, weight: 0.7, source: rubric}\n  - {id: routine, name: "
            "平时考核, weight: 0.4, source: entered, full: 100}\n",
            ["rubrics/t.yml:12:5: 错误：各组成部分权重合计 110%，应为 100%"],
            id="weights over",
        ),
        pytest.param(
            "parts:\n  - {id: a, name: 甲, weight: 50%, source: rubric}\n  - {id: b, name: 乙, weight: 50%, source: "
            "rubric}\n",
            ["rubrics/t.yml:12:5: 错误：应有且只有一个组成部分按本细则指标计分（source: rubric）"],
            id="two rubric parts",
        ),
        pytest.param(
            "parts:\n  - {id: a, name: 甲, weight: 90%, source: rubric}\n  - {id: b, name: 乙, weight: 10%, source: "
            "entered}\n",
            ["rubrics/t.yml:13:5: 错误：组成部分 b 由结果录入，须写满分 full"],
            id="entered without full",
        ),
        pytest.param(
            "grading:\n  method: threshold\n  bands:\n    - {grade: basic_pass, min: 70}\n    - {grade: pass, min: "
            "85}\n    - {grade: fail}\n",
            ["rubrics/t.yml:12:3: 错误：分数段应从高到低排列，且最低分互不相同"],
            id="bands ascending",
        ),
        pytest.param(
            "grading:\n  method: threshold\n  bands:\n    - {grade: pass, min: 85}\n    - {grade: basic_pass, min: "
            "85}\n    - {grade: fail}\n",
            ["rubrics/t.yml:12:3: 错误：分数段应从高到低排列，且最低分互不相同"],
            id="bands equal",
        ),
        pytest.param(
            "grading:\n  method: threshold\n  bands:\n    - {grade: pass, min: 85}\n    - {grade: fail, min: 0}\n",
            ["rubrics/t.yml:15:7: 错误：最后一档分数段不应写 min（它包括其余所有单位）"],
            id="last band with min",
        ),
        pytest.param(
            "grading:\n  method: threshold\n  bands:\n    - {grade: advanced, min: 95}\n    - {grade: pass}\n",
            ["rubrics/t.yml:14:7: 错误：先进不由分数段产生"],
            id="advanced band",
        ),
        pytest.param(
            "grading:\n  method: threshold\n",
            ["rubrics/t.yml:12:3: 错误：按分数段定等次（method: threshold），但没有写 bands"],
            id="no bands",
        ),
        pytest.param(
            "grading:\n  method: rank\n",
            ["rubrics/t.yml:12:3: 错误：按名次定等次（method: rank）须按排名组排名"],
            id="rank without pools",
        ),
        pytest.param(
            "ranking:\n  within: pools\n  pools:\n    - {id: p, name: 全体, unit_types: [branch]}\ngrading:\n  "
            "method: rank\n  advanced: rank\n",
            ["rubrics/t.yml:16:3: 错误：先进按名次产生（advanced: rank），但没有排名组写了 advanced_top"],
            id="advanced rank without top",
        ),
        pytest.param(
            "grading:\n  method: threshold\n  bands: [{grade: pass, min: 60}, {grade: fail}]\n  advanced: threshold\n",
            ["rubrics/t.yml:12:3: 错误：先进按分数产生（advanced: threshold），须写 advanced_min_score"],
            id="advanced threshold without score",
        ),
        pytest.param(
            "grading:\n  method: threshold\n  labels: {excellent: 优秀}\n  bands: [{grade: pass, min: 60}, {grade: "
            "fail}]\n",
            ["rubrics/t.yml:12:3: 错误：等次名称中的「excellent」不是等次代码"],
            id="label key",
        ),
        pytest.param(
            "ranking:\n  within: pools\n",
            ["rubrics/t.yml:12:3: 错误：ranking.within 为 pools，但没有写 pools"],
            id="pools missing",
        ),
        pytest.param(
            "bonus:\n  items:\n    - {id: b1, title: 荣誉, min: 1, max: 3, levels: [{id: x, name: 国家级, points: "
            "5}]}\n    - {id: b2, title: 经验}\n    - {id: b3, title: 酌情, min: 3, max: 1}\n",
            [
                "rubrics/t.yml:13:7: 错误：加分项目 b1 应写 levels（按级别加分）或 min/max（酌情加分），二者选一",
                "rubrics/t.yml:14:7: 错误：加分项目 b2 应写 levels（按级别加分）或 min/max（酌情加分），二者选一",
                "rubrics/t.yml:15:7: 错误：加分项目 b3 的 min 大于 max",
            ],
            id="bonus",
        ),
        pytest.param(
            "penalties:\n  - {id: fraud, name: 弄虚作假, min: 10, max: 5}\nvetoes:\n  effect: no_advanced\n",
            [
                "rubrics/t.yml:12:5: 错误：扣分因素 fraud 的范围 10～5 不成立",
                "rubrics/t.yml:14:3: 错误：否决项目没有列出事项（events）",
            ],
            id="penalties and vetoes",
        ),
    ],
)
def test_parts_bonus_ranking_grading(section: str, expected: list[str]) -> None:
    assert first_lines(errors(check(ONE + section))) == expected


def test_pools_cover_each_type_once() -> None:
    problems = check(
        ONE
        + "ranking:\n  within: pools\n  pools:\n"
        + "    - {id: p1, name: 一组, unit_types: [committee, branch]}\n"
        + "    - {id: p2, name: 二组, unit_types: [branch]}\n",
        types=THREE_TYPES,
    )
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:7:5: 错误：单位类型 general_branch 不属于任何排名组",
        "rubrics/t.yml:17:7: 错误：单位类型 branch 同时属于排名组 p1 和 p2",
    ]


def test_id_and_year() -> None:
    rubric = rubric_from_yaml(rubric_text(ONE).replace("id: t\n", "id: Wujin_2017\n").replace("year: 2017", "year: 17"))
    problems = Problems()
    check_rubric(rubric, problems)
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:1:5: 错误：考核代码「Wujin_2017」含有不允许的字符",
        "rubrics/t.yml:3:7: 错误：考核年度 17 不合理：应在 1949～2100 之间",
    ]


def test_one_run_reports_every_problem() -> None:
    problems = check(
        """
        indicators:
          - id: c1
            title: 甲
            points: 10
            children:
              - {id: "1", title: 乙, points: 4, rules: [{kind: fixed, deduct: 5}, {kind: per_occurrence, per: 1}]}
              - {id: "1", title: 丙, points: 5, applies_to: [county], rules: [{kind: range}]}
          - {id: c2, title: 丁, points: 90, rules: [{kind: range, max: 91}]}
        parts:
          - {id: year_end, name: 年终, weight: 70%, source: rubric}
          - {id: routine, name: 平时, weight: 20%, source: entered}
        grading:
          method: threshold
          bands:
            - {grade: basic_pass, min: 70}
            - {grade: pass, min: 85}
            - {grade: fail}
        """,
        floor=False,
    )
    assert first_lines(errors(problems)) == [
        "rubrics/t.yml:8:5: 错误：指标 c1「甲」分值为 10 分，但下级指标合计 4 分（4）",
        "rubrics/t.yml:12:9: 错误：指标 1 的扣分没有上限，超过本项 4 分，但细则没有写明最低得分",
        "rubrics/t.yml:12:48: 错误：指标 1 规则 a 扣 5 分，超过本项 4 分",
        "rubrics/t.yml:13:9: 错误：指标 1 的 applies_to 中的单位类型「county」不存在",
        "rubrics/t.yml:13:9: 错误：指标编号 1 重复（第一次在第 12 行）",
        "rubrics/t.yml:14:5: 错误：指标 c2 的扣分最多可扣 91 分，超过本项 90 分，但细则没有写明最低得分",
        "rubrics/t.yml:14:44: 错误：指标 c2 规则 a 最多扣 91 分，超过本项 90 分",
        "rubrics/t.yml:16:5: 错误：各组成部分权重合计 90%，应为 100%",
        "rubrics/t.yml:17:5: 错误：组成部分 routine 由结果录入，须写满分 full",
        "rubrics/t.yml:19:3: 错误：分数段应从高到低排列，且最低分互不相同",
    ]


def test_indicators_must_add_up_to_the_scored_parts_full_marks() -> None:
    body = """
        indicators:
          - {id: c1, title: 年终考核指标, points: 1000, rules: [{kind: range}]}
        parts:
          - {id: year_end, name: 年终考核, weight: 70%, source: rubric%s}
          - {id: routine, name: 平时考核, weight: 30%%, source: entered, full: 100}
        """
    assert not check(body.replace("%s", ", full: 1000").replace("%%", "%")).has_errors()
    problems = check(body.replace("%s", "").replace("%%", "%"))
    assert [str(p).split("\n")[0] for p in problems.errors] == [
        "rubrics/t.yml:6:5: 错误：党支部适用的一级指标合计 1000 分，但满分写的是 100 分"
    ]


def test_element_names_cannot_hold_the_separators_results_use() -> None:
    problems = check(
        """
        indicators:
          - id: c1
            title: 活动室
            points: 100
            rules: [{kind: per_element, per: 0.5, elements: [党旗, "电教设备、学习资料"]}]
        """
    )
    assert [str(p).split("\n")[0] for p in problems.errors] == [
        "rubrics/t.yml:13:13: 错误：指标 c1 规则 a 的项名「电教设备、学习资料」含有分隔符（顿号、逗号、分号或斜杠），"
        "考核结果无法填写它"
    ]


def test_rounding_keeps_to_the_two_places_pages_show() -> None:
    problems = check(
        "rounding: {decimals: 3}\nindicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n"
    )
    assert [str(p).split("\n")[0].split(": ", 1)[1] for p in problems.errors] == ["错误：保留小数位数 3 不在 0～2 之间"]


def test_a_floor_outside_the_items_points_would_wipe_out_deductions() -> None:
    problems = check("indicators:\n  - {id: c1, title: 甲, points: 100, floor: 120, rules: [{kind: range}]}\n")
    assert [p.message for p in problems.errors] == ["指标 c1 的最低得分 120 分高于本项 100 分，扣分会被抹去"]


def test_a_negative_floor_is_reported_once_where_it_is_written() -> None:
    item = "  - {id: c%d, title: 甲, points: 50, rules: [{kind: range}]}\n"
    body = "indicators:\n" + "".join(item % i for i in (1, 2))
    problems = check("defaults:\n  item_floor: -1\n" + body, floor=False)
    assert [p.message for p in problems.errors] == ["每项最低得分 item_floor 为负数（-1）"]
    problems = check(body.replace("points: 50, rules", "points: 50, floor: -2, rules", 1))
    assert [p.message for p in problems.errors] == ["指标 c1 的最低得分 floor 为负数（-2），本项得分可能为负"]


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("t2.yml", "处理办法：把文件改名为 rubrics/t.yml，或把 id 改为 t2。"),
        # 市直2026 cannot be an id: renaming the file is the one way out.
        ("市直2026.yml", "处理办法：把文件改名为 rubrics/t.yml（考核代码只用小写字母、数字和连字符，文件名随它）。"),
    ],
)
def test_a_rubric_named_unlike_its_id_is_told_a_way_out_that_works(tmp_path: Path, name: str, hint: str) -> None:
    write_project(
        tmp_path, rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n"), {}
    )
    (tmp_path / "rubrics" / "t.yml").rename(tmp_path / "rubrics" / name)
    (message,) = [m for m in errors(prepare(tmp_path)) if "与文件名" in m]
    assert message.endswith(f"细则 id 为 t，与文件名 rubrics/{name} 不一致\n    {hint}"), message
