"""考核结果运用: the rubric's consequences applied to each unit, with the rank or grade that triggered them.

Pure. A consequence applies when any of its triggers holds; a trigger holds when every condition it writes
does: the unit's ranking pool, its place from the bottom of the pool (ties share a place, as in grading), its
grade, and the number of years running (same series, no year missing) its grade was one of those named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generator.engine.grading import label, shared_ranks
from generator.engine.models import Consequence, GradeKey, Rubric, Trigger
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.quick import quick
from generator.engine.reasons import ConsequenceTriggered

#: A unit's grades in earlier years of the series, newest first: (year, grade).
Earlier = Callable[[str], Sequence[tuple[int, GradeKey | None]]]


@quick
@dataclass(frozen=True, slots=True)
class ConsequenceOutcome:
    """One consequence that applies to one unit, and why."""

    consequence: Consequence
    trigger: Trigger
    #: What triggered it, as facts (worded by generator.engine.wording: 县（市、区）倒数第 2 名（后 3 名）…).
    why: ConsequenceTriggered

    @property
    def effect(self) -> str:
        return self.consequence.effect or self.consequence.text


def from_bottom(outcome: AssessmentOutcome) -> dict[str, int]:
    """Each graded unit's place from the bottom of its pool (1 = last; ties share the place)."""
    pools: dict[str, list[UnitOutcome]] = {}
    for u in outcome.units:
        if u.score.assessed and u.standing.rank is not None:
            pools.setdefault(u.standing.pool, []).append(u)
    places: dict[str, int] = {}
    for members in pools.values():
        ranks = shared_ranks([u.score.total for u in members], highest_first=False)
        places.update({u.unit.id: r for u, r in zip(members, ranks, strict=True)})
    return places


def streak(
    grade: GradeKey | None, year: int, earlier: Sequence[tuple[int, GradeKey | None]], grades: Sequence[str]
) -> int:
    """Years running, ending with ``year``, whose grade is among ``grades`` (a missing year breaks the run)."""
    if grade not in grades:
        return 0
    count, expected = 1, year - 1
    for y, g in earlier:
        if y != expected or g not in grades:
            break
        count, expected = count + 1, expected - 1
    return count


def _why(rubric: Rubric, u: UnitOutcome, t: Trigger, place: int | None, run: int) -> ConsequenceTriggered | None:
    """What makes a trigger hold for ``u``, None when it does not hold."""
    st = u.standing
    if t.pools and st.pool not in t.pools:
        return None
    if t.bottom is not None and (place is None or place > t.bottom):
        return None
    if t.grades and st.grade not in t.grades:
        return None
    if t.grades and t.consecutive_years and run < t.consecutive_years:
        return None
    return ConsequenceTriggered(
        pool=st.pool_name,
        place=place if t.bottom is not None else None,
        bottom=t.bottom,
        grades=tuple(label(rubric.grading, g) for g in t.grades),
        years=run if t.grades and t.consecutive_years else None,
    )


def apply_consequences(outcome: AssessmentOutcome, earlier: Earlier) -> Mapping[str, tuple[ConsequenceOutcome, ...]]:
    """Per unit, the consequences that apply to it (units with none are left out)."""
    rubric = outcome.rubric
    active = [c for c in rubric.consequences if c.triggers]
    if not active:
        return {}
    places = from_bottom(outcome)
    out: dict[str, tuple[ConsequenceOutcome, ...]] = {}
    for u in outcome.units:
        if not u.score.assessed or u.standing.grade is None:
            continue
        mine = []
        history = earlier(u.unit.id)
        for c in active:
            for t in c.triggers:
                run = streak(u.standing.grade, rubric.year, history, t.grades) if t.consecutive_years else 0
                why = _why(rubric, u, t, places.get(u.unit.id), run)
                if why is not None:
                    mine.append(ConsequenceOutcome(c, t, why))
                    break
        if mine:
            out[u.unit.id] = tuple(mine)
    return out
