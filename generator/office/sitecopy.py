"""The published copy of ``site/``: every file, readable by the web server, or with ``--gzip-only`` each text file
once, compressed (:mod:`generator.office.publishgzip`). ``kaoping publish`` copies through :func:`copy_site`.

CI publishing (``scripts/ci_publish.sh``, with ``KAOPING_GZIP_ONLY=是``) makes the compressed copy with this
module on its own: the publish job has Python but not kaoping's packages, so it and what it imports use the
standard library only (the ``ci-publish`` contract in ``pyproject.toml``, and a test that runs it with
``python -S``, keep it so)::

    python3 -m generator.office.sitecopy --gzip-only SITE OUT

OUT must not exist, nor be inside SITE (or SITE inside it); it is made, filled and, if anything goes wrong or
the copy is interrupted (Ctrl+C, SIGTERM), removed again. Exit 0 when the copy is made, 1 when it is refused or
fails (why on standard error), 2 for a wrong command line, 130 or 143 when interrupted.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from generator.office import publishgzip
from generator.office.publishsummary import Published
from generator.site import stamp

#: What a built site must hold; a site/ without them is not published.
REQUIRED_FILES = ("index.html", "search/search_index.json")
_CHUNK = 1 << 20


class PublishError(Exception):
    """Publishing was refused or failed; the message says why and what to do. DEST is as it was."""

    #: The destination, as the command line names it in its message.
    destination: Path | None = None


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


def copy_site(source: Path, target: Path, done: Published | None = None, how: publishgzip.Packing | None = None) -> str:
    """Copy every file of ``source`` into the new folder ``target``, readable by the web server (folders 755,
    files 644, times kept); ``how``: see :mod:`generator.office.publishgzip`. The SHA-256 of the content."""
    os.mkdir(target)
    return copy_into(source, target, done, how)


def copy_into(source: Path, target: Path, done: Published | None = None, how: publishgzip.Packing | None = None) -> str:
    """:func:`copy_site` into ``target``, a new empty folder the caller made."""
    os.chmod(target, 0o755)
    total = hashlib.sha256()
    for folder, subfolders, files in os.walk(source, onerror=_raise):
        here = Path(folder)
        rel = here.relative_to(source)
        subfolders.sort()
        for name in [*subfolders, *files]:
            path = here / name
            if path.is_symlink() or not (path.is_file() or path.is_dir()):  # a FIFO would hang the copy
                kind = "符号链接" if path.is_symlink() else "不是普通文件的（命名管道、设备等）"
                raise PublishError(f"网站中有{kind} {path}，不发布。网站应当只有普通文件，重新运行 kaoping build")
        for name in subfolders:
            os.mkdir(target / rel / name)
            os.chmod(target / rel / name, 0o755)
        present = {*files, *subfolders} if how is not None else None
        for name in sorted(files):
            if rel == Path(".") and name == stamp.PUBLISHED_MARKER:
                continue  # each publish writes its own
            for written, digest, size in publishgzip.place(here / name, target / rel / name, present, _copy_file, how):
                if rel == Path(".") and written == stamp.BUILD_STAMP:  # (its time of building is not content)
                    digest = stamp.content_digest(here / name) or digest
                total.update(f"{(rel / written).as_posix()}\0{digest}\n".encode("utf-8", "surrogateescape"))
                if done is not None:
                    done.files += 1
                    done.size += size
    return total.hexdigest()


def _raise(exc: OSError) -> None:
    raise exc


def _copy_file(source: Path, target: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    with open(source, "rb") as src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with open(fd, "wb") as out:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            os.fchmod(out.fileno(), 0o644)
            size = out.tell()
        stat = os.fstat(src.fileno())
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return digest.hexdigest(), size


def main(argv: Sequence[str]) -> int:
    """``--gzip-only SITE OUT`` (see the module's docstring)."""
    if len(argv) != 3 or argv[0] != "--gzip-only":
        print("用法：python3 -m generator.office.sitecopy --gzip-only 网站目录 输出目录", file=sys.stderr)
        return 2
    site, out = Path(argv[1]), Path(argv[2])
    refused = _overlap(site, out)
    if refused:
        print(f"压缩发布失败：{refused}", file=sys.stderr)
        return 1
    handlers = {signum: signal.getsignal(signum) for signum in _STOPS}
    # SIGTERM (a CI job cancelled) ends the copy as Ctrl+C does, unless the caller has it ignored.
    if handlers[signal.SIGTERM] is not signal.SIG_IGN:
        signal.signal(signal.SIGTERM, _interrupted)
    try:
        return _copy(site, out)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


#: The signals that stop the copy.
_STOPS = (signal.SIGINT, signal.SIGTERM)


def _copy(site: Path, out: Path) -> int:
    """:func:`main`'s copy into the new folder ``out``; its exit code."""
    made = False
    try:
        try:
            os.mkdir(out)  # a new folder: nothing that was there is touched
            made = True
        except FileExistsError:
            print(f"压缩发布失败：{out} 已经存在。要给一个尚不存在的目录", file=sys.stderr)
            return 1
        except OSError as exc:
            why = f"上级目录 {out.parent} 不存在" if exc.errno == errno.ENOENT else _os_words(exc, out)
            print(f"压缩发布失败：无法建立副本目录 {out}：{why}", file=sys.stderr)
            return 1
        done = Published(out, "plain", gzip_only=True)
        check_site(site)
        how = publishgzip.packing(site)
        if how.refused:
            raise PublishError(how.refused)
        copy_into(site, out, done, how)
    except (PublishError, OSError) as exc:
        _remove(out)
        print(f"压缩发布失败：{exc if isinstance(exc, PublishError) else _os_words(exc, out)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        left = "" if not made or _remove(out) else f"，没能删除 {out}，可以手工删除"
        print(f"已中断：没有做成副本{left}", file=sys.stderr)
        return 128 + (exc.args[0] if exc.args else signal.SIGINT)
    print(f"只有压缩文件的副本：{out}（{done.files} 个文件，{done.size / 1_048_576:.1f} MB）")
    return 0


def _remove(out: Path) -> bool:
    """Remove the copy, whatever signal comes meanwhile (a second Ctrl+C, the SIGTERM after a SIGINT when a CI
    job is cancelled: ignored from here on, the copy is ending); whether it is gone."""
    for signum in _STOPS:
        signal.signal(signum, signal.SIG_IGN)
    shutil.rmtree(out, ignore_errors=True)
    return not os.path.lexists(out)


def _interrupted(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signum)


def _overlap(site: Path, out: Path) -> str:
    """Why ``out`` cannot hold the copy of ``site`` (one inside the other: the copy would copy itself)."""
    try:
        a, b = site.resolve(), out.parent.resolve() / out.name
    except (OSError, RuntimeError):  # a loop of links: check_site says the site is not there
        return ""
    if a == b or a in b.parents or b in a.parents:
        return f"副本目录 {out} 和网站 {site} 不能一个在另一个里面。把副本放到网站以外的地方"
    return ""


def _os_words(exc: OSError, out: Path) -> str:
    """What the system refused, in Chinese, naming the file (a failed write is the copy's: its disk or folder)."""
    where = f"（{exc.filename}）" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return (
            f"磁盘已满{where}：副本所在的磁盘（{out.parent}）没有空间了。清理它，或把副本放到空间够的地方"
            "（CI 中副本在临时目录，由 TMPDIR 决定）"
        )
    if exc.errno == errno.EDQUOT:
        return f"磁盘配额已用完{where}：副本所在的磁盘（{out.parent}）上这个用户的配额不够了"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有权限{where}：副本的目录 {out.parent} 要可写，网站的文件要可读"
    if exc.errno == errno.ENOENT:
        return f"找不到{where}：网站的文件在复制时被移走或删除了？重新生成后再发布"
    return f"读写出错{where}：{exc.strerror or exc}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
