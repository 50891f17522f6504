"""The folders a build replaces whole: ``docs/assessments`` (the generated pages) and ``site/``.

Each is made complete in the build's scratch folder and put in place by renames (:func:`swap_in`), so a
reader or a failed build never sees half of one. Replacing either whole deletes whatever else is in it, so
the build refuses to start while one holds a file kaoping did not put there (an attachment a clerk saved
beside the pages): in ``docs/assessments`` what kaoping never writes there (:func:`foreign_files`), in
``site/`` what the last build did not write, as it recorded (:func:`swap_site`, :func:`refuse_foreign`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from generator.data.problems import Loc, Problems
from generator.site.cache import SCRATCH_PREFIX
from generator.site.paths import GENERATED
from generator.site.stamp import BUILD_STAMP

#: Every path kaoping writes under ``docs/assessments`` (relative to it); ``{aid}`` is the assessment's folder.
_GENERATED = re.compile(
    r"""
    index\.md
    | _partials/[^/]+\.md
    | (?P<aid>[^/]+)/(?:
        (?:index|standards|results|notice)\.md
        | office/year\.md
        | office/letters/[^/]+\.(?:md|docx)
        | units/[^/]+\.(?:md|json|xlsx)
        | downloads/(?P=aid)(?:-[a-z]+)?\.(?:csv|xlsx|json)
    )
    """,
    re.VERBOSE,
)


def generated_shape(rel: str) -> bool:
    """Whether ``rel`` (a path under ``docs/assessments``) is one kaoping writes."""
    return _GENERATED.fullmatch(rel) is not None


#: What Windows Explorer leaves in a folder it has shown (on a share, say): never the clerk's own.
_EXPLORER = frozenset({"thumbs.db", "desktop.ini"})


def _ephemeral(name: str) -> bool:
    """A hidden file or folder, an office program's lock file (``~$x.xlsx``, ``.~lock.x.xlsx#``), or what
    Windows Explorer leaves behind: never the clerk's."""
    return name.startswith((".", "~$")) or name.lower() in _EXPLORER


def foreign_files(folder: Path) -> Iterator[str]:
    """What ``folder`` (``docs/assessments``) holds that kaoping does not write there, as paths relative to it;
    a link or anything but a regular file counts, whatever its name. Nothing when it does not exist.

    Read with ``os.scandir``, whose entries know their type without a ``stat`` each: at 10,000 units the
    folder holds 30,000 files, looked through on every build."""
    if folder.is_symlink() or not folder.is_dir():
        return
    yield from _foreign(str(folder), "")


def _foreign(path: str, prefix: str) -> Iterator[str]:
    with os.scandir(path) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if not _ephemeral(entry.name):
                yield from _foreign(entry.path, rel + "/")
        elif not entry.is_file(follow_symlinks=False):
            yield rel  # a link, a FIFO, a device
        elif not _ephemeral(entry.name) and not generated_shape(rel):
            yield rel


def refuse_foreign_outputs(root: Path, problems: Problems, site: bool, site_files: Path) -> None:
    """:func:`refuse_foreign` for ``docs/assessments``, and for ``site/`` when this build replaces it (a
    shard's does not), by the last build's list of its files (``site_files``)."""
    refuse_foreign(root / "docs" / GENERATED, problems)
    if site:
        refuse_foreign(root / "site", problems, site_files)


def refuse_foreign(folder: Path, problems: Problems, site_files: Path | None = None) -> None:
    """An error for each file in ``folder`` that kaoping did not put there: the build would delete it (the first
    ten named, and how many in all). ``docs/assessments``: what kaoping never writes there; ``site/`` (with
    ``site_files``, the last build's list): what the last build did not write."""
    foreign = list(foreign_files(folder) if site_files is None else foreign_site_files(folder, site_files))
    where = folder.name if site_files is not None else f"{folder.parent.name}/{folder.name}"
    for rel in foreign[:10]:
        problems.error(
            Loc(f"{where}/{rel}"),
            f"{where}/ 是 kaoping 生成的文件夹，每次生成都整个替换；"
            "这个文件不是 kaoping 生成的，生成会删除它，所以没有生成",
            "把它移到 docs/ 中别的文件夹（例如 docs/files/，生成时复制到网站中），页面中链接那里，再重新生成；"
            "不需要的，删除它" + (f"（共 {len(foreign)} 个这样的文件）。" if len(foreign) > 10 else "。"),
        )


#: In the cache folder: the files the last build put in ``site/`` (:func:`swap_site`).
SITE_FILES = "site-files.json"
#: Left in a folder by a program that showed or opened it, over a share too (Explorer's, Finder's and its
#: AppleDouble ``._`` files, KDE's, a Synology's index folders): never the clerk's.
_SHOWN = _EXPLORER | {".ds_store", ".directory"}
_SHOWN_FOLDERS = frozenset({"@eadir"})


class ForeignFiles(Exception):
    """Files were put into ``site/`` while the build ran: the build stops rather than delete them."""


def _stamp_digest(site: Path) -> str | None:
    try:
        return hashlib.sha256((site / BUILD_STAMP).read_bytes()).hexdigest()
    except OSError:
        return None


def swap_site(staged: Path, site: Path, scratch: Path, site_files: Path) -> None:
    """Put the staged site in place of ``site`` (:func:`swap_in`) and record its files in ``site_files``,
    unless a file was put into ``site`` since the build started (:func:`foreign_site_files`; it would be
    deleted). The list is made from the staged site, before it is in place, and written after: best effort."""
    files = [rel for rel, regular in _entries(str(staged), "") if regular]
    foreign = list(foreign_site_files(site, site_files))
    if foreign:
        shown = "、".join(f"site/{rel}" for rel in foreign[:10]) + (
            f" 等 {len(foreign)} 个" if len(foreign) > 10 else ""
        )
        raise ForeignFiles(
            f"生成期间有文件放进了 site/：{shown}。site/ 每次生成都整个替换，这些文件会被删除，所以没有替换；"
            "把它们移到 docs/ 中别的文件夹（例如 docs/files/）后重新生成"
        )
    swap_in(staged, site, scratch)
    stamp = _stamp_digest(site)
    try:
        site_files.parent.mkdir(exist_ok=True)
        temp = site_files.with_name(f"{site_files.name}.{os.getpid()}")
        temp.write_text(json.dumps({"stamp": stamp, "files": files}, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, site_files)
    except (OSError, ValueError):
        pass


def foreign_site_files(site: Path, site_files: Path) -> Iterator[str]:
    """What ``site`` holds that the last build did not write there, by its list (``site_files``): a file
    added by hand, a link, a FIFO. Nothing when the list is not the site's (no list, or another build's):
    what was kaoping's cannot be told then."""
    if site.is_symlink() or not site.is_dir():
        return
    try:
        known = json.loads(site_files.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(known, dict) or not isinstance(known.get("files"), list):
        return
    if known.get("stamp") is None or known.get("stamp") != _stamp_digest(site):
        return
    written = set(known["files"])
    try:
        found = list(_entries(str(site), ""))
    except OSError:  # a folder in it that cannot be read: what is in it cannot be told either
        return
    for rel, regular in found:
        if regular and (rel in written or _shown(rel)):
            continue
        yield rel


def _shown(rel: str) -> bool:
    """Whether ``rel`` is what a program that showed or opened its folder left there (:data:`_SHOWN`)."""
    *folders, name = rel.split("/")
    return (
        name.startswith(("~$", ".~lock.", "._"))
        or name.lower() in _SHOWN
        or any(f.lower() in _SHOWN_FOLDERS for f in folders)
    )


def _entries(path: str, prefix: str) -> Iterator[tuple[str, bool]]:
    """Everything under ``path`` but folders, relative to it: (path, whether a regular file). A link to a
    folder is an entry, not followed."""
    with os.scandir(path) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _entries(entry.path, rel + "/")
        else:
            yield rel, entry.is_file(follow_symlinks=False)


def swap_in(new: Path, target: Path, scratch: Path) -> None:
    """Replace ``target`` by ``new`` with renames (each atomic); the old one goes to ``scratch``."""
    old = scratch / ("old-" + target.name)
    if old.exists():  # a second swap of the same target in one build
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists():
            os.replace(old, target)
        raise
    # The old one stays in the scratch folder, which the build discards (deleted in the background).


def put_back(target: Path, scratch: Path, swapped: bool) -> None:
    """Undo :func:`swap_in` of ``target`` when ``swapped`` (a shard's build put its part of the generated
    folder in): the folder it replaced goes back, or none if there was none. The part goes to ``scratch``,
    which the build discards."""
    if not swapped:
        return
    old = scratch / ("old-" + target.name)
    if target.exists():
        os.replace(target, scratch / ("part-" + target.name))
    if old.exists():
        os.replace(old, target)


def in_project_words(exc: OSError, root: Path) -> OSError:
    """``exc`` with its file named as the clerk knows it: a file of the site being made (in the build's scratch
    folder) as ``site/…``, with the page of docs/ it is made from when its name is too long for the disk."""
    name = str(exc.filename or "")
    scratch = os.path.join(str(root), SCRATCH_PREFIX)
    if not name.startswith(scratch) or "/" not in name[len(scratch) :]:
        return exc
    rel = name[len(scratch) :].split("/", 1)[1]
    top, _, inner = rel.partition("/")
    shown = f"docs/{inner}" if top == "docs" else f"site/{inner}"
    page = re.sub(r"\.html(\.gz)?$", ".md", inner)
    if exc.errno == errno.ENAMETOOLONG and page != inner and top != "docs":
        shown += f"，由 docs/{page} 生成：把这个页面的文件名改短"
    return OSError(exc.errno, exc.strerror, shown)
