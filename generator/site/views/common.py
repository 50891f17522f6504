"""Shared pieces of the page contexts: summaries of assessments, grade counts, history across years."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from generator.engine.exact import fmt
from generator.engine.grading import label as grade_label
from generator.engine.models import GRADE_ORDER, GradeKey, Rubric
from generator.engine.origin import FILLED
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.provenance_counts import count
from generator.engine.results import Notice
from generator.site import paths
from generator.site.views.origin import invented_year, invented_year_words

# --------------------------------------------------------------------------------------------
# Shared pieces
# --------------------------------------------------------------------------------------------


def date_cn(d: date) -> str:
    """2013年12月31日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class GradeCount:
    key: GradeKey
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    """One assessment as listed on the home page and the list of years."""

    id: str
    title: str
    year: int
    issuer: str
    #: Some of the rubric is filled in (补充) where the document is silent.
    filled: bool
    #: The whole rubric is filled in (a year the document never had).
    invented: bool
    #: The results are sample data (示例数据).
    sample: bool
    incomplete: bool
    assessed: int
    grades: tuple[GradeCount, ...]
    overview: str
    standards: str
    #: None while the assessment has standards but no results yet.
    results: str | None
    notice: str | None
    notice_title: str | None


def standards_only_summary(rubric: Rubric, from_page: str) -> Summary:
    """An assessment whose standards are published before any results exist."""
    return _summary(rubric, None, None, from_page)


def points_lost(u: UnitOutcome) -> Decimal:
    """What a unit's items lost, each stopped at its points (扣完为止): the sum of its applicable parts' losses.
    The unit page's 失分项 total and the office's 扣分合计 both; the items' own deductions can add up to more."""
    return sum((c.lost for c in u.score.categories if c.applicable), Decimal(0))


def grade_tally(units: Iterable[UnitOutcome]) -> Counter[GradeKey]:
    """How many of ``units`` have each grade (units not graded are not counted)."""
    return Counter(u.standing.grade for u in units if u.standing.grade is not None)


def grade_counts(outcome: AssessmentOutcome) -> tuple[GradeCount, ...]:
    """Each grade the assessment uses, in order, with how many units have it."""
    counts = grade_tally(outcome.units)
    used = [g for g in GRADE_ORDER if counts.get(g) or _grade_in_use(outcome.rubric, g)]
    return tuple(GradeCount(g, grade_label(outcome.rubric.grading, g), counts.get(g, 0)) for g in used)


def by_pool(
    outcome: AssessmentOutcome, units: Iterable[UnitOutcome] | None = None
) -> list[tuple[str, str, list[UnitOutcome]]]:
    """Units by ranking pool: ``(pool id, pool name, units)``.

    Pools come in the rubric's order (``ranking.pools``); groups (联络组) in the order the unit register
    first lists them, so 第一组 … 第四组 read as the office wrote them rather than in character order.
    """
    members: dict[str, list[UnitOutcome]] = {}
    names: dict[str, str] = {}
    for u in outcome.units if units is None else units:
        members.setdefault(u.standing.pool, []).append(u)
        names[u.standing.pool] = u.standing.pool_name
    declared = {p.id: i for i, p in enumerate(outcome.rubric.ranking.pools)}
    order = sorted(members, key=lambda pid: declared.get(pid, len(declared)))  # stable: first listed first
    return [(pid, names[pid], members[pid]) for pid in order]


def _grade_in_use(rubric: Rubric, grade: GradeKey) -> bool:
    g = rubric.grading
    if g is None:
        return grade == "pass"
    if grade == "advanced":
        return g.advanced != "none"
    if grade == "basic_pass":
        return any(b.grade == "basic_pass" for b in g.bands)
    return True


def summary(outcome: AssessmentOutcome, notice: Notice | None, from_page: str) -> Summary:
    return _summary(outcome.rubric, outcome, notice, from_page)


def _summary(r: Rubric, outcome: AssessmentOutcome | None, notice: Notice | None, from_page: str) -> Summary:
    standards = paths.link(from_page, paths.page(r.id, "standards"))
    return Summary(
        id=r.id,
        title=r.title,
        year=r.year,
        issuer=r.issuer,
        filled=bool(count(r).parts[FILLED] or count(r).fields[FILLED]),
        invented=invented_year(r),
        sample=outcome is not None and outcome.sample is not None,
        incomplete=bool(r.incomplete),
        assessed=sum(1 for u in outcome.units if u.score.assessed) if outcome else 0,
        grades=grade_counts(outcome) if outcome else (),
        # Without results the standards are the whole of the assessment.
        overview=paths.link(from_page, paths.page(r.id, "index")) if outcome else standards,
        standards=standards,
        results=paths.link(from_page, paths.page(r.id, "results")) if outcome else None,
        notice=paths.link(from_page, paths.page(r.id, "notice")) if notice else None,
        notice_title=notice.title if notice else None,
    )


def ordered(outcomes: Mapping[str, AssessmentOutcome]) -> list[AssessmentOutcome]:
    """Newest first; the same year by id."""
    return sorted(outcomes.values(), key=lambda o: (-o.rubric.year, o.rubric.id))


# --------------------------------------------------------------------------------------------
# History across years of one series
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    year: int
    total: str
    rank: int | None
    pool_size: int
    label: str
    grade: GradeKey | None
    url: str
    current: bool
    #: That year's rubric is itself filled in ('' when not): what to say beside it.
    invented: str = ""


@dataclass(frozen=True)
class Change:
    """The change from the same series' previous assessment."""

    year: int
    total: Decimal | None
    rank: int | None
    #: The year compared with is itself filled in ('' when not): what to say beside the change.
    invented: str = ""

    @property
    def total_text(self) -> str:
        if self.total is None:
            return ""
        return ("+" if self.total > 0 else "") + fmt(self.total) if self.total else "持平"

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return ""
        if self.rank == 0:
            return "名次不变"
        return f"上升 {self.rank} 位" if self.rank > 0 else f"下降 {-self.rank} 位"


class History:
    """Each unit's outcomes across the assessments of its series, built once for all pages."""

    def __init__(self, outcomes: Mapping[str, AssessmentOutcome]) -> None:
        self.by_unit: dict[tuple[str, str], list[tuple[Rubric, UnitOutcome]]] = defaultdict(list)
        for o in outcomes.values():
            rubric, series = o.rubric, o.rubric.series_id
            for u in o.units:
                self.by_unit[(series, u.unit.id)].append((rubric, u))
        for rows in self.by_unit.values():
            rows.sort(key=lambda pair: (pair[0].year, pair[0].id))

    def rows(self, rubric: Rubric, uid: str, from_page: str) -> tuple[HistoryRow, ...]:
        out = []
        for r, u in reversed(self.by_unit.get((rubric.series_id, uid), [])):
            st = u.standing
            out.append(
                HistoryRow(
                    year=r.year,
                    total=fmt(u.score.total) if u.score.assessed else "",
                    rank=st.rank,
                    pool_size=st.pool_size,
                    label=st.label,
                    grade=st.grade,
                    url=paths.link(from_page, paths.unit_page(r.id, uid)),
                    current=r.id == rubric.id,
                    invented=invented_year_words(r) if invented_year(r) else "",
                )
            )
        return tuple(out)

    def previous(self, rubric: Rubric, uid: str) -> tuple[Rubric, UnitOutcome] | None:
        earlier = [(r, u) for r, u in self.by_unit.get((rubric.series_id, uid), []) if r.year < rubric.year]
        return earlier[-1] if earlier else None

    def change(self, rubric: Rubric, u: UnitOutcome) -> Change | None:
        prev = self.previous(rubric, u.unit.id)
        if prev is None or not u.score.assessed or not prev[1].score.assessed:
            return None
        r, p = prev
        total = u.score.total - p.score.total
        rank = None
        if p.standing.rank is not None and u.standing.rank is not None and p.standing.pool == u.standing.pool:
            rank = p.standing.rank - u.standing.rank
        return Change(r.year, total, rank, invented_year_words(r) if invented_year(r) else "")

    def invented_years(self, rubric: Rubric, uid: str, years: int) -> list[str]:
        """Of the ``years`` up to this assessment's, those whose rubric is itself filled in, in words."""
        rows = [
            r for r, _ in self.by_unit.get((rubric.series_id, uid), []) if rubric.year - years < r.year <= rubric.year
        ]
        return [invented_year_words(r) for r in rows if invented_year(r)]

    def consecutive_fails(self, rubric: Rubric, uid: str) -> int:
        """How many years in a row, ending with this assessment's, the unit was graded fail (a year without
        an assessment of it breaks the run)."""
        count = 0
        for r, u in reversed(self.by_unit.get((rubric.series_id, uid), [])):
            if r.year > rubric.year:
                continue
            if r.year != rubric.year - count or u.standing.grade != "fail":
                break
            count += 1
        return count


def downloads(aid: str, path: str) -> tuple[tuple[str, str], ...]:
    """The assessment's downloads: (title, link from ``path``)."""
    titles = ("考核结果（CSV，可用 Excel 打开）", "考核结果（Excel）", "完整计分数据（JSON）")
    return tuple((title, paths.link(path, file)) for title, file in zip(titles, paths.downloads(aid), strict=True))
