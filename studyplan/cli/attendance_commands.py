"""The commands for attendance and leave: `leave add`, `leave list` and `attendance`, each
calling the same use case as the window; bad words are one sentence, exit 2, nothing
written."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from studyplan.cli.arguments import EXIT_OK, UsageError
from studyplan.cli.commands import _context, format_table
from studyplan.model.attendance import AttendanceStatus, LeaveEntry


def _leave_json(entry: LeaveEntry, names: dict[int, str]) -> dict:
    request = entry.request
    return {
        "id": request.span_id,
        "member_id": entry.member.id,
        "name": entry.member.name,
        "display_name": names.get(entry.member.id or 0, entry.member.name),
        "type": request.kind,
        "category": request.category.value if request.category else "",
        "from": entry.first_day.isoformat(),
        "to": entry.last_day.isoformat(),
        "sessions": [{"id": s.id, "date": s.date.isoformat()} for s in entry.sessions],
        "reason": request.reason,
        "filed_at": request.filed_at.isoformat(timespec="minutes"),
        "decision": request.decision.value,
        "decision_label": request.decision.label,
        "approver": request.approver,
        "refusal": request.refusal,
        "late": request.late,
    }


def cmd_leave_add(args: argparse.Namespace) -> int:
    service = _context(args).attendance
    if args.approve and not args.approver:
        raise UsageError("批准请假须用 --approver 给出审批人。")
    member = service.find_member(args.member)
    assert member.id is not None
    last = args.to or args.start
    made = service.file_leave_span(
        member.id,
        args.start,
        last,
        args.type,
        args.reason,
        approver=args.approver or "",
        approve=args.approve,
    )
    name = service.display_name(member)
    days = "、".join(f"{service.session(r.session_id).date:%m-%d}" for r in made)
    state = "已批准" if args.approve else "待审批"
    print(f"已登记 {name} 的请假（{made[0].kind_label}，{len(made)} 场：{days}），{state}。")
    return EXIT_OK


def cmd_leave_list(args: argparse.Namespace) -> int:
    service = _context(args).attendance
    year = args.year or args.today.year
    entries = service.leave_requests(year=year)
    names = service.display_names()
    counts = service.leave_counts(year)
    if args.format == "json":
        data = {
            "year": year,
            "leaves": [_leave_json(e, names) for e in entries],
            "approved_counts": counts,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    rows = [
        (
            e.request.span_id,
            names.get(e.member.id or 0, e.member.name),
            e.request.kind_label or "—",
            e.span_label,
            e.request.reason,
            e.request.decision_label,
            e.request.approver,
        )
        for e in entries
    ]
    print(format_table(["编号", "姓名", "类别", "日期", "事由", "审批结果", "审批人"], rows))
    print("已批准请假：" + "，".join(f"{k} {v} 人次" for k, v in counts.items()) + "。")
    return EXIT_OK


def _status(text: str) -> tuple[AttendanceStatus, dt.time | None]:
    """出席, 迟到@15:20, 早退@16:30, 请假 or 缺席 (codes such as late work too)."""
    label, _, at = text.partition("@")
    try:
        status = AttendanceStatus.from_label(label)
    except ValueError:
        listed = "、".join(s.label for s in AttendanceStatus)
        raise UsageError(f"没有“{label}”这种考勤状态，可选：{listed}。") from None
    if not at:
        return status, None
    if not status.takes_time:
        raise UsageError(f"只有迟到和早退可以带时间：{text}")
    try:
        return status, dt.datetime.strptime(at, "%H:%M").time()
    except ValueError:
        raise UsageError(f"时间格式应为 HH:MM（00:00–23:59）：{at}") from None


def cmd_attendance(args: argparse.Namespace) -> int:
    service = _context(args).attendance
    session = service.session(args.session_id)
    if args.set:
        entries = []
        for item in args.set:
            who, sep, what = item.partition("=")
            if not sep or not who.strip() or not what.strip():
                raise UsageError(f"--set 的写法应为 姓名=状态，例如 王建国=迟到@15:20：{item}")
            status, time = _status(what.strip())
            member = service.find_member(who)
            assert member.id is not None
            entries.append((member.id, status, time))
        marks = service.set_attendance_many(args.session_id, entries)
        print(f"已登记 {session.date:%Y-%m-%d} 这一场 {len(marks)} 人的考勤。")
    names = service.display_names()
    rows = service.attendance(args.session_id)
    counts = service.counts(args.session_id)
    if args.format == "json":
        data = {
            "session": {"id": session.id, "date": session.date.isoformat()},
            "members": [
                {
                    "member_id": m.id,
                    "name": m.name,
                    "display_name": names.get(m.id or 0, m.name),
                    "status": mark.status.value if mark else None,
                    "status_label": mark.status.label if mark else "未登记",
                    "time": f"{mark.time:%H:%M}" if mark and mark.time else None,
                    "note": mark.note if mark else "",
                }
                for m, mark in rows
            ],
            "counts": {
                "expected": counts.expected,
                "attended": counts.attended,
                "leave": counts.leave,
                "absent": counts.absent,
                "late": counts.late,
                "left_early": counts.left_early,
            },
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    table = [
        (
            m.id,
            names.get(m.id or 0, m.name),
            mark.status.label if mark else "未登记",
            f"{mark.time:%H:%M}" if mark and mark.time else "",
            mark.note if mark else "",
        )
        for m, mark in rows
    ]
    print(format_table(["编号", "姓名", "考勤", "时间", "备注"], table))
    print(counts.summary)
    return EXIT_OK
