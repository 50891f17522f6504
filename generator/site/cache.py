"""What a build may reuse from the last one: content keys, and the record of the files they made.

A unit's page, its Markdown and its JSON are a function of a few inputs only: the unit's checked
results and its standing (rank, grade), its ranking group's averages, its own rows in the other years
of the series, its assessment's rubric, notice and flags, the templates and kaoping itself. Each unit's
*key* is a SHA-256 of exactly these (:class:`UnitKeys`). The build records, for every file it wrote,
the key it was made from and the file's identity (size, modification time, inode) in
``.kaoping-cache/record.json`` (:class:`Record`). The next build takes a file from the last ``site/``
(or ``docs/assessments``) by a hard link when its key is the same and the file is still the one it
wrote; everything else is made again. A file is never changed in place once written, so a link shares
nothing that can change under it. Anything unexpected (no record, a file edited or replaced, another
kaoping) makes the files again: the result is always the same bytes as a build from nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.results import Assessment, Notice
from generator.site import views

#: The cache folder in the project root (git-ignored, never published).
CACHE_DIR = ".kaoping-cache"
RECORD = "record.json"
#: Bump when the record's layout changes.
RECORD_VERSION = 1
#: The libraries whose versions a page depends on.
LIBRARIES = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions", "jieba", "pandas", "openpyxl")
#: MkDocs' configuration, in the project root.
CONFIG_FILE = "mkdocs.yml"
#: What the site's chrome and generated pages are made from, besides the data.
SOURCES = ("site_templates", CONFIG_FILE, "generator/site/mkdocs_hooks.py")


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each length-prefixed (so that ("ab", "c") and ("a", "bc") differ)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def tree_digest(root: Path, names: Iterable[str | Path], skip: frozenset[str] = frozenset()) -> str:
    """A digest of files and folders under ``root`` (names relative to it, or absolute): each file's path and
    bytes."""
    h = hashlib.sha256()
    for name in names:
        top = root / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else []
        for path in files:
            inner = path.relative_to(root) if path.is_relative_to(root) else path
            if set(inner.parts) & skip:
                continue
            h.update(digest(inner.as_posix(), path.read_bytes()).encode())
    return h.hexdigest()


def files_under(top: Path, keep: Callable[[str], bool]) -> list[str]:
    """The files under ``top`` that ``keep`` accepts, relative to it with ``/``, sorted part by part. Walked
    with :func:`os.walk` and strings: the units' folders hold thousands of files."""
    start = str(top)
    found: list[str] = []
    for folder, _dirs, names in os.walk(start):
        under = os.path.relpath(folder, start).replace(os.sep, "/")
        prefix = "" if under == "." else under + "/"
        found += [prefix + name for name in names if keep(prefix + name)]
    found.sort(key=lambda rel: rel.split("/"))
    return found


def program_key() -> str:
    """kaoping's own code and the versions of the libraries and Python it runs on."""
    package = Path(__file__).resolve().parents[1]
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    code = tree_digest(package, sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")))
    return digest(code, sys.version, *versions)


_LOC = re.compile(r"Loc\(file=(?:'[^'\\]*'|\"[^\"\\]*\"), line=\d+, column=\d+\)")


def _without_places(text: str) -> str:
    """A repr without its file locations: where a row stands in a file is never shown on a page."""
    return _LOC.sub("Loc", text)


@dataclass
class UnitKeys:
    """Every unit's key, per assessment (see the module's docstring for what goes in)."""

    base: str
    outcomes: Mapping[str, AssessmentOutcome]
    inputs: Mapping[str, Assessment]
    notices: Mapping[str, Notice]
    keys: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        history = views.History(self.outcomes)
        for aid, outcome in self.outcomes.items():
            context = self._assessment(outcome)
            stats = views.pool_stats(outcome)
            pools: dict[str, str] = {}
            for key, value in sorted(stats.averages.items()):
                pools[key[0]] = pools.get(key[0], "") + f"{key[1]}={value};"
            # The chart of the pool's totals on every unit page: it changes with any unit's total in the pool.
            for pool, histogram in stats.histograms.items():
                pools[pool] = pools.get(pool, "") + digest(repr(histogram.totals), repr(histogram.chart))
            inputs = {u.unit.id: u for u in self.inputs[aid].units} if aid in self.inputs else {}
            for u in outcome.units:
                own = inputs.get(u.unit.id)
                self.keys[(aid, u.unit.id)] = digest(
                    context,
                    _without_places(repr(own) if own is not None else repr(u.score)),
                    _without_places(repr(u.standing)),
                    pools.get(u.standing.pool, ""),
                    self._history(history, outcome, u),
                    # The unit's part of the year (claims, letters, objections, consequences): on its page and
                    # in its workbook.
                    _without_places(repr(outcome.year.of(u.unit.id))) if outcome.year is not None else "",
                )

    def _assessment(self, outcome: AssessmentOutcome) -> str:
        r = outcome.rubric
        show_self = any(n.self_score is not None for u in outcome.units for n in _nodes(u))
        return digest(self.base, repr(r), repr(self.notices.get(r.id)), repr(outcome.sample), str(show_self))

    @staticmethod
    def _history(history: views.History, outcome: AssessmentOutcome, u: UnitOutcome) -> str:
        rows = history.by_unit.get((outcome.rubric.series_id, u.unit.id), [])
        if len(rows) < 2:
            return ""
        return _without_places(
            repr(
                [
                    (repr(r), repr(other.standing), repr(other.score.total), other.score.assessed)
                    for r, other in rows
                    if r.id != outcome.rubric.id
                ]
            )
        )

    def of(self, aid: str, uid: str) -> str:
        return self.keys[(aid, uid)]


def _nodes(u: UnitOutcome) -> Iterable[Any]:
    stack = list(u.score.categories)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


def _identity(path: str | Path) -> list[int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


class Record:
    """The files the last build wrote, each with the key it was made from and its identity then.

    Paths are relative to the project root (``site/…``, ``docs/assessments/…``).
    """

    def __init__(self, root: Path, files: dict[str, list[Any]] | None = None, extra: dict[str, Any] | None = None):
        self.root = root
        #: Only entries of the record's shape: a record or shard file edited by hand cannot stop a build.
        self.files: dict[str, list[Any]] = {
            rel: known
            for rel, known in (files or {}).items()
            if type(known) is list and 3 <= len(known) <= 4 and type(known[0]) is str
        }
        self.extra: dict[str, Any] = extra or {}
        #: The root as a string ending in a separator: thousands of paths are joined to it.
        self.prefix = os.path.join(str(root), "")
        #: The identities of the files this build took by a hard link (the very same files): not asked again.
        self.same: dict[str, list[Any]] = {}

    @classmethod
    def load(cls, root: Path) -> Record:
        path = root / CACHE_DIR / RECORD
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(root)
        if (
            not isinstance(data, dict)
            or data.get("version") != RECORD_VERSION
            or not isinstance(data.get("files"), dict)
        ):
            return cls(root)
        return cls(root, data["files"], data.get("extra") or {})

    def reusable(self, rel: str, key: str) -> Path | None:
        """The file the last build wrote at ``rel`` from ``key``, if it is still exactly that file. A shard's
        file (:mod:`generator.site.shards`) is recorded with its SHA-256 and where it is instead."""
        found = self.found(rel, key)
        return None if found is None else Path(found)

    def found(self, rel: str, key: str, where: str | None = None) -> str | None:
        """Where the file :meth:`reusable` finds is, as a string (the loops over units ask thousands); ``where``:
        the file is there now, moved with its folder (:mod:`generator.site.adopted`), not at ``rel``."""
        known = self.files.get(rel)
        if known is None or known[0] != key:
            return None
        if len(known) == 3 and isinstance(known[1], str) and known[1].startswith("sha256:"):
            path = self.root / known[2]
            ok = path.is_file() and not path.is_symlink() and file_sha(path) == known[1][len("sha256:") :]
            return str(path) if ok else None
        where = where or self.prefix + rel
        return where if _identity(where) == known[1:] else None

    def take(self, rel: str, key: str, target: str) -> bool:
        """Link the last build's file at ``rel`` to ``target`` (which is to become ``rel``) when it is reusable
        for ``key`` (:meth:`reusable`); whether it was taken."""
        found = self.found(rel, key)
        if found is None:
            return False
        self.link(rel, found, target)
        return True

    def link(self, rel: str, found: str, target: str) -> None:
        """Link ``found`` (what :meth:`found` found for ``rel``) to ``target``, which is to become ``rel``."""
        if link_or_copy(found, target) and len(self.files[rel]) == 4:
            self.same[rel] = self.files[rel][1:]

    def link_like(self, rel: str, like: str, source: str, target: str) -> None:
        """Link ``source`` (the file that becomes ``like``) to ``target`` (which becomes ``rel``). When this build
        took ``like`` from the last one, ``rel`` is that very file too."""
        if link_or_copy(source, target) and like in self.same:
            self.same[rel] = self.same[like]

    def save(self, written: Mapping[str, str], extra: Mapping[str, Any]) -> None:
        """Record ``written`` (path → key) as they now stand under the root; best effort (a cache). A file
        this build took by a hard link has the identity it had (:attr:`same`)."""
        files = {}
        for rel, key in written.items():
            ident = self.same.get(rel) or _identity(self.prefix + rel)
            if ident is not None:
                files[rel] = [key, *ident]
        folder = self.root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            temp = folder / f"{RECORD}.{os.getpid()}"
            data = {"version": RECORD_VERSION, "files": files, "extra": dict(extra)}
            temp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(temp, folder / RECORD)
        except OSError:
            pass

    @staticmethod
    def forget(root: Path) -> None:
        """Drop the record: the next build makes everything again."""
        with contextlib.suppress(OSError):
            (root / CACHE_DIR / RECORD).unlink()


def cache_refusal(root: Path) -> str | None:
    """Why the cache folder cannot be used (a link, or not a folder), in the clerk's words; None when it can.
    A build writes into it and deletes what it put there: never through a link to somewhere else."""
    folder = root / CACHE_DIR
    if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
        what = "一个链接" if folder.is_symlink() else "一个文件，不是文件夹"
        return (
            f"项目目录中的 {CACHE_DIR} 是{what}。{CACHE_DIR}/ 是生成网站时保存上次结果的缓存文件夹，"
            f"由 kaoping 自己建立和清理：把它移走或删除（里面只应有 kaoping 生成的文件）后重新生成"
        )
    return None


def output_refusal(root: Path, site: bool = True) -> str | None:
    """Why ``site/`` or ``docs/assessments/`` cannot be replaced (a link), in the clerk's words; None when they can.
    A build replaces each whole with the folder it made: a link would be replaced, and the folder it points to
    (a web server's, say) would silently keep the old site. ``site``: whether this build replaces ``site/`` (a
    shard's does not)."""
    for rel in ("site", "docs/assessments") if site else ("docs/assessments",):
        path = root / rel
        if not path.is_symlink():
            continue
        target = os.readlink(path)
        if rel == "site":
            return (
                f"项目目录中的 site 是一个链接（指向 {target}）。生成网站时 kaoping 用新生成的文件夹整个替换 site/，"
                "链接指向的目录不会更新：删除这个链接（链接指向的目录不受影响）后重新生成；要把网站放到 Web 服务器的"
                "目录，生成后用 kaoping publish 发布目录（复制过去，一次切换）"
            )
        return (
            f"项目目录中的 {rel} 是一个链接（指向 {target}）。这个文件夹由 kaoping 生成并整个替换，"
            "删除这个链接（链接指向的目录不受影响）后重新生成"
        )
    return None


TRASH = "trash"
#: The prefix of a build's scratch folders (``generator.site.build.TEMP_PREFIX``).
SCRATCH_PREFIX = ".kaoping-tmp-"


def discard(folder: Path, root: Path) -> None:
    """Remove ``folder`` (a build's scratch: the last site and docs it replaced) without waiting for it: it is
    moved into the cache's trash and deleted by a detached process. Where that cannot be, now."""
    if not folder.exists():
        return
    trash = root / CACHE_DIR / TRASH
    if cache_refusal(root) is not None or trash.is_symlink() or not folder.name.startswith(SCRATCH_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        trash.mkdir(parents=True, exist_ok=True)
        target = trash / folder.name
        os.replace(folder, target)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    empty_trash(root)


def empty_trash(root: Path) -> None:
    """Delete what is in the cache's trash in a detached process (left by :func:`discard`)."""
    trash = root / CACHE_DIR / TRASH
    if not trash.is_dir() or not any(trash.iterdir()):
        return
    if cache_refusal(root) is not None or trash.is_symlink():
        return
    # Only what :func:`discard` put there: a build's scratch folders.
    mine = [str(p) for p in trash.iterdir() if p.name.startswith(SCRATCH_PREFIX) and not p.is_symlink()]
    if not mine:
        return
    code = "import shutil, sys\nfor p in sys.argv[1:]: shutil.rmtree(p, ignore_errors=True)"
    try:
        subprocess.Popen(  # noqa: S603 - our own interpreter, our own folders
            [sys.executable, "-c", code, *mine],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        for path in mine:
            shutil.rmtree(path, ignore_errors=True)


def file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def link_or_copy(source: str | Path, target: str | Path) -> bool:
    """A hard link where the file system allows (files are never changed in place), else a copy; whether it
    is a link (the very same file)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        return False
    return True
