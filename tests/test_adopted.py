"""A whole build takes the last build's units folders of docs/assessments by a rename, not a link per file
(generator/site/adopted.py): what it keeps, what it writes anew, and what happens when it stops."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest_site import digests
from test_incremental import fresh_copy, lines, site_and_docs, write_lines

import generator.site.units
from generator.site.build import BuildError, Progress, build

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402

UNITS = 60
UNITS_DIR = Path("assessments") / synth.AID / "units"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    synth.make_project(root, UNITS)
    assert build(root, progress=Progress(quiet=True)).ok
    return root


class Links:
    """os.link's calls during a build, by the folder their target is in."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.targets: list[str] = []
        real: Callable[..., None] = os.link

        def counting(source: str, target: str, *args: object, **kwargs: object) -> None:
            self.targets.append(os.fspath(target))
            real(source, target, *args, **kwargs)

        monkeypatch.setattr(os, "link", counting)

    def into(self, top: str) -> list[str]:
        """The links made into the staged ``top`` folder's units folder (``docs`` or ``site``)."""
        tail = f"{os.sep}{top}{os.sep}{UNITS_DIR}{os.sep}".replace("/", os.sep)
        return [t for t in self.targets if tail in t]


def test_kept_units_keep_their_files_and_a_remade_units_files_are_new_not_changed_in_place(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs_units = project / "docs" / UNITS_DIR
    site_json = project / "site" / UNITS_DIR / "u00001.json"
    # A hold on the published file as it is (a web server's copy, a link the last build shares with docs/).
    held = tmp_path / "held.json"
    os.link(site_json, held)
    before = held.read_bytes()
    kept_inode = (docs_units / "u00002.md").stat().st_ino
    changed = synth.edit_first_reason(project)
    assert changed == "u00001"
    links = Links(monkeypatch)
    assert build(project, progress=Progress(quiet=True)).ok
    assert links.into("site"), "the site's unit files are still linked (the count sees links)"
    assert links.into("docs") == [], "docs/' units folder is taken whole, not linked file by file"
    assert held.read_bytes() == before, "the last build's file was changed in place"
    assert site_json.read_bytes() != before
    assert (docs_units / "u00002.md").stat().st_ino == kept_inode
    assert (docs_units / "u00001.json").stat().st_ino == site_json.stat().st_ino


def test_a_unit_gone_from_the_data_leaves_no_file_in_docs(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = f"u{UNITS:05d}"
    for path in sorted((project / "results" / synth.AID).glob("*.csv")):
        write_lines(path, [row for row in lines(path) if row.split(",")[0] != gone])
    links = Links(monkeypatch)
    assert build(project, progress=Progress(quiet=True)).ok
    assert links.into("docs") == []
    left = sorted(p.name for p in (project / "docs" / UNITS_DIR).iterdir())
    assert left and not [name for name in left if name.startswith(gone + ".")], left
    assert len(left) == 3 * (UNITS - 1)


def test_a_units_folder_holding_a_file_no_build_wrote_is_linked_as_before(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Explorer's Thumbs.db is allowed there (it is not the clerk's), but the folder is then not taken whole."""
    (project / "docs" / UNITS_DIR / "Thumbs.db").write_bytes(b"\0" * 16)
    synth.edit_first_reason(project)
    links = Links(monkeypatch)
    assert build(project, progress=Progress(quiet=True)).ok
    assert len(links.into("docs")) == 3 * (UNITS - 1)
    fresh = fresh_copy(project, tmp_path / "fresh")
    assert build(fresh, progress=Progress(quiet=True)).ok
    assert site_and_docs(project) == site_and_docs(fresh)


@pytest.mark.parametrize("stop", ["disk-full", "interrupted"])
def test_a_build_that_stops_after_taking_the_units_folder_puts_it_back(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: str
) -> None:
    """It stops while it writes the one unit made again, after it swept the files of a unit gone from the data:
    the folder is back in docs/, site/ is as it was, and the next build is the same as one from nothing."""
    site_before = digests(project / "site")
    docs_units = project / "docs" / UNITS_DIR
    names = sorted(p.name for p in docs_units.iterdir())
    synth.edit_first_reason(project)
    gone = f"u{UNITS:05d}"
    for path in sorted((project / "results" / synth.AID).glob("*.csv")):
        write_lines(path, [row for row in lines(path) if row.split(",")[0] != gone])

    def fails(*_args: object) -> None:
        if stop == "interrupted":
            raise KeyboardInterrupt
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(generator.site.units, "write_unit_workbook", fails)
    with pytest.raises(BuildError if stop == "disk-full" else KeyboardInterrupt):
        build(project, progress=Progress(quiet=True))
    monkeypatch.undo()
    assert digests(project / "site") == site_before
    # Back in docs/, with every kept unit's files; the remade unit's were removed before its new ones were written,
    # and the gone unit's swept.
    back = sorted(p.name for p in docs_units.iterdir())
    made_or_swept = {f"{uid}.{x}" for uid in ("u00001", gone) for x in ("md", "json", "xlsx")}
    assert set(back) >= set(names) - made_or_swept
    assert not list((project).glob(".kaoping-tmp-*/docs")), "the staged folder is gone"
    assert build(project, progress=Progress(quiet=True)).ok
    fresh = fresh_copy(project, tmp_path / "fresh")
    assert build(fresh, progress=Progress(quiet=True)).ok
    assert site_and_docs(project) == site_and_docs(fresh)
