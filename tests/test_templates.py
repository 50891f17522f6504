"""Every page template, rendered from its context object: structure, numbers, and hostile data.

The data is a small inline rubric with four units run through the pipeline (load → check → score);
each page is rendered with the project's Renderer (StrictUndefined, autoescaping) and parsed, so the
assertions are about elements and their text, not about substrings of the output.

Worked numbers (every item is scored down from its maximum):

| unit | type | 1 三会一课 (40) | 2 中心组 (20) | 3 主题党日 (20) | c2 (40) | ind. | bon. | pen. | tot. | rank | grade |
| ---- | ---- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| h1 | 党委 | 40 − 6 = 34 | 20 | 不适用 | 40 | 94 | | | 94 | 3 | 达标 (below 95: not advanced) |
| u2 | 党支部 | 40 − 2 = 38 | 不适用 | 20 | 40 | 98 | 5 | | 103 | 1 | 达标 (veto: not advanced) |
| u3 | 党支部 | 40 | 不适用 | 20 | 40 | 100 | | 2 | 98 | 2 | 先进单位 |
| u4 | 党支部 | 40 | 不适用 | 20 | 40 − 25 = 15 | 75 | | | 75 | 4 | 未达标 |
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
from conftest_site import ROOT, Element, copy_project, parse_html, split_front_matter
from helpers import AID, csv_text, entries_csv, rubric_text, units_csv, write_project

from generator.data.pipeline import Prepared, prepare
from generator.engine.exact import fmt
from generator.engine.models import GRADE_ORDER
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.engine.wording import all_words
from generator.site import views
from generator.site.build import Progress, build
from generator.site.render import Renderer, render_site
from generator.site.views.office import letter_context, office_context

pytestmark = pytest.mark.slow

TEMPLATES = ROOT / "site_templates"

TYPES = """\
unit_types:
  - {id: committee, name: 党委, full_marks: 100}
  - {id: branch, name: 党支部, full_marks: 100}
"""

RUBRIC = rubric_text(
    """
    indicators:
      - id: c1
        title: 组织建设
        points: 60
        children:
          - id: "1"
            title: 三会一课
            points: 40
            content: 严格落实“三会一课”制度。
            standard: 每缺一次扣1分；落实不到位视情况扣1～3分。
            rules:
              - {id: a, kind: per_occurrence, per: 1, text: 每缺一次扣1分}
              - {id: b, kind: range, min: 1, max: 3, text: 落实不到位视情况扣1～3分}
          - {id: "2", title: 党委中心组学习, points: 20, not_applicable_to: [branch], rules: [{kind: range}]}
          - {id: "3", title: 支部主题党日, points: 20, applies_to: [branch], rules: [{kind: range}]}
      - {id: c2, title: 党风廉政, points: 40, rules: [{kind: range}]}
    bonus:
      cap: 10
      items:
        - id: honours
          title: 荣誉
          levels:
            - {id: national, name: 国家级, points: 5}
    penalties:
      - {id: criticism, name: 通报批评, min: 1, max: 3}
    vetoes:
      effect: no_advanced
      events:
        - {id: v1, name: 发生重大安全事故的}
    grading:
      method: threshold
      bands:
        - {grade: pass, min: 90}
        - {grade: basic_pass, min: 80}
        - {grade: fail}
      advanced: threshold
      advanced_min_score: 95
    """,
    types=TYPES,
)

HOSTILE_NAME = "<script>alert(1)</script>"
#: Reasons an office might paste in, each trying to become markup or code somewhere down the line:
#: Jinja (``{{ }}`` and ``{% %}``), Markdown (links, emphasis, snippets). (Control characters never get
#: this far: they are refused when the results are read, see tests/corpus.)
HOSTILE_REASONS = (
    "{{ 7*7 }}",
    "{% raw %}",
    "[x](javascript:alert(1))",
    "**bold**",
    "响铃\\x07字符",  # an escape typed as text stays text
    '--8<-- "/etc/passwd"',
)
#: As they must read on the page: exactly as typed.
SHOWN_REASONS = HOSTILE_REASONS
NOTICE_TITLE = "关于<b>2017年度</b>党建工作考核结果的通报"


def cell(text: str) -> str:
    """A CSV cell, quoted."""
    return '"' + text.replace('"', '""') + '"'


ROSTER = units_csv(
    f"h1,{cell(HOSTILE_NAME)},committee,已考核",
    "u2,第二党支部,branch,已考核",
    "u3,第三党支部,branch,已考核",
    "u4,第四党支部,branch,已考核",
)
FILES: dict[str, str | bytes] = {
    "units.csv": ROSTER,
    "entries.csv": entries_csv(
        *(f"h1,1,a,1,,{cell(r)}" for r in HOSTILE_REASONS),
        "u2,1,a,2,,全年少开两次支委会",
        "u4,c2,,,25,廉政教育未开展",
    ),
    "self_scores.csv": csv_text("unit,item,score", "h1,1,38"),
    "bonus.csv": csv_text(
        "unit,bonus,level,subject,evidence", "u2,honours,national,全国先进基层党组织,中组发〔2017〕1号"
    ),
    "penalties.csv": csv_text("unit,penalty,amount,reason", "u3,criticism,2,被市委通报批评"),
    "vetoes.csv": csv_text("unit,veto,reason", "u2,v1,发生一起安全事故"),
    "letters.csv": csv_text(
        "id,kind,unit,date,finding,answer", "2017-01,意见书,u2,2017-06-01,<b>记录</b>不全{{ x }},已整改"
    ),
    "notice.yml": (f"issuer: 测试机关\ntitle: '{NOTICE_TITLE}'\nrecipients: 各党组织：\ndate: 2018-01-10\n"),
}


@dataclass
class Rendered:
    prepared: Prepared
    outcome: AssessmentOutcome
    #: Page name (``home``, ``unit:h1`` …) → the template's output.
    pages: dict[str, str]

    def unit(self, uid: str) -> UnitOutcome:
        return self.outcome.by_unit()[uid]

    def body(self, name: str) -> Element:
        return parse_html(split_front_matter(self.pages[name])[1])

    def meta(self, name: str) -> dict[str, object]:
        return split_front_matter(self.pages[name])[0]


def render_all(prepared: Prepared, show_self_scores: bool = True) -> dict[str, str]:
    """Every template from its context object, as render.render_site does."""
    renderer = Renderer(TEMPLATES)
    outcome = prepared.outcomes[AID]
    notice = prepared.project.notices.get(AID)
    outcomes, notices = prepared.outcomes, prepared.project.notices
    history = views.History(outcomes)
    stats = views.pool_stats(outcome)
    pages = {
        "home": renderer.render("home.md.j2", views.home_context(outcomes, notices)),
        "years": renderer.render("years.md.j2", views.years_context(outcomes, notices)),
        "overview": renderer.render("overview.md.j2", views.overview_context(outcome, notice, outcomes, notices)),
        "standards": renderer.render("standards.md.j2", views.standards_context(outcome.rubric)),
        "results": renderer.render("results.md.j2", views.results_context(outcome, history, notice)),
    }
    if notice is not None:
        pages["notice"] = renderer.render("notice.md.j2", views.notice_context(outcome, notice))
    for u in outcome.units:
        ctx = views.unit_context(outcome, u, stats, history, notice, show_self_scores)
        pages[f"unit:{u.unit.id}"] = renderer.render_unit(ctx)
    pages["office"] = renderer.render("year.md.j2", office_context(outcome))
    assert outcome.year is not None
    pages["letter"] = renderer.render("letter.md.j2", letter_context(outcome, outcome.year.records.letters[0]))
    return pages


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = write_project(tmp_path_factory.mktemp("templates"), RUBRIC, FILES)
    prepared = prepare(root)
    assert not prepared.problems.has_errors(), [str(p) for p in prepared.problems.sorted()]
    return prepared


@pytest.fixture(scope="module")
def rendered(prepared: Prepared) -> Rendered:
    return Rendered(prepared, prepared.outcomes[AID], render_all(prepared))


def walk_outcomes(nodes: tuple[NodeOutcome, ...]) -> Iterator[NodeOutcome]:
    for n in nodes:
        yield n
        yield from walk_outcomes(n.children)


def texts(elements: list[Element]) -> list[str]:
    return [e.text().strip() for e in elements]


def stats(page: Element) -> dict[str, str]:
    """The unit page's header: label → value (综合得分, 名次, 等次)."""
    out = {}
    for s in page.find_all("div", "kp-stat"):
        out[s.find(cls="kp-stat__label").text()] = s.find(cls="kp-stat__value").text().strip()
    return out


def item_rows(page: Element) -> list[Element]:
    """Every row of the unit's whole table: one table per part (一级指标), in order."""
    return [tr for table in page.find_all("table", "kp-items") for tr in table.find("tbody").find_all("tr")]


def header_cells(page: Element) -> list[str]:
    return texts(page.find("table", "kp-items").find("thead").find("tr").cells())


# --------------------------------------------------------------------------------------------
# Every template
# --------------------------------------------------------------------------------------------

#: Template → a page rendered from it in ``render_all``.
PAGE_OF_TEMPLATE = {
    "home.md.j2": "home",
    "years.md.j2": "years",
    "overview.md.j2": "overview",
    "standards.md.j2": "standards",
    "results.md.j2": "results",
    "unit.md.j2": "unit:h1",
    "notice.md.j2": "notice",
    "year.md.j2": "office",
    "letter.md.j2": "letter",
}


def test_every_template_is_rendered(rendered: Rendered) -> None:
    on_disk = {p.name for p in TEMPLATES.glob("*.j2") if not p.name.startswith("_")}
    assert on_disk == set(PAGE_OF_TEMPLATE), "每个页面模板都要在本文件中渲染一次"
    for template, page in PAGE_OF_TEMPLATE.items():
        text = rendered.pages[page]
        body = rendered.body(page)
        assert body.find_all(), f"{template} 没有输出任何 HTML"
        assert "\x00" not in text
        if template != "home.md.j2":  # the home page is a fragment included into docs/index.md
            assert isinstance(rendered.meta(page).get("title"), str), f"{template} 没有标题"


def test_strict_undefined_catches_a_missing_field(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("{{ ctx.nothing }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        Renderer(tmp_path).render("t.j2", views.YearsContext("x.md", ()))


# --------------------------------------------------------------------------------------------
# Unit page
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uid", "total", "rank", "grade"),
    [
        ("h1", "94", "3 / 4", "达标"),
        ("u2", "103", "1 / 4", "达标"),
        ("u3", "98", "2 / 4", "先进单位"),
        ("u4", "75", "4 / 4", "未达标"),
    ],
)
def test_unit_page_shows_total_rank_grade_and_reasons(
    rendered: Rendered, uid: str, total: str, rank: str, grade: str
) -> None:
    page = rendered.body(f"unit:{uid}")
    u = rendered.unit(uid)
    assert page.find("h1", id="unit").text() == u.unit.name
    assert stats(page) == {"综合得分": total, "名次": rank, "等次": grade}
    # the engine agrees with the hand-worked table above
    assert (fmt(u.score.total), f"{u.standing.rank} / {u.standing.pool_size}", u.standing.label) == (total, rank, grade)
    assert texts(page.find("ul", "kp-reasons").find_all("li")) == list(all_words(u.standing.reasons))


def test_unit_page_has_a_row_per_item_with_not_applicable(rendered: Rendered) -> None:
    for u in rendered.outcome.units:
        page = rendered.body(f"unit:{u.unit.id}")
        rows = item_rows(page)
        nodes = list(walk_outcomes(u.score.categories))
        assert [r.cells()[0].text() for r in rows] == [n.id for n in nodes] == ["c1", "1", "2", "3", "c2"]
        for row, n in zip(rows, nodes, strict=True):
            cells = row.cells()
            assert cells[1].text().strip() == n.node.title
            if n.applicable:
                assert "kp-na" not in row.classes
                points, lost, score = (c.text() for c in cells[2:5])
                assert (points, lost, score) == (fmt(n.points), fmt(n.lost) if n.lost else "", fmt(n.score))
            else:
                assert "kp-na" in row.classes
                assert cells[2].text() == "不适用" and cells[2].get("colspan") == "3"
    # 2 does not apply to 党支部, 3 only to 党支部
    na = {
        u.unit.id: [r.cells()[0].text() for r in item_rows(rendered.body(f"unit:{u.unit.id}")) if "kp-na" in r.classes]
        for u in rendered.outcome.units
    }
    assert na == {"h1": ["3"], "u2": ["2"], "u3": ["2"], "u4": ["2"]}
    h1 = {r.cells()[0].text(): r for r in item_rows(rendered.body("unit:h1"))}
    assert [c.text() for c in h1["1"].cells()[2:5]] == ["40", "6", "34"]
    assert [c.text() for c in h1["c1"].cells()[2:5]] == ["60", "6", "54"]


def test_self_score_column_only_when_given(rendered: Rendered, prepared: Prepared) -> None:
    with_self = rendered.body("unit:h1")
    assert "自查分" in header_cells(with_self)
    column = header_cells(with_self).index("自查分")
    rows = {r.cells()[0].text(): r for r in item_rows(with_self)}
    # the not-applicable cell spans 分值, 扣分, 得分
    assert rows["1"].cells()[column].text() == "38"
    assert rows["c2"].cells()[column].text() == ""

    without = parse_html(split_front_matter(render_all(prepared, show_self_scores=False)["unit:h1"])[1])
    assert "自查分" not in header_cells(without)
    width = len(header_cells(without))
    for row in item_rows(without):
        assert sum(int(c.get("colspan") or 1) for c in row.cells()) == width


def test_render_site_adds_the_self_score_column_only_for_data_with_self_scores(
    prepared: Prepared, tmp_path: Path
) -> None:
    def unit_header(root: Path, files: dict[str, str | bytes]) -> list[str]:
        data = prepare(write_project(root, RUBRIC, files))
        rubrics = [r for r, _ in data.project.rubrics.values()]
        render_site(rubrics, data.outcomes, data.project.notices, TEMPLATES, root / "docs")
        text = (root / "docs" / "assessments" / AID / "units" / "u2.md").read_text(encoding="utf-8")
        return header_cells(parse_html(split_front_matter(text)[1]))

    assert "自查分" in unit_header(tmp_path / "with", FILES)
    no_self = {k: v for k, v in FILES.items() if k != "self_scores.csv"}
    assert "自查分" not in unit_header(tmp_path / "without", no_self)


def test_bonus_penalty_and_veto_lines(rendered: Rendered) -> None:
    u2 = rendered.body("unit:u2")
    vetoes = u2.find("h2", id="vetoes").following(lambda e: e.tag == "ul")
    assert texts(vetoes.find_all("li")) == ["发生重大安全事故的（不得评为先进）：发生一起安全事故"]
    bonus = u2.find("h2", id="bonus").following(lambda e: e.tag == "table")
    [row] = bonus.find("tbody").find_all("tr")
    assert texts(row.cells()) == ["荣誉", "全国先进基层党组织（中组发〔2017〕1号）", "国家级", "", "5", ""]
    assert any(p.text() == "加分合计：5 分" for p in u2.find_all("p"))
    assert not u2.find_all(id="penalties")

    u3 = rendered.body("unit:u3")
    penalties = u3.find("h2", id="penalties").following(lambda e: e.tag == "ul")
    assert texts(penalties.find_all("li")) == ["通报批评：扣 2 分。被市委通报批评"]
    assert not u3.find_all(id="bonus") and not u3.find_all(id="vetoes")

    h1 = rendered.body("unit:h1")
    assert not h1.find_all(id="bonus") and not h1.find_all(id="penalties") and not h1.find_all(id="vetoes")


@pytest.mark.parametrize(
    ("uid", "lines"),
    [
        ("h1", [("指标得分", "94 分（满分 100 分）"), ("综合得分", "94 分")]),
        ("u2", [("指标得分", "98 分（满分 100 分）"), ("加分", "+ 5"), ("综合得分", "98 + 5 = 103")]),
        ("u3", [("指标得分", "100 分（满分 100 分）"), ("扣分因素", "− 2"), ("综合得分", "100 − 2 = 98")]),
    ],
)
def test_the_formula(rendered: Rendered, uid: str, lines: list[tuple[str, str]]) -> None:
    formula = rendered.body(f"unit:{uid}").find("dl", "kp-formula")
    terms = [e for e in formula.children if isinstance(e, Element)]
    pairs = [(terms[i].text(), terms[i + 1].text()) for i in range(0, len(terms), 2)]
    assert [t.tag for t in terms] == ["dt", "dd"] * len(lines)
    assert pairs == lines


def test_links_to_standards_anchors_exist_on_the_standards_page(rendered: Rendered) -> None:
    standards = rendered.body("standards")
    ids = {e.get("id") for e in standards.iter() if e.get("id")}
    linked = set()
    for u in rendered.outcome.units:
        for a in rendered.body(f"unit:{u.unit.id}").find_all("a"):
            href = a.get("href")
            if href.startswith("../standards.html#"):
                linked.add(href.split("#", 1)[1])
    assert linked == {"n-c1", "n-1", "n-2", "n-3", "n-c2"}
    assert linked <= ids
    heading = standards.find(id="n-1")
    assert heading.tag == "h3" and "三会一课" in heading.text()


def test_notice_lists_units_by_grade_in_rank_order(rendered: Rendered) -> None:
    notice = rendered.body("notice")
    groups: list[tuple[str, list[str]]] = []
    for p in notice.find("article", "kp-notice").find_all("p", "kp-notice__p"):
        if "kp-notice__h1" in p.classes:
            groups.append((p.text(), []))
        elif groups and not groups[-1][1]:
            groups[-1][1].extend(p.text().split("、"))
    assert groups == [
        ("一、先进单位（1 个）", ["第三党支部"]),
        ("二、达标（2 个）", ["第二党支部", HOSTILE_NAME]),
        ("三、未达标（1 个）", ["第四党支部"]),
    ]
    # the same from the engine: by grade, then by rank
    ranked = sorted(rendered.outcome.units, key=lambda u: u.standing.rank or 0)
    by_grade = [[u.unit.name for u in ranked if u.standing.grade == g] for g in GRADE_ORDER]
    assert [names for names in by_grade if names] == [names for _, names in groups]


def test_results_page_ranks_every_unit(rendered: Rendered) -> None:
    table = rendered.body("results").find("table", "kp-ranking")
    rows = table.find("tbody").find_all("tr")
    assert [r.get("data-name") for r in rows] == ["第二党支部", "第三党支部", HOSTILE_NAME, "第四党支部"]
    assert [r.cells()[0].text() for r in rows] == ["1", "2", "3", "4"]
    assert [r.find("a").get("href") for r in rows] == [
        "units/u2.html",
        "units/u3.html",
        "units/h1.html",
        "units/u4.html",
    ]
    total = texts(table.find("thead").find_all("th")).index("综合得分")
    assert [r.cells()[total].text() for r in rows] == ["103", "98", "94", "75"]


# --------------------------------------------------------------------------------------------
# Hostile data: inert text, never markup, never evaluated
# --------------------------------------------------------------------------------------------


def assert_inert(page: Element, raw: str) -> None:
    """Nothing in the data became an element, a link, emphasis, or an evaluated expression."""
    assert not page.find_all("script")
    assert not page.find_all("strong") and not page.find_all("em") and not page.find_all("b")
    assert not [a for a in page.find_all("a") if a.get("href").lower().startswith("javascript:")]
    assert "49" not in page.text()
    # Braces and angle brackets leave the template as entities: nothing later (Markdown, snippets,
    # a second template pass) can read them as syntax.
    body = split_front_matter(raw)[1]
    for syntax in ("{{", "{%", "<script", "<b>", "--8<--"):
        assert syntax not in body


def test_hostile_reasons_are_inert_text(rendered: Rendered) -> None:
    page = rendered.body("unit:h1")
    assert_inert(page, rendered.pages["unit:h1"])
    reasons = texts(page.find_all("span", "kp-rule__reason"))
    assert reasons == list(SHOWN_REASONS)


def test_hostile_unit_name_is_inert_everywhere(rendered: Rendered) -> None:
    for name in ("unit:h1", "results", "notice"):
        page = rendered.body(name)
        assert_inert(page, rendered.pages[name])
        assert HOSTILE_NAME in page.text()
    assert rendered.body("unit:h1").find("h1").text() == HOSTILE_NAME


def test_front_matter_titles_are_escaped(rendered: Rendered) -> None:
    # Material writes the title into <title> and the header without escaping it, so it is
    # escaped here once, and the YAML string stays one line.
    assert rendered.meta("unit:h1")["title"] == "&lt;script&gt;alert(1)&lt;/script&gt; · 2017年度考核结果"
    assert rendered.meta("notice")["title"] == "关于&lt;b&gt;2017年度&lt;/b&gt;党建工作考核结果的通报"
    assert rendered.body("notice").find("h1").text() == NOTICE_TITLE


def test_hostile_data_is_inert_in_the_built_html(tmp_path: Path) -> None:
    """The same data through Markdown and MkDocs: the published HTML shows it as text."""
    root = copy_project(tmp_path / "project", data=False)
    write_project(root, RUBRIC, FILES)
    result = build(root, progress=Progress(quiet=True))
    assert result.ok, [str(p) for p in result.problems.sorted()]
    site = root / "site" / "assessments" / AID
    unit_html = (site / "units" / "h1.html").read_text(encoding="utf-8")
    page = parse_html(unit_html)
    assert page.find("title").text() == f"{HOSTILE_NAME} · 2017年度考核结果 - 党建工作考核"
    content = page.find("article", "md-content__inner")
    assert content.find("h1", id="unit").text() == HOSTILE_NAME
    assert texts(content.find_all("span", "kp-rule__reason")) == list(SHOWN_REASONS)
    for html_file in (site / "units" / "h1.html", site / "results.html", site / "notice.html"):
        doc = parse_html(html_file.read_text(encoding="utf-8"))
        article = doc.find("article", "md-content__inner")
        assert not article.find_all("script")
        assert not article.find_all("strong") and not article.find_all("em")
        assert not [a for a in article.find_all("a") if a.get("href").lower().startswith("javascript:")]
        assert "49" not in article.text()
        assert not [s for s in doc.find_all("script") if "alert(1)" in s.text()]
        assert "root:" not in doc.text()  # /etc/passwd was not included
    assert (
        parse_html((site / "notice.html").read_text(encoding="utf-8")).find("h1", "kp-notice__title").text()
        == NOTICE_TITLE
    )


@pytest.mark.parametrize(
    "text",
    [
        "市财政局第1机关党委",
        "a & b < c > d \" e ' f",
        "{{ 7 * 7 }} {% raw %}",
        "<script>alert(1)</script>",
        "行一\u2028行二\x00\x1b\x7f",
        "&amp; 已是实体",
        "".join(chr(c) for c in range(32, 127)),
        "",
    ],
)
def test_every_text_a_template_outputs_is_escaped_as_escape_text_escapes_it(tmp_path: Path, text: str) -> None:
    """Text without braces or control characters is left to Jinja's own escaping (made in C): the bytes
    must be those of escape_text all the same, a str subclass too, and Markup is left as it is."""
    from markupsafe import Markup

    from generator.site.render import escape_text, make_environment

    class Named(str):
        pass

    (tmp_path / "t.j2").write_text("[{{ v }}]", encoding="utf-8")
    template = make_environment(tmp_path).get_template("t.j2")
    assert template.render(v=text) == f"[{escape_text(text)}]"
    assert template.render(v=Named(text)) == f"[{escape_text(text)}]"
    assert template.render(v=Markup("<b>粗</b>")) == "[<b>粗</b>]"
