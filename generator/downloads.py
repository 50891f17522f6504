"""Downloads: each assessment's results as CSV and XLSX, the full results as JSON, and a JSON per unit.

Written with pandas. Byte-identical from one build to the next (the XLSX's zip entries and document
properties carry a fixed date). A text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'`` so it stays text.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from . import site
from .export import assessment_data, summary_rows, to_json, unit_data
from .outcome import AssessmentOutcome

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
#: The date stamped into XLSX files, so that a rebuild of the same data is byte-identical.
FIXED_TIME = datetime(2000, 1, 1)


def neutralise(value: Any) -> Any:
    """Keep a spreadsheet from reading data text as a formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def results_frame(outcome: AssessmentOutcome) -> pd.DataFrame:
    rows = [{k: neutralise(v) for k, v in row.items()} for row in summary_rows(outcome)]
    return pd.DataFrame(rows)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # UTF-8 with BOM: Excel on Chinese Windows opens it with the right characters.
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str) -> bytes:
    raw = io.BytesIO()
    with pd.ExcelWriter(raw, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet[:31])
        book = writer.book
        book.properties.created = FIXED_TIME
        book.properties.modified = FIXED_TIME
        book.properties.creator = "kaoping"
        book.properties.lastModifiedBy = "kaoping"
        ws = writer.sheets[sheet[:31]]
        ws.freeze_panes = "C2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 2 + 2))
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with every entry dated FIXED_TIME, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def write_downloads(outcome: AssessmentOutcome, docs: Path) -> None:
    r = outcome.rubric
    frame = results_frame(outcome)
    files: dict[str, bytes] = {
        site.download(r.id, f"{r.id}-results.csv"): csv_bytes(frame),
        site.download(r.id, f"{r.id}-results.xlsx"): xlsx_bytes(frame, f"{r.year}年度考核结果"),
        site.download(r.id, f"{r.id}.json"): to_json(assessment_data(outcome)).encode("utf-8"),
    }
    for u in outcome.units:
        data = unit_data(u)
        data["assessment"] = {
            "id": r.id,
            "title": r.title,
            "year": r.year,
            "grading_illustrative": bool(r.grading and r.grading.illustrative),
        }
        files[site.unit_json(r.id, u.unit.id)] = to_json(data).encode("utf-8")
    for path, content in files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
