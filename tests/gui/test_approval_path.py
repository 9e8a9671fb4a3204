"""Approving a leave request, from the button to SQL: which files it passes through."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

import studyplan
from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.gui.leave.leave_models import LeaveModel
from studyplan.gui.leave.leave_view import LeaveView
from studyplan.model.clock import FixedClock
from studyplan.model.plan import Session

PACKAGE = Path(studyplan.__file__).resolve().parent
TODAY = dt.date(2026, 3, 10)
FILED = dt.datetime(2026, 3, 9, 9, 30)
NOW = dt.datetime(2026, 3, 10, 9, 0)


def _files_on_the_stack() -> tuple[frozenset[str], bool]:
    """The package's files on the Python stack of the statement being run, and whether
    it runs for the view's reload after the change."""
    files: set[str] = set()
    reloading = False
    frame = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename).resolve()
        if path.is_relative_to(PACKAGE):
            files.add(path.relative_to(PACKAGE).as_posix())
            reloading = reloading or frame.f_code.co_name == "refresh"
        frame = frame.f_back
    return frozenset(files), reloading


@pytest.fixture
def view(qtbot, db):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    service = AttendanceService(db, clock=FixedClock.on(TODAY))
    session_id = planning.save_session(
        Session(date=dt.date(2026, 3, 12), start=dt.time(15), end=dt.time(17), topic_numbers=(3,))
    )
    for name in ("王建国", "李红梅"):
        member = service.add_member(name)
        service.file_leave(member.id, session_id, "参加省厅会议", FILED, "张局长", now=NOW)
    widget = LeaveView(service, planning, clock=FixedClock.on(TODAY))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _approve_row(qtbot, view, row: int) -> None:
    rect = view.leave_table.visualRect(view.leave_table.model().index(row, 0))
    qtbot.mouseClick(view.leave_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(view.approve_button, Qt.MouseButton.LeftButton)


def test_approving_passes_through_six_files_from_the_button_to_sql(qtbot, view, db) -> None:
    """Issue 12: the click's handler, the one way a click runs a use case, the undo
    recording, the use case, the leave's store and the connection — the view's reload
    afterwards reads what it shows and is not part of approving."""
    _approve_row(qtbot, view, 0)  # the connection's first recording sets up its triggers
    seen: list[tuple[str, frozenset[str], bool]] = []
    db.conn.set_trace_callback(lambda sql: seen.append((sql, *_files_on_the_stack())))
    try:
        _approve_row(qtbot, view, 1)
    finally:
        db.conn.set_trace_callback(None)
    decisions = [view.leave_model.index(r, LeaveModel.COL_DECISION).data() for r in range(2)]
    assert decisions == ["已批准", "已批准"]
    approving = [(sql, files) for sql, files, reloading in seen if not reloading]
    assert any(sql.startswith("UPDATE leave_requests") for sql, _ in approving)
    assert any(sql.startswith("INSERT INTO makeups") for sql, _ in approving)
    passed = frozenset().union(*(files for _, files in approving))
    assert passed == {
        "gui/leave/leave_view.py",
        "gui/actions.py",
        "app/changes.py",
        "app/leave.py",
        "store/leave.py",
        "store/db.py",
    }
    assert len({sql for sql, _ in approving}) == 8  # BEGIN, 3 reads, 3 writes, COMMIT
