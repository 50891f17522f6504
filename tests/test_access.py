"""Each unit sees its own page (``kaoping build --access``).

- The accounts file is read like the results files and checked: unknown unit codes, duplicates, unsafe
  account names, weak or shared passwords, each at its line and column.
- The password file holds SHA-512-crypt hashes that match the specification's vectors and ``openssl``.
- The site built in this mode differs from the normal one only in its search index and sitemap, which hold no
  restricted page.
- For real: the bundled data is built into a temporary copy with an accounts file, Debian's nginx is started
  on a free loopback port with the generated configuration, and HTTP requests check who reads what.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest_site import ROOT, add_notice_if_missing, built_site, copy_project, digests

from generator import access, searchindex, site, views
from generator.access import (
    Account,
    Accounts,
    Plan,
    ServerSettings,
    apply_access,
    config_files,
    load_accounts,
    page_access,
    password_problem,
    url_access,
)
from generator.build import Progress, build
from generator.numbers import fmt
from generator.pipeline import Prepared, prepare
from generator.problems import Loc, Problems
from generator.sha512crypt import hash_password, sha512_crypt, verify_password

NGINX = Path("/usr/sbin/nginx")
NO_NGINX = "Debian 的 nginx（/usr/sbin/nginx）没有安装；`make test` 会安装它（make browser）"
HASH_LINE = re.compile(r"^[A-Za-z0-9._@-]+:\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$")
DOC = ROOT / "docs" / "reference" / "access.md"


def write_accounts(folder: Path, *lines: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "accounts.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def load(tmp_path: Path, *lines: str, encoding: str = "utf-8") -> tuple[Accounts | None, Problems]:
    problems = Problems()
    path = write_accounts(tmp_path / "access", *lines, encoding=encoding)
    return load_accounts(path, tmp_path, built_site().prepared, problems), problems


def texts(problems: Problems) -> list[str]:
    return [str(p) for p in problems.sorted()]


# --------------------------------------------------------------------------------------------
# SHA-512-crypt
# --------------------------------------------------------------------------------------------


def test_sha512_crypt_matches_the_specification() -> None:
    # The test vectors of Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512".
    assert sha512_crypt("Hello world!", "saltstring") == (
        "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
    )
    assert sha512_crypt("Hello world!", "saltstringsaltstring", 10000) == (
        "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v."
    )


@pytest.mark.skipif(shutil.which("openssl") is None, reason="没有 openssl 命令")
@pytest.mark.parametrize("password", ["Qs-7381-dj", "x" * 64, "y" * 65, "长密码Ab1!" * 9, "a b\tc"])
def test_sha512_crypt_matches_openssl(password: str) -> None:
    salt = "abcDEF012./xyz9Q"
    done = subprocess.run(
        ["openssl", "passwd", "-6", "-salt", salt, "-stdin"], input=password.encode() + b"\n", capture_output=True, check=True
    )
    assert sha512_crypt(password, salt) == done.stdout.decode().strip()


def test_a_password_that_did_not_change_keeps_its_hash() -> None:
    first = hash_password("Qs-7381-dj")
    assert verify_password("Qs-7381-dj", first) and not verify_password("Qs-7381-dk", first)
    assert hash_password("Qs-7381-dj", first) == first
    again = hash_password("Qs-7381-dj")
    assert again != first, "每次新生成的散列用不同的盐"
    changed = hash_password("Lh-2946-dj", first)
    assert changed != first and verify_password("Lh-2946-dj", changed)


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
    ],
)
def test_password_rules(password: str, problem: str) -> None:
    found = password_problem(password, "qingshan", "xq-01")
    assert (problem in found) if problem else found == ""


def doc_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r'```text title="access/accounts\.csv[^"]*"\n(.*?)```', text, re.DOTALL)
    assert m, "使用说明中找不到账号文件的示例"
    return m.group(1)


def test_the_documented_example_is_a_valid_accounts_file(tmp_path: Path) -> None:
    prepared = built_site().prepared
    if not {"xq-01", "xq-02"} <= {u.unit.id for o in prepared.outcomes.values() for u in o.units}:
        pytest.skip("示例数据中没有使用说明示例用的单位 xq-01、xq-02")
    accounts, problems = load(tmp_path, *doc_example().splitlines())
    assert accounts is not None and not problems.errors, texts(problems)
    assert [(a.name, a.unit) for a in accounts.accounts] == [("qingshan", "xq-01"), ("linhe", "xq-02"), ("kaohe", None)]
    assert accounts.out_dir == tmp_path / "access" / "nginx"
    assert accounts.settings.site_root == str(tmp_path / "site")
    assert "Qs-7381-dj" not in repr(accounts), "密码不出现在对象的文字表示中"


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
    ]
    for where, words in expected:
        assert any(t.startswith(where + ":") and words in t for t in found), (where, words, found)
    assert not any("Gd-1234-xy" in t or "short" in t.split("：", 1)[1] for t in found), "问题说明里不写出密码"


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


def test_a_missing_accounts_file(tmp_path: Path) -> None:
    problems = Problems()
    assert load_accounts(tmp_path / "access" / "nope.csv", tmp_path, built_site().prepared, problems) is None
    assert any("找不到账号文件" in t for t in texts(problems))


def test_settings_from_the_file_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (a, _), _ = first_units()
    folder = tmp_path / "access"
    folder.mkdir()
    (folder / "server.txt").write_text("# 服务器\n网站目录 = /srv/kaoping/site\nlisten=8080\n", encoding="utf-8")
    lines = ("账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}", "office,Oo-9012-xy,*")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None, texts(problems)
    assert accounts.settings == ServerSettings(
        "/srv/kaoping/site", "8080", "_", str(tmp_path.resolve() / "access" / "nginx" / "htpasswd")
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
        ("assessments/a-2020/units/u-1.html", "unit"),
        ("assessments/a-2020/units/u-1.json", "unit"),
        ("assessments/a-2020/units/", "office"),
        ("assessments/a-2020/units/u-1.md", "office"),
        ("assessments/a-2020/downloads/a-2020.json", "office"),
        ("assessments/a-2020/downloads/a-2020-results.xlsx", "office"),
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
    assert conf.count("location") == 6, "assessments/ 前缀、单位页面、其他受限文件、不公开的结果页、/login 和它的命名位置"
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
        (Account("unit-a", "Aa-1234-xy", a, Loc("access/accounts.csv", 2)), Account("office", "Oo-9012-xy", None, Loc("access/accounts.csv", 3))),
        ServerSettings(str(site_dir), "80", "_", str(tmp_path / "access" / "nginx" / "htpasswd")),
        tmp_path / "access" / "nginx",
    )
    apply_access(tmp_path, site_dir, built.prepared, accounts)
    after = digests(site_dir)
    changed = {p for p in after if after[p] != built.digests.get(p)}
    index = f"{searchindex.FOLDER}/"
    assert {p for p in after if not p.startswith(index)} == {p for p in built.digests if not p.startswith(index)}, (
        "不增删网站中的文件（搜索框的索引除外：它少了受限的页面）"
    )
    assert {p for p in changed if not p.startswith(index)} <= {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz"}
    assert "search/search_index.json" in changed and f"{index}index.js" in changed
    locations = [d["location"] for d in json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))["docs"]]
    assert locations and not [x for x in locations if "/units/" in x]
    kept = search_urls(site_dir)
    assert kept and not [u for u in kept if "/units/" in u]
    assert [u for u in search_urls(built.site) if "/units/" in u], "公开的网站的搜索索引有单位页面"
    assert sorted((tmp_path / "access" / "nginx").iterdir()) == sorted(
        tmp_path / "access" / "nginx" / n for n in (access.CONF, access.CONF_HTTP, access.CONF_SERVER, access.HTPASSWD)
    )


def search_urls(site_dir: Path) -> list[str]:
    """The pages the search box's index holds (generator/searchindex.py: a call with the chunk's rows)."""
    urls = []
    for path in sorted((site_dir / searchindex.FOLDER / "d").iterdir()):
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


@pytest.mark.skipif(not NGINX.exists(), reason=NO_NGINX)
@pytest.mark.parametrize("width", [44, 46, 47, 100, 240])
def test_nginx_accepts_the_maps_at_any_size(tmp_path: Path, width: int) -> None:
    """Long account names and thousands of units: the map's hash sizes are computed, and nginx agrees."""
    count = 3000 if width == 100 else 20
    names = [f"{i:05d}".ljust(width - 20, "x") for i in range(count)]
    plan = Plan(
        office=("office",),
        unit_pages=tuple((n, "a-2020", f"u-{i}") for i, n in enumerate(names)) + tuple((n, "a-2019", f"u-{i}") for i, n in enumerate(names)),
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
        f"    server {{\n        listen 127.0.0.1:{free_port()};\n        include {tmp_path / access.CONF_SERVER};\n    }}\n",
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
    #: Units A and B of the private assessment, and an earlier assessment with A's page, if any.
    unit_a: str
    unit_b: str
    earlier_a: str | None
    accounts_file: Path
    #: The password file and the configuration after the first and the second build.
    first_outputs: dict[str, bytes]
    second_outputs: dict[str, bytes]

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def nginx_dir(self) -> Path:
        return self.accounts_file.parent / "nginx"


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not NGINX.exists():
        pytest.skip(NO_NGINX)
    scratch = tmp_path_factory.mktemp("access")
    root = copy_project(scratch / "project")
    add_notice_if_missing(root)
    # A site_url makes MkDocs write a sitemap with the pages it built (unit pages among them).
    config = root / "mkdocs.yml"
    config.write_text("site_url: http://kaoping.test/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    prepared = prepare(root)
    ordered = views.ordered(prepared.outcomes)
    private = ordered[0]
    public = ordered[1]
    rubric_file = root / prepared.project.rubrics[private.rubric.id][1]
    text = re.sub(r"(?m)^results_public:.*\n", "", rubric_file.read_text(encoding="utf-8"))
    rubric_file.write_text(text.rstrip("\n") + "\nresults_public: false\n", encoding="utf-8")
    unit_a, unit_b = private.units[0].unit.id, private.units[1].unit.id
    earlier = [o.rubric.id for o in ordered[1:] if unit_a in o.by_unit()]
    port = free_port()
    passwords = {"unit-a": "Aa-7381-dj", "unit-b": "Bb-2946-dj", "office": "Kh!5120-admin"}
    accounts_file = write_accounts(
        root / "access",
        "账号,密码,单位代码,姓名",
        f"unit-a,{passwords['unit-a']},{unit_a},张某",
        f"unit-b,{passwords['unit-b']},{unit_b},李某",
        f"office,{passwords['office']},考核办公室,考核办公室",
    )
    (root / "access" / "server.txt").write_text(f"listen = 127.0.0.1:{port}\n", encoding="utf-8")
    result = build(root, progress=Progress(quiet=True), access=accounts_file)
    assert result.ok, "\n".join(str(p) for p in result.problems.sorted())
    first = outputs(root / "access" / "nginx")
    result = build(root, progress=Progress(quiet=True), access=accounts_file)
    assert result.ok
    second = outputs(root / "access" / "nginx")
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
            earlier[0] if earlier else None,
            accounts_file,
            first,
            second,
        )


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(served: Served, path: str, account: str | None = None, password: str | None = None) -> Response:
    request = urllib.request.Request(f"http://127.0.0.1:{served.port}{path}")
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
    path = site.unit_page(aid, uid) if kind == "html" else site.unit_json(aid, uid)
    return "/" + site.html_path(path)


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
    assert data.body == (served.site / site.unit_json(served.private_id, served.unit_a)).read_bytes()


def test_a_unit_reads_its_pages_of_other_years(served: Served) -> None:
    if served.earlier_a is None:
        pytest.skip("示例数据中这个单位只参加了一年的考核")
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
        assert served.prepared.outcomes[served.private_id].by_unit()[served.unit_a].unit.name.encode() not in anonymous.body
        assert get(served, url, "unit-a", "wrong-Password-1").status == 401
        assert get(served, url, "unit-a", served.passwords["unit-b"]).status == 401
        assert get(served, url, "nobody", "Aa-7381-dj").status == 401


def test_the_office_reads_every_unit_and_the_downloads(served: Served) -> None:
    for uid in (served.unit_a, served.unit_b):
        assert get(served, unit_url(served.private_id, uid), "office").status == 200
        assert get(served, unit_url(served.private_id, uid, "json"), "office").status == 200
    downloads = sorted((served.site / site.GENERATED).glob("*/downloads/*"))
    assert downloads
    for path in downloads:
        url = "/" + path.relative_to(served.site).as_posix()
        office = get(served, url, "office")
        assert office.status == 200 and office.body == path.read_bytes(), url
        assert get(served, url, "unit-a").status == 403, url
        assert get(served, url).status == 401, url


def test_public_pages_are_public(served: Served) -> None:
    notice_ids = [aid for aid in served.prepared.project.notices if aid in served.prepared.outcomes]
    assert notice_ids, "复制的数据中应有通报"
    paths = ["/", "/index.html", "/search/search_index.json", "/reference/access.html", "/assets/kaoping.css"]
    paths += ["/" + site.html_path(site.page(aid, "notice")) for aid in notice_ids]
    paths += ["/" + site.html_path(site.page(served.private_id, kind)) for kind in ("index", "standards")]
    for path in paths:
        assert get(served, path).status == 200, path


def test_the_results_page_follows_results_public(served: Served) -> None:
    public = "/" + site.html_path(site.page(served.public_id, "results"))
    private = "/" + site.html_path(site.page(served.private_id, "results"))
    assert get(served, public).status == 200
    assert get(served, public, "unit-a").status == 200
    assert get(served, private).status == 401
    assert get(served, private, "unit-a").status == 403
    assert get(served, private, "office").status == 200


def test_login_sends_an_account_to_its_own_page(served: Served) -> None:
    assert get(served, access.LOGIN_PATH).status == 401
    unit = get(served, access.LOGIN_PATH, "unit-a")
    assert (unit.status, unit.headers["location"]) == (302, unit_url(served.private_id, served.unit_a))
    office = get(served, access.LOGIN_PATH, "office")
    assert (office.status, office.headers["location"]) == (302, "/")


def test_no_file_outside_the_site_can_be_reached(served: Served) -> None:
    secret = served.accounts_file.read_bytes()
    absolute = served.accounts_file.as_posix()
    targets = [
        "/../access/accounts.csv",
        "/%2e%2e/access/accounts.csv",
        "/%2E%2E/access/accounts.csv",
        "/..%2faccess/accounts.csv",
        "/..%2Faccess/nginx/htpasswd",
        "/assessments/../../access/accounts.csv",
        f"/{site.GENERATED}/{served.private_id}/units/..%2f..%2f..%2f..%2faccess/accounts.csv",
        f"/{site.GENERATED}/{served.private_id}/units/%2e%2e/%2e%2e/%2e%2e/access/accounts.csv",
        "/./../access/accounts.csv",
        "/%5c..%5caccess/accounts.csv",
        absolute,
        "/" + absolute,
        f"http://127.0.0.1:{served.port}/../access/accounts.csv",
        f"http://127.0.0.1:{served.port}{absolute}",
        "/access/accounts.csv",
        "/access/nginx/htpasswd",
        "/etc/passwd",
        "/../../../../../../etc/passwd",
    ]
    for target in targets:
        reply = raw_get(served, target)
        assert reply.status in (400, 401, 403, 404), (target, reply.status)
        assert secret not in reply.body and b"$6$" not in reply.body and b"root:" not in reply.body, target


def test_search_and_sitemap_hold_no_restricted_page(served: Served) -> None:
    private = {served.private_id}
    locations = [d["location"] for d in json.loads((served.site / "search" / "search_index.json").read_text("utf-8"))["docs"]]
    assert locations
    assert [x for x in locations if page_access(x.split("#")[0], private) != "public"] == []
    assert not [x for x in locations if "/units/" in x]
    assert site.html_path(site.page(served.public_id, "results")) in locations
    sitemap = (served.site / "sitemap.xml").read_text(encoding="utf-8")
    urls = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert urls, "设了 site_url，站点地图应列出页面"
    assert [u for u in urls if url_access(u, private) != "public"] == []
    assert not [u for u in urls if "/units/" in u]
    assert gzip.decompress((served.site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_public_files_hold_no_units_deductions(served: Served) -> None:
    """The reasons for a unit's deductions are on its own page only: in no public page and not in search."""
    private = {served.private_id}
    unit_json = json.loads((served.site / site.unit_json(served.private_id, served.unit_a)).read_text("utf-8"))
    reasons: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "reason" and isinstance(item, str) and len(item) >= 6:
                    reasons.add(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(unit_json)
    standards = (served.site / site.html_path(site.page(served.private_id, "standards"))).read_text("utf-8")
    reasons = {r for r in reasons if r not in standards}
    if not reasons:
        pytest.skip("这个单位没有扣分原因")
    own = get(served, unit_url(served.private_id, served.unit_a), "unit-a").body.decode("utf-8")
    assert any(r in own for r in reasons)
    for path in sorted(served.site.rglob("*")):
        rel = path.relative_to(served.site).as_posix()
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js") and page_access(rel, private) == "public":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [r for r in reasons if r in text], rel


def test_search_finds_no_units_reason_name_or_score(served: Served) -> None:
    """The search box's index is public: it holds no unit page, so no reason, no unit's name beside its score.

    The same reasons are in the index of the site built without accounts, so this test can fail."""
    private = {served.private_id}
    outcome = served.prepared.outcomes[served.private_id]
    standards = (served.site / site.html_path(site.page(served.private_id, "standards"))).read_text("utf-8")
    reasons = {
        r for u in outcome.units for c in u.score.categories for n in _walk(c) for rule in n.rules for r in rule.reasons
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
    assert site.html_path(site.page(served.private_id, "results")) not in {u.split("#")[0] for u in kept}


def _walk(node: object) -> Iterator[object]:
    yield node
    for child in node.children:  # type: ignore[attr-defined]
        yield from _walk(child)


def test_passwords_are_stored_hashed_and_never_in_the_site(served: Served) -> None:
    htpasswd = (served.nginx_dir / access.HTPASSWD).read_text(encoding="utf-8")
    lines = htpasswd.splitlines()
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
    entries = "".join(f"    <url>\n         <loc>{u}</loc>\n         <lastmod>2021-01-01</lastmod>\n    </url>\n" for u in urls)
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
    (tmp_path / "sitemap.xml").write_text(text, encoding="utf-8")
    with gzip.GzipFile(tmp_path / "sitemap.xml.gz", "wb", mtime=1_600_000_000) as out:
        out.write(text.encode())
    assert access.filter_sitemap(tmp_path, {"b-2020"}) == 2
    kept = (tmp_path / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>([^<]*)</loc>", kept) == [urls[0], urls[3]]
    assert kept.endswith("    </url>\n</urlset>\n")
    data = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(data[4:8], "little") == 1_600_000_000
    assert gzip.decompress(data).decode() == kept


@pytest.mark.skipif(shutil.which("git") is None, reason="没有 git 命令")
def test_an_accounts_file_git_would_commit_is_reported(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (a, _), _ = first_units()
    lines = ("账号,密码,单位代码", f"unit-a,Aa-1234-xy,{a}", "office,Oo-9012-xy,*")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None
    assert any("没有被 git 忽略" in str(w) for w in problems.warnings)
    (tmp_path / ".gitignore").write_text("/access/\n", encoding="utf-8")
    accounts, problems = load(tmp_path, *lines)
    assert accounts is not None and not problems.warnings, texts(problems)


def test_a_build_without_access_beside_an_accounts_file_is_warned_about(tmp_path: Path) -> None:
    from helpers import entries_csv, rubric_text, units_csv, write_project

    from generator.build import Progress, build

    rubric = rubric_text("indicators:\n  - {id: c1, title: 甲, points: 100, rules: [{kind: range}]}\n")
    root = write_project(tmp_path, rubric, {"units.csv": units_csv("u1,一支部,branch,已考核"), "entries.csv": entries_csv()})
    for name in ("mkdocs.yml", "site_templates", "docs", "generator/mkdocs_hooks.py"):
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


@pytest.mark.skipif(not NGINX.exists(), reason=NO_NGINX)
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
