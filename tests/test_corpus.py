"""Real-world bad input, one case per folder under ``tests/corpus/``, each with the exact message expected.

A case is a tiny project: the files it holds are laid over ``tests/corpus/_shared/`` (a small rubric,
``shili-2017``, and its unit roster), then ``kaoping check`` runs on it. ``expected.txt`` is the exact
stderr and ``expected_exit`` the exit status.

A case may also hold:

- ``args``: the command to run instead of ``check``, one argument per line (``--root`` is added);
  ``{root}`` stands for the project folder and ``{tmp}`` for a scratch folder beside it;
- ``prepare.py``: a function ``prepare(root: Path, tmp: Path) -> None`` run after the files are laid
  over the shared project, for what git cannot hold (symlinks that point outside, FIFOs, huge files);
- ``expected_stdout.txt``: the exact standard output, when it matters;
- ``timeout``: a number of seconds. The case then runs as a separate process, and fails if that process
  has not ended in time: for input that would hang a regressed program (a FIFO), so that the suite
  cannot hang with it.

In the expected files ``{root}`` and ``{tmp}`` stand for those folders. Which input is fixed up with a warning and
which is refused is documented in ``docs/reference/results.md`` (section “修正还是拒绝”).

To rewrite the expected files after a deliberate change of wording::

    KAOPING_UPDATE_CORPUS=1 .venv/bin/pytest tests/test_corpus.py

and review the diff.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.data.yamlcompose import MAX_YAML_BYTES

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent / "corpus"
SHARED = CORPUS / "_shared"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
EXPECTED = "expected.txt"
EXPECTED_EXIT = "expected_exit"
EXPECTED_STDOUT = "expected_stdout.txt"
ARGS = "args"
PREPARE = "prepare.py"
TIMEOUT = "timeout"
NOT_DATA = {EXPECTED, EXPECTED_EXIT, EXPECTED_STDOUT, ARGS, PREPARE, TIMEOUT, "README.md"}
UPDATE = bool(os.environ.get("KAOPING_UPDATE_CORPUS"))


def materialise(case: Path, root: Path) -> Path:
    """The shared project with the case's files laid over it."""
    shutil.copytree(SHARED, root)
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.name not in NOT_DATA:
            target = root / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    return code, capsys.readouterr().err


def test_the_shared_project_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = check(materialise(tmp_path / "empty", tmp_path / "shared"), capsys)
    assert (code, err) == (0, "")


def _prepare(case: Path, root: Path, tmp: Path) -> None:
    script = case / PREPARE
    if not script.is_file():
        return
    namespace: dict[str, object] = {"__file__": str(script)}
    exec(compile(script.read_text(encoding="utf-8"), str(script), "exec"), namespace)
    prepare = namespace["prepare"]
    assert callable(prepare), f"{script} has no prepare(root, tmp)"
    prepare(root, tmp)


def _arguments(case: Path, root: Path, tmp: Path) -> list[str]:
    path = case / ARGS
    if not path.is_file():
        return ["check"]
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.replace("{root}", str(root)).replace("{tmp}", str(tmp)) for line in lines if line]


def _placeholders(text: str, root: Path, tmp: Path) -> str:
    return text.replace(str(root), "{root}").replace(str(tmp), "{tmp}")


#: The address space a case run separately may take: reading /dev/zero without end fails at this, not
#: with the machine's memory.
SEPARATE_MEMORY = 4 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (SEPARATE_MEMORY, SEPARATE_MEMORY))


def _separately(arguments: list[str], seconds: float) -> tuple[int, str, str]:
    """kaoping in a process of its own, its memory bounded: (exit status, stdout, stderr); a failure if it
    has not ended in time."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", *arguments],
            capture_output=True,
            text=True,
            timeout=seconds,
            env=env,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"kaoping {' '.join(arguments)} 在 {seconds:g} 秒内没有结束（读取时卡住了）")
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, tmp = tmp_path / case.name, tmp_path / "scratch"
    tmp.mkdir()
    materialise(case, root)
    _prepare(case, root, tmp)
    arguments = ["--root", str(root), *_arguments(case, root, tmp)]
    if (case / TIMEOUT).is_file():
        code, raw_out, raw_err = _separately(arguments, float((case / TIMEOUT).read_text(encoding="utf-8")))
    else:
        code = main(arguments)
        captured = capsys.readouterr()
        raw_out, raw_err = captured.out, captured.err
    err, out = _placeholders(raw_err, root, tmp), _placeholders(raw_out, root, tmp)
    if UPDATE:
        (case / EXPECTED).write_text(err, encoding="utf-8", newline="\n")
        (case / EXPECTED_EXIT).write_text(f"{code}\n", encoding="utf-8")
        if (case / EXPECTED_STDOUT).is_file():
            (case / EXPECTED_STDOUT).write_text(out, encoding="utf-8", newline="\n")
    assert "Traceback" not in err and "内部错误" not in err, err
    assert err == (case / EXPECTED).read_text(encoding="utf-8")
    assert code == int((case / EXPECTED_EXIT).read_text(encoding="utf-8"))
    if (case / EXPECTED_STDOUT).is_file():
        assert out == (case / EXPECTED_STDOUT).read_text(encoding="utf-8")


def test_every_case_has_its_expectations() -> None:
    for case in CASES:
        assert (case / EXPECTED).is_file() and (case / EXPECTED_EXIT).is_file(), case.name
        has_data = any(p.is_file() and p.name not in NOT_DATA for p in case.rglob("*"))
        assert has_data or (case / PREPARE).is_file() or (case / ARGS).is_file(), case.name


def test_a_50_mb_rubric_is_refused_before_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = materialise(tmp_path / "none", tmp_path / "big")
    path = root / "rubrics" / "daxing-2017.yml"
    line = "# " + "很长的注释" * 20 + "\n"
    with path.open("w", encoding="utf-8") as out:
        out.write("id: daxing-2017\n")
        written = 0
        while written < 50 * 1024 * 1024:
            out.write(line * 1000)
            written += len(line.encode()) * 1000
    assert path.stat().st_size > MAX_YAML_BYTES
    code, err = check(root, capsys)
    assert code == 1
    assert err == (
        "rubrics/daxing-2017.yml: 错误：细则文件太大（50 MB，上限 5 MB）\n"
        "    处理办法：细则一般只有几百 KB；检查是否误把其他数据粘贴进了文件。\n"
        "\n共 1 个错误，0 个警告。\n"
        "数据有错误，未继续。改正上面列出的错误后再运行。\n"
    )


def test_debug_shows_a_traceback_only_for_internal_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = materialise(tmp_path / "none", tmp_path / "p")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("故障")

    monkeypatch.setattr("generator.cli.commands.prepare", broken)
    assert main(["--root", str(root), "check"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--debug" in err
    assert main(["--root", str(root), "--debug", "check"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_a_results_file_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A link left pointing nowhere (a file moved away after the link was made) is named, not a crash."""
    root = materialise(tmp_path / "none", tmp_path / "p")
    (root / "results" / "shili-2017" / "bonus.csv").symlink_to("../../moved-away.csv")
    code, err = check(root, capsys)
    assert code == 1
    assert err.startswith(
        "results/shili-2017/bonus.csv: 错误：这是一个失效的链接："
        "它指向的 ../../moved-away.csv 不存在（可能已移走或删除）\n"
        "    处理办法：把文件本身复制到这里（不要用快捷方式或链接），数据文件都放在项目目录中，随项目一起保存。\n"
    ), err


def test_a_quote_left_open_early_in_a_long_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The rest of the file would become one cell: refused at the row where the quote opens."""
    root = materialise(tmp_path / "none", tmp_path / "p")
    rows = "u01,1.3,late,1,,迟到\n" * 20000
    text = '单位代码,指标编号,规则,情况,扣分,扣分原因\nu02,2.2,,,2,"台账资料不全\n' + rows
    (root / "results" / "shili-2017" / "entries.csv").write_text(text, encoding="utf-8")
    code, err = check(root, capsys)
    assert code == 1
    assert err.startswith(
        "results/shili-2017/entries.csv:2: 错误：CSV 格式错误：有一格超过 131072 个字符"
        "（文件可能在一行中间被截断，或引号没有成对）\n"
    ), err
