"""Located problems: every message names a file, a line, a column, what is wrong and what to do.

Loading and checking never stop at the first problem. They add to a :class:`Problems` list and the
caller fails once, after printing all of them sorted by file and line.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

#: Exit statuses of every command: done; the data (or the disk) stopped it; the command was used wrongly;
#: a fault of the program itself; stopped by Ctrl+C or a signal.
EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A place in a source file. Lines and columns count from 1, as editors show them."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


class Severity(Enum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    loc: Loc
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.loc}: {self.severity.value}：{self.message}"
        if self.hint:
            text += f"\n    处理办法：{self.hint}"
        return text

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.loc.file, self.loc.line, self.loc.column, self.message)


@dataclass
class Problems:
    """An ordered collection of problems found in one run."""

    items: list[Problem] = field(default_factory=list)

    def error(self, loc: Loc, message: str, hint: str = "") -> None:
        self.items.append(Problem(Severity.ERROR, loc, message, hint))

    def warning(self, loc: Loc, message: str, hint: str = "") -> None:
        self.items.append(Problem(Severity.WARNING, loc, message, hint))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.items)

    def sorted(self) -> list[Problem]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=lambda p: p.sort_key)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class DataError(Exception):
    """Raised when loading or checking found errors; carries every problem found."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__(f"{len(problems.errors)} error(s)")


def os_error_words(exc: OSError) -> str:
    """What a failed read or write means, for the person running the command."""
    where = f"（{exc.filename}）" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘已满，无法写入{where}。清理磁盘空间后重新运行"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有权限读写文件{where}。检查项目目录的权限"
    if exc.errno == errno.EROFS:
        return f"磁盘是只读的，无法写入{where}"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"找不到文件或目录{where}。检查路径是否正确、目录是否存在"
    if exc.errno == errno.EISDIR:
        return f"这是一个目录，不是文件{where}。写出文件的完整路径"
    return f"读写文件出错{where}：{exc.strerror or exc}"
