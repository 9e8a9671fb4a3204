"""The month calendar: its model, keys, and the session actions behind them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from studyplan.gui.calendar.calendar_page import CalendarPage
from studyplan.gui.calendar.month_model import MonthModel, session_line
from studyplan.gui.calendar.session_dialog import SessionDialog
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session, SessionStatus
from tests.gui.conftest import TODAY


def _add(planning, day: dt.date, *topics: int, **fields) -> int:
    return planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=topics, **fields),
        allow_same_day=True,
    )


def test_month_model_passes_the_model_tester(qtmodeltester, planning) -> None:
    model = MonthModel(planning, 2026, 3, today=TODAY)
    qtmodeltester.check(model)
    _add(planning, dt.date(2026, 3, 12), 1)
    _add(planning, dt.date(2026, 3, 12), 2, status=SessionStatus.CANCELLED)
    model.refresh()
    qtmodeltester.check(model)


def test_grid_is_six_weeks_from_monday_with_days_and_sessions(planning) -> None:
    _add(planning, dt.date(2026, 3, 12), 1, 2)
    _add(planning, dt.date(2026, 2, 28), 5)  # outside March, still on the grid
    model = MonthModel(planning, 2026, 3, today=TODAY)
    assert (model.rowCount(), model.columnCount()) == (6, 7)
    assert model.first == dt.date(2026, 2, 23) and model.first.weekday() == 0
    assert model.headerData(0, Qt.Orientation.Horizontal) == "一"
    assert model.headerData(6, Qt.Orientation.Horizontal) == "日"
    cell = model.cell(model.index_for_date(dt.date(2026, 3, 12)))
    assert cell is not None and cell.in_month
    assert [session_line(s) for s in cell.sessions] == ["15:00 专题1、2"]
    outside = model.cell(model.index_for_date(dt.date(2026, 2, 28)))
    assert outside is not None and not outside.in_month and len(outside.sessions) == 1
    assert model.cell(model.index_for_date(TODAY)).is_today
    assert [s.topic_numbers for s in model.sessions()] == [(1, 2)]


def test_holidays_and_adjusted_workdays_are_marked(planning) -> None:
    model = MonthModel(planning, 2026, 10, today=TODAY)
    national_day = model.cell(model.index_for_date(dt.date(2026, 10, 1)))
    assert national_day is not None
    assert not national_day.info.is_workday and national_day.badge == "休"
    assert "国庆" in national_day.info.holiday_name
    worked = [c for c in model._cells if c.info.is_adjusted_workday]
    assert worked and all(c.badge == "班" for c in worked)


def test_month_switch_is_one_query(planning, monkeypatch) -> None:
    model = MonthModel(planning, 2026, 3, today=TODAY)
    calls: list[tuple[dt.date, dt.date]] = []
    original = planning.sessions_between

    def counting(first: dt.date, last: dt.date):
        calls.append((first, last))
        return original(first, last)

    monkeypatch.setattr(planning, "sessions_between", counting)
    model.set_month(2026, 4)
    assert calls == [(dt.date(2026, 3, 30), dt.date(2026, 5, 10))]


def test_turnout_hook_reaches_the_cells(planning, qtbot) -> None:
    sid = _add(planning, dt.date(2026, 3, 12), 1, status=SessionStatus.HELD)

    def turnout(first: dt.date, last: dt.date) -> dict[int, tuple[int, int]]:
        return {sid: (12, 14)}

    page = CalendarPage(planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(page)
    page.set_turnout(turnout)
    cell = page.model.cell(page.model.index_for_date(dt.date(2026, 3, 12)))
    assert cell is not None and cell.turnout == {sid: (12, 14)}
    assert "到会 12/14" in page.model.data(
        page.model.index_for_date(dt.date(2026, 3, 12)), Qt.ItemDataRole.ToolTipRole
    )
    page.resize(900, 600)
    assert not page.grab().isNull()  # the delegate paints every kind of cell


def test_planned_and_cancelled_sessions_show_no_turnout(planning, qtbot) -> None:
    """Nobody has come to a session still ahead: 到会 0/14 would only crowd out its topic."""
    planned = _add(planning, dt.date(2026, 12, 10), 14)
    cancelled = _add(planning, dt.date(2026, 12, 17), 13, status=SessionStatus.CANCELLED)
    page = CalendarPage(planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(page)
    page.set_turnout(lambda first, last: {planned: (0, 14), cancelled: (0, 14)})
    page.set_month(2026, 12)
    for day in (dt.date(2026, 12, 10), dt.date(2026, 12, 17)):
        index = page.model.index_for_date(day)
        assert page.model.cell(index).turnout == {}
        assert "到会" not in page.model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_page_keys_switch_months_and_years(window, qtbot) -> None:
    view = window.calendar.view
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert (window.calendar.year, window.calendar.month) == (2026, 4)
    assert window.calendar.selected_date() == dt.date(2026, 4, 10)
    assert window.month_combo.currentIndex() == 3
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert (window.calendar.year, window.calendar.month) == (2026, 2)
    window.calendar.set_month(2026, 12)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert (window.calendar.year, window.calendar.month) == (2027, 1)
    assert window.year == 2027 and window.year_combo.currentData() == 2027


def test_arrow_keys_move_the_selected_day(window, qtbot) -> None:
    view = window.calendar.view
    assert window.calendar.selected_date() == TODAY
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.calendar.selected_date() == TODAY + dt.timedelta(days=1)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.calendar.selected_date() == TODAY + dt.timedelta(days=8)


def test_delete_key_asks_then_deletes(window, planning, qtbot, monkeypatch) -> None:
    day = dt.date(2026, 3, 12)
    _add(planning, day, 4)
    window.calendar.refresh()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    view = window.calendar.view
    view.setCurrentIndex(window.calendar.model.index_for_date(day))

    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert len(planning.sessions_in_month(2026, 3)) == 1
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert planning.sessions_in_month(2026, 3) == []
    cell = window.calendar.model.cell(window.calendar.model.index_for_date(day))
    assert cell is not None and cell.sessions == ()
    assert window.calendar.topics.model.overview(3).scheduled == 0


def test_enter_opens_new_or_existing_session(window, planning, qtbot, monkeypatch) -> None:
    calls: list[tuple] = []

    def ask(parent, service, session, day):
        calls.append((session, day))
        return None

    monkeypatch.setattr(SessionDialog, "ask", ask)
    view = window.calendar.view
    empty = dt.date(2026, 3, 11)
    view.setCurrentIndex(window.calendar.model.index_for_date(empty))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert calls == [(None, empty)]

    sid = _add(planning, dt.date(2026, 3, 12), 2)
    window.calendar.refresh()
    view.setCurrentIndex(window.calendar.model.index_for_date(dt.date(2026, 3, 12)))
    qtbot.keyClick(view, Qt.Key.Key_Enter)
    assert calls[-1][0].id == sid


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_double_click_opens_the_day(window, qtbot, monkeypatch) -> None:
    calls: list[dt.date] = []
    monkeypatch.setattr(SessionDialog, "ask", lambda p, s, session, day: calls.append(day))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    view = window.calendar.view
    day = dt.date(2026, 3, 18)
    rect = view.visualRect(window.calendar.model.index_for_date(day))
    # Qt's item views want the press before the double-click, as a real mouse sends it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert calls == [day]


def test_session_made_in_the_dialog_shows_in_calendar(window, planning, qtbot, monkeypatch):
    def fill_and_accept(dialog: SessionDialog) -> int:
        dialog.location_edit.setText("局机关三楼会议室")
        dialog.set_topic_checked(6)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SessionDialog, "exec", fill_and_accept)
    day = dt.date(2026, 3, 26)
    window.calendar.view.setCurrentIndex(window.calendar.model.index_for_date(day))
    window.act_new_session.trigger()

    [stored] = planning.sessions_in_month(2026, 3)
    assert stored.date == day and stored.topic_numbers == (6,)
    cell = window.calendar.model.cell(window.calendar.model.index_for_date(day))
    assert cell is not None and [s.id for s in cell.sessions] == [stored.id]
    topic_six = window.calendar.topics.model.overview(5)
    assert topic_six.topic.number == 6 and topic_six.state.value == "已安排"
    assert "一季度 ○" in window.coverage_label.accessibleName()


def test_the_first_and_last_months_covered_show_and_stop_there(qtbot, planning) -> None:
    """January 1950's grid starts in December 1949, outside the working-day calendar."""
    first = MonthModel(planning, 1950, 1, today=TODAY)
    padding = first.cell(first.index_for_date(dt.date(1949, 12, 31)))
    assert padding is not None and not padding.in_month and not padding.info.holiday_name
    assert first.cell(first.index_for_date(dt.date(1950, 1, 1))).info.holiday_name == "元旦"
    last = MonthModel(planning, 2100, 12, today=TODAY)
    assert last.cell(last.index_for_date(dt.date(2101, 1, 1))).info.date.year == 2101

    page = CalendarPage(planning, clock=FixedClock.on(TODAY), year=1950, month=1)
    qtbot.addWidget(page)
    page.step_month(-1)
    assert (page.year, page.month) == (1950, 1)
    page.set_month(2100, 12)
    page.step_month(1)
    assert (page.year, page.month) == (2100, 12)
    page.step_month(-1)
    assert (page.year, page.month) == (2100, 11)


def test_the_day_menu_names_each_action_once(planning, qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    day = dt.date(2026, 3, 12)
    _add(planning, day, 1)
    page = CalendarPage(planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(page)
    page.set_month(2026, 3)
    shown: list[str] = []

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        shown.extend(action.text() for action in menu.actions() if action.text())
        menu.close()

    QTimer.singleShot(0, read_and_close)
    view = page.view
    view.customContextMenuRequested.emit(view.visualRect(page.model.index_for_date(day)).center())
    assert shown == [
        "新建场次…",
        "编辑场次…",
        "删除场次…",
        "登记考勤…",
        "学习记录…",
        "生成学习通知…",
        "生成学习记录…",
        "生成学习简报…",
    ]


def test_a_weekend_inside_a_holiday_break_shows_as_part_of_it(planning) -> None:
    """2026's Spring Festival runs 15–23 February; the official list names neither the
    Sunday before 除夕 nor the weekend between the 调休 days."""
    model = MonthModel(planning, 2026, 2, today=TODAY)

    def shown(day: int) -> tuple[str, str]:
        cell = model.cell(model.index_for_date(dt.date(2026, 2, day)))
        return cell.badge, cell.info.holiday_name

    assert [shown(d) for d in (15, 21, 22)] == [("休", "春节假期")] * 3
    assert shown(16) == ("休", "农历除夕")
    assert shown(14) == ("班", "")
    assert shown(8) == ("", "")  # an ordinary weekend
    october = MonthModel(planning, 2026, 10, today=TODAY)
    sunday = october.cell(october.index_for_date(dt.date(2026, 10, 4)))
    assert sunday.info.holiday_name == "国庆节假期"


def test_a_brief_waits_until_the_session_is_held(planning, qtbot) -> None:
    """A planned session offers its notice and its record page (to fill in by hand); the
    学习简报, which reports the session and takes a 期号, is greyed, saying why."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    day = dt.date(2026, 3, 12)
    _add(planning, day, 1)
    page = CalendarPage(planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(page)
    page.set_month(2026, 3)
    asked: list[tuple[str, int]] = []
    page.documentRequested.connect(lambda kind, session_id: asked.append((kind, session_id)))
    offered: dict[str, tuple[bool, str]] = {}

    def read_and_close() -> None:
        menu = QApplication.activePopupWidget()
        for action in menu.actions():
            if action.text().startswith("生成"):
                offered[action.text()] = (action.isEnabled(), action.toolTip())
        menu.close()

    QTimer.singleShot(0, read_and_close)
    view = page.view
    view.customContextMenuRequested.emit(view.visualRect(page.model.index_for_date(day)).center())
    assert offered["生成学习通知…"][0] and offered["生成学习记录…"][0]
    assert offered["生成学习简报…"] == (
        False,
        "2026-03-12 的学习尚未举行，举行后才能生成学习简报。",
    )
    assert asked == []
