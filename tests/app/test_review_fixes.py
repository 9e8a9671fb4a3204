"""Rules that protect what was recorded against planned sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.planning import PlanningService
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.plan import ScheduleRequest, SessionStatus


@pytest.fixture
def services(db):
    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    planning.apply_schedule(planning.propose_schedule(ScheduleRequest(year=2026)))
    attendance = AttendanceService(db)
    for name in ("王建国", "李红梅", "张立新"):
        attendance.add_member(name, "副局长")
    return planning, attendance


def _december(planning: PlanningService):
    return next(s for s in planning.sessions(2026) if s.date.month == 12)


def _approved_leave(planning, attendance, session) -> None:
    member = attendance.list_members()[0]
    request = attendance.file_leave(
        member.id,
        session.id,
        "赴京参会",
        filed_at=dt.datetime(2026, 11, 20, 9),
        now=dt.datetime(2026, 11, 20, 9),
    )
    attendance.approve_leave(request.id, "书记", decided_at=dt.datetime(2026, 11, 20, 10))


def test_replacing_planned_sessions_keeps_one_with_an_approved_leave(services) -> None:
    planning, attendance = services
    december = _december(planning)
    _approved_leave(planning, attendance, december)
    proposal = planning.propose_schedule(
        ScheduleRequest(year=2026, start_date=dt.date(2026, 12, 1), replace_planned=True)
    )
    assert december.id not in {s.id for s in proposal.removed_sessions}
    assert december.date not in {s.date for s in proposal.new_sessions}
    assert any("予以保留" in warning for warning in proposal.warnings)
    planning.apply_schedule(proposal)
    assert len(attendance.leave_requests(2026)) == 1
    assert len(attendance.makeups(year=2026)) == 1
    assert planning.session(december.id).topic_numbers == december.topic_numbers


def test_undoing_all_present_on_a_session_with_only_a_leave_makes_it_planned_again(
    services,
) -> None:
    planning, attendance = services
    december = _december(planning)
    _approved_leave(planning, attendance, december)
    marked = do(attendance.mark_all_present, december.id)
    assert planning.session(december.id).status is SessionStatus.HELD
    marked.undo()
    assert planning.session(december.id).status is SessionStatus.PLANNED
    marks = [mark for _, mark in attendance.attendance(december.id) if mark is not None]
    assert [mark.status for mark in marks] == [AttendanceStatus.LEAVE]


def test_moving_a_session_moves_its_open_make_up_deadlines(services) -> None:
    from dataclasses import replace

    planning, attendance = services
    december = _december(planning)
    _approved_leave(planning, attendance, december)
    due = attendance.makeups(year=2026)[0].makeup.due
    later = december.date + dt.timedelta(days=7)
    planning.save_session(replace(december, date=later), allow_same_day=True)
    assert attendance.makeups(year=2026)[0].makeup.due == due + dt.timedelta(days=7)


def test_reimporting_a_plan_without_a_held_topic_is_refused(services, tmp_path) -> None:
    from studyplan.model.errors import ValidationError

    planning, attendance = services
    first = planning.sessions(2026)[0]
    attendance.mark_all_present(first.id)
    short = tmp_path / "plan.txt"
    short.write_text("2026年计划\n一、专题内容\n1.只有一个专题\n说明\n", encoding="utf-8")
    missing = [n for n in first.topic_numbers if n != 1]
    if not missing:
        pytest.skip("the first session covers only topic 1")
    with pytest.raises(ValidationError, match="已有已举行的学习场次"):
        planning.import_plan(short, 2026)
    assert len(planning.topics(2026)) == 14
    assert planning.session(first.id).topic_numbers == first.topic_numbers


def test_leaving_before_a_recorded_absence_drops_its_open_make_up(services) -> None:
    planning, attendance = services
    session = planning.sessions(2026)[-1]
    member = attendance.list_members()[1]
    attendance.set_attendance(session.id, member.id, AttendanceStatus.ABSENT)
    assert attendance.makeups(year=2026)
    attendance.deactivate_member(member.id, session.date - dt.timedelta(days=1))
    assert attendance.makeups(year=2026) == []
    assert attendance.overdue_count(dt.date(2027, 6, 1)) == 0


def test_undoing_a_schedule_never_removes_a_session_made_later(db) -> None:
    from studyplan.model.errors import NotFoundError
    from studyplan.model.plan import Session

    planning = PlanningService(db)
    planning.ensure_bundled_plan()
    applied = do(planning.apply_schedule, planning.propose_schedule(ScheduleRequest(year=2026)))
    last = max(applied.result)
    deleted = do(planning.delete_session, last)
    manual = planning.save_session(
        Session(dt.date(2026, 12, 22), dt.time(9), dt.time(11), location="手工", form="专题党课")
    )
    assert manual > last  # a freed id is never handed out again
    deleted.undo()
    assert deleted.log.added("sessions") == (last,)
    applied.undo()
    for session_id in applied.result:
        with pytest.raises(NotFoundError):
            planning.session(session_id)
    assert planning.session(manual).location == "手工"
    assert [s.id for s in planning.sessions(2026)] == [manual]
