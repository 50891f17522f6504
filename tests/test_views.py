"""Page contexts computed across assessments: the history of a unit over the years of a series."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from generator import views


def outcome(year: int, grades: dict[str, str | None]) -> Any:
    """An assessment of the series ``s`` in ``year`` with the given units' grades (what History reads)."""
    rubric = SimpleNamespace(id=f"s-{year}", year=year, series_id="s")
    units = tuple(SimpleNamespace(unit=SimpleNamespace(id=uid), standing=SimpleNamespace(grade=g)) for uid, g in grades.items())
    return SimpleNamespace(rubric=rubric, units=units)


def test_consecutive_fails_count_years_and_a_year_without_an_assessment_breaks_the_run() -> None:
    outcomes = {
        "s-2016": outcome(2016, {"a": "fail", "b": "fail"}),
        "s-2017": outcome(2017, {"a": "fail", "b": "fail"}),
        # 2018: no assessment of the series at all
        "s-2019": outcome(2019, {"a": "fail", "b": "pass"}),
        "s-2020": outcome(2020, {"a": "fail", "b": "fail"}),
    }
    history = views.History(outcomes)
    r = {aid: o.rubric for aid, o in outcomes.items()}
    assert history.consecutive_fails(r["s-2017"], "a") == 2
    assert history.consecutive_fails(r["s-2019"], "a") == 1  # 2018 is missing: not "three years running"
    assert history.consecutive_fails(r["s-2020"], "a") == 2
    assert history.consecutive_fails(r["s-2020"], "b") == 1
    assert history.consecutive_fails(r["s-2019"], "b") == 0


def test_a_unit_absent_from_the_year_before_starts_a_new_run() -> None:
    outcomes = {"s-2017": outcome(2017, {"a": "fail"}), "s-2018": outcome(2018, {"b": "fail"}), "s-2019": outcome(2019, {"a": "fail"})}
    history = views.History(outcomes)
    assert history.consecutive_fails(outcomes["s-2019"].rubric, "a") == 1
