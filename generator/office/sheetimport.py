"""``kaoping import``: read a filled score sheet back into ``results/<id>/``.

What can be imported:

- the workbook (``.xlsx``) as :mod:`generator.office.sheets` wrote it;
- one worksheet saved as CSV from Excel or WPS (a group's worksheet: only that group's units are
  updated; a unit-level worksheet: that whole table);
- a folder of such CSV files, one per worksheet.

Every cell goes through the project's own checker: the tables are written to a scratch copy of the
assessment, checked there, and every problem is reported at the worksheet, row and column it came
from. Nothing is written while a cell is wrong, nor over different existing data without ``--force``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from generator.data.formulas import formula_like
from generator.data.load import RESULTS_DIR
from generator.data.problems import Loc, Problems, os_error_words
from generator.data.tables import TABLES_BY_NAME
from generator.office.outputfile import HalfWritten, half_written_words, project_lock, write_all
from generator.office.report import Ending, Report
from generator.office.sheetcolumns import rubric_digest
from generator.office.sheetcount import count_against_roster, row_limit
from generator.office.sheetlayout import Loaded, build_layout, load_assessment
from generator.office.sheetmerge import NUMBERS_ONLY, Change, check_scratch, merge
from generator.office.sheetread import open_source
from generator.office.sheetrecords import Imported, Origin, read_sheet
from generator.office.sheetsource import Source, SourceSheet
from generator.site.progress import Progress


def _which_assessment(imported: Imported, wanted: str | None, problems: Problems) -> str | None:
    ids = dict.fromkeys(i for i, _ in imported.ids)
    if len(ids) > 1:
        first = {i: loc for i, loc in reversed(imported.ids)}
        problems.error(
            first[list(ids)[1]], f"评分表中有几项考核的代码：{'、'.join(ids)}", "一次只导入一项考核的评分表。"
        )
        return None
    found = next(iter(ids), None)
    if wanted and found and wanted != found:
        problems.error(
            imported.ids[0][1],
            f"这是考核 {found} 的评分表，不是 {wanted} 的",
            f"核对文件；导入 {found} 时不用加 --assessment。",
        )
        return None
    if not wanted and not found:
        problems.error(
            Loc("--assessment"),
            "评分表中没有考核代码（第 1 行或“说明”工作表）",
            "用 --assessment 考核代码 指定导入哪项考核。",
        )
        return None
    return wanted or found


def import_sheet(root: Path, source: Path, aid: str | None, *, force: bool, progress: Progress | None = None) -> Report:
    """``kaoping import``: nothing is written unless every cell is right. The project's data is read and
    written under its lock (:func:`project_lock`): two imports at once would each write over the other."""
    report = Report()
    problems = Problems()
    if not os.path.lexists(source):
        return report.stop(Ending.USAGE, f"找不到 {source}。")
    opened = open_source(source, problems)
    if opened is None:
        report.problems(problems)
        return report.stop(Ending.USAGE)
    try:
        with project_lock(root, progress) as refused:
            if refused is not None:
                return report.stop(Ending.DATA, refused)
            _import(root, source, opened, aid, force, problems, report)
    finally:
        opened.close()
    return report


def _import(
    root: Path, source: Path, opened: Source, aid: str | None, force: bool, problems: Problems, report: Report
) -> None:
    if problems.has_errors():  # a CSV file of a folder that could not be read
        _refused(problems, report)
        return
    # Which assessment, from the first rows; then every row, as far as this assessment's roster can need.
    heads = opened.heads(problems)
    chosen = _which_assessment(_probe(heads), aid, problems) if heads is not None else None
    if chosen is None:
        report.problems(problems)
        report.stop(Ending.USAGE)
        return
    loaded, status = load_assessment(root, chosen, problems)
    if loaded is None:
        report.problems(problems)
        report.stop(status, *([] if status is Ending.USAGE else ["数据有错误，没有导入。改正上面列出的错误后再运行。"]))
        return
    layout = build_layout(loaded.rubric, loaded.raw, loaded.units, Problems())
    sheets = opened.read(row_limit(layout), problems)
    if sheets is None:
        report.problems(problems)
        report.stop(Ending.USAGE)
        return
    if problems.has_errors():  # beyond what a score sheet holds, or a formula without its value
        _refused(problems, report)
        return
    imported = Imported()
    for sheet in sheets:
        read_sheet(sheet, imported, problems)
    report.tell(f"读取评分表 {source.name}：", *count_against_roster(layout, imported.counts, problems))
    _check_digest(loaded, imported, problems)
    if not imported.covered:
        problems.error(Loc(source.name), "评分表中没有可以导入的工作表", "导入 kaoping sheet 生成、填好的评分表。")
    if problems.has_errors():
        _refused(problems, report)
        return
    # Cells a spreadsheet would run as formulas are refused, but the rest is still checked: the clerk corrects
    # every cell after one import, not a second list after the next.
    refuse_formulas(imported, problems)
    _apply(root, loaded, imported, force, problems, report)


def _probe(heads: Sequence[SourceSheet]) -> Imported:
    """What the first rows of the worksheets say (the assessment's code), their problems set aside."""
    probe = Imported()
    for sheet in heads:
        read_sheet(sheet, probe, Problems())
    return probe


#: How an import that found errors ends, whichever step found them.
_NOT_IMPORTED = "评分表有错误，没有导入。改正上面列出的格子后再导入。"


def _refused(problems: Problems, report: Report) -> None:
    report.problems(problems)
    report.stop(Ending.DATA, _NOT_IMPORTED)


def _check_digest(loaded: Loaded, imported: Imported, problems: Problems) -> None:
    digest = rubric_digest(loaded.rubric)
    for value, loc in imported.digests[:1]:
        if value != digest:
            problems.warning(
                loc,
                f"评分表是按另一版本的细则生成的（细则校验码 {value}，现在是 {digest}）；已按现在的细则逐格检查",
                "细则的指标或规则改过时，用 kaoping sheet 重新生成评分表，把填好的内容抄过去。",
            )


def refuse_formulas(imported: Imported, problems: Problems) -> None:
    """Text a spreadsheet would run as a formula is refused in every column that is not a number: the
    results CSV files are opened in Excel by the office (see :mod:`generator.data.formulas`)."""
    for name, records in imported.records.items():
        table = TABLES_BY_NAME[name]
        for record in records:
            if not isinstance(record.origin, Origin):
                continue
            for key, text in record.cells.items():
                if not formula_like(text):
                    continue
                title, shown = table.column(key).title, text if len(text) <= 20 else text[:20] + "……"
                if key in NUMBERS_ONLY:
                    problems.error(
                        record.origin.loc(key),
                        f"「{title}」只能填数字，这一格是公式文字（{shown}）",
                        "填写阿拉伯数字，例如 1 或 0.5。",
                    )
                    continue
                problems.error(
                    record.origin.loc(key),
                    f"「{title}」以「{text[0]}」开头（{shown}）：写进 results/ 的 CSV 文件后，"
                    "用 Excel 或 WPS 打开时会被当作公式，所以没有导入",
                    "改写这一格，不要以 = + - @ 开头：去掉开头的符号，或在前面加上文字。",
                )


def _apply(root: Path, loaded: Loaded, imported: Imported, force: bool, problems: Problems, report: Report) -> None:
    """Check what the import changes in a scratch copy, then write it (existing different data: with ``force``)."""
    chosen = loaded.rubric.id
    changes = merge(loaded, imported)
    if not changes:
        report.problems(problems)
        if problems.has_errors():
            report.stop(Ending.DATA, _NOT_IMPORTED)
            return
        report.tell(f"没有变化：评分表的内容与 {RESULTS_DIR}/{chosen}/ 中的考核结果相同，没有写入文件。")
        return
    in_sheet, elsewhere = check_scratch(root, loaded, changes)
    # A cell refused as a formula (the only errors so far) is not said again by the checker, in other words.
    refused_at = {p.loc for p in problems.errors}
    problems.extend(Problems([p for p in in_sheet if p.loc not in refused_at]))
    report.problems(problems)
    if problems.has_errors():
        report.stop(Ending.DATA, _NOT_IMPORTED)
        return
    conflicts = [c for c in changes if c.existing]
    if conflicts and not force:
        report.stop(
            Ending.DATA,
            f"{RESULTS_DIR}/{chosen}/ 中已有不同的考核结果，没有写入：",
            *(
                f"  {'、'.join(f.rsplit('/', 1)[-1] for f in c.files)}："
                f"原有 {len(c.existing)} 行，导入后 {len(c.rows)} 行（{c.table.title}）"
                for c in conflicts
            ),
            "确认用评分表的内容替换时，加 --force 重新运行。",
        )
        return
    try:
        report.tell(*_write(root, chosen, changes))
    except HalfWritten as exc:
        report.stop(Ending.DATA, half_written_words(exc, root) + "。")
        return
    except OSError as exc:
        report.stop(
            Ending.DATA,
            f"无法写入 {RESULTS_DIR}/{chosen}/：{os_error_words(exc)}。"
            "文件是否正在 Excel 或 WPS 中打开？关闭后再导入；原有的文件没有改动。",
        )
        return
    errors = Problems([p for p in elsewhere.errors])
    if errors.items:
        report.note(
            f"\n以下问题不在评分表中（在 {RESULTS_DIR}/{chosen}/ 原有的文件里，例如单位名册），"
            f"导入不受影响；发布前须处理："
        )
        report.problems(errors)
    report.tell(f"下一步：kaoping check {chosen} 检查，kaoping score {chosen} 查看得分。")


def _write(root: Path, aid: str, changes: Sequence[Change]) -> list[str]:
    """Write the changed tables; what was written, for the clerk."""
    folder = root / RESULTS_DIR / aid
    # Keep the office's own spelling of a file name (Entries.CSV) when there is one.
    targets = [
        next(
            (p for p in (root / f for f in c.files) if p.name.lower() == f"{c.table.name}.csv"),
            folder / f"{c.table.name}.csv",
        )
        for c in changes
    ]
    # Every new table is written before any file is replaced or removed: a failure leaves the folder as it was.
    write_all([(target, change.data) for change, target in zip(changes, targets, strict=True) if change.rows])
    said = [f"已导入到 {RESULTS_DIR}/{aid}/："]
    for change, target in zip(changes, targets, strict=True):
        old = [root / f for f in change.files]
        if not change.rows and target.exists():
            target.unlink()
        for path in old:
            if path != target and path.exists():
                path.unlink()
        merged = [p.name for p in old if p != target]
        if change.rows:
            words = f"{target.name}：{change.table.title} {len(change.rows)} 行"
        else:
            words = f"{change.table.title}：没有记录，已删除 {target.name}"
        if merged:
            words += f"（原有的 {'、'.join(merged)} 已合并进来并删除）" if change.rows else f"、{'、'.join(merged)}"
        said.append(f"  {words}")
    return said
