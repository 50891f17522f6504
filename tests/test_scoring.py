"""The scoring engine end to end: exact totals, applicability, parts, bonus, penalties, vetoes.

Every expected number is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal

import pytest
from helpers import AID, HEAD, csv_text, entries_csv, errors, find, rubric_text, units_csv

from generator.data.pipeline import Prepared
from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome
from generator.engine.wording import all_words, words
from generator.site.export import assessment_data, summary_rows, to_json, unit_data

Scored = Callable[[str, Mapping[str, str | bytes]], AssessmentOutcome]
Run = Callable[[str, Mapping[str, str | bytes]], Prepared]


def firsts(texts: list[str]) -> list[str]:
    return [t.split("\n")[0] for t in texts]


# --------------------------------------------------------------------------------------------
# Exactness
# --------------------------------------------------------------------------------------------

EXACT = rubric_text(
    """
    indicators:
      - {id: c1, title: 组织生活, points: 100, rules: [{kind: per_occurrence, per: 0.2}]}
    bonus:
      items:
        - id: "27"
          title: 注重选树典型
          cap: 5
          levels:
            - {id: post_wujin, name: “武进教育”微信公众号宣传, points: 0.2, per_occurrence: true}
    """
)


def test_twelve_posts_at_point_two_are_two_point_four(scored: Scored) -> None:
    outcome = scored(
        EXACT,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "bonus.csv": csv_text("unit,bonus,level,count,subject", "u1,27,post_wujin,12,党建信息"),
        },
    )
    bonus = outcome.by_unit()["u1"].score.bonus
    [item] = bonus.items
    [claim] = item.claims
    # 12 × 0.2 = 2.4, exactly.
    assert claim.value == Decimal("2.4")
    assert str(claim.counted) == "2.4"
    assert bonus.total == Decimal("2.4")
    # 100 + 2.4
    assert outcome.by_unit()["u1"].score.total == Decimal("102.4")


def test_a_total_of_96_4_prints_as_96_4(scored: Scored) -> None:
    outcome = scored(
        EXACT,
        {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv("u1,c1,,18,,十八次未按时报送")},
    )
    score = outcome.by_unit()["u1"].score
    # 100 − 18 × 0.2 = 100 − 3.6 = 96.4
    assert score.total == Decimal("96.4")
    assert fmt(score.total) == "96.4"
    data = unit_data(outcome.by_unit()["u1"])
    assert data["total"] == 96.4
    text = to_json(assessment_data(outcome))
    assert '"total": 96.4' in text
    assert "96.39999" not in text and "96.40000" not in text
    assert json.loads(text)["units"][0]["total"] == 96.4
    assert summary_rows(outcome)[0]["综合得分"] == "96.4"


def test_deductions_and_bonus_both_at_point_two(scored: Scored) -> None:
    outcome = scored(
        EXACT,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "entries.csv": entries_csv("u1,c1,,30,,三十次"),
            "bonus.csv": csv_text("unit,bonus,level,count,subject", "u1,27,post_wujin,12,党建信息"),
        },
    )
    score = outcome.by_unit()["u1"].score
    # 100 − 30 × 0.2 = 94; 94 + 12 × 0.2 = 96.4
    assert score.indicator_score == Decimal(94)
    assert score.total == Decimal("96.4")
    assert fmt(score.total) == "96.4"


# --------------------------------------------------------------------------------------------
# Not applicable
# --------------------------------------------------------------------------------------------

URBAN_TYPES = """\
unit_types:
  - {id: county, name: 县, full_marks: 100}
  - {id: urban, name: 城市区, full_marks: 100}
  - {id: urban_no_township, name: 无乡镇的城市区, full_marks: 100}
"""

APPLICABILITY = rubric_text(
    """
    indicators:
      - id: c1
        title: 基层组织建设
        points: 10
        children:
          - id: "1"
            title: 乡镇党建
            points: 4
            not_applicable_to: [urban_no_township]
            applicability_note: 无乡镇的城市区不考核此项
            rules: [{kind: range}]
          - id: "2"
            title: 社区党建
            points: 6
            points_by_type: {urban_no_township: 10}
            applicability_note: 无乡镇的城市区此项考核内容分值为10分
            rules: [{kind: range}]
      - {id: c2, title: 综合, points: 80, rules: [{kind: range}]}
      - {id: c3, title: 城市基层党建, points: 10, applies_to: [urban, urban_no_township], rules: [{kind: range}]}
      - {id: c4, title: 农村基层党建, points: 10, applies_to: [county], rules: [{kind: range}]}
    """,
    types=URBAN_TYPES,
)
URBAN_UNITS = units_csv("xian,某县,county,已考核", "qu,某区,urban,已考核", "nt,某城区,urban_no_township,已考核")


def test_not_applicable_nodes_show_and_do_not_count(scored: Scored) -> None:
    outcome = scored(
        APPLICABILITY,
        {
            "units.csv": URBAN_UNITS,
            "entries.csv": entries_csv("xian,1,,,1,乡镇党建", "xian,2,,,3,社区", "nt,2,,,3,社区", "qu,c3,,,2,城市"),
        },
    )
    units = outcome.by_unit()
    nt = units["nt"].score
    township = find(nt.categories, "1")
    assert (township.applicable, township.points, township.score, township.lost) == (False, None, None, Decimal(0))
    community = find(nt.categories, "2")
    # points_by_type: 10 for a district without townships; 10 − 3 = 7
    assert (community.points, community.score) == (Decimal(10), Decimal(7))
    assert find(nt.categories, "c1").score == Decimal(7)
    rural = find(nt.categories, "c4")
    assert (rural.applicable, rural.score) == (False, None)
    # 7 + 80 + 10 (c3); c4 does not count
    assert (nt.indicator_points, nt.indicator_score, nt.total) == (Decimal(100), Decimal(97), Decimal(97))

    county = units["xian"].score
    # c1: (4 − 1) + (6 − 3) = 6; 6 + 80 + 10 (c4) = 96
    assert find(county.categories, "2").points == Decimal(6)
    assert find(county.categories, "c1").score == Decimal(6)
    assert find(county.categories, "c3").applicable is False
    assert county.total == Decimal(96)

    # 10 + 80 + (10 − 2) = 98
    assert units["qu"].score.total == Decimal(98)


def test_not_applicable_in_the_exports(scored: Scored) -> None:
    outcome = scored(APPLICABILITY, {"units.csv": URBAN_UNITS})
    rows = {r["单位代码"]: r for r in summary_rows(outcome)}
    assert rows["nt"]["农村基层党建"] == "不适用"
    assert rows["xian"]["城市基层党建"] == "不适用"
    assert rows["xian"]["农村基层党建"] == "10"
    data = unit_data(outcome.by_unit()["nt"])
    rural = next(c for c in data["categories"] if c["id"] == "c4")
    assert rural == {"id": "c4", "title": "农村基层党建", "applicable": False}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("nt,1,,,1,乡镇", "results/t/entries.csv:2:2: 错误：指标 1 不适用于无乡镇的城市区（单位 nt），不能扣分"),
        ("xian,c3,,,1,城市", "results/t/entries.csv:2:2: 错误：指标 c3 不适用于县（单位 xian），不能扣分"),
    ],
)
def test_an_entry_on_a_not_applicable_item_is_refused(ran: Run, row: str, expected: str) -> None:
    prepared = ran(APPLICABILITY, {"units.csv": URBAN_UNITS, "entries.csv": entries_csv(row)})
    assert firsts(errors(prepared)) == [expected]


def test_not_applicable_below_a_not_applicable_parent(ran: Run) -> None:
    rubric = rubric_text(
        """
        indicators:
          - id: c1
            title: 农村
            points: 10
            applies_to: [county]
            children:
              - {id: "1.1", title: 村级组织, points: 10, rules: [{kind: range}]}
          - {id: c2, title: 城市, points: 10, applies_to: [urban, urban_no_township], rules: [{kind: range}]}
          - {id: c3, title: 综合, points: 90, rules: [{kind: range}]}
        """,
        types=URBAN_TYPES,
    )
    prepared = ran(rubric, {"units.csv": URBAN_UNITS, "entries.csv": entries_csv("qu,1.1,,,1,村级")})
    assert firsts(errors(prepared)) == ["results/t/entries.csv:2:2: 错误：指标 1.1 不适用于城市区（单位 qu），不能扣分"]


# --------------------------------------------------------------------------------------------
# Parts
# --------------------------------------------------------------------------------------------

LUOYANG = rubric_text(
    """
    indicators:
      - {id: c1, title: 年终考核指标, points: 1000, rules: [{kind: range}]}
    parts:
      - {id: year_end, name: 年终考核, weight: 70%, source: rubric, full: 1000}
      - {id: routine, name: 平时考核, weight: 30%, source: entered, full: 100}
    """
)
LUOYANG_FILES = {
    "units.csv": units_csv("u1,一支部,branch,已考核", "u2,二支部,branch,已考核", "u3,三支部,branch,已考核"),
    "entries.csv": entries_csv("u1,c1,,,135,年终扣分", "u3,c1,,,133.33,年终扣分"),
    "parts.csv": csv_text("unit,part,score", "u1,routine,88.15", "u2,routine,100", "u3,平时考核,90"),
}


def test_year_end_70_routine_30(scored: Scored) -> None:
    units = scored(LUOYANG, LUOYANG_FILES).by_unit()
    u1 = units["u1"].score
    year_end, routine = u1.parts
    # year-end 1000 − 135 = 865 of 1000 → 86.5 of 100 → × 0.7 = 60.55
    assert (year_end.raw, year_end.full, year_end.scaled, year_end.weighted) == (
        Decimal(865),
        Decimal(1000),
        Decimal("86.5"),
        Decimal("60.55"),
    )
    # routine 88.15 of 100 → × 0.3 = 26.445 → 26.45 (half up, 2 places)
    assert (routine.raw, routine.full, routine.scaled, routine.weighted) == (
        Decimal("88.15"),
        Decimal(100),
        Decimal("88.15"),
        Decimal("26.45"),
    )
    # 60.55 + 26.45 = 87
    assert u1.base == Decimal(87)
    assert u1.total == Decimal(87)
    assert fmt(u1.total) == "87"
    # full marks everywhere: 70 + 30
    assert units["u2"].score.total == Decimal(100)
    # 866.67 of 1000 → 86.667 → 86.67 → × 0.7 = 60.669 → 60.67; 90 × 0.3 = 27; 87.67
    u3 = units["u3"].score
    assert [p.scaled for p in u3.parts] == [Decimal("86.67"), Decimal(90)]
    assert [p.weighted for p in u3.parts] == [Decimal("60.67"), Decimal(27)]
    assert u3.total == Decimal("87.67")


def test_rounding_mode_is_the_rubrics(scored: Scored) -> None:
    rubric = LUOYANG.replace("indicators:", "rounding: {decimals: 2, mode: half_even}\nindicators:")
    u1 = scored(rubric, LUOYANG_FILES).by_unit()["u1"].score
    # 26.445 → 26.44 under half-even; 60.55 + 26.44 = 86.99
    assert u1.parts[1].weighted == Decimal("26.44")
    assert u1.total == Decimal("86.99")


def test_rounding_to_one_place(scored: Scored) -> None:
    rubric = LUOYANG.replace("indicators:", "rounding: {decimals: 1}\nindicators:")
    u1 = scored(rubric, LUOYANG_FILES).by_unit()["u1"].score
    # 86.5 × 0.7 = 60.55 → 60.6; 88.15 → 88.2 (scaled, one place) × 0.3 = 26.46 → 26.5; 87.1
    assert [p.scaled for p in u1.parts] == [Decimal("86.5"), Decimal("88.2")]
    assert [p.weighted for p in u1.parts] == [Decimal("60.6"), Decimal("26.5")]
    assert u1.total == Decimal("87.1")


CITY = rubric_text(
    """
    indicators:
      - {id: c1, title: 实绩考核指标, points: 200, rules: [{kind: range}]}
    parts:
      - {id: performance, name: 实绩考核, weight: 90%, source: rubric, full: 200}
      - {id: satisfaction, name: 满意度测评, weight: 10%, source: entered, full: 100}
    """,
    types="unit_types:\n  - {id: county, name: 县（市、区）, full_marks: 200}\n  - {id: city, name: 市直单位, "
    "full_marks: 100}\n",
)


def test_performance_90_satisfaction_10_with_full_marks_200(scored: Scored) -> None:
    units = scored(
        CITY,
        {
            "units.csv": units_csv("xian,某县,county,已考核", "ju,某局,city,已考核"),
            "entries.csv": entries_csv("xian,c1,,,23.5,实绩扣分", "ju,c1,,,23.5,实绩扣分"),
            "parts.csv": csv_text("unit,part,score", "xian,satisfaction,87.5", "ju,满意度测评,87.5"),
        },
    ).by_unit()
    county = units["xian"].score
    # 176.5 of 200 → 176.5 of 200 → × 0.9 = 158.85; 87.5 of 100 → 175 of 200 → × 0.1 = 17.5; 176.35
    assert [p.scaled for p in county.parts] == [Decimal("176.5"), Decimal(175)]
    assert [p.weighted for p in county.parts] == [Decimal("158.85"), Decimal("17.5")]
    assert county.total == Decimal("176.35")
    assert county.full_marks == Decimal(200)
    city = units["ju"].score
    # 176.5 of 200 → 88.25 of 100 → × 0.9 = 79.425 → 79.43; 87.5 × 0.1 = 8.75; 88.18
    assert [p.scaled for p in city.parts] == [Decimal("88.25"), Decimal("87.5")]
    assert [p.weighted for p in city.parts] == [Decimal("79.43"), Decimal("8.75")]
    assert city.total == Decimal("88.18")
    assert city.full_marks == Decimal(100)


# --------------------------------------------------------------------------------------------
# Bonus
# --------------------------------------------------------------------------------------------

BONUS = rubric_text(
    """
    indicators:
      - {id: c1, title: 全部指标, points: 100, rules: [{kind: range}]}
    bonus:
      cap: 10
      items:
        - id: honours
          title: 荣誉表彰
          same_subject_once: true
          levels:
            - {id: national, name: 国家级, points: 5}
            - {id: provincial, name: 省级, points: 3}
            - {id: municipal, name: 市级, points: 2}
        - id: experience
          title: 经验推广
          cap: 5
          levels:
            - {id: provincial, name: 省级推广, points: 3}
            - {id: media, name: 媒体宣传, points: 0.5, per_occurrence: true}
        - id: posts
          title: 党建信息
          cap: 5
          levels:
            - {id: post, name: 公众号宣传, points: 0.2, per_occurrence: true}
        - {id: discretionary, title: 工委酌情加分, min: 1, max: 3}
    """
)


def bonus_of(scored: Scored, *rows: str) -> tuple[Decimal, Decimal, list[tuple[str, Decimal, Decimal]]]:
    outcome = scored(
        BONUS,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "bonus.csv": csv_text("unit,bonus,level,count,amount,subject,confirmed", *rows),
        },
    )
    score = outcome.by_unit()["u1"].score
    items = [(i.item.id, i.subtotal, i.total) for i in score.bonus.items]
    return score.bonus.total, score.total, items


BONUS_CASES = [
    pytest.param(["u1,honours,provincial,,,省级先进基层党组织,"], "3", [("honours", "3", "3")], id="per level"),
    pytest.param(["u1,honours,国家级,,,全国先进基层党组织,"], "5", [("honours", "5", "5")], id="level by name"),
    pytest.param(["u1,experience,media,3,,报道,"], "1.5", [("experience", "1.5", "1.5")], id="per occurrence: 3 × 0.5"),
    pytest.param(["u1,posts,post,12,,党建信息,"], "2.4", [("posts", "2.4", "2.4")], id="per occurrence: 12 × 0.2"),
    pytest.param(["u1,posts,post,30,,党建信息,"], "5", [("posts", "6", "5")], id="item cap: 30 × 0.2 = 6 → 5"),
    pytest.param(
        [
            "u1,honours,national,,,全国先进基层党组织,",
            "u1,honours,provincial,,,全国先进基层党组织,",
            "u1,honours,municipal,,,市文明单位,",
        ],
        "7",
        [("honours", "7", "7")],
        id="same subject once at its highest: 5 + 2",
    ),
    pytest.param(
        ["u1,experience,provincial,,,经验甲,", "u1,experience,provincial,,,经验乙,"],
        "5",
        [("experience", "6", "5")],
        id="item cap: 3 + 3 → 5",
    ),
    pytest.param(
        ["u1,honours,national,,,荣誉甲,", "u1,honours,national,,,荣誉乙,", "u1,posts,post,12,,党建信息,"],
        "10",
        [("honours", "10", "10"), ("posts", "2.4", "2.4")],
        id="overall cap: 10 + 2.4 → 10",
    ),
    pytest.param(
        ["u1,honours,national,,,荣誉甲,否", "u1,honours,provincial,,,荣誉乙,是"],
        "3",
        [("honours", "3", "3")],
        id="unconfirmed not counted",
    ),
    pytest.param(
        ["u1,honours,national,,,荣誉甲,否", "u1,honours,provincial,,,荣誉甲,"],
        "3",
        [("honours", "3", "3")],
        id="unconfirmed higher level of the same subject",
    ),
    pytest.param(["u1,discretionary,,,2,工作突出,"], "2", [("discretionary", "2", "2")], id="discretionary"),
    pytest.param(["u1,discretionary,,,1,工作突出,"], "1", [("discretionary", "1", "1")], id="discretionary minimum"),
]


@pytest.mark.parametrize(("rows", "total", "items"), BONUS_CASES)
def test_bonus(scored: Scored, rows: list[str], total: str, items: list[tuple[str, str, str]]) -> None:
    bonus, unit_total, by_item = bonus_of(scored, *rows)
    assert bonus == Decimal(total)
    assert unit_total == Decimal(100) + Decimal(total)
    assert by_item == [(i, Decimal(s), Decimal(t)) for i, s, t in items]


def test_bonus_notes_say_why_a_claim_did_not_count(scored: Scored) -> None:
    outcome = scored(
        BONUS,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "bonus.csv": csv_text(
                "unit,bonus,level,subject,confirmed",
                "u1,honours,national,荣誉甲,否",
                "u1,honours,provincial,荣誉乙,",
                "u1,honours,municipal,荣誉乙,",
            ),
        },
    )
    [item] = outcome.by_unit()["u1"].score.bonus.items
    assert [(c.level_name, c.value, c.counted, words(c.note) if c.note else "") for c in item.claims] == [
        ("国家级", Decimal(5), Decimal(0), "未经认定，不计分"),
        ("省级", Decimal(3), Decimal(3), ""),
        ("市级", Decimal(2), Decimal(0), "同一事项已按最高级别计分，不重复加分"),
    ]


def test_bonus_cap_notes(scored: Scored) -> None:
    outcome = scored(
        BONUS,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "bonus.csv": csv_text(
                "unit,bonus,level,count,subject",
                "u1,honours,national,,荣誉甲",
                "u1,honours,national,,荣誉乙",
                "u1,experience,provincial,,经验甲",
                "u1,experience,provincial,,经验乙",
            ),
        },
    )
    bonus = outcome.by_unit()["u1"].score.bonus
    assert words(bonus.items[1].note) == "合计 6 分，本项最多加 5 分"
    # 10 + 5 = 15 → 10
    assert (bonus.subtotal, bonus.total) == (Decimal(15), Decimal(10))
    assert words(bonus.note) == "合计 15 分，加分累计不超过 10 分"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "u1,discretionary,,,4,工作突出,",
            "results/t/bonus.csv:2:5: 错误：加分项目 discretionary 只能加 1～3 分，这里是 4 分",
        ),
        (
            "u1,discretionary,,,0.5,工作突出,",
            "results/t/bonus.csv:2:5: 错误：加分项目 discretionary 只能加 1～3 分，这里是 0.5 分",
        ),
        (
            "u1,discretionary,,,,工作突出,",
            "results/t/bonus.csv:2:5: 错误：加分项目 discretionary 为酌情加分，须填写加分",
        ),
        ("u1,honours,national,,4,荣誉,", "results/t/bonus.csv:2:5: 错误：国家级应加 5 分，这里写的是 4 分"),
    ],
)
def test_bonus_refused(ran: Run, row: str, expected: str) -> None:
    prepared = ran(
        BONUS,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "bonus.csv": csv_text("unit,bonus,level,count,amount,subject,confirmed", row),
        },
    )
    assert firsts(errors(prepared)) == [expected]


# --------------------------------------------------------------------------------------------
# Penalties and vetoes
# --------------------------------------------------------------------------------------------

SANCTIONS = rubric_text(
    """
    indicators:
      - {id: c1, title: 全部指标, points: 100, rules: [{kind: range}]}
    penalties:
      - {id: criticism, name: 通报批评, min: 1, max: 3}
      - {id: fraud, name: 弄虚作假, min: 5, max: 10, can_remove_eligibility: true}
    vetoes:
      effect: no_advanced
      events:
        - {id: v1, name: 发生重大安全生产事故的}
        - {id: v2, name: 情节特别严重的, effect: fail}
    grading:
      method: threshold
      bands:
        - {grade: pass, min: 85}
        - {grade: basic_pass, min: 70}
        - {grade: fail}
      advanced: threshold
      advanced_min_score: 90
    """
)
SANCTION_UNITS = units_csv(
    "top,优秀支部,branch,已考核",
    "crit,批评支部,branch,已考核",
    "fraud,造假支部,branch,已考核",
    "veto1,事故支部,branch,已考核",
    "veto2,严重支部,branch,已考核",
    "low,低分支部,branch,已考核",
)


def test_penalties_and_vetoes(scored: Scored) -> None:
    outcome = scored(
        SANCTIONS,
        {
            "units.csv": SANCTION_UNITS,
            "entries.csv": entries_csv("low,c1,,,95,工作基本未开展"),
            "penalties.csv": csv_text(
                "unit,penalty,amount,reason,removes_eligibility",
                "crit,criticism,2,被市委通报批评,",
                "fraud,弄虚作假,6,考核材料造假,是",
                "low,fraud,10,考核材料造假,否",
            ),
            "vetoes.csv": csv_text(
                "unit,veto,reason", "veto1,v1,发生一起重大安全生产事故", "veto2,情节特别严重的,情节特别严重"
            ),
        },
    )
    units = outcome.by_unit()
    assert (units["top"].score.total, units["top"].standing.grade) == (Decimal(100), "advanced")
    # 100 − 2 = 98: still advanced, criticism does not remove eligibility
    assert (units["crit"].score.penalty_total, units["crit"].score.total, units["crit"].standing.grade) == (
        Decimal(2),
        Decimal(98),
        "advanced",
    )
    # 100 − 6 = 94 ≥ 90, but fraud removed eligibility → pass
    fraud = units["fraud"]
    assert (fraud.score.total, fraud.standing.grade, fraud.standing.eligible_for_advanced) == (
        Decimal(94),
        "pass",
        False,
    )
    assert "弄虚作假，取消评先资格" in all_words(fraud.standing.reasons)
    # no_advanced: the score stands (100), the unit is not advanced
    veto1 = units["veto1"]
    assert (veto1.score.total, veto1.standing.grade, veto1.standing.eligible_for_advanced) == (
        Decimal(100),
        "pass",
        False,
    )
    assert "否决项目：发生重大安全生产事故的 → 不得评为先进" in all_words(veto1.standing.reasons)
    # fail: 未达标 whatever the score
    veto2 = units["veto2"]
    assert (veto2.score.total, veto2.standing.grade, veto2.standing.label) == (Decimal(100), "fail", "未达标")
    assert "一票否决：情节特别严重的 → 未达标" in all_words(veto2.standing.reasons)
    # 100 − 95 = 5; 5 − 10 → never below 0
    assert (units["low"].score.base, units["low"].score.total, units["low"].standing.grade) == (
        Decimal(5),
        Decimal(0),
        "fail",
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("crit,criticism,4,被通报,", "results/t/penalties.csv:2:3: 错误：通报批评只能扣 1～3 分，这里是 4 分"),
        ("crit,criticism,0.5,被通报,", "results/t/penalties.csv:2:3: 错误：通报批评只能扣 1～3 分，这里是 0.5 分"),
        ("fraud,fraud,11,造假,", "results/t/penalties.csv:2:3: 错误：弄虚作假只能扣 5～10 分，这里是 11 分"),
        ("crit,criticism,2,被通报,是", "results/t/penalties.csv:2:5: 错误：通报批评不能取消评先资格"),
        ("crit,criticism,2,,", "results/t/penalties.csv:2:4: 错误：扣分事由为空"),
    ],
)
def test_penalties_refused(ran: Run, row: str, expected: str) -> None:
    prepared = ran(
        SANCTIONS,
        {"units.csv": SANCTION_UNITS, "penalties.csv": csv_text("unit,penalty,amount,reason,removes_eligibility", row)},
    )
    assert firsts(errors(prepared)) == [expected]


def test_veto_effect_defaults_to_the_scheme(scored: Scored) -> None:
    outcome = scored(
        SANCTIONS,
        {"units.csv": SANCTION_UNITS, "vetoes.csv": csv_text("unit,veto,reason,date", "veto1,v1,事故,2017-05-01")},
    )
    [veto] = outcome.by_unit()["veto1"].score.vetoes
    assert (veto.effect, veto.record.date) == ("no_advanced", "2017-05-01")


# --------------------------------------------------------------------------------------------
# The same rubric, untouched subtrees shared between units
# --------------------------------------------------------------------------------------------


def test_units_of_one_type_do_not_leak_into_each_other(scored: Scored) -> None:
    rubric = (
        HEAD
        + "unit_types:\n  - {id: branch, name: 党支部, full_marks: 100}\n"
        + "defaults:\n  item_floor: 0\n"
        + "indicators:\n  - id: c1\n    title: 甲\n    points: 100\n    children:\n"
        + '      - {id: "1", title: 乙, points: 50, rules: [{kind: range}]}\n'
        + '      - {id: "2", title: 丙, points: 50, rules: [{kind: range}]}\n'
    )
    outcome = scored(
        rubric,
        {
            "units.csv": units_csv("a,甲支部,branch,已考核", "b,乙支部,branch,已考核", "c,丙支部,branch,已考核"),
            "entries.csv": entries_csv("a,1,,,5,甲", "b,2,,,7,乙"),
        },
    )
    units = outcome.by_unit()
    # a: 100 − 5; b: 100 − 7; c: untouched
    assert [units[u].score.total for u in ("a", "b", "c")] == [Decimal(95), Decimal(93), Decimal(100)]
    assert find(units["a"].score.categories, "2").score == Decimal(50)
    assert find(units["b"].score.categories, "1").score == Decimal(50)
    assert outcome.rubric.id == AID


def test_summary_columns_by_title_take_the_category_that_applies(scored: Scored) -> None:
    # Counties and city units have different systems whose categories share titles (004: 思想建设 …).
    rubric = rubric_text(
        """
        indicators:
          - {id: "1", title: 思想建设, points: 200, applies_to: [county], rules: [{kind: range}]}
          - {id: S1, title: 思想建设, points: 100, applies_to: [city], rules: [{kind: range}]}
        """,
        types="unit_types:\n  - {id: county, name: 县, full_marks: 200}\n  - {id: city, name: 市直单位, full_marks: "
        "100}\n",
    )
    outcome = scored(
        rubric,
        {
            "units.csv": units_csv("xian,某县,county,已考核", "ju,某局,city,已考核"),
            "entries.csv": entries_csv("xian,1,,,10,扣分", "ju,S1,,,5,扣分"),
        },
    )
    rows = {r["单位代码"]: r for r in summary_rows(outcome)}
    assert (rows["xian"]["思想建设"], rows["ju"]["思想建设"]) == ("190", "95")
