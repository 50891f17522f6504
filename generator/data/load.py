"""Load: the only module that reads ``rubrics/`` and ``results/``.

It reads files and turns them into models with every location kept; it judges nothing beyond the
syntax and the declared shape. Meaning is checked by :mod:`generator.data.check`.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.data.characters import mixed_words, undecodable
from generator.data.csvread import MAX_CSV_BYTES, parse_table
from generator.data.headertable import HEADER_LOOK, header_table
from generator.data.problems import Loc, Problems, os_reason
from generator.data.projectfiles import (
    DEFAULT_LIMIT,
    Refused,
    TooBig,
    inside,
    outside_words,
    read_regular,
    read_start,
)
from generator.data.sample import README_NAMES, sample_line
from generator.data.tables import TABLE_SUFFIXES, TABLES, Table, table_for_file
from generator.data.yamlcompose import MAX_YAML_BYTES, compose
from generator.data.yamlread import Reader
from generator.engine.models import Rubric
from generator.engine.results import Notice, RawResults, Row
from generator.engine.yearrecords import YearRecords

RUBRICS_DIR = "rubrics"
RESULTS_DIR = "results"
#: Files in a results folder that are not tables (read by later steps).
OTHER_RESULT_FILES = {"notice.yml", "notice.yaml", "README.md", "readme.md"}
#: Workbooks a results table may have been saved as instead of CSV (WPS saves .et).
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".ods"}


@dataclass
class Project:
    root: Path
    #: Rubrics by assessment id, with the file each came from (relative to the root).
    rubrics: dict[str, tuple[Rubric, str]] = field(default_factory=dict)
    results: dict[str, RawResults] = field(default_factory=dict)
    #: Notice metadata (results/<id>/notice.yml) by assessment id.
    notices: dict[str, Notice] = field(default_factory=dict)
    #: Letters, objections, rectification and votes of every results folder, checked (generator.data.year).
    year: dict[str, YearRecords] = field(default_factory=dict)


def relative(path: Path, root: Path) -> str:
    try:
        # The folder resolved, not the file: a link is named where it sits, not where it points.
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_rubric_text(text: str, file: str, problems: Problems) -> Rubric | None:
    """Parse one rubric's YAML text (pure: the text is already read)."""
    node = compose(text, file, problems)
    if node is None:
        return None
    rubric: Rubric | None = Reader(file, problems).read(Rubric, node)
    return rubric


def assessment_ids(root: Path) -> list[str]:
    """The assessments that have a rubric file (named by its file, as the rubric's id must be)."""
    return sorted({p.stem for p in (root / RUBRICS_DIR).glob("*.y*ml")})


def known_assessments(root: Path) -> str:
    """The assessments that have a rubric, for messages that name one that does not."""
    return "、".join(assessment_ids(root)) or "（没有）"


def read_bytes(
    path: Path,
    file: str,
    problems: Problems,
    limit: int | None = None,
    what: str = "细则文件",
    hint: str = "",
    root: Path | None = None,
) -> bytes | None:
    """The file's bytes, or None with a located problem: outside ``root`` (when given), not a regular file
    (a FIFO, a device, a broken link), unreadable (no permission), or too big (refused before it is read,
    and the read is bounded whatever the file claims). See :mod:`generator.data.projectfiles`."""
    bound = limit if limit is not None else DEFAULT_LIMIT
    try:
        return read_regular(path, bound, root)
    except Refused as exc:
        problems.error(Loc(file), exc.message, exc.hint)
    except TooBig as exc:
        problems.error(
            Loc(file),
            f"{what}太大（{exc.size // 1024 // 1024} MB，上限 {bound // 1024 // 1024} MB）",
            hint or f"{what[:2]}一般只有几百 KB；检查是否误把其他数据粘贴进了文件。",
        )
    except OSError as exc:
        problems.error(
            Loc(file),
            f"无法读取这个文件：{os_reason(exc)}",
            "检查文件是否存在（不是失效的快捷方式或链接）、是否有读取权限。",
        )
    return None


def _yaml_text(path: Path, root: Path, file: str, problems: Problems, what: str) -> str | None:
    """A YAML file's text: a regular file inside the project, within the size limit and UTF-8, or None
    with a located problem."""
    data = read_bytes(path, file, problems, MAX_YAML_BYTES, what, root=root)
    if data is None:
        return None
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = undecodable(body, exc.start, "utf-8")
        loc = Loc(file, where.line, where.column)
        words = mixed_words(where, what)
        if words is not None:
            problems.error(loc, *words)
        else:
            looks = f"（看起来是 {where.line_looks_like} 编码）" if where.line_looks_like else ""
            problems.error(loc, f"{what}不是 UTF-8 编码{looks}", "用记事本或 VS Code 另存为 UTF-8。")
        return None


def load_rubric(path: Path, root: Path, problems: Problems) -> Rubric | None:
    file = relative(path, root)
    text = _yaml_text(path, root, file, problems, "细则文件")
    return read_rubric_text(text, file, problems) if text is not None else None


def load_notice(path: Path, root: Path, problems: Problems) -> Notice | None:
    file = relative(path, root)
    text = _yaml_text(path, root, file, problems, "通报文件")
    if text is None:
        return None
    node = compose(text, file, problems)
    if node is None:
        return None
    notice: Notice | None = Reader(file, problems).read(Notice, node)
    return notice


def load_results(folder: Path, root: Path, problems: Problems) -> RawResults:
    tables: dict[str, list[Row]] = {t.name: [] for t in TABLES}
    files: list[str] = []
    for path in sorted(folder.iterdir()):
        file = relative(path, root)
        if path.name.startswith("."):
            continue
        if path.is_dir():
            _folder_among_results(path, file, problems)
            continue
        table = table_for_file(path.name)
        if table is None and _results_workbook(path.name):
            # Not a warning: the office meant this as results, and skipping it would publish no deductions.
            problems.error(
                Loc(file),
                "考核结果保存成了 Excel 或 WPS 工作簿；程序只读 CSV，这个文件没有读取",
                f"在 Excel 或 WPS 中打开，用“另存为”保存成 CSV（逗号分隔）或 CSV UTF-8：{path.stem}.csv。",
            )
            continue
        if table is None:
            if path.name not in OTHER_RESULT_FILES:
                _unknown_file(path, file, root, problems)
            continue
        files.append(file)
        data = read_bytes(path, file, problems, MAX_CSV_BYTES, "考核结果文件", "按联络组拆分成几个文件。", root)
        if data is not None:
            tables[table.name].extend(parse_table(data, file, table, problems))
    return RawResults(
        assessment=folder.name,
        folder=relative(folder, root),
        files=tuple(files),
        sample=_sample_marker(folder, root, problems),
        **{name: tuple(rows) for name, rows in tables.items()},
    )


def _unknown_file(path: Path, file: str, root: Path, problems: Problems) -> None:
    """A file not named like a results file is not read: refused when its header is a table's (its records would
    be left out of the scores without a word), else only warned of (the office's own lists and notes)."""
    table = _table_by_header(path, root)
    if table is None:
        problems.warning(
            Loc(file),
            "不认识这个文件，未读取",
            "结果文件名应以 "
            + "、".join(f"{t.prefix}" for t in TABLES)
            + " 开头、以 .csv（或 Excel“Unicode 文本”的 .txt）结尾，例如 entries-第一组.csv。",
        )
        return
    stem, suffix = os.path.splitext(path.name)
    rest = stem[len(table.prefix) :].lstrip("-_. ") if stem.lower().startswith(table.prefix) else stem
    problems.error(
        Loc(file),
        f"表头是{table.title}（{table.prefix}）的表头，文件名却不以 {table.prefix}- 开头："
        "程序不认识这个文件名，没有读取，其中的记录不会计入考核结果",
        f"是这次考核的{table.title}的，改名为以 {table.prefix}- 开头，例如 {table.prefix}-{rest}{suffix}"
        f"（同一种表可拆成几个文件 {table.prefix}-*.csv，合并读取）；是备份、旧版本或别的表格的，移到 results/ 以外。",
    )


def _table_by_header(path: Path, root: Path) -> Table | None:
    """The table whose header the .csv or .txt file at ``path`` has (:func:`header_table`), read from the start of
    the file only; None for other files and for one that cannot be read (a link out of the project, a FIFO)."""
    if not path.name.lower().endswith(TABLE_SUFFIXES):
        return None
    try:
        return header_table(read_start(path, HEADER_LOOK, root))
    except (Refused, OSError):
        return None


#: A folder among the results is looked through this far for results files (a huge folder is not walked whole).
_FOLDER_LOOK = 5000


def _results_inside(path: Path) -> list[str]:
    """The results files (and workbooks named like them) in ``path`` and its folders, relative to it; links are
    not followed. Raises OSError when the folder cannot be read."""
    found: list[str] = []
    seen = 0
    for folder, dirs, names in os.walk(path, onerror=_raise):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            seen += 1
            if seen > _FOLDER_LOOK:
                return found
            if _results_workbook(name) or table_for_file(name) is not None:
                found.append(os.path.relpath(os.path.join(folder, name), path).replace(os.sep, "/"))
    return found


def _results_workbook(name: str) -> bool:
    """A workbook named like a results file (``entries.xlsx``): results saved in the wrong format."""
    stem, suffix = os.path.splitext(name)
    return suffix.lower() in WORKBOOK_SUFFIXES and table_for_file(stem + ".csv") is not None


def _raise(exc: OSError) -> None:
    raise exc


def _folder_among_results(path: Path, file: str, problems: Problems) -> None:
    """A folder beside the results files is not read. One named like a results file (an archive unpacked where
    it lay: ``bonus.csv.zip`` → ``bonus.csv/``) or holding results files, at any depth (the results sorted into
    folders, or a backup) would leave its tables out of the scores without a word: refused, named. Any other
    (attachments, say) is the office's; a link is not looked into (the data folders' links are checked apart)."""
    if path.is_symlink():
        return
    named = table_for_file(path.name) is not None
    try:
        inner = _results_inside(path)
    except OSError as exc:
        problems.warning(
            Loc(file + "/"),
            f"无法读取这个文件夹（{exc.strerror or exc}）：其中若有考核结果，不会计分",
            "考核结果文件放在考核的文件夹中，不放在子文件夹中；这个文件夹不需要时把它移走。",
        )
        return
    if not named and not inner:
        return
    what = "文件夹，不是考核结果文件" if named else "文件夹，里面有考核结果文件"
    shown = f"（{'、'.join(inner[:3])}{' 等' if len(inner) > 3 else ''}）" if inner else ""
    home = file.rsplit("/", 1)[0]
    problems.error(
        Loc(file + "/"),
        f"这是一个{what}{shown}；文件夹中的文件不读取，其中的结果不会计分",
        f"是这次考核的结果的，把这些文件移到 {home}/ 下（同一种表可拆成几个文件，例如 entries-第一组.csv），"
        "再删除这个文件夹；是备份或旧版本的，移到 results/ 以外"
        + ("（压缩文件“解压到当前文件夹”会建出这样的文件夹）。" if named else "。"),
    )


def _outside(folder: Path, root: Path, problems: Problems) -> bool:
    """A data folder that is a link out of the project: refused (with a problem), not read."""
    if inside(folder, root):
        return False
    refused = outside_words(folder)
    problems.error(Loc(folder.relative_to(root).as_posix() + "/"), refused.message, refused.hint)
    return True


def _sample_marker(folder: Path, root: Path, problems: Problems) -> Loc | None:
    """Where the folder's README says its results are sample data (see :mod:`generator.data.sample`)."""
    for name in README_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        file = relative(path, root)
        data = read_bytes(path, file, problems, MAX_YAML_BYTES, "说明文件")
        line = sample_line(data.decode("utf-8-sig", errors="replace")) if data is not None else None
        if line is not None:
            return Loc(file, line)
    return None


def load_project(root: Path, problems: Problems, only: set[str] | None = None) -> Project:
    """Read every rubric and results folder under ``root`` (or only the assessments in ``only``)."""
    project = Project(root)
    rubric_dir = root / RUBRICS_DIR
    if not rubric_dir.is_dir():
        problems.error(Loc(RUBRICS_DIR), "找不到细则目录 rubrics/", "在项目根目录下运行，或用 --root 指定项目目录。")
        return project
    if _outside(rubric_dir, root, problems):
        return project
    unreadable: dict[str, str] = {}
    for path in sorted(rubric_dir.glob("*.y*ml")):
        if only is not None and path.stem not in only:
            continue
        rubric = load_rubric(path, root, problems)
        if rubric is None:
            unreadable[path.stem] = relative(path, root)
            continue
        file = relative(path, root)
        if rubric.id in project.rubrics:
            other = project.rubrics[rubric.id][1]
            problems.error(
                rubric.at.get("id", rubric.loc), f"考核代码 {rubric.id} 与 {other} 重复", "每份细则的 id 必须不同。"
            )
            continue
        project.rubrics[rubric.id] = (rubric, file)
    results_dir = root / RESULTS_DIR
    if results_dir.is_dir() and not _outside(results_dir, root, problems):
        for folder in sorted(p for p in results_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if only is not None and folder.name not in only:
                continue
            if _outside(folder, root, problems):
                continue
            if folder.name in unreadable:
                # Not "no rubric for this folder": the rubric is there but could not be read.
                problems.warning(
                    Loc(relative(folder, root)),
                    f"细则 {unreadable[folder.name]} 有错误，暂不检查这里的考核结果",
                    "先改正细则中的错误。",
                )
                continue
            project.results[folder.name] = load_results(folder, root, problems)
            for name in ("notice.yml", "notice.yaml"):
                # Not is_file(): a FIFO or a broken link named notice.yml is refused, not passed over.
                if os.path.lexists(folder / name):
                    notice = load_notice(folder / name, root, problems)
                    if notice is not None:
                        project.notices[folder.name] = notice
    return project
