"""What the generator keeps per unit while drawing (its findings, what it lost where), and the draw it hands
a rule's kind (:class:`generator.engine.rules.sampling.SampleDraw`) to make one finding."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.engine.models import Rubric
from generator.engine.rules.base import Rule
from generator.engine.tree import TypedNode
from samples.spec import UnitRow
from samples.words import ELEMENT_NAMES

if TYPE_CHECKING:
    from samples.generator import Generator

ZERO = Decimal(0)


@dataclass(frozen=True)
class Slot:
    """One rule as it applies to one unit type."""

    node: TypedNode
    category: str
    rule_id: str
    rule: Rule
    write_rule: bool
    #: The rule is the rubric's default for leaves without rules (defaults.leaf_rule).
    default: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.node.id, self.rule_id)


@dataclass
class Entry:
    unit: str
    item: str
    rule: str
    value: str
    amount: str
    reason: str
    assessor: str = ""
    note: str = ""
    order: tuple[int, int] = (0, 0)


@dataclass
class UnitState:
    unit: UnitRow
    entries: list[Entry] = field(default_factory=list)
    lost: dict[str, Decimal] = field(default_factory=dict)
    used: dict[tuple[str, str], int] = field(default_factory=dict)
    #: Points lost on each rule (item, rule) so far.
    so_far: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    reasons: set[str] = field(default_factory=set)
    templates: set[tuple[str, str]] = field(default_factory=set)
    total: Decimal = ZERO


class Draw:
    """One unit's draw on one rule of one item, as its kind's ``sample`` sees it."""

    def __init__(
        self, gen: Generator, st: UnitState, slot: Slot, room: Decimal, *, exhaust: bool = False, chance: float = 0.0
    ) -> None:
        self.gen, self.st, self.slot = gen, st, slot
        unit = st.unit
        self.rng: random.Random = gen.rng
        self.rubric: Rubric = gen.rubric
        self.type_id = unit.type.id
        self.members = Decimal(unit.members) if unit.members is not None else None
        self.points = slot.node.points
        self.title = slot.node.node.title
        self.room = room
        self.exhaust = exhaust
        self.used = st.used.get(slot.key, 0)
        self.so_far = st.so_far.get(slot.key, ZERO)
        self.fill = gen.spec.fill_amounts
        self.yes = gen.spec.yes_word
        self.scale = gen.scale(unit.type)
        self.chance = chance
        self.profile = unit.profile

    def reason(self, family: str, **extra: object) -> str:
        return self.gen.reason(self.st, self.slot, family, **extra)

    def add(self, value: str, amount: str, reason: str, loss: Decimal) -> None:
        self.st.so_far[self.slot.key] = self.so_far + loss
        self.gen.add(self.st, self.slot, value, amount, reason, loss)

    def element_names(self, text: str) -> tuple[str, ...]:
        return next((names for key, names in ELEMENT_NAMES if key in text), ())
