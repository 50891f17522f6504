"""The rule kinds: each YAML ``kind`` and the class that holds everything about it.

Built-in kinds are listed here once, in the order messages offer them. A kind from elsewhere (a test,
an office's own kind) is added with :func:`register`, or for a while with :func:`registered`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from generator.engine.rules.all_or_nothing import AllOrNothingRule
from generator.engine.rules.base import Rule
from generator.engine.rules.earned import EarnedRule
from generator.engine.rules.fixed import FixedRule
from generator.engine.rules.overdue import OverdueRule
from generator.engine.rules.per_element import PerElementRule
from generator.engine.rules.per_occurrence import PerOccurrenceRule
from generator.engine.rules.per_person import PerPersonRule
from generator.engine.rules.range import RangeRule
from generator.engine.rules.rate import RateRule
from generator.engine.rules.shortfall import ShortfallRule

_KINDS: dict[str, type[Rule]] = {}

#: Kind → its class (the YAML reader builds rules from it).
KINDS: Mapping[str, type[Rule]] = _KINDS


def register(cls: type[Rule]) -> type[Rule]:
    """Add a kind; its ``KIND`` must be new."""
    if not cls.KIND or cls.KIND in _KINDS:
        raise ValueError(f"rule kind {cls.KIND!r} is empty or already registered")
    _KINDS[cls.KIND] = cls
    return cls


def unregister(kind: str) -> None:
    del _KINDS[kind]


@contextmanager
def registered(cls: type[Rule]) -> Iterator[type[Rule]]:
    """A kind registered for the ``with`` block only."""
    register(cls)
    try:
        yield cls
    finally:
        unregister(cls.KIND)


for _cls in (
    ShortfallRule,
    PerElementRule,
    FixedRule,
    RangeRule,
    OverdueRule,
    PerOccurrenceRule,
    PerPersonRule,
    EarnedRule,
    AllOrNothingRule,
    RateRule,
):
    register(_cls)
