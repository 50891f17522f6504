"""The year around each assessment's scores, per unit: consequences, letters, objections and what they changed,
rectification tasks (this year's, and the next year's made of this year's problems), votes.

Pure. Needs the whole series (a consequence may need two years running; the next year's rectification file
tracks this year's problems), so it runs once after every assessment is scored (:func:`attach_year`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from generator.engine.consequences import ConsequenceOutcome, apply_consequences
from generator.engine.exact import ZERO
from generator.engine.models import GradeKey, Rubric
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.engine.quick import quick
from generator.engine.results import PenaltyRecord
from generator.engine.scoring import score_assessment
from generator.engine.wording import rule_words
from generator.engine.yearrecords import Letter, Objection, RectificationItem, Tally, YearRecords


@quick
@dataclass(frozen=True, slots=True)
class ItemChange:
    """What an adjustment after review changed on one indicator of one unit."""

    objection: Objection
    title: str
    lost_before: Decimal | None
    lost_after: Decimal | None
    score_before: Decimal | None
    score_after: Decimal | None


@quick
@dataclass(frozen=True, slots=True)
class TotalChange:
    total_before: Decimal
    total_after: Decimal
    rank_before: int | None
    rank_after: int | None
    label_before: str
    label_after: str


@quick
@dataclass(frozen=True, slots=True)
class NextTask:
    """A problem this assessment found: a task for the next year, tracked in that year's file once it exists."""

    unit: str
    item: str
    title: str
    lost: Decimal
    problem: str
    tracked: RectificationItem | None = None


@quick
@dataclass(frozen=True, slots=True)
class UnitYear:
    consequences: tuple[ConsequenceOutcome, ...] = ()
    letters: tuple[Letter, ...] = ()
    objections: tuple[Objection, ...] = ()
    changes: tuple[ItemChange, ...] = ()
    total_change: TotalChange | None = None
    #: This year's rectification tasks (problems of earlier years), and those deducted at year end.
    tasks: tuple[RectificationItem, ...] = ()
    deducted: tuple[RectificationItem, ...] = ()
    next_tasks: tuple[NextTask, ...] = ()
    uncounted_penalties: tuple[PenaltyRecord, ...] = ()
    tallies: tuple[Tally, ...] = ()


EMPTY = UnitYear()


@dataclass(frozen=True)
class YearOutcome:
    records: YearRecords
    units: Mapping[str, UnitYear] = field(default_factory=dict)
    #: The scores before the objections were reviewed (None when nothing was adjusted).
    original: AssessmentOutcome | None = None
    #: The next assessment of the series, whose rectification file tracks this year's problems.
    next_id: str | None = None
    next_year: int | None = None

    def of(self, uid: str) -> UnitYear:
        return self.units.get(uid, EMPTY)


def _index(nodes: Sequence[NodeOutcome]) -> dict[str, NodeOutcome]:
    out: dict[str, NodeOutcome] = {}
    stack = list(nodes)
    while stack:
        n = stack.pop()
        out.setdefault(n.id, n)
        stack.extend(n.children)
    return out


def _changes(objections: Sequence[Objection], before: UnitOutcome | None, after: UnitOutcome) -> tuple[ItemChange, ...]:
    old = _index(before.score.categories) if before is not None else {}
    new = _index(after.score.categories)
    out = []
    for o in objections:
        if o.outcome != "adjusted":
            continue
        b, a = old.get(o.item), new.get(o.item)
        title = (a or b).node.title if (a or b) is not None else o.item  # type: ignore[union-attr]
        out.append(
            ItemChange(
                o,
                title,
                b.lost if b else None,
                a.lost if a else None,
                b.score if b else None,
                a.score if a else None,
            )
        )
    return tuple(out)


def _total_change(before: UnitOutcome | None, after: UnitOutcome) -> TotalChange | None:
    if before is None or not after.score.assessed:
        return None
    return TotalChange(
        before.score.total,
        after.score.total,
        before.standing.rank,
        after.standing.rank,
        before.standing.label,
        after.standing.label,
    )


class LostMemo:
    """What :func:`lost_nodes` found over many units of one assessment. Units of a type share the outcome of
    every subtree they have no data in (:class:`generator.engine.scoring.Scorer`), so most subtrees are seen
    again and again: their findings are kept by the identity of the node outcome (the outcomes must outlive
    the memo: :func:`attach_year` holds them while it runs), and each problem's words are kept once."""

    LIMIT = 50_000

    def __init__(self) -> None:
        self.subtrees: dict[int, tuple[tuple[NodeOutcome, str], ...]] = {}
        self.texts: dict[str, str] = {}

    def trim(self) -> None:
        """The units' own subtrees pile up; the shared ones are soon found again."""
        if len(self.subtrees) > self.LIMIT or len(self.texts) > self.LIMIT:
            self.subtrees.clear()
            self.texts.clear()


def lost_nodes(u: UnitOutcome, memo: LostMemo | None = None) -> list[tuple[NodeOutcome, str]]:
    """Every indicator with rules on which ``u`` lost points, and the problem in words (reasons, else how)."""
    out: list[tuple[NodeOutcome, str]] = []
    if memo is None:
        memo = LostMemo()
    memo.trim()
    _lost_in(u.score.categories, out, memo)
    return out


def _lost_in(nodes: Sequence[NodeOutcome], out: list[tuple[NodeOutcome, str]], memo: LostMemo) -> None:
    """:func:`lost_nodes` of ``nodes`` and their subtrees, in rubric order. Only nodes whose rules were
    applied can have lost to a rule (most nodes of a unit have none)."""
    for n in nodes:
        if n.rules and n.applicable:
            lost = ZERO
            for r in n.rules:
                lost += r.lost
            if lost > 0:
                reasons = [x for r in n.rules if r.lost for x in r.reasons]
                reasons = reasons or [rule_words(r.why) for r in n.rules if r.lost]
                text = "；".join(reasons)
                text = text if text.startswith(n.node.title) else f"{n.node.title}：{text}"
                out.append((n, memo.texts.setdefault(text, text)))
        if n.children:
            known = memo.subtrees.get(id(n))
            if known is None:
                below: list[tuple[NodeOutcome, str]] = []
                _lost_in(n.children, below, memo)
                known = memo.subtrees[id(n)] = tuple(below)
            out.extend(known)


@dataclass(frozen=True)
class _ByUnit:
    """An assessment's year records by unit, made once (a unit page must not scan them all)."""

    letters: Mapping[str, tuple[Letter, ...]]
    objections: Mapping[str, tuple[Objection, ...]]
    tasks: Mapping[str, tuple[RectificationItem, ...]]
    tallies: Mapping[str, tuple[Tally, ...]]

    @classmethod
    def of(cls, records: YearRecords) -> _ByUnit:
        def group(items: Sequence[Letter | Objection | RectificationItem | Tally]) -> dict[str, tuple[Any, ...]]:
            out: dict[str, list[object]] = {}
            for x in items:
                out.setdefault(x.unit, []).append(x)
            return {k: tuple(v) for k, v in out.items()}

        return cls(
            group(records.letters), group(records.objections), group(records.rectification), group(records.tallies)
        )


def unit_year(
    u: UnitOutcome,
    records: YearRecords,
    mine: _ByUnit,
    consequences: tuple[ConsequenceOutcome, ...],
    original: UnitOutcome | None,
    tracked: Mapping[tuple[str, str], RectificationItem],
    memo: LostMemo | None = None,
) -> UnitYear:
    uid = u.unit.id
    objections = mine.objections.get(uid, ())
    adjusted = any(o.outcome == "adjusted" for o in objections)
    next_tasks = tuple(
        NextTask(uid, n.id, n.node.title, n.lost, problem, tracked.get((uid, n.id)))
        for n, problem in (lost_nodes(u, memo) if u.score.assessed else ())
    )
    return UnitYear(
        consequences=consequences,
        letters=mine.letters.get(uid, ()),
        objections=objections,
        changes=_changes(objections, original, u) if adjusted else (),
        total_change=_total_change(original, u) if adjusted else None,
        tasks=mine.tasks.get(uid, ()),
        deducted=records.deducted.get(uid, ()),
        next_tasks=next_tasks,
        uncounted_penalties=records.uncounted_penalties.get(uid, ()),
        tallies=mine.tallies.get(uid, ()),
    )


def attach_year(
    outcomes: Mapping[str, AssessmentOutcome], records: Mapping[str, YearRecords], rubrics: Mapping[str, Rubric]
) -> dict[str, AssessmentOutcome]:
    """Every outcome with its year (``outcome.year``); ``records`` and ``rubrics`` cover every assessment read."""
    series: dict[str, list[Rubric]] = {}
    for r in rubrics.values():
        series.setdefault(r.series_id, []).append(r)
    for members in series.values():
        members.sort(key=lambda r: (r.year, r.id))
    grades: dict[tuple[str, str], list[tuple[int, GradeKey | None]]] = {}
    for o in sorted(outcomes.values(), key=lambda o: -o.rubric.year):
        for u in o.units:
            grades.setdefault((o.rubric.series_id, u.unit.id), []).append((o.rubric.year, u.standing.grade))
    out = {}
    for aid, outcome in outcomes.items():
        r = outcome.rubric
        own = records.get(aid, YearRecords())
        later = [x for x in series.get(r.series_id, []) if x.year > r.year]
        nxt = later[0] if later else None
        tracked = {
            (i.unit, i.item): i
            for i in (records[nxt.id].rectification if nxt and nxt.id in records else ())
            if i.year == r.year
        }

        def earlier(uid: str, series_id: str = r.series_id, year: int = r.year) -> list[tuple[int, GradeKey | None]]:
            return [(y, g) for y, g in grades.get((series_id, uid), []) if y < year]

        consequences = apply_consequences(outcome, earlier)
        original = score_assessment(own.original) if own.original is not None else None
        before = original.by_unit() if original is not None else {}
        mine = _ByUnit.of(own)
        memo = LostMemo()
        units = {
            u.unit.id: unit_year(u, own, mine, consequences.get(u.unit.id, ()), before.get(u.unit.id), tracked, memo)
            for u in outcome.units
        }
        year = YearOutcome(
            own, units, original, nxt.id if nxt and nxt.id in records else None, nxt.year if nxt else None
        )
        out[aid] = replace(outcome, year=year)
    return out
