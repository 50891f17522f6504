"""The provenance of a whole rubric: every part's origin resolved, checked, counted and marked.

A part's origin is its own ``origin``, else its parent's (a rule's indicator, a level's bonus item …),
else the rubric's ``origin``. A rubric without ``document`` is its own original, so its parts are
``原文`` unless they say otherwise; a rubric that names the document it was written from must let every
part's origin be determined, or the checker refuses it. Parts the YAML does not write (a default
``ranking``) are the program's own rules, not the rubric's content, and are left out.

Pure: no I/O. The parts are found by walking the models' fields, so no rule kind is named here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.data.problems import Loc, Problems
from generator.engine.fields import NOWHERE
from generator.engine.models import Node, Rubric
from generator.engine.origin import (
    FILLED,
    ORIGIN_MARKS,
    ORIGINS,
    READING,
    SOURCE,
    SOURCED_FIELDS,
    Origin,
    Sourced,
    verbatim_fields,
)

ZERO = Decimal(0)

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

    def of(self, name: str | None = None) -> Origin | None:
        """The origin of the part, or of one of its fields."""
        if name is not None and name in self.obj.field_origin:
            return self.obj.field_origin[name]
        return self.origin

    def explanation(self, origin: Origin) -> str:
        """The words behind a 补充 or 解读: here, else where the origin was decided."""
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
        self.counts: Counts | None = None
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
        entry = Sourcing(obj, parent, inherited, decided, label)
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


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


def passage(obj: Sourced) -> list[str]:
    """The document's words a part holds: its quote and its verbatim fields, unless a field is marked
    otherwise (an invented title, a corrected word)."""
    texts = [obj.quote] if obj.quote else []
    for name in verbatim_fields(type(obj)):
        value = getattr(obj, name)
        if value and obj.field_origin.get(name, SOURCE) == SOURCE:
            texts.append(str(value))
    return texts


def check_provenance(rubric: Rubric, problems: Problems) -> None:
    """Every part's origin can be determined, and says what it rests on."""
    prov = provenance(rubric)
    for entry in prov.parts:
        if not entry.written:
            continue
        obj, loc, label = entry.obj, entry.loc, entry.label
        public = {f.name for f in dataclasses.fields(obj) if not f.metadata.get("internal")}
        for key in obj.field_origin:
            if key not in public or key in SOURCED_FIELDS or key == "id":
                allowed = "、".join(sorted(public - SOURCED_FIELDS - {"id"}))
                problems.error(loc, f"{label}的 field_origin 中没有「{key}」这个键", f"只能标明本部分自己的键：{allowed}。")
        if entry.origin is None:
            problems.error(
                loc,
                f"{label}的来源无法确定",
                "细则写明了依据文件（document），每一部分都要能确定来源：在这里写 origin: 原文（或 补充、解读），"
                "或在上一级、细则顶层写 origin。",
            )
            continue
        origins = {obj.origin, *obj.field_origin.values()} - {None}
        if obj.origin in (SOURCE, READING) and not passage(obj):
            problems.error(
                loc,
                f"{label}标为{obj.origin}，但没有摘录原文",
                "在 quote 写出原文件中的这段话（一字不改），或把来源改为 补充 并在 note 说明。",
            )
        if READING in origins and not obj.reading:
            problems.error(loc, f"{label}标为解读，但没有写考核办公室的理解", "在 reading 写明怎样理解原文。")
        if FILLED in origins and not obj.note:
            problems.error(loc, f"{label}标为补充，但没有说明", "在 note 写明补充了什么、为什么（原文件缺失、没有规定等）。")
        if obj.reading and READING not in origins:
            problems.warning(loc, f"{label}写了 reading，但来源不是解读", "解读原文的写 origin: 解读；否则把 reading 的内容写进 note。")


# --------------------------------------------------------------------------------------------
# Counting, strict mode, what grades rest on
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """How much of a rubric is 原文, 补充 and 解读."""

    #: Parts (indicators, rules, levels …) by origin.
    parts: dict[str, int]
    #: Single fields marked 补充 or 解读 inside parts of another origin.
    fields: dict[str, int]
    #: Per unit type: (its id, its indicator points, points by origin).
    points: tuple[tuple[str, Decimal, dict[str, Decimal]], ...]


def count(rubric: Rubric) -> Counts:
    """The rubric's parts and indicator points by origin (made once per rubric)."""
    prov = provenance(rubric)
    if prov.counts is None:
        prov.counts = _count(rubric, prov)
    return prov.counts


def _count(rubric: Rubric, prov: Provenance) -> Counts:
    from generator.engine.tree import typed_tree  # the tree resolves origins through this module

    parts: dict[str, int] = dict.fromkeys(ORIGINS, 0)
    fields: dict[str, int] = dict.fromkeys(ORIGINS, 0)
    for entry in prov.parts:
        if not entry.written or entry.origin is None:
            continue
        parts[entry.origin] += 1
        for value in entry.obj.field_origin.values():
            if value != entry.origin:
                fields[value] += 1
    per_type = []
    for t in rubric.unit_types:
        by_origin: dict[str, Decimal] = dict.fromkeys(ORIGINS, ZERO)
        total = ZERO
        for top in typed_tree(rubric, t.id):
            if top.applicable:
                total += top.points
                _points(top, t.id, prov, by_origin)
        per_type.append((t.id, total, by_origin))
    return Counts(parts, fields, tuple(per_type))


def _points(typed: Any, unit_type: str, prov: Provenance, out: dict[str, Decimal]) -> None:
    """Attribute an indicator's points to origins: through its children when they add up to it."""
    kids = [c for c in typed.children if c.applicable]
    if kids and sum((k.points for k in kids), ZERO) == typed.points:
        for k in kids:
            _points(k, unit_type, prov, out)
        return
    origin = prov.node_points(typed.node, unit_type) or SOURCE
    out[origin] += typed.points


def filled_points(rubric: Rubric, unit_type: str) -> Decimal:
    """How many of a unit type's indicator points were filled in (补充)."""
    for type_id, _total, by_origin in count(rubric).points:
        if type_id == unit_type:
            return by_origin[FILLED]
    return ZERO


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


def strict_problems(rubric: Rubric, problems: Problems) -> None:
    """``kaoping check --strict``: an office's real year has nothing filled in."""
    prov = provenance(rubric)
    if rubric.origin == FILLED:
        problems.error(rubric.loc, f"细则 {rubric.id} 整份标为补充（origin: 补充）", "正式考核的细则须依据原文件；--strict 不接受补充的内容。")
        return
    for entry in prov.parts:
        if not entry.written:
            continue
        obj = entry.obj
        if obj.origin == FILLED:
            problems.error(entry.loc, f"{entry.label}是补充的内容：{obj.note}", "正式考核的细则须依据原文件；--strict 不接受补充的内容。")
        filled = [k for k, v in obj.field_origin.items() if v == FILLED]
        if filled and obj.origin != FILLED:
            problems.error(
                entry.loc,
                f"{entry.label}的 {'、'.join(filled)} 是补充的：{obj.note}",
                "正式考核的细则须依据原文件；--strict 不接受补充的内容。",
            )


def strict_sample(sample: Loc, problems: Problems) -> None:
    """``kaoping check --strict``: the results are marked as sample data."""
    problems.error(sample, "考核结果标明是示例数据（示例数据）", "正式考核的结果不能是示例数据；--strict 不接受。真实的结果请删去这一行。")


def report_lines(rubric: Rubric) -> list[str]:
    """``kaoping check``: how much of a rubric is 原文, 补充 and 解读, for the clerk to see at a glance."""
    from generator.engine.exact import fmt

    c = count(rubric)
    names = {t.id: t.name for t in rubric.unit_types}
    parts = "，".join(f"{o} {c.parts[o]}" for o in ORIGINS)
    fields = "，".join(f"{o} {c.fields[o]}" for o in ORIGINS if c.fields[o])
    lines = [f"{rubric.id}：各部分 {sum(c.parts.values())} 处（{parts}）" + (f"；另有单项标注（{fields}）" if fields else "")]
    seen: dict[tuple[Decimal, tuple[Decimal, ...]], list[str]] = {}
    for type_id, total, by_origin in c.points:
        seen.setdefault((total, tuple(by_origin[o] for o in ORIGINS)), []).append(names[type_id])
    for (total, values), types in seen.items():
        shares = "，".join(f"{o} {fmt(v)} 分" for o, v in zip(ORIGINS, values, strict=True))
        lines.append(f"  {'、'.join(types)}：指标 {fmt(total)} 分（{shares}）")
    return lines
