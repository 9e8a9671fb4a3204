"""The 考勤 view: marking a session from the keyboard, the counts bar, and its model."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.gui.attendance.attendance_view import AttendanceView
from studyplan.gui.attendance.attendance_view_grid import AttendanceModel, StatusRole, parse_time
from studyplan.gui.common import session_label
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session, SessionStatus

TODAY = dt.date(2026, 3, 20)
DAY = dt.date(2026, 3, 12)


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
        service.add_member("王建国", "局党组书记、局长", "组长", "局领导"),
        service.add_member("李红梅", "副局长", "副组长", "局领导"),
        service.add_member("周文斌", "办公室主任", "成员", "办公室"),
        service.add_member("何雨晴", "办公室副主任", "学习秘书", "办公室"),
        service.add_member("=1+1", "科员", "成员", "人事处"),
    ]


def add_session(planning, day=DAY, topics=(1, 2), status=SessionStatus.PLANNED) -> int:
    return planning.save_session(
        Session(
            date=day,
            start=dt.time(15),
            end=dt.time(17),
            location="局机关三楼会议室",
            topic_numbers=topics,
            status=status,
        )
    )


@pytest.fixture
def session_id(planning) -> int:
    return add_session(planning)


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text)
    )
    return shown


@pytest.fixture
def view(qtbot, service, planning, people, session_id) -> AttendanceView:
    widget = AttendanceView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_session(session_id)
    return widget


def shown(view: AttendanceView, row: int, column: int) -> str:
    return view.model.index(row, column).data()


def click_row(qtbot, view: AttendanceView, row: int) -> None:
    rect = view.table.visualRect(view.model.index(row, AttendanceModel.COL_NAME))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def marks(service, session_id) -> dict[str, object]:
    return {m.name: mark for m, mark in service.attendance(session_id)}


def test_session_picker_and_header(view, session_id):
    assert view.session_id() == session_id
    assert view.session_combo.currentText() == "2026-03-12 15:00 专题1、2"
    assert "2026年3月12日" in view.title_label.text()
    assert "局机关三楼会议室" in view.title_label.text()
    assert "专题1" in view.topics_label.text() and "专题2" in view.topics_label.text()
    assert view.counts_text() == "应到 5 实到 0 请假 0 缺席 0 迟到 0 早退 0 未登记 5"
    assert [shown(view, r, AttendanceModel.COL_STATUS) for r in range(5)] == ["未登记"] * 5
    assert shown(view, 4, AttendanceModel.COL_NAME) == "=1+1"


def test_mark_a_session_with_the_keyboard(qtbot, view, service, session_id, people):
    changed: list[bool] = []
    # A change that can be undone is announced by the undo stack the view pushes it on.
    view.undo_stack.applied.connect(lambda *_: changed.append(True))
    resets: list[bool] = []
    view.model.modelReset.connect(lambda: resets.append(True))

    qtbot.mouseClick(view.all_present_button, Qt.MouseButton.LeftButton)
    assert [shown(view, r, AttendanceModel.COL_STATUS) for r in range(5)] == ["出席"] * 5
    assert view.counts_text().startswith("应到 5 实到 5 请假 0")
    assert changed

    resets.clear()
    click_row(qtbot, view, 1)
    qtbot.keyClick(view.table, "4")
    assert shown(view, 1, AttendanceModel.COL_STATUS) == "请假"
    assert view.table.currentIndex().row() == 2
    assert "请假 <b" in view.count_labels["请假"].text()
    assert view.counts_text() == "应到 5 实到 4 请假 1 缺席 0 迟到 0 早退 0 未登记 0"
    tasks = service.makeups(today=TODAY)
    assert [(t.member.name, t.session.id) for t in tasks] == [("李红梅", session_id)]

    qtbot.keyClick(view.table, "K")
    assert shown(view, 2, AttendanceModel.COL_STATUS) == "缺席"
    assert view.counts().absent == 1
    assert view.table.currentIndex().row() == 3

    # 迟到 opens the time cell of the same row; the time is typed and confirmed with Enter.
    qtbot.keyClick(view.table, "2")
    assert shown(view, 3, AttendanceModel.COL_STATUS) == "迟到"
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.objectName() == "timeEditor"
    qtbot.keyClicks(editor, "15:25")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop
    qtbot.waitUntil(lambda: shown(view, 3, AttendanceModel.COL_TIME) == "15:25")
    assert view.table.currentIndex().row() == 4
    assert view.table.currentIndex().column() == AttendanceModel.COL_STATUS
    assert resets == []  # single rows were updated, not the whole table

    stored = marks(service, session_id)
    assert stored["李红梅"].status is AttendanceStatus.LEAVE
    assert stored["周文斌"].status is AttendanceStatus.ABSENT
    assert stored["何雨晴"].status is AttendanceStatus.LATE
    assert stored["何雨晴"].time == dt.time(15, 25)
    assert view.counts_text() == "应到 5 实到 3 请假 1 缺席 1 迟到 1 早退 0 未登记 0"
    assert len(service.makeups(today=TODAY)) == 2


def test_back_to_present_removes_the_makeup(qtbot, view, service, session_id):
    click_row(qtbot, view, 0)
    qtbot.keyClick(view.table, "q")
    assert len(service.makeups(today=TODAY)) == 1
    click_row(qtbot, view, 0)
    qtbot.keyClick(view.table, "c")
    assert shown(view, 0, AttendanceModel.COL_STATUS) == "出席"
    assert service.makeups(today=TODAY) == []
    view.table.setCurrentIndex(view.model.index(0, AttendanceModel.COL_STATUS))
    qtbot.keyClick(view.table, "x")  # not a status key: nothing happens, no editor opens
    assert view.table.state() != view.table.State.EditingState
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert shown(view, 0, AttendanceModel.COL_STATUS) == "未登记"
    assert marks(service, session_id)["王建国"] is None


def test_time_typed_in_the_time_cell_and_refused_time(qtbot, view, service, session_id, warnings):
    click_row(qtbot, view, 2)
    qtbot.keyClick(view.table, "3")  # 早退
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert shown(view, 2, AttendanceModel.COL_TIME) == "未填"

    index = view.model.index(2, AttendanceModel.COL_TIME)
    view.table.setCurrentIndex(index)
    qtbot.keyClick(view.table, "1")  # a digit on the time cell starts typing the time
    qtbot.keyClicks(QApplication.focusWidget(), "640")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(view, 2, AttendanceModel.COL_TIME) == "16:40")
    assert marks(service, session_id)["周文斌"].time == dt.time(16, 40)

    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "17:30")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == ["周文斌 的离会时间应早于会议结束时间（17:00）。"]
    assert shown(view, 2, AttendanceModel.COL_TIME) == "16:40"


def test_status_editor_and_note(qtbot, view, service, session_id):
    index = view.model.index(0, AttendanceModel.COL_STATUS)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    combo = view.table.findChild(QComboBox, "statusEditor")
    assert combo is not None
    assert [combo.itemText(i) for i in range(combo.count())][:2] == ["出席（1）", "迟到（2）"]
    combo.setCurrentIndex(combo.findData(AttendanceStatus.ABSENT.value))
    combo.activated.emit(combo.currentIndex())
    assert index.data(StatusRole) == AttendanceStatus.ABSENT.value

    note = view.model.index(0, AttendanceModel.COL_NOTE)
    view.table.setCurrentIndex(note)
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    QApplication.focusWidget().insert("未请假")  # as an input method commits it
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(view, 0, AttendanceModel.COL_NOTE) == "未请假")
    mark = marks(service, session_id)["王建国"]
    assert (mark.status, mark.note) == (AttendanceStatus.ABSENT, "未请假")


def test_member_no_longer_expected_shows_the_sentence(qtbot, view, service, people, warnings):
    service.deactivate_member(people[1].id, dt.date(2026, 3, 1))
    click_row(qtbot, view, 1)
    qtbot.keyClick(view.table, "1")
    qtbot.waitUntil(lambda: bool(warnings))
    assert "李红梅 在2026年03月12日不在中心组名单中" in warnings[0]
    assert shown(view, 1, AttendanceModel.COL_STATUS) == "未登记"
    view.refresh()
    assert view.model.rowCount() == 4


def test_cancelled_session_is_read_only(qtbot, view, planning, service, warnings):
    cancelled = add_session(planning, dt.date(2026, 4, 9), (3,), SessionStatus.CANCELLED)
    view.refresh()
    view.set_session(cancelled)
    assert view.session_combo.currentText() == "2026-04-09 15:00 专题3（已取消）"
    assert not view.notice_label.isHidden()
    assert not view.all_present_button.isEnabled()
    click_row(qtbot, view, 0)
    qtbot.keyClick(view.table, "1")
    qtbot.waitUntil(lambda: bool(warnings))
    assert warnings == ["2026年04月09日的学习已取消，不能登记考勤。"]
    assert shown(view, 0, AttendanceModel.COL_STATUS) == "未登记"
    assert marks(service, cancelled)["王建国"] is None


def test_year_default_session_and_signin_signal(qtbot, view, planning, session_id):
    later = add_session(planning, dt.date(2026, 5, 14), (4,))
    view.set_year(2026)
    view.refresh()
    assert view.session_combo.count() == 2
    fresh = AttendanceView(view._service, planning, clock=FixedClock.on(dt.date(2026, 6, 1)))
    qtbot.addWidget(fresh)
    assert fresh.session_id() == later  # the latest session by that day
    empty_year = AttendanceView(view._service, planning, clock=FixedClock.on(dt.date(2025, 6, 1)))
    qtbot.addWidget(empty_year)
    assert empty_year.session_id() is None
    assert empty_year.model.rowCount() == 0
    assert not empty_year.signin_button.isEnabled()
    empty_year.set_session(session_id)
    assert empty_year.year == 2026 and empty_year.model.rowCount() == 5

    with qtbot.waitSignal(view.signin_requested) as blocker:
        qtbot.mouseClick(view.signin_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [session_id]
    view.set_session(None)
    assert view.model.rowCount() == 0


def test_sixty_members_update_one_row(qtbot, service, planning):
    for number in range(60):
        service.add_member(f"成员{number:02d}", "科员")
    session_id = add_session(planning)
    widget = AttendanceView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    widget.show()
    widget.set_session(session_id)
    assert widget.model.rowCount() == 60
    changes: list[tuple[int, int]] = []
    widget.model.dataChanged.connect(lambda a, b, _r=(): changes.append((a.row(), b.row())))
    widget.table.setCurrentIndex(widget.model.index(30, AttendanceModel.COL_STATUS))
    qtbot.keyClick(widget.table, "5")
    assert changes == [(30, 30)]
    assert widget.table.currentIndex().row() == 31


def test_models_pass_the_model_tester(qtmodeltester, view, service):
    empty = AttendanceModel(service)
    qtmodeltester.check(empty)
    qtmodeltester.check(view.model)
    view.mark_all_present()
    view.model.set_status(1, AttendanceStatus.LATE)
    qtmodeltester.check(view.model)


def test_labels_and_time_parsing(planning, session_id):
    assert session_label(planning.session(session_id)) == "2026-03-12 15:00 专题1、2"
    assert parse_time("15:20") == dt.time(15, 20)
    assert parse_time("15：20") == dt.time(15, 20)
    assert parse_time("1520") == dt.time(15, 20)
    assert parse_time("9.05") == dt.time(9, 5)
    assert parse_time("15点") == dt.time(15, 0)
    assert parse_time(" ") is None
    with pytest.raises(ValidationError, match="无法识别"):
        parse_time("25:00")


def test_marking_a_session_still_ahead_asks_once(qtbot, service, planning, people, replies) -> None:
    ahead = add_session(planning, day=TODAY + dt.timedelta(days=7))
    asked = replies(QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    widget = AttendanceView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    widget.set_session(ahead)
    qtbot.mouseClick(widget.all_present_button, Qt.MouseButton.LeftButton)
    assert asked == ["2026年03月27日的学习尚未举行，登记考勤后它将记为已举行。确定现在登记吗？"]
    assert service.counts(ahead).attended == 0
    assert planning.session(ahead).status is SessionStatus.PLANNED

    qtbot.mouseClick(widget.all_present_button, Qt.MouseButton.LeftButton)
    assert service.counts(ahead).attended == len(people)
    assert widget.set_status(0, AttendanceStatus.LATE)  # no second question
    assert len(asked) == 2


def test_a_key_that_repeats_the_mark_writes_nothing_to_undo(view, service, session_id) -> None:
    assert view.set_status(0, AttendanceStatus.PRESENT)
    entries = view.undo_stack.count()
    assert view.set_status(0, AttendanceStatus.PRESENT)
    assert view.undo_stack.count() == entries


def test_esc_skips_the_time_and_the_next_key_is_for_the_next_person(
    qtbot, view, service, session_id
) -> None:
    view.table.setCurrentIndex(view.model.index(1, AttendanceModel.COL_STATUS))
    qtbot.keyClick(view.table, "3")  # 早退: the time cell opens
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.objectName() == "timeEditor"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.table.currentIndex().row() == 2)
    assert view.table.currentIndex().column() == AttendanceModel.COL_STATUS
    qtbot.keyClick(view.table, "5")
    assert shown(view, 1, AttendanceModel.COL_STATUS) == "早退"
    assert shown(view, 2, AttendanceModel.COL_STATUS) == "缺席"
