"""generator.engine.quick: the faster __init__ and __repr__ take and give what the dataclass's own do."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import InitVar, dataclass, field
from pathlib import Path

import pytest

from generator.data.pipeline import prepare
from generator.engine.quick import quick

REPO = Path(__file__).resolve().parent.parent


def _twins() -> tuple[type, type]:
    """The same class twice: as dataclasses makes it, and with quick()."""

    def make() -> type:
        @dataclass(frozen=True, slots=True)
        class Item:
            name: str
            points: int
            tags: tuple[str, ...] = ()
            seen: list[str] = field(default_factory=list)
            hidden: str = field(default="h", repr=False)
            note: str | None = field(default=None, kw_only=True)
            checked: list[str] = field(default_factory=list, kw_only=True)

            def __post_init__(self) -> None:
                self.checked.append(self.name)

        return Item

    return make(), quick(make())


def test_same_parameters_values_and_text() -> None:
    plain, fast = _twins()
    assert fast.__init__.__wrapped__ is not None and fast.__repr__.__wrapped__ is not None
    calls = [
        (("a", 1), {}),
        (("b", 2, ("x",), ["s"], "H"), {"note": "n", "checked": ["c"]}),
        ((), {"name": "c", "points": 3, "hidden": "z"}),
    ]
    for args, kwargs in calls:
        p, f = plain(*args, **kwargs), fast(*args, **kwargs)
        assert [getattr(f, x.name) for x in dataclasses.fields(fast)] == [
            getattr(p, x.name) for x in dataclasses.fields(plain)
        ]
        assert repr(f).replace(fast.__qualname__, "X") == repr(p).replace(plain.__qualname__, "X")
        assert "hidden" not in repr(f)
        assert f.checked[-1] == f.name  # __post_init__ ran


def test_parameters_match_name_kind_and_default() -> None:
    plain, fast = _twins()
    mine = inspect.signature(fast.__init__).parameters
    theirs = inspect.signature(plain.__init__).parameters
    assert list(mine) == list(theirs)
    for name in theirs:
        assert mine[name].kind == theirs[name].kind
        assert (mine[name].default is inspect.Parameter.empty) == (theirs[name].default is inspect.Parameter.empty)


def test_factories_give_a_new_object_each_time() -> None:
    _plain, fast = _twins()
    one, two = fast("a", 1), fast("b", 2)
    assert one.seen == [] and one.seen is not two.seen


def test_wrong_calls_fail_as_before() -> None:
    plain, fast = _twins()
    for cls in (plain, fast):
        with pytest.raises(TypeError):
            cls("only a name")
        with pytest.raises(TypeError):
            cls("a", 1, (), [], "h", "a keyword-only note given by position")
        with pytest.raises(TypeError):
            cls("a", 1, unknown=1)


def test_still_frozen_and_slotted() -> None:
    _plain, fast = _twins()
    item = fast("a", 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.name = "b"  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        item.other = 1  # type: ignore[attr-defined]
    assert not hasattr(item, "__dict__")
    assert item == fast("a", 1)


def test_refuses_what_it_does_not_handle() -> None:
    @dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(frozen=True, slots=True)
    class LeftOut:
        a: int
        b: int = field(default=0, init=False)

    @dataclass(frozen=True, slots=True)
    class WithInitVar:
        a: int
        extra: InitVar[int]

        def __post_init__(self, extra: int) -> None:
            pass

    for cls in (NotFrozen, NoSlots, LeftOut, WithInitVar):
        with pytest.raises(TypeError, match="quick"):
            quick(cls)


def test_a_class_s_own_init_and_repr_are_left_alone() -> None:
    @dataclass(frozen=True, slots=True)
    class Own:
        a: int

        def __init__(self, text: str) -> None:
            object.__setattr__(self, "a", len(text))

        def __repr__(self) -> str:
            return f"<{self.a}>"

    made = quick(Own)
    assert made("abc").a == 3 and repr(made("ab")) == "<2>"
    assert not hasattr(made.__init__, "__wrapped__")


def _walk(obj: object, seen: set[int], found: list[object]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        found.append(obj)
        for f in dataclasses.fields(obj):
            _walk(getattr(obj, f.name), seen, found)
    elif isinstance(obj, (tuple, list)):
        for x in obj:
            _walk(x, seen, found)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _walk(k, seen, found)
            _walk(v, seen, found)


def test_every_result_of_the_bundled_data_reads_and_remakes_the_same() -> None:
    """Every object of the bundled assessments' results: the same text as dataclasses' own __repr__, and made
    again from its fields by either __init__, an equal object."""
    prepared = prepare(REPO)
    assert not prepared.problems.has_errors()
    found: list[object] = []
    _walk(list(prepared.outcomes.values()) + list(prepared.assessments.values()), set(), found)
    # (dataclasses' own __repr__ has a __wrapped__ too; its __init__ has none)
    quickened = [o for o in found if hasattr(type(o).__init__, "__wrapped__")]
    kinds = {type(o).__name__ for o in quickened}
    assert {"UnitScore", "NodeOutcome", "RuleOutcome", "Finding", "Loc", "Unit"} <= kinds, kinds
    for obj in quickened:
        cls = type(obj)
        assert repr(obj) == cls.__repr__.__wrapped__(obj)  # type: ignore[attr-defined]
        values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
        assert cls(**values) == obj
        again = object.__new__(cls)
        cls.__init__.__wrapped__(again, **values)  # type: ignore[misc]
        assert again == obj
