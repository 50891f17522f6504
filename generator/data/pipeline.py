"""The pipeline as one readable sequence: load → check → score (→ render → build, in build.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from generator.data.check import check_project
from generator.data.load import Project, load_project
from generator.data.problems import Problems
from generator.engine.gcpause import collector_paused
from generator.engine.outcome import AssessmentOutcome
from generator.engine.results import Assessment, RawResults
from generator.engine.scoring import score_assessment
from generator.engine.yearoutcome import attach_year


@dataclass
class Prepared:
    #: The project as read; its results tables without their rows (:func:`_drop_rows`).
    project: Project
    outcomes: dict[str, AssessmentOutcome] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    #: The checked results each outcome was scored from (what a unit's page is a function of, with its standing).
    assessments: dict[str, Assessment] = field(default_factory=dict)


def prepare(root: Path, only: set[str] | None = None, *, spare: Callable[[], None] | None = None) -> Prepared:
    """Load, check and score every assessment under ``root`` (or those in ``only``).

    ``spare`` (the build's ``gc.freeze``) is called once the results are made, before the paused cycle
    collector resumes: resumed first, it would walk every object made here once more.
    """
    with collector_paused():
        prepared = _prepare(root, only)
        if spare is not None:
            spare()
        return prepared


def _prepare(root: Path, only: set[str] | None) -> Prepared:
    problems = Problems()
    project = load_project(root, problems, only)
    assessments = check_project(project, problems)
    _drop_rows(project)
    prepared = Prepared(project, problems=problems, assessments=assessments)
    for aid, assessment in assessments.items():
        outcome = score_assessment(assessment)
        problems.extend(outcome.problems)
        prepared.outcomes[aid] = outcome
    rubrics = {rid: rubric for rid, (rubric, _file) in project.rubrics.items()}
    prepared.outcomes = attach_year(prepared.outcomes, project.year, rubrics)
    return prepared


#: RawResults' fields that hold the tables' rows as read.
_ROWS = tuple(f.name for f in fields(RawResults) if f.name not in ("assessment", "folder", "files", "sample"))


def _drop_rows(project: Project) -> None:
    """Forget the tables' rows once checked: the checked assessments hold what they say, with each row's place.
    (At a province's size the rows as read, a dictionary of text per row, are a third of the memory.)"""
    none: dict[str, Any] = dict.fromkeys(_ROWS, ())
    project.results = {aid: replace(raw, **none) for aid, raw in project.results.items()}
