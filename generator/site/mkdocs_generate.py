"""Plain ``mkdocs build`` on a fresh clone builds the whole site (called by the hook ``on_config`` of
:mod:`generator.site.mkdocs_hooks`).

``kaoping build`` writes the generated pages into ``docs/assessments/`` (git-ignored) before MkDocs runs.
A plain ``mkdocs build`` (or ProperDocs, or Zensical, which read ``mkdocs.yml``) on a fresh clone finds no
such folder: this hook generates it first, from ``rubrics/`` and ``results/``, exactly as ``kaoping
build`` renders it (the pages are reached from the home page; the navigation is mkdocs.yml's). Data
with errors stops the build with the checker's messages. When the folder is there already (``kaoping build``,
``kaoping serve``), nothing is done.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from generator.data.pipeline import prepare
from generator.site import paths
from generator.site.render import render_site

#: Where the site's templates are (as ``kaoping build`` reads them).
TEMPLATES_DIR = "site_templates"
#: The build's prefix for temporary folders: ``kaoping build`` skips such a folder in docs/ and removes what
#: a killed run left behind.
TEMP_PREFIX = ".kaoping-tmp-"
#: Problems quoted in the error that stops a plain MkDocs build (kaoping check lists them all).
SHOWN_PROBLEMS = 20


def generate_if_missing(config: Any) -> Any:
    """Generate docs/assessments/ and the navigation when the folder is missing; the config."""
    docs = Path(config["docs_dir"])
    generated = docs / paths.GENERATED
    if generated.exists():
        return config
    root = Path(config.config_file_path).resolve().parent
    prepared = prepare(root)
    errors = prepared.problems.sorted()
    errors = [p for p in errors if p in prepared.problems.errors]
    if errors:
        shown = "\n".join(str(p) for p in errors[:SHOWN_PROBLEMS])
        more = f"\n……另有 {len(errors) - SHOWN_PROBLEMS} 个错误" if len(errors) > SHOWN_PROBLEMS else ""
        raise PluginError(f"数据有错误，网站没有生成（运行 kaoping check 查看全部问题）：\n{shown}{more}")
    scratch = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=docs))
    try:
        rubrics = [r for r, _ in prepared.project.rubrics.values()]
        render_site(rubrics, prepared.outcomes, prepared.project.notices, root / TEMPLATES_DIR, scratch)
        (scratch / paths.GENERATED).rename(generated)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return config
