"""What a rule kind needs to make sample findings (``scripts/make_results.py``): the draw it is handed, and
the helpers for drawing amounts.

Sample data is made for the bundled rubrics only and must come out the same byte for byte from one run
to the next: a kind draws from ``draw.rng`` in a fixed order, and the script writes what it records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Protocol

from generator.engine.exact import fmt

if TYPE_CHECKING:
    from generator.engine.models import Rubric

HALF = Decimal("0.5")


@dataclass(frozen=True)
class SampleHint:
    """How sample data draws a kind's findings among a unit's deductions."""

    #: How often, beside the other kinds, a finding of this kind is drawn.
    weight: int
    #: Where the kind comes when every kind of a rubric is made to appear somewhere.
    cover: int
    #: Drawn for heavily failing units only (the rule takes a whole item).
    heavy_only: bool = False


class SampleDraw(Protocol):
    """One unit's draw on one rule of one item, as the sample-data script hands it to the rule's kind."""

    @property
    def rng(self) -> random.Random: ...
    @property
    def rubric(self) -> Rubric: ...
    @property
    def type_id(self) -> str: ...
    @property
    def members(self) -> Decimal | None: ...
    @property
    def points(self) -> Decimal:
        """The item's points for the unit's type."""

    @property
    def title(self) -> str:
        """The item's title."""

    @property
    def room(self) -> Decimal:
        """The most the finding may cost."""

    @property
    def exhaust(self) -> bool:
        """Take what the rule allows: the unit is to lose the whole item."""

    @property
    def used(self) -> int:
        """Findings already recorded on this rule for the unit."""

    @property
    def so_far(self) -> Decimal:
        """Points the unit already lost on this rule."""

    @property
    def fill(self) -> bool:
        """Write the amount even where the program would work it out."""

    @property
    def yes(self) -> str:
        """What the office writes in 情况 for a failing that is there (may be empty)."""

    @property
    def scale(self) -> Decimal:
        """The unit type's full marks over 100."""

    @property
    def chance(self) -> float:
        """Earned kinds: how likely the unit did the work."""

    @property
    def profile(self) -> str:
        """clean, light, normal or heavy: how much the unit loses."""

    def reason(self, family: str, **extra: object) -> str:
        """A reason as an assessor writes it, for a failing of ``family`` (absent, occ, short …)."""

    def add(self, value: str, amount: str, reason: str, loss: Decimal) -> None:
        """Record the finding: its 情况, 扣分 and 扣分原因, and the points it costs."""

    def element_names(self, text: str) -> tuple[str, ...]:
        """Names a clerk writes for missing elements, for a rule that lists none (``text``: its wording)."""


def dec_range(rng: random.Random, low: Decimal, high: Decimal, step: Decimal) -> Decimal:
    """A random multiple of ``step`` in [low, high] (low rounded up to a step)."""
    first = (low / step).to_integral_value(rounding=ROUND_CEILING)
    last = (high / step).to_integral_value(rounding=ROUND_FLOOR)
    if last < first:
        return low
    return Decimal(rng.randint(int(first), int(last))) * step


def step_for(top: Decimal) -> Decimal:
    """The step amounts are drawn in, for a range up to ``top``."""
    if top <= 1:
        return Decimal("0.1")
    if top <= 10:
        return HALF
    if top <= 40:
        return Decimal(1)
    return Decimal(5)


def floor_int(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def num_text(value: Decimal) -> str:
    """A number as a clerk writes it in a cell."""
    return fmt(value)
