"""Where every part of a rubric comes from: 原文, 补充 or 解读, checked, counted, refused in strict mode.

Valid and invalid rubrics side by side; then the bundled rubrics against their source documents: every
passage a rubric calls 原文 or 解读 must be found, word for word, in the document it was written from.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import AID, D, errors, rubric_from_yaml, rubric_text, units_csv, warnings, write_project

from generator.cli import main as cli_main
from generator.data.check import check_rubric
from generator.data.load import load_rubric
from generator.data.problems import Problems
from generator.data.provenance import report_lines
from generator.engine.origin import FILLED, READING, SOURCE
from generator.engine.provenance import passage, provenance
from generator.engine.provenance_counts import count

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "sources"


def check(text: str) -> Problems:
    problems = Problems()
    check_rubric(rubric_from_yaml(text), problems)
    return problems


def body(nodes: str, top: str = "") -> str:
    """A rubric: ``top`` (document, origin …) before the unit types, ``nodes`` as its indicators."""
    return top + rubric_text(nodes)


DOCUMENT = "document: {title: 示例办法}\n"
ONE = "indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]%s}\n"


# --------------------------------------------------------------------------------------------
# The check: valid and invalid rubrics side by side
# --------------------------------------------------------------------------------------------

VALID = [
    pytest.param(body(ONE % ""), id="no document: the rubric is its own original"),
    pytest.param(body(ONE % "", DOCUMENT + "origin: 原文\n"), id="document with a rubric-wide origin"),
    pytest.param(
        body(ONE % ", origin: 原文", DOCUMENT + "origin: 补充\n"),
        id="a part overrides the rubric's origin (its title is the passage)",
    ),
    pytest.param(
        body(ONE % ", origin: 补充, note: 原文缺失，示例", DOCUMENT + "origin: 原文\n"), id="补充 with its note"
    ),
    pytest.param(
        body(ONE % ", origin: 解读, quote: 甲, reading: 理解为乙", DOCUMENT + "origin: 原文\n"),
        id="解读 with passage and reading",
    ),
    pytest.param(body(ONE % ", field_origin: {points: 补充}, note: 分值缺失", "origin: 原文\n"), id="one field 补充"),
    pytest.param(
        body(ONE % ", field_origin: {title: 解读}, quote: 甲乙, reading: 甲乙即甲", "origin: 原文\n"),
        id="one field 解读",
    ),
]

INVALID = [
    pytest.param(
        body(ONE % "", DOCUMENT),
        [
            "单位类型 branch「党支部」的来源无法确定",
            "计分默认值的来源无法确定",
            "指标 c1「甲」的来源无法确定",
            "指标 c1 规则的来源无法确定",
        ],
        id="document without origins: every part but the document itself",
    ),
    pytest.param(
        body(ONE % ", origin: 补充", DOCUMENT + "origin: 原文\n"),
        ["指标 c1「甲」标为补充，但没有说明"],
        id="补充 without note",
    ),
    pytest.param(
        body(ONE % ", origin: 解读, quote: 甲", DOCUMENT + "origin: 原文\n"),
        ["指标 c1「甲」标为解读，但没有写考核办公室的理解"],
        id="解读 without reading",
    ),
    pytest.param(
        body(ONE % ", origin: 原文, field_origin: {title: 补充}, note: 名称是概括的", DOCUMENT + "origin: 原文\n"),
        ["指标 c1「甲」标为原文，但没有摘录原文"],
        id="原文 whose only text is marked filled",
    ),
    pytest.param(
        body(ONE % ", field_origin: {pionts: 补充}, note: x", "origin: 原文\n"),
        ["指标 c1「甲」的 field_origin 中没有「pionts」这个键"],
        id="field_origin names no field",
    ),
    pytest.param(
        body(ONE % ", field_origin: {note: 补充}, note: x", "origin: 原文\n"),
        ["指标 c1「甲」的 field_origin 中没有「note」这个键"],
        id="field_origin names a provenance key",
    ),
]


@pytest.mark.parametrize("text", VALID)
def test_valid_provenance_has_nothing_to_report(text: str) -> None:
    assert [str(p) for p in check(text)] == []


@pytest.mark.parametrize(("text", "expected"), INVALID)
def test_invalid_provenance_is_refused_where_it_is_written(text: str, expected: list[str]) -> None:
    found = [m.split(" 错误：")[1].split("\n")[0] for m in errors(check(text))]
    assert found == expected
    assert all(m.startswith("rubrics/t.yml:") for m in errors(check(text)))


def test_an_unknown_origin_word_is_refused_by_the_reader() -> None:
    problems = Problems()
    from generator.data.load import read_rubric_text

    read_rubric_text(body(ONE % ", origin: 补全"), "rubrics/t.yml", problems)
    assert any("不能是「补全」" in m and "`原文`、`补充`、`解读`" in m for m in errors(problems))


def test_a_reading_without_anything_read_is_a_warning() -> None:
    text = body(ONE % ", reading: 多写的理解", "origin: 原文\n")
    assert [m.split(" 警告：")[1].split("\n")[0] for m in warnings(check(text))] == [
        "指标 c1「甲」写了 reading，但来源不是解读"
    ]


# --------------------------------------------------------------------------------------------
# Inheritance
# --------------------------------------------------------------------------------------------

TREE = """\
origin: 原文
document: {title: 示例办法}
id: t
title: 测试细则
year: 2017
issuer: 测试机关
unit_types:
  - {id: branch, name: 党支部, full_marks: 100}
defaults: {item_floor: 0}
indicators:
  - id: c1
    title: 甲
    points: 60
    origin: 补充
    note: 原文缺失
    children:
      - {id: "1", title: 乙, points: 60, rules: [{kind: fixed, deduct: 2, text: 扣2分}]}
  - id: c2
    title: 丙
    points: 40
    field_origin: {points: 补充}
    note: 分值缺失
    rules: [{id: a, kind: per_occurrence, per: 1, text: 每次扣1分, field_origin: {per: 补充}, note: 扣分缺失}]
grading:
  method: threshold
  standard: 总分在分以上为达标
  field_origin: {bands: 补充}
  note: 分数线缺失
  bands:
    - {grade: pass, min: 85}
    - {grade: fail}
"""


def test_parts_inherit_from_their_parent_and_from_a_marked_field() -> None:
    rubric = rubric_from_yaml(TREE)
    assert [str(p) for p in check(TREE)] == []
    prov = provenance(rubric)
    c1, c2 = rubric.indicators
    child = c1.children[0]
    assert prov.origin(child) == FILLED and prov.origin(child.rules[0]) == FILLED
    mark = prov.mark(child)
    assert mark is not None and mark.short == "补" and mark.text == "原文缺失"  # said where it was decided
    assert prov.origin(c2) == SOURCE and prov.origin(c2, "points") == FILLED and prov.origin(c2, "title") == SOURCE
    assert prov.field_mark(c2, "points") is not None and prov.field_mark(c2, "title") is None
    assert prov.origin(c2.rules[0], "per") == FILLED and prov.origin(c2.rules[0]) == SOURCE
    assert rubric.grading is not None
    assert all(prov.origin(b) == FILLED for b in rubric.grading.bands)  # {bands: 补充} carries down
    assert rubric.grading_illustrative


def test_counts_give_parts_and_points_by_origin() -> None:
    c = count(rubric_from_yaml(TREE))
    # document, defaults, c1, 1, its rule, c2, its rule, grading, 2 bands (unit type: 原文 by the rubric), and
    # the ranking TREE leaves out: the program's default, 补充
    assert c.parts == {SOURCE: 6, FILLED: 6, READING: 0}
    assert c.fields == {SOURCE: 0, FILLED: 3, READING: 0}  # c2 points, its rule's per, grading's bands
    assert c.points == (("branch", D(100), {SOURCE: D(0), FILLED: D(100), READING: D(0)}),)
    lines = report_lines(rubric_from_yaml(TREE))
    assert lines[0] == "t：各部分 12 处（原文 6，补充 6，解读 0）；另有单项标注（补充 3）"
    assert lines[1] == "  党支部：指标 100 分（原文 0 分，补充 100 分，解读 0 分）"


def test_points_follow_children_only_where_they_add_up() -> None:
    text = TREE.replace("points: 60\n    origin: 补充", "points: 60\n    field_origin: {title: 补充}")
    rubric = rubric_from_yaml(text)
    by_origin = count(rubric).points[0][2]
    assert by_origin == {SOURCE: D(60), FILLED: D(40), READING: D(0)}


# --------------------------------------------------------------------------------------------
# Strict mode: an office's real year has nothing filled in and no sample data
# --------------------------------------------------------------------------------------------

STRICT_RUBRIC = rubric_text(
    """\
    indicators:
      - {id: c1, title: 甲, points: 60, rules: [{kind: range}]}
      - {id: c2, title: 乙, points: 40, rules: [{kind: range}], field_origin: {points: 补充}, note: 分值是补充的}
    """
)
CLEAN_RUBRIC = rubric_text(
    """\
    indicators:
      - {id: c1, title: 甲, points: 60, rules: [{kind: range}]}
      - {id: c2, title: 乙, points: 40, rules: [{kind: range}]}
    """
)
UNITS = units_csv("u1,一支部,branch,已考核")


@pytest.mark.parametrize(
    ("rubric", "readme", "code", "expected"),
    [
        pytest.param(CLEAN_RUBRIC, "# 说明\n", 0, [], id="real rubric, real results"),
        pytest.param(
            STRICT_RUBRIC,
            "# 说明\n",
            1,
            ["rubrics/t.yml:11:5: 错误：指标 c2「乙」的 points 是补充的：分值是补充的"],
            id="a filled field",
        ),
        pytest.param(
            CLEAN_RUBRIC,
            "# 结果\n\n示例数据：全部是虚构的。\n",
            1,
            ["results/t/README.md:3: 错误：考核结果标明是示例数据（示例数据）"],
            id="sample results",
        ),
    ],
)
def test_strict_refuses_filled_parts_and_sample_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rubric: str, readme: str, code: int, expected: list[str]
) -> None:
    write_project(tmp_path, rubric, {"units.csv": UNITS, "README.md": readme})
    assert cli_main(["--root", str(tmp_path), "check"]) == 0  # without --strict everything passes
    capsys.readouterr()
    assert cli_main(["--root", str(tmp_path), "check", "--strict"]) == code
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if " 错误：" in line] == expected


def test_strict_reports_the_datas_warnings_and_its_own_errors_in_one_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warning in the data (a unit name Excel would run as a formula) and a filled field: one list, one count,
    and the words of --strict at the end."""
    write_project(tmp_path, STRICT_RUBRIC, {"units.csv": units_csv("u1,=一支部,branch,已考核")})
    assert cli_main(["--root", str(tmp_path), "check", "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.count("共 ") == 1 and "共 1 个错误，1 个警告。" in err, err
    assert err.rstrip().endswith("按正式考核的要求（--strict）检查未通过：细则中有补充的内容，或考核结果是示例数据。")


def test_check_prints_the_counts_of_every_rubric(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, STRICT_RUBRIC, {"units.csv": UNITS})
    assert cli_main(["--root", str(tmp_path), "check"]) == 0
    out = capsys.readouterr().out
    assert f"  {AID}：各部分 6 处（原文 6，补充 0，解读 0）；另有单项标注（补充 1）" in out
    assert "    党支部：指标 100 分（原文 60 分，补充 40 分，解读 0 分）" in out


# --------------------------------------------------------------------------------------------
# The bundled rubrics against their source documents
# --------------------------------------------------------------------------------------------

#: Which source document each bundled rubric was written from.
SOURCE_OF = {
    "changde-2012": "000_7034fcb51ae7acd0.txt",
    "luoyang-2013": "001_ddcfb7acedc95f79.txt",
    "gongshang-2005": "002_ad56677a71792a36.txt",
    "wujin-2017": "003_2c57cc07a92d7f7b.txt",
    "zonghe-2019": "004_6499e322e675d64b.txt",
    "zonghe-2020": "004_6499e322e675d64b.txt",
}


def normalised(text: str) -> str:
    """Text compared without whitespace (the documents break lines and cells anywhere, even inside a word),
    and without the page marks ``1、`` … ``6、`` a web copy put at the start of its lines (002)."""
    text = re.sub(r"(?m)^[1-9]、", "", text)
    return "".join(ch for ch in text if not ch.isspace())


def bundled() -> list[str]:
    return sorted(p.stem for p in (ROOT / "rubrics").glob("*.yml"))


def test_every_bundled_rubric_has_its_source_document() -> None:
    assert set(bundled()) == set(SOURCE_OF)
    if not SEEDS.is_dir():
        pytest.fail(f"找不到原文件目录 {SEEDS}")


@pytest.mark.parametrize("rid", sorted(SOURCE_OF))
def test_every_quoted_passage_is_in_the_source_document(rid: str) -> None:
    seed = normalised((SEEDS / SOURCE_OF[rid]).read_text(encoding="utf-8"))
    problems = Problems()
    rubric = load_rubric(ROOT / "rubrics" / f"{rid}.yml", ROOT, problems)
    assert rubric is not None, [str(p) for p in problems]
    checked = 0
    missing = []
    for entry in provenance(rubric).parts:
        if entry.origin not in (SOURCE, READING) or not entry.written:
            continue
        for text in passage(entry.obj):
            for line in (x for x in text.split("\n") if x.strip()):
                checked += 1
                if normalised(line) not in seed:
                    missing.append(f"{entry.loc} {entry.label}：{line}")
    assert not missing, "这些文字标为原文或解读，但原文件中没有：\n" + "\n".join(missing)
    if rubric.origin != FILLED:  # an invented year (补充 throughout) keeps only its document and its readings
        assert checked >= 30, f"{rid} 只核对了 {checked} 段原文"


def test_an_invented_passage_would_be_caught() -> None:
    """The comparison is not vacuous: a word changed in a quoted passage is not found."""
    seed = normalised((SEEDS / SOURCE_OF["changde-2012"]).read_text(encoding="utf-8"))
    assert normalised("每年深入联系点2次以上。") in seed
    assert normalised("每年深入联系点3次以上。") not in seed
    assert normalised("党建工作机制建设") in seed  # a category split over lines in the document


@pytest.mark.parametrize("rid", sorted(SOURCE_OF))
def test_every_bundled_rubric_names_its_document_and_no_file(rid: str) -> None:
    text = (ROOT / "rubrics" / f"{rid}.yml").read_text(encoding="utf-8")
    rubric = load_rubric(ROOT / "rubrics" / f"{rid}.yml", ROOT, Problems())
    assert rubric is not None and rubric.document is not None and rubric.document.title
    assert SOURCE_OF[rid] not in text and ".txt" not in text


def test_bundled_counts_are_what_the_report_says() -> None:
    """The figures the report to the office quotes, per rubric (parts, then indicator points by origin)."""
    got = {}
    for rid in bundled():
        rubric = load_rubric(ROOT / "rubrics" / f"{rid}.yml", ROOT, Problems())
        assert rubric is not None
        c = count(rubric)
        got[rid] = (c.parts[SOURCE], c.parts[FILLED], c.parts[READING], {t: v[FILLED] for t, _, v in c.points})
    assert got["zonghe-2020"][3] == {
        "county": Decimal("122.5"),
        "urban_district": Decimal("122.5"),
        "urban_no_township": Decimal("124"),
        "city_unit": Decimal(100),
    }
    assert got["zonghe-2019"][0] == 1  # the invented year is 补充 throughout, but for its source document
    assert got["gongshang-2005"][3] == {"branch": Decimal(100)}  # every number of 002 was lost
    assert got["changde-2012"][3] == dict.fromkeys(("committee", "general_branch", "branch", "organ"), Decimal(0))
