"""Each unit sees its own page (``kaoping build --access``).

- The accounts file is read like the results files and checked: unknown unit codes, duplicates, unsafe
  account names, weak or shared passwords, each at its line and column.
- The site root (where nginx serves from) must be a folder ``kaoping publish`` made: the project, a folder
  in or above it, ``/``, system folders, a folder without the publish marker, links to any of them are
  refused, with the setting's line and column, and nothing is written.
- Passwords over 128 characters and the passwords printed in the documentation are refused.
- The password file holds SHA-512-crypt hashes (libpass) that match the specification's vectors; a hash
  written before is kept; nginx accepts them, up to the longest password allowed.
- The site built in this mode differs from the normal one only in its search index and sitemap, which hold no
  restricted page.
- For real: the bundled data is built into a temporary copy with an accounts file, published (as ``kaoping
  publish`` leaves a folder), Debian's nginx is started on a free loopback port with the generated
  configuration, and HTTP requests check who reads what and that every attempt to read more is refused.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import functools
import gzip
import http.client
import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
from conftest_site import ROOT, add_notice_if_missing, built_site, copy_project, digests
from published import fake_published

from generator.access import accounts as access
from generator.access.accounts import Account, Accounts, ServerSettings, documented_passwords, load_accounts
from generator.access.mode import AccessMode, apply_access
from generator.access.nginx import LOGIN_PATH, Plan, config_files
from generator.access.passwords import MAX_PASSWORD, hash_password, password_problem, verify_password
from generator.access.policy import filter_sitemap, page_access, url_access
from generator.cli import main
from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Loc, Problems
from generator.engine.exact import fmt
from generator.site import paths, searchindex, views, yearpaths
from generator.site.build import Progress, build
from generator.site.stamp import BUILD_STAMP

pytestmark = pytest.mark.slow

NGINX = Path("/usr/sbin/nginx")
NO_NGINX = "Debian 的 nginx（/usr/sbin/nginx）没有安装；`make test` 会安装它（make browser）"
HASH_LINE = re.compile(r"^[A-Za-z0-9._@-]+:\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$")
DOC = ROOT / "docs" / "reference" / "access.md"


#: A hash the hand-written SHA-512-crypt of earlier versions wrote for ``LEGACY_PASSWORD`` (its own salt).
LEGACY_PASSWORD = "Lg-5093-old"
LEGACY_HASH = (
    "$6$k4Pq9.xZ/2mW7aRt$0VxCLybJnQR03Fp1ulJAma4wnxbXt5NbINlksQ3aaS4xlxOeyTBrW2Ckxr..ikyigDzwMeI4B0uUd46qXYU7Q."
)
LEGACY_ROUNDS_HASH = (
    "$6$rounds=20000$roundsSalt$YSBRddtLj3yx6hgoBwSG9DPKofF/CHcVi6wSWhzm.ti./OsQMeH.4RsRuUn0JN1HpjiApgdjoHPSOXacZc2nu/"
)


def write_accounts(folder: Path, *lines: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "accounts.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def load(tmp_path: Path, *lines: str, encoding: str = "utf-8") -> tuple[Accounts | None, Problems]:
    """Check an accounts file in the project ``tmp_path/project``; unless the test wrote its own
    ``server.txt``, the site root is ``tmp_path/www``, a published folder."""
    root = tmp_path / "project"
    path = write_accounts(root / "access", *lines, encoding=encoding)
    if not (root / "access" / "server.txt").exists():
        if not (tmp_path / "www").exists():
            fake_published(tmp_path / "www")
        (root / "access" / "server.txt").write_text(f"网站目录 = {tmp_path / 'www'}\n", encoding="utf-8")
    problems = Problems()
    return load_accounts(path, root, built_site().prepared, problems), problems


def texts(problems: Problems) -> list[str]:
    return [str(p) for p in problems.sorted()]


# --------------------------------------------------------------------------------------------
# SHA-512-crypt
# --------------------------------------------------------------------------------------------


def test_hashes_follow_the_specification() -> None:
    # The test vectors of Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512", which glibc checks.
    default = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
    rounds = (
        "$6$rounds=10000$saltstringsaltst$"
        "OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."
    )
    for hashed in (default, rounds):
        assert verify_password("Hello world!", hashed)
        assert not verify_password("Hello world?", hashed)
    made = hash_password("Hello world!")
    assert re.fullmatch(r"\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}", made), "5000 轮（默认，不写 rounds=）、16 位盐"


def test_a_password_that_did_not_change_keeps_its_hash() -> None:
    first = hash_password("Qs-7381-dj")
    assert verify_password("Qs-7381-dj", first) and not verify_password("Qs-7381-dk", first)
    assert hash_password("Qs-7381-dj", first) == first
    again = hash_password("Qs-7381-dj")
    assert again != first, "每次新生成的散列用不同的盐"
    changed = hash_password("Lh-2946-dj", first)
    assert changed != first and verify_password("Lh-2946-dj", changed)


def test_hashes_written_before_are_kept_and_damaged_ones_replaced() -> None:
    assert hash_password(LEGACY_PASSWORD, LEGACY_HASH) == LEGACY_HASH
    assert hash_password(LEGACY_PASSWORD, LEGACY_ROUNDS_HASH) == LEGACY_ROUNDS_HASH
    for previous in ("$6$k4Pq9.xZ/2mW7aRt$", "$6$", "garbage", "$2b$12$" + "a" * 53, LEGACY_HASH[:-1], ""):
        made = hash_password(LEGACY_PASSWORD, previous)
        assert made != previous and verify_password(LEGACY_PASSWORD, made), previous


# --------------------------------------------------------------------------------------------
# The accounts file
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Qs-7381-dj", ""),
        ("kaohe2024", ""),
        ("", "空的"),
        ("Ab1!", "太短"),
        ("abcdefghij", "一类字符"),
        ("1234567890", "一类字符"),
        ("xq-01-2024", "单位代码"),
        ("Qingshan2024", "账号"),
        ("Ab1\tcdefgh", "控制字符"),
        ("Ab1-cdef\u200bgh", "零宽字符"),
        ("Ab1-cdef\u202egh", "控制字符"),
        ("Ab1-" * 32, ""),
        ("Ab1-" * 32 + "x", "太长（129 个字符，最多 128 个）"),
        ("Ab1-" * 7500, "太长（30000 个字符"),
        ("考评密码" * 31 + "Ab1x", ""),
        ("\U00020000" * 126 + "A1", ""),
        ("\U00020000" * 127 + "A", ""),
        ("\U00020000" * 128, "太长（按 UTF-8 编码有 512 字节，nginx 最多接受 511 字节）"),
    ],
)
def test_password_rules(password: str, problem: str) -> None:
    found = password_problem(password, "qingshan", "xq-01")
    assert (problem in found) if problem else found == ""


def doc_examples() -> list[list[dict[str, str]]]:
    """The example accounts files printed in the documentation, read with the csv module."""
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r'```text title="access/accounts\.csv[^"]*"\n(.*?)```', text, re.DOTALL)
    assert blocks, "使用说明中找不到账号文件的示例"
    return [list(csv.DictReader(io.StringIO(block))) for block in blocks]


def test_the_passwords_printed_in_the_documentation_are_refused(tmp_path: Path) -> None:
    printed = {row["密码"] for block in doc_examples() for row in block}
    assert len(printed) >= 3 and documented_passwords(ROOT) == printed
    rows = doc_examples()[0]
    lines = ["账号,密码,单位代码,姓名,备注"] + [",".join(row.values()) for row in rows]
    (tmp_path / "project" / "docs" / "reference").mkdir(parents=True)
    shutil.copyfile(DOC, tmp_path / "project" / "docs" / "reference" / "access.md")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is None
    expected = [
        f"access/accounts.csv:{n}:2: 错误：账号「{row['账号']}」的密码是使用说明中印出的示例密码，谁都能看到"
        for n, row in enumerate(rows, 2)
    ]
    assert [t.split("\n")[0] for t in texts(problems)] == expected
    # Everything else in the example is right: with passwords of its own, the same file is accepted.
    own = [line.replace(row["密码"], f"Own-{n}!x9") for n, (line, row) in enumerate(zip(lines[1:], rows, strict=True))]
    accounts, problems = load(tmp_path, lines[0], *own)
    assert accounts is not None and not problems.errors, texts(problems)
    assert [(a.name, a.unit) for a in accounts.accounts] == [("qingshan", "xq-01"), ("linhe", "xq-02"), ("kaohe", None)]
    assert accounts.out_dir == tmp_path / "project" / "access" / "nginx"
    assert accounts.settings.site_root == str(tmp_path / "www")
    assert "Own-0!x9" not in repr(accounts), "密码不出现在对象的文字表示中"


def first_units(n: int = 2) -> list[tuple[str, str]]:
    """(code, name) of the first units of the newest assessment."""
    newest = views.ordered(built_site().prepared.outcomes)[0]
    return [(u.unit.id, u.unit.name) for u in newest.units[:n]]


def test_gbk_file_with_english_headers_is_read(tmp_path: Path) -> None:
    (a, _), (b, _) = first_units()
    accounts, problems = load(
        tmp_path,
        "account,password,unit,name",
        f"unit-a,Aa-1234-xy,{a},张三",
        f"unit-b,Bb-5678-xy,{b},李四",
        "office,Oo-9012-xy,*,考核办公室",
        encoding="gb18030",
    )
    assert accounts is not None, texts(problems)
    assert [a.unit for a in accounts.accounts] == [a, b, None]


def test_every_problem_is_reported_at_its_cell(tmp_path: Path) -> None:
    (a, a_name), (b, _) = first_units()
    accounts, problems = load(
        tmp_path,
        "账号,密码,单位代码",
        f"good,Gd-1234-xy,{a}",  # line 2
        f"GOOD,Gd-5678-xy,{b}",  # 3: the same account, in capitals
        f"bad:name,Bn-1234-xy,{b}",  # 4
        f"unknown,Un-1234-xy,{a}-nope",  # 5
        f"byname,Bn-5678-xy,{a_name}",  # 6
        f"upper,Up-1234-xy,{a.upper()}",  # 7
        f"weak,short,{b}",  # 8
        f"same,Gd-1234-xy,{b}",  # 9: the password of line 2
        "empty,,＊",  # 10
        f"中文,Zw-1234-xy,{b}",  # 11
        f"long,{'Lo-9' * 40},{b}",  # 12
    )
    assert accounts is None
    found = texts(problems)
    file = "access/accounts.csv"
    expected = [
        (f"{file}:3:1", "与第 2 行的账号重复"),
        (f"{file}:4:1", "不能使用"),
        (f"{file}:5:3", "不在任何一项考核的单位名册中"),
        (f"{file}:6:3", "是单位名称"),
        (f"{file}:7:3", f"是不是 {a}"),
        (f"{file}:8:2", "太短"),
        (f"{file}:9:2", "与第 2 行的账号相同"),
        (f"{file}:10:2", "空的"),
        (f"{file}:11:1", "不能使用"),
        (f"{file}:12:2", "太长（160 个字符，最多 128 个）"),
    ]
    for where, words in expected:
        assert any(t.startswith(where + ":") and words in t for t in found), (where, words, found)
    assert not any("Gd-1234-xy" in t or "short" in t.split("：", 1)[1] or "Lo-9Lo-9" in t for t in found), (
        "问题说明里不写出密码"
    )


def test_an_empty_file_and_a_missing_office_account(tmp_path: Path) -> None:
    accounts, problems = load(tmp_path, "账号,密码,单位代码")
    assert accounts is None and any("没有任何账号" in t for t in texts(problems))
    (a, _), _ = first_units()
    accounts, problems = load(tmp_path, "账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}")
    assert accounts is not None and not problems.errors
    assert any("没有考核办公室的账号" in str(w) for w in problems.warnings)


@pytest.mark.parametrize("folder", ["docs", "site", "results/x", "rubrics"])
def test_an_accounts_file_where_it_would_be_published_is_refused(tmp_path: Path, folder: str) -> None:
    (a, _), _ = first_units()
    path = write_accounts(tmp_path / folder, "账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}")
    problems = Problems()
    assert load_accounts(path, tmp_path, built_site().prepared, problems) is None
    assert any("密码会泄露" in t for t in texts(problems))


def test_a_unit_code_that_is_another_unit_in_another_series_is_refused(tmp_path: Path) -> None:
    """Two series whose registries both have a unit cd01, different units: its account would be let into
    both units' pages. Refused at the account's line."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "rubrics", root / "rubrics")
    shutil.copytree(ROOT / "results", root / "results")
    for path in (root / "results" / "luoyang-2013").glob("*.csv"):
        path.write_bytes(re.sub(rb"(?m)^ly01,", b"cd01,", path.read_bytes()))  # (GBK or UTF-8: ASCII alike)
    prepared = prepare(root)
    assert not prepared.problems.has_errors()
    path = write_accounts(root / "access", "账号,密码,单位代码", "caizheng,Cz-4821-xq,cd01", "kaohe,Kh!6092-office,*")
    problems = Problems()
    assert load_accounts(path, root, prepared, problems) is None
    said = [str(p) for p in problems.errors]
    assert any(
        "access/accounts.csv:2" in t
        and "单位代码 cd01 在不同的考核系列中是不同的单位：" in t
        and "市财政局机关党委（系列 changde）、市发展和改革委员会机关党委（系列 luoyang）" in t
        for t in said
    ), said


def test_a_unit_renamed_in_one_series_is_still_one_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    """xq-01 is 青山县委 in 2019 and 青山市委 in 2020 in one series, and 青山县委 in another: one unit (they share
    a name). A code whose names in two series never meet is two units."""
    from types import SimpleNamespace

    import generator.access.unitcodes as unitcodes

    def outcome(aid: str, series: str, *units: tuple[str, str]) -> Any:
        rubric = SimpleNamespace(id=aid, series_id=series)
        members = [SimpleNamespace(unit=SimpleNamespace(id=c, name=n)) for c, n in units]
        return SimpleNamespace(rubric=rubric, units=members)

    newest_first = [
        outcome("zonghe-2020", "zonghe", ("xq-01", "青山市委"), ("xq-02", "白水县委")),
        outcome("zonghe-2019", "zonghe", ("xq-01", "青山县委"), ("xq-02", "白水县委")),
        outcome("zhuanxiang-2019", "zhuanxiang", ("xq-01", "青山县委"), ("xq-02", "黑山县委")),
    ]
    monkeypatch.setattr(unitcodes.views, "ordered", lambda _outcomes: newest_first)
    problems = Problems()
    accounts = [("qingshan", "xq-01", Loc("a.csv", 2)), ("baishui", "xq-02", Loc("a.csv", 3))]
    unitcodes.refuse_shared_codes(accounts, cast(Prepared, SimpleNamespace(outcomes={})), problems)
    said = texts(problems)
    assert len(said) == 1 and "单位代码 xq-02 在不同的考核系列中是不同的单位" in said[0], said
    assert "白水县委（系列 zonghe）" in said[0] and "黑山县委（系列 zhuanxiang）" in said[0], said


def test_a_missing_accounts_file(tmp_path: Path) -> None:
    problems = Problems()
    assert load_accounts(tmp_path / "access" / "nope.csv", tmp_path, built_site().prepared, problems) is None
    assert any("找不到账号文件" in t for t in texts(problems))


def test_an_accounts_file_linked_from_where_it_would_be_published_is_refused(tmp_path: Path) -> None:
    """access/pw.csv is a link to docs/files/pw.csv: the passwords are in docs/, published with the site."""
    (a, _), _ = first_units()
    target = write_accounts(tmp_path / "docs" / "files", "账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}")
    (tmp_path / "access").mkdir()
    (tmp_path / "access" / "pw.csv").symlink_to(target)
    problems = Problems()
    assert load_accounts(tmp_path / "access" / "pw.csv", tmp_path, built_site().prepared, problems) is None
    assert any("账号文件放在了 docs/ 里" in t for t in texts(problems)), texts(problems)


def test_an_accounts_path_that_is_not_a_file_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "access").mkdir()
    os.mkfifo(tmp_path / "access" / "fifo.csv")
    cases = [(tmp_path / "access", "是一个目录，不是账号文件"), (tmp_path / "access" / "fifo.csv", "不是普通文件")]
    for path, said in cases:
        problems = Problems()
        assert load_accounts(path, tmp_path, built_site().prepared, problems) is None
        assert any(said in t for t in texts(problems)), texts(problems)


def test_settings_from_the_file_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (a, _), _ = first_units()
    folder = tmp_path / "project" / "access"
    folder.mkdir(parents=True)
    fake_published(tmp_path / "www")
    (folder / "server.txt").write_text(f"# 服务器\n网站目录 = {tmp_path / 'www'}\nlisten=8080\n", encoding="utf-8")
    lines = ("账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}", "office,Oo-9012-xy,*")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None, texts(problems)
    assert accounts.settings == ServerSettings(
        str(tmp_path / "www"), "8080", "_", str(tmp_path.resolve() / "project" / "access" / "nginx" / "htpasswd")
    )
    monkeypatch.setenv("KAOPING_SITE_ROOT", "/var/www/dangjian")
    monkeypatch.setenv("KAOPING_SERVER_NAME", "dangjian.example.gov.cn")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None
    assert (accounts.settings.site_root, accounts.settings.listen, accounts.settings.server_name) == (
        "/var/www/dangjian",
        "8080",
        "dangjian.example.gov.cn",
    )
    monkeypatch.setenv("KAOPING_SITE_ROOT", "/srv/$site; root /")
    (folder / "server.txt").write_text("网站目录 = /srv/a\n端口 = 80\n网站目录 = /srv/b\n", encoding="utf-8")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is None
    found = texts(problems)
    assert any(t.startswith("access/server.txt:2:1:") and "不认识" in t for t in found), found
    assert any(t.startswith("access/server.txt:3:1:") and "重复" in t for t in found), found
    assert any(t.startswith("环境变量 KAOPING_SITE_ROOT:") for t in found), found


def test_the_compressed_only_setting_is_yes_or_no(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (a, _), _ = first_units()
    folder = tmp_path / "project" / "access"
    folder.mkdir(parents=True)
    fake_published(tmp_path / "www")
    lines = ("账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}", "office,Oo-9012-xy,*")
    for written, expected in (("", False), ("只发布压缩文件 = 是\n", True), ("gzip_only = No\n", False)):
        (folder / "server.txt").write_text(f"网站目录 = {tmp_path / 'www'}\n{written}", encoding="utf-8")
        accounts, problems = load(tmp_path, *lines)
        assert accounts is not None and accounts.settings.gzip_only is expected, (written, texts(problems))
    monkeypatch.setenv("KAOPING_GZIP_ONLY", "yes")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None and accounts.settings.gzip_only
    monkeypatch.delenv("KAOPING_GZIP_ONLY")
    # The site root holds a site published compressed only: a configuration for plain files is warned about.
    fake_published(tmp_path / "www", gzip_only=True)
    (folder / "server.txt").write_text(f"网站目录 = {tmp_path / 'www'}\n", encoding="utf-8")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None
    warned = [t for t in texts(problems) if "只发布了压缩文件" in t]
    assert len(warned) == 1 and "警告" in warned[0] and "空白页面" in warned[0], texts(problems)
    (folder / "server.txt").write_text(f"网站目录 = {tmp_path / 'www'}\n只发布压缩文件 = 是\n", encoding="utf-8")
    assert not [t for t in texts(load(tmp_path, *lines)[1]) if "只发布了压缩文件" in t]
    (folder / "server.txt").write_text(f"网站目录 = {tmp_path / 'www'}\n只发布压缩文件 =  也许\n", encoding="utf-8")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is None
    found = texts(problems)
    assert any(t.startswith("access/server.txt:2:12:") and "「也许」不是 是 或 否" in t for t in found), found


# --------------------------------------------------------------------------------------------
# The site root: only a folder kaoping publish made; every refusal writes nothing
# --------------------------------------------------------------------------------------------

CORPUS_SHARED = Path(__file__).parent / "corpus" / "_shared"
SMALL_ACCOUNTS = ("账号,密码,单位代码", "dangwei,Dw-4821-xq,u01", "zhibu,Zb-7305-xq,u02", "kaohe,Kh!6092-office,*")


def small_project(tmp: Path) -> Path:
    """A project that builds (the corpus' small rubric with the site sources), a site and nginx files
    from an earlier build, and an accounts file."""
    root = copy_project(tmp / "project", data=False)
    shutil.copytree(CORPUS_SHARED / "rubrics", root / "rubrics")
    shutil.copytree(CORPUS_SHARED / "results", root / "results")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("上次生成的网站", encoding="utf-8")
    (root / "access" / "nginx").mkdir(parents=True)
    (root / "access" / "nginx" / access.HTPASSWD).write_text("kaohe:$6$上次的散列\n", encoding="utf-8")
    made = "# 由 kaoping build --access 生成：上次的配置\n"
    (root / "access" / "nginx" / access.CONF).write_text(made, encoding="utf-8")
    write_accounts(root / "access", *SMALL_ACCOUNTS)
    return root


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under ``folder``: a file's bytes, a link's target, a FIFO or a folder; never followed."""
    found: dict[str, object] = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                found[rel] = path.read_bytes()
            else:
                found[rel] = stat.S_IFMT(mode)
    found.pop("project/.kaoping.lock", None)
    return found


def _chain(tmp: Path, target: Path) -> str:
    """A link to a link to ``target``."""
    (tmp / "second").symlink_to(target)
    (tmp / "first").symlink_to(tmp / "second")
    return str(tmp / "first")


def _marker_replaced(tmp: Path, make: Callable[[Path], None]) -> str:
    folder = fake_published(tmp / "www")
    marker = folder / ".kaoping-published"
    marker.unlink()
    make(marker)
    return str(folder)


def _loop(tmp: Path) -> str:
    (tmp / "a").symlink_to(tmp / "b")
    (tmp / "b").symlink_to(tmp / "a")
    return str(tmp / "a" / "site")


def _with_project_files(tmp: Path) -> str:
    folder = fake_published(tmp / "www")
    (folder / "results").mkdir()
    return str(folder)


#: name → (what to arrange in the scratch folder: the site root to write, the words the refusal says).
SITE_ROOTS: dict[str, tuple[Callable[[Path, Path], str], str]] = {
    "the-project": (lambda root, tmp: str(root), "就是项目目录：nginx 会把账号文件（含明文密码）"),
    "its-site-folder": (lambda root, tmp: str(root / "site"), "在项目目录 {root} 里"),
    "its-access-folder": (lambda root, tmp: str(root / "access"), "在项目目录 {root} 里"),
    "above-the-project": (lambda root, tmp: str(root.parent), "是项目目录 {root} 的上级目录"),
    "slash": (lambda root, tmp: "/", "是系统目录：nginx 会把其中的系统文件（例如 /etc/passwd）提供给任何人"),
    "etc": (lambda root, tmp: "/etc", "是系统目录"),
    "debian-default": (lambda root, tmp: "/usr/share/nginx/html", "是系统目录"),
    "home": (lambda root, tmp: "/home", "是系统目录"),
    "srv": (lambda root, tmp: "/srv/", "是系统目录"),
    "relative": (lambda root, tmp: "site", "不是绝对路径"),
    "dot-dot": (lambda root, tmp: f"{fake_published(tmp / 'www')}/../../project", "中有 . 或 .."),
    "link-chain-to-project": (lambda root, tmp: _chain(tmp, root), "就是项目目录（链接指向 {root}）"),
    "link-into-project": (lambda root, tmp: _chain(tmp, root / "site"), "在项目目录 {root} 里（链接指向 {root}/site）"),
    "link-to-slash": (lambda root, tmp: _chain(tmp, Path("/")), "是系统目录（链接指向 /）"),
    "link-loop": (lambda root, tmp: _loop(tmp), "无法解析（符号链接循环或没有权限）"),
    "a-file": (lambda root, tmp: str(shutil.copyfile(root / "mkdocs.yml", tmp / "site")), "不是目录"),
    "no-marker": (
        lambda root, tmp: str(shutil.copytree(root / "site", tmp / "www")),
        "里面没有它写的标记文件 .kaoping-published",
    ),
    "marker-a-link": (
        lambda root, tmp: _marker_replaced(
            tmp, lambda m: m.symlink_to(fake_published(tmp / "real") / ".kaoping-published")
        ),
        "里的 .kaoping-published 不是可以读取的普通文件（可能是链接）",
    ),
    "marker-a-folder": (
        lambda root, tmp: _marker_replaced(tmp, lambda m: m.mkdir()),
        "里的 .kaoping-published 不是普通文件",
    ),
    "marker-a-fifo": (
        lambda root, tmp: _marker_replaced(tmp, lambda m: os.mkfifo(m)),
        "里的 .kaoping-published 不是普通文件",
    ),
    "marker-without-fields": (
        lambda root, tmp: _marker_replaced(tmp, lambda m: m.write_text('{"commit": "abc"}', encoding="utf-8")),
        "里的标记文件 .kaoping-published 已损坏（应是含 commit、built_at、published_at 的 JSON）",
    ),
    "marker-not-json": (
        lambda root, tmp: _marker_replaced(tmp, lambda m: m.write_bytes(b"\xff<html>")),
        "里的标记文件 .kaoping-published 已损坏",
    ),
    "project-files-beside-the-site": (
        lambda root, tmp: _with_project_files(tmp),
        "里除了发布的网站还有项目的文件（results）",
    ),
}


def refused_build(tmp_path: Path, root: Path, accounts: Path) -> int:
    """Run ``kaoping build --access``; its exit status, after checking that nothing under ``tmp_path`` changed."""
    before = snapshot(tmp_path)
    code = main(["--root", str(root), "build", "-q", "--access", str(accounts)])
    assert snapshot(tmp_path) == before, "拒绝时什么都不写：没有 nginx 配置、密码文件，site/ 不变"
    return code


@pytest.mark.parametrize("case", SITE_ROOTS, ids=str)
def test_a_site_root_that_is_not_a_published_folder_is_refused_and_nothing_written(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = small_project(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    arrange, words = SITE_ROOTS[case]
    value = arrange(root, scratch)
    (root / "access" / "server.txt").write_text(f"网站目录 = {value}\n", encoding="utf-8")
    code = refused_build(tmp_path, root, root / "access" / "accounts.csv")
    err = capsys.readouterr().err
    first = err.split("\n")[0]
    assert code == 1, err
    assert first.startswith(f"access/server.txt:1:8: 错误：网站目录「{value}」"), err
    assert words.replace("{root}", str(root)) in first, err
    assert "kaoping publish" in err.split("\n    处理办法：", 1)[1].split("\n")[0], (
        "说明怎么办：用 kaoping publish 的发布目录"
    )
    assert err.endswith("数据有错误，网站没有生成；原来的 site/ 没有改动。改正上面列出的错误后再运行。\n"), err
    assert "Traceback" not in err


def test_the_site_root_from_the_environment_is_refused_at_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = small_project(tmp_path)
    fake_published(tmp_path / "www")
    (root / "access" / "server.txt").write_text(f"网站目录 = {tmp_path / 'www'}\n", encoding="utf-8")
    monkeypatch.setenv("KAOPING_SITE_ROOT", str(root))
    code = refused_build(tmp_path, root, root / "access" / "accounts.csv")
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"环境变量 KAOPING_SITE_ROOT: 错误：网站目录「{root}」就是项目目录"), err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (access.HTPASSWD, "admin:$apr1$Zq1x$abcdefghijklmnopqrstu.\n"),  # another site's users
        (access.CONF, "server { listen 80; root /srv/oa; }\n"),
        (access.CONF_SERVER, ""),
    ],
)
def test_files_of_someone_else_beside_the_accounts_file_are_not_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str
) -> None:
    """The accounts file kept in /etc/, say: its nginx/ folder is /etc/nginx/, whose htpasswd serves another
    site. Only what kaoping wrote (its header; an earlier version's password file naming these accounts) is
    replaced; anything else stops the build before it starts, and nothing is written."""
    root = small_project(tmp_path)
    fake_published(tmp_path / "www")
    (root / "access" / "server.txt").write_text(f"网站目录 = {tmp_path / 'www'}\n", encoding="utf-8")
    (root / "access" / "nginx" / name).write_text(content, encoding="utf-8")
    code = refused_build(tmp_path, root, root / "access" / "accounts.csv")
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"nginx/{name} 已经存在，不是 kaoping 生成的" in err and "处理办法：把账号文件放到单独的目录" in err, err


def test_an_unset_site_root_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before, the default was the project's own site/: served from inside the project."""
    root = small_project(tmp_path)
    code = refused_build(tmp_path, root, root / "access" / "accounts.csv")
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(
        "access/server.txt: 错误：没有设置网站目录（nginx 提供网站的目录，即 kaoping publish 的发布目录）\n"
        "    处理办法：在 access/server.txt 中写一行“网站目录 = /srv/kaoping/site”，"
        "或设置环境变量 KAOPING_SITE_ROOT。\n"
    ), err


@pytest.mark.parametrize("where", ["accounts", "htpasswd"])
def test_a_site_root_that_would_serve_the_passwords_is_refused(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A published folder is still refused when the accounts file, or the password file, sits inside it."""
    root = small_project(tmp_path)
    www = fake_published(tmp_path / "www")
    if where == "accounts":
        accounts = write_accounts(www / "private", *SMALL_ACCOUNTS)
        (www / "private" / "server.txt").write_text(f"网站目录 = {www}\n", encoding="utf-8")
        expected = f"{www}/private/server.txt:1:8: 错误：网站目录「{www}」里有账号文件 {accounts}"
    else:
        accounts = root / "access" / "accounts.csv"
        (root / "access" / "server.txt").write_text(f"网站目录 = {www}\n密码文件 = {www}/htpasswd\n", encoding="utf-8")
        expected = f"access/server.txt:1:8: 错误：网站目录「{www}」里有密码文件 {www}/htpasswd"
    code = refused_build(tmp_path, root, accounts)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(expected + "：nginx 会把它提供给任何人\n"), err


# --------------------------------------------------------------------------------------------
# The rules and the configuration
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("index.html", "public"),
        ("assessments/a-2020/index.html", "public"),
        ("assessments/a-2020/standards.html", "public"),
        ("assessments/a-2020/notice.html", "public"),
        ("assessments/a-2020/results.html", "public"),
        ("assessments/b-2020/results.html", "office"),
        ("assessments/b-2020/results.html.gz", "office"),
        ("assessments/a-2020/units/u-1.html", "unit"),
        ("assessments/a-2020/units/u-1.json", "unit"),
        ("assessments/a-2020/units/", "office"),
        ("assessments/a-2020/units/u-1.md", "office"),
        ("assessments/a-2020/downloads/a-2020.json", "office"),
        ("assessments/a-2020/downloads/a-2020-results.xlsx", "office"),
        ("assessments/a-2020/units/u-1.xlsx", "unit"),
        ("assessments/a-2020/office/year.html", "office"),
        ("assessments/a-2020/office/letters/2020-01.docx", "office"),
        ("reference/access.html", "public"),
        ("search/search_index.json", "public"),
    ],
)
def test_who_may_read_a_path(path: str, expected: str) -> None:
    assert page_access(path, {"b-2020"}) == expected


def test_sitemap_urls_are_judged_under_any_folder() -> None:
    assert url_access("https://intranet.example/dangjian/assessments/a-2020/units/u-1.html", set()) == "unit"
    assert url_access("https://intranet.example/dangjian/assessments/b-2020/results.html", {"b-2020"}) == "office"
    assert url_access("https://intranet.example/dangjian/assessments/a-2020/results.html", {"b-2020"}) == "public"


def test_the_configuration_has_one_lookup_not_one_location_per_unit() -> None:
    plan = Plan(
        office=("office",),
        unit_pages=tuple((f"acct{i}", "a-2020", f"u-{i}") for i in range(50)),
        own_pages=tuple((f"acct{i}", f"assessments/a-2020/units/u-{i}.html") for i in range(50)),
        private_results=("a-2020",),
        units=50,
    )
    files = config_files(plan, ServerSettings("/srv/site", "80", "_", "/etc/nginx/htpasswd"), "access/accounts.csv")
    conf = files[access.CONF]
    assert conf.count("location") == 10, (
        "assessments/ 前缀、单位页面、其他受限文件（和其中的 CSV）、不公开的结果页和它的 .gz、/login 和它的命名位置，"
        "带散列的静态文件、公开的 CSV"
    )
    assert '"acct7:a-2020/u-7" "";' in files[access.CONF_HTTP]
    assert 'root "/srv/site";' in files[access.CONF_SERVER]
    assert files[access.CONF_HTTP].split("\n\n", 1)[1] in conf
    assert "listen" not in files[access.CONF_SERVER] and "map " not in files[access.CONF_SERVER]


def test_apply_access_changes_only_the_search_index_and_the_sitemap(tmp_path: Path) -> None:
    built = built_site()
    site_dir = tmp_path / "site"
    shutil.copytree(built.site, site_dir)
    (a, _), _ = first_units()
    accounts = Accounts(
        "access/accounts.csv",
        (
            Account("unit-a", "Aa-1234-xy", a, Loc("access/accounts.csv", 2)),
            Account("office", "Oo-9012-xy", None, Loc("access/accounts.csv", 3)),
        ),
        ServerSettings(str(site_dir), "80", "_", str(tmp_path / "access" / "nginx" / "htpasswd")),
        tmp_path / "access" / "nginx",
    )
    apply_access(tmp_path, site_dir, built.prepared, accounts)
    after = digests(site_dir)
    # (The build stamp says when the shared site was last built: another test may have built it again.)
    changed = {p for p in after if after[p] != built.digests.get(p) and p != BUILD_STAMP}
    index = f"{searchindex.FOLDER}/"
    assert {p for p in after if not p.startswith(index)} == {p for p in built.digests if not p.startswith(index)}, (
        "不增删网站中的文件（搜索框的索引除外：它少了受限的页面）"
    )
    assert {p for p in changed if not p.startswith(index)} <= {
        "search/search_index.json",
        "sitemap.xml",
        "sitemap.xml.gz",
    }
    assert "search/search_index.json" in changed and f"{index}index.js" in changed
    locations = [
        d["location"] for d in json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))["docs"]
    ]
    assert locations and not [x for x in locations if "/units/" in x]
    kept = search_urls(site_dir)
    assert kept and not [u for u in kept if "/units/" in u]
    assert [u for u in search_urls(built.site) if "/units/" in u], "公开的网站的搜索索引有单位页面"
    assert sorted((tmp_path / "access" / "nginx").iterdir()) == sorted(
        tmp_path / "access" / "nginx" / n for n in (access.CONF, access.CONF_HTTP, access.CONF_SERVER, access.HTPASSWD)
    )


def search_urls(site_dir: Path) -> list[str]:
    """The pages the search box's index holds (generator/site/searchindex.py: a call with the chunk's rows)."""
    urls = []
    for path in sorted((site_dir / searchindex.FOLDER / "d").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        rows = json.loads("[" + text[len("kaopingSearch.d(") : -3].replace("<\\/", "</") + "]")[1]
        urls += [row[0] for row in rows]
    return urls


# --------------------------------------------------------------------------------------------
# nginx
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@functools.cache
def nginx_modules() -> str:
    return subprocess.run([str(NGINX), "-V"], capture_output=True, text=True, check=False).stderr


def wrapper_config(folder: Path, include: str) -> Path:
    """A whole nginx configuration in ``folder``: in the foreground, one process run as the current user."""
    temp_paths = "".join(
        f"    {module}_temp_path {folder / module};\n"
        for module in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        if module == "client_body" or f"--without-http_{module}_module" not in nginx_modules()
    )
    mime = "    include /etc/nginx/mime.types;\n" if Path("/etc/nginx/mime.types").is_file() else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        "daemon off;\n"
        "master_process off;\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} info;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"{mime}"
        "    default_type application/octet-stream;\n"
        f"    access_log {folder / 'access.log'};\n"
        f"{temp_paths}"
        f"{include}"
        "}\n",
        encoding="utf-8",
    )
    return conf


def nginx_command(conf: Path, *extra: str) -> list[str]:
    return [str(NGINX), "-p", str(conf.parent), "-c", str(conf), "-e", str(conf.parent / "error.log"), *extra]


@contextlib.contextmanager
def running_nginx(conf: Path, port: int) -> Iterator[None]:
    log = (conf.parent / "stderr.log").open("wb")
    proc = subprocess.Popen(nginx_command(conf), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            if proc.poll() is not None:
                raise AssertionError("nginx 没有启动：\n" + (conf.parent / "error.log").read_text(errors="replace"))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("nginx 15 秒内没有开始监听") from None
                time.sleep(0.05)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.mark.parametrize("width", [44, 46, 47, 100, 240])
def test_nginx_accepts_the_maps_at_any_size(tmp_path: Path, width: int) -> None:
    """Long account names and thousands of units: the map's hash sizes are computed, and nginx agrees."""
    assert NGINX.exists(), NO_NGINX
    count = 3000 if width == 100 else 20
    names = [f"{i:05d}".ljust(width - 20, "x") for i in range(count)]
    plan = Plan(
        office=("office",),
        unit_pages=tuple((n, "a-2020", f"u-{i}") for i, n in enumerate(names))
        + tuple((n, "a-2019", f"u-{i}") for i, n in enumerate(names)),
        own_pages=tuple((n, f"assessments/a-2020/units/u-{i}.html") for i, n in enumerate(names)),
        private_results=(),
        units=count,
    )
    settings = ServerSettings(str(tmp_path / "site"), f"127.0.0.1:{free_port()}", "_", str(tmp_path / "htpasswd"))
    for name, text in config_files(plan, settings, "accounts.csv").items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    one = wrapper_config(tmp_path, f"    include {tmp_path / access.CONF};\n")
    done = subprocess.run(nginx_command(one, "-t"), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    split = tmp_path / "split"
    split.mkdir()
    two = wrapper_config(
        split,
        f"    include {tmp_path / access.CONF_HTTP};\n"
        f"    server {{\n        listen 127.0.0.1:{free_port()};\n"
        f"        include {tmp_path / access.CONF_SERVER};\n    }}\n",
    )
    done = subprocess.run(nginx_command(two, "-t"), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@dataclass
class Served:
    root: Path
    port: int
    prepared: Prepared
    #: Account → password.
    passwords: dict[str, str]
    #: The newest assessment (results not public) and another one (results public).
    private_id: str
    public_id: str
    #: Units A and B of the private assessment (both in an earlier assessment too), and that assessment.
    unit_a: str
    unit_b: str
    earlier_a: str
    accounts_file: Path
    #: Where nginx serves from: a folder published as ``kaoping publish`` leaves it.
    site: Path
    #: The password file and the configuration after the first and the second build.
    first_outputs: dict[str, bytes]
    second_outputs: dict[str, bytes]
    #: What each build said about the site root.
    first_warnings: list[str]
    second_warnings: list[str]

    @property
    def nginx_dir(self) -> Path:
        return self.accounts_file.parent / "nginx"


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


#: Beside the published folder, which nginx must never serve.
SECRET_BESIDE = b"root:x:0:0:SECRET-BESIDE-THE-SITE"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The bundled data built with accounts, published, and served by nginx: the documented way, from the
    first build (the site root does not exist yet) to the second (it holds the published site)."""
    assert NGINX.exists(), NO_NGINX
    scratch = tmp_path_factory.mktemp("access")
    root = copy_project(scratch / "project")
    add_notice_if_missing(root)
    # A site_url makes MkDocs write a sitemap with the pages it built (unit pages among them).
    config = root / "mkdocs.yml"
    config.write_text("site_url: http://kaoping.test/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    prepared = prepare(root)
    ordered = views.ordered(prepared.outcomes)
    private, public = ordered[0], ordered[1]
    rubric_file = root / prepared.project.rubrics[private.rubric.id][1]
    text = re.sub(r"(?m)^results_public:.*\n", "", rubric_file.read_text(encoding="utf-8"))
    rubric_file.write_text(text.rstrip("\n") + "\nresults_public: false\n", encoding="utf-8")
    both_years = [u.unit.id for u in private.units if any(u.unit.id in o.by_unit() for o in ordered[1:])]
    assert len(both_years) >= 2, "示例数据中应有两个以上的单位参加了不止一年的考核"
    unit_a, unit_b = both_years[:2]
    earlier = next(o.rubric.id for o in ordered[1:] if unit_a in o.by_unit())
    port = free_port()
    passwords = {
        "unit-a": "Aa-7381-dj",
        "unit-b": "Bb-2946-dj",
        "office": "Kh!5120-admin",
        # The longest passwords allowed: 128 characters, ASCII and Chinese (384 bytes).
        "long-a": "Ab1-" * (MAX_PASSWORD // 4),
        "long-b": "考评密码" * (MAX_PASSWORD // 4 - 1) + "Ab1x",
        # Hashed by an earlier version: the line is kept as it was.
        "legacy": LEGACY_PASSWORD,
    }
    assert {len(passwords["long-a"]), len(passwords["long-b"])} == {MAX_PASSWORD}
    accounts_file = write_accounts(
        root / "access",
        "账号,密码,单位代码,姓名",
        f"unit-a,{passwords['unit-a']},{unit_a},张某",
        f"unit-b,{passwords['unit-b']},{unit_b},李某",
        f"office,{passwords['office']},考核办公室,考核办公室",
        f"long-a,{passwords['long-a']},{unit_a},王某",
        f"long-b,{passwords['long-b']},{unit_b},赵某",
        f"legacy,{passwords['legacy']},{unit_a},钱某",
    )
    (root / "access" / "nginx").mkdir()
    (root / "access" / "nginx" / access.HTPASSWD).write_text(
        f"legacy:{LEGACY_HASH}\nunit-a:$6$damaged\nleft:{LEGACY_HASH}\n", encoding="utf-8"
    )
    site_root = scratch / "www" / "site"
    (scratch / "www").mkdir()
    (scratch / "www" / "secret.txt").write_bytes(SECRET_BESIDE)
    (root / "access" / "server.txt").write_text(
        f"listen = 127.0.0.1:{port}\n网站目录 = {site_root}\n", encoding="utf-8"
    )

    def build_and_publish() -> tuple[dict[str, bytes], list[str]]:
        result = build(root, progress=Progress(quiet=True), access=AccessMode(accounts_file))
        assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
        # Published as the documentation says: build with the accounts, then kaoping publish to the site root.
        assert main(["--root", str(root), "publish", str(site_root)]) == 0
        said = [str(p) for p in result.problems.sorted() if p.loc.file == "access/server.txt"]
        return outputs(root / "access" / "nginx"), said

    first, first_warnings = build_and_publish()
    second, second_warnings = build_and_publish()
    nginx_dir = scratch / "nginx"
    nginx_dir.mkdir()
    conf = wrapper_config(nginx_dir, f"    include {root / 'access' / 'nginx' / access.CONF};\n")
    with running_nginx(conf, port):
        yield Served(
            root,
            port,
            prepare(root),
            passwords,
            private.rubric.id,
            public.rubric.id,
            unit_a,
            unit_b,
            earlier,
            accounts_file,
            site_root,
            first,
            second,
            first_warnings,
            second_warnings,
        )


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(
    served: Served, path: str, account: str | None = None, password: str | None = None, *, gzip_ok: bool = False
) -> Response:
    request = urllib.request.Request(f"http://127.0.0.1:{served.port}{path}")
    if gzip_ok:
        request.add_header("Accept-Encoding", "gzip")
    if account is not None:
        secret = password if password is not None else served.passwords[account]
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{account}:{secret}".encode()).decode())
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as reply:
            return Response(reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def raw_get(served: Served, target: str) -> Response:
    """A request line sent exactly as written (no client-side normalising)."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    try:
        connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", "127.0.0.1")
        connection.endheaders()
        reply = connection.getresponse()
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        connection.close()


def unit_url(aid: str, uid: str, kind: str = "html") -> str:
    path = paths.unit_page(aid, uid) if kind == "html" else paths.unit_json(aid, uid)
    return "/" + paths.html_path(path)


def test_a_unit_reads_its_own_page_and_json(served: Served) -> None:
    a = served.prepared.outcomes[served.private_id].by_unit()[served.unit_a]
    page = get(served, unit_url(served.private_id, served.unit_a), "unit-a")
    assert page.status == 200
    html = page.body.decode("utf-8")
    assert f'<h1 id="unit">{a.unit.name}</h1>' in html
    assert page.headers["cache-control"] == "private, no-store"
    data = get(served, unit_url(served.private_id, served.unit_a, "json"), "unit-a")
    assert data.status == 200
    assert json.loads(data.body)["unit"]["id"] == served.unit_a
    assert data.body == (served.site / paths.unit_json(served.private_id, served.unit_a)).read_bytes()


def test_a_unit_reads_its_pages_of_other_years(served: Served) -> None:
    assert get(served, unit_url(served.earlier_a, served.unit_a), "unit-a").status == 200
    assert get(served, unit_url(served.earlier_a, served.unit_b), "unit-a").status == 403


def test_a_unit_is_refused_another_units_page_and_json(served: Served) -> None:
    for kind in ("html", "json"):
        assert get(served, unit_url(served.private_id, served.unit_b, kind), "unit-a").status == 403
        assert get(served, unit_url(served.private_id, served.unit_a, kind), "unit-b").status == 403
        other = next(u.unit.id for u in served.prepared.outcomes[served.public_id].units if u.unit.id != served.unit_a)
        assert get(served, unit_url(served.public_id, other, kind), "unit-a").status == 403


def test_without_the_right_password_a_unit_page_asks_to_sign_in(served: Served) -> None:
    for kind in ("html", "json"):
        url = unit_url(served.private_id, served.unit_a, kind)
        anonymous = get(served, url)
        assert anonymous.status == 401
        assert anonymous.headers["www-authenticate"].startswith("Basic ")
        assert (
            served.prepared.outcomes[served.private_id].by_unit()[served.unit_a].unit.name.encode()
            not in anonymous.body
        )
        assert get(served, url, "unit-a", "wrong-Password-1").status == 401
        assert get(served, url, "unit-a", served.passwords["unit-b"]).status == 401
        assert get(served, url, "nobody", "Aa-7381-dj").status == 401


def test_the_longest_passwords_sign_in_and_one_character_off_does_not(served: Served) -> None:
    """128 characters, ASCII and Chinese (384 bytes in UTF-8): nginx's crypt(3) checks libpass's hashes."""
    url = unit_url(served.private_id, served.unit_a)
    other = unit_url(served.private_id, served.unit_b)
    for account, own, foreign in (("long-a", url, other), ("long-b", other, url)):
        password = served.passwords[account]
        page = get(served, own, account)
        assert page.status == 200 and b'<h1 id="unit">' in page.body, account
        assert get(served, foreign, account).status == 403, account
        for wrong in (password[:-1], password[:-1] + "y", password + "x"):
            reply = get(served, own, account, wrong)
            assert reply.status == 401 and b'<h1 id="unit">' not in reply.body, (account, len(wrong))


def test_a_hash_written_before_is_kept_and_nginx_accepts_it(served: Served) -> None:
    """The password file of an earlier version keeps working: an unchanged password keeps its hash."""
    text = served.first_outputs[access.HTPASSWD].decode()
    assert text.startswith("# 由 kaoping build --access 生成的密码文件"), "nginx 把 # 开头的行当作注释"
    lines = dict(line.split(":", 1) for line in text.splitlines() if not line.startswith("#"))
    assert lines["legacy"] == LEGACY_HASH
    assert lines["unit-a"] != "$6$damaged" and verify_password(served.passwords["unit-a"], lines["unit-a"])
    assert "left" not in lines, "不在账号文件中的账号从密码文件中去掉"
    assert get(served, unit_url(served.private_id, served.unit_a), "legacy").status == 200
    assert get(served, unit_url(served.private_id, served.unit_a), "legacy", LEGACY_PASSWORD + "!").status == 401


def test_a_site_root_not_yet_published_is_accepted_with_a_warning(served: Served) -> None:
    """The documented way: build with accounts, then publish (the first time, the folder does not exist)."""
    assert served.first_warnings == [
        f"access/server.txt:2:8: 警告：网站目录「{served.site}」在本机不存在，无法核对它是 kaoping publish 的发布目录\n"
        f"    处理办法：nginx 配置照常生成。在本机发布时，"
        f"用 kaoping publish {served.site} 发布（目录由它建立）后再启用配置；"
        "网站在另一台服务器上时，确认那里的这个目录只由 kaoping publish 或 CI 的发布写入。"
    ]
    assert served.second_warnings == [], "发布以后，网站目录有 kaoping publish 的标记，不再警告"
    conf = (served.nginx_dir / access.CONF).read_text(encoding="utf-8")
    assert f'root "{served.site}";' in conf


def test_the_office_reads_every_unit_and_the_downloads(served: Served) -> None:
    for uid in (served.unit_a, served.unit_b):
        assert get(served, unit_url(served.private_id, uid), "office").status == 200
        assert get(served, unit_url(served.private_id, uid, "json"), "office").status == 200
    downloads = sorted((served.site / paths.GENERATED).glob("*/downloads/*"))
    assert downloads
    for path in downloads:
        url = "/" + path.relative_to(served.site).as_posix()
        office = get(served, url, "office")
        assert office.status == 200 and office.body == path.read_bytes(), url
        assert get(served, url, "unit-a").status == 403, url
        assert get(served, url).status == 401, url


def test_the_compressed_copies_keep_the_rules(served: Served) -> None:
    """gzip and the CSV type inside the access rules: a page goes compressed only to whom it is."""
    page = unit_url(served.private_id, served.unit_a)
    file = served.site / page.lstrip("/")
    assert not file.with_name(file.name + ".gz").exists(), "单位页面由网站服务器即时压缩，不生成压缩副本"
    packed = get(served, page, "unit-a", gzip_ok=True)
    assert packed.status == 200 and packed.headers.get("content-encoding") == "gzip"
    assert gzip.decompress(packed.body) == file.read_bytes()
    assert packed.headers["cache-control"] == "private, no-store"
    other = unit_url(served.private_id, served.unit_b)
    for path in (other, other + ".gz", page + ".gz"):
        assert get(served, path, "unit-a", gzip_ok=True).status == 403, path
        assert get(served, path, gzip_ok=True).status == 401, path
    csv_files = sorted((served.site / paths.GENERATED).glob("*/downloads/*.csv"))
    assert csv_files
    for path in csv_files:
        url = "/" + path.relative_to(served.site).as_posix()
        for gzip_ok in (False, True):
            office = get(served, url, "office", gzip_ok=gzip_ok)
            assert office.status == 200, url
            assert office.headers["content-type"] == "text/csv; charset=utf-8", url
            assert office.headers["cache-control"] == "private, no-store", url
            body = gzip.decompress(office.body) if office.headers.get("content-encoding") == "gzip" else office.body
            assert body == path.read_bytes(), url
            assert get(served, url, "unit-a", gzip_ok=gzip_ok).status == 403, url
            assert get(served, url + ".gz", "unit-a", gzip_ok=gzip_ok).status == 403, url


def test_a_unit_downloads_only_its_own_workbook(served: Served) -> None:
    own = "/" + yearpaths.unit_workbook(served.private_id, served.unit_a)
    other = "/" + yearpaths.unit_workbook(served.private_id, served.unit_b)
    reply = get(served, own, "unit-a")
    assert reply.status == 200 and reply.body == (served.site / own[1:]).read_bytes()
    assert get(served, other, "unit-a").status == 403
    assert get(served, own, "unit-b").status == 403
    assert get(served, own).status == 401
    assert get(served, other, "office").status == 200


def test_the_offices_year_lists_and_letters_are_the_offices_only(served: Served) -> None:
    """office/: the year's lists (consequences, tasks, objections) and each letter's page and .docx."""
    files = sorted(
        p for p in (served.site / paths.GENERATED).glob("*/office/**/*") if p.is_file() and p.suffix != ".gz"
    )
    assert any(p.suffix == ".docx" for p in files) and any(p.name == "year.html" for p in files)
    for path in files:
        url = "/" + path.relative_to(served.site).as_posix()
        office = get(served, url, "office")
        assert office.status == 200 and office.body == path.read_bytes(), url
        assert get(served, url, "unit-a").status == 403, url
        assert get(served, url).status == 401, url


def test_public_pages_are_public(served: Served) -> None:
    notice_ids = [aid for aid in served.prepared.project.notices if aid in served.prepared.outcomes]
    assert notice_ids, "复制的数据中应有通报"
    urls = ["/", "/index.html", "/search/search_index.json", "/reference/access.html", "/assets/kaoping.css"]
    urls += ["/" + paths.html_path(paths.page(aid, "notice")) for aid in notice_ids]
    urls += ["/" + paths.html_path(paths.page(served.private_id, kind)) for kind in ("index", "standards")]
    for path in urls:
        assert get(served, path).status == 200, path


def test_the_results_page_follows_results_public(served: Served) -> None:
    public = "/" + paths.html_path(paths.page(served.public_id, "results"))
    private = "/" + paths.html_path(paths.page(served.private_id, "results"))
    assert get(served, public).status == 200
    assert get(served, public, "unit-a").status == 200
    assert get(served, private).status == 401
    assert get(served, private, "unit-a").status == 403
    assert get(served, private, "office").status == 200


def test_every_compressed_copy_is_guarded_as_its_page(served: Served) -> None:
    """A page's .gz copy (for gzip_static) holds the page: where the page needs a password, so does the copy,
    whatever rule guards the page (the private results page's was an exact location, which the copy missed)."""
    private = {served.private_id}
    copies = [p.relative_to(served.site).as_posix() for p in served.site.rglob("*.gz")]
    guarded = [rel for rel in copies if page_access(rel[: -len(".gz")], private) != "public"]
    assert "/" + paths.html_path(paths.page(served.private_id, "results")).lstrip("/") + ".gz" in [
        "/" + rel for rel in guarded
    ], "结果页应有压缩副本（否则这项检查没有意义）"
    for rel in guarded:
        assert get(served, "/" + rel).status == 401, rel
        assert page_access(rel, private) != "public", rel


def test_login_sends_an_account_to_its_own_page(served: Served) -> None:
    assert get(served, LOGIN_PATH).status == 401
    unit = get(served, LOGIN_PATH, "unit-a")
    assert (unit.status, unit.headers["location"]) == (302, unit_url(served.private_id, served.unit_a))
    office = get(served, LOGIN_PATH, "office")
    assert (office.status, office.headers["location"]) == (302, "/")


def test_no_file_outside_the_site_can_be_reached(served: Served) -> None:
    """Each way out of the site root is refused by nginx itself: 400 for a path that climbs above the root,
    404 for one that names a file the site does not have. Never the file."""
    www = served.site.parent
    accounts = served.accounts_file.as_posix()
    units = f"/{paths.GENERATED}/{served.private_id}/units"
    origin = f"http://127.0.0.1:{served.port}"
    targets = {
        "/../secret.txt": 400,
        "/%2e%2e/secret.txt": 400,
        "/%2E%2E/secret.txt": 400,
        "/..%2fsecret.txt": 400,
        "/..%2Fsite/../secret.txt": 400,
        "/assessments/../../secret.txt": 400,
        f"{units}/..%2f..%2f..%2f..%2fsecret.txt": 400,
        f"{units}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt": 400,
        "/./../secret.txt": 400,
        "//../secret.txt": 400,
        "/%00/../secret.txt": 400,
        f"{origin}/../secret.txt": 400,
        "/../../../../../../etc/passwd": 400,
        "/%5c..%5csecret.txt": 404,
        "/..;/secret.txt": 404,
        "/secret.txt": 404,
        f"{www}/secret.txt": 404,
        accounts: 404,
        "/" + accounts: 404,
        f"{origin}{accounts}": 404,
        "/access/accounts.csv": 404,
        "/access/nginx/htpasswd": 404,
        "/etc/passwd": 404,
    }
    secrets = [served.accounts_file.read_bytes(), SECRET_BESIDE, b"$6$", b"root:"]
    secrets += [p.encode() for p in served.passwords.values()]
    for target, status in targets.items():
        reply = raw_get(served, target)
        assert reply.status == status, (target, reply.status)
        assert f"<title>{status} ".encode() in reply.body and b"<center>nginx</center>" in reply.body, (
            target,
            reply.body,
        )
        assert not [s for s in secrets if s in reply.body], target


def test_search_and_sitemap_hold_no_restricted_page(served: Served) -> None:
    private = {served.private_id}
    locations = [
        d["location"] for d in json.loads((served.site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    ]
    assert locations
    assert [x for x in locations if page_access(x.split("#")[0], private) != "public"] == []
    assert not [x for x in locations if "/units/" in x]
    assert paths.html_path(paths.page(served.public_id, "results")) in locations
    sitemap = (served.site / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert urls, "设了 site_url，站点地图应列出页面"
    assert [u for u in urls if url_access(u, private) != "public"] == []
    assert not [u for u in urls if "/units/" in u]
    assert gzip.decompress((served.site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def reasons_of(unit_json: object) -> set[str]:
    """Every deduction reason of six characters or more in a unit's JSON."""
    found: set[str] = set()
    if isinstance(unit_json, dict):
        for key, item in unit_json.items():
            if key == "reason" and isinstance(item, str) and len(item) >= 6:
                found.add(item)
            found |= reasons_of(item)
    elif isinstance(unit_json, list):
        for item in unit_json:
            found |= reasons_of(item)
    return found


def test_public_files_hold_no_units_deductions(served: Served) -> None:
    """The reasons for a unit's deductions are on its own page only: in no public page and not in search."""
    private = {served.private_id}
    standards = (served.site / paths.html_path(paths.page(served.private_id, "standards"))).read_text("utf-8")
    by_unit: dict[str, set[str]] = {}
    for u in served.prepared.outcomes[served.private_id].units:
        path = served.site / paths.unit_json(served.private_id, u.unit.id)
        found = {r for r in reasons_of(json.loads(path.read_text("utf-8"))) if r not in standards}
        if found:
            by_unit[u.unit.id] = found
    assert len(by_unit) >= 2, "示例数据中应有几个单位有扣分原因"
    for uid, found in by_unit.items():
        page = get(served, unit_url(served.private_id, uid), "office").body.decode("utf-8")
        assert any(r in page for r in found), uid
    reasons = set().union(*by_unit.values())
    for path in sorted(served.site.rglob("*")):
        rel = path.relative_to(served.site).as_posix()
        if (
            path.is_file()
            and path.suffix in (".html", ".json", ".xml", ".js")
            and page_access(rel, private) == "public"
        ):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [r for r in reasons if r in text], rel


def test_search_finds_no_units_reason_name_or_score(served: Served) -> None:
    """The search box's index is public: it holds no unit page, so no reason, no unit's name beside its score.

    The same reasons are in the index of the site built without accounts, so this test can fail."""
    private = {served.private_id}
    outcome = served.prepared.outcomes[served.private_id]
    standards = (served.site / paths.html_path(paths.page(served.private_id, "standards"))).read_text("utf-8")
    reasons = {
        r
        for u in outcome.units
        for c in u.score.categories
        for n in _walk(c)
        for rule in n.rules
        for r in rule.reasons
        if len(r) >= 8 and r not in standards
    }
    folder = served.site / searchindex.FOLDER
    restricted = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.js")))
    public_folder = built_site().site / searchindex.FOLDER
    unrestricted = "".join(p.read_text(encoding="utf-8") for p in sorted(public_folder.rglob("*.js")))
    assert len([r for r in reasons if r in unrestricted]) > 20
    assert [r for r in reasons if r in restricted] == []
    for u in outcome.units:
        if u.score.assessed:
            assert f"综合得分 {fmt(u.score.total)}" not in restricted, u.unit.name
            assert f"综合得分 {fmt(u.score.total)}" in unrestricted, u.unit.name
    kept = search_urls(served.site)
    assert kept and [u for u in kept if page_access(u.split("#")[0], private) != "public"] == []
    assert paths.html_path(paths.page(served.private_id, "results")) not in {u.split("#")[0] for u in kept}


def _walk(node: object) -> Iterator[object]:
    yield node
    for child in node.children:  # type: ignore[attr-defined]
        yield from _walk(child)


def test_passwords_are_stored_hashed_and_never_in_the_site(served: Served) -> None:
    htpasswd = (served.nginx_dir / access.HTPASSWD).read_text(encoding="utf-8")
    lines = [line for line in htpasswd.splitlines() if not line.startswith("#")]
    assert sorted(line.split(":", 1)[0] for line in lines) == sorted(served.passwords)
    assert all(HASH_LINE.match(line) for line in lines), lines
    for account, password in served.passwords.items():
        assert password not in htpasswd
        assert verify_password(password, dict(line.split(":", 1) for line in lines)[account])
    assert not (served.nginx_dir / access.HTPASSWD).stat().st_mode & 0o007, "其他用户不能读密码文件"
    secrets = [p.encode() for p in served.passwords.values()] + [line.split(":", 1)[1].encode() for line in lines]
    accounts = served.accounts_file.read_bytes()
    for path in served.site.rglob("*"):
        assert path.name not in ("accounts.csv", access.HTPASSWD, access.CONF, "server.txt"), path
        if path.is_file():
            data = path.read_bytes()
            assert data != accounts and not any(s in data for s in secrets), path


def test_rebuilding_rewrites_nothing(served: Served) -> None:
    assert served.second_outputs == served.first_outputs
    assert set(served.first_outputs) == {access.CONF, access.CONF_HTTP, access.CONF_SERVER, access.HTPASSWD}


def test_the_generated_files_sit_outside_the_site(served: Served) -> None:
    conf = (served.nginx_dir / access.CONF).read_text(encoding="utf-8")
    assert f'root "{served.site}";' in conf
    assert f'auth_basic_user_file "{served.nginx_dir / access.HTPASSWD}";' in conf
    assert not str(served.nginx_dir.resolve()).startswith(str(served.site.resolve()) + os.sep)


def test_the_sitemap_loses_restricted_pages_and_keeps_its_gzip_date(tmp_path: Path) -> None:
    urls = [
        "http://kaoping.test/dangjian/index.html",
        "http://kaoping.test/dangjian/assessments/a-2020/units/u-1.html",
        "http://kaoping.test/dangjian/assessments/b-2020/results.html",
        "http://kaoping.test/dangjian/assessments/a-2020/results.html",
    ]
    entries = "".join(
        f"    <url>\n         <loc>{u}</loc>\n         <lastmod>2021-01-01</lastmod>\n    </url>\n" for u in urls
    )
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    (tmp_path / "sitemap.xml").write_text(text, encoding="utf-8")
    with gzip.GzipFile(tmp_path / "sitemap.xml.gz", "wb", mtime=1_600_000_000) as out:
        out.write(text.encode())
    assert filter_sitemap(tmp_path, {"b-2020"}) == 2
    kept = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>([^<]*)</loc>", kept) == [urls[0], urls[3]]
    assert kept.endswith("    </url>\n</urlset>\n")
    data = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(data[4:8], "little") == 1_600_000_000
    assert gzip.decompress(data).decode() == kept


def test_an_accounts_file_git_would_commit_is_reported(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    subprocess.run(["git", "init", "-q", str(tmp_path / "project")], check=True)
    (a, _), _ = first_units()
    lines = ("账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}", "office,Oo-9012-xy,*")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None
    assert any("没有被 git 忽略" in str(w) for w in problems.warnings)
    (tmp_path / "project" / ".gitignore").write_text("/access/\n", encoding="utf-8")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None and not problems.warnings, texts(problems)


def test_a_build_without_access_beside_an_accounts_file_is_warned_about(tmp_path: Path) -> None:
    from helpers import entries_csv, rubric_text, units_csv, write_project

    from generator.site.build import Progress, build

    rubric = rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n")
    root = write_project(
        tmp_path, rubric, {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv()}
    )
    for name in ("mkdocs.yml", "site_templates", "docs", "generator/site/mkdocs_hooks.py"):
        source, target = ROOT / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("assessments"))
        else:
            shutil.copy(source, target)
    (root / "access").mkdir()
    (root / "access" / "accounts.csv").write_text("账号,密码,单位代码\nban,Zz-12345678,*\n", encoding="utf-8")
    result = build(root, progress=Progress(quiet=True))
    assert result.ok
    assert [str(p).split("\n")[0] for p in result.problems.warnings if p.loc.file == "access/accounts.csv"] == [
        "access/accounts.csv: 警告：有各单位的账号文件，但这次生成没有按账号限制访问：单位页面会出现在公开的搜索索引中"
    ]


def test_rules_included_into_an_existing_server_hold_against_its_own_regex_locations(served: Served) -> None:
    """An office's server often has a regex location for caching (expires on .html/.json) before the include:
    nginx takes the first matching regex, so the unit rules must not depend on coming first."""
    folder = served.root.parent / "existing-server"
    folder.mkdir(exist_ok=True)
    nginx = served.root / "access" / "nginx"
    port = free_port()
    conf = wrapper_config(
        folder,
        f"    include {nginx / access.CONF_HTTP};\n"
        "    server {\n"
        f"        listen 127.0.0.1:{port};\n"
        "        location ~* \\.(?:html|json)$ { expires 1d; }\n"
        f"        include {nginx / access.CONF_SERVER};\n"
        "    }\n",
    )
    other = Served(**{**served.__dict__, "port": port})
    with running_nginx(conf, port):
        assert get(other, unit_url(served.private_id, served.unit_a)).status == 401
        assert get(other, unit_url(served.private_id, served.unit_a, "json")).status == 401
        assert get(other, unit_url(served.private_id, served.unit_b), "unit-a").status == 403
        assert get(other, unit_url(served.private_id, served.unit_a), "unit-a").status == 200
        assert get(other, "/index.html").status == 200


def test_a_site_built_with_accounts_is_not_published_compressed_only(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its configuration is for plain files (gzip_static on, no gunzip): a client that does not accept gzip
    would find nothing. (With 只发布压缩文件 = 是 it may be: tests/test_gzip_only.py.)"""
    assert json.loads((served.root / "site" / BUILD_STAMP).read_text(encoding="utf-8"))["access"] == "plain"
    dest = tmp_path / "compressed"
    code = main(["--root", str(served.root), "publish", "--gzip-only", str(dest)])
    err = capsys.readouterr().err
    assert code != 0 and "kaoping build --access" in err and "只发布压缩文件 = 是" in err, err
    assert not dest.exists() and not (tmp_path / "compressed.releases").exists()
