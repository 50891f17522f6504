"""kaoping serve's preview: the same pages as the build, made on request, refreshed on a save.

The preview lays out only the non-unit pages and one shell per assessment with MkDocs, and makes each
unit's page and JSON when the browser asks. Its pages must be the build's pages byte for byte, a saved
change must show, a data error must keep the last good preview, and it must never write the project's
docs/ or site/.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest_site import BuiltSite, built_site, copy_project, digests

from generator.cli import report
from generator.site import paths
from generator.site.cache import CACHE_DIR
from generator.site.serve import Preview
from generator.site.sources import watched_paths
from generator.site.yearpaths import unit_workbook, year_downloads

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built() -> BuiltSite:
    return built_site()


@pytest.fixture(scope="module")
def preview(built: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Preview, Path]]:
    root = copy_project(tmp_path_factory.mktemp("serve") / "project")
    shutil.copytree(built.root / "results", root / "results", dirs_exist_ok=True)  # the same notices
    p = Preview(root, quiet=True, say=print)
    p.rebuild()
    assert p.built is not None
    yield p, root
    p.close()


def some_units(built: BuiltSite) -> list[tuple[str, str]]:
    """A few units of every assessment: the first (the shell), one in the middle, the last."""
    out = []
    for aid, outcome in sorted(built.prepared.outcomes.items()):
        ids = [u.unit.id for u in outcome.units]
        out += [(aid, ids[0]), (aid, ids[len(ids) // 2]), (aid, ids[-1])]
    return out


def test_unit_pages_and_json_are_made_on_request_as_the_build_makes_them(
    preview: tuple[Preview, Path], built: BuiltSite
) -> None:
    p, _ = preview
    for aid, uid in some_units(built):
        for path in (paths.html_path(paths.unit_page(aid, uid)), paths.unit_json(aid, uid), unit_workbook(aid, uid)):
            p.ensure(path)
            made = (p.folder / path).read_bytes()
            assert made == (built.site / path).read_bytes(), f"预览的 {path} 与生成的网站不同"


def test_other_pages_and_the_search_index_match_the_build(preview: tuple[Preview, Path], built: BuiltSite) -> None:
    p, _ = preview
    for aid in built.prepared.outcomes:
        for kind in ("index", "standards", "results"):
            path = paths.html_path(paths.page(aid, kind))
            assert (p.folder / path).read_bytes() == (built.site / path).read_bytes(), path
    index = json.loads((p.folder / "search" / "search_index.json").read_text(encoding="utf-8"))
    expected = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    key = lambda d: d["location"]  # noqa: E731
    assert sorted(index["docs"], key=key) == sorted(expected["docs"], key=key)


def test_downloads_are_made_on_request_as_the_build_makes_them(preview: tuple[Preview, Path], built: BuiltSite) -> None:
    p, _ = preview
    for aid, outcome in sorted(built.prepared.outcomes.items()):
        files = [*paths.downloads(aid), *(year_downloads(aid) if outcome.year is not None else ())]
        assert not any((p.folder / f).exists() for f in files), "预览不应在请求之前生成下载文件"
        for f in files:
            p.ensure(f)
            assert (p.folder / f).read_bytes() == (built.site / f).read_bytes(), f


def test_a_download_that_cannot_be_written_is_said_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site import serve

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    root = copy_project(tmp_path / "project")
    said: list[str] = []
    p = Preview(root, quiet=True, say=said.append)
    try:
        p.rebuild()
        assert p.built is not None
        path = next(iter(p.built.downloads))
        monkeypatch.setattr(serve, "write_downloads", full)
        p.ensure(path)
        assert said and "生成失败" in said[-1] and path in said[-1], said
        assert not (p.folder / path).exists()
    finally:
        p.close()


def test_the_search_box_index_is_the_builds(preview: tuple[Preview, Path], built: BuiltSite) -> None:
    p, _ = preview
    mine = digests(p.folder / "search" / "kaoping")
    theirs = {k: v for k, v in digests(built.site / "search" / "kaoping").items() if not k.endswith(".gz")}
    assert mine and mine == theirs


def test_a_unit_not_asked_for_is_not_made(preview: tuple[Preview, Path], built: BuiltSite) -> None:
    p, _ = preview
    aid, outcome = sorted(built.prepared.outcomes.items())[0]
    asked = {uid for a, uid in some_units(built) if a == aid}
    never = next(u.unit.id for u in outcome.units if u.unit.id not in asked)
    assert not (p.folder / paths.html_path(paths.unit_page(aid, never))).exists()
    p.ensure("assessments/../../etc/passwd")
    p.ensure(f"{paths.GENERATED}/{aid}/units/no-such-unit.html")
    assert not (p.folder / f"{paths.GENERATED}/{aid}/units/no-such-unit.html").exists()


def test_a_download_asked_for_during_a_rebuild_is_made_from_the_new_data(tmp_path: Path) -> None:
    """A download the browser asks for while a rebuild runs waits for it and is made from its results, not
    from the last ones (kept then until the next save)."""
    root = copy_project(tmp_path / "project")
    p = Preview(root, quiet=True, say=print)
    try:
        p.rebuild()
        csv_file = paths.downloads("wujin-2017")[0]
        units = root / "results" / "wujin-2017" / "units.csv"
        text = units.read_text(encoding="gb18030")  # as the office's Excel saved it
        old_name = text.splitlines()[1].split(",")[1]
        units.write_text(text.replace(old_name, old_name + "（更名）", 1), encoding="gb18030")
        p.lock = threading.RLock()  # taken here again by the rebuild below, while the request waits for it
        with p.lock:
            asked = threading.Thread(target=p.ensure, args=(csv_file,))
            asked.start()
            asked.join(0.5)  # the request waits for the lock
            p.rebuild()
        asked.join(60)
        assert not asked.is_alive()
        assert f"{old_name}（更名）" in (p.folder / csv_file).read_text(encoding="utf-8-sig")
    finally:
        p.close()


def test_a_file_saved_the_way_excel_saves_it_is_waited_for(tmp_path: Path) -> None:
    """Excel and WPS save by renaming the file aside and the new copy into its place. A rebuild set off in
    between waits for the file to be back instead of showing the results without it as current."""
    root = copy_project(tmp_path / "project")
    p = Preview(root, quiet=True, say=print)
    try:
        p.rebuild()
        assert p.built is not None
        totals = {k: u.score.total for k, u in p.built.units.items()}
        entries = root / "results" / "wujin-2017" / "entries.csv"
        aside = entries.with_name("entries.csv.bak")
        entries.rename(aside)
        rebuilding = threading.Thread(target=p.rebuild)
        rebuilding.start()
        time.sleep(0.5)  # Excel writes its new copy meanwhile
        aside.rename(entries)
        rebuilding.join(120)
        assert not rebuilding.is_alive()
        assert {k: u.score.total for k, u in p.built.units.items()} == totals
        assert p.failure is None
    finally:
        p.close()


def test_a_saved_change_shows_and_a_data_error_keeps_the_last_good_preview(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    docs_before, site_before = digests(root / "docs"), digests(root / "site") if (root / "site").exists() else {}
    p = Preview(root, quiet=True, say=print)
    try:
        p.rebuild()
        entries = root / "results" / "wujin-2017" / "entries.csv"
        raw = entries.read_bytes()
        text = raw.decode("utf-8-sig").splitlines()
        reason = text[0].split(",").index("扣分原因")
        cells = text[1].split(",")
        uid = cells[0]
        cells[reason] = cells[reason] + "（复核后更正）"
        text[1] = ",".join(cells)
        entries.write_text("\n".join(text) + "\n", encoding="utf-8")
        kept = p.workspace / CACHE_DIR / "mkdocs"
        laid_out = kept.stat().st_ino
        p.rebuild()
        # A changed reason changes a table, not the layout: MkDocs' output is taken again, not made again.
        assert kept.stat().st_ino == laid_out
        page = paths.html_path(paths.unit_page("wujin-2017", uid))
        p.ensure(page)
        assert "（复核后更正）" in (p.folder / page).read_text(encoding="utf-8")

        # A broken row: the preview keeps what it showed.
        entries.write_text("\n".join(text) + "\nnobody,1,,,1,无此单位\n", encoding="utf-8")
        shown = digests(p.folder)
        p.rebuild()
        assert digests(p.folder) == shown
        p.ensure(page)
        assert "（复核后更正）" in (p.folder / page).read_text(encoding="utf-8")
    finally:
        p.close()
    # The preview works in its own folders: the project's docs/ and site/ are as they were.
    assert digests(root / "docs") == docs_before
    assert (digests(root / "site") if (root / "site").exists() else {}) == site_before
    assert not p.workspace.exists()


def test_project_folders_named_like_the_previews_own_are_left_alone(tmp_path: Path) -> None:
    """The preview's own folders (MkDocs' output, the staged site) are beside the project's layout, not in it:
    a project folder of the same name is neither written into, nor moved, nor deleted, nor served."""
    root = copy_project(tmp_path / "project")
    mine = {root / name / "我的笔记.txt": f"{name} 中的笔记" for name in ("mkdocs", "staged", "site", "project")}
    for path, text in mine.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    before = {name: digests(root / name) for name in ("mkdocs", "staged", "site", "project")}
    p = Preview(root, quiet=True, say=print)
    try:
        p.rebuild()
        assert p.built is not None
        assert not (p.folder / "我的笔记.txt").exists()
        p.rebuild()
    finally:
        p.close()
    assert {name: digests(root / name) for name in before} == before
    assert not p.workspace.exists()


@pytest.mark.parametrize("broken", ["\n{% if %}\n", '\n{{ "共" + 1 }}\n'], ids=["syntax", "python-error"])
def test_a_broken_template_is_reported_and_the_last_good_preview_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    """A template that does not parse, or one whose expression fails when it runs (before, the preview printed a
    traceback and then hung every request until the template was fixed)."""
    root = copy_project(tmp_path / "project")
    p = Preview(root, quiet=True, say=print)
    try:
        p.rebuild()
        good = p.built
        shown = digests(p.folder)
        template = root / "site_templates" / "standards.md.j2"
        template.write_text(template.read_text(encoding="utf-8") + broken, encoding="utf-8")
        capsys.readouterr()
        p.rebuild()
        out = capsys.readouterr().out
        assert "生成失败：页面模板 site_templates/standards.md.j2 第" in out and "预览仍显示上一次成功的结果" in out
        assert "Traceback" not in out
        assert p.built is good
        assert digests(p.folder) == shown
    finally:
        p.close()


def test_the_preview_watches_data_templates_and_hand_written_pages_not_generated_ones(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "docs" / paths.GENERATED).mkdir(parents=True, exist_ok=True)
    watched = {p.relative_to(root).as_posix() for p in watched_paths(root)}
    assert {"rubrics", "results", "site_templates", "mkdocs.yml"} <= watched
    assert "docs/reference" in watched and "docs/index.md" in watched
    assert f"docs/{paths.GENERATED}" not in watched


def test_the_preview_watches_a_theme_folder_hook_and_parent_configuration_that_mkdocs_yml_names(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "project")
    shutil.copytree(root / "site_templates" / "theme", root / "overrides")
    (root / "office_hooks.py").write_text("", encoding="utf-8")
    (root / "base.yml").write_text("site_description: 上级配置\n", encoding="utf-8")
    outside = tmp_path / "outside_theme"
    outside.mkdir()
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("custom_dir: site_templates/theme", "custom_dir: overrides")
    hooks = "  - generator/site/mkdocs_hooks.py\n"
    text = text.replace(hooks, hooks + "  - office_hooks.py\n")
    config.write_text("INHERIT: base.yml\n" + text, encoding="utf-8")
    watched = {p.relative_to(root).as_posix() for p in watched_paths(root)}
    assert {"overrides", "office_hooks.py", "base.yml", "mkdocs.yml", "site_templates"} <= watched
    # A theme folder outside the project is not watched (nothing outside it is)...
    config.write_text(text.replace("custom_dir: overrides", f"custom_dir: {outside}"), encoding="utf-8")
    assert all(p.is_relative_to(root) for p in watched_paths(root))
    # ... but the templates are, when site_templates/ is a link to templates several projects share.
    shared = tmp_path / "shared_templates"
    shutil.move(root / "site_templates", shared)
    (root / "site_templates").symlink_to(shared)
    assert root / "site_templates" in watched_paths(root)


def test_the_preview_neither_watches_nor_copies_links_out_of_docs_or_fifos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    secret = tmp_path / "secret.md"
    secret.write_text("# SECRETX\n", encoding="utf-8")
    (root / "docs" / "leak.md").symlink_to(secret)
    (root / "docs" / "system").symlink_to("/etc")
    os.mkfifo(root / "docs" / "pipe.md")
    watched = {p.relative_to(root).as_posix() for p in watched_paths(root)}
    assert "docs/index.md" in watched
    assert not {"docs/leak.md", "docs/system", "docs/pipe.md"} & watched
    p = Preview(root, quiet=True, report=report, say=print)
    try:
        capsys.readouterr()
        p.rebuild()  # would hang copying the FIFO, or copy the secret into the preview
        out, err = capsys.readouterr()
        assert "docs/leak.md: 错误：这是指向 docs/ 之外的链接" in err
        assert "docs/system: 错误：这是指向 docs/ 之外的链接（指向 /etc）" in err
        assert "docs/pipe.md: 错误：这是一个命名管道（FIFO），不是普通文件" in err
        assert "数据有错误，预览仍显示上一次成功的结果" in out
        assert p.built is None
        assert not [f for f in p.folder.rglob("*") if f.is_file() and "SECRETX" in f.read_text(errors="replace")]
    finally:
        p.close()


def started_serve(root: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], int]:
    """A real ``kaoping serve`` process on a free port, once it says its address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "预览地址" in line:
            return process, port
    process.kill()
    pytest.fail("kaoping serve 没有启动：" + (process.stderr.read() if process.stderr else ""))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_preview_stopped_by_a_signal_removes_its_workspace(tmp_path: Path, sig: signal.Signals) -> None:
    """A service manager stops kaoping serve with SIGTERM, a clerk with Ctrl+C: either way the preview's
    workspace in the temporary folder is removed and it ends without a traceback."""
    root = copy_project(tmp_path / "project")
    temp = tmp_path / "tmp"
    temp.mkdir()
    process, _port = started_serve(root, {**os.environ, "TMPDIR": str(temp)})
    try:
        assert [p.name for p in temp.iterdir() if p.name.startswith("kaoping-serve-")], "预览应在临时目录中工作"
        process.send_signal(sig)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "预览已停止" in out, (out, err)
    assert "Traceback" not in err, err
    assert process.returncode == 0, err
    assert not [p.name for p in temp.iterdir() if p.name.startswith("kaoping-serve-")]


def test_a_port_in_use_is_said_at_once_and_leaves_nothing_behind(tmp_path: Path) -> None:
    """A second kaoping serve on the same port (or any program holding it): the clerk is told which port and
    what to do, before any build, with a non-zero exit, no traceback and no workspace left in TMPDIR."""
    root = copy_project(tmp_path / "project")
    temp = tmp_path / "tmp"
    temp.mkdir()
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
            cwd=Path(__file__).resolve().parent.parent,
            env={**os.environ, "TMPDIR": str(temp)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    assert f"端口 {port} 已被占用" in done.stderr and f"--port {port + 1}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr, done.stderr
    assert "预览地址" not in done.stdout and "读取并检查" not in done.stdout + done.stderr, "端口被占用时不应先生成"
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize(
    ("host", "said"), [("999.1.1.1", "本机没有地址 999.1.1.1"), ("no-such-host.invalid", "本机没有地址 no-such-host")]
)
def test_an_address_this_machine_does_not_have_is_said(tmp_path: Path, host: str, said: str) -> None:
    root = copy_project(tmp_path / "project")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "serve", "--host", host, "--port", "8000"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and said in done.stderr and "--host 127.0.0.1" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "内部错误" not in done.stderr, done.stderr


def test_a_request_for_a_name_too_long_or_with_a_nul_is_not_found(tmp_path: Path) -> None:
    """A mistyped or hostile address is a 404, as any page the site does not have; never a 500 and a traceback
    on the clerk's terminal."""
    import http.client

    root = copy_project(tmp_path / "project")
    process, port = started_serve(root)
    try:
        aid = sorted(p.name for p in (root / "rubrics").glob("*.yml"))[0].removesuffix(".yml")
        statuses = {}
        for name, path in [
            ("long", f"/assessments/{aid}/units/{'a' * 5000}.html"),
            ("nul", f"/assessments/{aid}/units/a%00b.html"),
            ("home", "/index.html"),
        ]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", path)
            statuses[name] = connection.getresponse().status
            connection.close()
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert statuses == {"long": 404, "nul": 404, "home": 200}, statuses
    assert "Traceback" not in err and "500" not in err, err


def fetched(port: int, path: str) -> tuple[int, str]:
    """The status and text of ``path`` from the preview (an error status too, with its page)."""
    url = f"http://127.0.0.1:{port}/{urllib.parse.quote(path)}"
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:  # noqa: S310 - the preview on this machine
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def eventually(port: int, path: str, shows: Callable[[int, str], bool]) -> tuple[int, str]:
    """What ``path`` answers once ``shows`` holds of it (the preview rebuilds a moment after a save)."""
    answer = fetched(port, path)
    for _ in range(240):
        if shows(*answer):
            return answer
        time.sleep(0.25)
        answer = fetched(port, path)
    pytest.fail(f"{path}：{answer[0]} {answer[1][:2000]}")


def test_the_browser_is_told_why_the_preview_did_not_rebuild_and_sees_new_pages(tmp_path: Path) -> None:
    """Through the real server: a save with an error reloads the page with what is wrong (file, line,
    column) over the last good preview, and a page there is none of says so instead of a bare 404; fixed, the
    notice goes. A page added to docs/ while the preview runs is shown, and its edits too."""
    root = copy_project(tmp_path / "project")
    process, port = started_serve(root)
    try:
        status, text = fetched(port, "index.html")
        assert status == 200 and "没有生成成功" not in text
        entries = root / "results" / "wujin-2017" / "entries.csv"
        good = entries.read_bytes()
        lines = good.decode("utf-8-sig").splitlines()
        cells = lines[1].split(",")
        cells[4] = "1分x"  # a deduction that is not a number
        lines[1] = ",".join(cells)
        entries.write_text("\n".join(lines) + "\n", encoding="utf-8")
        status, text = eventually(port, "index.html", lambda _s, t: "没有生成成功" in t)
        assert status == 200 and "results/wujin-2017/entries.csv:2:5" in text and "1分x" in text, text[:3000]
        unit = cells[0]
        page = paths.html_path(paths.unit_page("wujin-2017", unit))
        status, text = fetched(port, "assessments/wujin-2017/units/no-such-unit.html")
        assert status == 503 and "entries.csv:2:5" in text, (status, text[:2000])
        entries.write_bytes(good)
        status, text = eventually(port, page, lambda s, t: s == 200 and "没有生成成功" not in t)
        assert unit in text
        (root / "docs" / "新页面.md").write_text("# 新页面\n\n第一版内容\n", encoding="utf-8")
        eventually(port, "新页面.html", lambda s, t: s == 200 and "第一版内容" in t)
        (root / "docs" / "新页面.md").write_text("# 新页面\n\n第二版内容\n", encoding="utf-8")
        eventually(port, "新页面.html", lambda s, t: s == 200 and "第二版内容" in t)
        (root / "docs" / "更多").mkdir()
        (root / "docs" / "更多" / "说明.md").write_text("# 说明\n\n子目录中的页面\n", encoding="utf-8")
        eventually(port, "更多/说明.html", lambda s, t: s == 200 and "子目录中的页面" in t)
        # A folder renamed (as Explorer makes "新建文件夹" and the clerk names it), deleted, made again.
        (root / "docs" / "更多").rename(root / "docs" / "其他")
        eventually(port, "其他/说明.html", lambda s, t: s == 200 and "子目录中的页面" in t)
        assert fetched(port, "更多/说明.html")[0] == 404
        shutil.rmtree(root / "docs" / "其他")
        eventually(port, "其他/说明.html", lambda s, _t: s == 404)
        (root / "docs" / "其他").mkdir()
        (root / "docs" / "其他" / "说明.md").write_text("# 说明\n\n重新建的页面\n", encoding="utf-8")
        eventually(port, "其他/说明.html", lambda s, t: s == 200 and "重新建的页面" in t)
    finally:
        process.terminate()
        process.communicate(timeout=60)


def test_the_preview_never_watches_the_generated_folder_and_follows_folders_made_at_docs_top(tmp_path: Path) -> None:
    """MkDocs' server polls what it watches: docs/assessments (tens of thousands of files) is never among it,
    nor does a build writing there rebuild the preview; a folder made, renamed or removed at docs/'s top is
    watched or let go, and rebuilds it."""
    import watchdog.events

    from generator.site.sources import Watches

    root = copy_project(tmp_path / "project")
    docs = root / "docs"
    (docs / paths.GENERATED / "x").mkdir(parents=True)

    class Observer:
        def __init__(self) -> None:
            self.scheduled: list[tuple[str, bool]] = []

        def schedule(self, _handler: object, path: str, recursive: bool = False) -> tuple[str, bool]:
            self.scheduled.append((path, recursive))
            return (path, recursive)

        def unschedule(self, watch: tuple[str, bool]) -> None:
            self.scheduled.remove(watch)

    class Server:
        def __init__(self) -> None:
            self.observer = Observer()
            self._rebuild_cond = threading.Condition()
            self._want_rebuild = False
            self.watched: list[str] = []

        def watch(self, path: str, recursive: bool = True) -> None:
            self.watched.append(path)

    class Quiet:
        def __init__(self) -> None:
            self.root = root

        def rebuild(self) -> None:
            pass

    server = Server()
    watches = Watches(Quiet())
    watches.start(server)
    scheduled = server.observer.scheduled
    assert (str(docs), False) in scheduled and (str(docs / "reference"), True) in scheduled
    everything = [p for p, _ in scheduled] + server.watched
    assert not [p for p in everything if Path(p).is_relative_to(docs / paths.GENERATED)], everything
    watches._docs_changed(watchdog.events.FileModifiedEvent(str(docs / paths.GENERATED / "x" / "u1.md")))
    assert server._want_rebuild is False
    (docs / "新建文件夹").mkdir()
    watches._docs_changed(watchdog.events.DirCreatedEvent(str(docs / "新建文件夹")))
    assert server._want_rebuild is True and (str(docs / "新建文件夹"), True) in scheduled
    server._want_rebuild = False
    (docs / "新建文件夹").rename(docs / "files")
    watches._docs_changed(watchdog.events.DirMovedEvent(str(docs / "新建文件夹"), str(docs / "files")))
    assert server._want_rebuild is True
    assert (str(docs / "files"), True) in scheduled and (str(docs / "新建文件夹"), True) not in scheduled


def test_a_unit_file_being_made_is_not_served_half_made(tmp_path: Path) -> None:
    """Two tabs reloaded at once ask for the same unit page: the second waits while the first makes it under
    the lock, instead of serving what is written so far."""
    root = copy_project(tmp_path / "project")
    p = Preview(root, quiet=True, say=print)
    try:
        p.rebuild()
        assert p.built is not None
        aid, uid = next(iter(p.built.units))
        page = paths.unit_json(aid, uid)
        target = p.folder / page
        with p.lock:  # the first request, making it
            target.write_bytes(b"{")
            second = threading.Thread(target=p.ensure, args=(page,))
            second.start()
            second.join(0.3)
            waited = second.is_alive()
            target.write_bytes(b"{}")
        second.join(60)
        assert waited, "the second request served the file while it was being made"
    finally:
        p.close()
