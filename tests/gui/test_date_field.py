"""Date fields take a date typed digit by digit, and refuse one out of range at OK with the
reason, keeping the dialog open (issue 14, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from studyplan.gui.calendar.overrides_dialog import HolidayOverridesDialog, OverridesModel
from studyplan.gui.calendar.schedule_dialog import AutoScheduleDialog
from studyplan.gui.calendar.session_dialog import SessionDialog
from studyplan.gui.date_field import Bound, DateField, parse_date, range_problem
from studyplan.gui.leave.leave_dialog import LeaveDialog
from studyplan.gui.leave.makeup_dialog import MakeupDialog
from studyplan.gui.members.member_dialog import LastDayDialog, MemberDialog
from studyplan.gui.records.records_dialogs import ReflectionDialog
from studyplan.model.attendance import Makeup, MakeupEntry, MakeupStatus
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import Member

SESSION_DAY = dt.date(2026, 11, 12)
TODAY = dt.date(2026, 12, 6)


def _type(qtbot, field: DateField, text: str) -> None:
    """Select what the field shows and type `text` one key at a time, as a user does."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def _makeup_dialog(qtbot) -> MakeupDialog:
    session = Session(
        SESSION_DAY, dt.time(15), dt.time(17), status=SessionStatus.HELD, topic_numbers=(1,), id=1
    )
    member = Member("王建国", id=1)
    makeup = Makeup(member_id=1, session_id=1, due=dt.date(2026, 11, 26), id=1)
    entry = MakeupEntry(makeup, member, session, MakeupStatus.OVERDUE)
    dialog = MakeupDialog(entry, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_rule_and_the_reading() -> None:
    assert parse_date("2026-11-20") == dt.date(2026, 11, 20)
    assert parse_date("2026/1/5") == parse_date("2026.01.05") == dt.date(2026, 1, 5)
    assert parse_date("20261120") == parse_date("2026年11月20日") == dt.date(2026, 11, 20)
    assert parse_date("2026-02-30") is None
    assert parse_date("2026-11-") is None
    first, last = Bound(SESSION_DAY, "学习日期"), Bound(TODAY, "今天")
    assert range_problem(SESSION_DAY, "完成日期", first, last) is None
    assert (
        range_problem(dt.date(2026, 11, 1), "完成日期", first, last)
        == "完成日期不能早于学习日期 2026-11-12。"
    )
    assert (
        range_problem(dt.date(2026, 12, 7), "完成日期", first, last)
        == "完成日期不能晚于今天 2026-12-06。"
    )


def test_a_makeup_date_typed_digit_by_digit_is_kept(qtbot) -> None:
    dialog = _makeup_dialog(qtbot)
    _type(qtbot, dialog.completed_edit, "2026-11-20")
    assert dialog.completed_edit.text() == "2026-11-20"
    assert dialog.completed_edit.date() == QDate(2026, 11, 20)
    dialog.method_combo.setCurrentText("补交心得")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.answer()[0] == dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("2026-11-01", "完成日期不能早于学习日期 2026-11-12。"),
        ("2026-12-07", "完成日期不能晚于今天 2026-12-06。"),
        ("2026-11-31", "请按“年-月-日”填写完成日期，例如 2026-11-20。"),
        ("2026-11", "请按“年-月-日”填写完成日期，例如 2026-11-20。"),
    ],
)
def test_a_makeup_date_out_of_range_is_refused_at_ok(qtbot, typed: str, sentence: str) -> None:
    dialog = _makeup_dialog(qtbot)
    _type(qtbot, dialog.completed_edit, typed)
    assert dialog.completed_edit.text() == typed  # what was typed stays, to be put right
    dialog.method_combo.setCurrentText("补交心得")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert dialog.error_label.text() == sentence
    assert not dialog.error_label.isHidden()
    assert dialog.completed_edit.date() == QDate(2026, 12, 6)  # never a day out of range
    assert dialog.completed_edit.property("refused") is True  # shown red on the field
    assert dialog.completed_edit.toolTip() == sentence


def test_leaving_the_field_says_why(qtbot) -> None:
    dialog = _makeup_dialog(qtbot)
    _type(qtbot, dialog.completed_edit, "2026-11-01")
    qtbot.keyClick(dialog.completed_edit, Qt.Key.Key_Return)  # what leaving the field does
    assert dialog.error_label.text() == "完成日期不能早于学习日期 2026-11-12。"
    assert dialog.completed_edit.toolTip() == "完成日期不能早于学习日期 2026-11-12。"
    _type(qtbot, dialog.completed_edit, "2026-11-13")
    assert dialog.error_label.isHidden()


def test_the_calendar_picks_a_day_and_shows_every_week(qtbot) -> None:
    dialog = _makeup_dialog(qtbot)
    field = dialog.completed_edit
    field.show_calendar()
    popup = field._popup
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar
    assert calendar.minimumDate() == QDate(2026, 11, 12)
    assert calendar.maximumDate() == QDate(2026, 12, 6)
    greyed = calendar.dateTextFormat(QDate(2026, 12, 7)).foreground().color().name()
    assert greyed == "#c0c4cc"  # a day that cannot be picked looks it
    assert calendar.dateTextFormat(QDate(2026, 12, 4)).foreground().style() == Qt.BrushStyle.NoBrush
    # The six week rows fit: the popup is at least as big as the calendar asks for.
    assert calendar.height() >= calendar.sizeHint().height()
    assert calendar.width() >= calendar.sizeHint().width()
    calendar.clicked.emit(QDate(2026, 11, 30))
    assert not popup.isVisible()
    assert field.text() == "2026-11-30"
    assert field.date() == QDate(2026, 11, 30)


def test_up_and_down_step_a_day_within_range(qtbot) -> None:
    dialog = _makeup_dialog(qtbot)
    field = dialog.completed_edit
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert field.text() == "2026-12-05"
    qtbot.keyClick(field, Qt.Key.Key_Up)
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.text() == "2026-12-06"  # not past today


def test_a_session_date_typed_whole(qtbot, planning) -> None:
    dialog = SessionDialog(planning, day=dt.date(2026, 3, 19))
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.date_edit, "2026-11-20")
    assert dialog.session().date == dt.date(2026, 11, 20)
    assert dialog.weekday_label.text() == "星期五"
    _type(qtbot, dialog.date_edit, "2101-01-01")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "日期不能晚于 2100-12-31。"
    assert not [s for s in planning.sessions(2026) if s.date == dt.date(2026, 11, 20)]


def test_a_leave_filed_on_a_later_day_is_refused(qtbot) -> None:
    now = dt.datetime(2026, 3, 10, 9, 0)
    session = Session(dt.date(2026, 3, 20), dt.time(15), dt.time(17), id=1)
    dialog = LeaveDialog([Member("王建国", id=1)], [session], now=now)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.member_combo.setCurrentIndex(0)
    dialog.reason_combo.setCurrentText("出差")
    _type(qtbot, dialog.filed_date, "2026-03-02")
    assert dialog.filed_at() == dt.datetime(2026, 3, 2, 9, 0)
    _type(qtbot, dialog.filed_date, "2026-03-12")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "提交日期不能晚于今天 2026-03-10。"


def test_member_dates(qtbot) -> None:
    member = MemberDialog(None, today=TODAY, joined_default=TODAY)
    qtbot.addWidget(member)
    member.show()
    member.name_edit.setText("王建国")
    _type(qtbot, member.joined_edit, "2026-09-01")
    assert member.member().active_from == dt.date(2026, 9, 1)
    _type(qtbot, member.joined_edit, "1949-09-01")
    member.accept()
    assert member.result() != QDialog.DialogCode.Accepted
    assert member.error_label.text() == "加入日期不能早于 1950-01-01。"

    leaving = LastDayDialog(Member("李明", active_from=dt.date(2026, 5, 1), id=2), TODAY)
    qtbot.addWidget(leaving)
    leaving.show()
    _type(qtbot, leaving.date_edit, "2026-04-30")
    leaving.accept()
    assert leaving.result() != QDialog.DialogCode.Accepted
    assert leaving.error_label.text() == "最后一天不能早于加入日期 2026-05-01。"
    _type(qtbot, leaving.date_edit, "2026-05-01")
    leaving.accept()
    assert leaving.result() == QDialog.DialogCode.Accepted
    assert leaving.date_edit.date() == QDate(2026, 5, 1)


def test_a_reflection_date(qtbot) -> None:
    dialog = ReflectionDialog(Member("王建国", id=1), SESSION_DAY, None, TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.date_edit, "2026-11-11")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "提交日期不能早于学习日期 2026-11-12。"
    _type(qtbot, dialog.date_edit, "2026-11-20")
    dialog.accept()
    assert dialog.answer() == (dt.date(2026, 11, 20), "", "")
    assert dialog.weekday_label.text() == "星期五"


def test_a_schedule_start_outside_the_year(qtbot, planning) -> None:
    dialog = AutoScheduleDialog(planning, 2026, today=dt.date(2026, 3, 10))
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.start_date_edit, "2026-06-01")
    assert dialog.request().start_date == dt.date(2026, 6, 1)
    _type(qtbot, dialog.start_date_edit, "2027-01-05")
    assert dialog.preview() is None
    assert dialog.error_label.text() == "起始日期不能晚于 2026-12-31。"
    assert not dialog.ok_button.isEnabled()


def test_an_override_date_typed_in_the_table(qtbot, planning) -> None:
    dialog = HolidayOverridesDialog(planning, 2027)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_row()
    index = dialog.model.index(0, OverridesModel.COL_DATE)
    dialog.table.edit(index)
    editor = dialog.table.indexWidget(index) or dialog.table.focusWidget()
    assert isinstance(editor, DateField)
    _type(qtbot, editor, "2027-02-20")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits the editor's date next
    qtbot.waitUntil(lambda: dialog.model.entries()[0].date == dt.date(2027, 2, 20))

    dialog.table.edit(index)
    editor = dialog.table.focusWidget()
    assert isinstance(editor, DateField)
    _type(qtbot, editor, "2028-01-01")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error_label.text() == "日期不能晚于 2027-12-31。")
    assert dialog.model.entries()[0].date == dt.date(2027, 2, 20)
