"""The command line's words: every subcommand, its arguments and its help, in Chinese."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass
from studyplan.cli.arguments import (
    Parser,
    date_arg,
    day_in_range_arg,
    minutes_arg,
    quarter_arg,
    size_arg,
    time_arg,
    year_arg,
)
from studyplan.cli.attendance_commands import cmd_attendance, cmd_leave_add, cmd_leave_list
from studyplan.cli.commands import (
    cmd_backup,
    cmd_check,
    cmd_demo,
    cmd_import_plan,
    cmd_members,
    cmd_members_import,
    cmd_restore,
    cmd_schedule,
    cmd_sessions,
    cmd_topics,
    cmd_unit,
    cmd_unit_set,
)
from studyplan.cli.export_commands import (
    cmd_export_archive,
    cmd_export_document,
    cmd_export_ics,
    cmd_export_ledger,
    cmd_export_lists,
    cmd_export_member_file,
    cmd_export_report,
    cmd_export_signin,
)
from studyplan.cli.topic_commands import add_plan_commands, add_topic_commands


# -- parser ----------------------------------------------------------------------------
class _VersionAction(argparse._VersionAction):
    """`--version`, whose version is read from the metadata only when it is asked for
    (finding it costs every other start, the window's included, a scan of the packages)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        import studyplan

        self.version = f"studyplan {studyplan.__version__}"
        super().__call__(parser, *args, **kwargs)  # type: ignore[arg-type]


def build_parser() -> argparse.ArgumentParser:
    """The command line, every word of its help and usage messages in Chinese."""
    parser = Parser(
        prog="studyplan",
        description="理论学习中心组学习计划、考勤与台账。不带子命令时打开图形界面。",
    )
    parser.add_argument(
        "--db",
        metavar="FILE.db",
        help="数据库文件（默认：用户数据文件夹中的 studyplan.db，或环境变量 STUDYPLAN_DB）",
    )
    parser.add_argument("--version", action=_VersionAction, help="显示版本号后退出")
    parser.add_argument("--screenshot", metavar="OUT.png", help="把界面渲染为 PNG 后退出")
    parser.add_argument(
        "--view",
        default="calendar",
        metavar="NAME",
        help="截图的视图，如 calendar、members（默认 calendar）",
    )
    parser.add_argument(
        "--size", type=size_arg, default=(1280, 800), metavar="WxH", help="截图尺寸，如 1280x800"
    )
    parser.add_argument("--year", type=year_arg, metavar="YYYY", help="截图显示的年份")
    parser.add_argument(
        "--month", type=int, choices=range(1, 13), metavar="1-12", help="截图显示的月份（1–12）"
    )
    # Placeholders are ASCII: argparse lines help up by character count, and a CJK
    # character takes two terminal cells. A subcommand list has its heading line alone.
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=Parser)

    def add(
        name: str,
        handler: Callable[[argparse.Namespace], int],
        help_text: str,
        *,
        shared: bool = False,
    ):
        """A subcommand; `shared` ones only read (or back up) and need no lock."""
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler, shared=shared)
        return command

    year_help = "年度（默认今年）"
    topics = add(
        "topics", cmd_topics, "列出某年学习计划的专题，或新增、修改、删除、移动专题", shared=True
    )
    topics.add_argument("--year", type=year_arg, dest="year", metavar="YYYY", help=year_help)
    topics.add_argument(
        "--format", choices=["json", "table"], default="table", help="输出格式（默认 table）"
    )
    add_topic_commands(topics, year_arg, Parser)

    imp = add("import-plan", cmd_import_plan, "从 .txt 或 .docx 导入某年的学习计划")
    imp.add_argument("file", type=Path, metavar="FILE", help="计划文件（.txt 或 .docx）")
    imp.add_argument("--year", type=year_arg, required=True, metavar="YYYY", help="计划的年度")
    imp.add_argument(
        "--force",
        action="store_true",
        help="新计划缺少已安排场次所关联的专题时，仍然导入（这些场次不再关联它们）",
    )

    sched = add("schedule", cmd_schedule, "按频次自动排期（只排在工作日）")
    sched.add_argument("--year", type=year_arg, required=True, metavar="YYYY", help="排期的年度")
    sched.add_argument(
        "--rule",
        default="FREQ=MONTHLY;BYDAY=+2TH",
        metavar="RRULE",
        help="RRULE 重复规则，默认每月第二个周四",
    )
    sched.add_argument(
        "--time",
        type=time_arg,
        default=dt.time(15, 0),
        metavar="HH:MM",
        help="开始时间（默认 15:00）",
    )
    sched.add_argument(
        "--duration",
        type=minutes_arg,
        default=120,
        metavar="MIN",
        help="时长（分钟，默认 120）",
    )
    sched.add_argument(
        "--location",
        default="局机关三楼会议室",
        metavar="TEXT",
        help="地点（默认 局机关三楼会议室）",
    )
    sched.add_argument(
        "--form", default="集中学习", metavar="TEXT", help="学习形式（默认 集中学习）"
    )
    sched.add_argument(
        "--from",
        dest="start",
        type=date_arg,
        metavar="YYYY-MM-DD",
        help="从该日期起排（默认：今年从今天起，其他年份从 1 月 1 日起）",
    )
    sched.add_argument("--replace-planned", action="store_true", help="替换尚未举行的计划场次")

    sess = add("sessions", cmd_sessions, "列出学习场次", shared=True)
    sess.add_argument(
        "--year", type=year_arg, dest="year", metavar="YYYY", help="只列出该年度（默认全部）"
    )
    sess.add_argument(
        "--format",
        choices=["json", "csv", "table"],
        default="table",
        help="输出格式（默认 table）",
    )

    export = add("export", None, "导出文件", shared=True)  # type: ignore[arg-type]
    export_sub = export.add_subparsers(
        dest="what", required=True, metavar="文件类型", parser_class=Parser
    )
    ics = export_sub.add_parser("ics", help="导出 iCalendar 日历文件")
    ics.set_defaults(handler=cmd_export_ics)
    ics.add_argument(
        "--year", type=year_arg, dest="year", metavar="YYYY", help="只导出该年度（默认全部）"
    )
    ics.add_argument("out", type=Path, metavar="OUT.ics", help="保存的文件")
    signin = export_sub.add_parser("signin", help="导出某场学习的签到表（.pdf 或 .xlsx）")
    signin.set_defaults(handler=cmd_export_signin)
    signin.add_argument("session_id", type=int, metavar="SESSION_ID", help="sessions 列出的编号")
    signin.add_argument("out", type=Path, metavar="OUT.pdf|OUT.xlsx", help="保存的文件")

    ledger = export_sub.add_parser("ledger", help="导出学习台账（.xlsx，六个工作表）")
    ledger.set_defaults(handler=cmd_export_ledger)
    ledger.add_argument(
        "--year", type=year_arg, dest="year", metavar="YYYY", help="只导出该年度（默认全部）"
    )
    ledger.add_argument("out", type=Path, metavar="OUT.xlsx", help="保存的文件")

    for what, about in (
        ("notice", "导出某场学习的学习通知（.docx）"),
        ("record", "导出某场学习的学习记录（.docx，学习记录本的一页）"),
        ("brief", "导出某场学习的学习简报（.docx，期号取设置中的下一期并加一）"),
    ):
        document = export_sub.add_parser(what, help=about)
        document.set_defaults(handler=cmd_export_document)
        document.add_argument(
            "session_id", type=int, metavar="SESSION", help="sessions --format json 列出的编号"
        )
        document.add_argument("out", type=Path, metavar="OUT.docx", help="保存的文件")
        document.add_argument(
            "--template",
            type=Path,
            metavar="FILE.docx",
            help="用这份模板（默认：文书模板文件夹中本单位的模板，否则程序自带的模板）",
        )
    lists = export_sub.add_parser("lists", help="导出三张清单与成员履职情况（.xlsx，可打印）")
    lists.set_defaults(handler=cmd_export_lists)
    lists.add_argument("--year", type=year_arg, required=True, metavar="YYYY", help="年度")
    lists.add_argument("out", type=Path, metavar="OUT.xlsx", help="保存的文件")
    member_file = export_sub.add_parser("member-file", help="导出个人学习档案（.docx，每人一页）")
    member_file.set_defaults(handler=cmd_export_member_file)
    member_file.add_argument("--year", type=year_arg, required=True, metavar="YYYY", help="年度")
    member_file.add_argument(
        "--member", type=int, metavar="ID", help="members 列出的编号（默认全部成员）"
    )
    member_file.add_argument("out", type=Path, metavar="OUT.docx", help="保存的文件")

    report = export_sub.add_parser(
        "report", help="导出季度学习情况通报，或（不给季度时）年度学习情况报告（.docx）"
    )
    report.set_defaults(handler=cmd_export_report)
    report.add_argument("--year", type=year_arg, required=True, metavar="YYYY", help="年度")
    report.add_argument(
        "--quarter", type=quarter_arg, metavar="1-4", help="季度（不给时导出年度报告）"
    )
    report.add_argument("--template", type=Path, metavar="FILE.docx", help="用这份模板生成")
    report.add_argument("out", type=Path, metavar="OUT.docx", help="保存的文件")

    archive = export_sub.add_parser(
        "archive", help="导出某年度的学习档案专卷（新文件夹，或以 .zip 结尾的压缩包）"
    )
    archive.set_defaults(handler=cmd_export_archive)
    archive.add_argument("--year", type=year_arg, required=True, metavar="YYYY", help="年度")
    archive.add_argument("out", type=Path, metavar="OUT", help="新文件夹，或 OUT.zip")

    check = add("check", cmd_check, "合规检查：专题、季度、缺席、补学、考勤登记", shared=True)
    check.add_argument("--year", type=year_arg, dest="year", metavar="YYYY", help=year_help)

    members = add("members", cmd_members, "列出中心组成员，或导入成员名单", shared=True)
    members.add_argument(
        "--format", choices=["json", "table"], default="table", help="输出格式（默认 table）"
    )
    members.add_argument(
        "--year",
        type=year_arg,
        dest="year",
        metavar="YYYY",
        help="附上该年度的出勤与学习任务完成情况",
    )
    members_sub = members.add_subparsers(dest="members_action", metavar="操作", parser_class=Parser)
    members_import = members_sub.add_parser("import", help="从 .xlsx 导入成员名单")
    members_import.set_defaults(handler=cmd_members_import, shared=False)
    members_import.add_argument("file", type=Path, metavar="FILE.xlsx", help="成员名单")

    unit = add("unit", cmd_unit, "查看或设置单位信息（单位名称、中心组名称、学习秘书、联系电话）")
    unit.set_defaults(shared=True)
    unit.add_argument("--format", choices=["json", "table"], default="table", help="输出格式")
    unit_sub = unit.add_subparsers(dest="unit_action", metavar="操作", parser_class=Parser)
    unit_set = unit_sub.add_parser("set", help="修改单位信息（只改给出的项）")
    unit_set.set_defaults(handler=cmd_unit_set, shared=False)
    unit_set.add_argument("--name", metavar="单位名称", help="例如：市科学技术局")
    unit_set.add_argument("--group", metavar="中心组名称", help="默认：党组理论学习中心组")
    unit_set.add_argument("--secretary", metavar="姓名", help="学习秘书")
    unit_set.add_argument("--phone", metavar="电话", help="联系电话")
    unit_set.add_argument("--next-brief", type=int, metavar="N", help="下一期学习简报的期号")

    backup = add("backup", cmd_backup, "用 SQLite 在线备份把数据库备份到一个文件", shared=True)
    backup.add_argument("out", type=Path, metavar="OUT.db", help="备份文件")

    restore = add("restore", cmd_restore, "检查备份文件后用它恢复数据库（先自动备份当前数据库）")
    restore.add_argument("file", type=Path, metavar="FILE.db", help="备份文件")

    leave = add("leave", None, "登记或列出请假", shared=True)  # type: ignore[arg-type]
    leave_sub = leave.add_subparsers(
        dest="leave_action", required=True, metavar="操作", parser_class=Parser
    )
    leave_add = leave_sub.add_parser("add", help="登记一次请假（可为一段日期，覆盖其间各场）")
    leave_add.set_defaults(handler=cmd_leave_add, shared=False)
    leave_add.add_argument("--member", required=True, metavar="NAME|ID", help="请假人姓名或编号")
    leave_add.add_argument(
        "--from",
        dest="start",
        type=day_in_range_arg,
        required=True,
        metavar="YYYY-MM-DD",
        help="请假开始日期",
    )
    leave_add.add_argument(
        "--to", type=day_in_range_arg, metavar="YYYY-MM-DD", help="请假结束日期（默认同开始日期）"
    )
    leave_add.add_argument(
        "--type", required=True, metavar="TYPE", help="类别：因公、因私，或出差、病假、事假等"
    )
    leave_add.add_argument("--reason", required=True, metavar="TEXT", help="请假事由")
    leave_add.add_argument("--approve", action="store_true", help="同时登记为已批准")
    leave_add.add_argument("--approver", metavar="NAME", help="审批人（不能是请假人本人）")
    leave_list = leave_sub.add_parser("list", help="列出某年的请假")
    leave_list.set_defaults(handler=cmd_leave_list, shared=True)
    leave_list.add_argument("--year", type=year_arg, dest="year", metavar="YYYY", help=year_help)
    leave_list.add_argument(
        "--format", choices=["json", "table"], default="table", help="输出格式（默认 table）"
    )

    attendance = add("attendance", cmd_attendance, "查看或登记某场学习的考勤", shared=True)
    attendance.add_argument("session_id", type=int, metavar="SESSION", help="sessions 列出的编号")
    attendance.add_argument(
        "--format", choices=["json", "table"], default="table", help="输出格式（默认 table）"
    )
    attendance.add_argument(
        "--set",
        nargs="+",
        metavar="NAME=STATUS",
        help="登记考勤，可一次多人：王建国=出席 李明=迟到@15:20 张三=早退@16:30 "
        "赵六=请假 钱七=缺席（同名成员用编号，如 12=出席）",
    )

    demo = add("demo", cmd_demo, "在空数据库中生成演示数据")
    demo.add_argument(
        "--year",
        type=year_arg,
        dest="demo_year",
        default=dt.date.today().year,
        metavar="YYYY",
        help="演示数据的第一个年度（默认今年）",
    )
    demo.add_argument("--years", type=int, default=1, metavar="N", help="生成几个年度（默认 1）")
    demo.add_argument("--members", type=int, default=14, metavar="N", help="成员人数（默认 14）")
    add_plan_commands(add, year_arg, Parser)
    return parser
