"""A published site, as ``kaoping publish`` leaves it, for the tests of what must find one.

This is the one place in the tests that knows how to fake a publish: a copy of the site with the marker
file ``kaoping publish`` writes at the top of the folder it publishes to.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

#: The name ``kaoping publish`` gives it; written out here, so that a test notices if the program's changes.
PUBLISHED_MARKER = ".kaoping-published"


def fake_published(folder: Path, site: Path | None = None, *, commit: str = "0" * 40, gzip_only: bool = False) -> Path:
    """``folder`` as ``kaoping publish`` leaves it: a copy of ``site`` (or nothing) and the marker (``gzip_only``:
    as ``kaoping publish --gzip-only`` leaves it)."""
    if folder.exists():
        shutil.rmtree(folder)
    if site is None:
        folder.mkdir(parents=True)
    else:
        shutil.copytree(site, folder)
    marker = {"commit": commit, "built_at": "2024-03-01T08:00:00+08:00", "published_at": "2024-03-01T08:05:00+08:00"}
    if gzip_only:
        marker["gzip_only"] = True  # type: ignore[assignment]
    (folder / PUBLISHED_MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return folder
