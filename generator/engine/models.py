"""The rubric (考核细则) as typed, immutable models.

Every field a rubric YAML may hold is declared here once (or, for a rule kind, in its module of
:mod:`generator.engine.rules`), with its meaning in ``metadata["doc"]``. The YAML reader
(:mod:`generator.data.yamlread`) builds these classes from those declarations, so a key that is not
declared is an error with its line, and the reference page (``docs/reference/rubric.md``) is tested to
mention every declared key. What sits under ``results/`` is modelled in :mod:`generator.engine.results`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

from generator.engine.fields import doc, empty_mapping, internal, key_locations
from generator.engine.origin import Origin, Sourced
from generator.engine.problems import Loc
from generator.engine.rules.base import Rule

GradeKey = Literal["advanced", "pass", "basic_pass", "fail"]
GRADE_ORDER: tuple[GradeKey, ...] = ("advanced", "pass", "basic_pass", "fail")
DEFAULT_GRADE_LABELS: Mapping[str, str] = {
    "advanced": "先进单位",
    "pass": "达标",
    "basic_pass": "基本达标",
    "fail": "未达标",
}


# --------------------------------------------------------------------------------------------
# Rubric: unit types, rules, the indicator tree
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class UnitType(Sourced):
    """A kind of assessed unit (党委 / 党总支 / 党支部, 县 / 城市区 / 市直单位)."""

    id: str = doc("单位类型代码，供单位名册的 type 列引用，例如 `committee`。")
    name: str = doc("单位类型名称，例如 `党委`。")
    full_marks: Decimal = doc("该类型单位的满分（综合得分的满分，例如县 200 分、市直单位 100 分）。")
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Node(Sourced):
    """An indicator at any level: category (一级指标) → indicator → clause."""

    id: str = doc("指标编号，在整个细则内唯一，考核结果用它引用本指标，例如 `11`、`2.1.3`。")
    title: str = doc("指标名称（项目）。", verbatim=True)
    points: Decimal = doc("分值（本项满分）。")
    points_by_type: Mapping[str, Decimal] = empty_mapping(
        "按单位类型改变的分值，例如 `{urban_no_township: 1.5}`（`无乡镇的城市区此项考核内容分值为1.5分`）。"
    )
    content: str = doc("考核内容，照录原文。", "", verbatim=True)
    standard: str = doc("评分标准（计分标准），照录原文。", "", verbatim=True)
    standard_reading: str = doc(
        "原文残缺或有错字时的释读文本；补入的数值写在〔〕内，并用 field_origin 标明（例如规则的 `{deduct: 补充}`）。",
        "",
    )
    assessor: str = doc("考核单位（负责考核本项的部门），例如 `组织部`。", "")
    responsible: str = doc("责任人（原文规定由谁负责本项工作），例如 `宣传委员`。", "")
    applies_to: tuple[str, ...] = doc("只适用于这些单位类型（不写则适用于全部）。", ())
    not_applicable_to: tuple[str, ...] = doc("不适用于这些单位类型（对其显示“不适用”，不计分）。", ())
    applicability_note: str = doc(
        "原文关于适用范围或分值变化的说明，照录，例如 `此项指标适用于城市区考核`。", "", verbatim=True
    )
    rules: tuple[Rule, ...] = doc("评分规则，见“规则种类”。同一指标的多条规则扣分相加。", ())
    children: tuple[Node, ...] = doc("下级指标。", ())
    floor: Decimal | None = doc("本项最低得分；不写则取细则的 defaults.item_floor，再不写则为 0。", None)
    until_exhausted: bool = doc(
        "原文写明“直至扣完”：表明扣分超过本项分值时扣完为止，检查时不再要求另写最低得分（最低得分仍按 floor）。", False
    )
    points_mismatch: str = doc("原文分值与下级指标合计不一致时，照实保留并在此说明；检查时仍会提示。", "")
    incomplete: str = doc("原文在此中断时的说明；本项以下缺失的内容不是原文所有。", "")
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Defaults(Sourced):
    item_floor: Decimal | None = doc("每项最低得分，通常为 0（扣完为止）。扣分可能超过本项分值时必须写明。", None)
    leaf_rule: Rule | None = doc(
        "没有写规则的末级指标采用的规则，例如 `{kind: range}`（考核组在本项分值内核实扣分）。", None
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Rounding:
    decimals: int = doc("保留的小数位数，0～2。", 2)
    mode: Literal["half_up", "half_even"] = doc("舍入方式：`half_up` 四舍五入，`half_even` 银行家舍入。", "half_up")
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Activity(Sourced):
    """A yearly activity target (年度目标) such as 支委会 8 次, possibly by unit type."""

    id: str = doc("活动代码，例如 `branch_committee_meeting`。")
    name: str = doc("活动名称，例如 `支委会`。", verbatim=True)
    group: str = doc("所属栏目，例如 `党员大会`、`党课`。", "")
    targets: Mapping[str, Decimal] = empty_mapping("各单位类型的年度目标次数；不写的类型不考核此项。")
    loc: Loc = internal()


# --------------------------------------------------------------------------------------------
# Bonus, penalties, vetoes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BonusLevel(Sourced):
    id: str = doc("级别代码，例如 `national`；申报时可填代码或名称。")
    name: str = doc("级别名称，例如 `国家级荣誉称号`。")
    points: Decimal = doc("每项（或每次）加的分。")
    per_occurrence: bool = doc("为 true 时按次数累计（“每次加0.5分”），申报可填次数。", False)
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class BonusItem(Sourced):
    id: str = doc("加分项目编号，例如 `26`、`honours`。")
    title: str = doc("加分项目名称。", verbatim=True)
    standard: str = doc("加分标准，照录原文。", "", verbatim=True)
    levels: tuple[BonusLevel, ...] = doc("按级别加分的各级别（与 min/max 二选一）。", ())
    min: Decimal | None = doc("酌情加分的下限（`适当予以加分，分值为1～3分` 中的 1）。", None)
    max: Decimal | None = doc("酌情加分的上限。", None)
    cap: Decimal | None = doc("本项最多加的分（`5分`）。", None)
    same_subject_once: bool = doc(
        "为 true 时同一事项（申报的“事项”相同）只按最高级别计一次（“不重复加分，以最高级别计算”）："
        "按次计分的级别也只计一次。",
        False,
    )
    grounds: tuple[str, ...] = doc(
        "原文列出的加分事由（例如 `受到中央、省委、市委表彰`）；"
        "写了它，每条申报都要写明依据其中哪一项，不在其中的申报是错误。",
        (),
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Bonus(Sourced):
    standard: str = doc("加分总则，照录原文，例如 `奖励加分实行封顶制，累计加分不超过10分。`", "", verbatim=True)
    cap: Decimal | None = doc("加分合计上限。", None)
    self_declared: bool = doc("说明加分由单位自行申报、考核办公室认定（显示在考核标准页上）。", True)
    items: tuple[BonusItem, ...] = doc("加分项目。", ())
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Penalty(Sourced):
    """扣分因素 / 弄虚作假: points off the total, within a range the office chooses."""

    id: str = doc("扣分因素代码，例如 `criticism`、`fraud`。")
    name: str = doc("名称，例如 `弄虚作假`。")
    standard: str = doc("原文。", "", verbatim=True)
    min: Decimal = doc("最少扣分。")
    max: Decimal = doc("最多扣分。")
    can_remove_eligibility: bool = doc("为 true 时可同时取消评先资格（`直至取消评先资格`）。", False)
    grounds: tuple[str, ...] = doc(
        "原文列出的扣分情形（例如 `被中央、省委、市委通报批评`）；写了它，每条扣分都要写明属于其中哪一项。", ()
    )
    loc: Loc = internal()


VetoEffect = Literal["no_advanced", "fail"]
VETO_EFFECT_NAMES: Mapping[str, str] = {"no_advanced": "不得评为先进", "fail": "定为未达标"}


@dataclass(frozen=True, kw_only=True)
class VetoEvent(Sourced):
    id: str = doc("否决事项代码，例如 `v1`。")
    name: str = doc("否决事项，照录原文，例如 `发生重大安全生产事故的`。", verbatim=True)
    effect: VetoEffect | None = doc("本事项的后果；不写则取 vetoes.effect。", None)
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Vetoes(Sourced):
    standard: str = doc("否决总则，照录原文，例如 `当年发生下列情况之一的，不得被评为先进单位：`。", "", verbatim=True)
    effect: VetoEffect = doc("后果：`no_advanced` 不得评为先进（得分照计），`fail` 一票否决、定为未达标。")
    events: tuple[VetoEvent, ...] = doc("否决事项。", ())
    loc: Loc = internal()


# --------------------------------------------------------------------------------------------
# Parts, ranking, grading
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Part(Sourced):
    """A part of the total (年终考核 70%, 平时考核 30%; 实绩 90%, 满意度 10%)."""

    id: str = doc("组成部分代码：`year_end`、`routine`、`satisfaction` 等。")
    name: str = doc("名称，例如 `平时考核`。")
    weight: Decimal = doc("权重，写作 `70%` 或 `0.7`；各部分权重之和为 1。")
    source: Literal["rubric", "entered"] = doc(
        "`rubric`：按本细则指标计分；`entered`：由考核结果 parts.csv 录入（平时考核、满意度测评）。"
    )
    full: Decimal | None = doc(
        "该部分的满分。`entered` 时必填（例如 100）；`rubric` 时为指标合计的满分，不写则等于单位类型的满分"
        "（例如年终考核按 1000 分的评价标准计分时写 1000）。检查时核对指标合计是否等于它。",
        None,
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Pool(Sourced):
    """A ranking pool: units ranked together and graded by rank (004: 县(市、区), 市直单位)."""

    id: str = doc("排名组代码。")
    name: str = doc("排名组名称，例如 `县（市、区）`。")
    unit_types: tuple[str, ...] = doc("属于本组的单位类型。")
    advanced_top: int | None = doc("前几名确定为先进单位。", None)
    fail_bottom: int | None = doc("后几名（且得分不高于 fail_at_or_below）确定为未达标单位。", None)
    fail_at_or_below: Decimal | None = doc(
        "与 fail_bottom 同用的分数线，含本数：`且最终考核分数在150分以下` 写 150"
        "（法定用语“以上、以下、以内”包括本数）。不写则后几名一律未达标。",
        None,
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Ranking(Sourced):
    within: Literal["group", "pools", "all"] = doc(
        "在什么范围内排名：`group` 单位名册的联络组，`pools` 按单位类型分组（见 pools），`all` 全体。", "group"
    )
    pools: tuple[Pool, ...] = doc("`within: pools` 时的排名组。", ())
    ties: str = doc(
        "同分时的名次规则，写给单位看。程序按“同分同名次，其后名次顺延”（1、2、2、4）计算。",
        "得分相同的单位名次并列，其后名次顺延。",
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Band(Sourced):
    grade: GradeKey = doc("等次：`pass` `basic_pass` `fail`（先进不由分数段产生，见 grading.advanced）。")
    min: Decimal | None = doc("达到此分（含）即为该等次；最后一档不写。", None)
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Grading(Sourced):
    method: Literal["threshold", "rank"] = doc(
        "`threshold` 按分数段定等次（bands）；`rank` 按组内名次定等次（ranking.pools）。"
    )
    standard: str = doc("等次评定的原文。", "", verbatim=True)
    labels: Mapping[str, str] = empty_mapping("各等次的名称，例如 `{fail: 不达标}`；不写用默认名称。")
    bands: tuple[Band, ...] = doc("分数段，从高到低（method: threshold）。", ())
    fail_if_category_zero: bool = doc("某一大类别未得分（0 分）的定为不达标。", False)
    advanced: Literal["rank", "decision", "threshold", "none"] = doc(
        "先进如何产生：`rank` 按名次（pools 的 advanced_top），`decision` 由考核办公室评定"
        "（考核结果 awards.csv），`threshold` 具备资格且不低于 advanced_min_score 即为先进，"
        "`none` 本细则不评先进。",
        "none",
    )
    advanced_min_score: Decimal | None = doc("参加先进评比的最低分（`总分在C分以上的方可参加先进评比`）。", None)
    advanced_requires: GradeKey = doc("参加先进评比须达到的等次（`先进党组织的评比必须是达标党组织`）。", "pass")
    places_among: Literal["eligible", "all"] = doc(
        "`eligible`：先进名额在有资格的单位中按名次产生（被否决的单位不占名额）；"
        "`all`：按全体名次，无资格的单位占名额但不评先进。",
        "eligible",
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Trigger(Sourced):
    """When a consequence applies to a unit: every condition written here must hold."""

    pools: tuple[str, ...] = doc("排名组：`ranking.pools` 的代码（按联络组排名时写联络组名称）；不写则各组都适用。", ())
    bottom: int | None = doc("在本组倒数前几名（含并列）时适用：`后3位` 写 3，`排名末位` 写 1。", None)
    grades: tuple[GradeKey, ...] = doc("等次为其中之一时适用，例如 `[fail]`（被确定为未达标）。", ())
    consecutive_years: int | None = doc(
        "与 grades 同用：连续这么多年（含本年度，同一考核系列）等次都在 grades 中时适用；中间缺一年不算连续。", None
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Consequence(Sourced):
    """What a grade leads to, shown to units (连续两年未达标 …)."""

    text: str = doc("后果原文。", verbatim=True)
    consecutive_fail_years: int | None = doc(
        "连续几年未达标时适用：单位页面在连续达到这么多年未达标时显示这条后果。", None
    )
    effect: str = doc(
        "后果的简短说法，例如 `主要负责人不得评为本年度考核优秀等次`："
        "单位页面、通报附件和结果运用清单用它；不写则用原文。",
        "",
    )
    triggers: tuple[Trigger, ...] = doc(
        "对哪些单位适用（满足其中任一条即适用）。不写则只在考核标准页上说明，不对单位逐一运用。", ()
    )
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class RectificationRule(Sourced):
    """Rectification items left open at year end deduct points (003: 问题未及时整改的，有1项扣1分)."""

    item: str = doc("按未及时整改的整改任务扣分的指标编号，例如 `17`。")
    rule: str = doc("该指标中的规则编号（按项扣分的 `per_occurrence` 规则）；指标只有一条规则时可不写。", "")
    standard: str = doc("原文，例如 `对日常督查和集中检查中指出的问题未及时整改的，有1项扣1分。`", "", verbatim=True)
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Recommendation(Sourced):
    """民主推荐: each group votes for its 先进基层党组织 and 优秀党务干部 (001: 分组考核)."""

    categories: tuple[str, ...] = doc("推荐的类别，例如 `[先进基层党组织, 优秀党务干部]`。")
    advanced_category: str = doc("评为先进须获本组推荐的类别（categories 之一）；不写则只作显示，不影响评定。", "")
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Document(Sourced):
    """The source document a rubric was written from, named as a reader would look it up."""

    #: The document is its own original: 原文 whatever the rubric's default (a field may still be 补充).
    inherent_origin: ClassVar[Origin] = "原文"

    title: str = doc("原文件的标题，照录，例如 `市直机关党建工作目标管理绩效考核实施细则`。", verbatim=True)
    issuer: str = doc("制发机关；原文件没有写明、由考核办公室推定的，用 field_origin 标为 `补充`。", "")
    number: str = doc("发文字号（文号），例如 `洛市直发〔2013〕20号`；原文件没有文号的不写。", "")
    date: str = doc("成文日期或年度，例如 `2013年` 或 `2017-03-01`；原文件没有写明的不写，推定的标为 `补充`。", "")
    loc: Loc = internal()


@dataclass(frozen=True, kw_only=True)
class Rubric:
    """One assessment's rubric (考核细则), one YAML file in ``rubrics/``."""

    id: str = doc("考核代码，用作网址和 results/ 下的目录名，只用小写字母、数字和连字符，例如 `wujin-2017`。")
    title: str = doc("细则标题，照录原文。")
    year: int = doc("考核年度。")
    issuer: str = doc("制定（考核）机关，例如 `中共常州市武进区委教育工委`。")
    series: str = doc("同一考核历年共用的代码：单位页面的历年结果、结果表的“较上年”按它配对；不写则为 id。", "")
    document: Document | None = doc(
        "依据的原文件：标题、制发机关、文号、日期。写了它，细则的每一部分都必须能确定来源（见“来源”）。", None
    )
    origin: Origin | None = doc(
        "整份细则各部分的默认来源（`原文`、`补充` 或 `解读`），各部分可以用自己的 origin 改写。"
        "不写且没有 document 时，细则本身就是原件，各部分都算原文。",
        None,
    )
    summary: str = doc("一段简介，写给单位看。", "")
    notes: tuple[str, ...] = doc("说明（原文缺失、推定之处等）。", ())
    incomplete: str = doc("原文不完整时的说明。", "")
    unit_types: tuple[UnitType, ...] = doc("被考核单位的类型。")
    defaults: Defaults = doc("计分默认值。", Defaults())
    rounding: Rounding = doc("舍入规则：只用于权重折算产生的多位小数。", Rounding())
    activities: tuple[Activity, ...] = doc("年度活动目标（统计表），供规则用 activity 引用。", ())
    indicators: tuple[Node, ...] = doc("指标树（一级指标列表）。")
    bonus: Bonus | None = doc("奖励加分。", None)
    penalties: tuple[Penalty, ...] = doc("扣分因素（在总分中扣减）。", ())
    vetoes: Vetoes | None = doc("否决项目。", None)
    parts: tuple[Part, ...] = doc("总分的组成部分及权重；不写则总分即指标得分。", ())
    ranking: Ranking = doc("排名规则。", Ranking())
    grading: Grading | None = doc("等次评定规则。", None)
    consequences: tuple[Consequence, ...] = doc("考核结果运用（写给单位看）。", ())
    rectification: RectificationRule | None = doc(
        "上一年度整改任务年底仍未按期完成时，在哪一项扣分（见考核结果参考的“整改任务”）；不写则只标明，不扣分。", None
    )
    recommendation: Recommendation | None = doc("分组考核中的民主推荐（见考核结果参考的“民主推荐”）。", None)
    results_public: bool = doc(
        "按单位限制访问时（kaoping build --access），考核结果页（排名表）是否对所有人公开；"
        "false 时只有考核办公室的账号能看。逐项得分页面总是只给本单位和考核办公室看。",
        True,
    )
    loc: Loc = internal()
    at: Mapping[str, Loc] = key_locations()

    @property
    def series_id(self) -> str:
        return self.series or self.id

    @property
    def entered_parts(self) -> tuple[Part, ...]:
        """The parts whose scores the results give (parts.csv), not the indicators."""
        return tuple(p for p in self.parts if p.source == "entered")

    @property
    def grading_illustrative(self) -> bool:
        """The grades follow rules the document did not (fully) give (something in grading is 补充)."""
        from generator.engine.provenance import grading_filled

        return grading_filled(self)
