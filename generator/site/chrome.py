"""MkDocs in the build: the navigation, the run itself, and its output kept while nothing it reads changes.

MkDocs lays out every page except the units' (and one unit page per assessment, the shell of
:mod:`generator.site.assemble`). The big generated tables sit in verbatim blocks that MkDocs never
parses (:mod:`generator.site.mkdocs_hooks`): the build runs MkDocs with the blocks left as placeholders
and puts them back itself (:func:`splice`). So MkDocs' output depends only on what is outside the blocks:
the configuration, the theme, the hand-written pages, the navigation and the generated pages' headers.
Its output is kept in ``.kaoping-cache/mkdocs/`` under a key of all these, and a build whose key is the
same takes it from there instead of running MkDocs: a changed score changes a table, not the layout.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.data.pipeline import Prepared
from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome
from generator.site import paths, views
from generator.site.assemble import exclude_patterns
from generator.site.cache import CACHE_DIR, CONFIG_FILE, SOURCES, digest, files_under, link_or_copy, tree_digest
from generator.site.mkdocs_hooks import DEFER_VERBATIM, PLACEHOLDER, split_verbatim
from generator.site.mkdocswords import collected, failure_words, warning_lines
from generator.site.render import escape_text
from generator.site.yearpaths import office_page

#: The kept MkDocs output, and the file with the key it was made from and what was kept.
KEPT = "mkdocs"
KEY_FILE = ".key"
_SNIPPET = re.compile(r"^\s*-{1,}8<-{1,}\s+([\"'])(.+?)\1\s*$")


class MkDocsFailed(Exception):
    """MkDocs stopped; the message says why, in Chinese."""


def build_date(prepared: Prepared) -> int:
    """A timestamp that depends only on the data, so that rebuilding the same data is byte-identical."""
    days = [datetime.date(o.rubric.year, 12, 31) for o in prepared.outcomes.values()]
    days += [n.date for n in prepared.project.notices.values()]
    day = max(days) if days else datetime.date(2000, 1, 1)
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp())


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def navigation(
    outcomes: dict[str, AssessmentOutcome],
    notices: dict[str, Any],
    base_nav: list[Any] | None,
    standards_only: list[Rubric] | None = None,
) -> list[Any]:
    """The site's navigation: the home page, the newest assessment, then the other years, then hand-written pages."""

    def section(o: AssessmentOutcome) -> dict[str, list[dict[str, str]]]:
        r = o.rubric
        pages = [
            {"概况": paths.page(r.id, "index")},
            {"考核标准": paths.page(r.id, "standards")},
            {"考核结果": paths.page(r.id, "results")},
        ]
        if r.id in notices:
            pages.append({"考核通报": paths.page(r.id, "notice")})
        if o.year is not None:
            pages.append({"全年工作（考核办公室）": office_page(r.id)})
        # MkDocs themes write navigation titles into the HTML unescaped: the rubric's title is data.
        return {f"{r.year}年度 · {escape_text(r.title)}": pages}

    ordered = views.ordered(outcomes)
    nav: list[Any] = [{"首页": "index.md"}]
    for r in sorted(standards_only or [], key=lambda r: (-r.year, r.id)):
        nav.append({f"{r.year}年度考核标准": paths.page(r.id, "standards")})
    if ordered:
        nav.append(section(ordered[0]))
        nav.append({"历年考核": [{"全部考核": paths.assessment_index()}, *(section(o) for o in ordered[1:])]})
    for entry in base_nav or []:
        if isinstance(entry, dict) and "index.md" in entry.values():
            continue
        if entry == "index.md":
            continue
        nav.append(entry)
    return nav


def sources_key(root: Path) -> str:
    """The project's templates, MkDocs configuration and hooks, and what mkdocs.yml makes MkDocs read besides
    (:func:`configured_sources`)."""
    settings, named = configured_sources(root)
    return digest(tree_digest(root, [*SOURCES, *named], frozenset({"__pycache__"})), settings)


def configured_sources(root: Path) -> tuple[str, list[Path]]:
    """What mkdocs.yml makes MkDocs read outside docs/: its settings as MkDocs reads them, as text (a parent
    configuration named by ``INHERIT`` merged in, ``!ENV`` values filled in); and the files and folders it
    names: each ``INHERIT`` parent, the theme's ``custom_dir``, each hook and the Python files beside it (a
    hook may import them). Unreadable, the settings are the reason (MkDocs then says what is wrong)."""
    import yaml
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    loader = get_yaml_loader()
    # A value relative to where MkDocs is (``!relative``) reads the same wherever that is.
    loader.add_constructor("!relative", lambda _loader, node: f"!relative {getattr(node, 'value', '')}")
    config = root / CONFIG_FILE
    named: list[Path] = []
    try:
        with open(config, "rb") as handle:
            settings = yaml_load(handle, loader)
        chain = config
        for _ in range(20):  # a parent's parent …; a loop stops MkDocs itself
            with open(chain, "rb") as handle:
                raw = yaml.load(handle, Loader=loader)
            parent = raw.get("INHERIT") if isinstance(raw, dict) else None
            if not isinstance(parent, str):
                break
            chain = Path(os.path.normpath(chain.parent / parent))
            named.append(chain)
    except (OSError, ValueError, yaml.YAMLError, MkDocsException) as exc:
        return f"unreadable: {exc}", named
    if not isinstance(settings, dict):
        return _settings_text(settings), named
    theme = settings.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        named.append(root / theme["custom_dir"])
    hooks = settings.get("hooks")
    for hook in hooks if isinstance(hooks, list) else []:
        if isinstance(hook, str):
            named.append(root / hook)
            beside = (root / hook).parent
            named += sorted(p for p in beside.glob("*.py") if p.is_file()) if beside.is_dir() else []
    return _settings_text(settings), named


def _settings_text(value: Any) -> str:
    """Settings as text that is the same in every run: a Python object a tag made (``!!python/name:``) by its name."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_settings_text(k)}:{_settings_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_settings_text(v) for v in value) + "]"
    if value is None or isinstance(value, (str, int, float, bool, datetime.date, datetime.time)):
        return repr(value)
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"<{getattr(value, '__module__', None) or type(value).__module__}.{name}>"


def base_config(root: Path) -> tuple[list[Any] | None, str]:
    """The hand-written navigation and ``exclude_docs`` of mkdocs.yml, as written."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils.yaml import yaml_load

    with collected() as said:
        try:
            with working_directory(root):
                config = load_config(str(root / CONFIG_FILE))
                with open(root / CONFIG_FILE, "rb") as handle:  # (its encoding told as MkDocs tells it: UTF-8 or -16)
                    raw = yaml_load(handle) or {}
        except (MkDocsException, SystemExit) as exc:
            raise MkDocsFailed(failure_words(str(exc), said, False, "读取网站的设置时出错")) from exc
    exclude = raw.get("exclude_docs") or ""
    return config["nav"], exclude if isinstance(exclude, str) else ""


def mkdocs_inputs(root: Path, prepared: Prepared, shells: dict[str, str]) -> tuple[list[Any], str]:
    """(nav, exclude_docs) for MkDocs: the hand-written ones of mkdocs.yml with the generated pages added,
    and every unit page but the shells left to assembly."""
    base_nav, base_exclude = base_config(root)
    standards_only = [r for r, _ in prepared.project.rubrics.values() if r.id not in prepared.outcomes]
    nav = navigation(prepared.outcomes, prepared.project.notices, base_nav, standards_only)
    return nav, base_exclude.rstrip("\n") + "\n" + exclude_patterns(shells)


def run_mkdocs(
    root: Path,
    site_dir: Path,
    nav: list[Any],
    epoch: int,
    strict: bool,
    exclude: str = "",
    workspace: Path | None = None,
    defer: bool = False,
) -> list[str]:
    """MkDocs on root/mkdocs.yml into ``site_dir``; the warnings it printed. ``workspace``: a folder laid out like
    the root, with its own ``docs/``, where relative paths resolve (the preview's). ``defer``: verbatim blocks left
    as placeholders for :func:`splice`."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    # jieba announces its dictionary loading on stderr at every build.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    env = {"SOURCE_DATE_EPOCH": str(epoch), DEFER_VERBATIM: "1" if defer else "0"}
    _forget_hooks()
    with collected() as said:  # MkDocs' own warnings, said in kaoping's words (generator/site/mkdocswords.py)
        try:
            with _environment(env), working_directory(workspace or root):
                overrides: dict[str, Any] = {"site_dir": str(site_dir), "nav": nav, "strict": strict}
                if exclude:
                    overrides["exclude_docs"] = exclude
                if workspace is not None:
                    overrides["docs_dir"] = str(workspace / "docs")
                config = load_config(str(root / CONFIG_FILE), **overrides)
                mkdocs_build(config)
        except (MkDocsException, SystemExit) as exc:  # (MkDocs' Abort is both)
            raise MkDocsFailed(failure_words(str(exc), said, strict)) from exc
        except (OSError, MkDocsFailed):
            raise
        except Exception as exc:
            # A Markdown extension's own error, e.g. pymdownx.snippets' missing file (--8<--).
            raise MkDocsFailed(failure_words(f"{type(exc).__name__}: {exc}", said, strict)) from exc
    for line in (printed := warning_lines(said)):
        sys.stderr.write(line + "\n")
    return printed


def _forget_hooks() -> None:
    """MkDocs loads each hook file once per process: the preview, which runs it again and again, would keep a
    hook as it was when first loaded. Forgotten, an edited hook is read again."""
    from mkdocs.config import config_options

    forget = getattr(getattr(config_options.Hooks, "_load_hook", None), "cache_clear", None)
    if callable(forget):
        forget()


def _outside_verbatim(text: str) -> str:
    split = split_verbatim(text)
    return text if split is None else split[0]


def _read_by_mkdocs(docs: Path, shells: dict[str, str]) -> list[str]:
    """The files of docs/ MkDocs reads (relative to it, in the order of their parts): all but the unit pages
    it leaves to assembly."""
    kept = {paths.unit_page(aid, uid) for aid, uid in shells.items()}
    units = paths.GENERATED + "/"
    return files_under(docs, lambda rel: rel in kept or not (rel.startswith(units) and "/units/" in rel))


def layout_key(root: Path, docs: Path, shells: dict[str, str], settings: list[Any], base: str) -> str | None:
    """The key of MkDocs' output: everything it reads (``settings``: the navigation, exclusions, date …), with
    verbatim blocks left out. None when it cannot be told (a snippet include that is not one quoted file per
    line): MkDocs then always runs."""
    parts: list[str] = [base, repr(settings)]
    included: set[str] = set()
    for rel in _read_by_mkdocs(docs, shells):
        path = docs / rel
        if path.suffix == ".md":
            text = path.read_bytes().decode("utf-8", "replace")
            if "8<-" in text:
                for line in text.splitlines():
                    if "8<-" not in line:
                        continue
                    match = _SNIPPET.match(line)
                    if match is None:
                        return None
                    included.add(match.group(2))
            parts += [rel, _outside_verbatim(text)]
        else:
            # Copied as they are (copy_output takes them from docs/): only where they are counts.
            parts.append(rel)
    for name in sorted(included):
        target = root / name
        parts += [name, digest(target.read_bytes()) if target.is_file() else "-"]
    parts.append(tree_digest(root, [CONFIG_FILE]))
    return digest(*parts)


def kept_output(root: Path, key: str | None) -> Path | None:
    """MkDocs' kept output for ``key``, if there is one and it is still exactly what was kept: the same files
    (no more, no fewer, no links), each with the size, time and inode it had (as the record checks the
    site's files: :class:`generator.site.cache.Record`). A file changed, removed or added by hand, or a folder
    half deleted when a build was stopped, makes MkDocs run again."""
    folder = root / CACHE_DIR / KEPT
    if key is None or folder.is_symlink():
        return None
    try:
        kept = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    files = _manifest(folder)
    return folder if files is not None and kept.get("files") == files else None


def _manifest(folder: Path) -> dict[str, list[int]] | None:
    """Each file under ``folder`` (but the key file) → its size, modification time and inode; folders → [];
    None when there is a link or anything else that is neither a file nor a folder."""
    found: dict[str, list[int]] = {}
    start = str(folder)
    for top, dirs, names in os.walk(start):
        under = os.path.relpath(top, start).replace(os.sep, "/")
        prefix = "" if under == "." else under + "/"
        for name in dirs + names:
            rel = prefix + name
            if rel == KEY_FILE:
                continue
            st = os.lstat(os.path.join(top, name))
            if stat.S_ISDIR(st.st_mode):
                found[rel] = []
            elif stat.S_ISREG(st.st_mode):
                found[rel] = [st.st_size, st.st_mtime_ns, st.st_ino]
            else:
                return None
    return found


def keep_output(root: Path, made: Path, key: str | None) -> Path:
    """Keep MkDocs' output ``made`` (moved) as the output for ``key``; returns where it now is. The key file,
    which also lists what was kept (:func:`kept_output`), is removed first and written last."""
    folder = root / CACHE_DIR / KEPT
    if key is None or folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
        return made  # not kaoping's own: left alone, and MkDocs runs again next time
    try:
        (root / CACHE_DIR).mkdir(exist_ok=True)
        if folder.exists():
            (folder / KEY_FILE).unlink(missing_ok=True)
            shutil.rmtree(folder)
        os.replace(made, folder)
        files = _manifest(folder)
        if files is not None:  # (a link or the like in MkDocs' output: not kept, MkDocs runs next time)
            (folder / KEY_FILE).write_text(json.dumps({"key": key, "files": files}, ensure_ascii=False), "utf-8")
    except OSError:
        return made if made.exists() else folder
    return folder


def copy_output(source: Path, site_dir: Path, docs: Path) -> list[str]:
    """Copy MkDocs' output into ``site_dir``, each verbatim block put back from its page's source and each
    file MkDocs copies as it is taken from docs/ (the downloads change with the data). Those of the generated
    folder are linked to it, as it is replaced whole, never changed in place: a download the build kept from the
    last one is the very same file in the site and keeps its ``.gz``. Returns the pages that had a verbatim
    block."""
    spliced = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if rel.as_posix() == KEY_FILE:
            continue
        target = site_dir / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            if PLACEHOLDER in text:
                text = splice(text, docs / rel.with_suffix(".md"))
                spliced.append(rel.as_posix())
            target.write_text(text, encoding="utf-8")
        elif (docs / rel).is_file():
            if rel.parts[0] == paths.GENERATED:
                link_or_copy(docs / rel, target)
            else:  # the office's own files (styles, scripts): they may be edited in place
                shutil.copyfile(docs / rel, target)
        else:
            shutil.copyfile(path, target)
    return spliced


def splice(html: str, source: Path) -> str:
    """A page's HTML with its verbatim block put back where MkDocs left the placeholder."""
    try:
        split = split_verbatim(source.read_text(encoding="utf-8"))
    except OSError:
        return html
    return html if split is None else html.replace(PLACEHOLDER, split[1], 1)
