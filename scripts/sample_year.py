"""示例数据：考核年度的其余环节（加分申报和扣分因素的初审、认定，意见书和督办单，异议和复核，整改任务，民主推荐）。

``scripts/make_results.py`` 写完一项考核的评分结果后调用 :func:`add_year`：它按同一种子改写加分申报和扣分因素
（加上事由、初审、认定各列），并写出本考核的其余表。全部是虚构的示例数据，同一种子生成的文件逐字节相同。
哪项考核演示哪一环节见 PLANS。
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sample_year_files import outcome_of, read_rows, rewrite, write_new
from sample_year_objections import OBJECTION_COLUMNS, objections
from sample_year_tasks import TALLY_COLUMNS, TASK_COLUMNS, carried_tasks, invented_tasks, tallies

from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome, NodeOutcome


@dataclass(frozen=True)
class Plan:
    """Which steps of the year an assessment's sample data shows."""

    #: Bonus claims and special deductions with their stages (else they keep the old columns: 认定 only).
    stages: bool = False
    letters: int = 0
    objections: bool = False
    #: Who reviews the claims first (初审): the unit's liaison group when '' (001), else this department (004).
    reviewer: str = ""
    #: "carry": tasks from the previous assessment of the series (as ``kaoping new`` makes them);
    #: "invented": tasks of a year the project has no assessment of.
    tasks: str = ""
    recommendations: bool = False


PLANS = {
    "zonghe-2020": Plan(stages=True, reviewer="市委组织部", letters=7, objections=True, tasks="carry"),
    "zonghe-2019": Plan(stages=True, reviewer="市委组织部", letters=3),
    "luoyang-2013": Plan(stages=True, recommendations=True),
    "wujin-2017": Plan(tasks="invented"),
}


# --------------------------------------------------------------------------------------------
# Bonus claims and special deductions: 申报（提出）→ 初审 → 认定
# --------------------------------------------------------------------------------------------

BONUS_COLUMNS = (
    "unit",
    "bonus",
    "level",
    "count",
    "amount",
    "subject",
    "evidence",
    "ground",
    "claimed",
    "declared",
    "reviewer",
    "review",
    "confirmed",
    "decision_note",
    "note",
)
PENALTY_COLUMNS = (
    "unit",
    "penalty",
    "amount",
    "reason",
    "removes_eligibility",
    "ground",
    "reported_by",
    "evidence",
    "review",
    "confirmed",
    "decision_note",
    "note",
)
#: Words in a claim's subject → the ground 004:35 names; words in a deduction's reason → 004:37.
BONUS_GROUND_WORDS = (("表彰", 0), ("批示肯定", 1), ("推广", 2))
PENALTY_GROUND_WORDS = (
    ("通报批评", 0, "市委党建办"),
    ("网络", 1, "市委宣传部"),
    ("媒体", 1, "市委宣传部"),
    ("廉", 2, "市纪委监委"),
)


def _ground(text: str, grounds: Sequence[str], words: Sequence[tuple[str, int]]) -> str:
    for word, index in words:
        if word in text and index < len(grounds):
            return grounds[index]
    return grounds[0] if grounds else ""


def stage_bonus(rubric: Rubric, folder: Path, rng: random.Random, reviewer: Callable[[str], str]) -> None:
    path = folder / "bonus.csv"
    if not path.exists() or rubric.bonus is None:
        return
    items = {i.id: i for i in rubric.bonus.items}
    rows = read_rows(path, "bonus")
    for n, row in enumerate(rows):
        item = items.get(row["bonus"])
        grounds = item.grounds if item is not None else ()
        row["ground"] = _ground(row["subject"], grounds, BONUS_GROUND_WORDS)
        row["declared"] = f"{rubric.year}-12-{rng.randint(5, 20):02d}"
        row["reviewer"] = reviewer(row["unit"])
        row["claimed"] = row.get("amount", "")
        if row.get("confirmed") in ("否", "n", "no"):
            row["review"] = "所附证明材料不完整，提请综合评估"
            row["confirmed"] = "不予认定"
            row["decision_note"] = "经核实，所报事项不属于本单位本年度取得的成效，不予认定"
            row["amount"] = ""
        else:
            row["review"] = f"经核实，{row['evidence'] or '证明材料'}属实，同意上报"
            row["confirmed"] = "认定"
            row["decision_note"] = "经综合评估，予以认定" if n % 3 == 0 else ""
    rewrite(path, "bonus", BONUS_COLUMNS, rows)


def add_pending_claim(rubric: Rubric, folder: Path, outcome: AssessmentOutcome, rng: random.Random) -> None:
    """A claim handed in late: 初审 done, not yet 认定 when the results were published (not counted)."""
    path = folder / "bonus.csv"
    if rubric.bonus is None or not path.exists():
        return
    item = rubric.bonus.items[0]
    rows = read_rows(path, "bonus")
    claimed = {r["unit"] for r in rows}
    free = [u.unit.id for u in outcome.units if u.score.assessed and u.unit.id not in claimed]
    uid = rng.choice(free)
    grounds = item.grounds
    rows.append(
        {
            "unit": uid,
            "bonus": item.id,
            "subject": f"党建工作经验以现场会形式在全省推广（{rubric.year}年12月）",
            "evidence": "现场会通知（复印件）",
            "ground": grounds[2] if len(grounds) > 2 else "",
            "claimed": "1",
            "declared": f"{rubric.year + 1}-01-18",
            "reviewer": "市委组织部",
            "review": "材料于截止日期后补报，原件待核",
            "confirmed": "待认定",
        }
    )
    rewrite(path, "bonus", BONUS_COLUMNS, rows)


def stage_penalties(rubric: Rubric, folder: Path, rng: random.Random) -> None:
    path = folder / "penalties.csv"
    if not path.exists():
        return
    penalties = {p.id: p for p in rubric.penalties} | {p.name: p for p in rubric.penalties}
    rows = read_rows(path, "penalties")
    for row in rows:
        penalty = penalties[row["penalty"]]
        found = next(((i, who) for word, i, who in PENALTY_GROUND_WORDS if word in row["reason"]), (0, "市委党建办"))
        row["ground"] = penalty.grounds[found[0]] if penalty.grounds else ""
        row["reported_by"] = found[1] if penalty.grounds else "联合考核组"
        row["evidence"] = (
            f"{row['reported_by']}通报（{rubric.year}年第{rng.randint(2, 12)}期）"
            if penalty.grounds
            else "实地核查记录"
        )
        row["review"] = "情况属实"
        row["confirmed"] = "认定"
    rewrite(path, "penalties", PENALTY_COLUMNS, rows)


def _uncounted_penalties(
    rubric: Rubric, outcome: AssessmentOutcome, taken: set[str], rng: random.Random
) -> list[dict[str, str]]:
    """One deduction reported and not yet reviewed, one the office did not confirm: neither counts."""
    penalty = next(p for p in rubric.penalties if p.grounds)
    free = sorted(u.unit.id for u in outcome.units if u.score.assessed and u.unit.id not in taken)
    first, second = rng.sample(free, 2)
    y = rubric.year
    return [
        {
            "unit": first,
            "penalty": penalty.name,
            "amount": "1",
            "ground": penalty.grounds[1],
            "reason": f"{y + 1}年1月有网民反映该单位党员干部作风问题",
            "reported_by": "市委宣传部",
            "evidence": "网络舆情专报（待核实）",
        },
        {
            "unit": second,
            "penalty": penalty.name,
            "amount": "1",
            "ground": penalty.grounds[0],
            "reason": f"{y}年10月被通报批评",
            "reported_by": "市委党建办",
            "evidence": "市委党建办督查通报",
            "review": "通报对象为该单位下属事业单位党支部",
            "confirmed": "不予认定",
            "decision_note": (
                "经核实，被通报的是下属单位党支部，不属于本单位党组（党委）履行党建工作责任的问题，不予认定"
            ),
        },
    ]


# --------------------------------------------------------------------------------------------
# Letters (意见书、督办单)
# --------------------------------------------------------------------------------------------

LETTER_COLUMNS = (
    "id",
    "kind",
    "number",
    "unit",
    "issuer",
    "date",
    "item",
    "finding",
    "requirement",
    "due",
    "answer_date",
    "answer",
    "status",
)
ANSWERS = (
    "已召开党组（党委）会议专题研究，制定整改方案，明确分管领导和责任科室，{m}月底前完成整改并报送整改情况。",
    "收到意见书后立即组织自查，对照问题逐项建立台账，已补齐相关记录，今后每季度由机关党委检查一次。",
    "已对相关责任人进行提醒谈话，完善工作制度2项，整改措施已报市委党建办备案。",
)


def letters(rubric: Rubric, outcome: AssessmentOutcome, count: int, rng: random.Random) -> list[dict[str, str]]:
    """Letters to units that then lost points on the item the letter was about."""
    y = rubric.year
    candidates = [(u, n) for u in outcome.units if u.score.assessed for n in _lost_leaves(u.score.categories)]
    rows = []
    for i, (u, n) in enumerate(sorted(rng.sample(candidates, count), key=lambda p: p[0].unit.id), start=1):
        kind = "督办单" if i % 3 == 0 else "意见书"
        date = datetime.date(y, 3 + (i * 5) % 9, 2 + (i * 7) % 25)
        due = date + datetime.timedelta(days=21)
        answered = i % 4 != 0
        late = i == count - 1
        answer_date = due + datetime.timedelta(days=6) if late else date + datetime.timedelta(days=9 + i % 8)
        rows.append(
            {
                "id": f"{y}-{i:02d}",
                "kind": kind,
                "number": f"X党建办{'督' if kind == '督办单' else '意'}〔{y}〕{i + 2}号",
                "unit": u.unit.id,
                "issuer": "市委党建办" if i % 2 else (n.node.assessor or "市委党建办"),
                "date": date.isoformat(),
                "item": n.id,
                "finding": f"抽查发现，{_first_reason(n)}，履职不及时、不到位。",
                "requirement": "请对照考核标准认真整改，于答复期限前作出书面答复，明确整改落实举措。"
                if kind == "意见书"
                else "请于答复期限前将整改落实情况书面报市委党建办，逾期未报的予以通报。",
                "due": due.isoformat(),
                "answer_date": answer_date.isoformat() if answered else "",
                "answer": rng.choice(ANSWERS).format(m=min(12, date.month + 2)) if answered else "",
                "status": ("已办结" if i % 2 else "已答复") if answered else "待答复",
            }
        )
    return rows


def _lost_leaves(nodes: Sequence[NodeOutcome]) -> list[NodeOutcome]:
    out = []
    stack = list(nodes)
    while stack:
        n = stack.pop(0)
        stack.extend(n.children)
        if n.rules and n.lost and n.applicable:
            out.append(n)
    return out


def _first_reason(n: NodeOutcome) -> str:
    for r in n.rules:
        if r.reasons:
            return str(r.reasons[0])
    return "未达到考核标准"


# --------------------------------------------------------------------------------------------
# The hook
# --------------------------------------------------------------------------------------------


def add_year(rubric: Rubric, folder: Path, out: Path, seed: int) -> list[Path]:
    """Stage the bonus and penalty tables and write the year's other tables for ``rubric``; the new files."""
    plan = PLANS.get(rubric.id)
    if plan is None:
        return []
    rng = random.Random(f"{seed}:{rubric.id}:year")
    units = read_rows(folder / "units.csv", "units")
    groups = {u["id"]: u.get("group", "") for u in units}
    written: list[Path] = []
    if plan.stages:
        stage_bonus(rubric, folder, rng, lambda uid: plan.reviewer or groups.get(uid, ""))
        stage_penalties(rubric, folder, rng)
    outcome = outcome_of(rubric.id, folder, without=("awards.csv",))
    assert outcome is not None
    if plan.stages and plan.objections:
        add_pending_claim(rubric, folder, outcome, rng)
        stage_penalties_extra(rubric, folder, outcome, rng)
    if plan.letters:
        written.append(write_new(folder, "letters", LETTER_COLUMNS, letters(rubric, outcome, plan.letters, rng)))
    if plan.objections:
        written.append(write_new(folder, "objections", OBJECTION_COLUMNS, objections(rubric, folder, outcome, rng)))
    if plan.tasks:
        rows = carried_tasks(rubric, out, rng) if plan.tasks == "carry" else invented_tasks(rubric, outcome, rng)
        written.append(write_new(folder, "rectification", TASK_COLUMNS, rows))
    if plan.recommendations:
        written.append(write_new(folder, "recommendations", TALLY_COLUMNS, tallies(rubric, folder, outcome, rng)))
    return written


def stage_penalties_extra(rubric: Rubric, folder: Path, outcome: AssessmentOutcome, rng: random.Random) -> None:
    path = folder / "penalties.csv"
    rows = read_rows(path, "penalties")
    rows.extend(_uncounted_penalties(rubric, outcome, {r["unit"] for r in rows}, rng))
    rewrite(path, "penalties", PENALTY_COLUMNS, rows)
