"""The things of the secretary's world, as plain dataclasses shared by every layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from studyplan.model.years import QUARTER_NAMES, quarter_of


class SessionStatus(StrEnum):
    """Where a session stands; the value is the code stored, `label` the word shown."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"planned": "计划", "held": "已举行", "cancelled": "已取消"}[self.value]

    @classmethod
    def from_label(cls, text: str) -> SessionStatus:
        for status in cls:
            if text in (status.value, status.label):
                return status
        raise ValueError(f"未知的状态：{text}")


#: The forms of study the plan names (section 三(四)); the secretary may type another.
SESSION_FORMS: tuple[str, ...] = (
    "集中学习",
    "专题研讨",
    "辅导讲座",
    "实地调研",
    "交流互学",
    "视频会议",
)


class TopicState(StrEnum):
    """A topic's progress through the year, as the topic panel shows it."""

    UNSCHEDULED = "未安排"
    SCHEDULED = "已安排"
    STUDIED = "已学习"


@dataclass(frozen=True)
class Topic:
    """One 专题 of a year's plan."""

    year: int
    number: int
    title: str
    description: str = ""
    readings: tuple[str, ...] = ()
    id: int | None = None
    #: The form of study the plan foresees (集中学习, 专题研讨 …); "" when it names none.
    form: str = ""
    #: When the plan foresees it: a month (1–12), or else a quarter (1–4); None for neither.
    month: int | None = None
    quarter: int | None = None

    @property
    def short_label(self) -> str:
        """A few characters that still tell topics apart on a crowded calendar day."""
        return f"专题{self.number}"

    @property
    def planned_label(self) -> str:
        """When the plan puts it: `3月`, `二季度`, or "" when it says nothing."""
        if self.month:
            return f"{self.month}月"
        if self.quarter:
            return QUARTER_NAMES[self.quarter - 1]
        return ""


@dataclass(frozen=True)
class Plan:
    """A year's study plan: its title and its topics in order."""

    year: int
    title: str
    topics: tuple[Topic, ...]
    source: str = ""


@dataclass
class Session:
    """One concentrated study session (集中学习研讨) on a day."""

    date: dt.date
    start: dt.time
    end: dt.time
    location: str = ""
    form: str = "集中学习"
    topic_numbers: tuple[int, ...] = ()
    host: str = ""
    lecturer: str = ""
    status: SessionStatus = SessionStatus.PLANNED
    notes: str = ""
    id: int | None = None

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def quarter(self) -> int:
        return quarter_of(self.date.month)

    @property
    def time_range(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def document_refusal(self, kind: str) -> str | None:
        """Why this session's document of `kind` (notice, record, brief) cannot be made, in
        one sentence, or None: a brief reports what a session did and takes a 期号, so it
        waits until the session is held (a record before it is the 学习记录本 page with lines
        to fill in by hand during the meeting); a cancelled session has no documents."""
        if self.status is SessionStatus.CANCELLED:
            return f"{self.date:%Y-%m-%d} 的学习已取消，不生成文书。"
        after = REPORTING_DOCUMENTS.get(kind)
        if after and self.status is not SessionStatus.HELD:
            return f"{self.date:%Y-%m-%d} 的学习尚未举行，举行后才能生成{after}。"
        return None


#: The documents that report what a session did, made once it is held.
REPORTING_DOCUMENTS: dict[str, str] = {"brief": "学习简报"}


@dataclass(frozen=True)
class CalendarOverride:
    """A day the secretary set from the State Council's notice; it wins over the library."""

    date: dt.date
    is_workday: bool
    name: str = ""


@dataclass(frozen=True)
class DayInfo:
    """What the working-day calendar knows about one date."""

    date: dt.date
    is_workday: bool
    holiday_name: str = ""  # e.g. 国庆节, or 休息日（由 … 调休）
    is_adjusted_workday: bool = False  # a 调休 Saturday or Sunday that is worked
    provisional: bool = False  # the year's official arrangement is not in the data
    overridden: bool = False  # set by a local override


#: Where sessions are held until the secretary names another place.
DEFAULT_LOCATION = "局机关三楼会议室"


@dataclass(frozen=True)
class ScheduleRequest:
    """What the secretary asks the scheduler for."""

    year: int
    rule: str = "FREQ=MONTHLY;BYDAY=+2TH"  # an RFC 5545 RRULE body, as dateutil reads it
    start_time: dt.time = dt.time(15, 0)
    duration_minutes: int = 120
    location: str = DEFAULT_LOCATION
    form: str = "集中学习"
    start_date: dt.date | None = None  # a plan made mid-year starts later
    replace_planned: bool = False


@dataclass
class ScheduleProposal:
    """The scheduler's answer: sessions to add, and planned ones it would remove."""

    new_sessions: list[Session] = field(default_factory=list)
    removed_sessions: list[Session] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
