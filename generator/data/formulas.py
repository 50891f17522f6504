"""Text a spreadsheet would run as a formula (CSV/XLSX injection), defined once.

Excel and WPS read a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula: ``=cmd|' /C calc'!A0`` starts a program when a clerk opens the CSV file,
``=HYPERLINK(…)`` sends data away. A plain number (``-1``, ``2.5``) is not treated as one.

- the downloads and ``kaoping score`` put ``'`` in front of such text (:func:`neutralise`);
- ``kaoping import`` refuses it in the text columns of a score sheet;
- ``kaoping check`` warns about it in the results tables.
"""

from __future__ import annotations

import re
from typing import Any

#: What a spreadsheet reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
#: Control characters a worksheet cannot hold (openpyxl refuses them); tab and line breaks stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula."""
    return text.startswith(FORMULA_START) and not _NUMBER.match(text)


def neutralise(value: Any) -> Any:
    """Keep a spreadsheet from reading data text as a formula: ``'`` in front; drop control characters."""
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub("", value)
        if formula_like(value):
            return "'" + value
    return value
