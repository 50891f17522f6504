"""The words of the sample data: names, documents, phrases an assessor writes, and how a rule's text is cut
to the failing it describes. Everything here is invented for the samples."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.engine.models import Rubric
from generator.engine.rules.base import Rule

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
QUARTERS = ("一", "二", "三", "四")
HALVES = ("上半年", "下半年")

#: Documents a unit is asked to hand in during the year.
DOCUMENTS = (
    "党内统计年报",
    "半年党建工作小结",
    "党员信息采集表",
    "组织生活会情况报告",
    "“两学一做”学习教育阶段小结",
    "党风廉政建设责任制落实情况报告",
    "党员发展计划表",
    "民主评议党员情况统计表",
    "党组织换届选举情况报告",
    "主题党日活动开展情况统计表",
)
#: Problems found at inspections that were to be put right.
ISSUES = (
    "会议记录不规范",
    "党员发展档案不全",
    "党费台账不清",
    "学习笔记记录不全",
    "“三会一课”记录缺少签到",
    "党务公开栏内容未更新",
    "支部委员分工不明确",
    "组织生活会问题清单未整改",
)
#: What is missing from the records.
RECORD_GAPS = (
    "缺{m}月、{m2}月支委会记录",
    "党员学习记录{n}次无参加人员签名",
    "会议记录{n}次缺主持人和记录人",
    "台账未按年度分类归档，{m}月以后的材料散放未装订",
    "主题党日活动只有照片，无活动记录",
    "党员花名册未随人员变动更新（{m}月调入的{n}名党员未登记）",
    "{half}党小组会记录缺失",
    "组织生活会会议记录与材料清单不一致",
)
EVIDENCE = (
    "检查时未能提供相关资料",
    "{m}月{d}日现场检查时未见相关记录",
    "查阅{y}年会议记录无相关内容",
    "台账中无相关文字材料",
    "经座谈了解，相关工作未开展",
    "{ny}年1月集中考核时仍未补齐",
)
RANGE_DETAILS = (
    "部分记录缺少时间、地点和参加人员",
    "{m}月、{m2}月记录缺失",
    "材料未按要求整理归档",
    "工作开展不够扎实，过程材料不全",
    "{half}无工作记录",
    "只有计划，无落实情况记录",
)
METHOD_NAMES = (
    "“三链三融”党员教师成长工作法",
    "“一课三讲”支部学习工作法",
    "“红烛先锋”积分管理工作法",
    "“四个一”主题党日工作法",
    "“党员示范岗”亮诺践诺工作法",
    "“支部+年级组”融合工作法",
)
ARTICLE_TITLES = (
    "新时代学校党建引领师德师风建设的实践与思考",
    "以党建品牌创建推动学校内涵发展",
    "基层党组织组织力提升路径探析",
    "党建引领“五育并举”的实践探索",
    "机关党建与业务工作深度融合的调查与思考",
    "“两学一做”学习教育常态化制度化的实践路径",
    "发挥党员先锋模范作用的几点思考",
    "抓党建促业务的三点体会",
)
PROJECT_NAMES = (
    "红烛先锋",
    "党员示范岗",
    "师德铸魂",
    "先锋领航",
    "红色育人",
    "书香党建",
    "初心课堂",
    "党员服务站",
)
VIDEO_TITLES = ("初心", "讲台上的党旗", "一名老党员的三十年", "红烛", "薪火相传", "守望", "追光")
REPORT_TITLES = (
    "党旗在校园高高飘扬",
    "党员义务辅导进社区",
    "“红烛先锋”在行动",
    "党员先锋岗亮身份",
    "主题党日走进革命老区",
    "党员志愿服务温暖人心",
)
HONOURS = (
    "“先进基层党组织”称号",
    "“五好党支部”称号",
    "“党建工作示范点”称号",
    "“红旗党支部”称号",
    "“基层党建工作创新奖”",
    "“党风廉政建设先进单位”称号",
)
EXPERIENCES = (
    "“党建+业务”深度融合经验做法",
    "机关党建“清单化”管理做法",
    "“支部建在项目上”工作经验",
    "“三联三帮”党员志愿服务经验",
    "党员积分制管理经验",
    "“一支部一品牌”创建做法",
)

GENERIC: dict[str, tuple[str, ...]] = {
    "absent": tuple(f"{{base}}（{e}）" for e in EVIDENCE),
    "occ": ("{m}月{d}日检查发现{base}", "{base}（{m}月{d}日）", "第{q}季度{base}"),
    "short": (
        "{what}全年完成{done}{unit}，少于目标{target}{unit}",
        "{y}年{what}{done}{unit}，目标{target}{unit}",
    ),
    "short0": ("{y}年全年未开展{what}（年度目标{target}{unit}）", "{what}全年0{unit}，未完成年度目标{target}{unit}"),
    "range": tuple(f"{{base}}：{d}" for d in RANGE_DETAILS),
    "elem": ("{subject}缺{elements}", "{subject}：{elements}不符合要求"),
    "rate": ("{measure}{rate}，低于{threshold}（{m}月{d}日）", "{half}{measure}{rate}"),
    "overdue": ("{base}，超期{months}个月", "{subject}超期{months}个月"),
    "yes": ("{base}，材料齐全", "已{base}（{m}月）"),
    "no": ("{base}：未开展",),
}

#: Wording for items scored by the rubric's default rule (the assessors verify the item as a whole).
VERIFIED: tuple[str, ...] = (
    "{base}落实不到位：抽查{n}个{place}，{k}个未落实",
    "{base}：佐证材料不全，{half}无工作记录",
    "{base}：{m}月督查指出的问题至年底整改不到位",
    "{base}：只有安排部署，无落实情况",
    "{base}进度滞后，至{m2}月底未完成",
    "{base}：自查报告与实际情况不符，{n}项数据无佐证",
)

#: Names a clerk writes for missing elements when the rubric lists none.
ELEMENT_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("党务公开", ("党务公开目录", "党务公开程序", "党务公开监督制度", "党务公开档案管理制度")),
    ("发展党员", ("入党积极分子培养台账", "积极分子培训记录", "发展对象政审材料", "发展对象公示", "预备党员转正材料")),
    ("党费", ("党费收缴台账", "党费交纳基数核定表", "党费按时上缴凭证", "党费使用审批记录")),
    ("统计", ("党员名册", "年报数据核对表", "党组织信息表")),
    ("共青团", ("团组织健全", "妇委会组织健全", "支持团妇组织开展活动")),
)

NEGATIVE = re.compile(
    r"^(未|无|不|没|少|缺|有一|出现|发生)|不完整|不规范|不及时|不到位|不突出|不健全|不正常|不严格|不完善"
)


def chinese_quotes(text: str) -> str:
    """ "三会一课" → “三会一课”: clerks type Chinese quotation marks."""
    parts = text.split('"')
    return "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1])) + parts[-1]


def content_phrase(text: str) -> str:
    """An item's content cut to its first clause: 1.落实村干部挂牌值班制度(1分); → 落实村干部挂牌值班制度."""
    text = re.sub(r"^\s*\d+[.、．]\s*", "", text)
    text = re.sub(r"[（(][\d.]+分[)）].*$", "", text, flags=re.S)
    text = chinese_quotes(text.strip("，,；;。 \n"))
    first = re.split(r"[，,；;。]", text)[0]
    return re.sub(r"(情况|的)$", "", first)


def subject_of(title: str) -> str:
    return re.sub(r"(情况|工作情况)$", "", title) or title


def activity_name(rule: Rule, rubric: Rubric, title: str) -> str:
    if rule.activity_ref():
        activity = next((a for a in rubric.activities if a.id == rule.activity_ref()), None)
        if activity is not None:
            return activity.name
    source = rule.note + rule.text
    for key, name in (
        ("党员代表大会", "向党员大会报告工作"),
        ("市直机关工委", "向工委报告工作"),
        ("党员大会", "党员大会"),
        ("支委会", "支委会"),
        ("党小组会", "党小组会"),
        ("党课", "党课"),
        ("民主生活会", "民主生活会"),
        ("组织生活", "组织生活"),
        ("联系点", "深入联系点"),
        ("专题", "专题研究党建工作"),
        ("信息", "报送党建信息"),
        ("研究", "研究党建工作"),
    ):
        if key in source:
            return name
    return subject_of(title)


_SCORE_TAIL = re.compile(r"[，,；;]?\s*(?:直至扣完|扣完为止)\s*[。.]?$")
_DEDUCT = re.compile(
    r"[，,]?\s*(?:有一[项起次个]|每[^，,。；;]*?|少[^，,。；;]*?)?(?:扣|得|加)\s*[\d.]*\s*分.*$|"
    r"(?:酌情扣分|酌情扣|视情扣分|不得分)[。.]?$|\s*[\d.]+\s*分$"
)


def base_phrase(text: str, title: str) -> str:
    """The failing a rule describes, without its points: 无年度党建工作计划扣3分 → 无年度党建工作计划."""
    phrase = _SCORE_TAIL.sub("", text.strip())
    phrase = _DEDUCT.sub("", phrase).strip("，,；; 。")
    phrase = re.sub(r"(的|者)$", "", phrase)
    if len(phrase) < 4:
        return subject_of(title)
    if len(phrase) < 8 and NEGATIVE.search(phrase) and not re.search(r"计划|总结|台账|党课|会议|报告", phrase):
        return subject_of(title) + phrase
    return phrase


VETO_WORDS: tuple[tuple[str, str], ...] = (
    ("安全", "{date}，单位发生一起安全生产责任事故，造成1人重伤，经调查认定负有管理责任"),
    ("计划生育", "单位职工{person}违反计划生育政策生育第三胎，{date}经卫生计生部门认定"),
    ("治安", "{date}，单位职工{person}涉嫌重大刑事案件被依法逮捕，被综治委通报"),
    ("上访", "{date}，单位退休职工因待遇问题集体赴省上访，造成不良影响"),
    ("群体", "{date}，单位职工因待遇问题集体上访，造成不良影响"),
    ("信访", "{date}，单位职工因待遇问题集体上访，造成不良影响"),
    ("失职", "{date}，单位发生重大失职责任事故，分管负责人{person}被问责"),
    ("违纪", "单位班子成员{person}严重违纪，{date}受到撤销党内职务处分"),
    ("违法", "单位班子成员{person}严重违纪违法，{date}被立案审查"),
    ("通报批评", "{date}，单位因工作失误被省直有关部门通报批评"),
    ("腐败", "单位班子成员{person}严重违纪违法，{date}被立案审查"),
    ("环境", "{date}，单位发生环境污染责任事件，被环保部门通报"),
    ("严重", "{date}，单位主要负责人{person}严重违纪违法被立案审查，党建工作出现严重问题，经综合评估情节特别严重"),
)


def veto_reason(event_name: str, date: str, person: str) -> str:
    y, m, d = date.split("-")
    when = f"{y}年{int(m)}月{int(d)}日"
    for key, text in VETO_WORDS:
        if key in event_name:
            return text.format(date=when, person=person)
    return f"{when}，{event_name.rstrip('的。；;，, ')}，经有关部门认定属实"


@dataclass(frozen=True)
class Topic:
    """Wording for one kind of work, by the family of rule that found the failing.

    Families: ``occ`` one occurrence (per_occurrence, per_person), ``short`` a count below target,
    ``absent`` not done (fixed, all_or_nothing), ``range`` a discretionary deduction, ``elem``
    missing elements, ``rate`` a rate below the line, ``overdue`` months overdue, ``yes``/``no``
    points earned or not.
    """

    keys: tuple[str, ...]
    phrases: dict[str, tuple[str, ...]]
    #: A broad topic: a match in the rule's text yields to any topic matching the item's title.
    weak: bool = False


def _t(keys: str, weak: bool = False, **phrases: tuple[str, ...] | str) -> Topic:
    return Topic(tuple(keys.split()), {k: (v,) if isinstance(v, str) else v for k, v in phrases.items()}, weak)
