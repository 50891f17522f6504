"""The year around the scores in the sample data: staged claims and deductions, letters, objections,
rectification tasks and votes (``scripts/sample_year.py``), written after the assessment's other tables."""

from __future__ import annotations

from pathlib import Path

from sample_year import add_year

from samples.generator import Generator


def year_files(gen: Generator, folder: Path) -> list[Path]:
    """The year's tables of ``gen``'s assessment in ``folder``; the files written (none for most assessments)."""
    return add_year(gen.rubric, folder, folder.parent, gen.seed)
