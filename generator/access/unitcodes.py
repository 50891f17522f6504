"""Unit codes as the accounts file names them: which assessments have a code, and a code that is two units."""

from __future__ import annotations

from collections.abc import Iterable

from generator.data.pipeline import Prepared
from generator.data.problems import Loc, Problems
from generator.site import views


def registry(prepared: Prepared) -> dict[str, list[tuple[str, str]]]:
    """Unit code → (assessment, unit name) for every assessment whose registry has it, newest first."""
    units: dict[str, list[tuple[str, str]]] = {}
    for outcome in views.ordered(prepared.outcomes):
        for u in outcome.units:
            units.setdefault(u.unit.id, []).append((outcome.rubric.id, u.unit.name))
    return units


def refuse_shared_codes(
    accounts: Iterable[tuple[str, str | None, Loc]], prepared: Prepared, problems: Problems
) -> None:
    """An account's unit code that names different units in different series (two offices' registries both
    numbered 01, 02 …): the account would be let into every one of them. Within a series a code is one unit,
    renamed or not (``kaoping new`` carries the registry over)."""
    names: dict[str, dict[str, list[str]]] = {}  # code → series → its names there, newest first
    for outcome in views.ordered(prepared.outcomes):
        for u in outcome.units:
            had = names.setdefault(u.unit.id, {}).setdefault(outcome.rubric.series_id, [])
            if u.unit.name not in had:
                had.append(u.unit.name)
    for name, unit, loc in accounts:  # (account, unit code, where)
        series = names.get(unit or "", {})
        # Two series are one unit when they share a name in any year (a unit renamed in one series only).
        if len(series) > 1 and not set.intersection(*(set(called) for called in series.values())):
            shown = "、".join(f"{called[0]}（系列 {sid}）" for sid, called in sorted(series.items()))
            problems.error(
                loc,
                f"单位代码 {unit} 在不同的考核系列中是不同的单位：{shown}；"
                f"账号 {name} 会看到它们全部的页面",
                "同一个单位代码在各系列中应是同一个单位：把其中一个系列的单位代码改得不同（units.csv 和各结果文件），"
                "再生成。",
            )
