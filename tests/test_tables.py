"""The results tables as offices produce them: encodings, headers, blank rows, quotes."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import errors, rubric_text, units_csv, warnings, write_project

from generator.data.csvread import decode, parse_table
from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Problems
from generator.data.tables import ENTRIES, UNITS, normalize_header, table_for_file
from generator.engine.results import Row

FILE = "results/t/entries.csv"
CHINESE = "单位代码,指标编号,规则,情况,扣分,扣分原因\r\nu1,1,,2,,少开两次支委会\r\n"


def parse(data: bytes, table=ENTRIES) -> tuple[list[Row], Problems]:  # type: ignore[no-untyped-def]
    problems = Problems()
    rows = parse_table(data, FILE, table, problems)
    return rows, problems


def cells(rows: list[Row]) -> list[dict[str, str]]:
    return [dict(r.cells) for r in rows]


EXPECTED = [{"unit": "u1", "item": "1", "rule": "", "value": "2", "amount": "", "reason": "少开两次支委会"}]


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("UTF-8", CHINESE.encode("utf-8"), "UTF-8"),
        ("UTF-8 with BOM", codecs.BOM_UTF8 + CHINESE.encode("utf-8"), "UTF-8（带 BOM）"),
        ("GBK", CHINESE.encode("gbk"), "GB18030"),
        ("GB18030", CHINESE.encode("gb18030"), "GB18030"),
        ("UTF-16 LE with BOM", CHINESE.encode("utf-16"), "UTF-16"),
        ("UTF-16 BE with BOM", codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), "UTF-16"),
    ],
)
def test_every_encoding_an_office_saves_in(name: str, data: bytes, encoding: str) -> None:
    assert decode(data) == (CHINESE, encoding)
    rows, problems = parse(data)
    assert [str(p) for p in problems] == []
    assert cells(rows) == EXPECTED


def test_gb18030_characters_beyond_gbk() -> None:
    # 䶮 (U+4DAE) is not in GBK; GB18030 stores it in four bytes.
    text = "单位代码,指标编号,情况,扣分原因\nu1,1,2,刘䶮同志未按期转接组织关系\n"
    rows, problems = parse(text.encode("gb18030"))
    assert [str(p) for p in problems] == []
    assert rows[0].get("reason") == "刘䶮同志未按期转接组织关系"


def test_excel_unicode_text_is_utf16_and_tab_separated() -> None:
    # Excel's 另存为 "Unicode 文本": UTF-16 LE with a BOM, cells separated by tabs.
    text = "单位代码\t指标编号\t规则\t情况\t扣分\t扣分原因\r\nu1\t1\t\t2\t\t少开两次支委会\r\n"
    rows, problems = parse(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert [str(p) for p in problems] == []
    assert cells(rows) == EXPECTED


def test_undecodable_bytes_are_located() -> None:
    data = "单位代码,指标编号,情况,扣分原因\nu1,1,2,原因\n".encode() + b"u2,1,2,\xff\xff\xff\n"
    rows, problems = parse(data)
    assert rows == []
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:3:8: 错误：文件是 UTF-8 编码，但从这里（第 8 个字）起有无法识别的字节，"
        "文件可能已损坏或混入了其他数据"
    ]


def test_bytes_that_are_neither_utf8_nor_gbk() -> None:
    rows, problems = parse(b"unit,item,value,reason\nu2,1,2,\xff\xff\xff\n")
    assert rows == []
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:2:8: 错误：无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）"
    ]


def test_a_gbk_line_in_a_utf8_file_is_placed_at_its_first_gbk_character() -> None:
    data = (
        "单位代码,指标编号,情况,扣分原因\nu1,1,2,原因\n".encode()
        + "u2,1,2,没有计划\n".encode("gbk")
        + "u3,1,2,原因\n".encode()
    )
    rows, problems = parse(data)
    assert rows == []
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:3:8: 错误：文件是 UTF-8 编码，但这一行（从第 8 个字起）是 GBK 编码："
        "多半是从另一个文件复制粘贴过来的"
    ]


def test_a_utf8_line_in_a_gbk_file_is_named() -> None:
    data = "单位代码,指标编号,情况,扣分原因\nu1,1,2,原因\n".encode("gbk") + "u2,1,2,计划\n".encode()
    rows, problems = parse(data)
    assert rows == []
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:3:8: 错误：文件是 GBK 编码，但这一行（从第 8 个字起）是 UTF-8 编码："
        "多半是从另一个文件复制粘贴过来的"
    ]


@pytest.mark.parametrize(
    "header",
    [
        "unit,item,rule,value,amount,reason",
        "单位代码,指标编号,规则,情况,扣分,扣分原因",
        "单位编号,指标,规则编号,次数,分数,原因",
        "UNIT,Item,Rule,VALUE,Amount,Reason",
        " 单位代码 ,指标 编号,规 则,情况,扣分,扣分原因 ",
        "*单位代码*,*指标编号*,规则,情况,扣分,*扣分原因*",
        "ｕｎｉｔ,ｉｔｅｍ,ｒｕｌｅ,ｖａｌｕｅ,ａｍｏｕｎｔ,ｒｅａｓｏｎ",
        "单位代码,指标编号,规则,情况,扣（得）分,扣分原因",
        "单位代码,指标编号,规则,情况,扣(得)分,扣分原因",
    ],
)
def test_chinese_english_spaced_and_full_width_headers(header: str) -> None:
    rows, problems = parse(f"{header}\nu1,1,,2,,少开两次支委会\n".encode())
    assert [str(p) for p in problems] == []
    assert cells(rows) == EXPECTED


def test_normalize_header() -> None:
    assert normalize_header(" 单位\u3000代码 ") == "单位代码"
    assert normalize_header("ＵＮＩＴ") == "unit"
    assert normalize_header("*扣分原因") == "扣分原因"


def test_unknown_header_is_a_warning_and_the_column_is_not_read() -> None:
    rows, problems = parse("单位代码,指标编号,情况,扣分原因,电话号码\nu1,1,2,原因,13900000000\n".encode())
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:1:5: 警告：表头「电话号码」不是扣分记录的列，本列不读取、不发布"
    ]
    assert "电话号码" not in rows[0].cells
    assert "13900000000" not in rows[0].cells.values()


def test_internal_columns_are_skipped_silently() -> None:
    rows, problems = parse("单位代码,指标编号,情况,扣分原因,内部意见,#草稿\nu1,1,2,原因,不发布,x\n".encode())
    assert [str(p) for p in problems] == []
    assert set(rows[0].cells) == {"unit", "item", "value", "reason"}


def test_missing_required_columns_are_all_listed() -> None:
    rows, problems = parse("单位代码,情况\nu1,2\n".encode())
    assert rows == []
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:1:1: 错误：扣分记录缺少必填列「指标编号」",
        "results/t/entries.csv:1:1: 错误：扣分记录缺少必填列「扣分原因」",
    ]


def test_two_headers_for_one_column() -> None:
    rows, problems = parse("单位代码,unit,指标编号,扣分原因\nu1,u1,1,原因\n".encode())
    assert rows == []
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:1:2: 错误：表头「unit」与第 1 列是同一列（单位代码）"
    ]


def test_blank_rows_are_skipped_and_lines_keep_counting() -> None:
    data = "\n单位代码,指标编号,情况,扣分原因\n\n,,,\nu1,1,2,原因\n \n".encode()
    rows, problems = parse(data)
    assert [str(p) for p in problems] == []
    assert len(rows) == 1
    assert str(rows[0].loc) == "results/t/entries.csv:5:1"
    assert str(rows[0].at("value")) == "results/t/entries.csv:5:3"


def test_quoted_newline_in_a_reason() -> None:
    data = '单位代码,指标编号,情况,扣分原因\nu1,1,2,"第一季度未开会；\n第二季度未开会"\nu1,2,1,原因\n'.encode()
    rows, problems = parse(data)
    assert [str(p) for p in problems] == []
    assert rows[0].get("reason") == "第一季度未开会；\n第二季度未开会"
    assert str(rows[0].loc) == "results/t/entries.csv:2:1"
    # The reason took two lines, so the next row starts on line 4.
    assert str(rows[1].loc) == "results/t/entries.csv:4:1"


def test_quoted_comma_stays_in_its_cell() -> None:
    rows, problems = parse('单位代码,指标编号,情况,扣分原因\nu1,1,2,"未学习，未记录"\n'.encode())
    assert [str(p) for p in problems] == []
    assert rows[0].get("reason") == "未学习，未记录"


def test_a_file_that_stops_inside_a_quote() -> None:
    data = '单位代码,指标编号,情况,扣分原因\nu1,1,2,原因\nu1,2,1,"未完\n'.encode()
    rows, problems = parse(data)
    assert len(rows) == 1
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:3: 错误：CSV 格式错误：文件在引号内结束（文件可能在一行中间被截断，或引号没有成对）"
    ]


def test_a_row_longer_than_the_header() -> None:
    rows, problems = parse("单位代码,指标编号,情况,扣分原因\nu1,1,2,未学习,未记录\n".encode())
    assert len(rows) == 1
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:2:5: 错误：这一行有 5 格，比表头（第 1 行）多"
    ]


def test_a_short_row_reads_missing_cells_as_empty() -> None:
    rows, problems = parse("单位代码,指标编号,情况,扣分原因\nu1,1\n".encode())
    assert [str(p) for p in problems] == []
    assert rows[0].get("reason") == ""
    assert str(rows[0].at("reason")) == "results/t/entries.csv:2:4"


@pytest.mark.parametrize("data", [b"", b"\n\n", "\ufeff".encode()])
def test_empty_file_has_no_header(data: bytes) -> None:
    rows, problems = parse(data)
    assert rows == []
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:1: 错误：文件是空的，没有表头（扣分记录）"
    ]


def test_a_nul_byte_is_placed_at_its_cell() -> None:
    rows, problems = parse(b"unit,item,value,reason\nu1,1\x00,2,x\n")
    # The row is read on without the character (so that it does not set off other errors); the error stops it.
    assert [r.cells["item"] for r in rows] == ["1"]
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:2:2: 错误：这一格的第 2 个字是 U+0000（空字符）：空字符不是文字；文件可能不是文本文件，"
        "或在复制时混入了二进制数据"
    ]


def test_units_table_headers() -> None:
    problems = Problems()
    rows = parse_table(
        "单位代码,单位名称,单位类型,联络组\nu1,一支部,党支部,第一组\n".encode("gbk"),
        "results/t/units.csv",
        UNITS,
        problems,
    )
    assert [str(p) for p in problems] == []
    assert dict(rows[0].cells) == {"id": "u1", "name": "一支部", "type": "党支部", "group": "第一组"}


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("entries.csv", "entries"),
        ("entries-第一组.csv", "entries"),
        ("ENTRIES_2.CSV", "entries"),
        ("units.csv", "units"),
        ("self_scores.csv", "self_scores"),
        ("awards.csv", "awards"),
        ("notes.csv", None),
        ("entries.xlsx", None),
        ("entries.txt", "entries"),
        ("entries_group.csv", "entries"),
        ("entriesx.csv", None),
        ("parts-平时.txt", "parts"),
        ("notes.txt", None),
    ],
)
def test_file_names(name: str, table: str | None) -> None:
    found = table_for_file(name)
    assert (found.name if found else None) == table


# --------------------------------------------------------------------------------------------
# Numbers as clerks type them, read through the checker
# --------------------------------------------------------------------------------------------

RUBRIC = rubric_text(
    """
    indicators:
      - id: "1"
        title: 组织生活
        points: 100
        rules:
          - {kind: per_occurrence, per: 1}
    """
)


@pytest.mark.parametrize(
    ("amount", "warning"),
    [
        ("１．５", "results/t/entries.csv:2:5: 警告：扣分「１．５」已读作 1.5（全角字符已按半角读取）"),
        ("1.5分", "results/t/entries.csv:2:5: 警告：扣分「1.5分」已读作 1.5（已去掉单位「分」）"),
    ],
)
def test_full_width_digits_and_units_are_read_with_a_warning(
    ran: Callable[[str, Mapping[str, str | bytes]], Prepared], amount: str, warning: str
) -> None:
    rubric = RUBRIC.replace("{kind: per_occurrence, per: 1}", "{kind: range}")
    prepared = ran(
        rubric,
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "entries.csv": f"单位代码,指标编号,规则,情况,扣分,扣分原因\nu1,1,,,{amount},学习记录不全\n",
        },
    )
    assert errors(prepared) == []
    assert [w.split("\n")[0] for w in warnings(prepared)] == [warning]
    assert prepared.outcomes["t"].by_unit()["u1"].score.total == Decimal("98.5")


def test_gbk_results_score_like_utf8(ran: Callable[[str, Mapping[str, str | bytes]], Prepared]) -> None:
    roster = "单位代码,单位名称,单位类型,考核状态\nu1,第一党支部,党支部,已考核\n"
    entries = "单位代码,指标编号,情况,扣分原因\nu1,1,3,三次未按时参加组织生活\n"
    prepared = ran(RUBRIC, {"units.csv": roster.encode("gbk"), "entries.csv": entries.encode("gbk")})
    assert errors(prepared) == []
    outcome = prepared.outcomes["t"].by_unit()["u1"]
    assert outcome.unit.name == "第一党支部"
    assert outcome.score.total == Decimal(97)
    assert outcome.score.categories[0].rules[0].reasons == ("三次未按时参加组织生活",)


def test_a_results_file_too_big_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from generator.data.csvread import MAX_CSV_BYTES

    root = write_project(
        tmp_path,
        rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n"),
        {"units.csv": units_csv("u1,一支部,branch,已考核")},
    )
    with open(root / "results/t/entries.csv", "wb") as huge:
        huge.truncate(MAX_CSV_BYTES + 1)  # sparse: nothing is written, and nothing must be read
    opened: list[Path] = []
    read_bytes = Path.read_bytes

    def watched(self: Path) -> bytes:
        opened.append(self)
        return read_bytes(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_bytes", watched)
        prepared = prepare(root)
    assert errors(prepared) == [
        "results/t/entries.csv: 错误：考核结果文件太大（200 MB，上限 200 MB）\n    处理办法：按联络组拆分成几个文件。"
    ]
    assert root / "results/t/entries.csv" not in opened


def test_a_notice_not_in_utf8_is_placed_by_line(tmp_path: Path) -> None:
    root = write_project(
        tmp_path,
        rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n"),
        {
            "units.csv": units_csv("u1,一支部,branch,已考核"),
            "notice.yml": "title: 通报\nissuer: 测试机关\n".encode("gb18030"),
        },
    )
    assert errors(prepare(root)) == [
        "results/t/notice.yml:1:8: 错误：通报文件不是 UTF-8 编码（看起来是 GBK 编码）\n    处理办法："
        "用记事本或 VS Code 另存为 UTF-8。"
    ]


def test_a_header_with_a_semicolon_in_one_of_its_comma_separated_cells_is_read() -> None:
    rows, problems = parse("单位代码,指标编号,情况,扣分原因;说明\nu1,1,2,原因\n".encode())
    assert [str(p).split("\n")[0] for p in problems] == [
        "results/t/entries.csv:1:4: 警告：表头「扣分原因;说明」不是扣分记录的列，本列不读取、不发布",
        "results/t/entries.csv:1:1: 错误：扣分记录缺少必填列「扣分原因」",
    ]
