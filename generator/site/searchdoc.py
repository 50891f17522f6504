"""A document of the search box's index (:mod:`generator.site.searchindex`), and how results name its kind
and where it is from."""

from __future__ import annotations

from dataclasses import dataclass

#: Page kinds, as results name them.
KINDS = ("首页", "概况", "标准", "结果", "通报", "单位", "说明")
#: The order documents are stored in (and ties are broken in): the more useful kind first.
KIND_ORDER = {"标准": 0, "通报": 1, "结果": 2, "概况": 3, "单位": 4, "首页": 5, "说明": 6}


@dataclass(frozen=True)
class Doc:
    url: str
    title: str
    names: str
    body: str
    kind: str
    #: The assessment and year (``2020年度 · 某市党建综合考核办法``), or "" for pages of the whole site.
    where: str
    #: (minus the year, kind's rank): the order documents are stored in, newest assessment first; ties in
    #: ranking go to the document stored first.
    order: tuple[int, int]
    #: The page shows sample results (its banner, ``kp-sample``): the search box tags the result 示例数据.
    sample: bool = False
