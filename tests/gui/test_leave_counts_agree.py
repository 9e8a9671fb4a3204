"""因公 and 因私 leave counted apart, alike in `leave list`, the 统计 view and the ledger; and
namesakes told apart in the ledger's name columns (issue 17)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook

from studyplan.app.context import Context
from studyplan.app.ledger import export_ledger
from studyplan.cli import main
from studyplan.gui.stats.stats_view import StatsView
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session

NOW = dt.datetime(2026, 2, 20, 9, 0)
TODAY = dt.date(2026, 4, 30)


def _record(path: Path) -> None:
    context = Context.open(path, clock=FixedClock(NOW))
    planning, attendance = context.planning, context.attendance
    planning.ensure_bundled_plan()
    ids = [
        planning.save_session(
            Session(
                date=dt.date(2026, 3, d), start=dt.time(15), end=dt.time(17), topic_numbers=(1,)
            )
        )
        for d in (5, 12, 26)
    ]
    wang = attendance.add_member("王建国", "局长", "组长", "局领导")
    li = attendance.add_member("李红梅", "副局长", "副组长", "局领导")
    namesake = attendance.add_member("王建国", "科员", "成员", "办公室")
    attendance.file_leave_span(
        wang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "出差", "赴京",
        approver="李红梅", approve=True,
    )  # fmt: skip
    sick = attendance.file_leave(namesake.id, ids[0], "发烧", kind="病假")
    attendance.approve_leave(sick.id, "李红梅")
    attendance.file_leave(namesake.id, ids[1], "家中有事", kind="事假")  # pending: not counted
    for session_id in ids:
        attendance.set_attendance(session_id, li.id, AttendanceStatus.PRESENT)
    context.close()


def test_the_counts_agree_everywhere(qtbot, capsys, tmp_path: Path) -> None:
    path = tmp_path / "counts.db"
    _record(path)
    assert main(["--db", str(path), "leave", "list", "--year", "2026", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)["approved_counts"]
    assert listed == {"因公": 3, "因私": 1}

    context = Context.open(path, clock=FixedClock.on(TODAY))
    view = StatsView(context.statistics, context.compliance, clock=FixedClock.on(TODAY))
    qtbot.addWidget(view)
    view.set_year(2026)
    view.refresh()
    assert "请假 因公 3 人次、因私 1 人次" in view.subtitle_label.text()

    out = tmp_path / "台账.xlsx"
    export_ledger(context.db, out, 2026, today=TODAY)
    context.close()
    wb = load_workbook(out)
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("已批准 2 条（因公 3 人次，因私 1 人次）" in t for t in texts)
    assert "已批准请假：因公 3 人次，因私 1 人次。" in texts
    names = {str(c.value) for row in wb["考勤表"].iter_rows() for c in row if c.value}
    assert {"王建国（局领导）", "王建国（办公室）"} <= names
    leave_rows = [[c.value for c in row] for row in wb["请假登记"].iter_rows()]
    assert any(
        row[1] == "王建国（局领导）" and row[3] == "2026-03-01 至 2026-03-31（3 场）"
        and row[4] == "因公·出差" and row[5] == "赴京"
        for row in leave_rows
    )  # fmt: skip


def test_the_stats_view_checks_a_session_on_a_rest_day(qtbot, tmp_path: Path) -> None:
    """A rest-day session is a problem of its own check on the card; the notes (提示) hold
    the members still on their way to a yearly duty."""
    context = Context.open(tmp_path / "rest.db", clock=FixedClock(NOW))
    context.planning.ensure_bundled_plan()
    context.planning.save_session(
        Session(date=dt.date(2026, 3, 14), start=dt.time(9), end=dt.time(11), topic_numbers=(1,)),
        allow_day_off=True,
    )
    view = StatsView(context.statistics, context.compliance, clock=FixedClock.on(TODAY))
    qtbot.addWidget(view)
    view.set_year(2026)
    view.refresh()
    view.show()
    assert not view.compliance_notes.isVisible()
    model = view.checklist_model
    rest = model.index(5, 0)
    assert rest.data().startswith("集中学习安排在工作日")
    assert [model.index(i, 0, rest).data() for i in range(model.rowCount(rest))] == [
        "2026-03-14（周六）的学习安排在休息日；如为调休上班日，请核实后在工作日历中设为工作日"
    ]
    context.attendance.add_member("李红梅", "副局长", "副组长", "局领导")
    view.refresh()
    assert view.compliance_notes.isVisible()
    assert view.compliance_notes.text() == (
        "提示：李红梅：交流发言 0/1、心得体会 0/2、调研报告或理论文章 0/1、个人自学计划 0/1，"
        "年度学习任务尚在进行中"
    )
    context.close()
