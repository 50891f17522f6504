"""Sample results: a results folder whose README says its data are samples (示例数据).

An office's real results have no such line and no banner. The marker is a line of the folder's
``README.md`` that begins with ``示例数据`` (after any Markdown heading, quote or list mark), for example::

    示例数据：单位名称、扣分情况、加分等全部是虚构的，不反映任何单位的真实情况。

A clerk reads it in the folder; the loader finds it; every page and download built from the folder
then says that its results are samples.
"""

from __future__ import annotations

import re

MARKER = "示例数据"
README_NAMES = ("README.md", "readme.md")
#: Words every page and download show for sample results.
BANNER = "示例数据：本页的考核结果是虚构的示例，不是真实的考核结果，不反映任何单位的真实情况。"
DOWNLOAD_NOTE = "示例数据：本文件中的考核结果是虚构的示例，不是真实的考核结果，不反映任何单位的真实情况。"

_LINE = re.compile(r"^[\s#>*\-+]*(?:\*\*)?" + MARKER + r"(?:\*\*)?\s*(?:[:：]|$)")


def sample_line(text: str) -> int | None:
    """The line (counted from 1) that marks the results as samples, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if _LINE.match(line):
            return number
    return None
