"""``kaoping new``: next year's rubric and registry, copied from the latest of a series."""

from __future__ import annotations

import difflib
import errno
import shutil
from pathlib import Path

import pytest
from sandbox import digests

import generator.office.outputfile
from generator.cli import main
from generator.data.csvread import parse_table
from generator.data.load import load_rubric
from generator.data.pipeline import prepare
from generator.data.problems import Problems
from generator.data.tables import UNITS
from generator.site.build import LOCK_FILE

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rubrics", tmp_path / "rubrics")
    shutil.copytree(ROOT / "results", tmp_path / "results")
    # The project's (empty, git-ignored) lock file, as any project that has been built has: kaoping new takes
    # the lock before it reads what it copies, so "nothing written" below means no data written.
    (tmp_path / LOCK_FILE).touch()
    return tmp_path


def cli(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def changed_lines(a: Path, b: Path) -> list[str]:
    diff = difflib.unified_diff(
        a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines(), n=0, lineterm=""
    )
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_new_year_copies_the_rubric_and_clears_the_registry(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(project, "new", "2018", "--from", "wujin-2017") == 0
    out = capsys.readouterr().out
    new = project / "rubrics/wujin-2018.yml"
    # Only id and year change: comments, layout and every text stay as the office wrote them.
    assert sorted(changed_lines(project / "rubrics/wujin-2017.yml", new)) == [
        "+id: wujin-2018",
        "+year: 2018",
        "-id: wujin-2017",
        "-year: 2017",
    ]
    assert "rubrics/wujin-2018.yml：由 rubrics/wujin-2017.yml 复制" in out
    assert (
        "第 6 行：title: 区委教育工委直属党组织2017年度" in out
    )  # the title still names the old year: listed for review
    assert "kaoping sheet wujin-2018" in out
    # What it says check will do is what check does: with no record yet, one warning and the standards only.
    assert "还没有录入考核记录时，kaoping check 只提示一次，网站只发布 wujin-2018 的考核标准" in out
    assert cli(project, "check", "wujin-2018") == 0
    assert "考核 wujin-2018 还没有任何考核记录，本次只发布考核标准" in capsys.readouterr().err

    problems = Problems()
    rubric = load_rubric(new, project, problems)
    assert rubric is not None and not problems.items
    assert (rubric.id, rubric.year, rubric.series_id) == ("wujin-2018", 2018, "wujin")
    assert rubric.origin == "原文"  # nothing is marked 补充 that was not before

    registry = project / "results/wujin-2018/units.csv"
    # Beside the registry, the year's rectification tasks: every point lost in 2017, and the 2016 tasks still open.
    assert sorted(p.name for p in registry.parent.iterdir()) == ["rectification.csv", "units.csv"]
    rows = parse_table(registry.read_bytes(), "units.csv", UNITS, Problems())
    old = parse_table((project / "results/wujin-2017/units.csv").read_bytes(), "units.csv", UNITS, Problems())
    assert [r.get("id") for r in rows] == [r.get("id") for r in old]
    assert {r.get("status") for r in rows} == {""} and {r.get("status_note") for r in rows} == {""}
    assert any(r.get("status") for r in old)  # yey-04 did not take part in 2017; in 2018 it must be assessed again
    assert [(r.get("name"), r.get("group"), r.get("contact")) for r in rows] == [
        (r.get("name"), r.get("group"), r.get("contact")) for r in old
    ]

    # kaoping check: the rubric passes; nothing is assessed yet, so only the standards are published.
    assert cli(project, "check", "wujin-2018") == 0
    prepared = prepare(project, {"wujin-2018"})
    assert not prepared.problems.has_errors() and "wujin-2018" not in prepared.outcomes
    assert [p.message for p in prepared.problems.warnings if p.loc.file == "results/wujin-2018"] == [
        "考核 wujin-2018 还没有任何考核记录，本次只发布考核标准"
    ]
    # … and the sheet for the new year can be made at once.
    assert cli(project, "sheet", "wujin-2018", "-o", str(project / "s.xlsx")) == 0


def test_the_latest_of_the_series_is_the_source(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(project, "new", "2021", "--id", "zonghe-2021") == 0
    assert "由 rubrics/zonghe-2020.yml 复制" in capsys.readouterr().out
    assert sorted(changed_lines(project / "rubrics/zonghe-2020.yml", project / "rubrics/zonghe-2021.yml")) == [
        "+id: zonghe-2021",
        "+year: 2021",
        "-id: zonghe-2020",
        "-year: 2020",
    ]
    # zonghe-2019 is marked 补充 as a whole, zonghe-2020 is not: the copy follows its source.
    head = (project / "rubrics/zonghe-2021.yml").read_text(encoding="utf-8").split("indicators:")[0]
    assert "\norigin: 原文\n" in head and "\norigin: 补充\n" not in head


def test_several_series_need_from(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digests(project)
    assert cli(project, "new", "2021") == 2
    err = capsys.readouterr().err
    assert "--from" in err and "zonghe（最近一项 zonghe-2020" in err
    assert digests(project) == before


def test_an_existing_target_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digests(project)
    assert cli(project, "new", "2019", "--from", "zonghe-2020") == 1
    assert "考核 zonghe-2019 已经存在" in capsys.readouterr().err
    assert digests(project) == before
    assert cli(project, "new", "2014", "--from", "luoyang-2013") == 0
    assert cli(project, "new", "2014", "--from", "luoyang-2013") == 1
    assert "考核 luoyang-2014 已经存在（rubrics/luoyang-2014.yml、results/luoyang-2014）" in capsys.readouterr().err


def test_the_same_year_and_bad_ids_are_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(project, "new", "2017", "--from", "wujin-2017") == 2
    assert cli(project, "new", "2018", "--from", "wujin-2017", "--id", "Wujin 2018") == 2
    assert cli(project, "new", "2018", "--from", "nosuch-2017") == 2
    err = capsys.readouterr().err
    assert "就是 2017 年度的" in err and "不能用" in err and "没有考核 nosuch-2017" in err


def test_a_rubric_without_series_or_year_in_its_id(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (project / "rubrics/gongshang-2005.yml").read_text(encoding="utf-8")
    text = text.replace("id: gongshang-2005", "id: gongshang").replace("series: gongshang\n", "")
    (project / "rubrics/gongshang-2005.yml").unlink()
    (project / "rubrics/gongshang.yml").write_text(text, encoding="utf-8")
    (project / "results/gongshang-2005").rename(project / "results/gongshang")
    assert cli(project, "new", "2006", "--from", "gongshang") == 2
    assert "--id" in capsys.readouterr().err
    assert cli(project, "new", "2006", "--from", "gongshang", "--id", "gongshang-2006") == 0
    new = (project / "rubrics/gongshang-2006.yml").read_text(encoding="utf-8")
    assert "\nyear: 2006\nseries: gongshang\n" in new  # paired with the old year on the unit pages
    problems = Problems()
    rubric = load_rubric(project / "rubrics/gongshang-2006.yml", project, problems)
    assert rubric is not None and rubric.series_id == "gongshang" and not problems.items


def test_a_registry_the_csv_reader_refuses_is_a_message_and_nothing_is_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = project / "results/wujin-2017/units.csv"
    # Encoded as the registry is (GB18030): one field longer than Python's csv module accepts.
    registry.write_bytes(registry.read_bytes() + ("x-99," + "长" * 200_000 + ",branch,\r\n").encode("gb18030"))
    before = digests(project)
    assert cli(project, "new", "2018", "--from", "wujin-2017") == 1
    err = capsys.readouterr().err
    assert "results/wujin-2017/units.csv: 错误：单位名册的 CSV 格式错误" in err and "内部错误" not in err
    assert digests(project) == before


def test_a_failed_write_leaves_no_new_year_behind(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills up while the registry is written, after the rubric: the rubric must not be left alone.
    stage = generator.office.outputfile._stage

    def full_disk(path: Path, data: bytes) -> Path:
        if path.name == "units.csv":
            raise OSError(errno.ENOSPC, "No space left on device", str(path.with_name(".units.csv.kaoping-tmp-1")))
        return stage(path, data)

    monkeypatch.setattr(generator.office.outputfile, "_stage", full_disk)
    before = digests(project)
    assert cli(project, "new", "2018", "--from", "wujin-2017") == 1
    err = capsys.readouterr().err
    assert err.startswith("无法写入新年度的文件：磁盘已满，无法写入（") and "没有改动任何文件" in err
    assert digests(project) == before
    assert not (project / "rubrics/wujin-2018.yml").exists()


def test_a_year_the_series_already_has_is_refused_under_another_code(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """zonghe-2020 exists: a second 2020 of the series under another code would stop every later check."""
    before = digests(project)
    assert cli(project, "new", "2020", "--from", "zonghe-2019", "--id", "zonghe-2020b") == 1
    err = capsys.readouterr().err
    assert "考核系列 zonghe 已有 2020 年度的考核 zonghe-2020（rubrics/zonghe-2020.yml）" in err, err
    assert digests(project) == before


def test_a_rename_refused_midway_puts_back_what_was_replaced(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rubric is renamed into place, then the registry's rename is refused (the folder made immutable, a
    share's lock): the new rubric is taken away again, and no temporary file is left."""
    replace = generator.office.outputfile.os.replace

    def refused(source: str | Path, target: str | Path) -> None:
        if Path(target).name == "units.csv" and "wujin-2018" in str(target):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(target))
        replace(source, target)

    monkeypatch.setattr(generator.office.outputfile.os, "replace", refused)
    before = digests(project)
    assert cli(project, "new", "2018", "--from", "wujin-2017") == 1
    err = capsys.readouterr().err
    assert "没有改动任何文件" in err, err
    assert digests(project) == before
    assert not [p for p in project.rglob("*") if "kaoping-tmp" in p.name]


def test_write_all_puts_back_replaced_files_or_names_those_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputfile = generator.office.outputfile
    a, b, c = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    replace = outputfile.os.replace
    refuse = {"b.csv"}

    def refused(source: str | Path, target: str | Path) -> None:
        if Path(target).name in refuse:
            raise PermissionError(errno.EPERM, "Operation not permitted", str(target))
        replace(source, target)

    monkeypatch.setattr(outputfile.os, "replace", refused)
    with pytest.raises(PermissionError) as raised:
        outputfile.write_all([(a, b"new a"), (c, b"new c"), (b, b"new b")])
    assert not isinstance(raised.value, outputfile.HalfWritten)
    assert (a.read_bytes(), b.read_bytes(), c.exists()) == (b"old a", b"old b", False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
    # a.csv cannot be put back either: the error names it, and it holds the new content.
    refuse.add("a.csv")
    calls = {"a.csv": 0}

    def first_only(source: str | Path, target: str | Path) -> None:
        name = Path(target).name
        if name == "a.csv":
            calls[name] += 1
            if calls[name] == 1:
                return replace(source, target)
        return refused(source, target)

    monkeypatch.setattr(outputfile.os, "replace", first_only)
    with pytest.raises(outputfile.HalfWritten) as half:
        outputfile.write_all([(a, b"new a"), (b, b"new b")])
    assert half.value.replaced == [a] and a.read_bytes() == b"new a" and b.read_bytes() == b"old b"
    words = outputfile.half_written_words(half.value, tmp_path)
    assert words.startswith("只写入了一部分：a.csv 已是新的内容") and "git" in words
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
