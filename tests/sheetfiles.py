"""Score sheets as the tests need them: written by ``kaoping sheet``, filled in like a clerk would (openpyxl,
typed cells), or damaged the way other programs and scripts leave them.

Used by ``test_sheets.py`` and by the ``prepare.py`` of the bad-input corpus cases that import a sheet.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl

from generator.cli import main


def write_sheet(root: Path, aid: str, target: Path) -> Path:
    """``kaoping sheet aid -o target``, its messages kept out of the test's own output."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["--root", str(root), "sheet", aid, "-o", str(target)]) == 0
    return target


def fill(path: Path, cells: Mapping[tuple[str, str], Any]) -> None:
    """Type values into cells: ``{(worksheet, "K3"): "原因", …}``, as Excel saves them (numbers as numbers)."""
    book = openpyxl.load_workbook(path)
    for (sheet, ref), value in cells.items():
        cell = book[sheet][ref]
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text typed with a leading quote, not a formula
    book.save(path)


def rewrite_parts(path: Path, change: Mapping[str, Any]) -> None:
    """Rewrite zip members: ``{member name: function(bytes) -> bytes}``."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in change:
                body = change[info.filename](body)
            dst.writestr(info, body)
    path.write_bytes(out.getvalue())


def worksheet_parts(path: Path) -> dict[str, str]:
    """Worksheet name → its zip member."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: ws._worksheet_path.lstrip("/") for ws in book.worksheets}
    finally:
        book.close()


def understate_dimension(path: Path, ranges: Mapping[str, str]) -> None:
    """Give worksheets a ``<dimension ref=…>`` smaller than what they hold, as several tools write it."""
    parts = worksheet_parts(path)

    def shrink(ref: str) -> Any:
        return lambda body: re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), body, count=1)

    rewrite_parts(path, {parts[name]: shrink(ref) for name, ref in ranges.items()})
    for name, ref in ranges.items():
        with zipfile.ZipFile(path) as archive:
            assert f'<dimension ref="{ref}"/>'.encode() in archive.read(parts[name]), name


def replace_text(path: Path, old: str, new: str) -> None:
    """Replace a text everywhere it is stored (the shared strings and the worksheets), bytes for bytes."""
    with zipfile.ZipFile(path) as archive:
        members = [n for n in archive.namelist() if n.startswith("xl/") and n.endswith(".xml")]
    encoded, replacement = old.encode(), new.encode()
    rewrite_parts(path, {name: (lambda body: body.replace(encoded, replacement)) for name in members})


def drop_rows(path: Path, sheet: str, rows: range) -> None:
    """Remove rows from a worksheet's XML, as a truncated copy or a careless script leaves it."""
    member = worksheet_parts(path)[sheet]

    def drop(body: bytes) -> bytes:
        for r in rows:
            body, n = re.subn(rf'<row r="{r}"[ >].*?</row>'.encode(), b"", body, count=1, flags=re.S)
            assert n == 1, r
        return body

    rewrite_parts(path, {member: drop})


def append_rows(path: Path, sheet: str, first: int, values: list[str], count: int) -> None:
    """``count`` more rows from row ``first`` on, each holding ``values`` (inline text) from column A."""
    member = worksheet_parts(path)[sheet]
    letters = "ABCDEFGHIJKLMN"

    def row(r: int) -> str:
        cells = "".join(
            f'<c r="{letters[i]}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values) if v
        )
        return f'<row r="{r}">{cells}</row>'

    extra = "".join(row(r) for r in range(first, first + count)).encode()
    rewrite_parts(path, {member: lambda body: body.replace(b"</sheetData>", extra + b"</sheetData>", 1)})
