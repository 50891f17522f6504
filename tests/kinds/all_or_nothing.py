"""all_or_nothing: the whole item; results say the failing is there (or not)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    return {}


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    return [(draw(st.sampled_from(["", "是", "否"])), "")]
