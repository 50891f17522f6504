"""The engine's outcome as plain data: one dict per unit (the JSON twin of its page) and summary rows.

Pure. Nothing marked internal in the results (notes, contacts) is ever part of this data.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from generator.data.sample import DOWNLOAD_NOTE
from generator.engine.exact import fmt
from generator.engine.origin import FILLED
from generator.engine.outcome import AssessmentOutcome, NodeOutcome, RuleOutcome, UnitOutcome
from generator.engine.reasons import Reason
from generator.engine.results import Finding
from generator.engine.wording import all_words, rule_words, words


def num(value: Decimal | None) -> Any:
    """A Decimal for JSON: an int when whole, else a float.

    Scores have a handful of significant digits, far below the 15 a float keeps exactly, so the
    JSON text is the Decimal's own (96.4 stays 96.4).
    """
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _finding(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"reason": f.reason}
    if f.count is not None:
        out["count"] = num(f.count)
    if f.elements:
        out["elements"] = list(f.elements)
    if f.rate is not None:
        out["rate"] = num(f.rate)
    if f.amount is not None:
        out["amount"] = num(f.amount)
    if not f.yes:
        out["yes"] = False
    return out


def _rule(r: RuleOutcome) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": r.rule_id,
        "kind": r.rule.kind,
        "text": r.rule.text,
        "lost": num(r.lost),
        "explanation": rule_words(r.why),
        "findings": [_finding(f) for f in r.findings],
    }
    if r.earned is not None:
        out["earned"] = num(r.earned)
    return out


def node_data(n: NodeOutcome) -> dict[str, Any]:
    out: dict[str, Any] = {"id": n.id, "title": n.node.title, "applicable": n.applicable}
    if n.illustrative:
        out["illustrative"] = True
    if n.applicable:
        out.update(points=num(n.points), lost=num(n.lost), score=num(n.score))
    if n.self_score is not None:
        out["self_score"] = num(n.self_score)
    if n.rules:
        out["rules"] = [_rule(r) for r in n.rules]
    if n.notes:
        out["notes"] = list(all_words(n.notes))
    if n.children:
        out["children"] = [node_data(c) for c in n.children]
    return out


def _note(reason: Reason | None) -> str:
    return words(reason) if reason is not None else ""


def unit_data(u: UnitOutcome) -> dict[str, Any]:
    s, st = u.score, u.standing
    return {
        "unit": {
            "id": s.unit.id,
            "name": s.unit.name,
            "type": s.unit_type.id,
            "type_name": s.unit_type.name,
            "group": s.unit.group,
        },
        "assessed": s.assessed,
        "full_marks": num(s.full_marks),
        "indicator_points": num(s.indicator_points),
        "indicator_score": num(s.indicator_score),
        "parts": [
            {
                "id": p.part.id,
                "name": p.part.name,
                "raw": num(p.raw),
                "full": num(p.full),
                "scaled": num(p.scaled),
                "weight": num(p.part.weight),
                "weighted": num(p.weighted),
            }
            for p in s.parts
        ],
        "base": num(s.base),
        "bonus": {
            "total": num(s.bonus.total),
            "subtotal": num(s.bonus.subtotal),
            "note": _note(s.bonus.note),
            "items": [
                {
                    "id": i.item.id,
                    "title": i.item.title,
                    "subtotal": num(i.subtotal),
                    "total": num(i.total),
                    "note": _note(i.note),
                    "claims": [
                        {
                            "subject": c.claim.subject,
                            "level": c.level_name,
                            "count": num(c.claim.count),
                            "value": num(c.value),
                            "counted": num(c.counted),
                            "evidence": c.claim.evidence,
                            "note": _note(c.note),
                        }
                        for c in i.claims
                    ],
                }
                for i in s.bonus.items
            ],
        },
        "penalties": [
            {
                "id": p.penalty.id,
                "name": p.penalty.name,
                "amount": num(p.record.amount),
                "reason": p.record.reason,
                "removes_eligibility": p.record.removes_eligibility,
            }
            for p in s.penalties
        ],
        "penalty_total": num(s.penalty_total),
        "vetoes": [
            {
                "id": v.event.id,
                "name": v.event.name,
                "effect": v.effect,
                "reason": v.record.reason,
                "date": v.record.date,
            }
            for v in s.vetoes
        ],
        "total": num(s.total),
        "pool": st.pool_name,
        "pool_size": st.pool_size,
        "rank": st.rank,
        "grade": st.grade,
        "grade_label": st.label,
        "grade_reasons": list(all_words(st.reasons)),
        "categories": [node_data(c) for c in s.categories],
    }


def assessment_data(outcome: AssessmentOutcome, units: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The whole assessment; ``units`` may pass the units' data already made (see downloads)."""
    r = outcome.rubric
    data = {
        "assessment": assessment_about(outcome) | {"issuer": r.issuer},
        "units": units if units is not None else [unit_data(u) for u in outcome.units],
    }
    return data


def assessment_about(outcome: AssessmentOutcome) -> dict[str, Any]:
    """What every JSON download says of its assessment: which it is, whether its rules or its results are
    the document's own (``sample`` with its note when the results are sample data)."""
    r = outcome.rubric
    about: dict[str, Any] = {
        "id": r.id,
        "title": r.title,
        "year": r.year,
        "illustrative": r.origin == FILLED,
        "grading_illustrative": r.grading_illustrative,
        "sample": outcome.sample is not None,
    }
    if outcome.sample is not None:
        about["sample_note"] = DOWNLOAD_NOTE
    return about


def summary_rows(outcome: AssessmentOutcome) -> list[dict[str, Any]]:
    """One row per unit with its category scores, parts, bonus, penalties, total, rank and grade."""
    rows = []
    for u in outcome.units:
        s, st = u.score, u.standing
        row: dict[str, Any] = {
            "单位代码": s.unit.id,
            "单位名称": s.unit.name,
            "单位类型": s.unit_type.name,
            "联络组": s.unit.group,
        }
        shown = s.assessed
        # Categories are columns by title: a title used by several categories (one system for
        # counties, another for city units) is one column, filled from the category that applies.
        for c in s.categories:
            if c.applicable:
                row[c.node.title] = fmt(c.score) if shown else ""
            else:
                row.setdefault(c.node.title, "不适用")
        row["指标得分"] = fmt(s.indicator_score) if shown else ""
        for p in s.parts:
            row[p.part.name] = fmt(p.raw) if shown else ""
        row["加分"] = fmt(s.bonus.total) if shown else ""
        row["扣分因素"] = fmt(s.penalty_total) if shown else ""
        row["否决事项"] = "；".join(v.event.name for v in s.vetoes)
        row["综合得分"] = fmt(s.total) if s.assessed else ""
        row["排名组"] = st.pool_name
        row["名次"] = st.rank if st.rank is not None else ""
        row["等次"] = st.label
        row["等次依据"] = "；".join(all_words(st.reasons))
        rows.append(row)
    return rows


def to_json(data: Any, *, compact: bool = False) -> str:
    """JSON text in UTF-8. Compact for files the site serves (the C encoder; ``indent`` forces the slow one)."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
