"""Random valid rules and results of each rule kind, for the whole-pipeline fuzz test (``tests/test_fuzz.py``).

One module per kind, named as the kind is (``kinds/shortfall.py`` for ``kind: shortfall``), beside the
kind's own module in ``generator/engine/rules/``. Each gives two hypothesis draws:

- ``rule(draw, points)``: the keys of a valid rule of the kind (besides ``id`` and ``kind``) for an item of
  ``points``, as the YAML holds them;
- ``rows(draw, rule, points)``: the (情况, 扣分) cells of the rows of ``entries`` one unit has for the rule,
  valid for the checker (possibly several rows).

The fuzz test takes the kinds from the registry: a kind without its module here fails it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

D = Decimal
ELEMENTS = ["党旗", "入党誓词", "制度上墙", "活动台账", "学习园地", "党员名册"]


def halves_upto(top: Decimal) -> st.SearchStrategy[Decimal]:
    """0.5, 1, … up to ``top`` (at least 0.5)."""
    return st.integers(min_value=1, max_value=max(1, int(top * 2))).map(lambda n: D(n) / 2)


def num(value: Decimal | int) -> Any:
    """A number for the YAML (written as JSON): an int or the Decimal's exact text as a float."""
    value = D(value)
    return int(value) if value == value.to_integral_value() else float(value)
