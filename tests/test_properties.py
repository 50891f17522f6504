"""Invariants of the engine, checked over generated data (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from helpers import check_and_score, rubric_from_yaml, rubric_text
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.engine.models import Node, Rubric, UnitType
from generator.engine.outcome import AssessmentOutcome, NodeOutcome
from generator.engine.results import BonusClaim, Finding, Unit, UnitInput
from generator.engine.rules.all_or_nothing import AllOrNothingRule
from generator.engine.rules.base import Rule
from generator.engine.rules.earned import EarnedRule
from generator.engine.rules.fixed import FixedRule
from generator.engine.rules.overdue import OverdueRule
from generator.engine.rules.per_element import PerElementRule
from generator.engine.rules.per_occurrence import PerOccurrenceRule
from generator.engine.rules.per_person import PerPersonRule
from generator.engine.rules.range import RangeRule
from generator.engine.rules.rate import RateRule
from generator.engine.rules.shortfall import ShortfallRule
from generator.engine.scoring import Scorer, score_bonus
from generator.site.export import assessment_data

BRANCH = UnitType(id="branch", name="党支部", full_marks=Decimal(100))
U1 = Unit("u1", "一支部", "branch", status="assessed")

# Points in half-point and tenth-point steps, as rubrics write them.
halves = st.integers(min_value=0, max_value=40).map(lambda n: Decimal(n) / 2)
tenths = st.integers(min_value=1, max_value=30).map(lambda n: Decimal(n) / 10)
counts = st.integers(min_value=0, max_value=12).map(Decimal)
rates = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 100)
caps = st.none() | halves


def one_item_rubric(points: Decimal, rules: tuple[Rule, ...], floor: Decimal | None) -> Rubric:
    item = Node(id="1", title="考核项", points=points, rules=rules, floor=floor)
    rest = Node(id="2", title="其他", points=Decimal(100) - points, rules=(RangeRule(kind="range"),))
    return Rubric(id="t", title="测试", year=2017, issuer="机关", unit_types=(BRANCH,), indicators=(item, rest))


def item_of(categories: tuple[NodeOutcome, ...]) -> NodeOutcome:
    return next(c for c in categories if c.id == "1")


@st.composite
def rule_with_findings(draw: st.DrawFn, rule_id: str, points: Decimal) -> tuple[Rule, list[Finding]]:
    kind = draw(
        st.sampled_from(
            [
                "shortfall",
                "per_element",
                "fixed",
                "range",
                "overdue",
                "per_occurrence",
                "per_person",
                "earned",
                "all_or_nothing",
                "rate",
            ]
        )
    )
    cap = draw(caps)
    n_findings = draw(st.integers(min_value=0, max_value=4))

    def finding(**fields: Any) -> Finding:
        return Finding("1", rule_id, reason="原因", **fields)

    rule: Rule
    found: list[Finding]
    if kind == "shortfall":
        how: dict[str, Any] = draw(
            st.sampled_from([{"per": Decimal(1)}, {"per": Decimal("0.5")}, {"deduct": Decimal(2)}])
        )
        rule = ShortfallRule(kind=kind, id=rule_id, cap=cap, target=draw(counts), **how)
        found = [finding(count=draw(counts)) for _ in range(n_findings)]
    elif kind == "per_element":
        rule = PerElementRule(kind=kind, id=rule_id, cap=cap, per=draw(tenths))
        found = [
            finding(
                elements=tuple(
                    draw(st.lists(st.sampled_from(["党旗", "誓词", "制度", "活动室"]), min_size=1, max_size=4))
                )
            )
            for _ in range(n_findings)
        ]
    elif kind == "fixed":
        rule = FixedRule(kind=kind, id=rule_id, cap=cap, deduct=draw(halves))
        found = [finding(yes=draw(st.booleans())) for _ in range(n_findings)]
    elif kind == "range":
        rule = RangeRule(kind=kind, id=rule_id, cap=cap)
        found = [finding(amount=draw(halves)) for _ in range(n_findings)]
    elif kind == "overdue":
        rule = OverdueRule(
            kind=kind, id=rule_id, cap=cap, per=draw(tenths), whole_item_at=draw(st.none() | counts.filter(bool))
        )
        found = [finding(count=draw(counts)) for _ in range(n_findings)]
    elif kind in ("per_occurrence", "per_person"):
        cls = PerOccurrenceRule if kind == "per_occurrence" else PerPersonRule
        rule = cls(kind=kind, id=rule_id, cap=cap, per=draw(tenths))
        found = [finding(count=draw(counts)) for _ in range(n_findings)]
    elif kind == "earned":
        rule = EarnedRule(
            kind=kind,
            id=rule_id,
            cap=cap,
            points=draw(halves.filter(lambda p: p <= points)),
            partial=draw(st.booleans()),
        )
        found = [finding(yes=draw(st.booleans()), amount=draw(st.none() | halves)) for _ in range(n_findings)]
    elif kind == "all_or_nothing":
        rule = AllOrNothingRule(kind=kind, id=rule_id, cap=cap)
        found = [finding(yes=draw(st.booleans())) for _ in range(n_findings)]
    else:
        way: dict[str, Any] = draw(
            st.sampled_from([{"deduct": Decimal(1)}, {"per": Decimal("0.5")}, {"min": Decimal(1), "max": Decimal(2)}])
        )
        rule = RateRule(kind=kind, id=rule_id, cap=cap, threshold=Decimal("0.8"), **way)
        found = [finding(rate=draw(rates), amount=draw(st.none() | halves)) for _ in range(n_findings)]
    return rule, found


@st.composite
def scored_item(draw: st.DrawFn) -> tuple[Rubric, UnitInput, Decimal, Decimal]:
    points = draw(halves)
    floor = draw(st.none() | halves.filter(lambda f: f <= points))
    drawn = [
        draw(rule_with_findings(chr(ord("a") + i), points)) for i in range(draw(st.integers(min_value=1, max_value=4)))
    ]
    rubric = one_item_rubric(points, tuple(r for r, _ in drawn), floor)
    findings = tuple(f for _, fs in drawn for f in fs)
    return rubric, UnitInput(U1, findings), points, floor if floor is not None else Decimal(0)


@given(scored_item())
@settings(max_examples=300)
def test_an_items_score_stays_within_floor_and_points(case: tuple[Rubric, UnitInput, Decimal, Decimal]) -> None:
    rubric, unit, points, floor = case
    item = item_of(Scorer(rubric).score(unit).categories)
    assert item.score is not None
    assert floor <= item.score <= points
    assert item.lost == points - item.score


# --------------------------------------------------------------------------------------------
# Adding a deduction never raises a score
# --------------------------------------------------------------------------------------------

# Rules whose findings only ever take points away. (A shortfall row records what was done and an
# earned row what was achieved: more of those raise a score, as they should.)
DEDUCTING: tuple[Rule, ...] = (
    FixedRule(kind="fixed", id="fixed", deduct=Decimal(2)),
    RangeRule(kind="range", id="range", min=Decimal(1), max=Decimal(3)),
    OverdueRule(kind="overdue", id="overdue", per=Decimal(1), whole_item_at=Decimal(6)),
    PerOccurrenceRule(kind="per_occurrence", id="occ", per=Decimal("0.2")),
    PerPersonRule(kind="per_person", id="person", per=Decimal(1), cap=Decimal(3)),
    PerElementRule(kind="per_element", id="elements", per=Decimal("0.5")),
    AllOrNothingRule(kind="all_or_nothing", id="none"),
    RateRule(kind="rate", id="rate_deduct", threshold=Decimal("0.8"), deduct=Decimal(1)),
    RateRule(kind="rate", id="rate_per", threshold=Decimal("0.8"), per=Decimal("0.5")),
    RateRule(kind="rate", id="rate_range", threshold=Decimal("0.8"), min=Decimal(1), max=Decimal(2)),
)


@st.composite
def deducting_finding(draw: st.DrawFn) -> Finding:
    rule = draw(st.sampled_from(DEDUCTING))
    node = draw(st.sampled_from(["1", "2"]))
    if rule.kind in ("fixed", "all_or_nothing"):
        return Finding(node, rule.id, yes=draw(st.booleans()))
    if rule.kind == "range":
        return Finding(node, rule.id, amount=draw(halves))
    if rule.kind == "per_element":
        return Finding(
            node,
            rule.id,
            elements=tuple(draw(st.lists(st.sampled_from(["党旗", "誓词", "制度"]), min_size=1, max_size=3))),
        )
    if rule.kind == "rate":
        return Finding(node, rule.id, rate=draw(rates), amount=draw(st.none() | halves))
    return Finding(node, rule.id, count=draw(counts))


def two_item_rubric(floor: Decimal | None) -> Rubric:
    one = Node(id="1", title="甲", points=Decimal(6), rules=DEDUCTING, floor=floor)
    two = Node(id="2", title="乙", points=Decimal("4.5"), rules=DEDUCTING)
    parent = Node(id="c1", title="丙", points=Decimal("10.5"), children=(one, two))
    rest = Node(id="c2", title="丁", points=Decimal("89.5"), rules=(RangeRule(kind="range"),))
    return Rubric(id="t", title="测试", year=2017, issuer="机关", unit_types=(BRANCH,), indicators=(parent, rest))


@given(st.lists(deducting_finding(), max_size=8), deducting_finding(), st.sampled_from([None, Decimal(0), Decimal(2)]))
@settings(max_examples=200)
def test_adding_a_deduction_never_raises_a_score(before: list[Finding], extra: Finding, floor: Decimal | None) -> None:
    scorer = Scorer(two_item_rubric(floor))
    old = scorer.score(UnitInput(U1, tuple(before)))
    new = scorer.score(UnitInput(U1, (*before, extra)))
    assert new.total <= old.total
    for old_node, new_node in zip(old.categories[0].children, new.categories[0].children, strict=True):
        assert new_node.score is not None and old_node.score is not None
        assert new_node.score <= old_node.score


# --------------------------------------------------------------------------------------------
# Bonus caps
# --------------------------------------------------------------------------------------------

BONUS_RUBRIC = rubric_from_yaml(
    rubric_text(
        """
        indicators:
          - {id: c1, title: 全部指标, points: 100, rules: [{kind: range}]}
        bonus:
          cap: 10
          items:
            - id: honours
              title: 荣誉表彰
              same_subject_once: true
              levels:
                - {id: national, name: 国家级, points: 5}
                - {id: provincial, name: 省级, points: 3}
                - {id: municipal, name: 市级, points: 2}
                - {id: committee, name: 工委, points: 1}
            - id: experience
              title: 经验推广
              cap: 5
              levels:
                - {id: provincial, name: 省级推广, points: 3}
                - {id: media, name: 媒体宣传, points: 0.5, per_occurrence: true}
            - id: posts
              title: 党建信息
              cap: 5
              levels:
                - {id: post, name: 公众号宣传, points: 0.2, per_occurrence: true}
            - {id: discretionary, title: 工委酌情加分, min: 1, max: 3}
        """
    )
)
LEVELS = {
    "honours": ["national", "provincial", "municipal", "committee"],
    "experience": ["provincial", "media"],
    "posts": ["post"],
}


@st.composite
def claim(draw: st.DrawFn) -> BonusClaim:
    item = draw(st.sampled_from(["honours", "experience", "posts", "discretionary"]))
    subject = draw(st.sampled_from(["甲", "乙", "丙"]))
    confirmed = draw(st.booleans())
    if item == "discretionary":
        return BonusClaim(
            item, subject, amount=draw(st.sampled_from([Decimal(1), Decimal("1.5"), Decimal(3)])), confirmed=confirmed
        )
    level = draw(st.sampled_from(LEVELS[item]))
    per_occurrence = level in ("media", "post")
    count = Decimal(draw(st.integers(min_value=1, max_value=30))) if per_occurrence else Decimal(1)
    return BonusClaim(item, subject, level, count, confirmed=confirmed)


@given(st.lists(claim(), max_size=12))
@settings(max_examples=200)
def test_bonus_caps_hold(claims: list[BonusClaim]) -> None:
    bonus = score_bonus(BONUS_RUBRIC, tuple(claims))
    caps = {i.id: i.cap for i in BONUS_RUBRIC.bonus.items} if BONUS_RUBRIC.bonus else {}
    for item in bonus.items:
        counted = sum((c.counted for c in item.claims), Decimal(0))
        assert item.subtotal == counted
        assert item.total <= item.subtotal
        cap = caps[item.item.id]
        if cap is not None:
            assert item.total <= cap
        assert all(c.counted == 0 for c in item.claims if not c.claim.confirmed)
        if item.item.same_subject_once:
            subjects = [c.claim.subject for c in item.claims if c.counted > 0]
            assert len(subjects) == len(set(subjects))
    assert bonus.total <= Decimal(10)
    assert bonus.total <= bonus.subtotal
    assert bonus.total >= 0


# --------------------------------------------------------------------------------------------
# Row order and encoding change nothing
# --------------------------------------------------------------------------------------------

TABLE_RUBRIC = rubric_from_yaml(
    rubric_text(
        """
        indicators:
          - id: c1
            title: 基础工作
            points: 20
            children:
              - {id: "1", title: 组织生活, points: 5, rules: [{kind: per_occurrence, per: 0.5}]}
              - {id: "2", title: 酌情, points: 10, rules: [{kind: range}]}
              - {id: "3", title: 阵地建设, points: 2, rules: [{kind: per_element, per: 0.5, elements: [党旗, 入党誓词, 活动室, 制度上墙]}]}
              - {id: "4", title: 年度计划, points: 3, rules: [{kind: fixed, deduct: 2}]}
          - id: c2
            title: 重点任务
            points: 80
            children:
              - {id: "5", title: 专题研究, points: 4, rules: [{kind: shortfall, target: 4, per: 1}]}
              - {id: "6", title: 与会率, points: 3, rules: [{kind: rate, threshold: 80%, per: 1}]}
              - {id: "7", title: 其他, points: 73, rules: [{kind: range}]}
        bonus:
          items:
            - id: posts
              title: 党建信息
              cap: 5
              levels:
                - {id: post, name: 公众号宣传, points: 0.2, per_occurrence: true}
        grading:
          method: threshold
          bands:
            - {grade: pass, min: 95}
            - {grade: basic_pass, min: 90}
            - {grade: fail}
        """  # noqa: E501 - the rubric's YAML as an office writes it
    )
)

# Any subset of these rows is valid together: no one-off deduction twice, range totals within bounds.
ROW_POOL = [
    f"{unit},{row}"
    for unit in ("u1", "u2", "u3")
    for row in (
        "1,2,,两次未按时参加组织生活",
        "1,1,,缺席一次组织生活",
        "1,,,“三会一课”记录缺一次",
        "2,,1,学习记录不全",
        "2,,2.5,谈心谈话不到位",
        "2,,0.5,档案材料不规范",
        "3,党旗,,未悬挂党旗",
        "3,入党誓词、制度上墙,,誓词和制度未上墙",
        "4,,,无年度党建工作计划",
        "5,1,,上半年专题研究一次",
        "5,2,,下半年专题研究两次",
        "6,75%,,第一季度与会率低",
        "6,90%,,第二季度",
        "6,70%,,第三季度与会率低",
        '7,,3,"主题活动未开展，\n整改不到位"',
    )
]
ROSTER = (
    "单位代码,单位名称,单位类型,考核状态\nu1,第一党支部,党支部,已考核\nu2,第二党支部,branch,已考核\nu3,机关党支部,党支部,已考核\n"
    ""
)
BONUS_ROWS = "单位代码,加分项目,级别,次数,事项\nu1,posts,post,12,党建信息\nu3,posts,公众号宣传,30,党建信息\n"


def entries_text(rows: list[str]) -> str:
    return "单位代码,指标编号,情况,扣分,扣分原因\n" + "\n".join(rows) + "\n"


def numbers(outcome: AssessmentOutcome) -> dict[str, Any]:
    """Every number of every unit, keyed so that row order cannot matter."""

    def nodes(ns: tuple[NodeOutcome, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for n in ns:
            out[n.id] = (n.points, n.lost, n.score, tuple((r.rule_id, r.lost, r.earned) for r in n.rules))
            out.update(nodes(n.children))
        return out

    return {
        u.unit.id: (
            u.score.total,
            u.score.indicator_score,
            u.score.bonus.total,
            u.standing.rank,
            u.standing.grade,
            nodes(u.score.categories),
        )
        for u in outcome.units
    }


def scored(entries: str, encoding: str = "utf-8") -> AssessmentOutcome:
    outcome, problems = check_and_score(
        TABLE_RUBRIC,
        {
            "units.csv": ROSTER.encode(encoding),
            "entries.csv": entries.encode(encoding),
            "bonus.csv": BONUS_ROWS.encode(encoding),
        },
    )
    assert outcome is not None, "\n".join(str(p) for p in problems.sorted())
    assert problems.errors == []
    return outcome


@given(
    st.lists(st.sampled_from(ROW_POOL), unique=True, max_size=25).flatmap(
        lambda rows: st.tuples(st.just(rows), st.permutations(rows))
    )
)
@settings(max_examples=100)
def test_shuffling_the_rows_of_entries_changes_no_number(rows_and_shuffled: tuple[list[str], list[str]]) -> None:
    rows, shuffled = rows_and_shuffled
    assert numbers(scored(entries_text(rows))) == numbers(scored(entries_text(shuffled)))


@given(st.lists(st.sampled_from(ROW_POOL), unique=True, max_size=25))
@settings(max_examples=40)
def test_gbk_and_utf8_twins_give_identical_outcomes(rows: list[str]) -> None:
    text = entries_text(rows)
    utf8 = scored(text, "utf-8")
    assert assessment_data(scored(text, "gbk")) == assessment_data(utf8)
    assert assessment_data(scored(text, "utf-8-sig")) == assessment_data(utf8)
    assert assessment_data(scored(text, "gb18030")) == assessment_data(utf8)


def test_the_row_pool_scores_as_worked_out_by_hand() -> None:
    # The whole pool for u1 (its lines are the first fifteen): every rule fires once.
    outcome = scored(entries_text(ROW_POOL[:15]))
    u1 = outcome.by_unit()["u1"].score
    # 1: (2 + 1 + 1) × 0.5 = 2 → 3; 2: 1 + 2.5 + 0.5 = 4 → 6; 3: 3 elements × 0.5 = 1.5 → 0.5; 4: 2 → 1
    # 5: done 3 of 4 → 1 → 3; 6: 75% and 70% below 80% → 2 → 1; 7: 3 → 70
    expected = {"1": 3, "2": 6, "3": "0.5", "4": 1, "5": 3, "6": 1, "7": 70}
    scores = numbers(outcome)["u1"][5]
    assert {k: scores[k][2] for k in expected} == {k: Decimal(str(v)) for k, v in expected.items()}
    # 10.5 + 74 = 84.5; bonus 12 × 0.2 = 2.4 → 86.9
    assert (u1.indicator_score, u1.bonus.total, u1.total) == (Decimal("84.5"), Decimal("2.4"), Decimal("86.9"))
    assert outcome.by_unit()["u1"].standing.grade == "fail"
