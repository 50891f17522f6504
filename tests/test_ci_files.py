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
  Every release holds ``.kaoping-published``; a site built from an older commit than the current
  release's is refused, as ``kaoping publish`` refuses it (git ancestry, else commit times).

Each test first asserts that what it looks at exists (a job, a command, a log line), so that none
passes because the thing it checks is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sandbox import ROOT, digests

from generator.cli import parser
from generator.site.stamp import BUILD_STAMP, PUBLISHED_MARKER

pytestmark = pytest.mark.slow

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


JOBS = {"check", "test", "shard", "build", "publish"}


def test_both_files_load_as_yaml() -> None:
    assert set(github_jobs()) == JOBS
    assert set(gitlab_jobs()) == JOBS


def test_every_make_target_exists() -> None:
    targets = makefile_targets()
    called = {m for lines in all_commands().values() for c in lines for m in re.findall(r"\bmake\s+([\w.-]+)", c)}
    assert called >= {"check", "test", "site"}
    assert called <= targets, f"Makefile 中没有这些目标：{called - targets}"


def makefile_recipes() -> dict[str, list[str]]:
    """Each Makefile target's recipe lines."""
    recipes: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and current is not None:
            current.append(line.strip())
            continue
        match = re.match(r"^([A-Za-z][\w.-]*)\s*:(?!=)", line)
        current = recipes.setdefault(match.group(1), []) if match else None
    return recipes


def test_every_kaoping_subcommand_exists() -> None:
    commands = kaoping_commands()
    assert {"check", "build", "publish"} <= commands
    # What CI runs: its own lines, the publish script, and the recipes of the make targets it calls.
    lines = [c for job in all_commands().values() for c in job]
    recipes = makefile_recipes()
    targets = {m for c in lines for m in re.findall(r"\bmake\s+([\w.-]+)", c)}
    assert targets and targets <= set(recipes)
    text = lines + script_lines() + [r for t in targets for r in recipes[t]]
    called = {m for c in text for m in re.findall(r"\bkaoping\s+([a-z][\w-]*)", c)}
    assert {"check", "build"} <= called, f"CI 应当（通过 make）运行 kaoping check 和 kaoping build：{called}"
    assert called <= commands, f"kaoping 没有这些子命令：{called - commands}"


def test_every_script_exists() -> None:
    assert any("scripts/ci_publish.sh" in c for c in all_commands()["github:publish"])
    assert any("scripts/ci_publish.sh" in c for c in all_commands()["gitlab:publish"])
    found = [
        (job, path)
        for job, lines in all_commands().items()
        for c in lines
        for path in re.findall(r"\bscripts/[\w./-]+", c)
    ]
    assert {job for job, _ in found} >= {"github:publish", "gitlab:publish"}
    for job, path in found:
        assert (ROOT / path).is_file(), f"{job} 运行的 {path} 不存在"
    # The publish script runs generator/site/stamp.py with the runner's python3: it must exist and need nothing
    # installed.
    stamp = ROOT / "generator" / "site" / "stamp.py"
    assert "generator/site/stamp.py" in SCRIPT.read_text(encoding="utf-8") and stamp.is_file()
    imports = re.findall(r"^(?:from|import) (\S+)", stamp.read_text(encoding="utf-8"), re.MULTILINE)
    assert imports and all(
        not name.startswith(".") and name.split(".")[0] in sys.stdlib_module_names | {"__future__"} for name in imports
    ), imports


def test_python_3_11_on_debian() -> None:
    assert set(github_jobs()) == JOBS
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
    shard = job_running(commands, platform, "make shard")
    publish = job_running(commands, platform, "scripts/ci_publish.sh")
    # Sharded, the job that builds the site merges the shards instead (the same site, byte for byte).
    assert job_running(commands, platform, "make merge") == build
    assert upstream(jobs, test) == {check}
    assert upstream(jobs, shard) == {check, test}
    assert upstream(jobs, build) == {check, test, shard}
    assert needs(jobs[publish]) >= {test, build}, "发布必须等测试和生成都通过"
    assert upstream(jobs, publish) == {check, test, shard, build}
    if platform == "gitlab":
        stages = load(GITLAB)["stages"]
        order = [stages.index(jobs[name]["stage"]) for name in (check, test, shard, build, publish)]
        assert order == sorted(order) and len(set(order)) == 5
        assert {"job": shard, "optional": True} in jobs[build]["needs"]
        assert jobs[shard]["rules"] == [{"if": "$KAOPING_SHARDS"}]
        assert "$CI_NODE_INDEX/$CI_NODE_TOTAL" in commands[f"gitlab:{shard}"][0]
    else:
        assert jobs[shard]["if"] == "vars.KAOPING_SHARDS != ''"
        assert "${{ matrix.shard }}/${{ strategy.job-total }}" in commands[f"github:{shard}"][0]
        # The build runs when the shards were skipped, never when one failed.
        assert jobs[build]["if"] == "${{ !failure() && !cancelled() }}"


def test_publish_only_on_the_default_branch() -> None:
    jobs = github_jobs()
    condition = jobs["publish"]["if"]
    assert condition == (
        "${{ !failure() && !cancelled() && "
        "github.ref == format('refs/heads/{0}', github.event.repository.default_branch) }}"
    )
    assert [name for name, job in jobs.items() if "if" in job] == ["shard", "build", "publish"]
    assert jobs["publish"]["concurrency"]["cancel-in-progress"] is False

    lab = gitlab_jobs()
    assert lab["publish"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert [name for name, job in lab.items() if "rules" in job or "only" in job] == ["shard", "publish"]
    assert lab["publish"]["resource_group"]


def test_the_site_travels_from_build_to_publish() -> None:
    build = github_jobs()["build"]["steps"]
    upload = [s for s in build if str(s.get("uses", "")).startswith("actions/upload-artifact")]
    download = [
        s for s in github_jobs()["publish"]["steps"] if str(s.get("uses", "")).startswith("actions/download-artifact")
    ]
    assert len(upload) == len(download) == 1
    assert upload[0]["with"]["name"] == download[0]["with"]["name"] == "site"
    # The build stamp (site/.kaoping-build.json) is a hidden file: upload-artifact leaves those out unless told.
    assert upload[0]["with"]["include-hidden-files"] is True
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
    every = documented_variables()
    # KAOPING_SHARDS switches the sharded build on; the others are the publish step's.
    assert every.pop("KAOPING_SHARDS")[1] == "Variables"
    documented = every
    assert "KAOPING_DEPLOY_SSH_KEY" in documented and "KAOPING_DEPLOY_PORT" in documented
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
    assert required == set(documented) - optional == set(documented) - {"KAOPING_DEPLOY_PORT", "KAOPING_GZIP_ONLY"}

    other = set(
        re.findall(r"\bKAOPING_\w+", GITLAB.read_text(encoding="utf-8"))
        + re.findall(r"\bKAOPING_\w+", GITHUB.read_text(encoding="utf-8"))
    )
    assert other <= set(documented) | {"KAOPING_SHARDS"}


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


def make_site(
    folder: Path,
    version: str,
    commit: str | None = None,
    commit_time: str | None = None,
    built_at: str = "2026-01-01T00:00:00Z",
) -> Path:
    """A built site; its build stamp (as kaoping build writes it) names ``commit`` when given."""
    site = folder / f"site-{version}"
    (site / "search").mkdir(parents=True)
    (site / "index.html").write_text(f"<title>{version}</title>\n")
    (site / "search" / "search_index.json").write_text('{"docs": []}')
    (site / "assets").mkdir()
    (site / "assets" / "kaoping.css").write_text("body { color: #333; }\n")
    stamp = {"commit": commit, "commit_time": commit_time, "built_at": built_at}
    (site / BUILD_STAMP).write_text(json.dumps(stamp))
    return site


def marker(release: Path) -> dict[str, Any]:
    path = release / PUBLISHED_MARKER
    assert path.is_file() and not path.is_symlink(), f"{release} 中没有发布记录"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def site_digests(folder: Path) -> dict[str, str]:
    """A published release's files but its marker."""
    found = digests(folder)
    assert found.pop(PUBLISHED_MARKER), f"{folder} 中没有发布记录"
    return found


@pytest.fixture
def server(tmp_path: Path) -> Server:
    return Server(tmp_path)


@needs_rsync
def test_publish_script_switches_releases(server: Server, tmp_path: Path) -> None:
    first = make_site(tmp_path, "v1", "a1" + "0" * 38, "2026-01-01T00:00:00Z")
    run = server.publish(first, "a1" + "0" * 38)
    assert run.returncode == 0, run.stderr
    assert "已发布：" in run.stdout
    assert server.current().endswith("Z-a10000000000")
    assert site_digests(server.dest) == digests(first)
    published = marker(server.dest)
    assert {k: published[k] for k in ("commit", "commit_time", "built_at", "published_by")} == {
        "commit": "a1" + "0" * 38,
        "commit_time": "2026-01-01T00:00:00Z",
        "built_at": "2026-01-01T00:00:00Z",
        "published_by": "ci",
    }
    assert published["published_at"].endswith("Z")
    for path in [server.dest.resolve(), *server.dest.resolve().rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644)

    # What ssh was given: the server's key checked against the variable, the private key kept private.
    calls = server.log.read_text().splitlines()
    assert len(calls) >= 3, calls  # prepare, rsync, switch
    assert all("-o StrictHostKeyChecking=yes" in c and "-o BatchMode=yes" in c and "-p 22 " in c for c in calls)
    assert Path(f"{server.log}.known_hosts").read_text() == KNOWN_HOSTS + "\n"
    assert Path(f"{server.log}.key").read_text() == KEY.replace("\r", "") + "\n"
    assert Path(f"{server.log}.mode").read_text().strip() == "600"

    second = make_site(tmp_path, "v2", "a2" + "0" * 38, "2026-01-02T00:00:00Z")
    run = server.publish(second, "a2" + "0" * 38)
    assert run.returncode == 0, run.stderr
    assert site_digests(server.dest) == digests(second)
    assert "比较的是提交时间" in run.stdout
    assert "回退到上一个版本：ln -sfn site.releases/" in run.stdout
    old, new = server.names()
    assert server.current() == new
    # Unchanged files are hard links to the previous release: only changes travel.
    css = [server.releases / name / "assets" / "kaoping.css" for name in (old, new)]
    assert css[0].stat().st_ino == css[1].stat().st_ino
    assert (server.releases / old / "index.html").read_text() == "<title>v1</title>\n"

    for n in (3, 4, 5):
        site = make_site(tmp_path, f"v{n}", f"a{n}" + "0" * 38, f"2026-01-0{n}T00:00:00Z")
        assert server.publish(site, f"a{n}" + "0" * 38).returncode == 0
    assert [name[-14:] for name in server.names()] == ["Z-a30000000000", "Z-a40000000000", "Z-a50000000000"]
    assert [marker(server.releases / name)["commit"][:2] for name in server.names()] == ["a3", "a4", "a5"]
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
    calls = server.log.read_text().splitlines()
    assert len(calls) >= 3 and all("-p 2222 " in c for c in calls), calls


@needs_rsync
@pytest.mark.parametrize(
    ("env", "words"),
    [
        (
            {"KAOPING_DEPLOY_HOST": "", "KAOPING_DEPLOY_SSH_KEY": ""},
            "缺少 CI 变量：KAOPING_DEPLOY_HOST KAOPING_DEPLOY_SSH_KEY。",
        ),
        ({"KAOPING_DEPLOY_PATH": "srv/site"}, "必须是绝对路径"),
        ({"KAOPING_DEPLOY_PATH": "/srv/my site"}, "只能由字母、数字"),
        ({"KAOPING_DEPLOY_PATH": "/srv/site/"}, "不能以 / 结尾"),
        ({"KAOPING_DEPLOY_PATH": "/srv/../etc"}, "不能含 . 或 .. 段"),
        ({"KAOPING_DEPLOY_HOST": "-oProxyCommand=x"}, "KAOPING_DEPLOY_HOST 应是主机名"),
        ({"KAOPING_DEPLOY_PORT": "22; rm"}, "KAOPING_DEPLOY_PORT 应是端口号"),
        ({"KAOPING_GZIP_ONLY": "true"}, "KAOPING_GZIP_ONLY 应是 是 或 否（只发布压缩文件），现在是「true」"),
    ],
    ids=["missing", "relative", "space", "slash", "dotdot", "host", "port", "gzip"],
)
def test_publish_script_refuses_bad_variables(server: Server, tmp_path: Path, env: dict[str, str], words: str) -> None:
    run = server.publish(make_site(tmp_path, "v1"), "c" * 40, **env)
    assert run.returncode == 1
    assert run.stderr.startswith("发布失败：") and words in run.stderr, run.stderr
    assert server.srv.is_dir() and not server.log.exists(), "变量有误时不应连接服务器"
    assert list(server.srv.iterdir()) == []


@needs_rsync
def test_publish_script_refuses_a_missing_site(server: Server, tmp_path: Path) -> None:
    run = server.publish(tmp_path / "nothing", "c" * 40)
    assert run.returncode == 1 and "先运行 make site" in run.stderr
    assert not server.log.exists()
    # A site without its build stamp (not made by kaoping build) cannot be ordered: not published either.
    site = make_site(tmp_path, "v1")
    (site / BUILD_STAMP).unlink()
    run = server.publish(site, "c" * 40)
    assert run.returncode == 1 and "没有生成记录 .kaoping-build.json" in run.stderr, run.stderr
    assert not server.log.exists()


@needs_rsync
def test_publish_script_leaves_a_plain_folder_alone(server: Server, tmp_path: Path) -> None:
    server.dest.mkdir()
    (server.dest / "index.html").write_text("旧网站")
    run = server.publish(make_site(tmp_path, "v1"), "d" * 40)
    assert run.returncode == 1
    assert "是普通目录" in run.stderr and "mv " in run.stderr
    assert list(digests(server.dest)) == ["index.html"]
    assert (server.dest / "index.html").read_text() == "旧网站"
    assert not server.releases.exists()


@needs_rsync
def test_publish_script_copy_broken_off(server: Server, tmp_path: Path) -> None:
    first = make_site(tmp_path, "v1")
    assert server.publish(first, "e1" + "0" * 38).returncode == 0
    before, names = digests(server.dest), server.names()
    assert before and names
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


# -- an older pipeline does not replace a newer site ------------------------------------------------------


def git(repo: Path, *args: str, when: str = "2026-01-01T00:00:00Z") -> str:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "CI",
        "GIT_AUTHOR_EMAIL": "ci@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": "CI",
        "GIT_COMMITTER_EMAIL": "ci@example.org",
        "GIT_COMMITTER_DATE": when,
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


@needs_rsync
def test_publish_script_refuses_an_older_commit_by_time(server: Server, tmp_path: Path) -> None:
    # The runner's clone has neither commit (a shallow checkout): the commit times are compared.
    newer = make_site(tmp_path, "newer", "b" * 40, "2026-04-02T00:00:00Z", "2026-04-02T00:05:00Z")
    assert server.publish(newer, "b" * 40).returncode == 0
    before, names = digests(server.dest), server.names()
    older = make_site(tmp_path, "older", "a" * 40, "2026-04-01T00:00:00Z", "2026-04-03T00:00:00Z")
    run = server.publish(older, "a" * 40)
    assert run.returncode == 1
    assert "git 无法判断两个提交的先后，比较的是提交时间" in run.stderr, run.stderr
    assert "发布失败：服务器上的网站比这次的新" in run.stderr
    assert digests(server.dest) == before and server.names() == names
    assert server.leftovers() == []


@needs_rsync
def test_publish_script_asks_git_which_commit_is_newer(server: Server, tmp_path: Path) -> None:
    # The checkout knows both commits: the later one wins even when its commit time is earlier
    # (a rebase or a wrong clock).
    repo = server.tmp
    git(repo, "init", "-q", "-b", "main")
    made = []
    for n, when in enumerate(["2026-04-05T00:00:00Z", "2026-04-04T00:00:00Z", "2026-04-03T00:00:00Z"]):
        (repo / "data.txt").write_text(str(n))
        git(repo, "add", "data.txt")
        git(repo, "commit", "-q", "-m", f"commit {n}", when=when)
        made.append(git(repo, "rev-parse", "HEAD"))
    first, second, third = made
    assert server.publish(make_site(tmp_path, "second", second, "2026-04-04T00:00:00Z"), second).returncode == 0
    before = digests(server.dest)
    run = server.publish(make_site(tmp_path, "first", first, "2026-04-05T00:00:00Z"), first)
    assert run.returncode == 1
    assert f"它是这次的提交 {first[:12]}（提交于 2026-04-05 00:00:00 UTC）之后的提交（由 git 确认）" in run.stderr, (
        run.stderr
    )
    assert digests(server.dest) == before
    run = server.publish(make_site(tmp_path, "third", third, "2026-04-03T00:00:00Z"), third)
    assert run.returncode == 0, run.stderr
    assert (
        f"这次的提交 {third[:12]}（提交于 2026-04-03 00:00:00 UTC）"
        f"在发布目录中网站的提交 {second[:12]} 之后（由 git 确认）"
        in run.stdout
    )
    assert marker(server.dest)["commit"] == third


@needs_rsync
def test_publish_script_over_a_release_without_a_marker(server: Server, tmp_path: Path) -> None:
    # A release published before markers existed: nothing to compare, the new site goes out with its marker.
    assert server.publish(make_site(tmp_path, "v1", "c" * 40, "2026-04-09T00:00:00Z"), "c" * 40).returncode == 0
    (server.dest / PUBLISHED_MARKER).unlink()
    run = server.publish(make_site(tmp_path, "v2", "d" * 40, "2026-04-01T00:00:00Z"), "d" * 40)
    assert run.returncode == 0, run.stderr
    assert "发布目录中的网站没有发布记录，无从比较" in run.stdout
    assert marker(server.dest)["commit"] == "d" * 40
