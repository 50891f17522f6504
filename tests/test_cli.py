"""The command line: exit codes, messages on stderr, CSV and JSON output, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import csv_text, entries_csv, rubric_text, units_csv, write_project

import generator.cli
from generator.cli import main

RUBRIC = rubric_text(
    """
    indicators:
      - {id: c1, title: 组织生活, points: 100, rules: [{kind: per_occurrence, per: 0.2}]}
    grading:
      method: threshold
      bands:
        - {grade: pass, min: 90}
        - {grade: fail}
    """
)
GOOD = {
    "units.csv": units_csv("u1,第一党支部,branch,已考核", "u2,第二党支部,branch,已考核"),
    # u1: 100 − 18 × 0.2 = 96.4; u2: 100 − 3 × 0.2 = 99.4
    "entries.csv": entries_csv("u1,c1,,18,,十八次未按时报送", "u2,c1,,3,,三次未按时报送"),
}


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_project(tmp_path, RUBRIC, GOOD)


def cli(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def test_check_passes_on_good_data(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(good, "check") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "检查通过：1 份细则，1 份考核结果，2 个单位。"
    # … and where the rubric comes from: one written without a source document is its own original.
    # the unit type, defaults, c1, its rule, grading and its two bands
    assert out.splitlines()[2:] == [
        "  t：各部分 7 处（原文 7，补充 0，解读 0）",
        "    党支部：指标 100 分（原文 100 分，补充 0 分，解读 0 分）",
    ]
    assert err == ""


def test_check_one_assessment(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(good, "check", "t") == 0
    assert capsys.readouterr().out.startswith("检查通过：1 份细则")


def test_check_fails_on_bad_data_with_every_message_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = dict(GOOD, **{"entries.csv": entries_csv("U1,c1,,18,,十八次", "u2,c9,,3,,三次", "u2,c1,,三,,三次")})
    write_project(tmp_path, RUBRIC, bad)
    assert cli(tmp_path, "check") == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = [line for line in err.splitlines() if line and not line.startswith("    ")]
    assert lines == [
        "results/t/entries.csv:2:1: 错误：单位代码「U1」与名册中的「u1」大小写或空格不同",
        "results/t/entries.csv:3:2: 错误：指标编号「c9」不在细则 t 中",
        "results/t/entries.csv:4:4: 错误：情况（次数）「三」不是数字",
        "共 3 个错误，0 个警告。",
        "数据有错误，未继续。改正上面列出的错误后再运行。",
    ]
    assert "    处理办法：改为 u1。" in err
    # A count is a whole number: the example says so (0.5 would be refused next).
    assert "「三」不是数字\n    处理办法：填写阿拉伯数字，例如 3。" in err
    assert "Traceback" not in err


def test_warnings_alone_do_not_fail_the_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, RUBRIC, dict(GOOD, **{"entries.csv": entries_csv("u1,c1,,18次,,十八次", "u2,c1,,3,,三次")}))
    assert cli(tmp_path, "check") == 0
    out, err = capsys.readouterr()
    assert out.startswith("检查通过")
    assert err.splitlines()[0] == "results/t/entries.csv:2:4: 警告：情况（次数）「18次」已读作 18（已去掉单位「次」）"
    assert "共 0 个错误，1 个警告。" in err


def test_check_without_a_rubrics_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(tmp_path, "check") == 1
    err = capsys.readouterr().err
    assert err.startswith("rubrics: 错误：找不到细则目录 rubrics/")


def test_score_csv(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(good, "score", "t") == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["单位代码"], r["组织生活"], r["综合得分"], r["名次"], r["等次"]) for r in rows] == [
        ("u1", "96.4", "96.4", "2", "达标"),
        ("u2", "99.4", "99.4", "1", "达标"),
    ]
    assert "96.39999" not in out


def test_score_json(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(good, "score", "t", "--format", "json") == 0
    out = capsys.readouterr().out
    assert '"total": 96.4,' in out
    assert "96.39999" not in out and "96.40000" not in out
    data = json.loads(out)
    assert data["assessment"] == {
        "id": "t",
        "title": "测试细则",
        "year": 2017,
        "issuer": "测试机关",
        "illustrative": False,
        "grading_illustrative": False,
        "sample": False,
    }
    assert [(u["unit"]["id"], u["total"], u["rank"], u["grade"]) for u in data["units"]] == [
        ("u1", 96.4, 2, "pass"),
        ("u2", 99.4, 1, "pass"),
    ]
    [rule] = data["units"][0]["categories"][0]["rules"]
    assert rule["lost"] == 3.6
    assert rule["explanation"] == "18 次 × 0.2 分 = 3.6 分"


def test_score_one_unit(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(good, "score", "t", "--unit", "u1") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["unit"]["name"], data["total"], data["indicator_score"]) == ("第一党支部", 96.4, 96.4)


def test_score_unknown_unit(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(good, "score", "t", "--unit", "u9") == 2
    assert capsys.readouterr().err == "考核 t 中没有单位 u9。\n"


def test_score_to_a_file(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = good / "out.csv"
    assert cli(good, "score", "t", "-o", str(target)) == 0
    assert capsys.readouterr().out == f"已写入 {target}\n"
    data = target.read_bytes()
    # Excel on Chinese Windows needs the BOM to read UTF-8.
    assert data.startswith(b"\xef\xbb\xbf")
    assert "96.4" in data.decode("utf-8-sig")


def test_score_unknown_assessment(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(good, "score", "nope") == 2
    assert capsys.readouterr().err == "没有考核 nope 的结果。已有的考核：t\n"


def test_score_refuses_bad_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_project(tmp_path, RUBRIC, dict(GOOD, **{"parts.csv": csv_text("unit,part,score", "u1,routine,90")}))
    assert cli(tmp_path, "score", "t") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("results/t/parts.csv:2:2: 错误：组成部分「routine」不需要录入")


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "kaoping" in capsys.readouterr().out


def test_no_traceback_without_debug(
    good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("意外")

    monkeypatch.setattr(generator.cli.commands, "prepare", broken)
    assert cli(good, "check") == 3
    err = capsys.readouterr().err
    assert err == "内部错误：程序遇到了意外情况。请带上 --debug 重新运行，把输出发给维护人员。\n"
    assert main(["--root", str(good), "--debug", "check"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback")
    assert "RuntimeError: 意外" in err


def test_score_csv_keeps_a_formula_like_unit_name_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = dict(GOOD, **{"units.csv": units_csv("u1,=1+2,branch,已考核", "u2,第二党支部,branch,已考核")})
    write_project(tmp_path, RUBRIC, data)
    assert cli(tmp_path, "score", "t") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    names = {row["单位名称"] for row in rows}
    assert "'=1+2" in names and "=1+2" not in names


def test_score_to_a_missing_folder_says_so_without_a_traceback(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = good / "no-such-folder" / "out.csv"
    assert cli(good, "score", "t", "-o", str(target)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"无法写入 {target}：找不到文件或目录（{target}）。检查路径是否正确、目录是否存在。\n"
    assert "Traceback" not in err
