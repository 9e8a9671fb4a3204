"""The demo database: believable, consistent with the rules, the same every time."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.demo import build_demo
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.model.attendance import AttendanceStatus, LeaveDecision
from studyplan.model.errors import ValidationError
from studyplan.store.opening import connect

TODAY = dt.date(2026, 11, 26)


def _marks(service: AttendanceService, planning: PlanningService) -> list:
    return [
        (session, member, mark)
        for session in planning.sessions()
        for member, mark in service.attendance(session.id)
    ]


def test_past_year_is_fully_held_and_consistent(db) -> None:
    summary = build_demo(db, year=2025, today=TODAY)
    planning, service = PlanningService(db), AttendanceService(db)
    assert summary.members == 14
    sessions = planning.sessions(2025)
    assert len(sessions) == summary.sessions >= 4
    assert all(s.status.value == "held" for s in sessions)
    marks = _marks(service, planning)
    assert all(mark is not None for _, _, mark in marks)
    leave_marks = {(s.id, m.id) for s, m, mark in marks if mark.status is AttendanceStatus.LEAVE}
    absent_marks = {(s.id, m.id) for s, m, mark in marks if mark.status is AttendanceStatus.ABSENT}
    requests = service.leave_requests()
    approved = {
        (e.request.session_id, e.request.member_id)
        for e in requests
        if e.request.decision is LeaveDecision.APPROVED
    }
    assert approved == leave_marks
    makeups = {(e.makeup.session_id, e.makeup.member_id) for e in service.makeups(today=TODAY)}
    assert makeups == leave_marks | absent_marks
    assert any(e.request.late for e in requests)
    assert any(e.request.decision is LeaveDecision.REJECTED for e in requests)
    assert {e.status.label for e in service.makeups(today=TODAY)} >= {"已完成"}


def test_current_year_holds_only_past_sessions(db) -> None:
    build_demo(db, year=2026, today=TODAY)
    planning = PlanningService(db)
    for session in planning.sessions(2026):
        assert (session.status.value == "held") == (session.date < TODAY)


def test_same_arguments_give_the_same_data(tmp_path) -> None:
    def snapshot(name: str):
        db = connect(tmp_path / name)
        build_demo(db, year=2025, years=2, members=20, today=TODAY)
        service, planning = AttendanceService(db), PlanningService(db)
        data = (
            [(m.name, m.position) for m in service.list_members()],
            [(s.date, s.topic_numbers) for s in planning.sessions()],
            [(s.id, m.id, mark and mark.status) for s, m, mark in _marks(service, planning)],
        )
        db.conn.close()
        return data

    assert snapshot("a.db") == snapshot("b.db")


def test_minutes_are_saved_as_each_session_ends_not_on_the_machines_clock(db, tmp_path) -> None:
    build_demo(db, year=2025, today=TODAY)
    records = RecordsService(db, tmp_path / "档案")
    held = [s for s in PlanningService(db).sessions(2025) if records.record(s.id).updated_at]
    assert held
    for session in held:
        saved = records.record(session.id).updated_at
        assert saved == dt.datetime.combine(session.date, session.end)


def test_members_come_and_go_over_several_years(db) -> None:
    build_demo(db, year=2023, years=3, members=20, today=TODAY)
    members = AttendanceService(db).list_members()
    assert any(m.active_to is not None for m in members)
    assert any(m.active_from is not None for m in members)
    assert PlanningService(db).plan_years() == [2023, 2024, 2025, 2026]


def test_refuses_a_database_that_holds_data(db) -> None:
    build_demo(db, year=2025, today=TODAY)
    before = db.execute("SELECT count(*) FROM attendance").fetchone()[0]
    with pytest.raises(ValidationError, match="空数据库"):
        build_demo(db, year=2025, today=TODAY)
    assert db.execute("SELECT count(*) FROM attendance").fetchone()[0] == before


@pytest.mark.parametrize(
    "kwargs", [{"members": 1}, {"years": 0}, {"year": 99999}, {"members": 10_000}]
)
def test_bad_arguments_are_refused(db, kwargs) -> None:
    arguments = {"year": 2025, **kwargs}
    with pytest.raises(ValidationError):
        build_demo(db, today=TODAY, **arguments)
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 0


def test_the_demo_s_leave_requests_have_types(db) -> None:
    """A new user sees the 类别 column and the 因公/因私 counts filled; the reason stays the
    事由."""
    from studyplan.app.statistics import StatisticsService
    from studyplan.model.attendance import LeaveCategory

    build_demo(db, year=2025, today=TODAY)
    requests = [e.request for e in AttendanceService(db).leave_requests(2025)]
    assert requests and all(r.category is not None for r in requests)
    assert all(r.reason and r.reason != r.kind_label for r in requests)
    assert {r.category for r in requests} == set(LeaveCategory)
    counts = StatisticsService(db).year_statistics(2025, today=TODAY).leave_counts
    assert counts["因公"] > 0 and counts["因私"] > 0 and "未分类" not in counts


def test_the_calendar_years_it_scheduled_are_written_down(db) -> None:
    """As the window does when it closes: a later start, check or ledger of those years
    needs no python-holidays for them."""
    from studyplan.model.workdays import library_key
    from studyplan.store import calendar as calendar_store

    build_demo(db, year=2024, years=2, members=8, today=TODAY)
    snapshot = calendar_store.holiday_snapshot(db, library_key())
    assert snapshot is not None
    assert {2024, 2025} <= set(snapshot.years)
