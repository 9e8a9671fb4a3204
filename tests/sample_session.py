"""A held session with something in every table that hangs on a session, for undo tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.plan import Session
from studyplan.store import rowlog

DAY = dt.date(2026, 3, 12)


@dataclass(frozen=True)
class Loaded:
    session_id: int
    other_session_id: int
    member_ids: tuple[int, ...]


def load_session(db: Database, archive: Path) -> Loaded:
    """Two sessions; the first held, with topic links, attendance of every kind, an approved
    leave request, make-ups, minutes, a speech, a reflection and an attachment."""
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    attendance = AttendanceService(db)
    records = RecordsService(db, archive)
    members = [
        attendance.add_member("王建国", "局党组书记、局长", "组长"),
        attendance.add_member("李明", "副局长", "副组长"),
        attendance.add_member("赵磊", "办公室主任"),
        attendance.add_member("孙丽", "科长"),
    ]
    ids = tuple(m.id for m in members if m.id is not None)
    other = planning.save_session(
        Session(date=dt.date(2026, 2, 12), start=dt.time(15), end=dt.time(17), topic_numbers=(3,))
    )
    attendance.mark_all_present(other)
    session_id = planning.save_session(
        Session(
            date=DAY,
            start=dt.time(15),
            end=dt.time(17),
            location="局机关三楼会议室",
            topic_numbers=(1, 2),
        )
    )
    request = attendance.file_leave(
        ids[2], session_id, "外出公务", dt.datetime(2026, 3, 10, 9), now=dt.datetime(2026, 3, 10, 9)
    )
    attendance.approve_leave(request.id, "王建国", dt.datetime(2026, 3, 10, 10))
    attendance.set_attendance(session_id, ids[0], AttendanceStatus.PRESENT)
    attendance.set_attendance(session_id, ids[1], AttendanceStatus.LATE, dt.time(15, 20), "堵车")
    attendance.set_attendance(session_id, ids[3], AttendanceStatus.ABSENT)
    records.save_minutes(session_id, "会议纪要：学习了专题一和专题二。")
    records.add_speech(session_id, "王建国", "交流发言", member_id=ids[0])
    records.set_reflection(session_id, ids[1], DAY, "学习体会")
    source = archive.parent / "讲话稿.txt"
    source.write_text("讲话稿正文", "utf-8")
    records.attach_file(session_id, source)
    return Loaded(session_id, other, ids)


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table (audit trail aside) with its rowid, to compare states."""
    return {
        table: db.execute(f'SELECT rowid, * FROM "{table}" ORDER BY rowid').fetchall()
        for table in rowlog.tables(db)
    }
