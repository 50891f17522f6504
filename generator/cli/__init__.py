"""The command line: ``kaoping check``, ``kaoping build`` and the other commands.

The only place that prints and chooses exit statuses: the packages below return results (problems,
reports, what was published) and raise their own errors; :mod:`generator.cli.commands` words them and
:mod:`generator.cli.output` writes them. Messages are for the clerk who keeps the data: each names the
file, line and column, what is wrong and what to do. No Python traceback reaches the user unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import traceback
from collections.abc import Sequence

from generator.cli import parser as _parser
from generator.cli.commands import (
    COMMANDS,
    EXIT_DATA,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)
from generator.cli.output import fail, report
from generator.data.problems import os_error_words

__all__ = [
    "EXIT_DATA", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "main", "parser", "report", "run",
]


def parser() -> argparse.ArgumentParser:
    return _parser.parser(COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    return _dispatch(p, p.parse_args(argv))


def run() -> None:
    """The ``kaoping`` program: :func:`main` on the command line's arguments, then the exit.

    A build (or merge) ends the process as soon as its output is flushed, without the interpreter's own
    teardown: freeing what the build still holds (its records and search index; held until then, see
    ``cmd_build``) object by object takes time at 10,000 units and changes nothing on disk. Everything is
    written and closed by then: the site and the cache by ``build`` (which returns only after its renames),
    the lock file released and closed, its worker processes and threads joined; the cache's trash is deleted
    by a process of its own, which does not wait for this one. Every other command exits as usual.
    """
    p = parser()
    args = p.parse_args()
    code = _dispatch(p, args)
    if getattr(args, "func", None) is not COMMANDS["build"]:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        # None where the program was started with the stream closed (kaoping build >&-); a closed pipe
        # (kaoping build | head): nothing more can be said.
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(code)


def _dispatch(p: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not getattr(args, "func", None):
        p.print_help()
        return EXIT_USAGE
    refused = _root_refused(args.root)
    if refused:
        fail(refused)
        return EXIT_USAGE
    try:
        code: int = args.func(args)
        return code
    except KeyboardInterrupt:
        fail("已中断。")
        return EXIT_INTERRUPTED
    except OSError as exc:
        if exc.errno not in _SAID or args.debug:
            say_internal(args.debug)
            return EXIT_INTERNAL
        # What the system refused (a name too long, no permission, a full disk) where a command did not
        # word it itself: said in words, with the file; never taken for a fault of the program.
        fail(f"{os_error_words(exc)}。")
        return EXIT_DATA
    except Exception:
        say_internal(args.debug)
        return EXIT_INTERNAL


#: The system's refusals said in words when they reach the command line (see :func:`os_error_words`).
_SAID = frozenset(
    {errno.ENAMETOOLONG, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR, errno.ELOOP}
)


def say_internal(debug: bool) -> None:
    """Say that the program met what it did not expect (the traceback with ``--debug``)."""
    if debug:
        traceback.print_exc()
    else:
        fail("内部错误：程序遇到了意外情况。请带上 --debug 重新运行，把输出发给维护人员。")


def _root_refused(root: str) -> str:
    """Why ``--root`` cannot be the project (it does not exist, it is a file), or nothing."""
    if os.path.isdir(root):
        return ""
    if os.path.exists(root):  # (False too for a link to nothing, a NUL in the name, a name too long)
        return f"{root} 是一个文件，不是目录：--root 后面写项目目录（含 rubrics/ 和 results/ 的目录）。"
    return f"项目目录 {root} 不存在：检查 --root 后面的路径（项目目录是含 rubrics/ 和 results/ 的目录）。"


if __name__ == "__main__":
    run()

