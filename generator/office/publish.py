"""kaoping publish: copy the built ``site/`` to the web server's folder so that it switches in one step.

The web server never serves a half-copied site: the new copy is made complete beside the old one on the
same disk, then put in place by a rename, which the kernel does atomically. Two layouts (the README's
section “自动发布（CI）” explains them to the person who runs the server; CI publishes the first one too):

**Releases** (recommended). Chosen when DEST does not exist yet, or is a link this command made::

    DEST                      → DEST.releases/<time>-<hash>   a symbolic link: the web server's root
    DEST.releases/<time>-<hash>/                              one complete copy of site/ per publish

The copy is made in ``DEST.releases/.publishing-…``, renamed to its release name, then a new link made
beside DEST is renamed over DEST. Every request is served wholly from the old or the new release (a page
already being sent keeps its file). The current release and the two before it are kept, so rolling back
is one command; older releases are removed. Publishing a site identical to the current release changes
nothing.

**Plain folder.** Chosen when DEST is an existing real folder (or where symbolic links cannot be made,
e.g. some Windows shares). The copy is made in ``.DEST.publishing-new-…`` beside DEST and exchanged with
DEST in one step (Linux ``renameat2(RENAME_EXCHANGE)``, on local disks). Where the file system cannot
exchange (NFS, SMB), two renames: DEST moves aside, the copy moves in, and for the microseconds between
them DEST does not exist, so a request arriving exactly then gets "404 Not Found" (never a mixed site).

Every published folder (each release, and a plain folder) holds ``.kaoping-published`` at its top: the
commit and time the site was built from (``site/.kaoping-build.json``, written by ``kaoping build``) and
when it was published (:mod:`generator.site.stamp`). A site built from an older commit than the one
published is refused unless ``--force``: an old pipeline that finishes late cannot undo a newer one.
DEST may not be the project, inside it (``docs/www`` would be copied into the next build, every unit's
page public there) or above it; symbolic links are resolved first.

Temporary copies are removed whatever happens: on an error, on Ctrl+C and on SIGTERM; what a killed
publish (SIGKILL, power loss) left behind is removed, or put back, by the next publish to the same DEST.
Two publishes to one DEST wait for each other (a lock on DEST's parent folder), and a publish waits for a
running ``kaoping build`` of the project before copying its ``site/``.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.office.publishfiles import (
    TEMP_MARK,
    Published,
    PublishError,
    check_site,
    copy_locked,
    current_release,
    destination_lock,
    exchange,
    layout,
    os_words,
    parent_of,
    prune,
    refuse_overlap,
    releases_dir,
    remove,
    remove_leftovers,
    signals_held,
    token,
)
from generator.site import stamp
from generator.site.interrupt import Stop, terminate_as_interrupt
from generator.site.progress import Progress


class PublishInterrupted(Exception):
    """Ctrl+C or SIGTERM stopped a publish; ``switched`` tells whether DEST already shows the new site."""

    def __init__(self, destination: Path, switched: bool) -> None:
        super().__init__(str(destination))
        self.destination = destination
        self.switched = switched


def publish(
    root: Path, destination: Path, *, force: bool = False, progress: Progress | None = None, gzip_only: bool = False
) -> Published:
    """Copy ``root/site`` to ``destination`` atomically; what was done (its ``notes`` are warnings).

    A site built from an older commit than the published one is refused unless ``force``. ``gzip_only``: text
    files published compressed only (:mod:`generator.office.publishgzip`). Raises
    :class:`PublishError` (DEST is as it was; its ``destination`` set) or :class:`PublishInterrupted`.
    """
    dest = Path(os.path.abspath(destination))
    state = _State(force=force, gzip_only=gzip_only)
    try:
        with terminate_as_interrupt() as state.stop:
            return _publish(root.resolve(), dest, state, progress or Progress())
    except PublishError as exc:
        exc.destination = dest
        raise
    except KeyboardInterrupt:
        raise PublishInterrupted(dest, state.switched) from None


@dataclass
class _State:
    """Whether DEST already shows the new site (so an interruption afterwards is reported truthfully), and
    whether an older site may replace a newer one."""

    switched: bool = False
    force: bool = False
    gzip_only: bool = False
    #: Asked before DEST switches: a stop whose KeyboardInterrupt Python lost still stops the publish.
    stop: Stop = field(default_factory=Stop)


def _publish(root: Path, dest: Path, state: _State, progress: Progress) -> Published:
    site_dir = root / "site"
    check_site(site_dir)
    parent = parent_of(dest)
    given, dest = dest, parent / dest.name
    refuse_overlap(root, dest, given)
    with destination_lock(parent, progress) as locked:
        notes = remove_leftovers(dest) if locked else []
        shape = layout(dest)
        if shape == "releases":
            done = _publish_release(root, site_dir, dest, state, progress)
        else:
            done = _publish_plain(root, site_dir, dest, state, progress)
    done.notes[:0] = notes
    return done


def _publish_release(root: Path, site_dir: Path, dest: Path, state: _State, progress: Progress) -> Published:
    releases = releases_dir(dest)
    done = Published(dest, "releases", gzip_only=state.gzip_only)
    current = current_release(dest)
    made_releases = False
    temp = releases / f"{TEMP_MARK}{token()}"
    link = dest.parent / f".{dest.name}{TEMP_MARK}link-{token()}"
    release: Path | None = None
    try:
        try:
            if not releases.is_dir():
                releases.mkdir()
                made_releases = True
                os.chmod(releases, 0o755)
            previous = releases / current if current is not None else None
            digest = copy_locked(root, site_dir, temp, done, progress, state.gzip_only, previous)
            done.notes += _check_order(root, temp, dest, state)
            if current is not None and current.endswith("-" + digest[:12]) and (releases / current).is_dir():
                done.release, done.unchanged = current, True
                return done
            name = f"{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%S.%fZ}-{digest[:12]}"
            release = releases / name
            _mark(temp, state.gzip_only)
            os.rename(temp, release)
            os.sync()
            os.symlink(f"{releases.name}/{name}", link)
            state.stop.check()
            with signals_held():
                os.replace(link, dest)
                state.switched = True
            done.release = name
        except OSError as exc:
            raise PublishError(os_words(exc, dest.parent)) from exc
        done.kept, done.removed, failed = prune(releases, [name, current or ""])
        done.notes += failed
        return done
    finally:
        remove(temp)
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        if not state.switched and release is not None:
            remove(release)
        if made_releases and not state.switched:
            with contextlib.suppress(OSError):
                releases.rmdir()


def _publish_plain(root: Path, site_dir: Path, dest: Path, state: _State, progress: Progress) -> Published:
    done = Published(dest, "plain")
    mark = token()
    new = dest.parent / f".{dest.name}{TEMP_MARK}new-{mark}"
    old = dest.parent / f".{dest.name}{TEMP_MARK}old-{mark}"
    try:
        try:
            copy_locked(root, site_dir, new, done, progress, state.gzip_only, dest)
            done.notes += _check_order(root, new, dest, state)
            _mark(new, state.gzip_only)
            os.sync()
            state.stop.check()
            with signals_held():
                if not dest.exists():
                    os.rename(new, dest)
                elif exchange(new, dest):
                    pass  # ``new`` now holds the previous site
                else:
                    os.rename(dest, old)
                    try:
                        os.rename(new, dest)
                    except OSError:
                        os.rename(old, dest)
                        raise
                state.switched = True
        except OSError as exc:
            raise PublishError(os_words(exc, dest.parent)) from exc
        return done
    finally:
        remove(new)
        remove(old)


# -- which site is newer -------------------------------------------------------------------------------


def _check_order(root: Path, copy: Path, dest: Path, state: _State) -> list[str]:
    """Refuse to replace the published site by one built from an older commit (unless forced); the copy's
    stamp is read, so what is compared is what would be published."""
    try:
        new = stamp.read(copy / stamp.BUILD_STAMP)
        published = stamp.read(dest / stamp.PUBLISHED_MARKER) if dest.is_dir() else None
    except stamp.StampError as exc:
        if state.force:
            return [f"注意：{exc}；已按 --force 发布。"]
        raise PublishError(f"{exc}。无法比较新旧网站；确认要发布时，加 --force 重新运行") from exc
    verdict = stamp.order(new, published, root)
    if verdict.newer:
        return []
    if state.force:
        return [f"注意：{verdict.words}。已按 --force 用它替换了较新的网站。"]
    raise PublishError(
        f"{verdict.words}。没有用较旧的网站替换较新的网站。"
        "如果确实要换回旧的网站（有意回退），加 --force 重新运行；也可以在服务器上切换回以前的版本（见使用说明）"
    )


def _mark(folder: Path, gzip_only: bool) -> None:
    """The published folder's marker (:data:`generator.site.stamp.PUBLISHED_MARKER`): the build's stamp and
    when it was published. The access settings accept only a site root that holds it. (A stamp that cannot be
    read was published with ``--force``: the marker says nothing of the build.)"""
    try:
        built = stamp.read_raw(folder / stamp.BUILD_STAMP) or {}
    except stamp.StampError:
        built = {}
    stamp.write_json(folder / stamp.PUBLISHED_MARKER, stamp.marker(built, "kaoping publish", gzip_only))
