"""The indicator tree as it applies to one unit type: which nodes apply, at how many points, by which rules.

Pure: shared by the checker (do children add up for every unit type?) and the engine.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from generator.engine.models import Node, Rubric
from generator.engine.origin import FILLED
from generator.engine.provenance import provenance
from generator.engine.quick import quick
from generator.engine.rules.base import Rule


def rule_id(rule: Rule, index: int) -> str:
    """A rule's id: its own, or ``a``, ``b``, ``c`` … by position when the rubric names none."""
    return rule.id or chr(ord("a") + index)


def node_rules(node: Node, rubric: Rubric) -> tuple[tuple[str, Rule], ...]:
    """The rules that score ``node``, with their ids; a leaf without rules takes ``defaults.leaf_rule``."""
    rules = node.rules
    if not rules and not node.children and rubric.defaults.leaf_rule is not None:
        rules = (rubric.defaults.leaf_rule,)
    return tuple((rule_id(rule, i), rule) for i, rule in enumerate(rules))


def applies(node: Node, unit_type: str) -> bool:
    if node.applies_to and unit_type not in node.applies_to:
        return False
    return unit_type not in node.not_applicable_to


def points_for(node: Node, unit_type: str) -> Decimal:
    return node.points_by_type.get(unit_type, node.points)


@quick
@dataclass(frozen=True, slots=True)
class TypedNode:
    """A node as it applies to one unit type."""

    node: Node
    applicable: bool
    points: Decimal
    rules: tuple[tuple[str, Rule], ...]
    children: tuple[TypedNode, ...]
    floor: Decimal
    #: Filled in (补充) where the document is silent: it or an ancestor says so.
    illustrative: bool
    #: The node's id (kept here: the engine reads it for every node of every unit).
    id: str

    def applicable_children(self) -> tuple[TypedNode, ...]:
        return tuple(c for c in self.children if c.applicable)


def rules_for(node: Node, rubric: Rubric, unit_type: str) -> tuple[tuple[str, Rule], ...]:
    """The rules that score ``node`` for ``unit_type`` (a rule may apply to some types only), with their ids."""
    return tuple((rid, r) for rid, r in node_rules(node, rubric) if not r.applies_to or unit_type in r.applies_to)


def typed_tree(rubric: Rubric, unit_type: str) -> tuple[TypedNode, ...]:
    """The whole indicator tree for ``unit_type``; nodes that do not apply are kept, marked."""
    default_floor = rubric.defaults.item_floor if rubric.defaults.item_floor is not None else Decimal(0)
    prov = provenance(rubric)

    def build(node: Node, parent_applies: bool) -> TypedNode:
        applicable = parent_applies and applies(node, unit_type)
        return TypedNode(
            node=node,
            applicable=applicable,
            points=points_for(node, unit_type),
            rules=rules_for(node, rubric, unit_type),
            children=tuple(build(c, applicable) for c in node.children),
            floor=node.floor if node.floor is not None else default_floor,
            illustrative=prov.origin(node) == FILLED,
            id=node.id,
        )

    return tuple(build(n, True) for n in rubric.indicators)


def walk(nodes: tuple[Node, ...]) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Every node with its ancestors, depth first, in rubric order."""

    def visit(node: Node, ancestors: tuple[Node, ...]) -> Iterator[tuple[Node, tuple[Node, ...]]]:
        yield node, ancestors
        for child in node.children:
            yield from visit(child, (*ancestors, node))

    for node in nodes:
        yield from visit(node, ())


def walk_typed(nodes: tuple[TypedNode, ...]) -> Iterator[TypedNode]:
    for node in nodes:
        yield node
        yield from walk_typed(node.children)


def node_index(rubric: Rubric) -> Mapping[str, Node]:
    """Nodes by id (the first one when ids repeat; the checker reports repeats)."""
    index: dict[str, Node] = {}
    for node, _ in walk(rubric.indicators):
        index.setdefault(node.id, node)
    return index


def parent_index(rubric: Rubric) -> Mapping[str, str | None]:
    """Each node id's parent id (None for a category)."""
    return {node.id: (ancestors[-1].id if ancestors else None) for node, ancestors in walk(rubric.indicators)}


def tree_points(nodes: tuple[TypedNode, ...]) -> Decimal:
    """The indicator tree's full marks for a unit type: the applicable categories' points."""
    return sum((n.points for n in nodes if n.applicable), Decimal(0))
