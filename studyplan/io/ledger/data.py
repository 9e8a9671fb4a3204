"""What the ledger shows: the record gathered by app/ledger.py, and how its values read in
a cell (dates as yyyy-mm-dd text, excerpts, topic labels, titles)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from studyplan.model.attendance import (
    AttendanceCounts,
    AttendanceStatus,
    LeaveEntry,
    MakeupEntry,
)
from studyplan.model.compliance import ComplianceReport
from studyplan.model.duties import ListsData
from studyplan.model.plan import Session, SessionStatus, Topic
from studyplan.model.reports import Speech
from studyplan.model.roster import Member
from studyplan.model.statistics import YearStatistics

SHEET_NAMES: tuple[str, ...] = (
    "学习计划",
    "学习台账",
    "考勤表",
    "请假登记",
    "补学登记",
    "统计分析",
)
EMPTY_NOTE = "（本年度暂无记录）"
EMPTY_NOTE_ALL = "（暂无记录）"
GROUP = "理论学习中心组"
MINUTES_EXCERPT = 120


def day(value: dt.date | None) -> str:
    if not value:
        return ""
    if type(value) is dt.date:  # its ISO form is the same text, four times quicker
        return value.isoformat()
    return value.strftime("%Y-%m-%d")


def moment(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def excerpt(text: str, limit: int = MINUTES_EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def topic_label(numbers: Sequence[int]) -> str:
    """E.g. 专题1、2 — the short label of a session's topics."""
    return "专题" + "、".join(str(n) for n in numbers) if numbers else "未指定专题"


@dataclass
class LedgerData:
    """Everything the workbook shows, read with a handful of queries."""

    year: int | None
    today: dt.date
    years: list[int]
    org: str
    sessions: list[Session]
    topics: dict[tuple[int, int], Topic]
    stats: YearStatistics
    marks: dict[tuple[int, int], AttendanceStatus]
    counts: dict[int, AttendanceCounts]
    minutes: dict[int, str]
    speeches: dict[int, list[Speech]]
    leave: list[LeaveEntry]
    makeups: list[MakeupEntry]
    compliance: list[ComplianceReport] = field(default_factory=list)
    #: 三张清单 and the members' duties, one per year (the sheets after the six).
    lists: list[ListsData] = field(default_factory=list)
    #: Member id -> the name shown (`model.roster.display_name`: namesakes told apart).
    names: dict[int, str] = field(default_factory=dict)
    #: Approved leave by category (因公, 因私, 未分类), counted per session (人次).
    leave_counts: dict[str, int] = field(default_factory=dict)

    def name(self, member: Member) -> str:
        """The member's name in a name column: told apart from a namesake."""
        return self.names.get(member.id or 0, member.name)

    @property
    def leave_count_text(self) -> str:
        """E.g. 因公 3 人次，因私 2 人次 (a category with none is left out but for these two)."""
        return "，".join(
            f"{label} {number} 人次"
            for label, number in self.leave_counts.items()
            if number or label in ("因公", "因私")
        )

    @property
    def held(self) -> list[Session]:
        return [s for s in self.sessions if s.status is SessionStatus.HELD]

    def title(self, what: str) -> str:
        if self.year is not None:
            return f"{self.org}{self.year}年{GROUP}{what}"
        span = ""
        if self.years:
            first, last = self.years[0], self.years[-1]
            span = f"（{first}年）" if first == last else f"（{first}—{last}年）"
        return f"{self.org}{GROUP}{what}{span}"

    def topic_text(self, session: Session) -> str:
        """The session's topics with their titles, one a line."""
        lines = []
        for number in session.topic_numbers:
            topic = self.topics.get((session.year, number))
            lines.append(f"专题{number} {topic.title}" if topic else f"专题{number}")
        return "\n".join(lines)

    @property
    def empty_note(self) -> str:
        return EMPTY_NOTE if self.year is not None else EMPTY_NOTE_ALL


def subtitle(data: LedgerData, *parts: str) -> str:
    return "　　".join([*parts, f"截至 {day(data.today)}"])
