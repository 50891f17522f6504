"""Ranks and grades: bands, a category at zero, pools with top and bottom places, ties, eligibility."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import pytest
from helpers import csv_text, entries_csv, errors, rubric_text, units_csv, warnings

from generator.data.pipeline import Prepared
from generator.engine.grading import shared_ranks
from generator.engine.outcome import AssessmentOutcome
from generator.engine.wording import all_words
from generator.site.export import summary_rows

Scored = Callable[[str, Mapping[str, str | bytes]], AssessmentOutcome]
Run = Callable[[str, Mapping[str, str | bytes]], Prepared]

ONE_ITEM = "indicators:\n  - {id: c1, title: 全部指标, points: 100, rules: [{kind: range}]}\n"


def with_scores(totals: Mapping[str, str], *, full: int = 100, item: str = "c1") -> dict[str, str]:
    """A roster of branches and the range deductions that leave each unit at its total."""
    roster = units_csv(*(f"{u},{u}支部,branch,已考核" for u in totals))
    rows = [f"{u},{item},,,{Decimal(full) - Decimal(t)},扣分" for u, t in totals.items() if Decimal(t) != full]
    files = {"units.csv": roster}
    if rows:
        files["entries.csv"] = entries_csv(*rows)
    return files


@pytest.mark.parametrize(
    ("totals", "ranks"),
    [
        ([90, 85, 85, 80], [1, 2, 2, 4]),
        ([80, 85, 90, 85], [4, 2, 1, 2]),
        ([70, 70, 70], [1, 1, 1]),
        ([100], [1]),
        ([], []),
    ],
)
def test_shared_ranks(totals: list[int], ranks: list[int]) -> None:
    assert shared_ranks([Decimal(t) for t in totals]) == ranks


@pytest.mark.parametrize(
    ("totals", "ranks"),
    [
        ([90, 85, 85, 80], [4, 2, 2, 1]),
        ([80, 80, 90], [1, 1, 3]),
        ([Decimal("70.5"), Decimal("70.50")], [1, 1]),
    ],
)
def test_shared_ranks_from_the_bottom(totals: list[Decimal], ranks: list[int]) -> None:
    assert shared_ranks([Decimal(t) for t in totals], highest_first=False) == ranks


# --------------------------------------------------------------------------------------------
# Threshold bands
# --------------------------------------------------------------------------------------------

BANDS = rubric_text(
    ONE_ITEM
    + "grading:\n  method: threshold\n  labels: {fail: 不达标}\n  bands:\n"
    + "    - {grade: pass, min: 85}\n    - {grade: basic_pass, min: 70}\n    - {grade: fail}\n"
)


def test_threshold_bands(scored: Scored) -> None:
    units = scored(BANDS, with_scores({"a": "100", "b": "85", "c": "84.9", "d": "70", "e": "69"})).by_unit()
    assert {u: units[u].standing.grade for u in units} == {
        "a": "pass",
        "b": "pass",
        "c": "basic_pass",
        "d": "basic_pass",
        "e": "fail",
    }
    assert [units[u].standing.label for u in "abcde"] == ["达标", "达标", "基本达标", "基本达标", "不达标"]
    assert all_words(units["b"].standing.reasons) == (
        "综合得分 85 分，全体第 2 名（共 5 个单位）",
        "得分不低于 85 分 → 达标",
    )
    assert all_words(units["e"].standing.reasons) == (
        "综合得分 69 分，全体第 5 名（共 5 个单位）",
        "得分低于 70 分 → 不达标",
    )
    # advanced: none by default, so nobody is 先进 and nobody is told about eligibility
    assert not any(u.standing.eligible_for_advanced for u in units.values())


def test_fail_if_category_zero(scored: Scored) -> None:
    rubric = rubric_text(
        """
        indicators:
          - {id: c1, title: 党风廉政建设, points: 10, rules: [{kind: range}]}
          - {id: c2, title: 其他工作, points: 90, rules: [{kind: range}]}
          - {id: c3, title: 乡镇工作, points: 0, applies_to: [county], rules: [{kind: range}]}
        grading:
          method: threshold
          fail_if_category_zero: true
          bands:
            - {grade: pass, min: 85}
            - {grade: basic_pass, min: 70}
            - {grade: fail}
        """,
        types=(
            "unit_types:\n  - {id: branch, name: 党支部, full_marks: 100}\n"
            "  - {id: county, name: 县, full_marks: 100}\n"
        ),
    )
    units = scored(
        rubric,
        {
            "units.csv": units_csv("a,甲,branch,已考核", "b,乙,branch,已考核"),
            "entries.csv": entries_csv("a,c1,,,10,未开展", "b,c1,,,9,基本未开展"),
        },
    ).by_unit()
    # a: 0 + 90 = 90 ≥ 85, but 党风廉政建设 scored 0 → 不达标 (c3 does not apply and is not a zero)
    assert (units["a"].score.total, units["a"].standing.grade) == (Decimal(90), "fail")
    assert "一级指标「党风廉政建设」未得分 → 未达标" in all_words(units["a"].standing.reasons)
    # b: 1 + 90 = 91
    assert (units["b"].score.total, units["b"].standing.grade) == (Decimal(91), "pass")


# --------------------------------------------------------------------------------------------
# Rank pools (004)
# --------------------------------------------------------------------------------------------

POOLS = rubric_text(
    """
    indicators:
      - {id: c1, title: 全部指标, points: 200, points_by_type: {city: 100}, rules: [{kind: range}]}
    ranking:
      within: pools
      pools:
        - {id: counties, name: 县（市、区）, unit_types: [county], advanced_top: 1, fail_bottom: 2, fail_at_or_below: 150}
        - {id: city, name: 市直单位, unit_types: [city], advanced_top: 2, fail_bottom: 1, fail_at_or_below: 75}
    grading:
      method: rank
      advanced: rank
    """,  # noqa: E501 - the rubric's YAML as an office writes it
    types="unit_types:\n  - {id: county, name: 县, full_marks: 200}\n  - {id: city, name: 市直单位, full_marks: 100}\n",
)
POOL_FILES = {
    "units.csv": units_csv(
        "k1,一县,county,已考核",
        "k2,二县,county,已考核",
        "k3,三县,county,已考核",
        "k4,四县,county,已考核",
        "k5,五县,county,已考核",
        "m1,一局,city,已考核",
        "m2,二局,city,已考核",
        "m3,三局,city,已考核",
        "m4,四局,city,已考核",
        "m5,五局,city,不参加考核",
    ),
    "entries.csv": entries_csv(
        "k1,c1,,,10,扣分",
        "k2,c1,,,20,扣分",
        "k3,c1,,,40,扣分",
        "k4,c1,,,51,扣分",
        "k5,c1,,,45,扣分",
        "m1,c1,,,5,扣分",
        "m2,c1,,,10,扣分",
        "m3,c1,,,10,扣分",
        "m4,c1,,,30,扣分",
    ),
}


def test_rank_pools(scored: Scored) -> None:
    units = scored(POOLS, POOL_FILES).by_unit()
    # counties: 190, 180, 160, 149, 155 → ranks 1, 2, 3, 5, 4
    assert [units[k].score.total for k in ("k1", "k2", "k3", "k4", "k5")] == [
        Decimal(v) for v in (190, 180, 160, 149, 155)
    ]
    assert [units[k].standing.rank for k in ("k1", "k2", "k3", "k4", "k5")] == [1, 2, 3, 5, 4]
    # top 1 → 先进; bottom 2 and below 150 → only k4 (149); k5 is bottom 2 but 155
    assert [units[k].standing.grade for k in ("k1", "k2", "k3", "k4", "k5")] == [
        "advanced",
        "pass",
        "pass",
        "fail",
        "pass",
    ]
    assert "县（市、区）倒数第 1 名，且在 150 分以下（含） → 未达标" in all_words(units["k4"].standing.reasons)
    assert "县（市、区）倒数第 2 名，但高于 150 分，不定为未达标" in all_words(units["k5"].standing.reasons)
    assert "有评先资格的单位中位居县（市、区）前 1 名（第 1 位）→ 先进单位" in all_words(units["k1"].standing.reasons)
    assert units["k1"].standing.pool_name == "县（市、区）"
    assert {units[k].standing.pool_size for k in ("k1", "k2", "k3", "k4", "k5")} == {5}


def test_a_score_exactly_on_the_floor_counts_as_below_it(scored: Scored) -> None:
    # “150分以下” includes 150 (以上、以下、以内包括本数): k4 at exactly 150 in the bottom 2 is 未达标.
    files = dict(POOL_FILES)
    files["entries.csv"] = files["entries.csv"].replace("k4,c1,,,51,扣分", "k4,c1,,,50,扣分")
    units = scored(POOLS, files).by_unit()
    assert units["k4"].score.total == Decimal(150)
    assert units["k4"].standing.grade == "fail"
    assert "县（市、区）倒数第 1 名，且在 150 分以下（含） → 未达标" in all_words(units["k4"].standing.reasons)


def test_no_grading_means_no_grade(scored: Scored) -> None:
    rubric = POOLS.split("grading:")[0]
    units = scored(rubric, POOL_FILES).by_unit()
    k1 = units["k1"].standing
    assert (k1.rank, k1.grade, k1.label) == (1, None, "不评定等次")
    assert not k1.eligible_for_advanced


def test_ties_share_a_rank_and_a_tie_on_the_boundary_admits_both(scored: Scored) -> None:
    units = scored(POOLS, POOL_FILES).by_unit()
    # city: 95, 90, 90, 70 → ranks 1, 2, 2, 4; top 2 admits both units at 90
    assert [units[m].standing.rank for m in ("m1", "m2", "m3", "m4")] == [1, 2, 2, 4]
    assert [units[m].standing.grade for m in ("m1", "m2", "m3", "m4")] == ["advanced", "advanced", "advanced", "fail"]
    assert all_words(units["m4"].standing.reasons)[0] == "综合得分 70 分，市直单位第 4 名（共 4 个单位）"


def test_not_assessed_units_have_no_rank(scored: Scored) -> None:
    outcome = scored(POOLS, POOL_FILES)
    m5 = outcome.by_unit()["m5"]
    assert (m5.standing.rank, m5.standing.grade, m5.standing.label) == (None, None, "不参加考核")
    assert all_words(m5.standing.reasons) == ("本年度不参加考核",)
    assert m5.standing.pool_size == 4
    row = next(r for r in summary_rows(outcome) if r["单位代码"] == "m5")
    assert (row["综合得分"], row["名次"], row["等次"]) == ("", "", "不参加考核")


def test_bottom_places_share_ties_too(scored: Scored) -> None:
    files = {
        "units.csv": units_csv(
            "k1,一县,county,已考核", "k2,二县,county,已考核", "k3,三县,county,已考核", "k4,四县,county,已考核"
        ),
        "entries.csv": entries_csv("k2,c1,,,60,扣分", "k3,c1,,,60,扣分", "k4,c1,,,55,扣分"),
    }
    units = scored(POOLS, files).by_unit()
    # 200, 140, 140, 145: bottom 2 are the two units at 140 (both bottom rank 1) and 145 (bottom rank 3)
    assert [units[k].standing.grade for k in ("k1", "k2", "k3", "k4")] == ["advanced", "fail", "fail", "pass"]


# --------------------------------------------------------------------------------------------
# places_among: a vetoed unit at the top
# --------------------------------------------------------------------------------------------


def places_rubric(places_among: str) -> str:
    return rubric_text(
        ONE_ITEM
        + "vetoes:\n  effect: no_advanced\n  events:\n    - {id: v1, name: 发生重大安全生产事故的}\n"
        + "ranking:\n  within: pools\n  pools:\n    - {id: all, name: 全体, unit_types: [branch], advanced_top: 2}\n"
        + f"grading:\n  method: rank\n  advanced: rank\n  places_among: {places_among}\n"
    )


PLACES_FILES = with_scores({"v": "98", "a": "95", "b": "90", "c": "80"}) | {
    "vetoes.csv": csv_text("unit,veto,reason", "v,v1,发生安全事故")
}


def test_places_among_eligible_units(scored: Scored) -> None:
    units = scored(places_rubric("eligible"), PLACES_FILES).by_unit()
    # v is first but vetoed; the two places go to a and b
    assert [units[u].standing.rank for u in "vabc"] == [1, 2, 3, 4]
    assert [units[u].standing.grade for u in "vabc"] == ["pass", "advanced", "advanced", "pass"]
    assert "名次在前 2 名，但不具备评先资格，不评为先进单位" in all_words(units["v"].standing.reasons)
    assert "有评先资格的单位中位居全体前 2 名（第 2 位）→ 先进单位" in all_words(units["b"].standing.reasons)


def test_places_among_all_units(scored: Scored) -> None:
    units = scored(places_rubric("all"), PLACES_FILES).by_unit()
    # v keeps its place without the grade; only a (rank 2) is 先进
    assert [units[u].standing.grade for u in "vabc"] == ["pass", "advanced", "pass", "pass"]
    assert "名次在前 2 名，但不具备评先资格，不评为先进单位" in all_words(units["v"].standing.reasons)


# --------------------------------------------------------------------------------------------
# Advanced by decision (awards.csv) and by threshold
# --------------------------------------------------------------------------------------------

DECISION = rubric_text(
    ONE_ITEM
    + "vetoes:\n  effect: no_advanced\n  events:\n    - {id: v1, name: 发生重大安全生产事故的}\n"
    + "grading:\n  method: threshold\n  bands:\n"
    "    - {grade: pass, min: 85}\n    - {grade: basic_pass, min: 70}\n    - {grade: fail}\n" + "  advanced: decision\n"
)
DECISION_FILES = with_scores({"a": "95", "v": "99", "low": "80"}) | {
    "vetoes.csv": csv_text("unit,veto,reason", "v,v1,发生安全事故")
}


def test_advanced_by_decision(scored: Scored) -> None:
    units = scored(
        DECISION, DECISION_FILES | {"awards.csv": csv_text("单位代码,等次,依据", "a,先进单位,工委会议纪要")}
    ).by_unit()
    assert [units[u].standing.grade for u in ("a", "v", "low")] == ["advanced", "pass", "basic_pass"]
    assert "经考核办公室评定（工委会议纪要） → 先进单位" in all_words(units["a"].standing.reasons)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            ["a,先进单位,纪要", "v,先进,纪要"],
            "results/t/awards.csv:3:1: 错误：单位 v 被评定为先进单位，但按细则不能评为先进单位：否决项目："
            "发生重大安全生产事故的 → 不得评为先进",
            id="vetoed unit",
        ),
        pytest.param(
            ["low,先进单位,纪要"],
            "results/t/awards.csv:2:1: 错误：单位 low 被评定为先进单位，但按细则不能评为先进单位：等次为基本达标，"
            "须为达标方可评先进",
            id="below the required grade",
        ),
        pytest.param(
            ["a,达标,纪要"], "results/t/awards.csv:2:2: 错误：评定结果只记录先进，这里是「达标」", id="not an award"
        ),
        pytest.param(
            ["a,先进单位,纪要", "a,advanced,又一次"],
            "results/t/awards.csv:3:1: 错误：单位 a 的评定结果录入了不止一次",
            id="twice",
        ),
    ],
)
def test_awards_refused(ran: Run, rows: list[str], expected: str) -> None:
    prepared = ran(DECISION, DECISION_FILES | {"awards.csv": csv_text("unit,grade,reason", *rows)})
    assert [m.split("\n")[0] for m in errors(prepared)] == [expected]


def test_advanced_by_threshold(scored: Scored) -> None:
    rubric = rubric_text(
        ONE_ITEM
        + "grading:\n  method: threshold\n  bands:\n    - {grade: pass, min: 85}\n    - {grade: fail}\n"
        + "  advanced: threshold\n  advanced_min_score: 95\n"
    )
    units = scored(rubric, with_scores({"a": "96", "b": "95", "c": "94.99", "d": "50"})).by_unit()
    assert [units[u].standing.grade for u in "abcd"] == ["advanced", "advanced", "pass", "fail"]
    assert "得分不低于 95 分且具备评先资格 → 先进单位" in all_words(units["b"].standing.reasons)
    assert "得分低于 95 分，不能参加先进评比" in all_words(units["c"].standing.reasons)
    assert units["b"].standing.eligible_for_advanced is True
    assert units["c"].standing.eligible_for_advanced is False


def test_ranked_within_groups(scored: Scored) -> None:
    rubric = rubric_text(
        ONE_ITEM + "grading:\n  method: threshold\n  bands:\n    - {grade: pass, min: 60}\n    - {grade: fail}\n"
    )
    roster = units_csv(
        "a,甲,branch,第一组,已考核",
        "b,乙,branch,第一组,已考核",
        "c,丙,branch,第二组,已考核",
        "d,丁,branch,第二组,已考核",
        header="id,name,type,group,status",
    )
    units = scored(
        rubric, {"units.csv": roster, "entries.csv": entries_csv("a,c1,,,10,扣分", "b,c1,,,5,扣分", "c,c1,,,20,扣分")}
    ).by_unit()
    # 第一组: b 95, a 90; 第二组: d 100, c 80
    assert [(units[u].standing.pool_name, units[u].standing.rank) for u in "abcd"] == [
        ("第一组", 2),
        ("第一组", 1),
        ("第二组", 2),
        ("第二组", 1),
    ]
    assert {units[u].standing.pool_size for u in "abcd"} == {2}


def test_units_without_a_group_beside_groups_are_ranked_as_ungrouped_with_a_warning(ran: Run) -> None:
    rubric = rubric_text(
        ONE_ITEM + "grading:\n  method: threshold\n  bands:\n    - {grade: pass, min: 60}\n    - {grade: fail}\n"
    )
    roster = units_csv(
        "a,甲,branch,第一组,已考核",
        "b,乙,branch,第一组,已考核",
        "c,丙,branch,,已考核",
        "d,丁,branch,,不参加考核",
        header="id,name,type,group,status",
    )
    prepared = ran(rubric, {"units.csv": roster})
    units = prepared.outcomes["t"].by_unit()
    assert [units[u].standing.pool_name for u in "abcd"] == ["第一组", "第一组", "未分组", "未分组"]
    assert [w.split("\n")[0] for w in warnings(prepared)] == [
        "results/t/units.csv:4:4: 警告：细则按联络组排名，单位 c 没有填联络组：它与其他没有联络组的单位一起排名，"
        "页面上写作“未分组”",
        "results/t/units.csv:5:4: 警告：细则按联络组排名，单位 d 没有填联络组：它与其他没有联络组的单位一起排名，"
        "页面上写作“未分组”",
    ]
    # No unit has a group: one ranking of everyone, no warning.
    plain = units_csv("a,甲,branch,已考核", "b,乙,branch,已考核")
    prepared = ran(rubric, {"units.csv": plain})
    assert {u.standing.pool_name for u in prepared.outcomes["t"].units} == {"全体"} and warnings(prepared) == []
