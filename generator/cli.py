"""The command line: ``kaoping check``, ``kaoping score`` and the commands of later steps.

Messages are for the clerk who keeps the data: each names the file, line and column, what is wrong
and what to do. No Python traceback reaches the user unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from generator.data.load import assessment_ids, known_assessments
from generator.data.pipeline import Prepared, prepare
from generator.data.problems import (
    EXIT_DATA,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    Problems,
    os_error_words,
)
from generator.site.export import assessment_data, to_json, unit_data


def report(problems: Problems, *, stream: object = None) -> None:
    out = stream or sys.stderr
    for problem in problems.sorted():
        print(problem, file=out)  # type: ignore[arg-type]
    errors, warnings = len({p for p in problems.errors}), len({p for p in problems.warnings})
    if errors or warnings:
        print(f"\n共 {errors} 个错误，{warnings} 个警告。", file=out)  # type: ignore[arg-type]


def _prepare(args: argparse.Namespace) -> Prepared | None:
    only = set(args.assessment) if getattr(args, "assessment", None) else None
    if isinstance(only, set) and "" in only:
        only.discard("")
    prepared = prepare(Path(args.root), only)
    report(prepared.problems)
    if prepared.problems.has_errors():
        print("数据有错误，未继续。改正上面列出的错误后再运行。", file=sys.stderr)
        return None
    return prepared


def cmd_check(args: argparse.Namespace) -> int:
    from generator.data.provenance import report_lines, strict_problems, strict_sample

    asked = [a for a in args.assessment if a]
    unknown = [a for a in dict.fromkeys(asked) if a not in assessment_ids(Path(args.root))]
    if unknown:
        print(
            f"没有考核 {'、'.join(unknown)}：rubrics/ 中没有这份细则。已有的考核：{known_assessments(Path(args.root))}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    prepared = _prepare(args)
    if prepared is None:
        return EXIT_DATA
    if getattr(args, "strict", False):
        strict = Problems()
        for rubric, _file in prepared.project.rubrics.values():
            strict_problems(rubric, strict)
        for outcome in prepared.outcomes.values():
            if outcome.sample is not None:
                strict_sample(outcome.sample, strict)
        if strict.has_errors():
            report(strict)
            print("按正式考核的要求（--strict）检查未通过：细则中有补充的内容，或考核结果是示例数据。", file=sys.stderr)
            return EXIT_DATA
    rubrics = len(prepared.project.rubrics)
    units = sum(len(o.units) for o in prepared.outcomes.values())
    print(f"检查通过：{rubrics} 份细则，{len(prepared.outcomes)} 份考核结果，{units} 个单位。")
    print("来源（原文：照录原文件；补充：原文件没有规定；解读：考核办公室对原文件的理解）：")
    for _rid, (rubric, _file) in sorted(prepared.project.rubrics.items()):
        for line in report_lines(rubric):
            print("  " + line)
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from generator.office.outputfile import OutputRefused, check_output, write_output

    target = None
    if args.output:  # refused before any work: an existing file, the office's folders, a FIFO …
        example = f"{args.unit or args.assessment_id}.{'json' if args.unit else args.format}"
        try:
            target = check_output(Path(args.root), Path(args.output), force=args.force, example=example)
        except OutputRefused as exc:
            print(f"{exc}。", file=sys.stderr)
            return EXIT_USAGE
    args.assessment = [args.assessment_id]
    prepared = _prepare(args)
    if prepared is None:
        return EXIT_DATA
    outcome = prepared.outcomes.get(args.assessment_id)
    if outcome is None:
        # Only the asked-for assessment was loaded; list every rubric on disk instead.
        print(f"没有考核 {args.assessment_id} 的结果。已有的考核：{known_assessments(Path(args.root))}", file=sys.stderr)
        return EXIT_USAGE
    if args.unit:
        found = [u for u in outcome.units if u.unit.id == args.unit]
        if not found:
            print(f"考核 {args.assessment_id} 中没有单位 {args.unit}。", file=sys.stderr)
            return EXIT_USAGE
        text = to_json(unit_data(found[0]))
    elif args.format == "json":
        text = to_json(assessment_data(outcome))
    else:
        from generator.site.downloads import results_frame

        # The same guard as the site's downloads: a unit name such as "=HYPERLINK(…)" stays text in Excel.
        text = results_frame(outcome).to_csv(index=False, lineterminator="\n")
    if target is not None:
        data = text.encode("utf-8-sig" if args.format == "csv" and not args.unit else "utf-8")
        try:
            write_output(target, data, replace=args.force)
        except OutputRefused as exc:
            print(f"{exc}。", file=sys.stderr)
            return EXIT_USAGE
        except OSError as exc:
            print(f"无法写入 {args.output}：{os_error_words(exc)}。", file=sys.stderr)
            return EXIT_USAGE
        print(f"已写入 {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from generator.site.build import BuildError, Plan, Progress, build
    from generator.site.shards import ShardError, parse_spec

    progress = Progress(quiet=args.quiet)
    access = Path(args.access) if args.access else None
    try:
        plan = Plan(shard=parse_spec(args.shard) if getattr(args, "shard", None) else None,
                    merge=getattr(args, "merge", False))
    except ShardError as exc:
        print(f"{exc}。", file=sys.stderr)
        return EXIT_USAGE
    if plan.shard is not None and access is not None:
        print("--shard 与 --access 不能同时使用：先合并（kaoping merge --access 账号文件）。", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = build(Path(args.root), progress=progress, strict=not args.no_strict, report=report, access=access,
                       plan=plan)
    except BuildError as exc:
        print(f"生成失败：{exc}\n原来的 site/ 没有改动。", file=sys.stderr)
        return EXIT_DATA
    if not result.ok:
        print("数据有错误，网站没有生成；原来的 site/ 没有改动。改正上面列出的错误后再运行。", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK


def cmd_sheet(args: argparse.Namespace) -> int:
    from generator.office.sheets import write_sheet

    return write_sheet(Path(args.root), args.assessment_id, Path(args.output) if args.output else None, force=args.force)


def cmd_import(args: argparse.Namespace) -> int:
    from generator.office.sheetimport import import_sheet

    return import_sheet(Path(args.root), Path(args.file), args.assessment, force=args.force)


def cmd_new(args: argparse.Namespace) -> int:
    from generator.office.newyear import start_year

    return start_year(Path(args.root), args.year, source=args.source, new_id=args.id)


def cmd_publish(args: argparse.Namespace) -> int:
    from generator.office.publish import publish

    return publish(Path(args.root), Path(args.destination), force=args.force)


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.site.serve import serve

    serve(Path(args.root), args.host, args.port, report)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kaoping",
        description="考评：党建工作目标管理考核的细则、评分结果与通报。",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help="项目目录（含 rubrics/ 和 results/），默认当前目录")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="出现内部错误时显示 Python 调用栈")
    p.add_argument("--root", default=".", help="项目目录（含 rubrics/ 和 results/），默认当前目录")
    p.add_argument("--debug", action="store_true", help="出现内部错误时显示 Python 调用栈")
    sub = p.add_subparsers(dest="command", metavar="命令")

    c = sub.add_parser("check", parents=[common], help="检查细则和考核结果，有错误时退出码非 0", description="检查 rubrics/ 中的细则和 results/ 中的考核结果。每个问题写明文件、行、列和处理办法。")
    c.add_argument("assessment", nargs="*", help="只检查这些考核（细则 id），默认全部")
    c.add_argument(
        "--strict",
        action="store_true",
        help="按正式考核的要求检查：细则中不能有补充的内容，考核结果不能是示例数据",
    )
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("score", parents=[common], help="计算一项考核的得分、名次和等次", description="计算一项考核每个单位的得分、名次和等次，输出 CSV 或 JSON。")
    s.add_argument("assessment_id", metavar="考核代码", help="细则 id，例如 wujin-2017")
    s.add_argument("--format", choices=("csv", "json"), default="csv", help="输出格式：csv（每单位一行）或 json（完整的逐项得分）")
    s.add_argument("--unit", help="只输出这个单位的完整得分（JSON）")
    s.add_argument("-o", "--output", help="写入文件，默认输出到屏幕；文件已存在时不覆盖，不写入 rubrics/、results/、access/、.git")
    s.add_argument("--force", action="store_true", help="覆盖已存在的输出文件（rubrics/、results/、access/、.git 中的文件仍不覆盖）")
    s.set_defaults(func=cmd_score)

    b = sub.add_parser("build", parents=[common], help="检查、计分并生成网站到 site/", description="检查、计分，生成全部页面，再用 MkDocs 生成网站到 site/。数据有错误时不生成，原来的 site/ 保持不变。")
    b.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    b.add_argument("--no-strict", action="store_true", help="MkDocs 的警告不算失败（默认算失败）")
    b.add_argument(
        "--access",
        metavar="账号文件",
        help="各单位只能看本单位页面：按这个账号文件（不发布）另外生成 nginx 配置和密码文件，见使用说明",
    )
    b.add_argument(
        "--shard",
        metavar="K/N",
        help="只生成第 K 份单位页面（共 N 份，同一排名组在同一份中）到 shards/K/，不改动 site/；全部生成后用 kaoping merge 合并",
    )
    b.set_defaults(func=cmd_build)

    m = sub.add_parser("merge", parents=[common], help="把 kaoping build --shard 生成的各份单位页面合并成网站", description="读取 shards/ 中各份单位页面，生成其余页面、下载文件和搜索索引，合并成与一次生成完全相同的网站到 site/。")
    m.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    m.add_argument("--no-strict", action="store_true", help="MkDocs 的警告不算失败（默认算失败）")
    m.add_argument("--access", metavar="账号文件", help="同 kaoping build --access")
    m.set_defaults(func=cmd_build, merge=True)

    v = sub.add_parser("serve", parents=[common], help="本机预览网站，数据修改后自动更新", description="在本机预览网站。修改并保存细则、考核结果或模板后，预览自动重新生成并刷新浏览器；不改动 site/。")
    v.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
    v.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
    v.set_defaults(func=cmd_serve)

    h = sub.add_parser("sheet", parents=[common], help="生成一项考核的 Excel 评分表，供考核组填写", description="为一项考核生成 Excel 评分表：每个联络组一张工作表，单位和指标按细则顺序列好，扣分、情况、原因和自查分留给考核组填写。")
    h.add_argument("assessment_id", metavar="考核代码", help="细则 id，例如 wujin-2017")
    h.add_argument("-o", "--output", help="评分表文件名，默认为 考核代码-评分表.xlsx；文件已存在时不覆盖，不写入 rubrics/、results/、access/、.git")
    h.add_argument("--force", action="store_true", help="覆盖已存在的评分表（rubrics/、results/、access/、.git 中的文件仍不覆盖）")
    h.set_defaults(func=cmd_sheet)

    i = sub.add_parser("import", parents=[common], help="把填好的评分表读回 results/ 的 CSV 文件", description="读取填好的评分表（或另存的 CSV），逐格检查，写入 results/考核代码/ 的 CSV 文件。已有不同的数据时不覆盖，除非加 --force。")
    i.add_argument("file", metavar="评分表", help="填好的 .xlsx 评分表，或按同一格式另存的 .csv")
    i.add_argument("--assessment", metavar="考核代码", help="考核代码；不写则读评分表中记下的代码")
    i.add_argument("--force", action="store_true", help="覆盖 results/ 中已有的不同数据")
    i.set_defaults(func=cmd_import)

    n = sub.add_parser("new", parents=[common], help="以最近一年的细则和单位名册开始新一年度的考核", description="复制最近一项考核（或 --from 指定的考核）的细则和单位名册，开始新一年度的考核。")
    n.add_argument("year", type=int, metavar="年度", help="新的考核年度，例如 2021")
    n.add_argument("--from", dest="source", metavar="考核代码", help="从这项考核复制，默认为同系列中最近的一项")
    n.add_argument("--id", metavar="新代码", help="新考核的代码，默认把原代码中的年份换成新年度")
    n.set_defaults(func=cmd_new)

    u = sub.add_parser("publish", parents=[common], help="把生成好的 site/ 原子地复制到发布目录", description="把 site/ 复制到 Web 服务器的目录（本地或挂载的目录）。先复制到同一磁盘上的临时目录，再一次切换，服务器不会读到复制了一半的网站。")
    u.add_argument("destination", metavar="发布目录", help="Web 服务器的网站目录，例如 /srv/www/kaoping（不能在项目目录里面）")
    u.add_argument("--force", action="store_true", help="发布目录中的网站由更新的提交生成时，仍然用这次的网站替换它（有意回退）")
    u.set_defaults(func=cmd_publish)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "func", None):
        p.print_help()
        return EXIT_USAGE
    try:
        code: int = args.func(args)
        return code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        if args.debug:
            traceback.print_exc()
        else:
            print("内部错误：程序遇到了意外情况。请带上 --debug 重新运行，把输出发给维护人员。", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
