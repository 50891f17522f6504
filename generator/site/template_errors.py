"""A template that fails while it renders, in words: which template, which line, and why.

Jinja's own errors (a name the page's data does not have) and Python's in a template's expression
(``{{ "共" + 1 }}``) both name the template and its line; the build and the preview say them instead of
failing with a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2


class TemplateFailure(Exception):
    """A template failed while rendering; the message names the template and its line, in Chinese."""


class TemplateNotUtf8(jinja2.TemplateError):
    """A template file that is not UTF-8 (saved as GBK, say): said so, naming it."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"页面模板 {shown(name)} 不是 UTF-8 编码：用记事本或 VS Code 打开，另存为 UTF-8 编码后重新生成"
        )


class TemplateLoader(jinja2.FileSystemLoader):
    """The templates folder's files, read as UTF-8 with or without a byte order mark (Notepad's UTF-8 writes
    one: it would be published as an invisible character); a file in another encoding is said so."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder, encoding="utf-8-sig")

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            raise TemplateNotUtf8(template) from None


def from_template(exc: BaseException) -> bool:
    """Whether ``exc`` arose in a template: Jinja's own error, or Python's in one of the template's
    expressions (``{{ "共" + 1 }}``, ``{{ 1 // 0 }}``), whose traceback runs through the template's lines."""
    if isinstance(exc, jinja2.TemplateError):
        return True
    if isinstance(exc, (MemoryError, RecursionError)):  # the machine's limits, not the template's fault
        return False
    tb, last = exc.__traceback__, None
    while tb is not None:
        last, tb = tb, tb.tb_next
    # Raised in the template's own line: not in a filter or a view it called (that would be kaoping's fault).
    return last is not None and last.tb_frame.f_code.co_filename.endswith(".j2")


#: The project's templates folder (``generator.site.sources.TEMPLATES_DIR``), as a message names a template.
_FOLDER = "site_templates"


def shown(name: str) -> str:
    """A template named as the clerk finds it, ``site_templates/unit.md.j2``: from Jinja's name for it (relative
    to the folder) or its file's path."""
    parts = Path(name).parts
    if _FOLDER in parts:
        parts = parts[len(parts) - 1 - parts[::-1].index(_FOLDER) + 1 :]
    elif Path(name).is_absolute():
        parts = parts[-1:]
    return "/".join((_FOLDER, *parts))


def template_error_words(exc: BaseException) -> str:
    """Where a template failed and why: the template's file and line, from the error or its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = shown(exc.name or exc.filename or "")
        return f"页面模板 {where} 第 {exc.lineno} 行有语法错误：{syntax_words(exc.message or '')}"
    if isinstance(exc, TemplateNotUtf8):
        return str(exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        names = "、".join(shown(str(n)) for n in getattr(exc, "templates", None) or [exc.name])
        return (
            f"找不到页面模板 {names}：它被删除、改名或移走了。从项目自带的模板恢复（例如 git checkout -- "
            f"site_templates/），或改正引用它的 include、import、extends 中的名称"
        )
    where = ""
    tb = exc.__traceback__
    while tb is not None:  # Jinja's frames carry the template's file name and line
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            where = f" {shown(tb.tb_frame.f_code.co_filename)} 第 {tb.tb_lineno} 行"
        tb = tb.tb_next
    if not isinstance(exc, jinja2.TemplateError):
        return (
            f"页面模板{where}出错：{exc}（{type(exc).__name__}）。"
            "核对这一行的表达式：文字不能与数字相加，不能除以 0，用到的数据是否有这个值"
        )
    message = str(exc.message or exc)
    missing = _NO_ATTRIBUTE.search(message) or _UNDEFINED.search(message)
    why = f"没有名为 {missing.group(1)} 的数据" if missing else message
    return (
        f"页面模板{where}出错：{why}。"
        "核对这一行用到的名称是否拼写正确（页面数据的字段见 generator/site/views/ 中的定义）"
    )


#: Jinja's syntax errors a template's editor meets most, in words (others are given as Jinja wrote them).
#: Jinja's block tags: a known one in the wrong place is not a misspelling.
_BLOCKS = "for|if|block|macro|call|filter|set|with|raw|autoescape|trans"
_TAGS = rf"else|elif|pluralize|end(?:{_BLOCKS})"
#: Jinja's names of the tokens a template's editor writes.
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "end of template": "模板的结尾"}
_SYNTAX: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"Unexpected end of template\..*innermost block that needs to be closed is '(\w+)'", re.S),
        "模板到这里就结束了，但 {{% {0} %}} 还没有结束：在它的内容后面补上 {{% end{0} %}}",
    ),
    (
        re.compile(rf"Encountered unknown tag '({_TAGS})'.*innermost block that needs to be closed is '(\w+)'", re.S),
        "{{% {0} %}} 放错了地方：最近一个还没有结束的是 {{% {1} %}}"
        "（{{% {0} %}} 不能用在它里面，或应先用 {{% end{1} %}} 结束它）",
    ),
    (
        re.compile(rf"Encountered unknown tag '({_TAGS})'"),
        "{{% {0} %}} 放错了地方：前面没有它所属的 {{% if %}}、{{% for %}} 等",
    ),
    (re.compile(r"Encountered unknown tag '(.+?)'"), "不认识的标签 {{% {0} %}}：检查拼写"),
    (re.compile(r"No filter named '(.+?)'"), "没有名为 {0} 的过滤器（| 后面的名称）：检查拼写"),
    (re.compile(r"No test named '(.+?)'"), "没有名为 {0} 的判断（is 后面的名称）：检查拼写"),
    (
        re.compile(r"unexpected end of template, expected '(.+?)'"),
        "模板到这里就结束了，但前面的 {{{{ 或 {{% 没有写完（少了 }}}} 或 %}}）",
    ),
    (
        re.compile(r"expected token '(.+?)', got '(.+?)'"),
        "写法不完整：这里应是“{0}”，却是“{1}”（常见的原因：少写了 }}}} 或 %}}，或括号、引号没有配对）",
    ),
    (re.compile(r"unexpected '(.+?)', expected '(.+?)'"), "这里应是“{1}”，却是“{0}”（常见的原因：括号、引号没有配对）"),
    (re.compile(r"unexpected '(.+?)'"), "这里不应有“{0}”（常见的原因：括号、引号没有配对）"),
]


def syntax_words(message: str) -> str:
    """One of Jinja's syntax errors in words; one not known, as Jinja wrote it."""
    for pattern, words in _SYNTAX:
        found = pattern.search(message)
        if found is not None:
            return words.format(*(_TOKENS.get(g, g) for g in found.groups()))
    return f"（Jinja 的原话）{message}"


#: Jinja's wording of the commonest template error: a name that is not in the page's data.
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
_UNDEFINED = re.compile(r"^'([^']+)' is undefined")


def template_words(work: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``work``, whose template errors are put into words where they happen: a forked worker's traceback,
    with the template's line, does not reach the build."""

    def worded(item: Any) -> Any:
        try:
            return work(item)
        except Exception as exc:
            if not from_template(exc):
                raise
            raise TemplateFailure(template_error_words(exc)) from None

    return worded
