"""What a build reads besides the data, checked before anything is read or copied: ``docs/`` (MkDocs copies
every file of it into the site), ``site_templates/`` and a theme folder mkdocs.yml names (their pages are
rendered, their other files copied into the site). A link that leads out of its folder would put what it
points to (a system file, the units' passwords in access/, a CI machine's keys) into the published site; a
broken link, a FIFO or a device would stop or hang the build. Each is refused, named."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from generator.data.problems import Loc, Problems
from generator.data.projectfiles import inside, outside_words, unsafe_entries
from generator.site import paths
from generator.site.cache import CONFIG_FILE, SCRATCH_PREFIX
from generator.site.chrome import configured_sources

#: The project's page templates (and Material's theme overrides, in theme/).
TEMPLATES_DIR = "site_templates"
#: What the preview watches besides docs/ and what mkdocs.yml names.
WATCHED = ("rubrics", "results", TEMPLATES_DIR, CONFIG_FILE, "generator/site/mkdocs_hooks.py")


def check_sources(root: Path, problems: Problems) -> None:
    """Refuse, before anything is read or copied, what ``docs/``, ``site_templates/`` and a theme folder of
    the project's own that mkdocs.yml names hold and a build must not publish: a link leading out of its
    folder, a broken link, anything that is not a regular file or folder."""
    only, why = "docs/ 中只放手写的页面和图片等普通文件", "生成网站时 MkDocs 会把它指向的内容复制进网站"
    _check(root, root / "docs", problems, frozenset({paths.GENERATED}), only, why)
    theme = [p for p in configured_sources(root)[1] if p.is_dir() and not p.is_symlink() and inside(p, root)]
    for folder in dict.fromkeys([root / TEMPLATES_DIR, *theme]):
        only = f"{folder.relative_to(root).as_posix()}/ 中只放模板和普通文件"
        _check(root, folder, problems, frozenset(), only, "生成网站时会把它指向的内容放进网站", shared=True)


def _check(
    root: Path, folder: Path, problems: Problems, skip: frozenset[str], only: str, why: str, shared: bool = False
) -> None:
    """Refuse what ``folder`` holds that a build must not publish. ``shared``: the folder may itself be a link
    to a folder outside the project (templates several projects share); what it holds is checked the same."""
    if not os.path.lexists(folder):
        return
    name = folder.relative_to(root).as_posix()
    if not inside(folder, root) and not (shared and folder.is_dir()):
        refused = outside_words(folder)
        problems.error(Loc(f"{name}/"), refused.message, refused.hint)
        return
    skip = skip | {p.name for p in folder.glob(SCRATCH_PREFIX + "*")}
    for path, refused in unsafe_entries(folder, skip, f" {name}/ ", why + "，公开发布"):
        problems.error(
            Loc(path.relative_to(root).as_posix()),
            refused.message,
            f"{only}：把文件本身复制进来，不要用链接；不该发布的，移出 {name}/。",
        )


def watched_paths(root: Path) -> list[Path]:
    """What the preview watches: the data, the templates, what mkdocs.yml names (a theme folder of its own,
    hooks), and docs/ except the generated folder. Nothing a link leads to outside the project (or out of
    docs/) is watched, nor a FIFO or device (see check_sources)."""
    named = [root / name for name in WATCHED] + [root / p for p in configured_sources(root)[1]]
    watched = list(dict.fromkeys(p for p in named if p.exists() and inside(p, root)))
    docs = root / "docs"
    if docs.is_dir() and inside(docs, root):
        watched += [
            p
            for p in sorted(docs.iterdir())
            if p.name != paths.GENERATED
            and not p.name.startswith(".")
            and inside(p, docs)
            and (p.is_dir() or p.is_file())
        ]
    return watched


class Watches:
    """What the preview's server watches (:func:`watched_paths`), more as docs/ grows: a page or folder added
    to it is rebuilt, then watched. The generated folder never is: a build run beside the preview is no
    change to it. ``preview``: the preview's :class:`generator.site.serve.Preview`."""

    def __init__(self, preview: Any) -> None:
        self.preview = preview
        self.server: Any = None
        self.watching: set[str] = set()

    def start(self, server: Any) -> None:
        import watchdog.events

        self.server = server
        docs = self.preview.root / "docs"
        if docs.is_dir() and not docs.is_symlink():
            server.watch(str(docs), recursive=False)  # a page added at its top (its folders: watched_paths)
            handler = watchdog.events.FileSystemEventHandler()
            handler.on_created = self._folder_added  # type: ignore[method-assign]
            server.observer.schedule(handler, str(docs), recursive=False)
        self.rebuild()

    def _folder_added(self, event: Any) -> None:
        """A folder made in docs/ (not the generated one, nor a link): watched, and the preview rebuilt, for
        the pages saved in it."""
        folder = Path(str(event.src_path))
        docs = self.preview.root / "docs"
        if not event.is_directory or folder.name == paths.GENERATED or folder.name.startswith("."):
            return
        if folder.is_symlink() or not inside(folder, docs) or str(folder) in self.watching:
            return
        self.watching.add(str(folder))
        self.server.watch(str(folder))
        # MkDocs' server has no call for "rebuild now"; what its own watches do on a change.
        changed = getattr(self.server, "_rebuild_cond", None)
        if changed is not None:
            with changed:
                self.server._want_rebuild = True  # noqa: SLF001
                changed.notify_all()

    def rebuild(self) -> None:
        self.preview.rebuild()
        for path in watched_paths(self.preview.root) if self.server is not None else ():
            if str(path) not in self.watching:
                self.watching.add(str(path))
                self.server.watch(str(path))


def data_files(root: Path) -> set[str]:
    """The rubrics' and results' files now (relative to ``root``)."""
    found = set()
    for folder, pattern in (("rubrics", "*.y*ml"), ("results", "*.csv"), ("results", "*.y*ml")):
        found |= {
            p.relative_to(root).as_posix()
            for p in (root / folder).rglob(pattern)
            if p.is_file() and not p.name.startswith(("~$", "."))  # (an office program's lock file comes and goes)
        }
    return found


def wait_for_data(root: Path, files: set[str], seconds: float = 3.0) -> None:
    """Wait, at most ``seconds``, for data files of the last good rebuild that are missing now to be back.
    Excel and WPS save by renaming the file aside and its new copy into its place: a rebuild in between
    would show the results without it, as if current."""
    deadline = time.monotonic() + seconds
    while any(not (root / rel).exists() for rel in files) and time.monotonic() < deadline:
        time.sleep(0.05)
