"""CI publishing of the compressed copy (the variable ``KAOPING_GZIP_ONLY=是``).

``scripts/ci_publish.sh`` runs against the stand-in server of :mod:`test_ci_files` (an ``ssh`` that runs the
remote command here, the real rsync). The release it makes holds the same files as ``kaoping publish
--gzip-only``, Debian's nginx serves it with the lines for a compressed copy, a second publish sends only
what changed, and a site that cannot be published so is refused before the server is asked anything.
``generator.office.sitecopy`` is run as the publish job runs it: with Python's standard library alone.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import tomllib
import zlib
from pathlib import Path

import pytest
from conftest_site import BuiltSite, built_site
from sandbox import ROOT, digests
from test_ci_files import Server, make_site, marker, needs_rsync, server, site_digests  # noqa: F401 (a fixture)
from test_gzip_only import serve
from test_serving import fetch

from generator.office.publish import publish
from generator.site import compress, paths
from generator.site.stamp import BUILD_STAMP

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> BuiltSite:
    return built_site()


def unit_page(site: BuiltSite, index: int) -> str:
    outcome = site.prepared.outcomes[max(site.prepared.outcomes)]
    return paths.html_path(paths.unit_page(outcome.rubric.id, outcome.units[index].unit.id))


@needs_rsync
def test_ci_publishes_the_copy_kaoping_publish_makes(
    site: BuiltSite,
    server: Server,  # noqa: F811
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    run = server.publish(site.site, "a1" + "0" * 38, KAOPING_GZIP_ONLY="是")
    assert run.returncode == 0, run.stderr
    assert "只有压缩文件的副本" in run.stdout, run.stdout
    # What nginx needs, once the copy is on the server (not when the publish is refused on the way).
    assert run.stdout.index("已发布：") < run.stdout.index("gzip_static always"), run.stdout
    first = server.dest.resolve()
    assert marker(first)["gzip_only"] is True

    # File for file what kaoping publish --gzip-only puts on a server.
    dest = tmp_path / "www" / "kaoping"
    dest.parent.mkdir()
    publish(site.root, dest, gzip_only=True)
    assert site_digests(first) == site_digests(dest)
    page = unit_page(site, 1)
    assert (first / f"{page}.gz").is_file() and not (first / page).exists()
    assert sum(p.stat().st_size for p in first.rglob("*")) < sum(p.stat().st_size for p in site.site.rglob("*")) / 2

    # Served by nginx with the lines for a compressed copy: the same bytes to every client.
    with contextlib.contextmanager(serve)(server.dest, tmp_path_factory) as port:
        for rel in (page, "search/search_index.json", "index.html"):
            want = (site.site / rel).read_bytes()
            plain, packed = fetch(port, "/" + rel), fetch(port, "/" + rel, gzip_ok=True)
            assert plain.status == 200 and "content-encoding" not in plain.headers and plain.body == want, rel
            body = gzip.decompress(packed.body) if packed.headers.get("content-encoding") == "gzip" else packed.body
            assert packed.status == 200 and body == want, rel

    # Published again after one page changed: only that page's copy is new, the rest are hard links.
    changed = tmp_path / "site2"
    shutil.copytree(site.site, changed)
    with open(changed / page, "a", encoding="utf-8") as out:
        out.write("<!-- 复核后重新生成 -->\n")
    run = server.publish(changed, "a2" + "0" * 38, KAOPING_GZIP_ONLY="yes")
    assert run.returncode == 0, run.stderr
    second = server.dest.resolve()
    assert second != first and marker(second)["gzip_only"] is True
    assert gzip.decompress((second / f"{page}.gz").read_bytes()) == (changed / page).read_bytes()
    assert (second / f"{page}.gz").stat().st_ino != (first / f"{page}.gz").stat().st_ino
    other = unit_page(site, 2)
    assert (second / f"{other}.gz").stat().st_ino == (first / f"{other}.gz").stat().st_ino
    # Both compressed: nginx has the lines already, the rollback line says nothing more.
    assert "回退到上一个版本" in run.stdout and "那个版本只发布了压缩文件" not in run.stdout, run.stdout


@needs_rsync
@pytest.mark.parametrize("value", ["否", "NO", " no\r", ""])
def test_plain_publish_after_a_compressed_one(
    value: str,
    server: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    first = stamped(tmp_path / "one", "none")
    run = server.publish(first, "c1" + "0" * 38, KAOPING_GZIP_ONLY=" 是 ")
    assert run.returncode == 0, run.stderr
    assert marker(server.dest)["gzip_only"] is True
    assert (server.dest / "search" / "search_index.json.gz").is_file()
    assert "gzip_static always" in run.stdout

    run = server.publish(stamped(tmp_path / "two", "none"), "c2" + "0" * 38, KAOPING_GZIP_ONLY=value)
    assert run.returncode == 0, run.stderr
    assert marker(server.dest)["gzip_only"] is False
    assert (server.dest / "search" / "search_index.json").is_file()
    assert not (server.dest / "search" / "search_index.json.gz").exists()
    assert "gzip_static always" not in run.stdout.split("回退到上一个版本")[0], run.stdout
    # Rolling back to the compressed release needs nginx's lines for it: said beside the rollback line.
    assert "那个版本只发布了压缩文件：回退之前，nginx 要设 gzip_static always; 和 gunzip on;" in run.stdout, run.stdout


@needs_rsync
@pytest.mark.parametrize("value", ["是", "否"])
def test_a_link_in_the_site_is_refused_before_the_server_is_asked(
    value: str,
    server: Server,  # noqa: F811
    tmp_path: Path,
) -> None:
    site = stamped(tmp_path, "none")
    os.symlink("/etc/passwd", site / "assets" / "passwd.css")
    run = server.publish(site, "d1" + "0" * 38, KAOPING_GZIP_ONLY=value)
    assert run.returncode == 1
    assert "网站中有符号链接" in run.stderr and "passwd.css" in run.stderr, run.stderr
    assert not server.log.exists() and list(server.srv.iterdir()) == []


@needs_rsync
def test_a_python3_older_than_3_11_is_named(server: Server, tmp_path: Path) -> None:  # noqa: F811
    fake = tmp_path / "bin" / "python3"
    fake.write_text('#!/bin/sh\n[ "$1" = -V ] && echo "Python 3.10.13"\nexit 1\n')
    fake.chmod(0o755)
    run = server.publish(stamped(tmp_path / "one", "none"), "e1" + "0" * 38, KAOPING_GZIP_ONLY="是")
    assert run.returncode == 1
    assert "python3 是 Python 3.10.13，要 3.11 或更新的版本" in run.stderr, run.stderr
    assert not server.log.exists()


def stamped(tmp_path: Path, access: str | None) -> Path:
    site = make_site(tmp_path, "v1", "b1" + "0" * 38, "2026-01-01T00:00:00Z")
    built = json.loads((site / BUILD_STAMP).read_text())
    if access is not None:
        built["access"] = access
    (site / BUILD_STAMP).write_text(json.dumps(built))
    # A search index big enough to be compressed (a few bytes are published as they are).
    docs = [{"location": f"u{i}.html", "title": f"第{i}支部", "text": "三会一课"} for i in range(100)]
    (site / "search" / "search_index.json").write_text(json.dumps({"docs": docs}, ensure_ascii=False))
    return site


@needs_rsync
@pytest.mark.parametrize(
    ("access", "words"),
    [(None, "没有写明它是否按账号限制访问"), ("plain", "nginx 配置不是为只有压缩文件的网站写的")],
    ids=["older-kaoping", "accounts-plain"],
)
def test_a_site_that_cannot_be_published_compressed_is_refused_before_the_server_is_asked(
    server: Server,  # noqa: F811
    tmp_path: Path,
    access: str | None,
    words: str,
) -> None:
    run = server.publish(stamped(tmp_path, access), "b1" + "0" * 38, KAOPING_GZIP_ONLY="是")
    assert run.returncode == 1
    assert words in run.stderr and "KAOPING_GZIP_ONLY 设为 否" in run.stderr, run.stderr
    assert not server.log.exists(), "拒绝时不应连接服务器"
    assert list(server.srv.iterdir()) == []
    # Without the variable the same site is published as it is.
    assert server.publish(stamped(tmp_path / "again", access), "b1" + "0" * 38).returncode == 0


def copy_command(*args: str) -> subprocess.CompletedProcess[str]:
    """The copy as the publish job makes it: ``python3 -S`` has no installed package at all."""
    return subprocess.run(
        [sys.executable, "-S", "-m", "generator.office.sitecopy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_copy_needs_only_the_standard_library_and_never_touches_what_is_there(tmp_path: Path) -> None:
    site = stamped(tmp_path, "none")
    out = tmp_path / "copy"
    made = copy_command("--gzip-only", str(site), str(out))
    assert made.returncode == 0, made.stderr
    assert (out / "index.html").is_file() and (out / "search" / "search_index.json.gz").is_file()
    assert not (out / "search" / "search_index.json").exists()
    index = gzip.decompress((out / "search" / "search_index.json.gz").read_bytes())
    assert index == (site / "search" / "search_index.json").read_bytes()

    # An OUT that is there in any form is left exactly as it was.
    there = tmp_path / "there"
    there.mkdir()
    (there / "file").write_text("办公室的文件")
    (there / "folder").mkdir()
    (there / "folder" / "keep.txt").write_text("留着")
    (there / "empty").mkdir()
    os.symlink(there / "folder", there / "link")
    os.mkfifo(there / "fifo")
    before = digests(there)
    for name in ("file", "folder", "empty", "link", "fifo"):
        run = copy_command("--gzip-only", str(site), str(there / name))
        assert run.returncode == 1 and "已经存在" in run.stderr, (name, run.stderr)
    assert digests(there) == before
    assert sorted(p.name for p in there.iterdir()) == ["empty", "fifo", "file", "folder", "link"]
    assert list((there / "empty").iterdir()) == []

    # A copy that cannot be made leaves nothing behind: the folder it made is removed again.
    refused = [(tmp_path / "nothing", "没有找到生成好的网站"), (stamped(tmp_path / "old", None), "没有写明")]
    for source, words in refused:
        run = copy_command("--gzip-only", str(source), str(tmp_path / "partial"))
        assert run.returncode == 1 and words in run.stderr, run.stderr
        assert not (tmp_path / "partial").exists()
    assert copy_command(str(site), str(tmp_path / "x")).returncode == 2
    assert not (tmp_path / "x").exists()

    # A copy inside the site would copy itself without end: refused, nothing made.
    before = digests(site)
    for inside in (site / "copy", site / "assets" / "copy"):
        run = copy_command("--gzip-only", str(site), str(inside))
        assert run.returncode == 1 and "不能一个在另一个里面" in run.stderr, run.stderr
        assert not inside.exists()
    run = copy_command("--gzip-only", str(site), str(site))
    assert run.returncode == 1 and "不能一个在另一个里面" in run.stderr, run.stderr
    assert digests(site) == before


#: The copy as the publish job runs it, each file's copy slowed down or failing (``HOW``), the rest real.
_COPY = """
import errno, shutil, sys, time
import generator.office.sitecopy as sitecopy
real = sitecopy._copy_file
remove = shutil.rmtree
def slow_remove(*args, **kwargs):
    time.sleep(1 if HOW == "slow" else 0)
    return remove(*args, **kwargs)
shutil.rmtree = slow_remove
def copy(source, target):
    if HOW == "full" and source.name.startswith("p5"):
        raise OSError(errno.ENOSPC, "No space left on device")
    time.sleep(0.02 if HOW == "slow" else 0)
    return real(source, target)
sitecopy._copy_file = copy
sys.exit(sitecopy.main(sys.argv[1:]))
"""


def test_a_copy_that_fails_or_is_stopped_leaves_nothing(tmp_path: Path) -> None:
    site = stamped(tmp_path, "none")
    for i in range(100):  # (images are copied as they are: through _copy_file)
        (site / "assets" / f"p{i}.png").write_bytes(bytes([i]) * 4000)
    out = tmp_path / "copy"

    full = subprocess.run(
        [sys.executable, "-S", "-c", "HOW = 'full'\n" + _COPY, "--gzip-only", str(site), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert full.returncode == 1, full.stderr
    assert "磁盘已满" in full.stderr and str(tmp_path) in full.stderr, full.stderr
    assert not out.exists()

    # SIGINT then SIGTERM while it removes the copy, as a cancelled GitHub job sends them: still removed.
    for signum, code, then in (
        (signal.SIGTERM, 143, None),
        (signal.SIGINT, 130, None),
        (signal.SIGINT, 130, signal.SIGTERM),
    ):
        slow = subprocess.Popen(
            [sys.executable, "-S", "-c", "HOW = 'slow'\n" + _COPY, "--gzip-only", str(site), str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Stopped once the copy has begun (a few files are there).
        for _ in range(6000):
            if out.is_dir() and len(list(out.rglob("*"))) > 5:
                break
            time.sleep(0.01)
        assert out.is_dir(), "副本没有开始"
        slow.send_signal(signum)
        if then is not None:
            time.sleep(0.3)
            slow.send_signal(then)
        _, err = slow.communicate(timeout=60)
        assert slow.returncode == code, err
        assert "已中断" in err and "Traceback" not in err and not out.exists(), err


def test_a_compressed_copy_has_the_same_bytes_on_every_python() -> None:
    """gzip's header as kaoping writes it, byte for byte: no name, time 0, Unix (Python 3.13 would write 255)."""
    data = "三会一课、主题党日、组织生活会。".encode() * 200
    deflate = zlib.compressobj(compress.LEVEL, zlib.DEFLATED, -15)
    body = deflate.compress(data) + deflate.flush()
    header = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3])
    trailer = struct.pack("<LL", zlib.crc32(data), len(data))
    assert compress.gzip_bytes(data) == header + body + trailer


def test_python_3_13s_gzip_header_is_made_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python 3.13's gzip.compress writes 255 as the operating system (3.11 and 3.12 write 3)."""
    real = gzip.compress

    def as_on_3_13(data: bytes, compresslevel: int = 9, *, mtime: float | None = None) -> bytes:
        packed = real(data, compresslevel=compresslevel, mtime=mtime)
        return packed[:9] + b"\xff" + packed[10:]

    data = b"<p>" + "党建工作考核".encode() * 300
    expected = compress.gzip_bytes(data)
    monkeypatch.setattr(gzip, "compress", as_on_3_13)
    assert gzip.compress(data, 6, mtime=0)[9] == 255
    assert compress.gzip_bytes(data) == expected and expected[9] == 3


def test_the_contract_forbids_every_installed_package() -> None:
    """What the publish job runs with python3 alone may import none of kaoping's dependencies."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "ci-publish")
    assert {"generator.office.sitecopy", "generator.site.stamp"} <= set(contract["source_modules"])
    names = {"mkdocs-material": "material", "pyyaml": "yaml", "python-docx": "docx", "libpass": "passlib"}
    declared = [re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower() for d in config["project"]["dependencies"]]
    assert len(declared) >= 9
    missing = [d for d in declared if names.get(d, d) not in contract["forbidden_modules"]]
    assert not missing, missing
