"""The year around the scores: objections adjust the entries, letters, rectification and votes are checked.

:func:`check_with_year` takes the place of a bare :func:`~generator.data.check_results.check_results`:

1. objections.csv is read first; its adjustments replace the entries they concern (the scores follow);
2. the results are checked as usual;
3. letters, rectification tasks and the groups' votes are checked against the registry;
4. special deductions not 认定 are set aside (shown, never counted); rectification tasks not put right in
   time become findings of the rubric's ``rectification`` rule;
5. where something was adjusted, the results as they stood before are checked too, for the change history.

The records are kept even for a year without results yet (its rectification tasks are shown on the pages of
the year that found the problems), in ``project.year``.
"""

from __future__ import annotations

from dataclasses import replace

from generator.data.check_results import check_results, read_registry
from generator.data.letters import read_letters
from generator.data.load import Project
from generator.data.objections import adjusted_results, read_objections
from generator.data.problems import Loc, Problems
from generator.data.recommendations import check_recommended_awards, read_tallies
from generator.data.rectification import check_rectification_rule, deduct_late, read_rectification
from generator.engine.models import Rubric
from generator.engine.results import Assessment, PenaltyRecord, RawResults
from generator.engine.yearrecords import YearRecords


def check_with_year(rubric: Rubric, raw: RawResults, project: Project, problems: Problems) -> Assessment | None:
    notice = project.notices.get(rubric.id)
    publicity = (notice.publicity.start, notice.publicity.end) if notice and notice.publicity else None
    unit_ids = {r.get("id") for r in raw.units}
    objections = read_objections(raw.objections, rubric, unit_ids, publicity, problems)
    adjusted = adjusted_results(raw, rubric, objections, raw.objections)
    assessment = check_results(rubric, adjusted, problems)
    units = {u.unit.id: u.unit for u in assessment.units} if assessment else read_registry(rubric, raw, Problems())
    records = YearRecords(
        letters=read_letters(raw.letters, rubric, units, problems),
        objections=objections,
        rectification=read_rectification(raw.rectification, rubric, units, problems),
        tallies=read_tallies(raw.recommendations, rubric, units, problems),
        publicity=publicity,
    )
    project.year[rubric.id] = records
    if assessment is None:
        return None
    check_recommended_awards(rubric, assessment, records.tallies, problems)
    assessment, uncounted = set_aside_uncounted(assessment)
    assessment, deducted = deduct_late(rubric, assessment, records.rectification)
    original = None
    if any(o.outcome == "adjusted" for o in objections):
        found = Problems()
        before = check_results(rubric, raw, found)
        _replaced_rows_problems(raw, adjusted, found, problems)
        if before is not None and not found.has_errors():
            original = deduct_late(rubric, set_aside_uncounted(before)[0], records.rectification)[0]
    records = replace(records, uncounted_penalties=uncounted, deducted=deducted, original=original)
    project.year[rubric.id] = records
    return replace(assessment, year=records)


def _replaced_rows_problems(raw: RawResults, adjusted: RawResults, found: Problems, problems: Problems) -> None:
    """The problems of the entries an adjustment set aside: they are still the office's data, and wrong."""
    kept = {(r.loc.file, r.loc.line) for r in adjusted.entries}
    replaced = {(r.loc.file, r.loc.line) for r in raw.entries} - kept
    problems.extend(Problems([p for p in found if (p.loc.file, p.loc.line) in replaced]))


def set_aside_uncounted(assessment: Assessment) -> tuple[Assessment, dict[str, tuple[PenaltyRecord, ...]]]:
    """Special deductions not (yet) 认定 leave the scores; they are kept to be shown."""
    uncounted: dict[str, tuple[PenaltyRecord, ...]] = {}
    units = []
    for u in assessment.units:
        aside = tuple(p for p in u.penalties if p.process is not None and not p.process.counts)
        if aside:
            uncounted[u.unit.id] = aside
            u = replace(u, penalties=tuple(p for p in u.penalties if p not in aside))
        units.append(u)
    return replace(assessment, units=tuple(units)), uncounted


# --------------------------------------------------------------------------------------------
# The rubric's part: consequences, rectification, recommendation, grounds
# --------------------------------------------------------------------------------------------


def check_year_rubric(rubric: Rubric, problems: Problems) -> None:
    _check_consequences(rubric, problems)
    check_rectification_rule(rubric, problems)
    scheme = rubric.recommendation
    if scheme is not None:
        if scheme.advanced_category and scheme.advanced_category not in scheme.categories:
            problems.error(
                scheme.loc,
                f"advanced_category「{scheme.advanced_category}」不在 categories 中",
                "写 categories 中的一个类别。",
            )
        grading = rubric.grading
        if scheme.advanced_category and (grading is None or grading.advanced != "decision"):
            problems.error(
                scheme.loc,
                "advanced_category 只用于由考核办公室评定先进的细则（grading.advanced: decision）",
                "按名次或分数产生先进的细则不要写 advanced_category。",
            )
    for item in rubric.bonus.items if rubric.bonus else ():
        _unique_grounds(item.grounds, item.loc, problems)
    for penalty in rubric.penalties:
        _unique_grounds(penalty.grounds, penalty.loc, problems)


def _unique_grounds(grounds: tuple[str, ...], loc: Loc, problems: Problems) -> None:
    if len(set(grounds)) != len(grounds) or any(not g.strip() for g in grounds):
        problems.error(loc, "grounds 中有空的或重复的事由", "每项事由写一次，照录原文。")


def _check_consequences(rubric: Rubric, problems: Problems) -> None:
    within = rubric.ranking.within
    pools = {p.id for p in rubric.ranking.pools}
    for c in rubric.consequences:
        for t in c.triggers:
            if not (t.pools or t.bottom or t.grades):
                problems.error(
                    t.loc,
                    "结果运用的适用条件是空的",
                    "写明 bottom（倒数几名）或 grades（等次），可加 pools 限定排名组。",
                )
            if t.bottom is not None and t.bottom < 1:
                problems.error(t.loc, "bottom 应是不小于 1 的整数", "`后3位` 写 3，`排名末位` 写 1。")
            if t.consecutive_years is not None and (t.consecutive_years < 1 or not t.grades):
                problems.error(
                    t.loc,
                    "consecutive_years 须与 grades 同用，且不小于 1",
                    "例如 `{grades: [fail], consecutive_years: 2}`。",
                )
            if t.pools and within == "all":
                problems.error(t.loc, "细则按全体排名（ranking.within: all），没有排名组可写", "删去 pools。")
            unknown = [p for p in t.pools if within == "pools" and p not in pools]
            if unknown:
                problems.error(
                    t.loc,
                    f"排名组「{'、'.join(unknown)}」不在 ranking.pools 中",
                    "可用的排名组：" + "、".join(sorted(pools)) + "。",
                )
