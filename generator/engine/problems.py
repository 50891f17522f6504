"""Located problems: every message names a file, a line, a column, what is wrong and what to do.

Loading and checking never stop at the first problem. They add to a :class:`Problems` list and the
caller fails once, after printing all of them sorted by file and line. The engine's models carry a
:class:`Loc` for each part, so that a problem found while scoring points at the line it comes from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from generator.engine.quick import quick


@quick
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


@quick
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
