"""Composing rubric YAML into nodes, safely: a file's text becomes PyYAML's tree of nodes with their line
and column, bounded before memory or the stack can run away (aliases that expand a billion times, nesting
a thousand levels deep), and text with invisible characters is refused. :mod:`generator.data.yamlread`
converts the nodes into the models.
"""

from __future__ import annotations

import yaml

from generator.data.characters import HINT, code_point, refused_in, why
from generator.data.problems import Loc, Problems

#: Refuse rubric files larger than this before parsing (a rubric is a few hundred KB at most).
MAX_YAML_BYTES = 5 * 1024 * 1024
#: Refuse YAML whose aliases expand to more nodes than this (a "billion laughs" file).
MAX_NODES = 500_000
#: Refuse YAML nested deeper than this (a rubric needs a few dozen levels; Python's stack, a thousand).
MAX_DEPTH = 100

def node_loc(file: str, node: yaml.Node) -> Loc:
    mark = node.start_mark
    return Loc(file, mark.line + 1, mark.column + 1)


def compose(text: str, file: str, problems: Problems) -> yaml.Node | None:
    """Parse YAML text into a node tree, turning syntax errors into located problems."""
    if not text.strip():
        problems.error(Loc(file, 1, 1), "文件是空的", "写入细则内容，或删除这个文件。")
        return None
    if _refused_characters(text, file, problems):
        return None
    try:
        node = _composed(text)
    except _TooDeep as exc:
        mark = exc.problem_mark
        loc = Loc(file, mark.line + 1, mark.column + 1) if mark else Loc(file)
        problems.error(loc, f"嵌套超过 {MAX_DEPTH} 层", "细则的层次不会这么深；检查是否误把其他数据粘贴进了文件。")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Loc(file, mark.line + 1, mark.column + 1) if mark else Loc(file)
        if "\t" in (exc.problem or "") or "'\\t'" in str(exc.problem):
            problems.error(loc, "缩进里有制表符（Tab）；YAML 只能用空格缩进", "把这一行开头的 Tab 换成空格。")
        else:
            problems.error(loc, f"YAML 格式错误：{exc.problem}", "检查这一行及上一行的缩进、冒号和引号。")
        return None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: PyYAML's, for an escape beyond Unicode ("\U00110000")
        problems.error(Loc(file), f"YAML 格式错误：{exc}", "检查文件的缩进、冒号和引号。")
        return None
    if node is None:
        problems.error(Loc(file, 1, 1), "文件里没有内容（只有注释）", "写入细则内容，或删除这个文件。")
        return None
    cycle, size, depth = _measure(node)
    if cycle is not None:
        problems.error(
            node_loc(file, cycle),
            "锚点（&）在它自己的内容里被别名（*）引用，形成循环",
            "别名只能引用写在它前面、且不包含它的内容；删除这个别名。",
        )
        return None
    if size > MAX_NODES:
        # Refuse before converting: a few lines of aliases can stand for 10^9 nodes.
        problems.error(
            node_loc(file, node),
            f"文件展开后超过 {MAX_NODES} 个节点（锚点与别名层层引用）",
            "去掉多层嵌套的 & 锚点和 * 别名。",
        )
        return None
    if depth > MAX_DEPTH:
        problems.error(
            node_loc(file, node),
            f"文件展开后嵌套超过 {MAX_DEPTH} 层（别名层层引用）",
            "去掉层层引用的 & 锚点和 * 别名。",
        )
        return None
    return node


#: Refused characters listed one by one per file; beyond, one line says how many more there are.
MAX_CHARACTER_PROBLEMS = 20


def _refused_characters(text: str, file: str, problems: Problems) -> bool:
    """Report every character no text may hold (:mod:`generator.data.characters`), at its line and column,
    before YAML reads the file (PyYAML would refuse a NUL without saying where)."""
    found = 0
    body = text[1:] if text.startswith("\ufeff") else text  # a BOM that starts the file is allowed
    for number, line in enumerate(body.split("\n"), start=1):
        for offset in refused_in(line):
            found += 1
            if found <= MAX_CHARACTER_PROBLEMS:
                ch = line[offset]
                problems.error(Loc(file, number, offset + 1), f"这里有 {code_point(ch)}：{why(ch)}", HINT)
    if found > MAX_CHARACTER_PROBLEMS:
        problems.error(
            Loc(file),
            f"还有 {found - MAX_CHARACTER_PROBLEMS} 处同样不允许的字符没有逐一列出",
            "改正上面列出的几处后重新检查；很多行都有时，文件可能不是文本文件。",
        )
    return found > 0


#: libyaml's loader (C), where PyYAML was built with it.
_FAST: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


def _composed(text: str) -> yaml.Node | None:
    """The file's nodes: composed by libyaml (ten times faster) when the file is well-formed and not nested
    too deep; else by PyYAML's own composer, whose errors, with their line and column, the messages put into
    words (libyaml's differ: it does not name a Tab, for one)."""
    if _FAST is not None:
        try:
            if _nesting(text, _FAST) <= MAX_DEPTH:
                return yaml.compose(text, Loader=_FAST)
        except yaml.YAMLError:
            pass  # said again below
    return yaml.compose(text, Loader=_Loader)


def _nesting(text: str, loader: type[yaml.SafeLoader]) -> int:
    """How deep the file's nodes nest, counted as PyYAML's composer counts them (a scalar in a list is one level
    below it), up to one level beyond MAX_DEPTH; MAX_DEPTH + 1 also for a node with the bare tag ``!``, which
    libyaml reads otherwise than PyYAML. Read as a stream of events: libyaml composes recursively, in C."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.NodeEvent):  # a scalar, an alias, a collection's start
            if getattr(event, "tag", None) == "!":
                return MAX_DEPTH + 1
            deepest = max(deepest, depth + 1)
            if deepest > MAX_DEPTH:
                break
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


class _TooDeep(yaml.composer.ComposerError):
    """Nesting deeper than :data:`MAX_DEPTH` (PyYAML composes recursively and would exhaust the stack)."""


class _Loader(yaml.SafeLoader):
    """The safe loader, with a limit on nesting depth."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(None, None, "too deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _measure(root: yaml.Node) -> tuple[yaml.Node | None, int, int]:
    """(a node that contains itself, or None; node count; depth), with every alias expanded.

    ``a: &x [*x]`` composes as a cycle; a chain of aliases can be far deeper than the text. So the
    walk is iterative (no recursion), and each node is measured once (linear in the file's size).
    """
    sizes: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = {id(root)}
    stack: list[tuple[yaml.Node, list[yaml.Node]]] = [(root, _children(root))]
    while stack:
        node, pending = stack[-1]
        while pending and id(pending[-1]) in sizes:
            pending.pop()
        if pending:
            child = pending.pop()
            if id(child) in open_nodes:
                return child, 0, 0
            open_nodes.add(id(child))
            pending.append(child)  # measured when its own children are done
            stack.append((child, _children(child)))
            continue
        kids = [sizes[id(c)] for c in _children(node)]
        sizes[id(node)] = (1 + sum(k[0] for k in kids), 1 + max((k[1] for k in kids), default=0))
        open_nodes.discard(id(node))
        stack.pop()
    size, depth = sizes[id(root)]
    return None, size, depth
