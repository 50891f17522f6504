"""考核结果运用 as rubric data: triggers by place from the bottom of a pool, by grade, by years running."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import csv_text, errors, parse_rubric, rubric_text, run, score

from generator.data.check import check_rubric
from generator.data.pipeline import prepare
from generator.engine.consequences import streak
from generator.engine.wording import words
from generator.site.views.notice import notice_context
from generator.site.yeardownloads import consequence_frame, write_year_downloads
from generator.site.yearpaths import year_downloads

TYPES = """\
unit_types:
  - {id: county, name: 县, full_marks: 100}
  - {id: city, name: 市直单位, full_marks: 100}
"""


def rubric(year: int = 2020, consequences: str = "") -> str:
    body = f"""
    indicators:
      - {{id: c1, title: 工作, points: 100, rules: [{{kind: range}}]}}
    ranking:
      within: pools
      pools:
        - id: county
          name: 县（市、区）
          unit_types: [county]
          advanced_top: 1
          fail_bottom: 1
          fail_at_or_below: 90
        - {{id: city, name: 市直单位, unit_types: [city], advanced_top: 1}}
    grading:
      method: rank
      advanced: rank
    consequences:
      - text: 县(市、区)党建考核后2位的、市直单位党建考核后1位的,绩效考核等次不得确定为先进单位。
        effect: 绩效考核等次不得确定为先进单位
        triggers:
          - {{pools: [county], bottom: 2}}
          - {{pools: [city], bottom: 1}}
      - text: 被确定为"未达标"的，约谈提醒，责令整改。
        effect: 约谈提醒，责令整改
        triggers: [{{grades: [fail]}}]
      - text: 连续两年被确定为"未达标"的，对主要领导进行组织调整。
        effect: 对主要领导进行组织调整
        triggers: [{{grades: [fail], consecutive_years: 2}}]
      - text: 考核结果上报市绩效办。
    {consequences}
    """
    text = rubric_text(body, types=TYPES).replace("year: 2017", f"year: {year}\nseries: s")
    return text


UNITS = csv_text(
    "id,name,type,status",
    "x1,甲县,county,已考核",
    "x2,乙县,county,已考核",
    "x3,丙县,county,已考核",
    "x4,丁县,county,已考核",
    "s1,市一局,city,已考核",
    "s2,市二局,city,已考核",
)


def entries(amounts: dict[str, int]) -> str:
    return csv_text("unit,item,amount,reason", *(f"{u},c1,{a},扣分" for u, a in amounts.items() if a))


def test_consequences_apply_by_place_from_the_bottom_and_by_grade(tmp_path: Path) -> None:
    # 县: x1 99, x2 95, x3 95 (tied), x4 80 (last and ≤ 90: 未达标); 市直: s1 98, s2 96.
    outcome = score(
        tmp_path,
        rubric(),
        {"units.csv": UNITS, "entries.csv": entries({"x1": 1, "x2": 5, "x3": 5, "x4": 20, "s1": 2, "s2": 4})},
    )
    assert outcome.year is not None
    units = outcome.year.units.items()
    got = {uid: [(c.effect, words(c.why)) for c in y.consequences] for uid, y in units if y.consequences}
    assert got == {
        # x2 and x3 share 2nd place from the bottom: both are among the last 2.
        "x2": [("绩效考核等次不得确定为先进单位", "县（市、区）倒数第 2 名（后 2 名）")],
        "x3": [("绩效考核等次不得确定为先进单位", "县（市、区）倒数第 2 名（后 2 名）")],
        "x4": [
            ("绩效考核等次不得确定为先进单位", "县（市、区）倒数第 1 名（后 2 名）"),
            ("约谈提醒，责令整改", "等次为未达标"),
        ],
        "s2": [("绩效考核等次不得确定为先进单位", "市直单位倒数第 1 名（后 1 名）")],
    }
    # The consequences do not change this assessment's grades.
    assert outcome.by_unit()["x2"].standing.label == "达标"
    frame = consequence_frame(outcome)
    assert list(frame["单位"]) == ["乙县", "丙县", "丁县", "丁县", "市二局"]
    assert list(frame["名次"]) == [2, 2, 4, 4, 2]


def test_two_years_running_needs_both_years_of_the_series(tmp_path: Path) -> None:
    fail, fine = entries({"x4": 20}), entries({"x4": 5})  # 80: last and below 90 (未达标); 95: above the floor
    (tmp_path / "rubrics").mkdir(parents=True)
    for year, data in ((2018, fail), (2019, fine), (2020, fail), (2021, fail)):
        (tmp_path / "rubrics" / f"t{year}.yml").write_text(
            rubric(year).replace("id: t\n", f"id: t{year}\n"), encoding="utf-8"
        )
        folder = tmp_path / "results" / f"t{year}"
        folder.mkdir(parents=True)
        (folder / "units.csv").write_text(UNITS, encoding="utf-8")
        (folder / "entries.csv").write_text(data, encoding="utf-8")
    prepared = prepare(tmp_path)
    assert not prepared.problems.has_errors(), [str(p) for p in prepared.problems.errors]

    def effects(aid: str) -> list[str]:
        year = prepared.outcomes[aid].year
        assert year is not None
        return [f"{c.effect}：{words(c.why)}" for c in year.of("x4").consequences if "先进" not in c.effect]

    assert effects("t2018") == ["约谈提醒，责令整改：等次为未达标"]
    assert effects("t2019") == []
    assert effects("t2020") == ["约谈提醒，责令整改：等次为未达标"], "2019 年达标：连续未达标从 2020 年重新算起"
    assert effects("t2021") == ["约谈提醒，责令整改：等次为未达标", "对主要领导进行组织调整：连续 2 年为未达标"]


def test_streak_counts_only_years_running() -> None:
    assert streak("fail", 2020, [(2019, "fail"), (2018, "fail")], ["fail"]) == 3
    assert streak("fail", 2020, [(2018, "fail")], ["fail"]) == 1
    assert streak("pass", 2020, [(2019, "fail")], ["fail"]) == 0


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("  - {text: 空, triggers: [{}]}", "结果运用的适用条件是空的"),
        ("  - {text: 零, triggers: [{bottom: 0}]}", "bottom 应是不小于 1 的整数"),
        (
            "  - {text: 连续, triggers: [{bottom: 1, consecutive_years: 2}]}",
            "consecutive_years 须与 grades 同用，且不小于 1",
        ),
        ("  - {text: 组, triggers: [{pools: [town], bottom: 1}]}", "排名组「town」不在 ranking.pools 中"),
    ],
)
def test_consequence_triggers_that_are_refused(extra: str, expected: str) -> None:
    found, problems = parse_rubric(rubric(consequences=extra))
    assert found is not None, [str(p) for p in problems]
    check_rubric(found, problems)
    assert expected in [p.message for p in problems.errors]


def test_the_notice_annex_lists_the_consequences(tmp_path: Path) -> None:
    notice = "issuer: 考核机关\ntitle: 通报\nrecipients: 各单位：\ndate: 2021-02-01\n"
    prepared = run(
        tmp_path, rubric(), {"units.csv": UNITS, "entries.csv": entries({"x4": 20, "s2": 4}), "notice.yml": notice}
    )
    assert not errors(prepared)
    ctx = notice_context(prepared.outcomes["t"], prepared.project.notices["t"])
    assert dict(ctx.year.consequences)["约谈提醒，责令整改"] == ("丁县（等次为未达标）",)


def test_the_consequences_csv_keeps_a_name_from_being_a_formula(tmp_path: Path) -> None:
    units = UNITS.replace("丁县", '=HYPERLINK(""http://x"",""丁"")').replace(
        "x4,=HYPERLINK", 'x4,"=HYPERLINK'
    ).replace('丁"")', '丁"")"')
    outcome = score(tmp_path / "p", rubric(), {"units.csv": units, "entries.csv": entries({"x4": 20})})
    write_year_downloads(outcome, tmp_path / "docs")
    _xlsx, csv_file = year_downloads(outcome.rubric.id)
    rows = list(csv.reader(io.StringIO((tmp_path / "docs" / csv_file).read_bytes().decode("utf-8-sig"))))
    names = [r[0] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x\",\"丁\")" in names and not [n for n in names if n.startswith("=")], names
