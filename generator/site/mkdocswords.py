"""MkDocs' own messages said the way kaoping says a problem: in Chinese, naming the file, with what to do.

MkDocs logs what it finds wrong (a page the navigation names that is not there, a link to a missing file or
image, a page that is not UTF-8, a setting of ``mkdocs.yml`` it cannot take) on its ``mkdocs`` logger, in
English, and in strict mode (``kaoping build``) stops with "Aborted with N warnings in strict mode!", which
names nothing. :func:`collected` keeps those records while MkDocs runs; :func:`failure_words` makes the
build's message of them, and :func:`warning_lines` the lines a build that did not stop prints. A message
kaoping does not know is passed on as MkDocs wrote it, said to be MkDocs'.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from generator.data.characters import terminal_text
from generator.site.cache import CONFIG_FILE

#: At most this many of MkDocs' messages in one failure (the rest are counted).
SHOWN = 10


class _Kept(logging.Handler):
    """MkDocs' warnings and errors while this thread builds, kept in order: not those of another thread (the
    preview's server logs each request that did not succeed, a client's path in it, while a rebuild runs)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and not record.name.startswith("mkdocs.livereload"):
            self.records.append(record)


@contextmanager
def collected() -> Iterator[list[logging.LogRecord]]:
    """The warnings and errors MkDocs logs meanwhile."""
    logger = logging.getLogger("mkdocs")
    kept = _Kept()
    logger.addHandler(kept)
    try:
        yield kept.records
    finally:
        logger.removeHandler(kept)


def _link(m: re.Match[str]) -> str:
    target = f"（docs/{m['target']}）" if m["target"] else ""
    mean = f"（是不是 {m['mean']}？）" if m["mean"] else ""
    return (
        f"docs/{m['page']} 中的链接或图片 {m['link']} 指向的文件{target}不存在{mean}："
        "改正链接，或把文件放进 docs/ 中相应的位置"
    )


def _unreadable(m: re.Match[str]) -> str:
    if "codec can't decode" in m["why"]:
        return _ENCODING.format(page=m["page"])
    return f"docs/{m['page']} 读不出来（MkDocs 的原话：{m['why'].strip()}）"


def _setting(m: re.Match[str]) -> str:
    plugin = re.match(r'The "(?P<name>.+?)" plugin is not installed', m["why"])
    if plugin is not None:
        return f"{CONFIG_FILE} 的 {m['key']} 中有没有安装的插件 {plugin['name']}：检查拼写，或删除这一项"
    if m["why"].startswith("Unrecognised configuration name"):
        return f"{CONFIG_FILE} 中的 {m['key']} 不是 MkDocs 认识的设置名称：检查拼写（对照项目自带的 mkdocs.yml）"
    return f"{CONFIG_FILE} 中 {m['key']} 的设置有错误（MkDocs 的原话：{m['why'].strip()}）"


_ENCODING = "docs/{page} 不是 UTF-8 编码：用记事本或 VS Code 打开，另存为 UTF-8 编码后重新生成"


def _parse(m: re.Match[str]) -> str:
    detail = m["detail"]
    if "unacceptable character" in detail or "special characters are not allowed" in detail:
        return f"{CONFIG_FILE} 不是 UTF-8 编码：用记事本或 VS Code 打开，另存为 UTF-8 编码后重新生成"
    # The first place is where the part in error starts (an unclosed quote's), the last where it was noticed.
    places = re.findall(r"line (\d+), column (\d+)", detail)
    where = f"第 {places[0][0]} 行第 {places[0][1]} 列" if places else ""
    if len(places) > 1 and places[-1] != places[0]:
        where += f"起（到第 {places[-1][0]} 行第 {places[-1][1]} 列）"
    where += "附近" if places else ""
    return (
        f"{CONFIG_FILE} {where}的写法不是正确的 YAML（常见的原因：用了 Tab 缩进、缩进没有对齐、引号没有配对）："
        "对照项目自带的 mkdocs.yml 改正"
    )


_SAID: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"A reference to '(?P<x>.+?)' is included in the 'nav' configuration, which is not found in "
            r"the documentation files\."
        ),
        lambda m: f"{CONFIG_FILE} 的导航（nav）中写了 {m['x']}，docs/ 中没有这个文件：改正文件名，或把文件放进 docs/",
    ),
    (
        re.compile(
            r"Doc file '(?P<page>.+?)' contains a link '(?P<link>.+?)', but the target(?: '(?P<target>.+?)')? "
            r"is not found among documentation files\.(?: Did you mean '(?P<mean>.+?)'\?)?",
            re.DOTALL,
        ),
        _link,
    ),
    (
        re.compile(
            r"Doc file '(?P<page>.+?)' contains an unrecognized relative link '(?P<link>.+?)', it was left "
            r"as is\.(?: Did you mean '(?P<mean>.+?)'\?)?",
            re.DOTALL,
        ),
        lambda m: (
            f"docs/{m['page']} 中的链接 {m['link']} 指向的不是一个文件（少了扩展名，例如 .md）：改正链接"
            + (f"（是不是 {m['mean']}？）" if m["mean"] else "")
        ),
    ),
    (
        re.compile(
            r"Doc file '(?P<page>.+?)' contains an absolute link '(?P<link>.+?)', it was left as is\.", re.DOTALL
        ),
        lambda m: f"docs/{m['page']} 中的链接 {m['link']} 以 / 开头：网站不在服务器的根目录时它会失效，改成相对的链接",
    ),
    (
        re.compile(
            r"Doc file '(?P<page>.+?)' contains a link to '(?P<target>.+?)' which is excluded from the built "
            r"site\.",
            re.DOTALL,
        ),
        lambda m: f"docs/{m['page']} 链接到不发布的 {m['target']}：删除这个链接，或不再排除那个文件（exclude_docs）",
    ),
    (re.compile(r"Encoding error reading file: (?P<page>.+)"), lambda m: _ENCODING.format(page=m["page"])),
    (re.compile(r"Error reading page '(?P<page>.+?)': (?P<why>.*)", re.DOTALL), _unreadable),
    (re.compile(r"Config value '(?P<key>.+?)': (?P<why>.+)", re.DOTALL), _setting),
    (re.compile(r"MkDocs encountered an error parsing the configuration file: (?P<detail>.*)", re.DOTALL), _parse),
]


def words(text: str) -> str:
    """One of MkDocs' messages in kaoping's words (as MkDocs wrote it, said to be MkDocs', when not known)."""
    text = terminal_text(text.strip())
    for pattern, say in _SAID:
        m = pattern.match(text)
        if m is not None:
            return say(m)
    return f"MkDocs 的提示（原文）：{text}"


#: How MkDocs ends a build it stopped for the warnings or errors it logged (said by them, not by this).
_ABORTED = re.compile(r"Aborted with \d+ warnings? in strict mode|Aborted with (?:a|\d+) configuration", re.I)


def _lines(records: Iterable[logging.LogRecord]) -> list[str]:
    out: list[str] = []
    for record in records:
        try:
            said = words(record.getMessage())
        except Exception:  # noqa: BLE001 - a record whose arguments do not format: said as it came
            said = f"MkDocs 的提示（原文）：{record.msg}"
        if said not in out:
            out.append(said)
    return out


def failure_words(stopped: str, records: Iterable[logging.LogRecord], strict: bool, title: str = "") -> str:
    """Why MkDocs stopped (``title``, by default that it did not build the site): its messages in kaoping's
    words (the first ten), else the exception's ``stopped``."""
    title = title or "MkDocs 生成网站失败"
    lines = _lines(records)
    # The error it stopped with, beside warnings that did not stop it (but not a page's decoding error again).
    decoding = stopped.startswith("UnicodeDecodeError") and any("UTF-8 编码" in line for line in lines)
    if stopped and not _ABORTED.search(stopped) and not decoding and words(stopped) not in lines:
        lines.append(words(stopped))
    if not lines:
        return f"{title}：{words(stopped) if stopped else '没有说明原因'}"
    if len(lines) == 1:
        return f"{title}：{lines[0]}" + _strict_note(stopped, strict)
    more = f"\n  （另有 {len(lines) - SHOWN} 条）" if len(lines) > SHOWN else ""
    said = f"{title}：\n" + "\n".join(f"  - {line}" for line in lines[:SHOWN]) + more
    return said + _strict_note(stopped, strict)


def _strict_note(stopped: str, strict: bool) -> str:
    if strict and "strict" in stopped:
        return "\n  kaoping build 把 MkDocs 的警告当作错误；改正后重新生成（确实要忽略时用 --no-strict）"
    return ""


def warning_lines(records: Iterable[logging.LogRecord]) -> list[str]:
    """What a build that went on prints of MkDocs' warnings."""
    return [f"MkDocs 的警告：{line}" for line in _lines(records)]
