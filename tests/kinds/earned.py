"""earned: points earned when done, in part where the rule allows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    return {"points": num(draw(halves_upto(points))), "partial": draw(st.booleans())}


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    done = draw(st.sampled_from(["", "是", "否"]))
    if rule["partial"] and done != "否" and draw(st.booleans()):
        return [(done, str(draw(halves_upto(Decimal(str(rule["points"]))))))]
    return [(done, "")]
