"""per_element: listed elements; results name the missing ones or count them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import ELEMENTS, halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    return {
        "per": num(draw(halves_upto(Decimal(2)))),
        "elements": draw(st.lists(st.sampled_from(ELEMENTS), min_size=1, max_size=4, unique=True)),
    }


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    missing = draw(st.lists(st.sampled_from(rule["elements"]), min_size=1, max_size=len(rule["elements"]), unique=True))
    return [("、".join(missing), "")] if draw(st.booleans()) else [(str(len(missing)), "")]
