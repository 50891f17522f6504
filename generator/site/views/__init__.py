"""Page contexts: what each template may use, computed from the engine's outcomes.

Pure. One dataclass per page kind documents the template's whole world; templates only lay it out.
Everything that needs the whole assessment (pool averages, history, last year's change) is computed
once per assessment, so rendering N unit pages stays O(N). One module per page kind; this package
gathers their names (``views.unit_context``, ``views.History`` …).
"""

from __future__ import annotations

from generator.site.views.common import (
    Change,
    GradeCount,
    History,
    HistoryRow,
    Summary,
    date_cn,
    downloads,
    grade_counts,
    ordered,
    standards_only_summary,
    summary,
)
from generator.site.views.home import (
    HomeContext,
    OverviewContext,
    YearsContext,
    home_context,
    overview_context,
    years_context,
)
from generator.site.views.notice import (
    NoticeContext,
    NoticeGroup,
    notice_context,
)
from generator.site.views.results import (
    PoolTable,
    ResultRow,
    ResultsContext,
    results_context,
)
from generator.site.views.standards import (
    NodeView,
    RuleView,
    StandardsContext,
    grading_text,
    scoring_text,
    standards_context,
)
from generator.site.views.unit import (
    BonusLine,
    ItemRow,
    RuleLine,
    UnitContext,
    UnitHead,
    item_rows,
    unit_context,
    unit_head,
)
from generator.site.views.unit_numbers import Bar, FormulaLine, PoolStats, pool_stats

__all__ = [
    "Bar",
    "BonusLine",
    "Change",
    "FormulaLine",
    "GradeCount",
    "History",
    "HistoryRow",
    "HomeContext",
    "ItemRow",
    "NodeView",
    "NoticeContext",
    "NoticeGroup",
    "OverviewContext",
    "PoolStats",
    "PoolTable",
    "ResultRow",
    "ResultsContext",
    "RuleLine",
    "RuleView",
    "StandardsContext",
    "Summary",
    "UnitContext",
    "UnitHead",
    "YearsContext",
    "date_cn",
    "downloads",
    "grade_counts",
    "grading_text",
    "home_context",
    "item_rows",
    "notice_context",
    "ordered",
    "overview_context",
    "pool_stats",
    "results_context",
    "scoring_text",
    "standards_context",
    "standards_only_summary",
    "summary",
    "unit_context",
    "unit_head",
    "years_context",
]
