"""The results tables: which CSV files an office keeps and their columns.

Files are parsed by :mod:`generator.data.csvread` and read from disk by :mod:`generator.data.load`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    doc: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    #: Internal columns (assessor notes, phone numbers) are read but never published.
    internal: bool = False
    #: A code that refers to something (a unit, an item, a rule): spaces around it are reported.
    code: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    #: File names that hold this table inside ``results/<assessment>/`` (``entries*.csv``).
    prefix: str
    doc: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _unit() -> Column:
    return Column(
        "unit", "单位代码", "单位名册中的单位代码。", ("单位代码", "单位编号", "单位id", "unit_id"), True, code=True
    )


def _internal_note() -> Column:
    return Column(
        "note",
        "内部备注",
        "只供考核办公室看的备注，不发布。",
        ("内部备注", "备注（内部）", "考核人备注"),
        internal=True,
    )


def _stages(
    ground: str, ground_doc: str, ground_aliases: tuple[str, ...], *, declared: bool = False
) -> tuple[Column, ...]:
    """The stage columns of bonus claims and special deductions: 申报 → 初审 → 认定 (see generator.data.claims)."""
    head = (
        (
            Column("claimed", "申报分", "单位申报的分数；认定前“加分”列不填。", ("申报分", "申报分值", "申报加分")),
            Column("declared", "申报日期", "单位申报的日期，例如 2020-12-20。", ("申报日期", "申报时间")),
        )
        if declared
        else ()
    )
    return (
        Column("ground", ground, ground_doc, (ground, *ground_aliases)),
        *head,
        Column("reviewer", "初审单位", "初审的考核单位。", ("初审单位", "初审部门")),
        Column("review", "初审意见", "考核单位的初审意见。", ("初审意见", "初审情况")),
        Column(
            "confirmed",
            "认定",
            "`认定`（`是`）计分；`不予认定`（`否`）不计分；`待认定` 或不填：尚未认定，不计分。",
            ("认定", "是否认定", "确认", "认定结果"),
        ),
        Column(
            "decision_note",
            "认定说明",
            "认定或不予认定的理由；不予认定时必填。",
            ("认定说明", "认定理由", "不予认定理由"),
        ),
        _internal_note(),
    )


UNITS = Table(
    "units",
    "单位名册",
    "units",
    "每个被考核单位一行。",
    (
        Column(
            "id",
            "单位代码",
            "单位代码，用作网址，只用字母、数字和连字符，例如 `jw-01`。",
            ("单位代码", "代码", "编号", "单位编号"),
            True,
            code=True,
        ),
        Column("name", "单位名称", "单位全称。", ("单位名称", "名称", "单位"), True),
        Column(
            "abbr",
            "简称",
            "考核办公室常用的简称，例如 `住建局`；可以不填。单位页面显示简称，搜索简称能找到单位。",
            ("简称", "单位简称", "abbr", "short_name"),
        ),
        Column("type", "单位类型", "细则 unit_types 中的类型代码或名称。", ("单位类型", "类型"), True),
        Column("group", "联络组", "联络组或分组，按组排名和列表。", ("联络组", "组别", "分组", "考核组")),
        Column("parent", "上级单位", "上级党组织（单位代码或名称）。", ("上级单位", "上级", "主管单位")),
        Column(
            "status", "考核状态", "`已考核` 或 `不参加考核`；没有任何扣分记录的单位必须写明。", ("考核状态", "状态")
        ),
        Column("status_note", "状态说明", "不参加考核的原因等。", ("状态说明", "说明")),
        Column(
            "members",
            "成员人数",
            "细则按人数定目标时（例如“每名班子成员每年深入联系点2次”）该单位的人数，整数；细则没有这样的规则时不填。",
            ("成员人数", "人数", "班子成员人数"),
        ),
        Column("contact", "联系人", "不发布。", ("联系人",), internal=True),
        Column("phone", "联系电话", "不发布。", ("联系电话", "电话", "手机"), internal=True),
        _internal_note(),
    ),
)

ENTRIES = Table(
    "entries",
    "扣分记录",
    "entries",
    "考核组发现的每一处问题一行（长表）：哪个单位、哪个指标、哪条规则、情况、扣（得）分和原因。",
    (
        _unit(),
        Column("item", "指标编号", "细则中的指标编号。", ("指标编号", "指标", "项目编号", "序号"), True, code=True),
        Column("rule", "规则", "指标中的规则编号；指标只有一条规则时可不填。", ("规则", "规则编号"), code=True),
        Column(
            "value",
            "情况",
            "规则需要的事实：完成次数、发生次数、超期月数、缺少的项（用顿号分隔）、比率（如 75%）、是/否。",
            ("情况", "数量", "次数", "比率", "缺项", "考核情况"),
        ),
        Column(
            "amount",
            "扣分",
            "酌情扣分的分数；做到得分（可给部分分）时为得分。",
            ("扣分", "得分", "分数", "扣（得）分", "扣(得)分"),
        ),
        Column("reason", "扣分原因", "写给被考核单位看的原因。", ("扣分原因", "原因", "情况说明", "事由"), True),
        Column("assessor", "考核人", "不发布。", ("考核人", "检查人"), internal=True),
        _internal_note(),
    ),
)

BONUS = Table(
    "bonus",
    "加分申报",
    "bonus",
    "单位申报、考核办公室认定的加分，每一事项一行。",
    (
        _unit(),
        Column("bonus", "加分项目", "细则加分项目的编号。", ("加分项目", "项目", "加分项"), True),
        Column("level", "级别", "级别代码或名称，例如 `省级`；酌情加分项不填。", ("级别", "层次")),
        Column("count", "次数", "按次计分的级别填次数，默认 1。", ("次数", "数量", "个数")),
        Column(
            "amount", "加分", "认定的加分：酌情加分项认定时必填；按级别加分的可不填。", ("加分", "分数", "分值")
        ),
        Column(
            "subject",
            "事项",
            "表彰名称或经验事迹；同一事项只按最高级别计分。",
            ("事项", "名称", "荣誉名称", "内容"),
            True,
        ),
        Column("evidence", "依据", "表彰文件、奖牌或发表处。", ("依据", "证明材料", "表彰文件")),
        *_stages("加分事由", "细则 grounds 列出的加分事由（原文或序号 1、2……）。", ("事由",), declared=True),
    ),
)

PENALTIES = Table(
    "penalties",
    "扣分因素",
    "penalties",
    "在总分中扣减的扣分因素（通报批评、弄虚作假等）。",
    (
        _unit(),
        Column("penalty", "扣分因素", "细则 penalties 中的代码或名称。", ("扣分因素", "因素", "项目"), True),
        Column("amount", "扣分", "扣减的分数，须在细则规定的范围内。", ("扣分", "分数"), True),
        Column("reason", "事由", "写给被考核单位看的事由。", ("事由", "原因", "说明"), True),
        Column(
            "removes_eligibility",
            "取消评先资格",
            "`是` 时同时取消评先资格（仅细则允许的因素）。",
            ("取消评先资格", "取消评先"),
        ),
        Column("reported_by", "提出单位", "提供有关情况的考核单位。", ("提出单位", "提供单位", "报送单位")),
        Column("evidence", "依据", "考核单位提供的有关情况、证明材料。", ("依据", "证明材料", "有关情况")),
        *_stages("扣分情形", "细则 grounds 列出的扣分情形（原文或序号 1、2……）。", ("情形",)),
    ),
)

VETOES = Table(
    "vetoes",
    "否决事项",
    "vetoes",
    "发生否决事项的单位，每一事项一行。",
    (
        _unit(),
        Column("veto", "否决事项", "细则 vetoes 中的代码或名称。", ("否决事项", "事项"), True),
        Column("reason", "情况", "写给被考核单位看的情况说明。", ("情况", "事由", "说明", "原因"), True),
        Column("date", "日期", "发生日期。", ("日期", "发生日期")),
        _internal_note(),
    ),
)

PARTS = Table(
    "parts",
    "分项得分",
    "parts",
    "录入的组成部分得分（平时考核、满意度测评），每单位每部分一行。",
    (
        _unit(),
        Column(
            "part", "组成部分", "细则 parts 中 `source: entered` 的部分代码或名称。", ("组成部分", "部分", "项目"), True
        ),
        Column("score", "得分", "该部分的得分（按该部分的满分计）。", ("得分", "分数"), True),
        _internal_note(),
    ),
)

SELF_SCORES = Table(
    "self_scores",
    "自查分",
    "self_scores",
    "单位自查自评的分数，与考核分并列显示，不参与计分。",
    (
        _unit(),
        Column("item", "指标编号", "细则中的指标编号。", ("指标编号", "指标", "项目编号", "序号"), True, code=True),
        Column("score", "自查分", "单位自评的得分。", ("自查分", "自评分", "得分"), True),
        _internal_note(),
    ),
)

AWARDS = Table(
    "awards",
    "评定结果",
    "awards",
    "由考核办公室评定的等次（细则 grading.advanced 为 `decision` 时评定先进）。",
    (
        _unit(),
        Column("grade", "等次", "评定的等次，例如 `先进单位`。", ("等次", "评定", "评定等次"), True),
        Column("reason", "依据", "评定依据，例如会议纪要。", ("依据", "说明", "原因")),
        _internal_note(),
    ),
)

LETTERS = Table(
    "letters",
    "意见书和督办单",
    "letters",
    "平时考核中发给单位的意见书、督办单和单位的书面答复，每份一行。",
    (
        Column(
            "id",
            "编号",
            "本考核内的编号，用作文件名：字母、数字和连字符，例如 `2020-03`。",
            ("编号", "序号"),
            True,
            code=True,
        ),
        Column("kind", "类别", "`意见书` 或 `督办单`。", ("类别", "种类", "文书"), True),
        Column("number", "文号", "例如 `党建办意〔2020〕3号`。", ("文号", "字号")),
        _unit(),
        Column(
            "issuer", "发出单位", "市委党建办或考核单位；不填为细则的考核机关。", ("发出单位", "派发单位", "发文单位")
        ),
        Column("date", "发出日期", "例如 2020-06-15。", ("发出日期", "日期", "派发日期"), True),
        Column("item", "指标编号", "涉及的指标（可不填）。", ("指标编号", "指标"), code=True),
        Column("finding", "发现的问题", "履职不及时、不到位的情况。", ("发现的问题", "问题", "情况"), True),
        Column("requirement", "整改要求", "要求单位做什么。", ("整改要求", "要求")),
        Column("due", "答复期限", "书面答复的期限。", ("答复期限", "期限")),
        Column("answer_date", "答复日期", "收到书面答复的日期。", ("答复日期",)),
        Column("answer", "答复内容", "单位的书面答复或说明、整改落实举措。", ("答复内容", "答复", "书面答复")),
        Column("status", "办理状态", "`待答复`、`已答复` 或 `已办结`；不填时按有无答复判断。", ("办理状态", "状态")),
        _internal_note(),
    ),
)

OBJECTIONS = Table(
    "objections",
    "异议和复核",
    "objections",
    "公示期内单位提出的异议和复核结果，每件一行；调整的结果代替原来的扣分记录。",
    (
        _unit(),
        Column("item", "指标编号", "异议涉及的指标；对综合得分、等次的异议可不填。", ("指标编号", "指标"), code=True),
        Column("rule", "规则", "调整的规则编号；指标只有一条规则时可不填。", ("规则", "规则编号"), code=True),
        Column("objection", "异议内容", "单位提出的异议。", ("异议内容", "异议", "反映内容"), True),
        Column("received", "收到日期", "收到异议的日期，须在公示期内。", ("收到日期", "提出日期", "受理日期"), True),
        Column("review", "复核情况", "复核查明的情况。", ("复核情况", "复核", "核查情况")),
        Column("outcome", "复核结果", "`维持`、`调整`；不填为待复核。", ("复核结果", "结果", "处理结果")),
        Column("value", "调整后情况", "调整后的“情况”（写法同扣分记录）。", ("调整后情况",)),
        Column("amount", "调整后扣分", "调整后的“扣分”（写法同扣分记录）。", ("调整后扣分", "调整后扣（得）分")),
        Column(
            "reason", "复核理由", "维持或调整的理由；调整后它就是这一项的扣分原因。", ("复核理由", "理由", "调整理由")
        ),
        Column("decided", "决定日期", "复核决定的日期。", ("决定日期", "复核日期")),
        Column("decided_by", "决定机关", "作出复核决定的机关或会议。", ("决定机关", "决定人", "复核机关")),
        Column("late_reason", "逾期受理理由", "公示期结束后收到、仍予受理时写明理由。", ("逾期受理理由", "逾期受理")),
        _internal_note(),
    ),
)

RECTIFICATION = Table(
    "rectification",
    "整改任务",
    "rectification",
    "上一年度考核检查出的问题列为本年度的整改任务，每项一行（`kaoping new` 生成）。",
    (
        _unit(),
        Column("year", "问题年度", "检查出问题的考核年度。", ("问题年度", "年度"), True),
        Column("item", "指标编号", "当年扣分的指标。", ("指标编号", "指标"), code=True),
        Column("problem", "问题", "检查出的问题。", ("问题", "存在问题", "扣分原因"), True),
        Column("lost", "扣分", "当年这一项扣的分。", ("扣分", "失分")),
        Column("target", "整改目标", "整改要达到的目标。", ("整改目标", "目标")),
        Column("measures", "整改措施", "具体的整改措施。", ("整改措施", "措施")),
        Column("progress", "整改进度", "目前的进展。", ("整改进度", "进度", "进展")),
        Column("person", "责任人", "负责整改的人。", ("责任人",)),
        Column("due", "完成时限", "例如 2021-06-30；不填为当年年底。", ("完成时限", "时限", "期限")),
        Column("status", "整改状态", "`未启动`、`整改中` 或 `已完成`；不填为未启动。", ("整改状态", "状态")),
        Column("done", "完成日期", "已完成时填写。", ("完成日期",)),
        _internal_note(),
    ),
)

RECOMMENDATIONS = Table(
    "recommendations",
    "民主推荐",
    "recommendations",
    "分组考核中各联络组民主推荐的计票结果，每个被推荐的单位（或人）一行。",
    (
        _unit(),
        Column(
            "category",
            "推荐类别",
            "细则 recommendation.categories 之一，例如 `先进基层党组织`。",
            ("推荐类别", "类别"),
            True,
        ),
        Column("person", "被推荐人", "推荐优秀党务干部等个人时的姓名。", ("被推荐人", "姓名")),
        Column("votes", "得票", "得票数。", ("得票", "票数", "得票数"), True),
        Column("voters", "投票人数", "本组参加投票的人数。", ("投票人数", "参加人数", "应到人数"), True),
        Column("recommended", "推荐结果", "`是` 获本组推荐，`否` 未获推荐；不填则只记票数。", ("推荐结果", "是否推荐")),
        _internal_note(),
    ),
)

TABLES: tuple[Table, ...] = (
    *(UNITS, ENTRIES, BONUS, PENALTIES, VETOES, PARTS, SELF_SCORES, AWARDS),
    *(LETTERS, OBJECTIONS, RECTIFICATION, RECOMMENDATIONS),
)
TABLES_BY_NAME: Mapping[str, Table] = {t.name: t for t in TABLES}

#: Excel saves "Unicode text" (UTF-16, tab-separated) as .txt; both are read the same way.
TABLE_SUFFIXES = (".csv", ".txt")


def table_for_file(filename: str) -> Table | None:
    """``entries.csv``, ``entries-第一组.csv``, ``entries_group.txt`` → ENTRIES; anything else → None."""
    name = filename.lower()
    suffix = next((s for s in TABLE_SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        return None
    stem = name[: -len(suffix)]
    for table in sorted(TABLES, key=lambda t: -len(t.prefix)):
        if stem == table.prefix or (stem.startswith(table.prefix) and stem[len(table.prefix)] in "-_. "):
            return table
    return None


def normalize_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().strip("*").strip()
    return re.sub(r"\s+", "", text).lower()
