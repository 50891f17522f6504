"""Check: is the rubric consistent, and do the results fit it?

Every problem is collected with its file, line and column; nothing stops at the first one.
:func:`check_project` returns the checked assessments (the engine's inputs) and the problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from generator.data.check_results import check_results
from generator.data.load import Project
from generator.data.problems import Loc, Problems
from generator.data.provenance import check_provenance
from generator.data.results_context import WINDOWS_RESERVED, too_long
from generator.engine.exact import ZERO, fmt
from generator.engine.models import GRADE_ORDER, Grading, Node, Rubric
from generator.engine.results import Assessment, Notice
from generator.engine.rules.base import Rule, RuleCheck, type_refs
from generator.engine.tree import TypedNode, node_rules, tree_points, typed_tree, walk, walk_typed

# Lengths are checked on their own (too_long), so that a long code is not said to hold a wrong character.
ASSESSMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NODE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
CODE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
#: Names (of unit types, bonus levels) may hold any character, and be of any length.
ANY_NAME = re.compile(r".+")
FIRST_YEAR, LAST_YEAR = 1949, 2100


def check_project(project: Project, problems: Problems) -> dict[str, Assessment]:
    """Check every rubric and its results; returns the assessments that are free of errors."""
    out: dict[str, Assessment] = {}
    for rid, (rubric, file) in sorted(project.rubrics.items()):
        before = len(problems.errors)
        stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem != rubric.id:
            problems.error(
                rubric.at.get("id", rubric.loc),
                f"细则 id 为 {rubric.id}，与文件名 {file} 不一致",
                f"把文件改名为 rubrics/{rubric.id}.yml，或把 id 改为 {stem}。",
            )
        check_rubric(rubric, problems)
        raw = project.results.get(rid)
        if raw is None:
            continue
        if len(problems.errors) > before:
            # Results cannot be judged against a broken rubric; say so once rather than many times.
            problems.warning(Loc(raw.folder), f"细则 {file} 有错误，暂不检查这里的考核结果", "先改正细则中的错误。")
            continue
        assessment = check_results(rubric, raw, problems)
        if assessment is not None and len(problems.errors) == before:
            out[rid] = assessment
    _check_years(project, problems)
    for _aid, notice in sorted(project.notices.items()):
        check_notice(notice, problems)
    for aid, raw in sorted(project.results.items()):
        if aid not in project.rubrics:
            problems.error(
                Loc(raw.folder),
                f"考核结果目录 {raw.folder} 没有对应的细则 rubrics/{aid}.yml",
                "目录名必须与细则的 id 相同；检查拼写，或先添加细则。",
            )
    return out


def _check_years(project: Project, problems: Problems) -> None:
    """One rubric per series and year: unit pages pair the years of a series (历年结果, 较上年)."""
    seen: dict[tuple[str, int], str] = {}
    for rubric, file in sorted(project.rubrics.values(), key=lambda pair: pair[1]):
        key = (rubric.series_id, rubric.year)
        if key not in seen:
            seen[key] = file
            continue
        problems.error(
            rubric.at.get("year", rubric.loc),
            f"这份细则与 {seen[key]} 属于同一考核系列（series: {rubric.series_id}），年度都是 {rubric.year}",
            "同一考核每年只有一份细则：改正年度；如果是两项不同的考核，给其中一份写另一个 series。",
        )


def check_notice(notice: Notice, problems: Problems) -> None:
    """A notice's dates make sense (its fields are read and typed by the loader)."""
    publicity = notice.publicity
    if publicity is not None and publicity.end < publicity.start:
        problems.error(
            publicity.at.get("end", publicity.loc),
            f"公示期的结束日期 {publicity.end.isoformat()} 早于开始日期 {publicity.start.isoformat()}",
            "核对通报原文的公示期，结束日期应不早于开始日期。",
        )


# --------------------------------------------------------------------------------------------
# The rubric
# --------------------------------------------------------------------------------------------


def check_rubric(rubric: Rubric, problems: Problems) -> None:
    at_id = rubric.at.get("id", rubric.loc)
    long = too_long("考核代码", rubric.id)
    if long is not None:
        problems.error(at_id, *long)
    elif not ASSESSMENT_ID.match(rubric.id):
        problems.error(at_id, f"考核代码「{rubric.id}」含有不允许的字符", "只用小写字母、数字和连字符，例如 wujin-2017。")
    elif rubric.id in WINDOWS_RESERVED:
        problems.error(at_id, f"考核代码「{rubric.id}」是 Windows 的保留名称，不能用作目录名", "换一个代码，例如加上年份：nul-2017。")
    if not FIRST_YEAR <= rubric.year <= LAST_YEAR:
        problems.error(
            rubric.at.get("year", rubric.loc),
            f"考核年度 {rubric.year} 不合理：应在 {FIRST_YEAR}～{LAST_YEAR} 之间",
            "写四位数的年份，例如 2017。",
        )
    if not 0 <= rubric.rounding.decimals <= 2:
        # Pages show points with at most two decimals: more places would not add up on the page.
        problems.error(rubric.rounding.loc, f"保留小数位数 {rubric.rounding.decimals} 不在 0～2 之间", "写 0、1 或 2（一般写 2 或不写）。")
    floor = rubric.defaults.item_floor
    if floor is not None and floor < 0:
        problems.error(rubric.defaults.loc, f"每项最低得分 item_floor 为负数（{fmt(floor)}）", "写 0（每项扣完为止）。")
    _check_unit_types(rubric, problems)
    _check_nodes(rubric, problems)
    _check_activities(rubric, problems)
    _check_bonus(rubric, problems)
    _check_penalties_vetoes(rubric, problems)
    _check_parts(rubric, problems)
    _check_ranking_grading(rubric, problems)
    check_provenance(rubric, problems)


def _unique(items: Iterable[tuple[str, Loc]], what: str, problems: Problems, pattern: re.Pattern[str] = CODE_ID) -> None:
    seen: dict[str, Loc] = {}
    for key, loc in items:
        long = too_long(what, key) if pattern is not ANY_NAME else None
        if long is not None:
            problems.error(loc, *long)
        elif not pattern.match(key):
            problems.error(loc, f"{what}「{key}」含有不允许的字符", "只用字母、数字、点、下划线和连字符。")
        folded = key.casefold()
        if folded in seen:
            problems.error(loc, f"{what} {key} 重复（第一次在第 {seen[folded].line} 行）", f"每个{what}必须不同（不区分大小写）。")
        else:
            seen[folded] = loc


def _check_unit_types(rubric: Rubric, problems: Problems) -> None:
    if not rubric.unit_types:
        problems.error(rubric.loc, "细则没有列出被考核单位的类型（unit_types）", "至少写一个单位类型，例如 {id: branch, name: 党支部, full_marks: 100}。")
    _unique(((t.id, t.loc) for t in rubric.unit_types), "单位类型代码", problems)
    _unique(((t.name, t.loc) for t in rubric.unit_types), "单位类型名称", problems, ANY_NAME)
    for t in rubric.unit_types:
        if t.full_marks <= 0:
            problems.error(t.loc, f"单位类型 {t.id} 的满分应大于 0", "写该类型单位的满分，例如 100。")


def _check_nodes(rubric: Rubric, problems: Problems) -> None:
    nodes = list(walk(rubric.indicators))
    if not nodes:
        problems.error(rubric.loc, "细则没有指标（indicators）", "至少写一个一级指标。")
        return
    _unique(((n.id, n.loc) for n, _ in nodes), "指标编号", problems, NODE_ID)
    for node, _ in nodes:
        if node.points < 0:
            problems.error(node.loc, f"指标 {node.id} 的分值为负数", "分值应为 0 或正数。")
        type_refs(rubric, node.applies_to, node.loc, f"指标 {node.id} 的 applies_to ", problems)
        type_refs(rubric, node.not_applicable_to, node.loc, f"指标 {node.id} 的 not_applicable_to ", problems)
        type_refs(rubric, node.points_by_type, node.loc, f"指标 {node.id} 的 points_by_type ", problems)
        _check_rules(rubric, node, problems)
    trees = {t.id: typed_tree(rubric, t.id) for t in rubric.unit_types}
    _check_sums(rubric, trees, problems)
    _check_floors(rubric, trees, problems)
    # The indicators add up to the part scored by them when it states its full marks, else to the type's.
    scored = next((p for p in rubric.parts if p.source == "rubric"), None)
    for t in rubric.unit_types:
        total = tree_points(trees[t.id])
        if scored is not None and scored.full is not None:
            expected, what, loc = scored.full, f"组成部分「{scored.name}」的满分 full 写的是", scored.loc
        else:
            expected, what, loc = t.full_marks, "满分写的是", t.loc
        if total != expected:
            problems.error(
                loc,
                f"{t.name}适用的一级指标合计 {fmt(total)} 分，但{what} {fmt(expected)} 分",
                "核对一级指标的分值和适用范围；指标按另一个满分计分（例如 1000 分）时，在按指标计分的组成部分写 full。",
            )


def _check_sums(rubric: Rubric, trees: dict[str, tuple[TypedNode, ...]], problems: Problems) -> None:
    """Children's points add up to the parent, for every unit type the parent applies to."""
    mismatches: dict[str, list[tuple[str, Decimal, Decimal, list[Decimal]]]] = {}
    nodes: dict[str, Node] = {}
    for type_id, tree in trees.items():
        for typed in walk_typed(tree):
            kids = typed.applicable_children()
            if not typed.applicable or not kids:
                continue
            total = sum((k.points for k in kids), ZERO)
            if total != typed.points:
                mismatches.setdefault(typed.id, []).append((type_id, typed.points, total, [k.points for k in kids]))
                nodes[typed.id] = typed.node
    names = {t.id: t.name for t in rubric.unit_types}
    for node_id, cases in mismatches.items():
        node = nodes[node_id]
        # One message per distinct sum, naming the unit types it holds for (the sums differ by type).
        by_sum: dict[tuple[Decimal, Decimal, tuple[Decimal, ...]], list[str]] = {}
        for type_id, points, total, child_points in cases:
            by_sum.setdefault((points, total, tuple(child_points)), []).append(type_id)
        for (points, total, summed), type_ids in by_sum.items():
            who = "" if len(type_ids) == len(trees) else "（" + "、".join(names[t] for t in type_ids) + "）"
            message = (
                f"指标 {node_id}「{node.title}」分值为 {fmt(points)} 分，但下级指标合计 {fmt(total)} 分"
                f"（{' + '.join(fmt(p) for p in summed)}）{who}"
            )
            if node.points_mismatch:
                problems.warning(node.loc, message + "；细则已说明：" + node.points_mismatch)
            else:
                problems.error(
                    node.loc,
                    message,
                    "核对原文，使下级指标之和等于本项分值；如原文本就如此，在本指标下写 points_mismatch: 说明原文情况。",
                )


def max_deduction(rule: Rule, points: Decimal) -> Decimal | None:
    """The most a rule can take from an item of ``points``; None when it has no bound."""
    bound = rule.most_lost(points)
    if rule.cap is not None:
        bound = rule.cap if bound is None else min(bound, rule.cap)
    return bound


def _check_floors(rubric: Rubric, trees: dict[str, tuple[TypedNode, ...]], problems: Problems) -> None:
    """Deductions that can exceed an item need a stated floor (扣完为止)."""
    floor_stated = rubric.defaults.item_floor is not None
    reported: set[str] = set()
    for tree in trees.values():
        for typed in walk_typed(tree):
            node = typed.node
            # A negative defaults.item_floor is reported once, at defaults; a node's own floor here.
            if typed.applicable and node.id not in reported and node.floor is not None and node.floor < 0:
                reported.add(node.id)
                problems.error(node.loc, f"指标 {node.id} 的最低得分 floor 为负数（{fmt(node.floor)}），本项得分可能为负", "写 0（扣完为止）。")
            elif typed.applicable and node.id not in reported and typed.floor > typed.points:
                reported.add(node.id)
                problems.error(
                    node.loc,
                    f"指标 {node.id} 的最低得分 {fmt(typed.floor)} 分高于本项 {fmt(typed.points)} 分，扣分会被抹去",
                    "最低得分一般为 0（扣完为止）；核对 floor 或 defaults.item_floor。",
                )
            if not typed.applicable or not typed.rules or node.id in reported:
                continue
            if floor_stated or node.floor is not None or node.until_exhausted:
                continue
            bounds = [max_deduction(rule, typed.points) for _, rule in typed.rules]
            unbounded = any(b is None for b in bounds)
            most = sum((b for b in bounds if b is not None), ZERO)
            if unbounded or most > typed.points:
                reported.add(node.id)
                how = "没有上限" if unbounded else f"最多可扣 {fmt(most)} 分"
                problems.error(
                    node.loc,
                    f"指标 {node.id} 的扣分{how}，超过本项 {fmt(typed.points)} 分，但细则没有写明最低得分",
                    "在 defaults 下写 item_floor: 0（每项扣完为止），或在本指标写 floor: 0。",
                )


def _check_rules(rubric: Rubric, node: Node, problems: Problems) -> None:
    rules = node_rules(node, rubric)
    if not rules and not node.children:
        problems.error(
            node.loc,
            f"末级指标 {node.id}「{node.title}」没有评分规则，考核结果无法对它扣分",
            "在本指标写 rules，或在 defaults 写 leaf_rule: {kind: range}（在本项分值内酌情扣分）。",
        )
    _unique(((rid, r.loc) for rid, r in rules), f"指标 {node.id} 的规则编号", problems)
    bigger = max([node.points, *node.points_by_type.values()])
    for rid, rule in rules:
        where = f"指标 {node.id} 规则 {rid}"
        check = RuleCheck(rubric, problems, rule.loc if rule.loc.file else node.loc, where, node.points, bigger)
        check.type_refs(rule.applies_to, "的 applies_to ")
        for name in ("per", "deduct", "cap", "points", "min", "max"):
            value = getattr(rule, name, None)
            if isinstance(value, Decimal) and value < 0:
                check.error(f"的 {name} 为负数", "写正数；扣分规则的分值不带负号。")
        if rule.cap is not None and rule.cap > bigger:
            check.error(f"最多扣 {fmt(rule.cap)} 分，超过本项 {fmt(bigger)} 分", "cap 不能超过本项分值。")
        rule.validate(check)
    earned = sum((rule.most_earned() for _, rule in rules), ZERO)
    if earned > bigger:
        problems.error(node.loc, f"指标 {node.id} 的得分规则合计 {fmt(earned)} 分，超过本项 {fmt(bigger)} 分", "核对原文的分值。")


def _check_activities(rubric: Rubric, problems: Problems) -> None:
    _unique(((a.id, a.loc) for a in rubric.activities), "活动代码", problems)
    for a in rubric.activities:
        type_refs(rubric, a.targets, a.loc, f"活动 {a.id} 的 targets ", problems)


def _check_bonus(rubric: Rubric, problems: Problems) -> None:
    if rubric.bonus is None:
        return
    _unique(((i.id, i.loc) for i in rubric.bonus.items), "加分项目编号", problems)
    for item in rubric.bonus.items:
        if bool(item.levels) == (item.max is not None):
            problems.error(item.loc, f"加分项目 {item.id} 应写 levels（按级别加分）或 min/max（酌情加分），二者选一", "例如 levels: [{id: national, name: 国家级, points: 5}]。")
        if item.min is not None and item.max is not None and item.min > item.max:
            problems.error(item.loc, f"加分项目 {item.id} 的 min 大于 max", "交换 min 与 max。")
        _unique(((lv.id, lv.loc) for lv in item.levels), f"加分项目 {item.id} 的级别代码", problems)
        _unique(((lv.name, lv.loc) for lv in item.levels), f"加分项目 {item.id} 的级别名称", problems, ANY_NAME)
        for lv in item.levels:
            if lv.points <= 0:
                problems.error(lv.loc, f"加分项目 {item.id} 级别 {lv.id} 的分值应大于 0", "写原文中的加分。")


def _check_penalties_vetoes(rubric: Rubric, problems: Problems) -> None:
    _unique(((p.id, p.loc) for p in rubric.penalties), "扣分因素代码", problems)
    for p in rubric.penalties:
        if p.min > p.max or p.min < 0:
            problems.error(p.loc, f"扣分因素 {p.id} 的范围 {fmt(p.min)}～{fmt(p.max)} 不成立", "min 应为正数且不大于 max。")
    if rubric.vetoes is not None:
        _unique(((e.id, e.loc) for e in rubric.vetoes.events), "否决事项代码", problems)
        if not rubric.vetoes.events:
            problems.error(rubric.vetoes.loc, "否决项目没有列出事项（events）", "照原文逐条列出否决事项。")


def _check_parts(rubric: Rubric, problems: Problems) -> None:
    if not rubric.parts:
        return
    _unique(((p.id, p.loc) for p in rubric.parts), "组成部分代码", problems)
    total = sum((p.weight for p in rubric.parts), ZERO)
    if total != 1:
        problems.error(rubric.parts[0].loc, f"各组成部分权重合计 {fmt(total * 100)}%，应为 100%", "核对原文的权重，例如年终考核 70%、平时考核 30%。")
    if sum(1 for p in rubric.parts if p.source == "rubric") != 1:
        problems.error(rubric.parts[0].loc, "应有且只有一个组成部分按本细则指标计分（source: rubric）", "把按指标计分的部分写作 source: rubric。")
    for p in rubric.parts:
        if p.source == "entered" and (p.full is None or p.full <= 0):
            problems.error(p.loc, f"组成部分 {p.id} 由结果录入，须写满分 full", "例如 full: 100。")


def _check_ranking_grading(rubric: Rubric, problems: Problems) -> None:
    _check_pools(rubric, problems)
    grading = rubric.grading
    if grading is None:
        return
    ranking = rubric.ranking
    for key in grading.labels:
        if key not in GRADE_ORDER:
            problems.error(grading.loc, f"等次名称中的「{key}」不是等次代码", "可用：" + "、".join(GRADE_ORDER) + "。")
    if grading.method == "threshold":
        _check_bands(grading, problems)
    if grading.method == "rank" and ranking.within != "pools":
        problems.error(grading.loc, "按名次定等次（method: rank）须按排名组排名", "写 ranking.within: pools 并列出 pools。")
    if grading.advanced == "rank" and not any(p.advanced_top for p in ranking.pools):
        problems.error(
            grading.loc, "先进按名次产生（advanced: rank），但没有排名组写了 advanced_top", "在 ranking.pools 写前几名为先进。"
        )
    if grading.advanced == "threshold" and grading.advanced_min_score is None:
        problems.error(grading.loc, "先进按分数产生（advanced: threshold），须写 advanced_min_score", "写评先的最低分。")


def _check_pools(rubric: Rubric, problems: Problems) -> None:
    """Ranking in pools: each unit type in one pool, and only known types."""
    ranking = rubric.ranking
    if ranking.within != "pools":
        return
    if not ranking.pools:
        problems.error(ranking.loc, "ranking.within 为 pools，但没有写 pools", "列出排名组及其单位类型。")
    _unique(((p.id, p.loc) for p in ranking.pools), "排名组代码", problems)
    placed: dict[str, str] = {}
    for pool in ranking.pools:
        type_refs(rubric, pool.unit_types, pool.loc, f"排名组 {pool.id} ", problems)
        for type_id in pool.unit_types:
            if type_id in placed:
                problems.error(
                    pool.loc, f"单位类型 {type_id} 同时属于排名组 {placed[type_id]} 和 {pool.id}", "每个单位类型只属于一个排名组。"
                )
            placed[type_id] = pool.id
    for unit_type in rubric.unit_types:
        if ranking.pools and unit_type.id not in placed:
            problems.error(unit_type.loc, f"单位类型 {unit_type.id} 不属于任何排名组", "把它加到 ranking.pools 的某一组。")


def _check_bands(grading: Grading, problems: Problems) -> None:
    """Score bands from high to low, the last without a minimum, none for 先进."""
    if not grading.bands:
        problems.error(grading.loc, "按分数段定等次（method: threshold），但没有写 bands", "从高到低列出各等次的最低分。")
    mins = [b.min for b in grading.bands]
    if grading.bands and mins[-1] is not None:
        problems.error(grading.bands[-1].loc, "最后一档分数段不应写 min（它包括其余所有单位）", "删除最后一档的 min。")
    present = [m for m in mins if m is not None]
    if present != sorted(present, reverse=True) or len(set(present)) != len(present):
        problems.error(grading.loc, "分数段应从高到低排列，且最低分互不相同", "按从高到低的顺序写 bands。")
    for b in grading.bands:
        if b.grade == "advanced":
            problems.error(b.loc, "先进不由分数段产生", "分数段只写 pass、basic_pass、fail；先进用 grading.advanced 规定。")
