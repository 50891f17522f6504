"""The reference pages stay true to the code.

- ``docs/reference/rubric.md`` documents every key of every rubric model and every rule kind, in the
  section of its model, and every YAML example in it is checked: whole rubrics (``# 示例：完整细则``),
  rule lists (``# 示例：规则``), indicator lists (``# 示例：指标``) and top-level fragments
  (``# 示例：片段``) are wrapped into a small rubric where needed, loaded and checked without errors.
- The CSV examples after a YAML example are its results: they are run through the whole pipeline with
  it, and every score, rank and grade the prose states (``本项得 **2** 分``, ``综合得分 **183.56** 分``,
  ``等次 **达标**`` …) is compared with what the engine computes.
- ``docs/reference/results.md`` documents every table and column of :mod:`generator.data.tables`; its CSV
  examples are the results of the complete example rubric in ``rubric.md``, and its sample
  ``kaoping check`` output is what the checker prints for its sample mistakes.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import textwrap
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest

from generator.cli import main as cli_main
from generator.data import check_units
from generator.data.check import check_rubric
from generator.data.csvread import parse_table
from generator.data.load import read_rubric_text
from generator.data.pipeline import prepare
from generator.data.problems import Problems
from generator.data.tables import TABLES, UNITS, Table, table_for_file
from generator.engine import models, results
from generator.engine.exact import NumberError, parse_number
from generator.engine.models import Rubric
from generator.engine.origin import SOURCED_FIELDS, Sourced
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, UnitOutcome
from generator.engine.rules import cells as rule_cells
from generator.engine.rules.base import Rule
from generator.engine.rules.registry import KINDS as RULE_KINDS
from generator.engine.tree import tree_points, typed_tree

ROOT = Path(__file__).resolve().parents[1]
RUBRIC_MD = ROOT / "docs" / "reference" / "rubric.md"
RESULTS_MD = ROOT / "docs" / "reference" / "results.md"

MARK_FULL = "# 示例：完整细则"
MARK_RULES = "# 示例：规则"
MARK_NODES = "# 示例：指标"
MARK_PART = "# 示例：片段"
MARKS = (MARK_FULL, MARK_RULES, MARK_NODES, MARK_PART)

# --------------------------------------------------------------------------------------------
# Reading the pages: headings, sections, fenced blocks, claims
# --------------------------------------------------------------------------------------------

_FENCE = re.compile(
    r"^(?P<indent>[ ]*)```(?P<lang>[\w-]*)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```[ ]*$",
    re.MULTILINE | re.DOTALL,
)
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_HEADING = re.compile(r"^(?P<hashes>#{1,6}) (?P<text>.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    lang: str
    title: str
    body: str
    start: int
    end: int
    line: int

    @property
    def first_line(self) -> str:
        return self.body.split("\n", 1)[0].strip()


def blocks(text: str) -> list[Block]:
    out = []
    for m in _FENCE.finditer(text):
        title = _TITLE.search(m.group("info"))
        body = textwrap.dedent(m.group("body")) if m.group("indent") else m.group("body")
        out.append(
            Block(
                m.group("lang"),
                title.group("title") if title else "",
                body,
                m.start(),
                m.end(),
                text.count("\n", 0, m.start()) + 1,
            )
        )
    return out


def prose(text: str) -> str:
    """The page with its fenced blocks blanked out, every offset kept (claims and keys come from prose)."""
    return _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) for every heading; a body runs to the next heading of the same or a higher level."""
    heads = list(_HEADING.finditer(prose(text)))
    out = []
    for i, h in enumerate(heads):
        level = len(h.group("hashes"))
        end = len(text)
        for later in heads[i + 1 :]:
            if len(later.group("hashes")) <= level:
                end = later.start()
                break
        out.append((h.group("text"), text[h.end() : end]))
    return out


def section_of(text: str, marker: str) -> str:
    found = [body for heading, body in sections(text) if marker in heading]
    assert len(found) == 1, f"应有且只有一个标题含 {marker}，找到 {len(found)} 个"
    return found[0]


_UNIT = r"`(?P<unit>[a-z]+-\d+)`[^`\n]*?"
_NUM = r"\*\*(?P<value>\d+(?:\.\d+)?)\*\*"
CLAIMS: dict[str, re.Pattern[str]] = {
    "rule_item": re.compile(_UNIT + r"本项得 " + _NUM + " 分"),
    "item": re.compile(_UNIT + r"指标 (?P<item>[\w.]+) 得 " + _NUM + " 分"),
    "not_applicable": re.compile(_UNIT + r"指标 (?P<item>[\w.]+) 不适用"),
    "total": re.compile(_UNIT + r"综合得分 " + _NUM + " 分"),
    "bonus": re.compile(_UNIT + r"加分 " + _NUM + " 分"),
    "rank": re.compile(_UNIT + r"第 \*\*(?P<value>\d+)\*\* 名"),
    "grade": re.compile(_UNIT + r"等次 \*\*(?P<value>[^*]+)\*\*"),
}


CLAIM_NAMES = {
    "rule_item": "本项得分",
    "item": "指标得分",
    "not_applicable": "是否不适用",
    "total": "综合得分",
    "bonus": "加分",
    "rank": "名次",
    "grade": "等次",
}


@dataclass(frozen=True)
class Claim:
    kind: str
    unit: str
    value: str
    item: str
    pos: int
    line: int


def claims(text: str) -> list[Claim]:
    plain = prose(text)
    out = []
    for kind, pattern in CLAIMS.items():
        for m in pattern.finditer(plain):
            groups = m.groupdict()
            out.append(
                Claim(
                    kind,
                    m.group("unit"),
                    groups.get("value") or "",
                    groups.get("item") or "",
                    m.start(),
                    plain.count("\n", 0, m.start()) + 1,
                )
            )
    return sorted(out, key=lambda c: c.pos)


# --------------------------------------------------------------------------------------------
# Examples: a YAML block with the CSV blocks and claims that follow it
# --------------------------------------------------------------------------------------------

#: What the wrapper adds around fragments: each top-level key a fragment may replace.
BASE: dict[str, str] = {
    "head": "id: shili\ntitle: 示例细则\nyear: 2017\nissuer: 示例机关\n",
    "unit_types": textwrap.dedent(
        """\
        unit_types:
          - {id: committee, name: 党委, full_marks: 100}
          - {id: general_branch, name: 党总支, full_marks: 100}
          - {id: branch, name: 党支部, full_marks: 100}
          - {id: county, name: 县（市）, full_marks: 100}
          - {id: urban_no_township, name: 无乡镇的城市区, full_marks: 100}
          - {id: city_unit, name: 市直单位, full_marks: 100}
        """
    ),
    # What the page says the rule and indicator examples assume.
    "defaults": "defaults:\n  item_floor: 0\n  leaf_rule: {kind: range}\n",
    "indicators": "indicators:\n  - {id: x, title: 示例指标, points: 100, rules: [{kind: range}]}\n",
}

#: Units of the generated roster (used when an example brings no units.csv): code → unit type.
ROSTER = {
    "dw-01": "committee",
    "zzb-01": "general_branch",
    "zb-01": "branch",
    "zb-02": "branch",
    "zb-03": "branch",
    "xian-01": "county",
    "qu-01": "urban_no_township",
    "sz-01": "city_unit",
}

_TOP_KEY = re.compile(r"^([A-Za-z_]+):", re.MULTILINE)
_MARK_ITEM = re.compile(r"指标\s*([\w.]+)")
_MARK_POINTS = re.compile(r"本项\s*(\d+(?:\.\d+)?)\s*分")


@dataclass
class Example:
    block: Block
    csv: list[Block] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def mark(self) -> str:
        return next(m for m in MARKS if self.block.first_line.startswith(m))

    @property
    def where(self) -> str:
        return f"{RUBRIC_MD.name} 第 {self.block.line} 行的示例"

    def rule_node(self) -> tuple[str, str]:
        """The indicator a rule example stands under: ``# 示例：规则（指标 2，本项 4 分）``."""
        item = _MARK_ITEM.search(self.block.first_line)
        points = _MARK_POINTS.search(self.block.first_line)
        return (item.group(1) if item else "1", points.group(1) if points else "10")

    def rubric_text(self) -> str:
        body = self.block.body
        if self.mark == MARK_FULL:
            return body
        parts = dict(BASE)
        if self.mark == MARK_RULES:
            item, points = self.rule_node()
            parts["indicators"] = (
                f"indicators:\n  - id: '{item}'\n    title: 示例指标\n    points: {points}\n    rules:\n"
                + textwrap.indent(body, " " * 6)
            )
        elif self.mark == MARK_NODES:
            parts["indicators"] = "indicators:\n" + textwrap.indent(body, "  ")
        else:
            # A fragment's top-level keys replace the wrapper's (its own unit_types, indicators …).
            for key in _TOP_KEY.findall(body):
                if key in parts:
                    parts[key] = ""
            parts["fragment"] = body
        return fit_full_marks("".join(parts.values()), own_types="unit_types" in _TOP_KEY.findall(body))


def fit_full_marks(text: str, own_types: bool) -> str:
    """Give each wrapper unit type the full marks its indicators add up to.

    A rule or indicator fragment cannot know the full marks of the rubric it will stand in, so the
    wrapper's unit types take whatever the fragment's applicable indicators total for each type.
    """
    problems = Problems()
    rubric = read_rubric_text(text, "rubrics/shili.yml", problems)
    if rubric is None:
        return text
    if own_types:
        # The fragment states its unit types' full marks; the wrapper's one indicator takes them.
        by_type = ", ".join(f"{t.id}: {t.full_marks}" for t in rubric.unit_types)
        top = max((t.full_marks for t in rubric.unit_types), default=100)
        return text.replace(
            BASE["indicators"],
            f"indicators:\n  - {{id: x, title: 示例指标, points: {top}, "
            f"points_by_type: {{{by_type}}}, rules: [{{kind: range}}]}}\n",
            1,
        )
    lines = []
    for t in rubric.unit_types:
        total = tree_points(typed_tree(rubric, t.id))
        lines.append(f"  - {{id: {t.id}, name: {t.name}, full_marks: {total}}}\n")
    return text.replace(BASE["unit_types"], "unit_types:\n" + "".join(lines), 1)


def examples(text: str) -> list[Example]:
    """Every YAML example, with the CSV blocks and claims that follow it up to the next YAML example."""
    out: list[Example] = []
    found = claims(text)
    for block in blocks(text):
        if block.lang == "yaml":
            out.append(Example(block))
        elif block.lang == "csv":
            assert out, f"第 {block.line} 行的 CSV 示例前面没有 YAML 示例"
            out[-1].csv.append(block)
    for claim in found:
        owner = [e for e in out if e.block.start < claim.pos]
        assert owner, f"第 {claim.line} 行的得分说明前面没有 YAML 示例"
        owner[-1].claims.append(claim)
    return out


RUBRIC_TEXT = RUBRIC_MD.read_text(encoding="utf-8")
RESULTS_TEXT = RESULTS_MD.read_text(encoding="utf-8")
EXAMPLES = examples(RUBRIC_TEXT)


def load(text: str, name: str = "rubrics/shili.yml") -> tuple[Rubric | None, Problems]:
    problems = Problems()
    rubric = read_rubric_text(text, name, problems)
    if rubric is not None:
        check_rubric(rubric, problems)
    return rubric, problems


def errors(problems: Problems) -> str:
    return "\n".join(str(p) for p in problems.sorted() if p in problems.errors)


# --------------------------------------------------------------------------------------------
# Running an example through the pipeline and comparing what the prose says
# --------------------------------------------------------------------------------------------


def run(tmp: Path, rubric_text: str, rubric_id: str, files: dict[str, str]) -> tuple[AssessmentOutcome, Problems]:
    (tmp / "rubrics").mkdir(parents=True, exist_ok=True)
    (tmp / "rubrics" / f"{rubric_id}.yml").write_text(rubric_text, encoding="utf-8")
    folder = tmp / "results" / rubric_id
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        assert table_for_file(name) is not None or name == "notice.yml", f"{name} 不是考核结果表格的文件名"
        (folder / name).write_text(body, encoding="utf-8")
    prepared = prepare(tmp)
    assert not prepared.problems.has_errors(), errors(prepared.problems)
    return prepared.outcomes[rubric_id], prepared.problems


def find_node(nodes: tuple[NodeOutcome, ...], node_id: str) -> NodeOutcome | None:
    for n in nodes:
        if n.id == node_id:
            return n
        found = find_node(n.children, node_id)
        if found is not None:
            return found
    return None


def actual(claim: Claim, unit: UnitOutcome, rule_item: str) -> Any:
    score = unit.score
    if claim.kind in ("rule_item", "item", "not_applicable"):
        node = find_node(score.categories, rule_item if claim.kind == "rule_item" else claim.item)
        assert node is not None, f"{claim.unit} 没有指标 {claim.item or rule_item}"
        if claim.kind == "not_applicable":
            return not node.applicable
        return node.score
    if claim.kind == "total":
        return score.total
    if claim.kind == "bonus":
        return score.bonus.total
    if claim.kind == "rank":
        return unit.standing.rank
    return unit.standing.label


def expected(claim: Claim) -> Any:
    if claim.kind == "not_applicable":
        return True
    if claim.kind == "rank":
        return int(claim.value)
    if claim.kind == "grade":
        return claim.value
    return Decimal(claim.value)


def check_claims(outcome: AssessmentOutcome, found: list[Claim], rule_item: str, where: str) -> None:
    units = outcome.by_unit()
    for claim in found:
        assert claim.unit in units, f"{where}：第 {claim.line} 行说到的单位 {claim.unit} 不在考核结果中"
        got = actual(claim, units[claim.unit], rule_item)
        assert got == expected(claim), (
            f"{where}：第 {claim.line} 行说 {claim.unit} 的{CLAIM_NAMES[claim.kind]}是 {claim.value or '不适用'}，"
            f"程序算出的是 {got}"
        )


def roster(types: set[str]) -> str:
    rows = [f"{code},{code},{kind},已考核" for code, kind in ROSTER.items() if kind in types]
    return "单位代码,单位名称,单位类型,考核状态\n" + "\n".join(rows) + "\n"


# --------------------------------------------------------------------------------------------
# rubric.md
# --------------------------------------------------------------------------------------------


def rubric_models() -> list[type[Any]]:
    """Every model reachable from ``Rubric`` through its fields, and every rule kind."""
    seen: list[type[Any]] = []

    def visit(tp: Any) -> None:
        if get_origin(tp) is not None:
            for arg in get_args(tp):
                visit(arg)
            return
        if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in seen:
            seen.append(tp)
            hints = typing.get_type_hints(tp)
            for f in dataclasses.fields(tp):
                if not f.metadata.get("internal"):  # where it was written (loc, at): set by the loader
                    visit(hints[f.name])

    visit(Rubric)
    for cls in RULE_KINDS.values():
        visit(cls)
    return seen


def public_fields(cls: type[Any]) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def test_every_rubric_model_is_found() -> None:
    found = {cls.__name__ for cls in rubric_models()}
    assert {"Rubric", "Node", "Rule", "BonusLevel", "Band", "Consequence", "ShortfallRule"} <= found
    # The models, and each rule kind in its own module.
    homes = [models, *(sys.modules[cls.__module__] for cls in RULE_KINDS.values())]
    assert found <= {name for home in homes for name in dir(home) if isinstance(getattr(home, name), type)}


@pytest.mark.parametrize("cls", [*rubric_models(), Sourced], ids=lambda c: c.__name__)
def test_every_key_is_documented_in_its_section(cls: type[Any]) -> None:
    body = section_of(RUBRIC_TEXT, f"`{cls.__name__}`")
    assert prose(body).strip(), f"rubric.md 的 {cls.__name__} 一节是空的"
    own = public_fields(cls)
    if issubclass(cls, Rule) and cls is not Rule:
        own = [f for f in own if f not in public_fields(Rule)]
    if issubclass(cls, Sourced) and cls is not Sourced:
        # The provenance keys every part may carry are documented once, in their own section.
        own = [f for f in own if f not in SOURCED_FIELDS]
    assert own or cls in RULE_KINDS.values(), f"{cls.__name__} 没有可写的键"
    missing = [f for f in own if f"`{f}`" not in prose(body)]
    assert not missing, f"rubric.md 的 {cls.__name__} 一节没有说明这些键：{missing}"


@pytest.mark.parametrize("kind", list(RULE_KINDS))
def test_every_rule_kind_has_a_section_and_an_example(kind: str) -> None:
    cls = RULE_KINDS[kind]
    heading = next((h for h, _ in sections(RUBRIC_TEXT) if f"`{cls.__name__}`" in h), "")
    assert f"`{kind}`" in heading and RULE_KINDS[kind].NAME in heading, heading
    body = section_of(RUBRIC_TEXT, f"`{cls.__name__}`")
    yaml_blocks = [b for b in blocks(body) if b.lang == "yaml" and b.first_line.startswith(MARK_RULES)]
    assert any(re.search(rf"kind: {kind}\b", b.body) for b in yaml_blocks), f"{kind} 没有规则示例"
    assert any(b.lang == "csv" for b in blocks(body)), f"{kind} 没有考核结果示例"
    assert CLAIMS["rule_item"].search(prose(body)), f"{kind} 没有算出得分的例子"
    assert f"| `{kind}` | {RULE_KINDS[kind].NAME} |" in RUBRIC_TEXT, f"规则种类总表中没有 {kind}"


def test_every_yaml_block_is_a_marked_example() -> None:
    for block in blocks(RUBRIC_TEXT):
        if block.lang == "yaml":
            assert block.first_line.startswith(MARKS), (
                f"rubric.md 第 {block.line} 行的 YAML 没有示例标记（{'、'.join(MARKS)}）"
            )
    assert any(e.mark == MARK_FULL for e in EXAMPLES)
    assert any(e.mark == MARK_RULES for e in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line{e.block.line}")
def test_yaml_example_loads_and_checks(example: Example, tmp_path: Path) -> None:
    rubric, problems = load(example.rubric_text())
    assert rubric is not None and not problems.has_errors(), f"{example.where}：\n{errors(problems)}"
    if not example.csv and not example.claims:
        return
    files: dict[str, str] = {}
    for block in example.csv:
        name = block.title or "entries.csv"
        assert name not in files, f"{example.where}：{name} 出现了两次"
        files[name] = block.body
    files.setdefault("units.csv", roster({t.id for t in rubric.unit_types}))
    outcome, found = run(tmp_path, example.rubric_text(), rubric.id, files)
    noisy = [str(p) for p in found if p.loc.file.startswith("results/")]
    assert not noisy, f"{example.where}：考核结果示例有警告：\n" + "\n".join(noisy)
    rule_item = example.rule_node()[0] if example.mark == MARK_RULES else ""
    check_claims(outcome, example.claims, rule_item, example.where)


def test_rule_examples_state_their_results() -> None:
    with_results = [e for e in EXAMPLES if e.csv]
    assert len(with_results) >= len(RULE_KINDS), "rubric.md 的规则示例应带考核结果（每种规则至少一个）"
    for example in EXAMPLES:
        if example.csv:
            assert example.claims, f"{example.where} 有考核结果，但没有写出算出的得分"


# --------------------------------------------------------------------------------------------
# results.md
# --------------------------------------------------------------------------------------------


def table_section(table: Table) -> str:
    return section_of(RESULTS_TEXT, f"`{table.name}`")


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_table_and_column_is_documented(table: Table) -> None:
    heading = next(h for h, _ in sections(RESULTS_TEXT) if f"`{table.name}`" in h)
    assert table.title in heading and f"{table.prefix}.csv" in heading, heading
    body = prose(table_section(table))
    for column in table.columns:
        rows = [line for line in body.splitlines() if line.startswith(f"| {column.title} | `{column.name}` |")]
        assert len(rows) == 1, f"results.md 的{table.title}一节应有一行说明「{column.title}」（`{column.name}`）"
        row = rows[0]
        for alias in column.aliases:
            if alias not in (column.title, column.name):
                assert alias in row, f"{table.title}「{column.title}」一行没有列出写法「{alias}」"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert ("必填" in cells[3]) == column.required, f"{table.title}「{column.title}」的必填标注不对"
        assert ("不发布" in cells[3]) == column.internal, f"{table.title}「{column.title}」的不发布标注不对"


def test_internal_columns_are_listed_as_unpublished() -> None:
    body = prose(section_of(RESULTS_TEXT, "不发布的内容"))
    assert body.strip(), "results.md 的“不发布的内容”一节是空的"
    assert sum(c.internal for t in TABLES for c in t.columns) >= len(TABLES), "每张表都有内部备注列"
    for table in TABLES:
        for column in table.columns:
            if column.internal:
                assert column.title in body, f"“不发布的内容”没有列出{table.title}的「{column.title}」"


def results_examples() -> dict[str, str]:
    files: dict[str, str] = {}
    for block in blocks(RESULTS_TEXT):
        if block.lang == "yaml" and block.title.startswith("results/"):  # the notice: its publicity period
            files[block.title] = block.body
        if block.lang == "csv":
            assert block.title.startswith("results/"), f"results.md 第 {block.line} 行的 CSV 示例没有写文件名"
            assert block.title not in files
            files[block.title] = block.body
    return files


def example_rubric(rubric_id: str) -> str:
    for example in EXAMPLES:
        if example.mark == MARK_FULL and f"\nid: {rubric_id}\n" in example.block.body:
            return example.block.body
    raise AssertionError(f"rubric.md 中没有 id 为 {rubric_id} 的完整示例")


def results_project(tmp: Path) -> tuple[str, dict[str, str]]:
    files = results_examples()
    folders = {name.rsplit("/", 1)[0] for name in files}
    assert len(folders) == 1, folders
    rubric_id = folders.pop().split("/", 1)[1]
    return rubric_id, {name.rsplit("/", 1)[1]: body for name, body in files.items()}


def test_every_table_has_an_example() -> None:
    names = {name.rsplit("/", 1)[1] for name in results_examples()}
    for table in TABLES:
        assert any(table_for_file(n) is table for n in names), f"results.md 没有{table.title}的示例"


def test_results_examples_run_with_the_example_rubric(tmp_path: Path) -> None:
    rubric_id, files = results_project(tmp_path)
    outcome, found = run(tmp_path, example_rubric(rubric_id), rubric_id, files)
    noisy = [str(p) for p in found if p.loc.file.startswith("results/")]
    assert not noisy, "results.md 的示例有警告：\n" + "\n".join(noisy)
    stated = claims(RESULTS_TEXT)
    assert stated, "results.md 没有写出示例的计算结果"
    check_claims(outcome, stated, "", RESULTS_MD.name)


def _check_section_blocks() -> Iterator[Block]:
    return iter(b for b in blocks(section_of(RESULTS_TEXT, "kaoping check")) if b.lang == "text")


def test_sample_check_output_is_what_the_checker_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    texts = list(_check_section_blocks())
    bad = next(b for b in texts if b.body.startswith("单位代码,"))
    shown = texts[texts.index(bad) + 1].body
    assert "错误：" in shown, "示例输出应列出错误"
    rubric_id, files = results_project(tmp_path)
    target = next(name for name in files if name.startswith("entries-") and name in shown)
    files[target] = bad.body
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / f"{rubric_id}.yml").write_text(example_rubric(rubric_id), encoding="utf-8")
    folder = tmp_path / "results" / rubric_id
    folder.mkdir(parents=True)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    code = cli_main(["--root", str(tmp_path), "check"])
    assert code == 1
    printed = capsys.readouterr().err
    assert printed.strip() == shown.strip()


# --------------------------------------------------------------------------------------------
# results.md: what it says about encodings, numbers and yes/no words
# --------------------------------------------------------------------------------------------


def _units_example() -> str:
    return next(body for name, body in results_examples().items() if name.endswith("/units.csv"))


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("utf-8", ","), ("gb18030", ","), ("gbk", ","), ("utf-16", ","), ("utf-16", "\t")],
)
def test_listed_encodings_are_read(encoding: str, delimiter: str) -> None:
    text = _units_example()
    expected_rows = parse_table(text.encode("utf-8"), "units.csv", UNITS, Problems())
    assert len(expected_rows) >= 2 and all(r.cells.get("name") for r in expected_rows), "单位名册的示例应有几行单位"
    data = text.replace(",", delimiter).encode(encoding)
    problems = Problems()
    rows = parse_table(data, "units.csv", UNITS, problems)
    assert not problems.items, [str(p) for p in problems]
    assert [r.cells for r in rows] == [r.cells for r in expected_rows]


def _table_rows(section: str) -> list[list[str]]:
    return [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in prose(section_of(RESULTS_TEXT, section)).splitlines()
        if line.startswith("| ") and not line.startswith("| ---")
    ]


def test_number_examples_behave_as_stated() -> None:
    checked = 0
    for cells in _table_rows("数字"):
        written, result = cells[0], cells[1]
        samples = [s.strip('"') for s in re.findall(r"`([^`]+)`", written)]
        for sample in samples:
            if result == "照读":
                assert not parse_number(sample).fixups, sample
            elif "给出警告" in result:
                assert parse_number(sample).fixups, sample
            elif "不是数字" in result:
                with pytest.raises(NumberError):
                    parse_number(sample)
            else:
                continue
            checked += 1
    assert checked >= 10


def test_yes_no_and_status_words_are_the_accepted_ones() -> None:
    assert rule_cells.YES and rule_cells.NO and check_units.ASSESSED and check_units.NOT_ASSESSED
    rows = {
        cells[0]: set(re.findall(r"`([^`]+)`", cells[1])) for cells in _table_rows("数字") if len(cells) == 2
    }
    assert rows["是"] == rule_cells.YES
    assert rows["否"] == rule_cells.NO
    status = next(
        line for line in prose(table_section(UNITS)).splitlines() if line.startswith("| 考核状态 | `status` |")
    )
    for word in check_units.ASSESSED | check_units.NOT_ASSESSED:
        assert word in status, f"考核状态一行没有列出「{word}」"


# --------------------------------------------------------------------------------------------
# notice.md
# --------------------------------------------------------------------------------------------

NOTICE_MD = RUBRIC_MD.parent / "notice.md"


@pytest.mark.parametrize("cls", [results.Notice, results.Publicity], ids=lambda c: c.__name__)
def test_every_notice_key_is_documented(cls: type[Any]) -> None:
    body = section_of(NOTICE_MD.read_text(encoding="utf-8"), f"`{cls.__name__}`")
    assert body.strip() and public_fields(cls), cls.__name__
    missing = [f for f in public_fields(cls) if f"`{f}`" not in body]
    assert not missing, f"notice.md 的 {cls.__name__} 一节没有说明这些键：{missing}"


def test_notice_example_loads_and_checks() -> None:
    from generator.data.load import load_notice  # noqa: F401  (the loader the build uses)
    from generator.data.yamlcompose import compose
    from generator.data.yamlread import Reader
    from generator.engine.results import Notice

    text = NOTICE_MD.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n# 示例：通报\n(.*?)```", text, re.S)
    assert block, "notice.md 应有一个“# 示例：通报”的 YAML 示例"
    problems = Problems()
    node = compose(block.group(1), "results/x/notice.yml", problems)
    notice = Reader("results/x/notice.yml", problems).read(Notice, node) if node is not None else None
    assert notice is not None and not problems.has_errors(), [str(p) for p in problems]
    assert notice.publicity is not None and notice.publicity.end > notice.publicity.start
