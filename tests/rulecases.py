"""Shared by the table-driven rule tests: one item of a rubric with the given rules, and a unit's rows for it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from helpers import AID, HEAD, entries_csv, errors, find, units_csv

from generator.data.pipeline import Prepared
from generator.engine.outcome import NodeOutcome

Run = Callable[[str, Mapping[str, str | bytes]], Prepared]
TYPES = (("committee", "党委"), ("general_branch", "党总支"), ("branch", "党支部"))


def item_rubric(points: str, rules: str, *, extra: str = "", node: str = "") -> str:
    """One indicator ``1`` worth ``points`` (the whole rubric), for three unit types."""
    types = "unit_types:\n" + "".join(f"  - {{id: {t}, name: {n}, full_marks: {points}}}\n" for t, n in TYPES)
    return (
        HEAD
        + types
        + "defaults:\n  item_floor: 0\n"
        + extra
        + f'indicators:\n  - {{id: "1", title: 考核项, points: {points}, {node}rules: [{rules}]}}\n'
    )


def run_item(
    ran: Run,
    points: str,
    rules: str,
    rows: Sequence[str],
    *,
    unit_type: str = "branch",
    extra: str = "",
    node: str = "",
) -> Prepared:
    entries = entries_csv(*(f"u1,1,{row},原因{i}" for i, row in enumerate(rows, start=1)))
    return ran(
        item_rubric(points, rules, extra=extra, node=node),
        {"units.csv": units_csv(f"u1,一支部,{unit_type},已考核"), "entries.csv": entries},
    )


def outcome_of(prepared: Prepared) -> NodeOutcome:
    assert errors(prepared) == []
    return find(prepared.outcomes[AID].by_unit()["u1"].score.categories, "1")


def score_of(ran: Run, points: str, rules: str, rows: Sequence[str], **options: str) -> Decimal | None:
    return outcome_of(run_item(ran, points, rules, rows, **options)).score


def first_lines(texts: list[str]) -> list[str]:
    return [t.split("\n")[0] for t in texts]
