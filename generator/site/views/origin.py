"""What pages say about where their content comes from: the source document, marks, sample results.

Shared by every page kind: the document named by its particulars (never a file name), the notes that
a unit's grade rests on filled-in points, that a year compared with is itself filled in, and the counts
of 原文, 补充 and 解读 for an assessment's overview.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.engine.exact import fmt
from generator.engine.models import Node, Rubric
from generator.engine.origin import FILLED, ORIGINS, Sourced
from generator.engine.provenance import Mark, Provenance, provenance
from generator.engine.provenance_counts import count
from generator.engine.rules.base import Rule

#: What 补充 means, said where a page names something filled in: not the document's, and by whom.
FILLED_WORDS = "原文件没有规定，由考核办公室补充"

#: Said where a document does not give one of its particulars.
NOT_GIVEN = "原文件没有写明"


@dataclass(frozen=True)
class DocumentView:
    """The source document, as a reader would look it up: title, issuer, 文号, date."""

    title: str
    issuer: str
    issuer_mark: Mark | None
    number: str
    date: str
    date_mark: Mark | None
    note: str


def document_view(rubric: Rubric) -> DocumentView | None:
    d = rubric.document
    if d is None:
        return None
    prov = provenance(rubric)
    return DocumentView(
        title=d.title,
        issuer=d.issuer or NOT_GIVEN,
        issuer_mark=prov.mark(d, "issuer") if d.issuer else None,
        number=d.number or NOT_GIVEN,
        date=d.date or NOT_GIVEN,
        date_mark=prov.mark(d, "date") if d.date else None,
        note=d.note,
    )


def filled_notes(rubric: Rubric) -> tuple[str, ...]:
    """Per unit type, how much of its indicator points were filled in, when any were."""
    names = {t.id: t.name for t in rubric.unit_types}
    out = []
    for type_id, total, by_origin in count(rubric).points:
        filled = by_origin[FILLED]
        if not filled:
            continue
        if filled == total:
            out.append(f"{names[type_id]}的指标分值（{fmt(total)} 分）全部是补充的：{FILLED_WORDS}")
        else:
            out.append(f"{names[type_id]}的 {fmt(total)} 分指标中，有 {fmt(filled)} 分是补充的：{FILLED_WORDS}")
    return tuple(out)


#: A unit page and workbook when the document does not (fully) say how grades are given: the rules the
#: office filled in are its rules, said to be filled in, not examples.
GRADING_FILLED = (
    "等次按补充的规则评定：原文件没有（完整）规定等次的评定办法，由考核办公室补充，见考核标准的“等次评定”。"
)


def grading_note(rubric: Rubric) -> str:
    return GRADING_FILLED if rubric.grading_illustrative else ""


def grade_rests_on_filled(rubric: Rubric, unit_type: str) -> str:
    """For a unit page: its total, rank and grade rest on points the document did not give (or '')."""
    for type_id, total, by_origin in count(rubric).points:
        if type_id == unit_type and by_origin[FILLED]:
            whole = by_origin[FILLED] == total
            share = "全部" if whole else f"有 {fmt(by_origin[FILLED])} 分"
            return (
                f"本单位适用的 {fmt(total)} 分指标中{share}是补充的（{FILLED_WORDS}），"
                "综合得分、名次和等次都依赖这些分值。"
            )
    return ""


def invented_year(rubric: Rubric) -> bool:
    """The whole rubric of that year is filled in (an assessment the document never had)."""
    return rubric.origin == FILLED


def invented_year_words(rubric: Rubric) -> str:
    return f"{rubric.year}年度的细则整份是补充的，不是原文件的规定"


@dataclass(frozen=True)
class OriginCount:
    origin: str
    parts: int
    fields: int


def origin_counts(rubric: Rubric) -> tuple[OriginCount, ...]:
    c = count(rubric)
    return tuple(OriginCount(o, c.parts[o], c.fields[o]) for o in ORIGINS)


#: Fields of a rule that hold its numbers: a mark on any of them marks the rule's words.
RULE_NUMBERS = ("target", "per_member", "per", "deduct", "points", "threshold", "min", "max", "cap", "whole_item_at")


def rule_marks(rule: Rule, node: Node, prov: Provenance) -> tuple[Mark, ...]:
    """补 / 解 for a rule where it differs from its indicator, and for any of its numbers that is marked."""
    marks: list[Mark] = []
    if prov.origin(rule) != prov.origin(node):
        own = prov.mark(rule)
        if own is not None:
            marks.append(own)
    for name in RULE_NUMBERS:
        m = prov.field_mark(rule, name) if name in rule.field_origin else None
        if m is not None and m not in marks:
            marks.append(m)
    return tuple(marks)


def grade_basis_marks(rubric: Rubric) -> tuple[Mark, ...]:
    """What grades rest on that is not the document's own: marks of grading, its bands, the ranking and
    its pools, and the vetoes, each said once. Parts the rubric does not write are the program's own, and
    said only where they stand for a rule the document does not give (a default ranking, 补充)."""
    prov = provenance(rubric)
    parts: list[Sourced] = [rubric.ranking, *rubric.ranking.pools]
    if rubric.grading is not None:
        parts += [rubric.grading, *rubric.grading.bands]
    if rubric.vetoes is not None:
        parts += [rubric.vetoes, *rubric.vetoes.events]
    out: list[Mark] = []
    for part in parts:
        entry = prov.get(part)
        if entry is None or not entry.counted:
            continue
        marks = [prov.mark(part), *(prov.field_mark(part, name) for name in part.field_origin)]
        for m in marks:
            if m is not None and m not in out:
                out.append(m)
    return tuple(out)


def points_mark(prov: Provenance, node: Node) -> Mark | None:
    return prov.field_mark(node, "points") or prov.field_mark(node, "points_by_type")


def node_marks(prov: Provenance, node: Node) -> tuple[Mark, ...]:
    """What a unit page marks on an item's row: the item as a whole, its name, its points; each mark once."""
    found = (prov.mark(node), prov.field_mark(node, "title"), points_mark(prov, node))
    return tuple(dict.fromkeys(m for m in found if m is not None))


def marks_words(marks: Iterable[Mark]) -> str:
    """Marks in words, as a download says them: ``补充：…；解读：…``."""
    return "；".join(f"{m.origin}：{m.text}" if m.text else m.origin for m in marks)
