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

from generator.engine.models import (
    DEFAULT_GRADE_LABELS,
    GRADE_ORDER,
    VETO_EFFECT_NAMES,
    GradeKey,
    Grading,
    Pool,
    Rubric,
)
from generator.engine.origin import Sourced
from generator.engine.outcome import Standing, UnitScore
from generator.engine.problems import Problems
from generator.engine.provenance import Mark, provenance
from generator.engine.reasons import (
    AboveAdvancedMin,
    AtBottom,
    AtBottomAbove,
    BandReached,
    BelowBands,
    CategoryZero,
    Decided,
    EligibilityRemoved,
    GradeReason,
    GradeTooLow,
    NotAssessed,
    NotGraded,
    Placed,
    ScoreTooLow,
    Tied,
    TopButIneligible,
    TopPlaces,
    VetoBarsAdvanced,
    Vetoed,
)
from generator.engine.results import UnitInput
from generator.engine.wording import words

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


def cited(rubric: Rubric, part: Sourced | None, name: str | None = None) -> Mark | None:
    """The mark of the rule a reason rests on (``part``, or its field ``name``) when that is not the
    document's own words; None when it is."""
    return provenance(rubric).mark(part, name) if part is not None else None


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
            reason = (NotAssessed(note=s.unit.status_note),)
            out[s.unit.id] = Standing(pid, names[pid], len(pools.get(pid, ())), None, None, "不参加考核", reason, False)
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
    reasons: dict[str, list[GradeReason]] = {}
    blocked: dict[str, list[GradeReason]] = {}

    for s in members:
        uid = s.unit.id
        why = reasons.setdefault(uid, [])
        why.append(Placed(total=s.total, pool=pool_name, rank=ranks[uid], size=size))
        if tied[ranks[uid]] > 1:
            ties = rubric.ranking.ties.rstrip("。")
            why.append(Tied(others=tied[ranks[uid]] - 1, ties=ties, cited=cited(rubric, rubric.ranking, "ties")))
        if grading is None:
            blocked[uid] = [NotGraded()]
            continue
        grade = _base_grade(rubric, grading, s, why)
        grade = _forced_fail(rubric, grading, pool, pool_name, s, bottom[uid], why) or grade
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


def _base_grade(rubric: Rubric, grading: Grading, s: UnitScore, why: list[GradeReason]) -> GradeKey:
    """1. The grade by score bands (``threshold``), or 达标 (``rank``)."""
    if grading.method != "threshold":
        return "pass"
    for band in grading.bands:
        if band.min is None or s.total >= band.min:
            name = label(grading, band.grade)
            if band.min is not None:
                why.append(BandReached(min=band.min, grade=name, cited=cited(rubric, band, "min"), brief=True))
            else:
                why.append(BelowBands(lowest=_lowest_min(grading), grade=name, cited=cited(rubric, band), brief=True))
            return band.grade
    return "pass"


def _forced_fail(
    rubric: Rubric,
    grading: Grading,
    pool: Pool | None,
    pool_name: str,
    s: UnitScore,
    place: int,
    why: list[GradeReason],
) -> GradeKey | None:
    """2. 未达标 whatever the score: a category at 0, the bottom of the pool, a veto that fails. None if not."""
    failed: GradeKey | None = None
    fail = label(grading, "fail")
    if grading.fail_if_category_zero:
        for c in s.categories:
            if c.applicable and c.score == 0:
                failed = "fail"
                why.append(CategoryZero(category=c.node.title, grade=fail))
    if pool is not None and pool.fail_bottom is not None and place <= pool.fail_bottom:
        line = pool.fail_at_or_below
        if line is None or s.total <= line:
            failed = "fail"
            mark = cited(rubric, pool, "fail_at_or_below" if line is not None else "fail_bottom")
            why.append(AtBottom(pool=pool_name, place=place, at_or_below=line, grade=fail, cited=mark))
        else:
            why.append(AtBottomAbove(pool=pool_name, place=place, line=line, grade=fail))
    for v in s.vetoes:
        if v.effect == "fail":
            failed = "fail"
            scheme = v.event if v.event.effect is not None else rubric.vetoes
            why.append(Vetoed(event=v.event.name, grade=fail, cited=cited(rubric, scheme, "effect")))
    return failed


def _blocks(grading: Grading, grade: GradeKey, s: UnitScore) -> list[GradeReason]:
    """3. What keeps the unit from 先进 (nothing: it is eligible)."""
    blocks: list[GradeReason] = []
    if _RANK_OF_GRADE[grade] > _RANK_OF_GRADE[grading.advanced_requires]:
        blocks.append(GradeTooLow(grade=label(grading, grade), required=label(grading, grading.advanced_requires)))
    if grading.advanced_min_score is not None and s.total < grading.advanced_min_score:
        blocks.append(ScoreTooLow(min=grading.advanced_min_score))
    for v in s.vetoes:
        if v.effect == "no_advanced":
            blocks.append(VetoBarsAdvanced(event=v.event.name, effect=VETO_EFFECT_NAMES["no_advanced"]))
    for p in s.penalties:
        if p.record.removes_eligibility:
            blocks.append(EligibilityRemoved(penalty=p.penalty.name))
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
    reasons: dict[str, list[GradeReason]],
    blocked: Mapping[str, list[GradeReason]],
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
                    mark = cited(rubric, grading, "places_among")
                    reasons[uid].append(TopButIneligible(top=top, grade=name, cited=mark))
            elif place[uid] <= top:
                grades[uid] = "advanced"
                among = grading.places_among == "eligible"
                mark = cited(rubric, grading, "places_among") if among and place[uid] != ranks[uid] else None
                reasons[uid].append(
                    TopPlaces(pool=pool_name, top=top, place=place[uid], among_eligible=among, grade=name, cited=mark)
                )
    elif grading.advanced == "decision":
        for s in members:
            uid = s.unit.id
            award = inputs[uid].award if uid in inputs else None
            if award is None or award.grade != "advanced":
                continue
            if eligible[uid]:
                grades[uid] = "advanced"
                reasons[uid].append(Decided(basis=award.reason, grade=name))
            else:
                problems.error(
                    award.loc,
                    f"单位 {uid} 被评定为{name}，但按细则不能评为{name}：" + "；".join(words(b) for b in blocked[uid]),
                    "核对评定结果，或核对该单位的否决事项、扣分因素和得分。",
                )
    elif grading.advanced == "threshold":
        floor = grading.advanced_min_score
        for s in members:
            uid = s.unit.id
            if eligible[uid] and (floor is None or s.total >= floor):
                grades[uid] = "advanced"
                reasons[uid].append(AboveAdvancedMin(min=floor or Decimal(0), grade=name))
