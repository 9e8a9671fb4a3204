"""Store-level checks: membership periods in SQL, and turnout at a decade's scale."""

from __future__ import annotations

import datetime as dt
import time

from studyplan.model.attendance import AttendanceMark, AttendanceStatus
from studyplan.model.roster import Member
from studyplan.store import attendance, makeups, members
from studyplan.store.db import transaction


def test_active_on_boundaries(db):
    with transaction(db):
        members.insert(db, Member("甲", rank=1))
        members.insert(db, Member("乙", rank=2, active_from=dt.date(2026, 3, 12)))
        members.insert(db, Member("丙", rank=3, active_to=dt.date(2026, 3, 12)))
        members.insert(db, Member("丁", rank=4, active_to=dt.date(2026, 3, 11)))
    names = [m.name for m in members.all_members(db, active_on=dt.date(2026, 3, 12))]
    assert names == ["甲", "乙", "丙"]
    assert [m.name for m in members.all_members(db)] == ["甲", "乙", "丙", "丁"]
    assert members.is_expected(db, 2, dt.date(2026, 3, 12))
    assert not members.is_expected(db, 2, dt.date(2026, 3, 11))


def test_mark_round_trip_and_makeup_ensure(db):
    with transaction(db):
        member_id = members.insert(db, Member("甲"))
        session_id = db.execute(
            "INSERT INTO sessions (date, start, end) VALUES ('2026-03-12', '15:00', '17:00')"
        ).lastrowid
        mark = AttendanceMark(session_id, member_id, AttendanceStatus.LATE, dt.time(15, 20), "")
        attendance.upsert(db, mark)
        assert makeups.ensure(db, member_id, session_id, dt.date(2026, 3, 26))
        assert not makeups.ensure(db, member_id, session_id, dt.date(2026, 4, 30))
    assert attendance.get_mark(db, session_id, member_id) == mark
    assert makeups.get_for(db, member_id, session_id).due == dt.date(2026, 3, 26)


def test_turnout_is_fast_for_a_decade(db):
    """60 members over ten years, two sessions a month, everyone marked."""
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO members (name, rank, active_from, active_to) VALUES (?, ?, ?, ?)",
            [
                (
                    f"成员{i}",
                    i,
                    None if i % 7 else "2021-01-01",
                    "2030-06-30" if i % 11 == 0 else None,
                )
                for i in range(60)
            ],
        )
        sessions = [
            (f"{year}-{month:02d}-{day:02d}", "15:00", "17:00", "held")
            for year in range(2016, 2026)
            for month in range(1, 13)
            for day in (10, 24)
        ]
        db.conn.executemany(
            "INSERT INTO sessions (date, start, end, status) VALUES (?, ?, ?, ?)", sessions
        )
        db.execute(
            "INSERT INTO attendance (session_id, member_id, status) "
            "SELECT s.id, m.id, CASE WHEN (s.id + m.id) % 13 = 0 THEN 'leave' ELSE 'present' END "
            "FROM sessions s CROSS JOIN members m"
        )
    started = time.perf_counter()
    month = attendance.turnout(db, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    decade = attendance.turnout(db, dt.date(2016, 1, 1), dt.date(2025, 12, 31))
    elapsed = time.perf_counter() - started
    assert len(month) == 2 and len(decade) == 240
    attended, expected = month[min(month)]
    assert expected == 60 and 0 < attended < expected
    early_attended, early_expected = decade[min(decade)]  # 2016: the i % 7 == 0 joined 2021
    assert early_expected == 60 - len(range(0, 60, 7))
    assert early_attended <= early_expected
    assert elapsed < 1.0
