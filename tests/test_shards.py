"""Sharded builds: N processes each build a part of the unit pages, a merge makes the site a single build makes.

Each shard runs as its own process (``python -m generator build --shard K/N``), in a copy of its own as a CI
runner would, and only its ``shards/K/`` folder is carried to the project that merges (as CI artifacts are).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest_site import digests

from generator.data.pipeline import prepare
from generator.site.build import Progress, build
from generator.site.cache import CACHE_DIR
from generator.site.shards import SHARDS_DIR, ShardError, deal, parse_spec
from generator.site.stamp import BUILD_STAMP

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synth  # noqa: E402

UNITS = 200
SHARDS = 3


def kaoping(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def site(root: Path) -> dict[str, str]:
    return {k: v for k, v in digests(root / "site").items() if k != BUILD_STAMP}


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("single") / "project"
    synth.make_project(root, UNITS)
    assert build(root, progress=Progress(quiet=True)).ok
    return root


def test_shards_built_apart_merge_into_the_same_site_as_one_build(single: Path, tmp_path: Path) -> None:
    merged = tmp_path / "merged"
    synth.make_project(merged, UNITS)
    for k in range(1, SHARDS + 1):
        runner = tmp_path / f"runner-{k}"
        synth.make_project(runner, UNITS)
        done = kaoping(runner, "build", "-q", "--shard", f"{k}/{SHARDS}")
        assert done.returncode == 0, done.stderr
        assert not (runner / "site").exists(), "分片不生成 site/"
        shutil.copytree(runner / SHARDS_DIR / str(k), merged / SHARDS_DIR / str(k))
    done = kaoping(merged, "merge")
    assert done.returncode == 0, done.stderr
    said = f"单位页面：{UNITS} 个取自分片（这里没有上次生成网站的记录，不与上次比较）"
    assert said in done.stderr, done.stderr
    mine, theirs = site(merged), site(single)
    assert sorted(mine) == sorted(theirs)
    assert [p for p in sorted(mine) if mine[p] != theirs[p]] == []


def test_a_merge_says_what_changed_since_the_last_site_built_there(tmp_path: Path) -> None:
    """The office's machine built the site; the next data commit is built in shards and merged there. The
    merge says which unit's data changed since that site (not "no change": every page came from a shard)."""
    root = tmp_path / "project"
    synth.make_project(root, UNITS)
    assert kaoping(root, "build", "-q").returncode == 0
    unit = synth.edit_first_reason(root)
    for k in range(1, SHARDS + 1):
        runner = tmp_path / f"runner-{k}"
        synth.make_project(runner, UNITS)
        shutil.copy2(root / "results" / synth.AID / "entries.csv", runner / "results" / synth.AID / "entries.csv")
        assert kaoping(runner, "build", "-q", "--shard", f"{k}/{SHARDS}").returncode == 0
        shutil.copytree(runner / SHARDS_DIR / str(k), root / SHARDS_DIR / str(k))
    done = kaoping(root, "merge")
    assert done.returncode == 0, done.stderr
    assert f"单位页面：{UNITS} 个取自分片；与上次的网站相比，页面有变化的单位：" in done.stderr, done.stderr
    assert re.search(rf"页面有变化的单位：[^、\n]*（{unit}）$", done.stderr, re.M), done.stderr
    # Merged again with nothing changed since: said so.
    again = kaoping(root, "merge")
    assert again.returncode == 0, again.stderr
    assert f"单位页面：{UNITS} 个取自分片；与上次的网站相比，没有单位的页面变化" in again.stderr, again.stderr
    # The unit template changed here after the shards were built: the merge makes every page itself, and says
    # that every unit's page changed, and why it may have (not a list of 200 names).
    template = root / "site_templates" / "unit.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n<!-- 模板改动 -->\n", encoding="utf-8")
    remade = kaoping(root, "merge")
    assert remade.returncode == 0, remade.stderr
    assert f"个由合并生成；与上次的网站相比，全部 {UNITS} 个单位的页面都有变化（数据、模板或 kaoping 的版本变了）" in (
        remade.stderr
    ), remade.stderr


def test_a_shard_built_where_the_site_is_leaves_the_next_build_nothing_to_redo(tmp_path: Path) -> None:
    """A shard tried on the office's machine: the generated docs folder is as it was, so the next build
    reuses every unit (before, it found only the shard's part and made the others again)."""
    root = tmp_path / "project"
    synth.make_project(root, UNITS)
    assert kaoping(root, "build", "-q").returncode == 0
    docs = root / "docs" / "assessments"
    before = digests(docs)
    assert kaoping(root, "build", "-q", "--shard", f"2/{SHARDS}").returncode == 0
    assert digests(docs) == before
    done = kaoping(root, "build")
    assert done.returncode == 0, done.stderr
    assert f"单位页面：{UNITS} 个与上次相同，没有单位的数据变化" in done.stderr, done.stderr
    # In a fresh project (a CI runner) the shard leaves no generated folder behind.
    fresh = tmp_path / "fresh"
    synth.make_project(fresh, UNITS)
    assert kaoping(fresh, "build", "-q", "--shard", f"1/{SHARDS}").returncode == 0
    assert not (fresh / "docs" / "assessments").exists()
    assert (fresh / SHARDS_DIR / "1" / "shard.json").is_file()


def test_a_merge_with_a_shard_missing_makes_its_pages_itself(single: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    synth.make_project(root, UNITS)
    done = kaoping(root, "build", "-q", "--shard", f"1/{SHARDS}")
    assert done.returncode == 0, done.stderr
    done = kaoping(root, "merge")
    assert done.returncode == 0, done.stderr
    assert f"缺少第 2、3 份分片（共 {SHARDS} 份）" in done.stderr
    assert re.search(r"单位页面：\d+ 个取自分片，\d+ 个由合并生成（这里没有上次", done.stderr), done.stderr
    assert site(root) == site(single)


def test_a_tampered_shard_file_is_not_taken(single: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    synth.make_project(root, UNITS)
    assert kaoping(root, "build", "-q", "--shard", "1/1").returncode == 0
    page = next((root / SHARDS_DIR / "1" / "site").rglob("u00002.html"))
    page.write_text(page.read_text(encoding="utf-8").replace("单位代码", "单位编号"), encoding="utf-8")
    assert kaoping(root, "merge", "-q").returncode == 0
    assert site(root) == site(single)


def test_search_entries_edited_in_a_shard_file_are_not_taken(single: Path, tmp_path: Path) -> None:
    """The units' search entries a shard carries in its shard.json are taken only as written: edited, the
    merge says so and makes them itself, and the next build (which reuses the merge's) has none of the edit."""
    root = tmp_path / "project"
    synth.make_project(root, UNITS)
    assert kaoping(root, "build", "-q", "--shard", "1/1").returncode == 0
    record = root / SHARDS_DIR / "1" / "shard.json"
    data = json.loads(record.read_text(encoding="utf-8"))
    page = sorted(data["entries"])[3]
    data["entries"][page][1][0]["text"] += " 手工加入的文字"
    record.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    done = kaoping(root, "merge")
    assert done.returncode == 0, done.stderr
    assert f"{SHARDS_DIR}/1/shard.json 中的搜索条目与分片写出时不同（被改动过）" in done.stderr, done.stderr
    assert site(root) == site(single)
    shutil.rmtree(root / SHARDS_DIR)
    assert kaoping(root, "build", "-q").returncode == 0
    assert site(root) == site(single)
    assert "手工加入的文字" not in (root / CACHE_DIR / "search-entries.json").read_text(encoding="utf-8")


def test_a_ranking_group_is_never_split_and_the_shards_are_even(single: Path) -> None:
    outcomes = prepare(single).outcomes.values()
    dealt = deal(outcomes, SHARDS)
    sizes = [0] * SHARDS
    for o in outcomes:
        for u in o.units:
            sizes[dealt[(o.rubric.id, u.standing.pool)] - 1] += 1
    # 20 groups of 10 units: no shard more than one group above another.
    assert sum(sizes) == UNITS and max(sizes) - min(sizes) <= 10, sizes
    assert deal(outcomes, SHARDS) == dealt


@pytest.mark.parametrize("spec", ["0/3", "4/3", "2", "a/b", "1/0", "-1/2"])
def test_a_wrong_shard_spec_is_refused(spec: str, tmp_path: Path) -> None:
    with pytest.raises(ShardError):
        parse_spec(spec)
    done = kaoping(tmp_path, "build", "--shard", spec)
    assert done.returncode == 2 and "--shard 应写成 K/N" in done.stderr


def test_a_merge_without_shards_says_so(tmp_path: Path) -> None:
    root = tmp_path / "project"
    synth.make_project(root, 20)
    done = kaoping(root, "merge")
    assert done.returncode != 0 and "没有找到分片" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("spec", ["1/257", "1/99999999999999"])
def test_more_shards_than_a_ci_matrix_runs_are_refused_in_words(spec: str, tmp_path: Path) -> None:
    with pytest.raises(ShardError, match="最多分成 256 份"):
        parse_spec(spec)
    done = kaoping(tmp_path, "build", "--shard", spec)
    assert done.returncode == 2 and "最多分成 256 份" in done.stderr and "内部错误" not in done.stderr, done.stderr
    assert parse_spec("256/256") == (256, 256)


def test_many_missing_shards_are_counted_not_listed(tmp_path: Path) -> None:
    root = tmp_path / "project"
    synth.make_project(root, 20)
    assert kaoping(root, "build", "-q", "--shard", "1/256").returncode == 0
    done = kaoping(root, "merge")
    assert done.returncode == 0, done.stderr
    assert "缺少第 2、3、4、" in done.stderr and "21 等 255 份分片（共 256 份）" in done.stderr, done.stderr
    assert "、22" not in done.stderr


def _one_shard(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    synth.make_project(root, 20)
    assert kaoping(root, "build", "-q", "--shard", "1/1").returncode == 0
    return root


def test_a_shard_folder_renamed_is_named_in_the_message(tmp_path: Path) -> None:
    root = _one_shard(tmp_path)
    (root / SHARDS_DIR / "1").rename(root / SHARDS_DIR / "01")
    done = kaoping(root, "merge")
    assert done.returncode == 1, done.stderr
    assert "shards/01/shard.json 是第 1 份分片，应在 shards/1/ 中" in done.stderr, done.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    "edit",
    [
        lambda data: data.pop("of"),
        lambda data: data.update(of="3"),
        lambda data: data.update(files=[]),
        lambda data: data.update(entries=None),
    ],
)
def test_a_shard_file_of_another_shape_is_refused_in_words(tmp_path: Path, edit: Any) -> None:
    root = _one_shard(tmp_path)
    path = root / SHARDS_DIR / "1" / "shard.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    done = kaoping(root, "merge")
    assert done.returncode == 1 and "不是这个版本的 kaoping 生成的分片" in done.stderr, done.stderr
    assert "内部错误" not in done.stderr and not (root / "site").exists()


def test_a_shard_file_pointing_out_of_its_folder_or_malformed_is_not_taken(single: Path, tmp_path: Path) -> None:
    """Entries of shard.json that point elsewhere (another folder, a file outside the project) or are not
    what a shard writes are made again by the merge: nothing but the shard's own files goes into the site."""
    root = tmp_path / "project"
    synth.make_project(root, UNITS)
    assert kaoping(root, "build", "-q", "--shard", "1/1").returncode == 0
    path = root / SHARDS_DIR / "1" / "shard.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    outside = tmp_path / "secret.txt"
    outside.write_text("不应发布", encoding="utf-8")
    rels = sorted(data["files"])
    html = next(rel for rel in rels if rel.endswith("u00002.html"))
    key = data["files"][html][0]
    sha = "sha256:" + hashlib.sha256(outside.read_bytes()).hexdigest()
    data["files"][html] = [key, sha, str(outside)]
    data["files"][rels[0]] = 5
    data["files"][rels[1]] = [1, 2, 3]
    path.write_text(json.dumps(data), encoding="utf-8")
    done = kaoping(root, "merge", "-q")
    assert done.returncode == 0, done.stderr
    assert site(root) == site(single)


def test_a_shard_folder_copied_beside_itself_is_named_in_the_message(tmp_path: Path) -> None:
    root = _one_shard(tmp_path)
    shutil.copytree(root / SHARDS_DIR / "1", root / SHARDS_DIR / "1-copy")
    done = kaoping(root, "merge")
    assert done.returncode == 1, done.stderr
    assert "第 1 份分片有两个文件夹：shards/1/ 和 shards/1-copy/" in done.stderr, done.stderr
