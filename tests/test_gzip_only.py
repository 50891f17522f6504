"""``kaoping publish --gzip-only``: the bundled site published with its text files compressed only, served
by Debian's nginx with the lines kaoping writes for it (``gzip_static always``, ``gunzip on``), and read as a
browser and as a script read it:

- every file of ``site/`` answers at its own address with its own bytes, to a client that accepts gzip and
  to one that does not, with the same type as from ``site/``;
- the copy leaves out each file whose ``.gz`` is there, and holds a unit's page and JSON compressed only;
  it is far smaller than ``site/``;
- in Chromium the search box finds pages and a unit's page opens, with no error and no request outside;
- a site built for accounts (``--access``) whose configuration says ``只发布压缩文件 = 是`` is published with an
  empty placeholder under each name (its rules look for the file): a unit reads its own page and JSON with or
  without gzip, and is refused another unit's; the office reads every file; a sign-in is still asked for;
- one built for accounts with a configuration for plain files is refused, and nothing is published.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import mimetypes
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest_site import BuiltSite, built_site, copy_project
from playwright.sync_api import Browser
from test_access import NGINX, NO_NGINX, free_port, running_nginx, wrapper_config, write_accounts
from test_browser import CHROMIUM, browser, open_page  # noqa: F401 (fixtures)
from test_publish import make_site
from test_search_browser import SearchBox, check_queries, queries
from test_serving import fetch

from generator.access import serving
from generator.access.mode import AccessMode
from generator.cli import main
from generator.data.pipeline import prepare
from generator.office import publishgzip
from generator.office.publish import publish
from generator.site import compress, paths, views
from generator.site.build import Progress, build
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


def serve(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``folder`` served by nginx with the lines for a compressed copy; its port."""
    assert NGINX.exists(), NO_NGINX
    number = free_port()
    server = serving.public_server(str(folder), f"127.0.0.1:{number}", "localhost", gzip_only=True)
    conf = wrapper_config(tmp_path_factory.mktemp("nginx"), "".join(f"    {line}\n" for line in server.splitlines()))
    with running_nginx(conf, number):
        yield number


@pytest.fixture(scope="module")
def port(copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    yield from serve(copy, tmp_path_factory)


@pytest.fixture(scope="module")
def port_of_site(site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The same lines serving site/ itself (every file, and its .gz): a rollback to a plainly published release."""
    yield from serve(site.site, tmp_path_factory)


def site_files(site: Path) -> list[Path]:
    """What a reader can ask for: every file of site/ but the build's stamp and the pre-compressed copies."""
    return sorted(p for p in site.rglob("*") if p.is_file() and not p.name.startswith(".") and p.suffix != ".gz")


def expected_type(path: Path) -> str:
    kind = {".csv": "text/csv", ".js": "application/javascript", ".json": "application/json", ".xml": "text/xml"}.get(
        path.suffix
    )
    kind = kind or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return kind


@pytest.mark.parametrize("served", ["port", "port_of_site"], ids=["compressed-copy", "plain-site"])
def test_every_file_answers_with_its_own_bytes_with_or_without_gzip(
    site: BuiltSite, served: str, request: pytest.FixtureRequest
) -> None:
    port = request.getfixturevalue(served)
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
        assert (
            gzip.decompress(page.with_name(page.name + ".gz").read_bytes())
            == (site.site / page.relative_to(copy)).read_bytes()
        )
        assert (units / f"{unit.unit.id}.xlsx").is_file(), "工作簿本来就是压缩的，照常发布"
    for path in copy.rglob("*.gz"):
        if path.name == "sitemap.xml.gz":
            continue  # MkDocs' own, published as it is
        assert path.stat().st_mtime_ns == (site.site / path.relative_to(copy).with_suffix("")).stat().st_mtime_ns
    assert (copy / "index.html").is_file(), "nginx 的 index 要找到 index.html 本身"
    assert json.loads((site.site / BUILD_STAMP).read_text(encoding="utf-8"))["access"] == "none"
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


@pytest.mark.parametrize("access", ["plain", "gzip-only"])
def test_a_site_built_for_accounts(access: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With a configuration for plain files: refused (nginx would not decompress for a client that does not
    accept gzip). With one for a compressed copy: each name left out has an empty placeholder."""
    root, dest = small_project(tmp_path, PUBLIC)
    stamp = root / "site" / BUILD_STAMP
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "access": access}))
    code = main(["--root", str(root), "publish", "--gzip-only", str(dest)])
    err = capsys.readouterr().err
    if access == "plain":
        assert code != 0 and "kaoping build --access" in err and "只发布压缩文件 = 是" in err, err
        assert sorted(os.listdir(dest.parent)) == [], "什么也不应当发布"
        # Without --gzip-only the same site is published as it is.
        assert main(["--root", str(root), "publish", str(dest)]) == 0
        assert (dest / "index.html").is_file() and (dest / "pages" / "p1.html").read_bytes()
        return
    assert code == 0, err
    index = dest / "search" / "search_index.json"
    assert index.is_file() and index.stat().st_size == 0, "留下的同名空文件供访问规则查找"
    assert json.loads(gzip.decompress(index.with_name(index.name + ".gz").read_bytes()))["docs"]
    assert (dest / "index.html").read_bytes() == (root / "site" / "index.html").read_bytes()


PUBLIC = {"commit": None, "commit_time": None, "built_at": "2026-12-01T08:00:00Z", "access": "none"}


def small_project(tmp_path: Path, built: dict[str, str | None] | None) -> tuple[Path, Path]:
    """A project with a small site/ of its own (``built``: its build stamp), and where to publish it."""
    root = tmp_path / "project"
    root.mkdir()
    make_site(root, "v1", built=built)
    (tmp_path / "www").mkdir()
    return root, tmp_path / "www" / "kaoping"


def test_publishing_again_changes_nothing_and_switching_makes_a_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, dest = small_project(tmp_path, PUBLIC)
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    said = capsys.readouterr().out
    assert "gzip_static always; 和 gunzip on;" in said and "head -c 10" in said, "应当说明服务器要怎样设置、怎样检查"
    first = os.readlink(dest)
    assert (dest / "index.html").is_file() and not (dest / "search" / "search_index.json").exists()
    assert json.loads(gzip.decompress((dest / "search" / "search_index.json.gz").read_bytes()))["docs"]
    assert json.loads((dest / ".kaoping-published").read_text(encoding="utf-8"))["gzip_only"] is True
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    assert "相同，没有改动" in capsys.readouterr().out and os.readlink(dest) == first
    assert main(["--root", str(root), "publish", str(dest)]) == 0
    assert os.readlink(dest) != first and (dest / "search" / "search_index.json").is_file()
    assert json.loads((dest / ".kaoping-published").read_text(encoding="utf-8"))["gzip_only"] is False
    said = capsys.readouterr().out
    assert "只发布了压缩文件：nginx 要设" not in said, said
    # The release to roll back to is compressed only: its rollback line says what nginx needs first.
    assert "回退到上一个版本" in said and "那个版本只发布了压缩文件：回退之前，nginx 要设 gzip_static always;" in said


@pytest.mark.parametrize(
    "built", [None, {k: v for k, v in PUBLIC.items() if k != "access"}, "broken"], ids=["none", "older", "broken"]
)
def test_a_site_that_does_not_say_how_it_is_served_is_refused(
    built: dict[str, str | None] | str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No stamp, one written by an earlier kaoping (which may have been built with --access), or one that cannot
    be read: not even with --force (a site for accounts would answer 403 to everyone)."""
    root, dest = small_project(tmp_path, built if isinstance(built, dict) else None)
    if built == "broken":
        (root / "site" / BUILD_STAMP).write_text('{"access": "plain"')
    assert main(["--root", str(root), "publish", "--gzip-only", "--force", str(dest)]) != 0
    err = capsys.readouterr().err
    said = "无法读取" if built == "broken" else "没有写明它是否按账号限制访问"
    assert said in err and "重新运行 kaoping build" in err, err
    assert os.listdir(dest.parent) == []


@pytest.mark.parametrize("access", ["none", "gzip-only"])
def test_files_edited_by_hand_after_the_build(access: str, tmp_path: Path) -> None:
    """Their .gz is left out and never stands in for them: a page compressed afresh, a small one and index.html
    published as they are; for a site with accounts, a placeholder only under a name whose .gz is published."""
    root, dest = small_project(tmp_path, {**PUBLIC, "access": access})
    site = root / "site"
    big, small, index = site / "pages" / "big.html", site / "pages" / "small.html", site / "index.html"
    for page, text in ((big, "<p>生成时的页面</p>\n" * 300), (small, "<p>小</p>\n")):
        page.write_text(text)
    for page in (big, small, index):
        gz = page.with_name(page.name + ".gz")
        gz.write_bytes(compress.gzip_bytes(page.read_bytes()))
        os.utime(gz, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns))
        page.write_text(page.read_text() + "<p>生成以后手工改过</p>\n", encoding="utf-8")
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    published = dest / "pages"
    assert gzip.decompress((published / "big.html.gz").read_bytes()) == big.read_bytes()
    assert (published / "big.html").exists() == (access == "gzip-only")
    assert access == "none" or (published / "big.html").stat().st_size == 0, "留下的应是空文件"
    for page in (small, index):
        here = dest / page.relative_to(site)
        assert here.read_bytes() == page.read_bytes(), page
        assert not here.with_name(here.name + ".gz").exists(), f"{page.name} 过时的压缩副本不应发布"
    assert not [p for p in dest.rglob("*.gz") if p.stat().st_size == 0], "不应有空的压缩副本"


def test_odd_files_beside_their_copies(tmp_path: Path) -> None:
    """A page edited by hand after the build (its .gz is stale), and a folder named as a page's copy."""
    root, dest = small_project(tmp_path, PUBLIC)
    site = root / "site"
    edited, packed = site / "assets" / "big.css", site / "assets" / "big.css.gz"
    edited.write_text("body { color: red; }\n" * 400)
    packed.write_bytes(compress.gzip_bytes(edited.read_bytes()))
    os.utime(packed, ns=(edited.stat().st_atime_ns, edited.stat().st_mtime_ns))
    same = site / "assets" / "same.css"  # a copy made otherwise (another time) but of the same bytes
    same.write_text("p { margin: 0; }\n" * 400)
    same.with_name("same.css.gz").write_bytes(compress.gzip_bytes(same.read_bytes()))
    os.utime(same, ns=(0, 10**18))
    edited.write_text("body { color: blue; }\n" * 400)  # edited after the build: the copy is stale
    (site / "pages" / "folder.html").write_text("<p>文件夹同名</p>\n" * 200)
    (site / "pages" / "folder.html.gz").mkdir()
    dest.mkdir()
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    assert not (dest / "assets" / "big.css").exists()
    assert gzip.decompress((dest / "assets" / "big.css.gz").read_bytes()) == edited.read_bytes(), "应当发布改动后的内容"
    assert not (dest / "assets" / "same.css").exists()
    assert gzip.decompress((dest / "assets" / "same.css.gz").read_bytes()) == same.read_bytes()
    assert (dest / "pages" / "folder.html").read_bytes() == (site / "pages" / "folder.html").read_bytes()
    assert (dest / "pages" / "folder.html.gz").is_dir()


# -- a site for accounts, published compressed only, behind the configuration kaoping writes ----------------

PASSWORDS = {"unit-a": "Aa-7381-dj", "unit-b": "Bb-2946-dj", "office": "Kh!5120-admin"}


@dataclass
class Guarded:
    root: Path
    port: int
    copy: Path
    aid: str
    unit_a: str
    unit_b: str


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Guarded]:
    """The bundled data built with accounts and ``只发布压缩文件 = 是``, published ``--gzip-only`` to the site root
    and served by nginx with the configuration the build wrote (``kaoping.conf``)."""
    assert NGINX.exists(), NO_NGINX
    scratch = tmp_path_factory.mktemp("guarded")
    root = copy_project(scratch / "project")
    outcome = views.ordered(prepare(root).outcomes)[0]
    unit_a, unit_b = outcome.units[0].unit.id, outcome.units[1].unit.id
    accounts_file = write_accounts(
        root / "access",
        "账号,密码,单位代码,姓名",
        f"unit-a,{PASSWORDS['unit-a']},{unit_a},张某",
        f"unit-b,{PASSWORDS['unit-b']},{unit_b},李某",
        f"office,{PASSWORDS['office']},考核办公室,考核办公室",
    )
    port = free_port()
    site_root = scratch / "www" / "site"
    site_root.parent.mkdir()
    (root / "access" / "server.txt").write_text(
        f"listen = 127.0.0.1:{port}\n网站目录 = {site_root}\n只发布压缩文件 = 是\n", encoding="utf-8"
    )
    result = build(root, progress=Progress(quiet=True), access=AccessMode(accounts_file))
    assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
    assert json.loads((root / "site" / BUILD_STAMP).read_text(encoding="utf-8"))["access"] == "gzip-only"
    assert main(["--root", str(root), "publish", "--gzip-only", str(site_root)]) == 0
    conf = root / "access" / "nginx" / "kaoping.conf"
    assert "gzip_static always;" in conf.read_text(encoding="utf-8")
    folder = scratch / "nginx"
    folder.mkdir()
    with running_nginx(wrapper_config(folder, f"    include {conf};\n"), port):
        yield Guarded(root, port, site_root, outcome.rubric.id, unit_a, unit_b)


def ask(g: Guarded, path: str, account: str | None, gzip_ok: bool) -> tuple[int, bytes]:
    """Status and body (decompressed when sent compressed) of ``path`` asked by ``account`` (None: no sign-in)."""
    connection = http.client.HTTPConnection("127.0.0.1", g.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        if gzip_ok:
            connection.putheader("Accept-Encoding", "gzip")
        if account is not None:
            secret = base64.b64encode(f"{account}:{PASSWORDS[account]}".encode()).decode()
            connection.putheader("Authorization", f"Basic {secret}")
        connection.endheaders()
        reply = connection.getresponse()
        body = reply.read()
        packed = reply.getheader("Content-Encoding") == "gzip"
        return reply.status, gzip.decompress(body) if packed else body
    finally:
        connection.close()


def test_under_accounts_a_unit_reads_its_own_pages_and_no_other(guarded: Guarded) -> None:
    site = guarded.root / "site"
    pages = {u: "/" + paths.html_path(paths.unit_page(guarded.aid, u)) for u in (guarded.unit_a, guarded.unit_b)}
    data = {u: "/" + paths.unit_json(guarded.aid, u) for u in (guarded.unit_a, guarded.unit_b)}
    for kind in (pages, data):
        own, other = kind[guarded.unit_a], kind[guarded.unit_b]
        for gzip_ok in (False, True):
            status, body = ask(guarded, own, "unit-a", gzip_ok)
            assert status == 200 and body == (site / own[1:]).read_bytes(), (own, gzip_ok)
            assert ask(guarded, other, "unit-a", gzip_ok)[0] == 403, (other, gzip_ok)
            assert ask(guarded, own, None, gzip_ok)[0] == 401, "没有登录时应当要求登录"
            assert ask(guarded, own + ".gz", "unit-b", gzip_ok)[0] == 403, "压缩文件也受同样的规则保护"
    # The placeholder the rule looks for is empty, and never what is sent.
    placeholder = guarded.copy / paths.html_path(paths.unit_page(guarded.aid, guarded.unit_a))
    assert placeholder.is_file() and placeholder.stat().st_size == 0


def test_under_accounts_the_office_reads_every_file_as_it_is(guarded: Guarded) -> None:
    site = guarded.root / "site"
    wrong = []
    for file in site_files(site):
        path = "/" + file.relative_to(site).as_posix()
        for gzip_ok in (False, True):
            status, body = ask(guarded, path, "office", gzip_ok)
            if status != 200 or body != file.read_bytes():
                wrong.append(f"{path}（gzip {gzip_ok}）：{status}，{len(body)} 字节")
    assert not wrong, "\n".join(wrong[:20])


def test_a_file_unchanged_since_the_last_publish_takes_its_copy_from_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compressing every unit's page again is most of a publish's time; a copy published before is taken when it
    decompresses to the very bytes (not another file's copy of the same length)."""
    root, dest = small_project(tmp_path, PUBLIC)
    site = root / "site"
    kept, edited, forged = (site / "pages" / f"{name}.html" for name in ("kept", "edited", "forged"))
    for page in (kept, edited, forged):
        page.write_text(f"<p>{page.stem} 的页面</p>\n" * 300)
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    first = dest.resolve()
    # The previous copy of one page replaced by another valid gzip of other bytes of the same length.
    (first / "pages" / "forged.html.gz").write_bytes(compress.gzip_bytes(b"x" * forged.stat().st_size))
    edited.write_text("<p>改动以后的页面</p>\n" * 300)
    stamp = json.loads((site / BUILD_STAMP).read_text())
    (site / BUILD_STAMP).write_text(json.dumps({**stamp, "built_at": "2026-12-02T08:00:00Z"}))
    made: list[int] = []
    real = compress.gzip_bytes
    monkeypatch.setattr(compress, "gzip_bytes", lambda data: made.append(len(data)) or real(data))
    assert main(["--root", str(root), "publish", "--gzip-only", str(dest)]) == 0
    assert dest.resolve() != first
    assert sorted(made) == sorted([edited.stat().st_size, forged.stat().st_size]), "只有改动过的和伪造的要重新压缩"
    for page in (kept, edited, forged, site / "search" / "search_index.json"):
        published = dest / page.relative_to(site)
        assert gzip.decompress(published.with_name(published.name + ".gz").read_bytes()) == page.read_bytes()
