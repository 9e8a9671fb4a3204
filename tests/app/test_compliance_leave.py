"""`check` (issue 17): a 请假 mark without an approved request, a session on a rest day,
and namesakes told apart in its lines."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.compliance import ComplianceService
from studyplan.app.planning import PlanningService
from studyplan.model.attendance import AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.compliance import REST_DAYS
from studyplan.model.plan import Session

CLOCK = FixedClock(dt.datetime(2026, 3, 1, 9, 0))
TODAY = dt.date(2026, 4, 1)


@pytest.fixture
def planning(db) -> PlanningService:
    service = PlanningService(db, clock=CLOCK)
    service.ensure_bundled_plan()
    return service


@pytest.fixture
def service(db) -> AttendanceService:
    return AttendanceService(db, clock=CLOCK)


def _session(planning, day: dt.date) -> int:
    return planning.save_session(
        Session(date=day, start=dt.time(15), end=dt.time(17), topic_numbers=(1,)),
        allow_day_off=True,
    )


def test_a_leave_mark_needs_an_approved_request(db, planning, service) -> None:
    session_id = _session(planning, dt.date(2026, 3, 12))
    wang = service.add_member("王建国", "局长", "组长", "局领导")
    namesake = service.add_member("王建国", "科员", "成员", "办公室")
    li = service.add_member("李红梅", "副局长", "副组长", "局领导")
    service.set_attendance(session_id, wang.id, AttendanceStatus.LEAVE)
    request = service.file_leave(namesake.id, session_id, "病假", kind="病假")
    service.approve_leave(request.id, "李红梅")
    service.set_attendance(session_id, li.id, AttendanceStatus.ABSENT)
    lines = [p.message for p in ComplianceService(db).check(2026, TODAY).problems]
    assert "2026-03-12 王建国（局领导） 登记为请假，但没有批准的请假申请" in lines
    assert not any("王建国（办公室） 登记为请假" in line for line in lines)
    assert any(line.startswith("王建国（局领导） 2026-03-12") for line in lines)  # 补学


def test_a_session_on_a_rest_day_is_a_problem_of_its_own_check(db, planning, service) -> None:
    _session(planning, dt.date(2026, 3, 12))
    _session(planning, dt.date(2026, 3, 14))  # a Saturday
    report = ComplianceService(db).check(2026, TODAY)
    assert [p.message for p in report.problems if p.check == REST_DAYS] == [
        "2026-03-14（周六）的学习安排在休息日；如为调休上班日，请核实后在工作日历中设为工作日"
    ]
    assert not any("休息日" in n.message for n in report.notes)
