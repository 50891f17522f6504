"""Each unit sees its own page: the access mode of ``kaoping build --access 账号文件``.

For an intranet where units must not read each other's breakdowns. From the units' accounts file, which is
never published (``access/accounts.csv`` by default, a git-ignored folder), the build also writes, into the
folder ``nginx/`` beside that file:

- ``kaoping.conf``, for nginx's ``http { }`` (``conf.d/``): the access maps and a whole ``server { }``;
- ``kaoping-http.conf`` and ``kaoping-server.conf``, the same split in two, for a ``server { }`` the office
  already has (HTTPS): the maps go into ``http { }``, the root and the locations into that server;
- ``htpasswd``: every account with its password as SHA-512-crypt (``$6$``), which nginx's ``auth_basic``
  checks with the system's crypt(3) (:mod:`generator.access.passwords`). A password that did not change keeps its
  hash, so rebuilding the same accounts rewrites nothing.

The configuration's ``root`` (the site root) must be a folder ``kaoping publish`` made, outside the project
(:mod:`generator.access.site_root`): nothing is written until it, the accounts and the passwords are all accepted.

Who reads what is decided in one place, :func:`page_access`, for nginx and for the search index alike:
a unit's page and its JSON go to that unit's accounts (in every assessment whose registry has the code) and
the office; the rest of ``units/`` and the bulk downloads go to the office only; the results page is public
when the rubric's ``results_public`` is true, else the office's; everything else is public.

One ``map`` lookup on ``账号:考核/单位`` decides a unit page, whatever the number of units. nginx checks the
password in its access phase, before the map's answer is used by ``try_files`` (precontent phase): a wrong or
missing password is always 401, the right password on another unit's page 403.

Nothing public may hold a restricted page's content: unit pages and restricted results pages are taken out of
the search index and the sitemap (unit pages are simply not searchable in this mode). The other public pages
hold no unit's breakdown: the home page, overview and list of years show counts per grade, and the notice
lists names by grade (with scores when the notice says so), as the published notice does.
"""

from __future__ import annotations

import contextlib
import difflib
import gzip
import io
import json
import os
import re
import stat
import subprocess
import unicodedata
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from generator.access import serving
from generator.access.passwords import PASSWORD_RULE, hash_password, password_problem
from generator.access.site_root import check_site_root
from generator.data.load import read_bytes, relative
from generator.data.pipeline import Prepared
from generator.data.problems import Loc, Problems
from generator.data.tables import Column, Table, decode, parse_table
from generator.engine.models import Row
from generator.site import paths, views

#: What the office writes in 单位代码 for an account that reads everything.
OFFICE_CODES = ("*", "考核办公室")
#: Where ``kaoping build --access`` is meant to find the accounts (git-ignored, never published).
DEFAULT_FILE = "access/accounts.csv"
#: Optional settings for the generated configuration, beside the accounts file.
SETTINGS_FILE = "server.txt"
#: The folder, beside the accounts file, that receives the configuration and the password file.
OUTPUT_DIR = "nginx"
CONF = "kaoping.conf"
CONF_HTTP = "kaoping-http.conf"
CONF_SERVER = "kaoping-server.conf"
HTPASSWD = "htpasswd"
#: The address that sends a signed-in account to its own page (the office's: the home page).
LOGIN_PATH = "/login"
#: Folders of the project an accounts file may not sit in: published, or committed to git.
FORBIDDEN_FOLDERS = ("docs", "site", "results", "rubrics", "site_templates")
MAX_ACCOUNTS_BYTES = 20 * 1024 * 1024
#: The page of the documentation that prints an example accounts file: its passwords are known to all.
DOC_FILE = "docs/reference/access.md"
_DOC_EXAMPLE = re.compile(r'^```text title="[^"]*accounts\.csv[^"]*"\n(?P<body>.*?)^```', re.DOTALL | re.MULTILINE)

ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
ACCOUNT_RULE = "账号只能用英文字母、数字和 . _ @ -，以字母或数字开头，最长 64 个字符（不能有冒号、空格或中文）"

ACCOUNTS = Table(
    "accounts",
    "账号",
    "accounts",
    "每个账号一行：账号、密码、单位代码（考核办公室的账号写 `*` 或 `考核办公室`）。这个文件不发布、不提交。",
    (
        Column("account", "账号", ACCOUNT_RULE + "。", ("账号", "用户名", "登录名", "account", "user", "username"), True, code=True),
        Column("password", "密码", PASSWORD_RULE + "；每个账号不同。", ("密码", "口令", "password"), True),
        Column(
            "unit",
            "单位代码",
            "单位名册中的单位代码（历年相同）；考核办公室写 `*` 或 `考核办公室`。",
            ("单位代码", "单位编号", "单位", "unit", "unit_id"),
            True,
            code=True,
        ),
        Column("holder", "姓名", "使用这个账号的人。", ("姓名", "使用人", "联系人", "name"), internal=True),
        Column("note", "备注", "备注。", ("备注", "说明", "note"), internal=True),
    ),
)

Access = Literal["public", "unit", "office"]


@dataclass(frozen=True)
class Account:
    name: str
    #: As the office set it; only ever written out hashed.
    password: str = field(repr=False)
    #: The unit's code; None for an office account.
    unit: str | None
    loc: Loc

    @property
    def office(self) -> bool:
        return self.unit is None


@dataclass(frozen=True)
class ServerSettings:
    """What the generated configuration points at, on the machine that serves the site."""

    site_root: str
    listen: str
    server_name: str
    #: Where nginx reads the password file.
    htpasswd: str


@dataclass(frozen=True)
class Accounts:
    file: str
    accounts: tuple[Account, ...]
    settings: ServerSettings
    #: Receives the configuration and the password file.
    out_dir: Path


# --------------------------------------------------------------------------------------------
# The rules: who may read a path of the site
# --------------------------------------------------------------------------------------------

G = re.escape(paths.GENERATED)
UNIT_FILE = re.compile(rf"^{G}/(?P<aid>[^/]+)/units/(?P<uid>[^/]+)\.(?:html|json)$")
OFFICE_FOLDER = re.compile(rf"^{G}/[^/]+/(?:units|downloads)/")


def results_path(aid: str) -> str:
    return paths.html_path(paths.page(aid, "results"))


def private_results(prepared: Prepared) -> set[str]:
    """The assessments whose results page only the office may read."""
    return {aid for aid, o in prepared.outcomes.items() if not o.rubric.results_public}


def page_access(path: str, private: set[str]) -> Access:
    """Who may read ``path`` (relative to the site's root, no leading slash): everyone, a unit, the office."""
    if UNIT_FILE.match(path):
        return "unit"
    if OFFICE_FOLDER.match(path) or any(path == results_path(aid) for aid in private):
        return "office"
    return "public"


def url_access(url: str, private: set[str]) -> Access:
    """The same for a URL (a sitemap's ``<loc>``), under whatever folder the site is served from."""
    parts = urllib.parse.unquote(urllib.parse.urlsplit(url).path).split("/")
    found: Access = "public"
    for start in range(len(parts)):
        kind = page_access("/".join(parts[start:]), private)
        if kind != "public":
            found = kind
    return found


# --------------------------------------------------------------------------------------------
# Reading and checking the accounts file
# --------------------------------------------------------------------------------------------


def _git_ignored(path: Path, root: Path) -> bool | None:
    """Whether git ignores ``path`` in the repository at ``root``; None when that cannot be told."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "check-ignore", "-q", str(path)], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: True, 1: False}.get(done.returncode)


def registry(prepared: Prepared) -> dict[str, list[tuple[str, str]]]:
    """Unit code → (assessment, unit name) for every assessment whose registry has it, newest first."""
    units: dict[str, list[tuple[str, str]]] = {}
    for outcome in views.ordered(prepared.outcomes):
        for u in outcome.units:
            units.setdefault(u.unit.id, []).append((outcome.rubric.id, u.unit.name))
    return units


def is_office(code: str) -> bool:
    """``*`` (also written full-width, ＊) or 考核办公室."""
    return unicodedata.normalize("NFKC", code) in OFFICE_CODES


def load_accounts(access_file: Path, root: Path, prepared: Prepared, problems: Problems) -> Accounts | None:
    """Read and check the accounts file; None when it has errors (each one is in ``problems``)."""
    before = len(problems.errors)
    path = access_file if access_file.is_absolute() else Path.cwd() / access_file
    file = relative(path, root)
    folder = path.parent.resolve()
    for name in FORBIDDEN_FOLDERS:
        if folder.is_relative_to((root / name).resolve()):
            problems.error(
                Loc(file),
                f"账号文件放在了 {name}/ 里：这个目录会发布到网站或提交到 git，密码会泄露",
                f"把账号文件移到不发布、不提交的目录，例如 {DEFAULT_FILE}（access/ 已在 .gitignore 中）。",
            )
            return None
    if not path.is_file():
        problems.error(
            Loc(file),
            "找不到账号文件",
            f"检查文件名；账号文件一般放在 {DEFAULT_FILE}，每行：账号、密码、单位代码（考核办公室写 *）。",
        )
        return None
    if folder.is_relative_to(root) and _git_ignored(path, root) is False:
        problems.warning(
            Loc(file),
            "账号文件没有被 git 忽略，提交时可能连同密码一起提交",
            f"把账号文件放在 {DEFAULT_FILE}，或在 .gitignore 中加上它所在的目录。",
        )
    data = read_bytes(path, file, problems, MAX_ACCOUNTS_BYTES, "账号文件")
    if data is None:
        return None
    rows = parse_table(data, file, ACCOUNTS, problems)
    if not rows and len(problems.errors) == before:
        problems.error(Loc(file), "账号文件里没有任何账号", "每行一个账号：账号、密码、单位代码（考核办公室写 *）。")
    accounts = _check_rows(rows, file, registry(prepared), documented_passwords(root), problems)
    settings = read_settings(folder, root, path, problems)
    if len(problems.errors) > before or settings is None:
        return None
    return Accounts(file, tuple(accounts), settings, path.parent / OUTPUT_DIR)


def documented_passwords(root: Path) -> frozenset[str]:
    """The passwords of the example accounts files printed in the project's documentation (published)."""
    try:
        text = (root / DOC_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    found: set[str] = set()
    for block in _DOC_EXAMPLE.finditer(text):
        rows = parse_table(block["body"].encode("utf-8"), DOC_FILE, ACCOUNTS, Problems())
        found.update(p for row in rows if (p := row.get("password")))
    return frozenset(found)


def _check_rows(
    rows: list[Row], file: str, units: Mapping[str, list[tuple[str, str]]], examples: frozenset[str], problems: Problems
) -> list[Account]:
    accounts: list[Account] = []
    seen: dict[str, Loc] = {}
    passwords: dict[str, Loc] = {}
    by_name: dict[str, list[str]] = {}
    for code, places in units.items():
        for _aid, name in places:
            by_name.setdefault(name, []).append(code)
    for row in rows:
        name, password, code = row.get("account"), row.get("password"), row.get("unit")
        ok = True
        if not name:
            problems.error(row.at("account"), "账号是空的", "填写账号，例如单位代码。")
            ok = False
        elif not ACCOUNT_NAME.match(name):
            problems.error(row.at("account"), f"账号「{name}」不能使用", ACCOUNT_RULE + "。")
            ok = False
        elif name.lower() in seen:
            first = seen[name.lower()]
            problems.error(
                row.at("account"),
                f"账号「{name}」与第 {first.line} 行的账号重复（不分大小写）",
                "每个账号只写一行；同一单位可以有几个不同的账号。",
            )
            ok = False
        else:
            seen[name.lower()] = row.at("account")
        unit: str | None
        if is_office(code):
            unit = None
        elif code in units:
            unit = code
        else:
            problems.error(row.at("unit"), *_unknown_unit(code, units, by_name))
            unit, ok = code, False
        problem = password_problem(password, name, unit, examples)
        if problem:
            problems.error(row.at("password"), f"账号「{name}」的{problem}", PASSWORD_RULE + "。")
            ok = False
        elif password in passwords:
            problems.error(
                row.at("password"),
                f"账号「{name}」的密码与第 {passwords[password].line} 行的账号相同",
                "每个账号设置不同的密码：知道自己密码的单位，换一个账号名就能看别的单位的页面。",
            )
            ok = False
        else:
            passwords[password] = row.at("password")
            if not password.isascii():
                problems.warning(
                    row.at("password"),
                    f"账号「{name}」的密码中有中文或全角字符，有的浏览器登录时会按别的编码发送，密码对不上",
                    "密码只用英文字母、数字和半角符号。",
                )
        if ok:
            accounts.append(Account(name, password, unit, row.loc))
    if rows and not any(is_office(row.get("unit")) for row in rows):
        problems.warning(
            Loc(file),
            "没有考核办公室的账号：下载文件（以及不公开的考核结果页）谁都看不了",
            "加一行考核办公室的账号，单位代码写 * 或 考核办公室。",
        )
    return accounts


def _unknown_unit(code: str, units: Mapping[str, list[tuple[str, str]]], by_name: Mapping[str, list[str]]) -> tuple[str, str]:
    if not code:
        return "单位代码是空的", "填写单位名册中的单位代码；考核办公室的账号写 * 或 考核办公室。"
    named = sorted(set(by_name.get(code, ())))
    if named:
        return f"「{code}」是单位名称，这一列要写单位代码", f"写单位代码 {'、'.join(named)}。"
    folded = [c for c in units if c.lower() == code.lower()]
    close = folded or difflib.get_close_matches(code, list(units), n=1)
    hint = f"是不是 {close[0]}（{units[close[0]][0][1]}）？" if close else ""
    return (
        f"单位代码「{code}」不在任何一项考核的单位名册中",
        hint + "单位代码见 results/<考核代码>/units.csv；考核办公室的账号写 * 或 考核办公室。",
    )


# --------------------------------------------------------------------------------------------
# Settings of the generated configuration: environment, then server.txt, then defaults
# --------------------------------------------------------------------------------------------

#: name → (environment variable, names in server.txt, what it is, allowed value)
SETTINGS: dict[str, tuple[str, tuple[str, ...], str, re.Pattern[str]]] = {
    "site_root": (
        "KAOPING_SITE_ROOT",
        ("site_root", "网站目录"),
        "服务器上 kaoping publish 发布网站的目录，绝对路径",
        re.compile(r'^/[^"\\$;{}\x00-\x1f]*$'),
    ),
    "listen": ("KAOPING_LISTEN", ("listen", "监听"), "nginx 监听的端口或地址:端口，例如 80、127.0.0.1:8080", re.compile(r"^[A-Za-z0-9.:\[\]_= -]+$")),
    "server_name": ("KAOPING_SERVER_NAME", ("server_name", "域名"), "网站的域名或主机名，例如 dangjian.example.gov.cn；_ 表示任意", re.compile(r"^[A-Za-z0-9._*~-]+( [A-Za-z0-9._*~-]+)*$")),
    "htpasswd": (
        "KAOPING_HTPASSWD",
        ("htpasswd", "密码文件"),
        "服务器上 nginx 读取密码文件的位置，绝对路径",
        re.compile(r'^/[^"\\$;{}\x00-\x1f]*$'),
    ),
}


def read_settings(folder: Path, root: Path, accounts_file: Path, problems: Problems) -> ServerSettings | None:
    """The settings, each checked; None when one is refused (each refusal is in ``problems``)."""
    htpasswd = accounts_file.parent / OUTPUT_DIR / HTPASSWD
    values: dict[str, str] = {
        "site_root": "",
        "listen": "80",
        "server_name": "_",
        "htpasswd": str(htpasswd.parent.resolve() / htpasswd.name),
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
        elif not allowed.match(value):
            problems.error(loc, f"{aliases[1]}「{value}」不能用在 nginx 配置中", f"写{words}（不能有引号、反斜杠、$、分号或大括号）。")
            ok = False
    if not ok:
        return None
    secrets = (("账号文件", accounts_file), ("生成的 nginx 配置", htpasswd.parent), ("密码文件", Path(values["htpasswd"])))
    if not check_site_root(values["site_root"], where["site_root"], root, secrets, problems):
        return None
    return ServerSettings(values["site_root"], values["listen"], values["server_name"], values["htpasswd"])


def _read_settings_file(path: Path, file: str, values: dict[str, str], where: dict[str, Loc], problems: Problems) -> bool:
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
                "每行写“名称 = 值”，名称是 " + "、".join(a for _, al, _, _ in SETTINGS.values() for a in al) + "；# 开头的行是说明。",
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


def htpasswd_text(accounts: Iterable[Account], previous: str = "") -> str:
    old = dict(line.split(":", 1) for line in previous.splitlines() if ":" in line)
    lines = [f"{a.name}:{hash_password(a.password, old.get(a.name))}" for a in sorted(accounts, key=lambda a: a.name)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The nginx configuration
# --------------------------------------------------------------------------------------------

REALM = "kaoping"
#: Appended to a denied request's path for ``try_files``: a path under a file, which never exists.
DENIED = "/.kaoping-denied"


@dataclass(frozen=True)
class Plan:
    """What the configuration grants, from the accounts and the assessments built."""

    #: Office accounts.
    office: tuple[str, ...]
    #: (account, assessment, unit) for every assessment in which an account's unit has a page.
    unit_pages: tuple[tuple[str, str, str], ...]
    #: (account, path of its unit's page in the newest assessment that has it).
    own_pages: tuple[tuple[str, str], ...]
    #: Assessments whose results page only the office may read.
    private_results: tuple[str, ...]
    units: int = 0


def make_plan(prepared: Prepared, accounts: Sequence[Account]) -> Plan:
    units = registry(prepared)
    unit_accounts = [(a.name, a.unit) for a in accounts if a.unit is not None]
    return Plan(
        office=tuple(sorted(a.name for a in accounts if a.office)),
        unit_pages=tuple(sorted((name, aid, uid) for name, uid in unit_accounts for aid, _ in units.get(uid, ()))),
        own_pages=tuple(sorted((name, paths.html_path(paths.unit_page(units[uid][0][0], uid))) for name, uid in unit_accounts)),
        private_results=tuple(sorted(private_results(prepared))),
        units=len({uid for _, uid in unit_accounts}),
    )


def _hash_sizes(keys: list[str]) -> tuple[int, int]:
    """``map_hash_bucket_size`` and ``map_hash_max_size`` that fit the longest key and every key.

    nginx stores a key in ``sizeof(void *) + align(length + 2)`` bytes and ends a bucket with a pointer.
    """
    longest = max((len(k.encode()) for k in keys), default=0)
    bucket = 64
    while bucket < 8 + (longest + 2 + 7) // 8 * 8 + 8:
        bucket *= 2
    return bucket, max(2048, 4 * len(keys))


def nginx_http(plan: Plan) -> str:
    """The maps, for nginx's ``http { }``."""
    keys = [f"{n}:{aid}/{uid}" for n, aid, uid in plan.unit_pages] + list(plan.office) + [n for n, _ in plan.own_pages]
    bucket, size = _hash_sizes(keys)
    out = [
        "# 访问规则用到的对照表（map），放在 http { } 中。",
        f"map_hash_bucket_size {bucket};",
        f"map_hash_max_size {size};",
        "",
        "# 考核办公室的账号：能看全部页面和下载文件。其他账号、未登录：拒绝。",
        "map $remote_user $kaoping_office_denied {",
        f'    default "{DENIED}";',
        *(f'    "{n}" "";' for n in plan.office),
        "}",
        "",
        "# 单位页面和单位的 JSON：键是“账号:考核代码/单位代码”，列出的是本单位的账号；其余按考核办公室的规则。",
        'map "$remote_user:$kaoping_aid/$kaoping_unit" $kaoping_unit_denied {',
        "    default $kaoping_office_denied;",
        *(f'    "{n}:{aid}/{uid}" "";' for n, aid, uid in plan.unit_pages),
        "}",
        "",
        f"# {LOGIN_PATH}：登录后转到本单位最新一年的页面；考核办公室转到首页。",
        "map $remote_user $kaoping_own_page {",
        "    default /;",
        *(f'    "{n}" "/{page}";' for n, page in plan.own_pages),
        "}",
    ]
    return "\n".join(out) + "\n"


def nginx_server(plan: Plan, settings: ServerSettings) -> str:
    """The root and the locations, for a ``server { }``."""
    auth = [
        f'auth_basic "{REALM}";',
        f'auth_basic_user_file "{settings.htpasswd}";',
        # Nor may a proxy or a shared computer's browser keep a unit's page.
        'add_header Cache-Control "private, no-store" always;',
    ]

    def block(head: str, *lines: str) -> list[str]:
        return [head + " {", *(f"    {line}" for line in (*auth, *lines)), "}"]

    out = [
        "# 网站目录和访问规则，放在 server { } 中（kaoping.conf 已经这样做了）。",
        f'root "{settings.site_root}";',
        "index index.html;",
        "autoindex off;",
        "server_tokens off;",
        "charset utf-8;",
        f"charset_types {serving.CHARSET_TYPES};",
        "# 只提供网站目录里的文件：不跟随指向目录外的链接。",
        "disable_symlinks on from=$document_root;",
        "",
        *serving.server_lines(),
        "",
        # ^~ makes nginx stop at this prefix: a regex location the server already has (say, one setting
        # expires for \.html$) can never serve these pages without the rules nested here.
        f"location ^~ /{paths.GENERATED}/ {{",
        *(
            f"    {line}"
            for line in (
                "# 单位页面和单位的 JSON：本单位的账号和考核办公室。先验证密码（401），再查对照表（403）。",
                *block(
                    rf"location ~* ^/{G}/(?<kaoping_aid>[^/]+)/units/(?<kaoping_unit>[^/]+)\.(?:html|json)$",
                    "try_files $uri$kaoping_unit_denied =403;",
                ),
                "",
                "# units/ 中的其他文件、各项考核的下载文件（CSV、XLSX、完整 JSON，含全部单位）：只有考核办公室。",
                *block(
                    rf"location ~* ^/{G}/[^/]+/(?:units|downloads)/",
                    "try_files $uri$kaoping_office_denied =403;",
                    *serving.csv_type_lines("try_files $uri$kaoping_office_denied =403;"),
                ),
            )
        ),
        "}",
    ]
    for aid in plan.private_results:
        out += ["", f"# {aid} 的考核结果页：细则写明 results_public: false，只有考核办公室。"]
        out += block(f"location = /{results_path(aid)}", "try_files $uri$kaoping_office_denied =403;")
    out += [
        "",
        f"# {LOGIN_PATH}：先验证密码，再转到本账号的页面。",
        *block(f"location = {LOGIN_PATH}", f"try_files /index.html{DENIED} @kaoping_login;"),
        "location @kaoping_login {",
        "    absolute_redirect off;",
        "    return 302 $kaoping_own_page;",
        "}",
    ]
    return "\n".join(out) + "\n"


def nginx_conf(settings: ServerSettings, http: str, server: str) -> str:
    """Both, with ``listen`` and ``server_name``: one file for nginx's ``http { }``."""
    body = "\n".join(f"    {line}" if line else "" for line in server.splitlines())
    return f"{http}\nserver {{\n    listen {settings.listen};\n    server_name {settings.server_name};\n\n{body}\n}}\n"


def config_files(plan: Plan, settings: ServerSettings, source: str) -> dict[str, str]:
    """The three configuration files by name, each with a header saying where it goes."""
    accounts = len(plan.office) + len(plan.own_pages)

    def header(where: str) -> str:
        return (
            f"# 由 kaoping build --access 根据 {source} 生成（{accounts} 个账号："
            f"{plan.units} 个单位，{len(plan.office)} 个考核办公室账号）。\n"
            "# 每次生成都会覆盖，不要手工修改；设置见使用说明“各单位只看本单位页面”。\n"
            f"# {where}\n"
            f"# 网站目录：{settings.site_root}\n"
            f"# 密码文件：{settings.htpasswd}\n\n"
        )

    http, server = nginx_http(plan), nginx_server(plan, settings)
    return {
        CONF: header("放在 nginx 的 http { } 中（例如 /etc/nginx/conf.d/）：含访问规则和一个完整的 server { }。")
        + nginx_conf(settings, http, server),
        CONF_HTTP: header(f"放在 nginx 的 http {{ }} 中，与 {CONF_SERVER} 配合使用。") + http,
        CONF_SERVER: header(f"放在已有的 server {{ }} 中，{CONF_HTTP} 放在 http {{ }} 中。") + server,
    }


# --------------------------------------------------------------------------------------------
# Applying the mode to a built site, and writing the files
# --------------------------------------------------------------------------------------------


def filter_search_index(site_dir: Path, private: set[str]) -> int:
    """Take every restricted page out of MkDocs' search index; returns how many entries went."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return 0
    index = json.loads(path.read_text(encoding="utf-8"))
    kept = [d for d in index["docs"] if page_access(str(d.get("location", "")).split("#", 1)[0], private) == "public"]
    removed = len(index["docs"]) - len(kept)
    if removed:
        index["docs"] = kept
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return removed


_SITEMAP_URL = re.compile(r"[ \t]*<url>(?P<body>.*?)</url>[ \t]*\n?", re.DOTALL)
_LOC = re.compile(r"<loc>(?P<url>[^<]*)</loc>")


def filter_sitemap(site_dir: Path, private: set[str]) -> int:
    """Take every restricted page out of ``sitemap.xml`` and ``sitemap.xml.gz`` (same gzip date as MkDocs')."""
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return 0
    removed = 0

    def keep(m: re.Match[str]) -> str:
        nonlocal removed
        loc = _LOC.search(m["body"])
        url = loc["url"].replace("&amp;", "&") if loc else ""
        if url_access(url, private) == "public":
            return m.group(0)
        removed += 1
        return ""

    text = _SITEMAP_URL.sub(keep, path.read_text(encoding="utf-8"))
    if removed:
        path.write_text(text, encoding="utf-8")
        gz = site_dir / "sitemap.xml.gz"
        if gz.is_file():
            mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
            raw = io.BytesIO()
            with gzip.GzipFile(fileobj=raw, filename=str(gz), mode="wb", mtime=mtime) as out:
                out.write(text.encode("utf-8"))
            gz.write_bytes(raw.getvalue())
    return removed


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


def apply_access(root: Path, site_dir: Path, prepared: Prepared, accounts: Accounts) -> None:
    """Restrict the built site in ``site_dir`` and write the nginx files beside the accounts file."""
    from generator.site.build import BuildError

    out = accounts.out_dir.resolve()
    for published in (site_dir.resolve(), (root / "site").resolve(), (root / "docs").resolve()):
        if out.is_relative_to(published):
            raise BuildError(f"nginx 配置和密码文件不能写进 {published}：那里的文件会发布")
    from generator.site.build import build_search_index

    private = private_results(prepared)
    filter_search_index(site_dir, private)
    build_search_index(site_dir, prepared, lambda path: page_access(path, private) == "public")
    filter_sitemap(site_dir, private)
    out.mkdir(parents=True, exist_ok=True)
    previous = (out / HTPASSWD).read_text(encoding="utf-8", errors="replace") if (out / HTPASSWD).is_file() else ""
    write_file(out / HTPASSWD, htpasswd_text(accounts.accounts, previous).encode("utf-8"), 0o640, private=True)
    for name, text in config_files(make_plan(prepared, accounts.accounts), accounts.settings, accounts.file).items():
        write_file(out / name, text.encode("utf-8"), 0o644)
