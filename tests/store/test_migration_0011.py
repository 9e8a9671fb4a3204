"""Migration 0011 (issue 17): leave types and ranges, refusals' reasons and 列席人员. An
older database's requests, one per session, open and show as before."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.model.attendance import LeaveDecision
from studyplan.model.clock import FixedClock
from studyplan.store import migrations as mig
from studyplan.store.opening import connect

MIGRATION = "0011_leave_types_spans_and_guests"


def _old_database(path: Path) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    db = Database(conn, execute_plugins=False)
    mig.migration_set().apply(db, stop_before=MIGRATION)
    conn.execute(f"PRAGMA user_version={mig.known_names().index(MIGRATION)}")
    conn.execute("INSERT INTO members (id, name, position, rank) VALUES (1, '王建国', '局长', 1)")
    conn.execute("INSERT INTO members (id, name, position, rank) VALUES (2, '李红梅', '副局长', 2)")
    for session_id, day in ((1, "2026-03-12"), (2, "2026-04-09")):
        conn.execute(
            "INSERT INTO sessions (id, date, start, end) VALUES (?, ?, '15:00', '17:00')",
            [session_id, day],
        )
    conn.execute(
        "INSERT INTO leave_requests (id, member_id, session_id, reason, filed_at, approver, "
        "decision, decided_at) VALUES (1, 1, 1, '出差', '2026-03-10T09:00:00', '李红梅', "
        "'approved', '2026-03-10T10:00:00')"
    )
    conn.execute(
        "INSERT INTO leave_requests (id, member_id, session_id, reason, filed_at) "
        "VALUES (2, 2, 2, '病假', '2026-04-01T09:00:00')"
    )
    conn.close()


def test_old_single_session_requests_show_as_before(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path)
    db = connect(path)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == mig.schema_version()
    service = AttendanceService(db, clock=FixedClock(dt.datetime(2026, 4, 2, 9, 0)))
    first, second = service.leave_requests(year=2026)
    assert (first.member.name, first.session.date, first.request.reason) == (
        "王建国",
        dt.date(2026, 3, 12),
        "出差",
    )
    assert first.request.decision is LeaveDecision.APPROVED
    assert first.request.approver == "李红梅"
    assert (first.request.kind, first.request.kind_label, first.request.span) == ("", "", None)
    assert first.span_label == "2026-03-12" and len(first.sessions) == 1
    assert (first.first_day, first.last_day) == (dt.date(2026, 3, 12), dt.date(2026, 3, 12))
    assert service.leave_counts(2026) == {"因公": 0, "因私": 0, "未分类": 1}
    # Each still acts on its own session alone.
    change = do(service.approve_leave, second.request.id, "王建国")
    assert change.text == "批准请假：李红梅"
    [(_, mark)] = [row for row in service.attendance(2) if row[0].id == 2]
    assert mark is not None and mark.status.label == "请假"
    change.undo()
    assert service.leave_requests(year=2026)[1].request.decision is LeaveDecision.PENDING
    guest = service.add_guest(1, "张明", "市委党校教授")
    assert service.guests(1) == [guest]
    actions = [row[0] for row in db.conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-1] == "新增列席人员"
    db.conn.close()
