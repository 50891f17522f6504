"""The standards page's context: the indicator tree, how points and grades are decided, in words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from generator.engine.exact import ROUNDING_WORDS, ZERO, fmt, fmt_percent
from generator.engine.grading import label as grade_label
from generator.engine.models import VETO_EFFECT_NAMES, GradeKey, Grading, Node, Rubric
from generator.engine.origin import READING, SOURCE, Sourced
from generator.engine.provenance import Mark, Provenance, Sourcing, field_word, provenance
from generator.engine.rules.base import Rule, targets_words
from generator.engine.tree import TypedNode, node_rules, typed_tree
from generator.site import paths
from generator.site.views.origin import DocumentView, document_view, rule_marks

# --------------------------------------------------------------------------------------------
# Standards page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleView:
    text: str
    detail: str
    #: 补 / 解 for the rule or any of its numbers, where that differs from its indicator.
    marks: tuple[Mark, ...]
    note: str
    reading: str
    #: The document's passage a reading (解读) reads, when the rule quotes one.
    quote: str
    #: The unit types the rule is limited to (applies_to), by name; empty for all.
    applies: str


@dataclass(frozen=True)
class NodeView:
    id: str
    anchor: str
    depth: int
    title: str
    points: str
    points_by_type: tuple[str, ...]
    applicability: tuple[str, ...]
    applicability_note: str
    content: str
    standard: str
    standard_reading: str
    assessor: str
    responsible: str
    rules: tuple[RuleView, ...]
    #: The whole indicator (and what is under it) is filled in (补充).
    illustrative: bool
    #: 补 / 解 where this indicator's origin is decided (not repeated on each indicator under it).
    mark: Mark | None
    title_mark: Mark | None
    points_mark: Mark | None
    #: The document's passage, shown beside a reading (解读) or where the indicator's own text is not it.
    quote: str
    reading: str
    points_mismatch: str
    incomplete: str
    note: str
    children: tuple[NodeView, ...]


@dataclass(frozen=True)
class ActivityView:
    """A yearly activity target (统计表) and the rules that score it."""

    name: str
    group: str
    targets: str
    used_by: str
    mark: Mark | None
    note: str


@dataclass(frozen=True)
class OriginNote:
    """A part outside the indicators that is filled in or read, with what it says."""

    label: str
    mark: Mark
    quote: str


@dataclass(frozen=True)
class StandardsContext:
    path: str
    rubric: Rubric
    document: DocumentView | None
    unit_types: tuple[tuple[str, str, Mark | None], ...]
    activities: tuple[ActivityView, ...]
    nodes: tuple[NodeView, ...]
    scoring: tuple[str, ...]
    grading: tuple[str, ...]
    #: Every part outside the indicators that is 补充 or 解读, in rubric order.
    origin_notes: tuple[OriginNote, ...]
    #: None while the assessment has no results yet.
    results_url: str | None
    #: How the line of ``grading`` on ranking begins: the template marks it as the ranking is marked.
    ranking_words: str = "名次："

    def mark(self, part: Sourced | None, name: str | None = None) -> Mark | None:
        """For the template: the mark of a rubric part (补 / 解, or None for 原文); with ``name``, of that
        field where it differs from the part's own."""
        if part is None:
            return None
        prov = provenance(self.rubric)
        return prov.field_mark(part, name) if name is not None else prov.mark(part)


def _rule_view(rule: Rule, rubric: Rubric, node: Node, prov: Provenance) -> RuleView:
    names = {t.id: t.name for t in rubric.unit_types}
    return RuleView(
        text=rule.text,
        detail=rule.describe(rubric, node),
        marks=rule_marks(rule, node, prov),
        note=rule.note,
        reading=rule.reading,
        quote=rule.quote if rule.reading else "",
        applies="、".join(names.get(t, t) for t in rule.applies_to),
    )


def _node_views(rubric: Rubric) -> tuple[NodeView, ...]:
    names = {t.id: t.name for t in rubric.unit_types}
    trees = {t.id: typed_tree(rubric, t.id) for t in rubric.unit_types}
    applicable: dict[str, set[str]] = defaultdict(set)
    for type_id, tree in trees.items():
        stack: list[TypedNode] = list(tree)
        while stack:
            n = stack.pop()
            if n.applicable:
                applicable[n.id].add(type_id)
            stack.extend(n.children)
    all_types = set(names)
    prov = provenance(rubric)

    def view(node: Node, depth: int, parent_types: set[str], parent: Node | None) -> NodeView:
        mine = applicable.get(node.id, set())
        notes: list[str] = []
        if mine != parent_types and mine != all_types:
            if mine:
                notes.append("适用于：" + "、".join(names[t] for t in names if t in mine))
            else:
                notes.append("不适用于任何单位类型")
            missing = [names[t] for t in names if t in parent_types and t not in mine]
            if missing:
                notes.append("不适用（显示为“不适用”，不计分）：" + "、".join(missing))
        by_type = tuple(f"{names.get(t, t)}：{fmt(p)} 分" for t, p in node.points_by_type.items())
        # node_rules: a leaf without rules of its own shows the rubric's default (defaults.leaf_rule).
        rules = tuple(_rule_view(r, rubric, node, prov) for _, r in node_rules(node, rubric))
        origin = prov.origin(node)
        decided_here = node.origin is not None or (parent is not None and prov.origin(parent) != origin)
        shown = prov.mark(node) if decided_here or parent is None else None
        return NodeView(
            id=node.id,
            anchor=paths.node_anchor(node.id),
            depth=depth,
            title=node.title,
            points=fmt(node.points),
            points_by_type=by_type,
            applicability=tuple(notes),
            applicability_note=node.applicability_note,
            content=node.content,
            standard=node.standard,
            standard_reading=node.standard_reading,
            assessor=node.assessor,
            responsible=node.responsible,
            rules=rules,
            illustrative=origin == "补充",
            mark=shown,
            title_mark=prov.field_mark(node, "title"),
            points_mark=prov.field_mark(node, "points") or prov.field_mark(node, "points_by_type"),
            quote=node.quote if node.quote and (origin == READING or not (node.content or node.standard)) else "",
            reading=node.reading,
            points_mismatch=node.points_mismatch,
            incomplete=node.incomplete,
            note=node.note,
            children=tuple(view(c, depth + 1, mine, node) for c in node.children),
        )

    return tuple(view(n, 0, all_types, None) for n in rubric.indicators)


def _activity_views(rubric: Rubric) -> tuple[ActivityView, ...]:
    names = {t.id: t.name for t in rubric.unit_types}
    prov = provenance(rubric)
    users: dict[str, list[str]] = defaultdict(list)
    stack = list(rubric.indicators)
    while stack:
        node = stack.pop(0)
        for rid, rule in node_rules(node, rubric):
            if rule.activity_ref():
                users[rule.activity_ref()].append(f"指标 {node.id} 规则 {rid}")
        stack[:0] = node.children
    return tuple(
        ActivityView(
            name=a.name,
            group=a.group,
            targets=targets_words(a.targets, names, "次"),
            used_by="、".join(users.get(a.id, [])) or ("不考核（没有目标）" if not a.targets else "不计分"),
            mark=prov.mark(a),
            note=a.reading or a.note,
        )
        for a in rubric.activities
    )


def _in_indicators(entry: Sourcing | None) -> bool:
    while entry is not None:
        if isinstance(entry.obj, Node):
            return True
        entry = entry.parent
    return False


def _origin_notes(rubric: Rubric) -> tuple[OriginNote, ...]:
    """Parts outside the indicators that are not the document's own words, each said once."""
    prov = provenance(rubric)
    out: list[OriginNote] = []
    seen: set[tuple[str, str]] = set()
    for entry in prov.parts:
        obj = entry.obj
        if _in_indicators(entry):
            continue  # indicators and their rules are marked where they are shown
        if not entry.counted:
            continue
        names: list[str | None] = [None, *obj.field_origin]
        for name in names:
            origin = entry.of(name)
            if origin is None or origin == SOURCE or (name is None and obj.origin is None and not entry.program_note):
                continue
            mark = prov.mark(obj, name)
            if mark is None or (mark.origin, mark.text) in seen:
                continue
            seen.add((mark.origin, mark.text))
            out.append(OriginNote(entry.label + (f"的{field_word(name)}" if name else ""), mark, obj.quote))
    return tuple(out)


def scoring_text(rubric: Rubric) -> tuple[str, ...]:
    """How a total is made, in plain words."""
    lines = []
    floor = rubric.defaults.item_floor
    if floor is not None:
        lines.append(f"每个项目按评分标准扣分，扣完为止，最低得 {fmt(floor)} 分；不适用的项目显示为“不适用”，不计分。")
    decimals = rubric.rounding.decimals
    keep = (f"保留 {decimals} 位小数" if decimals else "取整") + f"（{ROUNDING_WORDS[rubric.rounding.mode]}）"
    if rubric.parts:
        parts = "、".join(f"{p.name}占 {fmt_percent(p.weight)}" for p in rubric.parts)
        lines.append(f"综合得分由{parts}组成；各部分先折算为该类单位的满分，再按权重相加。")
        lines.append(f"折算和加权的结果和总分都{keep}。")
    else:
        lines.append(f"总分{keep}。")
    if rubric.bonus is not None:
        cap = f"加分合计不超过 {fmt(rubric.bonus.cap)} 分。" if rubric.bonus.cap is not None else ""
        who = "由单位自行申报、考核办公室认定后" if rubric.bonus.self_declared else "由考核办公室认定后"
        lines.append(f"加分{who}计入总分。" + cap)
    if rubric.penalties:
        lines.append(
            "在总分中扣减：" + "；".join(f"{p.name} {fmt(p.min)}～{fmt(p.max)} 分" for p in rubric.penalties) + "。"
        )
    lines += veto_text(rubric)
    return tuple(lines)


def veto_text(rubric: Rubric) -> list[str]:
    """What a veto does; an event with an effect of its own is named with it."""
    vetoes = rubric.vetoes
    if vetoes is None:
        return []
    own = [e for e in vetoes.events if e.effect is not None and e.effect != vetoes.effect]
    lines = [f"发生否决事项的单位{VETO_EFFECT_NAMES[vetoes.effect]}" + ("（下列事项除外）。" if own else "。")]
    for effect in VETO_EFFECT_NAMES:
        named = [f"「{e.name}」" for e in own if e.effect == effect]
        if named:
            lines.append(f"否决事项{'、'.join(named)}：{VETO_EFFECT_NAMES[effect]}。")
    return lines


def grading_text(rubric: Rubric) -> tuple[str, ...]:
    g = rubric.grading
    if g is None:
        return ("本细则不评定等次。",)

    def name(key: GradeKey) -> str:
        return grade_label(g, key)

    lines = _band_lines(g, name) + _pool_lines(rubric, g, name)
    if g.fail_if_category_zero:
        lines.append(f"某一类（一级指标）得 0 分的，定为{name('fail')}。")
    lines += _advanced_lines(rubric, g, name) + _veto_lines(rubric, name)
    lines.append(StandardsContext.ranking_words + rubric.ranking.ties)
    if any((p.advanced_top and g.advanced == "rank") or p.fail_bottom for p in rubric.ranking.pools):
        lines.append(
            "名次并列跨过名额界限时，并列的单位一并计入：例如两个单位并列第 3 名，都在前 3 名之内；倒数的名次同样。"
        )
    return tuple(lines)


def _band_lines(g: Grading, name: Callable[[GradeKey], str]) -> list[str]:
    """Score bands (threshold grading), highest first."""
    lines: list[str] = []
    if g.method != "threshold":
        return lines
    previous: Decimal | None = None
    for b in g.bands:
        if b.min is not None and previous is None:
            lines.append(f"综合得分 {fmt(b.min)} 分及以上为{name(b.grade)}。")
        elif b.min is not None:
            lines.append(f"{fmt(b.min)} 分至 {fmt(previous or ZERO)} 分（不含）为{name(b.grade)}。")
        else:
            lines.append(f"{fmt(previous or ZERO)} 分以下为{name(b.grade)}。")
        previous = b.min if b.min is not None else previous
    return lines


def _pool_lines(rubric: Rubric, g: Grading, name: Callable[[GradeKey], str]) -> list[str]:
    """Places in a pool: the top for 先进 (advanced: rank), the bottom for 未达标 (with either method)."""
    lines: list[str] = []
    for pool in rubric.ranking.pools:
        parts = []
        if pool.advanced_top and g.advanced == "rank":
            parts.append(f"综合得分前 {pool.advanced_top} 名为{name('advanced')}")
        if pool.fail_bottom:
            below = (
                f"且得分在 {fmt(pool.fail_at_or_below)} 分以下（含 {fmt(pool.fail_at_or_below)} 分）"
                if pool.fail_at_or_below is not None
                else ""
            )
            parts.append(f"后 {pool.fail_bottom} 名{below}的为{name('fail')}")
        if g.method == "rank":
            parts.append(f"其余为{name('pass')}")
        elif not parts:
            continue
        lines.append(f"{pool.name}：" + "；".join(parts) + "。")
    return lines


def _advanced_lines(rubric: Rubric, g: Grading, name: Callable[[GradeKey], str]) -> list[str]:
    """How 先进 is decided, and who may be."""
    lines: list[str] = []
    if g.advanced == "decision":
        lines.append(f"{name('advanced')}由考核办公室在具备评先资格的单位中评定。")
    elif g.advanced == "threshold" and g.advanced_min_score is not None:
        lines.append(f"具备评先资格且得分不低于 {fmt(g.advanced_min_score)} 分的，为{name('advanced')}。")
    if g.advanced == "none":
        return lines
    conditions = [f"须为{name(g.advanced_requires)}"]
    if g.advanced_min_score is not None and g.advanced != "threshold":
        conditions.append(f"得分不低于 {fmt(g.advanced_min_score)} 分")
    if rubric.vetoes is not None:
        conditions.append("未发生否决事项")
    if any(p.can_remove_eligibility for p in rubric.penalties):
        conditions.append("未因弄虚作假被取消评先资格")
    lines.append(f"评{name('advanced')}的资格：" + "，".join(conditions) + "。")
    if g.advanced == "rank":
        if g.places_among == "eligible":
            lines.append(f"不具备评先资格的单位不占{name('advanced')}名额，名额依次由其后具备资格的单位获得。")
        else:
            lines.append(f"不具备评先资格的单位仍占名次，但不评为{name('advanced')}。")
    return lines


def _veto_lines(rubric: Rubric, name: Callable[[GradeKey], str]) -> list[str]:
    """Vetoes that make a unit 未达标 whatever its score."""
    if rubric.vetoes is None:
        return []
    failing = [e for e in rubric.vetoes.events if (e.effect or rubric.vetoes.effect) == "fail"]
    if rubric.vetoes.effect == "fail" and len(failing) == len(rubric.vetoes.events):
        return [f"发生否决事项的单位，无论得分多少，定为{name('fail')}。"]
    if failing:
        events = "、".join(f"「{e.name}」" for e in failing)
        return [f"否决事项{events}：无论得分多少，定为{name('fail')}。"]
    return []


def standards_context(rubric: Rubric, has_results: bool = True) -> StandardsContext:
    path = paths.page(rubric.id, "standards")
    prov = provenance(rubric)
    return StandardsContext(
        path=path,
        rubric=rubric,
        document=document_view(rubric),
        unit_types=tuple(
            (t.name, fmt(t.full_marks), prov.mark(t) or prov.mark(t, "full_marks")) for t in rubric.unit_types
        ),
        activities=_activity_views(rubric),
        nodes=_node_views(rubric),
        scoring=scoring_text(rubric),
        grading=grading_text(rubric),
        origin_notes=_origin_notes(rubric),
        results_url=paths.link(path, paths.page(rubric.id, "results")) if has_results else None,
    )
