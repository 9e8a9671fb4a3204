"""三张清单 and the members' years read for showing and exporting: the one place their
numbers are gathered (the view, the ledger's sheets, the lists workbook, the member file and
the command line all take them from here), and the two exports of issue 18."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from studyplan.app.statistics import StatisticsService
from studyplan.model.attendance import AttendanceStatus, LeaveDecision, LeaveRequest
from studyplan.model.duties import (
    DUTIES,
    Absence,
    Arrangement,
    DutyCounts,
    ListsData,
    MemberYear,
    NoteCheck,
    Paper,
    PlannedSpeaker,
    ResultLine,
    SessionLine,
    SpeakerLine,
    TopicLine,
    YearItem,
    leave_reason,
    makeup_text,
    speaker_state,
    year_over,
)
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import Member
from studyplan.model.years import check_year
from studyplan.store import leave as leave_store
from studyplan.store import lists as lists_store
from studyplan.store import makeups as makeups_store
from studyplan.store import members as members_store
from studyplan.store import plans as plans_store
from studyplan.store import records as records_store
from studyplan.store import reports as reports_store
from studyplan.store import sessions as sessions_store
from studyplan.store import settings as settings_store
from studyplan.store.db import Database, reading

#: Member id -> their speeches, reflections and missed sessions at a year's held sessions.
YearItems = tuple[dict[int, list[YearItem]], dict[int, list[YearItem]], dict[int, list[Absence]]]


def member_years(db: Database, year: int, today: dt.date) -> list[MemberYear]:
    """The members' years of `year` (caller's read transaction): attendance as the ledger's
    统计分析 counts it, duties from `duty_counts`."""
    return _member_years(db, year, today, _years_items(db, [year], today)[year])


def _member_years(db: Database, year: int, today: dt.date, items: YearItems) -> list[MemberYear]:
    attendances = StatisticsService(db).member_attendance(year)
    counts = lists_store.duty_counts(db, year)
    required = {d.code: settings_store.count(db, d.setting) for d in DUTIES}
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    papers = lists_store.papers(db, first, last)
    plans = lists_store.self_plans(db, year)
    checks = lists_store.note_checks(db, first, last)
    over = year_over(year, today)
    speeches, reflections, absences = items
    # Each member's papers and checks, in the order read: one pass, not one per member.
    papers_of: dict[int, list[Paper]] = {}
    for paper in papers:
        papers_of.setdefault(paper.member_id, []).append(paper)
    checks_of: dict[int, list[NoteCheck]] = {}
    for check in checks:
        checks_of.setdefault(check.member_id, []).append(check)
    result = []
    for attendance in attendances:
        member = attendance.member
        result.append(
            MemberYear(
                year=year,
                member=member,
                attendance=attendance,
                counts=counts.get(member.id or 0, DutyCounts()),
                required=required,
                over=over,
                papers=papers_of.get(member.id or 0, []),
                self_plan=plans.get(member.id or 0),
                note_checks=checks_of.get(member.id or 0, []),
                speeches=speeches.get(member.id or 0, []),
                reflections=reflections.get(member.id or 0, []),
                absences=absences.get(member.id or 0, []),
            )
        )
    return result


#: The marks of a missed session (请假, 缺席): what the statistics count as leave and absent.
MISSED = (AttendanceStatus.LEAVE.value, AttendanceStatus.ABSENT.value)


def _years_items(
    db: Database,
    years: list[int],
    today: dt.date,
    marks: dict[tuple[int, int], str] | None = None,
) -> dict[int, YearItems]:
    """Year -> member id -> their speeches, reflections and missed sessions at the year's
    HELD sessions, in date order: the items `duty_counts` and the statistics count. The
    record of all the years is read at once (one query each, not each per year); `marks`
    are those of `reports.marks_between` over at least these years, if read already."""
    if not years:
        return {}
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    held: dict[int, list[Session]] = {year: [] for year in years}
    for session in sessions_store.between(db, first, last):  # by date and time
        if session.status is SessionStatus.HELD and session.date.year in held:
            held[session.date.year].append(session)
    spoken = records_store.speeches_by_session(db, first, last)
    handed_in = records_store.reflections_by_session(db, first, last)
    leaves: dict[tuple[int, int], LeaveRequest] = {}
    requests = leave_store.listing(db, year=years[0] if len(years) == 1 else None)
    for request in requests:
        key = (request.member_id, request.session_id)
        if key not in leaves or request.decision is LeaveDecision.APPROVED:
            leaves[key] = request  # an approved request's reason wins
    # The missed marks by session (in the order they were read), and every task of the
    # years' sessions read at once, rather than all marks and one task per missed mark.
    missed: dict[int, list[tuple[int, str]]] = {}
    if marks is None:
        marks = reports_store.marks_between(db, first, last)
    for (session_id, member_id), status in marks.items():
        if status in MISSED:
            missed.setdefault(session_id, []).append((member_id, status))
    tasks = makeups_store.for_sessions_between(db, first, last)
    result: dict[int, YearItems] = {}
    for year in years:
        speeches: dict[int, list[YearItem]] = {}
        reflections: dict[int, list[YearItem]] = {}
        absences: dict[int, list[Absence]] = {}
        for session in held[year]:
            assert session.id is not None
            for speech in spoken.get(session.id, []):
                if speech.member_id is not None:
                    item = YearItem(session.date, speech.title)
                    speeches.setdefault(speech.member_id, []).append(item)
            for reflection in handed_in.get(session.id, []):
                item = YearItem(reflection.submitted_on, reflection.title)
                reflections.setdefault(reflection.member_id, []).append(item)
        for session in held[year]:
            session_id = session.id or 0
            for member_id, status in missed.get(session_id, []):
                on_leave = status == AttendanceStatus.LEAVE
                absence = Absence(
                    session.date,
                    AttendanceStatus(status).label,
                    leave_reason(leaves.get((member_id, session_id))) if on_leave else "缺席",
                    makeup_text(tasks.get((member_id, session_id)), today),
                )
                absences.setdefault(member_id, []).append(absence)
        result[year] = (speeches, reflections, absences)
    return result


def collect_lists(db: Database, year: int, today: dt.date) -> ListsData:
    """The three lists of `year` (caller's read transaction; the ledger reads them in its own)."""
    return collect_lists_of(db, [year], today)[0]


def collect_lists_of(
    db: Database,
    years: list[int],
    today: dt.date,
    *,
    marks: dict[tuple[int, int], str] | None = None,
) -> list[ListsData]:
    """`collect_lists` of each of `years` (caller's read transaction): the roster and the
    record of the years' held sessions are read once for them all, as the all-years ledger
    prints every year's lists; `marks` when the caller has read them already over at least
    these years (`reports.marks_between`; the ledger, which prints them too)."""
    members: dict[int | None, Member] = {m.id: m for m in members_store.all_members(db)}
    items = _years_items(db, years, today, marks)
    return [_lists(db, year, today, members, items[year]) for year in years]


def _lists(
    db: Database,
    year: int,
    today: dt.date,
    members: dict[int | None, Member],
    items: YearItems,
) -> ListsData:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sessions = [
        s for s in sessions_store.in_year(db, year) if s.status is not SessionStatus.CANCELLED
    ]
    topics = plans_store.topics(db, year)
    by_number = {t.number: t for t in topics}
    covering: dict[int, list[Session]] = {}
    for session in sessions:
        for number in session.topic_numbers:
            topic = by_number.get(number)
            if topic is not None and topic.id is not None:
                covering.setdefault(topic.id, []).append(session)
    spoke = lists_store.spoke_at(db, first, last)
    speakers = lists_store.planned_speakers(db, year)
    by_id = {s.id: s for s in sessions}

    def line(speaker: PlannedSpeaker) -> SpeakerLine:
        if speaker.session_id is not None:
            session = by_id.get(speaker.session_id)
            planned_for = [session] if session is not None else []
        else:
            planned_for = covering.get(speaker.topic_id or 0, [])
        held = [s for s in planned_for if s.status is SessionStatus.HELD]
        member = members.get(speaker.member_id)
        return SpeakerLine(
            speaker,
            member.name if member else "",
            speaker_state(held, spoke.get(speaker.member_id, set())),
        )

    arrangements = lists_store.topic_arrangements(db, year)
    departments = lists_store.session_departments(db, first, last)
    topic_lines = [
        TopicLine(
            topic,
            arrangements.get(topic.id or 0, Arrangement()),
            [line(s) for s in speakers if s.topic_id == topic.id],
            covering.get(topic.id or 0, []),
        )
        for topic in topics
    ]
    session_lines = [
        SessionLine(
            session,
            departments.get(session.id or 0, ""),
            [line(s) for s in speakers if s.session_id == session.id],
        )
        for session in sessions
    ]
    topic_titles = {t.id: f"专题{t.number} {t.title}" for t in topics}
    result_lines = [
        ResultLine(
            result,
            members[result.member_id].name if result.member_id in members else "",
            topic_titles.get(result.topic_id, "")
            if result.topic_id is not None
            else _session_label(by_id.get(result.session_id)),
            result.overdue(today),
        )
        for result in lists_store.results(db, year)
    ]
    return ListsData(
        year=year,
        today=today,
        topics=topic_lines,
        sessions=session_lines,
        results=result_lines,
        members=_member_years(db, year, today, items),
    )


def _session_label(session: Session | None) -> str:
    if session is None:
        return ""
    topics = "、".join(str(n) for n in session.topic_numbers)
    return f"{session.date:%Y-%m-%d} 学习" + (f"（专题{topics}）" if topics else "")


def export_lists(db: Database, path: str | Path, year: int, *, today: dt.date) -> Path:
    """Write 三张清单 and the members' duties of `year` as one printable .xlsx."""
    from studyplan.app.unit import UnitService
    from studyplan.io.lists_workbook import ListsWorkbook, write_lists

    check_year(year)
    with reading(db):
        data = collect_lists(db, year, today)
        org = UnitService(db).unit_name(year)
    return write_lists(ListsWorkbook(org, data), path)


def export_member_file(
    db: Database,
    path: str | Path,
    year: int,
    *,
    today: dt.date,
    member_id: int | None = None,
) -> Path:
    """Write the 个人学习档案 of `year` (.docx): one member's, or every member's, a page each.
    The numbers are those of the ledger's 成员履职情况 and 统计分析 (`member_years`)."""
    from studyplan.app.unit import UnitService
    from studyplan.io.member_file import MemberFile, write_member_file

    check_year(year)
    with reading(db):
        entries = member_years(db, year, today)
        org = UnitService(db).unit_name(year)
        if member_id is not None:
            member = members_store.get(db, member_id)
            entries = [e for e in entries if e.member.id == member_id]
            if not entries:
                raise ValidationError(f"{member.name} {year} 年不在中心组。")
    return write_member_file(MemberFile(org, year, entries), path)
