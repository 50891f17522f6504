"""The site's search index: every character pair of the text, sharded, loaded by the search box on demand.

Chinese has no spaces, and a word segmenter at build time (jieba) cuts text differently from what a
reader types, so a query must match any run of characters, as the browser's Find does. The index holds
every overlapping pair of letters or digits (a *bigram*) of each document with its positions; a query is
the same pairs at consecutive positions, so the search box finds exactly the documents that contain what
was typed, whatever the words around it. Nothing depends on a dictionary.

Documents are the site's pages cut at their headings (an indicator of the standards is one document), and
one per unit page built from the unit's data: its names (full name, 简称, unit code), its header line,
and its deductions with their reasons. A document's position space has three fields: the title from 0,
the other names from ``NAMES_AT`` and the body from ``BODY_AT``, so a position tells where a match is.

Written into ``search/kaoping/`` as plain scripts, which a page loads with ``<script>`` tags: that works
over http and from a folder opened in the browser (file://, where fetch, workers and WebAssembly are
refused). Nothing is loaded until someone types into the search box (``docs/assets/kaoping-search.js``):

- ``index.js``: the manifest (document count, shard count, labels), a few hundred bytes;
- ``t/<n>.js``: shard ``n`` of the pairs (a pair's shard is a hash of it), each pair's postings;
- ``d/<n>.js``: documents ``n * CHUNK`` … (URL, title, names, body, kind, where).

A query loads the shards of its pairs and the documents of the first results only, so what a search
downloads grows with the number of matches shown, not with the size of the site.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from generator.site import paths
from generator.site.searchdoc import KIND_ORDER, KINDS, Doc

#: Where the index goes, relative to the site's root.
FOLDER = "search/kaoping"
#: Documents per documents file.
CHUNK = 16
#: Bytes of postings a shard holds on average (the number of shards is a power of two).
SHARD_BYTES = 24 * 1024
#: Where a document's other names and its body start in its position space.
NAMES_AT = 1000
BODY_AT = 2000
#: A document's body is cut after this many characters (a huge notice page: every unit has its own page).
MAX_BODY = 20000
#: Characters that pairs are made of besides letters and digits: item numbers (3.5.3), unit codes (gz-02).
JOINERS = ".-_"
#: Page parts left out of the index: the permalink signs, the ranking tables (each unit has its own
#: document), icons, scripts, and anything marked for it.
SKIP_CLASSES = {"headerlink", "kp-ranking", "md-content__button", "kp-notice-tools"}
SKIP_TAGS = {"script", "style", "svg", "button", "nav", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --------------------------------------------------------------------------------------------
# Text, as the search box sees it
# --------------------------------------------------------------------------------------------


def fold_char(c: str) -> str:
    """One character as compared: NFKC (full-width to half-width) when that stays one character, ASCII lower case.

    Length-preserving, so a position in the folded text is a position in the shown text. The browser folds
    a query the same way (``kaoping-search.js``).
    """
    n = unicodedata.normalize("NFKC", c)
    if len(n) == 1:
        c = n
    return c.lower() if "A" <= c <= "Z" else c


def indexable(c: str) -> bool:
    return c in JOINERS or unicodedata.category(c)[0] in "LN"


_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(i for i in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD))


def clean(text: str) -> str:
    """Text as stored: no zero-width or control characters, runs of white space as one space."""
    text = text.translate(_INVISIBLE)
    text = "".join(c for c in text if c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cf"))
    return _SPACE.sub(" ", text).strip()


def bigram_hash(pair: str) -> int:
    """The shard hash of a pair: over code points, ``h * 31 + c`` modulo 2**32 (the same in the browser)."""
    h = 0
    for c in pair:
        h = (h * 31 + ord(c)) & 0xFFFFFFFF
    return h


#: Characters already folded: fold_char and indexable are pure, and texts repeat few characters.
_FOLDED: dict[str, tuple[str, bool]] = {}


def _folded(c: str) -> tuple[str, bool]:
    known = _FOLDED.get(c)
    if known is None:
        f = fold_char(c)
        known = _FOLDED[c] = (f, indexable(f))
    return known


def pairs(text: str, base: int) -> list[tuple[str, int]]:
    """(pair, position) for every two neighbouring indexable characters of ``text``."""
    folded = [_FOLDED.get(c) or _folded(c) for c in text]
    return [
        (a + b, i)
        for i, ((a, ok_a), (b, ok_b)) in enumerate(zip(folded, folded[1:], strict=False), base)
        if ok_a and ok_b
    ]


# --------------------------------------------------------------------------------------------
# Documents from the built pages
# --------------------------------------------------------------------------------------------


class _Sections(HTMLParser):
    """A page's article cut at its headings: (anchor, heading text, text) per section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        #: [anchor, heading, text, heading level] per section; the first holds what comes before any heading.
        self.sections: list[list[str]] = [["", "", "", "0"]]
        self.in_article = 0
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag == "article" and "md-content__inner" in classes:
            self.in_article += 1
        skip = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES) or "data-search-exclude" in a
        self.stack.append((tag, skip))
        if skip:
            self.skip_depth += 1
        if self.in_article and not self.skip_depth and re.fullmatch(r"h[1-4]", tag):
            self.sections.append([a.get("id") or "", "", "", tag[1]])
            self.heading = tag
        elif self.in_article and tag in ("p", "li", "td", "th", "dt", "dd", "div", "tr", "br"):
            self.sections[-1][2] += " "

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            name, skip = self.stack.pop()
            if skip:
                self.skip_depth -= 1
            if name == "article" and self.in_article:
                self.in_article -= 1
            if name == tag:
                break
        if tag == self.heading:
            self.heading = None

    def handle_data(self, data: str) -> None:
        if not self.in_article or self.skip_depth:
            return
        self.sections[-1][1 if self.heading else 2] += data


_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">.*</article>', re.DOTALL)
_RANKING = re.compile(r'<table class="[^"]*\bkp-ranking\b.*?</table>', re.DOTALL)


def page_sections(text: str) -> list[tuple[str, str, str, int]]:
    """(anchor, heading, text, heading level) of each section of a page's article that has any text."""
    article = _ARTICLE.search(text)
    # The article without its ranking tables, never copied whole (tens of megabytes at 100,000 units).
    cuts = [*(article.span() if article else (0, len(text)))]
    cuts[1:1] = [i for table in _RANKING.finditer(text, cuts[0], cuts[-1]) for i in table.span()]
    text = "".join(text[cuts[i] : cuts[i + 1]] for i in range(0, len(cuts), 2))
    parser = _Sections()
    parser.feed(text)
    parser.close()
    out = []
    for anchor, heading, body, level in parser.sections:
        heading, body = clean(heading), clean(body)
        if heading or body:
            out.append((anchor, heading, body, int(level)))
    return out


def page_kind(path: str) -> str:
    parts = path.split("/")
    if path == "index.html":
        return "首页"
    if parts[0] != paths.GENERATED:
        return "说明"
    if len(parts) == 2:
        return "概况"
    if parts[-2] == "units":
        return "单位"
    return {"standards.html": "标准", "results.html": "结果", "notice.html": "通报"}.get(parts[-1], "概况")


def page_files(site_dir: Path, units: bool = False) -> Iterator[tuple[str, Path]]:
    """(site path, file) of the built pages the index reads; unit pages only with ``units``."""
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "404.html" or "/downloads/" in rel or ("/units/" in rel and not units):
            continue
        yield rel, path


def file_docs(rel: str, text: str, labels: dict[str, tuple[str, int]]) -> list[Doc]:
    """Documents of one built page (at ``rel`` in the site), one per section."""
    parts = rel.split("/")
    aid = parts[1] if parts[0] == paths.GENERATED and len(parts) >= 3 else ""
    where, year = labels.get(aid, ("", 0))
    sample = bool(where) and 'class="kp-sample' in text  # the page's sample banner
    kind = page_kind(rel)
    sections = page_sections(text)
    page_title = next((h for _, h, _, level in sections if level == 1), "")
    return [
        Doc(
            rel + (f"#{anchor}" if anchor and level > 1 else ""),
            heading or page_title,
            "",
            body[:MAX_BODY],
            kind,
            where,
            (-year, KIND_ORDER[kind]),
            sample,
        )
        for anchor, heading, body, level in sections
    ]


def page_docs(site_dir: Path, labels: dict[str, tuple[str, int]], units: bool = False) -> Iterator[Doc]:
    """Documents of the built pages, one per section; unit pages only with ``units`` (a plain MkDocs build)."""
    for rel, path in page_files(site_dir, units):
        yield from file_docs(rel, path.read_text(encoding="utf-8"), labels)


# --------------------------------------------------------------------------------------------
# Writing the index
# --------------------------------------------------------------------------------------------


def _script(call: str, *args: object) -> str:
    """A script that hands its data to the search box; ``</`` cannot close a script tag it is in."""
    text = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":")) for a in args)
    return f"kaopingSearch.{call}({text});\n".replace("</", "<\\/")


def doc_postings(doc: Doc) -> dict[str, list[int]]:
    """One document's pairs, each with its positions in the document's position space."""
    local: dict[str, list[int]] = {}
    for text, base in (
        (doc.title[: NAMES_AT - 1], 0),
        (doc.names[: BODY_AT - NAMES_AT - 1], NAMES_AT),
        (doc.body, BODY_AT),
    ):
        for pair, position in pairs(text, base):
            found = local.get(pair)
            if found is None:
                local[pair] = [position]
            else:
                found.append(position)
    return local


def encode_entry(number: int, last: int, positions: list[int]) -> list[int]:
    """A document's entry in a pair's postings: the difference from the previous document's number, the
    count of positions, the first position and the differences between positions."""
    return [
        number - last,
        len(positions),
        positions[0],
        *(b - a for a, b in zip(positions, positions[1:], strict=False)),
    ]


def postings(docs: list[Doc]) -> dict[str, array[int]]:
    """Every pair's postings (see :func:`encode_entry`), in document order, as the browser reads them. Built
    document by document into arrays of ints, so that 100,000 units fit in memory."""
    out: dict[str, array[int]] = {}
    last: dict[str, int] = {}
    for number, doc in enumerate(docs):
        for pair, positions in doc_postings(doc).items():
            encoded = out.get(pair)
            if encoded is None:
                encoded = out[pair] = array("i")
            encoded.extend(encode_entry(number, last.get(pair, 0), positions))
            last[pair] = number
    return out


def shard_count(total: int) -> int:
    """Shards for ``total`` bytes of postings (see :func:`postings_bytes`): a power of two."""
    shards = 1
    while shards * SHARD_BYTES < total:
        shards *= 2
    return shards


def postings_bytes(pair: str, encoded: array[int]) -> int:
    return len(pair) + 6 + 3 * len(encoded)


def shard_text(n: int, shards: int, encoded: dict[str, array[int]], pairs_of: list[str] | None = None) -> str:
    """Shard ``n``'s file: its pairs (all of ``encoded``, or ``pairs_of``) in order with their postings."""
    chosen = sorted(p for p in (pairs_of if pairs_of is not None else encoded) if bigram_hash(p) % shards == n)
    return _script("t", n, {pair: encoded[pair].tolist() for pair in chosen})


def chunk_text(n: int, docs: list[Doc], wheres: list[tuple[str, bool]]) -> str:
    """Documents file ``n``; a document's ``where`` is an index into the manifest's wheres (and samples)."""
    rows = [
        [d.url, d.title, d.names, d.body, KINDS.index(d.kind), wheres.index((d.where, d.sample))]
        for d in docs[n * CHUNK : (n + 1) * CHUNK]
    ]
    return _script("d", n, rows)


def manifest_text(docs: list[Doc], shards: int, wheres: list[tuple[str, bool]], file_digests: Iterable[str]) -> str:
    """``index.js``; its version is a digest of every other file's digest, in order."""
    version = hashlib.sha256("".join(file_digests).encode()).hexdigest()[:12]
    manifest = {
        "version": version,
        "docs": len(docs),
        "chunk": CHUNK,
        "shards": shards,
        "names": NAMES_AT,
        "body": BODY_AT,
        "kinds": list(KINDS),
        #: Each document's kind (an index into kinds), one digit per document: ranking weighs it.
        "kindOf": "".join(str(KINDS.index(d.kind)) for d in docs),
        "wheres": [where for where, _ in wheres],
        #: Whether the documents of each ``where`` show sample results (1): the search box tags them.
        "samples": [int(sample) for _, sample in wheres],
        "joiners": JOINERS,
    }
    return _script("m", manifest)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def order_docs(docs: list[Doc], keep: Callable[[str], bool] | None = None) -> list[Doc]:
    if keep is not None:
        docs = [d for d in docs if keep(d.url.split("#", 1)[0])]
    return sorted(docs, key=lambda d: (d.order, d.url))


def write_index(site_dir: Path, docs: list[Doc], keep: Callable[[str], bool] | None = None) -> dict[str, int]:
    """Write the index of ``docs`` (those whose URL ``keep`` accepts) into ``site_dir``; returns its figures."""
    docs = order_docs(docs, keep)
    encoded = postings(docs)
    shards = shard_count(sum(postings_bytes(pair, v) for pair, v in encoded.items()))
    folder = site_dir / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "t").mkdir(parents=True)
    (folder / "d").mkdir()
    by_shard: list[list[str]] = [[] for _ in range(shards)]
    for pair in encoded:
        by_shard[bigram_hash(pair) % shards].append(pair)
    digests = []
    for n in range(shards):
        text = shard_text(n, shards, encoded, by_shard[n])
        digests.append(text_digest(text))
        (folder / "t" / f"{n}.js").write_text(text, encoding="utf-8")
    wheres = sorted({(d.where, d.sample) for d in docs})
    for n in range((len(docs) + CHUNK - 1) // CHUNK):
        text = chunk_text(n, docs, wheres)
        digests.append(text_digest(text))
        (folder / "d" / f"{n}.js").write_text(text, encoding="utf-8")
    (folder / "index.js").write_text(manifest_text(docs, shards, wheres, digests), encoding="utf-8")
    return {"docs": len(docs), "pairs": len(encoded), "shards": shards}
