"""Rule kinds of fixed or judged amounts, table-driven: what the assessors found → the item's score.

As ``test_rules.py``: fixed, all_or_nothing, range, earned, rate, and the floors and caps of an item.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import AID, HEAD, entries_csv, errors, find, units_csv, warnings
from rulecases import Run, first_lines, outcome_of, run_item, score_of

from generator.engine.wording import all_words, rule_words

# --------------------------------------------------------------------------------------------
# fixed, all_or_nothing
# --------------------------------------------------------------------------------------------

FIXED = [
    pytest.param("{kind: fixed, deduct: 2}", [",,"], "1", id="000:1 没有建立扣2分"),
    pytest.param("{kind: fixed, deduct: 2}", [",是,"], "1", id="yes"),
    pytest.param("{kind: fixed, deduct: 2}", [",有,"], "1", id="有"),
    pytest.param("{kind: fixed, deduct: 2}", [",否,"], "3", id="no"),
    pytest.param("{kind: fixed, deduct: 2}", [",,2"], "1", id="amount as stated"),
    pytest.param("{kind: fixed, deduct: 2}", [], "3", id="nothing found"),
    pytest.param("{kind: all_or_nothing}", [",,"], "0", id="003:18 未认真开展的不得分"),
    pytest.param("{kind: all_or_nothing}", [",否,"], "3", id="all or nothing, no"),
    pytest.param("{kind: all_or_nothing}", [",,3"], "0", id="all or nothing, amount as stated"),
    pytest.param("{kind: all_or_nothing}", [], "3", id="all or nothing, nothing found"),
]


@pytest.mark.parametrize(("rule", "rows", "expected"), FIXED)
def test_fixed_and_all_or_nothing(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, "3", rule, rows) == Decimal(expected)


# --------------------------------------------------------------------------------------------
# range: 视具体情况扣 1～3 分
# --------------------------------------------------------------------------------------------

RANGE = "{kind: range, min: 1, max: 3, text: 视具体情况扣1～3分}"

RANGES = [
    pytest.param(RANGE, [",,2"], "3", id="2 within 1～3"),
    pytest.param(RANGE, [",,1"], "4", id="the minimum"),
    pytest.param(RANGE, [",,3"], "2", id="the maximum"),
    pytest.param(RANGE, [",,1", ",,1.5"], "2.5", id="two rows within the range together"),
    pytest.param(RANGE, [",,0.5", ",,0.5"], "4", id="two rows reaching the minimum together"),
    pytest.param("{kind: range}", [",,5"], "0", id="酌情扣分 up to the item"),
    pytest.param("{kind: range}", [",,0.5"], "4.5", id="酌情扣分 half a point"),
]


@pytest.mark.parametrize(("rule", "rows", "expected"), RANGES)
def test_range(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, "5", rule, rows) == Decimal(expected)


@pytest.mark.parametrize(
    ("rule", "rows", "expected"),
    [
        pytest.param(
            RANGE,
            [",,4"],
            "results/t/entries.csv:2:5: 错误：指标 1 规则 a 酌情扣分 4 分，超出允许的范围（可扣 1～3 分）",
            id="4 on a 1～3 clause",
        ),
        pytest.param(
            RANGE,
            [",,2", ",,2"],
            "results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 a 酌情扣分合计 4 分，超出允许的范围（可扣 1～3 分）",
            id="two rows over the range together",
        ),
        pytest.param(
            RANGE,
            [",,0.5"],
            "results/t/entries.csv:2:1: 错误：单位 u1 指标 1 规则 a 酌情扣分合计 0.5 分，"
            "超出允许的范围（可扣 1～3 分）",
            id="under the minimum",
        ),
        pytest.param(
            "{kind: range}",
            [",,6"],
            "results/t/entries.csv:2:5: 错误：指标 1 规则 a 酌情扣分 6 分，超出允许的范围（最多可扣 5 分）",
            id="over the item",
        ),
        pytest.param(
            RANGE,
            [",,"],
            "results/t/entries.csv:2:5: 错误：指标 1 规则 a 为酌情扣分，须填写扣分",
            id="no amount",
        ),
    ],
)
def test_range_refused(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert first_lines(errors(run_item(ran, "5", rule, rows))) == [expected]


def test_range_value_column_is_not_scored(ran: Run) -> None:
    prepared = run_item(ran, "5", RANGE, [",发现两处问题,2"])
    assert outcome_of(prepared).score == Decimal(3)
    assert first_lines(warnings(prepared)) == [
        "results/t/entries.csv:2:4: 警告：指标 1 规则 a 为酌情扣分，“情况”列「发现两处问题」不参与计分"
    ]


# --------------------------------------------------------------------------------------------
# earned: 做到得分，未开展的不得分
# --------------------------------------------------------------------------------------------

EARNED = "{kind: earned, points: 2}"
PARTIAL = "{kind: earned, points: 2, partial: true}"

EARNEDS = [
    pytest.param(EARNED, [], "0", id="003:21 absent: not earned"),
    pytest.param(EARNED, [",,"], "2", id="a row: earned"),
    pytest.param(EARNED, [",是,"], "2", id="yes"),
    pytest.param(EARNED, [",否,"], "0", id="no"),
    pytest.param(EARNED, [",,2"], "2", id="amount as stated"),
    pytest.param(PARTIAL, [",,1.5"], "1.5", id="partial"),
    pytest.param(PARTIAL, [",,0.5", ",,1"], "1.5", id="partial over two rows"),
    pytest.param(PARTIAL, [",,"], "2", id="partial without amount: all"),
    pytest.param(PARTIAL, [], "0", id="partial absent"),
]


@pytest.mark.parametrize(("rule", "rows", "expected"), EARNEDS)
def test_earned(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, "2", rule, rows) == Decimal(expected)


def test_earned_explains_itself(ran: Run) -> None:
    [rule] = outcome_of(run_item(ran, "2", EARNED, [])).rules
    assert (rule.lost, rule.earned) == (Decimal(2), Decimal(0))
    assert rule_words(rule.why) == "未做到，不得分（本规则 2 分）"
    [rule] = outcome_of(run_item(ran, "2", PARTIAL, [",,1.5"])).rules
    assert (rule.lost, rule.earned) == (Decimal("0.5"), Decimal("1.5"))


def test_earned_next_to_a_deduction(ran: Run) -> None:
    # 5-point item: 2 earned by the work method, 3 lost to a fixed deduction.
    rules = "{id: method, kind: earned, points: 2}, {id: plan, kind: fixed, deduct: 3}"
    assert score_of(ran, "5", rules, []) == Decimal(3)
    assert score_of(ran, "5", rules, ["method,,"]) == Decimal(5)
    assert score_of(ran, "5", rules, ["method,,", "plan,,"]) == Decimal(2)


@pytest.mark.parametrize(
    ("rule", "rows", "expected"),
    [
        pytest.param(
            EARNED,
            [",,1"],
            "results/t/entries.csv:2:5: 错误：指标 1 规则 a 做到即得 2 分，不能给 1 分",
            id="partial not allowed",
        ),
        pytest.param(
            PARTIAL,
            [",,3"],
            "results/t/entries.csv:2:5: 错误：指标 1 规则 a 最多得 2 分，这里给了 3 分",
            id="over the rule",
        ),
        pytest.param(
            PARTIAL,
            [",,1.5", ",,1"],
            "results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 a 得分合计 2.5 分，超过 2 分",
            id="rows over the rule",
        ),
        pytest.param(
            EARNED,
            [",不清楚,"],
            "results/t/entries.csv:2:4: 错误：指标 1 规则 a 的情况「不清楚」无法识别",
            id="unreadable",
        ),
    ],
)
def test_earned_refused(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert first_lines(errors(run_item(ran, "2", rule, rows))) == [expected]


# --------------------------------------------------------------------------------------------
# rate: 与会率不低于 80%
# --------------------------------------------------------------------------------------------

RATE_DEDUCT = "{kind: rate, threshold: 80%, deduct: 1, measure: 与会率}"
RATE_PER = "{kind: rate, threshold: 80%, per: 1, measure: 与会率}"
RATE_RANGE = "{kind: rate, threshold: 80%, min: 1, max: 2, measure: 与会率}"

RATES = [
    pytest.param(RATE_DEDUCT, [",75%,"], "1", id="deduct below"),
    pytest.param(RATE_DEDUCT, [",85%,"], "2", id="deduct above"),
    pytest.param(RATE_DEDUCT, [",80%,"], "2", id="at the threshold is not below"),
    pytest.param(RATE_DEDUCT, [",79.9%,"], "1", id="just below"),
    pytest.param(RATE_DEDUCT, [",0.75,"], "1", id="a fraction"),
    pytest.param(RATE_DEDUCT, [",75,"], "1", id="75 without % is 75%"),
    pytest.param(RATE_DEDUCT, [",７５％,"], "1", id="full-width"),
    pytest.param(RATE_DEDUCT, [",75%,", ",70%,"], "1", id="deduct once however many"),
    pytest.param(RATE_PER, [",75%,", ",70%,", ",90%,"], "1", id="per: each rate below"),
    pytest.param(RATE_PER, [",90%,"], "3", id="per: none below"),
    pytest.param(RATE_RANGE, [",75%,1.5"], "0.5", id="000:20 酌情扣1～2分"),
    pytest.param(RATE_RANGE, [",75%,1"], "1", id="range minimum"),
    pytest.param(RATE_RANGE, [",85%,"], "2", id="range not below"),
]


@pytest.mark.parametrize(("rule", "rows", "expected"), RATES)
def test_rate(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    points = "3" if rule == RATE_PER else "2"
    assert score_of(ran, points, rule, rows) == Decimal(expected)


def test_rate_without_percent_sign_warns(ran: Run) -> None:
    prepared = run_item(ran, "2", RATE_DEDUCT, [",75,"])
    assert first_lines(warnings(prepared)) == ["results/t/entries.csv:2:4: 警告：与会率「75」没有百分号，已读作 75%"]
    [rule] = outcome_of(prepared).rules
    assert rule.findings[0].rate == Decimal("0.75")
    assert rule_words(rule.why) == "与会率 75% 低于 80%，扣 1 分"


@pytest.mark.parametrize(
    ("rule", "rows", "expected"),
    [
        pytest.param(
            RATE_RANGE,
            [",75%,"],
            "results/t/entries.csv:2:5: 错误：与会率 75% 低于 80%，须填写酌情扣分",
            id="range without amount",
        ),
        pytest.param(
            RATE_RANGE,
            [",75%,3"],
            "results/t/entries.csv:2:5: 错误：指标 1 规则 a 只能扣 1～2 分，这里是 3 分",
            id="range over",
        ),
        pytest.param(
            RATE_RANGE,
            [",85%,1"],
            "results/t/entries.csv:2:5: 错误：与会率 85% 不低于 80%，不应扣分",
            id="not below but deducted",
        ),
        pytest.param(RATE_DEDUCT, [",120%,"], "results/t/entries.csv:2:4: 错误：与会率 120% 超过 100%", id="over 100%"),
        pytest.param(
            RATE_DEDUCT, [",150,"], "results/t/entries.csv:2:4: 错误：与会率「150」超过 100%", id="150 without %"
        ),
        pytest.param(RATE_DEDUCT, [",,"], "results/t/entries.csv:2:4: 错误：指标 1 规则 a 须填写与会率", id="no rate"),
        pytest.param(RATE_DEDUCT, [",八成,"], "results/t/entries.csv:2:4: 错误：比率「八成」不是数字", id="words"),
    ],
)
def test_rate_refused(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert first_lines(errors(run_item(ran, "2", rule, rows))) == [expected]


# --------------------------------------------------------------------------------------------
# Floors (直至扣完), rule caps, several rules summed
# --------------------------------------------------------------------------------------------

SEVERAL = (
    "{id: duty, kind: fixed, deduct: 3, text: 未落实一岗双责扣3分}, "
    "{id: lists, kind: fixed, deduct: 2, text: 未制定两个责任扣2分}"
)
MEETINGS = (
    "{id: late, kind: per_occurrence, per: 1}, {id: absent, kind: per_occurrence, per: 2}, "
    "{id: rate, kind: rate, threshold: 80%, min: 1, max: 2}"
)

FLOORS_AND_CAPS = [
    pytest.param("5", "{kind: per_occurrence, per: 1, cap: 2}", "", [",4,"], "3", id="rule cap"),
    pytest.param("5", "{kind: per_occurrence, per: 1, cap: 2}", "", [",1,"], "4", id="rule cap not reached"),
    pytest.param("3", "{kind: per_occurrence, per: 1}", "floor: 1, ", [",5,"], "1", id="item floor 1"),
    pytest.param(
        "3", "{kind: per_occurrence, per: 1}", "floor: 0, until_exhausted: true, ", [",5,"], "0", id="直至扣完"
    ),
    pytest.param("3", SEVERAL, "", ["duty,,", "lists,,"], "0", id="003:4 3 + 2 on a 3-point item"),
    pytest.param("3", SEVERAL, "", ["duty,,"], "0", id="003:4 one of the two"),
    pytest.param("3", SEVERAL, "", ["lists,,"], "1", id="003:4 the other"),
    pytest.param("4", MEETINGS, "", ["late,1,", "absent,1,", "rate,75%,1"], "0", id="000:20 1 + 2 + 1 on 4"),
    pytest.param("4", MEETINGS, "", ["late,2,", "rate,78%,1.5"], "0.5", id="000:20 2 + 1.5 on 4"),
    pytest.param("4", MEETINGS, "", ["absent,3,"], "0", id="000:20 6 on 4"),
]


@pytest.mark.parametrize(("points", "rules", "node", "rows", "expected"), FLOORS_AND_CAPS)
def test_floors_and_caps(ran: Run, points: str, rules: str, node: str, rows: list[str], expected: str) -> None:
    assert score_of(ran, points, rules, rows, node=node) == Decimal(expected)


def test_sum_over_the_item_is_noted(ran: Run) -> None:
    item = outcome_of(run_item(ran, "3", SEVERAL, ["duty,,", "lists,,"]))
    assert [r.lost for r in item.rules] == [Decimal(3), Decimal(2)]
    assert (item.points, item.lost, item.score) == (Decimal(3), Decimal(3), Decimal(0))
    assert all_words(item.notes) == ("扣分合计 5 分，超过本项分值，扣完为止，得 0 分",)


def test_rule_cap_is_explained(ran: Run) -> None:
    [rule] = outcome_of(run_item(ran, "5", "{kind: per_occurrence, per: 1, cap: 2}", [",4,"])).rules
    assert rule.lost == Decimal(2)
    assert rule_words(rule.why) == "4 次 × 1 分 = 4 分；本规则最多扣 2 分"


def test_a_child_over_its_points_costs_its_parent_only_its_points(ran: Run) -> None:
    rubric = (
        HEAD
        + "unit_types:\n  - {id: branch, name: 党支部, full_marks: 100}\n"
        + "defaults:\n  item_floor: 0\n"
        + "indicators:\n"
        + "  - id: c1\n    title: 基础\n    points: 5\n    children:\n"
        + '      - {id: "1", title: 会议, points: 3, rules: [{kind: per_occurrence, per: 1}]}\n'
        + '      - {id: "2", title: 计划, points: 2, rules: [{kind: fixed, deduct: 1}]}\n'
        + "  - {id: c2, title: 其他, points: 95, rules: [{kind: range}]}\n"
    )
    prepared = ran(
        rubric,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "entries.csv": entries_csv("u1,1,,6,,六次", "u1,2,,,,无计划"),
        },
    )
    assert errors(prepared) == []
    score = prepared.outcomes[AID].by_unit()["u1"].score
    c1 = find(score.categories, "c1")
    one, two = c1.children
    assert (one.lost, one.score) == (Decimal(3), Decimal(0))
    assert (two.lost, two.score) == (Decimal(1), Decimal(1))
    assert (c1.lost, c1.score) == (Decimal(4), Decimal(1))
    assert score.total == Decimal(96)
