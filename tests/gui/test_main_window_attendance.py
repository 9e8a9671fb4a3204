"""The attendance views inside the main window: turnout on the calendar, overdue count."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from studyplan.app.attendance import AttendanceService
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session


def _held_session(window, planning) -> int:
    service: AttendanceService = window._services.attendance
    for name in ("王建国", "李红梅", "张立新"):
        service.add_member(name, "副局长")
    session_id = planning.save_session(
        Session(dt.date(2026, 3, 5), dt.time(15), dt.time(17), topic_numbers=(1,))
    )
    service.mark_all_present(session_id)
    member = service.list_members()[1]
    service.set_attendance(session_id, member.id, AttendanceStatus.ABSENT)
    return session_id


def test_calendar_shows_turnout_of_held_sessions(window, planning, qtbot) -> None:
    _held_session(window, planning)
    window.calendar.refresh()
    model = window.calendar.model
    cell = next(
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if model.cell(model.index(r, c)).date == dt.date(2026, 3, 5)
    )
    assert "到会 2/3" in model.data(cell, Qt.ItemDataRole.ToolTipRole)


def test_record_attendance_from_the_calendar_opens_the_session(window, planning) -> None:
    session_id = _held_session(window, planning)
    window.calendar.attendanceRequested.emit(session_id)
    assert window.current_view_name() == "attendance"
    assert "应到 3" in window.attendance.counts_text()


def test_overdue_make_ups_are_counted_in_the_status_bar(window, planning) -> None:
    _held_session(window, planning)
    window.data_changed({"attendance", "makeups"})
    # Due 14 days after 2026-03-05; the window's today is 2026-03-10, so not yet overdue.
    assert window.overdue_label.text() == ""
    window.clock = FixedClock.on(dt.date(2026, 4, 1))
    window.data_changed({"attendance", "makeups"})
    assert window.overdue_label.text() == "补学逾期 1 项"


def test_every_view_is_registered_in_order(window) -> None:
    assert list(window.views) == [
        "calendar",
        "members",
        "attendance",
        "leave",
        "records",
        "stats",
        "audit",
        "lists",
    ]


def test_records_from_the_calendar_opens_the_session(window, planning) -> None:
    session_id = _held_session(window, planning)
    window.calendar.recordsRequested.emit(session_id)
    assert window.current_view_name() == "records"
    assert window.records.session_id == session_id


def test_signin_sheet_exported_from_the_attendance_view(
    window, planning, tmp_path, monkeypatch
) -> None:
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    session_id = _held_session(window, planning)
    target = tmp_path / "签到表"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel (*.xlsx)")
    )
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    menu = window.signin.menu(session_id)
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["打印预览…", "打印…"]
    written = window.signin.export(session_id, ".xlsx")
    assert written == target.with_suffix(".xlsx") and written.exists()
    assert shown and str(written) in shown[0]
    sheet = load_workbook(written).active
    names = {c.value for row in sheet.iter_rows() for c in row}
    assert {"王建国", "李红梅", "张立新"} <= names


def test_a_dotted_signin_file_name_is_kept_and_a_file_there_is_not_replaced_unasked(
    window, planning, tmp_path, monkeypatch
) -> None:
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    session_id = _held_session(window, planning)
    other = tmp_path / "签到表 v1.xlsx"  # what the name cut at its last dot would have been
    other.write_bytes(b"another sheet")
    typed = tmp_path / "签到表 v1.2"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(typed), "Excel (*.xlsx)")
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    export = next(
        a for a in window.signin.menu(session_id).actions() if a.text() == "导出 Excel（.xlsx）…"
    )

    export.trigger()
    written = tmp_path / "签到表 v1.2.xlsx"
    assert shown == [f"已保存：{written}"] and asked == []
    assert other.read_bytes() == b"another sheet"
    names = {c.value for row in load_workbook(written).active.iter_rows() for c in row}
    assert "王建国" in names

    written.write_bytes(b"kept")
    export.trigger()  # the dialog asked about 签到表 v1.2, not 签到表 v1.2.xlsx: ask here
    assert asked == ["文件 签到表 v1.2.xlsx 已存在，要替换它吗？"]
    assert written.read_bytes() == b"kept" and len(shown) == 1
