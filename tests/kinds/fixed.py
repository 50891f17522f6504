"""fixed: a fixed deduction; results say the failing is there (or not)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    return {"deduct": num(draw(halves_upto(points)))}


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    return [(draw(st.sampled_from(["", "是", "否"])), "")]
