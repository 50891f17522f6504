#!/usr/bin/env python3
"""生成示例考核结果：为 rubrics/ 中的每份细则写出一个考核年度的结果表（results/<考核代码>/*.csv）。

单位名称、扣分情况、加分、否决事项等全部是虚构的示例数据，用来演示和测试网站；
它们按细则本身生成（用项目自己的 generator.data.load / generator.data.check 读取细则），所以细则改了，
重新运行即可得到相符的结果。同一种子生成的文件逐字节相同。

    .venv/bin/python scripts/make_results.py              # 全部细则，写入 results/
    .venv/bin/python scripts/make_results.py --only wujin-2017
    .venv/bin/python scripts/make_results.py --seed 7 --out /tmp/results

各考核的单位名册、文件编码和表头写法见本文件后部的 SPECS；扣分原因由细则的评分标准原文
（去掉“扣N分”）加上具体情况（日期、次数、人员）写成，常见事项有专门的措辞。
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import random
import re
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sample_year import add_year  # noqa: E402

from generator.data.check import check_rubric  # noqa: E402
from generator.data.load import load_rubric  # noqa: E402
from generator.data.pipeline import prepare  # noqa: E402
from generator.data.problems import Problems  # noqa: E402
from generator.data.sample import MARKER  # noqa: E402
from generator.data.tables import TABLES_BY_NAME, Table  # noqa: E402
from generator.engine.exact import fmt  # noqa: E402
from generator.engine.models import (  # noqa: E402
    AllOrNothingRule,
    BonusItem,
    BonusLevel,
    EarnedRule,
    FixedRule,
    OverdueRule,
    PerElementRule,
    PerOccurrenceRule,
    PerPersonRule,
    RangeRule,
    RateRule,
    Rubric,
    Rule,
    ShortfallRule,
    UnitType,
)
from generator.engine.scoring import has_target, shortfall_target  # noqa: E402
from generator.engine.tree import TypedNode, node_index, parent_index, typed_tree, walk_typed  # noqa: E402

DEFAULT_SEED = 2024
ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")

# ============================================================================================
# Words: the phrases an assessor writes
# ============================================================================================

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
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


# Order matters: the first topic whose key occurs in the rule's text (then the item's title) and that
# has wording for the rule's family wins, so the more specific topics come first.
TOPICS: tuple[Topic, ...] = (
    _t(
        "专题研究 研究党建 研究机关党建 研究一次",
        short=(
            "{y}年仅召开{done}次专题研究党建工作的{meeting}，第{q}季度未召开",
            "全年专题研究党建工作{done}次（以会议记录为准），少于要求，第{q}季度无相关议题",
        ),
        absent=("{y}年{half}未召开专题研究党建工作的{meeting}", "查阅{y}年{meeting}记录，无专题研究党建工作的议题"),
        occ=("{y}年第{q}季度未召开专题研究党建工作的{meeting}",),
    ),
    _t(
        "双重组织生活",
        absent=("党员领导干部{person}未以普通党员身份参加所在党支部组织生活会", "班子成员{person}、{person2}未过双重组织生活，支部无其参加组织生活的记录"),
    ),
    _t("民主生活会", short=("{y}年召开民主生活会{done}次，{half}未召开",), occ=("党员领导干部{person}未参加{half}民主生活会",)),
    _t(
        "组织生活会",
        absent=(
            "{y}年度组织生活会未按时召开，至{ny}年1月检查时尚未召开",
            "{half}组织生活会未开展批评与自我批评，会议记录只有情况通报",
        ),
        occ=("{half}组织生活会未按时召开", "{m}月{d}日组织生活会未提前征求意见，无问题清单"),
    ),
    _t("吸收群众 群众参与", absent=("民主评议党员未吸收群众参与，无群众测评表", "民主评议只在党员中进行，未听取服务对象意见")),
    _t("公示制", absent=("发展党员未实行公示制，{m}月接收的预备党员{person}未经公示", "发展对象{person}公示期不足7天")),
    _t("登记表", occ=("党员{person}未填写民主评议党员登记表", "党员{person}民主评议登记表缺本人签字")),
    _t(
        "民主评议",
        absent=("未开展{y}年度民主评议党员工作，无测评表和评议结果", "{y}年民主评议党员工作至{ny}年1月检查时尚未完成"),
    ),
    _t("微党课 大家讲", absent=("{y}年未开展“党员大家讲”微党课活动", "“党员大家讲”微党课只有通知，无开展记录")),
    _t(
        "三会一课 统一活动日 组织生活制度 主题党日 组织生活 参加率",
        occ=(
            "{m}月份“统一活动日”未开展活动，无活动记录",
            "第{q}季度未按规定上党课",
            "{m}月、{m2}月支委会无会议记录",
            "{m}月{d}日党员大会会议记录缺参会人员签到",
            "{m}月党小组会未召开",
            "{m}月{d}日主题党日活动只有照片，无活动记录",
        ),
        short=("{what}全年{done}{unit}（以会议记录为准），年度目标{target}{unit}", "{y}年{what}只开展{done}{unit}，少{missing}{unit}"),
        range=(
            "“三会一课”记录内容简单：{m}月、{m2}月支委会记录只有议题，无讨论内容",
            "党小组会记录{n}次无参加人员和讨论情况",
            "党课记录只有题目，无授课内容和听课人员",
        ),
        rate=("{m}月{d}日组织生活党员参加率{rate}，低于{threshold}", "{half}党员大会参加率{rate}"),
    ),
    _t("党课", absent=("党组织书记{y}年未讲党课", "书记讲党课无讲稿，无听课党员签到记录"), short=("{y}年上党课{done}次，少于{target}次",)),
    _t("书香校园", absent=("未开展“书香校园”建设，无活动方案和读书活动记录",)),
    _t("道德讲堂", absent=("{y}年未开展道德讲堂活动", "道德讲堂只有通知，无活动记录和照片")),
    _t("法治", absent=("{y}年未开展法治宣传教育，无活动记录",)),
    _t(
        "学习培训时间 培训时间 学习时间 小时",
        short=("党员集中学习培训时间全年{done}小时，不足{target}小时", "学习培训签到记录累计{done}小时，未达{target}小时"),
    ),
    _t(
        "换届 补选 补缺 增补 改选",
        overdue=(
            "{org}任期于{ey}年{em}月届满，至{y}年12月底超期{months}个月未换届，未向上级党组织请示",
            "任期届满后未经批准延期换届，超期{months}个月（任期于{ey}年{em}月届满）",
        ),
        occ=("委员{person}{m}月调离后未及时补选", "委员{person}退休后缺额{n}个月未报批补选"),
        absent=("未经同意未按期换届，任期已于{ey}年{em}月届满", "{y}年{m}月任期届满，未按期换届选举"),
        range=("班子缺额1名委员（{person}{m}月调离），至年底未增补，分工未调整",),
    ),
    _t(
        "发展党员 入党 积极分子",
        occ=(
            "发展对象{person}政审材料不全，缺少函调证明",
            "预备党员{person}转正未按期讨论，延期{n}个月",
            "{person}入党志愿书介绍人意见填写不规范",
            "接收预备党员{person}前未进行公示（{m}月{d}日党员大会）",
            "入党积极分子{person}培养考察记录{half}空白",
        ),
        elem=("发展党员工作缺{elements}", "{elements}不符合要求（查阅{y}年发展的{n}名党员档案）"),
        absent=("未建立入党积极分子培养台账，{y}年未组织积极分子参加培训", "未按要求上报年度入党积极分子名单"),
    ),
    _t("截留", absent=("{y}年截留党费{n}百余元用于支部活动，未按规定上缴", "截留党费用于慰问，未经上级党组织批准")),
    _t("滞缴", absent=("党费未按时上缴，第{q}季度党费延迟至{m2}月上缴", "{y}年党费滞缴{n}个月，{ny}年1月才补缴")),
    _t(
        "党费",
        occ=(
            "党员{person}{y}年党费仍按原工资基数交纳，少缴{n}个月",
            "党员{person}{m}月至{m2}月党费未交",
            "党员{person}党费交纳基数未按规定调整",
        ),
        absent=("党费未按时足额上缴，第{q}季度党费延迟至{m2}月上缴", "党费收缴台账缺{m}月、{m2}月记录"),
        elem=("党费收缴、管理缺{elements}", "党费管理不规范：缺{elements}"),
        range=("党费收缴台账不清，{m}月、{m2}月无党员签字",),
    ),
    _t(
        "志愿",
        absent=(
            "党员志愿服务活动无年度计划，台账、总结不完善",
            "党员志愿服务全年开展{n}次，未完成计划",
            "“在职党员进社区”报到率低，{n}名党员未报到",
        ),
    ),
    _t(
        "台账 台帐 资料 档案",
        range=tuple(f"党建工作台账不完整：{g}" for g in RECORD_GAPS),
        absent=("未建立党建工作台账，各类记录散存于个人笔记本", "检查时台账资料不全，{half}材料缺失", "台账不符合要求：{m}月以后的会议记录未归档"),
        elem=("台账缺{elements}",),
    ),
    _t(
        "组织关系 接转 转接 转进 转出 进出手续",
        range=(
            "党员{person}组织关系转出后{n}个月未在系统中办理",
            "退休党员{person}组织关系未及时转至社区",
            "新调入党员{person}{m}月报到，组织关系至年底未接转",
        ),
        occ=("党员{person}组织关系接转手续不全", "{m}月调入的党员{person}组织关系未及时接转", "预备党员{person}转正手续{n}个月未办理"),
    ),
    _t("调研", absent=("{y}年度未报送党建调研报告", "未形成有针对性的党建调研报告，报送的是年度工作总结")),
    _t(
        "党建信息 信息报送 报送信息",
        short=(
            "全年报送党建信息{done}篇（以网站刊发为准），未完成{target}篇的任务",
            "{y}年党建信息报送{done}篇，少于{target}篇，{half}只报送{n}篇",
        ),
        occ=("{m}月{d}日约稿的党建信息未报送",),
    ),
    _t("整改", occ=tuple(f"{{m}}月督查指出的“{i}”问题至年底未整改" for i in ISSUES)),
    _t(
        "统计",
        elem=("党内统计缺{elements}", "党内统计：{elements}不符合要求"),
        occ=("{y}年党内统计年报逾期{n}天报送",),
    ),
    _t(
        "工作方案和工作总结 工作方案 工作总结",
        occ=("{y}年{half}工作方案未报送", "{y}年度党建工作总结未报送", "6月“七一”活动方案未报送"),
    ),
    _t(
        "迟报 迟领 不及时 逾期",
        occ=tuple(f"{doc}逾期{{n}}天报送" for doc in DOCUMENTS) + ("{m}月{d}日通知领取的学习资料逾期{n}天领取",),
        range=tuple(f"{doc}逾期{{n}}天报送" for doc in DOCUMENTS),
    ),
    _t(
        "报送 材料",
        weak=True,
        occ=tuple(f"{{m}}月{{d}}日通知要求报送的{doc}未报送" for doc in DOCUMENTS),
        range=tuple(f"{doc}逾期{{n}}天报送" for doc in DOCUMENTS),
    ),
    _t(
        "纳入 四同 列入全年",
        absent=("党建工作未列入单位{y}年度工作计划", "{y}年行政工作会议未部署党建工作，“四同”未落实", "{y}年工作方案中无党建工作内容，未做到同布置、同检查"),
    ),
    _t(
        "总结",
        absent=("未形成{y}年度党建工作总结，计划中{n}项工作未落实", "{y}年度党建工作计划执行不严格，{n}项工作未开展，年终无总结"),
    ),
    _t(
        "计划",
        absent=("检查时未能提供{y}年度党建工作计划", "{y}年度党建工作计划未经集体研究，内容照抄上级文件", "{y}年{m}月才制定年度党建工作计划"),
    ),
    _t("一岗双责", absent=("班子成员未签订“一岗双责”责任书，分管工作中无党建内容", "班子成员{person}全年未过问分管科室党建工作")),
    _t(
        "两个责任 廉政 廉洁 纪律教育 警示教育 党风",
        absent=("未制定党风廉政建设“两个责任”清单", "{y}年未开展党风廉政教育，无活动记录"),
        occ=("{half}未开展集中党风党纪教育", "{m}月“以案说纪”教育活动未组织"),
        elem=("党员干部廉洁自律方面：{elements}未做到",),
        range=("{half}未开展廉政风险点排查，防控措施未更新", "廉政教育只转发文件，未组织集中学习", "党风廉政建设责任书未签订到科室负责人"),
    ),
    _t(
        "工作失误",
        absent=("{m}月单位微信公众号发布内容未经审核，出现工作失误", "{m}月网站转载不当内容，出现意识形态工作失误"),
    ),
    _t(
        "意识形态",
        absent=(
            "未制定意识形态工作责任制实施方案，全年未开展意识形态形势研判",
            "意识形态工作责任未落实到班子成员，{y}年未开展相应工作",
        ),
        occ=("{half}未向上级报告意识形态工作",),
    ),
    _t(
        "责任制",
        absent=("未建立党建工作责任制，班子成员分工中无党建工作内容", "未建立党组（党委）书记负总责的党建工作运行机制"),
        range=("党建工作责任制落实不到位：{n}名班子成员未建立基层联系点", "党建工作责任制落实不到位：分工抓党建无具体措施"),
    ),
    _t("十九大", absent=("党的十九大精神学习宣传仅转发文件，未组织集中学习和宣讲",)),
    _t(
        "两学一做",
        absent=(
            "“两学一做”学习教育未制定月度学习计划，制度落实不规范",
            "“两学一做”学习教育只有集中学习，未形成常态化长效化机制",
        ),
    ),
    _t(
        "三大一实干",
        absent=("未按要求开展“三大一实干”活动，无活动方案",),
        range=("作风建设主题实践活动只有方案，无过程记录和成效材料", "活动开展形式单一，{half}无活动"),
    ),
    _t(
        "十佳支部工作法 工作法",
        yes=tuple(f"已申报“十佳支部工作法”：《{m}》" for m in METHOD_NAMES),
        no=("未申报“十佳支部工作法”",),
    ),
    _t(
        "特色支部",
        yes=("开展争创“特色支部”工作，创建方案和过程材料齐全", "开展争创“特色支部”工作，“{project}”特色项目有方案、有总结"),
        no=("未开展争创“特色支部”工作",),
    ),
    _t("党建品牌 一校一品 品牌", absent=("未开展“一校一品”党建品牌创建活动", "党建品牌创建只有名称，无创建方案和活动")),
    _t("规范化建设 合格支部", absent=("未开展党支部规范化建设合格支部创建工作",)),
    _t(
        "新媒体 微信 每日一学 公众号",
        elem=("{elements}未做到（{m}月{d}日现场抽查）", "抽查党员手机，{elements}未做到"),
    ),
    _t("五大 五大规范化", elem=("支部五大建设缺{elements}建设", "基层党支部{elements}规范化建设未开展")),
    _t("工作机制", absent=("未建立“基层组织建设年”活动工作机制，无实施方案",)),
    _t("试点", absent=("未确定基层党支部建设试点",)),
    _t(
        "工、青、妇 工青妇 群团 工会 共青团 妇联 群建",
        absent=("工会委员会任期届满未换届，群团组织不健全", "{y}年团组织、妇委会未开展活动"),
        occ=("{half}未听取群团工作汇报", "{m}月工会组织的职工活动，党组织未参与支持"),
        elem=("{elements}未做到（{y}年）", "{subject}：{elements}方面未达到要求"),
    ),
    _t("未成年人", elem=("未成年人教育活动缺{elements_bare}", "未成年人教育活动{elements_bare}不全")),
    _t("活动室", elem=("党员教育活动室缺{elements}",)),
    _t("联系点", short=("班子成员全年深入联系点{done}次，少于{target}次",), absent=("党组成员未建立基层党建工作联系点",)),
    _t("党务公开", elem=("党务公开制度缺{elements}", "党务公开制度不全，缺{elements}"), occ=("{half}党务公开栏未更新",)),
    _t("配备 党务干部", elem=("未做到：{elements}", "党务干部配备不符合规定：{elements}未做到（{m}月检查）")),
    _t("环节", elem=("{subject}缺{elements}环节", "{subject}：{elements}环节未落实")),
    _t("经费", absent=("机关党组织工作经费未列入{y}年度行政预算", "党务活动经费无保障，{y}年未安排")),
    _t("专职副书记 列席", absent=("专职副书记未列席{y}年党组（党委）民主生活会", "专职副书记{half}未列席党组会议")),
    _t("报告工作 报告一次", short=("{y}年{what}{done}次",)),
    _t("主题活动", short=("{y}年开展党建主题活动{done}次，少于{target}次",)),
    _t("迟到 早退", occ=("{m}月{d}日党务干部培训会迟到", "{m}月{d}日工委会议提前离会", "{m}月{d}日工委全体会议迟到20分钟")),
    _t(
        "与会率 出勤率",
        rate=("主要负责人全年参加工委会议与会率{rate}，低于{threshold}", "{y}年工委会议主要负责人与会率{rate}"),
    ),
    _t("缺席 不参加会议 参加会议", occ=("{m}月{d}日工委会议无故缺席", "{m}月{d}日工委会议请人代会，未请假", "{m}月{d}日党务工作例会无人参加")),
    _t(
        "集体活动",
        occ=("未参加{m}月工委组织的机关党员志愿服务活动", "未参加{m}月{d}日工委组织的党建知识竞赛", "未参加6月工委组织的“七一”歌咏比赛"),
    ),
    _t("处分 违纪 违法", occ=("党员{person}因违反工作纪律于{m}月受到党内警告处分", "党员{person}{m}月因酒驾受到党纪处分")),
    _t(
        "参学率 理论学习 学习体会 体会",
        rate=("{m}月{d}日集中学习参学率{rate}", "{half}理论学习平均参学率{rate}"),
        short=("理论学习体会全年{done}篇，少于{target}篇",),
        occ=("党员{person}{y}年未交学习体会", "党员{person}学习体会少一篇"),
        absent=("学习教育无计划、无考核，{half}仅集中学习{n}次",),
    ),
    _t(
        "季度分析 思想分析",
        absent=("季度思想分析制度未坚持，{y}年只在第{q}季度分析一次", "{half}未开展思想分析，无汇报记录"),
    ),
    _t("第一责任人", absent=("主要负责人未履行“第一责任人”职责，{y}年未研究部署党建工作",)),
    _t("转变作风", absent=("未完成“转变作风年”实施意见中明确的{n}项任务",)),
    _t("上报和查处 违纪问题上报", absent=("{m}月发现的违纪问题未在一周内上报",)),
    _t("支持党务干部", occ=("党务干部{person}未参加{m}月上级组织的党务干部培训", "{m}月{d}日上级党务工作会议未派人参加")),
    # 洛阳：按七个类别核定的扣分
    _t(
        "领导重视",
        range=(
            "党组（党委）{half}未专题研究机关党建工作",
            "党建工作责任制未分解到班子成员，{n}名班子成员无党建联系点",
            "行政领导{y}年未向党员通报工作",
            "主要领导参加组织活动{n}次，少于目标",
        ),
    ),
    _t(
        "思想建设",
        range=(
            "政治学习记录{n}次无参加人员签名",
            "理论学习中心组学习未制定年度计划",
            "{m}月“机关道德讲堂”未开展",
            "学习型党组织建设无总结，{half}学习活动只有通知",
        ),
    ),
    _t(
        "组织建设",
        range=(
            "党员发展档案缺政审材料（{person}）",
            "“三会一课”记录不规范，{m}月、{m2}月支委会无记录",
            "党费未足额按比例上缴，{y}年少缴{n}个月",
            "党组织任期届满未按期换届",
            "党员组织关系接转不及时，{n}名党员未转入",
        ),
    ),
    _t(
        "作风建设",
        range=(
            "服务承诺未公开，“四个服务”无具体措施",
            "第二批党的群众路线教育实践活动准备工作滞后，无工作方案",
            "{y}年党员领导干部民主生活会征求意见不广泛",
        ),
    ),
    _t(
        "党内民主 党务公开",
        range=("党务公开栏{half}未更新", "党员大会未听取党员意见，党务公开内容不全", "{y}年未开展党员评议党组织活动"),
    ),
    _t(
        "创先争优 六加一",
        range=(
            "志愿者活动{y}年仅开展{n}次，无活动记录",
            "党建信息调研报送{n}篇，少于要求",
            "创先争优活动无年度总结",
            "群团组织建设滞后，团支部{half}未开展活动",
            "机关道德讲堂{half}未开展",
        ),
    ),
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

NEGATIVE = re.compile(r"^(未|无|不|没|少|缺|有一|出现|发生)|不完整|不规范|不及时|不到位|不突出|不健全|不正常|不严格|不完善")


def chinese_quotes(text: str) -> str:
    """"三会一课" → “三会一课”: clerks type Chinese quotation marks."""
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
    if isinstance(rule, ShortfallRule) and rule.activity:
        activity = next((a for a in rubric.activities if a.id == rule.activity), None)
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


def phrases_for(family: str, rule: Rule, title: str) -> tuple[str, ...]:
    if family == "short0":
        return GENERIC[family]
    for source, weak in ((rule.text, False), (title, True), (rule.text, True)):
        for topic in TOPICS:
            if family in topic.phrases and (weak or not topic.weak) and any(k in source for k in topic.keys):
                return topic.phrases[family]
    return GENERIC[family]


# ============================================================================================
# Units and the assessment's own particulars
# ============================================================================================


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
    raise SystemExit(f"{rubric.id}：单位类型「{hint}」与细则的单位类型（" + "、".join(t.name for t in rubric.unit_types) + "）都不相符")


# ============================================================================================
# The generator
# ============================================================================================


@dataclass(frozen=True)
class Slot:
    """One rule as it applies to one unit type."""

    node: TypedNode
    category: str
    rule_id: str
    rule: Rule
    write_rule: bool
    #: The rule is the rubric's default for leaves without rules (defaults.leaf_rule).
    default: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.node.id, self.rule_id)


@dataclass
class Entry:
    unit: str
    item: str
    rule: str
    value: str
    amount: str
    reason: str
    assessor: str = ""
    note: str = ""
    order: tuple[int, int] = (0, 0)


@dataclass
class UnitState:
    unit: UnitRow
    entries: list[Entry] = field(default_factory=list)
    lost: dict[str, Decimal] = field(default_factory=dict)
    used: dict[tuple[str, str], int] = field(default_factory=dict)
    range_total: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    reasons: set[str] = field(default_factory=set)
    templates: set[tuple[str, str]] = field(default_factory=set)
    total: Decimal = ZERO


KIND_WEIGHT = {
    "fixed": 10,
    "range": 14,
    "per_occurrence": 14,
    "per_person": 7,
    "shortfall": 10,
    "per_element": 8,
    "overdue": 2,
    "rate": 5,
    "all_or_nothing": 1,
}


def dec_range(rng: random.Random, low: Decimal, high: Decimal, step: Decimal) -> Decimal:
    """A random multiple of ``step`` in [low, high] (low rounded up to a step)."""
    first = (low / step).to_integral_value(rounding=ROUND_CEILING)
    last = (high / step).to_integral_value(rounding=ROUND_FLOOR)
    if last < first:
        return low
    return Decimal(rng.randint(int(first), int(last))) * step


def step_for(top: Decimal) -> Decimal:
    if top <= 1:
        return Decimal("0.1")
    if top <= 10:
        return HALF
    if top <= 40:
        return ONE
    return Decimal(5)


def floor_int(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def num_text(value: Decimal) -> str:
    return fmt(value)


class Generator:
    """One assessment's year, built up in memory and then written out by :func:`generate`.

    Every assessed unit gets a profile: ``clean`` (loses nothing), ``light``, ``normal`` or ``heavy``;
    findings are drawn from the rules that apply to its unit type, weighted by kind, until the unit
    has lost about its budget, never more than an item is worth (except once, to show 扣完为止).
    All randomness comes from one ``random.Random`` seeded with the seed and the assessment id.
    """

    def __init__(self, rubric: Rubric, spec: Spec, seed: int) -> None:
        self.rubric = rubric
        self.spec = spec
        self.rng = random.Random(f"{seed}/{rubric.id}")
        self.year = rubric.year
        self.trees = {t.id: typed_tree(rubric, t.id) for t in rubric.unit_types}
        self.slots = {t.id: self._slots(t) for t in rubric.unit_types}
        self.order: dict[str, int] = {}
        for t in rubric.unit_types:
            for n in walk_typed(self.trees[t.id]):
                self.order.setdefault(n.id, len(self.order))
        index = node_index(rubric)
        parents = parent_index(rubric)
        self.parent_title = {nid: chinese_quotes(index[pid].title).replace(" ", "，") if pid else "" for nid, pid in parents.items()}
        #: The department that assesses each item (考核单位), inherited from the nearest ancestor.
        self.assessor: dict[str, str] = {}
        for nid in parents:
            current: str | None = nid
            while current is not None and not index[current].assessor:
                current = parents[current]
            self.assessor[nid] = index[current].assessor if current is not None else ""
        self.units: list[UnitRow] = []
        self.states: dict[str, UnitState] = {}
        self.bonus_rows: list[list[str]] = []
        self.penalty_rows: list[list[str]] = []
        self.veto_rows: list[list[str]] = []
        self.part_rows: list[list[str]] = []
        self.self_rows: list[list[str]] = []
        self.people = self._people()
        #: The rubric sets a target per member somewhere: the registry records each unit's 成员人数.
        self.per_member = any(
            isinstance(rule, ShortfallRule) and rule.per_member is not None
            for t in rubric.unit_types
            for n in walk_typed(self.trees[t.id])
            for _, rule in n.rules
        )

    # -- units --------------------------------------------------------------------------------

    def _people(self) -> list[str]:
        rng = random.Random(f"people/{self.rubric.id}")
        names = [s + rng.choice(("某", "某某")) for s in SURNAMES]
        rng.shuffle(names)
        return names

    def person(self) -> str:
        return self.rng.choice(self.people)

    def make_units(self) -> None:
        spec = self.spec
        for index, (name, hint, group, parent) in enumerate(spec.registry, start=1):
            unit_type = _resolve_type(self.rubric, hint)
            uid = spec.id_of(index, group, unit_type.id)
            phone = f"{spec.phone_prefix}-8888{index:04d}"
            contact = self.people[index % len(self.people)]
            members = self.rng.randint(5, 11) if self.per_member else None
            self.units.append(
                UnitRow(uid, name, unit_type, group, parent, contact, phone, abbr=abbreviation(name), members=members)
            )
        by_name = {u.name: u for u in self.units}
        for name, note in spec.not_assessed:
            by_name[name].status = "不参加考核"
            by_name[name].status_note = note
        assessed = [u for u in self.units if u.assessed]
        order = list(assessed)
        self.rng.shuffle(order)
        n = len(order)
        clean = 2 if n >= 8 else 1
        heavy = max(1, n // 8)
        light = max(1, n // 4)
        for i, u in enumerate(order):
            if i < clean:
                u.profile = "clean"
            elif i < clean + heavy:
                u.profile = "heavy"
            elif i < clean + heavy + light:
                u.profile = "light"
            if u.profile == "clean" or spec.status_for_all:
                u.status = "已考核"
        if spec.severe_types:
            worst = next(u for u in order if u.profile in ("heavy", "normal") and u.type.id in spec.severe_types)
            worst.profile, worst.severe = "heavy", True
        for name in spec.severe_names:
            unit = next(u for u in self.units if u.name == name)
            unit.profile, unit.severe = "heavy", True
            if unit.status == "已考核" and not spec.status_for_all:
                unit.status = ""
        for u in self.units:
            self.states[u.id] = UnitState(u)

    # -- rules --------------------------------------------------------------------------------

    def _slots(self, unit_type: UnitType) -> list[Slot]:
        out: list[Slot] = []
        default = self.rubric.defaults.leaf_rule
        for category in self.trees[unit_type.id]:
            for typed in walk_typed((category,)):
                if not typed.applicable or not typed.rules:
                    continue
                for rid, rule in typed.rules:
                    if isinstance(rule, ShortfallRule) and not has_target(rule, self.rubric, unit_type.id):
                        continue
                    out.append(Slot(typed, category.id, rid, rule, len(typed.rules) > 1, rule is default and not typed.node.rules))
        return out

    def scale(self, unit_type: UnitType) -> Decimal:
        total = sum((n.points for n in self.trees[unit_type.id] if n.applicable), ZERO)
        return total / 100 if total else ONE

    # -- wording ------------------------------------------------------------------------------

    def meeting(self, unit_type: UnitType) -> str:
        for key, word in self.spec.meeting_word.items():
            if key == unit_type.id or key in unit_type.name:
                return word
        name = unit_type.name
        if "总支" in name:
            return "总支委员会"
        if "支部" in name:
            return "支委会"
        if "党委" in name:
            return "党委会"
        return "党组（党委）会议"

    def words(self, st: UnitState, slot: Slot, **extra: object) -> dict[str, object]:
        rng = self.rng
        m = rng.randint(1, 10)
        m2 = rng.randint(m + 1, 12)
        rule = slot.rule
        node = slot.node.node
        months = extra.get("months", 1)
        assert isinstance(months, int)
        end = self.year * 12 + 12 - months  # the month the term ended, counted in months from year 0
        n = rng.randint(2, 5)
        title = chinese_quotes(node.title)
        if re.match(r"^第\d+项$", title):
            # An unnamed clause: its content when short, else the indicator it belongs to.
            base = content_phrase(node.content)
            if not base or len(base) > 20:
                base = f"{self.parent_title[node.id]}（{title}）"
        elif slot.default:
            base = subject_of(title)
        else:
            base = base_phrase(rule.text, title)
        elements = str(extra.get("elements", ""))
        ctx: dict[str, object] = {
            "y": self.year,
            "ny": self.year + 1,
            "m": m,
            "m2": m2,
            "d": rng.randint(1, 28),
            "q": rng.choice(QUARTERS),
            "half": rng.choice(HALVES),
            "person": self.person(),
            "person2": self.person(),
            "n": n,
            "k": rng.randint(1, n - 1),
            "org": st.unit.type.name if len(st.unit.type.name) <= 4 else "党组织",
            "meeting": self.meeting(st.unit.type),
            "place": self.spec.place_word.get(st.unit.type.id, "所属党组织"),
            "title": title,
            "subject": subject_of(title),
            "base": base,
            "unit": getattr(rule, "unit", "次"),
            "what": activity_name(rule, self.rubric, title),
            "measure": getattr(rule, "measure", "比率"),
            "project": rng.choice(PROJECT_NAMES),
            "ey": (end - 1) // 12,
            "em": (end - 1) % 12 + 1,
            "months": months,
            "done": "",
            "target": "",
            "missing": "",
            "rate": "",
            "threshold": "",
            "elements_bare": "、".join(re.sub(r"^有", "", e) for e in elements.split("、")),
        }
        ctx.update(extra)
        return ctx

    def reason(self, st: UnitState, slot: Slot, family: str, **extra: object) -> str:
        options = VERIFIED if slot.default else phrases_for(family, slot.rule, slot.node.node.title)
        fresh = [o for o in options if (slot.node.id, o) not in st.templates] or list(options)
        text = ""
        for attempt in range(12):
            template = self.rng.choice(fresh if attempt < 6 else options)
            text = template.format(**self.words(st, slot, **extra))
            if text not in st.reasons:
                st.reasons.add(text)
                st.templates.add((slot.node.id, template))
                return text
        text = f"{text}（另{len(st.reasons)}）"
        st.reasons.add(text)
        return text

    # -- findings -----------------------------------------------------------------------------

    def add(self, st: UnitState, slot: Slot, value: str, amount: str, reason: str, loss: Decimal) -> None:
        assessor = ""
        names = self.spec.assessor_names
        if self.spec.assessor_from_rubric and self.assessor.get(slot.node.id):
            assessor = f"{self.assessor[slot.node.id]}考核组"
        elif names and self.spec.assessor_by_group:
            groups = list(dict.fromkeys(u.group for u in self.units))
            assessor = names[groups.index(st.unit.group) % len(names)]
        elif names:
            assessor = names[self.order[slot.category] % len(names)]
        st.entries.append(
            Entry(
                st.unit.id,
                slot.node.id,
                slot.rule_id if slot.write_rule else "",
                value,
                amount,
                reason,
                assessor,
                order=(self.order[slot.node.id], [rid for rid, _ in slot.node.rules].index(slot.rule_id)),
            )
        )
        st.lost[slot.node.id] = st.lost.get(slot.node.id, ZERO) + loss
        st.used[slot.key] = st.used.get(slot.key, 0) + 1
        st.total += loss

    def finding(self, st: UnitState, slot: Slot, room: Decimal, *, exhaust: bool = False) -> Decimal | None:
        """Record one finding on ``slot`` losing at most ``room`` points; returns the points lost."""
        rng, rule, points = self.rng, slot.rule, slot.node.points
        used = st.used.get(slot.key, 0)
        yes = self.spec.yes_word
        fill = self.spec.fill_amounts
        if isinstance(rule, FixedRule):
            if used or rule.deduct > room:
                return None
            self.add(st, slot, yes, num_text(rule.deduct) if fill else "", self.reason(st, slot, "absent"), rule.deduct)
            return rule.deduct
        if isinstance(rule, AllOrNothingRule):
            if used or points > room:
                return None
            self.add(st, slot, yes, "", self.reason(st, slot, "absent"), points)
            return points
        if isinstance(rule, ShortfallRule):
            return self._shortfall(st, slot, rule, room, exhaust)
        if isinstance(rule, PerElementRule):
            return self._per_element(st, slot, rule, room, exhaust, fill)
        if isinstance(rule, RangeRule):
            top = rule.max if rule.max is not None else points
            so_far = st.range_total.get(slot.key, ZERO)
            if used >= (3 if top >= 20 else 2) or (used and not exhaust and rng.random() < 0.5):
                return None
            step = step_for(top)
            high = min(top - so_far, room)
            low = max(rule.min - so_far, step)
            if high < low:
                return None
            most = min(high, top if top <= 1 else max(low, top * 2 / 5, step), 3 * self.scale(st.unit.type))
            amount = high if exhaust else dec_range(rng, low, max(low, most), step)
            st.range_total[slot.key] = so_far + amount
            self.add(st, slot, "", num_text(amount), self.reason(st, slot, "range"), amount)
            return amount
        if isinstance(rule, OverdueRule):
            if used:
                return None
            if exhaust and rule.whole_item_at is not None:
                months = int(rule.whole_item_at) + rng.randint(0, 3)
                loss = points
            else:
                longest = min(floor_int(room / rule.per), 4)
                if rule.whole_item_at is not None:
                    longest = min(longest, int(rule.whole_item_at) - 1)
                if longest < 1:
                    return None
                months = rng.randint(1, longest)
                loss = rule.per * months
            self.add(st, slot, str(months), "", self.reason(st, slot, "overdue", months=months), loss)
            return loss
        if isinstance(rule, (PerOccurrenceRule, PerPersonRule)):
            if used >= 3 and not exhaust:
                return None
            if exhaust:
                count = max(1, min(floor_int(room / rule.per) + 1, 8))
            else:
                count = 1 if rng.random() < 0.8 else 2
                while count > 1 and rule.per * count > room:
                    count -= 1
            loss = rule.per * count
            if loss > room and not exhaust:
                return None
            reason = self.reason(st, slot, "occ")
            if count == 2:
                reason = f"{reason}；{self.reason(st, slot, 'occ')}"
            elif count > 2:
                reason = f"{reason}；{self.reason(st, slot, 'occ')}等，共{count}{rule.unit}"
            self.add(st, slot, str(count), num_text(loss) if fill else "", reason, loss)
            return loss
        if isinstance(rule, RateRule):
            return self._rate(st, slot, rule, room)
        return None

    def _shortfall(self, st: UnitState, slot: Slot, rule: ShortfallRule, room: Decimal, exhaust: bool) -> Decimal | None:
        rng = self.rng
        members = Decimal(st.unit.members) if st.unit.members is not None else None
        target = shortfall_target(rule, self.rubric, st.unit.type.id, members)
        if st.used.get(slot.key) or target is None or target < 1:
            return None
        if rule.per is not None:
            most = min(floor_int(target), floor_int(room / rule.per), floor_int(target) if exhaust else 3)
            if most < 1:
                return None
            missing = most if exhaust else rng.randint(1, most)
            loss = missing * rule.per
        else:
            deduct = rule.deduct or ZERO
            if deduct > room:
                return None
            missing = rng.randint(1, max(1, floor_int(target) // 4))
            loss = deduct
        done = target - missing
        family = "short0" if done == 0 else "short"
        reason = self.reason(st, slot, family, done=num_text(done), target=num_text(target), missing=num_text(Decimal(missing)))
        self.add(st, slot, num_text(done), "", reason, loss)
        return loss

    def _per_element(self, st: UnitState, slot: Slot, rule: PerElementRule, room: Decimal, exhaust: bool, fill: bool) -> Decimal | None:
        rng = self.rng
        if st.used.get(slot.key):
            return None
        names: tuple[str, ...] = rule.elements
        if not names:
            source = rule.text + slot.node.node.title
            names = next((ns for key, ns in ELEMENT_NAMES if key in source), ())
        most = floor_int(room / rule.per)
        most = min(most, len(names) if names else 3, len(names) if exhaust and names else 2)
        if most < 1:
            return None
        n = most if exhaust else rng.randint(1, most)
        loss = rule.per * n
        if names:
            picked = sorted(rng.sample(range(len(names)), n))
            value = "、".join(names[i] for i in picked)
            reason = self.reason(st, slot, "elem", elements=value)
        else:
            value = str(n)
            reason = self.reason(st, slot, "elem", elements=f"{n}项")
        self.add(st, slot, value, num_text(loss) if fill else "", reason, loss)
        return loss

    def _rate(self, st: UnitState, slot: Slot, rule: RateRule, room: Decimal) -> Decimal | None:
        rng = self.rng
        if st.used.get(slot.key):
            return None
        if rule.max is not None:
            step = step_for(rule.max)
            low = max(rule.min or ZERO, step)
            if low > room:
                return None
            loss = dec_range(rng, low, min(rule.max, room), step)
            amount = num_text(loss)
        else:
            loss = rule.deduct if rule.deduct is not None else (rule.per or ZERO)
            amount = ""
            if loss > room:
                return None
        below = Decimal(rng.randint(5, 25)) / 100
        rate = max(Decimal("0.4"), rule.threshold - below)
        rate_text = f"{num_text(rate * 100)}%"
        reason = self.reason(st, slot, "rate", rate=rate_text, threshold=f"{num_text(rule.threshold * 100)}%")
        self.add(st, slot, rate_text, amount, reason, loss)
        return loss

    def earned(self, st: UnitState) -> None:
        """Rules that earn points: most units did the work; weaker ones did not."""
        chance = {"clean": 1.0, "light": 0.9, "normal": 0.75, "heavy": 0.35}[st.unit.profile]
        for slot in self.slots[st.unit.type.id]:
            rule = slot.rule
            if not isinstance(rule, EarnedRule):
                continue
            if self.rng.random() < chance:
                amount = ""
                if rule.partial and st.unit.profile != "clean" and self.rng.random() < 0.4:
                    step = step_for(rule.points)
                    amount = num_text(dec_range(self.rng, step, rule.points - step, step))
                self.add(st, slot, "是", amount, self.reason(st, slot, "yes"), ZERO)
            else:
                self.add(st, slot, "否", "", self.reason(st, slot, "no"), rule.points)

    def budget(self, unit: UnitRow) -> Decimal:
        low, high = {"clean": (0, 0), "light": (1, 4), "normal": (3, 10), "heavy": (13, 22)}[unit.profile]
        if unit.severe:
            low, high = 27, 32
        return Decimal(self.rng.randint(low * 2, high * 2)) / 2 * self.scale(unit.type)

    def deductions(self, st: UnitState) -> None:
        slots = [s for s in self.slots[st.unit.type.id] if not isinstance(s.rule, EarnedRule)]
        if st.unit.profile != "heavy":
            slots = [s for s in slots if not isinstance(s.rule, AllOrNothingRule)]
        if not slots:
            return
        weights = [KIND_WEIGHT[s.rule.kind] for s in slots]
        goal = self.budget(st.unit)
        slack = self.scale(st.unit.type)
        tries = 0
        while st.total < goal and tries < 300:
            tries += 1
            slot = self.rng.choices(slots, weights)[0]
            room = min(slot.node.points - st.lost.get(slot.node.id, ZERO), goal - st.total + slack)
            if room > 0:
                self.finding(st, slot, room)

    def exhaust_one(self) -> None:
        """One heavy unit loses more on an item than it is worth (直至扣完 / 扣完为止)."""
        for u in self.units:
            if u.profile != "heavy":
                continue
            st = self.states[u.id]
            slots = [
                s
                for s in self.slots[u.type.id]
                if isinstance(s.rule, (PerOccurrenceRule, PerPersonRule))
                and st.lost.get(s.node.id, ZERO) == 0
                and s.rule.per * 2 <= s.node.points
            ]
            slots.sort(key=lambda s: (not s.node.node.until_exhausted, self.order[s.node.id]))
            if not slots:
                continue
            slot = slots[0]
            while st.lost.get(slot.node.id, ZERO) <= slot.node.points:
                if self.finding(st, slot, slot.node.points) is None:
                    break
            return

    def zero_category(self) -> None:
        """A unit loses every point of one category (某一大类别未得分)."""
        st = next(self.states[u.id] for u in self.units if u.profile == "heavy")
        tree = self.trees[st.unit.type.id]

        def hard(category: TypedNode) -> int:
            count = 0
            for typed in walk_typed((category,)):
                if typed.applicable and typed.rules and not any(self.exhausts(rule, typed.points) for _, rule in typed.rules):
                    count += 1
            return count

        category = min((c for c in tree if c.applicable), key=lambda c: (hard(c), c.points, self.order[c.id]))
        for typed in walk_typed((category,)):
            if not typed.applicable or not typed.rules:
                continue
            slots = [s for s in self.slots[st.unit.type.id] if s.node.id == typed.id and not isinstance(s.rule, EarnedRule)]
            slots.sort(key=lambda s: (not self.exhausts(s.rule, typed.points), -KIND_WEIGHT[s.rule.kind]))
            for slot in slots:
                room = typed.points - st.lost.get(typed.id, ZERO)
                if room <= 0:
                    break
                self.finding(st, slot, room, exhaust=True)

    @staticmethod
    def exhausts(rule: Rule, points: Decimal) -> bool:
        """The rule alone can take a whole item of ``points``."""
        if isinstance(rule, AllOrNothingRule):
            return True
        if isinstance(rule, FixedRule):
            return rule.deduct >= points
        if isinstance(rule, RangeRule):
            return rule.max is None or rule.max >= points
        if isinstance(rule, OverdueRule):
            return rule.whole_item_at is not None
        return False

    def cover_kinds(self) -> None:
        """Every rule kind of the rubric shows up somewhere in the entries."""
        kinds = [k for k in KIND_WEIGHT if any(s.rule.kind == k for ss in self.slots.values() for s in ss)]
        seen = {self.slot_of(e).rule.kind for st in self.states.values() for e in st.entries}
        for kind in kinds:
            if kind in seen:
                continue
            candidates = [self.states[u.id] for u in self.units if u.assessed and u.profile in ("normal", "heavy")]
            self.rng.shuffle(candidates)
            for st in candidates:
                if any(self._cover(st, slot) for slot in self.slots[st.unit.type.id] if slot.rule.kind == kind):
                    break

    def _cover(self, st: UnitState, slot: Slot) -> bool:
        room = slot.node.points - st.lost.get(slot.node.id, ZERO)
        return room > 0 and self.finding(st, slot, room) is not None

    def slot_of(self, entry: Entry) -> Slot:
        st = self.states[entry.unit]
        for slot in self.slots[st.unit.type.id]:
            if slot.node.id == entry.item and (slot.rule_id == entry.rule or not entry.rule):
                return slot
        raise KeyError(entry)

    # -- bonus ----------------------------------------------------------------------------------

    def bonus_subject(self, item: BonusItem, level: BonusLevel | None) -> tuple[str, str]:
        """(subject, evidence) for a claim, worded by what its level (or item) is about."""
        rng = self.rng
        y = self.year
        doc = f"{self.spec.office}〔{y}〕{rng.randint(3, 60)}号"
        if level is None:
            options: tuple[str, ...]
            if "活动" in item.title:
                options = (
                    "参加工委统一部署的机关党员志愿服务月活动，表现突出",
                    "参加工委组织的党建知识竞赛，获团体一等奖",
                    "参加工委组织的“七一”歌咏比赛，获优秀组织奖",
                    "承办工委“机关党建开放日”现场观摩活动",
                )
            elif self.spec.bonus_grounds:
                options = self.spec.bonus_grounds
            else:
                options = (
                    "党建工作经验在全省推广（{m}月现场会）",
                    "“{p}”党建品牌受到省委组织部通报表扬",
                    "基层党建工作获市委主要领导批示肯定",
                    "党组织被省委表彰为“先进基层党组织”",
                )
            return rng.choice(options).format(m=rng.randint(3, 11), p=rng.choice(PROJECT_NAMES)), doc
        name = level.name
        if level.per_occurrence:
            if any(k in name for k in ("会议", "交流", "推广")):
                return rng.choice(EXPERIENCES), f"会议议程及交流材料（{y}年{rng.randint(3, 12)}月）"
            return f"{name}党建信息", "刊发链接或版面复印件"
        if any(k in name for k in ("日报", "刊发", "网")):
            return f"特色党建报道《{rng.choice(REPORT_TITLES)}》", f"{name.replace('刊发', '')}{y}年{rng.randint(2, 12)}月{rng.randint(1, 28)}日"
        if any(k in name for k in ("电教片", "微电影", "微视频")):
            return f"党建微视频《{rng.choice(VIDEO_TITLES)}》", doc
        if "典型" in name:
            return f"党员{self.person()}先进事迹", doc
        if any(k in name for k in ("项目", "调研", "文章")):
            if rng.random() < 0.5:
                return f"调研文章《{rng.choice(ARTICLE_TITLES)}》", doc
            return f"党建工作优秀项目“{rng.choice(PROJECT_NAMES)}”", doc
        return rng.choice(HONOURS), doc

    def make_bonus(self) -> None:
        scheme = self.rubric.bonus
        if scheme is None or not scheme.items:
            return
        rng = self.rng
        assessed = [u for u in self.units if u.assessed]
        claims: dict[str, list[list[str]]] = {u.id: [] for u in assessed}
        how_many = {"clean": (1, 3), "light": (1, 3), "normal": (1, 2), "heavy": (1, 1)}
        for u in assessed:
            if rng.random() > self.spec.bonus_share:
                continue
            low, high = how_many[u.profile]
            for _ in range(rng.randint(low, high)):
                self.claim(u, rng.choice(scheme.items), claims[u.id])
        # The same subject at two levels counts once, at its higher level.
        once = [i for i in scheme.items if i.same_subject_once and len([lv for lv in i.levels if not lv.per_occurrence]) >= 2]
        if once:
            pick = [u for u in assessed if u.profile in ("clean", "light", "normal")]
            for u in rng.sample(pick, min(2, len(pick))):
                item = rng.choice(once)
                levels = sorted((lv for lv in item.levels if not lv.per_occurrence), key=lambda lv: -lv.points)
                low_level = levels[-1]
                high_level = levels[rng.randint(max(0, len(levels) - 3), len(levels) - 2)]
                subject, evidence = self.bonus_subject(item, high_level)
                if any(r[5] == subject for r in claims[u.id]):
                    continue
                claims[u.id].append(self.claim_row(u, item, low_level, 1, None, subject, f"{self.spec.office}表彰决定", ""))
                claims[u.id].append(self.claim_row(u, item, high_level, 1, None, subject, evidence, ""))
        # The same experience promoted at two levels, or twice at one level, counts once at the highest.
        promoted = [i for i in scheme.items if i.same_subject_once and len([lv for lv in i.levels if lv.per_occurrence]) >= 2]
        if promoted:
            pick = [u for u in assessed if u.profile in ("clean", "light", "normal") and not claims[u.id]]
            for n, u in enumerate(rng.sample(pick, min(2, len(pick)))):
                item = promoted[0]
                levels = sorted((lv for lv in item.levels if lv.per_occurrence), key=lambda lv: -lv.points)
                low_level, high_level = levels[-1], levels[-2]
                subject, evidence = self.bonus_subject(item, low_level)
                if n == 0:
                    claims[u.id].append(self.claim_row(u, item, low_level, 2, None, subject, evidence, ""))
                else:
                    claims[u.id].append(self.claim_row(u, item, low_level, 1, None, subject, evidence, ""))
                    claims[u.id].append(self.claim_row(u, item, high_level, 1, None, subject, evidence, ""))
        # Per-occurrence claims with a count (12 posts × 0.2).
        per_occ = [(i, lv) for i in scheme.items for lv in i.levels if lv.per_occurrence]
        if per_occ:
            cheapest = min(per_occ, key=lambda p: p[1].points)
            for n, u in enumerate(rng.sample(assessed, min(3, len(assessed)))):
                item, level = cheapest if n == 0 else rng.choices(per_occ, [float(1 / (lv.points + 1) ** 2) for _, lv in per_occ])[0]
                count = 12 if n == 0 else self.occurrences(level)
                subject, evidence = self.bonus_subject(item, level)
                if not any(r[5] == subject for r in claims[u.id]):
                    claims[u.id].append(self.claim_row(u, item, level, count, None, subject, evidence, ""))
        # One claim the office did not confirm.
        some = [u for u in assessed if claims[u.id]]
        if some:
            u = rng.choice(some)
            row = self.claim(u, rng.choice(scheme.items), claims[u.id])
            row[6] = "无"
            row[7] = "否"
            row[8] = (
                "【内部】所报篇目中有转载稿件，经核实不属于本单位原创，不予认定"
                if row[3]
                else "【内部】未提供表彰文件原件，电话核实为下属单位所获荣誉，不予认定"
            )
        for u in self.units:
            self.bonus_rows.extend(claims.get(u.id, []))

    def occurrences(self, level: BonusLevel) -> int:
        if level.points <= Decimal("0.3"):
            return self.rng.randint(5, 15)
        if level.points < 1:
            return self.rng.randint(2, 4)
        return self.rng.randint(1, 2)

    def claim(self, unit: UnitRow, item: BonusItem, rows: list[list[str]]) -> list[str]:
        rng = self.rng
        taken = {r[5] for r in rows}
        row: list[str] = []
        for _ in range(10):
            if item.levels:
                weights = [float(1 / (lv.points + 1) ** 2) for lv in item.levels]
                level: BonusLevel | None = rng.choices(item.levels, weights)[0]
                assert level is not None
                count = self.occurrences(level) if level.per_occurrence else 1
                amount = None
            else:
                level, count = None, 1
                low, high = item.min or ONE, item.max or ONE
                amount = dec_range(rng, low, high, step_for(high))
            subject, evidence = self.bonus_subject(item, level)
            row = self.claim_row(unit, item, level, count, amount, subject, evidence, "")
            if subject not in taken:
                break
        else:
            row[5] = f"{row[5]}（{rng.randint(2, 9)}月）"
        rows.append(row)
        return row

    def claim_row(
        self, unit: UnitRow, item: BonusItem, level: BonusLevel | None, count: int, amount: Decimal | None, subject: str, evidence: str, note: str
    ) -> list[str]:
        level_text = "" if level is None else label_for(level.name, level.id, self.spec.english, (lv.name for lv in item.levels))
        count_text = str(count) if level is not None and level.per_occurrence else ""
        amount_text = num_text(amount) if amount is not None else ""
        return [unit.id, item.id, level_text, count_text, amount_text, subject, evidence, "", note]

    # -- penalties, vetoes, parts, self scores ---------------------------------------------------

    def make_penalties(self) -> None:
        rng = self.rng
        taken: set[str] = set()
        for penalty_id, how_many in self.spec.penalties:
            penalty = next(p for p in self.rubric.penalties if p.id == penalty_id)
            # Fraud is found where the papers looked good; criticism falls on weaker units.
            wanted = ("light",) if penalty.can_remove_eligibility else ("normal", "heavy")
            pool = [u for u in self.units if u.assessed and u.profile in wanted and u.id not in taken]
            for u in rng.sample(pool, min(how_many, len(pool))):
                taken.add(u.id)
                step = ONE if penalty.max - penalty.min >= 2 else HALF
                amount = dec_range(rng, penalty.min, penalty.max, step)
                month = rng.randint(3, 11)
                if penalty.can_remove_eligibility:
                    removes = "是"
                    reason = rng.choice(
                        (
                            f"{self.year}年{month}月报送的自查材料虚报主题党日活动{rng.randint(3, 6)}次，经核查属实",
                            f"报送的党员学习培训时间与签到记录不符，{rng.randint(2, 4)}份会议记录系事后补写",
                        )
                    )
                else:
                    removes = ""
                    reason = rng.choice(
                        (
                            f"{self.year}年{month}月因基层党建工作推进不力被市委通报批评",
                            f"{self.year}年{month}月所属党员干部违规操办婚宴，在网络造成不良影响",
                            f"{self.year}年{month}月省委巡视反馈指出党建工作问题，被点名通报",
                            f"{self.year}年{month}月党风廉政建设专项检查中被通报批评",
                        )
                    )
                label = label_for(penalty.name, penalty.id, self.spec.english, (p.name for p in self.rubric.penalties))
                self.penalty_rows.append([u.id, label, num_text(amount), reason, removes, ""])

    def make_vetoes(self) -> None:
        scheme = self.rubric.vetoes
        if scheme is None or not self.spec.vetoes:
            return
        rng = self.rng
        types = self.spec.veto_types
        pool = [u for u in self.units if u.assessed and u.profile in ("light", "normal") and (not types or u.type.id in types)]
        pool.sort(key=lambda u: u.profile != "light")
        chosen = rng.sample(pool[: max(self.spec.vetoes * 2, 3)], min(self.spec.vetoes, len(pool)))
        events = list(scheme.events)
        rng.shuffle(events)
        for u, event in zip(chosen, events, strict=False):
            date = f"{self.year}-{rng.randint(2, 11):02d}-{rng.randint(1, 28):02d}"
            label = label_for(event.name, event.id, self.spec.english, (e.name for e in scheme.events))
            reason = veto_reason(event.name, date, self.person())
            self.veto_rows.append([u.id, label, reason, date, "【内部】情况通报复印件存档，原件在纪检组"])

    def make_parts(self) -> None:
        rng = self.rng
        for part in self.rubric.parts:
            if part.source != "entered":
                continue
            full = part.full or Decimal(100)
            for u in self.units:
                if not u.assessed:
                    continue
                low = {"clean": 930, "light": 880, "normal": 820, "heavy": 720}[u.profile]
                value = (Decimal(rng.randint(low, 990)) / 1000 * full).quantize(Decimal("0.1"))
                label = label_for(part.name, part.id, self.spec.english, (p.name for p in self.rubric.parts))
                self.part_rows.append([u.id, label, num_text(value), ""])

    def make_self_scores(self) -> None:
        rng = self.rng
        for u in self.units:
            if not u.assessed:
                continue
            every = self.spec.self_score_categories
            if not every and rng.random() > self.spec.self_score_share:
                continue
            tree = self.trees[u.type.id]
            st = self.states[u.id]
            nodes: list[TypedNode]
            if every:
                nodes = [c for c in tree if c.applicable]
            else:
                leaves = [n for n in walk_typed(tree) if n.applicable and not n.children]
                nodes = sorted(rng.sample(leaves, min(len(leaves), rng.randint(3, 6))), key=lambda n: self.order[n.id])
            for node in nodes:
                lost = self.lost_under(st, node)
                # Units rate themselves a little higher than the assessors do, often at full marks.
                own = min(node.points, node.points - lost + dec_range(rng, lost / 2, lost, step_for(node.points)))
                self.self_rows.append([u.id, node.id, num_text(max(ZERO, own))])

    def lost_under(self, st: UnitState, node: TypedNode) -> Decimal:
        total = st.lost.get(node.id, ZERO)
        for child in node.children:
            total += self.lost_under(st, child)
        return min(total, node.points)


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


# ============================================================================================
# Writing files
# ============================================================================================

ENTRY_NOTES = (
    "【内部】单位书记对此项有异议，已电话沟通，复核后维持",
    "【内部】照片材料在考核组王某处，未归档",
    "【内部】该单位去年同一问题已提醒，今年仍未整改",
    "【内部】据反映系原书记任内遗留问题，通报时注意措辞",
)
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gbk": "GBK"}


def write_table(path: Path, table: Table, columns: Sequence[str], rows: Iterable[Sequence[str]], how: Fmt, english: bool) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if how.crlf else "\n")
    writer.writerow([c if english else table.column(c).title for c in columns])
    for row in rows:
        writer.writerow(list(row))
    path.write_bytes(buffer.getvalue().encode(how.encoding))


def scored(rubric_id: str, out: Path) -> dict[str, tuple[Decimal, bool, str]]:
    """Score what has been written so far with the project's own pipeline: unit → (total, may be 先进, pool)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # Copies, not links: the loader reads only files that lie inside the project it is given.
        (root / "rubrics").mkdir()
        for path in (ROOT / "rubrics").glob(f"{rubric_id}.y*ml"):
            shutil.copyfile(path, root / "rubrics" / path.name)
        shutil.copytree(out / rubric_id, root / "results" / rubric_id)
        prepared = prepare(root, {rubric_id})
    if prepared.problems.has_errors() or rubric_id not in prepared.outcomes:
        for problem in prepared.problems.sorted():
            print(problem, file=sys.stderr)
        raise SystemExit(f"{rubric_id}：生成的结果没有通过检查")
    return {
        u.unit.id: (u.score.total, u.standing.eligible_for_advanced, u.standing.pool)
        for u in prepared.outcomes[rubric_id].units
        if u.score.assessed
    }


def generate(rubric: Rubric, spec: Spec, seed: int, out: Path) -> list[Path]:
    gen = Generator(rubric, spec, seed)
    gen.make_units()
    for u in gen.units:
        if u.assessed:
            gen.earned(gen.states[u.id])
            if u.profile != "clean":
                gen.deductions(gen.states[u.id])
    gen.exhaust_one()
    if spec.zero_category:
        gen.zero_category()
    gen.cover_kinds()
    # A few entries carry a note for the office only.
    flat = [e for u in gen.units for e in gen.states[u.id].entries if e.value not in ("是", "否")]
    for entry, note in zip(gen.rng.sample(flat, min(len(ENTRY_NOTES), len(flat))), ENTRY_NOTES, strict=False):
        entry.note = note
    gen.make_bonus()
    gen.make_penalties()
    gen.make_vetoes()
    gen.make_parts()
    gen.make_self_scores()

    folder = out / rubric.id
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.csv")):
        old.unlink()
    written: list[Path] = []
    english = spec.english

    def write(name: str, filename: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        path = folder / filename
        write_table(path, TABLES_BY_NAME[name], columns, rows, spec.formats.get(name, UTF8), english)
        written.append(path)

    # A clerk writes every type the same way: names, or codes when some name cannot be written as is.
    type_codes = english or any(label_for(t.name, t.id, False) == t.id for t in rubric.unit_types)
    unit_columns = ("id", "name", "abbr", "type", "group", "parent", "status", "status_note") + (("members",) if gen.per_member else ()) + ("contact", "phone")
    write(
        "units",
        "units.csv",
        unit_columns,
        [
            [u.id, u.name, u.abbr, u.type.id if type_codes else u.type.name, u.group, u.parent, status_text(u, english), u.status_note]
            + ([str(u.members) if u.members is not None else ""] if gen.per_member else [])
            + [u.contact, u.phone]
            for u in gen.units
        ],
    )
    columns = ["unit", "item", "rule", "value", "amount", "reason"] + (["assessor"] if spec.assessor_names else []) + ["note"]

    def entry_rows(units: Sequence[UnitRow]) -> list[list[str]]:
        rows = []
        for u in units:
            for e in sorted(gen.states[u.id].entries, key=lambda e: e.order):
                cells = {"unit": e.unit, "item": e.item, "rule": e.rule, "value": e.value, "amount": e.amount, "reason": e.reason, "assessor": e.assessor, "note": e.note}
                rows.append([cells[c] for c in columns])
        return rows

    if spec.split_entries:
        for group in dict.fromkeys(u.group for u in gen.units):
            members = [u for u in gen.units if u.group == group and gen.states[u.id].entries]
            if members:
                write("entries", f"entries-{group.replace('联络', '')}.csv", columns, entry_rows(members))
    else:
        write("entries", "entries.csv", columns, entry_rows(gen.units))
    if gen.bonus_rows:
        write("bonus", "bonus.csv", ("unit", "bonus", "level", "count", "amount", "subject", "evidence", "confirmed", "note"), gen.bonus_rows)
    if gen.penalty_rows:
        write("penalties", "penalties.csv", ("unit", "penalty", "amount", "reason", "removes_eligibility", "note"), gen.penalty_rows)
    if gen.veto_rows:
        write("vetoes", "vetoes.csv", ("unit", "veto", "reason", "date", "note"), gen.veto_rows)
    if gen.part_rows:
        write("parts", "parts.csv", ("unit", "part", "score", "note"), gen.part_rows)
    if gen.self_rows:
        write("self_scores", "self_scores.csv", ("unit", "item", "score"), gen.self_rows)

    grading = rubric.grading
    if grading is not None and grading.advanced == "decision":
        # 先进 are decided by the office among the units the rubric allows: the best few of each pool.
        standings = scored(rubric.id, out)
        position = {u.id: i for i, u in enumerate(gen.units)}
        chosen: set[str] = set()
        for pool in dict.fromkeys(v[2] for v in standings.values()):
            eligible = [(total, uid) for uid, (total, ok, p) in standings.items() if p == pool and ok]
            eligible.sort(key=lambda m: (-m[0], position[m[1]]))
            size = sum(1 for v in standings.values() if v[2] == pool)
            chosen.update(uid for _, uid in eligible[: max(1, round(size * spec.award_share))])
        label = "advanced" if english else grading.labels.get("advanced", "先进单位")
        basis = spec.award_basis.format(y=rubric.year, ny=rubric.year + 1)
        rows = [[u.id, label, basis, ""] for u in gen.units if u.id in chosen]
        if rows:
            rows[0][3] = "【内部】名单经书记办公会同意，公示期内无异议"
            write("awards", "awards.csv", ("unit", "grade", "reason", "note"), rows)
    if spec.notice:
        notice = folder / "notice.yml"
        notice.write_text(spec.notice, encoding="utf-8")
        written.append(notice)
    written += add_year(rubric, folder, out, seed)  # letters, objections, rectification, votes; staged claims
    readme = folder / "README.md"
    readme.write_text(readme_text(rubric, spec, written), encoding="utf-8")
    written.append(readme)
    return written


def status_text(u: UnitRow, english: bool) -> str:
    if not english:
        return u.status
    return {"已考核": "assessed", "不参加考核": "not_assessed"}.get(u.status, "")


def readme_text(rubric: Rubric, spec: Spec, files: Sequence[Path]) -> str:
    lines = [
        f"# {rubric.title}：考核结果（示例数据）",
        "",
        f"{MARKER}：单位名称、扣分情况、加分、否决事项、联系人和电话等全部是虚构的，不反映任何单位的真实情况。",
        "",
        f"本目录由 `scripts/make_results.py` 按细则 `rubrics/{rubric.id}.yml` 生成；上面一行以“{MARKER}”开头，"
        "网站的每一页和每个下载文件都据此标明“示例数据”。真实的考核结果不要写这一行。",
        "请勿手工修改：修改生成程序后重新运行，`tests/test_sample_data.py` 检查两者一致。",
        "",
        "| 文件 | 内容 | 编码 |",
        "| --- | --- | --- |",
    ]
    for path in files:
        table = next((t for t in TABLES_BY_NAME.values() if path.name.startswith(t.prefix)), None)
        if table is None:
            continue
        how = spec.formats.get(table.name, UTF8)
        lines.append(f"| {path.name} | {table.title} | {ENCODING_NAMES[how.encoding]}{'，CRLF 换行' if how.crlf else ''} |")
    if spec.english:
        lines += ["", "本考核的表头用英文列名（id、unit、item……），单位类型、加分级别等也填代码。"]
    lines.append("")
    return "\n".join(lines)


# ============================================================================================
# The assessments
# ============================================================================================


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
    """The short name an office uses for a unit: 市住房和城乡建设局机关党委 → 住建局, 武进区前黄高级中学党委 → 前黄高中."""
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


WUJIN_UNITS = (
    ("武进区高级中学党委", "党委", "高中组", ""),
    ("武进区前黄高级中学党委", "党委", "高中组", ""),
    ("武进区横林高级中学党委", "党委", "高中组", ""),
    ("武进区湟里高级中学党委", "党委", "高中组", ""),
    ("武进区洛阳高级中学党委", "党委", "高中组", ""),
    ("武进区职业教育中心校党委", "党委", "高中组", ""),
    ("武进区湖塘实验中学党总支", "党总支", "初中组", ""),
    ("武进区星辰实验学校党总支", "党总支", "初中组", ""),
    ("武进区前黄实验学校党总支", "党总支", "初中组", ""),
    ("武进区湖塘桥初级中学党支部", "党支部", "初中组", ""),
    ("武进区遥观初级中学党支部", "党支部", "初中组", ""),
    ("武进区潘家初级中学党支部", "党支部", "初中组", ""),
    ("武进区礼河实验学校党支部", "党支部", "初中组", ""),
    ("武进区湖塘桥实验小学党总支", "党总支", "小学组", ""),
    ("武进区星河实验小学党支部", "党支部", "小学组", ""),
    ("武进区人民路小学党支部", "党支部", "小学组", ""),
    ("武进区鸣凰中心小学党支部", "党支部", "小学组", ""),
    ("武进区湖塘桥第二实验小学党支部", "党支部", "小学组", ""),
    ("武进区南夏墅中心小学党支部", "党支部", "小学组", ""),
    ("武进区漕桥小学党支部", "党支部", "小学组", ""),
    ("武进区马杭中心小学党支部", "党支部", "小学组", ""),
    ("武进区机关幼儿园党支部", "党支部", "幼儿园组", ""),
    ("武进区湖塘中心幼儿园党支部", "党支部", "幼儿园组", ""),
    ("武进区星河幼儿园党支部", "党支部", "幼儿园组", ""),
    ("武进区南夏墅中心幼儿园党支部", "党支部", "幼儿园组", ""),
)

_CHANGDE_DEPARTMENTS = (
    ("市财政局", "党委"), ("市教育局", "党委"), ("市发展和改革委员会", "党委"), ("市公安局", "党委"),
    ("市民政局", "总支"), ("市人力资源和社会保障局", "党委"), ("市国土资源局", "党委"), ("市住房和城乡建设局", "党委"),
    ("市交通运输局", "党委"), ("市水利局", "党委"), ("市农业局", "总支"), ("市林业局", "总支"),
    ("市商务局", "支部"), ("市文化广电新闻出版局", "总支"), ("市卫生局", "党委"), ("市人口和计划生育委员会", "支部"),
    ("市审计局", "支部"), ("市环境保护局", "总支"), ("市统计局", "支部"), ("市工商行政管理局", "党委"),
    ("市质量技术监督局", "总支"), ("市安全生产监督管理局", "支部"), ("市食品药品监督管理局", "支部"), ("市规划局", "支部"),
    ("市城市管理和行政执法局", "总支"), ("市旅游局", "支部"), ("市科学技术局", "支部"), ("市司法局", "总支"),
    ("市经济和信息化委员会", "党委"), ("市物价局", "支部"),
)
_CHANGDE_NAMES = {"党委": "机关党委", "总支": "机关总支", "支部": "机关支部"}
_GROUPS5 = ("第一联络组", "第二联络组", "第三联络组", "第四联络组", "第五联络组")
CHANGDE_UNITS = tuple(
    (f"{dept}{_CHANGDE_NAMES[kind]}", _CHANGDE_NAMES[kind], _GROUPS5[i // 6], f"{dept}党组")
    for i, (dept, kind) in enumerate(_CHANGDE_DEPARTMENTS)
)

_GROUPS4 = ("第一联络组", "第二联络组", "第三联络组", "第四联络组")
LUOYANG_UNITS = tuple(
    (name, kind, _GROUPS4[i // 6], "")
    for i, (name, kind) in enumerate(
        (
            ("市发展和改革委员会机关党委", "党委"), ("市财政局机关党委", "党委"), ("市教育局机关党委", "党委"),
            ("市民政局机关总支", "总支"), ("市人力资源和社会保障局机关党委", "党委"), ("市住房和城乡建设委员会机关党委", "党委"),
            ("市交通运输局机关党委", "党委"), ("市水务局机关总支", "总支"), ("市农业局机关总支", "总支"),
            ("市林业局机关总支", "总支"), ("市商务局机关支部", "支部"), ("市文物管理局机关总支", "总支"),
            ("市旅游局机关总支", "总支"), ("市卫生局机关党委", "党委"), ("市审计局机关支部", "支部"),
            ("市统计局机关支部", "支部"), ("市环境保护局机关总支", "总支"), ("市城乡规划局机关支部", "支部"),
            ("市档案局机关支部", "支部"), ("市科学技术局机关支部", "支部"), ("市司法局机关支部", "支部"),
            ("市物价局机关支部", "支部"), ("市粮食局机关支部", "支部"), ("市地震局机关支部", "支部"),
        )
    )
)

GONGSHANG_UNITS = tuple(
    (name, "branch", "", "局机关党委")
    for name in (
        "办公室党支部",
        "人事教育科党支部",
        "企业注册科党支部",
        "市场科党支部",
        "消费者权益保护科党支部",
        "经济检查大队党支部",
        "商标广告监督管理科党支部",
        "个体私营经济监督管理科党支部",
        "财务装备科党支部",
        "离退休干部党支部",
    )
)

_COUNTIES = (
    ("青山县委", "county"), ("临河县委", "county"), ("安平县委", "county"), ("柳林县委", "county"),
    ("石桥县委", "county"), ("北山市委", "county"), ("城东区委", "urban_district"), ("城西区委", "urban_district"),
    ("河东区委", "urban_district"), ("高新区党工委", "urban_no_township"),
)
_CITY_UNITS = (
    "市委办公室", "市政府办公室", "市纪委监委机关", "市委组织部", "市委宣传部", "市委统战部", "市委政法委",
    "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局", "市公安局", "市民政局", "市司法局",
    "市财政局", "市人力资源和社会保障局", "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局",
    "市交通运输局", "市水利局", "市农业农村局", "市商务局", "市文化广电和旅游局", "市卫生健康委员会",
    "市退役军人事务局", "市应急管理局", "市审计局", "市市场监督管理局", "市统计局", "市医疗保障局",
    "市城市管理局", "市信访局", "市机关事务管理局", "市总工会", "团市委", "市妇联", "市科协",
    "市中级人民法院", "市人民检察院",
)
ZONGHE_UNITS = tuple((name, kind, "县（市、区）", "") for name, kind in _COUNTIES) + tuple(
    (name + ("党委" if name.endswith("机关") else "机关党委" if name.startswith("市委") else "党组"), "city_unit", "市直单位", "")
    for name in _CITY_UNITS
)

SPECS: dict[str, Spec] = {
    "wujin-2017": Spec(
        registry=WUJIN_UNITS,
        id_of=grouped_ids({"高中组": "gz", "初中组": "cz", "小学组": "xx", "幼儿园组": "yey"}),
        phone_prefix="0519",
        not_assessed=(("武进区南夏墅中心幼儿园党支部", "2017年9月新建园，党支部10月成立，本年度不参加考核"),),
        formats={"units": GBK_EXCEL, "entries": UTF8_BOM_CRLF, "bonus": GBK_EXCEL, "self_scores": UTF8_BOM},
        assessor_names=("考核一组 陆某", "考核二组 沈某", "考核三组 钱某", "考核四组 顾某"),
        office="武教工委",
        notice="""\
# 考核结果通报的要素（示例：文号、日期和联系方式都是虚构的）
illustrative: true
issuer: 中共常州市武进区委教育工作委员会
number: 武教工委〔2018〕5号
title: 关于2017年度直属党组织党建工作目标管理考核结果的通报
recipients: 各直属党组织：
date: 2018-01-26
publicity:
  start: 2018-01-26
  end: 2018-02-01
  contact: 区委教育工委组织科
  phone: 0519-8888-0100
copy_to: [区委组织部, 区教育局]
printed_by: 区委教育工委办公室
printed_date: 2018-01-26
""",
    ),
    "changde-2012": Spec(
        registry=CHANGDE_UNITS,
        id_of=numbered("cd"),
        phone_prefix="0736",
        not_assessed=(("市物价局机关支部", "2012年机构调整，机关党组织关系划转至市发展和改革委员会，本年度不参加考核"),),
        formats={"entries": GBK_EXCEL, "units": UTF8_BOM, "vetoes": GBK_EXCEL, "bonus": UTF8_BOM_CRLF, "awards": GBK_EXCEL},
        vetoes=2,
        bonus_share=0.45,
        fill_amounts=False,
        yes_word="是",
        status_for_all=True,
        assessor_names=("第一考核组", "第二考核组", "第三考核组"),
        self_score_share=0.25,
        award_share=0.2,
        award_basis="市直机关工委{ny}年1月工委会议研究确定",
        meeting_word={"committee": "党委会", "general_branch": "总支委员会", "branch": "支委会", "organ": "党组（党委）会"},
        office="常直工发",
        notice="""\
# 考核结果通报的要素（示例：文号、日期和联系方式都是虚构的）
illustrative: true
issuer: 中共常德市直机关工作委员会
number: 常直工发〔2013〕2号
title: 关于2012年度市直机关党建工作目标管理绩效考核结果的通报
recipients: 市直机关各党组（党委）、机关党委（总支、支部）：
date: 2013-01-22
closing:
  - 希望受到表彰的单位再接再厉；发生否决事项和考核得分较低的单位要认真查找问题，制定整改措施，于3月底前将整改情况报市直机关工委组织部。
publicity:
  start: 2013-01-22
  end: 2013-01-28
  contact: 市直机关工委组织部
  phone: 0736-8888-0200
copy_to: [市委组织部, 市绩效办]
printed_by: 中共常德市直机关工作委员会办公室
printed_date: 2013-01-22
""",
    ),
    "luoyang-2013": Spec(
        registry=LUOYANG_UNITS,
        id_of=numbered("ly"),
        phone_prefix="0379",
        not_assessed=(("市地震局机关支部", "2013年10月党组织关系划转，本年度不参加市直工委考核"),),
        formats={"units": UTF8_BOM, "entries": UTF8_BOM_CRLF, "parts": UTF8_BOM, "self_scores": GBK_EXCEL},
        split_entries=True,
        bonus_share=0.3,
        fill_amounts=False,
        assessor_names=("第一联络组联络员 杜某", "第二联络组联络员 范某", "第三联络组联络员 孔某", "第四联络组联络员 庞某"),
        assessor_by_group=True,
        self_score_categories=True,
        award_share=0.25,
        award_basis="市直工委{y}年12月30日工委会议研究确定",
        meeting_word={"committee": "党委会", "general_branch": "总支会", "branch": "支委会"},
        office="洛市直",
        notice="""\
# 考核结果通报的要素（示例：文号、日期和联系方式都是虚构的；2013年的考核依据洛市直发〔2013〕20号开展）
illustrative: true
issuer: 中共洛阳市委市直工委
number: 洛市直发〔2014〕3号
title: 关于2013年度市直机关党建目标绩效考核结果的通报
recipients: 市直机关各党委、总支、支部：
date: 2014-01-10
opening:
  - 根据《关于对2013年市直机关党建目标进行绩效考核的通知》（洛市直发〔2013〕20号），市直工委于2013年12月对市直机关党组织党建目标完成情况进行了年度考核。考核采取年终集中考核与平时考核相结合的形式，年终集中考核占70%，平时考核占30%。经各联络组分组考核、工委会议研究，现将考核结果通报如下：
publicity:
  start: 2014-01-10
  end: 2014-01-16
  contact: 市直工委组织部
  phone: 0379-8888-0300
copy_to: [市绩效办]
printed_by: 中共洛阳市委市直工委办公室
printed_date: 2014-01-10
""",
    ),
    "gongshang-2005": Spec(
        registry=GONGSHANG_UNITS,
        id_of=numbered("zb"),
        phone_prefix="0000",
        not_assessed=(("离退休干部党支部", "离退休干部党支部按老干部工作要求另行考核，不参加机关党建目标考核"),),
        english=True,
        fill_amounts=True,
        yes_word="y",
        zero_category=True,
        self_score_share=0.4,
        award_share=0.25,
        award_basis="机关党委{ny}年1月会议评定",
        meeting_word={"branch": "支委会"},
        office="局机关党委",
        notice="""\
# 考核结果通报的要素（示例：原文未写明单位所在城市，文号、日期都是虚构的）
illustrative: true
issuer: 工商局机关党委
number: 工商机党〔2006〕1号
title: 关于2005年度机关党建目标管理考核情况的通报
recipients: 机关各党支部：
date: 2006-01-16
show_scores: true
printed_by: 工商局机关党委办公室
printed_date: 2006-01-16
""",
    ),
    "zonghe-2020": Spec(
        registry=ZONGHE_UNITS,
        id_of=by_type({"county": "xq", "urban_district": "xq", "urban_no_township": "xq", "city_unit": "sz"}),
        phone_prefix="0000",
        not_assessed=(("市医疗保障局党组", "2020年机构调整，党组于当年9月成立，经市委党建办同意本年度不参加考核"),),
        formats={"units": UTF8_BOM, "entries": UTF8_BOM_CRLF, "penalties": GBK_EXCEL, "parts": UTF8_BOM},
        vetoes=1,
        veto_types=("county", "urban_district", "urban_no_township"),
        severe_types=("city_unit",),
        penalties=(("criticism", 3), ("fraud", 1)),
        bonus_share=0.12,
        fill_amounts=False,
        assessor_names=("联合考核组",),
        assessor_from_rubric=True,
        self_score_share=0.2,
        meeting_word={"county": "常委会", "urban_district": "常委会", "urban_no_township": "党工委会议", "city_unit": "党组（党委）会议"},
        place_word={"county": "乡镇", "urban_district": "街道", "urban_no_township": "社区", "city_unit": "机关支部"},
        office="市委党建办",
        # The grounds 004 names for 加分因素: 表彰、批示肯定、以现场会等形式推广经验.
        bonus_grounds=(
            "党组织被省委表彰为“先进基层党组织”",
            "“{p}”党建工作受到市委表彰",
            "基层党建工作获省委主要领导批示肯定",
            "基层党建工作获市委主要领导批示肯定",
            "党建工作经验以现场会形式在全省推广（{m}月）",
        ),
        notice="""\
# 考核结果通报的要素（示例：原文未写明城市，文号、日期和联系方式都是虚构的）
illustrative: true
issuer: 中共XX市委党的建设工作领导小组
masthead: 中共XX市委党的建设工作领导小组文件
number: X党建〔2021〕2号
title: 关于2020年度党建工作综合考核结果的通报
recipients: 各县（市、区）党（工）委，市委各部委，市直各单位党组（党委）：
date: 2021-02-05
closing:
  - 被确定为“未达标”的单位，由市委党的建设工作领导小组领导对其主要领导及相关领导进行约谈提醒，责令整改。各单位要将考核中检查出的问题列为2021年重点整改任务，形成整改方案报市委党建办。
publicity:
  start: 2021-01-22
  end: 2021-01-28
  contact: 市委党建办
  phone: 0000-8888-0500
copy_to: [市委办公室, 市纪委监委, 市委组织部]
printed_by: 市委党的建设工作领导小组办公室
printed_date: 2021-02-05
""",
    ),
}

# 2019 under the same indicator system (illustrative): the same units, another year's draw, and the city
# unit that comes last in 2020 doing badly in 2019 too, so the site shows "two years running 未达标".
SPECS["zonghe-2019"] = dataclasses.replace(
    SPECS["zonghe-2020"],
    not_assessed=(("市医疗保障局党组", "2019年尚未成立（2020年机构调整组建）"),),
    severe_names=("市机关事务管理局党组",),
    notice="",
)


# ============================================================================================
# Command line
# ============================================================================================


def load_checked(path: Path) -> tuple[Rubric | None, Problems]:
    """Read and check one rubric with the project's loader and checker."""
    problems = Problems()
    rubric = load_rubric(path, ROOT, problems)
    if rubric is not None:
        check_rubric(rubric, problems)
    return (None if problems.has_errors() else rubric), problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="为 rubrics/ 中的细则生成示例考核结果（results/<考核代码>/）。")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）；同一种子生成的文件逐字节相同")
    parser.add_argument("--only", action="append", metavar="ID", help="只生成这份考核（可重复）")
    parser.add_argument("--out", default=str(ROOT / "results"), help="输出目录（默认 results/）")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for rid in args.only or sorted(SPECS):
        if rid not in SPECS:
            print(f"{rid}：本程序没有这份考核的单位名册（SPECS）", file=sys.stderr)
            status = 1
            continue
        path = ROOT / "rubrics" / f"{rid}.yml"
        if not path.exists():
            print(f"{rid}：细则 rubrics/{rid}.yml 不存在，跳过", file=sys.stderr)
            status = 1
            continue
        rubric, problems = load_checked(path)
        if rubric is None:
            print(f"{rid}：细则有 {len(problems.errors)} 个错误，跳过（运行 kaoping check 查看）", file=sys.stderr)
            status = 1
            continue
        files = generate(rubric, SPECS[rid], args.seed, out)
        print(f"{rid}：写入 {len(files)} 个文件 → {out / rid}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
