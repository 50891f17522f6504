"""Objections in the publicity period (公示) and their review (复核): adjusted values replace the old ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import D, csv_text, entries_csv, errors, rubric_text, run, score, unit

from generator.site.views.notice import notice_context
from generator.site.views.year import unit_year_view
from generator.site.views.yearnotice import adjusted_lines

RUBRIC = rubric_text(
    """
    indicators:
      - id: c1
        title: 组织生活
        points: 60
        rules: [{kind: per_occurrence, per: 1, id: meetings}, {kind: range, max: 4, id: weak}]
      - {id: c2, title: 台账, points: 40, rules: [{kind: range, max: 5}]}
    grading:
      method: threshold
      bands:
        - {grade: pass, min: 96}
        - {grade: fail}
    """
)
UNITS = csv_text("id,name,type,status", "u1,一支部,branch,已考核", "u2,二支部,branch,已考核")
ENTRIES = entries_csv("u1,c2,,,3,台账不完整", "u1,c1,meetings,2,,少开会2次", "u2,c2,,,1,台账缺一页")
NOTICE = """\
issuer: 测试机关
title: 关于考核结果的通报
recipients: 各支部：
date: 2018-01-25
publicity: {start: 2018-01-10, end: 2018-01-16, contact: 组织科}
"""
HEAD = "unit,item,rule,objection,received,review,outcome,value,amount,reason,decided,decided_by,late_reason"


def files(*rows: str, notice: str = NOTICE) -> dict[str, str]:
    out = {"units.csv": UNITS, "entries.csv": ENTRIES, "objections.csv": csv_text(HEAD, *rows)}
    if notice:
        out["notice.yml"] = notice
    return out


ADJUST = "u1,c2,,台账已补齐,2018-01-11,属实,调整,,1,经复核台账基本完整，扣1分,2018-01-18,工委会议,"


def test_an_adjustment_replaces_the_entries_and_the_scores_follow(tmp_path: Path) -> None:
    before = score(tmp_path / "before", RUBRIC, {"units.csv": UNITS, "entries.csv": ENTRIES, "notice.yml": NOTICE})
    after = score(tmp_path / "after", RUBRIC, files(ADJUST))
    assert unit(before, "u1").score.total == D(95)  # 100 − 3 − 2
    u1 = unit(after, "u1")
    assert u1.score.total == D(97)
    c2 = next(c for c in u1.score.categories if c.id == "c2")
    assert c2.lost == D(1) and c2.rules[0].reasons == ("经复核台账基本完整，扣1分",)
    # The change history: the item, and the total, rank and grade before and after.
    assert after.year is not None
    year = after.year.of("u1")
    assert [(c.objection.item, c.lost_before, c.lost_after, c.score_before, c.score_after) for c in year.changes] == [
        ("c2", D(3), D(1), D(37), D(39))
    ]
    t = year.total_change
    assert t is not None and (t.total_before, t.total_after, t.rank_before, t.rank_after) == (D(95), D(97), 2, 2)
    assert (t.label_before, t.label_after) == ("未达标", "达标")
    assert after.year.of("u2").changes == ()


def test_an_adjustment_can_withdraw_a_deduction_and_change_the_grade(tmp_path: Path) -> None:
    withdraw = "u1,c2,,台账完整,2018-01-12,材料齐全,调整,,,经复核，台账问题不成立，撤销扣分,2018-01-18,工委会议,"
    outcome = score(tmp_path, RUBRIC, files(withdraw))
    u1 = unit(outcome, "u1")
    assert u1.score.total == D(98) and u1.standing.grade == "pass"
    assert outcome.year is not None
    t = outcome.year.of("u1").total_change
    assert t is not None and (t.label_before, t.label_after) == ("未达标", "达标")
    view = unit_year_view(outcome, u1, "assessments/t/units/u1.md")
    assert [(c.lost_before, c.lost_after) for c in view.changes] == [("3", "0")]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            "u1,c2,,逾期提出,2018-01-17,,维持,,,维持,2018-01-18,工委会议,",
            "results/t/objections.csv:2:5: 错误：公示期 2018年1月16日 已结束，"
            "这件异议 2018年1月17日 才收到：逾期的异议不予受理",
            id="late",
        ),
        pytest.param(
            "u1,c2,,提前提出,2018-01-09,,,,,,,,",
            "results/t/objections.csv:2:5: 错误：收到日期 2018年1月9日 在公示开始（2018年1月10日）之前",
            id="before the period",
        ),
        pytest.param(
            "u1,c1,,扣分有误,2018-01-11,,调整,,1,调整,2018-01-18,工委会议,",
            "results/t/objections.csv:2:3: 错误：指标 c1 有 2 条评分规则，调整须写明规则编号",
            id="an adjustment of an item with two rules names the rule",
        ),
        pytest.param(
            "u1,,,等次有误,2018-01-11,,调整,,1,调整,2018-01-18,工委会议,",
            "results/t/objections.csv:2:7: 错误：调整须写明细则中的指标编号（这里是「」）",
            id="an adjustment names its item",
        ),
        pytest.param(
            "u1,c2,,扣分有误,2018-01-11,,维持,,1,维持,2018-01-18,工委会议,",
            "results/t/objections.csv:2:9: 错误：只有复核结果为调整时才填写调整后的情况和扣分",
            id="values with upheld",
        ),
        pytest.param(
            "u1,c2,,扣分有误,2018-01-11,,维持,,,,2018-01-18,工委会议,",
            "results/t/objections.csv:2:10: 错误：复核结果须写明理由",
            id="no reason",
        ),
        pytest.param(
            "u1,c2,,扣分有误,2018-01-11,,调整,,1,调整,,工委会议,",
            "results/t/objections.csv:2:11: 错误：复核结果须写明决定日期",
            id="no date of decision",
        ),
        pytest.param(
            "u1,c2,,扣分有误,2018-01-11,,调整,,9,调整为9分,2018-01-18,工委会议,",
            "results/t/objections.csv:2:9: 错误：指标 c2 规则 a 酌情扣分 9 分，超出允许的范围（最多可扣 5 分）",
            id="the adjusted value is checked as an entry, where it was written",
        ),
    ],
)
def test_objections_that_are_refused(tmp_path: Path, row: str, expected: str) -> None:
    prepared = run(tmp_path, RUBRIC, files(row))
    assert expected in [e.split("\n")[0] for e in errors(prepared)], errors(prepared)


def test_a_late_objection_accepted_with_a_reason(tmp_path: Path) -> None:
    row = "u2,c2,,扣分偏重,2018-01-17,属实,维持,,,维持原结果,2018-01-19,工委会议,书面材料邮寄延误，经研究受理"
    outcome = score(tmp_path, RUBRIC, files(row))
    assert outcome.year is not None
    (o,) = outcome.year.records.objections
    assert o.outcome == "upheld" and o.late_reason.startswith("书面材料")
    assert unit(outcome, "u2").score.total == D(99)


def test_objections_need_the_publicity_period(tmp_path: Path) -> None:
    prepared = run(tmp_path, RUBRIC, files("u1,c2,,扣分有误,2018-01-11,,,,,,,,", notice=""))
    assert [e.split("\n")[0] for e in errors(prepared)] == [
        "results/t/objections.csv: 错误：有异议记录，但通报（notice.yml）中没有写明公示期，"
        "无法判断异议是否在公示期内提出"
    ]


def test_two_adjustments_of_one_rule_are_refused(tmp_path: Path) -> None:
    prepared = run(tmp_path, RUBRIC, files(ADJUST, ADJUST.replace("2018-01-11", "2018-01-12")))
    assert any("已在第 2 行调整过" in e for e in errors(prepared))


def test_a_replaced_row_is_still_checked(tmp_path: Path) -> None:
    """An adjustment sets an entry aside; a mistake in that entry is still the office's to put right."""
    data = files(ADJUST)
    data["entries.csv"] = entries_csv("u1,c2,,,３,台账不完整", "u2,c2,,,1,台账缺一页")
    prepared = run(tmp_path, RUBRIC, data)
    assert any(
        p.startswith("results/t/entries.csv:2:5: 警告：扣分「３」已读作 3")
        for p in map(str, prepared.problems.sorted())
    )


def test_the_notice_after_the_changes_lists_them(tmp_path: Path) -> None:
    prepared = run(
        tmp_path, RUBRIC, files(ADJUST, "u2,c2,,扣分偏重,2018-01-12,属实,维持,,,维持原结果,2018-01-18,工委会议,")
    )
    outcome, notice = prepared.outcomes["t"], prepared.project.notices["t"]
    ctx = notice_context(outcome, notice)
    assert ctx.year.objections == "公示期间收到异议 2 件：维持 1 件，调整 1 件。"
    assert ctx.year.adjusted == ("一支部：指标 c2「台账」扣分 3 → 1，综合得分 95 → 97，等次未达标 → 达标",)
    assert ctx.year.adjusted_after == ()
    assert ctx.publicity.startswith("以上结果已于2018年1月10日至2018年1月16日进行公示")
    # A notice dated before the decision does not claim it: the page says it came later.
    earlier = notice.__class__(**{**notice.__dict__, "date": notice.publicity.end})  # type: ignore[union-attr]
    ctx = notice_context(outcome, earlier)
    assert ctx.year.adjusted == () and len(ctx.year.adjusted_after) == 1 and ctx.year.objections == ""
    assert [line for _, line in adjusted_lines(outcome)] == [
        "一支部：指标 c2「台账」扣分 3 → 1，综合得分 95 → 97，等次未达标 → 达标"
    ]
