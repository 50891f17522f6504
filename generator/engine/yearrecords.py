"""The office's year around the scores, as checked records: letters, objections, rectification, votes.

Plain immutable data made by :mod:`generator.data.year` from the results tables (letters.csv,
objections.csv, rectification.csv, recommendations.csv) and carried by :class:`~generator.engine.models.Assessment`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from generator.engine.problems import Loc
from generator.engine.quick import quick

if TYPE_CHECKING:
    from generator.engine.results import Assessment, PenaltyRecord

NOWHERE = Loc("")

LetterStatus = Literal["waiting", "answered", "closed"]
LETTER_STATUS_NAMES: Mapping[str, str] = {"waiting": "待答复", "answered": "已答复", "closed": "已办结"}
LETTER_KINDS = ("意见书", "督办单")


@quick
@dataclass(frozen=True, slots=True)
class Letter:
    """An 意见书 or 督办单 the office (or an assessing department) issued to a unit, and the unit's answer."""

    id: str
    kind: str
    unit: str
    date: datetime.date
    finding: str
    number: str = ""
    issuer: str = ""
    item: str = ""
    requirement: str = ""
    due: datetime.date | None = None
    answer_date: datetime.date | None = None
    answer: str = ""
    status: LetterStatus = "waiting"
    loc: Loc = field(default=NOWHERE, compare=False)

    @property
    def answered(self) -> bool:
        return self.status != "waiting"

    @property
    def answered_late(self) -> bool:
        return self.due is not None and self.answer_date is not None and self.answer_date > self.due


ObjectionOutcome = Literal["pending", "upheld", "adjusted"]
OBJECTION_OUTCOME_NAMES: Mapping[str, str] = {"pending": "待复核", "upheld": "维持", "adjusted": "调整"}


@quick
@dataclass(frozen=True, slots=True)
class Objection:
    """An objection a unit raised during the publicity period (公示), and its review (复核)."""

    unit: str
    text: str
    received: datetime.date
    item: str = ""
    rule: str = ""
    review: str = ""
    outcome: ObjectionOutcome = "pending"
    #: The adjusted facts as written (情况, 扣分): they replace the rule's entries.
    value: str = ""
    amount: str = ""
    reason: str = ""
    decided: datetime.date | None = None
    decided_by: str = ""
    #: Why an objection received after the period was accepted ('' when it came in time).
    late_reason: str = ""
    loc: Loc = field(default=NOWHERE, compare=False)


RectificationStatus = Literal["not_started", "in_progress", "done"]
RECTIFICATION_STATUS_NAMES: Mapping[str, str] = {"not_started": "未启动", "in_progress": "整改中", "done": "已完成"}


@quick
@dataclass(frozen=True, slots=True)
class RectificationItem:
    """A rectification task (整改任务): a problem found in an assessment, put right the year after."""

    unit: str
    #: The year of the assessment that found the problem.
    year: int
    problem: str
    item: str = ""
    lost: Decimal | None = None
    target: str = ""
    measures: str = ""
    progress: str = ""
    person: str = ""
    due: datetime.date | None = None
    status: RectificationStatus = "not_started"
    done: datetime.date | None = None
    loc: Loc = field(default=NOWHERE, compare=False)

    @property
    def open(self) -> bool:
        return self.status != "done"

    def late_at(self, year_end: datetime.date) -> bool:
        """Not put right in time (未及时整改): still open at ``year_end``, or done after its due date."""
        if self.status != "done" or self.done is None:
            return True
        return self.done > (self.due or year_end)


@quick
@dataclass(frozen=True, slots=True)
class Tally:
    """One line of a group's vote (民主推荐): a unit or a person of it, the votes, and the result."""

    unit: str
    category: str
    votes: int
    voters: int
    person: str = ""
    #: 是 / 否 as recorded; None when the group's result is not written.
    recommended: bool | None = None
    loc: Loc = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class YearRecords:
    """Everything around one assessment's scores, checked."""

    letters: tuple[Letter, ...] = ()
    objections: tuple[Objection, ...] = ()
    rectification: tuple[RectificationItem, ...] = ()
    tallies: tuple[Tally, ...] = ()
    #: Special deductions reported but not (yet) 认定, by unit: shown, never counted.
    uncounted_penalties: Mapping[str, tuple[PenaltyRecord, ...]] = field(default_factory=dict)
    #: Rectification items deducted at year end, by unit (the rubric's ``rectification`` rule).
    deducted: Mapping[str, tuple[RectificationItem, ...]] = field(default_factory=dict)
    #: The assessment as it stood before the objections were reviewed; None when nothing was adjusted.
    original: Assessment | None = None
    #: The publicity period (公示) from notice.yml, when there is one.
    publicity: tuple[datetime.date, datetime.date] | None = None

    def of_unit(self, uid: str) -> tuple[tuple[Letter, ...], tuple[Objection, ...], tuple[RectificationItem, ...]]:
        return (
            tuple(x for x in self.letters if x.unit == uid),
            tuple(x for x in self.objections if x.unit == uid),
            tuple(x for x in self.rectification if x.unit == uid),
        )
