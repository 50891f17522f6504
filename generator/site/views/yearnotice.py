"""The year around the scores on the results page (the groups' votes, results adjusted after review) and in the
notice's annex (consequences, adjusted results, objections). Pure; worded here, laid out by the templates.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome
from generator.engine.results import Notice
from generator.engine.wording import words
from generator.engine.yearrecords import OBJECTION_OUTCOME_NAMES


@dataclass(frozen=True)
class TallyLine:
    category: str
    name: str
    votes: int
    voters: int
    recommended: bool | None


@dataclass(frozen=True)
class ResultsYear:
    #: The groups' votes (民主推荐) by pool name, as the results page shows them under each pool.
    tallies: Mapping[str, tuple[TallyLine, ...]] = field(default_factory=dict)
    #: By pool name, units whose results were adjusted after review: 单位：指标 S2.1.2 扣分 1.5 → 0.8 ….
    adjusted: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def results_year(outcome: AssessmentOutcome) -> ResultsYear:
    if outcome.year is None:
        return ResultsYear()
    tallies: dict[str, list[TallyLine]] = {}
    names = {u.unit.id: u for u in outcome.units}
    for t in outcome.year.records.tallies:
        u = names[t.unit]
        who = f"{t.person}（{u.unit.name}）" if t.person else u.unit.name
        tallies.setdefault(u.standing.pool_name, []).append(
            TallyLine(t.category, who, t.votes, t.voters, t.recommended)
        )
    adjusted: dict[str, list[str]] = {}
    for pool, line in adjusted_lines(outcome):
        adjusted.setdefault(pool, []).append(line)
    return ResultsYear({k: tuple(v) for k, v in tallies.items()}, {k: tuple(v) for k, v in adjusted.items()})


def adjusted_lines(
    outcome: AssessmentOutcome, until: datetime.date | None = None, after: bool = False
) -> tuple[tuple[str, str], ...]:
    """(pool name, line) per unit whose results an adjustment changed (decided by ``until``, or after it)."""
    if outcome.year is None:
        return ()
    out = []
    for u in outcome.units:
        year = outcome.year.of(u.unit.id)
        changes = [
            c
            for c in year.changes
            if until is None or c.objection.decided is None or (c.objection.decided > until) == after
        ]
        if not changes:
            continue
        items = "；".join(
            f"指标 {c.objection.item}「{c.title}」扣分 {fmt(c.lost_before)} → {fmt(c.lost_after)}" for c in changes
        )
        t = year.total_change
        total = f"，综合得分 {fmt(t.total_before)} → {fmt(t.total_after)}" if t is not None else ""
        rank = f"，名次 {t.rank_before} → {t.rank_after}" if t is not None and t.rank_before != t.rank_after else ""
        grade = f"，等次{t.label_before} → {t.label_after}" if t is not None and t.label_before != t.label_after else ""
        out.append((u.standing.pool_name, f"{u.unit.name}：{items}{total}{rank}{grade}"))
    return tuple(out)


@dataclass(frozen=True)
class NoticeYear:
    #: (consequence, the units it applies to with why), for the notice's annex.
    consequences: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Results adjusted after review by the notice's date, and after it.
    adjusted: tuple[str, ...] = ()
    adjusted_after: tuple[str, ...] = ()
    #: 公示期间收到异议 5 件：调整 1 件，维持 3 件，待复核 1 件.
    objections: str = ""


def notice_year(outcome: AssessmentOutcome, notice: Notice) -> NoticeYear:
    if outcome.year is None:
        return NoticeYear()
    groups: dict[str, list[str]] = {}
    for u in outcome.units:
        for c in outcome.year.of(u.unit.id).consequences:
            groups.setdefault(c.effect, []).append(f"{u.unit.name}（{words(c.why)}）")
    objections = outcome.year.records.objections
    counts = {k: sum(1 for o in objections if o.outcome == k) for k in OBJECTION_OUTCOME_NAMES}
    said = "，".join(f"{OBJECTION_OUTCOME_NAMES[k]} {n} 件" for k, n in counts.items() if n)
    received = f"公示期间收到异议 {len(objections)} 件：{said}。" if objections else ""
    return NoticeYear(
        tuple((k, tuple(v)) for k, v in groups.items()),
        tuple(line for _, line in adjusted_lines(outcome, notice.date)),
        tuple(line for _, line in adjusted_lines(outcome, notice.date, after=True)),
        received if notice.publicity is not None and notice.date > notice.publicity.end else "",
    )
