"""Rule kinds that count, table-driven: what the assessors found → the item's score.

Each table row is one item of ``points`` with one (or a few) rules, the rows of entries.csv for unit
u1 (``rule,value,amount``) and the item's score worked out by hand from the rule's wording. Kinds that
count: shortfall, per_element, overdue, per_occurrence, per_person (the others: ``test_rules_amounts.py``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import errors, warnings
from rulecases import Run, first_lines, outcome_of, run_item, score_of

from generator.engine.wording import rule_words

# --------------------------------------------------------------------------------------------
# shortfall: 每少一次扣 N 分
# --------------------------------------------------------------------------------------------

SCALAR = "{kind: shortfall, target: 4, per: 1}"
BY_TYPE = "{kind: shortfall, target: {committee: 12, general_branch: 8, branch: 6}, per: 0.5}"
DEDUCT = "{kind: shortfall, target: 2, deduct: 2}"
ACTIVITY = "{kind: shortfall, activity: branch_committee, per: 0.5}"
ACTIVITIES = "activities:\n  - {id: branch_committee, name: 支委会, targets: {branch: 8, general_branch: 10}}\n"

SHORTFALL = [
    pytest.param("4", SCALAR, "branch", [",2,"], "2", id="003:2 two of four"),
    pytest.param("4", SCALAR, "branch", [",4,"], "4", id="target met"),
    pytest.param("4", SCALAR, "branch", [",5,"], "4", id="more than the target never adds"),
    pytest.param("4", SCALAR, "branch", [",0,"], "0", id="none done"),
    pytest.param("4", SCALAR, "branch", [",1,", ",2,"], "3", id="rows add up"),
    pytest.param("4", SCALAR, "branch", [",3次,"], "3", id="count with unit"),
    pytest.param("4", SCALAR, "branch", [], "4", id="nothing recorded"),
    pytest.param("3", BY_TYPE, "committee", [",10,"], "2", id="003:14 committee 10 of 12"),
    pytest.param("3", BY_TYPE, "general_branch", [",8,"], "3", id="003:14 general branch 8 of 8"),
    pytest.param("3", BY_TYPE, "branch", [",5,"], "2.5", id="003:14 branch 5 of 6"),
    pytest.param("3", BY_TYPE, "committee", [",0,"], "0", id="003:14 floored"),
    pytest.param("3", DEDUCT, "branch", [",1,"], "1", id="deduct when short"),
    pytest.param("3", DEDUCT, "branch", [",0,"], "1", id="deduct is fixed however short"),
    pytest.param("3", DEDUCT, "branch", [",2,"], "3", id="deduct target met"),
]


@pytest.mark.parametrize(("points", "rule", "unit_type", "rows", "expected"), SHORTFALL)
def test_shortfall(ran: Run, points: str, rule: str, unit_type: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, points, rule, rows, unit_type=unit_type) == Decimal(expected)


@pytest.mark.parametrize(
    ("unit_type", "rows", "expected"),
    [
        pytest.param("branch", [",5,"], "2.5", id="branch 5 of 8"),
        pytest.param("branch", [",8,"], "4", id="branch 8 of 8"),
        pytest.param("general_branch", [",8,"], "3", id="general branch 8 of 10"),
        pytest.param("committee", [",0,"], "4", id="no target for committees"),
    ],
)
def test_shortfall_against_an_activity_target(ran: Run, unit_type: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, "4", ACTIVITY, rows, unit_type=unit_type, extra=ACTIVITIES) == Decimal(expected)


def test_shortfall_explains_itself(ran: Run) -> None:
    [rule] = outcome_of(run_item(ran, "4", SCALAR, [",2,"])).rules
    assert rule.lost == Decimal(2)
    assert rule_words(rule.why) == "目标 4 次，完成 2 次，少 2 次 × 1 分 = 2 分"
    assert rule.reasons == ("原因1",)


# --------------------------------------------------------------------------------------------
# per_element: 每缺一项扣 N 分
# --------------------------------------------------------------------------------------------

ELEMENTS = "{kind: per_element, per: 0.5, elements: [活动室, 党旗, 入党誓词, 制度上墙]}"

PER_ELEMENT = [
    pytest.param(ELEMENTS, [",党旗,"], "1.5", id="one name"),
    pytest.param(ELEMENTS, [",党旗、入党誓词,"], "1", id="names with 、"),
    pytest.param(ELEMENTS, [",党旗；制度上墙,"], "1", id="names with ；"),
    pytest.param(ELEMENTS, [',"党旗,制度上墙",'], "1", id="names with a quoted comma"),
    pytest.param(ELEMENTS, [",党旗,", ",入党誓词,"], "1", id="names over two rows"),
    pytest.param(ELEMENTS, [",2,"], "1", id="a count"),
    pytest.param(ELEMENTS, [",,1"], "1", id="an amount only"),
    pytest.param(ELEMENTS, [",活动室、党旗、入党誓词、制度上墙,"], "0", id="all missing"),
    pytest.param(
        "{kind: per_element, per: 2}", [",学习笔记、会议记录,"], "0", id="000:14 free names, 2 each on a 3-point item"
    ),
    pytest.param("{kind: per_element, per: 1}", [",学习笔记,"], "2", id="free names"),
]


@pytest.mark.parametrize(("rule", "rows", "expected"), PER_ELEMENT)
def test_per_element(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    points = "2" if "0.5" in rule else "3"
    assert score_of(ran, points, rule, rows) == Decimal(expected)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [",党徽,"],
            [
                "results/t/entries.csv:2:4: 错误：指标 1 规则 a 没有「党徽」这一项\n"
                "    处理办法：可填：活动室、党旗、入党誓词、制度上墙。"
            ],
            id="unknown name",
        ),
        pytest.param(
            [",党旗、党徽、团旗,"],
            [
                "results/t/entries.csv:2:4: 错误：指标 1 规则 a 没有「党徽、团旗」这一项\n"
                "    处理办法：可填：活动室、党旗、入党誓词、制度上墙。"
            ],
            id="unknown names among known",
        ),
        pytest.param(
            [",5,"],
            ["results/t/entries.csv:2:4: 错误：指标 1 规则 a 只列了 4 项，缺项数 5 超过了\n    处理办法：核对缺项数。"],
            id="count over the list",
        ),
        pytest.param(
            [",党旗,", ",党旗,"],
            [
                "results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 a 缺项「党旗」记录了不止一次\n"
                "    处理办法：每个缺项只记一次。"
            ],
            id="same element twice",
        ),
        pytest.param(
            [",党旗,1"],
            [
                "results/t/entries.csv:2:5: 错误：指标 1 规则 a：1 × 0.5 分应扣 0.5 分，但扣分写的是 1 分\n"
                "    处理办法：核对次数和扣分；扣分列可以不填，由程序计算。"
            ],
            id="amount disagrees",
        ),
        pytest.param(
            [",,"],
            [
                "results/t/entries.csv:2:4: 错误：指标 1 规则 a 须填写缺少的项（或缺项数）\n"
                "    处理办法：可填：活动室、党旗、入党誓词、制度上墙。"
            ],
            id="nothing named",
        ),
    ],
)
def test_per_element_refused(ran: Run, rows: list[str], expected: list[str]) -> None:
    assert errors(run_item(ran, "2", ELEMENTS, rows)) == expected


def test_per_element_names_the_missing_items(ran: Run) -> None:
    [rule] = outcome_of(run_item(ran, "2", ELEMENTS, [",党旗、入党誓词,"])).rules
    assert rule_words(rule.why) == "缺党旗、入党誓词，2 项 × 0.5 分 = 1 分"


# --------------------------------------------------------------------------------------------
# overdue: 每超过 1 个月扣 1 分，超期 6 个月扣完
# --------------------------------------------------------------------------------------------

OVERDUE = "{kind: overdue, per: 1, whole_item_at: 6}"

OVERDUES = [
    pytest.param(OVERDUE, [",2,"], "6", id="000:6 two months"),
    pytest.param(OVERDUE, [",5,"], "3", id="five months"),
    pytest.param(OVERDUE, [",6,"], "0", id="six months: the whole item"),
    pytest.param(OVERDUE, [",7,"], "0", id="beyond six months"),
    pytest.param(OVERDUE, [",2个月,"], "6", id="months with unit"),
    pytest.param(OVERDUE, [",0,"], "8", id="not overdue"),
    pytest.param("{kind: overdue, per: 1}", [",9,"], "0", id="no whole-item rule, floored"),
    pytest.param("{kind: overdue, per: 0.5, unit: 周}", [",3,"], "6.5", id="half a point a week"),
]


@pytest.mark.parametrize(("rule", "rows", "expected"), OVERDUES)
def test_overdue(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, "8", rule, rows) == Decimal(expected)


def test_overdue_whole_item_explains_itself(ran: Run) -> None:
    [rule] = outcome_of(run_item(ran, "8", OVERDUE, [",6,"])).rules
    assert rule.lost == Decimal(8)
    assert rule_words(rule.why) == "超期 6 个月，达到 6 个月，扣完本项 8 分"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param([",,"], "results/t/entries.csv:2:4: 错误：指标 1 规则 a 须填写超期的个月数", id="no months"),
        pytest.param(
            [",2,", ",1,"],
            "results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 a 超期时长只能记录一次，这里有 2 行",
            id="twice",
        ),
    ],
)
def test_overdue_refused(ran: Run, rows: list[str], expected: str) -> None:
    assert first_lines(errors(run_item(ran, "8", OVERDUE, rows))) == [expected]


# --------------------------------------------------------------------------------------------
# per_occurrence, per_person
# --------------------------------------------------------------------------------------------

PER_COUNT = [
    pytest.param("5", "{kind: per_occurrence, per: 2}", [",1,"], "3", id="000:20 absent once"),
    pytest.param("5", "{kind: per_occurrence, per: 2}", [",,"], "3", id="a row is one occurrence"),
    pytest.param("5", "{kind: per_occurrence, per: 2}", [",2,"], "1", id="twice"),
    pytest.param("5", "{kind: per_occurrence, per: 2}", [",,4"], "1", id="amount only: two occurrences"),
    pytest.param("5", "{kind: per_occurrence, per: 2}", [",1,", ",1,"], "1", id="two rows"),
    pytest.param("5", "{kind: per_occurrence, per: 2}", [",3,"], "0", id="floored"),
    pytest.param("5", "{kind: per_occurrence, per: 0.2}", [",12,"], "2.6", id="0.2 twelve times"),
    pytest.param("3", "{kind: per_person, per: 1}", [",2,"], "1", id="000:6 two person-times"),
    pytest.param("3", "{kind: per_person, per: 1}", [",2人次,"], "1", id="person-times with unit"),
    pytest.param("4", "{kind: per_person, per: 2}", [",1,"], "2", id="000:17 受处分每人次扣2分"),
]


@pytest.mark.parametrize(("points", "rule", "rows", "expected"), PER_COUNT)
def test_per_occurrence_and_per_person(ran: Run, points: str, rule: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, points, rule, rows) == Decimal(expected)


def test_point_two_twelve_times_is_exactly_two_point_four(ran: Run) -> None:
    [rule] = outcome_of(run_item(ran, "5", "{kind: per_occurrence, per: 0.2}", [",12,"])).rules
    assert rule.lost == Decimal("2.4")
    assert str(rule.lost) == "2.4"
    assert rule_words(rule.why) == "12 次 × 0.2 分 = 2.4 分"


def test_amount_not_a_multiple_of_per(ran: Run) -> None:
    prepared = run_item(ran, "5", "{kind: per_occurrence, per: 2}", [",,3"])
    assert first_lines(errors(prepared)) == [
        "results/t/entries.csv:2:5: 错误：指标 1 规则 a 每次扣 2 分，扣分 3 不是它的整数倍"
    ]


def test_count_with_unit_is_a_warning(ran: Run) -> None:
    prepared = run_item(ran, "3", "{kind: per_person, per: 1}", [",2人次,"])
    assert first_lines(warnings(prepared)) == [
        "results/t/entries.csv:2:4: 警告：情况（次数）「2人次」已读作 2（已去掉单位「人次」）"
    ]


