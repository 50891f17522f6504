"""The file work of ``kaoping publish`` (:mod:`generator.office.publish`): the checks of the site and of
DEST, the layout DEST has, copying, the locks, and removing what a killed publish left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from generator.office import publishgzip
from generator.office.publishsummary import RELEASES_SUFFIX as RELEASES_SUFFIX
from generator.office.publishsummary import Published as Published
from generator.office.publishsummary import releases_dir as releases_dir
from generator.office.sitecopy import PublishError as PublishError
from generator.office.sitecopy import check_site as check_site
from generator.office.sitecopy import copy_site as copy_site
from generator.site import stamp
from generator.site.build import build_lock
from generator.site.progress import Progress

#: Previous releases kept beside the current one for rolling back.
KEEP_PREVIOUS = 2
#: Temporary names: ``.DEST.publishing-…`` beside DEST, ``.publishing-…`` inside DEST.releases/.
TEMP_MARK = ".publishing-"


# -- checks -------------------------------------------------------------------------------------------


def parent_of(dest: Path) -> Path:
    if dest.name in ("", ".", ".."):
        raise PublishError(f"发布目录 {dest} 不能是根目录。请给出 Web 服务器的网站目录，例如 /srv/www/kaoping")
    parent = dest.parent
    if not parent.is_dir():
        what = "不是目录" if parent.exists() else "不存在"
        raise PublishError(f"发布目录的上级目录 {parent} {what}。先建好它（发布目录本身可以不存在）")
    return parent.resolve()


def refuse_overlap(root: Path, dest: Path, given: Path) -> None:
    """DEST may not be the project, inside it (a published site in docs/www is copied into the next build,
    and every unit's page would be public there), inside site/, or above the project (publishing replaces
    DEST whole). Symbolic links are resolved, DEST's own too."""
    for real in dict.fromkeys((dest, Path(os.path.realpath(dest)))):
        inside = real == root or root in real.parents
        if inside or real in root.parents:
            where = f"（实际位置 {real}）" if real != given else ""
            why = (
                "在项目目录里面：网站会出现在项目中，下次生成时被当作文档复制，各单位的页面也不再受访问限制"
                if inside
                else f"包含项目目录 {root}：发布会把它整个替换掉"
            )
            raise PublishError(
                f"发布目录 {given}{where or ' '}不能是项目目录、不能在项目目录里面（包括 site/），"
                f"也不能是项目目录的上级目录；"
                f"这个目录{why}。请给出项目以外的 Web 服务器网站目录，例如 /srv/www/kaoping"
            )


def layout(dest: Path) -> str:
    """``releases`` or ``plain`` for this DEST, or a refusal that says why."""
    releases = releases_dir(dest)
    if dest.is_symlink():
        if current_release(dest) is None:
            raise PublishError(
                f"发布目录 {dest} 是指向 {os.readlink(dest)} 的符号链接，但不是 kaoping publish 建立的"
                f"（不指向 {releases.name}/ 中的版本）。请直接发布到链接指向的目录，或删除这个链接后重新发布"
            )
        return "releases"
    if dest.exists():
        if not dest.is_dir():
            raise PublishError(f"发布目录 {dest} 是一个文件，不是目录")
        if os.path.ismount(dest):
            raise PublishError(
                f"发布目录 {dest} 是一个挂载点，不能整体替换。请发布到其中的子目录（例如 {dest / 'kaoping'}），"
                "并让 Web 服务器指向那个子目录"
            )
        existing = sorted(p.name for p in dest.iterdir())
        # Only a folder kaoping published (its marker) or a site kaoping built, copied by hand (the build's
        # stamp), is replaced: a web root that has an index.html may also hold other sites, uploads, a .git.
        if existing and not _kaoping_site(dest, existing):
            shown = "、".join(existing[:5]) + ("……" if len(existing) > 5 else "")
            raise PublishError(
                f"发布目录 {dest} 里已有别的文件（{shown}），不是 kaoping 发布的网站（没有 {stamp.PUBLISHED_MARKER}）。"
                "发布会用 site/ 整个替换它，为免误删，没有发布。请发布到一个新的或空的目录（例如 "
                f"{dest / 'kaoping'}），并让 Web 服务器指向那里；或先把其中要保留的文件移走、清空这个目录"
            )
        return "plain"
    return "releases" if _symlinks_work(dest.parent, dest.name) else "plain"


def _kaoping_site(dest: Path, names: list[str]) -> bool:
    """Whether ``dest`` holds a site kaoping built: published by it (its marker), copied by hand (the build's
    stamp), or published before either existed (a kaoping site's own layout: its home page, its search index
    and the generated pages' folder)."""
    if stamp.PUBLISHED_MARKER in names or stamp.BUILD_STAMP in names:
        return True
    return (dest / "index.html").is_file() and (dest / "search" / "search_index.json").is_file() and (
        dest / "assessments"
    ).is_dir()


def _symlinks_work(parent: Path, name: str) -> bool:
    probe = parent / f".{name}{TEMP_MARK}probe-{token()}"
    try:
        os.symlink("probe", probe)
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            return False
        raise PublishError(os_words(exc, parent)) from exc
    probe.unlink()
    return True


# -- the two layouts ----------------------------------------------------------------------------------


def current_release(dest: Path) -> str | None:
    """The release DEST links to, when DEST is a link into DEST.releases/ (relative or absolute)."""
    if not dest.is_symlink():
        return None
    target = Path(os.readlink(dest))
    releases = releases_dir(dest)
    full = target if target.is_absolute() else dest.parent / target
    if Path(os.path.normpath(full)).parent != releases or full.name.startswith("."):
        return None
    return full.name


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the system or
    the file system cannot, so that the caller falls back to two renames."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def prune(releases: Path, keep: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Keep the current release, the one it replaced and the newest others up to ``KEEP_PREVIOUS`` previous
    releases; remove the rest. Returns (kept previous releases, removed, warnings)."""
    names = sorted(
        (p.name for p in releases.iterdir() if not p.name.startswith(".") and p.is_dir() and not p.is_symlink()),
        reverse=True,
    )
    kept = [n for n in dict.fromkeys(keep) if n in names]
    removed: list[str] = []
    failed: list[str] = []
    for name in names:
        if name in kept:
            continue
        if len(kept) < 1 + KEEP_PREVIOUS:
            kept.append(name)
            continue
        try:
            shutil.rmtree(releases / name)
            removed.append(name)
        except OSError as exc:
            failed.append(f"注意：旧版本 {releases / name} 没能删除（{exc.strerror or exc}），可以手工删除。")
    return kept[1:], removed, failed


# -- copying ------------------------------------------------------------------------------------------


def copy_locked(
    root: Path, site_dir: Path, target: Path, done: Published, progress: Progress, gzip_only: bool = False,
    previous: Path | None = None,
) -> str:
    """Copy site/ while no build can replace it (the project's build lock); ``previous``: see ``Packing``."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(build_lock(root, progress))
        except OSError as exc:
            raise PublishError(
                f"无法在项目目录 {root} 建立锁文件（{exc.strerror or exc}），不能确认没有正在进行的生成"
            ) from exc
        check_site(site_dir)
        if (how := publishgzip.packing(site_dir, previous) if gzip_only else None) is not None and how.refused:
            raise PublishError(how.refused)
        return copy_site(site_dir, target, done, how)


# -- locks, signals, leftovers ------------------------------------------------------------------------


@contextlib.contextmanager
def destination_lock(parent: Path, progress: Progress) -> Iterator[bool]:
    """Lock DEST's parent folder (nothing is written for it). Yields False where the file system has no
    locks (e.g. NFS): the publish then goes ahead but leaves other publishes' leftovers alone."""
    try:
        fd = os.open(parent, os.O_RDONLY)
    except OSError as exc:
        raise PublishError(os_words(exc, parent)) from exc
    try:
        locked = True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress.step("另一个发布任务正在向这里发布，等待它完成……")
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            locked = False
        yield locked
    finally:
        os.close(fd)  # closing the folder releases the lock


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM while DEST switches, so that the switch and its bookkeeping happen together."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def remove_leftovers(dest: Path) -> list[str]:
    """Remove what a killed publish to ``dest`` left behind (called under the destination lock).

    A publish killed between the two renames of the plain layout left the previous site as
    ``.DEST.publishing-old-…``: it is put back first.
    """
    notes: list[str] = []
    prefix = f".{dest.name}{TEMP_MARK}"
    leftovers = sorted(p for p in dest.parent.iterdir() if p.name.startswith(prefix))
    for path in leftovers:
        if path.name.startswith(prefix + "old-") and not os.path.lexists(dest) and path.is_dir():
            os.rename(path, dest)
            notes.append(f"注意：上次发布被中止，发布目录 {dest} 已恢复为原来的网站。")
    releases = releases_dir(dest)
    if releases.is_dir():
        leftovers += [p for p in releases.iterdir() if p.name.startswith(TEMP_MARK)]
    for path in leftovers:
        remove(path)
    return notes


def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def token() -> str:
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def os_words(exc: OSError, parent: Path) -> str:
    where = f"（{exc.filename}）" if exc.filename else ""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"没有权限写入{where}。发布目录的上级目录 {parent} 必须可写：临时目录和版本目录都建在那里，"
            "最后一步才替换发布目录"
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘已满，无法写入{where}。清理发布目录所在磁盘的空间后重新发布"
    if exc.errno == errno.EXDEV:
        return f"发布目录和它的上级目录 {parent} 不在同一个磁盘上，无法一次切换。请发布到挂载目录里的子目录"
    return f"写入发布目录出错{where}：{exc.strerror or exc}"
