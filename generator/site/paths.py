"""Where every generated page and file lives in ``docs/``, and the relative links between them.

Generated pages go to ``docs/assessments/`` (git-ignored), so the same ``docs/`` builds with MkDocs,
ProperDocs or Zensical. The site uses ``use_directory_urls: false``: ``a/b.md`` is served as ``a/b.html``,
which works from any web server and from a folder opened in a browser.
"""

from __future__ import annotations

import functools
import posixpath

#: The folder inside ``docs/`` that holds every generated page (git-ignored).
GENERATED = "assessments"
#: Generated fragments included into hand-written pages (not pages themselves).
PARTIALS = f"{GENERATED}/_partials"
HOME_PARTIAL = f"{PARTIALS}/home.md"


def assessment_index() -> str:
    return f"{GENERATED}/index.md"


def page(aid: str, kind: str) -> str:
    """``kind`` is one of ``index``, ``standards``, ``results``, ``notice``."""
    return f"{GENERATED}/{aid}/{kind}.md"


def unit_page(aid: str, uid: str) -> str:
    return f"{GENERATED}/{aid}/units/{uid}.md"


def unit_json(aid: str, uid: str) -> str:
    return f"{GENERATED}/{aid}/units/{uid}.json"


def download(aid: str, name: str) -> str:
    return f"{GENERATED}/{aid}/downloads/{name}"


def downloads(aid: str) -> tuple[str, str, str]:
    """An assessment's download files: the results as CSV and as XLSX, and the full JSON."""
    return download(aid, f"{aid}-results.csv"), download(aid, f"{aid}-results.xlsx"), download(aid, f"{aid}.json")


def html_path(path: str) -> str:
    return path[:-3] + ".html" if path.endswith(".md") else path


def link(from_page: str, to: str, anchor: str = "") -> str:
    """A relative URL from the page ``from_page`` (a docs path) to ``to`` (a docs path)."""
    folder, name = posixpath.split(html_path(to))
    way = _folder_link(posixpath.dirname(html_path(from_page)) or ".", folder or ".")
    url = name if way == "." else f"{way}/{name}"
    return url + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=4096)
def _folder_link(source: str, target: str) -> str:
    # A site links thousands of pages in a few folders: the folders' relative path is worked out once.
    return posixpath.relpath(target, source)


def node_anchor(node_id: str) -> str:
    """The anchor of an indicator on the standards page (ids may hold dots)."""
    return "n-" + node_id.replace(".", "-")
