"""Attendance is counted by one definition (`AttendanceStatus.attended`,
`AttendanceCounts.of`): the session's numbers in the grid, the ledger's per-session columns
and the statistics' per-member 实到 agree, mark by mark."""

from __future__ import annotations

import datetime as dt

from studyplan.app import ledger
from studyplan.app.attendance import AttendanceService
from studyplan.app.statistics import StatisticsService
from studyplan.model.attendance import AttendanceCounts, AttendanceStatus
from studyplan.model.plan import Plan, Session, SessionStatus, Topic
from studyplan.store import plans
from studyplan.store import sessions as sessions_store
from studyplan.store.db import transaction

S = AttendanceStatus
DAYS = [dt.date(2026, 3, 12), dt.date(2026, 4, 9), dt.date(2026, 5, 14)]


def test_counts_of_every_status() -> None:
    counts = AttendanceCounts.of(7, {s.value: 1 for s in S})
    assert (counts.attended, counts.leave, counts.absent) == (3, 1, 1)
    assert (counts.late, counts.left_early, counts.present, counts.unmarked) == (1, 1, 1, 2)


def test_grid_ledger_and_statistics_count_alike(db) -> None:
    service = AttendanceService(db)
    members = [service.add_member(f"成员{n}", f"职务{n}") for n in range(6)]
    with transaction(db):
        plans.save_plan(db, Plan(2026, "计划", (Topic(2026, 1, "专题一"),)))
        ids = [
            sessions_store.add(
                db, Session(day, dt.time(15), dt.time(17), status=SessionStatus.HELD)
            )
            for day in DAYS
        ]
    statuses = list(S)
    attended: dict[int, int] = {}
    for turn, session_id in enumerate(ids):
        for place, member in enumerate(members[:-1]):  # the last one stays unmarked
            status = statuses[(turn + place) % len(statuses)]
            service.set_attendance(session_id, member.id, status, time=None)
            attended[member.id] = attended.get(member.id, 0) + status.attended

    data = ledger.collect(db, 2026, dt.date(2026, 12, 31))
    for session_id in ids:
        assert data.counts[session_id] == service.counts(session_id)
        assert data.counts[session_id].expected == len(members)
    stats = StatisticsService(db).year_statistics(2026, dt.date(2026, 12, 31))
    assert {m.member.id: m.attended for m in stats.members} == {
        m.id: attended.get(m.id, 0) for m in members
    }
