"""`studyplan topics add|edit|delete|move` and `studyplan plan copy`: the plan's topics edited
from the command line, by the same use cases as the topic panel."""

from __future__ import annotations

import argparse
from dataclasses import replace

from studyplan.cli.arguments import EXIT_OK, UsageError
from studyplan.cli.commands import _context
from studyplan.model.errors import StudyplanError


def _year(args: argparse.Namespace) -> int:
    return getattr(args, "year", None) or args.today.year


def _when(args: argparse.Namespace) -> dict[str, int | None]:
    if args.month is not None and args.quarter is not None:
        raise UsageError("--month 与 --quarter 只能给出其中一个。")
    return {"month": args.month, "quarter": args.quarter}


def cmd_topics_add(args: argparse.Namespace) -> int:
    from studyplan.app.topics import TopicFields

    year = _year(args)
    fields = TopicFields(
        args.title,
        args.description or "",
        tuple(args.reading or ()),
        args.form or "",
        **_when(args),
    )
    topic = _context(args).topics.add_topic(year, fields, args.at)
    print(f"已在 {year} 年计划中新增专题{topic.number}：{topic.title}")
    return EXIT_OK


def cmd_topics_edit(args: argparse.Namespace) -> int:
    from studyplan.app.topics import TopicFields

    year = _year(args)
    service = _context(args).topics
    old = service.topic(year, args.number)
    fields = TopicFields(old.title, old.description, old.readings, old.form, old.month, old.quarter)
    given = {
        name: value
        for name, value in (
            ("title", args.title),
            ("description", args.description),
            ("readings", tuple(args.reading) if args.reading is not None else None),
            ("form", args.form),
        )
        if value is not None
    }
    if args.month is not None or args.quarter is not None or args.no_time:
        given.update(_when(args) if not args.no_time else {"month": None, "quarter": None})
    if not given:
        raise UsageError("请至少给出一项要修改的内容，例如 --title 新的专题名称")
    topic = service.edit_topic(year, args.number, replace(fields, **given))
    print(f"已修改 {year} 年专题{topic.number}：{topic.title}")
    return EXIT_OK


def cmd_topics_delete(args: argparse.Namespace) -> int:
    from studyplan.app.topics import TopicHasSessions

    year = _year(args)
    service = _context(args).topics
    try:
        topic = service.delete_topic(year, args.number, detach=args.force)
    except TopicHasSessions as question:
        raise StudyplanError(
            str(question).removesuffix("确定删除吗？") + "确认无误后请加 --force 重新删除。"
        ) from None
    print(f"已删除 {year} 年专题{topic.number}：{topic.title}（其后的专题序号依次前移）")
    return EXIT_OK


def cmd_topics_move(args: argparse.Namespace) -> int:
    year = _year(args)
    _context(args).topics.move_topic(year, args.number, args.to)
    print(f"已把 {year} 年专题{args.number}移到第 {args.to} 位。")
    return EXIT_OK


def cmd_plan_copy(args: argparse.Namespace) -> int:
    plan = _context(args).topics.copy_plan(args.source, args.target)
    print(
        f"已按 {args.source} 年计划新建 {plan.year} 年计划草稿：{plan.title}，"
        f"{len(plan.topics)} 个专题，尚无学习场次。"
    )
    return EXIT_OK


def add_topic_commands(topics: argparse.ArgumentParser, year_arg, parser_class) -> None:
    """The words of `topics add|edit|delete|move`, under `topics`."""
    actions = topics.add_subparsers(dest="topics_action", metavar="操作", parser_class=parser_class)

    def action(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        command = actions.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler, shared=False)
        command.add_argument(
            "--year",
            type=year_arg,
            default=argparse.SUPPRESS,
            metavar="YYYY",
            help="计划的年度（默认今年）",
        )
        return command

    def details(command: argparse.ArgumentParser, *, edit: bool) -> None:
        command.add_argument("--title", required=not edit, metavar="TEXT", help="专题名称")
        command.add_argument("--description", metavar="TEXT", help="专题说明")
        command.add_argument(
            "--reading",
            action="append",
            metavar="TEXT",
            help="学习篇目（可重复给出；修改时替换原有篇目）",
        )
        command.add_argument("--form", metavar="TEXT", help="学习形式，如 专题研讨")
        command.add_argument(
            "--month", type=int, choices=range(1, 13), metavar="1-12", help="计划月份"
        )
        command.add_argument(
            "--quarter", type=int, choices=range(1, 5), metavar="1-4", help="计划季度"
        )

    add_cmd = action("add", cmd_topics_add, "新增一个专题（默认排在最后）")
    details(add_cmd, edit=False)
    add_cmd.add_argument("--at", type=int, metavar="N", help="排在第 N 位")

    edit = action("edit", cmd_topics_edit, "修改一个专题（只改给出的项）")
    edit.add_argument("number", type=int, metavar="N", help="专题序号")
    details(edit, edit=True)
    edit.add_argument("--no-time", action="store_true", help="清除计划月份或季度")

    delete = action("delete", cmd_topics_delete, "删除一个专题（已有举行场次的专题不能删除）")
    delete.add_argument("number", type=int, metavar="N", help="专题序号")
    delete.add_argument(
        "--force", action="store_true", help="专题已安排计划场次时仍然删除（场次不再关联它）"
    )

    move = action("move", cmd_topics_move, "调整专题顺序（其场次随之移动）")
    move.add_argument("number", type=int, metavar="N", help="专题序号")
    move.add_argument("--to", type=int, required=True, metavar="M", help="移到第 M 位")


def add_plan_commands(add, year_arg, parser_class) -> None:
    """The words of `plan copy`."""
    plan = add("plan", None, "学习计划：按某年计划新建下一年计划")
    plan_actions = plan.add_subparsers(
        dest="plan_action", required=True, metavar="操作", parser_class=parser_class
    )
    copy = plan_actions.add_parser(
        "copy", help="复制某年计划的专题作为另一年的计划草稿（不含场次）"
    )
    copy.set_defaults(handler=cmd_plan_copy, shared=False)
    copy.add_argument(
        "--from", dest="source", type=year_arg, required=True, metavar="YYYY", help="原计划年度"
    )
    copy.add_argument(
        "--to", dest="target", type=year_arg, required=True, metavar="YYYY", help="新计划年度"
    )
