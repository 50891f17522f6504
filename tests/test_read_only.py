"""A build that may not write: it says which folder, why and what to do, with a data exit status (not an
internal error), and leaves the published site/ as it was.

The folders a build writes are the lock file ``.kaoping.lock`` in the project, ``docs/assessments`` and
``site/``. Each refusal is made by the system (no permission, a read-only disk) at the call that writes; the
tests make those calls fail as the system would (root is never refused by permissions), and once more on a
really read-only project when this machine can make one (a read-only mount, or permissions when not root).
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox import ROOT, copy_sources, digests, leftovers

from generator.cli import EXIT_DATA, main
from generator.site.build import LOCK_FILE, Progress, build

pytestmark = pytest.mark.slow

SHARED = ROOT / "tests" / "corpus" / "_shared"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project (the corpus's shared rubric and results), built once."""
    root = copy_sources(tmp_path_factory.mktemp("published") / "project")
    shutil.copytree(SHARED, root, dirs_exist_ok=True)
    result = build(root, progress=Progress(quiet=True))
    assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
    return root


@pytest.fixture
def project(published: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(published, root, symlinks=True)
    (root / LOCK_FILE).unlink(missing_ok=True)
    return root


def refused(code: int, filename: str) -> OSError:
    return OSError(code, os.strerror(code), filename)


def advice(root: Path) -> str:
    return (
        f"生成网站要在项目目录 {root} 中写入 .kaoping.lock、docs/assessments/ 和 site/；"
        "把项目复制（或 git clone）到自己可以写入的目录后在那里生成，或请管理员给这个目录写权限\n"
        "原来的 site/ 没有改动。\n"
    )


def build_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    site_before, docs_before = digests(root / "site"), digests(root / "docs")
    capsys.readouterr()
    code = main(["--root", str(root), "build", "--quiet"])
    err = capsys.readouterr().err
    assert code == EXIT_DATA, err
    assert "内部错误" not in err and "Traceback" not in err, err
    assert digests(root / "site") == site_before
    assert digests(root / "docs") == docs_before
    assert leftovers(root) == []
    return err


@pytest.mark.parametrize(("code", "why"), [(errno.EROFS, "磁盘是只读的"), (errno.EACCES, "没有写入权限")])
def test_the_lock_file_cannot_be_written(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, code: int, why: str
) -> None:
    def no_lock(path: object, *args: object, **kwargs: object) -> object:
        raise refused(code, str(path))

    monkeypatch.setattr("generator.site.build.open", no_lock, raising=False)
    err = build_refused(project, capsys)
    assert err == f"生成失败：不能写入 {LOCK_FILE}（{why}）。" + advice(project)
    assert not (project / LOCK_FILE).exists()


@pytest.mark.parametrize("target", ["docs/assessments", "site"])
def test_the_generated_pages_or_the_site_cannot_be_replaced(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    replace = os.replace

    def guarded(src: str | Path, dst: str | Path) -> None:
        # Without write permission on its folder the old one cannot be moved away, nor a new one moved in.
        if project / target in (Path(src), Path(dst)):
            raise refused(errno.EACCES, str(project / target))
        replace(src, dst)

    monkeypatch.setattr("generator.site.build.os.replace", guarded)
    err = build_refused(project, capsys)
    assert err == f"生成失败：不能写入 {target}（没有写入权限）。" + advice(project)


@pytest.fixture
def read_only(project: Path) -> Iterator[Path]:
    """The project on a really read-only folder: a read-only bind mount (as root, where mounting is
    allowed), or without write permission (not root)."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [project, *project.rglob("*")] if p.is_dir() and not p.is_symlink()}
        for path in modes:
            path.chmod(0o555)
        yield project
        for path, mode in modes.items():
            path.chmod(mode)
        return
    mount = shutil.which("mount")
    made = (
        mount
        and subprocess.run([mount, "--bind", "-o", "ro", str(project), str(project)], capture_output=True).returncode
        == 0
    )
    if made and os.access(project, os.W_OK):
        subprocess.run([mount, "-o", "remount,ro,bind", str(project)], capture_output=True)
    if not made or os.access(project, os.W_OK):
        if made:
            subprocess.run(["umount", str(project)], capture_output=True)
        pytest.skip(
            "这台机器上不能做只读的目录（以 root 运行，且不允许挂载）；上面的测试以同样的系统错误覆盖了这一情况"
        )
    try:
        yield project
    finally:
        subprocess.run(["umount", str(project)], check=True)


def test_a_read_only_project(read_only: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = build_refused(read_only, capsys)
    assert err.startswith(f"生成失败：不能写入 {LOCK_FILE}（")
    assert err.endswith(advice(read_only))
