"""Creating and editing sessions through the session dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

from studyplan.gui.calendar.session_dialog import SessionDialog
from studyplan.model.plan import Session, SessionStatus
from tests.gui.conftest import type_text

DAY = dt.date(2026, 3, 19)


def _tick_topic(dialog: SessionDialog, number: int, qtbot) -> None:
    row = next(
        r
        for r in range(dialog.topic_model.rowCount())
        if f"专题{number} " in dialog.topic_model.item(r).text()
    )
    dialog.topic_list.setCurrentIndex(dialog.topic_model.index(row, 0))
    qtbot.keyClick(dialog.topic_list, Qt.Key.Key_Space)


def _click_ok(dialog: SessionDialog, qtbot) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_new_session_is_saved_with_what_was_typed(qtbot, planning) -> None:
    dialog = SessionDialog(planning, None, DAY)
    qtbot.addWidget(dialog)
    assert dialog.start_edit.time() == QTime(15, 0)
    assert dialog.end_edit.time() == QTime(17, 0)
    dialog.location_edit.clear()  # a new session starts with the last place (issue 14)
    type_text(dialog.location_edit, "局机关三楼会议室")
    type_text(dialog.host_edit, "张局长")
    _tick_topic(dialog, 3, qtbot)
    _click_ok(dialog, qtbot)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved is not None and dialog.saved.id is not None
    [stored] = planning.sessions_in_month(2026, 3)
    assert stored.id == dialog.saved.id
    assert (stored.date, stored.location, stored.host) == (DAY, "局机关三楼会议室", "张局长")
    assert stored.topic_numbers == (3,)
    assert (stored.start, stored.end) == (dt.time(15, 0), dt.time(17, 0))
    assert stored.status is SessionStatus.PLANNED


def test_end_before_start_keeps_the_dialog_open_with_the_sentence(qtbot, planning) -> None:
    dialog = SessionDialog(planning, None, DAY)
    qtbot.addWidget(dialog)
    dialog.end_edit.setTime(QTime(14, 0))
    _click_ok(dialog, qtbot)

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.saved is None
    assert not dialog.error_label.isHidden()
    assert "结束时间必须晚于开始时间" in dialog.error_label.text()
    assert planning.sessions_in_month(2026, 3) == []


def test_second_session_on_a_day_asks_first(qtbot, planning, replies) -> None:
    planning.save_session(Session(date=DAY, start=dt.time(9), end=dt.time(11)))
    asked = replies(QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    dialog = SessionDialog(planning, None, DAY)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.saved is None and len(planning.sessions_in_month(2026, 3)) == 1
    assert "已有学习场次" in asked[0]

    dialog.accept()
    assert dialog.saved is not None
    assert len(planning.sessions_in_month(2026, 3)) == 2


def test_a_session_on_a_holiday_asks_first_and_a_second_question_follows(
    qtbot, planning, monkeypatch
) -> None:
    national_day = dt.date(2026, 10, 1)
    planning.save_session(
        Session(date=national_day, start=dt.time(9), end=dt.time(11)), allow_day_off=True
    )
    no, yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
    answers = [no, yes, yes]
    asked: list[tuple[str, str]] = []

    def question(parent, title, text, *args):
        asked.append((title, text))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = SessionDialog(planning, None, national_day)
    qtbot.addWidget(dialog)
    _click_ok(dialog, qtbot)
    assert dialog.saved is None and len(planning.sessions_in_month(2026, 10)) == 1
    assert asked[0][0] == "同一天已有场次"
    _click_ok(dialog, qtbot)
    assert [title for title, _ in asked[1:]] == ["同一天已有场次", "不是工作日"]
    assert asked[2][1] == "2026-10-01（国庆节）不是工作日，确定在这天安排学习吗？"
    assert dialog.saved is not None and len(planning.sessions_in_month(2026, 10)) == 2


def test_changing_other_fields_of_a_weekend_session_does_not_ask_again(
    qtbot, planning, monkeypatch
) -> None:
    saturday = dt.date(2026, 3, 14)
    sid = planning.save_session(
        Session(date=saturday, start=dt.time(9), end=dt.time(11)), allow_day_off=True
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail(f"asked: {a[2]}"))
    dialog = SessionDialog(planning, planning.session(sid), None)
    qtbot.addWidget(dialog)
    type_text(dialog.location_edit, "党校")
    _click_ok(dialog, qtbot)
    assert planning.session(sid).location == "党校"


def test_editing_keeps_the_id_and_loads_the_fields(qtbot, planning) -> None:
    sid = planning.save_session(
        Session(
            date=DAY,
            start=dt.time(9, 30),
            end=dt.time(11),
            location="二楼会议室",
            topic_numbers=(1, 2),
            lecturer="李处长",
        )
    )
    dialog = SessionDialog(planning, planning.session(sid), None)
    qtbot.addWidget(dialog)
    assert dialog.checked_topics() == (1, 2)
    assert dialog.location_edit.text() == "二楼会议室"
    assert dialog.lecturer_edit.text() == "李处长"
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData(SessionStatus.HELD.value))
    dialog.set_topic_checked(2, False)
    dialog.accept()

    stored = planning.session(sid)
    assert stored.status is SessionStatus.HELD
    assert stored.topic_numbers == (1,)
    assert len(planning.sessions_in_month(2026, 3)) == 1


def test_topics_follow_the_year_of_the_date(qtbot, planning) -> None:
    dialog = SessionDialog(planning, None, DAY)
    qtbot.addWidget(dialog)
    assert dialog.topic_model.rowCount() == 14
    dialog.date_edit.setDate(dialog.date_edit.date().addYears(1))
    assert dialog.topic_model.rowCount() == 0
    assert "2027" in dialog.topic_hint.text()


def test_ticks_come_back_when_the_date_returns_to_their_year(qtbot, planning) -> None:
    sid = planning.save_session(
        Session(date=dt.date(2026, 12, 10), start=dt.time(15), end=dt.time(17), topic_numbers=(14,))
    )
    dialog = SessionDialog(planning, planning.session(sid), None)
    qtbot.addWidget(dialog)
    dialog.date_edit.setDate(QDate(2027, 1, 7))  # one turn of the wheel on the year
    assert dialog.checked_topics() == ()
    assert "已勾选的专题14不在该年计划中，已取消勾选" in dialog.topic_hint.text()
    dialog.date_edit.setDate(QDate(2026, 12, 10))
    assert dialog.checked_topics() == (14,)
    assert dialog.topic_hint.text() == "2026 年计划共 14 个专题"


def test_ctrl_enter_saves_from_the_notes(qtbot, planning) -> None:
    dialog = SessionDialog(planning, None, DAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.notes_edit.setFocus()
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return)  # a new line, not a save
    assert dialog.saved is None
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved is not None and dialog.result() == QDialog.DialogCode.Accepted
