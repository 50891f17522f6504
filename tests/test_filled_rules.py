"""What an office fills in where its document is silent (补充) is said to be filled in, never an example.

An office adopting kaoping for its real assessment writes its rubric from its document, marks its own grade
cut-offs ``origin: 补充`` with the note that binds them, and publishes real results. Every page that shows
them says they were filled in by the office (and keeps the 补 mark and the note where they are shown), none
calls them examples or says they are only for reference: whether results are sample data is said apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import AID, entries_csv, rendered_docs, units_csv, write_project

from generator.site import paths
from generator.site.views.origin import GRADING_FILLED, grade_rests_on_filled, grading_note

NOTE = "分数线由本办公室补充"
RUBRIC = f"""\
id: {AID}
title: 测试细则
year: 2017
issuer: 测试机关
document: {{title: 测试机关党建工作考核办法}}
origin: 原文
unit_types:
  - {{id: branch, name: 党支部, full_marks: 100}}
defaults: {{item_floor: 0}}
indicators:
  - {{id: c1, title: 组织生活, points: 60, rules: [{{kind: per_occurrence, per: 1, text: 每次扣1分}}]}}
  - id: c2
    title: 党员管理
    points: 40
    rules: [{{kind: range}}]
    field_origin: {{points: 补充}}
    note: 分值由本办公室补充
ranking:
  within: all
  quote: 按综合得分排名
grading:
  method: threshold
  standard: 考核结果分为达标、不达标两个等次。
  origin: 补充
  note: {NOTE}
  bands:
    - {{grade: pass, min: 90}}
    - {{grade: fail}}
"""
NOTICE = """\
issuer: 测试机关
title: 关于2017年度党建工作考核结果的通报
recipients: 各党支部：
date: 2018-01-20
"""
FILES = {
    "units.csv": units_csv("u1,第一党支部,branch,已考核", "u2,第二党支部,branch,已考核"),
    "entries.csv": entries_csv("u1,c1,,3,,三次未按时报送"),
    "notice.yml": NOTICE,
    "README.md": "# 2017年度考核结果\n\n由考核办公室录入，经工委会议审定。\n",
}
PAGES = {
    "unit": paths.unit_page(AID, "u1"),
    "results": paths.page(AID, "results"),
    "notice": paths.page(AID, "notice"),
    "standards": paths.page(AID, "standards"),
}
#: What no page may call the office's own filled-in rules.
NOT_SAID = ("示例", "仅供参考", "供参考")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_docs(tmp_path_factory.mktemp("filled"), RUBRIC, FILES)


def page(built: Path, kind: str) -> str:
    return (built / PAGES[kind]).read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", list(PAGES))
def test_filled_in_rules_are_never_called_examples(built: Path, kind: str) -> None:
    text = page(built, kind)
    assert "kp-mark--filled" in text, kind  # what was filled in is still marked
    for words in NOT_SAID:
        assert words not in text, (kind, words)


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("unit", GRADING_FILLED),
        ("unit", "等次按补充的规则评定：原文件没有（完整）规定等次的评定办法，由考核办公室补充"),
        ("results", "等次按补充的规则评定"),
        ("results", "：原文件没有（完整）规定等次评定办法，由考核办公室补充，见考核标准的“等次评定”。"),
        ("results", "这些单位的综合得分、名次和等次都依赖这些补充的分值。"),
        ("notice", "本通报的等次按补充的规则评定"),
        ("notice", "：原文件没有（完整）规定等次评定办法，由考核办公室补充。"),
        ("notice", NOTE),
        ("standards", "原文件没有（完整）规定等次评定办法，以下规则中有考核办公室补充的内容"),
        ("standards", NOTE),
    ],
)
def test_each_page_says_the_office_filled_them_in(built: Path, kind: str, said: str) -> None:
    assert said in page(built, kind)


def test_the_workbook_notes_say_so_too() -> None:
    from helpers import rubric_from_yaml

    rubric = rubric_from_yaml(RUBRIC)
    assert grading_note(rubric).startswith("等次按补充的规则评定：")
    assert grade_rests_on_filled(rubric, "branch") == (
        "本单位适用的 100 分指标中有 40 分是补充的（原文件没有规定，由考核办公室补充），"
        "综合得分、名次和等次都依赖这些分值。"
    )


# --------------------------------------------------------------------------------------------
# A rubric that leaves out ranking: the program's default is filled in (补充), marked and counted so
# --------------------------------------------------------------------------------------------

WRITTEN_RANKING = """\
ranking:
  within: all
  quote: 按综合得分排名
"""
#: The same rubric without its ranking block.
NO_RANKING = RUBRIC.replace(WRITTEN_RANKING, "")
#: u1 and u2 tie (both lose 3 points): the unit page cites the ranking rule for a tie.
TIED = {**FILES, "entries.csv": entries_csv("u1,c1,,3,,三次未按时报送", "u2,c1,,3,,三次未按时报送")}


@pytest.fixture(scope="module")
def defaulted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_docs(tmp_path_factory.mktemp("defaulted"), NO_RANKING, TIED)


def test_a_left_out_ranking_is_the_programs_default_filled_in() -> None:
    from helpers import rubric_from_yaml

    from generator.engine.origin import FILLED
    from generator.engine.provenance import PROGRAM_DEFAULTS, provenance

    rubric = rubric_from_yaml(NO_RANKING)
    mark = provenance(rubric).mark(rubric.ranking)
    assert mark is not None and mark.origin == FILLED and mark.text == PROGRAM_DEFAULTS["ranking"]
    assert "联络组内排名" in mark.text and "名次并列，其后名次顺延" in mark.text
    written = rubric_from_yaml(RUBRIC)
    assert provenance(written).mark(written.ranking) is None  # written with its origin: the document's


def test_the_check_counts_it_among_the_filled_parts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    write_project(tmp_path / "written", RUBRIC, FILES)
    write_project(tmp_path / "left-out", NO_RANKING, FILES)
    assert main(["--root", str(tmp_path / "written"), "check"]) == 0
    assert f"  {AID}：各部分 11 处（原文 8，补充 3，解读 0）；另有单项标注（补充 1）" in capsys.readouterr().out
    assert main(["--root", str(tmp_path / "left-out"), "check"]) == 0
    # the ranking the rubric no longer writes is still one part, now 补充
    assert f"  {AID}：各部分 11 处（原文 7，补充 4，解读 0）；另有单项标注（补充 1）" in capsys.readouterr().out
    assert main(["--root", str(tmp_path / "left-out"), "check", "--strict"]) == 1
    assert f"rubrics/{AID}.yml:1:1: 错误：排名是补充的内容：细则没有写排名办法（ranking）" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["standards", "notice", "unit"])
def test_pages_mark_the_default_ranking_with_its_note(defaulted: Path, kind: str) -> None:
    from generator.engine.provenance import PROGRAM_DEFAULTS

    text = (defaulted / PAGES[kind]).read_text(encoding="utf-8")
    note = PROGRAM_DEFAULTS["ranking"]
    # the unit page says it in the reason for its tied rank, the others beside a 补 mark
    tied = f"名次并列：得分相同的单位名次并列，其后名次顺延（补充：{note}）"
    said = tied if kind == "unit" else f'title="补充：{note}">补'
    assert said in text, kind


def test_the_standards_page_marks_the_ranking_line(defaulted: Path, built: Path) -> None:
    line = '<li>名次：得分相同的单位名次并列，其后名次顺延。<span class="kp-mark kp-mark--filled"'
    assert line in (defaulted / PAGES["standards"]).read_text(encoding="utf-8")
    assert "<li>名次：得分相同的单位名次并列，其后名次顺延。</li>" in page(built, "standards")


def test_a_rubric_without_a_document_is_its_own_original() -> None:
    from helpers import rubric_from_yaml

    from generator.engine.provenance import provenance

    own = "\n".join(line for line in NO_RANKING.splitlines() if not line.startswith(("document:", "origin:")))
    rubric = rubric_from_yaml(own + "\n")
    assert provenance(rubric).mark(rubric.ranking) is None
