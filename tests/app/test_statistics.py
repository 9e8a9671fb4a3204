"""StatisticsService: attendance per member, topic coverage, sessions per month and quarter."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.demo import build_demo
from studyplan.app.planning import PlanningService
from studyplan.app.statistics import StatisticsService
from studyplan.model.attendance import AttendanceStatus, MakeupStatus
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Plan, Session, SessionStatus, Topic
from studyplan.model.statistics import MemberAttendance, PeriodCount, TopicCoverage
from studyplan.store import plans
from studyplan.store.db import transaction

P, L, E, Q, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
)
TODAY = dt.date(2025, 6, 20)


def d(month: int, day: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day)


def add_plan(db, year: int, count: int = 3) -> None:
    topics = tuple(Topic(year, n, f"{year}年第{n}个专题") for n in range(1, count + 1))
    with transaction(db):
        plans.save_plan(db, Plan(year, f"市科学技术局{year}年理论学习中心组专题学习计划", topics))


def add_session(
    planning: PlanningService,
    day: dt.date,
    topics: tuple[int, ...] = (),
    status: SessionStatus = SessionStatus.PLANNED,
) -> int:
    return planning.save_session(
        Session(
            date=day,
            start=dt.time(15),
            end=dt.time(17),
            location="三楼会议室",
            topic_numbers=topics,
            status=status,
        )
    )


def leave(service: AttendanceService, member_id: int, session_id: int, day: dt.date) -> None:
    filed = dt.datetime.combine(day, dt.time(9)) - dt.timedelta(days=1)
    request = service.file_leave(
        member_id, session_id, "出差", filed_at=filed, approver="秘书", now=filed
    )
    service.approve_leave(request.id, decided_at=filed + dt.timedelta(hours=1))


@pytest.fixture
def scene(db):
    """Seven members and six sessions of 2025 with every kind of mark.

    A 王一 from the start; B 李二; C 张三 joins 04-01; D 赵四 leaves 05-31;
    E 陈五 is never marked at the third session; F 孙六 joins after the last held
    session; G 周七 left in 2024.
    """
    add_plan(db, 2025)
    planning, service = PlanningService(db), AttendanceService(db)
    a = service.add_member("王一", "局长", "组长")
    b = service.add_member("李二", "副局长", "副组长")
    c = service.add_member("张三", "主任", active_from=d(4, 1))
    dd = service.add_member("赵四", "科长")
    e = service.add_member("陈五", "科长")
    f = service.add_member("孙六", "科长", active_from=d(9, 1))
    g = service.add_member("周七", "科长")
    service.deactivate_member(dd.id, d(5, 31))
    service.deactivate_member(g.id, d(12, 31, 2024))

    s1 = add_session(planning, d(2, 13), (1,))
    s2 = add_session(planning, d(4, 10), (2,))
    s3 = add_session(planning, d(6, 12), (1, 2))
    add_session(planning, d(10, 9), (3,))
    add_session(planning, d(11, 13), (3,), SessionStatus.CANCELLED)
    add_session(planning, d(12, 11))

    service.set_attendance(s1, a.id, P)
    service.set_attendance(s1, b.id, L, dt.time(15, 20))
    leave(service, dd.id, s1, d(2, 13))
    service.set_attendance(s1, e.id, P)

    service.set_attendance(s2, a.id, A)
    service.set_attendance(s2, b.id, E, dt.time(16, 30))
    service.set_attendance(s2, c.id, P)
    service.set_attendance(s2, dd.id, P)
    service.set_attendance(s2, e.id, P)

    service.set_attendance(s3, a.id, P)
    service.set_attendance(s3, b.id, P)
    leave(service, c.id, s3, d(6, 12))

    done = next(m for m in service.makeups(today=TODAY) if m.member.id == dd.id)
    service.complete_makeup(done.makeup.id, d(2, 20), "自学原文", today=TODAY)
    return {"a": a, "b": b, "c": c, "d": dd, "e": e, "f": f, "g": g, "sessions": (s1, s2, s3)}


def by_name(stats) -> dict[str, MemberAttendance]:
    return {m.member.name: m for m in stats.members}


def test_member_attendance_counts_and_rates(db, scene):
    stats = StatisticsService(db).year_statistics(2025, today=TODAY)
    assert [m.member.name for m in stats.members] == [
        "王一",
        "李二",
        "张三",
        "赵四",
        "陈五",
        "孙六",
    ]
    rows = by_name(stats)
    a = rows["王一"]
    assert (a.expected, a.present, a.late, a.left_early, a.leave, a.absent) == (3, 2, 0, 0, 0, 1)
    assert a.attended == 2
    assert a.rate == pytest.approx(2 / 3)
    b = rows["李二"]
    assert (b.expected, b.present, b.late, b.left_early) == (3, 1, 1, 1)
    assert b.attended == 3 and b.rate == 1.0
    c = rows["张三"]  # joined 04-01: expected at the second and third sessions only
    assert (c.expected, c.present, c.leave, c.rate) == (2, 1, 1, 0.5)
    dd = rows["赵四"]  # left 05-31: expected at the first two only
    assert (dd.expected, dd.present, dd.leave, dd.rate) == (2, 1, 1, 0.5)
    e = rows["陈五"]  # no mark at the third session: expected, not attended
    assert (e.expected, e.attended, e.unmarked) == (3, 2, 1)
    assert e.rate == pytest.approx(2 / 3)
    f = rows["孙六"]
    assert (f.expected, f.attended, f.rate) == (0, 0, None)
    assert stats.expected == 3 + 3 + 2 + 2 + 3
    assert stats.attended == 2 + 3 + 1 + 1 + 2
    assert stats.rate == pytest.approx(9 / 13)


def test_planned_and_cancelled_sessions_expect_nobody(db, scene):
    stats = StatisticsService(db).year_statistics(2025, today=TODAY)
    assert sum(m.expected for m in stats.members) == 13  # three held sessions only


def test_topic_coverage(db, scene):
    stats = StatisticsService(db).year_statistics(2025, today=TODAY)
    coverage = {t.topic.number: t for t in stats.topics}
    assert [t.topic.number for t in stats.topics] == [1, 2, 3]
    assert coverage[1].held_dates == [d(2, 13), d(6, 12)]
    assert coverage[1].planned_dates == []
    assert coverage[2].held_dates == [d(4, 10), d(6, 12)]
    assert coverage[3].held_dates == []
    assert coverage[3].planned_dates == [d(10, 9)]  # the cancelled one does not count
    assert coverage[1].done and coverage[2].done and not coverage[3].done
    assert isinstance(stats.topics[0], TopicCoverage)


def test_sessions_per_month_and_quarter(db, scene):
    stats = StatisticsService(db).year_statistics(2025, today=TODAY)
    assert list(stats.per_month) == [(2025, m) for m in range(1, 13)]
    assert stats.per_month[(2025, 2)] == PeriodCount(1, 0)
    assert stats.per_month[(2025, 4)] == PeriodCount(1, 0)
    assert stats.per_month[(2025, 6)] == PeriodCount(1, 0)
    assert stats.per_month[(2025, 10)] == PeriodCount(0, 1)
    assert stats.per_month[(2025, 11)] == PeriodCount(0, 0)  # cancelled
    assert stats.per_month[(2025, 12)] == PeriodCount(0, 1)
    assert stats.per_month[(2025, 1)] == PeriodCount(0, 0)
    assert stats.per_quarter == {
        (2025, 1): PeriodCount(1, 0),
        (2025, 2): PeriodCount(2, 0),
        (2025, 3): PeriodCount(0, 0),
        (2025, 4): PeriodCount(0, 2),
    }
    assert (stats.sessions_held, stats.sessions_planned) == (3, 2)


def test_makeups_by_status_as_of_today(db, scene):
    service = StatisticsService(db)
    stats = service.year_statistics(2025, today=TODAY)
    # 赵四 done; 王一's (due 04-24) overdue; 张三's (due 06-26) still pending.
    assert stats.makeups == {
        MakeupStatus.PENDING: 1,
        MakeupStatus.OVERDUE: 1,
        MakeupStatus.DONE: 1,
    }
    later = service.year_statistics(2025, today=d(7, 1))
    assert later.makeups[MakeupStatus.OVERDUE] == 2
    assert later.makeups[MakeupStatus.PENDING] == 0


def test_all_years(db, scene):
    add_plan(db, 2024, count=2)
    planning, service = PlanningService(db), AttendanceService(db)
    old = add_session(planning, d(3, 14, 2024), (2,))
    service.mark_all_present(old)
    stats = StatisticsService(db).year_statistics(None, today=TODAY)
    assert stats.year is None
    assert [(t.topic.year, t.topic.number) for t in stats.topics] == [
        (2024, 1),
        (2024, 2),
        (2025, 1),
        (2025, 2),
        (2025, 3),
    ]
    assert list(stats.per_month) == [(y, m) for y in (2024, 2025) for m in range(1, 13)]
    assert stats.per_quarter[(2024, 1)] == PeriodCount(1, 0)
    assert (stats.sessions_held, stats.sessions_planned) == (4, 2)
    rows = by_name(stats)
    assert "周七" in rows  # left in 2024: part of the all-years record
    assert rows["周七"].expected == 1 and rows["周七"].rate == 1.0
    assert rows["王一"].expected == 4 and rows["王一"].attended == 3
    assert rows["张三"].expected == 2  # joined 2025-04-01, not expected in 2024
    # The year 2024 alone: 周七 counted, 孙六 (joined 2025-09) not listed.
    year_2024 = by_name(StatisticsService(db).year_statistics(2024, today=TODAY))
    assert "孙六" not in year_2024 and year_2024["周七"].expected == 1


def test_empty_year_and_database(db):
    stats = StatisticsService(db).year_statistics(2030, today=TODAY)
    assert stats.members == [] and stats.topics == []
    assert len(stats.per_month) == 12 and len(stats.per_quarter) == 4
    assert set(stats.makeups) == set(MakeupStatus)
    assert (stats.sessions_held, stats.sessions_planned, stats.rate) == (0, 0, None)
    everything = StatisticsService(db).year_statistics(None, today=TODAY)
    assert everything.per_month == {} and everything.members == []


def test_year_out_of_range(db):
    with pytest.raises(ValidationError):
        StatisticsService(db).year_statistics(1949)
    with pytest.raises(ValidationError):
        StatisticsService(db).year_statistics(2101)


def test_demo_year_matches_the_attendance_service(db):
    build_demo(db, year=2025, today=dt.date(2026, 11, 26))
    service, planning = AttendanceService(db), PlanningService(db)
    stats = StatisticsService(db).year_statistics(2025, today=dt.date(2026, 11, 26))
    expected: dict[int, dict[str, int]] = {}
    for session in planning.sessions(2025):
        assert session.status is SessionStatus.HELD
        for member, mark in service.attendance(session.id):
            tally = expected.setdefault(member.id, {"expected": 0})
            tally["expected"] += 1
            tally[mark.status.value] = tally.get(mark.status.value, 0) + 1
    assert len(stats.members) == 14
    for row in stats.members:
        tally = expected[row.member.id]
        assert row.expected == tally["expected"] == 12
        assert row.present == tally.get("present", 0)
        assert row.late == tally.get("late", 0)
        assert row.left_early == tally.get("left_early", 0)
        assert row.leave == tally.get("leave", 0)
        assert row.absent == tally.get("absent", 0)
        assert row.rate == pytest.approx(row.attended / 12)
    assert stats.sessions_held == 12 and stats.sessions_planned == 0
    assert all(t.done for t in stats.topics) and len(stats.topics) == 14
    makeups = service.makeups(today=dt.date(2026, 11, 26), year=2025)
    for status in MakeupStatus:
        assert stats.makeups[status] == sum(1 for m in makeups if m.status is status)


def test_a_decade_of_sixty_members_takes_few_queries(db):
    build_demo(db, year=2016, years=10, members=60, today=dt.date(2026, 11, 26))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        stats = StatisticsService(db).year_statistics(None, today=dt.date(2026, 11, 26))
    finally:
        db.conn.set_trace_callback(None)
    assert stats.sessions_held == 120
    assert len(stats.members) >= 60
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 10, selects
