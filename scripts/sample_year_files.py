"""示例数据的读写：按办公室保存的编码改写结果文件，写出新表，并用项目自己的程序计分（见 sample_year.py）。"""

from __future__ import annotations

import csv
import io
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.data.csvread import decode, parse_table  # noqa: E402
from generator.data.pipeline import prepare  # noqa: E402
from generator.data.problems import Problems  # noqa: E402
from generator.data.tables import TABLES_BY_NAME  # noqa: E402
from generator.engine.outcome import AssessmentOutcome  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "某" * rng.randint(1, 2)


# --------------------------------------------------------------------------------------------


def read_rows(path: Path, name: str) -> list[dict[str, str]]:
    rows = parse_table(path.read_bytes(), path.name, TABLES_BY_NAME[name], Problems())
    return [dict(r.cells) for r in rows]


def rewrite(path: Path, name: str, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    """Overwrite a results file in its own encoding and line endings, with ``columns`` (Chinese headers)."""
    data = path.read_bytes()
    text, _ = decode(data)
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else ("utf-8" if _utf8(data) else "gbk")
    crlf = "\r\n" in text
    path.write_bytes(_csv(name, columns, rows, "\r\n" if crlf else "\n").encode(encoding))


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _csv(name: str, columns: Sequence[str], rows: Sequence[dict[str, str]], newline: str = "\n") -> str:
    table = TABLES_BY_NAME[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow([table.column(c).title for c in columns])
    writer.writerows([[r.get(c, "") for c in columns] for r in rows])
    return out.getvalue()


def write_new(folder: Path, name: str, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> Path:
    """A new table, UTF-8 (as the folder's README says of files it gives no encoding for)."""
    path = folder / f"{name}.csv"
    path.write_bytes(_csv(name, columns, rows).encode("utf-8"))
    return path


def outcome_of(rubric_id: str, folder: Path, without: Sequence[str] = ()) -> AssessmentOutcome | None:
    """Score ``folder`` (results of ``rubric_id``) with the project's own pipeline, in a scratch project; the
    files named in ``without`` are left out (the office's awards, before the votes behind them are written)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "rubrics").mkdir()
        shutil.copyfile(ROOT / "rubrics" / f"{rubric_id}.yml", root / "rubrics" / f"{rubric_id}.yml")
        shutil.copytree(
            folder, root / "results" / rubric_id, ignore=lambda _d, names: [n for n in names if n in without]
        )
        prepared = prepare(root, {rubric_id})
    if prepared.problems.has_errors():
        for problem in prepared.problems.sorted():
            print(problem, file=sys.stderr)
        raise SystemExit(f"{rubric_id}：生成的示例数据没有通过检查")
    return prepared.outcomes.get(rubric_id)
