"""失分项: the items where a unit lost points, grouped by part, each with its reasons and the rule applied.

What a unit secretary reads first, after the total, rank and grade. Each item links to its row in the whole
table (a stable anchor, the item's id: ``units/xq-07.html#3.5.3``), where the same row sits in its part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.engine.exact import ZERO, fmt
from generator.engine.outcome import NodeOutcome
from generator.engine.provenance import Mark, Provenance
from generator.engine.wording import all_words, rule_words
from generator.site.views.origin import rule_marks

#: Ids the unit page uses for its own sections: an item with such an id gets a prefixed anchor instead.
PAGE_IDS = frozenset({"unit", "lost", "charts", "total", "items", "bonus", "penalties", "vetoes", "history"})
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def item_anchor(node_id: str) -> str:
    """An item's anchor on its unit's page: its id as the rubric writes it (``3.5.3``), so that a link in
    a chat message reads as the item; ids that could clash with the page's own are prefixed."""
    if _SAFE_ID.match(node_id) and node_id not in PAGE_IDS and not node_id.startswith("part-"):
        return node_id
    return "item-" + re.sub(r"[^A-Za-z0-9._-]", "_", node_id)


def part_anchor(node_id: str) -> str:
    """The anchor of a part (a category) of the whole table."""
    return "part-" + item_anchor(node_id)


@dataclass(frozen=True)
class LostRule:
    """A rule that took points off an item: how many, why (the findings' reasons) and how it counts."""

    #: How the points follow from the facts, e.g. 目标 4 次，完成 2 次，少 2 次 × 1 分 = 2 分.
    explanation: str
    reasons: tuple[str, ...]
    lost: str
    #: 补 / 解 for the rule or its numbers.
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class LostItem:
    id: str
    #: The item's row in the whole table, on the same page.
    anchor: str
    title: str
    #: The titles of the items above it inside its part (an item titled 第2项 needs them), joined by ›.
    context: str
    lost: str
    points: str
    rules: tuple[LostRule, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class LostPart:
    """A part (一级指标) in which the unit lost points."""

    id: str
    title: str
    #: The part's fold in the whole table.
    anchor: str
    points: str
    score: str
    lost: str
    items: tuple[LostItem, ...]
    #: Why the part lost less than its items' lines add up to (扣完为止), when it did.
    notes: tuple[str, ...] = ()


def _lost_rules(n: NodeOutcome, prov: Provenance | None) -> tuple[LostRule, ...]:
    return tuple(
        LostRule(
            explanation=rule_words(r.why),
            reasons=r.reasons,
            lost=fmt(r.lost),
            marks=rule_marks(r.rule, n.node, prov) if prov is not None else (),
        )
        for r in n.rules
        if r.lost > ZERO
    )


def _lost_items(n: NodeOutcome, above: tuple[str, ...], prov: Provenance | None, out: list[LostItem]) -> None:
    """The items under ``n`` (and ``n`` itself) where a rule took points, depth first; ``above``: the titles
    of the items between the part and ``n``."""
    if not n.applicable or not n.lost:
        return
    rules = _lost_rules(n, prov)
    lost_below = any(ch.applicable and ch.lost for ch in n.children)
    # An item whose sub-items' deductions pass its points loses only its points (扣完为止): listed too, before
    # them, with the note that says so: the lines below it add up to more than it lost.
    if rules or not lost_below or _capped(n):
        out.append(
            LostItem(
                id=n.id,
                anchor=item_anchor(n.id),
                title=n.node.title,
                context=" › ".join(above),
                lost=fmt(n.lost),
                points=fmt(n.points) if n.points is not None else "",
                rules=rules,
                notes=all_words(n.notes),
            )
        )
    for ch in n.children:
        _lost_items(ch, (*above, n.node.title), prov, out)


def _capped(n: NodeOutcome) -> bool:
    """Whether ``n`` lost less than its sub-items and its own rules took: it stopped at its points."""
    below = sum((ch.lost for ch in n.children if ch.applicable), ZERO)
    return below > ZERO and n.lost < below + sum((r.lost for r in n.rules), ZERO)


def lost_parts(categories: Sequence[NodeOutcome], prov: Provenance | None = None) -> tuple[LostPart, ...]:
    """Every part with points lost, and in it every item where a rule took them (depth first)."""
    parts = []
    for c in categories:
        if not c.applicable or not c.lost:
            continue
        items: list[LostItem] = []
        if _lost_rules(c, prov):
            _lost_items(c, (), prov, items)  # the part's own rule took points: the part is an item too
        else:
            for ch in c.children:
                _lost_items(ch, (), prov, items)
        parts.append(
            LostPart(
                id=c.id,
                title=c.node.title,
                anchor=part_anchor(c.id),
                points=fmt(c.points) if c.points is not None else "",
                score=fmt(c.score) if c.score is not None else "",
                lost=fmt(c.lost),
                items=tuple(items),
                # A part that stopped at its points (扣完为止) says so under its heading: its lines add up to more.
                notes=all_words(c.notes) if _capped(c) and not _lost_rules(c, prov) else (),
            )
        )
    return tuple(parts)
