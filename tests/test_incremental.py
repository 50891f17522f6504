"""Incremental builds: a build that reuses the last one's files makes exactly the bytes a build from nothing makes.

A synthetic project (bench/synth.py) is built once; then seeded random edits (a reason, a deduction, a
row removed or added, a unit renamed, a bonus, a template, the rubric's title) are made one after another,
each followed by a build that reuses what it can. After each, a copy of the project without ``site/``,
``docs/assessments`` or the cache is built from nothing, and both sites and generated docs must be the
same, file for file and byte for byte (the build stamp aside, which says when a build ran).
"""

from __future__ import annotations

import errno
import gzip
import os
import random
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest_site import copy_project, digests

from generator.site.build import Progress, build
from generator.site.cache import CACHE_DIR
from generator.site.stamp import BUILD_STAMP

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402

UNITS = 240
ENTRIES = Path("results") / synth.AID / "entries.csv"


class Steps:
    """Progress that keeps the lines a build prints."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def progress(self) -> Progress:
        steps = self

        class Keep(Progress):
            def step(self, text: str) -> None:
                steps.lines.append(text)

        return Keep(quiet=False)


def fresh_copy(project: Path, dest: Path) -> Path:
    """The project's sources only: no site/, docs/assessments, cache, lock."""
    generated = {project / "site", project / "docs" / "assessments", project / CACHE_DIR, project / ".kaoping.lock"}

    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder) / n in generated or n.startswith(".kaoping-tmp-")]

    shutil.copytree(project, dest, ignore=ignore)
    return dest


def site_and_docs(root: Path) -> dict[str, str]:
    files = {f"site/{k}": v for k, v in digests(root / "site").items() if k != BUILD_STAMP}
    files.update({f"docs/{k}": v for k, v in digests(root / "docs" / "assessments").items()})
    return files


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, rows: list[str]) -> None:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def edit_reason(root: Path, rng: random.Random) -> str:
    rows = lines(root / ENTRIES)
    n = rng.randrange(1, len(rows))
    cells = rows[n].split(",")
    cells[5] = cells[5] + "（复核）"
    rows[n] = ",".join(cells)
    write_lines(root / ENTRIES, rows)
    return cells[0]


def edit_deduction(root: Path, rng: random.Random) -> str:
    """A row of a range rule (a deduction written as an amount) gets another amount: the total changes."""
    rows = lines(root / ENTRIES)
    candidates = [n for n, row in enumerate(rows) if n and row.split(",")[4] in ("0.5", "1")]
    n = rng.choice(candidates)
    cells = rows[n].split(",")
    cells[4] = "0.5" if cells[4] == "1" else "1"
    rows[n] = ",".join(cells)
    write_lines(root / ENTRIES, rows)
    return cells[0]


def remove_row(root: Path, rng: random.Random) -> str:
    rows = lines(root / ENTRIES)
    removed = rows.pop(rng.randrange(1, len(rows)))
    write_lines(root / ENTRIES, rows)
    return removed.split(",")[0]


def add_bonus(root: Path, rng: random.Random) -> str:
    path = root / "results" / synth.AID / "bonus.csv"
    uid = f"u{rng.randrange(1, UNITS + 1):05d}"
    write_lines(path, [*lines(path), f"{uid},honours,省级,1,新的表彰{rng.randrange(1000)},表彰文件"])
    return uid


def rename_unit(root: Path, rng: random.Random) -> str:
    path = root / "results" / synth.AID / "units.csv"
    rows = lines(path)
    n = rng.randrange(1, len(rows))
    cells = rows[n].split(",")
    cells[1] = cells[1] + "（新名）"
    rows[n] = ",".join(cells)
    write_lines(path, rows)
    return cells[0]


def edit_template(root: Path, rng: random.Random) -> str:
    path = root / "site_templates" / "unit.md.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("下载本单位计分数据（JSON）", "下载本单位的计分数据（JSON）"), encoding="utf-8")
    return ""


def edit_rubric_title(root: Path, rng: random.Random) -> str:
    path = root / "rubrics" / f"{synth.AID}.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: 基准测试党建工作考核细则", "title: 基准测试党建工作考核细则（修订）", 1), encoding="utf-8"
    )
    return ""


EDITS: list[Callable[[Path, random.Random], str]] = [
    edit_reason,
    edit_deduction,
    remove_row,
    add_bonus,
    rename_unit,
    edit_template,
    edit_rubric_title,
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "project"
    synth.make_project(root, UNITS)
    assert build(root, progress=Progress(quiet=True)).ok
    return root


def test_a_build_with_nothing_changed_reuses_everything_and_is_the_same(project: Path) -> None:
    before = site_and_docs(project)
    steps = Steps()
    assert build(project, progress=steps.progress()).ok
    assert site_and_docs(project) == before
    said = "\n".join(steps.lines)
    assert f"单位页面：{UNITS} 个与上次相同，没有单位的数据变化" in said, said
    assert "沿用上次 MkDocs 的输出" in said, said


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_build_incrementally_to_the_same_bytes_as_from_nothing(
    project: Path, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    edits = rng.sample(EDITS[:5], 3) + ([rng.choice(EDITS[5:])] if seed == 2 else [])
    for number, edit in enumerate(edits):
        unit = edit(project, rng)
        steps = Steps()
        assert build(project, progress=steps.progress()).ok
        said = "\n".join(steps.lines)
        if edit in EDITS[:5]:
            # Only what changed is made again, and the build says which units.
            assert "个与上次相同" in said and f"（{unit}）" in said, (edit.__name__, said)
        fresh = fresh_copy(project, tmp_path / f"fresh-{number}")
        assert build(fresh, progress=Progress(quiet=True)).ok
        mine, theirs = site_and_docs(project), site_and_docs(fresh)
        assert sorted(mine) == sorted(theirs), edit.__name__
        differ = [path for path in sorted(mine) if mine[path] != theirs[path]]
        assert not differ, (edit.__name__, differ[:10])


def test_a_unit_code_changed_builds_incrementally_to_the_same_bytes(project: Path, tmp_path: Path) -> None:
    """A unit's code changed in every file (the same number of pages, one at a new address): the search box's
    index is made again, not patched in place with the old address kept."""
    old, new = "u00011", "u00011a"
    for path in sorted((project / "results" / synth.AID).glob("*.csv")):
        rows = lines(path)
        write_lines(path, [new + row[len(old) :] if row.split(",")[0] == old else row for row in rows])
    assert build(project, progress=Progress(quiet=True)).ok
    fresh = fresh_copy(project, tmp_path / "fresh")
    assert build(fresh, progress=Progress(quiet=True)).ok
    mine, theirs = site_and_docs(project), site_and_docs(fresh)
    assert sorted(mine) == sorted(theirs)
    assert [path for path in sorted(mine) if mine[path] != theirs[path]] == []
    index = "".join(p.read_text(encoding="utf-8") for p in (project / "site" / "search" / "kaoping").rglob("*.js"))
    assert f"units/{new}.html" in index and f"units/{old}.html" not in index


def test_the_entry_makers_search_entries_are_those_the_build_makes_itself(project: Path) -> None:
    """A build that makes few unit pages again takes their search entries from a process of its own."""
    from generator.site.assemble import EntryMaker, SearchPage, load_search_dictionaries, search_entries

    pages = [
        SearchPage(f"<h1>第{n}党支部</h1><p>组织生活会按时召开，记录不全</p>", f"u{n}.html", f"第{n}党支部", {})
        for n in (1, 2)
    ]
    maker = EntryMaker(project)
    try:
        made = maker.entries(pages)
    finally:
        maker.stop()
    assert maker.entries(pages) is None  # stopped: the build makes them itself
    load_search_dictionaries(project)
    assert made == [search_entries([page]) for page in pages]
    # Segmented by jieba: words between zero-width spaces.
    assert made is not None and "\u200b按时\u200b" in made[0][-1]["text"], made


def test_the_build_command_ends_with_everything_written(project: Path, tmp_path: Path) -> None:
    """kaoping build ends its process without the interpreter's teardown: its last words, the site and the
    cache are all there (the next build reuses every unchanged unit)."""
    import subprocess

    root = fresh_copy(project, tmp_path / "program")
    command = [sys.executable, "-m", "generator", "--root", str(root), "build"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert first.returncode == 0, first.stderr
    assert first.stderr.rstrip().endswith("网站在 site/"), first.stderr  # the progress lines
    unit = edit_reason(root, random.Random(3))
    again = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    assert f"{UNITS - 1} 个与上次相同" in again.stderr and f"（{unit}）" in again.stderr, again.stderr
    fresh = fresh_copy(root, tmp_path / "fresh")
    assert build(fresh, progress=Progress(quiet=True)).ok
    assert site_and_docs(root) == site_and_docs(fresh)


def test_the_build_command_started_with_its_output_closed_ends_well(project: Path, tmp_path: Path) -> None:
    """kaoping build >&- (as a cron job may start it): Python has no sys.stdout; the build still ends with 0."""
    import subprocess

    root = fresh_copy(project, tmp_path / "closed")
    command = [sys.executable, "-m", "generator", "--root", str(root), "build", "-q"]
    done = subprocess.run(
        command, stderr=subprocess.PIPE, text=True, timeout=600, check=False, preexec_fn=lambda: os.close(1)
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert (root / "site" / "index.html").is_file()


def test_a_changed_site_file_is_made_again_not_reused(project: Path) -> None:
    page = project / "site" / "assessments" / synth.AID / "units" / "u00007.html"
    good = page.read_bytes()
    page.unlink()
    page.write_bytes(good.replace("单位代码".encode(), "单位编号".encode()))
    assert build(project, progress=Progress(quiet=True)).ok
    assert page.read_bytes() == good


def test_a_rebuild_compresses_only_what_it_made_again(project: Path) -> None:
    """A file the rebuild took from the last site (the same file) keeps its .gz; any other gets a new one."""
    site = project / "site"

    def files() -> dict[str, tuple[int, int | None]]:
        out = {}
        for gz in site.rglob("*.gz"):
            source = gz.with_name(gz.name[: -len(".gz")])
            out[source.relative_to(site).as_posix()] = (source.stat().st_ino, gz.stat().st_ino)
        return out

    edit_reason(project, random.Random(5))
    before = files()
    # A kept file changed in place behind the build's back (same file, new time): its .gz must not be taken.
    touched = next(site / rel for rel in sorted(before) if rel.startswith("search/kaoping/t/"))
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    assert build(project, progress=Progress(quiet=True)).ok
    after = files()
    kept = [rel for rel in after if rel in before and after[rel][0] == before[rel][0]]
    assert len(kept) >= 10, "重新生成时沿用的文件应沿用压缩副本"
    for rel in kept:
        assert after[rel][1] == before[rel][1], rel
    remade = [rel for rel in after if rel in before and after[rel][0] != before[rel][0]]
    assert remade and all(after[rel][1] != before[rel][1] for rel in remade)
    for rel in after:
        path = site / rel
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes(), rel
    assert not any(rel.startswith(f"assessments/{synth.AID}/units/") for rel in after), "单位页面由网站服务器即时压缩"


def test_the_full_json_is_kept_while_no_unit_in_it_changed(project: Path) -> None:
    """The assessment's full JSON joins every unit's JSON (over 100 MB at 10,000 units): a build takes the last
    build's file, and so its .gz, while the particulars and every unit are the same, and joins it again when one
    unit's row changed."""
    from generator.site import paths

    json_file = paths.downloads(synth.AID)[2]
    docs_file, site_file = project / "docs" / json_file, project / "site" / json_file
    packed = site_file.with_name(site_file.name + ".gz")

    def identities() -> tuple[int, int, int]:
        return docs_file.stat().st_ino, site_file.stat().st_ino, packed.stat().st_ino

    assert build(project, progress=Progress(quiet=True)).ok
    before, text = identities(), site_file.read_bytes()
    assert build(project, progress=Progress(quiet=True)).ok
    assert identities() == before and site_file.read_bytes() == text
    unit = edit_reason(project, random.Random(11))
    assert build(project, progress=Progress(quiet=True)).ok
    after = identities()
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert site_file.read_bytes() != text and f'"{unit}"'.encode() in site_file.read_bytes()
    assert gzip.decompress(packed.read_bytes()) == site_file.read_bytes() == docs_file.read_bytes()


def test_the_offices_own_files_in_docs_are_copied_into_the_site_not_linked(project: Path) -> None:
    """Styles and scripts in docs/ are the office's to edit, in place too (an editor may write into the file):
    the published site changes only when a build puts the change there, with a .gz that matches it."""
    assert build(project, progress=Progress(quiet=True)).ok
    own = sorted(p for p in (project / "docs" / "assets").iterdir() if p.suffix in (".css", ".js"))
    assert own
    for source in own:
        published = project / "site" / "assets" / source.name
        assert published.read_bytes() == source.read_bytes()
        assert published.stat().st_ino != source.stat().st_ino, source.name
    source = own[0]
    before = source.read_bytes()
    try:
        with source.open("r+b") as handle:  # in place, as an editor may write
            handle.seek(0, os.SEEK_END)
            handle.write(b"\n/* changed */\n")
        assert (project / "site" / "assets" / source.name).read_bytes() == before
    finally:
        source.write_bytes(before)


def test_downloads_made_in_a_process_of_their_own_are_the_same(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import units

    monkeypatch.setattr(units, "BACKGROUND_UNITS", 1)
    fresh = fresh_copy(project, tmp_path / "background")
    assert build(fresh, progress=Progress(quiet=True)).ok
    assert site_and_docs(fresh) == site_and_docs(project)


def test_rendering_workers_are_replaced_as_they_go_and_results_keep_their_order() -> None:
    """A worker renders WORKER_TASKS chunks, then a fresh fork takes its place: the copy of the outcomes a
    worker makes as it reads them is dropped with it."""
    from generator.site import workers

    items = list(range(workers.CHUNK * (4 * workers.WORKER_TASKS + 1)))
    seen = workers.in_parallel(lambda n: (n, os.getpid()), items, 2, "测试", workers.quiet)
    assert [n for n, _ in seen] == items
    pids = {pid for _, pid in seen}
    assert os.getpid() not in pids
    # Each worker does at most WORKER_TASKS chunks: 41 chunks need at least 5 workers.
    assert len(pids) >= 5
    per_worker = [sum(1 for _, pid in seen if pid == w) for w in pids]
    assert max(per_worker) <= workers.CHUNK * workers.WORKER_TASKS


def disk_full(*_args: object) -> bytes:
    """A download that cannot be written (module-level: the downloads' process receives it by name)."""
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_download_that_cannot_be_written_in_its_process_stops_the_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import units
    from generator.site.build import BuildError

    monkeypatch.setattr(units, "BACKGROUND_UNITS", 1)
    monkeypatch.setattr(units, "results_book", disk_full)
    fresh = fresh_copy(project, tmp_path / "full")
    with pytest.raises(BuildError, match="磁盘空间不足|空间"):
        build(fresh, progress=Progress(quiet=True))
    assert not (fresh / "site").exists()
    assert not list(fresh.glob(".kaoping-tmp-*"))


def test_splicing_a_documents_postings_is_encoding_them_again() -> None:
    from array import array

    from generator.site.searchcache import splice
    from generator.site.searchindex import encode_entry

    def encoded(entries: dict[int, list[int]]) -> array[int]:
        out, last = array("i"), 0
        for number in sorted(entries):
            out.extend(encode_entry(number, last, entries[number]))
            last = number
        return out

    rng = random.Random(3)
    for _ in range(2000):
        entries = {
            n: sorted(rng.sample(range(50), rng.randint(1, 4))) for n in rng.sample(range(30), rng.randint(0, 10))
        }
        number = rng.randrange(32)
        positions = None if rng.random() < 0.4 else sorted(rng.sample(range(50), rng.randint(1, 3)))
        expected = dict(entries)
        expected.pop(number, None)
        if positions:
            expected[number] = positions
        assert splice(encoded(entries), number, positions) == encoded(expected), (entries, number, positions)


def test_a_cache_folder_that_is_a_link_stops_the_build_and_nothing_behind_it_is_deleted(
    project: Path, tmp_path: Path
) -> None:
    from generator.site.build import BuildError
    from generator.site.cache import TRASH
    from generator.site.chrome import KEPT

    elsewhere = tmp_path / "elsewhere"
    for folder in (elsewhere / TRASH / ".kaoping-tmp-1", elsewhere / KEPT):
        folder.mkdir(parents=True)
        (folder / "keep.txt").write_text("不是 kaoping 的文件", encoding="utf-8")
    cache = project / CACHE_DIR
    aside = tmp_path / "cache-aside"
    cache.rename(aside)
    before = site_and_docs(project)
    try:
        cache.symlink_to(elsewhere, target_is_directory=True)
        with pytest.raises(BuildError, match=r"\.kaoping-cache 是一个链接"):
            build(project, progress=Progress(quiet=True))
        cache.unlink()
        cache.write_text("", encoding="utf-8")
        with pytest.raises(BuildError, match="不是文件夹"):
            build(project, progress=Progress(quiet=True))
    finally:
        cache.unlink()
        aside.rename(cache)
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("keep.txt")) == [
        f"{KEPT}/keep.txt",
        f"{TRASH}/.kaoping-tmp-1/keep.txt",
    ]
    assert site_and_docs(project) == before


def test_an_answered_letter_and_a_decided_objection_build_incrementally_to_the_same_bytes(tmp_path: Path) -> None:
    """The bundled year's records: a letter's status changes its unit's page only; an objection decided
    changes the scores (and the pages of the units whose places or averages move). Each incremental build is
    the same as a build from nothing."""
    project = copy_project(tmp_path / "project")
    assert build(project, progress=Progress(quiet=True)).ok
    letters = project / "results" / "zonghe-2020" / "letters.csv"
    rows = lines(letters)
    answered = next(i for i, row in enumerate(rows) if row.endswith(",已答复"))
    unit = rows[answered].split(",")[3]
    rows[answered] = rows[answered][: -len("已答复")] + "已办结"
    write_lines(letters, rows)
    objections = project / "results" / "zonghe-2020" / "objections.csv"
    rows = lines(objections)
    kept = next(i for i, row in enumerate(rows) if ",维持,,," in row)
    decided = [*rows[:kept], rows[kept].replace(",维持,,,", ",调整,,0.5,"), *rows[kept + 1 :]]
    for number, edit in enumerate((None, decided)):
        if edit is not None:
            write_lines(objections, edit)
        steps = Steps()
        assert build(project, progress=steps.progress()).ok
        said = "\n".join(steps.lines)
        if edit is None:  # the letter alone: its unit's page, nothing else (named with its assessment: two here)
            assert re.search(rf"个与上次相同，重新生成：[^、\n]*（{unit}，考核 zonghe-2020）$", said, re.M), said
        fresh = fresh_copy(project, tmp_path / f"fresh-{number}")
        assert build(fresh, progress=Progress(quiet=True)).ok
        mine, theirs = site_and_docs(project), site_and_docs(fresh)
        assert sorted(mine) == sorted(theirs)
        assert [path for path in sorted(mine) if mine[path] != theirs[path]] == []


def test_mkdocs_kept_output_changed_by_hand_is_made_again(project: Path) -> None:
    """MkDocs' output kept in the cache is taken only while it is exactly what was kept: a page removed, a page
    edited, a file added or a folder half deleted (a build stopped while replacing it) make MkDocs run again."""
    from generator.site.chrome import KEPT

    assert build(project, progress=Progress(quiet=True)).ok
    before = site_and_docs(project)
    kept = project / CACHE_DIR / KEPT
    standards = kept / "assessments" / synth.AID / "standards.html"

    def tamper_remove() -> None:
        standards.unlink()

    def tamper_edit() -> None:
        page = kept / "404.html"
        page.write_text(page.read_text(encoding="utf-8") + "EDITED", encoding="utf-8")

    def tamper_add() -> None:
        (kept / "extra.html").write_text("<p>不是 MkDocs 生成的</p>", encoding="utf-8")

    def tamper_link() -> None:
        target = project.parent / "elsewhere.html"
        target.write_text("EDITED", encoding="utf-8")
        (kept / "404.html").unlink()
        (kept / "404.html").symlink_to(target)

    for tamper in (tamper_remove, tamper_edit, tamper_add, tamper_link):
        tamper()
        steps = Steps()
        assert build(project, progress=steps.progress()).ok
        said = "\n".join(steps.lines)
        assert "用 MkDocs 生成网站" in said, (tamper.__name__, said)
        assert site_and_docs(project) == before, tamper.__name__
        assert b"EDITED" not in (project / "site" / "404.html").read_bytes()
    steps = Steps()
    assert build(project, progress=steps.progress()).ok
    assert "沿用上次 MkDocs 的输出" in "\n".join(steps.lines)


def test_a_record_edited_into_another_shape_makes_the_files_again(project: Path) -> None:
    import json

    assert build(project, progress=Progress(quiet=True)).ok
    before = site_and_docs(project)
    path = project / CACHE_DIR / "record.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rels = sorted(data["files"])
    data["files"][rels[0]] = 5
    data["files"][rels[1]] = []
    data["files"][rels[2]] = [7, 1, 2, 3]
    data["files"][rels[3]] = {"a": 1}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert build(project, progress=Progress(quiet=True)).ok
    assert site_and_docs(project) == before


@pytest.mark.parametrize("rel", ["site", "docs/assessments"])
def test_a_site_folder_that_is_a_link_stops_the_build_and_what_it_points_to_stays(
    project: Path, tmp_path: Path, rel: str
) -> None:
    """An IT person may point site/ at the web server's folder: the build would replace the link, not update
    the folder, so it stops and says to use kaoping publish. Nothing behind the link is touched."""
    from generator.site.build import BuildError

    folder = project / rel
    served = tmp_path / "served"
    folder.rename(served)
    before = digests(served)
    try:
        folder.symlink_to(served, target_is_directory=True)
        edit_reason(project, random.Random(21))
        with pytest.raises(BuildError, match=f"{rel} 是一个链接（指向 {re.escape(str(served))}）"):
            build(project, progress=Progress(quiet=True))
        assert folder.is_symlink() and digests(served) == before
    finally:
        if folder.is_symlink():
            folder.unlink()
        served.rename(folder)
    assert build(project, progress=Progress(quiet=True)).ok


def test_a_unit_removed_from_the_data_is_named_in_what_the_build_says(project: Path, tmp_path: Path) -> None:
    root = fresh_copy(project, tmp_path / "removed")
    assert build(root, progress=Progress(quiet=True)).ok
    gone = f"u{UNITS:05d}"
    for path in sorted((root / "results" / synth.AID).glob("*.csv")):
        write_lines(path, [row for row in lines(path) if row.split(",")[0] != gone])
    steps = Steps()
    assert build(root, progress=steps.progress()).ok
    said = "\n".join(steps.lines)
    assert f"上次有、这次没有的单位：{gone}" in said, said
    assert not (root / "site" / "assessments" / synth.AID / "units" / f"{gone}.html").exists()
    steps = Steps()
    assert build(root, progress=steps.progress()).ok
    assert "上次有、这次没有" not in "\n".join(steps.lines)


def test_mkdocs_output_holding_a_link_is_not_kept(tmp_path: Path) -> None:
    """What cannot be checked file by file (a link in MkDocs' output) is never taken again."""
    from generator.site.chrome import KEPT, KEY_FILE, keep_output, kept_output

    made = tmp_path / "made"
    (made / "sub").mkdir(parents=True)
    (made / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (made / "sub" / "link.html").symlink_to(made / "index.html")
    folder = keep_output(tmp_path, made, "key")
    assert folder == tmp_path / CACHE_DIR / KEPT and not (folder / KEY_FILE).exists()
    assert kept_output(tmp_path, "key") is None
    (folder / "sub" / "link.html").unlink()
    made.mkdir()
    (made / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    kept = keep_output(tmp_path, made, "key")
    assert kept_output(tmp_path, "key") == kept and kept_output(tmp_path, "other") is None


def test_what_mkdocs_yml_names_outside_the_templates_is_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A theme folder of the office's own (``custom_dir``), a hook of its own, a parent configuration
    (``INHERIT``) and a value from the environment (``!ENV``): a change to any of them shows on the rebuilt
    site, which is the same as a build from nothing."""
    root = tmp_path / "project"
    synth.make_project(root, 30)
    shutil.copytree(root / "site_templates" / "theme", root / "overrides")
    (root / "overrides" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}通知：第一版{% endblock %}\n', encoding="utf-8"
    )
    (root / "office_hooks.py").write_text(
        'def on_page_content(html, **kwargs):\n    return html + "<p>页脚：甲</p>"\n', encoding="utf-8"
    )
    (root / "base.yml").write_text("site_description: 上级配置：一\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "custom_dir: site_templates/theme" in text and "  - generator/site/mkdocs_hooks.py\n" in text
    text = text.replace("custom_dir: site_templates/theme", "custom_dir: overrides")
    hooks = "  - generator/site/mkdocs_hooks.py\n"
    text = text.replace(hooks, hooks + "  - office_hooks.py\n")
    text = re.sub(r"(?m)^site_name: .*$", "site_name: !ENV [KAOPING_TEST_SITE_NAME, 默认名称]", text)
    text = re.sub(r"(?m)^site_description: .*\n", "", text)
    config.write_text("INHERIT: base.yml\n" + text, encoding="utf-8")
    monkeypatch.setenv("KAOPING_TEST_SITE_NAME", "甲市考核")
    assert build(root, progress=Progress(quiet=True)).ok
    index = root / "site" / "index.html"
    for shown in ("通知：第一版", "页脚：甲", "上级配置：一", "甲市考核"):
        assert shown in index.read_text(encoding="utf-8"), shown

    def change(path: Path, old: str, new: str) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    edits: list[tuple[str, Callable[[], None]]] = [
        ("通知：第二版", lambda: change(root / "overrides" / "main.html", "第一版", "第二版")),
        ("页脚：乙", lambda: change(root / "office_hooks.py", "甲", "乙")),
        ("上级配置：二", lambda: change(root / "base.yml", "一", "二")),
        ("乙市考核", lambda: monkeypatch.setenv("KAOPING_TEST_SITE_NAME", "乙市考核")),
    ]
    for number, (shown, edit) in enumerate(edits):
        edit()
        steps = Steps()
        assert build(root, progress=steps.progress()).ok
        assert "沿用上次 MkDocs 的输出" not in "\n".join(steps.lines), shown
        assert shown in index.read_text(encoding="utf-8"), shown
        fresh = fresh_copy(root, tmp_path / f"fresh-{number}")
        assert build(fresh, progress=Progress(quiet=True)).ok
        assert site_and_docs(root) == site_and_docs(fresh), shown


def test_a_date_from_the_environment_in_mkdocs_yml_is_part_of_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """YAML reads 2024-01-01 as a date: its value, not its kind, goes into the settings the key is made of."""
    from generator.site.chrome import configured_sources

    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra:\n  updated: !ENV [KP_DATE, 2024-01-01]\n", "utf-8")
    monkeypatch.setenv("KP_DATE", "2024-05-01")
    first = configured_sources(tmp_path)[0]
    monkeypatch.setenv("KP_DATE", "2025-09-09")
    assert configured_sources(tmp_path)[0] != first and "2025" in configured_sources(tmp_path)[0]
