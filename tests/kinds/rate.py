"""rate: a rate below the threshold costs a fixed amount, per time, or within a range."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kinds import halves_upto, num


def rule(draw: st.DrawFn, points: Decimal) -> dict[str, Any]:
    out: dict[str, Any] = {"threshold": draw(st.sampled_from(["80%", "0.9", "100%"]))}
    way = draw(st.sampled_from(["deduct", "per", "range"]))
    if way == "range":
        top = draw(halves_upto(points))
        out["min"], out["max"] = num(min(Decimal("0.5"), top)), num(top)
    else:
        out[way] = num(draw(halves_upto(points)))
    return out


def rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    out = []
    text = rule["threshold"]
    threshold = Decimal(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    discretionary_used = False
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        percent = draw(st.integers(min_value=50, max_value=100))
        amount = ""
        if "max" in rule and Decimal(percent) / 100 < threshold:
            if discretionary_used:
                # A discretionary 1～2 is one judgement: the rows below the rate together stay within max.
                percent = int(threshold * 100)
            else:
                amount = str(draw(st.sampled_from([Decimal(str(rule["min"])), Decimal(str(rule["max"]))])))
                discretionary_used = True
        out.append((f"{percent}%", amount))
    return out
