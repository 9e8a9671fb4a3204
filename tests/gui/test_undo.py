"""编辑 > 撤销/重做 through the real window actions: deleting a session, auto-scheduling,
全部出席 and importing the roster are undone and redone exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from studyplan.app.attendance import AttendanceService
from studyplan.app.context import Context
from studyplan.app.planning import PlanningService
from studyplan.gui.calendar.schedule_dialog import AutoScheduleDialog
from studyplan.gui.main_window import MainWindow
from studyplan.gui.members.member_dialog import ImportReportDialog
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session, SessionStatus
from tests.sample_session import DAY, dump, load_session

#: The window's clock: the morning after the last March session these tests mark, so that
#: marking them needs no "not held yet" question.
CLOCK = FixedClock(dt.datetime(2026, 4, 1, 9, 0))


@pytest.fixture
def loaded(db, tmp_path):
    return load_session(db, tmp_path / "archive")


@pytest.fixture
def main(qtbot, db, loaded, tmp_path) -> MainWindow:
    planning = PlanningService(db, clock=CLOCK)
    window = MainWindow(Context.with_planning(planning, tmp_path / "archive", clock=CLOCK))
    qtbot.addWidget(window)
    return window


@pytest.fixture
def answer_yes(monkeypatch) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    return shown


def _delete_from_calendar(window: MainWindow, day: dt.date) -> None:
    window.show_view("calendar")
    window.calendar.set_month(day.year, day.month, select=day)
    index = window.calendar.model.index_for_date(day)
    window.calendar.view.deleteRequested.emit(index)


def test_edit_menu_actions_and_shortcuts(window) -> None:
    assert window.act_undo.text() == "撤销" and not window.act_undo.isEnabled()
    assert window.act_redo.text() == "重做" and not window.act_redo.isEnabled()
    assert QKeySequence("Ctrl+Z") in window.act_undo.shortcuts()
    redo_keys = window.act_redo.shortcuts()
    assert QKeySequence("Ctrl+Y") in redo_keys and QKeySequence("Ctrl+Shift+Z") in redo_keys


def test_deleting_a_held_session_is_undone_with_every_row(
    main, db, loaded, answer_yes, warnings
) -> None:
    before = dump(db)
    main.record_attendance(loaded.session_id)
    _delete_from_calendar(main, DAY)
    assert "Ctrl+Z" in answer_yes[0]
    gone = dump(db)
    assert loaded.session_id not in [row[0] for row in gone["sessions"]]
    for table in ("attendance", "leave_requests", "makeups", "study_records", "speeches"):
        left = db.execute(f"SELECT count(*) FROM {table} WHERE session_id = ?", [loaded.session_id])
        assert left.fetchone()[0] == 0
    assert main.calendar.model.sessions() == []
    assert main.act_undo.text() == "撤销 删除场次（3月12日）"

    main.act_undo.trigger()
    assert dump(db) == before
    assert [s.id for s in main.calendar.model.sessions()] == [loaded.session_id]
    assert main.attendance.session_combo.findData(loaded.session_id) >= 0
    assert main.act_redo.text() == "重做 删除场次（3月12日）"

    main.act_redo.trigger()
    assert dump(db) == gone
    assert main.calendar.model.sessions() == []
    main.act_undo.trigger()
    assert dump(db) == before
    main.act_redo.trigger()
    main.act_undo.trigger()
    assert dump(db) == before
    assert warnings == []


def test_undo_after_the_id_was_taken_restores_under_a_new_id(
    main, db, loaded, answer_yes, warnings
) -> None:
    _delete_from_calendar(main, DAY)
    planning = PlanningService(db)
    fresh = planning.save_session(
        Session(date=dt.date(2026, 3, 19), start=dt.time(9), end=dt.time(11))
    )
    assert fresh > loaded.session_id  # ids are never handed out twice (migration 0007)
    # A row written with an explicit id (another restore, say) can still take it.
    db.execute("UPDATE sessions SET id = ? WHERE id = ?", [loaded.session_id, fresh])
    newcomer = loaded.session_id
    main.act_undo.trigger()
    sessions = {s.date: s.id for s in planning.sessions(2026)}
    assert sessions[dt.date(2026, 3, 19)] == newcomer
    restored = sessions[DAY]
    assert restored != newcomer
    assert AttendanceService(db).counts(restored).attended == 2
    main.act_redo.trigger()
    assert DAY not in {s.date for s in planning.sessions(2026)}
    assert warnings == []


def test_auto_schedule_is_undone_and_redone(main, db, loaded, monkeypatch, warnings) -> None:
    planning = PlanningService(db)
    replaced = planning.save_session(
        Session(date=dt.date(2026, 5, 14), start=dt.time(15), end=dt.time(17), topic_numbers=(4,))
    )
    before = dump(db)
    before_sessions = planning.sessions(2026)

    def replace_and_accept(dialog: AutoScheduleDialog) -> int:
        dialog.start_date_edit.setDate(QDate(2026, 4, 1))
        dialog.replace_check.setChecked(True)
        dialog.preview()
        assert dialog.removed_model.rowCount() == 1
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AutoScheduleDialog, "exec", replace_and_accept)
    main.calendar.set_month(2026, 5)
    main.act_auto_schedule.trigger()
    after = dump(db)
    after_sessions = planning.sessions(2026)
    applied = main.undo_stack.command(0).change
    created = applied.result
    assert applied.log.removed("sessions") == (replaced,)
    assert sorted(s.id for s in after_sessions) == sorted(
        {loaded.other_session_id, loaded.session_id, *created}
    )
    assert main.act_undo.text() == f"撤销 自动排期（{len(created)} 场）"

    main.act_undo.trigger()
    assert dump(db) == before
    assert [s.id for s in main.calendar.model.sessions()] == [replaced]
    main.act_redo.trigger()
    assert dump(db) == after
    assert planning.sessions(2026) == after_sessions
    main.act_undo.trigger()
    assert planning.sessions(2026) == before_sessions
    assert warnings == []


def test_an_undo_that_no_longer_fits_says_why_and_leaves_the_stack(
    main, db, loaded, monkeypatch, warnings
) -> None:
    def accept(dialog: AutoScheduleDialog) -> int:
        dialog.preview()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AutoScheduleDialog, "exec", accept)
    planning = PlanningService(db)
    before_ids = {s.id for s in planning.sessions(2026)}
    main.act_auto_schedule.trigger()
    new_id = next(s.id for s in planning.sessions(2026) if s.id not in before_ids)
    AttendanceService(db).set_attendance(new_id, loaded.member_ids[0], AttendanceStatus.PRESENT)
    assert main.undo_stack.count() == 1
    main.act_undo.trigger()
    assert warnings == ["自动排期生成的场次已登记考勤、请假或学习记录，不能撤销。"]
    assert main.undo_stack.count() == 0 and not main.act_undo.isEnabled()
    assert planning.session(new_id).status is SessionStatus.HELD


def test_all_present_is_undone_and_redone(main, db, loaded, qtbot, warnings) -> None:
    planning = PlanningService(db)
    attendance = AttendanceService(db)
    session_id = planning.save_session(
        Session(date=dt.date(2026, 3, 26), start=dt.time(15), end=dt.time(17))
    )
    main.data_changed({"sessions"})
    view = main.attendance
    main.record_attendance(session_id)
    assert view.session_id() == session_id
    before = dump(db)
    qtbot.mouseClick(view.all_present_button, Qt.MouseButton.LeftButton)
    assert attendance.counts(session_id).attended == 4
    assert planning.session(session_id).status is SessionStatus.HELD
    after = dump(db)
    assert main.act_undo.text() == "撤销 全部出席（4 人）"

    main.act_undo.trigger()
    assert dump(db) == before
    assert view.counts().unmarked == 4 and view.counts().attended == 0
    assert "计划" in view.status_label.text()
    main.act_redo.trigger()
    assert dump(db) == after
    assert view.counts().attended == 4
    assert "已举行" in view.status_label.text()
    main.act_undo.trigger()
    assert dump(db) == before
    assert warnings == []


def test_all_present_undo_keeps_marks_entered_before_and_after(
    main, db, loaded, qtbot, warnings
) -> None:
    planning = PlanningService(db)
    attendance = AttendanceService(db)
    session_id = planning.save_session(
        Session(date=dt.date(2026, 3, 26), start=dt.time(15), end=dt.time(17))
    )
    first, second, *_ = loaded.member_ids
    attendance.set_attendance(session_id, first, AttendanceStatus.LEAVE)
    main.data_changed({"sessions"})
    main.record_attendance(session_id)
    qtbot.mouseClick(main.attendance.all_present_button, Qt.MouseButton.LeftButton)
    assert main.act_undo.text() == "撤销 全部出席（3 人）"
    attendance.set_attendance(session_id, second, AttendanceStatus.ABSENT)
    main.act_undo.trigger()
    marks = {m.id: mark for m, mark in attendance.attendance(session_id)}
    assert marks[first].status is AttendanceStatus.LEAVE
    assert marks[second].status is AttendanceStatus.ABSENT
    assert [mid for mid, mark in marks.items() if mark is None] == list(loaded.member_ids[2:])
    assert planning.session(session_id).status is SessionStatus.HELD


def test_roster_import_is_undone_and_redone(
    main, db, loaded, tmp_path, monkeypatch, warnings
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "职务", "处室"])
    sheet.append([1, "王建国", "局党组书记、局长", ""])
    sheet.append([2, "李明", "副局长", "局领导"])  # updated: 处室
    sheet.append([3, "钱七", "副局长", "局领导"])  # added
    sheet.append([4, "周八", "总工程师", "局领导"])  # added
    path = tmp_path / "名单.xlsx"
    workbook.save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    reports = []
    monkeypatch.setattr(
        ImportReportDialog, "show_report", classmethod(lambda cls, p, r: reports.append(r))
    )
    members = main.views["members"]
    attendance = AttendanceService(db)
    before = dump(db)
    main.show_view("members")
    members.import_button.click()
    assert len(reports) == 1 and len(reports[0].added) == 2 and len(reports[0].updated) == 1
    after = dump(db)
    assert members.model.rowCount() == 6
    assert attendance.member(loaded.member_ids[1]).department == "局领导"
    assert main.act_undo.text() == "撤销 导入名单（新增 2 人，更新 1 人）"

    main.act_undo.trigger()
    assert dump(db) == before
    assert members.model.rowCount() == 4
    assert attendance.member(loaded.member_ids[1]).department == ""
    main.act_redo.trigger()
    assert dump(db) == after
    assert members.model.rowCount() == 6
    main.act_undo.trigger()
    assert dump(db) == before
    assert warnings == []


def test_the_stack_survives_a_year_change(main, answer_yes) -> None:
    _delete_from_calendar(main, DAY)
    main.set_year(2027)
    assert main.undo_stack.count() == 1 and main.act_undo.isEnabled()
    main.act_undo.trigger()
    assert main.year == 2027
    main.set_year(2026)
    main.calendar.set_month(2026, 3)
    assert [s.date for s in main.calendar.model.sessions()] == [DAY]


def test_ctrl_z_and_ctrl_y_from_the_keyboard(main, qtbot, db, answer_yes) -> None:
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    before = dump(db)
    _delete_from_calendar(main, DAY)
    gone = dump(db)
    focus = main.calendar.view
    focus.setFocus()
    qtbot.keyClick(focus, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dump(db) == before
    qtbot.keyClick(focus, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert dump(db) == gone
    qtbot.keyClick(focus, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        focus,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert dump(db) == gone


def test_one_mark_from_the_keyboard_is_undone_and_redone(main, db, loaded, qtbot, warnings) -> None:
    planning = PlanningService(db)
    attendance = AttendanceService(db)
    session_id = planning.save_session(
        Session(date=dt.date(2026, 3, 26), start=dt.time(15), end=dt.time(17))
    )
    main.data_changed({"sessions"})
    view = main.attendance
    main.record_attendance(session_id)
    first = view.model.member(0)
    before = dump(db)
    view.table.setCurrentIndex(view.model.index(0, view.model.COL_STATUS))
    qtbot.keyClick(view.table, Qt.Key.Key_5)  # 缺席
    assert view.model.mark(0).status is AttendanceStatus.ABSENT
    assert main.act_undo.text() == f"撤销 考勤：{first.name} 未登记→缺席"
    after = dump(db)

    main.act_undo.trigger()
    assert dump(db) == before
    assert view.model.mark(0) is None
    assert "计划" in view.status_label.text()
    assert view.table.currentIndex().row() == 0

    # Redone from another session: the view goes back to the one it concerns.
    other = planning.save_session(
        Session(date=dt.date(2026, 3, 31), start=dt.time(15), end=dt.time(17))
    )
    main.data_changed({"sessions"})
    main.record_attendance(other)
    assert view.session_id() == other
    main.act_redo.trigger()
    assert dump(db)["makeups"] == after["makeups"]
    assert view.session_id() == session_id
    assert view.model.mark(0).status is AttendanceStatus.ABSENT
    assert attendance.counts(session_id).absent == 1
    assert warnings == []


def _fill_session_form(monkeypatch, fill) -> None:
    """Answer the session form as a user would: change what `fill` changes, then OK."""
    from studyplan.gui.calendar.session_dialog import SessionDialog

    def exec_(dialog: SessionDialog) -> int:
        fill(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SessionDialog, "exec", exec_)


def test_a_new_session_is_undone_and_redone(main, db, loaded, monkeypatch, warnings) -> None:
    planning = PlanningService(db)
    before = dump(db)
    day = dt.date(2026, 3, 26)

    def fill(dialog) -> None:
        dialog.location_edit.setText("局机关五楼会议室")
        dialog.set_topic_checked(6)

    _fill_session_form(monkeypatch, fill)
    main.calendar.set_month(2026, 3, select=day)
    main.act_new_session.trigger()
    added = dump(db)
    [made] = [s for s in planning.sessions_in_month(2026, 3) if s.date == day]
    assert made.location == "局机关五楼会议室" and made.topic_numbers == (6,)
    assert main.act_undo.text() == "撤销 新建场次（3月26日）"

    main.act_undo.trigger()
    assert dump(db) == before
    assert day not in [s.date for s in main.calendar.model.sessions()]
    main.act_redo.trigger()
    assert dump(db) == added
    assert day in [s.date for s in main.calendar.model.sessions()]
    assert warnings == []


def test_moving_a_session_is_undone_with_its_make_up_deadlines(
    main, db, loaded, monkeypatch, warnings
) -> None:
    planning = PlanningService(db)
    attendance = AttendanceService(db)
    before = dump(db)

    def dues() -> list[dt.date]:
        tasks = attendance.makeups(year=2026)
        return sorted(e.makeup.due for e in tasks if e.session.id == loaded.session_id)

    dues_before = dues()
    assert dues_before
    moved_to = DAY + dt.timedelta(days=7)

    def fill(dialog) -> None:
        dialog.date_edit.setDate(QDate(moved_to.year, moved_to.month, moved_to.day))
        dialog.location_edit.setText("党校报告厅")

    _fill_session_form(monkeypatch, fill)
    main.calendar.edit_session(planning.session(loaded.session_id))
    moved = dump(db)
    assert planning.session(loaded.session_id).date == moved_to
    week = dt.timedelta(days=7)
    assert dues() == [due + week for due in dues_before]
    assert main.act_undo.text() == "撤销 修改场次（3月19日）"

    main.act_undo.trigger()
    assert dump(db) == before
    assert planning.session(loaded.session_id).location == "局机关三楼会议室"
    main.act_redo.trigger()
    assert dump(db) == moved
    assert warnings == []


def test_undoing_a_new_session_is_refused_once_attendance_is_on_it(
    main, db, loaded, monkeypatch, warnings
) -> None:
    planning = PlanningService(db)
    day = dt.date(2026, 4, 9)
    _fill_session_form(monkeypatch, lambda dialog: None)
    main.calendar.set_month(2026, 4, select=day)
    main.act_new_session.trigger()
    [made] = [s for s in planning.sessions_in_month(2026, 4) if s.date == day]
    AttendanceService(db).mark_all_present(made.id)
    marked = dump(db)

    main.act_undo.trigger()
    assert dump(db) == marked
    assert len(warnings) == 1 and "无法撤销" in warnings[0]
    assert not main.act_undo.text().startswith("撤销 新建场次")


def test_undoing_an_edit_is_refused_after_a_later_change(
    main, db, loaded, monkeypatch, warnings
) -> None:
    planning = PlanningService(db)
    _fill_session_form(monkeypatch, lambda dialog: dialog.location_edit.setText("党校报告厅"))
    main.calendar.edit_session(planning.session(loaded.session_id))
    changed = planning.session(loaded.session_id)
    planning.save_session(replace(changed, notes="会后补充了材料"))
    later = dump(db)

    main.act_undo.trigger()
    assert dump(db) == later
    assert warnings == ["这一场次此后又有改动（例如登记了考勤），无法撤销。"]


def test_ok_on_an_unchanged_session_form_adds_no_undo_step(main, db, loaded, monkeypatch) -> None:
    planning = PlanningService(db)
    entries = main.undo_stack.count()
    _fill_session_form(monkeypatch, lambda dialog: None)
    main.calendar.edit_session(planning.session(loaded.session_id))
    assert main.undo_stack.count() == entries
