"""The benchmark behind ``make bench``: kaoping build at 100 / 1,000 (/ 10,000) units, step by step.

For each size it generates synthetic data (bench/synth.py), then in a fresh process times each step of the
pipeline (load, check, score, render, mkdocs with assembly), and reports the peak memory of that process and
its render workers, the site's size, file count and search index size. In the same run it times a plain
``mkdocs build`` of the same units written as ordinary Markdown tables (every page in the navigation), so the
speed-up is a ratio measured side by side. It also checks that a rebuild of unchanged data is byte-identical,
times the rebuild that ``kaoping serve`` runs after one score changes, times scoring alone at
10,000 units × 100 items, and times the password hash of ``kaoping build --access`` for the longest
passwords allowed, with the memory it allocates.

    python bench/run.py            # 100 and 1,000 units
    python bench/run.py --full     # also 10,000 units (several minutes)
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


def measure_build(root: Path) -> dict[str, float]:
    """Run the pipeline step by step in this process (called in a child process)."""
    from generator.site import build as b
    from generator.site.assemble import assemble, exclude_patterns, shell_units
    from generator.data.check import check_project
    from generator.data.load import load_project
    from generator.data.pipeline import Prepared
    from generator.data.problems import Problems
    from generator.site.render import render_site
    from generator.engine.scoring import score_assessment

    times: dict[str, float] = {}
    t = time.perf_counter()
    problems = Problems()
    project = load_project(root, problems)
    times["load"] = time.perf_counter() - t
    t = time.perf_counter()
    assessments = check_project(project, problems)
    times["check"] = time.perf_counter() - t
    assert not problems.has_errors(), [str(p) for p in problems.errors][:5]
    t = time.perf_counter()
    outcomes = {aid: score_assessment(a) for aid, a in assessments.items()}
    times["score"] = time.perf_counter() - t
    prepared = Prepared(project, outcomes, problems)
    scratch = Path(tempfile.mkdtemp(dir=root, prefix=".kaoping-tmp-bench-"))
    t = time.perf_counter()
    render_site(
        [r for r, _ in project.rubrics.values()], outcomes, project.notices,
        root / b.TEMPLATES_DIR, scratch / "docs", workers=b.default_workers(),
    )
    b.swap_in(scratch / "docs" / "assessments", root / "docs" / "assessments", scratch)
    times["render"] = time.perf_counter() - t
    t = time.perf_counter()
    nav, exclude = b.base_config(root)
    shells = shell_units(outcomes.values())
    site_dir = scratch / "site"
    b.run_mkdocs(root, site_dir, b.navigation(outcomes, project.notices, nav), b.build_date(prepared), True,
                 exclude.rstrip("\n") + "\n" + exclude_patterns(shells))
    assemble(site_dir, root / "docs", outcomes.values(), shells)
    times["mkdocs"] = time.perf_counter() - t
    t = time.perf_counter()
    b.build_search_index(site_dir, prepared)
    times["search"] = time.perf_counter() - t
    b.swap_in(site_dir, root / "site", scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    times["peak_mb"] = (own + workers * b.default_workers()) / 1024 if workers else own / 1024
    return times


def plain_markdown_project(src: Path, out: Path) -> None:
    """The same units as the naive site: one Markdown page per unit with a Markdown table, all in the nav."""
    from generator.data.pipeline import prepare

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
                reasons = "；".join(r.explanation + "：" + "；".join(r.reasons) for r in n.rules)
                lines.append(f"| {n.id} | {n.node.title} | {n.points} | {n.lost} | {n.score} | {reasons} |")
                stack.extend(reversed(n.children))
            (docs / "units" / f"{u.unit.id}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: 基准\nuse_directory_urls: false\ntheme: {name: material, language: zh, font: false}\n"
        "plugins:\n  - search:\n      lang: zh\n      separator: '[\\s\\u200b\\-]'\n", encoding="utf-8")


def run_child(args: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_stats(site: Path) -> tuple[float, int, float]:
    files = [p for p in site.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1024 / 1024
    index = sum(p.stat().st_size for p in (site / "search" / "kaoping").rglob("*.js")) / 1024 / 1024
    return size, len(files), index


def bench_size(units: int, baseline: bool) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix=f"kaoping-bench-{units}-"))
    try:
        project = work / "project"
        synth.make_project(project, units)
        row: dict[str, object] = {"units": units}
        row.update(run_child(["--measure", str(project)]))
        site = project / "site"
        row["site_mb"], row["files"], row["index_mb"] = folder_stats(site)
        before = tree_hash(site)
        t = time.perf_counter()
        run_child(["--build", str(project)])
        row["rebuild"] = time.perf_counter() - t
        row["identical"] = tree_hash(site) == before
        if units <= 1000:
            row["serve_update"] = run_child(["--serve-update", str(project)])["seconds"]
        if baseline:
            plain = work / "plain"
            plain_markdown_project(project, plain)
            row["plain"] = run_child(["--plain", str(plain)])["seconds"]
        return row
    finally:
        shutil.rmtree(work, ignore_errors=True)


def child_build(root: Path) -> dict[str, float]:
    from generator.site.build import Progress, build

    t = time.perf_counter()
    result = build(root, progress=Progress(quiet=True))
    assert result.ok
    return {"seconds": time.perf_counter() - t}


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
    entries = root / "results" / synth.AID / "entries.csv"
    text = entries.read_text(encoding="utf-8").splitlines()
    first = text[1].split(",")
    first[5] = first[5] + "（复核）"
    text[1] = ",".join(first)
    entries.write_text("\n".join(text) + "\n", encoding="utf-8")
    page = f"assessments/{synth.AID}/units/{first[0]}.html"
    t = time.perf_counter()
    preview.rebuild()
    preview.ensure(page)  # the page the browser reloads
    seconds = time.perf_counter() - t
    assert "（复核）" in (preview.folder / page).read_text(encoding="utf-8")
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
        t = time.perf_counter()
        for a in assessments.values():
            score_assessment(a)
        return {"seconds": time.perf_counter() - t}
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


def main() -> None:
    p = argparse.ArgumentParser(description="kaoping 性能基准")
    p.add_argument("--full", action="store_true", help="also 10,000 units")
    p.add_argument("--measure", type=Path)
    p.add_argument("--build", type=Path)
    p.add_argument("--plain", type=Path)
    p.add_argument("--serve-update", type=Path)
    p.add_argument("--score-only", type=int, nargs=2, metavar=("UNITS", "ITEMS"))
    p.add_argument("--password-hash", action="store_true")
    args = p.parse_args()
    if args.password_hash:
        print(json.dumps(child_password_hash()))
        return
    if args.measure:
        print(json.dumps(measure_build(args.measure)))
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

    sizes = [100, 1000] + ([10000] if args.full else [])
    print(f"Machine: {machine()}\n")
    rows = [bench_size(n, baseline=n <= 1000) for n in sizes]
    columns = ["units", "load", "check", "score", "render", "mkdocs", "search index", "total", "peak memory", "site",
               "files", "search index size", "rebuild identical", "serve update", "plain mkdocs", "speed-up"]
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    for r in rows:
        steps = [float(r[k]) for k in ("load", "check", "score", "render", "mkdocs", "search")]  # type: ignore[arg-type]
        total = sum(steps)
        plain = r.get("plain")
        cells = [f"{r['units']:,}", *(f"{t:.1f} s" for t in steps), f"**{total:.1f} s**", f"{r['peak_mb']:.0f} MB",
                 f"{r['site_mb']:.0f} MB", f"{r['files']:,}", f"{r['index_mb']:.2f} MB",
                 "yes" if r["identical"] else "NO",
                 f"{r['serve_update']:.1f} s" if "serve_update" in r else "—",
                 f"{float(plain):.1f} s" if plain is not None else "—",  # type: ignore[arg-type]
                 f"{float(plain) / total:.1f}×" if plain is not None else "—"]  # type: ignore[arg-type]
        print("| " + " | ".join(cells) + " |")
    score = run_child(["--score-only", "10000", "100"])
    print(f"\nScoring alone, 10,000 units × 100 items: {score['seconds']:.2f} s")
    h = run_child(["--password-hash"])
    print(
        "Password hash (SHA-512-crypt, 5,000 rounds), longest password allowed (128 characters): "
        f"ASCII {h['ascii_ms']:.1f} ms, {h['ascii_kb']:.0f} KB allocated; "
        f"Chinese (384 bytes) {h['chinese_ms']:.1f} ms, {h['chinese_kb']:.0f} KB allocated"
    )


if __name__ == "__main__":
    main()
