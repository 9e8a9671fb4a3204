"""Attendance, leave and make-up study: the secretary's record of who came to each session.

The rules in one place: only members expected at a session get a mark; 请假 and 缺席 owe a
make-up study (补学) due some days after the session; a leave request may be filed after the
session began (事后补假, flagged) but only withdrawn before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from studyplan.model.plan import Session
from studyplan.model.roster import Member

#: How a missed session may be made up; the secretary may type another.
MAKEUP_METHODS: tuple[str, ...] = ("自学原文", "观看录像", "参加其他场次", "补交心得")


class AttendanceStatus(StrEnum):
    """A member's attendance at one session; the value is the code stored."""

    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    LEAVE = "leave"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self.value]

    @property
    def shortcut_keys(self) -> tuple[str, ...]:
        """Keys that set this status in the attendance grid: a digit and a pinyin initial
        (出席 C, 迟到 D, 早退 Z, 请假 Q, 缺席 K as in 旷会)."""
        return _STATUS_KEYS[self.value]

    @property
    def attended(self) -> bool:
        """Counts towards 实到."""
        return self in (
            AttendanceStatus.PRESENT,
            AttendanceStatus.LATE,
            AttendanceStatus.LEFT_EARLY,
        )

    @property
    def needs_makeup(self) -> bool:
        """The member missed the session and owes a make-up study."""
        return self in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)

    @property
    def takes_time(self) -> bool:
        """迟到 records the arrival time, 早退 the departure time."""
        return self in (AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)

    @classmethod
    def from_key(cls, key: str) -> AttendanceStatus | None:
        """The status a key press stands for (case-insensitive), or None."""
        key = key.strip().upper()
        for status in cls:
            if key in status.shortcut_keys:
                return status
        return None

    @classmethod
    def from_label(cls, text: str) -> AttendanceStatus:
        text = text.strip()
        for status in cls:
            if text in (status.value, status.label):
                return status
        raise ValueError(f"未知的考勤状态：{text}")


_STATUS_LABELS = {
    "present": "出席",
    "late": "迟到",
    "left_early": "早退",
    "leave": "请假",
    "absent": "缺席",
}


_STATUS_KEYS = {
    "present": ("1", "C"),
    "late": ("2", "D"),
    "left_early": ("3", "Z"),
    "leave": ("4", "Q"),
    "absent": ("5", "K"),
}


@dataclass(frozen=True)
class AttendanceMark:
    """One member's attendance at one session; `time` is the arrival (迟到) or departure
    (早退) time, None otherwise."""

    session_id: int
    member_id: int
    status: AttendanceStatus
    time: dt.time | None = None
    note: str = ""


class LeaveDecision(StrEnum):
    """Where a leave request stands; the value is stored, `label` shown."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"pending": "待审批", "approved": "已批准", "rejected": "未批准"}[self.value]


@dataclass(frozen=True)
class LeaveRequest:
    """A request to be excused from a session. `late` (filed once the session had begun) is
    shown as 事后补假; the service fills it in."""

    member_id: int
    session_id: int
    reason: str
    filed_at: dt.datetime
    approver: str = ""
    decision: LeaveDecision = LeaveDecision.PENDING
    decided_at: dt.datetime | None = None
    id: int | None = None
    late: bool = False

    @property
    def late_label(self) -> str:
        return "事后补假" if self.late else ""


def is_overdue(due: dt.date, today: dt.date) -> bool:
    """An open task is overdue once its due day has passed: due today is still on time.
    The SQL twin is `store.makeups.PAST_DUE`."""
    return due < today


class MakeupStatus(StrEnum):
    """A make-up task's state, worked out from its dates (never stored)."""

    PENDING = "pending"
    OVERDUE = "overdue"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"pending": "待完成", "overdue": "已逾期", "done": "已完成"}[self.value]


@dataclass(frozen=True)
class Makeup:
    """A make-up study owed for a missed session; `due` is the last day to complete it."""

    member_id: int
    session_id: int
    due: dt.date
    completed: dt.date | None = None
    method: str = ""
    evidence: str = ""
    id: int | None = None

    def status(self, today: dt.date) -> MakeupStatus:
        """Where the task stands on `today` (the caller's day: the model reads no clock)."""
        if self.completed is not None:
            return MakeupStatus.DONE
        if is_overdue(self.due, today):
            return MakeupStatus.OVERDUE
        return MakeupStatus.PENDING


@dataclass(frozen=True)
class AttendanceCounts:
    """A session's numbers as the minutes report them (应到、实到、请假、缺席、迟到、早退)."""

    expected: int = 0
    attended: int = 0  # 实到: 出席 + 迟到 + 早退
    leave: int = 0
    absent: int = 0
    late: int = 0
    left_early: int = 0

    @classmethod
    def of(cls, expected: int, by_status: Mapping[str, int]) -> AttendanceCounts:
        """The numbers from the marks of expected members counted by status code: the one
        place that says 实到 is every status that `attended`, for the minutes, the grid and
        the ledger alike."""
        return cls(
            expected=expected,
            attended=sum(by_status.get(s.value, 0) for s in AttendanceStatus if s.attended),
            leave=by_status.get(AttendanceStatus.LEAVE.value, 0),
            absent=by_status.get(AttendanceStatus.ABSENT.value, 0),
            late=by_status.get(AttendanceStatus.LATE.value, 0),
            left_early=by_status.get(AttendanceStatus.LEFT_EARLY.value, 0),
        )

    @property
    def present(self) -> int:
        """出席 on time and to the end."""
        return self.attended - self.late - self.left_early

    @property
    def unmarked(self) -> int:
        """Expected members with no mark yet."""
        return self.expected - self.attended - self.leave - self.absent

    @property
    def summary(self) -> str:
        text = f"应到 {self.expected} 人，实到 {self.attended} 人"
        extras = [
            f"{label} {number} 人"
            for label, number in (
                ("请假", self.leave),
                ("缺席", self.absent),
                ("迟到", self.late),
                ("早退", self.left_early),
                ("未登记", self.unmarked),
            )
            if number
        ]
        return "，".join([text, *extras]) + "。"


@dataclass(frozen=True)
class LeaveEntry:
    """A leave request with the member and session it concerns, for lists."""

    request: LeaveRequest
    member: Member
    session: Session


@dataclass(frozen=True)
class MakeupEntry:
    """A make-up task with its member, session and status as of the day asked about."""

    makeup: Makeup
    member: Member
    session: Session
    status: MakeupStatus


def session_start(session: Session) -> dt.datetime:
    return dt.datetime.combine(session.date, session.start)
