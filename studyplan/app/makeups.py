"""Make-up study (补学): the tasks a 请假 or 缺席 owes, their deadline, and the writing of a
mark with the make-up it owes, which attendance and leave share.

The rule in one place: 请假 and 缺席 owe a make-up study due some days after the session
(or after a leave approved later), and a mark that owes none has no open task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from studyplan.app.roster import RosterService
from studyplan.model.attendance import (
    AttendanceMark,
    Makeup,
    MakeupEntry,
    MakeupStatus,
    makeup_due,
)
from studyplan.model.errors import ValidationError
from studyplan.model.plan import Session, SessionStatus
from studyplan.model.roster import Member, normalize_text
from studyplan.model.settings import MAKEUP_DUE_DAYS
from studyplan.model.text import printable_text, refuse_unprintable
from studyplan.store import attendance as attendance_store
from studyplan.store import makeups as makeups_store
from studyplan.store import members as members_store
from studyplan.store import sessions as sessions_store
from studyplan.store import settings
from studyplan.store.db import transaction


class MakeupService(RosterService):
    """Make-up use cases, and what every mark of a session is written through."""

    # -- settings --------------------------------------------------------------------------

    def makeup_due_days(self) -> int:
        """Days after a session by which a make-up study is due."""
        return settings.count(self.db, MAKEUP_DUE_DAYS)

    def set_makeup_due_days(self, days: int) -> None:
        """Change the deadline for make-up tasks created from now on."""
        with transaction(self.db):
            settings.set_count(self.db, MAKEUP_DUE_DAYS, days)

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
        return refuse_cancelled(sessions_store.get(self.db, session_id))

    def _expected_member(self, session: Session, member_id: int) -> Member:
        member = members_store.get(self.db, member_id)
        if not member.expected_on(session.date):
            refuse_unexpected(session, self.display_name(member))
        return member

    def _record(
        self, session: Session, mark: AttendanceMark, *, decided_on: dt.date | None = None
    ) -> None:
        """Write a mark and keep the make-up task in step with it (caller's transaction); a
        make-up is due as `model.attendance.makeup_due` says, from `decided_on` for a leave
        approved after its session."""
        assert session.id is not None
        attendance_store.upsert(self.db, mark)
        if mark.status.needs_makeup:
            due = makeup_due(session.date, self.makeup_due_days(), decided_on)
            makeups_store.ensure(
                self.db, mark.member_id, session.id, due, postpone=decided_on is not None
            )
        else:
            makeups_store.delete_open(self.db, mark.member_id, session.id)

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


def refuse_cancelled(session: Session) -> Session:
    """The session, unless it was cancelled: then it takes no mark and no leave."""
    if session.status is SessionStatus.CANCELLED:
        raise ValidationError(f"{session.date:%Y年%m月%d日}的学习已取消，不能登记考勤或请假。")
    return session


def refuse_unexpected(session: Session, name: str) -> None:
    """Refuse a mark or leave for a member (shown as `name`) not in the group that day."""
    raise ValidationError(
        f"{name} 在{session.date:%Y年%m月%d日}不在中心组名单中，不能登记该场次的考勤或请假。"
    )
