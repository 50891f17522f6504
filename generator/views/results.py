"""The results page's context: the ranking tables by pool and the grade distribution."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .. import site
from ..models import GradeKey, Notice, Rubric
from ..numbers import fmt
from ..outcome import AssessmentOutcome, UnitOutcome
from .common import GradeCount, History, downloads, grade_counts

# --------------------------------------------------------------------------------------------
# Results page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    rank: int | None
    unit_id: str
    name: str
    url: str
    type_name: str
    group: str
    parts: tuple[str, ...]
    indicator: str
    bonus: str
    penalty: str
    total: str
    grade: GradeKey | None
    label: str
    vetoed: bool
    change_total: str
    change_rank: str
    assessed: bool


@dataclass(frozen=True)
class PoolTable:
    id: str
    name: str
    rows: tuple[ResultRow, ...]
    grades: tuple[GradeCount, ...]


@dataclass(frozen=True)
class ResultsContext:
    path: str
    rubric: Rubric
    part_names: tuple[str, ...]
    pools: tuple[PoolTable, ...]
    grades: tuple[GradeCount, ...]
    has_history: bool
    previous_year: int | None
    standards_url: str
    notice_url: str | None
    downloads: tuple[tuple[str, str], ...]
    grading_illustrative: bool


def results_context(outcome: AssessmentOutcome, history: History, notice: Notice | None) -> ResultsContext:
    r = outcome.rubric
    path = site.page(r.id, "results")
    pools: dict[str, list[UnitOutcome]] = defaultdict(list)
    names: dict[str, str] = {}
    for u in outcome.units:
        pools[u.standing.pool].append(u)
        names[u.standing.pool] = u.standing.pool_name
    previous_years = set()
    tables = []
    for pid, members in pools.items():
        members.sort(key=lambda u: (u.standing.rank is None, u.standing.rank or 0, u.unit.id))
        rows = []
        for u in members:
            change = history.change(r, u)
            if change is not None:
                previous_years.add(change.year)
            s, st = u.score, u.standing
            rows.append(
                ResultRow(
                    rank=st.rank,
                    unit_id=u.unit.id,
                    name=u.unit.name,
                    url=site.link(path, site.unit_page(r.id, u.unit.id)),
                    type_name=s.unit_type.name,
                    group=u.unit.group,
                    parts=tuple(fmt(p.raw) for p in s.parts) if s.assessed else tuple("" for _ in s.parts),
                    indicator=fmt(s.indicator_score) if s.assessed else "",
                    bonus=fmt(s.bonus.total) if s.assessed else "",
                    penalty=fmt(s.penalty_total) if s.assessed and s.penalty_total else "",
                    total=fmt(s.total) if s.assessed else "",
                    grade=st.grade,
                    label=st.label,
                    vetoed=bool(s.vetoes),
                    change_total=change.total_text if change else "",
                    change_rank=change.rank_text if change else "",
                    assessed=s.assessed,
                )
            )
        counts: dict[GradeKey, int] = defaultdict(int)
        for u in members:
            if u.standing.grade:
                counts[u.standing.grade] += 1
        grades = tuple(g for g in grade_counts(outcome))
        pool_grades = tuple(GradeCount(g.key, g.label, counts.get(g.key, 0) if g.key else 0) for g in grades)
        tables.append(PoolTable(pid, names[pid], tuple(rows), pool_grades))
    pool_order = [p.id for p in r.ranking.pools]
    tables.sort(key=lambda t: (pool_order.index(t.id) if t.id in pool_order else len(pool_order), t.id))
    return ResultsContext(
        path=path,
        rubric=r,
        part_names=tuple(p.name for p in r.parts),
        pools=tuple(tables),
        grades=grade_counts(outcome),
        has_history=bool(previous_years),
        previous_year=max(previous_years) if previous_years else None,
        standards_url=site.link(path, site.page(r.id, "standards")),
        notice_url=site.link(path, site.page(r.id, "notice")) if notice else None,
        downloads=downloads(r.id, path),
        grading_illustrative=bool(r.grading and r.grading.illustrative),
    )
