"""Attendance, leave and make-up study: the secretary's record of who came to each session.

The rules in one place: only members expected at a session get a mark; 请假 and 缺席 owe a
make-up study (补学) due some days after the session; a leave request may be filed after the
session began (事后补假, flagged) but only withdrawn before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from studyplan.app.changes import Rules, undoable
from studyplan.app.roster import RosterService
from studyplan.model.attendance import (
    AttendanceCounts,
    AttendanceMark,
    AttendanceStatus,
    LeaveDecision,
    LeaveEntry,
    LeaveRequest,
    Makeup,
    MakeupEntry,
    MakeupStatus,
    SessionGuest,
    leave_counts,
    leave_kind,
    session_start,
)
from studyplan.model.errors import UndoError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import MAX_NAME_LENGTH, Member, normalize_name, normalize_text
from studyplan.model.settings import MAKEUP_DUE_DAYS
from studyplan.model.text import printable_text, refuse_unprintable
from studyplan.model.years import in_range, out_of_range_text, year_span
from studyplan.store import attendance as attendance_store
from studyplan.store import leave as leave_store
from studyplan.store import makeups as makeups_store
from studyplan.store import members as members_store
from studyplan.store import rowlog, settings
from studyplan.store import sessions as sessions_store
from studyplan.store.db import transaction
from studyplan.store.rowlog import Refusals, RowLog

#: The longest leave filed in one go (a year): longer is a typing slip.
MAX_SPAN_DAYS = 365


class AttendanceService(RosterService):
    """Attendance, leave and make-up use cases (and, inherited, the roster ones)."""

    # -- settings --------------------------------------------------------------------------

    def makeup_due_days(self) -> int:
        """Days after a session by which a make-up study is due."""
        return settings.count(self.db, MAKEUP_DUE_DAYS)

    def set_makeup_due_days(self, days: int) -> None:
        """Change the deadline for make-up tasks created from now on."""
        with transaction(self.db):
            settings.set_count(self.db, MAKEUP_DUE_DAYS, days)

    # -- attendance ------------------------------------------------------------------------

    def session(self, session_id: int) -> Session:
        return sessions_store.get(self.db, session_id)

    def attendance(self, session_id: int) -> list[tuple[Member, AttendanceMark | None]]:
        """The expected members of a session in roster order, each with their mark if any."""
        session = sessions_store.get(self.db, session_id)
        marks = attendance_store.marks(self.db, session_id)
        return [(m, marks.get(m.id)) for m in self.expected_members(session) if m.id is not None]

    @undoable(lambda service, mark, log: service._mark_rules(log, mark))
    def set_attendance(
        self,
        session_id: int,
        member_id: int,
        status: AttendanceStatus,
        time: dt.time | None = None,
        note: str = "",
    ) -> AttendanceMark:
        """Record one member's attendance; the session becomes 已举行.

        请假/缺席 create the make-up task (if there is none); any other status removes an
        open one. `time` is kept for 迟到 (arrival) and 早退 (departure) only.
        """
        status = AttendanceStatus(status)
        refuse_unprintable({"考勤备注": note})
        with transaction(self.db):
            session = self._open_session(session_id)
            member = self._expected_member(session, member_id)
            if not status.takes_time:
                time = None
            elif time is not None:
                time = time.replace(second=0, microsecond=0)
                if status is AttendanceStatus.LATE and time <= session.start:
                    who = self.display_name(member)
                    raise ValidationError(
                        f"{who} 的到会时间应晚于会议开始时间（{session.start:%H:%M}）。"
                    )
                if status is AttendanceStatus.LEFT_EARLY and time >= session.end:
                    who = self.display_name(member)
                    raise ValidationError(
                        f"{who} 的离会时间应早于会议结束时间（{session.end:%H:%M}）。"
                    )
            mark = AttendanceMark(session_id, member_id, status, time, note.strip())
            self._record(session, mark)
            sessions_store.set_status(self.db, session_id, SessionStatus.HELD)
        return mark

    @undoable(lambda service, marks, log: service._many_rules(marks, log))
    def set_attendance_many(
        self,
        session_id: int,
        entries: list[tuple[int, AttendanceStatus, dt.time | None]],
    ) -> list[AttendanceMark]:
        """Record several members' attendance at one session, all or none (the command
        line's `attendance --set`): the first mark refused leaves every one unwritten."""
        with transaction(self.db):
            return [
                self.set_attendance(session_id, member_id, status, time)
                for member_id, status, time in entries
            ]

    def _many_rules(self, marks: list[AttendanceMark], log: RowLog) -> Rules:
        """Several marks are undone as 全部出席 is: a mark changed since stays."""
        sessions = log.values("attendance", "session_id")

        def settle() -> None:
            for session_id in sessions:
                self._settle_status(session_id)

        lenient = Refusals({}, lenient={"attendance", "makeups", "sessions"})
        return Rules(f"考勤：{len(marks)} 人", lenient, settle=settle)

    @undoable(lambda service, mark, log: service._mark_rules(log, mark))
    def clear_attendance(self, session_id: int, member_id: int) -> AttendanceMark | None:
        """Remove a mark entered by mistake (and the open make-up task it created); the
        mark as it was (None: there was none)."""
        with transaction(self.db):
            mark = attendance_store.get_mark(self.db, session_id, member_id)
            attendance_store.delete(self.db, session_id, member_id)
            makeups_store.delete_open(self.db, member_id, session_id)
        return mark

    def _mark_rules(self, log: RowLog, mark: AttendanceMark | None) -> Rules:
        """How one mark set or cleared is undone: the mark and its make-up task go back as
        they were unless either changed since, the session was cancelled, or the member is
        no longer expected at it; the session's status follows the marks left on it."""
        if mark is not None:
            session_id, member_id = mark.session_id, mark.member_id
        else:
            [row] = log.rows("attendance", after=False)
            session_id, member_id = row["session_id"], row["member_id"]
        name = self.display_name_of(member_id)
        old, new = (
            (rows[0]["status"] if rows else None)
            for rows in (log.rows("attendance", after=False), log.rows("attendance"))
        )
        if mark is not None and not log.touches("attendance"):
            old = new = mark.status.value
        labels = [AttendanceStatus(s).label if s else "未登记" for s in (old, new)]
        if labels[0] == labels[1]:
            text = f"考勤：{name} {labels[1]}（时间、备注）"
        else:
            text = f"考勤：{name} {labels[0]}→{labels[1]}"
        refused = "无法{doing}“" + text + "”"
        marks = f"{name} 在这一场的考勤或补学任务此后又有改动，{refused}；数据未做改动。"

        def guard(log: RowLog, doing: str, _now: dt.datetime | None) -> None:
            session = sessions_store.get(self.db, session_id)
            if session.status is SessionStatus.CANCELLED:
                raise UndoError(f"这一场学习已取消，无法{doing}“{text}”；数据未做改动。")
            if log.rows("attendance", after=False):
                try:
                    self._expected_member(session, member_id)
                except ValidationError as error:
                    raise UndoError(f"无法{doing}“{text}”：{error}") from error

        stale = {"attendance": marks, "makeups": marks}
        return Rules(
            text,
            Refusals(stale, lenient={"sessions"}),
            guard=guard,
            settle=lambda: self._settle_status(session_id),
        )

    def _settle_status(self, session_id: int) -> None:
        """After an undo or redo: a session given back 计划 stays 已举行 while marks left on
        it keep it so (an approved leave alone, 请假, does not make a session held)."""
        status = sessions_store.get(self.db, session_id).status
        if status is SessionStatus.PLANNED and any(
            mark.status is not AttendanceStatus.LEAVE
            for mark in attendance_store.marks(self.db, session_id).values()
        ):
            sessions_store.set_status(self.db, session_id, SessionStatus.HELD)

    @undoable(lambda service, count, log: service._all_present_rules(count, log))
    def mark_all_present(self, session_id: int) -> int:
        """Mark 出席 for every expected member not yet marked; existing marks are kept.
        Returns how many were marked. The session becomes 已举行."""
        with transaction(self.db):
            session = self._open_session(session_id)
            added = attendance_store.mark_missing_present(self.db, session_id, session.date)
            sessions_store.set_status(self.db, session_id, SessionStatus.HELD)
        return added

    def _all_present_rules(self, count: int, log: RowLog) -> Rules:
        """Undoing 全部出席 removes the 出席 marks it added (a mark changed since stays) and
        gives the session its status back, unless marks left on it keep it 已举行."""
        sessions = log.values("attendance", "session_id") | {
            e.rowid for e in log.edits if e.table == "sessions"
        }

        def settle() -> None:
            for session_id in sessions:
                self._settle_status(session_id)

        lenient = Refusals({}, lenient={"attendance", "sessions"})
        return Rules(f"全部出席（{count} 人）", lenient, settle=settle)

    def counts(self, session_id: int) -> AttendanceCounts:
        session = sessions_store.get(self.db, session_id)
        expected, by_status = attendance_store.status_counts(self.db, session_id, session.date)
        return AttendanceCounts.of(expected, by_status)

    def turnout_by_session(self, first: dt.date, last: dt.date) -> dict[int, tuple[int, int]]:
        """Session id -> (实到, 应到) for every session dated first..last (any status; the
        calendar shows it on held ones), computed in a single query."""
        return attendance_store.turnout(self.db, first, last)

    # -- 列席人员 ----------------------------------------------------------------------------

    def guests(self, session_id: int) -> list[SessionGuest]:
        """The session's 列席人员 (never counted in 应到 or 实到)."""
        return attendance_store.guests(self.db, session_id)

    def guests_between(self, first: dt.date, last: dt.date) -> dict[int, list[SessionGuest]]:
        """Session id -> its 列席人员, for the sessions dated first..last that have some:
        for the record, the notice and the documents."""
        return attendance_store.guests_between(self.db, first, last)

    @undoable(lambda _service, guest, _log: Rules(f"新增列席人员：{guest.label}"))
    def add_guest(self, session_id: int, name: str, unit: str = "") -> SessionGuest:
        """Add a person attending as 列席 (name, and unit or post)."""
        name = normalize_name(name)
        if not name:
            raise ValidationError("请填写列席人员的姓名。")
        if len(name) > MAX_NAME_LENGTH:
            raise ValidationError(f"姓名过长（不超过 {MAX_NAME_LENGTH} 个字）。")
        unit = normalize_text(unit)
        with transaction(self.db):
            session = sessions_store.get(self.db, session_id)
            if any(g.name == name and g.unit == unit for g in self.guests(session_id)):
                raise ValidationError(f"{name} 已在这一场的列席人员中。")
            guest = SessionGuest(session_id=session_id, name=name, unit=unit)
            guest_id = attendance_store.add_guest(self.db, guest)
        assert session.id is not None
        return attendance_store.get_guest(self.db, guest_id)

    @undoable(lambda _service, guest, _log: Rules(f"删除列席人员：{guest.label}"))
    def remove_guest(self, guest_id: int) -> SessionGuest:
        with transaction(self.db):
            guest = attendance_store.get_guest(self.db, guest_id)
            attendance_store.delete_guest(self.db, guest_id)
        return guest

    # -- leave -----------------------------------------------------------------------------

    def file_leave(
        self,
        member_id: int,
        session_id: int,
        reason: str,
        filed_at: dt.datetime | None = None,
        approver: str = "",
        *,
        now: dt.datetime | None = None,
        kind: str = "",
    ) -> LeaveRequest:
        """Record a leave request, pending approval. One filed once the session has begun is
        accepted and flagged 事后补假; one dated after `now` is refused (it is entered once
        made, and a decision could not follow it)."""
        now = (now or self.clock.now()).replace(second=0, microsecond=0)
        filed_at = (filed_at or now).replace(microsecond=0)
        reason = normalize_text(reason)
        kind = leave_kind(kind) if kind else ""
        if not reason:
            raise ValidationError("请填写请假事由。")
        refuse_unprintable({"请假事由": reason, "审批人": approver})
        if filed_at > now + dt.timedelta(minutes=1):
            raise ValidationError("请假提交时间不能晚于现在。")
        with transaction(self.db):
            session = self._open_session(session_id)
            member = self._expected_member(session, member_id)
            existing = leave_store.open_requests(self.db, member_id, session_id)
            if existing:
                said = existing[0].decision.label
                raise ValidationError(
                    f"{self.display_name(member)} 已有该场次的请假申请（{said}），请勿重复提交。"
                )
            request = LeaveRequest(
                member_id=member_id,
                session_id=session_id,
                reason=reason,
                filed_at=filed_at,
                approver=normalize_text(approver),
                kind=kind,
            )
            request_id = leave_store.insert(self.db, request)
        return replace(request, id=request_id, late=filed_at >= session_start(session))

    def leave_request(self, request_id: int) -> LeaveRequest:
        request = leave_store.get(self.db, request_id)
        return self._flag(request, sessions_store.get(self.db, request.session_id))

    def file_leave_span(
        self,
        member_id: int,
        first: dt.date,
        last: dt.date,
        kind: str,
        reason: str,
        filed_at: dt.datetime | None = None,
        approver: str = "",
        *,
        now: dt.datetime | None = None,
        approve: bool = False,
    ) -> list[LeaveRequest]:
        """Record one leave for a date range (a trip, a sick week): a request for every
        session of the member from `first` to `last`, pending approval, and for sessions
        added to the range later (`cover_added_session`). Refused when the range holds no
        session the member is expected at, or one they already asked leave for. With
        `approve`, the approver's approval is entered too, in the same transaction: if it
        is refused, nothing is filed either."""
        now = (now or self.clock.now()).replace(second=0, microsecond=0)
        filed_at = (filed_at or now).replace(microsecond=0)
        kind = leave_kind(kind)
        reason = normalize_text(reason)
        if not reason:
            raise ValidationError("请填写请假事由。")
        for day in (first, last):
            if not in_range(day.year):
                raise ValidationError(out_of_range_text(str(day.year)))
        if last < first:
            raise ValidationError("请假的结束日期不能早于开始日期。")
        if (last - first).days > MAX_SPAN_DAYS:
            raise ValidationError(f"一次请假最长 {MAX_SPAN_DAYS + 1} 天，请分开登记。")
        if filed_at > now + dt.timedelta(minutes=1):
            raise ValidationError("请假提交时间不能晚于现在。")
        with transaction(self.db):
            member = members_store.get(self.db, member_id)
            name = self.display_name(member)
            sessions = [
                s
                for s in sessions_store.between(self.db, first, last)
                if s.id is not None
                and s.status is not SessionStatus.CANCELLED
                and member.expected_on(s.date)
            ]
            if not sessions:
                raise ValidationError(
                    f"{name} 在 {first:%Y-%m-%d} 至 {last:%Y-%m-%d} 没有需要参加的学习，无需请假。"
                )
            for session in sessions:
                assert session.id is not None
                if leave_store.open_requests(self.db, member_id, session.id):
                    raise ValidationError(
                        f"{name} 已有 {session.date:%Y-%m-%d} 那一场的请假申请，请勿重复提交。"
                    )
            made: list[LeaveRequest] = []
            span: int | None = None
            for session in sessions:
                assert session.id is not None
                request = LeaveRequest(
                    member_id=member_id,
                    session_id=session.id,
                    reason=reason,
                    filed_at=filed_at,
                    approver=normalize_text(approver),
                    kind=kind,
                    span=span,
                    first_day=first,
                    last_day=last,
                )
                request_id = leave_store.insert(self.db, request)
                if span is None:
                    span = request_id
                    leave_store.set_span(self.db, request_id, span)
                made.append(self._flag(replace(request, id=request_id, span=span), session))
            if approve:
                assert made[0].id is not None
                decided = self.approve_leave(made[0].id, approver, now)
                made = [
                    replace(r, decision=decided.decision, decided_at=decided.decided_at)
                    for r in made
                ]
        return made

    def cover_added_session(self, session_id: int) -> int:
        """Give a session just added the requests of every leave whose range holds its day
        (caller's transaction): as pending or decided as the rest of that leave, with the
        请假 mark and make-up an approval makes. Returns how many it got."""
        session = sessions_store.get(self.db, session_id)
        if session.status is SessionStatus.CANCELLED:
            return 0
        covered = 0
        for first in leave_store.spans_covering(self.db, session.date):
            member = members_store.get(self.db, first.member_id)
            if not member.expected_on(session.date) or leave_store.open_requests(
                self.db, member.id or 0, session_id
            ):
                continue
            request = replace(first, id=None, session_id=session_id)
            leave_store.insert(self.db, request)
            if request.decision is LeaveDecision.APPROVED:
                self._record(
                    session,
                    AttendanceMark(session_id, first.member_id, AttendanceStatus.LEAVE),
                    decided_on=request.decided_at.date() if request.decided_at else None,
                )
            covered += 1
        return covered

    @undoable(lambda service, _result, log: service._leave_rules("批准请假", log))
    def approve_leave(
        self, request_id: int, approver: str = "", decided_at: dt.datetime | None = None
    ) -> LeaveRequest:
        """Approve a request, or a leave for a date range as a whole: the member's
        attendance becomes 请假 at each of its sessions and make-up tasks are created, all in
        one transaction (a session cancelled meanwhile gets no mark)."""
        with transaction(self.db):
            request = leave_store.get(self.db, request_id)
            requests = leave_store.span_requests(self.db, request)
            if all(r.decision is LeaveDecision.APPROVED for r in requests):
                raise ValidationError("该请假申请已经批准。")
            approver, decided_at = self._decision(request, approver, decided_at)
            for each in requests:
                if each.decision is LeaveDecision.APPROVED:
                    continue
                assert each.id is not None
                if request.span is None:
                    session = self._open_session(each.session_id)
                else:
                    session = sessions_store.get(self.db, each.session_id)
                self._expected_member(session, each.member_id)
                leave_store.set_decision(
                    self.db, each.id, LeaveDecision.APPROVED, approver, decided_at
                )
                if session.status is not SessionStatus.CANCELLED:
                    self._record(
                        session,
                        AttendanceMark(each.session_id, each.member_id, AttendanceStatus.LEAVE),
                        decided_on=decided_at.date(),
                    )
            session = sessions_store.get(self.db, request.session_id)
        approved = replace(
            request, decision=LeaveDecision.APPROVED, approver=approver, decided_at=decided_at
        )
        return self._flag(approved, session)

    @undoable(lambda service, _result, log: service._leave_rules("不批准请假", log))
    def reject_leave(
        self,
        request_id: int,
        approver: str = "",
        decided_at: dt.datetime | None = None,
        reason: str = "",
    ) -> LeaveRequest:
        """Refuse a request (or a leave for a date range as a whole), keeping why. The
        member is left for the secretary to mark (缺席 if they did not come): a 请假 mark an
        earlier approval made goes, with its open make-up task, since no approved leave
        stands behind it any more."""
        refusal = normalize_text(reason)
        with transaction(self.db):
            request = leave_store.get(self.db, request_id)
            requests = leave_store.span_requests(self.db, request)
            if all(r.decision is LeaveDecision.REJECTED for r in requests):
                raise ValidationError("该请假申请已是未批准状态。")
            for each in requests:
                if each.decision is LeaveDecision.APPROVED:
                    # Its 请假 mark and make-up are set aside with the cancelled session
                    # and return with it: taking them back now could not be undone then.
                    self._open_session(each.session_id)
            approver, decided_at = self._decision(request, approver, decided_at)
            for each in requests:
                if each.decision is LeaveDecision.REJECTED:
                    continue
                assert each.id is not None
                leave_store.set_decision(
                    self.db, each.id, LeaveDecision.REJECTED, approver, decided_at, refusal
                )
                if each.decision is LeaveDecision.APPROVED:
                    self._drop_leave_mark(each)
            session = sessions_store.get(self.db, request.session_id)
        rejected = replace(
            request,
            decision=LeaveDecision.REJECTED,
            approver=approver,
            decided_at=decided_at,
            refusal=refusal,
        )
        return self._flag(rejected, session)

    def _leave_rules(self, action: str, log: RowLog) -> Rules:
        """How a leave decision or withdrawal is undone: the requests and the attendance
        they touched go back as they were, unless any changed since, a session was
        cancelled, another request is open, or a withdrawal would come after the start.
        A leave for a date range goes back whole."""
        edits = [e for e in log.edits if e.table == "leave_requests"]
        columns = log.columns.get("leave_requests", ())

        def as_dict(row: tuple | None) -> dict | None:
            return dict(zip(columns, row, strict=True)) if row is not None else None

        pairs = [(e.rowid, as_dict(e.before), as_dict(e.after)) for e in edits]
        some = next(row for _, before, after in pairs for row in (after, before) if row)
        member_id = some["member_id"]
        name = self.display_name_of(member_id)
        sessions = {
            row["session_id"]
            for _, b, a in pairs
            for row in [a or b]
            if row is not None and (a is None or b is None or a["decision"] != b["decision"])
        }
        text = f"{action}：{name}" + (f"（{len(sessions)} 场）" if len(sessions) > 1 else "")
        refused = "无法{doing}“" + text + "”"
        marks = f"{name} 在这一场的考勤或补学任务此后又有改动，{refused}；数据未做改动。"

        def guard(log: RowLog, doing: str, now: dt.datetime | None) -> None:
            said = refused.format(doing=doing)
            mine = {
                e.rowid: (as_dict(e.before), as_dict(e.after))
                for e in log.edits
                if e.table == "leave_requests"
            }
            marked = {
                row["session_id"]
                for table in ("attendance", "makeups")
                for row in log.rows(table) + log.rows(table, after=False)
            }
            for rowid, (wanted, expected) in mine.items():
                if rowlog.row_now(self.db, log, "leave_requests", rowid) != expected:
                    raise UndoError(f"{name} 的这份请假申请此后又有改动，{said}；数据未做改动。")
                row = wanted or expected
                assert row is not None
                session = sessions_store.get(self.db, row["session_id"])
                approves = wanted is not None and wanted["decision"] == "approved"
                if session.status is SessionStatus.CANCELLED and (
                    row["session_id"] in marked or (approves and wanted != expected)
                ):
                    # As the first time: a cancelled session takes no approval and no
                    # marks, while refusing or withdrawing a request stays possible.
                    raise UndoError(f"这一场学习已取消，{said}；数据未做改动。")
                if wanted is not None and wanted["decision"] != LeaveDecision.REJECTED.value:
                    others = leave_store.open_requests(self.db, member_id, row["session_id"])
                    if any(other.id not in mine for other in others):
                        raise UndoError(
                            f"{name} 此后已另有一份该场次的请假申请，{said}；数据未做改动。"
                        )
                if wanted is None and (now or self.clock.now()) >= session_start(session):
                    raise UndoError(f"会议开始后不能撤回请假，{said}；数据未做改动。")
            if log.rows("attendance", after=False):
                for row in log.rows("attendance", after=False):
                    session = sessions_store.get(self.db, row["session_id"])
                    try:
                        self._expected_member(session, row["member_id"])
                    except ValidationError as error:
                        raise UndoError(f"无法{doing}“{text}”：{error}") from error

        stale = {"attendance": marks, "makeups": marks}
        return Rules(text, Refusals(stale, lenient={"sessions"}), guard=guard)

    @undoable(lambda service, _result, log: service._leave_rules("撤回请假", log))
    def withdraw_leave(self, request_id: int, now: dt.datetime | None = None) -> None:
        """Delete a request, allowed only before the session starts; a leave for a date
        range is withdrawn from every session of it not yet begun, in one step, and ends
        with the last one held. An approved request's 请假 mark and open make-up task go
        with it."""
        now = now or self.clock.now()
        with transaction(self.db):
            request = leave_store.get(self.db, request_id)
            requests = leave_store.span_requests(self.db, request)
            sessions = {r.id: sessions_store.get(self.db, r.session_id) for r in requests}
            ahead = [r for r in requests if now < session_start(sessions[r.id])]
            if not ahead:
                raise ValidationError("会议开始后不能撤回请假，如需更正请直接修改考勤。")
            for each in ahead:
                assert each.id is not None
                leave_store.delete(self.db, each.id)
                if each.decision is LeaveDecision.APPROVED:
                    self._drop_leave_mark(each)
            kept = [sessions[r.id].date for r in requests if r not in ahead]
            if kept and request.span is not None:
                leave_store.set_last_day(self.db, request.span, max(kept))

    def _drop_leave_mark(self, request: LeaveRequest) -> None:
        """Take back the 请假 mark an approval made, and its open make-up task (caller's
        transaction); a mark the secretary has changed since stays as it is."""
        mark = attendance_store.get_mark(self.db, request.session_id, request.member_id)
        if mark is not None and mark.status is AttendanceStatus.LEAVE:
            attendance_store.delete(self.db, request.session_id, request.member_id)
            makeups_store.delete_open(self.db, request.member_id, request.session_id)

    def leave_requests(
        self, year: int | None = None, session_id: int | None = None
    ) -> list[LeaveEntry]:
        """Leaves (with member and sessions) by first session date; one year or one
        session. A leave for a date range is one entry holding its sessions."""
        requests = leave_store.listing(self.db, year=year, session_id=session_id)
        sessions = self._sessions({r.session_id for r in requests}, year)
        members = members_store.by_ids(self.db, sorted({r.member_id for r in requests}))
        grouped: dict[int, list[LeaveRequest]] = {}
        for r in requests:
            grouped.setdefault(r.span_id or 0, []).append(self._flag(r, sessions[r.session_id]))
        return [
            LeaveEntry(
                group[0],
                members[group[0].member_id],
                sessions[group[0].session_id],
                tuple(group),
                tuple(sessions[r.session_id] for r in group),
            )
            for group in grouped.values()
        ]

    def leave_counts(self, year: int) -> dict[str, int]:
        """Approved leave of the year's sessions by category (因公, 因私, and 未分类 for
        requests filed before types existed), counted per session (人次): the numbers the
        ledger, 统计 and `leave list` show alike (`model.attendance.leave_counts`)."""
        first, last = year_span(year)
        return leave_counts(leave_store.approved_kinds_between(self.db, first, last))

    # -- make-up study ---------------------------------------------------------------------

    def makeups(
        self,
        status: MakeupStatus | None = None,
        today: dt.date | None = None,
        year: int | None = None,
    ) -> list[MakeupEntry]:
        """Make-up tasks by due date with member and session, optionally only one status
        (as of `today`) or the sessions of one year."""
        today = today or self.clock.today()
        tasks = makeups_store.listing(self.db, status=status, today=today, year=year)
        sessions = self._sessions({t.session_id for t in tasks}, year)
        members = members_store.by_ids(self.db, sorted({t.member_id for t in tasks}))
        return [
            MakeupEntry(t, members[t.member_id], sessions[t.session_id], t.status(today))
            for t in tasks
        ]

    def complete_makeup(
        self,
        makeup_id: int,
        completed_on: dt.date,
        method: str,
        evidence: str = "",
        *,
        today: dt.date | None = None,
    ) -> Makeup:
        """Record a make-up study as done: how, when, and what shows it (心得、录像记录…).
        A date after `today` is refused: it would count as done before it is."""
        method = normalize_text(method)
        if not method:
            raise ValidationError("请选择补学方式。")
        refuse_unprintable({"补学方式": method, "佐证材料": evidence})
        if completed_on > (today or self.clock.today()):
            raise ValidationError("补学完成日期不能晚于今天。")
        with transaction(self.db):
            makeup = makeups_store.get(self.db, makeup_id)
            session = sessions_store.get(self.db, makeup.session_id)
            if completed_on < session.date:
                raise ValidationError(
                    f"补学完成日期不能早于该次学习的日期（{session.date:%Y年%m月%d日}）。"
                )
            evidence = printable_text(evidence).strip()
            makeups_store.complete(self.db, makeup_id, completed_on, method, evidence)
        return replace(makeup, completed=completed_on, method=method, evidence=evidence)

    def reopen_makeup(self, makeup_id: int) -> Makeup:
        """Undo a completion entered by mistake."""
        with transaction(self.db):
            makeup = makeups_store.get(self.db, makeup_id)
            makeups_store.complete(self.db, makeup_id, None, "", "")
        return replace(makeup, completed=None, method="", evidence="")

    def overdue_count(self, today: dt.date | None = None) -> int:
        """Make-up tasks past their due date and not done (for the status bar badge)."""
        return makeups_store.overdue_count(self.db, today or self.clock.today())

    # -- internals -------------------------------------------------------------------------

    def _open_session(self, session_id: int) -> Session:
        session = sessions_store.get(self.db, session_id)
        if session.status is SessionStatus.CANCELLED:
            raise ValidationError(f"{session.date:%Y年%m月%d日}的学习已取消，不能登记考勤或请假。")
        return session

    def _expected_member(self, session: Session, member_id: int) -> Member:
        member = members_store.get(self.db, member_id)
        if not member.expected_on(session.date):
            raise ValidationError(
                f"{self.display_name(member)} 在{session.date:%Y年%m月%d日}不在中心组名单中，"
                "不能登记该场次的考勤或请假。"
            )
        return member

    def _record(
        self, session: Session, mark: AttendanceMark, *, decided_on: dt.date | None = None
    ) -> None:
        """Write a mark and keep the make-up task in step with it (caller's transaction).

        A make-up is due a set number of days after the session, or after `decided_on` when
        a leave request was approved later than that: a task must not be overdue the moment
        it exists, nor stay overdue when the approval comes after the 缺席 that made it."""
        assert session.id is not None
        attendance_store.upsert(self.db, mark)
        if mark.status.needs_makeup:
            start = max(session.date, decided_on) if decided_on else session.date
            due = start + dt.timedelta(days=self.makeup_due_days())
            makeups_store.ensure(
                self.db, mark.member_id, session.id, due, postpone=decided_on is not None
            )
        else:
            makeups_store.delete_open(self.db, mark.member_id, session.id)

    def _decision(
        self, request: LeaveRequest, approver: str, decided_at: dt.datetime | None
    ) -> tuple[str, dt.datetime]:
        approver = normalize_text(approver) or request.approver
        if not approver:
            raise ValidationError("请填写审批人。")
        named = normalize_name(approver)
        applicant = members_store.get(self.db, request.member_id)
        if named == applicant.name or named.startswith(applicant.name + "（"):
            shown = self.display_name(applicant)
            if named in (applicant.name, shown):
                raise ValidationError(f"审批人不能是请假人本人（{shown}）。")
        refuse_unprintable({"审批人": approver})
        decided_at = (decided_at or self.clock.now()).replace(microsecond=0)
        if decided_at < request.filed_at:
            raise ValidationError("审批时间不能早于请假申请时间。")
        return approver, decided_at

    def _flag(self, request: LeaveRequest, session: Session) -> LeaveRequest:
        return replace(request, late=request.filed_at >= session_start(session))

    def _sessions(self, ids: set[int], year: int | None) -> dict[int, Session]:
        if not ids:
            return {}
        if year is not None:
            found = {s.id: s for s in sessions_store.in_year(self.db, year)}
        elif len(ids) == 1:
            found = {i: sessions_store.get(self.db, i) for i in ids}
        else:
            found = {s.id: s for s in sessions_store.all_sessions(self.db)}
        return {i: s for i, s in found.items() if i is not None}
