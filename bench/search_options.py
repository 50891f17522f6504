"""The search options that were measured against the query set before one was chosen (figures in the README).

1. ``jieba``: a word index segmented by jieba, the query segmented by the same jieba in the browser (what
   Material does at build time, plus the same dictionary shipped to the browser). Measured without a
   browser: a query is found on a page when the query's words are consecutive words of the page's text, and
   the dictionary the browser would have to download is weighed.
2. ``pagefind``: Pagefind 1.5 with its Chinese segmentation (``pagefind-bin-extended`` from PyPI, not a
   dependency of the project: ``pip install pagefind-bin-extended``), indexing each page's article, queried
   in Chromium through its JavaScript API (its own search box, not Material's), over http and file://.

The chosen option (``generator/site/searchindex.py``, every character pair with positions) is measured through
the real search box by ``bench/search.py``.

    python bench/search_options.py [--site DIR]
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from search import CHROMIUM, CHROMIUM_ARGS, build_bundled, fold, load_queries, page_text, served, site_path  # noqa: E402


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def option_jieba(site: Path) -> None:
    import jieba

    from generator.site.build import working_directory  # noqa: F401 (the project's venv)

    user = HERE.parent / "site_templates" / "jieba_user_dict.txt"
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(user))
    pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html"]
    words = {rel: tokenizer.lcut(page_text(site, rel)) for rel in pages}
    found = 0
    queries = load_queries()
    for q in queries:
        target = [w for w in tokenizer.lcut(fold(q.q)) if w.strip()]
        hits = []
        for rel in pages:
            if not any(fnmatch.fnmatchcase(rel, pattern) for pattern in q.find):
                continue
            ws = words[rel]
            if any(ws[i : i + len(target)] == target for i in range(len(ws) - len(target) + 1)):
                hits.append(rel)
        found += bool(hits)
    dictionary = Path(jieba.__file__).parent / "dict.txt"
    print("\n## jieba in the browser (same segmentation as the index)")
    print(f"queries whose words are consecutive words of a page they must find: {found}/{len(queries)} "
          f"({found / len(queries):.0%}): the best top-3 recall a word index can reach")
    print(f"dictionary the browser would download first: {dictionary.stat().st_size / 1024 / 1024:.1f} MB "
          f"({gz(dictionary) / 1024 / 1024:.1f} MB gzip)")


PAGEFIND_JS = """async (q) => {
  const pf = await import(new URL("pagefind/pagefind.js", location.href).href);
  const t = performance.now();
  const r = await pf.search(q);
  const top = await Promise.all(r.results.slice(0, 3).map(x => x.data()));
  return {ms: performance.now() - t, urls: top.map(d => d.url), excerpt: top.length ? top[0].excerpt : ""};
}"""


def option_pagefind(site: Path, work: Path) -> None:
    try:
        import pagefind_bin_extended  # type: ignore[import-not-found]
    except ImportError:
        print("\n## Pagefind: not installed (pip install pagefind-bin-extended), skipped")
        return
    binary = Path(pagefind_bin_extended.__file__).parent / "pagefind_extended"
    copy = work / "pagefind-site"
    shutil.copytree(site, copy)
    t = time.perf_counter()
    subprocess.run([str(binary), "--site", str(copy), "--force-language", "zh-cn", "--root-selector", "article"],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - t
    files = [p for p in (copy / "pagefind").rglob("*") if p.is_file()]
    print(f"\n## Pagefind 1.5 extended (zh), its JavaScript API in Chromium; index {len(files)} files, "
          f"{sum(p.stat().st_size for p in files) / 1024 / 1024:.1f} MB, built in {seconds:.1f} s")
    from playwright.sync_api import sync_playwright

    queries = load_queries()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with served(copy) as base:
                for label, root in (("http", base), ("file://", copy.as_uri() + "/")):
                    top1 = top3 = answered = 0
                    times: list[float] = []
                    downloaded: list[int] = []
                    errors = ""
                    for q in queries:
                        context = browser.new_context()
                        page = context.new_page()
                        got: list[str] = []
                        page.on("request", lambda r, got=got: got.append(r.url))
                        page.goto(root + "index.html")
                        before = len(got)
                        try:
                            out = page.evaluate(PAGEFIND_JS, q.q)
                        except Exception as exc:
                            errors = str(exc).splitlines()[0][:160]
                            context.close()
                            continue
                        context.close()
                        answered += 1
                        times.append(out["ms"] / 1000)
                        hits = [u.lstrip("/").split("#")[0] for u in out["urls"]]
                        top1 += bool(hits) and fold(q.q) in page_text(copy, hits[0])
                        top3 += any(fnmatch.fnmatchcase(h, p) for h in hits[:3] for p in q.find)
                        sizes = [gz(copy / rel) for u in got[before:] if (rel := site_path(u, root)) and (copy / rel).is_file()]
                        downloaded.append(sum(sizes))
                    n = len(queries)
                    line = f"{label}: answered {answered}/{n}, top-1 {top1 / n:.0%}, top-3 {top3 / n:.0%}"
                    if times:
                        line += (f", median {statistics.median(times) * 1000:.0f} ms, index downloaded per query "
                                 f"at most {max(downloaded) / 1024:.0f} KB gzip")
                    print(line + (f"; error: {errors}" if errors and not answered else ""))
        finally:
            browser.close()


def main() -> None:
    p = argparse.ArgumentParser(description="kaoping：搜索方案的对比测量")
    p.add_argument("--site", type=Path, help="an already built site (default: build the bundled data)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kaoping-search-options-"))
    try:
        site = args.site.resolve() if args.site else build_bundled(work)
        option_jieba(site)
        option_pagefind(site, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
