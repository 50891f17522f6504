"""The files nginx reads in the access mode: the access maps and the ``server { }`` (in one file, or split for
a server the office already has), and the password file. Who may read what comes from
:func:`generator.access.policy.page_access`; one ``map`` lookup on ``账号:考核/单位`` decides a unit page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.access import serving
from generator.access.accounts import (
    CONF,
    CONF_HTTP,
    CONF_SERVER,
    Account,
    ServerSettings,
)
from generator.access.passwords import hash_password
from generator.access.policy import G, private_results, results_path
from generator.access.unitcodes import registry
from generator.data.pipeline import Prepared
from generator.site import paths

#: The address that sends a signed-in account to its own page (the office's: the home page).
LOGIN_PATH = "/login"


#: The first line of every file ``kaoping build --access`` writes beside the accounts file (nginx reads a line
#: starting with # in a password file as a comment): a file there without it is someone else's.
MADE_BY = "# 由 kaoping build --access "


def htpasswd_text(accounts: Iterable[Account], previous: str = "") -> str:
    old = dict(line.split(":", 1) for line in previous.splitlines() if ":" in line and not line.startswith("#"))
    lines = [f"{a.name}:{hash_password(a.password, old.get(a.name))}" for a in sorted(accounts, key=lambda a: a.name)]
    return f"{MADE_BY}生成的密码文件，每次生成都会覆盖，不要手工修改。\n" + "\n".join(lines) + "\n"


def not_ours(path: Path, names: Iterable[str]) -> bool:
    """Whether the existing ``path`` is a file kaoping did not write: without :data:`MADE_BY` on its first line,
    and for a password file (written without it by earlier versions) naming none of the accounts ``names``
    (an account taken out of the accounts file is still in the last one kaoping wrote)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # unreadable (another user's, mode 640): the write says why, in its own words
        return False
    if text.startswith(MADE_BY):
        return False
    if path.name != "htpasswd":
        return True
    known = set(names)
    users = [line.split(":", 1)[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return not any(user in known for user in users)


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
        own_pages=tuple(
            sorted((name, paths.html_path(paths.unit_page(units[uid][0][0], uid))) for name, uid in unit_accounts)
        ),
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
        *serving.server_lines(settings.gzip_only),
        "",
        # ^~ makes nginx stop at this prefix: a regex location the server already has (say, one setting
        # expires for \.html$) can never serve these pages without the rules nested here.
        f"location ^~ /{paths.GENERATED}/ {{",
        *(
            f"    {line}"
            for line in (
                "# 单位页面、单位的 JSON 和 Excel：本单位的账号和考核办公室。先验证密码（401），再查对照表（403）。",
                *block(
                    rf"location ~* ^/{G}/(?<kaoping_aid>[^/]+)/units/(?<kaoping_unit>[^/]+)\.(?:html|json|xlsx)$",
                    "try_files $uri$kaoping_unit_denied =403;",
                ),
                "",
                "# units/ 中的其他文件、各项考核的下载文件（CSV、XLSX、完整 JSON，含全部单位）、"
                "考核办公室的全年工作清单和意见书、督办单（office/）：只有考核办公室。",
                *block(
                    rf"location ~* ^/{G}/[^/]+/(?:units|downloads|office)/",
                    "try_files $uri$kaoping_office_denied =403;",
                    *serving.csv_type_lines("try_files $uri$kaoping_office_denied =403;"),
                ),
            )
        ),
        "}",
    ]
    for aid in plan.private_results:
        out += ["", f"# {aid} 的考核结果页：细则写明 results_public: false，只有考核办公室（连同它的压缩副本 .gz）。"]
        for path in (results_path(aid), results_path(aid) + ".gz"):
            out += block(f"location = /{path}", "try_files $uri$kaoping_office_denied =403;")
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
            f"{MADE_BY}根据 {source} 生成（{accounts} 个账号："
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
