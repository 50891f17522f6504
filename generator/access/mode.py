"""The access mode applied to a build (``kaoping build --access``): the accounts are read once the data is
checked, and the built site is restricted (search index, sitemap) before it replaces ``site/``; the nginx
files are written beside the accounts file. :class:`AccessMode` is the step the build calls
(:class:`generator.site.restricted.Restriction`).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from generator.access.accounts import CONF, CONF_HTTP, CONF_SERVER, HTPASSWD, Accounts, load_accounts
from generator.access.nginx import config_files, htpasswd_text, make_plan, not_ours
from generator.access.policy import filter_search_index, filter_sitemap, page_access, private_results
from generator.data.pipeline import Prepared
from generator.data.problems import Loc, Problems
from generator.site.build import BuildError, build_search_index


def write_file(path: Path, data: bytes, mode: int, *, private: bool = False) -> None:
    """Replace ``path`` whole (a rename), keeping the mode and group the office gave the old one.

    A ``private`` file (the password file) is never left readable by other users, whatever its old mode.
    """
    keep = 0o770 if private else 0o7777
    if path.is_file() and path.read_bytes() == data:
        if stat.S_IMODE(path.stat().st_mode) & ~keep:
            os.chmod(path, stat.S_IMODE(path.stat().st_mode) & keep)
        return
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if path.is_file():
            old = path.stat()
            os.chmod(temp, stat.S_IMODE(old.st_mode) & keep)
            with contextlib.suppress(OSError):
                os.chown(temp, -1, old.st_gid)
        else:
            os.chmod(temp, mode)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def foreign_outputs(accounts: Accounts) -> list[Path]:
    """The files beside the accounts file that kaoping would overwrite but did not write (another site's
    password file in /etc/nginx/, say)."""
    names = [a.name for a in accounts.accounts]
    paths = [accounts.out_dir / name for name in (HTPASSWD, CONF, CONF_HTTP, CONF_SERVER)]
    return [p for p in paths if os.path.lexists(p) and (not p.is_file() or p.is_symlink() or not_ours(p, names))]


def foreign_words(foreign: list[Path]) -> tuple[str, str]:
    """What to say of :func:`foreign_outputs`, and what to do."""
    shown = "、".join(str(p) for p in foreign)
    return (
        f"{shown} 已经存在，不是 kaoping 生成的（可能是别的网站的密码文件或配置）：生成会覆盖它，所以没有生成",
        "把账号文件放到单独的目录（例如项目的 access/），nginx 的文件就写在它旁边的 nginx/ 中；或先把这些文件移走。",
    )


def apply_access(root: Path, site_dir: Path, prepared: Prepared, accounts: Accounts) -> None:
    """Restrict the built site in ``site_dir`` and write the nginx files beside the accounts file."""
    out = accounts.out_dir.resolve()
    for published in (site_dir.resolve(), (root / "site").resolve(), (root / "docs").resolve()):
        if out.is_relative_to(published):
            raise BuildError(f"nginx 配置和密码文件不能写进 {published}：那里的文件会发布")
    private = private_results(prepared)
    filter_search_index(site_dir, private)
    build_search_index(site_dir, prepared, lambda path: page_access(path, private) == "public")
    filter_sitemap(site_dir, private)
    foreign = foreign_outputs(accounts)
    if foreign:
        raise BuildError("。".join(foreign_words(foreign)))
    out.mkdir(parents=True, exist_ok=True)
    previous = (out / HTPASSWD).read_text(encoding="utf-8", errors="replace") if (out / HTPASSWD).is_file() else ""
    write_file(out / HTPASSWD, htpasswd_text(accounts.accounts, previous).encode("utf-8"), 0o640, private=True)
    for name, text in config_files(make_plan(prepared, accounts.accounts), accounts.settings, accounts.file).items():
        write_file(out / name, text.encode("utf-8"), 0o644)


class AccessMode:
    """The build step of ``kaoping build --access 账号文件`` (see :class:`generator.site.restricted.Restriction`)."""

    def __init__(self, accounts_file: Path) -> None:
        self.accounts_file = accounts_file
        self.accounts: Accounts | None = None

    def load(self, root: Path, prepared: Prepared, problems: Problems) -> bool:
        self.accounts = load_accounts(self.accounts_file, root, prepared, problems)
        foreign = foreign_outputs(self.accounts) if self.accounts is not None else []
        if self.accounts is not None and foreign:  # said before the site is built, not after
            problems.error(Loc(self.accounts.file), *foreign_words(foreign))
            self.accounts = None
        return self.accounts is not None

    def apply(self, root: Path, site_dir: Path, prepared: Prepared) -> None:
        if self.accounts is None:
            raise BuildError("账号文件没有读入，不能按账号限制访问")  # the build calls load first
        apply_access(root, site_dir, prepared, self.accounts)

    def stamp(self) -> str:
        """``gzip-only`` when the configuration serves a site published with ``kaoping publish --gzip-only``
        (:mod:`generator.office.publishgzip` refuses any other), else ``plain``."""
        return "gzip-only" if self.accounts is not None and self.accounts.settings.gzip_only else "plain"
