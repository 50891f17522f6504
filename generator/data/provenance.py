"""Checking a rubric's provenance: every part's origin can be determined and says what it rests on;
``kaoping check --strict`` refuses what was filled in; the check's summary of 原文, 补充 and 解读.

The origins themselves are resolved by :mod:`generator.engine.provenance`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from generator.data.problems import Loc, Problems
from generator.engine.exact import fmt
from generator.engine.models import Rubric
from generator.engine.origin import FILLED, ORIGINS, READING, SOURCE, SOURCED_FIELDS
from generator.engine.provenance import passage, provenance
from generator.engine.provenance_counts import count


def check_provenance(rubric: Rubric, problems: Problems) -> None:
    """Every part's origin can be determined, and says what it rests on."""
    prov = provenance(rubric)
    for entry in prov.parts:
        if not entry.written:
            continue
        obj, loc, label = entry.obj, entry.loc, entry.label
        public = {f.name for f in dataclasses.fields(obj) if not f.metadata.get("internal")}
        for key in obj.field_origin:
            if key not in public or key in SOURCED_FIELDS or key == "id":
                allowed = "、".join(sorted(public - SOURCED_FIELDS - {"id"}))
                problems.error(
                    loc, f"{label}的 field_origin 中没有「{key}」这个键", f"只能标明本部分自己的键：{allowed}。"
                )
        if entry.origin is None:
            problems.error(
                loc,
                f"{label}的来源无法确定",
                "细则写明了依据文件（document），每一部分都要能确定来源：在这里写 origin: 原文（或 补充、解读），"
                "或在上一级、细则顶层写 origin。",
            )
            continue
        origins = {obj.origin, *obj.field_origin.values()} - {None}
        if obj.origin in (SOURCE, READING) and not passage(obj):
            problems.error(
                loc,
                f"{label}标为{obj.origin}，但没有摘录原文",
                "在 quote 写出原文件中的这段话（一字不改），或把来源改为 补充 并在 note 说明。",
            )
        if READING in origins and not obj.reading:
            problems.error(loc, f"{label}标为解读，但没有写考核办公室的理解", "在 reading 写明怎样理解原文。")
        if FILLED in origins and not obj.note:
            problems.error(
                loc, f"{label}标为补充，但没有说明", "在 note 写明补充了什么、为什么（原文件缺失、没有规定等）。"
            )
        if obj.reading and READING not in origins:
            problems.warning(
                loc,
                f"{label}写了 reading，但来源不是解读",
                "解读原文的写 origin: 解读；否则把 reading 的内容写进 note。",
            )


def strict_problems(rubric: Rubric, problems: Problems) -> None:
    """``kaoping check --strict``: an office's real year has nothing filled in."""
    prov = provenance(rubric)
    if rubric.origin == FILLED:
        problems.error(
            rubric.loc,
            f"细则 {rubric.id} 整份标为补充（origin: 补充）",
            "正式考核的细则须依据原文件；--strict 不接受补充的内容。",
        )
        return
    for entry in prov.parts:
        if entry.program_note:
            problems.error(
                rubric.loc,
                f"{entry.label}是补充的内容：{entry.program_note}",
                "正式考核的细则须依据原文件：原文件规定了的，在细则中写出来并标明来源（origin: 原文 和 quote）；"
                "--strict 不接受补充的内容。",
            )
            continue
        if not entry.written:
            continue
        obj = entry.obj
        if obj.origin == FILLED:
            problems.error(
                entry.loc,
                f"{entry.label}是补充的内容：{obj.note}",
                "正式考核的细则须依据原文件；--strict 不接受补充的内容。",
            )
        filled = [k for k, v in obj.field_origin.items() if v == FILLED]
        if filled and obj.origin != FILLED:
            problems.error(
                entry.loc,
                f"{entry.label}的 {'、'.join(filled)} 是补充的：{obj.note}",
                "正式考核的细则须依据原文件；--strict 不接受补充的内容。",
            )


def strict_sample(sample: Loc, problems: Problems) -> None:
    """``kaoping check --strict``: the results are marked as sample data."""
    problems.error(
        sample,
        "考核结果标明是示例数据（示例数据）",
        "正式考核的结果不能是示例数据；--strict 不接受。真实的结果请删去这一行。",
    )


def report_lines(rubric: Rubric) -> list[str]:
    """``kaoping check``: how much of a rubric is 原文, 补充 and 解读, for the clerk to see at a glance."""
    c = count(rubric)
    names = {t.id: t.name for t in rubric.unit_types}
    parts = "，".join(f"{o} {c.parts[o]}" for o in ORIGINS)
    fields = "，".join(f"{o} {c.fields[o]}" for o in ORIGINS if c.fields[o])
    lines = [
        f"{rubric.id}：各部分 {sum(c.parts.values())} 处（{parts}）" + (f"；另有单项标注（{fields}）" if fields else "")
    ]
    seen: dict[tuple[Decimal, tuple[Decimal, ...]], list[str]] = {}
    for type_id, total, by_origin in c.points:
        seen.setdefault((total, tuple(by_origin[o] for o in ORIGINS)), []).append(names[type_id])
    for (total, values), types in seen.items():
        shares = "，".join(f"{o} {fmt(v)} 分" for o, v in zip(ORIGINS, values, strict=True))
        lines.append(f"  {'、'.join(types)}：指标 {fmt(total)} 分（{shares}）")
    return lines
