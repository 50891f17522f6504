"""The reasons in Chinese, as the unit page, the downloads and the JSON export show them.

The engine returns reasons as facts (:mod:`generator.engine.reasons`); this module is the one place that
says them in words. A rule's reason is said by its kind (``RuleReason.words``, in the kind's module),
its cap here. A presentation that wants other words (shorter ones on a phone, say) words the same facts
its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from generator.engine.exact import fmt
from generator.engine.reasons import (
    AboveAdvancedMin,
    AtBottom,
    AtBottomAbove,
    BandReached,
    BelowBands,
    BonusCapReached,
    CategoryZero,
    ConsequenceTriggered,
    CountedAtHigherLevel,
    CountedOnce,
    Decided,
    EligibilityRemoved,
    FloorReached,
    GradeReason,
    GradeTooLow,
    ItemCapReached,
    NotAssessed,
    NotGraded,
    Placed,
    Reason,
    RuleReason,
    ScoreTooLow,
    Tied,
    TopButIneligible,
    TopPlaces,
    Unconfirmed,
    VetoBarsAdvanced,
    Vetoed,
)


def words(reason: Reason) -> str:
    """Any reason the engine gives, in words."""
    if isinstance(reason, RuleReason):
        return rule_words(reason)
    text = _WORDS[type(reason)](reason)
    if isinstance(reason, GradeReason) and reason.cited is not None:
        return _cited(text, reason)
    return text


def all_words(reasons: Iterable[Reason]) -> tuple[str, ...]:
    return tuple(words(r) for r in reasons)


def rule_words(reason: RuleReason) -> str:
    """How a rule's points follow from the facts, e.g. ``目标 4 次，完成 2 次，少 2 次 × 1 分 = 2 分``."""
    text = reason.words()
    if reason.cap is not None:
        text += f"；本规则最多扣 {fmt(reason.cap)} 分"
    return text


def _cited(text: str, reason: GradeReason) -> str:
    """A reason with what the rule behind it rests on, when that is not the document's own words
    (``brief``: only that it is 补充 or 解读, where the page explains it once for all reasons)."""
    mark = reason.cited
    assert mark is not None
    if reason.brief or not mark.text:
        return f"{text}（{mark.origin}，见考核标准）"
    return f"{text}（{mark.origin}：{mark.text}）"


def _bottom(r: AtBottom) -> str:
    line = f"，且在 {fmt(r.at_or_below)} 分以下（含）" if r.at_or_below is not None else ""
    return f"{r.pool}倒数第 {r.place} 名{line} → {r.grade}"


def _top(r: TopPlaces) -> str:
    among = "有评先资格的单位中" if r.among_eligible else ""
    return f"{among}位居{r.pool}前 {r.top} 名（第 {r.place} 位）→ {r.grade}"


def _triggered(r: ConsequenceTriggered) -> str:
    """县（市、区）倒数第 2 名（后 3 名）, 等次为未达标单位, 连续 2 年为未达标单位."""
    said = [f"{r.pool}倒数第 {r.place} 名（后 {r.bottom} 名）"] if r.place is not None else []
    if r.grades:
        names = "、".join(r.grades)
        said.append(f"连续 {r.years} 年为{names}" if r.years else f"等次为{names}")
    return "，".join(said)


_WORDS: dict[type, Callable[[Any], str]] = {
    FloorReached: lambda r: f"扣分合计 {fmt(r.lost)} 分，超过本项分值，扣完为止，得 {fmt(r.score)} 分",
    Unconfirmed: lambda r: "未经认定，不计分",
    CountedAtHigherLevel: lambda r: "同一事项已按最高级别计分，不重复加分",
    CountedOnce: lambda r: f"同一事项不重复加分：{fmt(r.count)} 次按 1 次计",
    ItemCapReached: lambda r: f"合计 {fmt(r.subtotal)} 分，本项最多加 {fmt(r.cap)} 分",
    BonusCapReached: lambda r: f"合计 {fmt(r.subtotal)} 分，加分累计不超过 {fmt(r.cap)} 分",
    Placed: lambda r: f"综合得分 {fmt(r.total)} 分，{r.pool}第 {r.rank} 名（共 {r.size} 个单位）",
    Tied: lambda r: f"与另 {r.others} 个单位同分，名次并列：{r.ties}",
    BandReached: lambda r: f"得分不低于 {fmt(r.min)} 分 → {r.grade}",
    BelowBands: lambda r: f"得分低于 {fmt(r.lowest)} 分 → {r.grade}",
    CategoryZero: lambda r: f"一级指标「{r.category}」未得分 → {r.grade}",
    AtBottom: _bottom,
    AtBottomAbove: lambda r: f"{r.pool}倒数第 {r.place} 名，但高于 {fmt(r.line)} 分，不定为{r.grade}",
    Vetoed: lambda r: f"一票否决：{r.event} → {r.grade}",
    GradeTooLow: lambda r: f"等次为{r.grade}，须为{r.required}方可评先进",
    ScoreTooLow: lambda r: f"得分低于 {fmt(r.min)} 分，不能参加先进评比",
    VetoBarsAdvanced: lambda r: f"否决项目：{r.event} → {r.effect}",
    EligibilityRemoved: lambda r: f"{r.penalty}，取消评先资格",
    NotGraded: lambda r: "本细则不评定等次",
    TopButIneligible: lambda r: f"名次在前 {r.top} 名，但不具备评先资格，不评为{r.grade}",
    TopPlaces: _top,
    Decided: lambda r: f"经考核办公室评定{f'（{r.basis}）' if r.basis else ''} → {r.grade}",
    AboveAdvancedMin: lambda r: f"得分不低于 {fmt(r.min)} 分且具备评先资格 → {r.grade}",
    NotAssessed: lambda r: r.note or "本年度不参加考核",
    ConsequenceTriggered: _triggered,
}
