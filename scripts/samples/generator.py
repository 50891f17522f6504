"""One assessment's sample year: its units, and the findings drawn for them from the rubric's rules.

Each rule's kind makes its own findings (:meth:`generator.engine.rules.base.Rule.sample`); this module
decides which unit loses how much, on which rules, and words the reasons.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

from generator.engine.models import Rubric, UnitType
from generator.engine.rules.base import Rule
from generator.engine.tree import TypedNode, node_index, parent_index, typed_tree, walk_typed
from samples.draw import Draw, Entry, Slot, UnitState
from samples.spec import Spec, UnitRow, _resolve_type, abbreviation
from samples.topics import phrases_for
from samples.words import (
    HALVES,
    PROJECT_NAMES,
    QUARTERS,
    SURNAMES,
    VERIFIED,
    activity_name,
    base_phrase,
    chinese_quotes,
    content_phrase,
    subject_of,
)

ZERO = Decimal(0)
ONE = Decimal(1)


def weight(rule: Rule) -> int:
    """How often findings of the rule's kind are drawn, beside the others."""
    return rule.SAMPLE.weight if rule.SAMPLE is not None else 0


class Generator:
    """One assessment's year, built up in memory and then written out by :func:`generate`.

    Every assessed unit gets a profile: ``clean`` (loses nothing), ``light``, ``normal`` or ``heavy``;
    findings are drawn from the rules that apply to its unit type, weighted by kind, until the unit
    has lost about its budget, never more than an item is worth (except once, to show 扣完为止).
    All randomness comes from one ``random.Random`` seeded with the seed and the assessment id.
    """

    def __init__(self, rubric: Rubric, spec: Spec, seed: int) -> None:
        self.rubric = rubric
        self.spec = spec
        self.seed = seed
        self.rng = random.Random(f"{seed}/{rubric.id}")
        self.year = rubric.year
        self.trees = {t.id: typed_tree(rubric, t.id) for t in rubric.unit_types}
        self.slots = {t.id: self._slots(t) for t in rubric.unit_types}
        self.order: dict[str, int] = {}
        for t in rubric.unit_types:
            for n in walk_typed(self.trees[t.id]):
                self.order.setdefault(n.id, len(self.order))
        index = node_index(rubric)
        parents = parent_index(rubric)
        self.parent_title = {
            nid: chinese_quotes(index[pid].title).replace(" ", "，") if pid else "" for nid, pid in parents.items()
        }
        #: The department that assesses each item (考核单位), inherited from the nearest ancestor.
        self.assessor: dict[str, str] = {}
        for nid in parents:
            current: str | None = nid
            while current is not None and not index[current].assessor:
                current = parents[current]
            self.assessor[nid] = index[current].assessor if current is not None else ""
        self.units: list[UnitRow] = []
        self.states: dict[str, UnitState] = {}
        self.bonus_rows: list[list[str]] = []
        self.penalty_rows: list[list[str]] = []
        self.veto_rows: list[list[str]] = []
        self.part_rows: list[list[str]] = []
        self.self_rows: list[list[str]] = []
        self.people = self._people()
        #: The rubric sets a target per member somewhere: the registry records each unit's 成员人数.
        self.per_member = any(
            rule.needs_members() for t in rubric.unit_types for n in walk_typed(self.trees[t.id]) for _, rule in n.rules
        )

    # -- units --------------------------------------------------------------------------------

    def _people(self) -> list[str]:
        rng = random.Random(f"people/{self.rubric.id}")
        names = [s + rng.choice(("某", "某某")) for s in SURNAMES]
        rng.shuffle(names)
        return names

    def person(self) -> str:
        return self.rng.choice(self.people)

    def make_units(self) -> None:
        spec = self.spec
        for index, (name, hint, group, parent) in enumerate(spec.registry, start=1):
            unit_type = _resolve_type(self.rubric, hint)
            uid = spec.id_of(index, group, unit_type.id)
            phone = f"{spec.phone_prefix}-8888{index:04d}"
            contact = self.people[index % len(self.people)]
            members = self.rng.randint(5, 11) if self.per_member else None
            self.units.append(
                UnitRow(uid, name, unit_type, group, parent, contact, phone, abbr=abbreviation(name), members=members)
            )
        by_name = {u.name: u for u in self.units}
        for name, note in spec.not_assessed:
            by_name[name].status = "不参加考核"
            by_name[name].status_note = note
        assessed = [u for u in self.units if u.assessed]
        order = list(assessed)
        self.rng.shuffle(order)
        n = len(order)
        clean = 2 if n >= 8 else 1
        heavy = max(1, n // 8)
        light = max(1, n // 4)
        for i, u in enumerate(order):
            if i < clean:
                u.profile = "clean"
            elif i < clean + heavy:
                u.profile = "heavy"
            elif i < clean + heavy + light:
                u.profile = "light"
            if u.profile == "clean" or spec.status_for_all:
                u.status = "已考核"
        if spec.severe_types:
            worst = next(u for u in order if u.profile in ("heavy", "normal") and u.type.id in spec.severe_types)
            worst.profile, worst.severe = "heavy", True
        for name in spec.severe_names:
            unit = next(u for u in self.units if u.name == name)
            unit.profile, unit.severe = "heavy", True
            if unit.status == "已考核" and not spec.status_for_all:
                unit.status = ""
        for u in self.units:
            self.states[u.id] = UnitState(u)

    # -- rules --------------------------------------------------------------------------------

    def _slots(self, unit_type: UnitType) -> list[Slot]:
        out: list[Slot] = []
        default = self.rubric.defaults.leaf_rule
        for category in self.trees[unit_type.id]:
            for typed in walk_typed((category,)):
                if not typed.applicable or not typed.rules:
                    continue
                for rid, rule in typed.rules:
                    if not rule.scores_type(self.rubric, unit_type.id):
                        continue
                    out.append(
                        Slot(
                            typed,
                            category.id,
                            rid,
                            rule,
                            len(typed.rules) > 1,
                            rule is default and not typed.node.rules,
                        )
                    )
        return out

    def scale(self, unit_type: UnitType) -> Decimal:
        total = sum((n.points for n in self.trees[unit_type.id] if n.applicable), ZERO)
        return total / 100 if total else ONE

    # -- wording ------------------------------------------------------------------------------

    def meeting(self, unit_type: UnitType) -> str:
        for key, word in self.spec.meeting_word.items():
            if key == unit_type.id or key in unit_type.name:
                return word
        name = unit_type.name
        if "总支" in name:
            return "总支委员会"
        if "支部" in name:
            return "支委会"
        if "党委" in name:
            return "党委会"
        return "党组（党委）会议"

    def words(self, st: UnitState, slot: Slot, **extra: object) -> dict[str, object]:
        rng = self.rng
        m = rng.randint(1, 10)
        m2 = rng.randint(m + 1, 12)
        rule = slot.rule
        node = slot.node.node
        months = extra.get("months", 1)
        assert isinstance(months, int)
        end = self.year * 12 + 12 - months  # the month the term ended, counted in months from year 0
        n = rng.randint(2, 5)
        title = chinese_quotes(node.title)
        if re.match(r"^第\d+项$", title):
            # An unnamed clause: its content when short, else the indicator it belongs to.
            base = content_phrase(node.content)
            if not base or len(base) > 20:
                base = f"{self.parent_title[node.id]}（{title}）"
        elif slot.default:
            base = subject_of(title)
        else:
            base = base_phrase(rule.text, title)
        elements = str(extra.get("elements", ""))
        ctx: dict[str, object] = {
            "y": self.year,
            "ny": self.year + 1,
            "m": m,
            "m2": m2,
            "d": rng.randint(1, 28),
            "q": rng.choice(QUARTERS),
            "half": rng.choice(HALVES),
            "person": self.person(),
            "person2": self.person(),
            "n": n,
            "k": rng.randint(1, n - 1),
            "org": st.unit.type.name if len(st.unit.type.name) <= 4 else "党组织",
            "meeting": self.meeting(st.unit.type),
            "place": self.spec.place_word.get(st.unit.type.id, "所属党组织"),
            "title": title,
            "subject": subject_of(title),
            "base": base,
            "unit": getattr(rule, "unit", "次"),
            "what": activity_name(rule, self.rubric, title),
            "measure": getattr(rule, "measure", "比率"),
            "project": rng.choice(PROJECT_NAMES),
            "ey": (end - 1) // 12,
            "em": (end - 1) % 12 + 1,
            "months": months,
            "done": "",
            "target": "",
            "missing": "",
            "rate": "",
            "threshold": "",
            "elements_bare": "、".join(re.sub(r"^有", "", e) for e in elements.split("、")),
        }
        ctx.update(extra)
        return ctx

    def reason(self, st: UnitState, slot: Slot, family: str, **extra: object) -> str:
        options = VERIFIED if slot.default else phrases_for(family, slot.rule, slot.node.node.title)
        fresh = [o for o in options if (slot.node.id, o) not in st.templates] or list(options)
        text = ""
        for attempt in range(12):
            template = self.rng.choice(fresh if attempt < 6 else options)
            text = template.format(**self.words(st, slot, **extra))
            if text not in st.reasons:
                st.reasons.add(text)
                st.templates.add((slot.node.id, template))
                return text
        text = f"{text}（另{len(st.reasons)}）"
        st.reasons.add(text)
        return text

    # -- findings -----------------------------------------------------------------------------

    def add(self, st: UnitState, slot: Slot, value: str, amount: str, reason: str, loss: Decimal) -> None:
        assessor = ""
        names = self.spec.assessor_names
        if self.spec.assessor_from_rubric and self.assessor.get(slot.node.id):
            assessor = f"{self.assessor[slot.node.id]}考核组"
        elif names and self.spec.assessor_by_group:
            groups = list(dict.fromkeys(u.group for u in self.units))
            assessor = names[groups.index(st.unit.group) % len(names)]
        elif names:
            assessor = names[self.order[slot.category] % len(names)]
        st.entries.append(
            Entry(
                st.unit.id,
                slot.node.id,
                slot.rule_id if slot.write_rule else "",
                value,
                amount,
                reason,
                assessor,
                order=(self.order[slot.node.id], [rid for rid, _ in slot.node.rules].index(slot.rule_id)),
            )
        )
        st.lost[slot.node.id] = st.lost.get(slot.node.id, ZERO) + loss
        st.used[slot.key] = st.used.get(slot.key, 0) + 1
        st.total += loss

    def finding(self, st: UnitState, slot: Slot, room: Decimal, *, exhaust: bool = False) -> Decimal | None:
        """Record one finding on ``slot`` losing at most ``room`` points (the rule's kind draws it); returns
        the points lost, or None when no finding fits."""
        return slot.rule.sample(Draw(self, st, slot, room, exhaust=exhaust))

    def earned(self, st: UnitState) -> None:
        """Rules that earn points: most units did the work; weaker ones did not."""
        chance = {"clean": 1.0, "light": 0.9, "normal": 0.75, "heavy": 0.35}[st.unit.profile]
        for slot in self.slots[st.unit.type.id]:
            if slot.rule.EARNS:
                slot.rule.sample(Draw(self, st, slot, ZERO, chance=chance))

    def budget(self, unit: UnitRow) -> Decimal:
        low, high = {"clean": (0, 0), "light": (1, 4), "normal": (3, 10), "heavy": (13, 22)}[unit.profile]
        if unit.severe:
            low, high = 27, 32
        return Decimal(self.rng.randint(low * 2, high * 2)) / 2 * self.scale(unit.type)

    def deductions(self, st: UnitState) -> None:
        heavy = st.unit.profile == "heavy"
        slots = [s for s in self.slots[st.unit.type.id] if (hint := s.rule.SAMPLE) and (heavy or not hint.heavy_only)]
        if not slots:
            return
        weights = [weight(s.rule) for s in slots]
        goal = self.budget(st.unit)
        slack = self.scale(st.unit.type)
        tries = 0
        while st.total < goal and tries < 300:
            tries += 1
            slot = self.rng.choices(slots, weights)[0]
            room = min(slot.node.points - st.lost.get(slot.node.id, ZERO), goal - st.total + slack)
            if room > 0:
                self.finding(st, slot, room)

    def exhaust_one(self) -> None:
        """One heavy unit loses more on an item than it is worth (直至扣完 / 扣完为止)."""
        for u in self.units:
            if u.profile != "heavy":
                continue
            st = self.states[u.id]
            slots = [
                s
                for s in self.slots[u.type.id]
                if (cost := s.rule.repeat_cost()) is not None
                and st.lost.get(s.node.id, ZERO) == 0
                and cost * 2 <= s.node.points
            ]
            slots.sort(key=lambda s: (not s.node.node.until_exhausted, self.order[s.node.id]))
            if not slots:
                continue
            slot = slots[0]
            while st.lost.get(slot.node.id, ZERO) <= slot.node.points:
                if self.finding(st, slot, slot.node.points) is None:
                    break
            return

    def zero_category(self) -> None:
        """A unit loses every point of one category (某一大类别未得分)."""
        st = next(self.states[u.id] for u in self.units if u.profile == "heavy")
        tree = self.trees[st.unit.type.id]

        def hard(category: TypedNode) -> int:
            count = 0
            for typed in walk_typed((category,)):
                if (
                    typed.applicable
                    and typed.rules
                    and not any(rule.takes_whole(typed.points) for _, rule in typed.rules)
                ):
                    count += 1
            return count

        category = min((c for c in tree if c.applicable), key=lambda c: (hard(c), c.points, self.order[c.id]))
        for typed in walk_typed((category,)):
            if not typed.applicable or not typed.rules:
                continue
            slots = [s for s in self.slots[st.unit.type.id] if s.node.id == typed.id and not s.rule.EARNS]
            slots.sort(key=lambda s: (not s.rule.takes_whole(typed.points), -weight(s.rule)))
            for slot in slots:
                room = typed.points - st.lost.get(typed.id, ZERO)
                if room <= 0:
                    break
                self.finding(st, slot, room, exhaust=True)

    def cover_kinds(self) -> None:
        """Every rule kind of the rubric shows up somewhere in the entries."""
        drawn = {type(s.rule) for ss in self.slots.values() for s in ss if s.rule.SAMPLE is not None}
        kinds = sorted(drawn, key=lambda kind: kind.SAMPLE.cover if kind.SAMPLE is not None else 0)
        seen = {type(self.slot_of(e).rule) for st in self.states.values() for e in st.entries}
        for kind in kinds:
            if kind in seen:
                continue
            candidates = [self.states[u.id] for u in self.units if u.assessed and u.profile in ("normal", "heavy")]
            self.rng.shuffle(candidates)
            for st in candidates:
                if any(self._cover(st, slot) for slot in self.slots[st.unit.type.id] if type(slot.rule) is kind):
                    break

    def _cover(self, st: UnitState, slot: Slot) -> bool:
        room = slot.node.points - st.lost.get(slot.node.id, ZERO)
        return room > 0 and self.finding(st, slot, room) is not None

    def slot_of(self, entry: Entry) -> Slot:
        st = self.states[entry.unit]
        for slot in self.slots[st.unit.type.id]:
            if slot.node.id == entry.item and (slot.rule_id == entry.rule or not entry.rule):
                return slot
        raise KeyError(entry)
