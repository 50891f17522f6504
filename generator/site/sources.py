"""What a build reads besides the data, checked before anything is read or copied: ``docs/`` (MkDocs copies
every file of it into the site), ``site_templates/`` and a theme folder mkdocs.yml names (their pages are
rendered, their other files copied into the site). A link that leads out of its folder would put what it
points to (a system file, the units' passwords in access/, a CI machine's keys) into the published site; a
broken link, a FIFO or a device would stop or hang the build. Each is refused, named."""

from __future__ import annotations

import os
from pathlib import Path

from generator.data.problems import Loc, Problems
from generator.data.projectfiles import inside, outside_words, unsafe_entries
from generator.site import paths
from generator.site.cache import SCRATCH_PREFIX
from generator.site.chrome import configured_sources

#: The project's page templates (and Material's theme overrides, in theme/).
TEMPLATES_DIR = "site_templates"
_WHY = "生成网站时会把它指向的内容放进网站，公开发布"


def check_sources(root: Path, problems: Problems) -> None:
    """Refuse, before anything is read or copied, what ``docs/``, ``site_templates/`` and a theme folder of
    the project's own that mkdocs.yml names hold and a build must not publish: a link leading out of its
    folder, a broken link, anything that is not a regular file or folder."""
    _check(root, root / "docs", problems, frozenset({paths.GENERATED}), "docs/ 中只放手写的页面和图片等普通文件")
    theme = [p for p in configured_sources(root)[1] if p.is_dir() and not p.is_symlink() and inside(p, root)]
    for folder in dict.fromkeys([root / TEMPLATES_DIR, *theme]):
        _check(root, folder, problems, frozenset(), f"{folder.relative_to(root).as_posix()}/ 中只放模板和普通文件")


def _check(root: Path, folder: Path, problems: Problems, skip: frozenset[str], only: str) -> None:
    if not os.path.lexists(folder):
        return
    name = folder.relative_to(root).as_posix()
    if not inside(folder, root):
        refused = outside_words(folder)
        problems.error(Loc(f"{name}/"), refused.message, refused.hint)
        return
    skip = skip | {p.name for p in folder.glob(SCRATCH_PREFIX + "*")}
    for path, refused in unsafe_entries(folder, skip, f" {name}/ ", _WHY):
        problems.error(
            Loc(path.relative_to(root).as_posix()),
            refused.message,
            f"{only}：把文件本身复制进来，不要用链接；不该发布的，移出 {name}/。",
        )
