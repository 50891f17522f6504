"""kaoping serve: a local preview that rebuilds when rubrics, results, templates or hand-written pages change.

Each change runs the whole pipeline (load → check → score → render → MkDocs) into a private folder
that the preview serves; the published ``site/`` is never touched. Data errors are printed and the
preview keeps showing the last good build.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import site
from .build import CONFIG_FILE, TEMPLATES_DIR, BuildError, Progress, build_lock, generate
from .pipeline import prepare
from .problems import Problems

WATCHED = ("rubrics", "results", TEMPLATES_DIR, CONFIG_FILE, "generator/mkdocs_hooks.py")


def watched_paths(root: Path) -> list[Path]:
    """What the preview watches: the data, the templates, and docs/ except the generated folder."""
    paths = [root / name for name in WATCHED if (root / name).exists()]
    docs = root / "docs"
    if docs.is_dir():
        paths += [p for p in sorted(docs.iterdir()) if p.name != site.GENERATED and not p.name.startswith(".")]
    return paths


def serve(root: Path, host: str, port: int, report: object) -> None:
    from mkdocs.livereload import LiveReloadServer

    root = root.resolve()
    preview = Path(tempfile.mkdtemp(prefix="kaoping-serve-"))
    progress = Progress()

    def rebuild() -> None:
        with build_lock(root, progress):
            prepared = prepare(root)
            problems: Problems = prepared.problems
            report(problems)  # type: ignore[operator]
            if problems.has_errors():
                print("数据有错误，预览仍显示上一次成功的结果。改正后保存，预览会自动更新。")
                return
            scratch = Path(tempfile.mkdtemp(prefix=".kaoping-tmp-serve-", dir=root))
            staged = scratch / "site"
            try:
                generate(root, prepared, staged, scratch, progress, strict=False)
                for child in preview.iterdir():
                    if child.is_dir():
                        shutil.rmtree(child)
                    else:
                        child.unlink()
                for child in staged.iterdir():
                    shutil.move(str(child), preview / child.name)
            except BuildError as exc:
                print(f"生成失败：{exc}")
            finally:
                shutil.rmtree(scratch, ignore_errors=True)

    rebuild()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(preview))
    for path in watched_paths(root):
        server.watch(str(path))
    print(f"预览地址：http://{host}:{port}/  （数据或模板保存后自动更新；按 Ctrl+C 停止）")
    try:
        server.serve()
    except KeyboardInterrupt:
        print("预览已停止。")
    finally:
        server.shutdown()
        shutil.rmtree(preview, ignore_errors=True)
