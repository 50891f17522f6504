"""Ranks within a pool and grades (等次), each with the reasons a unit reads on its page.

Pure. The policy comes from the rubric's ``ranking`` and ``grading``; the code states only the order:

1. base grade: by score bands (``threshold``) or 达标 (``rank``);
2. forced 未达标: a category at 0 (where the rubric says so), bottom of the pool below the floor,
   a veto whose effect is ``fail``;
3. eligibility for 先进: the grade the rubric requires, its minimum score, no veto, no fraud that
   removed eligibility;
4. 先进: the top places of the pool among eligible units (``rank``), the office's decision
   (``decision``), or every eligible unit above the minimum (``threshold``).

Ties share a rank and the next rank is skipped (1, 2, 2, 4); a unit is in the top N when its rank is
at most N, so a tie on the boundary admits every tied unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from generator.engine.exact import fmt
from generator.engine.models import (
    DEFAULT_GRADE_LABELS,
    GRADE_ORDER,
    VETO_EFFECT_NAMES,
    GradeKey,
    Grading,
    Pool,
    Rubric,
    UnitInput,
)
from generator.engine.origin import Sourced
from generator.engine.outcome import Standing, UnitScore
from generator.engine.problems import Problems
from generator.engine.provenance import provenance

_RANK_OF_GRADE = {grade: i for i, grade in enumerate(GRADE_ORDER)}
ALL_POOL = "all"
#: The pool of units without a group when the others have one (ranking.within: group).
UNGROUPED = "未分组"


def label(grading: Grading | None, grade: GradeKey) -> str:
    if grading is not None and grade in grading.labels:
        return grading.labels[grade]
    return DEFAULT_GRADE_LABELS[grade]


def pool_of(rubric: Rubric, score: UnitScore) -> tuple[str, str]:
    ranking = rubric.ranking
    if ranking.within == "pools":
        for pool in ranking.pools:
            if score.unit.type in pool.unit_types:
                return pool.id, pool.name
        return ALL_POOL, "全体"
    if ranking.within == "group" and score.unit.group:
        return score.unit.group, score.unit.group
    return ALL_POOL, "全体"


def shared_ranks(totals: Sequence[Decimal], *, highest_first: bool = True) -> list[int]:
    """Competition ranking: [90, 85, 85, 80] → [1, 2, 2, 4]; from the bottom, → [4, 2, 2, 1].

    Computed on a sorted order, so a pool of any size is O(n log n).
    """
    order = sorted(range(len(totals)), key=lambda i: totals[i], reverse=highest_first)
    ranks = [0] * len(totals)
    previous: Decimal | None = None
    rank = 0
    for position, i in enumerate(order, start=1):
        if totals[i] != previous:
            rank, previous = position, totals[i]
        ranks[i] = rank
    return ranks


def marked(text: str, rubric: Rubric, part: Sourced | None, name: str | None = None, *, brief: bool = False) -> str:
    """A reason, with what the rule behind it rests on when that is not the document's own words
    (``brief``: only that it is 补充 or 解读, where the page explains it once for all reasons)."""
    mark = provenance(rubric).mark(part, name) if part is not None else None
    if mark is None:
        return text
    if brief or not mark.text:
        return f"{text}（{mark.origin}，见考核标准）"
    return f"{text}（{mark.origin}：{mark.text}）"


def _ranks(members: Sequence[UnitScore], *, highest_first: bool = True) -> dict[str, int]:
    ranks = shared_ranks([s.total for s in members], highest_first=highest_first)
    return {s.unit.id: r for s, r in zip(members, ranks, strict=True)}


def standings(
    rubric: Rubric,
    scores: Sequence[UnitScore],
    inputs: Mapping[str, UnitInput],
    problems: Problems,
) -> dict[str, Standing]:
    pools: dict[str, list[UnitScore]] = {}
    names: dict[str, str] = {}
    for s in scores:
        pid, pname = pool_of(rubric, s)
        names[pid] = pname
        if s.assessed:
            pools.setdefault(pid, []).append(s)
    if rubric.ranking.within == "group" and ALL_POOL in names and len(names) > 1:
        names[ALL_POOL] = UNGROUPED  # beside 第一组, 第二组 …, "全体" would read as everyone
    out: dict[str, Standing] = {}
    for pid, members in pools.items():
        out.update(_grade_pool(rubric, pid, names[pid], members, inputs, problems))
    for s in scores:
        if not s.assessed:
            pid = pool_of(rubric, s)[0]
            note = s.unit.status_note or "本年度不参加考核"
            out[s.unit.id] = Standing(
                pid, names[pid], len(pools.get(pid, ())), None, None, "不参加考核", (note,), False
            )
    return out


def _grade_pool(
    rubric: Rubric,
    pool_id: str,
    pool_name: str,
    members: Sequence[UnitScore],
    inputs: Mapping[str, UnitInput],
    problems: Problems,
) -> dict[str, Standing]:
    grading = rubric.grading
    pool = next((p for p in rubric.ranking.pools if p.id == pool_id), None)
    ranks = _ranks(members)
    bottom = _ranks(members, highest_first=False)
    size = len(members)
    tied: dict[int, int] = {}
    for r in ranks.values():
        tied[r] = tied.get(r, 0) + 1
    grades: dict[str, GradeKey | None] = {}
    reasons: dict[str, list[str]] = {}
    blocked: dict[str, list[str]] = {}

    for s in members:
        uid = s.unit.id
        why = reasons.setdefault(uid, [])
        total = fmt(s.total)
        why.append(f"综合得分 {total} 分，{pool_name}第 {ranks[uid]} 名（共 {size} 个单位）")
        if tied[ranks[uid]] > 1:
            ties = rubric.ranking.ties.rstrip("。")
            why.append(
                marked(f"与另 {tied[ranks[uid]] - 1} 个单位同分，名次并列：{ties}", rubric, rubric.ranking, "ties")
            )
        if grading is None:
            blocked[uid] = ["本细则不评定等次"]
            continue
        grade = _base_grade(rubric, grading, s, why)
        grade = _forced_fail(rubric, grading, pool, pool_name, s, bottom[uid], grade, why)
        blocks = _blocks(grading, grade, s)
        grades[uid] = grade
        blocked[uid] = blocks
        if grading.advanced != "none":
            why.extend(blocks)

    if grading is not None:
        _advanced(rubric, pool, pool_name, members, ranks, grades, reasons, blocked, inputs, problems)

    out: dict[str, Standing] = {}
    for s in members:
        uid = s.unit.id
        final = grades.get(uid)
        out[uid] = Standing(
            pool_id,
            pool_name,
            size,
            ranks[uid],
            final,
            label(grading, final) if final is not None else "不评定等次",
            tuple(reasons[uid]),
            not blocked[uid] and grading is not None and grading.advanced != "none",
        )
    return out


def _base_grade(rubric: Rubric, grading: Grading, s: UnitScore, why: list[str]) -> GradeKey:
    """1. The grade by score bands (threshold grading); ``pass`` for rank grading, decided later."""
    grade: GradeKey = "pass"
    if grading.method != "threshold":
        return grade
    for band in grading.bands:
        if band.min is None or s.total >= band.min:
            grade = band.grade
            if band.min is not None:
                text = f"得分不低于 {fmt(band.min)} 分 → {label(grading, grade)}"
                why.append(marked(text, rubric, band, "min", brief=True))
            else:
                text = f"得分低于 {fmt(_lowest_min(grading))} 分 → {label(grading, grade)}"
                why.append(marked(text, rubric, band, brief=True))
            break
    return grade


def _forced_fail(
    rubric: Rubric,
    grading: Grading,
    pool: Pool | None,
    pool_name: str,
    s: UnitScore,
    from_bottom: int,
    grade: GradeKey,
    why: list[str],
) -> GradeKey:
    """2. What makes a unit 不达标 whatever its score: a category without points, the last places of its
    pool (under the line), a veto."""
    fail = label(grading, "fail")
    if grading.fail_if_category_zero:
        for c in s.categories:
            if c.applicable and c.score == 0:
                grade = "fail"
                why.append(f"一级指标「{c.node.title}」未得分 → {fail}")
    if pool is not None and pool.fail_bottom is not None and from_bottom <= pool.fail_bottom:
        if pool.fail_at_or_below is None or s.total <= pool.fail_at_or_below:
            grade = "fail"
            floor = f"，且在 {fmt(pool.fail_at_or_below)} 分以下（含）" if pool.fail_at_or_below is not None else ""
            text = f"{pool_name}倒数第 {from_bottom} 名{floor} → {fail}"
            why.append(marked(text, rubric, pool, "fail_at_or_below" if floor else "fail_bottom"))
        else:
            why.append(f"{pool_name}倒数第 {from_bottom} 名，但高于 {fmt(pool.fail_at_or_below)} 分，不定为{fail}")
    for v in s.vetoes:
        if v.effect == "fail":
            grade = "fail"
            scheme = v.event if v.event.effect is not None else rubric.vetoes
            why.append(marked(f"一票否决：{v.event.name} → {fail}", rubric, scheme, "effect"))
    return grade


def _blocks(grading: Grading, grade: GradeKey, s: UnitScore) -> list[str]:
    """3. Why a unit may not be 先进: its grade, its score, a veto, a penalty."""
    blocks: list[str] = []
    if _RANK_OF_GRADE[grade] > _RANK_OF_GRADE[grading.advanced_requires]:
        blocks.append(f"等次为{label(grading, grade)}，须为{label(grading, grading.advanced_requires)}方可评先进")
    if grading.advanced_min_score is not None and s.total < grading.advanced_min_score:
        blocks.append(f"得分低于 {fmt(grading.advanced_min_score)} 分，不能参加先进评比")
    for v in s.vetoes:
        if v.effect == "no_advanced":
            blocks.append(f"否决项目：{v.event.name} → {VETO_EFFECT_NAMES['no_advanced']}")
    for p in s.penalties:
        if p.record.removes_eligibility:
            blocks.append(f"{p.penalty.name}，取消评先资格")
    return blocks


def _lowest_min(grading: Grading) -> Decimal:
    mins = [b.min for b in grading.bands if b.min is not None]
    return min(mins) if mins else Decimal(0)


def _advanced(
    rubric: Rubric,
    pool: Pool | None,
    pool_name: str,
    members: Sequence[UnitScore],
    ranks: Mapping[str, int],
    grades: dict[str, GradeKey | None],
    reasons: dict[str, list[str]],
    blocked: Mapping[str, list[str]],
    inputs: Mapping[str, UnitInput],
    problems: Problems,
) -> None:
    grading = rubric.grading
    assert grading is not None
    name = label(grading, "advanced")
    eligible = {uid: not b for uid, b in blocked.items()}
    if grading.advanced == "rank":
        top = pool.advanced_top if pool is not None else None
        if top is None:
            return
        if grading.places_among == "eligible":
            candidates = [s for s in members if eligible[s.unit.id]]
            place = _ranks(candidates)
        else:
            place = dict(ranks)
        for s in members:
            uid = s.unit.id
            if not eligible[uid]:
                if ranks[uid] <= top:
                    text = f"名次在前 {top} 名，但不具备评先资格，不评为{name}"
                    reasons[uid].append(marked(text, rubric, grading, "places_among"))
            elif place[uid] <= top:
                grades[uid] = "advanced"
                among = "有评先资格的单位中" if grading.places_among == "eligible" else ""
                text = f"{among}位居{pool_name}前 {top} 名（第 {place[uid]} 位）→ {name}"
                reasons[uid].append(
                    marked(text, rubric, grading, "places_among") if among and place[uid] != ranks[uid] else text
                )
    elif grading.advanced == "decision":
        for s in members:
            uid = s.unit.id
            award = inputs[uid].award if uid in inputs else None
            if award is None or award.grade != "advanced":
                continue
            if eligible[uid]:
                grades[uid] = "advanced"
                basis = f"（{award.reason}）" if award.reason else ""
                reasons[uid].append(f"经考核办公室评定{basis} → {name}")
            else:
                problems.error(
                    award.loc,
                    f"单位 {uid} 被评定为{name}，但按细则不能评为{name}：" + "；".join(blocked[uid]),
                    "核对评定结果，或核对该单位的否决事项、扣分因素和得分。",
                )
    elif grading.advanced == "threshold":
        floor = grading.advanced_min_score
        for s in members:
            uid = s.unit.id
            if eligible[uid] and (floor is None or s.total >= floor):
                grades[uid] = "advanced"
                reasons[uid].append(f"得分不低于 {fmt(floor or Decimal(0))} 分且具备评先资格 → {name}")
