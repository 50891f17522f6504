"""The command line's own words: its version, argparse's usage and errors in Chinese, and colour for 错误 and
警告 on a terminal only (never in a pipe or a file, never with NO_COLOR)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import rubric_text, write_project

from generator.cli import main
from generator.cli.parser import error_words

ESC = "\x1b["
KAOPING = [sys.executable, "-m", "generator"]


def bad_project(root: Path) -> Path:
    """A project with one error (an unknown unit) and one warning (a unit without a status)."""
    rubric = rubric_text(
        """
        indicators:
          - {id: c1, title: 组织生活, points: 100, rules: [{kind: per_occurrence, per: 0.2}]}
        """
    )
    files = {
        "units.csv": "单位代码,单位名称,单位类型,考核状态\nu1,第一党支部,branch,已考核\n",
        # An unknown unit is an error; text that Excel would run as a formula, a warning.
        "entries.csv": "单位代码,指标编号,情况,扣分原因\nnobody,c1,2,原因\nu1,c1,1,=1+1\n",
    }
    write_project(root, rubric, files)
    return root


def on_terminal(args: list[str], env: dict[str, str]) -> str:
    """What a command writes to a terminal (a pseudo-terminal as both its outputs)."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(args, stdout=follower, stderr=follower, env=env, timeout=120, check=False)
    finally:
        os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 1
    return b"".join(chunks).decode("utf-8")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    env.update(extra)
    return env


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == "kaoping 0.1.0"


def test_help_is_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：kaoping score")
    assert "参数:" in out and "选项:" in out
    assert "-h, --help" in out and "显示这段说明后退出" in out
    # The command's own options, then the ones every command takes: one section each.
    assert out.count("\n选项:\n") == 1 and out.count("\n通用选项:\n") == 1
    assert out.index("\n  --format") < out.index("通用选项:") < out.index("\n  --root")
    for english in ("usage:", "positional arguments", "options:", "show this help message"):
        assert english not in out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["score"], "kaoping score：错误：缺少参数：考核代码"),
        (["chekc"], "kaoping：错误：参数 命令：不能用 'chekc'，可选：'check', 'score'"),
        (["new", "二〇二一"], "kaoping new：错误：参数 年度：'二〇二一' 不是整数"),
        (["score", "x", "--format", "xlsx"], "kaoping score：错误：参数 --format：不能用 'xlsx'，可选：'csv', 'json'"),
        (["check", "--bogus"], "kaoping：错误：多余的或不认识的参数：--bogus"),
        (["serve", "--port"], "kaoping serve：错误：参数 --port：后面要写一个值"),
        # A value starting with "-" is the option's value; one of the options stays an option.
        (["serve", "--port", "-80"], "kaoping serve：错误：参数 --port：端口要写 1～65535 之间的整数"),
        (["serve", "--port", "-80"], "；现在是「-80」"),
        (["serve", "--port", "65536"], "参数 --port：端口要写 1～65535 之间的整数"),
        (["serve", "--port", "-h"], "kaoping serve：错误：参数 --port：后面要写一个值"),
        (["build", "--shard", "--quiet"], "kaoping build：错误：参数 --shard：后面要写一个值"),
    ],
)
def test_argparse_errors_are_in_chinese(argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：kaoping")
    assert said in err
    assert "error:" not in err and "usage:" not in err


def test_an_unknown_argparse_message_is_left_as_it_is() -> None:
    assert error_words("something new") == "something new"


def test_problems_are_coloured_on_a_terminal(tmp_path: Path) -> None:
    root = bad_project(tmp_path / "p")
    text = on_terminal([*KAOPING, "--root", str(root), "check"], clean_env())
    assert "\x1b[1;31m错误\x1b[0m：" in text
    assert "\x1b[1;33m警告\x1b[0m：" in text


def test_no_colour_with_no_color_on_a_terminal(tmp_path: Path) -> None:
    root = bad_project(tmp_path / "p")
    text = on_terminal([*KAOPING, "--root", str(root), "check"], clean_env(NO_COLOR="1"))
    assert "错误：" in text and "警告：" in text
    assert ESC not in text


def test_no_colour_in_a_pipe(tmp_path: Path) -> None:
    root = bad_project(tmp_path / "p")
    run = subprocess.run(
        [*KAOPING, "--root", str(root), "check"], capture_output=True, text=True, env=clean_env(), timeout=120
    )
    assert run.returncode == 1
    assert "错误：" in run.stderr and "警告：" in run.stderr
    assert ESC not in run.stderr + run.stdout


def test_a_file_name_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """A file in the results named with an escape sequence (clear the screen) and a right-to-left override:
    the message naming it (and the name it is told to take) shows both as escapes to the terminal, whose own
    colours still work."""
    root = bad_project(tmp_path / "p")
    folder = next((root / "results").iterdir())
    (folder / "entries\x1b[2J\u202e.csv").write_bytes((folder / "entries.csv").read_bytes())
    text = on_terminal([*KAOPING, "--root", str(root), "check"], clean_env())
    assert "\x1b[2J" not in text and "\u202e" not in text
    assert f"results/{folder.name}/entries\\x1b[2J\\u202e.csv: \x1b[1;31m错误\x1b[0m：表头是扣分记录（entries）" in text
    assert "例如 entries-\\x1b[2J\\u202e.csv" in text
