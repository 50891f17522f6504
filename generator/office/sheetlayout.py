"""The score sheet's layout, shared by the writer (:mod:`generator.office.sheetbook`) and the import
(:mod:`generator.office.sheetimport`): the columns, which rows a worksheet has, where each existing result
goes, and the small conversions between cells and results text.

One workbook per assessment:

- ``说明``: how to fill it in, the assessment's code and the rubric's check code;
- one worksheet per 联络组 (one worksheet when the registry has no groups), long form like
  ``entries.csv``: every unit taking part (registry order), every applicable rule of every item
  (rubric order), the pre-filled columns, then 情况 / 扣分 / 扣分原因 / 自查分 / 考核人 / 内部备注;
- the unit-level tables the rubric needs (entered parts, bonus, penalties, vetoes), columns as in
  ``results/`` with 单位名称 beside the code;
- ``代码表``: the codes the drop-down lists offer.

Row 1 of every data worksheet repeats the assessment code, the rubric's check code and the
worksheet's name, so that one worksheet saved alone as CSV still says what it is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.data.check import check_rubric
from generator.data.check_units import read_registry
from generator.data.load import RESULTS_DIR, RUBRICS_DIR, known_assessments, load_project
from generator.data.problems import Loc, Problems
from generator.data.tables import BONUS, PARTS, PENALTIES, VETOES
from generator.engine.models import Node, Rubric
from generator.engine.results import RawResults, Row, Unit
from generator.engine.rules.base import Rule
from generator.engine.tree import TypedNode, node_index, node_rules, rules_for, typed_tree, walk, walk_typed
from generator.office.report import Ending
from generator.office.sheetcolumns import (
    CODES_SHEET,
    README_SHEET,
    SINGLE_SHEET,
    UNGROUPED_SHEET,
    UnitSheet,
    norm,
    rubric_digest,
    unit_sheets,
)

# --------------------------------------------------------------------------------------------
# Rows of a main worksheet: every applicable rule of every item, for each unit
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One row of the template: a rule of an item as it applies to a unit type (or an item's self-score only)."""

    node: Node
    title: str
    points: Decimal
    rule_id: str | None
    rule: Rule | None
    #: The 规则 cell: the rule's id, or empty when the item has one rule without an id of its own.
    label: str
    order: int


def _slots_for_type(rubric: Rubric, type_id: str, order: Mapping[str, int]) -> list[Slot]:
    slots: list[Slot] = []

    def visit(n: TypedNode, depth: int, parent: str) -> None:
        if not n.applicable:
            return
        title = f"{parent}：{n.node.title}" if depth >= 2 and parent else n.node.title
        for rid, rule in n.rules:
            if not rule.scores_type(rubric, type_id):
                continue  # e.g. no target for this unit type: the rule does not score it
            label = "" if len(n.rules) == 1 and not rule.id else rid
            slots.append(Slot(n.node, title, n.points, rid, rule, label, order[n.id]))
        for child in n.children:
            visit(child, depth + 1, n.node.title)

    for top in typed_tree(rubric, type_id):
        visit(top, 0, "")
    return slots


def _self_score_slot(rubric: Rubric, node: Node, type_id: str, order: Mapping[str, int]) -> Slot | None:
    """A row for the self-score of an item with no rules of its own, when the results hold one."""
    for n, ancestors in walk(rubric.indicators):
        if n.id != node.id:
            continue
        typed = {t.id: t for t in walk_typed(typed_tree(rubric, type_id))}
        if not typed[n.id].applicable:
            return None
        parent = ancestors[-1].title if ancestors else ""
        title = f"{parent}：{n.title}" if len(ancestors) >= 2 else n.title
        return Slot(n, title, typed[n.id].points, None, None, "", order[n.id])
    return None


@dataclass
class SheetRow:
    unit: Unit
    slot: Slot
    #: The existing entries row shown on this row, if any.
    finding: Row | None = None
    #: The existing self_scores row shown on this row (on the item's first row).
    self_score: Row | None = None
    #: The first row of its item for this unit (the row that takes 自查分).
    first: bool = False


@dataclass
class Layout:
    """Everything a workbook shows: worksheets with their rows, the unit-level tables, the codes."""

    rubric: Rubric
    digest: str
    units: tuple[Unit, ...]
    #: Worksheet name → (its 联络组, its rows).
    groups: dict[str, tuple[str, list[SheetRow]]] = field(default_factory=dict)
    #: Unit-level worksheets with the existing rows they show (parts: template rows too, as dicts).
    unit_rows: dict[str, list[Mapping[str, str]]] = field(default_factory=dict)
    unit_specs: tuple[UnitSheet, ...] = ()
    left_out: tuple[Unit, ...] = ()


def resolve_rule(rubric: Rubric, node: Node, text: str, type_id: str | None = None) -> str | None:
    """The rule id a results row's 规则 cell means (empty: the item's only rule, for the unit's type when
    given), or None."""
    rules = rules_for(node, rubric, type_id) if type_id is not None else node_rules(node, rubric)
    wanted = norm(text)
    if not wanted:
        return rules[0][0] if len(rules) == 1 else None
    return next((rid for rid, _ in rules if rid == wanted), None)


def _sheet_names(units: Sequence[Unit], reserved: set[str]) -> dict[str, str]:
    """Group → worksheet name (Excel: at most 31 characters, none of []:*?/\\, unique ignoring case)."""
    names: dict[str, str] = {}
    taken = {r.casefold() for r in reserved}
    groups = list(dict.fromkeys(u.group for u in units))
    for group in groups:
        if len(groups) == 1 and group == "":
            base = SINGLE_SHEET
        else:
            base = re.sub(r"[\[\]:*?/\\]", "_", group).strip("'") or UNGROUPED_SHEET
        base = base[:31]
        name, n = base, 2
        while name.casefold() in taken:
            suffix = f"（{n}）"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.casefold())
        names[group] = name
    return names


def _findings(
    rubric: Rubric,
    raw: RawResults,
    by_id: Mapping[str, Unit],
    listed_ids: set[str],
    type_slots: Mapping[str, list[Slot]],
    problems: Problems,
) -> dict[tuple[str, str, str], list[Row]]:
    """The existing findings by (unit, item, rule); a row that has no place on the sheet is an error."""
    nodes = node_index(rubric)
    findings: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in raw.entries:
        uid = row.get("unit")
        if uid in by_id and uid not in listed_ids:
            continue  # a unit not taking part is not on the sheet; its rows stay as they are
        if uid not in by_id:
            problems.error(
                row.at("unit"),
                f"单位代码「{uid}」不在单位名册中，这一行无法放进评分表",
                "先改正这一行（kaoping check 可列出全部问题）。",
            )
            continue
        node = nodes.get(norm(row.get("item")))
        rid = resolve_rule(rubric, node, row.get("rule"), by_id[uid].type) if node is not None else None
        if node is None or rid is None:
            problems.error(
                row.at("item"),
                f"指标「{row.get('item')}」规则「{row.get('rule')}」不在细则中，这一行无法放进评分表",
                "先改正这一行（kaoping check 可列出全部问题）。",
            )
            continue
        if not any(s.node.id == node.id and s.rule_id == rid for s in type_slots[by_id[uid].type]):
            problems.error(
                row.at("item"),
                f"指标 {node.id} 规则 {rid} 不适用于单位 {uid}，这一行无法放进评分表",
                "先改正这一行（kaoping check 可列出全部问题）。",
            )
            continue
        findings[(uid, node.id, rid)].append(row)
    return findings


def _self_scores(
    rubric: Rubric,
    raw: RawResults,
    by_id: Mapping[str, Unit],
    listed_ids: set[str],
    type_slots: Mapping[str, list[Slot]],
    order: Mapping[str, int],
    problems: Problems,
) -> tuple[dict[tuple[str, str], Row], dict[str, list[Slot]]]:
    """The existing self-scores by (unit, item), and the rows they add where a unit's item has no rule row."""
    nodes = node_index(rubric)
    self_rows: dict[tuple[str, str], Row] = {}
    extra: dict[str, list[Slot]] = defaultdict(list)
    for row in raw.self_scores:
        uid = row.get("unit")
        if uid in by_id and uid not in listed_ids:
            continue
        node = nodes.get(norm(row.get("item")))
        if uid not in by_id or node is None:
            problems.error(
                row.loc,
                f"自查分（单位「{uid}」指标「{row.get('item')}」）无法放进评分表",
                "先改正这一行（kaoping check 可列出全部问题）。",
            )
            continue
        if (uid, node.id) in self_rows:
            problems.error(row.loc, f"单位 {uid} 指标 {node.id} 的自查分录入了不止一次", "只保留一行。")
            continue
        if row.get("note"):
            problems.warning(
                row.at("note"),
                "评分表中没有自查分的内部备注，这条备注不会出现在评分表中；导入评分表后会丢失",
                "把备注写进扣分记录的内部备注。",
            )
        if not any(s.node.id == node.id for s in type_slots[by_id[uid].type]):
            slot = _self_score_slot(rubric, node, by_id[uid].type, order)
            if slot is None:
                problems.error(
                    row.at("item"), f"指标 {node.id} 不适用于单位 {uid}，自查分无法放进评分表", "删除这一行。"
                )
                continue
            extra[uid].append(slot)
        self_rows[(uid, node.id)] = row
    return self_rows, extra


def build_layout(rubric: Rubric, raw: RawResults, units: Sequence[Unit], problems: Problems) -> Layout:
    """Place every existing result on its row; what cannot be placed is an error at its CSV cell."""
    order = {n.id: i for i, (n, _) in enumerate(walk(rubric.indicators))}
    by_id = {u.id: u for u in units}
    listed = [u for u in units if u.status != "not_assessed"]
    listed_ids = {u.id for u in listed}
    type_slots = {t.id: _slots_for_type(rubric, t.id, order) for t in rubric.unit_types}
    specs = unit_sheets(rubric, raw)
    layout = Layout(
        rubric,
        rubric_digest(rubric),
        tuple(units),
        unit_specs=specs,
        left_out=tuple(u for u in units if u.id not in listed_ids),
    )

    findings = _findings(rubric, raw, by_id, listed_ids, type_slots, problems)
    self_rows, extra = _self_scores(rubric, raw, by_id, listed_ids, type_slots, order, problems)

    names = _sheet_names(listed, {README_SHEET, CODES_SHEET, *(s.name for s in specs)})
    for group, name in names.items():
        rows: list[SheetRow] = []
        for unit in (u for u in listed if u.group == group):
            slots = sorted([*type_slots[unit.type], *extra.get(unit.id, [])], key=lambda s: s.order)
            seen: set[str] = set()
            for slot in slots:
                found = findings.get((unit.id, slot.node.id, slot.rule_id or ""), [])
                for i, finding in enumerate(found or [None]):
                    first = slot.node.id not in seen and i == 0
                    seen.add(slot.node.id)
                    rows.append(
                        SheetRow(unit, slot, finding, self_rows.get((unit.id, slot.node.id)) if first else None, first)
                    )
        layout.groups[name] = (group, rows)

    index = {u.id: i for i, u in enumerate(units)}
    for spec in specs:
        existing = [dict(r.cells) for r in getattr(raw, spec.table.name)]
        if spec.table is PARTS:
            layout.unit_rows[spec.name] = _parts_rows(rubric, listed, units, existing)
        else:
            layout.unit_rows[spec.name] = sorted(existing, key=lambda r: index.get(r.get("unit", ""), len(index)))
    for table, present in (
        (PARTS, any(s.table is PARTS for s in specs)),
        (BONUS, rubric.bonus is not None),
        (PENALTIES, bool(rubric.penalties)),
        (VETOES, rubric.vetoes is not None),
    ):
        rows_of = getattr(raw, table.name)
        if rows_of and not present:
            problems.error(
                rows_of[0].loc,
                f"细则 {rubric.id} 没有{table.title}，这些记录无法放进评分表",
                "删除这个文件，或核对细则。",
            )
    return layout


def _parts_rows(
    rubric: Rubric, listed: Sequence[Unit], units: Sequence[Unit], existing: list[dict[str, str]]
) -> list[Mapping[str, str]]:
    """Each unit's entered parts in registry and rubric order, existing scores in their place."""
    entered = rubric.entered_parts
    listed_ids = {u.id for u in listed}

    def part_of(text: str) -> str | None:
        return next((p.id for p in entered if norm(text) in (norm(p.id), norm(p.name))), None)

    placed: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    rest: list[dict[str, str]] = []
    known = {u.id for u in units}
    for row in existing:
        pid = part_of(row.get("part", ""))
        if pid is None or row.get("unit", "") not in known:
            rest.append(row)
        else:
            placed[(row.get("unit", ""), pid)].append(row)
    out: list[Mapping[str, str]] = []
    for unit in units:
        for part in entered:
            rows = placed.get((unit.id, part.id))
            if rows:
                out.extend(rows)
            elif unit.id in listed_ids:
                out.append({"unit": unit.id, "part": part.name})
    return out + rest


# --------------------------------------------------------------------------------------------
# Loading an assessment for the sheet commands
# --------------------------------------------------------------------------------------------


@dataclass
class Loaded:
    """An assessment as the sheet commands need it: the rubric, the results as read, the registry's units."""

    rubric: Rubric
    rubric_file: str
    raw: RawResults
    units: tuple[Unit, ...]


def load_assessment(root: Path, aid: str, problems: Problems) -> tuple[Loaded | None, Ending]:
    """Load one assessment; rubric errors, load errors and registry errors stop here (with how it ended)."""
    project = load_project(root, problems, {aid})
    if aid not in project.rubrics:
        if not problems.has_errors():
            problems.error(
                Loc(f"{RUBRICS_DIR}/{aid}.yml"), f"没有考核 {aid} 的细则", f"已有的考核：{known_assessments(root)}。"
            )
            return None, Ending.USAGE
        return None, Ending.DATA
    rubric, file = project.rubrics[aid]
    rubric_problems = Problems()
    check_rubric(rubric, rubric_problems)
    problems.items.extend(rubric_problems.errors)
    raw = project.results.get(aid)
    if raw is None or not raw.units:
        problems.error(
            Loc(f"{RESULTS_DIR}/{aid}/units.csv"),
            f"考核 {aid} 没有单位名册",
            f"先建立单位名册 {RESULTS_DIR}/{aid}/units.csv（开始新年度时可用 kaoping new 从上一年复制）。",
        )
    if problems.has_errors() or raw is None:
        return None, Ending.DATA
    # The registry as the checker reads it; the results' own findings are not ours to report here.
    units = tuple(read_registry(rubric, raw, problems).values())
    if problems.has_errors() or not units:
        return None, Ending.DATA
    return Loaded(rubric, file, raw, units), Ending.DONE
