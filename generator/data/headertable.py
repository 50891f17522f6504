"""Which results table a file's header is, whatever the file is called.

A results file is read by its name (:func:`generator.data.tables.table_for_file`); a file in a results folder
named otherwise (``扣分记录.csv``, ``entries2.csv``) is not read, and when its header is a table's the office meant
it as results. Pure: the start of the file is read by :mod:`generator.data.load`.
"""

from __future__ import annotations

import csv
import io

from generator.data.csvread import decode, delimiter, header_lookup
from generator.data.tables import TABLES, Table, normalize_header

#: How much of the start of a file is read for its header: a line of a few hundred bytes, after a few blank
#: lines at most.
HEADER_LOOK = 64 * 1024


#: The tables whose records change a score, a grade or a rank when they are left out: a file with one of their
#: headers under another name is refused. A roster, self scores, letters or recommendations under another name
#: change no score (a copy of the roster, a contact list, last year's results download are an office's own
#: files), and stay a warning.
SCORED = frozenset({"entries", "bonus", "penalties", "vetoes", "parts", "awards", "rectification", "objections"})


def header_table(start: bytes) -> Table | None:
    """The table of :data:`SCORED` whose header the file beginning with ``start`` has, else None.

    Its first line with content, decoded and split as :func:`generator.data.csvread.parse_table` does, is a
    table's header when it names every required column of the table and nothing else (each cell a column of the
    table by its name, title or any alias, matched as the loader matches them): the header the loader would read
    the file by, had it the table's name. A clerk's other lists (联系人.csv: 姓名,电话; last year's results with
    得分) name other columns. Where it is several tables' header, the table it names most columns of, the first in
    TABLES on a tie. Bytes that are no text (a workbook, another encoding) have no header: None.
    """
    keys = {normalize_header(cell) for cell in _first_row(start)} - {""}
    best: Table | None = None
    most = 0
    for table in TABLES:
        if table.name not in SCORED:
            continue
        lookup = header_lookup(table)
        if not keys or any(key not in lookup for key in keys):
            continue
        named = {lookup[key] for key in keys}
        if len(named) > most and all(c.name in named for c in table.columns if c.required):
            best, most = table, len(named)
    return best


def _first_row(start: bytes) -> list[str]:
    """The cells of the first row with content, [] when the bytes are no text."""
    for cut in range(4):  # the start of a longer file may end inside a character (of up to 4 bytes)
        try:
            text, _encoding = decode(start[: len(start) - cut])
        except UnicodeDecodeError:
            continue
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
        try:
            return next((cells for cells in reader if any(c.strip() for c in cells)), [])
        except csv.Error:
            return []
    return []
