"""Writing an assessment's sample results: the CSV tables as an office saves them, the awards the office
decides, the notice's particulars and the folder's README."""

from __future__ import annotations

import csv
import io
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from generator.data.pipeline import prepare
from generator.data.sample import MARKER
from generator.data.tables import TABLES_BY_NAME, Table
from generator.engine.models import Rubric
from samples import extras
from samples.generator import Generator
from samples.spec import UTF8, Fmt, Spec, UnitRow, label_for
from samples.year import year_files

ROOT = Path(__file__).resolve().parents[2]

#: Further sample files, each written by a function of the assessment's draw and its folder that returns
#: the files it wrote (the folder's README lists them). It runs after every other draw, so the files
#: above stay as they are. A new kind of sample file is a new module of this package, added here.
FURTHER_FILES: tuple[Callable[[Generator, Path], list[Path]], ...] = (year_files,)

ENTRY_NOTES = (
    "【内部】单位书记对此项有异议，已电话沟通，复核后维持",
    "【内部】照片材料在考核组王某处，未归档",
    "【内部】该单位去年同一问题已提醒，今年仍未整改",
    "【内部】据反映系原书记任内遗留问题，通报时注意措辞",
)
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gbk": "GBK"}


def write_table(
    path: Path, table: Table, columns: Sequence[str], rows: Iterable[Sequence[str]], how: Fmt, english: bool
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if how.crlf else "\n")
    writer.writerow([c if english else table.column(c).title for c in columns])
    for row in rows:
        writer.writerow(list(row))
    path.write_bytes(buffer.getvalue().encode(how.encoding))


def scored(rubric_id: str, out: Path) -> dict[str, tuple[Decimal, bool, str]]:
    """Score what has been written so far with the project's own pipeline: unit → (total, may be 先进, pool)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # Copies, not links: the loader reads only files that lie inside the project it is given.
        (root / "rubrics").mkdir()
        for path in (ROOT / "rubrics").glob(f"{rubric_id}.y*ml"):
            shutil.copyfile(path, root / "rubrics" / path.name)
        shutil.copytree(out / rubric_id, root / "results" / rubric_id)
        prepared = prepare(root, {rubric_id})
    if prepared.problems.has_errors() or rubric_id not in prepared.outcomes:
        for problem in prepared.problems.sorted():
            print(problem, file=sys.stderr)
        raise SystemExit(f"{rubric_id}：生成的结果没有通过检查")
    return {
        u.unit.id: (u.score.total, u.standing.eligible_for_advanced, u.standing.pool)
        for u in prepared.outcomes[rubric_id].units
        if u.score.assessed
    }


def generate(rubric: Rubric, spec: Spec, seed: int, out: Path) -> list[Path]:
    """One assessment's sample results, drawn and written to ``out/<id>/``; returns the files written."""
    gen = draw(rubric, spec, seed)
    folder = out / rubric.id
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.csv")):
        old.unlink()
    tables = Tables(folder, spec)
    write_units(tables, gen)
    write_entries(tables, gen)
    for name, filename, columns, rows in (
        (
            "bonus",
            "bonus.csv",
            ("unit", "bonus", "level", "count", "amount", "subject", "evidence", "confirmed", "note"),
            gen.bonus_rows,
        ),
        (
            "penalties",
            "penalties.csv",
            ("unit", "penalty", "amount", "reason", "removes_eligibility", "note"),
            gen.penalty_rows,
        ),
        ("vetoes", "vetoes.csv", ("unit", "veto", "reason", "date", "note"), gen.veto_rows),
        ("parts", "parts.csv", ("unit", "part", "score", "note"), gen.part_rows),
        ("self_scores", "self_scores.csv", ("unit", "item", "score"), gen.self_rows),
    ):
        if rows:
            tables.write(name, filename, columns, rows)
    write_awards(tables, gen, out)
    written = tables.written
    if spec.notice:
        notice = folder / "notice.yml"
        notice.write_text(spec.notice, encoding="utf-8")
        written.append(notice)
    for more in FURTHER_FILES:
        written += more(gen, folder)
    readme = folder / "README.md"
    readme.write_text(readme_text(rubric, spec, written), encoding="utf-8")
    written.append(readme)
    return written


def draw(rubric: Rubric, spec: Spec, seed: int) -> Generator:
    """The assessment's year drawn in memory: units, findings, then the unit-level tables, in this order."""
    gen = Generator(rubric, spec, seed)
    gen.make_units()
    for u in gen.units:
        if u.assessed:
            gen.earned(gen.states[u.id])
            if u.profile != "clean":
                gen.deductions(gen.states[u.id])
    gen.exhaust_one()
    if spec.zero_category:
        gen.zero_category()
    gen.cover_kinds()
    # A few entries carry a note for the office only.
    flat = [e for u in gen.units for e in gen.states[u.id].entries if e.value not in ("是", "否")]
    for entry, note in zip(gen.rng.sample(flat, min(len(ENTRY_NOTES), len(flat))), ENTRY_NOTES, strict=False):
        entry.note = note
    extras.make_bonus(gen)
    extras.make_penalties(gen)
    extras.make_vetoes(gen)
    extras.make_parts(gen)
    extras.make_self_scores(gen)
    return gen


class Tables:
    """An assessment's results folder as the generator writes it: each table in its office's format."""

    def __init__(self, folder: Path, spec: Spec) -> None:
        self.folder, self.spec = folder, spec
        self.written: list[Path] = []

    def write(self, name: str, filename: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        path = self.folder / filename
        write_table(path, TABLES_BY_NAME[name], columns, rows, self.spec.formats.get(name, UTF8), self.spec.english)
        self.written.append(path)


def write_units(tables: Tables, gen: Generator) -> None:
    english = gen.spec.english
    # A clerk writes every type the same way: names, or codes when some name cannot be written as is.
    type_codes = english or any(label_for(t.name, t.id, False) == t.id for t in gen.rubric.unit_types)
    members = ("members",) if gen.per_member else ()
    columns = ("id", "name", "abbr", "type", "group", "parent", "status", "status_note", *members, "contact", "phone")
    rows = [
        [u.id, u.name, u.abbr, u.type.id if type_codes else u.type.name, u.group, u.parent, status_text(u, english)]
        + [u.status_note]
        + ([str(u.members) if u.members is not None else ""] if gen.per_member else [])
        + [u.contact, u.phone]
        for u in gen.units
    ]
    tables.write("units", "units.csv", columns, rows)


def write_entries(tables: Tables, gen: Generator) -> None:
    """entries.csv, or one file per 联络组 where the office splits them."""
    columns = (
        ["unit", "item", "rule", "value", "amount", "reason"]
        + (["assessor"] if gen.spec.assessor_names else [])
        + ["note"]
    )

    def entry_rows(units: Sequence[UnitRow]) -> list[list[str]]:
        rows = []
        for u in units:
            for e in sorted(gen.states[u.id].entries, key=lambda e: e.order):
                cells = {
                    "unit": e.unit,
                    "item": e.item,
                    "rule": e.rule,
                    "value": e.value,
                    "amount": e.amount,
                    "reason": e.reason,
                    "assessor": e.assessor,
                    "note": e.note,
                }
                rows.append([cells[c] for c in columns])
        return rows

    if not gen.spec.split_entries:
        tables.write("entries", "entries.csv", columns, entry_rows(gen.units))
        return
    for group in dict.fromkeys(u.group for u in gen.units):
        members = [u for u in gen.units if u.group == group and gen.states[u.id].entries]
        if members:
            tables.write("entries", f"entries-{group.replace('联络', '')}.csv", columns, entry_rows(members))


def write_awards(tables: Tables, gen: Generator, out: Path) -> None:
    """先进 decided by the office (where the rubric says so) among the units the rubric allows: the best few
    of each pool, as scored by the project's own pipeline from the tables written so far."""
    rubric, spec = gen.rubric, gen.spec
    grading = rubric.grading
    if grading is None or grading.advanced != "decision":
        return
    standings = scored(rubric.id, out)
    position = {u.id: i for i, u in enumerate(gen.units)}
    chosen: set[str] = set()
    for pool in dict.fromkeys(v[2] for v in standings.values()):
        eligible = [(total, uid) for uid, (total, ok, p) in standings.items() if p == pool and ok]
        eligible.sort(key=lambda m: (-m[0], position[m[1]]))
        size = sum(1 for v in standings.values() if v[2] == pool)
        chosen.update(uid for _, uid in eligible[: max(1, round(size * spec.award_share))])
    label = "advanced" if spec.english else grading.labels.get("advanced", "先进单位")
    basis = spec.award_basis.format(y=rubric.year, ny=rubric.year + 1)
    rows = [[u.id, label, basis, ""] for u in gen.units if u.id in chosen]
    if rows:
        rows[0][3] = "【内部】名单经书记办公会同意，公示期内无异议"
        tables.write("awards", "awards.csv", ("unit", "grade", "reason", "note"), rows)


def status_text(u: UnitRow, english: bool) -> str:
    if not english:
        return u.status
    return {"已考核": "assessed", "不参加考核": "not_assessed"}.get(u.status, "")


def readme_text(rubric: Rubric, spec: Spec, files: Sequence[Path]) -> str:
    lines = [
        f"# {rubric.title}：考核结果（示例数据）",
        "",
        f"{MARKER}：单位名称、扣分情况、加分、否决事项、联系人和电话等全部是虚构的，不反映任何单位的真实情况。",
        "",
        f"本目录由 `scripts/make_results.py` 按细则 `rubrics/{rubric.id}.yml` 生成；上面一行以“{MARKER}”开头，"
        "网站的每一页和每个下载文件都据此标明“示例数据”。真实的考核结果不要写这一行。",
        "请勿手工修改：修改生成程序后重新运行，`tests/test_sample_data.py` 检查两者一致。",
        "",
        "| 文件 | 内容 | 编码 |",
        "| --- | --- | --- |",
    ]
    for path in files:
        table = next((t for t in TABLES_BY_NAME.values() if path.name.startswith(t.prefix)), None)
        if table is None:
            continue
        how = spec.formats.get(table.name, UTF8)
        lines.append(
            f"| {path.name} | {table.title} | {ENCODING_NAMES[how.encoding]}{'，CRLF 换行' if how.crlf else ''} |"
        )
    if spec.english:
        lines += ["", "本考核的表头用英文列名（id、unit、item……），单位类型、加分级别等也填代码。"]
    lines.append("")
    return "\n".join(lines)
