"""Each unit sees its own page: the access mode of ``kaoping build --access 账号文件``.

For an intranet where units must not read each other's breakdowns. From the units' accounts file, which is
never published (``access/accounts.csv`` by default, a git-ignored folder), the build also writes, into the
folder ``nginx/`` beside that file:

- ``kaoping.conf``, for nginx's ``http { }`` (``conf.d/``): the access maps and a whole ``server { }``;
- ``kaoping-http.conf`` and ``kaoping-server.conf``, the same split in two, for a ``server { }`` the office
  already has (HTTPS): the maps go into ``http { }``, the root and the locations into that server;
- ``htpasswd``: every account with its password as SHA-512-crypt (``$6$``), which nginx's ``auth_basic``
  checks with the system's crypt(3) (:mod:`generator.access.passwords`). A password that did not change keeps its
  hash, so rebuilding the same accounts rewrites nothing.

The configuration's ``root`` (the site root) must be a folder ``kaoping publish`` made, outside the project
(:mod:`generator.access.site_root`): nothing is written until it, the accounts and the passwords are all accepted.

Who reads what is decided in one place, :func:`page_access`, for nginx and for the search index alike:
a unit's page and its JSON go to that unit's accounts (in every assessment whose registry has the code) and
the office; the rest of ``units/`` and the bulk downloads go to the office only; the results page is public
when the rubric's ``results_public`` is true, else the office's; everything else is public.

One ``map`` lookup on ``账号:考核/单位`` decides a unit page, whatever the number of units. nginx checks the
password in its access phase, before the map's answer is used by ``try_files`` (precontent phase): a wrong or
missing password is always 401, the right password on another unit's page 403.

Nothing public may hold a restricted page's content: unit pages and restricted results pages are taken out of
the search index and the sitemap (unit pages are simply not searchable in this mode). The other public pages
hold no unit's breakdown: the home page, overview and list of years show counts per grade, and the notice
lists names by grade (with scores when the notice says so), as the published notice does.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import urllib.parse
from pathlib import Path
from typing import Literal

from generator.data.pipeline import Prepared
from generator.site import paths

Access = Literal["public", "unit", "office"]


# --------------------------------------------------------------------------------------------
# The rules: who may read a path of the site
# --------------------------------------------------------------------------------------------

G = re.escape(paths.GENERATED)
UNIT_FILE = re.compile(rf"^{G}/(?P<aid>[^/]+)/units/(?P<uid>[^/]+)\.(?:html|json|xlsx)$")
OFFICE_FOLDER = re.compile(rf"^{G}/[^/]+/(?:units|downloads|office)/")


def results_path(aid: str) -> str:
    return paths.html_path(paths.page(aid, "results"))


def private_results(prepared: Prepared) -> set[str]:
    """The assessments whose results page only the office may read."""
    return {aid for aid, o in prepared.outcomes.items() if not o.rubric.results_public}


def page_access(path: str, private: set[str]) -> Access:
    """Who may read ``path`` (relative to the site's root, no leading slash): everyone, a unit, the office."""
    if UNIT_FILE.match(path):
        return "unit"
    if OFFICE_FOLDER.match(path) or any(path in (results_path(aid), results_path(aid) + ".gz") for aid in private):
        return "office"
    return "public"


def url_access(url: str, private: set[str]) -> Access:
    """The same for a URL (a sitemap's ``<loc>``), under whatever folder the site is served from."""
    parts = urllib.parse.unquote(urllib.parse.urlsplit(url).path).split("/")
    found: Access = "public"
    for start in range(len(parts)):
        kind = page_access("/".join(parts[start:]), private)
        if kind != "public":
            found = kind
    return found


def filter_search_index(site_dir: Path, private: set[str]) -> int:
    """Take every restricted page out of MkDocs' search index; returns how many entries went."""
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return 0
    index = json.loads(path.read_text(encoding="utf-8"))
    kept = [d for d in index["docs"] if page_access(str(d.get("location", "")).split("#", 1)[0], private) == "public"]
    removed = len(index["docs"]) - len(kept)
    if removed:
        index["docs"] = kept
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return removed


_SITEMAP_URL = re.compile(r"[ \t]*<url>(?P<body>.*?)</url>[ \t]*\n?", re.DOTALL)
_LOC = re.compile(r"<loc>(?P<url>[^<]*)</loc>")


def filter_sitemap(site_dir: Path, private: set[str]) -> int:
    """Take every restricted page out of ``sitemap.xml`` and ``sitemap.xml.gz`` (same gzip date as MkDocs')."""
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return 0
    removed = 0

    def keep(m: re.Match[str]) -> str:
        nonlocal removed
        loc = _LOC.search(m["body"])
        url = loc["url"].replace("&amp;", "&") if loc else ""
        if url_access(url, private) == "public":
            return m.group(0)
        removed += 1
        return ""

    text = _SITEMAP_URL.sub(keep, path.read_text(encoding="utf-8"))
    if removed:
        path.write_text(text, encoding="utf-8")
        gz = site_dir / "sitemap.xml.gz"
        if gz.is_file():
            mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
            raw = io.BytesIO()
            with gzip.GzipFile(fileobj=raw, filename=str(gz), mode="wb", mtime=mtime) as out:
                out.write(text.encode("utf-8"))
            gz.write_bytes(raw.getvalue())
    return removed
