"""The home page, the overview of one assessment, and the list of years."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome
from generator.engine.results import Notice
from generator.site import paths
from generator.site.views.common import Summary, downloads, ordered, standards_only_summary, summary
from generator.site.views.origin import DocumentView, OriginCount, document_view, origin_counts

# --------------------------------------------------------------------------------------------
# Home, overview, list of years
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeContext:
    path: str
    latest: Summary | None
    others: tuple[Summary, ...]
    #: Standards published for assessments that have no results yet (e.g. next year's).
    upcoming: tuple[Summary, ...]
    years_url: str


@dataclass(frozen=True)
class OverviewContext:
    path: str
    rubric: Rubric
    summary: Summary
    downloads: tuple[tuple[str, str], ...]
    other_years: tuple[Summary, ...]
    document: DocumentView | None
    #: How many parts of the rubric are 原文, 补充 and 解读.
    origins: tuple[OriginCount, ...]


@dataclass(frozen=True)
class YearsContext:
    path: str
    summaries: tuple[Summary, ...]


def home_context(
    outcomes: Mapping[str, AssessmentOutcome], notices: Mapping[str, Notice], standards_only: Sequence[Rubric] = ()
) -> HomeContext:
    path = "index.md"
    all_ = [summary(o, notices.get(o.rubric.id), path) for o in ordered(outcomes)]
    upcoming = tuple(standards_only_summary(r, path) for r in sorted(standards_only, key=lambda r: (-r.year, r.id)))
    return HomeContext(
        path, all_[0] if all_ else None, tuple(all_[1:]), upcoming, paths.link(path, paths.assessment_index())
    )


def overview_context(
    outcome: AssessmentOutcome,
    notice: Notice | None,
    outcomes: Mapping[str, AssessmentOutcome],
    notices: Mapping[str, Notice],
) -> OverviewContext:
    r = outcome.rubric
    path = paths.page(r.id, "index")
    others = tuple(
        summary(o, notices.get(o.rubric.id), path)
        for o in ordered(outcomes)
        if o.rubric.series_id == r.series_id and o.rubric.id != r.id
    )
    return OverviewContext(
        path=path,
        rubric=r,
        summary=summary(outcome, notice, path),
        downloads=downloads(r.id, path),
        other_years=others,
        document=document_view(r),
        origins=origin_counts(r),
    )


def years_context(
    outcomes: Mapping[str, AssessmentOutcome], notices: Mapping[str, Notice], standards_only: Sequence[Rubric] = ()
) -> YearsContext:
    path = paths.assessment_index()
    summaries = [summary(o, notices.get(o.rubric.id), path) for o in ordered(outcomes)]
    summaries += [standards_only_summary(r, path) for r in standards_only]
    summaries.sort(key=lambda s: (-s.year, s.id))
    return YearsContext(path, tuple(summaries))
