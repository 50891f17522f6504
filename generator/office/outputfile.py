"""Files the product writes: the file a user names (``kaoping sheet -o``, ``kaoping score -o``) and the
tables it writes into ``results/``. Nothing is lost and nothing is left half-written.

For a file the user names (:func:`check_output`, then :func:`write_output`):

- an existing file is replaced only with ``--force`` (it may be a score sheet three people filled in);
- nothing inside the project's ``rubrics/``, ``results/``, ``access/`` or ``.git`` is ever written, even
  with ``--force``: the target is resolved first (symbolic links, ``..``), so a link in the current folder
  that points into ``results/`` is refused like the path itself; nor inside ``docs/``, ``site/`` or ``shards/``,
  whose files the next build or publish makes public (a score sheet holds every unit and internal notes);
- a path written as a folder (ending in ``/``) is never taken as a file of that name;
- a target that is a folder, a symbolic link, a FIFO, a device or a socket is refused, each with its own
  message (a link is never followed to write somewhere else; a FIFO would hang the command).

Every file is written to a temporary file in the same folder and renamed into place, so a full disk, a
killed command or a file held open leaves the old file (or no file), never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.data.problems import os_error_words
from generator.site.progress import Progress

#: Folders of the project that hold the office's own data: never written through a file the user names.
PROTECTED = ("rubrics", "results", "access", ".git")
TEMP_MARK = ".kaoping-tmp-"
#: Folders whose files the site publishes (docs/ is built into site/, shards into it by a merge): an output
#: file written there would be public with the next build, whatever the access rules.
PUBLISHED = ("docs", "site", "shards")


class OutputRefused(Exception):
    """The file the user named is not written; the message says why and what to do."""


def check_output(root: Path, target: str | Path, *, force: bool, example: str, note: str = "") -> Path:
    """The absolute path to write to, or :class:`OutputRefused`. ``example`` is a file name to suggest
    when ``target`` is a folder; ``note`` says what an existing file may be."""
    path = Path(os.path.abspath(target))
    _refuse_protected(root, path, target)
    folder = str(target).endswith(("/", os.sep))  # written as a folder: never a file of that name
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if folder:
            raise OutputRefused(
                f"无法写入 {target}：没有这个目录。写出文件名（例如 {Path(target) / example}），"
                "或先建立这个目录"
            ) from None
        try:
            parent = os.stat(path.parent)
        except OSError as exc:
            missing = OSError(exc.errno, "", str(target))
            raise OutputRefused(f"无法写入 {target}：{os_error_words(missing)}") from None
        if not stat.S_ISDIR(parent.st_mode):
            missing = OSError(errno.ENOTDIR, "", str(target))
            raise OutputRefused(f"无法写入 {target}：{os_error_words(missing)}") from None
        return path
    except OSError as exc:  # a name too long, a path through a file
        raise OutputRefused(f"无法写入 {target}：{os_error_words(OSError(exc.errno, '', str(target)))}") from None
    if folder and not stat.S_ISDIR(st.st_mode):
        raise OutputRefused(f"没有写入 {target}：末尾的 / 表示目录，但 {path} 不是目录。写出要写入的文件名")
    if stat.S_ISDIR(st.st_mode):
        raise OutputRefused(f"没有写入 {target}：它是一个目录。请在目录后写上文件名，例如 {Path(target) / example}")
    kind = _not_a_file(st.st_mode)
    if kind:
        raise OutputRefused(f"没有写入 {target}：它{kind}。请给出一个普通文件的名字")
    if not force:
        raise OutputRefused(
            f"{target} 已经存在，没有覆盖{note}。"
            f"换一个文件名（-o 新文件名），或确认不再需要原来的文件后加 --force 重新运行"
        )
    return path


def _refuse_protected(root: Path, path: Path, target: str | Path) -> None:
    real = Path(os.path.realpath(path))
    project = Path(os.path.realpath(root))
    shown = f"（实际位置 {real}）" if real != path else ""
    name = _inside(real, project, PUBLISHED)
    if name is not None:
        raise OutputRefused(
            f"没有写入 {target}{shown}：它在项目的 {name}/ 里面，生成或发布网站时会把它一起公开"
            "（评分表和计算结果含全部单位的数据，评分表还有内部备注）。请写到项目目录以外，或项目目录本身"
        )
    name = _inside(real, project, PROTECTED)
    if name is not None:
        raise OutputRefused(
            f"没有写入 {target}{shown}：它在项目的 {name}/ 里面。{name}/ 中的文件由考核办公室维护，"
            "任何命令都不会用输出文件覆盖它们（加 --force 也不会）。请写到项目目录以外，或项目目录本身"
        )


def _inside(real: Path, project: Path, names: Sequence[str]) -> str | None:
    """Which of the project's folders ``names`` holds ``real`` (the folder as named, or where its link leads)."""
    for name in names:
        folders = {project / name, Path(os.path.realpath(project / name))}
        if any(real == folder or folder in real.parents for folder in folders):
            return name
    return None


def _not_a_file(mode: int) -> str:
    """What a path that is not a regular file is, in words; empty for a regular file."""
    if stat.S_ISLNK(mode):
        return "是一个符号链接（不会顺着链接写到别处）"
    if stat.S_ISFIFO(mode):
        return "是一个命名管道（FIFO），写入会一直等待"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是一个设备文件"
    if stat.S_ISSOCK(mode):
        return "是一个套接字"
    if not stat.S_ISREG(mode):
        return "不是普通文件"
    return ""


def write_output(path: Path, data: bytes, *, replace: bool) -> None:
    """Write ``data`` to ``path`` (checked by :func:`check_output`) through a temporary file beside it.

    Without ``replace`` the file is put in place only if nothing appeared at ``path`` meanwhile (a hard
    link, which fails on an existing name); with it, the rename replaces the file and keeps its mode.
    """
    temp = _stage(path, data)
    try:
        if replace:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(temp, stat.S_IMODE(os.lstat(path).st_mode))
            os.replace(temp, path)
            return
        try:
            os.link(temp, path, follow_symlinks=False)
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                raise OutputRefused(f"{path} 在写入时被别的程序建立了，没有覆盖。换一个文件名后重新运行") from exc
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV, errno.EMLINK):
                raise
            # No hard links here (FAT, some shares): check once more, then rename.
            if os.path.lexists(path):
                raise OutputRefused(f"{path} 在写入时被别的程序建立了，没有覆盖。换一个文件名后重新运行") from exc
            os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


class HalfWritten(OSError):
    """:func:`write_all` replaced some files, then could neither replace the next nor put the first back."""

    def __init__(self, cause: OSError, replaced: Sequence[Path]) -> None:
        super().__init__(cause.errno, cause.strerror, cause.filename)
        self.cause = cause
        self.replaced = list(replaced)


def write_all(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write all the files or none (the tables ``kaoping import`` and ``kaoping new`` write): each goes to a
    temporary file beside it, and only when every one is written are they renamed into place (a full
    disk or a file held open leaves the old ones as they were). A rename refused after others were done
    (a file locked, made immutable, on a share) puts the replaced files back; what cannot be put back is
    raised as :class:`HalfWritten`."""
    staged: list[tuple[Path, Path, bytes | None]] = []
    done: list[tuple[Path, bytes | None]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            before = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            staged.append((_stage(path, data), path, before))
        for temp, path, before in staged:
            os.replace(temp, path)
            done.append((path, before))
    except BaseException as exc:
        for temp, _, _ in staged:
            temp.unlink(missing_ok=True)
        left = _put_back(done)
        if left and isinstance(exc, OSError):
            raise HalfWritten(exc, left) from exc
        raise


def _put_back(done: Sequence[tuple[Path, bytes | None]]) -> list[Path]:
    """Each replaced file back as it was (a new one removed); those that could not be."""
    left = []
    for path, before in reversed(done):
        try:
            if before is None:
                path.unlink(missing_ok=True)
                continue
            temp = _stage(path, before)
            try:
                os.replace(temp, path)
            except OSError:
                temp.unlink(missing_ok=True)
                raise
        except OSError:
            left.append(path)
    return left


def _stage(path: Path, data: bytes) -> Path:
    """A new temporary file beside ``path`` holding ``data``, flushed to disk (never an existing name)."""
    temp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with open(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def half_written_words(exc: HalfWritten, root: Path) -> str:
    """What :class:`HalfWritten` means for the clerk: which files hold the new content, and what to do."""
    shown = "、".join(str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in exc.replaced)
    return (
        f"只写入了一部分：{shown} 已是新的内容，其余文件没有写入（{os_error_words(exc.cause)}），"
        "已写入的也没能恢复。用 git status、git diff 查看改动（git checkout 可以恢复），"
        "关闭占用文件的程序后重新运行"
    )


@contextlib.contextmanager
def project_lock(root: Path, progress: Progress | None = None) -> Iterator[str | None]:
    """Hold the project's lock (the build's: :func:`generator.site.build.build_lock`) while a command reads and
    rewrites ``results/`` or ``rubrics/``, so that two imports, or an import and a build, never interleave
    (the second import would write its tables over the first's). Yields None, or why the lock cannot be had."""
    from generator.site.build import BuildError, build_lock

    held = contextlib.ExitStack()
    try:
        held.enter_context(build_lock(root, progress or Progress()))
    except BuildError as exc:
        cause = exc.__cause__
        why = os_error_words(cause) if isinstance(cause, OSError) else str(exc)
        yield f"不能在项目目录 {root} 中建立锁文件（{why}）；这样也写不了 results/ 和 rubrics/，没有改动任何文件"
        return
    with held:
        yield None
