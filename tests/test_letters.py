"""意见书 and 督办单 (004:27): recorded with the units' answers, printed as official documents and as .docx.

The .docx is opened as a clerk's office would open it: LibreOffice (headless) converts it to PDF, and the PDF's
text is read back. LibreOffice is installed by ``make test`` (``make browser``).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import csv_text, errors, rubric_text, run, score

from generator.data.csvread import parse_table
from generator.data.problems import Problems
from generator.data.tables import LETTERS
from generator.site.letterdocx import LetterDoc, letter_docx
from generator.site.render import Renderer
from generator.site.views.office import letter_context
from generator.site.views.year import unit_year_view
from generator.site.yearpages import letter_doc

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = rubric_text(
    """
    indicators:
      - {id: c1, title: 组织生活, points: 100, rules: [{kind: range}]}
    """
)
UNITS = csv_text("id,name,type,status", "u1,一支部,branch,已考核", "u2,二支部,branch,已考核")
HEAD = "id,kind,number,unit,issuer,date,item,finding,requirement,due,answer_date,answer,status"
LETTERS_CSV = csv_text(
    HEAD,
    "2017-01,意见书,工委意〔2017〕1号,u1,,2017-05-02,c1,三会一课记录不全,请书面说明,2017-05-20,2017-05-25,已补齐记录并建立台账,已办结",
    "2017-02,督办单,工委督〔2017〕1号,u2,组织部,2017-06-01,,未按时报送材料,,2017-06-15,,,",
)


def test_letters_are_recorded_and_shown_on_the_units_page(tmp_path: Path) -> None:
    outcome = score(tmp_path, RUBRIC, {"units.csv": UNITS, "letters.csv": LETTERS_CSV})
    assert outcome.year is not None
    u1 = outcome.by_unit()["u1"]
    view = unit_year_view(outcome, u1, "assessments/t/units/u1.md")
    (x,) = view.letters
    assert (x.kind, x.number, x.status, x.late, x.answer_date) == (
        "意见书",
        "工委意〔2017〕1号",
        "已办结",
        True,
        "2017年5月25日",
    )
    (y,) = unit_year_view(outcome, outcome.by_unit()["u2"], "x.md").letters
    assert (y.kind, y.status, y.status_key, y.answer) == ("督办单", "待答复", "waiting", "")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "x y,意见书,,u1,,2017-05-02,,问题,,,,,",
            "results/t/letters.csv:2:1: 错误：编号「x y」含有不允许的字符（它会成为文件名）",
        ),
        ("01,通知,,u1,,2017-05-02,,问题,,,,,", "results/t/letters.csv:2:2: 错误：类别「通知」无法识别"),
        ("01,意见书,,u9,,2017-05-02,,问题,,,,,", "results/t/letters.csv:2:4: 错误：单位代码「u9」不在单位名册中"),
        ("01,意见书,,u1,,2017-05-02,c9,问题,,,,,", "results/t/letters.csv:2:7: 错误：指标编号「c9」不在细则中"),
        ("01,意见书,,u1,,,,问题,,,,,", "results/t/letters.csv:2:6: 错误：发出日期为空"),
        ("01,意见书,,u1,,2017-05-02,,,,,,,", "results/t/letters.csv:2:8: 错误：发现的问题为空"),
        ("01,意见书,,u1,,2017-05-02,,问题,,2017-05-01,,,", "results/t/letters.csv:2:10: 错误：这个日期早于发出日期"),
        (
            "01,意见书,,u1,,2017-05-02,,问题,,,,,已答复",
            "results/t/letters.csv:2:12: 错误：办理状态为已答复或已办结，但没有答复内容",
        ),
        (
            "01,意见书,,u1,,2017-05-02,,问题,,,2017-05-09,,",
            "results/t/letters.csv:2:12: 错误：有答复日期，但没有答复内容",
        ),
    ],
)
def test_letters_that_are_refused(tmp_path: Path, row: str, expected: str) -> None:
    prepared = run(tmp_path, RUBRIC, {"units.csv": UNITS, "letters.csv": csv_text(HEAD, row)})
    assert [e.split("\n")[0] for e in errors(prepared)] == [expected]


def test_two_letters_with_one_code_are_refused(tmp_path: Path) -> None:
    rows = csv_text(HEAD, "A-1,意见书,,u1,,2017-05-02,,问题,,,,,", "a-1,督办单,,u2,,2017-05-03,,问题,,,,,")
    prepared = run(tmp_path, RUBRIC, {"units.csv": UNITS, "letters.csv": rows})
    assert [e.split("\n")[0] for e in errors(prepared)] == [
        "results/t/letters.csv:3:1: 错误：编号 a-1 与第 2 行重复（不区分大小写）"
    ]


def test_the_letter_page_is_an_official_document(tmp_path: Path) -> None:
    outcome = score(tmp_path, RUBRIC, {"units.csv": UNITS, "letters.csv": LETTERS_CSV})
    assert outcome.year is not None
    ctx = letter_context(outcome, outcome.year.records.letters[0])
    assert ctx.title == "关于一支部党建工作有关问题的意见书" and ctx.masthead == "测试机关意见书"
    assert ctx.recipient == "一支部：" and ctx.date == "2017年5月2日"
    assert (
        ctx.body[0] == "在党建工作日常考核和督查中发现，你单位（考核指标 c1「组织生活」）存在以下问题：三会一课记录不全"
    )
    assert ctx.body[-1] == "请于2017年5月20日前作出书面答复或说明，并明确整改落实举措。"
    page = Renderer(ROOT / "site_templates").render("letter.md.j2", ctx)
    for part in (
        "kp-notice__masthead",
        "kp-notice__redline",
        "kp-notice__title",
        "kp-letter__answer",
        "已补齐记录并建立台账",
    ):
        assert part in page


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def pdf_text(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool is not None, "pdftotext 不在（Debian 的 poppler-utils；make test 会安装它）"
    return subprocess.run([tool, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout.decode(
        "utf-8"
    )


def test_the_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    assert SOFFICE is not None, "LibreOffice 不在（Debian 的 libreoffice-writer-nogui；make test 会安装它）"
    outcome = score(tmp_path / "p", RUBRIC, {"units.csv": UNITS, "letters.csv": LETTERS_CSV})
    assert outcome.year is not None
    data = letter_docx(letter_doc(letter_context(outcome, outcome.year.records.letters[0])))
    assert data == letter_docx(letter_doc(letter_context(outcome, outcome.year.records.letters[0]))), (
        "同一份文书应逐字节相同"
    )
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:top="2098"' in xml  # 3号仿宋; 37 mm top margin
    docx = tmp_path / "letter.docx"
    docx.write_bytes(data)
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "letter.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr.decode("utf-8", "replace")
    text = "".join(pdf_text(pdf).split())
    for part in (
        "测试机关意见书",
        "工委意〔2017〕1号",
        "关于一支部党建工作有关问题的意见书",
        "一支部：",
        "三会一课记录不全",
        "2017年5月2日",
        "已补齐记录并建立台账",
    ):
        assert part in text, part


def test_letter_text_from_the_data_stays_text() -> None:
    """Markup and formula-like text in a letter are written as text (python-docx escapes XML)."""
    doc = LetterDoc(
        "<b>机关</b>意见书",
        '=HYPERLINK("x")',
        "标题&amp;",
        "单位：",
        ("<script>alert(1)</script>",),
        "机关",
        "2017年1月1日",
    )
    with zipfile.ZipFile(io.BytesIO(letter_docx(doc))) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and "<script>" not in xml
    assert "&lt;b&gt;机关&lt;/b&gt;意见书" in xml and "标题&amp;amp;" in xml


def test_the_bundled_letters_parse() -> None:
    rows = parse_table((ROOT / "results/zonghe-2020/letters.csv").read_bytes(), "letters.csv", LETTERS, Problems())
    assert len(rows) >= 5 and {r.get("kind") for r in rows} == {"意见书", "督办单"}
