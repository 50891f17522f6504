"""Faster construction and ``repr`` for the frozen, slotted dataclasses made by the million.

Scoring 10,000 units makes hundreds of thousands of result objects. A frozen dataclass sets each field in
``__init__`` through ``object.__setattr__``, which looks the name up again on every call: a quarter of the time
spent scoring went there. :func:`quick` gives such a class an ``__init__`` that sets each slot through the
slot's own descriptor, and a ``__repr__`` without the guard against cycles (a frozen object of tuples cannot
hold itself). Both take and give exactly what the dataclass's own do: the same parameters, defaults,
keyword-only fields and ``__post_init__``, the same text; instances stay frozen. A class's own ``__init__`` or
``__repr__`` is left as it is. The originals stay on the new functions as ``__wrapped__``.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar

T = TypeVar("T")

#: Stands for "not given" where a field's default is made by a factory.
_FACTORY = object()


def quick(cls: type[T]) -> type[T]:
    """``cls`` (a frozen dataclass with slots) with the faster ``__init__`` and ``__repr__``."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: quick() is for frozen dataclasses with slots")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init for f in fields):
        raise TypeError(f"{cls.__qualname__}: quick() does not handle fields left out of __init__")
    # Only what dataclasses made: a class's own __init__ or __repr__ stays.
    if params.init and _generated(cls.__dict__.get("__init__")):
        _init(cls, fields)
    if params.repr and _generated(cls.__dict__.get("__repr__")):
        _repr(cls, fields)
    return cls


def _generated(function: Any) -> bool:
    """Whether ``function`` is one dataclasses made (its code is made in ``__create_fn__``; a made ``__repr__``
    is wrapped in a guard against cycles)."""
    code = getattr(getattr(function, "__wrapped__", function), "__code__", None)
    return code is not None and code.co_qualname.startswith("__create_fn__.")


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    names: dict[str, Any] = {"_FACTORY": _FACTORY}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for f in fields:
        param = f.name
        if f.default is not dataclasses.MISSING:
            names[f"_default_{f.name}"] = f.default
            param += f"=_default_{f.name}"
        elif f.default_factory is not dataclasses.MISSING:
            names[f"_factory_{f.name}"] = f.default_factory
            param += "=_FACTORY"
            body.append(f" if {f.name} is _FACTORY: {f.name} = _factory_{f.name}()")
        (keyword if f.kw_only else positional).append(param)
        names[f"_set_{f.name}"] = getattr(cls, f.name).__set__
        body.append(f" _set_{f.name}(self, {f.name})")
    if hasattr(cls, "__post_init__"):
        body.append(" self.__post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    source = f"def __init__({signature}):\n" + ("\n".join(body) or " pass") + "\n"
    made = _compile(source, names, "__init__")
    if _parameters(made) != _parameters(cls.__init__):  # type: ignore[misc]  # e.g. an InitVar, which is not a field
        raise TypeError(f"{cls.__qualname__}: quick() would change the parameters of __init__")
    made.__wrapped__ = cls.__init__  # type: ignore[misc]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = made  # type: ignore[misc]


def _repr(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
    parts = ", ".join(f"{f.name}={{self.{f.name}!r}}" for f in fields if f.repr)
    source = f"def __repr__(self):\n return self.__class__.__qualname__ + f'({parts})'\n"
    made = _compile(source, {}, "__repr__")
    made.__wrapped__ = cls.__repr__
    made.__qualname__ = f"{cls.__qualname__}.__repr__"
    cls.__repr__ = made  # type: ignore[method-assign]


def _parameters(function: Any) -> list[tuple[str, Any, bool]]:
    """Each parameter's name, kind and whether it has a default."""
    return [
        (p.name, p.kind, p.default is not inspect.Parameter.empty)
        for p in inspect.signature(function).parameters.values()
    ]


def _compile(source: str, names: dict[str, Any], name: str) -> Any:
    scope: dict[str, Any] = {}
    exec(source, dict(names), scope)  # noqa: S102 - made here from field names only, as dataclasses does
    return scope[name]


__all__ = ["quick"]
