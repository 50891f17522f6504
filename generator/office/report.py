"""What an office command has to say, and how it ended: the command returns it, :mod:`generator.cli` prints it.

The commands (``sheet``, ``import``, ``new``) speak to a clerk in several steps: what they read, the problems
found, why nothing was written, what to do next. They collect it here in order instead of printing, so
that the command line alone decides where each line goes (what was done on standard output, problems and
refusals on standard error), how problems look (colour on a terminal) and which exit status ends the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from generator.data.problems import Problems


class Ending(Enum):
    """How a command ended; the command line turns it into an exit status."""

    #: Done as asked.
    DONE = "done"
    #: The data or the disk stopped it (errors in the data, a file that cannot be written).
    DATA = "data"
    #: The command was used wrongly (a missing file, an unknown assessment, a refused output path).
    USAGE = "usage"


class Stream(Enum):
    #: What was done and what to do next.
    OUT = "out"
    #: Problems, refusals and warnings.
    ERR = "err"


@dataclass
class Report:
    """The messages of one command in the order they arose, and its ending."""

    ending: Ending = Ending.DONE
    said: list[tuple[Stream, str | Problems]] = field(default_factory=list)

    def tell(self, *lines: str) -> None:
        """What was done, what to do next (standard output)."""
        self.said.extend((Stream.OUT, line) for line in lines)

    def note(self, *lines: str) -> None:
        """A refusal or a warning in words (standard error)."""
        self.said.extend((Stream.ERR, line) for line in lines)

    def problems(self, problems: Problems) -> None:
        """Located problems, listed sorted with their totals (standard error)."""
        if problems.items:
            self.said.append((Stream.ERR, problems))

    def stop(self, ending: Ending, *lines: str) -> Report:
        """End with ``ending``, saying why."""
        self.note(*lines)
        self.ending = ending
        return self

    @property
    def done(self) -> bool:
        return self.ending is Ending.DONE

    def lines(self, stream: Stream) -> list[str]:
        """The words written to ``stream`` (problems as they are printed, without totals): for tests and logs."""
        out: list[str] = []
        for where, item in self.said:
            if where is stream:
                out.extend([item] if isinstance(item, str) else [str(p) for p in item.sorted()])
        return out
