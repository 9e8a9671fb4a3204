"""The commands of the command line, one function each: open the context, call the use
case, print one line (or the listing asked for)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from studyplan.cli.arguments import EXIT_OK, EXIT_PROBLEMS, UsageError
from studyplan.gui.logbook import (
    data_folder,
)
from studyplan.model.errors import StudyplanError, ValidationError
from studyplan.model.text import display_width

if TYPE_CHECKING:
    from studyplan.app.attendance import AttendanceService
    from studyplan.app.context import Context
    from studyplan.app.planning import PlanningService


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
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        padded = [c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- commands --------------------------------------------------------------------------
def _context(args: argparse.Namespace) -> Context:
    """The database of `--db`, with the bundled plan loaded on first use."""
    from studyplan.app.context import Context

    context = Context.open(args.db, clock=args.clock)
    context.planning.ensure_bundled_plan()
    return context


def _open(args: argparse.Namespace) -> PlanningService:
    return _context(args).planning


def cmd_topics(args: argparse.Namespace) -> int:
    service = _open(args)
    year = args.year or args.today.year
    topics = service.topics(year)
    if not topics:
        raise StudyplanError(f"{year} 年还没有学习计划，请先用 import-plan 导入。")
    if args.format == "json":
        # The form and the planned month or quarter are listed only when set: a plan read
        # from a file has none, and its listing stays as it always was.
        data = [
            {
                "number": t.number,
                "title": t.title,
                "description": t.description,
                "readings": list(t.readings),
                **{
                    k: v
                    for k, v in (("form", t.form), ("month", t.month), ("quarter", t.quarter))
                    if v
                },
            }
            for t in topics
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        overview = service.topic_overview(year)
        headers = ["序号", "专题", "状态", "场次"]
        rows = [[o.topic.number, o.topic.title, o.state.value, o.scheduled] for o in overview]
        if any(t.planned_label or t.form for t in topics):  # typed in the app or `topics edit`
            headers += ["计划时间", "形式"]
            for row, o in zip(rows, overview, strict=True):
                row += [o.topic.planned_label or "—", o.topic.form or "—"]
        print(format_table(headers, rows))
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
        from studyplan.app.tables import print_csv

        fields = ["id", "date", "start", "end", "location", "form", "topics", "status"]
        joined = [{**row, "topics": " ".join(str(n) for n in row["topics"])} for row in rows]
        print_csv(sys.stdout, [fields, *([row[f] for f in fields] for row in joined)])
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


def _attendance(args: argparse.Namespace) -> tuple[PlanningService, AttendanceService]:
    context = _context(args)
    return context.planning, context.attendance


def cmd_members(args: argparse.Namespace) -> int:
    context = _context(args)
    service = context.attendance
    today = args.today
    members = service.list_members()
    year = getattr(args, "year", None)
    years = {}
    if year is not None:
        years = {e.member.id: e for e in context.lists.member_years(year, today)}
        members = [m for m in members if m.id in years]
    if args.format == "json":
        data = []
        for m in members:
            row: dict[str, object] = {
                "id": m.id,
                "name": m.name,
                "position": m.position,
                "role": m.role,
                "department": m.department,
                "active": m.on_roster(today),
            }
            if year is not None:
                row["year"] = year
                row.update(years[m.id].as_dict())
            data.append(row)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif year is not None:
        from studyplan.model.duties import DUTIES, rate_text

        print(
            format_table(
                ["编号", "姓名", "应到", "实到", "出勤率", *(d.name for d in DUTIES), "笔记检查"],
                [
                    (
                        m.id,
                        m.name,
                        years[m.id].attendance.expected,
                        years[m.id].attendance.attended,
                        rate_text(years[m.id].attendance.rate),
                        *(
                            f"{years[m.id].counts.done(d)}/{years[m.id].required[d.code]}"
                            for d in DUTIES
                        ),
                        years[m.id].counts.note_checks,
                    )
                    for m in members
                ],
            )
        )
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
                        "在册" if m.on_roster(today) else "已离任",
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
    for sentence in report.same_names:
        print(f"  同名：{sentence}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from studyplan.app.context import open_database
    from studyplan.app.demo import build_demo

    summary = build_demo(
        open_database(args.db), year=args.demo_year, years=args.years, members=args.members
    )
    print(
        f"已生成演示数据：成员 {summary.members} 人，场次 {summary.sessions} 场"
        f"（已举行 {summary.held} 场），考勤 {summary.marks} 条，"
        f"请假 {summary.leave_requests} 条，补学任务 {summary.makeups} 项。"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    year = args.year or args.today.year
    report = _context(args).compliance.check(year, args.today)
    for problem in report.problems:
        print(problem.message)
    for note in report.notes:
        print(f"提示：{note.message}")
    print(report.summary)
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_unit(args: argparse.Namespace) -> int:
    unit = _context(args).unit
    details = unit.details()
    shown = {
        "name": details.name,
        "name_in_use": unit.unit_name(args.today.year),
        "group": details.group,
        "secretary": details.secretary,
        "phone": details.phone,
        "next_brief": unit.next_brief_number(),
    }
    if args.format == "json":
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return EXIT_OK
    in_use = shown["name_in_use"] or "（无）"
    name = details.name or f"（未设置，按计划标题取：{in_use}）"
    rows = [
        ("单位名称", name),
        ("中心组名称", details.group),
        ("学习秘书", details.secretary or "（未设置）"),
        ("联系电话", details.phone or "（未设置）"),
        ("下一期学习简报", f"第 {shown['next_brief']} 期"),
    ]
    print(format_table(["项目", "内容"], rows))
    return EXIT_OK


def cmd_unit_set(args: argparse.Namespace) -> int:
    unit = _context(args).unit
    given = {
        field: value
        for field, value in (
            ("name", args.name),
            ("group", args.group),
            ("secretary", args.secretary),
            ("phone", args.phone),
        )
        if value is not None
    }
    if not given and args.next_brief is None:
        raise UsageError("请至少给出一项要修改的单位信息，例如 --name 市科学技术局")
    if args.next_brief is not None:
        try:
            unit.check_brief_number(args.next_brief)
        except ValidationError as error:
            raise UsageError(str(error)) from None
    saved = unit.save(replace(unit.details(), **given))
    if args.next_brief is not None:
        unit.set_next_brief_number(args.next_brief)
    print(f"已保存单位信息：{saved.name or '（单位名称未设置）'}，{saved.group}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    written = _context(args).safety.backup_to(args.out)
    print(f"已备份数据库到 {written}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from studyplan.app.context import Context, open_database
    from studyplan.app.safety import restore_backup

    restored = restore_backup(args.db, args.file)
    # Opening brings an older backup up to this version's schema; the trail notes the
    # restore as the window's does.
    context = Context.over(open_database(args.db), args.db, clock=args.clock)
    try:
        context.safety.note_restore(restored.source, restored.saved)
    finally:
        context.close()
    check = restored.check
    print(
        f"已从 {args.file} 恢复数据库（成员 {check.members} 人，场次 {check.sessions} 场）。"
        + (f"恢复前的数据库已备份到 {restored.saved}" if restored.saved else "")
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
            Path(args.db),
            out,
            view=args.view,
            size=args.size,
            year=args.year,
            month=args.month,
            today=args.today,
            # Said once the PNG is written: closing the window afterwards is not start-up.
            saved=lambda path: print(f"已保存截图：{path}", flush=True),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return EXIT_OK
