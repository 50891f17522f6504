"""示例数据：整改任务（由上一年度的扣分项生成，与 kaoping new 相同）和各联络组的民主推荐计票（见 sample_year.py）。"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from sample_year_files import ROOT, outcome_of, person, read_rows

from generator.data.csvread import parse_table
from generator.data.load import load_rubric
from generator.data.problems import Problems
from generator.data.rectification import TASK_COLUMNS, next_year_rows, read_rectification
from generator.data.tables import TABLES_BY_NAME
from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.engine.results import Row
from generator.engine.tree import node_rules, typed_tree, walk_typed
from generator.engine.yearrecords import RectificationItem

TALLY_COLUMNS = ("unit", "category", "person", "votes", "voters", "recommended")
MEASURES = (
    "对照考核标准逐项整改，建立问题台账，完成一项销号一项",
    "党组（党委）会议专题研究，明确分管领导和责任科室，按月调度",
    "补齐相关制度和工作记录，由机关党委每季度检查一次",
    "开展专项培训，完善工作流程，纳入年度党建工作要点",
)
TARGETS = (
    "对照考核标准整改到位，不再发生同类问题",
    "问题全部整改销号，相关记录完整规范",
    "建立长效机制，年底前通过复查",
)
POSTS = ("党建办主任", "机关党委专职副书记", "组织人事科科长", "办公室主任")


def _previous(rubric: Rubric) -> Rubric | None:
    for path in sorted((ROOT / "rubrics").glob("*.yml")):
        other = load_rubric(path, ROOT, Problems())
        if other is not None and other.series_id == rubric.series_id and other.year == rubric.year - 1:
            return other
    return None


def _progress(row: dict[str, str], year: int, rng: random.Random) -> None:
    """Fill a task as a unit would through the year: some done in time, some late, some still open."""
    due = datetime.date(year, rng.choice((6, 9, 11)), 30)
    draw = rng.random()
    row.update(
        target=rng.choice(TARGETS), measures=rng.choice(MEASURES), person=f"{person(rng)}（{rng.choice(POSTS)}）"
    )
    row["due"] = due.isoformat()
    if draw < 0.55:
        row.update(
            status="已完成",
            done=(due - datetime.timedelta(days=rng.randint(3, 60))).isoformat(),
            progress="已按期完成整改",
        )
    elif draw < 0.68:
        row.update(
            status="已完成",
            done=(due + datetime.timedelta(days=rng.randint(10, 40))).isoformat(),
            progress="已完成，超过时限",
        )
    elif draw < 0.9:
        row.update(status="整改中", progress=f"已完成{rng.choice(('一半', '大部分', '制度建设部分'))}，其余正在推进")
    else:
        row.update(status="未启动", progress="")


def carried_tasks(rubric: Rubric, out: Path, rng: random.Random) -> list[dict[str, str]]:
    """This year's tasks as ``kaoping new`` makes them from the previous assessment, then filled in."""
    previous = _previous(rubric)
    folder = out / previous.id if previous is not None else None
    if previous is None or folder is None or not folder.is_dir():
        return []
    outcome = outcome_of(previous.id, folder)
    assert outcome is not None
    carried: tuple[RectificationItem, ...] = ()
    if (folder / "rectification.csv").exists():
        units = {u.unit.id: u.unit for u in outcome.units}
        rows = read_rows_as_rows(folder / "rectification.csv")
        carried = read_rectification(rows, previous, units, Problems())
    names = TASK_COLUMNS
    tasks = [dict(zip(names, r, strict=True)) for r in next_year_rows(outcome, carried)]
    for row in tasks:
        _progress(row, rubric.year, rng)
    return tasks


def read_rows_as_rows(path: Path) -> list[Row]:
    return parse_table(path.read_bytes(), path.name, TABLES_BY_NAME["rectification"], Problems())


def invented_tasks(rubric: Rubric, outcome: AssessmentOutcome, rng: random.Random) -> list[dict[str, str]]:
    """Tasks from a year the project has no assessment of (the year before the rubric's first)."""
    assessed = [u for u in outcome.units if u.score.assessed]
    rows = []
    for u in sorted(rng.sample(assessed, min(9, len(assessed))), key=lambda u: u.unit.id):
        leaves = [
            n
            for n in walk_typed(typed_tree(rubric, u.unit.type))
            if n.applicable and not n.children and node_rules(n.node, rubric)
        ]
        for n in rng.sample(leaves, rng.randint(1, 2)):
            row = {
                "unit": u.unit.id,
                "year": str(rubric.year - 1),
                "item": n.id,
                "problem": f"{n.node.title}：{rubric.year - 1}年度考核指出工作不到位、记录不完整",
                "lost": "1",
            }
            _progress(row, rubric.year, rng)
            rows.append(row)
    return rows


def tallies(rubric: Rubric, folder: Path, outcome: AssessmentOutcome, rng: random.Random) -> list[dict[str, str]]:
    """Each group's vote: the units the office awarded were recommended, and one more that was not."""
    scheme = rubric.recommendation
    assert scheme is not None
    awarded = (
        {r["unit"] for r in read_rows(folder / "awards.csv", "awards")} if (folder / "awards.csv").exists() else set()
    )
    groups: dict[str, list[UnitOutcome]] = {}
    for u in outcome.units:
        if u.score.assessed:
            groups.setdefault(u.unit.group, []).append(u)
    rows = []
    advanced, cadre = scheme.advanced_category or scheme.categories[0], scheme.categories[-1]
    for members in groups.values():
        voters = len(members) * 3
        best = sorted(members, key=lambda u: (-u.score.total, u.unit.id))
        chosen = [u for u in best if u.unit.id in awarded]
        runner = next((u for u in best if u.unit.id not in awarded), None)
        for u in chosen:
            votes = rng.randint(voters * 6 // 10, voters - 1)
            rows.append(
                {
                    "unit": u.unit.id,
                    "category": advanced,
                    "votes": str(votes),
                    "voters": str(voters),
                    "recommended": "是",
                }
            )
        if runner is not None:
            votes = rng.randint(voters // 5, voters * 2 // 5)
            rows.append(
                {
                    "unit": runner.unit.id,
                    "category": advanced,
                    "votes": str(votes),
                    "voters": str(voters),
                    "recommended": "否",
                }
            )
        for u in best[:2]:
            votes = rng.randint(voters // 2 + 1, voters)
            rows.append(
                {
                    "unit": u.unit.id,
                    "category": cadre,
                    "person": person(rng),
                    "votes": str(votes),
                    "voters": str(voters),
                    "recommended": "是",
                }
            )
    return rows
