"""Leave requests (请假申请) for a member and a session."""

from __future__ import annotations

import datetime as dt

from studyplan.model import attendance as model
from studyplan.model.errors import NotFoundError
from studyplan.model.roster import display_name
from studyplan.model.settings import MAKEUP_DUE_DAYS
from studyplan.store import attendance as attendance_store
from studyplan.store import makeups as makeups_store
from studyplan.store import members as members_store
from studyplan.store import sessions as sessions_store
from studyplan.store import settings
from studyplan.store.db import Database


def _datetime(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def request_from_row(row: dict) -> model.LeaveRequest:
    filed_at = _datetime(row["filed_at"])
    assert filed_at is not None
    return model.LeaveRequest(
        id=row["id"],
        member_id=row["member_id"],
        session_id=row["session_id"],
        reason=row["reason"],
        filed_at=filed_at,
        approver=row["approver"],
        decision=model.LeaveDecision(row["decision"]),
        decided_at=_datetime(row["decided_at"]),
        kind=row.get("kind") or "",
        span=row.get("span"),
        first_day=_day(row.get("first_day")),
        last_day=_day(row.get("last_day")),
        refusal=row.get("refusal") or "",
    )


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def get(db: Database, request_id: int) -> model.LeaveRequest:
    rows = list(db.query("SELECT * FROM leave_requests WHERE id = ?", [request_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {request_id} 的请假申请。")
    return request_from_row(rows[0])


def _values(request: model.LeaveRequest) -> list:
    """The request's columns after its id, in the order `insert` and `put` name them."""
    return [
        request.member_id,
        request.session_id,
        request.reason,
        _iso(request.filed_at),
        request.approver,
        request.decision.value,
        _iso(request.decided_at),
        request.kind,
        request.span,
        request.first_day.isoformat() if request.first_day else None,
        request.last_day.isoformat() if request.last_day else None,
        request.refusal,
    ]


_COLUMNS = (
    "member_id, session_id, reason, filed_at, approver, decision, decided_at, "
    "kind, span, first_day, last_day, refusal"
)


def insert(db: Database, request: model.LeaveRequest) -> int:
    cursor = db.execute(
        f"INSERT INTO leave_requests ({_COLUMNS}) VALUES ({', '.join('?' * 12)})",
        _values(request),
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    return int(cursor.lastrowid)


def put(db: Database, request: model.LeaveRequest) -> None:
    """Write `request` under its own id, as it was: how an undo brings a request back."""
    updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS.split(", "))
    db.execute(
        f"INSERT INTO leave_requests (id, {_COLUMNS}) VALUES ({', '.join('?' * 13)}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        [request.id, *_values(request)],
    )


def find(db: Database, request_id: int) -> model.LeaveRequest | None:
    rows = list(db.query("SELECT * FROM leave_requests WHERE id = ?", [request_id]))
    return request_from_row(rows[0]) if rows else None


def set_decision(
    db: Database,
    request_id: int,
    decision: model.LeaveDecision,
    approver: str,
    decided_at: dt.datetime | None,
    refusal: str = "",
) -> None:
    cursor = db.execute(
        "UPDATE leave_requests SET decision = ?, approver = ?, decided_at = ?, refusal = ? "
        "WHERE id = ?",
        [decision.value, approver, _iso(decided_at), refusal, request_id],
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {request_id} 的请假申请。")


#: The request :id and, when it stands for a date range, every other request of the range.
_OF_THE_LEAVE = "(r.id = :id OR r.span = (SELECT span FROM leave_requests WHERE id = :id))"


def case(db: Database, request_id: int) -> model.LeaveCase:
    """Everything a decision on the leave of request `request_id` reads, in three queries:
    its requests by session date with the make-up deadline in force, their sessions, and
    the applicant with their namesakes."""
    rows = list(
        db.query(
            f"SELECT r.*, {settings.value_in_query(':due_key')} AS due_days "
            "FROM leave_requests r JOIN sessions s ON s.id = r.session_id "
            f"WHERE {_OF_THE_LEAVE} ORDER BY s.date, s.start, r.id",
            {"id": request_id, "due_key": MAKEUP_DUE_DAYS.key},
        )
    )
    requests = tuple(request_from_row(row) for row in rows)
    asked = next((r for r in requests if r.id == request_id), None)
    if asked is None:
        raise NotFoundError(f"找不到编号为 {request_id} 的请假申请。")
    sessions = {
        row["id"]: sessions_store.session_from_row(row)
        for row in db.query(
            sessions_store.SELECT
            + f" WHERE s.id IN (SELECT r.session_id FROM leave_requests r WHERE {_OF_THE_LEAVE})",
            {"id": request_id},
        )
    }
    applicant, *namesakes = (
        members_store.member_from_row(row)
        for row in db.query(members_store.WITH_NAMESAKES, {"id": asked.member_id})
    )
    return model.LeaveCase(
        request=asked,
        requests=requests,
        sessions=sessions,
        applicant=applicant,
        applicant_name=display_name(applicant, namesakes),
        makeup_due_days=MAKEUP_DUE_DAYS.parse(rows[0]["due_days"]),
    )


def decide(
    db: Database,
    request_ids: list[int],
    decision: model.LeaveDecision,
    approver: str,
    decided_at: dt.datetime,
    refusal: str = "",
) -> None:
    """Give the requests (of one leave) the same decision, in one statement."""
    marks = ", ".join("?" for _ in request_ids)
    cursor = db.execute(
        "UPDATE leave_requests SET decision = ?, approver = ?, decided_at = ?, refusal = ? "
        f"WHERE id IN ({marks})",
        [decision.value, approver, _iso(decided_at), refusal, *request_ids],
    )
    if cursor.rowcount != len(set(request_ids)):
        raise NotFoundError("找不到要审批的请假申请，可能已被撤回。")


def mark_on_leave(db: Database, owed: list[tuple[int, int, dt.date]]) -> None:
    """For each (session, member, due) an approval covers: the member's mark becomes 请假,
    and the make-up task it owes is made, due on `due` (an open one due earlier is given
    `due`: its time runs from the approval) — `attendance.upsert` and `makeups.ensure`
    for a whole leave."""
    leave = model.AttendanceStatus.LEAVE.value
    ensure = makeups_store.ensuring(postpone=True)
    for session_id, member_id, due in owed:
        db.execute(attendance_store.UPSERT, [session_id, member_id, leave, None, ""])
        db.execute(ensure, [member_id, session_id, due.isoformat()])


def delete(db: Database, request_id: int) -> None:
    cursor = db.execute("DELETE FROM leave_requests WHERE id = ?", [request_id])
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {request_id} 的请假申请。")


def open_requests(db: Database, member_id: int, session_id: int) -> list[model.LeaveRequest]:
    """The member's pending or approved requests for the session (at most one, by rule)."""
    return [
        request_from_row(row)
        for row in db.query(
            "SELECT * FROM leave_requests WHERE member_id = ? AND session_id = ? "
            "AND decision IN ('pending', 'approved') ORDER BY id",
            [member_id, session_id],
        )
    ]


def listing(
    db: Database, year: int | None = None, session_id: int | None = None
) -> list[model.LeaveRequest]:
    """Requests by session date, then filing time; optionally one year or one session."""
    where: list[str] = []
    params: list[object] = []
    if year is not None:
        where.append("s.date BETWEEN ? AND ?")
        params += [f"{year:04d}-01-01", f"{year:04d}-12-31"]
    if session_id is not None:
        where.append("r.session_id = ?")
        params.append(session_id)
    sql = "SELECT r.* FROM leave_requests r JOIN sessions s ON s.id = r.session_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.date, s.start, r.filed_at, r.id"
    return [request_from_row(row) for row in db.query(sql, params)]


def set_span(db: Database, request_id: int, span: int) -> None:
    """Make a request the first of its span (its id is known once it is written)."""
    db.execute("UPDATE leave_requests SET span = ? WHERE id = ?", [span, request_id])


def set_last_day(db: Database, span: int, last_day: dt.date) -> None:
    """End a span earlier (a withdrawal kept only the sessions already held)."""
    db.execute(
        "UPDATE leave_requests SET last_day = ? WHERE span = ?", [last_day.isoformat(), span]
    )


def span_requests(db: Database, request: model.LeaveRequest) -> list[model.LeaveRequest]:
    """Every request of the span `request` belongs to, by session date (itself alone for a
    request of its own)."""
    if request.span is None:
        return [request]
    return [
        request_from_row(row)
        for row in db.query(
            "SELECT r.* FROM leave_requests r JOIN sessions s ON s.id = r.session_id "
            "WHERE r.span = ? ORDER BY s.date, s.start, r.id",
            [request.span],
        )
    ]


def spans_covering(db: Database, day: dt.date) -> list[model.LeaveRequest]:
    """One request (the first) of each span whose range holds `day`: a session added on
    that day is covered by them."""
    return [
        request_from_row(row)
        for row in db.query(
            "SELECT r.* FROM leave_requests r WHERE r.span IS NOT NULL "
            "AND r.first_day <= :day AND r.last_day >= :day "
            "AND r.id = (SELECT min(o.id) FROM leave_requests o WHERE o.span = r.span)",
            {"day": day.isoformat()},
        )
    ]


def member_requests(db: Database, member_id: int) -> list[model.LeaveRequest]:
    """The member's requests, open or decided, in id order."""
    return [
        request_from_row(row)
        for row in db.query(
            "SELECT * FROM leave_requests WHERE member_id = ? ORDER BY id", [member_id]
        )
    ]


def approved_kinds_between(db: Database, first: dt.date, last: dt.date) -> dict[str, int]:
    """Kind -> approved requests of the sessions dated first..last (one per session: 人次)."""
    return {
        kind: int(number)
        for kind, number in db.execute(
            "SELECT r.kind, count(*) FROM leave_requests r JOIN sessions s ON s.id = r.session_id "
            "WHERE r.decision = 'approved' AND s.date BETWEEN ? AND ? GROUP BY r.kind",
            [first.isoformat(), last.isoformat()],
        )
    }
