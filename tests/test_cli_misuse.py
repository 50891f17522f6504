"""The commands misused as a clerk or an IT person would: a path typed as a folder, a name too long, an output
into a folder the site publishes, an empty or mistaken assessment code, a wrong --root. Each is told in words,
with a non-zero exit, and no file is made or lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sandbox import digests

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
AID = "wujin-2017"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "rubrics", root / "rubrics")
    shutil.copytree(ROOT / "results", root / "results")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse's refusals
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert "内部错误" not in err and "Traceback" not in err, err
    return code, out, err


@pytest.mark.parametrize("command", ["score", "sheet"])
def test_an_output_written_as_a_folder_is_never_a_file_of_that_name(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    missing = tmp_path / "new-folder"
    code, _out, err = run(capsys, "--root", str(project), command, AID, "-o", f"{missing}/")
    assert code == 2 and "没有这个目录" in err and not missing.exists(), err
    kept = tmp_path / "keep.txt"
    kept.write_text("三位考核组成员填好的内容")
    code, _out, err = run(capsys, "--root", str(project), command, AID, "-o", f"{kept}/", "--force")
    assert code == 2 and "末尾的 / 表示目录" in err, err
    assert kept.read_text() == "三位考核组成员填好的内容"


@pytest.mark.parametrize(("command", "name"), [("score", "x.csv"), ("sheet", "评分表.xlsx")])
@pytest.mark.parametrize("folder", ["docs", "site", "shards"])
def test_an_output_into_a_folder_the_site_publishes_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], command: str, name: str, folder: str
) -> None:
    (project / folder).mkdir()
    code, _out, err = run(capsys, "--root", str(project), command, AID, "-o", str(project / folder / name))
    assert code == 2 and f"它在项目的 {folder}/ 里面，生成或发布网站时会把它一起公开" in err, err
    assert list((project / folder).iterdir()) == []


def test_a_name_too_long_is_said_not_an_internal_error(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = tmp_path / ("考" * 90 + ".csv")  # 270 bytes: more than a file name may have
    code, _out, err = run(capsys, "--root", str(project), "score", AID, "-o", str(long))
    assert code == 2 and "文件名或路径太长" in err, err
    (project / "site" / "search").mkdir(parents=True)  # a built site, as far as publish looks
    (project / "site" / "index.html").write_text("<!doctype html><title>考核</title>")
    (project / "site" / "search" / "search_index.json").write_text('{"config": {}, "docs": []}')
    code, _out, err = run(capsys, "--root", str(project), "publish", str(tmp_path / ("站" * 90)))
    assert code != 0 and "太长" in err, err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", ""], "考核代码是空的"),
        (["score", " "], "考核代码是空的"),
        (["sheet", f"rubrics/{AID}.yml"], f"不是考核代码：写细则的 id（文件 rubrics/{AID}.yml 中 id: 后面的代码"),
        (["check", f"{AID}.yaml"], "是文件，不是考核代码"),
        (["check", "a" * 100_000], "考核代码太长（100000 个字符）"),
        (["score", AID, "--unit", "cz-01", "--format", "csv"], "只有 JSON 格式：去掉 --format csv"),
        (["sheet", AID, "-o", "表.csv"], "文件名要以 .xlsx 结尾，例如 表.xlsx"),
    ],
)
def test_a_mistaken_argument_is_refused_in_words(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    before = digests(project)
    code, _out, err = run(capsys, "--root", str(project), *argv)
    assert code == 2 and said in err, err
    assert len(err) < 2000, "the message does not repeat a huge argument"
    assert digests(project) == before


@pytest.mark.parametrize("command", ["check", "build", "import x.xlsx", "publish /tmp/none"])
def test_a_root_that_is_not_a_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, _out, err = run(capsys, "--root", str(tmp_path / "typo"), *command.split())
    assert code == 2 and f"项目目录 {tmp_path / 'typo'} 不存在" in err, err
    assert not (tmp_path / "typo").exists()
    (tmp_path / "file").write_text("x")
    code, _out, err = run(capsys, "--root", str(tmp_path / "file"), *command.split())
    assert code == 2 and "是一个文件，不是目录" in err, err


def test_a_dash_for_the_output_is_the_screen(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--root", str(project), "score", AID, "-o", "-")
    assert code == 0 and out.startswith("单位代码,单位名称")
    assert not (project / "-").exists() and not Path("-").exists()


@pytest.mark.parametrize("command", ["build", "merge"])
def test_a_build_where_there_is_no_project_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, _out, err = run(capsys, "--root", str(tmp_path), command)
    assert code == 2 and "没有细则目录 rubrics/，不像是项目目录" in err, err
    assert list(tmp_path.iterdir()) == []
