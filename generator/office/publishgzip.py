"""``kaoping publish --gzip-only``: the published copy holds each text file once, compressed.

A site of 10,000 units is about 1 GB in ``site/``: each unit's page and JSON, the full JSON of every unit,
and beside the shared pages their pre-compressed ``.gz`` (:mod:`generator.site.compress`). Browsers accept
gzip, so with nginx's ``gzip_static always`` the ``.gz`` is all a reader is ever sent, and ``gunzip on``
decompresses it for a client that does not accept gzip (a script, ``curl`` without ``--compressed``). The
published copy can then leave out every file whose ``.gz`` is there, and store a unit's page and JSON
(which ``site/`` keeps uncompressed) compressed: about a quarter of the size, with nothing lost to a reader.

Per file of ``site/``, in the published copy:

- a text file with its ``.gz`` beside it, made from it (the build gives a copy its file's modification time;
  otherwise the bytes are compared): only the ``.gz``, and for a site with accounts an empty placeholder
  under the file's name (see :class:`Packing`);
- a ``.gz`` that is not its file's (the file edited by hand since the build): left out;
- a text file without a copy (a unit's page or JSON), big enough to gain: compressed into ``name.gz`` as it is
  copied, the same bytes the build writes (no name, no time in the header), dated as its file; the copy
  published last time is taken instead when it decompresses to the same bytes;
- ``index.html`` stays as it is, beside its ``.gz``: nginx's ``index`` looks for the file itself;
- everything else (images, XLSX, small files, the build's stamp) as it is.

``site/`` itself is unchanged: it still opens from a folder (``file://``) and in ``kaoping serve``. Only nginx
with ``gzip_static always`` and ``gunzip on`` serves the published copy (:func:`generator.access.serving.
compression_lines`); ``nginx -V`` lists ``--with-http_gunzip_module`` when it has ``gunzip``. A site built
with ``--access`` is published so only when its configuration was written for it (``只发布压缩文件 = 是`` in
``access/server.txt``: the build stamp's ``access`` is ``gzip-only``); any other is refused.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.site import compress, stamp

#: Files nginx needs as they are: ``index`` looks for the file before it is served.
KEPT_PLAIN = frozenset({"index.html"})


ACCESS_WORDS = (
    "这个网站按账号限制访问（kaoping build --access），它的 nginx 配置不是为只有压缩文件的网站写的："
    "nginx 不会解压，不接受 gzip 的客户端打不开页面。在 access/server.txt 中写一行“只发布压缩文件 = 是”，"
    "用 kaoping build --access 重新生成，把新的 nginx 配置装到服务器上（nginx 要有 gunzip 模块），再这样发布；"
    "或者去掉 --gzip-only 发布"
)
#: Said after a publish with ``--gzip-only``: what the server needs, and how to see that it has it.
SERVER_WORDS = (
    "只发布了压缩文件：nginx 要设 gzip_static always; 和 gunzip on;（见使用说明“部署到内网”），否则不接受 gzip 的"
    "客户端（脚本、经过代理的浏览器）打不开页面。检查：curl -s http://服务器/search/search_index.json | head -c 10"
    "（不加 --compressed）应当显示 {\"config\"。"
)
#: The SHA-256 of an empty file (a placeholder).
_EMPTY = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Packing:
    """How a site is published compressed. ``placeholders``: an empty file is left under each name whose
    ``.gz`` is published instead (a site built with ``--access``: its rules look for the page itself,
    ``try_files $uri…``, before nginx sends the ``.gz``; the empty file is never sent). ``refused``: why the
    site may not be published so (built with ``--access`` for plain files, or by a kaoping that did not say)."""

    placeholders: bool = False
    refused: str = ""
    #: The copy published before, whose ``.gz`` of a file with the same bytes is taken instead of compressing.
    previous: Path | None = None
    #: Where the site being published is (the previous copy's files are found by their place under it).
    site: Path | None = None

    def earlier(self, source: Path) -> Path | None:
        """Where the previous copy would hold ``source``'s ``.gz``."""
        if self.previous is None or self.site is None:
            return None
        return self.previous / source.relative_to(self.site).parent / (source.name + ".gz")


#: A stamp that does not say how the site is served: built by an earlier kaoping, or not by kaoping build.
UNKNOWN_WORDS = (
    "网站的生成记录（site/.kaoping-build.json）没有写明它是否按账号限制访问（由较早的 kaoping 生成，或不是 "
    "kaoping build 生成的），不能确定只有压缩文件时各页面仍然能打开。用这个版本重新运行 kaoping build 后再发布；"
    "或者去掉 --gzip-only 发布"
)


#: A stamp that exists but cannot be read.
BROKEN_WORDS = (
    "网站的生成记录（site/.kaoping-build.json）无法读取，不能确定它是否按账号限制访问，只有压缩文件时各页面"
    "是否仍然能打开（加 --force 也不行）。重新运行 kaoping build 后再发布；或者去掉 --gzip-only 发布"
)


def packing(site_dir: Path, previous: Path | None = None) -> Packing:
    """How ``site_dir`` is published compressed, from its build stamp's ``access`` (``none``, ``plain`` or
    ``gzip-only``; see the module)."""
    try:
        found = stamp.read_raw(site_dir / stamp.BUILD_STAMP)
    except stamp.StampError:
        return Packing(refused=BROKEN_WORDS)
    access = found.get("access") if found is not None else None
    if access not in ("none", "plain", "gzip-only"):
        return Packing(refused=UNKNOWN_WORDS)
    return Packing(access == "gzip-only", ACCESS_WORDS if access == "plain" else "", previous, site_dir)


def choose(path: Path, present: set[str]) -> str:
    """What becomes of ``path`` (in a folder whose files and subfolders are ``present``): ``copy``;
    ``leave``, its ``.gz`` is published instead; ``pack``, compressed into ``name.gz``; or ``drop``, a ``.gz``
    that is not its file's (the file was edited by hand since the build). Such a ``.gz`` is taken out of
    ``present`` when its file's turn comes (a file sorts before its ``.gz``), and dropped at its own turn: the
    file is compressed afresh, or published as it is (``index.html``: nginx compresses it as it sends it)."""
    name = path.name
    if name.startswith("."):
        return "copy"
    if name.endswith(".gz"):
        return "copy" if name in present else "drop"
    gz = path.with_name(name + ".gz")
    if name + ".gz" in present:
        if gz.is_symlink() or not gz.is_file():
            return "copy"  # (a folder of that name: the file is published as it is)
        if _made_from(path, gz) or _same(path, gz):
            return "copy" if name in KEPT_PLAIN else "leave"
        present.discard(gz.name)
    if name in KEPT_PLAIN:
        return "copy"
    # (A big file is always compressed by the build; one without a copy is published as it is, not read whole.)
    return "pack" if compress.compressible(path) and path.stat().st_size <= compress.BIG else "copy"


def _same(path: Path, gz: Path) -> bool:
    """``gz`` decompresses to ``path``'s bytes (read a block at a time, stopping at the first difference)."""
    try:
        with gzip.open(gz, "rb") as packed, path.open("rb") as plain:
            while True:
                block = plain.read(_BLOCK)
                if packed.read(len(block) or 1) != block:
                    return False
                if not block:
                    return True
    except (OSError, EOFError, zlib.error):
        return False


_BLOCK = 1 << 20


def _made_from(path: Path, gz: Path) -> bool:
    """``gz`` is the build's copy of ``path``: it carries the file's modification time (a ``.gz`` made some
    other way, such as MkDocs' ``sitemap.xml.gz``, does not: :func:`_same` then compares the bytes)."""
    try:
        return os.lstat(gz).st_mtime_ns == os.lstat(path).st_mtime_ns
    except OSError:
        return False


def pack(source: Path, target: Path, earlier: Path | None = None) -> tuple[str, str, int]:
    """``source`` compressed into ``target``'s folder as ``target.gz``, or copied as it is when that would not
    be smaller; the name written, the SHA-256 of what was written, its size. ``earlier``: a ``.gz`` published
    before, taken when it decompresses to the same bytes (:func:`_earlier`)."""
    data = source.read_bytes()
    packed = _earlier(earlier, data) or compress.gzip_bytes(data)
    name, out = (target.name + ".gz", packed) if len(packed) < len(data) else (target.name, data)
    _write_new(target.with_name(name), out, source)
    return name, hashlib.sha256(out).hexdigest(), len(out)


def _write_new(path: Path, data: bytes, dated_as: Path | None = None) -> None:
    """A new file (never an existing one) holding ``data``, readable by the web server, dated as ``dated_as``."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with open(fd, "wb") as handle:
        handle.write(data)
        os.fchmod(handle.fileno(), 0o644)
    if dated_as is not None:
        info = dated_as.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _earlier(gz: Path | None, data: bytes) -> bytes | None:
    """The bytes of ``gz`` when it is a regular file (not a link) that decompresses to ``data`` (its trailer's
    CRC-32 and size are looked at first), made as :func:`compress.gzip_bytes` makes it (no name, no time)."""
    if gz is None:
        return None
    try:
        fd = os.open(gz, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or os.fstat(fd).st_size > len(data) + 1024:
            return None
        old = handle.read()
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    if not (old.startswith(_HEADER) and old.endswith(trailer)):
        return None
    try:
        return old if gzip.decompress(old) == data else None  # (a fifth of the time compressing takes)
    except (OSError, EOFError, zlib.error):
        return None


#: The start of every copy :func:`compress.gzip_bytes` makes: gzip, deflate, no flags, time 0.
_HEADER = compress.gzip_bytes(b"")[:8]


def place(
    source: Path,
    target: Path,
    present: set[str] | None,
    copy: Callable[[Path, Path], tuple[str, int]],
    how: Packing | None = None,
) -> list[tuple[str, str, int]]:
    """``source`` published as ``target`` by ``copy`` (which gives the SHA-256 and size), or as ``how`` says
    when the site is published compressed (``present``: the names in the source's folder): each file written,
    its name, SHA-256 and size (none when the file is left out for its ``.gz``)."""
    action = "copy" if present is None else choose(source, present)
    if action == "copy":
        return [(target.name, *copy(source, target))]
    if action == "drop":
        return []
    written = [pack(source, target, how.earlier(source) if how else None)] if action == "pack" else []
    # The placeholder: only under a name whose .gz is published (not when pack() copied the file as it is).
    if how is not None and how.placeholders and not any(name == target.name for name, _, _ in written):
        _write_new(target, b"")
        written.append((target.name, _EMPTY, 0))
    return written
