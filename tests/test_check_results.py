"""Checking results against their rubric: every problem names its file, line and column."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

import pytest
from helpers import THREE_TYPES, D, csv_text, entries_csv, errors, find, rubric_text, units_csv, warnings

from generator.data.headertable import HEADER_LOOK
from generator.data.pipeline import Prepared

Run = Callable[[str, Mapping[str, str | bytes]], Prepared]

RUBRIC = rubric_text(
    """
    indicators:
      - id: c1
        title: 基础工作
        points: 10
        children:
          - id: "1"
            title: 年度计划
            points: 6
            rules:
              - {id: no_plan, kind: fixed, deduct: 3, text: 无年度党建工作计划扣3分}
              - {id: no_summary, kind: fixed, deduct: 3}
          - {id: "2", title: 专题研究, points: 4, rules: [{kind: shortfall, target: 4, per: 1}]}
      - id: c2
        title: 组织生活
        points: 90
        rules:
          - {kind: per_occurrence, per: 1}
    parts:
      - {id: year_end, name: 年终考核, weight: 70%, source: rubric}
      - {id: routine, name: 平时考核, weight: 30%, source: entered, full: 100}
    bonus:
      cap: 10
      items:
        - id: honours
          title: 荣誉
          levels:
            - {id: national, name: 国家级, points: 5}
            - {id: media, name: 媒体宣传, points: 0.5, per_occurrence: true}
        - {id: extra, title: 酌情加分, min: 1, max: 3}
    penalties:
      - {id: criticism, name: 通报批评, min: 1, max: 3}
    vetoes:
      effect: no_advanced
      events:
        - {id: v1, name: 发生重大安全事故的}
    """
)

ROSTER = units_csv("u1,第一党支部,branch,已考核", "u2,第二党支部,branch,已考核")
PARTS = csv_text("unit,part,score", "u1,routine,90", "u2,平时考核,85")


def files(entries: str = "", **more: str) -> dict[str, str]:
    out = {"units.csv": ROSTER, "parts.csv": PARTS}
    if entries:
        out["entries.csv"] = entries
    out.update({f"{name}.csv": text for name, text in more.items()})
    return out


def firsts(texts: list[str]) -> list[str]:
    return [t.split("\n")[0] for t in texts]


def test_good_results_have_nothing_to_report(ran: Run) -> None:
    prepared = ran(RUBRIC, files(entries_csv("u1,1,no_plan,,,无年度计划", "u2,2,,3,,全年只开了三次专题会")))
    assert [str(p) for p in prepared.problems] == []
    assert set(prepared.outcomes["t"].by_unit()) == {"u1", "u2"}


ENTRY_PROBLEMS = [
    pytest.param(
        "U1,1,no_plan,,,无计划",
        "results/t/entries.csv:2:1: 错误：单位代码「U1」与名册中的「u1」大小写或空格不同\n    处理办法：改为 u1。",
        id="wrong-case unit",
    ),
    pytest.param(
        "u11,1,no_plan,,,无计划",
        "results/t/entries.csv:2:1: 错误：单位代码「u11」不在单位名册中\n    处理办法：是不是 u1？",
        id="unknown unit, close",
    ),
    pytest.param(
        "第一党支部,1,no_plan,,,无计划",
        "results/t/entries.csv:2:1: 错误：单位代码「第一党支部」不在单位名册中\n    处理办法：这是单位名称，请填代码 "
        "u1。",
        id="unit name instead of code",
    ),
    pytest.param(
        "zz,1,no_plan,,,无计划",
        "results/t/entries.csv:2:1: 错误：单位代码「zz」不在单位名册中\n    处理办法：先在单位名册 units.csv "
        "中登记该单位。",
        id="unknown unit",
    ),
    pytest.param(
        ",1,no_plan,,,无计划",
        "results/t/entries.csv:2:1: 错误：单位代码为空\n    处理办法：填写单位名册中的单位代码。",
        id="empty unit",
    ),
    pytest.param(
        "u1,c11,,,,无计划",
        "results/t/entries.csv:2:2: 错误：指标编号「c11」不在细则 t 中\n    处理办法：是不是 c1？",
        id="unknown item",
    ),
    pytest.param(
        "u1,c1,,,,无计划",
        "results/t/entries.csv:2:2: 错误：指标 c1 没有评分规则，不能直接扣分\n    处理办法：填写它的下级指标编号：1、"
        "2。",
        id="item with children",
    ),
    pytest.param(
        "u1,1,no_pln,,,无计划",
        "results/t/entries.csv:2:3: 错误：指标 1 没有规则「no_pln」\n"
        "    处理办法：可用的规则：no_plan（无年度党建工作计划扣3分）；no_summary（未做到扣固定分）。",
        id="unknown rule",
    ),
    pytest.param(
        "u1,1,NO_PLAN,,,无计划",
        "results/t/entries.csv:2:3: 错误：指标 1 没有规则「NO_PLAN」\n"
        "    处理办法：改为 no_plan（细则中规则编号的写法）。",
        id="rule in other letters",
    ),
    pytest.param(
        "u1,1,,,,无计划",
        "results/t/entries.csv:2:3: 错误：指标 1 有 2 条评分规则，须填写规则编号\n"
        "    处理办法：可用的规则：no_plan（无年度党建工作计划扣3分）；no_summary（未做到扣固定分）。",
        id="rule missing, several rules",
    ),
    pytest.param(
        "u1,2,,三分,,少开一次",
        "results/t/entries.csv:2:4: 错误：情况（次数）「三分」不是数字\n    处理办法：填写阿拉伯数字，例如 3。",
        id="count in words",
    ),
    pytest.param(
        "u1,c2,,,三分,迟到",
        "results/t/entries.csv:2:5: 错误：扣分「三分」不是数字\n    处理办法：填写阿拉伯数字，例如 1 或 0.5。",
        id="amount in words",
    ),
    pytest.param(
        "u1,c2,,,-1,迟到",
        "results/t/entries.csv:2:5: 错误：扣分为负数（-1）\n    处理办法：扣分和次数都写正数，不带负号。",
        id="negative amount",
    ),
    pytest.param(
        "u1,c2,,-2,,迟到",
        "results/t/entries.csv:2:4: 错误：情况（次数）为负数（-2）\n    处理办法：扣分和次数都写正数，不带负号。",
        id="negative count",
    ),
    pytest.param(
        "u1,c2,,1.5,,迟到",
        "results/t/entries.csv:2:4: 错误：指标 c2 规则 a 的次数应为整数，这里是 1.5\n    处理办法：填写整数次数。",
        id="fractional count",
    ),
    pytest.param(
        "u1,c2,,2,3,迟到两次",
        "results/t/entries.csv:2:5: 错误：指标 c2 规则 a：2 × 1 分应扣 2 分，但扣分写的是 3 分\n"
        "    处理办法：核对次数和扣分；扣分列可以不填，由程序计算。",
        id="count and amount disagree",
    ),
    pytest.param(
        "u1,2,,3,1,少开一次",
        "results/t/entries.csv:2:5: 错误：指标 2 规则 a 按完成次数计算扣分，不填扣分\n    处理办法：删去扣分，"
        "只填完成次数。",
        id="shortfall with amount",
    ),
    pytest.param(
        "u1,2,,,,少开",
        "results/t/entries.csv:2:4: 错误：指标 2 规则 a 须填写实际完成的次数\n"
        "    处理办法：在“情况”列写完成次数，程序按目标计算少了几次。",
        id="shortfall without count",
    ),
    pytest.param(
        "u1,1,no_plan,也许,,无计划",
        "results/t/entries.csv:2:4: 错误：指标 1 规则 no_plan 的情况「也许」无法识别\n"
        "    处理办法：留空或写「是」表示存在该问题；「否」表示没有问题。",
        id="yes/no unreadable",
    ),
    pytest.param(
        "u1,1,no_plan,,2,无计划",
        "results/t/entries.csv:2:5: 错误：指标 1 规则 no_plan 固定扣 3 分，扣分写的是 2 分\n"
        "    处理办法：删去扣分列，或改为细则规定的分值。",
        id="fixed with another amount",
    ),
    pytest.param(
        "u1,c2,,,,",
        "results/t/entries.csv:2:6: 错误：扣分原因为空\n    处理办法：写明扣分的原因，被考核单位会看到它。",
        id="no reason",
    ),
]


@pytest.mark.parametrize(("row", "expected"), ENTRY_PROBLEMS)
def test_each_bad_entry_is_located_at_its_cell(ran: Run, row: str, expected: str) -> None:
    prepared = ran(RUBRIC, files(entries_csv(row)))
    assert errors(prepared) == [expected]
    assert "t" not in prepared.outcomes


def test_duplicated_rows(ran: Run) -> None:
    prepared = ran(RUBRIC, files(entries_csv("u1,c2,,2,,迟到两次", "u2,c2,,1,,迟到", " u1 ,c2,,2,,迟到两次")))
    assert firsts(errors(prepared)) == [
        "results/t/entries.csv:4:1: 错误：这一行与 results/t/entries.csv 第 2 行完全相同"
    ]


def test_fixed_recorded_twice(ran: Run) -> None:
    prepared = ran(RUBRIC, files(entries_csv("u1,1,no_plan,,,无计划", "u1,1,no_plan,,,确无计划")))
    assert firsts(errors(prepared)) == [
        "results/t/entries.csv:3:1: 错误：单位 u1 指标 1 规则 no_plan 只能记录一次，这里有 2 行"
    ]


def test_unit_with_no_records_and_no_status(ran: Run) -> None:
    rubric = rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n")
    roster = units_csv("u1,第一党支部,branch,已考核", "u2,第二党支部,branch,", "u3,第三党支部,branch,不参加考核")
    prepared = ran(rubric, {"units.csv": roster})
    assert errors(prepared) == [
        "results/t/units.csv:3:1: 错误：单位 u2（第二党支部）没有任何考核记录，也没有写明考核状态\n"
        "    处理办法：如果该单位考核无扣分，在“考核状态”列写「已考核」；如果不参加考核，写「不参加考核」。"
    ]


def test_a_record_is_enough_without_a_status(ran: Run) -> None:
    roster = units_csv("u1,第一党支部,branch,已考核", "u2,第二党支部,branch,")
    prepared = ran(RUBRIC, {"units.csv": roster, "parts.csv": PARTS, "entries.csv": entries_csv("u2,c2,,1,,迟到")})
    assert errors(prepared) == []
    # A part score is a record too.
    prepared = ran(RUBRIC, {"units.csv": roster, "parts.csv": PARTS})
    assert errors(prepared) == []


def test_not_assessed_unit_with_records_is_a_warning(ran: Run) -> None:
    roster = units_csv("u1,第一党支部,branch,已考核", "u2,第二党支部,branch,不参加考核")
    prepared = ran(RUBRIC, {"units.csv": roster, "parts.csv": PARTS, "entries.csv": entries_csv("u2,c2,,1,,迟到")})
    assert errors(prepared) == []
    assert firsts(warnings(prepared)) == [
        "results/t/units.csv:3:1: 警告：单位 u2 写明不参加考核，但有考核记录；这些记录不计分"
    ]


def test_missing_part_score(ran: Run) -> None:
    prepared = ran(RUBRIC, {"units.csv": ROSTER, "parts.csv": csv_text("unit,part,score", "u1,routine,90")})
    assert errors(prepared) == [
        "results/t/units.csv:3:1: 错误：单位 u2 缺少平时考核得分\n    处理办法：在 parts.csv 中为该单位加一行：u2,"
        "平时考核,分数。"
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            ["u1,routine,90", "u2,routine,101"],
            "results/t/parts.csv:3:3: 错误：平时考核满分 100 分，这里是 101 分",
            id="over full",
        ),
        pytest.param(
            ["u1,routine,90", "u2,year_end,85"],
            "results/t/parts.csv:3:2: 错误：组成部分「year_end」不需要录入",
            id="rubric part",
        ),
        pytest.param(["u1,routine,90", "u2,routine,"], "results/t/parts.csv:3:3: 错误：得分为空", id="empty"),
        pytest.param(
            ["u1,routine,90", "u2,routine,85", "u2,平时考核,80"],
            "results/t/parts.csv:4:1: 错误：单位 u2 的平时考核得分录入了不止一次",
            id="twice",
        ),
    ],
)
def test_part_scores(ran: Run, rows: list[str], expected: str) -> None:
    prepared = ran(RUBRIC, {"units.csv": ROSTER, "parts.csv": csv_text("unit,part,score", *rows)})
    assert firsts(errors(prepared))[0] == expected


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            ["u1,一支部,branch,已考核", "u1,二支部,branch,已考核"],
            "results/t/units.csv:3:1: 错误：单位代码 u1 重复（第一次在第 2 行：u1），代码不区分大小写",
            id="duplicate",
        ),
        pytest.param(
            ["u1,一支部,branch,已考核", "U1,二支部,branch,已考核"],
            "results/t/units.csv:3:1: 错误：单位代码 U1 重复（第一次在第 2 行：u1），代码不区分大小写",
            id="duplicate by case",
        ),
        pytest.param(
            ["u0,零支部,branch,已考核", "u1,一支部,county,已考核"],
            "results/t/units.csv:3:3: 错误：单位类型「county」不在细则中",
            id="unknown type",
        ),
        pytest.param(
            ["u0,零支部,branch,已考核", "u 1,一支部,branch,已考核"],
            "results/t/units.csv:3:1: 错误：单位代码「u 1」含有不允许的字符（它会成为网页地址）",
            id="bad id",
        ),
        pytest.param(
            ["u0,零支部,branch,已考核", "con,一支部,branch,已考核"],
            "results/t/units.csv:3:1: 错误：单位代码「con」是 Windows 的保留名称，不能用作文件名",
            id="reserved",
        ),
        pytest.param(
            ["u0,零支部,branch,已考核", "u1,一支部,branch,优秀"],
            "results/t/units.csv:3:4: 错误：考核状态「优秀」无法识别",
            id="status",
        ),
        pytest.param(
            ["u0,零支部,branch,已考核", "u1,,branch,已考核"],
            "results/t/units.csv:3:2: 错误：单位 u1 的名称为空",
            id="no name",
        ),
    ],
)
def test_roster_problems(ran: Run, rows: list[str], expected: str) -> None:
    rubric = rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n")
    prepared = ran(rubric, {"units.csv": units_csv(*rows)})
    assert firsts(errors(prepared)) == [expected]


def test_unit_type_by_name_or_code(ran: Run) -> None:
    rubric = rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n")
    prepared = ran(rubric, {"units.csv": units_csv("u1,一支部,branch,已考核", "u2,二支部,党支部,已考核")})
    assert errors(prepared) == []
    assert {u.unit.type for u in prepared.outcomes["t"].units} == {"branch"}


@pytest.mark.parametrize(
    ("table", "rows", "expected"),
    [
        pytest.param(
            "bonus",
            ["unit,bonus,level,subject", "u1,honors,国家级,全国先进基层党组织"],
            "results/t/bonus.csv:2:2: 错误：加分项目「honors」不在细则中",
            id="bonus item",
        ),
        pytest.param(
            "bonus",
            ["unit,bonus,level,subject", "u1,honours,省级,省先进基层党组织"],
            "results/t/bonus.csv:2:3: 错误：加分项目 honours 没有级别「省级」",
            id="bonus level",
        ),
        pytest.param(
            "bonus",
            ["unit,bonus,level,count,subject", "u1,honours,national,2,全国先进基层党组织"],
            "results/t/bonus.csv:2:4: 错误：国家级按项计分，每项一行，次数不能为 2",
            id="bonus count on a per-item level",
        ),
        pytest.param(
            "bonus",
            ["unit,bonus,level,count,subject", "u1,honours,media,0.5,报道"],
            "results/t/bonus.csv:2:4: 错误：次数应为正整数，这里是 0.5",
            id="bonus fractional count",
        ),
        pytest.param(
            "bonus",
            ["unit,bonus,level,subject,confirmed", "u1,honours,national,全国先进,待定"],
            "results/t/bonus.csv:2:5: 错误：认定「待定」无法识别",
            id="bonus confirmed",
        ),
        pytest.param(
            "bonus",
            ["unit,bonus,level,subject", "u1,honours,national,"],
            "results/t/bonus.csv:2:4: 错误：加分事项为空",
            id="bonus subject",
        ),
        pytest.param(
            "penalties",
            ["unit,penalty,amount,reason", "u1,fraud,5,材料造假"],
            "results/t/penalties.csv:2:2: 错误：扣分因素「fraud」不在细则中",
            id="penalty unknown",
        ),
        pytest.param(
            "penalties",
            ["unit,penalty,amount,reason", "u1,criticism,,被通报"],
            "results/t/penalties.csv:2:3: 错误：扣分为空",
            id="penalty empty",
        ),
        pytest.param(
            "penalties",
            ["unit,penalty,amount,reason", "u1,criticism,2,被通报", "u1,通报批评,2,又被通报"],
            "results/t/penalties.csv:3:1: 错误：单位 u1 的通报批评合计扣 4 分，超过 3 分",
            id="penalty total",
        ),
        pytest.param(
            "vetoes",
            ["unit,veto,reason", "u1,v2,发生事故"],
            "results/t/vetoes.csv:2:2: 错误：否决事项「v2」不在细则中",
            id="veto unknown",
        ),
        pytest.param(
            "vetoes",
            ["unit,veto,reason", "u1,v1,"],
            "results/t/vetoes.csv:2:3: 错误：否决事项的情况说明为空",
            id="veto reason",
        ),
        pytest.param(
            "self_scores",
            ["unit,item,score", "u1,1,7"],
            "results/t/self_scores.csv:2:3: 错误：指标 1 满分 6 分，自查分 7 超过了",
            id="self score",
        ),
        pytest.param(
            "awards",
            ["unit,grade", "u1,先进单位"],
            "results/t/awards.csv:2:1: 错误：细则 t 的先进不由考核办公室评定，不需要评定结果",
            id="award without decision",
        ),
    ],
)
def test_other_tables(ran: Run, table: str, rows: list[str], expected: str) -> None:
    prepared = ran(RUBRIC, files(**{table: csv_text(*rows)}))
    assert firsts(errors(prepared)) == [expected]


def test_every_problem_of_a_file_in_one_run_sorted(ran: Run) -> None:
    prepared = ran(
        RUBRIC,
        files(
            entries_csv(
                "u1,c2,,,,",
                "u9,1,no_plan,,,无计划",
                "u1,2,,三分,,少开",
                "u2,1,,,,无计划",
                "u1,c9,,,,无计划",
                "u1,c2,,,-1,迟到",
            ),
            penalties=csv_text("unit,penalty,amount,reason", "u1,criticism,5,被通报"),
        ),
    )
    assert [m.split("：")[0] for m in firsts(errors(prepared))] == [
        "results/t/entries.csv:2:6: 错误",
        "results/t/entries.csv:3:1: 错误",
        "results/t/entries.csv:4:4: 错误",
        "results/t/entries.csv:5:3: 错误",
        "results/t/entries.csv:6:2: 错误",
        "results/t/entries.csv:7:5: 错误",
        "results/t/penalties.csv:2:3: 错误",
    ]
    assert firsts(errors(prepared))[-1] == "results/t/penalties.csv:2:3: 错误：通报批评只能扣 1～3 分，这里是 5 分"


def test_results_without_a_rubric(ran: Run) -> None:
    prepared = ran(RUBRIC, files())
    (prepared.project.root / "results" / "other").mkdir()
    from generator.data.pipeline import prepare

    again = prepare(prepared.project.root)
    assert firsts(errors(again)) == ["results/other: 错误：考核结果目录 results/other 没有对应的细则 rubrics/other.yml"]


def test_results_are_not_judged_against_a_broken_rubric(ran: Run) -> None:
    broken = RUBRIC.replace("deduct: 3, text", "deduct: 7, text")
    prepared = ran(broken, files(entries_csv("zz,1,,,,")))
    assert firsts(warnings(prepared)) == ["results/t: 警告：细则 rubrics/t.yml 有错误，暂不检查这里的考核结果"]
    assert all(m.startswith("rubrics/t.yml") for m in errors(prepared))


def test_unknown_file_in_a_results_folder(ran: Run) -> None:
    prepared = ran(RUBRIC, files() | {"分数.xlsx": "x", "README.md": "说明"})
    assert firsts(warnings(prepared)) == ["results/t/分数.xlsx: 警告：不认识这个文件，未读取"]


ENTRIES_HEADER = "单位代码,指标编号,规则,情况,扣分,扣分原因\r\n"


@pytest.mark.parametrize(
    ("name", "data", "first"),
    [
        pytest.param(
            "扣分记录.csv",
            (ENTRIES_HEADER + "u1,1,no_plan,,,无年度计划\r\n").encode("gbk"),
            "results/t/扣分记录.csv: 错误：表头是扣分记录（entries）的表头，文件名却不以 entries- 开头：",
            id="entries-gbk",
        ),
        pytest.param(
            "加分.txt",
            "单位代码\t加分项目\t事项\r\nu1\t26\t某项表彰\r\n".encode("utf-16"),
            "results/t/加分.txt: 错误：表头是加分申报（bonus）的表头，文件名却不以 bonus- 开头：",
            id="bonus-utf16-tabs",
        ),
        pytest.param(
            "否决.CSV",
            "\n\n unit , 否决事项 ,情况\nu1,v1,违纪\n".encode(),
            "results/t/否决.CSV: 错误：表头是否决事项（vetoes）的表头，文件名却不以 vetoes- 开头：",
            id="vetoes-after-blank-lines",
        ),
    ],
)
def test_a_file_not_named_like_results_is_refused_when_its_header_is_a_tables(
    ran: Run, name: str, data: bytes, first: str
) -> None:
    prepared = ran(RUBRIC, files() | {name: data})
    found = [m for m in errors(prepared) + warnings(prepared) if m.startswith(f"results/t/{name}:")]
    assert len(found) == 1 and found[0].startswith(first), found
    prefix = first.split("（")[1].split("）")[0]
    assert f"例如 {prefix}-{name}（同一种表可拆成几个文件 {prefix}-*.csv，合并读取）" in found[0]
    assert found[0].endswith("是备份、旧版本或别的表格的，移到 results/ 以外。")
    assert prepared.project.results["t"].files == ("results/t/parts.csv", "results/t/units.csv")


def test_only_the_start_of_a_big_unnamed_file_is_read(ran: Run) -> None:
    # Longer than what is looked at, which ends inside a character: its header is still told.
    data = ENTRIES_HEADER.encode() + "u1,1,no_plan,,,无年度计划，记录不全\n".encode() * 4000
    with pytest.raises(UnicodeDecodeError):
        data[:HEADER_LOOK].decode("utf-8")
    prepared = ran(RUBRIC, files() | {"扣分.csv": data})
    assert any(m.startswith("results/t/扣分.csv: 错误：表头是扣分记录（entries）") for m in errors(prepared))


def test_a_file_whose_header_is_no_tables_is_only_warned_of(ran: Run) -> None:
    # Beside one that is refused: some of a table's required columns, bytes that are no text, a workbook, a FIFO.
    prepared = ran(
        RUBRIC,
        files()
        | {
            "扣分记录.csv": ENTRIES_HEADER,
            "排名.csv": "单位代码,得分,排名\nu1,95,1\n",
            "乱码.csv": b"\x81\x20\xff\xfe\x00" * 10,
            "扣分记录.xlsx": b"PK\x03\x04" + ENTRIES_HEADER.encode(),
            # Tables whose records change no score, under another name: a copy of the roster, self scores.
            "名册副本.csv": "单位代码,单位名称,单位类型,联系人,联系电话\nu1,第一党支部,branch,张某,1\n",
            "自查.csv": "单位代码,指标编号,自查分\nu1,1,6\n",
            # A scored table's columns (评定结果: 单位代码, 等次) and ones it does not have: last year's results.
            "去年结果.csv": "单位代码,单位名称,得分,等次\nu1,第一党支部,95,优秀\n",
        },
    )
    os.mkfifo(prepared.project.root / "results" / "t" / "联系人.csv")
    from generator.data.pipeline import prepare

    again = prepare(prepared.project.root)
    assert firsts(errors(again)) == [
        "results/t/扣分记录.csv: 错误：表头是扣分记录（entries）的表头，文件名却不以 entries- 开头："
        "程序不认识这个文件名，没有读取，其中的记录不会计入考核结果"
    ]
    assert firsts(warnings(again)) == [
        f"results/t/{name}: 警告：不认识这个文件，未读取"
        for name in sorted(
            (
                "乱码.csv",
                "扣分记录.xlsx",
                "排名.csv",
                "联系人.csv",
                "名册副本.csv",
                "自查.csv",
                "去年结果.csv",
            )
        )
    ]


def test_names_match_whatever_width_their_punctuation(ran: Run) -> None:
    # The rubric writes full-width （） and ，; a clerk types half-width ones (or the other way round).
    rubric = rubric_text(
        """
        indicators:
          - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}
        penalties:
          - {id: criticism, name: 通报批评（市委）, min: 1, max: 3}
        vetoes:
          effect: fail
          events:
            - {id: v3, name: 党员领导干部发生违法违纪案件，受到查处的}
        """,
        types="unit_types:\n  - {id: county, name: 县（市）, full_marks: 100}\n",
    )
    prepared = ran(
        rubric,
        {
            "units.csv": units_csv("u1,某县,县(市),已考核"),
            "penalties.csv": csv_text("unit,penalty,amount,reason", "u1,通报批评(市委),2,被市委通报批评"),
            "vetoes.csv": csv_text("unit,veto,reason", 'u1,"党员领导干部发生违法违纪案件,受到查处的",副局长受到查处'),
        },
    )
    assert errors(prepared) == []
    u1 = prepared.outcomes["t"].by_unit()["u1"]
    assert u1.score.penalty_total == D(2)
    assert [v.event.id for v in u1.score.vetoes] == ["v3"]


def test_a_broken_registry_is_reported_once_not_on_every_row(ran: Run) -> None:
    prepared = ran(
        rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n"),
        {
            "units.csv": csv_text("id,name", "u1,一支部"),
            "entries.csv": entries_csv("u1,c1,,,1,扣分", "u2,c1,,,1,扣分"),
        },
    )
    assert firsts(errors(prepared)) == [
        "results/t: 错误：没有单位名册（units.csv）或名册为空",
        "results/t/units.csv:1:1: 错误：单位名册缺少必填列「单位类型」",
    ]


def test_shortfall_without_a_target_for_the_units_type_is_a_warning(ran: Run) -> None:
    rubric = rubric_text(
        "indicators:\n  - {id: c1, title: 信息, points: 100, rules: [{kind: shortfall, target: {branch: 6}, deduct: "
        "3}]}\n",
        types=THREE_TYPES,
    )
    prepared = ran(
        rubric, {"units.csv": units_csv("u1,一党委,committee,已考核"), "entries.csv": entries_csv("u1,c1,,4,,报送4篇")}
    )
    assert errors(prepared) == []
    assert firsts(warnings(prepared)) == [
        "results/t/entries.csv:2:2: 警告：指标 c1 规则 a 对党委没有规定目标次数，这一行不计分"
    ]
    assert prepared.outcomes["t"].by_unit()["u1"].score.total == D(100)


def test_shortfall_counts_may_be_fractions_of_hours(ran: Run) -> None:
    rubric = rubric_text(
        "indicators:\n  - {id: c1, title: 培训, points: 100, rules: [{kind: shortfall, target: 32, deduct: 2, unit: "
        "小时}]}\n"
    )
    prepared = ran(
        rubric,
        {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv("u1,c1,,31.5,,培训31.5小时")},
    )
    assert errors(prepared) == []
    assert prepared.outcomes["t"].by_unit()["u1"].score.total == D(98)


def test_overdue_amount_must_agree_with_the_months(ran: Run) -> None:
    rubric = rubric_text(
        "indicators:\n  - {id: c1, title: 换届, points: 5, rules: [{kind: overdue, per: 1, whole_item_at: 6}]}\n"
        "  - {id: c2, title: 其他, points: 95, rules: [{kind: range}]}\n"
    )
    good = ran(
        rubric, {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv("u1,c1,,7,5,超期7个月")}
    )
    assert errors(good) == []
    bad = ran(
        rubric, {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv("u1,c1,,3,2,超期3个月")}
    )
    assert firsts(errors(bad)) == [
        "results/t/entries.csv:2:5: 错误：指标 c1 规则 a：超期 3 个月应扣 3 分，但扣分写的是 2 分"
    ]


def test_a_year_begun_but_not_yet_assessed_publishes_its_standards_only(ran: Run) -> None:
    # kaoping new copies the registry with every status cleared: no records yet is not an error.
    rubric = rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n")
    prepared = ran(rubric, {"units.csv": units_csv("u1,一支部,branch,", "u2,二支部,branch,")})
    assert errors(prepared) == []
    assert firsts(warnings(prepared)) == ["results/t: 警告：考核 t 还没有任何考核记录，本次只发布考核标准"]
    assert "t" not in prepared.outcomes
    # One record makes it an assessment in progress: every other unit must then be accounted for.
    started = ran(
        rubric,
        {
            "units.csv": units_csv("u1,一支部,branch,", "u2,二支部,branch,"),
            "entries.csv": entries_csv("u1,c1,,,1,扣分"),
        },
    )
    assert firsts(errors(started)) == [
        "results/t/units.csv:3:1: 错误：单位 u2（二支部）没有任何考核记录，也没有写明考核状态"
    ]


BONUS_RUBRIC = rubric_text(
    """
    indicators:
      - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}
    bonus:
      items:
        - id: honours
          title: 荣誉
          same_subject_once: true
          levels:
            - {id: national, name: 国家级, points: 5}
            - {id: province, name: 省级, points: 3}
            - {id: media, name: 媒体宣传, points: 0.5, per_occurrence: true}
    """
)


def test_a_bonus_count_of_zero_is_refused_not_read_as_one(ran: Run) -> None:
    prepared = ran(
        BONUS_RUBRIC,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "bonus.csv": csv_text("unit,bonus,level,count,subject", "u1,honours,媒体宣传,0,经验宣传"),
        },
    )
    assert firsts(errors(prepared)) == ["results/t/bonus.csv:2:4: 错误：次数应为正整数，这里是 0"]


def test_the_same_subject_whatever_its_punctuation_counts_once(ran: Run) -> None:
    prepared = ran(
        BONUS_RUBRIC,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "bonus.csv": csv_text(
                "unit,bonus,level,subject", "u1,honours,国家级,文明单位（2017）", "u1,honours,省级,文明单位(2017)"
            ),
        },
    )
    assert errors(prepared) == []
    assert prepared.outcomes["t"].by_unit()["u1"].score.bonus.total == D(5)


@pytest.mark.parametrize(("value", "expected"), [("0", "0"), ("1.5", "1.5")])
def test_a_missing_element_count_must_be_a_positive_whole_number(ran: Run, value: str, expected: str) -> None:
    rubric = rubric_text(
        "indicators:\n  - {id: c1, title: 活动室, points: 100, rules: [{kind: per_element, per: 2}]}\n"
    )
    prepared = ran(
        rubric, {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv(f"u1,c1,,{value},,缺项")}
    )
    assert firsts(errors(prepared)) == [
        f"results/t/entries.csv:2:4: 错误：指标 c1 规则 a 的缺项数应为正整数，这里是 {expected}"
    ]


def test_element_names_match_whatever_the_width_of_their_punctuation(ran: Run) -> None:
    rubric = rubric_text(
        "indicators:\n  - {id: c1, title: 活动室, points: 100, rules: [{kind: per_element, per: 0.5, elements: "
        "[活动室（阵地）, 党旗]}]}\n"
    )
    prepared = ran(
        rubric,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "entries.csv": entries_csv("u1,c1,,活动室(阵地),,没有活动室"),
        },
    )
    assert errors(prepared) == []
    rule = find(prepared.outcomes["t"].by_unit()["u1"].score.categories, "c1").rules[0]
    assert rule.findings[0].elements == ("活动室（阵地）",) and rule.lost == D("0.5")


def test_discretionary_amounts_under_a_rate_are_limited_in_total(ran: Run) -> None:
    rubric = rubric_text(
        "indicators:\n  - {id: c1, title: 会议, points: 100, rules: [{kind: rate, threshold: 80%, min: 1, max: 2, "
        "measure: 与会率}]}\n"
    )
    prepared = ran(
        rubric,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "entries.csv": entries_csv("u1,c1,,70%,2,三月", "u1,c1,,60%,2,六月"),
        },
    )
    assert firsts(errors(prepared)) == [
        "results/t/entries.csv:3:1: 错误：单位 u1 指标 c1 规则 a 与会率低于标准的酌情扣分合计 4 分，超过 2 分"
    ]


@pytest.mark.parametrize(("unit", "ok"), [("次", False), ("小时", True)])
def test_shortfall_counts_are_whole_except_for_measures_of_time(ran: Run, unit: str, ok: bool) -> None:
    rubric = rubric_text(
        f"indicators:\n  "
        f"- {{id: c1, title: 甲, points: 100, rules: [{{kind: shortfall, target: 4, per: 1, unit: {unit}}}]}}\n"
    )
    prepared = ran(
        rubric, {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv("u1,c1,,2.5,,完成2.5")}
    )
    assert (errors(prepared) == []) is ok


def test_an_award_to_a_unit_not_assessed_is_an_error(ran: Run) -> None:
    rubric = rubric_text(
        "indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n"
        "grading: {method: threshold, bands: [{grade: pass, min: 60}, {grade: fail}], advanced: decision}\n"
    )
    prepared = ran(
        rubric,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核", "u2,二支部,branch,不参加考核"),
            "awards.csv": csv_text("unit,grade", "u2,先进单位"),
        },
    )
    assert firsts(errors(prepared)) == ["results/t/awards.csv:2:1: 错误：单位 u2 本年度不参加考核，不能评定为先进单位"]
