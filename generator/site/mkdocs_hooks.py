"""MkDocs hooks (listed in mkdocs.yml): keep the big generated tables away from Markdown and search.

A generated page is complete Markdown: any MkDocs-compatible builder renders it whole. The part of a
page between ``VERBATIM_START`` and ``VERBATIM_END`` is ready HTML (a unit's item table, chart and
history). With these hooks, MkDocs does not parse it: it is lifted out before Markdown runs (so the
search index holds only the page's header: name, group, grade, total) and put back into the finished
HTML, read again from the source file so no page's tables are held in memory. ``kaoping build`` sets
``DEFER_VERBATIM`` in the environment and puts the blocks back itself: MkDocs' output then depends only on
what is outside them, so the build keeps it and runs MkDocs again only when that changes.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import Any

VERBATIM_START = "<!-- kaoping:verbatim -->"
VERBATIM_END = "<!-- /kaoping:verbatim -->"
PLACEHOLDER = "<!-- kaoping:verbatim-here -->"
#: Set in the environment (to "1") while ``kaoping build`` runs MkDocs: leave the placeholders in.
DEFER_VERBATIM = "KAOPING_DEFER_VERBATIM"


def split_verbatim(markdown: str) -> tuple[str, str] | None:
    """(markdown with a placeholder, the verbatim HTML) or None when the page has no verbatim part."""
    start = markdown.find(VERBATIM_START)
    if start < 0:
        return None
    end = markdown.find(VERBATIM_END, start)
    if end < 0:
        return None
    block = markdown[start + len(VERBATIM_START) : end]
    rest = markdown[:start] + "\n\n" + PLACEHOLDER + "\n\n" + markdown[end + len(VERBATIM_END) :]
    return rest, block


def on_config(config: Any) -> Any:
    """A plain ``mkdocs build`` on a fresh clone: generate docs/assessments/ first (see the module)."""
    from generator.site.mkdocs_generate import generate_if_missing

    return generate_if_missing(config)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    split = split_verbatim(markdown)
    return markdown if split is None else split[0]


def on_post_page(output: str, page: Any, config: Any) -> str:
    if PLACEHOLDER not in output or os.environ.get(DEFER_VERBATIM) == "1":
        return output
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    split = split_verbatim(source)
    if split is None:
        return output
    return output.replace(PLACEHOLDER, split[1], 1)


def on_post_build(config: Any) -> None:
    """The search box's index (``search/kaoping/``) from the built pages, so that a plain ``mkdocs build`` is
    searchable too. ``kaoping build`` writes it again once the unit pages are assembled, with each unit's
    names and reasons from its scores (``generator/site/searchindex.py``)."""
    if os.environ.get(DEFER_VERBATIM) == "1":
        return
    try:
        from generator.site.searchindex import page_docs, write_index
    except ImportError:  # a builder without kaoping installed: Material's own index remains
        return
    site_dir = Path(config["site_dir"])
    write_index(site_dir, list(page_docs(site_dir, {}, units=True)))


def _bytecode_cache() -> Any:
    """One in-memory Jinja bytecode cache per process: MkDocs loads this file anew for every build, and
    without it each build (each save under ``kaoping serve``) compiles the theme's templates again."""
    import jinja2

    holder = sys.modules.setdefault("_kaoping_jinja_cache", types.ModuleType("_kaoping_jinja_cache"))
    if getattr(holder, "cache", None) is None:

        class MemoryCache(jinja2.BytecodeCache):
            def __init__(self) -> None:
                self.store: dict[str, bytes] = {}

            def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                if bucket.key in self.store:
                    bucket.bytecode_from_string(self.store[bucket.key])

            def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
                self.store[bucket.key] = bucket.bytecode_to_string()

        setattr(holder, "cache", MemoryCache())  # noqa: B010 (a module made here: mypy cannot see the name)
    return getattr(holder, "cache")  # noqa: B009


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.bytecode_cache = _bytecode_cache()
    return env
