"""The sample results in ``results/``: reproducible from ``scripts/make_results.py``, valid, and rich enough.

The sample data is what the site is built and demonstrated from, so it must (1) be exactly what the
generator writes, byte for byte, (2) pass ``kaoping check`` without any problem of its own, and
(3) show what the product has to handle: vetoes, de-duplicated bonus claims, GBK files, every rule
kind of every rubric, internal columns, a split entries table.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.data.load import load_project
from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Problems
from generator.engine.outcome import AssessmentOutcome, NodeOutcome
from generator.engine.rules.registry import KINDS as RULE_KINDS
from generator.engine.tree import node_rules, walk

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
SCRIPT = ROOT / "scripts" / "make_results.py"


@pytest.fixture(scope="module")
def prepared() -> Prepared:
    return prepare(ROOT)


def assessments() -> list[str]:
    return sorted(p.name for p in RESULTS.iterdir() if p.is_dir() and not p.name.startswith("."))


def result_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def walk_outcomes(nodes: tuple[NodeOutcome, ...]) -> Iterator[NodeOutcome]:
    for node in nodes:
        yield node
        yield from walk_outcomes(node.children)


def outcome(prepared: Prepared, aid: str) -> AssessmentOutcome:
    assert aid in prepared.outcomes, f"{aid} 没有计分结果"
    return prepared.outcomes[aid]


# --------------------------------------------------------------------------------------------
# (1) reproducible
# --------------------------------------------------------------------------------------------


def test_every_results_folder_has_its_rubric() -> None:
    rubrics = {p.stem for p in (ROOT / "rubrics").glob("*.yml")}
    assert assessments(), "results/ 为空"
    assert set(assessments()) <= rubrics


def test_generator_reproduces_committed_results_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), *[a for aid in assessments() for a in ("--only", aid)]],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    for aid in assessments():
        committed = result_files(RESULTS / aid)
        generated = result_files(out / aid)
        assert sorted(committed) == sorted(generated), f"{aid}：文件不同"
        for name, data in generated.items():
            assert committed[name] == data, (
                f"results/{aid}/{name} 与生成程序的输出不同；重新运行 scripts/make_results.py"
            )


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    aid = "wujin-2017" if "wujin-2017" in assessments() else assessments()[0]
    runs = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        out = tmp_path / name
        done = subprocess.run(
            [sys.executable, str(SCRIPT), "--seed", seed, "--only", aid, "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        runs[name] = result_files(out / aid)
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]


# --------------------------------------------------------------------------------------------
# (2) valid
# --------------------------------------------------------------------------------------------


def test_kaoping_check_passes_on_the_repository() -> None:
    done = subprocess.run([sys.executable, "-m", "generator", "check"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "检查通过" in done.stdout


def test_sample_data_causes_no_problem_of_its_own(prepared: Prepared) -> None:
    """Rubrics may carry warnings about the source documents; the results themselves carry none."""
    mine = [str(p) for p in prepared.problems.sorted() if p.loc.file.startswith("results/")]
    assert mine == []
    assert set(prepared.outcomes) == set(assessments())


# --------------------------------------------------------------------------------------------
# (3) what the data shows
# --------------------------------------------------------------------------------------------


def test_every_rule_kind_of_every_rubric_is_exercised(prepared: Prepared) -> None:
    for aid in assessments():
        result = outcome(prepared, aid)
        rubric = result.rubric
        in_rubric = {rule.kind for node, _ in walk(rubric.indicators) for _, rule in node_rules(node, rubric)}
        assert in_rubric <= set(RULE_KINDS)
        used = {
            r.rule.kind
            for u in result.units
            for node in walk_outcomes(u.score.categories)
            for r in node.rules
            if r.findings
        }
        assert in_rubric <= used, f"{aid}：没有用到的规则种类 {sorted(in_rubric - used)}"


def test_units_lose_a_little_a_lot_or_nothing(prepared: Prepared) -> None:
    for aid in assessments():
        result = outcome(prepared, aid)
        assessed = [u for u in result.units if u.score.assessed]
        lost = [u.score.indicator_points - u.score.indicator_score for u in assessed]
        assert any(x == 0 for x in lost), f"{aid}：没有无扣分的单位"
        assert sum(1 for x in lost if x > 0) > len(lost) / 2, f"{aid}：多数单位应有扣分"
        assert len(set(lost)) >= len(lost) / 3, f"{aid}：扣分过于雷同"
        skipped = [u for u in result.units if not u.score.assessed]
        assert len(skipped) == 1 and skipped[0].unit.status_note, f"{aid}：应有一个写明原因的不参加考核单位"
        clean = [u for u, x in zip(assessed, lost, strict=True) if x == 0]
        assert all(u.unit.status == "assessed" for u in clean), f"{aid}：无扣分的单位须写明已考核"


def test_vetoes_are_recorded_and_take_effect(prepared: Prepared) -> None:
    vetoed = {aid: [u for u in outcome(prepared, aid).units if u.score.vetoes] for aid in assessments()}
    assert any(vetoed.values())
    if "changde-2012" in vetoed:
        units = vetoed["changde-2012"]
        assert len(units) == 2
        assert len({v.event.id for u in units for v in u.score.vetoes}) == 2
        assert all(u.standing.grade != "advanced" and not u.standing.eligible_for_advanced for u in units)
    if "zonghe-2020" in vetoed:
        (county,) = vetoed["zonghe-2020"]
        assert county.score.unit_type.id != "city_unit"
        assert county.standing.grade == "fail"


def test_bonus_counts_once_at_the_highest_level_and_unconfirmed_claims_count_nothing(prepared: Prepared) -> None:
    deduplicated = unconfirmed = per_occurrence = 0
    for aid in assessments():
        for u in outcome(prepared, aid).units:
            for item in u.score.bonus.items:
                for claim in item.claims:
                    if claim.claim.confirmed and claim.value > 0 and claim.counted == 0:
                        deduplicated += 1
                        twins = [c for c in item.claims if c.claim.subject == claim.claim.subject and c is not claim]
                        assert twins and max(c.counted for c in twins) >= claim.value
                    if not claim.claim.confirmed:
                        unconfirmed += 1
                        assert claim.counted == 0
                    if claim.claim.count > 1:
                        per_occurrence += 1
    assert deduplicated >= 1
    assert unconfirmed >= 1
    assert per_occurrence >= 1


def test_penalties_parts_and_awards(prepared: Prepared) -> None:
    if "zonghe-2020" in assessments():
        units = outcome(prepared, "zonghe-2020").units
        penalties = [(u, p) for u in units for p in u.score.penalties]
        assert {p.penalty.id for _, p in penalties} == {"criticism", "fraud"}
        (fraud,) = [u for u, p in penalties if p.record.removes_eligibility]
        assert not fraud.standing.eligible_for_advanced and fraud.standing.grade != "advanced"
        assessed = [u for u in units if u.score.assessed]
        assert len(assessed) == 49
        assert all(any(p.part.source == "entered" and p.raw > 0 for p in u.score.parts) for u in assessed)
    for aid in assessments():
        result = outcome(prepared, aid)
        grading = result.rubric.grading
        if grading is not None and grading.advanced == "decision":
            awarded = [u for u in result.units if u.standing.grade == "advanced"]
            assert awarded, f"{aid}：应评定先进"
            assert all(u.standing.eligible_for_advanced for u in awarded)
        if grading is not None and grading.fail_if_category_zero:
            assert any(c.applicable and c.score == 0 for u in result.units for c in u.score.categories)


def test_self_scores_exist(prepared: Prepared) -> None:
    for aid in assessments():
        result = outcome(prepared, aid)
        assert any(n.self_score is not None for u in result.units for n in walk_outcomes(u.score.categories)), aid


def test_files_come_as_offices_produce_them() -> None:
    files = [p for aid in assessments() for p in sorted((RESULTS / aid).glob("*.csv"))]
    gbk = [p for p in files if not _is_utf8(p.read_bytes())]
    assert gbk, "应有 GBK 编码的文件"
    for path in gbk:
        data = path.read_bytes()
        data.decode("gbk")
        assert b"\r\n" in data, f"{path.name}：Excel 另存的 GBK 文件用 CRLF 换行"
    assert any(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in files), "应有带 BOM 的 UTF-8 文件"
    assert any(_is_utf8(p.read_bytes()) and not p.read_bytes().startswith(b"\xef\xbb\xbf") for p in files)
    headers = {p: _header(p) for p in files}
    assert any(h[0] == "unit" or h[0] == "id" for h in headers.values()), "应有一份考核用英文表头"
    assert any(h[0] == "单位代码" for h in headers.values())
    split = [p for p in files if p.name.startswith("entries-")]
    assert len(split) >= 2, "应有一份考核的扣分记录按联络组拆分"


def test_internal_columns_are_present_and_distinctive() -> None:
    problems = Problems()
    project = load_project(ROOT, problems)
    notes = [r.get("note") for raw in project.results.values() for r in raw.entries if r.get("note")]
    phones = [r.get("phone") for raw in project.results.values() for r in raw.units]
    contacts = [r.get("contact") for raw in project.results.values() for r in raw.units]
    assert notes and all(n.startswith("【内部】") for n in notes)
    assert phones and all("-8888" in p for p in phones)
    assert all(contacts)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _header(path: Path) -> list[str]:
    data = path.read_bytes()
    text = data.decode("utf-8-sig") if _is_utf8(data) else data.decode("gbk")
    return text.splitlines()[0].split(",")
