"""Leave (请假): requests for one session or a date range, their approval, refusal and
withdrawal, and the marks and make-ups that follow.

The rules in one place: a request may be filed after the session began (事后补假, flagged)
but only withdrawn before it; a span stands for every session of the member in it, those
added later too; the approver is never the applicant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from studyplan.app.changes import Rules, undoable
from studyplan.app.makeups import MakeupService, refuse_cancelled, refuse_unexpected
from studyplan.model.attendance import (
    AttendanceMark,
    AttendanceStatus,
    LeaveCase,
    LeaveDecision,
    LeaveEntry,
    LeaveRequest,
    leave_counts,
    leave_kind,
    makeup_due,
    session_start,
)
from studyplan.model.errors import UndoError, ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import normalize_name, normalize_text
from studyplan.model.text import refuse_unprintable
from studyplan.model.years import in_range, out_of_range_text, year_span
from studyplan.store import attendance as attendance_store
from studyplan.store import leave as leave_store
from studyplan.store import makeups as makeups_store
from studyplan.store import members as members_store
from studyplan.store import rowlog
from studyplan.store import sessions as sessions_store
from studyplan.store.db import transaction
from studyplan.store.rowlog import Refusals, RowLog

#: The longest leave filed in one go (a year): longer is a typing slip.
MAX_SPAN_DAYS = 365


class LeaveService(MakeupService):
    """Leave use cases (and, inherited, the make-up and roster ones)."""

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

    @undoable(lambda service, result, log: service._leave_rules("批准请假", log, result))
    def approve_leave(
        self, request_id: int, approver: str = "", decided_at: dt.datetime | None = None
    ) -> LeaveRequest:
        """Approve a request, or a leave for a date range as a whole: the member's
        attendance becomes 请假 at each of its sessions and make-up tasks are created, all in
        one transaction (a session cancelled meanwhile gets no mark). What it decides on is
        read at once (`store.leave.case`), and written with one statement per table."""
        with transaction(self.db):
            case = leave_store.case(self.db, request_id)
            if all(r.decision is LeaveDecision.APPROVED for r in case.requests):
                raise ValidationError("该请假申请已经批准。")
            approver, decided_at = self._decision(case, approver, decided_at)
            deciding = [r for r in case.requests if r.decision is not LeaveDecision.APPROVED]
            owed: list[tuple[int, int, dt.date]] = []
            for each in deciding:
                session = case.sessions[each.session_id]
                if case.request.span is None:
                    refuse_cancelled(session)
                if not case.applicant.expected_on(session.date):
                    refuse_unexpected(session, case.applicant_name)
                if session.status is not SessionStatus.CANCELLED:
                    due = makeup_due(session.date, case.makeup_due_days, decided_at.date())
                    owed.append((each.session_id, each.member_id, due))
            leave_store.decide(
                self.db,
                [r.id for r in deciding if r.id is not None],
                LeaveDecision.APPROVED,
                approver,
                decided_at,
            )
            leave_store.mark_on_leave(self.db, owed)
        approved = replace(
            case.request,
            decision=LeaveDecision.APPROVED,
            approver=approver,
            decided_at=decided_at,
            applicant=case.applicant_name,
        )
        return self._flag(approved, case.sessions[case.request.session_id])

    @undoable(lambda service, result, log: service._leave_rules("不批准请假", log, result))
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
            case = leave_store.case(self.db, request_id)
            if all(r.decision is LeaveDecision.REJECTED for r in case.requests):
                raise ValidationError("该请假申请已是未批准状态。")
            for each in case.requests:
                if each.decision is LeaveDecision.APPROVED:
                    # Its 请假 mark and make-up are set aside with the cancelled session
                    # and return with it: taking them back now could not be undone then.
                    refuse_cancelled(case.sessions[each.session_id])
            approver, decided_at = self._decision(case, approver, decided_at)
            deciding = [r for r in case.requests if r.decision is not LeaveDecision.REJECTED]
            leave_store.decide(
                self.db,
                [r.id for r in deciding if r.id is not None],
                LeaveDecision.REJECTED,
                approver,
                decided_at,
                refusal,
            )
            for each in deciding:
                if each.decision is LeaveDecision.APPROVED:
                    self._drop_leave_mark(each)
        rejected = replace(
            case.request,
            decision=LeaveDecision.REJECTED,
            approver=approver,
            decided_at=decided_at,
            refusal=refusal,
            applicant=case.applicant_name,
        )
        return self._flag(rejected, case.sessions[case.request.session_id])

    def _leave_rules(self, action: str, log: RowLog, decided: LeaveRequest | None = None) -> Rules:
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
        name = decided.applicant if decided and decided.applicant else None
        name = name or self.display_name_of(member_id)
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

    # -- internals -------------------------------------------------------------------------

    def _decision(
        self, case: LeaveCase, approver: str, decided_at: dt.datetime | None
    ) -> tuple[str, dt.datetime]:
        request = case.request
        approver = normalize_text(approver) or request.approver
        if not approver:
            raise ValidationError("请填写审批人。")
        named = normalize_name(approver)
        applicant = case.applicant
        if named == applicant.name or named.startswith(applicant.name + "（"):
            shown = case.applicant_name
            if named in (applicant.name, shown):
                raise ValidationError(f"审批人不能是请假人本人（{shown}）。")
        refuse_unprintable({"审批人": approver})
        decided_at = (decided_at or self.clock.now()).replace(microsecond=0)
        if decided_at < request.filed_at:
            raise ValidationError("审批时间不能早于请假申请时间。")
        return approver, decided_at

    def _flag(self, request: LeaveRequest, session: Session) -> LeaveRequest:
        return replace(request, late=request.filed_at >= session_start(session))
