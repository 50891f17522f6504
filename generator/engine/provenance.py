"""The provenance of a whole rubric: every part's origin resolved and marked.

A part's origin is its own ``origin``, else its parent's (a rule's indicator, a level's bonus item …),
else the rubric's ``origin``. A rubric without ``document`` is its own original, so its parts are
``原文`` unless they say otherwise; a rubric that names the document it was written from must let every
part's origin be determined, or the checker refuses it (:mod:`generator.data.provenance`). Parts the YAML
does not write are the program's own, not the rubric's content, and are left out; except a rule the pages
show as the rubric's (``ranking``, :data:`PROGRAM_DEFAULTS`): in a rubric written from a document that is
silent on it, the program's default is filled in (补充), marked and counted so, with a note that says so.

Pure: no I/O. The parts are found by walking the models' fields, so no rule kind is named here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.engine.origin import (
    FILLED,
    ORIGIN_MARKS,
    READING,
    SOURCE,
    Origin,
    Sourced,
    verbatim_fields,
)
from generator.engine.problems import Loc

if TYPE_CHECKING:  # the models ask for their grading's provenance (Rubric.grading_illustrative)
    from generator.engine.models import Node, Rubric

NOWHERE = Loc("")

#: How a part is named in messages and counts, by the first of its classes found here.
_WORDS: dict[str, str] = {
    "Document": "依据文件",
    "UnitType": "单位类型",
    "Defaults": "计分默认值",
    "Activity": "活动目标",
    "Node": "指标",
    "Rule": "规则",
    "Bonus": "加分",
    "BonusItem": "加分项目",
    "BonusLevel": "加分级别",
    "Penalty": "扣分因素",
    "Vetoes": "否决项目",
    "VetoEvent": "否决事项",
    "Part": "组成部分",
    "Ranking": "排名",
    "Pool": "排名组",
    "Grading": "等次评定",
    "Band": "分数段",
    "Consequence": "结果运用",
}


def _word(obj: Sourced) -> str:
    for cls in type(obj).__mro__:
        if cls.__name__ in _WORDS:
            return _WORDS[cls.__name__]
    return type(obj).__name__  # pragma: no cover - every Sourced model is listed


#: Field names as messages and pages say them.
FIELD_WORDS: dict[str, str] = {
    "title": "名称",
    "name": "名称",
    "points": "分值",
    "points_by_type": "分值",
    "issuer": "制发机关",
    "date": "日期",
    "number": "文号",
    "full": "满分",
    "full_marks": "满分",
    "cap": "上限",
    "min": "分值",
    "max": "分值",
    "self_declared": "申报和认定",
    "ties": "同分规则",
    "fail_at_or_below": "分数线",
    "fail_bottom": "名额",
    "advanced_top": "名额",
    "places_among": "先进名额",
    "effect": "后果",
    "bands": "分数段",
    "advanced_min_score": "评先分数线",
    "advanced": "先进的产生",
    "applies_to": "适用范围",
    "deduct": "扣分",
    "per": "每次扣分",
    "target": "目标",
    "threshold": "比率标准",
    "weight": "权重",
}


#: The parts a rubric may leave out that pages still show as its rules, by the rubric's key: what the program
#: does instead, said as the note of a 补充 (the defaults of :class:`~generator.engine.models.Ranking` and
#: :mod:`generator.engine.grading`).
PROGRAM_DEFAULTS: dict[str, str] = {
    "ranking": "细则没有写排名办法（ranking），按程序的默认办法排名：在单位名册的联络组内排名"
    "（没有填联络组的单位另排），得分相同的单位名次并列，其后名次顺延。",
}


def field_word(name: str) -> str:
    return FIELD_WORDS.get(name, name)


def _short(obj: Sourced) -> str:
    """A part as messages name it: 指标 1「建立党建工作责任制情况」, 规则 visits, 单位类型 机关党委."""
    key = str(getattr(obj, "id", "") or getattr(obj, "grade", "") or "")
    name = str(getattr(obj, "name", "") or getattr(obj, "title", "") or "")
    if key and name and key != name:
        return f"{_word(obj)} {key}「{name}」"
    return f"{_word(obj)} {key or name}".rstrip()


@dataclass(frozen=True)
class Mark:
    """What a page shows beside a part that is not the document's own words."""

    origin: Origin
    #: 补 or 解.
    short: str
    #: The note (补充) or the reading (解读) that explains it.
    text: str


@dataclass(frozen=True)
class Sourcing:
    """One part of a rubric with its resolved origin."""

    obj: Sourced
    parent: Sourcing | None
    #: The part's origin after inheritance; None when it cannot be determined.
    origin: Origin | None
    #: The part whose ``origin`` decided this one's (itself, an ancestor), or None for the rubric's.
    decided_by: Sourced | None
    label: str
    #: Not written: the program's default, filled in (补充) with this note (:data:`PROGRAM_DEFAULTS`).
    program_note: str = ""

    @property
    def loc(self) -> Loc:
        loc: Loc = getattr(self.obj, "loc", NOWHERE)
        if loc.file or self.parent is None:
            return loc
        return self.parent.loc

    @property
    def written(self) -> bool:
        """The part is in the YAML (a default object the program made is not)."""
        return bool(getattr(self.obj, "loc", NOWHERE).file)

    @property
    def counted(self) -> bool:
        """The part is the rubric's content: written in the YAML, or a default shown as its rule (补充)."""
        return self.written or bool(self.program_note)

    def of(self, name: str | None = None) -> Origin | None:
        """The origin of the part, or of one of its fields."""
        if name is not None and name in self.obj.field_origin:
            return self.obj.field_origin[name]
        return self.origin

    def explanation(self, origin: Origin) -> str:
        """The words behind a 补充 or 解读: here, else where the origin was decided."""
        if self.program_note and origin == FILLED:
            return self.program_note
        for part in (self.obj, self.decided_by):
            if part is None:
                continue
            text = part.reading if origin == READING else part.note
            if text:
                return text
        return ""


class Provenance:
    """Every part of one rubric with its origin; looked up by the part itself."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.default: Origin | None = rubric.origin or (SOURCE if rubric.document is None else None)
        self.parts: list[Sourcing] = []
        self._by_id: dict[int, Sourcing] = {}
        #: The counts of :mod:`generator.engine.provenance_counts`, made once.
        self.counts: Any = None
        for name, value in _children(rubric):
            self._visit(value, None, name, "")

    def _visit(self, obj: Sourced, parent: Sourcing | None, field_name: str, context: str) -> None:
        # A part inherits from its parent, or from the parent's field it sits in when that field is marked
        # (grading with field_origin {bands: 补充}: every band is 补充).
        inherited = parent.of(field_name) if parent is not None else self.default
        decided = parent.decided_by if parent is not None else None
        inherent: Origin | None = getattr(type(obj), "inherent_origin", None)
        if inherent is not None:  # the source document is its own original
            inherited, decided = inherent, None
        if parent is not None and field_name in parent.obj.field_origin:
            decided = parent.obj
        if obj.origin is not None:
            inherited, decided = obj.origin, obj
        label = f"{context}{_short(obj)}"
        program_note = ""
        if parent is None and self.rubric.document is not None and not getattr(obj, "loc", NOWHERE).file:
            program_note = PROGRAM_DEFAULTS.get(field_name, "")
            if program_note:  # the document is silent and the rubric too: the program's default is filled in
                inherited, decided = FILLED, None
        entry = Sourcing(obj, parent, inherited, decided, label, program_note)
        self.parts.append(entry)
        self._by_id[id(obj)] = entry
        for name, child in _children(obj):
            # A rule is named with its indicator (指标 1 规则 visits); an indicator by its own id alone.
            own_id = str(getattr(obj, "id", ""))
            if _word(child) == _word(obj):
                prefix = ""
            elif own_id:
                prefix = f"{_word(obj)} {own_id} "
            else:
                prefix = label + " "
            self._visit(child, entry, name, prefix)

    def get(self, obj: Sourced) -> Sourcing | None:
        return self._by_id.get(id(obj))

    def origin(self, obj: Sourced, name: str | None = None) -> Origin | None:
        entry = self.get(obj)
        if entry is None:
            return obj.own_origin(name) or self.default
        return entry.of(name)

    def mark(self, obj: Sourced | None, name: str | None = None) -> Mark | None:
        """The mark for a part (or one field of it), or None when it is the document's own."""
        if obj is None:
            return None
        entry = self.get(obj)
        origin = self.origin(obj, name)
        if origin is None or origin == SOURCE:
            return None
        text = ""
        if entry is not None:
            text = entry.explanation(origin)
        return Mark(origin, ORIGIN_MARKS[origin], text or _rubric_words(self.rubric, origin))

    def field_mark(self, obj: Sourced, name: str) -> Mark | None:
        """A mark for one field only where it differs from the part's own (the part is marked as a whole)."""
        if self.origin(obj, name) == self.origin(obj):
            return None
        return self.mark(obj, name)

    def node_points(self, node: Node, unit_type: str) -> Origin | None:
        """The origin of an indicator's points for one unit type."""
        if unit_type in node.points_by_type:
            return self.origin(node, "points_by_type")
        return self.origin(node, "points")


def _rubric_words(rubric: Rubric, origin: Origin) -> str:
    return "；".join(rubric.notes) if origin == FILLED and rubric.origin == FILLED else ""


def _children(obj: Any) -> Iterator[tuple[str, Sourced]]:
    """The Sourced parts directly inside ``obj``, with the field each sits in."""
    for f in dataclasses.fields(obj):
        if f.metadata.get("internal"):
            continue
        value = getattr(obj, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, Sourced):
                yield f.name, item


_CACHE: dict[int, tuple[Rubric, Provenance]] = {}


def provenance(rubric: Rubric) -> Provenance:
    """The rubric's provenance, made once per rubric object."""
    cached = _CACHE.get(id(rubric))
    if cached is not None and cached[0] is rubric:
        return cached[1]
    if len(_CACHE) > 64:
        _CACHE.clear()
    made = Provenance(rubric)
    _CACHE[id(rubric)] = (rubric, made)
    return made


def passage(obj: Sourced) -> list[str]:
    """The document's words a part holds: its quote and its verbatim fields, unless a field is marked
    otherwise (an invented title, a corrected word)."""
    texts = [obj.quote] if obj.quote else []
    for name in verbatim_fields(type(obj)):
        value = getattr(obj, name)
        if value and obj.field_origin.get(name, SOURCE) == SOURCE:
            texts.append(str(value))
    return texts



def grading_filled(rubric: Rubric) -> bool:
    """Grades follow rules the document did not (fully) give: something in grading or its pools is 补充."""
    grading = rubric.grading
    if grading is None:
        return False
    prov = provenance(rubric)
    parts: list[Sourced] = [grading, *grading.bands]
    if grading.method == "rank" or any(p.fail_bottom for p in rubric.ranking.pools):
        parts += list(rubric.ranking.pools)
    for part in parts:
        names = [None, *part.field_origin]
        if any(prov.origin(part, n) == FILLED for n in names):
            return True
    return False


