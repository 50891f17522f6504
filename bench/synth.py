"""Seeded synthetic data at any scale, for the benchmark: a rubric of ~80 items and N units' results.

Units of three types in groups; every rule kind exercised; Chinese reasons; bonus claims at several levels,
penalties, vetoes, part scores, self scores. The same seed and size always give the same files.

    python bench/synth.py OUT --units 1000 [--seed 7]

writes OUT/rubrics/synth-2024.yml and OUT/results/synth-2024/*.csv (plus notice.yml), and copies the
site's configuration (mkdocs.yml, docs/, site_templates/, generator/site/mkdocs_hooks.py) so OUT builds on its own.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AID = "synth-2024"

TYPES = [("committee", "党委"), ("general_branch", "党总支"), ("branch", "党支部")]
CATEGORIES = [
    ("c1", "落实党建工作责任制"),
    ("c2", "思想政治建设"),
    ("c3", "组织建设"),
    ("c4", "党员队伍建设"),
    ("c5", "作风建设"),
    ("c6", "党风廉政建设"),
    ("c7", "群团工作"),
    ("c8", "创新与特色工作"),
]
TOPICS = [
    "三会一课", "主题党日", "民主生活会", "组织生活会", "民主评议党员", "党费收缴", "发展党员", "党建台账",
    "理论学习中心组", "意识形态工作", "党风廉政教育", "警示教育", "志愿服务", "党建品牌", "党建信息报送",
    "换届选举", "党员教育培训", "谈心谈话", "调查研究", "整改落实",
]
REASONS = {
    "shortfall": "全年{topic}只开展{n}次，少于规定次数",
    "per_element": "{topic}台账缺{names}",
    "fixed": "{topic}未按要求落实，{month}月检查时无相关记录",
    "range": "{topic}记录不完整，{month}月份材料缺失",
    "overdue": "{topic}超期{n}个月未完成",
    "per_occurrence": "{month}月{day}日{topic}未按时完成，共{n}次",
    "per_person": "{n}名党员{topic}不符合要求",
    "earned": "已申报{topic}特色项目",
    "all_or_nothing": "{topic}未认真开展",
    "rate": "{topic}参加率偏低",
}
KINDS = list(REASONS)
ORGS = ["市财政局", "市教育局", "市卫健委", "市交通局", "市住建局", "市农业农村局", "市文旅局", "市商务局",
        "市民政局", "市司法局", "市审计局", "市统计局", "市医保局", "市水利局", "市林业局", "市应急局"]
SUFFIX = {"committee": "机关党委", "general_branch": "机关总支", "branch": "机关支部"}


def rule_yaml(kind: str, index: int, points: int) -> str:
    text = f"规则{index}"
    if kind == "shortfall":
        return f"{{id: r{index}, kind: shortfall, target: {{committee: 12, general_branch: 8, branch: 6}}, per: 0.5, text: {text}}}"
    if kind == "per_element":
        return f"{{id: r{index}, kind: per_element, per: 0.5, elements: [计划, 记录, 总结, 照片], text: {text}}}"
    if kind == "fixed":
        return f"{{id: r{index}, kind: fixed, deduct: {min(2, points)}, text: {text}}}"
    if kind == "range":
        return f"{{id: r{index}, kind: range, min: 0.5, max: {points}, text: {text}}}"
    if kind == "overdue":
        return f"{{id: r{index}, kind: overdue, per: 0.5, whole_item_at: 6, text: {text}}}"
    if kind == "per_occurrence":
        return f"{{id: r{index}, kind: per_occurrence, per: 0.5, text: {text}}}"
    if kind == "per_person":
        return f"{{id: r{index}, kind: per_person, per: 0.2, text: {text}}}"
    if kind == "earned":
        return f"{{id: r{index}, kind: earned, points: 1, text: {text}}}"
    if kind == "all_or_nothing":
        return f"{{id: r{index}, kind: all_or_nothing, text: {text}}}"
    return f"{{id: r{index}, kind: rate, threshold: 80%, min: 0.5, max: 1, measure: 参加率, text: {text}}}"


def rubric(size: int = 80) -> tuple[str, list[tuple[str, str, str, int]]]:
    """The rubric's YAML (``size`` items) and its items as (node id, rule id, kind, points)."""
    lines = [
        f"id: {AID}",
        "title: 基准测试党建工作考核细则",
        "year: 2024",
        "issuer: 基准测试机关工委",
        "origin: 补充",
        "summary: 用于性能基准测试的示例细则。",
        "unit_types:",
        *(f"  - {{id: {tid}, name: {name}, full_marks: 100}}" for tid, name in TYPES),
        "defaults: {item_floor: 0}",
        "indicators:",
    ]
    items: list[tuple[str, str, str, int]] = []
    k = 0
    total = 0
    per, extra = divmod(size, len(CATEGORIES))
    for c, (cid, title) in enumerate(CATEGORIES):
        count = per + (1 if c < extra else 0)
        if count == 10:
            # 8 categories of 10 items of 1–2 points: four of 13 and four of 12, 100 in all.
            points_list = [2, 1, 1, 2, 1, 1, 2, 1, 1, 1] if c < 4 else [2, 1, 1, 2, 1, 1, 1, 1, 1, 1]
        else:
            points_list = [2 if i % 3 == 0 else 1 for i in range(count)]
        total += sum(points_list)
        lines += [f"  - id: {cid}", f"    title: {title}", f"    points: {sum(points_list)}", "    children:"]
        for i, points in enumerate(points_list):
            nid = f"{cid}.{i + 1}"
            kind = KINDS[k % len(KINDS)]
            k += 1
            topic = TOPICS[k % len(TOPICS)]
            lines += [
                f"      - id: '{nid}'",
                f"        title: {topic}落实情况",
                f"        points: {points}",
                f"        content: 按要求开展{topic}工作，做到有计划、有记录、有总结。",
                f"        standard: 未按要求开展{topic}的按规定扣分。",
                f"        rules: [{rule_yaml(kind, 1, points)}]",
            ]
            items.append((nid, "r1", kind, points))
    lines += [
        "bonus:",
        "  cap: 5",
        "  items:",
        "    - id: honours",
        "      title: 荣誉表彰",
        "      same_subject_once: true",
        "      levels:",
        "        - {id: province, name: 省级, points: 3}",
        "        - {id: city, name: 市级, points: 2}",
        "        - {id: media, name: 媒体报道, points: 0.2, per_occurrence: true}",
        "penalties:",
        "  - {id: criticism, name: 通报批评, min: 1, max: 3}",
        "vetoes:",
        "  effect: no_advanced",
        "  events:",
        "    - {id: v1, name: 发生重大安全生产事故的}",
        "parts:",
        f"  - {{id: year_end, name: 年终考核, weight: 80%, source: rubric, full: {total}}}",
        "  - {id: routine, name: 平时考核, weight: 20%, source: entered, full: 100}",
        "grading:",
        "  method: threshold",
        "  bands:",
        "    - {grade: pass, min: 85}",
        "    - {grade: basic_pass, min: 70}",
        "    - {grade: fail}",
        "  advanced: threshold",
        "  advanced_min_score: 97",
    ]
    return "\n".join(lines) + "\n", items


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def unit_name(n: int) -> str:
    """The name of unit number ``n`` (from 0), e.g. 市财政局第1机关党委."""
    return f"{ORGS[n % len(ORGS)]}第{n // len(ORGS) + 1}{SUFFIX[TYPES[n % 3][0]]}"


def results(units: int, items: list[tuple[str, str, str, int]], seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    registry = [["单位代码", "单位名称", "单位类型", "联络组", "考核状态"]]
    entries = [["单位代码", "指标编号", "规则", "情况", "扣分", "扣分原因"]]
    bonus = [["单位代码", "加分项目", "级别", "次数", "事项", "依据"]]
    penalties = [["单位代码", "扣分因素", "扣分", "事由"]]
    vetoes = [["单位代码", "否决事项", "情况"]]
    parts = [["单位代码", "组成部分", "得分"]]
    selfs = [["单位代码", "指标编号", "自查分"]]
    for n in range(units):
        uid = f"u{n + 1:05d}"
        tid = TYPES[n % 3][0]
        name = unit_name(n)
        registry.append([uid, name, tid, f"第{n % 20 + 1}联络组", "已考核"])
        parts.append([uid, "平时考核", str(rng.randint(70, 100))])
        for nid, rid, kind, points in rng.sample(items, rng.randint(4, 12)):
            topic = TOPICS[rng.randrange(len(TOPICS))]
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            value, amount, count = "", "", rng.randint(1, 3)
            if kind == "shortfall":
                value = str({"committee": 12, "general_branch": 8, "branch": 6}[tid] - count)
            elif kind == "per_element":
                value = "、".join(rng.sample(["计划", "记录", "总结", "照片"], count))
            elif kind == "range":
                amount = str(min(points, rng.choice([0.5, 1])))
            elif kind in ("overdue", "per_occurrence", "per_person"):
                value = str(count)
            elif kind == "rate":
                value, amount = f"{rng.randint(50, 79)}%", "0.5"
            reason = REASONS[kind].format(topic=topic, n=count, month=month, day=day, names="、".join(["计划", "记录"][:count]))
            entries.append([uid, nid, rid, value, amount, reason])
        if rng.random() < 0.3:
            bonus.append([uid, "honours", rng.choice(["省级", "市级"]), "1", f"{name}先进基层党组织", "表彰文件"])
            bonus.append([uid, "honours", "媒体报道", str(rng.randint(1, 10)), "经验做法宣传", "市级媒体"])
        if rng.random() < 0.05:
            penalties.append([uid, "通报批评", str(rng.randint(1, 3)), "被上级通报批评"])
        if rng.random() < 0.01:
            vetoes.append([uid, "v1", "发生安全生产事故"])
        if rng.random() < 0.2:
            nid, _, _, points = items[rng.randrange(len(items))]
            selfs.append([uid, nid, str(points)])
    files = {
        "units.csv": _csv(registry),
        "entries.csv": _csv(entries),
        "bonus.csv": _csv(bonus),
        "penalties.csv": _csv(penalties),
        "vetoes.csv": _csv(vetoes),
        "parts.csv": _csv(parts),
        "self_scores.csv": _csv(selfs),
    }
    files["notice.yml"] = (
        "issuer: 基准测试机关工委\ntitle: 关于2024年度党建工作考核结果的通报\n"
        "recipients: 各基层党组织：\ndate: 2025-01-15\nnumber: 测试〔2025〕1号\n"
    )
    return files


def copy_site_config(out: Path) -> None:
    shutil.copy(REPO / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(REPO / "site_templates", out / "site_templates", dirs_exist_ok=True)
    shutil.copytree(REPO / "docs", out / "docs", dirs_exist_ok=True, ignore=shutil.ignore_patterns("assessments"))
    (out / "generator" / "site").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "generator" / "site" / "mkdocs_hooks.py", out / "generator" / "site" / "mkdocs_hooks.py")


def make_project(out: Path, units: int, seed: int = 7, items: int = 80) -> None:
    """A project of ``units`` units assessed on a rubric of ``items`` items."""
    out.mkdir(parents=True, exist_ok=True)
    text, item_list = rubric(items)
    (out / "rubrics").mkdir(exist_ok=True)
    (out / "rubrics" / f"{AID}.yml").write_text(text, encoding="utf-8")
    folder = out / "results" / AID
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in results(units, item_list, seed).items():
        (folder / name).write_text(body, encoding="utf-8")
    copy_site_config(out)


def edit_first_reason(root: Path, words: str = "（复核）") -> str:
    """The first deduction's reason in ``root``'s results gets ``words`` more, as a clerk's commit would change
    one row; the code of the unit it belongs to."""
    entries = root / "results" / AID / "entries.csv"
    rows = entries.read_text(encoding="utf-8").splitlines()
    cells = rows[1].split(",")
    cells[5] += words
    rows[1] = ",".join(cells)
    entries.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return cells[0]


def main() -> None:
    p = argparse.ArgumentParser(description="生成基准测试用的合成数据")
    p.add_argument("out", type=Path)
    p.add_argument("--units", type=int, default=1000)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    make_project(args.out, args.units, args.seed)


if __name__ == "__main__":
    main()
