"""The folders a build replaces whole: ``docs/assessments`` (the generated pages) and ``site/``.

Each is made complete in the build's scratch folder and put in place by renames (:func:`swap_in`), so a
reader or a failed build never sees half of one. Replacing ``docs/assessments`` whole deletes whatever else
is in it: :func:`foreign_files` finds what kaoping never writes there (an attachment a clerk saved beside the
pages), and the build refuses to start until it is moved (:func:`refuse_foreign`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from generator.data.problems import Loc, Problems

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


def refuse_foreign(folder: Path, problems: Problems) -> None:
    """An error for each file in ``folder`` (``docs/assessments``) that kaoping does not write: the build would
    delete it (the first ten named, and how many in all)."""
    foreign = list(foreign_files(folder))
    where = f"{folder.parent.name}/{folder.name}"
    for rel in foreign[:10]:
        problems.error(
            Loc(f"{where}/{rel}"),
            f"{where}/ 是 kaoping 生成的文件夹，每次生成都整个替换；"
            "这个文件不是 kaoping 生成的，生成会删除它，所以没有生成",
            "把它移到 docs/ 中别的文件夹（例如 docs/files/），页面中链接那里，再重新生成"
            + (f"（共 {len(foreign)} 个这样的文件）。" if len(foreign) > 10 else "。"),
        )


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
