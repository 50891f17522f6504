"""What checking one assessment's results needs throughout: the rubric, the unit registry, the items as
they apply to each unit type, and where problems go; and how a row's unit and item are found.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from generator.data.problems import Problems
from generator.engine.models import Node, Rubric
from generator.engine.results import Row, Unit
from generator.engine.rules.cells import norm, read_number
from generator.engine.tree import TypedNode

T = TypeVar("T")


def find(items: Iterable[T], text: str, *attrs: str) -> T | None:
    """The item whose id or name equals ``text``, both read the same way (full-width （） as ( ) …)."""
    wanted = norm(text)
    for item in items:
        if any(norm(str(getattr(item, a))) == wanted for a in attrs):
            return item
    return None


@dataclass
class ResultsContext:
    """One assessment's results being checked: the rubric, the unit registry, the items, where problems go."""

    rubric: Rubric
    problems: Problems
    units: dict[str, Unit]
    folded: dict[str, str]
    nodes: Mapping[str, Node]
    #: Unit type → node id → the node as it applies to that type (applicable, points, rules): built once.
    typed: Mapping[str, Mapping[str, TypedNode]]
    #: (unit, part) whose parts.csv row was refused with an error: not reported again as missing.
    refused_parts: set[tuple[str, str]] = field(default_factory=set)

    def of(self, node: Node, unit: Unit) -> TypedNode:
        """``node`` as it applies to ``unit``'s type (not applicable when it or an ancestor is not)."""
        return self.typed[unit.type][node.id]

    def number(self, row: Row, column: str, what: str, *, allow_percent: bool = False) -> Decimal | None:
        return read_number(self.problems, row, column, what, allow_percent=allow_percent)

    def unit(self, row: Row) -> Unit | None:
        raw = row.get("unit")
        if raw in self.units:
            return self.units[raw]
        if not self.units:
            return None  # the registry itself failed; that is reported once, not on every row
        loc = row.at("unit")
        if not raw:
            self.problems.error(loc, "单位代码为空", "填写单位名册中的单位代码。")
            return None
        key = norm(raw).casefold()
        if key in self.folded:
            real = self.folded[key]
            self.problems.error(loc, f"单位代码「{raw}」与名册中的「{real}」大小写或空格不同", f"改为 {real}。")
            return None
        by_name = [u.id for u in self.units.values() if u.name == norm(raw)]
        close = difflib.get_close_matches(raw, list(self.units), n=1)
        hint = (
            f"这是单位名称，请填代码 {by_name[0]}。"
            if by_name
            else (f"是不是 {close[0]}？" if close else "先在单位名册 units.csv 中登记该单位。")
        )
        self.problems.error(loc, f"单位代码「{raw}」不在单位名册中", hint)
        return None

    def node(self, row: Row) -> Node | None:
        """The item a row names (its 指标 cell), or None after reporting it."""
        raw = row.get("item")
        key = norm(raw)
        node = self.nodes.get(key)
        if node is None:
            close = difflib.get_close_matches(key, list(self.nodes), n=1)
            hint = f"是不是 {close[0]}？" if close else "填写细则中的指标编号。"
            self.problems.error(row.at("item"), f"指标编号「{raw}」不在细则 {self.rubric.id} 中", hint)
            return None
        return node
