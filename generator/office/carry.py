"""``kaoping new`` carries the rectification tasks into the new year (see :mod:`generator.data.rectification`)."""

from __future__ import annotations

from pathlib import Path

from generator.data.pipeline import prepare
from generator.data.rectification import next_year_rows, rectification_csv


def carried_file(root: Path, old_id: str) -> tuple[bytes, int, int] | None:
    """The new year's rectification.csv from assessment ``old_id``: (bytes, tasks still open carried over, tasks
    made of its points lost), or None when that assessment has no results that check without errors."""
    prepared = prepare(root, {old_id})
    outcome = prepared.outcomes.get(old_id)
    if outcome is None or prepared.problems.has_errors():
        return None
    records = prepared.project.year.get(old_id)
    carried = records.rectification if records is not None else ()
    rows = next_year_rows(outcome, carried)
    still_open = sum(1 for i in carried if i.open)
    return rectification_csv(rows), still_open, len(rows) - still_open
