"""An assessment's particulars for its sample data: its units, how its files look, what happens in its
year (:class:`Spec`), and how unit codes and short names are made."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator.engine.models import Rubric, UnitType


@dataclass
class UnitRow:
    id: str
    name: str
    type: UnitType
    group: str = ""
    parent: str = ""
    contact: str = ""
    phone: str = ""
    status: str = ""
    status_note: str = ""
    #: The short name the office uses (简称).
    abbr: str = ""
    #: clean / light / normal / heavy: how much the unit loses.
    profile: str = "normal"
    #: A heavy unit that loses enough to fall below a rubric's fail line.
    severe: bool = False
    #: 成员人数, for rubrics with a target per member.
    members: int | None = None

    @property
    def assessed(self) -> bool:
        return self.status != "不参加考核"


@dataclass(frozen=True)
class Fmt:
    """How an office saved a file: encoding and line endings."""

    encoding: str = "utf-8"
    crlf: bool = False


GBK_EXCEL = Fmt("gbk", True)
UTF8_BOM = Fmt("utf-8-sig", False)
UTF8_BOM_CRLF = Fmt("utf-8-sig", True)
UTF8 = Fmt("utf-8", False)


@dataclass(frozen=True)
class Spec:
    """One assessment's particulars: its units, how its files look, what happens in its year."""

    #: (name, type hint, group, parent): the hint is a unit type's id or name, or a part of its name.
    registry: tuple[tuple[str, str, str, str], ...]
    id_of: Callable[[int, str, str], str]
    phone_prefix: str
    not_assessed: tuple[tuple[str, str], ...] = ()
    formats: dict[str, Fmt] = field(default_factory=dict)
    english: bool = False
    split_entries: bool = False
    #: How many units have a veto, and which unit types may have one (all when empty).
    vetoes: int = 0
    veto_types: tuple[str, ...] = ()
    #: (penalty id, how many units).
    penalties: tuple[tuple[str, int], ...] = ()
    #: Share of units that claim any bonus.
    bonus_share: float = 0.6
    fill_amounts: bool = True
    yes_word: str = ""
    status_for_all: bool = False
    assessor_names: tuple[str, ...] = ()
    #: The assessor of a unit is its group's (联络组考核), not the one for the category.
    assessor_by_group: bool = False
    #: The assessor is the department the rubric names for the item (考核单位).
    assessor_from_rubric: bool = False
    zero_category: bool = False
    #: Unit types of which one unit loses a quarter of its points or more.
    severe_types: tuple[str, ...] = ()
    #: Units (by name) that do badly whatever the draw: a unit failing two years running needs it.
    severe_names: tuple[str, ...] = ()
    self_score_share: float = 0.3
    self_score_categories: bool = False
    award_share: float = 0.2
    award_basis: str = ""
    meeting_word: dict[str, str] = field(default_factory=dict)
    place_word: dict[str, str] = field(default_factory=dict)
    office: str = "工委"
    #: notice.yml as written (the 通报's particulars; marked illustrative: this is sample data).
    notice: str = ""
    #: What units claim under a discretionary bonus item (加分因素): grounds the document names.
    bonus_grounds: tuple[str, ...] = ()


def label_for(name: str, code: str, english: bool, siblings: Iterable[str] = ()) -> str:
    """What a clerk types for a rubric name: the name itself, or its code in English files.

    The checker compares names after NFKC normalisation, so a name with full-width punctuation
    (县（市）) cannot be matched as written; then the code is used, for it and for its ``siblings``
    (the other names of the same list), so that one column is written one way.
    """
    if english or any(unicodedata.normalize("NFKC", n) != n for n in (name, *siblings)):
        return code
    return name


def _resolve_type(rubric: Rubric, hint: str) -> UnitType:
    for t in rubric.unit_types:
        if hint in (t.id, t.name):
            return t
    for t in rubric.unit_types:
        if hint in t.name or t.name in hint:
            return t
    raise SystemExit(
        f"{rubric.id}：单位类型「{hint}」与细则的单位类型（"
        + "、".join(t.name for t in rubric.unit_types)
        + "）都不相符"
    )


#: Short names (简称) offices use for departments whose name is long; other names are shortened by rule.
ABBREVIATIONS = {
    "发展和改革委员会": "发改委",
    "人力资源和社会保障局": "人社局",
    "住房和城乡建设局": "住建局",
    "住房和城乡建设委员会": "住建委",
    "国土资源局": "国土局",
    "交通运输局": "交通局",
    "文化广电新闻出版局": "文广新局",
    "人口和计划生育委员会": "计生委",
    "环境保护局": "环保局",
    "工商行政管理局": "工商局",
    "质量技术监督局": "质监局",
    "安全生产监督管理局": "安监局",
    "食品药品监督管理局": "食药监局",
    "城市管理和行政执法局": "城管执法局",
    "科学技术局": "科技局",
    "经济和信息化委员会": "经信委",
    "工业和信息化局": "工信局",
    "自然资源和规划局": "自然资源局",
    "文化广电和旅游局": "文广旅局",
    "卫生健康委员会": "卫健委",
    "退役军人事务局": "退役军人局",
    "应急管理局": "应急局",
    "市场监督管理局": "市场监管局",
    "医疗保障局": "医保局",
    "城市管理局": "城管局",
    "机关事务管理局": "机关事务局",
    "中级人民法院": "中院",
    "人民检察院": "检察院",
    "委办公室": "市委办",
    "政府办公室": "市政府办",
    "消费者权益保护科": "消保科",
    "个体私营经济监督管理科": "个私科",
    "商标广告监督管理科": "商广科",
    "经济检查大队": "经检大队",
    "人事教育科": "人教科",
    "企业注册科": "注册科",
    "财务装备科": "财装科",
    "离退休干部": "离退休支部",
    "职业教育中心校": "武进职教中心",
}
#: Party organisations' endings, left out of a short name (the longest first).
ORG_ENDINGS = ("机关党委", "机关总支", "机关支部", "党工委", "党总支", "党支部", "党委", "党组")
#: School words and their short forms (高级中学 → 高中).
SCHOOL_WORDS = (("高级中学", "高中"), ("初级中学", "初中"), ("实验小学", "实小"), ("实验学校", "实验学校"))


def abbreviation(name: str) -> str:
    """The short name an office uses for a unit: 市住房和城乡建设局机关党委 → 住建局,
    武进区前黄高级中学党委 → 前黄高中."""
    core = name
    for ending in ORG_ENDINGS:
        if core.endswith(ending) and len(core) > len(ending):
            core = core[: -len(ending)]
            break
    else:
        if core.endswith(("县委", "区委", "市委")):
            return core[:-1]
    for long, short in ABBREVIATIONS.items():
        if core.endswith(long):
            return short
    for long, short in SCHOOL_WORDS:
        if core.endswith(long):
            place = core[: -len(long)].removeprefix("武进区")
            return (place or "武进") + short
    if core.startswith("武进区"):
        return core.removeprefix("武进区")
    if core.startswith("市委") and len(core) > 3:
        return core[2:]
    if core.startswith("市") and core.endswith(("局", "委", "院", "会", "联", "协", "办")):
        return core[1:]
    return core if core != name else ""


def grouped_ids(prefixes: dict[str, str]) -> Callable[[int, str, str], str]:
    """Unit codes numbered within their group: 高中组 → gz-01, gz-02 …"""
    counters: dict[str, int] = {}

    def make(index: int, group: str, type_id: str) -> str:
        prefix = prefixes[group]
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}-{counters[prefix]:02d}"

    return make


def numbered(prefix: str) -> Callable[[int, str, str], str]:
    return lambda index, group, type_id: f"{prefix}{index:02d}"


def by_type(prefixes: dict[str, str]) -> Callable[[int, str, str], str]:
    """Unit codes numbered within their unit type: counties xq-01 …, city units sz-01 …"""
    counters: dict[str, int] = {}

    def make(index: int, group: str, type_id: str) -> str:
        if index == 1:
            # A new registry starts (another assessment may share this function): number from 01 again.
            counters.clear()
        prefix = prefixes[type_id]
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}-{counters[prefix]:02d}"

    return make
