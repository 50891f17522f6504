"""range: the assessors' amount, within min and max (or the item's points)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    top = draw(st.none() | halves_upto(points))
    low = draw(st.sampled_from([Decimal(0), Decimal("0.5")]).filter(lambda v: v <= (top or points)))
    out: dict[str, Any] = {"min": num(low)}
    if top is not None:
        out["max"] = num(top)
    return out


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    low = Decimal(str(rule["min"]))
    top = Decimal(str(rule.get("max", points)))
    amount = draw(st.integers(min_value=int(low * 2), max_value=int(top * 2)).map(lambda n: Decimal(n) / 2))
    return [("", str(amount))]
