"""Building on several machines: ``kaoping build --shard K/N`` makes one N-th of the unit pages, ``kaoping merge``
joins them with the shared pages into the one site a single build makes.

A unit's page depends on its ranking group (rank, averages), never on another group: shards are made of
whole ranking groups, dealt largest first to the shard with the fewest units so far (:func:`deal`). Every
shard loads, checks and scores everything (the ranks need the whole group, the shells the whole
navigation; this is the cheap part) and renders only its units, into ``shards/K/``: their Markdown and
JSON (``docs/``), their pages (``site/``), and ``shard.json`` with each file's content key and SHA-256
and the units' search entries. It never writes ``site/``.

``kaoping merge`` is a build whose record of reusable files (:class:`generator.site.cache.Record`) is the
shards' files: every unit whose key is the merge's own is taken from its shard (checked by its SHA-256),
anything else is made again. So the merged site is byte-identical to a single build by construction.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site.cache import Record, digest, file_sha

SHARDS_DIR = "shards"
SHARD_FILE = "shard.json"
SHARD_VERSION = 1
#: The most shards: GitHub Actions runs at most 256 jobs of a matrix (GitLab's parallel: at most 200).
MAX_SHARDS = 256
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class ShardError(Exception):
    """A shard spec or a shard folder that cannot be used; the message says what to do, in Chinese."""


def parse_spec(text: str) -> tuple[int, int]:
    """``K/N`` (1 ≤ K ≤ N) as (K, N)."""
    match = _SPEC.match(text)
    if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise ShardError(f"--shard 应写成 K/N（第 K 份，共 N 份，1 ≤ K ≤ N），例如 --shard 2/4；现在是「{text}」")
    k, n = int(match.group(1)), int(match.group(2))
    if n > MAX_SHARDS:
        raise ShardError(
            f"--shard {k}/{n}：最多分成 {MAX_SHARDS} 份（GitHub Actions 一次最多运行 {MAX_SHARDS} 个任务）；"
            "份数多于 CI 机器数没有好处，一般与可用的机器数相同"
        )
    return k, n


def deal(outcomes: Iterable[AssessmentOutcome], count: int) -> dict[tuple[str, str], int]:
    """Each ranking group (assessment, pool) → its shard (1 … count): whole groups, largest first, each to
    the shard with the fewest units so far (ties: the lower number). The same data always deals the same."""
    sizes: dict[tuple[str, str], int] = {}
    for o in outcomes:
        for u in o.units:
            key = (o.rubric.id, u.standing.pool)
            sizes[key] = sizes.get(key, 0) + 1
    load = [0] * count
    dealt = {}
    for key, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        shard = min(range(count), key=lambda n: (load[n], n))
        load[shard] += size
        dealt[key] = shard + 1
    return dealt


def chooser(outcomes: Iterable[AssessmentOutcome], k: int, n: int) -> Any:
    dealt = deal(outcomes, n)

    def chosen(aid: str, u: UnitOutcome) -> bool:
        return dealt[(aid, u.standing.pool)] == k

    return chosen


def export(
    root: Path, k: int, n: int, written: dict[str, str], entries: dict[str, list[Any]], staged_site: Path, scratch: Path
) -> Path:
    """Move the shard's unit files into ``shards/K/`` (replacing what was there) with their record."""
    folder = scratch / "shard"
    files: dict[str, list[Any]] = {}
    for rel, key in sorted(written.items()):
        top, _, inner = rel.partition("/")
        if "/units/" not in inner:
            continue
        source = (root / "docs" / inner) if top == "docs" else (staged_site / inner)
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        files[rel] = [key, "sha256:" + file_sha(target), f"{SHARDS_DIR}/{k}/{rel}"]
    data = {"version": SHARD_VERSION, "shard": k, "of": n, "files": files, "entries": entries}
    data["entries_digest"] = _entries_digest(entries)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SHARD_FILE).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    target = root / SHARDS_DIR / str(k)
    (root / SHARDS_DIR).mkdir(exist_ok=True)
    if target.exists():
        os.replace(target, scratch / "old-shard")
    os.replace(folder, target)
    return target


def _entries_digest(entries: Any) -> str:
    """What the units' search entries of a shard were when written: the merge takes them only while the same
    (as it takes a page only while its SHA-256 is the one written)."""
    return digest(json.dumps(entries, ensure_ascii=False, separators=(",", ":")))


def _shard_shaped(data: Any) -> bool:
    """Whether ``data`` (a ``shard.json``) is what :func:`export` writes: a shard K of N, files, entries."""
    if not isinstance(data, dict) or data.get("version") != SHARD_VERSION:
        return False
    k, n = data.get("shard"), data.get("of")
    return (
        type(k) is int
        and type(n) is int
        and 1 <= k <= n <= MAX_SHARDS
        and isinstance(data.get("files"), dict)
        and isinstance(data.get("entries"), dict)
    )


def merged_record(root: Path) -> tuple[Record, dict[str, list[Any]], list[str]]:
    """The shards' files as one record, their units' search entries, and what the merge has to say about them
    (none found, one missing, two disagreeing on N)."""
    base = root / SHARDS_DIR
    found: dict[int, dict[str, Any]] = {}
    for path in sorted(base.glob(f"*/{SHARD_FILE}")) if base.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ShardError(
                f"{path.relative_to(root)} 读不出来（{exc}）：重新运行这个分片的 kaoping build --shard"
            ) from exc
        where = path.relative_to(root)
        if not _shard_shaped(data):
            raise ShardError(f"{where} 不是这个版本的 kaoping 生成的分片：重新运行 kaoping build --shard")
        if path.parent.name != str(data["shard"]) and (base / str(data["shard"]) / SHARD_FILE).is_file():
            other = path.parent.relative_to(root)
            raise ShardError(
                f"第 {data['shard']} 份分片有两个文件夹：{SHARDS_DIR}/{data['shard']}/ 和 {other}/；"
                "删除多余的一个（或都删除后重新运行这个分片）"
            )
        if path.parent.name != str(data["shard"]):
            raise ShardError(
                f"{where} 是第 {data['shard']} 份分片，应在 {SHARDS_DIR}/{data['shard']}/ 中（kaoping build --shard "
                f"{data['shard']}/{data['of']} 放在那里）：把文件夹改名为 {data['shard']}，或重新运行这个分片"
            )
        prefix = f"{SHARDS_DIR}/{data['shard']}/"
        # A file the shard holds is in its own folder: nothing else can be taken into the site.
        data["files"] = {
            rel: known
            for rel, known in data["files"].items()
            if type(known) is list and len(known) == 3 and known[2] == prefix + rel and ".." not in rel.split("/")
        }
        found[data["shard"]] = data
    if not found:
        raise ShardError(f"没有找到分片：{SHARDS_DIR}/ 中应有 kaoping build --shard K/N 生成的 1 … N 号分片")
    counts = {data["of"] for data in found.values()}
    if len(counts) != 1:
        shown = "、".join(map(str, sorted(counts)))
        raise ShardError(f"{SHARDS_DIR}/ 中的分片来自不同的划分（共 {shown} 份）：删除旧的分片后重新生成")
    total = counts.pop()
    missing = [str(k) for k in range(1, total + 1) if k not in found]
    shown = "、".join(missing[:20]) + (f" 等 {len(missing)} 份" if len(missing) > 20 else " 份")
    notes = [f"缺少第 {shown}分片（共 {total} 份）：这些单位的页面在合并时生成"] if missing else []
    files: dict[str, list[Any]] = {}
    entries: dict[str, list[Any]] = {}
    for k, data in sorted(found.items()):
        files.update(data["files"])
        if data.get("entries_digest") == _entries_digest(data["entries"]):
            entries.update(data["entries"])
        elif "entries_digest" in data:  # (none: an older kaoping's shard, whose entries would not be taken anyway)
            notes.append(
                f"{SHARDS_DIR}/{k}/{SHARD_FILE} 中的搜索条目与分片写出时不同（被改动过）："
                "不采用，这些单位的搜索条目由合并重新做出"
            )
    return Record(root, files), entries, notes
