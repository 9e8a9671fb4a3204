"""Attendance marks: one row per member and session, and the counts built from them.

Counts only take members who belonged to the group on the session's date, so a member who
left (or joined) later never changes the turnout of a past session.
"""

from __future__ import annotations

import datetime as dt

from studyplan.model import attendance as model
from studyplan.model.errors import NotFoundError
from studyplan.store.db import Database
from studyplan.store.members import IN_GROUP_THAT_DAY, in_group_on

#: The status codes that count as attended (`AttendanceStatus.attended`), as an SQL list.
_ATTENDED = "(" + ", ".join(f"'{s.value}'" for s in model.AttendanceStatus if s.attended) + ")"


def mark_from_row(row: dict) -> model.AttendanceMark:
    return model.AttendanceMark(
        session_id=row["session_id"],
        member_id=row["member_id"],
        status=model.AttendanceStatus(row["status"]),
        time=dt.time.fromisoformat(row["time"]) if row["time"] else None,
        note=row["note"],
    )


def marks(db: Database, session_id: int) -> dict[int, model.AttendanceMark]:
    """Member id -> mark for one session."""
    return {
        row["member_id"]: mark_from_row(row)
        for row in db.query("SELECT * FROM attendance WHERE session_id = ?", [session_id])
    }


def get_mark(db: Database, session_id: int, member_id: int) -> model.AttendanceMark | None:
    rows = list(
        db.query(
            "SELECT * FROM attendance WHERE session_id = ? AND member_id = ?",
            [session_id, member_id],
        )
    )
    return mark_from_row(rows[0]) if rows else None


#: Write a mark (session_id, member_id, status, time, note) over any the pair had.
UPSERT = (
    "INSERT INTO attendance (session_id, member_id, status, time, note) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(session_id, member_id) DO UPDATE SET "
    "status=excluded.status, time=excluded.time, note=excluded.note"
)


def upsert(db: Database, mark: model.AttendanceMark) -> None:
    db.execute(
        UPSERT,
        [
            mark.session_id,
            mark.member_id,
            mark.status.value,
            mark.time.strftime("%H:%M") if mark.time else None,
            mark.note,
        ],
    )


def delete(db: Database, session_id: int, member_id: int) -> bool:
    cursor = db.execute(
        "DELETE FROM attendance WHERE session_id = ? AND member_id = ?", [session_id, member_id]
    )
    return cursor.rowcount > 0


def mark_missing_present(db: Database, session_id: int, day: dt.date) -> int:
    """Give 出席 to every member expected on `day` who has no mark yet; returns how many."""
    cursor = db.execute(
        "INSERT INTO attendance (session_id, member_id, status) "
        "SELECT :session, m.id, 'present' FROM members m WHERE "
        + in_group_on(":day")
        + " AND NOT EXISTS (SELECT 1 FROM attendance a "
        "WHERE a.session_id = :session AND a.member_id = m.id)",
        {"session": session_id, "day": day.isoformat()},
    )
    return cursor.rowcount


def status_counts(db: Database, session_id: int, day: dt.date) -> tuple[int, dict[str, int]]:
    """(members expected on `day`, status code -> marks of those members) for one session."""
    params = {"session": session_id, "day": day.isoformat()}
    expected = db.execute(
        "SELECT count(*) FROM members m WHERE " + in_group_on(":day"), params
    ).fetchone()[0]
    by_status = {
        status: number
        for status, number in db.execute(
            "SELECT a.status, count(*) FROM attendance a JOIN members m ON m.id = a.member_id "
            "WHERE a.session_id = :session AND " + in_group_on(":day") + " GROUP BY a.status",
            params,
        )
    }
    return int(expected), by_status


def turnout(db: Database, first: dt.date, last: dt.date) -> dict[int, tuple[int, int]]:
    """Session id -> (attended, expected) for every session dated first..last, in one query.

    Each session costs one pass over the (small) members table and a primary-key range of
    its own attendance rows, so a month or a decade stays quick.
    """
    sql = (
        "SELECT s.id, "
        "(SELECT count(*) FROM attendance a JOIN members m ON m.id = a.member_id "
        f" WHERE a.session_id = s.id AND a.status IN {_ATTENDED} AND "
        + in_group_on("s.date")
        + "), (SELECT count(*) FROM members m WHERE "
        + in_group_on("s.date")
        + ") FROM sessions s WHERE s.date BETWEEN ? AND ?"
    )
    return {
        session_id: (attended, expected)
        for session_id, attended, expected in db.execute(sql, [first.isoformat(), last.isoformat()])
    }


def status_counts_between(
    db: Database, first: dt.date, last: dt.date
) -> dict[int, tuple[int, dict[str, int]]]:
    """Session id -> (members expected, status code -> marks of those members), as
    `status_counts` gives for one session, for every session dated first..last."""
    span = {"first": first.isoformat(), "last": last.isoformat()}
    result: dict[int, tuple[int, dict[str, int]]] = {
        session_id: (expected, {})
        for session_id, expected in db.execute(
            "SELECT s.id, count(m.id) FROM sessions s LEFT JOIN members m ON "
            + IN_GROUP_THAT_DAY
            + " WHERE s.date BETWEEN :first AND :last GROUP BY s.id",
            span,
        )
    }
    for session_id, status, number in db.execute(
        "SELECT s.id, a.status, count(*) FROM attendance a "
        "JOIN sessions s ON s.id = a.session_id JOIN members m ON m.id = a.member_id "
        "WHERE s.date BETWEEN :first AND :last AND "
        + IN_GROUP_THAT_DAY
        + " GROUP BY s.id, a.status",
        span,
    ):
        result[session_id][1][status] = number
    return result


def unbacked_leave_marks(db: Database, first: dt.date, last: dt.date) -> list[tuple[dt.date, int]]:
    """(session date, member id) of each 请假 mark at a session (not cancelled) dated
    first..last with no approved leave request behind it, by date and roster order."""
    sql = (
        "SELECT s.date, m.id FROM attendance a "
        "JOIN sessions s ON s.id = a.session_id JOIN members m ON m.id = a.member_id "
        "WHERE a.status = 'leave' AND s.status != 'cancelled' AND s.date BETWEEN ? AND ? "
        "AND " + IN_GROUP_THAT_DAY + " AND NOT EXISTS (SELECT 1 FROM leave_requests r "
        "WHERE r.session_id = s.id AND r.member_id = m.id AND r.decision = 'approved') "
        "ORDER BY s.date, s.start, s.id, m.rank, m.id"
    )
    return [
        (dt.date.fromisoformat(day), member_id)
        for day, member_id in db.execute(sql, [first.isoformat(), last.isoformat()])
    ]


# -- 列席人员 ------------------------------------------------------------------------------
def _guest(row: dict) -> model.SessionGuest:
    return model.SessionGuest(
        id=row["id"],
        session_id=row["session_id"],
        name=row["name"],
        unit=row["unit"],
        rank=row["rank"],
    )


def guests(db: Database, session_id: int) -> list[model.SessionGuest]:
    """A session's 列席人员 in the order they were entered."""
    return [
        _guest(row)
        for row in db.query(
            "SELECT * FROM session_guests WHERE session_id = ? ORDER BY rank, id", [session_id]
        )
    ]


def guests_between(db: Database, first: dt.date, last: dt.date) -> dict[int, list]:
    """Session id -> its 列席人员, for every session dated first..last that has some."""
    found: dict[int, list] = {}
    for row in db.query(
        "SELECT g.* FROM session_guests g JOIN sessions s ON s.id = g.session_id "
        "WHERE s.date BETWEEN ? AND ? ORDER BY s.date, s.start, g.rank, g.id",
        [first.isoformat(), last.isoformat()],
    ):
        found.setdefault(row["session_id"], []).append(_guest(row))
    return found


def add_guest(db: Database, guest: model.SessionGuest) -> int:
    cursor = db.execute(
        "INSERT INTO session_guests (session_id, name, unit, rank) VALUES (?, ?, ?, "
        "(SELECT coalesce(max(rank), 0) + 1 FROM session_guests WHERE session_id = ?))",
        [guest.session_id, guest.name, guest.unit, guest.session_id],
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def get_guest(db: Database, guest_id: int) -> model.SessionGuest:
    rows = list(db.query("SELECT * FROM session_guests WHERE id = ?", [guest_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {guest_id} 的列席人员。")
    return _guest(rows[0])


def delete_guest(db: Database, guest_id: int) -> None:
    db.execute("DELETE FROM session_guests WHERE id = ?", [guest_id])
