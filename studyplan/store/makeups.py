"""Make-up study tasks (补学) owed for a session missed on leave or absent."""

from __future__ import annotations

import datetime as dt

from studyplan.model import attendance as model
from studyplan.model.errors import NotFoundError
from studyplan.store.db import Database
from studyplan.store.members import IN_GROUP_THAT_DAY

#: A make-up task (k) that counts, joined with its session (s) and member (m): not for a
#: cancelled session, nor for one after the member left (see `listing`).
COUNTED = "s.status != 'cancelled' AND " + IN_GROUP_THAT_DAY


#: SQL condition "task k's due day has passed on the day bound to :today": the boundary of
#: `model.attendance.is_overdue` (due today is still on time), for every count and list.
PAST_DUE = "k.due < :today"


def status_condition(status: model.MakeupStatus) -> str:
    """SQL condition "task k has `status` on :today", the SQL twin of `Makeup.status`."""
    if status is model.MakeupStatus.DONE:
        return "k.completed IS NOT NULL"
    if status is model.MakeupStatus.OVERDUE:
        return f"k.completed IS NULL AND {PAST_DUE}"
    return f"k.completed IS NULL AND NOT ({PAST_DUE})"


def makeup_from_row(row: dict) -> model.Makeup:
    return model.Makeup(
        id=row["id"],
        member_id=row["member_id"],
        session_id=row["session_id"],
        due=dt.date.fromisoformat(row["due"]),
        completed=dt.date.fromisoformat(row["completed"]) if row["completed"] else None,
        method=row["method"],
        evidence=row["evidence"],
    )


def get(db: Database, makeup_id: int) -> model.Makeup:
    rows = list(db.query("SELECT * FROM makeups WHERE id = ?", [makeup_id]))
    if not rows:
        raise NotFoundError(f"找不到编号为 {makeup_id} 的补学任务。")
    return makeup_from_row(rows[0])


def get_for(db: Database, member_id: int, session_id: int) -> model.Makeup | None:
    rows = list(
        db.query(
            "SELECT * FROM makeups WHERE member_id = ? AND session_id = ?",
            [member_id, session_id],
        )
    )
    return makeup_from_row(rows[0]) if rows else None


def for_sessions_between(
    db: Database, first: dt.date, last: dt.date
) -> dict[tuple[int, int], model.Makeup]:
    """(member id, session id) -> the task, for every session dated first..last: what
    `get_for` gives for each of them, read at once."""
    sql = (
        "SELECT k.* FROM makeups k JOIN sessions s ON s.id = k.session_id "
        "WHERE s.date BETWEEN ? AND ?"
    )
    tasks = (makeup_from_row(row) for row in db.query(sql, [first.isoformat(), last.isoformat()]))
    return {(task.member_id, task.session_id): task for task in tasks}


def ensuring(*, postpone: bool) -> str:
    """The statement of `ensure`, with parameters (member_id, session_id, due)."""
    conflict = (
        "DO UPDATE SET due = excluded.due "
        "WHERE makeups.completed IS NULL AND makeups.due < excluded.due"
        if postpone
        else "DO NOTHING"
    )
    return (
        "INSERT INTO makeups (member_id, session_id, due) VALUES (?, ?, ?) "
        f"ON CONFLICT(member_id, session_id) {conflict}"
    )


def ensure(
    db: Database, member_id: int, session_id: int, due: dt.date, *, postpone: bool = False
) -> bool:
    """Create the task unless one (open or done) exists; True if a task was created or its
    deadline moved. With `postpone`, an open task due before `due` is given `due` (a leave
    approved after the session: the make-up's time runs from the approval); a task already
    done keeps its dates."""
    cursor = db.execute(ensuring(postpone=postpone), [member_id, session_id, due.isoformat()])
    return cursor.rowcount > 0


def put(db: Database, member_id: int, session_id: int, makeup: model.Makeup | None) -> None:
    """Make the pair's task exactly `makeup` (with its id), or remove it for None: how an
    undo puts a task back as it was."""
    db.execute(
        "DELETE FROM makeups WHERE member_id = ? AND session_id = ?", [member_id, session_id]
    )
    if makeup is None:
        return
    db.execute(
        "INSERT INTO makeups (id, member_id, session_id, due, completed, method, evidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            makeup.id,
            makeup.member_id,
            makeup.session_id,
            makeup.due.isoformat(),
            makeup.completed.isoformat() if makeup.completed else None,
            makeup.method,
            makeup.evidence,
        ],
    )


def delete_open(db: Database, member_id: int, session_id: int) -> bool:
    """Drop the task if it is not completed; a completed one is kept as history."""
    cursor = db.execute(
        "DELETE FROM makeups WHERE member_id = ? AND session_id = ? AND completed IS NULL",
        [member_id, session_id],
    )
    return cursor.rowcount > 0


def complete(
    db: Database, makeup_id: int, completed: dt.date | None, method: str, evidence: str
) -> None:
    cursor = db.execute(
        "UPDATE makeups SET completed = ?, method = ?, evidence = ? WHERE id = ?",
        [completed.isoformat() if completed else None, method, evidence, makeup_id],
    )
    if cursor.rowcount == 0:
        raise NotFoundError(f"找不到编号为 {makeup_id} 的补学任务。")


def listing(
    db: Database,
    status: model.MakeupStatus | None = None,
    today: dt.date | None = None,
    year: int | None = None,
) -> list[model.Makeup]:
    """Tasks by due date, then session date and roster order; filtered by status as of
    `today` and by the year of the missed session. Tasks for a cancelled session, or for a
    session after the member left, are left out: nobody makes those up (they return if the
    session is restored or the departure taken back)."""
    where: list[str] = [COUNTED]
    params: dict[str, str] = {}
    if status is not None:
        where.append(status_condition(status))
        params["today"] = (today or dt.date.today()).isoformat()
    if year is not None:
        where.append("s.date BETWEEN :first AND :last")
        params.update(first=f"{year:04d}-01-01", last=f"{year:04d}-12-31")
    sql = (
        "SELECT k.* FROM makeups k JOIN sessions s ON s.id = k.session_id "
        "JOIN members m ON m.id = k.member_id WHERE " + " AND ".join(where)
    )
    sql += " ORDER BY k.due, s.date, s.start, m.rank, m.id"
    return [makeup_from_row(row) for row in db.query(sql, params)]


def overdue_count(db: Database, today: dt.date) -> int:
    """Open tasks past their due day, counted as `listing` lists them."""
    return int(
        db.execute(
            "SELECT count(*) FROM makeups k JOIN sessions s ON s.id = k.session_id "
            "JOIN members m ON m.id = k.member_id "
            "WHERE " + status_condition(model.MakeupStatus.OVERDUE) + " AND " + COUNTED,
            {"today": today.isoformat()},
        ).fetchone()[0]
    )


def shift_open_due(db: Database, session_id: int, days: int) -> None:
    """Move the deadline of a session's unfinished make-ups by `days` (the session moved)."""
    db.execute(
        "UPDATE makeups SET due = date(due, ? || ' days') "
        "WHERE session_id = ? AND completed IS NULL",
        [f"{days:+d}", session_id],
    )


def done_late_count(db: Database, first: dt.date, last: dt.date) -> int:
    """Tasks of the sessions dated first..last completed after their due day (逾期完成),
    counted as `listing` lists them (`model.attendance.done_late`)."""
    return int(
        db.execute(
            "SELECT count(*) FROM makeups k JOIN sessions s ON s.id = k.session_id "
            "JOIN members m ON m.id = k.member_id WHERE k.completed > k.due AND "
            + COUNTED
            + " AND s.date BETWEEN :first AND :last",
            {"first": first.isoformat(), "last": last.isoformat()},
        ).fetchone()[0]
    )
