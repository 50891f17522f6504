"""The results tables: which CSV files an office keeps, their columns, and how they are parsed.

Parsing is pure (bytes in, rows out); :mod:`generator.data.load` does the reading from disk.
Files come as offices produce them: UTF-8 with or without BOM, UTF-16 (Excel "Unicode text"),
GB18030/GBK as saved by Excel on Chinese Windows; Chinese or English headers.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from generator.data.characters import (
    HINT,
    code_point,
    mixed_words,
    refused_in,
    text_before_line,
    undecodable,
    why,
)
from generator.data.characters import refused as refused_char
from generator.data.problems import Loc, Problems
from generator.engine.results import Row

MAX_CSV_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    doc: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    #: Internal columns (assessor notes, phone numbers) are read but never published.
    internal: bool = False
    #: A code that refers to something (a unit, an item, a rule): spaces around it are reported.
    code: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    #: File names that hold this table inside ``results/<assessment>/`` (``entries*.csv``).
    prefix: str
    doc: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _unit() -> Column:
    return Column("unit", "单位代码", "单位名册中的单位代码。", ("单位代码", "单位编号", "单位id", "unit_id"), True, code=True)


def _internal_note() -> Column:
    return Column("note", "内部备注", "只供考核办公室看的备注，不发布。", ("内部备注", "备注（内部）", "考核人备注"), internal=True)


UNITS = Table(
    "units",
    "单位名册",
    "units",
    "每个被考核单位一行。",
    (
        Column("id", "单位代码", "单位代码，用作网址，只用字母、数字和连字符，例如 `jw-01`。", ("单位代码", "代码", "编号", "单位编号"), True, code=True),
        Column("name", "单位名称", "单位全称。", ("单位名称", "名称", "单位"), True),
        Column("abbr", "简称", "考核办公室常用的简称，例如 `住建局`；可以不填。单位页面显示简称，搜索简称能找到单位。", ("简称", "单位简称", "abbr", "short_name")),
        Column("type", "单位类型", "细则 unit_types 中的类型代码或名称。", ("单位类型", "类型"), True),
        Column("group", "联络组", "联络组或分组，按组排名和列表。", ("联络组", "组别", "分组", "考核组")),
        Column("parent", "上级单位", "上级党组织（单位代码或名称）。", ("上级单位", "上级", "主管单位")),
        Column("status", "考核状态", "`已考核` 或 `不参加考核`；没有任何扣分记录的单位必须写明。", ("考核状态", "状态")),
        Column("status_note", "状态说明", "不参加考核的原因等。", ("状态说明", "说明")),
        Column(
            "members",
            "成员人数",
            "细则按人数定目标时（例如“每名班子成员每年深入联系点2次”）该单位的人数，整数；细则没有这样的规则时不填。",
            ("成员人数", "人数", "班子成员人数"),
        ),
        Column("contact", "联系人", "不发布。", ("联系人",), internal=True),
        Column("phone", "联系电话", "不发布。", ("联系电话", "电话", "手机"), internal=True),
        _internal_note(),
    ),
)

ENTRIES = Table(
    "entries",
    "扣分记录",
    "entries",
    "考核组发现的每一处问题一行（长表）：哪个单位、哪个指标、哪条规则、情况、扣（得）分和原因。",
    (
        _unit(),
        Column("item", "指标编号", "细则中的指标编号。", ("指标编号", "指标", "项目编号", "序号"), True, code=True),
        Column("rule", "规则", "指标中的规则编号；指标只有一条规则时可不填。", ("规则", "规则编号"), code=True),
        Column(
            "value",
            "情况",
            "规则需要的事实：完成次数、发生次数、超期月数、缺少的项（用顿号分隔）、比率（如 75%）、是/否。",
            ("情况", "数量", "次数", "比率", "缺项", "考核情况"),
        ),
        Column("amount", "扣分", "酌情扣分的分数；做到得分（可给部分分）时为得分。", ("扣分", "得分", "分数", "扣（得）分", "扣(得)分")),
        Column("reason", "扣分原因", "写给被考核单位看的原因。", ("扣分原因", "原因", "情况说明", "事由"), True),
        Column("assessor", "考核人", "不发布。", ("考核人", "检查人"), internal=True),
        _internal_note(),
    ),
)

BONUS = Table(
    "bonus",
    "加分申报",
    "bonus",
    "单位申报、考核办公室认定的加分，每一事项一行。",
    (
        _unit(),
        Column("bonus", "加分项目", "细则加分项目的编号。", ("加分项目", "项目", "加分项"), True),
        Column("level", "级别", "级别代码或名称，例如 `省级`；酌情加分项不填。", ("级别", "层次")),
        Column("count", "次数", "按次计分的级别填次数，默认 1。", ("次数", "数量", "个数")),
        Column("amount", "加分", "酌情加分项的分数。", ("加分", "分数", "分值")),
        Column("subject", "事项", "表彰名称或经验事迹；同一事项只按最高级别计分。", ("事项", "名称", "荣誉名称", "内容"), True),
        Column("evidence", "依据", "表彰文件、奖牌或发表处。", ("依据", "证明材料", "表彰文件")),
        Column("confirmed", "认定", "`是` 认定（默认）；`否` 不予认定，不计分。", ("认定", "是否认定", "确认")),
        _internal_note(),
    ),
)

PENALTIES = Table(
    "penalties",
    "扣分因素",
    "penalties",
    "在总分中扣减的扣分因素（通报批评、弄虚作假等）。",
    (
        _unit(),
        Column("penalty", "扣分因素", "细则 penalties 中的代码或名称。", ("扣分因素", "因素", "项目"), True),
        Column("amount", "扣分", "扣减的分数，须在细则规定的范围内。", ("扣分", "分数"), True),
        Column("reason", "事由", "写给被考核单位看的事由。", ("事由", "原因", "说明"), True),
        Column("removes_eligibility", "取消评先资格", "`是` 时同时取消评先资格（仅细则允许的因素）。", ("取消评先资格", "取消评先")),
        _internal_note(),
    ),
)

VETOES = Table(
    "vetoes",
    "否决事项",
    "vetoes",
    "发生否决事项的单位，每一事项一行。",
    (
        _unit(),
        Column("veto", "否决事项", "细则 vetoes 中的代码或名称。", ("否决事项", "事项"), True),
        Column("reason", "情况", "写给被考核单位看的情况说明。", ("情况", "事由", "说明", "原因"), True),
        Column("date", "日期", "发生日期。", ("日期", "发生日期")),
        _internal_note(),
    ),
)

PARTS = Table(
    "parts",
    "分项得分",
    "parts",
    "录入的组成部分得分（平时考核、满意度测评），每单位每部分一行。",
    (
        _unit(),
        Column("part", "组成部分", "细则 parts 中 `source: entered` 的部分代码或名称。", ("组成部分", "部分", "项目"), True),
        Column("score", "得分", "该部分的得分（按该部分的满分计）。", ("得分", "分数"), True),
        _internal_note(),
    ),
)

SELF_SCORES = Table(
    "self_scores",
    "自查分",
    "self_scores",
    "单位自查自评的分数，与考核分并列显示，不参与计分。",
    (
        _unit(),
        Column("item", "指标编号", "细则中的指标编号。", ("指标编号", "指标", "项目编号", "序号"), True, code=True),
        Column("score", "自查分", "单位自评的得分。", ("自查分", "自评分", "得分"), True),
        _internal_note(),
    ),
)

AWARDS = Table(
    "awards",
    "评定结果",
    "awards",
    "由考核办公室评定的等次（细则 grading.advanced 为 `decision` 时评定先进）。",
    (
        _unit(),
        Column("grade", "等次", "评定的等次，例如 `先进单位`。", ("等次", "评定", "评定等次"), True),
        Column("reason", "依据", "评定依据，例如会议纪要。", ("依据", "说明", "原因")),
        _internal_note(),
    ),
)

TABLES: tuple[Table, ...] = (UNITS, ENTRIES, BONUS, PENALTIES, VETOES, PARTS, SELF_SCORES, AWARDS)
TABLES_BY_NAME: Mapping[str, Table] = {t.name: t for t in TABLES}

#: Excel saves "Unicode text" (UTF-16, tab-separated) as .txt; both are read the same way.
TABLE_SUFFIXES = (".csv", ".txt")


def table_for_file(filename: str) -> Table | None:
    """``entries.csv``, ``entries-第一组.csv``, ``entries_group.txt`` → ENTRIES; anything else → None."""
    name = filename.lower()
    suffix = next((s for s in TABLE_SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        return None
    stem = name[: -len(suffix)]
    for table in sorted(TABLES, key=lambda t: -len(t.prefix)):
        if stem == table.prefix or (stem.startswith(table.prefix) and stem[len(table.prefix)] in "-_. "):
            return table
    return None


def normalize_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().strip("*").strip()
    return re.sub(r"\s+", "", text).lower()


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: (text, encoding name). Raises UnicodeDecodeError with the failing offset."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8（带 BOM）"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        if exc.reason == _CUT_SHORT or text_before_line(data, exc.start):
            # UTF-8 up to a character cut in half at the very end, or a UTF-8 file (its first lines of text
            # say so) with a line pasted from a GBK file: reading either as GB18030 would turn every
            # Chinese character of the UTF-8 lines into two others.
            raise
    text = data.decode("gb18030")
    pasted = _utf8_line(data)
    if pasted is not None:
        # A UTF-8 line in a GBK file decodes as GB18030 too, into other characters: refuse, do not garble.
        raise UnicodeDecodeError("gb18030", data, pasted, pasted + 1, _UTF8_LINE)
    return text, "GB18030"


#: The reason given for a line of UTF-8 found in a GBK file.
_UTF8_LINE = "a line in UTF-8"
#: A Chinese character (U+4E00–U+9FFF) as UTF-8 bytes.
_UTF8_HAN = re.compile(rb"[\xe4-\xe9][\x80-\xbf][\x80-\xbf]")


def _utf8_line(data: bytes) -> int | None:
    """The offset of the first non-ASCII byte of the first line, after the file's first line of text, that
    is valid UTF-8 holding Chinese characters (a GBK line is that only by a rare chance), else None."""
    first = re.search(rb"[\x80-\xff]", data)
    if first is None:
        return None
    pos = data.find(b"\n", first.start()) + 1
    while pos:
        match = _UTF8_HAN.search(data, pos)
        if match is None:
            return None
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        line = data[start : end if end != -1 else len(data)]
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            pos = end + 1
            continue
        return start + next(i for i, b in enumerate(line) if b > 0x7F)
    return None


#: How .xlsx (a zip) and .xls (an OLE compound file) begin.
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK_MAGIC = (ZIP_MAGIC, OLE_MAGIC)
#: What Python's UTF-8 and UTF-16 decoders say when the bytes end in the middle of a character.
_CUT_SHORT = "unexpected end of data"
_CUT_SHORT_UTF16 = "truncated data"


def _undecodable(data: bytes, exc: UnicodeDecodeError, file: str, problems: Problems) -> None:
    """Name the line and column where the bytes stop decoding, and what that line looks like."""
    if exc.encoding.lower().replace("-", "") not in ("utf8", "gb18030"):  # UTF-16: lines are not b"\n"
        where = None
        loc = Loc(file, data.count(b"\n", 0, exc.start) + 1)
    else:
        where = undecodable(data, exc.start, exc.encoding)
        loc = Loc(file, where.line, where.column)
    if exc.reason in (_CUT_SHORT, _CUT_SHORT_UTF16):
        problems.error(
            Loc(file, loc.line),
            "文件在一个字的中间结束，可能在复制或传输时被截断",
            "找到完整的原文件重新复制；或用 Excel 或 WPS 打开，核对最后一行后重新保存。",
        )
        return
    if data.count(b"\x00") * 8 > len(data):
        # ASCII in UTF-16 is every other byte zero: no line or column of it means anything.
        problems.error(
            Loc(file),
            "无法识别文件编码：像是不带 BOM 的 UTF-16（每个字之间夹着空字节）",
            "用 Excel 或 WPS 打开后“另存为”CSV（逗号分隔）或 CSV UTF-8。",
        )
        return
    words = mixed_words(where, "文件") if where is not None else None
    if words is not None:
        problems.error(loc, *words)
        return
    problems.error(
        loc,
        "无法识别文件编码（既不是 UTF-8，也不是 GBK/GB18030）",
        "用 Excel 或 WPS 打开后“另存为”CSV（逗号分隔）或 CSV UTF-8。",
    )


def parse_table(data: bytes, file: str, table: Table, problems: Problems) -> list[Row]:
    """Parse one CSV file of ``table``; every problem goes to ``problems`` with its line and column."""
    if len(data) > MAX_CSV_BYTES:
        problems.error(Loc(file), f"文件太大（{len(data) // 1024 // 1024} MB）", "按联络组拆分成几个文件。")
        return []
    if data.startswith(_WORKBOOK_MAGIC):
        problems.error(
            Loc(file),
            "这是 Excel 或 WPS 的工作簿文件（.xlsx / .xls），不是 CSV 文本，只是改了文件名",
            "在 Excel 或 WPS 中打开，用“另存为”保存成 CSV（逗号分隔）或 CSV UTF-8。",
        )
        return []
    try:
        text, _encoding = decode(data)
    except UnicodeDecodeError as exc:
        _undecodable(data, exc, file, problems)
        return []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text), strict=True)
    rows: list[Row] = []
    header: list[str | None] | None = None
    columns: dict[str, int] = {}
    header_line = 0
    width = 0
    start = 1
    last: tuple[list[str], int] | None = None
    codes = {c.name: c.title for c in table.columns if c.code}
    refused = 0
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            found = _refused_characters(cells, file, line, problems, refused)
            refused += found
            if found:
                if header is None:
                    return []  # a header that cannot be trusted
                if any("\ufeff" in c for c in cells):
                    last = None  # where another file begins: not a row, nor the last one
                    continue
                # Read on without them (the error stops the build): a unit's code must not turn into
                # "not in the roster" further on.
                cells = ["".join(ch for ch in c if not refused_char(ch)) for c in cells]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                if _semicolon_separated(cells, file, line, table, problems):
                    return []
                header = _read_header(cells, file, line, table, problems)
                header_line = line
                if header is None:
                    return []
                width = max(i for i, c in enumerate(cells, start=1) if c.strip())
                columns = {name: index for index, name in enumerate(header, start=1) if name is not None}
                continue
            last = (cells, line)
            rows.append(_make_row(cells, header, columns, codes, file, line, header_line, problems))
        if last is not None and len(last[0]) < width and not text.endswith(("\n", "\r")):
            # Excel and WPS write every cell of every row and end the file with a line break: a short
            # last row with no line break after it is a file cut off (and rows after it may be lost).
            cells, line = last
            rows.pop()
            problems.error(
                Loc(file, line, len(cells)),
                f"文件在这一行中间结束：只有 {len(cells)} 格，表头有 {width} 格；文件可能被截断",
                "找到完整的原文件重新复制；或用 Excel 或 WPS 打开，核对最后一行和后面是否缺了行，再重新保存。",
            )
    except csv.Error as exc:
        problems.error(
            Loc(file, start),
            f"CSV 格式错误：{_csv_error_words(str(exc))}（文件可能在一行中间被截断，或引号没有成对）",
            "检查这一行的引号；用 Excel 或 WPS 打开后重新保存。",
        )
    if refused > MAX_CHARACTER_PROBLEMS:
        problems.error(
            Loc(file),
            f"还有 {refused - MAX_CHARACTER_PROBLEMS} 处同样不允许的字符没有逐一列出",
            "改正上面列出的几处后重新检查；很多行都有时，文件可能不是文本文件，用 Excel 或 WPS 另存为 CSV。",
        )
    if header is None:
        problems.error(Loc(file, 1), f"文件是空的，没有表头（{table.title}）", "第一行写表头，例如：" + "，".join(c.title for c in table.columns if c.required) + "。")
    return rows


#: Refused characters listed one by one per file; beyond, one line says how many more there are.
MAX_CHARACTER_PROBLEMS = 20


def _refused_characters(cells: list[str], file: str, line: int, problems: Problems, before: int) -> int:
    """Report the characters no text may hold (:mod:`generator.data.characters`) in one row; returns how many
    there are. ``before`` is how many the file had in earlier rows (the listing stops at a limit)."""
    found = 0
    for column, cell in enumerate(cells, start=1):
        for offset in refused_in(cell):
            found += 1
            if before + found > MAX_CHARACTER_PROBLEMS:
                continue
            ch = cell[offset]
            loc = Loc(file, line + cell.count("\n", 0, offset), column)
            if ch != "\ufeff":
                problems.error(loc, f"这一格的第 {offset + 1} 个字是 {code_point(ch)}：{why(ch)}", HINT)
            elif column == 1 and offset == 0:
                problems.error(
                    loc,
                    f"这一行开头有 {code_point(ch)}：它本应只在文件开头，这里多半是另一个文件直接接在了后面",
                    "删去这个看不见的字符；如果这一行是另一个文件的表头，删去整行。",
                )
            else:
                problems.error(
                    loc,
                    f"这一格的第 {offset + 1} 个字处有 {code_point(ch)}：它本应只在文件开头，"
                    "这里多半是两个文件拼接在了一起（前一个文件的最后一行没有换行）",
                    "在这个位置断开成两行，删去这个看不见的字符；如果后面接的是另一个文件的表头，删去它。",
                )
    return found


def _semicolon_separated(cells: list[str], file: str, line: int, table: Table, problems: Problems) -> bool:
    """A header whose columns are separated by semicolons (Excel with a European list separator): one cell
    when split at commas, that holds two or more known headers when split at semicolons."""
    if len([c for c in cells if c.strip()]) != 1:
        return False
    parts = [p for c in cells if ";" in c for p in c.split(";")]
    lookup = _header_lookup(table)
    if sum(1 for p in parts if normalize_header(p) in lookup) < 2:
        return False
    problems.error(
        Loc(file, line, 1),
        "各列用分号（;）分隔，不是逗号：这是按欧洲语言设置保存的 CSV（Excel 的“CSV（分号分隔）”），程序读不出各列",
        "在 Excel 或 WPS 中打开，另存为“CSV UTF-8（逗号分隔）”；如果 Excel 总是用分号，"
        "把 Windows“区域设置”中的列表分隔符改为逗号后再保存。",
    )
    return True


def delimiter(text: str) -> str:
    """Excel's "Unicode text" (UTF-16) separates cells with tabs; everything else with commas.

    Decided by the first line with content, found without splitting the whole file.
    """
    first = next((m.group() for m in _LINE.finditer(text) if m.group().strip()), "")
    return "\t" if "\t" in first and "," not in first else ","


_LINE = re.compile(r"[^\r\n]+")


def _header_lookup(table: Table) -> dict[str, str]:
    """Every way a header may name a column (normalised) → the column's name."""
    lookup: dict[str, str] = {}
    for column in table.columns:
        for alias in (column.name, column.title, *column.aliases):
            lookup[normalize_header(alias)] = column.name
    return lookup


def _read_header(cells: list[str], file: str, line: int, table: Table, problems: Problems) -> list[str | None] | None:
    lookup = _header_lookup(table)
    header: list[str | None] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells, start=1):
        key = normalize_header(cell)
        if not key:
            header.append(None)
            continue
        name = lookup.get(key)
        if name is None:
            if key.startswith(("内部", "_", "#")):
                header.append(None)
                continue
            problems.warning(
                Loc(file, line, index),
                f"表头「{cell.strip()}」不是{table.title}的列，本列不读取、不发布",
                "可用的列：" + "、".join(c.title for c in table.columns) + "。",
            )
            header.append(None)
            continue
        if name in seen:
            problems.error(
                Loc(file, line, index),
                f"表头「{cell.strip()}」与第 {seen[name]} 列是同一列（{table.column(name).title}）",
                "删除重复的列。",
            )
            return None
        seen[name] = index
        header.append(name)
    missing = [c for c in table.columns if c.required and c.name not in seen]
    for column in missing:
        problems.error(
            Loc(file, line, 1),
            f"{table.title}缺少必填列「{column.title}」",
            f"在表头加一列「{column.title}」（{column.doc}）。",
        )
    if missing:
        return None
    return header


def _make_row(
    cells: list[str],
    header: list[str | None],
    columns: Mapping[str, int],
    codes: Mapping[str, str],
    file: str,
    line: int,
    header_line: int,
    problems: Problems,
) -> Row:
    """One data row; ``columns`` is the header's name → column number, ``codes`` the columns (name →
    title) whose surrounding spaces are reported."""
    values: dict[str, str] = {}
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        problems.error(
            Loc(file, line, len(header) + 1),
            f"这一行有 {len(cells)} 格，比表头（第 {header_line} 行）多",
            "检查是否有未加引号的逗号，或删除多余的格。",
        )
    for index, name in enumerate(header):
        if name is None:
            continue
        cell = cells[index] if index < len(cells) else ""
        values[name] = cell.strip()
        if name in codes and values[name] and values[name] != cell:
            where = "前后" if cell[0].isspace() and cell[-1].isspace() else ("前面" if cell[0].isspace() else "后面")
            problems.warning(
                Loc(file, line, index + 1),
                f"{codes[name]}「{cell}」{where}有空格，已按「{values[name]}」读取",
                f"删去空格，写作 {values[name]}。",
            )
    return Row(values, columns, Loc(file, line, 1))


def _csv_error_words(message: str) -> str:
    if "unexpected end of data" in message:
        return "文件在引号内结束"
    if "field larger than field limit" in message:
        return f"有一格超过 {csv.field_size_limit()} 个字符"
    if "'\"' expected" in message or "expected after" in message:
        return "引号后面应是逗号"
    return message
