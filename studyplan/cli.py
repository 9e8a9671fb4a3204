"""Command line. `studyplan` with no subcommand opens the window.

Exit status: 0 success, 1 a check that found problems, 2 bad input or usage — always with one
line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from studyplan.gui.logbook import (
    data_folder,
    log_note,
    log_unexpected,
    one_line,
    unexpected_sentence,
)
from studyplan.model.errors import DamagedDatabaseError, StudyplanError
from studyplan.model.text import display_width as _display_width

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(StudyplanError):
    """Bad command-line words."""


#: argparse's own words in Chinese, keyed by the English text it passes to gettext. argparse
#: looks every message, heading and its help option's text up through gettext, so this is a
#: message catalogue rather than a rewrite of its output; text missing here stays English.
ARGPARSE_CHINESE: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "subcommands": "子命令",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数 %s",
    "one of the arguments %s is required": "参数 %s 中须提供一个",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "“%(value)s”不是可选的值，可选：%(choices)s"
    ),
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "unrecognized arguments: %s": "无法识别的参数 %s",
    "expected one argument": "缺少取值",
    "expected at most one argument": "最多只能有一个取值",
    "expected at least one argument": "至少需要一个取值",
    "expected %s argument": "需要 %s 个取值",
    "expected %s arguments": "需要 %s 个取值",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 有歧义，可能是 %(matches)s"
    ),
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "不接受取值“%s”",
    "unexpected option string: %s": "无法识别的选项 %s",
}


def _chinese(message: str) -> str:
    return ARGPARSE_CHINESE.get(message, message)


def _chinese_plural(singular: str, plural: str, n: int) -> str:
    return _chinese(singular if n == 1 else plural)


@contextmanager
def _argparse_in_chinese() -> Iterator[None]:
    """Answer argparse's gettext look-ups from ARGPARSE_CHINESE while it works.

    argparse calls the `_` and `ngettext` it imported from gettext; a gettext catalogue
    would need compiled .mo files and the user's locale, so for the time the parser builds,
    parses or formats help those two names answer from the table instead, then go back.
    """
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _chinese, _chinese_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese, reporting a usage problem in one line and exit status 2."""

    def __init__(self, *args, **kwargs) -> None:
        with _argparse_in_chinese():  # the group headings and the -h text are set here
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):  # type: ignore[override]
        with _argparse_in_chinese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        with _argparse_in_chinese():  # "unrecognized arguments" is reported here
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        with _argparse_in_chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in_chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_chinese():
            return super().format_help()

    def _check_value(self, action: argparse.Action, value: object) -> None:
        """A value outside the choices, said in Chinese with the choices listed as a
        Chinese list (argparse quotes them and joins them with commas)."""
        if action.choices is None or value in action.choices:
            return
        listed = "、".join(str(choice) for choice in action.choices)
        if isinstance(action, argparse._SubParsersAction):
            what = action.metavar or "子命令"  # 子命令, or 文件类型 under export, 操作 …
            raise argparse.ArgumentError(None, f"没有“{value}”这个{what}，可用的有：{listed}")
        raise argparse.ArgumentError(action, f"“{value}”不是可选的值，可选：{listed}")

    def error(self, message: str) -> None:  # type: ignore[override]
        message = " ".join(message.split())
        required = ARGPARSE_CHINESE["the following arguments are required: %s"] % ""
        if message.startswith(required):  # the missing ones, as a Chinese list
            message = required + "、".join(message[len(required) :].split(", "))
        raise UsageError(f"命令用法有误：{message}（运行 {self.prog} --help 查看用法）")


# -- helpers ---------------------------------------------------------------------------
def default_db_path() -> Path:
    """$STUDYPLAN_DB, else the per-user data folder Qt names for this platform."""
    env = os.environ.get("STUDYPLAN_DB")
    if env:
        return Path(env)
    return data_folder() / "studyplan.db"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns aligned for a terminal, counting CJK characters as two cells wide."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(_display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        padded = [c + " " * (w - _display_width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _time(text: str) -> dt.time:
    try:
        parsed = dt.datetime.strptime(text, "%H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"时间格式应为 HH:MM（00:00–23:59）：{text}") from None
    return parsed.time()


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年份应为四位数字：{text}") from None
    if not 1950 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"年份超出支持范围（1950–2100）：{text}")
    return year


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"尺寸格式应为 宽x高，例如 1280x800：{text}") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"尺寸超出范围：{text}")
    return width, height


def _positive_minutes(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"时长应为分钟数：{text}") from None


# -- commands --------------------------------------------------------------------------
def _open(args: argparse.Namespace):
    from studyplan.app.planning import PlanningService
    from studyplan.store.opening import connect

    db = connect(args.db)
    service = PlanningService(db)
    service.ensure_bundled_plan()
    return service


def cmd_topics(args: argparse.Namespace) -> int:
    service = _open(args)
    year = args.year or args.today.year
    topics = service.topics(year)
    if not topics:
        raise StudyplanError(f"{year} 年还没有学习计划，请先用 import-plan 导入。")
    if args.format == "json":
        data = [
            {
                "number": t.number,
                "title": t.title,
                "description": t.description,
                "readings": list(t.readings),
            }
            for t in topics
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        overview = service.topic_overview(year)
        print(
            format_table(
                ["序号", "专题", "状态", "场次"],
                [(o.topic.number, o.topic.title, o.state.value, o.scheduled) for o in overview],
            )
        )
    return EXIT_OK


def cmd_import_plan(args: argparse.Namespace) -> int:
    service = _open(args)
    found = service.read_plan_file(args.file, args.year)
    if found.losing and not args.force:
        raise StudyplanError(
            f"{found.losing_sentence}；为免误删，未导入。确认无误后请加 --force 重新导入。"
        )
    plan = service.replace_plan(found, detach=True)
    print(f"已导入 {args.year} 年学习计划：{len(plan.topics)} 个专题。")
    if found.losing:
        print(f"{len(found.losing)} 场学习场次已不再关联新计划中没有的专题。")
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    from studyplan.model.plan import ScheduleRequest

    service = _open(args)
    start = args.start
    if start is None and args.today.year == args.year:
        start = args.today  # as the 自动排期 dialog: the current year is planned from today
    request = ScheduleRequest(
        year=args.year,
        rule=args.rule,
        start_time=args.time,
        duration_minutes=args.duration,
        location=args.location,
        form=args.form,
        start_date=start,
        replace_planned=args.replace_planned,
    )
    proposal = service.propose_schedule(request)
    service.apply_schedule(proposal)
    for warning in proposal.warnings:
        print(f"提示：{warning}")
    removed = len(proposal.removed_sessions)
    print(
        f"已为 {args.year} 年新安排 {len(proposal.new_sessions)} 场学习"
        + (f"，替换了 {removed} 场尚未举行的计划场次" if removed else "")
        + "。"
    )
    for session in proposal.new_sessions:
        labels = "、".join(str(n) for n in session.topic_numbers)
        print(f"  {session.date:%Y-%m-%d} {session.time_range}  专题 {labels}")
    return EXIT_OK


def _session_json(session) -> dict:
    return {
        "id": session.id,
        "date": session.date.isoformat(),
        "start": f"{session.start:%H:%M}",
        "end": f"{session.end:%H:%M}",
        "location": session.location,
        "form": session.form,
        "topics": list(session.topic_numbers),
        "status": session.status.value,
        "status_label": session.status.label,
        "host": session.host,
        "lecturer": session.lecturer,
    }


def cmd_sessions(args: argparse.Namespace) -> int:
    service = _open(args)
    sessions = service.sessions(args.year)
    rows = [_session_json(s) for s in sessions]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        fields = ["id", "date", "start", "end", "location", "form", "topics", "status"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "topics": " ".join(str(n) for n in row["topics"])})
    else:
        print(
            format_table(
                ["编号", "日期", "时间", "地点", "形式", "专题", "状态"],
                [
                    (
                        s.id,
                        f"{s.date:%Y-%m-%d}",
                        s.time_range,
                        s.location,
                        s.form,
                        "、".join(str(n) for n in s.topic_numbers),
                        s.status.label,
                    )
                    for s in sessions
                ],
            )
        )
    return EXIT_OK


def cmd_export_ics(args: argparse.Namespace) -> int:
    service = _open(args)
    count = service.export_ics(args.out, args.year)
    print(f"已导出 {count} 场学习到 {args.out}")
    return EXIT_OK


def _attendance(args: argparse.Namespace):
    from studyplan.app.attendance import AttendanceService

    planning = _open(args)
    return planning, AttendanceService(planning.db)


def cmd_members(args: argparse.Namespace) -> int:
    _, service = _attendance(args)
    today = args.today
    members = service.list_members()
    if args.format == "json":
        data = [
            {
                "id": m.id,
                "name": m.name,
                "position": m.position,
                "role": m.role,
                "department": m.department,
                "active": m.active_to is None or m.active_to >= today,
            }
            for m in members
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(
            format_table(
                ["编号", "序号", "姓名", "职务", "角色", "部门", "状态"],
                [
                    (
                        m.id,
                        m.rank,
                        m.name,
                        m.position,
                        m.role,
                        m.department,
                        "在册" if m.active_to is None or m.active_to >= today else "已离任",
                    )
                    for m in members
                ],
            )
        )
    return EXIT_OK


def cmd_members_import(args: argparse.Namespace) -> int:
    _, service = _attendance(args)
    report = service.import_roster(args.file)
    print(report.summary)
    for line in report.skipped:
        print(f"  跳过第 {line.row} 行 {line.name}：{line.reason}")
    namesakes = [line for line in report.added if line.namesake]
    for line in namesakes:
        print(f"  新增第 {line.row} 行 {line.name}：{line.reason}")
    if namesakes:
        print("  如是同一人，请在界面的成员页核对：把新增的一人登记离任，再更正原成员的信息。")
    if report.not_in_file:
        print(f"  名单中没有：{'、'.join(m.label for m in report.not_in_file)}")
    return EXIT_OK


def cmd_export_signin(args: argparse.Namespace) -> int:
    from studyplan.gui.signin_print import ensure_gui_app, export_signin

    planning, service = _attendance(args)
    if args.out.suffix.lower() == ".pdf":
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        ensure_gui_app()
    export_signin(planning, service, args.session_id, args.out)
    print(f"已导出签到表：{args.out}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from studyplan.app.demo import build_demo
    from studyplan.store.opening import connect

    db = connect(args.db)
    summary = build_demo(db, year=args.demo_year, years=args.years, members=args.members)
    print(
        f"已生成演示数据：成员 {summary.members} 人，场次 {summary.sessions} 场"
        f"（已举行 {summary.held} 场），考勤 {summary.marks} 条，"
        f"请假 {summary.leave_requests} 条，补学任务 {summary.makeups} 项。"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from studyplan.app.compliance import ComplianceService

    planning = _open(args)
    year = args.year or args.today.year
    report = ComplianceService(planning.db).check(year, args.today)
    for problem in report.problems:
        print(problem.message)
    print(report.summary)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from studyplan.app.ledger import export_ledger

    planning = _open(args)
    if args.out.suffix.lower() != ".xlsx":
        raise UsageError(f"台账只能导出为 .xlsx 文件：{args.out}")
    export_ledger(planning.db, args.out, args.year)
    scope = f"{args.year} 年" if args.year else "全部年度"
    print(f"已导出{scope}学习台账：{args.out}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from studyplan.app.safety import SafetyService

    planning = _open(args)
    written = SafetyService(planning.db).backup_to(args.out)
    print(f"已备份数据库到 {written}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from studyplan.store.backup import check_backup_file, restore_from
    from studyplan.store.opening import connect

    check = check_backup_file(args.file)
    saved = restore_from(args.db, args.file)
    connect(args.db).conn.close()  # brings an older backup up to this version's schema
    print(
        f"已从 {args.file} 恢复数据库（成员 {check.members} 人，场次 {check.sessions} 场）。"
        + (f"恢复前的数据库已备份到 {saved}" if saved else "")
    )
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from studyplan.gui.syslibs import desktop_problem

    problem = desktop_problem()
    if problem:
        raise StudyplanError(problem)
    from studyplan.gui.app import run_gui

    return run_gui(Path(args.db), sys.argv[:1])


def cmd_screenshot(args: argparse.Namespace) -> int:
    from studyplan.gui.app import render_screenshot

    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(args.screenshot)
    if not out.parent.is_dir():
        raise StudyplanError(f"保存位置不存在：{out.parent}")
    try:
        render_screenshot(
            Path(args.db), out, view=args.view, size=args.size, year=args.year, month=args.month
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    print(f"已保存截图：{out}")
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The command line, every word of its help and usage messages in Chinese."""
    parser = _Parser(
        prog="studyplan",
        description="理论学习中心组学习计划、考勤与台账。不带子命令时打开图形界面。",
    )
    parser.add_argument(
        "--db",
        metavar="FILE.db",
        help="数据库文件（默认：用户数据文件夹中的 studyplan.db，或环境变量 STUDYPLAN_DB）",
    )
    parser.add_argument("--screenshot", metavar="OUT.png", help="把界面渲染为 PNG 后退出")
    parser.add_argument(
        "--view",
        default="calendar",
        metavar="NAME",
        help="截图的视图，如 calendar、members（默认 calendar）",
    )
    parser.add_argument(
        "--size", type=_size, default=(1280, 800), metavar="WxH", help="截图尺寸，如 1280x800"
    )
    parser.add_argument("--year", type=_year, metavar="YYYY", help="截图显示的年份")
    parser.add_argument(
        "--month", type=int, choices=range(1, 13), metavar="1-12", help="截图显示的月份（1–12）"
    )
    # Placeholders are ASCII: argparse lines help up by character count, and a CJK
    # character takes two terminal cells. A subcommand list has its heading line alone.
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=_Parser)

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
    topics = add("topics", cmd_topics, "列出某年学习计划的专题", shared=True)
    topics.add_argument("--year", type=_year, dest="year", metavar="YYYY", help=year_help)
    topics.add_argument(
        "--format", choices=["json", "table"], default="table", help="输出格式（默认 table）"
    )

    imp = add("import-plan", cmd_import_plan, "从 .txt 或 .docx 导入某年的学习计划")
    imp.add_argument("file", type=Path, metavar="FILE", help="计划文件（.txt 或 .docx）")
    imp.add_argument("--year", type=_year, required=True, metavar="YYYY", help="计划的年度")
    imp.add_argument(
        "--force",
        action="store_true",
        help="新计划缺少已安排场次所关联的专题时，仍然导入（这些场次不再关联它们）",
    )

    sched = add("schedule", cmd_schedule, "按频次自动排期（只排在工作日）")
    sched.add_argument("--year", type=_year, required=True, metavar="YYYY", help="排期的年度")
    sched.add_argument(
        "--rule",
        default="FREQ=MONTHLY;BYDAY=+2TH",
        metavar="RRULE",
        help="RRULE 重复规则，默认每月第二个周四",
    )
    sched.add_argument(
        "--time", type=_time, default=dt.time(15, 0), metavar="HH:MM", help="开始时间（默认 15:00）"
    )
    sched.add_argument(
        "--duration",
        type=_positive_minutes,
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
        type=_date,
        metavar="YYYY-MM-DD",
        help="从该日期起排（默认：今年从今天起，其他年份从 1 月 1 日起）",
    )
    sched.add_argument("--replace-planned", action="store_true", help="替换尚未举行的计划场次")

    sess = add("sessions", cmd_sessions, "列出学习场次", shared=True)
    sess.add_argument(
        "--year", type=_year, dest="year", metavar="YYYY", help="只列出该年度（默认全部）"
    )
    sess.add_argument(
        "--format",
        choices=["json", "csv", "table"],
        default="table",
        help="输出格式（默认 table）",
    )

    export = add("export", None, "导出文件", shared=True)  # type: ignore[arg-type]
    export_sub = export.add_subparsers(
        dest="what", required=True, metavar="文件类型", parser_class=_Parser
    )
    ics = export_sub.add_parser("ics", help="导出 iCalendar 日历文件")
    ics.set_defaults(handler=cmd_export_ics)
    ics.add_argument(
        "--year", type=_year, dest="year", metavar="YYYY", help="只导出该年度（默认全部）"
    )
    ics.add_argument("out", type=Path, metavar="OUT.ics", help="保存的文件")
    signin = export_sub.add_parser("signin", help="导出某场学习的签到表（.pdf 或 .xlsx）")
    signin.set_defaults(handler=cmd_export_signin)
    signin.add_argument("session_id", type=int, metavar="SESSION_ID", help="sessions 列出的编号")
    signin.add_argument("out", type=Path, metavar="OUT.pdf|OUT.xlsx", help="保存的文件")

    ledger = export_sub.add_parser("ledger", help="导出学习台账（.xlsx，六个工作表）")
    ledger.set_defaults(handler=cmd_export_ledger)
    ledger.add_argument(
        "--year", type=_year, dest="year", metavar="YYYY", help="只导出该年度（默认全部）"
    )
    ledger.add_argument("out", type=Path, metavar="OUT.xlsx", help="保存的文件")

    check = add("check", cmd_check, "合规检查：专题、季度、缺席、补学、考勤登记", shared=True)
    check.add_argument("--year", type=_year, dest="year", metavar="YYYY", help=year_help)

    members = add("members", cmd_members, "列出中心组成员，或导入成员名单", shared=True)
    members.add_argument(
        "--format", choices=["json", "table"], default="table", help="输出格式（默认 table）"
    )
    members_sub = members.add_subparsers(
        dest="members_action", metavar="操作", parser_class=_Parser
    )
    members_import = members_sub.add_parser("import", help="从 .xlsx 导入成员名单")
    members_import.set_defaults(handler=cmd_members_import, shared=False)
    members_import.add_argument("file", type=Path, metavar="FILE.xlsx", help="成员名单")

    backup = add("backup", cmd_backup, "用 SQLite 在线备份把数据库备份到一个文件", shared=True)
    backup.add_argument("out", type=Path, metavar="OUT.db", help="备份文件")

    restore = add("restore", cmd_restore, "检查备份文件后用它恢复数据库（先自动备份当前数据库）")
    restore.add_argument("file", type=Path, metavar="FILE.db", help="备份文件")

    demo = add("demo", cmd_demo, "在空数据库中生成演示数据")
    demo.add_argument(
        "--year",
        type=_year,
        dest="demo_year",
        default=dt.date.today().year,
        metavar="YYYY",
        help="演示数据的第一个年度（默认今年）",
    )
    demo.add_argument("--years", type=int, default=1, metavar="N", help="生成几个年度（默认 1）")
    demo.add_argument("--members", type=int, default=14, metavar="N", help="成员人数（默认 14）")
    return parser


def _discard_stdout() -> None:
    """Send what is left for stdout to the null device once its reader has gone.

    The Python docs' recipe for SIGPIPE: without it the interpreter's own flush at exit
    fails again and prints "Exception ignored … BrokenPipeError" on stderr.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a file (tests capture it)
        pass


def main(argv: Sequence[str] | None = None, *, today: dt.date | None = None) -> int:
    """Entry point; returns the exit status instead of raising.

    `today` stands in for the date the defaults depend on (the year shown, where 自动排期
    starts), so tests do not depend on the day they run.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    status = EXIT_OK
    db_path = ""
    try:
        args = build_parser().parse_args(args_list)
        args.today = today or dt.date.today()
        if args.db is None:
            args.db = str(default_db_path())
        db_path = args.db
        handler = getattr(args, "handler", None)
        if not args.screenshot and (args.command is None or handler is None):
            return cmd_gui(args)
        from studyplan.gui.locking import cli_lock

        # Reading, exporting and the online backup run beside an open window (SQLite lets
        # them); a command that changes the data waits for the database's lock.
        shared = getattr(args, "shared", False) and not args.screenshot
        if shared:
            from studyplan.store.opening import needs_upgrade

            shared = not needs_upgrade(args.db)  # an upgrade writes: it waits its turn
        with contextlib.nullcontext() if shared else cli_lock(args.db):
            status = cmd_screenshot(args) if args.screenshot else handler(args)
            if sys.stdout is not None:  # None under pythonw
                sys.stdout.flush()  # a reader that has gone (`| head -1`) shows up here
        return status
    except BrokenPipeError:
        # The reader stopped reading, which is its choice, not an error: every command
        # prints after it has done its work, so that work stands. Nothing goes to stderr;
        # the status is the command's own when it had finished, else 0.
        _discard_stdout()
        return status
    except StudyplanError as exc:
        sentence = one_line(str(exc))
        if isinstance(exc, DamagedDatabaseError):
            if exc.detail:
                log_note(f"damaged database {db_path}: {exc.detail}")
            if exc.latest_backup:
                sentence += f'可用 studyplan --db "{db_path}" restore "{exc.latest_backup}" 恢复。'
        print(f"studyplan: {sentence}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("studyplan: 已中断。", file=sys.stderr)
        return EXIT_USAGE
    except Exception:  # never a traceback for the user; the log file keeps it
        log = log_unexpected(sys.exc_info())  # the traceback goes there, not to the terminal
        print(f"studyplan: {unexpected_sentence(log)}，数据未改动。", file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
