"""Where the year's pages and files live in ``docs/`` (beside :mod:`generator.site.paths`).

The office's pages (the year's lists, each letter's printable page and .docx) sit under ``office/``, which
the access rules keep to the office; a unit's workbook sits beside its page and JSON, readable by the unit.
"""

from __future__ import annotations

from generator.site import paths


def office_page(aid: str) -> str:
    return paths.page(aid, "office/year")


def letter_page(aid: str, letter_id: str) -> str:
    return f"{paths.GENERATED}/{aid}/office/letters/{letter_id}.md"


def letter_docx(aid: str, letter_id: str) -> str:
    return f"{paths.GENERATED}/{aid}/office/letters/{letter_id}.docx"


def unit_workbook(aid: str, uid: str) -> str:
    return f"{paths.GENERATED}/{aid}/units/{uid}.xlsx"


def year_downloads(aid: str) -> tuple[str, str]:
    """The office's workbook of the year's lists, and the consequences as CSV."""
    return paths.download(aid, f"{aid}-year.xlsx"), paths.download(aid, f"{aid}-consequences.csv")
