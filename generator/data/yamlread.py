"""Read rubric YAML into the typed models of :mod:`generator.engine.models`, keeping every location.

The YAML is composed, never constructed: PyYAML's composer gives a tree of nodes with their line
and column, and this module converts that tree field by field from the dataclass declarations.
So numbers are read from their exact text (``0.2`` is ``Decimal("0.2")``, never a float), a key the
models do not declare is an error at its line, a duplicated key is caught (YAML would silently keep
the last one), and no tag can construct an object.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

import yaml

from generator.data.characters import code_point, refused_in, why
from generator.data.problems import Problems
from generator.data.yamlcompose import MAX_NODES, node_loc
from generator.engine.exact import NumberError, parse_number
from generator.engine.rules.base import Rule
from generator.engine.rules.registry import KINDS

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}
_PERCENT_FIELDS = {"weight", "threshold"}
_CJK_FOLD = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

_TYPE_WORDS = {
    str: "文字",
    int: "整数",
    bool: "true 或 false",
    Decimal: "数字",
}


#: What a message calls the top level of each kind of file (the model read from it).
_TOPS = {"Rubric": "细则最上层", "Notice": "通报最上层"}


def named(path: str) -> str:
    """A place in a YAML file as its writer knows it: the keys she wrote down to it (`indicators[1].points`,
    counting list items from 1), or the file's top level. ``path`` starts with the model's name."""
    top, _, keys = path.partition(".")
    return f"`{keys}`" if keys else _TOPS.get(top, "最上层")


class _Invalid(Exception):
    """A value that could not be converted; the problem is already recorded."""


class Reader:
    """Converts one composed YAML document into a model, recording problems as it goes."""

    def __init__(self, file: str, problems: Problems) -> None:
        self.file = file
        self.problems = problems
        self.visited = 0

    # -- entry points ---------------------------------------------------------------------

    def read(self, cls: type[Any], node: yaml.Node) -> Any | None:
        try:
            return self.convert(cls, node, cls.__name__)
        except _Invalid:
            return None

    # -- conversion -----------------------------------------------------------------------

    def fail(self, node: yaml.Node, message: str, hint: str) -> _Invalid:
        for top in _TOPS.values():  # "细则最上层中没有…", not "细则最上层 中没有…"
            if message.startswith(top + " "):
                message = top + message[len(top) + 1 :]
        self.problems.error(node_loc(self.file, node), message, hint)
        return _Invalid()

    def convert(self, tp: Any, node: yaml.Node, path: str) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise self.fail(
                node, f"文件展开后超过 {MAX_NODES} 个节点（锚点与别名层层引用）", "去掉多层嵌套的 & 锚点和 * 别名。"
            )
        if node.tag not in _STANDARD_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            raise self.fail(node, f"不允许的 YAML 标签 {shown}", "删除以 ! 开头的标签，只写普通的值。")
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            return self._union(tp, node, path)
        if origin is Literal:
            return self._literal(tp, node, path)
        if origin is tuple:
            return self._sequence(get_args(tp)[0], node, path)
        if origin in (Mapping, dict, typing.Mapping):
            return self._mapping(get_args(tp)[1], node, path)
        if tp is Rule:
            return self._rule(node, path)
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._dataclass(tp, node, path)
        return self._scalar(tp, node, path)

    def _scalar(self, tp: type, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(
                node,
                f"{named(path)} 应为{_TYPE_WORDS.get(tp, '一个值')}，这里是{_shape(node)}",
                "在冒号后直接写一个值，不要写成列表或映射；文字中含有冒号时加引号。",
            )
        text = node.value
        if tp is str:
            if node.tag == "tag:yaml.org,2002:null":
                return ""
            # Written as an escape in double quotes ("\u202e"): not in the file's text, so not found before.
            for offset in refused_in(text):
                ch = text[offset]
                raise self.fail(
                    node,
                    f"{named(path)} 的第 {offset + 1} 个字是用转义序列写成的 {code_point(ch)}：{why(ch)}",
                    "删去这个转义序列。",
                )
            if node.style == ">":
                # Folding joins lines with a space, which Chinese text does not have between characters.
                text = _CJK_FOLD.sub("", text)
            return text.strip() if node.style in ("|", ">") else text
        if tp is bool:
            if node.tag != "tag:yaml.org,2002:bool":
                raise self.fail(
                    node, f"{named(path)} 应为 true 或 false，这里是「{text}」", "写 true（是）或 false（否）。"
                )
            return text.lower() in ("true", "yes", "on")
        if tp is int:
            # Only plain decimal digits: YAML 1.1 also reads 0777 (octal), 0x1F and 1:30 (base 60) as integers.
            digits = text.replace("_", "")
            if node.tag != "tag:yaml.org,2002:int" or not _INTEGER.fullmatch(digits):
                raise self.fail(
                    node, f"{named(path)} 应为整数，这里是「{text}」", "写不带小数点的阿拉伯数字，例如 2017。"
                )
            return int(digits)
        if tp is datetime.date:
            return self._date(node, path)
        if tp is Decimal:
            if node.tag == "tag:yaml.org,2002:bool":
                raise self.fail(node, f"{named(path)} 应为数字，这里是「{text}」", "写阿拉伯数字，例如 3 或 0.5。")
            field_name = path.rsplit(".", 1)[-1]
            try:
                parsed = parse_number(text, allow_percent=field_name in _PERCENT_FIELDS)
            except NumberError as exc:
                raise self.fail(node, f"{named(path)} 应为数字：{exc}", "写阿拉伯数字，例如 3 或 0.5。") from None
            if parsed.fixups:
                raise self.fail(
                    node, f"{named(path)} 写作「{text}」（{'，'.join(parsed.fixups)}）", f"直接写 {parsed.value}。"
                )
            return parsed.value
        raise TypeError(f"unsupported model type {tp!r}")  # pragma: no cover - a models.py mistake

    def _date(self, node: yaml.ScalarNode, path: str) -> datetime.date:
        m = _DATE.match(node.value.strip())
        if m:
            try:
                return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
        raise self.fail(node, f"{named(path)} 应为日期，这里是「{node.value}」", "写作 2014-01-10 或 2014年1月10日。")

    def _union(self, tp: Any, node: yaml.Node, path: str) -> Any:
        options = [a for a in get_args(tp) if a is not type(None)]
        if type(None) in get_args(tp) and isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return None
        if len(options) == 1:
            return self.convert(options[0], node, path)
        # Decimal | Mapping[str, Decimal]: a number, or a number per unit type.
        if isinstance(node, yaml.MappingNode):
            mapping = next(o for o in options if get_origin(o) in (Mapping, dict, typing.Mapping))
            return self.convert(mapping, node, path)
        scalar = next(o for o in options if get_origin(o) not in (Mapping, dict, typing.Mapping))
        return self.convert(scalar, node, path)

    def _literal(self, tp: Any, node: yaml.Node, path: str) -> Any:
        choices = get_args(tp)
        if not isinstance(node, yaml.ScalarNode) or node.value not in choices:
            shown = node.value if isinstance(node, yaml.ScalarNode) else _shape(node)
            raise self.fail(
                node, f"{named(path)} 不能是「{shown}」", "可选值：" + "、".join(f"`{c}`" for c in choices) + "。"
            )
        return node.value

    def _sequence(self, item: Any, node: yaml.Node, path: str) -> tuple[Any, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return ()
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(
                node,
                f"{named(path)} 应为列表（每项以 - 开头），这里是{_shape(node)}",
                "每项另起一行，以“- ”开头；或写在方括号里，例如 [党旗, 党徽]。",
            )
        out: list[Any] = []
        bad = False
        for i, child in enumerate(node.value):
            try:
                out.append(self.convert(item, child, f"{path}[{i + 1}]"))
            except _Invalid:
                bad = True
        if bad:
            raise _Invalid()
        return tuple(out)

    def _pairs(self, node: yaml.Node, path: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(
                node,
                f"{named(path)} 应为“键: 值”的映射，这里是{_shape(node)}",
                "每项另起一行，写作“键: 值”，并比上一级多缩进两个空格。",
            )
        seen: dict[str, yaml.Node] = {}
        pairs: list[tuple[str, yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(
                    key_node,
                    f"{named(path)} 的键必须是普通文字（不支持合并键 << 和复合键）",
                    "把要复用的内容照写一遍，键只写普通文字。",
                )
            key = key_node.value
            if key in seen:
                first = node_loc(self.file, seen[key])
                raise self.fail(
                    key_node,
                    f"{named(path)} 中的键 `{key}` 重复（第一次出现在第 {first.line} 行）；YAML 会悄悄只保留后一个",
                    "删除或合并重复的键。",
                )
            seen[key] = key_node
            pairs.append((key, key_node, value_node))
        return pairs

    def _mapping(self, value_type: Any, node: yaml.Node, path: str) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return {}
        out: dict[str, Any] = {}
        bad = False
        for key, _key_node, value_node in self._pairs(node, path):
            try:
                out[key] = self.convert(value_type, value_node, f"{path}.{key}")
            except _Invalid:
                bad = True
        if bad:
            raise _Invalid()
        return out

    def _rule(self, node: yaml.Node, path: str) -> Rule:
        pairs = self._pairs(node, path)
        kind = next((v for k, _, v in pairs if k == "kind"), None)
        if kind is None:
            raise self.fail(
                node, f"{named(path)} 缺少 kind（规则种类）", "可选种类：" + "、".join(f"`{k}`" for k in KINDS) + "。"
            )
        if not isinstance(kind, yaml.ScalarNode) or kind.value not in KINDS:
            shown = kind.value if isinstance(kind, yaml.ScalarNode) else _shape(kind)
            close = difflib.get_close_matches(shown, list(KINDS), n=1, cutoff=0.75)
            raise self.fail(
                kind,
                f"{named(path)} 的规则种类「{shown}」不存在",
                f"是不是 `{close[0]}`？" if close else "可选种类：" + "、".join(f"`{k}`" for k in KINDS) + "。",
            )
        result: Rule = self._dataclass(KINDS[kind.value], node, path)
        return result

    def _dataclass(self, cls: type[Any], node: yaml.Node, path: str) -> Any:
        pairs = self._pairs(node, path)
        fields, hints, has_loc, has_at = _model(cls)
        kwargs: dict[str, Any] = {}
        bad = False
        for key, key_node, value_node in pairs:
            if key not in fields:
                close = difflib.get_close_matches(key, list(fields), n=1)
                hint = f"是不是 `{close[0]}`？" if close else "可用的键：" + "、".join(f"`{f}`" for f in fields) + "。"
                self.fail(key_node, f"{named(path)} 中没有 `{key}` 这个键", hint)
                bad = True
                continue
            try:
                kwargs[key] = self.convert(hints[key], value_node, f"{path}.{key}")
            except _Invalid:
                bad = True
        for name, f in fields.items():
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and name not in kwargs and not any(k == name for k, _, _ in pairs):
                self.fail(
                    node, f"{named(path)} 缺少 `{name}`（{f.metadata.get('doc', '')}）", f"在此处加上 `{name}: …`。"
                )
                bad = True
        if bad:
            raise _Invalid()
        if has_loc:
            kwargs["loc"] = node_loc(self.file, node)
        if has_at:
            kwargs["at"] = {key: node_loc(self.file, value_node) for key, _, value_node in pairs}
        return cls(**kwargs)


_Model = tuple[dict[str, "dataclasses.Field[Any]"], dict[str, Any], bool, bool]
_MODELS: dict[type, _Model] = {}


def _model(cls: type[Any]) -> _Model:
    """A model's keys the YAML may write, their types, and whether it records its place (``loc``) and
    each key's (``at``): worked out once per class, not once per mapping (a rubric has thousands)."""
    if cls not in _MODELS:
        fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
        names = {f.name for f in dataclasses.fields(cls)}
        _MODELS[cls] = fields, typing.get_type_hints(cls), "loc" in names, "at" in names
    return _MODELS[cls]


def _shape(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "一组“键: 值”"
    if isinstance(node, yaml.SequenceNode):
        return "一个列表"
    return f"「{node.value}」"
