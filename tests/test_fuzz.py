"""Fuzz and property tests over whole inputs (hypothesis).

1. Raw CSV text and bytes, in any encoding, through :func:`generator.data.csvread.parse_table` (and on through
   the results checker): rows or located problems, never another exception.
2. Raw YAML text through :func:`generator.data.load.read_rubric_text` and the rubric checker: a rubric or
   located problems, never another exception.
3. Random *valid* rubrics (trees of indicators with every rule kind, unit types, applicability, bonus
   with caps, penalties, vetoes, weighted parts, threshold or rank grading) with valid results for
   them, written out as YAML and CSV and run through the whole pipeline. The outcome must hold the
   engine's invariants, and must not depend on the order of rows or on how they are split into files.

Examples per test are kept small so that the whole file runs in well under 30 seconds.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from helpers import check_and_score
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.data.check import check_rubric
from generator.data.check_results import check_results
from generator.data.csvread import parse_table
from generator.data.load import read_rubric_text
from generator.data.problems import Problems
from generator.data.tables import TABLES, Table
from generator.engine.exact import ZERO, quantize
from generator.engine.models import RawResults, Row, Rubric
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
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

CSV_ALPHABET = list(',"\n\r\t ;、|') + list("０１２３４５６７８９．，") + list("0123456789.-+%=@") + list("u单位代码指标原因情况扣分党旗是否　\x00\ufeff\u2028")
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
        return draw(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"PK\x03\x04"])) + draw(st.binary(max_size=120))
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
    "value": ["", "1", "２", "2.5", "-1", "0", "3次", "75%", "75", "101%", "是", "否", "党旗", "党旗、制度上墙", "党旗、党旗", "国旗", "NaN", "1,000", "1e3"],
    "amount": ["", "1", "1.5分", "１．５", "6", "-2", "0", "inf", "2", "0.5"],
    "reason": ["原因", "", "=HYPERLINK(\"http://x\")", "<script>alert(1)</script>", "多行\n原因"],
}
ENTRY_COLUMNS = ["unit", "item", "rule", "value", "amount", "reason"]


def csv_line(cells: Iterable[str]) -> str:
    out = []
    for cell in cells:
        out.append('"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell)
    return ",".join(out)


@st.composite
def entries_file(draw: st.DrawFn) -> str:
    rows = [
        csv_line(draw(st.sampled_from(CELLS[c])) for c in ENTRY_COLUMNS)
        for _ in range(draw(st.integers(min_value=0, max_value=12)))
    ]
    return "\n".join([",".join(ENTRY_COLUMNS), *rows]) + "\n"


SHARED_UNITS = "id,name,type,status\nu01,第一党委,committee,已考核\nu02,第一党支部,branch,已考核\nu03,第二党支部,党支部,\n"
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

YAML_TOKENS = [
    "id", "title", "points", "rules", "kind", "children", "indicators", "unit_types", "full_marks", "per",
    "deduct", "max", "min", "cap", "floor", "applies_to", "bonus", "items", "levels", "grading", "bands",
    "parts", "weight", "defaults", "item_floor", "activities", "targets", "year", "issuer",
    ": ", ":", "- ", "\n", "\n  ", "\n    ", "  ", "\t", "#", "'", '"', "|", ">", "&a ", "*a", "&b ", "*b",
    "[", "]", "{", "}", ", ", "!!python/object:os.system", "!!str ", "!!binary ", "<<: ", "? ", "---\n", "...",
    "range", "fixed", "shortfall", "rate", "三分", "1.5", "１．５", "80%", "0777", "0x1F", "1:30", "~", "null",
    "true", "2017-01-01", "2017年1月1日", "branch", "\\u0000", "\x00", "\ufeff", "😀", "%YAML 1.1\n",
    "[" * 120, "&c [*c]", "{k: &d {k: *d}}", "-0o7", "1_000", "+.inf", ".nan", "-1", "0", "'", "[[]]", "{}",
]
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
            lambda m: m.group("head") + draw(st.sampled_from(YAML_TOKENS)) if m.start() in chosen else m.group(0), RUBRIC_TEXT
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


# --------------------------------------------------------------------------------------------
# 3. Random valid rubrics with valid results
# --------------------------------------------------------------------------------------------

D = Decimal
KINDS = ["shortfall", "per_element", "fixed", "range", "overdue", "per_occurrence", "per_person", "earned", "all_or_nothing", "rate"]
ELEMENTS = ["党旗", "入党誓词", "制度上墙", "活动台账", "学习园地", "党员名册"]
TYPES = [("t1", "党委"), ("t2", "党总支"), ("t3", "党支部")]
GROUPS = ["第一组", "第二组"]


def halves_upto(top: Decimal) -> st.SearchStrategy[Decimal]:
    """0.5, 1, … up to ``top`` (at least 0.5)."""
    return st.integers(min_value=1, max_value=max(1, int(top * 2))).map(lambda n: D(n) / 2)


def num(value: Decimal | int) -> Any:
    """A number for the YAML (written as JSON): an int or the Decimal's exact text as a float."""
    value = D(value)
    return int(value) if value == value.to_integral_value() else float(value)


@st.composite
def rule_spec(draw: st.DrawFn, rid: str, points: Decimal, earned_taken: bool) -> dict[str, Any]:
    kinds = [k for k in KINDS if not (earned_taken and k == "earned")]
    kind = draw(st.sampled_from(kinds))
    rule: dict[str, Any] = {"id": rid, "kind": kind}
    small = halves_upto(points)
    if kind == "shortfall":
        rule["target"] = draw(st.integers(min_value=1, max_value=6))
        if draw(st.booleans()):
            rule["per"] = num(draw(halves_upto(D(2))))
        else:
            rule["deduct"] = num(draw(small))
    elif kind == "per_element":
        rule["per"] = num(draw(halves_upto(D(2))))
        rule["elements"] = draw(st.lists(st.sampled_from(ELEMENTS), min_size=1, max_size=4, unique=True))
    elif kind == "fixed":
        rule["deduct"] = num(draw(small))
    elif kind == "range":
        top = draw(st.none() | small)
        low = draw(st.sampled_from([D(0), D("0.5")]).filter(lambda v: v <= (top or points)))
        rule["min"] = num(low)
        if top is not None:
            rule["max"] = num(top)
    elif kind == "overdue":
        rule["per"] = num(draw(halves_upto(D(2))))
        whole = draw(st.none() | st.integers(min_value=1, max_value=8))
        if whole is not None:
            rule["whole_item_at"] = whole
    elif kind in ("per_occurrence", "per_person"):
        rule["per"] = num(draw(halves_upto(D(2))))
    elif kind == "earned":
        rule["points"] = num(draw(small))
        rule["partial"] = draw(st.booleans())
    elif kind == "rate":
        rule["threshold"] = draw(st.sampled_from(["80%", "0.9", "100%"]))
        way = draw(st.sampled_from(["deduct", "per", "range"]))
        if way == "range":
            top = draw(small)
            rule["min"], rule["max"] = num(min(D("0.5"), top)), num(top)
        else:
            rule[way] = num(draw(small))
    if kind != "earned" and draw(st.integers(min_value=0, max_value=3)) == 0:
        rule["cap"] = num(draw(small))
    return rule


@st.composite
def node_spec(draw: st.DrawFn, node_id: str, depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "title": f"指标{node_id}"}
    if depth >= 3 or (depth > 1 and draw(st.booleans())):
        points = draw(halves_upto(D(10)))
        rules: list[dict[str, Any]] = []
        for i in range(draw(st.integers(min_value=1, max_value=3))):
            rules.append(draw(rule_spec(chr(ord("a") + i), points, any(r["kind"] == "earned" for r in rules))))
        node.update(points=num(points), rules=rules)
    else:
        children = [draw(node_spec(f"{node_id}.{i + 1}", depth + 1)) for i in range(draw(st.integers(min_value=1, max_value=3)))]
        points = sum((D(str(c["points"])) for c in children), ZERO)
        node.update(points=num(points), children=children)
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            node["rules"] = [draw(rule_spec("p", points, False))]
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        node["floor"] = num(draw(st.sampled_from([D(0), points / 2, points])))
    return node


def walk(nodes: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for n in nodes:
        yield n
        yield from walk(n.get("children", ()))


def make_type_specific(categories: list[dict[str, Any]], types: list[str], draw: st.DrawFn) -> None:
    """Some items do not apply to a type, and a sibling leaf takes their points for it (seed 004)."""
    if len(types) < 2:
        return
    for parent in walk(categories):
        kids = parent.get("children", [])
        leaves = [k for k in kids[1:] if "children" not in k and "points_by_type" not in k and "floor" not in k]
        if len(kids) < 2 or not leaves or "not_applicable_to" in kids[0] or not draw(st.booleans()):
            continue
        skipped = draw(st.sampled_from(types))
        kids[0]["not_applicable_to"] = [skipped]
        taker = leaves[0]
        taker["points_by_type"] = {skipped: num(D(str(taker["points"])) + D(str(kids[0]["points"])))}


@dataclass
class Generated:
    """A rubric (as YAML text) and its results (as CSV texts), with what the generator knows about them."""

    rubric_yaml: str
    units: list[tuple[str, str, str, bool]]  # id, type, group, assessed
    files: dict[str, list[str]] = field(default_factory=dict)  # table → data rows (CSV lines)
    headers: dict[str, str] = field(default_factory=dict)

    def csv(self, table: str, rows: list[str] | None = None) -> bytes:
        body = self.files[table] if rows is None else rows
        return ("\n".join([self.headers[table], *body]) + "\n").encode("utf-8")


def applicable_types(categories: list[dict[str, Any]], types: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}

    def visit(node: dict[str, Any], allowed: set[str]) -> None:
        mine = allowed - set(node.get("not_applicable_to", ()))
        out[node["id"]] = mine
        for child in node.get("children", ()):
            visit(child, mine)

    for c in categories:
        visit(c, set(types))
    return out


def rule_rows(draw: st.DrawFn, rule: dict[str, Any], points: Decimal) -> list[tuple[str, str]]:
    """(情况, 扣分) cells for one unit and one rule, valid for the checker (possibly several rows)."""
    kind = rule["kind"]
    if kind == "shortfall":
        return [(str(draw(st.integers(min_value=0, max_value=4))), "") for _ in range(draw(st.integers(min_value=1, max_value=2)))]
    if kind == "per_element":
        missing = draw(st.lists(st.sampled_from(rule["elements"]), min_size=1, max_size=len(rule["elements"]), unique=True))
        return [("、".join(missing), "")] if draw(st.booleans()) else [(str(len(missing)), "")]
    if kind in ("fixed", "all_or_nothing"):
        return [(draw(st.sampled_from(["", "是", "否"])), "")]
    if kind == "range":
        low = D(str(rule["min"]))
        top = D(str(rule.get("max", points)))
        amount = draw(st.integers(min_value=int(low * 2), max_value=int(top * 2)).map(lambda n: D(n) / 2))
        return [("", str(amount))]
    if kind == "overdue":
        return [(str(draw(st.integers(min_value=0, max_value=9))), "")]
    if kind in ("per_occurrence", "per_person"):
        return [(str(draw(st.integers(min_value=0, max_value=5))), "") for _ in range(draw(st.integers(min_value=1, max_value=2)))]
    if kind == "earned":
        done = draw(st.sampled_from(["", "是", "否"]))
        if rule["partial"] and done != "否" and draw(st.booleans()):
            return [(done, str(draw(halves_upto(D(str(rule["points"]))))))]
        return [(done, "")]
    # rate
    rows = []
    threshold = D(rule["threshold"].rstrip("%")) / (100 if rule["threshold"].endswith("%") else 1)
    discretionary_used = False
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        percent = draw(st.integers(min_value=50, max_value=100))
        amount = ""
        if "max" in rule and D(percent) / 100 < threshold:
            if discretionary_used:
                # A discretionary 1～2 is one judgement: the rows below the rate together stay within max.
                percent = int(threshold * 100)
            else:
                amount = str(draw(st.sampled_from([D(str(rule["min"])), D(str(rule["max"]))])))
                discretionary_used = True
        rows.append((f"{percent}%", amount))
    return rows


@st.composite
def generated(draw: st.DrawFn) -> Generated:
    n_types = draw(st.integers(min_value=1, max_value=3))
    types = [t for t, _ in TYPES[:n_types]]
    categories = [draw(node_spec(str(i + 1), 1)) for i in range(draw(st.integers(min_value=1, max_value=3)))]
    make_type_specific(categories, types, draw)
    total = sum((D(str(c["points"])) for c in categories), ZERO)
    rubric: dict[str, Any] = {
        "id": "suiji-2017",
        "title": "随机生成的细则",
        "year": 2017,
        "issuer": "测试机关",
        "unit_types": [{"id": t, "name": name, "full_marks": num(total)} for t, name in TYPES[:n_types]],
        "defaults": {"item_floor": 0},
        "rounding": {"decimals": draw(st.integers(min_value=0, max_value=2)), "mode": draw(st.sampled_from(["half_up", "half_even"]))},
        "indicators": categories,
    }
    # Bonus: items by level (some per occurrence) or discretionary, with caps.
    bonus_items = []
    for i in range(draw(st.integers(min_value=0, max_value=2))):
        item: dict[str, Any] = {"id": f"b{i + 1}", "title": f"加分项{i + 1}", "same_subject_once": draw(st.booleans())}
        if draw(st.booleans()):
            item["levels"] = [
                {"id": f"l{j + 1}", "name": f"级别{j + 1}", "points": num(draw(halves_upto(D(4)))), "per_occurrence": draw(st.booleans())}
                for j in range(draw(st.integers(min_value=1, max_value=3)))
            ]
        else:
            low = draw(halves_upto(D(2)))
            item["min"], item["max"] = num(low), num(low + draw(halves_upto(D(2))))
        if draw(st.booleans()):
            item["cap"] = num(draw(halves_upto(D(5))))
        bonus_items.append(item)
    if bonus_items:
        rubric["bonus"] = {"items": bonus_items}
        if draw(st.booleans()):
            rubric["bonus"]["cap"] = num(draw(halves_upto(D(6))))
    penalties = [
        {"id": f"p{i + 1}", "name": f"扣分因素{i + 1}", "min": 1, "max": num(D(1) + draw(halves_upto(D(4)))), "can_remove_eligibility": draw(st.booleans())}
        for i in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    if penalties:
        rubric["penalties"] = penalties
    if draw(st.booleans()):
        rubric["vetoes"] = {
            "effect": draw(st.sampled_from(["no_advanced", "fail"])),
            "events": [{"id": "v1", "name": "否决事项一"}, {"id": "v2", "name": "否决事项二", "effect": draw(st.sampled_from(["no_advanced", "fail"]))}],
        }
    has_parts = draw(st.booleans())
    if has_parts:
        weight = draw(st.sampled_from([50, 60, 70, 90]))
        rubric["parts"] = [
            {"id": "year_end", "name": "年终考核", "weight": f"{weight}%", "source": "rubric"},
            {"id": "routine", "name": "平时考核", "weight": f"{100 - weight}%", "source": "entered", "full": 100},
        ]
    # Ranking and grading.
    if draw(st.booleans()):
        pool_of = {t: draw(st.sampled_from(["g1", "g2"])) for t in types}
        pools = []
        for pid in sorted(set(pool_of.values())):
            pool: dict[str, Any] = {"id": pid, "name": f"排名组{pid}", "unit_types": [t for t in types if pool_of[t] == pid]}
            top = draw(st.none() | st.integers(min_value=1, max_value=3))
            if top is not None:
                pool["advanced_top"] = top
            bottom = draw(st.none() | st.integers(min_value=1, max_value=2))
            if bottom is not None:
                pool["fail_bottom"] = bottom
                if draw(st.booleans()):
                    pool["fail_at_or_below"] = num(draw(halves_upto(total)))
            pools.append(pool)
        rubric["ranking"] = {"within": "pools", "pools": pools}
        rubric["grading"] = {
            "method": "rank",
            "advanced": "rank" if any("advanced_top" in p for p in pools) else "none",
            "places_among": draw(st.sampled_from(["eligible", "all"])),
            "fail_if_category_zero": draw(st.booleans()),
        }
    else:
        cuts = sorted(draw(st.lists(halves_upto(total), min_size=1, max_size=2, unique=True)), reverse=True)
        grades = ["pass", "basic_pass"][: len(cuts)]
        rubric["ranking"] = {"within": draw(st.sampled_from(["group", "all"]))}
        rubric["grading"] = {
            "method": "threshold",
            "bands": [{"grade": g, "min": num(c)} for g, c in zip(grades, cuts, strict=True)] + [{"grade": "fail"}],
            "fail_if_category_zero": draw(st.booleans()),
            "advanced": draw(st.sampled_from(["none", "threshold"])),
            "advanced_requires": draw(st.sampled_from(["pass", "basic_pass"])),
        }
        if rubric["grading"]["advanced"] == "threshold":
            rubric["grading"]["advanced_min_score"] = num(draw(halves_upto(total)))

    # Units and their results.
    units = []
    for i in range(draw(st.integers(min_value=2, max_value=6))):
        units.append((f"u{i + 1}", draw(st.sampled_from(types)), draw(st.sampled_from(GROUPS)), draw(st.integers(min_value=0, max_value=5)) > 0))
    gen = Generated(json.dumps(rubric, ensure_ascii=False, indent=1), units)
    gen.headers = {
        "units": "单位代码,单位名称,单位类型,联络组,考核状态",
        "entries": "单位代码,指标编号,规则,情况,扣分,扣分原因",
        "bonus": "单位代码,加分项目,级别,次数,加分,事项,认定",
        "penalties": "单位代码,扣分因素,扣分,事由,取消评先资格",
        "vetoes": "单位代码,否决事项,情况",
        "parts": "单位代码,组成部分,得分",
    }
    gen.files = {name: [] for name in gen.headers}
    applies = applicable_types(categories, types)
    counter = 0
    for uid, utype, group, assessed in units:
        gen.files["units"].append(f"{uid},单位{uid},{utype},{group},{'已考核' if assessed else '不参加考核'}")
        if not assessed:
            continue
        if has_parts:
            gen.files["parts"].append(f"{uid},routine,{draw(st.integers(min_value=0, max_value=200)) / 2}")
        for node in walk(categories):
            if utype not in applies[node["id"]] or not node.get("rules") or draw(st.integers(min_value=0, max_value=2)) == 0:
                continue
            points = D(str(node["points"]))
            for rule in node["rules"]:
                if draw(st.booleans()):
                    for value, amount in rule_rows(draw, rule, points):
                        counter += 1
                        gen.files["entries"].append(csv_line([uid, node["id"], rule["id"], value, amount, f"第{counter}条问题"]))
        for item in bonus_items:
            for k in range(draw(st.integers(min_value=0, max_value=2))):
                confirmed = draw(st.sampled_from(["是", "否", ""]))
                subject = draw(st.sampled_from(["先进基层党组织", "经验交流"])) + str(k)
                if "levels" in item:
                    level = draw(st.sampled_from(item["levels"]))
                    count = str(draw(st.integers(min_value=1, max_value=4))) if level["per_occurrence"] else ""
                    gen.files["bonus"].append(f"{uid},{item['id']},{level['name']},{count},,{subject},{confirmed}")
                else:
                    amount = draw(st.integers(min_value=int(item["min"] * 2), max_value=int(item["max"] * 2))) / 2
                    gen.files["bonus"].append(f"{uid},{item['id']},,,{amount},{subject},{confirmed}")
        for p in penalties:
            if draw(st.integers(min_value=0, max_value=3)) == 0:
                amount = draw(st.integers(min_value=2, max_value=int(p["max"] * 2))) / 2
                removes = "是" if p["can_remove_eligibility"] and draw(st.booleans()) else ""
                gen.files["penalties"].append(f"{uid},{p['id']},{amount},事由{uid},{removes}")
        if "vetoes" in rubric and draw(st.integers(min_value=0, max_value=4)) == 0:
            gen.files["vetoes"].append(f"{uid},{draw(st.sampled_from(['v1', 'v2']))},情况{uid}")
    return gen


def run_generated(gen: Generated, entries: dict[str, list[str]] | None = None, shuffled: dict[str, list[str]] | None = None) -> AssessmentOutcome:
    problems = Problems()
    rubric = read_rubric_text(gen.rubric_yaml, "rubrics/suiji-2017.yml", problems)
    assert rubric is not None, "\n".join(str(p) for p in problems.sorted()) + "\n" + gen.rubric_yaml
    check_rubric(rubric, problems)
    assert not problems.items, "\n".join(str(p) for p in problems.sorted()) + "\n" + gen.rubric_yaml
    files = {f"{name}.csv": gen.csv(name, (shuffled or {}).get(name)) for name in gen.files if name != "entries" or entries is None}
    for name, rows in (entries or {}).items():
        files[name] = gen.csv("entries", rows)
    outcome, found = check_and_score(rubric, files)
    noisy = [str(p) for p in found.sorted()]
    assert outcome is not None and not noisy, "\n".join(noisy) + "\n" + gen.rubric_yaml + "\n" + gen.csv("entries").decode()
    return outcome


# -- the invariants ---------------------------------------------------------------------------


def check_node(n: NodeOutcome, rubric: Rubric, default_floor: Decimal) -> None:
    if not n.applicable:
        assert n.score is None and n.lost == 0
        return
    assert n.points is not None and n.score is not None
    floor = n.node.floor if n.node.floor is not None else default_floor
    assert min(floor, n.points) <= n.score <= n.points
    assert n.lost == n.points - n.score
    raw = sum((r.lost for r in n.rules), ZERO) + sum((c.lost for c in n.children if c.applicable), ZERO)
    assert n.score == min(n.points, max(floor, n.points - raw))
    for r in n.rules:
        assert r.lost >= 0
        if r.rule.cap is not None:
            assert r.lost <= r.rule.cap
    for c in n.children:
        check_node(c, rubric, default_floor)


def expected_bonus(rubric: Rubric, u: UnitOutcome) -> Decimal:
    """The bonus worked out again from the claims: confirmed only, best per subject (counted once, however many
    times it was claimed), item caps, overall cap."""
    scheme = rubric.bonus
    if scheme is None:
        return ZERO
    total = ZERO
    for item in scheme.items:
        values: dict[Any, Decimal] = {}
        for c in (c for i in u.score.bonus.items if i.item.id == item.id for c in i.claims):
            if not c.claim.confirmed:
                continue
            if item.levels:
                level = next(lv for lv in item.levels if c.claim.level in (lv.id, lv.name))
                value = level.points * (c.claim.count if level.per_occurrence and not item.same_subject_once else 1)
            else:
                value = c.claim.amount or ZERO
            key = c.claim.subject if item.same_subject_once else id(c)
            values[key] = max(values.get(key, ZERO), value)
        subtotal = sum(values.values(), ZERO)
        total += min(subtotal, item.cap) if item.cap is not None else subtotal
    return min(total, scheme.cap) if scheme.cap is not None else total


def check_unit(u: UnitOutcome, rubric: Rubric) -> None:
    s = u.score
    default_floor = rubric.defaults.item_floor or ZERO
    for c in s.categories:
        check_node(c, rubric, default_floor)
    assert s.indicator_score == sum((c.score for c in s.categories if c.applicable and c.score is not None), ZERO)
    # Parts, bonus, penalties and the total, with the one rounding rule.
    rounding = rubric.rounding

    def q(value: Decimal) -> Decimal:
        return quantize(value, rounding.decimals, rounding.mode)

    if rubric.parts:
        base = ZERO
        for p in s.parts:
            raw = s.indicator_score if p.part.source == "rubric" else p.raw
            full = s.indicator_points if p.part.source == "rubric" else (p.part.full or ZERO)
            assert p.scaled == q(raw / full * s.full_marks)
            assert p.weighted == q(p.scaled * p.part.weight)
            base += p.weighted
        assert s.base == base
    else:
        assert s.base == s.indicator_score
    bonus = s.bonus
    assert bonus.total == expected_bonus(rubric, u)
    if rubric.bonus is not None:
        for item in bonus.items:
            assert item.total <= item.subtotal
            if item.item.cap is not None:
                assert item.total <= item.item.cap
        if rubric.bonus.cap is not None:
            assert bonus.total <= rubric.bonus.cap
    assert s.penalty_total == sum((p.record.amount for p in s.penalties), ZERO)
    assert s.total == q(max(ZERO, s.base + bonus.total - s.penalty_total))
    assert s.total >= 0


def competition_ranks(totals: dict[str, Decimal], reverse: bool = True) -> dict[str, int]:
    return {uid: 1 + sum(1 for o in totals.values() if (o > t if reverse else o < t)) for uid, t in totals.items()}


def check_grades(outcome: AssessmentOutcome) -> None:
    rubric = outcome.rubric
    grading = rubric.grading
    assert grading is not None
    order = {"advanced": 0, "pass": 1, "basic_pass": 2, "fail": 3}
    pools: dict[str, list[UnitOutcome]] = {}
    for u in outcome.units:
        if not u.score.assessed:
            assert u.standing.grade is None and u.standing.rank is None
            continue
        pools.setdefault(u.standing.pool, []).append(u)
    for pool_id, members in pools.items():
        totals = {u.unit.id: u.score.total for u in members}
        ranks = competition_ranks(totals)
        bottoms = competition_ranks(totals, reverse=False)
        pool = next((p for p in rubric.ranking.pools if p.id == pool_id), None)
        forced: dict[str, bool] = {}
        base: dict[str, str] = {}
        eligible: dict[str, bool] = {}
        for u in members:
            uid, s = u.unit.id, u.score
            assert u.standing.rank == ranks[uid]
            grade = "pass"
            if grading.method == "threshold":
                grade = next(b.grade for b in grading.bands if b.min is None or s.total >= b.min)
            zero = grading.fail_if_category_zero and any(c.applicable and c.score == 0 for c in s.categories)
            bottom = (
                pool is not None
                and pool.fail_bottom is not None
                and bottoms[uid] <= pool.fail_bottom
                and (pool.fail_at_or_below is None or s.total <= pool.fail_at_or_below)
            )
            vetoed_fail = any(v.effect == "fail" for v in s.vetoes)
            forced[uid] = zero or bottom or vetoed_fail
            base[uid] = "fail" if forced[uid] else grade
            eligible[uid] = (
                order[base[uid]] <= order[grading.advanced_requires]
                and (grading.advanced_min_score is None or s.total >= grading.advanced_min_score)
                and not any(v.effect == "no_advanced" for v in s.vetoes)
                and not any(p.record.removes_eligibility for p in s.penalties)
            )
        if grading.advanced == "rank":
            top = pool.advanced_top if pool is not None else None
            if grading.places_among == "eligible":
                place = competition_ranks({uid: t for uid, t in totals.items() if eligible[uid]})
            else:
                place = ranks
            advanced = {uid for uid in totals if eligible[uid] and top is not None and place[uid] <= top}
        elif grading.advanced == "threshold":
            advanced = {uid for uid in totals if eligible[uid]}
        else:
            advanced = set()
        for u in members:
            uid = u.unit.id
            expected = "advanced" if uid in advanced else base[uid]
            assert u.standing.grade == expected, (uid, u.standing.reasons)
            if u.standing.grade == "fail" and grading.method == "rank":
                assert forced[uid]  # only the bottom N at or below the floor, a category at 0, or a veto


def numbers(outcome: AssessmentOutcome) -> dict[str, Any]:
    def nodes(ns: tuple[NodeOutcome, ...]) -> list[Any]:
        return [(n.id, n.points, n.lost, n.score, tuple((r.rule_id, r.lost, r.earned) for r in n.rules), nodes(n.children)) for n in ns]

    return {
        u.unit.id: (u.score.total, u.score.base, u.score.bonus.total, u.score.penalty_total, u.standing.rank, u.standing.grade, nodes(u.score.categories))
        for u in outcome.units
    }


@given(generated(), st.randoms(use_true_random=False))
@settings(max_examples=60)
def test_random_valid_rubrics_hold_every_invariant(gen: Generated, rnd: Any) -> None:
    outcome = run_generated(gen)
    for u in outcome.units:
        if u.score.assessed:
            check_unit(u, outcome.rubric)
    check_grades(outcome)
    # The same rows in another order, and split over two files, give the same numbers.
    expected = numbers(outcome)
    shuffled = {name: rnd.sample(rows, len(rows)) for name, rows in gen.files.items()}
    assert numbers(run_generated(gen, shuffled=shuffled)) == expected
    rows = shuffled["entries"]
    cut = rnd.randint(0, len(rows))
    split = {"entries-a.csv": rows[:cut], "entries-b.csv": rows[cut:]}
    assert numbers(run_generated(gen, entries=split)) == expected


def test_the_generator_makes_varied_data() -> None:
    """Guards the strategy itself: generated projects do have entries, bonus, penalties and both gradings."""
    seen: dict[str, int] = {"entries": 0, "bonus": 0, "penalties": 0, "vetoes": 0, "rank": 0, "threshold": 0, "types": 0}

    @given(generated())
    @settings(max_examples=40)
    def sample(gen: Generated) -> None:
        for name in ("entries", "bonus", "penalties", "vetoes"):
            seen[name] += bool(gen.files[name])
        seen["rank" if '"method": "rank"' in gen.rubric_yaml else "threshold"] += 1
        seen["types"] += "not_applicable_to" in gen.rubric_yaml

    sample()
    assert all(v > 0 for v in seen.values()), seen
