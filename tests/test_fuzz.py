"""Fuzz and property tests over whole inputs (hypothesis).

1. Raw CSV text and bytes, in any encoding, through :func:`generator.data.csvread.parse_table` (and on through
   the results checker): rows or located problems, never another exception.
2. Raw YAML text through :func:`generator.data.load.read_rubric_text` and the rubric checker: a rubric or
   located problems, never another exception.
3. Random *valid* rubrics with valid results for them (``tests/fuzzgen.py``), run through the whole pipeline:
   ``tests/test_fuzz_pipeline.py``.

Examples per test are kept small so that the whole file runs in well under 30 seconds.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from pathlib import Path

from fuzzgen import csv_line
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.data.check import check_rubric
from generator.data.check_results import check_results
from generator.data.csvread import parse_table
from generator.data.load import read_rubric_text
from generator.data.problems import Problems
from generator.data.tables import TABLES, Table
from generator.engine.models import Rubric
from generator.engine.results import RawResults, Row
from generator.engine.rules.registry import KINDS
from generator.engine.scoring import score_assessment

CORPUS_RUBRIC = Path(__file__).parent / "corpus" / "_shared" / "rubrics" / "shili-2017.yml"
RUBRIC_TEXT = CORPUS_RUBRIC.read_text(encoding="utf-8")
RUBRIC_FILE = "rubrics/shili-2017.yml"


def assert_located(problems: Problems, files: Iterable[str]) -> None:
    """Every problem names one of ``files`` and a line that exists (0 when the whole file is meant)."""
    known = set(files)
    for p in problems:
        assert p.loc.file in known, str(p)
        assert p.loc.line >= 0 and p.loc.column >= 0, str(p)
        assert p.message, str(p)


# --------------------------------------------------------------------------------------------
# 1. Raw CSV
# --------------------------------------------------------------------------------------------

CSV_ALPHABET = (
    list(',"\n\r\t ;、|')
    + list("０１２３４５６７８９．，")
    + list("0123456789.-+%=@")
    + list("u单位代码指标原因情况扣分党旗是否　\x00\ufeff\u2028")
)
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"]


@st.composite
def header_line(draw: st.DrawFn, table: Table) -> str:
    names = [draw(st.sampled_from((c.title, c.name, *c.aliases))) for c in table.columns]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    delimiter = draw(st.sampled_from([",", "\t"]))
    return delimiter.join(chosen) + draw(st.sampled_from(["\n", "\r\n", "\r", ""]))


@st.composite
def csv_bytes(draw: st.DrawFn, table: Table) -> bytes:
    body = draw(st.text(alphabet=CSV_ALPHABET, max_size=200))
    head = draw(st.none() | header_line(table))
    text = (head or "") + body
    how = draw(st.sampled_from(ENCODINGS + ["cut", "raw"]))
    if how == "raw":
        return draw(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"PK\x03\x04"])) + draw(
            st.binary(max_size=120)
        )
    data = text.encode("utf-8")
    if how == "cut":
        return data[: draw(st.integers(min_value=0, max_value=len(data)))]
    return text.encode(how, errors="replace")


@given(st.sampled_from(TABLES).flatmap(lambda t: st.tuples(st.just(t), csv_bytes(t))))
@settings(max_examples=300)
def test_raw_csv_gives_rows_or_located_problems(case: tuple[Table, bytes]) -> None:
    table, data = case
    problems = Problems()
    file = f"results/shili-2017/{table.prefix}.csv"
    rows = parse_table(data, file, table, problems)
    assert_located(problems, [file])
    names = {c.name for c in table.columns}
    for row in rows:
        assert set(row.cells) <= names
        assert row.loc.file == file and row.loc.line >= 1
        assert all(value == value.strip() for value in row.cells.values())


# Cells as clerks get them wrong: case, spaces, names for codes, units, full-width, NaN, formulas.
CELLS: dict[str, list[str]] = {
    "unit": ["u01", "u02", "u03", "U01", " u02", "u09", "", "第一党支部", "../u01"],
    "item": ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "9", "", "１.１"],
    "rule": ["", "", "late", "rate", "a", "LATE", "b"],
    "value": [
        "",
        "1",
        "２",
        "2.5",
        "-1",
        "0",
        "3次",
        "75%",
        "75",
        "101%",
        "是",
        "否",
        "党旗",
        "党旗、制度上墙",
        "党旗、党旗",
        "国旗",
        "NaN",
        "1,000",
        "1e3",
    ],
    "amount": ["", "1", "1.5分", "１．５", "6", "-2", "0", "inf", "2", "0.5"],
    "reason": ["原因", "", '=HYPERLINK("http://x")', "<script>alert(1)</script>", "多行\n原因"],
}
ENTRY_COLUMNS = ["unit", "item", "rule", "value", "amount", "reason"]


@st.composite
def entries_file(draw: st.DrawFn) -> str:
    rows = [
        csv_line(draw(st.sampled_from(CELLS[c])) for c in ENTRY_COLUMNS)
        for _ in range(draw(st.integers(min_value=0, max_value=12)))
    ]
    return "\n".join([",".join(ENTRY_COLUMNS), *rows]) + "\n"


SHARED_UNITS = (
    "id,name,type,status\nu01,第一党委,committee,已考核\nu02,第一党支部,branch,已考核\nu03,第二党支部,党支部,\n"
)
SHARED_RUBRIC: Rubric | None = read_rubric_text(RUBRIC_TEXT, RUBRIC_FILE, Problems())


@given(entries_file(), st.lists(st.sampled_from(["u01", "u02", "u03"]), unique=True))
@settings(max_examples=200)
def test_messy_results_are_checked_without_crashing(entries: str, with_parts: list[str]) -> None:
    assert SHARED_RUBRIC is not None
    problems = Problems()
    folder = "results/shili-2017"
    files = {
        "units": (f"{folder}/units.csv", SHARED_UNITS),
        "entries": (f"{folder}/entries.csv", entries),
        "parts": (f"{folder}/parts.csv", "unit,part,score\n" + "".join(f"{u},routine,900\n" for u in with_parts)),
    }
    tables = {t.name: t for t in TABLES}
    parsed: dict[str, tuple[Row, ...]] = {
        name: tuple(parse_table(text.encode(), file, tables[name], problems)) for name, (file, text) in files.items()
    }
    raw = RawResults("shili-2017", folder, files=tuple(f for f, _ in files.values()), **parsed)
    assessment = check_results(SHARED_RUBRIC, raw, problems)
    assert_located(problems, [f for f, _ in files.values()] + [folder])
    if assessment is not None and not problems.has_errors():
        outcome = score_assessment(assessment)
        assert all(u.score.total >= 0 for u in outcome.units)


# --------------------------------------------------------------------------------------------
# 2. Raw YAML
# --------------------------------------------------------------------------------------------

# fmt: off
YAML_TOKENS = [
    "id", "title", "points", "rules", "kind", "children", "indicators", "unit_types", "full_marks", "per",
    "deduct", "max", "min", "cap", "floor", "applies_to", "bonus", "items", "levels", "grading", "bands",
    "parts", "weight", "defaults", "item_floor", "activities", "targets", "year", "issuer",
    ": ", ":", "- ", "\n", "\n  ", "\n    ", "  ", "\t", "#", "'", '"', "|", ">", "&a ", "*a", "&b ", "*b",
    "[", "]", "{", "}", ", ", "!!python/object:os.system", "!!str ", "!!binary ", "<<: ", "? ", "---\n", "...",
    *KINDS, "三分", "1.5", "１．５", "80%", "0777", "0x1F", "1:30", "~", "null",
    "true", "2017-01-01", "2017年1月1日", "branch", "\\u0000", "\x00", "\ufeff", "😀", "%YAML 1.1\n",
    "[" * 120, "&c [*c]", "{k: &d {k: *d}}", "-0o7", "1_000", "+.inf", ".nan", "-1", "0", "'", "[[]]", "{}",
]
# fmt: on
YAML_LINE = re.compile(r"^(?P<head>\s*(?:- )?[\w]+: ?)(?P<value>.*)$", re.MULTILINE)


@st.composite
def yaml_text(draw: st.DrawFn) -> str:
    how = draw(st.sampled_from(["tokens", "values", "edits"]))
    if how == "tokens":
        return "".join(draw(st.lists(st.sampled_from(YAML_TOKENS), max_size=60)))
    if how == "values":
        # A valid rubric with some values replaced: every field meets odd input of its own.
        lines = list(YAML_LINE.finditer(RUBRIC_TEXT))
        chosen = {m.start() for m in draw(st.lists(st.sampled_from(lines), min_size=1, max_size=4))}
        return YAML_LINE.sub(
            lambda m: m.group("head") + draw(st.sampled_from(YAML_TOKENS)) if m.start() in chosen else m.group(0),
            RUBRIC_TEXT,
        )
    # A valid rubric with a few edits: deleted, inserted and replaced spans.
    text = RUBRIC_TEXT
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        length = draw(st.integers(min_value=0, max_value=12))
        insert = draw(st.sampled_from(["", *YAML_TOKENS]))
        text = text[:at] + insert + text[at + length :]
    return text


@given(yaml_text())
@settings(max_examples=250)
def test_raw_yaml_gives_a_rubric_or_located_problems(text: str) -> None:
    problems = Problems()
    rubric = read_rubric_text(text, RUBRIC_FILE, problems)
    if rubric is None:
        assert problems.has_errors()
    else:
        check_rubric(rubric, problems)
    assert_located(problems, [RUBRIC_FILE])
