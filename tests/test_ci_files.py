"""The CI pipelines (GitHub Actions and GitLab CI) are well-formed and agree with the Makefile, the CLI and the README.

- Both files load as YAML; every ``make X`` they run is a Makefile target; every ``kaoping X`` they (or the
  publish script) run is a subcommand; every script they run is in the repository.
- They run on pushes that change the data or the site sources, and by hand; check → test → build, and
  the publish step needs test and build and runs only on the default branch.
- The variables the README's section “自动发布（CI）” lists are exactly the ones the files and the publish
  script use (and on GitHub, the private key is a secret).
- ``scripts/ci_publish.sh`` is run against a stand-in server: an ``ssh`` on PATH that runs the remote
  command on this machine, with the real rsync. The site arrives whole, the link switches in one step,
  old releases are pruned, and failures leave the server as it was with nothing temporary behind.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from sandbox import ROOT, digests

from generator.cli import parser

GITHUB = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
SCRIPT = ROOT / "scripts" / "ci_publish.sh"
README = ROOT / "README.md"
#: A push touching any of these rebuilds the site: the data, the pages, and the program that makes them.
WATCHED = {
    "rubrics", "results", "docs", "site_templates", "mkdocs.yml",
    "generator", "scripts", "tests", "Makefile", "pyproject.toml",
}
IMAGE = "python:3.11-bookworm"


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} 应当是一个 YAML 映射"
    return data


def github_jobs() -> dict[str, dict[str, Any]]:
    jobs: dict[str, dict[str, Any]] = load(GITHUB)["jobs"]
    return jobs


def gitlab_jobs() -> dict[str, dict[str, Any]]:
    data = load(GITLAB)
    return {name: job for name, job in data.items() if isinstance(job, dict) and "script" in job}


def github_commands(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job.get("steps", []) if "run" in step]


def gitlab_commands(job: dict[str, Any]) -> list[str]:
    return [line for key in ("before_script", "script", "after_script") for line in job.get(key, [])]


def all_commands() -> dict[str, list[str]]:
    """Every shell command of both files, by job (``github:check``, ``gitlab:publish`` …)."""
    commands = {f"github:{name}": github_commands(job) for name, job in github_jobs().items()}
    commands |= {f"gitlab:{name}": gitlab_commands(job) for name, job in gitlab_jobs().items()}
    return commands


def job_running(commands: dict[str, list[str]], platform: str, needle: str) -> str:
    found = [job for job, lines in commands.items() if job.startswith(platform) and any(needle in c for c in lines)]
    assert len(found) == 1, f"{platform} 中应当恰有一个任务运行 {needle}：{found}"
    return found[0].split(":", 1)[1]


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.MULTILINE)}


def kaoping_commands() -> set[str]:
    """The subcommands ``kaoping --help`` lists."""
    text = parser().format_help().split("命令\n", 1)[1].split("\n\n", 1)[0]
    found = set(re.findall(r"^ {4}([a-z]+) ", text, re.MULTILINE))
    assert found, "kaoping --help 没有列出子命令"
    return found


def script_lines() -> list[str]:
    """The publish script's lines, comments left out."""
    return [line for line in SCRIPT.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]


# -- syntax and references ----------------------------------------------------------------------------


def test_both_files_load_as_yaml() -> None:
    assert set(github_jobs()) == {"check", "test", "build", "publish"}
    assert set(gitlab_jobs()) == {"check", "test", "build", "publish"}


def test_every_make_target_exists() -> None:
    targets = makefile_targets()
    called = {m for lines in all_commands().values() for c in lines for m in re.findall(r"\bmake\s+([\w.-]+)", c)}
    assert called >= {"check", "test", "site"}
    assert called <= targets, f"Makefile 中没有这些目标：{called - targets}"


def test_every_kaoping_subcommand_exists() -> None:
    commands = kaoping_commands()
    text = [c for lines in all_commands().values() for c in lines] + script_lines()
    called = {m for c in text for m in re.findall(r"\bkaoping\s+([a-z][\w-]*)", c)}
    assert called <= commands, f"kaoping 没有这些子命令：{called - commands}"
    assert {"check", "build", "publish"} <= commands


def test_every_script_exists() -> None:
    for job, lines in all_commands().items():
        for c in lines:
            for path in re.findall(r"\bscripts/[\w./-]+", c):
                assert (ROOT / path).is_file(), f"{job} 运行的 {path} 不存在"
    assert any("scripts/ci_publish.sh" in c for c in all_commands()["github:publish"])
    assert any("scripts/ci_publish.sh" in c for c in all_commands()["gitlab:publish"])


def test_python_3_11_on_debian() -> None:
    for name, job in github_jobs().items():
        assert job["runs-on"].startswith("ubuntu-")
        if name != "publish":
            assert job["container"] == IMAGE, f"GitHub 任务 {name} 应当在 {IMAGE} 中运行"
    assert load(GITLAB)["image"] == IMAGE


# -- when they run, and in which order ----------------------------------------------------------------


def first_part(pattern: str) -> str:
    return pattern.split("/", 1)[0]


def test_triggers() -> None:
    on = load(GITHUB)
    triggers = on.get("on", on.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"push", "workflow_dispatch"}
    assert {first_part(p) for p in triggers["push"]["paths"]} == WATCHED
    rules = load(GITLAB)["workflow"]["rules"]
    assert {"if": '$CI_PIPELINE_SOURCE == "web"'} in rules
    push = [r for r in rules if r.get("if") == '$CI_PIPELINE_SOURCE == "push"']
    assert len(push) == 1 and {first_part(p) for p in push[0]["changes"]} == WATCHED
    assert len(rules) == 2


def needs(job: dict[str, Any]) -> set[str]:
    value = job.get("needs", [])
    return {value} if isinstance(value, str) else {n if isinstance(n, str) else n["job"] for n in value}


def upstream(jobs: dict[str, dict[str, Any]], name: str) -> set[str]:
    """Every job ``name`` waits for, directly or through others."""
    seen: set[str] = set()
    todo = list(needs(jobs[name]))
    while todo:
        job = todo.pop()
        if job not in seen:
            seen.add(job)
            todo += needs(jobs[job])
    return seen


@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_check_then_test_then_build_then_publish(platform: str) -> None:
    commands = all_commands()
    jobs = github_jobs() if platform == "github" else gitlab_jobs()
    check = job_running(commands, platform, "make check")
    test = job_running(commands, platform, "make test")
    build = job_running(commands, platform, "make site")
    publish = job_running(commands, platform, "scripts/ci_publish.sh")
    assert upstream(jobs, test) == {check}
    assert upstream(jobs, build) == {check, test}
    assert needs(jobs[publish]) >= {test, build}, "发布必须等测试和生成都通过"
    assert upstream(jobs, publish) == {check, test, build}
    if platform == "gitlab":
        stages = load(GITLAB)["stages"]
        order = [stages.index(jobs[name]["stage"]) for name in (check, test, build, publish)]
        assert order == sorted(order) and len(set(order)) == 4


def test_publish_only_on_the_default_branch() -> None:
    jobs = github_jobs()
    condition = jobs["publish"]["if"]
    assert condition == "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    assert [name for name, job in jobs.items() if "if" in job] == ["publish"]
    assert jobs["publish"]["concurrency"]["cancel-in-progress"] is False

    lab = gitlab_jobs()
    assert lab["publish"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert [name for name, job in lab.items() if "rules" in job or "only" in job] == ["publish"]
    assert lab["publish"]["resource_group"]


def test_the_site_travels_from_build_to_publish() -> None:
    build = github_jobs()["build"]["steps"]
    upload = [s for s in build if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    download = [s for s in github_jobs()["publish"]["steps"] if str(s.get("uses", "")).startswith("actions/download-artifact")]
    assert upload[0]["with"]["name"] == download[0]["with"]["name"] == "site"
    assert upload[0]["with"]["path"].rstrip("/") == download[0]["with"]["path"].rstrip("/") == "site"
    assert gitlab_jobs()["build"]["artifacts"]["paths"] == ["site/"]


# -- the variables ------------------------------------------------------------------------------------


def documented_variables() -> dict[str, tuple[str, str]]:
    """The README's table: variable → (what it holds, where it goes on GitHub)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## 自动发布（CI）", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(KAOPING_\w+)` \| (.+?) \| (Secrets|Variables) \|$", section, re.MULTILINE)
    assert rows, "README 的「自动发布（CI）」一节应当有变量表"
    return {name: (what, where) for name, what, where in rows}


def test_the_documented_variables_are_the_ones_used() -> None:
    documented = documented_variables()
    env = next(s for s in github_jobs()["publish"]["steps"] if "run" in s)["env"]
    assert set(env) == set(documented)
    for name, value in env.items():
        context = "secrets" if documented[name][1] == "Secrets" else "vars"
        assert value == f"${{{{ {context}.{name} }}}}"
    assert documented["KAOPING_DEPLOY_SSH_KEY"][1] == "Secrets"

    script = "\n".join(script_lines())
    assert set(re.findall(r"\bKAOPING_\w+", script)) == set(documented)
    required = set(re.search(r"for name in ((?:KAOPING_\w+ ?)+); do", script).group(1).split())  # type: ignore[union-attr]
    optional = {name for name, (what, _) in documented.items() if "不设时" in what}
    assert required == set(documented) - optional == set(documented) - {"KAOPING_DEPLOY_PORT"}

    other = set(re.findall(r"\bKAOPING_\w+", GITLAB.read_text(encoding="utf-8")) + re.findall(r"\bKAOPING_\w+", GITHUB.read_text(encoding="utf-8")))
    assert other <= set(documented)


# -- the publish script against a stand-in server -----------------------------------------------------

FAKE_SSH = r"""#!/bin/sh
# Stands in for ssh: notes what it was asked, then runs the remote command on this machine.
printf '%s\n' "$*" >>"$FAKE_SSH_LOG"
while [ $# -gt 0 ]; do
    case $1 in
        -i) cp "$2" "$FAKE_SSH_LOG.key"; stat -c %a "$2" >"$FAKE_SSH_LOG.mode"; shift 2 ;;
        -o) case $2 in UserKnownHostsFile=*) cp "${2#*=}" "$FAKE_SSH_LOG.known_hosts" ;; esac; shift 2 ;;
        -[bcDEeFIJLlmOpQRSWw]) shift 2 ;;
        -*) shift ;;
        *) break ;;
    esac
done
shift
case "$*" in "rsync --server"*) [ -z "${FAKE_SSH_BREAK_RSYNC:-}" ] || { echo "Connection reset" >&2; exit 255; } ;; esac
exec sh -c "$*"
"""

KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3BlbnNzaC1rZXktdjEAAAAA\r\n-----END OPENSSH PRIVATE KEY-----"
KNOWN_HOSTS = "web1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample"

needs_rsync = pytest.mark.skipif(
    shutil.which("rsync") is None, reason="没有 rsync，跳过发布脚本的测试（apt-get install rsync）"
)


class Server:
    """A stand-in server: ``srv/`` is its disk, ``bin/ssh`` its way in."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.srv = tmp / "srv"
        self.srv.mkdir()
        self.dest = self.srv / "site"
        self.releases = self.srv / "site.releases"
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        ssh = bin_dir / "ssh"
        ssh.write_text(FAKE_SSH)
        ssh.chmod(0o755)
        self.log = tmp / "ssh.log"
        self.env = {
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(tmp),
            "LC_ALL": "C.UTF-8",
            "FAKE_SSH_LOG": str(self.log),
            "KAOPING_DEPLOY_HOST": "web1",
            "KAOPING_DEPLOY_USER": "deploy",
            "KAOPING_DEPLOY_PATH": str(self.dest),
            "KAOPING_DEPLOY_SSH_KEY": KEY,
            "KAOPING_DEPLOY_KNOWN_HOSTS": KNOWN_HOSTS,
        }

    def publish(self, site: Path, commit: str, **env: str) -> subprocess.CompletedProcess[str]:
        variables = self.env | {"GITHUB_SHA": commit} | env
        for name in [k for k, v in variables.items() if v == ""]:
            del variables[name]
        return subprocess.run(
            ["sh", str(SCRIPT), str(site)], env=variables, capture_output=True, text=True, timeout=120, cwd=self.tmp
        )

    def current(self) -> str:
        target = os.readlink(self.dest)
        assert target.startswith("site.releases/"), target
        return target.split("/", 1)[1]

    def names(self) -> list[str]:
        return sorted(p.name for p in self.releases.iterdir()) if self.releases.is_dir() else []

    def leftovers(self) -> list[str]:
        found = [p.name for p in self.srv.iterdir() if ".publishing-" in p.name]
        return found + [n for n in self.names() if n.startswith(".")]


def make_site(folder: Path, version: str) -> Path:
    site = folder / f"site-{version}"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text(f"<title>{version}</title>\n")
    (site / "search" / "search_index.json").write_text('{"docs": []}')
    (site / "assets").mkdir()
    (site / "assets" / "kaoping.css").write_text("body { color: #333; }\n")
    return site


@pytest.fixture
def server(tmp_path: Path) -> Server:
    return Server(tmp_path)


@needs_rsync
def test_publish_script_switches_releases(server: Server, tmp_path: Path) -> None:
    first = make_site(tmp_path, "v1")
    run = server.publish(first, "a1" + "0" * 38)
    assert run.returncode == 0, run.stderr
    assert "已发布：" in run.stdout
    assert server.current().endswith("Z-a10000000000")
    assert digests(server.dest) == digests(first)
    for path in [server.dest.resolve(), *server.dest.resolve().rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644)

    # What ssh was given: the server's key checked against the variable, the private key kept private.
    calls = server.log.read_text().splitlines()
    assert all("-o StrictHostKeyChecking=yes" in c and "-o BatchMode=yes" in c and "-p 22 " in c for c in calls)
    assert Path(f"{server.log}.known_hosts").read_text() == KNOWN_HOSTS + "\n"
    assert Path(f"{server.log}.key").read_text() == KEY.replace("\r", "") + "\n"
    assert Path(f"{server.log}.mode").read_text().strip() == "600"

    second = make_site(tmp_path, "v2")
    run = server.publish(second, "a2" + "0" * 38)
    assert run.returncode == 0, run.stderr
    assert digests(server.dest) == digests(second)
    assert "回退到上一个版本：ln -sfn site.releases/" in run.stdout
    old, new = server.names()
    assert server.current() == new
    # Unchanged files are hard links to the previous release: only changes travel.
    css = [server.releases / name / "assets" / "kaoping.css" for name in (old, new)]
    assert css[0].stat().st_ino == css[1].stat().st_ino
    assert (server.releases / old / "index.html").read_text() == "<title>v1</title>\n"

    for n in (3, 4, 5):
        assert server.publish(make_site(tmp_path, f"v{n}"), f"a{n}" + "0" * 38).returncode == 0
    assert [name[-14:] for name in server.names()] == ["Z-a30000000000", "Z-a40000000000", "Z-a50000000000"]
    assert server.leftovers() == []
    assert sorted(p.name for p in server.srv.iterdir()) == ["site", "site.releases"]


@needs_rsync
def test_publish_script_takes_keys_from_files(server: Server, tmp_path: Path) -> None:
    # GitLab's "File" variables hold the path of a file with the value.
    key = tmp_path / "key-file"
    key.write_text(KEY)
    hosts = tmp_path / "hosts-file"
    hosts.write_text(KNOWN_HOSTS + "\n")
    run = server.publish(
        make_site(tmp_path, "v1"),
        "b" * 40,
        KAOPING_DEPLOY_SSH_KEY=str(key),
        KAOPING_DEPLOY_KNOWN_HOSTS=str(hosts),
        KAOPING_DEPLOY_PORT="2222",
    )
    assert run.returncode == 0, run.stderr
    assert Path(f"{server.log}.key").read_text() == KEY.replace("\r", "")
    assert Path(f"{server.log}.known_hosts").read_text() == KNOWN_HOSTS + "\n"
    assert all("-p 2222 " in c for c in server.log.read_text().splitlines())


@needs_rsync
@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"KAOPING_DEPLOY_HOST": "", "KAOPING_DEPLOY_SSH_KEY": ""}, "缺少 CI 变量：KAOPING_DEPLOY_HOST KAOPING_DEPLOY_SSH_KEY。"),
        ({"KAOPING_DEPLOY_PATH": "srv/site"}, "必须是绝对路径"),
        ({"KAOPING_DEPLOY_PATH": "/srv/my site"}, "只能由字母、数字"),
        ({"KAOPING_DEPLOY_PATH": "/srv/site/"}, "不能以 / 结尾"),
        ({"KAOPING_DEPLOY_PATH": "/srv/../etc"}, "不能含 . 或 .. 段"),
        ({"KAOPING_DEPLOY_HOST": "-oProxyCommand=x"}, "KAOPING_DEPLOY_HOST 应是主机名"),
        ({"KAOPING_DEPLOY_PORT": "22; rm"}, "KAOPING_DEPLOY_PORT 应是端口号"),
    ],
    ids=["missing", "relative", "space", "slash", "dotdot", "host", "port"],
)
def test_publish_script_refuses_bad_variables(server: Server, tmp_path: Path, env: dict[str, str], words: str) -> None:
    run = server.publish(make_site(tmp_path, "v1"), "c" * 40, **env)
    assert run.returncode == 1
    assert run.stderr.startswith("发布失败：") and words in run.stderr, run.stderr
    assert not server.log.exists(), "变量有误时不应连接服务器"
    assert list(server.srv.iterdir()) == []


@needs_rsync
def test_publish_script_refuses_a_missing_site(server: Server, tmp_path: Path) -> None:
    run = server.publish(tmp_path / "nothing", "c" * 40)
    assert run.returncode == 1 and "先运行 make site" in run.stderr
    assert not server.log.exists()


@needs_rsync
def test_publish_script_leaves_a_plain_folder_alone(server: Server, tmp_path: Path) -> None:
    server.dest.mkdir()
    (server.dest / "index.html").write_text("旧网站")
    run = server.publish(make_site(tmp_path, "v1"), "d" * 40)
    assert run.returncode == 1
    assert "是普通目录" in run.stderr and "mv " in run.stderr
    assert digests(server.dest) == {"index.html": digests(server.dest)["index.html"]}
    assert (server.dest / "index.html").read_text() == "旧网站"
    assert not server.releases.exists()


@needs_rsync
def test_publish_script_copy_broken_off(server: Server, tmp_path: Path) -> None:
    first = make_site(tmp_path, "v1")
    assert server.publish(first, "e1" + "0" * 38).returncode == 0
    before, names = digests(server.dest), server.names()
    run = server.publish(make_site(tmp_path, "v2"), "e2" + "0" * 38, FAKE_SSH_BREAK_RSYNC="1")
    assert run.returncode == 1
    assert "rsync 复制没有完成；服务器上的网站没有改动" in run.stderr
    assert digests(server.dest) == before and server.names() == names
    assert server.leftovers() == []


@needs_rsync
def test_publish_script_cleans_what_an_interrupted_run_left(server: Server, tmp_path: Path) -> None:
    assert server.publish(make_site(tmp_path, "v1"), "f1" + "0" * 38).returncode == 0
    (server.releases / ".publishing-20200101T000000Z-f00000000000" / "assets").mkdir(parents=True)
    (server.srv / ".site.publishing-link-123").symlink_to("site.releases/nothing")
    run = server.publish(make_site(tmp_path, "v2"), "f2" + "0" * 38)
    assert run.returncode == 0, run.stderr
    assert server.leftovers() == []
    assert len(server.names()) == 2
