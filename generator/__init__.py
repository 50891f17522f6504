"""kaoping (考评): publishes party-building performance assessments as a static site.

The pipeline: load → check → score → render → build. See :mod:`generator.data.pipeline`.
"""

import os

__version__ = "0.1.0"

# python-docx (the letters' .docx) brings lxml, and openpyxl writes through lxml when it is there: every Chinese
# character of a score sheet would then be stored as a character reference (&#35745;) instead of UTF-8 text.
# The score sheets stay as openpyxl's own writer makes them.
os.environ.setdefault("OPENPYXL_LXML", "False")
