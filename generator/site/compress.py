"""Pre-compressed copies of the published text files: ``page.html.gz`` beside ``page.html``.

A web server with gzip_static (nginx: :mod:`generator.access.serving`) sends the ``.gz`` file to a browser that
accepts gzip, so pages, styles, scripts and the search index travel at about a fifth of their size without
the server compressing anything per request. Servers without it simply ignore the ``.gz`` files.

Same input, same output: the gzip header carries no file name and no time, so a rebuild of the same data is
byte-identical. A file the build took from the previous site (the same file, hard-linked: see
:mod:`generator.site.cache`) takes that site's ``.gz`` too, when the ``.gz`` still carries the file's modification
time (it is given it when made): a rebuild compresses only what it made again.

Each unit's page and JSON have no copy: there is one of each per unit (at 10,000 units the copies would be
130 MB and a tenth of the build's time), each is read by few people, and the server compresses them as they
are sent (``gzip on`` in the lines kaoping writes for nginx). The pages and files every visitor loads (the
theme's scripts and styles, the search index, the shared pages and downloads) have their copy.

Brotli (``.br``) is not written: Debian's nginx serves it only with an extra module
(``libnginx-mod-http-brotli-static``), and its ``brotli_static`` directive is an error on a server without
that module, so the configuration kaoping writes could not use it safely.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import stat
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.site import paths
from generator.site.cache import files_under

#: What is worth compressing: text. Images, XLSX and the like are compressed already.
SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".map"})
#: Below this size a compressed copy saves less than one network packet.
MIN_SIZE = 1024
#: zlib's level 6: within a few percent of level 9 at a third of the time (the site can be gigabytes).
LEVEL = 6
#: Files above this size (an assessment's full JSON of thousands of units) take level 1: four times faster,
#: and the copy still about a fifth of the file.
BIG = 8 * 1024 * 1024


@dataclass
class Compressed:
    files: int = 0
    before: int = 0
    after: int = 0


def per_unit(rel: str) -> bool:
    """A unit's own page or JSON (``assessments/<id>/units/…``): compressed by the server as it is sent."""
    parts = rel.split("/")
    return len(parts) == 4 and parts[0] == paths.GENERATED and parts[2] == "units"


def compressible(path: Path) -> bool:
    """A regular file (no link, no FIFO) of a text kind, big enough to gain."""
    if path.suffix not in SUFFIXES or path.is_symlink() or not path.is_file():
        return False
    return path.stat().st_size >= MIN_SIZE


def gzip_bytes(data: bytes) -> bytes:
    """gzip with an empty name and time 0 in its header: the same bytes for the same input (a file above
    ``BIG`` is compressed as it is read instead, at level 1)."""
    packed = gzip.compress(data, compresslevel=LEVEL, mtime=0)
    # The header's operating system byte: Python 3.13 writes 255 where 3.11 and 3.12 write 3 (Unix). Always 3 here,
    # so that a copy made on another Python (a CI publish job) has the same bytes and is not sent again (with the
    # same zlib). Files compressed as they are read (over BIG) have 255 on every Python.
    return packed[:9] + b"\x03" + packed[10:]


def _previous_copy(path: Path, before: Path) -> Path | None:
    """``before``'s ``.gz`` of the very file ``path`` is (same inode), made from it as it is now (same time)."""
    old_gz = before.with_name(before.name + ".gz")
    try:
        now, was, packed = path.stat(), os.lstat(before), os.lstat(old_gz)
    except OSError:
        return None
    same = (now.st_ino, now.st_dev, now.st_mtime_ns) == (was.st_ino, was.st_dev, was.st_mtime_ns)
    return old_gz if same and stat.S_ISREG(packed.st_mode) and packed.st_mtime_ns == now.st_mtime_ns else None


def _take_previous(path: Path, before: Path) -> tuple[int, int] | None:
    """Link ``before``'s ``.gz`` beside ``path`` when it was made from this very file; its sizes, or None."""
    old = _previous_copy(path, before)
    if old is None:
        return None
    target = path.with_name(path.name + ".gz")
    try:
        os.link(old, target)
        return path.stat().st_size, target.stat().st_size
    except OSError:
        return None


def compress_file(path: Path) -> tuple[int, int]:
    """Write ``path.gz`` when it is smaller than ``path``; returns (size before, size after) or (0, 0).

    A ``.gz`` that is already there is left alone (MkDocs writes ``sitemap.xml.gz`` itself). The copy gets the
    file's modification time, so a server's Last-Modified and ETag are the same for both. A big file is
    compressed as it is read: at 100,000 units the full JSON is over a gigabyte.
    """
    target = path.with_name(path.name + ".gz")
    if os.path.lexists(target):
        return 0, 0
    size = path.stat().st_size
    if size > BIG:
        packed_size = _gzip_stream(path, target)
        if packed_size >= size:
            target.unlink()
            return 0, 0
    else:
        packed = gzip_bytes(path.read_bytes())
        packed_size = len(packed)
        if packed_size >= size:
            return 0, 0
        target.write_bytes(packed)
    info = path.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    return size, packed_size


#: How much of a big file is read at a time.
_BLOCK = 1024 * 1024


def _gzip_stream(path: Path, target: Path) -> int:
    """``path`` gzipped into ``target`` block by block, at level 1, with no name and no time; its size."""
    with path.open("rb") as src, target.open("xb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=1, mtime=0) as out:
            while block := src.read(_BLOCK):
                out.write(block)
        return raw.tell()


def compress_files(files: Iterable[Path], workers: int = 2, site: Path | None = None,
                   previous: Path | None = None) -> Compressed:
    """Compress the given files (those worth it) on ``workers`` threads: zlib releases the interpreter lock.
    With the ``site`` they are in and the ``previous`` site, a file unchanged since takes its ``.gz`` from there."""
    out = Compressed()

    def count(sizes: tuple[int, int] | None) -> None:
        if sizes is not None and sizes[0]:
            out.files += 1
            out.before += sizes[0]
            out.after += sizes[1]

    todo = []
    for path in files:
        if not compressible(path) or os.path.lexists(path.with_name(path.name + ".gz")):
            continue
        taken = _take_previous(path, previous / path.relative_to(site)) if site and previous else None
        if taken is None:
            todo.append(path)
        count(taken)
    # The biggest first, so that one big file does not finish alone at the end.
    todo.sort(key=lambda p: -p.stat().st_size)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for sizes in pool.map(compress_file, todo):
            count(sizes)
    return out


def compress_site(site_dir: Path, workers: int = 2, previous: Path | None = None) -> Compressed:
    """A ``.gz`` beside every text file of the built site worth compressing; ``previous`` is the site it
    replaces (files taken from it keep their ``.gz``)."""
    found = files_under(site_dir, lambda rel: os.path.splitext(rel)[1] in SUFFIXES and not per_unit(rel))
    return compress_files([site_dir / rel for rel in found], workers, site_dir, previous)


@contextlib.contextmanager
def compressing(files: list[Path], site: Path | None = None, previous: Path | None = None) -> Iterator[None]:
    """Compress ``files`` (final already: nothing changes them afterwards) on a thread of their own while the
    block runs. zlib leaves the interpreter lock, so an assessment's big downloads (the full JSON of 10,000 units
    is over 100 MB) are compressed beside the rest of the build; :func:`compress_site` then finds their copies.
    ``site`` and ``previous`` as for :func:`compress_files`: a download kept from the last build keeps its copy."""
    if not files:
        yield
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        done = pool.submit(compress_files, files, 1, site, previous)
        yield
        done.result()


def downloads_of(site_dir: Path, assessments: Iterable[str]) -> list[Path]:
    """The files of the assessments' downloads folders in ``site_dir``."""
    found: list[Path] = []
    for aid in assessments:
        folder = (site_dir / paths.download(aid, "-")).parent
        found += sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return found
