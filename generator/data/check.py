"""Check: is the rubric consistent, and do the results fit it?

Every problem is collected with its file, line and column; nothing stops at the first one.
:func:`check_project` returns the checked assessments (the engine's inputs) and the problems.
"""

from __future__ import annotations

from generator.data.check_indicators import check_indicators
from generator.data.codes import ANY_NAME, ASSESSMENT_ID, WINDOWS_RESERVED, too_long, unique
from generator.data.load import Project
from generator.data.problems import Loc, Problems
from generator.data.provenance import check_provenance
from generator.data.year import check_with_year, check_year_rubric
from generator.engine.exact import ZERO, fmt
from generator.engine.models import GRADE_ORDER, Grading, Rubric
from generator.engine.results import Assessment, Notice
from generator.engine.rules.base import type_refs

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
                f"把文件改名为 rubrics/{rubric.id}.yml，或把 id 改为 {stem}。"
                if id_refusal(stem) is None
                # 市直2026 cannot be an id: only the file can change (the id is the site's address).
                else f"把文件改名为 rubrics/{rubric.id}.yml（考核代码只用小写字母、数字和连字符，文件名随它）。",
            )
        check_rubric(rubric, problems)
        raw = project.results.get(rid)
        if raw is None:
            continue
        if len(problems.errors) > before:
            # Results cannot be judged against a broken rubric; say so once rather than many times.
            problems.warning(Loc(raw.folder), f"细则 {file} 有错误，暂不检查这里的考核结果", "先改正细则中的错误。")
            continue
        assessment = check_with_year(rubric, raw, project, problems)
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


def id_refusal(aid: str) -> tuple[str, str] | None:
    """Why ``aid`` cannot be an assessment's code (message, hint), or None when it can."""
    long = too_long("考核代码", aid)
    if long is not None:
        return long
    if not ASSESSMENT_ID.match(aid):
        return f"考核代码「{aid}」含有不允许的字符", "只用小写字母、数字和连字符，例如 wujin-2017。"
    if aid in WINDOWS_RESERVED:
        return f"考核代码「{aid}」是 Windows 的保留名称，不能用作目录名", "换一个代码，例如加上年份：nul-2017。"
    return None


def check_rubric(rubric: Rubric, problems: Problems) -> None:
    refused = id_refusal(rubric.id)
    if refused is not None:
        problems.error(rubric.at.get("id", rubric.loc), *refused)
    if not FIRST_YEAR <= rubric.year <= LAST_YEAR:
        problems.error(
            rubric.at.get("year", rubric.loc),
            f"考核年度 {rubric.year} 不合理：应在 {FIRST_YEAR}～{LAST_YEAR} 之间",
            "写四位数的年份，例如 2017。",
        )
    if not 0 <= rubric.rounding.decimals <= 2:
        # Pages show points with at most two decimals: more places would not add up on the page.
        problems.error(
            rubric.rounding.loc,
            f"保留小数位数 {rubric.rounding.decimals} 不在 0～2 之间",
            "写 0、1 或 2（一般写 2 或不写）。",
        )
    floor = rubric.defaults.item_floor
    if floor is not None and floor < 0:
        problems.error(rubric.defaults.loc, f"每项最低得分 item_floor 为负数（{fmt(floor)}）", "写 0（每项扣完为止）。")
    _check_unit_types(rubric, problems)
    check_indicators(rubric, problems)
    _check_activities(rubric, problems)
    _check_bonus(rubric, problems)
    _check_penalties_vetoes(rubric, problems)
    _check_parts(rubric, problems)
    _check_ranking_grading(rubric, problems)
    check_provenance(rubric, problems)
    check_year_rubric(rubric, problems)


def _check_unit_types(rubric: Rubric, problems: Problems) -> None:
    if not rubric.unit_types:
        problems.error(
            rubric.loc,
            "细则没有列出被考核单位的类型（unit_types）",
            "至少写一个单位类型，例如 {id: branch, name: 党支部, full_marks: 100}。",
        )
    unique(((t.id, t.loc) for t in rubric.unit_types), "单位类型代码", problems)
    unique(((t.name, t.loc) for t in rubric.unit_types), "单位类型名称", problems, ANY_NAME)
    for t in rubric.unit_types:
        if t.full_marks <= 0:
            problems.error(t.loc, f"单位类型 {t.id} 的满分应大于 0", "写该类型单位的满分，例如 100。")


def _check_activities(rubric: Rubric, problems: Problems) -> None:
    unique(((a.id, a.loc) for a in rubric.activities), "活动代码", problems)
    for a in rubric.activities:
        type_refs(rubric, a.targets, a.loc, f"活动 {a.id} 的 targets ", problems)


def _check_bonus(rubric: Rubric, problems: Problems) -> None:
    if rubric.bonus is None:
        return
    unique(((i.id, i.loc) for i in rubric.bonus.items), "加分项目编号", problems)
    for item in rubric.bonus.items:
        if bool(item.levels) == (item.max is not None):
            problems.error(
                item.loc,
                f"加分项目 {item.id} 应写 levels（按级别加分）或 min/max（酌情加分），二者选一",
                "例如 levels: [{id: national, name: 国家级, points: 5}]。",
            )
        if item.min is not None and item.max is not None and item.min > item.max:
            problems.error(item.loc, f"加分项目 {item.id} 的 min 大于 max", "交换 min 与 max。")
        unique(((lv.id, lv.loc) for lv in item.levels), f"加分项目 {item.id} 的级别代码", problems)
        unique(((lv.name, lv.loc) for lv in item.levels), f"加分项目 {item.id} 的级别名称", problems, ANY_NAME)
        for lv in item.levels:
            if lv.points <= 0:
                problems.error(lv.loc, f"加分项目 {item.id} 级别 {lv.id} 的分值应大于 0", "写原文中的加分。")


def _check_penalties_vetoes(rubric: Rubric, problems: Problems) -> None:
    unique(((p.id, p.loc) for p in rubric.penalties), "扣分因素代码", problems)
    for p in rubric.penalties:
        if p.min > p.max or p.min < 0:
            problems.error(
                p.loc, f"扣分因素 {p.id} 的范围 {fmt(p.min)}～{fmt(p.max)} 不成立", "min 应为正数且不大于 max。"
            )
    if rubric.vetoes is not None:
        unique(((e.id, e.loc) for e in rubric.vetoes.events), "否决事项代码", problems)
        if not rubric.vetoes.events:
            problems.error(rubric.vetoes.loc, "否决项目没有列出事项（events）", "照原文逐条列出否决事项。")


def _check_parts(rubric: Rubric, problems: Problems) -> None:
    if not rubric.parts:
        return
    unique(((p.id, p.loc) for p in rubric.parts), "组成部分代码", problems)
    total = sum((p.weight for p in rubric.parts), ZERO)
    if total != 1:
        problems.error(
            rubric.parts[0].loc,
            f"各组成部分权重合计 {fmt(total * 100)}%，应为 100%",
            "核对原文的权重，例如年终考核 70%、平时考核 30%。",
        )
    if sum(1 for p in rubric.parts if p.source == "rubric") != 1:
        problems.error(
            rubric.parts[0].loc,
            "应有且只有一个组成部分按本细则指标计分（source: rubric）",
            "把按指标计分的部分写作 source: rubric。",
        )
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
        problems.error(
            grading.loc, "按名次定等次（method: rank）须按排名组排名", "写 ranking.within: pools 并列出 pools。"
        )
    if grading.advanced == "rank" and not any(p.advanced_top for p in ranking.pools):
        problems.error(
            grading.loc,
            "先进按名次产生（advanced: rank），但没有排名组写了 advanced_top",
            "在 ranking.pools 写前几名为先进。",
        )
    if grading.advanced == "threshold" and grading.advanced_min_score is None:
        problems.error(
            grading.loc, "先进按分数产生（advanced: threshold），须写 advanced_min_score", "写评先的最低分。"
        )


def _check_pools(rubric: Rubric, problems: Problems) -> None:
    """Ranking in pools: each unit type in one pool, and only known types."""
    ranking = rubric.ranking
    if ranking.within != "pools":
        return
    if not ranking.pools:
        problems.error(ranking.loc, "ranking.within 为 pools，但没有写 pools", "列出排名组及其单位类型。")
    unique(((p.id, p.loc) for p in ranking.pools), "排名组代码", problems)
    placed: dict[str, str] = {}
    for pool in ranking.pools:
        type_refs(rubric, pool.unit_types, pool.loc, f"排名组 {pool.id} ", problems)
        for type_id in pool.unit_types:
            if type_id in placed:
                problems.error(
                    pool.loc,
                    f"单位类型 {type_id} 同时属于排名组 {placed[type_id]} 和 {pool.id}",
                    "每个单位类型只属于一个排名组。",
                )
            placed[type_id] = pool.id
    for unit_type in rubric.unit_types:
        if ranking.pools and unit_type.id not in placed:
            problems.error(
                unit_type.loc, f"单位类型 {unit_type.id} 不属于任何排名组", "把它加到 ranking.pools 的某一组。"
            )


def _check_bands(grading: Grading, problems: Problems) -> None:
    """Score bands from high to low, the last without a minimum, none for 先进."""
    if not grading.bands:
        problems.error(
            grading.loc, "按分数段定等次（method: threshold），但没有写 bands", "从高到低列出各等次的最低分。"
        )
    mins = [b.min for b in grading.bands]
    if grading.bands and mins[-1] is not None:
        problems.error(grading.bands[-1].loc, "最后一档分数段不应写 min（它包括其余所有单位）", "删除最后一档的 min。")
    present = [m for m in mins if m is not None]
    if present != sorted(present, reverse=True) or len(set(present)) != len(present):
        problems.error(grading.loc, "分数段应从高到低排列，且最低分互不相同", "按从高到低的顺序写 bands。")
    for b in grading.bands:
        if b.grade == "advanced":
            problems.error(
                b.loc, "先进不由分数段产生", "分数段只写 pass、basic_pass、fail；先进用 grading.advanced 规定。"
            )
