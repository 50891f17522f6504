"""Pre-compressed copies of the published text files: ``page.html.gz`` beside ``page.html``.

A web server with gzip_static (nginx: :mod:`generator.access.serving`) sends the ``.gz`` file to a browser that
accepts gzip, so pages, styles, scripts and the search index travel at about a fifth of their size without
the server compressing anything per request. Servers without it simply ignore the ``.gz`` files.

Same input, same output: the gzip header carries no file name and no time, so a rebuild of the same data is
byte-identical. Brotli (``.br``) is not written: Debian's nginx serves it only with an extra module
(``libnginx-mod-http-brotli-static``), and its ``brotli_static`` directive is an error on a server without
that module, so the configuration kaoping writes could not use it safely.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

#: What is worth compressing: text. Images, XLSX and the like are compressed already.
SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".map"})
#: Below this size a compressed copy saves less than one network packet.
MIN_SIZE = 1024
#: zlib's level 6: within a few percent of level 9 at a third of the time (the site can be gigabytes).
LEVEL = 6


@dataclass
class Compressed:
    files: int = 0
    before: int = 0
    after: int = 0


def compressible(path: Path) -> bool:
    """A regular file (no link, no FIFO) of a text kind, big enough to gain."""
    if path.suffix not in SUFFIXES or path.is_symlink() or not path.is_file():
        return False
    return path.stat().st_size >= MIN_SIZE


def gzip_bytes(data: bytes) -> bytes:
    """gzip with an empty name and time 0 in its header: the same bytes for the same input."""
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def compress_file(path: Path) -> tuple[int, int]:
    """Write ``path.gz`` when it is smaller than ``path``; returns (size before, size after) or (0, 0).

    A ``.gz`` that is already there is left alone (MkDocs writes ``sitemap.xml.gz`` itself). The copy gets the
    file's modification time, so a server's Last-Modified and ETag are the same for both.
    """
    target = path.with_name(path.name + ".gz")
    if os.path.lexists(target):
        return 0, 0
    data = path.read_bytes()
    packed = gzip_bytes(data)
    if len(packed) >= len(data):
        return 0, 0
    target.write_bytes(packed)
    info = path.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    return len(data), len(packed)


def compress_files(files: Iterable[Path], workers: int = 2) -> Compressed:
    """Compress the given files (those worth it) on ``workers`` threads: zlib releases the interpreter lock."""
    todo = [f for f in files if compressible(f)]
    out = Compressed()
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for before, after in pool.map(compress_file, todo):
            if before:
                out.files += 1
                out.before += before
                out.after += after
    return out


def compress_site(site_dir: Path, workers: int = 2) -> Compressed:
    """A ``.gz`` beside every text file of the built site worth compressing."""
    return compress_files(sorted(p for p in site_dir.rglob("*") if p.suffix in SUFFIXES), workers)
