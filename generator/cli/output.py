"""Everything the command line writes: problems (in colour on a terminal), the office commands' reports,
and the build's progress lines.

Colour marks 错误 and 警告 only when the stream is a terminal, and never when ``NO_COLOR`` is set
(https://no-color.org): a log file or a pipe gets plain text. What a terminal would act on (an escape
sequence in a file name) is shown as an escape, ``\\x1b`` (:func:`generator.data.characters.terminal_text`).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from generator.data.characters import terminal_text
from generator.data.problems import Problem, Problems, Severity
from generator.office.report import Report, Stream
from generator.site.progress import Progress

#: ANSI colours: bold red for errors, bold yellow for warnings.
_COLOURS = {"错误": "\033[1;31m", "警告": "\033[1;33m"}
_RESET = "\033[0m"


def colour_on(stream: TextIO) -> bool:
    """Colour for a terminal, unless NO_COLOR is set (to anything but the empty string)."""
    if os.environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint(word: str, stream: TextIO) -> str:
    """``word`` (错误, 警告) in its colour when ``stream`` shows colour."""
    if word in _COLOURS and colour_on(stream):
        return f"{_COLOURS[word]}{word}{_RESET}"
    return word


def problem_text(problem: Problem, stream: TextIO) -> str:
    """A problem as :class:`Problem` words it, its severity in colour on a terminal."""
    said = terminal_text(f"{problem.loc}: "), terminal_text(problem.message)
    text = f"{said[0]}{paint(problem.severity.value, stream)}：{said[1]}"
    if problem.hint:
        text += f"\n    处理办法：{terminal_text(problem.hint)}"
    return text


def report(problems: Problems, *, stream: TextIO | None = None) -> None:
    """Every problem, sorted by file and line, then how many errors and warnings there are."""
    out = stream or sys.stderr
    for problem in problems.sorted():
        print(problem_text(problem, out), file=out)
    unique = set(problems.items)
    errors = sum(1 for p in unique if p.severity is Severity.ERROR)
    warnings = len(unique) - errors
    if errors or warnings:
        print(f"\n共 {errors} 个{paint('错误', out) if errors else '错误'}，{warnings} 个警告。", file=out)


def say(done: Report) -> None:
    """An office command's report: each line on its stream, in the order the command said them."""
    for where, item in done.said:
        stream = sys.stdout if where is Stream.OUT else sys.stderr
        if isinstance(item, Problems):
            report(item, stream=stream)
        else:
            print(terminal_text(str(item)), file=stream)


def fail(text: str) -> None:
    """Why a command stopped (standard error)."""
    print(terminal_text(text), file=sys.stderr)


@dataclass
class ProgressPrinter(Progress):
    """The build's progress on standard error: one line per step, and on a terminal (not under CI) a
    counter redrawn in place."""

    quiet: bool = False
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    started: float = field(default_factory=time.monotonic)
    _last: str = ""

    @property
    def live(self) -> bool:
        return not self.quiet and self.stream.isatty() and not os.environ.get("CI")

    def step(self, text: str) -> None:
        if self.quiet:
            return
        if self.live and self._last:
            self.stream.write("\n")
        self._last = ""
        self.stream.write(f"[{time.monotonic() - self.started:5.1f}s] {terminal_text(text)}\n")
        self.stream.flush()

    def count(self, text: str, done: int, total: int) -> None:
        if not self.live:
            return
        self._last = f"\r[{time.monotonic() - self.started:5.1f}s] {text} {done}/{total}"
        self.stream.write(self._last)
        if done == total:
            self.stream.write("\n")
            self._last = ""
        self.stream.flush()
