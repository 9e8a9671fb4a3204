"""The year-end compliance check (合规检查) of the study secretary's records.

Nine checks, each a list of problems in one Chinese line a secretary can act on:
every topic of the plan studied at least once, every finished quarter with a session,
every absence excused or named as 无故缺席 (and every 请假 mark backed by an approved
request), every missed session made up, every past session with its attendance recorded,
no session on a rest day, and the checks of the 三张清单 (planned speakers, results,
members' yearly duties, whose rules are `model.duties.lists_check`); and notes (提示) of
members still on their way to a duty while the year runs. `studyplan check`, 统计, the
ledger and the documents all show this one report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from studyplan.app.lists_data import collect_lists
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.compliance import (
    _MARK_LABELS,
    ABSENCES,
    ATTENDANCE,
    MAKEUPS,
    NO_PLAN,
    QUARTERS,
    REST_DAYS,
    TITLES,
    TOPICS,
    CheckResult,
    ComplianceReport,
    Problem,
    topic_label,
)
from studyplan.model.duties import DUTIES_CHECK, ListsData, ListsReport, lists_check
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import Member, display_names
from studyplan.model.workdays import WorkCalendar, library_key
from studyplan.model.years import QUARTER_NAMES, check_year, quarter_end, quarter_of
from studyplan.store import attendance as attendance_store
from studyplan.store import calendar as calendar_store
from studyplan.store import members as members_store
from studyplan.store import plans as plan_store
from studyplan.store import reports
from studyplan.store import sessions as sessions_store
from studyplan.store.db import Database, reading


class ComplianceService:
    """Runs the checks of one year against the records as of `today`."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.clock = clock
        self._names: dict[int, str] = {}

    def check(
        self, year: int, today: dt.date | None = None, *, lists: ListsData | None = None
    ) -> ComplianceReport:
        """Every check of `year` as of `today`; `lists` is the year's 三张清单 when the
        caller has read them already (the ledger, which prints them too)."""
        return self.check_years([year], today, lists=None if lists is None else [lists])[0]

    def check_years(
        self,
        years: Sequence[int],
        today: dt.date | None = None,
        *,
        lists: Sequence[ListsData] | None = None,
    ) -> list[ComplianceReport]:
        """`check` of each of `years` (with `lists`, their 三张清单 in the same order): the
        roster, the names and the work calendar are read once for them all, as the
        all-years ledger checks every year of the record."""
        for year in years:
            check_year(year)
        if lists is not None and len(lists) != len(years):
            raise ValueError("one ListsData per year")
        today = today or self.clock.today()
        roster = members_store.all_members(self.db)
        members = {m.id: m for m in roster}
        self._names = display_names(roster)
        # The sessions of all the years in one read; the calendar asks python-holidays at
        # once for the years of those to check that the saved snapshot lacks.
        on: dict[int, list[Session]] = {}
        if years:
            span = sessions_store.between(
                self.db, dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
            )
            for session in span:
                if session.status is not SessionStatus.CANCELLED:
                    on.setdefault(session.date.year, []).append(session)
        calendar = self._work_calendar()
        calendar.prepare(year for year in years if year in on)
        found: list[ComplianceReport] = []
        for index, year in enumerate(years):
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            data = lists[index] if lists is not None else None
            checked = self._lists_check(year, today, data, self._names)
            results = [
                self._topics(year, first, last, today),
                self._quarters(year, first, last, today),
                self._absences(first, last, members),
                self._makeups(first, last, today, members),
                self._attendance(first, min(last, today - dt.timedelta(days=1))),
                self._rest_days(on.get(year, []), calendar),
                *checked.report.results,
            ]
            notes = [
                Problem(DUTIES_CHECK, f"{line}，年度学习任务尚在进行中")
                for line in checked.on_the_way
            ]
            found.append(ComplianceReport(year, today, results, notes))
        return found

    def lists_check(
        self, year: int, today: dt.date | None = None, *, data: ListsData | None = None
    ) -> ListsReport:
        """The check of the three lists and the members' duties (`lists_check`), namesakes
        told apart as in every check line; `data` when already read."""
        names = display_names(members_store.all_members(self.db))
        return self._lists_check(year, today or self.clock.today(), data, names)

    def _lists_check(
        self, year: int, today: dt.date, data: ListsData | None, names: dict[int, str]
    ) -> ListsReport:
        if data is None:
            with reading(self.db):
                data = collect_lists(self.db, check_year(year), today)
        return lists_check(data, names)

    def _work_calendar(self) -> WorkCalendar:
        """The calendar the rest-day check asks: the secretary's overrides over what
        python-holidays says (from the saved snapshot where it holds the year)."""
        return WorkCalendar(
            calendar_store.overrides(self.db),
            calendar_store.holiday_snapshot(self.db, library_key()),
        )

    # -- the checks ------------------------------------------------------------------------

    def _topics(self, year: int, first: dt.date, last: dt.date, today: dt.date) -> CheckResult:
        """Each topic studied in a held session; one with a session still ahead is on its
        way (as a quarter is checked only once it has ended), not a problem yet."""
        if not plan_store.has_plan(self.db, year):
            return CheckResult(TOPICS, TITLES[TOPICS], [Problem(TOPICS, NO_PLAN)])
        links = reports.topic_sessions(self.db, first, last)
        held = {(link.year, link.number) for link in links if link.status == "held"}
        ahead = {
            (link.year, link.number)
            for link in links
            if link.status == "planned" and link.date >= today
        }
        problems = [
            Problem(TOPICS, f"{topic_label(topic)}尚无已举行的集中学习")
            for topic in plan_store.topics(self.db, year)
            if (topic.year, topic.number) not in held | ahead
        ]
        return CheckResult(TOPICS, TITLES[TOPICS], problems)

    def _quarters(self, year: int, first: dt.date, last: dt.date, today: dt.date) -> CheckResult:
        held = [0, 0, 0, 0]
        for (_, month), (count, _planned) in reports.monthly_session_counts(
            self.db, first, last
        ).items():
            held[quarter_of(month) - 1] += count
        problems = [
            Problem(QUARTERS, f"{QUARTER_NAMES[q - 1]}没有已举行的集中学习")
            for q in range(1, 5)
            if quarter_end(year, q) < today and not held[q - 1]
        ]
        return CheckResult(QUARTERS, TITLES[QUARTERS], problems)

    def _absences(
        self, first: dt.date, last: dt.date, members: dict[int | None, Member]
    ) -> CheckResult:
        problems = [
            Problem(
                ABSENCES,
                f"{row.date:%Y-%m-%d} {self._name(members, row.member_id)} 缺席，"
                "无批准的请假（无故缺席）",
            )
            for row in reports.unexcused_absences(self.db, first, last)
        ]
        problems += [
            Problem(
                ABSENCES,
                f"{day:%Y-%m-%d} {self._name(members, member_id)} 登记为请假，但没有批准的请假申请",
            )
            for day, member_id in attendance_store.unbacked_leave_marks(self.db, first, last)
        ]
        return CheckResult(ABSENCES, TITLES[ABSENCES], problems)

    def _makeups(
        self, first: dt.date, last: dt.date, today: dt.date, members: dict[int | None, Member]
    ) -> CheckResult:
        """Missed sessions without a make-up task, and overdue tasks, by session date and
        roster order."""
        found: list[tuple[dt.date, int, int, str]] = []
        for row in reports.missed_without_makeup(self.db, first, last):
            label = _MARK_LABELS.get(row.status, row.status)
            name = self._name(members, row.member_id)
            found.append(
                (
                    row.date,
                    _rank(members, row.member_id),
                    row.member_id,
                    f"{name} {row.date:%Y-%m-%d} {label}未安排补学",
                )
            )
        for late in reports.overdue_makeups(self.db, first, last, today):
            name = self._name(members, late.member_id)
            found.append(
                (
                    late.date,
                    _rank(members, late.member_id),
                    late.member_id,
                    f"{name} {late.date:%Y-%m-%d} 场次的补学已逾期（截止 {late.due:%Y-%m-%d}）",
                )
            )
        found.sort(key=lambda item: item[:3])
        return CheckResult(MAKEUPS, TITLES[MAKEUPS], [Problem(MAKEUPS, f[3]) for f in found])

    def _rest_days(self, sessions: list[Session], calendar: WorkCalendar) -> CheckResult:
        """Sessions (the year's, not cancelled, by date) on a weekend or holiday the calendar
        does not make a workday. A 调休 Saturday entered as a workday is no rest day; one not
        entered yet may be why, which the sentence asks the secretary to verify."""
        problems = []
        for session in sessions:
            info = calendar.day(session.date)
            if info.is_workday:
                continue
            weekday = "周" + "一二三四五六日"[session.date.weekday()]
            name = info.holiday_name or (weekday if session.date.weekday() >= 5 else "休息日")
            problems.append(
                Problem(
                    REST_DAYS,
                    f"{session.date:%Y-%m-%d}（{name}）的学习安排在休息日；"
                    "如为调休上班日，请核实后在工作日历中设为工作日",
                )
            )
        return CheckResult(REST_DAYS, TITLES[REST_DAYS], problems)

    def _name(self, members: dict[int | None, Member], member_id: int) -> str:
        """The member as every check line names them: told apart from a namesake."""
        member = members.get(member_id)
        if member is None:
            return f"（成员 {member_id}）"
        return self._names.get(member_id, member.name)

    def _attendance(self, first: dt.date, last: dt.date) -> CheckResult:
        problems = []
        if last >= first:
            problems = [
                Problem(ATTENDANCE, f"{day:%Y-%m-%d} 的学习已过日期但未登记考勤")
                for _, day in reports.sessions_without_marks(self.db, first, last)
            ]
        return CheckResult(ATTENDANCE, TITLES[ATTENDANCE], problems)


def _rank(members: dict[int | None, Member], member_id: int) -> int:
    member = members.get(member_id)
    return member.rank if member else 0


__all__ = ["ComplianceService", "ListsReport", "lists_check"]
