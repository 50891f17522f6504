"""The search box's index of a whole site, kept between builds and patched where documents changed.

Documents are the site's pages cut at their headings (read from the built HTML) and one per unit, made
from its scores (:func:`unit_doc`). A build keeps, in ``.kaoping-cache/search-index.pickle``, every
document (by the page's text, by the unit's key), every pair's encoded postings and each written file's
digest and identity. The next build makes only the documents whose page or unit changed; when the list
of documents is the same, it decodes, patches and encodes again only the postings of the pairs those
documents hold, writes only the files those pairs and documents are in, and links the others from the
last ``site/``. Anything else (documents added or removed, many changed, no cache, another kaoping)
writes the whole index, as :func:`generator.site.searchindex.write_index` does: the files are the same.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from generator.engine.exact import fmt
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.site import paths
from generator.site.cache import CACHE_DIR, digest, link_or_copy
from generator.site.searchindex import (
    CHUNK,
    FOLDER,
    KIND_ORDER,
    MAX_BODY,
    Doc,
    bigram_hash,
    chunk_text,
    clean,
    doc_postings,
    encode_entry,
    file_docs,
    manifest_text,
    order_docs,
    page_files,
    postings,
    postings_bytes,
    shard_count,
    shard_text,
    text_digest,
)

KEPT = "search-index.pickle"
#: Past this share of changed documents the whole index is written again.
PATCH_LIMIT = 0.2

# --------------------------------------------------------------------------------------------
# Documents of unit pages, from the scores
# --------------------------------------------------------------------------------------------


def _nodes(nodes: Iterable[NodeOutcome]) -> Iterator[NodeOutcome]:
    for n in nodes:
        yield n
        yield from _nodes(n.children)


def unit_doc(outcome: AssessmentOutcome, u: UnitOutcome, where: str) -> Doc:
    """A unit page's document: its names, its header line, and every point it lost with the reason."""
    s, unit = u.score, u.unit
    names = " · ".join(x for x in (f"简称 {unit.abbr}" if unit.abbr else "", f"单位代码 {unit.id}") if x)
    group = unit.group if unit.group != s.unit_type.name else ""
    head = [x for x in (group, s.unit_type.name, f"{outcome.rubric.year}年度") if x]
    if s.assessed:
        head += [f"综合得分 {fmt(s.total)}", u.standing.label]
    else:
        head.append("不参加考核" + (f"：{unit.status_note}" if unit.status_note else ""))
    lines = [" · ".join(head) + "。"]
    for n in _nodes(s.categories):
        reasons = [r for rule in n.rules for r in rule.reasons]
        if reasons:
            lines.append(f"{n.id} {n.node.title}：{'；'.join(reasons)}。")
    for p in s.penalties:
        lines.append(f"{p.penalty.name}：{p.record.reason}。")
    for v in s.vetoes:
        lines.append(f"否决事项 {v.event.name}：{v.record.reason}。")
    url = paths.html_path(paths.unit_page(outcome.rubric.id, unit.id))
    body = clean(" ".join(lines))[:MAX_BODY]
    order, sample = (-outcome.rubric.year, KIND_ORDER["单位"]), bool(where) and outcome.sample is not None
    return Doc(url, clean(unit.name), clean(names), body, "单位", where, order, sample)


def assessment_labels(rubrics: Iterable[tuple[str, str, int]]) -> dict[str, tuple[str, int]]:
    """Assessment id → (``2020年度 · 标题``, year), from (id, title, year)."""
    return {aid: (f"{year}年度 · {title}", year) for aid, title, year in rubrics}


# --------------------------------------------------------------------------------------------
# The kept index
# --------------------------------------------------------------------------------------------


@dataclass
class Kept:
    base: str
    docs: list[Doc] = field(default_factory=list)
    encoded: dict[str, array[int]] = field(default_factory=dict)
    total: int = 0
    shards: int = 1
    wheres: list[tuple[str, bool]] = field(default_factory=list)
    #: Each shard's pairs.
    by_shard: list[list[str]] = field(default_factory=list)
    #: Written file (relative to the index folder) → [digest, size, modification time, inode].
    files: dict[str, list[Any]] = field(default_factory=dict)
    pages: dict[str, tuple[str, list[Doc]]] = field(default_factory=dict)
    units: dict[str, tuple[str, Doc]] = field(default_factory=dict)


def _load(root: Path, base: str) -> Kept | None:
    try:
        with (root / CACHE_DIR / KEPT).open("rb") as handle:
            kept = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return kept if isinstance(kept, Kept) and kept.base == base else None


def _save(root: Path, kept: Kept) -> None:
    folder = root / CACHE_DIR
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
        temp = folder / f"{KEPT}.{os.getpid()}"
        with temp.open("wb") as handle:
            pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, folder / KEPT)


def _identity(path: Path) -> list[int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def splice(encoded: array[int], number: int, positions: list[int] | None) -> array[int]:
    """``encoded`` (a pair's postings) with document ``number``'s entry replaced by ``positions`` (removed when
    None). Only the entries' heads are walked; the differences after the entry are fixed up."""
    i, base, size = 0, 0, len(encoded)
    while i < size and base + encoded[i] < number:
        base += encoded[i]
        i += 2 + encoded[i + 1]
    start = end = i
    if i < size and base + encoded[i] == number:
        end = i + 2 + encoded[i + 1]
        following = number + encoded[end] if end < size else None
    else:
        following = base + encoded[i] if i < size else None
    middle = array("i", encode_entry(number, base, positions) if positions else [])
    last = number if positions else base
    if following is None:
        return encoded[:start] + middle
    return encoded[:start] + middle + array("i", [following - last]) + encoded[end + 1 :]


def page_text(data: bytes) -> str:
    """A built page's text as ``Path.read_text`` gives it (UTF-8, universal newlines), in a third of the memory."""
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class Index:
    """Writes the index of a build, from what the last build kept where it can."""

    def __init__(self, root: Path, base: str, old_site: Path, previous: Index | None = None) -> None:
        """``previous``: the last build's index still in memory (the preview's), instead of the one kept on disk."""
        self.root = root
        self.old_folder = old_site / FOLDER
        self.kept = Kept(base)
        if previous is not None:
            self.old: Kept | None = previous.kept if previous.kept.base == base else None
        else:
            self.old = _load(root, base)

    def documents(
        self,
        site_dir: Path,
        outcomes: Iterable[AssessmentOutcome],
        labels: dict[str, tuple[str, int]],
        unit_key: Callable[[str, str], str],
    ) -> list[Doc]:
        """The site's documents: pages read again only where their text changed, units where their key did."""
        old_pages = self.old.pages if self.old else {}
        old_units = self.old.units if self.old else {}
        docs: list[Doc] = []
        for rel, path in page_files(site_dir):
            data = path.read_bytes()
            key = digest(data, repr(labels))  # its bytes: the key its text had, but for a \r
            known = old_pages.get(rel)
            if known is not None and known[0] == key:
                made = known[1]
            else:
                text = page_text(data)
                del data  # (the results page of 100,000 units: about 60 MB)
                made = file_docs(rel, text, labels)
                del text
            self.kept.pages[rel] = (key, made)
            docs += made
        for outcome in outcomes:
            where = labels.get(outcome.rubric.id, ("", 0))[0]
            for u in outcome.units:
                key = digest(unit_key(outcome.rubric.id, u.unit.id), where)
                url = paths.html_path(paths.unit_page(outcome.rubric.id, u.unit.id))
                found = old_units.get(url)
                doc = found[1] if found is not None and found[0] == key else unit_doc(outcome, u, where)
                self.kept.units[url] = (key, doc)
                docs.append(doc)
        return docs

    def write(self, site_dir: Path, docs: list[Doc]) -> dict[str, int]:
        docs = order_docs(docs)
        old = self.old
        # Patched only where the same pages are in the same order: a page renamed (a unit's code changed) or
        # added, removed or moved makes the whole index again.
        if old is None or not old.docs or [d.url for d in old.docs] != [d.url for d in docs]:
            return self._write_all(site_dir, docs)
        changed = [n for n, (a, b) in enumerate(zip(old.docs, docs, strict=True)) if a != b]
        if len(changed) > PATCH_LIMIT * len(docs):
            return self._write_all(site_dir, docs)
        return self._patch(site_dir, docs, old, changed)

    def _write_all(self, site_dir: Path, docs: list[Doc]) -> dict[str, int]:
        encoded = postings(docs)
        total = sum(postings_bytes(pair, v) for pair, v in encoded.items())
        shards = shard_count(total)
        by_shard: list[list[str]] = [[] for _ in range(shards)]
        for pair in encoded:
            by_shard[bigram_hash(pair) % shards].append(pair)
        wheres = sorted({(d.where, d.sample) for d in docs})
        self.kept.by_shard = by_shard
        files = {f"t/{n}.js": partial(shard_text, n, shards, encoded, by_shard[n]) for n in range(shards)}
        files |= {f"d/{n}.js": partial(chunk_text, n, docs, wheres) for n in range((len(docs) + CHUNK - 1) // CHUNK)}
        self._files(site_dir, docs, encoded, total, shards, wheres, files)
        return {"docs": len(docs), "pairs": len(encoded), "shards": shards, "written": len(files)}

    def _patch(self, site_dir: Path, docs: list[Doc], old: Kept, changed: list[int]) -> dict[str, int]:
        encoded = old.encoded
        total = old.total
        touched: dict[str, dict[int, list[int] | None]] = {}
        for n in changed:
            before, after = doc_postings(old.docs[n]), doc_postings(docs[n])
            for pair in before.keys() | after.keys():
                touched.setdefault(pair, {})[n] = after.get(pair)
        added: list[str] = []
        removed: list[str] = []
        for pair, edits in touched.items():
            current = encoded.get(pair)
            if current is not None:
                total -= postings_bytes(pair, current)
            else:
                added.append(pair)
                current = array("i")
            for n, positions in sorted(edits.items()):
                current = splice(current, n, positions)
            if current:
                encoded[pair] = current
                total += postings_bytes(pair, current)
            elif encoded.pop(pair, None) is not None:
                removed.append(pair)
        shards = shard_count(total)
        by_shard = old.by_shard
        if shards != old.shards:
            by_shard = [[] for _ in range(shards)]
            for pair in encoded:
                by_shard[bigram_hash(pair) % shards].append(pair)
        else:
            for pair in added:
                if pair in encoded:
                    by_shard[bigram_hash(pair) % shards].append(pair)
            for pair in removed:
                by_shard[bigram_hash(pair) % shards].remove(pair)
        self.kept.by_shard = by_shard
        wheres = sorted({(d.where, d.sample) for d in docs})
        shard_numbers = range(shards) if shards != old.shards else sorted({bigram_hash(p) % shards for p in touched})
        chunks = (
            range((len(docs) + CHUNK - 1) // CHUNK) if wheres != old.wheres else sorted({n // CHUNK for n in changed})
        )
        files: dict[str, Callable[[], str] | None] = {}
        if shards == old.shards:
            files |= {f"t/{n}.js": None for n in range(shards)}
        if wheres == old.wheres:
            files |= {f"d/{n}.js": None for n in range((len(docs) + CHUNK - 1) // CHUNK)}
        files |= {f"t/{n}.js": partial(shard_text, n, shards, encoded, by_shard[n]) for n in shard_numbers}
        files |= {f"d/{n}.js": partial(chunk_text, n, docs, wheres) for n in chunks}
        self._files(site_dir, docs, encoded, total, shards, wheres, files, old)
        return {
            "docs": len(docs),
            "pairs": len(encoded),
            "shards": shards,
            "written": sum(1 for make in files.values() if make is not None),
        }

    def _files(
        self,
        site_dir: Path,
        docs: list[Doc],
        encoded: dict[str, array[int]],
        total: int,
        shards: int,
        wheres: list[tuple[str, bool]],
        files: dict[str, Any],
        old: Kept | None = None,
    ) -> None:
        """Write (or link from the last site) every file, then the manifest, and keep it all."""
        folder = site_dir / FOLDER
        (folder / "t").mkdir(parents=True, exist_ok=True)
        (folder / "d").mkdir(parents=True, exist_ok=True)
        digests = []
        for rel in sorted(files, key=lambda r: (r[0] != "t", int(r[2:-3]))):
            make = files[rel]
            known = old.files.get(rel) if old is not None else None
            if make is None and known is not None and _identity(self.old_folder / rel) == known[1:]:
                link_or_copy(self.old_folder / rel, folder / rel)
                file_digest = known[0]
            else:
                text = make() if make is not None else self._remake(rel, docs, encoded, shards, wheres)
                (folder / rel).write_text(text, encoding="utf-8")
                file_digest = text_digest(text)
            digests.append(file_digest)
            self.kept.files[rel] = [file_digest, *(_identity(folder / rel) or [])]
        (folder / "index.js").write_text(manifest_text(docs, shards, wheres, digests), encoding="utf-8")
        self.kept.docs, self.kept.encoded, self.kept.total = docs, encoded, total
        self.kept.shards, self.kept.wheres = shards, wheres

    def _remake(
        self, rel: str, docs: list[Doc], encoded: dict[str, array[int]], shards: int, wheres: list[tuple[str, bool]]
    ) -> str:
        n = int(rel[2:-3])
        return shard_text(n, shards, encoded, self.kept.by_shard[n]) if rel[0] == "t" else chunk_text(n, docs, wheres)

    def keep(self, site_dir: Path, save: bool = True) -> None:
        """Keep this build's index for the next, with the identities its files have in ``site_dir``; on disk
        unless ``save`` is false (the preview keeps it in memory)."""
        folder = site_dir / FOLDER
        for rel, known in self.kept.files.items():
            known[1:] = _identity(folder / rel) or []
        if save:
            _save(self.root, self.kept)
