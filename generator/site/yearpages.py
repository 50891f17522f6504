"""The year's pages and files: the office's page, each letter's printable page and .docx (see views.office)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.outcome import AssessmentOutcome
from generator.site import yearpaths
from generator.site.letterdocx import LetterDoc, letter_docx
from generator.site.views.office import LetterContext, OfficeYearContext, letter_context, office_context


class _Renderer(Protocol):
    def render(self, template: str, ctx: object) -> str: ...


def _write(out: Path, path: str, content: str | bytes) -> None:
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8", newline="\n")


def letter_doc(ctx: LetterContext) -> LetterDoc:
    x = ctx.letter
    answer = None
    if x.answer:
        late = "，超过答复期限" if x.late else ""
        answer = (f"单位答复（{x.answer_date}收到{late}）", x.answer)
    return LetterDoc(
        masthead=ctx.masthead,
        number=x.number,
        title=ctx.title,
        recipient=ctx.recipient,
        body=ctx.body,
        issuer=ctx.issuer,
        date=ctx.date,
        answer=answer,
        sample_note=DOWNLOAD_NOTE if ctx.sample else "",
    )


def write_year_pages(
    renderer: _Renderer, outcome: AssessmentOutcome, out: Path, office: OfficeYearContext | None = None
) -> int:
    """The office's page of the year (``office``: its context, when already made) and every letter's page and
    .docx; returns the number of pages."""
    if outcome.year is None:
        return 0
    aid = outcome.rubric.id
    _write(out, yearpaths.office_page(aid), renderer.render("year.md.j2", office or office_context(outcome)))
    for letter in outcome.year.records.letters:
        ctx = letter_context(outcome, letter)
        _write(out, ctx.path, renderer.render("letter.md.j2", ctx))
        _write(out, yearpaths.letter_docx(aid, letter.id), letter_docx(letter_doc(ctx)))
    return 1 + len(outcome.year.records.letters)
