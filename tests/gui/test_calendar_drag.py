"""A session dragged to another day in the month calendar (issue 14, item 9): asked about a
day off as the edit form asks, moved as one change that 撤销 puts back; and a new session
starts at the last place used."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from studyplan.app.changes import do
from studyplan.gui.calendar.session_dialog import SessionDialog
from studyplan.model.plan import DEFAULT_LOCATION, Session
from studyplan.model.planning import DayOffConflict

FROM = dt.date(2026, 3, 12)  # a Thursday
TO = dt.date(2026, 3, 19)  # the Thursday after
SUNDAY = dt.date(2026, 3, 15)


def _add(planning, day: dt.date, location: str = "局机关三楼会议室") -> int:
    return planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(1,), location=location)
    )


def _drag(page, source: dt.date, target: dt.date) -> None:
    """Drag the session of `source` onto `target` as the mouse would: the view takes the
    drag data from the model, and the drop lands on the target cell."""
    view, model = page.view, page.model
    data = model.mimeData([model.index_for_date(source)])
    assert data is not None
    point = view.visualRect(model.index_for_date(target)).center()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    move = Qt.DropAction.MoveAction
    for event in (
        QDragEnterEvent(point, move, data, buttons, keys),
        QDragMoveEvent(point, move, data, buttons, keys),
    ):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted()
    QApplication.sendEvent(view.viewport(), QDropEvent(point.toPointF(), move, data, buttons, keys))


def _sessions_on(page, day: dt.date) -> list[int]:
    cell = page.model.cell(page.model.index_for_date(day))
    return [s.id for s in cell.sessions]


def test_a_session_dragged_to_another_day_moves_and_undo_puts_it_back(window, planning, qtbot):
    session_id = _add(planning, FROM)
    page = window.calendar
    page.refresh()
    window.show()
    _drag(page, FROM, TO)
    qtbot.waitUntil(lambda: planning.session(session_id).date == TO)
    assert _sessions_on(page, TO) == [session_id]
    assert _sessions_on(page, FROM) == []
    assert page.selected_date() == TO
    assert window.act_undo.text() == "撤销 移动场次（3月12日 → 3月19日）"

    window.act_undo.trigger()
    assert planning.session(session_id).date == FROM
    assert _sessions_on(page, FROM) == [session_id] and _sessions_on(page, TO) == []


def test_the_month_grid_takes_drops_on_its_viewport(window):
    """Where the mouse lets a session go is the viewport: it must accept drops, which the
    view passes on to it (no call of its own)."""
    assert window.calendar.view.acceptDrops()
    assert window.calendar.view.viewport().acceptDrops()


def test_a_drop_on_a_day_off_asks_first(window, planning, qtbot, replies):
    session_id = _add(planning, FROM)
    page = window.calendar
    page.refresh()
    asked = replies(QMessageBox.StandardButton.No)
    _drag(page, FROM, SUNDAY)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert asked == ["2026-03-15（周日）不是工作日，确定在这天安排学习吗？"]
    assert planning.session(session_id).date == FROM
    assert _sessions_on(page, FROM) == [session_id]
    assert not window.act_undo.isEnabled() or "移动场次" not in window.act_undo.text()

    asked = replies(QMessageBox.StandardButton.Yes)
    _drag(page, FROM, SUNDAY)
    qtbot.waitUntil(lambda: planning.session(session_id).date == SUNDAY)
    assert len(asked) == 1
    assert _sessions_on(page, SUNDAY) == [session_id]


def test_a_day_of_two_sessions_asks_which_one_moves(window, planning, qtbot, monkeypatch):
    first = _add(planning, FROM)
    second = planning.save_session(
        Session(date=FROM, start=dt.time(9), end=dt.time(11), topic_numbers=(2,)),
        allow_same_day=True,
    )
    page = window.calendar
    page.refresh()
    asked: list[tuple[str, list[str]]] = []
    answer: list[tuple[str, bool]] = [("", False)]

    def get_item(parent, title, label, items, *args, **kwargs):
        asked.append((label, list(items)))
        return answer[0]

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    _drag(page, FROM, TO)  # 取消: nothing moves
    qtbot.waitUntil(lambda: len(asked) == 1)
    label, items = asked[0]
    assert label == "这一天有 2 场学习，把哪一场移到 3月19日？"
    assert items == ["3月12日 09:00–11:00 专题2", "3月12日 15:00–17:00 专题1"]
    assert sorted(_sessions_on(page, FROM)) == sorted([first, second])
    assert not window.act_undo.isEnabled()

    answer[0] = (items[1], True)  # the afternoon one, listed second
    _drag(page, FROM, TO)
    qtbot.waitUntil(lambda: planning.session(first).date == TO)
    assert planning.session(second).date == FROM
    assert _sessions_on(page, TO) == [first] and _sessions_on(page, FROM) == [second]
    assert window.act_undo.text() == "撤销 移动场次（3月12日 → 3月19日）"


def test_a_drop_on_the_same_day_changes_nothing(window, planning, qtbot):
    session_id = _add(planning, FROM)
    page = window.calendar
    page.refresh()
    assert page.move_session(session_id, FROM) is None
    assert not window.act_undo.isEnabled()


def test_move_session_use_case_moves_deadlines_and_undoes(planning):
    session_id = _add(planning, FROM)
    try:
        planning.move_session(session_id, SUNDAY)
    except DayOffConflict as question:
        assert "不是工作日" in str(question)
    else:
        raise AssertionError("a Sunday is asked about")
    change = do(planning.move_session, session_id, TO)
    before, after = change.result
    assert (before.date, after.date) == (FROM, TO)
    assert planning.session(session_id).date == TO
    change.undo()
    assert planning.session(session_id).date == FROM


def test_a_new_session_starts_at_the_last_place_used(qtbot, planning):
    assert planning.default_location() == DEFAULT_LOCATION  # nothing held yet
    _add(planning, FROM, "党校报告厅")
    _add(planning, TO, "")
    assert planning.default_location() == "党校报告厅"
    dialog = SessionDialog(planning, None, dt.date(2026, 4, 9))
    qtbot.addWidget(dialog)
    assert dialog.location_edit.text() == "党校报告厅"
    editing = SessionDialog(planning, planning.session(_add(planning, SUNDAY - dt.timedelta(2))))
    qtbot.addWidget(editing)
    assert editing.location_edit.text() == "局机关三楼会议室"  # an edit keeps its own place
