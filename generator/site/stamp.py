"""What a site was built from, and which of two sites is the newer: so that an older site never replaces a
newer one on the web server (CI pipelines can publish out of order).

Two small JSON files, UTF-8, one object each:

- ``site/.kaoping-build.json``, written by ``kaoping build`` (:data:`BUILD_STAMP`)::

      {"commit": "<40 hex digits>", "commit_time": "2026-11-20T08:30:15Z", "built_at": "2026-11-20T08:31:02Z",
       "access": "none"}

  ``commit`` is ``git rev-parse HEAD`` of the project and ``commit_time`` its committer date, both
  ``null`` when the project is not in a git repository (or git is not installed); ``built_at`` is when
  the build ran. Times are UTC. ``access``: ``none``, or for a site built with ``--access`` how its nginx
  configuration serves it (``plain``, ``gzip-only``: :mod:`generator.office.publishgzip`).
- ``.kaoping-published`` at the top of every published folder (:data:`PUBLISHED_MARKER`): each release
  made by ``kaoping publish`` or by ``scripts/ci_publish.sh``, and a plain folder ``kaoping publish``
  replaced. The build's first three fields, plus ``published_at``, ``published_by`` (``kaoping publish`` or
  ``ci``) and ``gzip_only`` (``kaoping publish --gzip-only``). The access settings (``kaoping build
  --access``) accept as the site root only a folder that holds this file.

:func:`order` decides whether a site may replace the published one. It is newer when its commit is a
descendant of the published one; when git cannot tell (the commit is unknown to this clone, or the two
are on different branches), the commit times are compared; when either site has no commit, the build
times. The words it returns say which was compared.

Standard library only: ``scripts/ci_publish.sh`` runs this file with the CI runner's ``python3``, where
kaoping is not installed (``python3 generator/site/stamp.py check …``, see :func:`main`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BUILD_STAMP = ".kaoping-build.json"
PUBLISHED_MARKER = ".kaoping-published"
_GIT_TIMEOUT = 30


class StampError(Exception):
    """A stamp or marker file that exists but cannot be read; the message says which and why.

    ``kind`` says what is wrong: ``unreadable`` (a link, no permission), ``not_regular`` (a folder, a FIFO,
    a device) or ``corrupt`` (not a JSON object).
    """

    def __init__(self, message: str, kind: str = "corrupt") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Stamp:
    commit: str | None
    commit_time: datetime.datetime | None
    built_at: datetime.datetime | None

    @property
    def known(self) -> bool:
        return bool(self.commit or self.built_at)


@dataclass(frozen=True)
class Verdict:
    """Whether the new site may replace the published one, and what was compared, in words."""

    newer: bool
    words: str


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _text(moment: datetime.datetime | None) -> str | None:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _time(value: Any, field: str, path: Path) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise StampError(f"{path} 中的 {field} 不是时间：{value}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    """Run git in ``repo``. The repository is trusted by name (``safe.directory``): CI containers check it
    out as another user, and git would otherwise refuse to read it."""
    real = os.path.realpath(repo)
    try:
        return subprocess.run(
            ["git", "-c", f"safe.directory={real}", "-C", real, *args],
            capture_output=True, text=True, timeout=_GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def head_commit(repo: Path) -> tuple[str, datetime.datetime] | None:
    """The commit ``repo`` is at and its committer date; None outside git."""
    done = _git(repo, "log", "-1", "--format=%H %ct", "HEAD")
    if done is None or done.returncode != 0:
        return None
    parts = done.stdout.split()
    if len(parts) != 2 or len(parts[0]) != 40:
        return None
    return parts[0], datetime.datetime.fromtimestamp(int(parts[1]), datetime.UTC)


def build_stamp(root: Path, access: str = "none") -> dict[str, str | None]:
    """The build's stamp; ``access``: ``none``, or how a site built with ``--access`` is served (``plain`` or
    ``gzip-only``, see :mod:`generator.office.publishgzip`)."""
    head = head_commit(root)
    return {
        "commit": head[0] if head else None,
        "commit_time": _text(head[1]) if head else None,
        "built_at": _text(now()),
        "access": access,
    }


def marker(stamp: Mapping[str, Any], published_by: str, gzip_only: bool = False) -> dict[str, Any]:
    """The published folder's marker: the build's fields, when and by what it was published, and whether its
    text files are compressed only (``kaoping publish --gzip-only``)."""
    return {
        "commit": stamp.get("commit"),
        "commit_time": stamp.get("commit_time"),
        "built_at": stamp.get("built_at"),
        "published_at": _text(now()),
        "published_by": published_by,
        "gzip_only": gzip_only,
    }


def content_digest(path: Path) -> str | None:
    """The SHA-256 of what in a build stamp belongs to the site's content: the commit it was built from and how
    it is served, not when it was built (the same site built again is the same release, but a site built from
    another commit is not: the release's marker must name its commit); None when the stamp cannot be read."""
    try:
        data = read_raw(path)
    except StampError:
        return None
    if data is None:
        return None
    fields = {k: data.get(k) for k in ("commit", "commit_time", "access")}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def published_gzip_only(folder: Path) -> bool:
    """``folder`` holds a site published with ``kaoping publish --gzip-only`` (its marker says so); False when
    it does not, or cannot be told."""
    try:
        record = read_raw(folder / PUBLISHED_MARKER)
    except (StampError, OSError):
        return False
    return bool(record and record.get("gzip_only") is True)


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """A new file (never an existing one), readable by the web server."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with open(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
        os.fchmod(out.fileno(), 0o644)


def read_raw(path: Path) -> dict[str, Any] | None:
    """A stamp or marker as written; None when there is none. Only a regular file is read (a link, a FIFO
    or a device in its place is an error, never followed or waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StampError(f"无法读取 {path}（{exc.strerror or exc}；它应当是一个普通文件）", "unreadable") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StampError(f"{path} 不是普通文件", "not_regular")
    try:
        with open(fd, "rb") as handle:
            data = json.loads(handle.read(65536).decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise StampError(f"无法读取 {path}（{exc}）") from exc
    if not isinstance(data, dict):
        raise StampError(f"{path} 的内容不是一个 JSON 对象")
    return data


def read(path: Path) -> Stamp | None:
    data = read_raw(path)
    if data is None:
        return None
    commit = data.get("commit")
    well_formed = isinstance(commit, str) and len(commit) == 40 and all(c in "0123456789abcdef" for c in commit)
    if commit is not None and not well_formed:
        raise StampError(f"{path} 中的 commit 不是 40 位的提交号：{commit}")
    return Stamp(
        commit, _time(data.get("commit_time"), "commit_time", path), _time(data.get("built_at"), "built_at", path)
    )


def _is_ancestor(repo: Path | None, older: str, newer: str) -> bool | None:
    if repo is None:
        return None
    done = _git(repo, "merge-base", "--is-ancestor", older, newer)
    if done is None or done.returncode not in (0, 1):
        return None  # not a repository, or a commit this clone does not have
    return done.returncode == 0


def _shown(moment: datetime.datetime | None) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "时间不详"


def _commit(stamp: Stamp) -> str:
    return f"提交 {stamp.commit[:12]}（提交于 {_shown(stamp.commit_time)}）" if stamp.commit else "没有记下提交"


def order(new: Stamp | None, published: Stamp | None, repo: Path | None) -> Verdict:
    """Whether ``new`` may replace ``published`` (the marker of the folder it replaces)."""
    if published is None or not published.known:
        return Verdict(True, "发布目录中的网站没有发布记录，无从比较")
    if new is None or not new.known:
        return Verdict(
            False,
            f"这次的网站没有生成记录（{BUILD_STAMP}，不是由 kaoping build 生成的），"
            f"而发布目录中的网站由{_commit(published)}、"
            f"生成于 {_shown(published.built_at)}：无法确认这次的网站不比它旧",
        )
    if new.commit and published.commit:
        if new.commit == published.commit:
            return Verdict(True, f"两者由同一个提交 {new.commit[:12]} 生成")
        if _is_ancestor(repo, new.commit, published.commit):
            return Verdict(
                False, f"发布目录中的网站由{_commit(published)}生成，它是这次的{_commit(new)}之后的提交（由 git 确认）"
            )
        if _is_ancestor(repo, published.commit, new.commit):
            return Verdict(
                True, f"这次的{_commit(new)}在发布目录中网站的提交 {published.commit[:12]} 之后（由 git 确认）"
            )
        if new.commit_time and published.commit_time:
            words = (
                f"git 无法判断两个提交的先后，"
                f"比较的是提交时间：发布目录中的网站由{_commit(published)}生成，这次的是{_commit(new)}"
            )
            return Verdict(new.commit_time >= published.commit_time, words)
    if new.built_at and published.built_at:
        words = (
            f"比较的是生成时间（两者没有都记下提交和提交时间）：发布目录中的网站生成于 {_shown(published.built_at)}，"
            f"这次的生成于 {_shown(new.built_at)}"
        )
        return Verdict(new.built_at >= published.built_at, words)
    return Verdict(True, "两者的记录无从比较")


def main(argv: Sequence[str]) -> int:
    """For ``scripts/ci_publish.sh``:

    - ``stamp.py check SITE_STAMP [PUBLISHED_MARKER]``: exit 0 when the site may replace the published one
      (what was compared on standard output), 1 when it is older (why on standard error), 2 when a stamp
      or the marker cannot be read;
    - ``stamp.py marker SITE_STAMP OUT [--gzip-only]``: write the marker of a CI release to OUT (``--gzip-only``:
      the release holds the compressed copy, :mod:`generator.office.sitecopy`).

    Git questions are asked of the repository in the current folder (the CI checkout).
    """
    try:
        if len(argv) in (2, 3) and argv[0] == "check":
            new = read(Path(argv[1]))
            if new is None:
                print(f"网站中没有生成记录 {argv[1]}。先运行 make site（kaoping build）生成网站", file=sys.stderr)
                return 2
            published = read(Path(argv[2])) if len(argv) == 3 and argv[2] else None
            verdict = order(new, published, Path.cwd())
            print(verdict.words, file=sys.stdout if verdict.newer else sys.stderr)
            return 0 if verdict.newer else 1
        if len(argv) in (3, 4) and argv[0] == "marker" and list(argv[3:]) in ([], ["--gzip-only"]):
            stamp = read_raw(Path(argv[1]))
            if stamp is None:
                print(f"网站中没有生成记录 {argv[1]}", file=sys.stderr)
                return 2
            write_json(Path(argv[2]), marker(stamp, "ci", gzip_only=list(argv[3:]) == ["--gzip-only"]))
            return 0
    except StampError as exc:
        print(exc, file=sys.stderr)
        return 2
    print("用法：stamp.py check 生成记录 [发布记录] | stamp.py marker 生成记录 输出文件 [--gzip-only]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
