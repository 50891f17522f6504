"""How a model field is declared: with its documentation, or as set by the loader.

Every field a rubric or notice YAML may hold is declared with :func:`doc`, its meaning in
``metadata["doc"]``: the YAML reader (:mod:`generator.data.yamlread`) builds the models from these
declarations, and the reference pages are tested to mention every declared key.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from generator.engine.problems import Loc

NOWHERE = Loc("")


def doc(text: str, default: Any = ..., **extra: Any) -> Any:
    """A model field with its documentation; ``default=...`` means required."""
    metadata = {"doc": text, **extra}
    if default is ...:
        return field(metadata=metadata)
    if isinstance(default, (dict, list)):
        raise TypeError("use tuple or mapping_default for mutable defaults")
    return field(default=default, metadata=metadata)


def internal() -> Any:
    """A field set by the loader (source locations), never read from YAML."""
    return field(default=NOWHERE, metadata={"internal": True}, compare=False, repr=False)


def key_locations() -> Any:
    """A field set by the loader: where each key's value was written (for a message about one key)."""
    return field(default_factory=dict, metadata={"internal": True}, compare=False, repr=False)


def empty_mapping(text: str) -> Any:
    return field(default_factory=dict, metadata={"doc": text})
