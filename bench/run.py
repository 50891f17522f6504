"""The benchmark behind ``make bench``: kaoping build at 100 / 1,000 (/ 10,000 / 100,000) units, step by step.

For each size it generates synthetic data (bench/synth.py), then in a fresh process runs ``kaoping build``
and times each of its steps (wall clock and CPU), with the peak memory of that process and its render
workers (peak memory: their proportional set sizes summed, sampled four times a second, so pages the forked
workers share are counted once; RSS sum: each one's own peak added up, which counts shared pages again),
the site's size, file count and where its bytes go (the theme's chrome around each unit page, the unit
tables, the units' JSON, the downloads, the search index). Then, each in a fresh process as a data
commit on CI would be: a rebuild with nothing changed (byte-identical?), a rebuild after one unit's row
changed (what it printed; byte-identical to a build from nothing?), the rebuild ``kaoping serve`` runs
after that change, and the same site built as two shards in separate processes and merged (byte-identical?).
In the same run it times a plain ``mkdocs build`` of the same units written as ordinary Markdown tables
(every page in the navigation), so the speed-up is a ratio measured side by side. It also times scoring
alone at 10,000 units × 100 items, and the password hash of ``kaoping build --access``.

    python bench/run.py            # 100 and 1,000 units
    python bench/run.py --full     # also 10,000 units (several minutes)
    python bench/run.py --huge     # also 100,000 units: the full build only (an hour, ~9 GB of disk)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

#: The build's progress lines that start each step, and the step's column in the table.
STEPS = [
    ("读取并检查", "read, check, score"),
    ("生成页面", "pages"),
    ("用 MkDocs", "mkdocs"),
    ("网站的布局", "mkdocs"),
    ("组装单位页面", "assemble"),
    ("生成搜索索引", "search index"),
    ("完成", "end"),
]
STEP_NAMES = ["read, check, score", "pages", "mkdocs", "assemble", "search index"]


def cpu_seconds() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_mb() -> float:
    """This process's peak plus each render worker's peak (an upper estimate: forked workers share pages)."""
    from generator.site.build import default_workers

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + workers * default_workers()) / 1024 if workers else own / 1024


def _pss_kb(pid: int) -> int:
    """The process's proportional set size: its private pages, and its share of pages it shares (a forked
    worker's copy-on-write pages count once across the processes that share them)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid):
            out.append(int(stat.parent.name))
    return out


class MemorySampler:
    """The build's memory, sampled four times a second: this process and its render workers together."""

    def __init__(self) -> None:
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.25):
            self.peak_kb = max(self.peak_kb, _pss_kb(me) + sum(_pss_kb(c) for c in _children(me)))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def child_build(root: Path) -> dict[str, object]:
    """kaoping build in this process: each step's wall time, the CPU time, the peak memory, what it said."""
    from generator.site.build import build
    from generator.site.progress import Progress

    said: list[tuple[float, str]] = []

    class Recorder(Progress):
        def step(self, text: str) -> None:
            said.append((time.perf_counter(), text))

    t, cpu = time.perf_counter(), cpu_seconds()
    sampler = MemorySampler()
    result = build(root, progress=Recorder())
    pss = sampler.stop()
    assert result.ok, [str(p) for p in result.problems.errors][:5]
    found: dict[str, object] = {
        "seconds": time.perf_counter() - t, "cpu": cpu_seconds() - cpu, "peak_mb": peak_mb(), "pss_mb": pss
    }
    steps: dict[str, float] = dict.fromkeys(STEP_NAMES, 0.0)
    marks = [(when, name) for when, text in said for prefix, name in STEPS if text.startswith(prefix)]
    for (when, name), (after, _) in zip(marks, marks[1:]):
        steps[name] += after - when
    found["steps"] = steps
    found["said"] = [text for _, text in said if text.startswith("单位页面")]
    return found


def plain_markdown_project(src: Path, out: Path) -> None:
    """The same units as the naive site: one Markdown page per unit with a Markdown table, all in the nav."""
    from generator.data.pipeline import prepare
    from generator.engine.wording import rule_words

    prepared = prepare(src)
    docs = out / "docs"
    (docs / "units").mkdir(parents=True)
    (docs / "index.md").write_text("# 考核结果\n", encoding="utf-8")
    for outcome in prepared.outcomes.values():
        for u in outcome.units:
            lines = [f"# {u.unit.name}", "", f"综合得分 {u.score.total}，{u.standing.label}", "",
                     "| 编号 | 考核项目 | 分值 | 扣分 | 得分 | 扣分原因 |", "| --- | --- | --- | --- | --- | --- |"]
            stack = list(reversed(u.score.categories))
            while stack:
                n = stack.pop()
                reasons = "；".join(rule_words(r.why) + "：" + "；".join(r.reasons) for r in n.rules)
                lines.append(f"| {n.id} | {n.node.title} | {n.points} | {n.lost} | {n.score} | {reasons} |")
                stack.extend(reversed(n.children))
            (docs / "units" / f"{u.unit.id}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: 基准\nuse_directory_urls: false\ntheme: {name: material, language: zh, font: false}\n"
        "plugins:\n  - search:\n      lang: zh\n      separator: '[\\s\\u200b\\-]'\n", encoding="utf-8")


def run_child(args: list[str]) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{out.stderr[-3000:]}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def tree_hash(folder: Path) -> str:
    """The site's files and bytes, without the build stamp (it says when the site was built)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".kaoping-build.json":
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_stats(site: Path) -> dict[str, float]:
    """The site's size and file count, and where its bytes go (MB)."""
    split = dict.fromkeys(
        ["unit chrome", "unit tables", "unit json", "unit xlsx", "downloads", "search", "other", "gz"], 0.0
    )
    files = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        files += 1
        size = path.stat().st_size
        rel = path.relative_to(site).as_posix()
        if rel.endswith(".gz"):  # the web server's pre-compressed copies
            split["gz"] += size
        elif "/units/" in rel and rel.endswith(".html"):
            data = path.read_bytes()
            start, end = data.find(b"<article"), data.find(b"</article>")
            inside = end - start if 0 <= start < end else 0
            split["unit tables"] += inside
            split["unit chrome"] += size - inside
        elif "/units/" in rel and rel.endswith(".json"):
            split["unit json"] += size
        elif "/units/" in rel and rel.endswith(".xlsx"):
            split["unit xlsx"] += size
        elif "/downloads/" in rel:
            split["downloads"] += size
        elif rel.startswith("search/"):
            split["search"] += size
        else:
            split["other"] += size
    found = {k: v / 1024 / 1024 for k, v in split.items()}
    found["site"] = sum(found.values())
    found["files"] = files
    found["index"] = sum(p.stat().st_size for p in (site / "search" / "kaoping").rglob("*.js")) / 1024 / 1024
    return found


def edit_one_row(root: Path) -> str:
    """One unit's reason changed in the results, as a clerk's commit would; the unit's page."""
    return f"assessments/{synth.AID}/units/{synth.edit_first_reason(root)}.html"


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=HERE.parent)
    return time.perf_counter() - t


def shards_and_merge(work: Path, units: int, expected: str, shards: int = 2) -> dict[str, object]:
    """The site built as ``shards`` shards, each a separate process in its own copy (as CI runners), merged."""
    merged = work / "merged"
    synth.make_project(merged, units)
    edit_one_row(merged)
    times = []
    for k in range(1, shards + 1):
        runner = work / f"runner-{k}"
        synth.make_project(runner, units)
        edit_one_row(runner)
        times.append(timed(["-m", "generator", "--root", str(runner), "build", "-q", "--shard", f"{k}/{shards}"]))
        shutil.copytree(runner / "shards", merged / "shards", dirs_exist_ok=True)
        shutil.rmtree(runner)
    merge = timed(["-m", "generator", "--root", str(merged), "merge", "-q"])
    same = tree_hash(merged / "site") == expected
    shutil.rmtree(merged)
    return {"shard": max(times), "merge": merge, "identical": same}


def published(project: Path, work: Path, gzip_only: bool, keep: bool = False) -> dict[str, float]:
    """``kaoping publish`` into ``work/published-…`` (a new folder, unless ``keep`` kept the last), as it is or
    ``--gzip-only``: its time, the published size (MB, the files' sizes) and file count."""
    dest = work / f"published-{gzip_only}"
    dest.mkdir(exist_ok=True)
    seconds = timed(["-m", "generator", "--root", str(project), "publish", *(["--gzip-only"] * gzip_only), str(dest)])
    files = [p.stat().st_size for p in dest.rglob("*") if p.is_file()]
    if not keep:
        shutil.rmtree(dest)
    return {"seconds": seconds, "mb": sum(files) / 1024 / 1024, "files": len(files)}


def bench_size(units: int, baseline: bool, full: bool = True) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"kaoping-bench-{units}-"))
    try:
        project = work / "project"
        synth.make_project(project, units)
        row: dict[str, object] = {"units": units, "build": run_child(["--build", str(project)])}
        site = project / "site"
        row["stats"] = folder_stats(site)
        if not full:
            return row
        kinds = ("plain", "gzip-only")
        row["published"] = {kind: published(project, work, kind == "gzip-only", True) for kind in kinds}
        before = tree_hash(site)
        again = run_child(["--build", str(project)])
        row["unchanged"] = again["seconds"]
        row["unchanged_identical"] = tree_hash(site) == before
        edit_one_row(project)
        edited = run_child(["--build", str(project)])
        row["one_row"], row["one_row_said"] = edited["seconds"], edited["said"]
        # Published again over the last (a plain folder: replaced whole), after that one row.
        row["published_again"] = {kind: published(project, work, kind == "gzip-only") for kind in kinds}
        after = tree_hash(site)
        # The same data built from nothing, in a fresh copy.
        scratch = work / "from-nothing"
        synth.make_project(scratch, units)
        edit_one_row(scratch)
        run_child(["--build", str(scratch)])
        row["one_row_identical"] = tree_hash(scratch / "site") == after
        shutil.rmtree(scratch)
        row["shards"] = shards_and_merge(work, units, after)
        if units <= 1000:
            row["serve_update"] = run_child(["--serve-update", str(project)])["seconds"]
        if baseline:
            plain = work / "plain"
            plain_markdown_project(project, plain)
            row["plain"] = run_child(["--plain", str(plain)])["seconds"]
        return row
    finally:
        shutil.rmtree(work, ignore_errors=True)


def child_plain(root: Path) -> dict[str, float]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(root)
    t = time.perf_counter()
    build(load_config(str(root / "mkdocs.yml")))
    return {"seconds": time.perf_counter() - t}


def child_serve_update(root: Path) -> dict[str, float]:
    """What kaoping serve does after a clerk saves one changed score: the rebuild, in a warm process."""
    from generator.site.serve import Preview

    preview = Preview(root, quiet=True)
    preview.rebuild()
    page = f"assessments/{synth.AID}/units/{synth.edit_first_reason(root, '（再复核）')}.html"
    t = time.perf_counter()
    preview.rebuild()
    preview.ensure(page)  # the page the browser reloads
    seconds = time.perf_counter() - t
    assert "（再复核）" in (preview.folder / page).read_text(encoding="utf-8")
    preview.close()
    return {"seconds": seconds}


def child_score_only(units: int, items: int) -> dict[str, float]:
    from generator.data.pipeline import prepare
    from generator.engine.scoring import score_assessment

    work = Path(tempfile.mkdtemp(prefix="kaoping-score-"))
    try:
        synth.make_project(work, units, items=items)
        from generator.data.check import check_project
        from generator.data.load import load_project
        from generator.data.problems import Problems

        problems = Problems()
        assessments = check_project(load_project(work, problems), problems)
        assert not problems.has_errors()
        t, cpu = time.perf_counter(), time.process_time()
        for a in assessments.values():
            score_assessment(a)
        return {"seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu}
    finally:
        shutil.rmtree(work, ignore_errors=True)
        del prepare


def child_password_hash() -> dict[str, float]:
    """SHA-512-crypt of the longest passwords an accounts file may hold: time per hash, memory allocated."""
    import tracemalloc

    from generator.access.passwords import MAX_PASSWORD, hash_password

    longest = {"ascii": "Ab1-" * (MAX_PASSWORD // 4), "chinese": "考评密码" * (MAX_PASSWORD // 4 - 1) + "Ab1x"}
    found: dict[str, float] = {}
    for name, password in longest.items():
        hash_password(password)
        t = time.perf_counter()
        for _ in range(20):
            hash_password(password)
        found[f"{name}_ms"] = (time.perf_counter() - t) / 20 * 1000
        tracemalloc.start()
        hash_password(password)
        found[f"{name}_kb"] = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    return found


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def yes(flag: object) -> str:
    return "yes" if flag else "NO"


def print_tables(rows: list[dict[str, object]]) -> None:
    columns = ["units", *STEP_NAMES, "total", "CPU", "peak memory", "RSS sum", "site", "files", "search index",
               "plain mkdocs", "speed-up"]
    print("Full build (a fresh process, nothing kept):\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    for r in rows:
        b, st = r["build"], r["stats"]
        assert isinstance(b, dict) and isinstance(st, dict)
        total, plain = float(b["seconds"]), r.get("plain")
        cells = [f"{r['units']:,}", *(f"{b['steps'][k]:.1f} s" for k in STEP_NAMES), f"**{total:.1f} s**",
                 f"{b['cpu']:.1f} s", f"{b['pss_mb']:.0f} MB", f"{b['peak_mb']:.0f} MB", f"{st['site']:.0f} MB",
                 f"{st['files']:,}",
                 f"{st['index']:.1f} MB",
                 f"{float(plain):.1f} s" if plain is not None else "—",  # type: ignore[arg-type]
                 f"{float(plain) / total:.1f}×" if plain is not None else "—"]  # type: ignore[arg-type]
        print("| " + " | ".join(cells) + " |")
    columns = ["units", "unit chrome", "unit tables", "unit json", "unit xlsx", "downloads", "search", "other", "gz",
               "site"]
    print("\nWhere the site's bytes go (MB; a unit page's chrome is everything outside its <article>; gz: the "
          "pre-compressed copies):\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    for r in rows:
        st = r["stats"]
        assert isinstance(st, dict)
        print("| " + " | ".join([f"{r['units']:,}", *(f"{st[k]:.0f}" for k in columns[1:])]) + " |")
    print("\nPublished (kaoping publish into a new folder, then again over it after one row changed; MB are the "
          "files' sizes):\n")
    print("| units | publish | again | published | files | publish --gzip-only | again | published | files |")
    print("|" + " --- |" * 9)
    for r in rows:
        pub, again = r.get("published"), r.get("published_again")
        if isinstance(pub, dict) and isinstance(again, dict):
            cells = [f"{r['units']:,}"]
            for kind in ("plain", "gzip-only"):
                first, later = pub[kind], again[kind]
                cells += [f"{first['seconds']:.1f} s", f"{later['seconds']:.1f} s", f"{first['mb']:.0f} MB",
                          f"{first['files']:,}"]
            print("| " + " | ".join(cells) + " |")
    columns = ["units", "nothing changed", "identical", "one row changed", "identical to a build from nothing",
               "serve update", "2 shards (slowest) + merge", "merged identical"]
    print("\nRebuilds, each a fresh process (as a data commit on CI):\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    for r in rows:
        if "unchanged" not in r:
            continue
        sh = r["shards"]
        assert isinstance(sh, dict)
        cells = [f"{r['units']:,}", f"{r['unchanged']:.1f} s", yes(r["unchanged_identical"]), f"{r['one_row']:.1f} s",
                 yes(r["one_row_identical"]),
                 f"{r['serve_update']:.1f} s" if "serve_update" in r else "—",
                 f"{sh['shard']:.1f} s + {sh['merge']:.1f} s", yes(sh["identical"])]
        print("| " + " | ".join(cells) + " |")
    for r in rows:
        if "one_row_said" in r:
            print(f"{r['units']:,} units, one row changed, the build said: {'; '.join(r['one_row_said'])}")  # type: ignore[arg-type]


def main() -> None:
    p = argparse.ArgumentParser(description="kaoping 性能基准")
    p.add_argument("--full", action="store_true", help="also 10,000 units")
    p.add_argument("--huge", action="store_true", help="also 100,000 units (the full build only)")
    p.add_argument("--build", type=Path)
    p.add_argument("--plain", type=Path)
    p.add_argument("--serve-update", type=Path)
    p.add_argument("--score-only", type=int, nargs=2, metavar=("UNITS", "ITEMS"))
    p.add_argument("--password-hash", action="store_true")
    p.add_argument("--sizes", type=int, nargs="*", help="only these sizes (no baseline beyond 1,000)")
    args = p.parse_args()
    if args.password_hash:
        print(json.dumps(child_password_hash()))
        return
    if args.build:
        print(json.dumps(child_build(args.build)))
        return
    if args.plain:
        print(json.dumps(child_plain(args.plain)))
        return
    if args.serve_update:
        print(json.dumps(child_serve_update(args.serve_update)))
        return
    if args.score_only:
        print(json.dumps(child_score_only(*args.score_only)))
        return

    sizes = args.sizes or [100, 1000] + ([10000] if args.full else []) + ([100000] if args.huge else [])
    print(f"Machine: {machine()}; load average before the run {os.getloadavg()[0]:.1f}\n")
    rows = [bench_size(n, baseline=n <= 1000, full=n <= 10000) for n in sizes]
    print_tables(rows)
    score = run_child(["--score-only", "10000", "100"])
    print(f"\nScoring alone, 10,000 units × 100 items: {score['seconds']:.2f} s ({score['cpu']:.2f} s CPU)")
    h = run_child(["--password-hash"])
    print(
        "Password hash (SHA-512-crypt, 5,000 rounds), longest password allowed (128 characters): "
        f"ASCII {h['ascii_ms']:.1f} ms, {h['ascii_kb']:.0f} KB allocated; "
        f"Chinese (384 bytes) {h['chinese_ms']:.1f} ms, {h['chinese_kb']:.0f} KB allocated"
    )


if __name__ == "__main__":
    main()
