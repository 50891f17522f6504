"""What a long command reports while it runs: a step begins; so many of so many pages are done.

The build, the preview and the publish call a :class:`Progress`; this one says nothing. The command line
passes one that prints (:class:`generator.cli.ProgressPrinter`): printing is the command line's job.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Progress:
    """Receives the steps of a build; says nothing (``quiet`` is accepted for callers that ask for silence)."""

    quiet: bool = True

    def step(self, text: str) -> None:
        """A step begins (one line)."""

    def count(self, text: str, done: int, total: int) -> None:
        """``done`` of ``total`` in the step ``text`` (a line redrawn on a terminal)."""
