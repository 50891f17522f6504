"""The unit registry (units.csv) checked against the rubric: codes, types, statuses, members."""

from __future__ import annotations

import re
from decimal import Decimal

from generator.data.codes import WINDOWS_RESERVED, first_place, too_long
from generator.data.problems import Problems
from generator.engine.exact import NumberError, parse_number
from generator.engine.grading import UNGROUPED
from generator.engine.models import Rubric
from generator.engine.results import RawResults, Row, Unit, UnitStatus
from generator.engine.rules.cells import norm
from generator.engine.tree import typed_tree, walk_typed

UNIT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
ASSESSED = {"已考核", "考核", "参加考核", "assessed", "是"}
NOT_ASSESSED = {"不参加考核", "未考核", "不考核", "免考核", "not_assessed", "否"}


def _status(text: str) -> UnitStatus | None:
    t = norm(text).lower()
    if not t:
        return "unknown"
    if t in ASSESSED:
        return "assessed"
    if t in NOT_ASSESSED:
        return "not_assessed"
    return None


def read_registry(rubric: Rubric, raw: RawResults, problems: Problems) -> dict[str, Unit]:
    """The unit registry (units.csv) checked against the rubric: its units by code."""
    types = {norm(t.id): t.id for t in rubric.unit_types} | {norm(t.name): t.id for t in rubric.unit_types}
    units: dict[str, Unit] = {}
    folded: dict[str, Unit] = {}
    grouped = rubric.ranking.within == "group" and any(row.get("group") for row in raw.units)
    per_member = {t.id: _per_member_rules(rubric, t.id) for t in rubric.unit_types}
    for row in raw.units:
        uid = row.get("id")
        loc = row.at("id")
        long = too_long("单位代码", uid)
        if long is not None:
            problems.error(loc, *long)
            continue
        if not UNIT_ID.match(uid):
            problems.error(
                loc,
                f"单位代码「{uid}」含有不允许的字符（它会成为网页地址）",
                "只用字母、数字、下划线和连字符，以字母或数字开头，例如 jw-01。",
            )
            continue
        if uid.casefold() in WINDOWS_RESERVED:
            problems.error(
                loc, f"单位代码「{uid}」是 Windows 的保留名称，不能用作文件名", "换一个代码，例如加上前缀 u-。"
            )
            continue
        if uid.casefold() in folded:
            first = folded[uid.casefold()]
            problems.error(
                loc,
                f"单位代码 {uid} 重复（第一次在{first_place(first.loc, loc)}：{first.id}），代码不区分大小写",
                "每个单位的代码必须不同"
                + ("；另一个文件是复制出来的副本时，删除不要的那个文件。" if first.loc.file != loc.file else "。"),
            )
            continue
        type_text = norm(row.get("type"))
        type_id = types.get(type_text)
        if type_id is None:
            problems.error(
                row.at("type"),
                f"单位类型「{row.get('type')}」不在细则中",
                "可用的单位类型：" + "、".join(f"{t.name}（{t.id}）" for t in rubric.unit_types) + "。",
            )
            continue
        status = _status(row.get("status"))
        if status is None:
            problems.error(
                row.at("status"), f"考核状态「{row.get('status')}」无法识别", "写「已考核」或「不参加考核」，或留空。"
            )
            continue
        name = row.get("name")
        if not name:
            problems.error(row.at("name"), f"单位 {uid} 的名称为空", "填写单位全称。")
            continue
        if grouped and not row.get("group"):
            problems.warning(
                row.at("group"),
                f"细则按联络组排名，单位 {uid} 没有填联络组：它与其他没有联络组的单位一起排名，页面上写作“{UNGROUPED}”",
                "在单位名册的“联络组”列填写该单位所在的组。",
            )
        members = _members(row, per_member[type_id] if status != "not_assessed" else [], problems)
        unit = Unit(
            uid,
            name,
            type_id,
            row.get("group"),
            row.get("parent"),
            status,
            row.get("status_note"),
            row.loc,
            abbr=row.get("abbr"),
            members=members,
        )
        units[uid] = unit
        folded[uid.casefold()] = unit
    return units


def _per_member_rules(rubric: Rubric, type_id: str) -> list[str]:
    """Where the rubric sets a target per member for ``type_id``: 指标 1 规则 visits …"""
    return [
        f"指标 {n.id} 规则 {rid}"
        for n in walk_typed(typed_tree(rubric, type_id))
        if n.applicable
        for rid, r in n.rules
        if r.needs_members()
    ]


def _members(row: Row, needed: list[str], problems: Problems) -> Decimal | None:
    """The unit's 成员人数: required where a rule sets its target per member (``needed`` names those rules)."""
    text = row.get("members")
    if not text:
        if needed:
            problems.error(
                row.at("members") if "members" in row.columns else row.loc,
                f"单位 {row.get('id')} 没有填成员人数，{needed[0]} 的目标按人数计算",
                "在单位名册加“成员人数”列，填该单位的人数（整数），例如 7。",
            )
        return None
    try:
        parsed = parse_number(text)
    except NumberError as exc:
        problems.error(row.at("members"), f"成员人数{exc}", "填写整数，例如 7。")
        return None
    value = parsed.value
    if parsed.fixups:
        problems.warning(
            row.at("members"), f"成员人数「{text}」已读作 {value}（{'，'.join(parsed.fixups)}）", f"直接写 {value}。"
        )
    if value <= 0 or value != value.to_integral_value():
        problems.error(row.at("members"), f"成员人数应为正整数，这里是「{text}」", "填写整数，例如 7。")
        return None
    return value
