"""The year around the scores as the unit page shows it: consequences, claims, letters, objections, tasks.

Pure. Everything is worded here (dates as 2021年1月30日, points as 1.5); templates only lay it out. The
office's own page and the letters are in :mod:`generator.site.views.office`; the results page's votes and the
notice's annex in :mod:`generator.site.views.yearnotice`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.data.cells import date_text
from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.results import BonusClaim, PenaltyRecord
from generator.engine.stages import CLAIM_STAGE_NAMES, PENALTY_STAGE_NAMES, Process
from generator.engine.wording import words
from generator.engine.yearoutcome import EMPTY, NextTask, UnitYear
from generator.engine.yearrecords import (
    LETTER_STATUS_NAMES,
    OBJECTION_OUTCOME_NAMES,
    RECTIFICATION_STATUS_NAMES,
    Letter,
    Objection,
    RectificationItem,
)
from generator.site import paths, yearpaths

# --------------------------------------------------------------------------------------------
# Lines shared by the unit page and the office's page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsequenceLine:
    #: What applies, in short (绩效考核等次不得确定为先进单位).
    effect: str
    #: What triggered it (市直单位倒数第 2 名（后 3 名）).
    why: str
    #: The rubric's passage.
    text: str


@dataclass(frozen=True)
class ClaimLine:
    """A bonus claim or a special deduction, with its stages."""

    item: str
    subject: str
    ground: str
    #: 2020年12月16日申报 2 分 / 市委宣传部提出.
    declared: str
    #: 初审单位：初审意见.
    review: str
    stage: str
    #: confirmed / refused / declared / reviewed: for the tag's colour.
    stage_key: str
    decision_note: str
    #: The points that count ('' when it does not count).
    counted: str


@dataclass(frozen=True)
class LetterLine:
    id: str
    kind: str
    number: str
    issuer: str
    date: str
    item: str
    finding: str
    requirement: str
    due: str
    answer_date: str
    answer: str
    status: str
    status_key: str
    #: Answered after its due date.
    late: bool
    #: The letter's printable page and its .docx (office only; '' on pages that do not link them).
    url: str = ""
    docx_url: str = ""


@dataclass(frozen=True)
class ObjectionLine:
    received: str
    item: str
    text: str
    review: str
    outcome: str
    outcome_key: str
    reason: str
    decided: str
    decided_by: str
    late_reason: str


@dataclass(frozen=True)
class ChangeLine:
    item: str
    title: str
    lost_before: str
    lost_after: str
    score_before: str
    score_after: str
    decided: str


@dataclass(frozen=True)
class TotalChangeLine:
    total_before: str
    total_after: str
    rank_before: str
    rank_after: str
    label_before: str
    label_after: str


@dataclass(frozen=True)
class TaskLine:
    """A rectification task (整改任务) with its progress."""

    unit: str
    unit_name: str
    unit_url: str
    year: int
    item: str
    problem: str
    lost: str
    target: str
    measures: str
    progress: str
    person: str
    due: str
    #: ISO date for the page's overdue filter ('' when none: the year's end then applies).
    due_iso: str
    status: str
    status_key: str
    done: str
    #: Not put right in time, judged at the year's end (None while the year is not over) …
    late: bool | None
    #: … in words: 逾期完成 (done after its due date) or 年底仍未完成.
    late_words: str
    #: Points were deducted for it (the rubric's ``rectification``).
    deducted: bool


@dataclass(frozen=True)
class NextTaskLine:
    """A problem this assessment found, and how the next year's rectification of it stands."""

    item: str
    title: str
    lost: str
    problem: str
    status: str
    status_key: str
    due: str
    due_iso: str


@dataclass(frozen=True)
class UnitYearView:
    """The unit page's sections about the year (each shown only when it has lines)."""

    consequences: tuple[ConsequenceLine, ...] = ()
    claims: tuple[ClaimLine, ...] = ()
    uncounted_penalties: tuple[ClaimLine, ...] = ()
    letters: tuple[LetterLine, ...] = ()
    objections: tuple[ObjectionLine, ...] = ()
    changes: tuple[ChangeLine, ...] = ()
    total_change: TotalChangeLine | None = None
    tasks: tuple[TaskLine, ...] = ()
    #: How the rubric deducts for tasks not put right in time ('' when it does not).
    task_rule: str = ""
    next_tasks: tuple[NextTaskLine, ...] = ()
    next_year: int | None = None
    #: The unit's workbook (its items, deductions, reasons, claims, rectification).
    workbook_url: str = ""
    year: int = 0
    stage_legend: Mapping[str, str] = field(default_factory=dict)


def _date(d: datetime.date | None) -> str:
    return date_text(d)


def consequence_lines(year: UnitYear) -> tuple[ConsequenceLine, ...]:
    return tuple(ConsequenceLine(c.effect, words(c.why), c.consequence.text) for c in year.consequences)


def _declared(p: Process, *, bonus: bool) -> str:
    if not bonus:
        return f"{p.reviewer}提出" if p.reviewer else ""
    day = date_text(datetime.date.fromisoformat(p.declared)) if p.declared else ""
    claimed = f"申报 {fmt(p.claimed)} 分" if p.claimed is not None else ""
    return "".join(x for x in (day + ("申报" if day and not claimed else ""), claimed) if x)


def _review(p: Process, *, bonus: bool) -> str:
    who = p.reviewer if bonus else ""
    return f"{who}：{p.review}" if who and p.review else p.review


def claim_line(item: str, subject: str, p: Process | None, counted: str, *, bonus: bool) -> ClaimLine:
    names = CLAIM_STAGE_NAMES if bonus else PENALTY_STAGE_NAMES
    if p is None:
        return ClaimLine(item, subject, "", "", "", names["confirmed"], "confirmed", "", counted)
    return ClaimLine(
        item,
        subject,
        p.ground,
        _declared(p, bonus=bonus),
        _review(p, bonus=bonus),
        names[p.stage],
        p.stage,
        p.decision_note,
        counted if p.counts else "",
    )


def claim_lines(u: UnitOutcome) -> tuple[ClaimLine, ...]:
    """The unit's bonus claims where the table records their stages (a table without them says nothing new)."""
    out = []
    for i in u.score.bonus.items:
        for c in i.claims:
            p = c.claim.process
            if p is not None and not p.legacy:
                out.append(claim_line(i.item.title, _claim_subject(c.claim), p, fmt(c.counted), bonus=True))
    for pen in u.score.penalties:
        p = pen.record.process
        if p is not None and not p.legacy:
            out.append(claim_line(pen.penalty.name, pen.record.reason, p, f"−{fmt(pen.record.amount)}", bonus=False))
    return tuple(out)


def _claim_subject(claim: BonusClaim) -> str:
    return claim.subject + (f"（{claim.evidence}）" if claim.evidence else "")


def uncounted_lines(records: Sequence[PenaltyRecord], names: Mapping[str, str]) -> tuple[ClaimLine, ...]:
    return tuple(
        claim_line(names.get(r.penalty, r.penalty), f"{r.reason}（{fmt(r.amount)} 分）", r.process, "", bonus=False)
        for r in records
    )


def letter_line(x: Letter, aid: str = "", from_page: str = "") -> LetterLine:
    url = paths.link(from_page, yearpaths.letter_page(aid, x.id)) if from_page else ""
    docx = paths.link(from_page, yearpaths.letter_docx(aid, x.id)) if from_page else ""
    return LetterLine(
        x.id,
        x.kind,
        x.number,
        x.issuer,
        _date(x.date),
        x.item,
        x.finding,
        x.requirement,
        _date(x.due),
        _date(x.answer_date),
        x.answer,
        LETTER_STATUS_NAMES[x.status],
        x.status,
        x.answered_late,
        url,
        docx,
    )


def objection_line(o: Objection) -> ObjectionLine:
    return ObjectionLine(
        _date(o.received),
        o.item,
        o.text,
        o.review,
        OBJECTION_OUTCOME_NAMES[o.outcome],
        o.outcome,
        o.reason,
        _date(o.decided),
        o.decided_by,
        o.late_reason,
    )


def task_line(
    i: RectificationItem, year_end: datetime.date | None, deducted: bool, unit_name: str = "", unit_url: str = ""
) -> TaskLine:
    late = i.late_at(year_end) if year_end else None
    return TaskLine(
        unit=i.unit,
        unit_name=unit_name,
        unit_url=unit_url,
        year=i.year,
        item=i.item,
        problem=i.problem,
        lost=fmt(i.lost),
        target=i.target,
        measures=i.measures,
        progress=i.progress,
        person=i.person,
        due=_date(i.due),
        due_iso=i.due.isoformat() if i.due else "",
        status=RECTIFICATION_STATUS_NAMES[i.status],
        status_key=i.status,
        done=_date(i.done),
        late=late,
        late_words=("逾期完成" if i.done else "年底仍未完成") if late else "",
        deducted=deducted,
    )


def next_task_line(t: NextTask) -> NextTaskLine:
    tracked = t.tracked
    if tracked is None:
        return NextTaskLine(t.item, t.title, fmt(t.lost), t.problem, "尚未列入整改任务", "untracked", "", "")
    return NextTaskLine(
        t.item,
        t.title,
        fmt(t.lost),
        t.problem,
        RECTIFICATION_STATUS_NAMES[tracked.status],
        tracked.status,
        _date(tracked.due),
        tracked.due.isoformat() if tracked.due else "",
    )


def task_rule_words(outcome: AssessmentOutcome) -> str:
    link = outcome.rubric.rectification
    if link is None:
        return ""
    return (
        f"按细则，上一年度的整改任务到完成时限（没有时限的到年底）仍未完成的，在指标 {link.item} 扣分：{link.standard}"
    )


# --------------------------------------------------------------------------------------------
# The unit page
# --------------------------------------------------------------------------------------------


def unit_year_view(outcome: AssessmentOutcome, u: UnitOutcome, from_page: str) -> UnitYearView:
    year = outcome.year.of(u.unit.id) if outcome.year is not None else EMPTY
    r = outcome.rubric
    end = datetime.date(r.year, 12, 31)
    deducted = {id(i) for i in year.deducted}
    changes = tuple(
        ChangeLine(
            c.objection.item,
            c.title,
            fmt(c.lost_before),
            fmt(c.lost_after),
            fmt(c.score_before),
            fmt(c.score_after),
            _date(c.objection.decided),
        )
        for c in year.changes
    )
    t = year.total_change
    total = (
        TotalChangeLine(
            fmt(t.total_before),
            fmt(t.total_after),
            str(t.rank_before or ""),
            str(t.rank_after or ""),
            t.label_before,
            t.label_after,
        )
        if t is not None
        else None
    )
    names = {p.id: p.name for p in r.penalties}
    return UnitYearView(
        consequences=consequence_lines(year),
        claims=claim_lines(u),
        uncounted_penalties=uncounted_lines(year.uncounted_penalties, names),
        letters=tuple(letter_line(x) for x in year.letters),
        objections=tuple(objection_line(o) for o in year.objections),
        changes=changes,
        total_change=total,
        tasks=tuple(task_line(i, end, id(i) in deducted) for i in year.tasks),
        task_rule=task_rule_words(outcome) if year.tasks else "",
        next_tasks=tuple(next_task_line(x) for x in year.next_tasks),
        next_year=outcome.year.next_year if outcome.year is not None else None,
        workbook_url=paths.link(from_page, yearpaths.unit_workbook(r.id, u.unit.id)),
        year=r.year,
    )


# --------------------------------------------------------------------------------------------
