"""``kaoping publish --gzip-only``: the published copy holds each text file once, compressed.

A site of 10,000 units is about 1 GB in ``site/``: each unit's page and JSON, the full JSON of every unit,
and beside the shared pages their pre-compressed ``.gz`` (:mod:`generator.site.compress`). Browsers accept
gzip, so with nginx's ``gzip_static always`` the ``.gz`` is all a reader is ever sent, and ``gunzip on``
decompresses it for a client that does not accept gzip (a script, ``curl`` without ``--compressed``). The
published copy can then leave out every file whose ``.gz`` is there, and store a unit's page and JSON
(which ``site/`` keeps uncompressed) compressed: about a third of the size, with nothing lost to a reader.

Per file of ``site/``, in the published copy:

- a text file with its ``.gz`` beside it, made from it (the build gives a copy its file's modification time):
  only the ``.gz``;
- a text file without one (a unit's page or JSON), big enough to gain: compressed into ``name.gz`` as it is
  copied, the same bytes the build writes (no name, no time in the header), dated as its file;
- ``index.html`` stays as it is, beside its ``.gz``: nginx's ``index`` looks for the file itself;
- everything else (images, XLSX, small files, the build's stamp) as it is.

``site/`` itself is unchanged: it still opens from a folder (``file://``) and in ``kaoping serve``. Only nginx
with ``gzip_static always`` and ``gunzip on`` serves the published copy (:func:`generator.access.serving.
compression_lines`); ``gunzip`` is in Debian's ``nginx`` (``nginx-core``), not in ``nginx-light``. A site built
with ``--access`` is refused: its rules check that a unit's page exists (``try_files``), which only the
uncompressed file satisfies.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from generator.site import compress, stamp

#: Files nginx needs as they are: ``index`` looks for the file before it is served.
KEPT_PLAIN = frozenset({"index.html"})


ACCESS_WORDS = (
    "这个网站按账号限制访问（kaoping build --access）：nginx 的访问规则要找到未压缩的单位页面，"
    "只有压缩文件时各单位都打不开自己的页面。--gzip-only 只用于公开的网站；去掉 --gzip-only 重新运行"
)


def built_with_access(site_dir: Path) -> bool:
    """The site's build stamp says ``kaoping build --access`` made it."""
    try:
        return bool((stamp.read_raw(site_dir / stamp.BUILD_STAMP) or {}).get("access"))
    except stamp.StampError:
        return False  # (the publish refuses an unreadable stamp when it compares the sites' ages)


def choose(path: Path, name: str, present: set[str]) -> str:
    """What becomes of ``path`` (``name`` in a folder whose files are ``present``): ``copy``, ``skip`` (its
    ``.gz`` is published instead) or ``pack`` (compressed into ``name.gz``)."""
    if name.startswith(".") or name in KEPT_PLAIN or name.endswith(".gz"):
        return "copy"
    if name + ".gz" in present:
        return "skip" if _made_from(path, path.with_name(name + ".gz")) else "copy"
    # (A big file is always compressed by the build; one without a copy is published as it is, not read whole.)
    return "pack" if compress.compressible(path) and path.stat().st_size <= compress.BIG else "copy"


def _made_from(path: Path, gz: Path) -> bool:
    """``gz`` is the build's copy of ``path``: it carries the file's modification time (a ``.gz`` made some
    other way, such as MkDocs' ``sitemap.xml.gz``, does not, and both files are published)."""
    try:
        return os.lstat(gz).st_mtime_ns == os.lstat(path).st_mtime_ns
    except OSError:
        return False


def pack(source: Path, target: Path) -> tuple[str, str, int]:
    """``source`` compressed into ``target``'s folder as ``target.gz``, or copied as it is when that would not
    be smaller; the name written, the SHA-256 of what was written, its size."""
    data = source.read_bytes()
    packed = compress.gzip_bytes(data)
    name, out = (target.name + ".gz", packed) if len(packed) < len(data) else (target.name, data)
    written = target.with_name(name)
    fd = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with open(fd, "wb") as handle:
        handle.write(out)
        os.fchmod(handle.fileno(), 0o644)
    info = source.stat()
    os.utime(written, ns=(info.st_atime_ns, info.st_mtime_ns))
    return name, hashlib.sha256(out).hexdigest(), len(out)


def place(
    source: Path, target: Path, present: set[str] | None, copy: Callable[[Path, Path], tuple[str, int]]
) -> tuple[str, str, int] | None:
    """``source`` published as ``target`` by ``copy`` (which gives the SHA-256 and size), or as this module
    says when ``present`` (the names in its folder) is given: the name written, SHA-256 and size; None when
    the file is left out (its ``.gz`` is published)."""
    how = "copy" if present is None else choose(source, source.name, present)
    if how == "skip":
        return None
    if how == "pack":
        return pack(source, target)
    return (target.name, *copy(source, target))
