"""kaoping publish: the built site reaches the web server's folder whole, or not at all.

- Both layouts (a link into DEST.releases/, and a plain folder): the published content is site/, byte
  for byte, readable by the web server (folders 755, files 644) whatever the umask.
- A reader that keeps reading DEST/index.html while a second publish runs only ever reads the whole old
  or the whole new page: never a missing or partial file.
- Old releases are pruned (the current one and two before it stay); the same site twice changes nothing.
- Every published folder holds ``.kaoping-published`` (the build's commit and time, when it was
  published). A site built from an older commit does not replace a newer one without ``--force``: git
  decides when it knows both commits, else their commit times, else the build times; a real build in a
  git repository stamps its commit, and the publish carries it.
- DEST may not be the project, inside it (``docs/www``), inside site/, or above it, through links too.
- Errors (no site/, an incomplete one, a destination that cannot be written, the disk filling up, a
  destination that is not a site) give one Chinese message and exit 1, and leave DEST as it was with no
  temporary folder; so do Ctrl+C and SIGTERM; what SIGKILL leaves is cleaned by the next publish.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import gzip
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest_site import built_site
from sandbox import ROOT, copy_sources, digests

import generator.office.publish
import generator.office.publishfiles
import generator.office.sitecopy
from generator.cli import main
from generator.office.publishfiles import KEEP_PREVIOUS, RELEASES_SUFFIX, TEMP_MARK, exchange
from generator.site.stamp import BUILD_STAMP, PUBLISHED_MARKER

pytestmark = pytest.mark.slow

# -- a small site of our own --------------------------------------------------------------------------


def make_site(root: Path, version: str, pages: int = 60, built: dict[str, str | None] | None = None) -> Path:
    """A site/ whose every file says which version it is; index.html is large enough that a partial read shows.
    ``built``: the build stamp (commit, commit_time, built_at) kaoping build would have written."""
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    (site / "search").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "pages").mkdir()
    line = f"<p>版本 {version}：党建工作考核结果</p>\n"
    (site / "index.html").write_text(f"<!doctype html>\n<title>{version}</title>\n" + line * 4000 + "</html>\n")
    docs = [{"location": f"pages/p{i}.html", "title": f"第 {i} 页", "text": version} for i in range(pages)]
    (site / "search" / "search_index.json").write_text(json.dumps({"config": {}, "docs": docs}, ensure_ascii=False))
    (site / "assets" / "site.css").write_text(f"/* {version} */ body {{ color: #333; }}\n")
    (site / "404.html").write_text(f"<p>{version} 页面不存在</p>\n")
    for i in range(pages):
        (site / "pages" / f"p{i}.html").write_text(f"<p>{version} 第 {i} 页</p>\n" * (1 + i % 7))
    if built is not None:
        (site / BUILD_STAMP).write_text(json.dumps(built))
    return site


def publish(
    root: Path, dest: Path, capsys: pytest.CaptureFixture[str] | None = None, *options: str
) -> tuple[int, str, str]:
    code = main(["--root", str(root), "publish", str(dest), *options])
    if capsys is None:
        return code, "", ""
    out, err = capsys.readouterr()
    return code, out, err


def releases_of(dest: Path) -> Path:
    return dest.parent / (dest.name + RELEASES_SUFFIX)


def release_names(dest: Path) -> list[str]:
    return sorted(p.name for p in releases_of(dest).iterdir())


def current(dest: Path) -> str:
    """The release DEST links to."""
    target = os.readlink(dest)
    assert target.startswith(dest.name + RELEASES_SUFFIX + "/"), f"链接应当是相对的：{target}"
    return target.rsplit("/", 1)[1]


def leftovers(dest: Path) -> list[str]:
    """Temporary names a publish may make (none may be left once it has ended, however it ended)."""
    found = [p.name for p in dest.parent.iterdir() if TEMP_MARK in p.name]
    if releases_of(dest).is_dir():
        found += [p.name for p in releases_of(dest).iterdir() if p.name.startswith(".")]
    return found


@pytest.fixture
def root(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    make_site(project, "v1")
    return project


@pytest.fixture
def www(tmp_path: Path) -> Path:
    """The folder that holds DEST (the parent the web server's root lives in)."""
    folder = tmp_path / "www"
    folder.mkdir()
    return folder


LAYOUTS = ("releases", "plain")


def destination(www: Path, layout: str) -> Path:
    """DEST in the given layout: releases when it does not exist yet, plain when it is an existing folder."""
    dest = www / "kaoping"
    if layout == "plain":
        dest.mkdir()
    return dest


def marker_of(dest: Path) -> dict[str, str | None]:
    """The published folder's marker: a regular file at its top, a JSON object."""
    path = dest / PUBLISHED_MARKER
    assert path.is_file() and not path.is_symlink(), f"{dest} 中没有发布记录 {PUBLISHED_MARKER}"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def assert_published(dest: Path, site: Path) -> None:
    """DEST holds site/ byte for byte, and the marker: the build's stamp and when it was published."""
    marker = marker_of(dest)
    built = json.loads((site / BUILD_STAMP).read_text()) if (site / BUILD_STAMP).is_file() else {}
    assert {k: marker[k] for k in ("commit", "commit_time", "built_at")} == {
        k: built.get(k) for k in ("commit", "commit_time", "built_at")
    }
    assert marker["published_by"] == "kaoping publish"
    assert datetime.datetime.fromisoformat(str(marker["published_at"]).replace("Z", "+00:00")).tzinfo is not None
    published = digests(dest)
    del published[PUBLISHED_MARKER]
    assert published == digests(site), "发布目录的内容应当与 site/ 完全相同"
    for path in [dest.resolve(), *dest.resolve().rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o755 if path.is_dir() else 0o644), f"{path} 的权限是 {oct(mode)}"


# -- the two layouts ----------------------------------------------------------------------------------


def test_the_built_site_published_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    built = built_site()
    dest = tmp_path / "www" / "kaoping"
    dest.parent.mkdir()
    code, out, err = publish(built.root, dest, capsys)
    assert code == 0, err
    assert dest.is_symlink()
    assert_published(dest, built.site)
    assert out.startswith(f"已发布到 {dest} → kaoping.releases/")
    plain = tmp_path / "www" / "plain"
    plain.mkdir()
    code, out, err = publish(built.root, plain, capsys)
    assert code == 0, err
    assert not plain.is_symlink()
    assert_published(plain, built.site)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["kaoping", "kaoping.releases", "plain"]


def test_releases_layout(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = www / "kaoping"
    code, out, err = publish(root, dest, capsys)
    assert (code, err) == (0, "")
    first = current(dest)
    assert release_names(dest) == [first]
    assert_published(dest, root / "site")
    assert sorted(p.name for p in www.iterdir()) == ["kaoping", "kaoping.releases"]

    make_site(root, "v2")
    code, out, err = publish(root, dest, capsys)
    assert (code, err) == (0, "")
    second = current(dest)
    assert second != first and second > first
    assert release_names(dest) == [first, second]
    assert_published(dest, root / "site")
    assert f"保留的旧版本：{first}" in out
    assert f"ln -sfn kaoping.releases/{first} " in out
    assert leftovers(dest) == []


def test_the_same_site_again_changes_nothing(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = www / "kaoping"
    built = {"commit": None, "commit_time": None, "built_at": "2026-12-01T08:00:00Z"}
    (root / "site" / BUILD_STAMP).write_text(json.dumps(built))
    publish(root, dest, capsys)
    first = current(dest)
    code, out, _ = publish(root, dest, capsys)
    assert code == 0
    assert out == f"网站与当前发布的版本 kaoping.releases/{first} 相同，没有改动。\n"
    assert release_names(dest) == [first] and current(dest) == first
    assert leftovers(dest) == []
    # Built again from the same data: only the build's stamp is new, and the site is the same.
    again = {**built, "built_at": "2099-01-01T00:00:00Z"}
    (root / "site" / BUILD_STAMP).write_text(json.dumps(again))
    assert publish(root, dest, capsys)[:2] == (0, f"网站与当前发布的版本 kaoping.releases/{first} 相同，没有改动。\n")
    # The same pages built from a later commit: a release of its own, whose marker names that commit (an
    # older pipeline finishing afterwards must be refused against it).
    (root / "site" / BUILD_STAMP).write_text(json.dumps({**again, "commit": "b" * 40}))
    assert publish(root, dest, capsys)[0] == 0 and current(dest) != first
    assert marker_of(dest)["commit"] == "b" * 40


def test_a_name_that_is_not_utf8_is_published(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"\xb5\xa5\xce\xbb.html")  # 单位 in GBK, as a file copied from a Windows share
    (root / "site" / "pages" / name).write_text("<p>GBK 文件名</p>\n" * 200)  # (big enough to be compressed)
    built = {"commit": None, "commit_time": None, "built_at": "2026-12-01T08:00:00Z", "access": "none"}
    (root / "site" / BUILD_STAMP).write_text(json.dumps(built))
    for options in ((), ("--gzip-only",)):
        dest = www / ("gz" if options else "plain")
        code, _, err = publish(root, dest, capsys, *options)
        assert code == 0, err
        here, there = dest / "pages" / name, root / "site" / "pages" / name
        if options:
            assert gzip.decompress(here.with_name(name + ".gz").read_bytes()) == there.read_bytes()
        else:
            assert here.read_bytes() == there.read_bytes()


def test_old_releases_are_pruned(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = www / "kaoping"
    made = []
    for n in range(5):
        make_site(root, f"v{n}")
        assert publish(root, dest, capsys)[0] == 0
        made.append(current(dest))
    # The current release and the two before it.
    assert release_names(dest) == made[-1 - KEEP_PREVIOUS :]
    assert_published(dest, root / "site")

    # Rolled back by hand to the oldest kept release: the next publish keeps the new one, the one it
    # replaced (the rolled-back one) and the newest other.
    link = www / ".kaoping.rollback"
    link.symlink_to(f"kaoping.releases/{made[2]}")
    os.replace(link, dest)
    make_site(root, "v5")
    code, out, _ = publish(root, dest, capsys)
    assert code == 0
    newest = current(dest)
    assert release_names(dest) == sorted([made[2], made[4], newest])
    assert f"删除了更早的版本：{made[3]}。" in out


def test_plain_layout(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = destination(www, "plain")
    code, out, err = publish(root, dest, capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"已发布到 {dest}（64 个文件，")
    assert not dest.is_symlink()
    assert_published(dest, root / "site")
    make_site(root, "v2")
    assert publish(root, dest, capsys)[0] == 0
    assert_published(dest, root / "site")
    assert sorted(p.name for p in www.iterdir()) == ["kaoping"]


def test_plain_layout_where_folders_cannot_be_exchanged(
    root: Path, www: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(generator.office.publish, "exchange", lambda a, b: False)
    dest = destination(www, "plain")
    publish(root, dest, capsys)
    make_site(root, "v2")
    assert publish(root, dest, capsys)[0] == 0
    assert_published(dest, root / "site")
    assert sorted(p.name for p in www.iterdir()) == ["kaoping"]


def test_plain_layout_where_symbolic_links_cannot_be_made(
    root: Path, www: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(generator.office.publishfiles.os, "symlink", refuse)
    dest = www / "kaoping"
    assert publish(root, dest, capsys)[0] == 0
    assert dest.is_dir() and not dest.is_symlink()
    assert_published(dest, root / "site")
    assert sorted(p.name for p in www.iterdir()) == ["kaoping"]


def test_files_readable_by_the_web_server_whatever_the_umask(root: Path, www: Path) -> None:
    for path in (root / "site").rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    previous = os.umask(0o077)
    try:
        assert publish(root, www / "kaoping")[0] == 0
        plain = www / "plain"
        plain.mkdir()
        assert publish(root, plain)[0] == 0
    finally:
        os.umask(previous)
    assert_published(www / "kaoping", root / "site")
    assert_published(plain, root / "site")
    assert stat.S_IMODE(releases_of(www / "kaoping").stat().st_mode) == 0o755


# -- never a half-copied site -------------------------------------------------------------------------


def exchange_works(folder: Path) -> bool:
    a, b = folder / "exchange-a", folder / "exchange-b"
    a.mkdir()
    b.mkdir()
    try:
        return exchange(a, b)
    finally:
        a.rmdir()
        b.rmdir()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_reader_never_sees_a_missing_or_partial_page(root: Path, www: Path, layout: str) -> None:
    if layout == "plain" and not exchange_works(www):
        pytest.skip("这个文件系统不能一步互换目录：普通目录布局在两次改名之间有几微秒读不到（见 README）")
    dest = destination(www, layout)
    assert publish(root, dest)[0] == 0
    old = (root / "site" / "index.html").read_bytes()
    make_site(root, "v2", pages=400)
    new = (root / "site" / "index.html").read_bytes()
    seen: dict[str, int] = {"old": 0, "new": 0, "missing": 0, "partial": 0}
    done = threading.Event()

    def read() -> None:
        after = 0
        while after < 50:
            if done.is_set():
                after += 1
            try:
                data = (dest / "index.html").read_bytes()
            except FileNotFoundError:
                seen["missing"] += 1
                continue
            seen["old" if data == old else "new" if data == new else "partial"] += 1

    reader = threading.Thread(target=read)
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while seen["old"] < 20:
            assert reader.is_alive() and time.monotonic() < deadline, seen
            time.sleep(0.001)
        assert publish(root, dest)[0] == 0
    finally:
        done.set()
        reader.join()
    assert seen["missing"] == 0 and seen["partial"] == 0, seen
    assert seen["old"] >= 20 and seen["new"] >= 50, seen
    assert_published(dest, root / "site")


# -- errors leave DEST as it was ----------------------------------------------------------------------


@pytest.fixture(params=LAYOUTS)
def live(request: pytest.FixtureRequest, root: Path, www: Path) -> tuple[Path, dict[str, str]]:
    """DEST with v1 published in the given layout, and its content; site/ then holds v2."""
    dest = destination(www, request.param)
    assert publish(root, dest)[0] == 0
    before = digests(dest)
    make_site(root, "v2")
    return dest, before


def assert_untouched(dest: Path, before: dict[str, str], releases: list[str] | None = None) -> None:
    assert digests(dest) == before, "发布失败后发布目录应当保持原样"
    assert leftovers(dest) == []
    if releases is not None:
        assert release_names(dest) == releases


def failed(code: int, out: str, err: str, words: str) -> None:
    assert code == 1
    assert out == ""
    assert words in err
    assert err.startswith("发布失败：") and "Traceback" not in err
    assert err.rstrip().endswith("没有改动。")


def snapshot(dest: Path) -> list[str] | None:
    return release_names(dest) if releases_of(dest).is_dir() else None


def test_no_site(live: tuple[Path, dict[str, str]], root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest, before = live
    releases = snapshot(dest)
    shutil.rmtree(root / "site")
    failed(*publish(root, dest, capsys), "先运行 kaoping build")
    assert_untouched(dest, before, releases)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda site: (site / "index.html").unlink(), "缺少 index.html"),
        (lambda site: shutil.rmtree(site / "search"), "缺少 search/search_index.json"),
        (lambda site: (site / "search" / "search_index.json").write_text('{"docs": ['), "搜索索引"),
        (lambda site: (site / "search" / "search_index.json").write_text("[]"), "格式不对"),
        (lambda site: (site / "pages" / "link.html").symlink_to("/etc/hostname"), "符号链接"),
        # A FIFO would hang the copy forever (nothing ever writes to it).
        (lambda site: os.mkfifo(site / "pages" / "pipe.html"), "不是普通文件的（命名管道"),
    ],
    ids=["no-index", "no-search-index", "broken-search-index", "wrong-search-index", "symlink", "fifo"],
)
def test_incomplete_site(
    live: tuple[Path, dict[str, str]],
    root: Path,
    damage: Callable[[Path], None],
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dest, before = live
    releases = snapshot(dest)
    damage(root / "site")
    failed(*publish(root, dest, capsys), words)
    assert_untouched(dest, before, releases)
    built = {"commit": None, "commit_time": None, "built_at": "2026-12-01T08:00:00Z", "access": "none"}
    (root / "site" / BUILD_STAMP).write_text(json.dumps(built))  # (--gzip-only needs to know how it is served)
    failed(*publish(root, dest, capsys, "--gzip-only"), words)
    assert_untouched(dest, before, releases)


@pytest.mark.parametrize("first", [True, False], ids=["first-publish", "next-publish"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_disk_full_while_copying(
    root: Path, www: Path, layout: str, first: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = destination(www, layout)
    if not first:
        assert publish(root, dest, capsys)[0] == 0
        make_site(root, "v2")
    before, releases = digests(dest), snapshot(dest)
    real = generator.office.sitecopy._copy_file
    copied = []

    def copy_file(source: Path, target: Path) -> tuple[str, int]:
        if len(copied) == 10:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        copied.append(source)
        return real(source, target)

    monkeypatch.setattr(generator.office.sitecopy, "_copy_file", copy_file)
    failed(*publish(root, dest, capsys), "磁盘已满")
    assert_untouched(dest, before, releases)
    # Only what was there before: the first publish's kaoping.releases/ is gone again.
    remaining = {("plain", True): ["kaoping"], ("plain", False): ["kaoping"], ("releases", True): []}
    expected = remaining.get((layout, first), ["kaoping", "kaoping.releases"])
    assert sorted(p.name for p in www.iterdir()) == expected


def test_switch_fails(
    root: Path, www: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = www / "kaoping"
    publish(root, dest, capsys)
    before, releases = digests(dest), snapshot(dest)
    make_site(root, "v2")

    def replace(source: object, target: object) -> None:
        raise OSError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(generator.office.publishfiles.os, "replace", replace)
    failed(*publish(root, dest, capsys), "没有权限写入")
    assert_untouched(dest, before, releases)


@contextlib.contextmanager
def unwritable(*folders: Path) -> Iterator[None]:
    """Folders nobody may add to: mode 555 for a normal user; for root (CI runs as root), whom modes do not
    stop, the immutable attribute (chattr +i), which stops root too."""
    folders = tuple(f for f in folders if f.is_dir())
    if os.geteuid() != 0:
        for f in folders:
            f.chmod(0o555)
        try:
            yield
        finally:
            for f in folders:
                f.chmod(0o755)
        return
    done = [f for f in folders if subprocess.run(["chattr", "+i", str(f)], capture_output=True).returncode == 0]
    if len(done) != len(folders):
        for f in done:
            subprocess.run(["chattr", "-i", str(f)], check=True)
        pytest.fail("以 root 运行时要用 chattr +i 造出不可写的目录，但这里的文件系统不支持")
    try:
        yield
    finally:
        for f in done:
            subprocess.run(["chattr", "-i", str(f)], check=True)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_unwritable_destination(root: Path, www: Path, layout: str, capsys: pytest.CaptureFixture[str]) -> None:
    dest = destination(www, layout)
    assert publish(root, dest, capsys)[0] == 0
    before, releases = digests(dest), snapshot(dest)
    make_site(root, "v2")
    with unwritable(www, releases_of(dest)):
        code, out, err = publish(root, dest, capsys)
    failed(code, out, err, "没有权限写入")
    assert_untouched(dest, before, releases)


def test_destination_under_a_file(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (www / "file").write_text("x")
    failed(*publish(root, www / "file" / "kaoping", capsys), "不是目录")
    failed(*publish(root, www / "missing" / "kaoping", capsys), "不存在")
    failed(*publish(root, www / "file", capsys), "是一个文件")
    assert sorted(p.name for p in www.iterdir()) == ["file"]


def test_a_folder_that_is_not_a_site_is_not_replaced(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = www / "home"
    dest.mkdir()
    (dest / "notes.txt").write_text("重要文件")
    before = digests(dest)
    code, out, err = publish(root, dest, capsys)
    failed(code, out, err, "不是 kaoping 发布的网站")
    assert "notes.txt" in err
    assert digests(dest) == before
    assert sorted(p.name for p in www.iterdir()) == ["home"]


def test_a_web_root_with_an_index_page_and_other_things_is_not_replaced(
    root: Path, www: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server's web root: an index.html beside another application and its uploads. Having an index page
    does not make it kaoping's to replace (the published site's marker does)."""
    dest = www / "html"
    (dest / "oa").mkdir(parents=True)
    (dest / "uploads").mkdir()
    (dest / "index.html").write_text("<!doctype html><title>门户</title>")
    (dest / "oa" / "config.php").write_text("<?php $db = 'oa';")
    (dest / "uploads" / "a.jpg").write_bytes(b"\xff\xd8\xff")
    before = digests(dest)
    code, out, err = publish(root, dest, capsys)
    failed(code, out, err, "不是 kaoping 发布的网站")
    assert "oa" in err and str(dest / "kaoping") in err
    assert digests(dest) == before
    assert sorted(p.name for p in www.iterdir()) == ["html"]


def test_a_site_published_before_markers_existed_is_replaced(
    root: Path, www: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plain folder published by an early kaoping has neither marker, but a kaoping site's own layout."""
    dest = www / "kaoping"
    (dest / "search").mkdir(parents=True)
    (dest / "assessments").mkdir()
    (dest / "index.html").write_text("<!doctype html><title>旧网站</title>")
    (dest / "search" / "search_index.json").write_text('{"config": {}, "docs": []}')
    assert publish(root, dest, capsys)[0] == 0
    assert (dest / PUBLISHED_MARKER).is_file() and "旧网站" not in (dest / "index.html").read_text()


def test_a_site_copied_by_hand_is_replaced_by_the_first_publish(
    root: Path, www: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before using kaoping publish, the office copied site/ to the server by hand: that copy holds the
    build's stamp, so it is a kaoping site and the first publish replaces it."""
    dest = www / "kaoping"
    shutil.copytree(root / "site", dest)
    (dest / BUILD_STAMP).write_text(json.dumps({"commit": None, "commit_time": None, "built_at": None}))
    (dest / "old-page.html").write_text("旧的")
    assert publish(root, dest, capsys)[0] == 0
    assert not (dest / "old-page.html").exists() and (dest / PUBLISHED_MARKER).is_file()


def test_a_foreign_link_is_not_replaced(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (www / "elsewhere").mkdir()
    (www / "kaoping").symlink_to("elsewhere")
    failed(*publish(root, www / "kaoping", capsys), "不是 kaoping publish 建立的")
    assert os.readlink(www / "kaoping") == "elsewhere"
    assert sorted(p.name for p in www.iterdir()) == ["elsewhere", "kaoping"]


@pytest.mark.parametrize("where", [".", "site", "site/sub", ".."])
def test_the_project_itself_is_refused(root: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = digests(root)
    failed(*publish(root, root / where, capsys), "不能是项目目录")
    assert digests(root) == before


def test_a_mount_point_is_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mounts = [Path(p) for p in ("/proc", "/sys", "/dev") if os.path.ismount(p)]
    if not mounts:
        pytest.skip("没有可用的挂载点")
    failed(*publish(root, mounts[0], capsys), "挂载点")


# -- interrupted publishes ----------------------------------------------------------------------------


def big_site(root: Path, version: str) -> None:
    """Enough files that the copy is still going when the signal comes (each file is slowed, see below)."""
    make_site(root, version, pages=1500)


#: The publish, with each file's copy slowed down: the test's signal must reach it mid-copy on any
#: machine, however fast its disk. Everything else is the real command.
_SLOW_PUBLISH = """
import signal, sys, time
# As from a terminal, even when the tests run where Ctrl+C is ignored (a background job of a script).
signal.signal(signal.SIGINT, signal.default_int_handler)
import generator.office.sitecopy as publish
copy = publish._copy_file
def slow(source, target):
    time.sleep(0.005)
    return copy(source, target)
publish._copy_file = slow
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def start_publish(root: Path, dest: Path, *, slow: bool = False) -> subprocess.Popen[bytes]:
    command = ["-c", _SLOW_PUBLISH] if slow else ["-m", "generator"]
    return subprocess.Popen(
        [sys.executable, *command, "--root", str(root), "publish", str(dest)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_copy(dest: Path, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until the publish has made its temporary copy and put a few files in it."""
    deadline = time.monotonic() + timeout
    while True:
        temps = [p for p in [*dest.parent.iterdir(), *releases_of(dest).glob(".*")] if TEMP_MARK in p.name]
        if any(p.is_dir() and (p / "pages").is_dir() for p in temps):
            return
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "发布没有开始"
        time.sleep(0.001)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_stopped_while_copying_cleans_up(
    root: Path, www: Path, layout: str, sig: signal.Signals, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = destination(www, layout)
    assert publish(root, dest, capsys)[0] == 0
    before, releases = digests(dest), snapshot(dest)
    big_site(root, "v2")
    process = start_publish(root, dest, slow=True)
    wait_for_copy(dest, process)
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert err.decode().startswith("已中断：发布目录") and b"Traceback" not in err, err.decode()
    assert_untouched(dest, before, releases)


class _StoppedInAFinalizer:
    """SIGTERM arriving while Python runs a finalizer, where the KeyboardInterrupt it becomes is lost."""

    def __del__(self) -> None:
        signal.raise_signal(signal.SIGTERM)
        raise KeyboardInterrupt  # what the handler raises, should the signal be handled after this line


@pytest.mark.parametrize("layout", LAYOUTS)
def test_stopped_inside_a_finalizer_still_stops_before_the_switch(
    root: Path, www: Path, layout: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = destination(www, layout)
    assert publish(root, dest, capsys)[0] == 0
    before, releases = digests(dest), snapshot(dest)
    make_site(root, "v2")
    copy = generator.office.publish.copy_locked

    def copy_then_stop(*args: object, **kwargs: object) -> object:
        done = copy(*args, **kwargs)  # type: ignore[arg-type]
        _StoppedInAFinalizer()  # made and freed at once
        return done

    monkeypatch.setattr(generator.office.publish, "copy_locked", copy_then_stop)
    code, _, err = publish(root, dest, capsys)
    assert code == 130, err
    assert err.startswith("已中断：发布目录") and "Traceback" not in err, err
    assert_untouched(dest, before, releases)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_killed_then_the_next_publish_cleans_up(
    root: Path, www: Path, layout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = destination(www, layout)
    assert publish(root, dest, capsys)[0] == 0
    before = digests(dest)
    big_site(root, "v2")
    process = start_publish(root, dest, slow=True)
    wait_for_copy(dest, process)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert digests(dest) == before
    assert leftovers(dest), "被强行终止的发布应留下临时目录（下一次发布清理它）"
    code, _, err = publish(root, dest, capsys)
    assert (code, err) == (0, "")
    assert leftovers(dest) == []
    assert_published(dest, root / "site")


def test_killed_between_the_two_renames_gets_the_site_back(
    root: Path, www: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The plain layout without an exchange moves DEST aside, then the copy in; killed in between, the
    # previous site sits beside it as .DEST.publishing-old-….
    dest = destination(www, "plain")
    assert publish(root, dest, capsys)[0] == 0
    before = digests(dest)
    os.rename(dest, www / f".kaoping{TEMP_MARK}old-99999-abcd")
    (www / f".kaoping{TEMP_MARK}new-99999-abcd").mkdir()
    make_site(root, "v2")
    code, out, err = publish(root, dest, capsys)
    assert code == 0
    assert "已恢复为原来的网站" in err
    assert leftovers(dest) == []
    assert_published(dest, root / "site")
    assert digests(dest) != before


def test_two_publishes_at_once(tmp_path: Path, www: Path) -> None:
    roots = []
    for version in ("a", "b"):
        project = tmp_path / version
        project.mkdir()
        make_site(project, version, pages=2000)
        roots.append(project)
    dest = www / "kaoping"
    processes = [start_publish(project, dest) for project in roots]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    assert leftovers(dest) == []
    assert len(release_names(dest)) == 2
    published = digests(dest)
    assert published.pop(PUBLISHED_MARKER)
    assert published in (digests(roots[0] / "site"), digests(roots[1] / "site"))


# -- an older site never replaces a newer one ---------------------------------------------------------


def git(repo: Path, *args: str, when: str = "2026-01-01T00:00:00Z") -> str:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "考核办公室",
        "GIT_AUTHOR_EMAIL": "office@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "考核办公室",
        "GIT_COMMITTER_EMAIL": "office@example.org",
        "GIT_COMMITTER_DATE": when,
    }
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commits(repo: Path, *times: str) -> list[str]:
    """A git repository in ``repo`` with one commit per time, each the child of the one before."""
    git(repo, "init", "-q", "-b", "main")
    made = []
    for n, when in enumerate(times):
        (repo / "history.txt").write_text(f"{n}\n")
        git(repo, "add", "history.txt")
        git(repo, "commit", "-q", "-m", f"第 {n} 次提交", when=when)
        made.append(git(repo, "rev-parse", "HEAD"))
    return made


def stamp(commit: str | None, commit_time: str | None, built_at: str) -> dict[str, str | None]:
    return {"commit": commit, "commit_time": commit_time, "built_at": built_at}


def test_an_older_commit_does_not_replace_a_newer_one(
    root: Path, www: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = commits(root, "2026-03-01T08:00:00Z", "2026-03-02T08:00:00Z")
    dest = www / "kaoping"
    make_site(root, "new", built=stamp(new, "2026-03-02T08:00:00Z", "2026-03-02T08:05:00Z"))
    assert publish(root, dest, capsys)[0] == 0
    assert marker_of(dest)["commit"] == new
    before, releases = digests(dest), release_names(dest)

    # The pipeline of the older commit finishes last: its build is later, its commit is not.
    make_site(root, "old", built=stamp(old, "2026-03-01T08:00:00Z", "2026-03-02T09:00:00Z"))
    code, out, err = publish(root, dest, capsys)
    failed(code, out, err, f"发布目录中的网站由提交 {new[:12]}（提交于 2026-03-02 08:00:00 UTC）生成")
    assert f"它是这次的提交 {old[:12]}（提交于 2026-03-01 08:00:00 UTC）之后的提交（由 git 确认）" in err
    assert "--force" in err
    assert_untouched(dest, before, releases)

    # Rolling back on purpose.
    code, out, err = publish(root, dest, capsys, "--force")
    assert code == 0 and "已按 --force" in err
    assert marker_of(dest)["commit"] == old
    assert_published(dest, root / "site")

    # The next commit replaces it, as git confirms.
    (newest,) = commits_after(root, "2026-03-03T08:00:00Z")
    make_site(root, "newest", built=stamp(newest, "2026-03-03T08:00:00Z", "2026-03-03T08:05:00Z"))
    code, out, err = publish(root, dest, capsys)
    assert (code, err) == (0, "")
    assert marker_of(dest)["commit"] == newest


def commits_after(repo: Path, *times: str) -> list[str]:
    made = []
    for when in times:
        (repo / "history.txt").write_text(when)
        git(repo, "commit", "-q", "-am", "再一次提交", when=when)
        made.append(git(repo, "rev-parse", "HEAD"))
    return made


@pytest.mark.parametrize("layout", LAYOUTS)
def test_commit_times_decide_when_git_cannot_tell(
    root: Path, www: Path, layout: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Commits this project's clone does not have (CI checks out one commit): their times are compared.
    dest = destination(www, layout)
    make_site(root, "new", built=stamp("b" * 40, "2026-05-02T00:00:00Z", "2026-05-02T00:10:00Z"))
    assert publish(root, dest, capsys)[0] == 0
    before = digests(dest)
    make_site(root, "old", built=stamp("a" * 40, "2026-05-01T00:00:00Z", "2026-05-03T00:00:00Z"))
    code, out, err = publish(root, dest, capsys)
    failed(code, out, err, "git 无法判断两个提交的先后，比较的是提交时间")
    assert f"提交 {'b' * 12}（提交于 2026-05-02 00:00:00 UTC）" in err
    assert_untouched(dest, before)
    make_site(root, "newer", built=stamp("c" * 40, "2026-05-04T00:00:00Z", "2026-05-04T00:10:00Z"))
    assert publish(root, dest, capsys)[:3:2] == (0, "")
    assert marker_of(dest)["commit"] == "c" * 40


def test_build_times_decide_outside_git(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = www / "kaoping"
    make_site(root, "later", built=stamp(None, None, "2026-06-02T00:00:00Z"))
    assert publish(root, dest, capsys)[0] == 0
    before = digests(dest)
    make_site(root, "earlier", built=stamp(None, None, "2026-06-01T00:00:00Z"))
    failed(*publish(root, dest, capsys), "比较的是生成时间（两者没有都记下提交和提交时间）")
    assert_untouched(dest, before)
    # A site without any stamp (plain mkdocs build) cannot be shown not to be older.
    make_site(root, "unstamped")
    failed(*publish(root, dest, capsys), "这次的网站没有生成记录（.kaoping-build.json")
    assert_untouched(dest, before)
    code, _, err = publish(root, dest, capsys, "--force")
    assert code == 0 and "已按 --force" in err
    assert marker_of(dest)["built_at"] is None
    # A stamp that cannot be read, published all the same: the marker says nothing of the build.
    (root / "site" / BUILD_STAMP).write_text("{不是 JSON")
    code, _, err = publish(root, dest, capsys, "--force")
    assert code == 0 and "无法读取" in err and "已按 --force" in err, err
    assert marker_of(dest)["built_at"] is None and "Traceback" not in err


def test_an_unreadable_marker_stops_the_publish(root: Path, www: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = destination(www, "plain")
    assert publish(root, dest, capsys)[0] == 0
    (dest / PUBLISHED_MARKER).unlink()
    (dest / PUBLISHED_MARKER).write_text("{不是 JSON")
    before = digests(dest)
    failed(*publish(root, dest, capsys), f"无法读取 {dest / PUBLISHED_MARKER}")
    assert_untouched(dest, before)


@pytest.mark.parametrize("kind", ["fifo", "link"])
def test_a_marker_that_is_not_a_regular_file_is_not_followed(
    root: Path, www: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = destination(www, "plain")
    assert publish(root, dest, capsys)[0] == 0
    (dest / PUBLISHED_MARKER).unlink()
    if kind == "fifo":
        os.mkfifo(dest / PUBLISHED_MARKER)  # opened for reading, it would wait for ever
    else:
        (dest / PUBLISHED_MARKER).symlink_to("/dev/zero")
    failed(*publish(root, dest, capsys), str(dest / PUBLISHED_MARKER))
    assert (dest / PUBLISHED_MARKER).is_fifo() if kind == "fifo" else (dest / PUBLISHED_MARKER).is_symlink()


def test_a_real_build_in_git_is_stamped_and_published_with_its_commit(
    tmp_path: Path, www: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_sources(tmp_path / "project")
    shutil.copytree(ROOT / "tests" / "corpus" / "_shared", project, dirs_exist_ok=True)
    (head,) = commits_after_init(project, "2026-07-01T10:00:00Z")
    assert main(["--root", str(project), "build", "-q"]) == 0
    built = json.loads((project / "site" / BUILD_STAMP).read_text(encoding="utf-8"))
    assert built["commit"] == head == git(project, "rev-parse", "HEAD")
    assert built["commit_time"] == "2026-07-01T10:00:00Z"
    assert datetime.datetime.fromisoformat(built["built_at"].replace("Z", "+00:00")) > datetime.datetime(
        2026, 7, 1, 10, tzinfo=datetime.UTC
    )
    capsys.readouterr()
    dest = www / "kaoping"
    code, _, err = publish(project, dest, capsys)
    assert (code, err) == (0, "")
    assert marker_of(dest)["commit"] == head
    assert_published(dest, project / "site")


def commits_after_init(repo: Path, when: str) -> list[str]:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "考核数据", when=when)
    return [git(repo, "rev-parse", "HEAD")]


# -- never inside the project ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["docs/www", "results/www", "site", "."])
def test_a_destination_inside_the_project_is_refused(
    root: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "docs").mkdir()
    (root / "results").mkdir()
    before = digests(root)
    failed(*publish(root, root / where, capsys), "不能在项目目录里面（包括 site/）")
    assert digests(root) == before
    assert sorted(p.name for p in root.iterdir()) == ["docs", "results", "site"]


def test_a_destination_that_holds_the_project_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    srv = tmp_path / "srv"
    project = srv / "kaoping" / "project"
    project.mkdir(parents=True)
    make_site(project, "v1")
    before = digests(srv)
    failed(*publish(project, srv / "kaoping", capsys), f"包含项目目录 {project}：发布会把它整个替换掉")
    assert digests(srv) == before


def test_a_link_into_the_project_is_followed_and_refused(
    root: Path, www: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "docs").mkdir()
    (www / "site").symlink_to(root / "docs")
    failed(*publish(root, www / "site" / "kaoping", capsys), f"（实际位置 {root / 'docs' / 'kaoping'}）")
    (www / "kaoping").symlink_to(root / "docs")
    failed(*publish(root, www / "kaoping", capsys), "在项目目录里面")
    assert sorted(p.name for p in (root / "docs").iterdir()) == []
