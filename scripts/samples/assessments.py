"""The bundled assessments' sample units and particulars, one :class:`~samples.spec.Spec` each (SPECS)."""

from __future__ import annotations

import dataclasses

from samples.spec import GBK_EXCEL, UTF8_BOM, UTF8_BOM_CRLF, Spec, by_type, grouped_ids, numbered
from samples.units import CHANGDE_UNITS, GONGSHANG_UNITS, LUOYANG_UNITS, WUJIN_UNITS, ZONGHE_UNITS

#: Paragraphs of the sample notices, too long for one line of the YAML below.
CHANGDE_CLOSING = (
    "希望受到表彰的单位再接再厉；发生否决事项和考核得分较低的单位要认真查找问题，制定"
    "整改措施，于3月底前将整改情况报市直机关工委组织部。"
)
LUOYANG_OPENING = (
    "根据《关于对2013年市直机关党建目标进行绩效考核的通知》（洛市直发〔2013〕"
    "20号），市直工委于2013年12月对市直机关党组织党建目标完成情况进行了年度考"
    "核。考核采取年终集中考核与平时考核相结合的形式，年终集中考核占70%，平时考核占"
    "30%。经各联络组分组考核、工委会议研究，现将考核结果通报如下："
)
ZONGHE_CLOSING = (
    "被确定为“未达标”的单位，由市委党的建设工作领导小组领导对其主要领导及相关领导进"
    "行约谈提醒，责令整改。各单位要将考核中检查出的问题列为2021年重点整改任务，形"
    "成整改方案报市委党建办。"
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
        not_assessed=(
            ("市物价局机关支部", "2012年机构调整，机关党组织关系划转至市发展和改革委员会，本年度不参加考核"),
        ),
        formats={
            "entries": GBK_EXCEL,
            "units": UTF8_BOM,
            "vetoes": GBK_EXCEL,
            "bonus": UTF8_BOM_CRLF,
            "awards": GBK_EXCEL,
        },
        vetoes=2,
        bonus_share=0.45,
        fill_amounts=False,
        yes_word="是",
        status_for_all=True,
        assessor_names=("第一考核组", "第二考核组", "第三考核组"),
        self_score_share=0.25,
        award_share=0.2,
        award_basis="市直机关工委{ny}年1月工委会议研究确定",
        meeting_word={
            "committee": "党委会",
            "general_branch": "总支委员会",
            "branch": "支委会",
            "organ": "党组（党委）会",
        },
        office="常直工发",
        notice=f"""\
# 考核结果通报的要素（示例：文号、日期和联系方式都是虚构的）
illustrative: true
issuer: 中共常德市直机关工作委员会
number: 常直工发〔2013〕2号
title: 关于2012年度市直机关党建工作目标管理绩效考核结果的通报
recipients: 市直机关各党组（党委）、机关党委（总支、支部）：
date: 2013-01-22
closing:
  - {CHANGDE_CLOSING}
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
        assessor_names=(
            "第一联络组联络员 杜某",
            "第二联络组联络员 范某",
            "第三联络组联络员 孔某",
            "第四联络组联络员 庞某",
        ),
        assessor_by_group=True,
        self_score_categories=True,
        award_share=0.25,
        award_basis="市直工委{y}年12月30日工委会议研究确定",
        meeting_word={"committee": "党委会", "general_branch": "总支会", "branch": "支委会"},
        office="洛市直",
        notice=f"""\
# 考核结果通报的要素（示例：文号、日期和联系方式都是虚构的；2013年的考核依据洛市直发〔2013〕20号开展）
illustrative: true
issuer: 中共洛阳市委市直工委
number: 洛市直发〔2014〕3号
title: 关于2013年度市直机关党建目标绩效考核结果的通报
recipients: 市直机关各党委、总支、支部：
date: 2014-01-10
opening:
  - {LUOYANG_OPENING}
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
        meeting_word={
            "county": "常委会",
            "urban_district": "常委会",
            "urban_no_township": "党工委会议",
            "city_unit": "党组（党委）会议",
        },
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
        notice=f"""\
# 考核结果通报的要素（示例：原文未写明城市，文号、日期和联系方式都是虚构的）
illustrative: true
issuer: 中共XX市委党的建设工作领导小组
masthead: 中共XX市委党的建设工作领导小组文件
number: X党建〔2021〕2号
title: 关于2020年度党建工作综合考核结果的通报
recipients: 各县（市、区）党（工）委，市委各部委，市直各单位党组（党委）：
date: 2021-02-05
closing:
  - {ZONGHE_CLOSING}
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
