"""The bundled rubrics score as their source documents say: each case recomputes a unit by hand from the
document's wording, cited as ``seed file:line``, and compares it with the engine.

The source documents are kept in ``tests/sources/`` (000 常德, 001 洛阳, 002 工商局, 003 武进, 004 综合考核).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from helpers import D, find

from generator.data.load import load_rubric
from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Problems
from generator.engine.origin import FILLED, READING
from generator.engine.outcome import AssessmentOutcome
from generator.engine.provenance import provenance
from generator.engine.tree import tree_points, typed_tree
from generator.engine.wording import all_words, rule_words, words
from generator.site import views

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "sources"


def seed_line(name: str, line: int) -> str:
    """A line of a source document, as the test cites it."""
    return next(SEEDS.glob(name + "_*.txt")).read_text(encoding="utf-8").splitlines()[line - 1]


def project(tmp: Path, rid: str, files: dict[str, str]) -> Path:
    """A project with one bundled rubric (copied as it is) and the given results."""
    (tmp / "rubrics").mkdir(parents=True)
    shutil.copy2(ROOT / "rubrics" / f"{rid}.yml", tmp / "rubrics" / f"{rid}.yml")
    folder = tmp / "results" / rid
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp


def run(tmp: Path, rid: str, files: dict[str, str]) -> Prepared:
    return prepare(project(tmp, rid, files))


def scored(tmp: Path, rid: str, files: dict[str, str]) -> AssessmentOutcome:
    prepared = run(tmp, rid, files)
    assert not prepared.problems.has_errors(), "\n".join(str(p) for p in prepared.problems.sorted())
    return prepared.outcomes[rid]


def errors(prepared: Prepared) -> list[str]:
    return [f"{p.loc}: {p.message}" for p in prepared.problems.sorted() if p in prepared.problems.errors]


@pytest.fixture(scope="module")
def bundled() -> Prepared:
    prepared = prepare(ROOT)
    assert not prepared.problems.has_errors()
    return prepared


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


# --------------------------------------------------------------------------------------------
# 常德 (seed 000)
# --------------------------------------------------------------------------------------------

CHANGDE_UNITS = """\
单位代码,单位名称,单位类型,成员人数,考核状态
dw1,甲局机关党委,机关党委,7,已考核
dw2,乙局机关党委,机关党委,9,已考核
zz1,丙局机关总支,机关总支,3,已考核
zb1,丁局机关支部,机关支部,3,已考核
"""


def test_changde_contact_point_target_is_two_visits_per_member(tmp_path: Path) -> None:
    # 000:16 “党组（党委）成员和机关党组织班子成员按照分工建立基层党建工作联系点，每年深入联系点2次以上。
    # 落实不到位酌情扣分，没有建立扣2分。每少一次扣1分。”: the 2 visits are each member's.
    assert "每年深入联系点2次以上" in seed_line("000", 16) and "每少一次扣1分" in seed_line("000", 16)
    entries = """\
单位代码,指标编号,规则,情况,扣分,扣分原因
dw1,1,visits,12,,7名成员全年共深入联系点12次
dw2,1,visits,10,,9名成员全年共深入联系点10次
zb1,1,visits,6,,3名成员全年共深入联系点6次
"""
    outcome = scored(tmp_path, "changde-2012", {"units.csv": CHANGDE_UNITS, "entries.csv": entries})
    by_unit = outcome.by_unit()
    # dw1: 2 × 7 = 14 visits due, 12 made: 2 short × 1 分 → 3 − 2 = 1.
    item = find(by_unit["dw1"].score.categories, "1")
    assert (item.lost, item.score) == (D(2), D(1))
    assert rule_words(item.rules[0].why) == "目标 2 次 × 7 人 = 14 次，完成 12 次，少 2 次 × 1 分 = 2 分"
    # dw2: 2 × 9 = 18 due, 10 made: 8 short, more than the item's 3 points: 扣完为止 → 0.
    assert find(by_unit["dw2"].score.categories, "1").score == D(0)
    # zb1: 2 × 3 = 6 due, 6 made → nothing lost (2 per unit, as the data used to read it, would be met too).
    assert find(by_unit["zb1"].score.categories, "1").score == D(3)
    # Units without a visits row are taken to have met the target.
    assert find(by_unit["zz1"].score.categories, "1").score == D(3)


def test_changde_member_count_is_required_and_checked(tmp_path: Path) -> None:
    units = CHANGDE_UNITS.replace("dw1,甲局机关党委,机关党委,7,", "dw1,甲局机关党委,机关党委,,").replace(
        "zz1,丙局机关总支,机关总支,3,", "zz1,丙局机关总支,机关总支,2.5,"
    )
    prepared = run(tmp_path, "changde-2012", {"units.csv": units})
    assert errors(prepared) == [
        "results/changde-2012/units.csv:2:4: 单位 dw1 没有填成员人数，指标 1 规则 visits 的目标按人数计算",
        "results/changde-2012/units.csv:4:4: 成员人数应为正整数，这里是「2.5」",
    ]


def test_changde_sample_units_lose_visits_against_two_per_member(bundled: Prepared) -> None:
    """Every sample unit charged on 第1项 visits lost (2 × its members − its visits) × 1 分."""
    outcome = bundled.outcomes["changde-2012"]
    members = {r["单位代码"]: int(r["成员人数"]) for r in rows(ROOT / "results/changde-2012/units.csv")}
    charged = 0
    for u in outcome.units:
        item = find(u.score.categories, "1")
        for r in item.rules:
            if r.rule_id == "visits":
                done = sum((f.count or D(0) for f in r.findings), D(0))
                assert r.lost == max(D(0), 2 * members[u.unit.id] - done), u.unit.id
                charged += 1
    assert charged >= 3


def test_changde_item_8_mechanism_and_pilot_bind_only_the_committee(tmp_path: Path) -> None:
    # 000:52 “机关党委、直属机关党委建立工作机制，确定1个以上基层党支部作为支部建设试点……没有建立工作机制的扣2分，
    # 没有确定试点的扣2分。” — unlike 000:48 “各基层党委（总支、支部）”, no （总支、支部） here.
    assert seed_line("000", 52).strip().startswith("机关党委、直属机关党委建立工作机制")
    assert "（总支、支部）" in seed_line("000", 48) and "（总支、支部）" not in seed_line("000", 52)
    charged = """\
单位代码,指标编号,规则,情况,扣分,扣分原因
dw1,8,mechanism,,,没有建立工作机制
dw1,8,pilot,,,没有确定试点
zz1,8,five,阵地,,阵地建设不规范
"""
    outcome = scored(tmp_path / "a", "changde-2012", {"units.csv": CHANGDE_UNITS, "entries.csv": charged})
    by_unit = outcome.by_unit()
    assert find(by_unit["dw1"].score.categories, "8").score == D(2)  # 6 − 2 − 2
    assert find(by_unit["zz1"].score.categories, "8").score == D(4)  # 6 − 2 (阵地)
    wrong = charged.replace("dw1,8,pilot", "zb1,8,pilot").replace("dw1,8,mechanism", "zz1,8,mechanism")
    assert errors(run(tmp_path / "b", "changde-2012", {"units.csv": CHANGDE_UNITS, "entries.csv": wrong})) == [
        "results/changde-2012/entries.csv:2:3: 指标 8 规则 mechanism 只适用于机关党委，不适用于这个单位",
        "results/changde-2012/entries.csv:3:3: 指标 8 规则 pilot 只适用于机关党委，不适用于这个单位",
    ]
    # Every kind of unit is still out of 100, and item 8 is still 6 points for all of them.
    rubric = outcome.rubric
    for t in rubric.unit_types:
        tree = typed_tree(rubric, t.id)
        assert tree_points(tree) == D(100)
        item8 = next(n for c in tree for n in c.children if n.id == "8")
        expected = ["mechanism", "pilot", "five"] if t.id == "committee" else ["five"]
        assert (item8.points, [rid for rid, _ in item8.rules]) == (D(6), expected), t.id


def test_changde_sample_data_charges_no_branch_with_the_committees_duties(bundled: Prepared) -> None:
    types = {r["单位代码"]: r["单位类型"] for r in rows(ROOT / "results/changde-2012/units.csv")}
    assert set(types.values()) == {"机关党委", "机关总支", "机关支部"}
    charged = [
        r for r in csv.DictReader(io.StringIO((ROOT / "results/changde-2012/entries.csv").read_bytes().decode("gbk")))
    ]
    duties = [r for r in charged if r["指标编号"] == "8" and r["规则"] in ("mechanism", "pilot")]
    assert duties and {types[r["单位代码"]] for r in duties} == {"机关党委"}


CHANGDE_BONUS = """\
单位代码,加分项目,级别,次数,加分,事项
dw1,experience,在全市推广交流,2,,党员积分制管理经验
dw2,experience,在全省推广交流,1,,清单化管理做法
dw2,experience,在全市推广交流,1,,清单化管理做法
dw2,media,在市级媒体和常德机关党建网上发表,3,,清单化管理做法
zz1,experience,在全市推广交流,1,,党员积分制管理经验
zz1,experience,在全市推广交流,1,,“支部建在项目上”工作经验
"""


def test_changde_the_same_experience_counts_once_at_its_highest_level(tmp_path: Path) -> None:
    # 000:138 “在全市推广交流的，每次加2分。经验做法在市级媒体和常德机关党建网上发表的，每次加0.5分。
    # 同一经验或事迹的推广交流不重复加分，以最高层次的推广交流计算加分。”
    line = seed_line("000", 138)
    assert "同一经验或事迹的推广交流不重复加分" in line and "每次加0.5分" in line
    outcome = scored(tmp_path, "changde-2012", {"units.csv": CHANGDE_UNITS, "bonus.csv": CHANGDE_BONUS})
    bonus = {u.unit.id: u.score.bonus.total for u in outcome.units}
    # dw1: one experience promoted twice in the city counts once: 2, not 2 + 2.
    # dw2: the same experience in the province and the city counts once at 3; the media reports are
    #      not 推广交流: 3 × 0.5 = 1.5 besides → 4.5.
    # zz1: two different experiences, each in the city: 2 + 2 = 4.
    assert bonus == {"dw1": D(2), "dw2": D("4.5"), "zz1": D(4), "zb1": D(0)}
    claim = outcome.by_unit()["dw1"].score.bonus.items[0].claims[0]
    assert (claim.value, claim.counted, words(claim.note) if claim.note else "") == (
        D(4),
        D(2),
        "同一事项不重复加分：2 次按 1 次计",
    )


def test_changde_sample_bonus_counts_each_experience_once(bundled: Prepared) -> None:
    outcome = bundled.outcomes["changde-2012"]
    repeated = [
        c
        for u in outcome.units
        for i in u.score.bonus.items
        if i.item.id == "experience"
        for c in i.claims
        if c.claim.count > 1 and c.claim.confirmed
    ]
    assert repeated, "示例数据中应有同一经验推广多次的申报"
    assert all(c.counted == c.value / c.claim.count for c in repeated)


# --------------------------------------------------------------------------------------------
# 洛阳 (seed 001)
# --------------------------------------------------------------------------------------------

LUOYANG_UNITS = """\
单位代码,单位名称,单位类型,考核状态
ly1,甲局机关支部,支部,已考核
"""


def test_luoyang_self_declared_bonus_and_every_target_are_used(tmp_path: Path) -> None:
    # 001:24 “按照年终考核与平时考核相结合的方法，以及各单位自行申报的加分项目，召开工委会议研究确定考核等次。”
    assert "以及各单位自行申报的加分项目" in seed_line("001", 24)
    # 001:16 “年终集中考核占70%，平时考核……占30%”; 001:114-133 the 年度目标 row of the 统计表: 政治学习 24 (line 123).
    assert "年终集中考核占70%" in seed_line("001", 16)
    assert [seed_line("001", n).strip() for n in (114, 123)] == ["年度目标", "24"]
    entries = """\
单位代码,指标编号,规则,情况,扣分,扣分原因
ly1,3,political_study,20,,全年政治学习20次
"""
    bonus = """\
单位代码,加分项目,级别,次数,加分,事项
ly1,declared,,,2,党建工作经验在全市交流
"""
    parts = "单位代码,组成部分,得分\nly1,平时考核,90\n"
    outcome = scored(
        tmp_path,
        "luoyang-2013",
        {"units.csv": LUOYANG_UNITS, "entries.csv": entries, "bonus.csv": bonus, "parts.csv": parts},
    )
    s = outcome.by_unit()["ly1"].score
    # 24 − 20 = 4 short × 5 分 (1000-point scale) = 20: 980 / 1000 × 100 × 70% = 68.6; 90 × 30% = 27; + 2 → 97.6.
    assert s.indicator_score == D(980)
    assert [p.weighted for p in s.parts] == [D("68.6"), D(27)]
    assert (s.bonus.total, s.total) == (D(2), D("97.6"))
    rubric = outcome.rubric
    prov = provenance(rubric)
    assert rubric.bonus is not None
    [item] = rubric.bonus.items
    assert item.title == "各单位自行申报的加分项目"
    assert {f: prov.origin(item, f) for f in ("title", "min", "max", "cap")} == {
        "title": "原文",
        "min": FILLED,
        "max": FILLED,
        "cap": FILLED,
    }
    # Every target of the 统计表 is used by a rule and listed on the standards page.
    used = {r.activity for n in typed_tree(rubric, "branch") for _, r in n.rules if getattr(r, "activity", "")}
    with_targets = {a.id for a in rubric.activities if a.targets}
    assert used == with_targets and len(with_targets) == 15 and len(rubric.activities) == 16
    listed = views.standards_context(rubric).activities
    assert [a.name for a in listed] == [a.name for a in rubric.activities]
    assert next(a for a in listed if a.name == "其中主要领导上党课").used_by == "不考核（没有目标）"
    assert all(a.used_by.startswith("指标 3 规则") for a in listed if a.name != "其中主要领导上党课")


# --------------------------------------------------------------------------------------------
# 工商局 (seed 002)
# --------------------------------------------------------------------------------------------

GONGSHANG_UNITS = """\
id,name,type,status
u90,甲支部,branch,assessed
u895,乙支部,branch,assessed
u75,丙支部,branch,assessed
u745,丁支部,branch,assessed
"""
GONGSHANG_ENTRIES = """\
unit,item,rule,value,amount,reason
u90,1.1,,,,未落实
u90,1.4,,,,未落实
u90,2.3,,2,,未报送
u895,1.1,,,,未落实
u895,1.4,,,,未落实
u895,2.3,,2,,未报送
u895,2.5,total,11,,组织生活11次
u75,1.1,,,,未落实
u75,1.4,,,,未落实
u75,1.5,,,,未落实
u75,2.1,,,,未落实
u75,4.2,,,,未落实
u75,4.3,,,,未落实
u745,1.1,,,,未落实
u745,1.4,,,,未落实
u745,1.5,,,,未落实
u745,2.1,,,,未落实
u745,4.2,,,,未落实
u745,4.3,,,,未落实
u745,2.5,total,11,,组织生活11次
"""


def test_gongshang_filled_bands_meet_without_overlapping(tmp_path: Path) -> None:
    # 002:2 “第七条考核的积分:总分在分以上为达标;分的为根本达标;分以下或某一大类别未得分的为不达标。” Every
    # number was lost; the filled ones (90, 75) must put each total in exactly one grade: 90 is 达标, 89.5 and
    # 75 基本达标, 74.5 不达标 (not "75～89 基本达标" beside "75以下 不达标").
    assert "总分在分以上为达标;分的为根本达标;分以下或某一大类别未得分的为不达标" in seed_line("002", 2)
    outcome = scored(tmp_path, "gongshang-2005", {"units.csv": GONGSHANG_UNITS, "entries.csv": GONGSHANG_ENTRIES})
    got = {u.unit.id: (u.score.total, u.standing.label) for u in outcome.units}
    assert got == {
        "u90": (D(90), "达标"),  # 100 − 4 − 4 − 2 × 1
        "u895": (D("89.5"), "基本达标"),  # … − 1 × 0.5 (组织生活少 1 次)
        "u75": (D(75), "基本达标"),  # 100 − 4 − 4 − 4 − 3 − 5 − 5
        "u745": (D("74.5"), "不达标"),
    }
    grading = outcome.rubric.grading
    assert grading is not None and outcome.rubric.grading_illustrative
    prov = provenance(outcome.rubric)
    assert all(prov.origin(b) == FILLED for b in grading.bands)
    assert "〔75〕～〔89〕" not in grading.note and "不满〔75〕分" in grading.note
    reasons = all_words(outcome.by_unit()["u745"].standing.reasons)
    assert "得分低于 75 分 → 不达标（补充，见考核标准）" in reasons


# --------------------------------------------------------------------------------------------
# 武进 (seed 003)
# --------------------------------------------------------------------------------------------


def test_wujin_titles_the_office_wrote_and_the_inferred_issuer_are_marked() -> None:
    # 003:9-159: the items have numbers only (1 … 28); 003:1 the title says 区委教育工委 without the place.
    assert seed_line("003", 1) == "区委教育工委直属党组织2017年度党建工作目标管理考核细则"
    text = re.sub(r"\s", "", next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8"))
    rubric = load_rubric(ROOT / "rubrics/wujin-2017.yml", ROOT, Problems())
    assert rubric is not None and rubric.document is not None
    prov = provenance(rubric)
    items = [n for c in rubric.indicators for n in c.children]
    marked = [n for n in items if prov.origin(n, "title") == FILLED]
    assert len(items) == 25 and len(marked) == 13
    assert all(re.sub(r"\s", "", n.title) not in text for n in marked)
    assert all(re.sub(r"\s", "", n.title) in text for n in items if n not in marked)
    assert all(n.note for n in marked)
    assert prov.origin(rubric.document, "issuer") == FILLED and "武进教育网站" in rubric.document.note


# --------------------------------------------------------------------------------------------
# 综合考核 (seed 004)
# --------------------------------------------------------------------------------------------


def city_units(*codes: str) -> str:
    return "单位代码,单位名称,单位类型,考核状态\n" + "".join(f"{c},{c}党组,市直单位,已考核\n" for c in codes)


def parts(**scores: int) -> str:
    return "单位代码,组成部分,得分\n" + "".join(f"{c},满意度评价,{s}\n" for c, s in scores.items())


#: 25 points of the city units' (filled-in) indicators, taken whole.
LOSE_25 = "".join(
    f"s1,{node},,,{points},核实扣分\n"
    for node, points in (
        ("S1.1.1", 3),
        ("S1.1.2", 4),
        ("S1.1.3", 3),
        ("S2.1.1", 4),
        ("S2.1.2", 4),
        ("S2.2.1", 4),
        ("S2.3.1", 3),
    )
)


def test_zonghe_75_is_within_the_fail_line(tmp_path: Path) -> None:
    # 004:45 “……以及市直单位后5名、且最终考核分数在75分以下的，确定为党建工作"未达标单位"” — 以下 includes 75.
    assert "市直单位后5名、且最终考核分数在75分以下的" in seed_line("004", 45)
    entries = "单位代码,指标编号,规则,情况,扣分,扣分原因\n" + LOSE_25
    outcome = scored(
        tmp_path,
        "zonghe-2020",
        {"units.csv": city_units("s1", "s2"), "entries.csv": entries, "parts.csv": parts(s1=75, s2=100)},
    )
    s1 = outcome.by_unit()["s1"]
    # 实绩 75 × 90% = 67.5, 满意度 75 × 10% = 7.5: 75 exactly, last of 2 (倒数第 1 名) → 未达标单位.
    assert (s1.score.total, s1.standing.label) == (D(75), "未达标单位")
    assert any(
        r.startswith("市直单位倒数第 1 名，且在 75 分以下（含） → 未达标单位（解读：“75分以下”")
        for r in all_words(s1.standing.reasons)
    )
    rubric = outcome.rubric
    assert rubric.grading is not None and "低于150分" not in rubric.grading.reading + rubric.grading.note
    assert provenance(rubric).origin(rubric.ranking.pools[1], "fail_at_or_below") == READING


def test_zonghe_a_tie_is_told_in_the_grade_reasons(tmp_path: Path) -> None:
    # 004:45 ranks 前3名 / 前10名 / 后2名 / 后5名 but says nothing of ties: the rule is filled in and says so.
    assert "同分" not in next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    outcome = scored(
        tmp_path, "zonghe-2020", {"units.csv": city_units("s1", "s2", "s3"), "parts.csv": parts(s1=90, s2=90, s3=80)}
    )
    reasons = {u.unit.id: all_words(u.standing.reasons) for u in outcome.units}
    told = "与另 1 个单位同分，名次并列：得分相同的单位名次并列，其后名次顺延（补充：原文没有规定同分时如何排名"
    assert any(r.startswith(told) for r in reasons["s1"]) and any(r.startswith(told) for r in reasons["s2"])
    assert not any("同分" in r for r in reasons["s3"])


def test_zonghe_readings_are_marked_in_the_grade_reasons(tmp_path: Path) -> None:
    # 004:37 “情节特别严重的，按照有关规定实行一票否决” (the effect is not written: read as 未达标);
    # 004:45 前10名 (whether an ineligible unit takes a place is not written: read as not).
    assert "情节特别严重的,按照有关规定实行一票否决" in seed_line("004", 37)
    codes = [f"s{i:02d}" for i in range(1, 12)]
    vetoes = "单位代码,否决事项,情况\ns01,serious,党风廉政方面出现严重问题，情节特别严重\n"
    outcome = scored(
        tmp_path,
        "zonghe-2020",
        {
            "units.csv": city_units(*codes),
            "parts.csv": parts(**{c: 100 - i for i, c in enumerate(codes)}),
            "vetoes.csv": vetoes,
        },
    )
    by_unit = outcome.by_unit()
    assert by_unit["s01"].standing.label == "未达标单位"
    assert any(
        r.startswith("一票否决：情节特别严重的 → 未达标单位（解读：")
        for r in all_words(by_unit["s01"].standing.reasons)
    )
    # s11 ranks 11th but 10th among the eligible: 先进 by the reading, and its reason says so.
    s11 = by_unit["s11"]
    assert (s11.standing.rank, s11.standing.label) == (11, "先进单位")
    assert any(
        r.startswith("有评先资格的单位中位居市直单位前 10 名（第 10 位）→ 先进单位（解读：")
        for r in all_words(s11.standing.reasons)
    )


@pytest.mark.parametrize("rid", ["zonghe-2019", "zonghe-2020"])
def test_zonghe_sample_bonus_grounds_are_those_the_document_names(rid: str) -> None:
    # 004:35 “受到中央、省委、市委表彰的，或受到中央领导同志和省委、市委主要领导批示肯定的，以及以现场会等形式
    # 在全省乃至全国推广经验的，经综合评估在考评总分中酌情加1-3分。”
    assert "以现场会等形式在全省乃至全国推广经验的" in seed_line("004", 35)
    grounds = re.compile(
        r"(被(省委|市委|中央)表彰|受到(省委|市委|中央)表彰|获(省委|市委)主要领导批示肯定|以现场会形式在全(省|国)推广)"
    )
    subjects = [r["事项"] for r in rows(ROOT / f"results/{rid}/bonus.csv")]
    assert subjects and all(grounds.search(s) for s in subjects), [s for s in subjects if not grounds.search(s)]


def test_zonghe_a_county_is_not_told_its_own_categories_do_not_apply(bundled: Prepared) -> None:
    outcome = bundled.outcomes["zonghe-2020"]
    county = next(u for u in outcome.units if u.score.unit_type.id == "county" and u.score.assessed)
    ctx = views.unit_context(outcome, county, views.pool_stats(outcome), views.History(bundled.outcomes), None, False)
    own = {c.node.title for c in county.score.categories if c.applicable}
    assert "重大专项" in own
    own_id = next(c.node.id for c in county.score.categories if c.applicable and c.node.title == "重大专项")
    assert ctx.other_categories[0] == f"S1「重大专项」（适用于市直单位；本单位按 {own_id}「重大专项」计分）"
    assert all(not any(name == t for t in own) for name in ctx.other_categories)


def test_zonghe_pages_say_what_rests_on_filled_points_and_an_invented_year(bundled: Prepared) -> None:
    outcome = bundled.outcomes["zonghe-2020"]
    history = views.History(bundled.outcomes)
    stats = views.pool_stats(outcome)
    city = next(
        u
        for u in outcome.units
        if u.score.unit_type.id == "city_unit" and u.score.assessed and history.change(outcome.rubric, u)
    )
    ctx = views.unit_context(outcome, city, stats, history, None, False)
    assert ctx.filled_note.startswith("本单位适用的 100 分指标中全部是补充的（原文件没有规定，由考核办公室补充）")
    assert ctx.change is not None and ctx.change.invented == "2019年度的细则整份是补充的，不是原文件的规定"
    assert [h.invented != "" for h in ctx.history] == [h.year == 2019 for h in ctx.history]
    results = views.results_context(outcome, history, None)
    assert results.previous_invented and len(results.filled_notes) == 4
    wujin = bundled.outcomes["wujin-2017"]
    unit = next(u for u in wujin.units if u.score.assessed)
    assert views.unit_context(wujin, unit, views.pool_stats(wujin), history, None, False).filled_note == ""


def test_unit_pages_explain_a_repeat_fail_in_an_invented_year(bundled: Prepared) -> None:
    outcome = bundled.outcomes["zonghe-2020"]
    history = views.History(bundled.outcomes)
    twice = [u for u in outcome.units if history.consecutive_fails(outcome.rubric, u.unit.id) >= 2]
    assert twice, "示例数据应有连续两年未达标的单位"
    ctx = views.unit_context(outcome, twice[0], views.pool_stats(outcome), history, None, False)
    assert ctx.consecutive_fail_note.endswith("（其中2019年度的细则整份是补充的，不是原文件的规定）")


def test_every_sample_unit_scores_what_its_rules_say(bundled: Prepared) -> None:
    """Guards the recomputations above: without parts, a total is the indicators plus bonus minus penalties."""
    checked = 0
    for outcome in bundled.outcomes.values():
        for u in outcome.units:
            s = u.score
            if s.assessed and not s.parts:
                assert s.total == max(D(0), s.indicator_score + s.bonus.total - s.penalty_total)
                checked += 1
    assert checked > 50


def test_changde_member_count_written_with_its_unit_is_read_with_a_warning(tmp_path: Path) -> None:
    units = CHANGDE_UNITS.replace("dw1,甲局机关党委,机关党委,7,", "dw1,甲局机关党委,机关党委,7人,")
    prepared = run(tmp_path, "changde-2012", {"units.csv": units})
    assert not prepared.problems.has_errors()
    assert [f"{p.loc}: {p.message}" for p in prepared.problems.warnings if p.loc.file.startswith("results/")] == [
        "results/changde-2012/units.csv:2:4: 成员人数「7人」已读作 7（已去掉单位「人」）"
    ]
