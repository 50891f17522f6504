"""Every rule kind, table-driven: what the assessors found → the item's score.

Each table row is one item of ``points`` with one (or a few) rules, the rows of entries.csv for unit
u1 (``rule,value,amount``) and the item's score worked out by hand from the rule's wording.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import pytest
from helpers import AID, HEAD, entries_csv, errors, find, units_csv, warnings

from generator.data.pipeline import Prepared
from generator.engine.outcome import NodeOutcome
from generator.engine.wording import all_words, rule_words

Run = Callable[[str, Mapping[str, str | bytes]], Prepared]
TYPES = (("committee", "党委"), ("general_branch", "党总支"), ("branch", "党支部"))


def item_rubric(points: str, rules: str, *, extra: str = "", node: str = "") -> str:
    """One indicator ``1`` worth ``points`` (the whole rubric), for three unit types."""
    types = "unit_types:\n" + "".join(f"  - {{id: {t}, name: {n}, full_marks: {points}}}\n" for t, n in TYPES)
    return (
        HEAD
        + types
        + "defaults:\n  item_floor: 0\n"
        + extra
        + f'indicators:\n  - {{id: "1", title: 考核项, points: {points}, {node}rules: [{rules}]}}\n'
    )


def run_item(ran: Run, points: str, rules: str, rows: Sequence[str], *, unit_type: str = "branch", extra: str = "", node: str = "") -> Prepared:
    entries = entries_csv(*(f"u1,1,{row},原因{i}" for i, row in enumerate(rows, start=1)))
    return ran(item_rubric(points, rules, extra=extra, node=node), {"units.csv": units_csv(f"u1,一支部,{unit_type},已考核"), "entries.csv": entries})


def outcome_of(prepared: Prepared) -> NodeOutcome:
    assert errors(prepared) == []
    return find(prepared.outcomes[AID].by_unit()["u1"].score.categories, "1")


def score_of(ran: Run, points: str, rules: str, rows: Sequence[str], **options: str) -> Decimal | None:
    return outcome_of(run_item(ran, points, rules, rows, **options)).score


def first_lines(texts: list[str]) -> list[str]:
    return [t.split("\n")[0] for t in texts]


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
    pytest.param("{kind: per_element, per: 2}", [",学习笔记、会议记录,"], "0", id="000:14 free names, 2 each on a 3-point item"),
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
            ["results/t/entries.csv:2:4: 错误：指标 1 规则 a 没有「党徽」这一项\n    处理办法：可填：活动室、党旗、入党誓词、制度上墙。"],
            id="unknown name",
        ),
        pytest.param(
            [",党旗、党徽、团旗,"],
            ["results/t/entries.csv:2:4: 错误：指标 1 规则 a 没有「党徽、团旗」这一项\n    处理办法：可填：活动室、党旗、入党誓词、制度上墙。"],
            id="unknown names among known",
        ),
        pytest.param(
            [",5,"],
            ["results/t/entries.csv:2:4: 错误：指标 1 规则 a 只列了 4 项，缺项数 5 超过了\n    处理办法：核对缺项数。"],
            id="count over the list",
        ),
        pytest.param(
            [",党旗,", ",党旗,"],
            ["results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 a 缺项「党旗」记录了不止一次\n    处理办法：每个缺项只记一次。"],
            id="same element twice",
        ),
        pytest.param(
            [",党旗,1"],
            ["results/t/entries.csv:2:5: 错误：指标 1 规则 a：1 × 0.5 分应扣 0.5 分，但扣分写的是 1 分\n    处理办法：核对次数和扣分；扣分列可以不填，由程序计算。"],
            id="amount disagrees",
        ),
        pytest.param(
            [",,"],
            ["results/t/entries.csv:2:4: 错误：指标 1 规则 a 须填写缺少的项（或缺项数）\n    处理办法：可填：活动室、党旗、入党誓词、制度上墙。"],
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
            "results/t/entries.csv:2:1: 错误：单位 u1 指标 1 规则 a 酌情扣分合计 0.5 分，超出允许的范围（可扣 1～3 分）",
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
    assert first_lines(warnings(prepared)) == ["results/t/entries.csv:2:4: 警告：指标 1 规则 a 为酌情扣分，“情况”列「发现两处问题」不参与计分"]


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
        pytest.param([",2,", ",1,"], "results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 a 超期时长只能记录一次，这里有 2 行", id="twice"),
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
    assert first_lines(errors(prepared)) == ["results/t/entries.csv:2:5: 错误：指标 1 规则 a 每次扣 2 分，扣分 3 不是它的整数倍"]


def test_count_with_unit_is_a_warning(ran: Run) -> None:
    prepared = run_item(ran, "3", "{kind: per_person, per: 1}", [",2人次,"])
    assert first_lines(warnings(prepared)) == ["results/t/entries.csv:2:4: 警告：情况（次数）「2人次」已读作 2（已去掉单位「人次」）"]


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
        pytest.param(EARNED, [",,1"], "results/t/entries.csv:2:5: 错误：指标 1 规则 a 做到即得 2 分，不能给 1 分", id="partial not allowed"),
        pytest.param(PARTIAL, [",,3"], "results/t/entries.csv:2:5: 错误：指标 1 规则 a 最多得 2 分，这里给了 3 分", id="over the rule"),
        pytest.param(PARTIAL, [",,1.5", ",,1"], "results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 a 得分合计 2.5 分，超过 2 分", id="rows over the rule"),
        pytest.param(EARNED, [",不清楚,"], "results/t/entries.csv:2:4: 错误：指标 1 规则 a 的情况「不清楚」无法识别", id="unreadable"),
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
        pytest.param(RATE_RANGE, [",75%,"], "results/t/entries.csv:2:5: 错误：与会率 75% 低于 80%，须填写酌情扣分", id="range without amount"),
        pytest.param(RATE_RANGE, [",75%,3"], "results/t/entries.csv:2:5: 错误：指标 1 规则 a 只能扣 1～2 分，这里是 3 分", id="range over"),
        pytest.param(RATE_RANGE, [",85%,1"], "results/t/entries.csv:2:5: 错误：与会率 85% 不低于 80%，不应扣分", id="not below but deducted"),
        pytest.param(RATE_DEDUCT, [",120%,"], "results/t/entries.csv:2:4: 错误：与会率 120% 超过 100%", id="over 100%"),
        pytest.param(RATE_DEDUCT, [",150,"], "results/t/entries.csv:2:4: 错误：与会率「150」超过 100%", id="150 without %"),
        pytest.param(RATE_DEDUCT, [",,"], "results/t/entries.csv:2:4: 错误：指标 1 规则 a 须填写与会率", id="no rate"),
        pytest.param(RATE_DEDUCT, [",八成,"], "results/t/entries.csv:2:4: 错误：比率「八成」不是数字", id="words"),
    ],
)
def test_rate_refused(ran: Run, rule: str, rows: list[str], expected: str) -> None:
    assert first_lines(errors(run_item(ran, "2", rule, rows))) == [expected]


# --------------------------------------------------------------------------------------------
# Floors (直至扣完), rule caps, several rules summed
# --------------------------------------------------------------------------------------------

SEVERAL = "{id: duty, kind: fixed, deduct: 3, text: 未落实一岗双责扣3分}, {id: lists, kind: fixed, deduct: 2, text: 未制定两个责任扣2分}"
MEETINGS = (
    "{id: late, kind: per_occurrence, per: 1}, {id: absent, kind: per_occurrence, per: 2}, "
    "{id: rate, kind: rate, threshold: 80%, min: 1, max: 2}"
)

FLOORS_AND_CAPS = [
    pytest.param("5", "{kind: per_occurrence, per: 1, cap: 2}", "", [",4,"], "3", id="rule cap"),
    pytest.param("5", "{kind: per_occurrence, per: 1, cap: 2}", "", [",1,"], "4", id="rule cap not reached"),
    pytest.param("3", "{kind: per_occurrence, per: 1}", "floor: 1, ", [",5,"], "1", id="item floor 1"),
    pytest.param("3", "{kind: per_occurrence, per: 1}", "floor: 0, until_exhausted: true, ", [",5,"], "0", id="直至扣完"),
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
    prepared = ran(rubric, {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv("u1,1,,6,,六次", "u1,2,,,,无计划")})
    assert errors(prepared) == []
    score = prepared.outcomes[AID].by_unit()["u1"].score
    c1 = find(score.categories, "c1")
    one, two = c1.children
    assert (one.lost, one.score) == (Decimal(3), Decimal(0))
    assert (two.lost, two.score) == (Decimal(1), Decimal(1))
    assert (c1.lost, c1.score) == (Decimal(4), Decimal(1))
    assert score.total == Decimal(96)
