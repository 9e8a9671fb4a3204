"""ComplianceService: the nine checks of a year's records, problem by problem."""

from __future__ import annotations

import datetime as dt

import pytest

from studyplan.app.attendance import AttendanceService
from studyplan.app.compliance import ComplianceService
from studyplan.app.demo import build_demo
from studyplan.app.lists import ListsService
from studyplan.app.planning import PlanningService
from studyplan.model.attendance import AttendanceStatus, LeaveDecision, MakeupStatus
from studyplan.model.compliance import (
    ABSENCES,
    ATTENDANCE,
    MAKEUPS,
    NO_PLAN,
    QUARTERS,
    REST_DAYS,
    TOPICS,
    CheckResult,
    Problem,
)
from studyplan.model.duties import (
    DUTIES_CHECK,
    RESULTS_CHECK,
    SPEAKERS_CHECK,
    Progress,
    StudyResult,
)
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Plan, Session, SessionStatus, Topic
from studyplan.model.years import quarter_end
from studyplan.store import plans
from studyplan.store.db import transaction

TODAY = dt.date(2025, 7, 15)


def d(month: int, day: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day)


def add_plan(db, year: int = 2025, count: int = 3) -> None:
    titles = [
        "习近平新时代中国特色社会主义思想",
        "关于科技创新的重要论述",
        "党的二十届四中全会精神",
    ]
    topics = tuple(Topic(year, n, titles[(n - 1) % 3]) for n in range(1, count + 1))
    with transaction(db):
        plans.save_plan(db, Plan(year, f"{year}年理论学习中心组专题学习计划", topics))


def add_session(planning, day, topics=(), status=SessionStatus.PLANNED) -> int:
    return planning.save_session(
        Session(
            date=day,
            start=dt.time(15),
            end=dt.time(17),
            topic_numbers=topics,
            status=status,
        ),
        allow_same_day=True,
    )


def result(report, code: str) -> CheckResult:
    return next(r for r in report.results if r.code == code)


def messages(report, code: str) -> list[str]:
    return [p.message for p in result(report, code).problems]


@pytest.fixture
def scene(db):
    """2025 up to mid-July: a first quarter held, a second quarter missed, loose ends."""
    add_plan(db)
    planning, service = PlanningService(db), AttendanceService(db)
    zhang = service.add_member("张三", "局长", "组长")
    li = service.add_member("李四", "副局长")
    wang = service.add_member("王五", "主任")
    zhao = service.add_member("赵六", "科长")
    qian = service.add_member("钱七", "科长")

    s1 = add_session(planning, d(3, 13), (1, 2))
    add_session(planning, d(5, 8), (3,), SessionStatus.CANCELLED)
    add_session(planning, d(6, 12), (3,))  # planned, past, never recorded
    add_session(planning, d(7, 10), (1,), SessionStatus.HELD)  # 已举行 but no attendance
    add_session(planning, d(7, 15), (3,))  # today: not yet due
    add_session(planning, d(9, 11), (3,))  # future

    service.set_attendance(s1, zhang.id, AttendanceStatus.ABSENT)  # 无故缺席
    filed = dt.datetime(2025, 3, 12, 9)
    refused = service.file_leave(li.id, s1, "个人事务", filed_at=filed, approver="秘书", now=filed)
    service.reject_leave(refused.id, decided_at=filed + dt.timedelta(hours=1))
    service.set_attendance(s1, li.id, AttendanceStatus.ABSENT)  # refused, stayed away
    excused = service.file_leave(wang.id, s1, "出差", filed_at=filed, approver="秘书", now=filed)
    service.approve_leave(excused.id, decided_at=filed + dt.timedelta(hours=1))
    excused = service.file_leave(zhao.id, s1, "病假", filed_at=filed, approver="秘书", now=filed)
    service.approve_leave(excused.id, decided_at=filed + dt.timedelta(hours=1))
    service.mark_all_present(s1)  # 钱七 出席

    # 王五 made up the session; 赵六's task went missing (an older database, say).
    task = next(m for m in service.makeups(today=TODAY) if m.member.id == wang.id)
    service.complete_makeup(task.makeup.id, d(3, 20), "自学原文", today=TODAY)
    with transaction(db):
        db.execute("DELETE FROM makeups WHERE member_id = ?", [zhao.id])
    return {"zhang": zhang, "li": li, "wang": wang, "zhao": zhao, "qian": qian, "s1": s1}


def test_every_check_reports_its_problems(db, scene):
    report = ComplianceService(db).check(2025, today=TODAY)
    assert [r.code for r in report.results] == [
        TOPICS,
        QUARTERS,
        ABSENCES,
        MAKEUPS,
        ATTENDANCE,
        REST_DAYS,
        SPEAKERS_CHECK,
        RESULTS_CHECK,
        DUTIES_CHECK,
    ]
    assert result(report, TOPICS).title == "每个专题至少集中学习一次"
    # 专题3's sessions so far were cancelled or not recorded, but two are still ahead.
    assert messages(report, TOPICS) == []
    # Q1 held; Q2 ended without a held session (cancelled and unrecorded ones do not count);
    # Q3 is not over on 07-15 although its 07-10 session is held.
    assert messages(report, QUARTERS) == ["二季度没有已举行的集中学习"]
    assert messages(report, ABSENCES) == [
        "2025-03-13 张三 缺席，无批准的请假（无故缺席）",
        "2025-03-13 李四 缺席，无批准的请假（无故缺席）",
    ]
    assert messages(report, MAKEUPS) == [
        "张三 2025-03-13 场次的补学已逾期（截止 2025-03-27）",
        "李四 2025-03-13 场次的补学已逾期（截止 2025-03-27）",
        "赵六 2025-03-13 请假未安排补学",
    ]
    assert messages(report, ATTENDANCE) == [
        "2025-06-12 的学习已过日期但未登记考勤",
        "2025-07-10 的学习已过日期但未登记考勤",
    ]
    assert not report.ok
    assert [r.code for r in report.results if r.passed] == [
        TOPICS,
        REST_DAYS,
        SPEAKERS_CHECK,
        RESULTS_CHECK,
        DUTIES_CHECK,
    ]
    assert len(report.problems) == 8
    assert report.problems[0] == Problem(QUARTERS, messages(report, QUARTERS)[0])
    assert {p.check for p in report.problems} == {QUARTERS, ABSENCES, MAKEUPS, ATTENDANCE}
    assert report.summary == "2025 年合规检查：9 项检查，4 项未通过，共 8 个问题"
    assert (report.year, report.today) == (2025, TODAY)


def test_a_topic_is_a_problem_once_no_session_of_it_is_ahead(db, scene):
    title = "专题3「党的二十届四中全会精神」尚无已举行的集中学习"
    assert messages(ComplianceService(db).check(2025, today=d(9, 12)), TOPICS) == [title]
    assert messages(ComplianceService(db).check(2025, today=d(12, 31)), TOPICS) == [title]
    add_plan(db, count=4)  # a fourth topic, with no session at all: a problem at once
    assert messages(ComplianceService(db).check(2025, today=TODAY), TOPICS) == [
        "专题4「习近平新时代中国特色社会主义思想」尚无已举行的集中学习"
    ]


def test_putting_things_right_clears_the_problems(db, scene):
    planning, service = PlanningService(db), AttendanceService(db)
    for entry in service.makeups(today=TODAY):
        if entry.status is not MakeupStatus.DONE:
            service.complete_makeup(entry.makeup.id, d(4, 1), "观看录像", today=TODAY)
    with transaction(db):
        db.execute(
            "INSERT INTO makeups (member_id, session_id, due, completed, method) "
            "VALUES (?, ?, '2025-03-27', '2025-03-25', '补交心得')",
            [scene["zhao"].id, scene["s1"]],
        )
    for session in planning.sessions(2025):
        if session.date in (d(6, 12), d(7, 10)):
            service.mark_all_present(session.id)
    report = ComplianceService(db).check(2025, today=TODAY)
    assert result(report, MAKEUPS).passed
    assert result(report, ATTENDANCE).passed
    assert result(report, TOPICS).passed  # 06-12 covered 专题3
    assert result(report, QUARTERS).passed  # 06-12 now held
    # An approved leave filed late turns 李四's absence into 请假.
    request = service.file_leave(
        scene["li"].id,
        scene["s1"],
        "补假",
        filed_at=dt.datetime(2025, 3, 14, 9),
        approver="秘书",
        now=dt.datetime(2025, 3, 14, 9),
    )
    assert request.late
    service.approve_leave(request.id, decided_at=dt.datetime(2025, 3, 14, 10))
    report = ComplianceService(db).check(2025, today=TODAY)
    assert messages(report, ABSENCES) == ["2025-03-13 张三 缺席，无批准的请假（无故缺席）"]
    assert report.summary == "2025 年合规检查：9 项检查，1 项未通过，共 1 个问题"


def test_quarters_count_only_once_ended(db, scene):
    service = ComplianceService(db)
    assert messages(service.check(2025, today=d(6, 30)), QUARTERS) == []  # Q2's last day
    assert messages(service.check(2025, today=d(7, 1)), QUARTERS) == ["二季度没有已举行的集中学习"]
    year_end = service.check(2025, today=d(1, 1, 2026))
    # 07-10 is held: Q3 passes; Q4 only has planned sessions.
    assert messages(year_end, QUARTERS) == [
        "二季度没有已举行的集中学习",
        "四季度没有已举行的集中学习",
    ]
    assert quarter_end(2025, 1) == d(3, 31) and quarter_end(2025, 4) == d(12, 31)


def test_unrecorded_sessions_are_those_before_today(db, scene):
    service = ComplianceService(db)
    late = messages(service.check(2025, today=d(7, 16)), ATTENDANCE)
    assert late[-1] == "2025-07-15 的学习已过日期但未登记考勤"
    assert len(late) == 3
    assert messages(service.check(2025, today=d(6, 12)), ATTENDANCE) == []


def test_a_year_that_passes_everything(db):
    add_plan(db, 2025, count=2)
    planning, service = PlanningService(db), AttendanceService(db)
    service.add_member("张三", "局长", "组长")
    member = service.add_member("李四", "副局长")
    for n, day in enumerate((d(2, 13), d(5, 8), d(8, 14), d(11, 13))):
        session_id = add_session(planning, day, ((n % 2) + 1,))
        if n == 1:
            filed = dt.datetime.combine(day, dt.time(9)) - dt.timedelta(days=1)
            request = service.file_leave(
                member.id, session_id, "出差", filed_at=filed, approver="甲", now=filed
            )
            service.approve_leave(request.id, decided_at=filed)
            task = service.makeups(today=day)[0]
            service.complete_makeup(
                task.makeup.id, day + dt.timedelta(days=3), "自学原文", today=d(12, 31)
            )
        service.mark_all_present(session_id)
    add_session(planning, d(12, 11), (1,), SessionStatus.CANCELLED)
    # Since the 三张清单 are checked too, a year passes when each held topic turned into a
    # result and the group set no yearly duties its members fell short of.
    lists = ListsService(db)
    for code in ("speeches", "reflections", "papers", "self_plan"):
        lists.set_required(code, 0)
    for topic in planning.topics(2025):
        lists.add_result(
            StudyResult(
                name=f"{topic.title}的落实措施",
                kind="工作部署",
                member_id=member.id,
                topic_id=topic.id,
                progress=Progress.DONE,
            )
        )
    report = ComplianceService(db).check(2025, today=d(1, 5, 2026))
    assert report.ok
    assert report.problems == []
    assert all(r.passed for r in report.results)
    assert report.summary == "2025 年合规检查：9 项检查，全部通过"


def test_a_year_without_a_plan(db):
    report = ComplianceService(db).check(2030, today=d(1, 1, 2030))
    assert messages(report, TOPICS) == [NO_PLAN] == ["该年度没有学习计划"]
    assert report.problems == [Problem(TOPICS, "该年度没有学习计划")]
    assert report.summary == "2030 年合规检查：9 项检查，1 项未通过，共 1 个问题"
    past = ComplianceService(db).check(2024, today=d(1, 1, 2026))
    assert len(messages(past, QUARTERS)) == 4


def test_year_out_of_range(db):
    with pytest.raises(ValidationError):
        ComplianceService(db).check(1949)
    with pytest.raises(ValidationError):
        ComplianceService(db).check(2101)


def test_demo_year_problems_match_the_records(db):
    today = dt.date(2026, 11, 26)
    build_demo(db, year=2025, today=today)
    service = AttendanceService(db)
    report = ComplianceService(db).check(2025, today=today)
    for problem in report.problems:
        print(problem.check, problem.message)
    approved = {
        (e.request.session_id, e.request.member_id)
        for e in service.leave_requests(2025)
        if e.request.decision is LeaveDecision.APPROVED
    }
    absences = []
    for session in PlanningService(db).sessions(2025):
        for member, mark in service.attendance(session.id):
            if mark.status is AttendanceStatus.ABSENT and (session.id, member.id) not in approved:
                absences.append(
                    f"{session.date:%Y-%m-%d} {member.name} 缺席，无批准的请假（无故缺席）"
                )
    overdue = [
        f"{e.member.name} {e.session.date:%Y-%m-%d} 场次的补学已逾期"
        f"（截止 {e.makeup.due:%Y-%m-%d}）"
        for e in sorted(
            service.makeups(status=MakeupStatus.OVERDUE, today=today, year=2025),
            key=lambda e: (e.session.date, e.member.rank),
        )
    ]
    assert messages(report, TOPICS) == []
    assert messages(report, QUARTERS) == []
    assert messages(report, ATTENDANCE) == []
    assert messages(report, ABSENCES) == absences
    assert messages(report, MAKEUPS) == overdue
    assert absences and overdue  # the demo shows both kinds
    assert messages(report, REST_DAYS) == []
    # The demo's 三张清单 show their own problems (a speaker who did not speak, an overdue
    # result, …): the check holds them besides the absences and make-ups.
    lists = ComplianceService(db).lists_check(2025, today).report
    assert lists.problems and report.problems[-len(lists.problems) :] == lists.problems
    assert report.summary == (
        f"2025 年合规检查：9 项检查，{2 + len(lists.failed)} 项未通过，"
        f"共 {len(absences) + len(overdue) + len(lists.problems)} 个问题"
    )


def test_several_years_at_once_are_each_year_s_own_check(db):
    """`check_years` (the all-years ledger's) reads the roster and the calendar once, and
    gives for each year what `check` gives for it alone, with or without its lists."""
    from studyplan.app.lists_data import collect_lists

    today = dt.date(2026, 11, 26)
    build_demo(db, year=2024, years=3, members=12, today=today)
    PlanningService(db).save_session(  # a session on a Sunday: a rest-day problem in 2025
        Session(date=d(7, 13), start=dt.time(15), end=dt.time(17), location="会议室"),
        allow_day_off=True,
    )
    service = ComplianceService(db)
    years = [2024, 2025, 2026]
    alone = [service.check(year, today) for year in years]
    assert service.check_years(years, today) == alone
    lists = [collect_lists(db, year, today) for year in years]
    assert service.check_years(years, today, lists=lists) == alone
    assert messages(alone[1], REST_DAYS) and not messages(alone[0], REST_DAYS)
    with pytest.raises(ValueError):
        service.check_years(years, today, lists=lists[:2])
