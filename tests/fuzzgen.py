"""Random *valid* rubrics (trees of indicators with every rule kind of the registry, each drawn by its module
in ``tests/kinds/``; unit types, applicability, bonus with caps, penalties, vetoes, weighted parts,
threshold or rank grading) and valid results for them, as YAML and CSV text: hypothesis strategies for
``tests/test_fuzz_pipeline.py``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from kinds import halves_upto, num

from generator.engine.exact import ZERO
from generator.engine.rules.registry import KINDS


def csv_line(cells: Iterable[str]) -> str:
    out = []
    for cell in cells:
        out.append('"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell)
    return ",".join(out)



D = Decimal
#: Each kind's random rules and results, from tests/kinds/<kind>.py: the kinds are the registry's.
KIND_DRAWS = {kind: importlib.import_module(f"kinds.{kind}") for kind in KINDS}
TYPES = [("t1", "党委"), ("t2", "党总支"), ("t3", "党支部")]
GROUPS = ["第一组", "第二组"]


@st.composite
def rule_spec(draw: st.DrawFn, rid: str, points: Decimal, earned_taken: bool) -> dict[str, Any]:
    # One rule that earns points per item: their points together may not exceed the item's.
    kinds = [k for k in KINDS if not (earned_taken and KINDS[k].EARNS)]
    kind = draw(st.sampled_from(kinds))
    rule: dict[str, Any] = {"id": rid, "kind": kind, **KIND_DRAWS[kind].rule(draw, points)}
    if not KINDS[kind].EARNS and draw(st.integers(min_value=0, max_value=3)) == 0:
        rule["cap"] = num(draw(halves_upto(points)))
    return rule


@st.composite
def node_spec(draw: st.DrawFn, node_id: str, depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "title": f"指标{node_id}"}
    if depth >= 3 or (depth > 1 and draw(st.booleans())):
        points = draw(halves_upto(D(10)))
        rules: list[dict[str, Any]] = []
        for i in range(draw(st.integers(min_value=1, max_value=3))):
            rules.append(draw(rule_spec(chr(ord("a") + i), points, any(KINDS[r["kind"]].EARNS for r in rules))))
        node.update(points=num(points), rules=rules)
    else:
        children = [
            draw(node_spec(f"{node_id}.{i + 1}", depth + 1)) for i in range(draw(st.integers(min_value=1, max_value=3)))
        ]
        points = sum((D(str(c["points"])) for c in children), ZERO)
        node.update(points=num(points), children=children)
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            node["rules"] = [draw(rule_spec("p", points, False))]
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        node["floor"] = num(draw(st.sampled_from([D(0), points / 2, points])))
    return node


def walk(nodes: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for n in nodes:
        yield n
        yield from walk(n.get("children", ()))


def make_type_specific(categories: list[dict[str, Any]], types: list[str], draw: st.DrawFn) -> None:
    """Some items do not apply to a type, and a sibling leaf takes their points for it (seed 004)."""
    if len(types) < 2:
        return
    for parent in walk(categories):
        kids = parent.get("children", [])
        leaves = [k for k in kids[1:] if "children" not in k and "points_by_type" not in k and "floor" not in k]
        if len(kids) < 2 or not leaves or "not_applicable_to" in kids[0] or not draw(st.booleans()):
            continue
        skipped = draw(st.sampled_from(types))
        kids[0]["not_applicable_to"] = [skipped]
        taker = leaves[0]
        taker["points_by_type"] = {skipped: num(D(str(taker["points"])) + D(str(kids[0]["points"])))}


@dataclass
class Generated:
    """A rubric (as YAML text) and its results (as CSV texts), with what the generator knows about them."""

    rubric_yaml: str
    units: list[tuple[str, str, str, bool]]  # id, type, group, assessed
    files: dict[str, list[str]] = field(default_factory=dict)  # table → data rows (CSV lines)
    headers: dict[str, str] = field(default_factory=dict)

    def csv(self, table: str, rows: list[str] | None = None) -> bytes:
        body = self.files[table] if rows is None else rows
        return ("\n".join([self.headers[table], *body]) + "\n").encode("utf-8")


def applicable_types(categories: list[dict[str, Any]], types: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}

    def visit(node: dict[str, Any], allowed: set[str]) -> None:
        mine = allowed - set(node.get("not_applicable_to", ()))
        out[node["id"]] = mine
        for child in node.get("children", ()):
            visit(child, mine)

    for c in categories:
        visit(c, set(types))
    return out


def rule_rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    """(情况, 扣分) cells for one unit and one rule, valid for the checker (possibly several rows)."""
    rows: list[tuple[str, str]] = KIND_DRAWS[rule["kind"]].rows(draw, rule, points)
    return rows


@st.composite
def generated(draw: st.DrawFn) -> Generated:
    n_types = draw(st.integers(min_value=1, max_value=3))
    types = [t for t, _ in TYPES[:n_types]]
    categories = [draw(node_spec(str(i + 1), 1)) for i in range(draw(st.integers(min_value=1, max_value=3)))]
    make_type_specific(categories, types, draw)
    total = sum((D(str(c["points"])) for c in categories), ZERO)
    rubric: dict[str, Any] = {
        "id": "suiji-2017",
        "title": "随机生成的细则",
        "year": 2017,
        "issuer": "测试机关",
        "unit_types": [{"id": t, "name": name, "full_marks": num(total)} for t, name in TYPES[:n_types]],
        "defaults": {"item_floor": 0},
        "rounding": {
            "decimals": draw(st.integers(min_value=0, max_value=2)),
            "mode": draw(st.sampled_from(["half_up", "half_even"])),
        },
        "indicators": categories,
    }
    bonus_items = draw_bonus(draw, rubric)
    penalties = [
        {
            "id": f"p{i + 1}",
            "name": f"扣分因素{i + 1}",
            "min": 1,
            "max": num(D(1) + draw(halves_upto(D(4)))),
            "can_remove_eligibility": draw(st.booleans()),
        }
        for i in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    if penalties:
        rubric["penalties"] = penalties
    if draw(st.booleans()):
        effects = st.sampled_from(["no_advanced", "fail"])
        rubric["vetoes"] = {
            "effect": draw(effects),
            "events": [{"id": "v1", "name": "否决事项一"}, {"id": "v2", "name": "否决事项二", "effect": draw(effects)}],
        }
    has_parts = draw(st.booleans())
    if has_parts:
        weight = draw(st.sampled_from([50, 60, 70, 90]))
        rubric["parts"] = [
            {"id": "year_end", "name": "年终考核", "weight": f"{weight}%", "source": "rubric"},
            {"id": "routine", "name": "平时考核", "weight": f"{100 - weight}%", "source": "entered", "full": 100},
        ]
    draw_ranking_grading(draw, rubric, types, total)

    # Units and their results.
    units = []
    for i in range(draw(st.integers(min_value=2, max_value=6))):
        assessed = draw(st.integers(min_value=0, max_value=5)) > 0
        units.append((f"u{i + 1}", draw(st.sampled_from(types)), draw(st.sampled_from(GROUPS)), assessed))
    gen = Generated(json.dumps(rubric, ensure_ascii=False, indent=1), units)
    gen.headers = {
        "units": "单位代码,单位名称,单位类型,联络组,考核状态",
        "entries": "单位代码,指标编号,规则,情况,扣分,扣分原因",
        "bonus": "单位代码,加分项目,级别,次数,加分,事项,认定",
        "penalties": "单位代码,扣分因素,扣分,事由,取消评先资格",
        "vetoes": "单位代码,否决事项,情况",
        "parts": "单位代码,组成部分,得分",
    }
    gen.files = {name: [] for name in gen.headers}
    applies = applicable_types(categories, types)
    for uid, utype, group, assessed in units:
        gen.files["units"].append(f"{uid},单位{uid},{utype},{group},{'已考核' if assessed else '不参加考核'}")
        if not assessed:
            continue
        if has_parts:
            gen.files["parts"].append(f"{uid},routine,{draw(st.integers(min_value=0, max_value=200)) / 2}")
        draw_entries(draw, gen, uid, [n for n in walk(categories) if utype in applies[n["id"]]])
        draw_unit_records(draw, gen, uid, rubric, bonus_items, penalties)
    return gen


def draw_bonus(draw: st.DrawFn, rubric: dict[str, Any]) -> list[dict[str, Any]]:
    """Bonus items by level (some per occurrence) or discretionary, with caps."""
    bonus_items = []
    for i in range(draw(st.integers(min_value=0, max_value=2))):
        item: dict[str, Any] = {"id": f"b{i + 1}", "title": f"加分项{i + 1}", "same_subject_once": draw(st.booleans())}
        if draw(st.booleans()):
            item["levels"] = [
                {
                    "id": f"l{j + 1}",
                    "name": f"级别{j + 1}",
                    "points": num(draw(halves_upto(D(4)))),
                    "per_occurrence": draw(st.booleans()),
                }
                for j in range(draw(st.integers(min_value=1, max_value=3)))
            ]
        else:
            low = draw(halves_upto(D(2)))
            item["min"], item["max"] = num(low), num(low + draw(halves_upto(D(2))))
        if draw(st.booleans()):
            item["cap"] = num(draw(halves_upto(D(5))))
        bonus_items.append(item)
    if bonus_items:
        rubric["bonus"] = {"items": bonus_items}
        if draw(st.booleans()):
            rubric["bonus"]["cap"] = num(draw(halves_upto(D(6))))
    return bonus_items


def draw_ranking_grading(draw: st.DrawFn, rubric: dict[str, Any], types: list[str], total: Decimal) -> None:
    """Ranking in pools graded by rank, or by score bands."""
    if draw(st.booleans()):
        pool_of = {t: draw(st.sampled_from(["g1", "g2"])) for t in types}
        pools = []
        for pid in sorted(set(pool_of.values())):
            pool: dict[str, Any] = {
                "id": pid,
                "name": f"排名组{pid}",
                "unit_types": [t for t in types if pool_of[t] == pid],
            }
            top = draw(st.none() | st.integers(min_value=1, max_value=3))
            if top is not None:
                pool["advanced_top"] = top
            bottom = draw(st.none() | st.integers(min_value=1, max_value=2))
            if bottom is not None:
                pool["fail_bottom"] = bottom
                if draw(st.booleans()):
                    pool["fail_at_or_below"] = num(draw(halves_upto(total)))
            pools.append(pool)
        rubric["ranking"] = {"within": "pools", "pools": pools}
        rubric["grading"] = {
            "method": "rank",
            "advanced": "rank" if any("advanced_top" in p for p in pools) else "none",
            "places_among": draw(st.sampled_from(["eligible", "all"])),
            "fail_if_category_zero": draw(st.booleans()),
        }
        return
    cuts = sorted(draw(st.lists(halves_upto(total), min_size=1, max_size=2, unique=True)), reverse=True)
    grades = ["pass", "basic_pass"][: len(cuts)]
    rubric["ranking"] = {"within": draw(st.sampled_from(["group", "all"]))}
    rubric["grading"] = {
        "method": "threshold",
        "bands": [{"grade": g, "min": num(c)} for g, c in zip(grades, cuts, strict=True)] + [{"grade": "fail"}],
        "fail_if_category_zero": draw(st.booleans()),
        "advanced": draw(st.sampled_from(["none", "threshold"])),
        "advanced_requires": draw(st.sampled_from(["pass", "basic_pass"])),
    }
    if rubric["grading"]["advanced"] == "threshold":
        rubric["grading"]["advanced_min_score"] = num(draw(halves_upto(total)))


def draw_entries(draw: st.DrawFn, gen: Generated, uid: str, nodes: list[dict[str, Any]]) -> None:
    """Rows of entries for one unit on some of the rules of the items that apply to it."""
    for node in nodes:
        if not node.get("rules") or draw(st.integers(min_value=0, max_value=2)) == 0:
            continue
        points = D(str(node["points"]))
        for rule in node["rules"]:
            if draw(st.booleans()):
                for value, amount in rule_rows(draw, rule, points):
                    count = len(gen.files["entries"]) + 1
                    gen.files["entries"].append(
                        csv_line([uid, node["id"], rule["id"], value, amount, f"第{count}条问题"])
                    )


def draw_unit_records(
    draw: st.DrawFn,
    gen: Generated,
    uid: str,
    rubric: dict[str, Any],
    bonus_items: list[dict[str, Any]],
    penalties: list[dict[str, Any]],
) -> None:
    """One unit's bonus claims, penalties and vetoes."""
    for item in bonus_items:
        for k in range(draw(st.integers(min_value=0, max_value=2))):
            confirmed = draw(st.sampled_from(["是", "否", ""]))
            subject = draw(st.sampled_from(["先进基层党组织", "经验交流"])) + str(k)
            if "levels" in item:
                level = draw(st.sampled_from(item["levels"]))
                count = str(draw(st.integers(min_value=1, max_value=4))) if level["per_occurrence"] else ""
                gen.files["bonus"].append(f"{uid},{item['id']},{level['name']},{count},,{subject},{confirmed}")
            else:
                amount = draw(st.integers(min_value=int(item["min"] * 2), max_value=int(item["max"] * 2))) / 2
                gen.files["bonus"].append(f"{uid},{item['id']},,,{amount},{subject},{confirmed}")
    for p in penalties:
        if draw(st.integers(min_value=0, max_value=3)) == 0:
            amount = draw(st.integers(min_value=2, max_value=int(p["max"] * 2))) / 2
            removes = "是" if p["can_remove_eligibility"] and draw(st.booleans()) else ""
            gen.files["penalties"].append(f"{uid},{p['id']},{amount},事由{uid},{removes}")
    if "vetoes" in rubric and draw(st.integers(min_value=0, max_value=4)) == 0:
        gen.files["vetoes"].append(f"{uid},{draw(st.sampled_from(['v1', 'v2']))},情况{uid}")
