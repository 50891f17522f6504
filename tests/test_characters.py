"""Which characters data text may hold (the rule of :mod:`generator.data.characters`), and where bytes stop decoding."""

from __future__ import annotations

import pytest

from generator.data.characters import code_point, mixed_words, refused, refused_in, undecodable


@pytest.mark.parametrize(
    "ch",
    [
        "\t", "\n", "\r",  # the formats use them
        " ", "\u3000", "\u00a0",  # spaces, the ideographic one included
        "党", "\u4dbf", "\U00020000", "\U0002ebe0",  # CJK of every extension this Unicode knows
        "\U00031350",  # CJK Extension H: newer than Python 3.11's tables, kept (plane 3)
        "\ufe0f", "\U000e0100",  # variation selectors (ideographic variants)
        "😀", "①", "％", "—", "…",
    ],
    ids=lambda ch: f"U+{ord(ch):04X}",
)
def test_allowed(ch: str) -> None:
    assert not refused(ch)
    assert list(refused_in(f"前{ch}后")) == []


@pytest.mark.parametrize(
    "ch",
    [
        *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",  # bidirectional
        *"\u200b\u200c\u200d\u2060\ufeff\u00ad",  # zero-width, soft hyphen
        "\u2061", "\U000e0001",  # other format characters
        "\x00", "\x07", "\x1b", "\x7f", "\x85",  # controls
        "\u2028", "\u2029",  # invisible line breaks
        "\ue000", "\U000f0000", "\U0010fffd",  # private use
        "\ufdd0", "\ufffe", "\uffff", "\U0002fffe",  # noncharacters, in planes 2-3 as well
        "\u0378", "\U0001fffd",  # unassigned outside planes 2 and 3
    ],
    ids=lambda ch: f"U+{ord(ch):04X}",
)
def test_refused(ch: str) -> None:
    assert refused(ch)
    assert list(refused_in(f"前{ch}后")) == [1]


def test_every_refused_character_is_found_with_its_offset() -> None:
    assert list(refused_in("市财政局\u202e分001\u200b")) == [4, 9]


@pytest.mark.parametrize(
    ("ch", "words"),
    [
        ("\u202e", "U+202E（从右至左强制）"),
        ("\u200b", "U+200B（零宽空格）"),
        ("\ufeff", "U+FEFF（字节顺序标记 BOM）"),
        ("\x00", "U+0000（空字符）"),
        ("\x1b", "U+001B（控制字符）"),
        ("\ue000", "U+E000（私用区字符）"),
        ("\u0378", "U+0378（未分配的码位）"),
        ("\ufffe", "U+FFFE（非字符码位）"),
        ("\u2061", "U+2061（格式字符）"),
    ],
)
def test_code_points_are_named(ch: str, words: str) -> None:
    assert code_point(ch) == words


def test_a_gbk_line_in_utf8_is_placed_at_its_first_gbk_character() -> None:
    data = "甲,乙\n".encode() + "ab,没有".encode("gbk") + b"\n"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = undecodable(data, exc.start, "utf-8")
    # 没 in GBK (C3 BB) is also a valid UTF-8 pair: the first byte that fails comes later, the line's GBK
    # text starts at column 4.
    assert (where.line, where.column, where.encoding, where.line_looks_like, where.mixed) == (
        2,
        4,
        "UTF-8",
        "GBK",
        True,
    )
    assert mixed_words(where, "文件") is not None


def test_a_file_that_is_gbk_from_its_first_line_is_not_called_mixed() -> None:
    data = "甲,乙\n".encode("gbk")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = undecodable(data, exc.start, "utf-8")
    assert (where.line, where.column, where.line_looks_like, where.mixed) == (1, 1, "GBK", False)
    assert mixed_words(where, "文件") is None
