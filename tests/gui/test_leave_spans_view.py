"""The 请假与补学 view with leave types, leave for a date range, refusals' reasons and
namesakes (issue 17), driven through its widgets."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.gui.leave.leave_dialog import LeaveDialog
from studyplan.gui.leave.leave_models import LeaveModel
from studyplan.gui.leave.leave_view import LeaveView
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session
from tests.gui.conftest import type_text

NOW = dt.datetime(2026, 3, 10, 17, 0)
DAYS = (dt.date(2026, 3, 12), dt.date(2026, 3, 19), dt.date(2026, 3, 26))


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db, clock=FixedClock(NOW))
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def service(db) -> AttendanceService:
    return AttendanceService(db, clock=FixedClock(NOW))


@pytest.fixture
def march(planning, service):
    ids = [
        planning.save_session(
            Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
        )
        for day in DAYS
    ]
    members = [
        service.add_member("王建国", "局长", "组长", "局领导"),
        service.add_member("李红梅", "副局长", "副组长", "局领导"),
        service.add_member("王建国", "科员", "成员", "办公室"),
    ]
    return ids, members


@pytest.fixture
def view(qtbot, service, planning, march) -> LeaveView:
    widget = LeaveView(service, planning, clock=FixedClock(NOW))
    qtbot.addWidget(widget)
    widget.resize(1400, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def cells(model, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _fill_in(qtbot, monkeypatch, member_index: int, until: dt.date | None) -> list[str]:
    """Answer the real form as a secretary would: the member, a reason, a span, approver."""
    errors: list[str] = []

    def exec_(dialog: LeaveDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.member_combo.setCurrentIndex(member_index)
        type_text(dialog.reason_combo.lineEdit(), "赴京出差")
        if until is not None:
            qtbot.mouseClick(dialog.span_check, Qt.MouseButton.LeftButton)
            dialog.until_date.setDate(until)
        type_text(dialog.approver_edit, "李红梅")
        dialog.accept()
        if dialog.result() != QDialog.DialogCode.Accepted:
            errors.append(dialog.error_label.text())
        return dialog.result()

    monkeypatch.setattr(LeaveDialog, "exec", exec_)
    return errors


def test_a_leave_for_march_is_filed_once_and_approved_for_every_session(
    qtbot, monkeypatch, view, service, march
):
    ids, members = march
    errors = _fill_in(qtbot, monkeypatch, 0, dt.date(2026, 3, 31))
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert errors == []
    assert cells(view.leave_model, LeaveModel.COL_SESSION) == ["2026-03-12 至 2026-03-31（3 场）"]
    assert cells(view.leave_model, LeaveModel.COL_KIND) == ["因公·出差"]  # from the reason
    assert cells(view.leave_model, LeaveModel.COL_NAME) == ["王建国（局领导）"]
    view.leave_table.setCurrentIndex(view.leave_model.index(0, 0))
    qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)
    for session_id in ids:
        marks = {m.id: k for m, k in service.attendance(session_id)}
        assert marks[members[0].id].status is AttendanceStatus.LEAVE
        assert marks[members[2].id] is None  # the namesake is not on leave
    assert view.undo_stack.undoText() == "批准请假：王建国（局领导）（3 场）"
    view.undo_stack.undo()
    assert all({m.id: k for m, k in service.attendance(i)}[members[0].id] is None for i in ids)


def test_a_refusal_asks_for_its_reason_and_shows_it(qtbot, monkeypatch, view, service, march):
    _fill_in(qtbot, monkeypatch, 2, None)
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    assert cells(view.leave_model, LeaveModel.COL_NAME) == ["王建国（办公室）"]
    asked: list[str] = []

    def get_text(parent, title, label, *args, **kwargs):
        asked.append(label)
        return "会议需要本人汇报", True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(str(a)))
    view.leave_table.setCurrentIndex(view.leave_model.index(0, 0))
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    assert asked == ["不批准 王建国（办公室） 的请假，理由是？"]
    assert cells(view.leave_model, LeaveModel.COL_DECISION) == ["未批准"]
    assert cells(view.leave_model, LeaveModel.COL_REFUSAL) == ["会议需要本人汇报"]


def test_the_form_asks_for_a_type_when_the_reason_names_none(qtbot, march, service, planning):
    dialog = LeaveDialog(service.list_members(), planning.sessions(2026), now=NOW)
    qtbot.addWidget(dialog)
    dialog.member_combo.setCurrentIndex(1)
    type_text(dialog.reason_combo.lineEdit(), "家中有事")
    dialog.accept()
    assert dialog.error_label.text() == "请选择请假类别（因公或因私）。"
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("事假"))
    dialog.kind_combo.activated.emit(dialog.kind_combo.currentIndex())
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.terms() == ("事假", None)
