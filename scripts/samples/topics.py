"""Wording for each kind of work, by the family of rule that found the failing: the first topic whose key
occurs in the rule's text (then in the item's title) gives the phrases a reason is drawn from."""

from __future__ import annotations

from dataclasses import dataclass

from generator.engine.rules.base import Rule
from samples.words import DOCUMENTS, GENERIC, ISSUES, METHOD_NAMES, RECORD_GAPS


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


def phrases_for(family: str, rule: Rule, title: str) -> tuple[str, ...]:
    if family == "short0":
        return GENERIC[family]
    for source, weak in ((rule.text, False), (title, True), (rule.text, True)):
        for topic in TOPICS:
            if family in topic.phrases and (weak or not topic.weak) and any(k in source for k in topic.keys):
                return topic.phrases[family]
    return GENERIC[family]
