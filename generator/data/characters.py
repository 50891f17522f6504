"""Which characters data text may hold, and where bytes stop decoding.

One rule for every text the program reads (rubric and notice YAML, results CSV): no character that is
invisible or changes how the text around it is shown. A unit name holding U+202E (right-to-left
override) between ``市财政局`` and ``分001`` shows ``市财政局100分``; a zero-width space makes two codes
that look alike differ; a control character is not text at all. So these are refused, each named by its
code point:

- control characters (category Cc), except tab, line feed and carriage return, which the formats use;
- format characters (Cf): the bidirectional controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
  U+061C; the zero-width U+200B–U+200D, U+2060, U+FEFF (a byte order mark is allowed only at the very
  start of a file, where the decoder removes it); the soft hyphen U+00AD; and the rest of the category;
- the line and paragraph separators U+2028, U+2029 (Zl, Zp): invisible line breaks;
- surrogates (Cs) and private-use characters (Co): the latter show only with a font of the machine that
  wrote them (a box or another character on every other screen);
- unassigned code points (Cn) and noncharacters, except unassigned points of planes 2 and 3, where
  Unicode adds new CJK ideographs (a rare character newer than this program's Unicode tables is kept).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})

#: Chinese names of the characters met in practice; others are named by their category.
_NAMES = {
    0x0000: "空字符",
    0x00AD: "软连字符",
    0x061C: "阿拉伯字母方向标记",
    0x200B: "零宽空格",
    0x200C: "零宽不连字",
    0x200D: "零宽连字",
    0x200E: "从左至右标记",
    0x200F: "从右至左标记",
    0x2028: "行分隔符",
    0x2029: "段分隔符",
    0x202A: "从左至右嵌入",
    0x202B: "从右至左嵌入",
    0x202C: "取消方向格式",
    0x202D: "从左至右强制",
    0x202E: "从右至左强制",
    0x2060: "零宽不换行",
    0x2066: "从左至右隔离",
    0x2067: "从右至左隔离",
    0x2068: "第一强方向隔离",
    0x2069: "取消方向隔离",
    0xFEFF: "字节顺序标记 BOM",
}
_BIDI = frozenset({0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)})
_ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD})


#: What a terminal acts on or shows out of order in a line it prints: control characters (but the tab and the
#: line break) and the bidirectional marks. A file name may hold them: ``entries\x1b[2J.csv`` would clear the
#: screen, an U+202E reverse what follows it.
_TERMINAL = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (*range(0x20), *range(0x7F, 0xA0), *_BIDI, 0x2028, 0x2029)
    if c not in (0x09, 0x0A)
}


def terminal_text(text: str) -> str:
    """``text`` safe to print on a terminal: what :data:`_TERMINAL` names shown as an escape (``\\x1b``)."""
    return text if text.isprintable() else text.translate(_TERMINAL)


def refused(ch: str) -> bool:
    """Whether ``ch`` may not stand in data text (see the module's documentation)."""
    if ch in _ALLOWED_CONTROLS:
        return False
    code = ord(ch)
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return True  # noncharacters
    category = unicodedata.category(ch)
    if category == "Cn":
        return not 0x20000 <= code <= 0x3FFFF
    return category in _REFUSED_CATEGORIES


def refused_in(text: str) -> Iterator[int]:
    """The offsets in ``text`` of every refused character."""
    if text.isprintable():  # the common case, at C speed (it is False for tabs, line breaks, U+3000 …)
        return
    for index, ch in enumerate(text):
        if not ch.isprintable() and refused(ch):
            yield index


def code_point(ch: str) -> str:
    """``U+202E（从右至左强制）``."""
    code = ord(ch)
    name = _NAMES.get(code)
    if name is None:
        category = unicodedata.category(ch)
        name = {
            "Cc": "控制字符",
            "Cf": "格式字符",
            "Cs": "代理码位",
            "Co": "私用区字符",
            "Cn": "未分配的码位",
        }.get(category, "不可见字符")
        if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            name = "非字符码位"
    return f"U+{code:04X}（{name}）"


def why(ch: str) -> str:
    """Why the character is refused, in a few words."""
    code = ord(ch)
    if code in _BIDI:
        return "它看不见，却会改变前后文字的显示顺序，使页面上显示的内容（例如分数）与实际不同"
    if code == 0xFEFF:
        return "它本应只出现在文件开头；在这里多半是两个文件拼接在了一起"
    if code in _ZERO_WIDTH:
        return "它看不见，会使看起来相同的文字（例如单位名称、代码）实际不同"
    if code == 0:
        return "空字符不是文字；文件可能不是文本文件，或在复制时混入了二进制数据"
    category = unicodedata.category(ch)
    if category == "Cc":
        return "控制字符不是文字，多半是从其他程序复制时带进来的"
    if category == "Co":
        return "私用区字符只有装了写入时那台电脑的字体才显示得出来，别处显示为方框或别的字"
    if category in ("Zl", "Zp"):
        return "它是看不见的换行，会打乱行号和页面的排版"
    return "它不是可以显示的文字"


HINT = "删去这个字符（在 VS Code 中打开可以看到它的位置）；如果看不到，删去这一处前后的几个字再重新输入。"


# --------------------------------------------------------------------------------------------
# Bytes that do not decode
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undecodable:
    """Where a file stops decoding: the line and column (counted in characters, as editors show
    them) of the first byte that does not decode, and what that line looks like instead."""

    line: int
    column: int
    #: The encoding the rest of the file is in ("UTF-8" or "GBK"), as decoded up to that byte.
    encoding: str
    #: The encoding the failing line decodes in, when it is another one ("GBK" or "UTF-8"), else "".
    line_looks_like: str
    #: Whether lines before this one hold text of the file's encoding (not ASCII only).
    mixed: bool


def undecodable(data: bytes, offset: int, encoding: str) -> Undecodable:
    """Locate the byte at ``offset`` that did not decode as ``encoding`` (``utf-8`` or ``gb18030``)."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    line_bytes = data[start : end if end != -1 else len(data)].rstrip(b"\r")
    column = len(data[start:offset].decode(encoding, errors="replace")) + 1
    utf8 = encoding.replace("-", "").lower() == "utf8"
    other = "gbk" if utf8 else "utf-8"
    try:
        decoded = line_bytes.decode(other)
        looks = ("GBK" if utf8 else "UTF-8") if not decoded.isascii() else ""
    except UnicodeDecodeError:
        looks = ""
    if looks:
        # The line is in the other encoding from its first non-ASCII character (some GBK characters are
        # also valid UTF-8 bytes, so the first byte that fails may come a character or two later).
        column = next(i for i, ch in enumerate(decoded, start=1) if not ch.isascii())
    return Undecodable(
        line=data.count(b"\n", 0, offset) + 1,
        column=column,
        encoding="UTF-8" if utf8 else "GBK",
        line_looks_like=looks,
        mixed=text_before_line(data, offset),
    )


#: What a file that :func:`looks_utf16` is said to be.
UTF16_WORDS = "无法识别文件编码：像是不带 BOM 的 UTF-16（每个字之间夹着空字节）"


def looks_utf16(data: bytes) -> bool:
    """Whether ``data`` looks like UTF-16 without a BOM: NUL bytes, which no text file holds, make up more than
    an eighth of it, nine in ten of them on bytes of the same parity (ASCII in UTF-16 is every other byte
    zero). A file padded with zeros at its end (a copy cut short) has them on both: it is not UTF-16."""
    zeros = data.count(b"\x00")
    if zeros * 8 <= len(data):
        return False
    odd = data[1::2].count(b"\x00")
    return max(odd, zeros - odd) * 10 >= zeros * 9


def text_before_line(data: bytes, offset: int) -> bool:
    """Whether a line before the one holding ``offset`` has non-ASCII text: the file's encoding is shown
    by its first line of Chinese text (a CSV's header), not by a line that does not fit it."""
    return not data[: data.rfind(b"\n", 0, offset) + 1].isascii()


def mixed_words(where: Undecodable, what: str) -> tuple[str, str] | None:
    """(message, hint) for a file of one encoding that stops decoding at ``where`` (``what`` names the
    file: 细则文件 …); None when nothing before that byte shows the file's encoding."""
    if where.mixed and where.line_looks_like:
        return (
            f"{what}是 {where.encoding} 编码，但这一行（从第 {where.column} 个字起）是 {where.line_looks_like} 编码："
            "多半是从另一个文件复制粘贴过来的",
            f"用 VS Code 以 {where.line_looks_like} 编码打开原来的文件，复制这一行重新粘贴；"
            f"或删去这一行重新输入，再保存为 {where.encoding}。",
        )
    if where.mixed:
        return (
            f"{what}是 {where.encoding} 编码，但从这里（第 {where.column} 个字）起有无法识别的字节，"
            "文件可能已损坏或混入了其他数据",
            "删去这一处乱码重新输入；或找到完好的原文件重新复制。",
        )
    return None
