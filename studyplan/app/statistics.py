"""A year's numbers: attendance per member, topic coverage, sessions per month and quarter.

出勤率 = (出席 + 迟到 + 早退) / 应到, where 应到 counts a member only at the HELD sessions
they were expected at (in the group on the day). Everything comes from a few aggregate
queries in `studyplan.store.reports`, so ten years of a large group stay quick.
"""

from __future__ import annotations

import datetime as dt

from studyplan.model.attendance import MakeupStatus, leave_counts
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.errors import ValidationError
from studyplan.model.statistics import (
    MemberAttendance,
    PeriodCount,
    TopicCoverage,
    YearStatistics,
)
from studyplan.model.years import check_year, quarter_of, year_span
from studyplan.store import leave as leave_store
from studyplan.store import makeups as makeups_store
from studyplan.store import members as members_store
from studyplan.store import reports
from studyplan.store.db import Database


class StatisticsService:
    """Numbers for the charts view and the ledger, per year or over all years."""

    def __init__(self, db: Database, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.db = db
        self.clock = clock

    def year_statistics(self, year: int | None, today: dt.date | None = None) -> YearStatistics:
        """The statistics of `year` (None: all years); `today` decides which make-ups are
        overdue."""
        first, last = year_span(year)
        years = [year] if year is not None else reports.session_years(self.db)
        return self._statistics(year, years, first, last, today or self.clock.today())

    def member_attendance(self, year: int) -> list[MemberAttendance]:
        """The members of `year` with their attendance, as `year_statistics(year).members`
        counts them, without the year's other numbers (the members' years need only these)."""
        check_year(year)
        first, last = year_span(year)
        return self._members(first, last)

    def period_statistics(
        self, year: int, first: dt.date, last: dt.date, today: dt.date | None = None
    ) -> YearStatistics:
        """The statistics of the days first..last of `year` (a quarter, say): the year's own
        queries over a shorter span, so a quarter is counted by the rule the year is."""
        check_year(year)
        if not (dt.date(year, 1, 1) <= first <= last <= dt.date(year, 12, 31)):
            raise ValidationError(f"统计区间须在 {year} 年之内：{first} 至 {last}")
        return self._statistics(year, [year], first, last, today or self.clock.today())

    def _statistics(
        self, year: int | None, years: list[int], first: dt.date, last: dt.date, today: dt.date
    ) -> YearStatistics:
        members = self._members(first, last)
        topics = self._topics(years, first, last)

        counts = reports.monthly_session_counts(self.db, first, last)
        per_month: dict[tuple[int, int], PeriodCount] = {}
        per_quarter: dict[tuple[int, int], PeriodCount] = {}
        for y in years:
            for quarter in range(1, 5):
                per_quarter[(y, quarter)] = PeriodCount()
            for month in range(1, 13):
                held, planned = counts.get((y, month), (0, 0))
                per_month[(y, month)] = PeriodCount(held, planned)
                key = (y, quarter_of(month))
                before = per_quarter[key]
                per_quarter[key] = PeriodCount(before.held + held, before.planned + planned)

        pending, overdue, done = reports.makeup_status_counts(self.db, first, last, today)
        by_category, done_late_count = self._leave_and_late(first, last)
        return YearStatistics(
            year=year,
            members=members,
            topics=topics,
            per_month=per_month,
            per_quarter=per_quarter,
            makeups={
                MakeupStatus.PENDING: pending,
                MakeupStatus.OVERDUE: overdue,
                MakeupStatus.DONE: done,
            },
            sessions_held=sum(c.held for c in per_month.values()),
            sessions_planned=sum(c.planned for c in per_month.values()),
            leave_counts=by_category,
            makeups_done_late=done_late_count,
        )

    def _leave_and_late(self, first: dt.date, last: dt.date) -> tuple[dict[str, int], int]:
        """Approved leave by category (as `leave list` counts it) and the make-ups done
        after their due day, of the sessions dated first..last."""
        by_kind = leave_store.approved_kinds_between(self.db, first, last)
        return leave_counts(by_kind), makeups_store.done_late_count(self.db, first, last)

    def _members(self, first: dt.date, last: dt.date) -> list[MemberAttendance]:
        """Members in the group at some time in first..last (and any counted there), in
        roster order."""
        tallies = reports.member_tallies(self.db, first, last)
        in_group = set(reports.members_in_group_between(self.db, first, last))
        result = []
        for member in members_store.all_members(self.db):
            if member.id not in in_group and member.id not in tallies:
                continue
            tally = tallies.get(member.id)  # type: ignore[arg-type]
            if tally is None:
                result.append(MemberAttendance(member))
                continue
            result.append(
                MemberAttendance(
                    member,
                    expected=tally.expected,
                    present=tally.present,
                    late=tally.late,
                    left_early=tally.left_early,
                    leave=tally.leave,
                    absent=tally.absent,
                )
            )
        return result

    def _topics(self, years: list[int], first: dt.date, last: dt.date) -> list[TopicCoverage]:
        planned: dict[tuple[int, int], list[dt.date]] = {}
        held: dict[tuple[int, int], list[dt.date]] = {}
        for link in reports.topic_sessions(self.db, first, last):
            if link.status == "held":
                held.setdefault((link.year, link.number), []).append(link.date)
            elif link.status == "planned":
                planned.setdefault((link.year, link.number), []).append(link.date)
        return [
            TopicCoverage(
                topic,
                planned.get((topic.year, topic.number), []),
                held.get((topic.year, topic.number), []),
            )
            for topic in reports.topics_of_years(self.db, years)
        ]
