"""``per_occurrence`` 有一次扣 2 分 / 迟到每一次扣 1 分: each occurrence of a failing costs points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from generator.engine.fields import doc
from generator.engine.rules.occurrences import CountedRule
from generator.engine.rules.sampling import SampleHint


@dataclass(frozen=True, kw_only=True)
class PerOccurrenceRule(CountedRule):
    """有一次扣 2 分 / 迟到每一次扣 1 分: each occurrence of a failing costs points."""

    KIND: ClassVar[str] = "per_occurrence"
    NAME: ClassVar[str] = "每发生一次扣分"
    FILL_HELP: ClassVar[str] = "情况填发生的次数（不填按 1 次计）；扣分可不填（填时须等于次数乘每次扣的分）。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=14, cover=2)

    per: Decimal = doc("每发生一次扣的分。")
    unit: str = doc("计数单位，例如 `次`、`起`、`项`。", "次")
