#!/usr/bin/env python3
"""生成示例考核结果：为 rubrics/ 中的每份细则写出一个考核年度的结果表（results/<考核代码>/*.csv）。

单位名称、扣分情况、加分、否决事项等全部是虚构的示例数据，用来演示和测试网站；
它们按细则本身生成（用项目自己的 generator.data.load / generator.data.check 读取细则），所以细则改了，
重新运行即可得到相符的结果。同一种子生成的文件逐字节相同。

    .venv/bin/python scripts/make_results.py              # 全部细则，写入 results/
    .venv/bin/python scripts/make_results.py --only wujin-2017
    .venv/bin/python scripts/make_results.py --seed 7 --out /tmp/results

生成程序在 scripts/samples/ 中：各考核的单位名册、文件编码和表头写法见 assessments.py 的 SPECS；
每种评分规则的示例扣分由规则种类自己生成（generator/engine/rules/ 中各规则的 sample）；扣分原因由细则的
评分标准原文（去掉“扣N分”）加上具体情况（日期、次数、人员）写成，常见事项有专门的措辞（topics.py）。
新的一类示例文件写成 scripts/samples/ 中的一个模块，加入 write.py 的 FURTHER_FILES。
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "scripts"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from samples.assessments import SPECS  # noqa: E402
from samples.write import generate  # noqa: E402

from generator.data.check import check_rubric  # noqa: E402
from generator.data.load import load_rubric  # noqa: E402
from generator.data.problems import Problems  # noqa: E402
from generator.engine.models import Rubric  # noqa: E402

DEFAULT_SEED = 2024


def load_checked(path: Path) -> tuple[Rubric | None, Problems]:
    """Read and check one rubric with the project's loader and checker."""
    problems = Problems()
    rubric = load_rubric(path, ROOT, problems)
    if rubric is not None:
        check_rubric(rubric, problems)
    return (None if problems.has_errors() else rubric), problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="为 rubrics/ 中的细则生成示例考核结果（results/<考核代码>/）。")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）；同一种子生成的文件逐字节相同"
    )
    parser.add_argument("--only", action="append", metavar="ID", help="只生成这份考核（可重复）")
    parser.add_argument("--out", default=str(ROOT / "results"), help="输出目录（默认 results/）")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for rid in args.only or sorted(SPECS):
        if rid not in SPECS:
            print(f"{rid}：本程序没有这份考核的单位名册（SPECS）", file=sys.stderr)
            status = 1
            continue
        path = ROOT / "rubrics" / f"{rid}.yml"
        if not path.exists():
            print(f"{rid}：细则 rubrics/{rid}.yml 不存在，跳过", file=sys.stderr)
            status = 1
            continue
        rubric, problems = load_checked(path)
        if rubric is None:
            print(f"{rid}：细则有 {len(problems.errors)} 个错误，跳过（运行 kaoping check 查看）", file=sys.stderr)
            status = 1
            continue
        files = generate(rubric, SPECS[rid], args.seed, out)
        print(f"{rid}：写入 {len(files)} 个文件 → {out / rid}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
