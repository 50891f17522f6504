"""``kaoping new``: start next year's assessment from the latest rubric of a series and its unit registry.

The rubric is copied as text, with only its ``id`` and ``year`` changed, so its comments and layout
stay as the office wrote them; the registry is copied with 考核状态 and 状态说明 cleared, so that
every unit has to be assessed again.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from generator.data.check import ASSESSMENT_ID, check_rubric
from generator.data.csvread import decode, delimiter, parse_table
from generator.data.load import RESULTS_DIR, RUBRICS_DIR, load_rubric, read_bytes, read_rubric_text, relative
from generator.data.problems import Loc, Problems, os_error_words
from generator.data.tables import UNITS, normalize_header, table_for_file
from generator.engine.models import Rubric
from generator.office.carry import carried_file
from generator.office.outputfile import HalfWritten, half_written_words, project_lock, write_all
from generator.office.report import Ending, Report
from generator.site.progress import Progress

#: Lines still naming the old year that are listed for the clerk to review (the rest are counted).
SHOWN_LINES = 12


@dataclass(frozen=True)
class Source:
    rubric: Rubric
    file: str


def _rubrics(root: Path) -> list[Source]:
    """Every rubric that reads without errors (a broken one cannot be a source)."""
    out = []
    for path in sorted((root / RUBRICS_DIR).glob("*.y*ml")):
        problems = Problems()
        rubric = load_rubric(path, root, problems)
        if rubric is not None and not problems.has_errors():
            out.append(Source(rubric, relative(path, root)))
    return out


def _latest(sources: list[Source]) -> Source:
    return max(sources, key=lambda s: (s.rubric.year, s.rubric.id))


def _choose(sources: list[Source], year: int, source: str | None, new_id: str | None) -> Source | str:
    """The rubric to copy, or why there is none (a message for the clerk)."""
    if source is not None:
        found = [s for s in sources if s.rubric.id == source]
        if not found:
            known = "、".join(s.rubric.id for s in sources) or "（没有）"
            return f"没有考核 {source} 的细则（或细则有错误，运行 kaoping check {source} 查看）。已有的考核：{known}"
        return found[0]
    series: dict[str, list[Source]] = {}
    for s in sources:
        series.setdefault(s.rubric.series_id, []).append(s)
    if not series:
        return f"{RUBRICS_DIR}/ 中没有可以复制的细则。"
    if new_id is not None:
        # --id wujin-2018 names its series: the one whose latest id, with the year replaced, is that id.
        matching = [
            k for k, v in series.items() if _renamed(_latest(v).rubric, year) == new_id or new_id.startswith(k + "-")
        ]
        if len(matching) == 1:
            return _latest(series[matching[0]])
    if len(series) == 1:
        return _latest(next(iter(series.values())))
    listed = "；".join(
        f"{k}（最近一项 {_latest(v).rubric.id}，{_latest(v).rubric.year} 年度）" for k, v in sorted(series.items())
    )
    return (
        f"有几个系列的考核，不知道从哪一项开始：{listed}。"
        f"用 --from 考核代码 指定，例如 --from {_latest(sources).rubric.id}。"
    )


def _renamed(rubric: Rubric, year: int) -> str | None:
    """The old id with its year replaced by ``year`` (the last occurrence), or None when it has no year."""
    old = str(rubric.year)
    at = rubric.id.rfind(old)
    if at < 0:
        return None
    return rubric.id[:at] + str(year) + rubric.id[at + len(old) :]


def _top_level(key: str, value: str) -> re.Pattern[str]:
    """A top-level ``key: value`` line (the value possibly quoted, a comment after it kept)."""
    return re.compile(rf"^({re.escape(key)}:[ \t]*)(['\"]?){re.escape(value)}\2(?=[ \t]*(#.*)?$)", re.MULTILINE)


def new_rubric_text(text: str, rubric: Rubric, new_id: str, year: int) -> str | None:
    """The rubric's text for the new year: id and year changed, a series added when it had none; None when the
    lines are not found."""
    out, ids = _top_level("id", rubric.id).subn(lambda m: f"{m.group(1)}{m.group(2)}{new_id}{m.group(2)}", text)
    out, years = _top_level("year", str(rubric.year)).subn(lambda m: f"{m.group(1)}{m.group(2)}{year}{m.group(2)}", out)
    if ids != 1 or years != 1:
        return None
    if not re.search(r"^series:", out, re.MULTILINE):
        # Without a series the two years would not be paired on the unit pages: name the old id as the series.
        out = re.sub(
            r"^(year:.*\n)", lambda m: f"{m.group(1)}series: {rubric.series_id}\n", out, count=1, flags=re.MULTILINE
        )
    return out


def cleared_registry(data: bytes, file: str, problems: Problems) -> tuple[bytes, int] | None:
    """The registry with 考核状态 and 状态说明 emptied; (bytes as UTF-8 with BOM, number of units)."""
    try:
        text, _encoding = decode(data)
    except UnicodeDecodeError:
        problems.error(Loc(file), "单位名册的编码无法识别", "用 Excel 或 WPS 另存为 CSV UTF-8。")
        return None
    separator = delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        problems.error(Loc(file), f"单位名册的 CSV 格式错误：{exc}", "在 Excel 或 WPS 中打开后重新另存为 CSV。")
        return None
    header_at = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if header_at is None:
        problems.error(Loc(file), "单位名册是空的", "先在上一年的名册中列出单位。")
        return None
    clear: list[int] = []
    for column in (UNITS.column("status"), UNITS.column("status_note")):
        names = {normalize_header(a) for a in (column.name, column.title, *column.aliases)}
        clear += [i for i, cell in enumerate(rows[header_at]) if normalize_header(cell) in names]
    units = 0
    for row in rows[header_at + 1 :]:
        if any(c.strip() for c in row):
            units += 1
            for i in clear:
                if i < len(row):
                    row[i] = ""
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig"), units


def start_year(
    root: Path, year: int, *, source: str | None, new_id: str | None, progress: Progress | None = None
) -> Report:
    """``kaoping new``: copy the rubric and the registry for ``year``, under the project's lock (a second
    ``new`` or an import at the same time waits)."""
    report = Report()
    if not (root / RUBRICS_DIR).is_dir():
        return report.stop(Ending.USAGE, f"找不到细则目录 {RUBRICS_DIR}/。在项目目录下运行，或用 --root 指定项目目录。")
    if not 1949 <= year <= 2999:
        return report.stop(Ending.USAGE, f"年度 {year} 不像是一个考核年度，写四位数的年份，例如 2021。")
    sources = _rubrics(root)
    chosen = _choose(sources, year, source, new_id)
    if isinstance(chosen, str):
        return report.stop(Ending.USAGE, chosen)
    target = _target(chosen.rubric, year, new_id, report)
    if target is None:
        return report
    if _taken(root, report, sources, chosen, target, year):
        return report
    with project_lock(root, progress) as refused:
        if refused is not None:
            return report.stop(Ending.DATA, refused)
        if _taken(root, report, _rubrics(root), chosen, target, year):  # made meanwhile, by another kaoping new
            return report
        return _make_year(root, report, chosen, target, year)


def _taken(root: Path, report: Report, sources: list[Source], chosen: Source, target: str, year: int) -> bool:
    """Whether the series already has ``year`` under another code, or ``target`` exists (said in ``report``)."""
    same_year = [s for s in sources if s.rubric.series_id == chosen.rubric.series_id and s.rubric.year == year]
    if same_year and same_year[0].rubric.id != target:
        had = same_year[0]
        report.stop(
            Ending.DATA,
            f"考核系列 {had.rubric.series_id} 已有 {year} 年度的考核 {had.rubric.id}（{had.file}），"
            f"同一系列每年只能有一项考核，没有改动任何文件。要重新开始这一年，先删除或改名 {had.file}；"
            f"另起一个系列时，在新细则中改写 series。",
        )
        return True
    return _exists(root, report, sources, target)


def _exists(root: Path, report: Report, sources: list[Source], target: str) -> bool:
    """Whether the assessment ``target`` already exists (said in ``report``)."""
    existing = [
        root / RUBRICS_DIR / f"{target}.yml",
        root / RUBRICS_DIR / f"{target}.yaml",
        root / RESULTS_DIR / target,
    ]
    existing = [p for p in existing if p.exists()] + [root / s.file for s in sources if s.rubric.id == target]
    if existing:
        where = "、".join(dict.fromkeys(relative(p, root) for p in existing))
        report.stop(
            Ending.DATA,
            f"考核 {target} 已经存在（{where}），没有改动任何文件。"
            f"要重新开始，先删除或改名这些文件；或用 --id 换一个代码。",
        )
    return bool(existing)


def _make_year(root: Path, report: Report, chosen: Source, target: str, year: int) -> Report:
    """The new year's files (under the project's lock)."""
    copied = _new_rubric(root, chosen, target, year, report)
    if copied is None:
        return report
    text, new_text = copied
    rubric_file = f"{RUBRICS_DIR}/{target}.yml"
    problems = Problems()
    registries, written = _new_registries(root, chosen.rubric, target, problems)
    if problems.has_errors():
        report.problems(Problems(problems.errors))
        return report.stop(Ending.DATA, "单位名册有错误，没有写入文件。先改正上一年的单位名册。")
    tasks = carried_file(root, chosen.rubric.id)
    extra = [(root / RESULTS_DIR / target / "rectification.csv", tasks[0])] if tasks is not None else []
    try:
        copies = [(root / f, d) for f, d, _units in written]
        write_all([(root / rubric_file, new_text.encode("utf-8")), *copies, *extra])
    except HalfWritten as exc:
        return report.stop(Ending.DATA, half_written_words(exc, root) + "。")
    except OSError as exc:
        return report.stop(Ending.DATA, f"无法写入新年度的文件：{os_error_words(exc)}。没有改动任何文件。")
    tasks_line = _tasks_line(chosen.rubric.id, target, tasks)
    report.tell(*_started(chosen, rubric_file, text, new_text, target, year, written, registries, root, tasks_line))
    return report


def _tasks_line(old_id: str, target: str, tasks: tuple[bytes, int, int] | None) -> str:
    """What ``kaoping new`` says of the rectification tasks it wrote (see generator.office.carry)."""
    if tasks is None:
        return f"  {old_id} 还没有可以计分的考核结果，没有生成整改任务（{RESULTS_DIR}/{target}/rectification.csv）"
    _data, carried, found = tasks
    return (
        f"  {RESULTS_DIR}/{target}/rectification.csv：整改任务 {carried + found} 项"
        f"（{old_id} 的扣分项 {found} 项，以前年度仍未完成的 {carried} 项），"
        "请各单位填写整改目标、措施、进度、责任人和完成时限"
    )


def _target(old: Rubric, year: int, new_id: str | None, report: Report) -> str | None:
    """The new assessment's code, or None (with the reason in ``report``)."""
    if year == old.year:
        report.stop(Ending.USAGE, f"考核 {old.id} 就是 {year} 年度的；新年度应是另一年，例如 {year + 1}。")
        return None
    target = new_id if new_id is not None else _renamed(old, year)
    if target is None:
        report.stop(
            Ending.USAGE,
            f"考核代码 {old.id} 中没有年份 {old.year}，无法自动得出新代码。用 --id 指定，例如 --id {old.id}-{year}。",
        )
        return None
    if not ASSESSMENT_ID.match(target):
        report.stop(
            Ending.USAGE,
            f"新代码「{target}」不能用：只用小写字母、数字和连字符，以字母或数字开头，例如 {old.series_id}-{year}。",
        )
        return None
    return target


def _new_rubric(root: Path, chosen: Source, target: str, year: int, report: Report) -> tuple[str, str] | None:
    """(old text, new text) of the rubric, checked; None (with the reason in ``report``) when it cannot be made."""
    old = chosen.rubric
    problems = Problems()
    raw = read_bytes(root / chosen.file, chosen.file, problems)
    if raw is None:
        report.problems(problems)
        report.stop(Ending.DATA)
        return None
    text = raw.decode("utf-8-sig")
    new_text = new_rubric_text(text, old, target, year)
    if new_text is None:
        report.stop(
            Ending.DATA,
            f"{chosen.file} 中找不到顶层的 id: {old.id} 和 year: {old.year} 两行，无法自动修改。"
            f"请手工复制细则并修改这两行。",
        )
        return None
    rubric = read_rubric_text(new_text, f"{RUBRICS_DIR}/{target}.yml", problems)
    if rubric is not None:
        check_rubric(rubric, problems)
    if rubric is None or problems.has_errors():
        report.problems(Problems(problems.errors))
        report.stop(
            Ending.DATA, f"复制后的细则有错误（原细则 {chosen.file} 的错误也会带过来），没有写入文件。先改正错误。"
        )
        return None
    return text, new_text


def _new_registries(
    root: Path, old: Rubric, target: str, problems: Problems
) -> tuple[list[Path], list[tuple[str, bytes, int]]]:
    """The old registries and their copies for ``target`` (file, bytes, units), 考核状态 cleared."""
    folder = root / RESULTS_DIR / old.id
    registries = []
    if folder.is_dir():
        registries = sorted(p for p in folder.glob("*") if p.is_file() and table_for_file(p.name) is UNITS)
    written: list[tuple[str, bytes, int]] = []
    for path in registries:
        file = relative(path, root)
        data = read_bytes(path, file, problems, what="单位名册")
        cleared = cleared_registry(data, file, problems) if data is not None else None
        if cleared is None:
            continue
        data, units = cleared
        new_file = f"{RESULTS_DIR}/{target}/{path.name}"
        parse_table(data, new_file, UNITS, problems)
        written.append((new_file, data, units))
    return registries, written


def _started(
    chosen: Source,
    rubric_file: str,
    text: str,
    new_text: str,
    target: str,
    year: int,
    written: list[tuple[str, bytes, int]],
    registries: list[Path],
    root: Path,
    tasks_line: str,
) -> list[str]:
    old = chosen.rubric
    out = [f"已开始 {year} 年度的考核 {target}："]
    added = "，并写明 series 与上一年配对" if not re.search(r"^series:", text, re.MULTILINE) else ""
    out.append(f"  {rubric_file}：由 {chosen.file} 复制，id 改为 {target}，year 改为 {year}{added}")
    for (new_file, _data, units), path in zip(written, registries, strict=True):
        out.append(f"  {new_file}：由 {relative(path, root)} 复制，{units} 个单位，考核状态和状态说明已清空")
    if not written:
        out.append(f"  {old.id} 没有单位名册，请建立 {RESULTS_DIR}/{target}/units.csv")
    out.append(tasks_line)
    lines = [
        (n, line.strip())
        for n, line in enumerate(new_text.splitlines(), start=1)
        if str(old.year) in line and not re.match(r"^(id|year):", line)
    ]
    if lines:
        out.append(f"细则中还有 {len(lines)} 处写着 {old.year}（标题、说明、注释等），请按新年度的考核文件核对修改：")
        for n, line in lines[:SHOWN_LINES]:
            out.append(f"  第 {n} 行：{line[:60]}{'……' if len(line) > 60 else ''}")
        if len(lines) > SHOWN_LINES:
            out.append(f"  ……另有 {len(lines) - SHOWN_LINES} 处")
    return out + [
        "下一步：",
        f"  1. 按新年度的考核文件修改细则 {rubric_file}（指标、分值、评分标准的变化），"
        f"改完运行 kaoping check {target}；",
        f"  2. 核对单位名册 {RESULTS_DIR}/{target}/units.csv：新增、撤并的单位，联络组；",
        f"  3. 运行 kaoping sheet {target} 生成评分表，交考核组填写；填好后用 kaoping import 导入。",
        f"还没有录入考核记录时，kaoping check 只提示一次，网站只发布 {target} 的考核标准；录入之后，"
        f"没有考核记录、名册中也没有写明考核状态的单位会报错（{target} 的结果不能发布）。",
    ]
