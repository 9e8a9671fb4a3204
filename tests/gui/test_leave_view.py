"""The 请假与补学 view: filing, approving and withdrawing leave; completing make-up study."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.gui.leave.leave_dialog import LeaveDialog
from studyplan.gui.leave.leave_models import (
    OVERDUE_BACKGROUND,
    LeaveModel,
    MakeupFilterProxy,
    MakeupModel,
)
from studyplan.gui.leave.leave_view import LeaveView
from studyplan.gui.leave.makeup_dialog import MakeupDialog
from studyplan.model.attendance import AttendanceStatus, MakeupStatus
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session, SessionStatus

TODAY = dt.date(2026, 3, 10)
PAST = dt.date(2026, 3, 5)  # held before TODAY
NEXT = dt.date(2026, 3, 12)  # still ahead on TODAY
NOW = dt.datetime(2026, 3, 10, 17, 0)  # TODAY, when requests are entered


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db)
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def service(db) -> AttendanceService:
    return AttendanceService(db)


@pytest.fixture
def people(service):
    return [
        service.add_member("王建国", "局长", "组长", "局领导"),
        service.add_member("李红梅", "副局长", "副组长", "局领导"),
        service.add_member("周文斌", "办公室主任", "成员", "办公室"),
    ]


def add_session(planning, day: dt.date, topics=(1,), status=SessionStatus.PLANNED) -> int:
    return planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=topics, status=status)
    )


@pytest.fixture
def sessions(planning) -> dict[str, int]:
    return {
        "past": add_session(planning, PAST, (1, 2), SessionStatus.HELD),
        "next": add_session(planning, NEXT, (3,)),
    }


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text)
    )
    return shown


@pytest.fixture
def confirm(monkeypatch) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture
def view(qtbot, service, planning, people, sessions) -> LeaveView:
    widget = LeaveView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cells(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def file_through_dialog(qtbot, monkeypatch, view, answer) -> None:
    monkeypatch.setattr(LeaveDialog, "ask", classmethod(lambda cls, *a, **k: answer))
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)


def test_approve_leave_marks_attendance_and_creates_makeup(
    qtbot, monkeypatch, view, service, people, sessions
):
    changed: list[bool] = []
    view.changed.connect(lambda: changed.append(True))
    filed = dt.datetime(2026, 3, 9, 9, 30)
    file_through_dialog(
        qtbot, monkeypatch, view, (people[1].id, sessions["next"], "参加省厅会议", filed, "王建国")
    )
    assert cells(view.leave_model, LeaveModel.COL_NAME) == ["李红梅"]
    assert cells(view.leave_model, LeaveModel.COL_SESSION) == ["2026-03-12 专题3"]
    assert cells(view.leave_model, LeaveModel.COL_DECISION) == ["待审批"]
    assert cells(view.leave_model, LeaveModel.COL_LATE) == [""]
    assert view.makeup_model.rowCount() == 0
    assert changed

    click_row(qtbot, view.leave_table, 0)
    assert view.approve_button.isEnabled()
    qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
    assert cells(view.leave_model, LeaveModel.COL_DECISION) == ["已批准"]
    assert cells(view.leave_model, LeaveModel.COL_APPROVER) == ["王建国"]
    assert not view.approve_button.isEnabled()

    marks = {m.name: mark for m, mark in service.attendance(sessions["next"])}
    assert marks["李红梅"].status is AttendanceStatus.LEAVE
    assert cells(view.makeup_model, MakeupModel.COL_NAME) == ["李红梅"]
    assert cells(view.makeup_model, MakeupModel.COL_STATUS) == ["待完成"]
    assert cells(view.makeup_model, MakeupModel.COL_TOPICS)[0].startswith("专题3 ")
    assert [e.member.name for e in service.makeups(today=TODAY)] == ["李红梅"]


def test_reject_asks_for_an_approver_when_none_was_given(
    qtbot, monkeypatch, view, service, people, sessions
):
    request = service.file_leave(
        people[2].id, sessions["next"], "出差", dt.datetime(2026, 3, 9, 8, 0), now=NOW
    )
    view.refresh()
    monkeypatch.setattr(
        "studyplan.gui.leave.leave_view.QInputDialog.getText", lambda *a, **k: ("李红梅", True)
    )
    view.select_request(request.id)
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    assert cells(view.leave_model, LeaveModel.COL_DECISION) == ["未批准"]
    assert service.leave_request(request.id).approver == "李红梅"
    assert view.makeup_model.rowCount() == 0


def test_late_request_is_flagged(qtbot, monkeypatch, view, people, sessions):
    filed = dt.datetime(2026, 3, 6, 8, 45)  # the day after the session
    file_through_dialog(
        qtbot, monkeypatch, view, (people[0].id, sessions["past"], "因病住院", filed, "李红梅")
    )
    index = view.leave_model.index(0, LeaveModel.COL_LATE)
    assert index.data() == "事后补假"
    assert index.data(Qt.ItemDataRole.ForegroundRole) == QColor("#b91c1c")


def test_withdraw_before_the_session_and_refused_after(
    qtbot, view, service, people, sessions, confirm, warnings
):
    before = service.file_leave(
        people[0].id, sessions["next"], "出差", dt.datetime(2026, 3, 9, 10, 0), "李红梅", now=NOW
    )
    service.approve_leave(before.id, decided_at=dt.datetime(2026, 3, 9, 11, 0))
    after = service.file_leave(
        people[1].id, sessions["past"], "病假", dt.datetime(2026, 3, 4, 10, 0), "王建国", now=NOW
    )
    view.refresh()
    assert view.makeup_model.rowCount() == 1

    view.select_request(before.id)
    qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    assert confirm and "王建国" in confirm[0]
    assert warnings == []
    assert cells(view.leave_model, LeaveModel.COL_NAME) == ["李红梅"]
    assert [e.request.id for e in service.leave_requests(year=2026)] == [after.id]
    assert view.makeup_model.rowCount() == 0  # the approved leave's make-up went with it

    view.select_request(after.id)
    qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    assert warnings == ["会议开始后不能撤回请假，如需更正请直接修改考勤。"]
    assert cells(view.leave_model, LeaveModel.COL_NAME) == ["李红梅"]


def test_complete_and_reopen_a_makeup(qtbot, monkeypatch, view, service, people, sessions, confirm):
    service.set_attendance(sessions["past"], people[2].id, AttendanceStatus.ABSENT)
    view.refresh()
    assert cells(view.makeup_model, MakeupModel.COL_STATUS) == ["待完成"]
    asked = []

    def answer(cls, parent, entry, **kwargs):
        asked.append(entry.member.name)
        return (dt.date(2026, 3, 9), "观看录像", "观看会议录像并提交心得一篇")

    monkeypatch.setattr(MakeupDialog, "ask", classmethod(answer))
    click_row(qtbot, view.makeup_table, 0)
    qtbot.mouseClick(view.complete_button, Qt.MouseButton.LeftButton)
    assert asked == ["周文斌"]
    assert cells(view.makeup_model, MakeupModel.COL_STATUS) == ["已完成"]
    assert cells(view.makeup_model, MakeupModel.COL_COMPLETED) == ["2026-03-09"]
    assert cells(view.makeup_model, MakeupModel.COL_METHOD) == ["观看录像"]
    [task] = service.makeups(today=TODAY)
    assert task.status is MakeupStatus.DONE
    assert (task.makeup.completed, task.makeup.method) == (dt.date(2026, 3, 9), "观看录像")

    assert view.reopen_button.isEnabled()
    qtbot.mouseClick(view.reopen_button, Qt.MouseButton.LeftButton)
    assert cells(view.makeup_model, MakeupModel.COL_STATUS) == ["待完成"]
    assert service.makeups(today=TODAY)[0].makeup.completed is None


def test_overdue_tasks_are_counted_highlighted_and_filtered(qtbot, service, planning, people):
    january = add_session(planning, dt.date(2026, 1, 15), (1,), SessionStatus.HELD)
    march = add_session(planning, PAST, (2,), SessionStatus.HELD)
    service.set_attendance(january, people[0].id, AttendanceStatus.ABSENT)
    service.set_attendance(january, people[1].id, AttendanceStatus.LEAVE)
    service.set_attendance(march, people[2].id, AttendanceStatus.ABSENT)
    widget = LeaveView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    assert widget.overdue_label.text() == "已逾期 2 项"
    assert cells(widget.makeup_model, MakeupModel.COL_STATUS) == ["已逾期", "已逾期", "待完成"]
    overdue = widget.makeup_model.index(0, MakeupModel.COL_NAME)
    assert overdue.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    pending = widget.makeup_model.index(2, MakeupModel.COL_NAME)
    assert pending.data(Qt.ItemDataRole.BackgroundRole) is None

    widget.makeup_filter.setCurrentIndex(widget.makeup_filter.findText("已逾期"))
    assert cells(widget.makeup_proxy, MakeupModel.COL_NAME) == ["王建国", "李红梅"]
    widget.makeup_filter.setCurrentIndex(widget.makeup_filter.findText("待完成"))
    assert cells(widget.makeup_proxy, MakeupModel.COL_NAME) == ["周文斌"]
    widget.makeup_filter.setCurrentIndex(widget.makeup_filter.findText("已完成"))
    assert widget.makeup_proxy.rowCount() == 0

    later = LeaveView(service, planning, clock=FixedClock.on(dt.date(2027, 1, 10)))
    qtbot.addWidget(later)
    later.set_year(2027)  # last year's open tasks still show in the new year
    assert later.makeup_model.rowCount() == 3
    assert later.overdue_label.text() == "已逾期 3 项"
    assert widget.summary_label.text().endswith("补学待完成 3 项（其中已逾期 2 项）")


def test_open_make_ups_of_an_earlier_year_are_counted_apart(
    qtbot, planning, service, people
) -> None:
    december = add_session(planning, dt.date(2026, 12, 30), (1,), SessionStatus.HELD)
    service.set_attendance(december, people[0].id, AttendanceStatus.ABSENT)  # due 2027-01-13
    view = LeaveView(service, planning, clock=FixedClock.on(dt.date(2027, 1, 10)))
    qtbot.addWidget(view)
    view.set_year(2027)
    assert view.makeup_model.rowCount() == 1
    assert view.summary_label.text().endswith("补学待完成 0 项，其他年度 1 项")


def test_only_a_session_in_progress_is_labelled_as_begun(qtbot, planning, service, sessions):
    members = service.list_members()
    year_sessions = planning.sessions(2026)
    during = dt.datetime(2026, 3, 5, 15, 30)  # the 2026-03-05 session runs 15:00–17:00
    dialog = LeaveDialog(members, year_sessions, now=during)
    qtbot.addWidget(dialog)
    labels = [dialog.session_combo.itemText(i) for i in range(dialog.session_combo.count())]
    assert labels[0] == "2026-03-05 15:00 专题1、2（已开始）"
    assert not any("已" in label for label in labels[1:])


def test_leave_dialog_offers_the_next_session_and_flags_late_filing(
    qtbot, planning, service, people, sessions
):
    members = service.list_members()
    year_sessions = planning.sessions(2026)
    now = dt.datetime(2026, 3, 10, 9, 0)
    dialog = LeaveDialog(members, year_sessions, now=now)
    qtbot.addWidget(dialog)
    assert dialog.session_combo.currentData() == sessions["next"]
    assert dialog.session_combo.itemText(0) == "2026-03-05 15:00 专题1、2（已结束）"
    assert dialog.member_combo.count() == 3
    assert dialog.late_label.isHidden()

    dialog.accept()
    assert dialog.error_label.text() == "请选择请假人。"
    assert not dialog.error_label.isHidden()
    dialog.member_combo.setCurrentIndex(1)
    assert dialog.error_label.isHidden()  # put right: the sentence goes
    dialog.accept()
    assert dialog.error_label.text() == "请填写请假事由。"
    dialog.reason_combo.setCurrentText("出差")
    dialog.approver_edit.setText("王建国")
    dialog.session_combo.setCurrentIndex(0)
    assert dialog.member_combo.currentData() == people[1].id
    assert not dialog.late_label.isHidden()
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.answer() == (people[1].id, sessions["past"], "出差", now, "王建国")


def test_makeup_dialog_answer(qtbot, service, people, sessions):
    service.set_attendance(sessions["past"], people[0].id, AttendanceStatus.LEAVE)
    [entry] = service.makeups(today=TODAY)
    dialog = MakeupDialog(entry, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.completed_edit.date().toPython() == TODAY
    assert dialog.completed_edit.minimumDate().toPython() == PAST
    dialog.method_combo.setCurrentText("")
    dialog.accept()
    assert not dialog.error_label.isHidden()
    dialog.method_combo.setCurrentText("补交心得")
    dialog.evidence_edit.setPlainText("心得一篇")
    dialog.accept()
    assert dialog.answer() == (TODAY, "补交心得", "心得一篇")
    dialog.completed_edit.setDate(dialog.completed_edit.date().addDays(1))
    assert dialog.completed_edit.date().toPython() == TODAY  # not done before it is


def test_a_request_cannot_be_entered_as_filed_later_than_now(
    qtbot, planning, service, people, sessions
):
    now = dt.datetime(2026, 3, 10, 9, 0)
    dialog = LeaveDialog(service.list_members(), planning.sessions(2026), now=now)
    qtbot.addWidget(dialog)
    dialog.member_combo.setCurrentIndex(0)
    dialog.reason_combo.setCurrentText("出差")
    dialog.filed_date.setDate(dialog.filed_date.date().addDays(2))
    assert dialog.filed_at().date() == now.date()  # the calendar stops at today
    dialog.filed_time.setTime(dialog.filed_time.time().addSecs(3600))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.error_label.text() == "提交时间不能晚于现在。"


def test_models_pass_the_model_tester(qtmodeltester, view, service, people, sessions):
    qtmodeltester.check(LeaveModel())
    qtmodeltester.check(MakeupModel())
    request = service.file_leave(
        people[0].id, sessions["past"], "出差", dt.datetime(2026, 3, 6, 9, 0), "李红梅", now=NOW
    )
    service.approve_leave(request.id, decided_at=dt.datetime(2026, 3, 6, 10, 0))
    service.set_attendance(sessions["past"], people[1].id, AttendanceStatus.ABSENT)
    view.refresh()
    assert view.leave_model.rowCount() == 1 and view.makeup_model.rowCount() == 2
    qtmodeltester.check(view.leave_model)
    qtmodeltester.check(view.makeup_model)
    proxy = MakeupFilterProxy()
    proxy.setSourceModel(view.makeup_model)
    proxy.set_status(MakeupStatus.PENDING)
    qtmodeltester.check(proxy)


def test_approval_and_withdrawal_are_undone_from_the_stack(
    qtbot, monkeypatch, view, service, people, sessions, confirm
):
    filed = dt.datetime(2026, 3, 9, 9, 30)
    file_through_dialog(
        qtbot, monkeypatch, view, (people[1].id, sessions["next"], "参加省厅会议", filed, "王建国")
    )
    click_row(qtbot, view.leave_table, 0)
    qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
    assert view.undo_stack.undoText() == "批准请假：李红梅"

    view.undo_stack.undo()
    assert cells(view.leave_model, LeaveModel.COL_DECISION) == ["待审批"]
    assert view.makeup_model.rowCount() == 0
    assert {m.name: mark for m, mark in service.attendance(sessions["next"])}["李红梅"] is None
    assert view.approve_button.isEnabled()  # the request is selected again

    view.undo_stack.redo()
    assert cells(view.leave_model, LeaveModel.COL_DECISION) == ["已批准"]
    assert cells(view.makeup_model, MakeupModel.COL_NAME) == ["李红梅"]

    qtbot.mouseClick(view.withdraw_button, Qt.MouseButton.LeftButton)
    assert view.leave_model.rowCount() == 0 and view.makeup_model.rowCount() == 0
    assert view.undo_stack.undoText() == "撤回请假：李红梅"
    view.undo_stack.undo()
    assert cells(view.leave_model, LeaveModel.COL_DECISION) == ["已批准"]
    assert cells(view.makeup_model, MakeupModel.COL_NAME) == ["李红梅"]
    view.undo_stack.redo()  # the view's day (TODAY) is before the session: allowed
    assert view.leave_model.rowCount() == 0


def test_the_summary_counts_requests_by_decision(view, service, people, sessions) -> None:
    filed = dt.datetime(2026, 3, 4, 9, 0)
    for member, decide in zip(people, ("approve", "reject", None), strict=False):
        request = service.file_leave(member.id, sessions["past"], "出差", filed, now=NOW)
        if decide == "approve":
            service.approve_leave(request.id, "何雨晴", filed)  # nobody approves their own
        elif decide == "reject":
            service.reject_leave(request.id, "何雨晴", filed)
    view.refresh()
    assert view.summary_label.text().startswith(
        "2026 年请假申请 3 项（已批准 1，未批准 1，待审批 1）"
    )


def test_a_make_up_of_a_session_still_ahead_cannot_be_completed_yet(
    qtbot, planning, service, people
) -> None:
    ahead = add_session(planning, dt.date(2026, 3, 17), (1,))  # a Tuesday after TODAY
    service.set_attendance(ahead, people[0].id, AttendanceStatus.ABSENT)
    view = LeaveView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(view)
    row = cells(view.makeup_model, MakeupModel.COL_NAME).index("王建国")
    view.makeup_table.setCurrentIndex(view.makeup_proxy.index(row, 0))
    assert not view.complete_button.isEnabled()
