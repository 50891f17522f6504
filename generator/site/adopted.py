"""The last build's unit folders of ``docs/assessments``, taken into the staged docs folder whole.

A build stages a new ``docs/assessments`` and swaps it in (:func:`generator.site.folders.swap_in`). A unit
whose key did not change keeps the files the last build made for it (:mod:`generator.site.cache`): hard links
to them, three per unit, ten thousand units thirty thousand links, about a second. Instead, each assessment's
``units/`` folder is moved into the staged folder by one rename, when every file in it is one the last build
recorded; then the files of a unit made again are removed from it just before its new ones are written (a file
is never changed in place: the site's copies are links to the same files), and the files of units no longer in
the data are deleted. A folder holding anything else is left where it is, and its units are linked as before.

Only a whole build does this (a shard's build puts the old folder back afterwards, and a merge's record
holds the shards' files). If the build stops before the staged folder is swapped in, the folders go back,
with the new files of the units made again by then: the next build does not take those (a build forgets the
record when it starts and saves it only when it finishes; a file written since has another identity anyway).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.site import paths
from generator.site.cache import Record


class Adopted:
    """The assessments whose ``units/`` folder was moved from ``docs/`` into the staged ``docs`` folder."""

    def __init__(self, root: Path, record: Record, staged: Path):
        self.root, self.record = root, record
        #: The staged docs folder, as a string ending in a separator (thousands of paths are joined to it).
        self.staged = os.path.join(str(staged), "")
        self.moved: dict[str, tuple[str, str]] = {}

    @staticmethod
    def folder(aid: str) -> str:
        """An assessment's units folder, relative to ``docs/``."""
        return os.path.dirname(paths.unit_page(aid, "_"))

    def take(self, assessments: Iterable[str]) -> None:
        """Move each assessment's units folder into the staged docs when every entry in it is a file the last
        build wrote there (and recorded with its identity)."""
        for aid in assessments:
            rel = self.folder(aid)
            old, new = os.path.join(self.root, "docs", rel), self.staged + rel
            if not self._all_recorded(old, f"docs/{rel}/"):
                continue
            try:
                os.makedirs(os.path.dirname(new), exist_ok=True)
                os.rename(old, new)
            except OSError:
                continue
            self.moved[aid] = (old, new)

    def _all_recorded(self, folder: str, prefix: str) -> bool:
        files = self.record.files
        try:
            if os.path.islink(folder) or not os.path.isdir(folder):
                return False
            with os.scandir(folder) as entries:
                for entry in entries:
                    known = files.get(prefix + entry.name)
                    if known is None or len(known) != 4 or not entry.is_file(follow_symlinks=False):
                        return False
        except OSError:
            return False
        return True

    def kept(self, rels: list[str], key: str) -> bool:
        """Whether the staged files at ``rels`` (``docs/…``) are all the ones the last build wrote from ``key``
        (:meth:`Record.found`, where they are now): then they stay as they are, and the record keeps their
        identities (:attr:`Record.same`)."""
        if not all(self.record.found(rel, key, self.staged + rel[len("docs/") :]) for rel in rels):
            return False
        for rel in rels:
            self.record.same[rel] = self.record.files[rel][1:]
        return True

    def drop(self, names: Iterable[str]) -> None:
        """Remove the staged files ``names`` (relative to the docs folder), to be written anew."""
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.staged + name)

    def sweep(self, written: Mapping[str, str]) -> None:
        """Delete what the moved folders hold that this build did not write: the files of units gone from the
        data (files the last build recorded, see :meth:`take`)."""
        for aid in self.moved:
            rel = self.folder(aid)
            folder = self.staged + rel
            with os.scandir(folder) as entries:
                stale = [e.name for e in entries if f"docs/{rel}/{e.name}" not in written]
            self.drop(f"{rel}/{name}" for name in stale)

    def give_back(self) -> None:
        """Put the moved folders back (the build stopped before the staged docs were swapped in)."""
        for old, new in self.moved.values():
            with contextlib.suppress(OSError):
                if not os.path.lexists(old):
                    os.rename(new, old)
        self.moved.clear()
