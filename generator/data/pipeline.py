"""The pipeline as one readable sequence: load → check → score (→ render → build, in build.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.data.check import check_project
from generator.data.load import Project, load_project
from generator.data.problems import Problems
from generator.engine.gcpause import collector_paused
from generator.engine.outcome import AssessmentOutcome
from generator.engine.results import Assessment
from generator.engine.scoring import score_assessment
from generator.engine.yearoutcome import attach_year


@dataclass
class Prepared:
    project: Project
    outcomes: dict[str, AssessmentOutcome] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)
    #: The checked results each outcome was scored from (what a unit's page is a function of, with its standing).
    assessments: dict[str, Assessment] = field(default_factory=dict)


def prepare(root: Path, only: set[str] | None = None) -> Prepared:
    """Load, check and score every assessment under ``root`` (or those in ``only``)."""
    with collector_paused():
        return _prepare(root, only)


def _prepare(root: Path, only: set[str] | None) -> Prepared:
    problems = Problems()
    project = load_project(root, problems, only)
    assessments = check_project(project, problems)
    prepared = Prepared(project, problems=problems, assessments=assessments)
    for aid, assessment in assessments.items():
        outcome = score_assessment(assessment)
        problems.extend(outcome.problems)
        prepared.outcomes[aid] = outcome
    rubrics = {rid: rubric for rid, (rubric, _file) in project.rubrics.items()}
    prepared.outcomes = attach_year(prepared.outcomes, project.year, rubrics)
    return prepared
