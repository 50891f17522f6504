"""Problems of reading and writing files: the located problems of :mod:`generator.engine.problems`, and
what a failed read or write means for the person running the command.

The loaders, the checks and every command above them take their problems from here.
"""

from __future__ import annotations

import errno

from generator.engine.problems import Loc, Problem, Problems, Severity

__all__ = ["Loc", "Problem", "Problems", "Severity", "os_error_words"]


#: Why a file could not be read or written, in a few words, for the errors a clerk meets.
_REASONS = {
    errno.ENOENT: "文件不存在（或是指向不存在的文件的链接）",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许这样操作（文件可能被锁定或设为只读）",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ELOOP: "链接层层相指，找不到文件",
    errno.EIO: "磁盘读写出错",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "磁盘是只读的",
}


def os_reason(exc: OSError) -> str:
    """Why ``exc`` happened, in Chinese for the usual errors (the system's own words otherwise)."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def os_error_words(exc: OSError) -> str:
    """What a failed read or write means, for the person running the command."""
    where = f"（{exc.filename}）" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘已满，无法写入{where}。清理磁盘空间后重新运行"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"没有权限读写文件{where}。检查这个文件和它所在目录的权限（或换一个可以写入的位置）"
    if exc.errno == errno.EROFS:
        return f"磁盘是只读的，无法写入{where}"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"找不到文件或目录{where}。检查路径是否正确、目录是否存在"
    if exc.errno == errno.ENAMETOOLONG:
        return f"文件名或路径太长{where}。换一个短一些的名字，或放到层次浅一些的目录"
    if exc.errno == errno.EISDIR:
        return f"这是一个目录，不是文件{where}。写出文件的完整路径"
    return f"读写文件出错{where}：{os_reason(exc)}"
