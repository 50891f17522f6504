"""``make lighthouse``: Lighthouse and axe on the five page kinds of the bundled site, served as deployed.

The built site (``site/``, built first when missing) is served by Debian's nginx on a loopback port with the
server lines kaoping writes (:mod:`generator.access.serving`: pre-compressed files, cache headers). Then:

- Lighthouse 12.2.3 (``node_modules/``, installed by the Makefile) in Debian's chromium, its default mobile
  run with simulated throttling: performance, accessibility, best practices and SEO for each page;
- axe-core (``axe-playwright-python``) on each page at phone size, in the light and the dark palette: the
  violations by impact.

Lighthouse's performance score depends on the machine's CPU: the load average is printed beside it. The
browser tests assert the axe results; this prints figures and exits 1 only when a page falls below the
targets (performance 90, the other three 100) or axe finds a serious or critical violation.

    python bench/lighthouse.py [--site DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from generator.access.serving import public_server  # noqa: E402

NGINX = "/usr/sbin/nginx"
CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}


def page_kinds(site: Path) -> dict[str, str]:
    """The five page kinds of the newest assessment that has a notice, and its unit with the most items."""
    from generator.data.pipeline import prepare
    from generator.site import paths, views

    prepared = prepare(REPO)
    for outcome in views.ordered(prepared.outcomes):
        aid = outcome.rubric.id
        if aid not in prepared.project.notices:
            continue
        unit = max(outcome.units, key=lambda u: (_items(u.score.categories), u.unit.id))
        kinds = {
            "home": "index.html",
            "results": paths.html_path(paths.page(aid, "results")),
            "unit": paths.html_path(paths.unit_page(aid, unit.unit.id)),
            "standards": paths.html_path(paths.page(aid, "standards")),
            "notice": paths.html_path(paths.page(aid, "notice")),
        }
        missing = [p for p in kinds.values() if not (site / p).is_file()]
        if missing:
            raise SystemExit(f"{site} 中没有这些页面：{missing}；先运行 make site")
        return kinds
    raise SystemExit("随附的数据中没有带通报的考核")


def _items(nodes: object) -> int:
    return sum(1 + _items(n.children) for n in nodes)  # type: ignore[attr-defined]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def nginx(site: Path, port: int) -> Iterator[None]:
    """Debian's nginx in the foreground, one process as the current user, serving ``site``."""
    with tempfile.TemporaryDirectory(prefix="kaoping-nginx-") as folder:
        work = Path(folder)
        temp = "".join(f"    {m}_temp_path {work / m};\n" for m in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        server = public_server(str(site.resolve()), f"127.0.0.1:{port}", "localhost")
        conf = work / "nginx.conf"
        conf.write_text(
            f"daemon off;\nmaster_process off;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'};\n"
            "events { worker_connections 64; }\nhttp {\n    include /etc/nginx/mime.types;\n"
            f"    default_type application/octet-stream;\n    access_log off;\n{temp}"
            + "".join(f"    {line}\n" for line in server.splitlines())
            + "}\n",
            encoding="utf-8",
        )
        proc = subprocess.Popen([NGINX, "-p", folder, "-c", str(conf), "-e", str(work / "error.log")])
        try:
            deadline = time.monotonic() + 15
            while True:
                if proc.poll() is not None:
                    raise SystemExit("nginx 没有启动：" + (work / "error.log").read_text(errors="replace"))
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("nginx 15 秒内没有开始监听") from None
                    time.sleep(0.05)
            yield
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def lighthouse(url: str) -> dict[str, int]:
    """One Lighthouse run (mobile, simulated throttling): the four category scores, 0–100."""
    with tempfile.TemporaryDirectory(prefix="kaoping-lh-") as folder:
        out = Path(folder) / "report.json"
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        subprocess.run(
            [
                str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            check=True,
            env=env,
        )
        report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def axe_counts(base: str, kinds: dict[str, str]) -> dict[tuple[str, str], dict[str, int]]:
    """Violations by impact on each page at phone size, light and dark."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    out: dict[tuple[str, str], dict[str, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True, color_scheme=scheme
            )
            page = context.new_page()
            for kind, path in kinds.items():
                page.goto(base + path)
                counts: dict[str, int] = {}
                for v in axe.run(page).response["violations"]:
                    counts[v["impact"]] = counts.get(v["impact"], 0) + len(v["nodes"])
                    print(f"  axe {scheme} {kind}: {v['impact']} {v['id']} × {len(v['nodes'])}", file=sys.stderr)
                out[(kind, scheme)] = counts
            context.close()
        browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO / "site")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse 每页运行几次，取中位数")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("没有 node_modules/.bin/lighthouse：运行 make lighthouse（它用 npm ci 安装）")
    if not (args.site / "index.html").is_file():
        subprocess.run([str(REPO / ".venv" / "bin" / "kaoping"), "--root", str(REPO), "build"], check=True)
    kinds = page_kinds(args.site)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    failed = False
    with nginx(args.site, port):
        load_before = os.getloadavg()[0]
        rows = []
        for kind, path in kinds.items():
            runs = [lighthouse(base + path) for _ in range(args.runs)]
            scores = {c: int(statistics.median(r[c] for r in runs)) for c in CATEGORIES}
            rows.append((kind, path, scores))
            failed |= any(scores[c] < TARGETS[c] for c in CATEGORIES)
        load_after = os.getloadavg()[0]
        axe = axe_counts(base, kinds)
    print(f"\nLighthouse 12.2.3，移动端（模拟限速），{args.runs} 次取中位数；负载 {load_before:.2f} → {load_after:.2f}（{os.cpu_count()} 核）")
    print(f"{'页面':<10}{'性能':>6}{'无障碍':>8}{'最佳做法':>8}{'SEO':>6}  axe 严重/关键（浅色, 深色）  地址")
    for kind, path, scores in rows:
        serious = [axe[(kind, s)].get("serious", 0) + axe[(kind, s)].get("critical", 0) for s in ("light", "dark")]
        others = sum(n for s in ("light", "dark") for i, n in axe[(kind, s)].items() if i not in ("serious", "critical"))
        failed |= any(serious)
        print(
            f"{kind:<10}{scores['performance']:>6}{scores['accessibility']:>8}{scores['best-practices']:>8}"
            f"{scores['seo']:>6}  {serious[0]}, {serious[1]}（其他 {others}）  {path}"
        )
    print("目标：性能 ≥ 90，其余 100；axe 没有严重（serious）或关键（critical）问题。", "未达到" if failed else "全部达到")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
