"""letters.csv: the 意见书 and 督办单 issued through the year, and the units' written answers (004:27)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from generator.data.cells import Cells, norm
from generator.data.problems import Loc, Problems
from generator.engine.models import Rubric
from generator.engine.results import Row, Unit
from generator.engine.tree import node_index
from generator.engine.yearrecords import LETTER_KINDS, Letter, LetterStatus

#: A letter's code becomes a file name (its printable page and its .docx).
LETTER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
STATUS_WORDS: Mapping[str, LetterStatus] = {
    "待答复": "waiting",
    "未答复": "waiting",
    "已答复": "answered",
    "已回复": "answered",
    "已办结": "closed",
    "办结": "closed",
}


def read_letters(
    rows: Sequence[Row], rubric: Rubric, units: Mapping[str, Unit], problems: Problems
) -> tuple[Letter, ...]:
    cells = Cells(problems)
    nodes = node_index(rubric)
    seen: dict[str, Loc] = {}
    out: list[Letter] = []
    for row in rows:
        letter = _letter(cells, row, nodes, units)
        if letter is None:
            continue
        key = letter.id.casefold()
        if key in seen:
            cells.error(
                row,
                "id",
                f"编号 {letter.id} 与第 {seen[key].line} 行重复（不区分大小写）",
                "每份意见书、督办单的编号必须不同。",
            )
            continue
        seen[key] = row.loc
        out.append(letter)
    return tuple(out)


def _letter(cells: Cells, row: Row, nodes: Mapping[str, object], units: Mapping[str, Unit]) -> Letter | None:
    code = row.get("id")
    if code and not LETTER_ID.match(code):
        cells.error(
            row,
            "id",
            f"编号「{code}」含有不允许的字符（它会成为文件名）",
            "只用字母、数字、下划线和连字符，例如 2020-03。",
        )
        return None
    kind = norm(row.get("kind"))
    if kind and kind not in LETTER_KINDS:
        cells.error(row, "kind", f"类别「{row.get('kind')}」无法识别", "写「意见书」或「督办单」。")
        return None
    unit = row.get("unit")
    if unit and units and unit not in units:
        cells.error(row, "unit", f"单位代码「{unit}」不在单位名册中", "填写单位名册中的单位代码。")
        return None
    item = norm(row.get("item"))
    if item and item not in nodes:
        cells.error(row, "item", f"指标编号「{row.get('item')}」不在细则中", "填写细则中的指标编号，或不填。")
        return None
    date = cells.date(row, "date", "发出日期", required=True)
    due = cells.date(row, "due", "答复期限")
    answer_date = cells.date(row, "answer_date", "答复日期")
    status = cells.choice(row, "status", "办理状态", STATUS_WORDS, "")
    finding = cells.required(row, "finding", "发现的问题", "写明履职不及时、不到位的情况。")
    if not (code and kind and unit and date and finding) or status is None or _bad_dates(cells, row, due, answer_date):
        return None
    answer = row.get("answer")
    decided: LetterStatus = status or ("answered" if answer else "waiting")  # type: ignore[assignment]
    if decided != "waiting" and not answer:
        cells.error(
            row, "answer", "办理状态为已答复或已办结，但没有答复内容", "填写单位的书面答复，或把办理状态改为待答复。"
        )
        return None
    if answer_date is not None and not answer:
        cells.error(row, "answer", "有答复日期，但没有答复内容", "填写单位的书面答复。")
        return None
    if date is not None and (due and due < date or answer_date and answer_date < date):
        which = "due" if due and due < date else "answer_date"
        cells.error(row, which, "这个日期早于发出日期", "核对日期。")
        return None
    return Letter(
        id=code,
        kind=kind,
        unit=unit,
        date=date,
        finding=finding,
        number=row.get("number"),
        issuer=row.get("issuer"),
        item=item,
        requirement=row.get("requirement"),
        due=due,
        answer_date=answer_date,
        answer=answer,
        status=decided,
        loc=row.loc,
    )


def _bad_dates(cells: Cells, row: Row, *dates: object) -> bool:
    """A date cell that was written but could not be read (already reported)."""
    columns = ("due", "answer_date")
    return any(row.get(c) and d is None for c, d in zip(columns, dates, strict=True))
