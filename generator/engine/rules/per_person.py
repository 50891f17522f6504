"""``per_person`` 每一人次扣 1 分: each person-time costs points."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from generator.engine.fields import doc
from generator.engine.rules.occurrences import CountedRule
from generator.engine.rules.sampling import SampleHint


@dataclass(frozen=True, kw_only=True)
class PerPersonRule(CountedRule):
    """每一人次扣 1 分: each person-time costs points."""

    KIND: ClassVar[str] = "per_person"
    NAME: ClassVar[str] = "每一人次扣分"
    FILL_HELP: ClassVar[str] = "情况填人次（不填按 1 人次计）；扣分可不填。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=7, cover=3)

    per: Decimal = doc("每一人次扣的分。")
    unit: str = doc("计数单位。", "人次")
