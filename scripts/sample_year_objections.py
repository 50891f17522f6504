"""示例数据：公示期内的异议和复核（见 ``scripts/sample_year.py``）。全部是虚构的示例数据。"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from sample_year_files import read_rows

from generator.data.load import load_notice
from generator.data.problems import Problems
from generator.engine.models import Rubric
from generator.engine.outcome import AssessmentOutcome

# --------------------------------------------------------------------------------------------
# Objections during the publicity period (公示) and their review (复核)
# --------------------------------------------------------------------------------------------

OBJECTION_COLUMNS = (
    "unit",
    "item",
    "rule",
    "objection",
    "received",
    "review",
    "outcome",
    "value",
    "amount",
    "reason",
    "decided",
    "decided_by",
    "late_reason",
)


def objections(rubric: Rubric, folder: Path, outcome: AssessmentOutcome, rng: random.Random) -> list[dict[str, str]]:
    """One adjusted deduction, three upheld (one accepted late), one not yet reviewed."""
    notice = load_notice(folder / "notice.yml", folder, Problems())
    assert notice is not None and notice.publicity is not None
    start, end = notice.publicity.start, notice.publicity.end
    entries = [
        r for r in read_rows(folder / "entries.csv", "entries") if r.get("amount") and r["amount"] not in ("0", "0.1")
    ]
    adjusted = rng.choice([r for r in entries if r["unit"].startswith("sz-")])
    old = adjusted["amount"]
    new = str(round(float(old) / 2, 1)).rstrip("0").rstrip(".")
    others = sorted({r["unit"] for r in entries} - {adjusted["unit"]})
    upheld, late, grade, pending = rng.sample(others, 4)
    upheld_row = next(r for r in entries if r["unit"] == upheld)
    day = datetime.timedelta(days=1)
    decided = (end + 2 * day).isoformat()
    return [
        {
            "unit": adjusted["unit"],
            "item": adjusted["item"],
            "rule": adjusted.get("rule", ""),
            "objection": f"本单位对指标 {adjusted['item']} 扣 {old} 分有异议：相关材料已于考核前报送，考核组未予查看。",
            "received": (start + day).isoformat(),
            "review": "调阅报送记录，确认相关材料已于考核前报送，部分问题不成立。",
            "outcome": "调整",
            "amount": new,
            "reason": f"经复核，部分问题不成立，扣分由 {old} 分调整为 {new} 分：{adjusted['reason']}（其余问题已核实）",
            "decided": decided,
            "decided_by": "市委党建办主任办公会",
        },
        {
            "unit": upheld,
            "item": upheld_row["item"],
            "objection": "认为扣分偏重，请求复核。",
            "received": (start + 2 * day).isoformat(),
            "review": "复核考核记录和佐证材料，问题属实。",
            "outcome": "维持",
            "reason": "扣分依据充分，维持原结果。",
            "decided": decided,
            "decided_by": "市委党建办主任办公会",
        },
        {
            "unit": late,
            "objection": "对综合得分和名次有异议。",
            "received": (end + day).isoformat(),
            "review": "逐项核对各项得分，计算无误。",
            "outcome": "维持",
            "reason": "得分计算无误，维持原结果。",
            "decided": decided,
            "decided_by": "市委党建办主任办公会",
            "late_reason": "该单位在公示期内已电话反映，书面材料因邮寄延误于次日送达，经研究予以受理",
        },
        {
            "unit": pending,
            "objection": "对等次评定有异议，补充材料随后报送。",
            "received": end.isoformat(),
        },
        {
            "unit": grade,
            "item": "",
            "objection": "请求说明扣分因素的认定依据。",
            "received": (start + 3 * day).isoformat(),
            "review": "已向该单位书面说明认定依据。",
            "outcome": "维持",
            "reason": "认定依据充分，维持原结果。",
            "decided": decided,
            "decided_by": "市委党建办主任办公会",
        },
    ]
