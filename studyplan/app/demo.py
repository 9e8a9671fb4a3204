"""A realistic demo database: roster, scheduled years, attendance, leave and make-ups.

It serves newcomers (try the app on believable data), screenshots, and the benchmarks at
scale. Everything goes through the same services a secretary's clicks use, in one
transaction, and the same arguments always give the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from pathlib import Path

from studyplan.app.attendance import AttendanceService
from studyplan.app.planning import PlanningService
from studyplan.app.records import RecordsService
from studyplan.model.attendance import MAKEUP_METHODS, AttendanceStatus
from studyplan.model.clock import FixedClock
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Plan, ScheduleRequest
from studyplan.model.records import archive_root_for
from studyplan.model.years import check_year
from studyplan.store.db import Database, database_file, transaction

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建国",
    "志强",
    "红梅",
    "海燕",
    "立新",
    "文军",
    "晓东",
    "丽华",
    "国栋",
    "振华",
    "春生",
    "秀英",
    "永刚",
    "玉兰",
    "明辉",
    "凤霞",
    "卫东",
    "雪梅",
    "德胜",
    "桂芳",
    "俊杰",
    "慧敏",
    "宏伟",
    "淑珍",
    "家豪",
    "静怡",
    "鹏飞",
    "婷婷",
    "子涵",
    "磊",
    "涛",
    "敏",
    "勇",
    "静",
    "军",
    "伟",
    "芳",
    "杰",
    "娜",
    "强",
    "洋",
    "艳",
    "斌",
    "超",
    "霞",
    "平",
    "刚",
    "辉",
]
DEPARTMENTS = (
    "办公室",
    "政策法规科",
    "高新技术科",
    "农村科技科",
    "社会发展科",
    "成果转化科",
    "对外合作科",
    "人事科",
    "机关党委",
    "科技情报研究所",
)
#: The demo's leave reasons, each with its type (model/attendance LEAVE_KINDS), so the
#: 类别 column and the 因公/因私 counts are filled; the reason stays the 事由.
LEAVE_REASONS: tuple[tuple[str, str], ...] = (
    ("参加市政府专题会议", "参加上级会议"),
    ("赴省科技厅汇报工作", "公务"),
    ("带队到企业开展调研", "公务"),
    ("病假", "病假"),
    ("参加上级组织的培训", "学习培训"),
    ("接待专家评审组", "公务"),
)
#: A refused request's reason and type.
PRIVATE_REASON = ("个人事务", "事假")


@dataclass(frozen=True)
class DemoSummary:
    members: int
    sessions: int
    held: int
    marks: int
    leave_requests: int
    makeups: int


def _roster(count: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(name, position, role, department) for `count` people, leadership first."""
    heads = [
        ("局党组书记、局长", "组长", "局领导"),
        ("局党组副书记、副局长", "副组长", "局领导"),
        ("局党组成员、副局长", "成员", "局领导"),
        ("局党组成员、副局长", "成员", "局领导"),
        ("局党组成员、总工程师", "成员", "局领导"),
        ("驻局纪检监察组组长", "成员", "驻局纪检监察组"),
        ("办公室主任", "成员", "办公室"),
    ]
    people: list[tuple[str, str, str]] = heads[: max(1, min(len(heads), count - 1))]
    departments = [d for d in DEPARTMENTS if d != "办公室"]
    n = 0
    while len(people) < count - 1:
        department = departments[n % len(departments)]
        title = "主任" if department.endswith("所") else "科长"
        if n >= len(departments):
            title = "副" + title
        people.append((f"{department}{title}", "成员", department))
        n += 1
    people.append(("办公室副主任", "学习秘书", "办公室"))
    used: set[str] = set()
    roster = []
    for position, role, department in people[:count]:
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if name not in used:
                used.add(name)
                break
        roster.append((name, position, role, department))
    return roster


def _plan_for(planning: PlanningService, year: int) -> None:
    """Every demo year gets the bundled plan's topics when it has no plan of its own."""
    from studyplan.io.bundled import bundled_years, load_bundled_plan
    from studyplan.store import plans as plan_store

    if plan_store.has_plan(planning.db, year):
        return
    template = load_bundled_plan(year if year in bundled_years() else bundled_years()[-1])
    title = template.title.replace(str(template.year), str(year))
    plan = Plan(
        year=year,
        title=title,
        topics=tuple(replace(t, year=year, id=None) for t in template.topics),
        source="演示数据",
    )
    plan_store.save_plan(planning.db, plan)


def build_demo(
    db: Database,
    *,
    year: int,
    years: int = 1,
    members: int = 14,
    today: dt.date | None = None,
    seed: int = 20260101,
) -> DemoSummary:
    """Fill an empty database with `years` years of demo data starting at `year`."""
    check_year(year)
    check_year(year + years - 1)
    if not 1 <= years <= 50:
        raise ValidationError("演示年数应在 1 到 50 之间。")
    if not 3 <= members <= 200:
        raise ValidationError("演示成员人数应在 3 到 200 之间。")
    today = today or dt.date.today()
    now = dt.datetime.combine(today, dt.time(23, 59))  # the demo's clock
    rng = random.Random(f"{seed}-{year}-{years}-{members}")
    planning = PlanningService(db)
    service = AttendanceService(db)
    records = RecordsService(db, archive_root_for(_database_file(db)), clock=FixedClock(now))
    if planning.sessions() or service.list_members():
        raise ValidationError(
            "数据库中已有成员或场次；演示数据只能填入新的空数据库（用 --db 指定新文件）。"
        )

    with transaction(db):
        planning.ensure_bundled_plan()
        roster = [
            service.add_member(name, position, role, department)
            for name, position, role, department in _roster(members, rng)
        ]
        secretary = roster[-1]
        leader = roster[0]
        # Members come and go over the years; their history stays.
        for offset in range(1, years):
            leaving = roster[2 + (offset % max(1, len(roster) - 3))]
            if leaving.active_to is None and leaving.role not in ("组长", "学习秘书"):
                assert leaving.id is not None  # a stored member
                service.deactivate_member(leaving.id, dt.date(year + offset, 6, 30))
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)[:1]
                service.add_member(
                    name,
                    leaving.position,
                    leaving.role,
                    leaving.department,
                    active_from=dt.date(year + offset, 7, 1),
                )

        held = marks = requests = 0
        for current in range(year, year + years):
            _plan_for(planning, current)
            proposal = planning.propose_schedule(
                ScheduleRequest(year=current, location="局机关三楼会议室")
            )
            proposal.new_sessions = [
                replace(s, host=leader.name, lecturer=rng.choice(roster[:6]).name)
                for s in proposal.new_sessions
            ]
            planning.apply_schedule(proposal)
            for index, session in enumerate(planning.sessions(current)):
                if session.date >= today:
                    continue
                held += 1
                assert session.id is not None  # a stored session
                # The first session of each year shows every kind of leave at least once.
                forced = {2: 0.03, 3: 0.07, 4: 0.08} if index == 0 else {}
                marks += _hold(
                    service, session.id, session.date, session.start, rng, secretary, forced, now
                )
                _write_record(records, service, session, leader, rng)
        requests = len(service.leave_requests())
        _settle_makeups(service, today, rng)
        _fill_lists(db, planning, service, range(year, year + years), today, leader, secretary)
        # The years python-holidays answered for while scheduling, written down as the
        # window does when it closes: a database kept over those years would hold them.
        planning.remember_holidays()
    makeup_count = len(service.makeups())
    return DemoSummary(
        members=len(service.list_members()),
        sessions=len(planning.sessions()),
        held=held,
        marks=marks,
        leave_requests=requests,
        makeups=makeup_count,
    )


def _hold(
    service: AttendanceService,
    session_id: int,
    day: dt.date,
    start: dt.time,
    rng: random.Random,
    secretary,
    forced: dict[int, float],
    now: dt.datetime,
) -> int:
    """Attendance for one past session: leave requests first, then everyone, then exceptions
    (`now` is the demo's clock: a late request may be dated after the real one)."""
    begins = dt.datetime.combine(day, start)
    expected = service.expected_members(day)
    for position, member in enumerate(expected):
        assert member.id is not None  # a stored member
        roll = rng.random()
        roll = forced.get(position, roll)
        # Nobody approves their own leave: the secretary's goes to the group's head.
        approver = secretary.name if member.id != secretary.id else expected[0].name
        if roll < 0.06:  # asked in advance, approved
            reason, kind = rng.choice(LEAVE_REASONS)
            request = service.file_leave(
                member.id,
                session_id,
                reason,
                kind=kind,
                filed_at=begins - dt.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5)),
                approver="",
                now=now,
            )
            assert request.id is not None  # a stored request
            service.approve_leave(
                request.id,
                approver=approver,
                decided_at=request.filed_at + dt.timedelta(hours=2),
            )
        elif roll < 0.075:  # filed after the session began (事后补假), approved
            reason, kind = rng.choice(LEAVE_REASONS)
            request = service.file_leave(
                member.id,
                session_id,
                reason,
                kind=kind,
                filed_at=begins + dt.timedelta(hours=rng.randint(1, 20)),
                approver=approver,
                now=now,
            )
            assert request.id is not None  # a stored request
            service.approve_leave(request.id, decided_at=request.filed_at + dt.timedelta(hours=1))
        elif roll < 0.085:  # asked, refused: came in the end, or stayed away
            request = service.file_leave(
                member.id,
                session_id,
                PRIVATE_REASON[0],
                kind=PRIVATE_REASON[1],
                filed_at=begins - dt.timedelta(days=1),
                approver=approver,
                now=now,
            )
            assert request.id is not None  # a stored request
            service.reject_leave(request.id, decided_at=request.filed_at + dt.timedelta(hours=3))
            if rng.random() < 0.5:
                service.set_attendance(session_id, member.id, AttendanceStatus.ABSENT)
        elif roll < 0.095:
            service.set_attendance(session_id, member.id, AttendanceStatus.ABSENT, note="未请假")
        elif roll < 0.135:
            arrived = (begins + dt.timedelta(minutes=rng.randint(5, 25))).time()
            service.set_attendance(session_id, member.id, AttendanceStatus.LATE, time=arrived)
        elif roll < 0.15:
            ends = dt.datetime.combine(day, start) + dt.timedelta(minutes=90)
            service.set_attendance(
                session_id,
                member.id,
                AttendanceStatus.LEFT_EARLY,
                time=ends.time(),
                note="另有公务",
            )
    service.mark_all_present(session_id)
    return len(expected)


def _database_file(db: Database) -> Path:
    """The main database file's path (the demo adds no attachments, but the service asks)."""
    return database_file(db) or Path("studyplan.db")


TALKS = (
    "结合分管工作谈学习体会",
    "以科技创新引领新质生产力发展的思考",
    "推动科技成果转化的实践与体会",
    "关于优化科技创新生态的几点认识",
    "学用结合，推动重点工作落地见效",
)


def _write_record(records, service: AttendanceService, session, leader, rng: random.Random) -> None:
    """Minutes, a few talks and most reflections for a held session."""
    present = [
        member
        for member, mark in service.attendance(session.id)
        if mark is not None and mark.status.attended
    ]
    topics = "、".join(f"专题{n}" for n in session.topic_numbers)
    # Minutes are kept as the session ends: their 已保存 time is that, never a later hour
    # of the demo's day (which may still lie ahead) nor the machine's.
    records = RecordsService(
        records.db, records.archive_root, clock=FixedClock.on(session.date, session.end)
    )
    records.save_minutes(
        session.id,
        f"{leader.name}主持会议，领学{topics}相关篇目。与会同志结合分管工作交流研讨，"
        "会议要求把学习成果转化为推动科技创新工作的具体举措。",
    )
    for member in rng.sample(present[1:], k=min(3, max(0, len(present) - 1))):
        records.add_speech(session.id, member.name, rng.choice(TALKS), member_id=member.id)
    for member in present:
        if rng.random() < 0.8:
            records.set_reflection(
                session.id,
                member.id,
                session.date + dt.timedelta(days=rng.randint(1, 7)),
                title="学习心得体会",
            )


def _settle_makeups(service: AttendanceService, today: dt.date, rng: random.Random) -> None:
    """Most make-ups are done on time; some of the recent ones are open, a few overdue."""
    for entry in service.makeups(today=today):
        makeup = entry.makeup
        age = (today - entry.session.date).days
        if age < 10 and rng.random() < 0.7:
            continue  # still open, not yet due
        if age >= 10 and rng.random() < 0.12:
            continue  # forgotten: overdue
        done = min(today, entry.session.date + dt.timedelta(days=rng.randint(2, 12)))
        assert makeup.id is not None  # a stored task
        service.complete_makeup(
            makeup.id,
            done,
            rng.choice(MAKEUP_METHODS),
            f"已于{done:%m月%d日}完成补学，提交学习笔记一份",
            today=today,
        )


RESULTS = (
    ("政策举措", "关于加快科技成果转化的若干措施"),
    ("工作部署", "年度科技创新重点任务分解方案"),
    ("制度机制", "局党组理论学习中心组学习成果转化办法"),
    ("调研报告", "关于企业研发投入情况的调研报告"),
    ("理论文章", "以新质生产力推动高质量发展的几点思考"),
)


def _fill_lists(db: Database, planning, service, years, today, leader, secretary) -> None:
    """三张清单 and the members' years: each topic's arrangement, a planned speaker per
    session (the one who spoke, so most plans are met; the odd one is not), results for most
    held topics (one overdue), papers, self-study plans and note checks. Its own random
    numbers, so the rest of the demo stays as it was; skipped on a file at an older schema."""
    from studyplan.app.lists import ListsService
    from studyplan.app.records import RecordsService
    from studyplan.model.duties import DEFAULT_STUDY_FORMS, Progress, StudyResult
    from studyplan.store import lists as lists_store
    from studyplan.store import plans as plan_store

    if not lists_store.available(db):
        return
    rng = random.Random(f"lists-{years.start}-{len(years)}")
    lists = ListsService(db)
    records = RecordsService(db, archive_root_for(_database_file(db)))
    for year in years:
        sessions = planning.sessions(year)
        topics = plan_store.topics(db, year)
        members = [m for m in service.list_members() if m.role != "学习秘书"]
        departments = [m.department for m in members if m.department] or ["办公室"]
        for index, topic in enumerate(topics):
            assert topic.id is not None
            covered = [s for s in sessions if topic.number in s.topic_numbers]
            month = covered[0].date.month if covered else 1 + index % 12
            lists.set_topic_arrangement(
                topic.id,
                host=leader.name,
                lecturer=rng.choice(members[:6]).name,
                department=departments[index % len(departments)],
                form=DEFAULT_STUDY_FORMS[index % len(DEFAULT_STUDY_FORMS)],
                month=month,
            )
        for session in sessions:
            assert session.id is not None
            lists.set_session_department(session.id, "办公室")
            spoken = [s for s in records.speeches(session.id) if s.member_id]
            if spoken:
                chosen = spoken[0]
                assert chosen.member_id is not None
                lists.add_planned_speaker(chosen.member_id, chosen.title, session_id=session.id)
                if session is sessions[1]:  # one planned speaker who did not speak
                    silent = {s.member_id for s in spoken}
                    others = [
                        m
                        for m in service.expected_members(session.date)
                        if m.id not in silent and m.role not in ("组长", "学习秘书")
                    ]
                    if others and others[0].id is not None:
                        lists.add_planned_speaker(others[0].id, TALKS[1], session_id=session.id)
            elif session.date >= today:
                expected = service.expected_members(session.date)
                candidates = [m for m in expected if m.role not in ("组长", "学习秘书")]
                if candidates:
                    member = rng.choice(candidates)
                    assert member.id is not None
                    lists.add_planned_speaker(member.id, TALKS[0], session_id=session.id)
        held = [s for s in sessions if s.status.value == "held"]
        for number, session in enumerate(held):
            if rng.random() < 0.25:
                continue
            kind, name = RESULTS[number % len(RESULTS)]
            owner = rng.choice(members[:6])
            due = session.date + dt.timedelta(days=rng.randint(30, 90))
            progress = Progress.DONE if due < today else Progress.UNDER_WAY
            if number == 1:
                progress = Progress.UNDER_WAY  # one result left behind: flagged as overdue
            lists.add_result(
                StudyResult(
                    name=name,
                    kind=kind,
                    member_id=owner.id,
                    due=due,
                    progress=progress,
                    effect="已印发实施，推动相关工作落实" if progress is Progress.DONE else "",
                    session_id=session.id,
                )
            )
        for member in service.list_members():
            assert member.id is not None
            if not member.expected_on(dt.date(year, 12, 31)) and not member.expected_on(
                dt.date(year, 1, 1)
            ):
                continue
            start = max(dt.date(year, 1, 20), member.active_from or dt.date(year, 1, 20))
            if start < today and rng.random() < 0.85:
                lists.set_self_plan(member.id, year, start, "个人自学计划.docx")
            written = dt.date(year, 6 + rng.randint(0, 5), rng.randint(1, 28))
            if written < today and rng.random() < 0.6:
                kind = rng.choice(("调研报告", "理论文章"))
                lists.add_paper(
                    member.id, kind, RESULTS[3 if kind == "调研报告" else 4][1], written
                )
            for month in (6, 12):
                checked = dt.date(year, month, 25)
                if checked < today and rng.random() < 0.9:
                    lists.add_note_check(member.id, checked, leader.name, "笔记完整，记录认真")
