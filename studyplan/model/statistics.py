"""A year's numbers: attendance per member, topic coverage, sessions per month and quarter.

出勤率 = (出席 + 迟到 + 早退) / 应到, where 应到 counts a member only at the HELD sessions
they were expected at (in the group on the day). Everything comes from a few aggregate
queries in `studyplan.store.reports`, so ten years of a large group stay quick.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studyplan.model.attendance import AttendanceStatus, MakeupStatus
from studyplan.model.plan import Topic
from studyplan.model.roster import Member

RATE_FORMULA = "出勤率 = (出席+迟到+早退) / 应到"


RATE_NOTE = RATE_FORMULA + "；应到只计成员在组期间已举行的场次。"


@dataclass(frozen=True)
class MemberAttendance:
    """One member's attendance over the held sessions of a year (or of all years)."""

    member: Member
    expected: int = 0
    present: int = 0
    late: int = 0
    left_early: int = 0
    leave: int = 0
    absent: int = 0

    @property
    def attended(self) -> int:
        """实到: the statuses that count as attended (出席 + 迟到 + 早退); the fields are
        named by status code."""
        return sum(getattr(self, s.value) for s in AttendanceStatus if s.attended)

    @property
    def unmarked(self) -> int:
        """Held sessions the member was expected at but has no mark for."""
        return self.expected - self.attended - self.leave - self.absent

    @property
    def rate(self) -> float | None:
        """出勤率 as a fraction, None when the member was expected nowhere."""
        return self.attended / self.expected if self.expected else None


@dataclass(frozen=True)
class TopicCoverage:
    """A topic with the dates of its sessions: planned (not held, not cancelled) and held."""

    topic: Topic
    planned_dates: list[dt.date]
    held_dates: list[dt.date]

    @property
    def done(self) -> bool:
        return bool(self.held_dates)


@dataclass(frozen=True)
class PeriodCount:
    """Sessions of a month or quarter: held, and still planned."""

    held: int = 0
    planned: int = 0


@dataclass(frozen=True)
class YearStatistics:
    """Everything the charts and the ledger's 统计分析 show for a year (None: all years)."""

    year: int | None
    members: list[MemberAttendance]
    topics: list[TopicCoverage]
    per_month: dict[tuple[int, int], PeriodCount]
    per_quarter: dict[tuple[int, int], PeriodCount]
    makeups: dict[MakeupStatus, int]
    sessions_held: int
    sessions_planned: int
    #: Approved leave by category (因公, 因私, 未分类), counted per session (人次).
    leave_counts: dict[str, int] = field(default_factory=dict)
    #: Make-ups completed after their due day (逾期完成), among the done ones.
    makeups_done_late: int = 0

    @property
    def expected(self) -> int:
        return sum(m.expected for m in self.members)

    @property
    def attended(self) -> int:
        return sum(m.attended for m in self.members)

    @property
    def rate(self) -> float | None:
        """The group's overall 出勤率 (all members' 实到 over all 应到)."""
        expected = self.expected
        return self.attended / expected if expected else None
