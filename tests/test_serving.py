"""The built site as nginx serves it with the lines kaoping writes (generator/access/serving.py).

The bundled site, built once, is served by Debian's nginx on a loopback port with ``public_server`` (the
README's configuration for a public site), and asked over HTTP as a browser asks:

- every pre-compressed copy (``.gz``) is the gzip of the file beside it, byte for byte, and nothing else;
- a browser that accepts gzip receives that copy (``Content-Encoding: gzip``), one that does not receives
  the file itself, and both decode to the same bytes;
- Material's hashed assets may be kept a year; pages, the search index and kaoping's own styles are checked
  with the server on every visit;
- the CSV download is ``text/csv; charset=utf-8``.

The same lines in the configuration ``kaoping build --access`` writes are tested in test_access.py.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest_site import BuiltSite, built_site
from test_access import NGINX, NO_NGINX, free_port, running_nginx, wrapper_config

from generator.access import serving
from generator.site import compress, paths

pytestmark = pytest.mark.slow


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


@pytest.fixture(scope="module")
def site() -> BuiltSite:
    return built_site()


@pytest.fixture(scope="module")
def port(site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    assert NGINX.exists(), NO_NGINX
    folder = tmp_path_factory.mktemp("nginx")
    number = free_port()
    server = serving.public_server(str(site.site.resolve()), f"127.0.0.1:{number}", "localhost")
    conf = wrapper_config(folder, "".join(f"    {line}\n" for line in server.splitlines()))
    with running_nginx(conf, number):
        yield number


def fetch(port: int, path: str, gzip_ok: bool = False) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        if gzip_ok:
            connection.putheader("Accept-Encoding", "gzip, deflate, br")
        connection.endheaders()
        reply = connection.getresponse()
        return Reply(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        connection.close()


def url(site: Path, path: Path) -> str:
    return "/" + path.relative_to(site).as_posix()


def test_every_compressed_copy_is_the_gzip_of_its_file(site: BuiltSite) -> None:
    copies = sorted(site.site.rglob("*.gz"))
    assert len(copies) > 100, "网站中的文本文件应有压缩副本"
    for gz in copies:
        source = gz.with_suffix("")
        assert source.is_file(), f"{gz} 旁边没有原文件"
        assert gzip.decompress(gz.read_bytes()) == source.read_bytes(), f"{gz} 与原文件不一致"
    kinds = {p.suffix for p in site.site.rglob("*") if p.is_file() and compress.compressible(p)}
    assert {".html", ".js", ".css", ".json", ".csv"} <= kinds
    for path in site.site.rglob("*"):
        if compress.per_unit(path.relative_to(site.site).as_posix()):
            # A unit's own page and JSON: the server compresses them as it sends them.
            assert path.suffix != ".gz", path
            continue
        if path.is_file() and compress.compressible(path) and path.name != "sitemap.xml":
            packed = compress.gzip_bytes(path.read_bytes())
            gz = path.with_name(path.name + ".gz")
            assert gz.is_file() == (len(packed) < path.stat().st_size), path
            if gz.is_file():
                assert gz.read_bytes() == packed, f"{gz}：同样的内容应压缩成同样的字节（头部没有文件名和时间）"


def test_a_big_file_is_compressed_as_it_is_read_and_the_same_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compress, "BIG", 4096)
    monkeypatch.setattr(compress, "_BLOCK", 1000)
    text = "".join(f'{{"单位":"u{n}","得分":"{n % 97}.5"}},' for n in range(3000)).encode()
    copies = []
    for name in ("a", "b"):
        source = tmp_path / name / "full.json"
        source.parent.mkdir()
        source.write_bytes(text)
        before, after = compress.compress_file(source)
        gz = source.with_name("full.json.gz")
        assert (before, after) == (len(text), gz.stat().st_size) and after < before / 3
        assert gzip.decompress(gz.read_bytes()) == text
        assert gz.stat().st_mtime_ns == source.stat().st_mtime_ns
        copies.append(gz.read_bytes())
    assert copies[0] == copies[1], "同样的内容应压缩成同样的字节"
    # Not worth a copy (random bytes do not compress): none is left behind.
    noise = tmp_path / "noise.txt"
    noise.write_bytes(os.urandom(20000))
    assert compress.compress_file(noise) == (0, 0)
    assert not noise.with_name("noise.txt.gz").exists()


def test_a_browser_that_accepts_gzip_gets_the_compressed_copy(site: BuiltSite, port: int) -> None:
    outcome = site.prepared.outcomes[max(site.prepared.outcomes)]
    unit = outcome.units[1].unit.id
    pages = ["/index.html", "/" + paths.html_path(paths.unit_page(outcome.rubric.id, unit))]
    pages += ["/" + paths.unit_json(outcome.rubric.id, unit)]
    pages += [url(site.site, p) for p in sorted((site.site / "assets" / "stylesheets").glob("main.*.min.css"))]
    for path in pages:
        file = site.site / path.lstrip("/")
        packed = fetch(port, path, gzip_ok=True)
        assert packed.status == 200, path
        assert packed.headers.get("content-encoding") == "gzip", path
        if compress.per_unit(path.lstrip("/")):  # compressed as it is sent
            assert not file.with_name(file.name + ".gz").exists(), path
        else:
            assert packed.body == file.with_name(file.name + ".gz").read_bytes(), f"{path}：应发送生成时压缩好的副本"
        assert "accept-encoding" in packed.headers.get("vary", "").lower(), path
        plain = fetch(port, path)
        assert plain.status == 200 and "content-encoding" not in plain.headers, path
        assert plain.body == file.read_bytes() == gzip.decompress(packed.body), path


def test_hashed_assets_are_kept_a_year_and_pages_are_checked_every_time(site: BuiltSite, port: int) -> None:
    hashed = sorted(site.site.glob("assets/**/*.min.*"))
    assert hashed
    for path in hashed:
        if path.suffix == ".gz" or not re.search(r"\.[0-9a-f]{8}\.min\.", path.name):
            continue
        reply = fetch(port, url(site.site, path), gzip_ok=True)
        assert reply.status == 200, path
        assert reply.headers.get("cache-control") == "public, max-age=31536000, immutable", path
    for path in ("/", "/index.html", "/assets/kaoping.css", "/assets/kaoping.js", "/sitemap.xml"):
        reply = fetch(port, path, gzip_ok=True)
        assert reply.status == 200, path
        assert reply.headers.get("cache-control") == "no-cache", f"{path}：改动后应立即可见"
        assert "last-modified" in reply.headers or "etag" in reply.headers, path


def test_the_csv_download_is_utf8_csv(site: BuiltSite, port: int) -> None:
    files = sorted((site.site / paths.GENERATED).glob("*/downloads/*.csv"))
    assert files
    for path in files:
        for gzip_ok in (False, True):
            reply = fetch(port, url(site.site, path), gzip_ok)
            assert reply.status == 200, path
            assert reply.headers.get("content-type") == "text/csv; charset=utf-8", path
            body = gzip.decompress(reply.body) if reply.headers.get("content-encoding") == "gzip" else reply.body
            assert body == path.read_bytes(), path
    json_file = next((site.site / paths.GENERATED).glob("*/downloads/*.json"))
    reply = fetch(port, url(site.site, json_file))
    assert reply.headers.get("content-type") == "application/json; charset=utf-8"


def test_the_readme_shows_the_configuration_kaoping_writes() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```nginx\n(.*?)^```", readme, re.DOTALL | re.MULTILINE)
    gzip_only = [line for line in serving.compression_lines(gzip_only=True) if not line.startswith("#")][:2]
    assert blocks == [serving.public_server("/srv/kaoping/site"), "\n".join(gzip_only) + "\n"], (
        "README 中的 nginx 设置应与程序写出的一致"
    )
