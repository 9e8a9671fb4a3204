"""The plan calendar's use cases: plans and topics, sessions, auto-scheduling, overrides.

The GUI and the CLI call these; they validate, run multi-step writes in one transaction, and
leave the SQL to `studyplan.store`.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from studyplan.app.changes import Rules, undoable
from studyplan.model.clock import SYSTEM_CLOCK, Clock
from studyplan.model.errors import NotFoundError, ValidationError
from studyplan.model.plan import (
    DEFAULT_LOCATION,
    CalendarOverride,
    Plan,
    ScheduleProposal,
    ScheduleRequest,
    Session,
    SessionStatus,
    Topic,
    TopicState,
)
from studyplan.model.planning import (
    DayOffConflict,
    PlanReplacement,
    QuarterCoverage,
    SameDayConflict,
    TopicOverview,
)
from studyplan.model.settings import CALENDAR_REMINDER_DAYS, DATABASE_ID, FIRST_RUN_DONE
from studyplan.model.text import printable_text, refuse_unprintable
from studyplan.model.workdays import WorkCalendar, library_key
from studyplan.model.years import QUARTER_NAMES, check_year
from studyplan.store import calendar as calendar_store
from studyplan.store import makeups as makeup_store
from studyplan.store import plans as plan_store
from studyplan.store import sessions as session_store
from studyplan.store import settings
from studyplan.store.db import Database, database_file, transaction
from studyplan.store.rowlog import Refusals, RowLog


class PlanningService:
    """Plans, topics and sessions of every year in one database."""

    def __init__(
        self, db: Database, calendar: WorkCalendar | None = None, *, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.db = db
        self.clock = clock
        #: The python-holidays installed when this started: the snapshot read now and the
        #: one written at the end are both for it (an upgrade meanwhile makes the next
        #: start-up find the key changed and ask the new library).
        self._holiday_key = library_key()
        self.calendar = calendar or WorkCalendar(
            calendar_store.overrides(db), calendar_store.holiday_snapshot(db, self._holiday_key)
        )

    def remember_holidays(self) -> bool:
        """Write down the years python-holidays answered for in this run, so that the next
        start-up shows them without loading it; True if something was written."""
        if self._holiday_key is None or not self.calendar.learned:
            return False
        snapshot = self.calendar.snapshot(self._holiday_key)
        return calendar_store.save_holiday_snapshot(self.db, snapshot)

    def database_file(self) -> Path | None:
        """The database file these services work on (None in memory)."""
        return database_file(self.db)

    # -- plans and topics -------------------------------------------------------------
    def ensure_bundled_plan(self, year: int = 2026) -> bool:
        """Load the bundled plan on first open; True if it was loaded now. Once the
        first-run wizard was finished or skipped, the secretary has chosen their plan: a
        bundled plan they did not keep does not come back."""
        if plan_store.has_plan(self.db, year) or settings.text(self.db, FIRST_RUN_DONE):
            return False
        from studyplan.io.bundled import load_bundled_plan

        plan = load_bundled_plan(year)
        with transaction(self.db):
            plan_store.save_plan(self.db, plan)
        return True

    def import_plan(self, path: str | Path, year: int, *, detach: bool = False) -> Plan:
        """Read a plan file and make it `year`'s plan; nothing is written if reading fails.

        Topics are matched by number, so sessions keep their topics across a corrected
        plan. A plan without a topic that a held session covers is refused (the record would
        lose what was studied); one without a topic a planned session covers is refused too
        unless `detach`, after the user saw `read_plan_file`'s list of those sessions.
        """
        return self.replace_plan(self.read_plan_file(path, year), detach=detach)

    def check_plan_file(self, path: str | Path, year: int) -> Plan:
        """Read a plan file only to see that it is one (ImportFileError or ValidationError
        with a sentence if not), before its year is asked; `year` is a provisional one."""
        from studyplan.io.plan_import import read_plan

        return read_plan(path, check_year(year))

    def read_plan_file(self, path: str | Path, year: int) -> PlanReplacement:
        """Read a plan file for `year` without writing anything: the plan, and what making it
        the year's plan would take from the sessions already there. Refused at once when it
        would take a topic from a held session."""
        from studyplan.io.plan_import import read_plan

        check_year(year)
        found = self._replacement(read_plan(path, year))
        found.refuse_held()
        return found

    def replace_plan(self, found: PlanReplacement, *, detach: bool = False) -> Plan:
        """Make a plan read by `read_plan_file` its year's plan (see `import_plan`)."""
        with transaction(self.db):
            now = self._replacement(found.plan)  # the sessions may have changed meanwhile
            now.refuse_held()
            if now.losing and not detach:
                raise ValidationError(f"{now.losing_sentence}；为免误删，未导入。")
            plan_store.save_plan(self.db, found.plan)
        return found.plan

    def _replacement(self, plan: Plan) -> PlanReplacement:
        kept = {t.number for t in plan.topics}
        lost = plan_store.sessions_losing_topics(self.db, plan.year, kept)
        sessions = {s.id: s for s in session_store.in_year(self.db, plan.year)}
        return PlanReplacement(
            plan,
            replaces=plan_store.has_plan(self.db, plan.year),
            losing=tuple((sessions[i], tuple(numbers)) for i, numbers in lost.items()),
        )

    def plan_years(self) -> list[int]:
        return plan_store.plan_years(self.db)

    def years(self) -> list[int]:
        """Every year that has a plan or a session, for the year switcher."""
        return sorted(set(plan_store.plan_years(self.db)) | set(session_store.years(self.db)))

    def plan_title(self, year: int) -> str | None:
        return plan_store.plan_title(self.db, year)

    def topics(self, year: int) -> list[Topic]:
        return plan_store.topics(self.db, year)

    def topic_overview(self, year: int) -> list[TopicOverview]:
        counts = session_store.topic_session_counts(self.db, year)
        result = []
        for topic in plan_store.topics(self.db, year):
            scheduled, held = counts.get(topic.number, (0, 0))
            if held:
                state = TopicState.STUDIED
            elif scheduled:
                state = TopicState.SCHEDULED
            else:
                state = TopicState.UNSCHEDULED
            result.append(TopicOverview(topic, state, scheduled, held))
        return result

    # -- sessions ---------------------------------------------------------------------
    def session(self, session_id: int) -> Session:
        return session_store.get(self.db, session_id)

    def sessions(self, year: int | None = None) -> list[Session]:
        if year is None:
            return session_store.all_sessions(self.db)
        return session_store.in_year(self.db, check_year(year))

    def sessions_in_month(self, year: int, month: int) -> list[Session]:
        last = _calendar.monthrange(year, month)[1]
        return session_store.between(self.db, dt.date(year, month, 1), dt.date(year, month, last))

    def sessions_between(self, first: dt.date, last: dt.date) -> list[Session]:
        return session_store.between(self.db, first, last)

    def validate_session(
        self, session: Session, *, allow_same_day: bool = False, allow_day_off: bool = False
    ) -> None:
        """Raise ValidationError (or a NeedsConfirmation) with the sentence to show."""
        check_year(session.date.year)
        if session.end <= session.start:
            raise ValidationError("结束时间必须晚于开始时间。")
        if not session.form.strip():
            raise ValidationError("请填写学习形式。")
        refuse_unprintable(
            {
                "地点": session.location,
                "学习形式": session.form,
                "主持人": session.host,
                "领学/辅导人": session.lecturer,
                "备注": session.notes,
            }
        )
        known = {t.number for t in plan_store.topics(self.db, session.year)}
        unknown = [n for n in session.topic_numbers if n not in known]
        if unknown:
            listed = "、".join(str(n) for n in unknown)
            raise ValidationError(f"{session.year} 年的学习计划中没有专题 {listed}。")
        if not allow_same_day and session.status is not SessionStatus.CANCELLED:
            taken = session_store.dates_taken(self.db, session.date, session.date)
            others = [i for i in taken.get(session.date, []) if i != session.id]
            if others:
                raise SameDayConflict(
                    f"{session.date:%Y-%m-%d} 已有学习场次，确定还要再安排一场吗？"
                )
        if not allow_day_off and session.status is not SessionStatus.CANCELLED:
            info = self.calendar.day(session.date)
            if not info.is_workday and self._newly_on(session):
                weekday = "周" + "一二三四五六日"[session.date.weekday()]
                name = info.holiday_name or (weekday if session.date.weekday() >= 5 else "休息日")
                raise DayOffConflict(
                    f"{session.date:%Y-%m-%d}（{name}）不是工作日，确定在这天安排学习吗？"
                )

    def _newly_on(self, session: Session) -> bool:
        """True for a new session, or one whose day the user is changing."""
        if session.id is None:
            return True
        try:
            return session_store.get(self.db, session.id).date != session.date
        except NotFoundError:
            return True

    @undoable(lambda service, session_id, log: service._save_rules(session_id, log))
    def save_session(
        self, session: Session, *, allow_same_day: bool = False, allow_day_off: bool = False
    ) -> int:
        """Add or update a session after validation; returns its id. Open make-up deadlines
        move with the session's day, as they count from it. Control characters typed or
        pasted into its text (`printable_text`) are dropped, so no export fails on them."""
        session = replace(
            session,
            location=printable_text(session.location),
            form=printable_text(session.form),
            host=printable_text(session.host),
            lecturer=printable_text(session.lecturer),
            notes=printable_text(session.notes),
        )
        self.validate_session(session, allow_same_day=allow_same_day, allow_day_off=allow_day_off)
        with transaction(self.db):
            if session.id is None:
                session_id = session_store.add(self.db, session)
                self._cover_with_leave([session_id])
                return session_id
            before = session_store.get(self.db, session.id)
            session_store.update(self.db, session)
            if session.date != before.date:
                makeup_store.shift_open_due(self.db, session.id, (session.date - before.date).days)
                self._cover_with_leave([session.id])  # moved into a leave's date range
            return session.id

    def default_location(self) -> str:
        """The place a new session starts with: that of the session added last which names
        one (auto-scheduled ones too), else the auto-schedule's own."""
        return session_store.last_location(self.db) or DEFAULT_LOCATION

    @undoable(lambda service, moved, log: service._move_rules(*moved))
    def move_session(
        self,
        session_id: int,
        day: dt.date,
        *,
        allow_same_day: bool = False,
        allow_day_off: bool = False,
    ) -> tuple[Session, Session]:
        """Move a session to `day` (dragged to it in the calendar), checked as the form checks
        a changed date: a second session that day or a day off is asked about
        (NeedsConfirmation). Open make-up deadlines move with it. (before, after)."""
        before = session_store.get(self.db, session_id)
        after = replace(before, date=day)
        self.validate_session(after, allow_same_day=allow_same_day, allow_day_off=allow_day_off)
        with transaction(self.db):
            session_store.update(self.db, after)
            makeup_store.shift_open_due(self.db, session_id, (day - before.date).days)
            self._cover_with_leave([session_id])  # moved into a leave's date range
        return before, after

    def _move_rules(self, before: Session, after: Session) -> Rules:
        refusals = Refusals(
            {"*": "这一场次此后又有改动（例如登记了考勤），无法{doing}。"},
            lenient={"makeups"},
            gone={"sessions": "这一场次已被删除，无法{doing}。"},
        )
        moved = f"{before.date.month}月{before.date.day}日 → {after.date.month}月{after.date.day}日"
        return Rules(f"移动场次（{moved}）", refusals)

    def _save_rules(self, session_id: int, log: RowLog) -> Rules:
        """Undoing a save takes an added session away again, or gives a changed one its
        details back (make-up deadlines follow its day), unless it changed since."""
        added = session_id in log.added("sessions")
        day = session_store.get(self.db, session_id).date
        what = "新建场次" if added else "修改场次"
        refusals = Refusals(
            {"*": "这一场次此后又有改动（例如登记了考勤），无法{doing}。"},
            dependents="这一场次已登记考勤、请假或学习记录，不能撤销新建。",
            lenient={"makeups"},
            gone={"sessions": "这一场次已被删除，无法{doing}。"},
        )
        return Rules(f"{what}（{day.month}月{day.day}日）", refusals)

    @undoable(
        lambda _service, session, _log: Rules(
            f"删除场次（{session.date.month}月{session.date.day}日）",
            Refusals({}, dependents="这一场次此后又有新的记录，无法{doing}“删除场次”。"),
        )
    )
    def delete_session(self, session_id: int) -> Session:
        """Remove a session with everything recorded on it (topic links, attendance, leave,
        make-ups, study record, speeches, reflections, attachment rows); returns it as it
        was. Archived files are not touched."""
        with transaction(self.db):
            session = session_store.get(self.db, session_id)
            session_store.delete(self.db, session_id)
        return session

    # -- auto-scheduling --------------------------------------------------------------
    def propose_schedule(self, request: ScheduleRequest) -> ScheduleProposal:
        from studyplan.model.scheduler import propose_schedule

        check_year(request.year)
        refuse_unprintable({"地点": request.location, "学习形式": request.form})
        topics = plan_store.topics(self.db, request.year)
        if not topics:
            raise ValidationError(f"{request.year} 年还没有学习计划，请先导入计划。")
        existing = session_store.in_year(self.db, request.year)
        # A planned session that already has leave, attendance or records on it is kept as it
        # is, like a held one: replacing it would delete what was recorded against it.
        recorded = session_store.with_history(
            self.db,
            [s.id for s in existing if s.status is SessionStatus.PLANNED and s.id is not None],
        )
        fixed = [replace(s, status=SessionStatus.HELD) if s.id in recorded else s for s in existing]
        proposal = propose_schedule(request, topics, fixed, self.calendar)
        kept = [
            s for s in existing if s.id in recorded and s.date >= (request.start_date or s.date)
        ]
        if request.replace_planned and kept:
            proposal.warnings.append(
                f"{len(kept)} 场计划场次已登记请假、考勤或学习记录，予以保留，不被替换。"
            )
        return proposal

    @undoable(lambda service, created, _log: service._schedule_rules(created))
    def apply_schedule(self, proposal: ScheduleProposal) -> list[int]:
        """Write a proposal the user accepted, all or nothing; the ids of the new sessions."""
        with transaction(self.db):
            replaced = [old.id for old in proposal.removed_sessions if old.id is not None]
            self._refuse_held(replaced)
            for session_id in replaced:
                session_store.delete(self.db, session_id)
            added = [session_store.add(self.db, replace(s, id=None)) for s in proposal.new_sessions]
            self._cover_with_leave(added)
            return added

    def _cover_with_leave(self, session_ids: Sequence[int]) -> None:
        """New sessions inside a leave's date range are covered by it (caller's
        transaction), so a two-week trip filed once excuses a session planned later."""
        from studyplan.app.attendance import AttendanceService

        attendance = AttendanceService(self.db, clock=self.clock)
        for session_id in session_ids:
            attendance.cover_added_session(session_id)

    def _refuse_held(self, session_ids: Sequence[int]) -> None:
        for session_id in session_ids:
            if session_store.get(self.db, session_id).status is SessionStatus.HELD:
                raise ValidationError("已举行的场次不能被自动排期替换。")

    def _schedule_rules(self, created: list[int]) -> Rules:
        """Undoing a schedule takes its sessions away and brings back the ones it replaced,
        refused once anything was recorded on its sessions or they were changed; a redo
        never replaces a session held since."""

        def guard(log: RowLog, doing: str, _now: dt.datetime | None) -> None:
            if doing == "重做":
                self._refuse_held([i for i in log.added("sessions") if self._exists(i)])

        refusals = Refusals(
            {"*": "自动排期生成的场次已被改动或删除，不能{doing}这次排期。"},
            dependents="自动排期生成的场次已登记考勤、请假或学习记录，不能{doing}。",
            dependents_first=True,
        )
        return Rules(f"自动排期（{len(created)} 场）", refusals, guard=guard)

    def _exists(self, session_id: int) -> bool:
        try:
            session_store.get(self.db, session_id)
        except NotFoundError:
            return False
        return True

    # -- coverage ---------------------------------------------------------------------
    def quarter_coverage(self, year: int) -> list[QuarterCoverage]:
        held = [0, 0, 0, 0]
        planned = [0, 0, 0, 0]
        for session in session_store.in_year(self.db, year):
            if session.status is SessionStatus.HELD:
                held[session.quarter - 1] += 1
            elif session.status is SessionStatus.PLANNED:
                planned[session.quarter - 1] += 1
        return [QuarterCoverage(q + 1, held[q], planned[q]) for q in range(4)]

    def coverage_line(self, year: int) -> str:
        """E.g. `一季度 ✓ 二季度 ✓ 三季度 ○ 四季度 –` for the status bar."""
        return " ".join(
            f"{QUARTER_NAMES[c.quarter - 1]} {c.mark}" for c in self.quarter_coverage(year)
        )

    # -- files ------------------------------------------------------------------------
    def export_ics(self, path: str | Path, year: int | None = None) -> int:
        """Write the year's (or every year's) sessions as .ics; returns how many."""
        from studyplan.io.ics import export_ics

        sessions = self.sessions(year)
        years = {s.year for s in sessions}
        topics = {(t.year, t.number): t for y in sorted(years) for t in self.topics(y)}
        name = f"{year}年理论学习中心组学习安排" if year else "理论学习中心组学习安排"
        export_ics(
            sessions,
            topics,
            path,
            name=name,
            database_id=settings.text(self.db, DATABASE_ID) or "",
            reminder_days=self.calendar_reminder_days(),
        )
        return len(sessions)

    def calendar_reminder_days(self) -> int:
        """Days before a session that its calendar event reminds of it (0: none)."""
        return settings.count(self.db, CALENDAR_REMINDER_DAYS)

    def set_calendar_reminder_days(self, days: int) -> None:
        with transaction(self.db):
            settings.set_count(self.db, CALENDAR_REMINDER_DAYS, days)

    # -- working-day overrides --------------------------------------------------------
    def overrides(self) -> list[CalendarOverride]:
        return calendar_store.overrides(self.db)

    def set_overrides(self, year: int, entries: Sequence[CalendarOverride]) -> None:
        """Replace `year`'s overrides with the notice the secretary typed in."""
        check_year(year)
        for entry in entries:
            if entry.date.year != year:
                raise ValidationError(f"{entry.date:%Y-%m-%d} 不在 {year} 年内。")
            refuse_unprintable({f"{entry.date:%Y-%m-%d} 的名称": entry.name})
        with transaction(self.db):
            for old in calendar_store.overrides(self.db):
                if old.date.year == year:
                    calendar_store.remove_override(self.db, old.date)
            for entry in entries:
                calendar_store.set_override(
                    self.db, replace(entry, name=" ".join(printable_text(entry.name).split()))
                )
        self.calendar.set_overrides(calendar_store.overrides(self.db))
