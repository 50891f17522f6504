"""The units' accounts file of ``kaoping build --access`` and the settings beside it (``server.txt``), read
and checked: every account names a unit of the registry (or the office), every password follows the rule
(:mod:`generator.access.passwords`), and the file sits where it is neither published nor committed.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.access.passwords import PASSWORD_RULE, password_problem
from generator.access.settings import HTPASSWD as HTPASSWD  # (where the other files of the mode are named)
from generator.access.settings import OUTPUT_DIR, ServerSettings, read_settings
from generator.access.unitcodes import refuse_shared_codes, registry
from generator.data.csvread import parse_table
from generator.data.load import read_bytes, relative
from generator.data.pipeline import Prepared
from generator.data.problems import Loc, Problems
from generator.data.tables import Column, Table
from generator.engine.results import Row

#: What the office writes in 单位代码 for an account that reads everything.
OFFICE_CODES = ("*", "考核办公室")
#: Where ``kaoping build --access`` is meant to find the accounts (git-ignored, never published).
DEFAULT_FILE = "access/accounts.csv"
#: The files written beside the accounts file, in OUTPUT_DIR (with HTPASSWD).
CONF = "kaoping.conf"
CONF_HTTP = "kaoping-http.conf"
CONF_SERVER = "kaoping-server.conf"
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
        Column(
            "account",
            "账号",
            ACCOUNT_RULE + "。",
            ("账号", "用户名", "登录名", "account", "user", "username"),
            True,
            code=True,
        ),
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
class Accounts:
    file: str
    accounts: tuple[Account, ...]
    settings: ServerSettings
    #: Receives the configuration and the password file.
    out_dir: Path


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


def is_office(code: str) -> bool:
    """``*`` (also written full-width, ＊) or 考核办公室."""
    return unicodedata.normalize("NFKC", code) in OFFICE_CODES


def load_accounts(access_file: Path, root: Path, prepared: Prepared, problems: Problems) -> Accounts | None:
    """Read and check the accounts file; None when it has errors (each one is in ``problems``)."""
    before = len(problems.errors)
    path = access_file if access_file.is_absolute() else Path.cwd() / access_file
    file = relative(path, root)
    folder = path.parent.resolve()
    # Both where the name is and, for a link, where its content is: a link in access/ to a file in docs/
    # would publish the passwords as surely as the file itself.
    folders = (folder, path.resolve().parent)
    for name in FORBIDDEN_FOLDERS:
        if any(f.is_relative_to((root / name).resolve()) for f in folders):
            problems.error(
                Loc(file),
                f"账号文件放在了 {name}/ 里：这个目录会发布到网站或提交到 git，密码会泄露",
                f"把账号文件移到不发布、不提交的目录，例如 {DEFAULT_FILE}（access/ 已在 .gitignore 中）。",
            )
            return None
    if not path.is_file():
        what = "是一个目录，不是账号文件" if path.is_dir() else "不是普通文件" if path.exists() else "找不到账号文件"
        problems.error(
            Loc(file),
            what,
            f"写出账号文件（CSV）的路径；账号文件一般放在 {DEFAULT_FILE}，"
            "每行：账号、密码、单位代码（考核办公室写 *）。",
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
    refuse_shared_codes([(a.name, a.unit, a.loc) for a in accounts], prepared, problems)
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


def _unknown_unit(
    code: str, units: Mapping[str, list[tuple[str, str]]], by_name: Mapping[str, list[str]]
) -> tuple[str, str]:
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
