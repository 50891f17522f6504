"""意见书 and 督办单 as Word documents (.docx), laid out after GB/T 9704-2012 (党政机关公文格式).

A4; margins 37 mm (top), 35 mm (bottom), 28 mm (binding side), 26 mm; the issuing organ's mark in red and a
red line under the number; the title in 2号 (22 pt) 小标宋, the text in 3号 (16 pt) 仿宋 with a fixed line
pitch of 28.95 pt (22 lines a page); paragraphs indented two characters; the signature and date at the right.
Fonts are named as Chinese offices have them (方正小标宋简体, 仿宋_GB2312); where they are missing, Word or
LibreOffice substitutes.

Written with python-docx; the same letter gives the same bytes (every zip entry and document date fixed).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

FIXED_TIME = datetime(2000, 1, 1)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
RED = RGBColor(0xE0, 0x00, 0x00)
BODY_SIZE = Pt(16)
LINE_PITCH = Pt(28.95)


@dataclass(frozen=True)
class LetterDoc:
    masthead: str
    number: str
    title: str
    recipient: str
    body: tuple[str, ...]
    issuer: str
    date: str
    #: The unit's written answer: (heading, text), or None while it has not answered.
    answer: tuple[str, str] | None = None
    #: Sample data: said at the top of the document.
    sample_note: str = ""


def _run(
    paragraph: Paragraph, text: str, font: str, size: Pt, *, bold: bool = False, color: RGBColor | None = None
) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _paragraph(
    doc: object,
    text: str,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    *,
    align: int | None = None,
    indent: bool = False,
    bold: bool = False,
    color: RGBColor | None = None,
    after: Pt | None = None,
) -> Paragraph:
    p: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH if size <= BODY_SIZE else Pt(size.pt * 1.5)
    fmt.space_before = Pt(0)
    fmt.space_after = after if after is not None else Pt(0)
    if align is not None:
        fmt.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    _run(p, text, font, size, bold=bold, color=color)
    return p


def _red_line(p: Paragraph) -> None:
    """A red rule under the paragraph (the line under the document number)."""
    borders = p._p.get_or_add_pPr().makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(
        qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): "6", qn("w:color"): "E00000"}
    )
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def letter_docx(letter: LetterDoc) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    props = doc.core_properties
    props.author = props.last_modified_by = "kaoping"
    props.title = letter.title[:255]  # the file property holds 255 characters at most (the text holds it all)
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    if letter.sample_note:
        _paragraph(doc, letter.sample_note, HEADING_FONT, Pt(12), bold=True, color=RED, after=Pt(6))
    size = Pt(min(36, max(22, 440 / max(1, len(letter.masthead)))))
    _paragraph(doc, letter.masthead, TITLE_FONT, size, align=center, color=RED, after=Pt(12))
    number = _paragraph(doc, letter.number or " ", align=center, after=Pt(24))
    _red_line(number)
    _paragraph(doc, letter.title, TITLE_FONT, Pt(22), align=center, after=Pt(16))
    _paragraph(doc, letter.recipient)
    for text in letter.body:
        _paragraph(doc, text, indent=True)
    _paragraph(doc, "", after=Pt(16))
    _paragraph(doc, letter.issuer, align=right)
    _paragraph(doc, letter.date, align=right)
    if letter.answer is not None:
        heading, text = letter.answer
        _paragraph(doc, "", after=Pt(16))
        _paragraph(doc, heading, HEADING_FONT, indent=True)
        _paragraph(doc, text, indent=True)
    raw = io.BytesIO()
    doc.save(raw)
    return fixed_entries(raw.getvalue())


def fixed_entries(data: bytes) -> bytes:
    """The zip with every entry dated FIXED_TIME, so that the same letter is the same file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
