"""A throwaway project for build tests: the site sources copied into a temporary folder, data of the test's own.

Used by ``test_hostile.py`` and ``test_failures.py``. A build reads ``mkdocs.yml``, ``docs/`` (the
generated ``docs/assessments`` excepted), ``site_templates/`` and the MkDocs hooks; the rubrics and
results are written by each test.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMP_GLOB = ".kaoping-tmp-*"


def copy_sources(dest: Path) -> Path:
    """Copy what a build reads, besides the data, from the repository to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    skip = shutil.ignore_patterns(TEMP_GLOB, "__pycache__", "assessments")
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=skip)
    shutil.copytree(ROOT / "site_templates", dest / "site_templates", ignore=skip)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "generator" / "site").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "generator" / "site" / "mkdocs_hooks.py", dest / "generator" / "site" / "mkdocs_hooks.py")
    return dest


def write_files(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (paths relative to ``root``; text as UTF-8) and return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def digests(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with the SHA-256 of its bytes."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(root: Path) -> list[Path]:
    """Temporary folders of a build (there must be none once a build has ended, however it ended)."""
    return sorted([*root.glob(TEMP_GLOB), *(root / "docs").glob(TEMP_GLOB)])
