"""Leave requests (请假申请) for a member and a session."""

from __future__ import annotations

import datetime as dt

from studyplan.model import attendance as model
from studyplan.model.errors import NotFoundError
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
    )


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
    ]


def insert(db: Database, request: model.LeaveRequest) -> int:
    cursor = db.execute(
        "INSERT INTO leave_requests "
        "(member_id, session_id, reason, filed_at, approver, decision, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        _values(request),
    )
    assert cursor.lastrowid is not None  # an INSERT sets it
    return int(cursor.lastrowid)


def put(db: Database, request: model.LeaveRequest) -> None:
    """Write `request` under its own id, as it was: how an undo brings a request back."""
    db.execute(
        "INSERT INTO leave_requests "
        "(id, member_id, session_id, reason, filed_at, approver, decision, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET member_id = excluded.member_id, "
        "session_id = excluded.session_id, reason = excluded.reason, "
        "filed_at = excluded.filed_at, approver = excluded.approver, "
        "decision = excluded.decision, decided_at = excluded.decided_at",
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
) -> None:
    cursor = db.execute(
        "UPDATE leave_requests SET decision = ?, approver = ?, decided_at = ? WHERE id = ?",
        [decision.value, approver, _iso(decided_at), request_id],
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {request_id} 的请假申请。")


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
