"""The office's page for the year (全年工作) and each letter's printable page (意见书、督办单).

The year's page lists, across units: the consequences that apply (结果运用), the rectification tasks with
their progress (filterable by status and overdue in the browser), the letters and their answers, the
objections and their review, the claims and deductions not counted, and the groups' votes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Generic, TypeVar

from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.tree import node_index
from generator.engine.wording import words
from generator.engine.yearoutcome import NextTask
from generator.engine.yearrecords import Letter
from generator.site import paths, yearpaths
from generator.site.views.common import by_pool, points_lost
from generator.site.views.year import (
    ClaimLine,
    LetterLine,
    ObjectionLine,
    TaskLine,
    claim_lines,
    letter_line,
    next_task_line,
    objection_line,
    task_line,
    task_rule_words,
    uncounted_lines,
)


@dataclass(frozen=True)
class ConsequenceRow:
    unit: str
    url: str
    pool: str
    rank: str
    grade: str
    effect: str
    why: str


T = TypeVar("T")


@dataclass(frozen=True)
class NextTaskSummary:
    """One unit's problems found this year, in one row of the office's page; the problems themselves are on
    the unit's page (``url`` leads to them), and ``kaoping new`` makes them the rows of next year's tasks."""

    name: str
    url: str
    count: int
    lost: str
    #: How their rectification stands, e.g. "整改中 2，已完成 5".
    statuses: str


@dataclass(frozen=True)
class UnitLines(Generic[T]):
    """Lines of one unit, for lists grouped by unit."""

    name: str
    url: str
    lines: tuple[T, ...]


@dataclass(frozen=True)
class OfficeYearContext:
    path: str
    title: str
    year: int
    sample: bool
    consequences: tuple[ConsequenceRow, ...]
    #: This year's rectification tasks (problems of earlier years), across units.
    tasks: tuple[TaskLine, ...]
    task_rule: str
    #: The problems this year found, one row per unit, and how the next year's rectification of them stands.
    next_tasks: tuple[NextTaskSummary, ...]
    next_year: int | None
    letters: tuple[tuple[str, str, LetterLine], ...]
    objections: tuple[tuple[str, str, ObjectionLine], ...]
    claims: tuple[UnitLines[ClaimLine], ...]
    uncounted: tuple[UnitLines[ClaimLine], ...]
    downloads: tuple[tuple[str, str], ...]
    results_url: str


def _by_rank(u: UnitOutcome) -> tuple[bool, int, str]:
    return (u.standing.rank is None, u.standing.rank or 0, u.unit.id)


def next_task_summary(u: UnitOutcome, url: str, tasks: tuple[NextTask, ...]) -> NextTaskSummary:
    """``tasks``: the unit's problems, one per item it lost points on; what they cost it together is
    :func:`points_lost` (the problems' own amounts can add up to more)."""
    counts: dict[str, int] = {}
    for line in map(next_task_line, tasks):
        counts[line.status] = counts.get(line.status, 0) + 1
    lost = points_lost(u)
    statuses = "，".join(f"{status} {n}" for status, n in counts.items())
    return NextTaskSummary(u.unit.name, f"{url}#next-tasks", len(tasks), fmt(lost), statuses)


def office_context(outcome: AssessmentOutcome) -> OfficeYearContext:
    r = outcome.rubric
    path = yearpaths.office_page(r.id)
    year = outcome.year
    assert year is not None
    end = datetime.date(r.year, 12, 31)
    names = {p.id: p.name for p in r.penalties}
    consequences, tasks, nexts, claims, uncounted = [], [], [], [], []
    ranked = [u for _pid, _name, members in by_pool(outcome) for u in sorted(members, key=_by_rank)]
    for u in ranked:
        url = paths.link(path, paths.unit_page(r.id, u.unit.id))
        mine = year.of(u.unit.id)
        consequences += [
            ConsequenceRow(
                u.unit.name,
                url,
                u.standing.pool_name,
                str(u.standing.rank or ""),
                u.standing.label,
                c.effect,
                words(c.why),
            )
            for c in mine.consequences
        ]
        late = {id(i) for i in mine.deducted}
        tasks += [task_line(i, end, id(i) in late, u.unit.name, url) for i in mine.tasks]
        if mine.next_tasks:
            nexts.append(next_task_summary(u, url, mine.next_tasks))
        if lines := claim_lines(u):
            claims.append(UnitLines(u.unit.name, url, lines))
        if mine.uncounted_penalties:
            uncounted.append(UnitLines(u.unit.name, url, uncounted_lines(mine.uncounted_penalties, names)))
    units = {u.unit.id: (u.unit.name, paths.link(path, paths.unit_page(r.id, u.unit.id))) for u in outcome.units}
    xlsx, csv_file = yearpaths.year_downloads(r.id)
    return OfficeYearContext(
        path=path,
        title=f"{r.year}年度考核工作",
        year=r.year,
        sample=outcome.sample is not None,
        consequences=tuple(consequences),
        tasks=tuple(tasks),
        task_rule=task_rule_words(outcome),
        next_tasks=tuple(nexts),
        next_year=year.next_year,
        letters=tuple((*units[x.unit], letter_line(x, r.id, path)) for x in year.records.letters),
        objections=tuple((*units[o.unit], objection_line(o)) for o in year.records.objections),
        claims=tuple(claims),
        uncounted=tuple(uncounted),
        downloads=(
            ("全年工作清单（Excel：结果运用、整改任务、意见书和督办单、异议和复核）", paths.link(path, xlsx)),
            ("结果运用清单（CSV）", paths.link(path, csv_file)),
        ),
        results_url=paths.link(path, paths.page(r.id, "results")),
    )


@dataclass(frozen=True)
class LetterContext:
    """One 意见书 or 督办单 as an official document (GB/T 9704 layout), with the unit's answer."""

    path: str
    letter: LetterLine
    title: str
    masthead: str
    #: Font size of the masthead in em, so that the organ's name fits one line.
    masthead_size: str
    recipient: str
    #: The paragraphs of the body.
    body: tuple[str, ...]
    issuer: str
    date: str
    sample: bool
    docx_url: str
    office_url: str


def letter_title(x: Letter, unit_name: str) -> str:
    return f"关于{unit_name}党建工作有关问题的{x.kind}"


def letter_body(x: Letter, item_title: str) -> tuple[str, ...]:
    """The letter's paragraphs: what was found, what is required, by when to answer."""
    about = f"（考核指标 {x.item}「{item_title}」）" if x.item else ""
    lines = [f"在党建工作日常考核和督查中发现，你单位{about}存在以下问题：{x.finding}"]
    if x.requirement:
        lines.append(x.requirement)
    if x.due is not None:
        lines.append(f"请于{x.due.year}年{x.due.month}月{x.due.day}日前作出书面答复或说明，并明确整改落实举措。")
    else:
        lines.append("请按要求作出书面答复或说明，并明确整改落实举措。")
    return tuple(lines)


def letter_context(outcome: AssessmentOutcome, x: Letter) -> LetterContext:
    r = outcome.rubric
    path = yearpaths.letter_page(r.id, x.id)
    unit = outcome.by_unit()[x.unit].unit
    node = node_index(r).get(x.item)
    issuer = x.issuer or r.issuer
    return LetterContext(
        path=path,
        letter=letter_line(x, r.id, path),
        title=letter_title(x, unit.name),
        masthead=f"{issuer}{x.kind}",
        masthead_size=f"{min(2.4, 19.5 / max(1, len(issuer + x.kind))):.2f}",
        recipient=f"{unit.name}：",
        body=letter_body(x, node.title if node is not None else ""),
        issuer=issuer,
        date=f"{x.date.year}年{x.date.month}月{x.date.day}日",
        sample=outcome.sample is not None,
        docx_url=paths.link(path, yearpaths.letter_docx(r.id, x.id)),
        office_url=paths.link(path, yearpaths.office_page(r.id)),
    )
