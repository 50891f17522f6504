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

from generator.data.load import RESULTS_DIR, RUBRICS_DIR
from generator.data.problems import Loc, Problems
from generator.data.projectfiles import inside, outside_words, unsafe_entries
from generator.site import paths
from generator.site.cache import CONFIG_FILE, SCRATCH_PREFIX, SOURCES
from generator.site.chrome import configured_sources

#: The project's page templates (and Material's theme overrides, in theme/).
TEMPLATES_DIR = "site_templates"
#: What the preview watches besides docs/ and what mkdocs.yml names: the data and what pages are made from.
WATCHED = (RUBRICS_DIR, RESULTS_DIR, *SOURCES)


def check_sources(root: Path, problems: Problems) -> None:
    """Refuse, before anything is read or copied, what ``docs/``, ``site_templates/`` and a theme folder of
    the project's own that mkdocs.yml names hold and a build must not publish: a link leading out of its
    folder, a broken link, anything that is not a regular file or folder."""
    check_settings(root, problems)
    only, why = "docs/ 中只放手写的页面和图片等普通文件", "生成网站时 MkDocs 会把它指向的内容复制进网站"
    _check(root, root / "docs", problems, frozenset({paths.GENERATED}), only, why)
    checked = (root / "docs", root / TEMPLATES_DIR)
    theme = [
        p
        for p in configured_sources(root)[1]
        if p.is_dir() and not p.is_symlink() and inside(p, root) and not any(p.is_relative_to(c) for c in checked)
    ]
    for folder in [root / TEMPLATES_DIR, *dict.fromkeys(theme)]:
        only = f"{folder.relative_to(root).as_posix()}/ 中只放模板和普通文件"
        _check(root, folder, problems, frozenset(), only, "生成网站时会把它指向的内容放进网站", shared=True)


def check_settings(root: Path, problems: Problems) -> None:
    """What mkdocs.yml says that would otherwise be passed over without a word: a setting written twice (the
    last one counts: a second ``nav:`` appended at the end drops the whole menu), a ``site_dir`` other than
    ``site`` (the build always writes ``site/``). Unreadable, it is left to MkDocs to say why."""
    import yaml

    try:
        with open(root / CONFIG_FILE, "rb") as handle:
            node = yaml.compose(handle, Loader=yaml.SafeLoader)  # (composed only: MkDocs' own tags stay tags)
    except (OSError, yaml.YAMLError):
        return
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[str, int] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        at = Loc(CONFIG_FILE, key.start_mark.line + 1, key.start_mark.column + 1)
        if key.value in seen:
            problems.warning(
                at,
                f"{key.value} 写了两次（第一次在第 {seen[key.value]} 行），只有这里的一次起作用",
                "删除其中一个，要的内容合在一处。",
            )
        seen.setdefault(key.value, at.line)
        written = os.path.normpath(root / value.value) if isinstance(value, yaml.ScalarNode) else ""
        if key.value == "site_dir" and written and written != os.path.normpath(root / "site"):
            problems.warning(
                at,
                f"site_dir 写的是 {value.value}，但 kaoping build 总是把网站生成到项目中的 site/：这一行不起作用",
                "删除这一行；要把网站放到 Web 服务器的目录，生成后用 kaoping publish 发布到那里。",
            )


def _check(
    root: Path, folder: Path, problems: Problems, skip: frozenset[str], only: str, why: str, shared: bool = False
) -> None:
    """Refuse what ``folder`` holds that a build must not publish. ``shared``: the folder may itself be a link
    to a folder outside the project (templates several projects share); what it holds is checked the same."""
    if not os.path.lexists(folder):
        return
    name = folder.relative_to(root).as_posix()
    if shared and folder.is_symlink() and not folder.is_dir():
        problems.error(
            Loc(f"{name}/"),
            f"{name} 是指向 {os.readlink(folder)} 的链接，但那里没有文件夹",
            "共享的模板文件夹没有挂载，或被移走了：挂载或恢复它，或把模板文件夹复制到项目中，再重新生成。",
        )
        return
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
    shared = root / TEMPLATES_DIR  # (may be a link to templates several projects share)
    watched = list(dict.fromkeys(p for p in named if p.exists() and (inside(p, root) or p == shared)))
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
    """What the preview's server watches: :func:`watched_paths` but docs/; and docs/, by a handler of the
    preview's own, but its generated folder and hidden entries (a build run beside the preview changes
    nothing it shows, and MkDocs' server polls what it watches: the generated folder's thousands of files
    never are). A page or folder added, renamed or deleted in docs/ rebuilds the preview. ``preview``: the
    preview's :class:`generator.site.serve.Preview`."""

    def __init__(self, preview: Any) -> None:
        self.preview = preview
        self.server: Any = None
        self.watching: set[str] = set()
        #: The folders at docs/'s top watched whole, and their watches.
        self.folders: dict[str, Any] = {}
        self.handler: Any = None

    def start(self, server: Any) -> None:
        import watchdog.events

        self.server = server
        docs = self.preview.root / "docs"
        if docs.is_dir() and not docs.is_symlink():
            if hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild"):
                self.handler = watchdog.events.FileSystemEventHandler()
                self.handler.on_any_event = self._docs_changed
                server.observer.schedule(self.handler, str(docs), recursive=False)  # its top
                for entry in sorted(docs.iterdir()):
                    self._watch_folder(entry)
            else:  # another MkDocs: its own watch (a build beside the preview rebuilds it too)
                server.watch(str(docs))
            self.watching.add(str(docs))
        self.rebuild()

    def _watch_folder(self, folder: Path) -> None:
        """A folder at docs/'s top watched whole (not the generated one, a hidden one or a link)."""
        if folder.name == paths.GENERATED or folder.name.startswith(".") or folder.is_symlink():
            return
        if folder.is_dir() and str(folder) not in self.folders:
            self.folders[str(folder)] = self.server.observer.schedule(self.handler, str(folder), recursive=True)

    def _docs_changed(self, event: Any) -> None:
        """Anything changed in docs/ but its generated folder and hidden entries: the preview is rebuilt, as
        MkDocs' own watches do (its server has no public call for it); a folder made, renamed or removed at
        docs/'s top is watched or let go. Never raises: an exception would end the watcher's thread, and every
        later save would go unseen."""
        try:
            docs = self.preview.root / "docs"
            changed = False
            for where in filter(None, (str(event.src_path), str(getattr(event, "dest_path", "") or ""))):
                parts = Path(where).relative_to(docs).parts
                if not parts or parts[0] == paths.GENERATED or any(p.startswith(".") for p in parts):
                    continue
                changed = True
                if len(parts) == 1 and event.event_type in ("created", "moved", "deleted"):
                    watch = self.folders.pop(where, None)
                    if watch is not None:
                        self.server.observer.unschedule(watch)
                    self._watch_folder(Path(where))
            if changed:
                with self.server._rebuild_cond:  # noqa: SLF001
                    self.server._want_rebuild = True  # noqa: SLF001
                    self.server._rebuild_cond.notify_all()  # noqa: SLF001
        except Exception:  # noqa: BLE001, S110 - see the docstring
            pass

    def rebuild(self) -> None:
        self.preview.rebuild()
        docs = str(self.preview.root / "docs")
        for path in watched_paths(self.preview.root) if self.server is not None else ():
            if str(path) not in self.watching and not str(path).startswith(docs + os.sep):
                self.watching.add(str(path))
                self.server.watch(str(path))


def data_files(root: Path) -> set[str]:
    """The rubrics' and results' files now (relative to ``root``)."""
    found = set()
    for folder, pattern in ((RUBRICS_DIR, "*.y*ml"), (RESULTS_DIR, "*.csv"), (RESULTS_DIR, "*.y*ml")):
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
