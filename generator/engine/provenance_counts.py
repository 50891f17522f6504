"""How much of a rubric is 原文, 补充 and 解读: its parts and its indicator points by origin."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.engine.models import Rubric
from generator.engine.origin import ORIGINS, SOURCE
from generator.engine.provenance import Provenance, provenance
from generator.engine.tree import typed_tree

ZERO = Decimal(0)


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
    parts: dict[str, int] = dict.fromkeys(ORIGINS, 0)
    fields: dict[str, int] = dict.fromkeys(ORIGINS, 0)
    for entry in prov.parts:
        if not entry.counted or entry.origin is None:
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
