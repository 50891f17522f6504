"""A rule kind is one module: ``tests/kind_per_day.py``, registered from here alone, is read from YAML,
checked in the rubric and in results rows, scored, worded on the unit page and in the JSON, described on
the standards page and put in the score sheet, with no file of the product touched for it.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from helpers import AID, entries_csv, errors, find, parse_rubric, rubric_text, run, score, units_csv
from kind_per_day import PerDayRule

from generator.cli import main
from generator.data.load import load_project
from generator.data.problems import Problems
from generator.engine.rules.registry import KINDS, registered
from generator.engine.wording import rule_words
from generator.site import paths
from generator.site.render import render_site

ROOT = Path(__file__).resolve().parent.parent
RULE = "{kind: per_day, per: 0.5, grace: 2, text: 每迟报一天扣0.5分}"


def rubric(rule: str = RULE) -> str:
    return rubric_text(
        f"""
        indicators:
          - {{id: "1", title: 按时报送材料, points: 5, rules: [{rule}]}}
          - {{id: "2", title: 其他工作, points: 95, rules: [{{kind: range}}]}}
        """
    )


UNITS = units_csv("u1,一支部,branch,已考核", "u2,二支部,branch,已考核")


@pytest.fixture
def per_day() -> Iterator[None]:
    with registered(PerDayRule):
        yield


def test_a_kind_not_registered_is_refused() -> None:
    with registered(PerDayRule):
        assert KINDS["per_day"] is PerDayRule
    assert "per_day" not in KINDS
    _, problems = parse_rubric(rubric())
    assert any("规则种类「per_day」不存在" in str(p) for p in problems.errors), [str(p) for p in problems]


def test_the_kind_checks_its_rule(per_day: None, tmp_path: Path) -> None:
    prepared = run(tmp_path, rubric("{kind: per_day, per: 0, grace: -1}"), {"units.csv": UNITS})
    found = errors(prepared)
    # Reported at the rule, as every rule's problems are.
    assert any(e.startswith("rubrics/t.yml:10:49: 错误：指标 1 规则 a 每天扣分应大于 0") for e in found), found
    assert any(e.startswith("rubrics/t.yml:10:49: 错误：指标 1 规则 a 的宽限天数 -1 为负数") for e in found), found
    # Its keys are declared like every model's: a key it does not have is refused where it is written.
    _, problems = parse_rubric(rubric("{kind: per_day, per: 0.5, graze: 2}"))
    assert any("graze" in str(p) and "是不是 `grace`" in p.hint for p in problems.errors), [str(p) for p in problems]


def test_the_kind_reads_its_rows(per_day: None, tmp_path: Path) -> None:
    entries = entries_csv("u1,1,,三天,,迟报", "u2,1,,,,迟报", "u1,2,,,1,其他")
    prepared = run(tmp_path, rubric(), {"units.csv": UNITS, "entries.csv": entries})
    found = errors(prepared)
    assert any(e.startswith("results/t/entries.csv:2:4: 错误：情况（次数）") for e in found), found
    assert any(e.startswith("results/t/entries.csv:3:4: 错误：指标 1 规则 a 须填写迟报的天数") for e in found), found
    entries = entries_csv("u1,1,,5,2,迟报五天")
    found = errors(run(tmp_path, rubric(), {"units.csv": UNITS, "entries.csv": entries}))
    assert [e.split("\n")[0] for e in found] == [
        "results/t/entries.csv:2:5: 错误：指标 1 规则 a：3 × 0.5 分应扣 1.5 分，但扣分写的是 2 分"
    ], found


def test_the_kind_scores_and_words_its_reason(per_day: None, tmp_path: Path) -> None:
    entries = entries_csv("u1,1,,5,,材料迟报五天", "u2,1,,1,,迟报一天", "u2,2,,,1,其他")
    outcome = score(tmp_path, rubric(), {"units.csv": UNITS, "entries.csv": entries})
    item = find(outcome.by_unit()["u1"].score.categories, "1")
    assert (item.lost, item.score) == (1.5, 3.5)
    assert rule_words(item.rules[0].why) == "迟报 5 天，宽限 2 天，3 天 × 0.5 分 = 1.5 分"
    assert find(outcome.by_unit()["u2"].score.categories, "1").score == 5
    # The unit's page and its JSON say it in the same words.
    docs = tmp_path / "docs"
    render_site([outcome.rubric], {AID: outcome}, {}, ROOT / "site_templates", docs)
    page = (docs / paths.unit_page(AID, "u1")).read_text(encoding="utf-8")
    assert "迟报 5 天，宽限 2 天，3 天 × 0.5 分 = 1.5 分" in page and "材料迟报五天" in page
    data = json.loads((docs / paths.unit_json(AID, "u1")).read_text(encoding="utf-8"))
    [rule] = data["categories"][0]["rules"]
    assert (rule["kind"], rule["lost"], rule["explanation"]) == (
        "per_day",
        1.5,
        "迟报 5 天，宽限 2 天，3 天 × 0.5 分 = 1.5 分",
    )


def test_the_kind_on_the_standards_page(per_day: None, tmp_path: Path) -> None:
    run(tmp_path, rubric(), {})
    project = load_project(tmp_path, Problems())
    docs = tmp_path / "docs"
    render_site([r for r, _ in project.rubrics.values()], {}, {}, ROOT / "site_templates", docs)
    page = (docs / paths.page(AID, "standards")).read_text(encoding="utf-8")
    assert "每迟报一天扣0.5分：每迟报 1 天扣 0.5 分（宽限 2 天）" in page


def test_the_kind_in_the_score_sheet(per_day: None, tmp_path: Path) -> None:
    run(tmp_path, rubric(), {"units.csv": UNITS, "entries.csv": entries_csv("u1,1,,4,,迟报四天")})
    target = tmp_path / "sheet.xlsx"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["--root", str(tmp_path), "sheet", AID, "-o", str(target)]) == 0
    book = openpyxl.load_workbook(target)
    ws = book["评分"]
    head = {c.value: c.column_letter for c in ws[2]}
    row = next(
        r
        for r in range(3, ws.max_row + 1)
        if (ws[f"{head['单位代码']}{r}"].value, ws[f"{head['指标编号']}{r}"].value) == ("u1", "1")
    )
    assert ws[f"{head['计分方法']}{row}"].value == "每迟报1天扣0.5分，宽限2天。情况填迟报的天数。"
    assert ws[f"{head['情况']}{row}"].value == 4  # the existing finding, as a number
    value = next(dv for dv in ws.data_validations.dataValidation if f"{head['情况']}{row}" in dv.sqref)
    assert (value.type, value.operator, value.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "迟报的天数" in value.prompt
    readme = {ws_row[0].value: ws_row[1].value for ws_row in book["说明"].iter_rows(min_row=3)}
    assert readme["每迟报一天扣分"] == PerDayRule.FILL_HELP
