"""Shared fixtures; the builders themselves live in :mod:`helpers`."""

from __future__ import annotations

import os

# As generator/__init__.py says (the tests import openpyxl before the generator): openpyxl's own XML writer.
os.environ.setdefault("OPENPYXL_LXML", "False")

from collections.abc import Callable, Mapping  # noqa: E402
from pathlib import Path

import pytest
from helpers import run, score
from hypothesis import HealthCheck, settings

from generator.data.pipeline import Prepared
from generator.engine.outcome import AssessmentOutcome

# Property tests stay fast and reproducible in CI: few examples, no per-example deadline
# (the first example pays for imports), and the database kept out of the working tree.
settings.register_profile(
    "kaoping",
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("kaoping")


@pytest.fixture
def scored(tmp_path: Path) -> Callable[[str, Mapping[str, str | bytes]], AssessmentOutcome]:
    """``scored(rubric_yaml, files)``: the outcome of data that must be free of errors."""

    def go(rubric_yaml: str, files: Mapping[str, str | bytes]) -> AssessmentOutcome:
        return score(tmp_path, rubric_yaml, files)

    return go


@pytest.fixture
def ran(tmp_path: Path) -> Callable[[str, Mapping[str, str | bytes]], Prepared]:
    """``ran(rubric_yaml, files)``: load → check → score, problems included."""

    def go(rubric_yaml: str, files: Mapping[str, str | bytes]) -> Prepared:
        return run(tmp_path, rubric_yaml, files)

    return go
