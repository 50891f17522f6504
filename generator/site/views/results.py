"""The results page's context: the ranking tables by pool and the grade distribution."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.engine.exact import ZERO, fmt, fmt_percent
from generator.engine.models import GradeKey, Rubric
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.results import Notice
from generator.site import paths
from generator.site.charts import Distribution, PoolHistogram
from generator.site.views.common import GradeCount, History, by_pool, downloads, grade_counts, grade_tally
from generator.site.views.origin import filled_notes
from generator.site.views.yearnotice import ResultsYear, results_year

# --------------------------------------------------------------------------------------------
# Results page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    rank: int | None
    name: str
    #: What the ranking's filter finds a unit by besides its name: its code and 简称.
    code: str
    abbr: str
    url: str
    type_name: str
    parts: tuple[str, ...]
    indicator: str
    bonus: str
    penalty: str
    total: str
    grade: GradeKey | None
    label: str
    vetoed: bool
    change_total: str
    #: The unit takes part in this year's assessment: the ranking's filter counts these as the page does
    #: (参加考核的单位), and names the others it finds apart.
    assessed: bool


@dataclass(frozen=True)
class PoolTable:
    name: str
    #: Sorted by 综合得分, highest first (ties by rank); units not assessed last.
    rows: tuple[ResultRow, ...]
    grades: tuple[GradeCount, ...]
    #: 综合得分 of the pool's units, drawn as a histogram.
    distribution: Distribution


@dataclass(frozen=True)
class ResultsContext:
    path: str
    rubric: Rubric
    part_headings: tuple[tuple[str, str], ...]
    pools: tuple[PoolTable, ...]
    grades: tuple[GradeCount, ...]
    has_history: bool
    previous_year: int | None
    #: The year compared with is itself filled in ('' when not): what to say beside 较…年.
    previous_invented: str
    #: Per unit type, how much of its indicator points are filled in (the ranks and grades rest on them).
    filled_notes: tuple[str, ...]
    #: The results are sample data (示例数据).
    sample: bool
    standards_url: str
    notice_url: str | None
    downloads: tuple[tuple[str, str], ...]
    #: The groups' votes and the results adjusted after review, by pool (views.yearnotice).
    year: ResultsYear


def part_headings(rubric: Rubric) -> tuple[tuple[str, str], ...]:
    """Column headings for the parts and what each is out of: (年终集中考核, 满分 1000，占 70%)."""
    headings = []
    for p in rubric.parts:
        full = p.full
        if full is None and len({t.full_marks for t in rubric.unit_types}) == 1:
            full = rubric.unit_types[0].full_marks
        out_of = f"满分 {fmt(full)}，" if full is not None else ""
        headings.append((p.name, f"{out_of}占 {fmt_percent(p.weight)}"))
    return tuple(headings)


def _by_total(u: UnitOutcome) -> tuple[bool, Decimal, bool, int, str]:
    """综合得分 highest first; the same total by rank; units not assessed last."""
    s, st = u.score, u.standing
    return (not s.assessed, -s.total if s.assessed else ZERO, st.rank is None, st.rank or 0, u.unit.id)


def results_context(outcome: AssessmentOutcome, history: History, notice: Notice | None) -> ResultsContext:
    r = outcome.rubric
    path = paths.page(r.id, "results")
    grades = grade_counts(outcome)
    previous_years = set()
    invented: dict[int, str] = {}
    tables = []
    for _pid, name, members in by_pool(outcome):
        members = sorted(members, key=_by_total)
        rows = []
        for u in members:
            change = history.change(r, u)
            if change is not None:
                previous_years.add(change.year)
                if change.invented:
                    invented[change.year] = change.invented
            s, st = u.score, u.standing
            rows.append(
                ResultRow(
                    rank=st.rank,
                    name=u.unit.name,
                    code=u.unit.id,
                    abbr=u.unit.abbr,
                    url=paths.link(path, paths.unit_page(r.id, u.unit.id)),
                    type_name=s.unit_type.name,
                    parts=tuple(fmt(p.raw) for p in s.parts) if s.assessed else tuple("" for _ in s.parts),
                    indicator=fmt(s.indicator_score) if s.assessed else "",
                    bonus=fmt(s.bonus.total) if s.assessed else "",
                    penalty=fmt(s.penalty_total) if s.assessed and s.penalty_total else "",
                    total=fmt(s.total) if s.assessed else "",
                    grade=st.grade,
                    label=st.label,
                    vetoed=bool(s.vetoes),
                    change_total=change.total_text if change else "",
                    assessed=s.assessed,
                )
            )
        counts = grade_tally(members)
        pool_grades = tuple(GradeCount(g.key, g.label, counts[g.key]) for g in grades)
        histogram = PoolHistogram(name, [u.score.total for u in members if u.score.assessed])
        tables.append(PoolTable(name, tuple(rows), pool_grades, histogram.chart))
    return ResultsContext(
        path=path,
        rubric=r,
        part_headings=part_headings(r),
        pools=tuple(tables),
        grades=grades,
        has_history=bool(previous_years),
        previous_year=max(previous_years) if previous_years else None,
        previous_invented=invented.get(max(previous_years), "") if previous_years else "",
        filled_notes=filled_notes(r),
        sample=outcome.sample is not None,
        standards_url=paths.link(path, paths.page(r.id, "standards")),
        notice_url=paths.link(path, paths.page(r.id, "notice")) if notice else None,
        downloads=downloads(r.id, path),
        year=results_year(outcome),
    )
