"""The command line's arguments, in Chinese: ``kaoping --help`` and every ``kaoping 命令 --help``.

argparse words its usage, its section titles and its errors in English; :class:`Parser` says them in
Chinese, so that a clerk who mistypes a command reads what went wrong in the language of the rest.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import metadata
from typing import Any, NoReturn

from generator.cli.output import paint

#: argparse's error messages and their Chinese; each is matched whole, and its parts translated in turn.
_ERRORS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), words)
    for pattern, words in (
        (r"argument (?P<arg>.+?): (?P<rest>.*)", lambda m: f"参数 {m['arg']}：{error_words(m['rest'])}"),
        (r"the following arguments are required: (?P<args>.*)", lambda m: f"缺少参数：{m['args']}"),
        (r"unrecognized arguments: (?P<args>.*)", lambda m: f"多余的或不认识的参数：{m['args']}"),
        (
            r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
            lambda m: f"不能用 {m['value']}，可选：{m['choices']}",
        ),
        (r"invalid int value: (?P<value>.*)", lambda m: f"{m['value']} 不是整数"),
        (r"invalid (?P<type>\w+) value: (?P<value>.*)", lambda m: f"{m['value']} 不能用（要求 {m['type']}）"),
        (r"expected one argument", lambda m: "后面要写一个值"),
        (r"expected at most one argument", lambda m: "后面最多写一个值"),
        (r"expected at least one argument", lambda m: "后面至少写一个值"),
        (r"expected (?P<n>\d+) arguments?", lambda m: f"后面要写 {m['n']} 个值"),
        (
            r"ambiguous option: (?P<opt>\S+) could match (?P<matches>.*)",
            lambda m: f"选项 {m['opt']} 不明确，可能是：{m['matches']}",
        ),
        (r"not allowed with argument (?P<arg>.*)", lambda m: f"不能与参数 {m['arg']} 同时使用"),
        (r"one of the arguments (?P<args>.*) is required", lambda m: f"须给出 {m['args']} 中的一个"),
        (r"ignored explicit argument (?P<value>.*)", lambda m: f"这个选项后面不能写值（{m['value']}）"),
        (r"unexpected option string: (?P<opt>.*)", lambda m: f"不认识的选项：{m['opt']}"),
    )
)


def error_words(message: str) -> str:
    """argparse's English error message in Chinese (unchanged when it is not one of argparse's own)."""
    for pattern, words in _ERRORS:
        match = pattern.fullmatch(message)
        if match:
            return words(match)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: usage, section titles, ``-h`` and errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示这段说明后退出")

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        return super().parse_args(values_joined(self, sys.argv[1:] if args is None else args), namespace)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{paint('错误', sys.stderr)}：{error_words(message)}\n")


def _options(p: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    for action in p._actions:  # noqa: SLF001 (argparse lists its actions nowhere else)
        yield action
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for command in action.choices.values():
                yield from _options(command)


def values_joined(p: argparse.ArgumentParser, tokens: Sequence[str]) -> list[str]:
    """``--shard -1/2`` as ``--shard=-1/2``: an option's value that starts with ``-`` (and is not one of the
    options) reaches the option, which says what is wrong with it; argparse would take it for an option
    and say only that a value is missing. A token starting ``--`` is always left to be an option."""
    actions = list(_options(p))
    valued = {s for a in actions if a.nargs is None for s in a.option_strings}
    short = {s for a in actions for s in a.option_strings if not s.startswith("--")}
    out: list[str] = []
    rest = iter(tokens)
    for token in rest:
        if token == "--":
            out += [token, *rest]
            break
        after = next(rest, None) if token in valued else None
        if after is not None and after.startswith("-") and not after.startswith("--") and after[:2] not in short:
            out.append(f"{token}={after}")
        else:
            out += [token] if after is None else [token, after]
    return out


def code(text: str) -> str:
    """An assessment's code as typed: not empty (``kaoping check "$ID"`` with the variable unset), not the
    rubric's file (``rubrics/wujin-2017.yml`` from tab completion)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("考核代码是空的：写出细则的 id，例如 wujin-2017")
    if len(text) > 100:
        raise argparse.ArgumentTypeError(f"考核代码太长（{len(text)} 个字符）：写出细则的 id，例如 wujin-2017")
    name = re.split(r"[/\\]", text)[-1]
    if name != text or name.endswith((".yml", ".yaml")):
        stem = re.sub(r"\.ya?ml$", "", name) or "wujin-2017"
        raise argparse.ArgumentTypeError(
            f"「{text}」是文件，不是考核代码：写细则的 id（文件 rubrics/{stem}.yml 中 id: 后面的代码，一般就是 {stem}）"
        )
    return text


def port(text: str) -> int:
    """A TCP port: 1 to 65535."""
    value = int(text) if text.strip().isdigit() else 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"端口要写 1～65535 之间的整数，例如 --port 8000；现在是「{text}」")
    return value


def version() -> str:
    try:
        return metadata.version("kaoping")
    except metadata.PackageNotFoundError:  # run from a copy that was not installed
        return "（未安装）"


def parser(commands: Mapping[str, Callable[[argparse.Namespace], int]]) -> argparse.ArgumentParser:
    """The whole command line; ``commands`` gives the function each command runs."""
    p = Parser(prog="kaoping", description="考评：党建工作目标管理考核的细则、评分结果与通报。")
    p.add_argument("--version", action="version", version=f"kaoping {version()}", help="显示版本号后退出")
    common = Parser(add_help=False)
    root_help = "项目目录（含 rubrics/ 和 results/），默认当前目录"
    debug_help = "出现内部错误时显示 Python 调用栈"
    # A group of their own: a command's help lists its options, then these (not two sections both called 选项).
    shared = common.add_argument_group("通用选项")
    shared.add_argument("--root", metavar="目录", default=argparse.SUPPRESS, help=root_help)
    shared.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    p.add_argument("--root", metavar="目录", default=".", help=root_help)
    p.add_argument("--debug", action="store_true", help=debug_help)
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)

    def command(name: str, help: str, description: str) -> argparse.ArgumentParser:
        made = sub.add_parser(name, parents=[common], help=help, description=description)
        made.set_defaults(func=commands[name])
        return made

    _check_and_score(command)
    _build_and_serve(command)
    _office(command)
    return p


Command = Callable[[str, str, str], argparse.ArgumentParser]
NOT_WRITTEN = "rubrics/、results/、access/、.git"


def _check_and_score(command: Command) -> None:
    c = command(
        "check",
        "检查细则和考核结果，有错误时退出码非 0",
        "检查 rubrics/ 中的细则和 results/ 中的考核结果。每个问题写明文件、行、列和处理办法。",
    )
    c.add_argument("assessment", nargs="*", type=code, metavar="考核代码", help="只检查这些考核（细则 id），默认全部")
    c.add_argument(
        "--strict", action="store_true", help="按正式考核的要求检查：细则中不能有补充的内容，考核结果不能是示例数据"
    )

    s = command("score", "计算一项考核的得分、名次和等次", "计算一项考核每个单位的得分、名次和等次，输出 CSV 或 JSON。")
    s.add_argument("assessment_id", metavar="考核代码", type=code, help="细则 id，例如 wujin-2017")
    s.add_argument(
        "--format",
        choices=("csv", "json"),
        default=None,
        help="输出格式：csv（每单位一行，默认）或 json（完整的逐项得分）",
    )
    s.add_argument("--unit", metavar="单位代码", help="只输出这个单位的完整得分（JSON）")
    s.add_argument(
        "-o",
        "--output",
        metavar="文件",
        help=f"写入文件，默认（或写 -）输出到屏幕；文件已存在时不覆盖，不写入 {NOT_WRITTEN}",
    )
    s.add_argument("--force", action="store_true", help=f"覆盖已存在的输出文件（{NOT_WRITTEN} 中的文件仍不覆盖）")


def _build_and_serve(command: Command) -> None:
    b = command(
        "build",
        "检查、计分并生成网站到 site/",
        "检查、计分，生成全部页面，再用 MkDocs 生成网站到 site/。数据有错误时不生成，原来的 site/ 保持不变。",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    b.add_argument("--no-strict", action="store_true", help="MkDocs 的警告不算失败（默认算失败）")
    b.add_argument(
        "--access",
        metavar="账号文件",
        help="各单位只能看本单位页面：按这个账号文件（不发布）另外生成 nginx 配置和密码文件，见使用说明",
    )
    b.add_argument(
        "--shard",
        metavar="K/N",
        help="只生成第 K 份单位页面（共 N 份，同一排名组在同一份中）到 shards/K/，不改动 site/；"
        "全部生成后用 kaoping merge 合并",
    )

    m = command(
        "merge",
        "把 kaoping build --shard 生成的各份单位页面合并成网站",
        "读取 shards/ 中各份单位页面，生成其余页面、下载文件和搜索索引，合并成与一次生成完全相同的网站到 site/。",
    )
    m.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    m.add_argument("--no-strict", action="store_true", help="MkDocs 的警告不算失败（默认算失败）")
    m.add_argument("--access", metavar="账号文件", help="同 kaoping build --access")
    m.set_defaults(merge=True)

    v = command(
        "serve",
        "本机预览网站，数据修改后自动更新",
        "在本机预览网站。修改并保存细则、考核结果或模板后，预览自动重新生成并刷新浏览器；不改动 site/。",
    )
    v.add_argument("--host", metavar="地址", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
    v.add_argument("--port", metavar="端口", type=port, default=8000, help="端口（1～65535），默认 8000")


def _office(command: Command) -> None:
    h = command(
        "sheet",
        "生成一项考核的 Excel 评分表，供考核组填写",
        "为一项考核生成 Excel 评分表：每个联络组一张工作表，单位和指标按细则顺序列好，"
        "扣分、情况、原因和自查分留给考核组填写。",
    )
    h.add_argument("assessment_id", metavar="考核代码", type=code, help="细则 id，例如 wujin-2017")
    h.add_argument(
        "-o",
        "--output",
        metavar="文件",
        help=f"评分表文件名，默认为 考核代码-评分表.xlsx；文件已存在时不覆盖，不写入 {NOT_WRITTEN}",
    )
    h.add_argument("--force", action="store_true", help=f"覆盖已存在的评分表（{NOT_WRITTEN} 中的文件仍不覆盖）")

    i = command(
        "import",
        "把填好的评分表读回 results/ 的 CSV 文件",
        "读取填好的评分表（或另存的 CSV），逐格检查，写入 results/考核代码/ 的 CSV 文件。"
        "已有不同的数据时不覆盖，除非加 --force。",
    )
    i.add_argument("file", metavar="评分表", help="填好的 .xlsx 评分表，或按同一格式另存的 .csv")
    i.add_argument("--assessment", metavar="考核代码", type=code, help="考核代码；不写则读评分表中记下的代码")
    i.add_argument("--force", action="store_true", help="覆盖 results/ 中已有的不同数据")

    n = command(
        "new",
        "以最近一年的细则和单位名册开始新一年度的考核",
        "复制最近一项考核（或 --from 指定的考核）的细则和单位名册，开始新一年度的考核。",
    )
    n.add_argument("year", type=int, metavar="年度", help="新的考核年度，例如 2021")
    n.add_argument(
        "--from", dest="source", metavar="考核代码", type=code, help="从这项考核复制，默认为同系列中最近的一项"
    )
    n.add_argument("--id", metavar="新代码", help="新考核的代码，默认把原代码中的年份换成新年度")

    u = command(
        "publish",
        "把生成好的 site/ 原子地复制到发布目录",
        "把 site/ 复制到 Web 服务器的目录（本地或挂载的目录）。先复制到同一磁盘上的临时目录，再一次切换，"
        "服务器不会读到复制了一半的网站。",
    )
    u.add_argument(
        "destination", metavar="发布目录", help="Web 服务器的网站目录，例如 /srv/www/kaoping（不能在项目目录里面）"
    )
    u.add_argument(
        "--force", action="store_true", help="发布目录中的网站由更新的提交生成时，仍然用这次的网站替换它（有意回退）"
    )
    u.add_argument(
        "--gzip-only",
        action="store_true",
        help="文本文件只发布压缩好的 .gz（约为原来的四分之一）；nginx 要设 gzip_static always 和 gunzip on，"
        "见使用说明（按账号限制访问时在 access/server.txt 中写“只发布压缩文件 = 是”）",
    )
