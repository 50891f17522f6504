"""``shortfall`` 每少一次扣 N 分: a target count; each missing occurrence (or any shortfall) costs points.

The target is a number, a number per unit type, an activity's yearly target, or a number per member
(× the unit's 成员人数). Results give the count achieved (情况); the program works out the deduction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from generator.engine.exact import ZERO, fmt
from generator.engine.fields import doc
from generator.engine.quick import quick
from generator.engine.reasons import RuleReason
from generator.engine.rules.base import Rule, RuleCheck, ScoreContext, Scored, count, targets_words
from generator.engine.rules.sampling import SampleDraw, SampleHint, floor_int, num_text
from generator.engine.rules.sheet import CellCheck, left_empty, sheet_number

if TYPE_CHECKING:
    from generator.engine.models import Node, Rubric
    from generator.engine.results import Finding
    from generator.engine.rules.cells import RowReading

#: Counting units that may have fractions (党员集中学习培训 31.5 小时); 次, 篇, 项 … are whole.
CONTINUOUS_UNITS = {"小时", "学时", "课时", "天", "分钟"}


@dataclass(frozen=True, kw_only=True)
class ShortfallRule(Rule):
    """每少一次扣 N 分: a target count; each missing occurrence (or any shortfall) costs points."""

    KIND: ClassVar[str] = "shortfall"
    NAME: ClassVar[str] = "每少一次扣分"
    FILL_HELP: ClassVar[str] = "情况填实际完成的次数（篇数、小时数），程序按目标计算少了多少；扣分不填。"
    SAMPLE: ClassVar[SampleHint | None] = SampleHint(weight=10, cover=4)

    target: Decimal | Mapping[str, Decimal] | None = doc(
        "目标次数：一个数，或按单位类型分别给出的映射（例如 `{committee: 12, branch: 6}`）；"
        "映射中没有的单位类型不考核本规则。",
        None,
    )
    activity: str = doc("改为引用 activities 中某项活动的年度目标（与 target 二选一）。", "")
    per_member: Decimal | None = doc(
        "按人数定目标：每名成员的目标次数，目标 = per_member × 单位名册“成员人数”列（与 target、activity 三选一）。",
        None,
    )
    members: str = doc("per_member 所说的成员是谁，例如 `党组（党委）成员和机关党组织班子成员`。", "")
    per: Decimal | None = doc("每少一次扣的分（与 deduct 二选一）。", None)
    deduct: Decimal | None = doc("未达到目标即扣的固定分（与 per 二选一）。", None)
    unit: str = doc("计数单位，用于说明，例如 `次`、`篇`。", "次")

    def target_for(self, rubric: Rubric, unit_type: str, members: Decimal | None = None) -> Decimal | None:
        """The target for ``unit_type`` (and a unit's ``members``), or None when the rule sets none for it."""
        if self.per_member is not None:
            return None if members is None else self.per_member * members
        if self.activity:
            activity = next((a for a in rubric.activities if a.id == self.activity), None)
            return None if activity is None else activity.targets.get(unit_type)
        if isinstance(self.target, Mapping):
            return self.target.get(unit_type)
        return self.target

    # -- the rubric -----------------------------------------------------------------------

    def validate(self, check: RuleCheck) -> None:
        if sum((self.target is not None, bool(self.activity), self.per_member is not None)) != 1:
            check.error(
                "应写 target（目标次数）、activity（引用活动目标）或 per_member（每名成员的目标次数），三者选一",
                "例如 target: 4。",
            )
        activities = {a.id for a in check.rubric.activities}
        if self.activity and self.activity not in activities:
            known = "、".join(sorted(activities)) or "（细则没有 activities）"
            check.error(f"引用的活动 {self.activity} 不存在", f"可用的活动：{known}。")
        if isinstance(self.target, dict):
            check.type_refs(self.target, "的 target ")
        if (self.per is None) == (self.deduct is None):
            check.error("应写 per（每少一次扣分）或 deduct（未达标扣固定分），二者选一", "例如 per: 1。")
        check.over_item(self.deduct, "扣")

    def most_lost(self, points: Decimal) -> Decimal | None:
        return self.deduct  # per missing time: bounded only by the target, which may differ by type

    def scores_type(self, rubric: Rubric, type_id: str) -> bool:
        # A target per member holds for every type.
        return self.per_member is not None or self.target_for(rubric, type_id) is not None

    def needs_members(self) -> bool:
        return self.per_member is not None

    def activity_ref(self) -> str:
        return self.activity

    # -- results --------------------------------------------------------------------------

    def read(self, row: RowReading) -> Finding | None:
        where = row.where
        if not self.scores_type(row.rubric, row.unit_type):
            row.warning(
                "item", f"{where} 对{row.type_name}没有规定目标次数，这一行不计分", "核对单位类型，或删除这一行。"
            )
            return None
        n = row.count(whole=self.unit not in CONTINUOUS_UNITS)
        if n is None and row.value:
            return None  # the cell is not a count; already reported
        if n is None:
            row.error(
                "value", f"{where} 须填写实际完成的{self.unit}数", "在“情况”列写完成次数，程序按目标计算少了几次。"
            )
            return None
        if row.amount is not None:
            row.error("amount", f"{where} 按完成次数计算扣分，不填扣分", "删去扣分，只填完成次数。")
            return None
        return row.found(count=n)

    # -- scoring --------------------------------------------------------------------------

    def score(self, findings: tuple[Finding, ...], ctx: ScoreContext) -> Scored:
        target = self.target_for(ctx.rubric, ctx.unit_type, ctx.members)
        done = count(findings)
        missing = ZERO if target is None else max(ZERO, target - done)
        if target is None or missing == 0:
            lost = ZERO
        elif self.per is not None:
            lost = missing * self.per
        else:
            lost = self.deduct or ZERO
        why = ShortfallReason(
            kind=self.KIND,
            item=ctx.item,
            rule=ctx.rule,
            lost=lost,
            type_name=ctx.type_name,
            target=target,
            done=done,
            missing=missing,
            unit=self.unit,
            per_member=self.per_member,
            members=ctx.members,
            per=self.per,
        )
        return lost, None, why

    # -- words ----------------------------------------------------------------------------

    def describe(self, rubric: Rubric, node: Node) -> str:
        names = {t.id: t.name for t in rubric.unit_types}
        if self.per_member is not None:
            who = self.members or "成员"
            target = (
                f"每名{who} {fmt(self.per_member)} {self.unit}（目标 = {fmt(self.per_member)} {self.unit} × 成员人数）"
            )
        elif self.activity:
            a = next((x for x in rubric.activities if x.id == self.activity), None)
            target = f"{a.name}年度目标（{targets_words(a.targets, names, self.unit)}）" if a else self.activity
        elif isinstance(self.target, Mapping):
            target = "、".join(f"{names.get(k, k)} {fmt(v)} {self.unit}" for k, v in self.target.items())
        else:
            target = f"{fmt(self.target)} {self.unit}" if self.target is not None else ""
        how = f"每少 1 {self.unit}扣 {fmt(self.per)} 分" if self.per is not None else f"未达到扣 {fmt(self.deduct)} 分"
        return f"目标：{target}；{how}"

    def target_words(self, rubric: Rubric, type_id: str, members: Decimal | None = None) -> str:
        """A target as the sheet states it: 4次, or 每人2次×7人=14次 where it is set per member."""
        n, unit = sheet_number, self.unit
        if self.per_member is not None:
            if members is None:
                return f"每人{n(self.per_member)}{unit}×成员人数（见单位名册）"
            return f"每人{n(self.per_member)}{unit}×{n(members)}人={n(self.per_member * members)}{unit}"
        return f"{n(self.target_for(rubric, type_id))}{unit}"

    def sheet_words(self, rubric: Rubric, type_id: str, points: Decimal, members: Decimal | None) -> str:
        n = sheet_number
        how = f"每少1{self.unit}扣{n(self.per)}分" if self.per is not None else f"未达到目标扣{n(self.deduct)}分"
        return f"{how}，目标{self.target_words(rubric, type_id, members)}"

    def fill_words(self) -> str:
        return f"情况填实际完成的{self.unit}数，不填扣分"

    def value_check(self, rubric: Rubric, type_id: str, members: Decimal | None) -> CellCheck:
        target = self.target_words(rubric, type_id, members)
        return CellCheck(
            "decimal",
            "greaterThanOrEqual",
            "0",
            None,
            "情况：完成次数",
            f"填写全年实际完成的{self.unit}数（目标 {target}），程序按目标计算扣分；扣分列不填。",
            f"填写完成的{self.unit}数（0 或正数）。",
        )

    def amount_check(self, points: Decimal) -> CellCheck:
        return left_empty("按完成次数计算扣分，这一列不填。", "按完成次数计算扣分，扣分列不填。")

    # -- sample data ----------------------------------------------------------------------

    def sample(self, draw: SampleDraw) -> Decimal | None:
        rng = draw.rng
        target = self.target_for(draw.rubric, draw.type_id, draw.members)
        if draw.used or target is None or target < 1:
            return None
        if self.per is not None:
            most = min(floor_int(target), floor_int(draw.room / self.per), floor_int(target) if draw.exhaust else 3)
            if most < 1:
                return None
            missing = most if draw.exhaust else rng.randint(1, most)
            loss = missing * self.per
        else:
            deduct = self.deduct or ZERO
            if deduct > draw.room:
                return None
            missing = rng.randint(1, max(1, floor_int(target) // 4))
            loss = deduct
        done = target - missing
        family = "short0" if done == 0 else "short"
        reason = draw.reason(family, done=num_text(done), target=num_text(target), missing=num_text(Decimal(missing)))
        draw.add(num_text(done), "", reason, loss)
        return loss


@quick
@dataclass(frozen=True, slots=True, kw_only=True)
class ShortfallReason(RuleReason):
    #: The unit type's name, and its target (None: the type is not assessed on the rule).
    type_name: str
    target: Decimal | None
    done: Decimal
    missing: Decimal
    unit: str
    #: A target per member: per member, and the unit's members.
    per_member: Decimal | None
    members: Decimal | None
    #: Points per missing occurrence (None: a fixed deduction when short).
    per: Decimal | None

    def words(self) -> str:
        if self.target is None:
            return f"{self.type_name}不考核此项"
        unit = self.unit
        head = f"目标 {fmt(self.target)} {unit}，完成 {fmt(self.done)} {unit}"
        if self.per_member is not None and self.members is not None:
            head = (
                f"目标 {fmt(self.per_member)} {unit} × {fmt(self.members)} 人 = {fmt(self.target)} {unit}，"
                f"完成 {fmt(self.done)} {unit}"
            )
        if self.missing == 0:
            return head + "，达到目标"
        if self.per is not None:
            return f"{head}，少 {fmt(self.missing)} {unit} × {fmt(self.per)} 分 = {fmt(self.lost)} 分"
        return f"{head}，未达到目标，扣 {fmt(self.lost)} 分"
