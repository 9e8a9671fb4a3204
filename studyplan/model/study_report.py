"""学习情况通报 (a quarter) and 年度学习情况报告 (a year): what they say, as plain rows.

`app/reports.py` fills a `StudyReport` from the record with the rules the ledger and the
statistics use; `StudyReport.context()` turns it into the plain names a Word template
reads (listed in `PLACEHOLDERS`), so the template never reaches the objects themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studyplan.model.attendance import UNTYPED_LEAVE, LeaveCategory
from studyplan.model.documents import title_lines
from studyplan.model.errors import ValidationError
from studyplan.model.statistics import RATE_NOTE
from studyplan.model.years import QUARTER_NAMES, check_year, quarter_end, quarter_start

QUARTER_KIND = "quarter_report"
ANNUAL_KIND = "annual_report"

#: The chart pictures of the annual report, by placeholder name, with their captions.
CHARTS: dict[str, str] = {
    "chart_attendance": "成员出勤率",
    "chart_months": "每月学习场次",
    "chart_topics": "专题覆盖",
    "chart_makeups": "补学补研",
}

#: Widths (mm) of the round charts in the page: narrower than the text, as they are round.
CHART_WIDTHS: dict[str, float] = {"chart_topics": 110.0, "chart_makeups": 110.0}


@dataclass(frozen=True)
class ReportPeriod:
    """A quarter (1–4) of a year, or the whole year when `quarter` is None."""

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        check_year(self.year)
        if self.quarter is not None and self.quarter not in (1, 2, 3, 4):
            raise ValidationError(f"季度须为 1–4：{self.quarter}")

    @property
    def kind(self) -> str:
        return ANNUAL_KIND if self.quarter is None else QUARTER_KIND

    @property
    def first(self) -> dt.date:
        return (
            dt.date(self.year, 1, 1)
            if self.quarter is None
            else quarter_start(self.year, self.quarter)
        )

    @property
    def last(self) -> dt.date:
        return (
            dt.date(self.year, 12, 31)
            if self.quarter is None
            else quarter_end(self.year, self.quarter)
        )

    @property
    def label(self) -> str:
        """E.g. 2026年一季度, 2026年度."""
        if self.quarter is None:
            return f"{self.year}年度"
        return f"{self.year}年{QUARTER_NAMES[self.quarter - 1]}"

    @property
    def next_quarter(self) -> tuple[int, int]:
        """(year, quarter) after the period: the first quarter of next year after a year."""
        if self.quarter is None or self.quarter == 4:
            return self.year + 1, 1
        return self.year, self.quarter + 1

    @property
    def next_label(self) -> str:
        year, quarter = self.next_quarter
        return f"{year}年{QUARTER_NAMES[quarter - 1]}"


@dataclass(frozen=True)
class SessionRow:
    """A session of the period (held or still planned)."""

    date: dt.date
    time: str
    topics: str
    form: str
    location: str
    host: str
    status: str
    attended: int = 0
    expected: int = 0


@dataclass(frozen=True)
class MemberRow:
    """A member's numbers over the held sessions of the period (the ledger's rule)."""

    name: str
    position: str
    expected: int
    present: int
    late: int
    left_early: int
    leave: int
    absent: int
    rate: float | None
    speeches: int = 0
    reflections: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late + self.left_early


@dataclass(frozen=True)
class TopicRow:
    number: int
    title: str
    dates: str  # the days it was studied, or where it stands


@dataclass(frozen=True)
class LeaveRow:
    name: str
    date: dt.date
    reason: str
    decision: str
    kind: str = ""  # 因公·出差, 因私·病假, …; '' for a request older than leave types


@dataclass(frozen=True)
class MissedRow:
    """A 请假 or 缺席 and the make-up it calls for, with where that stands."""

    name: str
    date: dt.date
    kind: str  # 请假 / 缺席
    makeup: str  # 已完成 / 待完成 / 已逾期 / 未安排
    due: dt.date | None = None
    completed: dt.date | None = None
    leave_kind: str = ""  # the leave's type for a 请假 (因公·出差), '' otherwise
    done_late: bool = False  # completed after its due day: 逾期完成

    @property
    def state(self) -> str:
        """The make-up's state as the lists show it: 逾期完成 apart from 已完成."""
        return "逾期完成" if self.done_late else self.makeup


@dataclass(frozen=True)
class ContributionRow:
    """A member's (or guest's) speeches and reflections in the period."""

    name: str
    speeches: list[str] = field(default_factory=list)  # "MM-DD 题目"
    reflections: list[dt.date] = field(default_factory=list)  # the sessions' days


@dataclass(frozen=True)
class FindingRow:
    check: str
    message: str


@dataclass
class StudyReport:
    """Everything a quarterly or annual report says, gathered in one read of the record."""

    period: ReportPeriod
    today: dt.date
    unit: str
    group: str
    secretary: str
    phone: str
    sessions_held: int
    sessions_planned: int  # still planned in the period (not held, not cancelled)
    sessions_cancelled: int
    expected: int
    attended: int
    rate: float | None
    held: list[SessionRow]
    members: list[MemberRow]
    topics_covered: list[TopicRow]
    topics_open: list[TopicRow]
    leave: list[LeaveRow]
    missed: list[MissedRow]
    makeups: dict[str, int]  # status label -> count (the statistics' rule)
    contributions: list[ContributionRow]
    compliance_summary: str
    findings: list[FindingRow]
    next_sessions: list[SessionRow]
    charts: dict[str, str] = field(default_factory=dict)  # placeholder -> caption
    #: Approved leave by category (因公, 因私, 未分类), per session (人次): the ledger's.
    leave_counts: dict[str, int] = field(default_factory=dict)
    #: Of the done make-ups, those completed after their due day (逾期完成).
    makeups_done_late: int = 0

    @property
    def kind(self) -> str:
        return self.period.kind

    @property
    def title(self) -> str:
        what = "学习情况通报" if self.period.quarter is not None else "学习情况报告"
        return f"{self.unit}{self.group}{self.period.label}{what}"

    def context(self, *, has_charts: bool = False) -> dict[str, object]:
        """The names the template reads; each is listed in `PLACEHOLDERS` (the annual
        report's in `ANNUAL_PLACEHOLDERS`). The charts are pictures the caller puts under
        their names when it has them (`has_charts`); until then each name is empty."""
        charts: dict[str, object] = dict.fromkeys(self.charts, "")
        return charts | {
            "has_charts": has_charts and bool(self.charts),
            "title": self.title,
            "title_lines": title_lines(self.title),
            "unit": self.unit,
            "group": self.group,
            "secretary": self.secretary,
            "phone": self.phone,
            "year": self.period.year,
            "quarter": self.period.quarter or "",
            "period": self.period.label,
            "period_first": _day(self.period.first),
            "period_last": _day(self.period.last),
            "today": _day(self.today),
            "date": f"{self.today.year}年{self.today.month}月{self.today.day}日",
            "sessions_held": self.sessions_held,
            "sessions_planned": self.sessions_planned,
            "sessions_cancelled": self.sessions_cancelled,
            "expected": self.expected,
            "attended": self.attended,
            "rate": _rate(self.rate),
            "rate_note": RATE_NOTE,
            "held": [
                {
                    "number": number,
                    "date": _short(row.date),
                    "time": row.time,
                    "topics": row.topics,
                    "form": row.form,
                    "location": row.location,
                    "host": row.host,
                    "attendance": f"{row.attended}/{row.expected}",
                }
                for number, row in enumerate(self.held, start=1)
            ],
            "members": [
                {
                    "number": number,
                    "name": row.name,
                    "position": row.position,
                    "expected": row.expected,
                    "attended": row.attended,
                    "present": row.present,
                    "late": row.late,
                    "left_early": row.left_early,
                    "leave": row.leave,
                    "absent": row.absent,
                    "rate": _rate(row.rate),
                    "speeches": row.speeches,
                    "reflections": row.reflections,
                }
                for number, row in enumerate(self.members, start=1)
            ],
            "topics_covered": [_topic(row) for row in self.topics_covered],
            "topics_open": [_topic(row) for row in self.topics_open],
            "leave": [
                {
                    "number": number,
                    "name": row.name,
                    "date": _short(row.date),
                    "reason": row.reason,
                    "decision": row.decision,
                    "kind": row.kind,
                }
                for number, row in enumerate(self.leave, start=1)
            ],
            "missed": [
                {
                    "number": number,
                    "name": row.name,
                    "date": _short(row.date),
                    "kind": f"{row.kind}（{row.leave_kind}）" if row.leave_kind else row.kind,
                    "makeup": row.state,
                    "due": _short(row.due),
                    "completed": _short(row.completed),
                }
                for number, row in enumerate(self.missed, start=1)
            ],
            "leave_official": self.leave_counts.get(LeaveCategory.OFFICIAL.value, 0),
            "leave_private": self.leave_counts.get(LeaveCategory.PERSONAL.value, 0),
            "leave_untyped": self.leave_counts.get(UNTYPED_LEAVE, 0),
            "leave_counts_text": leave_counts_text(self.leave_counts),
            "makeups_done": self.makeups.get("已完成", 0),
            "makeups_on_time": self.makeups.get("已完成", 0) - self.makeups_done_late,
            "makeups_done_late": self.makeups_done_late,
            "makeups_pending": self.makeups.get("待完成", 0),
            "makeups_overdue": self.makeups.get("已逾期", 0),
            "contributions": [
                {
                    "name": row.name,
                    "speeches": "；".join(row.speeches) or "—",
                    "speech_count": len(row.speeches),
                    "reflections": "、".join(f"{d:%m-%d}" for d in row.reflections) or "—",
                    "reflection_count": len(row.reflections),
                }
                for row in self.contributions
            ],
            "compliance_summary": self.compliance_summary,
            "findings": [
                {"number": number, "check": row.check, "message": row.message}
                for number, row in enumerate(self.findings, start=1)
            ],
            "next_period": self.period.next_label,
            "next_sessions": [
                {
                    "number": number,
                    "date": _short(row.date),
                    "time": row.time,
                    "topics": row.topics,
                    "form": row.form,
                    "location": row.location,
                }
                for number, row in enumerate(self.next_sessions, start=1)
            ],
        }


#: Every name the report templates may use, with what it holds (for the README beside the
#: templates). Lists are of rows whose fields follow the colon.
PLACEHOLDERS: dict[str, str] = {
    "title": "标题，如“××局党组理论学习中心组2026年一季度学习情况通报”",
    "unit": "单位名称",
    "group": "中心组名称",
    "secretary": "学习秘书",
    "phone": "联系电话",
    "year": "年度",
    "quarter": "季度（1–4；年度报告为空）",
    "period": "期间，如“2026年一季度”“2026年度”",
    "period_first": "期间第一天（yyyy-mm-dd）",
    "period_last": "期间最后一天（yyyy-mm-dd）",
    "today": "统计截至日（yyyy-mm-dd）",
    "date": "落款日期，如“2026年4月3日”",
    "sessions_held": "已举行场次",
    "sessions_planned": "尚未举行的计划场次",
    "sessions_cancelled": "已取消场次",
    "expected": "应到人次",
    "attended": "实到人次",
    "rate": "总出勤率，如“92.5%”",
    "rate_note": "出勤率的计算说明",
    "held": (
        "已举行的场次（表中日期如“4月10日”）：number, date, time, topics, form, location, "
        "host, attendance"
    ),
    "members": (
        "成员出勤表：number, name, position, expected, attended, present, late, "
        "left_early, leave, absent, rate, speeches, reflections"
    ),
    "topics_covered": "本期学习的专题：number, title, dates",
    "topics_open": "截至期末尚未学习的专题：number, title, dates",
    "leave": "请假：number, name, date, reason, decision, kind（类别，如“因公·出差”）",
    "missed": (
        "请假与缺席及补学：number, name, date, kind（如“请假（因公·出差）”）, makeup（已完成、"
        "逾期完成、待完成、已逾期、未安排）, due, completed"
    ),
    "title_lines": "标题按自然断句分成的行",
    "leave_official": "已批准的因公请假人次（与学习台账相同）",
    "leave_private": "已批准的因私请假人次",
    "leave_untyped": "已批准而未分类别的请假人次（请假类别启用前的申请）",
    "leave_counts_text": "请假人次按类别，如“因公 3 人次，因私 2 人次”",
    "makeups_done": "补学已完成项数（含逾期完成）",
    "makeups_on_time": "补学按期完成项数",
    "makeups_done_late": "补学逾期完成项数（完成日期晚于完成时限）",
    "makeups_pending": "补学待完成项数",
    "makeups_overdue": "补学已逾期项数",
    "contributions": (
        "研讨发言与心得体会：name, speeches, speech_count, reflections, reflection_count"
    ),
    "compliance_summary": "合规检查结论",
    "findings": "合规检查发现的问题：number, check, message",
    "next_period": "下一季度，如“2026年二季度”",
    "next_sessions": "下一季度安排的场次（未取消的）：number, date, time, topics, form, location",
    "has_charts": "是否附有统计图（年度报告；季度通报为假）",
}

#: The annual report's pictures (InlineImage placeholders).
ANNUAL_PLACEHOLDERS: dict[str, str] = {
    **PLACEHOLDERS,
    **{name: f"统计图：{caption}" for name, caption in CHARTS.items()},
}


def leave_counts_text(counts: dict[str, int]) -> str:
    """E.g. 因公 3 人次，因私 2 人次 (未分类 only when there are some), as the ledger says it."""
    return (
        "，".join(
            f"{label} {number} 人次"
            for label, number in counts.items()
            if number or label in (LeaveCategory.OFFICIAL.value, LeaveCategory.PERSONAL.value)
        )
        or "无"
    )


def _day(value: dt.date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _short(value: dt.date | None) -> str:
    """A day in a table row, e.g. 4月10日 (the period names the year): narrow columns."""
    return f"{value.month}月{value.day}日" if value else ""


def _rate(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "—"


def _topic(row: TopicRow) -> dict[str, object]:
    return {"number": row.number, "title": row.title, "dates": row.dates}
