"""The settings of the configuration ``kaoping build --access`` writes: where the site and the password file are
on the server, what nginx listens on, and whether the site is published compressed only; from the environment,
then ``server.txt`` beside the accounts file, then the defaults.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.access.site_root import check_site_root
from generator.data.csvread import decode
from generator.data.load import read_bytes, relative
from generator.data.problems import Loc, Problems
from generator.site import stamp

#: Optional settings for the generated configuration, beside the accounts file.
SETTINGS_FILE = "server.txt"
#: The folder, beside the accounts file, that receives the configuration and the password file.
OUTPUT_DIR = "nginx"
HTPASSWD = "htpasswd"


@dataclass(frozen=True)
class ServerSettings:
    """What the generated configuration points at, on the machine that serves the site."""

    site_root: str
    listen: str
    server_name: str
    #: Where nginx reads the password file.
    htpasswd: str
    #: The site is published with ``kaoping publish --gzip-only``: nginx always sends the ``.gz`` and
    #: decompresses it for a client that does not accept gzip (the ``gunzip`` module).
    gzip_only: bool = False


#: An absolute path that can stand in nginx's configuration between quotes.
_PATH = re.compile(r'^/[^"\\$;{}\x00-\x1f]*$')
#: name → (environment variable, names in server.txt, what it is, allowed value)
SETTINGS: dict[str, tuple[str, tuple[str, ...], str, re.Pattern[str]]] = {
    "site_root": (
        "KAOPING_SITE_ROOT",
        ("site_root", "网站目录"),
        "服务器上 kaoping publish 发布网站的目录，绝对路径",
        _PATH,
    ),
    "listen": (
        "KAOPING_LISTEN",
        ("listen", "监听"),
        "nginx 监听的端口或地址:端口，例如 80、127.0.0.1:8080",
        re.compile(r"^[A-Za-z0-9.:\[\]_= -]+$"),
    ),
    "server_name": (
        "KAOPING_SERVER_NAME",
        ("server_name", "域名"),
        "网站的域名或主机名，例如 dangjian.example.gov.cn；_ 表示任意",
        re.compile(r"^[A-Za-z0-9._*~-]+( [A-Za-z0-9._*~-]+)*$"),
    ),
    "htpasswd": (
        "KAOPING_HTPASSWD",
        ("htpasswd", "密码文件"),
        "服务器上 nginx 读取密码文件的位置，绝对路径",
        _PATH,
    ),
    "gzip_only": (
        "KAOPING_GZIP_ONLY",
        ("gzip_only", "只发布压缩文件"),
        "是 或 否：网站用 kaoping publish --gzip-only 发布时写 是（nginx 要有 gunzip 模块，Debian 的 nginx 软件包有）",
        re.compile(r"^(是|否|yes|no)$", re.IGNORECASE),
    ),
}
#: The values of ``gzip_only`` that switch it on.
YES = ("是", "yes")


def read_settings(folder: Path, root: Path, accounts_file: Path, problems: Problems) -> ServerSettings | None:
    """The settings, each checked; None when one is refused (each refusal is in ``problems``)."""
    htpasswd = accounts_file.parent / OUTPUT_DIR / HTPASSWD
    values: dict[str, str] = {
        "site_root": "",
        "listen": "80",
        "server_name": "_",
        "htpasswd": str(htpasswd.parent.resolve() / htpasswd.name),
        "gzip_only": "否",
    }
    path = folder / SETTINGS_FILE
    file = relative(path, root)
    where: dict[str, Loc] = {}
    if path.is_file() and not _read_settings_file(path, file, values, where, problems):
        return None
    for name, (variable, _, _, _) in SETTINGS.items():
        if os.environ.get(variable, "").strip():
            values[name] = os.environ[variable].strip()
            where[name] = Loc(f"环境变量 {variable}")
    ok = True
    for name, (variable, aliases, words, allowed) in SETTINGS.items():
        value, loc = values[name], where.get(name, Loc(file))
        if name == "site_root" and not value:
            problems.error(
                loc,
                "没有设置网站目录（nginx 提供网站的目录，即 kaoping publish 的发布目录）",
                f"在 {file} 中写一行“{aliases[1]} = /srv/kaoping/site”，或设置环境变量 {variable}。",
            )
            ok = False
        elif name == "site_root" and not value.startswith("/"):
            ok = check_site_root(value, loc, root, (), problems) and ok
        elif name == "gzip_only" and not allowed.match(value):
            problems.error(loc, f"{aliases[1]}「{value}」不是 是 或 否", f"写 {words}。")
            ok = False
        elif not allowed.match(value):
            problems.error(
                loc,
                f"{aliases[1]}「{value}」不能用在 nginx 配置中",
                f"写{words}（不能有引号、反斜杠、$、分号或大括号）。",
            )
            ok = False
    if not ok:
        return None
    secrets = (
        ("账号文件", accounts_file),
        ("生成的 nginx 配置", htpasswd.parent),
        ("密码文件", Path(values["htpasswd"])),
    )
    if not check_site_root(values["site_root"], where["site_root"], root, secrets, problems):
        return None
    found = ServerSettings(
        values["site_root"],
        values["listen"],
        values["server_name"],
        values["htpasswd"],
        values["gzip_only"].lower() in YES,
    )
    if not found.gzip_only and stamp.published_gzip_only(Path(found.site_root)):
        problems.warning(
            where.get("gzip_only", Loc(file)),
            "网站目录中现在的网站只发布了压缩文件（kaoping publish --gzip-only），这次生成的 nginx 配置却是为平常发布的"
            "网站写的：启用后，不接受 gzip 的客户端和经过代理的浏览器会得到空白页面",
            f"在 {file} 中写一行“只发布压缩文件 = 是”后重新生成；或者先用 kaoping publish（不加 --gzip-only）重新发布，"
            "再启用这份配置（nginx -t && systemctl reload nginx）。",
        )
    return found


def _read_settings_file(
    path: Path, file: str, values: dict[str, str], where: dict[str, Loc], problems: Problems
) -> bool:
    """Read ``server.txt`` into ``values``; ``where`` gets the line and column of each value."""
    data = read_bytes(path, file, problems, 1024 * 1024, "设置文件")
    if data is None:
        return False
    try:
        text, _ = decode(data)
    except UnicodeDecodeError:
        problems.error(Loc(file), "无法识别设置文件的编码", "用记事本另存为 UTF-8。")
        return False
    names = {alias: key for key, (_, aliases, _, _) in SETTINGS.items() for alias in aliases}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.replace("＝", "=").partition("=")
        name = names.get(key.strip())
        if not sep or name is None:
            problems.error(
                Loc(file, number, 1),
                f"不认识这一行：{line}",
                "每行写“名称 = 值”，名称是 "
                + "、".join(a for _, al, _, _ in SETTINGS.values() for a in al)
                + "；# 开头的行是说明。",
            )
            continue
        if name in where:
            problems.error(Loc(file, number, 1), f"{key.strip()} 与第 {where[name].line} 行重复", "删去一行。")
            continue
        # The column of the value, as an editor counts it: what precedes it on the line, plus one.
        column = len(raw) - len(raw.lstrip()) + len(key) + len(sep) + len(value) - len(value.lstrip()) + 1
        where[name] = Loc(file, number, column)
        values[name] = value.strip()
    return True
