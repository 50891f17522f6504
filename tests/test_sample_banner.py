"""Sample results are marked as samples everywhere; an office's real results nowhere.

The marker is a line of ``results/<id>/README.md`` beginning with 示例数据. The same small project is
rendered twice, with and without that line: every page kind built from results, and every download,
says 示例数据 in the first case and never in the second.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from helpers import AID, entries_csv, rendered_docs, rubric_text, units_csv

from generator.data.sample import BANNER, DOWNLOAD_NOTE, sample_line
from generator.site import paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("示例数据：全部是虚构的。", 1, id="the line itself"),
        pytest.param("# 考核结果\n\n示例数据：全部是虚构的。\n", 3, id="after a heading"),
        pytest.param("> **示例数据**：全部是虚构的。", 1, id="quoted and bold"),
        pytest.param("- 示例数据", 1, id="a list item, nothing after it"),
        pytest.param("示例数据: 全部是虚构的", 1, id="half-width colon"),
        pytest.param("# 考核结果（示例数据）\n", None, id="a heading that mentions it is not the marker"),
        pytest.param("本目录不是示例数据：这是2020年的真实结果。", None, id="the word inside a sentence"),
        pytest.param("示例数据已经删除，这是真实结果。", None, id="the word starting a sentence about something else"),
        pytest.param("", None, id="empty"),
    ],
)
def test_the_marker_is_a_line_that_begins_with_the_word(text: str, line: int | None) -> None:
    assert sample_line(text) == line


RUBRIC = rubric_text(
    """
    indicators:
      - {id: c1, title: 组织生活, points: 100, rules: [{kind: per_occurrence, per: 1}]}
    grading:
      method: threshold
      bands:
        - {grade: pass, min: 90}
        - {grade: fail}
    """
)
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
}
#: The pages built from results, by kind (the standards page is the rubric's alone).
PAGES = {
    "home": paths.HOME_PARTIAL,
    "years": paths.assessment_index(),
    "overview": paths.page(AID, "index"),
    "results": paths.page(AID, "results"),
    "notice": paths.page(AID, "notice"),
    "unit": paths.unit_page(AID, "u1"),
}


def rendered(tmp: Path, readme: str) -> Path:
    return rendered_docs(tmp, RUBRIC, {**FILES, "README.md": readme})


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered(tmp_path_factory.mktemp("sample"), "# 测试考核结果\n\n示例数据：单位和扣分情况都是虚构的。\n")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered(tmp_path_factory.mktemp("real"), "# 2017年度考核结果\n\n由考核办公室录入，经工委会议审定。\n")


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_built_from_sample_results_says_so(sample: Path, real: Path, kind: str) -> None:
    page = (sample / PAGES[kind]).read_text(encoding="utf-8")
    assert 'class="kp-sample' in page and "<strong>示例数据</strong>" in page, kind
    other = (real / PAGES[kind]).read_text(encoding="utf-8")
    assert "kp-sample" not in other and "示例数据" not in other, kind


def test_the_page_banner_says_the_results_are_invented(sample: Path) -> None:
    page = (sample / PAGES["results"]).read_text(encoding="utf-8")
    assert BANNER.split("：", 1)[1] in page


def test_downloads_of_sample_results_say_so_on_their_first_row(sample: Path, real: Path) -> None:
    csv_file, xlsx_file, json_file = paths.downloads(AID)
    first = (sample / csv_file).read_bytes().decode("utf-8-sig").splitlines()
    assert first[0] == DOWNLOAD_NOTE and first[1].startswith("单位代码,")
    assert list(csv.reader(io.StringIO((real / csv_file).read_bytes().decode("utf-8-sig"))))[0][0] == "单位代码"

    book = openpyxl.load_workbook(sample / xlsx_file)
    ws = book.worksheets[0]
    assert ws["A1"].value == DOWNLOAD_NOTE and ws["A2"].value == "单位代码" and ws.freeze_panes == "C3"
    plain = openpyxl.load_workbook(real / xlsx_file).worksheets[0]
    assert plain["A1"].value == "单位代码" and plain.freeze_panes == "C2"
    assert all(DOWNLOAD_NOTE not in str(c.value) for row in plain.iter_rows() for c in row)

    data = json.loads((sample / json_file).read_text(encoding="utf-8"))
    assert data["assessment"]["sample"] is True and data["assessment"]["sample_note"] == DOWNLOAD_NOTE
    unit = json.loads((sample / paths.unit_json(AID, "u1")).read_text(encoding="utf-8"))
    assert unit["assessment"]["sample"] is True
    real_data = json.loads((real / json_file).read_text(encoding="utf-8"))
    assert real_data["assessment"]["sample"] is False and "sample_note" not in real_data["assessment"]


def test_every_bundled_results_folder_is_marked_as_sample() -> None:
    folders = sorted(p for p in (ROOT / "results").iterdir() if p.is_dir())
    assert folders
    for folder in folders:
        assert sample_line((folder / "README.md").read_text(encoding="utf-8")) is not None, folder.name
