"""Attendance marks, leave requests and make-up tasks, through AttendanceService."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app import attendance as attendance_module
from studyplan.app.attendance import AttendanceService
from studyplan.app.changes import do
from studyplan.model.attendance import (
    MAKEUP_METHODS,
    AttendanceCounts,
    AttendanceStatus,
    LeaveDecision,
    Makeup,
    MakeupStatus,
)
from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.plan import Plan, Session, SessionStatus, Topic
from studyplan.store import plans
from studyplan.store import sessions as sessions_store
from studyplan.store.db import transaction

DAY = dt.date(2026, 3, 12)
START = dt.datetime(2026, 3, 12, 15, 0)
#: When requests are entered: after every session here, whatever day the suite runs on.
NOW = dt.datetime(2026, 6, 1, 9, 0)


def add_session(db, day: dt.date = DAY, status: SessionStatus = SessionStatus.PLANNED) -> Session:
    with transaction(db):
        if not plans.has_plan(db, day.year):
            plans.save_plan(db, Plan(day.year, "计划", (Topic(day.year, 1, "专题一"),)))
        session_id = sessions_store.add(
            db,
            Session(
                date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(1,), status=status
            ),
        )
    return sessions_store.get(db, session_id)


@pytest.fixture
def service(db) -> AttendanceService:
    return AttendanceService(db)


@pytest.fixture
def people(service):
    """Four members in roster order."""
    return [
        service.add_member("王建国", "局长", "组长", "局领导"),
        service.add_member("李红梅", "副局长", "副组长", "局领导"),
        service.add_member("周文斌", "主任", "成员", "办公室"),
        service.add_member("何雨晴", "副主任", "学习秘书", "办公室"),
    ]


@pytest.fixture
def session(db) -> Session:
    return add_session(db)


def mark_of(service, session_id, member_id):
    return dict((m.id, mark) for m, mark in service.attendance(session_id))[member_id]


# -- enums -------------------------------------------------------------------------------


def test_status_labels_and_keys():
    assert [s.label for s in AttendanceStatus] == ["出席", "迟到", "早退", "请假", "缺席"]
    keys = [k for s in AttendanceStatus for k in s.shortcut_keys]
    assert len(keys) == len(set(keys)) == 10
    assert AttendanceStatus.from_key("1") is AttendanceStatus.PRESENT
    assert AttendanceStatus.from_key("c") is AttendanceStatus.PRESENT
    assert AttendanceStatus.from_key("D") is AttendanceStatus.LATE
    assert AttendanceStatus.from_key("z") is AttendanceStatus.LEFT_EARLY
    assert AttendanceStatus.from_key("Q") is AttendanceStatus.LEAVE
    assert AttendanceStatus.from_key("5") is AttendanceStatus.ABSENT
    assert AttendanceStatus.from_key("x") is None
    assert AttendanceStatus.from_label("请假") is AttendanceStatus.LEAVE
    assert [d.label for d in LeaveDecision] == ["待审批", "已批准", "未批准"]
    assert MAKEUP_METHODS == ("自学原文", "观看录像", "参加其他场次", "补交心得")


def test_makeup_status_from_dates():
    task = Makeup(member_id=1, session_id=1, due=dt.date(2026, 3, 26))
    assert task.status(dt.date(2026, 3, 26)) is MakeupStatus.PENDING
    assert task.status(dt.date(2026, 3, 27)) is MakeupStatus.OVERDUE
    done = Makeup(1, 1, dt.date(2026, 3, 26), completed=dt.date(2026, 4, 2))
    assert done.status(dt.date(2026, 5, 1)) is MakeupStatus.DONE
    assert [s.label for s in MakeupStatus] == ["待完成", "已逾期", "已完成"]


def test_counts_summary():
    counts = AttendanceCounts(expected=14, attended=12, leave=1, absent=0, late=1)
    assert counts.present == 11
    assert counts.unmarked == 1
    assert counts.summary == "应到 14 人，实到 12 人，请假 1 人，迟到 1 人，未登记 1 人。"


# -- marks -------------------------------------------------------------------------------


def test_set_attendance_marks_session_held(service, people, session):
    mark = service.set_attendance(session.id, people[0].id, AttendanceStatus.PRESENT)
    assert mark.status is AttendanceStatus.PRESENT
    assert sessions_store.get(service.db, session.id).status is SessionStatus.HELD
    rows = service.attendance(session.id)
    assert [m.name for m, _ in rows] == ["王建国", "李红梅", "周文斌", "何雨晴"]
    assert rows[0][1] == mark
    assert rows[1][1] is None


def test_late_and_left_early_keep_time(service, people, session):
    late = service.set_attendance(
        session.id, people[0].id, AttendanceStatus.LATE, dt.time(15, 10, 30), " 堵车 "
    )
    assert late.time == dt.time(15, 10)
    assert late.note == "堵车"
    early = service.set_attendance(
        session.id, people[1].id, AttendanceStatus.LEFT_EARLY, dt.time(16, 30)
    )
    assert mark_of(service, session.id, people[1].id).time == dt.time(16, 30)
    assert early.status is AttendanceStatus.LEFT_EARLY
    present = service.set_attendance(
        session.id, people[2].id, AttendanceStatus.PRESENT, dt.time(15, 0)
    )
    assert present.time is None
    with pytest.raises(ValidationError, match="到会时间应晚于"):
        service.set_attendance(session.id, people[3].id, AttendanceStatus.LATE, dt.time(14, 50))
    with pytest.raises(ValidationError, match="离会时间应早于"):
        service.set_attendance(
            session.id, people[3].id, AttendanceStatus.LEFT_EARLY, dt.time(17, 0)
        )


def test_member_not_expected_cannot_be_marked(service, people, session):
    newcomer = service.add_member("新同志", active_from=DAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="不在中心组名单中"):
        service.set_attendance(session.id, newcomer.id, AttendanceStatus.PRESENT)
    service.deactivate_member(people[0].id, DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="不在中心组名单中"):
        service.set_attendance(session.id, people[0].id, AttendanceStatus.PRESENT)
    assert sessions_store.get(service.db, session.id).status is SessionStatus.PLANNED
    with pytest.raises(NotFoundError):
        service.set_attendance(session.id, 999, AttendanceStatus.PRESENT)


def test_cancelled_session_takes_no_attendance(db, service, people):
    cancelled = add_session(db, DAY, SessionStatus.CANCELLED)
    with pytest.raises(ValidationError, match="已取消"):
        service.set_attendance(cancelled.id, people[0].id, AttendanceStatus.PRESENT)
    with pytest.raises(ValidationError, match="已取消"):
        service.mark_all_present(cancelled.id)


def test_mark_all_present_keeps_existing_marks(service, people, session):
    service.set_attendance(session.id, people[1].id, AttendanceStatus.ABSENT)
    service.deactivate_member(people[3].id, DAY - dt.timedelta(days=30))
    assert service.mark_all_present(session.id) == 2
    marks = {m.id: mark.status for m, mark in service.attendance(session.id)}
    assert marks == {
        people[0].id: AttendanceStatus.PRESENT,
        people[1].id: AttendanceStatus.ABSENT,
        people[2].id: AttendanceStatus.PRESENT,
    }
    assert service.mark_all_present(session.id) == 0
    assert sessions_store.get(service.db, session.id).status is SessionStatus.HELD


def test_leave_and_absent_create_makeup_and_changing_back_removes_it(service, people, session):
    service.set_attendance(session.id, people[0].id, AttendanceStatus.LEAVE)
    service.set_attendance(session.id, people[1].id, AttendanceStatus.ABSENT)
    tasks = service.makeups(today=DAY)
    assert [(t.member.name, t.makeup.due, t.status) for t in tasks] == [
        ("王建国", DAY + dt.timedelta(days=14), MakeupStatus.PENDING),
        ("李红梅", DAY + dt.timedelta(days=14), MakeupStatus.PENDING),
    ]
    # 请假 → 缺席 keeps the one task
    service.set_attendance(session.id, people[0].id, AttendanceStatus.ABSENT)
    assert len(service.makeups()) == 2
    # back to 出席: the open task goes
    service.set_attendance(session.id, people[0].id, AttendanceStatus.PRESENT)
    assert [t.member.name for t in service.makeups()] == ["李红梅"]
    # a completed task stays as history
    task = service.makeups()[0].makeup
    service.complete_makeup(task.id, DAY + dt.timedelta(days=3), "自学原文", today=NOW.date())
    service.set_attendance(session.id, people[1].id, AttendanceStatus.PRESENT)
    assert [t.status for t in service.makeups()] == [MakeupStatus.DONE]


def test_makeup_due_days_setting(service, people, session):
    assert service.makeup_due_days() == 14
    service.set_makeup_due_days(7)
    service.set_attendance(session.id, people[0].id, AttendanceStatus.ABSENT)
    assert service.makeups()[0].makeup.due == DAY + dt.timedelta(days=7)
    with pytest.raises(ValidationError):
        service.set_makeup_due_days(0)


def test_clear_attendance(service, people, session):
    service.set_attendance(session.id, people[0].id, AttendanceStatus.ABSENT)
    service.clear_attendance(session.id, people[0].id)
    assert mark_of(service, session.id, people[0].id) is None
    assert service.makeups() == []


def test_counts_and_turnout(db, service, people, session):
    other = add_session(db, dt.date(2026, 3, 26))
    service.set_attendance(session.id, people[0].id, AttendanceStatus.PRESENT)
    service.set_attendance(session.id, people[1].id, AttendanceStatus.LATE, dt.time(15, 5))
    service.set_attendance(session.id, people[2].id, AttendanceStatus.LEAVE)
    counts = service.counts(session.id)
    assert counts == AttendanceCounts(
        expected=4, attended=2, leave=1, absent=0, late=1, left_early=0
    )
    assert counts.unmarked == 1
    turnout = service.turnout_by_session(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert turnout == {session.id: (2, 4), other.id: (0, 4)}
    # a member who joined later does not change a past session's numbers
    service.add_member("新同志", active_from=dt.date(2026, 3, 20))
    assert service.counts(session.id).expected == 4
    assert service.turnout_by_session(DAY, DAY) == {session.id: (2, 4)}
    assert service.counts(other.id).expected == 5


# -- leave -------------------------------------------------------------------------------


def test_file_leave_before_and_after_start(service, people, session):
    early = service.file_leave(
        people[0].id, session.id, "出差", filed_at=START - dt.timedelta(days=1), now=NOW
    )
    assert not early.late and early.decision is LeaveDecision.PENDING
    late = service.file_leave(people[1].id, session.id, "突发急事", filed_at=START, now=NOW)
    assert late.late and late.late_label == "事后补假"
    with pytest.raises(ValidationError, match="请勿重复提交"):
        service.file_leave(people[0].id, session.id, "再次请假", filed_at=START, now=NOW)
    with pytest.raises(ValidationError, match="请假事由"):
        service.file_leave(people[2].id, session.id, "  ", now=NOW)
    entries = service.leave_requests(year=2026)
    assert [(e.member.name, e.request.late) for e in entries] == [
        ("王建国", False),
        ("李红梅", True),
    ]
    assert entries[0].session.id == session.id
    assert [e.request.id for e in service.leave_requests(session_id=session.id)] == [
        early.id,
        late.id,
    ]
    assert service.leave_requests(year=2025) == []
    assert service.leave_request(late.id).late


def test_approve_leave_marks_leave_and_creates_makeup(service, people, session):
    request = service.file_leave(
        people[0].id,
        session.id,
        "出差",
        filed_at=START - dt.timedelta(days=2),
        approver="王局长",
        now=NOW,
    )
    approved = service.approve_leave(request.id, decided_at=START - dt.timedelta(days=1))
    assert approved.decision is LeaveDecision.APPROVED
    assert approved.approver == "王局长"
    assert mark_of(service, session.id, people[0].id).status is AttendanceStatus.LEAVE
    assert [t.member.id for t in service.makeups()] == [people[0].id]
    # approving ahead of the session does not mark it as held
    assert sessions_store.get(service.db, session.id).status is SessionStatus.PLANNED
    with pytest.raises(ValidationError, match="已经批准"):
        service.approve_leave(request.id, "王局长")


def test_approve_leave_is_one_transaction(service, people, session, monkeypatch):
    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The make-up is written last, after the decision and the mark.
    monkeypatch.setattr(attendance_module.makeups_store, "ensuring", broken)
    with pytest.raises(RuntimeError):
        service.approve_leave(request.id, "王局长", decided_at=START + dt.timedelta(hours=1))
    monkeypatch.undo()
    assert service.leave_request(request.id).decision is LeaveDecision.PENDING
    assert mark_of(service, session.id, people[0].id) is None
    assert service.makeups() == []


def test_approve_needs_approver(service, people, session):
    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)
    with pytest.raises(ValidationError, match="审批人"):
        service.approve_leave(request.id)
    with pytest.raises(ValidationError, match="不能早于"):
        service.approve_leave(request.id, "王局长", decided_at=START - dt.timedelta(hours=1))


def test_reject_leave_leaves_attendance(service, people, session):
    service.set_attendance(session.id, people[0].id, AttendanceStatus.ABSENT)
    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)
    rejected = service.reject_leave(request.id, "王局长", decided_at=START + dt.timedelta(hours=3))
    assert rejected.decision is LeaveDecision.REJECTED
    assert mark_of(service, session.id, people[0].id).status is AttendanceStatus.ABSENT
    with pytest.raises(ValidationError):
        service.reject_leave(request.id, "王局长")
    # a rejected request does not block a new one
    service.file_leave(people[0].id, session.id, "补充说明后再次申请", filed_at=START, now=NOW)


def test_withdraw_leave_only_before_start(service, people, session):
    request = service.file_leave(
        people[0].id, session.id, "出差", filed_at=START - dt.timedelta(days=2), now=NOW
    )
    service.approve_leave(request.id, "王局长", decided_at=START - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match=r"^会议开始后不能撤回请假"):
        service.withdraw_leave(request.id, now=START)
    service.withdraw_leave(request.id, now=START - dt.timedelta(minutes=5))
    assert service.leave_requests() == []
    assert mark_of(service, session.id, people[0].id) is None
    assert service.makeups() == []
    with pytest.raises(NotFoundError):
        service.withdraw_leave(request.id, now=START - dt.timedelta(minutes=5))


# -- make-up study -----------------------------------------------------------------------


def test_makeup_listing_and_completion(db, service, people, session):
    later = add_session(db, dt.date(2027, 1, 14))
    service.set_attendance(session.id, people[0].id, AttendanceStatus.LEAVE)
    service.set_attendance(session.id, people[1].id, AttendanceStatus.ABSENT)
    service.set_attendance(later.id, people[2].id, AttendanceStatus.ABSENT)
    today = dt.date(2026, 4, 1)  # the March tasks (due 3-26) are overdue
    assert service.overdue_count(today) == 2
    overdue = service.makeups(MakeupStatus.OVERDUE, today=today)
    assert [(e.member.name, e.status) for e in overdue] == [
        ("王建国", MakeupStatus.OVERDUE),
        ("李红梅", MakeupStatus.OVERDUE),
    ]
    assert [e.member.name for e in service.makeups(MakeupStatus.PENDING, today=today)] == ["周文斌"]
    assert [e.session.id for e in service.makeups(year=2027)] == [later.id]

    task = overdue[0].makeup
    with pytest.raises(ValidationError, match="补学方式"):
        service.complete_makeup(task.id, dt.date(2026, 3, 20), " ", today=NOW.date())
    with pytest.raises(ValidationError, match="不能早于"):
        service.complete_makeup(task.id, DAY - dt.timedelta(days=1), "自学原文", today=NOW.date())
    done = service.complete_makeup(task.id, DAY, "观看录像", "录像观看记录", today=NOW.date())
    assert done.completed == DAY and done.method == "观看录像"
    assert service.overdue_count(today) == 1
    assert [e.member.name for e in service.makeups(MakeupStatus.DONE, today=today)] == ["王建国"]
    service.reopen_makeup(task.id)
    assert service.overdue_count(today) == 2


def test_a_cancelled_sessions_make_ups_are_left_out_until_it_is_restored(
    db, service, people, session
):
    """Nobody makes up a session that did not take place; nothing is lost if it returns."""
    from dataclasses import replace

    from studyplan.app.compliance import ComplianceService
    from studyplan.app.planning import PlanningService

    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)
    service.approve_leave(request.id, "王局长", decided_at=START)
    later = DAY + dt.timedelta(days=60)
    assert service.overdue_count(later) == 1
    planning = PlanningService(db)
    planning.save_session(replace(session, status=SessionStatus.CANCELLED))

    assert service.makeups(today=later) == []
    assert service.overdue_count(later) == 0
    report = ComplianceService(db).check(2026, today=later)
    assert not [p for p in report.problems if "补学" in p.message]

    planning.save_session(replace(session, status=SessionStatus.PLANNED))
    assert [t.member.id for t in service.makeups(today=later)] == [people[0].id]
    assert service.overdue_count(later) == 1


def test_refusing_an_approved_request_takes_its_leave_mark_and_make_up_back(
    service, people, session
):
    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)
    service.approve_leave(request.id, "王局长", decided_at=START)
    service.set_attendance(session.id, people[1].id, AttendanceStatus.ABSENT)
    service.reject_leave(request.id, "王局长", decided_at=START + dt.timedelta(hours=1))
    assert mark_of(service, session.id, people[0].id) is None
    assert [t.member.id for t in service.makeups()] == [people[1].id]


def test_refusing_keeps_a_mark_the_secretary_set_after_the_approval(service, people, session):
    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)
    service.approve_leave(request.id, "王局长", decided_at=START)
    service.set_attendance(session.id, people[0].id, AttendanceStatus.ABSENT)
    service.reject_leave(request.id, "王局长", decided_at=START + dt.timedelta(hours=1))
    assert mark_of(service, session.id, people[0].id).status is AttendanceStatus.ABSENT
    assert [t.member.id for t in service.makeups()] == [people[0].id]


def test_undoing_a_refusal_of_an_approved_request_brings_its_mark_back(service, people, session):
    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)
    service.approve_leave(request.id, "王局长", decided_at=START)
    change = do(
        service.reject_leave, request.id, "王局长", decided_at=START + dt.timedelta(hours=1)
    )
    assert mark_of(service, session.id, people[0].id) is None
    change.undo(START - dt.timedelta(days=1))
    assert mark_of(service, session.id, people[0].id).status is AttendanceStatus.LEAVE
    assert [t.member.id for t in service.makeups()] == [people[0].id]
    change.redo(START - dt.timedelta(days=1))
    assert mark_of(service, session.id, people[0].id) is None
    assert service.makeups() == []


def test_a_departure_taken_back_brings_the_members_make_ups_back(db, service, people, session):
    from studyplan.app.compliance import ComplianceService

    service.set_attendance(session.id, people[2].id, AttendanceStatus.ABSENT)
    later = DAY + dt.timedelta(days=60)
    assert service.overdue_count(later) == 1
    service.deactivate_member(people[2].id, DAY - dt.timedelta(days=1))  # by mistake
    assert service.makeups(today=later) == []
    assert service.overdue_count(later) == 0

    service.reactivate_member(people[2].id)
    assert [t.member.id for t in service.makeups(today=later)] == [people[2].id]
    assert service.overdue_count(later) == 1
    report = ComplianceService(db).check(2026, today=later)
    assert not [p for p in report.problems if "未安排补学" in p.message]


def test_an_approved_request_of_a_cancelled_session_is_refused_only_once_it_returns(
    db, service, people, session
):
    from dataclasses import replace

    from studyplan.app.planning import PlanningService

    request = service.file_leave(people[0].id, session.id, "出差", filed_at=START, now=NOW)
    service.approve_leave(request.id, "王局长", decided_at=START)
    planning = PlanningService(db)
    planning.save_session(replace(session, status=SessionStatus.CANCELLED))
    with pytest.raises(ValidationError, match="已取消"):
        service.reject_leave(request.id, "王局长", decided_at=START + dt.timedelta(hours=1))
    planning.save_session(replace(session, status=SessionStatus.PLANNED))
    assert mark_of(service, session.id, people[0].id).status is AttendanceStatus.LEAVE
    service.reject_leave(request.id, "王局长", decided_at=START + dt.timedelta(hours=1))
    assert mark_of(service, session.id, people[0].id) is None
    assert service.makeups() == []


def test_a_request_dated_after_now_and_a_make_up_done_after_today_are_refused(
    service, people, session
):
    with pytest.raises(ValidationError, match="请假提交时间不能晚于现在"):
        service.file_leave(
            people[0].id, session.id, "出差", filed_at=START, now=START - dt.timedelta(hours=2)
        )
    assert service.leave_requests() == []
    service.set_attendance(session.id, people[1].id, AttendanceStatus.ABSENT)
    [task] = service.makeups(today=DAY)
    with pytest.raises(ValidationError, match="补学完成日期不能晚于今天"):
        service.complete_makeup(task.makeup.id, DAY + dt.timedelta(days=3), "自学原文", today=DAY)
    done = service.complete_makeup(task.makeup.id, DAY, "自学原文", today=DAY)
    assert done.completed == DAY


def test_a_late_approval_gives_the_make_up_its_full_time(service, people, session):
    days = service.makeup_due_days()
    request = service.file_leave(
        people[0].id, session.id, "病假", filed_at=START + dt.timedelta(days=20), now=NOW
    )
    decided = START + dt.timedelta(days=30)
    service.approve_leave(request.id, "王局长", decided_at=decided)
    [task] = service.makeups(today=decided.date())
    assert task.makeup.due == decided.date() + dt.timedelta(days=days)
    assert task.status is MakeupStatus.PENDING


def test_a_late_approval_moves_the_deadline_of_the_absence_make_up(service, people, session):
    """缺席 on the day, leave filed and approved weeks later: the open make-up the absence
    made is due from the approval, not still overdue from the session; undo puts it back."""
    from studyplan.app.changes import do

    days = service.makeup_due_days()
    service.set_attendance(session.id, people[0].id, AttendanceStatus.ABSENT)
    [task] = service.makeups(today=DAY)
    assert task.makeup.due == DAY + dt.timedelta(days=days)
    request = service.file_leave(
        people[0].id, session.id, "事后补假", filed_at=START + dt.timedelta(days=20), now=NOW
    )
    decided = START + dt.timedelta(days=25)
    approved = do(service.approve_leave, request.id, "王局长", decided_at=decided)
    [task] = service.makeups(today=decided.date())
    assert task.makeup.due == decided.date() + dt.timedelta(days=days)
    assert task.status is MakeupStatus.PENDING
    assert service.overdue_count(decided.date()) == 0

    approved.undo(now=NOW)
    [task] = service.makeups(today=decided.date())
    assert task.makeup.due == DAY + dt.timedelta(days=days)
    assert task.status is MakeupStatus.OVERDUE


def test_a_make_up_already_done_keeps_its_dates_when_leave_is_approved_late(
    service, people, session
):
    service.set_attendance(session.id, people[0].id, AttendanceStatus.ABSENT)
    [task] = service.makeups(today=DAY)
    service.complete_makeup(
        task.makeup.id, DAY + dt.timedelta(days=2), "自学原文", today=NOW.date()
    )
    request = service.file_leave(
        people[0].id, session.id, "事后补假", filed_at=START + dt.timedelta(days=20), now=NOW
    )
    service.approve_leave(request.id, "王局长", decided_at=START + dt.timedelta(days=25))
    [again] = service.makeups(today=NOW.date())
    assert again.makeup.due == task.makeup.due
    assert again.makeup.completed == DAY + dt.timedelta(days=2)
