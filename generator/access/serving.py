"""How nginx serves the built files: pre-compressed copies, cache headers, the CSV downloads' type.

The same lines go into the ``server { }`` that ``kaoping build --access`` writes and into the one the README
shows for a public site (``server_lines``). They need nothing beyond Debian's ``nginx-light``, except for a
copy published with ``kaoping publish --gzip-only`` (``gunzip``: ``nginx -V`` lists ``--with-http_gunzip_module``):

- ``gzip_static``: the build writes ``page.html.gz`` beside ``page.html`` (:mod:`generator.site.compress`);
  nginx sends it to browsers that accept gzip. Small files without a ``.gz`` are compressed on the fly.
- Material's scripts and styles carry a hash of their content in their names (``main.57a0d79d.min.css``): a
  browser may keep them a year. Everything else is checked with the server on every visit (``no-cache``),
  so a new build shows at once. A location that sets its own headers (a unit's page: ``private, no-store``)
  keeps them: nginx does not inherit ``add_header`` into a location that has its own.
- CSV files are ``text/csv; charset=utf-8`` (Debian's ``mime.types`` has no CSV: it would be a download of
  type ``application/octet-stream``, and some browsers would guess the encoding).
"""

from __future__ import annotations

#: Types compressed on the fly when a file has no ``.gz`` (text/html always is).
GZIP_TYPES = "text/css text/plain text/xml text/csv application/javascript application/json image/svg+xml"
#: File names of Material's assets that hold a hash of their content.
HASHED_ASSETS = r"^/assets/.+\.[0-9a-f]{8}\.min\.(?:css|js)(?:\.map)?$"
IMMUTABLE = 'add_header Cache-Control "public, max-age=31536000, immutable";'
REVALIDATE = 'add_header Cache-Control "no-cache";'
CHARSET_TYPES = "text/css text/plain text/xml text/csv application/javascript application/json"


def compression_lines(gzip_only: bool = False) -> list[str]:
    """``gzip_only``: for a copy published with ``kaoping publish --gzip-only``, where most text files exist
    only as ``.gz``: always sent, and decompressed for a client that does not accept gzip (``gunzip``: Debian's
    ``nginx`` has it, and ``nginx -V`` lists ``--with-http_gunzip_module``)."""
    static = (
        [
            "# 发布目录中的文本文件只有压缩好的 .gz（kaoping publish --gzip-only）：总是发送 .gz，",
            "# 不接受 gzip 的客户端由 nginx 解压后发送（要有 gunzip 模块：nginx -V 列出 with-http_gunzip_module）。",
            "gzip_static always;",
            "gunzip on;",
        ]
        if gzip_only
        else [
            "# 生成时已压缩好的文件（.gz）：浏览器接受 gzip 时直接发送；其余文本文件即时压缩。",
            "gzip_static on;",
        ]
    )
    return [
        *static,
        "gzip on;",
        "gzip_vary on;",
        f"gzip_types {GZIP_TYPES};",
    ]


def csv_type_lines(*inner: str) -> list[str]:
    """A location for ``.csv`` files that serves them as UTF-8 CSV; ``inner`` lines go inside it too."""
    return [
        r"location ~* \.csv$ {",
        "    types { }",
        "    default_type text/csv;",
        *(f"    {line}" for line in inner),
        "}",
    ]


def cache_lines() -> list[str]:
    return [
        "# 文件名中带内容散列的脚本和样式（Material 的 main.<散列>.min.css 等）：浏览器可缓存一年；",
        "# 其他文件每次向服务器确认是否更新（没有更新时只回复 304），新生成的网站立即可见。",
        REVALIDATE,
        f'location ~* "{HASHED_ASSETS}" {{',
        f"    {IMMUTABLE}",
        "}",
    ]


def server_lines(gzip_only: bool = False) -> list[str]:
    """Compression, cache headers and the CSV type, for a ``server { }`` (after ``charset utf-8;``)."""
    return [
        *compression_lines(gzip_only),
        "",
        *cache_lines(),
        "",
        "# CSV（下载的考核结果）：text/csv，UTF-8。",
        *csv_type_lines(),
    ]


def public_server(root: str, listen: str = "80", server_name: str = "_", gzip_only: bool = False) -> str:
    """A whole ``server { }`` for a public site (no accounts): the README's example, and the one the
    Lighthouse measurement serves the bundled site with; ``gzip_only`` for a copy published so."""
    lines = [
        f"listen {listen};",
        f"server_name {server_name};",
        f'root "{root}";',
        "index index.html;",
        "autoindex off;",
        "server_tokens off;",
        "charset utf-8;",
        f"charset_types {CHARSET_TYPES};",
        "disable_symlinks on from=$document_root;",
        "",
        *server_lines(gzip_only),
    ]
    return "server {\n" + "".join(f"    {line}\n" if line else "\n" for line in lines) + "}\n"
