"""Parsing a results table: bytes in, rows out, every problem at its line and column.

Files come as offices produce them: UTF-8 with or without BOM, UTF-16 (Excel "Unicode text"),
GB18030/GBK as saved by Excel on Chinese Windows; Chinese or English headers. Pure: reading the file
from disk is :mod:`generator.data.load`'s.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping

from generator.data.characters import (
    HINT,
    UTF16_WORDS,
    code_point,
    looks_utf16,
    mixed_words,
    refused_in,
    text_before_line,
    undecodable,
    why,
)
from generator.data.characters import refused as refused_char
from generator.data.problems import Loc, Problems
from generator.data.tables import Table, normalize_header
from generator.engine.results import Row

MAX_CSV_BYTES = 200 * 1024 * 1024


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: (text, encoding name). Raises UnicodeDecodeError with the failing offset."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "UTF-8（带 BOM）"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    if looks_utf16(data):
        # Text of ASCII and some Chinese characters in UTF-16 without its BOM is valid UTF-8 too: read so,
        # every other character would be a NUL, and every cell an error about it.
        raise UnicodeDecodeError("utf-16", data, data.index(b"\x00"), len(data), "UTF-16 without a byte order mark")
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
    if looks_utf16(data):
        # ASCII in UTF-16 is every other byte zero: no line or column of it means anything.
        problems.error(
            Loc(file),
            UTF16_WORDS,
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
    text = _text(data, file, problems)
    if text is None:
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
    shared: dict[str, str] = {}
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
            rows.append(_make_row(cells, header, columns, codes, file, line, header_line, problems, shared))
        if last is not None and len(last[0]) < width and not text.endswith(("\n", "\r")):
            rows.pop()
            _cut_off(last, width, file, problems)
    except csv.Error as exc:
        problems.error(
            Loc(file, start),
            f"CSV 格式错误：{_csv_error_words(str(exc))}（文件可能在一行中间被截断，或引号没有成对）",
            "检查这一行的引号；用 Excel 或 WPS 打开后重新保存。",
        )
    _after(refused, header is None, file, table, problems)
    return rows


def _text(data: bytes, file: str, problems: Problems) -> str | None:
    """The file's text; None (with the problem) for a file too big, a workbook, or bytes that are no text."""
    if len(data) > MAX_CSV_BYTES:
        problems.error(Loc(file), f"文件太大（{len(data) // 1024 // 1024} MB）", "按联络组拆分成几个文件。")
        return None
    if data.startswith(_WORKBOOK_MAGIC):
        problems.error(
            Loc(file),
            "这是 Excel 或 WPS 的工作簿文件（.xlsx / .xls），不是 CSV 文本，只是改了文件名",
            "在 Excel 或 WPS 中打开，用“另存为”保存成 CSV（逗号分隔）或 CSV UTF-8。",
        )
        return None
    try:
        text, _encoding = decode(data)
    except UnicodeDecodeError as exc:
        _undecodable(data, exc, file, problems)
        return None
    return text


def _cut_off(last: tuple[list[str], int], width: int, file: str, problems: Problems) -> None:
    """Excel and WPS write every cell of every row and end the file with a line break: a short last row
    with no line break after it is a file cut off (and rows after it may be lost)."""
    cells, line = last
    problems.error(
        Loc(file, line, len(cells)),
        f"文件在这一行中间结束：只有 {len(cells)} 格，表头有 {width} 格；文件可能被截断",
        "找到完整的原文件重新复制；或用 Excel 或 WPS 打开，核对最后一行和后面是否缺了行，再重新保存。",
    )


def _after(refused: int, no_header: bool, file: str, table: Table, problems: Problems) -> None:
    """What is said once the whole file is read: characters not listed one by one, a file without a header."""
    if refused > MAX_CHARACTER_PROBLEMS:
        problems.error(
            Loc(file),
            f"还有 {refused - MAX_CHARACTER_PROBLEMS} 处同样不允许的字符没有逐一列出",
            "改正上面列出的几处后重新检查；很多行都有时，文件可能不是文本文件，用 Excel 或 WPS 另存为 CSV。",
        )
    if no_header:
        problems.error(
            Loc(file, 1),
            f"文件是空的，没有表头（{table.title}）",
            "第一行写表头，例如：" + "，".join(c.title for c in table.columns if c.required) + "。",
        )


#: Refused characters listed one by one per file; beyond, one line says how many more there are.
MAX_CHARACTER_PROBLEMS = 20


def _refused_characters(cells: list[str], file: str, line: int, problems: Problems, before: int) -> int:
    """Report the characters no text may hold (:mod:`generator.data.characters`) in one row; returns how many
    there are. ``before`` is how many the file had in earlier rows (the listing stops at a limit)."""
    if "".join(cells).isprintable():  # the common case, the whole row at C speed
        return 0
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
    lookup = header_lookup(table)
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


def header_lookup(table: Table) -> dict[str, str]:
    """Every way a header may name a column (normalised) → the column's name."""
    lookup: dict[str, str] = {}
    for column in table.columns:
        for alias in (column.name, column.title, *column.aliases):
            lookup[normalize_header(alias)] = column.name
    return lookup


def _read_header(cells: list[str], file: str, line: int, table: Table, problems: Problems) -> list[str | None] | None:
    lookup = header_lookup(table)
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
    shared: dict[str, str],
) -> Row:
    """One data row; ``columns`` is the header's name → column number, ``codes`` the columns (name →
    title) whose surrounding spaces are reported. ``shared`` keeps one copy of each distinct cell text (a
    unit's code, an item's, 是, 1 … are written on many rows)."""
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
        value = cell.strip()
        values[name] = shared.setdefault(value, value)
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
