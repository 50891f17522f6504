"""Where a bonus claim or a special deduction stands: 申报 (提出) → 初审 → 认定 or 不予认定.

004:39: 加分项目由被考核单位自行申报、各考核单位汇总初审，扣分项目由考核单位提供有关情况，初审情况由
市委党的建设工作领导小组办公室组织综合评估认定后统一运用. Only a decided, 认定 record counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from generator.engine.quick import quick

Stage = Literal["declared", "reviewed", "confirmed", "refused"]

#: How each stage is named for a bonus claim (the unit declares it) …
CLAIM_STAGE_NAMES: Mapping[str, str] = {
    "declared": "申报",
    "reviewed": "初审",
    "confirmed": "认定",
    "refused": "不予认定",
}
#: … and for a special deduction (the assessing department reports it).
PENALTY_STAGE_NAMES: Mapping[str, str] = {
    "declared": "提出",
    "reviewed": "初审",
    "confirmed": "认定",
    "refused": "不予认定",
}


@quick
@dataclass(frozen=True, slots=True)
class Process:
    """The stages a record went through, as the results table records them."""

    stage: Stage
    #: The ground the rubric names that the record rests on (加分事由 / 扣分情形), '' when the rubric names none.
    ground: str = ""
    #: 申报日期 (bonus) as ISO date text, '' when not written.
    declared: str = ""
    #: Who reported (扣分: 提出单位) or first reviewed (初审单位).
    reviewer: str = ""
    review: str = ""
    #: 认定说明: why the office decided as it did (required for 不予认定).
    decision_note: str = ""
    #: The points the unit claimed (申报分), when it wrote them.
    claimed: Decimal | None = None
    #: Read from a table without the stage columns: a blank 认定 there means 认定, as it always did.
    legacy: bool = False

    @property
    def counts(self) -> bool:
        return self.stage == "confirmed"

    @property
    def decided(self) -> bool:
        return self.stage in ("confirmed", "refused")
