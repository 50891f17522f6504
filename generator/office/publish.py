"""kaoping publish: copy the built ``site/`` to the web server's folder so that it switches in one step.

The web server never serves a half-copied site: the new copy is made complete beside the old one on the
same disk, then put in place by a rename, which the kernel does atomically. Two layouts (the README's
section “自动发布（CI）” explains them to the person who runs the server; CI publishes the first one too):

**Releases** (recommended). Chosen when DEST does not exist yet, or is a link this command made::

    DEST                      → DEST.releases/<time>-<hash>   a symbolic link: the web server's root
    DEST.releases/<time>-<hash>/                              one complete copy of site/ per publish

The copy is made in ``DEST.releases/.publishing-…``, renamed to its release name, then a new link made
beside DEST is renamed over DEST. Every request is served wholly from the old or the new release (a page
already being sent keeps its file). The current release and the two before it are kept, so rolling back
is one command; older releases are removed. Publishing a site identical to the current release changes
nothing.

**Plain folder.** Chosen when DEST is an existing real folder (or where symbolic links cannot be made,
e.g. some Windows shares). The copy is made in ``.DEST.publishing-new-…`` beside DEST and exchanged with
DEST in one step (Linux ``renameat2(RENAME_EXCHANGE)``, on local disks). Where the file system cannot
exchange (NFS, SMB), two renames: DEST moves aside, the copy moves in, and for the microseconds between
them DEST does not exist, so a request arriving exactly then gets "404 Not Found" (never a mixed site).

Every published folder (each release, and a plain folder) holds ``.kaoping-published`` at its top: the
commit and time the site was built from (``site/.kaoping-build.json``, written by ``kaoping build``) and
when it was published (:mod:`generator.site.stamp`). A site built from an older commit than the one
published is refused unless ``--force``: an old pipeline that finishes late cannot undo a newer one.
DEST may not be the project, inside it (``docs/www`` would be copied into the next build, every unit's
page public there) or above it; symbolic links are resolved first.

Temporary copies are removed whatever happens: on an error, on Ctrl+C and on SIGTERM; what a killed
publish (SIGKILL, power loss) left behind is removed, or put back, by the next publish to the same DEST.
Two publishes to one DEST wait for each other (a lock on DEST's parent folder), and a publish waits for a
running ``kaoping build`` of the project before copying its ``site/``.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.problems import EXIT_DATA, EXIT_INTERRUPTED, EXIT_OK
from generator.site import stamp
from generator.site.build import Progress, build_lock, terminate_as_interrupt

#: Previous releases kept beside the current one for rolling back.
KEEP_PREVIOUS = 2
RELEASES_SUFFIX = ".releases"
#: Temporary names: ``.DEST.publishing-…`` beside DEST, ``.publishing-…`` inside DEST.releases/.
TEMP_MARK = ".publishing-"
#: What a built site must hold; a site/ without them is not published.
REQUIRED_FILES = ("index.html", "search/search_index.json")
_CHUNK = 1 << 20


class PublishError(Exception):
    """Publishing was refused or failed; the message says why and what to do. DEST is as it was."""


@dataclass
class Published:
    """What a publish did, for the closing message."""

    destination: Path
    layout: str  # "releases" or "plain"
    files: int = 0
    size: int = 0
    release: str = ""
    unchanged: bool = False
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def publish(root: Path, destination: Path, *, force: bool = False) -> int:
    """Copy ``root/site`` to ``destination`` atomically; the exit status (messages in Chinese).

    A site built from an older commit than the published one is refused unless ``force``.
    """
    dest = Path(os.path.abspath(destination))
    state = _State(force=force)
    try:
        with terminate_as_interrupt():
            done = _publish(root.resolve(), dest, state)
    except PublishError as exc:
        print(f"发布失败：{exc}\n发布目录 {dest} 没有改动。", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        if state.switched:
            print(f"已中断：新版本已经发布到 {dest}，但旧版本可能没有清理完，下次发布时会清理。", file=sys.stderr)
        else:
            print(f"已中断：发布目录 {dest} 没有改动，临时文件已删除。", file=sys.stderr)
        return EXIT_INTERRUPTED
    for note in done.notes:
        print(note, file=sys.stderr)
    print(_summary(done))
    return EXIT_OK


@dataclass
class _State:
    """Whether DEST already shows the new site (so an interruption afterwards is reported truthfully), and
    whether an older site may replace a newer one."""

    switched: bool = False
    force: bool = False


def _publish(root: Path, dest: Path, state: _State) -> Published:
    site_dir = root / "site"
    check_site(site_dir)
    parent = _parent_of(dest)
    given, dest = dest, parent / dest.name
    _refuse_overlap(root, dest, given)
    progress = Progress()
    with _destination_lock(parent, progress) as locked:
        notes = remove_leftovers(dest) if locked else []
        layout = _layout(dest)
        if layout == "releases":
            done = _publish_release(root, site_dir, dest, state, progress)
        else:
            done = _publish_plain(root, site_dir, dest, state, progress)
    done.notes[:0] = notes
    return done


# -- checks -------------------------------------------------------------------------------------------


def check_site(site_dir: Path) -> None:
    """Refuse a missing or incomplete ``site/``."""
    if not site_dir.is_dir():
        raise PublishError(f"没有找到生成好的网站 {site_dir}。先运行 kaoping build（或 make site）生成网站，再发布")
    for name in REQUIRED_FILES:
        path = site_dir / name
        if not path.is_file() or path.stat().st_size == 0:
            raise PublishError(
                f"网站 {site_dir} 不完整：缺少 {name}。它可能不是 kaoping build 生成的，"
                "或者被改动过。重新运行 kaoping build 后再发布"
            )
    index = site_dir / "search" / "search_index.json"
    try:
        data = json.loads(index.read_bytes())
    except (ValueError, OSError) as exc:
        raise PublishError(f"网站的搜索索引 {index} 不完整或已损坏（{exc}）。重新运行 kaoping build 后再发布") from exc
    if not isinstance(data, dict) or not isinstance(data.get("docs"), list):
        raise PublishError(f"网站的搜索索引 {index} 格式不对。重新运行 kaoping build 后再发布")


def _parent_of(dest: Path) -> Path:
    if dest.name in ("", ".", ".."):
        raise PublishError(f"发布目录 {dest} 不能是根目录。请给出 Web 服务器的网站目录，例如 /srv/www/kaoping")
    parent = dest.parent
    if not parent.is_dir():
        what = "不是目录" if parent.exists() else "不存在"
        raise PublishError(f"发布目录的上级目录 {parent} {what}。先建好它（发布目录本身可以不存在）")
    return parent.resolve()


def _refuse_overlap(root: Path, dest: Path, given: Path) -> None:
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
                f"发布目录 {given}{where or ' '}不能是项目目录、不能在项目目录里面（包括 site/），也不能是项目目录的上级目录；"
                f"这个目录{why}。请给出项目以外的 Web 服务器网站目录，例如 /srv/www/kaoping"
            )


def _layout(dest: Path) -> str:
    """``releases`` or ``plain`` for this DEST, or a refusal that says why."""
    releases = _releases_dir(dest)
    if dest.is_symlink():
        if _current_release(dest) is None:
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
        if existing and "index.html" not in existing:
            shown = "、".join(existing[:5]) + ("……" if len(existing) > 5 else "")
            raise PublishError(
                f"发布目录 {dest} 里已有别的文件（{shown}），不像是网站目录。发布会用 site/ 整个替换它，"
                "为免误删，没有发布。请给出一个新的或空的目录，或原来发布网站的目录"
            )
        return "plain"
    return "releases" if _symlinks_work(dest.parent, dest.name) else "plain"


def _symlinks_work(parent: Path, name: str) -> bool:
    probe = parent / f".{name}{TEMP_MARK}probe-{_token()}"
    try:
        os.symlink("probe", probe)
    except OSError as exc:
        if exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            return False
        raise PublishError(_os_words(exc, parent)) from exc
    probe.unlink()
    return True


# -- the two layouts ----------------------------------------------------------------------------------


def _releases_dir(dest: Path) -> Path:
    return dest.parent / (dest.name + RELEASES_SUFFIX)


def _current_release(dest: Path) -> str | None:
    """The release DEST links to, when DEST is a link into DEST.releases/ (relative or absolute)."""
    if not dest.is_symlink():
        return None
    target = Path(os.readlink(dest))
    releases = _releases_dir(dest)
    full = target if target.is_absolute() else dest.parent / target
    if Path(os.path.normpath(full)).parent != releases or full.name.startswith("."):
        return None
    return full.name


def _publish_release(root: Path, site_dir: Path, dest: Path, state: _State, progress: Progress) -> Published:
    releases = _releases_dir(dest)
    done = Published(dest, "releases")
    current = _current_release(dest)
    made_releases = False
    temp = releases / f"{TEMP_MARK}{_token()}"
    link = dest.parent / f".{dest.name}{TEMP_MARK}link-{_token()}"
    release: Path | None = None
    try:
        try:
            if not releases.is_dir():
                releases.mkdir()
                made_releases = True
                os.chmod(releases, 0o755)
            digest = _copy_locked(root, site_dir, temp, done, progress)
            done.notes += _check_order(root, temp, dest, state)
            if current is not None and current.endswith("-" + digest[:12]) and (releases / current).is_dir():
                done.release, done.unchanged = current, True
                return done
            name = f"{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%S.%fZ}-{digest[:12]}"
            release = releases / name
            _mark(temp)
            os.rename(temp, release)
            os.sync()
            os.symlink(f"{releases.name}/{name}", link)
            with _signals_held():
                os.replace(link, dest)
                state.switched = True
            done.release = name
        except OSError as exc:
            raise PublishError(_os_words(exc, dest.parent)) from exc
        done.kept, done.removed, failed = prune(releases, [name, current or ""])
        done.notes += failed
        return done
    finally:
        _remove(temp)
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        if not state.switched and release is not None:
            _remove(release)
        if made_releases and not state.switched:
            with contextlib.suppress(OSError):
                releases.rmdir()


def _publish_plain(root: Path, site_dir: Path, dest: Path, state: _State, progress: Progress) -> Published:
    done = Published(dest, "plain")
    token = _token()
    new = dest.parent / f".{dest.name}{TEMP_MARK}new-{token}"
    old = dest.parent / f".{dest.name}{TEMP_MARK}old-{token}"
    try:
        try:
            _copy_locked(root, site_dir, new, done, progress)
            done.notes += _check_order(root, new, dest, state)
            _mark(new)
            os.sync()
            with _signals_held():
                if not dest.exists():
                    os.rename(new, dest)
                elif exchange(new, dest):
                    pass  # ``new`` now holds the previous site
                else:
                    os.rename(dest, old)
                    try:
                        os.rename(new, dest)
                    except OSError:
                        os.rename(old, dest)
                        raise
                state.switched = True
        except OSError as exc:
            raise PublishError(_os_words(exc, dest.parent)) from exc
        return done
    finally:
        _remove(new)
        _remove(old)


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


# -- which site is newer -------------------------------------------------------------------------------


def _check_order(root: Path, copy: Path, dest: Path, state: _State) -> list[str]:
    """Refuse to replace the published site by one built from an older commit (unless forced); the copy's
    stamp is read, so what is compared is what would be published."""
    try:
        new = stamp.read(copy / stamp.BUILD_STAMP)
        published = stamp.read(dest / stamp.PUBLISHED_MARKER) if dest.is_dir() else None
    except stamp.StampError as exc:
        if state.force:
            return [f"注意：{exc}；已按 --force 发布。"]
        raise PublishError(f"{exc}。无法比较新旧网站；确认要发布时，加 --force 重新运行") from exc
    verdict = stamp.order(new, published, root)
    if verdict.newer:
        return []
    if state.force:
        return [f"注意：{verdict.words}。已按 --force 用它替换了较新的网站。"]
    raise PublishError(
        f"{verdict.words}。没有用较旧的网站替换较新的网站。"
        "如果确实要换回旧的网站（有意回退），加 --force 重新运行；也可以在服务器上切换回以前的版本（见使用说明）"
    )


def _mark(folder: Path) -> None:
    """The published folder's marker (:data:`generator.site.stamp.PUBLISHED_MARKER`): the build's stamp and
    when it was published. The access settings accept only a site root that holds it."""
    built = stamp.read_raw(folder / stamp.BUILD_STAMP) or {}
    stamp.write_json(folder / stamp.PUBLISHED_MARKER, stamp.marker(built, "kaoping publish"))


# -- copying ------------------------------------------------------------------------------------------


def _copy_locked(root: Path, site_dir: Path, target: Path, done: Published, progress: Progress) -> str:
    """Copy site/ while no build can replace it (the project's build lock)."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(build_lock(root, progress))
        except OSError as exc:
            raise PublishError(f"无法在项目目录 {root} 建立锁文件（{exc.strerror or exc}），不能确认没有正在进行的生成") from exc
        check_site(site_dir)
        return copy_site(site_dir, target, done)


def copy_site(source: Path, target: Path, done: Published | None = None) -> str:
    """Copy every file of ``source`` into the new folder ``target``, readable by the web server (folders 755,
    files 644, times kept). Returns the SHA-256 of the whole content (names and bytes)."""
    total = hashlib.sha256()
    os.mkdir(target)
    os.chmod(target, 0o755)
    for folder, subfolders, files in os.walk(source, onerror=_raise):
        here = Path(folder)
        rel = here.relative_to(source)
        subfolders.sort()
        for name in [*subfolders, *files]:
            if (here / name).is_symlink():
                raise PublishError(f"网站中有符号链接 {here / name}，不发布。网站应当只有普通文件，重新运行 kaoping build")
        for name in subfolders:
            os.mkdir(target / rel / name)
            os.chmod(target / rel / name, 0o755)
        for name in sorted(files):
            if rel == Path(".") and name == stamp.PUBLISHED_MARKER:
                continue  # each publish writes its own
            digest, size = _copy_file(here / name, target / rel / name)
            total.update(f"{(rel / name).as_posix()}\0{digest}\n".encode())
            if done is not None:
                done.files += 1
                done.size += size
    return total.hexdigest()


def _raise(exc: OSError) -> None:
    raise exc


def _copy_file(source: Path, target: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with open(fd, "wb") as out:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            os.fchmod(out.fileno(), 0o644)
        stat = os.fstat(src.fileno())
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return digest.hexdigest(), size


# -- locks, signals, leftovers ------------------------------------------------------------------------


@contextlib.contextmanager
def _destination_lock(parent: Path, progress: Progress) -> Iterator[bool]:
    """Lock DEST's parent folder (nothing is written for it). Yields False where the file system has no
    locks (e.g. NFS): the publish then goes ahead but leaves other publishes' leftovers alone."""
    try:
        fd = os.open(parent, os.O_RDONLY)
    except OSError as exc:
        raise PublishError(_os_words(exc, parent)) from exc
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
def _signals_held() -> Iterator[None]:
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
    releases = _releases_dir(dest)
    if releases.is_dir():
        leftovers += [p for p in releases.iterdir() if p.name.startswith(TEMP_MARK)]
    for path in leftovers:
        _remove(path)
    return notes


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _token() -> str:
    return f"{os.getpid()}-{secrets.token_hex(4)}"


def _os_words(exc: OSError, parent: Path) -> str:
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


def _summary(done: Published) -> str:
    size = f"{done.size / 1_048_576:.1f} MB"
    if done.layout == "plain":
        return f"已发布到 {done.destination}（{done.files} 个文件，{size}）。"
    releases = _releases_dir(done.destination).name
    if done.unchanged:
        return f"网站与当前发布的版本 {releases}/{done.release} 相同，没有改动。"
    lines = [f"已发布到 {done.destination} → {releases}/{done.release}（{done.files} 个文件，{size}）。"]
    if done.kept:
        previous = done.kept[0]
        lines.append(f"保留的旧版本：{'、'.join(done.kept)}。回退到上一个版本：")
        new_link = done.destination.parent / f".{done.destination.name}.rollback"
        lines.append(f"  ln -sfn {releases}/{previous} {new_link} && mv -T {new_link} {done.destination}")
    if done.removed:
        lines.append(f"删除了更早的版本：{'、'.join(done.removed)}。")
    return "\n".join(lines)
