"""Codes and names in rubrics and results: the characters they may hold, their length, their uniqueness.

Codes become folder names, file names and web addresses, so they are checked strictly; names (of unit
types, bonus levels) may hold anything but must differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.data.problems import Loc, Problems

# Lengths are checked on their own (too_long), so that a long code is not said to hold a wrong character.
ASSESSMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NODE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
CODE_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
#: Names (of unit types, bonus levels) may hold any character, and be of any length.
ANY_NAME = re.compile(r".+")
#: The longest code (of an assessment, an indicator, a unit …): codes become folder and file names.
MAX_ID_LENGTH = 64
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def too_long(what: str, code: str) -> tuple[str, str] | None:
    """(message, hint) for a code longer than :data:`MAX_ID_LENGTH`, else None."""
    if len(code) <= MAX_ID_LENGTH:
        return None
    return (
        f"{what}太长：{len(code)} 个字符，最多 {MAX_ID_LENGTH} 个（代码会出现在网页地址和文件名中）",
        "用简短的代码；全称写在名称或标题里。",
    )


def first_place(first: Loc, here: Loc) -> str:
    """Where something was first, said from ``here``: its line, and its file when that is another (a copy of
    a file beside it, ``units - 副本.csv``, repeats every row)."""
    return f"第 {first.line} 行" if first.file == here.file else f" {first.file} 第 {first.line} 行"


def unique(items: Iterable[tuple[str, Loc]], what: str, problems: Problems, pattern: re.Pattern[str] = CODE_ID) -> None:
    seen: dict[str, Loc] = {}
    for key, loc in items:
        long = too_long(what, key) if pattern is not ANY_NAME else None
        if long is not None:
            problems.error(loc, *long)
        elif not pattern.match(key):
            problems.error(loc, f"{what}「{key}」含有不允许的字符", "只用字母、数字、点、下划线和连字符。")
        folded = key.casefold()
        if folded in seen:
            problems.error(
                loc,
                f"{what} {key} 重复（第一次在{first_place(seen[folded], loc)}）",
                f"每个{what}必须不同（不区分大小写）。",
            )
        else:
            seen[folded] = loc
