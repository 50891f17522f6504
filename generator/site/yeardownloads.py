"""The year's downloads made with :mod:`generator.site.workbooks`: a unit's workbook, the office's lists.

Pure but for the writing in :func:`write_year_downloads`; every table is a pandas frame of typed cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from generator.data.formulas import neutralise
from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.exact import fmt
from generator.engine.models import Node, Rubric
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.engine.provenance import provenance
from generator.engine.rules.base import Rule
from generator.engine.wording import all_words, rule_words, words
from generator.site import yearpaths
from generator.site.downloads import csv_bytes
from generator.site.views.office import OfficeYearContext, office_context
from generator.site.views.origin import grade_rests_on_filled, grading_note, marks_words, node_marks, rule_marks
from generator.site.views.unit import other_categories
from generator.site.views.year import claim_lines, unit_year_view
from generator.site.workbooks import sheets_bytes, workbook_bytes


def _note(outcome: AssessmentOutcome) -> str:
    return DOWNLOAD_NOTE if outcome.sample is not None else ""


# --------------------------------------------------------------------------------------------
# A unit's workbook
# --------------------------------------------------------------------------------------------


_SUMMARY_COLUMNS = ("项目", "数值", "说明")
_ITEM_COLUMNS = ("编号", "考核项目", "分值", "扣分", "得分", "自查分")
_RULE_COLUMNS = ("指标编号", "考核项目", "规则", "扣分", "得分", "计算", "扣分原因")
_CLAIM_COLUMNS = ("项目", "事项", "事由", "申报（提出）", "初审", "认定", "认定说明", "计分")
_TASK_COLUMNS = (
    "问题年度",
    "指标编号",
    "问题",
    "整改目标",
    "整改措施",
    "整改进度",
    "责任人",
    "完成时限",
    "整改状态",
    "完成日期",
)
_LETTER_COLUMNS = ("文书", "文号", "发出日期", "发现的问题", "答复期限", "办理状态", "答复日期", "答复内容")
#: The workbooks' columns of dates: dates in the spreadsheet (sorted and filtered as dates), not text.
_DATE_COLUMNS = ("完成时限", "完成日期", "发出日期", "答复期限", "答复日期", "收到日期", "决定日期")
#: The office's list of every unit's tasks: the unit's columns, with the unit, the points and what came of it.
_YEAR_TASK_COLUMNS = ("单位", *_TASK_COLUMNS[:3], "扣分", *_TASK_COLUMNS[3:], "未按期完成", "已扣分")

Rows = list[list[Any]]


#: The column a unit's item and rule sheets have where any of their rows is marked (补充, 解读): what the unit
#: page marks 补 or 解, in words.
_MARKS_COLUMN = "补充和解读"


class _Marks:
    """The marks' words of a rubric's items and rules, made once per rubric (every unit has the same)."""

    _cache: dict[int, tuple[Rubric, _Marks]] = {}

    def __init__(self, rubric: Rubric) -> None:
        self.prov = provenance(rubric)
        self.nodes: dict[int, str] = {}
        self.rules: dict[tuple[int, int], str] = {}

    @classmethod
    def of(cls, rubric: Rubric) -> _Marks:
        known = cls._cache.get(id(rubric))
        if known is None or known[0] is not rubric:
            if len(cls._cache) > 64:
                cls._cache.clear()
            known = cls._cache[id(rubric)] = (rubric, cls(rubric))
        return known[1]

    def node(self, node: Node) -> str:
        found = self.nodes.get(id(node))
        if found is None:
            found = self.nodes[id(node)] = marks_words(node_marks(self.prov, node))
        return found

    def rule(self, rule: Rule, node: Node) -> str:
        found = self.rules.get((id(rule), id(node)))
        if found is None:
            found = self.rules[(id(rule), id(node))] = marks_words(rule_marks(rule, node, self.prov))
        return found


def _items(categories: Sequence[NodeOutcome], marks: _Marks) -> tuple[Rows, Rows]:
    """The unit's item table (depth shown by indenting the title) and one row per rule applied, each row with
    its marks' words last."""
    items: Rows = []
    rules: Rows = []
    stack = [(c, 0) for c in reversed(categories)]
    while stack:
        n, depth = stack.pop()
        title = "　" * depth + n.node.title
        if not n.applicable and depth == 0:
            continue  # another unit type's category: the summary names it, as the page's note does
        if not n.applicable:
            items.append([n.id, title, "不适用", None, None, None, marks.node(n.node)])
            continue
        items.append([n.id, title, n.points, n.lost or None, n.score, n.self_score, marks.node(n.node)])
        for r in n.rules:
            why = rule_words(r.why)
            rule = getattr(r.rule, "text", "") or r.rule_id  # the rule's words in the standards, else its code
            reasons = "；".join(r.reasons)
            rules.append([n.id, n.node.title, rule, r.lost, r.earned, why, reasons, marks.rule(r.rule, n.node)])
        stack.extend((c, depth + 1) for c in reversed(n.children))
    return items, rules


def _shown(columns: Sequence[str], rows: Rows, optional: Sequence[str]) -> tuple[Sequence[str], Rows]:
    """The table without those of its ``optional`` columns that are empty in every row (the unit page shows
    自查分 only when given, the marks only where there are any; 得分 of a rule only for rules that earn)."""
    keep = [i for i, c in enumerate(columns) if c not in optional or any(row[i] not in (None, "") for row in rows)]
    return tuple(columns[i] for i in keep), [[row[i] for i in keep] for row in rows]


def _claims(u: UnitOutcome) -> Rows:
    lines = claim_lines(u)
    if lines:
        return [
            [c.item, c.subject, c.ground, c.declared, c.review, c.stage, c.decision_note, _signed(c.counted)]
            for c in lines
        ]
    bonus = [
        [
            i.item.title,
            c.claim.subject,
            "",
            "",
            "",
            "认定" if c.claim.confirmed else "不予认定",
            words(c.note) if c.note else "",
            c.counted,
        ]
        for i in u.score.bonus.items
        for c in i.claims
    ]
    return bonus + [
        [p.penalty.name, p.record.reason, "", "", "", "认定", "", -p.record.amount] for p in u.score.penalties
    ]


def _summary(outcome: AssessmentOutcome, u: UnitOutcome) -> Rows:
    """The unit's result in a few rows: total and how it is made, rank, grade, the consequences that apply."""
    s, st = u.score, u.standing
    rows: Rows = [
        ["单位", u.unit.name, u.unit.group],
        ["考核", outcome.rubric.title, f"{outcome.rubric.year}年度"],
        ["基本得分", s.base, f"满分 {fmt(s.full_marks)}" if s.full_marks else ""],
        ["加分", s.bonus.total, words(s.bonus.note) if s.bonus.note else ""],
        ["扣分因素", -s.penalty_total if s.penalty_total else None, ""],
        ["综合得分", s.total if s.assessed else None, "" if s.assessed else "未考核"],
        ["名次", st.rank, f"{st.pool_name}，共 {st.pool_size} 个单位" if st.rank is not None else ""],
        ["等次", st.label, "；".join(all_words(st.reasons))],
    ]
    # What the page says the scores and the grade rest on that the document did not give.
    r = outcome.rubric
    notes = (grading_note(r), grade_rests_on_filled(r, s.unit_type.id) if s.assessed else "")
    rows += [["说明", None, note] for note in notes if note]
    others = other_categories(r, u)
    if others:
        rows.append(["说明", None, f"下列一级指标不适用于{s.unit_type.name}，不计入本单位得分：{'；'.join(others)}"])
    if outcome.year is not None:
        rows += [["考核结果运用", c.effect, words(c.why)] for c in outcome.year.of(u.unit.id).consequences]
    return rows


def unit_sheets(outcome: AssessmentOutcome, u: UnitOutcome) -> list[tuple[str, Sequence[str], Rows]]:
    """A unit's workbook: its result, its items, each rule applied with the reasons, claims, tasks, letters."""
    items, rules = _items(u.score.categories, _Marks.of(outcome.rubric))
    view = unit_year_view(outcome, u, "")
    tasks = [
        [t.year, t.item, t.problem, t.target, t.measures, t.progress, t.person, t.due, t.status, t.done]
        for t in view.tasks
    ] + [[outcome.rubric.year, t.item, t.problem, "", "", "", "", t.due, t.status, ""] for t in view.next_tasks]
    sheets: list[tuple[str, Sequence[str], Rows]] = [
        ("得分汇总", _SUMMARY_COLUMNS, _summary(outcome, u)),
        ("逐项得分", *_shown((*_ITEM_COLUMNS, _MARKS_COLUMN), items, ("自查分", _MARKS_COLUMN))),
        ("扣分明细", *_shown((*_RULE_COLUMNS, _MARKS_COLUMN), rules, ("得分", _MARKS_COLUMN))),
        ("加分和扣分因素", _CLAIM_COLUMNS, _claims(u)),
        ("整改任务", _TASK_COLUMNS, tasks),
    ]
    if view.letters:
        letters = [
            [x.kind, x.number, x.date, x.finding, x.due, x.status, x.answer_date, x.answer] for x in view.letters
        ]
        sheets.append(("意见书和督办单", _LETTER_COLUMNS, letters))
    return sheets


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as a frame of typed cells (object columns: a whole number stays whole, a blank stays blank)."""
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def _signed(text: str) -> Decimal | None:
    return Decimal(text.replace("−", "-")) if text else None


def unit_workbook(outcome: AssessmentOutcome, u: UnitOutcome) -> bytes:
    wrap = ("计算", "扣分原因", "问题", "整改措施", _MARKS_COLUMN)
    return sheets_bytes(unit_sheets(outcome, u), _note(outcome), wrap=wrap, dates=_DATE_COLUMNS)


# --------------------------------------------------------------------------------------------
# The office's year: its lists in one workbook, the consequences as CSV
# --------------------------------------------------------------------------------------------


def consequence_frame(outcome: AssessmentOutcome, ctx: OfficeYearContext | None = None) -> pd.DataFrame:
    ctx = ctx or office_context(outcome)
    rows = [
        {
            "单位": c.unit,
            "排名组": c.pool,
            "名次": int(c.rank) if c.rank else None,
            "等次": c.grade,
            "结果运用": c.effect,
            "依据": c.why,
        }
        for c in ctx.consequences
    ]
    return _frame(rows, ("单位", "排名组", "名次", "等次", "结果运用", "依据"))


def year_frames(outcome: AssessmentOutcome, ctx: OfficeYearContext | None = None) -> list[tuple[str, pd.DataFrame]]:
    ctx = ctx or office_context(outcome)
    tasks = _frame(
        [
            {
                "单位": t.unit_name,
                "问题年度": t.year,
                "指标编号": t.item,
                "问题": t.problem,
                "扣分": Decimal(t.lost) if t.lost else None,
                "整改目标": t.target,
                "整改措施": t.measures,
                "整改进度": t.progress,
                "责任人": t.person,
                "完成时限": t.due,
                "整改状态": t.status,
                "完成日期": t.done,
                "未按期完成": "是" if t.late else "",
                "已扣分": "是" if t.deducted else "",
            }
            for t in ctx.tasks
        ],
        _YEAR_TASK_COLUMNS,
    )
    letters = _frame(
        [
            {
                "编号": x.id,
                "单位": name,
                "文书": x.kind,
                "文号": x.number,
                "发出日期": x.date,
                "发现的问题": x.finding,
                "答复期限": x.due,
                "办理状态": x.status,
                "答复日期": x.answer_date,
                "逾期答复": "是" if x.late else "",
            }
            for name, _url, x in ctx.letters
        ],
        ("编号", "单位", "文书", "文号", "发出日期", "发现的问题", "答复期限", "办理状态", "答复日期", "逾期答复"),
    )
    objections = _frame(
        [
            {
                "单位": name,
                "收到日期": o.received,
                "指标编号": o.item,
                "异议内容": o.text,
                "复核结果": o.outcome,
                "复核理由": o.reason,
                "决定日期": o.decided,
                "逾期受理理由": o.late_reason,
            }
            for name, _url, o in ctx.objections
        ],
        ("单位", "收到日期", "指标编号", "异议内容", "复核结果", "复核理由", "决定日期", "逾期受理理由"),
    )
    return [
        ("结果运用", consequence_frame(outcome, ctx)),
        ("整改任务", tasks),
        ("意见书和督办单", letters),
        ("异议和复核", objections),
    ]


def write_year_downloads(outcome: AssessmentOutcome, docs: Path, ctx: OfficeYearContext | None = None) -> None:
    """The office's year workbook and the consequences CSV (nothing for an assessment without its year);
    ``ctx`` is the office page's context, when already made."""
    if outcome.year is None:
        return
    xlsx, csv_file = yearpaths.year_downloads(outcome.rubric.id)
    target = docs / xlsx
    target.parent.mkdir(parents=True, exist_ok=True)
    ctx = ctx or office_context(outcome)
    sheets = year_frames(outcome, ctx)
    wrap = ("问题", "发现的问题", "异议内容")
    target.write_bytes(workbook_bytes(sheets, _note(outcome), wrap=wrap, dates=_DATE_COLUMNS))
    frame = dict(sheets)["结果运用"].map(
        lambda v: fmt(v) if isinstance(v, Decimal) else ("" if v is None else neutralise(v))
    )
    (docs / csv_file).write_bytes(csv_bytes(frame, _note(outcome)))


def write_unit_workbook(outcome: AssessmentOutcome, u: UnitOutcome, docs: Path) -> None:
    target = docs / yearpaths.unit_workbook(outcome.rubric.id, u.unit.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(unit_workbook(outcome, u))
