"""Page contexts computed across assessments: the history of a unit over the years of a series."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from helpers import csv_text, entries_csv, rubric_text, score, units_csv

from generator.engine.exact import fmt
from generator.site import views
from generator.site.views.lost import lost_parts
from generator.site.views.office import office_context


def outcome(year: int, grades: dict[str, str | None]) -> Any:
    """An assessment of the series ``s`` in ``year`` with the given units' grades (what History reads)."""
    rubric = SimpleNamespace(id=f"s-{year}", year=year, series_id="s")
    units = tuple(
        SimpleNamespace(unit=SimpleNamespace(id=uid), standing=SimpleNamespace(grade=g)) for uid, g in grades.items()
    )
    return SimpleNamespace(rubric=rubric, units=units)


def test_consecutive_fails_count_years_and_a_year_without_an_assessment_breaks_the_run() -> None:
    outcomes = {
        "s-2016": outcome(2016, {"a": "fail", "b": "fail"}),
        "s-2017": outcome(2017, {"a": "fail", "b": "fail"}),
        # 2018: no assessment of the series at all
        "s-2019": outcome(2019, {"a": "fail", "b": "pass"}),
        "s-2020": outcome(2020, {"a": "fail", "b": "fail"}),
    }
    history = views.History(outcomes)
    r = {aid: o.rubric for aid, o in outcomes.items()}
    assert history.consecutive_fails(r["s-2017"], "a") == 2
    assert history.consecutive_fails(r["s-2019"], "a") == 1  # 2018 is missing: not "three years running"
    assert history.consecutive_fails(r["s-2020"], "a") == 2
    assert history.consecutive_fails(r["s-2020"], "b") == 1
    assert history.consecutive_fails(r["s-2019"], "b") == 0


def test_a_unit_absent_from_the_year_before_starts_a_new_run() -> None:
    outcomes = {
        "s-2017": outcome(2017, {"a": "fail"}),
        "s-2018": outcome(2018, {"b": "fail"}),
        "s-2019": outcome(2019, {"a": "fail"}),
    }
    history = views.History(outcomes)
    assert history.consecutive_fails(outcomes["s-2019"].rubric, "a") == 1


# --------------------------------------------------------------------------------------------
# The standards page in words
# --------------------------------------------------------------------------------------------

STANDARDS = """\
id: t
title: 测试细则
year: 2020
issuer: 测试机关
unit_types:
  - {id: branch, name: 党支部, full_marks: 100}
defaults:
  item_floor: 0
  leaf_rule: {kind: range, text: 对照标准核实评分}
parts:
  - {id: work, name: 实绩考核, weight: 0.9, source: rubric}
  - {id: survey, name: 满意度评价, weight: 0.1, source: entered, full: 100}
rounding: {decimals: 1, mode: half_even}
indicators:
  - id: c1
    title: 组织建设
    points: 100
    children:
      - {id: c1.1, title: 班子建设, points: 60}
      - {id: c1.2, title: 制度建设, points: 40, rules: [{kind: range, min: 1, max: 5}]}
penalties:
  - {id: p1, name: 扣分因素, min: 1, max: 3}
vetoes:
  effect: no_advanced
  events:
    - {id: v1, name: 受到通报批评的}
    - {id: v2, name: 发生重大安全生产事故的, effect: fail}
ranking:
  within: pools
  pools:
    - {id: all, name: 全体, unit_types: [branch], advanced_top: 3, fail_bottom: 1}
grading:
  method: rank
  advanced: rank
"""


def test_standards_words_follow_the_rubric() -> None:
    from helpers import rubric_from_yaml

    from generator.site.views.standards import grading_text, scoring_text, standards_context

    rubric = rubric_from_yaml(STANDARDS)
    nodes = {c.id: c for n in standards_context(rubric).nodes for c in n.children}
    # A leaf without rules of its own shows the rubric's default rule, with its range from the item's points.
    assert [(r.text, r.detail) for r in nodes["c1.1"].rules] == [("对照标准核实评分", "酌情扣分，最多可扣 60 分")]
    assert [r.detail for r in nodes["c1.2"].rules] == ["酌情扣分，可扣 1～5 分"]
    # Points that differ by unit type: no single maximum to give.
    by_type = rubric_from_yaml(
        STANDARDS.replace(
            "{id: c1.1, title: 班子建设, points: 60}",
            "{id: c1.1, title: 班子建设, points: 60, points_by_type: {branch: 60}}",
        )
    )
    nodes = {c.id: c for n in standards_context(by_type).nodes for c in n.children}
    assert [r.detail for r in nodes["c1.1"].rules] == ["在本项分值内酌情扣分"]

    scoring = scoring_text(rubric)
    assert "综合得分由实绩考核占 90%、满意度评价占 10%组成；各部分先折算为该类单位的满分，再按权重相加。" in scoring
    assert "折算和加权的结果和总分都保留 1 位小数（四舍六入五成双）。" in scoring
    assert "在总分中扣减：扣分因素 1～3 分。" in scoring
    # An event with its own effect is named with it.
    assert "发生否决事项的单位不得评为先进（下列事项除外）。" in scoring
    assert "否决事项「发生重大安全生产事故的」：定为未达标。" in scoring

    grading = grading_text(rubric)
    assert "否决事项「发生重大安全生产事故的」：无论得分多少，定为未达标。" in grading
    assert not any("发生否决事项的单位，无论得分多少" in line for line in grading)
    assert any(line.startswith("名次并列跨过名额界限时，并列的单位一并计入") for line in grading)


def test_one_veto_effect_for_every_event_reads_as_one_sentence() -> None:
    from helpers import rubric_from_yaml

    from generator.site.views.standards import grading_text, scoring_text

    rubric = rubric_from_yaml(STANDARDS.replace(", effect: fail}", "}").replace("effect: no_advanced", "effect: fail"))
    assert [line for line in scoring_text(rubric) if "否决" in line] == ["发生否决事项的单位定为未达标。"]
    assert "发生否决事项的单位，无论得分多少，定为未达标。" in grading_text(rubric)


# --------------------------------------------------------------------------------------------
# Results, notice and unit pages on the bundled data
# --------------------------------------------------------------------------------------------


def bundled(aid: str) -> Any:
    """The bundled assessment ``aid``, checked and scored: its outcome and its notice."""
    from pathlib import Path

    from generator.data.pipeline import prepare

    prepared = prepare(Path(__file__).resolve().parent.parent, {aid})
    assert not prepared.problems.has_errors()
    return SimpleNamespace(outcome=prepared.outcomes[aid], notice=prepared.project.notices.get(aid))


def test_groups_read_in_the_registers_order_not_character_order() -> None:
    from generator.site.views.notice import notice_context
    from generator.site.views.results import results_context

    data = bundled("luoyang-2013")
    outcome, notice = data.outcome, data.notice
    groups = ["第一联络组", "第二联络组", "第三联络组", "第四联络组"]  # 三 sorts before 二 by code point
    assert [t.name for t in results_context(outcome, views.History({}), None).pools] == groups
    lines = [pool for g in notice_context(outcome, notice).groups for pool, _ in g.pools]
    # Every line of a grade names its group, the groups in the register's order.
    assert lines and all(pool in groups for pool in lines)
    for g in notice_context(outcome, notice).groups:
        named = [pool for pool, _ in g.pools]
        assert named == [x for x in groups if x in named]


def test_part_headings_say_what_each_part_is_out_of() -> None:
    from generator.site.views.results import part_headings

    assert part_headings(bundled("luoyang-2013").outcome.rubric) == (
        ("年终集中考核", "满分 1000，占 70%"),
        ("平时考核", "满分 100，占 30%"),
    )


def test_a_single_term_total_is_not_written_as_an_equation() -> None:
    from generator.site.views.unit_numbers import formula as _formula

    for u in bundled("wujin-2017").outcome.units:
        lines, total = _formula(u)
        if u.score.assessed and not u.score.bonus.total and not u.score.penalty_total:
            assert total == f"{fmt(u.score.total)} 分"
            break
    else:
        raise AssertionError("no unit without bonus or penalty in wujin-2017")
    for u in bundled("luoyang-2013").outcome.units:
        lines, total = _formula(u)
        assert " = " in total and total.endswith(f"= {fmt(u.score.total)}")


def test_a_total_kept_to_fewer_places_than_its_terms_reads_as_approximate(tmp_path: Any) -> None:
    from helpers import entries_csv, rubric_text, score, units_csv

    from generator.site.views.standards import scoring_text
    from generator.site.views.unit_numbers import formula as _formula

    rubric = rubric_text(
        """
        rounding: {decimals: 0}
        indicators:
          - {id: c1, title: 全部指标, points: 100, rules: [{kind: range}]}
        """
    )
    files = {
        "units.csv": units_csv("u1,第一支部,branch,已考核", "u2,第二支部,branch,已考核"),
        "entries.csv": entries_csv("u1,c1,,,0.5,记录不全", "u2,c1,,,2,记录不全"),
    }
    outcome = score(tmp_path, rubric, files)
    formulas = {u.unit.id: _formula(u)[1] for u in outcome.units}
    assert formulas == {"u1": "99.5 ≈ 100", "u2": "98 分"}
    assert "总分取整（四舍五入）。" in scoring_text(outcome.rubric)


def test_bottom_places_are_explained_under_score_bands_too() -> None:
    from helpers import rubric_from_yaml

    from generator.site.views.standards import grading_text

    bands = STANDARDS.replace(
        "grading:\n  method: rank\n  advanced: rank\n",
        "grading:\n  method: threshold\n  bands:\n    - {grade: pass, min: 60}\n    - {grade: fail}\n",
    )
    lines = grading_text(rubric_from_yaml(bands))
    # advanced_top means nothing without advanced: rank; the bottom place still fails the unit.
    assert "全体：后 1 名的为未达标。" in lines
    assert not any("前 3 名" in line and "全体" in line for line in lines)
    assert any(line.startswith("名次并列跨过名额界限时") for line in lines)


CAPPED = rubric_text(
    """
    indicators:
      - id: c1
        title: 群团工作
        points: 100
        children:
          - id: "18"
            title: 工会工作
            points: 4
            points_mismatch: 原文两项各 3 分，本项 4 分，扣完为止
            children:
              - {id: "18.1", title: 工会组织, points: 3, rules: [{kind: range}]}
              - {id: "18.2", title: 工会活动, points: 3, rules: [{kind: range}]}
          - {id: "19", title: 共青团, points: 96, rules: [{kind: range}]}
    """
)


def test_an_item_capped_above_its_deductions_says_so_where_they_are_listed(tmp_path: Path) -> None:
    """18.1 takes 3 and 18.2 takes 2 of item 18's 4 points: 18 loses 4 (扣完为止), the unit 5 with 19's 1. The
    unit's list of lost items shows 18 with the note that says so before 18.1 and 18.2, whose 3 and 2 alone
    would add up to more than the part lost; the office's list of problems says the unit lost 5, not 6."""
    letters = csv_text(
        "id,kind,number,unit,issuer,date,item,finding,requirement,due,answer_date,answer,status",
        "2017-01,意见书,工委意〔2017〕1号,u1,,2017-05-02,19,共青团工作弱,请书面说明,2017-05-20,,,",
    )
    outcome = score(
        tmp_path,
        CAPPED,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "entries.csv": entries_csv("u1,18.1,,,3,组织不健全", "u1,18.2,,,2,活动少", "u1,19,,,1,团建弱"),
            "letters.csv": letters,
        },
    )
    u = outcome.by_unit()["u1"]
    (part,) = lost_parts(u.score.categories)
    assert part.lost == "5"
    assert [(i.id, i.lost) for i in part.items] == [("18", "4"), ("18.1", "3"), ("18.2", "2"), ("19", "1")]
    assert part.items[0].notes == ("扣分合计 5 分，超过本项分值，扣完为止，得 0 分",)
    (summary,) = office_context(outcome).next_tasks
    assert (summary.count, summary.lost) == (3, "5")


CAPPED_PART = rubric_text(
    """
    indicators:
      - id: c1
        title: 群团工作
        points: 4
        points_mismatch: 原文两项各 3 分，本类 4 分，扣完为止
        children:
          - {id: "18.1", title: 工会组织, points: 3, rules: [{kind: range}]}
          - {id: "18.2", title: 工会活动, points: 3, rules: [{kind: range}]}
      - {id: c2, title: 其他, points: 96, rules: [{kind: range}]}
    """
)


def test_a_part_capped_above_its_items_deductions_says_so_under_its_heading(tmp_path: Path) -> None:
    """The part itself stops at its 4 points (每类扣完为止): its heading says 扣 4 分, its lines 3 and 2, and the
    note under the heading says why; a part that did not stop has no note."""
    outcome = score(
        tmp_path,
        CAPPED_PART,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "entries.csv": entries_csv("u1,18.1,,,3,组织不健全", "u1,18.2,,,2,活动少", "u1,c2,,,1,其他"),
        },
    )
    capped, other = lost_parts(outcome.by_unit()["u1"].score.categories)
    assert (capped.lost, [(i.id, i.lost) for i in capped.items]) == ("4", [("18.1", "3"), ("18.2", "2")])
    assert capped.notes == ("扣分合计 5 分，超过本项分值，扣完为止，得 0 分",)
    assert (other.id, other.notes) == ("c2", ())
