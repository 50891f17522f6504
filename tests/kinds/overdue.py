"""overdue: per period overdue, the whole item from whole_item_at on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    out: dict[str, Any] = {"per": num(draw(halves_upto(Decimal(2))))}
    whole = draw(st.none() | st.integers(min_value=1, max_value=8))
    if whole is not None:
        out["whole_item_at"] = whole
    return out


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    return [(str(draw(st.integers(min_value=0, max_value=9))), "")]
