"""Bonus claims and special deductions go through 申报 (提出) → 初审 → 认定; only 认定 counts.

004:39: 加分项目由被考核单位自行申报、各考核单位汇总初审，扣分项目由考核单位提供有关情况，初审情况由……组织综合评估
认定后统一运用. A table with the stage columns is read by stage (a blank 认定 is not yet decided); an old table
with only 认定 is read as it always was (blank means 认定).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import D, csv_text, errors, rubric_text, run, score, unit, warnings

RUBRIC = rubric_text(
    """
    indicators:
      - {id: c1, title: 组织生活, points: 100, rules: [{kind: per_occurrence, per: 1}]}
    bonus:
      cap: 10
      items:
        - id: merit
          title: 加分因素
          min: 1
          max: 3
          grounds:
            - 受到中央、省委、市委表彰
            - 受到中央领导同志和省委、市委主要领导批示肯定
            - 以现场会等形式在全省乃至全国推广经验
        - id: honours
          title: 荣誉称号
          levels:
            - {id: province, name: 省级, points: 3}
    penalties:
      - id: criticism
        name: 扣分因素
        min: 1
        max: 3
        grounds: [被中央、省委、市委通报批评, 在新闻媒体、网络造成严重不良影响, 在党风廉政方面出现严重问题]
      - {id: fraud, name: 弄虚作假, min: 5, max: 10}
    """
)
UNITS = csv_text("id,name,type,status", "u1,一支部,branch,已考核", "u2,二支部,branch,已考核")
BONUS_HEAD = "unit,bonus,level,amount,subject,ground,claimed,declared,reviewer,review,confirmed,decision_note"


def without_line(text: str, start: str) -> str:
    lines = [line for line in text.splitlines() if not line.strip().startswith(start)]
    assert len(lines) == len(text.splitlines()) - 1, start
    return "\n".join(lines) + "\n"


def drop_grounds(text: str) -> str:
    """The rubric without the bonus item's grounds (the block list under ``merit``)."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == "grounds:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while len(lines[end]) - len(lines[end].lstrip()) > indent:
        end += 1
    assert end - start == 4
    return "\n".join(lines[:start] + lines[end:]) + "\n"


def bonus(*rows: str, head: str = BONUS_HEAD) -> dict[str, str]:
    return {"units.csv": UNITS, "bonus.csv": csv_text(head, *rows)}


def test_only_confirmed_claims_count_and_each_shows_its_stage(tmp_path: object) -> None:
    outcome = score(
        tmp_path,  # type: ignore[arg-type]
        RUBRIC,
        bonus(
            "u1,merit,,2,市委表彰,1,2,2020-12-10,组织部,属实,认定,",
            "u1,merit,,,批示肯定,2,1,2020-12-11,组织部,材料待补,,",
            "u1,merit,,,现场会推广,3,3,2020-12-12,,,,",
            "u1,honours,省级,,省级先进,,,2020-12-12,组织部,属实,不予认定,系下属单位所获",
        ),
    )
    u1 = unit(outcome, "u1")
    assert u1.score.bonus.total == D(2)
    claims = [c.claim for i in u1.score.bonus.items for c in i.claims]
    stages = [(c.subject, c.process.stage if c.process else None, c.confirmed) for c in claims]
    assert stages == [
        ("市委表彰", "confirmed", True),
        ("批示肯定", "reviewed", False),
        ("现场会推广", "declared", False),
        ("省级先进", "refused", False),
    ]
    first = claims[0].process
    assert first is not None and first.ground == "受到中央、省委、市委表彰" and first.claimed == D(2)
    assert first.declared == "2020-12-10"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param(
            "u1,merit,,2,批示肯定,2,2,,组织部,材料待补,待认定,",
            "results/t/bonus.csv:2:4: 错误：这条申报尚未认定，不计分，却填了加分 2 分：只有认定的申报计分",
            id="a pending claim with points",
        ),
        pytest.param(
            "u1,merit,,2,批示肯定,2,2,,组织部,材料待补,不予认定,没有文件",
            "results/t/bonus.csv:2:4: 错误：这条申报不予认定，不计分，却填了加分 2 分：只有认定的申报计分",
            id="a refused claim with points",
        ),
        pytest.param(
            "u1,merit,,,批示肯定,2,2,,组织部,材料待补,不予认定,",
            "results/t/bonus.csv:2:12: 错误：不予认定须写明理由",
            id="refused without a reason",
        ),
        pytest.param(
            "u1,merit,,2,批示肯定,,2,,组织部,属实,认定,",
            "results/t/bonus.csv:2:6: 错误：细则为加分项目 merit（加分因素）列出了加分事由，这一行没有写依据哪一项",
            id="no ground where the rubric names them",
        ),
        pytest.param(
            "u1,merit,,2,获评文明单位,文明单位创建,2,,组织部,属实,认定,",
            "results/t/bonus.csv:2:6: 错误：加分事由「文明单位创建」不是细则为加分项目 merit（加分因素）列出的加分事由",
            id="a ground the rubric does not name",
        ),
        pytest.param(
            "u1,merit,,2,市委表彰,1,2,2020-13-40,组织部,属实,认定,",
            "results/t/bonus.csv:2:8: 错误：申报日期「2020-13-40」不是日期",
            id="not a date",
        ),
        pytest.param(
            "u1,merit,,2,市委表彰,1,2,,组织部,属实,差不多,",
            "results/t/bonus.csv:2:11: 错误：认定「差不多」无法识别",
            id="an unknown decision",
        ),
        pytest.param(
            "u1,merit,,,市委表彰,1,2,,组织部,属实,认定,",
            "results/t/bonus.csv:2:4: 错误：加分项目 merit 为酌情加分，须填写加分",
            id="confirmed without its points",
        ),
    ],
)
def test_claims_that_are_refused(tmp_path: object, row: str, expected: str) -> None:
    prepared = run(tmp_path, RUBRIC, bonus(row))  # type: ignore[arg-type]
    assert [e.split("\n")[0] for e in errors(prepared)] == [expected]


def test_a_ground_may_be_written_by_its_number(tmp_path: object) -> None:
    outcome = score(tmp_path, RUBRIC, bonus("u1,merit,,3,现场会推广,3,3,,组织部,属实,是,"))  # type: ignore[arg-type]
    claim = unit(outcome, "u1").score.bonus.items[0].claims[0].claim
    assert claim.process is not None and claim.process.ground == "以现场会等形式在全省乃至全国推广经验"
    assert unit(outcome, "u1").score.bonus.total == D(3)


def test_an_old_table_keeps_working_blank_is_confirmed(tmp_path: object) -> None:
    """Without the stage columns, 认定 blank counts and 否 with its points is shown but not counted, as before."""
    rubric = drop_grounds(RUBRIC)
    files = {
        "units.csv": UNITS,
        "bonus.csv": csv_text(
            "单位代码,加分项目,级别,加分,事项,认定", "u1,merit,,2,市委表彰,", "u1,merit,,1,批示肯定,否"
        ),
    }
    prepared = run(tmp_path, rubric, files)  # type: ignore[arg-type]
    assert not errors(prepared) and not [w for w in warnings(prepared) if "bonus" in w]
    u1 = unit(prepared.outcomes["t"], "u1")
    assert u1.score.bonus.total == D(2)
    processes = [c.claim.process for c in u1.score.bonus.items[0].claims]
    assert all(p is not None and p.legacy for p in processes)
    assert [p.stage for p in processes if p] == ["confirmed", "refused"]


PENALTY_HEAD = "unit,penalty,amount,reason,ground,reported_by,evidence,review,confirmed,decision_note"


def test_special_deductions_count_only_when_confirmed(tmp_path: object) -> None:
    files = {
        "units.csv": UNITS,
        "penalties.csv": csv_text(
            PENALTY_HEAD,
            "u1,扣分因素,2,被市委通报批评,1,市委党建办,通报〔2020〕3号,属实,认定,",
            "u1,扣分因素,3,网络舆情,2,市委宣传部,舆情专报,,,",
            "u2,扣分因素,1,下属单位被通报,1,市委党建办,督查通报,对象为下属单位,不予认定,不属于本单位",
        ),
    }
    prepared = run(tmp_path, RUBRIC, files)  # type: ignore[arg-type]
    assert not errors(prepared)
    outcome = prepared.outcomes["t"]
    u1, u2 = unit(outcome, "u1"), unit(outcome, "u2")
    # The 3 points not yet confirmed neither count nor push u1 past the item's cap of 3 (2 + 3 > 3).
    assert u1.score.penalty_total == D(2) and u1.score.total == D(98)
    assert u2.score.penalty_total == D(0) and u2.score.total == D(100)
    assert outcome.year is not None
    aside = {
        uid: [(r.reason, r.process.stage if r.process else "") for r in rs]
        for uid, rs in outcome.year.records.uncounted_penalties.items()
    }
    assert aside == {"u1": [("网络舆情", "declared")], "u2": [("下属单位被通报", "refused")]}


def test_a_confirmed_deduction_names_who_reported_it_and_the_evidence(tmp_path: object) -> None:
    files = {"units.csv": UNITS, "penalties.csv": csv_text(PENALTY_HEAD, "u1,扣分因素,2,被通报批评,1,,,属实,认定,")}
    prepared = run(tmp_path, RUBRIC, files)  # type: ignore[arg-type]
    assert [e.split("\n")[0] for e in errors(prepared)] == [
        "results/t/penalties.csv:2:6: 错误：认定的扣分须写明提出单位和依据"
    ]


def test_an_old_penalties_table_counts_every_row(tmp_path: object) -> None:
    rubric = without_line(RUBRIC, "grounds: [被中央")
    files = {"units.csv": UNITS, "penalties.csv": csv_text("unit,penalty,amount,reason", "u1,fraud,5,记录系事后补写")}
    outcome = score(tmp_path, rubric, files)  # type: ignore[arg-type]
    assert unit(outcome, "u1").score.penalty_total == Decimal(5)
