"""What the preview says to the clerk: in the browser, why its last rebuild failed (the page shown is the last
good one, or there is none); in the terminal, where to open it and why its address cannot be taken."""

from __future__ import annotations

import errno
import html
import socket

#: The notice over a page while the last rebuild failed (inline style: the page's own may be missing).
_NOTICE = (
    '<div role="alert" lang="zh" style="margin:0;padding:.8em 1.2em;background:#fff3e0;color:#3e2723;'
    'border-bottom:4px solid #bf360c;font:15px/1.6 sans-serif;white-space:pre-wrap;position:relative;z-index:10">'
    "<strong>{title}</strong>\n{words}</div>"
)
_STALE = "最近一次保存后没有生成成功，这里显示的是上一次成功生成的结果。改正后保存，页面会自动更新："
#: The titles of a page of the notice alone: no preview yet; none of this page; this page's own failure.
NONE = "预览没有生成成功，还没有可以显示的页面。改正后保存，页面会自动更新："
MISSING = "上一次成功生成的结果中没有这个页面，最近一次保存后又没有生成成功。改正后保存，页面会自动更新："
PAGE = "这个页面没有生成成功。改正后保存，页面会自动更新："
#: How many errors the notice lists (the terminal has them all).
SHOWN = 10
_PAGE = (
    '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>预览没有生成成功</title></head>'
    "<body>{notice}</body></html>\n"
)


def notice(words: str, title: str = _STALE) -> bytes:
    """The notice: what the terminal said (file, line and column of each error), escaped."""
    return _NOTICE.format(title=title, words=html.escape(words)).encode("utf-8")


def errors_words(errors: list[str]) -> str:
    """The first :data:`SHOWN` errors, and how many there are in all."""
    more = f"\n……共 {len(errors)} 个错误，全部写在运行 kaoping serve 的窗口中" if len(errors) > SHOWN else ""
    return "\n".join(errors[:SHOWN]) + more


def with_notice(content: bytes, words: str) -> bytes:
    """``content`` (a page) with the notice at the top of its body."""
    start = content.find(b"<body")
    end = content.find(b">", start) + 1 if start >= 0 else 0
    return content[:end] + notice(words) + content[end:]


def notice_page(words: str, title: str) -> bytes:
    """A page of the notice alone (``title``: :data:`NONE`, :data:`MISSING` or :data:`PAGE`)."""
    return _PAGE.format(notice=notice(words, title).decode("utf-8")).encode("utf-8")


def preview_url(host: str, port: int) -> str:
    """The address a browser opens: an IPv6 address in brackets."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def address_words(exc: BaseException, host: str, port: int) -> str:
    """Why the preview cannot listen on ``host:port``, and what to do."""
    number = getattr(exc, "errno", None)
    if number == errno.EADDRINUSE:
        return (
            f"端口 {port} 已被占用（可能另一个 kaoping serve 或别的程序正在用它）："
            f"关掉它，或用 --port 换一个端口，例如 --port {port + 1 if port < 65535 else 8001}。"
        )
    if number in (errno.EACCES, errno.EPERM):
        return (
            f"没有权限使用端口 {port}（1024 以下的端口要管理员权限）：用 --port 换一个 1024 以上的端口，"
            "例如 --port 8000。"
        )
    if number == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return (
            f"本机没有地址 {host}：用 --host 127.0.0.1（只有本机能看），或 --host 0.0.0.0（局域网中的电脑都能看），"
            "或本机网卡的某个地址。"
        )
    if isinstance(exc, OverflowError):
        return f"端口 {port} 不能用：端口是 1～65535 之间的整数，例如 --port 8000。"
    return f"不能在 {host}:{port} 上预览：{getattr(exc, 'strerror', None) or exc}。检查 --host 和 --port。"
