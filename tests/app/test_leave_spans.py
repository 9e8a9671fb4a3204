"""One leave for a date range (issue 17): it covers every session of the member in the range,
sessions added later too; approving, refusing, withdrawing and undoing act on all at once."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.app.planning import PlanningService
from studyplan.model.attendance import (
    AttendanceStatus,
    LeaveCategory,
    LeaveDecision,
    leave_kind_label,
)
from studyplan.model.clock import FixedClock
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session

#: Filed and approved in February, before any session of March.
CLOCK = FixedClock(dt.datetime(2026, 2, 20, 9, 0))
MARCH = (dt.date(2026, 3, 5), dt.date(2026, 3, 12), dt.date(2026, 3, 26))


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db, clock=CLOCK)
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def service(db) -> AttendanceService:
    return AttendanceService(db, clock=CLOCK)


def _session(planning: PlanningService, day: dt.date) -> int:
    return planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(1,)),
        allow_day_off=True,
    )


@pytest.fixture
def march(planning, service):
    """Three sessions in March, one in April, and two members."""
    ids = [_session(planning, day) for day in MARCH]
    april = _session(planning, dt.date(2026, 4, 9))
    wang = service.add_member("王建国", "局长", "组长", "局领导")
    li = service.add_member("李红梅", "副局长", "副组长", "局领导")
    return ids, april, wang, li


def _marks(service: AttendanceService, member_id: int, session_ids) -> list:
    found = []
    for session_id in session_ids:
        mark = dict((m.id, k) for m, k in service.attendance(session_id)).get(member_id)
        found.append(mark.status if mark else None)
    return found


def test_a_leave_for_march_covers_every_session_and_a_later_one(planning, service, march):
    ids, april, wang, _li = march
    made = service.file_leave_span(
        wang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "出差", "赴京学习考察"
    )
    assert [r.session_id for r in made] == ids
    assert len({r.span for r in made}) == 1 and made[0].kind_label == "因公·出差"
    [entry] = service.leave_requests(year=2026)
    assert [s.id for s in entry.sessions] == ids
    assert entry.span_label == "2026-03-01 至 2026-03-31（3 场）"

    do(service.approve_leave, made[1].id, "李红梅")
    assert _marks(service, wang.id, ids) == [AttendanceStatus.LEAVE] * 3
    assert _marks(service, wang.id, [april]) == [None]

    later = _session(planning, dt.date(2026, 3, 20))
    assert _marks(service, wang.id, [later]) == [AttendanceStatus.LEAVE]
    [entry] = service.leave_requests(year=2026)
    assert len(entry.sessions) == 4
    assert {r.decision for r in entry.requests} == {LeaveDecision.APPROVED}
    assert service.makeups(year=2026)  # each session missed on leave is made up


def test_withdrawing_takes_only_the_sessions_not_yet_held(planning, service, march):
    ids, _april, wang, _li = march
    made = service.file_leave_span(
        wang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "病假", "住院治疗"
    )
    do(service.approve_leave, made[0].id, "李红梅")
    mid_march = dt.datetime(2026, 3, 15, 8, 0)
    change = do(service.withdraw_leave, made[0].id, now=mid_march)
    assert change.text == "撤回请假：王建国"  # the one session still ahead
    assert _marks(service, wang.id, ids) == [AttendanceStatus.LEAVE] * 2 + [None]
    [entry] = service.leave_requests(year=2026)
    assert [s.id for s in entry.sessions] == ids[:2]
    assert entry.last_day == MARCH[1]  # a session added later in March is not covered now
    later = _session(planning, dt.date(2026, 3, 20))
    assert _marks(service, wang.id, [later]) == [None]

    change.undo(now=mid_march)
    assert _marks(service, wang.id, ids) == [AttendanceStatus.LEAVE] * 3
    with pytest.raises(ValidationError, match="会议开始后不能撤回请假"):
        service.withdraw_leave(made[0].id, now=dt.datetime(2026, 4, 1, 8, 0))


def test_approving_and_refusing_a_span_are_undone_whole(service, march):
    ids, _april, wang, _li = march
    made = service.file_leave_span(
        wang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "因公", "参加省委党校培训"
    )
    approved = do(service.approve_leave, made[0].id, "李红梅")
    assert approved.text == "批准请假：王建国（3 场）"
    approved.undo()
    assert _marks(service, wang.id, ids) == [None] * 3
    assert {r.decision for r in service.leave_requests(year=2026)[0].requests} == {
        LeaveDecision.PENDING
    }
    approved.redo()
    refused = do(service.reject_leave, made[0].id, "李红梅", reason="工作需要，请安排他人")
    [entry] = service.leave_requests(year=2026)
    assert {r.refusal for r in entry.requests} == {"工作需要，请安排他人"}
    assert entry.request.decision_label == "未批准（工作需要，请安排他人）"
    assert _marks(service, wang.id, ids) == [None] * 3
    refused.undo()
    assert _marks(service, wang.id, ids) == [AttendanceStatus.LEAVE] * 3


def test_a_span_is_refused_without_sessions_or_over_another_request(service, march):
    ids, _april, wang, _li = march
    with pytest.raises(ValidationError, match="没有需要参加的学习"):
        service.file_leave_span(
            wang.id, dt.date(2026, 5, 1), dt.date(2026, 5, 31), "事假", "家中有事"
        )
    service.file_leave(wang.id, ids[1], "出差", now=CLOCK.now())
    with pytest.raises(ValidationError, match="已有 2026-03-12 那一场的请假申请"):
        service.file_leave_span(wang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "出差", "出差")
    with pytest.raises(ValidationError, match="没有“年假”这种请假类别"):
        service.file_leave_span(wang.id, dt.date(2026, 4, 1), dt.date(2026, 4, 30), "年假", "休假")
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        service.file_leave_span(wang.id, dt.date(2026, 4, 30), dt.date(2026, 4, 1), "事假", "休假")


def test_leave_kinds_and_their_categories() -> None:
    assert leave_kind_label("出差") == "因公·出差"
    assert leave_kind_label("病假") == "因私·病假"
    assert leave_kind_label("因公") == "因公"
    assert leave_kind_label("") == ""
    from studyplan.model.attendance import leave_category

    assert leave_category("参加上级会议") is LeaveCategory.OFFICIAL
    assert leave_category("年休假") is LeaveCategory.PERSONAL


def test_the_approver_cannot_be_the_applicant(service, march):
    ids, _april, wang, _li = march
    request = service.file_leave(wang.id, ids[0], "出差", now=CLOCK.now())
    with pytest.raises(ValidationError, match="审批人不能是请假人本人"):
        service.approve_leave(request.id, "王建国")
    namesake = service.add_member("王建国", "科员", "成员", "办公室")
    other = service.file_leave(namesake.id, ids[0], "病假", now=CLOCK.now())
    # The other 王建国, named as the list shows him, may approve.
    approved = service.approve_leave(other.id, "王建国（局领导）")
    assert approved.decision is LeaveDecision.APPROVED
    with pytest.raises(ValidationError, match=r"审批人不能是请假人本人（王建国（局领导））"):
        service.approve_leave(request.id, "王建国（局领导）")


def test_a_make_up_done_after_its_due_day_is_counted_apart(db, planning, service, march):
    from studyplan.app.statistics import StatisticsService
    from studyplan.model.attendance import done_late, makeup_status_label

    ids, _april, wang, li = march
    service.set_attendance(ids[0], wang.id, AttendanceStatus.ABSENT)
    service.set_attendance(ids[0], li.id, AttendanceStatus.ABSENT)
    on_time, late = sorted(service.makeups(year=2026), key=lambda e: e.member.rank)
    due = on_time.makeup.due
    service.complete_makeup(on_time.makeup.id, due, "自学原文", today=dt.date(2026, 6, 1))
    service.complete_makeup(
        late.makeup.id, due + dt.timedelta(days=1), "观看录像", today=dt.date(2026, 6, 1)
    )
    on_time, late = sorted(service.makeups(year=2026), key=lambda e: e.member.rank)
    assert not done_late(on_time.makeup) and done_late(late.makeup)
    today = dt.date(2026, 6, 1)
    assert makeup_status_label(on_time.makeup, today) == "已完成"
    assert makeup_status_label(late.makeup, today) == "逾期完成"
    stats = StatisticsService(db).year_statistics(2026, today)
    assert stats.makeups_done_late == 1


def test_undoing_a_session_added_in_a_range_takes_its_request_too(planning, service, march):
    ids, _april, wang, _li = march
    made = service.file_leave_span(
        wang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "出差", "赴京学习"
    )
    service.approve_leave(made[0].id, "李红梅")
    change = do(
        planning.save_session,
        Session(date=dt.date(2026, 3, 20), start=dt.time(15), end=dt.time(17), topic_numbers=(1,)),
        allow_day_off=True,
    )
    later = change.result
    assert _marks(service, wang.id, [later]) == [AttendanceStatus.LEAVE]
    change.undo()
    [entry] = service.leave_requests(year=2026)
    assert [s.id for s in entry.sessions] == ids
    change.redo()
    assert _marks(service, wang.id, [later]) == [AttendanceStatus.LEAVE]
    # A session moved into the range is covered too.
    moved = _session(planning, dt.date(2026, 4, 16))
    session = planning.session(moved)
    from dataclasses import replace

    planning.save_session(replace(session, date=dt.date(2026, 3, 19)), allow_day_off=True)
    assert _marks(service, wang.id, [moved]) == [AttendanceStatus.LEAVE]


def test_a_session_cancelled_in_the_range_gets_no_mark_and_the_rest_undo(
    db, planning, service, march
):
    from studyplan.model.plan import SessionStatus
    from studyplan.store import sessions as sessions_store
    from studyplan.store.db import transaction

    ids, _april, wang, _li = march
    made = service.file_leave_span(
        wang.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "出差", "赴京学习"
    )
    with transaction(db):
        sessions_store.set_status(db, ids[1], SessionStatus.CANCELLED)
    change = do(service.approve_leave, made[0].id, "李红梅")
    assert _marks(service, wang.id, [ids[0], ids[2]]) == [AttendanceStatus.LEAVE] * 2
    change.undo()
    assert _marks(service, wang.id, [ids[0], ids[2]]) == [None, None]
