"""The unit-level sample tables: bonus claims, penalties, vetoes, entered parts and self-scores.

Each ``make_*`` draws from the assessment's one random generator, in the order :func:`samples.write.generate`
calls them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from generator.engine.models import BonusItem, BonusLevel
from generator.engine.rules.sampling import HALF, dec_range, num_text, step_for
from generator.engine.tree import TypedNode, walk_typed
from samples.spec import UnitRow, label_for
from samples.words import (
    ARTICLE_TITLES,
    EXPERIENCES,
    HONOURS,
    PROJECT_NAMES,
    REPORT_TITLES,
    VIDEO_TITLES,
    veto_reason,
)

if TYPE_CHECKING:
    from samples.generator import Generator, UnitState

ZERO = Decimal(0)
ONE = Decimal(1)


def bonus_subject(gen: Generator, item: BonusItem, level: BonusLevel | None) -> tuple[str, str]:
    """(subject, evidence) for a claim, worded by what its level (or item) is about."""
    rng = gen.rng
    y = gen.year
    doc = f"{gen.spec.office}〔{y}〕{rng.randint(3, 60)}号"
    if level is None:
        options: tuple[str, ...]
        if "活动" in item.title:
            options = (
                "参加工委统一部署的机关党员志愿服务月活动，表现突出",
                "参加工委组织的党建知识竞赛，获团体一等奖",
                "参加工委组织的“七一”歌咏比赛，获优秀组织奖",
                "承办工委“机关党建开放日”现场观摩活动",
            )
        elif gen.spec.bonus_grounds:
            options = gen.spec.bonus_grounds
        else:
            options = (
                "党建工作经验在全省推广（{m}月现场会）",
                "“{p}”党建品牌受到省委组织部通报表扬",
                "基层党建工作获市委主要领导批示肯定",
                "党组织被省委表彰为“先进基层党组织”",
            )
        return rng.choice(options).format(m=rng.randint(3, 11), p=rng.choice(PROJECT_NAMES)), doc
    name = level.name
    if level.per_occurrence:
        if any(k in name for k in ("会议", "交流", "推广")):
            return rng.choice(EXPERIENCES), f"会议议程及交流材料（{y}年{rng.randint(3, 12)}月）"
        return f"{name}党建信息", "刊发链接或版面复印件"
    if any(k in name for k in ("日报", "刊发", "网")):
        return (
            f"特色党建报道《{rng.choice(REPORT_TITLES)}》",
            f"{name.replace('刊发', '')}{y}年{rng.randint(2, 12)}月{rng.randint(1, 28)}日",
        )
    if any(k in name for k in ("电教片", "微电影", "微视频")):
        return f"党建微视频《{rng.choice(VIDEO_TITLES)}》", doc
    if "典型" in name:
        return f"党员{gen.person()}先进事迹", doc
    if any(k in name for k in ("项目", "调研", "文章")):
        if rng.random() < 0.5:
            return f"调研文章《{rng.choice(ARTICLE_TITLES)}》", doc
        return f"党建工作优秀项目“{rng.choice(PROJECT_NAMES)}”", doc
    return rng.choice(HONOURS), doc


def make_bonus(gen: Generator) -> None:
    scheme = gen.rubric.bonus
    if scheme is None or not scheme.items:
        return
    rng = gen.rng
    assessed = [u for u in gen.units if u.assessed]
    claims: dict[str, list[list[str]]] = {u.id: [] for u in assessed}
    how_many = {"clean": (1, 3), "light": (1, 3), "normal": (1, 2), "heavy": (1, 1)}
    for u in assessed:
        if rng.random() > gen.spec.bonus_share:
            continue
        low, high = how_many[u.profile]
        for _ in range(rng.randint(low, high)):
            claim(gen, u, rng.choice(scheme.items), claims[u.id])
    _same_subject(gen, scheme.items, assessed, claims)
    # Per-occurrence claims with a count (12 posts × 0.2).
    per_occ = [(i, lv) for i in scheme.items for lv in i.levels if lv.per_occurrence]
    if per_occ:
        cheapest = min(per_occ, key=lambda p: p[1].points)
        for n, u in enumerate(rng.sample(assessed, min(3, len(assessed)))):
            item, level = (
                cheapest if n == 0 else rng.choices(per_occ, [float(1 / (lv.points + 1) ** 2) for _, lv in per_occ])[0]
            )
            count = 12 if n == 0 else occurrences(gen, level)
            subject, evidence = bonus_subject(gen, item, level)
            if not any(r[5] == subject for r in claims[u.id]):
                claims[u.id].append(claim_row(gen, u, item, level, count, None, subject, evidence, ""))
    # One claim the office did not confirm.
    some = [u for u in assessed if claims[u.id]]
    if some:
        u = rng.choice(some)
        row = claim(gen, u, rng.choice(scheme.items), claims[u.id])
        row[6] = "无"
        row[7] = "否"
        row[8] = (
            "【内部】所报篇目中有转载稿件，经核实不属于本单位原创，不予认定"
            if row[3]
            else "【内部】未提供表彰文件原件，电话核实为下属单位所获荣誉，不予认定"
        )
    for u in gen.units:
        gen.bonus_rows.extend(claims.get(u.id, []))


def _same_subject(
    gen: Generator, items: Sequence[BonusItem], assessed: list[UnitRow], claims: dict[str, list[list[str]]]
) -> None:
    """Claims of one subject at two levels, or twice, which count once at the highest."""
    rng = gen.rng
    # The same subject at two levels counts once, at its higher level.
    once = [i for i in items if i.same_subject_once and len([lv for lv in i.levels if not lv.per_occurrence]) >= 2]
    if once:
        pick = [u for u in assessed if u.profile in ("clean", "light", "normal")]
        for u in rng.sample(pick, min(2, len(pick))):
            item = rng.choice(once)
            levels = sorted((lv for lv in item.levels if not lv.per_occurrence), key=lambda lv: -lv.points)
            low_level = levels[-1]
            high_level = levels[rng.randint(max(0, len(levels) - 3), len(levels) - 2)]
            subject, evidence = bonus_subject(gen, item, high_level)
            if any(r[5] == subject for r in claims[u.id]):
                continue
            claims[u.id].append(claim_row(gen, u, item, low_level, 1, None, subject, f"{gen.spec.office}表彰决定", ""))
            claims[u.id].append(claim_row(gen, u, item, high_level, 1, None, subject, evidence, ""))
    # The same experience promoted at two levels, or twice at one level, counts once at the highest.
    promoted = [i for i in items if i.same_subject_once and len([lv for lv in i.levels if lv.per_occurrence]) >= 2]
    if promoted:
        pick = [u for u in assessed if u.profile in ("clean", "light", "normal") and not claims[u.id]]
        for n, u in enumerate(rng.sample(pick, min(2, len(pick)))):
            item = promoted[0]
            levels = sorted((lv for lv in item.levels if lv.per_occurrence), key=lambda lv: -lv.points)
            low_level, high_level = levels[-1], levels[-2]
            subject, evidence = bonus_subject(gen, item, low_level)
            if n == 0:
                claims[u.id].append(claim_row(gen, u, item, low_level, 2, None, subject, evidence, ""))
            else:
                claims[u.id].append(claim_row(gen, u, item, low_level, 1, None, subject, evidence, ""))
                claims[u.id].append(claim_row(gen, u, item, high_level, 1, None, subject, evidence, ""))


def occurrences(gen: Generator, level: BonusLevel) -> int:
    if level.points <= Decimal("0.3"):
        return gen.rng.randint(5, 15)
    if level.points < 1:
        return gen.rng.randint(2, 4)
    return gen.rng.randint(1, 2)


def claim(gen: Generator, unit: UnitRow, item: BonusItem, rows: list[list[str]]) -> list[str]:
    rng = gen.rng
    taken = {r[5] for r in rows}
    row: list[str] = []
    for _ in range(10):
        if item.levels:
            weights = [float(1 / (lv.points + 1) ** 2) for lv in item.levels]
            level: BonusLevel | None = rng.choices(item.levels, weights)[0]
            assert level is not None
            count = occurrences(gen, level) if level.per_occurrence else 1
            amount = None
        else:
            level, count = None, 1
            low, high = item.min or ONE, item.max or ONE
            amount = dec_range(rng, low, high, step_for(high))
        subject, evidence = bonus_subject(gen, item, level)
        row = claim_row(gen, unit, item, level, count, amount, subject, evidence, "")
        if subject not in taken:
            break
    else:
        row[5] = f"{row[5]}（{rng.randint(2, 9)}月）"
    rows.append(row)
    return row


def claim_row(
    gen: Generator,
    unit: UnitRow,
    item: BonusItem,
    level: BonusLevel | None,
    count: int,
    amount: Decimal | None,
    subject: str,
    evidence: str,
    note: str,
) -> list[str]:
    level_text = (
        "" if level is None else label_for(level.name, level.id, gen.spec.english, (lv.name for lv in item.levels))
    )
    count_text = str(count) if level is not None and level.per_occurrence else ""
    amount_text = num_text(amount) if amount is not None else ""
    return [unit.id, item.id, level_text, count_text, amount_text, subject, evidence, "", note]


# -- penalties, vetoes, parts, self scores ---------------------------------------------------


def make_penalties(gen: Generator) -> None:
    rng = gen.rng
    taken: set[str] = set()
    for penalty_id, how_many in gen.spec.penalties:
        penalty = next(p for p in gen.rubric.penalties if p.id == penalty_id)
        # Fraud is found where the papers looked good; criticism falls on weaker units.
        wanted = ("light",) if penalty.can_remove_eligibility else ("normal", "heavy")
        pool = [u for u in gen.units if u.assessed and u.profile in wanted and u.id not in taken]
        for u in rng.sample(pool, min(how_many, len(pool))):
            taken.add(u.id)
            step = ONE if penalty.max - penalty.min >= 2 else HALF
            amount = dec_range(rng, penalty.min, penalty.max, step)
            month = rng.randint(3, 11)
            if penalty.can_remove_eligibility:
                removes = "是"
                reason = rng.choice(
                    (
                        f"{gen.year}年{month}月报送的自查材料虚报主题党日活动{rng.randint(3, 6)}次，经核查属实",
                        f"报送的党员学习培训时间与签到记录不符，{rng.randint(2, 4)}份会议记录系事后补写",
                    )
                )
            else:
                removes = ""
                reason = rng.choice(
                    (
                        f"{gen.year}年{month}月因基层党建工作推进不力被市委通报批评",
                        f"{gen.year}年{month}月所属党员干部违规操办婚宴，在网络造成不良影响",
                        f"{gen.year}年{month}月省委巡视反馈指出党建工作问题，被点名通报",
                        f"{gen.year}年{month}月党风廉政建设专项检查中被通报批评",
                    )
                )
            label = label_for(penalty.name, penalty.id, gen.spec.english, (p.name for p in gen.rubric.penalties))
            gen.penalty_rows.append([u.id, label, num_text(amount), reason, removes, ""])


def make_vetoes(gen: Generator) -> None:
    scheme = gen.rubric.vetoes
    if scheme is None or not gen.spec.vetoes:
        return
    rng = gen.rng
    types = gen.spec.veto_types
    pool = [
        u for u in gen.units if u.assessed and u.profile in ("light", "normal") and (not types or u.type.id in types)
    ]
    pool.sort(key=lambda u: u.profile != "light")
    chosen = rng.sample(pool[: max(gen.spec.vetoes * 2, 3)], min(gen.spec.vetoes, len(pool)))
    events = list(scheme.events)
    rng.shuffle(events)
    for u, event in zip(chosen, events, strict=False):
        date = f"{gen.year}-{rng.randint(2, 11):02d}-{rng.randint(1, 28):02d}"
        label = label_for(event.name, event.id, gen.spec.english, (e.name for e in scheme.events))
        reason = veto_reason(event.name, date, gen.person())
        gen.veto_rows.append([u.id, label, reason, date, "【内部】情况通报复印件存档，原件在纪检组"])


def make_parts(gen: Generator) -> None:
    rng = gen.rng
    for part in gen.rubric.parts:
        if part.source != "entered":
            continue
        full = part.full or Decimal(100)
        for u in gen.units:
            if not u.assessed:
                continue
            low = {"clean": 930, "light": 880, "normal": 820, "heavy": 720}[u.profile]
            value = (Decimal(rng.randint(low, 990)) / 1000 * full).quantize(Decimal("0.1"))
            label = label_for(part.name, part.id, gen.spec.english, (p.name for p in gen.rubric.parts))
            gen.part_rows.append([u.id, label, num_text(value), ""])


def make_self_scores(gen: Generator) -> None:
    rng = gen.rng
    for u in gen.units:
        if not u.assessed:
            continue
        every = gen.spec.self_score_categories
        if not every and rng.random() > gen.spec.self_score_share:
            continue
        tree = gen.trees[u.type.id]
        st = gen.states[u.id]
        nodes: list[TypedNode]
        if every:
            nodes = [c for c in tree if c.applicable]
        else:
            leaves = [n for n in walk_typed(tree) if n.applicable and not n.children]
            nodes = sorted(rng.sample(leaves, min(len(leaves), rng.randint(3, 6))), key=lambda n: gen.order[n.id])
        for node in nodes:
            lost = lost_under(gen, st, node)
            # Units rate themselves a little higher than the assessors do, often at full marks.
            own = min(node.points, node.points - lost + dec_range(rng, lost / 2, lost, step_for(node.points)))
            gen.self_rows.append([u.id, node.id, num_text(max(ZERO, own))])


def lost_under(gen: Generator, st: UnitState, node: TypedNode) -> Decimal:
    total = st.lost.get(node.id, ZERO)
    for child in node.children:
        total += lost_under(gen, st, child)
    return min(total, node.points)
