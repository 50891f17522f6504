"""The folder nginx serves in access mode: only one that ``kaoping publish`` made.

nginx gives anyone every file under its ``root``. Pointed at the project, it serves ``access/accounts.csv``
(plain-text passwords) and the raw results; pointed at ``/``, ``/etc/passwd``. So ``kaoping build
--access`` writes no configuration until the site root is known to hold a published site and nothing else:
a folder ``kaoping publish`` made, recognised by the marker file it writes at the folder's top.

The path is judged as written and as it resolves through symbolic links (the releases layout makes the
site root a link to the current release). Refused: a relative path, ``.`` or ``..`` in it, ``/`` and system
folders, the project, a folder inside it or above it, a folder holding the accounts file or the password
file, a file, and an existing folder without a valid marker.

A site root that does not exist on this machine is accepted with a warning: the documented way is to build
on the machine that keeps the accounts and publish afterwards, possibly for the first time, possibly to
another server where the path means another folder. What can be checked without the folder still is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from generator.data.problems import Loc, Problems, os_reason
from generator.site import stamp
from generator.site.stamp import PUBLISHED_MARKER

#: The fields the marker holds (a JSON object): the commit the site was built from, and when.
MARKER_FIELDS = ("commit", "built_at", "published_at")
#: System folders refused with everything under them.
SYSTEM_TREES = tuple(
    Path(p)
    for p in (
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/run",
        "/sbin", "/sys", "/usr", "/var/backups", "/var/cache", "/var/lib", "/var/log", "/var/mail",
        "/var/spool",
    )
)
#: Folders that hold other people's folders: refused themselves, a folder under them is fine.
SHARED_FOLDERS = tuple(
    Path(p) for p in ("/", "/home", "/media", "/mnt", "/opt", "/srv", "/tmp", "/var", "/var/tmp", "/var/www")
)
#: Names at the top of a project folder, never of a published site.
PROJECT_ENTRIES = (".git", "access", "rubrics", "results", "mkdocs.yml")

EXAMPLE = "/srv/kaoping/site"
WHAT_TO_DO = (
    f"网站目录只能是 kaoping publish 发布网站的目录，在项目目录之外，例如 {EXAMPLE}："
    f"还没有发布过时，设为一个还不存在的目录，生成后用 kaoping publish {EXAMPLE} 发布到那里。"
)
LEAK = "nginx 会把账号文件（含明文密码）和细则、考核结果的原始文件提供给任何人"


def check_site_root(
    value: str, loc: Loc, project: Path, secrets: Sequence[tuple[str, Path]], problems: Problems
) -> bool:
    """Whether ``value`` may be nginx's root; otherwise one located error in ``problems``.

    ``secrets``: what must never be served, (what it is, where it is): the accounts file, the folder the
    configuration goes to, the password file.
    """
    found = _refusal(value, project.resolve(), secrets)
    if found is not None:
        problems.error(loc, *found)
        return False
    path = Path(value)
    try:
        exists = path.exists()
    except OSError as exc:
        problems.error(loc, f"网站目录「{value}」无法读取：{os_reason(exc)}", WHAT_TO_DO)
        return False
    if not exists:
        problems.warning(
            loc,
            f"网站目录「{value}」在本机不存在，无法核对它是 kaoping publish 的发布目录",
            f"nginx 配置照常生成。在本机发布时，用 kaoping publish {value} 发布（目录由它建立）后再启用配置；"
            "网站在另一台服务器上时，确认那里的这个目录只由 kaoping publish 或 CI 的发布写入。",
        )
        return True
    found = _not_published(value, path.resolve())
    if found is not None:
        problems.error(loc, *found)
        return False
    return True


def _refusal(value: str, project: Path, secrets: Sequence[tuple[str, Path]]) -> tuple[str, str] | None:
    """What is wrong with the path itself, whether or not it exists here: (message, what to do)."""
    if not value.startswith("/"):
        return f"网站目录「{value}」不是绝对路径", WHAT_TO_DO
    if any(part in (".", "..") for part in value.split("/")):
        return f"网站目录「{value}」中有 . 或 ..", f"写不含 . 和 .. 的完整路径。{WHAT_TO_DO}"
    written = Path(value)
    try:
        resolved = written.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links (RuntimeError before Python 3.13)
        return f"网站目录「{value}」无法解析（符号链接循环或没有权限）：{exc}", WHAT_TO_DO
    for path in dict.fromkeys((written, resolved)):
        via = f"（链接指向 {path}）" if path != written else ""
        if path in SHARED_FOLDERS or any(path.is_relative_to(t) for t in SYSTEM_TREES):
            return (
                f"网站目录「{value}」是系统目录{via}：nginx 会把其中的系统文件（例如 /etc/passwd）提供给任何人",
                WHAT_TO_DO,
            )
        if path == project:
            return f"网站目录「{value}」就是项目目录{via}：{LEAK}", WHAT_TO_DO
        if path.is_relative_to(project):
            return f"网站目录「{value}」在项目目录 {project} 里{via}：{LEAK}", WHAT_TO_DO
        if project.is_relative_to(path):
            return f"网站目录「{value}」是项目目录 {project} 的上级目录{via}：{LEAK}", WHAT_TO_DO
        for what, secret in secrets:
            if secret.is_relative_to(path) or _resolved(secret).is_relative_to(path):
                return (
                    f"网站目录「{value}」{via}里有{what} {secret}：nginx 会把它提供给任何人",
                    f"账号文件、nginx/ 目录和密码文件都放在网站目录之外。{WHAT_TO_DO}",
                )
    return None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _not_published(value: str, folder: Path) -> tuple[str, str] | None:
    """What shows that an existing ``folder`` is not a folder ``kaoping publish`` made, if anything."""
    if not folder.is_dir():
        return f"网站目录「{value}」不是目录", WHAT_TO_DO
    redo = (
        f"用 kaoping publish {value} 重新发布到这个目录（发布时写入 {PUBLISHED_MARKER}），"
        f"再运行 kaoping build --access。"
    )
    try:
        record = stamp.read_raw(folder / PUBLISHED_MARKER)
    except stamp.StampError as exc:
        if exc.kind == "unreadable":  # a link (ELOOP: it is opened without following links), or no permission
            return f"网站目录「{value}」里的 {PUBLISHED_MARKER} 不是可以读取的普通文件（可能是链接）", redo
        if exc.kind == "not_regular":  # a folder, a FIFO, a device
            return f"网站目录「{value}」里的 {PUBLISHED_MARKER} 不是普通文件", redo
        record = {}
    if record is None:
        return (
            f"网站目录「{value}」不是 kaoping publish 发布的目录：里面没有它写的标记文件 {PUBLISHED_MARKER}",
            f"{WHAT_TO_DO}已经用别的办法复制过网站的目录，先用 kaoping publish 发布一次。",
        )
    if any(name not in record for name in MARKER_FIELDS):
        fields = "、".join(MARKER_FIELDS)
        return f"网站目录「{value}」里的标记文件 {PUBLISHED_MARKER} 已损坏（应是含 {fields} 的 JSON）", redo
    mixed = sorted(name for name in PROJECT_ENTRIES if os.path.lexists(folder / name))
    if mixed:
        return (
            f"网站目录「{value}」里除了发布的网站还有项目的文件（{'、'.join(mixed)}）：nginx 会把它们提供给任何人",
            f"网站目录里只能有 kaoping publish 发布的网站。{WHAT_TO_DO}",
        )
    return None

