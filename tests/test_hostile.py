"""Hostile input end to end: data is shown as plain text everywhere, ids cannot become paths, secrets stay home.

One project is built from data whose every text field (unit names, reasons, bonus subjects, notice
fields, rubric text) carries HTML, Markdown, Jinja and MkDocs-macros syntax, ``javascript:`` links,
``--8<--`` snippet syntax and spreadsheet formulas, and whose every internal column holds a planted
secret. Then every file of the built site is searched:

- no page has a ``<script>``, ``<img>``, event handler or ``javascript:`` link that came from data, and
  each payload reads back exactly as it was written (``{{ 7*7 }}`` never became ``49``);
- the search index holds the payloads as escaped text;
- JSON keeps the text as text; CSV and XLSX cells starting with ``=`` ``+`` ``-`` ``@`` are prefixed
  with ``'`` (a bare number such as ``-2`` is not a formula and stays as it is);
- no file, compressed or not, holds a secret.

Refused before anything is written, with the message and exit status of ``kaoping build``, the site
and the generated pages left byte for byte as they were:

- unit and assessment ids that would become unsafe paths;
- control, bidirectional and zero-width characters in any text field (a unit name that shows another
  score);
- links out of the project under ``results/`` and ``docs/``, FIFOs and devices: the file a link points
  to is never opened (an audit hook records every file the program opens), a FIFO never blocks.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import html
import io
import json
import os
import re
import shutil
import stat
import sys
import threading
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from sandbox import copy_sources, leftovers, write_files

from generator.cli import EXIT_DATA, main
from generator.site.build import BuildResult, Progress, build

pytestmark = pytest.mark.slow

AID = "hostile-2017"
SCRIPT = "<script>alert('x')</script>"
IMG = "<img src=x onerror=alert(1)>"
MARKDOWN = "**粗体** _斜体_ [点我](javascript:alert(1)) <https://evil.example/> ![图](x.png) # 标题"
#: Each payload between two markers that appear nowhere else: what reads back between them must be it.
MARKED: dict[str, tuple[str, str, str]] = {
    "script": ("⓵", SCRIPT, "⓶"),
    "img": ("⓷", IMG, "⓸"),
    "markdown": ("⓹", MARKDOWN, "⓺"),
    "jinja": ("❶", "{{ 7*7 }}", "❷"),
    "config": ("❸", "{{ config }}", "❹"),
    "loop": ("❺", "{% for x in range(3) %}循环{% endfor %}", "❻"),
    "macros": ("❼", "{{ macros_info() }}{% include 'mkdocs.yml' %}", "❽"),
    "link": ("❾", "javascript:alert(document.cookie)", "❿"),
    "snippet": ("⓻", '--8<-- "mkdocs.yml"', "⓼"),
}
FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1", "-2", "@SUM(A1:A9)"]
SECRETS = ("SECRETX7391", "13987654321", "机密甲乙丙")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def hostile(label: str) -> str:
    """``label`` followed by every payload."""
    return label + "".join(a + p + b for a, p, b in MARKED.values()) + "尾"


def secret(column: str) -> str:
    return f"{SECRETS[0]}-{column} {SECRETS[1]} {SECRETS[2]}"


# --------------------------------------------------------------------------------------------
# The hostile project
# --------------------------------------------------------------------------------------------


def rubric() -> dict[str, Any]:
    return {
        "id": AID,
        "title": hostile("考核细则"),
        "year": 2017,
        "issuer": hostile("机关"),
        "summary": hostile("简介"),
        "notes": [hostile("说明")],
        "unit_types": [
            {"id": "committee", "name": hostile("党委"), "full_marks": 100},
            {"id": "branch", "name": "党支部", "full_marks": 100},
        ],
        "defaults": {"item_floor": 0},
        "indicators": [
            {
                "id": "1",
                "title": FORMULAS[0],
                "points": 40,
                "content": hostile("内容"),
                "standard": hostile("标准"),
                "assessor": hostile("考核单位"),
                "children": [
                    {
                        "id": "1.1",
                        "title": hostile("指标"),
                        "points": 20,
                        "standard": hostile("评分标准"),
                        "rules": [{"kind": "per_occurrence", "per": 1, "text": hostile("规则")}],
                    },
                    {
                        "id": "1.2",
                        "title": FORMULAS[1],
                        "points": 20,
                        "rules": [{"kind": "range", "max": 5, "text": hostile("酌情")}],
                    },
                ],
            },
            {
                "id": "2",
                "title": hostile("类别"),
                "points": 60,
                "rules": [
                    {"kind": "per_element", "per": 2, "elements": ["党旗", "誓词"]},
                    {"id": "f", "kind": "fixed", "deduct": 3, "text": FORMULAS[3]},
                ],
            },
        ],
        "bonus": {
            "standard": hostile("加分总则"),
            "cap": 10,
            "items": [
                {
                    "id": "honours",
                    "title": hostile("表彰"),
                    "standard": hostile("加分标准"),
                    "same_subject_once": True,
                    "levels": [
                        {"id": "province", "name": "-2省级", "points": 3},
                        {"id": "city", "name": hostile("市级"), "points": 2},
                    ],
                },
            ],
        },
        "penalties": [{"id": "fraud", "name": hostile("弄虚作假"), "standard": hostile("原文"), "min": 1, "max": 5}],
        "vetoes": {
            "standard": hostile("否决总则"),
            "effect": "no_advanced",
            "events": [{"id": "v1", "name": FORMULAS[3]}, {"id": "v2", "name": hostile("事故")}],
        },
        "parts": [
            {"id": "year_end", "name": hostile("年终"), "weight": "70%", "source": "rubric"},
            {
                "id": "routine",
                "name": "=平时考核",
                "weight": "30%",
                "source": "entered",
                "full": 100,
                "note": hostile("平时"),
            },
        ],
        "ranking": {"within": "group", "ties": hostile("并列")},
        "grading": {
            "method": "threshold",
            "standard": hostile("等次原文"),
            "advanced": "decision",
            "labels": {"advanced": hostile("先进"), "fail": "-未达标"},
            "bands": [{"grade": "pass", "min": 80}, {"grade": "fail"}],
            "note": hostile("等次说明"),
        },
        "consequences": [{"text": hostile("后果")}],
    }


def notice() -> dict[str, Any]:
    return {
        "issuer": hostile("发文机关"),
        "masthead": hostile("红头"),
        "number": hostile("文号"),
        "title": hostile("通报标题"),
        "recipients": hostile("主送"),
        "date": "2018-01-20",
        "opening": [hostile("开头")],
        "closing": [hostile("结尾"), FORMULAS[0]],
        "publicity": {
            "start": "2018-01-21",
            "end": "2018-01-27",
            "contact": hostile("受理"),
            "phone": hostile("电话"),
            "address": hostile("地址"),
        },
        "copy_to": [hostile("抄送")],
        "printed_by": hostile("印发"),
        "printed_date": "2018-01-21",
        "show_scores": True,
    }


def table(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


#: Unit names: each formula start, and every payload.
UNIT_NAMES = {"u1": FORMULAS[0], "u2": FORMULAS[1], "u3": FORMULAS[2], "u4": FORMULAS[3], "u5": hostile("单位")}
UNITS = [
    ("u1", "committee", hostile("组")),
    ("u2", "branch", "@组"),
    ("u3", "branch", "@组"),
    ("u4", "branch", "+组"),
    ("u5", "branch", hostile("组")),
]


def results() -> dict[str, str]:
    registry = [
        [
            uid,
            UNIT_NAMES[uid],
            hostile("简称"),
            utype,
            group,
            "已考核",
            "",
            secret("联系人"),
            SECRETS[1],
            secret("内部备注"),
            secret("内部说明"),
            secret("私下"),
        ]
        for uid, utype, group in UNITS
    ]
    registry.append(
        [
            "u6",
            hostile("不考核单位"),
            FORMULAS[0],
            "branch",
            "@组",
            "不参加考核",
            hostile("状态说明"),
            secret("联系人"),
            SECRETS[1],
            secret("备注"),
            "",
            "",
        ]
    )
    entries = [
        [uid, "1.1", "", "2", "", hostile("原因") if uid != "u3" else FORMULAS[0], secret("考核人"), secret("备注")]
        for uid, _, _ in UNITS
    ]
    entries += [
        ["u2", "2", "a", "党旗", "", FORMULAS[1], secret("考核人"), secret("备注")],
        ["u3", "2", "f", "", "", FORMULAS[2], secret("考核人"), secret("备注")],
        ["u4", "1.2", "", "", "2", FORMULAS[3], secret("考核人"), secret("备注")],
    ]
    return {
        "units.csv": table(
            [
                "单位代码",
                "单位名称",
                "简称",
                "单位类型",
                "联络组",
                "考核状态",
                "状态说明",
                "联系人",
                "联系电话",
                "内部备注",
                "内部说明",
                "#私下",
            ],
            registry,
        ),
        "entries.csv": table(
            ["单位代码", "指标编号", "规则", "情况", "扣分", "扣分原因", "考核人", "内部备注"], entries
        ),
        "bonus.csv": table(
            ["单位代码", "加分项目", "级别", "事项", "依据", "内部备注"],
            [
                ["u1", "honours", "province", hostile("事项"), hostile("依据"), secret("备注")],
                ["u2", "honours", "city", FORMULAS[0], FORMULAS[1], secret("备注")],
            ],
        ),
        "penalties.csv": table(
            ["单位代码", "扣分因素", "扣分", "事由", "内部备注"],
            [["u3", "fraud", "2", hostile("事由"), secret("备注")]],
        ),
        "vetoes.csv": table(
            ["单位代码", "否决事项", "情况", "日期", "内部备注"],
            [
                ["u4", "v1", hostile("情况"), hostile("日期"), secret("备注")],
                ["u5", "v2", FORMULAS[0], "2017-05-01", secret("备注")],
            ],
        ),
        "parts.csv": table(
            ["单位代码", "组成部分", "得分", "内部备注"],
            [[uid, "routine", "90", secret("备注")] for uid, _, _ in UNITS],
        ),
        "self_scores.csv": table(
            ["单位代码", "指标编号", "自查分", "内部备注"],
            [["u1", "1.1", "20", secret("备注")], ["u5", "2", "60", secret("备注")]],
        ),
        "awards.csv": table(
            ["单位代码", "等次", "依据", "内部备注"], [["u1", "先进", hostile("评定依据"), secret("备注")]]
        ),
        "notice.yml": yaml.safe_dump(notice(), allow_unicode=True, sort_keys=False),
        **year_tables(),
    }


def year_tables() -> dict[str, str]:
    """The year's records around the scores: a letter and its answer, an objection, a rectification task."""
    return {
        "letters.csv": table(
            ["编号", "类别", "文号", "单位代码", "发出单位", "发出日期", "发现的问题", "整改要求", "答复期限"]
            + ["答复日期", "答复内容", "内部备注"],
            [
                ["l-1", "意见书", hostile("文书文号"), "u5", hostile("发出单位"), "2017-06-01", hostile("发现的问题")]
                + [hostile("整改要求"), "2017-06-20", "2017-06-10", hostile("答复内容"), secret("备注")],
                ["l-2", "督办单", FORMULAS[0], "u1", "", "2017-07-01", FORMULAS[3], "", "", "", "", secret("备注")],
            ],
        ),
        "objections.csv": table(
            ["单位代码", "异议内容", "收到日期", "复核情况", "复核结果", "复核理由", "决定日期", "决定机关"]
            + ["内部备注"],
            [
                ["u5", hostile("异议内容"), "2018-01-22", hostile("复核情况"), "维持", hostile("复核理由")]
                + ["2018-01-25", hostile("决定机关"), secret("备注")]
            ],
        ),
        "rectification.csv": table(
            ["单位代码", "问题年度", "指标编号", "问题", "整改目标", "整改措施", "整改进度", "责任人", "整改状态"]
            + ["内部备注"],
            [
                ["u5", "2016", "1.1", hostile("整改问题"), hostile("整改目标"), hostile("整改措施")]
                + [hostile("整改进度"), hostile("责任人"), "整改中", secret("备注")]
            ],
        ),
    }


def hostile_project(root: Path) -> Path:
    copy_sources(root)
    files: dict[str, str | bytes] = {
        f"rubrics/{AID}.yml": yaml.safe_dump(rubric(), allow_unicode=True, sort_keys=False)
    }
    files.update({f"results/{AID}/{name}": text for name, text in results().items()})
    return write_files(root, files)


def quiet_build(root: Path) -> BuildResult:
    return build(root, progress=Progress(quiet=True))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = hostile_project(tmp_path_factory.mktemp("hostile") / "project")
    result = quiet_build(root)
    assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
    return root


# --------------------------------------------------------------------------------------------
# Reading what was built
# --------------------------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def pages(root: Path) -> list[Path]:
    return sorted((root / "site").rglob("*.html"))


def decoded_text(raw: str) -> str:
    """Text as a reader sees it: entities decoded, jieba's zero-width spaces (search index) removed."""
    return html.unescape(raw).replace("\u200b", "")


def readings(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for every way a file can hold text: as bytes, decoded, decompressed, JSON strings."""
    data = path.read_bytes()
    name = path.name
    if name.endswith(".gz"):
        data = gzip.decompress(data)
        name = name[:-3]
    if name.endswith((".xlsx", ".zip")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for entry in z.namelist():
                text = z.read(entry).decode("utf-8", errors="replace")
                yield f"{path}!{entry}", text
                yield f"{path}!{entry} (decoded)", html.unescape(text)
        return
    text = data.decode("utf-8-sig", errors="replace")
    yield str(path), text
    yield f"{path} (decoded)", decoded_text(text)
    if name.endswith(".json"):
        yield f"{path} (JSON)", "\n".join(json_strings(json.loads(text)))


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from json_strings(v)


def assert_payloads_intact(text: str, where: str) -> int:
    """Between each pair of markers stands exactly its payload; returns how many were found."""
    found = 0
    for name, (start, payload, end) in MARKED.items():
        for inside in re.findall(re.escape(start) + "(.*?)" + re.escape(end), text, re.DOTALL):
            assert inside == payload, f"{where}: {name} 变成了 {inside!r}"
            found += 1
        assert text.count(start) == text.count(end), f"{where}: {name} 的标记不成对"
    return found


# --------------------------------------------------------------------------------------------
# Pages, search index, downloads
# --------------------------------------------------------------------------------------------


def test_each_unit_page_is_headed_by_its_own_name_as_written(built: Path) -> None:
    """Every unit got its page, and the page's heading is the unit's name exactly as the data wrote it."""
    folder = built / "site" / "assessments" / AID
    names = {**UNIT_NAMES, "u6": hostile("不考核单位")}
    for uid, name in names.items():
        raw = (folder / "units" / f"{uid}.html").read_text(encoding="utf-8")
        headings = re.findall(r"<h1[^>]*>(.*?)</h1>", raw, re.DOTALL)
        assert [decoded_text(re.sub(r"<[^>]+>", "", h)).strip() for h in headings][:1] == [name], uid
    notice_page = decoded_text((folder / "notice.html").read_text(encoding="utf-8"))
    assert hostile("通报标题") in notice_page


def test_no_element_comes_from_data(built: Path) -> None:
    for page in pages(built):
        parser = Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.tags:
            assert not [a for a in attrs if a.startswith("on")], f"{page}: <{tag}> 有事件属性 {attrs}"
            for key in ("href", "src", "action", "formaction"):
                value = (attrs.get(key) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:text/html")), f"{page}: <{tag} {key}={value}>"
                assert "evil.example" not in value, f"{page}: <{tag} {key}={value}>"
            if tag == "img":
                assert attrs.get("src") != "x", f"{page}: 数据成了 <img>"
            assert tag not in ("iframe", "object", "embed"), f"{page}: <{tag}>"
        for script in parser.scripts:
            assert "alert(" not in script, f"{page}: 数据成了 <script>"


def test_every_page_shows_the_payloads_as_written(built: Path) -> None:
    total = 0
    for page in pages(built):
        raw = page.read_text(encoding="utf-8")
        assert not CONTROL_CHARS.search(raw), f"{page}: 有控制字符"
        assert "<strong>粗体" not in raw and "<em>斜体" not in raw, f"{page}: 数据被当成了 Markdown"
        assert "pymdownx.snippets" not in raw, f"{page}: 片段语法读入了 mkdocs.yml"
        # A download's file name holds the unit's name with what no file name may hold replaced (by _): not
        # the payload as written, and nothing a file system would take as a folder or a device.
        names = [html.unescape(n) for n in re.findall(r' download="([^"]*)"', raw)]
        assert not [n for n in names if re.search(r'[\\/:*?"<>|\x00-\x1f]', n)], (page, names)
        total += assert_payloads_intact(decoded_text(re.sub(r' download="[^"]*"', "", raw)), str(page))
    units = built / "site" / "assessments" / AID / "units"
    for name in ("u5.html", "u1.html"):
        text = decoded_text((units / name).read_text(encoding="utf-8"))
        assert all(payload in text for _, payload, _ in MARKED.values()), name
    notice_page = decoded_text((built / "site" / "assessments" / AID / "notice.html").read_text(encoding="utf-8"))
    for label in ("发文机关", "通报标题", "主送", "开头", "结尾", "受理", "电话", "地址", "抄送", "印发"):
        assert hostile(label) in notice_page, label
    # The year's records: on the unit's page, the office's lists and the letter's own page.
    u5 = decoded_text((units / "u5.html").read_text(encoding="utf-8"))
    office = built / "site" / "assessments" / AID / "office"
    lists = decoded_text((office / "year.html").read_text(encoding="utf-8"))
    letter = decoded_text((office / "letters" / "l-1.html").read_text(encoding="utf-8"))
    for label in ("发现的问题", "答复内容", "异议内容", "复核理由", "决定机关", "整改问题", "整改措施", "责任人"):
        assert hostile(label) in u5, label
    for label in ("文书文号", "异议内容", "复核理由", "整改问题", "整改目标", "责任人"):
        assert hostile(label) in lists, label
    for label in ("文书文号", "发出单位", "发现的问题", "整改要求", "答复内容"):
        assert hostile(label) in letter, label
    assert total > 100


def test_the_search_index_holds_the_payloads_as_escaped_text(built: Path) -> None:
    index = json.loads((built / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = 0
    for doc in index["docs"]:
        for key in ("title", "text"):
            value = doc.get(key, "")
            # Material shows the text of a result as HTML: data must be there as entities.
            assert "<script" not in value and "<img" not in value, (doc["location"], value[:200])
            assert not CONTROL_CHARS.search(value)
            found += assert_payloads_intact(decoded_text(value), doc["location"])
    assert found > 10


def test_json_keeps_the_text_as_text(built: Path) -> None:
    units = built / "site" / "assessments" / AID / "units"
    for uid, name in UNIT_NAMES.items():
        data = json.loads((units / f"{uid}.json").read_text(encoding="utf-8"))
        assert data["unit"]["name"] == name
    u5 = json.loads((units / "u5.json").read_text(encoding="utf-8"))
    reasons = [
        f["reason"]
        for c in u5["categories"]
        for n in [c, *c.get("children", [])]
        for r in n.get("rules", [])
        for f in r["findings"]
    ]
    assert hostile("原因") in reasons
    whole = json.loads((built / "site" / "assessments" / AID / "downloads" / f"{AID}.json").read_text(encoding="utf-8"))
    assert [u["unit"]["name"] for u in whole["units"]][:5] == list(UNIT_NAMES.values())
    assert whole["assessment"]["title"] == hostile("考核细则")


FORMULA_START = ("=", "+", "-", "@")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def assert_inert_cell(value: Any, where: str) -> None:
    if isinstance(value, str):
        assert not value.startswith(FORMULA_START) or NUMBER.match(value), f"{where}: {value!r} 会被当成公式"
        assert not CONTROL_CHARS.search(value), f"{where}: {value!r}"


def test_csv_download_neutralises_formulas(built: Path) -> None:
    path = built / "site" / "assessments" / AID / "downloads" / f"{AID}-results.csv"
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            assert_inert_cell(value, f"{path.name}:{r}:{c}")
    names = [row[1] for row in rows[1:6]]
    assert names == ["'" + FORMULAS[0], "'+1", "-2", "'@SUM(A1:A9)", hostile("单位")]
    assert "'" + FORMULAS[0] in rows[0]  # a category title is a column header


def test_xlsx_download_has_no_formula(built: Path) -> None:
    import openpyxl

    path = built / "site" / "assessments" / AID / "downloads" / f"{AID}-results.xlsx"
    book = openpyxl.load_workbook(path)
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate}: {cell.value!r}"
                assert_inert_cell(cell.value, f"{path.name}!{cell.coordinate}")
                cells += 1
    results = book.worksheets[0]  # every unit; the sheets after it are per group and the group statistics
    names = [results.cell(row=r, column=2).value for r in range(2, 6)]
    assert names == ["'" + FORMULAS[0], "'+1", "-2", "'@SUM(A1:A9)"]
    assert cells > 50


def test_no_secret_reaches_any_built_file(built: Path) -> None:
    files = [p for p in (built / "site").rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".html", ".json", ".csv", ".xlsx", ".gz", ".xml"} <= kinds, kinds
    assert (built / "site" / "search" / "search_index.json") in files
    for path in files:
        for where, text in readings(path):
            for value in SECRETS:
                assert value not in text, f"{where} 含有内部信息 {value}"


def test_no_secret_reaches_the_generated_pages(built: Path) -> None:
    """The generated Markdown in docs/assessments is published by any MkDocs build of docs/."""
    for path in (built / "docs" / "assessments").rglob("*"):
        if path.is_file():
            for where, text in readings(path):
                for value in SECRETS:
                    assert value not in text, f"{where} 含有内部信息 {value}"


# --------------------------------------------------------------------------------------------
# Refused before anything is written: ids that would become paths, characters that falsify text,
# links, FIFOs and devices
# --------------------------------------------------------------------------------------------


@pytest.fixture
def rebuilt(built: Path, tmp_path: Path) -> Path:
    """A copy of the built hostile project (with its site/), for a build that must not touch it."""
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def regular_digests(folder: Path) -> dict[str, str]:
    """Like :func:`digests`, without following links or opening what is not a regular file."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if not p.is_symlink() and stat.S_ISREG(p.lstat().st_mode)
    }


#: Every file opened by this process while :func:`opened_files` is recording (a Python audit hook: it
#: sees every open(), os.open() and what libraries open through them).
_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


@contextlib.contextmanager
def opened_files() -> Iterator[list[str]]:
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


def kaoping_build(
    root: Path, capsys: pytest.CaptureFixture[str], fifos: tuple[Path, ...] = ()
) -> tuple[int, str, list[str]]:
    """``kaoping build`` in a thread that may not hang: (exit status, stderr, every file it opened). A FIFO
    the build blocks on is opened for writing after a generous time, which unblocks the read and fails."""
    capsys.readouterr()
    result: list[int] = []
    with opened_files() as opened:
        worker = threading.Thread(
            target=lambda: result.append(main(["--root", str(root), "build", "--quiet"])), daemon=True
        )
        worker.start()
        worker.join(300)
        hung = worker.is_alive()
        for fifo in fifos if hung else ():
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(30)
    assert not hung, "kaoping build 卡住了（在读 FIFO？）"
    err = capsys.readouterr().err
    assert "Traceback" not in err and "内部错误" not in err, err
    return result[0], err, list(opened)


def assert_refused_before_writing(
    root: Path, capsys: pytest.CaptureFixture[str], expected: list[str], fifos: tuple[Path, ...] = ()
) -> list[str]:
    """``kaoping build`` stops with a data error naming each of ``expected``, and writes nothing; returns the
    files it opened."""
    site_before, docs_before = regular_digests(root / "site"), regular_digests(root / "docs")
    code, err, opened = kaoping_build(root, capsys, fifos)
    assert "SECRETX" not in err, err
    assert code == EXIT_DATA, err
    for text in expected:
        assert text in err, err
    assert err.rstrip().endswith("数据有错误，网站没有生成；原来的 site/ 没有改动。改正上面列出的错误后再运行。"), err
    assert regular_digests(root / "site") == site_before
    assert regular_digests(root / "docs") == docs_before
    assert leftovers(root) == []
    return opened


@pytest.mark.parametrize(
    ("unit_id", "expected"),
    [
        ("../x", "单位代码「../x」含有不允许的字符"),
        ("/abs", "单位代码「/abs」含有不允许的字符"),
        ("a b", "单位代码「a b」含有不允许的字符"),
        ("a/../../b", "单位代码「a/../../b」含有不允许的字符"),
        ("x.html", "单位代码「x.html」含有不允许的字符"),
        ("CON", "单位代码「CON」是 Windows 的保留名称"),
        ("nul", "单位代码「nul」是 Windows 的保留名称"),
        ("com1", "单位代码「com1」是 Windows 的保留名称"),
        ("U1", "单位代码 U1 重复（第一次在第 2 行：u1），代码不区分大小写"),
        ("u" + "1" * 64, "单位代码太长：65 个字符，最多 64 个"),
    ],
)
def test_unsafe_unit_ids_are_refused_before_anything_is_written(
    rebuilt: Path, capsys: pytest.CaptureFixture[str], unit_id: str, expected: str
) -> None:
    units = rebuilt / "results" / AID / "units.csv"
    units.write_text(
        units.read_text(encoding="utf-8") + f"{unit_id},新单位,branch,第一组,已考核,,,,,,\n", encoding="utf-8"
    )
    assert_refused_before_writing(rebuilt, capsys, [f"results/{AID}/units.csv:8:1: 错误：{expected}"])


@pytest.mark.parametrize(
    ("file", "rubric_id", "expected"),
    [
        ("x", "../x", "含有不允许的字符"),
        ("abs", "/abs", "含有不允许的字符"),
        ("a b", "a b", "含有不允许的字符"),
        ("Hostile-2018", "Hostile-2018", "含有不允许的字符"),
        ("nul", "nul", "是 Windows 的保留名称"),
        ("con", "con", "是 Windows 的保留名称"),
    ],
)
def test_unsafe_assessment_ids_are_refused_before_anything_is_written(
    rebuilt: Path, capsys: pytest.CaptureFixture[str], file: str, rubric_id: str, expected: str
) -> None:
    data = rubric()
    data["id"] = rubric_id
    data["year"] = 2018
    (rebuilt / "rubrics" / f"{file}.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    assert_refused_before_writing(rebuilt, capsys, [f"rubrics/{file}.yml:1:5: 错误：考核代码「{rubric_id}」{expected}"])


def test_a_results_folder_differing_only_by_case_is_refused(rebuilt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(rebuilt / "results" / AID, rebuilt / "results" / AID.upper())
    assert_refused_before_writing(
        rebuilt, capsys, [f"results/{AID.upper()}: 错误：考核结果目录 results/{AID.upper()} 没有对应的细则"]
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            f"results/{AID}/units.csv",
            "u2,",
            "u2,市财政局\u202e分001",
            ":3:2: 错误：这一格的第 5 个字是 U+202E（从右至左强制）",
        ),
        (
            f"results/{AID}/entries.csv",
            "u2,2,a,党旗",
            "u2,2,a,党\u2066旗",
            ":7:4: 错误：这一格的第 2 个字是 U+2066（从左至右隔离）",
        ),
        (f"results/{AID}/units.csv", "u3,", "u3\u200b,", ":4:1: 错误：这一格的第 3 个字是 U+200B（零宽空格）"),
        (
            f"results/{AID}/bonus.csv",
            "honours,city",
            "honours,city\x07",
            ":3:3: 错误：这一格的第 5 个字是 U+0007（控制字符）",
        ),
        (
            f"results/{AID}/notice.yml",
            "printed_date:",
            "printed_by_x\u200f: 1\nprinted_date:",
            ":57:13: 错误：这里有 U+200F（从右至左标记）",
        ),
        (
            f"rubrics/{AID}.yml",
            "year: 2017",
            "year: 2017\nincomplete: 文\ufeff件",
            ":7:14: 错误：这里有 U+FEFF（字节顺序标记 BOM）",
        ),
        (
            f"rubrics/{AID}.yml",
            "year: 2017",
            'year: 2017\nincomplete: "文\\u202d件"',
            "`incomplete` 的第 2 个字是用转义序列写成的 U+202D（从左至右强制）",
        ),
    ],
)
def test_characters_that_hide_or_falsify_text_are_refused(
    rebuilt: Path, capsys: pytest.CaptureFixture[str], file: str, old: str, new: str, expected: str
) -> None:
    path = rebuilt / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert_refused_before_writing(rebuilt, capsys, [file + expected if expected.startswith(":") else expected])


def test_a_link_to_a_file_outside_the_project_is_neither_read_nor_quoted(
    rebuilt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # /dev/zero is tried in the corpus (link-out-of-the-project), in a process with a memory limit: read
    # here by a regressed program, it would take this process's memory.
    secret_file = tmp_path / "passwd"
    secret_file.write_text("root:x:0:0:SECRETX-FIRST-LINE:/root:/bin/bash\n", encoding="utf-8")
    secret_table = tmp_path / "awards.csv"
    secret_table.write_text("单位代码,等次,依据\nu2,先进,SECRETX-AWARD\n", encoding="utf-8")
    (rebuilt / "results" / AID / "penalties.csv").unlink()
    (rebuilt / "results" / AID / "penalties.csv").symlink_to(secret_file)
    (rebuilt / "results" / AID / "awards.csv").unlink()
    (rebuilt / "results" / AID / "awards.csv").symlink_to(secret_table)
    opened = assert_refused_before_writing(
        rebuilt,
        capsys,
        [
            f"results/{AID}/penalties.csv: 错误：这是指向项目目录之外的链接（指向 {secret_file}）",
            f"results/{AID}/awards.csv: 错误：这是指向项目目录之外的链接（指向 {secret_table}）",
        ],
    )
    assert opened, "the audit hook saw no file opened at all"
    outside = {str(secret_file.resolve()), str(secret_table.resolve())}
    assert not [p for p in opened if os.path.realpath(p) in outside], opened


def test_links_and_fifos_under_docs_are_refused_before_mkdocs_copies_them(
    rebuilt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_file = tmp_path / "secret.md"
    secret_file.write_text("# SECRETX-PAGE\n", encoding="utf-8")
    docs = rebuilt / "docs"
    (docs / "leak.md").symlink_to(secret_file)
    (docs / "accounts").symlink_to("../results")  # inside the project, but not for the site
    fifo = docs / "reference" / "pipe.md"
    os.mkfifo(fifo)
    opened = assert_refused_before_writing(
        rebuilt,
        capsys,
        [
            f"docs/leak.md: 错误：这是指向 docs/ 之外的链接（指向 {secret_file}）",
            "docs/accounts: 错误：这是指向 docs/ 之外的链接（指向 ../results）",
            "docs/reference/pipe.md: 错误：这是一个命名管道（FIFO），不是普通文件",
        ],
        fifos=(fifo,),
    )
    assert not [p for p in opened if os.path.realpath(p) in (str(secret_file.resolve()), str(fifo.resolve()))], opened
    assert not any(
        "SECRETX" in p.read_text(encoding="utf-8", errors="replace") for p in (rebuilt / "site").rglob("*.html")
    )


def test_links_in_the_templates_and_the_theme_folder_are_refused_before_anything_is_read(
    rebuilt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link among the templates or in a theme folder of the project's own that mkdocs.yml names: MkDocs
    would copy what it points to (a system file, a CI machine's keys) into the site, and a page template's
    target would be rendered on a page. Refused, named, before anything is read."""
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("SECRETX-TEMPLATE\n", encoding="utf-8")
    templates = rebuilt / "site_templates"
    (templates / "theme" / "leak.txt").symlink_to(secret_file)
    home = templates / "home.md.j2"
    home.rename(tmp_path / "home.md.j2")
    home.symlink_to(secret_file)
    overrides = rebuilt / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    (overrides / "key.txt").symlink_to(secret_file)
    config = rebuilt / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("custom_dir: site_templates/theme", "custom_dir: overrides"), encoding="utf-8")
    fifo = templates / "pipe.md.j2"
    os.mkfifo(fifo)
    opened = assert_refused_before_writing(
        rebuilt,
        capsys,
        [
            f"site_templates/theme/leak.txt: 错误：这是指向 site_templates/ 之外的链接（指向 {secret_file}）",
            f"site_templates/home.md.j2: 错误：这是指向 site_templates/ 之外的链接（指向 {secret_file}）",
            f"overrides/key.txt: 错误：这是指向 overrides/ 之外的链接（指向 {secret_file}）",
            "site_templates/pipe.md.j2: 错误：这是一个命名管道（FIFO），不是普通文件",
        ],
        fifos=(fifo,),
    )
    assert not [p for p in opened if os.path.realpath(p) == str(secret_file.resolve())], opened
    site_files = [p for p in (rebuilt / "site").rglob("*") if p.is_file()]
    assert site_files and not any("SECRETX" in p.read_text(encoding="utf-8", errors="replace") for p in site_files)


def test_a_fifo_among_the_results_never_blocks(rebuilt: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = rebuilt / "results" / AID / "bonus.csv"
    fifo.unlink()
    os.mkfifo(fifo)
    opened = assert_refused_before_writing(
        rebuilt,
        capsys,
        [f"results/{AID}/bonus.csv: 错误：这是一个命名管道（FIFO），不是普通文件，没有读取"],
        fifos=(fifo,),
    )
    assert str(fifo) not in opened


def test_a_download_name_holds_nothing_a_file_system_takes_for_a_folder_or_a_device() -> None:
    """The unit's name in the name its downloads are saved under: what Windows refuses in a file name (and a
    separator anywhere) replaced, no dot or space at the end."""
    from generator.site.views.unit import download_name

    assert download_name("a-2020", "u1", 'x/y\\z:*?"<>|\x01 . ') == "a-2020-u1-x_y_z________"
    assert download_name("zonghe-2020", "sz-12", "市公安局党组") == "zonghe-2020-sz-12-市公安局党组"
