"""A build that fails at any step leaves the published site/ exactly as it was and no temporary folder behind.

Each test starts from a copy of one small project that has already been built (its site/ is "the
previously published site"), breaks one thing, builds, and compares site/ byte for byte:

- bad data (stops at the check, before anything is written);
- a broken page template; a broken mkdocs.yml, an unknown plugin, a missing ``--8<--`` snippet;
- the disk filling up while pages are written, and while MkDocs copies its files;
- the build killed mid-way (SIGKILL: the next build cleans up; SIGTERM: the build cleans up itself);
- two builds started at once: both finish, and site/ is what a single build makes.

The message for each is one line of Chinese without a Python traceback.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sandbox import ROOT, copy_sources, digests, leftovers

from generator.cli import main
from generator.site.build import TEMP_PREFIX, Progress, build, remove_leftovers
from generator.site.mkdocswords import collected
from generator.site.stamp import BUILD_STAMP

pytestmark = pytest.mark.slow

SHARED = ROOT / "tests" / "corpus" / "_shared"
AID = "shili-2017"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project (the corpus's shared rubric and results), built once."""
    root = copy_sources(tmp_path_factory.mktemp("published") / "project")
    shutil.copytree(SHARED, root, dirs_exist_ok=True)
    result = build(root, progress=Progress(quiet=True))
    assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
    assert leftovers(root) == []
    return root


@pytest.fixture
def project(published: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(published, root, symlinks=True)
    return root


@pytest.fixture
def before(project: Path) -> dict[str, str]:
    return digests(project / "site")


def cli_build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(root), "build", "-q"])
    return code, capsys.readouterr().err


def assert_untouched(root: Path, before: dict[str, str]) -> None:
    assert digests(root / "site") == before, "site/ 被改动了"
    assert leftovers(root) == [], leftovers(root)


def assert_one_clear_message(err: str, *needles: str) -> None:
    assert "Traceback" not in err and "内部错误" not in err, err
    assert "原来的 site/ 没有改动" in err, err
    for needle in needles:
        assert needle in err, err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Each step failing
# --------------------------------------------------------------------------------------------


def test_bad_data_stops_before_anything_is_written(
    project: Path, before: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    docs_before = digests(project / "docs")
    edit(project / "results" / AID / "entries.csv", "u02,2.2,,,2,", "u09,2.2,,,2,")
    code, err = cli_build(project, capsys)
    assert code == 1
    assert "单位代码「u09」不在单位名册中" in err and "网站没有生成；原来的 site/ 没有改动" in err, err
    assert_untouched(project, before)
    assert digests(project / "docs") == docs_before


def test_a_file_of_the_clerks_in_the_generated_folder_stops_the_build(
    project: Path, before: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/assessments/ is replaced whole by every build: an attachment saved beside the generated pages
    (or in its downloads/) would be deleted, git-ignored and unrecoverable. The build refuses instead, naming
    it; an office program's lock file and what the build wrote there are no reason to stop."""
    generated = project / "docs" / "assessments"
    mine = [generated / AID / "附件说明.md", generated / AID / "downloads" / "会议纪要.pdf", generated / "说明.txt"]
    for path in mine:
        path.write_text("本单位自己的文件", encoding="utf-8")
    (generated / AID / "units" / ".~lock.u01.xlsx#").write_text("lock", encoding="utf-8")
    (generated / AID / "Thumbs.db").write_bytes(b"\0")  # left by Windows Explorer on a share
    (generated / ".svn").mkdir()
    (generated / ".svn" / "entries").write_text("12", encoding="utf-8")
    docs_before = digests(project / "docs")
    code, err = cli_build(project, capsys)
    assert code == 1, err
    assert_one_clear_message(err, "是 kaoping 生成的文件夹，每次生成都整个替换", "docs/files/")
    for path in mine:
        assert f"{path.relative_to(project).as_posix()}: 错误：" in err, err
    assert ".~lock" not in err and "Thumbs.db" not in err and ".svn" not in err, err
    assert_untouched(project, before)
    assert digests(project / "docs") == docs_before
    # Moved out of the generated folder, as the message says: the build goes ahead.
    (project / "docs" / "files").mkdir()
    for path in mine:
        shutil.move(path, project / "docs" / "files" / path.name)
    code, err = cli_build(project, capsys)
    assert code == 0, err
    assert (project / "site" / "files" / "会议纪要.pdf").is_file()


def test_a_file_added_to_the_site_by_hand_stops_the_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """site/ is replaced whole too: a file the last build did not write there (a notice copied in for the web
    server, a link, a git checkout's folder) would be deleted. The build refuses instead, naming each; what
    Explorer or Finder leave in a folder they showed, and an office program's lock file, are no reason to stop."""
    site = project / "site"
    mine = [site / "通知.pdf", site / "files" / "名单.xlsx", site / ".git" / "HEAD"]
    for path in mine:
        path.parent.mkdir(exist_ok=True)
        path.write_text("本单位自己的文件", encoding="utf-8")
    (site / "首页.html").symlink_to(site / "index.html")
    for name in ("Thumbs.db", ".DS_Store", "~$名单.xlsx", "._通知.pdf", ".directory", "@eaDir/通知.pdf@SynoEAStream"):
        (site / name).parent.mkdir(exist_ok=True)
        (site / name).write_bytes(b"\0")
    site_before = digests(site)
    code, err = cli_build(project, capsys)
    assert code == 1, err
    assert_one_clear_message(err, "site/ 是 kaoping 生成的文件夹，每次生成都整个替换", "docs/files/")
    for path in [*mine, site / "首页.html"]:
        assert f"{path.relative_to(project).as_posix()}: 错误：" in err, err
    for left in ("Thumbs.db", ".DS_Store", "~$", "._", ".directory", "@eaDir"):
        assert left not in err, (left, err)
    assert digests(site) == site_before
    assert leftovers(project) == []
    # Moved into docs/files/, as the message says (the rest deleted): the build goes ahead and publishes it.
    (project / "docs" / "files").mkdir()
    shutil.move(site / "通知.pdf", project / "docs" / "files" / "通知.pdf")
    shutil.rmtree(site / "files")
    shutil.rmtree(site / ".git")
    (site / "首页.html").unlink()
    code, err = cli_build(project, capsys)
    assert code == 0, err
    assert (site / "files" / "通知.pdf").is_file()
    # The site as a build of the same sources makes it: no file of the last site is a reason to stop.
    code, err = cli_build(project, capsys)
    assert code == 0, err


def test_a_file_put_into_the_site_while_the_build_runs_is_not_deleted(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file saved into site/ after the build has looked (it runs for minutes at a province's size): the
    build looks again just before it replaces site/, and stops, naming it."""
    import generator.site.build as site_build

    compress = site_build.compress_site

    def meanwhile(*args: object, **kwargs: object) -> object:
        (project / "site" / "通知附件.txt").write_text("生成期间放进来的文件", encoding="utf-8")
        return compress(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site_build, "compress_site", meanwhile)
    before = digests(project / "site")
    code, err = cli_build(project, capsys)
    assert code == 1, err
    assert_one_clear_message(err, "生成期间有文件放进了 site/：site/通知附件.txt", "docs/files/")
    assert (project / "site" / "通知附件.txt").read_text(encoding="utf-8") == "生成期间放进来的文件"
    assert {k: v for k, v in digests(project / "site").items() if k != "通知附件.txt"} == before
    assert leftovers(project) == []


def test_templates_shared_by_several_projects_through_a_link_are_used(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """site_templates/ may be a link to a folder several projects share; a link in it leading out of it is
    refused as in the project's own."""
    shared = tmp_path / "shared_templates"
    shutil.move(project / "site_templates", shared)
    (project / "site_templates").symlink_to(shared)
    code, err = cli_build(project, capsys)
    assert code == 0, err
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETX", encoding="utf-8")
    (shared / "theme" / "leak.txt").symlink_to(secret)
    code, err = cli_build(project, capsys)
    assert code == 1, err
    assert "site_templates/theme/leak.txt: 错误：这是指向 site_templates/ 之外的链接" in err, err
    assert err.count("site_templates/theme/leak.txt: 错误") == 1, err  # (the theme folder is in it: once)
    # The shared folder not mounted: said so, not called a link out of the project.
    shutil.move(shared, tmp_path / "unmounted")
    code, err = cli_build(project, capsys)
    assert code == 1, err
    assert f"site_templates 是指向 {shared} 的链接，但那里没有文件夹" in err and "没有挂载" in err, err


def test_a_site_without_the_last_builds_list_of_files_does_not_stop_the_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the last build's list of its files (a site that MkDocs made, with no stamp of kaoping's), what
    was kaoping's cannot be told: the site is replaced whole, as it always was."""
    (project / "site" / BUILD_STAMP).unlink()
    (project / "site" / "mkdocs-made.html").write_text("<p>MkDocs</p>", encoding="utf-8")
    code, err = cli_build(project, capsys)
    assert code == 0, err
    assert not (project / "site" / "mkdocs-made.html").exists()


@pytest.mark.parametrize(
    ("template", "old", "new", "expected"),
    [
        ("unit.md.j2", "{{", "{% for x in %}{{", "页面模板 site_templates/unit.md.j2 第"),
        (
            "results.md.j2",
            "{{",
            "{{ ctx.no_such_field }}{{",
            "页面模板 site_templates/results.md.j2 第 4 行出错：没有名为 no_such_field 的数据",
        ),
        (
            "unit.md.j2",
            "{{",
            "{{ no_such_name }}{{",
            "页面模板 site_templates/unit.md.j2 第 3 行出错：没有名为 no_such_name 的数据",
        ),
        # Python's own errors in a template's expression, in the build's process and in a render worker.
        ("results.md.j2", "{{", '{{ "共" + 1 }}{{', "site_templates/results.md.j2 第 4 行出错：can only concat"),
        ("unit.md.j2", "{{", "{{ 1 // 0 }}{{", "site_templates/unit.md.j2 第 3 行出错：integer division or modulo"),
        # Jinja's syntax errors in words
        ("unit.md.j2", "{{", "{% if ctx %}{% endfor %}{{", "{% endfor %} 放错了地方：最近一个还没有结束的是 {% if %}"),
        ("results.md.j2", "{{", "{{ ctx | no_such_filter }}{{", "没有名为 no_such_filter 的过滤器"),
    ],
    ids=[
        "syntax",
        "undefined",
        "undefined-in-a-unit-page",
        "type-error",
        "division-in-a-unit-page",
        "unmatched-end",
        "unknown-filter",
    ],
)
def test_a_template_error(
    project: Path,
    before: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    template: str,
    old: str,
    new: str,
    expected: str,
) -> None:
    edit(project / "site_templates" / template, old, new)
    code, err = cli_build(project, capsys)
    assert code == 1
    assert_one_clear_message(err, expected)
    assert_untouched(project, before)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("mkdocs.yml", "site_name:", "site_name: [\n", "不是正确的 YAML"),
        ("mkdocs.yml", "plugins:\n", "plugins:\n  - no-such-plugin\n", "没有安装的插件 no-such-plugin"),
        ("docs/index.md", "# 党建工作考核", '# 党建工作考核\n\n--8<-- "docs/no-such-snippet.md"', "no-such-snippet.md"),
        # MkDocs' own warnings, which strict mode makes errors: said in kaoping's words, naming the file
        ("mkdocs.yml", "architecture.md", "architecture2.md", "nav）中写了 architecture2.md，docs/ 中没有这个文件"),
        ("docs/index.md", "# 党建工作考核", "# 党建工作考核\n\n![图](images/no.png)", "docs/index.md 中的链接或图片"),
        ("mkdocs.yml", "site_name:", "sitename: 考核\nsite_name:", "sitename 不是 MkDocs 认识的设置名称"),
    ],
    ids=["broken-yaml", "unknown-plugin", "missing-snippet", "nav-to-missing", "missing-image", "misspelt-setting"],
)
def test_a_mkdocs_error(
    project: Path,
    before: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    file: str,
    old: str,
    new: str,
    expected: str,
) -> None:
    edit(project / file, old, new)
    code, err = cli_build(project, capsys)
    assert code == 1
    assert_one_clear_message(err, expected)
    assert "strict mode" not in err and "Aborted" not in err, err
    assert_untouched(project, before)


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("gbk-template", "页面模板 site_templates/unit.md.j2 不是 UTF-8 编码"),
        ("gbk-macros", "页面模板 site_templates/_macros.j2 不是 UTF-8 编码"),
        ("deleted-template", "找不到页面模板 site_templates/results.md.j2"),
        ("gbk-page", "docs/reference/notice.md 不是 UTF-8 编码"),
    ],
)
def test_a_file_saved_in_another_encoding_or_gone(
    project: Path, before: dict[str, str], capsys: pytest.CaptureFixture[str], what: str, expected: str
) -> None:
    """As Windows tools leave them: a template or a page saved as GBK, a template deleted. Each is named, and
    said in kaoping's words (it was an internal error, or MkDocs' English naming nothing)."""
    files = {
        "gbk-template": "site_templates/unit.md.j2",
        "gbk-macros": "site_templates/_macros.j2",
        "deleted-template": "site_templates/results.md.j2",
        "gbk-page": "docs/reference/notice.md",
    }
    path = project / files[what]
    if what == "deleted-template":
        path.unlink()
    else:
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    code, err = cli_build(project, capsys)
    assert code == 1
    assert_one_clear_message(err, expected)
    assert "codec" not in err and "not found in search path" not in err, err
    assert_untouched(project, before)


def test_a_template_or_mkdocs_yml_saved_with_a_byte_order_mark_or_as_utf16_builds(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad's UTF-8 starts with a byte order mark, its "Unicode" is UTF-16: MkDocs reads either for
    mkdocs.yml, and the templates' mark is not published as an invisible character."""
    home = project / "site_templates" / "home.md.j2"
    home.write_bytes(b"\xef\xbb\xbf" + home.read_bytes())
    config = project / "mkdocs.yml"
    config.write_bytes(config.read_text(encoding="utf-8").encode("utf-16"))
    code, err = cli_build(project, capsys)
    assert code == 0, err
    assert "\ufeff" not in (project / "site" / "index.html").read_text(encoding="utf-8")


def no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "site/assessments/x.html")


@pytest.mark.parametrize(
    "target", ["generator.site.render.write", "shutil.copyfile"], ids=["rendering", "mkdocs-copying"]
)
def test_the_disk_fills_up(
    project: Path,
    before: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    monkeypatch.setattr(target, no_space)
    code, err = cli_build(project, capsys)
    monkeypatch.undo()
    assert code == 1
    assert_one_clear_message(err, "磁盘已满")
    assert_untouched(project, before)


# --------------------------------------------------------------------------------------------
# Killed mid-way, and two at once
# --------------------------------------------------------------------------------------------


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), "build", "-q"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_render(root: Path, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until the build has made its scratch folder (it renders pages into it, then runs MkDocs)."""
    deadline = time.monotonic() + timeout
    while not any((p / "docs").exists() for p in root.glob(TEMP_PREFIX + "*")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "生成没有开始"
        time.sleep(0.005)


def change_data(root: Path) -> None:
    """Data whose site differs from the published one, so that a build that got through would show."""
    edit(root / "results" / AID / "entries.csv", "党建台账资料不完整", "党建台账资料不完整（已复查）")


def test_killed_mid_way_then_the_next_build_cleans_up(project: Path, before: dict[str, str]) -> None:
    change_data(project)
    process = start_build(project)
    wait_for_render(project, process)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert digests(project / "site") == before, "被中止的生成改动了 site/"
    assert leftovers(project), "应留下被中止的临时目录（下一次生成清理它）"
    result = build(project, progress=Progress(quiet=True))
    assert result.ok
    assert leftovers(project) == []
    after = digests(project / "site")
    assert after != before and set(after) == set(before)


def test_stopped_with_sigterm_cleans_up_itself(project: Path, before: dict[str, str]) -> None:
    change_data(project)
    process = start_build(project)
    wait_for_render(project, process)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert b"Traceback" not in err, err.decode()
    assert_untouched(project, before)


class _StoppedInAFinalizer:
    """SIGTERM arriving while Python runs a finalizer: the KeyboardInterrupt its handler raises there is lost
    (Python reports it as unraisable and goes on)."""

    def __del__(self) -> None:
        signal.raise_signal(signal.SIGTERM)
        raise KeyboardInterrupt  # what the handler raises, should the signal be handled after this line


def test_stopped_with_sigterm_inside_a_finalizer_still_stops(
    project: Path, before: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import build as build_module

    compress = build_module.compress_site

    def compress_then_stop(*args: object, **kwargs: object) -> object:
        done = compress(*args, **kwargs)  # type: ignore[arg-type]
        _StoppedInAFinalizer()  # made and freed at once
        return done

    monkeypatch.setattr(build_module, "compress_site", compress_then_stop)
    change_data(project)
    code, err = cli_build(project, capsys)
    assert code == 130, err
    assert "已中断" in err and "Traceback" not in err, err
    assert_untouched(project, before)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the build's handler is gone again


def test_a_build_killed_between_its_two_renames_gets_its_site_back(project: Path, before: dict[str, str]) -> None:
    # swap_in moves site/ aside, then moves the new one in; killed in between, site/ sits in the scratch folder.
    scratch = project / f"{TEMP_PREFIX}99999"
    scratch.mkdir()
    os.replace(project / "site", scratch / "old-site")
    (scratch / "site").mkdir()
    remove_leftovers(project)
    assert_untouched(project, before)


def test_two_builds_at_once(project: Path, published: Path) -> None:
    shutil.rmtree(project / "site")
    first, second = start_build(project), start_build(project)
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    # The same site as a single build makes, but for the stamp of when it was built.
    made, single = digests(project / "site"), digests(published / "site")
    assert made.pop(BUILD_STAMP) and single.pop(BUILD_STAMP)
    assert made == single
    assert leftovers(project) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "<!-- kaoping:content -->\n",
            "",
            "单位页面模板 site_templates/unit.md.j2 缺少内容标记 <!-- kaoping:content -->",
        ),
        (
            '{{ front(ctx.head.name ~ " · " ~ ctx.rubric.year ~ "年度考核结果") }}\n',
            "",
            "单位页面模板 site_templates/unit.md.j2 生成的页面开头没有标题",
        ),
    ],
    ids=["content-marker", "front-matter"],
)
def test_a_unit_template_that_assembly_cannot_use(
    project: Path, before: dict[str, str], capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    edit(project / "site_templates" / "unit.md.j2", old, new)
    code, err = cli_build(project, capsys)
    assert code == 1
    assert_one_clear_message(err, expected, "恢复 site_templates/unit.md.j2 中的这一部分")
    assert_untouched(project, before)


def test_a_template_error_in_a_worker_process_names_the_template_and_line(project: Path, tmp_path: Path) -> None:
    # Past 2 × CHUNK units the unit pages are rendered by forked workers, whose tracebacks (and with
    # them the template's line) do not reach the parent: the worker puts the error into words itself.
    from generator.data.pipeline import prepare
    from generator.site import views
    from generator.site.render import UnitPages, render_units
    from generator.site.template_errors import TemplateFailure
    from generator.site.workers import CHUNK

    prepared = prepare(project)
    outcome = prepared.outcomes[AID]
    edit(project / "site_templates" / "unit.md.j2", "{{", "{{ ctx.no_such_field }}{{")
    pages = UnitPages(views.ordered(prepared.outcomes), prepared.project.notices, project / "site_templates")
    many = [(AID, outcome.units[0])] * (2 * CHUNK + 1)
    with pytest.raises(TemplateFailure) as failure:
        render_units(pages, tmp_path / "out", many, 2, lambda *_: None)
    said = "页面模板 site_templates/unit.md.j2 第 3 行出错：没有名为 no_such_field 的数据。"
    assert str(failure.value).startswith(said)


def test_settings_mkdocs_would_pass_over_are_warned_of(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second nav: appended at the end of mkdocs.yml drops the whole menu, and a site_dir elsewhere is not
    where the build writes: MkDocs takes both without a word. The build goes on, and says where each is."""
    config = project / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("nav:")) + 1
    config.write_text("\n".join([*lines, "nav:", "  - index.md", "site_dir: /srv/www", ""]), encoding="utf-8")
    code, err = cli_build(project, capsys)
    assert code == 0, err
    assert f"mkdocs.yml:{len(lines) + 1}:1: 警告：nav 写了两次（第一次在第 {first} 行）" in err, err
    assert f"mkdocs.yml:{len(lines) + 3}:1: 警告：site_dir 写的是 /srv/www" in err, err
    assert (project / "site" / "index.html").is_file()


def test_an_error_beside_mkdocs_warnings_is_said_too(
    project: Path, before: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken link (a warning, which does not stop a --no-strict build) and a theme template MkDocs cannot
    read: the build stops for the template, and says so besides the warning."""
    edit(project / "docs" / "index.md", "# 党建工作考核", "# 党建工作考核\n\n[x](nowhere.md)")
    theme = project / "site_templates" / "theme" / "404.html"
    theme.write_text('{% extends "main.html" %}{% block content %}{{ 1 + }}{% endblock %}', encoding="utf-8")
    code = main(["--root", str(project), "build", "-q", "--no-strict"])
    err = capsys.readouterr().err
    assert code == 1
    assert_one_clear_message(err, "docs/index.md 中的链接或图片 nowhere.md", "TemplateSyntaxError")
    assert_untouched(project, before)


def test_mkdocs_warnings_are_said_at_every_build_that_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--no-strict: the warning at every build (MkDocs' output is not kept while it warns), said once, and
    MkDocs' log is left as it was."""
    handlers = list(logging.getLogger("mkdocs").handlers)
    edit(project / "docs" / "index.md", "# 党建工作考核", "# 党建工作考核\n\n[x](nowhere.md)")
    for _ in range(2):
        code = main(["--root", str(project), "build", "-q", "--no-strict"])
        err = capsys.readouterr().err
        assert code == 0, err
        assert err.count("MkDocs 的警告：docs/index.md 中的链接或图片 nowhere.md 指向的文件不存在") == 1, err
    assert logging.getLogger("mkdocs").handlers == handlers


def test_only_the_building_threads_mkdocs_records_are_said() -> None:
    """The preview's server logs each request that did not succeed (a client's path in it) from its own
    threads while a rebuild runs: not taken for the rebuild's problems."""
    with collected() as said:
        logging.getLogger("mkdocs.structure.pages").warning("Encoding error reading file: a.md")
        for name in ("mkdocs.livereload", "mkdocs.structure.pages"):
            line = '"GET /\x1b[31m HTTP/1.1" code 404'
            other = threading.Thread(target=logging.getLogger(name).warning, args=(line,))
            other.start()
            other.join()
        logging.getLogger("mkdocs.livereload").warning('"GET /x HTTP/1.1" code 404')
    assert [r.getMessage() for r in said] == ["Encoding error reading file: a.md"]


def test_a_page_name_too_long_for_the_site_names_the_page(
    project: Path, before: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/files/<83 Chinese characters>.md fits the disk (252 bytes), its page's .html.gz does not (257): the
    message names the page in docs/ to rename, not a file in the build's scratch folder."""
    name = "关" * 83
    (project / "docs" / "files").mkdir(parents=True, exist_ok=True)
    (project / "docs" / "files" / f"{name}.md").write_text("# 通知\n", encoding="utf-8")
    code, err = cli_build(project, capsys)
    assert code == 1
    assert_one_clear_message(err, "文件名或路径太长", f"由 docs/files/{name}.md 生成：把这个页面的文件名改短")
    assert TEMP_PREFIX not in err, err
    assert_untouched(project, before)
