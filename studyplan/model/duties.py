"""三张清单 and each member's yearly duties: the records and their rules, once.

学习责任清单 (who hosts, leads, speaks on a topic or session and which office answers for
it), 学习任务清单 (each topic's readings, form, planned month and the sessions that covered
it), 成果转化清单 (what the study turned into), and a member's year against the duties the
group sets (交流发言, 心得体会, 调研报告或理论文章, 个人自学计划).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from studyplan.model.attendance import LeaveRequest, Makeup
from studyplan.model.compliance import CheckResult, ComplianceReport, Problem, topic_label
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session, SessionStatus, Topic
from studyplan.model.roster import Member
from studyplan.model.settings import Count
from studyplan.model.statistics import MemberAttendance

#: The forms a topic may be studied in; the secretary may add others (a setting).
DEFAULT_STUDY_FORMS: tuple[str, ...] = ("集中学习", "专题辅导", "研讨交流", "参观见学", "视频学习")
#: The kinds of result; the secretary may add others (a setting).
DEFAULT_RESULT_TYPES: tuple[str, ...] = (
    "政策举措",
    "工作部署",
    "制度机制",
    "调研报告",
    "理论文章",
)
#: The setting keys of the two lists the secretary extends (JSON lists of text).
STUDY_FORMS_KEY = "study_forms"
RESULT_TYPES_KEY = "result_types"

#: The kinds of paper a member writes (a 调研报告 or a 理论文章 both meet the duty).
PAPER_KINDS: tuple[str, ...] = ("调研报告", "理论文章")

MAX_LIST_TEXT = 200
MAX_CHOICES = 50


class Progress(StrEnum):
    """Where a result stands (进展)."""

    NOT_STARTED = "not_started"
    UNDER_WAY = "under_way"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"not_started": "未开始", "under_way": "推进中", "done": "已完成"}[self.value]

    @classmethod
    def from_label(cls, text: str) -> Progress:
        for progress in cls:
            if text in (progress.value, progress.label):
                return progress
        raise ValidationError(f"进展应为 未开始、推进中 或 已完成，而不是“{text}”。")


# -- yearly duties (settings) --------------------------------------------------------------
@dataclass(frozen=True)
class Duty:
    """One yearly duty of a member: its name, the setting holding the number required."""

    code: str
    name: str
    setting: Count


DUTY_SPEECHES = Count("duty_speeches", 1, 0, 50, "每年交流发言次数应在 0 到 50 之间。")
DUTY_REFLECTIONS = Count("duty_reflections", 2, 0, 50, "每年心得体会篇数应在 0 到 50 之间。")
DUTY_PAPERS = Count("duty_papers", 1, 0, 20, "每年调研报告或理论文章篇数应在 0 到 20 之间。")
DUTY_SELF_PLAN = Count("duty_self_plan", 1, 0, 1, "个人自学计划应为 0（不要求）或 1 份。")

DUTIES: tuple[Duty, ...] = (
    Duty("speeches", "交流发言", DUTY_SPEECHES),
    Duty("reflections", "心得体会", DUTY_REFLECTIONS),
    Duty("papers", "调研报告或理论文章", DUTY_PAPERS),
    Duty("self_plan", "个人自学计划", DUTY_SELF_PLAN),
)

#: The settings of 设置 this module adds, with their titles and units (for 操作记录).
AUDITED_SETTINGS: dict[str, tuple[str, str]] = {
    DUTY_SPEECHES.key: ("每年交流发言", "次"),
    DUTY_REFLECTIONS.key: ("每年心得体会", "篇"),
    DUTY_PAPERS.key: ("每年调研报告或理论文章", "篇"),
    DUTY_SELF_PLAN.key: ("个人自学计划", "份"),
    STUDY_FORMS_KEY: ("学习形式", ""),
    RESULT_TYPES_KEY: ("成果类型", ""),
}


def clean_choices(values: list[str] | tuple[str, ...], defaults: tuple[str, ...]) -> list[str]:
    """An extendable list as kept: the defaults first, then the added ones, trimmed, each
    once; ValidationError for one too long or too many."""
    from studyplan.model.roster import normalize_text

    result = list(defaults)
    for value in values:
        text = normalize_text(value)
        if len(text) > 20:
            raise ValidationError(f"“{text[:20]}…”过长（不超过 20 个字）。")
        if text and text not in result:
            result.append(text)
    if len(result) > MAX_CHOICES:
        raise ValidationError(f"可选项不能超过 {MAX_CHOICES} 个。")
    return result


def check_text(
    value: str,
    what: str,
    *,
    required: bool = False,
    limit: int = MAX_LIST_TEXT,
    printed: bool = True,
) -> str:
    """One line of text as kept; ValidationError when required and empty, too long, or (when
    `printed`: the lists print it) holding a character the record cannot print. A file's
    location is not `printed`: the user cannot take a character out of a file's name."""
    from studyplan.model.roster import normalize_text
    from studyplan.model.text import refuse_unprintable

    text = normalize_text(value)
    if required and not text:
        raise ValidationError(f"请填写{what}。")
    if len(text) > limit:
        raise ValidationError(f"{what}过长（不超过 {limit} 个字）。")
    if printed:
        refuse_unprintable({what: text})
    return text


def check_month(month: int | None) -> int | None:
    if month is not None and not 1 <= month <= 12:
        raise ValidationError("计划月份应在 1 到 12 之间。")
    return month


# -- 学习责任清单 / 学习任务清单 --------------------------------------------------------------
@dataclass(frozen=True)
class Arrangement:
    """A topic's (or a session's) entry in the 责任 and 任务 lists. For a session, host and
    lecturer are the session's own (主持、领学); only 责任处室 is kept here."""

    host: str = ""
    lecturer: str = ""
    department: str = ""
    form: str = ""
    month: int | None = None


@dataclass(frozen=True)
class PlannedSpeaker:
    """A 重点发言人 planned for a topic or for one session, with the subject to speak on."""

    member_id: int
    subject: str = ""
    topic_id: int | None = None
    session_id: int | None = None
    id: int | None = None


class SpeakerState(StrEnum):
    WAITING = "waiting"
    MET = "met"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {"waiting": "待发言", "met": "已发言", "missing": "未发言"}[self.value]


def speaker_state(held: list[Session], spoke_at: set[int]) -> SpeakerState:
    """Whether a planned speaker's plan is met: `held` are the held sessions the plan is
    for (one session, or a topic's), `spoke_at` the sessions where the member has a recorded
    speech. Met when they spoke at one of them; missing once one is held without it."""
    if any(s.id in spoke_at for s in held):
        return SpeakerState.MET
    return SpeakerState.MISSING if held else SpeakerState.WAITING


# -- 成果转化清单 ---------------------------------------------------------------------------
@dataclass(frozen=True)
class StudyResult:
    """A result the study turned into, for a topic or a session."""

    name: str
    kind: str
    member_id: int | None
    due: dt.date | None = None
    progress: Progress = Progress.NOT_STARTED
    effect: str = ""
    attachments: tuple[str, ...] = ()
    topic_id: int | None = None
    session_id: int | None = None
    id: int | None = None

    def overdue(self, today: dt.date) -> bool:
        """Past its 完成时限 and not done: flagged like an overdue make-up."""
        return self.progress is not Progress.DONE and self.due is not None and self.due < today


# -- a member's year -----------------------------------------------------------------------
@dataclass(frozen=True)
class Paper:
    """A 调研报告 or 理论文章 a member wrote."""

    member_id: int
    kind: str
    title: str
    written_on: dt.date
    file: str = ""
    id: int | None = None

    @property
    def quoted_title(self) -> str:
        """The title in 书名号, once: a title typed as 《…》 is not wrapped again."""
        title = self.title.strip()
        if title.startswith("《") and title.endswith("》") and title.count("《") == 1:
            return title
        return f"《{title}》"


@dataclass(frozen=True)
class SelfStudyPlan:
    """A member's 个人自学计划 of a year."""

    member_id: int
    year: int
    submitted_on: dt.date | None
    file: str = ""


@dataclass(frozen=True)
class NoteCheck:
    """A check of a member's 学习笔记."""

    member_id: int
    checked_on: dt.date
    checked_by: str = ""
    remark: str = ""
    id: int | None = None


class DutyState(StrEnum):
    MET = "met"
    ON_THE_WAY = "on_the_way"
    SHORT = "short"

    @property
    def label(self) -> str:
        return {"met": "已完成", "on_the_way": "进行中", "short": "未完成"}[self.value]


def duty_state(done: int, required: int, *, year_over: bool) -> DutyState:
    """A duty's state: met at the number required; short of it once the year has ended,
    on its way before."""
    if done >= required:
        return DutyState.MET
    return DutyState.SHORT if year_over else DutyState.ON_THE_WAY


def year_over(year: int, today: dt.date) -> bool:
    return today > dt.date(year, 12, 31)


@dataclass(frozen=True)
class DutyCounts:
    """What a member did of each duty in a year."""

    speeches: int = 0
    reflections: int = 0
    papers: int = 0
    self_plan: int = 0
    note_checks: int = 0

    def done(self, duty: Duty) -> int:
        return int(getattr(self, duty.code))


@dataclass(frozen=True)
class YearItem:
    """A speech (交流发言) or a reflection (心得体会) of a member's year: its day and title."""

    day: dt.date
    title: str


@dataclass(frozen=True)
class Absence:
    """A held session a member missed: 请假 or 缺席, why (the leave's kind and reason, or
    缺席), and where its make-up (补学) stands ("已完成 2026-03-20", "待完成，截止 …"), empty
    when there is none."""

    day: dt.date
    status: str
    reason: str
    makeup: str = ""


def makeup_text(makeup: Makeup | None, today: dt.date) -> str:
    """Where a missed session's make-up stands, in the words the 请假补学 sheet uses."""
    if makeup is None:
        return ""
    state = makeup.status(today)
    if makeup.completed is not None:
        return f"{state.label} {makeup.completed:%Y-%m-%d}"
    return f"{state.label}，截止 {makeup.due:%Y-%m-%d}"


def leave_reason(request: LeaveRequest | None) -> str:
    """A leave as the member file reads it: 因公：出差; 请假 when none was filed."""
    if request is None:
        return "请假"
    reason = " ".join(request.reason.split())
    if request.kind and reason:
        return f"{request.kind}：{reason}"
    return request.kind or reason or "请假"


@dataclass(frozen=True)
class MemberYear:
    """A member's year: attendance (the statistics' numbers), the duties done, and what is
    required (from the settings)."""

    year: int
    member: Member
    attendance: MemberAttendance
    counts: DutyCounts
    required: dict[str, int]
    over: bool
    papers: list[Paper] = field(default_factory=list)
    self_plan: SelfStudyPlan | None = None
    note_checks: list[NoteCheck] = field(default_factory=list)
    #: The items behind the counts, for the member file: as many as `counts` and
    #: `attendance` say (the store counts them the same way).
    speeches: list[YearItem] = field(default_factory=list)
    reflections: list[YearItem] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)

    def state(self, duty: Duty) -> DutyState:
        return duty_state(self.counts.done(duty), self.required[duty.code], year_over=self.over)

    @property
    def short(self) -> list[Duty]:
        """Duties not (yet) met."""
        return [d for d in DUTIES if self.state(d) is not DutyState.MET]

    def as_dict(self) -> dict[str, object]:
        """The numbers the command line prints and the member file shows."""
        a = self.attendance
        return {
            "expected": a.expected,
            "attended": a.attended,
            "rate": round(a.rate, 4) if a.rate is not None else None,
            "speeches": self.counts.speeches,
            "reflections": self.counts.reflections,
            "papers": self.counts.papers,
            "self_plan": self.counts.self_plan,
            "note_checks": self.counts.note_checks,
            "duties": {
                d.code: {"done": self.counts.done(d), "required": self.required[d.code]}
                for d in DUTIES
            },
        }


def rate_text(rate: float | None) -> str:
    return f"{rate:.1%}" if rate is not None else "—"


# -- what the three lists show -------------------------------------------------------------
@dataclass(frozen=True)
class SpeakerLine:
    """A planned speaker as the lists show them."""

    speaker: PlannedSpeaker
    name: str
    state: SpeakerState


@dataclass(frozen=True)
class TopicLine:
    """A topic with its arrangement, speakers and the sessions that covered it."""

    topic: Topic
    arrangement: Arrangement
    speakers: list[SpeakerLine]
    sessions: list[Session]


@dataclass(frozen=True)
class SessionLine:
    """A session with its 责任处室 and speakers."""

    session: Session
    department: str
    speakers: list[SpeakerLine]


@dataclass(frozen=True)
class ResultLine:
    result: StudyResult
    owner: str
    target: str
    overdue: bool


@dataclass(frozen=True)
class ListsData:
    """The three lists and the members' years of a year, as read in one snapshot."""

    year: int
    today: dt.date
    topics: list[TopicLine]
    sessions: list[SessionLine]
    results: list[ResultLine]
    members: list[MemberYear]

    @property
    def missing_speakers(self) -> list[tuple[str, SpeakerLine]]:
        """(where, speaker) for each planned speaker whose held session had no speech."""
        found = [
            (f"专题{line.topic.number}", s)
            for line in self.topics
            for s in line.speakers
            if s.state is SpeakerState.MISSING
        ]
        found += [
            (f"{line.session.date:%Y-%m-%d} 学习", s)
            for line in self.sessions
            for s in line.speakers
            if s.state is SpeakerState.MISSING
        ]
        return found


# -- the compliance check of the lists -----------------------------------------------------
SPEAKERS_CHECK = "planned_speakers"
RESULTS_CHECK = "results"
DUTIES_CHECK = "duties"

LIST_CHECK_TITLES: dict[str, str] = {
    SPEAKERS_CHECK: "重点发言人须在学习中发言",
    RESULTS_CHECK: "已学专题须有成果转化，成果按期完成",
    DUTIES_CHECK: "成员完成年度学习任务",
}


def duty_shortfall(entry: MemberYear) -> str:
    """E.g. 交流发言 0/1、心得体会 1/2 — what a member still owes."""
    return "、".join(
        f"{duty.name} {entry.counts.done(duty)}/{entry.required[duty.code]}" for duty in entry.short
    )


@dataclass(frozen=True)
class ListsReport:
    """The check of the three lists and the members' duties: the report, and the members
    still on their way to a duty while the year runs (not problems yet)."""

    report: ComplianceReport
    on_the_way: list[str]


def lists_check(data: ListsData, names: dict[int, str] | None = None) -> ListsReport:
    """Planned speakers without a speech, held topics without a result by the year's end,
    overdue results, and members short of a duty once the year has ended. `names` tells
    namesakes apart (member id → name as every check line gives it), where known."""
    names = names or {}
    speakers = [
        Problem(
            SPEAKERS_CHECK,
            f"{where}安排的重点发言人 {names.get(line.speaker.member_id, line.name)} 没有发言记录",
        )
        for where, line in data.missing_speakers
    ]
    results: list[Problem] = []
    over = year_over(data.year, data.today)
    if over:
        with_result = {r.result.topic_id for r in data.results if r.result.topic_id}
        by_session = {r.result.session_id for r in data.results if r.result.session_id}
        for line in data.topics:
            held = [s for s in line.sessions if s.status is SessionStatus.HELD]
            if (
                held
                and line.topic.id not in with_result
                and not by_session & {s.id for s in line.sessions}
            ):
                results.append(
                    Problem(RESULTS_CHECK, f"{topic_label(line.topic)}已学习，但没有成果转化")
                )
    for r in data.results:
        if r.overdue:
            results.append(
                Problem(
                    RESULTS_CHECK,
                    f"成果“{r.result.name}”（责任人 {_owner(r, names)}）已逾期"
                    f"（时限 {r.result.due:%Y-%m-%d}，{r.result.progress.label}）",
                )
            )
    duties: list[Problem] = []
    on_the_way: list[str] = []
    for entry in data.members:
        if not entry.short:
            continue
        member_id = entry.member.id
        name = entry.member.name if member_id is None else names.get(member_id, entry.member.name)
        text = f"{name}：{duty_shortfall(entry)}"
        if entry.over:
            duties.append(Problem(DUTIES_CHECK, f"{text}，年度学习任务未完成"))
        else:
            on_the_way.append(text)
    checks = [
        CheckResult(code, LIST_CHECK_TITLES[code], problems)
        for code, problems in (
            (SPEAKERS_CHECK, speakers),
            (RESULTS_CHECK, results),
            (DUTIES_CHECK, duties),
        )
    ]
    return ListsReport(ComplianceReport(data.year, data.today, checks), on_the_way)


def _owner(line: ResultLine, names: dict[int, str]) -> str:
    member_id = line.result.member_id
    return names.get(member_id, line.owner) if member_id is not None else line.owner
