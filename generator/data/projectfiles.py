"""The project's own files, read safely: regular files inside the project, never more than a limit.

A name under ``rubrics/``, ``results/`` or ``docs/`` may be a link that points anywhere: at a system
file (whose first line a message would then quote), at a FIFO (reading it waits for ever), at
``/dev/zero`` (reading it never ends). So a file is read only when

- it resolves inside the project (a link from one project file to another is fine);
- it is a regular file, checked before it is opened and again on what was opened (opened without
  blocking, so a FIFO put in its place meanwhile cannot hang the read);
- it is no bigger than a limit, checked on its size and again while reading (at most limit + 1 bytes
  are read).

Anything else is refused with words that name the file (the link, where it sits), never its content.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

#: What a read is bounded by when the caller names no smaller limit.
DEFAULT_LIMIT = 200 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "一个目录"),
    (stat.S_ISFIFO, "一个命名管道（FIFO）"),
    (stat.S_ISCHR, "一个设备文件"),
    (stat.S_ISBLK, "一个设备文件"),
    (stat.S_ISSOCK, "一个套接字"),
)

LINK_HINT = "把文件本身复制到这里（不要用快捷方式或链接），数据文件都放在项目目录中，随项目一起保存。"


class Refused(Exception):
    """A file the program does not read; ``message`` and ``hint`` say why and what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class TooBig(Exception):
    """A file bigger than the limit; ``size`` in bytes (as far as it was read)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every link followed, lies inside ``root``."""
    return path.resolve().is_relative_to(root.resolve())


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def outside_words(path: Path, area: str = "项目目录", why: str = "程序只读项目目录中的文件") -> Refused:
    """The refusal of a file or folder that resolves outside ``area``."""
    target = _link_text(path)
    shown = f"（指向 {target}）" if target else ""
    return Refused(f"这是指向{area}之外的链接{shown}；{why}", LINK_HINT)


def kind_words(mode: int) -> str | None:
    """What a file that is not a regular file is (a directory, a FIFO …); None for a regular file."""
    return next((words for test, words in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "一个特殊文件")


def read_regular(path: Path, limit: int = DEFAULT_LIMIT, root: Path | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (inside ``root`` when given), at most ``limit`` of them.

    Raises :class:`Refused` (outside the project, a broken link, not a regular file), :class:`TooBig`,
    or :class:`OSError` (no permission, and the like).
    """
    data = _read(path, limit, root, whole=True)
    if len(data) > limit:
        raise TooBig(len(data))
    return data


def read_start(path: Path, size: int, root: Path | None = None) -> bytes:
    """The first ``size`` bytes of the regular file at ``path`` (all of it when it is shorter), whatever its
    size: its first lines, read as safely as :func:`read_regular` reads a whole file and refused as it is
    (raises :class:`Refused` or :class:`OSError`, never :class:`TooBig`)."""
    return _read(path, size - 1, root, whole=False)


def _read(path: Path, limit: int, root: Path | None, whole: bool) -> bytes:
    """At most ``limit`` + 1 bytes of the regular file at ``path``; with ``whole``, a file whose size is over
    ``limit`` is refused before it is opened."""
    if root is not None and not inside(path, root):
        raise outside_words(path)
    try:
        before = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise Refused(
                f"这是一个失效的链接：它指向的 {_link_text(path)} 不存在（可能已移走或删除）", LINK_HINT
            ) from None
        raise
    kind = kind_words(before.st_mode)
    if kind is not None:
        raise Refused(f"这是{kind}，不是普通文件，没有读取", "数据文件应是普通的文本文件；删去它，或换成真正的文件。")
    if whole and before.st_size > limit:
        raise TooBig(before.st_size)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise Refused("这个文件在读取时被换掉了，没有读取", "等其他程序写完后重新运行。")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def unsafe_entries(
    folder: Path, skip: frozenset[str] = frozenset(), area: str = "", why: str = ""
) -> Iterator[tuple[Path, Refused]]:
    """Every entry under ``folder`` that a site build must not copy: a link that resolves outside the
    folder (``area`` and ``why`` word it), a broken link, or something that is not a regular file or
    folder. Links to folders are not walked into (their target is judged, and if it lies within, it is
    walked on its own). Top-level names in ``skip`` are left out (the generated pages)."""
    within = folder.resolve()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if current == folder and entry.name in skip:
                continue
            if entry.is_symlink():
                if not inside(path, within):
                    yield path, outside_words(path, area, why)
                    continue
                try:
                    mode = os.stat(path).st_mode
                except OSError:
                    yield path, Refused(f"这是一个失效的链接：它指向的 {_link_text(path)} 不存在", LINK_HINT)
                    continue
            else:
                mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                if not entry.is_symlink():
                    stack.append(path)
                continue
            kind = kind_words(mode)
            if kind is not None:
                yield path, Refused(f"这是{kind}，不是普通文件", "删去它；网站目录中只放普通的文件。")
