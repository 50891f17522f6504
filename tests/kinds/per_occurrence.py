"""per_occurrence: per occurrence found; results give how many."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    return {"per": num(draw(halves_upto(Decimal(2))))}


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    return [
        (str(draw(st.integers(min_value=0, max_value=5))), "")
        for _ in range(draw(st.integers(min_value=1, max_value=2)))
    ]
