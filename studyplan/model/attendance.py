"""Attendance, leave and make-up study: the secretary's record of who came to each session.

The rules in one place: only members expected at a session get a mark; 请假 and 缺席 owe a
make-up study (补学) due some days after the session; a leave request may be filed after the
session began (事后补假, flagged) but only withdrawn before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from studyplan.model.errors import ValidationError
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


class LeaveCategory(StrEnum):
    """因公 (official duty) or 因私 (private): reports count them apart."""

    OFFICIAL = "因公"
    PERSONAL = "因私"


#: The kinds of leave offered when filing, by category; the category's own name is a kind
#: too (因公 or 因私 with nothing more said).
LEAVE_KINDS: dict[LeaveCategory, tuple[str, ...]] = {
    LeaveCategory.OFFICIAL: ("公务", "出差", "参加上级会议", "学习培训"),
    LeaveCategory.PERSONAL: ("病假", "事假", "年休假", "探亲假", "婚丧假"),
}


#: How a request filed before leave types existed is counted.
UNTYPED_LEAVE = "未分类"


def leave_category(kind: str) -> LeaveCategory | None:
    """The category of a leave kind; None for a request filed before kinds existed."""
    for category, kinds in LEAVE_KINDS.items():
        if kind == category.value or kind in kinds:
            return category
    return None


def leave_kind(text: str) -> str:
    """The kind `text` names (a kind such as 出差, or 因公/因私 alone), as stored; a
    ValidationError naming the choices otherwise."""
    text = " ".join(text.split())
    if leave_category(text) is None:
        listed = "、".join(k for kinds in LEAVE_KINDS.values() for k in kinds)
        raise ValidationError(f"没有“{text}”这种请假类别，可选：因公、因私、{listed}。")
    return text


def leave_counts(by_kind: Mapping[str, int]) -> dict[str, int]:
    """Approved leave by category (因公, 因私; 未分类 for requests older than leave types,
    only when there are some) from the counts by kind: the one way every report adds up."""
    counts = {category.value: 0 for category in LeaveCategory}
    for kind, number in by_kind.items():
        category = leave_category(kind)
        label = category.value if category else UNTYPED_LEAVE
        counts[label] = counts.get(label, 0) + number
    return counts


def guess_leave_kind(reason: str) -> str:
    """The kind a reason names (出差 in 赴京出差, 病假 in 病假), '' when it names none: the
    form offers it, the secretary may choose another."""
    for kinds in LEAVE_KINDS.values():
        for kind in sorted(kinds, key=len, reverse=True):
            if kind in reason or (len(kind) > 2 and kind[:-1] in reason):
                return kind
    return ""


def leave_kind_label(kind: str) -> str:
    """How a kind is shown: 因公·出差, 因私·病假, 因公 alone; '' for none given."""
    category = leave_category(kind)
    if category is None:
        return ""
    return category.value if kind == category.value else f"{category.value}·{kind}"


@dataclass(frozen=True)
class LeaveRequest:
    """A request to be excused from a session. `late` (filed once the session had begun) is
    shown as 事后补假; the service fills it in.

    A leave for a date range (a trip's whole span) is one request per session in the
    range, sharing `span` (the id of the span's first request), `first_day`..`last_day`,
    the kind, reason and decision; sessions added to the range later get theirs too. A
    request of its own has `span` None and no range (its session's day)."""

    member_id: int
    session_id: int
    reason: str
    filed_at: dt.datetime
    approver: str = ""
    decision: LeaveDecision = LeaveDecision.PENDING
    decided_at: dt.datetime | None = None
    id: int | None = None
    late: bool = False
    kind: str = ""
    span: int | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    #: Why it was refused (不批准的理由).
    refusal: str = ""
    #: The applicant's name as shown (`roster.display_name`), where a decision filled it
    #: in for its messages; not part of the request itself.
    applicant: str = field(default="", compare=False)

    @property
    def late_label(self) -> str:
        return "事后补假" if self.late else ""

    @property
    def category(self) -> LeaveCategory | None:
        return leave_category(self.kind)

    @property
    def kind_label(self) -> str:
        return leave_kind_label(self.kind)

    @property
    def span_id(self) -> int | None:
        """The id that stands for the whole span (the request's own for a single one)."""
        return self.span if self.span is not None else self.id

    @property
    def decision_label(self) -> str:
        """审批结果 as lists show it: a refusal with its reason."""
        if self.decision is LeaveDecision.REJECTED and self.refusal:
            return f"{self.decision.label}（{self.refusal}）"
        return self.decision.label


@dataclass(frozen=True)
class LeaveCase:
    """A leave as its approver decides it, read at once: the request asked about, every
    request of its range (itself alone for one of its own) with their sessions, the
    applicant with the name they are shown by, and the make-up deadline in force."""

    request: LeaveRequest
    requests: tuple[LeaveRequest, ...]
    sessions: Mapping[int, Session]
    applicant: Member
    applicant_name: str
    makeup_due_days: int


def makeup_due(session_day: dt.date, due_days: int, decided_on: dt.date | None = None) -> dt.date:
    """When the make-up study a 请假 or 缺席 owes is due: `due_days` after the session, or
    after `decided_on` when a leave was approved later than that — a task must not be
    overdue the moment it exists, nor stay overdue when the approval comes after the 缺席
    that made it."""
    start = max(session_day, decided_on) if decided_on else session_day
    return start + dt.timedelta(days=due_days)


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


def done_late(makeup: Makeup) -> bool:
    """A make-up completed after its due day: 逾期完成, counted apart from on-time ones."""
    return makeup.completed is not None and is_overdue(makeup.due, makeup.completed)


def makeup_status_label(makeup: Makeup, today: dt.date) -> str:
    """The status as lists show it: 已完成, or 逾期完成 when it was done after its due day."""
    if done_late(makeup):
        return "逾期完成"
    return makeup.status(today).label


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
class SessionGuest:
    """A person attending a session as 列席 (列席人员): not a member of the group, so never
    among the expected (应到) nor the attended (实到), and in no one's rate."""

    session_id: int
    name: str
    unit: str = ""  # 单位或职务
    rank: int = 0
    id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


@dataclass(frozen=True)
class LeaveEntry:
    """A leave request with the member and session it concerns, for lists. A leave for a
    date range is one entry: `request` and `session` are its first, `requests` and
    `sessions` all of them in session order (one each for a single request)."""

    request: LeaveRequest
    member: Member
    session: Session
    requests: tuple[LeaveRequest, ...] = ()
    sessions: tuple[Session, ...] = ()

    @property
    def first_day(self) -> dt.date:
        return self.request.first_day or self.session.date

    @property
    def last_day(self) -> dt.date:
        return self.request.last_day or self.session.date

    @property
    def is_span(self) -> bool:
        return self.request.span is not None

    @property
    def span_label(self) -> str:
        """日期 as a list shows it: one day, or the range and how many sessions it covers."""
        if not self.is_span or self.first_day == self.last_day:
            return f"{self.session.date:%Y-%m-%d}"
        count = len(self.sessions) or 1
        return f"{self.first_day:%Y-%m-%d} 至 {self.last_day:%Y-%m-%d}（{count} 场）"


@dataclass(frozen=True)
class MakeupEntry:
    """A make-up task with its member, session and status as of the day asked about."""

    makeup: Makeup
    member: Member
    session: Session
    status: MakeupStatus


def session_start(session: Session) -> dt.datetime:
    return dt.datetime.combine(session.date, session.start)
