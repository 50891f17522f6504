"""Where each part of a rubric comes from: the source document's words, a reading of them, or filled in.

Every numbered part of a rubric (an indicator, a rule, a bonus level, a band …) is a :class:`Sourced`:

- ``原文``: the document's words; the passage is in the part's own text fields (``content``,
  ``standard``, a rule's ``text`` …) or in ``quote``;
- ``解读``: the office's reading of an ambiguous passage: the passage in ``quote`` (or the text fields)
  and the reading in ``reading``;
- ``补充``: filled in where the document is silent, explained in ``note``.

A part without ``origin`` takes its parent's (a rule its indicator's, a level its bonus item's …), and the
top of the tree takes the rubric's ``origin``. ``field_origin`` marks single fields of a part, e.g. a
``原文`` indicator whose ``points`` were lost and filled in: ``field_origin: {points: 补充}``.

This module holds only the declaration (models inherit it); resolving, checking and counting the
origins of a whole rubric is :mod:`generator.data.provenance`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Origin = Literal["原文", "补充", "解读"]
ORIGINS: tuple[Origin, ...] = ("原文", "补充", "解读")
SOURCE, FILLED, READING = ORIGINS
#: The one-character marks pages show beside a part that is not the document's own.
ORIGIN_MARKS: Mapping[str, str] = {FILLED: "补", READING: "解"}


def _doc(text: str, default: Any, **extra: Any) -> Any:
    if isinstance(default, dict):
        return field(default_factory=dict, metadata={"doc": text, **extra})
    return field(default=default, metadata={"doc": text, **extra})


@dataclass(frozen=True, kw_only=True)
class Sourced:
    """The provenance keys every numbered part of a rubric may carry."""

    origin: Origin | None = _doc(
        "来源：`原文`（照录原文件）、`补充`（原文件没有规定，由考核办公室补充）或 `解读`"
        "（原文件有歧义，写明考核办公室的理解）。不写则与上一级相同。",
        None,
    )
    quote: str = _doc("所依据的原文件段落，一字不改地摘录（本身的文字已是原文时可不写）。", "")
    reading: str = _doc("`解读`：考核办公室对原文的理解。", "")
    field_origin: Mapping[str, Origin] = _doc(
        "单个键的来源，例如 `{points: 补充}`：文字是原文，分值是补充的。", {}
    )
    note: str = _doc("说明；`补充` 的内容必须说明补了什么、为什么。", "")

    def own_origin(self, name: str | None = None) -> Origin | None:
        """This part's origin as written here (for one field when ``name`` is given), without inheritance."""
        if name is not None and name in self.field_origin:
            return self.field_origin[name]
        return self.origin


#: The provenance keys themselves: never the subject of ``field_origin``.
SOURCED_FIELDS = frozenset(f for f in Sourced.__dataclass_fields__)


def verbatim_fields(cls: type[Any]) -> tuple[str, ...]:
    """The fields of a model that hold the document's own words when the part is ``原文``."""
    return tuple(name for name, f in cls.__dataclass_fields__.items() if f.metadata.get("verbatim"))
