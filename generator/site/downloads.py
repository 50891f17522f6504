"""Downloads: each assessment's results as CSV and XLSX, the full results as JSON, and a JSON per unit.

Written with pandas. Byte-identical from one build to the next (the XLSX's zip entries and document
properties carry a fixed date). A text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return: :mod:`generator.data.formulas`) is prefixed with ``'`` so
it stays text.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd

from generator.data.formulas import neutralise
from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.outcome import AssessmentOutcome, UnitOutcome
from generator.site import paths
from generator.site.export import assessment_about, assessment_data, summary_rows, to_json, unit_data
from generator.site.resultbook import results_workbook
from generator.site.workbooks import FIXED_TIME, fixed_zip  # noqa: F401  (the sheet writes with them too)


def results_frame(outcome: AssessmentOutcome, summary: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """The results CSV's table; ``summary`` is :func:`summary_rows` of the outcome when already made."""
    # Column names too: category and part titles come from the rubric.
    summary = summary_rows(outcome) if summary is None else summary
    rows = [{neutralise(k): neutralise(v) for k, v in row.items()} for row in summary]
    return pd.DataFrame(rows)


def csv_text(frame: pd.DataFrame) -> str:
    """The table's CSV text, without the note: what :func:`csv_with_note` writes."""
    return frame.to_csv(index=False, lineterminator="\r\n")


def csv_with_note(text: str, note: str = "") -> bytes:
    """The CSV file of :func:`csv_text`; ``note`` (sample results) is its first line, above the header, where a
    clerk opening it in Excel reads it first."""
    # UTF-8 with BOM: Excel on Chinese Windows opens it with the right characters.
    head = pd.DataFrame([[note]]).to_csv(index=False, header=False, lineterminator="\r\n") if note else ""
    return (head + text).encode("utf-8-sig")


def csv_bytes(frame: pd.DataFrame, note: str = "") -> bytes:
    """The table as a CSV file (see :func:`csv_with_note`)."""
    return csv_with_note(csv_text(frame), note)


def _write(docs: Path, path: str, content: bytes) -> None:
    target = docs / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def write_downloads(outcome: AssessmentOutcome, docs: Path, unit_files: Collection[str] | None = None) -> None:
    """The assessment's CSV, XLSX and full JSON, and each unit's JSON (of ``unit_files`` only, when given).

    A unit's JSON is its part of the full JSON with the assessment's particulars in front: each unit's
    data is serialised once, for both.
    """
    r = outcome.rubric
    frame = results_frame(outcome)
    note = DOWNLOAD_NOTE if outcome.sample is not None else ""
    csv_file, xlsx_file, json_file = paths.downloads(r.id)
    _write(docs, csv_file, csv_bytes(frame, note))
    (docs / xlsx_file).parent.mkdir(parents=True, exist_ok=True)
    _write(docs, xlsx_file, results_workbook(outcome, (docs / xlsx_file).parent))
    # The full JSON is streamed unit by unit: at 10,000 units the whole tree would not fit in memory twice.
    head = to_json(assessment_data(outcome, units=[]), compact=True).rstrip("\n")
    assert head.endswith(',"units":[]}')
    target = docs / json_file
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = _unit_json_prefix(outcome)
    (docs / paths.unit_json(r.id, "_")).parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="\n") as out:
        out.write(head[: -len("]}")])
        for i, u in enumerate(outcome.units):
            text = to_json(unit_data(u), compact=True).rstrip("\n")
            out.write(("," if i else "") + text)
            if unit_files is None or u.unit.id in unit_files:
                (docs / paths.unit_json(r.id, u.unit.id)).write_bytes((prefix + text[1:] + "\n").encode("utf-8"))
        out.write("]}\n")


def _unit_json_prefix(outcome: AssessmentOutcome) -> str:
    """A unit's JSON up to its own data: the assessment it belongs to."""
    return '{"assessment":' + to_json(assessment_about(outcome), compact=True).rstrip("\n") + ","


def unit_json_bytes(outcome: AssessmentOutcome, u: UnitOutcome) -> bytes:
    """One unit's JSON, as :func:`write_downloads` writes it (the preview makes it on request)."""
    return (_unit_json_prefix(outcome) + to_json(unit_data(u), compact=True)[1:]).encode("utf-8")


def joined_frame(outcome: AssessmentOutcome) -> tuple[bytes, bytes]:
    """The full JSON's text around its units (``…,"units":[]}``), and what a unit's own file has before its part."""
    head = to_json(assessment_data(outcome, units=[]), compact=True).rstrip("\n")
    assert head.endswith(',"units":[]}')
    return head.encode("utf-8"), _unit_json_prefix(outcome).encode("utf-8")


def write_joined_json(outcome: AssessmentOutcome, docs: Path, json_file: str, frame: tuple[bytes, bytes]) -> None:
    """The assessment's full JSON: its particulars, then each unit's part, taken from the units' JSON files
    (a unit's file is the same text with the assessment's particulars in front); ``frame`` is
    :func:`joined_frame`'s, and the file's folder is there."""
    head, prefix = frame
    with (docs / json_file).open("wb") as out:
        out.write(head[: -len(b"]}")])
        for i, u in enumerate(outcome.units):
            data = (docs / paths.unit_json(outcome.rubric.id, u.unit.id)).read_bytes()
            assert data.startswith(prefix)
            out.write((b"," if i else b"") + b"{" + data[len(prefix) :].rstrip(b"\n"))
        out.write(b"]}\n")
