"""What sits under ``results/<assessment>/``, as typed, immutable models: the notice's particulars
(``notice.yml``), the tables as read (raw text, located) and, once checked, what the engine takes.

The notice is read from YAML like the rubric (its keys declared with :func:`generator.engine.fields.doc`);
the tables are read by :mod:`generator.data.tables` and checked by :mod:`generator.data.check_results`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from generator.engine.fields import NOWHERE, doc, internal, key_locations
from generator.engine.problems import Loc
from generator.engine.quick import quick
from generator.engine.stages import Process

if TYPE_CHECKING:
    from generator.engine.models import GradeKey, Rubric
    from generator.engine.yearrecords import YearRecords


# --------------------------------------------------------------------------------------------
# The notice (通报): a small metadata file beside the results, results/<id>/notice.yml
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Publicity:
    """公示: the period in which units may object, and whom to contact."""

    start: datetime.date = doc("公示开始日期，例如 `2014-01-10`。")
    end: datetime.date = doc("公示结束日期。")
    contact: str = doc("受理异议的部门，例如 `市直工委组织部`。")
    phone: str = doc("受理异议的电话（公开发布）。", "")
    address: str = doc("受理异议的地址或邮箱（公开发布）。", "")
    loc: Loc = internal()
    at: Mapping[str, Loc] = key_locations()


@dataclass(frozen=True, kw_only=True)
class Notice:
    """考核结果通报 laid out after GB/T 9704-2012."""

    issuer: str = doc("发文机关署名，例如 `中共洛阳市委市直工委`。")
    masthead: str = doc("发文机关标志（红头），不写则为署名加“文件”。", "")
    number: str = doc("发文字号，例如 `洛市直发〔2014〕3号`。", "")
    title: str = doc("通报标题，例如 `关于2013年度市直机关党建目标绩效考核结果的通报`。")
    recipients: str = doc("主送机关，例如 `市直机关各党委、总支、支部：`。")
    date: datetime.date = doc("成文日期。")
    opening: tuple[str, ...] = doc("正文开头的段落（名单之前）；不写则按考核情况自动生成一段。", ())
    closing: tuple[str, ...] = doc("正文结尾的段落（名单之后）。", ())
    publicity: Publicity | None = doc("公示期和受理异议的联系方式。", None)
    copy_to: tuple[str, ...] = doc("抄送机关。", ())
    printed_by: str = doc("印发机关，例如 `中共洛阳市委市直工委办公室`。", "")
    printed_date: datetime.date | None = doc("印发日期。", None)
    show_scores: bool = doc("名单中是否列出得分。", False)
    illustrative: bool = doc("为 true 表示这是示例通报（不是真实发文）：页面和打印件上都标明“示例”。", False)
    loc: Loc = internal()


# --------------------------------------------------------------------------------------------
# Results as loaded from CSV (raw text, located); :mod:`generator.data.check` turns them into inputs
# --------------------------------------------------------------------------------------------

UnitStatus = Literal["assessed", "not_assessed", "unknown"]


@quick
@dataclass(frozen=True, slots=True)
class Unit:
    id: str
    name: str
    type: str
    group: str = ""
    parent: str = ""
    status: UnitStatus = "unknown"
    status_note: str = ""
    loc: Loc = field(default=NOWHERE, compare=False)
    #: The short name the office uses (简称), e.g. 住建局; searchable and shown on the unit's page.
    abbr: str = ""
    #: 成员人数, for targets set per member (a rule that needs_members); None when the registry gives none.
    members: Decimal | None = None


@quick
@dataclass(frozen=True, slots=True)
class Row:
    """One CSV data row: cells by canonical column name, and where it stands (its file and line).

    ``columns`` (column name → column number) is the file's, shared by all its rows: a cell's location
    is made only when a message needs it.
    """

    cells: Mapping[str, str]
    columns: Mapping[str, int]
    loc: Loc

    def get(self, name: str) -> str:
        return self.cells.get(name, "")

    def at(self, name: str) -> Loc:
        column = self.columns.get(name)
        return Loc(self.loc.file, self.loc.line, column) if column else self.loc


@dataclass(frozen=True)
class RawResults:
    """Everything under ``results/<assessment>/`` as read, before checking."""

    assessment: str
    folder: str
    units: tuple[Row, ...] = ()
    entries: tuple[Row, ...] = ()
    bonus: tuple[Row, ...] = ()
    penalties: tuple[Row, ...] = ()
    vetoes: tuple[Row, ...] = ()
    parts: tuple[Row, ...] = ()
    self_scores: tuple[Row, ...] = ()
    awards: tuple[Row, ...] = ()
    # The year around the scores (generator.data.year): letters, objections, rectification, recommendations.
    letters: tuple[Row, ...] = ()
    objections: tuple[Row, ...] = ()
    rectification: tuple[Row, ...] = ()
    recommendations: tuple[Row, ...] = ()
    files: tuple[str, ...] = ()
    #: Where the results say they are sample data (a 示例数据 line in README.md), or None.
    sample: Loc | None = None


# --------------------------------------------------------------------------------------------
# Checked results: what the engine takes (typed, resolved, every reference valid)
# --------------------------------------------------------------------------------------------


@quick
@dataclass(frozen=True, slots=True)
class Finding:
    """One checked row of ``entries``: what the assessors found on one rule of one indicator."""

    node: str
    rule: str
    #: What the rule counts: occurrences, periods overdue, the count achieved, missing elements.
    count: Decimal | None = None
    #: Names of missing elements.
    elements: tuple[str, ...] = ()
    #: A rate as a fraction (0.75 for 75%).
    rate: Decimal | None = None
    #: A discretionary deduction (range, rate with min/max) or points earned (partial earned).
    amount: Decimal | None = None
    #: Whether the fact holds (问题存在 / 已做到), for rules that ask.
    yes: bool = True
    reason: str = ""
    loc: Loc = field(default=NOWHERE, compare=False)


@quick
@dataclass(frozen=True, slots=True)
class BonusClaim:
    bonus: str
    subject: str
    level: str = ""
    count: Decimal = Decimal(1)
    amount: Decimal | None = None
    evidence: str = ""
    confirmed: bool = True
    loc: Loc = field(default=NOWHERE, compare=False)
    #: 申报 → 初审 → 认定 (generator.engine.stages); None for a record made without the table.
    process: Process | None = None


@quick
@dataclass(frozen=True, slots=True)
class PenaltyRecord:
    penalty: str
    amount: Decimal
    reason: str
    removes_eligibility: bool = False
    loc: Loc = field(default=NOWHERE, compare=False)
    #: 提出 → 初审 → 认定 (generator.engine.stages); only 认定 records reach the scores.
    process: Process | None = None


@quick
@dataclass(frozen=True, slots=True)
class VetoRecord:
    veto: str
    reason: str
    date: str = ""
    loc: Loc = field(default=NOWHERE, compare=False)


@quick
@dataclass(frozen=True, slots=True)
class Award:
    grade: GradeKey
    reason: str = ""
    loc: Loc = field(default=NOWHERE, compare=False)


@quick
@dataclass(frozen=True, slots=True)
class UnitInput:
    """Everything recorded about one unit in one assessment."""

    unit: Unit
    findings: tuple[Finding, ...] = ()
    bonus: tuple[BonusClaim, ...] = ()
    penalties: tuple[PenaltyRecord, ...] = ()
    vetoes: tuple[VetoRecord, ...] = ()
    parts: Mapping[str, Decimal] = field(default_factory=dict)
    self_scores: Mapping[str, Decimal] = field(default_factory=dict)
    award: Award | None = None

    @property
    def assessed(self) -> bool:
        return self.unit.status != "not_assessed"


@dataclass(frozen=True)
class Assessment:
    """A rubric with its checked results: the engine's whole input."""

    rubric: Rubric
    units: tuple[UnitInput, ...]
    #: Where the results say they are sample data, or None for an office's real results.
    sample: Loc | None = None
    #: Letters, objections, rectification and votes around the scores (generator.data.year).
    year: YearRecords | None = None
