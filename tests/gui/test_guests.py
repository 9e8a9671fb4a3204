"""列席人员 (issue 17): entered in the attendance view, on the sign-in sheet in a block of
their own, never in 应到, 实到 or a rate; undone like any change."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.planning import PlanningService
from studyplan.app.signin import build_signin_sheet
from studyplan.gui.attendance.attendance_view import AttendanceView
from studyplan.gui.attendance.guests_dialog import GuestsDialog
from studyplan.io.signin import signin_html, write_signin_xlsx
from studyplan.model.clock import FixedClock
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session
from tests.gui.conftest import type_text

NOW = dt.datetime(2026, 3, 12, 18, 0)


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db, clock=FixedClock(NOW))
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def service(db) -> AttendanceService:
    return AttendanceService(db, clock=FixedClock(NOW))


@pytest.fixture
def session_id(planning, service) -> int:
    service.add_member("王建国", "局长", "组长", "局领导")
    service.add_member("李红梅", "副局长", "副组长", "局领导")
    return planning.save_session(
        Session(date=NOW.date(), start=dt.time(15), end=dt.time(17), topic_numbers=(1,))
    )


def test_guests_are_entered_in_the_view_and_printed_apart(
    qtbot, monkeypatch, planning, service, session_id, tmp_path
) -> None:
    view = AttendanceView(service, planning, clock=FixedClock(NOW))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.set_session(session_id)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(str(a)))

    def exec_(dialog: GuestsDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        type_text(dialog.name_edit, "张明")
        type_text(dialog.unit_edit, "市委党校教授")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        type_text(dialog.name_edit, "赵丽")
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
            "张明（市委党校教授）",
            "赵丽",
        ]
        return 0

    monkeypatch.setattr(GuestsDialog, "exec", exec_)
    qtbot.mouseClick(view.guests_button, Qt.MouseButton.LeftButton)
    assert [g.label for g in service.guests(session_id)] == ["张明（市委党校教授）", "赵丽"]
    assert view.undo_stack.undoText() == "新增列席人员：赵丽"

    do(service.mark_all_present, session_id)
    counts = service.counts(session_id)
    assert (counts.expected, counts.attended) == (2, 2)  # 列席 never in 应到 or 实到

    sheet = build_signin_sheet(planning, service, session_id)
    assert sheet.expected == 2 and [g.name for g in sheet.guests] == ["张明", "赵丽"]
    assert sheet.counts_line.endswith("列席 2 人")
    page = signin_html(sheet)
    assert page.index("李红梅") < page.index("列席人员") < page.index("市委党校教授")
    from openpyxl import load_workbook

    out = write_signin_xlsx(sheet, tmp_path / "签到表.xlsx")
    cells = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
    assert "列席人员" in cells and "市委党校教授" in cells and "单位或职务" in cells

    view.undo_stack.undo()  # the view's last step: 新增列席人员：赵丽
    assert [g.name for g in service.guests(session_id)] == ["张明"]


def test_a_guest_needs_a_name_and_is_not_entered_twice(service, session_id) -> None:
    with pytest.raises(ValidationError, match="请填写列席人员的姓名"):
        service.add_guest(session_id, "  ", "市委党校")
    service.add_guest(session_id, "张明", "市委党校教授")
    with pytest.raises(ValidationError, match="张明 已在这一场的列席人员中"):
        service.add_guest(session_id, "张 明", "市委党校教授")
    guest = service.guests(session_id)[0]
    change = do(service.remove_guest, guest.id)
    assert service.guests(session_id) == []
    change.undo()
    assert service.guests(session_id) == [guest]
