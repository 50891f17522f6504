"""Problems of reading and writing files: the located problems of :mod:`generator.engine.problems`, and
what a failed read or write means for the person running the command.

The loaders, the checks and every command above them take their problems from here.
"""

from __future__ import annotations

import errno

from generator.engine.problems import Loc, Problem, Problems, Severity

__all__ = ["Loc", "Problem", "Problems", "Severity", "os_error_words"]


def os_error_words(exc: OSError) -> str:
    """What a failed read or write means, for the person running the command."""
    where = f"（{exc.filename}）" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘已满，无法写入{where}。清理磁盘空间后重新运行"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有权限读写文件{where}。检查项目目录的权限"
    if exc.errno == errno.EROFS:
        return f"磁盘是只读的，无法写入{where}"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"找不到文件或目录{where}。检查路径是否正确、目录是否存在"
    if exc.errno == errno.EISDIR:
        return f"这是一个目录，不是文件{where}。写出文件的完整路径"
    return f"读写文件出错{where}：{exc.strerror or exc}"
