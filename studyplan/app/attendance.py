"""Attendance: the secretary's record of who came to each session, and its 列席人员.

The rules in one place: only members expected at a session get a mark, and a session with
its marks recorded is held. Leave (app/leave.py) and make-ups (app/makeups.py) are the
layers this service builds on, so `AttendanceService` offers all of them to its callers.
"""

from __future__ import annotations

import datetime as dt

from studyplan.app.changes import Rules, undoable
from studyplan.app.leave import LeaveService
from studyplan.model.attendance import (
    AttendanceCounts,
    AttendanceMark,
    AttendanceStatus,
    SessionGuest,
)
from studyplan.model.errors import UndoError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import MAX_NAME_LENGTH, Member, normalize_name, normalize_text
from studyplan.model.text import refuse_unprintable
from studyplan.store import attendance as attendance_store
from studyplan.store import makeups as makeups_store
from studyplan.store import sessions as sessions_store
from studyplan.store.db import transaction
from studyplan.store.rowlog import Refusals, RowLog


class AttendanceService(LeaveService):
    """Attendance use cases (and, inherited, the leave, make-up and roster ones)."""

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
