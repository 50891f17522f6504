"""What each command does: the work is done by the packages below, the words and the exit status here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from generator.cli.output import ProgressPrinter, fail, report, say
from generator.data.load import assessment_ids, known_assessments
from generator.data.pipeline import Prepared, prepare
from generator.data.problems import Problems, os_error_words
from generator.office.report import Ending, Report
from generator.site.export import assessment_data, to_json, unit_data

#: Exit statuses of every command: done; the data (or the disk) stopped it; the command was used wrongly;
#: a fault of the program itself; stopped by Ctrl+C or a signal.
EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
_EXIT = {Ending.DONE: EXIT_OK, Ending.DATA: EXIT_DATA, Ending.USAGE: EXIT_USAGE}


def ended(done: Report) -> int:
    """Print an office command's report; its exit status."""
    say(done)
    return _EXIT[done.ending]


def _prepare(
    args: argparse.Namespace, more: Callable[[Prepared], Problems] | None = None, more_failed: str = ""
) -> Prepared | None:
    """The project read, checked and scored, its problems reported (with ``more`` of them, when the data has
    no error, in the same list and count; ``more_failed`` says why when only those are errors); None after
    errors."""
    only = set(args.assessment) if getattr(args, "assessment", None) else None
    if isinstance(only, set) and "" in only:
        only.discard("")
    prepared = prepare(Path(args.root), only)
    why = "数据有错误，未继续。改正上面列出的错误后再运行。"
    if more is not None and not prepared.problems.has_errors():
        prepared.problems.extend(more(prepared))
        why = more_failed or why
    report(prepared.problems)
    if prepared.problems.has_errors():
        fail(why)
        return None
    return prepared


def cmd_check(args: argparse.Namespace) -> int:
    from generator.data.provenance import report_lines, strict_problems, strict_sample

    asked = [a for a in args.assessment if a]
    unknown = [a for a in dict.fromkeys(asked) if a not in assessment_ids(Path(args.root))]
    if unknown:
        known = known_assessments(Path(args.root))
        fail(f"没有考核 {'、'.join(unknown)}：rubrics/ 中没有这份细则。已有的考核：{known}")
        return EXIT_USAGE

    def strict(prepared: Prepared) -> Problems:
        found = Problems()
        for rubric, _file in prepared.project.rubrics.values():
            strict_problems(rubric, found)
        for outcome in prepared.outcomes.values():
            if outcome.sample is not None:
                strict_sample(outcome.sample, found)
        return found

    # One list of problems and one count, the data's and --strict's together.
    prepared = _prepare(
        args,
        strict if getattr(args, "strict", False) else None,
        "按正式考核的要求（--strict）检查未通过：细则中有补充的内容，或考核结果是示例数据。",
    )
    if prepared is None:
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

    if args.unit and args.format == "csv":
        fail("--unit 输出这个单位逐项的完整得分，只有 JSON 格式：去掉 --format csv（每单位一行的 CSV 不加 --unit）。")
        return EXIT_USAGE
    args.format = args.format or "csv"
    target = None
    if args.output and args.output != "-":  # (- is the screen, as for most programs)
        # Refused before any work: an existing file, the office's folders, a FIFO …
        example = f"{args.unit or args.assessment_id}.{'json' if args.unit else args.format}"
        try:
            target = check_output(Path(args.root), args.output, force=args.force, example=example)
        except OutputRefused as exc:
            fail(f"{exc}。")
            return EXIT_USAGE
    args.assessment = [args.assessment_id]
    prepared = _prepare(args)
    if prepared is None:
        return EXIT_DATA
    outcome = prepared.outcomes.get(args.assessment_id)
    if outcome is None:
        # Only the asked-for assessment was loaded; list every rubric on disk instead.
        fail(f"没有考核 {args.assessment_id} 的结果。已有的考核：{known_assessments(Path(args.root))}")
        return EXIT_USAGE
    if args.unit:
        found = [u for u in outcome.units if u.unit.id == args.unit]
        if not found:
            fail(f"考核 {args.assessment_id} 中没有单位 {args.unit}。")
            return EXIT_USAGE
        text = to_json(unit_data(found[0]))
    elif args.format == "json":
        text = to_json(assessment_data(outcome))
    else:
        from generator.site.downloads import results_frame

        # The same guard as the site's downloads: a unit name such as "=HYPERLINK(…)" stays text in Excel.
        text = results_frame(outcome).to_csv(index=False, lineterminator="\n")
    if target is None:
        sys.stdout.write(text)
        return EXIT_OK
    data = text.encode("utf-8-sig" if args.format == "csv" and not args.unit else "utf-8")
    try:
        write_output(target, data, replace=args.force)
    except OutputRefused as exc:
        fail(f"{exc}。")
        return EXIT_USAGE
    except OSError as exc:
        fail(f"无法写入 {args.output}：{os_error_words(exc)}。")
        return EXIT_USAGE
    print(f"已写入 {args.output}")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from generator.access.mode import AccessMode
    from generator.site.build import BuildError, Plan, build
    from generator.site.shards import ShardError, parse_spec

    access = AccessMode(Path(args.access)) if args.access else None
    shard = getattr(args, "shard", None)
    try:
        plan = Plan(shard=parse_spec(shard) if shard else None, merge=getattr(args, "merge", False))
    except ShardError as exc:
        fail(f"{exc}。")
        return EXIT_USAGE
    if plan.shard is not None and access is not None:
        fail("--shard 与 --access 不能同时使用：先合并（kaoping merge --access 账号文件）。")
        return EXIT_USAGE
    if not (Path(args.root) / "rubrics").is_dir():  # not a project: nothing is written there, not even the lock
        fail(f"{args.root} 中没有细则目录 rubrics/，不像是项目目录：在项目目录下运行，或用 --root 指定项目目录。")
        return EXIT_USAGE
    try:
        result = build(
            Path(args.root),
            progress=ProgressPrinter(quiet=args.quiet),
            strict=not args.no_strict,
            report=report,
            access=access,
            plan=plan,
        )
    except BuildError as exc:
        fail(f"生成失败：{exc}\n原来的 site/ 没有改动。")
        return EXIT_DATA
    # Held with the arguments: the program ends without freeing the build's data (see generator.cli.run).
    args.built = result
    if not result.ok:
        fail("数据有错误，网站没有生成；原来的 site/ 没有改动。改正上面列出的错误后再运行。")
        return EXIT_DATA
    return EXIT_OK


def cmd_sheet(args: argparse.Namespace) -> int:
    from generator.office.sheets import write_sheet

    output = args.output or None  # as typed: a trailing / says a folder
    return ended(write_sheet(Path(args.root), args.assessment_id, output, force=args.force))


def cmd_import(args: argparse.Namespace) -> int:
    from generator.office.sheetimport import import_sheet

    return ended(
        import_sheet(Path(args.root), Path(args.file), args.assessment, force=args.force, progress=ProgressPrinter())
    )


def cmd_new(args: argparse.Namespace) -> int:
    from generator.office.newyear import start_year

    return ended(start_year(Path(args.root), args.year, source=args.source, new_id=args.id, progress=ProgressPrinter()))


def cmd_publish(args: argparse.Namespace) -> int:
    from generator.office.publish import PublishError, PublishInterrupted, publish

    try:
        done = publish(
            Path(args.root),
            Path(args.destination),
            force=args.force,
            progress=ProgressPrinter(),
            gzip_only=args.gzip_only,
        )
    except PublishError as exc:
        fail(f"发布失败：{exc}\n发布目录 {exc.destination} 没有改动。")
        return EXIT_DATA
    except PublishInterrupted as exc:
        if exc.switched:
            fail(f"已中断：新版本已经发布到 {exc.destination}，但旧版本可能没有清理完，下次发布时会清理。")
        else:
            fail(f"已中断：发布目录 {exc.destination} 没有改动，临时文件已删除。")
        return EXIT_INTERRUPTED
    for note in done.notes:
        fail(note)
    print(done.summary())
    if args.gzip_only and not done.unchanged:
        from generator.office.publishgzip import SERVER_WORDS

        print(SERVER_WORDS)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from generator.site.serve import ServeError, serve

    try:
        serve(Path(args.root), args.host, args.port, report, ProgressPrinter(), say=print)
    except ServeError as exc:
        fail(str(exc))
        return EXIT_USAGE
    return EXIT_OK


COMMANDS = {
    "check": cmd_check,
    "score": cmd_score,
    "build": cmd_build,
    "merge": cmd_build,
    "serve": cmd_serve,
    "sheet": cmd_sheet,
    "import": cmd_import,
    "new": cmd_new,
    "publish": cmd_publish,
}
