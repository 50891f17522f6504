"""The stages of a bonus claim or a special deduction in bonus.csv and penalties.csv: 申报 → 初审 → 认定.

A row that records any of its stages (for a claim: 申报分, 申报日期, 初审单位, 初审意见, 认定说明; for a
deduction: 提出单位, 依据, 初审单位, 初审意见, 认定说明) is read by stage: a blank 认定 there means not yet
decided, and only 认定 counts. A row with none of them is read as such rows always were: a blank 认定 means
认定. So a table saved before the stage columns existed, or a score sheet that carries its rows with the stage
columns empty, keeps its meaning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.data.cells import Cells, norm, one_of
from generator.data.problems import Problems
from generator.engine.exact import fmt
from generator.engine.results import Row
from generator.engine.stages import Process, Stage

#: What the 认定 column may say.
DECISIONS: Mapping[str, Stage | None] = {
    **{w: "confirmed" for w in ("认定", "予以认定", "同意", "是", "y", "yes", "true", "1", "√", "✓", "对")},
    **{w: "refused" for w in ("不予认定", "不认定", "不同意", "否", "n", "no", "false", "0", "×", "✗")},
    **{w: None for w in ("待认定", "未认定", "申报", "初审", "提出")},
}
#: Cells whose content marks a row that records its stages.
_BONUS_STAGES = ("claimed", "declared", "reviewer", "review", "decision_note")
_PENALTY_STAGES = ("reported_by", "evidence", "reviewer", "review", "decision_note")


def staged(row: Row, *, bonus: bool) -> bool:
    """The row records its stages (else it is read as before the stage columns existed)."""
    return any(row.get(c) for c in (_BONUS_STAGES if bonus else _PENALTY_STAGES))


def pending_claim(row: Row) -> bool:
    """A bonus claim not (yet) 认定 in a table that records the stages: its points are not decided."""
    return staged(row, bonus=True) and DECISIONS.get(norm(row.get("confirmed")).lower(), None) != "confirmed"


def _stage(cells: Cells, row: Row, is_staged: bool) -> tuple[bool, Stage | None]:
    """(readable, the decided stage or None for not yet decided); unreadable cells are reported."""
    text = row.get("confirmed")
    if not text:
        return True, (None if is_staged else "confirmed")
    word = norm(text).lower()
    if word not in DECISIONS:
        cells.error(
            row, "confirmed", f"认定「{text}」无法识别", "写「认定」「不予认定」或「待认定」（也可写「是」「否」）。"
        )
        return False, None
    return True, DECISIONS[word]


def _ground(cells: Cells, row: Row, grounds: Sequence[str], what: str, title: str) -> str | None:
    text = row.get("ground")
    if not grounds:
        return text
    listed = "；".join(f"{i}. {g}" for i, g in enumerate(grounds, start=1))
    if not text:
        cells.error(
            row,
            "ground" if "ground" in row.columns else "unit",
            f"细则为{what}列出了{title}，这一行没有写依据哪一项",
            f"在“{title}”列写：{listed}。",
        )
        return None
    found = one_of(text, grounds)
    if found is None:
        cells.error(row, "ground", f"{title}「{text}」不是细则为{what}列出的{title}", f"只能是：{listed}。")
    return found


def read_process(problems: Problems, row: Row, grounds: Sequence[str], *, bonus: bool, what: str) -> Process | None:
    """The stages one row records, or None when a cell is refused (each problem reported at its cell).

    ``grounds`` are those the rubric names for the row's item (加分事由 / 扣分情形); ``what`` names the item.
    """
    cells = Cells(problems)
    is_staged = staged(row, bonus=bonus)
    readable, decided = _stage(cells, row, is_staged)
    title = "加分事由" if bonus else "扣分情形"
    ground = _ground(cells, row, grounds, what, title)
    claimed = cells.number(row, "claimed", "申报分")
    declared = cells.date(row, "declared", "申报日期")
    if not readable or (grounds and ground is None) or (row.get("claimed") and claimed is None):
        return None
    if row.get("declared") and declared is None:
        return None
    stage: Stage = decided or ("reviewed" if row.get("review") else "declared")
    process = Process(
        stage=stage,
        ground=ground or "",
        declared=declared.isoformat() if declared else "",
        reviewer=row.get("reported_by") or row.get("reviewer"),
        review=row.get("review"),
        decision_note=row.get("decision_note"),
        claimed=claimed,
        legacy=not is_staged,
    )
    if not _consistent(cells, row, process, bonus=bonus):
        return None
    return process


def _consistent(cells: Cells, row: Row, process: Process, *, bonus: bool) -> bool:
    if process.stage == "refused" and not process.decision_note and not process.legacy:
        cells.error(
            row,
            "decision_note" if "decision_note" in row.columns else "confirmed",
            "不予认定须写明理由",
            "在“认定说明”列写明不予认定的理由，被考核单位会看到它。",
        )
        return False
    amount = row.get("amount")
    if bonus and amount and not process.counts and not process.legacy:
        stage = "不予认定" if process.stage == "refused" else "尚未认定"
        cells.error(
            row,
            "amount",
            f"这条申报{stage}，不计分，却填了加分 {amount} 分：只有认定的申报计分",
            "单位申报的分数写在“申报分”列；认定后把“认定”写作「认定」，再填“加分”。",
        )
        return False
    if not bonus and process.counts and not process.legacy:
        missing = [t for c, t in (("reported_by", "提出单位"), ("evidence", "依据")) if not row.get(c)]
        if missing:
            cells.error(
                row,
                "reported_by" if "reported_by" in row.columns and not row.get("reported_by") else "evidence",
                f"认定的扣分须写明{'和'.join(missing)}",
                "扣分项目由考核单位提供有关情况：写明提出的考核单位和它提供的依据。",
            )
            return False
    return True


def claimed_words(process: Process | None) -> str:
    """申报 2 分 (for pages), '' when nothing was claimed."""
    if process is None or process.claimed is None:
        return ""
    return f"申报 {fmt(process.claimed)} 分"
