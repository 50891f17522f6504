"""The search benchmark behind ``make bench-search``: real queries typed into the real search box in Chromium.

For each query of ``tests/search_queries.yml`` a fresh browser context opens the home page, the query is
typed into the header's search box (filled, then a key released, as an input method commits Chinese), and
the first results are read back as a reader sees them. Printed:

- top-1 precision: the share of queries whose first result is a page that contains the query;
- top-3 recall: the share of queries for which a page listed under ``find`` is among the first three;
- time to first result: from typing to the first result shown (median and slowest);
- what the page downloaded: before anyone searched, and from typing to the first result (bytes on disk and
  gzip-compressed, as a web server with compression sends them).

    python bench/search.py                      # the bundled data, built into a temporary folder
    python bench/search.py --site DIR           # an already built site (e.g. one built by an earlier version)
    python bench/search.py --file               # also over file://, the site opened from a folder
    python bench/search.py --synth 10000        # synthetic data at that size: downloads and time at scale
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import gzip
import html
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

QUERIES = REPO / "tests" / "search_queries.yml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RESULT = ".md-search-result__list > li"
WAIT_JS = """() => {
  const items = document.querySelectorAll('.md-search-result__list > li');
  const meta = document.querySelector('.md-search-result__meta');
  return items.length > 0 || (meta && /没有找到/.test(meta.textContent));
}"""


@dataclass
class Query:
    q: str
    find: list[str]
    group: str


@dataclass
class Outcome:
    query: Query
    hits: list[str]
    seconds: float | None
    top1_contains: bool
    found: bool
    bytes_before: int = 0
    bytes_search: int = 0
    gzip_before: int = 0
    gzip_search: int = 0
    #: Of those, the search index's files (search/): loaded by the page itself, and by the query.
    index_gzip_before: int = 0
    index_gzip_search: int = 0
    titles: list[str] = field(default_factory=list)


def load_queries(path: Path = QUERIES) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(str(e["q"]), list(e["find"]), group) for group, entries in data.items() for e in entries]


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@functools.cache
def page_text(site: Path, rel: str) -> str:
    """A page's main text as a reader sees it (tags, scripts and whitespace removed)."""
    path = site / rel
    if not path.is_file():
        return ""
    raw = path.read_text(encoding="utf-8", errors="replace")
    start, end = raw.find("<article"), raw.rfind("</article>")
    body = raw[start:end] if start >= 0 else raw
    body = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", "", body)
    return fold(html.unescape(re.sub(r"<[^>]+>", "", body)))


@functools.cache
def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def served(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def site_path(url: str, base: str) -> str | None:
    """The site-relative path of a URL under ``base`` (no query, no fragment), or None outside the site."""
    if not url.startswith(base):
        return None
    return urllib.parse.unquote(urllib.parse.urlsplit(url[len(base):]).path) or "index.html"


def run_query(browser: Any, base: str, site: Path, query: Query, timeout: float = 20.0) -> Outcome:
    context = browser.new_context()
    page = context.new_page()
    requested: list[tuple[str, bool]] = []
    typing = [False]
    page.on("request", lambda r: requested.append((r.url, typing[0])))
    try:
        page.goto(base + "index.html", wait_until="load")
        page.wait_for_timeout(300)  # what a page loads by itself after its load event
        box = page.locator("input.md-search__input")
        seconds: float | None = None
        # Material hides its search box where its worker cannot start (file://): nothing to type into.
        if box.is_visible() or page.locator("label.md-header__button[for=__search]").is_visible():
            if not box.is_visible():
                page.locator("label.md-header__button[for=__search]").click()
            box.click()
            typing[0] = True
            start = time.perf_counter()
            box.fill(query.q)
            box.press("End")
            try:
                page.wait_for_function(WAIT_JS, timeout=timeout * 1000, polling=10)
                seconds = time.perf_counter() - start
            except Exception:
                seconds = None
        hits: list[str] = []
        titles: list[str] = []
        first_text = page.locator(RESULT).first.inner_text() if page.locator(RESULT).count() else ""
        for item in page.locator(RESULT).all()[:10]:
            link = item.locator("a").first
            href = link.get_attribute("href") or ""
            absolute = urllib.parse.urljoin(page.url, href)
            hits.append(site_path(absolute, base) or absolute)
            titles.append(link.locator("h1, h2").first.inner_text() if link.locator("h1, h2").count() else "")
    finally:
        context.close()
    out = Outcome(query, hits, seconds, False, False, titles=titles)
    # A page whose search entry exists but that was not rendered (--index-units): what the result shows.
    shown = page_text(site, hits[0]) if hits and (site / hits[0]).is_file() else fold(first_text)
    out.top1_contains = bool(hits) and fold(query.q) in shown
    out.found = any(fnmatch.fnmatchcase(h, pattern) for h in hits[:3] for pattern in query.find)
    for url, after in requested:
        rel = site_path(url, base)
        if rel is None or not (site / rel).is_file():
            continue
        raw, packed = sizes(site / rel)
        index = rel.startswith("search/")
        if after:
            out.bytes_search += raw
            out.gzip_search += packed
            out.index_gzip_search += packed if index else 0
        else:
            out.bytes_before += raw
            out.gzip_before += packed
            out.index_gzip_before += packed if index else 0
    return out


def index_files_before(outcomes: list[Outcome]) -> int:
    return max((o.gzip_before for o in outcomes), default=0)


def summary(label: str, outcomes: list[Outcome]) -> dict[str, Any]:
    times = [o.seconds for o in outcomes if o.seconds is not None]
    groups = {}
    for group in dict.fromkeys(o.query.group for o in outcomes):
        mine = [o for o in outcomes if o.query.group == group]
        groups[group] = {
            "queries": len(mine),
            "top1": sum(o.top1_contains for o in mine) / len(mine),
            "top3": sum(o.found for o in mine) / len(mine),
        }
    return {
        "label": label,
        "queries": len(outcomes),
        "top1": sum(o.top1_contains for o in outcomes) / len(outcomes),
        "top3": sum(o.found for o in outcomes) / len(outcomes),
        "answered": len(times),
        "median_s": statistics.median(times) if times else None,
        "max_s": max(times) if times else None,
        "before_kb": max(o.bytes_before for o in outcomes) / 1024,
        "before_gz_kb": max(o.gzip_before for o in outcomes) / 1024,
        "search_kb_max": max(o.bytes_search for o in outcomes) / 1024,
        "search_gz_kb_max": max(o.gzip_search for o in outcomes) / 1024,
        "index_before_gz_kb": max(o.index_gzip_before for o in outcomes) / 1024,
        "index_first_result_gz_kb_max": max(o.index_gzip_before + o.index_gzip_search for o in outcomes) / 1024,
        "groups": groups,
    }


def print_summary(s: dict[str, Any], outcomes: list[Outcome], verbose: bool) -> None:
    def ms(v: float | None) -> str:
        return "—" if v is None else f"{v * 1000:.0f} ms"

    print(f"\n## {s['label']}: {s['queries']} queries")
    print(f"top-1 precision {s['top1']:.0%}   top-3 recall {s['top3']:.0%}   answered {s['answered']}/{s['queries']}")
    print(f"time to first result: median {ms(s['median_s'])}, slowest {ms(s['max_s'])}")
    print(f"downloaded by a page nobody searched: {s['before_kb']:.0f} KB ({s['before_gz_kb']:.0f} KB gzip), "
          f"page and assets included")
    print(f"downloaded from typing to first result: at most {s['search_kb_max']:.0f} KB "
          f"({s['search_gz_kb_max']:.0f} KB gzip)")
    print(f"search index (search/) loaded by a page nobody searched: {s['index_before_gz_kb']:.0f} KB gzip; "
          f"loaded in all up to a query's first result: at most {s['index_first_result_gz_kb_max']:.0f} KB gzip")
    for group, g in s["groups"].items():
        print(f"  {group:8} {g['queries']:3} queries   top-1 {g['top1']:.0%}   top-3 {g['top3']:.0%}")
    for o in outcomes:
        bad = not o.top1_contains or not o.found
        if verbose or bad:
            mark = "  " if not bad else ("✗1" if not o.top1_contains else "  ") + ("✗3" if not o.found else "  ")
            print(f"  {mark} {o.query.q:12} {ms(o.seconds):>8}  {' | '.join(o.hits[:3])}")


def index_size(site: Path) -> str:
    files = [p for p in (site / "search" / "kaoping").rglob("*.js")]
    raw = sum(p.stat().st_size for p in files)
    return f"{len(files):,} files, {raw / 1024 / 1024:.1f} MB"


def build_bundled(work: Path) -> Path:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest_site import copy_project

    from generator.site.build import Progress, build

    root = copy_project(work / "project")
    result = build(root, progress=Progress(quiet=True))
    if not result.ok:
        raise SystemExit("\n".join(str(p) for p in result.problems.sorted()))
    return root / "site"


def synth_queries(units: int) -> list[Query]:
    """Unit names (first, middle, last unit), the rubric's topics, words of the reasons."""
    import synth

    picks = [0, units // 2, units - 1]
    queries = [Query(synth.unit_name(n), [f"assessments/{synth.AID}/units/u{n + 1:05d}.html"], "units") for n in picks]
    queries += [Query(f"u{n + 1:05d}", [f"assessments/{synth.AID}/units/u{n + 1:05d}.html"], "units") for n in picks]
    queries += [Query(t, [f"assessments/{synth.AID}/standards.html"], "terms") for t in ("三会一课", "党费收缴", "理论学习中心组", "党建品牌")]
    queries += [Query(t, [f"assessments/{synth.AID}/units/*.html"], "reasons") for t in ("少于规定次数", "月份材料缺失")]
    return queries


def build_synth(work: Path, units: int, index_units: int | None = None) -> Path:
    """A synthetic project of ``units`` units, built; with ``index_units``, its search index is then written
    again for that many units (scored, not rendered): search at a size whose pages the machine cannot build."""
    import synth

    from generator.site.build import Progress, build

    root = work / "project"
    synth.make_project(root, units)
    result = build(root, progress=Progress(quiet=True))
    if not result.ok:
        raise SystemExit("\n".join(str(p) for p in result.problems.sorted()[:20]))
    if index_units:
        from generator.site.build import build_search_index
        from generator.data.pipeline import prepare

        big = work / "big"
        synth.make_project(big, index_units)
        prepared = prepare(big)
        build_search_index(root / "site", prepared)
    return root / "site"


def main() -> None:
    p = argparse.ArgumentParser(description="kaoping 搜索基准：在 Chromium 的搜索框中输入真实的查询")
    p.add_argument("--site", type=Path, help="an already built site (default: build the bundled data)")
    p.add_argument("--file", action="store_true", help="also open the site from its folder (file://)")
    p.add_argument("--synth", type=int, metavar="UNITS", help="synthetic data of this many units")
    p.add_argument("--index-units", type=int, metavar="UNITS",
                   help="with --synth: a search index of this many units (scored, pages not rendered)")
    p.add_argument("--label", default="", help="what the figures are of (printed)")
    p.add_argument("--json", type=Path, help="also write the figures as JSON")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for a query's first result")
    p.add_argument("-v", "--verbose", action="store_true", help="every query's first three results")
    args = p.parse_args()

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kaoping-bench-search-"))
    try:
        if args.synth:
            t = time.perf_counter()
            site = build_synth(work, args.synth, args.index_units)
            units = args.index_units or args.synth
            print(f"built {args.synth:,} synthetic units" + (f", search index of {units:,}" if args.index_units else "")
                  + f" in {time.perf_counter() - t:.0f} s; index {index_size(site)}")
            queries = synth_queries(units)
        else:
            site = args.site.resolve() if args.site else build_bundled(work)
            queries = load_queries()
        label = args.label or (f"{args.index_units or args.synth:,} synthetic units" if args.synth else str(site))
        results = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                with served(site) as base:
                    outcomes = [run_query(browser, base, site, q, args.timeout) for q in queries]
                s = summary(f"{label} (http)", outcomes)
                print_summary(s, outcomes, args.verbose)
                results.append(s)
                if args.file:
                    base = site.as_uri() + "/"
                    outcomes = [run_query(browser, base, site, q, args.timeout) for q in queries]
                    s = summary(f"{label} (file://)", outcomes)
                    print_summary(s, outcomes, args.verbose)
                    results.append(s)
            finally:
                browser.close()
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
