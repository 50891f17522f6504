"""``kaoping publish --gzip-only``: the bundled site published with its text files compressed only, served
by Debian's nginx with the lines kaoping writes for it (``gzip_static always``, ``gunzip on``), and read as a
browser and as a script read it:

- every file of ``site/`` answers at its own address with its own bytes, to a client that accepts gzip and
  to one that does not, with the same type as from ``site/``;
- the copy leaves out each file whose ``.gz`` is there, and holds a unit's page and JSON compressed only;
  it is far smaller than ``site/``;
- in Chromium the search box finds pages and a unit's page opens, with no error and no request outside;
- a site built for accounts (``--access``) is refused, and nothing is published.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest_site import BuiltSite, built_site
from playwright.sync_api import Browser
from test_access import NGINX, NO_NGINX, free_port, running_nginx, wrapper_config
from test_browser import CHROMIUM, browser, open_page  # noqa: F401 (fixtures)
from test_publish import make_site
from test_search_browser import SearchBox, check_queries, queries
from test_serving import fetch

from generator.access import serving
from generator.cli import main
from generator.office import publishgzip
from generator.office.publish import publish
from generator.site import compress, paths
from generator.site.stamp import BUILD_STAMP

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> BuiltSite:
    return built_site()


@pytest.fixture(scope="module")
def copy(site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site published with ``--gzip-only`` (a plain folder: its own address is the site)."""
    dest = tmp_path_factory.mktemp("www") / "kaoping"
    dest.mkdir()
    publish(site.root, dest, gzip_only=True)
    return dest


@pytest.fixture(scope="module")
def port(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    assert NGINX.exists(), NO_NGINX
    folder = tmp_path_factory.mktemp("nginx")
    number = free_port()
    server = serving.public_server(str(copy), f"127.0.0.1:{number}", "localhost", gzip_only=True)
    conf = wrapper_config(folder, "".join(f"    {line}\n" for line in server.splitlines()))
    with running_nginx(conf, number):
        yield number


def site_files(site: Path) -> list[Path]:
    """What a reader can ask for: every file of site/ but the build's stamp and the pre-compressed copies."""
    return sorted(
        p for p in site.rglob("*") if p.is_file() and not p.name.startswith(".") and p.suffix != ".gz"
    )


def expected_type(path: Path) -> str:
    kind = {".csv": "text/csv", ".js": "application/javascript", ".json": "application/json", ".xml": "text/xml"}.get(
        path.suffix
    )
    kind = kind or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return kind


def test_every_file_answers_with_its_own_bytes_with_or_without_gzip(site: BuiltSite, port: int) -> None:
    files = site_files(site.site)
    assert len(files) > 200
    wrong = []
    for file in files:
        path = "/" + file.relative_to(site.site).as_posix()
        want = file.read_bytes()
        plain = fetch(port, path)
        if plain.status != 200 or "content-encoding" in plain.headers or plain.body != want:
            wrong.append(f"{path}：不接受 gzip 的客户端收到 {plain.status} {plain.headers.get('content-encoding')}")
        packed = fetch(port, path, gzip_ok=True)
        body = gzip.decompress(packed.body) if packed.headers.get("content-encoding") == "gzip" else packed.body
        if packed.status != 200 or body != want:
            wrong.append(f"{path}：接受 gzip 的浏览器收到 {packed.status}，内容不同")
        for reply in (plain, packed):
            if not reply.headers.get("content-type", "").startswith(expected_type(file)):
                wrong.append(f"{path}：类型 {reply.headers.get('content-type')}")
    assert not wrong, "\n".join(wrong[:20])
    home = fetch(port, "/")
    assert home.status == 200 and home.body == (site.site / "index.html").read_bytes(), "网站首页（/）应当能打开"


def test_a_unit_page_is_sent_compressed_to_a_browser(site: BuiltSite, port: int) -> None:
    outcome = site.prepared.outcomes[max(site.prepared.outcomes)]
    unit = outcome.units[1].unit.id
    for rel in (paths.html_path(paths.unit_page(outcome.rubric.id, unit)), paths.unit_json(outcome.rubric.id, unit)):
        reply = fetch(port, "/" + rel, gzip_ok=True)
        assert reply.status == 200 and reply.headers.get("content-encoding") == "gzip", rel
        assert "accept-encoding" in reply.headers.get("vary", "").lower(), rel
        assert gzip.decompress(reply.body) == (site.site / rel).read_bytes(), rel


def test_the_copy_holds_each_text_file_once_and_is_far_smaller(site: BuiltSite, copy: Path) -> None:
    kept_plain = []
    for path in copy.rglob("*"):
        rel = path.relative_to(copy).as_posix()
        if path.suffix == ".gz" or not path.is_file() or path.name.startswith("."):
            continue
        if path.name in publishgzip.KEPT_PLAIN or not compress.compressible(path):
            continue
        packed = compress.gzip_bytes(path.read_bytes())
        has_copy = path.with_name(path.name + ".gz").exists()
        if len(packed) < path.stat().st_size and (not has_copy or rel == "sitemap.xml"):
            kept_plain.append(rel)  # worth compressing, and neither compressed nor a copy made otherwise
        elif has_copy and rel != "sitemap.xml":
            kept_plain.append(rel)  # published twice
    assert not kept_plain, f"这些文本文件应当只发布压缩的副本：{kept_plain[:10]}"
    outcome = site.prepared.outcomes[max(site.prepared.outcomes)]
    units = copy / paths.GENERATED / outcome.rubric.id / "units"
    for unit in outcome.units:
        page, data = units / f"{unit.unit.id}.html", units / f"{unit.unit.id}.json"
        assert not page.exists() and not data.exists(), unit.unit.id
        assert gzip.decompress(page.with_name(page.name + ".gz").read_bytes()) == (
            site.site / page.relative_to(copy)
        ).read_bytes()
        assert (units / f"{unit.unit.id}.xlsx").is_file(), "工作簿本来就是压缩的，照常发布"
    for path in copy.rglob("*.gz"):
        if path.name == "sitemap.xml.gz":
            continue  # MkDocs' own, published as it is
        assert path.stat().st_mtime_ns == (site.site / path.relative_to(copy).with_suffix("")).stat().st_mtime_ns
    assert (copy / "index.html").is_file(), "nginx 的 index 要找到 index.html 本身"
    assert "access" not in json.loads((site.site / BUILD_STAMP).read_text(encoding="utf-8"))
    size = sum(p.stat().st_size for p in copy.rglob("*") if p.is_file())
    full = sum(p.stat().st_size for p in site.site.rglob("*") if p.is_file())
    assert size < full / 2, f"只发布压缩文件的目录 {size} 字节，site/ {full} 字节"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium，跳过浏览器测试（make test 会安装它）")
def test_a_reader_searches_and_opens_a_unit_page(browser: Browser, site: BuiltSite, port: int) -> None:  # noqa: F811
    base = f"http://127.0.0.1:{port}/"
    p, watch = open_page(browser, base)
    chosen = [q for q in queries() if q[0] != "codes"][:12]
    check_queries(p, base, site.site, chosen)
    outcome = site.prepared.outcomes[max(site.prepared.outcomes)]
    unit = outcome.units[0].unit
    box = SearchBox(p, base)
    box.type(unit.name)
    page = next(h for h in box.hits() if h.endswith(f"/units/{unit.id}.html"))
    p.goto(base + page)
    assert p.locator("h1").first.inner_text().strip() == unit.name
    assert p.locator(".kp-items").count() > 0, "单位页面的逐项得分表格应当显示"
    watch.check()


def test_a_site_built_for_accounts_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "project"
    root.mkdir()
    make_site(root, "v1", built={"commit": None, "commit_time": None, "built_at": "2026-12-01T08:00:00Z"})
    stamp = root / "site" / BUILD_STAMP
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "access": True}))
    dest = tmp_path / "www" / "kaoping"
    dest.parent.mkdir()
    code = main(["--root", str(root), "publish", "--gzip-only", str(dest)])
    err = capsys.readouterr().err
    assert code != 0 and "kaoping build --access" in err and "去掉 --gzip-only" in err, err
    assert sorted(os.listdir(dest.parent)) == [], "什么也不应当发布"
    # Without --gzip-only the same site is published as it is.
    assert main(["--root", str(root), "publish", str(dest)]) == 0
    assert (dest / "index.html").is_file() and (dest / "pages" / "p1.html").is_file()


def test_publishing_again_changes_nothing_and_switching_makes_a_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    root.mkdir()
    make_site(root, "v1", built={"commit": None, "commit_time": None, "built_at": "2026-12-01T08:00:00Z"})
    dest = tmp_path / "www" / "kaoping"
    dest.parent.mkdir()
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    first = os.readlink(dest)
    assert (dest / "index.html").is_file() and not (dest / "search" / "search_index.json").exists()
    assert json.loads(gzip.decompress((dest / "search" / "search_index.json.gz").read_bytes()))["docs"]
    capsys.readouterr()
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    assert "相同，没有改动" in capsys.readouterr().out and os.readlink(dest) == first
    assert main(["--root", str(root), "publish", str(dest)]) == 0
    assert os.readlink(dest) != first and (dest / "search" / "search_index.json").is_file()
