"""shortfall: a target; results give the count done."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    out: dict[str, Any] = {"target": draw(st.integers(min_value=1, max_value=6))}
    if draw(st.booleans()):
        out["per"] = num(draw(halves_upto(Decimal(2))))
    else:
        out["deduct"] = num(draw(halves_upto(points)))
    return out


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    return [
        (str(draw(st.integers(min_value=0, max_value=4))), "")
        for _ in range(draw(st.integers(min_value=1, max_value=2)))
    ]
