"""Builders shared by the tests: short inline rubrics, results folders in a temporary project.

Rubrics are written inline as YAML (never read from ``rubrics/``), results as CSV text; the
pipeline runs on a throwaway project folder so every test sees exactly the data it states.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from generator.data.check_results import check_results
from generator.data.csvread import parse_table
from generator.data.load import read_rubric_text
from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Problems
from generator.data.tables import TABLES, table_for_file
from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.engine.results import RawResults, Row
from generator.engine.scoring import score_assessment

AID = "t"
#: The project's page templates, which the tests render with.
TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"
RUBRIC_FILE = f"rubrics/{AID}.yml"
RESULTS = f"results/{AID}"

HEAD = f"""\
id: {AID}
title: 测试细则
year: 2017
issuer: 测试机关
"""

BRANCH_ONLY = """\
unit_types:
  - {id: branch, name: 党支部, full_marks: 100}
"""

THREE_TYPES = """\
unit_types:
  - {id: committee, name: 党委, full_marks: 100}
  - {id: general_branch, name: 党总支, full_marks: 100}
  - {id: branch, name: 党支部, full_marks: 100}
"""


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def rubric_text(body: str, *, types: str = BRANCH_ONLY, floor: bool = True) -> str:
    """A whole rubric: the fixed head, unit types, ``defaults.item_floor: 0`` and ``body``."""
    parts = [HEAD, types]
    if floor:
        parts.append("defaults:\n  item_floor: 0\n")
    parts.append(dedent(body))
    return "".join(parts)


def parse_rubric(text: str, file: str = RUBRIC_FILE) -> tuple[Rubric | None, Problems]:
    problems = Problems()
    rubric = read_rubric_text(text, file, problems)
    return rubric, problems


def rubric_from_yaml(text: str) -> Rubric:
    """Parse a rubric that must read without errors."""
    rubric, problems = parse_rubric(text)
    assert not problems.has_errors(), "\n".join(str(p) for p in problems.sorted())
    assert rubric is not None
    return rubric


def csv_text(*lines: str) -> str:
    """CSV text from its lines (header first), as written: quote cells that hold commas or newlines."""
    return "\n".join(lines) + "\n"


def write_project(root: Path, rubric_yaml: str, files: Mapping[str, str | bytes]) -> Path:
    """``rubrics/t.yml`` and ``results/t/<name>`` for each file (text is written as UTF-8)."""
    (root / "rubrics").mkdir(parents=True, exist_ok=True)
    (root / RUBRIC_FILE).write_text(rubric_yaml, encoding="utf-8")
    if files:
        folder = root / RESULTS
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (folder / name).write_bytes(data)
    return root


def rendered_docs(tmp: Path, rubric_yaml: str, files: Mapping[str, str | bytes]) -> Path:
    """A fresh project in ``tmp/project`` (data free of errors) rendered into ``tmp/docs``: its pages as
    Markdown with their downloads, without MkDocs. Returns the docs folder."""
    from generator.site.render import render_site

    prepared = run(tmp / "project", rubric_yaml, files)
    assert not prepared.problems.has_errors(), [str(p) for p in prepared.problems.sorted()]
    docs = tmp / "docs"
    rubrics = [r for r, _ in prepared.project.rubrics.values()]
    render_site(rubrics, prepared.outcomes, prepared.project.notices, TEMPLATES, docs)
    return docs


def run(root: Path, rubric_yaml: str, files: Mapping[str, str | bytes]) -> Prepared:
    """load → check → score on a fresh project; returns whatever came out, problems included."""
    write_project(root, rubric_yaml, files)
    return prepare(root)


def messages(prepared: Prepared | Problems) -> list[str]:
    problems = prepared.problems if isinstance(prepared, Prepared) else prepared
    return [str(p) for p in problems.sorted()]


def errors(prepared: Prepared | Problems) -> list[str]:
    problems = prepared.problems if isinstance(prepared, Prepared) else prepared
    return [str(p) for p in problems.sorted() if p in problems.errors]


def warnings(prepared: Prepared | Problems) -> list[str]:
    problems = prepared.problems if isinstance(prepared, Prepared) else prepared
    return [str(p) for p in problems.sorted() if p in problems.warnings]


def score(root: Path, rubric_yaml: str, files: Mapping[str, str | bytes]) -> AssessmentOutcome:
    """Run the pipeline on data that must be free of errors; returns the assessment's outcome."""
    prepared = run(root, rubric_yaml, files)
    assert not prepared.problems.has_errors(), "\n".join(messages(prepared))
    return prepared.outcomes[AID]


def units_csv(*rows: str, header: str = "id,name,type,status") -> str:
    """A roster; each row like ``u1,一支部,branch,已考核``."""
    return csv_text(header, *rows)


def entries_csv(*rows: str, header: str = "unit,item,rule,value,amount,reason") -> str:
    return csv_text(header, *rows)


def find(node_outcomes: tuple[NodeOutcome, ...], node_id: str) -> NodeOutcome:
    for n in node_outcomes:
        if n.id == node_id:
            return n
        try:
            return find(n.children, node_id)
        except KeyError:
            continue
    raise KeyError(node_id)


def unit(outcome: AssessmentOutcome, unit_id: str) -> UnitOutcome:
    return outcome.by_unit()[unit_id]


def check_and_score(rubric: Rubric, files: Mapping[str, bytes]) -> tuple[AssessmentOutcome | None, Problems]:
    """check → score in memory (no folder): each file parsed as the table its name says."""
    problems = Problems()
    tables: dict[str, list[Row]] = {t.name: [] for t in TABLES}
    for name, data in files.items():
        table = table_for_file(name)
        assert table is not None, name
        tables[table.name].extend(parse_table(data, f"{RESULTS}/{name}", table, problems))
    raw = RawResults(
        AID, RESULTS, files=tuple(f"{RESULTS}/{n}" for n in files), **{k: tuple(v) for k, v in tables.items()}
    )
    assessment = check_results(rubric, raw, problems)
    if assessment is None or problems.has_errors():
        return None, problems
    outcome = score_assessment(assessment)
    problems.extend(outcome.problems)
    return outcome, problems
