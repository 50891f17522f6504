"""Plain ``mkdocs build`` on a fresh clone builds the whole site: the generated pages are made first
(:mod:`generator.site.mkdocs_generate`), and data with errors stops it with the checker's messages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sandbox import ROOT, copy_sources

from generator.site import build, mkdocs_generate

pytestmark = pytest.mark.slow


def fresh_clone(dest: Path) -> Path:
    """What a clone holds: the sources and the data, no docs/assessments, no site/."""
    copy_sources(dest)
    shutil.rmtree(dest / "generator")
    for name in ("rubrics", "results", "generator"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    assert not (dest / "docs" / "assessments").exists()
    return dest


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, capture_output=True, text=True, timeout=600
    )


def test_plain_mkdocs_build_on_a_fresh_clone_builds_every_page(tmp_path: Path) -> None:
    root = fresh_clone(tmp_path / "clone")
    run = mkdocs_build(root)
    assert run.returncode == 0, run.stderr
    site = root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    # The home page's list of assessments is the generated part (--8<-- docs/assessments/_partials/home.md).
    assert 'href="assessments/wujin-2017/index.html"' in home
    for page in ("index", "standards", "results"):
        assert (site / "assessments" / "wujin-2017" / f"{page}.html").is_file(), page
    units = list((site / "assessments" / "wujin-2017" / "units").glob("*.html"))
    assert len(units) > 10
    assert not list((root / "docs").glob(mkdocs_generate.TEMP_PREFIX + "*"))


def test_plain_mkdocs_build_stops_at_bad_data_with_its_place(tmp_path: Path) -> None:
    root = fresh_clone(tmp_path / "clone")
    units = root / "results" / "wujin-2017" / "units.csv"
    lines = units.read_bytes().count(b"\n")
    with units.open("ab") as handle:
        handle.write(b'broken,"')
    run = mkdocs_build(root)
    assert run.returncode != 0
    assert "数据有错误，网站没有生成" in run.stderr
    assert f"results/wujin-2017/units.csv:{lines + 1}: 错误：CSV 格式错误" in run.stderr
    assert not (root / "site").exists()
    assert not (root / "docs" / "assessments").exists()


def test_the_hook_names_the_builds_folders() -> None:
    assert (mkdocs_generate.TEMP_PREFIX, mkdocs_generate.TEMPLATES_DIR) == (build.TEMP_PREFIX, build.TEMPLATES_DIR)
